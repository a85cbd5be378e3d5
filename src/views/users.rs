//! The county's user accounts page: staff logins, created and disabled.

use maud::{Markup, html};

use crate::db::entities::user;
use crate::domain::{Invalid, Role};
use crate::services::users::UserInput;

use super::components::{FieldLabels, csrf_field, error_summary, pagination, select, text_field};
use super::layout::{PageCtx, page};

/// The fields of the form, for its error summary.
const USER_LABELS: &FieldLabels = &[
    ("username", "用户名"),
    ("password", "初始密码"),
    ("role", "角色"),
    ("township", "乡镇（街道）"),
    ("village", "村（社区）"),
    ("department", "部门"),
];

pub struct UsersPage<'a> {
    pub users: &'a [user::Model],
    pub total: u64,
    pub limit: u64,
    pub offset: u64,
    pub input: &'a UserInput,
    pub errors: &'a Invalid,
    pub townships: &'a [(String, String)],
    pub villages: &'a [(String, String)],
}

pub fn users_page(ctx: &PageCtx<'_>, data: &UsersPage<'_>) -> Markup {
    let roles: Vec<(String, String)> = [
        Role::CountyAdmin,
        Role::TownshipOfficer,
        Role::VillageSupervisor,
        Role::DepartmentStaff,
    ]
    .iter()
    .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
    .collect();
    let departments = super::components::coded_options(
        crate::domain::department::Department::ALL,
        crate::domain::department::Department::as_str,
        crate::domain::department::Department::label,
    );
    page(
        "工作人员",
        ctx,
        html! {
            table {
                thead { tr { th { "用户名" } th { "角色" } th { "乡镇/村" } th { "状态" } th { "" } } }
                tbody {
                    @for u in data.users {
                        tr {
                            td { (u.username) }
                            td { (u.role.label()) }
                            td {
                                @if let Some(d) = u.department { (d.label()) }
                                @else { (u.village_code.as_deref().or(u.township_code.as_deref()).unwrap_or("全县")) }
                            }
                            td { @if u.disabled { "已停用" } @else { "正常" } }
                            td {
                                @if !u.disabled && ctx.user.is_some_and(|me| me.id != u.id) {
                                    form.inline method="post" action={ "/staff/" (u.id) "/disable" } {
                                        (csrf_field(ctx.csrf))
                                        button.secondary type="submit" { "停用" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (pagination("/staff", data.total, data.limit, data.offset))
            h2 { "新建工作人员账号" }
            (error_summary(data.errors, USER_LABELS))
            form.card method="post" action="/staff" novalidate {
                (csrf_field(ctx.csrf))
                (text_field("username", "用户名", "text", &data.input.username, data.errors, None, true))
                (text_field("password", "初始密码", "password", "", data.errors, Some("至少8位，不能是常见密码"), true))
                (select("role", "角色", &roles, &data.input.role, data.errors))
                (select("township", "乡镇（街道）（乡镇干部必选）", data.townships, data.input.township.as_deref().unwrap_or(""), data.errors))
                (select("village", "村（社区）（督导员必选）", data.villages, data.input.village.as_deref().unwrap_or(""), data.errors))
                (select("department", "部门（部门工作人员必选）", &departments, data.input.department.as_deref().unwrap_or(""), data.errors))
                button type="submit" { "创建账号" }
            }
        },
    )
}
