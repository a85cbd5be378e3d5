//! The file form, for a new file and for changing one. When changing, the
//! personal fields are shown empty with their masked value beside them:
//! the stored values never go back into a form, and an empty field keeps
//! what is stored.

use maud::{Markup, html};

use crate::db::entities::child;
use crate::domain::Invalid;
use crate::domain::child::{
    Difficulty, DifficultyInput, DisabilityType, Gender, PovertyType, SchoolStatus,
    UnsupportedReason, VaultField,
};
use crate::services::children::ChildInput;
use crate::services::children::view::FileView;

use super::super::components::{
    Choice, FieldLabels, checkboxes_with, coded_options, csrf_field, error_summary, select,
    select_with, text_area_with, text_field,
};
use super::super::layout::{PageCtx, page};

/// The fields of the form, for its error summary.
const FILE_LABELS: &FieldLabels = &[
    ("name", "姓名"),
    ("id_number", "身份证号码"),
    ("gender", "性别"),
    ("township", "乡镇（街道）"),
    ("village", "村（社区）"),
    ("address", "住址"),
    ("school", "学校"),
    ("guardian_name", "监护人姓名"),
    ("guardian_relation", "与儿童的关系"),
    ("guardian_phone", "监护人电话"),
    ("difficulties", "困境类型"),
    ("poverty_type", "救助类型"),
    ("disability_type", "残疾类别"),
    ("disability_grade", "残疾等级"),
    ("unsupported_reason", "无人抚养原因"),
    ("illness", "疾病名称"),
    ("school_status", "就学状态"),
    ("suspected_disability", "疑似残疾"),
    ("consent", "监护人同意"),
    ("statutory_basis", "法定依据"),
];

/// Everything the file form shows.
pub struct FileForm<'a> {
    /// The values typed (or, when changing, the stored non-personal ones).
    pub input: &'a ChildInput,
    pub townships: &'a [(String, String)],
    pub villages: &'a [(String, String)],
    /// The file being changed, masked; `None` for a new file.
    pub existing: Option<&'a FileView>,
    pub errors: &'a Invalid,
    /// Whether the caller may record a statutory basis (township officers).
    pub may_record_statutory_basis: bool,
    /// The mandatory report (its id and reference) the new file is for.
    pub report: Option<(&'a str, &'a str)>,
}

/// The stored non-personal values of a file, as form input; the personal
/// ones stay `None` (shown masked, kept when left empty).
pub fn prefill(c: &child::Model) -> ChildInput {
    ChildInput {
        gender: Some(c.gender.clone()),
        township: Some(c.township_code.clone()),
        guardian_relation: c.guardian_relation.clone(),
        school: c.school.clone(),
        difficulties: Some(DifficultyInput {
            kinds: c
                .difficulties
                .iter()
                .map(|d| d.as_str().to_owned())
                .collect(),
            poverty_type: c.poverty_type.clone(),
            disability_type: c.disability_type.clone(),
            disability_grade: c.disability_grade.map(i64::from),
            unsupported_reason: c.unsupported_reason.clone(),
            illness: c.illness.clone(),
        }),
        school_status: c.school_status.map(|s| s.as_str().to_owned()),
        suspected_disability: Some(c.suspected_disability),
        consent_keep_file: Some(c.statutory_basis.is_none() && c.consent_keep_file),
        consent_publish_needs: Some(c.statutory_basis.is_none() && c.consent_publish_needs),
        statutory_basis: c.statutory_basis.clone(),
        ..ChildInput::default()
    }
}

const GRADES: [(&str, &str); 4] = [("1", "一级"), ("2", "二级"), ("3", "三级"), ("4", "四级")];

/// A personal text field: when changing a file it starts empty, with the
/// masked stored value as placeholder and hint.
#[expect(
    clippy::too_many_arguments,
    reason = "one call per form field reads best flat"
)]
fn personal_field(
    name: &str,
    label: &str,
    kind: &str,
    value: &str,
    errors: &Invalid,
    existing: Option<&FileView>,
    field: VaultField,
    required: bool,
) -> Markup {
    let Some(file) = existing else {
        return text_field(name, label, kind, value, errors, None, required);
    };
    let masked = file
        .field(field)
        .and_then(|f| f.value.as_deref())
        .unwrap_or("（未填写）");
    let error = errors.message_for(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(name) { (label) }
            p.hint { "当前：" (masked) "。留空则保持不变。" }
            input id=(name) name=(name) type=(kind) value=(value) placeholder=(masked)
                autocomplete="off" aria-invalid=[error.map(|_| "true")];
            @if let Some(error) = error { p.error { (error) } }
        }
    }
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

fn difficulty_fields(input: &ChildInput, errors: &Invalid) -> Markup {
    let empty = DifficultyInput::default();
    let d = input.difficulties.as_ref().unwrap_or(&empty);
    let grades: Vec<(String, String)> = GRADES
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect();
    let grade = d
        .disability_grade
        .map(|g| g.to_string())
        .unwrap_or_default();
    let when = |hint| Choice {
        hint: Some(hint),
        empty: "（不适用）",
        required: false,
    };
    html! {
        (checkboxes_with("difficulties", "困境类型",
            &coded_options(Difficulty::ALL, Difficulty::as_str, Difficulty::label),
            &d.kinds, errors, Some("可多选；所选类型请在下面填写相应情况"), true))
        div.details {
            (select_with("poverty_type", "救助类型",
                &coded_options(PovertyType::ALL, PovertyType::as_str, PovertyType::label),
                text(&d.poverty_type), errors, &when("选择“家庭经济困难”时填写")))
            (select_with("disability_type", "残疾类别",
                &coded_options(DisabilityType::ALL, DisabilityType::as_str, DisabilityType::label),
                text(&d.disability_type), errors, &when("选择“自身残疾”时填写，以残疾人证为准")))
            (select_with("disability_grade", "残疾等级", &grades, &grade, errors,
                &when("选择“自身残疾”时填写")))
            (select_with("unsupported_reason", "无人抚养原因",
                &coded_options(UnsupportedReason::ALL, UnsupportedReason::as_str, UnsupportedReason::label),
                text(&d.unsupported_reason), errors, &when("选择“事实无人抚养”时填写")))
            (text_field("illness", "疾病名称", "text", text(&d.illness), errors,
                Some("选择“重病”时填写"), false))
        }
    }
}

fn legal_basis(input: &ChildInput, errors: &Invalid, statutory: bool) -> Markup {
    let mut consent = Vec::new();
    if input.consent_keep_file == Some(true) {
        consent.push("keep_file".to_owned());
    }
    if input.consent_publish_needs == Some(true) {
        consent.push("publish_needs".to_owned());
    }
    let options = vec![
        ("keep_file".to_owned(), "监护人同意保存档案".to_owned()),
        (
            "publish_needs".to_owned(),
            "监护人同意发布匿名需求".to_owned(),
        ),
    ];
    html! {
        h2 { "法律依据" }
        @if statutory {
            p.hint { "儿童个人信息属于敏感个人信息。请取得监护人的书面同意（两项分别同意），或在监护人无法、不宜同意时填写法定依据，二者选其一。" }
        } @else {
            p.hint { "儿童个人信息属于敏感个人信息。请取得监护人的书面同意（两项分别同意）。监护人无法、不宜同意（孤儿、事实无人抚养、监护缺失或监护不当）的，法定依据由乡镇（街道）民政干部登记，请联系乡镇民政办建档。" }
        }
        (checkboxes_with("consent", "监护人同意", &options, &consent, errors,
            Some("未同意发布匿名需求的，可以建档，但不能发布需求"), false))
        @if statutory {
            (text_area_with("statutory_basis", "法定依据", text(&input.statutory_basis), errors,
                Some("仅限孤儿、事实无人抚养、监护缺失或监护不当的儿童：写明法律条文及情况说明，例如《未成年人保护法》第九十二条。有监护人同意时不填。"), false))
        }
    }
}

pub fn file_form(ctx: &PageCtx<'_>, form: &FileForm<'_>) -> Markup {
    let input = form.input;
    let errors = form.errors;
    let existing = form.existing;
    let (title, action) = match existing {
        Some(file) => (
            format!("修改档案 {}", file.child.file_no),
            format!("/children/{}/edit", file.child.id),
        ),
        None => match form.report {
            Some((id, reference)) => (
                format!("为报告 {reference} 建立儿童档案"),
                format!("/reports/{id}/file"),
            ),
            None => ("新建儿童档案".to_owned(), "/children".to_owned()),
        },
    };
    let village_choice = Choice {
        hint: existing.map(|_| "当前：（已隐藏）。不选则保持不变。"),
        empty: if existing.is_some() {
            "（保持不变）"
        } else {
            "请选择"
        },
        required: existing.is_none(),
    };
    page(
        &title,
        ctx,
        html! {
            @if existing.is_none() {
                p { "带 * 的为必填项。姓名、身份证号码、住址、监护人姓名和电话加密保存，平时只显示遮挡后的内容。" }
            } @else {
                p { "姓名、身份证号码等个人信息不会填入表单：需要修改时才填写，留空则保持不变。" }
            }
            (error_summary(errors, FILE_LABELS))
            form.card method="post" action=(action) novalidate {
                (csrf_field(ctx.csrf))
                h2 { "儿童基本情况" }
                (personal_field("name", "姓名", "text", text(&input.name), errors, existing, VaultField::Name, existing.is_none()))
                (personal_field("id_number", "身份证号码", "text", text(&input.id_number), errors, existing, VaultField::IdNumber, existing.is_none()))
                (select("gender", "性别", &coded_options(Gender::ALL, Gender::as_str, Gender::label), text(&input.gender), errors))
                (select("township", "乡镇（街道）", form.townships, text(&input.township), errors))
                (select_with("village", "村（社区）", form.villages, text(&input.village), errors, &village_choice))
                (personal_field("address", "住址", "text", text(&input.address), errors, existing, VaultField::Address, false))
                (text_field("school", "学校", "text", text(&input.school), errors, Some("在读学校或幼儿园，未入学的不填"), false))
                h2 { "监护人" }
                (personal_field("guardian_name", "监护人姓名", "text", text(&input.guardian_name), errors, existing, VaultField::GuardianName, false))
                (text_field("guardian_relation", "与儿童的关系", "text", text(&input.guardian_relation), errors, Some("例如：祖母、父亲、叔叔"), false))
                (personal_field("guardian_phone", "监护人电话", "tel", text(&input.guardian_phone), errors, existing, VaultField::GuardianPhone, false))
                h2 { "困境情况" }
                (difficulty_fields(input, errors))
                (select_with("school_status", "就学状态",
                    &coded_options(SchoolStatus::ALL, SchoolStatus::as_str, SchoolStatus::label),
                    text(&input.school_status), errors,
                    &Choice { hint: Some("保障规则据此判断控辍保学和教育资助"), empty: "（未填写）", required: false }))
                div.field {
                    label.check {
                        input type="checkbox" name="suspected_disability" value="yes"
                            checked[input.suspected_disability == Some(true)];
                        " 疑似残疾、尚未确诊（可申请免费筛查和诊断补贴）"
                    }
                }
                p.hint { "已享受的救助和保障在档案页的“保障待遇”中登记（开始日期、金额、审批文号）。" }
                (legal_basis(input, errors, form.may_record_statutory_basis))
                button type="submit" { @if existing.is_some() { "保存修改" } @else { "保存档案" } }
                @if let Some(file) = existing {
                    " " a href={ "/children/" (file.child.id) } { "取消" }
                }
            }
        },
    )
}
