//! The SQL for users and tokens: who may sign in or call, with which role. Secrets arrive
//! already hashed; this module never sees a password.

use hunts_model::Role;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// A user or a token as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
    pub created: String,
}

fn role(text: String) -> Result<Role, StoreError> {
    text.parse()
        .map_err(|error: String| StoreError::Database(format!("stored role: {error}")))
}

pub fn has_any(connection: &Connection) -> Result<bool, StoreError> {
    let any: Option<i64> = connection
        .query_row(
            "SELECT 1 FROM users UNION ALL SELECT 1 FROM tokens LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    Ok(any.is_some())
}

pub fn user(connection: &Connection, name: &str) -> Result<Option<(Role, String)>, StoreError> {
    let found: Option<(String, String)> = connection
        .prepare_cached("SELECT role, password_hash FROM users WHERE name = ?1")?
        .query_row([name], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    found
        .map(|(text, hash)| Ok((role(text)?, hash)))
        .transpose()
}

/// The role a user has now, if the user still exists (a session is only as good as its user).
pub fn user_role(connection: &Connection, name: &str) -> Result<Option<Role>, StoreError> {
    Ok(user(connection, name)?.map(|(role, _)| role))
}

pub fn token(
    connection: &Connection,
    token_hash: &str,
) -> Result<Option<(String, Role)>, StoreError> {
    let found: Option<(String, String)> = connection
        .prepare_cached("SELECT name, role FROM tokens WHERE token_hash = ?1")?
        .query_row([token_hash], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    found
        .map(|(name, text)| Ok((name, role(text)?)))
        .transpose()
}

/// Which table an account lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    User,
    Token,
}

impl AccountKind {
    fn table(self) -> &'static str {
        match self {
            AccountKind::User => "users",
            AccountKind::Token => "tokens",
        }
    }

    fn secret_column(self) -> &'static str {
        match self {
            AccountKind::User => "password_hash",
            AccountKind::Token => "token_hash",
        }
    }
}

/// Adds an account, or replaces the role and secret of one of that name (a new password).
pub fn put(
    connection: &Connection,
    kind: AccountKind,
    name: &str,
    role: Role,
    secret_hash: &str,
    created: &str,
) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO {table} (name, role, {secret}, created) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET role = excluded.role, {secret} = excluded.{secret}",
        table = kind.table(),
        secret = kind.secret_column(),
    );
    connection.execute(&sql, params![name, role.as_str(), secret_hash, created])?;
    Ok(())
}

/// Removes an account; whether there was one.
pub fn remove(connection: &Connection, kind: AccountKind, name: &str) -> Result<bool, StoreError> {
    let sql = format!("DELETE FROM {} WHERE name = ?1", kind.table());
    Ok(connection.execute(&sql, [name])? > 0)
}

pub fn list(connection: &Connection, kind: AccountKind) -> Result<Vec<Account>, StoreError> {
    let sql = format!(
        "SELECT name, role, created FROM {} ORDER BY name",
        kind.table()
    );
    let mut statement = connection.prepare(&sql)?;
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
