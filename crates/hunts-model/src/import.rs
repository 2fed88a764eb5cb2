//! Import of hunts from a file in the export's shape: a JSON list of whole hunts, or CSV with a
//! header of field paths (`hunts_model::csv`). Each record is read into the fields it gives, then
//! planned against the server's hunt of the same code: created (with the file's id, if it has
//! one), updated, unchanged, or refused with the field and the model's message. A code, phone
//! number or id given twice in the file, or already held by another hunt, is refused too, so
//! the dry run says everything the apply would meet. Nothing is sent here.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::fields::{Kind, expected};
use crate::{FIELDS, FieldPath, Hunt, ModelError, csv, merge_diff, merge_patch, unflatten};

/// Why a whole file cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is not JSON: {0}")]
    NotJson(String),
    #[error("a JSON file must be a list of hunts, as the export writes it")]
    NotAList,
    #[error("the file holds no hunts")]
    Empty,
    #[error("column {0} is not a field of a hunt")]
    UnknownColumn(String),
    #[error("column {0} is given twice")]
    DuplicateColumn(String),
    #[error("the file has no code column: hunts are matched by their code")]
    NoCodeColumn,
}

/// Why one record will not be imported: the field it is about, where there is one, and the
/// message for the person who made the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub field: Option<String>,
    pub message: String,
}

impl Refusal {
    /// A refusal of `field`, its message naming the field by its label.
    fn about(field: &str, message: String) -> Refusal {
        Refusal {
            field: Some(field.to_owned()),
            message: crate::labelled(field, &message),
        }
    }
}

impl From<ModelError> for Refusal {
    fn from(error: ModelError) -> Refusal {
        Refusal {
            field: error.field().map(str::to_owned),
            message: error.in_words(),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        out.write_str(&self.message)
    }
}

/// One hunt of the file: its place (1 for the first hunt) and the fields it gives, nested as
/// the API's JSON, or why they cannot be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub number: usize,
    pub fields: Result<Map<String, Value>, Refusal>,
    /// The code as the file writes it, read even where the rest of the record is refused: what
    /// a dry run calls the hunt. `None` where the file gives no code, or not as text.
    pub label: Option<String>,
}

impl Record {
    /// The code the record gives, which is what it is matched by.
    pub fn code(&self) -> Option<&str> {
        self.text("code")
    }

    /// A top-level text field the record gives (`code`, `phonenumber`, `id`).
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields.as_ref().ok()?.get(field)?.as_str()
    }
}

/// Reads a file: JSON when its name ends in `.json` or its text starts with `[`, else CSV.
pub fn read(name: &str, text: &str) -> Result<Vec<Record>, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records =
        if name.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with('[') {
            read_json(text)?
        } else {
            read_csv(text)?
        };
    if records.is_empty() {
        return Err(FileError::Empty);
    }
    Ok(records)
}

fn read_json(text: &str) -> Result<Vec<Record>, FileError> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| FileError::NotJson(error.to_string()))?;
    let Value::Array(items) = value else {
        return Err(FileError::NotAList);
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(index, item)| Record {
            number: index + 1,
            label: given(item.get("code").and_then(Value::as_str)),
            fields: match item {
                Value::Object(fields) => Ok(fields),
                _ => Err(ModelError::NotAnObject.into()),
            },
        })
        .collect())
}

fn read_csv(text: &str) -> Result<Vec<Record>, FileError> {
    let mut lines = csv::parse(text)
        .into_iter()
        .filter(|cells| cells.iter().any(|cell| !cell.is_empty()));
    let Some(header) = lines.next() else {
        return Ok(Vec::new());
    };
    let mut columns: Vec<FieldPath> = Vec::with_capacity(header.len());
    for name in &header {
        let name = name.trim();
        let column = FieldPath::lookup(name)
            .filter(|path| !matches!(path.kind(), Kind::Group | Kind::ResourceId))
            .ok_or_else(|| FileError::UnknownColumn(name.to_owned()))?;
        if columns.contains(&column) {
            return Err(FileError::DuplicateColumn(name.to_owned()));
        }
        columns.push(column);
    }
    let Some(code_column) = columns.iter().position(|column| column.as_str() == "code") else {
        return Err(FileError::NoCodeColumn);
    };
    Ok(lines
        .enumerate()
        .map(|(index, cells)| Record {
            number: index + 1,
            label: given(cells.get(code_column).map(String::as_str)),
            fields: csv_fields(&columns, &cells),
        })
        .collect())
}

/// A code as a label: none where it is missing or blank.
fn given(code: Option<&str>) -> Option<String> {
    code.filter(|code| !code.trim().is_empty())
        .map(str::to_owned)
}

/// A CSV row's cells as the nested fields they give. An empty cell of a number, a flag or the
/// seconds gives nothing (the hunt keeps, or a new one takes, the default, as the export writes
/// a field the hunt lacks); an empty resources cell is a hunt that rings no one.
fn csv_fields(columns: &[FieldPath], cells: &[String]) -> Result<Map<String, Value>, Refusal> {
    if cells.len() != columns.len() {
        return Err(Refusal {
            field: None,
            message: format!(
                "the row has {} cells where the header has {}",
                cells.len(),
                columns.len()
            ),
        });
    }
    let mut flat = Map::new();
    for (column, cell) in columns.iter().zip(cells) {
        if let Some(value) = cell_value(*column, cell)? {
            flat.insert(column.as_str().to_owned(), value);
        }
    }
    match unflatten(&flat) {
        Value::Object(fields) => Ok(fields),
        _ => unreachable!("unflatten makes an object"),
    }
}

fn cell_value(column: FieldPath, cell: &str) -> Result<Option<Value>, Refusal> {
    let wrong = || {
        Refusal::from(ModelError::WrongType {
            field: column.as_str().to_owned(),
            expected: match column.kind() {
                Kind::Resources => "id:priority pairs separated by ;",
                Kind::Seconds => "whole numbers of seconds separated by ;",
                kind => expected(kind),
            },
        })
    };
    let value = match column.kind() {
        Kind::Text => Value::String(cell.to_owned()),
        _ if cell.trim().is_empty()
            && !matches!(column.kind(), Kind::Resources | Kind::Seconds) =>
        {
            return Ok(None);
        }
        Kind::Timestamp => Value::String(cell.to_owned()),
        // A duration may be written with units, as the form takes it ("8 h").
        Kind::Count => column.typed_count(cell).map_err(|_| wrong())?.into(),
        Kind::Flag => match cell.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(wrong()),
        },
        Kind::Seconds => items(cell)
            .map(|item| item.parse::<u64>().map(Value::from).map_err(|_| wrong()))
            .collect::<Result<_, _>>()?,
        Kind::Resources => items(cell)
            .map(|item| {
                let (id, priority) = item.rsplit_once(':').ok_or_else(wrong)?;
                let priority = priority.trim().parse::<i64>().map_err(|_| wrong())?;
                Ok(serde_json::json!({"id": id.trim(), "priority": priority}))
            })
            .collect::<Result<_, Refusal>>()?,
        Kind::Group | Kind::ResourceId => unreachable!("refused as columns"),
    };
    Ok(Some(value))
}

/// The `;`-separated items of a list cell; none for an empty cell.
fn items(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// A hunt the server holds that a record's code, phone number or id may meet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub id: String,
    pub code: String,
    pub phonenumber: String,
}

/// What the import will do with one record.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// A new hunt, from this body (the file's id kept, if it gave one).
    Create {
        body: Value,
        hunt: Box<Hunt>,
    },
    /// The server's hunt of the same code, patched.
    Update {
        before: Box<Hunt>,
        after: Box<Hunt>,
        patch: Value,
    },
    Unchanged,
    Refused(Refusal),
}

impl Plan {
    pub fn writes(&self) -> bool {
        matches!(self, Plan::Create { .. } | Plan::Update { .. })
    }
}

/// The plan of every record: `by_code` holds the server's hunts whose codes the file gives,
/// `holders` every hunt holding one of the file's codes, phone numbers or ids.
pub fn plan(records: &[Record], by_code: &HashMap<String, Hunt>, holders: &[Holder]) -> Vec<Plan> {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    // Looked up by value: a file of 100,000 hunts is planned in one pass.
    let by_phone: HashMap<&str, &Holder> = holders
        .iter()
        .filter(|holder| !holder.phonenumber.is_empty())
        .map(|holder| (holder.phonenumber.as_str(), holder))
        .collect();
    let by_id: HashMap<&str, &Holder> = holders
        .iter()
        .map(|holder| (holder.id.as_str(), holder))
        .collect();
    records
        .iter()
        .map(|record| {
            let fields = match &record.fields {
                Ok(fields) => fields,
                Err(refusal) => return Plan::Refused(refusal.clone()),
            };
            let Some(code) = record.code() else {
                return Plan::Refused(ModelError::Required("code".to_owned()).into());
            };
            let existing = by_code.get(code);
            let mut unique = vec![
                ("code", code),
                ("phonenumber", record.text("phonenumber").unwrap_or("")),
            ];
            if existing.is_none() {
                unique.push(("id", record.text("id").unwrap_or("")));
            }
            for (field, value) in unique.into_iter().filter(|(_, value)| !value.is_empty()) {
                if let Some(first) = seen.insert((field, value), record.number) {
                    return Plan::Refused(Refusal::about(
                        field,
                        format!(
                            "{field} {value} is given twice in the file (hunt {first} and hunt {})",
                            record.number
                        ),
                    ));
                }
                let held = match field {
                    "phonenumber" => by_phone.get(value),
                    "id" => by_id.get(value),
                    _ => None,
                };
                if let Some(holder) = held.filter(|holder| holder.code != code) {
                    return Plan::Refused(Refusal::about(
                        field,
                        format!("{field} {value} belongs to hunt {}", holder.code),
                    ));
                }
            }
            plan_one(fields, existing)
        })
        .collect()
}

/// The fields of a record that an import may write: not the server's timestamps or `ext`.
fn writable(fields: &Map<String, Value>) -> Map<String, Value> {
    fields
        .iter()
        .filter(|(name, _)| {
            *name == "id"
                || FIELDS
                    .iter()
                    .find(|field| field.path == name.as_str())
                    .is_none_or(|field| !field.server_set && field.path != "ext")
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

fn plan_one(fields: &Map<String, Value>, existing: Option<&Hunt>) -> Plan {
    let mut given = writable(fields);
    let Some(hunt) = existing else {
        let body = Value::Object(given);
        return match Hunt::from_input(&body) {
            Ok(created) => Plan::Create {
                body,
                hunt: Box::new(created),
            },
            Err(error) => Plan::Refused(error.into()),
        };
    };
    // Matched by code: the file's id (from another server, maybe) is not this hunt's.
    given.remove("id");
    let before = hunt.to_json();
    let mut merged = before.clone();
    merge_patch(&mut merged, &Value::Object(given));
    let patch = merge_diff(&before, &merged);
    if patch.as_object().is_some_and(Map::is_empty) {
        return Plan::Unchanged;
    }
    match hunt.patched(&patch) {
        // What the model reads the same (a simple strategy's seconds) is no change.
        Ok(after) if after == *hunt => Plan::Unchanged,
        Ok(after) => Plan::Update {
            before: Box::new(hunt.clone()),
            after: Box::new(after),
            patch,
        },
        Err(error) => Plan::Refused(error.into()),
    }
}

/// The top-level fields a plan changes, by label, for the dry run: "Weight, Resources".
pub fn changed_labels(patch: &Value) -> String {
    patch
        .as_object()
        .map(|fields| {
            fields
                .keys()
                .map(|name| match FieldPath::lookup(name) {
                    Some(path) => path.label(),
                    None => name.as_str(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Resource;
    use serde_json::json;

    const ID: &str = "142e6187-016c-cd70-0da4-50e54938780c";

    fn sales() -> Hunt {
        Hunt {
            id: ID.to_owned(),
            code: "sales".to_owned(),
            phonenumber: "100".to_owned(),
            resources: vec![Resource {
                id: "agent-a".to_owned(),
                priority: 10,
            }],
            ..Hunt::default()
        }
    }

    fn holder(hunt: &Hunt) -> Holder {
        Holder {
            id: hunt.id.clone(),
            code: hunt.code.clone(),
            phonenumber: hunt.phonenumber.clone(),
        }
    }

    fn planned(text: &str, name: &str) -> Vec<Plan> {
        let records = read(name, text).unwrap();
        let by_code = HashMap::from([("sales".to_owned(), sales())]);
        plan(&records, &by_code, &[holder(&sales())])
    }

    #[test]
    fn a_csv_row_creates_updates_leaves_or_refuses() {
        let text = "code,phonenumber,weight,resources,huntblock.enabled\r\n\
                    sales,100,1,agent-a:10,false\r\n\
                    sales2,200,3,agent-b:5;agent-c:4,true\r\n\
                    sales3,300,-2,,\r\n\
                    sales4,100,,,\r\n";
        let mut records = read("hunts.csv", text).unwrap();
        records[0]
            .fields
            .as_mut()
            .unwrap()
            .insert("weight".into(), json!(2));
        let by_code = HashMap::from([("sales".to_owned(), sales())]);
        let plans = plan(&records, &by_code, &[holder(&sales())]);
        let Plan::Update { patch, .. } = &plans[0] else {
            panic!("{:?}", plans[0])
        };
        assert_eq!(patch, &json!({"weight": 2}));
        let Plan::Create { hunt, .. } = &plans[1] else {
            panic!("{:?}", plans[1])
        };
        assert_eq!(hunt.resources.len(), 2);
        assert!(hunt.huntblock.enabled);
        assert_eq!(
            plans[2],
            Plan::Refused(Refusal {
                field: Some("weight".into()),
                message: "Weight must be a whole number of 0 or more".into()
            })
        );
        assert_eq!(
            plans[3],
            Plan::Refused(Refusal {
                field: Some("phonenumber".into()),
                message: "Phone number 100 is given twice in the file (hunt 1 and hunt 4)".into()
            })
        );
    }

    #[test]
    fn a_refused_record_keeps_the_code_it_gives_as_its_label() {
        let csv = read("hunts.csv", "code,weight\nnorth,x\n,1\nsouth,2,3\n").unwrap();
        assert!(
            csv.iter()
                .all(|record| record.fields.is_err() || record.number == 2)
        );
        let labels: Vec<_> = csv.iter().map(|record| record.label.as_deref()).collect();
        assert_eq!(labels, [Some("north"), None, Some("south")]);
        let json = read(
            "hunts.json",
            r#"[{"code": "east", "weight": "x"}, 7, {"code": 3}]"#,
        );
        let labels: Vec<_> = json
            .unwrap()
            .into_iter()
            .map(|record| record.label)
            .collect();
        assert_eq!(labels, [Some("east".to_owned()), None, None]);
    }

    #[test]
    fn a_json_export_of_the_same_hunts_changes_nothing() {
        let export = Value::Array(vec![sales().to_json()]).to_string();
        assert_eq!(planned(&export, "hunts.json"), vec![Plan::Unchanged]);
    }

    #[test]
    fn ids_phone_numbers_and_codes_held_elsewhere_are_refused() {
        let other = json!([{"id": ID, "code": "other"}, {"code": "third", "phonenumber": "100"}]);
        let plans = planned(&other.to_string(), "x.json");
        assert_eq!(
            plans[0],
            Plan::Refused(Refusal {
                field: Some("id".into()),
                message: format!("Id {ID} belongs to hunt sales")
            })
        );
        assert!(
            matches!(&plans[1], Plan::Refused(refusal) if refusal.message == "Phone number 100 belongs to hunt sales")
        );
    }

    #[test]
    fn files_that_cannot_be_read_say_why() {
        assert_eq!(
            read("a.csv", "code,colour\r\nx,red\r\n"),
            Err(FileError::UnknownColumn("colour".into()))
        );
        assert_eq!(
            read("a.csv", "weight\r\n1\r\n"),
            Err(FileError::NoCodeColumn)
        );
        assert_eq!(read("a.json", "{}"), Err(FileError::NotAList));
        assert_eq!(read("a.json", "[]"), Err(FileError::Empty));
        assert!(matches!(read("a.json", "[{"), Err(FileError::NotJson(_))));
        let short = read("a.csv", "code,weight\r\nx\r\n").unwrap();
        assert!(
            short[0]
                .fields
                .as_ref()
                .unwrap_err()
                .message
                .contains("1 cells")
        );
    }

    #[test]
    fn a_record_without_a_code_is_refused() {
        let plans = planned(r#"[{"weight": 3}, 7]"#, "x.json");
        assert_eq!(
            plans[0],
            Plan::Refused(ModelError::Required("code".into()).into())
        );
        assert_eq!(plans[1], Plan::Refused(ModelError::NotAnObject.into()));
    }
}
