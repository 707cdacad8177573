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
        Err(SettingsError::ConfigRead { .. })
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
