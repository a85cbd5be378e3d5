//! Pure rules and types of CareBridge: identifiers with checksums, region
//! codes, roles, account rules and the state machines of the workflows.
//!
//! Nothing here imports axum, maud or any other module of the app, and
//! sea-orm only behind the `sea-orm` feature, for the column mappings of
//! the coded enums (`columns`):
//! these types are the vocabulary the other layers speak, and they are tested
//! on their own. Domain types do not derive `Deserialize`; raw input is parsed
//! into them (`parse`, `TryFrom`) at the edge.

pub mod allocation;
pub mod audit;
pub mod category;
pub mod child;
pub(crate) mod coded;
#[cfg(feature = "sea-orm")]
pub mod columns;
pub mod credit_code;
pub mod dates;
pub mod department;
pub mod disclosure;
pub mod entitlement;
pub mod escalation;
pub mod family;
pub mod id_number;
pub mod inbox;
pub mod indicator;
pub mod invalid;
pub mod matching;
pub mod need;
pub mod notification;
pub mod offer;
pub mod outcome;
pub mod period;
pub mod phone;
pub mod projection;
pub mod provider;
pub mod referral;
pub mod region;
pub mod report;
pub mod role;
pub mod scoring;
pub mod text_check;
pub mod throttle;
pub mod timeline;
pub mod user;

pub use credit_code::CreditCode;
pub use id_number::IdNumber;
pub use invalid::{FieldError, Invalid};
pub use role::Role;
