//! Documentation generated from the clap tree: shell completions and man pages. The binary
//! prints them (`paideia completions SHELL`, `paideia man`), and copies are kept in
//! `completions/` and `man/`; a test fails when those copies are stale.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The shells whose completions are kept in `completions/`, with their file names.
pub const COMPLETION_FILES: &[(Shell, &str)] = &[
    (Shell::Bash, "paideia.bash"),
    (Shell::Zsh, "_paideia"),
    (Shell::Fish, "paideia.fish"),
    (Shell::PowerShell, "_paideia.ps1"),
    (Shell::Elvish, "paideia.elv"),
];

pub fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "paideia", &mut out);
    out
}

/// Every man page: `paideia.1`, then one per subcommand (`paideia-migrate-up.1`, …).
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    let mut root = Cli::command();
    root.build();
    collect(&root, "paideia", &mut pages)?;
    Ok(pages)
}

fn collect(
    command: &clap::Command,
    name: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    let mut out = Vec::new();
    // The title line names the version, so a page read later says which binary it describes.
    clap_mangen::Man::new(command.clone().name(name.to_string()))
        .source(format!("paideia {}", crate::version::VERSION))
        .render(&mut out)?;
    pages.push((format!("{name}.1"), out));
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, &format!("{name}-{}", sub.get_name()), pages)?;
    }
    Ok(())
}
