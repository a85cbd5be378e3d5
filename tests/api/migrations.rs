//! The schema's migrations can be undone and redone: each `down` works.

use migrations::{Migrator, MigratorTrait};

use crate::helpers::TestApp;

#[tokio::test]
async fn every_migration_goes_down_and_up_again() {
    let app = TestApp::spawn().await;
    let applied = Migrator::get_applied_migrations(&app.db)
        .await
        .expect("applied migrations")
        .len();
    assert_eq!(applied, Migrator::migrations().len());

    Migrator::down(&app.db, None)
        .await
        .expect("every down runs");
    assert!(
        Migrator::get_applied_migrations(&app.db)
            .await
            .expect("applied migrations")
            .is_empty()
    );

    Migrator::up(&app.db, None).await.expect("and up again");
    assert_eq!(
        Migrator::get_pending_migrations(&app.db)
            .await
            .expect("pending migrations")
            .len(),
        0
    );
}
