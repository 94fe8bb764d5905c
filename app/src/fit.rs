//! The projector's wall always fits its screen, whatever it holds: a room can't scroll a
//! projector, and a post-it cut off at the edge is a post-it nobody reads.
//!
//! The wall (`.projector-wall`) takes the height the block's clock, prompt and status leave
//! on the screen, and every size inside it is in `em` of the wall's font size (`style/`), so
//! one number scales the whole board. [`use_fit`] measures: the largest font size between
//! [`floor_px`] and [`MAX_REM`] at which the board fits. When it doesn't fit even at the floor
//! it pages, measured at the floor: the groups' boards a few at a time (the fewest pages,
//! evened out), and a board that is too large alone in parts of its post-its, steps and table
//! rows, in order. Pages turn every [`fit::TURN_MS`] by the server's clock, so every projector
//! of a session shows the same page; each page gets the largest size at which it fits.
//! What is paged and why is `draaiboeken::fit` (pure, tested there); this module measures.
//!
//! It measures again when the board changes (a `MutationObserver`: nodes and text, never the
//! attributes it sets itself) and when the wall's box changes size (a `ResizeObserver`: the
//! window, the header above it). The wall says what it did in data attributes, which the
//! browser tests read: `data-fit` (`pending`, `done`), `data-fit-size` (the box it fitted, in
//! CSS px), `data-fit-px`, `data-fit-floor`, `data-page`, `data-pages`, `data-rotate-ms`; every
//! item has `data-fit-page`, and those on other pages `data-fit-off` (not shown).

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use draaiboeken::fit;
use leptos::html::Section;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlElement};

/// The smallest text the wall shows: 1/60 of the screen's height, which is 18 CSS px at 1080
/// lines (12 px at 720, 12.8 px at 768): the same share of the picture whatever the
/// resolution, since a projector throws every resolution onto the same screen. On a picture 2
/// m high (a 3.5 m wide 16:9 screen, usual for a hall 8 m deep) that is an em of 33 mm and
/// capitals of about 24 mm, which subtend 10 minutes of arc at 8 m: twice a 20/20 letter (5′),
/// so someone with half normal acuity (visus 0.5, the Dutch minimum for driving) still reads it
/// from the back row. Smaller would lose them; larger would page sooner than it has to.
pub const FLOOR_OF_HEIGHT: f64 = 1.0 / 60.0;

/// The wall's text at most, in the projector's `rem` (which scales with the screen): 36 px at
/// 1920×1080. A board with little on it is shown this large.
pub const MAX_REM: f64 = 1.5;

/// What the wall pages, in order: post-its (steps, team members), words of a check-in, rows of
/// the step × role table, parked challenges and phase headings. An item inside another one
/// (a step's challenges) goes with it.
const ITEMS: &str = ".postit, .cloud .word, .matrix tbody tr, .parked .challenge, .phase-heading";

/// Items that head the ones after them, so they don't end a page.
const HEADINGS: &str = ".phase-heading";

/// What holds items, with a heading of its own: it goes with its items when they are all on
/// other pages.
const HOLDERS: &str = ".cluster, .matrix, .cloud, .word-notes-wall, .timeline, .parked, .team";

/// The boards of groups, pairs or earlier blocks, shown side by side.
const BOARDS: &str = ":scope > .group-board";

/// Measured to within this many CSS px.
const PRECISION_PX: f64 = 0.25;

/// The smallest text size on a screen `height` CSS px high.
pub fn floor_px(height: f64) -> f64 {
    height * FLOOR_OF_HEIGHT
}

/// What the page on screen shows, for the indicator ("Groep 1–2 van 5 · Deel 1/3").
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// The boards on this page and how many there are, when not all fit at once.
    pub boards: Option<(Range<usize>, usize)>,
    /// This page's part of one board's items, and how many parts there are.
    pub part: Option<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq)]
struct Page {
    boards: Range<usize>,
    /// Of the one board shown: its items on this page (all when `None`).
    items: Option<Range<usize>>,
    part: Option<(usize, usize)>,
}

struct Fitter {
    wall: HtmlElement,
    /// Side by side; none when the wall shows one board.
    boards: Vec<Element>,
    /// Each board's items (one list when there are no boards).
    items: Vec<Vec<Element>>,
    /// What holds items, and which (board, item) it holds.
    holders: Vec<(Element, Vec<(usize, usize)>)>,
    pages: Vec<Page>,
    page: usize,
    scheduled: bool,
}

impl Fitter {
    fn fits(&self) -> bool {
        let w = &self.wall;
        w.scroll_height() <= w.client_height() && w.scroll_width() <= w.client_width()
    }

    fn set_px(&self, px: f64) {
        let _ = self
            .wall
            .style()
            .set_property("font-size", &format!("{px:.2}px"));
    }

    /// Shows `boards`, and of the one board in `items` only those items.
    fn show(&self, boards: &Range<usize>, items: Option<&Range<usize>>) {
        for (i, b) in self.boards.iter().enumerate() {
            let _ = b.toggle_attribute_with_force("data-fit-off", !boards.contains(&i));
        }
        let mut offs = Vec::with_capacity(self.items.len());
        for (i, list) in self.items.iter().enumerate() {
            let here = self.boards.is_empty() || boards.contains(&i);
            let off: Vec<bool> = (0..list.len())
                .map(|j| !here || items.is_some_and(|r| !r.contains(&j)))
                .collect();
            for (item, &off) in list.iter().zip(&off) {
                let _ = item.toggle_attribute_with_force("data-fit-off", off && here);
            }
            offs.push(off);
        }
        for (holder, held) in &self.holders {
            let off = !held.is_empty() && held.iter().all(|&(i, j)| offs[i][j]);
            let _ = holder.toggle_attribute_with_force("data-fit-off", off);
        }
    }

    /// Finds the boards and their items again (the board may have been redrawn).
    fn collect(&mut self) {
        let all = |root: &Element, selector: &str| -> Vec<Element> {
            let Ok(list) = root.query_selector_all(selector) else {
                return Vec::new();
            };
            (0..list.length())
                .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
                .collect()
        };
        // A redrawn board may keep its elements (the view rebuilds them in place), and with
        // them what an earlier fit said about them.
        for stale in all(&self.wall, "[data-fit-off], [data-fit-page]") {
            let _ = stale.remove_attribute("data-fit-off");
            let _ = stale.remove_attribute("data-fit-page");
        }
        let boards = all(&self.wall, BOARDS);
        self.boards = if boards.len() > 1 { boards } else { Vec::new() };
        let outermost = |e: &Element| {
            e.parent_element()
                .and_then(|p| p.closest(ITEMS).ok().flatten())
                .is_none()
        };
        let roots: Vec<Element> = if self.boards.is_empty() {
            vec![self.wall.clone().into()]
        } else {
            self.boards.clone()
        };
        self.items = roots
            .iter()
            .map(|r| all(r, ITEMS).into_iter().filter(outermost).collect())
            .collect();
        self.holders = all(&self.wall, HOLDERS)
            .into_iter()
            .map(|h| {
                let mut held = Vec::new();
                for (i, list) in self.items.iter().enumerate() {
                    for (j, item) in list.iter().enumerate() {
                        if h.contains(Some(&**item)) {
                            held.push((i, j));
                        }
                    }
                }
                (h, held)
            })
            .collect();
    }

    /// The pages, measured at `floor`.
    fn plan(&self, floor: f64) -> Vec<Page> {
        self.set_px(floor);
        let nb = self.boards.len();
        let everything = 0..nb;
        self.show(&everything, None);
        let whole = Page {
            boards: everything,
            items: None,
            part: None,
        };
        if self.fits() {
            return vec![whole];
        }
        let parts_of = |boards: Range<usize>, index: usize| -> Vec<Page> {
            let list = &self.items[index];
            let mut parts = fit::pages(list.len(), |r| {
                self.show(&boards, Some(&r));
                self.fits()
            });
            if parts.is_empty() {
                // Nothing to page: shown as it is.
                return vec![Page {
                    boards,
                    items: None,
                    part: None,
                }];
            }
            // A phase's heading that ends a page goes to the next, with its steps, if it fits.
            for k in 1..parts.len() {
                let (before, next) = (parts[k - 1].clone(), parts[k].clone());
                let last = before.end - 1;
                if before.len() > 1 && list[last].matches(HEADINGS).unwrap_or(false) {
                    let moved = last..next.end;
                    self.show(&boards, Some(&moved));
                    if self.fits() {
                        parts[k - 1] = before.start..last;
                        parts[k] = moved;
                    }
                }
            }
            let count = parts.len();
            parts
                .into_iter()
                .enumerate()
                .map(|(k, r)| Page {
                    boards: boards.clone(),
                    items: Some(r),
                    part: (count > 1).then_some((k + 1, count)),
                })
                .collect()
        };
        if nb == 0 {
            return parts_of(0..0, 0);
        }
        let mut pages = Vec::new();
        for r in fit::pages(nb, |r| {
            self.show(&r, None);
            self.fits()
        }) {
            self.show(&r, None);
            if r.len() == 1 && !self.fits() {
                pages.extend(parts_of(r.clone(), r.start));
            } else {
                pages.push(Page {
                    boards: r,
                    items: None,
                    part: None,
                });
            }
        }
        pages
    }

    /// Shows page `page` as large as it fits, and says so in the wall's attributes.
    fn apply(&mut self, page: usize) -> Option<Shown> {
        self.page = page;
        let (floor, max) = sizes();
        let p = self.pages.get(page).cloned()?;
        self.show(&p.boards, p.items.as_ref());
        let px = fit::largest(floor, max, PRECISION_PX, |px| {
            self.set_px(px);
            self.fits()
        })
        .unwrap_or(floor);
        self.set_px(px);
        let w = &self.wall;
        let attrs = [
            ("data-fit-px", format!("{px:.2}")),
            ("data-fit-floor", format!("{floor:.2}")),
            ("data-page", (page + 1).to_string()),
            ("data-pages", self.pages.len().to_string()),
            ("data-rotate-ms", fit::TURN_MS.to_string()),
            (
                "data-fit-size",
                format!("{}x{}", w.client_width(), w.client_height()),
            ),
            ("data-fit", "done".to_owned()),
        ];
        for (name, value) in attrs {
            let _ = w.set_attribute(name, &value);
        }
        let several = self.pages.len() > 1;
        let nb = self.boards.len();
        Some(Shown {
            boards: (several && nb > 1 && p.boards.len() < nb).then(|| (p.boards.clone(), nb)),
            part: p.part,
        })
        .filter(|s| s.boards.is_some() || s.part.is_some())
    }

    /// Measures everything again and shows the page the clock says (or, paused, the page on
    /// screen, if there still is one).
    fn refit(&mut self, now: i64, paused: bool) -> Option<Shown> {
        self.scheduled = false;
        self.collect();
        let (floor, _) = sizes();
        self.pages = self.plan(floor);
        for (n, p) in self.pages.iter().enumerate() {
            for (i, list) in self.items.iter().enumerate() {
                if !self.boards.is_empty() && !p.boards.contains(&i) {
                    continue;
                }
                for (j, item) in list.iter().enumerate() {
                    if p.items.as_ref().is_none_or(|r| r.contains(&j)) {
                        let _ = item.set_attribute("data-fit-page", &(n + 1).to_string());
                    }
                }
            }
        }
        let page = if paused {
            self.page.min(self.pages.len().saturating_sub(1))
        } else {
            fit::page_at(now, self.pages.len(), fit::TURN_MS)
        };
        self.apply(page)
    }
}

/// The floor and the ceiling of the wall's text on this screen, in CSS px.
fn sizes() -> (f64, f64) {
    let window = window();
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(1080.0);
    let root = document()
        .document_element()
        .and_then(|e| window.get_computed_style(&e).ok().flatten())
        .and_then(|s| s.get_property_value("font-size").ok())
        .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
        .unwrap_or(16.0);
    let floor = floor_px(height);
    (floor, (root * MAX_REM).max(floor))
}

/// Fits the wall behind `wall` to its box for as long as the page lives, turning pages by
/// `now` (the server's clock) unless `paused` (WCAG 2.2.2: what moves on its own can be
/// stopped); what the page on screen shows, for the indicator.
pub fn use_fit(
    wall: NodeRef<Section>,
    now: ReadSignal<i64>,
    paused: ReadSignal<bool>,
) -> ReadSignal<Option<Shown>> {
    let (shown, set_shown) = signal(None::<Shown>);
    let state: Rc<RefCell<Option<Fitter>>> = Rc::new(RefCell::new(None));
    let state = SendWrapper::new(state);
    // Measures in the next frame, once however many changes came before it.
    let schedule = {
        let state = state.clone();
        SendWrapper::new(Rc::new(move || {
            let first = state.borrow_mut().as_mut().is_some_and(|f| {
                let first = !f.scheduled;
                f.scheduled = true;
                let _ = f.wall.set_attribute("data-fit", "pending");
                first
            });
            if first {
                let state = state.clone();
                request_animation_frame(move || {
                    let s = state
                        .borrow_mut()
                        .as_mut()
                        .and_then(|f| f.refit(now.get_untracked(), paused.get_untracked()));
                    set_shown.set(s);
                });
            }
        }) as Rc<dyn Fn()>)
    };
    let observers = SendWrapper::new(Rc::new(RefCell::new(None)));
    {
        let (state, schedule, observers) = (state.clone(), schedule.clone(), observers.clone());
        Effect::new(move |_| {
            let Some(el) = wall.get() else { return };
            if state.borrow().is_some() {
                return;
            }
            *state.borrow_mut() = Some(Fitter {
                wall: el.clone(),
                boards: Vec::new(),
                items: Vec::new(),
                holders: Vec::new(),
                pages: Vec::new(),
                page: 0,
                scheduled: false,
            });
            *observers.borrow_mut() = observe(&el, (*schedule).clone());
            schedule();
        });
    }
    {
        // The pages turn by the clock, unless paused; going on shows the clock's page again.
        let state = state.clone();
        Effect::new(move |_| {
            let now = now.get();
            if paused.get() {
                return;
            }
            let turned = state.borrow_mut().as_mut().and_then(|f| {
                let page = fit::page_at(now, f.pages.len(), fit::TURN_MS);
                (page != f.page && !f.scheduled).then(|| f.apply(page))
            });
            if let Some(s) = turned {
                set_shown.set(s);
            }
        });
    }
    on_cleanup(move || {
        if let Some((m, r, _, _)) = observers.borrow_mut().take() {
            m.disconnect();
            r.disconnect();
        }
    });
    shown
}

type Observers = (
    web_sys::MutationObserver,
    web_sys::ResizeObserver,
    Closure<dyn FnMut()>,
    Closure<dyn FnMut()>,
);

/// Calls `changed` when the wall's content or its box changes. The attributes the fitter sets
/// itself (`data-*`, `style`) are not watched, so measuring doesn't measure again.
fn observe(wall: &HtmlElement, changed: Rc<dyn Fn()>) -> Option<Observers> {
    let on_mutation = {
        let changed = changed.clone();
        Closure::<dyn FnMut()>::new(move || changed())
    };
    let on_resize = Closure::<dyn FnMut()>::new(move || changed());
    let mutations = web_sys::MutationObserver::new(on_mutation.as_ref().unchecked_ref()).ok()?;
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_character_data(true);
    let watched = js_sys::Array::of3(&"class".into(), &"hidden".into(), &"open".into());
    options.set_attribute_filter(&watched);
    mutations.observe_with_options(wall, &options).ok()?;
    let resizes = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
    resizes.observe(wall);
    Some((mutations, resizes, on_mutation, on_resize))
}
