//! Carrying out what a session's state machine decided ([`Effect`]), and the reads of its
//! documents that exports and the facilitator's "who has written" need. Only IO here: which
//! notes, boards and pairs is the core's to say.

use std::collections::BTreeMap;

use draaiboeken::board;
use draaiboeken::export::{self, SessionExport};
use draaiboeken::proces;
use draaiboeken::sessie::{self, Effect, Reveal, SessionDoc};

use crate::error::ApiError;
use crate::sessions::{Live, Sessions, agenda_room, internal, stored_json};

impl Sessions {
    /// Carries out `effects` in order; the first that fails stops the rest.
    pub(crate) async fn execute(&self, live: &Live, effects: Vec<Effect>) -> Result<(), ApiError> {
        for effect in effects {
            match effect {
                Effect::Store(stored) => {
                    let json = stored_json(&stored)?;
                    let id = live.id.clone();
                    self.store
                        .call(move |s| s.save_agenda(&id, &json))
                        .await
                        .map_err(internal)?;
                }
                Effect::Publish { steps } => self.publish(live, steps).await,
                Effect::PublishMember(member) => self.publish_member(live, &member).await,
                Effect::Reauthorize => self.rooms.reauthorize(&format!("sessie/{}/", live.id)),
                Effect::Reveal(reveals) => self.reveal(live, reveals).await?,
                Effect::CarryOver { from, to } => self.carry_over(live, &from, &to).await?,
                Effect::WritePair { board, info } => self
                    .rooms
                    .edit(&board.room(&live.id), |doc| board::write_pair(doc, &info))
                    .await
                    .map_err(internal)?,
                Effect::Delete => self.erase(live).await?,
                Effect::Forget(member) => self.forget_member(live, &member).await?,
                Effect::Disown {
                    boards,
                    member,
                    notes,
                } => self.disown(live, boards, &member, notes).await?,
                Effect::DeleteDocs(docs) => self.delete_docs(live, docs).await?,
            }
        }
        Ok(())
    }

    /// Copies each member's private notes onto the board the core named, with the member as
    /// author. Notes already there are not copied again.
    async fn reveal(&self, live: &Live, reveals: Vec<Reveal>) -> Result<(), ApiError> {
        let mut by_board: BTreeMap<String, Vec<board::Note>> = BTreeMap::new();
        for r in reveals {
            let notes = self
                .rooms
                .read(&r.from.room(&live.id), board::read_notes)
                .await
                .map_err(internal)?;
            if notes.len() > sessie::MAX_REVEALED_PER_MEMBER {
                tracing::warn!(session = %live.id, member = %r.author, notes = notes.len(),
                    "more private notes than a reveal takes; the rest stay private");
            }
            by_board
                .entry(r.to.room(&live.id))
                .or_default()
                .extend(sessie::revealed(notes, &r.author));
        }
        for (room, notes) in by_board {
            self.rooms
                .edit(&room, |doc| board::add_missing_notes(doc, &notes))
                .await
                .map_err(internal)?;
        }
        tracing::info!(session = %live.id, "notes revealed");
        Ok(())
    }

    /// Copies the process map of `from` into `to`, unless `to` carries one already.
    async fn carry_over(
        &self,
        live: &Live,
        from: &SessionDoc,
        to: &SessionDoc,
    ) -> Result<(), ApiError> {
        let target = to.room(&live.id);
        if self
            .rooms
            .read(&target, proces::is_carried)
            .await
            .map_err(internal)?
        {
            return Ok(());
        }
        let bytes = self
            .rooms
            .read(&from.room(&live.id), |doc| {
                yrs::ReadTxn::encode_state_as_update_v1(
                    &yrs::Transact::transact(doc),
                    &yrs::StateVector::default(),
                )
            })
            .await
            .map_err(internal)?;
        let name = from.name();
        self.rooms
            .edit(&target, |doc| {
                if let Err(e) = proces::carry_over(doc, &bytes, &name) {
                    tracing::warn!(error = %e, "a stored process map could not be read");
                }
            })
            .await
            .map_err(internal)?;
        tracing::info!(session = %live.id, to = %to.name(), from = %name, "process map carried over");
        Ok(())
    }

    /// Writes the agenda and control state into the session's control document, for every
    /// screen; the steps too with `steps` (they never change after creation).
    async fn publish(&self, live: &Live, steps: bool) {
        let (state, control, steps) = {
            let core = live.core.lock();
            (
                serde_json::to_string(core.agenda()).unwrap_or_default(),
                serde_json::to_string(core.control()).unwrap_or_default(),
                steps.then(|| serde_json::to_string(&core.steps).unwrap_or_default()),
            )
        };
        let room = agenda_room(&live.id);
        let mut entries = vec![("state", state.as_str()), ("control", control.as_str())];
        if let Some(steps) = &steps {
            entries.push(("steps", steps.as_str()));
        }
        if let Err(error) = self.rooms.set_strings(&room, "agenda", &entries).await {
            tracing::error!(room = %room, %error, "could not publish the agenda");
        }
    }

    /// Writes one member (name, role, online) into the facilitator's members document, under
    /// the member's id: a join or a phone going offline is one small update. Phones don't get
    /// this document.
    pub(crate) async fn publish_member(&self, live: &Live, member: &str) {
        if self.session(&live.id).is_none() {
            return; // deleted: nothing of it is written again
        }
        let Some(info) = live.member_infos().into_iter().find(|m| m.id == member) else {
            return;
        };
        let json = serde_json::to_string(&info).unwrap_or_default();
        let room = SessionDoc::Members.room(&live.id);
        if let Err(error) = self
            .rooms
            .set_strings(&room, "leden", &[(member, &json)])
            .await
        {
            tracing::error!(room = %room, %error, "could not publish a member");
        }
    }

    /// How many private notes each member has written in the running step, when it is private
    /// and not yet revealed (else no step and nothing): the facilitator waits for everyone.
    pub(crate) async fn written(
        &self,
        live: &Live,
    ) -> Result<(Option<usize>, BTreeMap<String, usize>), ApiError> {
        let (step, docs) = {
            let core = live.core.lock();
            let step = core.unrevealed_step();
            (step, step.map(|s| core.own_docs(s)).unwrap_or_default())
        };
        let mut written = BTreeMap::new();
        for (member, doc) in docs {
            let n = self
                .rooms
                .read(&doc.room(&live.id), |doc| board::read_notes(doc).len())
                .await
                .map_err(internal)?;
            written.insert(member, n);
        }
        Ok((step, written))
    }

    /// Everything the session produced so far, from the boards the core names.
    pub(crate) async fn export(&self, live: &Live) -> Result<SessionExport, ApiError> {
        let wanted = live.core.lock().export_boards();
        let mut read = Vec::with_capacity(wanted.len());
        for (step, group) in wanted {
            let room = SessionDoc::Board { step, group }.room(&live.id);
            let map = self
                .rooms
                .read(&room, proces::read)
                .await
                .map_err(internal)?;
            read.push((step, group, map));
        }
        let members = live.member_infos();
        let core = live.core.lock().clone();
        let boards = core.exported(read);
        Ok(export::of_session(&core, boards, &members, self.now_ms()))
    }
}
