//! The `children` table: one file per child. Personal values are sealed
//! (see `crate::vault`); never add a plain column for them.

use sea_orm::entity::prelude::*;

use crate::db::columns::CodeList;
use crate::domain::child::{Assistance, Difficulty, DifficultyClass, FileStatus, SchoolStatus};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "children")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub file_no: String,
    pub township_code: String,
    /// Blind index of the village code.
    pub village_index: String,
    /// Blind index of the normalized ID number (unique).
    pub id_number_index: String,
    pub name_sealed: Vec<u8>,
    pub id_number_sealed: Vec<u8>,
    pub birth_date_sealed: Vec<u8>,
    pub village_sealed: Vec<u8>,
    pub address_sealed: Option<Vec<u8>>,
    pub guardian_name_sealed: Option<Vec<u8>>,
    pub guardian_phone_sealed: Option<Vec<u8>>,
    pub gender: String,
    pub guardian_relation: Option<String>,
    pub school: Option<String>,
    /// JSON array of difficulty codes.
    pub difficulties: CodeList<Difficulty>,
    pub difficulty_class: DifficultyClass,
    pub poverty_type: Option<String>,
    pub disability_type: Option<String>,
    pub disability_grade: Option<i16>,
    pub unsupported_reason: Option<String>,
    pub illness: Option<String>,
    /// JSON array of assistance codes: the old ticks, migrated to
    /// entitlement records (`entitlements`) and no longer written (`[]`).
    pub assistance: CodeList<Assistance>,
    pub consent_keep_file: bool,
    pub consent_publish_needs: bool,
    pub statutory_basis: Option<String>,
    pub status: FileStatus,
    pub closed_reason: Option<String>,
    /// When the file was closed (NULL while on file): the oversight figures
    /// count a file on file at a period's end from `created_at` and this.
    pub closed_at: Option<DateTimeUtc>,
    pub last_visited_on: Option<Date>,
    /// The age band the child counts in for k-anonymity, while no birthday
    /// moves them within the counting horizon (see `files::population`).
    pub counted_band: Option<String>,
    /// Until when `counted_band` holds; later the file counts nowhere.
    pub counted_until: Option<Date>,
    /// Whether the child goes to school (NULL: not recorded).
    pub school_status: Option<SchoolStatus>,
    /// A disability is suspected and not yet diagnosed.
    pub suspected_disability: bool,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
