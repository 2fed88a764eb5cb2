//! `hunts-server backup PATH`: a consistent copy of a running SQLite database, made while
//! writes go on, that opens as a store with every hunt and each hunt's revisions as of one
//! moment (no hunt without its revisions, no revision ahead of its hunt).

use test_support::temp_folder;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hunts_model::history::HistoryQuery;
use hunts_model::{Hunt, ListQuery};
use hunts_server::store::{Precondition, Store};
use temp_folder::TempFolder;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_is_consistent_and_opens_as_a_store() {
    let folder = TempFolder::new("backup");
    let store = Store::open(&folder.path().join("hunts.db")).unwrap();
    let mut ids = Vec::new();
    for n in 0..50 {
        let hunt = Hunt {
            code: format!("b{n}"),
            ..Hunt::default()
        };
        ids.push(store.create(hunt).await.unwrap().hunt.id);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (store, stop, ids) = (store.clone(), stop.clone(), ids.clone());
        tokio::spawn(async move {
            let mut writes = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let id = ids[writes as usize % ids.len()].clone();
                store
                    .update(id, Precondition::any(), |hunt| {
                        Ok(Hunt {
                            weight: hunt.weight + 1,
                            ..hunt.clone()
                        })
                    })
                    .await
                    .unwrap();
                writes += 1;
            }
            writes
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let copy = folder.path().join("copy.db");
    store.backup(copy.clone()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    let writes = writer.await.unwrap();
    assert!(writes > 20, "the writes went on: {writes}");
    assert!(
        store.backup(copy.clone()).await.is_err(),
        "an existing file is not overwritten"
    );

    let restored = Store::open(&copy).unwrap();
    let (total, hunts) = restored.list_hunts(ListQuery::default()).await.unwrap();
    assert_eq!(total, 50);
    let history = restored
        .history(HistoryQuery {
            limit: Some(1000),
            ..HistoryQuery::default()
        })
        .await
        .unwrap();
    let mut newest = HashMap::new();
    for revision in &history.revisions {
        newest.entry(revision.id.clone()).or_insert(revision);
    }
    for hunt in &hunts {
        let revision = newest[&hunt.id];
        assert_eq!(revision.hunt, hunt.to_json(), "{}", hunt.code);
        // Created at weight 1, then one revision for each weight more.
        assert_eq!(i64::from(hunt.weight), revision.revision, "{}", hunt.code);
    }
    let live: u32 = store
        .list_hunts(ListQuery::default())
        .await
        .unwrap()
        .1
        .iter()
        .map(|hunt| hunt.weight)
        .sum();
    let copied: u32 = hunts.iter().map(|hunt| hunt.weight).sum();
    assert!(
        copied < live,
        "a copy of one moment, before the last writes: {copied} < {live}"
    );
}
