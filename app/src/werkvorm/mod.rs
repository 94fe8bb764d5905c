//! The werkvormen in the browser, one module each: what a block of that werkvorm shows on a
//! phone, on the console and on the projector. Each module gives a type implementing
//! [`WerkvormUi`]; its defaults are the plain post-it wall ([`post_its`]), or the process map
//! ([`proces_map`]) for a werkvorm that works on one. [`with`] is the one table from a
//! [`Werkvorm`] to its module; the pages call it through the functions below.
//!
//! The table dispatches generically, never through function pointers or trait objects: each
//! surface is its own bundle, and each function here calls one method only, so the link-time
//! optimiser leaves the other surfaces' views out of a bundle (a phone never holds the
//! console's views).

pub mod afsluiting;
pub mod check_in;
pub mod dreamteam;
pub mod een_op_een;
pub mod expertise;
pub mod introductie;
pub mod pauze;
pub mod plenair;
pub mod post_its;
pub mod proces_in_kaart;
pub mod proces_map;
pub mod regie;
pub mod rollen;
pub mod uitdagingen;

use draaiboeken::draaiboek::{Role, Text};
use draaiboeken::sessie::{ControlCommand, MemberInfo};
use draaiboeken::werkvorm::Werkvorm;
use leptos::prelude::*;

use crate::agenda_ui::Agenda;
use crate::board_ui::{Composer, LiveBoard, Own};
use crate::i18n::{Key, rich, tr};
use proces_map::{Extras, ProcessCtx};

/// What a phone hands the block's werkvorm: the board and what this participant may do there.
#[derive(Clone)]
pub struct PhoneCtx {
    pub werkvorm: Werkvorm,
    /// The participant's own document while they write privately, else the block's board
    /// (their group's, their pair's).
    pub live: LiveBoard,
    pub member: String,
    /// May write now (the board is open, and not a revealed private block).
    pub writable: bool,
    /// The facilitator locked the board.
    pub locked: bool,
    /// The participant's group, to show them (none in pairs).
    pub group: Option<u32>,
    pub roles: Vec<Role>,
    /// A civil servant: marks steps as coming from the municipal process.
    pub civil: bool,
    /// The block's question cards.
    pub questions: Vec<Text>,
}

impl PhoneCtx {
    /// The composer, while the participant may write.
    pub fn composer(&self, one_word: bool) -> Option<impl IntoView + use<>> {
        let (live, author) = (self.live.clone(), Some(self.member.clone()));
        self.writable
            .then(|| view! { <Composer live=live one_word=one_word author=author/> })
    }

    pub fn locked_note(&self) -> Option<impl IntoView + use<>> {
        self.locked
            .then(|| view! { <p class="locked" role="status">{tr(Key::Locked)}</p> })
    }

    pub fn group_note(&self) -> Option<impl IntoView + use<>> {
        self.group.map(|g| {
            view! { <p class="your-group">{rich(Key::YourGroupIs, move |_| view! { <strong>{g}</strong> })}</p> }
        })
    }

    /// The participant may take their own post-its back off the board while it is open.
    pub fn own(&self) -> Option<Own> {
        self.writable.then(|| Own {
            member: self.member.clone(),
            doc: self.live.doc.clone(),
        })
    }

    pub fn process_ctx(&self) -> ProcessCtx {
        ProcessCtx {
            me: self.member.clone(),
            roles: self.roles.clone(),
            facilitator: false,
            civil: self.civil,
            writable: self.writable,
        }
    }

    /// The usual phone: the group, the composer (if the werkvorm `writes` post-its here), the
    /// lock, then the board under `heading`.
    pub fn layout<V: IntoView + 'static>(
        self,
        writes: bool,
        heading: Key,
        board: impl FnOnce(&PhoneCtx) -> V,
    ) -> AnyView {
        let composer = writes.then(|| self.composer(false));
        let board = board(&self);
        view! {
            {self.group_note()}
            {composer}
            {self.locked_note()}
            <section class="wall" aria-labelledby="wall-heading">
                <h2 id="wall-heading">{tr(heading)}</h2>
                {board}
            </section>
        }
        .into_any()
    }
}

/// What the console hands the block's werkvorm: the board (one group's, when the facilitator
/// picks one) in the facilitator's hands.
#[derive(Clone)]
pub struct ConsoleCtx {
    pub werkvorm: Werkvorm,
    pub live: LiveBoard,
    pub roles: Vec<Role>,
    /// Who wrote what, for the facilitator.
    pub members: Memo<Vec<MemberInfo>>,
}

impl ConsoleCtx {
    pub fn process_ctx(&self) -> ProcessCtx {
        ProcessCtx {
            me: "facilitator".into(),
            roles: self.roles.clone(),
            facilitator: true,
            civil: true,
            writable: true,
        }
    }
}

/// What the projector hands a werkvorm: a board to show large and read-only.
#[derive(Clone)]
pub struct ProjectorCtx {
    pub werkvorm: Werkvorm,
    pub live: LiveBoard,
    pub roles: Vec<Role>,
}

impl ProjectorCtx {
    pub fn process_ctx(&self) -> ProcessCtx {
        ProcessCtx {
            me: String::new(),
            roles: self.roles.clone(),
            facilitator: false,
            civil: false,
            writable: false,
        }
    }
}

/// What phones and the projector hand a werkvorm for its view above the board.
#[derive(Clone, Copy)]
pub struct StatusCtx {
    pub agenda: Memo<Option<Agenda>>,
    pub now: ReadSignal<i64>,
}

/// What the console hands a werkvorm for its panels beside the board.
#[derive(Clone)]
pub struct PanelCtx {
    pub session: String,
    pub token: String,
    pub agenda: Memo<Option<Agenda>>,
    pub now: ReadSignal<i64>,
    pub members: Memo<Vec<MemberInfo>>,
    /// Sends a facilitator's command.
    pub control: Callback<ControlCommand>,
}

/// A werkvorm's views. Every method has a default: the post-it wall, or the process map with
/// [`WerkvormUi::MAP`] for a werkvorm that works on one ([`Werkvorm::is_process`]).
pub trait WerkvormUi {
    /// What the werkvorm adds to the process map.
    const MAP: Extras = Extras::NONE;

    /// What a phone says in a block of this werkvorm that has no board.
    const NO_BOARD: Key = Key::NoBoardNow;

    /// A phone on the block's board.
    fn phone(ctx: PhoneCtx) -> AnyView {
        let (map, wall) = (proces_map::phone, post_its::phone);
        map_or_wall(ctx.werkvorm.is_process(), Self::MAP, ctx, map, wall)
    }

    /// A phone writing privately, in the participant's own document, before the reveal.
    fn phone_private(ctx: PhoneCtx) -> AnyView {
        post_its::phone_private(ctx)
    }

    /// The console: the board in the facilitator's hands.
    fn console(ctx: ConsoleCtx) -> AnyView {
        let (map, wall) = (proces_map::console, post_its::console);
        map_or_wall(ctx.werkvorm.is_process(), Self::MAP, ctx, map, wall)
    }

    /// The projector: a board, large and read-only.
    fn projector(ctx: ProjectorCtx) -> AnyView {
        let (map, wall) = (proces_map::projector, post_its::projector);
        map_or_wall(ctx.werkvorm.is_process(), Self::MAP, ctx, map, wall)
    }

    // The views below are made once, when a surface opens, and stay for the whole session;
    // each shows itself only while it applies (from the agenda it is given).

    /// On phones and the projector, above the board: while a block of this werkvorm runs.
    fn status(_ctx: StatusCtx) -> Option<AnyView> {
        None
    }

    /// On the console, above the board: while a block of this werkvorm runs.
    fn console_panel(_ctx: PanelCtx) -> Option<AnyView> {
        None
    }

    /// On the console, below the groups: what the facilitator prepares for this werkvorm's
    /// blocks, while the agenda has one.
    fn console_prepare(_ctx: PanelCtx) -> Option<AnyView> {
        None
    }
}

/// The map's view of a werkvorm `on_map`, with what it adds there; else the wall's.
fn map_or_wall<C>(
    on_map: bool,
    extras: Extras,
    ctx: C,
    map: fn(C, Extras) -> AnyView,
    wall: fn(C) -> AnyView,
) -> AnyView {
    if on_map { map(ctx, extras) } else { wall(ctx) }
}

/// One call of a [`WerkvormUi`] method, for whichever werkvorm [`with`] finds.
pub trait Visit {
    type Out;
    fn visit<W: WerkvormUi>(self) -> Self::Out;
}

/// The table: each werkvorm's module. The app's only `match` on werkvormen.
pub fn with<V: Visit>(werkvorm: Werkvorm, v: V) -> V::Out {
    match werkvorm {
        Werkvorm::Introductie => v.visit::<introductie::Introductie>(),
        Werkvorm::CheckIn => v.visit::<check_in::CheckIn>(),
        Werkvorm::PostIts => v.visit::<post_its::PostIts>(),
        Werkvorm::ProcesInKaart => v.visit::<proces_in_kaart::ProcesInKaart>(),
        Werkvorm::Regie => v.visit::<regie::Regie>(),
        Werkvorm::Expertise => v.visit::<expertise::Expertise>(),
        Werkvorm::Uitdagingen => v.visit::<uitdagingen::Uitdagingen>(),
        Werkvorm::Rollen => v.visit::<rollen::Rollen>(),
        Werkvorm::Dreamteam => v.visit::<dreamteam::Dreamteam>(),
        Werkvorm::EenOpEen => v.visit::<een_op_een::EenOpEen>(),
        Werkvorm::Plenair => v.visit::<plenair::Plenair>(),
        Werkvorm::Pauze => v.visit::<pauze::Pauze>(),
        Werkvorm::Afsluiting => v.visit::<afsluiting::Afsluiting>(),
    }
}

/// What a phone says in a block without a board (see [`WerkvormUi::NO_BOARD`]).
pub fn no_board(werkvorm: Option<Werkvorm>) -> Key {
    struct Call;
    impl Visit for Call {
        type Out = Key;
        fn visit<W: WerkvormUi>(self) -> Key {
            W::NO_BOARD
        }
    }
    werkvorm.map_or(Key::NoBoardNow, |w| with(w, Call))
}

/// A visitor that calls `W::$method` with the context it holds.
macro_rules! visitor {
    ($method:ident($ctx:ty) -> $out:ty) => {{
        #[derive(Clone)]
        struct Call($ctx);
        impl Visit for Call {
            type Out = $out;
            fn visit<W: WerkvormUi>(self) -> $out {
                W::$method(self.0)
            }
        }
        Call
    }};
}

/// The pages' entry points, each calling one [`WerkvormUi`] method: `one` for the werkvorm its
/// context is for, `every` for every werkvorm.
macro_rules! entry {
    (one: $($(#[$doc:meta])* $name:ident($ctx:ty);)*) => {$(
        $(#[$doc])*
        pub fn $name(ctx: $ctx) -> AnyView {
            with(ctx.werkvorm, visitor!($name($ctx) -> AnyView)(ctx))
        }
    )*};
    (every: $($(#[$doc:meta])* $name:ident = $method:ident($ctx:ty);)*) => {$(
        $(#[$doc])*
        pub fn $name(ctx: $ctx) -> Vec<AnyView> {
            every(visitor!($method($ctx) -> Option<AnyView>)(ctx))
        }
    )*};
}

/// Every werkvorm's view from `v`, for a place on a surface that holds them for the whole
/// session: each shows itself while it applies.
fn every<V: Visit<Out = Option<AnyView>> + Clone>(v: V) -> Vec<AnyView> {
    Werkvorm::ALL
        .into_iter()
        .filter_map(|w| with(w, v.clone()))
        .collect()
}

entry! { one:
    /// See [`WerkvormUi::phone`].
    phone(PhoneCtx);
    /// See [`WerkvormUi::phone_private`].
    phone_private(PhoneCtx);
    /// See [`WerkvormUi::console`].
    console(ConsoleCtx);
    /// See [`WerkvormUi::projector`].
    projector(ProjectorCtx);
}

entry! { every:
    /// Above the board on phones and the projector (see [`WerkvormUi::status`]).
    status = status(StatusCtx);
    /// On the console above the board (see [`WerkvormUi::console_panel`]).
    console_panels = console_panel(PanelCtx);
    /// On the console below the groups (see [`WerkvormUi::console_prepare`]).
    console_preparations = console_prepare(PanelCtx);
}

/// The style property that gives an element a role's colour (`--role`), set through the CSSOM so
/// the content security policy (no inline style attributes) allows it. The colour comes from a
/// checked draaiboek (`#rrggbb`).
pub fn role_style(role: &draaiboeken::draaiboek::Role) -> (&'static str, String) {
    ("--role", role.colour.clone())
}

/// The `data-ink` value that picks the text colour reading on a role's colour: the stylesheet
/// writes white on `light` ink and black otherwise (`draaiboeken::colour::ink_on`).
pub fn role_ink(role: &draaiboeken::draaiboek::Role) -> &'static str {
    if role.ink() == "#fff" {
        "light"
    } else {
        "dark"
    }
}
