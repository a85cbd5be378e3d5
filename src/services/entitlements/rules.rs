//! The entitlement rules: the file shipped with the portal, or the
//! county's own, read and checked once at start.

use std::path::Path;
use std::sync::LazyLock;

use crate::domain::entitlement::{DEFAULT_RULES, Rules};

/// The rules shipped with the portal (checked by their tests).
pub static SHIPPED: LazyLock<Rules> = LazyLock::new(|| {
    #[expect(
        clippy::expect_used,
        reason = "the shipped file is checked by domain::entitlement's tests"
    )]
    Rules::parse(DEFAULT_RULES).expect("the shipped entitlement rules are valid")
});

/// The rules of `path`, or the shipped ones; the error names the file and
/// the rule at fault, for the start-up message.
pub fn load(path: Option<&Path>) -> Result<Rules, String> {
    match path {
        None => Rules::parse(DEFAULT_RULES).map_err(|e| format!("shipped {e}")),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                format!("cannot read the entitlement rules {}: {e}", path.display())
            })?;
            Rules::parse(&text).map_err(|e| format!("{} in {}", e, path.display()))
        }
    }
}

/// A fingerprint of the rules (their ids and conditions), to tell whether
/// the kept gaps were checked under the same rules.
pub fn fingerprint(rules: &Rules) -> i64 {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for rule in rules.all() {
        hash.update(rule.id.as_bytes());
        hash.update([0]);
        hash.update(rule.when.as_bytes());
        hash.update([0]);
        hash.update([rule.severity.value()]);
    }
    let digest = hash.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(first) & i64::MAX
}
