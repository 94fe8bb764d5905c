//! A session's life: it runs until it ends (the facilitator ends it, or it ends on its own some
//! hours after its last block), is then kept for its retention period, read-only and for the
//! facilitator and organisers only, and is then deleted. Every deadline is a pure function of
//! the stored times and the [`Policy`], so the server's sweep only asks ([`super::Command::Tick`]).
//!
//! The agenda's own `ended` says the last block is over; a session *ends* here, which is more:
//! the join code admits no one, participants' tokens stop working and their connections close.

use serde::{Deserialize, Serialize};

use crate::agenda::{AgendaState, Millis, Step};

/// One day in milliseconds.
pub const DAY_MS: Millis = 24 * 60 * 60 * 1000;
/// The longest retention period a session can be given.
pub const MAX_RETENTION_DAYS: u32 = 366;

/// The server's rules for when sessions end and go (`Settings::lifecycle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// A session ends on its own this long after its last block ended (or, while a block is
    /// still running, after the agenda's expected end).
    pub end_after_ms: Millis,
    /// A session that never started ends this long after it was created.
    pub end_unstarted_after_ms: Millis,
    /// Days a session's data is kept after it ended, unless the session says otherwise.
    pub retention_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            end_after_ms: 6 * 60 * 60 * 1000,
            end_unstarted_after_ms: 14 * DAY_MS,
            retention_days: 90,
        }
    }
}

/// What is stored of a session's life beside its agenda.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lifecycle {
    /// When the session ended (server time, ms); `None` while it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Millis>,
    /// Days its data is kept after the end; `None`: the server's [`Policy::retention_days`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
}

impl Lifecycle {
    /// The days this session's data is kept after its end.
    pub fn retention_days(&self, policy: &Policy) -> u32 {
        self.retention_days.unwrap_or(policy.retention_days)
    }

    /// When the session's data is deleted: its retention period after the end.
    pub fn delete_at(&self, policy: &Policy) -> Option<Millis> {
        let days = Millis::from(self.retention_days(policy));
        self.ended_at.map(|t| t.saturating_add(days * DAY_MS))
    }
}

/// When a session that has not ended ends on its own: `end_after_ms` after its last block
/// ended; while a block still runs, after the time the whole agenda was planned to take from
/// its start, extensions included (a forgotten or paused session ends too); if it never
/// started, `end_unstarted_after_ms` after it was created.
pub fn ends_on_its_own(
    policy: &Policy,
    agenda: &AgendaState,
    steps: &[Step],
    created_at: Millis,
) -> Millis {
    let last = match (agenda.ended_at, agenda.started_at) {
        (Some(ended), _) => ended,
        (None, Some(started)) => {
            let minutes: Millis = steps
                .iter()
                .map(|s| Millis::from(s.planned_minutes))
                .chain(agenda.extended_minutes.iter().map(|m| Millis::from(*m)))
                .sum();
            started.saturating_add(minutes * 60_000)
        }
        (None, None) => return created_at.saturating_add(policy.end_unstarted_after_ms),
    };
    last.saturating_add(policy.end_after_ms)
}
