//! The small condition language of the entitlement rules: which files a
//! rule holds for, written over the fields a file keeps.
//!
//! ```text
//! expr    := term ("or" term)*
//! term    := factor ("and" factor)*
//! factor  := "not" factor | "(" expr ")" | compare | flag
//! compare := field ("=" | "!=" | "<" | "<=" | ">" | ">=") value
//!          | field "in" "[" value ("," value)* "]"
//!          | field "in" INT ".." INT            (both ends included)
//! flag    := a difficulty code (orphan, poverty…) or suspected_disability
//! ```
//!
//! Fields: `age` (whole years on the day of the check) and
//! `disability_grade` (1–4) are numbers; `poverty_type`, `disability_type`,
//! `unsupported_reason` and `school_status` take the codes of their lists.
//! A comparison with a value the file does not have (no disability, school
//! status not recorded) is false, and so is its negation's comparison: use
//! `not (…)` to ask for "anything but". Everything is checked when the rules
//! are read: an unknown field, a value outside its list, a number compared
//! with a code, a stray token.

use std::fmt;

use super::super::child::{
    Difficulty, DisabilityType, PovertyType, SchoolStatus, UnsupportedReason,
};
use super::Facts;

/// A number field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberField {
    Age,
    DisabilityGrade,
}

/// A field that takes the codes of one list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeField {
    PovertyType,
    DisabilityType,
    UnsupportedReason,
    SchoolStatus,
}

/// A yes/no fact of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    Difficulty(Difficulty),
    SuspectedDisability,
}

/// How a number is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A parsed condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Flag(Flag),
    Number(NumberField, Cmp, i64),
    NumberIn(NumberField, i64, i64),
    /// A code field equal to (`true`) or different from (`false`) a code.
    Code(CodeField, bool, &'static str),
    CodeIn(CodeField, Vec<&'static str>),
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
}

/// Why a condition could not be read; the message is for the county's
/// administrator who edits the rules file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionError(pub String);

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Int(i64),
    Sym(&'static str),
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Word(w) => write!(f, "“{w}”"),
            Token::Int(n) => write!(f, "{n}"),
            Token::Sym(s) => write!(f, "“{s}”"),
        }
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, ConditionError> {
    const SYMBOLS: [&str; 11] = ["!=", "<=", ">=", "..", "=", "<", ">", "(", ")", "[", "]"];
    let mut out = Vec::new();
    let mut rest = text;
    'outer: while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == ',' {
            out.push(Token::Sym(","));
            rest = &rest[1..];
            continue;
        }
        for sym in SYMBOLS {
            if let Some(after) = rest.strip_prefix(sym) {
                out.push(Token::Sym(sym));
                rest = after;
                continue 'outer;
            }
        }
        if c.is_ascii_digit() {
            let end = rest
                .find(|ch: char| !ch.is_ascii_digit())
                .unwrap_or(rest.len());
            let n = rest[..end]
                .parse()
                .map_err(|_| ConditionError(format!("数字“{}”太大", &rest[..end])))?;
            out.push(Token::Int(n));
            rest = &rest[end..];
            continue;
        }
        if c.is_ascii_lowercase() || c == '_' {
            let end = rest
                .find(|ch: char| !(ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'))
                .unwrap_or(rest.len());
            out.push(Token::Word(rest[..end].to_owned()));
            rest = &rest[end..];
            continue;
        }
        return Err(ConditionError(format!("无法识别的字符“{c}”")));
    }
    Ok(out)
}

/// The codes of a code field's list.
fn codes(field: CodeField) -> Vec<&'static str> {
    fn all<T: Copy>(list: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        list.iter().map(|&v| code(v)).collect()
    }
    match field {
        CodeField::PovertyType => all(PovertyType::ALL, PovertyType::as_str),
        CodeField::DisabilityType => all(DisabilityType::ALL, DisabilityType::as_str),
        CodeField::UnsupportedReason => all(UnsupportedReason::ALL, UnsupportedReason::as_str),
        CodeField::SchoolStatus => all(SchoolStatus::ALL, SchoolStatus::as_str),
    }
}

enum Field {
    Number(NumberField),
    Code(CodeField),
    Flag(Flag),
}

fn field(word: &str) -> Option<Field> {
    Some(match word {
        "age" => Field::Number(NumberField::Age),
        "disability_grade" => Field::Number(NumberField::DisabilityGrade),
        "poverty_type" => Field::Code(CodeField::PovertyType),
        "disability_type" => Field::Code(CodeField::DisabilityType),
        "unsupported_reason" => Field::Code(CodeField::UnsupportedReason),
        "school_status" => Field::Code(CodeField::SchoolStatus),
        "suspected_disability" => Field::Flag(Flag::SuspectedDisability),
        other => Field::Flag(Flag::Difficulty(other.parse::<Difficulty>().ok()?)),
    })
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    fn expect(&mut self, sym: &'static str) -> Result<(), ConditionError> {
        match self.next() {
            Some(Token::Sym(s)) if s == sym => Ok(()),
            Some(other) => Err(ConditionError(format!("此处应为“{sym}”，却是{other}"))),
            None => Err(ConditionError(format!("条件不完整：缺少“{sym}”"))),
        }
    }

    fn expr(&mut self) -> Result<Condition, ConditionError> {
        let mut parts = vec![self.term()?];
        while self.is_word("or") {
            self.at += 1;
            parts.push(self.term()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Condition::Or(parts)
        })
    }

    fn term(&mut self) -> Result<Condition, ConditionError> {
        let mut parts = vec![self.factor()?];
        while self.is_word("and") {
            self.at += 1;
            parts.push(self.factor()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Condition::And(parts)
        })
    }

    fn factor(&mut self) -> Result<Condition, ConditionError> {
        match self.next() {
            Some(Token::Word(w)) if w == "not" => Ok(Condition::Not(Box::new(self.factor()?))),
            Some(Token::Sym("(")) => {
                let inner = self.expr()?;
                self.expect(")")?;
                Ok(inner)
            }
            Some(Token::Word(w)) => self.about(&w),
            Some(other) => Err(ConditionError(format!("此处应为字段，却是{other}"))),
            None => Err(ConditionError("条件不完整：缺少字段".into())),
        }
    }

    fn about(&mut self, word: &str) -> Result<Condition, ConditionError> {
        match field(word) {
            None => Err(ConditionError(format!("未知的字段“{word}”"))),
            Some(Field::Flag(flag)) => Ok(Condition::Flag(flag)),
            Some(Field::Number(f)) => self.number(word, f),
            Some(Field::Code(f)) => self.code(word, f),
        }
    }

    fn int(&mut self, word: &str) -> Result<i64, ConditionError> {
        match self.next() {
            Some(Token::Int(n)) => Ok(n),
            Some(other) => Err(ConditionError(format!(
                "字段“{word}”是数字，不能与{other}比较"
            ))),
            None => Err(ConditionError(format!("字段“{word}”缺少比较的数字"))),
        }
    }

    fn number(&mut self, word: &str, f: NumberField) -> Result<Condition, ConditionError> {
        let op = match self.next() {
            Some(Token::Sym("=")) => Cmp::Eq,
            Some(Token::Sym("!=")) => Cmp::Ne,
            Some(Token::Sym("<")) => Cmp::Lt,
            Some(Token::Sym("<=")) => Cmp::Le,
            Some(Token::Sym(">")) => Cmp::Gt,
            Some(Token::Sym(">=")) => Cmp::Ge,
            Some(Token::Word(w)) if w == "in" => {
                let low = self.int(word)?;
                self.expect("..")?;
                let high = self.int(word)?;
                if low > high {
                    return Err(ConditionError(format!("范围 {low}..{high} 为空")));
                }
                return Ok(Condition::NumberIn(f, low, high));
            }
            Some(other) => {
                return Err(ConditionError(format!(
                    "字段“{word}”后应为比较符号，却是{other}"
                )));
            }
            None => return Err(ConditionError(format!("字段“{word}”后缺少比较"))),
        };
        Ok(Condition::Number(f, op, self.int(word)?))
    }

    fn code_value(&mut self, word: &str, f: CodeField) -> Result<&'static str, ConditionError> {
        let known = codes(f);
        match self.next() {
            Some(Token::Word(w)) => known.iter().copied().find(|c| *c == w).ok_or_else(|| {
                ConditionError(format!(
                    "字段“{word}”没有取值“{w}”（可用：{}）",
                    known.join("、")
                ))
            }),
            Some(other) => Err(ConditionError(format!(
                "字段“{word}”取代码值，不能与{other}比较"
            ))),
            None => Err(ConditionError(format!("字段“{word}”缺少取值"))),
        }
    }

    fn code(&mut self, word: &str, f: CodeField) -> Result<Condition, ConditionError> {
        match self.next() {
            Some(Token::Sym("=")) => Ok(Condition::Code(f, true, self.code_value(word, f)?)),
            Some(Token::Sym("!=")) => Ok(Condition::Code(f, false, self.code_value(word, f)?)),
            Some(Token::Word(w)) if w == "in" => {
                self.expect("[")?;
                let mut values = vec![self.code_value(word, f)?];
                while matches!(self.peek(), Some(Token::Sym(","))) {
                    self.at += 1;
                    values.push(self.code_value(word, f)?);
                }
                self.expect("]")?;
                Ok(Condition::CodeIn(f, values))
            }
            Some(other) => Err(ConditionError(format!(
                "字段“{word}”后应为 =、!= 或 in，却是{other}"
            ))),
            None => Err(ConditionError(format!("字段“{word}”后缺少比较"))),
        }
    }
}

impl Condition {
    /// Reads and checks a condition.
    pub fn parse(text: &str) -> Result<Condition, ConditionError> {
        let tokens = tokens(text)?;
        if tokens.is_empty() {
            return Err(ConditionError("条件为空".into()));
        }
        let mut parser = Parser { tokens, at: 0 };
        let condition = parser.expr()?;
        match parser.next() {
            None => Ok(condition),
            Some(extra) => Err(ConditionError(format!("多余的内容：{extra}"))),
        }
    }

    /// Whether the condition holds for `facts`.
    pub fn holds(&self, facts: &Facts) -> bool {
        match self {
            Condition::Flag(Flag::Difficulty(d)) => facts.difficulties.contains(d),
            Condition::Flag(Flag::SuspectedDisability) => facts.suspected_disability,
            Condition::Number(f, op, n) => number_of(facts, *f).is_some_and(|v| match op {
                Cmp::Eq => v == *n,
                Cmp::Ne => v != *n,
                Cmp::Lt => v < *n,
                Cmp::Le => v <= *n,
                Cmp::Gt => v > *n,
                Cmp::Ge => v >= *n,
            }),
            Condition::NumberIn(f, low, high) => {
                number_of(facts, *f).is_some_and(|v| (*low..=*high).contains(&v))
            }
            Condition::Code(f, equal, code) => {
                code_of(facts, *f).is_some_and(|v| (v == *code) == *equal)
            }
            Condition::CodeIn(f, list) => code_of(facts, *f).is_some_and(|v| list.contains(&v)),
            Condition::Not(inner) => !inner.holds(facts),
            Condition::And(parts) => parts.iter().all(|p| p.holds(facts)),
            Condition::Or(parts) => parts.iter().any(|p| p.holds(facts)),
        }
    }

    /// Whether the condition reads the child's age (then it can change
    /// with a birthday, without any write to the file).
    pub fn reads_age(&self) -> bool {
        match self {
            Condition::Number(NumberField::Age, ..) | Condition::NumberIn(NumberField::Age, ..) => {
                true
            }
            Condition::Not(inner) => inner.reads_age(),
            Condition::And(parts) | Condition::Or(parts) => parts.iter().any(Condition::reads_age),
            _ => false,
        }
    }
}

fn number_of(facts: &Facts, f: NumberField) -> Option<i64> {
    match f {
        NumberField::Age => facts.age.map(i64::from),
        NumberField::DisabilityGrade => facts.disability_grade.map(i64::from),
    }
}

fn code_of(facts: &Facts, f: CodeField) -> Option<&'static str> {
    match f {
        CodeField::PovertyType => facts.poverty_type.map(PovertyType::as_str),
        CodeField::DisabilityType => facts.disability_type.map(DisabilityType::as_str),
        CodeField::UnsupportedReason => facts.unsupported_reason.map(UnsupportedReason::as_str),
        CodeField::SchoolStatus => facts.school_status.map(SchoolStatus::as_str),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            age: Some(10),
            difficulties: vec![Difficulty::Poverty],
            poverty_type: Some(PovertyType::MinimumLiving),
            ..Facts::default()
        }
    }

    #[test]
    fn conditions_read_and_hold_as_written() {
        let c = Condition::parse(
            "poverty and age in 6..15 and poverty_type in [minimum_living, extreme_poverty]",
        )
        .expect("valid");
        assert!(c.holds(&facts()));
        assert!(c.reads_age());
        let c = Condition::parse("orphan or (poverty and not disability)").expect("valid");
        assert!(c.holds(&facts()));
        assert!(!c.reads_age());
        let c = Condition::parse("disability_grade <= 2").expect("valid");
        assert!(!c.holds(&facts()), "no disability: false");
        assert!(
            Condition::parse("not disability_grade <= 2")
                .expect("valid")
                .holds(&facts())
        );
        let c = Condition::parse("school_status != enrolled").expect("valid");
        assert!(!c.holds(&facts()), "school status not recorded: false");
    }

    #[test]
    fn malformed_conditions_are_refused_with_what_is_wrong() {
        for (text, part) in [
            ("", "为空"),
            ("height < 3", "未知的字段“height”"),
            ("poverty_type = rich", "没有取值“rich”"),
            ("age = old", "是数字"),
            ("poverty_type < 3", "后应为 =、!= 或 in"),
            ("orphan and", "缺少字段"),
            ("(orphan", "缺少“)”"),
            ("orphan orphan", "多余的内容"),
            ("age in 9..3", "为空"),
            ("age < 16 ；", "无法识别的字符"),
        ] {
            let err = Condition::parse(text).expect_err(text);
            assert!(err.0.contains(part), "{text}: {}", err.0);
        }
    }
}
