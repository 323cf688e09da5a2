// rename-structure: structure Note renamed to NoteDetails (expect: breaking)
$version: "2"

namespace example.notes

use aws.protocols#restJson1

/// Keeps short notes.
@restJson1
@title("Notes")
@smithy.rules#endpointRuleSet({
    version: "1.0"
    parameters: {
        Endpoint: { type: "string", builtIn: "SDK::Endpoint", required: false, documentation: "The endpoint URL." }
    }
    rules: [
        {
            type: "endpoint"
            conditions: [{ fn: "isSet", argv: [{ ref: "Endpoint" }] }]
            endpoint: { url: { ref: "Endpoint" } }
        }
        { type: "error", conditions: [], error: "Set an endpoint URL." }
    ]
})
service Notes {
    version: "2024-01-01"
    operations: [CreateNote, GetNote, ListNotes, DeleteNote]
}

/// Creates a note.
@http(method: "POST", uri: "/notes", code: 201)
operation CreateNote {
    input := {
        /// The title.
        @required
        @length(min: 1, max: 100)
        title: String

        /// The text.
        body: NoteBody

        /// Makes retries safe.
        @idempotencyToken
        clientToken: String

        color: Color

        @range(min: 1, max: 5)
        priority: Integer

        @httpHeader("X-Owner")
        owner: String
    }
    output := {
        @required
        note: NoteDetails
    }
    errors: [ValidationError]
}

/// Reads a note.
@readonly
@http(method: "GET", uri: "/notes/{id}")
operation GetNote {
    input := {
        @required
        @httpLabel
        id: String
    }
    output := {
        note: NoteDetails
    }
    errors: [NotFound]
}

/// Lists notes.
@readonly
@paginated(inputToken: "nextToken", outputToken: "nextToken", items: "notes", pageSize: "maxResults")
@http(method: "GET", uri: "/notes")
operation ListNotes {
    input := {
        @httpQuery("next")
        nextToken: String

        @httpQuery("max")
        maxResults: Integer
    }
    output := {
        nextToken: String
        notes: NoteList
    }
}

/// Deletes a note.
@idempotent
@http(method: "DELETE", uri: "/notes/{id}")
operation DeleteNote {
    input := {
        @required
        @httpLabel
        id: String
    }
    output := {}
    errors: [NotFound, ArchivedError]
}

/// A note.
structure NoteDetails {
    @required
    id: String

    /// The title.
    title: String

    color: Color
    tags: TagList
    attachment: Attachment
}

/// The text of a note.
structure NoteBody {
    text: String
    format: String
}

/// Something attached to a note.
union Attachment {
    url: String
    inline: Blob
}

/// A note's color.
enum Color {
    RED = "red"
    GREEN = "green"
}

list NoteList {
    member: NoteDetails
}

list TagList {
    member: String
}

/// The input is not valid.
@error("client")
@httpError(400)
structure ValidationError {
    message: String
}

/// No such note.
@error("client")
@httpError(404)
structure NotFound {
    message: String
}

/// Archived notes cannot be deleted.
@error("client")
@httpError(409)
structure ArchivedError {
    message: String
}
