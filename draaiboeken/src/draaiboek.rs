//! A draaiboek: the facilitator's script of a leersessie, as data.
//!
//! Draaiboeken are TOML files (see `builtin/` for the three that ship with Werkmuur). [`parse`]
//! turns one into a [`Draaiboek`] or into every problem found, each with file, line, column and
//! field, and a hint on how to fix it. The parser is written for untrusted input: a size limit,
//! no panics, no recursion beyond one level of sub-blocks.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::i18n::Lang;
pub use crate::i18n::Text;
use crate::werkvorm::Werkvorm;

/// Largest draaiboek file accepted.
pub const MAX_SOURCE_BYTES: usize = 256 << 10;
/// Most blocks (sub-blocks included).
pub const MAX_BLOCKS: usize = 100;
/// Most question cards in one block.
pub const MAX_QUESTIONS: usize = 12;
/// Longest text (title, instruction, …), in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest block, in minutes.
pub const MAX_BLOCK_MINUTES: u32 = 8 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Role {
    pub id: String,
    pub name: Text,
    /// `#rrggbb`: the colour of this role's stickers.
    pub colour: String,
}

impl Role {
    /// The text colour for writing on this role's colour (`crate::colour::ink_on`).
    pub fn ink(&self) -> &'static str {
        crate::colour::ink_on(&self.colour)
    }
}

/// A block that runs in groups; the size is a range, or left to the facilitator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Groups {
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// Each group should have people of every role (residents with civil servants, say).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mix_roles: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Instructions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facilitator: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Block {
    /// "A", "C.2", …; a break has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    pub title: Text,
    pub minutes: u32,
    /// The source did not give this block's length; `minutes` is an assumption.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub assumed_minutes: bool,
    /// The exercise; a block made of sub-blocks may have none of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub werkvorm: Option<Werkvorm>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Groups>,
    /// Participants write privately until the facilitator reveals.
    pub private: bool,
    /// The question participants answer, shown with the exercise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Text>,
    /// Question cards participants talk through (the 1-op-1's cards about success).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Text>,
    pub instructions: Instructions,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draaiboek {
    pub id: String,
    pub title: Text,
    pub doelgroep: Text,
    pub doel: Text,
    pub voorbereiding: Text,
    pub roles: Vec<Role>,
    pub blocks: Vec<Block>,
}

impl Draaiboek {
    /// The planned length of the whole session.
    pub fn total_minutes(&self) -> u32 {
        self.blocks.iter().map(|b| b.minutes).sum()
    }
}

/// One problem in a draaiboek file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraaiboekError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Where in the draaiboek, e.g. `blocks[3].blocks[1].minutes`.
    pub field: String,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for DraaiboekError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}\n  hint: {}",
            self.file, self.line, self.column, self.field, self.message, self.hint
        )
    }
}

/// Every problem found in a draaiboek file, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DraaiboekErrors(pub Vec<DraaiboekError>);

impl fmt::Display for DraaiboekErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

// The file as written; every field optional so that all problems can be reported at once.

/// A text as written: a plain string (Dutch), or a table by language code, each key and
/// value with its place in the file.
enum RawText {
    Plain(String),
    Table(Vec<(Spanned<String>, Spanned<String>)>),
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawText, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, or a table of strings by language code")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawText, E> {
                Ok(RawText::Plain(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<RawText, E> {
                Ok(RawText::Plain(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawText, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(RawText::Table(entries))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDraaiboek {
    id: Option<Spanned<String>>,
    title: Option<Spanned<RawText>>,
    doelgroep: Option<Spanned<RawText>>,
    doel: Option<Spanned<RawText>>,
    voorbereiding: Option<Spanned<RawText>>,
    #[serde(default)]
    roles: Vec<Spanned<RawRole>>,
    #[serde(default)]
    blocks: Vec<Spanned<RawBlock>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: Option<Spanned<String>>,
    name: Option<Spanned<RawText>>,
    colour: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroups {
    min: Option<i64>,
    max: Option<i64>,
    mix_roles: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstructions {
    facilitator: Option<Spanned<RawText>>,
    participants: Option<Spanned<RawText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    letter: Option<Spanned<String>>,
    title: Option<Spanned<RawText>>,
    minutes: Option<Spanned<i64>>,
    #[serde(default)]
    assumed_minutes: bool,
    werkvorm: Option<Spanned<String>>,
    groups: Option<Spanned<RawGroups>>,
    private: Option<bool>,
    prompt: Option<Spanned<RawText>>,
    #[serde(default)]
    questions: Vec<Spanned<RawText>>,
    instructions: Option<RawInstructions>,
    #[serde(default)]
    blocks: Vec<Spanned<RawBlock>>,
}

struct Checker<'a> {
    file: &'a str,
    source: &'a str,
    errors: Vec<DraaiboekError>,
    letters: HashSet<String>,
    block_count: usize,
}

impl Checker<'_> {
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let before = self.source.get(..offset).unwrap_or(self.source);
        let line = before.matches('\n').count() + 1;
        let column = before.rfind('\n').map_or(before.chars().count(), |nl| {
            before[nl + 1..].chars().count()
        }) + 1;
        (line, column)
    }

    fn error(&mut self, span: Range<usize>, field: &str, message: String, hint: &str) {
        let (line, column) = self.position(span.start);
        self.errors.push(DraaiboekError {
            file: self.file.to_owned(),
            line,
            column,
            field: field.to_owned(),
            message,
            hint: hint.to_owned(),
        });
    }

    fn text(&mut self, raw: Spanned<RawText>, field: &str) -> Option<Text> {
        let span = raw.span();
        let mut texts = BTreeMap::new();
        match raw.into_inner() {
            RawText::Plain(nl) => {
                texts.insert(Lang::DEFAULT, nl);
            }
            RawText::Table(entries) => {
                for (code, text) in entries {
                    match Lang::from_code(code.get_ref()) {
                        Some(lang) => {
                            texts.insert(lang, text.into_inner());
                        }
                        None => self.error(
                            code.span(),
                            field,
                            format!("`{}` is not a language Werkmuur knows", code.get_ref()),
                            &format!("use one of {} (nl is required)", Lang::codes()),
                        ),
                    }
                }
            }
        }
        texts.retain(|_, text| !text.trim().is_empty());
        let Some(nl) = texts.remove(&Lang::DEFAULT) else {
            self.error(
                span,
                field,
                "has no Dutch text".into(),
                "write `field = \"tekst\"`, or `field = { nl = \"tekst\", en = \"text\" }`",
            );
            return None;
        };
        if std::iter::once(&nl)
            .chain(texts.values())
            .any(|s| s.chars().count() > MAX_TEXT_CHARS)
        {
            self.error(
                span,
                field,
                format!("is longer than {MAX_TEXT_CHARS} characters"),
                "shorten the text",
            );
            return None;
        }
        Some(
            texts
                .into_iter()
                .fold(Text::new(nl), |text, (lang, t)| text.with(lang, t)),
        )
    }

    fn required_text(
        &mut self,
        raw: Option<Spanned<RawText>>,
        at: Range<usize>,
        field: &str,
    ) -> Option<Text> {
        match raw {
            Some(raw) => self.text(raw, field),
            None => {
                // The example names the missing key itself: `doel = …` for a missing `doel`.
                let key = field.rsplit('.').next().unwrap_or(field);
                let hint = format!("add it, e.g. `{key} = {{ nl = \"…\", en = \"…\" }}`");
                self.error(at, field, "is missing".into(), &hint);
                None
            }
        }
    }

    fn role(
        &mut self,
        raw: Spanned<RawRole>,
        field: &str,
        ids: &mut HashSet<String>,
    ) -> Option<Role> {
        let span = raw.span();
        let raw = raw.into_inner();
        let id = match raw.id {
            Some(id) if is_slug(id.get_ref()) => {
                if !ids.insert(id.get_ref().clone()) {
                    self.error(
                        id.span(),
                        &format!("{field}.id"),
                        format!("role `{}` is defined twice", id.get_ref()),
                        "give every role its own id",
                    );
                }
                Some(id.into_inner())
            }
            Some(id) => {
                self.error(
                    id.span(),
                    &format!("{field}.id"),
                    format!("`{}` is not a valid role id", id.get_ref()),
                    "use lowercase letters, digits and '-', e.g. `bewoner`",
                );
                None
            }
            None => {
                self.error(
                    span.clone(),
                    &format!("{field}.id"),
                    "is missing".into(),
                    "add `id = \"bewoner\"`",
                );
                None
            }
        };
        let name = self.required_text(raw.name, span.clone(), &format!("{field}.name"));
        let colour = match raw.colour {
            Some(c) if crate::colour::is_colour(c.get_ref()) => Some(c.into_inner()),
            Some(c) => {
                self.error(
                    c.span(),
                    &format!("{field}.colour"),
                    format!("`{}` is not a colour", c.get_ref()),
                    "write it as `#rrggbb`, e.g. `#1f6fd1`",
                );
                None
            }
            None => {
                self.error(
                    span,
                    &format!("{field}.colour"),
                    "is missing".into(),
                    "add `colour = \"#rrggbb\"`",
                );
                None
            }
        };
        Some(Role {
            id: id?,
            name: name?,
            colour: colour?,
        })
    }

    fn block(
        &mut self,
        raw: Spanned<RawBlock>,
        field: &str,
        parent: Option<&str>,
    ) -> Option<Block> {
        self.block_count += 1;
        let span = raw.span();
        let raw = raw.into_inner();
        let title = self.required_text(raw.title, span.clone(), &format!("{field}.title"));

        let werkvorm = match &raw.werkvorm {
            Some(w) => match Werkvorm::from_id(w.get_ref()) {
                Some(w) => Some(w),
                None => {
                    self.error(
                        w.span(),
                        &format!("{field}.werkvorm"),
                        format!("unknown werkvorm `{}`", w.get_ref()),
                        &format!("use one of: {}", Werkvorm::ids().join(", ")),
                    );
                    return None;
                }
            },
            None => None,
        };
        if werkvorm.is_none() && raw.blocks.is_empty() {
            self.error(
                span.clone(),
                &format!("{field}.werkvorm"),
                "is missing".into(),
                &format!(
                    "a block without sub-blocks needs a werkvorm, one of: {}",
                    Werkvorm::ids().join(", ")
                ),
            );
        }
        let is_break = werkvorm.is_some_and(|w| w.rules().is_break);

        let letter = match raw.letter {
            Some(letter) => {
                let l = letter.get_ref();
                let ok = match parent {
                    None => is_letter(l),
                    Some(p) => l
                        .strip_prefix(p)
                        .and_then(|rest| rest.strip_prefix('.'))
                        .is_some_and(|n| {
                            !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit())
                        }),
                };
                if !ok {
                    let hint = match parent {
                        None => "use one capital letter, e.g. `A`".to_owned(),
                        Some(p) => format!("a sub-block of {p} is lettered `{p}.1`, `{p}.2`, …"),
                    };
                    self.error(
                        letter.span(),
                        &format!("{field}.letter"),
                        format!("`{l}` is not a valid letter here"),
                        &hint,
                    );
                } else if !self.letters.insert(l.clone()) {
                    self.error(
                        letter.span(),
                        &format!("{field}.letter"),
                        format!("letter `{l}` is used twice"),
                        "give every block its own letter",
                    );
                }
                Some(letter.into_inner())
            }
            None if is_break => None,
            None => {
                self.error(
                    span.clone(),
                    &format!("{field}.letter"),
                    "is missing".into(),
                    "every block but a break has a letter, e.g. `letter = \"A\"`",
                );
                None
            }
        };

        let minutes = match raw.minutes {
            Some(m) => match u32::try_from(*m.get_ref()) {
                Ok(v) if (1..=MAX_BLOCK_MINUTES).contains(&v) => Some(v),
                _ => {
                    self.error(
                        m.span(),
                        &format!("{field}.minutes"),
                        format!("{} is not a length in minutes", m.get_ref()),
                        &format!("use a whole number from 1 to {MAX_BLOCK_MINUTES}"),
                    );
                    None
                }
            },
            None => {
                self.error(
                    span.clone(),
                    &format!("{field}.minutes"),
                    "is missing".into(),
                    "add the planned length, e.g. `minutes = 15`",
                );
                None
            }
        };

        let groups = raw.groups.and_then(|g| {
            let gspan = g.span();
            let RawGroups {
                min,
                max,
                mix_roles,
            } = g.into_inner();
            let valid = |n: Option<i64>| n.is_none_or(|n| (2..=50).contains(&n));
            if !valid(min) || !valid(max) || matches!((min, max), (Some(a), Some(b)) if a > b) {
                self.error(
                    gspan,
                    &format!("{field}.groups"),
                    "is not a valid group size".into(),
                    "write `groups = { min = 4, max = 6 }` (2 to 50, min ≤ max), or `groups = {}` to leave it open",
                );
                return None;
            }
            Some(Groups {
                min: min.map(|n| n as u32),
                max: max.map(|n| n as u32),
                mix_roles: mix_roles.unwrap_or(false),
            })
        });

        let prompt = raw
            .prompt
            .and_then(|p| self.text(p, &format!("{field}.prompt")));
        if raw.questions.len() > MAX_QUESTIONS {
            self.error(
                span.clone(),
                &format!("{field}.questions"),
                format!("has {} questions", raw.questions.len()),
                &format!("give at most {MAX_QUESTIONS} question cards"),
            );
        }
        let questions: Vec<Text> = raw
            .questions
            .into_iter()
            .take(MAX_QUESTIONS)
            .enumerate()
            .filter_map(|(i, q)| self.text(q, &format!("{field}.questions[{i}]")))
            .collect();
        let instructions = match raw.instructions {
            Some(i) => Instructions {
                facilitator: i
                    .facilitator
                    .and_then(|t| self.text(t, &format!("{field}.instructions.facilitator"))),
                participants: i
                    .participants
                    .and_then(|t| self.text(t, &format!("{field}.instructions.participants"))),
            },
            None => Instructions::default(),
        };

        let mut blocks = Vec::new();
        if !raw.blocks.is_empty() {
            if parent.is_some() {
                self.error(
                    span.clone(),
                    &format!("{field}.blocks"),
                    "sub-blocks can't have sub-blocks of their own".into(),
                    "use one level of sub-blocks",
                );
                return None;
            }
            let sub_sum: i64 = raw
                .blocks
                .iter()
                .filter_map(|b| b.get_ref().minutes.as_ref().map(|m| *m.get_ref()))
                .sum();
            if let Some(total) = minutes
                && raw.blocks.iter().all(|b| b.get_ref().minutes.is_some())
                && sub_sum != i64::from(total)
            {
                self.error(
                    span.clone(),
                    &format!("{field}.minutes"),
                    format!("is {total}, but its sub-blocks add up to {sub_sum}"),
                    "make the block's minutes the sum of its sub-blocks' minutes",
                );
            }
            let parent_letter = letter.clone().unwrap_or_default();
            for (i, sub) in raw.blocks.into_iter().enumerate() {
                if self.block_count >= MAX_BLOCKS {
                    break;
                }
                if let Some(b) =
                    self.block(sub, &format!("{field}.blocks[{i}]"), Some(&parent_letter))
                {
                    blocks.push(b);
                }
            }
        }

        Some(Block {
            letter,
            title: title?,
            minutes: minutes?,
            assumed_minutes: raw.assumed_minutes,
            werkvorm,
            groups,
            private: raw
                .private
                .unwrap_or_else(|| werkvorm.is_some_and(|w| w.rules().private_by_default)),
            prompt,
            questions,
            instructions,
            blocks,
        })
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_letter(s: &str) -> bool {
    s.len() == 1 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Parses and checks a draaiboek. `file` names it in error messages.
pub fn parse(file: &str, source: &str) -> Result<Draaiboek, DraaiboekErrors> {
    let mut c = Checker {
        file,
        source,
        errors: Vec::new(),
        letters: HashSet::new(),
        block_count: 0,
    };
    if source.len() > MAX_SOURCE_BYTES {
        c.error(
            0..0,
            "(file)",
            format!(
                "is {} bytes, over the limit of {MAX_SOURCE_BYTES}",
                source.len()
            ),
            "a draaiboek is a short text file; remove what isn't part of it",
        );
        return Err(DraaiboekErrors(c.errors));
    }
    let raw: RawDraaiboek = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            c.error(
                span,
                "(file)",
                e.message().trim().to_owned(),
                "check the TOML syntax and the field names against the built-in draaiboeken",
            );
            return Err(DraaiboekErrors(c.errors));
        }
    };

    let whole = 0..0;
    let id = match raw.id {
        Some(id) if is_slug(id.get_ref()) => Some(id.into_inner()),
        Some(id) => {
            c.error(
                id.span(),
                "id",
                format!("`{}` is not a valid id", id.get_ref()),
                "use lowercase letters, digits and '-', e.g. `buurt-oost`",
            );
            None
        }
        None => {
            c.error(
                whole.clone(),
                "id",
                "is missing".into(),
                "add `id = \"mijn-sessie\"` at the top",
            );
            None
        }
    };
    let title = c.required_text(raw.title, whole.clone(), "title");
    let doelgroep = c.required_text(raw.doelgroep, whole.clone(), "doelgroep");
    let doel = c.required_text(raw.doel, whole.clone(), "doel");
    let voorbereiding = c.required_text(raw.voorbereiding, whole.clone(), "voorbereiding");

    if raw.roles.is_empty() {
        c.error(
            whole.clone(),
            "roles",
            "no roles are defined".into(),
            "add at least one `[[roles]]` with id, name and colour (participants pick one when joining)",
        );
    }
    let mut ids = HashSet::new();
    let roles: Vec<Role> = raw
        .roles
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| c.role(r, &format!("roles[{i}]"), &mut ids))
        .collect();

    if raw.blocks.is_empty() {
        c.error(
            whole,
            "blocks",
            "the draaiboek has no blocks".into(),
            "add blocks with `[[blocks]]`",
        );
    }
    let mut blocks = Vec::new();
    for (i, b) in raw.blocks.into_iter().enumerate() {
        if c.block_count >= MAX_BLOCKS {
            c.error(
                b.span(),
                &format!("blocks[{i}]"),
                format!("more than {MAX_BLOCKS} blocks"),
                "split the session into several draaiboeken",
            );
            break;
        }
        if let Some(block) = c.block(b, &format!("blocks[{i}]"), None) {
            blocks.push(block);
        }
    }

    if !c.errors.is_empty() {
        c.errors.sort_by_key(|e| (e.line, e.column));
        return Err(DraaiboekErrors(c.errors));
    }
    match (id, title, doelgroep, doel, voorbereiding) {
        (Some(id), Some(title), Some(doelgroep), Some(doel), Some(voorbereiding)) => {
            Ok(Draaiboek {
                id,
                title,
                doelgroep,
                doel,
                voorbereiding,
                roles,
                blocks,
            })
        }
        // Every None above recorded an error.
        _ => Err(DraaiboekErrors(c.errors)),
    }
}

/// The draaiboeken that ship with Werkmuur, as (file name, source).
pub const BUILTIN_SOURCES: [(&str, &str); 3] = [
    (
        "ambtenaren.toml",
        include_str!("../builtin/ambtenaren.toml"),
    ),
    ("bewoners.toml", include_str!("../builtin/bewoners.toml")),
    (
        "bewoners-en-ambtenaren.toml",
        include_str!("../builtin/bewoners-en-ambtenaren.toml"),
    ),
];

/// The built-in draaiboeken, parsed.
pub fn builtin() -> Result<Vec<Draaiboek>, DraaiboekErrors> {
    BUILTIN_SOURCES
        .iter()
        .map(|(file, source)| parse(file, source))
        .collect()
}

#[cfg(test)]
#[path = "draaiboek_tests.rs"]
mod tests;
