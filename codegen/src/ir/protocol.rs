//! The wire protocols the generator implements, and what lowering needs to know of each: which
//! trait selects it, whether it honours the HTTP binding traits and `@jsonName`, and the route
//! of an operation under an RPC protocol. The code each protocol emits lives in
//! `emit/protocol/` (one module per protocol); this is the registry both read.

use serde::Serialize;

use crate::model::HttpTrait;

/// A wire protocol the generator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Protocol {
    /// `aws.protocols#restJson1`: HTTP bindings, JSON bodies.
    RestJson1,
    /// `aws.protocols#awsJson1_0`: `POST /` with `X-Amz-Target`, JSON bodies.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: as awsJson1_0, with another content type.
    AwsJson1_1,
    /// `smithy.protocols#rpcv2Cbor`: `POST /service/<service>/operation/<operation>`, CBOR
    /// bodies.
    RpcV2Cbor,
}

/// How an operation is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// By its `@http` trait (and the members' HTTP bindings).
    HttpBindings,
    /// `POST /`, the operation named by a header.
    PostSlash,
    /// `POST /service/<service>/operation/<operation>`.
    ServiceOperationPath,
}

/// One entry of the registry.
struct Entry {
    protocol: Protocol,
    trait_id: &'static str,
    name: &'static str,
    route: Route,
    json_name: bool,
    documents: bool,
    /// Whether the generator implements the protocol's event streams (`@streaming` unions in
    /// an operation's input or output); operations with one are left out otherwise.
    event_streams: bool,
}

/// Every protocol the generator implements, in order of preference when a service has the
/// traits of several (Smithy RPC v2 CBOR first, as Smithy recommends it for new services).
const REGISTRY: &[Entry] = &[
    Entry {
        protocol: Protocol::RpcV2Cbor,
        trait_id: "smithy.protocols#rpcv2Cbor",
        name: "rpcv2Cbor",
        route: Route::ServiceOperationPath,
        json_name: false,
        // The protocol has no encoding for document types.
        documents: false,
        // Needs CBOR event payloads and `initial-request` / `initial-response` messages (not
        // implemented yet).
        event_streams: false,
    },
    Entry {
        protocol: Protocol::AwsJson1_0,
        trait_id: "aws.protocols#awsJson1_0",
        name: "awsJson1_0",
        route: Route::PostSlash,
        json_name: false,
        documents: true,
        // The other members travel in `initial-request` / `initial-response` messages.
        event_streams: true,
    },
    Entry {
        protocol: Protocol::AwsJson1_1,
        trait_id: "aws.protocols#awsJson1_1",
        name: "awsJson1_1",
        route: Route::PostSlash,
        json_name: false,
        documents: true,
        // The other members travel in `initial-request` / `initial-response` messages.
        event_streams: true,
    },
    Entry {
        protocol: Protocol::RestJson1,
        trait_id: "aws.protocols#restJson1",
        name: "restJson1",
        route: Route::HttpBindings,
        json_name: true,
        documents: true,
        event_streams: true,
    },
];

/// Protocol traits the generator knows but does not implement.
pub const UNIMPLEMENTED: &[&str] = &[
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "aws.protocols#restXml",
];

/// The trait marking a service that moved from the AWS query protocol to another one, whose
/// clients send `x-amzn-query-mode` and read the query error code from `x-amzn-query-error`.
pub const QUERY_COMPATIBLE_TRAIT: &str = "aws.protocols#awsQueryCompatible";

impl Protocol {
    fn entry(self) -> &'static Entry {
        REGISTRY
            .iter()
            .find(|e| e.protocol == self)
            .unwrap_or(&REGISTRY[0])
    }

    /// The preferred implemented protocol among a service's traits, given a test for each
    /// trait id.
    pub fn select(has_trait: impl Fn(&str) -> bool) -> Option<Protocol> {
        REGISTRY
            .iter()
            .find(|e| has_trait(e.trait_id))
            .map(|e| e.protocol)
    }

    /// The trait ids of every implemented protocol, in order of preference.
    pub fn trait_ids() -> impl Iterator<Item = &'static str> {
        REGISTRY.iter().map(|e| e.trait_id)
    }

    /// The selecting trait's id, e.g. `aws.protocols#awsJson1_0`.
    pub fn trait_id(self) -> &'static str {
        self.entry().trait_id
    }

    /// The protocol's name in documentation, e.g. `awsJson1_0`.
    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// Whether members are bound to the HTTP message by `@httpLabel`, `@httpHeader`, ... and
    /// operations need `@http`; under the RPC protocols every member is in the body and those
    /// traits are ignored.
    pub fn http_bindings(self) -> bool {
        self.entry().route == Route::HttpBindings
    }

    /// Whether `@jsonName` renames body keys (the JSON key is the member name otherwise).
    pub fn json_name(self) -> bool {
        self.entry().json_name
    }

    /// Whether the protocol can carry document types.
    pub fn documents(self) -> bool {
        self.entry().documents
    }

    /// Whether operations with event streams are generated under this protocol.
    pub fn event_streams(self) -> bool {
        self.entry().event_streams
    }

    /// The request line of an operation of an RPC protocol (`None` under a protocol with HTTP
    /// bindings, where the operation's `@http` trait gives it).
    pub fn rpc_route(self, service: &str, operation: &str) -> Option<HttpTrait> {
        let uri = match self.entry().route {
            Route::HttpBindings => return None,
            Route::PostSlash => "/".to_owned(),
            Route::ServiceOperationPath => format!("/service/{service}/operation/{operation}"),
        };
        Some(HttpTrait {
            method: "POST".to_owned(),
            uri,
            code: 200,
        })
    }
}

/// The protocol of a service, as the emitters need it.
#[derive(Debug, Clone, Serialize)]
pub struct ProtocolIr {
    /// The protocol.
    pub protocol: Protocol,
    /// The service shape's name (`DynamoDB_20120810`): what `X-Amz-Target` and the RPC v2 path
    /// name the service by.
    pub service_name: String,
    /// `@awsQueryCompatible`: requests carry `x-amzn-query-mode: true`, and error codes come
    /// from the `x-amzn-query-error` header when it is there.
    pub query_compatible: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_order_picks_cbor_then_json() {
        let traits = ["aws.protocols#awsJson1_0", "smithy.protocols#rpcv2Cbor"];
        assert_eq!(
            Protocol::select(|t| traits.contains(&t)),
            Some(Protocol::RpcV2Cbor)
        );
        assert_eq!(
            Protocol::select(|t| t == "aws.protocols#awsJson1_1"),
            Some(Protocol::AwsJson1_1)
        );
        assert_eq!(Protocol::select(|t| t == "aws.protocols#restXml"), None);
    }

    #[test]
    fn every_protocol_has_its_entry() {
        for protocol in [
            Protocol::RestJson1,
            Protocol::AwsJson1_0,
            Protocol::AwsJson1_1,
            Protocol::RpcV2Cbor,
        ] {
            assert_eq!(protocol.entry().protocol, protocol);
            assert_eq!(
                Protocol::select(|t| t == protocol.trait_id()),
                Some(protocol)
            );
        }
    }

    #[test]
    fn rpc_routes() {
        assert_eq!(Protocol::RestJson1.rpc_route("S", "Op"), None);
        assert_eq!(
            Protocol::AwsJson1_0.rpc_route("S", "Op").map(|h| h.uri),
            Some("/".to_owned())
        );
        let route = Protocol::RpcV2Cbor.rpc_route("S", "Op").unwrap();
        assert_eq!(
            (route.method.as_str(), route.uri.as_str(), route.code),
            ("POST", "/service/S/operation/Op", 200)
        );
        assert!(Protocol::RestJson1.http_bindings() && Protocol::RestJson1.json_name());
        assert!(!Protocol::AwsJson1_1.http_bindings() && !Protocol::AwsJson1_1.json_name());
    }
}
