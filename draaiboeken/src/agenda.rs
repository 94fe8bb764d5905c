//! A session's agenda and its clock: which block runs, since when, and how long it may take.
//!
//! The state holds only server timestamps (milliseconds since the Unix epoch), so it can be
//! stored, and a timer that was running when the server stopped has kept running when it comes
//! back. Everything shown (time left, overrun, expected end) is computed from the state and a
//! `now`; clients pass the server's time as they estimate it (their clock plus a measured offset).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::draaiboek::{Block, Draaiboek, Groups, Instructions, Text};
use crate::werkvorm::Werkvorm;

/// Milliseconds since the Unix epoch, on the server's clock.
pub type Millis = i64;

const MINUTE: Millis = 60_000;

/// One step of the agenda: a block without sub-blocks (sub-blocks replace their parent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    pub letter: Option<String>,
    /// The letter of the block this step belongs to, for sub-blocks.
    pub parent: Option<String>,
    pub title: Text,
    pub planned_minutes: u32,
    pub werkvorm: Option<Werkvorm>,
    pub instructions: Instructions,
    /// Runs in groups (one board per group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Groups>,
    /// Participants write privately until the facilitator reveals.
    #[serde(default)]
    pub private: bool,
    /// The question participants answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Text>,
    /// Question cards to talk through.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Text>,
}

/// The steps of a draaiboek, in order.
pub fn steps(draaiboek: &Draaiboek) -> Vec<Step> {
    /// A sub-block runs in its parent's groups unless it says otherwise.
    fn step(b: &Block, parent: Option<&Block>) -> Step {
        Step {
            letter: b.letter.clone(),
            parent: parent.and_then(|p| p.letter.clone()),
            title: b.title.clone(),
            planned_minutes: b.minutes,
            werkvorm: b.werkvorm,
            instructions: b.instructions.clone(),
            groups: b.groups.or(parent.and_then(|p| p.groups)),
            private: b.private,
            prompt: b.prompt.clone(),
            questions: b.questions.clone(),
        }
    }
    draaiboek
        .blocks
        .iter()
        .flat_map(|b| {
            if b.blocks.is_empty() {
                vec![step(b, None)]
            } else {
                b.blocks.iter().map(|s| step(s, Some(b))).collect()
            }
        })
        .collect()
}

/// What the facilitator can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Command {
    Start,
    Pause,
    Resume,
    /// Adds minutes to the current step (1 to 60).
    Extend {
        minutes: u32,
    },
    /// Ends the current step and starts the next (or ends the session after the last).
    Next,
    /// Goes back to the previous step, continuing its clock where it stopped.
    Back,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    #[error("the session has not started yet")]
    NotStarted,
    #[error("the session has already started")]
    AlreadyStarted,
    #[error("the session has ended")]
    Ended,
    #[error("the timer is already paused")]
    AlreadyPaused,
    #[error("the timer is already running")]
    AlreadyRunning,
    #[error("extend by 1 to 60 minutes")]
    BadExtension,
    #[error("this is the first block; there is nothing to go back to")]
    AtFirstStep,
}

/// The stored state of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaState {
    /// The current step; `None` before the start.
    pub current: Option<usize>,
    pub ended: bool,
    /// When the current step's clock last started running; `None` while paused.
    pub running_since: Option<Millis>,
    /// Time spent in the current step before `running_since`.
    pub elapsed_before: Millis,
    /// Time spent in each step so far (the current one excluded until it is left).
    pub spent: Vec<Millis>,
    /// Minutes added to each step.
    pub extended_minutes: Vec<u32>,
    pub started_at: Option<Millis>,
    pub ended_at: Option<Millis>,
}

impl AgendaState {
    pub fn new(step_count: usize) -> Self {
        Self {
            current: None,
            ended: false,
            running_since: None,
            elapsed_before: 0,
            spent: vec![0; step_count],
            extended_minutes: vec![0; step_count],
            started_at: None,
            ended_at: None,
        }
    }

    fn elapsed(&self, now: Millis) -> Millis {
        self.elapsed_before + self.running_since.map_or(0, |t| (now - t).max(0))
    }

    /// Applies a facilitator's command at `now`.
    pub fn apply(&mut self, command: Command, now: Millis) -> Result<(), CommandError> {
        if self.ended {
            return Err(CommandError::Ended);
        }
        let steps = self.spent.len();
        match (command, self.current) {
            (Command::Start, None) => {
                if steps == 0 {
                    self.ended = true;
                    self.ended_at = Some(now);
                    return Ok(());
                }
                self.current = Some(0);
                self.running_since = Some(now);
                self.elapsed_before = 0;
                self.started_at = Some(now);
            }
            (Command::Start, Some(_)) => return Err(CommandError::AlreadyStarted),
            (_, None) => return Err(CommandError::NotStarted),
            (Command::Pause, Some(_)) => {
                let since = self
                    .running_since
                    .take()
                    .ok_or(CommandError::AlreadyPaused)?;
                self.elapsed_before += (now - since).max(0);
            }
            (Command::Resume, Some(_)) => {
                if self.running_since.is_some() {
                    return Err(CommandError::AlreadyRunning);
                }
                self.running_since = Some(now);
            }
            (Command::Extend { minutes }, Some(i)) => {
                if !(1..=60).contains(&minutes) {
                    return Err(CommandError::BadExtension);
                }
                self.extended_minutes[i] += minutes;
            }
            (Command::Next, Some(i)) => {
                let running = self.running_since.is_some();
                self.leave(i, now);
                if i + 1 < steps {
                    self.enter(i + 1, now, running);
                } else {
                    self.current = Some(i);
                    self.ended = true;
                    self.ended_at = Some(now);
                }
            }
            (Command::Back, Some(i)) => {
                if i == 0 {
                    return Err(CommandError::AtFirstStep);
                }
                let running = self.running_since.is_some();
                self.leave(i, now);
                self.enter(i - 1, now, running);
            }
        }
        Ok(())
    }

    fn leave(&mut self, i: usize, now: Millis) {
        self.spent[i] = self.elapsed(now);
        self.running_since = None;
        self.elapsed_before = 0;
    }

    fn enter(&mut self, i: usize, now: Millis, running: bool) {
        self.current = Some(i);
        self.elapsed_before = self.spent[i];
        self.running_since = running.then_some(now);
    }

    /// What every screen shows, at `now`.
    /// The step that is running: the current one, unless the session has ended.
    pub fn running_step(&self) -> Option<usize> {
        self.current.filter(|_| !self.ended)
    }

    pub fn view(&self, steps: &[Step], now: Millis) -> AgendaView {
        let planned = |i: usize| {
            Millis::from(steps.get(i).map_or(0, |s| s.planned_minutes)) * MINUTE
                + Millis::from(self.extended_minutes.get(i).copied().unwrap_or(0)) * MINUTE
        };
        let current = self.running_step();
        let rows = (0..steps.len())
            .map(|i| {
                let actual = match (current, self.ended) {
                    (Some(c), _) if c == i => Some(self.elapsed(now)),
                    _ if self.spent.get(i).copied().unwrap_or(0) > 0 => self.spent.get(i).copied(),
                    _ => None,
                };
                StepView {
                    planned_ms: planned(i),
                    actual_ms: actual,
                }
            })
            .collect();
        let (remaining, expected_end) = match current {
            Some(c) => {
                let remaining = planned(c) - self.elapsed(now);
                let later: Millis = (c + 1..steps.len()).map(planned).sum();
                (Some(remaining), Some(now + remaining.max(0) + later))
            }
            None if self.ended => (None, self.ended_at),
            None => (
                None,
                Some(now + (0..steps.len()).map(planned).sum::<Millis>()),
            ),
        };
        AgendaView {
            current,
            ended: self.ended,
            running: self.running_since.is_some() && !self.ended,
            remaining_ms: remaining,
            overrun: remaining.is_some_and(|r| r < 0),
            expected_end_ms: expected_end,
            steps: rows,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepView {
    /// Planned length including extensions.
    pub planned_ms: Millis,
    /// Time spent so far (for the current step: up to now); `None` if never run.
    pub actual_ms: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaView {
    pub current: Option<usize>,
    pub ended: bool,
    pub running: bool,
    /// Time left in the current step; negative when it overruns.
    pub remaining_ms: Option<Millis>,
    pub overrun: bool,
    /// When the session will end if every later step takes its planned time.
    pub expected_end_ms: Option<Millis>,
    pub steps: Vec<StepView>,
}

/// What the clock has to say to someone who can't see it, at the moments worth saying: a
/// screen reader hears these, not a clock that changes every second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockMoment {
    /// A block has begun (or the page opened during it).
    Running,
    /// At most one minute left.
    LastMinute,
    /// The block's time is up.
    TimeUp,
}

/// The last minute begins with this much time left.
pub const LAST_MINUTE_MS: Millis = 60_000;

impl AgendaView {
    /// The running block and what its clock says now; it changes only when a block begins,
    /// enters its last minute, or runs out of time.
    pub fn moment(&self) -> Option<(usize, ClockMoment)> {
        let step = self.current.filter(|_| !self.ended)?;
        let left = self.remaining_ms?;
        let moment = if self.overrun || left <= 0 {
            ClockMoment::TimeUp
        } else if left <= LAST_MINUTE_MS {
            ClockMoment::LastMinute
        } else {
            ClockMoment::Running
        };
        Some((step, moment))
    }
}

/// When a console panel that prepares some steps (groups, pairs) is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// From before the start until the last such step is over (pairs are made in advance).
    FromStart,
    /// While such a step runs, and during the step before it (to get ready).
    OneStep,
}

/// Whether the console's panel for the steps `needs` picks applies now, `current` being the
/// running step (`None` before the start): the console shows only what the block needs.
pub fn panel_applies(
    steps: &[Step],
    current: Option<usize>,
    lead: Lead,
    needs: impl Fn(&Step) -> bool,
) -> bool {
    match (lead, current) {
        (Lead::FromStart, c) => steps.iter().skip(c.unwrap_or(0)).any(needs),
        (Lead::OneStep, None) => steps.first().is_some_and(needs),
        (Lead::OneStep, Some(c)) => steps.iter().skip(c).take(2).any(needs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panel_shows_while_its_steps_are_ahead_or_running() {
        let mut steps = three_steps();
        steps[1].private = true;
        let private = |s: &Step| s.private;
        let shown = |lead| {
            [None, Some(0), Some(1), Some(2)].map(|c| panel_applies(&steps, c, lead, private))
        };
        assert_eq!(shown(Lead::FromStart), [true, true, true, false]);
        assert_eq!(shown(Lead::OneStep), [false, true, true, false]);
        assert!(!panel_applies(&steps, None, Lead::FromStart, |s| s
            .groups
            .is_some()));
    }

    fn three_steps() -> Vec<Step> {
        [5, 10, 2]
            .iter()
            .enumerate()
            .map(|(i, m)| Step {
                letter: Some(((b'A' + i as u8) as char).to_string()),
                parent: None,
                title: Text::new(format!("stap {i}")),
                planned_minutes: *m,
                werkvorm: None,
                instructions: Instructions::default(),
                groups: None,
                private: false,
                prompt: None,
                questions: Vec::new(),
            })
            .collect()
    }

    const T0: Millis = 1_800_000_000_000;

    #[test]
    fn a_session_runs_pauses_extends_overruns_and_ends() {
        let steps = three_steps();
        let mut a = AgendaState::new(steps.len());
        assert_eq!(a.apply(Command::Pause, T0), Err(CommandError::NotStarted));
        let v = a.view(&steps, T0);
        assert_eq!(
            v.expected_end_ms,
            Some(T0 + 17 * MINUTE),
            "before the start: all planned time"
        );

        a.apply(Command::Start, T0).unwrap();
        let v = a.view(&steps, T0 + 2 * MINUTE);
        assert_eq!((v.current, v.remaining_ms), (Some(0), Some(3 * MINUTE)));
        // What a screen reader is told: the block, its last minute, its end.
        assert_eq!(v.moment(), Some((0, ClockMoment::Running)));
        assert_eq!(
            a.view(&steps, T0 + 4 * MINUTE).moment(),
            Some((0, ClockMoment::LastMinute))
        );
        assert_eq!(
            a.view(&steps, T0 + 5 * MINUTE).moment(),
            Some((0, ClockMoment::TimeUp))
        );
        assert_eq!(v.expected_end_ms, Some(T0 + 17 * MINUTE));

        // Paused for ten minutes: the clock stands still, the expected end moves.
        a.apply(Command::Pause, T0 + 2 * MINUTE).unwrap();
        assert_eq!(
            a.apply(Command::Pause, T0 + 3 * MINUTE),
            Err(CommandError::AlreadyPaused)
        );
        let v = a.view(&steps, T0 + 12 * MINUTE);
        assert_eq!(v.remaining_ms, Some(3 * MINUTE));
        assert!(!v.running);
        assert_eq!(v.expected_end_ms, Some(T0 + 27 * MINUTE));
        a.apply(Command::Resume, T0 + 12 * MINUTE).unwrap();

        // Extended by 1, then it runs 2 minutes over.
        a.apply(Command::Extend { minutes: 1 }, T0 + 13 * MINUTE)
            .unwrap();
        assert_eq!(
            a.apply(Command::Extend { minutes: 0 }, T0),
            Err(CommandError::BadExtension)
        );
        let v = a.view(&steps, T0 + 18 * MINUTE);
        assert_eq!(v.remaining_ms, Some(-2 * MINUTE));
        assert!(v.overrun);
        assert_eq!(v.steps[0].planned_ms, 6 * MINUTE);
        assert_eq!(
            v.expected_end_ms,
            Some(T0 + 30 * MINUTE),
            "overrun pushes the end"
        );

        a.apply(Command::Next, T0 + 18 * MINUTE).unwrap();
        let v = a.view(&steps, T0 + 19 * MINUTE);
        assert_eq!(
            v.steps[0].actual_ms,
            Some(8 * MINUTE),
            "planned 5 + 1, actual 8"
        );
        assert_eq!((v.current, v.remaining_ms), (Some(1), Some(9 * MINUTE)));

        // Back continues step A's clock; forward again continues B's.
        a.apply(Command::Back, T0 + 20 * MINUTE).unwrap();
        let v = a.view(&steps, T0 + 21 * MINUTE);
        assert_eq!((v.current, v.remaining_ms), (Some(0), Some(-3 * MINUTE)));
        a.apply(Command::Next, T0 + 21 * MINUTE).unwrap();
        let v = a.view(&steps, T0 + 21 * MINUTE);
        assert_eq!(v.remaining_ms, Some(8 * MINUTE));

        a.apply(Command::Next, T0 + 30 * MINUTE).unwrap();
        a.apply(Command::Next, T0 + 31 * MINUTE).unwrap();
        let v = a.view(&steps, T0 + 40 * MINUTE);
        assert!(v.ended && !v.running);
        assert_eq!(v.expected_end_ms, Some(T0 + 31 * MINUTE));
        assert_eq!(
            v.steps.iter().map(|s| s.actual_ms).collect::<Vec<_>>(),
            [Some(9 * MINUTE), Some(11 * MINUTE), Some(MINUTE)],
            "B ran 18→20 and 21→30"
        );
        assert_eq!(a.apply(Command::Resume, T0), Err(CommandError::Ended));
    }

    #[test]
    fn the_timer_keeps_running_across_a_restart() {
        let steps = three_steps();
        let mut a = AgendaState::new(steps.len());
        a.apply(Command::Start, T0).unwrap();
        // Stored and loaded again (as after a restart), an hour later by the clock.
        let stored = serde_json::to_string(&a).unwrap();
        let loaded: AgendaState = serde_json::from_str(&stored).unwrap();
        let v = loaded.view(&steps, T0 + 7 * MINUTE);
        assert_eq!(v.remaining_ms, Some(-2 * MINUTE));
    }

    #[test]
    fn sub_blocks_are_the_steps() {
        let d = crate::draaiboek::builtin().unwrap();
        let letters: Vec<_> = steps(&d[1])
            .into_iter()
            .map(|s| s.letter.unwrap_or_else(|| "pauze".into()))
            .collect();
        assert_eq!(
            letters,
            [
                "A", "B", "C.1", "C.2", "C.3", "pauze", "D.1", "D.2", "D.3", "F"
            ]
        );
    }
}
