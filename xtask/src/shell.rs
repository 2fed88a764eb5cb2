//! Running commands from the workspace root: the steps said, a command that must succeed (with
//! the tools on PATH and any environment it needs), and a command's first line of output.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) type Result<T = ()> = std::result::Result<T, String>;

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

pub(crate) fn step(message: &str) {
    eprintln!("==> {message}");
}

/// Runs a command in the workspace root (with `path` as PATH where given: the project's tools
/// first), failing on a non-zero exit.
pub(crate) fn sh(path: Option<&OsString>, program: &str, args: &[&str]) -> Result {
    sh_with(path, program, args, &[])
}

/// `sh`, with these environment variables set for the command.
pub(crate) fn sh_with(
    path: Option<&OsString>,
    program: &str,
    args: &[&str],
    vars: &[(&str, &str)],
) -> Result {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(root())
        .envs(vars.iter().copied());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let status = command
        .status()
        .map_err(|error| format!("cannot start {program}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// The first line a command prints, if it runs at all.
pub(crate) fn output(program: &str, args: &[&str], path: Option<&OsString>) -> Option<String> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let out = command.output().ok().filter(|out| out.status.success())?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    Some(text.lines().next().unwrap_or_default().trim().to_owned())
}
