//! Referrals (转介) of children's cases to departments, with deadlines in
//! working days (`due_on`) and the day past twice the deadline when an
//! unanswered referral escalates to the county (`escalate_on`), and their
//! timeline and comment thread (`referral_events`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Children {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Referrals {
    Table,
    Id,
    ChildId,
    TownshipCode,
    Department,
    RuleId,
    Matter,
    Summary,
    Status,
    DueWorkingDays,
    DueOn,
    EscalateOn,
    CreatedBy,
    CreatedAt,
    AcceptedAt,
    AnsweredAt,
    AnsweredBy,
    AnswerText,
    Outcome,
    AmountYuan,
    StartOn,
    DecisionReference,
    ForwardedTo,
    ForwardedFrom,
    IntakeId,
    AskedAt,
    ClosedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReferralEvents {
    Table,
    Id,
    ReferralId,
    At,
    ActorId,
    ActorName,
    Side,
    Action,
    Text,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Referrals::Table)
                    .col(string_len(Referrals::Id, 36).primary_key())
                    .col(string_len(Referrals::ChildId, 36))
                    .col(string_len(Referrals::TownshipCode, 9))
                    .col(string_len(Referrals::Department, 32))
                    .col(string_len_null(Referrals::RuleId, 48))
                    .col(string_len(Referrals::Matter, 200))
                    .col(text(Referrals::Summary))
                    .col(string_len(Referrals::Status, 16))
                    .col(integer(Referrals::DueWorkingDays))
                    .col(date(Referrals::DueOn))
                    .col(date(Referrals::EscalateOn))
                    .col(string_len(Referrals::CreatedBy, 36))
                    .col(timestamp_with_time_zone(Referrals::CreatedAt))
                    .col(timestamp_with_time_zone_null(Referrals::AcceptedAt))
                    .col(timestamp_with_time_zone_null(Referrals::AnsweredAt))
                    .col(string_len_null(Referrals::AnsweredBy, 36))
                    .col(text_null(Referrals::AnswerText))
                    .col(string_len_null(Referrals::Outcome, 16))
                    .col(big_integer_null(Referrals::AmountYuan))
                    .col(date_null(Referrals::StartOn))
                    .col(string_len_null(Referrals::DecisionReference, 128))
                    .col(string_len_null(Referrals::ForwardedTo, 36))
                    .col(string_len_null(Referrals::ForwardedFrom, 36))
                    .col(string_len_null(Referrals::IntakeId, 36))
                    .col(timestamp_with_time_zone_null(Referrals::AskedAt))
                    .col(timestamp_with_time_zone_null(Referrals::ClosedAt))
                    .col(timestamp_with_time_zone(Referrals::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Referrals::Table, Referrals::ChildId)
                            .to(Children::Table, Children::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_referrals_department_status",
                vec![Referrals::Department, Referrals::Status, Referrals::DueOn],
            ),
            (
                "idx_referrals_township_status",
                vec![Referrals::TownshipCode, Referrals::Status, Referrals::DueOn],
            ),
            (
                "idx_referrals_status_escalate",
                vec![Referrals::Status, Referrals::EscalateOn],
            ),
            ("idx_referrals_child", vec![Referrals::ChildId]),
            ("idx_referrals_intake", vec![Referrals::IntakeId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Referrals::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReferralEvents::Table)
                    .col(
                        big_integer(ReferralEvents::Id)
                            .primary_key()
                            .auto_increment(),
                    )
                    .col(string_len(ReferralEvents::ReferralId, 36))
                    .col(timestamp_with_time_zone(ReferralEvents::At))
                    .col(string_len(ReferralEvents::ActorId, 36))
                    .col(string_len(ReferralEvents::ActorName, 64))
                    .col(string_len(ReferralEvents::Side, 16))
                    .col(string_len(ReferralEvents::Action, 16))
                    .col(text_null(ReferralEvents::Text))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReferralEvents::Table, ReferralEvents::ReferralId)
                            .to(Referrals::Table, Referrals::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_referral_events_referral")
                    .table(ReferralEvents::Table)
                    .col(ReferralEvents::ReferralId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReferralEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Referrals::Table).to_owned())
            .await
    }
}
