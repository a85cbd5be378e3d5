//! Field-level validation errors, shared by every parser of user input.

use std::fmt;

/// One problem with one field of a form or JSON body. `message` is Chinese
/// and addressed to the person who typed the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// The value is well-formed but already taken (a username, a credit code).
    pub duplicate: bool,
}

/// Every problem found in one submission, so that a form can show each error
/// beside its field at once instead of one per round trip.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invalid {
    pub errors: Vec<FieldError>,
}

impl Invalid {
    pub fn new() -> Self {
        Self::default()
    }

    /// An `Invalid` holding a single error.
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut invalid = Self::new();
        invalid.add(field, message);
        invalid
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
            duplicate: false,
        });
    }

    /// Records that `field` holds a value someone else already has.
    pub fn add_duplicate(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
            duplicate: true,
        });
    }

    /// An `Invalid` holding a single duplicate.
    pub fn duplicate(field: &str, message: impl Into<String>) -> Self {
        let mut invalid = Self::new();
        invalid.add_duplicate(field, message);
        invalid
    }

    /// True when every problem is a duplicate: the input was fine but
    /// conflicts with what exists (409 rather than 422).
    pub fn only_duplicates(&self) -> bool {
        !self.errors.is_empty() && self.errors.iter().all(|e| e.duplicate)
    }

    /// Records the error of `result` under `field` and returns its value.
    pub fn check<T, E: fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.add(field, err.to_string());
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing was found, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The first message recorded for `field`, for showing beside it.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&messages.join("; "))
    }
}

impl std::error::Error for Invalid {}

/// Trims `value` and checks that it holds between 1 and `max` characters.
pub fn required_text(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    let count = trimmed.chars().count();
    if count == 0 {
        Err("此项为必填项".to_owned())
    } else if count > max {
        Err(format!("不能超过{max}个字"))
    } else if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err("含有不可见的控制字符".to_owned())
    } else {
        Ok(trimmed.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_bounds_length() {
        assert_eq!(required_text("  阳光  ", 10), Ok("阳光".to_owned()));
        assert!(required_text("   ", 10).is_err());
        assert!(required_text("一二三四五六", 5).is_err());
        assert!(required_text("a\u{0}b", 5).is_err());
    }

    #[test]
    fn invalid_collects_every_error() {
        let mut invalid = Invalid::new();
        invalid.add("name", "此项为必填项");
        invalid.add("phone", "号码不正确");
        assert_eq!(invalid.message_for("phone"), Some("号码不正确"));
        assert!(invalid.into_result().is_err());
    }
}
