//! `/toegankelijkheid`: the accessibility statement, as plain HTML without any script, in the
//! reader's language (`?lang=…`, else the device's choice, as the app's pages decide), with a
//! link to each of the others.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use draaiboeken::export::xml_escape as escape;
use draaiboeken::i18n::statement::{Part, statement};
use draaiboeken::i18n::{Key, Lang, t};
use serde::Deserialize;

use crate::AppState;
use crate::web::{inline_style, preferred_lang};

/// The address of the statement (linked from the home page and the organisers' page).
pub use draaiboeken::route::STATEMENT_PATH as PATH;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LangQuery {
    lang: Option<String>,
}

/// Anyone may read it: no account, no session.
pub async fn page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    // A malformed query is no choice of language.
    let lang = Query::<LangQuery>::try_from_uri(&uri)
        .ok()
        .and_then(|Query(q)| q.lang)
        .and_then(|code| Lang::from_code(&code))
        .unwrap_or_else(|| preferred_lang(&headers));
    let style = inline_style(&state.settings.web_dir).await;
    let body = render(
        lang,
        state.settings.accessibility_contact.as_deref(),
        style
            .as_ref()
            .map_or(r#"<link rel="stylesheet" href="/style.css">"#, |s| {
                s.element.as_str()
            }),
    );
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response();
    if let Some(csp) = style.and_then(|s| HeaderValue::from_str(&s.csp).ok()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// The whole page. `contact` is the operator's (`--accessibility-contact`), shown as text.
pub fn render(lang: Lang, contact: Option<&str>, style: &str) -> String {
    let s = statement(lang);
    let mut main = String::new();
    for part in s.parts {
        match part {
            Part::Heading(h) => main.push_str(&format!("<h2>{}</h2>", escape(h))),
            Part::Para(p) => main.push_str(&format!("<p>{}</p>", escape(p))),
            Part::List(items) => {
                main.push_str("<ul>");
                for item in *items {
                    main.push_str(&format!("<li>{}</li>", escape(item)));
                }
                main.push_str("</ul>");
            }
            Part::Contact { with, without } => {
                let text = match contact.map(str::trim).filter(|c| !c.is_empty()) {
                    Some(c) => {
                        let (before, after) = with.split_once("{contact}").unwrap_or((with, ""));
                        format!("{}{}{}", escape(before), contact_html(c), escape(after))
                    }
                    None => escape(without),
                };
                main.push_str(&format!("<p class=\"contact\">{text}</p>"));
            }
        }
    }
    let languages: String = Lang::ALL
        .iter()
        .map(|&l| {
            let current = if l == lang {
                r#" aria-current="page""#
            } else {
                ""
            };
            format!(
                r#"<li><a class="standalone" href="{PATH}?lang={code}" lang="{code}" dir="{dir}" hreflang="{code}"{current}>{name}</a></li>"#,
                code = l.code(),
                dir = l.direction().attribute(),
                name = escape(l.name()),
            )
        })
        .collect();
    format!(
        r#"<!doctype html><html lang="{code}" dir="{dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · {app}</title>{style}</head><body><header class="bar"><p class="brand">{app}</p></header><main class="statement"><h1>{title}</h1><nav aria-label="{languages_label}"><ul class="statement-languages">{languages}</ul></nav>{main}<p class="home-link"><a href="/">{home}</a></p></main></body></html>"#,
        code = lang.code(),
        dir = lang.direction().attribute(),
        title = escape(s.title),
        app = escape(t(lang, Key::AppName)),
        languages_label = escape(s.languages),
        home = escape(s.home),
    )
}

/// The contact, isolated left to right (an address inside Arabic keeps its order): a link when
/// it is an e-mail address or a web address, else text. Escaped either way.
fn contact_html(contact: &str) -> String {
    let href = if contact.starts_with("https://") || contact.starts_with("http://") {
        Some(contact.to_owned())
    } else if contact.contains('@') && !contact.contains([' ', ':', '/']) {
        Some(format!("mailto:{contact}"))
    } else {
        None
    };
    match href {
        Some(href) => format!(
            r#"<bdi dir="ltr"><a href="{}">{}</a></bdi>"#,
            escape(&href),
            escape(contact)
        ),
        None => format!(r#"<bdi dir="ltr">{}</bdi>"#, escape(contact)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_speaks_its_language_right_to_left_for_arabic_and_escapes_the_contact() {
        let ar = render(Lang::Ar, Some("<b>toegankelijkheid@example.nl</b>"), "");
        assert!(ar.starts_with(r#"<!doctype html><html lang="ar" dir="rtl">"#));
        assert!(ar.contains("<h1>بيان إمكانية الوصول</h1>"));
        assert!(
            ar.contains(r#"<bdi dir="ltr">&lt;b&gt;toegankelijkheid@example.nl&lt;/b&gt;</bdi>"#)
        );
        assert!(!ar.contains("<b>"));
        let mail = render(Lang::Nl, Some("toegankelijkheid@example.nl"), "");
        assert!(mail.contains(r#"<bdi dir="ltr"><a href="mailto:toegankelijkheid@example.nl">toegankelijkheid@example.nl</a></bdi>"#));
        let page = render(Lang::Ar, Some(r#"https://example.nl/meld?a=1&b="2""#), "");
        assert!(page.contains(r#"<a href="https://example.nl/meld?a=1&amp;b=&quot;2&quot;">"#));
        assert!(!render(Lang::Nl, Some("javascript:alert(1)"), "").contains("href=\"javascript"));
        let nl = render(Lang::Nl, None, "");
        assert!(nl.contains(r#"<html lang="nl" dir="ltr">"#));
        assert!(nl.contains("Laat het weten aan de organisatie"));
        assert!(!nl.contains("{contact}"));
        for l in Lang::ALL {
            assert!(
                nl.contains(&format!("{PATH}?lang={}", l.code())),
                "a link to {l:?}"
            );
        }
    }
}
