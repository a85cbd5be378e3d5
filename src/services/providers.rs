//! Provider registration and verification by the county.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::db;
use crate::db::entities::provider;
use crate::domain::invalid::required_text;
use crate::domain::phone::Phone;
use crate::domain::provider::{ProviderDecision, ProviderKind, ProviderStatus};
use crate::domain::region::TownshipCode;
use crate::domain::user::{NewPassword, Username, check_confirmation};
use crate::domain::{CreditCode, Invalid, Role};

use super::audit::{self, Event};
use super::{Page, Paging, Principal, RequestCtx, ServiceError, ServiceResult, new_id, passwords};
use super::{throttle, users};
use crate::config::Settings;

/// A registration as typed (form or JSON).
#[derive(Debug, Clone, Default)]
pub struct RegistrationInput {
    pub kind: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub townships: Vec<String>,
    pub description: String,
    pub username: String,
    pub password: String,
    /// The password typed again on the form (the API has no such field):
    /// a mismatch is one more field error, found in the same pass.
    pub password_confirm: Option<String>,
}

/// A provider with the townships it serves.
#[derive(Debug, Clone)]
pub struct ProviderView {
    pub provider: provider::Model,
    pub townships: Vec<String>,
}

struct Registration {
    kind: ProviderKind,
    name: String,
    credit_code: Option<CreditCode>,
    contact_name: String,
    contact_phone: Phone,
    townships: Vec<String>,
    description: String,
    username: Username,
    password: NewPassword,
}

async fn parse(
    conn: &impl ConnectionTrait,
    input: &RegistrationInput,
) -> ServiceResult<Registration> {
    let mut invalid = Invalid::new();
    let kind = if input.kind.trim().is_empty() {
        invalid.add("kind", "请选择机构类型");
        None
    } else {
        invalid.check("kind", input.kind.parse::<ProviderKind>())
    };
    let name = invalid.check("name", required_text(&input.name, 100));
    let code_text = input
        .credit_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let credit_code = match code_text {
        Some(code) => invalid.check("credit_code", CreditCode::parse(code)),
        None => {
            if kind.is_some_and(ProviderKind::requires_credit_code) {
                invalid.add("credit_code", "该类机构须填写统一社会信用代码");
            }
            None
        }
    };
    let contact_name = invalid.check("contact_name", required_text(&input.contact_name, 30));
    let contact_phone = invalid.check("contact_phone", Phone::parse(&input.contact_phone));
    let description = invalid.check("description", required_text(&input.description, 2000));
    let mut townships: Vec<String> = Vec::new();
    for raw in &input.townships {
        match TownshipCode::parse(raw) {
            Ok(code)
                if db::regions::find_township(conn, code.as_str())
                    .await?
                    .is_some() =>
            {
                if !townships.contains(&code.as_str().to_owned()) {
                    townships.push(code.as_str().to_owned());
                }
            }
            _ => invalid.add("townships", "所选乡镇不存在"),
        }
    }
    if townships.is_empty() && input.townships.is_empty() {
        invalid.add("townships", "请至少选择一个服务的乡镇（街道）");
    }
    let username = invalid.check("username", Username::parse(&input.username));
    let password = invalid.check(
        "password",
        NewPassword::parse(
            &input.password,
            &[input.username.as_str(), input.name.as_str()],
        ),
    );
    check_confirmation(
        &mut invalid,
        &input.password,
        input.password_confirm.as_deref(),
    );
    if let Some(u) = &username
        && db::users::username_taken(conn, u.as_str()).await?
    {
        invalid.add_duplicate("username", "该用户名已被使用");
    }
    if let Some(c) = &credit_code
        && db::providers::credit_code_taken(conn, c.as_str()).await?
    {
        invalid.add_duplicate("credit_code", "该统一社会信用代码已注册，请勿重复注册");
    }
    invalid.into_result()?;
    match (
        kind,
        name,
        contact_name,
        contact_phone,
        description,
        username,
        password,
    ) {
        (
            Some(kind),
            Some(name),
            Some(contact_name),
            Some(contact_phone),
            Some(description),
            Some(username),
            Some(password),
        ) => Ok(Registration {
            kind,
            name,
            credit_code,
            contact_name,
            contact_phone,
            townships,
            description,
            username,
            password,
        }),
        _ => Err(ServiceError::internal(
            "registration checked without values",
        )),
    }
}

/// Registers an organisation from the public form or API: the attempt is
/// first reserved in the registrations of `address` (each costs a password
/// hash; past the free ones, `Throttled`), then [`register`].
///
/// A username or credit code already taken is answered as such (409): a
/// registrant must learn it to choose another, and usernames are not
/// secrets; the throttle bounds how fast anyone can probe them.
pub async fn register_public(
    conn: &DatabaseConnection,
    settings: &Settings,
    ctx: &RequestCtx,
    input: RegistrationInput,
    address: &str,
) -> ServiceResult<ProviderView> {
    throttle::reserve_registration(conn, settings, address).await?;
    register(conn, ctx, input).await
}

/// Registers an organisation and its login; it starts `pending`.
pub async fn register(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    input: RegistrationInput,
) -> ServiceResult<ProviderView> {
    let reg = parse(conn, &input).await?;
    let hash = passwords::hash(reg.password.expose().to_owned()).await?;
    let id = new_id();
    let txn = db::begin_write(conn).await?;
    let inserted = db::providers::insert(
        &txn,
        db::providers::NewProvider {
            id: &id,
            kind: reg.kind,
            name: &reg.name,
            credit_code: reg.credit_code.as_ref().map(CreditCode::as_str),
            contact_name: &reg.contact_name,
            contact_phone: reg.contact_phone.as_str(),
            description: &reg.description,
            townships: &reg.townships,
        },
    )
    .await;
    let provider = match inserted {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(Invalid::duplicate(
                "credit_code",
                "该统一社会信用代码已注册，请勿重复注册",
            )
            .into());
        }
        other => other?,
    };
    let user_id = new_id();
    users::insert_login(
        &txn,
        db::users::NewUser {
            id: &user_id,
            username: reg.username.as_str(),
            password_hash: &hash,
            role: Role::Provider,
            township_code: None,
            village_code: None,
            provider_id: Some(&id),
            family_id: None,
            department: None,
        },
    )
    .await?;
    audit::append(
        &txn,
        ctx,
        Event::success("provider.register", format!("provider:{id}"))
            .with_detail(format!("kind={}", reg.kind.as_str())),
    )
    .await?;
    super::notify::events::provider_registered(&txn, super::clock::SYSTEM.now(), &id).await?;
    txn.commit().await?;
    Ok(ProviderView {
        provider,
        townships: reg.townships,
    })
}

/// One provider. County staff see any; township officers those serving their
/// township; a provider account its own organisation; others nothing.
pub async fn get(
    conn: &DatabaseConnection,
    caller: &Principal,
    id: &str,
) -> ServiceResult<ProviderView> {
    let provider = db::providers::find(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let townships = db::providers::townships_of(conn, id).await?;
    let visible = match caller.role {
        Role::CountyAdmin => true,
        Role::TownshipOfficer => caller
            .township
            .as_ref()
            .is_some_and(|t| townships.contains(t)),
        Role::Provider => caller.provider_id.as_deref() == Some(id),
        Role::VillageSupervisor | Role::Family | Role::DepartmentStaff => false,
    };
    if !visible {
        return Err(ServiceError::NotFound);
    }
    Ok(ProviderView {
        provider,
        townships,
    })
}

/// Providers by status, oldest first. Township officers see those serving their township.
pub async fn list(
    conn: &DatabaseConnection,
    caller: &Principal,
    status: Option<ProviderStatus>,
    paging: Paging,
) -> ServiceResult<Page<ProviderView>> {
    caller.require_role(&[Role::CountyAdmin, Role::TownshipOfficer])?;
    let township = caller.township_filter();
    let (total, rows) = db::providers::list(
        conn,
        status.map(ProviderStatus::as_str),
        township,
        paging.limit,
        paging.offset,
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for provider in rows {
        let townships = db::providers::townships_of(conn, &provider.id).await?;
        items.push(ProviderView {
            provider,
            townships,
        });
    }
    Ok(Page { total, items })
}

/// County staff verify, reject (with a reason the provider reads) or suspend a provider.
/// The decision `raw` as typed by `caller`: county staff only (403 before
/// anything typed is looked at), then one of verify, reject, suspend (422).
/// What a caller may decide about a provider: county staff verify or
/// reject a pending registration and suspend a verified one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProviderActions {
    pub verify_or_reject: bool,
    pub suspend: bool,
}

pub fn actions_for(caller: &Principal, provider: &provider::Model) -> ProviderActions {
    let county = caller.role == Role::CountyAdmin;
    ProviderActions {
        verify_or_reject: county && provider.status == ProviderStatus::Pending,
        suspend: county && provider.status == ProviderStatus::Verified,
    }
}

pub fn decision_of(caller: &Principal, raw: &str) -> ServiceResult<ProviderDecision> {
    caller.require_role(&[Role::CountyAdmin])?;
    raw.trim()
        .parse()
        .map_err(|_| Invalid::one("decision", "审核结论应为 verify、reject 或 suspend").into())
}

pub async fn decide(
    conn: &DatabaseConnection,
    ctx: &RequestCtx,
    caller: &Principal,
    id: &str,
    decision: ProviderDecision,
    reason: Option<String>,
) -> ServiceResult<ProviderView> {
    caller.require_role(&[Role::CountyAdmin])?;
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if let Some(r) = &reason
        && r.chars().count() > 500
    {
        return Err(Invalid::one("reason", "理由不能超过500个字").into());
    }
    if decision.needs_reason() && reason.is_none() {
        return Err(Invalid::one("reason", "请填写理由，机构会看到它").into());
    }
    let txn = db::begin_write(conn).await?;
    let current = db::providers::find(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let from = current.status;
    let to = from
        .apply(decision)
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let now = Utc::now();
    if !db::providers::transition(&txn, id, from.as_str(), to.as_str(), reason.as_deref(), now)
        .await?
    {
        return Err(ServiceError::Conflict(
            "该机构的状态刚被他人更改，请刷新后重试".into(),
        ));
    }
    let mut event = Event::success("provider.decide", format!("provider:{id}"));
    event = event.with_detail(format!("{} -> {}", from.as_str(), to.as_str()));
    audit::append(&txn, ctx, event).await?;
    let provider = db::providers::find(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let townships = db::providers::townships_of(&txn, id).await?;
    txn.commit().await?;
    Ok(ProviderView {
        provider,
        townships,
    })
}
