//! The LMS domain with a clock the test moves: session expiry and the sign-in throttle's
//! window, on both engines.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use paideia::{
    lms::{ClientInfo, Lms, LmsError, ManualClock, SystemRole, sessions::SESSION_LIFETIME},
    migrate::{Migrator, UpOptions},
};

use crate::{
    on_both_engines,
    support::{
        Backend,
        browser::{PASSWORD, account},
    },
};

on_both_engines!(
    sessions_expire_after_their_lifetime,
    the_throttle_window_slides
);

async fn lms_at_fixed_time(b: &Backend) -> (Lms, Arc<ManualClock>) {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
    ));
    (Lms::new(db, clock.clone()), clock)
}

async fn sessions_expire_after_their_lifetime(b: Backend) {
    let (lms, clock) = lms_at_fixed_time(&b).await;
    let user = account(&lms, "ada@example.org", SystemRole::Student).await;
    let session = lms
        .sign_in("ada@example.org", PASSWORD, &ClientInfo::default())
        .await
        .unwrap();
    assert_eq!(session.expires_at, clock_now(&clock) + SESSION_LIFETIME);
    let me = lms
        .session(&session.token)
        .await
        .unwrap()
        .expect("a fresh session");
    assert_eq!(me.user.id, user.id);
    assert_eq!(me.csrf_token.len(), 64);

    clock.advance(SESSION_LIFETIME - Duration::seconds(1));
    assert!(lms.session(&session.token).await.unwrap().is_some());
    clock.advance(Duration::seconds(1));
    assert!(
        lms.session(&session.token).await.unwrap().is_none(),
        "expired"
    );
    assert!(lms.session(&"f".repeat(64)).await.unwrap().is_none());

    let second = lms
        .sign_in("ada@example.org", PASSWORD, &ClientInfo::default())
        .await
        .unwrap();
    lms.set_disabled(user.id, true).await.unwrap();
    assert!(
        lms.session(&second.token).await.unwrap().is_none(),
        "disabling ends sessions"
    );
    let refused = lms
        .sign_in("ada@example.org", PASSWORD, &ClientInfo::default())
        .await;
    assert!(matches!(refused, Err(LmsError::Disabled)), "{refused:?}");
}

fn clock_now(clock: &ManualClock) -> chrono::DateTime<Utc> {
    use paideia::lms::Clock;
    clock.now()
}

async fn the_throttle_window_slides(b: Backend) {
    let (lms, clock) = lms_at_fixed_time(&b).await;
    account(&lms, "ada@example.org", SystemRole::Student).await;
    let client = ClientInfo {
        address: Some("203.0.113.9".into()),
        user_agent: None,
    };
    let wrong = || lms.sign_in("ada@example.org", "wrong password!", &client);

    for _ in 0..4 {
        assert!(matches!(wrong().await, Err(LmsError::BadCredentials)));
        clock.advance(Duration::minutes(1));
    }
    lms.sign_in("ada@example.org", PASSWORD, &client)
        .await
        .expect("a success clears the account count");
    clock.advance(Duration::minutes(1));
    for _ in 0..4 {
        assert!(matches!(wrong().await, Err(LmsError::BadCredentials)));
    }
    clock.advance(Duration::minutes(2));
    assert!(matches!(wrong().await, Err(LmsError::BadCredentials)));
    match lms.sign_in("ada@example.org", PASSWORD, &client).await {
        Err(LmsError::Throttled { retry_after }) => assert_eq!(retry_after, Duration::minutes(13)),
        other => panic!("expected throttling, got {other:?}"),
    }
    clock.advance(Duration::minutes(13) - Duration::seconds(1));
    assert!(matches!(wrong().await, Err(LmsError::Throttled { .. })));
    clock.advance(Duration::seconds(1));
    lms.sign_in("ada@example.org", PASSWORD, &client)
        .await
        .expect("the oldest failure left the window");
}
