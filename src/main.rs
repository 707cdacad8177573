//! The `paideia` binary: parse arguments, run the command, map the outcome to an exit status.

use std::process::ExitCode;

use clap::Parser;
use paideia::{cli::Cli, commands, exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    paideia::install_crypto_provider();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::ExitStatus::Failure.into();
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(status) => status.into(),
        Err(err) => {
            let (message, hint, status) = exit::describe(&err);
            eprintln!("error: {message}");
            if let Some(hint) = hint {
                eprintln!("hint: {hint}");
            }
            status.into()
        }
    }
}
