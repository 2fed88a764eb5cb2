//! Live changes' fast path on PostgreSQL: a connection of its own `LISTEN`s on
//! `hunt_revisions`, which every committed revision announces with its `seq` (migration 7), and
//! nudges the follower at once, whichever instance wrote. The history table stays the proof:
//! the follower reads what is new from it, and still looks every 50 ms, so a notification
//! lost with a dropped connection only costs that wait. A dropped connection is made again
//! after a second, and the follower nudged once it listens, to catch up on what it missed.

use std::future::poll_fn;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_postgres::{AsyncMessage, NoTls};

const CHANNEL: &str = "hunt_revisions";

/// A nudge per revision announced, from a listening task that ends (with its connection) when
/// this is dropped: a follower that stops leaves no connection behind.
pub struct Nudges {
    nudge: Arc<Notify>,
    listening: tokio::task::AbortHandle,
}

impl Nudges {
    /// Once a revision is announced (at once if one was since the last call).
    pub async fn next(&self) {
        self.nudge.notified().await;
    }
}

impl Drop for Nudges {
    fn drop(&mut self) {
        self.listening.abort();
    }
}

/// Starts listening.
pub fn listen(url: String) -> Nudges {
    let nudge = Arc::new(Notify::new());
    let nudged = Arc::clone(&nudge);
    let listening = tokio::spawn(async move {
        loop {
            if let Err(error) = listen_once(&url, &nudged).await {
                tracing::warn!(%error, "live changes: not listening to the database; polling");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
    .abort_handle();
    Nudges { nudge, listening }
}

/// One connection's life: `LISTEN`, then a nudge per notification until it ends.
async fn listen_once(url: &str, nudge: &Notify) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, NoTls).await?;
    let command = format!("LISTEN {CHANNEL}");
    let mut listening = std::pin::pin!(client.batch_execute(&command));
    let mut listens = false;
    loop {
        tokio::select! {
            done = &mut listening, if !listens => {
                done?;
                listens = true;
                // Whatever committed while this connection was being made.
                nudge.notify_one();
            }
            message = poll_fn(|cx| connection.poll_message(cx)) => match message {
                Some(Ok(AsyncMessage::Notification(_))) => nudge.notify_one(),
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(error),
                None => return Ok(()),
            },
        }
    }
}
