//! Entitlement records (保障待遇): what a child receives, since when, how
//! much, on which decision. The file's old "assistance received" ticks
//! (`children.assistance`, a JSON list of codes) become records here, one
//! per tick, without loss: the record keeps the tick's code mapped to the
//! rule it stands for, `source = 'migrated'` and no start date (a tick had
//! none). The ticks are then cleared; `down` writes them back from the
//! open records and drops the table.

use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Children {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Entitlements {
    Table,
    Id,
    ChildId,
    Benefit,
    Name,
    Since,
    AmountYuan,
    Detail,
    Reference,
    EndedOn,
    Source,
    ReferralId,
    RecordedBy,
    CreatedAt,
}

/// Each old tick with the rule code it becomes and that rule's name.
const TICKS: [(&str, &str, &str); 8] = [
    (
        "minimum_living",
        "minimum_living",
        "最低生活保障（适当提高救助水平）",
    ),
    ("extreme_poverty", "extreme_poverty", "特困人员救助供养"),
    ("orphan_allowance", "orphan_allowance", "孤儿基本生活保障"),
    (
        "unsupported_allowance",
        "unsupported_allowance",
        "事实无人抚养儿童基本生活保障",
    ),
    (
        "temporary_relief",
        "temporary_relief",
        "临时救助（适当提高儿童救助水平）",
    ),
    ("disability_subsidy", "disability_subsidy", "残疾人两项补贴"),
    (
        "medical_aid",
        "medical_assistance",
        "医疗保险倾斜和医疗救助",
    ),
    (
        "education_aid",
        "education_aid",
        "教育资助和义务教育“两免一补”",
    ),
];

/// The codes of a stored list (`["a","b"]`): codes are lowercase ASCII.
fn codes(json: &str) -> Vec<String> {
    json.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Entitlements::Table)
                    .col(string_len(Entitlements::Id, 64).primary_key())
                    .col(string_len(Entitlements::ChildId, 36))
                    .col(string_len(Entitlements::Benefit, 48))
                    .col(string_len(Entitlements::Name, 128))
                    .col(date_null(Entitlements::Since))
                    .col(big_integer_null(Entitlements::AmountYuan))
                    .col(string_len_null(Entitlements::Detail, 200))
                    .col(string_len_null(Entitlements::Reference, 128))
                    .col(date_null(Entitlements::EndedOn))
                    .col(string_len(Entitlements::Source, 16))
                    .col(string_len_null(Entitlements::ReferralId, 36))
                    .col(string_len_null(Entitlements::RecordedBy, 36))
                    .col(timestamp_with_time_zone(Entitlements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Entitlements::Table, Entitlements::ChildId)
                            .to(Children::Table, Children::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_entitlements_child")
                    .table(Entitlements::Table)
                    .col(Entitlements::ChildId)
                    .col(Entitlements::Benefit)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, assistance, updated_at FROM children WHERE assistance <> '[]'",
            ))
            .await?;
        for row in rows {
            let child: String = row.try_get("", "id")?;
            let json: String = row.try_get("", "assistance")?;
            let at: sea_orm_migration::sea_orm::prelude::DateTimeUtc =
                row.try_get("", "updated_at")?;
            for (i, code) in codes(&json).iter().enumerate() {
                let (benefit, name) = TICKS
                    .iter()
                    .find(|(tick, _, _)| tick == code)
                    .map(|(_, b, n)| ((*b).to_owned(), (*n).to_owned()))
                    // A code this migration does not know is kept as it is.
                    .unwrap_or_else(|| (code.clone(), code.clone()));
                let mut insert = Query::insert();
                insert
                    .into_table(Entitlements::Table)
                    .columns([
                        Entitlements::Id,
                        Entitlements::ChildId,
                        Entitlements::Benefit,
                        Entitlements::Name,
                        Entitlements::Source,
                        Entitlements::CreatedAt,
                    ])
                    .values([
                        format!("{child}-m{i}").into(),
                        child.clone().into(),
                        benefit.into(),
                        name.into(),
                        "migrated".into(),
                        at.into(),
                    ])
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
                manager.exec_stmt(insert).await?;
            }
        }
        db.execute_unprepared("UPDATE children SET assistance = '[]'")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT child_id, benefit FROM entitlements WHERE ended_on IS NULL \
                 ORDER BY child_id, benefit",
            ))
            .await?;
        let mut ticks: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for row in rows {
            let child: String = row.try_get("", "child_id")?;
            let benefit: String = row.try_get("", "benefit")?;
            if let Some((tick, _, _)) = TICKS.iter().find(|(_, b, _)| *b == benefit) {
                let list = ticks.entry(child).or_default();
                if !list.iter().any(|t| t == tick) {
                    list.push((*tick).to_owned());
                }
            }
        }
        for (child, list) in ticks {
            let json = format!(
                "[{}]",
                list.iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let mut update = Query::update();
            update
                .table(Alias::new("children"))
                .value(Alias::new("assistance"), json)
                .and_where(Expr::col(Alias::new("id")).eq(child));
            manager.exec_stmt(update).await?;
        }
        manager
            .drop_table(Table::drop().table(Entitlements::Table).to_owned())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::codes;

    #[test]
    fn stored_lists_read_as_their_codes() {
        assert_eq!(
            codes(r#"["minimum_living","education_aid"]"#),
            vec!["minimum_living", "education_aid"]
        );
        assert!(codes("[]").is_empty());
    }
}
