//! Who is on file, counted by (township, age band, difficulty class): the
//! ground truth of the k-anonymity rule. Computed from the files at the
//! moment of the read, so a projection can never lag behind a file that
//! changed, a file that closed, or a birthday that moved a child to the
//! next band.
//!
//! Counting needs each child's birth date, which is sealed: it is opened
//! here in memory, reduced to a band at once, and never leaves this module.
//! No person sees it, so these openings are not audit entries (the audit
//! records people's reads).

use chrono::NaiveDate;

use crate::db;
use crate::db::entities::child;
use crate::domain::child::{AgeBand, DifficultyClass, FileStatus};
use crate::domain::projection::Population;
use crate::vault::Vault;

use super::super::{ServiceError, ServiceResult, Store};
use super::identity;

/// The band and class of one file today (`None` band from 18).
pub fn band_and_class(
    vault: &Vault,
    child: &child::Model,
    today: NaiveDate,
) -> ServiceResult<(Option<AgeBand>, DifficultyClass)> {
    let birth = identity::birth_date(vault, child)?;
    let class = child
        .difficulty_class
        .parse()
        .map_err(|_| ServiceError::internal("unknown difficulty class on file"))?;
    Ok((AgeBand::of(birth, today), class))
}

/// How long a count must stay true. Projections stored in the search index
/// are refreshed daily; a child whose birthday moves them to another band
/// within this horizon is not counted in either band, so no stored
/// projection can show a township that a birthday has since put under k.
pub const HORIZON_DAYS: i64 = 2;

/// Active files of the whole county, counted (see [`HORIZON_DAYS`]). Reads
/// four columns of each file, not whole files: this runs for every
/// projection and every indexing batch.
pub async fn load(store: Store<'_>, today: NaiveDate) -> ServiceResult<Population> {
    let rows = db::children::population_rows(store.db, FileStatus::Active.as_str()).await?;
    let mut population = Population::default();
    let later = today + chrono::Duration::days(HORIZON_DAYS);
    for (id, township, class, sealed) in rows {
        let birth = identity::birth_date_sealed(store.vault, &id, &sealed)?;
        let class: DifficultyClass = class
            .parse()
            .map_err(|_| ServiceError::internal("unknown difficulty class on file"))?;
        if let Some(band) = AgeBand::of(birth, today)
            && AgeBand::of(birth, later) == Some(band)
        {
            population.add(&township, band, class);
        }
    }
    Ok(population)
}
