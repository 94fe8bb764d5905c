//! Calls to the server's JSON API (`/api`, described by `/api/openapi.json`).

use draaiboeken::i18n::RefusalCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

/// Why a call failed, as the user is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFailure {
    /// No answer: offline, or the server is down.
    Network,
    /// The server said no; `message` is its reason (English, for programmers), `code` what
    /// kind of refusal it is, if it is one people meet (see `draaiboeken::i18n::refusal_text`).
    Refused {
        status: u16,
        code: Option<RefusalCode>,
        message: String,
    },
}

async fn send(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<String>,
) -> Result<Response, ApiFailure> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = &body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| ApiFailure::Network)?;
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    if let Some(token) = token {
        let _ = headers.set("Authorization", &format!("Bearer {token}"));
    }
    let response = JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
        .await
        .map_err(|_| ApiFailure::Network)?;
    response
        .dyn_into::<Response>()
        .map_err(|_| ApiFailure::Network)
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| ApiFailure::Refused {
            status,
            code: None,
            message: format!("unexpected answer: {e}"),
        })
    } else {
        let body = serde_json::from_str::<serde_json::Value>(&text).ok();
        let code = body
            .as_ref()
            .and_then(|v| serde_json::from_value(v["code"].clone()).ok());
        let message = body
            .and_then(|v| v["error"].as_str().map(str::to_owned))
            .unwrap_or(text);
        Err(ApiFailure::Refused {
            status,
            code,
            message,
        })
    }
}

/// Downloads `path` (sent with the token, which a plain link can't carry; an empty one: with
/// the sign-in cookie only) and hands it to the browser as a file named `filename`.
pub async fn download(path: &str, token: &str, filename: &str) -> Result<(), ApiFailure> {
    let token = Some(token).filter(|t| !t.is_empty());
    let response = send("GET", path, token, None).await?;
    let status = response.status();
    if !(200..300).contains(&status) {
        return read::<serde_json::Value>(response).await.map(|_| ());
    }
    let blob = JsFuture::from(response.blob().map_err(|_| ApiFailure::Network)?)
        .await
        .map_err(|_| ApiFailure::Network)?
        .dyn_into::<web_sys::Blob>()
        .map_err(|_| ApiFailure::Network)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiFailure::Network)?;
    let document = leptos::prelude::document();
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

pub async fn get<T: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<T, ApiFailure> {
    read(send("GET", path, token, None).await?).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    token: Option<&str>,
    body: &B,
) -> Result<T, ApiFailure> {
    with_body("POST", path, token, body).await
}

pub async fn put<B: Serialize, T: DeserializeOwned>(
    path: &str,
    token: Option<&str>,
    body: &B,
) -> Result<T, ApiFailure> {
    with_body("PUT", path, token, body).await
}

async fn with_body<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &B,
) -> Result<T, ApiFailure> {
    let body = serde_json::to_string(body).map_err(|e| ApiFailure::Refused {
        status: 0,
        code: None,
        message: e.to_string(),
    })?;
    read(send(method, path, token, Some(body)).await?).await
}

/// A POST without a body whose answer has none either (204).
pub async fn post_empty(path: &str) -> Result<(), ApiFailure> {
    let response = send("POST", path, None, None).await?;
    if (200..300).contains(&response.status()) {
        return Ok(());
    }
    read::<serde_json::Value>(response).await.map(|_| ())
}

/// A DELETE whose answer has no body (204); `token` as for [`get`], or none: the sign-in cookie.
pub async fn delete(path: &str, token: Option<&str>) -> Result<(), ApiFailure> {
    let response = send("DELETE", path, token, None).await?;
    if (200..300).contains(&response.status()) {
        return Ok(());
    }
    read::<serde_json::Value>(response).await.map(|_| ())
}

/// Milliseconds on this device's clock.
pub fn device_now() -> f64 {
    js_sys::Date::now()
}

#[derive(serde::Deserialize)]
struct Time {
    now_ms: i64,
}

/// Measures how far the server's clock is ahead of ours: three round trips to `/api/time`,
/// keeping the one with the shortest trip (its midpoint is the best estimate).
pub async fn measure_clock_offset() -> Option<i64> {
    let mut best: Option<(f64, i64)> = None;
    for _ in 0..3 {
        let sent = device_now();
        let Ok(time) = get::<Time>("/api/time", None).await else {
            continue;
        };
        let received = device_now();
        let trip = received - sent;
        let offset = time.now_ms - ((sent + received) / 2.0) as i64;
        if best.is_none_or(|(t, _)| trip < t) {
            best = Some((trip, offset));
        }
    }
    best.map(|(_, offset)| offset)
}

/// Tokens are kept on this device, per session, so a reload doesn't lose them.
pub mod tokens {
    fn storage() -> Option<web_sys::Storage> {
        leptos::prelude::window().local_storage().ok().flatten()
    }

    pub fn save(session: &str, token: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(&format!("werkmuur.token.{session}"), token);
        }
    }

    pub fn load(session: &str) -> Option<String> {
        storage()?
            .get_item(&format!("werkmuur.token.{session}"))
            .ok()
            .flatten()
    }

    /// A projector's token (see `server/src/projector.rs`), kept apart from a facilitator's
    /// token for the same session on the same computer.
    pub fn save_projector(session: &str, token: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(&format!("werkmuur.projector.{session}"), token);
        }
    }

    pub fn load_projector(session: &str) -> Option<String> {
        storage()?
            .get_item(&format!("werkmuur.projector.{session}"))
            .ok()
            .flatten()
    }

    /// A participant's member id, kept beside the token so a phone that reloads on a bad
    /// connection still knows which board is its own.
    pub fn save_member(session: &str, member: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(&format!("werkmuur.member.{session}"), member);
        }
    }

    pub fn load_member(session: &str) -> Option<String> {
        storage()?
            .get_item(&format!("werkmuur.member.{session}"))
            .ok()
            .flatten()
    }
}
