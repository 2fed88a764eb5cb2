//! Users and tokens on SQLite, by the statements both stores share (`sql::accounts`).

use hunts_model::Role;
use rusqlite::{Connection, OptionalExtension, params};

use crate::store::StoreError;
use crate::store::sql::accounts::{self, Account, AccountKind, role};
use crate::store::sql::for_sqlite;

pub fn has_any(connection: &Connection) -> Result<bool, StoreError> {
    let any: Option<i64> = connection
        .query_row(&for_sqlite(accounts::ANY_ACCOUNT), [], |row| row.get(0))
        .optional()?;
    Ok(any.is_some())
}

pub fn user(connection: &Connection, name: &str) -> Result<Option<(Role, String)>, StoreError> {
    let found: Option<(String, String)> = connection
        .prepare_cached(&for_sqlite(accounts::USER))?
        .query_row([name], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    found
        .map(|(text, hash)| Ok((role(text)?, hash)))
        .transpose()
}

pub fn token(
    connection: &Connection,
    token_hash: &str,
) -> Result<Option<(String, Role)>, StoreError> {
    let found: Option<(String, String)> = connection
        .prepare_cached(&for_sqlite(accounts::TOKEN))?
        .query_row([token_hash], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    found
        .map(|(name, text)| Ok((name, role(text)?)))
        .transpose()
}

pub fn put(
    connection: &Connection,
    kind: AccountKind,
    name: &str,
    role: Role,
    secret_hash: &str,
    created: &str,
) -> Result<(), StoreError> {
    connection.execute(
        &for_sqlite(&kind.put()),
        params![name, role.as_str(), secret_hash, created],
    )?;
    Ok(())
}

/// Removes an account; whether there was one.
pub fn remove(connection: &Connection, kind: AccountKind, name: &str) -> Result<bool, StoreError> {
    Ok(connection.execute(&for_sqlite(&kind.remove()), [name])? > 0)
}

pub fn list(connection: &Connection, kind: AccountKind) -> Result<Vec<Account>, StoreError> {
    let mut statement = connection.prepare(&kind.list())?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get(2)?,
        ))
    })?;
    rows.map(|row| {
        let (name, text, created) = row?;
        Ok(Account {
            name,
            role: role(text)?,
            created,
        })
    })
    .collect()
}
