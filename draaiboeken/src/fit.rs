//! What a screen that may not scroll (the projector) shows when its board is larger than the
//! screen: the largest text size at which it fits, else pages that turn on their own. The
//! browser measures (`app/src/fit.rs`); these functions only decide what to try next, given a
//! `fits` closure that lays the candidate out and says whether it fits, so they are tested
//! here without a browser.

use std::ops::Range;

/// How long the projector shows one page before it turns to the next: long enough to read
/// a page of post-its aloud, short enough that nobody waits long for their own.
pub const TURN_MS: i64 = 10_000;

/// The largest value in `lo..=hi`, to within `precision`, for which `fits` holds, assuming
/// that whatever fits at a value fits at every smaller one; `None` when not even `lo` fits.
/// `fits` is asked about `hi` first, so a board that fits at full size is laid out once more.
pub fn largest(lo: f64, hi: f64, precision: f64, mut fits: impl FnMut(f64) -> bool) -> Option<f64> {
    if hi <= lo {
        return fits(lo).then_some(lo);
    }
    if fits(hi) {
        return Some(hi);
    }
    if !fits(lo) {
        return None;
    }
    let (mut good, mut bad) = (lo, hi);
    while bad - good > precision {
        let mid = (good + bad) / 2.0;
        if fits(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Some(good)
}

/// Splits `n` items, in order, into pages: consecutive ranges that each fit (`fits(range)`),
/// as few as possible, assuming that a range which fits still fits with an item less. An item
/// that does not fit even alone gets a page of its own. The pages are then evened out: as
/// many, but none longer than it needs to be (40 + 40 + 40 rather than 50 + 50 + 20), so no
/// page is a leftover.
pub fn pages(n: usize, mut fits: impl FnMut(Range<usize>) -> bool) -> Vec<Range<usize>> {
    let greedy = capped(n, n, &mut fits);
    let count = greedy.len();
    if count <= 1 {
        return greedy;
    }
    // The shortest longest page that still makes `count` pages.
    let (mut bad, mut good) = (
        n.div_ceil(count) - 1,
        greedy.iter().map(|r| r.len()).max().unwrap_or(n),
    );
    let mut best = greedy;
    while good - bad > 1 {
        let cap = (good + bad) / 2;
        let try_cap = capped(n, cap, &mut fits);
        if try_cap.len() <= count {
            good = cap;
            best = try_cap;
        } else {
            bad = cap;
        }
    }
    best
}

/// `n` items as pages of at most `cap`, each as long as fits.
fn capped(n: usize, cap: usize, fits: &mut impl FnMut(Range<usize>) -> bool) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    let mut start = 0;
    while start < n {
        let most = (start + cap.max(1)).min(n);
        // The longest range from `start` that fits: at least one item.
        let end = if fits(start..most) {
            most
        } else {
            let (mut good, mut bad) = (start + 1, most);
            while bad - good > 1 {
                let mid = (good + bad) / 2;
                if fits(start..mid) {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            good
        };
        pages.push(start..end);
        start = end;
    }
    pages
}

/// The page (from 0) a screen shows at `now_ms` (the server's clock), turning every `every_ms`:
/// every projector of a session shows the same page at the same moment.
pub fn page_at(now_ms: i64, pages: usize, every_ms: i64) -> usize {
    if pages <= 1 || every_ms <= 0 {
        return 0;
    }
    let turns = now_ms.max(0) / every_ms;
    (turns as u64 % pages as u64) as usize
}

/// A range of items as people count them: `3` or `1–2` (from 1, an en dash between).
pub fn counted(range: &Range<usize>) -> String {
    let (first, last) = (range.start + 1, range.end.max(range.start + 1));
    if last == first {
        first.to_string()
    } else {
        format!("{first}–{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_size_that_fits_is_found_to_the_precision_asked() {
        let mut asked = 0;
        let size = largest(12.0, 40.0, 0.25, |s| {
            asked += 1;
            s <= 23.3
        });
        let size = size.unwrap();
        assert!(size <= 23.3 && size > 23.3 - 0.25, "{size}");
        assert!(asked <= 10, "a binary search, not a scan: {asked}");
        assert_eq!(largest(12.0, 40.0, 0.25, |_| true), Some(40.0));
        assert_eq!(largest(12.0, 40.0, 0.25, |s| s < 12.0), None);
        // A ceiling under the floor (a small screen) is the floor.
        assert_eq!(largest(12.0, 10.0, 0.25, |_| true), Some(12.0));
    }

    /// A screen that holds `capacity` items a page.
    fn holds(capacity: usize) -> impl FnMut(Range<usize>) -> bool {
        move |r| r.len() <= capacity
    }

    #[test]
    fn items_are_paged_as_few_pages_as_fit_and_evened_out() {
        assert_eq!(pages(0, holds(5)), Vec::<Range<usize>>::new());
        assert_eq!(pages(4, holds(5)), vec![0..4]);
        assert_eq!(pages(10, holds(5)), vec![0..5, 5..10]);
        // 120 post-its, 50 a page: three pages of 40, not 50 + 50 + 20.
        assert_eq!(pages(120, holds(50)), vec![0..40, 40..80, 80..120]);
        // Five groups, two a page: 2 + 2 + 1 can't be evened into three pages of equal length.
        assert_eq!(pages(5, holds(2)), vec![0..2, 2..4, 4..5]);
        // Seven on pages of five: 4 + 3.
        assert_eq!(pages(7, holds(5)), vec![0..4, 4..7]);
    }

    #[test]
    fn an_item_too_large_for_any_page_gets_one_of_its_own() {
        // Item 2 is too large alone; the others fit three a page.
        let fits = |r: Range<usize>| !r.contains(&2) && r.len() <= 3;
        let p = pages(6, fits);
        assert!(p.contains(&(2..3)), "{p:?}");
        assert_eq!(
            p.iter().map(|r| r.len()).sum::<usize>(),
            6,
            "every item on a page: {p:?}"
        );
        assert!(
            p.windows(2).all(|w| w[0].end == w[1].start),
            "in order: {p:?}"
        );
    }

    #[test]
    fn pages_whose_items_differ_in_size_are_kept_as_measured() {
        // Long post-its first: the even split would overflow the first page.
        let sizes = [3, 3, 3, 1, 1, 1, 1, 1, 1];
        let fits = |r: Range<usize>| sizes[r].iter().sum::<usize>() <= 6;
        assert_eq!(pages(9, fits), vec![0..2, 2..6, 6..9]);
    }

    #[test]
    fn evened_pages_take_few_measurements() {
        let mut asked = 0;
        let p = pages(120, |r| {
            asked += 1;
            r.len() <= 50
        });
        assert_eq!(p, vec![0..40, 40..80, 80..120]);
        assert!(asked < 60, "{asked} layouts for 120 post-its");
    }

    #[test]
    fn every_screen_turns_pages_at_the_same_moments() {
        assert_eq!(page_at(0, 3, TURN_MS), 0);
        assert_eq!(page_at(TURN_MS - 1, 3, TURN_MS), 0);
        assert_eq!(page_at(TURN_MS, 3, TURN_MS), 1);
        assert_eq!(page_at(3 * TURN_MS + 5, 3, TURN_MS), 0);
        assert_eq!(page_at(1_765_000_000_000, 1, TURN_MS), 0);
        assert!(page_at(1_765_000_000_000, 7, TURN_MS) < 7);
        assert_eq!(page_at(-5, 3, TURN_MS), 0);
    }

    #[test]
    fn ranges_are_counted_from_one() {
        assert_eq!(counted(&(0..1)), "1");
        assert_eq!(counted(&(0..2)), "1–2");
        assert_eq!(counted(&(4..6)), "5–6");
    }
}
