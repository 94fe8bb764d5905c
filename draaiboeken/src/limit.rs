//! Rate limits without any IO: attempts per key in a fixed window (the server counts wrong
//! join codes per address with it), a token bucket, and a connection's [`Budget`] of frames,
//! bytes and server work ([`Meter`] spends it).

use std::collections::HashMap;
use std::hash::Hash;

mod budget;

pub use budget::{Budget, Meter, Over, Rate, Verdict};

/// At most `per_window` counted attempts per key in each window of `window_ms`.
#[derive(Debug)]
pub struct Attempts<K> {
    per_window: u32,
    window_ms: i64,
    /// Most keys kept; beyond it, stale keys are dropped, and if none are stale a new key is
    /// refused (so a flood of addresses can't grow memory without bound).
    max_keys: usize,
    keys: HashMap<K, (i64, u32)>,
}

impl<K: Hash + Eq> Attempts<K> {
    pub fn new(per_window: u32, window_ms: i64, max_keys: usize) -> Self {
        Attempts {
            per_window,
            window_ms: window_ms.max(1),
            max_keys,
            keys: HashMap::new(),
        }
    }

    /// `Err(ms)`: `key` has used up its attempts; it may try again in `ms`.
    pub fn check(&self, key: &K, now: i64) -> Result<(), i64> {
        match self.keys.get(key) {
            Some((start, count)) if now - start < self.window_ms && *count >= self.per_window => {
                Err(start + self.window_ms - now)
            }
            _ => Ok(()),
        }
    }

    /// Counts one attempt by `key`; `Err(ms)` as in [`Attempts::check`] once over the limit.
    pub fn count(&mut self, key: K, now: i64) -> Result<(), i64> {
        if !self.keys.contains_key(&key) && self.keys.len() >= self.max_keys {
            let window = self.window_ms;
            self.keys.retain(|_, (start, _)| now - *start < window);
            if self.keys.len() >= self.max_keys {
                return Err(self.window_ms);
            }
        }
        let entry = self.keys.entry(key).or_insert((now, 0));
        if now - entry.0 >= self.window_ms {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.per_window {
            Err(entry.0 + self.window_ms - now)
        } else {
            Ok(())
        }
    }
}

/// A token bucket: `rate` per second, up to `burst` saved up. Spending more than is there
/// leaves a debt that the caller waits off.
#[derive(Debug, Clone)]
pub struct Bucket {
    rate: f64,
    burst: f64,
    level: f64,
    at_ms: i64,
}

impl Bucket {
    /// A full bucket at `now_ms`.
    pub fn new(rate: f64, burst: f64, now_ms: i64) -> Bucket {
        let rate = rate.max(f64::MIN_POSITIVE);
        Bucket {
            rate,
            burst,
            level: burst,
            at_ms: now_ms,
        }
    }

    /// Spends `amount`; returns how many milliseconds to wait before the next spend keeps
    /// within the rate (0: go on).
    pub fn spend(&mut self, amount: f64, now_ms: i64) -> i64 {
        let elapsed = (now_ms - self.at_ms).max(0) as f64 / 1000.0;
        self.level = (self.level + elapsed * self.rate).min(self.burst) - amount;
        self.at_ms = now_ms;
        if self.level >= 0.0 {
            0
        } else {
            (-self.level / self.rate * 1000.0).ceil() as i64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_lets_a_burst_through_then_keeps_to_its_rate() {
        let mut b = Bucket::new(10.0, 5.0, 0);
        for _ in 0..5 {
            assert_eq!(b.spend(1.0, 0), 0);
        }
        assert_eq!(b.spend(1.0, 0), 100, "one over: a tenth of a second");
        assert_eq!(b.spend(1.0, 0), 200, "debt adds up");
        assert_eq!(b.spend(1.0, 1_000), 0, "a second pays 10");
        assert_eq!(b.spend(0.0, 100_000), 0);
        assert_eq!(b.level, 5.0, "saving up stops at the burst");
    }

    #[test]
    fn attempts_run_out_per_key_and_come_back_with_the_window() {
        let mut a = Attempts::new(3, 1_000, 10);
        for _ in 0..3 {
            assert_eq!(a.count("x", 0), Ok(()));
        }
        assert_eq!(a.check(&"x", 100), Err(900));
        assert_eq!(a.count("x", 100), Err(900));
        assert_eq!(a.check(&"y", 100), Ok(()), "another key is not affected");
        assert_eq!(a.check(&"x", 1_000), Ok(()), "a new window");
        assert_eq!(a.count("x", 1_000), Ok(()));
    }

    #[test]
    fn a_flood_of_keys_is_bounded() {
        let mut a = Attempts::new(5, 1_000, 3);
        for k in 0..3 {
            assert_eq!(a.count(k, 0), Ok(()));
        }
        assert_eq!(a.count(99, 10), Err(1_000), "full, nothing stale");
        assert_eq!(a.count(99, 1_500), Ok(()), "stale keys make room");
        assert!(a.keys.len() <= 3);
    }
}
