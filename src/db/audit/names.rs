//! The names the audit page shows for the objects its entries name: a
//! file's number (never a child's name), an offer's or need's title, an
//! organisation's or family's name, an account's username. One query per
//! kind for the ids of one page.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::super::entities::{child, family, need, offer, provider, user};

/// `id → name` of the objects of `kind` among `ids` (kinds without a name
/// to show: nothing).
pub async fn of_kind(
    db: &impl ConnectionTrait,
    kind: &str,
    ids: &[String],
) -> Result<HashMap<String, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = crate::db::id_lists::padded(ids);
    let rows: Vec<(String, String)> = match kind {
        "child" => {
            child::Entity::find()
                .select_only()
                .columns([child::Column::Id, child::Column::FileNo])
                .filter(child::Column::Id.is_in(ids))
                .into_tuple()
                .all(db)
                .await?
        }
        "need" => {
            need::Entity::find()
                .select_only()
                .columns([need::Column::Id, need::Column::Title])
                .filter(need::Column::Id.is_in(ids))
                .into_tuple()
                .all(db)
                .await?
        }
        "offer" => {
            offer::Entity::find()
                .select_only()
                .columns([offer::Column::Id, offer::Column::Title])
                .filter(offer::Column::Id.is_in(ids))
                .into_tuple()
                .all(db)
                .await?
        }
        "provider" => {
            provider::Entity::find()
                .select_only()
                .columns([provider::Column::Id, provider::Column::Name])
                .filter(provider::Column::Id.is_in(ids))
                .into_tuple()
                .all(db)
                .await?
        }
        "family" => {
            family::Entity::find()
                .select_only()
                .columns([family::Column::Id, family::Column::HouseholdName])
                .filter(family::Column::Id.is_in(ids))
                .into_tuple()
                .all(db)
                .await?
        }
        "user" => {
            user::Entity::find()
                .select_only()
                .columns([user::Column::Id, user::Column::Username])
                .filter(user::Column::Id.is_in(ids))
                .into_tuple()
                .all(db)
                .await?
        }
        _ => Vec::new(),
    };
    Ok(rows.into_iter().collect())
}
