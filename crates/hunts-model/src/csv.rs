//! CSV (RFC 4180) for hunts: a header of field paths, then a row per hunt in the flat form.
//! Resources are one cell, `id:priority;id:priority` in ring order; a list of seconds is
//! `5;10;20`; flags are `true`/`false`. Lines end in CRLF; a cell is quoted when it holds a comma,
//! a quote, a line break or spaces at either end.

use serde_json::{Map, Value};

use crate::FieldPath;

/// The header line: the columns' field paths.
pub fn header(columns: &[FieldPath]) -> String {
    line(columns.iter().map(|column| column.as_str().to_owned()))
}

/// One hunt's line, from its flat form.
pub fn row(columns: &[FieldPath], flat: &Map<String, Value>) -> String {
    line(columns.iter().map(|column| cell(flat.get(column.as_str()))))
}

fn line(cells: impl Iterator<Item = String>) -> String {
    let mut out = cells
        .map(|cell| quoted(&cell))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(resource) => format!(
                    "{}:{}",
                    resource
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                    resource
                        .get("priority")
                        .map(Value::to_string)
                        .unwrap_or_default()
                ),
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(";"),
        Some(other) => other.to_string(),
    }
}

fn quoted(cell: &str) -> String {
    let needs = cell.contains([',', '"', '\r', '\n']) || cell.trim() != cell;
    if needs {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// The records of a CSV text, each a list of cells, quotes undone. A final line break is
/// optional; a blank text has no records.
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut started = false;
    while let Some(c) = chars.next() {
        started = true;
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
                started = false;
            }
            (false, c) => cell.push(c),
        }
    }
    if started {
        record.push(cell);
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_hunt_as_a_line() {
        let columns: Vec<FieldPath> = ["code", "displayname", "resources", "huntblock.enabled"]
            .iter()
            .filter_map(|path| FieldPath::lookup(path))
            .collect();
        let flat = json!({
            "code": "sales",
            "displayname": "Sales, \"main\" line",
            "resources": [{"id": "agent-a", "priority": 10}, {"id": "agent-b", "priority": 5}],
            "huntblock.enabled": false,
        });
        assert_eq!(
            header(&columns),
            "code,displayname,resources,huntblock.enabled\r\n"
        );
        let line = row(&columns, flat.as_object().unwrap());
        assert_eq!(
            line,
            "sales,\"Sales, \"\"main\"\" line\",agent-a:10;agent-b:5,false\r\n"
        );
        assert_eq!(
            parse(&line),
            vec![vec![
                "sales",
                "Sales, \"main\" line",
                "agent-a:10;agent-b:5",
                "false"
            ]]
        );
    }
}
