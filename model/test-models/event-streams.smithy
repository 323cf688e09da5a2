$version: "2.0"

// Event streams (issue 16): what lowering makes of @streaming unions, checked by
// codegen/tests/test_models.rs. The same operations under restJson1 and awsJson1_1 (generated:
// under awsJson1_1 the members beside a stream travel in its initial-request / initial-response
// message; tests/chat-rpc is the awsJson1_1 client, for tests/tests/aws_json_event_streams.rs),
// and under rpcv2Cbor (left out: its event streams are not implemented yet).
namespace com.example.streams

use aws.auth#sigv4
use aws.protocols#awsJson1_1
use aws.protocols#restJson1
use smithy.protocols#rpcv2Cbor

@restJson1
service Chat {
    version: "2024-01-01"
    operations: [Converse, Talk, Misplaced]
}

@awsJson1_1
@sigv4(name: "chat")
service ChatRpc {
    version: "2024-01-01"
    operations: [Converse, Talk]
}

@rpcv2Cbor
service ChatCbor {
    version: "2024-01-01"
    operations: [Converse]
}

/// Receives the answer as it is written.
@http(method: "POST", uri: "/converse")
operation Converse {
    input := {
        prompt: String
    }
    output := {
        @httpHeader("x-session")
        session: String

        @httpPayload
        @required
        stream: AnswerStream
    }
}

/// Talks both ways.
@http(method: "POST", uri: "/talk")
operation Talk {
    input := {
        @httpHeader("x-language")
        language: String

        @httpPayload
        @required
        audio: AudioStream
    }
    output := {
        @httpPayload
        stream: AnswerStream
    }
}

/// An event stream that is not the payload.
@http(method: "POST", uri: "/misplaced")
operation Misplaced {
    output := {
        stream: AnswerStream
    }
}

@streaming
union AnswerStream {
    chunk: Chunk
    stop: Stop
    throttled: Throttled
}

@streaming
union AudioStream {
    audio: Audio
}

structure Chunk {
    @eventHeader
    index: Integer

    @eventPayload
    text: String
}

structure Stop {
    reason: String
}

structure Audio {
    /// Sent as an int32 header.
    @eventHeader
    priority: Priority

    @eventPayload
    bytes: Blob
}

intEnum Priority {
    LOW = 1
    HIGH = 2
}

@error("server")
structure Throttled {
    message: String
}
