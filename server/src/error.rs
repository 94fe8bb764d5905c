//! Errors at the HTTP boundary.
//!
//! Policy: every handler returns `Result<_, ApiError>`. A client error says plainly what was wrong
//! and how to fix it; a server error is logged with its cause and the client gets a generic text
//! (internals and secrets never reach a response). Bodies are JSON: `{"error": "..."}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

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
    /// Too many attempts from one address; try again after the given time.
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
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
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = %cause, "internal error");
        }
        let body = match &self {
            Self::InvalidDraaiboek(errors) => serde_json::json!({
                "error": self.to_string(),
                "problems": errors.0.iter().map(|e| serde_json::json!({
                    "file": e.file, "line": e.line, "column": e.column,
                    "field": e.field, "message": e.message, "hint": e.hint,
                })).collect::<Vec<_>>(),
            }),
            _ => serde_json::json!({ "error": self.to_string() }),
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
        match e {
            E::Agenda(_) | E::Control(_) | E::AlreadyJoined => ApiError::Conflict(e.to_string()),
            E::Name | E::NameControl | E::Role { .. } => ApiError::Unprocessable(e.to_string()),
        }
    }
}
