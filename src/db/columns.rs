//! Domain types as column values, decided in one place for every table: a
//! coded enum (statuses, roles, categories…) is stored as its code and read
//! back through its parser; a list of codes as a JSON array of them. A code
//! the domain does not know, found in the database, is an error of the read
//! (`DbErr::Type`, which services turn into an internal error, logged),
//! the same everywhere — never a silent default.

use std::fmt;
use std::ops::Deref;

use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

// The coded enums' own column mappings live beside them in the domain
// crate (its `sea-orm` feature): Rust's orphan rule lets only the crate of a
// type implement sea-orm's traits for it.
pub use crate::domain::columns::Code;
use crate::domain::columns::unknown;

/// A list of codes stored as a JSON array of strings (a file's
/// difficulties, a family's care types…), decoded when the row is read.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeList<T>(pub Vec<T>);

impl<T> Default for CodeList<T> {
    fn default() -> Self {
        CodeList(Vec::new())
    }
}

impl<T: Code> CodeList<T> {
    fn encode(&self) -> String {
        let codes: Vec<&str> = self.0.iter().map(|c| c.code()).collect();
        serde_json::Value::from(codes).to_string()
    }

    fn decode(json: &str) -> Result<Self, DbErr> {
        let codes: Vec<String> = serde_json::from_str(json).map_err(|_| unknown(T::NAME, json))?;
        codes
            .iter()
            .map(|code| code.parse().map_err(|_| unknown(T::NAME, code)))
            .collect::<Result<Vec<T>, DbErr>>()
            .map(CodeList)
    }
}

impl<T> Deref for CodeList<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T> From<Vec<T>> for CodeList<T> {
    fn from(items: Vec<T>) -> Self {
        CodeList(items)
    }
}

impl<T: Code + fmt::Debug> fmt::Debug for CodeList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl<T: Code> From<CodeList<T>> for Value {
    fn from(list: CodeList<T>) -> Value {
        Value::String(Some(list.encode()))
    }
}

impl<T: Code> TryGetable for CodeList<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        let json = <String as TryGetable>::try_get_by(res, idx)?;
        Self::decode(&json).map_err(TryGetError::DbErr)
    }
}

impl<T: Code> ValueType for CodeList<T> {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        match v {
            Value::String(Some(json)) => Self::decode(&json).map_err(|_| ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        format!("CodeList<{}>", T::NAME)
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::Text
    }
}

impl<T: Code> Nullable for CodeList<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

/// A list of plain names stored as a JSON array of strings (the fields a
/// history entry names), decoded when the row is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameList(pub Vec<String>);

impl NameList {
    fn encode(&self) -> String {
        serde_json::Value::from(self.0.clone()).to_string()
    }

    fn decode(json: &str) -> Result<Self, DbErr> {
        serde_json::from_str(json)
            .map(NameList)
            .map_err(|_| unknown("NameList", json))
    }
}

impl Deref for NameList {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.0
    }
}

impl From<NameList> for Value {
    fn from(list: NameList) -> Value {
        Value::String(Some(list.encode()))
    }
}

impl TryGetable for NameList {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        let json = <String as TryGetable>::try_get_by(res, idx)?;
        Self::decode(&json).map_err(TryGetError::DbErr)
    }
}

impl ValueType for NameList {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        match v {
            Value::String(Some(json)) => Self::decode(&json).map_err(|_| ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "NameList".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::String
    }

    fn column_type() -> ColumnType {
        ColumnType::Text
    }
}

impl Nullable for NameList {
    fn null() -> Value {
        Value::String(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::child::Difficulty;
    use crate::domain::need::NeedStatus;

    #[test]
    fn a_code_list_round_trips_and_refuses_an_unknown_code() {
        let list = CodeList(vec![Difficulty::Poverty, Difficulty::Orphan]);
        let json = list.encode();
        assert_eq!(json, r#"["poverty","orphan"]"#);
        assert_eq!(CodeList::<Difficulty>::decode(&json).ok(), Some(list));
        assert!(CodeList::<Difficulty>::decode(r#"["poverty","martian"]"#).is_err());
        assert!(CodeList::<Difficulty>::decode("not json").is_err());
    }

    #[test]
    fn a_name_list_round_trips() {
        let list = NameList(vec!["name".into(), "school".into()]);
        assert_eq!(NameList::decode(&list.encode()).ok(), Some(list));
        assert!(NameList::decode("{").is_err());
    }

    #[test]
    fn a_status_is_written_as_its_code() {
        assert_eq!(
            Value::from(NeedStatus::Published),
            Value::String(Some("published".into()))
        );
        assert_eq!(
            <NeedStatus as ValueType>::try_from(Value::String(Some("draft".into()))).ok(),
            Some(NeedStatus::Draft)
        );
        assert!(<NeedStatus as ValueType>::try_from(Value::String(Some("x".into()))).is_err());
    }
}
