//! A bounded pool of connections to the database: at most `pool_size`, each made when first
//! needed and kept; a request that finds none free in time is a 503 (`StoreError::Busy`).

use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::{Client, NoTls};

use super::PgOptions;
use crate::store::StoreError;

/// A bounded pool: at most `pool_size` connections, each made when first needed and kept.
pub struct Pool {
    pub url: String,
    pub options: PgOptions,
    pub permits: Arc<Semaphore>,
    pub idle: Mutex<Vec<Client>>,
}

pub struct Lease {
    client: Option<Client>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl std::ops::Deref for Lease {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("held until dropped")
    }
}

impl std::ops::DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("held until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(client) = self.client.take()
            && !client.is_closed()
        {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(client);
        }
    }
}

pub async fn connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::warn!(%error, "a database connection ended");
        }
    });
    Ok(client)
}

impl Pool {
    pub async fn lease(self: &Arc<Pool>) -> Result<Lease, StoreError> {
        let permit = tokio::time::timeout(
            self.options.acquire_timeout,
            self.permits.clone().acquire_owned(),
        )
        .await
        .map_err(|_| StoreError::Busy)?
        .expect("the semaphore is never closed");
        // A connection the database ended while it was idle (a restart, a terminated backend)
        // is dropped here, not handed out to fail its first query.
        let idle = {
            let mut idle = self
                .idle
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            std::iter::from_fn(|| idle.pop()).find(|client| !client.is_closed())
        };
        let client = match idle {
            Some(client) => client,
            None => connect(&self.url).await?,
        };
        Ok(Lease {
            client: Some(client),
            pool: self.clone(),
            _permit: permit,
        })
    }
}
