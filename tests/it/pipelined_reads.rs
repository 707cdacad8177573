//! `Db::pipeline`: a page's independent reads share one pooled connection (pipelined on
//! PostgreSQL), each answer goes to its own read, a failed read fails alone, and the
//! connection goes back to the pool whole.

use paideia::db::{Db, DbError, count_statements};

use crate::{on_both_engines, support::Backend};

on_both_engines!(joined_reads_share_one_connection_and_fail_alone);

async fn joined_reads_share_one_connection_and_fail_alone(b: Backend) {
    // One connection in the pool: the pipeline holds it, so every read inside must share it
    // (a read that took its own would wait for the pool until it gave up).
    let db = Db::connect(&b.url, 1).await.unwrap();
    db.execute("CREATE TABLE t (a BIGINT, b TEXT)", &[])
        .await
        .unwrap();
    for a in 0..100i64 {
        db.execute(
            "INSERT INTO t (a, b) VALUES ($1, $2)",
            &[a.into(), format!("row {a}").into()],
        )
        .await
        .unwrap();
    }
    let read = |a: i64| {
        let db = db.clone();
        async move {
            let row = db
                .query_one("SELECT b FROM t WHERE a = $1", &[a.into()])
                .await?;
            row.get::<String>("b")
        }
    };
    let (answers, statements) = count_statements(db.pipeline(async {
        tokio::try_join!(
            read(3),
            read(41),
            async { Ok::<_, DbError>(db.query("SELECT a FROM t ORDER BY a", &[]).await?.len()) },
            read(99),
        )
    }))
    .await;
    let answers = answers.unwrap().unwrap();
    assert_eq!(
        answers,
        ("row 3".into(), "row 41".into(), 100, "row 99".into())
    );
    assert_eq!(statements, 4);

    // A read that fails (no such row, bad SQL) fails alone; the others still get their rows.
    let (missing, bad, good) = db
        .pipeline(async { tokio::join!(read(1000), db.query("SELECT nope FROM t", &[]), read(7),) })
        .await
        .unwrap();
    assert!(matches!(missing, Err(DbError::NoRow)), "{missing:?}");
    assert!(bad.is_err());
    assert_eq!(good.unwrap(), "row 7");

    // The connection went back to the pool and still works, for writes as well.
    db.execute("UPDATE t SET b = 'changed' WHERE a = 7", &[])
        .await
        .unwrap();
    assert_eq!(read(7).await.unwrap(), "changed");
}

/// A SQLite read starts on the async worker and hands the rest off once it runs long: every
/// row still comes, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_sqlite_read_returns_every_row() {
    let b = Backend::sqlite();
    // One connection, so the second run is the same prepared statement, which its first run
    // marked long: it then runs off the worker from the start.
    let db = Db::connect(&b.url, 1).await.unwrap();
    for _ in 0..2 {
        let rows = db
            .query(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
                 SELECT i FROM n",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(rows.len(), 200_000);
        for (k, row) in rows.iter().enumerate().step_by(9_973) {
            assert_eq!(row.get::<i64>("i").unwrap(), k as i64 + 1);
        }
    }
}
