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
    assert!(
        matches!(refused, Err(LmsError::BadCredentials)),
        "a disabled account answers like a wrong password, so the answer confirms nothing: {refused:?}"
    );
}

fn clock_now(clock: &ManualClock) -> chrono::DateTime<Utc> {
    use paideia::lms::Clock;
    clock.now()
}

async fn the_throttle_window_slides(b: Backend) {
    let (lms, clock) = lms_at_fixed_time(&b).await;
    account(&lms, "ada@example.org", SystemRole::Student).await;
    let from = |address: &str| ClientInfo {
        address: Some(address.into()),
        user_agent: None,
    };
    let attacker = from("203.0.113.9");
    let wrong = || lms.sign_in("ada@example.org", "wrong password!", &attacker);
    let waits = |r: Result<_, LmsError>| match r {
        Err(LmsError::Throttled { retry_after }) => retry_after,
        other => panic!("expected throttling, got {other:?}"),
    };

    for _ in 0..5 {
        assert!(matches!(wrong().await, Err(LmsError::BadCredentials)));
    }
    assert_eq!(
        waits(wrong().await),
        Duration::seconds(1),
        "the sixth waits"
    );
    clock.advance(Duration::seconds(1));
    assert!(matches!(wrong().await, Err(LmsError::BadCredentials)));
    assert_eq!(
        waits(lms.sign_in("ada@example.org", PASSWORD, &attacker).await),
        Duration::seconds(2),
        "pauses grow, and even the right password waits from this address"
    );
    lms.sign_in("ada@example.org", PASSWORD, &from("198.51.100.7"))
        .await
        .expect("the owner, from another address, is not held up");
    clock.advance(Duration::seconds(2));
    lms.sign_in("ada@example.org", PASSWORD, &attacker)
        .await
        .expect("after the pause the right password signs in");
    for _ in 0..5 {
        assert!(matches!(wrong().await, Err(LmsError::BadCredentials)));
    }

    // However long the attack goes on, the owner waits at most the cap.
    let mut longest = Duration::zero();
    for _ in 0..40 {
        match wrong().await {
            Err(LmsError::Throttled { retry_after }) => {
                longest = longest.max(retry_after);
                clock.advance(retry_after);
            }
            Err(LmsError::BadCredentials) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(
        longest >= Duration::minutes(8) && longest <= Duration::minutes(15),
        "pauses grow to minutes, never past the cap: {longest}"
    );
    while let Err(LmsError::Throttled { retry_after }) = wrong().await {
        clock.advance(retry_after);
    }
    let wait = waits(lms.sign_in("ada@example.org", PASSWORD, &attacker).await);
    assert!(wait <= Duration::minutes(15), "{wait}");
    clock.advance(wait);
    lms.sign_in("ada@example.org", PASSWORD, &attacker)
        .await
        .expect("the owner gets in after the cap");
}
