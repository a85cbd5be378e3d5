//! Volunteers of organisations, who served on which service record, and
//! the volunteer-hours export read a page at a time (keyset paging, so
//! that memory and each statement stay flat however long the export).

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use super::entities::{
    match_record, offer, provider, service_record, service_volunteer, volunteer,
};

pub async fn insert(
    db: &impl ConnectionTrait,
    model: volunteer::Model,
) -> Result<volunteer::Model, DbErr> {
    model.into_active_model().reset_all().insert(db).await
}

/// An organisation's volunteers, active ones first, by name.
pub async fn of_provider(
    db: &impl ConnectionTrait,
    provider_id: &str,
) -> Result<Vec<volunteer::Model>, DbErr> {
    volunteer::Entity::find()
        .filter(volunteer::Column::ProviderId.eq(provider_id))
        .order_by_desc(volunteer::Column::Active)
        .order_by_asc(volunteer::Column::Name)
        .order_by_asc(volunteer::Column::Id)
        .all(db)
        .await
}

pub async fn reference_taken(
    db: &impl ConnectionTrait,
    provider_id: &str,
    reference: &str,
) -> Result<bool, DbErr> {
    Ok(volunteer::Entity::find()
        .filter(volunteer::Column::ProviderId.eq(provider_id))
        .filter(volunteer::Column::Reference.eq(reference))
        .count(db)
        .await?
        > 0)
}

/// Retires an active volunteer of `provider_id`; false when there is none.
pub async fn retire(db: &impl ConnectionTrait, id: &str, provider_id: &str) -> Result<bool, DbErr> {
    let result = volunteer::Entity::update_many()
        .col_expr(volunteer::Column::Active, Expr::value(false))
        .filter(volunteer::Column::Id.eq(id))
        .filter(volunteer::Column::ProviderId.eq(provider_id))
        .filter(volunteer::Column::Active.eq(true))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The active volunteers of `provider_id` among `ids`.
pub async fn active_of(
    db: &impl ConnectionTrait,
    provider_id: &str,
    ids: &[String],
) -> Result<Vec<volunteer::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    volunteer::Entity::find()
        .filter(volunteer::Column::ProviderId.eq(provider_id))
        .filter(volunteer::Column::Active.eq(true))
        .filter(volunteer::Column::Id.is_in(crate::db::id_lists::padded(ids)))
        .all(db)
        .await
}

/// Records who served on `record_id`.
pub async fn served_by(
    db: &impl ConnectionTrait,
    record_id: &str,
    volunteers: &[volunteer::Model],
) -> Result<(), DbErr> {
    if volunteers.is_empty() {
        return Ok(());
    }
    service_volunteer::Entity::insert_many(volunteers.iter().map(|v| {
        service_volunteer::Model {
            service_record_id: record_id.to_owned(),
            volunteer_id: v.id.clone(),
        }
        .into_active_model()
    }))
    .exec(db)
    .await
    .map(|_| ())
}

/// Names of the volunteers who served on `record_ids`: (record, name).
pub async fn names_on(
    db: &impl ConnectionTrait,
    record_ids: &[String],
) -> Result<Vec<(String, String)>, DbErr> {
    if record_ids.is_empty() {
        return Ok(Vec::new());
    }
    let select = Query::select()
        .column((
            service_volunteer::Entity,
            service_volunteer::Column::ServiceRecordId,
        ))
        .column((volunteer::Entity, volunteer::Column::Name))
        .from(service_volunteer::Entity)
        .inner_join(
            volunteer::Entity,
            Expr::col((volunteer::Entity, volunteer::Column::Id)).equals((
                service_volunteer::Entity,
                service_volunteer::Column::VolunteerId,
            )),
        )
        .and_where(
            Expr::col((
                service_volunteer::Entity,
                service_volunteer::Column::ServiceRecordId,
            ))
            .is_in(crate::db::id_lists::padded(record_ids)),
        )
        .order_by((volunteer::Entity, volunteer::Column::Name), Order::Asc)
        .to_owned();
    db.query_all(&select)
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}

/// Where the next page of an export starts.
#[derive(Debug, Clone, Default)]
pub struct HoursKey {
    pub volunteer_id: String,
    pub served_on: Option<NaiveDate>,
    pub record_id: String,
}

/// One row of an organisation's export.
#[derive(Debug, Clone)]
pub struct HoursRow {
    pub key: HoursKey,
    pub name: String,
    pub reference: String,
    pub activity: String,
    pub hours: Option<f64>,
}

fn in_days(select: &mut SelectStatement, from: Option<NaiveDate>, to: Option<NaiveDate>) {
    let day = Expr::col((service_record::Entity, service_record::Column::ServedOn));
    if let Some(f) = from {
        select.and_where(day.clone().gte(f));
    }
    if let Some(t) = to {
        select.and_where(day.lte(t));
    }
}

/// The next page of an organisation's own volunteers' service rows in the
/// days given, by volunteer, day and record.
pub async fn hours_after(
    db: &impl ConnectionTrait,
    provider_id: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    after: Option<&HoursKey>,
    limit: u64,
) -> Result<Vec<HoursRow>, DbErr> {
    let sv_volunteer = || {
        Expr::col((
            service_volunteer::Entity,
            service_volunteer::Column::VolunteerId,
        ))
    };
    let sv_record = || {
        Expr::col((
            service_volunteer::Entity,
            service_volunteer::Column::ServiceRecordId,
        ))
    };
    let served = || Expr::col((service_record::Entity, service_record::Column::ServedOn));
    let mut select = Query::select();
    select
        .expr_as(sv_volunteer(), Alias::new("volunteer_id"))
        .expr_as(served(), Alias::new("served_on"))
        .expr_as(sv_record(), Alias::new("record_id"))
        .expr_as(
            Expr::col((volunteer::Entity, volunteer::Column::Name)),
            Alias::new("name"),
        )
        .expr_as(
            Expr::col((volunteer::Entity, volunteer::Column::Reference)),
            Alias::new("reference"),
        )
        .expr_as(
            Expr::col((offer::Entity, offer::Column::Title)),
            Alias::new("activity"),
        )
        .expr_as(
            Expr::col((service_record::Entity, service_record::Column::Hours)),
            Alias::new("hours"),
        )
        .from(service_volunteer::Entity)
        .inner_join(
            volunteer::Entity,
            Expr::col((volunteer::Entity, volunteer::Column::Id)).equals((
                service_volunteer::Entity,
                service_volunteer::Column::VolunteerId,
            )),
        )
        .inner_join(
            service_record::Entity,
            Expr::col((service_record::Entity, service_record::Column::Id)).equals((
                service_volunteer::Entity,
                service_volunteer::Column::ServiceRecordId,
            )),
        )
        .inner_join(
            match_record::Entity,
            Expr::col((match_record::Entity, match_record::Column::Id))
                .equals((service_record::Entity, service_record::Column::MatchId)),
        )
        .inner_join(
            offer::Entity,
            Expr::col((offer::Entity, offer::Column::Id))
                .equals((match_record::Entity, match_record::Column::OfferId)),
        )
        .and_where(Expr::col((volunteer::Entity, volunteer::Column::ProviderId)).eq(provider_id))
        // Only services on the organisation's own offers, whoever's list a
        // volunteer id came from.
        .and_where(Expr::col((offer::Entity, offer::Column::ProviderId)).eq(provider_id));
    in_days(&mut select, from, to);
    if let Some(k) = after {
        let day = k.served_on.unwrap_or_default();
        select.and_where(
            sv_volunteer().gt(k.volunteer_id.clone()).or(sv_volunteer()
                .eq(k.volunteer_id.clone())
                .and(
                    served()
                        .gt(day)
                        .or(served().eq(day).and(sv_record().gt(k.record_id.clone()))),
                )),
        );
    }
    select
        .order_by_expr(sv_volunteer(), Order::Asc)
        .order_by_expr(served(), Order::Asc)
        .order_by_expr(sv_record(), Order::Asc)
        .limit(limit);
    db.query_all(&select)
        .await?
        .into_iter()
        .map(|r| {
            Ok(HoursRow {
                key: HoursKey {
                    volunteer_id: r.try_get("", "volunteer_id")?,
                    served_on: Some(r.try_get("", "served_on")?),
                    record_id: r.try_get("", "record_id")?,
                },
                name: r.try_get("", "name")?,
                reference: r.try_get("", "reference")?,
                activity: r.try_get("", "activity")?,
                hours: r.try_get("", "hours")?,
            })
        })
        .collect()
}

/// One organisation's totals in the county's export.
#[derive(Debug, Clone)]
pub struct TotalRow {
    pub provider_id: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub volunteers: i64,
    pub services: i64,
    pub hours: Option<f64>,
}

/// The next page of per-organisation totals in the days given, by
/// organisation id.
pub async fn totals_after(
    db: &impl ConnectionTrait,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    after: &str,
    limit: u64,
) -> Result<Vec<TotalRow>, DbErr> {
    let pid = || Expr::col((provider::Entity, provider::Column::Id));
    let mut select = Query::select();
    select
        .expr_as(pid(), Alias::new("provider_id"))
        .expr_as(
            Expr::col((provider::Entity, provider::Column::Name)),
            Alias::new("name"),
        )
        .expr_as(
            Expr::col((provider::Entity, provider::Column::CreditCode)),
            Alias::new("credit_code"),
        )
        .expr_as(
            Expr::col((
                service_volunteer::Entity,
                service_volunteer::Column::VolunteerId,
            ))
            .count_distinct(),
            Alias::new("volunteers"),
        )
        .expr_as(
            Expr::col((
                service_volunteer::Entity,
                service_volunteer::Column::ServiceRecordId,
            ))
            .count_distinct(),
            Alias::new("services"),
        )
        .expr_as(
            Expr::col((service_record::Entity, service_record::Column::Hours)).sum(),
            Alias::new("hours"),
        )
        .from(service_volunteer::Entity)
        .inner_join(
            volunteer::Entity,
            Expr::col((volunteer::Entity, volunteer::Column::Id)).equals((
                service_volunteer::Entity,
                service_volunteer::Column::VolunteerId,
            )),
        )
        .inner_join(
            provider::Entity,
            pid().equals((volunteer::Entity, volunteer::Column::ProviderId)),
        )
        .inner_join(
            service_record::Entity,
            Expr::col((service_record::Entity, service_record::Column::Id)).equals((
                service_volunteer::Entity,
                service_volunteer::Column::ServiceRecordId,
            )),
        )
        .and_where(pid().gt(after));
    in_days(&mut select, from, to);
    select
        .group_by_col((provider::Entity, provider::Column::Id))
        .group_by_col((provider::Entity, provider::Column::Name))
        .group_by_col((provider::Entity, provider::Column::CreditCode))
        .order_by_expr(pid(), Order::Asc)
        .limit(limit);
    db.query_all(&select)
        .await?
        .into_iter()
        .map(|r| {
            Ok(TotalRow {
                provider_id: r.try_get("", "provider_id")?,
                name: r.try_get("", "name")?,
                credit_code: r.try_get("", "credit_code")?,
                volunteers: r.try_get("", "volunteers")?,
                services: r.try_get("", "services")?,
                hours: r.try_get("", "hours")?,
            })
        })
        .collect()
}
