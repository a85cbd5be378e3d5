//! The referral pages: the queue, one referral (with its reveal, moves and
//! comments as forms that redirect back), the referral form, one-door
//! intake and the county's figures.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::Invalid;
use crate::domain::referral::{ReferralMove, ReferralStatus};
use crate::error::{AppError, AppResult};
use crate::services::referrals::moves::{self, AnswerInput};
use crate::services::referrals::view::{self, ListFilter};
use crate::services::referrals::{self, ReferralInput, figures, intake};
use crate::services::{Paging, ServiceError};
use crate::views;
use crate::views::referrals::{IntakeForm, ReferralForm};

use super::super::AppState;
use super::super::children::reveal;
use super::super::chrome::{Chrome, flash};
use super::super::extract::{ApiPath, ApiQuery, Auth, Ctx, FormFields, parse_filter};

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    limit: Option<u64>,
    offset: Option<u64>,
    status: Option<String>,
    overdue: Option<String>,
}

pub async fn list_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<QueueQuery>,
) -> AppResult<Response> {
    let filter = ListFilter {
        status: parse_filter::<ReferralStatus>(query.status.as_deref(), "status")?,
        overdue: query.overdue.as_deref() == Some("1"),
        ..ListFilter::default()
    };
    let paging = Paging::new(query.limit, query.offset);
    let page = view::list(state.store(), &caller, &filter, paging).await?;
    let base = match (&query.status, filter.overdue) {
        (Some(s), _) => format!("/referrals?status={s}"),
        (None, true) => "/referrals?overdue=1".to_owned(),
        _ => "/referrals".to_owned(),
    };
    Ok(views::referrals::list(
        &chrome.ctx(),
        &page.items,
        page.total,
        paging.limit,
        paging.offset,
        &base,
    )
    .into_response())
}

pub async fn detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let key = format!("referral:{id}");
    let fields = reveal::take(&chrome.session, &key).await?;
    let found = view::get(state.store(), &ctx, &caller, &id, &fields).await?;
    let notice = (!fields.is_empty()).then_some("查看记录已写入审计日志。");
    Ok(views::referrals::detail(&chrome.ctx(), &found, &Invalid::new(), notice).into_response())
}

pub async fn reveal_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let fields = super::parse_reveal(Some(form.get("field")))?;
    referrals::find_reached(&state.db, &caller, &id).await?;
    reveal::grant(&chrome.session, &format!("referral:{id}"), &fields).await?;
    Ok(Redirect::to(&format!("/referrals/{id}")).into_response())
}

async fn back(chrome: &Chrome, id: &str, message: &str) -> AppResult<Response> {
    flash(&chrome.session, message).await?;
    Ok(Redirect::to(&format!("/referrals/{id}")).into_response())
}

/// A move or a comment from the referral page.
pub async fn move_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath((id, action)): ApiPath<(String, String)>,
    form: FormFields,
) -> AppResult<Response> {
    if action == "comment" {
        return match moves::comment(state.store(), &ctx, &caller, &id, form.get("text")).await {
            Ok(_) => back(&chrome, &id, "留言已发送。").await,
            Err(ServiceError::StateConflict { message, .. }) => back(&chrome, &id, &message).await,
            Err(err @ (ServiceError::Invalid(_) | ServiceError::Findings(_))) => {
                refused(&state, &ctx, &caller, &chrome, &id, err).await
            }
            Err(other) => Err(other.into()),
        };
    }
    let Some(mv) = ReferralMove::parse(&action) else {
        return Err(AppError::NotFound);
    };
    let input = AnswerInput {
        benefit: form.get_opt("benefit"),
        amount_yuan: form.get("amount_yuan").trim().parse().ok(),
        start_on: form.get_opt("start_on"),
        decision_reference: form.get_opt("decision_reference"),
        reason: form.get_opt("reason"),
        department: form.get_opt("department"),
    };
    match moves::make(state.store(), &ctx, &caller, &id, mv, input).await {
        Ok(moved) => {
            let message = format!("转介状态：{}。", moved.referral.status.label());
            back(&chrome, &id, &message).await
        }
        Err(ServiceError::StateConflict { message, .. }) => back(&chrome, &id, &message).await,
        Err(err @ ServiceError::Invalid(_)) => {
            refused(&state, &ctx, &caller, &chrome, &id, err).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn refused(
    state: &AppState,
    ctx: &crate::services::RequestCtx,
    caller: &crate::services::Principal,
    chrome: &Chrome,
    id: &str,
    err: ServiceError,
) -> AppResult<Response> {
    let errors = match err {
        ServiceError::Invalid(errors) => errors,
        ServiceError::Findings(found) => {
            let mut errors = Invalid::new();
            for f in found {
                errors.add(
                    f.field,
                    format!(
                        "第{}至{}个字含有个人信息（{}），请删去",
                        f.char_start + 1,
                        f.char_end,
                        f.kind.label()
                    ),
                );
            }
            errors
        }
        other => return Err(other.into()),
    };
    let found = view::get(state.store(), ctx, caller, id, &[]).await?;
    let page = views::referrals::detail(&chrome.ctx(), &found, &errors, None);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    child: Option<String>,
    entitlement: Option<String>,
}

fn rule_options(state: &AppState) -> Vec<(String, String)> {
    state
        .rules
        .all()
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                format!("{}（{}）", r.name, r.department.short()),
            )
        })
        .collect()
}

pub async fn new_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<NewQuery>,
) -> AppResult<Response> {
    let child_id = query.child.unwrap_or_default();
    let child = referrals::referable_file(state.store(), &caller, &child_id).await?;
    let form = ReferralForm {
        child_id,
        file_no: child.file_no,
        entitlement: query.entitlement.unwrap_or_default(),
        rules: rule_options(&state),
        ..ReferralForm::default()
    };
    Ok(views::referrals::new_form(&chrome.ctx(), &form, &Invalid::new()).into_response())
}

pub async fn create_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = ReferralInput {
        child_id: form.get("child_id").to_owned(),
        department: form.get_opt("department"),
        entitlement: form.get_opt("entitlement"),
        matter: form.get_opt("matter"),
        summary: form.get("summary").to_owned(),
        due_in_days: form.get("due_in_days").trim().parse().ok(),
    };
    match referrals::create(state.store(), &ctx, &caller, input.clone()).await {
        Ok(saved) => {
            let message = format!(
                "已转介{}，办理期限至{}。",
                saved.department.label(),
                crate::domain::dates::day_text(saved.due_on)
            );
            back(&chrome, &saved.id, &message).await
        }
        Err(err @ (ServiceError::Invalid(_) | ServiceError::Findings(_))) => {
            let errors = match err {
                ServiceError::Invalid(e) => e,
                ServiceError::Findings(found) => {
                    let mut e = Invalid::new();
                    for f in found {
                        e.add(
                            f.field,
                            format!(
                                "第{}至{}个字含有个人信息（{}），请删去",
                                f.char_start + 1,
                                f.char_end,
                                f.kind.label()
                            ),
                        );
                    }
                    e
                }
                _ => Invalid::new(),
            };
            let child = referrals::referable_file(state.store(), &caller, &input.child_id).await?;
            let form = ReferralForm {
                child_id: input.child_id,
                file_no: child.file_no,
                entitlement: input.entitlement.unwrap_or_default(),
                department: input.department.unwrap_or_default(),
                matter: input.matter.unwrap_or_default(),
                summary: input.summary,
                due_in_days: form.get("due_in_days").to_owned(),
                rules: rule_options(&state),
            };
            let page = views::referrals::new_form(&chrome.ctx(), &form, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::Conflict(message)) => {
            flash(&chrome.session, &message).await?;
            Ok(Redirect::to(&format!("/children/{}", input.child_id)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn figures_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
) -> AppResult<Response> {
    let items = figures::figures(state.store(), &caller, None).await?;
    Ok(views::referrals::figures(&chrome.ctx(), &items).into_response())
}

pub async fn intake_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<NewQuery>,
) -> AppResult<Response> {
    caller.require_role(&[
        crate::domain::Role::TownshipOfficer,
        crate::domain::Role::CountyAdmin,
    ])?;
    let child_id = query.child.unwrap_or_default();
    let file_no = if child_id.is_empty() {
        "请从儿童档案页的“一门受理登记”进入，或填写档案标识".to_owned()
    } else {
        referrals::referable_file(state.store(), &caller, &child_id)
            .await?
            .file_no
    };
    let form = IntakeForm {
        child_id,
        file_no,
        rules: rule_options(&state),
        ..IntakeForm::default()
    };
    Ok(views::referrals::intake_form(&chrome.ctx(), &form, &Invalid::new()).into_response())
}

pub async fn intake_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = intake::IntakeInput {
        child_id: form.get("child_id").trim().to_owned(),
        applicant: form.get("applicant").to_owned(),
        request: form.get("request").to_owned(),
        entitlements: form.get_all("entitlements"),
        matters: Vec::new(),
    };
    match intake::create(state.store(), &ctx, &caller, input.clone()).await {
        Ok(saved) => {
            flash(
                &chrome.session,
                &format!("已登记，并转介 {} 个部门事项。", saved.referrals.len()),
            )
            .await?;
            Ok(Redirect::to(&format!("/intakes/{}", saved.intake.id)).into_response())
        }
        Err(
            err @ (ServiceError::Invalid(_) | ServiceError::Findings(_) | ServiceError::NotFound),
        ) => {
            let errors = match err {
                ServiceError::Invalid(e) => e,
                ServiceError::NotFound => Invalid::one("child_id", "没有这个档案，或不在您的辖区"),
                ServiceError::Findings(found) => {
                    let mut e = Invalid::new();
                    for f in found {
                        e.add(
                            f.field,
                            format!(
                                "第{}至{}个字含有个人信息（{}），请删去",
                                f.char_start + 1,
                                f.char_end,
                                f.kind.label()
                            ),
                        );
                    }
                    e
                }
                _ => Invalid::new(),
            };
            let form = IntakeForm {
                file_no: String::new(),
                child_id: input.child_id,
                applicant: input.applicant,
                request: input.request,
                chosen: input.entitlements,
                rules: rule_options(&state),
            };
            let page = views::referrals::intake_form(&chrome.ctx(), &form, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::Conflict(message)) => {
            flash(&chrome.session, &message).await?;
            Ok(Redirect::to(&format!("/children/{}", input.child_id)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn intake_detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let found = intake::get(state.store(), &caller, &id).await?;
    Ok(views::referrals::intake_detail(&chrome.ctx(), &found).into_response())
}
