//! Carrying out a session's end and deletion, and the sweep that asks every session whether
//! it is due to end or to be deleted ([`Command::Tick`]). When is the core's to say
//! (`sessie::lifecycle`); here are who may ask, and the IO.

use std::sync::Arc;
use std::time::Duration;

use draaiboeken::board;
use draaiboeken::sessie::{Command, RemovedNotes, SessionDoc};

use crate::api::Caller;
use crate::error::ApiError;
use crate::sessions::{Live, Sessions, internal};

/// Why the connections of a deleted session close.
const DELETED: &str = "this session was deleted";
/// Why the connections to a removed member's own documents close.
const REMOVED: &str = "this member was removed from the session";

impl Sessions {
    /// Ends session `id` now (its facilitator or an organiser): no one joins any more,
    /// participants' tokens stop working and their connections close.
    pub async fn end(&self, id: &str, caller: &Caller) -> Result<Arc<Live>, ApiError> {
        let live = self.managed(id, caller, "end the session")?;
        self.apply(&live, Command::End).await?;
        tracing::info!(session = %live.id, "session ended");
        Ok(live)
    }

    /// Deletes session `id` now (an organiser, or its facilitator).
    pub async fn delete(&self, id: &str, caller: &Caller) -> Result<(), ApiError> {
        let live = self.managed(id, caller, "delete the session")?;
        self.erase(&live).await
    }

    /// Removes member `member` from session `id` (its facilitator or an organiser): their name
    /// goes from every board and export, their post-its stay without a name or go.
    pub async fn remove_member(
        &self,
        id: &str,
        caller: &Caller,
        member: &str,
        notes: RemovedNotes,
    ) -> Result<(), ApiError> {
        let live = self.managed(id, caller, "remove a member")?;
        let command = Command::Remove {
            member: member.to_owned(),
            notes,
        };
        self.apply(&live, command).await?;
        tracing::info!(session = %live.id, member, "member removed");
        Ok(())
    }

    /// Forgets a removed member: their record, their tokens, their entry in the members
    /// document (whose stored history is rewritten without it).
    pub(crate) async fn forget_member(&self, live: &Live, member: &str) -> Result<(), ApiError> {
        let id = member.to_owned();
        self.store
            .call(move |s| s.delete_member(&id))
            .await
            .map_err(internal)?;
        self.forget_tokens_of(&live.id, member);
        let room = SessionDoc::Members.room(&live.id);
        self.rooms
            .edit(&room, |doc| {
                let leden = doc.get_or_insert_map("leden");
                yrs::Map::remove(&leden, &mut yrs::Transact::transact_mut(doc), member);
            })
            .await
            .map_err(internal)?;
        self.rooms.rewrite(&room).await.map_err(internal)
    }

    /// On each board, the member's post-its lose their writer or go; each board's stored
    /// history is then its state alone.
    pub(crate) async fn disown(
        &self,
        live: &Live,
        boards: Vec<SessionDoc>,
        member: &str,
        notes: RemovedNotes,
    ) -> Result<(), ApiError> {
        let keep = notes == RemovedNotes::Anonymous;
        for doc in boards {
            let room = doc.room(&live.id);
            self.rooms
                .edit(&room, |doc| board::disown(doc, member, keep))
                .await
                .map_err(internal)?;
            self.rooms.rewrite(&room).await.map_err(internal)?;
        }
        Ok(())
    }

    /// Deletes documents and everything stored of them, then makes what was deleted or
    /// rewritten unreadable from the store's files; their connections close after that.
    pub(crate) async fn delete_docs(
        &self,
        live: &Live,
        docs: Vec<SessionDoc>,
    ) -> Result<(), ApiError> {
        let rooms: Vec<String> = docs.iter().map(|d| d.room(&live.id)).collect();
        let closing = self
            .rooms
            .close_where(|name| rooms.iter().any(|r| r == name));
        let deleted = self
            .store
            .call(move |s| {
                s.delete_rooms(&rooms)?;
                s.forget_freed()
            })
            .await
            .map_err(internal);
        closing.close(REMOVED);
        deleted
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
