//! Where a login returns to: the page an anonymous visitor asked for,
//! carried as `next` through the login form. Only a path on this portal is
//! accepted, never anything a browser could read as another host.

/// The login page's address for a visitor who asked for `path_and_query`.
pub fn login_url(path_and_query: &str) -> String {
    match local_path(path_and_query) {
        Some(path) if path != "/" => {
            let next: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
            format!("/login?next={next}")
        }
        _ => "/login".to_owned(),
    }
}

/// `raw` if it is a path on this portal: it starts with exactly one `/` and
/// holds no backslash, whitespace or control character (browsers read
/// `//host`, `/\host` and `/\t/host` as another host).
pub fn local_path(raw: &str) -> Option<&str> {
    let mut chars = raw.chars();
    let starts_alone = chars.next() == Some('/') && chars.next() != Some('/');
    let clean = !raw
        .chars()
        .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    (starts_alone && clean && raw.len() <= 2048).then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_on_the_portal_is_kept() {
        for path in [
            "/",
            "/children",
            "/children?status=draft",
            "/needs/AB12CD34EF56",
        ] {
            assert_eq!(local_path(path), Some(path));
        }
    }

    #[test]
    fn anything_that_could_reach_another_host_is_refused() {
        for raw in [
            "",
            "children",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "http://evil.example/",
            "https:evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/ /evil.example",
            "/\n/evil.example",
        ] {
            assert_eq!(local_path(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn the_login_url_encodes_where_to_return() {
        assert_eq!(
            login_url("/children?status=draft"),
            "/login?next=%2Fchildren%3Fstatus%3Ddraft"
        );
        assert_eq!(login_url("/"), "/login");
        assert_eq!(login_url("//evil.example"), "/login");
    }
}
