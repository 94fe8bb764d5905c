//! Every translated string Werkmuur has, written for the browser scripts: they check that a
//! Turkish or Arabic screen shows none of the Dutch ones (tests/js/a11y.mjs, `dutchLeft`).

use std::path::PathBuf;
use std::sync::OnceLock;

use draaiboeken::draaiboek;
use draaiboeken::i18n::{Counted, Key, Lang, counted, t};
use serde_json::{Map, Value};

use crate::support::repo_root;

/// The file, written once per test run: a JSON list of records `{"nl": …, "en": …, …}`, one
/// per message (each plural form apart) and per text of the built-in draaiboeken, with the
/// languages it has.
pub fn file() -> PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = repo_root().join("tests/output");
        std::fs::create_dir_all(&dir).expect("tests/output");
        let path = dir.join("strings.json");
        let records = Value::Array(records());
        std::fs::write(&path, records.to_string()).expect("strings.json is written");
        path
    })
    .clone()
}

fn records() -> Vec<Value> {
    let mut out = Vec::new();
    let record = |text: &dyn Fn(Lang) -> Option<String>| {
        let map: Map<String, Value> = Lang::ALL
            .iter()
            .filter_map(|&l| text(l).map(|s| (l.code().to_owned(), Value::String(s))))
            .collect();
        Value::Object(map)
    };
    for &key in Key::ALL {
        out.push(record(&|l| Some(t(l, key).to_owned())));
    }
    for &key in Counted::ALL {
        for n in [0, 1, 2, 3, 11, 100] {
            out.push(record(&|l| Some(counted(l, key, l.plural(n)).to_owned())));
        }
    }
    let builtin = draaiboek::builtin().expect("the built-in draaiboeken");
    let json = serde_json::to_value(&builtin).expect("draaiboeken serialise");
    texts(&json, &mut out);
    out
}

/// Every translated text in a serialised draaiboek: an object whose keys are all language
/// codes, Dutch among them.
fn texts(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            let is_text = m.contains_key("nl")
                && m.iter()
                    .all(|(k, v)| Lang::from_code(k).is_some() && v.is_string());
            if is_text {
                out.push(v.clone());
            } else {
                m.values().for_each(|v| texts(v, out));
            }
        }
        Value::Array(a) => a.iter().for_each(|v| texts(v, out)),
        _ => {}
    }
}
