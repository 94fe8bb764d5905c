//! Errors at the HTTP boundary.
//!
//! Policy: every handler returns `Result<_, ApiError>`. A client error says plainly what was wrong
//! and how to fix it; a server error is logged with its cause and the client gets a generic text
//! (internals and secrets never reach a response). Bodies are JSON: `{"error": "..."}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use draaiboeken::i18n::RefusalCode;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unprocessable(String),
    /// A draaiboek that did not validate: every problem, with position and hint.
    #[error("the draaiboek has {} problem(s)", .0.0.len())]
    InvalidDraaiboek(draaiboeken::draaiboek::DraaiboekErrors),
    #[error("{0}")]
    NotFound(String),
    /// The session has ended (or, for a participant's token, is no longer theirs to use).
    #[error("{0}")]
    Gone(String),
    /// Too many attempts from one address; try again after the given time.
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    /// A refusal people meet in the normal course of things: its code goes with the reason, so
    /// screens can say it in the reader's language.
    #[error("{1}")]
    Refused(RefusalCode, String),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unprocessable(_) | Self::InvalidDraaiboek(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Gone(_) => StatusCode::GONE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Refused(code, _) => {
                StatusCode::from_u16(code.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
            }
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The body of every error response.
// Fields in alphabetical order: the bodies were `json!` objects, whose keys serialise sorted.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What kind of refusal this is, for screens that say it in the reader's language (only
    /// for the refusals people meet in the normal course of things).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<RefusalCode>,
    /// What went wrong and how to fix it.
    pub error: String,
    /// An invalid draaiboek's problems, each with its place and a hint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<Problem>>,
}

/// One problem in a draaiboek file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    pub column: usize,
    /// Where in the draaiboek, e.g. `blocks[3].blocks[1].minutes`.
    pub field: String,
    pub file: String,
    pub hint: String,
    pub line: usize,
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = %cause, "internal error");
        }
        let problems = match &self {
            Self::InvalidDraaiboek(errors) => Some(
                errors
                    .0
                    .iter()
                    .map(|e| Problem {
                        column: e.column,
                        field: e.field.clone(),
                        file: e.file.clone(),
                        hint: e.hint.clone(),
                        line: e.line,
                        message: e.message.clone(),
                    })
                    .collect(),
            ),
            _ => None,
        };
        let body = ErrorBody {
            code: match &self {
                Self::Refused(code, _) => Some(*code),
                _ => None,
            },
            error: self.to_string(),
            problems,
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Self::TooManyRequests { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}

/// A command the session's rules refused: a conflict with its state (a step not started,
/// nothing to reveal, ...), or what was asked for can't be (a name too long, an unknown role).
impl From<draaiboeken::sessie::SessionError> for ApiError {
    fn from(e: draaiboeken::sessie::SessionError) -> Self {
        use draaiboeken::sessie::SessionError as E;
        let reason = e.to_string();
        match e {
            E::Agenda(_) | E::Control(_) | E::AlreadyJoined => ApiError::Conflict(reason),
            E::Full => ApiError::Refused(RefusalCode::Full, reason),
            E::Name | E::NameControl => ApiError::Refused(RefusalCode::Name, reason),
            E::Role { .. } => ApiError::Refused(RefusalCode::Role, reason),
            E::Retention => ApiError::Unprocessable(reason),
            E::Ended => ApiError::Refused(RefusalCode::Ended, reason),
            E::NoMember => ApiError::NotFound(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use draaiboeken::draaiboek::{DraaiboekError, DraaiboekErrors};

    async fn body(error: ApiError) -> (StatusCode, String) {
        let response = error.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_refusal_people_meet_says_its_code() {
        let e = ApiError::from(draaiboeken::sessie::SessionError::Full);
        let (status, body) = body(e).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(
            body.starts_with(r#"{"code":"full","error":"this session is full"#),
            "{body}"
        );
    }

    #[tokio::test]
    async fn error_bodies_keep_their_bytes() {
        assert_eq!(
            body(ApiError::NotFound("no draaiboek with id `x`".into())).await,
            (
                StatusCode::NOT_FOUND,
                r#"{"error":"no draaiboek with id `x`"}"#.into()
            )
        );
        let problem = DraaiboekError {
            file: "eigen.toml".into(),
            line: 3,
            column: 9,
            field: "blocks[0].minutes".into(),
            message: "must be at least 1".into(),
            hint: "write minutes = 10".into(),
        };
        assert_eq!(
            body(ApiError::InvalidDraaiboek(DraaiboekErrors(vec![problem]))).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                concat!(
                    r#"{"error":"the draaiboek has 1 problem(s)","problems":[{"column":9,"#,
                    r#""field":"blocks[0].minutes","file":"eigen.toml","hint":"write minutes = 10","#,
                    r#""line":3,"message":"must be at least 1"}]}"#
                )
                .into()
            )
        );
    }
}
