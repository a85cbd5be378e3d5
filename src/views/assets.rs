//! The portal's static files, built into the binary: the stylesheet, served
//! at an address that names its content (so that browsers may keep it for
//! a year and still never use an old one), and the favicon.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

/// The stylesheet.
pub const STYLESHEET: &str = include_str!("../../assets/app.css");

/// The favicon (an SVG).
pub const FAVICON_SVG: &str = include_str!("../../assets/favicon.svg");

/// Where the favicon is served.
pub const FAVICON_PATH: &str = "/static/favicon.svg";

/// The stylesheet's old address, kept working for pages cached before the
/// content-named one.
pub const STYLESHEET_PLAIN_PATH: &str = "/static/app.css";

static STYLESHEET_PATH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(STYLESHEET.as_bytes());
    format!("/static/app-{}.css", &hex::encode(digest)[..16])
});

/// The stylesheet's address, named by its content: a new stylesheet gets
/// a new address.
pub fn stylesheet_path() -> &'static str {
    STYLESHEET_PATH.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_address_names_its_content() {
        let path = stylesheet_path();
        assert!(
            path.starts_with("/static/app-") && path.ends_with(".css"),
            "{path}"
        );
        assert_eq!(path.len(), "/static/app-.css".len() + 16);
        assert_ne!(path, STYLESHEET_PLAIN_PATH);
    }
}
