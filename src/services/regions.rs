//! Townships and villages, loaded from the data file shipped in the repo.

use sea_orm::DatabaseConnection;
use serde::Deserialize;

use crate::db;
use crate::domain::region::{TownshipCode, VillageCode};

use super::{RequestCtx, ServiceError, ServiceResult, audit};

/// The region file: `assets/regions.json`. Demo data: see the file's note.
const REGIONS_JSON: &str = include_str!("../../assets/regions.json");

#[derive(Deserialize)]
struct RegionFile {
    townships: Vec<TownshipEntry>,
}

#[derive(Deserialize)]
struct TownshipEntry {
    code: String,
    name: String,
    villages: Vec<VillageEntry>,
}

#[derive(Deserialize)]
struct VillageEntry {
    code: String,
    name: String,
}

/// A township with its villages, as listed to users.
#[derive(Debug, Clone)]
pub struct Township {
    pub code: String,
    pub name: String,
    pub villages: Vec<Village>,
}

#[derive(Debug, Clone)]
pub struct Village {
    pub code: String,
    pub name: String,
}

/// Loads the region file into an empty region table (at every start; a no-op
/// once loaded). A malformed file is an error, not a partial load.
pub async fn ensure_loaded(conn: &DatabaseConnection) -> ServiceResult<()> {
    if db::regions::count_townships(conn).await? > 0 {
        return Ok(());
    }
    let file: RegionFile = serde_json::from_str(REGIONS_JSON)
        .map_err(|e| ServiceError::caused("assets/regions.json", e))?;
    let txn = db::begin_write(conn).await?;
    for township in &file.townships {
        let code = TownshipCode::parse(&township.code)
            .map_err(|e| ServiceError::caused(format!("township {}", township.code), e))?;
        db::regions::insert_township(&txn, code.as_str(), &township.name).await?;
        for village in &township.villages {
            let vcode = VillageCode::parse(&village.code)
                .map_err(|e| ServiceError::caused(format!("village {}", village.code), e))?;
            if vcode.township() != code {
                return Err(ServiceError::internal(format!(
                    "village {} is not in township {}",
                    village.code, township.code
                )));
            }
            db::regions::insert_village(&txn, vcode.as_str(), code.as_str(), &village.name).await?;
        }
    }
    audit::append(
        &txn,
        &RequestCtx::system(),
        audit::Event::success("regions.load", "regions")
            .with_detail(format!("{} townships", file.townships.len())),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every township with its villages, by code.
pub async fn list(conn: &DatabaseConnection) -> ServiceResult<Vec<Township>> {
    let townships = db::regions::list_townships(conn).await?;
    let villages = db::regions::list_villages(conn).await?;
    Ok(townships
        .into_iter()
        .map(|t| Township {
            villages: villages
                .iter()
                .filter(|v| v.township_code == t.code)
                .map(|v| Village {
                    code: v.code.clone(),
                    name: v.name.clone(),
                })
                .collect(),
            code: t.code,
            name: t.name,
        })
        .collect())
}

/// The name of a township, for display; the code itself when unknown.
pub fn township_name<'a>(townships: &'a [Township], code: &'a str) -> &'a str {
    townships
        .iter()
        .find(|t| t.code == code)
        .map(|t| t.name.as_str())
        .unwrap_or(code)
}
