//! The README sections that depend on the service: pagination (when an operation is
//! paginated), the example programs, and, for AWS services, switching from the official crate.

use super::Example;
use crate::ir::names::unraw;
use crate::ir::ServiceIr;

/// The pagination section, with an example on the first paginated operation.
pub fn pagination(ir: &ServiceIr) -> String {
    let Some(op) = ir
        .operations
        .iter()
        .find(|op| super::paginator::paginator_names(op).is_some())
    else {
        return String::new();
    };
    let krate = ir.lib_name();
    let method = unraw(&op.module);
    format!(
        "
## Pagination

Paginated operations have `into_paginator()`: `.send()` gives a stream of pages with `next().await`,
`try_next().await`, `collect::<Vec<_>>().await` and `try_collect().await` (no `futures` import needed; the stream
is also a `futures_core::Stream`), and `page_size(n)` sets the page size. Where each page holds one list of items,
`.items().send()` gives a stream of the items. A next token the service already returned ends the stream with an
error (following it would loop forever) unless the paginator is told `stop_on_duplicate_token(false)`.

```rust,no_run
# async fn example(client: &{krate}::Client) -> Result<(), {krate}::Error> {{
let mut pages = client.{method}().into_paginator().send();
while let Some(page) = pages.try_next().await? {{
    println!(\"{{page:?}}\");
}}
# Ok(())
# }}
```
"
    )
}

/// What the event streams section says of the `initial-request` / `initial-response` messages,
/// under a protocol that has them.
fn initial_messages_note(ir: &ServiceIr) -> String {
    if !super::protocol::for_service(ir).initial_messages() {
        return String::new();
    }
    format!(
        "
Under {}, the stream is the whole body of its request or response: an operation's other
members travel in the stream's first message. The input's are sent as an `initial-request`
event (signed like the events after it); the output's arrive in an `initial-response` event,
which `send()` waits for (within the attempt and operation timeouts) before it returns the
output. A stream that starts with anything else has no initial response: those output members
stay unset and that first message is the stream's first event, as with the official SDKs.
",
        ir.protocol.protocol.name()
    )
}

/// The event streams section (README and crate docs): what the ends of a stream are, with an
/// example per direction on the first operation of each; empty for a crate without streams.
pub fn event_streams(ir: &ServiceIr, heading: &str) -> String {
    let krate = ir.lib_name();
    let stream_field = |m: &crate::ir::MemberIr| unraw(&m.field).to_owned();
    let output_op = ir.operations.iter().find(|op| op.output_stream().is_some());
    let input_op = ir.operations.iter().find(|op| op.input_stream().is_some());
    let (Some(first), true) = (output_op.or(input_op), ir.has_event_streams()) else {
        return String::new();
    };
    let mut text = format!(
        "{heading} Event streams

Operations with event streams (`{}` and {} more) return as soon as the
response's head arrives. An output's stream is an `EventReceiver`: `recv().await` gives the next event, `Ok(None)` at
the end, or an error: the stream's modeled exceptions are variants of its error enum in
`types::error`, an `error` message is an unhandled error with its code and message, and a
corrupt, truncated or stalled stream is a response or timeout error. It is also a
`futures_core::Stream`. An input's stream is an `EventStreamSender`, made from any
`futures_core::Stream` of `Result<Event, Error>` (`EventStreamSender::from`), from a `Vec` or
iterator of events (`collect()`), or from a channel (`EventStreamSender::channel(n)` gives the
sender to push events while the call runs; dropping it ends the stream). Each event is framed
and signed (chained to the request's SigV4 signature) as it is sent, over HTTP/2. These calls
are never retried once their stream began. `send_blocking()` sends them too, but their
events are read and sent with `.await`, so they are meant for the async client.
{}",
        first.wire_name,
        ir.operations
            .iter()
            .filter(|op| op.has_event_stream())
            .count()
            - 1,
        initial_messages_note(ir),
    );
    if let Some(op) = output_op {
        let method = unraw(&op.module);
        let field = op.output_stream().map(stream_field).unwrap_or_default();
        let (uses, set_input) = match op.input_stream() {
            Some(m) => (
                format!("use {krate}::primitives::event_stream::EventStreamSender;\n\n"),
                format!("\n    .{}(EventStreamSender::default())", stream_field(m)),
            ),
            None => (String::new(), String::new()),
        };
        text.push_str(&format!(
            "
Receiving the events of `{}` (set the input's members as for any call):

```rust,no_run
{uses}# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{
let mut output = client.{method}(){set_input}.send().await?;
while let Some(event) = output.{field}.recv().await? {{
    println!(\"{{event:?}}\");
}}
# Ok(())
# }}
```
",
            op.wire_name
        ));
    }
    if let Some(op) = input_op {
        let method = unraw(&op.module);
        let Some(m) = op.input_stream() else {
            return text;
        };
        let crate::ir::RustType::EventStream(stream) = &m.ty else {
            return text;
        };
        let events = stream.events.replacen("crate::", &format!("{krate}::"), 1);
        let field = stream_field(m);
        text.push_str(&format!(
            "
Sending the events of `{}` from another task while the call runs:

```rust,no_run
use {krate}::primitives::event_stream::EventStreamSender;

# async fn example(client: &{krate}::Client, events: Vec<{events}>) -> Result<(), Box<dyn std::error::Error>> {{
let (sender, stream) = EventStreamSender::channel(8);
tokio::spawn(async move {{
    for event in events {{
        if sender.send(event).await.is_err() {{
            break; // the call has ended
        }}
    }}
    // Dropping the sender ends the stream.
}});
let output = client.{method}().{field}(stream).send().await?;
# let _ = output;
# Ok(())
# }}
```
",
            op.wire_name
        ));
    }
    text
}

/// The list of example programs, with the first line of each one's documentation.
pub fn examples(examples: &[Example]) -> String {
    if examples.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n## Examples\n\n");
    for example in examples {
        // The first paragraph of the example's documentation, on one line.
        let summary = example
            .source
            .lines()
            .map_while(|line| line.strip_prefix("//!").map(str::trim))
            .take_while(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        // Where the crate's manifest finds the source: referenced by path, or copied in.
        let path = example
            .path
            .clone()
            .unwrap_or_else(|| format!("examples/{}.rs", example.name));
        out.push_str(&format!(
            "- [`{name}`]({path}): {summary}\n",
            name = example.name
        ));
    }
    out
}

/// The official crate's name for a service: `aws-sdk-` and the SDK id in lower case without
/// spaces or hyphens.
fn official_crate(sdk_id: &str) -> String {
    let id: String = sdk_id.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    format!("aws-sdk-{}", id.to_ascii_lowercase())
}

/// "Switching from aws-sdk-<service>": every difference from the official crate that remains,
/// for AWS services (those signed with SigV4).
pub fn switching(ir: &ServiceIr) -> String {
    if ir.signing_name.is_none() {
        return String::new();
    }
    let official = official_crate(&ir.sdk_id);
    let official_lib = official.replace('-', "_");
    let krate = ir.lib_name();
    format!(
        "
## Switching from {official}

Code written for the official crate compiles against this one with the crate renamed:

```rust
use {krate} as {official_lib};
```

(`tests/dropin/` in the generator's repository is a program written against the official crate's documented API,
checked to compile against both, and run against a fake service.) Configuration, every error-handling form
(`SdkError::ServiceError`, `into_service_error()`, `is_*()`, `code()` / `message()`, `request_id()`,
`DisplayErrorContext`, `?` into `{krate}::Error`), paginators, `customize()`, `send_with()`, the
`config::retry` / `config::timeout` types, `BehaviorVersion` and the feature names are the official ones. What
still differs:

- **Deliberately not copied.** A client without a behavior version works (the official crate panics);
  `BehaviorVersion` is accepted and changes nothing, as this crate has one set of defaults. Errors say what
  happened: `SdkError`'s `Display` shows the service's code, message and request id (the official one shows
  \"service error\"), and `Error::Unhandled` shows its cause (officially \"unhandled error\"). A paginator whose
  service repeats a next token ends with an error instead of stopping silently. URI label values `.` and `..`
  are refused with a validation error (the official crate sends them, which makes the request name, and be
  signed for, another path). Control characters the server puts in error codes, messages and request ids are
  shown escaped in `Display`, `Debug` and logs.
- **Reliability limits the official crate does not set**: a response timeout (60 s by default,
  `TimeoutConfig::builder().response_timeout(..)`) bounds the whole response of every attempt; a request whose
  response had begun is sent again only when its operation is idempotent; error response bodies are kept up to
  64 KiB, successful ones up to 64 MiB, and at most 128 MiB of bodies at once per client (`HttpClientSettings`); a `credential_process` command is
  stopped (with everything it started) after 60 s or when it writes more than 64 KiB, and errors name its program,
  never its arguments; the instance metadata and container credential endpoints on this machine or the local
  link are always reached directly, whatever the proxy variables say (STS and IAM Identity Center follow them).
- **Requests and responses are `http` 1.x types** (`http::Request<Bytes>`, `http::Response<Bytes>`) in
  `mutate_request` / `map_request`, interceptors and `raw()`: `raw().status().as_u16()` is the same, but
  `headers().get(..)` gives a `HeaderValue` and a header is inserted as one
  (`http::HeaderValue::from_static(..)`); a body is `Bytes`.
- **Extension points are this crate's own**: interceptors implement `config::Interceptor` (hooks before
  execution, before signing, before sending, before deserialization, after execution, and one that can answer a
  call); custom credentials implement `config::ProvideCredentials` (with the `aws-config` feature, providers and
  `Credentials` of `aws-credential-types` are accepted as they are); the HTTP client implements
  `config::HttpClient`. Runtime plugins, identity caches, retry classifiers, auth scheme and endpoint resolvers,
  stalled-stream protection, retry partitions, invocation id generators and framework metadata are not
  configurable. Test doubles are `test_util::{{Stubs, ReplayClient}}` rather than `aws-smithy-mocks`.
- **Small API differences**: on a `TimeoutConfig` value, `connect_timeout(..)` and the like set a timeout (the
  getters are `connect()`, `read()`, `response()`, `operation()`, `operation_attempt()`); `RetryConfig` has no reconnect mode;
  `Config::retry_config()` and `timeout_config()` are always `Some`; `primitives::DateTime::to_millis()` gives an
  `Option`, not a `Result`; `Client::new(&SdkConfig)` and
  `config::Builder::from(&SdkConfig)` need the `aws-config` feature and take the region, credentials, endpoint
  URL, retry, timeout, app name and behavior settings of the `SdkConfig`, not its HTTP client, sleep or time
  source. `Credentials::from_keys` needs no feature.
- **Credentials**: the built-in chain (environment, profiles with static keys, `credential_process`, roles,
  web identity and IAM Identity Center, web identity from the environment, ECS, IMDS) does not refresh an
  expired IAM Identity Center token (run `aws sso login` again) and does not support `login_session` profiles;
  STS is called at the regional endpoint of the client's region (`AWS_ENDPOINT_URL_STS` for FIPS or an
  unlisted partition).
- **Dependencies and size**: one HTTP stack (hyper 1 + rustls/ring), no aws-* runtime crates (60 crates compiled
  instead of 169 for a program that makes one call, a 3.7 MiB stripped binary instead of 13.7 MiB, about a
  fifth of the build CPU time).
- **Additions**: blocking calls (feature `blocking`: `send_blocking()`), `config::SharedConfig` for the
  clients of several services, `.items()` wherever each page holds one list, `config::Builder::env(..)` to
  read a given environment.
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_crate_names_follow_the_sdk_id() {
        assert_eq!(
            official_crate("Chime SDK Identity"),
            "aws-sdk-chimesdkidentity"
        );
        assert_eq!(official_crate("Route 53-Domains"), "aws-sdk-route53domains");
        assert_eq!(official_crate("STS"), "aws-sdk-sts");
    }
}
