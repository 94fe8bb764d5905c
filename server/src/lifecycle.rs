//! Carrying out a session's end and deletion, and the sweep that asks every session whether
//! it is due to end or to be deleted ([`Command::Tick`]). When is the core's to say
//! (`sessie::lifecycle`); here are who may ask, and the IO.

use std::sync::Arc;
use std::time::Duration;

use draaiboeken::sessie::Command;

use crate::error::ApiError;
use crate::sessions::{Live, Sessions, internal};

/// Why the connections of a deleted session close.
const DELETED: &str = "this session was deleted";

impl Sessions {
    /// The session, if `token` is its facilitator's or belongs to one of its organisers.
    fn managed(&self, id: &str, token: &str, what: &str) -> Result<Arc<Live>, ApiError> {
        if self.is_organiser_of(id, token) {
            return self
                .session(id)
                .ok_or_else(|| ApiError::NotFound("no such session".into()));
        }
        self.facilitated(id, token, &format!("{what} (or an organiser)"))
    }

    /// Ends session `id` now (its facilitator or an organiser): no one joins any more,
    /// participants' tokens stop working and their connections close.
    pub async fn end(&self, id: &str, token: &str) -> Result<Arc<Live>, ApiError> {
        let live = self.managed(id, token, "end the session")?;
        self.apply(&live, Command::End).await?;
        tracing::info!(session = %live.id, "session ended");
        Ok(live)
    }

    /// Deletes session `id` now (an organiser, or its facilitator).
    pub async fn delete(&self, id: &str, token: &str) -> Result<(), ApiError> {
        let live = self.managed(id, token, "delete the session")?;
        self.erase(&live).await
    }

    /// Deletes a session and everything stored of it: its tokens stop working, its rooms
    /// close, and the store deletes its records and documents for good.
    pub(crate) async fn erase(&self, live: &Live) -> Result<(), ApiError> {
        let prefix = format!("sessie/{}/", live.id);
        self.forget(&live.id);
        // No connection or server edit writes to its rooms after this: the store's delete,
        // queued behind every update, is the last word. Screens are closed once it is done.
        let closing = self.rooms.close_all(&prefix);
        let id = live.id.clone();
        let deleted = self
            .store
            .call(move |s| s.delete_session(&id, &prefix))
            .await
            .map_err(internal);
        closing.close(DELETED);
        deleted?;
        tracing::info!(session = %live.id, "session deleted");
        Ok(())
    }

    /// Asks every session whether it is due to end or to be deleted, and does it.
    pub async fn sweep(&self) {
        let policy = self.policy;
        for live in self.all() {
            if let Err(error) = self.apply(&live, Command::Tick(policy)).await {
                tracing::error!(session = %live.id, %error, "could not end or delete a session");
            }
        }
    }

    /// Sweeps every `every` until the server stops.
    pub fn sweep_every(self: &Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        let sessions = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                let Some(sessions) = sessions.upgrade() else {
                    return;
                };
                sessions.sweep().await;
            }
        })
    }
}
