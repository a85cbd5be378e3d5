//! The match pages: the viewer's list, the page of one match, proposing
//! from an offer or need page, and one form handler for every move. A
//! refused form comes back with what was typed and the errors beside its
//! fields; a move the match's state no longer allows comes back as a flash
//! message on the match's page.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::domain::matching::{Action, MatchStatus};
use crate::domain::{Invalid, Role};
use crate::error::{AppError, AppResult};
use crate::services::matches::{self, MoveInput, ProposeInput, ServiceInput};
use crate::services::{Paging, Principal, RequestCtx, ServiceError, TextFinding, offers, regions};
use crate::views;
use crate::views::matches::detail::{Failed, MatchPage};
use crate::views::matches::{MatchList, ProposeFrom, ProposeTyped};
use crate::views::needs::area_label;

use super::super::AppState;
use super::super::chrome::{Chrome, flash};
use super::super::extract::{ApiPath, ApiQuery, Auth, Ctx, FormFields};
use super::MatchListQuery;

pub async fn list_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<MatchListQuery>,
) -> AppResult<Response> {
    let filter = query.filter()?;
    let paging = Paging::new(query.limit, query.offset);
    let page = matches::list(state.store(), &caller, &filter, paging).await?;
    let mut filters = form_urlencoded::Serializer::new(String::new());
    if let Some(need) = &filter.need {
        filters.append_pair("need", need);
    }
    if let Some(offer) = &filter.offer {
        filters.append_pair("offer", offer);
    }
    let filters = filters.finish();
    let list = MatchList {
        items: &page.items,
        status: filter.status,
        filters: &filters,
        total: page.total,
        limit: paging.limit,
        offset: paging.offset,
    };
    Ok(views::matches::list(&chrome.ctx(), &list).into_response())
}

async fn render(
    state: &AppState,
    chrome: &Chrome,
    caller: &Principal,
    id: &str,
    failed: Option<&Failed<'_>>,
) -> AppResult<maud::Markup> {
    let detail = matches::get(state.store(), caller, id, state.settings.k_anonymity).await?;
    let all = state.regions.clone();
    let area = area_label(
        detail
            .need
            .township
            .as_deref()
            .map(|c| regions::township_name(&all, c)),
    );
    let data = MatchPage {
        detail: &detail,
        need_area: &area,
        failed,
    };
    Ok(views::matches::detail::detail(&chrome.ctx(), &data))
}

pub async fn detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    Ok(render(&state, &chrome, &caller, &id, None)
        .await?
        .into_response())
}

async fn to_match(chrome: &Chrome, id: &str, message: &str) -> AppResult<Response> {
    flash(&chrome.session, message).await?;
    Ok(Redirect::to(&format!("/matches/{id}")).into_response())
}

pub async fn create_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = ProposeInput {
        need_code: form.get("need_code").trim().to_owned(),
        offer_id: form.get("offer_id").trim().to_owned(),
        note: form.get_opt("note"),
    };
    let k = state.settings.k_anonymity;
    let errors = match matches::propose(state.store(), &ctx, &caller, input.clone(), k).await {
        Ok(saved) => {
            let message = if saved.status == MatchStatus::Suggested {
                "已向服务方推荐，服务方确认后再由您审批。"
            } else {
                "已提出对接，等待乡镇（街道）民政干部审批。"
            };
            return to_match(&chrome, &saved.id, message).await;
        }
        Err(ServiceError::Invalid(errors)) => errors,
        Err(ServiceError::NotFound) => Invalid::one(
            "need_code",
            "没有找到该需求，请核对需求编号（只能对接已发布的需求）",
        ),
        Err(ServiceError::Findings(found)) => Invalid::one("note", findings_message(&found)),
        Err(other) => return Err(other.into()),
    };
    let offer_title = match offers::get(&state.db, &input.offer_id).await {
        Ok(view) => view.offer.title,
        Err(_) => String::new(),
    };
    let from = if caller.role == Role::TownshipOfficer {
        ProposeFrom::Need {
            code: &input.need_code,
            title: "",
        }
    } else {
        ProposeFrom::Offer {
            id: &input.offer_id,
            title: &offer_title,
        }
    };
    let typed = ProposeTyped {
        need_code: &input.need_code,
        offer_id: &input.offer_id,
        note: form.get("note"),
    };
    let page = views::matches::propose_page(&chrome.ctx(), from, &typed, &errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn findings_message(found: &[TextFinding]) -> String {
    let mut kinds: Vec<&str> = found.iter().map(|f| f.kind.label()).collect();
    kinds.dedup();
    format!(
        "含有可识别儿童身份的信息（{}），请删除后再提交",
        kinds.join("、")
    )
}

/// The move of a form, or the field error of a number typed wrong.
fn move_input(action: Action, form: &FormFields) -> Result<MoveInput, Invalid> {
    let reason = form.get("reason").to_owned();
    Ok(match action {
        Action::Accept => MoveInput::Accept {
            note: form.get_opt("note"),
        },
        Action::Approve => MoveInput::Approve {
            note: form.get_opt("note"),
            handover_note: form.get_opt("handover_note"),
        },
        Action::Reject => MoveInput::Reject { reason },
        Action::Withdraw => MoveInput::Withdraw {
            reason: form.get_opt("reason"),
        },
        Action::Cancel => MoveInput::Cancel { reason },
        Action::Complete => MoveInput::Complete {
            feedback: form.get("feedback").to_owned(),
            rating: form.get("rating").trim().parse().ok(),
        },
        Action::Continue => MoveInput::Continue {
            note: form.get_opt("note"),
        },
        Action::Services | Action::Handover | Action::OutcomeNote => {
            return Err(Invalid::one("action", "不支持的操作"));
        }
    })
}

fn done_message(status: MatchStatus) -> &'static str {
    match status {
        MatchStatus::Proposed => "已接受推荐，等待乡镇（街道）民政干部审批。",
        MatchStatus::TownshipApproved => "已批准，等待县级审批。",
        MatchStatus::Approved => "对接已批准。",
        MatchStatus::Rejected => "已不予批准。",
        MatchStatus::Withdrawn => "已撤回。",
        MatchStatus::Cancelled => "对接已取消。",
        MatchStatus::Completed => "对接已完成，感谢您的评价。",
        MatchStatus::Suggested | MatchStatus::InService => "已保存。",
    }
}

async fn perform(
    state: &AppState,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    action: Action,
    form: &FormFields,
) -> Result<&'static str, ServiceError> {
    let store = state.store();
    match action {
        Action::Services => {
            let typed = form.get("hours").trim();
            let hours = match typed {
                "" => None,
                t => Some(t.parse::<f64>().map_err(|_| {
                    ServiceError::from(Invalid::one("hours", "请填写服务时长（小时），如 1.5"))
                })?),
            };
            let amount = match form.get("amount").trim() {
                "" => None,
                t => Some(t.parse::<i64>().map_err(|_| {
                    ServiceError::from(Invalid::one("amount", "请填写整数数额，如 500"))
                })?),
            };
            let input = ServiceInput {
                served_on: form.get("served_on").to_owned(),
                hours,
                amount,
                summary: form.get("summary").to_owned(),
                volunteers: form.get_all("volunteers"),
            };
            matches::log_service(store, ctx, caller, id, input).await?;
            Ok("服务记录已登记。")
        }
        Action::Handover => {
            matches::set_handover(store, ctx, caller, id, form.get("handover_note")).await?;
            Ok("交接说明已保存。")
        }
        Action::OutcomeNote => {
            let input = matches::OutcomeNoteInput {
                outcome: form.get_opt("outcome"),
                note: form.get("note").to_owned(),
            };
            matches::note_outcome(store, ctx, caller, id, input).await?;
            Ok("成效说明已保存，谢谢。")
        }
        Action::Continue => {
            let input = move_input(action, form)?;
            matches::apply_move(store, ctx, caller, id, input).await?;
            Ok("已决定继续服务。")
        }
        _ => {
            let input = move_input(action, form)?;
            let status = matches::apply_move(store, ctx, caller, id, input).await?;
            Ok(done_message(status))
        }
    }
}

pub async fn move_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath((id, action)): ApiPath<(String, String)>,
    form: FormFields,
) -> AppResult<Response> {
    let action: Action = action.parse().map_err(|_| AppError::NotFound)?;
    let (errors, findings) = match perform(&state, &ctx, &caller, &id, action, &form).await {
        Ok(message) => return to_match(&chrome, &id, message).await,
        Err(ServiceError::Invalid(errors)) => (errors, Vec::new()),
        Err(ServiceError::Findings(found)) => (Invalid::new(), found),
        Err(ServiceError::StateConflict { message, .. } | ServiceError::Conflict(message)) => {
            return to_match(&chrome, &id, &format!("未能办理：{message}")).await;
        }
        Err(ServiceError::NoCapacity) => {
            return to_match(&chrome, &id, "未能批准：该服务名额已满。").await;
        }
        Err(other) => return Err(other.into()),
    };
    let failed = Failed {
        action,
        typed: &form.0,
        errors: &errors,
        findings: &findings,
    };
    let page = render(&state, &chrome, &caller, &id, Some(&failed)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
