//! Live sessions: a draaiboek being run, its members, its agenda, and who may do what.
//!
//! Sessions are kept in memory and in the store; all are loaded at start. Tokens are random
//! capabilities (256 bits); only their SHA-256 is kept, and they never reach a log. The agenda
//! is changed only here, by the facilitator's commands, and published to the session's control
//! document (`sessie/{id}/agenda`), which participants may read but not write.

use std::collections::HashMap;
use std::sync::Arc;

use draaiboeken::agenda::{self, AgendaState, AgendaView, Command, CommandError, Millis, Step};
use draaiboeken::board;
use draaiboeken::draaiboek::{self, Draaiboek};
use draaiboeken::export::{self, SessionExport};
use draaiboeken::proces;
use draaiboeken::sessie::{self, Control, ControlCommand, MemberInfo, SessionDoc, Who};
use draaiboeken::sync::Access;
use parking_lot::Mutex;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::Denied;
use crate::error::ApiError;
use crate::library::Library;
use crate::rooms::Rooms;
use crate::storage::worker::StoreHandle;
use crate::storage::{MemberRecord, SessionRecord, StoreError};

/// Letters and digits that can't be mistaken for one another on a phone keyboard or a projector.
const CODE_ALPHABET: &[u8] = b"ACDEFHJKMNPRTUVWXY34679";
pub const CODE_LEN: usize = 6;
/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

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
}

impl Principal {
    fn session(&self) -> &str {
        match self {
            Principal::Facilitator { session, .. } | Principal::Participant { session, .. } => {
                session
            }
        }
    }

    /// Who this is to the core, with the member's role as the session knows it.
    fn who(&self, members: &[Member]) -> Who {
        match self {
            Principal::Facilitator { .. } => Who::Facilitator,
            Principal::Participant { member, .. } => Who::Participant {
                member: member.clone(),
                civil: members
                    .iter()
                    .any(|m| &m.id == member && m.role == sessie::CIVIL_SERVANT),
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: String,
    pub joined_at: Millis,
}

pub struct Session {
    pub id: String,
    pub code: String,
    pub draaiboek: Draaiboek,
    pub steps: Vec<Step>,
    pub created_at: Millis,
    state: Mutex<SessionState>,
}

struct SessionState {
    agenda: AgendaState,
    control: Control,
    members: Vec<Member>,
    /// Open agenda connections per member: a member with one is online.
    online: HashMap<String, usize>,
}

/// What is stored of a session's state (the `agenda` column): the agenda, and the facilitator's
/// decisions beside it. Rows from before `control` existed read as an empty control.
#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(flatten)]
    agenda: AgendaState,
    #[serde(default)]
    control: Control,
}

impl Stored {
    /// The `agenda` column's JSON.
    fn json(agenda: &AgendaState, control: &Control) -> Result<String, ApiError> {
        serde_json::to_string(&Stored {
            agenda: agenda.clone(),
            control: control.clone(),
        })
        .map_err(|e| ApiError::Internal(Box::new(e)))
    }
}

impl SessionState {
    fn member_info(&self, m: &Member) -> MemberInfo {
        MemberInfo {
            id: m.id.clone(),
            name: m.name.clone(),
            role: m.role.clone(),
            online: self.online.get(&m.id).is_some_and(|n| *n > 0),
            joined_at: m.joined_at,
        }
    }

    fn member_infos(&self) -> Vec<MemberInfo> {
        self.members.iter().map(|m| self.member_info(m)).collect()
    }
}

/// Keeps a member online while a screen of theirs is connected; going offline is published.
pub struct Presence {
    sessions: std::sync::Weak<Sessions>,
    session: Arc<Session>,
    member: String,
}

impl Drop for Presence {
    fn drop(&mut self) {
        let Some(sessions) = self.sessions.upgrade() else {
            return;
        };
        let went_offline = {
            let mut state = self.session.state.lock();
            let n = state.online.entry(self.member.clone()).or_default();
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

/// The names of a session's shared documents.
pub fn agenda_room(session: &str) -> String {
    format!("sessie/{session}/agenda")
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: String,
    pub code: String,
    /// Keep it secret: whoever has it steers the session.
    pub facilitator_token: String,
    /// The console; the token travels in the fragment, which browsers don't send to servers.
    pub facilitator_url: String,
    pub join_url: String,
}

/// A facilitator link made anew.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Rotated {
    pub facilitator_token: String,
    pub facilitator_url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JoinInfo {
    pub code: String,
    pub title: draaiboeken::draaiboek::Text,
    pub roles: Vec<draaiboeken::draaiboek::Role>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Joined {
    pub session_id: String,
    pub member_id: String,
    pub token: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum You {
    Facilitator,
    Participant {
        member_id: String,
        name: String,
        role: String,
    },
}

/// A session as organisers see it in the list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionSummary {
    pub id: String,
    pub code: String,
    pub draaiboek: String,
    pub title: draaiboeken::draaiboek::Text,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    pub members: usize,
}

/// Private notes written per member in the current step (see [`Sessions::written`]).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Written {
    /// The current step, if it is private and not revealed; else `written` is empty.
    pub step: Option<usize>,
    pub written: std::collections::BTreeMap<String, usize>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionRooms {
    pub agenda: String,
}

/// A session as a member sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: String,
    pub code: String,
    pub draaiboek: Draaiboek,
    pub steps: Vec<Step>,
    pub agenda: AgendaView,
    /// The server's clock when this was made; clients derive their clock offset from it.
    pub server_time_ms: Millis,
    /// Everyone who joined (for the facilitator only; a participant sees only themselves).
    pub members: Vec<Member>,
    pub control: Control,
    pub you: You,
    pub rooms: SessionRooms,
}

pub struct Sessions {
    inner: Mutex<Inner>,
    store: StoreHandle,
    rooms: Arc<Rooms>,
    library: Arc<Library>,
    clock: Arc<dyn Clock>,
    /// SHA-256 of the organisers' secret, if the server was given one.
    organiser: Option<[u8; 32]>,
    /// Failed join-code attempts per address: codes can't be guessed by trying them all.
    code_guesses: Mutex<draaiboeken::limit::Attempts<std::net::IpAddr>>,
}

/// Wrong join codes one address may try per window before it has to wait. Generous, because a
/// hall of phones behind one venue router shares an address and people mistype; one address
/// guessing at this pace would still need over ten years, on average, to hit one session.
pub const CODE_GUESSES_PER_WINDOW: u32 = 100;
/// The window for [`CODE_GUESSES_PER_WINDOW`]: ten minutes.
pub const CODE_GUESS_WINDOW_MS: Millis = 10 * 60_000;

#[derive(Default)]
struct Inner {
    by_id: HashMap<String, Arc<Session>>,
    by_code: HashMap<String, String>,
    tokens: HashMap<[u8; 32], Principal>,
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn new_token() -> String {
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

fn internal(e: StoreError) -> ApiError {
    ApiError::Internal(Box::new(e))
}

impl Sessions {
    /// Loads every stored session.
    pub async fn load(
        store: StoreHandle,
        rooms: Arc<Rooms>,
        library: Arc<Library>,
        clock: Arc<dyn Clock>,
        organiser_secret: Option<&str>,
    ) -> Result<Arc<Self>, StoreError> {
        let (records, members) = store.call(|s| s.load_sessions()).await?;
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
            let steps = agenda::steps(&draaiboek);
            let stored: Stored = serde_json::from_str(&r.agenda).unwrap_or_else(|error| {
                tracing::error!(session = %r.id, %error, "stored agenda unreadable; starting over");
                Stored {
                    agenda: AgendaState::new(steps.len()),
                    control: Control::default(),
                }
            });
            let token: [u8; 32] = r
                .facilitator_token_hash
                .as_slice()
                .try_into()
                .unwrap_or([0; 32]);
            inner.tokens.insert(
                token,
                Principal::Facilitator {
                    session: r.id.clone(),
                    token,
                },
            );
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
            inner.by_id.insert(
                r.id.clone(),
                Arc::new(Session {
                    id: r.id,
                    code: r.code,
                    draaiboek,
                    steps,
                    created_at: r.created_at,
                    state: Mutex::new(SessionState {
                        agenda: stored.agenda,
                        control: stored.control,
                        members,
                        online: HashMap::new(),
                    }),
                }),
            );
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
        }))
    }

    pub fn now_ms(&self) -> Millis {
        self.clock.now_ms()
    }

    /// Who `token` is, if anyone.
    pub fn principal(&self, token: &str) -> Option<Principal> {
        self.inner.lock().tokens.get(&hash(token)).cloned()
    }

    /// The session with this join code, as typed (see [`sessie::normalise_code`]) by someone at
    /// address `from`. An address that has tried too many wrong codes waits, even for a right
    /// one: otherwise the answer would still tell a right guess from a wrong one.
    fn by_code(&self, code: &str, from: std::net::IpAddr) -> Result<Arc<Session>, ApiError> {
        let now = self.now_ms();
        let too_many = |ms: Millis| ApiError::TooManyRequests {
            retry_after_secs: (ms.max(0) as u64).div_ceil(1000).max(1),
        };
        self.code_guesses
            .lock()
            .check(&from, now)
            .map_err(too_many)?;
        let code = sessie::normalise_code(code);
        let found = {
            let inner = self.inner.lock();
            inner
                .by_code
                .get(&code)
                .and_then(|id| inner.by_id.get(id))
                .cloned()
        };
        found.ok_or_else(|| {
            if let Err(ms) = self.code_guesses.lock().count(from, now) {
                tracing::warn!(%from, "too many wrong join codes from one address");
                return too_many(ms);
            }
            ApiError::NotFound("no session with this code; check the code on the screen".into())
        })
    }

    fn session(&self, id: &str) -> Option<Arc<Session>> {
        self.inner.lock().by_id.get(id).cloned()
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

    /// What `principal` may do in `room` now. Asked again whenever the session moves on.
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
        if let Principal::Facilitator { token, .. } = principal
            && !self.inner.lock().tokens.contains_key(token)
        {
            return Err(Denied(
                "this facilitator link was replaced by a new one".into(),
            ));
        }
        let doc = SessionDoc::parse(doc).ok_or_else(|| {
            Denied("no such document in a session: use agenda or blok/{n}[/…]".into())
        })?;
        let s = self
            .session(session)
            .ok_or_else(|| Denied("no such session".into()))?;
        let state = s.state.lock();
        if let SessionDoc::Own { member, .. } = &doc
            && !state.members.iter().any(|m| &m.id == member)
        {
            return Err(Denied("no such member in this session".into()));
        }
        sessie::access(
            &principal.who(&state.members),
            &doc,
            &s.steps,
            &state.agenda,
            &state.control,
        )
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
            let mut state = s.state.lock();
            let n = state.online.entry(member.clone()).or_default();
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

    pub async fn create(&self, draaiboek_id: &str) -> Result<Created, ApiError> {
        let entry = self.library.get(draaiboek_id).ok_or_else(|| {
            ApiError::NotFound(format!(
                "no draaiboek with id `{draaiboek_id}`; GET /api/draaiboeken lists them"
            ))
        })?;
        let steps = agenda::steps(&entry.draaiboek);
        let agenda = AgendaState::new(steps.len());
        let token = new_token();
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
        let record = SessionRecord {
            id: id.clone(),
            code: code.clone(),
            draaiboek_file: entry.file.clone(),
            draaiboek_source: entry.source.clone(),
            facilitator_token_hash: hash(&token).to_vec(),
            agenda: Stored::json(&agenda, &Control::default())?,
            created_at: now,
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
        let session = Arc::new(Session {
            id: id.clone(),
            code: code.clone(),
            draaiboek: entry.draaiboek.clone(),
            steps,
            created_at: now,
            state: Mutex::new(SessionState {
                agenda,
                control: Control::default(),
                members: Vec::new(),
                online: HashMap::new(),
            }),
        });
        {
            let mut inner = self.inner.lock();
            inner.tokens.insert(
                hash(&token),
                Principal::Facilitator {
                    session: id.clone(),
                    token: hash(&token),
                },
            );
            inner.by_code.insert(code.clone(), id.clone());
            inner.by_id.insert(id.clone(), session.clone());
        }
        self.publish(&session, true).await;
        tracing::info!(session = %id, draaiboek = %draaiboek_id, "session created");
        Ok(Created {
            facilitator_url: format!("/f/{id}#{token}"),
            join_url: format!("/j/{code}"),
            id,
            code,
            facilitator_token: token,
        })
    }

    /// What a phone needs before joining: the session's title and roles. Public: the code is
    /// the secret here.
    pub fn join_info(&self, code: &str, from: std::net::IpAddr) -> Result<JoinInfo, ApiError> {
        let session = self.by_code(code, from)?;
        Ok(JoinInfo {
            code: session.code.clone(),
            title: session.draaiboek.title.clone(),
            roles: session.draaiboek.roles.clone(),
        })
    }

    pub async fn join(
        &self,
        code: &str,
        name: &str,
        role: &str,
        from: std::net::IpAddr,
    ) -> Result<Joined, ApiError> {
        let session = self.by_code(code, from)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(ApiError::Unprocessable(format!(
                "give a name of 1 to {MAX_NAME_CHARS} characters"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(ApiError::Unprocessable(
                "a name can't contain control characters".into(),
            ));
        }
        if !session.draaiboek.roles.iter().any(|r| r.id == role) {
            let roles: Vec<&str> = session
                .draaiboek
                .roles
                .iter()
                .map(|r| r.id.as_str())
                .collect();
            return Err(ApiError::Unprocessable(format!(
                "role `{role}` is not part of this session; choose one of: {}",
                roles.join(", ")
            )));
        }
        let token = new_token();
        let member = Member {
            id: uuid::Uuid::new_v4().simple().to_string(),
            name: name.to_owned(),
            role: role.to_owned(),
            joined_at: self.now_ms(),
        };
        let record = MemberRecord {
            id: member.id.clone(),
            session_id: session.id.clone(),
            name: member.name.clone(),
            role: member.role.clone(),
            token_hash: hash(&token).to_vec(),
            joined_at: member.joined_at,
        };
        self.store
            .call(move |s| s.insert_member(&record))
            .await
            .map_err(internal)?;
        self.inner.lock().tokens.insert(
            hash(&token),
            Principal::Participant {
                session: session.id.clone(),
                member: member.id.clone(),
            },
        );
        let member_id = member.id.clone();
        session.state.lock().members.push(member);
        self.publish_member(&session, &member_id).await;
        Ok(Joined {
            session_id: session.id.clone(),
            member_id,
            token,
        })
    }

    /// The session `id` as the holder of `token` sees it.
    pub fn view(&self, id: &str, token: &str) -> Result<SessionView, ApiError> {
        let (session, principal) = self.authorised(id, token)?;
        let you = match principal {
            Principal::Facilitator { .. } => You::Facilitator,
            Principal::Participant { member, .. } => {
                let state = session.state.lock();
                let m = state
                    .members
                    .iter()
                    .find(|m| m.id == member)
                    .ok_or_else(|| ApiError::Forbidden("unknown member".into()))?;
                You::Participant {
                    member_id: m.id.clone(),
                    name: m.name.clone(),
                    role: m.role.clone(),
                }
            }
        };
        let now = self.now_ms();
        let state = session.state.lock();
        Ok(SessionView {
            id: session.id.clone(),
            code: session.code.clone(),
            draaiboek: session.draaiboek.clone(),
            steps: session.steps.clone(),
            agenda: state.agenda.view(&session.steps, now),
            server_time_ms: now,
            members: match &you {
                You::Facilitator => state.members.clone(),
                You::Participant { member_id, .. } => state
                    .members
                    .iter()
                    .filter(|m| &m.id == member_id)
                    .cloned()
                    .collect(),
            },
            control: state.control.clone(),
            you,
            rooms: SessionRooms {
                agenda: agenda_room(&session.id),
            },
        })
    }

    fn authorised(&self, id: &str, token: &str) -> Result<(Arc<Session>, Principal), ApiError> {
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
        Ok((session, principal))
    }

    /// A facilitator's agenda command.
    pub async fn command(
        &self,
        id: &str,
        token: &str,
        command: Command,
    ) -> Result<SessionView, ApiError> {
        let session = self.facilitated(id, token, "steer the agenda")?;
        let now = self.now_ms();
        let (stored, moved) = {
            let mut state = session.state.lock();
            let mut next = state.agenda.clone();
            next.apply(command, now)
                .map_err(|e: CommandError| ApiError::Conflict(e.to_string()))?;
            let json = Stored::json(&next, &state.control)?;
            // Pausing or extending changes no one's access; moving to another block does.
            let moved = next.running_step() != state.agenda.running_step();
            state.agenda = next;
            (json, moved)
        };
        self.save(&session, stored, moved).await?;
        if moved {
            self.carry_over(&session).await?;
        }
        self.view(id, token)
    }

    /// A facilitator's control command: reveal, lock, projector, groups.
    pub async fn control(
        &self,
        id: &str,
        token: &str,
        command: ControlCommand,
    ) -> Result<SessionView, ApiError> {
        let session = self.facilitated(id, token, "reveal, lock or make groups")?;
        let stored = {
            let mut state = session.state.lock();
            let mut next = state.control.clone();
            let members = state.member_infos();
            next.apply(
                &command,
                &session.steps,
                &state.agenda,
                &members,
                self.now_ms(),
            )
            .map_err(|e| ApiError::Conflict(e.to_string()))?;
            let json = Stored::json(&state.agenda, &next)?;
            state.control = next;
            json
        };
        // Saved (and access decided again) first: once the private notes are read-only, none
        // can arrive after they were copied and stay hidden.
        self.save(&session, stored, true).await?;
        match command {
            ControlCommand::Reveal { step } => {
                self.reveal(&session, step).await?;
                // Revealed after the next block began: that block gets the steps now.
                self.carry_over(&session).await?;
            }
            ControlCommand::SpreadGroups { .. } | ControlCommand::AssignGroup { .. } => {
                self.carry_over(&session).await?
            }
            ControlCommand::MakePairs
            | ControlCommand::AssignPair { .. }
            | ControlCommand::NamePair { .. } => self.write_pairs(&session).await?,
            _ => {}
        }
        self.view(id, token)
    }

    /// Writes on every 1-op-1 pair board who is in the pair and what they talk about, so
    /// phones can show their partner without getting the member list.
    async fn write_pairs(&self, session: &Session) -> Result<(), ApiError> {
        let (control, members) = {
            let state = session.state.lock();
            (state.control.clone(), state.member_infos())
        };
        for (step, s) in session.steps.iter().enumerate() {
            if !s.werkvorm.is_some_and(|w| w.rules().in_pairs) {
                continue;
            }
            for pair in control.pair_numbers() {
                let info = board::PairInfo {
                    name: control.pair_names.get(&pair).cloned(),
                    members: control
                        .pair_members(pair)
                        .into_iter()
                        .filter_map(|id| {
                            let m = members.iter().find(|m| m.id == id)?;
                            Some((m.id.clone(), m.name.clone()))
                        })
                        .collect(),
                };
                let room = SessionDoc::Board {
                    step,
                    group: Some(pair),
                }
                .room(&session.id);
                self.rooms
                    .edit(&room, |doc| board::write_pair(doc, &info))
                    .await
                    .map_err(|e| ApiError::Internal(Box::new(e)))?;
            }
        }
        Ok(())
    }

    /// When the running block works on the steps of an earlier process map (roles, regie,
    /// expertise, challenges), each of its boards starts as a copy of the map it carries on
    /// from, group by group: the sheet stays on the table. Done once per board; boards made
    /// later (new groups) get theirs when they are made.
    async fn carry_over(&self, session: &Session) -> Result<(), ApiError> {
        let (step, control) = {
            let state = session.state.lock();
            (state.agenda.running_step(), state.control.clone())
        };
        let Some(step) = step else { return Ok(()) };
        let Some(source) = sessie::process_source(&session.steps, step) else {
            return Ok(());
        };
        let (s, src) = (&session.steps[step], &session.steps[source]);
        if src.private && !control.revealed.contains(&source) {
            // Nothing to carry yet: the steps are still private. A later reveal carries them.
            return Ok(());
        }
        for group in control.boards_of(s) {
            let from = SessionDoc::Board {
                step: source,
                group: if src.groups.is_some() { group } else { None },
            };
            let target = SessionDoc::Board { step, group }.room(&session.id);
            let internal = |e| ApiError::Internal(Box::new(e));
            if self
                .rooms
                .read(&target, proces::is_carried)
                .await
                .map_err(internal)?
            {
                continue;
            }
            let bytes = self
                .rooms
                .read(&from.room(&session.id), |doc| {
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
            tracing::info!(session = %session.id, step, ?group, from = %name, "process map carried over");
        }
        Ok(())
    }

    /// Copies every member's private notes of `step` onto the step's board (their group's,
    /// in a group step), with the member as author. Notes already there are not copied again.
    async fn reveal(&self, session: &Session, step: usize) -> Result<(), ApiError> {
        let (members, control) = {
            let state = session.state.lock();
            (state.member_infos(), state.control.clone())
        };
        let Some(s) = session.steps.get(step) else {
            return Ok(());
        };
        let mut by_board: std::collections::BTreeMap<String, Vec<board::Note>> = Default::default();
        for m in &members {
            let own = SessionDoc::Own {
                step,
                member: m.id.clone(),
            }
            .room(&session.id);
            let notes = self
                .rooms
                .read(&own, board::read_notes)
                .await
                .map_err(|e| ApiError::Internal(Box::new(e)))?;
            if notes.len() > sessie::MAX_REVEALED_PER_MEMBER {
                tracing::warn!(session = %session.id, step, member = %m.id, notes = notes.len(),
                    "more private notes than a reveal takes; the rest stay private");
            }
            let target = SessionDoc::Board {
                step,
                group: control.board_group(s, &m.id),
            }
            .room(&session.id);
            by_board.entry(target).or_default().extend(
                notes
                    .into_iter()
                    .take(sessie::MAX_REVEALED_PER_MEMBER)
                    .map(|n| board::Note {
                        author: Some(m.id.clone()),
                        ..n
                    }),
            );
        }
        for (room, notes) in by_board {
            self.rooms
                .edit(&room, |doc| {
                    let present: std::collections::HashSet<String> =
                        board::read_notes(doc).into_iter().map(|n| n.id).collect();
                    let array = board::notes_array(doc);
                    let mut txn = yrs::Transact::transact_mut(doc);
                    for n in notes.iter().filter(|n| !present.contains(&n.id)) {
                        board::push_note(&array, &mut txn, n);
                    }
                })
                .await
                .map_err(|e| ApiError::Internal(Box::new(e)))?;
        }
        tracing::info!(session = %session.id, step, "notes revealed");
        Ok(())
    }

    /// How many private notes each member has written in the current step, when it is private
    /// and not yet revealed: the facilitator waits for everyone before revealing.
    pub async fn written(&self, id: &str, token: &str) -> Result<Written, ApiError> {
        let session = self.facilitated(id, token, "see who has written")?;
        let (step, members) = {
            let state = session.state.lock();
            let step = state
                .agenda
                .running_step()
                .filter(|s| session.steps.get(*s).is_some_and(|s| s.private))
                .filter(|s| !state.control.revealed.contains(s));
            (
                step,
                state
                    .members
                    .iter()
                    .map(|m| m.id.clone())
                    .collect::<Vec<_>>(),
            )
        };
        let mut written = std::collections::BTreeMap::new();
        if let Some(step) = step {
            for member in members {
                let room = SessionDoc::Own {
                    step,
                    member: member.clone(),
                }
                .room(&session.id);
                let n = self
                    .rooms
                    .read(&room, |doc| board::read_notes(doc).len())
                    .await
                    .map_err(|e| ApiError::Internal(Box::new(e)))?;
                written.insert(member, n);
            }
        }
        Ok(Written { step, written })
    }

    /// Whether `token` is the organisers' secret. Compared as hashes, so the comparison takes
    /// the same time however much of it matches.
    fn is_organiser(&self, token: &str) -> bool {
        self.organiser.is_some_and(|o| o == hash(token))
    }

    /// Every session, newest first, for organisers.
    pub fn list(&self, token: &str) -> Result<Vec<SessionSummary>, ApiError> {
        if !self.is_organiser(token) {
            return Err(if self.organiser.is_none() {
                ApiError::Forbidden(
                    "listing sessions needs the organisers' secret, and this server has none \
                     (start it with --organiser-secret)"
                        .into(),
                )
            } else {
                ApiError::Forbidden("only organisers can list sessions".into())
            });
        }
        let sessions: Vec<Arc<Session>> = self.inner.lock().by_id.values().cloned().collect();
        let mut list: Vec<SessionSummary> = sessions
            .iter()
            .map(|s| {
                let state = s.state.lock();
                SessionSummary {
                    id: s.id.clone(),
                    code: s.code.clone(),
                    draaiboek: s.draaiboek.id.clone(),
                    title: s.draaiboek.title.clone(),
                    created_at: s.created_at,
                    started_at: state.agenda.started_at,
                    ended_at: state.agenda.ended_at,
                    members: state.members.len(),
                }
            })
            .collect();
        list.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        Ok(list)
    }

    /// The session for an export: its facilitator's token, or the organisers' secret.
    fn exportable(&self, id: &str, token: &str) -> Result<Arc<Session>, ApiError> {
        if self.is_organiser(token) {
            return self
                .session(id)
                .ok_or_else(|| ApiError::NotFound("no such session".into()));
        }
        self.facilitated(id, token, "export (or an organiser)")
    }

    /// Everything the session produced so far, as data. Boards of private blocks that were
    /// never revealed are left out: private stays private, in exports too.
    pub async fn export(&self, id: &str, token: &str) -> Result<SessionExport, ApiError> {
        let session = self.exportable(id, token)?;
        let (agenda, control, members) = {
            let state = session.state.lock();
            (
                state.agenda.clone(),
                state.control.clone(),
                state.member_infos(),
            )
        };
        let mut boards = Vec::new();
        for (step, s) in session.steps.iter().enumerate() {
            if s.werkvorm.is_none_or(|w| !w.rules().participants_write)
                || (s.private && !control.revealed.contains(&step))
                || agenda.current.is_none_or(|c| step > c)
            {
                continue;
            }
            let mut groups = vec![None];
            groups.extend(control.boards_of(s).into_iter().filter(Option::is_some));
            let split = groups.len() > 1;
            let mut room_wide = None;
            for group in groups {
                let room = SessionDoc::Board { step, group }.room(&session.id);
                let board = self
                    .rooms
                    .read(&room, proces::read)
                    .await
                    .map_err(|e| ApiError::Internal(Box::new(e)))?;
                // The room-wide board of a group or pair block only counts if someone wrote
                // something there that no group board has (a carried-over map is on each).
                if group.is_none() && split {
                    room_wide = Some(board);
                    continue;
                }
                boards.push((step, group, board));
            }
            if let Some(board) = room_wide {
                let elsewhere: std::collections::HashSet<&str> = boards
                    .iter()
                    .filter(|(s, _, _)| *s == step)
                    .flat_map(|(_, _, b)| b.board.notes.iter().map(|n| n.id.as_str()))
                    .collect();
                let own = board
                    .board
                    .notes
                    .iter()
                    .any(|n| !elsewhere.contains(n.id.as_str()))
                    || !board.team.is_empty();
                if own {
                    let at = boards.iter().position(|(s, _, _)| *s == step);
                    boards.insert(at.unwrap_or(boards.len()), (step, None, board));
                }
            }
        }
        Ok(export::build(export::Input {
            code: &session.code,
            draaiboek: &session.draaiboek,
            steps: &session.steps,
            agenda: &agenda,
            control: &control,
            members: &members,
            boards,
            anonymous: control.anonymous,
            now: self.now_ms(),
        }))
    }

    /// The session, if `token` is its facilitator's.
    /// A new facilitator link for session `id`; the old one stops working at once, also on the
    /// screens that had it open (for a link that was shared too widely).
    pub async fn rotate(&self, id: &str, token: &str) -> Result<Rotated, ApiError> {
        let session = self.facilitated(id, token, "make a new link")?;
        let fresh = new_token();
        let fresh_hash = hash(&fresh);
        let session_id = session.id.clone();
        self.store
            .call(move |s| s.set_facilitator_token(&session_id, &fresh_hash))
            .await
            .map_err(internal)?;
        {
            let mut inner = self.inner.lock();
            inner.tokens.retain(
                |_, p| !matches!(p, Principal::Facilitator { session: s, .. } if *s == session.id),
            );
            inner.tokens.insert(
                fresh_hash,
                Principal::Facilitator {
                    session: session.id.clone(),
                    token: fresh_hash,
                },
            );
        }
        self.rooms.reauthorize(&format!("sessie/{}/", session.id));
        tracing::info!(session = %session.id, "facilitator link rotated");
        Ok(Rotated {
            facilitator_url: format!("/f/{}#{fresh}", session.id),
            facilitator_token: fresh,
        })
    }

    fn facilitated(&self, id: &str, token: &str, what: &str) -> Result<Arc<Session>, ApiError> {
        let (session, principal) = self.authorised(id, token)?;
        if !matches!(principal, Principal::Facilitator { .. }) {
            return Err(ApiError::Forbidden(format!(
                "only the facilitator can {what}"
            )));
        }
        Ok(session)
    }

    /// Stores the session's state, publishes it, and (when access may have changed) decides
    /// again what every connection to the session's documents may do.
    async fn save(
        &self,
        session: &Session,
        stored: String,
        access_changed: bool,
    ) -> Result<(), ApiError> {
        let session_id = session.id.clone();
        self.store
            .call(move |s| s.save_agenda(&session_id, &stored))
            .await
            .map_err(internal)?;
        self.publish(session, false).await;
        if access_changed {
            self.rooms.reauthorize(&format!("sessie/{}/", session.id));
        }
        Ok(())
    }

    /// Writes the agenda and control state into the session's control document, for every
    /// screen. The steps never change after creation: `with_steps` only then.
    async fn publish(&self, session: &Session, with_steps: bool) {
        let (state, control) = {
            let state = session.state.lock();
            (
                serde_json::to_string(&state.agenda).unwrap_or_default(),
                serde_json::to_string(&state.control).unwrap_or_default(),
            )
        };
        let steps = with_steps.then(|| serde_json::to_string(&session.steps).unwrap_or_default());
        let room = agenda_room(&session.id);
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
    async fn publish_member(&self, session: &Session, member: &str) {
        let info = {
            let state = session.state.lock();
            state
                .members
                .iter()
                .find(|m| m.id == member)
                .map(|m| state.member_info(m))
        };
        let Some(info) = info else { return };
        let json = serde_json::to_string(&info).unwrap_or_default();
        let room = SessionDoc::Members.room(&session.id);
        if let Err(error) = self
            .rooms
            .set_strings(&room, "leden", &[(member, &json)])
            .await
        {
            tracing::error!(room = %room, %error, "could not publish a member");
        }
    }
}
