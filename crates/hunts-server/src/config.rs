//! The command line, each option also read from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, clap::Parser)]
#[command(
    name = "hunts-server",
    version,
    about = "Reference server for the hunts REST API, serving the admin app"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HUNTS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SQLite database file; created, with its folder, on first start.
    #[arg(long, env = "HUNTS_DB", default_value = "data/hunts.db")]
    pub db: PathBuf,
    /// Folder of the app's built files (trunk's `dist`).
    #[arg(long, env = "HUNTS_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Fill an empty database with a demo set of hunts.
    #[arg(long)]
    pub demo: bool,
}
