//! `paideia --version [--json]`.

use crate::{exit::ExitStatus, version::BuildInfo};

pub fn run(json: bool) -> anyhow::Result<ExitStatus> {
    let info = BuildInfo::current();
    if json {
        println!("{}", serde_json::to_string_pretty(&info)?);
    } else {
        println!("{}", info.line());
    }
    Ok(ExitStatus::Success)
}
