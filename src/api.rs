//! The hunts REST API, typed: one function per operation of the contract.
//!
//! Only the contract is assumed: `X-Total-Count` and `ETag` are used when the server sends them
//! and not needed otherwise, and hunts are read leniently so fields this app does not know are
//! never a failure (edits send only the changed fields, so they are never lost either).

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{LocalBoxFuture, Shared};
use futures::{FutureExt, StreamExt};

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use hunts_model::{
    ErrorBody, HUNTS_PATH, Hunt, LOOKUP_METHOD, ListQuery, REQUESTED_WITH_HEADER,
    REQUESTED_WITH_VALUE, SESSION_PATH, SessionInfo, SignIn, TOTAL_COUNT_HEADER,
};
use serde_json::{Map, Value};
use web_sys::RequestCredentials;

/// Why a call failed: the server's own error (with the contract's code, message and field), or
/// no usable answer at all.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    Server {
        status: u16,
        message: String,
        field: Option<String>,
    },
    #[error("The server could not be reached: {0}")]
    Network(String),
    #[error("The server sent an answer this app cannot read: {0}")]
    Unreadable(String),
}

impl ApiError {
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Server { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// One page of the list: rows in the flat form, and the total when the server says it.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPage {
    pub rows: Vec<Map<String, Value>>,
    pub total: Option<u64>,
}

/// A hunt as read, with its ETag when the server sends one.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    pub hunt: Hunt,
    pub etag: Option<String>,
}

/// A `<meta name="…" content="…">` of the page, if it has one.
pub fn page_meta(name: &str) -> Option<String> {
    leptos::prelude::document()
        .query_selector(&format!("meta[name='{name}']"))
        .ok()
        .flatten()
        .and_then(|element| element.get_attribute("content"))
}

/// Where the API lives: the page's own origin, unless `<meta name="hunts-api-base" content="…">`
/// points elsewhere.
fn origin() -> String {
    page_meta("hunts-api-base")
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_owned()
}

fn base() -> String {
    BASE.with(Clone::clone)
}

thread_local! {
    // Read from the page once: it does not change, and a list request (the hot path) needs it.
    static BASE: String = format!("{}{HUNTS_PATH}", origin());
    static ON_UNAUTHORIZED: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Called whenever a hunts request is answered 401: the app then asks the user to sign in.
pub fn on_unauthorized(call: impl Fn() + 'static) {
    ON_UNAUTHORIZED.with(|slot| *slot.borrow_mut() = Some(Box::new(call)));
}

/// Every request carries the browser's credentials (so a platform's own sign-in cookie rides
/// along, too) and says it comes from this app (the contract's rule against forged forms);
/// one made as part of a change set names it (see `as_part_of`), unless the server is known
/// to keep no history (a header it does not know might not pass its CORS rules).
fn prepared(builder: RequestBuilder) -> RequestBuilder {
    let builder = builder
        .credentials(RequestCredentials::Include)
        .header(REQUESTED_WITH_HEADER, REQUESTED_WITH_VALUE);
    match CHANGE_SET.with(|set| set.borrow().clone()) {
        Some(set) if !Extension::History.missing() => {
            builder.header(hunts_model::history::CHANGE_SET_HEADER, &set)
        }
        _ => builder,
    }
}

thread_local! {
    /// The change set of the work being polled, if any.
    static CHANGE_SET: RefCell<Option<Rc<str>>> = const { RefCell::new(None) };
}

/// A new change set's name (`X-Change-Set`): what it is (`bulk`, `import`, `undo`), when it
/// began and a few random characters, so that two admins' runs of the same second differ.
pub fn new_change_set(kind: &str) -> Rc<str> {
    let now = js_sys::Date::new_0().to_iso_string();
    let salt = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{kind} {now} {salt:08x}").into()
}

/// `work`, each request of which says it belongs to `change_set`: every revision a bulk run,
/// an import or an undo makes reads back as one change. The name is set only while `work` is
/// polled, so work running beside it (another run, a form's Save) is not part of it.
pub fn as_part_of<F: Future>(change_set: Rc<str>, work: F) -> impl Future<Output = F::Output> {
    let mut work = Box::pin(work);
    std::future::poll_fn(move |context| {
        let previous = CHANGE_SET.with(|set| set.replace(Some(change_set.clone())));
        let polled = work.as_mut().poll(context);
        CHANGE_SET.with(|set| *set.borrow_mut() = previous);
        polled
    })
}

fn item_url(id: &str) -> String {
    format!("{}/{}", base(), hunts_model::encode_component(id))
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let error = match exchange(request).await {
        Ok(response) => return Ok(response),
        Err(error) => error,
    };
    if error.status() == Some(401) {
        ON_UNAUTHORIZED.with(|slot| {
            if let Some(call) = slot.borrow().as_ref() {
                call();
            }
        });
    }
    Err(error)
}

/// One request and its answer; any answer but a success is an `ApiError`.
async fn exchange(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(unreadable)?;
    let response = request
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    // A proxy or a platform page may answer with something else than the contract's body.
    let (message, field) = match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => (body.error_message, body.field),
        Err(_) => (
            format!("The server answered {status} {}", response.status_text()),
            None,
        ),
    };
    Err(ApiError::Server {
        status,
        message,
        field,
    })
}

/// The body read as JSON, then as `T`. Going through `Value` means each `T` has one reading
/// (from a `Value`, which the model's own parsing uses too) instead of a second one from text:
/// `Hunt`'s alone is 19 kB of wasm.
async fn read_json<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let value: Value = response.json().await.map_err(unreadable)?;
    serde_json::from_value(value).map_err(unreadable)
}

pub fn unreadable(error: impl std::fmt::Display) -> ApiError {
    ApiError::Unreadable(error.to_string())
}

fn json_request(builder: RequestBuilder, body: &Value) -> Result<Request, gloo_net::Error> {
    builder
        .header("Content-Type", "application/json; charset=utf-8")
        .body(body.to_string())
}

fn with_if_match(builder: RequestBuilder, etag: Option<&str>) -> RequestBuilder {
    match etag {
        Some(etag) => builder.header("If-Match", etag),
        None => builder,
    }
}

/// The answer to a list request sent ahead, for whoever awaits it.
pub type AheadAnswer = Shared<LocalBoxFuture<'static, Result<ListPage, ApiError>>>;

/// A list request sent ahead of the page that will ask for it, and its URL.
type Ahead = (String, AheadAnswer);

thread_local! {
    static AHEAD: RefCell<Option<Ahead>> = const { RefCell::new(None) };
}

/// Sends the list request now, for the `list` call that a change of view will make a moment
/// later: a click on a header starts the request before the URL, the router and the page have
/// followed it (3-7 ms on this machine's Chromium), and that call then awaits this answer. The
/// future returned is ready once the answer is in (read or failed).
pub fn list_ahead(query: &ListQuery) -> AheadAnswer {
    let key = query.to_query_string();
    // Already on its way (asked for as the app started, then again by the page it started on).
    // An answer already in is not reused: it may be from before writes made since (a page
    // left while its change waited leaves one behind).
    let waiting = AHEAD.with(|ahead| {
        ahead
            .borrow()
            .as_ref()
            .filter(|(sent, answer)| *sent == key && answer.peek().is_none())
            .map(|(_, answer)| answer.clone())
    });
    if let Some(answer) = waiting {
        return answer;
    }
    let query = query.clone();
    let answer = async move { list_page(&query).await }
        .boxed_local()
        .shared();
    // Polled once here, so the browser sends it before this click's other work runs; the task
    // polls it to the end.
    let _ = answer.clone().now_or_never();
    // (The browser's own task queue: this may run before the app, and Leptos's executor, start.)
    wasm_bindgen_futures::spawn_local(answer.clone().map(|_| ()));
    AHEAD.with(|ahead| *ahead.borrow_mut() = Some((key, answer.clone())));
    answer
}

/// Drops a list answer sent ahead: the session is over, and its hunts are not to be shown.
pub fn forget_answers() {
    AHEAD.with(|ahead| ahead.borrow_mut().take());
}

/// A page of the list, as the list page draws it: the answer sent ahead for it, if any.
pub async fn list(query: &ListQuery) -> Result<ListPage, ApiError> {
    // Taken by the next list call whatever it asks: an answer sent ahead is only ever the one
    // a view change is about to ask for, never one read before later writes.
    let key = query.to_query_string();
    let ahead = AHEAD
        .with(|ahead| ahead.borrow_mut().take())
        .filter(|(sent, _)| *sent == key);
    match ahead {
        Some((_, answer)) => answer.await,
        None => list_page(query).await,
    }
}

async fn list_page(query: &ListQuery) -> Result<ListPage, ApiError> {
    // The rows taken out of the `Value` read, not read again as maps: the list is the hot path.
    let (values, total) = list_values(query).await?;
    let rows = values
        .into_iter()
        .map(|row| match row {
            Value::Object(row) => Ok(row),
            _ => Err(unreadable("a list row is not an object")),
        })
        .collect::<Result<_, _>>()?;
    Ok(ListPage { rows, total })
}

/// The list request: every list call of the app sends it. Its rows as JSON values, with the
/// total when the server says it.
async fn list_values(query: &ListQuery) -> Result<(Vec<Value>, Option<u64>), ApiError> {
    let url = format!("{}?{}", base(), query.to_query_string());
    let response = send(prepared(Request::get(&url)).build()).await?;
    let total = response
        .headers()
        .get(TOTAL_COUNT_HEADER)
        .and_then(|total| total.parse().ok());
    match response.json().await.map_err(unreadable)? {
        Value::Array(rows) => Ok((rows, total)),
        _ => Err(unreadable("a list answer is not a JSON array")),
    }
}

pub async fn get(id: &str) -> Result<Fetched, ApiError> {
    let response = send(prepared(Request::get(&item_url(id))).build()).await?;
    let etag = response.headers().get("etag");
    Ok(Fetched {
        hunt: read_json(response).await?,
        etag,
    })
}

pub async fn create(hunt: &Value) -> Result<Hunt, ApiError> {
    read_json(send(json_request(prepared(Request::post(&base())), hunt)).await?).await
}

/// Sends a merge patch; with the ETag of the version the user edited, a change made meanwhile by
/// someone else is refused (412) instead of silently overwritten.
pub async fn patch(id: &str, patch: &Value, etag: Option<&str>) -> Result<Fetched, ApiError> {
    let builder = with_if_match(prepared(Request::patch(&item_url(id))), etag);
    let response = send(json_request(builder, patch)).await?;
    let etag = response.headers().get("etag");
    Ok(Fetched {
        hunt: read_json(response).await?,
        etag,
    })
}

/// The ids of every hunt `query`'s filter matches, in its order, across all pages at once.
pub async fn matching_ids(query: &ListQuery) -> Result<Vec<String>, ApiError> {
    let id = hunts_model::FieldPath::lookup("id").expect("id is a field");
    let query = ListQuery {
        mask: hunts_model::Mask::new([id]),
        offset: 0,
        limit: None,
        flat: true,
        ..query.clone()
    };
    let page = list(&query).await?;
    Ok(page
        .rows
        .iter()
        .filter_map(|row| row.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect())
}

pub async fn delete(id: &str, etag: Option<&str>) -> Result<(), ApiError> {
    send(with_if_match(prepared(Request::delete(&item_url(id))), etag).build())
        .await
        .map(|_| ())
}

/// What a write the app guarded itself is refused with: the hunt is no longer as it was read
/// (the 412 a platform with ETags would answer).
fn changed_since_read() -> ApiError {
    ApiError::Server {
        status: 412,
        message: "someone else changed the hunt since it was read".to_owned(),
        field: None,
    }
}

/// Where the platform gives no ETag (so `If-Match` cannot guard a write), the app guards it
/// itself: the hunt is read again just before the write, and unless `still` holds for it, the
/// write is refused as a 412. What remains unguarded is the moment between that read and the
/// write (one round trip). With an ETag, nothing is read: the server guards the write.
async fn guard(
    id: &str,
    etag: Option<&str>,
    still: &dyn Fn(&Hunt) -> bool,
) -> Result<(), ApiError> {
    if etag.is_some() {
        return Ok(());
    }
    match still(&get(id).await?.hunt) {
        true => Ok(()),
        false => Err(changed_since_read()),
    }
}

/// `patch`, guarded where the platform has no ETag (see `guard`). (`still` is a `dyn`: one
/// copy of this future in the bundle, not one per caller.)
pub async fn patch_if(
    id: &str,
    change: &Value,
    etag: Option<&str>,
    still: &dyn Fn(&Hunt) -> bool,
) -> Result<Fetched, ApiError> {
    guard(id, etag, still).await?;
    patch(id, change, etag).await
}

/// `delete`, guarded where the platform has no ETag (see `guard`).
pub async fn delete_if(
    id: &str,
    etag: Option<&str>,
    still: &dyn Fn(&Hunt) -> bool,
) -> Result<(), ApiError> {
    guard(id, etag, still).await?;
    delete(id, etag).await
}

/// A deleted hunt created again, and whether it has its id back.
pub struct Restored {
    pub hunt: Hunt,
    /// The platform took the id (the contract's create-with-id); else the hunt is back under a
    /// new one, and links to the old address lead nowhere.
    pub same_id: bool,
}

/// Creates `hunt` again with its id and created time. A platform that ignores the id gives it
/// a new one (said in `same_id`); one that refuses an id (a 400 about it) gets the hunt without
/// one, so it is never left gone.
pub async fn restore(hunt: &Hunt) -> Result<Restored, ApiError> {
    create_with_its_id(hunt.to_json()).await
}

/// Creates the hunt `body` with the id it carries (a restore, an import with ids): where the
/// platform ignores the id the hunt has another (said in `same_id`); where it refuses one (a
/// 400), the hunt is created without it.
pub async fn create_with_its_id(body: Value) -> Result<Restored, ApiError> {
    let asked = body.get("id").and_then(Value::as_str).map(str::to_owned);
    let created = match create(&body).await {
        Err(ApiError::Server { status: 400, .. }) if asked.is_some() => {
            let mut body = body;
            if let Value::Object(fields) = &mut body {
                fields.remove("id");
                fields.remove("ext");
            }
            create(&body).await?
        }
        other => other?,
    };
    let same_id = asked.is_none_or(|asked| asked == created.id);
    if !same_id {
        Extension::CreateWithId.mark_missing();
    }
    Ok(Restored {
        same_id,
        hunt: created,
    })
}

/// A hunt's newest `limit` revisions and how many it has in all; `None` where the server keeps
/// no history (it answers 404 for a hunt that exists: the extension is missing).
/// The revisions come as JSON values (`hunts_model::history::Revision`'s fields), read where
/// they are shown: a typed copy cost more wasm than the few fields read.
pub async fn hunt_history(id: &str, limit: u64) -> Result<Option<(Vec<Value>, u64)>, ApiError> {
    let query = hunts_model::history::HistoryQuery {
        limit: Some(limit),
        ..Default::default()
    };
    let url = format!(
        "{}/{}?{}",
        item_url(id),
        hunts_model::history::HUNT_HISTORY_SEGMENT,
        query.to_query_string(true)
    );
    read_history(&url).await
}

/// The revisions across all hunts that `query` selects, newest first, and how many in all;
/// `None` where the server keeps no history (404).
pub async fn history(
    query: &hunts_model::history::HistoryQuery,
) -> Result<Option<(Vec<Value>, u64)>, ApiError> {
    let url = format!(
        "{}{}?{}",
        origin(),
        hunts_model::history::HISTORY_PATH,
        query.to_query_string(false)
    );
    read_history(&url).await
}

async fn read_history(url: &str) -> Result<Option<(Vec<Value>, u64)>, ApiError> {
    let response = match send(prepared(Request::get(url)).build()).await {
        Ok(response) => response,
        Err(ApiError::Server { status: 404, .. }) => {
            Extension::History.mark_missing();
            return Ok(None);
        }
        Err(error) => return Err(error),
    };
    let total = response
        .headers()
        .get(TOTAL_COUNT_HEADER)
        .and_then(|total| total.parse().ok())
        .unwrap_or_default();
    Ok(Some((read_json(response).await?, total)))
}

/// The routing check's answer (`hunts_model::routing::Graph::report`'s form) from the server's
/// extension; `None` where the platform has none (404: the app then reads every hunt itself).
pub async fn routing_report() -> Result<Option<Value>, ApiError> {
    if Extension::RoutingCheck.missing() {
        return Ok(None);
    }
    let url = format!("{}{}", origin(), hunts_model::routing::ROUTING_PATH);
    match send(prepared(Request::get(&url)).build()).await {
        Ok(response) => Ok(Some(read_json(response).await?)),
        Err(ApiError::Server { status: 404, .. }) => {
            Extension::RoutingCheck.mark_missing();
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// The live changes stream's address.
pub fn events_url() -> String {
    format!("{}/events", base())
}

/// Whether the server is known to keep no history (it answered 404 for it once): the app then
/// offers no history at all.
pub fn keeps_no_history() -> bool {
    Extension::History.missing()
}

/// Whether a restore brings a hunt back with its id (not known otherwise): said before an Undo
/// that would give it a new one.
pub fn keeps_ids() -> bool {
    !Extension::CreateWithId.missing()
}

/// The ids of the hunts whose id, code or phone number is `key`; none is an empty list, not an error.
pub async fn lookup(key: &str) -> Result<Vec<String>, ApiError> {
    let method =
        Method::from_bytes(LOOKUP_METHOD.as_bytes()).expect("LOOKUP is a valid method token");
    let builder = prepared(RequestBuilder::new(&base()).method(method));
    match send(json_request(builder, &Value::String(key.to_owned()))).await {
        Ok(response) => read_json(response).await,
        Err(ApiError::Server { status: 404, .. }) => Ok(Vec::new()),
        Err(error) => Err(error),
    }
}

/// Where signing in stands on this server.
#[derive(Clone, Debug, PartialEq)]
pub enum Session {
    /// Signed in, as this user.
    SignedIn(SessionInfo),
    /// The server has sign-in and nobody is signed in (or the session has ended).
    SignedOut,
    /// The server has no sign-in of its own: it says nobody needs to sign in (the reference
    /// server with sign-in off, 204), or it has no such resource (404: the platform signs in its
    /// own way, or not at all).
    NotHere,
}

fn session_url() -> String {
    format!("{}{SESSION_PATH}", origin())
}

/// An extension of the contract that the platform turned out not to have (it answered the
/// request that uses it with a 404 or a 400). Remembered for the tab's session, so normal use
/// sends no request the platform refuses (each would be an error in the console); a new tab
/// asks again.
#[derive(Clone, Copy)]
enum Extension {
    /// `/rest/v1/session`: sign-in of this server's own.
    Session,
    /// `resources.id` in a list's filter.
    ResourceFilter,
    /// A list's mask naming any field (the reference lists only some: no `resources`).
    AnyListMask,
    /// A create that keeps the id its body gives (a restore keeps its id).
    CreateWithId,
    /// A hunt's history (and `X-Change-Set` on writes).
    History,
    /// The routing check across all hunts, answered by the server.
    RoutingCheck,
}

impl Extension {
    fn key(self) -> &'static str {
        match self {
            Extension::Session => "hunts-admin.lacks-session",
            Extension::ResourceFilter => "hunts-admin.lacks-resource-filter",
            Extension::AnyListMask => "hunts-admin.lacks-any-list-mask",
            Extension::CreateWithId => "hunts-admin.lacks-create-with-id",
            Extension::History => "hunts-admin.lacks-history",
            Extension::RoutingCheck => "hunts-admin.lacks-routing-check",
        }
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok().flatten()
    }

    fn missing(self) -> bool {
        Extension::storage()
            .is_some_and(|storage| storage.get_item(self.key()).ok().flatten().is_some())
    }

    fn mark_missing(self) {
        if let Some(storage) = Extension::storage() {
            let _ = storage.set_item(self.key(), "1");
        }
    }
}

/// Whether the platform has the `resources.id` filter (not known to lack it).
pub fn finds_resources_by_filter() -> bool {
    !Extension::ResourceFilter.missing()
}

/// Who is signed in. Answered outside `send`: a 401 here is an answer, not a lost session.
pub async fn session() -> Result<Session, ApiError> {
    if Extension::Session.missing() {
        return Ok(Session::NotHere);
    }
    match exchange(prepared(Request::get(&session_url())).build()).await {
        Ok(response) if response.status() == 204 => Ok(Session::NotHere),
        Ok(response) => Ok(Session::SignedIn(read_json(response).await?)),
        Err(ApiError::Server { status: 401, .. }) => Ok(Session::SignedOut),
        Err(ApiError::Server { status: 404, .. }) => {
            Extension::Session.mark_missing();
            Ok(Session::NotHere)
        }
        Err(error) => Err(error),
    }
}

/// Signs in; then who is signed in. A wrong pair is the server's 401, with its words.
pub async fn sign_in(name: &str, password: &str) -> Result<Session, ApiError> {
    let body = serde_json::to_value(SignIn {
        name: name.to_owned(),
        password: password.to_owned(),
    })
    .expect("a sign-in serializes");
    exchange(json_request(prepared(Request::post(&session_url())), &body)).await?;
    session().await
}

pub async fn sign_out() -> Result<(), ApiError> {
    exchange(prepared(Request::delete(&session_url())).build())
        .await
        .map(|_| ())
}

/// How many hunts ring resource `id`, by the `resources.id` filter; `None` where the server
/// has no such filter (a 400) or no hunt rings it.
pub async fn resource_use(id: &str) -> Result<Option<u64>, ApiError> {
    let query = ListQuery {
        mask: hunts_model::Mask::new(hunts_model::FieldPath::lookup("id")),
        filter: resource_filter(id),
        limit: Some(1),
        ..ListQuery::default()
    };
    if Extension::ResourceFilter.missing() {
        return Ok(None);
    }
    match list_values(&query).await {
        Err(ApiError::Server { status: 400, .. }) => {
            Extension::ResourceFilter.mark_missing();
            Ok(None)
        }
        Err(error) => Err(error),
        // Without a total, one row says at least one.
        Ok((rows, total)) => Ok(total.or(Some(rows.len() as u64)).filter(|count| *count > 0)),
    }
}

fn resource_filter(id: &str) -> hunts_model::Filter {
    hunts_model::Filter::default()
        .with(
            hunts_model::FieldPath::RESOURCE_ID,
            vec![Value::String(id.to_owned())],
        )
        .expect("a resource id is text")
}

/// A page of hunts with the fields `query.mask` names, as the list gives them, or, where the
/// platform's list refuses that mask (the reference lists only some fields, not `resources`),
/// as the page's ids listed and each hunt then read whole, a few at a time (slower, the same
/// answer).
pub async fn whole_page(query: &ListQuery) -> Result<(Vec<Value>, Option<u64>), ApiError> {
    if !Extension::AnyListMask.missing() {
        match list_values(query).await {
            Err(ApiError::Server { status: 400, .. }) => Extension::AnyListMask.mark_missing(),
            other => return other,
        }
    }
    let ids_only = ListQuery {
        mask: hunts_model::Mask::new(hunts_model::FieldPath::lookup("id")),
        flat: false,
        ..query.clone()
    };
    let (rows, total) = list_values(&ids_only).await?;
    let ids: Vec<String> = rows
        .iter()
        .filter_map(|row| row.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let hunts: Vec<Result<Fetched, ApiError>> = futures::stream::iter(ids)
        .map(|id| async move { get(&id).await })
        .buffered(4)
        .collect()
        .await;
    let whole = hunts
        .into_iter()
        .map(|fetched| {
            let json = fetched?.hunt.to_json();
            let shaped = match &query.mask {
                Some(mask) => mask.apply(&json),
                None => json,
            };
            Ok(match query.flat {
                true => hunts_model::flatten(&shaped),
                false => shaped,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok((whole, total))
}

/// The hunts that ring resource `id`, oldest first: through the `resources.id` filter (our
/// extension), or, where the platform answers that filter with a 400, by reading every hunt's
/// resources a page at a time itself; `read` counts the hunts read so far for a progress bar.
pub async fn hunts_with_resource(
    id: &str,
    read: impl Fn(usize, Option<u64>),
) -> Result<Vec<Hunt>, ApiError> {
    let paths = |names: &[&str]| {
        hunts_model::Mask::new(
            names
                .iter()
                .filter_map(|name| hunts_model::FieldPath::lookup(name)),
        )
    };
    let whole = paths(&["id", "code", "resources"]);
    let filtered = ListQuery {
        mask: whole.clone(),
        filter: resource_filter(id),
        ..ListQuery::default()
    };
    if !Extension::ResourceFilter.missing() {
        match list_values(&filtered).await {
            Err(ApiError::Server { status: 400, .. }) => Extension::ResourceFilter.mark_missing(),
            other => return hunts_of(other?.0),
        }
    }
    const PAGE: u64 = 500;
    let mut found = Vec::new();
    let mut offset = 0;
    loop {
        let query = ListQuery {
            mask: whole.clone(),
            offset,
            limit: Some(PAGE),
            ..ListQuery::default()
        };
        let (page, total) = whole_page(&query).await?;
        let page = hunts_of(page)?;
        let count = page.len() as u64;
        found.extend(
            page.into_iter()
                .filter(|hunt| hunt.resources.iter().any(|resource| resource.id == id)),
        );
        offset += count;
        read(offset as usize, total);
        if count < PAGE {
            return Ok(found);
        }
    }
}

/// List rows read as hunts (a field their mask left out reads as its default).
pub fn hunts_of(rows: Vec<Value>) -> Result<Vec<Hunt>, ApiError> {
    rows.into_iter()
        .map(|row| serde_json::from_value(row).map_err(unreadable))
        .collect()
}
