//! A macro for the many closed lists of the domain (categories, difficulty
//! types, statuses): each value has a stable code used in the API and the
//! database, and a Chinese label shown to people.

/// An unknown code: the message names the list it should have come from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownCode(pub &'static str);

/// Declares a fieldless enum with `ALL`, `as_str` (the stable code),
/// `label` (Chinese) and `FromStr` (from the code).
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($unknown:literal) {
            $($(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code used in the API and the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The Chinese label shown to people.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// The codes of the values for which `keep` holds, for queries
            /// that filter by them.
            pub fn codes_where(keep: impl Fn(Self) -> bool) -> Vec<&'static str> {
                Self::ALL
                    .iter()
                    .copied()
                    .filter(|v| keep(*v))
                    .map(Self::as_str)
                    .collect()
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::coded::UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or($crate::coded::UnknownCode($unknown))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use coded_enum;
