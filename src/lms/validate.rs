//! Input rules shared by every form and command: emails, passwords, names, titles and slugs.
//! Each check records a message for its field and returns the cleaned value.

use super::FieldErrors;

pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 1024;
const MAX_EMAIL_CHARS: usize = 254;

/// A trimmed, lower-cased email address with one `@` and a dot in the domain.
pub fn email(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let email = value.trim().to_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }
        None => false,
    };
    if email.is_empty() {
        errors.add(field, "enter an email address");
    } else if !valid || email.chars().any(char::is_whitespace) || email.len() > MAX_EMAIL_CHARS {
        errors.add(field, "enter a valid email address, like name@example.org");
    }
    email
}

/// A new password: long enough to resist guessing, short enough to hash cheaply.
pub fn new_password(errors: &mut FieldErrors, field: &'static str, value: &str) {
    let chars = value.chars().count();
    errors.check(
        chars >= MIN_PASSWORD_CHARS,
        field,
        format!("use at least {MIN_PASSWORD_CHARS} characters"),
    );
    errors.check(
        chars <= MAX_PASSWORD_CHARS,
        field,
        format!("use at most {MAX_PASSWORD_CHARS} characters"),
    );
}

/// Required single-line text, trimmed, at most `max` characters.
pub fn text(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let text = value.trim().to_string();
    if text.is_empty() {
        errors.add(field, "this field is required");
    } else if text.chars().count() > max {
        errors.add(field, format!("use at most {max} characters"));
    } else if text.chars().any(char::is_control) {
        errors.add(field, "use a single line of text");
    }
    text
}

/// A URL slug: 2 to 64 lower-case letters, digits and single hyphens.
pub fn slug(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let slug = value.trim().to_lowercase();
    let valid = (2..=64).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    errors.check(
        valid,
        field,
        "use 2 to 64 lower-case letters, digits and single hyphens, like intro-biology",
    );
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        let mut errors = FieldErrors::default();
        assert_eq!(
            email(&mut errors, "email", " Ada@Example.ORG "),
            "ada@example.org"
        );
        assert!(errors.is_empty());
        for bad in [
            "",
            "ada",
            "ada@localhost",
            "a b@x.org",
            "@x.org",
            "a@x.org.",
        ] {
            let mut errors = FieldErrors::default();
            email(&mut errors, "email", bad);
            assert!(errors.get("email").is_some(), "{bad:?} accepted");
        }
    }

    #[test]
    fn slugs_and_passwords() {
        let mut errors = FieldErrors::default();
        assert_eq!(slug(&mut errors, "slug", "Bio-101"), "bio-101");
        new_password(&mut errors, "password", "long enough password");
        assert!(errors.is_empty());
        slug(&mut errors, "slug", "-x");
        slug(&mut errors, "slug", "a--b");
        new_password(&mut errors, "password", "short");
        assert_eq!(errors.iter().count(), 3);
    }
}
