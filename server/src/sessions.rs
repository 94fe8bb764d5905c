//! Live sessions: the core's [`Session`] state machines, kept in memory and in the store (all
//! loaded at start), with what only a server has: tokens, join codes, who is online, the clock.
//!
//! Every decision is the core's: a command goes to [`Session::apply`] under the session's lock,
//! and the [`Effect`]s it returns are carried out here in order (`effects.rs`): stored, published
//! to the session's control document (`sessie/{id}/agenda`, which participants read but don't
//! write), access decided again for every open connection, notes copied as the server. Tokens
//! are random capabilities (256 bits); only their SHA-256 is kept, and they never reach a log.

use std::collections::HashMap;
use std::sync::Arc;

use draaiboeken::agenda::{self, Millis};
use draaiboeken::draaiboek;
use draaiboeken::i18n::RefusalCode;
use draaiboeken::sessie::lifecycle::Policy;
use draaiboeken::sessie::{
    Command, ControlCommand, Effect, Member, MemberInfo, Session, SessionDoc, Stored, Who,
};
use draaiboeken::sync::Access;
use parking_lot::Mutex;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::api::{Caller, Created, Joined};
use crate::auth::Denied;
use crate::error::ApiError;
use crate::library::Library;
use crate::rooms::Rooms;
use crate::storage::worker::StoreHandle;
use crate::storage::{MemberRecord, SessionRecord, StoreError};

mod codes;
mod links;
pub(crate) use codes::NO_SUCH_PROJECTOR_CODE;
pub use links::{ConsoleLink, HandedOver};

/// Letters and digits that can't be mistaken for one another on a phone keyboard or a projector.
const CODE_ALPHABET: &[u8] = b"ACDEFHJKMNPRTUVWXY34679";
pub const CODE_LEN: usize = 6;

/// The server's clock, replaceable in tests.
pub trait Clock: Send + Sync + 'static {
    fn now_ms(&self) -> Millis;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> Millis {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as Millis)
    }
}

/// Who a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `token`: the SHA-256 of the link's token, so a rotated link stops working at once.
    Facilitator {
        session: String,
        token: [u8; 32],
    },
    Participant {
        session: String,
        member: String,
    },
    /// The room's screen (see [`crate::projector`]): reads what the room may see. `token` as
    /// for the facilitator.
    Projector {
        session: String,
        token: [u8; 32],
    },
}

impl Principal {
    /// Who this is to the core of its session.
    fn who(&self, core: &Session) -> Who {
        match self {
            Principal::Facilitator { .. } => Who::Facilitator,
            Principal::Participant { member, .. } => core.who(member),
            Principal::Projector { .. } => Who::Projector,
        }
    }

    pub(crate) fn session(&self) -> &str {
        match self {
            Principal::Facilitator { session, .. }
            | Principal::Participant { session, .. }
            | Principal::Projector { session, .. } => session,
        }
    }
}

/// A running session: the core's state machine, and who has a screen connected.
pub struct Live {
    pub id: String,
    pub code: String,
    pub(crate) core: Mutex<Session>,
    /// The account that made it or was handed it (see [`crate::accounts::Staff::manages`]).
    owner: Mutex<Option<String>>,
    /// Open agenda connections per member: a member with one is online.
    online: Mutex<HashMap<String, usize>>,
}

impl Live {
    fn new(session: Session, owner: Option<String>) -> Live {
        Live {
            id: session.id.clone(),
            code: session.code.clone(),
            core: Mutex::new(session),
            owner: Mutex::new(owner),
            online: Mutex::new(HashMap::new()),
        }
    }

    /// The id of the account that owns it, if any.
    pub(crate) fn owner(&self) -> Option<String> {
        self.owner.lock().clone()
    }

    /// The members, with who is online.
    pub(crate) fn member_infos(&self) -> Vec<MemberInfo> {
        let online = self.online.lock();
        self.core
            .lock()
            .member_infos(|id| online.get(id).is_some_and(|n| *n > 0))
    }
}

/// Keeps a member online while a screen of theirs is connected; going offline is published.
pub struct Presence {
    sessions: std::sync::Weak<Sessions>,
    session: Arc<Live>,
    member: String,
}

impl Drop for Presence {
    fn drop(&mut self) {
        let Some(sessions) = self.sessions.upgrade() else {
            return;
        };
        let went_offline = {
            let mut online = self.session.online.lock();
            let n = online.entry(self.member.clone()).or_default();
            *n = n.saturating_sub(1);
            *n == 0
        };
        if went_offline && let Ok(rt) = tokio::runtime::Handle::try_current() {
            let session = self.session.clone();
            let member = self.member.clone();
            rt.spawn(async move { sessions.publish_member(&session, &member).await });
        }
    }
}

/// The name of a session's control document.
pub fn agenda_room(session: &str) -> String {
    SessionDoc::Agenda.room(session)
}

pub struct Sessions {
    inner: Mutex<Inner>,
    pub(crate) store: StoreHandle,
    pub(crate) rooms: Arc<Rooms>,
    library: Arc<Library>,
    clock: Arc<dyn Clock>,
    /// SHA-256 of the organisers' secret, if the server was given one.
    organiser: Option<[u8; 32]>,
    /// Failed join-code attempts per address: codes can't be guessed by trying them all.
    code_guesses: Mutex<draaiboeken::limit::Attempts<std::net::IpAddr>>,
    /// Unknown tokens (a facilitator's, a participant's, the organisers' secret) per address.
    token_guesses: Mutex<draaiboeken::limit::Attempts<std::net::IpAddr>>,
    /// When sessions end on their own and how long their data is kept.
    pub(crate) policy: Policy,
    max_sessions: usize,
    /// Sessions created per address, per hour.
    creations: Mutex<draaiboeken::limit::Attempts<std::net::IpAddr>>,
    /// Held through a hand-over, so the owner in the store and in memory never disagree.
    handing_over: tokio::sync::Mutex<()>,
}

/// How many sessions the server keeps and who may make them, and how long they live.
#[derive(Debug, Clone, Copy)]
pub struct Quotas {
    pub policy: Policy,
    pub max_sessions: usize,
    pub per_address_per_hour: u32,
}

/// Wrong join codes one address may try per window before it has to wait. Generous, because a
/// hall of phones behind one venue router shares an address and people mistype; one address
/// guessing at this pace would still need over ten years, on average, to hit one session.
pub const CODE_GUESSES_PER_WINDOW: u32 = 100;
/// The window for [`CODE_GUESSES_PER_WINDOW`]: ten minutes.
pub const CODE_GUESS_WINDOW_MS: Millis = 10 * 60_000;

#[derive(Default)]
struct Inner {
    by_id: HashMap<String, Arc<Live>>,
    by_code: HashMap<String, String>,
    tokens: HashMap<[u8; 32], Principal>,
    /// Projector codes (see [`crate::projector`]) to session ids.
    by_projector_code: HashMap<String, String>,
    /// Each session's facilitator link, hashed.
    facilitators: HashMap<String, [u8; 32]>,
    /// Each session's console tokens (see `links.rs`), hashed, with the account each is for.
    consoles: HashMap<String, Vec<(String, [u8; 32])>>,
}

impl Inner {
    /// Makes `token` (a hash) session `session`'s facilitator link, and the projector's token
    /// and code that follow from it; those of an earlier link stop working.
    fn set_facilitator(&mut self, session: &str, token: [u8; 32]) {
        if let Some(old) = self.facilitators.insert(session.to_owned(), token) {
            self.revoke_consoles(session, |_| true);
            let projector = crate::projector::token(&old);
            self.tokens.remove(&old);
            self.tokens.remove(&hash(&projector));
            let code = crate::projector::code(&projector);
            if self
                .by_projector_code
                .get(&code)
                .is_some_and(|s| s == session)
            {
                self.by_projector_code.remove(&code);
            }
        }
        self.tokens.insert(
            token,
            Principal::Facilitator {
                session: session.to_owned(),
                token,
            },
        );
        let projector = crate::projector::token(&token);
        self.tokens.insert(
            hash(&projector),
            Principal::Projector {
                session: session.to_owned(),
                token: hash(&projector),
            },
        );
        let code = crate::projector::code(&projector);
        match self.by_projector_code.entry(code) {
            std::collections::hash_map::Entry::Occupied(_) => tracing::warn!(
                session,
                "projector code taken by another session; a new facilitator link makes another"
            ),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(session.to_owned());
            }
        }
    }
}

/// The answer to an address that has to wait `ms` before it tries again.
pub(crate) fn too_many(ms: Millis) -> ApiError {
    ApiError::TooManyRequests {
        retry_after_secs: (ms.max(0) as u64).div_ceil(1000).max(1),
    }
}

/// The SHA-256 of a token: all that is kept of one.
pub(crate) fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A new random token: 256 bits, as hex.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[(rng.next_u32() as usize) % CODE_ALPHABET.len()] as char)
        .collect()
}

pub(crate) fn internal(e: impl std::error::Error + Send + Sync + 'static) -> ApiError {
    ApiError::Internal(Box::new(e))
}

/// The `agenda` column's JSON.
pub(crate) fn stored_json(stored: &Stored) -> Result<String, ApiError> {
    serde_json::to_string(stored).map_err(internal)
}

impl Sessions {
    /// Loads every stored session.
    pub async fn load(
        store: StoreHandle,
        rooms: Arc<Rooms>,
        library: Arc<Library>,
        clock: Arc<dyn Clock>,
        organiser_secret: Option<&str>,
        quotas: Quotas,
    ) -> Result<Arc<Self>, StoreError> {
        let (records, members) = store.call(|s| s.load_sessions()).await?;
        // An owner's console comes back after a restart only while the account exists.
        let accounts: std::collections::HashSet<String> = store
            .call(|s| s.accounts())
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        let mut inner = Inner::default();
        let mut by_session: HashMap<String, Vec<MemberRecord>> = HashMap::new();
        for m in members {
            by_session.entry(m.session_id.clone()).or_default().push(m);
        }
        for r in records {
            let draaiboek = match draaiboek::parse(&r.draaiboek_file, &r.draaiboek_source) {
                Ok(d) => d,
                Err(error) => {
                    tracing::error!(session = %r.id, %error, "stored draaiboek no longer parses; session skipped");
                    continue;
                }
            };
            let stored: Stored = serde_json::from_str(&r.agenda).unwrap_or_else(|error| {
                tracing::error!(session = %r.id, %error, "stored agenda unreadable; starting over");
                Session::new(r.id.clone(), r.code.clone(), draaiboek.clone(), 0).stored()
            });
            let token: [u8; 32] = r
                .facilitator_token_hash
                .as_slice()
                .try_into()
                .unwrap_or([0; 32]);
            inner.set_facilitator(&r.id, token);
            if let Some(owner) = r.owner.as_ref().filter(|o| accounts.contains(*o)) {
                // The owner's console (opened from `/o`) keeps working across a restart.
                inner.add_console(&r.id, owner);
            }
            let members = by_session
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|m| {
                    inner.tokens.insert(
                        m.token_hash.as_slice().try_into().unwrap_or([0; 32]),
                        Principal::Participant {
                            session: r.id.clone(),
                            member: m.id.clone(),
                        },
                    );
                    Member {
                        id: m.id,
                        name: m.name,
                        role: m.role,
                        joined_at: m.joined_at,
                    }
                })
                .collect();
            inner.by_code.insert(r.code.clone(), r.id.clone());
            let session = Session::restore(r.id, r.code, draaiboek, r.created_at, stored, members);
            inner
                .by_id
                .insert(session.id.clone(), Arc::new(Live::new(session, r.owner)));
        }
        tracing::info!(sessions = inner.by_id.len(), "sessions loaded");
        Ok(Arc::new(Self {
            inner: Mutex::new(inner),
            store,
            rooms,
            library,
            clock,
            organiser: organiser_secret.map(hash),
            code_guesses: Mutex::new(draaiboeken::limit::Attempts::new(
                CODE_GUESSES_PER_WINDOW,
                CODE_GUESS_WINDOW_MS,
                100_000,
            )),
            token_guesses: Mutex::new(draaiboeken::limit::Attempts::new(
                CODE_GUESSES_PER_WINDOW,
                CODE_GUESS_WINDOW_MS,
                100_000,
            )),
            policy: quotas.policy,
            max_sessions: quotas.max_sessions,
            creations: Mutex::new(draaiboeken::limit::Attempts::new(
                quotas.per_address_per_hour,
                60 * 60_000,
                100_000,
            )),
            handing_over: tokio::sync::Mutex::new(()),
        }))
    }

    pub fn now_ms(&self) -> Millis {
        self.clock.now_ms()
    }

    /// Who `token` is, if anyone.
    pub fn principal(&self, token: &str) -> Option<Principal> {
        self.inner.lock().tokens.get(&hash(token)).cloned()
    }

    pub(crate) fn session(&self, id: &str) -> Option<Arc<Live>> {
        self.inner.lock().by_id.get(id).cloned()
    }

    /// The hash of session `id`'s facilitator link.
    pub(crate) fn current_facilitator_hash(&self, id: &str) -> Option<[u8; 32]> {
        self.inner.lock().facilitators.get(id).copied()
    }

    /// Forgets the tokens of member `member` of session `session`.
    pub(crate) fn forget_tokens_of(&self, session: &str, member: &str) {
        self.inner.lock().tokens.retain(|_, p| {
            !matches!(p, Principal::Participant { session: s, member: m } if s == session && m == member)
        });
    }

    /// Forgets session `id` and every token of it; the session is returned, if it was there.
    pub(crate) fn forget(&self, id: &str) -> Option<Arc<Live>> {
        let mut inner = self.inner.lock();
        let live = inner.by_id.remove(id)?;
        inner.by_code.remove(&live.code);
        inner.tokens.retain(|_, p| p.session() != id);
        inner.by_projector_code.retain(|_, s| s != id);
        inner.facilitators.remove(id);
        inner.consoles.remove(id);
        Some(live)
    }

    /// Every session, for organisers.
    pub(crate) fn all(&self) -> Vec<Arc<Live>> {
        self.inner.lock().by_id.values().cloned().collect()
    }

    /// Access to a session room (`sessie/{id}/…`) with `token`, and who the token belongs to.
    pub fn room_access(
        &self,
        room: &str,
        token: Option<&str>,
    ) -> Result<(Access, Principal), Denied> {
        let token = token
            .ok_or_else(|| Denied("join the session first: this room needs a token".into()))?;
        let principal = self
            .principal(token)
            .ok_or_else(|| Denied("this token is not valid".into()))?;
        let access = self.access_for(&principal, room)?;
        Ok((access, principal))
    }

    /// What `principal` may do in `room` now (the core decides). Asked again whenever the
    /// session moves on ([`Effect::Reauthorize`]).
    pub fn access_for(&self, principal: &Principal, room: &str) -> Result<Access, Denied> {
        let mut parts = room.splitn(3, '/');
        let (Some("sessie"), Some(session), Some(doc)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Denied(
                "session rooms are named sessie/{id}/{document}".into(),
            ));
        };
        if principal.session() != session {
            return Err(Denied("this token does not belong to this session".into()));
        }
        if let Principal::Facilitator { token, .. } | Principal::Projector { token, .. } = principal
            && !self.inner.lock().tokens.contains_key(token)
        {
            return Err(Denied("this link was replaced by a new one".into()));
        }
        let doc = SessionDoc::parse(doc).ok_or_else(|| {
            Denied("no such document in a session: use agenda or blok/{n}[/…]".into())
        })?;
        let live = self
            .session(session)
            .ok_or_else(|| Denied("no such session".into()))?;
        let core = live.core.lock();
        let who = principal.who(&core);
        core.access(&who, &doc)
            .map_err(|refusal| Denied(refusal.to_string()))
    }

    /// Marks a participant online while the returned guard lives (a screen of theirs is
    /// connected to the session's agenda).
    pub async fn presence(self: &Arc<Self>, principal: &Principal) -> Option<Presence> {
        let Principal::Participant { session, member } = principal else {
            return None;
        };
        let s = self.session(session)?;
        let came_online = {
            let mut online = s.online.lock();
            let n = online.entry(member.clone()).or_default();
            *n += 1;
            *n == 1
        };
        if came_online {
            self.publish_member(&s, member).await;
        }
        Some(Presence {
            sessions: Arc::downgrade(self),
            session: s,
            member: member.clone(),
        })
    }

    /// A new session of draaiboek `draaiboek_id`, kept `retention_days` after its end (default:
    /// the server's).
    pub async fn create(
        &self,
        draaiboek_id: &str,
        retention_days: Option<u32>,
        owner: &str,
        from: std::net::IpAddr,
    ) -> Result<Created, ApiError> {
        if self.inner.lock().by_id.len() >= self.max_sessions {
            tracing::warn!("the server keeps as many sessions as it may; one refused");
            return Err(ApiError::Refused(
                RefusalCode::ServerFull,
                format!(
                    "this server keeps {} sessions, its most; an organiser deletes old ones first",
                    self.max_sessions
                ),
            ));
        }
        self.creations
            .lock()
            .count(from, self.now_ms())
            .map_err(|ms| {
                tracing::warn!(%from, "too many sessions created from one address");
                too_many(ms)
            })?;
        let entry = self.library.get(draaiboek_id).ok_or_else(|| {
            ApiError::NotFound(format!(
                "no draaiboek with id `{draaiboek_id}`; GET /api/draaiboeken lists them"
            ))
        })?;
        // A facilitator link whose projector code is free.
        let mut token = new_token();
        for _ in 0..8 {
            let code = crate::projector::code(&crate::projector::token(&hash(&token)));
            if !self.inner.lock().by_projector_code.contains_key(&code) {
                break;
            }
            token = new_token();
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        let now = self.now_ms();
        // A fresh code can collide with a live one; try a few.
        let mut code = new_code();
        for _ in 0..8 {
            if !self.inner.lock().by_code.contains_key(&code) {
                break;
            }
            code = new_code();
        }
        let mut session = Session::new(id.clone(), code.clone(), entry.draaiboek.clone(), now);
        if let Some(days) = retention_days {
            session.retain_for(days)?;
        }
        let record = SessionRecord {
            id: id.clone(),
            code: code.clone(),
            draaiboek_file: entry.file.clone(),
            draaiboek_source: entry.source.clone(),
            facilitator_token_hash: hash(&token).to_vec(),
            agenda: stored_json(&session.stored())?,
            created_at: now,
            owner: Some(owner.to_owned()),
        };
        self.store
            .call(move |s| s.insert_session(&record))
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    ApiError::Conflict("could not find a free code; try again".into())
                }
                e => internal(e),
            })?;
        let live = Arc::new(Live::new(session, Some(owner.to_owned())));
        {
            let mut inner = self.inner.lock();
            inner.set_facilitator(&id, hash(&token));
            inner.by_code.insert(code.clone(), id.clone());
            inner.by_id.insert(id.clone(), live.clone());
        }
        self.execute(&live, vec![Effect::Publish { steps: true }])
            .await?;
        tracing::info!(session = %id, draaiboek = %draaiboek_id, "session created");
        Ok(Created {
            facilitator_url: format!("/f/{id}#{token}"),
            join_url: format!("/j/{code}"),
            id,
            code,
            facilitator_token: token,
        })
    }

    /// Someone joins with the code: checked by the core, stored, then a member.
    pub async fn join(
        &self,
        code: &str,
        name: &str,
        role: &str,
        from: std::net::IpAddr,
    ) -> Result<Joined, ApiError> {
        let live = self.by_code(code, from)?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let member = live.core.lock().admit(id, name, role, self.now_ms())?;
        let token = new_token();
        let record = MemberRecord {
            id: member.id.clone(),
            session_id: live.id.clone(),
            name: member.name.clone(),
            role: member.role.clone(),
            token_hash: hash(&token).to_vec(),
            joined_at: member.joined_at,
        };
        self.store
            .call(move |s| s.insert_member(&record))
            .await
            .map_err(internal)?;
        let member_id = member.id.clone();
        let effects = live
            .core
            .lock()
            .apply(Command::Join(member), self.now_ms())?;
        self.inner.lock().tokens.insert(
            hash(&token),
            Principal::Participant {
                session: live.id.clone(),
                member: member_id.clone(),
            },
        );
        self.execute(&live, effects).await?;
        Ok(Joined {
            session_id: live.id.clone(),
            member_id,
            token,
        })
    }

    /// The session `id`, if `token` may see it, and whose token it is.
    pub(crate) fn authorised(
        &self,
        id: &str,
        token: &str,
    ) -> Result<(Arc<Live>, Principal), ApiError> {
        let principal = self
            .principal(token)
            .ok_or_else(|| ApiError::Unauthorized("this token is not valid".into()))?;
        if principal.session() != id {
            return Err(ApiError::Forbidden(
                "this token belongs to another session".into(),
            ));
        }
        let session = self
            .session(id)
            .ok_or_else(|| ApiError::NotFound("no such session".into()))?;
        let core = session.core.lock();
        let who = principal.who(&core);
        core.admits(&who).map_err(|refusal| match refusal {
            draaiboeken::sessie::Refusal::Ended => {
                ApiError::Refused(RefusalCode::Ended, refusal.to_string())
            }
            draaiboeken::sessie::Refusal::NoMember => {
                ApiError::Refused(RefusalCode::Removed, refusal.to_string())
            }
            _ => ApiError::Gone(refusal.to_string()),
        })?;
        drop(core);
        Ok((session, principal))
    }

    /// A facilitator's agenda command.
    pub async fn command(
        &self,
        id: &str,
        token: &str,
        command: agenda::Command,
    ) -> Result<Arc<Live>, ApiError> {
        let live = self.facilitated(id, token, "steer the agenda")?;
        self.apply(&live, Command::Agenda(command)).await?;
        Ok(live)
    }

    /// A facilitator's control command: reveal, lock, projector, groups, pairs, the floor.
    pub async fn control(
        &self,
        id: &str,
        token: &str,
        command: ControlCommand,
    ) -> Result<Arc<Live>, ApiError> {
        let live = self.facilitated(id, token, "reveal, lock or make groups")?;
        self.apply(&live, Command::Control(command)).await?;
        Ok(live)
    }

    /// Applies `command` to the session under its lock, then carries out what it asks.
    pub(crate) async fn apply(&self, live: &Live, command: Command) -> Result<(), ApiError> {
        let effects = live.core.lock().apply(command, self.now_ms())?;
        self.execute(live, effects).await
    }

    /// The session `id`, if `caller` is its facilitator (by its link) or manages it (an
    /// organiser, or the account that made it). The one place that answers who may manage a
    /// session: export, end, delete it, remove its members.
    pub(crate) fn managed(
        &self,
        id: &str,
        caller: &Caller,
        what: &str,
    ) -> Result<Arc<Live>, ApiError> {
        if let Some(staff) = &caller.staff {
            let live = self
                .session(id)
                .ok_or_else(|| ApiError::NotFound("no such session".into()))?;
            if staff.manages(live.owner().as_deref()) {
                return Ok(live);
            }
        }
        match (caller.token(), &caller.staff) {
            (Ok(token), _) => self.facilitated(id, token, &format!("{what} (or an organiser)")),
            (Err(_), Some(_)) => Err(ApiError::Forbidden(format!(
                "only an organiser, or the facilitator who started this session, can {what}"
            ))),
            (Err(_), None) => Err(ApiError::Unauthorized(format!(
                "to {what}, send the facilitator's token, or sign in as an organiser"
            ))),
        }
    }

    /// The session, if `token` is its facilitator's.
    pub(crate) fn facilitated(
        &self,
        id: &str,
        token: &str,
        what: &str,
    ) -> Result<Arc<Live>, ApiError> {
        let (session, principal) = self.authorised(id, token)?;
        if !matches!(principal, Principal::Facilitator { .. }) {
            return Err(ApiError::Forbidden(format!(
                "only the facilitator can {what}"
            )));
        }
        Ok(session)
    }
}
