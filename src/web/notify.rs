//! Notification settings: `GET`/`PUT /api/v1/me/notifications`,
//! `POST /api/v1/me/notifications/confirm`, the account page (`/account`)
//! and the page the confirmation link opens.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use crate::domain::Invalid;
use crate::error::AppResult;
use crate::services::ServiceError;
use crate::services::notify::{self, Preferences, PreferencesInput};
use crate::views;

use super::AppState;
use super::body::{ErrorBody, LoginRequired};
use super::chrome::{Chrome, flash};
use super::extract::{ApiJson, ApiQuery, Auth, Ctx, FormFields};

/// The e-mail address and whether its owner confirmed it.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct EmailBody {
    address: String,
    /// Read only: ignored in a `PUT`.
    #[serde(default)]
    confirmed: bool,
}

/// The phone SMS go to.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsBody {
    phone: String,
}

/// The caller's notification settings (API.md).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationsBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<EmailBody>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sms: Option<SmsBody>,
    /// Inbox kind → channels (`email`, `sms`); every kind of the caller's
    /// role is listed; in a `PUT`, kinds left out keep e-mail.
    #[serde(default)]
    channels: BTreeMap<String, Vec<String>>,
    /// `none` or `daily`.
    digest: String,
}

impl From<Preferences> for NotificationsBody {
    fn from(p: Preferences) -> Self {
        NotificationsBody {
            email: p.email.map(|address| EmailBody {
                address,
                confirmed: p.email_confirmed,
            }),
            sms: p.sms_phone.map(|phone| SmsBody { phone }),
            channels: p
                .kinds
                .iter()
                .map(|k| {
                    (
                        k.as_str().to_owned(),
                        p.channels
                            .for_kind(*k)
                            .iter()
                            .map(|c| c.as_str().to_owned())
                            .collect(),
                    )
                })
                .collect(),
            digest: p.digest.as_str().to_owned(),
        }
    }
}

/// The token of a confirmation link.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    token: String,
}

/// The caller's notification settings.
#[utoipa::path(
    get,
    path = "/api/v1/me/notifications",
    tag = "notifications",
    operation_id = "notifications_get",
    security(("cookie" = [])),
    responses(
        (status = 200, description = "The settings", body = NotificationsBody),
        LoginRequired,
    )
)]
pub async fn api_get(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> AppResult<Json<NotificationsBody>> {
    Ok(Json(notify::preferences(&state.db, &caller).await?.into()))
}

/// Replaces the caller's notification settings; a new e-mail address gets
/// a confirmation mail and receives nothing else until confirmed.
#[utoipa::path(
    put,
    path = "/api/v1/me/notifications",
    tag = "notifications",
    operation_id = "notifications_put",
    security(("cookie" = [], "csrf" = [])),
    request_body = NotificationsBody,
    responses(
        (status = 200, description = "Saved", body = NotificationsBody),
        LoginRequired,
        (status = 422, description = "Invalid fields (`details` lists them)", body = ErrorBody),
    )
)]
pub async fn api_put(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<NotificationsBody>,
) -> AppResult<Json<NotificationsBody>> {
    let input = PreferencesInput {
        email: body.email.map(|e| e.address),
        sms_phone: body.sms.map(|s| s.phone),
        channels: body.channels,
        digest: body.digest,
    };
    let saved = notify::update(&state.db, &state.clock, &ctx, &caller, input).await?;
    Ok(Json(saved.into()))
}

/// Confirms the caller's e-mail address with the token of the link.
#[utoipa::path(
    post,
    path = "/api/v1/me/notifications/confirm",
    tag = "notifications",
    operation_id = "notifications_confirm",
    security(("cookie" = [], "csrf" = [])),
    request_body = ConfirmRequest,
    responses(
        (status = 200, description = "Confirmed", body = NotificationsBody),
        LoginRequired,
        (status = 422, description = "Wrong, used or expired token", body = ErrorBody),
    )
)]
pub async fn api_confirm(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    ApiJson(body): ApiJson<ConfirmRequest>,
) -> AppResult<Json<NotificationsBody>> {
    let saved = notify::confirm(&state.db, &state.clock, &ctx, &caller, &body.token).await?;
    Ok(Json(saved.into()))
}

/// `GET /account`: the account page with the notification settings.
pub async fn account_page(
    State(state): State<AppState>,
    Auth(caller): Auth,
    chrome: Chrome,
) -> AppResult<Response> {
    let prefs = notify::preferences(&state.db, &caller).await?;
    let email = prefs.email.clone().unwrap_or_default();
    let sms = prefs.sms_phone.clone().unwrap_or_default();
    Ok(views::notify::account_page(
        &chrome.ctx(),
        &views::notify::AccountForm {
            prefs: &prefs,
            email: &email,
            sms: &sms,
            errors: &Invalid::new(),
        },
    )
    .into_response())
}

/// `POST /account/notifications`: saves the form.
pub async fn account_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    let kinds = crate::domain::inbox::kinds_for(caller.role);
    let channels = kinds
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                form.get_all(&format!("ch_{}", k.as_str())),
            )
        })
        .collect();
    let input = PreferencesInput {
        email: form.get_opt("email"),
        sms_phone: form.get_opt("sms"),
        channels,
        digest: form.get("digest").to_owned(),
    };
    match notify::update(&state.db, &state.clock, &ctx, &caller, input).await {
        Ok(saved) => {
            let message = if saved.email.is_some() && !saved.email_confirmed {
                "提醒设置已保存。确认邮件已发送，请打开邮件中的链接确认地址。"
            } else {
                "提醒设置已保存。"
            };
            flash(&chrome.session, message).await?;
            Ok(Redirect::to("/account").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let prefs = notify::preferences(&state.db, &caller).await?;
            let page = views::notify::account_page(
                &chrome.ctx(),
                &views::notify::AccountForm {
                    prefs: &prefs,
                    email: form.get("email"),
                    sms: form.get("sms"),
                    errors: &errors,
                },
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `GET /account/email/confirm?token=`: the page of the mailed link (a
/// read; the button confirms).
pub async fn confirm_page(
    Auth(_caller): Auth,
    chrome: Chrome,
    ApiQuery(query): ApiQuery<TokenQuery>,
) -> AppResult<Response> {
    Ok(views::notify::confirm_page(&chrome.ctx(), &query.token, &Invalid::new()).into_response())
}

/// `POST /account/email/confirm`.
pub async fn confirm_submit(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Ctx(ctx): Ctx,
    chrome: Chrome,
    form: FormFields,
) -> AppResult<Response> {
    match notify::confirm(&state.db, &state.clock, &ctx, &caller, form.get("token")).await {
        Ok(_) => {
            flash(
                &chrome.session,
                "电子邮件地址已确认，之后的待办提醒会发送到这个地址。",
            )
            .await?;
            Ok(Redirect::to("/account").into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let page = views::notify::confirm_page(&chrome.ctx(), form.get("token"), &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
