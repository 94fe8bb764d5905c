//! The one translation layer: every string a user sees comes from here, in the browser app, in
//! the join screen the server renders and in the export's documents.
//!
//! Each language is a table of its own (`nl.rs`, `en.rs`, `tr.rs`, `ar.rs`): an exhaustive `match` over [`Key`]
//! (and over [`Counted`] with the language's [`Plural`] categories), so a language that lacks a
//! message doesn't build. Messages have named placeholders (`{n}`, `{name}`), filled by [`tf`]
//! and [`tn`] (or rendered piece by piece with [`pieces`], where a placeholder is an element);
//! a sentence is one message, never glued from fragments. Dutch is the default and the
//! fallback; the list of languages is spelled once, in the `languages!` call below.

mod fill;
mod refusal;
pub mod statement;
mod text;

pub use fill::{Piece, fill, pieces, placeholders};
pub use refusal::{RefusalCode, refusal_text};
pub use text::Text;

/// Declares the languages once: each is a variant of [`Lang`] and the module of its table, in
/// the order a language menu lists them. Dutch first: it is the default and the fallback.
macro_rules! languages {
    ($($lang:ident => $module:ident),+ $(,)?) => {
        $(mod $module;)+

        /// A language Werkmuur speaks.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Lang {
            $($lang),+
        }

        impl Lang {
            /// Every language, Dutch first.
            pub const ALL: &'static [Lang] = &[$(Lang::$lang),+];

            fn locale(self) -> &'static Locale {
                match self {
                    $(Lang::$lang => &$module::LOCALE),+
                }
            }
        }
    };
}

languages! {
    Nl => nl,
    En => en,
    Tr => tr,
    Ar => ar,
}

/// What a language's table holds besides its messages.
struct Locale {
    /// BCP 47: the `lang` attribute, `?lang=` and the draaiboek files' keys.
    code: &'static str,
    /// The language's name in itself, for the language menu.
    name: &'static str,
    direction: Direction,
    /// The CLDR plural category of a number.
    plural: fn(u64) -> Plural,
    message: fn(Key) -> &'static str,
    counted: fn(Counted, Plural) -> &'static str,
    /// Between day, month and year (see [`Lang::date_time`]).
    date_separator: char,
}

/// A moment on the wall clock: what [`Lang::date_time`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    RightToLeft,
}

impl Direction {
    /// The HTML `dir` attribute.
    pub fn attribute(self) -> &'static str {
        match self {
            Direction::LeftToRight => "ltr",
            Direction::RightToLeft => "rtl",
        }
    }
}

/// The CLDR plural categories; each language uses those its rules name (Dutch, English and
/// Turkish `One` and `Other`; Arabic all six).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// The CLDR rule of Dutch, English, Turkish and many more: "one" for 1, "other" for every other number.
fn one_other(n: u64) -> Plural {
    if n == 1 { Plural::One } else { Plural::Other }
}

impl Lang {
    /// The default, and the language a text falls back to.
    pub const DEFAULT: Lang = Lang::Nl;

    pub fn code(self) -> &'static str {
        self.locale().code
    }

    /// The language's name in itself ("Nederlands", "English").
    pub fn name(self) -> &'static str {
        self.locale().name
    }

    pub fn direction(self) -> Direction {
        self.locale().direction
    }

    pub fn plural(self, n: u64) -> Plural {
        (self.locale().plural)(n)
    }

    /// A date and time as the language writes it, day first and a 24-hour clock in all four:
    /// `24-11-2026 10:45` (Dutch), `24/11/2026 10:45` (English as in Britain, and Arabic),
    /// `24.11.2026 10:45` (Turkish). Every language writes Western digits: Arabic in the
    /// Netherlands (and in the Maghreb) does, and a join code or a time must read the same on
    /// every screen in the room.
    pub fn date_time(self, t: LocalTime) -> String {
        let sep = self.locale().date_separator;
        format!(
            "{d:02}{sep}{m:02}{sep}{y:04} {h:02}:{min:02}",
            d = t.day,
            m = t.month,
            y = t.year,
            h = t.hour,
            min = t.minute
        )
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.iter().copied().find(|l| l.code() == code)
    }

    /// The language of a BCP 47 tag such as `en-GB` or `nl_NL` (by its first subtag, in any
    /// case), if Werkmuur speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .iter()
            .copied()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The codes, for messages: `nl, en`.
    pub fn codes() -> String {
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        codes.join(", ")
    }
}

impl Default for Lang {
    fn default() -> Lang {
        Lang::DEFAULT
    }
}

/// As JSON a language is its code, `"ar"`.
impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Lang::from_code(&code).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "unknown language `{code}`: use {}",
                Lang::codes()
            ))
        })
    }
}

/// A string, one of the codes.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Lang {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(Lang::ALL.iter().map(|l| l.code())))
            .description(Some("A language Werkmuur speaks, by its BCP 47 code"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Lang {}

/// Declares a set of message keys with `ALL`, for the tests that compare the languages.
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident { $($(#[$key_doc:meta])* $key:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$key_doc])* $key),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),+];
        }
    };
}

keys! {
    /// A message that depends on a number, `{count}`, in the plural category of that number.
    Counted {
        /// `{count}` post-its.
        Notes,
        /// `{count}` participants.
        Members,
        /// `{count}` of `{total}` have written something.
        Written,
        /// How long a session's data is kept: `{count}` days after it ended (see [`data_kept`]).
        DataKept,
    }
}

keys! {
    /// A message. Its placeholders are the same in every language (a test checks).
    Key {
        AppName,
        Tagline,
        RoomLabel,
        RoomHint,
        Open,
        InvalidRoom,
        NewNote,
        NoteHint,
        NotesFull,
        Add,
        WallHeading,
        EmptyWall,
        StatusConnecting,
        StatusOnline,
        StatusOffline,
        StatusDenied,
        Language,
        /// The facilitator's choice of the session's language (the projector's, the reports').
        SessionLanguage,
        SessionLanguageHint,
        Home,
        StartHeading,
        ChooseDraaiboek,
        StartSession,
        JoinHeading,
        CodeLabel,
        CodeHint,
        Join,
        NameLabel,
        RoleLabel,
        FreeWallHeading,
        JoinCodeIs,
        JoinWithCode,
        AgendaHeading,
        Planned,
        Actual,
        BeginSession,
        PauseTimer,
        ResumeTimer,
        NextBlock,
        PreviousBlock,
        PlusOne,
        PlusFive,
        NotStarted,
        Ended,
        TimeLeft,
        Overrun,
        Paused,
        ExpectedEnd,
        Loading,
        NetworkError,
        NoToken,
        LinkHeading,
        LinkHint,
        MakeNewLink,
        ConfirmNewLink,
        NewLinkMade,
        EndSession,
        ConfirmEndSession,
        SessionOver,
        Members,
        Break,
        Minutes,
        Instruction,
        OpenProjector,
        DeleteSession,
        ConfirmDeleteSession,
        OpenConsole,
        SessionOwner,
        HandOver,
        HandOverTo,
        KeepLink,
        HandOverButton,
        ConfirmHandOver,
        HandedOverTo,
        ConsoleFromAccount,
        FacilitatorGuide,
        OnThePhones,
        UpNext,
        EmptyWord,
        EmptyNote,
        CharsLeft,
        CharsOver,
        ChooseRole,
        RefusedName,
        RefusedFull,
        RefusedNoSuchAccount,
        RefusedServerFull,
        RefusedRemoved,
        RefusedBadRequest,
        RefusedSignIn,
        RefusedForbidden,
        RefusedNotFound,
        RefusedConflict,
        RefusedTooLarge,
        RefusedInvalid,
        RefusedServer,
        RemoveMember,
        ConfirmRemoveMember,
        ProjectorHeading,
        ProjectorCodeHeading,
        ProjectorCodeLabel,
        ProjectorCodeHint,
        ShowSession,
        WrongProjectorCode,
        NoProjectorAccess,
        EnterProjectorCode,
        ProjectorElsewhere,
        LoopbackOnly,
        NoNetwork,
        NoSuchCode,
        YourWord,
        OneWordHint,
        OneWordNudge,
        UseSuggestion,
        SendWord,
        WordPrivate,
        WordReceived,
        NotesPrivate,
        YourNotes,
        WaitingForReveal,
        Reveal,
        RevealedNote,
        Lock,
        Unlock,
        Locked,
        ShowCode,
        HideCode,
        GroupsHeading,
        SpreadGroups,
        GroupCount,
        Group,
        MemberGroup,
        NoGroup,
        EmptyChoice,
        ProjectorShows,
        AllGroups,
        Online,
        OfflineMember,
        NewClusterLabel,
        AddCluster,
        RemoveCluster,
        ClusterName,
        Loose,
        MoveTo,
        EditText,
        Hide,
        HideNamed,
        ShowNote,
        Delete,
        DeleteNamed,
        MergeInto,
        ClusterOf,
        MergeNamed,
        ShowNamed,
        WrittenBy,
        NotMerged,
        HiddenTag,
        ModerationHeading,
        WordsHeading,
        PrevWord,
        NextWord,
        Highlight,
        BelongsTo,
        OwnGroup,
        Question,
        YourGroupIs,
        BoardOf,
        NoBoardNow,
        BreakNow,
        DragHint,
        Facilitator,
        FullScreen,
        PausePages,
        ResumePages,
        FitGroups,
        FitPairs,
        FitBoards,
        FitPart,
        ExportHeading,
        ExportHint,
        ExportReport,
        ExportMarkdown,
        ExportCsv,
        ExportJson,
        Anonymous,
        ExportOdt,
        OrganiserHeading,
        SignInHeading,
        AccountName,
        Password,
        SignIn,
        SignOut,
        SignedInAs,
        SignInHint,
        WrongPassword,
        SignInWithOrganisation,
        OidcExpired,
        OidcRefused,
        OidcInvalid,
        OidcUnreachable,
        OidcNoRole,
        OidcTooMany,
        SessionsHeading,
        NoSessions,
        SessionEnded,
        BoardPictures,
        AddStep,
        StepText,
        AddPhase,
        PhaseName,
        NoPhase,
        MoveUp,
        MoveDown,
        MoveToPhase,
        MergeWith,
        MunicipalStep,
        MunicipalShort,
        DragHandle,
        NoSteps,
        StickerNow,
        StickerCould,
        StickerNowBy,
        StickerCouldBy,
        PlaceSticker,
        StickerNowLegend,
        StickerCouldLegend,
        Matrix,
        StepColumn,
        RegieLegend,
        LeadInitiator,
        LeadMunicipality,
        LeadUnclear,
        RegieNote,
        ExpertiseWhat,
        ExpertiseFrom,
        ExpertiseMunicipal,
        AddExpertise,
        ChallengeText,
        AddChallenge,
        Parked,
        ParkChallenge,
        AttachTo,
        TeamHeading,
        TeamName,
        TeamPresent,
        TeamBrings,
        TeamAdd,
        TeamLead,
        TeamWished,
        TeamModeLegend,
        TeamModeLead,
        TeamModeEqual,
        TeamEmpty,
        PairHeading,
        PairWith,
        PairAbout,
        NoPair,
        QuestionCards,
        PairTalksAbout,
        PairsTalking,
        Summary,
        SaveSummary,
        SummarySaved,
        PairsHeading,
        MakePairs,
        Pair,
        MemberPair,
        PairName,
        SummariesWritten,
        NoPairs,
        PlenaryHeading,
        HasTheFloor,
        NextGroup,
        GiveFloor,
        EndRound,
        SpeakingTime,
        TimeUp,
        PlenaryWaiting,
        Delete2,
        StepsHeading,
        NoPairOption,
        TooManyTries,
        // The export's report and spreadsheet.
        ReportTitle,
        ReportCode,
        ReportWhen,
        ReportPlace,
        PlaceLabel,
        PlaceHint,
        ReportParticipants,
        ReportAnonymous,
        ReportTiming,
        ReportNotRun,
        ReportQuestion,
        ReportWords,
        ReportLoose,
        ReportNotes,
        ReportNothing,
        ReportOriginally,
        ReportMergedWith,
        ReportSteps,
        ReportMunicipalStep,
        ReportStickersNow,
        ReportStickersCould,
        ReportStickersBoth,
        ReportRolesNow,
        ReportRolesCould,
        ReportRegie,
        ReportRegieWhy,
        ReportLeadInitiator,
        ReportLeadMunicipality,
        ReportLeadUnclear,
        ReportExpertise,
        ReportExpertiseFrom,
        ReportExpertiseMunicipal,
        ReportExpertiseFromMunicipal,
        ReportChallenges,
        ReportParked,
        ReportPresent,
        ReportPresentLead,
        ReportWished,
        ReportWishedLead,
        ReportTeamMember,
        ReportTeamMemberBrings,
        ReportModeLead,
        ReportModeEqual,
        CsvBlock,
        CsvTitle,
        CsvWerkvorm,
        CsvGroup,
        CsvCluster,
        CsvText,
        CsvOriginal,
        CsvMerged,
        CsvAuthor,
        CsvRole,
        CsvHidden,
        CsvTime,
        CsvAboutStep,
        Accessibility,
        LastMinute,
        TimeIsUp,
        NowBlock,
        RevealedNow,
        ReadAloud,
        StopReading,
    }
}

/// The message `key` in `lang`, as it is (placeholders and all: for messages without any).
pub fn t(lang: Lang, key: Key) -> &'static str {
    (lang.locale().message)(key)
}

/// The message `key` in `lang` with its placeholders filled from `args` (name, value).
pub fn tf(lang: Lang, key: Key, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(t(lang, key), args)
}

/// How long a session's data is kept, `days` after it ended.
pub fn data_kept(lang: Lang, days: u32) -> String {
    tn(lang, Counted::DataKept, u64::from(days), &[])
}

/// The message about `count` in `lang`, in the plural category of `count`, with `{count}` and
/// the other placeholders filled.
pub fn tn(lang: Lang, key: Counted, count: u64, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut all: Vec<(&str, &dyn std::fmt::Display)> = vec![("count", &count)];
    all.extend_from_slice(args);
    fill(counted(lang, key, lang.plural(count)), &all)
}

/// The message `key` in `lang` for plural category `plural`, as it is.
pub fn counted(lang: Lang, key: Counted, plural: Plural) -> &'static str {
    (lang.locale().counted)(key, plural)
}

#[cfg(test)]
mod tests;
