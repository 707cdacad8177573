//! Confirmation before destructive steps: asks on a terminal, takes `--yes` for scripts, and
//! refuses to guess when there is no terminal to ask.

use std::io::IsTerminal;

use crate::exit::CommandError;

/// Asks even with `--yes`: for a step whose consequence the admin must have seen (a flag of
/// its own, named in `no_terminal`, is the way for scripts). An error when nobody can be asked.
pub fn ask(prompt: &str, no_terminal: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(
            CommandError::new(format!("refusing to go on without confirmation: {prompt}"))
                .hint(no_terminal)
                .into(),
        );
    }
    Ok(dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact()?)
}

/// True when the admin agreed (or passed `--yes`); an error when nobody can be asked.
pub fn confirm(prompt: &str, yes: bool) -> anyhow::Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(
            CommandError::new(format!("refusing to go on without confirmation: {prompt}"))
                .hint("stdin is not a terminal; add --yes to confirm in a script")
                .into(),
        );
    }
    Ok(dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact()?)
}
