//! What the audit log's codes mean to the people who read it: one Chinese
//! name per action, and the kind of object a target (`kind:id`) names with
//! the page it lives on. The stored chain keeps its codes; only what the
//! page shows is translated, here and nowhere else.

/// Every action the portal audits, with its Chinese name.
pub const ACTIONS: &[(&str, &str)] = &[
    ("session.login", "登录"),
    ("session.logout", "退出登录"),
    ("user.create", "开设账号"),
    ("user.disable", "停用账号"),
    ("provider.register", "服务机构注册"),
    ("provider.decide", "审核服务机构"),
    ("provider.verify", "认证服务机构"),
    ("family.apply", "爱心家庭申请"),
    ("family.assessment", "走访评估爱心家庭"),
    ("family.decide", "审批爱心家庭"),
    ("child.create", "新建儿童档案"),
    ("child.update", "修改儿童档案"),
    ("child.view", "查看儿童档案（遮挡）"),
    ("child.reveal", "查看儿童个人信息"),
    ("child.list", "浏览档案列表"),
    ("child.search", "搜索档案"),
    ("child.filed_elsewhere", "跨辖区身份证号查询"),
    ("child.visit", "登记走访"),
    ("child.complete", "完善档案"),
    ("child.close", "结档"),
    ("need.create", "登记需求"),
    ("need.update", "修改需求"),
    ("need.publish", "发布需求"),
    ("need.unpublish", "停止公开需求"),
    ("need.close", "关闭需求"),
    ("need.follow_matches", "需求随对接更新"),
    ("offer.create", "发布服务"),
    ("offer.update", "修改服务"),
    ("offer.pause", "暂停服务"),
    ("offer.resume", "恢复服务"),
    ("offer.close", "结束服务"),
    ("match.propose", "提出对接"),
    ("match.suggest", "推荐对接"),
    ("match.accept", "接受推荐"),
    ("match.approve", "批准对接"),
    ("match.reject", "不予批准对接"),
    ("match.withdraw", "撤回对接"),
    ("match.cancel", "取消对接"),
    ("match.services", "登记服务"),
    ("match.complete", "确认对接完成"),
    ("match.handover", "填写交接说明"),
    ("match.continue", "决定继续服务"),
    ("report.file", "接收强制报告"),
    ("report.view", "查看强制报告"),
    ("report.assign", "受理强制报告"),
    ("report.respond", "记录首次响应"),
    ("report.assess", "记录风险评估"),
    ("report.decide", "作出处置决定"),
    ("report.intervene", "记录干预措施"),
    ("report.link", "报告关联儿童档案"),
    ("report.follow_up", "报告回访"),
    ("report.close", "报告结案"),
    ("report.overdue", "报告超过首次响应时限"),
    ("report.escalate", "报告上报县级督办"),
    ("vault.key", "创建身份信息密钥"),
    ("vault.rotate_key", "更换身份信息密钥"),
    ("regions.load", "载入行政区划"),
    ("entitlement.record", "登记享受保障"),
    ("entitlement.end", "登记停止保障"),
    ("entitlement.view", "查看保障待遇"),
    ("entitlement.gaps", "浏览应享未享名单"),
    ("ledger.export", "导出信息台账（不含身份信息）"),
    ("ledger.export_identity", "导出含身份信息的台账"),
    ("referral.create", "转介部门"),
    ("referral.view", "查看转介"),
    ("referral.reveal", "部门查看儿童个人信息"),
    ("referral.list", "浏览转介"),
    ("referral.accept", "受理转介"),
    ("referral.comment", "转介留言"),
    ("referral.grant", "转介已落实"),
    ("referral.refuse", "转介不予办理"),
    ("referral.return", "转介退回乡镇"),
    ("referral.forward", "转介转其他部门"),
    ("referral.close", "转介办结"),
    ("intake.create", "一门受理登记"),
];

/// The Chinese name of action `code` (the code itself for one not listed,
/// so that nothing audited is ever hidden).
pub fn action_name(code: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
        .unwrap_or(code)
}

/// The Chinese name of an outcome code.
pub fn outcome_name(code: &str) -> &str {
    match code {
        "success" => "成功",
        "failure" => "失败",
        "denied" => "拒绝",
        other => other,
    }
}

/// The names of a file's fields, as a detail lists them (`fields: …`).
const FIELDS: &[(&str, &str)] = &[
    ("name", "姓名"),
    ("id_number", "身份证号码"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("township", "乡镇（街道）"),
    ("village", "村（社区）"),
    ("address", "住址"),
    ("guardian_name", "监护人姓名"),
    ("guardian_relation", "与监护人关系"),
    ("guardian_phone", "监护人电话"),
    ("school", "学校"),
    ("school_status", "就学状态"),
    ("suspected_disability", "疑似残疾"),
    ("difficulties", "困境类型"),
    ("assistance", "已享受的帮扶"),
    ("consent", "监护人同意"),
    ("status", "档案状态"),
];

/// The Chinese name of state `code` of the kind of object `noun` names.
fn state_name(noun: &str, code: &str) -> Option<&'static str> {
    use crate::{child, family, matching, need, offer, provider, report};
    match noun {
        "match" => code
            .parse::<matching::MatchStatus>()
            .ok()
            .map(|s| s.label()),
        "need" => code.parse::<need::NeedStatus>().ok().map(|s| s.label()),
        "offer" => code.parse::<offer::OfferStatus>().ok().map(|s| s.label()),
        "provider" => code
            .parse::<provider::ProviderStatus>()
            .ok()
            .map(|s| s.label()),
        "family" => code.parse::<family::FamilyStatus>().ok().map(|s| s.label()),
        "child" => code.parse::<child::FileStatus>().ok().map(|s| s.label()),
        "report" => code.parse::<report::ReportStatus>().ok().map(|s| s.label()),
        "referral" => code
            .parse::<crate::referral::ReferralStatus>()
            .ok()
            .map(|s| s.label()),
        _ => None,
    }
}

/// What the detail of an entry of `action` says, in the reader's words: a
/// change of state with the states' names, the fields of a file by name,
/// the basis of a publication; the ids of a proposal's need and offer are
/// left out (its object names the match). Anything else is shown as stored,
/// so that nothing audited is ever hidden.
pub fn detail_text(action: &str, detail: &str) -> String {
    let noun = action.split('.').next().unwrap_or("");
    detail
        .split("; ")
        .filter_map(|part| part_text(noun, part))
        .collect::<Vec<_>>()
        .join("；")
}

fn part_text(noun: &str, part: &str) -> Option<String> {
    if let Some((from, to)) = part.split_once(" -> ")
        && let (Some(from), Some(to)) = (state_name(noun, from), state_name(noun, to))
    {
        return Some(format!("{from} → {to}"));
    }
    if part.starts_with("need:") && part.contains(" offer:") {
        return None;
    }
    if let Some(fields) = part.strip_prefix("fields: ") {
        let named: Vec<&str> = fields
            .split(',')
            .map(|f| {
                FIELDS
                    .iter()
                    .find(|(code, _)| *code == f)
                    .map_or(f, |(_, name)| *name)
            })
            .collect();
        return Some(format!("字段：{}", named.join("、")));
    }
    if noun == "report"
        && let Some(text) = report_part(part)
    {
        return Some(text);
    }
    match part {
        "basis: guardian consent" => return Some("依据：监护人同意".into()),
        "basis: statutory basis" => return Some("依据：法定职责".into()),
        "guardian consent withdrawn" => return Some("监护人撤回同意".into()),
        _ => {}
    }
    Some(part.to_owned())
}

/// A part of a report's audit detail, in words.
fn report_part(part: &str) -> Option<String> {
    use crate::report::{
        Decision, InterventionKind, Placement, ReportStatus, RiskFactor, RiskLevel,
    };
    if let Ok(kind) = part.parse::<InterventionKind>() {
        return Some(kind.label().to_owned());
    }
    if let Some(code) = part.strip_prefix("placement ") {
        return code
            .parse::<Placement>()
            .ok()
            .map(|p| format!("照护方式：{}", p.label()));
    }
    let fixed = match part {
        "urgent" => Some("紧急"),
        "not urgent" => Some("非紧急"),
        "public" => Some("公众报告"),
        "staff" => Some("工作人员报告"),
        "police called" => Some("已报警"),
        "police not called" => Some("未报警"),
        "on time" => Some("按期回访"),
        "late" => Some("逾期回访"),
        _ => None,
    };
    if let Some(text) = fixed {
        return Some(text.to_owned());
    }
    if let Some(code) = part.strip_prefix("township ") {
        return Some(format!("乡镇 {code}"));
    }
    if let Some(code) = part.strip_prefix("decision ") {
        return code
            .parse::<Decision>()
            .ok()
            .map(|d| format!("决定：{}", d.label()));
    }
    if let Some(code) = part.strip_prefix("risk ") {
        return code
            .parse::<RiskLevel>()
            .ok()
            .map(|l| format!("风险：{}", l.label()));
    }
    if let Some(codes) = part.strip_prefix("factors ") {
        let named: Vec<&str> = codes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| c.parse::<RiskFactor>().map_or(c, |f| f.label()))
            .collect();
        return Some(format!(
            "因素：{}",
            if named.is_empty() {
                "无".to_owned()
            } else {
                named.join("、")
            }
        ));
    }
    if let Some(code) = part.strip_prefix("from ") {
        return code
            .parse::<ReportStatus>()
            .ok()
            .map(|s| format!("结案前：{}", s.label()));
    }
    if let Some(rest) = part.strip_prefix("first response after ") {
        return rest
            .strip_suffix(" min")
            .map(|m| format!("首次响应用时 {m} 分钟"));
    }
    None
}

/// The kinds of object a target names: `(kind, Chinese name, page path)`;
/// a target is `kind:id`.
const OBJECTS: &[(&str, &str, Option<&str>)] = &[
    ("child", "儿童档案", Some("/children/")),
    ("need", "需求", Some("/needs/")),
    ("offer", "服务", Some("/offers/")),
    ("match", "对接", Some("/matches/")),
    ("provider", "服务机构", Some("/providers/")),
    ("family", "爱心家庭", Some("/families/")),
    ("report", "强制报告", Some("/reports/")),
    ("referral", "转介", Some("/referrals/")),
    ("intake", "一门受理", Some("/intakes/")),
    ("user", "账号", None),
    ("username", "登录名", None),
];

/// One audited object as the page names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    /// The kind code (`child`, `offer`, …).
    pub kind: &'a str,
    pub id: &'a str,
    /// The kind's Chinese name (the code for one not listed).
    pub kind_name: &'a str,
    /// The object's page, for the kinds that have one.
    pub href: Option<String>,
}

/// A stored target (`child:…`, `offer:…`) as the page shows it; `None`
/// for a target without a kind (e.g. `children`, a list).
pub fn target(raw: &str) -> Option<Target<'_>> {
    let (kind, id) = raw.split_once(':')?;
    let known = OBJECTS.iter().find(|(k, _, _)| *k == kind);
    Some(Target {
        kind,
        id,
        kind_name: known.map(|(_, name, _)| *name).unwrap_or(kind),
        href: known
            .and_then(|(_, _, path)| *path)
            .map(|path| format!("{path}{id}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_name_states_fields_and_bases_and_keep_what_they_do_not_know() {
        assert_eq!(
            detail_text("match.approve", "township_approved -> approved"),
            format!(
                "{} → {}",
                crate::matching::MatchStatus::TownshipApproved.label(),
                crate::matching::MatchStatus::Approved.label()
            )
        );
        assert!(!detail_text("need.follow_matches", "published -> matched").contains("->"));
        assert_eq!(detail_text("match.propose", "need:3c84 offer:ff87"), "");
        assert_eq!(
            detail_text("child.create", "fields: name,guardian_phone"),
            "字段：姓名、监护人电话"
        );
        assert_eq!(
            detail_text("need.publish", "basis: guardian consent"),
            "依据：监护人同意"
        );
        let family = detail_text(
            "family.decide",
            "recommended -> approved; approved_until 2027-11-29",
        );
        assert!(family.ends_with("；approved_until 2027-11-29"), "{family}");
        assert!(!family.contains("recommended"), "{family}");
        // Unknown states and unknown details are shown as stored.
        assert_eq!(detail_text("match.approve", "made -> up"), "made -> up");
        assert_eq!(
            detail_text("user.create", "role=county_admin"),
            "role=county_admin"
        );
    }

    #[test]
    fn every_action_has_one_chinese_name() {
        for (code, name) in ACTIONS {
            assert!(code.contains('.'), "{code}");
            assert!(!name.is_ascii(), "{code} has no Chinese name");
            let twice = ACTIONS.iter().filter(|(c, _)| c == code).count();
            assert_eq!(twice, 1, "{code} listed twice");
        }
        assert_eq!(action_name("child.reveal"), "查看儿童个人信息");
        assert_eq!(action_name("made.up"), "made.up");
    }

    #[test]
    fn a_target_names_its_kind_and_links_to_its_page() {
        let t = target("child:5f0c").expect("target");
        assert_eq!((t.kind_name, t.id), ("儿童档案", "5f0c"));
        assert_eq!(t.href.as_deref(), Some("/children/5f0c"));
        let user = target("username:wang").expect("target");
        assert_eq!((user.kind_name, user.href), ("登录名", None));
        assert_eq!(target("children"), None);
    }
}
