//! Words for the stored codes of a file: its categories with their
//! details, the legal basis, and the fields and actions of its history.

use crate::db::entities::child;
use crate::domain::child::{
    Difficulty, DisabilityType, PovertyType, UnsupportedReason, VaultField,
};

use super::label_of;

/// The categories of a file, each with its details, in words.
pub fn difficulty_lines(c: &child::Model) -> Vec<String> {
    c.difficulties
        .iter()
        .map(|&kind| {
            let label = kind.label();
            let detail = match kind {
                Difficulty::Poverty => c
                    .poverty_type
                    .as_deref()
                    .map(|p| label_of(p, PovertyType::label).to_owned()),
                Difficulty::Disability => c.disability_type.as_deref().map(|t| {
                    let grade = c.disability_grade.map(grade_label).unwrap_or("");
                    format!("{} {grade}", label_of(t, DisabilityType::label))
                }),
                Difficulty::Unsupported => c
                    .unsupported_reason
                    .as_deref()
                    .map(|r| label_of(r, UnsupportedReason::label).to_owned()),
                Difficulty::SeriousIllness => c.illness.clone(),
                _ => None,
            };
            match detail {
                Some(d) => format!("{label}（{}）", d.trim()),
                None => label.to_owned(),
            }
        })
        .collect()
}

fn grade_label(grade: i16) -> &'static str {
    match grade {
        1 => "一级",
        2 => "二级",
        3 => "三级",
        4 => "四级",
        _ => "",
    }
}

/// The label of a field code named in the history.
pub fn field_label(code: &str) -> &'static str {
    if let Ok(field) = code.parse::<VaultField>() {
        return field.label();
    }
    match code {
        "gender" => "性别",
        "township" => "乡镇（街道）",
        "guardian_relation" => "与监护人关系",
        "school" => "学校",
        "difficulties" => "困境类型",
        "assistance" => "已享受救助",
        "consent" => "法律依据",
        "status" => "状态",
        _ => "其他",
    }
}

/// The label of an action in the history.
pub fn action_label(action: &str) -> &'static str {
    match action {
        "child.create" => "建档",
        "child.update" => "修改",
        "child.complete" => "完善档案",
        "child.close" => "结档",
        "child.visit" => "登记走访",
        _ => "其他操作",
    }
}

/// The legal basis on record, in words.
pub fn basis_text(c: &child::Model) -> String {
    match &c.statutory_basis {
        Some(text) => format!("法定依据：{text}"),
        None => {
            let keep = if c.consent_keep_file {
                "监护人同意保存档案"
            } else {
                "监护人未同意保存档案"
            };
            let publish = if c.consent_publish_needs {
                "同意发布匿名需求"
            } else {
                "未同意发布匿名需求"
            };
            format!("{keep}；{publish}")
        }
    }
}
