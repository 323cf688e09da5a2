$version: "2.0"

// Event streams (issue 16): what lowering makes of @streaming unions, checked by
// codegen/tests/test_models.rs. The same operations under restJson1 (generated) and awsJson1_1
// (left out: its initial-request / initial-response messages are not implemented yet).
namespace com.example.streams

use aws.protocols#awsJson1_1
use aws.protocols#restJson1

@restJson1
service Chat {
    version: "2024-01-01"
    operations: [Converse, Talk, Misplaced]
}

@awsJson1_1
service ChatRpc {
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
