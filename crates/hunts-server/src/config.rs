//! The command line, each option also read from the environment: serving (the default), and
//! managing who may sign in (`user …`) or call as a script (`token …`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use hunts_model::Role;

use crate::store::PgOptions;

#[derive(Debug, clap::Parser)]
#[command(
    name = "hunts-server",
    version,
    about = "Reference server for the hunts REST API, serving the admin app",
    after_help = "With no users or tokens, sign-in is off and the server listens on loopback \
                  only. Add an administrator with `hunts-server user add NAME --role admin`."
)]
pub struct Config {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The database: a SQLite file (created, with its folder, on first start), or a PostgreSQL
    /// URL (`postgres://user@host:port/dbname`) that several instances may share.
    #[arg(long, env = "HUNTS_DB", default_value = "data/hunts.db", global = true)]
    pub db: String,
    /// PostgreSQL: connections this instance holds at most.
    #[arg(long, env = "HUNTS_DB_POOL", default_value_t = 8, global = true)]
    pub db_pool: usize,
    /// PostgreSQL: how long to keep trying at start while the database is not up.
    #[arg(long, env = "HUNTS_DB_WAIT", default_value = "30s", global = true)]
    pub db_wait: humantime::Duration,
    #[command(flatten)]
    pub serve: Serve,
}

/// How to serve (when no command is given).
#[derive(Debug, clap::Args)]
pub struct Serve {
    /// Address to listen on. Without users, only a loopback address is allowed.
    #[arg(long, env = "HUNTS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Folder of the app's built files (trunk's `dist`).
    #[arg(long, env = "HUNTS_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Fill an empty database with a demo set of hunts.
    #[arg(long)]
    pub demo: bool,
    /// A session ends after this long without a request.
    #[arg(long, env = "HUNTS_SESSION_IDLE", default_value = "30m")]
    pub session_idle: humantime::Duration,
    /// A session ends this long after sign-in, however busy.
    #[arg(long, env = "HUNTS_SESSION_MAX", default_value = "12h")]
    pub session_max: humantime::Duration,
    /// A connection that has not sent a request's headers whole within this long is closed.
    #[arg(long, env = "HUNTS_HEADER_TIMEOUT", default_value = "10s")]
    pub header_timeout: humantime::Duration,
    /// Live change streams open at once at most; past it, a new one is a 503 with Retry-After.
    #[arg(long, env = "HUNTS_MAX_STREAMS", default_value_t = crate::events::DEFAULT_MAX_STREAMS)]
    pub max_streams: usize,
    /// Connections open at once at most; past it, new ones are closed at once.
    #[arg(long, env = "HUNTS_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// Revisions older than this many days are dropped (never a live hunt's latest).
    #[arg(long, env = "HUNTS_HISTORY_DAYS", default_value_t = 400)]
    pub history_days: u64,
    /// A change records no revision (it rewrites the one that holds the hunt) and the history
    /// paths answer 404 (as a platform without the extension): only to measure what history
    /// costs (`cargo xtask bench`). SQLite only.
    #[arg(long, hide = true)]
    pub without_history: bool,
    /// Play a platform with only the reference API: no ETag (If-Match ignored), no
    /// X-Total-Count, no session resource, no `resources.id` filter, no create-with-id.
    #[arg(long)]
    pub reference_only: bool,
    /// With --reference-only: what an `id` in a create's body meets.
    #[arg(
        long,
        value_enum,
        default_value = "ignored",
        requires = "reference_only"
    )]
    pub create_with_id: crate::reference_only::CreateWithId,
    /// With --reference-only: a list's mask may name only the reference's output fields.
    #[arg(long, requires = "reference_only")]
    pub strict_masks: bool,
}

impl Config {
    /// How to reach PostgreSQL, when `--db` names it.
    pub fn pg_options(&self) -> PgOptions {
        PgOptions {
            pool_size: self.db_pool.max(1),
            acquire_timeout: Duration::from_secs(5),
            wait_for_database: self.db_wait.into(),
        }
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// The people who sign in to the app (passwords are read from the terminal or standard
    /// input, never from the command line).
    #[command(subcommand)]
    User(AccountCommand),
    /// Bearer tokens for scripts (shown once when added, kept hashed).
    #[command(subcommand)]
    Token(AccountCommand),
    /// Writes a consistent copy of the SQLite database to a new file, while the server runs.
    Backup { path: std::path::PathBuf },
}

#[derive(Debug, clap::Subcommand)]
pub enum AccountCommand {
    /// Adds one (or gives one of that name a new role and secret).
    Add {
        name: String,
        /// admin (everything) or viewer (reads only).
        #[arg(long)]
        role: Role,
    },
    /// Removes one: its sessions or calls are refused from then on.
    Remove { name: String },
    /// Lists them, with their roles.
    List,
}
