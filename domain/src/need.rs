//! Needs (需求): urgency, the state machine, and the random public code.

use super::coded::coded_enum;

coded_enum! {
    /// How soon help is needed.
    pub enum Urgency ("未知的紧急程度") {
        Normal = "normal", "一般";
        Urgent = "urgent", "紧急";
        Critical = "critical", "特别紧急";
    }
}

coded_enum! {
    /// `draft` → `published` → `matched` → `fulfilled`; `closed` (with a
    /// reason) from any open state.
    pub enum NeedStatus ("未知的需求状态") {
        Draft = "draft", "草稿";
        Published = "published", "已发布";
        Matched = "matched", "已对接";
        Fulfilled = "fulfilled", "已完成";
        Closed = "closed", "已关闭";
    }
}

/// An illegal move, naming the state the need is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("需求当前为“{}”，不能执行此操作", .0.label())]
pub struct IllegalMove(pub NeedStatus);

impl NeedStatus {
    /// Publishing: only a draft.
    pub fn publish(self) -> Result<NeedStatus, IllegalMove> {
        match self {
            NeedStatus::Draft => Ok(NeedStatus::Published),
            other => Err(IllegalMove(other)),
        }
    }

    /// Closing with a reason: any state that is not yet over.
    pub fn close(self) -> Result<NeedStatus, IllegalMove> {
        match self {
            NeedStatus::Draft | NeedStatus::Published | NeedStatus::Matched => {
                Ok(NeedStatus::Closed)
            }
            other => Err(IllegalMove(other)),
        }
    }

    /// Editing the text: only while it is a draft (a published text has been
    /// seen; changing it would change what providers answered).
    pub fn edit(self) -> Result<NeedStatus, IllegalMove> {
        match self {
            NeedStatus::Draft => Ok(NeedStatus::Draft),
            other => Err(IllegalMove(other)),
        }
    }

    /// Whether providers and families may see the projection.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            NeedStatus::Published | NeedStatus::Matched | NeedStatus::Fulfilled
        )
    }
}

/// Crockford's base-32 alphabet: no I, L, O or U, so codes read aloud well.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 10;

/// The public code of a need, `XQ` and ten random base-32 characters: not
/// sequential, so it reveals neither order nor volume.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NeedCode(String);

impl NeedCode {
    /// A code from 50 bits of caller-supplied randomness (the domain does no I/O).
    pub fn from_random(bytes: [u8; 8]) -> NeedCode {
        let mut n = u64::from_le_bytes(bytes);
        let mut code = String::from("XQ");
        for _ in 0..CODE_LEN {
            code.push(char::from(ALPHABET[(n & 31) as usize]));
            n >>= 5;
        }
        NeedCode(code)
    }

    /// Accepts a code as typed (case-insensitive), or `None`.
    pub fn parse(raw: &str) -> Option<NeedCode> {
        let upper = raw.trim().to_ascii_uppercase();
        let rest = upper.strip_prefix("XQ")?;
        (rest.len() == CODE_LEN && rest.bytes().all(|b| ALPHABET.contains(&b)))
            .then_some(NeedCode(upper))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_drafts_publish_and_only_open_needs_close() {
        assert_eq!(NeedStatus::Draft.publish(), Ok(NeedStatus::Published));
        assert_eq!(
            NeedStatus::Published.publish(),
            Err(IllegalMove(NeedStatus::Published))
        );
        assert_eq!(NeedStatus::Matched.close(), Ok(NeedStatus::Closed));
        assert!(NeedStatus::Closed.close().is_err());
        assert!(NeedStatus::Fulfilled.close().is_err());
        assert!(NeedStatus::Published.edit().is_err());
    }

    #[test]
    fn codes_parse_back_and_differ() {
        let a = NeedCode::from_random([1, 2, 3, 4, 5, 6, 7, 8]);
        let b = NeedCode::from_random([2, 2, 3, 4, 5, 6, 7, 8]);
        assert_ne!(a, b);
        assert_eq!(NeedCode::parse(&a.as_str().to_lowercase()), Some(a.clone()));
        assert_eq!(a.as_str().len(), 12);
        assert_eq!(NeedCode::parse("XQ123"), None);
        assert_eq!(NeedCode::parse("XQ0000000000I"), None);
        assert_eq!(NeedCode::parse("XQ000000000I"), None);
    }
}
