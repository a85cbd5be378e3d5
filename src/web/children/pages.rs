//! The child-file pages: list and search (a POST, so that a typed name never
//! sits in a URL), the file form, the masked file with audited reveals,
//! visits, completing and closing.

use crate::domain::child::FileStatus;
use crate::web::extract::parse_filter;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;

use crate::domain::Invalid;
use crate::domain::child::VaultField;
use crate::error::{AppError, AppResult};
use crate::services::children::view;
use crate::services::children::visits::{self, VisitInput};
use crate::services::children::{self, ChildInput};
use crate::services::regions;
use crate::services::{Paging, Principal, RequestCtx, ServiceError};
use crate::views;
use crate::views::children::FileList;
use crate::views::children::detail::FileForms;
use crate::views::children::form::prefill;

use super::super::AppState;
use super::super::chrome::{Chrome, flash};
use super::super::extract::{ApiPath, ApiQuery, Auth, Ctx, FormFields, ListQuery};
use super::form::{child_input, form_status, render_form};
use super::parse_reveal;
use super::reveal;

/// How many search results one page shows (search results are not paged:
/// paging links would have to carry the search).
const SEARCH_LIMIT: u64 = 50;

/// The file page: the file masked but for `reveal`, with the forms' state.
async fn render_file(
    state: &AppState,
    ctx: &RequestCtx,
    caller: &Principal,
    chrome: &Chrome,
    id: &str,
    reveal: &[VaultField],
    forms: &FileForms<'_>,
) -> AppResult<Markup> {
    let file = view::get(state.store(), ctx, caller, id, reveal).await?;
    let entitlements =
        crate::services::entitlements::records::of_file(state.store(), caller, file.child.clone())
            .await?;
    let all = state.regions.clone();
    let township = regions::township_name(&all, &file.child.township_code);
    Ok(views::children::detail::detail(
        &chrome.ctx(),
        &file,
        township,
        forms,
        Some(&entitlements),
    ))
}

/// Back to the file with a message: for decisions and for conflicts.
async fn back_to_file(chrome: &Chrome, id: &str, message: &str) -> AppResult<Response> {
    flash(&chrome.session, message).await?;
    Ok(Redirect::to(&format!("/children/{id}")).into_response())
}

pub async fn list_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let status = parse_filter::<FileStatus>(query.status.as_deref(), "status")?;
    let paging = Paging::new(query.limit, query.offset);
    let page = view::list(state.store(), &ctx, &caller, status, paging).await?;
    let all = state.regions.clone();
    let name = |code: &str| regions::township_name(&all, code).to_owned();
    let list = FileList {
        items: &page.items,
        total: page.total,
        limit: paging.limit,
        offset: paging.offset,
        status,
        query: None,
    };
    Ok(views::children::list(&chrome.ctx(), &list, &name).into_response())
}

pub async fn search_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let q = form.get("q").trim().to_owned();
    let paging = Paging::new(Some(SEARCH_LIMIT), None);
    let page = view::search(state.store(), &ctx, &caller, &q, paging).await?;
    let all = state.regions.clone();
    let name = |code: &str| regions::township_name(&all, code).to_owned();
    let list = FileList {
        items: &page.items,
        total: page.total,
        limit: paging.limit,
        offset: 0,
        status: None,
        query: Some(&q),
    };
    Ok(views::children::list(&chrome.ctx(), &list, &name).into_response())
}

pub async fn new_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
) -> AppResult<Response> {
    let input = ChildInput {
        township: caller.township.clone(),
        village: caller.village.clone(),
        ..ChildInput::default()
    };
    let choices = children::form_choices(&state.db, &caller).await?;
    let page = render_form(&chrome, &choices, &input, None, &Invalid::new());
    Ok(page.into_response())
}

pub async fn create_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let input = child_input(&form);
    match children::create(state.store(), &ctx, &caller, input.clone()).await {
        Ok(child) => {
            let message = format!("已建档，档案编号 {}。", child.file_no);
            back_to_file(&chrome, &child.id, &message).await
        }
        Err(ServiceError::Invalid(errors)) => {
            let choices = children::form_choices(&state.db, &caller).await?;
            let page = render_form(&chrome, &choices, &input, None, &errors);
            Ok((form_status(&errors), page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The file, masked but for the fields a reveal just granted this one view.
pub async fn detail_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    let reveal = reveal::take(&chrome.session, &id).await?;
    let forms = FileForms {
        notice: (!reveal.is_empty()).then_some("查看记录已写入审计日志。"),
        ..FileForms::default()
    };
    let page = render_file(&state, &ctx, &caller, &chrome, &id, &reveal, &forms).await?;
    Ok(page.into_response())
}

/// Reveals one field (or `all`) in the view this redirects to. A POST, not
/// a link: revealing is an action that is audited, not a page to bookmark;
/// the redirect keeps a reload from revealing (and auditing) again.
pub async fn reveal_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let fields = parse_reveal(Some(form.get("field")))?;
    view::may_open(state.store(), &caller, &id).await?;
    reveal::grant(&chrome.session, &id, &fields).await?;
    Ok(Redirect::to(&format!("/children/{id}")).into_response())
}

pub async fn edit_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    // Refused before the file is opened (and its view audited).
    let choices = children::form_choices(&state.db, &caller).await?;
    let file = view::get(state.store(), &ctx, &caller, &id, &[]).await?;
    let input = prefill(&file.child);
    let page = render_form(&chrome, &choices, &input, Some(&file), &Invalid::new());
    Ok(page.into_response())
}

pub async fn edit_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let input = child_input(&form);
    match children::update(state.store(), &ctx, &caller, &id, input.clone()).await {
        Ok(changed) => {
            let message = match changed.withdrawal {
                Some(w) => format!(
                    "档案已保存。监护人已撤回发布同意：{} 条需求已退回草稿并停止公开，{} 个未批准的对接已终止，\
                     {} 个服务中的对接待您决定是否继续（见待办）。",
                    w.needs_unpublished, w.proposals_ended, w.matches_to_review
                ),
                None => "档案已保存。".to_owned(),
            };
            back_to_file(&chrome, &id, &message).await
        }
        Err(ServiceError::Invalid(errors)) => {
            let file = view::get(state.store(), &ctx, &caller, &id, &[]).await?;
            let choices = children::form_choices(&state.db, &caller).await?;
            let page = render_form(&chrome, &choices, &input, Some(&file), &errors);
            Ok((form_status(&errors), page).into_response())
        }
        Err(ServiceError::Conflict(message)) => back_to_file(&chrome, &id, &message).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn visit_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let input = VisitInput {
        visited_on: form.get("visited_on").to_owned(),
        summary: form.get("summary").to_owned(),
    };
    match visits::add(state.store(), &ctx, &caller, &id, input.clone()).await {
        Ok(_) => back_to_file(&chrome, &id, "走访记录已保存。").await,
        Err(ServiceError::Invalid(errors)) => {
            let forms = FileForms {
                visit: input,
                visit_errors: errors,
                ..FileForms::default()
            };
            let page = render_file(&state, &ctx, &caller, &chrome, &id, &[], &forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::Conflict(message)) => back_to_file(&chrome, &id, &message).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn complete_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Response> {
    match children::complete(state.store(), &ctx, &caller, &id).await {
        Ok(_) => back_to_file(&chrome, &id, "档案已完善，状态为“在档”。").await,
        Err(ServiceError::Conflict(message)) => back_to_file(&chrome, &id, &message).await,
        Err(other) => Err(AppError::from(other)),
    }
}

pub async fn close_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    ApiPath(id): ApiPath<String>,
    form: FormFields,
) -> AppResult<Response> {
    let reason = form.get("reason");
    match children::close(state.store(), &ctx, &caller, &id, reason).await {
        Ok(_) => back_to_file(&chrome, &id, "档案已结档，未完成的需求已一并关闭。").await,
        Err(ServiceError::Invalid(errors)) => {
            let forms = FileForms {
                close_reason: reason,
                close_errors: errors,
                ..FileForms::default()
            };
            let page = render_file(&state, &ctx, &caller, &chrome, &id, &[], &forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::Conflict(message)) => back_to_file(&chrome, &id, &message).await,
        Err(other) => Err(other.into()),
    }
}
