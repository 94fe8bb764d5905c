//! The storage worker: one thread that owns the [`Store`] and serialises all access to it.
//!
//! Appends are queued without waiting. The worker takes everything queued, merges the updates of
//! each room into one, and commits them in a single transaction as soon as the queue is empty
//! (or a batch is full), so under load many keystrokes share one fsync while a lone edit is
//! durable within milliseconds. Loads and flushes go through the same queue, so a load always
//! sees every update queued before it. Merging is done here, with yrs, for every backend: a
//! compaction loads a room, merges it and hands the store the snapshot to keep.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::{Store, StoreError, StoredDoc};

/// Most updates merged into one transaction.
const MAX_BATCH: usize = 4096;

enum Cmd {
    Append {
        room: Arc<str>,
        update: Vec<u8>,
    },
    Load {
        room: Arc<str>,
        reply: oneshot::Sender<Result<StoredDoc, StoreError>>,
    },
    Flush(oneshot::Sender<()>),
    Compact(Arc<str>),
    Call(StoreCall),
}

/// Work to run on the store, in queue order.
type StoreCall = Box<dyn FnOnce(&mut dyn Store) + Send>;

/// A cheap, cloneable way to talk to the storage worker.
#[derive(Clone)]
pub struct StoreHandle {
    tx: mpsc::UnboundedSender<Cmd>,
}

impl StoreHandle {
    /// Queues an update; it is durable after the next flush (milliseconds later).
    pub fn append(&self, room: Arc<str>, update: Vec<u8>) {
        if self.tx.send(Cmd::Append { room, update }).is_err() {
            tracing::error!("storage worker is gone; an update was not stored");
        }
    }

    pub async fn load(&self, room: Arc<str>) -> Result<StoredDoc, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Cmd::Load { room, reply })
            .map_err(|_| StoreError::WorkerGone)?;
        rx.await.map_err(|_| StoreError::WorkerGone)?
    }

    /// Resolves once every update queued before it is committed.
    pub async fn flush(&self) -> Result<(), StoreError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Cmd::Flush(reply))
            .map_err(|_| StoreError::WorkerGone)?;
        rx.await.map_err(|_| StoreError::WorkerGone)
    }

    /// Runs `f` on the store, after every update queued before it is committed.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.queue(f).await
    }

    /// Queues `f` now (in order with the appends queued before and after this call returns);
    /// the future resolves with its result.
    pub fn queue<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> impl std::future::Future<Output = Result<T, StoreError>> + Send + 'static {
        let (reply, rx) = oneshot::channel();
        let call = Box::new(move |store: &mut dyn Store| {
            let _ = reply.send(f(store));
        });
        let sent = self.tx.send(Cmd::Call(call)).is_ok();
        async move {
            if !sent {
                return Err(StoreError::WorkerGone);
            }
            rx.await.map_err(|_| StoreError::WorkerGone)?
        }
    }

    /// Asks for the room's log to be merged into its snapshot.
    pub fn compact(&self, room: Arc<str>) {
        let _ = self.tx.send(Cmd::Compact(room));
    }
}

/// Starts the worker thread. It stops when every [`StoreHandle`] is dropped, after committing
/// what was queued.
pub fn spawn(
    store: Box<dyn Store>,
    compact_after: usize,
) -> std::io::Result<(StoreHandle, std::thread::JoinHandle<()>)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let worker = Worker {
        store,
        rx,
        pending: Vec::new(),
        waiters: Vec::new(),
        log_lens: HashMap::new(),
        compact_after,
    };
    let thread = std::thread::Builder::new()
        .name("werkmuur-storage".into())
        .spawn(move || worker.run())?;
    Ok((StoreHandle { tx }, thread))
}

struct Worker {
    store: Box<dyn Store>,
    rx: mpsc::UnboundedReceiver<Cmd>,
    pending: Vec<(Arc<str>, Vec<u8>)>,
    waiters: Vec<oneshot::Sender<()>>,
    /// Log entries after the snapshot, per room we have seen.
    log_lens: HashMap<Arc<str>, usize>,
    compact_after: usize,
}

impl Worker {
    fn run(mut self) {
        while let Some(cmd) = self.rx.blocking_recv() {
            self.handle(cmd);
            while let Ok(cmd) = self.rx.try_recv() {
                self.handle(cmd);
                if self.pending.len() >= MAX_BATCH {
                    self.flush();
                }
            }
            self.flush();
            self.compact_long_logs();
        }
        self.flush();
        tracing::debug!("storage worker stopped");
    }

    fn handle(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Append { room, update } => self.pending.push((room, update)),
            Cmd::Load { room, reply } => {
                self.flush();
                let result = self.store.load(&room);
                if let Ok(doc) = &result {
                    self.log_lens.insert(room, doc.updates.len());
                }
                let _ = reply.send(result);
            }
            Cmd::Flush(reply) => self.waiters.push(reply),
            Cmd::Compact(room) => {
                self.flush();
                self.compact(&room);
            }
            Cmd::Call(f) => {
                self.flush();
                f(self.store.as_mut());
            }
        }
    }

    /// Commits everything pending, one merged update per room. On a database error it retries
    /// (the updates stay in memory meanwhile; nothing is dropped).
    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let merged = merge_per_room(std::mem::take(&mut self.pending));
            let batch: Vec<(&str, &[u8])> = merged
                .iter()
                .flat_map(|(room, updates)| updates.iter().map(|u| (&**room, u.as_slice())))
                .collect();
            let mut delay = Duration::from_millis(10);
            while let Err(error) = self.store.append(&batch) {
                tracing::error!(%error, updates = batch.len(), "could not store updates; retrying");
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_secs(5));
            }
            for (room, updates) in &merged {
                *self.log_lens.entry(room.clone()).or_default() += updates.len();
            }
        }
        for waiter in self.waiters.drain(..) {
            let _ = waiter.send(());
        }
    }

    fn compact_long_logs(&mut self) {
        let long: Vec<Arc<str>> = self
            .log_lens
            .iter()
            .filter(|(_, n)| **n >= self.compact_after)
            .map(|(room, _)| room.clone())
            .collect();
        for room in long {
            self.compact(&room);
        }
    }

    fn compact(&mut self, room: &Arc<str>) {
        match self.fold_log(room) {
            Ok(()) => {
                self.log_lens.insert(room.clone(), 0);
                tracing::debug!(room = %room, "compacted");
            }
            Err(error) => {
                // The log stays as it is; try again after the next batch.
                tracing::warn!(room = %room, %error, "compaction failed");
            }
        }
    }

    /// Replaces the room's snapshot and log by one merged snapshot. Nothing else writes to the
    /// store between the load and the replacement: this thread is its only user.
    fn fold_log(&mut self, room: &str) -> Result<(), StoreError> {
        let stored = self.store.load(room)?;
        let Some(through) = stored.log_end else {
            return Ok(());
        };
        let merged = merge(&stored.updates).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "the stored updates of room {room} could not be merged"
            ))
        })?;
        self.store.replace_snapshot(room, &merged, through)
    }
}

/// Merges updates into one with yrs, or `None` if they can't be (yrs may panic on bytes it
/// can't read).
fn merge(updates: &[Vec<u8>]) -> Option<Vec<u8>> {
    std::panic::catch_unwind(|| yrs::merge_updates_v1(updates))
        .ok()
        .and_then(Result::ok)
}

/// Groups updates by room (keeping their order) and merges each room's into one update. If
/// merging fails the room keeps its separate updates.
fn merge_per_room(pending: Vec<(Arc<str>, Vec<u8>)>) -> Vec<(Arc<str>, Vec<Vec<u8>>)> {
    let mut rooms: Vec<(Arc<str>, Vec<Vec<u8>>)> = Vec::new();
    let mut index: HashMap<Arc<str>, usize> = HashMap::new();
    for (room, update) in pending {
        let i = *index.entry(room.clone()).or_insert_with(|| {
            rooms.push((room, Vec::new()));
            rooms.len() - 1
        });
        rooms[i].1.push(update);
    }
    for (_, updates) in &mut rooms {
        if updates.len() > 1
            && let Some(merged) = merge(updates)
        {
            *updates = vec![merged];
        }
    }
    rooms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::SqliteStore;
    use yrs::{GetString, ReadTxn, Text, Transact, updates::decoder::Decode};

    fn text_update(doc: &yrs::Doc, s: &str) -> Vec<u8> {
        let text = doc.get_or_insert_text("t");
        let before = doc.transact().state_vector();
        let mut txn = doc.transact_mut();
        let len = text.len(&txn);
        text.insert(&mut txn, len, s);
        drop(txn);
        doc.transact().encode_diff_v1(&before)
    }

    #[tokio::test]
    async fn a_log_longer_than_the_threshold_is_compacted_and_loads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let (handle, _thread) = spawn(Box::new(store), 5).unwrap();
        let room: Arc<str> = "r".into();
        assert!(handle.load(room.clone()).await.unwrap().updates.is_empty());
        let source = yrs::Doc::new();
        let mut expected = String::new();
        for i in 0..12 {
            let s = format!("{i},");
            expected.push_str(&s);
            handle.append(room.clone(), text_update(&source, &s));
            // One flush per update: twelve separate transactions.
            handle.flush().await.unwrap();
        }
        let stored = handle.load(room.clone()).await.unwrap();
        assert!(
            stored.updates.len() < 5,
            "{} entries after compaction",
            stored.updates.len()
        );
        let doc = yrs::Doc::new();
        let text = doc.get_or_insert_text("t");
        for u in &stored.updates {
            doc.transact_mut()
                .apply_update(yrs::Update::decode_v1(u).unwrap())
                .unwrap();
        }
        assert_eq!(text.get_string(&doc.transact()), expected);
    }
}
