//! The identity vault's cryptography: each personal value is sealed on its
//! own with XChaCha20-Poly1305 under a random 192-bit nonce, bound by its
//! associated data to the table, row and field it belongs to (a sealed name
//! copied into another row or field does not open). ID numbers and village
//! codes are also given a keyed hash (HMAC-SHA-256, the blind index) so that
//! duplicates can be refused and files filtered without a plain column.
//!
//! One 256-bit master key is kept outside the database (environment or a
//! 0600 key file, see [`key_file`]); the sealing key, the blind-index key and
//! the fingerprint stored in the database are derived from it with HMAC under
//! distinct labels, so none of them reveals another. Nothing here knows the
//! database or HTTP.

pub mod key_file;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// The format byte in front of every sealed value, so that a later change of
/// algorithm can tell old values from new.
const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 24;

/// Why a vault operation failed. Messages never contain the key or a value.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "the vault key must be 32 bytes, written as base64 (44 characters) or hex (64 characters)"
    )]
    KeyFormat,
    #[error("the operating system's random number generator failed")]
    Random,
    #[error("a sealed value could not be opened ({field}): wrong key or damaged data")]
    Open { field: String },
    #[error("the vault key could not be read or written at {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "no vault key: this database holds encrypted child files, but CAREBRIDGE_VAULT_KEY is not set and {path} does not exist; restore the key"
    )]
    Missing { path: String },
    #[error(
        "the vault key does not match this database (key fingerprint {given}, database expects {expected}); refusing to start rather than read garbage"
    )]
    Mismatch { given: String, expected: String },
}

/// The master key. `Debug` never prints it; memory is wiped on drop.
#[derive(Clone)]
pub struct VaultKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(<redacted>)")
    }
}

impl VaultKey {
    /// A fresh key from the operating system's CSPRNG.
    pub fn generate() -> Result<VaultKey, VaultError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|_| VaultError::Random)?;
        Ok(VaultKey(bytes))
    }

    /// Reads a key written as base64 or hex (surrounding whitespace ignored).
    pub fn parse(text: &str) -> Result<VaultKey, VaultError> {
        let text = text.trim();
        let decoded = Zeroizing::new(if text.len() == 64 {
            hex::decode(text).map_err(|_| VaultError::KeyFormat)?
        } else {
            STANDARD.decode(text).map_err(|_| VaultError::KeyFormat)?
        });
        let bytes: [u8; 32] = decoded
            .as_slice()
            .try_into()
            .map_err(|_| VaultError::KeyFormat)?;
        Ok(VaultKey(Zeroizing::new(bytes)))
    }

    /// The key as base64, for the key file.
    pub fn encode(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.0.as_ref()))
    }

    fn derive(&self, label: &[u8]) -> Zeroizing<[u8; 32]> {
        let mut mac =
            HmacSha256::new_from_slice(self.0.as_ref()).expect("HMAC takes any key length");
        mac.update(label);
        Zeroizing::new(mac.finalize().into_bytes().into())
    }
}

/// Where a sealed value belongs; the three are authenticated with it.
#[derive(Clone, Copy, Debug)]
pub struct Slot<'a> {
    pub table: &'a str,
    pub row: &'a str,
    pub field: &'a str,
}

impl Slot<'_> {
    fn associated_data(&self) -> Vec<u8> {
        [self.table, self.row, self.field]
            .join("\u{0}")
            .into_bytes()
    }
}

/// The sealing and blind-index keys derived from one master key.
pub struct Vault {
    cipher: XChaCha20Poly1305,
    blind_key: Zeroizing<[u8; 32]>,
    fingerprint: String,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl Vault {
    pub fn new(key: &VaultKey) -> Vault {
        let seal_key = key.derive(b"carebridge/vault/seal/v1");
        let cipher = XChaCha20Poly1305::new_from_slice(seal_key.as_ref())
            .expect("XChaCha20-Poly1305 takes a 32-byte key");
        let check = key.derive(b"carebridge/vault/fingerprint/v1");
        Vault {
            cipher,
            blind_key: key.derive(b"carebridge/vault/blind-index/v1"),
            fingerprint: hex::encode(&check[..16]),
        }
    }

    /// Identifies the key without revealing it; stored in the database so
    /// that a wrong key is refused at start-up instead of producing garbage.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Seals `plaintext` for `slot`: format byte, nonce, ciphertext and tag.
    pub fn seal(&self, slot: Slot<'_>, plaintext: &str) -> Result<Vec<u8>, VaultError> {
        let mut nonce_bytes = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce_bytes).map_err(|_| VaultError::Random)?;
        let nonce = XNonce::from(nonce_bytes);
        let aad = slot.associated_data();
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| VaultError::Open {
                field: slot.field.to_owned(),
            })?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a value sealed for `slot`; fails on a wrong key, a value moved
    /// from another slot, or damage.
    pub fn open(&self, slot: Slot<'_>, sealed: &[u8]) -> Result<Zeroizing<String>, VaultError> {
        let err = || VaultError::Open {
            field: slot.field.to_owned(),
        };
        let (format, rest) = sealed.split_first().ok_or_else(err)?;
        if *format != FORMAT_V1 || rest.len() < NONCE_LEN {
            return Err(err());
        }
        let (nonce, body) = rest.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).map_err(|_| err())?;
        let aad = slot.associated_data();
        let plain = Zeroizing::new(
            self.cipher
                .decrypt(
                    &nonce,
                    Payload {
                        msg: body,
                        aad: &aad,
                    },
                )
                .map_err(|_| err())?,
        );
        String::from_utf8(plain.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| err())
    }

    /// The blind index of `value` in `domain` (e.g. "id_number"): hex of a
    /// keyed hash, equal for equal inputs, useless without the key.
    pub fn blind_index(&self, domain: &str, value: &str) -> String {
        let mut mac =
            HmacSha256::new_from_slice(self.blind_key.as_ref()).expect("HMAC takes any key length");
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLOT: Slot<'static> = Slot {
        table: "children",
        row: "r1",
        field: "name",
    };

    fn vault() -> Vault {
        Vault::new(&VaultKey::generate().expect("random"))
    }

    #[test]
    fn sealed_values_open_and_hide_the_plaintext() {
        let v = vault();
        let sealed = v.seal(SLOT, "张小明").expect("seal");
        assert!(
            !sealed
                .windows("张小明".len())
                .any(|w| w == "张小明".as_bytes())
        );
        assert_eq!(v.open(SLOT, &sealed).expect("open").as_str(), "张小明");
        // Each value has its own nonce: sealing twice differs.
        assert_ne!(sealed, v.seal(SLOT, "张小明").expect("seal"));
    }

    #[test]
    fn a_value_does_not_open_in_another_slot_or_under_another_key() {
        let v = vault();
        let sealed = v.seal(SLOT, "张小明").expect("seal");
        let other_row = Slot { row: "r2", ..SLOT };
        let other_field = Slot {
            field: "guardian_name",
            ..SLOT
        };
        assert!(v.open(other_row, &sealed).is_err());
        assert!(v.open(other_field, &sealed).is_err());
        assert!(vault().open(SLOT, &sealed).is_err());
        let mut damaged = sealed.clone();
        if let Some(last) = damaged.last_mut() {
            *last ^= 1;
        }
        assert!(v.open(SLOT, &damaged).is_err());
        assert!(v.open(SLOT, &[]).is_err());
    }

    #[test]
    fn keys_parse_from_base64_or_hex_and_never_print() {
        let key = VaultKey::generate().expect("random");
        let text = key.encode();
        let again = VaultKey::parse(&text).expect("base64");
        assert_eq!(
            Vault::new(&key).fingerprint(),
            Vault::new(&again).fingerprint()
        );
        let hexed = hex::encode(key.0.as_ref());
        assert!(VaultKey::parse(&hexed).is_ok());
        assert!(VaultKey::parse("too short").is_err());
        assert_eq!(format!("{key:?}"), "VaultKey(<redacted>)");
        assert!(!format!("{:?}", Vault::new(&key)).contains(text.as_str()));
    }

    #[test]
    fn blind_index_is_keyed_and_separated_by_domain() {
        let v = vault();
        let a = v.blind_index("id_number", "500235201503121234");
        assert_eq!(a, v.blind_index("id_number", "500235201503121234"));
        assert_ne!(a, v.blind_index("village", "500235201503121234"));
        assert_ne!(a, vault().blind_index("id_number", "500235201503121234"));
        assert!(!a.contains("500235"));
    }
}
