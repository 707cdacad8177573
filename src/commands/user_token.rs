//! `paideia user token`: make, list and revoke an account's personal access tokens with the
//! same functions as the account page. A new token goes to stdout once and nowhere else (not
//! to the log); lists never show tokens, only their names and dates.

use crate::{
    cli::TokenCommand,
    commands::{Context, confirm::confirm, user::find},
    exit::CommandError,
    lms::{Lms, tokens::ApiToken},
};

pub async fn run(ctx: &Context, lms: &Lms, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            email,
            name,
            expires_in_days,
        } => {
            let owner = find(lms, &email).await?;
            let new = lms.create_token(&owner, &name, expires_in_days).await?;
            if ctx.json {
                println!("{}", serde_json::to_string_pretty(&new)?);
            } else {
                println!("{}", new.secret);
            }
        }
        TokenCommand::List { email } => {
            let tokens = lms.tokens(&find(lms, &email).await?).await?;
            list(ctx, &tokens)?;
        }
        TokenCommand::Revoke { email, id, yes } => {
            let owner = find(lms, &email).await?;
            let token = lms.tokens(&owner).await?.into_iter().find(|t| t.id == id);
            let Some(token) = token else {
                return Err(
                    CommandError::new(format!("{email} has no token with id {id}"))
                        .hint(format!(
                            "`paideia user token list --email {email}` shows its tokens"
                        ))
                        .into(),
                );
            };
            let prompt = format!("Revoke token {} ({:?}) of {email}?", token.id, token.name);
            if !confirm(&prompt, yes)? {
                return Err(CommandError::new("cancelled; nothing was changed").into());
            }
            lms.revoke_token(&owner, id).await?;
            if !ctx.json {
                println!("revoked token {} ({})", token.id, token.name);
            }
        }
    }
    Ok(())
}

fn date(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(
        || "never".into(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn list(ctx: &Context, tokens: &[ApiToken]) -> anyhow::Result<()> {
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(tokens)?);
        return Ok(());
    }
    println!(
        "{:<6} {:<16} {:<16} {:<16} NAME",
        "ID", "CREATED", "LAST USED", "EXPIRES"
    );
    for t in tokens {
        println!(
            "{:<6} {:<16} {:<16} {:<16} {}",
            t.id,
            date(Some(t.created_at)),
            date(t.last_used_at),
            date(t.expires_at),
            t.name
        );
    }
    Ok(())
}
