//! `hunts-server`: opens the database, optionally seeds the demo set, and serves until Ctrl-C or
//! SIGTERM, finishing the requests in flight; or, given `user …` or `token …`, manages who may
//! sign in or call.

use std::time::Duration;

use clap::Parser;
use hunts_server::access::Access;
use hunts_server::config::{Command, Config, Serve};
use hunts_server::events::Events;
use hunts_server::serve::{self, Limits};
use hunts_server::store::Lifetimes;
use hunts_server::store::{AccountKind, Store};
use hunts_server::{accounts_cli, app_with_events, demo, history, reference_only};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::parse();
    // Before the database is opened: waiting for it is said in the log.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let opened = match config.serve.without_history {
        true => Store::open_without_history(std::path::Path::new(&config.db)),
        false => Store::open_any(&config.db, config.pg_options()).await,
    };
    let store = match opened {
        Ok(store) => store,
        Err(error) => {
            eprintln!(
                "hunts-server: cannot open the database {}: {error}",
                config.db
            );
            std::process::exit(1);
        }
    };
    match config.command {
        Some(Command::User(command)) => accounts_cli::run(&store, AccountKind::User, command).await,
        Some(Command::Token(command)) => {
            accounts_cli::run(&store, AccountKind::Token, command).await
        }
        Some(Command::Backup { path }) => {
            store.backup(path.clone()).await?;
            println!("backed up {} to {}", config.db, path.display());
            Ok(())
        }
        None => serve(store, config.serve, &config.db).await,
    }
}

async fn serve(store: Store, config: Serve, db: &str) -> Result<(), Box<dyn std::error::Error>> {
    let lifetimes = Lifetimes {
        idle: config.session_idle.into(),
        absolute: config.session_max.into(),
    };
    let access = Access::for_store(store.clone(), lifetimes).await?;
    if access.sign_in_is_on() {
        tracing::info!("sign-in is on: every hunts request needs a session or a token");
    } else if config.addr.ip().is_loopback() {
        tracing::warn!(
            "sign-in is off (no users yet): only this machine can reach the server. To open it \
             to others, add an administrator with `hunts-server user add NAME --role admin` and \
             restart"
        );
    } else {
        eprintln!(
            "hunts-server: refusing to serve {} with sign-in off: anyone on the network could \
             change every hunt.\nAdd an administrator first:  hunts-server --db {} user add NAME \
             --role admin\n(or listen on 127.0.0.1 to try it on this machine alone)",
            config.addr, db
        );
        std::process::exit(2);
    }
    if config.demo && store.is_empty().await? {
        let count = demo::seed(&store).await?;
        tracing::info!(count, "filled the empty database with the demo set");
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no index.html there: build the app with `cargo xtask run`");
    }

    tokio::spawn(history::keep_for(
        store.clone(),
        Duration::from_secs(config.history_days.saturating_mul(24 * 60 * 60)),
    ));

    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    let events = Events::start(store.clone(), config.max_streams);
    let mut app = app_with_events(store, &config.dist, access, events.clone());
    if config.reference_only {
        let platform = reference_only::ReferenceOnly {
            create_with_id: config.create_with_id,
            strict_masks: config.strict_masks,
        };
        tracing::info!(?platform, "reference-only: no extensions");
        app = reference_only::layer(app, platform);
    }
    let limits = Limits {
        header_timeout: config.header_timeout.into(),
        max_connections: config.max_connections.max(1),
        ..Limits::default()
    };
    // Live change streams end at once on shutdown: they are no requests to drain.
    let shutdown = async move {
        shutdown_signal().await;
        events.stop();
    };
    serve::serve(listener, app, limits, shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c()
            .await
            .expect("Ctrl-C handler installs");
    };
    #[cfg(unix)]
    let terminate = async {
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler installs")
            .recv()
            .await;
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
