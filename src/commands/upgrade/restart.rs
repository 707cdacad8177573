//! After the swap: the running server still runs the old binary. Under systemd, offer to
//! restart the unit (`--restart` does it without asking); otherwise say exactly what to do.

use std::{io::IsTerminal, path::Path, process::Command};

/// The unit `paideia service print` writes.
const UNIT: &str = "paideia.service";

fn unit_is_active() -> bool {
    Command::new("systemctl")
        .args(["is-active", "--quiet", UNIT])
        .status()
        .is_ok_and(|s| s.success())
}

pub fn after_swap(restart: bool, yes: bool, exe: &Path) {
    if !unit_is_active() {
        if restart {
            eprintln!("note: no active systemd unit {UNIT}, so nothing was restarted");
        }
        eprintln!(
            "next: restart the server so it runs the new binary: stop the running `paideia serve` and start `{} serve` again",
            exe.display()
        );
        return;
    }
    let ask = !restart && !yes && std::io::stdin().is_terminal();
    let go = restart
        || (ask
            && dialoguer::Confirm::new()
                .with_prompt(format!("restart {UNIT} now?"))
                .default(true)
                .interact()
                .unwrap_or(false));
    if !go {
        eprintln!("next: restart the server so it runs the new binary: systemctl restart {UNIT}");
        return;
    }
    match Command::new("systemctl").args(["restart", UNIT]).status() {
        Ok(s) if s.success() => eprintln!("restarted {UNIT}"),
        _ => eprintln!("warning: `systemctl restart {UNIT}` failed; run it yourself (as root)"),
    }
}
