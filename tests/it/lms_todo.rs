//! The home page's to-do and the calendar's dated items at the domain level, with a clock the
//! test moves, on both engines: work due soon across courses (handed in or not), overdue work
//! not handed in and still accepted, grades released (or changed) lately, submissions waiting
//! for grading per assignment for teachers and TAs, and only courses a person may see.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use paideia::{
    lms::{
        CourseInput, Lms, ManualClock, SystemRole, User,
        agenda::{DateKind, Todo},
        assignments::AssignmentInput,
        courses::CourseView,
        visibility::VisibilityInput,
    },
    migrate::{Migrator, UpOptions},
};

use crate::{lms_assignments::assignment_input, on_both_engines, support::Backend};

on_both_engines!(
    the_todo_of_students_and_teachers,
    dated_items_of_visible_courses
);

fn form_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// 1 March 2026, 09:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

struct School {
    lms: Lms,
    clock: Arc<ManualClock>,
    teacher: User,
    ta: User,
    ada: User,
    bob: User,
    cyd: User,
    bio: CourseView,
    chem: CourseView,
    draft: CourseView,
}

async fn account(lms: &Lms, email: &str, role: SystemRole) -> User {
    crate::support::browser::account(lms, email, role).await
}

/// Teacher and TA of `bio`; ada in `bio`, `chem` and the draft course; bob in `bio`; cyd in
/// `chem`. The clock starts 20 days before `t0`.
async fn school(b: &Backend) -> School {
    let db = b.db().await;
    Migrator::embedded(&db)
        .up(UpOptions::default())
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(t0() - Duration::days(20)));
    let lms = Lms::new(db, clock.clone());
    let teacher = account(&lms, "teach@example.org", SystemRole::Instructor).await;
    let ta = account(&lms, "ta@example.org", SystemRole::Student).await;
    let ada = account(&lms, "ada@example.org", SystemRole::Student).await;
    let bob = account(&lms, "bob@example.org", SystemRole::Student).await;
    let cyd = account(&lms, "cyd@example.org", SystemRole::Student).await;
    let mut views = Vec::new();
    for (slug, status) in [
        ("bio", "published"),
        ("chem", "published"),
        ("draft", "draft"),
    ] {
        let input = CourseInput {
            title: format!("Course {slug}"),
            slug: slug.into(),
            status: status.into(),
            ..CourseInput::default()
        };
        lms.create_course(&teacher, &input).await.unwrap();
        views.push(lms.course_view(&teacher, slug).await.unwrap());
    }
    let [bio, chem, draft] = <[CourseView; 3]>::try_from(views).unwrap();
    for (view, email, role) in [
        (&bio, "ta@example.org", "ta"),
        (&bio, "ada@example.org", "student"),
        (&bio, "bob@example.org", "student"),
        (&chem, "ada@example.org", "student"),
        (&chem, "cyd@example.org", "student"),
        (&draft, "ada@example.org", "student"),
    ] {
        lms.enroll(view, email, role).await.unwrap();
    }
    School {
        lms,
        clock,
        teacher,
        ta,
        ada,
        bob,
        cyd,
        bio,
        chem,
        draft,
    }
}

impl School {
    /// An assignment in `view`'s root section, due `due` hours after `t0`, with an optional
    /// cut-off and opening time (hours after `t0`).
    async fn assignment(
        &self,
        view: &CourseView,
        title: &str,
        due: Option<i64>,
        cutoff: Option<i64>,
        opens: Option<i64>,
    ) -> i64 {
        let root = self.lms.sections(view).await.unwrap()[0].id;
        let at = |h: Option<i64>| {
            h.map(|h| form_time(t0() + Duration::hours(h)))
                .unwrap_or_default()
        };
        let input = AssignmentInput {
            due_at: at(due),
            cutoff_at: at(cutoff),
            opens_at: at(opens),
            ..assignment_input(root, title)
        };
        self.lms
            .add_assignment(view, &input)
            .await
            .unwrap()
            .module
            .id
    }

    async fn submit(&self, who: &User, slug: &str, id: i64) {
        let view = self.lms.course_view(who, slug).await.unwrap();
        self.lms
            .submit(&view, who, id, "my answer", &[])
            .await
            .unwrap();
    }

    async fn grade(&self, who: &User, id: i64, points: &str, feedback: &str) {
        let item = self.lms.assignment_item(&self.bio, id).await.unwrap().id;
        self.lms
            .grade(&self.bio, &self.teacher, item, who.id, points, feedback)
            .await
            .unwrap();
    }

    async fn release(&self, id: i64) {
        let item = self.lms.assignment_item(&self.bio, id).await.unwrap().id;
        self.lms.release_grades(&self.bio, item).await.unwrap();
    }

    async fn todo(&self, who: &User) -> Todo {
        self.lms.todo(who).await.unwrap()
    }
}

fn titles<T>(items: &[T], title: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| title(i).to_string()).collect()
}

async fn the_todo_of_students_and_teachers(b: Backend) {
    let s = school(&b).await;
    let h = 24; // hours in a day
    // Twenty days before t0: a grade released then is no longer new at t0.
    let old = s.assignment(&s.bio, "Old quiz", None, None, None).await;
    s.grade(&s.ada, old, "10", "").await;
    s.release(old).await;
    s.clock.advance(Duration::days(20));

    let essay = s
        .assignment(&s.bio, "Essay", Some(2 * h), None, Some(-1))
        .await;
    let lab = s.assignment(&s.bio, "Lab", Some(3 * h), None, None).await;
    let late = s
        .assignment(&s.bio, "Late report", Some(-h), None, None)
        .await;
    s.assignment(&s.bio, "Closed quiz", Some(-2 * h), Some(-h), None)
        .await;
    s.assignment(&s.bio, "Far away", Some(14 * h + 1), None, None)
        .await;
    let edge = s
        .assignment(&s.bio, "Exactly 14 days", Some(14 * h), None, None)
        .await;
    let handed = s
        .assignment(&s.bio, "Handed in late", Some(-h), None, None)
        .await;
    let quiz = s
        .assignment(&s.chem, "Chem quiz", Some(h), Some(2 * h), None)
        .await;
    s.assignment(&s.draft, "Draft homework", Some(h), None, None)
        .await;
    s.submit(&s.ada, "bio", lab).await;
    s.submit(&s.bob, "bio", lab).await;
    s.submit(&s.ada, "bio", handed).await;
    s.submit(&s.cyd, "chem", quiz).await;

    // ada: across bio and chem, soonest first; the draft course's work is not hers to see.
    let todo = s.todo(&s.ada).await;
    assert_eq!(
        titles(&todo.due_soon, |w| &w.title),
        ["Chem quiz", "Essay", "Lab", "Exactly 14 days"]
    );
    let attempts: Vec<i64> = todo.due_soon.iter().map(|w| w.attempts).collect();
    assert_eq!(attempts, [0, 0, 1, 0], "the lab is handed in");
    assert_eq!(todo.due_soon[0].course.slug, "chem");
    assert_eq!(todo.due_soon[1].module_id, essay);
    assert_eq!(todo.due_soon[3].module_id, edge);
    assert_eq!(todo.due_soon[1].opens_at, Some(t0() - Duration::hours(1)));
    assert_eq!(
        todo.due_soon[0].cutoff_at,
        Some(t0() + Duration::hours(2 * h))
    );
    assert_eq!(
        titles(&todo.overdue, |w| &w.title),
        ["Late report"],
        "not the closed quiz (cut off), not the one handed in late"
    );
    assert_eq!(todo.overdue[0].module_id, late);
    assert!(todo.new_grades.is_empty(), "the old grade is not new");
    assert!(todo.to_grade.is_empty(), "ada grades nothing");

    // The teacher: submissions waiting per assignment, in both courses.
    let todo = s.todo(&s.teacher).await;
    assert!(todo.due_soon.is_empty() && todo.overdue.is_empty());
    let waiting: Vec<(String, i64)> = todo
        .to_grade
        .iter()
        .map(|t| (t.title.clone(), t.waiting))
        .collect();
    assert_eq!(
        waiting,
        [
            ("Lab".to_string(), 2),
            ("Handed in late".to_string(), 1),
            ("Chem quiz".to_string(), 1),
        ],
        "most waiting first, then the earliest deadline"
    );

    // An hour later the lab is graded and released for ada; bob's is graded after that, so
    // it is not released.
    s.clock.advance(Duration::hours(1));
    s.grade(&s.ada, lab, "15", "Good work").await;
    s.release(lab).await;
    s.grade(&s.bob, lab, "12", "").await;
    let todo = s.todo(&s.ada).await;
    assert_eq!(titles(&todo.new_grades, |g| &g.title), ["Lab"]);
    let g = &todo.new_grades[0];
    assert_eq!(
        (g.points, g.max_points, g.has_feedback, g.at),
        (Some(15.0), 20.0, true, t0() + Duration::hours(1))
    );
    assert_eq!(g.module_id, Some(lab));
    assert_eq!(g.course.slug, "bio");
    assert!(
        s.todo(&s.bob).await.new_grades.is_empty(),
        "bob's grade is not released"
    );
    let waiting: Vec<(String, i64)> = s
        .todo(&s.teacher)
        .await
        .to_grade
        .iter()
        .map(|t| (t.title.clone(), t.waiting))
        .collect();
    assert_eq!(
        waiting,
        [
            ("Handed in late".to_string(), 1),
            ("Chem quiz".to_string(), 1)
        ],
        "the lab is graded"
    );

    // Another hour: ada hands in the lab again, and her old grade is changed.
    s.clock.advance(Duration::hours(1));
    s.submit(&s.ada, "bio", lab).await;
    s.grade(&s.ada, old, "12", "Regraded").await;
    let todo = s.todo(&s.ada).await;
    assert_eq!(
        titles(&todo.new_grades, |g| &g.title),
        ["Old quiz", "Lab"],
        "a released grade changed lately is new again, newest first"
    );
    let waiting: Vec<(String, i64)> = s
        .todo(&s.teacher)
        .await
        .to_grade
        .iter()
        .map(|t| (t.title.clone(), t.waiting))
        .collect();
    assert_eq!(
        waiting,
        [
            ("Handed in late".to_string(), 1),
            ("Chem quiz".to_string(), 1),
            ("Lab".to_string(), 1),
        ],
        "ada's new attempt waits; equal counts by deadline"
    );
    let ta: Vec<String> = titles(&s.todo(&s.ta).await.to_grade, |t| &t.title);
    assert_eq!(ta, ["Handed in late", "Lab"], "the TA grades bio only");
    assert!(s.todo(&s.cyd).await.to_grade.is_empty());

    // Fifteen days on, the lab's release is old news; the due-soon list has moved on.
    s.clock.advance(Duration::days(15));
    let todo = s.todo(&s.ada).await;
    assert!(todo.new_grades.is_empty());
    assert_eq!(titles(&todo.due_soon, |w| &w.title), Vec::<String>::new());
    assert_eq!(
        titles(&todo.overdue, |w| &w.title),
        ["Late report", "Essay", "Exactly 14 days", "Far away"],
        "never handed in and still accepted; the chem quiz is cut off"
    );

    // Once bio is archived, its ungraded work leaves the teacher's to-do.
    let archived = CourseInput {
        status: "archived".into(),
        ..CourseInput::from_course(s.bio.course())
    };
    s.lms.update_course(&s.bio, &archived).await.unwrap();
    let waiting = titles(&s.todo(&s.teacher).await.to_grade, |t| &t.title);
    assert_eq!(waiting, ["Chem quiz"]);
}

async fn dated_items_of_visible_courses(b: Backend) {
    let s = school(&b).await;
    s.clock.advance(Duration::days(20));
    let h = 24;
    s.assignment(&s.bio, "Essay", Some(2 * h), Some(3 * h), Some(-1))
        .await;
    s.assignment(&s.chem, "Chem quiz", Some(h), None, None)
        .await;
    s.assignment(&s.draft, "Draft homework", Some(h), None, None)
        .await;
    s.assignment(&s.bio, "Undated", None, None, None).await;

    let all = s.lms.dated_items(&s.ada, None, None).await.unwrap();
    let seen: Vec<(String, DateKind, DateTime<Utc>)> = all
        .iter()
        .map(|d| (d.title.clone(), d.kind, d.at))
        .collect();
    let at = |hours: i64| t0() + Duration::hours(hours);
    assert_eq!(
        seen,
        [
            ("Essay".to_string(), DateKind::Opens, at(-1)),
            ("Chem quiz".to_string(), DateKind::Due, at(h)),
            ("Essay".to_string(), DateKind::Due, at(2 * h)),
            ("Essay".to_string(), DateKind::Cutoff, at(3 * h)),
        ],
        "not the draft course's"
    );
    assert_eq!(all[1].course.title, "Course chem");

    let window = s
        .lms
        .dated_items(&s.ada, Some(at(0)), Some(at(3 * h)))
        .await
        .unwrap();
    let kinds: Vec<DateKind> = window.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [DateKind::Due, DateKind::Due],
        "from inclusive, to exclusive"
    );

    let teacher = s.lms.dated_items(&s.teacher, None, None).await.unwrap();
    assert!(
        teacher.iter().any(|d| d.title == "Draft homework"),
        "staff see their draft courses"
    );
    assert_eq!(teacher.len(), 5);
    let bob = s.lms.dated_items(&s.bob, None, None).await.unwrap();
    assert_eq!(bob.len(), 3, "bob takes bio only");

    // Hidden, scheduled-later and trashed modules leave students' to-do and calendar; staff
    // keep seeing the hidden and scheduled ones (with their badge elsewhere).
    let hidden = s
        .assignment(&s.bio, "Hidden quiz", Some(h), None, None)
        .await;
    let later = s
        .assignment(&s.bio, "Later quiz", Some(h), None, None)
        .await;
    let trashed = s
        .assignment(&s.bio, "Trashed quiz", Some(h), None, None)
        .await;
    let visibility = |hidden: bool, from: Option<i64>| VisibilityInput {
        hidden: hidden.then(|| "on".to_string()),
        visible_from: from
            .map(|h| form_time(t0() + Duration::hours(h)))
            .unwrap_or_default(),
        ..VisibilityInput::default()
    };
    s.lms
        .set_visibility(&s.bio, hidden, &visibility(true, None))
        .await
        .unwrap();
    s.lms
        .set_visibility(&s.bio, later, &visibility(false, Some(12)))
        .await
        .unwrap();
    s.lms.delete_module(&s.bio, trashed).await.unwrap();
    let titles = |items: &[paideia::lms::agenda::Dated]| {
        items.iter().map(|d| d.title.clone()).collect::<Vec<_>>()
    };
    let bob = titles(&s.lms.dated_items(&s.bob, None, None).await.unwrap());
    assert!(!bob.iter().any(|t| t.contains("quiz")), "{bob:?}");
    let todo = s.lms.todo(&s.bob).await.unwrap();
    assert!(
        !todo.due_soon.iter().any(|w| w.title.contains("quiz")),
        "{:?}",
        todo.due_soon.iter().map(|w| &w.title).collect::<Vec<_>>()
    );
    let staff = titles(&s.lms.dated_items(&s.teacher, None, None).await.unwrap());
    assert!(
        staff.contains(&"Hidden quiz".to_string()) && staff.contains(&"Later quiz".to_string())
    );
    assert!(!staff.contains(&"Trashed quiz".to_string()), "{staff:?}");
    // At its time the scheduled one appears.
    s.clock.advance(Duration::hours(12));
    let bob = titles(&s.lms.dated_items(&s.bob, None, None).await.unwrap());
    assert!(
        bob.contains(&"Later quiz".to_string()) && !bob.contains(&"Hidden quiz".to_string()),
        "{bob:?}"
    );
}
