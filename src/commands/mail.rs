//! `paideia mail test --to ADDRESS`: sends one message straight through the configured SMTP
//! server (not through the outbox, so it works without the database and says at once what
//! went wrong) and exits non-zero with a hint when it cannot.

use crate::{
    cli::{MailCommand, MailTestArgs},
    commands::Context,
    envvars,
    exit::{CommandError, ExitStatus},
    mail::{Outgoing, Smtp},
    settings::SmtpSettings,
};

pub async fn run(ctx: &Context, command: MailCommand) -> anyhow::Result<ExitStatus> {
    match command {
        MailCommand::Test(args) => test(ctx, args).await,
    }
}

/// The configured SMTP settings, or the error that says how to configure them.
pub fn configured(ctx: &Context) -> Result<&SmtpSettings, CommandError> {
    ctx.settings.mail.smtp.as_ref().ok_or_else(|| {
        CommandError::new("mail is not configured: no SMTP server is set").hint(format!(
            "set {} and {} (or [mail] host and from in the configuration file)",
            envvars::SMTP_HOST,
            envvars::SMTP_FROM
        ))
    })
}

async fn test(ctx: &Context, args: MailTestArgs) -> anyhow::Result<ExitStatus> {
    let settings = configured(ctx)?;
    let smtp = Smtp::new(settings, 1).map_err(CommandError::new)?;
    let host = url::Url::parse(&ctx.settings.mail.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "paideia.invalid".into());
    let message_id = format!("<test-{:016x}@{host}>", rand::random::<u64>());
    let mail = Outgoing {
        message_id: message_id.clone(),
        to_address: args.to.clone(),
        subject: "paideia: test message".into(),
        text: format!(
            "This is a test message from paideia at {}.\n\nIf you can read it, mail works.\n",
            ctx.settings.mail.public_url
        ),
        html: None,
        unsubscribe_url: None,
        headers: Vec::new(),
    };
    if let Err(e) = smtp.send(&mail).await {
        let hint = crate::mail::smtp::hint(&e, settings);
        return Err(
            CommandError::new(format!("cannot send through {}: {e}", smtp.server()))
                .hint(hint)
                .into(),
        );
    }
    if ctx.json {
        println!(
            "{}",
            serde_json::json!({"ok": true, "to": args.to, "server": smtp.server(), "message_id": message_id})
        );
    } else if !ctx.quiet {
        println!(
            "sent a test message to {} through {}",
            args.to,
            smtp.server()
        );
    }
    Ok(ExitStatus::Success)
}
