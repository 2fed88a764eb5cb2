//! Signed-in sessions in the database, so every instance behind the same address knows every
//! session: the digest of a session's id to its user, ended by sign-out, by an idle timeout and
//! by an absolute one.

use super::PgStore;
use crate::store::{Lifetimes, StoreError};

impl PgStore {
    /// A new session; sessions past their time are cleared on the way.
    pub async fn start_session(
        &self,
        id_digest: String,
        name: String,
        lifetimes: Lifetimes,
    ) -> Result<(), StoreError> {
        let client = self.pool.lease().await?;
        let (idle, absolute) = seconds(lifetimes);
        client
            .execute(
                "DELETE FROM sessions WHERE last_seen < now() - make_interval(secs => $1)
                 OR started < now() - make_interval(secs => $2)",
                &[&idle, &absolute],
            )
            .await?;
        client
            .execute(
                "INSERT INTO sessions (id_digest, name) VALUES ($1, $2)",
                &[&id_digest, &name],
            )
            .await?;
        Ok(())
    }

    /// The user of a live session, kept alive by this request, in one statement.
    pub async fn touch_session(
        &self,
        id_digest: String,
        lifetimes: Lifetimes,
    ) -> Result<Option<String>, StoreError> {
        let client = self.pool.lease().await?;
        let (idle, absolute) = seconds(lifetimes);
        let row = client
            .query_opt(
                "UPDATE sessions SET last_seen = now() WHERE id_digest = $1
                 AND last_seen >= now() - make_interval(secs => $2)
                 AND started >= now() - make_interval(secs => $3)
                 RETURNING name",
                &[&id_digest, &idle, &absolute],
            )
            .await?;
        Ok(row.map(|row| row.get(0)))
    }

    pub async fn end_session(&self, id_digest: String) -> Result<(), StoreError> {
        let client = self.pool.lease().await?;
        client
            .execute("DELETE FROM sessions WHERE id_digest = $1", &[&id_digest])
            .await?;
        Ok(())
    }

    pub async fn end_sessions_of(&self, name: String) -> Result<(), StoreError> {
        let client = self.pool.lease().await?;
        client
            .execute("DELETE FROM sessions WHERE name = $1", &[&name])
            .await?;
        Ok(())
    }
}

fn seconds(lifetimes: Lifetimes) -> (f64, f64) {
    (
        lifetimes.idle.as_secs_f64(),
        lifetimes.absolute.as_secs_f64(),
    )
}
