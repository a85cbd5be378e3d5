//! Account rules: usernames and the password policy.

use std::fmt;

/// A login name: 3–32 characters of lowercase ASCII letters, digits, `_`, `.`
/// or `-`, starting with a letter or digit. Stored lowercased so that
/// `Wang` and `wang` are one account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Username(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("用户名为3至32位英文字母、数字或 _ . -，以字母或数字开头")]
pub struct UsernameError;

impl Username {
    pub fn parse(s: &str) -> Result<Self, UsernameError> {
        let s = s.trim().to_ascii_lowercase();
        let ok_len = (3..=32).contains(&s.len());
        let ok_chars = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
        let ok_start = s
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if ok_len && ok_chars && ok_start {
            Ok(Self(s))
        } else {
            Err(UsernameError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that passed the policy. `Debug` never prints it.
#[derive(Clone)]
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("密码至少8个字符")]
    TooShort,
    #[error("密码不能超过128个字符")]
    TooLong,
    #[error("这个密码太常见或太容易猜到，请换一个更长、更不常见的密码（可以用一句话）")]
    TooCommon,
}

/// Minimum and maximum length in characters. Long passphrases are welcome;
/// the upper bound only keeps hashing cost bounded.
pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

impl NewPassword {
    /// Checks length and refuses common or easily guessed passwords.
    ///
    /// `context` holds words the account is known by (username, organisation
    /// name): a password built from them is as weak as a common one.
    /// Guessability is judged by zxcvbn, whose dictionaries hold the most
    /// common passwords; score 2 or more means "not in the first million guesses".
    pub fn parse(password: &str, context: &[&str]) -> Result<Self, PasswordError> {
        let count = password.chars().count();
        if count < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if count > PASSWORD_MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        let score = zxcvbn::zxcvbn(password, context).score();
        if u8::from(score) < 2 {
            return Err(PasswordError::TooCommon);
        }
        Ok(Self(password.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Records under `password_confirm` that the password typed again on a
/// form (`None` where there is no second entry) differs from the first.
pub fn check_confirmation(invalid: &mut super::Invalid, password: &str, confirm: Option<&str>) {
    if confirm.is_some_and(|c| c != password) {
        invalid.add("password_confirm", "两次输入的密码不一致");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_bounded() {
        assert_eq!(
            Username::parse(" Wang_Li ").map(|u| u.0),
            Ok("wang_li".to_owned())
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("_admin").is_err());
        assert!(Username::parse("王丽").is_err());
        assert!(Username::parse("a b c").is_err());
    }

    #[test]
    fn short_and_common_passwords_are_refused() {
        assert_eq!(
            NewPassword::parse("abc123", &[]).err(),
            Some(PasswordError::TooShort)
        );
        for common in [
            "password",
            "12345678",
            "123456789",
            "qwertyui",
            "password1",
            "iloveyou",
        ] {
            assert_eq!(
                NewPassword::parse(common, &[]).err(),
                Some(PasswordError::TooCommon),
                "{common} should be refused"
            );
        }
    }

    #[test]
    fn a_password_made_of_the_username_is_refused() {
        assert_eq!(
            NewPassword::parse("sunshine2026", &["sunshine2026"]).err(),
            Some(PasswordError::TooCommon)
        );
    }

    #[test]
    fn long_passphrases_are_accepted() {
        assert!(NewPassword::parse("云阳县童心桥 bridge of caring hearts", &[]).is_ok());
        let varied: String = "童心桥连接社会资源与困境儿童"
            .chars()
            .cycle()
            .take(128)
            .collect();
        assert!(NewPassword::parse(&varied, &[]).is_ok());
        assert_eq!(
            NewPassword::parse(&"长".repeat(20), &[]).err(),
            Some(PasswordError::TooCommon),
            "one character repeated is easy to guess"
        );
        assert_eq!(
            NewPassword::parse(&"长".repeat(129), &[]).err(),
            Some(PasswordError::TooLong)
        );
    }

    #[test]
    fn debug_never_shows_the_password() {
        let password = NewPassword::parse("correct horse battery staple", &[]).expect("strong");
        assert!(!format!("{password:?}").contains("horse"));
    }
}
