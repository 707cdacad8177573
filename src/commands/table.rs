//! Tables for people on stdout (`user list`, `backup list`): columns as wide as their
//! contents (comfy-table, which measures Unicode widths), fitted to the terminal's width on a
//! terminal, and plain lines of space-separated columns, never wrapped, when piped.

use std::io::{IsTerminal, Write};

use comfy_table::{CellAlignment, ContentArrangement, Table, presets::NOTHING};

/// A table with these column headings; `right` lists the columns aligned right (numbers).
pub fn new(header: &[&str], right: &[usize]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(NOTHING)
        .set_header(header.iter().copied());
    if std::io::stdout().is_terminal() {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.force_no_tty();
    }
    for (i, column) in table.column_iter_mut().enumerate() {
        // Two spaces between columns, none before the first.
        column.set_padding((0, 2));
        if right.contains(&i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

/// Prints the table without the trailing spaces of its last column. A reader that goes away
/// (`paideia user list | head`) ends the printing quietly instead of a panic.
pub fn print(table: &Table) {
    let mut out = std::io::stdout().lock();
    for line in table.lines() {
        if writeln!(out, "{}", line.trim_end()).is_err() {
            return;
        }
    }
}
