//! Contact phone numbers of providers and families (adults who chose to give them).

/// A mainland mobile number (1[3-9]x, 11 digits) or a landline with area code
/// (0xx-xxxxxxx[x]); separators (spaces, dashes) are removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("请填写11位手机号码或带区号的固定电话")]
pub struct PhoneError;

impl Phone {
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        let digits: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError);
        }
        let b = digits.as_bytes();
        let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
        let landline = (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0';
        if mobile || landline {
            Ok(Self(digits))
        } else {
            Err(PhoneError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_and_landline_numbers_are_accepted_with_separators() {
        assert_eq!(
            Phone::parse("138 2345 6789").map(|p| p.0),
            Ok("13823456789".to_owned())
        );
        assert!(Phone::parse("023-55123456").is_ok());
        assert!(Phone::parse("12345678901").is_err());
        assert!(Phone::parse("1382345678").is_err());
        assert!(Phone::parse("电话").is_err());
    }
}
