//! What one connection may make the server do, as a state machine without IO or a clock of its
//! own: every incoming frame is charged its bytes (plus a fixed overhead) and counts as one
//! frame; what the server then did for it is charged as work: the time the room spent on it,
//! plus a fixed cost for every frame it queued for a connection (each is a send still to come,
//! which is most of what fan-out costs). Over any of the three, the connection is read more
//! slowly; one that stays over for too long is told to close.
//!
//! Bytes and work are what a message costs the server, so a large room makes each message
//! dearer; the frame count is a backstop against floods of tiny frames (pings, empty
//! awareness), whose cost is the read itself, and against a flood of small updates into a room
//! of a few hundred, which is cheap per message but crowds out everyone else's.

use thiserror::Error;

use super::Bucket;

/// A sustained rate per second, and how much may be saved up for a burst.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: f64,
}

impl Rate {
    pub const fn new(per_second: f64, burst: f64) -> Rate {
        Rate { per_second, burst }
    }

    /// The same rate at `per_second`, its burst scaled with it.
    pub fn scaled_to(self, per_second: f64) -> Rate {
        let share = if self.per_second > 0.0 {
            self.burst / self.per_second
        } else {
            1.0
        };
        Rate::new(per_second, per_second * share)
    }

    fn bucket(self, now_ms: i64) -> Bucket {
        Bucket::new(self.per_second, self.burst, now_ms)
    }
}

/// One connection's budget (part of [`crate::sync::Limits`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Every frame the client sends (binary, ping, pong, close): a backstop, set far above
    /// what a client sends (a stock editor sends one frame per update and one per cursor move).
    pub frames: Rate,
    /// Bytes, each frame counted as its length plus `frame_overhead_bytes` (the framing and the
    /// read it takes). The burst lets a phone back from offline send its replica at once.
    pub bytes: Rate,
    pub frame_overhead_bytes: f64,
    /// Microseconds the server spends on the connection's messages (decode, check, apply, fan
    /// out): a share of a core, with a burst.
    pub work_us: Rate,
    /// What sending one frame to one connection costs, in microseconds (charged as work for
    /// every frame a message makes the room queue).
    pub send_us: f64,
    /// How long a connection may stay over its budget before it is told to close: held back
    /// again and again, with never `calm_ms` between one hold and the next.
    pub max_throttle_ms: i64,
    /// How long a connection must go without being held back to count as within its budget
    /// again (a flood read at about its rate is held back now and then, not at every frame).
    pub calm_ms: i64,
}

impl Default for Budget {
    /// Chosen from measurement (BENCHMARKS.md, "Limits that never slow a real client"): a
    /// stock client dragging at 60 updates a second with a cursor message per update in a room
    /// of 200, or writing 60 updates a second in a room of 1,000, for 10 s, is never held back;
    /// a flood is held back at once and closed 3 s later.
    fn default() -> Self {
        Budget {
            // A drag with a cursor is 120 frames a second. More would let a flood of small
            // updates into a room of 200 double everyone else's latency (BENCHMARKS.md). The
            // burst is small: a client rarely saves up frames, and a flood's burst lands on
            // everyone's queue at once.
            frames: Rate::new(150.0, 50.0),
            bytes: Rate::new((256 << 10) as f64, (8 << 20) as f64),
            frame_overhead_bytes: 64.0,
            // Half a core, and two seconds of it saved up.
            work_us: Rate::new(500_000.0, 2_000_000.0),
            // About what one delivery costs the server (BENCHMARKS.md: 11 µs of CPU per update
            // and receiver at 1,000 receivers, of which the room's own part is measured).
            send_us: 10.0,
            max_throttle_ms: 3_000,
            calm_ms: 1_000,
        }
    }
}

/// Which rate a connection went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Over {
    #[error("too many messages: slow down")]
    Frames,
    #[error("too many messages: more bytes than one connection may send; slow down")]
    Bytes,
    #[error("too many messages: more work than one connection may ask of the server; slow down")]
    Work,
}

/// What to do with a frame before handling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Handle it now.
    Go,
    /// Wait this many milliseconds first (what the client sends meanwhile waits in its socket).
    Wait { ms: i64, over: Over },
    /// The connection has been over its budget for too long: close it (1008, `over` says why).
    Close(Over),
}

/// The budget of one connection as it is spent.
#[derive(Debug, Clone)]
pub struct Meter {
    frames: Bucket,
    bytes: Bucket,
    work: Bucket,
    overhead: f64,
    send_us: f64,
    max_throttle_ms: i64,
    calm_ms: i64,
    /// Since when the connection has been held back (with never `calm_ms` between holds), and
    /// when it was last.
    throttled: Option<(i64, i64)>,
}

impl Meter {
    /// A full budget at `now_ms` (any monotonic clock in milliseconds).
    pub fn new(budget: &Budget, now_ms: i64) -> Meter {
        Meter {
            frames: budget.frames.bucket(now_ms),
            bytes: budget.bytes.bucket(now_ms),
            work: budget.work_us.bucket(now_ms),
            overhead: budget.frame_overhead_bytes,
            send_us: budget.send_us,
            max_throttle_ms: budget.max_throttle_ms,
            calm_ms: budget.calm_ms,
            throttled: None,
        }
    }

    /// Charges one incoming frame of `len` bytes (of any kind) and says what to do with it.
    /// Work charged by [`Meter::worked`] for earlier frames is waited off here.
    pub fn frame(&mut self, len: usize, now_ms: i64) -> Verdict {
        let waits = [
            (self.frames.spend(1.0, now_ms), Over::Frames),
            (
                self.bytes.spend(len as f64 + self.overhead, now_ms),
                Over::Bytes,
            ),
            (self.work.spend(0.0, now_ms), Over::Work),
        ];
        let (ms, over) = waits
            .into_iter()
            .max_by_key(|(ms, _)| *ms)
            .unwrap_or((0, Over::Frames));
        if ms == 0 {
            if self
                .throttled
                .is_some_and(|(_, last)| now_ms - last >= self.calm_ms)
            {
                self.throttled = None;
            }
            return Verdict::Go;
        }
        let since = self.throttled.map_or(now_ms, |(since, _)| since);
        self.throttled = Some((since, now_ms));
        if now_ms - since > self.max_throttle_ms {
            Verdict::Close(over)
        } else {
            Verdict::Wait { ms, over }
        }
    }

    /// Charges the work the last frame made: `us` microseconds in the room, and `sent` frames
    /// queued for connections.
    pub fn worked(&mut self, us: u64, sent: usize, now_ms: i64) {
        self.work
            .spend(us as f64 + sent as f64 * self.send_us, now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default budget, changed by `change`.
    fn budget(change: impl FnOnce(&mut Budget)) -> Budget {
        let mut b = Budget::default();
        change(&mut b);
        b
    }

    /// A stock y-websocket client writing `per_second` updates for `seconds` (one message
    /// each), with a cursor (awareness) message after each if `cursor`, into a room of
    /// `others` that costs `room_us` per message.
    fn write(
        meter: &mut Meter,
        per_second: u32,
        seconds: u32,
        cursor: bool,
        others: usize,
        room_us: u64,
    ) -> Vec<Verdict> {
        let step_ms = 1000.0 / per_second as f64;
        let messages: &[usize] = if cursor { &[60, 40] } else { &[60] };
        let mut verdicts = Vec::new();
        for i in 0..per_second * seconds {
            let t = (i as f64 * step_ms) as i64;
            for len in messages {
                verdicts.push(meter.frame(*len, t));
                meter.worked(room_us, others, t);
            }
        }
        verdicts
    }

    #[test]
    fn a_drag_at_sixty_a_second_for_ten_seconds_never_waits() {
        // With a cursor message per update, in a room of 200.
        let mut meter = Meter::new(&Budget::default(), 0);
        let verdicts = write(&mut meter, 60, 10, true, 200, 200);
        assert_eq!(verdicts.len(), 1_200);
        assert!(verdicts.iter().all(|v| *v == Verdict::Go), "{verdicts:?}");
        // Updates only, in a room of 1,000 (the room's own part measured at about 300 µs).
        let mut meter = Meter::new(&Budget::default(), 0);
        let verdicts = write(&mut meter, 60, 10, false, 1_000, 500);
        assert!(verdicts.iter().all(|v| *v == Verdict::Go), "{verdicts:?}");
    }

    #[test]
    fn typing_never_waits() {
        // Ten keys a second, each an update and a cursor, for a minute, in a room of 1,000.
        let mut meter = Meter::new(&Budget::default(), 0);
        let verdicts = write(&mut meter, 10, 60, true, 1_000, 500);
        assert!(verdicts.iter().all(|v| *v == Verdict::Go));
    }

    #[test]
    fn a_flood_into_a_large_room_runs_out_of_work_then_is_told_to_close() {
        // A hundred updates a second is within the frame rate, but each goes to 1,000 others.
        let budget = Budget::default();
        let mut meter = Meter::new(&budget, 0);
        let mut t = 0;
        let mut held_from = None;
        let over = loop {
            assert!(t < 60_000, "never told to close");
            match meter.frame(60, t) {
                Verdict::Go => t += 10,
                Verdict::Wait { ms, over } => {
                    assert_eq!(over, Over::Work);
                    held_from.get_or_insert(t);
                    t += ms.max(10);
                }
                Verdict::Close(over) => break over,
            }
            meter.worked(300, 1_000, t);
        };
        assert_eq!(over, Over::Work);
        let held_from = held_from.expect("held back before the close");
        // The burst first (two seconds of work, at 0.53 s a second beyond the rate), then
        // held back, then closed.
        assert!((3_500..4_000).contains(&held_from), "{held_from}");
        assert!(t - held_from > budget.max_throttle_ms, "{t}");
    }

    #[test]
    fn a_flood_of_tiny_frames_waits_then_is_told_to_close() {
        let budget = Budget::default();
        let mut meter = Meter::new(&budget, 0);
        let mut t = 0;
        // The burst goes through at once.
        for _ in 0..budget.frames.burst as usize {
            assert_eq!(meter.frame(0, t), Verdict::Go);
        }
        // Then every frame waits, however long it has waited before.
        let mut waited = 0;
        let over = loop {
            assert!(t < 60_000, "never told to close");
            match meter.frame(0, t) {
                Verdict::Go => panic!("a flood went on unthrottled at {t} ms"),
                Verdict::Wait { ms, over } => {
                    assert_eq!(over, Over::Frames);
                    assert!(ms > 0);
                    waited += 1;
                    t += ms;
                }
                Verdict::Close(over) => break over,
            }
        };
        assert_eq!(over, Over::Frames);
        assert!(t > budget.max_throttle_ms, "closed after {t} ms");
        assert!(t <= budget.max_throttle_ms + 10, "closed only after {t} ms");
        assert!(waited > 100, "{waited}");
    }

    #[test]
    fn a_rate_scales_with_its_burst() {
        assert_eq!(Rate::new(200.0, 50.0).scaled_to(20.0), Rate::new(20.0, 5.0));
    }

    #[test]
    fn a_flood_held_back_only_now_and_then_is_told_to_close_all_the_same() {
        // Read by a busy server, its frames come in bunches: three close together, then a
        // pause. On average over its rate, so some frames wait, but not every one.
        let budget = budget(|b| {
            b.frames = Rate::new(100.0, 2.0);
        });
        let mut meter = Meter::new(&budget, 0);
        let mut t = 0;
        let (mut went, mut waited) = (0, 0);
        let over = loop {
            assert!(t < 60_000, "never told to close");
            t += [2, 2, 2, 30][(went + waited) % 4];
            match meter.frame(0, t) {
                Verdict::Go => went += 1,
                Verdict::Wait { ms, .. } => {
                    waited += 1;
                    t += ms;
                }
                Verdict::Close(over) => break over,
            }
        };
        assert!(went > 10 && waited > 10, "{went} went, {waited} waited");
        assert_eq!(over, Over::Frames);
        assert!(t <= budget.max_throttle_ms + 100, "{t}");
    }

    /// Ten frames of `len` bytes at once go through under `budget`; the eleventh waits a tenth
    /// of a second, for `over`.
    fn ten_go_then_one_waits(budget: Budget, len: usize, over: Over) {
        let mut meter = Meter::new(&budget, 0);
        for _ in 0..10 {
            assert_eq!(meter.frame(len, 0), Verdict::Go);
        }
        assert_eq!(meter.frame(len, 0), Verdict::Wait { ms: 100, over });
    }

    #[test]
    fn pings_count_like_any_frame() {
        // A ping carries at most 125 bytes; a client that only pings still runs out.
        let budget = budget(|b| {
            b.frames = Rate::new(10.0, 10.0);
        });
        ten_go_then_one_waits(budget, 4, Over::Frames);
    }

    #[test]
    fn work_is_waited_off_before_the_next_frame() {
        let budget = budget(|b| {
            b.work_us = Rate::new(100_000.0, 100_000.0);
        });
        let mut meter = Meter::new(&budget, 0);
        assert_eq!(meter.frame(10, 0), Verdict::Go);
        // A message that kept the server busy for 0.3 s: two tenths over the burst.
        meter.worked(300_000, 0, 0);
        assert_eq!(
            meter.frame(10, 0),
            Verdict::Wait {
                ms: 2_000,
                over: Over::Work
            }
        );
        assert_eq!(meter.frame(10, 2_000), Verdict::Go, "paid off");
    }

    #[test]
    fn bytes_carry_a_per_frame_overhead() {
        // Ten empty frames use up a thousand bytes of budget.
        let budget = budget(|b| {
            b.bytes = Rate::new(1_000.0, 1_000.0);
            b.frame_overhead_bytes = 100.0;
        });
        ten_go_then_one_waits(budget, 0, Over::Bytes);
    }

    #[test]
    fn a_connection_back_under_its_rate_starts_afresh() {
        let budget = budget(|b| {
            b.frames = Rate::new(1.0, 1.0);
            b.max_throttle_ms = 500;
        });
        let mut meter = Meter::new(&budget, 0);
        let waits = |v: Verdict| matches!(v, Verdict::Wait { .. });
        assert_eq!(meter.frame(0, 0), Verdict::Go);
        assert!(waits(meter.frame(0, 0)));
        assert!(waits(meter.frame(0, 400)));
        // A pause long enough to pay off the debt: no longer throttled.
        assert_eq!(meter.frame(0, 10_000), Verdict::Go);
        assert!(waits(meter.frame(0, 10_000)));
        assert!(
            waits(meter.frame(0, 10_400)),
            "the throttle time counts from 10,000 again, not from 0"
        );
        assert_eq!(meter.frame(0, 10_600), Verdict::Close(Over::Frames));
    }
}
