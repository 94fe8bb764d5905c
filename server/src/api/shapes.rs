//! What the session endpoints answer: the HTTP shapes, made from the core's session and the
//! server's tokens. The session's state is the core's; these are views of it.

use std::collections::BTreeMap;

use draaiboeken::agenda::{AgendaView, Millis, Step};
use draaiboeken::draaiboek::{Draaiboek, Role, Text};
use draaiboeken::sessie::lifecycle::Policy;
use draaiboeken::sessie::{Control, Member, Session};
use serde::Serialize;

use crate::accounts::Staff;
use crate::error::ApiError;
use crate::sessions::{Live, Principal, Sessions, agenda_room};

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
    pub title: Text,
    pub roles: Vec<Role>,
    /// Days what is written is kept after the session ends; then it is deleted.
    pub retention_days: u32,
}

/// Where a session is in its life.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LifecycleView {
    /// When it ended; `None` while it runs.
    pub ended_at: Option<Millis>,
    /// When it ends on its own if no one ends it (server time, ms).
    pub ends_at: Option<Millis>,
    /// Days its data is kept after the end.
    pub retention_days: u32,
    /// When its data is deleted, once it has ended.
    pub delete_at: Option<Millis>,
}

impl LifecycleView {
    pub fn of(core: &Session, policy: &Policy) -> LifecycleView {
        let lifecycle = core.lifecycle();
        LifecycleView {
            ended_at: lifecycle.ended_at,
            ends_at: core.ends_at(policy),
            retention_days: lifecycle.retention_days(policy),
            delete_at: lifecycle.delete_at(policy),
        }
    }
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
    /// The room's screen: it sees no members.
    Projector,
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
    pub title: Text,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub ended_at: Option<Millis>,
    pub members: usize,
    /// The name of the account it belongs to (it started it, or it was handed to it), if any.
    pub owner: Option<String>,
}

/// Private notes written per member in the current step.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Written {
    /// The current step, if it is private and not revealed; else `written` is empty.
    pub step: Option<usize>,
    pub written: BTreeMap<String, usize>,
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
    pub lifecycle: LifecycleView,
}

/// What a phone needs before joining: the session's title and roles. Public: the code is the
/// secret here.
pub fn join_info(
    sessions: &Sessions,
    code: &str,
    from: std::net::IpAddr,
) -> Result<JoinInfo, ApiError> {
    let live = sessions.by_code(code, from)?;
    let core = live.core.lock();
    Ok(JoinInfo {
        code: core.code.clone(),
        title: core.draaiboek.title.clone(),
        roles: core.draaiboek.roles.clone(),
        retention_days: core.lifecycle().retention_days(&sessions.policy),
    })
}

/// The session as the holder of `principal` sees it.
pub fn view(
    sessions: &Sessions,
    live: &Live,
    principal: &Principal,
) -> Result<SessionView, ApiError> {
    let now = sessions.now_ms();
    let core = live.core.lock();
    let (you, members) = match principal {
        Principal::Facilitator { .. } => (You::Facilitator, core.members().to_vec()),
        Principal::Projector { .. } => (You::Projector, Vec::new()),
        Principal::Participant { member, .. } => {
            let m = core
                .member(member)
                .ok_or_else(|| ApiError::Forbidden("unknown member".into()))?;
            let you = You::Participant {
                member_id: m.id.clone(),
                name: m.name.clone(),
                role: m.role.clone(),
            };
            (you, vec![m.clone()])
        }
    };
    Ok(SessionView {
        id: core.id.clone(),
        code: core.code.clone(),
        draaiboek: core.draaiboek.clone(),
        steps: core.steps.clone(),
        agenda: core.agenda().view(&core.steps, now),
        server_time_ms: now,
        members,
        control: core.control().clone(),
        you,
        rooms: SessionRooms {
            agenda: agenda_room(&core.id),
        },
        lifecycle: LifecycleView::of(&core, &sessions.policy),
    })
}

/// The sessions `staff` manages (an organiser: every one), newest first.
pub fn list(
    sessions: &Sessions,
    staff: &Staff,
    names: &std::collections::HashMap<String, String>,
) -> Vec<SessionSummary> {
    let mut list: Vec<SessionSummary> = sessions
        .all()
        .iter()
        .filter_map(|live| {
            let owner = live.owner();
            staff.manages(owner.as_deref()).then_some((live, owner))
        })
        .map(|(live, owner)| {
            let core = live.core.lock();
            SessionSummary {
                id: core.id.clone(),
                code: core.code.clone(),
                draaiboek: core.draaiboek.id.clone(),
                title: core.draaiboek.title.clone(),
                created_at: core.created_at,
                started_at: core.agenda().started_at,
                ended_at: core.agenda().ended_at,
                members: core.members().len(),
                owner: owner.and_then(|id| names.get(&id).cloned()),
            }
        })
        .collect();
    list.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    list
}
