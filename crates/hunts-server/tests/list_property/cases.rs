//! The indexed list against a naive one: over random hunts and random filters, orders, offsets
//! and limits, the store returns exactly the hunts, in exactly the order, and the count that a
//! plain in-memory evaluation of the contract's rules gives. Run on SQLite
//! (`tests/list_property.rs`) and on PostgreSQL (`tests/list_property_postgres.rs`): the root
//! says which store in `open_store`.

use std::cmp::Ordering;

use hunts_model::{
    Direction, FieldPath, Filter, Hunt, HuntBlock, ListQuery, Order, Resource,
    Strategy as RingStrategy,
};
use hunts_server::store::Precondition;
use hunts_server::store::Store;
use proptest::prelude::*;
use serde_json::Value;

/// Few distinct values, mixed case among them, so filters match and sorts have ties to break.
const TEXTS: &[&str] = &["sipuser", "queue", "Queue", "b", "B", "", "zeta", "Alpha"];
const FILTERABLE: &[&str] = &[
    "code",
    "phonenumber",
    "priority",
    "type",
    "objmode",
    "resmode",
    "weight",
    "displayname",
    "huntblock.enabled",
    "strategy.mode",
    "opts.title",
    "resources.id",
];
const ORDERABLE: &[&str] = &[
    "code",
    "phonenumber",
    "priority",
    "weight",
    "displayname",
    "type",
    "objmode",
    "resmode",
    "huntblock.enabled",
    "ext.ct",
    "ext.lwt",
    "opts.title",
];

fn hunt_strategy() -> impl Strategy<Value = Hunt> {
    (
        (0..8usize, 0..4u32, 0..8usize, 0..8usize, 0..8usize),
        (0..3u32, 0..8usize, any::<bool>(), any::<bool>(), 0..8usize),
        proptest::collection::btree_set(0..6u32, 0..4),
        0..3usize,
    )
        .prop_map(
            |(
                (code, priority, kind, objmode, resmode),
                (weight, display, blocked, timers, title),
                resources,
                phone,
            )| Hunt {
                // Unique codes that still tie case-blind and sort in interesting ways.
                code: format!("{}{code}", TEXTS[code]),
                phonenumber: ["", "100", "200"][phone].to_owned(),
                priority,
                kind: TEXTS[kind].to_owned(),
                objmode: TEXTS[objmode].to_owned(),
                resmode: TEXTS[resmode].to_owned(),
                weight,
                displayname: TEXTS[display].to_owned(),
                huntblock: HuntBlock {
                    enabled: blocked,
                    ..HuntBlock::default()
                },
                strategy: if timers {
                    RingStrategy::Timers { seconds: vec![5] }
                } else {
                    RingStrategy::Simple
                },
                opts: hunts_model::Opts {
                    title: TEXTS[title].to_owned(),
                    ..hunts_model::Opts::default()
                },
                resources: resources
                    .into_iter()
                    .map(|id| Resource {
                        id: format!("res-{id}"),
                        priority: 10,
                    })
                    .collect(),
                ..Hunt::default()
            },
        )
}

fn value_for(path: &str, pick: usize) -> Value {
    match path {
        "priority" => Value::from(pick as u64 % 4),
        "weight" => Value::from(pick as u64 % 3),
        "huntblock.enabled" => Value::Bool(pick.is_multiple_of(2)),
        "strategy.mode" => Value::from(["simple", "timers"][pick % 2]),
        "resources.id" => Value::from(format!("res-{}", pick % 7)),
        "phonenumber" => Value::from(["", "100", "200", "300"][pick % 4]),
        "code" => Value::from(format!("{}{}", TEXTS[pick % 8], pick % 8)),
        _ => Value::from(TEXTS[pick % TEXTS.len()]),
    }
}

fn query_strategy() -> impl Strategy<Value = ListQuery> {
    (
        proptest::collection::vec(
            (
                0..FILTERABLE.len(),
                proptest::collection::vec(0..16usize, 1..3),
            ),
            0..3,
        ),
        proptest::collection::vec((0..ORDERABLE.len(), any::<bool>()), 0..3),
        0..30u64,
        proptest::option::of(0..30u64),
    )
        .prop_map(|(filters, keys, offset, limit)| {
            let mut filter = Filter::default();
            for (field, picks) in filters {
                let path = FieldPath::parse_filter_param(FILTERABLE[field]).unwrap();
                let values = picks
                    .iter()
                    .map(|pick| value_for(FILTERABLE[field], *pick))
                    .collect();
                filter = filter.with(path, values).unwrap();
            }
            let order = Order::new(
                keys.into_iter()
                    .map(|(field, descending)| {
                        let path = FieldPath::lookup(ORDERABLE[field]).unwrap();
                        (
                            path,
                            if descending {
                                Direction::Desc
                            } else {
                                Direction::Asc
                            },
                        )
                    })
                    .collect(),
            );
            ListQuery {
                filter,
                order,
                offset,
                limit,
                ..ListQuery::default()
            }
        })
}

fn at<'a>(hunt: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(hunt, |value, segment| &value[segment])
}

fn matches(hunt: &Value, filter: &Filter) -> bool {
    filter.conditions().iter().all(|(path, allowed)| {
        if *path == FieldPath::RESOURCE_ID {
            hunt["resources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|resource| allowed.contains(&resource["id"]))
        } else {
            allowed.contains(at(hunt, path.as_str()))
        }
    })
}

/// The contract's order: each key in turn (text ignoring ASCII case), then creation order.
fn compare(a: &(usize, Value), b: &(usize, Value), order: &Order) -> Ordering {
    for (path, direction) in order.keys() {
        let (x, y) = (at(&a.1, path.as_str()), at(&b.1, path.as_str()));
        let ordering = match (x, y) {
            (Value::String(x), Value::String(y)) if path.kind() == hunts_model::Kind::Text => {
                x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())
            }
            (Value::String(x), Value::String(y)) => x.cmp(y),
            (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
            (x, y) => x.as_u64().cmp(&y.as_u64()),
        };
        let ordering = match direction {
            Direction::Asc => ordering,
            Direction::Desc => ordering.reverse(),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    a.0.cmp(&b.0)
}

/// Changes every third hunt (priority, type, block, resources) and deletes every fifth.
async fn change_some(store: &Store, stored: &mut Vec<(usize, Value)>) {
    for (index, (_, hunt)) in stored.iter_mut().enumerate() {
        if index % 3 != 0 {
            continue;
        }
        let id = hunt["id"].as_str().unwrap().to_owned();
        let updated = store
            .update(id, Precondition::any(), move |hunt| {
                Ok(Hunt {
                    priority: (hunt.priority + 1) % 4,
                    kind: "queue".to_owned(),
                    huntblock: HuntBlock {
                        enabled: !hunt.huntblock.enabled,
                        ..hunt.huntblock.clone()
                    },
                    resources: vec![Resource {
                        id: "res-1".to_owned(),
                        priority: 5,
                    }],
                    ..hunt.clone()
                })
            })
            .await
            .unwrap();
        *hunt = updated.hunt.to_json();
    }
    let mut kept = Vec::new();
    for (index, (seq, hunt)) in stored.drain(..).enumerate() {
        if index % 5 == 1 {
            let id = hunt["id"].as_str().unwrap().to_owned();
            store.delete(id, Precondition::any()).await.unwrap();
        } else {
            kept.push((seq, hunt));
        }
    }
    *stored = kept;
}

async fn listed(store: &Store, query: ListQuery) -> (u64, Vec<String>) {
    let (total, hunts) = store.list_hunts(query).await.unwrap();
    (total, hunts.into_iter().map(|hunt| hunt.id).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_indexed_list_is_the_naive_list(
        hunts in proptest::collection::vec(hunt_strategy(), 0..30),
        queries in proptest::collection::vec(query_strategy(), 1..8),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let store = super::open_store().await;
            let mut stored: Vec<(usize, Value)> = Vec::new();
            for hunt in hunts {
                // Codes and phone numbers may repeat in the random set; the store refuses those.
                if let Ok(created) = store.create(hunt).await {
                    stored.push((stored.len(), created.hunt.to_json()));
                }
            }
            // Every query twice: on the hunts as created, then after changes and deletes, so a
            // count remembered from the first pass must have followed the writes.
            for pass in 0..2 {
                if pass == 1 {
                    change_some(&store, &mut stored).await;
                }
                for query in &queries {
                    let mut expected: Vec<&(usize, Value)> =
                        stored.iter().filter(|(_, hunt)| matches(hunt, &query.filter)).collect();
                    expected.sort_by(|a, b| compare(a, b, &query.order));
                    let total = expected.len() as u64;
                    let page: Vec<String> = expected
                        .into_iter()
                        .skip(query.offset as usize)
                        .take(query.limit.map_or(usize::MAX, |limit| limit as usize))
                        .map(|(_, hunt)| hunt["id"].as_str().unwrap().to_owned())
                        .collect();
                    let described = format!("pass {pass}: {}", query.to_query_string());
                    let (got_total, got) = listed(&store, query.clone()).await;
                    prop_assert_eq!(got_total, total, "{}", described);
                    prop_assert_eq!(got, page, "{}", described);
                }
            }
            Ok(())
        })?;
    }

    /// LOOKUP, which the OpenAPI document cannot describe: over random hunts, before and after
    /// changes, the ids found for a key are those whose id, code or phone number is the key,
    /// oldest first.
    #[test]
    fn lookup_finds_exactly_the_hunts_a_key_names(
        hunts in proptest::collection::vec(hunt_strategy(), 0..20),
        picks in proptest::collection::vec((0..3usize, 0..20usize), 1..6),
        strangers in proptest::collection::vec("[A-Za-z0-9]{0,4}", 0..4),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let store = super::open_store().await;
            let mut stored: Vec<(usize, Value)> = Vec::new();
            for hunt in hunts {
                if let Ok(created) = store.create(hunt).await {
                    stored.push((stored.len(), created.hunt.to_json()));
                }
            }
            for pass in 0..2 {
                if pass == 1 {
                    change_some(&store, &mut stored).await;
                }
                // Keys that name a hunt by each of its three fields, and keys that may name none.
                let mut keys: Vec<String> = strangers.clone();
                for (field, index) in &picks {
                    if let Some((_, hunt)) = stored.get(index % stored.len().max(1)) {
                        let field = ["id", "code", "phonenumber"][*field];
                        keys.push(hunt[field].as_str().unwrap().to_owned());
                    }
                }
                for key in keys {
                    let expected: Vec<String> = stored
                        .iter()
                        // An empty key names nothing (an empty phone number is no number).
                        .filter(|(_, hunt)| {
                            !key.is_empty()
                                && ["id", "code", "phonenumber"].iter().any(|field| hunt[*field] == key.as_str())
                        })
                        .map(|(_, hunt)| hunt["id"].as_str().unwrap().to_owned())
                        .collect();
                    let found = store.lookup(key.clone()).await.unwrap();
                    prop_assert_eq!(found, expected, "pass {}: LOOKUP {:?}", pass, key);
                }
            }
            Ok(())
        })?;
    }
}
