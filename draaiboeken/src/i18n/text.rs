//! [`Text`]: a text written by people (a draaiboek's), in Dutch and in the languages someone
//! translated it into.

use serde::{Deserialize, Serialize};

use super::Lang;

/// Text in Dutch and, where someone translated it, other languages; a language without its own
/// text shows the Dutch. As JSON it is an object by language code, `{"nl": "…", "en": "…"}`
/// (Dutch required; codes Werkmuur doesn't speak are skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// In the order of [`Lang::ALL`], each language once, Dutch always. (A few entries: a list
    /// is smaller in every wasm bundle than a map.)
    texts: Vec<(Lang, String)>,
}

impl Text {
    pub fn new(dutch: impl Into<String>) -> Text {
        Text {
            texts: vec![(Lang::DEFAULT, dutch.into())],
        }
    }

    /// With `text` as its `lang` translation (the Dutch itself for [`Lang::DEFAULT`]).
    #[must_use]
    pub fn with(mut self, lang: Lang, text: impl Into<String>) -> Text {
        self.set(lang, text.into());
        self
    }

    fn set(&mut self, lang: Lang, text: String) {
        match self.texts.binary_search_by_key(&lang, |(l, _)| *l) {
            Ok(i) => self.texts[i].1 = text,
            Err(i) => self.texts.insert(i, (lang, text)),
        }
    }

    /// The text in `lang`, else in Dutch.
    pub fn get(&self, lang: Lang) -> &str {
        self.shown(lang).0
    }

    /// As [`Text::get`], with the language the text is in (`lang`, or Dutch when it fell back),
    /// for marking it up (`lang`) and reading it aloud in its own language.
    pub fn shown(&self, lang: Lang) -> (&str, Lang) {
        match self.translation(lang) {
            Some(t) => (t, lang),
            None => (self.dutch(), Lang::DEFAULT),
        }
    }

    pub fn dutch(&self) -> &str {
        self.translation(Lang::DEFAULT).unwrap_or_default()
    }

    /// The text in exactly `lang`, if it has one.
    pub fn translation(&self, lang: Lang) -> Option<&str> {
        self.texts
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, t)| t.as_str())
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.texts.len()))?;
        for (lang, text) in &self.texts {
            map.serialize_entry(lang.code(), text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("texts by language code, Dutch (nl) among them")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut text = Text { texts: Vec::new() };
                while let Some((code, value)) = map.next_entry::<String, String>()? {
                    if let Some(lang) = Lang::from_code(&code) {
                        text.set(lang, value);
                    }
                }
                if text.translation(Lang::DEFAULT).is_none() {
                    return Err(serde::de::Error::missing_field("nl"));
                }
                Ok(text)
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// An object of strings by language code, `nl` required (the JSON above).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Text {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .property("nl", ObjectBuilder::new().schema_type(Type::String))
            .required("nl")
            .additional_properties(Some(ObjectBuilder::new().schema_type(Type::String)))
            .description(Some(
                "Text by language code; Dutch (nl) always, other languages where translated",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Text {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_json_by_language_code_with_dutch_required() {
        let text = Text::new("Hallo").with(Lang::En, "Hello");
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, r#"{"nl":"Hallo","en":"Hello"}"#);
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), text);
        assert_eq!(
            serde_json::to_string(&Text::new("Alleen")).unwrap(),
            r#"{"nl":"Alleen"}"#
        );
        let unknown: Text = serde_json::from_str(r#"{"nl":"Hallo","xx":"?"}"#).unwrap();
        assert_eq!(unknown, Text::new("Hallo"));
        assert_eq!(unknown.get(Lang::En), "Hallo");
        assert!(serde_json::from_str::<Text>(r#"{"en":"Hello"}"#).is_err());
    }
}
