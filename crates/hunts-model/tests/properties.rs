//! The model's rules over inputs no table of examples covers: merge patches and their diffs,
//! the flat form and masks, and every parser and check, which must refuse bad input with an
//! error and never panic.

use hunts_model::{
    FIELDS, FieldPath, Filter, Hunt, HuntBlock, Kind, ListQuery, Mask, Opts, Order, Resource, csv,
    duration, flatten, import, merge_diff, merge_patch, parse_strict_json, unflatten,
    validate_input,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Any JSON value (nulls only where `nulls`), a few levels deep.
fn json(nulls: bool) -> impl Strategy<Value = Value> {
    let scalar = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        "[a-z0-9 .]{0,6}".prop_map(Value::String),
    ];
    let leaf = if nulls {
        prop_oneof![4 => scalar, 1 => Just(Value::Null)].boxed()
    } else {
        scalar.boxed()
    };
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-e]{1,2}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn object(nulls: bool) -> impl Strategy<Value = Value> {
    prop::collection::btree_map("[a-e]{1,2}", json(nulls), 0..5)
        .prop_map(|map| Value::Object(map.into_iter().collect()))
}

/// A hunt the model accepts, with its fields drawn at random.
fn hunt() -> impl Strategy<Value = Hunt> {
    let text = || "[a-z0-9_]{0,8}";
    (
        (
            "[a-z][a-z0-9_]{0,8}",
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            text(),
            0u32..100,
            0u32..100,
            any::<bool>(),
        ),
        prop::collection::vec(("[a-z0-9-]{1,8}", -5i32..200), 0..5),
        prop::option::of(prop::collection::vec(1u32..60, 1..4)),
        (text(), text(), 0u32..3600, any::<bool>()),
    )
        .prop_map(|(head, resources, seconds, tail)| {
            let (code, id, phonenumber, priority, weight, exit) = head;
            let (title, reason, expires, blocked) = tail;
            let mut resources: Vec<Resource> = resources
                .into_iter()
                .map(|(id, priority)| Resource { id, priority })
                .collect();
            resources.sort_by(|a, b| a.id.cmp(&b.id));
            resources.dedup_by(|a, b| a.id == b.id);
            Hunt {
                id,
                code,
                phonenumber,
                priority,
                weight,
                resources,
                strategy: match seconds {
                    Some(seconds) => hunts_model::Strategy::Timers { seconds },
                    None => hunts_model::Strategy::Simple,
                },
                huntblock: HuntBlock {
                    enabled: blocked,
                    expires,
                    reason,
                },
                opts: Opts {
                    title,
                    exit_no_resource: exit,
                    ..Opts::default()
                },
                ..Hunt::default()
            }
        })
}

/// Percent-decoding, enough for what `to_query_string` writes.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() + 1 {
            let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any cells written as a CSV line read back as the same cells.
    #[test]
    fn csv_lines_read_back_as_written(cells in prop::collection::vec(prop::collection::vec("[a-z ,\"\r\n;:é]{0,8}", 1..5), 1..4)) {
        let text: String = cells
            .iter()
            .map(|record| {
                let mut flat = Map::new();
                let columns: Vec<_> = ["code", "displayname", "phonenumber", "wivrscript"]
                    .iter()
                    .take(record.len())
                    .map(|path| FieldPath::lookup(path).unwrap())
                    .collect();
                for (column, cell) in columns.iter().zip(record) {
                    flat.insert(column.as_str().to_owned(), Value::String(cell.clone()));
                }
                csv::row(&columns, &flat)
            })
            .collect();
        prop_assert_eq!(csv::parse(&text), cells);
    }

    /// A duration shown with units ("1 h 30 min") reads back as the same seconds, as does the
    /// bare number; typed text never panics, and what it reads fits the platform's counts.
    #[test]
    fn durations_read_back_as_shown(seconds in 0..=u64::from(u32::MAX), typed in "[0-9a-zA-Z .]{0,16}") {
        prop_assert_eq!(duration::parse_seconds(&duration::format_seconds(seconds)), Some(seconds));
        prop_assert_eq!(duration::parse_seconds(&seconds.to_string()), Some(seconds));
        if let Some(read) = duration::parse_seconds(&typed) {
            prop_assert!(read <= u64::from(u32::MAX));
        }
    }

    /// The diff of a and b, applied to a, gives b (merge patches cannot say "set to null", so b
    /// has none); applying it again changes nothing more.
    #[test]
    fn a_diff_applied_gives_the_target_and_twice_changes_nothing(a in object(true), b in object(false)) {
        let patch = merge_diff(&a, &b);
        let mut patched = a.clone();
        merge_patch(&mut patched, &patch);
        prop_assert_eq!(&patched, &b);
        merge_patch(&mut patched, &patch);
        prop_assert_eq!(&patched, &b);
    }

    /// Nothing changed, nothing to send.
    #[test]
    fn a_value_diffed_with_itself_is_an_empty_patch(a in object(true)) {
        prop_assert_eq!(merge_diff(&a, &a), Value::Object(Map::new()));
    }

    /// Any patch is idempotent.
    #[test]
    fn any_patch_applied_twice_is_applied_once(a in json(true), patch in json(true)) {
        let mut once = a.clone();
        merge_patch(&mut once, &patch);
        let mut twice = once.clone();
        merge_patch(&mut twice, &patch);
        prop_assert_eq!(once, twice);
    }

    /// The flat form of a hunt turns back into the hunt.
    #[test]
    fn a_hunt_survives_the_flat_form(hunt in hunt()) {
        let json = hunt.to_json();
        let Value::Object(flat) = flatten(&json) else { panic!("a hunt flattens to an object") };
        prop_assert!(flat.values().all(|value| !value.is_object()));
        prop_assert_eq!(unflatten(&flat), json);
    }

    /// A mask keeps only its fields, writes back as it was read, and what it keeps survives
    /// the flat form too.
    #[test]
    fn masks_round_trip_and_keep_only_their_fields(
        hunt in hunt(),
        chosen in prop::collection::vec(0..FIELDS.len(), 1..6),
    ) {
        let paths: Vec<&str> = chosen.iter().map(|index| FIELDS[*index].path).collect();
        let mask: Mask = paths.join(",").parse().unwrap();
        prop_assert_eq!(mask.to_string().parse::<Mask>().unwrap(), mask.clone());
        let shown = mask.apply(&hunt.to_json());
        let Value::Object(flat) = flatten(&shown) else { panic!("masked hunts are objects") };
        for key in flat.keys() {
            prop_assert!(
                paths.iter().any(|path| key == path || key.starts_with(&format!("{path}."))),
                "{} is not in the mask {:?}", key, paths
            );
        }
        prop_assert_eq!(unflatten(&flat), shown);
    }

    /// A hunt exported (CSV of every column, or JSON) and imported again: against itself nothing
    /// changes; into a server without it, it is created as it was, id included.
    #[test]
    fn an_exported_hunt_imports_as_itself(hunt in hunt(), as_json in any::<bool>()) {
        let columns: Vec<FieldPath> = FIELDS
            .iter()
            .filter(|field| !matches!(field.kind, Kind::Group | Kind::ResourceId))
            .filter_map(|field| FieldPath::lookup(field.path))
            .collect();
        let json = hunt.to_json();
        let (name, text) = if as_json {
            ("hunts.json", Value::Array(vec![json.clone()]).to_string())
        } else {
            let Value::Object(flat) = flatten(&json) else { panic!("a hunt flattens to an object") };
            ("hunts.csv", csv::header(&columns) + &csv::row(&columns, &flat))
        };
        let records = import::read(name, &text).unwrap();
        let itself = std::collections::HashMap::from([(hunt.code.clone(), hunt.clone())]);
        prop_assert_eq!(import::plan(&records, &itself, &[]), vec![import::Plan::Unchanged]);
        match &import::plan(&records, &Default::default(), &[])[..] {
            [import::Plan::Create { hunt: created, .. }] => prop_assert_eq!(created.to_json(), json),
            other => prop_assert!(false, "not a create: {:?}", other),
        }
    }

    /// A hunt the model wrote is one the model reads back, unchanged.
    #[test]
    fn a_hunt_reads_back_as_written(hunt in hunt()) {
        let json = hunt.to_json();
        prop_assert_eq!(validate_input(&json), vec![]);
        let read = Hunt::from_input(&json).unwrap();
        prop_assert_eq!(read.to_json(), json);
    }

    /// Whatever a query parameter holds, parsing it answers; what parses writes back the same.
    #[test]
    fn list_parameters_never_panic(text in ".{0,40}", key in prop_oneof![
        Just("mask"), Just("filter"), Just("order"), Just("offset"), Just("limit"), Just("flat"), Just("zzz"),
    ]) {
        let _ = text.parse::<Mask>();
        let _ = text.parse::<Order>();
        let _ = text.parse::<Filter>();
        if let Ok(query) = ListQuery::from_pairs([(key, text.as_str())]) {
            let written = query.to_query_string();
            let again = ListQuery::from_pairs(
                written.split('&').filter(|pair| !pair.is_empty()).map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap();
                    (key.to_owned(), decode(value))
                }),
            );
            prop_assert_eq!(again.ok(), Some(query));
        }
    }

    /// Filters and orders written as JSON of any shape: an error or a value, never a panic.
    #[test]
    fn filters_and_orders_of_any_json_never_panic(value in json(true)) {
        let text = value.to_string();
        let _ = text.parse::<Filter>();
        let _ = text.parse::<Order>();
    }

    /// Any bytes as a body: strict parsing answers; what it accepts is what serde_json reads.
    #[test]
    fn body_parsing_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(value) = parse_strict_json(&bytes) {
            prop_assert_eq!(Some(value), serde_json::from_slice::<Value>(&bytes).ok());
        }
    }

    /// Any JSON as a hunt or a patch: refused with errors or accepted, never a panic; what is
    /// accepted passes the same checks the app runs before sending.
    #[test]
    fn validation_never_panics(value in json(true), base in hunt()) {
        let errors = validate_input(&value);
        match Hunt::from_input(&value) {
            Ok(_) => prop_assert_eq!(errors, vec![]),
            Err(_) => prop_assert!(!errors.is_empty()),
        }
        let _ = base.patched(&value);
    }

    /// Every count refuses what is not a whole number of 0 or more that fits 32 bits.
    #[test]
    fn counts_refuse_what_does_not_fit(number in any::<i64>()) {
        let counts = FIELDS
            .iter()
            .filter(|field| field.kind == Kind::Count && !field.path.contains('.'));
        for field in counts {
            let mut json = Hunt { code: "c".to_owned(), ..Hunt::default() }.to_json();
            json[field.path] = Value::from(number);
            let fits = (0..=i64::from(u32::MAX)).contains(&number);
            prop_assert_eq!(validate_input(&json).is_empty(), fits, "{} = {}", field.path, number);
        }
    }
}
