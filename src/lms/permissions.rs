//! Who may do what, as pure functions over the system role and the course role. Admins may do
//! everything; instructors may create courses; teachers run their courses; TAs view and edit
//! content; students see the published courses they are enrolled in; nobody else sees a course.

use super::{courses::CourseStatus, text_enum::text_enum};

text_enum!(
    /// The site-wide role of an account.
    SystemRole {
        Admin => "admin", "Administrator",
        Instructor => "instructor", "Instructor",
        Student => "student", "Student",
    }
);

text_enum!(
    /// The role of an account in one course.
    CourseRole {
        Teacher => "teacher", "Teacher",
        Ta => "ta", "Teaching assistant",
        Student => "student", "Student",
    }
);

/// What a person is, site-wide and in the course at hand (`None`: not enrolled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub system: SystemRole,
    pub course: Option<CourseRole>,
}

impl Access {
    fn admin(self) -> bool {
        self.system == SystemRole::Admin
    }

    fn staff(self) -> bool {
        matches!(self.course, Some(CourseRole::Teacher | CourseRole::Ta))
    }

    fn teacher(self) -> bool {
        self.course == Some(CourseRole::Teacher)
    }
}

pub fn can_administer_site(system: SystemRole) -> bool {
    system == SystemRole::Admin
}

/// Whether someone may make API tokens on the tokens page: staff always, students only
/// when the site allows it.
pub fn can_make_api_tokens(system: SystemRole, students_allowed: bool) -> bool {
    system != SystemRole::Student || students_allowed
}

pub fn can_create_course(system: SystemRole) -> bool {
    matches!(system, SystemRole::Admin | SystemRole::Instructor)
}

pub fn can_view_course(access: Access, status: CourseStatus) -> bool {
    access.admin()
        || access.staff()
        || (access.course == Some(CourseRole::Student) && status == CourseStatus::Published)
}

/// Title, slug, description and status.
pub fn can_edit_course(access: Access) -> bool {
    access.admin() || access.teacher()
}

/// Copying a course into a new one: its teachers who may create courses, and admins.
pub fn can_copy_course(access: Access) -> bool {
    access.admin() || (access.teacher() && can_create_course(access.system))
}

/// Sections and, later, modules.
pub fn can_edit_content(access: Access) -> bool {
    access.admin() || access.staff()
}

pub fn can_see_people(access: Access) -> bool {
    access.admin() || access.staff()
}

pub fn can_manage_enrollments(access: Access) -> bool {
    access.admin() || access.teacher()
}

/// Only the course's students hand in work (staff and admins preview the assignment).
pub fn can_submit(access: Access) -> bool {
    access.course == Some(CourseRole::Student)
}

/// Every submission and grade of the course, grading, releasing and the gradebook.
pub fn can_grade(access: Access) -> bool {
    access.admin() || access.staff()
}

/// Starting threads and replying in a course's forums: everyone who sees the course.
pub fn can_post(access: Access) -> bool {
    access.admin() || access.staff() || access.course == Some(CourseRole::Student)
}

/// Pinning, locking, hiding and deleting threads and posts, and seeing what is hidden or
/// deleted (with the reason).
pub fn can_moderate(access: Access) -> bool {
    access.admin() || access.staff()
}

/// The course's question bank (categories, questions, import and export): those who edit
/// its content, as quizzes are content.
pub fn can_manage_question_bank(access: Access) -> bool {
    can_edit_content(access)
}

/// Gradebook set-up: manual items, weights and letter grades.
pub fn can_set_up_gradebook(access: Access) -> bool {
    access.admin() || access.teacher()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: CourseStatus = CourseStatus::Published;
    const DRAFT: CourseStatus = CourseStatus::Draft;

    fn access(system: SystemRole, course: Option<CourseRole>) -> Access {
        Access { system, course }
    }

    #[test]
    fn the_matrix() {
        use CourseRole as C;
        use SystemRole as S;
        // (who, view draft, view published, edit course, edit content, people, manage enrollments)
        let rows = [
            (access(S::Admin, None), [true, true, true, true, true, true]),
            (access(S::Instructor, Some(C::Teacher)), [true; 6]),
            (
                access(S::Student, Some(C::Ta)),
                [true, true, false, true, true, false],
            ),
            (
                access(S::Student, Some(C::Student)),
                [false, true, false, false, false, false],
            ),
            (access(S::Instructor, None), [false; 6]),
            (access(S::Student, None), [false; 6]),
        ];
        for (who, expected) in rows {
            let got = [
                can_view_course(who, DRAFT),
                can_view_course(who, PUBLISHED),
                can_edit_course(who),
                can_edit_content(who),
                can_see_people(who),
                can_manage_enrollments(who),
            ];
            assert_eq!(got, expected, "{who:?}");
        }
    }

    #[test]
    fn work_and_grades() {
        use CourseRole as C;
        use SystemRole as S;
        // (who, submit, grade, set up the gradebook)
        let rows = [
            (access(S::Admin, None), [false, true, true]),
            (access(S::Instructor, Some(C::Teacher)), [false, true, true]),
            (access(S::Student, Some(C::Ta)), [false, true, false]),
            (access(S::Student, Some(C::Student)), [true, false, false]),
            (access(S::Instructor, None), [false; 3]),
        ];
        for (who, expected) in rows {
            let got = [can_submit(who), can_grade(who), can_set_up_gradebook(who)];
            assert_eq!(got, expected, "{who:?}");
        }
    }

    #[test]
    fn site_level_rules() {
        assert!(can_create_course(SystemRole::Instructor));
        assert!(!can_create_course(SystemRole::Student));
        assert!(can_administer_site(SystemRole::Admin));
        assert!(!can_administer_site(SystemRole::Instructor));
        assert!(!can_view_course(
            access(SystemRole::Student, Some(CourseRole::Student)),
            CourseStatus::Archived
        ));
    }
}
