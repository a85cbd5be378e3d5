//! Home pages: the public landing page and one per role.

use crate::views::status::status_badge;
use maud::{Markup, html};

use crate::db::entities::provider;
use crate::domain::Role;
use crate::domain::family::FamilyStatus;
use crate::domain::inbox::InboxKind;
use crate::domain::provider::ProviderStatus;
use crate::services::families::FamilyView;

use super::families::{Reader, approval_notice};
use super::layout::{PageCtx, page};

/// The search box of the landing page: a plain GET form to `/search`.
fn search_box() -> Markup {
    html! {
        form.search method="get" action="/search" role="search" {
            label for="q" { "搜索帮扶服务" }
            div.search-row {
                input id="q" name="q" type="search" placeholder="例如：康复、课业辅导、助学";
                button type="submit" { "搜索" }
            }
        }
    }
}

/// The cards of a provider or family: their offers (once they may post)
/// and the search.
fn offer_cards(may_post: bool) -> Markup {
    html! {
        div.cards {
            section.card {
                h2 { "我的服务" }
                @if may_post {
                    p { "发布、修改、暂停或结束您提供的帮扶服务。" }
                    ul.links {
                        li { a href="/offers/mine" { "我的服务" } }
                        li { a href="/offers/new" { "发布新服务" } }
                    }
                } @else {
                    p { "审核通过后即可发布帮扶服务。" }
                }
            }
            section.card {
                h2 { "搜索" }
                @if may_post {
                    p { "搜索其他机构的服务，以及乡镇（街道）发布的匿名化儿童需求。" }
                } @else {
                    p { "搜索已发布的帮扶服务。" }
                }
                a href="/search" { "去搜索" }
            }
        }
    }
}

pub fn landing(ctx: &PageCtx<'_>) -> Markup {
    page(
        "困境儿童关爱服务平台",
        ctx,
        html! {
            p.lead { "童心桥把慈善组织、社工机构、志愿服务队、群团组织、爱心企业和爱心家庭的帮扶资源，与需要帮助的困境儿童对接起来。儿童的身份信息只由负责的政府工作人员掌握。" }
            (search_box())
            div.cards {
                section.card {
                    h2 { "服务机构" }
                    p { "慈善组织、社会工作服务机构、志愿服务组织、工会和共青团志愿服务队、妇联、残联、关工委、企业，可在此注册，经县民政局审核后发布帮扶项目。" }
                    a.button href="/register/provider" { "机构注册" }
                }
                section.card {
                    h2 { "爱心家庭" }
                    p { "愿意为困境儿童提供家庭寄养、委托代养或爱心助养的家庭，可在此提交申请，乡镇将上门走访评估。" }
                    a.button href="/register/family" { "提交申请" }
                }
                section.card {
                    h2 { "工作人员" }
                    p { "县、乡镇（街道）民政干部和村（居）儿童福利督导员请登录。" }
                    a.button href="/login" { "登录" }
                }
            }
        },
    )
}

/// Counts shown on a staff member's home page.
pub struct StaffHome {
    pub pending_providers: u64,
    pub families_waiting: u64,
    pub township_name: Option<String>,
    pub village_name: Option<String>,
}

pub fn staff_home(ctx: &PageCtx<'_>, role: Role, data: &StaffHome) -> Markup {
    page(
        "工作台",
        ctx,
        html! {
            @if let Some(t) = &data.township_name { p { "所属乡镇（街道）：" (t) } }
            @if let Some(v) = &data.village_name { p { "所属村（社区）：" (v) } }
            div.cards {
                @if role == Role::CountyAdmin {
                    section.card {
                        h2 { "待审核机构" }
                        p.big { (data.pending_providers) }
                        a href="/providers?status=pending" { "去审核" }
                    }
                }
                @if matches!(role, Role::CountyAdmin | Role::TownshipOfficer) {
                    section.card {
                        h2 { (InboxKind::FamilyToAssess.label()) }
                        p.big { (data.families_waiting) }
                        a href="/families?status=submitted" { "查看" }
                    }
                }
                @if role == Role::VillageSupervisor {
                    section.card {
                        h2 { "儿童档案与走访" }
                        p { "为本村（社区）的困境儿童起草档案、登记走访；逾期未走访的档案排在列表前面。" }
                        ul.links {
                            li { a href="/children" { "儿童档案" } }
                            li { a href="/children/new" { "新建档案" } }
                        }
                    }
                    section.card {
                        h2 { "需求填报" }
                        p { "在儿童档案中登记需求，由乡镇（街道）核对后发布。" }
                        a href="/needs" { "查看需求" }
                    }
                }
                @if role == Role::TownshipOfficer {
                    section.card {
                        h2 { "儿童档案" }
                        p { "完善督导员起草的档案、登记走访、结档。" }
                        ul.links {
                            li { a href="/children?status=draft" { "待完善的档案" } }
                            li { a href="/children" { "全部档案" } }
                            li { a href="/children/new" { "新建档案" } }
                        }
                    }
                    section.card {
                        h2 { "需求" }
                        p { "核对并发布需求；发布后服务机构只看到匿名化的内容。" }
                        ul.links {
                            li { a href="/needs?status=draft" { "待发布的需求" } }
                            li { a href="/needs" { "全部需求" } }
                        }
                    }
                }
                @if role == Role::CountyAdmin {
                    section.card {
                        h2 { "儿童档案与需求" }
                        p { "查看全县的儿童档案（默认遮挡个人信息）和需求。" }
                        ul.links {
                            li { a href="/children" { "儿童档案" } }
                            li { a href="/needs" { "需求" } }
                        }
                    }
                }
            }
        },
    )
}

/// `may_post`: whether the provider may post offers now (the service decides).
pub fn provider_home(
    ctx: &PageCtx<'_>,
    provider: &provider::Model,
    townships: &[String],
    may_post: bool,
) -> Markup {
    let status = provider.status;
    page(
        "本机构",
        ctx,
        html! {
            section.card {
                h2 { (provider.name) }
                p { "审核状态：" (status_badge(status)) }
                @match status {
                    ProviderStatus::Pending => p { "您的注册已提交，县民政局审核后即可发布帮扶项目。" },
                    ProviderStatus::Rejected | ProviderStatus::Suspended => {
                        p { "原因：" (provider.decision_reason.as_deref().unwrap_or("（未填写）")) }
                        p { "如有疑问，请联系县民政局。" }
                    },
                    _ => p { "您的机构已通过认证。" },
                }
                p { "服务乡镇（街道）：" (townships.join("、")) }
            }
            (offer_cards(may_post))
        },
    )
}

/// The family's own page on `today`: its status, how its approval stands
/// (and when it must be assessed again), and its offers once approved.
/// `may_post`: whether the family may post offers now (the service decides).
pub fn family_home(ctx: &PageCtx<'_>, view: &FamilyView, may_post: bool) -> Markup {
    let family = &view.family;
    let status = family.status;
    let standing = view.standing;
    page(
        "我的申请",
        ctx,
        html! {
            section.card {
                h2 { (family.household_name) }
                p { "申请状态：" (status_badge(status)) }
                // What comes next, in a sentence: the state's name stays short.
                @match status {
                    FamilyStatus::Submitted => p { "乡镇（街道）民政干部将与您联系，预约上门走访评估。" },
                    FamilyStatus::Assessing => p { "乡镇（街道）民政干部正在评估您的申请。" },
                    FamilyStatus::Recommended => p { "乡镇（街道）已推荐，等待县民政局审批。" },
                    FamilyStatus::Approved | FamilyStatus::Rejected => {},
                }
                @if let Some(reason) = &family.decision_reason { p { "说明：" (reason) } }
                p { "提交时间：" (crate::views::components::local_date(&family.created_at)) }
                (approval_notice(standing, Reader::Family))
            }
            (offer_cards(may_post))
        },
    )
}
