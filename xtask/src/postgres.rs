//! A throwaway PostgreSQL cluster for the tests and the bench.

use std::env;
use std::path::PathBuf;
use std::process::Command;

use crate::shell::{Result, output, sh, step};
use crate::tools::install_debian_packages;

/// A throwaway PostgreSQL cluster in a temporary folder on a free port, for the tests: made as
/// the `postgres` user (PostgreSQL refuses to run as root), trusting local connections, and
/// stopped and removed when dropped.
pub(crate) struct Postgres {
    pub(crate) url: String,
    data: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

impl Postgres {
    pub(crate) fn bin_dir() -> Option<PathBuf> {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
            .filter(|bin| bin.join("initdb").exists())
            .collect();
        versions.sort();
        versions.pop()
    }

    pub(crate) fn start() -> Result<Postgres> {
        if Postgres::bin_dir().is_none() {
            install_debian_packages(
                "postgresql",
                "PostgreSQL (for the PostgreSQL store's tests)",
            )?;
        }
        let bin = Postgres::bin_dir().ok_or("PostgreSQL's initdb is still missing")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| format!("no free port: {error}"))?
            .port();
        let data = env::temp_dir().join(format!("hunts-postgres-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).map_err(|error| format!("{}: {error}", data.display()))?;
        let as_postgres = output("id", &["-u"], None).is_some_and(|uid| uid == "0");
        let cluster = Postgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            data,
            bin,
            as_postgres,
        };
        if as_postgres {
            sh(
                None,
                "chown",
                &["postgres", &cluster.data.to_string_lossy()],
            )?;
        }
        step(&format!("starting a throwaway PostgreSQL on port {port}"));
        let cluster_dir = cluster.data.join("cluster");
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster_dir.to_string_lossy(),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "-U",
                "postgres",
                "--no-sync",
            ],
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            cluster.data.display()
        );
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                &cluster_dir.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &cluster.data.join("log").to_string_lossy(),
                "-w",
                "start",
            ],
        )?;
        Ok(cluster)
    }

    pub(crate) fn run(&self, program: &str, args: &[&str]) -> Result {
        let program = self.bin.join(program);
        let program = program.to_string_lossy();
        let mut command_line = vec![];
        if self.as_postgres {
            command_line.extend(["runuser", "-u", "postgres", "--"]);
        }
        command_line.push(&program);
        command_line.extend(args);
        let status = Command::new(command_line[0])
            .args(&command_line[1..])
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|error| format!("cannot start {program}: {error}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", command_line.join(" ")))
        }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let cluster_dir = self.data.join("cluster");
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                &cluster_dir.to_string_lossy(),
                "-m",
                "immediate",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.data);
    }
}
