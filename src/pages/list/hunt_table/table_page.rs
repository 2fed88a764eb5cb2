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

/// One hunt's row: its id, its code (for the checkbox's label) and each column's text.
pub struct TableRow {
    pub id: Arc<str>,
    pub code: Arc<str>,
    pub cells: Arc<[Cell]>,
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
            })
            .collect();
        TablePage {
            columns,
            order,
            rows,
        }
    }

    /// The ids of the rows in order, for Shift-click ranges.
    pub fn ids(&self) -> Vec<String> {
        self.rows.iter().map(|row| row.id.to_string()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
