//! Users and tokens on PostgreSQL, by the statements both stores share (`sql::accounts`).

use hunts_model::Role;

use super::PgStore;
use crate::store::StoreError;
use crate::store::sql::accounts::{self, Account, AccountKind, role};

impl PgStore {
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        let client = self.pool.lease().await?;
        Ok(client
            .query_opt(accounts::ANY_ACCOUNT, &[])
            .await?
            .is_some())
    }

    pub async fn user(&self, name: String) -> Result<Option<(Role, String)>, StoreError> {
        let client = self.pool.lease().await?;
        let row = client.query_opt(accounts::USER, &[&name]).await?;
        row.map(|row| Ok((role(row.get(0))?, row.get(1))))
            .transpose()
    }

    pub async fn token(&self, token_hash: String) -> Result<Option<(String, Role)>, StoreError> {
        let client = self.pool.lease().await?;
        let row = client.query_opt(accounts::TOKEN, &[&token_hash]).await?;
        row.map(|row| Ok((row.get(0), role(row.get(1))?)))
            .transpose()
    }

    pub async fn put_account(
        &self,
        kind: AccountKind,
        name: String,
        role: Role,
        secret_hash: String,
        created: String,
    ) -> Result<(), StoreError> {
        let client = self.pool.lease().await?;
        client
            .execute(
                &kind.put(),
                &[&name, &role.as_str(), &secret_hash, &created],
            )
            .await?;
        Ok(())
    }

    pub async fn remove_account(
        &self,
        kind: AccountKind,
        name: String,
    ) -> Result<bool, StoreError> {
        let client = self.pool.lease().await?;
        Ok(client.execute(&kind.remove(), &[&name]).await? > 0)
    }

    pub async fn accounts(&self, kind: AccountKind) -> Result<Vec<Account>, StoreError> {
        let client = self.pool.lease().await?;
        let rows = client.query(&kind.list(), &[]).await?;
        rows.iter()
            .map(|row| {
                Ok(Account {
                    name: row.get(0),
                    role: role(row.get(1))?,
                    created: row.get(2),
                })
            })
            .collect()
    }
}
