//! The one translation layer: every string the user sees comes from [`t`]. Dutch is the default;
//! English is complete. Add a key to [`Key`] and both languages below, or the build fails.

use leptos::prelude::*;

use crate::sync::local_storage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
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
    SwitchLanguage,
    NoteCount,
    NoteCountOne,
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
    ShowNote,
    Delete,
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
    Times,
    WrittenOf,
    HaveWritten,
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
    OrganiserSecret,
    OrganiserHint,
    ShowSessions,
    NoSessions,
    SessionEnded,
    MembersCount,
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
}

pub fn t(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    match (lang, key) {
        (Lang::Nl, AppName) => "Werkmuur",
        (Lang::En, AppName) => "Werkmuur",
        (Lang::Nl, Tagline) => "Een gedeelde muur met briefjes voor leersessies.",
        (Lang::En, Tagline) => "A shared post-it wall for learning sessions.",
        (Lang::Nl, RoomLabel) => "Naam van de muur",
        (Lang::En, RoomLabel) => "Name of the wall",
        (Lang::Nl, RoomHint) => "Letters, cijfers, - en _; bijvoorbeeld buurt-oost.",
        (Lang::En, RoomHint) => "Letters, digits, - and _; for example buurt-oost.",
        (Lang::Nl, Open) => "Open de muur",
        (Lang::En, Open) => "Open the wall",
        (Lang::Nl, InvalidRoom) => "Gebruik alleen letters, cijfers, - en _.",
        (Lang::En, InvalidRoom) => "Use only letters, digits, - and _.",
        (Lang::Nl, NewNote) => "Nieuw briefje",
        (Lang::En, NewNote) => "New post-it",
        (Lang::Nl, NotesFull) => {
            "Je hebt in dit blok 50 briefjes geschreven, het maximum. Haal er een weg om een nieuwe te schrijven."
        }
        (Lang::En, NotesFull) => {
            "You have written 50 post-its in this block, the most there can be. Take one back to write another."
        }
        (Lang::Nl, NoteHint) => "Kort en krachtig: hoogstens 280 tekens.",
        (Lang::En, NoteHint) => "Short and clear: at most 280 characters.",
        (Lang::Nl, Add) => "Plak op de muur",
        (Lang::En, Add) => "Put on the wall",
        (Lang::Nl, WallHeading) => "De muur",
        (Lang::En, WallHeading) => "The wall",
        (Lang::Nl, EmptyWall) => "Nog geen briefjes. Schrijf de eerste!",
        (Lang::En, EmptyWall) => "No post-its yet. Write the first one!",
        (Lang::Nl, StatusConnecting) => "Verbinden…",
        (Lang::En, StatusConnecting) => "Connecting…",
        (Lang::Nl, StatusOnline) => "Verbonden",
        (Lang::En, StatusOnline) => "Connected",
        (Lang::Nl, StatusOffline) => {
            "Geen verbinding — je briefjes worden verstuurd zodra die terug is"
        }
        (Lang::En, StatusOffline) => {
            "Offline — your post-its are sent as soon as the connection returns"
        }
        (Lang::Nl, StatusDenied) => "Je mag op deze muur alleen kijken",
        (Lang::En, StatusDenied) => "You can only look at this wall",
        (Lang::Nl, SwitchLanguage) => "English",
        (Lang::En, SwitchLanguage) => "Nederlands",
        (Lang::Nl, NoteCountOne) => "briefje",
        (Lang::En, NoteCountOne) => "post-it",
        (Lang::Nl, NoteCount) => "briefjes",
        (Lang::En, NoteCount) => "post-its",
        (Lang::Nl, Home) => "Naar het begin",
        (Lang::En, Home) => "Back to the start",
        (Lang::Nl, StartHeading) => "Een sessie leiden",
        (Lang::En, StartHeading) => "Lead a session",
        (Lang::Nl, ChooseDraaiboek) => "Kies het draaiboek",
        (Lang::En, ChooseDraaiboek) => "Choose the draaiboek",
        (Lang::Nl, StartSession) => "Maak de sessie aan",
        (Lang::En, StartSession) => "Create the session",
        (Lang::Nl, JoinHeading) => "Meedoen aan een sessie",
        (Lang::En, JoinHeading) => "Join a session",
        (Lang::Nl, CodeLabel) => "Code van de sessie",
        (Lang::En, CodeLabel) => "Session code",
        (Lang::Nl, CodeHint) => "Zes tekens, zoals op het scherm.",
        (Lang::En, CodeHint) => "Six characters, as shown on the screen.",
        (Lang::Nl, Join) => "Doe mee",
        (Lang::En, Join) => "Join",
        (Lang::Nl, NameLabel) => "Je naam",
        (Lang::En, NameLabel) => "Your name",
        (Lang::Nl, RoleLabel) => "Je rol",
        (Lang::En, RoleLabel) => "Your role",
        (Lang::Nl, FreeWallHeading) => "Een losse muur",
        (Lang::En, FreeWallHeading) => "A standalone wall",
        (Lang::Nl, JoinCodeIs) => "Doe mee met code",
        (Lang::En, JoinCodeIs) => "Join with code",
        (Lang::Nl, AgendaHeading) => "Agenda",
        (Lang::En, AgendaHeading) => "Agenda",
        (Lang::Nl, Planned) => "gepland",
        (Lang::En, Planned) => "planned",
        (Lang::Nl, Actual) => "werkelijk",
        (Lang::En, Actual) => "actual",
        (Lang::Nl, BeginSession) => "Begin de sessie",
        (Lang::En, BeginSession) => "Begin the session",
        (Lang::Nl, PauseTimer) => "Pauzeer",
        (Lang::En, PauseTimer) => "Pause",
        (Lang::Nl, ResumeTimer) => "Hervat",
        (Lang::En, ResumeTimer) => "Resume",
        (Lang::Nl, NextBlock) => "Volgende blok",
        (Lang::En, NextBlock) => "Next block",
        (Lang::Nl, PreviousBlock) => "Vorig blok",
        (Lang::En, PreviousBlock) => "Previous block",
        (Lang::Nl, PlusOne) => "+1 minuut",
        (Lang::En, PlusOne) => "+1 minute",
        (Lang::Nl, PlusFive) => "+5 minuten",
        (Lang::En, PlusFive) => "+5 minutes",
        (Lang::Nl, NotStarted) => "De sessie is nog niet begonnen.",
        (Lang::En, NotStarted) => "The session has not started yet.",
        (Lang::Nl, Ended) => "De sessie is afgelopen. Bedankt!",
        (Lang::En, Ended) => "The session has ended. Thank you!",
        (Lang::Nl, TimeLeft) => "Tijd over",
        (Lang::En, TimeLeft) => "Time left",
        (Lang::Nl, Overrun) => "Over tijd",
        (Lang::En, Overrun) => "Over time",
        (Lang::Nl, Paused) => "Gepauzeerd",
        (Lang::En, Paused) => "Paused",
        (Lang::Nl, ExpectedEnd) => "Verwachte eindtijd",
        (Lang::En, ExpectedEnd) => "Expected end",
        (Lang::Nl, Loading) => "Even laden…",
        (Lang::En, Loading) => "Loading…",
        (Lang::Nl, NetworkError) => "Geen verbinding met de server. Probeer het zo opnieuw.",
        (Lang::En, NetworkError) => "No connection to the server. Try again in a moment.",
        (Lang::Nl, NoToken) => {
            "Op dit apparaat heb je nog geen toegang tot deze sessie. Doe mee met de code."
        }
        (Lang::En, NoToken) => "This device has no access to this session yet. Join with the code.",
        (Lang::Nl, LinkHeading) => "Link van de begeleider",
        (Lang::En, LinkHeading) => "Facilitator link",
        (Lang::Nl, LinkHint) => {
            "Wie deze link heeft, leidt de sessie. Is hij bij de verkeerde terechtgekomen? Maak een nieuwe: de oude werkt dan meteen niet meer."
        }
        (Lang::En, LinkHint) => {
            "Whoever has this link runs the session. Did it reach the wrong person? Make a new one: the old one stops working at once."
        }
        (Lang::Nl, MakeNewLink) => "Maak een nieuwe link",
        (Lang::En, MakeNewLink) => "Make a new link",
        (Lang::Nl, ConfirmNewLink) => {
            "De oude link werkt daarna niet meer, ook niet op je andere schermen. Doorgaan?"
        }
        (Lang::En, ConfirmNewLink) => {
            "The old link stops working, on your other screens too. Go on?"
        }
        (Lang::Nl, NewLinkMade) => {
            "Nieuwe link gemaakt. Open hem op je andere schermen (projector, tweede laptop):"
        }
        (Lang::En, NewLinkMade) => {
            "New link made. Open it on your other screens (projector, second laptop):"
        }
        (Lang::Nl, Members) => "Deelnemers",
        (Lang::En, Members) => "Participants",
        (Lang::Nl, Break) => "Pauze",
        (Lang::En, Break) => "Break",
        (Lang::Nl, Minutes) => "min",
        (Lang::En, Minutes) => "min",
        (Lang::Nl, LoopbackOnly) => {
            "Telefoons kunnen Werkmuur nu niet bereiken: het draait alleen voor deze computer. Start het zo:"
        }
        (Lang::En, LoopbackOnly) => {
            "Phones can't reach Werkmuur yet: it only serves this computer. Start it like this:"
        }
        (Lang::Nl, NoSuchCode) => {
            "Er is geen sessie met deze code. Kijk nog eens naar de code op het scherm."
        }
        (Lang::En, NoSuchCode) => {
            "There is no session with this code. Check the code on the screen."
        }
        (Lang::Nl, NoNetwork) => {
            "Geen netwerkadres gevonden. Verbind met het netwerk, of stel --public-url in."
        }
        (Lang::En, NoNetwork) => {
            "No network address found. Connect to the network, or set --public-url."
        }
        (Lang::Nl, OpenProjector) => "Projectorscherm openen",
        (Lang::En, OpenProjector) => "Open the projector view",
        (Lang::Nl, WrittenOf) => "van",
        (Lang::En, WrittenOf) => "of",
        (Lang::Nl, HaveWritten) => "hebben iets geschreven",
        (Lang::En, HaveWritten) => "have written something",
        (Lang::Nl, FullScreen) => "Volledig scherm",
        (Lang::En, FullScreen) => "Full screen",
        (Lang::Nl, ExportHeading) => "Exporteren",
        (Lang::En, ExportHeading) => "Export",
        (Lang::Nl, ExportHint) => {
            "Alles wat de sessie tot nu toe opleverde, als bestand. Het verslag drukt goed af als PDF."
        }
        (Lang::En, ExportHint) => {
            "Everything the session produced so far, as a file. The report prints well as PDF."
        }
        (Lang::Nl, ExportReport) => "Verslag (HTML)",
        (Lang::En, ExportReport) => "Report (HTML)",
        (Lang::Nl, ExportMarkdown) => "Verslag (Markdown)",
        (Lang::En, ExportMarkdown) => "Report (Markdown)",
        (Lang::Nl, ExportCsv) => "Briefjes (spreadsheet)",
        (Lang::En, ExportCsv) => "Post-its (spreadsheet)",
        (Lang::Nl, ExportJson) => "Alle gegevens (JSON)",
        (Lang::En, ExportJson) => "All data (JSON)",
        (Lang::Nl, Anonymous) => "Anoniem: laat namen weg uit elke export",
        (Lang::En, Anonymous) => "Anonymous: leave names out of every export",
        (Lang::Nl, ExportOdt) => "Verslag (LibreOffice, Word)",
        (Lang::En, ExportOdt) => "Report (LibreOffice, Word)",
        (Lang::Nl, OrganiserHeading) => "Voor organisatoren",
        (Lang::En, OrganiserHeading) => "For organisers",
        (Lang::Nl, OrganiserSecret) => "Geheim voor organisatoren",
        (Lang::En, OrganiserSecret) => "Organisers' secret",
        (Lang::Nl, OrganiserHint) => {
            "Het geheim waarmee Werkmuur is gestart (--organiser-secret). Het blijft alleen in dit tabblad."
        }
        (Lang::En, OrganiserHint) => {
            "The secret Werkmuur was started with (--organiser-secret). It stays in this tab only."
        }
        (Lang::Nl, ShowSessions) => "Toon alle sessies",
        (Lang::En, ShowSessions) => "Show all sessions",
        (Lang::Nl, NoSessions) => "Er zijn nog geen sessies.",
        (Lang::En, NoSessions) => "There are no sessions yet.",
        (Lang::Nl, SessionEnded) => "· afgelopen",
        (Lang::En, SessionEnded) => "· ended",
        (Lang::Nl, MembersCount) => "deelnemers",
        (Lang::En, MembersCount) => "participants",
        (Lang::Nl, BoardPictures) => "Plaatjes van de muren",
        (Lang::En, BoardPictures) => "Pictures of the boards",
        (Lang::Nl, Instruction) => "Opdracht",
        (Lang::En, Instruction) => "Task",
        (Lang::Nl, YourWord) => "Jouw woord",
        (Lang::En, YourWord) => "Your word",
        (Lang::Nl, OneWordHint) => "Eén woord, zoals het in je opkomt.",
        (Lang::En, OneWordHint) => "One word, whatever comes to mind.",
        (Lang::Nl, OneWordNudge) => "Eén woord is genoeg. Wat dacht je van:",
        (Lang::En, OneWordNudge) => "One word is enough. How about:",
        (Lang::Nl, UseSuggestion) => "Gebruik dit woord",
        (Lang::En, UseSuggestion) => "Use this word",
        (Lang::Nl, SendWord) => "Verstuur mijn woord",
        (Lang::En, SendWord) => "Send my word",
        (Lang::Nl, WordPrivate) => {
            "Alleen jij ziet je woord, tot de begeleider alle woorden tegelijk laat zien."
        }
        (Lang::En, WordPrivate) => {
            "Only you see your word until the facilitator shows all words at once."
        }
        (Lang::Nl, WordReceived) => "Je woord is binnen:",
        (Lang::En, WordReceived) => "Your word is in:",
        (Lang::Nl, NotesPrivate) => {
            "Alleen jij ziet je briefjes, tot de begeleider ze allemaal tegelijk laat zien."
        }
        (Lang::En, NotesPrivate) => {
            "Only you see your post-its until the facilitator shows them all at once."
        }
        (Lang::Nl, YourNotes) => "Jouw briefjes",
        (Lang::En, YourNotes) => "Your post-its",
        (Lang::Nl, WaitingForReveal) => {
            "Iedereen schrijft nu voor zichzelf. Straks verschijnt alles tegelijk."
        }
        (Lang::En, WaitingForReveal) => {
            "Everyone is writing on their own now. Everything appears at once in a moment."
        }
        (Lang::Nl, Reveal) => "Laat alles zien",
        (Lang::En, Reveal) => "Reveal all",
        (Lang::Nl, RevealedNote) => "Alles is zichtbaar.",
        (Lang::En, RevealedNote) => "Everything is visible.",
        (Lang::Nl, Lock) => "Zet de muur op slot",
        (Lang::En, Lock) => "Lock the board",
        (Lang::Nl, Unlock) => "Haal de muur van slot",
        (Lang::En, Unlock) => "Unlock the board",
        (Lang::Nl, Locked) => "De muur staat op slot: je kunt kijken, niet schrijven.",
        (Lang::En, Locked) => "The board is locked: you can look, not write.",
        (Lang::Nl, ShowCode) => "Toon de code op het scherm",
        (Lang::En, ShowCode) => "Show the code on the screen",
        (Lang::Nl, HideCode) => "Verberg de code op het scherm",
        (Lang::En, HideCode) => "Hide the code on the screen",
        (Lang::Nl, GroupsHeading) => "Groepen",
        (Lang::En, GroupsHeading) => "Groups",
        (Lang::Nl, SpreadGroups) => "Verdeel iedereen over groepen",
        (Lang::En, SpreadGroups) => "Spread everyone over groups",
        (Lang::Nl, GroupCount) => "Aantal groepen",
        (Lang::En, GroupCount) => "Number of groups",
        (Lang::Nl, Group) => "Groep",
        (Lang::En, Group) => "Group",
        (Lang::Nl, NoGroup) => "Geen groep",
        (Lang::En, NoGroup) => "No group",
        (Lang::Nl, ProjectorShows) => "Het scherm toont",
        (Lang::En, ProjectorShows) => "The screen shows",
        (Lang::Nl, AllGroups) => "Alle groepen",
        (Lang::En, AllGroups) => "All groups",
        (Lang::Nl, Online) => "online",
        (Lang::En, Online) => "online",
        (Lang::Nl, OfflineMember) => "niet verbonden",
        (Lang::En, OfflineMember) => "not connected",
        (Lang::Nl, NewClusterLabel) => "Nieuw cluster",
        (Lang::En, NewClusterLabel) => "New cluster",
        (Lang::Nl, AddCluster) => "Maak het cluster",
        (Lang::En, AddCluster) => "Create the cluster",
        (Lang::Nl, RemoveCluster) => "Hef op",
        (Lang::En, RemoveCluster) => "Dissolve",
        (Lang::Nl, ClusterName) => "Naam",
        (Lang::En, ClusterName) => "Name",
        (Lang::Nl, Loose) => "Nog niet geclusterd",
        (Lang::En, Loose) => "Not clustered yet",
        (Lang::Nl, MoveTo) => "Cluster",
        (Lang::En, MoveTo) => "Cluster",
        (Lang::Nl, EditText) => "Tekst",
        (Lang::En, EditText) => "Text",
        (Lang::Nl, Hide) => "Verberg",
        (Lang::En, Hide) => "Hide",
        (Lang::Nl, ShowNote) => "Toon weer",
        (Lang::En, ShowNote) => "Show again",
        (Lang::Nl, Delete) => "Verwijder",
        (Lang::En, Delete) => "Delete",
        (Lang::Nl, MergeInto) => "Voeg samen met",
        (Lang::En, MergeInto) => "Merge with",
        (Lang::Nl, NotMerged) => "—",
        (Lang::En, NotMerged) => "—",
        (Lang::Nl, HiddenTag) => "verborgen",
        (Lang::En, HiddenTag) => "hidden",
        (Lang::Nl, ModerationHeading) => "Briefjes op de muur",
        (Lang::En, ModerationHeading) => "Post-its on the wall",
        (Lang::Nl, WordsHeading) => "De woorden",
        (Lang::En, WordsHeading) => "The words",
        (Lang::Nl, PrevWord) => "Vorig woord",
        (Lang::En, PrevWord) => "Previous word",
        (Lang::Nl, NextWord) => "Volgend woord",
        (Lang::En, NextWord) => "Next word",
        (Lang::Nl, Highlight) => "Licht uit op het scherm",
        (Lang::En, Highlight) => "Highlight on the screen",
        (Lang::Nl, BelongsTo) => "Hoort bij",
        (Lang::En, BelongsTo) => "Belongs with",
        (Lang::Nl, OwnGroup) => "zijn eigen groep",
        (Lang::En, OwnGroup) => "its own group",
        (Lang::Nl, Question) => "Vraag",
        (Lang::En, Question) => "Question",
        (Lang::Nl, YourGroupIs) => "Jij zit in groep",
        (Lang::En, YourGroupIs) => "You are in group",
        (Lang::Nl, BoardOf) => "Muur van",
        (Lang::En, BoardOf) => "Board of",
        (Lang::Nl, NoBoardNow) => "In dit blok schrijf je niets op. Luister en praat mee.",
        (Lang::En, NoBoardNow) => {
            "Nothing to write in this block. Listen and join the conversation."
        }
        (Lang::Nl, DragHint) => {
            "Sleep een briefje naar een cluster, of kies het cluster in de lijst."
        }
        (Lang::En, DragHint) => "Drag a post-it onto a cluster, or pick the cluster from the list.",
        (Lang::Nl, Facilitator) => "Begeleider",
        (Lang::En, Facilitator) => "Facilitator",
        (Lang::Nl, Times) => "keer",
        (Lang::En, Times) => "times",
        (Lang::Nl, AddStep) => "Stap toevoegen",
        (Lang::En, AddStep) => "Add step",
        (Lang::Nl, StepText) => "Nieuwe stap",
        (Lang::En, StepText) => "New step",
        (Lang::Nl, AddPhase) => "Fase toevoegen",
        (Lang::En, AddPhase) => "Add phase",
        (Lang::Nl, PhaseName) => "Naam van de fase",
        (Lang::En, PhaseName) => "Phase name",
        (Lang::Nl, NoPhase) => "Zonder fase",
        (Lang::En, NoPhase) => "No phase",
        (Lang::Nl, MoveUp) => "Eerder",
        (Lang::En, MoveUp) => "Earlier",
        (Lang::Nl, MoveDown) => "Later",
        (Lang::En, MoveDown) => "Later",
        (Lang::Nl, MoveToPhase) => "Naar fase",
        (Lang::En, MoveToPhase) => "To phase",
        (Lang::Nl, MergeWith) => "Samenvoegen met",
        (Lang::En, MergeWith) => "Merge with",
        (Lang::Nl, MunicipalStep) => "Uit het gemeentelijke proces",
        (Lang::En, MunicipalStep) => "From the municipal process",
        (Lang::Nl, MunicipalShort) => "gemeente",
        (Lang::En, MunicipalShort) => "municipal",
        (Lang::Nl, DragHandle) => "Versleep",
        (Lang::En, DragHandle) => "Drag",
        (Lang::Nl, NoSteps) => "Nog geen stappen.",
        (Lang::En, NoSteps) => "No steps yet.",
        (Lang::Nl, StickerNow) => "nu",
        (Lang::En, StickerNow) => "now",
        (Lang::Nl, StickerCould) => "zou kunnen",
        (Lang::En, StickerCould) => "could",
        (Lang::Nl, PlaceSticker) => "Sticker plakken",
        (Lang::En, PlaceSticker) => "Place a sticker",
        (Lang::Nl, StickerNowLegend) => "Wie is nu verantwoordelijk?",
        (Lang::En, StickerNowLegend) => "Who is responsible now?",
        (Lang::Nl, StickerCouldLegend) => "Wie zou het kunnen zijn, los van de gewoonte?",
        (Lang::En, StickerCouldLegend) => "Who could be, apart from convention?",
        (Lang::Nl, Matrix) => "Rollen per stap",
        (Lang::En, Matrix) => "Roles per step",
        (Lang::Nl, StepColumn) => "Stap",
        (Lang::En, StepColumn) => "Step",
        (Lang::Nl, RegieLegend) => "Wie heeft de regie?",
        (Lang::En, RegieLegend) => "Who leads?",
        (Lang::Nl, LeadInitiator) => "Initiatiefnemer",
        (Lang::En, LeadInitiator) => "Initiator",
        (Lang::Nl, LeadMunicipality) => "Gemeente",
        (Lang::En, LeadMunicipality) => "Municipality",
        (Lang::Nl, LeadUnclear) => "Onduidelijk",
        (Lang::En, LeadUnclear) => "Unclear",
        (Lang::Nl, RegieNote) => "Waarom onduidelijk?",
        (Lang::En, RegieNote) => "Why unclear?",
        (Lang::Nl, ExpertiseWhat) => "Welke expertise?",
        (Lang::En, ExpertiseWhat) => "Which expertise?",
        (Lang::Nl, ExpertiseFrom) => "Van wie?",
        (Lang::En, ExpertiseFrom) => "From whom?",
        (Lang::Nl, ExpertiseMunicipal) => "Vanuit de gemeente",
        (Lang::En, ExpertiseMunicipal) => "From the municipality",
        (Lang::Nl, AddExpertise) => "Expertise toevoegen",
        (Lang::En, AddExpertise) => "Add expertise",
        (Lang::Nl, ChallengeText) => "Uitdaging",
        (Lang::En, ChallengeText) => "Challenge",
        (Lang::Nl, AddChallenge) => "Uitdaging toevoegen",
        (Lang::En, AddChallenge) => "Add challenge",
        (Lang::Nl, Parked) => "Geparkeerd: van buitenaf",
        (Lang::En, Parked) => "Parked: from outside",
        (Lang::Nl, ParkChallenge) => "Parkeren",
        (Lang::En, ParkChallenge) => "Park",
        (Lang::Nl, AttachTo) => "Bij stap",
        (Lang::En, AttachTo) => "At step",
        (Lang::Nl, TeamHeading) => "Het dreamteam",
        (Lang::En, TeamHeading) => "The dream team",
        (Lang::Nl, TeamName) => "Naam",
        (Lang::En, TeamName) => "Name",
        (Lang::Nl, TeamPresent) => "Is hier vandaag",
        (Lang::En, TeamPresent) => "Here today",
        (Lang::Nl, TeamBrings) => "Wat brengt die mee?",
        (Lang::En, TeamBrings) => "What do they bring?",
        (Lang::Nl, TeamAdd) => "Toevoegen aan het team",
        (Lang::En, TeamAdd) => "Add to the team",
        (Lang::Nl, TeamLead) => "Trekker",
        (Lang::En, TeamLead) => "Lead",
        (Lang::Nl, TeamWished) => "gewenst",
        (Lang::En, TeamWished) => "wished for",
        (Lang::Nl, TeamModeLegend) => "Hoe verdelen jullie het werk?",
        (Lang::En, TeamModeLegend) => "How do you share the work?",
        (Lang::Nl, TeamModeLead) => "Er is een duidelijke trekker",
        (Lang::En, TeamModeLead) => "There is a clear lead",
        (Lang::Nl, TeamModeEqual) => "Iedereen doet evenveel",
        (Lang::En, TeamModeEqual) => "Everyone contributes equally",
        (Lang::Nl, TeamEmpty) => "Nog niemand in het team.",
        (Lang::En, TeamEmpty) => "No one in the team yet.",
        (Lang::Nl, PairHeading) => "Je gesprek",
        (Lang::En, PairHeading) => "Your conversation",
        (Lang::Nl, PairWith) => "Je praat met",
        (Lang::En, PairWith) => "You are talking with",
        (Lang::Nl, PairAbout) => "Over",
        (Lang::En, PairAbout) => "About",
        (Lang::Nl, NoPair) => "Je hebt nog geen gesprekspartner. De begeleider maakt de koppels.",
        (Lang::En, NoPair) => "You have no partner yet. The facilitator makes the pairs.",
        (Lang::Nl, QuestionCards) => "Vragen om samen te bespreken",
        (Lang::En, QuestionCards) => "Questions to talk through",
        (Lang::Nl, Summary) => "Wat hebben jullie besproken?",
        (Lang::En, Summary) => "What did you discuss?",
        (Lang::Nl, SaveSummary) => "Bewaar samenvatting",
        (Lang::En, SaveSummary) => "Save summary",
        (Lang::Nl, SummarySaved) => "Je samenvatting is bewaard.",
        (Lang::En, SummarySaved) => "Your summary is saved.",
        (Lang::Nl, PairsHeading) => "Koppels voor de 1-op-1",
        (Lang::En, PairsHeading) => "Pairs for the one-to-one",
        (Lang::Nl, MakePairs) => "Maak koppels",
        (Lang::En, MakePairs) => "Make pairs",
        (Lang::Nl, Pair) => "Koppel",
        (Lang::En, Pair) => "Pair",
        (Lang::Nl, PairName) => "Buurtproject van dit koppel",
        (Lang::En, PairName) => "This pair's neighbourhood project",
        (Lang::Nl, SummariesWritten) => "samenvattingen",
        (Lang::En, SummariesWritten) => "summaries",
        (Lang::Nl, NoPairs) => "Nog geen koppels.",
        (Lang::En, NoPairs) => "No pairs yet.",
        (Lang::Nl, PlenaryHeading) => "Plenaire ronde",
        (Lang::En, PlenaryHeading) => "Plenary round",
        (Lang::Nl, HasTheFloor) => "is aan het woord",
        (Lang::En, HasTheFloor) => "has the floor",
        (Lang::Nl, NextGroup) => "Volgende groep",
        (Lang::En, NextGroup) => "Next group",
        (Lang::Nl, GiveFloor) => "Geef het woord",
        (Lang::En, GiveFloor) => "Give the floor",
        (Lang::Nl, EndRound) => "Ronde stoppen",
        (Lang::En, EndRound) => "End the round",
        (Lang::Nl, SpeakingTime) => "spreektijd per groep",
        (Lang::En, SpeakingTime) => "speaking time per group",
        (Lang::Nl, TimeUp) => "Tijd is om",
        (Lang::En, TimeUp) => "Time is up",
        (Lang::Nl, PlenaryWaiting) => "De plenaire ronde begint zo.",
        (Lang::En, PlenaryWaiting) => "The plenary round starts shortly.",
        (Lang::Nl, Delete2) => "Weghalen",
        (Lang::En, Delete2) => "Remove",
        (Lang::Nl, StepsHeading) => "De stappen",
        (Lang::En, StepsHeading) => "The steps",
        (Lang::Nl, NoPairOption) => "Geen koppel",
        (Lang::En, NoPairOption) => "No pair",
        (Lang::Nl, TooManyTries) => {
            "Te veel verkeerde codes geprobeerd vanaf dit netwerk. Wacht een paar minuten en probeer het opnieuw."
        }
        (Lang::En, TooManyTries) => {
            "Too many wrong codes tried from this network. Wait a few minutes and try again."
        }
    }
}

const STORAGE_KEY: &str = "werkmuur.lang";

/// The language signal, provided at the root: the saved choice, else the browser's, else Dutch.
pub fn provide_lang() -> RwSignal<Lang> {
    let saved = local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code));
    let browser = window()
        .navigator()
        .language()
        .filter(|l| l.starts_with("en"))
        .map(|_| Lang::En);
    let lang = RwSignal::new(saved.or(browser).unwrap_or(Lang::Nl));
    Effect::new(move |_| {
        let lang = lang.get();
        if let Some(s) = local_storage() {
            let _ = s.set_item(STORAGE_KEY, lang.code());
        }
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
    });
    provide_context(lang);
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Nl))
}

/// A reactive translated string.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}

/// The button that switches between Dutch and English.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    view! {
        <button
            type="button"
            class="lang-switch"
            lang=move || lang.get().other().code()
            on:click=move |_| lang.update(|l| *l = l.other())
        >
            {tr(Key::SwitchLanguage)}
        </button>
    }
}
