//! Users and tokens: who may sign in or call, with which role, and the statements for them.
//! Secrets arrive already hashed; the stores never see a password.

use hunts_model::Role;

use crate::store::StoreError;

/// The tables of both stores' first accounts migration. Part of a migration: never changed.
pub const ACCOUNTS_TABLES: &str = "CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
        password_hash TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE tokens (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
        token_hash TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL
    );";

/// A user or a token as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
    pub created: String,
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

    /// Adds an account (`$1` name, `$2` role, `$3` secret hash, `$4` created), or replaces the
    /// role and secret of one of that name (a new password).
    pub fn put(self) -> String {
        format!(
            "INSERT INTO {table} (name, role, {secret}, created) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO UPDATE SET role = excluded.role, {secret} = excluded.{secret}",
            table = self.table(),
            secret = self.secret_column(),
        )
    }

    /// Removes the account named `$1`.
    pub fn remove(self) -> String {
        format!("DELETE FROM {} WHERE name = $1", self.table())
    }

    /// Every account of this kind: name, role, created.
    pub fn list(self) -> String {
        format!(
            "SELECT name, role, created FROM {} ORDER BY name",
            self.table()
        )
    }
}

/// Whether anyone may sign in or call.
pub const ANY_ACCOUNT: &str = "SELECT 1 FROM users UNION ALL SELECT 1 FROM tokens LIMIT 1";

/// The role and password hash of the user named `$1`.
pub const USER: &str = "SELECT role, password_hash FROM users WHERE name = $1";

/// The name and role of the token whose hash is `$1`.
pub const TOKEN: &str = "SELECT name, role FROM tokens WHERE token_hash = $1";

/// A role as stored.
pub fn role(text: String) -> Result<Role, StoreError> {
    text.parse()
        .map_err(|error: String| StoreError::Database(format!("stored role: {error}")))
}
