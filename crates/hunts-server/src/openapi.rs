//! The API as an OpenAPI 3.1 document, written from the model's field catalog so it cannot
//! drift from what the server accepts: every field's type and range, the list's parameters and
//! their allowed paths, the error body, the extensions. Served at `/rest/v1/openapi.json` and
//! kept in `docs/openapi.json` (a test holds the two equal). `LOOKUP` is not an HTTP method
//! OpenAPI can describe; its own tests cover it.

use hunts_model::{FIELDS, FieldPath, HUNTS_PATH, Kind, SESSION_PATH};
use serde_json::{Map, Value, json};

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/rest/v1/openapi.json";

/// Characters `code` and `phonenumber` never hold: controls and bidirectional controls.
const BAD_TEXT: &str = r"\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069";

/// A name: no bad text, no space at either end; `required` names are not empty.
fn name_pattern(required: bool) -> String {
    let edge = format!(r"[^\s{BAD_TEXT}]");
    let inner = format!(r"[^{BAD_TEXT}]*");
    let one = format!("{edge}(?:{inner}{edge})?");
    if required {
        format!("^{one}$")
    } else {
        format!("^(?:{one})?$")
    }
}

const UUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

fn count() -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": u32::MAX})
}

/// The schema of a single value of `kind` (a member of a group, or a top-level field).
fn value_schema(path: FieldPath) -> Value {
    let schema = match path.kind() {
        Kind::Text | Kind::ResourceId => match path.as_str() {
            "code" => json!({"type": "string", "pattern": name_pattern(true)}),
            "phonenumber" => json!({"type": "string", "pattern": name_pattern(false)}),
            "id" => json!({"type": "string", "pattern": UUID_PATTERN}),
            _ => json!({"type": "string"}),
        },
        Kind::Count => count(),
        Kind::Flag => json!({"type": "boolean"}),
        Kind::Timestamp => json!({"type": "string", "format": "date-time"}),
        Kind::Seconds => json!({"type": "array", "items": count()}),
        Kind::Resources => json!({
            "type": "array",
            "items": {"$ref": "#/components/schemas/Resource"},
        }),
        Kind::Group => group_schema(path, Shape::Stored),
    };
    with_label(schema, path)
}

fn with_label(mut schema: Value, path: FieldPath) -> Value {
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".to_owned(), json!(path.label()));
        if let Some(hint) = path.field().hint_text() {
            object.insert("description".to_owned(), json!(hint));
        }
    }
    schema
}

/// The members of a group (or, for `""`, the top-level fields).
fn members(prefix: &str) -> impl Iterator<Item = (&'static str, FieldPath)> + '_ {
    FIELDS.iter().filter_map(move |field| {
        let name = match prefix {
            "" => field.path,
            _ => field.path.strip_prefix(prefix)?.strip_prefix('.')?,
        };
        (!name.contains('.'))
            .then(|| (name, FieldPath::lookup(field.path).expect("in the catalog")))
    })
}

/// A group's object: as stored (every member present), as input (any may be left out), or
/// in a merge patch (any may be null, which puts it back to its default).
fn group_schema(path: FieldPath, shape: Shape) -> Value {
    let input = shape != Shape::Stored;
    if path.as_str() == "strategy" {
        return match shape {
            Shape::Patch => strategy_patch_schema(),
            _ => strategy_schema(input),
        };
    }
    let properties: Map<String, Value> = members(path.as_str())
        .map(|(name, member)| {
            let schema = value_schema(member);
            let schema = if shape == Shape::Patch {
                json!({"oneOf": [schema, {"type": "null"}]})
            } else {
                schema
            };
            (name.to_owned(), schema)
        })
        .collect();
    let mut schema =
        json!({"type": "object", "properties": properties, "additionalProperties": false});
    if !input {
        let required: Vec<&str> = members(path.as_str()).map(|(name, _)| name).collect();
        schema["required"] = json!(required);
    }
    schema
}

/// `{mode: "simple"}` (any seconds are dropped) or `{mode: "timers", seconds: [one or more]}`.
fn strategy_schema(input: bool) -> Value {
    let seconds = json!({"type": "array", "items": count()});
    let timers_seconds = json!({"type": "array", "items": count(), "minItems": 1});
    // Stored, a simple strategy has no seconds; sent, any it has are dropped.
    let simple = if input {
        json!({"mode": {"const": "simple"}, "seconds": seconds})
    } else {
        json!({"mode": {"const": "simple"}})
    };
    json!({
        "oneOf": [
            {
                "type": "object",
                "properties": simple,
                "required": ["mode"],
                "additionalProperties": false,
            },
            {
                "type": "object",
                "properties": {"mode": {"const": "timers"}, "seconds": timers_seconds},
                "required": ["mode", "seconds"],
                "additionalProperties": false,
            },
        ],
    })
}

/// A merge patch of the strategy: either member, or neither; the result must still be a
/// strategy (timers with seconds), which depends on the hunt and is checked on it.
fn strategy_patch_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "mode": {"enum": ["simple", "timers"]},
            "seconds": {"oneOf": [{"type": "array", "items": count()}, {"type": "null"}]},
        },
        "additionalProperties": false,
    })
}

/// Which schema of the hunt: as the server answers it, as a create body, or as a merge patch.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Stored,
    Create,
    Patch,
}

fn hunt_schema(shape: Shape) -> Value {
    let mut properties = Map::new();
    for (name, path) in members("") {
        let schema = match (path.kind(), shape) {
            (Kind::Group, _) if name == "ext" && shape != Shape::Stored => {
                json!({"description": "set by the server; ignored"})
            }
            (Kind::Group, _) => with_label(group_schema(path, shape), path),
            _ => value_schema(path),
        };
        let schema = match (shape, name) {
            // A patch cannot change the id, and a hunt cannot be without a code.
            (Shape::Patch, "id") => continue,
            (Shape::Patch, "code") => schema,
            // Null in a patch puts the field back to its default.
            (Shape::Patch, _) => json!({"oneOf": [schema, {"type": "null"}]}),
            _ => schema,
        };
        properties.insert(name.to_owned(), schema);
    }
    let mut schema =
        json!({"type": "object", "properties": properties, "additionalProperties": false});
    match shape {
        Shape::Stored => {
            let required: Vec<&str> = members("").map(|(name, _)| name).collect();
            schema["required"] = json!(required);
        }
        Shape::Create => schema["required"] = json!(["code"]),
        Shape::Patch => {}
    }
    schema
}

/// The paths `mask` may name, comma-separated.
fn mask_pattern() -> String {
    let paths: Vec<String> = FIELDS
        .iter()
        .map(|field| regex_escape(field.path))
        .collect();
    let one = format!("(?:{})", paths.join("|"));
    format!("^{one}(?:,{one})*$")
}

fn regex_escape(text: &str) -> String {
    text.replace('.', r"\.")
}

/// `filter`: a JSON object of scalar field path to a value or a non-empty array of values.
fn filter_schema() -> Value {
    let mut properties = Map::new();
    let scalars = FIELDS
        .iter()
        .filter_map(|field| FieldPath::lookup(field.path))
        .filter(|path| path.kind().is_scalar())
        .chain([FieldPath::RESOURCE_ID]);
    for path in scalars {
        let one = match path.kind() {
            Kind::Count => count(),
            Kind::Flag => json!({"type": "boolean"}),
            _ => json!({"type": "string"}),
        };
        properties.insert(
            path.as_str().to_owned(),
            json!({"oneOf": [one, {"type": "array", "items": one, "minItems": 1}]}),
        );
    }
    json!({"type": "object", "properties": properties, "additionalProperties": false})
}

/// `order`: an array of sortable paths, ascending, or one-key objects `{path: "asc"|"desc"}`.
fn order_schema() -> Value {
    let sortable: Vec<&str> = FIELDS
        .iter()
        .filter(|field| field.kind.is_scalar())
        .map(|field| field.path)
        .collect();
    let directed: Vec<Value> = sortable
        .iter()
        .map(|path| {
            json!({
                "type": "object",
                "properties": {*path: {"enum": ["asc", "desc"]}},
                "required": [path],
                "additionalProperties": false,
            })
        })
        .collect();
    let mut choices = vec![json!({"enum": sortable})];
    choices.extend(directed);
    json!({"type": "array", "items": {"anyOf": choices}})
}

fn error_responses(statuses: &[(u16, &str)]) -> Map<String, Value> {
    statuses
        .iter()
        .map(|(status, why)| {
            (
                status.to_string(),
                json!({
                    "description": why,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }),
            )
        })
        .collect()
}

fn responses(ok: (u16, Value), errors: &[(u16, &str)]) -> Value {
    let mut all = error_responses(errors);
    all.insert(ok.0.to_string(), ok.1);
    Value::Object(all)
}

fn json_body(reference: &str) -> Value {
    json!({
        "required": true,
        "content": {"application/json": {"schema": {"$ref": reference}}},
    })
}

fn hunt_answer(description: &str) -> Value {
    json!({
        "description": description,
        "headers": {"ETag": {"schema": {"type": "string"}, "description": "the hunt's version (extension)"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Hunt"}}},
    })
}

/// The whole document.
pub fn document() -> Value {
    let mask = json!({
        "name": "mask", "in": "query", "required": false,
        "description": "Comma-separated field paths to return; nested ones dotted.",
        "schema": {"type": "string", "pattern": mask_pattern()},
    });
    let flat = json!({
        "name": "flat", "in": "query", "required": false,
        "description": "Composite objects become dotted keys.",
        "schema": {"type": "boolean"},
    });
    let if_match = json!({
        "name": "If-Match", "in": "header", "required": false,
        "description": "Only if the hunt is still at this version (extension); else 412.",
        "schema": {"type": "string", "minLength": 1},
    });
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
    let change_set = json!({
        "name": "X-Change-Set", "in": "header", "required": false,
        "description": "The change this write belongs to (a bulk run, an import), recorded in its revision (extension).",
        "schema": {"type": "string", "pattern": "^[ -~]{1,64}$"},
    });
    let whole = |name: &str| json!({"name": name, "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": i64::MAX}});
    let text = |name: &str| json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}});
    let history_offset = json!({"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}});
    let history_limit = json!({"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": hunts_model::history::MOST_LIMIT}});
    let routing_report = json!({"description": "Every finding across all hunts.", "content": {"application/json": {"schema": {
        "type": "object",
        "required": ["checked", "findings"],
        "properties": {
            "checked": {"type": "integer", "minimum": 0, "description": "how many hunts were checked"},
            "findings": {"type": "array", "items": {
                "type": "object",
                "required": ["kind", "words", "hunts"],
                "properties": {
                    "kind": {"type": "string", "enum": hunts_model::routing::Finding::KINDS},
                    "words": {"type": "string"},
                    "hunts": {"type": "array", "items": {
                        "type": "object",
                        "required": ["id", "code"],
                        "properties": {"id": {"type": "string"}, "code": {"type": "string"}},
                    }},
                },
            }},
        },
    }}}});
    let history_ok = |what: &str| {
        json!({
            "description": what,
            "headers": {"X-Total-Count": {"schema": {"type": "integer", "minimum": 0}, "description": "how many revisions the query selects"}},
            "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Revision"}}}},
        })
    };
    let masked = json!({
        "type": "object",
        "description": "A hunt with the fields `mask` names (nested, or dotted with `flat=true`).",
    });
    let list_ok = json!({
        "description": "The matching hunts, in order.",
        "headers": {"X-Total-Count": {"schema": {"type": "integer", "minimum": 0}, "description": "how many hunts match (extension)"}},
        "content": {"application/json": {"schema": {"type": "array", "items": masked}}},
    });
    let one_ok = json!({
        "description": "The hunt.",
        "headers": {"ETag": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": masked}},
    });
    let body_errors: &[(u16, &str)] = &[
        (400, "the body breaks a rule; the field is named"),
        (413, "the body is over 1 MiB"),
        (415, "the body is not JSON"),
    ];
    let with = |extra: &[(u16, &'static str)]| -> Vec<(u16, &'static str)> {
        body_errors.iter().chain(extra).copied().collect()
    };
    // With sign-in off nobody needs to sign in: a 204, not an error.
    let mut who_answers = responses(
        (
            200,
            json!({"description": "Who is signed in.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}}),
        ),
        &[(401, "nobody is signed in")],
    );
    who_answers["204"] =
        json!({"description": "This server has sign-in off: nobody needs to sign in."});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Hunts API (reference server)",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Call-center waiting queues. See ../shared/api/CONTRACT.md; \
                            LOOKUP (by id, code or phone number) is not expressible here.",
        },
        "paths": {
            HUNTS_PATH: {
                "get": {
                    "operationId": "listHunts",
                    "parameters": [
                        mask,
                        {"name": "filter", "in": "query", "required": false,
                         "content": {"application/json": {"schema": filter_schema()}}},
                        {"name": "order", "in": "query", "required": false,
                         "content": {"application/json": {"schema": order_schema()}}},
                        {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}},
                        {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}},
                        flat,
                    ],
                    "responses": responses((200, list_ok), &[(400, "a parameter is refused; it is named")]),
                },
                "post": {
                    "operationId": "createHunt",
                    "parameters": [change_set],
                    "requestBody": json_body("#/components/schemas/HuntCreate"),
                    "responses": responses(
                        (200, hunt_answer("The stored hunt, id and ext filled.")),
                        &with(&[(409, "the code, phone number or id is taken")]),
                    ),
                },
            },
            format!("{HUNTS_PATH}/{{id}}"): {
                "get": {
                    "operationId": "getHunt",
                    "parameters": [id, mask, flat],
                    "responses": responses((200, one_ok), &[(400, "a parameter is refused"), (404, "no such hunt")]),
                },
                "patch": {
                    "operationId": "patchHunt",
                    "parameters": [id, if_match, change_set],
                    "requestBody": {
                        "required": true,
                        "content": {"application/merge-patch+json": {"schema": {"$ref": "#/components/schemas/HuntPatch"}},
                                    "application/json": {"schema": {"$ref": "#/components/schemas/HuntPatch"}}},
                    },
                    "responses": responses(
                        (200, hunt_answer("The whole stored hunt, ext.lwt advanced.")),
                        &with(&[(404, "no such hunt"), (409, "the code or phone number is taken, or the patch cannot apply to the hunt as it is (a timers strategy left without seconds)"), (412, "changed since that version")]),
                    ),
                },
                "delete": {
                    "operationId": "deleteHunt",
                    "parameters": [id, if_match, change_set],
                    "responses": responses(
                        (204, json!({"description": "Deleted."})),
                        &[(400, "If-Match or X-Change-Set is malformed"), (404, "no such hunt"), (412, "changed since that version")],
                    ),
                },
            },
            format!("{HUNTS_PATH}/{{id}}/{}", hunts_model::history::HUNT_HISTORY_SEGMENT): {
                "get": {
                    "operationId": "huntHistory",
                    "parameters": [id, history_offset.clone(), history_limit.clone()],
                    "responses": responses(
                        (200, history_ok("The hunt's revisions, newest first (extension).")),
                        &[(400, "a parameter is refused; it is named"), (404, "no history for this id")],
                    ),
                },
            },
            format!("{HUNTS_PATH}/{}", crate::events::EVENTS_SEGMENT): {
                "get": {
                    "operationId": "liveChanges",
                    "description": "Live changes (extension): a text/event-stream with one `hunt` event per committed revision, its id the revision's seq, in seq order; `Last-Event-ID` (or `after`) resumes, a `reset` event first when history no longer holds what was missed; a comment at least every 15 s.",
                    "parameters": [
                        {"name": "Last-Event-ID", "in": "header", "required": false, "schema": {"type": "integer", "minimum": 0}},
                        whole("after"),
                    ],
                    "responses": responses(
                        (200, json!({"description": "The stream (never ends by itself).", "content": {"text/event-stream": {"schema": {"type": "string"}}}})),
                        &[(400, "Last-Event-ID or after is not a seq; it is named"), (503, "too many streams open; see Retry-After")],
                    ),
                },
            },
            hunts_model::history::HISTORY_PATH: {
                "get": {
                    "operationId": "history",
                    "parameters": [whole("after"), whole("before"), text("by"), text("change_set"), text("id"), history_offset, history_limit],
                    "responses": responses(
                        (200, history_ok("Revisions across all hunts, newest first (extension).")),
                        &[(400, "a parameter is refused; it is named")],
                    ),
                },
            },
            hunts_model::routing::ROUTING_PATH: {
                "get": {
                    "operationId": "routingCheck",
                    "description": "The routing check (extension of this server's, not the contract's): every loop, dead end, transfer that never fires and way out of the hunts, across all hunts, in that order. Each finding has its kind, its words, and its hunts in the order the words name them. Without it, a client reads every hunt's routing fields from the list and finds the same.",
                    "responses": responses(
                        (200, routing_report),
                        &[(400, "a parameter was given; it takes none")],
                    ),
                },
            },
            SESSION_PATH: {
                "get": {
                    "operationId": "whoIsSignedIn",
                    "responses": who_answers,
                },
                "post": {
                    "operationId": "signIn",
                    "requestBody": json_body("#/components/schemas/SignIn"),
                    "responses": responses(
                        (204, json!({"description": "Signed in; the session cookie is set."})),
                        &with(&[(401, "the name or the password is wrong"), (404, "this server has sign-in off"), (429, "too many failed sign-ins; see Retry-After")]),
                    ),
                },
                "delete": {
                    "operationId": "signOut",
                    "responses": responses(
                        (204, json!({"description": "Signed out; the session is gone on the server."})),
                        &[(404, "this server has sign-in off")],
                    ),
                },
            },
        },
        "components": {
            "schemas": {
                "Hunt": hunt_schema(Shape::Stored),
                "HuntCreate": hunt_schema(Shape::Create),
                "HuntPatch": hunt_schema(Shape::Patch),
                "Resource": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "pattern": r"\S"},
                        "priority": {"type": "integer", "minimum": i32::MIN, "maximum": i32::MAX},
                    },
                    "required": ["id", "priority"],
                    "additionalProperties": false,
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "error_code": {"type": "integer", "minimum": 1400, "maximum": 1599},
                        "error_message": {"type": "string"},
                        "field": {"type": "string"},
                        "request_id": {"type": "string"},
                    },
                    "required": ["error_code", "error_message"],
                },
                "Revision": {
                    "type": "object",
                    "properties": {
                        "seq": {"type": "integer", "minimum": 1},
                        "id": {"type": "string"},
                        "code": {"type": "string"},
                        "revision": {"type": "integer", "minimum": 1},
                        "at": {"type": "string"},
                        "by": {"type": ["string", "null"]},
                        "action": {"enum": ["create", "change", "delete"]},
                        "change_set": {"type": ["string", "null"]},
                        "patch": {"type": ["object", "null"]},
                        "hunt": {"type": ["object", "null"]},
                    },
                    "required": ["seq", "id", "code", "revision", "at", "by", "action", "change_set", "patch", "hunt"],
                },
                "Session": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "role": {"enum": ["admin", "viewer"]}},
                    "required": ["name", "role"],
                },
                "SignIn": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "password": {"type": "string"}},
                    "required": ["name", "password"],
                    "additionalProperties": false,
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/openapi.json` is the document as the server makes it; run with
    /// `HUNTS_WRITE_OPENAPI=1` to write it after a change to the catalog.
    #[test]
    fn the_kept_copy_is_the_served_document() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
        let made = serde_json::to_string_pretty(&document()).unwrap() + "\n";
        if std::env::var_os("HUNTS_WRITE_OPENAPI").is_some() {
            std::fs::write(&path, &made).unwrap();
        }
        let kept = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            kept == made,
            "docs/openapi.json is out of date: run `HUNTS_WRITE_OPENAPI=1 cargo test -p hunts-server openapi`"
        );
    }

    #[test]
    fn names_are_refused_as_the_model_refuses_them() {
        let pattern = name_pattern(true);
        // The pattern is for the clients; spot-check it against the model's own words.
        for (code, ok) in [
            ("a", true),
            ("a b", true),
            (" a", false),
            ("a ", false),
            ("", false),
        ] {
            let accepted = hunts_model::validate_input(&json!({"code": code})).is_empty();
            assert_eq!(accepted, ok, "{code:?}");
        }
        assert!(pattern.starts_with('^') && pattern.ends_with('$'));
    }
}
