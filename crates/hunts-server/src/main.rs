//! `hunts-server`: opens the database, optionally seeds the demo set, and serves until Ctrl-C or
//! SIGTERM, finishing the requests in flight.

use clap::Parser;
use hunts_server::config::Config;
use hunts_server::store::Store;
use hunts_server::{app, demo};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = Config::parse();

    let store = Store::open(&config.db)?;
    if config.demo && store.is_empty().await? {
        let count = demo::seed(&store).await?;
        tracing::info!(count, "filled the empty database with the demo set");
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no index.html there: build the app with `cargo xtask run`");
    }

    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    axum::serve(listener, app(store, &config.dist))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
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
