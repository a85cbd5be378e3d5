//! Mandatory reports over JSON: the public filing and stage lookup, the
//! township's queue and steps, the county's overview. The pages are in
//! [`pages`] (the public form and lookup) and [`staff`] (queue and report).

pub mod pages;
pub mod staff;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Invalid;
use crate::domain::report::{FilingInput, ReportStatus};
use crate::error::{AppError, AppResult};
use crate::services::Paging;
use crate::services::reports::view::{QueueItem, QueueQuery, ReportDetail};
use crate::services::reports::{
    self, AssessInput, CloseInput, DecideInput, InterveneInput, LinkInput, RespondInput, StepDetail,
};

use super::AppState;
use super::body::{ErrorBody, InvalidFields, ListBody, OutOfScope, ReadAccess, WriteAccess};
use super::children::body::ChildCreatedBody;
use super::children::request::ChildRequest;
use super::extract::{
    ApiJson, ApiJsonOrEmpty, ApiPath, ApiQuery, Auth, ClientAddr, Ctx, MaybeAuth, parse_filter,
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The child's township (9-digit code).
    township: String,
    /// The child's village (12-digit code), if known.
    #[serde(default)]
    village: Option<String>,
    /// What the reporter saw or learned (at most 2,000 characters).
    description: String,
    /// Whether the child is in danger now (first response within the hour).
    #[serde(default)]
    urgent: bool,
    /// Where the child is now.
    #[serde(default)]
    child_location: Option<String>,
    /// `school`, `kindergarten`, `hospital`, `welfare_institution`,
    /// `village_committee`, `neighbour_relative`, `child` or `other` (default).
    #[serde(default)]
    reporter_kind: Option<String>,
    #[serde(default)]
    reporter_name: Option<String>,
    /// A phone number or other contact, only if the reporter is willing.
    #[serde(default)]
    reporter_contact: Option<String>,
    #[serde(default)]
    child_name: Option<String>,
    /// The child's ID number, if known (used only to find the child's file).
    #[serde(default)]
    child_id_number: Option<String>,
}

impl From<ReportRequest> for FilingInput {
    fn from(r: ReportRequest) -> Self {
        FilingInput {
            township: r.township,
            village: r.village.unwrap_or_default(),
            description: r.description,
            child_location: r.child_location.unwrap_or_default(),
            urgent: r.urgent,
            reporter_kind: r.reporter_kind.unwrap_or_default(),
            reporter_name: r.reporter_name.unwrap_or_default(),
            reporter_contact: r.reporter_contact.unwrap_or_default(),
            child_name: r.child_name.unwrap_or_default(),
            child_id_number: r.child_id_number.unwrap_or_default(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FiledBody {
    /// The report's reference, e.g. `BG-2026-000123`.
    reference: String,
    /// The one code that shows the report's stage with its reference. Shown
    /// once: it is not stored and cannot be shown again.
    lookup_code: String,
    /// `received`.
    stage: &'static str,
}

/// Files a mandatory report (anyone; no login needed). Throttled per
/// address and overall (429 with `Retry-After`).
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "reports",
    operation_id = "reports_file",
    request_body = ReportRequest,
    responses(
        (status = 201, description = "Stored: the reference and the lookup code", body = FiledBody),
        InvalidFields,
        (status = 429, description = "Too many reports from this address (or overall): `Retry-After`", body = ErrorBody),
    )
)]
pub async fn api_file(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    Ctx(ctx): Ctx,
    ClientAddr(addr): ClientAddr,
    ApiJson(body): ApiJson<ReportRequest>,
) -> AppResult<(StatusCode, Json<FiledBody>)> {
    let filed = reports::file(
        state.store(),
        &(&*state.settings).into(),
        &ctx,
        caller.as_ref(),
        body.into(),
        &addr,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(FiledBody {
            reference: filed.reference,
            lookup_code: filed.lookup_code,
            stage: "received",
        }),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StageQuery {
    reference: String,
    lookup_code: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StageBody {
    reference: String,
    /// `received`, `handling` or `closed`.
    stage: &'static str,
    /// The stage in Chinese.
    stage_label: &'static str,
}

/// The stage of a report, for its reporter: nothing else. An unknown
/// reference and a wrong code get the same 404.
#[utoipa::path(
    get,
    path = "/api/v1/reports/status",
    tag = "reports",
    operation_id = "reports_stage",
    params(StageQuery),
    responses(
        (status = 200, description = "The stage", body = StageBody),
        (status = 404, description = "No report with this reference and code", body = ErrorBody),
        (status = 429, description = "Too many lookups from this address", body = ErrorBody),
    )
)]
pub async fn api_stage(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiQuery(query): ApiQuery<StageQuery>,
) -> AppResult<Json<StageBody>> {
    let (reference, stage) = reports::stage(
        state.store(),
        &state.settings,
        &query.reference,
        &query.lookup_code,
        &addr,
    )
    .await?;
    Ok(Json(StageBody {
        reference,
        stage: stage.as_str(),
        stage_label: stage.label(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportListQuery {
    /// Only reports in this state (default: every open one).
    status: Option<String>,
    /// County staff: one township.
    township: Option<String>,
    limit: Option<u64>,
    offset: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportItemBody {
    id: String,
    reference: String,
    status: &'static str,
    urgent: bool,
    township: String,
    reporter_kind: &'static str,
    received_at: String,
    first_response_due: String,
    /// Past the first-response deadline without a response.
    overdue: bool,
    /// Past twice the deadline: escalated to the county.
    escalated: bool,
    /// The follow-up visit is due by then (after an intervention or
    /// assistance decision).
    #[schema(required = true)]
    follow_up_due: Option<String>,
    follow_up_overdue: bool,
}

impl From<&QueueItem> for ReportItemBody {
    fn from(i: &QueueItem) -> Self {
        Self {
            id: i.id.clone(),
            reference: i.reference.clone(),
            status: i.status.as_str(),
            urgent: i.urgent,
            township: i.township_code.clone(),
            reporter_kind: i.reporter_kind.as_str(),
            received_at: i.received_at.to_rfc3339(),
            first_response_due: i.response_due.to_rfc3339(),
            overdue: i.overdue,
            escalated: i.escalated,
            follow_up_due: i.follow_up_due.map(|d| d.to_rfc3339()),
            follow_up_overdue: i.follow_up_overdue,
        }
    }
}

/// The report queue: a township officer's township, or (county staff) every
/// township or one; urgent first, then oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/reports",
    tag = "reports",
    operation_id = "reports_list",
    security(("cookie" = [])),
    params(ReportListQuery),
    responses(
        (status = 200, description = "One page of reports", body = ListBody<ReportItemBody>),
        ReadAccess,
        InvalidFields,
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<ReportListQuery>,
) -> AppResult<Json<ListBody<ReportItemBody>>> {
    let status: Option<ReportStatus> = parse_filter(query.status.as_deref(), "status")?;
    let query_ = QueueQuery {
        status,
        township: query.township.filter(|t| !t.is_empty()),
    };
    let paging = Paging::new(query.limit, query.offset);
    let queue = reports::view::queue(state.store(), &caller, &query_, paging).await?;
    Ok(Json(ListBody::map(queue.page, |i| {
        ReportItemBody::from(&i)
    })))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StepBody {
    kind: &'static str,
    happened_at: String,
    recorded_at: String,
    #[schema(required = true)]
    actor: Option<String>,
    /// The step's details (who went, what was found, the risk level…);
    /// `null` for steps without any (filed, assigned, overdue…).
    #[schema(required = true)]
    detail: Option<StepDetailBody>,
}

/// What a step recorded; each step fills the fields it has.
#[derive(Serialize, utoipa::ToSchema, Default)]
pub struct StepDetailBody {
    /// respond: who went.
    #[serde(skip_serializing_if = "Option::is_none")]
    responders: Option<String>,
    /// respond: what they found.
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    police_called: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    police_case_number: Option<String>,
    /// assess: `low`, `medium`, `high`.
    #[serde(skip_serializing_if = "Option::is_none")]
    risk_level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    factors: Option<Vec<String>>,
    /// decide: the decision's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// intervene: the measure's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    placement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_id: Option<String>,
    /// link: the file linked.
    #[serde(skip_serializing_if = "Option::is_none")]
    child_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_no: Option<String>,
    /// assess, intervene, follow-up, close: what was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl From<StepDetail> for StepDetailBody {
    fn from(detail: StepDetail) -> Self {
        match detail {
            StepDetail::Responded {
                responders,
                findings,
                police_called,
                police_case_number,
            } => Self {
                responders: Some(responders),
                findings: Some(findings),
                police_called: Some(police_called),
                police_case_number,
                ..Self::default()
            },
            StepDetail::Assessed {
                risk_level,
                factors,
                note,
            } => Self {
                risk_level: Some(risk_level),
                factors: Some(factors),
                note,
                ..Self::default()
            },
            StepDetail::Decided { decision, reason } => Self {
                decision: Some(decision),
                reason,
                ..Self::default()
            },
            StepDetail::Intervened {
                kind,
                placement,
                place,
                family_id,
                note,
            } => Self {
                kind: Some(kind),
                placement,
                place,
                family_id,
                note: Some(note),
                ..Self::default()
            },
            StepDetail::Linked { child_id, file_no } => Self {
                child_id: Some(child_id),
                file_no: Some(file_no),
                ..Self::default()
            },
            StepDetail::FollowedUp { note } => Self {
                note: Some(note),
                ..Self::default()
            },
            StepDetail::Closed { note } => Self {
                note,
                ..Self::default()
            },
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportBody {
    #[serde(flatten)]
    item: ReportItemBody,
    description: String,
    #[schema(required = true)]
    child_location: Option<String>,
    #[schema(required = true)]
    village: Option<String>,
    #[schema(required = true)]
    reporter_name: Option<String>,
    #[schema(required = true)]
    reporter_contact: Option<String>,
    #[schema(required = true)]
    child_name: Option<String>,
    /// Masked.
    #[schema(required = true)]
    child_id_number: Option<String>,
    #[schema(required = true)]
    risk_level: Option<&'static str>,
    #[schema(required = true)]
    decision: Option<&'static str>,
    /// The linked child file's id.
    #[schema(required = true)]
    child_id: Option<String>,
    /// A file of the report's township with the ID number the reporter
    /// gave, not linked yet.
    #[schema(required = true)]
    file_on_record: Option<String>,
    /// Minutes from receipt to the first response.
    #[schema(required = true)]
    minutes_to_first_response: Option<i64>,
    steps: Vec<StepBody>,
}

fn minutes(from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> Option<i64> {
    to.map(|t| (t - from).num_minutes())
}

impl From<ReportDetail> for ReportBody {
    fn from(d: ReportDetail) -> Self {
        let r = &d.report;
        Self {
            item: ReportItemBody::from(&d.item),
            description: d.content.description,
            child_location: d.content.child_location,
            village: d.content.village,
            reporter_name: d.content.reporter_name,
            reporter_contact: d.content.reporter_contact,
            child_name: d.content.child_name,
            child_id_number: d.content.child_id_number,
            risk_level: r.risk_level.map(|l| l.as_str()),
            decision: r.decision.map(|x| x.as_str()),
            child_id: r.child_id.clone(),
            file_on_record: d.on_record.map(|f| f.id),
            minutes_to_first_response: minutes(r.received_at, r.responded_at),
            steps: d
                .steps
                .into_iter()
                .map(|s| StepBody {
                    kind: s.kind.as_str(),
                    happened_at: s.happened_at.to_rfc3339(),
                    recorded_at: s.recorded_at.to_rfc3339(),
                    actor: s.actor_name,
                    detail: s.detail.map(StepDetailBody::from),
                })
                .collect(),
        }
    }
}

/// One report with its content and steps (an audited read).
#[utoipa::path(
    get,
    path = "/api/v1/reports/{id}",
    tag = "reports",
    operation_id = "reports_get",
    security(("cookie" = [])),
    params(("id" = String, Path, description = "The report's id")),
    responses(
        (status = 200, description = "The report", body = ReportBody),
        ReadAccess,
        OutOfScope,
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<ReportBody>> {
    let detail = reports::view::detail(state.store(), &ctx, &caller, &id).await?;
    Ok(Json(detail.into()))
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    /// respond: who went.
    #[serde(default)]
    responders: Option<String>,
    /// respond: when they reached the child (RFC 3339; default now).
    #[serde(default)]
    responded_at: Option<String>,
    /// respond: what they found.
    #[serde(default)]
    findings: Option<String>,
    /// respond: whether the police were called.
    #[serde(default)]
    police_called: Option<bool>,
    /// respond: the 110 case number.
    #[serde(default)]
    police_case_number: Option<String>,
    /// assess: `low`, `medium` or `high`.
    #[serde(default)]
    risk_level: Option<String>,
    /// assess: `injury`, `neglect`, `no_carer`, `abuse_suspected`,
    /// `unsafe_home`, `school_dropout`.
    #[serde(default)]
    factors: Option<Vec<String>>,
    /// assess, close: a note.
    #[serde(default)]
    note: Option<String>,
    /// decide: `intervention`, `assistance` or `unfounded`.
    #[serde(default)]
    decision: Option<String>,
    /// decide: the reason (required for `unfounded`).
    #[serde(default)]
    reason: Option<String>,
    /// intervene: `temporary_care`, `police_warning`, `family_education`,
    /// `court_revocation`.
    #[serde(default)]
    kind: Option<String>,
    /// intervene: the day (`YYYY-MM-DD`, default today).
    #[serde(default)]
    happened_on: Option<String>,
    /// intervene (temporary care): `relatives`, `welfare_institution`,
    /// `rescue_protection`, `foster_family`.
    #[serde(default)]
    placement: Option<String>,
    /// intervene (temporary care): where the child stays.
    #[serde(default)]
    place: Option<String>,
    /// intervene (foster placement): the approved family's id.
    #[serde(default)]
    family_id: Option<String>,
    /// link: the file's id.
    #[serde(default)]
    child_id: Option<String>,
    /// link: the child's ID number.
    #[serde(default)]
    id_number: Option<String>,
    /// close: the follow-up visit's day (`YYYY-MM-DD`).
    #[serde(default)]
    followed_up_on: Option<String>,
    /// close: what the follow-up visit found.
    #[serde(default)]
    follow_up_note: Option<String>,
}

fn moment(raw: Option<&str>) -> (Option<DateTime<Utc>>, bool) {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, false),
        Some(raw) => match DateTime::parse_from_rfc3339(raw) {
            Ok(at) => (Some(at.with_timezone(&Utc)), false),
            Err(_) => match crate::domain::dates::parse_beijing_moment(raw) {
                Some(at) => (Some(at), false),
                None => (None, true),
            },
        },
    }
}

fn day(raw: Option<&str>) -> (Option<NaiveDate>, bool) {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, false),
        Some(raw) => match crate::domain::dates::parse_day(raw) {
            Some(d) => (Some(d), false),
            None => (None, true),
        },
    }
}

/// The step named `action`, from the fields of a request (JSON or form).
pub enum StepInput {
    Assign,
    Respond(RespondInput),
    Assess(AssessInput),
    Decide(DecideInput),
    Intervene(InterveneInput),
    Link(LinkInput),
    Close(CloseInput),
}

impl StepInput {
    pub fn of(action: &str, r: StepRequest) -> Result<StepInput, AppError> {
        let text = |v: Option<String>| v.unwrap_or_default();
        Ok(match action {
            "assign" => StepInput::Assign,
            "respond" => {
                let (responded_at, unreadable) = moment(r.responded_at.as_deref());
                StepInput::Respond(RespondInput {
                    responders: text(r.responders),
                    responded_at,
                    responded_at_unreadable: unreadable,
                    findings: text(r.findings),
                    police_called: r.police_called.unwrap_or(false),
                    police_case_number: text(r.police_case_number),
                })
            }
            "assess" => StepInput::Assess(AssessInput {
                risk_level: text(r.risk_level),
                factors: r.factors.unwrap_or_default(),
                note: text(r.note),
            }),
            "decide" => StepInput::Decide(DecideInput {
                decision: text(r.decision),
                reason: text(r.reason),
            }),
            "intervene" => {
                let (happened_on, unreadable) = day(r.happened_on.as_deref());
                StepInput::Intervene(InterveneInput {
                    kind: text(r.kind),
                    happened_on,
                    happened_on_unreadable: unreadable,
                    placement: text(r.placement),
                    place: text(r.place),
                    family_id: text(r.family_id),
                    note: text(r.note),
                })
            }
            "link" => StepInput::Link(LinkInput {
                child_id: text(r.child_id),
                id_number: text(r.id_number),
            }),
            "close" => {
                let (followed_up_on, unreadable) = day(r.followed_up_on.as_deref());
                StepInput::Close(CloseInput {
                    followed_up_on,
                    followed_up_on_unreadable: unreadable,
                    follow_up_note: text(r.follow_up_note),
                    note: text(r.note),
                })
            }
            _ => return Err(AppError::NotFound),
        })
    }

    /// Runs the step.
    pub async fn run(
        self,
        state: &AppState,
        ctx: &crate::services::RequestCtx,
        caller: &crate::services::Principal,
        id: &str,
    ) -> crate::services::ServiceResult<crate::db::entities::report::Model> {
        let store = state.store();
        match self {
            StepInput::Assign => reports::assign(store, ctx, caller, id).await,
            StepInput::Respond(i) => reports::respond(store, ctx, caller, id, i).await,
            StepInput::Assess(i) => reports::assess(store, ctx, caller, id, i).await,
            StepInput::Decide(i) => {
                reports::decide(store, &state.settings.report_deadlines, ctx, caller, id, i).await
            }
            StepInput::Intervene(i) => reports::intervene(store, ctx, caller, id, i).await,
            StepInput::Link(i) => reports::link(store, ctx, caller, id, i).await,
            StepInput::Close(i) => reports::close(store, ctx, caller, id, i).await,
        }
    }
}

/// One step on a report (the report's township officer): `assign`,
/// `respond`, `assess`, `decide`, `intervene`, `link` or `close`; each
/// reads the fields it names in the request body. 409 when the report's
/// state does not allow the step (the message names the state).
#[utoipa::path(
    post,
    path = "/api/v1/reports/{id}/{action}",
    tag = "reports",
    operation_id = "reports_step",
    security(("cookie" = [], "csrf" = [])),
    params(
        ("id" = String, Path, description = "The report's id"),
        ("action" = String, Path, description = "assign, respond, assess, decide, intervene, link or close"),
    ),
    request_body = StepRequest,
    responses(
        (status = 200, description = "The report after the step (without its content)", body = ReportItemBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "The report's state does not allow this step", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_step(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath((id, action)): ApiPath<(String, String)>,
    ApiJsonOrEmpty(request): ApiJsonOrEmpty<StepRequest>,
) -> AppResult<Json<ReportItemBody>> {
    let step = StepInput::of(&action, request)?;
    step.run(&state, &ctx, &caller, &id).await?;
    let item = reports::view::find(state.store(), &caller, &id).await?;
    Ok(Json(ReportItemBody::from(&item)))
}

/// Opens the child's file from a report decided for assistance (the
/// report's township officer): the body of `POST /api/v1/children`, every
/// rule of a file applies; the file and the link are stored together.
#[utoipa::path(
    post,
    path = "/api/v1/reports/{id}/file",
    tag = "reports",
    operation_id = "reports_file_child",
    security(("cookie" = [], "csrf" = [])),
    params(("id" = String, Path, description = "The report's id")),
    request_body = ChildRequest,
    responses(
        (status = 201, description = "The new file, linked to the report", body = ChildCreatedBody),
        WriteAccess,
        OutOfScope,
        (status = 409, description = "The report's state does not allow a link, or a file for that ID number exists", body = ErrorBody),
        InvalidFields,
    )
)]
pub async fn api_file_child(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ChildRequest>,
) -> AppResult<(StatusCode, Json<ChildCreatedBody>)> {
    let child = crate::services::children::create_for_report(
        state.store(),
        &ctx,
        &caller,
        body.into(),
        &id,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(child.into())))
}

/// Refuses a field-less body early with the JSON error of the API.
pub fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid(Invalid::one(field, message))
}
