//! The reader connections: a fixed set handed out one task at a time. SQLite calls block, so a
//! checked-out connection is used on tokio's blocking pool; waiting for one is async.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::StoreError;

pub struct Pool {
    idle: Mutex<Vec<Connection>>,
    available: Arc<Semaphore>,
}

impl Pool {
    pub fn new(connections: Vec<Connection>) -> Arc<Pool> {
        Arc::new(Pool {
            available: Arc::new(Semaphore::new(connections.len())),
            idle: Mutex::new(connections),
        })
    }

    /// Waits for an idle connection; it returns to the pool when the checkout is dropped.
    pub async fn checkout(self: &Arc<Pool>) -> Result<Checkout, StoreError> {
        let permit = self
            .available
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Database("the connection pool is closed".to_owned()))?;
        let connection = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .expect("a permit means an idle connection");
        Ok(Checkout {
            connection: Some(connection),
            pool: self.clone(),
            _permit: permit,
        })
    }

    /// Runs `work` on a connection on the blocking pool.
    pub async fn run<T: Send + 'static>(
        self: &Arc<Pool>,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let mut checkout = self.checkout().await?;
        tokio::task::spawn_blocking(move || work(&mut checkout))
            .await
            .map_err(|error| StoreError::Database(error.to_string()))?
    }
}

/// A connection out of the pool. The permit is released after the connection is back.
pub struct Checkout {
    connection: Option<Connection>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl Deref for Checkout {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.connection.as_ref().expect("held until dropped")
    }
}

impl DerefMut for Checkout {
    fn deref_mut(&mut self) -> &mut Connection {
        self.connection.as_mut().expect("held until dropped")
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(connection);
        }
    }
}
