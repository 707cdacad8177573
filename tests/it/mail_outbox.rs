//! The outbox as other modules use it: a mail queued inside a transaction exists exactly when
//! the transaction commits; opt-outs and unsubscribe links; no mail without a mail site. Both
//! engines.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use paideia::{
    lms::{
        Lms, MailKind, ManualClock, NewMail, SystemRole,
        outbox::{self, MailSite},
    },
    migrate::{Migrator, UpOptions},
};

use crate::{
    on_both_engines,
    support::{Backend, browser::account},
};

on_both_engines!(
    a_mail_lives_and_dies_with_its_transaction,
    opted_out_kinds_are_not_queued_and_links_are_checked
);

pub async fn mail_lms(b: &Backend) -> Lms {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
    ));
    Lms::new(db, clock).with_mail(MailSite::new("https://lms.example.org"))
}

async fn pending(lms: &Lms) -> Vec<(i64, String, String, Option<String>)> {
    lms.db()
        .query(
            "SELECT id, status, message_id, unsubscribe_url FROM outbox ORDER BY id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get("id").unwrap(),
                r.get("status").unwrap(),
                r.get("message_id").unwrap(),
                r.get("unsubscribe_url").unwrap(),
            )
        })
        .collect()
}

async fn a_mail_lives_and_dies_with_its_transaction(b: Backend) {
    let lms = mail_lms(&b).await;
    let ada = account(&lms, "ada@example.org", SystemRole::Student).await;
    let mail = NewMail::to_user(&ada, MailKind::Announcement, "Hello", "Body");

    let mut conn = lms.db().conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    let id = lms.enqueue_mail(&mut tx, &mail).await.unwrap();
    assert!(id.is_some());
    tx.rollback().await.unwrap();
    assert!(pending(&lms).await.is_empty(), "rolled back: no mail");

    let mut tx = conn.transaction().await.unwrap();
    let id = lms.enqueue_mail(&mut tx, &mail).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let rows = pending(&lms).await;
    assert_eq!(rows.len(), 1);
    let (row_id, status, message_id, unsubscribe) = &rows[0];
    assert_eq!((*row_id, status.as_str()), (id, "pending"));
    assert!(message_id.ends_with("@lms.example.org>"), "{message_id}");
    let unsubscribe = unsubscribe.as_deref().expect("an unsubscribe link");
    assert!(
        unsubscribe.starts_with(&format!(
            "https://lms.example.org/unsubscribe/{}/announcement/",
            ada.id
        )),
        "{unsubscribe}"
    );

    // Without a mail site (no SMTP configured) nothing is queued.
    let plain = Lms::new(lms.db().clone(), Arc::new(ManualClock::new(Utc::now())));
    let mut tx = conn.transaction().await.unwrap();
    assert_eq!(plain.enqueue_mail(&mut tx, &mail).await.unwrap(), None);
    tx.commit().await.unwrap();
    assert_eq!(pending(&lms).await.len(), 1);
}

async fn opted_out_kinds_are_not_queued_and_links_are_checked(b: Backend) {
    let lms = mail_lms(&b).await;
    let ada = account(&lms, "ada@example.org", SystemRole::Student).await;
    let now = lms.now();
    let mut conn = lms.db().conn().await.unwrap();
    let path = outbox::unsubscribe_path(&mut conn, now, ada.id, MailKind::Digest)
        .await
        .unwrap();
    let mac = path.rsplit('/').next().unwrap();
    assert!(
        outbox::check_unsubscribe(&mut conn, now, ada.id, MailKind::Digest, mac)
            .await
            .unwrap()
    );
    for (user, kind) in [
        (ada.id + 1, MailKind::Digest),
        (ada.id, MailKind::Announcement),
    ] {
        assert!(
            !outbox::check_unsubscribe(&mut conn, now, user, kind, mac)
                .await
                .unwrap()
        );
    }

    outbox::set_email_enabled(&mut conn, now, ada.id, MailKind::Digest, false)
        .await
        .unwrap();
    assert!(
        !outbox::email_enabled(&mut conn, ada.id, MailKind::Digest)
            .await
            .unwrap()
    );
    let digest = NewMail::to_user(&ada, MailKind::Digest, "Today", "…");
    assert_eq!(lms.enqueue_mail(&mut conn, &digest).await.unwrap(), None);
    // A password reset cannot be turned off and carries no unsubscribe link.
    outbox::set_email_enabled(&mut conn, now, ada.id, MailKind::PasswordReset, false)
        .await
        .unwrap();
    let reset = NewMail::to_user(&ada, MailKind::PasswordReset, "Reset", "…");
    assert!(lms.enqueue_mail(&mut conn, &reset).await.unwrap().is_some());
    outbox::set_email_enabled(&mut conn, now, ada.id, MailKind::Digest, true)
        .await
        .unwrap();
    assert!(
        lms.enqueue_mail(&mut conn, &digest)
            .await
            .unwrap()
            .is_some()
    );
    let rows = pending(&lms).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].3, None);
    assert!(rows[1].3.is_some());
}

/// The mail tables travel in dumps, from SQLite into PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_rows_survive_a_dump_and_restore_across_engines() {
    let from = Backend::sqlite();
    let lms = mail_lms(&from).await;
    let ada = account(&lms, "ada@example.org", SystemRole::Student).await;
    let mut conn = lms.db().conn().await.unwrap();
    let mail = NewMail::to_user(&ada, MailKind::Announcement, "Hello", "Body");
    lms.enqueue_mail(&mut conn, &mail).await.unwrap().unwrap();
    outbox::set_email_enabled(&mut conn, lms.now(), ada.id, MailKind::Digest, false)
        .await
        .unwrap();
    lms.request_password_reset("ada@example.org", None)
        .await
        .unwrap();
    drop(conn);
    let dump = from.dir.path().join("mail.sql");
    let (code, _, err) = crate::support::run(from.paideia().args(["dump", "-o"]).arg(&dump));
    assert_eq!(code, 0, "{err}");
    let to = Backend::postgres().await;
    let (code, _, err) = crate::support::run(to.paideia().arg("restore").arg(&dump));
    assert_eq!(code, 0, "{err}");
    let restored = to.db().await;
    for (table, rows) in [("outbox", 2), ("password_resets", 1), ("mail_opt_outs", 1)] {
        let n: i64 = restored
            .query_one(&format!("SELECT COUNT(*) AS n FROM {table}"), &[])
            .await
            .unwrap()
            .get("n")
            .unwrap();
        assert_eq!(n, rows, "{table}");
    }
    let link: String = restored
        .query_one(
            "SELECT unsubscribe_url FROM outbox WHERE kind = 'announcement'",
            &[],
        )
        .await
        .unwrap()
        .get("unsubscribe_url")
        .unwrap();
    let mac = link.rsplit('/').next().unwrap().to_string();
    let mut conn = restored.conn().await.unwrap();
    assert!(
        outbox::check_unsubscribe(&mut conn, lms.now(), ada.id, MailKind::Announcement, &mac)
            .await
            .unwrap(),
        "links mailed before the restore still work (the key is in site_settings)"
    );
}

/// Asking for reset links is throttled per address, whether or not an account has it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_requests_are_throttled() {
    let b = Backend::sqlite();
    let lms = mail_lms(&b).await;
    account(&lms, "ada@example.org", SystemRole::Student).await;
    for email in ["ada@example.org", "nobody@example.org"] {
        for _ in 0..3 {
            lms.request_password_reset(email, Some("10.0.0.1"))
                .await
                .unwrap();
        }
        let fourth = lms.request_password_reset(email, Some("10.0.0.2")).await;
        assert!(
            matches!(fourth, Err(paideia::lms::LmsError::Throttled { .. })),
            "{email}: {fourth:?}"
        );
    }
    let n: i64 = lms
        .db()
        .query_one("SELECT COUNT(*) AS n FROM outbox", &[])
        .await
        .unwrap()
        .get("n")
        .unwrap();
    assert_eq!(n, 3, "three links to ada, none to nobody");
}
