//! `paideia user`: create, list, set-role, reset-password, disable and enable accounts (and,
//! through `user_token`, their API tokens) with the same domain functions as the admin pages.
//! A password comes from a terminal prompt or, with `--password-stdin`, from stdin; never
//! from an argument, where `ps` would show it.

use std::{io::IsTerminal, sync::Arc};

use crate::{
    cli::{PasswordArgs, RoleArg, UserCommand},
    commands::{Context, context::Open},
    exit::{CommandError, ExitStatus},
    lms::{Lms, LmsError, NewAccount, SystemClock, SystemRole, User},
    migrate::{Migrator, UpOptions},
};

pub async fn run(ctx: &Context, command: UserCommand) -> anyhow::Result<ExitStatus> {
    let db = match command {
        UserCommand::List | UserCommand::Token(_) => ctx.connect(Open::MustExist).await?,
        _ => {
            ctx.settings.ensure_data_dir()?;
            let db = ctx.connect(Open::CreateIfMissing).await?;
            Migrator::embedded(&db).up(UpOptions::default()).await?;
            db
        }
    };
    let lms = Lms::new(db.clone(), Arc::new(SystemClock));
    let result = dispatch(ctx, &lms, command).await;
    db.close();
    result.map(|()| ExitStatus::Success)
}

async fn dispatch(ctx: &Context, lms: &Lms, command: UserCommand) -> anyhow::Result<()> {
    let changed = match command {
        UserCommand::List => return list(ctx, &lms.users().await?),
        UserCommand::Token(command) => return super::user_token::run(ctx, lms, command).await,
        UserCommand::Create(args) => {
            let password = read_password(&args.password)?;
            let account = NewAccount {
                email: args.email,
                display_name: args.name,
                password,
            };
            lms.create_user(&account, role(args.role)).await?
        }
        UserCommand::SetRole { email, role: r } => {
            let id = find(lms, &email).await?.id;
            lms.set_role(id, role(r)).await?
        }
        UserCommand::ResetPassword { email, password } => {
            let id = find(lms, &email).await?.id;
            lms.reset_password(id, &read_password(&password)?).await?
        }
        UserCommand::Disable { email } => {
            lms.set_disabled(find(lms, &email).await?.id, true).await?
        }
        UserCommand::Enable { email } => {
            lms.set_disabled(find(lms, &email).await?.id, false).await?
        }
    };
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(&changed)?);
    } else {
        println!("{}", describe(&changed));
    }
    Ok(())
}

fn role(arg: RoleArg) -> SystemRole {
    match arg {
        RoleArg::Admin => SystemRole::Admin,
        RoleArg::Instructor => SystemRole::Instructor,
        RoleArg::Student => SystemRole::Student,
    }
}

pub(super) async fn find(lms: &Lms, email: &str) -> anyhow::Result<User> {
    match lms.user_by_email(email).await {
        Err(LmsError::NotFound) => Err(CommandError::new(format!(
            "no account has the email {email}"
        ))
        .hint("`paideia user list` shows every account")
        .into()),
        other => Ok(other?),
    }
}

fn describe(user: &User) -> String {
    let status = if user.disabled { "disabled" } else { "active" };
    format!(
        "{:<6} {:<32} {:<11} {:<8} {}",
        user.id, user.email, user.role, status, user.display_name
    )
}

fn list(ctx: &Context, users: &[User]) -> anyhow::Result<()> {
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(users)?);
        return Ok(());
    }
    let mut table = super::table::new(&["ID", "EMAIL", "ROLE", "STATUS", "NAME"], &[0]);
    for user in users {
        let status = if user.disabled { "disabled" } else { "active" };
        table.add_row(vec![
            user.id.to_string(),
            user.email.clone(),
            user.role.to_string(),
            status.to_string(),
            user.display_name.clone(),
        ]);
    }
    super::table::print(&table);
    Ok(())
}

/// The first line of stdin with `--password-stdin`, else a confirmed prompt on a terminal.
fn read_password(args: &PasswordArgs) -> anyhow::Result<String> {
    if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        return Err(
            CommandError::new("cannot ask for a password: stdin is not a terminal")
                .hint("pipe the password in and add --password-stdin")
                .status(ExitStatus::Usage)
                .into(),
        );
    }
    Ok(dialoguer::Password::new()
        .with_prompt("Password")
        .with_confirmation("Repeat the password", "the passwords do not match")
        .interact()?)
}
