use std::collections::HashMap;

use super::*;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name: &str| map.get(name).cloned()
}

fn config(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paideia.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn defaults_give_sqlite_in_the_data_dir() {
    let s = Settings::resolve(&Flags::default(), &env(&[])).unwrap();
    assert_eq!(s.data_dir, PathBuf::from("paideia-data"));
    assert_eq!(
        s.database_url.sqlite_path(),
        Path::new("paideia-data/paideia.db")
    );
    assert_eq!(s.bind.to_string(), "127.0.0.1:3000");
    assert_eq!(s.log_format, LogFormat::Text);
    assert_eq!(s.drain_timeout, Duration::from_secs(30));
}

#[test]
fn file_then_env_then_flags_win_in_that_order() {
    let (_dir, path) = config(
        "version = 1\ndata_dir = \"/from/file\"\nlog_format = \"json\"\n[server]\nbind = \"0.0.0.0:4000\"\n",
    );
    let path_text = path.to_str().unwrap();

    let from_file =
        Settings::resolve(&Flags::default(), &env(&[("PAIDEIA_CONFIG", path_text)])).unwrap();
    assert_eq!(from_file.data_dir, PathBuf::from("/from/file"));
    assert_eq!(from_file.bind.to_string(), "0.0.0.0:4000");
    assert_eq!(from_file.log_format, LogFormat::Json);

    let e = env(&[
        ("PAIDEIA_CONFIG", path_text),
        ("PAIDEIA_DATA_DIR", "/from/env"),
        ("PAIDEIA_BIND", "127.0.0.1:5000"),
    ]);
    let from_env = Settings::resolve(&Flags::default(), &e).unwrap();
    assert_eq!(from_env.data_dir, PathBuf::from("/from/env"));
    assert_eq!(from_env.bind.to_string(), "127.0.0.1:5000");
    assert_eq!(
        from_env.log_format,
        LogFormat::Json,
        "the file still sets what env does not"
    );

    let flags = Flags {
        data_dir: Some("/from/flag".into()),
        bind: Some("127.0.0.1:6000".parse().unwrap()),
        log_format: Some(LogFormat::Text),
        ..Flags::default()
    };
    let from_flags = Settings::resolve(&flags, &e).unwrap();
    assert_eq!(from_flags.data_dir, PathBuf::from("/from/flag"));
    assert_eq!(from_flags.bind.to_string(), "127.0.0.1:6000");
    assert_eq!(from_flags.log_format, LogFormat::Text);
    assert_eq!(
        from_flags.database_url.sqlite_path(),
        Path::new("/from/flag/paideia.db")
    );
}

#[test]
fn database_url_sources_in_order() {
    let (_dir, path) = config("version = 1\n[database]\nurl = \"postgres://file/db\"\n");
    let p = path.to_str().unwrap();
    let url = |pairs: &[(&str, &str)], flag: Option<&str>| {
        let flags = Flags {
            database_url: flag.map(String::from),
            ..Flags::default()
        };
        Settings::resolve(&flags, &env(pairs))
            .unwrap()
            .database_url
            .expose()
            .to_string()
    };
    assert_eq!(url(&[("PAIDEIA_CONFIG", p)], None), "postgres://file/db");
    assert_eq!(
        url(
            &[
                ("PAIDEIA_CONFIG", p),
                ("DATABASE_URL", "postgres://compat/db")
            ],
            None
        ),
        "postgres://compat/db"
    );
    assert_eq!(
        url(
            &[
                ("DATABASE_URL", "postgres://compat/db"),
                ("PAIDEIA_DATABASE_URL", "postgres://ours/db")
            ],
            None
        ),
        "postgres://ours/db"
    );
    assert_eq!(
        url(
            &[("PAIDEIA_DATABASE_URL", "postgres://ours/db")],
            Some("postgres://flag/db")
        ),
        "postgres://flag/db"
    );
}

#[test]
fn secrets_come_from_files_too() {
    let dir = tempfile::tempdir().unwrap();
    let secret_path = dir.path().join("url");
    std::fs::write(&secret_path, "postgres://u:pw@h/db\n").unwrap();
    let e = env(&[("PAIDEIA_DATABASE_URL_FILE", secret_path.to_str().unwrap())]);
    let s = Settings::resolve(&Flags::default(), &e).unwrap();
    assert_eq!(s.database_url.expose(), "postgres://u:pw@h/db");
    assert!(
        !format!("{s:?}").contains("pw@"),
        "Debug must not show the password"
    );

    let both = env(&[
        ("PAIDEIA_DATABASE_URL", "postgres://x/y"),
        ("PAIDEIA_DATABASE_URL_FILE", "/nope"),
    ]);
    assert!(matches!(
        Settings::resolve(&Flags::default(), &both),
        Err(SettingsError::SecretTwice(_))
    ));
}

#[test]
fn config_files_are_strict() {
    let (_d1, unknown) = config("version = 1\ndatabse_url = \"typo\"\n");
    let err = Settings::resolve(
        &Flags {
            config: Some(unknown),
            ..Flags::default()
        },
        &env(&[]),
    )
    .unwrap_err();
    assert!(err.to_string().contains("databse_url"), "{err}");

    let (_d2, future) = config("version = 2\n");
    let err = Settings::resolve(
        &Flags {
            config: Some(future),
            ..Flags::default()
        },
        &env(&[]),
    )
    .unwrap_err();
    assert!(matches!(err, SettingsError::ConfigVersion { found: 2, .. }));

    let missing = Flags {
        config: Some("/no/such/paideia.toml".into()),
        ..Flags::default()
    };
    assert!(matches!(
        Settings::resolve(&missing, &env(&[])),
        Err(SettingsError::Path(e)) if e.is_missing() && e.what == "configuration file"
    ));
}

#[test]
fn bad_values_name_their_source() {
    let err =
        Settings::resolve(&Flags::default(), &env(&[("PAIDEIA_BIND", "nowhere")])).unwrap_err();
    assert!(err.to_string().contains("PAIDEIA_BIND"), "{err}");
    let err = Settings::resolve(
        &Flags::default(),
        &env(&[("PAIDEIA_DATABASE_URL", "mysql://a:b@c/d")]),
    )
    .unwrap_err();
    assert!(err.hint().is_some() && !err.to_string().contains(":b@"));
}

fn s3_settings(flags: &Flags, pairs: &[(&str, &str)]) -> S3Settings {
    match Settings::resolve(flags, &env(pairs)).unwrap().storage {
        StorageSettings::S3(s3) => s3,
        local => panic!("expected S3, got {local:?}"),
    }
}

#[test]
fn storage_is_the_files_folder_without_a_bucket() {
    let e = env(&[("PAIDEIA_S3_ENDPOINT_URL", "http://127.0.0.1:9000")]);
    let s = Settings::resolve(&Flags::default(), &e).unwrap();
    assert!(
        matches!(&s.storage, StorageSettings::Local { root } if root == Path::new("paideia-data/files")),
        "{:?}",
        s.storage
    );
}

#[test]
fn s3_defaults_with_only_a_bucket() {
    let s3 = s3_settings(&Flags::default(), &[("S3_BUCKET", "lms")]);
    assert_eq!(s3.bucket, "lms");
    assert_eq!(s3.region, DEFAULT_S3_REGION);
    assert_eq!(s3.endpoint_url, None);
    assert!(!s3.path_style, "AWS itself uses virtual-hosted URLs");
    assert!(s3.access_key.is_none() && s3.secret_key.is_none());
}

#[test]
fn s3_timeout_defaults_and_is_checked() {
    let s3 = s3_settings(&Flags::default(), &[("S3_BUCKET", "lms")]);
    assert_eq!(s3.timeout, DEFAULT_S3_TIMEOUT);
    let s3 = s3_settings(
        &Flags::default(),
        &[("S3_BUCKET", "lms"), ("PAIDEIA_S3_TIMEOUT", "5")],
    );
    assert_eq!(s3.timeout, std::time::Duration::from_secs(5));
    for bad in ["0", "soon"] {
        let e = env(&[("S3_BUCKET", "lms"), ("PAIDEIA_S3_TIMEOUT", bad)]);
        let err = Settings::resolve(&Flags::default(), &e).unwrap_err();
        assert!(err.to_string().contains("PAIDEIA_S3_TIMEOUT"), "{err}");
    }
}

#[test]
fn a_credential_in_a_bad_s3_endpoint_is_not_shown() {
    let e = env(&[
        ("S3_BUCKET", "lms"),
        ("S3_ENDPOINT_URL", "ftp://admin:hunter2@host:9000"),
    ]);
    let err = Settings::resolve(&Flags::default(), &e).unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(err.to_string().contains("ftp://***@host:9000"), "{err}");
}

#[test]
fn s3_settings_file_then_compat_then_ours() {
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("s3-secret");
    std::fs::write(&secret_file, "file-secret\n").unwrap();
    let (_d, path) = config(&format!(
        "version = 1\n[storage.s3]\nendpoint_url = \"http://file:9000\"\nregion = \"eu-file\"\n\
         bucket = \"file-bucket\"\naccess_key = \"file-access\"\nsecret_key_file = {secret_file:?}\n"
    ));
    let flags = Flags {
        config: Some(path),
        ..Flags::default()
    };
    let from_file = s3_settings(&flags, &[]);
    assert_eq!(from_file.endpoint_url.as_deref(), Some("http://file:9000"));
    assert_eq!(
        (from_file.bucket.as_str(), from_file.region.as_str()),
        ("file-bucket", "eu-file")
    );
    assert!(from_file.path_style, "on by default with a custom endpoint");
    assert_eq!(from_file.access_key.as_deref(), Some("file-access"));
    assert_eq!(from_file.secret_key.unwrap().expose(), "file-secret");

    let compat = [
        ("S3_BUCKET", "compat-bucket"),
        ("S3_REGION", "eu-compat"),
        ("S3_ACCESS_KEY", "compat-access"),
        ("S3_SECRET_KEY", "compat-secret"),
    ];
    let from_compat = s3_settings(&flags, &compat);
    assert_eq!(from_compat.bucket, "compat-bucket");
    assert_eq!(from_compat.region, "eu-compat");
    assert_eq!(
        from_compat.endpoint_url.as_deref(),
        Some("http://file:9000")
    );
    assert_eq!(from_compat.secret_key.unwrap().expose(), "compat-secret");

    let ours_secret = dir.path().join("ours-secret");
    std::fs::write(&ours_secret, "ours-secret\n").unwrap();
    let mut ours = compat.to_vec();
    ours.extend([
        ("PAIDEIA_S3_BUCKET", "ours-bucket"),
        ("PAIDEIA_S3_ENDPOINT_URL", "https://s3.ours.example/"),
        ("PAIDEIA_S3_PATH_STYLE", "false"),
        ("PAIDEIA_S3_ACCESS_KEY", "ours-access"),
        ("PAIDEIA_S3_SECRET_KEY_FILE", ours_secret.to_str().unwrap()),
    ]);
    let from_ours = s3_settings(&flags, &ours);
    assert_eq!(from_ours.bucket, "ours-bucket");
    assert_eq!(
        from_ours.region, "eu-compat",
        "compat still sets what ours does not"
    );
    assert_eq!(
        from_ours.endpoint_url.as_deref(),
        Some("https://s3.ours.example")
    );
    assert!(!from_ours.path_style);
    assert_eq!(from_ours.access_key.as_deref(), Some("ours-access"));
    assert_eq!(from_ours.secret_key.unwrap().expose(), "ours-secret");
}

#[test]
fn s3_secrets_are_checked_and_hidden() {
    let with = |pairs: &[(&str, &str)]| Settings::resolve(&Flags::default(), &env(pairs));
    let s = with(&[
        ("S3_BUCKET", "b"),
        ("S3_ACCESS_KEY", "a"),
        ("S3_SECRET_KEY", "hunter2-s3"),
    ])
    .unwrap();
    assert!(!format!("{s:?}").contains("hunter2-s3"), "{s:?}");

    let err = with(&[("S3_BUCKET", "b"), ("S3_ACCESS_KEY", "a")]).unwrap_err();
    assert!(err.to_string().contains("S3 credentials"), "{err}");
    let err = with(&[
        ("S3_BUCKET", "b"),
        ("PAIDEIA_S3_SECRET_KEY", "x"),
        ("PAIDEIA_S3_SECRET_KEY_FILE", "/nope"),
    ])
    .unwrap_err();
    assert!(matches!(err, SettingsError::SecretTwice(_)), "{err}");
    let err = with(&[("S3_BUCKET", "b"), ("S3_ENDPOINT_URL", "ftp://x")]).unwrap_err();
    assert!(err.to_string().contains("ftp://x"), "{err}");
    let err = with(&[("S3_BUCKET", "b"), ("PAIDEIA_S3_PATH_STYLE", "maybe")]).unwrap_err();
    assert!(err.to_string().contains("PAIDEIA_S3_PATH_STYLE"), "{err}");

    let (_d, path) = config("version = 1\n[storage.s3]\nbuckett = \"typo\"\n");
    let flags = Flags {
        config: Some(path),
        ..Flags::default()
    };
    let err = Settings::resolve(&flags, &env(&[])).unwrap_err();
    assert!(err.to_string().contains("buckett"), "{err}");
}

#[test]
fn migration_lock_timeout_from_file_then_env() {
    let (_dir, path) = config("version = 1\n[database]\nmigration_lock_timeout_secs = 7\n");
    let p = path.to_str().unwrap();
    let s = Settings::resolve(&Flags::default(), &env(&[("PAIDEIA_CONFIG", p)])).unwrap();
    assert_eq!(s.migration_lock_timeout, Duration::from_secs(7));
    let e = env(&[
        ("PAIDEIA_CONFIG", p),
        ("PAIDEIA_MIGRATION_LOCK_TIMEOUT", "2"),
    ]);
    assert_eq!(
        Settings::resolve(&Flags::default(), &e)
            .unwrap()
            .migration_lock_timeout,
        Duration::from_secs(2)
    );
    let d = Settings::resolve(&Flags::default(), &env(&[])).unwrap();
    assert_eq!(d.migration_lock_timeout, Duration::from_secs(120));
}

#[test]
fn backup_settings_layer_and_refuse_the_media_bucket() {
    let (_dir, path) = config(
        "version = 1\n[backup]\nkeep_daily = 7\nkeep_weekly = 4\nto = \"s3://from-file/x\"\nage_recipients = [\"age1file\"]\n",
    );
    let e = env(&[
        ("PAIDEIA_CONFIG", path.to_str().unwrap()),
        ("PAIDEIA_BACKUP_KEEP_DAILY", "3"),
        ("PAIDEIA_BACKUP_AGE_RECIPIENTS", "age1a, age1b"),
        ("PAIDEIA_S3_ENDPOINT_URL", "http://127.0.0.1:9000"),
    ]);
    let flags = Flags {
        backup: BackupFlags {
            to: Some("s3://from-flag/daily/".into()),
            ..BackupFlags::default()
        },
        ..Flags::default()
    };
    let s = Settings::resolve(&flags, &e).unwrap();
    let b = &s.backup;
    assert_eq!(b.dir, PathBuf::from("paideia-data/backups"));
    assert_eq!(b.retention.daily, Some(3), "env over file");
    assert_eq!(b.retention.weekly, Some(4), "file where env is silent");
    assert_eq!(b.retention.monthly, None);
    assert_eq!(b.age_recipients, vec!["age1a", "age1b"]);
    let to = b.to.as_ref().unwrap();
    assert_eq!(to.url(), "s3://from-flag/daily", "flag over file");
    assert_eq!(to.s3.endpoint_url.as_deref(), Some("http://127.0.0.1:9000"));

    let same = env(&[
        ("PAIDEIA_S3_BUCKET", "files"),
        ("PAIDEIA_BACKUP_TO", "s3://files/b"),
    ]);
    let err = Settings::resolve(&Flags::default(), &same).unwrap_err();
    assert!(err.to_string().contains("media bucket"), "{err}");
}

#[test]
fn mail_is_off_without_a_host_and_takes_paideia_lms_names() {
    let off = Settings::resolve(&Flags::default(), &env(&[])).unwrap();
    assert!(off.mail.smtp.is_none());
    assert_eq!(off.mail.public_url, "http://127.0.0.1:3000");
    assert_eq!(off.mail.max_attempts, 8);

    let dir = tempfile::tempdir().unwrap();
    let pass = dir.path().join("pass");
    std::fs::write(&pass, "s3cret\n").unwrap();
    let compat = env(&[
        ("SMTP_HOST", "mail.school.org"),
        ("SMTP_USER", "lms"),
        ("SMTP_PASS_FILE", pass.to_str().unwrap()),
        ("EMAIL_FROM_ADDRESS", "lms@school.org"),
        ("EMAIL_FROM_NAME", "School"),
        ("PAIDEIA_PUBLIC_URL", "https://lms.school.org/"),
    ]);
    let s = Settings::resolve(&Flags::default(), &compat).unwrap();
    let smtp = s.mail.smtp.unwrap();
    assert_eq!((smtp.host.as_str(), smtp.port), ("mail.school.org", 587));
    assert_eq!(smtp.tls, SmtpTls::Starttls);
    assert_eq!(smtp.user.as_deref(), Some("lms"));
    assert_eq!(smtp.password.as_ref().unwrap().expose(), "s3cret");
    assert!(!format!("{smtp:?}").contains("s3cret"), "Debug hides it");
    assert_eq!(smtp.from_name.as_deref(), Some("School"));
    assert_eq!(s.mail.public_url, "https://lms.school.org");

    let ours = env(&[
        ("PAIDEIA_SMTP_HOST", "relay"),
        ("SMTP_HOST", "ignored"),
        ("PAIDEIA_SMTP_TLS", "tls"),
        ("PAIDEIA_SMTP_FROM", "a@b.org"),
    ]);
    let smtp = Settings::resolve(&Flags::default(), &ours)
        .unwrap()
        .mail
        .smtp
        .unwrap();
    assert_eq!((smtp.host.as_str(), smtp.port), ("relay", 465));

    for bad in [
        vec![("PAIDEIA_SMTP_HOST", "relay")],
        vec![
            ("PAIDEIA_SMTP_HOST", "relay"),
            ("PAIDEIA_SMTP_FROM", "not an address"),
        ],
        vec![
            ("PAIDEIA_SMTP_HOST", "relay"),
            ("PAIDEIA_SMTP_FROM", "a@b.org"),
            ("PAIDEIA_SMTP_TLS", "maybe"),
        ],
        vec![("PAIDEIA_PUBLIC_URL", "lms.school.org")],
    ] {
        assert!(
            Settings::resolve(&Flags::default(), &env(&bad)).is_err(),
            "{bad:?}"
        );
    }
}
