//! The audit chain: what an entry holds and how its hash is computed.
//!
//! Each entry's hash covers its own fields and the hash of the entry before
//! it, so that altering, removing or reordering any entry breaks every hash
//! after it. The hash input is a length-prefixed encoding of the fields, so
//! that no two different entries can produce the same input.

pub mod terms;

use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one audit entry that its hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryFields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor_id: Option<&'a str>,
    pub actor_name: Option<&'a str>,
    pub role: Option<&'a str>,
    pub action: &'a str,
    pub target: Option<&'a str>,
    pub outcome: &'a str,
    pub request_id: Option<&'a str>,
    pub detail: Option<&'a str>,
}

/// The hex SHA-256 of `prev_hash` followed by the entry's fields.
pub fn entry_hash(prev_hash: &str, fields: &EntryFields<'_>) -> String {
    let mut hasher = Sha256::new();
    let mut put = |value: Option<&str>| match value {
        // A 0xFF tag distinguishes "absent" from "empty".
        None => hasher.update([0xFFu8]),
        Some(v) => {
            hasher.update([0x00u8]);
            hasher.update((v.len() as u64).to_be_bytes());
            hasher.update(v.as_bytes());
        }
    };
    put(Some(prev_hash));
    put(Some(&fields.seq.to_string()));
    put(Some(fields.at));
    put(fields.actor_id);
    put(fields.actor_name);
    put(fields.role);
    put(Some(fields.action));
    put(fields.target);
    put(Some(fields.outcome));
    put(fields.request_id);
    put(fields.detail);
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(seq: i64) -> EntryFields<'static> {
        EntryFields {
            seq,
            at: "2026-11-28T12:00:00.000000Z",
            actor_id: Some("u1"),
            actor_name: Some("county"),
            role: Some("county_admin"),
            action: "provider.verify",
            target: Some("provider:p1"),
            outcome: "success",
            request_id: Some("r1"),
            detail: None,
        }
    }

    #[test]
    fn the_hash_depends_on_every_field_and_the_previous_hash() {
        let base = entry_hash(GENESIS_HASH, &fields(1));
        assert_eq!(base.len(), 64);
        assert_ne!(base, entry_hash(&base, &fields(1)));
        assert_ne!(base, entry_hash(GENESIS_HASH, &fields(2)));
        let mut other = fields(1);
        other.outcome = "failure";
        assert_ne!(base, entry_hash(GENESIS_HASH, &other));
        let mut moved = fields(1);
        moved.actor_id = None;
        moved.actor_name = Some("u1county");
        assert_ne!(base, entry_hash(GENESIS_HASH, &moved));
        let mut empty = fields(1);
        empty.detail = Some("");
        assert_ne!(base, entry_hash(GENESIS_HASH, &empty));
    }
}
