//! `hunts-server user …` and `hunts-server token …`: adding, removing and listing who may sign
//! in or call, on the database the server uses (while it runs, too).

use std::io::{BufRead, IsTerminal, Write};

use crate::config::AccountCommand;
use crate::secrets;
use crate::store::{AccountKind, Store};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Names are what people type to sign in and what the logs show.
fn check_name(name: &str) -> Result<()> {
    let fine = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if fine {
        Ok(())
    } else {
        Err(format!("{name:?} is not a usable name: 1 to 64 letters, digits and . _ - @").into())
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;

/// The password, from the terminal without echo (asked twice), or one line of standard input.
fn read_password(name: &str) -> Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {name}: "))?;
        let again = rpassword::prompt_password("The same again: ")?;
        if first != again {
            return Err("the two passwords differ; nothing was changed".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters; nothing was changed"
        )
        .into());
    }
    Ok(password)
}

pub async fn run(store: &Store, kind: AccountKind, command: AccountCommand) -> Result<()> {
    let what = match kind {
        AccountKind::User => "user",
        AccountKind::Token => "token",
    };
    let mut out = std::io::stdout().lock();
    match command {
        AccountCommand::Add { name, role } => {
            check_name(&name)?;
            let first = !store.has_accounts().await?;
            let shown = match kind {
                AccountKind::User => {
                    let password = read_password(&name)?;
                    let hash =
                        tokio::task::spawn_blocking(move || secrets::hash_password(&password))
                            .await?;
                    store.put_account(kind, name.clone(), role, hash).await?;
                    None
                }
                AccountKind::Token => {
                    let token = secrets::new_secret();
                    store
                        .put_account(kind, name.clone(), role, secrets::token_digest(&token))
                        .await?;
                    Some(token)
                }
            };
            writeln!(out, "{what} {name} ({}) added", role.as_str())?;
            if let Some(token) = shown {
                writeln!(
                    out,
                    "The token, shown this once (send it as `Authorization: Bearer <token>`):\n{token}"
                )?;
            }
            if first {
                writeln!(
                    out,
                    "Sign-in turns on when the server next starts; restart it if it is running."
                )?;
            }
        }
        AccountCommand::Remove { name } => {
            if !store.remove_account(kind, name.clone()).await? {
                return Err(format!("there is no {what} {name}").into());
            }
            writeln!(out, "{what} {name} removed")?;
        }
        AccountCommand::List => {
            let accounts = store.accounts(kind).await?;
            if accounts.is_empty() {
                writeln!(out, "no {what}s")?;
            }
            for account in accounts {
                writeln!(
                    out,
                    "{}\t{}\tadded {}",
                    account.name,
                    account.role.as_str(),
                    account.created
                )?;
            }
        }
    }
    Ok(())
}
