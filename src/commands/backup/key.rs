//! `paideia backup key new|list`: the keys that authenticate sets. `new` puts a fresh signing
//! key at the top of the key file (older keys keep verifying old sets); `list` shows ids only.

use crate::{
    backup::set::{self, BackupKeys},
    cli::BackupKeyCommand,
    commands::Context,
    exit::{CommandError, ExitStatus},
    settings::KeySource,
};

pub fn run(ctx: &Context, command: BackupKeyCommand) -> anyhow::Result<ExitStatus> {
    let source = &ctx.settings.backup.key;
    match command {
        BackupKeyCommand::New(_) => {
            let KeySource::File { path, .. } = source else {
                return Err(CommandError::new(
                    "the backup keys come from PAIDEIA_BACKUP_KEY, not from a file this command can add to",
                )
                .hint("make a new key file with --key-file FILE, then use it through PAIDEIA_BACKUP_KEY_FILE")
                .into());
            };
            let id = set::add_new_key(path)?;
            let keys = BackupKeys::load(source)?.expect("the key file was just written");
            println!("{id}");
            if !ctx.quiet {
                eprintln!(
                    "added key {id} to {}; it signs new sets, and the {} older key(s) there still verify theirs. Copy the file somewhere other than this machine and the backups.",
                    path.display(),
                    keys.ids().len() - 1
                );
            }
        }
        BackupKeyCommand::List(_) => {
            let Some(keys) = BackupKeys::load(source)? else {
                return Err(CommandError::new(format!(
                    "no backup key file at {}",
                    source.describe()
                ))
                .hint(
                    "`paideia backup run` makes one on its first run, or `paideia backup key new`",
                )
                .into());
            };
            for (n, id) in keys.ids().iter().enumerate() {
                let role = if n == 0 {
                    "signs and verifies"
                } else {
                    "verifies"
                };
                println!("{id}  {role}");
            }
        }
    }
    Ok(ExitStatus::Success)
}
