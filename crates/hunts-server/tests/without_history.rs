//! `--without-history` (only to measure what history costs): a change records no revision (it
//! rewrites the one that holds the hunt) and both history paths answer 404, as a platform
//! without the extension; everything else as always.

use test_support::temp_folder;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use hunts_model::history::{HISTORY_PATH, HistoryQuery};
use hunts_model::{HUNTS_PATH, Hunt};
use hunts_server::store::{Precondition, Store};
use temp_folder::TempFolder;
use tower::ServiceExt;

async fn status_of(store: &Store, path: &str) -> StatusCode {
    let request = Request::get(path)
        .header("host", "127.0.0.1")
        .body(Body::empty())
        .unwrap();
    let app = hunts_server::app(store.clone(), std::path::Path::new("no-dist"));
    app.oneshot(request).await.unwrap().status()
}

#[tokio::test]
async fn without_history_writes_record_nothing_and_the_history_paths_are_404() {
    let folder = TempFolder::new("without-history");
    let path = folder.path().join("hunts.db");
    let store = Store::open_without_history(&path).unwrap();
    assert!(!store.keeps_history());
    let id = store
        .create(Hunt {
            code: "w1".to_owned(),
            ..Hunt::default()
        })
        .await
        .unwrap()
        .hunt
        .id;
    store
        .update(id.clone(), Precondition::any(), |hunt| {
            Ok(Hunt {
                weight: 7,
                ..hunt.clone()
            })
        })
        .await
        .unwrap();
    assert_eq!(
        status_of(&store, &format!("{HUNTS_PATH}/{id}")).await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(&store, &format!("{HUNTS_PATH}/{id}/history")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(status_of(&store, HISTORY_PATH).await, StatusCode::NOT_FOUND);
    drop(store);

    // Opened again as always: the writes made without history left only the revision that
    // holds the hunt (its create's, rewritten in place by the change).
    let store = Store::open(&path).unwrap();
    assert!(store.keeps_history());
    let page = store.history(HistoryQuery::default()).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.revisions[0].hunt["weight"], 7);
    assert_eq!(store.get(id).await.unwrap().hunt.weight, 7);
}
