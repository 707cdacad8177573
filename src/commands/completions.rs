//! `paideia completions SHELL` and `paideia man [--dir DIR]`: generated from the clap tree.

use std::io::Write;

use anyhow::Context as _;

use crate::{cli::ManArgs, docgen, exit::ExitStatus};

pub fn run(shell: clap_complete::Shell) -> anyhow::Result<ExitStatus> {
    std::io::stdout().write_all(&docgen::completions(shell))?;
    Ok(ExitStatus::Success)
}

/// Writes every page into `--dir`, or the main page to stdout.
pub fn man(args: ManArgs) -> anyhow::Result<ExitStatus> {
    let pages = docgen::man_pages()?;
    match args.dir {
        None => std::io::stdout().write_all(&pages[0].1)?,
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for (name, page) in &pages {
                std::fs::write(dir.join(name), page)
                    .with_context(|| format!("cannot write {}", dir.join(name).display()))?;
            }
            eprintln!("wrote {} man pages to {}", pages.len(), dir.display());
        }
    }
    Ok(ExitStatus::Success)
}
