//! What the tests and benchmarks of every crate share (a dev-dependency only): a raw HTTP/1.1
//! client that adds no latency of its own (`http`), temporary folders removed when dropped
//! (`temp_folder`), and a fresh database on the test PostgreSQL (`postgres`).

pub mod http;
pub mod postgres;
pub mod temp_folder;
