//! The agenda as every screen shows it: the current block, its time left on the server's
//! clock, overrun, and the expected end. The state comes from the session's control document
//! (written only by the server); the numbers are computed by the core, as on the server.

use draaiboeken::agenda::{AgendaState, AgendaView, ClockMoment, Step};
use draaiboeken::sessie::{Control, SessionDoc};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use yrs::{Doc, Map, Transact};

use crate::api;
use crate::board_ui::doc_url;
use crate::i18n::{Key, Lang, t, tf, tr, trf, use_lang};
use crate::sync::SyncClient;

#[derive(Debug, Clone, PartialEq)]
pub struct Agenda {
    pub state: AgendaState,
    pub steps: Vec<Step>,
    /// Reveals, locks, groups and what the projector shows.
    pub control: Control,
}

impl Agenda {
    pub fn view(&self, now: i64) -> AgendaView {
        self.state.view(&self.steps, now)
    }

    pub fn current_step(&self) -> Option<&Step> {
        self.current().and_then(|i| self.steps.get(i))
    }

    /// The current step with its index, while the session runs.
    pub fn running(&self) -> Option<(usize, &Step)> {
        let i = self.current()?;
        Some((i, self.steps.get(i)?))
    }

    /// The current step's index, while the session runs.
    pub fn current(&self) -> Option<usize> {
        self.state.running_step()
    }
}

fn read(doc: &Doc) -> Option<Agenda> {
    let map = doc.get_or_insert_map("agenda");
    let txn = doc.transact();
    let state = map.get(&txn, "state")?.to_string(&txn);
    let steps = map.get(&txn, "steps")?.to_string(&txn);
    let control = map
        .get(&txn, "control")
        .and_then(|c| serde_json::from_str(&c.to_string(&txn)).ok())
        .unwrap_or_default();
    Some(Agenda {
        state: serde_json::from_str(&state).ok()?,
        steps: serde_json::from_str(&steps).ok()?,
        control,
    })
}

/// Connects to the session's agenda document; the memo follows every change.
pub fn use_agenda(session: &str, token: &str) -> (SyncClient, Memo<Option<Agenda>>) {
    let client = SyncClient::connect(doc_url(session, &SessionDoc::Agenda, token));
    let version = client.version;
    let doc = SendWrapper::new(client.doc().clone());
    let agenda = Memo::new(move |_| {
        version.track();
        read(&doc)
    });
    let closer = SendWrapper::new(client.clone());
    on_cleanup(move || closer.close());
    (client, agenda)
}

/// The server's time as this device estimates it, ticking four times a second.
pub fn use_server_clock() -> ReadSignal<i64> {
    let offset = RwSignal::new(0i64);
    leptos::task::spawn_local(async move {
        if let Some(measured) = api::measure_clock_offset().await {
            offset.set(measured);
        }
    });
    let (now, set_now) = signal(api::device_now() as i64);
    if let Ok(handle) = set_interval_with_handle(
        move || set_now.set(api::device_now() as i64 + offset.get_untracked()),
        std::time::Duration::from_millis(250),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// `12:05`; negative durations are shown without sign (the caller says "over time").
pub fn format_duration(ms: i64) -> String {
    let secs = ms.unsigned_abs().div_ceil(1000);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A moment as local `HH:MM`.
pub fn format_clock(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

pub fn step_title(step: &Step, lang: Lang) -> String {
    let title = step.title.get(lang);
    match &step.letter {
        Some(letter) => format!("{letter}. {title}"),
        None => title.to_owned(),
    }
}

/// The draaiboek's guidance for the facilitator in the current block (before the start: the
/// first block's), what the phones are asked, and which block comes after it. Facilitator
/// texts follow this device's language; built-ins have them in Dutch and English, own
/// draaiboeken at least in Dutch.
#[component]
pub fn FacilitatorGuide(agenda: Memo<Option<Agenda>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let a = agenda.get()?;
        if a.state.ended {
            return None;
        }
        let l = lang.get();
        let i = a.current().unwrap_or(0);
        let step = a.steps.get(i)?;
        let guide = step.instructions.facilitator.as_ref().map(|t| {
            t.get(l)
                .split("\n\n")
                .map(|p| view! { <p class="guide-text">{p.to_owned()}</p> })
                .collect_view()
        });
        let phones = step.instructions.participants.as_ref().map(|t| {
            let text = t.get(l).to_owned();
            view! { <p class="guide-phones">{trf(Key::OnThePhones, &[("text", &text)])}</p> }
        });
        let next = a.steps.get(i + 1).map(|s| {
            let (title, n) = (step_title(s, l), s.planned_minutes);
            view! { <p class="up-next">{trf(Key::UpNext, &[("title", &title), ("n", &n)])}</p> }
        });
        Some(view! {
            <section class="guide" aria-labelledby="guide-heading">
                <h2 id="guide-heading">{tr(Key::FacilitatorGuide)}</h2>
                {guide}
                {phones}
                {next}
            </section>
        })
    }
}

/// The current block and its timer, large.
#[component]
pub fn BlockClock(agenda: Memo<Option<Agenda>>, now: ReadSignal<i64>) -> impl IntoView {
    let lang = use_lang();
    let view = Memo::new(move |_| agenda.get().map(|a| (a.view(now.get()), a)));
    // Said to screen readers, in live regions that stay on the page: the clock's moments (not
    // its every second), and that a private block's answers are shown.
    let moment = Memo::new(move |_| view.with(|v| v.as_ref().and_then(|(v, _)| v.moment())));
    let said = move || {
        let (step, m) = moment.get()?;
        let l = lang.get();
        let title = agenda.with(|a| {
            a.as_ref()
                .and_then(|a| a.steps.get(step))
                .map(|s| step_title(s, l))
        })?;
        let key = match m {
            ClockMoment::Running => Key::NowBlock,
            ClockMoment::LastMinute => Key::LastMinute,
            ClockMoment::TimeUp => Key::TimeIsUp,
        };
        Some(tf(l, key, &[("title", &title)]))
    };
    let revealed = Memo::new(move |_| {
        agenda.with(|a| {
            a.as_ref().and_then(|a| {
                let (i, s) = a.running()?;
                (s.private && a.control.revealed.contains(&i)).then_some(i)
            })
        })
    });
    let revealed_said = move || revealed.get().map(|_| t(lang.get(), Key::RevealedNow));
    let clock = move || {
        let Some((v, a)) = view.get() else {
            return view! { <p class="muted">{tr(Key::Loading)}</p> }.into_any();
        };
        if v.ended {
            return view! { <p class="big-message">{tr(Key::Ended)}</p> }.into_any();
        }
        let Some(step) = a.current_step().cloned() else {
            return view! { <p class="big-message">{tr(Key::NotStarted)}</p> }.into_any();
        };
        let remaining = v.remaining_ms.unwrap_or(0);
        let label = if v.overrun {
            Key::Overrun
        } else if !v.running {
            Key::Paused
        } else {
            Key::TimeLeft
        };
        let class = if v.overrun {
            "timer overrun"
        } else if v.running {
            "timer"
        } else {
            "timer paused"
        };
        let end = v.expected_end_ms.map(format_clock).unwrap_or_default();
        view! {
            <section class="block-clock">
                <h2 class="block-title">{step_title(&step, lang.get())}</h2>
                <p class=class>
                    <span class="timer-label">{tr(label)}</span>
                    <span class="timer-value" role="timer">
                        {if v.overrun { "+" } else { "" }}
                        {format_duration(remaining)}
                    </span>
                </p>
                <p class="expected-end">{trf(Key::ExpectedEnd, &[("time", &end)])}</p>
            </section>
        }
        .into_any()
    };
    view! {
        <p class="sr-only" role="status">{said}</p>
        <p class="sr-only" role="status">{revealed_said}</p>
        {clock}
    }
}
