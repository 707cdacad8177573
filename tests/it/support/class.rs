//! A class for LMS tests: a running server, a published course `bio` taught by a teacher with
//! a TA and two students, a second course `chem` with its own student, an administrator, and
//! a signed-in browser for each of them plus an anonymous one.

use paideia::lms::{CourseInput, Lms, SystemRole, User, courses::CourseView};

use super::{
    Backend,
    browser::{Browser, account, start_with_env},
    server::Server,
};

pub struct Class {
    /// Kept so the server runs as long as the class.
    _server: Server,
    pub lms: Lms,
    pub teacher_user: User,
    /// `bio` as its teacher sees it.
    pub bio: CourseView,
    /// The id of `bio`'s root section.
    pub root: i64,
    pub admin: Browser,
    pub teacher: Browser,
    pub ta: Browser,
    pub student: Browser,
    pub student2: Browser,
    pub other: Browser,
    pub anonymous: Browser,
}

impl Class {
    /// The running server, for browsers of people the class does not have.
    pub fn server(&self) -> &Server {
        &self._server
    }

    /// Everyone, in the order of the permission matrices: admin, teacher, TA, student,
    /// student of another course, anonymous.
    pub fn everyone(&self) -> [&Browser; 6] {
        [
            &self.admin,
            &self.teacher,
            &self.ta,
            &self.student,
            &self.other,
            &self.anonymous,
        ]
    }
}

pub async fn class(b: &Backend, env: &[(&str, String)]) -> Class {
    let (server, lms) = start_with_env(b, env).await;
    account(&lms, "root@example.org", SystemRole::Admin).await;
    let teacher_user = account(&lms, "teach@example.org", SystemRole::Instructor).await;
    for name in ["ta", "stu", "stu2", "other"] {
        account(&lms, &format!("{name}@example.org"), SystemRole::Student).await;
    }
    for slug in ["bio", "chem"] {
        let input = CourseInput {
            title: format!("Course {slug}"),
            slug: slug.into(),
            description: String::new(),
            status: "published".into(),
        };
        lms.create_course(&teacher_user, &input).await.unwrap();
    }
    let bio = lms.course_view(&teacher_user, "bio").await.unwrap();
    lms.enroll(&bio, "ta@example.org", "ta").await.unwrap();
    lms.enroll(&bio, "stu@example.org", "student")
        .await
        .unwrap();
    lms.enroll(&bio, "stu2@example.org", "student")
        .await
        .unwrap();
    let chem = lms.course_view(&teacher_user, "chem").await.unwrap();
    lms.enroll(&chem, "other@example.org", "student")
        .await
        .unwrap();
    let root = lms.sections(&bio).await.unwrap()[0].id;
    let anonymous = Browser::new(&server);
    anonymous.get("/login").await;
    Class {
        admin: Browser::signed_in(&server, "root@example.org").await,
        teacher: Browser::signed_in(&server, "teach@example.org").await,
        ta: Browser::signed_in(&server, "ta@example.org").await,
        student: Browser::signed_in(&server, "stu@example.org").await,
        student2: Browser::signed_in(&server, "stu2@example.org").await,
        other: Browser::signed_in(&server, "other@example.org").await,
        anonymous,
        _server: server,
        lms,
        teacher_user,
        bio,
        root,
    }
}
