//! The browser app: static files built from `app`, `public` and `style` (see `scripts/build-web`),
//! and the page shells that load them.
//!
//! A path that is not a file is an app address. It gets the page shell of the bundle that serves
//! it (`phone.html`, `console.html` or `projector.html`, chosen by [`Surface::for_path`]), so a
//! phone never loads the console's code. A phone that opens a join link (`/j/{code}`) gets the
//! join screen in that first response: rendered here, in the phone's language, with the session's
//! title and roles, and the same data as JSON for the bundle, which takes the form over (keeping
//! what was typed) without asking the server again. Every shell carries the stylesheet inline
//! (allowed by its hash in the Content-Security-Policy), so the first screen waits for no second
//! request. On a slow connection the screen is there long before the bundle is.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use draaiboeken::export::xml_escape as escape;
use draaiboeken::i18n::{Key, Lang, t};
use draaiboeken::route::{Route, Surface};
use serde::Serialize;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::api::JoinInfo;

/// Where a shell's screen goes: the server replaces what is between these with the screen it
/// renders (the built shell has a loading line there).
const SCREEN_START: &str = "<!--screen-->";
const SCREEN_END: &str = "<!--/screen-->";

pub fn routes(state: AppState) -> Router {
    let web_dir = state.settings.web_dir.clone();
    let missing: Vec<PathBuf> = Surface::ALL
        .iter()
        .map(|s| shell_path(&web_dir, *s))
        .filter(|p| !p.is_file())
        .collect();
    if !missing.is_empty() {
        tracing::warn!(dir = %web_dir.display(), ?missing, "no built web app; run scripts/build-web");
        return Router::new().fallback(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html(
                    "<!doctype html><meta charset=utf-8><title>Werkmuur</title>\
                     <p>De webapp is nog niet gebouwd. Voer <code>scripts/build-web</code> uit.\
                     <p>The web app has not been built. Run <code>scripts/build-web</code>.",
                ),
            )
                .into_response()
        });
    }
    let shell = axum::handler::HandlerWithoutStateExt::into_service(
        move |uri: Uri, headers: HeaderMap, from: ConnectInfo<SocketAddr>| {
            let state = state.clone();
            async move { serve_shell(State(state), uri, headers, from).await }
        },
    );
    // `/` too is an app address (the home page), not a directory listing or an index file.
    let files = ServeDir::new(&web_dir)
        .append_index_html_on_directories(false)
        .precompressed_gzip()
        .fallback(shell);
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

fn shell_path(web_dir: &Path, surface: Surface) -> PathBuf {
    web_dir.join(format!("{}.html", surface.name()))
}

/// The shell is read on every request (about a kilobyte), so a rebuilt app is served at once.
async fn serve_shell(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
) -> Response {
    let route = Route::parse(uri.path());
    let surface = route.surface();
    let shell = match tokio::fs::read_to_string(shell_path(&state.settings.web_dir, surface)).await
    {
        Ok(shell) => shell,
        Err(error) => {
            tracing::error!(%error, surface = surface.name(), "page shell unreadable");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "De pagina kon niet worden geladen. / The page could not be loaded.",
            )
                .into_response();
        }
    };
    let mut csp = None;
    let shell = match inline_style(&state.settings.web_dir).await {
        Some(style) => {
            csp = Some(style.csp);
            shell.replace(STYLESHEET_LINK, &style.element)
        }
        None => shell,
    };
    // The device's language from the first paint (the bundle keeps it, or the projector
    // changes to the session's).
    let lang = preferred_lang(&headers);
    let shell = with_lang(&shell, lang);
    let body = match route {
        Route::Join(code) => {
            // The same lookup (and the same count of wrong codes) as `GET /api/join/{code}`;
            // the bundle reads the answer from the page instead of asking again.
            let answer = match crate::api::session_join_info(&state.sessions, &code, from.ip()) {
                Ok(info) => Prefetched::Info(info),
                Err(e) => Prefetched::Refused {
                    status: e.status().as_u16(),
                    message: e.to_string(),
                },
            };
            let screen = match &answer {
                Prefetched::Info(info) => join_screen(info, lang, &PrefillQuery::parse(&uri)),
                Prefetched::Refused { .. } => loading_screen(),
            };
            with_screen(&shell, &screen, &answer)
        }
        _ => shell,
    };
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response();
    if let Some(csp) = csp.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// How the built shell links the stylesheet; the server puts the sheet itself in its place.
const STYLESHEET_LINK: &str = r#"<link rel="stylesheet" href="/style.css">"#;

pub(crate) struct InlineStyle {
    /// `<style>…</style>`
    pub(crate) element: String,
    /// The policy that allows exactly this sheet.
    pub(crate) csp: String,
}

/// The stylesheet as an inline element and the policy naming its SHA-256. Read per request, like
/// the shell (a rebuilt sheet and its hash can't disagree); none if unreadable or if it could end
/// its element (then the shell keeps its link).
pub(crate) async fn inline_style(web_dir: &Path) -> Option<InlineStyle> {
    use base64::Engine;
    use sha2::Digest;
    let css = tokio::fs::read_to_string(web_dir.join("style.css"))
        .await
        .ok()?;
    if css.contains("</") {
        return None;
    }
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&css));
    Some(InlineStyle {
        element: format!("<style>{css}</style>"),
        csp: crate::CONTENT_SECURITY_POLICY.replace(
            "style-src 'self'",
            &format!("style-src 'self' 'sha256-{hash}'"),
        ),
    })
}

/// What the join page's bundle would have fetched from `/api/join/{code}`, embedded in the page.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Prefetched {
    Info(JoinInfo),
    Refused { status: u16, message: String },
}

/// The shell with `screen` in the app's place and `data` as a JSON data block for the bundle.
fn with_screen(shell: &str, screen: &str, data: &Prefetched) -> String {
    let (Some(start), Some(end)) = (shell.find(SCREEN_START), shell.find(SCREEN_END)) else {
        return shell.to_owned();
    };
    if end < start {
        return shell.to_owned();
    }
    // `<` escaped so no text in the data can end the script element.
    let json = serde_json::to_string(data)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c");
    let mut out = String::with_capacity(shell.len() + screen.len() + json.len() + 100);
    out.push_str(&shell[..start]);
    out.push_str(screen);
    out.push_str(&shell[end + SCREEN_END.len()..]);
    let data_block = format!(r#"<script type="application/json" id="prefetched">{json}</script>"#);
    match out.rfind("</body>") {
        Some(at) => out.insert_str(at, &data_block),
        None => out.push_str(&data_block),
    }
    out
}

/// "Loading…" in every language, since the page doesn't know the phone's yet.
fn loading_screen() -> String {
    let words: Vec<&str> = Lang::ALL.iter().map(|&l| t(l, Key::Loading)).collect();
    format!(r#"<p class="loading">{}</p>"#, words.join(" / "))
}

/// The language this device chose (the app keeps a copy of its choice in the cookie
/// [`LANG_COOKIE`]), else the first in the browser's list that Werkmuur speaks, else Dutch: as
/// the app decides.
pub(crate) fn preferred_lang(headers: &HeaderMap) -> Lang {
    let chosen = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, code)| Lang::from_code(code.trim()));
    chosen
        .or_else(|| accepted_lang(headers))
        .unwrap_or(Lang::DEFAULT)
}

/// The cookie the app sets to the language chosen on the device (a code), so the pages the
/// server draws speak it too.
pub const LANG_COOKIE: &str = "werkmuur_lang";

/// The first language of `Accept-Language`, by preference (`q`), that Werkmuur speaks.
fn accepted_lang(headers: &HeaderMap) -> Option<Lang> {
    let accept = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut tags: Vec<(u16, usize, Lang)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let lang = Lang::from_tag(parts.next()?)?;
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| {
                    q.trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))
                        .map(|q| (q * 1000.0) as u16)
                })?;
            (q > 0).then_some((q, i, lang))
        })
        .collect();
    tags.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.first().map(|(_, _, lang)| *lang)
}

/// The shell's `<html>` with `lang` and `dir` of `lang` (the built shell says Dutch).
fn with_lang(shell: &str, lang: Lang) -> String {
    const HTML: &str = r#"<html lang="nl""#;
    shell.replacen(
        HTML,
        &format!(
            r#"<html lang="{}" dir="{}""#,
            lang.code(),
            lang.direction().attribute()
        ),
        1,
    )
}

/// A join form sent before the bundle arrived comes back as `?name=…&role=…`: the screen keeps
/// both, and the bundle sends the join for the person.
#[derive(Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
struct PrefillQuery {
    name: Option<String>,
    role: Option<String>,
}

impl PrefillQuery {
    /// A malformed query is no prefill.
    fn parse(uri: &Uri) -> Self {
        let Ok(axum::extract::Query(mut q)) = axum::extract::Query::<Self>::try_from_uri(uri)
        else {
            return Self::default();
        };
        q.name = q.name.map(|n| n.chars().take(40).collect());
        q
    }
}

/// The join screen as the bundle draws it (same classes, labels and order), as plain HTML. The
/// form sends itself to this address, so a tap before the bundle runs is not lost.
fn join_screen(info: &JoinInfo, lang: Lang, prefill: &PrefillQuery) -> String {
    let chosen = prefill
        .role
        .as_deref()
        .filter(|r| info.roles.iter().any(|role| role.id == *r))
        // Nobody joins in a role they didn't pick: only a single role is chosen for them.
        .or(match info.roles.as_slice() {
            [only] => Some(only.id.as_str()),
            _ => None,
        });
    let roles: String = info
        .roles
        .iter()
        .map(|r| {
            format!(
                r##"<label class="role"><input type="radio" name="role" value="{id}" required{checked}><svg class="swatch" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><circle cx="9" cy="9" r="8" fill="{colour}" stroke="#111" stroke-width="1"/></svg><span>{name}</span></label>"##,
                id = escape(&r.id),
                checked = if Some(r.id.as_str()) == chosen { " checked" } else { "" },
                colour = escape(&r.colour),
                name = escape(r.name.get(lang)),
            )
        })
        .collect();
    format!(
        r#"<header class="bar"><h1 class="brand">{app}</h1><p class="room-name">{code}</p></header><main class="join"><h2>{title}</h2><form class="stack" method="get" action="/j/{code}"><label for="name">{name_label}</label><input id="name" name="name" type="text" dir="auto" required maxlength="40" autocomplete="given-name" value="{name}"><fieldset class="roles"><legend>{role_label}</legend>{roles}</fieldset><button type="submit" class="primary">{join}</button></form><p class="hint retention">{kept}</p></main>"#,
        app = escape(t(lang, Key::AppName)),
        code = escape(&info.code),
        title = escape(info.title.get(lang)),
        name_label = escape(t(lang, Key::NameLabel)),
        name = escape(prefill.name.as_deref().unwrap_or("")),
        role_label = escape(t(lang, Key::RoleLabel)),
        join = escape(t(lang, Key::Join)),
        kept = escape(&draaiboeken::i18n::data_kept(lang, info.retention_days)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use draaiboeken::draaiboek::{Role, Text};

    fn info(title: &str) -> JoinInfo {
        JoinInfo {
            retention_days: 90,
            code: "ABC123".into(),
            title: Text::new(title),
            roles: vec![Role {
                id: "bewoner".into(),
                name: Text::new("Bewoner \"<b>\""),
                colour: "#e07b00\"onload=x".into(),
            }],
        }
    }

    #[test]
    fn nothing_in_the_data_can_break_out_of_the_page() {
        let hostile = "</script><script>alert(1)</script>";
        let shell = "<html><body><div id=app><!--screen-->…<!--/screen--></div></body></html>";
        let data = Prefetched::Info(info(hostile));
        let prefill = PrefillQuery {
            name: Some("\"><img src=x>".into()),
            role: Some("bewoner".into()),
        };
        let page = with_screen(
            shell,
            &join_screen(&info(hostile), Lang::Nl, &prefill),
            &data,
        );
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<b>"), "{page}");
        assert!(!page.contains("#e07b00\"onload"), "{page}");
        // One data block, before </body>, and it still parses to the same title.
        let open = r#"<script type="application/json" id="prefetched">"#;
        let json_start = page.find(open).expect("data block") + open.len();
        let json_end = page[json_start..].find("</script>").expect("end") + json_start;
        let back: serde_json::Value =
            serde_json::from_str(&page[json_start..json_end]).expect("json");
        assert_eq!(back["info"]["title"]["nl"], hostile);
        assert!(page.ends_with("</script></body></html>"));
        // The chosen role is checked, the typed name kept (escaped).
        assert!(page.contains(r#"value="bewoner" required checked"#));
        assert!(page.contains("value=\"&quot;&gt;&lt;img src=x&gt;\""));
        // Nobody is given a role they didn't pick, unless there is only one.
        let mut two = info("x");
        let only = join_screen(&two, Lang::Nl, &PrefillQuery::default());
        assert!(
            only.contains(r#"value="bewoner" required checked"#),
            "{only}"
        );
        two.roles.push(Role {
            id: "ambtenaar".into(),
            name: Text::new("Ambtenaar"),
            colour: "#0b4f9c".into(),
        });
        let fresh = join_screen(&two, Lang::Nl, &PrefillQuery::default());
        assert!(fresh.contains(r#"value="bewoner" required>"#), "{fresh}");
        assert!(!fresh.contains(" checked"), "{fresh}");
    }

    #[test]
    fn a_shell_without_markers_is_served_as_it_is() {
        let shell = "<html><body><div id=app></div></body></html>";
        let data = Prefetched::Refused {
            status: 404,
            message: "no such code".into(),
        };
        assert_eq!(with_screen(shell, "<p>x</p>", &data), shell);
        let reversed = "<!--/screen--><!--screen-->";
        assert_eq!(with_screen(reversed, "<p>x</p>", &data), reversed);
    }

    #[test]
    fn the_language_follows_the_first_choice_of_the_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(preferred_lang(&h), Lang::Nl);
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("en-GB,en;q=0.9,nl;q=0.8"),
        );
        assert_eq!(preferred_lang(&h), Lang::En);
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("nl-NL,en;q=0.5"),
        );
        assert_eq!(preferred_lang(&h), Lang::Nl);
        // The first Werkmuur speaks, by preference.
        for (accept, lang) in [
            ("fr-FR,ar-MA;q=0.8,nl;q=0.5", Lang::Ar),
            ("de;q=0.9,tr;q=0.95,en;q=0.95", Lang::Tr),
            ("ar;q=0,en;q=0.1", Lang::En),
            ("ar;q=2,tr;q=abc,en;q=0.3", Lang::En),
            ("fr", Lang::Nl),
            (",;;q=,", Lang::Nl),
        ] {
            h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static(accept));
            assert_eq!(preferred_lang(&h), lang, "{accept}");
        }
        // The device's own choice first.
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("other=1; werkmuur_lang=ar"),
        );
        assert_eq!(preferred_lang(&h), Lang::Ar);
        h.insert(header::COOKIE, HeaderValue::from_static("werkmuur_lang=xx"));
        assert_eq!(preferred_lang(&h), Lang::Nl, "an unknown choice is none");
    }

    #[test]
    fn the_page_says_its_language_and_direction() {
        let shell = r#"<!doctype html><html lang="nl" data-surface="join"><body></body></html>"#;
        assert!(with_lang(shell, Lang::Ar).contains(r#"<html lang="ar" dir="rtl" data-surface"#));
        assert!(with_lang(shell, Lang::Tr).contains(r#"<html lang="tr" dir="ltr""#));
    }

    #[test]
    fn a_malformed_query_is_no_prefill() {
        let uri: Uri = "/j/ABC?name=Fatima&role=ambtenaar".parse().expect("uri");
        assert_eq!(
            PrefillQuery::parse(&uri),
            PrefillQuery {
                name: Some("Fatima".into()),
                role: Some("ambtenaar".into())
            }
        );
        let long: Uri = format!("/j/ABC?name={}", "a".repeat(500))
            .parse()
            .expect("uri");
        assert_eq!(PrefillQuery::parse(&long).name.map(|n| n.len()), Some(40));
        let bad: Uri = "/j/ABC?name=%ZZ%&role".parse().expect("uri");
        let _ = PrefillQuery::parse(&bad); // no panic, whatever it makes of it
    }
}
