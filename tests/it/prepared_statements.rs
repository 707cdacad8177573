//! Pooled PostgreSQL connections keep their statements prepared (one round trip a statement
//! instead of two), bounded, and safe across a rolling upgrade's `ALTER TABLE … ADD COLUMN`.

use paideia::db::{Db, Executor};

use crate::support::Backend;

/// How many statements the (only) pooled connection has prepared whose text starts with `like`.
async fn prepared(db: &Db, like: &str) -> i64 {
    db.query_one(
        "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement LIKE $1",
        &[format!("{like}%").into()],
    )
    .await
    .unwrap()
    .get("n")
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_that_gains_a_column_keeps_answering() {
    let b = Backend::postgres().await;
    let db = Db::connect(&b.url, 1).await.unwrap();
    db.execute("CREATE TABLE t (a BIGINT, b TEXT)", &[])
        .await
        .unwrap();
    db.execute("INSERT INTO t (a, b) VALUES (1, 'one')", &[])
        .await
        .unwrap();
    let named = "SELECT a, b FROM t WHERE a = $1";
    for _ in 0..3 {
        assert_eq!(db.query(named, &[1i64.into()]).await.unwrap().len(), 1);
    }
    assert_eq!(
        prepared(&db, "SELECT a, b FROM t").await,
        1,
        "kept prepared once"
    );
    assert_eq!(db.query("SELECT * FROM t", &[]).await.unwrap().len(), 1);
    assert_eq!(
        prepared(&db, "SELECT * FROM t").await,
        0,
        "a * is never kept"
    );

    // Another instance's migration adds a column under the kept statement.
    let other = Db::connect(&b.url, 1).await.unwrap();
    other
        .execute("ALTER TABLE t ADD COLUMN c BIGINT", &[])
        .await
        .unwrap();

    let mut conn = db.conn().await.unwrap();
    let mut tx = conn.transaction().await.unwrap();
    let rows = tx.query(named, &[1i64.into()]).await.unwrap();
    assert_eq!(rows[0].get::<String>("b").unwrap(), "one");
    let rows = tx.query("SELECT * FROM t", &[]).await.unwrap();
    assert_eq!(rows[0].values().len(), 3, "the new column is seen");
    tx.execute(
        "UPDATE t SET c = $1 WHERE a = $2",
        &[7i64.into(), 1i64.into()],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    drop(conn);
    assert_eq!(
        prepared(&db, "UPDATE t SET c").await,
        1,
        "a transaction's statements are kept too"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_written_from_data_do_not_grow_the_cache_without_bound() {
    let b = Backend::postgres().await;
    let db = Db::connect(&b.url, 1).await.unwrap();
    for i in 0..700 {
        let row = db
            .query_one(&format!("SELECT $1::BIGINT + {i} AS n"), &[1i64.into()])
            .await
            .unwrap();
        assert_eq!(row.get::<i64>("n").unwrap(), 1 + i);
    }
    let kept = prepared(&db, "SELECT $1::BIGINT").await;
    assert!((1..=512).contains(&kept), "{kept} statements kept");
}
