// The project's own compliance cases for Smithy RPC v2 CBOR (smithy.protocols#rpcv2Cbor): every
// shape type, the encodings a client must accept (indefinite lengths, chunked strings, every
// integer and float width, integer timestamps, bignums, decimal fractions, null and undefined,
// unknown keys), sparse and dense collections, unions, recursion, operations without input,
// client error correction and errors named by `__type`.
//
// Every body was assembled by hand from RFC 8949 (heads: major type in the top three bits,
// argument in the low five, then 1, 2, 4 or 8 bytes for arguments of 24 and more) and the
// protocol's mapping of shapes (structures and maps are maps with text keys, lists arrays,
// blobs byte strings, timestamps tag 1 around epoch seconds, bigInteger bignums (tags 2 and 3),
// bigDecimal decimal fractions (tag 4)); float bit patterns are IEEE 754. The hex and the
// diagnostic notation of each body are in the comment above its cases; the cases give the bytes
// in base64, as Smithy's protocol tests do. Request bodies are compared as data items (map
// order and float width aside), response bodies are read as given.
$version: "2"

namespace smithy.rust.cbortests

use aws.auth#sigv4
use smithy.protocols#rpcv2Cbor
use smithy.test#httpRequestTests
use smithy.test#httpResponseTests

@rpcv2Cbor
@sigv4(name: "cbortests")
@title("CBOR test service")
service CborService {
    version: "2024-01-01"
    operations: [
        Scalars
        Collections
        Unions
        Recursive
        NoInput
        EmptyInput
        Greet
    ]
}

/// Every simple type.
@mixin
structure ScalarMembers {
    str: String
    flag: Boolean
    tiny: Byte
    small: Short
    int: Integer
    long: Long
    float: Float
    double: Double
    time: Timestamp
    data: Blob
    big: BigInteger
    dec: BigDecimal
    color: Color
    level: Level
}

enum Color {
    RED = "red"
    GREEN = "green"
}

intEnum Level {
    LOW = 1
    HIGH = 10
}

operation Scalars {
    input := with [ScalarMembers] {}
    output := with [ScalarMembers] {}
}

// Bodies of the cases below.
// ae                                           map(14)
// 63 737472                                    "str"
// 62 6869                                      "hi"
// 64 666c6167                                  "flag"
// f5                                           true
// 64 74696e79                                  "tiny"
// 20                                           -1
// 65 736d616c6c                                "small"
// 19 01f4                                      500
// 63 696e74                                    "int"
// 1a 00011170                                  70000
// 64 6c6f6e67                                  "long"
// 1b 000000012a05f200                          5000000000
// 65 666c6f6174                                "float"
// fa 3fc00000                                  1.5 (single)
// 66 646f75626c65                              "double"
// fb c002000000000000                          -2.25 (double)
// 64 74696d65                                  "time"
// c1 fb 41d954fc40000000                       1(1700000000.0)
// 64 64617461                                  "data"
// 43 616263                                    h'616263'
// 63 626967                                    "big"
// 24                                           -5
// 63 646563                                    "dec"
// c4 82 21 19 6ab3                             4([-2, 27315])
// 65 636f6c6f72                                "color"
// 65 677265656e                                "green"
// 65 6c6576656c                                "level"
// 0a                                           10
apply Scalars @httpRequestTests([
    {
        id: "CborScalarsRequest"
        documentation: "Every simple type, each in its preferred (shortest) encoding."
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/Scalars"
        headers: { "smithy-protocol": "rpc-v2-cbor", Accept: "application/cbor", "Content-Type": "application/cbor" }
        forbidHeaders: ["X-Amz-Target"]
        body: "rmNzdHJiaGlkZmxhZ/VkdGlueSBlc21hbGwZAfRjaW50GgABEXBkbG9uZxsAAAABKgXyAGVmbG9hdPo/wAAAZmRvdWJsZfvAAgAAAAAAAGR0aW1lwftB2VT8QAAAAGRkYXRhQ2FiY2NiaWckY2RlY8SCIRlqs2Vjb2xvcmVncmVlbmVsZXZlbAo="
        bodyMediaType: "application/cbor"
        params: {
            str: "hi"
            flag: true
            tiny: -1
            small: 500
            int: 70000
            long: 5000000000
            float: 1.5
            double: -2.25
            time: 1700000000
            data: "abc"
            big: -5
            dec: 273.15
            color: "green"
            level: 10
        }
    }
])

// Bodies of the cases below.
// bf                                           map(*)
// 63 737472                                    "str"
// 7f 6168 6169 ff                              (_ "h", "i")
// 64 666c6167                                  "flag"
// f4                                           false
// 64 74696e79                                  "tiny"
// 38 7f                                        -128
// 65 736d616c6c                                "small"
// 1a 00007fff                                  32767 (4-byte head)
// 63 696e74                                    "int"
// 3a 7fffffff                                  -2147483648
// 64 6c6f6e67                                  "long"
// 1b 7fffffffffffffff                          9223372036854775807
// 65 666c6f6174                                "float"
// f9 3e00                                      1.5 (half)
// 66 646f75626c65                              "double"
// fa 3fc00000                                  1.5 (single)
// 64 74696d65                                  "time"
// c1 1a 6553f100                               1(1700000000)
// 64 64617461                                  "data"
// 5f 4161 426263 ff                            (_ h'61', h'6263')
// 63 626967                                    "big"
// c2 41 05                                     2(h'05')
// 63 646563                                    "dec"
// c4 82 20 c2 42 0100                          4([-1, 2(h'0100')])
// 65 636f6c6f72                                "color"
// 63 726564                                    "red"
// 65 6c6576656c                                "level"
// 18 01                                        1 (1-byte head)
// 65 6578747261                                "extra"
// 82 01 a1 6161 f6                             [1, {"a": null}]
// ff                                           break
// a2                                           map(2)
// 63 737472                                    "str"
// f6                                           null
// 64 666c6167                                  "flag"
// f7                                           undefined
apply Scalars @httpResponseTests([
    {
        id: "CborScalarsResponseAnyEncoding"
        documentation: """
            Every simple type in encodings a client must accept besides the preferred one: an
            indefinite-length map, chunked text and byte strings, integers in wider heads, half
            and single precision floats, an integer in tag 1, a bignum, a decimal fraction with
            a bignum mantissa, and an unknown key holding nested items."""
        protocol: rpcv2Cbor
        code: 200
        headers: { "smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor" }
        body: "v2NzdHJ/YWhhaf9kZmxhZ/RkdGlueTh/ZXNtYWxsGgAAf/9jaW50On////9kbG9uZxt//////////2VmbG9hdPk+AGZkb3VibGX6P8AAAGR0aW1lwRplU/EAZGRhdGFfQWFCYmP/Y2JpZ8JBBWNkZWPEgiDCQgEAZWNvbG9yY3JlZGVsZXZlbBgBZWV4dHJhggGhYWH2/w=="
        bodyMediaType: "application/cbor"
        params: {
            str: "hi"
            flag: false
            tiny: -128
            small: 32767
            int: -2147483648
            long: 9223372036854775807
            float: 1.5
            double: 1.5
            time: 1700000000
            data: "abc"
            big: 5
            dec: 25.6
            color: "red"
            level: 1
        }
    }
    {
        id: "CborScalarsResponseNullAndUndefined"
        documentation: "null and undefined members are absent."
        protocol: rpcv2Cbor
        code: 200
        headers: { "smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor" }
        body: "omNzdHL2ZGZsYWf3"
        bodyMediaType: "application/cbor"
        params: {}
    }
])

list StringList {
    member: String
}

@sparse
list SparseStringList {
    member: String
}

map IntegerMap {
    key: String
    value: Integer
}

@sparse
map SparseIntegerMap {
    key: String
    value: Integer
}

structure Greeting {
    text: String
    count: Integer
}

list GreetingList {
    member: Greeting
}

map ListMap {
    key: String
    value: StringList
}

@mixin
structure CollectionMembers {
    strings: StringList
    sparseStrings: SparseStringList
    counts: IntegerMap
    sparseCounts: SparseIntegerMap
    structs: GreetingList
    nested: ListMap
}

operation Collections {
    input := with [CollectionMembers] {}
    output := with [CollectionMembers] {}
}

// Bodies of the cases below.
// a6                                           map(6)
// 67 737472696e6773                            "strings"
// 82 6161 6162                                 ["a", "b"]
// 6d 7370617273655374 72696e6773               "sparseStrings"
// 82 6161 f6                                   ["a", null]
// 66 636f756e7473                              "counts"
// a1 6178 01                                   {"x": 1}
// 6c 737061727365436f756e7473                  "sparseCounts"
// a1 6179 f6                                   {"y": null}
// 67 73747275637473                            "structs"
// 81 a2 64 74657874 62 6869 65 636f756e74 02   [{"text": "hi", "count": 2}]
// 66 6e6573746564                              "nested"
// a1 616b 81 6176                              {"k": ["v"]}
apply Collections @httpRequestTests([
    {
        id: "CborCollectionsRequest"
        documentation: "Lists, sparse lists, maps, sparse maps, a list of structures, a map of lists."
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/Collections"
        headers: { "smithy-protocol": "rpc-v2-cbor", Accept: "application/cbor", "Content-Type": "application/cbor" }
        body: "pmdzdHJpbmdzgmFhYWJtc3BhcnNlU3RyaW5nc4JhYfZmY291bnRzoWF4AWxzcGFyc2VDb3VudHOhYXn2Z3N0cnVjdHOBomR0ZXh0YmhpZWNvdW50AmZuZXN0ZWShYWuBYXY="
        bodyMediaType: "application/cbor"
        params: {
            strings: ["a", "b"]
            sparseStrings: ["a", null]
            counts: { x: 1 }
            sparseCounts: { y: null }
            structs: [{ text: "hi", count: 2 }]
            nested: { k: ["v"] }
        }
    }
])

// Bodies of the cases below.
// a6                                           map(6)
// 67 737472696e6773                            "strings"
// 9f 6161 6162 ff                              [_ "a", "b"]
// 6d 7370617273655374 72696e6773               "sparseStrings"
// 82 f6 6162                                   [null, "b"]
// 66 636f756e7473                              "counts"
// bf 6178 01 617a 1864 ff                      {_ "x": 1, "z": 100}
// 6c 737061727365436f756e7473                  "sparseCounts"
// a1 6179 f6                                   {"y": null}
// 67 73747275637473                            "structs"
// 81 bf 64 74657874 62 6869 ff                 [{_ "text": "hi"}]
// 66 6e6573746564                              "nested"
// a1 616b 80                                   {"k": []}
apply Collections @httpResponseTests([
    {
        id: "CborCollectionsResponse"
        documentation: "Indefinite-length arrays and maps, a null in a sparse list and map, an empty list."
        protocol: rpcv2Cbor
        code: 200
        headers: { "smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor" }
        body: "pmdzdHJpbmdzn2FhYWL/bXNwYXJzZVN0cmluZ3OC9mFiZmNvdW50c79heAFhehhk/2xzcGFyc2VDb3VudHOhYXn2Z3N0cnVjdHOBv2R0ZXh0Ymhp/2ZuZXN0ZWShYWuA"
        bodyMediaType: "application/cbor"
        params: {
            strings: ["a", "b"]
            sparseStrings: [null, "b"]
            counts: { x: 1, z: 100 }
            sparseCounts: { y: null }
            structs: [{ text: "hi" }]
            nested: { k: [] }
        }
    }
])

union Choice {
    text: String
    number: Integer
    greeting: Greeting
    items: StringList
    data: Blob
    time: Timestamp
}

operation Unions {
    input := {
        choice: Choice
    }
    output := {
        choice: Choice
    }
}

// Bodies of the cases below.
// a1                                           map(1)
// 66 63686f696365                              "choice"
// a1 68 6772656574696e67                       {"greeting":
// a2 64 74657874 62 6869 65 636f756e74 02      {"text": "hi", "count": 2}}
// a1                                           map(1)
// 66 63686f696365                              "choice"
// a1 65 6974656d73 82 6161 6162                {"items": ["a", "b"]}
// a1                                           map(1)
// 66 63686f696365                              "choice"
// a1 64 74696d65 c1 fb 3ff8000000000000        {"time": 1(1.5)}
apply Unions @httpRequestTests([
    {
        id: "CborUnionStructureRequest"
        documentation: "A union is a single-entry map; here a structure variant."
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/Unions"
        headers: { "Content-Type": "application/cbor" }
        body: "oWZjaG9pY2WhaGdyZWV0aW5nomR0ZXh0YmhpZWNvdW50Ag=="
        bodyMediaType: "application/cbor"
        params: { choice: { greeting: { text: "hi", count: 2 } } }
    }
    {
        id: "CborUnionListRequest"
        documentation: "A list variant."
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/Unions"
        body: "oWZjaG9pY2WhZWl0ZW1zgmFhYWI="
        bodyMediaType: "application/cbor"
        params: { choice: { items: ["a", "b"] } }
    }
    {
        id: "CborUnionTimestampRequest"
        documentation: "A timestamp variant with a fraction of a second: tag 1 around a double."
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/Unions"
        body: "oWZjaG9pY2WhZHRpbWXB+z/4AAAAAAAA"
        bodyMediaType: "application/cbor"
        params: { choice: { time: 1.5 } }
    }
])

// Bodies of the cases below.
// a1                                           map(1)
// 66 63686f696365                              "choice"
// a1 66 6e756d626572 18 2a                     {"number": 42}
// a1                                           map(1)
// 66 63686f696365                              "choice"
// a2 66 5f5f74797065 63 612342                 {"__type": "a#B",
// 64 64617461 5f 4161 4162 ff                  "data": (_ h'61', h'62')}
apply Unions @httpResponseTests([
    {
        id: "CborUnionNumberResponse"
        documentation: "An integer variant in a 1-byte head."
        protocol: rpcv2Cbor
        code: 200
        body: "oWZjaG9pY2WhZm51bWJlchgq"
        bodyMediaType: "application/cbor"
        params: { choice: { number: 42 } }
    }
    {
        id: "CborUnionIgnoresTypeResponse"
        documentation: "A `__type` entry in a union is ignored; a chunked byte string variant."
        protocol: rpcv2Cbor
        code: 200
        body: "oWZjaG9pY2WiZl9fdHlwZWNhI0JkZGF0YV9BYUFi/w=="
        bodyMediaType: "application/cbor"
        params: { choice: { data: "ab" } }
    }
])

structure Node {
    value: String
    next: Node
}

operation Recursive {
    input := {
        node: Node
    }
    output := {
        node: Node
    }
}

// Bodies of the cases below.
// a1                                           map(1)
// 64 6e6f6465                                  "node"
// a2 65 76616c7565 6161                        {"value": "a",
// 64 6e657874 a1 65 76616c7565 6162            "next": {"value": "b"}}
apply Recursive @httpRequestTests([
    {
        id: "CborRecursiveRequest"
        documentation: "A structure that holds itself."
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/Recursive"
        body: "oWRub2RlomV2YWx1ZWFhZG5leHShZXZhbHVlYWI="
        bodyMediaType: "application/cbor"
        params: { node: { value: "a", next: { value: "b" } } }
    }
])

// Bodies of the cases below.
// a1                                           map(1)
// 64 6e6f6465                                  "node"
// bf 65 76616c7565 6161                        {_ "value": "a",
// 64 6e657874 bf 65 76616c7565 6162 64 6e657874 f6 ff ff "next": {_ "value": "b", "next": null}}
apply Recursive @httpResponseTests([
    {
        id: "CborRecursiveResponse"
        documentation: "Nested indefinite-length maps; a null member."
        protocol: rpcv2Cbor
        code: 200
        body: "oWRub2Rlv2V2YWx1ZWFhZG5leHS/ZXZhbHVlYWJkbmV4dPb//w=="
        bodyMediaType: "application/cbor"
        params: { node: { value: "a", next: { value: "b" } } }
    }
])

operation NoInput {}

apply NoInput @httpRequestTests([
    {
        id: "CborNoInputRequest"
        documentation: "An operation without input sends no body and no Content-Type."
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/NoInput"
        headers: { "smithy-protocol": "rpc-v2-cbor", Accept: "application/cbor" }
        forbidHeaders: ["Content-Type", "X-Amz-Target"]
        body: ""
    }
])

apply NoInput @httpResponseTests([
    {
        id: "CborNoOutputEmptyBody"
        documentation: "An operation without output accepts an empty body."
        protocol: rpcv2Cbor
        code: 200
        headers: { "smithy-protocol": "rpc-v2-cbor" }
        body: ""
    }
])

operation EmptyInput {
    input := {}
    output := {}
}

// Bodies of the cases below.
// a0                                           {}
apply EmptyInput @httpRequestTests([
    {
        id: "CborEmptyInputRequest"
        documentation: "An empty input structure is an empty map."
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/EmptyInput"
        headers: { "Content-Type": "application/cbor" }
        body: "oA=="
        bodyMediaType: "application/cbor"
    }
])

// Bodies of the cases below.
// bf ff                                        {_ }
apply EmptyInput @httpResponseTests([
    {
        id: "CborEmptyOutputIndefiniteMap"
        documentation: "An empty output as an empty indefinite-length map."
        protocol: rpcv2Cbor
        code: 200
        body: "v/8="
        bodyMediaType: "application/cbor"
    }
])

operation Greet {
    input := {
        name: String
    }
    output := {
        @required
        message: String

        @required
        count: Integer
    }
    errors: [
        InvalidName
        ServerTrouble
    ]
}

// Bodies of the cases below.
// a1                                           map(1)
// 64 6e616d65                                  "name"
// 63 416e6e                                    "Ann"
apply Greet @httpRequestTests([
    {
        id: "CborGreetRequest"
        protocol: rpcv2Cbor
        method: "POST"
        uri: "/service/CborService/operation/Greet"
        body: "oWRuYW1lY0Fubg=="
        bodyMediaType: "application/cbor"
        params: { name: "Ann" }
    }
])

// Bodies of the cases below (the second: an empty map, a0).
// a2                                           map(2)
// 67 6d657373616765                            "message"
// 69 48656c6c6f20416e6e                        "Hello Ann"
// 65 636f756e74                                "count"
// 01                                           1
apply Greet @httpResponseTests([
    {
        id: "CborGreetResponse"
        protocol: rpcv2Cbor
        code: 200
        body: "omdtZXNzYWdlaUhlbGxvIEFubmVjb3VudAE="
        bodyMediaType: "application/cbor"
        params: { message: "Hello Ann", count: 1 }
    }
    {
        id: "CborGreetClientErrorCorrection"
        documentation: "Required members missing from a response get their zero values."
        protocol: rpcv2Cbor
        code: 200
        body: "oA=="
        bodyMediaType: "application/cbor"
        params: { message: "", count: 0 }
    }
])

@error("client")
structure InvalidName {
    message: String
    field: String
}

// Bodies of the cases below.
// a3                                           map(3)
// 66 5f5f74797065                              "__type"
// 78 21 736d697468792e727573742e63626f72746573747323496e76616c69644e616d65 "smithy.rust.cbortests#InvalidName"
// 67 6d657373616765                            "message"
// 68 626164206e616d65                          "bad name"
// 65 6669656c64                                "field"
// 64 6e616d65                                  "name"
// bf                                           map(*)
// 66 5f5f74797065                              "__type"
// 6b 496e76616c69644e616d65                    "InvalidName"
// 66 64657461696c                              "detail"
// a1 66 5f5f74797065 65 4f74686572             {"__type": "Other"}
// ff                                           break
apply InvalidName @httpResponseTests([
    {
        id: "CborInvalidNameError"
        documentation: "An error named by its shape id in `__type`."
        protocol: rpcv2Cbor
        code: 400
        headers: { "smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor" }
        body: "o2ZfX3R5cGV4IXNtaXRoeS5ydXN0LmNib3J0ZXN0cyNJbnZhbGlkTmFtZWdtZXNzYWdlaGJhZCBuYW1lZWZpZWxkZG5hbWU="
        bodyMediaType: "application/cbor"
        params: { message: "bad name", field: "name" }
    }
    {
        id: "CborInvalidNameErrorNestedType"
        documentation: "Only the top-level `__type` names the error; an indefinite-length map."
        protocol: rpcv2Cbor
        code: 400
        body: "v2ZfX3R5cGVrSW52YWxpZE5hbWVmZGV0YWlsoWZfX3R5cGVlT3RoZXL/"
        bodyMediaType: "application/cbor"
        params: {}
    }
])

@error("server")
structure ServerTrouble {}

// Bodies of the cases below.
// a1                                           map(1)
// 66 5f5f74797065                              "__type"
// 78 2d 536572766572 54726f75626c65 3a 687474703a2f2f696e7465726e616c2e6578616d706c652f64657461696c73 "ServerTrouble:http://internal.example/details"
apply ServerTrouble @httpResponseTests([
    {
        id: "CborServerTroubleErrorSanitized"
        documentation: "A `__type` with a `:` suffix is sanitized to the shape name."
        protocol: rpcv2Cbor
        code: 500
        body: "oWZfX3R5cGV4LVNlcnZlclRyb3VibGU6aHR0cDovL2ludGVybmFsLmV4YW1wbGUvZGV0YWlscw=="
        bodyMediaType: "application/cbor"
    }
])
