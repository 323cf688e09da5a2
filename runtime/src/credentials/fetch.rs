//! One HTTP exchange with a deadline, shared by the ECS and IMDS providers.

use std::io;
use std::time::Duration;

use crate::contract::error::BoxError;
use crate::contract::http::HttpClient;
use crate::contract::http::{HttpRequest, HttpResponse};
use crate::contract::text::escape;

/// Sends `request` and waits at most `timeout` for the whole response.
///
/// Needs a Tokio runtime with the time driver enabled (as the default HTTP client does).
pub(super) async fn fetch(
    http: &dyn HttpClient,
    request: HttpRequest,
    timeout: Duration,
) -> Result<HttpResponse, BoxError> {
    match tokio::time::timeout(timeout, http.call(request)).await {
        Ok(Ok(response)) => Ok(response),
        Ok(Err(error)) => Err(Box::new(error)),
        Err(_) => Err(Box::new(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no response within {timeout:?}"),
        ))),
    }
}

/// The start of a response body as text, for error messages (control characters escaped).
pub(super) fn body_excerpt(response: &HttpResponse) -> String {
    let text = String::from_utf8_lossy(response.body());
    let text = text.trim();
    let excerpt: String = text.chars().take(200).collect();
    if excerpt.len() < text.len() {
        format!("{}...", escape(&excerpt))
    } else {
        escape(&excerpt)
    }
}
