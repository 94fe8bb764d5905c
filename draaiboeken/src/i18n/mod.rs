//! The one translation layer: every string a user sees comes from here, in the browser app, in
//! the join screen the server renders and in the export's documents.
//!
//! Each language is a table of its own (`nl.rs`, `en.rs`): an exhaustive `match` over [`Key`]
//! (and over [`Counted`] with the language's [`Plural`] categories), so a language that lacks a
//! message doesn't build. Messages have named placeholders (`{n}`, `{name}`), filled by [`tf`]
//! and [`tn`] (or rendered piece by piece with [`pieces`], where a placeholder is an element);
//! a sentence is one message, never glued from fragments. Dutch is the default and the
//! fallback; the list of languages is spelled once, in the `languages!` call below.

mod fill;
mod text;

pub use fill::{Piece, fill, pieces, placeholders};
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

/// The CLDR plural categories; each language uses those its rules name (Dutch and English
/// `One` and `Other`; Arabic all six).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// The CLDR rule of Dutch, English and many more: "one" for 1, "other" for every other number.
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
        DragHint,
        Facilitator,
        FullScreen,
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
mod tests {
    use super::*;

    /// Every plural category a language's rules give for some number.
    fn categories(lang: Lang) -> Vec<Plural> {
        let mut seen = Vec::new();
        for n in (0..=1000).chain([1_000_000, u64::MAX]) {
            let p = lang.plural(n);
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        seen
    }

    #[test]
    fn every_language_uses_the_placeholders_dutch_uses() {
        for &lang in Lang::ALL {
            for &key in Key::ALL {
                assert_eq!(
                    placeholders(t(lang, key)),
                    placeholders(t(Lang::Nl, key)),
                    "{key:?} in {}",
                    lang.code()
                );
            }
            for &key in Counted::ALL {
                let dutch = placeholders(counted(Lang::Nl, key, Plural::Other));
                assert!(dutch.contains(&"count"), "{key:?} doesn't show its count");
                for p in categories(lang) {
                    assert_eq!(
                        placeholders(counted(lang, key, p)),
                        dutch,
                        "{key:?} ({p:?}) in {}",
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn no_message_has_a_stray_brace_or_is_empty() {
        for &lang in Lang::ALL {
            let counted_messages = Counted::ALL.iter().flat_map(|&k| {
                categories(lang)
                    .into_iter()
                    .map(move |p| counted(lang, k, p))
            });
            for m in Key::ALL.iter().map(|&k| t(lang, k)).chain(counted_messages) {
                assert!(!m.trim().is_empty(), "an empty message in {}", lang.code());
                let text: String = pieces(m)
                    .filter_map(|p| match p {
                        Piece::Text(t) => Some(t),
                        Piece::Placeholder(_) => None,
                    })
                    .collect();
                assert!(!text.contains(['{', '}']), "{m:?} in {}", lang.code());
            }
        }
    }

    #[test]
    fn languages_are_known_by_code_and_tag() {
        assert_eq!(Lang::ALL[0], Lang::DEFAULT);
        for &lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert!(!lang.name().is_empty());
        }
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("NL_nl"), Some(Lang::Nl));
        assert_eq!(Lang::from_tag("fr-FR"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::codes(), "nl, en");
    }

    #[test]
    fn counted_messages_follow_the_plural_rules() {
        assert_eq!(tn(Lang::Nl, Counted::Notes, 1, &[]), "1 briefje");
        assert_eq!(tn(Lang::Nl, Counted::Notes, 0, &[]), "0 briefjes");
        assert_eq!(
            tn(Lang::En, Counted::Written, 2, &[("total", &3)]),
            "2 of 3 have written something"
        );
        assert_eq!(tf(Lang::En, Key::Group, &[("n", &2)]), "Group 2");
    }
}
