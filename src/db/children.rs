//! Child files, their history and visits.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::columns::NameList;
use super::entities::{child, child_event, visit};

/// Which files a query may return: the caller's scope and optional filters.
#[derive(Debug, Clone, Default)]
pub struct ChildFilter<'a> {
    /// `None` for the whole county.
    pub township: Option<&'a str>,
    /// Blind index of the village, for village supervisors.
    pub village_index: Option<&'a str>,
    pub status: Option<&'a str>,
    pub file_no: Option<&'a str>,
    pub id_number_index: Option<&'a str>,
}

fn filtered(filter: &ChildFilter<'_>) -> Select<child::Entity> {
    let mut query = child::Entity::find();
    if let Some(t) = filter.township {
        query = query.filter(child::Column::TownshipCode.eq(t));
    }
    if let Some(v) = filter.village_index {
        query = query.filter(child::Column::VillageIndex.eq(v));
    }
    if let Some(s) = filter.status {
        query = query.filter(child::Column::Status.eq(s));
    }
    if let Some(f) = filter.file_no {
        query = query.filter(child::Column::FileNo.eq(f));
    }
    if let Some(i) = filter.id_number_index {
        query = query.filter(child::Column::IdNumberIndex.eq(i));
    }
    query
}

/// Files in the filter, the longest without a visit first (counted from the
/// last visit or, never visited, from the file's opening: the rule of
/// `domain::child::visit_due_on`), so that overdue visits lead the list.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ChildFilter<'_>,
    limit: Option<u64>,
    offset: u64,
) -> Result<(u64, Vec<child::Model>), DbErr> {
    let query = filtered(filter);
    let total = query.clone().count(db).await?;
    let items = query
        .order_by(
            Func::coalesce([
                Expr::col(child::Column::LastVisitedOn),
                Expr::col(child::Column::CreatedAt),
            ]),
            Order::Asc,
        )
        .order_by_asc(child::Column::FileNo)
        .limit(limit)
        // SQLite accepts OFFSET only after a LIMIT.
        .offset(limit.map(|_| offset))
        .all(db)
        .await?;
    Ok((total, items))
}

pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<child::Model>, DbErr> {
    child::Entity::find_by_id(id.to_owned()).one(db).await
}

/// The file of the ID number whose blind index is `index`, if any.
pub async fn find_by_id_number_index(
    db: &impl ConnectionTrait,
    index: &str,
) -> Result<Option<child::Model>, DbErr> {
    child::Entity::find()
        .filter(child::Column::IdNumberIndex.eq(index))
        .one(db)
        .await
}

pub async fn id_number_taken(db: &impl ConnectionTrait, index: &str) -> Result<bool, DbErr> {
    Ok(child::Entity::find()
        .filter(child::Column::IdNumberIndex.eq(index))
        .count(db)
        .await?
        > 0)
}

/// How many files carry a number starting with `prefix` (for the next one).
pub async fn count_file_numbers(db: &impl ConnectionTrait, prefix: &str) -> Result<u64, DbErr> {
    child::Entity::find()
        .filter(child::Column::FileNo.starts_with(prefix))
        .count(db)
        .await
}

/// The blind indexes of every file's ID number (for `carebridge generate`,
/// whose made-up numbers must not repeat one already on file).
pub async fn id_number_indexes(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    child::Entity::find()
        .select_only()
        .column(child::Column::IdNumberIndex)
        .into_tuple()
        .all(db)
        .await
}

/// Every file, for the population counts and key rotation.
pub async fn all(
    db: &impl ConnectionTrait,
    status: Option<&str>,
) -> Result<Vec<child::Model>, DbErr> {
    let mut query = child::Entity::find();
    if let Some(s) = status {
        query = query.filter(child::Column::Status.eq(s));
    }
    query.order_by_asc(child::Column::Id).all(db).await
}

pub async fn insert(db: &impl ConnectionTrait, model: child::Model) -> Result<child::Model, DbErr> {
    model.into_active_model().reset_all().insert(db).await
}

/// Writes what an edit of a file changes (identity, situation, consent,
/// township), only if the file is still in `status`; never its status,
/// number, visits or creation. False when no row qualified.
pub async fn write_fields(
    db: &impl ConnectionTrait,
    row: &child::Model,
    status: &str,
) -> Result<bool, DbErr> {
    use child::Column as C;
    let result = child::Entity::update_many()
        .col_expr(C::TownshipCode, Expr::value(row.township_code.clone()))
        .col_expr(C::VillageIndex, Expr::value(row.village_index.clone()))
        .col_expr(C::IdNumberIndex, Expr::value(row.id_number_index.clone()))
        .col_expr(C::NameSealed, Expr::value(row.name_sealed.clone()))
        .col_expr(C::IdNumberSealed, Expr::value(row.id_number_sealed.clone()))
        .col_expr(
            C::BirthDateSealed,
            Expr::value(row.birth_date_sealed.clone()),
        )
        .col_expr(C::VillageSealed, Expr::value(row.village_sealed.clone()))
        .col_expr(C::AddressSealed, Expr::value(row.address_sealed.clone()))
        .col_expr(
            C::GuardianNameSealed,
            Expr::value(row.guardian_name_sealed.clone()),
        )
        .col_expr(
            C::GuardianPhoneSealed,
            Expr::value(row.guardian_phone_sealed.clone()),
        )
        .col_expr(C::Gender, Expr::value(row.gender.clone()))
        .col_expr(
            C::GuardianRelation,
            Expr::value(row.guardian_relation.clone()),
        )
        .col_expr(C::School, Expr::value(row.school.clone()))
        .col_expr(C::SchoolStatus, Expr::value(row.school_status))
        .col_expr(
            C::SuspectedDisability,
            Expr::value(row.suspected_disability),
        )
        .col_expr(C::Difficulties, Expr::value(row.difficulties.clone()))
        .col_expr(C::DifficultyClass, Expr::value(row.difficulty_class))
        .col_expr(C::PovertyType, Expr::value(row.poverty_type.clone()))
        .col_expr(C::DisabilityType, Expr::value(row.disability_type.clone()))
        .col_expr(C::DisabilityGrade, Expr::value(row.disability_grade))
        .col_expr(
            C::UnsupportedReason,
            Expr::value(row.unsupported_reason.clone()),
        )
        .col_expr(C::Illness, Expr::value(row.illness.clone()))
        .col_expr(C::Assistance, Expr::value(row.assistance.clone()))
        .col_expr(C::ConsentKeepFile, Expr::value(row.consent_keep_file))
        .col_expr(
            C::ConsentPublishNeeds,
            Expr::value(row.consent_publish_needs),
        )
        .col_expr(C::StatutoryBasis, Expr::value(row.statutory_basis.clone()))
        .col_expr(C::CountedBand, Expr::value(row.counted_band.clone()))
        .col_expr(C::CountedUntil, Expr::value(row.counted_until))
        .col_expr(C::UpdatedAt, Expr::value(row.updated_at))
        .filter(C::Id.eq(row.id.as_str()))
        .filter(C::Status.eq(status))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Moves a file from `from` to `to` (complete, close), only if it is still
/// in `from`; a close stores its reason and its time (`closed_at`, which
/// the oversight figures count files on file by). False when someone else
/// moved it.
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: &str,
    from: &str,
    to: &str,
    closed_reason: Option<&str>,
    at: chrono::DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = child::Entity::update_many()
        .col_expr(child::Column::Status, Expr::value(to))
        .col_expr(child::Column::UpdatedAt, Expr::value(at));
    if let Some(reason) = closed_reason {
        update = update
            .col_expr(child::Column::ClosedReason, Expr::value(reason))
            .col_expr(child::Column::ClosedAt, Expr::value(at));
    }
    let result = update
        .filter(child::Column::Id.eq(id))
        .filter(child::Column::Status.eq(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Moves the date of the last visit forward to `on`, never back (a visit
/// entered late for an earlier day leaves it).
pub async fn visited(db: &impl ConnectionTrait, id: &str, on: NaiveDate) -> Result<(), DbErr> {
    child::Entity::update_many()
        .col_expr(child::Column::LastVisitedOn, Expr::value(on))
        .filter(child::Column::Id.eq(id))
        .filter(
            sea_orm::Condition::any()
                .add(child::Column::LastVisitedOn.is_null())
                .add(child::Column::LastVisitedOn.lt(on)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Writes the sealed values and blind indexes of a file re-sealed under a
/// new key (`vault rotate-key`, inside its one transaction).
pub async fn write_sealed(db: &impl ConnectionTrait, row: &child::Model) -> Result<(), DbErr> {
    use child::Column as C;
    child::Entity::update_many()
        .col_expr(C::VillageIndex, Expr::value(row.village_index.clone()))
        .col_expr(C::IdNumberIndex, Expr::value(row.id_number_index.clone()))
        .col_expr(C::NameSealed, Expr::value(row.name_sealed.clone()))
        .col_expr(C::IdNumberSealed, Expr::value(row.id_number_sealed.clone()))
        .col_expr(
            C::BirthDateSealed,
            Expr::value(row.birth_date_sealed.clone()),
        )
        .col_expr(C::VillageSealed, Expr::value(row.village_sealed.clone()))
        .col_expr(C::AddressSealed, Expr::value(row.address_sealed.clone()))
        .col_expr(
            C::GuardianNameSealed,
            Expr::value(row.guardian_name_sealed.clone()),
        )
        .col_expr(
            C::GuardianPhoneSealed,
            Expr::value(row.guardian_phone_sealed.clone()),
        )
        .filter(C::Id.eq(row.id.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// One line of a file's history.
pub struct NewEvent<'a> {
    pub child_id: &'a str,
    pub actor_id: &'a str,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub fields: &'a [&'a str],
    pub note: Option<&'a str>,
}

pub async fn add_event(db: &impl ConnectionTrait, event: NewEvent<'_>) -> Result<(), DbErr> {
    let fields = NameList(event.fields.iter().map(|f| (*f).to_owned()).collect());
    child_event::ActiveModel {
        child_id: Set(event.child_id.to_owned()),
        at: Set(Utc::now()),
        actor_id: Set(event.actor_id.to_owned()),
        actor_name: Set(event.actor_name.to_owned()),
        action: Set(event.action.to_owned()),
        fields: Set(fields),
        note: Set(event.note.map(str::to_owned)),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// A file's history, newest first.
pub async fn events(
    db: &impl ConnectionTrait,
    child_id: &str,
) -> Result<Vec<child_event::Model>, DbErr> {
    child_event::Entity::find()
        .filter(child_event::Column::ChildId.eq(child_id))
        .order_by_desc(child_event::Column::Id)
        .all(db)
        .await
}

pub async fn insert_visit(
    db: &impl ConnectionTrait,
    model: visit::Model,
) -> Result<visit::Model, DbErr> {
    model.into_active_model().reset_all().insert(db).await
}

/// A file's visits, most recent first.
pub async fn visits(db: &impl ConnectionTrait, child_id: &str) -> Result<Vec<visit::Model>, DbErr> {
    visit::Entity::find()
        .filter(visit::Column::ChildId.eq(child_id))
        .order_by_desc(visit::Column::VisitedOn)
        .order_by_desc(visit::Column::CreatedAt)
        .all(db)
        .await
}

/// The most recent visit date of a file.
pub async fn last_visit(
    db: &impl ConnectionTrait,
    child_id: &str,
) -> Result<Option<NaiveDate>, DbErr> {
    Ok(visit::Entity::find()
        .filter(visit::Column::ChildId.eq(child_id))
        .order_by_desc(visit::Column::VisitedOn)
        .one(db)
        .await?
        .map(|v| v.visited_on))
}

/// How many files of `status` count under (township, band, class) on
/// `today`, up to `cap`: an index probe that stops at the cap.
pub async fn count_population(
    db: &impl ConnectionTrait,
    status: &str,
    township: &str,
    band: &str,
    class: &str,
    today: NaiveDate,
    cap: u64,
) -> Result<u64, DbErr> {
    let capped = child::Entity::find()
        .select_only()
        .column(child::Column::Id)
        .filter(child::Column::Status.eq(status))
        .filter(child::Column::TownshipCode.eq(township))
        .filter(child::Column::DifficultyClass.eq(class))
        .filter(child::Column::CountedBand.eq(band))
        .filter(child::Column::CountedUntil.gte(today))
        .limit(cap)
        .into_tuple::<String>()
        .all(db)
        .await?;
    Ok(capped.len() as u64)
}

/// Files (id, sealed birth date) whose count expires before `until` or was
/// never set, oldest first: the next page for the daily refresh.
pub async fn counts_expiring(
    db: &impl ConnectionTrait,
    until: NaiveDate,
    limit: u64,
) -> Result<Vec<(String, Vec<u8>)>, DbErr> {
    child::Entity::find()
        .select_only()
        .column(child::Column::Id)
        .column(child::Column::BirthDateSealed)
        .filter(
            sea_orm::Condition::any()
                .add(child::Column::CountedUntil.is_null())
                .add(child::Column::CountedUntil.lt(until)),
        )
        .order_by_asc(child::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Sets the counted band of one file and until when it holds.
pub async fn set_counted(
    db: &impl ConnectionTrait,
    id: &str,
    band: Option<&str>,
    until: NaiveDate,
) -> Result<(), DbErr> {
    child::Entity::update_many()
        .col_expr(
            child::Column::CountedBand,
            Expr::value(band.map(str::to_owned)),
        )
        .col_expr(child::Column::CountedUntil, Expr::value(until))
        .filter(child::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The files with these ids.
pub async fn find_many(
    db: &impl ConnectionTrait,
    ids: &[String],
) -> Result<Vec<child::Model>, DbErr> {
    child::Entity::find()
        .filter(child::Column::Id.is_in(crate::db::id_lists::padded(ids)))
        .all(db)
        .await
}
