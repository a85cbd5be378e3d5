//! Coded enums as sea-orm column values (the `sea-orm` feature): each is
//! stored as its code and read back through its parser. A code the domain
//! does not know, found in the database, is an error of the read
//! (`DbErr::Type`), never a silent default. The app's `db::columns` builds
//! its lists of codes on the [`Code`] trait.
//!
//! These impls must live in this crate: the orphan rule lets only the crate
//! that defines a type implement a foreign trait (sea-orm's) for it.

use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, StringLen, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

use crate::category::Category;
use crate::child::{Assistance, Difficulty, DifficultyClass, FileStatus, SchoolStatus};
use crate::department::Department;
use crate::family::{CareType, FamilyStatus};
use crate::matching::{MatchStatus, ProposedSide};
use crate::need::{NeedStatus, Urgency};
use crate::offer::OfferStatus;
use crate::provider::{ProviderKind, ProviderStatus};
use crate::referral::ReferralStatus;
use crate::report::{Decision, ReportStatus, ReporterKind, RiskLevel, StepKind};
use crate::role::Role;

/// The read error of a stored code this crate does not know.
pub fn unknown(name: &str, code: &str) -> DbErr {
    DbErr::Type(format!("unknown {name} code {code:?} in the database"))
}

/// A closed list of the domain with a stable code per value.
pub trait Code: Copy + std::str::FromStr + 'static {
    /// The list's name, for the error of an unknown stored code.
    const NAME: &'static str;
    fn code(self) -> &'static str;
}

/// Makes each listed type a string column of its codes.
macro_rules! coded_columns {
    ($($ty:ty),+ $(,)?) => {$(
        impl Code for $ty {
            const NAME: &'static str = stringify!($ty);
            fn code(self) -> &'static str {
                self.as_str()
            }
        }

        impl From<$ty> for Value {
            fn from(v: $ty) -> Value {
                Value::String(Some(v.as_str().to_owned()))
            }
        }

        impl TryGetable for $ty {
            fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
                let code = <String as TryGetable>::try_get_by(res, idx)?;
                code.parse()
                    .map_err(|_| TryGetError::DbErr(unknown(stringify!($ty), &code)))
            }
        }

        impl ValueType for $ty {
            fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
                match v {
                    Value::String(Some(code)) => code.parse().map_err(|_| ValueTypeErr),
                    _ => Err(ValueTypeErr),
                }
            }

            fn type_name() -> String {
                stringify!($ty).to_owned()
            }

            fn array_type() -> ArrayType {
                ArrayType::String
            }

            fn column_type() -> ColumnType {
                ColumnType::String(StringLen::None)
            }
        }

        impl Nullable for $ty {
            fn null() -> Value {
                Value::String(None)
            }
        }
    )+};
}

coded_columns!(
    Role,
    ProviderKind,
    ProviderStatus,
    FamilyStatus,
    CareType,
    FileStatus,
    Difficulty,
    DifficultyClass,
    Assistance,
    NeedStatus,
    Urgency,
    Category,
    OfferStatus,
    MatchStatus,
    ProposedSide,
    ReportStatus,
    ReporterKind,
    Decision,
    RiskLevel,
    StepKind,
    Department,
    SchoolStatus,
    ReferralStatus,
);
