//! `Db::pipeline`: a page's independent reads share one pooled connection (pipelined on
//! PostgreSQL), each answer goes to its own read, a failed read fails alone, and the
//! connection goes back to the pool whole. `Db::query_map` hands each row over borrowed, and
//! reads what `query` reads.

use paideia::db::{Db, DbError, Engine, Value, count_statements, field};

use crate::{on_both_engines, support::Backend};

on_both_engines!(
    joined_reads_share_one_connection_and_fail_alone,
    borrowed_rows_read_as_owned_rows_do
);

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

async fn borrowed_rows_read_as_owned_rows_do(b: Backend) {
    let db = Db::connect(&b.url, 2).await.unwrap();
    let (float, time, bytes) = match b.url.engine() {
        Engine::Postgres => ("DOUBLE PRECISION", "TIMESTAMPTZ", "BYTEA"),
        Engine::Sqlite => ("REAL", "DATETIME", "BLOB"),
    };
    db.execute(
        &format!("CREATE TABLE t (a BIGINT, x {float}, s TEXT, at {time}, bin {bytes})"),
        &[],
    )
    .await
    .unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:30:00.123456Z")
        .unwrap()
        .to_utc();
    for a in 0..50i64 {
        let text = (a % 7 != 0).then(|| format!("name {a} é"));
        db.execute(
            "INSERT INTO t (a, x, s, at, bin) VALUES ($1, $2, $3, $4, $5)",
            &[
                a.into(),
                (a as f64 / 4.0).into(),
                text.into(),
                (a % 3 == 0).then_some(at).into(),
                vec![a as u8, 0, 255].into(),
            ],
        )
        .await
        .unwrap();
    }
    let sql = "SELECT a, x, s, at, bin FROM t ORDER BY a";
    let rows = db.query(sql, &[]).await.unwrap();
    let mapped = db
        .query_map(sql, &[], |f| {
            Ok(f.iter().map(|f| f.to_value()).collect::<Vec<_>>())
        })
        .await
        .unwrap();
    assert_eq!(mapped.len(), 50);
    for (row, fields) in rows.iter().zip(&mapped) {
        // SQLite keeps times as text: compare them as the domain reads them.
        for (i, (v, f)) in row.values().iter().zip(fields).enumerate() {
            if i == 3 {
                let v = row
                    .get_at::<Option<chrono::DateTime<chrono::Utc>>>(3)
                    .unwrap();
                let f = match f {
                    Value::Text(t) => {
                        Some(chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc())
                    }
                    Value::Time(t) => Some(*t),
                    _ => None,
                };
                assert_eq!(v, f);
            } else {
                assert_eq!(v, f, "column {i}");
            }
        }
    }

    // Typed reads, text borrowed, inside a pipeline beside an owned read.
    let below = [8i64.into()];
    let (names, count) = db
        .pipeline(async {
            tokio::try_join!(
                db.query_map(
                    "SELECT a, s, at FROM t WHERE a < $1 ORDER BY a",
                    &below,
                    |f| {
                        let a: i64 = field(f, 0)?;
                        let s: Option<&str> = field(f, 1)?;
                        let at: Option<chrono::DateTime<chrono::Utc>> = field(f, 2)?;
                        Ok((a, s.map(str::len), at))
                    },
                ),
                async { Ok::<_, DbError>(db.query("SELECT a FROM t", &[]).await?.len()) },
            )
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(count, 50);
    assert_eq!(names[0], (0, None, Some(at)));
    assert_eq!(names[1], (1, Some("name 1 é".len()), None));
    assert_eq!(names.len(), 8);

    // A field of another type is a clear error naming its place, and fails that read alone.
    let wrong = db
        .query_map("SELECT s FROM t WHERE a = 1", &[], |f| field::<i64>(f, 0))
        .await
        .unwrap_err();
    assert!(
        wrong.to_string().contains("column 0") && wrong.to_string().contains("i64"),
        "{wrong}"
    );
    if b.url.engine() == Engine::Postgres {
        let json = db
            .query_map("SELECT '{}'::json AS j", &[], |f| Ok(f.len()))
            .await
            .unwrap_err();
        assert!(json.to_string().contains("cast it to text"), "{json}");
    } else {
        // Text that is not UTF-8 reads lossily, as `query` reads it.
        let sql = "SELECT CAST(X'61FF62' AS TEXT) AS s";
        let lossy = db
            .query_map(sql, &[], |f| field::<String>(f, 0))
            .await
            .unwrap();
        let owned = db.query(sql, &[]).await.unwrap()[0]
            .get::<String>("s")
            .unwrap();
        assert_eq!(lossy, vec![owned]);
        assert_eq!(lossy[0], "a\u{FFFD}b");
    }
}
