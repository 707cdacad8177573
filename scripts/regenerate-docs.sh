#!/usr/bin/env bash
# Regenerates completions/ and man/ from the binary's clap tree (a test fails when they are
# stale). Run after changing a command, flag or help text.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked -q
bin="${CARGO_TARGET_DIR:-target}/debug/paideia"
mkdir -p completions
"$bin" completions bash > completions/paideia.bash
"$bin" completions zsh > completions/_paideia
"$bin" completions fish > completions/paideia.fish
"$bin" completions powershell > completions/_paideia.ps1
"$bin" completions elvish > completions/paideia.elv
rm -rf man && "$bin" man --dir man
