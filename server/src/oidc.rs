//! Sign-in through the organisation's own identity provider, with OpenID Connect: the
//! authorization code flow with PKCE, `state` and `nonce` (the `openidconnect` crate).
//!
//! [`Oidc::start`] makes a sign-in: a random `state` (the key), a PKCE verifier and a `nonce`
//! kept here, in memory, for [`PENDING_MS`] (at most [`MAX_PENDING`] at once), tied to the
//! browser that started it by a random value in a short-lived cookie ([`BROWSER_COOKIE`], of
//! which only the SHA-256 is kept). [`Oidc::finish`] takes the sign-in out by its `state`
//! (so a callback works once), checks the browser's cookie, exchanges the code with the
//! verifier, and verifies the ID token (signature by the provider's keys, issuer, audience,
//! expiry, nonce). What comes out is a [`Link`]: who the provider vouched for, which
//! `Accounts::sign_in_linked` turns into a sign-in like a password's.
//!
//! The provider's configuration is discovered when the server starts, in the background, and
//! again when a sign-in needs it and it is missing or older than [`REDISCOVER_AFTER`] (its
//! keys may have rotated): an unreachable provider never stops the server, and sign-in with a
//! password goes on working. The HTTP client follows no redirects. Nothing here logs a code, a
//! token, a `state` or the client secret.

use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use draaiboeken::agenda::Millis;
use draaiboeken::limit::Attempts;
use draaiboeken::route::SignInRefusal;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdToken, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse,
};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::accounts::{Link, LinkRole, Role};
use crate::sessions::{Clock, hash, new_token};

/// How the server signs people in through the identity provider (`werkmuur serve --oidc-*`).
#[derive(Clone)]
pub struct OidcSettings {
    /// The provider's issuer URL; its configuration is at
    /// `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    /// Werkmuur's client at the provider.
    pub client_id: String,
    pub client_secret: String,
    /// The ID token's claim that holds a person's roles (a string or a list of strings; a
    /// dotted path such as `realm_access.roles` reaches into objects). `organiser` or
    /// `facilitator` in it is their role in Werkmuur; without it, [`OidcSettings::default_role`].
    pub role_claim: Option<String>,
    /// The role of someone the role claim gives none (or of everyone, without a role claim);
    /// `None`: they are not let in.
    pub default_role: Option<Role>,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("role_claim", &self.role_claim)
            .field("default_role", &self.default_role)
            .finish()
    }
}

/// The path of the callback; the redirect URI to register at the provider is the public
/// address followed by it.
pub const CALLBACK_PATH: &str = "/api/oidc/callback";
/// The cookie that ties a sign-in to the browser that started it.
pub const BROWSER_COOKIE: &str = "werkmuur_oidc";
/// How long a started sign-in may take at the provider.
pub const PENDING_MS: Millis = 10 * 60_000;
/// Started sign-ins kept at once; more are refused until some finish or expire.
pub const MAX_PENDING: usize = 10_000;
/// Sign-ins one address may start per window.
pub const STARTS_PER_WINDOW: u32 = 30;
pub const STARTS_WINDOW_MS: Millis = 10 * 60_000;
/// After this, the provider's configuration and keys are fetched again.
pub const REDISCOVER_AFTER: Duration = Duration::from_secs(60 * 60);
/// How long a request to the provider may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the settings can't be used; the server doesn't start with them.
#[derive(Debug, thiserror::Error)]
pub enum OidcConfigError {
    #[error("--oidc-issuer is not a URL: {0}")]
    Issuer(String),
    #[error(
        "--oidc-issuer needs --public-url: the redirect URI registered at the provider is \
         {{public-url}}{CALLBACK_PATH}"
    )]
    NoPublicUrl,
    #[error("--public-url is not a URL, so {CALLBACK_PATH} after it is no redirect URI: {0}")]
    RedirectUri(String),
    #[error("--oidc-client-id and --oidc-client-secret are needed with --oidc-issuer")]
    NoClient,
    #[error("--oidc-default-role none needs --oidc-role-claim: else no one could sign in")]
    NoOneGetsIn,
}

/// Why a sign-in through the provider did not go through. Each is shown to the person as a
/// [`SignInRefusal`] on the organisers' page.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider can't be reached or its configuration can't be read: {0}")]
    Unreachable(String),
    #[error("too many sign-ins started from this address; try again in {0} seconds")]
    TooMany(u64),
    #[error("too many sign-ins under way; try again in a minute")]
    Busy,
    #[error("no such sign-in: unknown, already used or expired")]
    UnknownState,
    #[error("this sign-in was started in another browser")]
    OtherBrowser,
    #[error("the identity provider refused the sign-in ({0})")]
    Refused(String),
    #[error("the callback carries no code")]
    NoCode,
    #[error("the code could not be exchanged: {0}")]
    Exchange(String),
    #[error("the ID token is not valid: {0}")]
    IdToken(String),
    #[error("the identity provider gives this person no role in Werkmuur")]
    NoRole,
}

impl OidcError {
    pub fn refusal(&self) -> SignInRefusal {
        match self {
            OidcError::Unreachable(_) => SignInRefusal::Unreachable,
            OidcError::TooMany(_) | OidcError::Busy => SignInRefusal::TooMany,
            OidcError::UnknownState | OidcError::OtherBrowser => SignInRefusal::Expired,
            OidcError::Refused(_) => SignInRefusal::Refused,
            OidcError::NoCode | OidcError::Exchange(_) | OidcError::IdToken(_) => {
                SignInRefusal::Invalid
            }
            OidcError::NoRole => SignInRefusal::NoRole,
        }
    }

    /// Whether it counts as a guessed credential (an unknown `state`, or another browser's).
    pub fn is_guess(&self) -> bool {
        matches!(self, OidcError::UnknownState | OidcError::OtherBrowser)
    }
}

/// The client as discovery makes it: an authorization and a token endpoint, a user info
/// endpoint maybe.
type Provider = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Every claim of the ID token beyond the standard ones, for the role claim.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Extra {
    #[serde(flatten)]
    claims: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for Extra {}

type ExtraIdToken =
    IdToken<Extra, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

/// A sign-in under way at the provider.
struct Pending {
    verifier: PkceCodeVerifier,
    nonce: Nonce,
    /// The SHA-256 of the browser cookie's value.
    browser: [u8; 32],
    expires_at: Millis,
}

/// A started sign-in: where to send the browser, and the value of its [`BROWSER_COOKIE`].
pub struct Started {
    pub url: String,
    pub browser: String,
}

/// What the provider sends the browser back with.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    /// The provider's refusal (`access_denied`, `login_required`, ...).
    pub error: Option<String>,
}

pub struct Oidc {
    settings: OidcSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    /// The discovered client and when; the lock is held while discovering, so one request
    /// discovers and the others wait for it.
    provider: tokio::sync::Mutex<Option<(Instant, Arc<Provider>)>>,
    pending: Mutex<HashMap<String, Pending>>,
    starts: Mutex<Attempts<IpAddr>>,
    clock: Arc<dyn Clock>,
}

/// Checks `settings` for a server whose public address is `public_url`: the issuer and the
/// redirect URI.
pub fn check(
    settings: &OidcSettings,
    public_url: Option<&str>,
) -> Result<(IssuerUrl, RedirectUrl), OidcConfigError> {
    let issuer = IssuerUrl::new(settings.issuer.trim_end_matches('/').to_owned())
        .map_err(|e| OidcConfigError::Issuer(e.to_string()))?;
    let public_url = public_url.ok_or(OidcConfigError::NoPublicUrl)?;
    let redirect = RedirectUrl::new(format!(
        "{}{CALLBACK_PATH}",
        public_url.trim_end_matches('/')
    ))
    .map_err(|e| OidcConfigError::RedirectUri(e.to_string()))?;
    if settings.client_id.is_empty() || settings.client_secret.is_empty() {
        return Err(OidcConfigError::NoClient);
    }
    if settings.default_role.is_none() && settings.role_claim.is_none() {
        return Err(OidcConfigError::NoOneGetsIn);
    }
    Ok((issuer, redirect))
}

impl Oidc {
    pub fn new(
        settings: OidcSettings,
        public_url: Option<&str>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, OidcConfigError> {
        let (issuer, redirect) = check(&settings, public_url)?;
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a provider's answer send us anywhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| OidcConfigError::Issuer(e.to_string()))?;
        Ok(Self {
            settings,
            issuer,
            redirect,
            http,
            provider: tokio::sync::Mutex::new(None),
            pending: Mutex::new(HashMap::new()),
            starts: Mutex::new(Attempts::new(STARTS_PER_WINDOW, STARTS_WINDOW_MS, 100_000)),
            clock,
        })
    }

    /// The redirect URI to register at the provider.
    pub fn redirect_uri(&self) -> &str {
        self.redirect.as_str()
    }

    /// Discovers the provider now, in the background, and logs how that went.
    pub fn discover_in_background(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let oidc = self.clone();
        tokio::spawn(async move {
            match oidc.provider().await {
                Ok(_) => tracing::info!(issuer = %oidc.issuer.as_str(),
                    redirect_uri = %oidc.redirect.as_str(), "identity provider found"),
                Err(error) => tracing::warn!(%error,
                    "sign-in through the identity provider is unavailable until it can be reached"),
            }
        })
    }

    /// The provider's client, discovered if it isn't yet or is old; an old one stays in use
    /// when the provider can't be reached.
    async fn provider(&self) -> Result<Arc<Provider>, OidcError> {
        let mut cached = self.provider.lock().await;
        if let Some((at, provider)) = cached.as_ref()
            && at.elapsed() < REDISCOVER_AFTER
        {
            return Ok(provider.clone());
        }
        match CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http).await {
            Ok(metadata) => {
                let provider = Arc::new(
                    CoreClient::from_provider_metadata(
                        metadata,
                        ClientId::new(self.settings.client_id.clone()),
                        Some(ClientSecret::new(self.settings.client_secret.clone())),
                    )
                    .set_redirect_uri(self.redirect.clone()),
                );
                *cached = Some((Instant::now(), provider.clone()));
                Ok(provider)
            }
            Err(e) => {
                let error = OidcError::Unreachable(error_chain(&e));
                match cached.as_ref() {
                    Some((_, old)) => {
                        tracing::warn!(%error, "the identity provider's configuration could \
                            not be fetched again; the one from before stays in use");
                        Ok(old.clone())
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// Starts a sign-in from address `from`: the provider's URL to send the browser to.
    pub async fn start(&self, from: IpAddr) -> Result<Started, OidcError> {
        let now = self.clock.now_ms();
        self.starts
            .lock()
            .count(from, now)
            .map_err(|ms| OidcError::TooMany((ms.max(0) as u64).div_ceil(1000).max(1)))?;
        let provider = self.provider().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = provider
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".into()))
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge)
            .url();
        let browser = new_token();
        let mut pending = self.pending.lock();
        if pending.len() >= MAX_PENDING {
            pending.retain(|_, p| p.expires_at > now);
            if pending.len() >= MAX_PENDING {
                return Err(OidcError::Busy);
            }
        }
        pending.insert(
            state.secret().clone(),
            Pending {
                verifier,
                nonce,
                browser: hash(&browser),
                expires_at: now + PENDING_MS,
            },
        );
        Ok(Started {
            url: url.to_string(),
            browser,
        })
    }

    /// Finishes the sign-in the provider sent the browser back with; `browser` is the value
    /// of its [`BROWSER_COOKIE`]. A sign-in is taken out on its first callback, whatever
    /// comes of it.
    pub async fn finish(
        &self,
        callback: Callback,
        browser: Option<&str>,
    ) -> Result<Link, OidcError> {
        let now = self.clock.now_ms();
        let pending = callback
            .state
            .as_deref()
            .and_then(|state| self.pending.lock().remove(state))
            .filter(|p| p.expires_at > now)
            .ok_or(OidcError::UnknownState)?;
        if browser.map(hash) != Some(pending.browser) {
            return Err(OidcError::OtherBrowser);
        }
        if let Some(error) = callback.error {
            return Err(OidcError::Refused(error.chars().take(64).collect()));
        }
        let code = callback.code.ok_or(OidcError::NoCode)?;
        let provider = self.provider().await?;
        let response = provider
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Exchange(e.to_string()))?
            .set_pkce_verifier(pending.verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Exchange(error_chain(&e)))?;
        let id_token = response
            .id_token()
            .ok_or_else(|| OidcError::IdToken("the provider sent none".into()))?;
        // Read again with every claim kept, for the role claim.
        let id_token = serde_json::to_value(id_token)
            .ok()
            .and_then(|v| v.as_str().map(ExtraIdToken::from_str))
            .ok_or_else(|| OidcError::IdToken("not a JWT".into()))?
            .map_err(|e| OidcError::IdToken(e.to_string()))?;
        let claims = id_token
            .claims(&provider.id_token_verifier(), &pending.nonce)
            .map_err(|e| OidcError::IdToken(e.to_string()))?;
        let names = [
            claims.preferred_username().map(|u| u.as_str().to_owned()),
            claims.email().map(|e| e.as_str().to_owned()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let role = match &self.settings.role_claim {
            Some(claim) => LinkRole::Is(
                role_in(&claims.additional_claims().claims, claim)
                    .or(self.settings.default_role)
                    .ok_or(OidcError::NoRole)?,
            ),
            None => LinkRole::NewGets(self.settings.default_role.ok_or(OidcError::NoRole)?),
        };
        Ok(Link {
            issuer: self.issuer.as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            names,
            role,
        })
    }
}

/// The role a role claim (at dotted `path`) gives: `organiser` over `facilitator`, in any case.
fn role_in(claims: &serde_json::Map<String, serde_json::Value>, path: &str) -> Option<Role> {
    let mut parts = path.split('.');
    let first = claims.get(parts.next()?)?;
    let value = parts.try_fold(first, |v, part| v.get(part))?;
    let values: Vec<&str> = match value {
        serde_json::Value::String(s) => vec![s.as_str()],
        serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    };
    let roles: Vec<Role> = values
        .iter()
        .filter_map(|v| Role::parse(&v.trim().to_lowercase()))
        .collect();
    [Role::Organiser, Role::Facilitator]
        .into_iter()
        .find(|r| roles.contains(r))
}

/// An error with its causes, for the log (reqwest's top message alone says little).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_role_claim_gives_organiser_over_facilitator_and_nothing_else() {
        let claims = |v: serde_json::Value| v.as_object().unwrap().clone();
        let c = claims(json!({
            "roles": ["Medewerker", "facilitator", "Organiser"],
            "werkmuur": "facilitator",
            "realm_access": { "roles": ["organiser"] },
            "odd": 5,
        }));
        assert_eq!(role_in(&c, "roles"), Some(Role::Organiser));
        assert_eq!(role_in(&c, "werkmuur"), Some(Role::Facilitator));
        assert_eq!(role_in(&c, "realm_access.roles"), Some(Role::Organiser));
        assert_eq!(role_in(&c, "odd"), None);
        assert_eq!(role_in(&c, "missing"), None);
        assert_eq!(role_in(&c, "roles.deeper"), None);
        let none = claims(json!({ "roles": ["beheer"] }));
        assert_eq!(role_in(&none, "roles"), None);
    }

    fn settings() -> OidcSettings {
        OidcSettings {
            issuer: "https://login.example.nl/".into(),
            client_id: "werkmuur".into(),
            client_secret: "geheim-van-de-client".into(),
            role_claim: None,
            default_role: Some(Role::Facilitator),
        }
    }

    #[test]
    fn the_redirect_uri_is_the_public_address_and_the_settings_must_add_up() {
        let (issuer, redirect) = check(&settings(), Some("https://werkmuur.example.nl/")).unwrap();
        assert_eq!(issuer.as_str(), "https://login.example.nl");
        assert_eq!(
            redirect.as_str(),
            "https://werkmuur.example.nl/api/oidc/callback"
        );
        assert!(matches!(
            check(&settings(), None),
            Err(OidcConfigError::NoPublicUrl)
        ));
        let mut s = settings();
        s.issuer = "geen url".into();
        assert!(matches!(
            check(&s, Some("https://w.example.nl")),
            Err(OidcConfigError::Issuer(_))
        ));
        let mut s = settings();
        s.client_secret.clear();
        assert!(matches!(
            check(&s, Some("https://w.example.nl")),
            Err(OidcConfigError::NoClient)
        ));
        let mut s = settings();
        s.default_role = None;
        assert!(matches!(
            check(&s, Some("https://w.example.nl")),
            Err(OidcConfigError::NoOneGetsIn)
        ));
        s.role_claim = Some("roles".into());
        assert!(check(&s, Some("https://w.example.nl")).is_ok());
    }

    #[test]
    fn the_client_secret_never_shows_in_debug_output() {
        let text = format!("{:?}", settings());
        assert!(!text.contains("geheim-van-de-client"), "{text}");
        assert!(text.contains("werkmuur"));
    }
}
