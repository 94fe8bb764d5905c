//! [`Text`]: a text written by people (a draaiboek's), in Dutch and in the languages someone
//! translated it into.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Lang;

/// Text in Dutch and, where someone translated it, other languages; a language without its own
/// text shows the Dutch. As JSON it is an object by language code, `{"nl": "…", "en": "…"}`
/// (Dutch required; codes Werkmuur doesn't speak are skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(BTreeMap<Lang, String>);

impl Text {
    pub fn new(dutch: impl Into<String>) -> Text {
        Text(BTreeMap::from([(Lang::DEFAULT, dutch.into())]))
    }

    /// With `text` as its `lang` translation (the Dutch itself for [`Lang::DEFAULT`]).
    #[must_use]
    pub fn with(mut self, lang: Lang, text: impl Into<String>) -> Text {
        self.0.insert(lang, text.into());
        self
    }

    /// The text in `lang`, else in Dutch.
    pub fn get(&self, lang: Lang) -> &str {
        self.translation(lang).unwrap_or_else(|| self.dutch())
    }

    pub fn dutch(&self) -> &str {
        self.0.get(&Lang::DEFAULT).map_or("", String::as_str)
    }

    /// The text in exactly `lang`, if it has one.
    pub fn translation(&self, lang: Lang) -> Option<&str> {
        self.0.get(&lang).map(String::as_str)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (lang, text) in &self.0 {
            map.serialize_entry(lang.code(), text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        let raw = BTreeMap::<String, String>::deserialize(d)?;
        let texts: BTreeMap<Lang, String> = raw
            .into_iter()
            .filter_map(|(code, text)| Some((Lang::from_code(&code)?, text)))
            .collect();
        if !texts.contains_key(&Lang::DEFAULT) {
            return Err(serde::de::Error::missing_field("nl"));
        }
        Ok(Text(texts))
    }
}

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
