//! Live sessions: a draaiboek being run, its members, its agenda, and who may do what.
//!
//! Sessions are kept in memory and in the store; all are loaded at start. Tokens are random
//! capabilities (256 bits); only their SHA-256 is kept, and they never reach a log. The agenda
//! is changed only here, by the facilitator's commands, and published to the session's control
//! document (`sessie/{id}/agenda`), which participants may read but not write.

use std::collections::HashMap;
use std::sync::Arc;

use draaiboeken::agenda::{self, AgendaState, AgendaView, Command, CommandError, Millis, Step};
use draaiboeken::draaiboek::{self, Draaiboek};
use draaiboeken::sync::Access;
use parking_lot::Mutex;
use rand::RngCore;
use serde::Serialize;
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
    Facilitator { session: String },
    Participant { session: String, member: String },
}

impl Principal {
    fn session(&self) -> &str {
        match self {
            Principal::Facilitator { session } | Principal::Participant { session, .. } => session,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
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
    state: Mutex<SessionState>,
}

struct SessionState {
    agenda: AgendaState,
    members: Vec<Member>,
}

/// The names of a session's shared documents.
pub fn agenda_room(session: &str) -> String {
    format!("sessie/{session}/agenda")
}

pub fn wall_room(session: &str) -> String {
    format!("sessie/{session}/wand")
}

#[derive(Debug, Serialize)]
pub struct Created {
    pub id: String,
    pub code: String,
    /// Keep it secret: whoever has it steers the session.
    pub facilitator_token: String,
    /// The console; the token travels in the fragment, which browsers don't send to servers.
    pub facilitator_url: String,
    pub join_url: String,
}

#[derive(Debug, Serialize)]
pub struct JoinInfo {
    pub code: String,
    pub title: draaiboeken::draaiboek::Text,
    pub roles: Vec<draaiboeken::draaiboek::Role>,
}

#[derive(Debug, Serialize)]
pub struct Joined {
    pub session_id: String,
    pub member_id: String,
    pub token: String,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum You {
    Facilitator,
    Participant {
        member_id: String,
        name: String,
        role: String,
    },
}

#[derive(Debug, Serialize)]
pub struct SessionRooms {
    pub agenda: String,
    pub wand: String,
}

/// A session as a member sees it.
#[derive(Debug, Serialize)]
pub struct SessionView {
    pub id: String,
    pub code: String,
    pub draaiboek: Draaiboek,
    pub steps: Vec<Step>,
    pub agenda: AgendaView,
    /// The server's clock when this was made; clients derive their clock offset from it.
    pub server_time_ms: Millis,
    pub members: Vec<Member>,
    pub you: You,
    pub rooms: SessionRooms,
}

pub struct Sessions {
    inner: Mutex<Inner>,
    store: StoreHandle,
    rooms: Arc<Rooms>,
    library: Arc<Library>,
    clock: Arc<dyn Clock>,
}

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

/// Codes are typed on phones: ignore case, spaces and dashes.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
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
            let agenda = serde_json::from_str(&r.agenda).unwrap_or_else(|error| {
                tracing::error!(session = %r.id, %error, "stored agenda unreadable; starting over");
                AgendaState::new(steps.len())
            });
            inner.tokens.insert(
                r.facilitator_token_hash
                    .as_slice()
                    .try_into()
                    .unwrap_or([0; 32]),
                Principal::Facilitator {
                    session: r.id.clone(),
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
                    state: Mutex::new(SessionState { agenda, members }),
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
        }))
    }

    pub fn now_ms(&self) -> Millis {
        self.clock.now_ms()
    }

    /// Who `token` is, if anyone.
    pub fn principal(&self, token: &str) -> Option<Principal> {
        self.inner.lock().tokens.get(&hash(token)).cloned()
    }

    /// The session with this join code, as typed (see [`normalise_code`]).
    fn by_code(&self, code: &str) -> Result<Arc<Session>, ApiError> {
        let code = normalise_code(code);
        let inner = self.inner.lock();
        inner
            .by_code
            .get(&code)
            .and_then(|id| inner.by_id.get(id))
            .cloned()
            .ok_or_else(|| {
                ApiError::NotFound("no session with this code; check the code on the screen".into())
            })
    }

    fn session(&self, id: &str) -> Option<Arc<Session>> {
        self.inner.lock().by_id.get(id).cloned()
    }

    /// Access to a session room (`sessie/{id}/…`) with `token`.
    pub fn room_access(&self, room: &str, token: Option<&str>) -> Result<Access, Denied> {
        let mut parts = room.splitn(3, '/');
        let (Some("sessie"), Some(session), Some(doc)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Denied(
                "session rooms are named sessie/{id}/{document}".into(),
            ));
        };
        let token = token
            .ok_or_else(|| Denied("join the session first: this room needs a token".into()))?;
        match self.principal(token) {
            Some(p) if p.session() == session => Ok(match (p, doc) {
                (Principal::Facilitator { .. }, _) => Access::ReadWrite,
                (Principal::Participant { .. }, "agenda") => Access::ReadOnly,
                (Principal::Participant { .. }, _) => Access::ReadWrite,
            }),
            _ => Err(Denied("this token does not belong to this session".into())),
        }
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
            agenda: serde_json::to_string(&agenda).map_err(|e| ApiError::Internal(Box::new(e)))?,
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
            state: Mutex::new(SessionState {
                agenda,
                members: Vec::new(),
            }),
        });
        {
            let mut inner = self.inner.lock();
            inner.tokens.insert(
                hash(&token),
                Principal::Facilitator {
                    session: id.clone(),
                },
            );
            inner.by_code.insert(code.clone(), id.clone());
            inner.by_id.insert(id.clone(), session.clone());
        }
        self.publish(&session).await;
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
    pub fn join_info(&self, code: &str) -> Result<JoinInfo, ApiError> {
        let session = self.by_code(code)?;
        Ok(JoinInfo {
            code: session.code.clone(),
            title: session.draaiboek.title.clone(),
            roles: session.draaiboek.roles.clone(),
        })
    }

    pub async fn join(&self, code: &str, name: &str, role: &str) -> Result<Joined, ApiError> {
        let session = self.by_code(code)?;
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
            members: state.members.clone(),
            you,
            rooms: SessionRooms {
                agenda: agenda_room(&session.id),
                wand: wall_room(&session.id),
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
        let (session, principal) = self.authorised(id, token)?;
        if !matches!(principal, Principal::Facilitator { .. }) {
            return Err(ApiError::Forbidden(
                "only the facilitator can steer the agenda".into(),
            ));
        }
        let now = self.now_ms();
        let stored = {
            let mut state = session.state.lock();
            let mut next = state.agenda.clone();
            next.apply(command, now)
                .map_err(|e: CommandError| ApiError::Conflict(e.to_string()))?;
            let json = serde_json::to_string(&next).map_err(|e| ApiError::Internal(Box::new(e)))?;
            state.agenda = next;
            json
        };
        let session_id = session.id.clone();
        self.store
            .call(move |s| s.save_agenda(&session_id, &stored))
            .await
            .map_err(internal)?;
        self.publish(&session).await;
        self.view(id, token)
    }

    /// Writes the agenda into the session's control document, for every screen.
    async fn publish(&self, session: &Session) {
        let (state, steps) = {
            let state = session.state.lock();
            (
                serde_json::to_string(&state.agenda).unwrap_or_default(),
                serde_json::to_string(&session.steps).unwrap_or_default(),
            )
        };
        let room = agenda_room(&session.id);
        if let Err(error) = self
            .rooms
            .set_strings(&room, "agenda", &[("state", &state), ("steps", &steps)])
            .await
        {
            tracing::error!(room = %room, %error, "could not publish the agenda");
        }
    }
}
