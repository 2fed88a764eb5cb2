//! A list's page as it goes out: each stored body rendered into a buffer, sent in chunks of
//! about `CHUNK_BYTES` so the answer streams while the rest is read.

use tokio::sync::mpsc;

use crate::store::{RenderRow, StoreError};

/// Rows rendered before a chunk of a list goes out.
pub const CHUNK_BYTES: usize = 64 * 1024;

pub type ChunkSender = mpsc::Sender<Result<Vec<u8>, StoreError>>;

/// The page being rendered, in a blocking task.
pub struct Chunks<'s> {
    render: RenderRow,
    buffer: Vec<u8>,
    sender: &'s ChunkSender,
}

impl<'s> Chunks<'s> {
    pub fn new(render: RenderRow, sender: &'s ChunkSender) -> Chunks<'s> {
        Chunks {
            render,
            buffer: Vec::with_capacity(CHUNK_BYTES + 4096),
            sender,
        }
    }

    /// Renders the stored body of the page's row `index`.
    pub fn render(&mut self, index: usize, body: &str) -> Result<(), StoreError> {
        (self.render)(index, body, &mut self.buffer).map_err(StoreError::Database)
    }

    /// Sends what is rendered once it is a chunk; `false` when the client went away (stop).
    pub fn send_if_full(&mut self) -> bool {
        if self.buffer.len() < CHUNK_BYTES {
            return true;
        }
        let full = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES + 4096));
        self.sender.blocking_send(Ok(full)).is_ok()
    }

    /// Sends the rest.
    pub fn finish(self) {
        if !self.buffer.is_empty() {
            let _ = self.sender.blocking_send(Ok(self.buffer));
        }
    }
}
