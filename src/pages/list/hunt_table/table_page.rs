//! A loaded page of hunts in the shape the table draws: each row's cell texts made once, when
//! the page loads, rather than from the JSON while drawing.

use std::sync::Arc;

use hunts_model::{FieldPath, Order};
use serde_json::{Map, Value};

use crate::format;

#[derive(Default)]
pub struct TablePage {
    pub columns: Vec<FieldPath>,
    pub order: Order,
    pub rows: Vec<TableRow>,
}

/// One hunt's row: its id, its code (for the checkbox's label), each column's text, and how a
/// live change left it.
#[derive(Clone)]
pub struct TableRow {
    pub id: Arc<str>,
    pub code: Arc<str>,
    pub cells: Arc<[Cell]>,
    pub mark: Mark,
}

/// What a page read again on a live change says of a row, beside the page before it.
#[derive(Clone, Copy, PartialEq)]
pub enum Mark {
    Unmarked,
    /// New to the page, or its text changed: marked for a moment.
    Changed,
    /// On the page before but not in the new answer (deleted, or no longer matching the view):
    /// kept where it was, marked, rather than pulled from under the pointer.
    Gone,
}

pub struct Cell {
    pub column: FieldPath,
    pub text: String,
    /// What a hover shows (a timestamp's exact time).
    pub title: Option<String>,
}

impl TablePage {
    pub fn new(rows: &[Map<String, Value>], columns: Vec<FieldPath>, order: Order) -> TablePage {
        let text = |row: &Map<String, Value>, name: &str| -> Arc<str> {
            row.get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .into()
        };
        let rows = rows
            .iter()
            .map(|row| TableRow {
                id: text(row, "id"),
                code: text(row, "code"),
                cells: columns
                    .iter()
                    .map(|column| {
                        let (text, title) =
                            format::cell_and_hover(*column, row.get(column.as_str()));
                        Cell {
                            column: *column,
                            text,
                            title,
                        }
                    })
                    .collect(),
                mark: Mark::Unmarked,
            })
            .collect();
        TablePage {
            columns,
            order,
            rows,
        }
    }

    /// This page read again on a live change, beside `before`, the page on show: a row whose
    /// text changed, or new to the page, is `Changed`; a row of `before` the new answer lacks
    /// stays where it was, `Gone`.
    pub fn following(mut self, before: &TablePage) -> TablePage {
        if before.columns != self.columns {
            return self;
        }
        for row in &mut self.rows {
            let was = before.rows.iter().find(|old| old.id == row.id);
            if was.is_none_or(|old| !same_text(&old.cells, &row.cells)) {
                row.mark = Mark::Changed;
            }
        }
        for (at, old) in before.rows.iter().enumerate() {
            if !self.rows.iter().any(|row| row.id == old.id) {
                let gone = TableRow {
                    mark: Mark::Gone,
                    ..old.clone()
                };
                self.rows.insert(at.min(self.rows.len()), gone);
            }
        }
        self
    }

    /// The ids of the rows in order, for Shift-click ranges and the page's checkbox (a row
    /// kept though gone is not among them).
    pub fn ids(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|row| row.mark != Mark::Gone)
            .map(|row| row.id.to_string())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

fn same_text(one: &[Cell], other: &[Cell]) -> bool {
    one.len() == other.len()
        && one
            .iter()
            .zip(other)
            .all(|(one, other)| one.text == other.text)
}
