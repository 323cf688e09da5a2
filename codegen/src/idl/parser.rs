//! Parser from tokens to a per-file syntax tree. Shape ids stay as written here; resolving them needs every file,
//! which is `resolve`'s job.

use std::collections::{HashMap, HashSet};

use super::lexer::{tokenize, Expected, Kind, Token, TokenValue};
use super::IdlError;

/// IDL version of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V1,
    V2,
}

impl Version {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Version::V1 => "1.0",
            Version::V2 => "2.0",
        }
    }
}

/// A source position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// A node value as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(String),
    /// An unquoted shape id (resolved later).
    Id(String, Pos),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// A trait application as written.
#[derive(Debug, Clone)]
pub(crate) struct TraitApp {
    pub(crate) name: String,
    pub(crate) pos: Pos,
    /// `None` for an annotation trait (`@foo` or `@foo()`).
    pub(crate) value: Option<Node>,
    /// True when this came from `///` comments.
    pub(crate) doc_comment: bool,
}

/// A member of a structure, union, list, map, enum or intEnum.
#[derive(Debug, Clone)]
pub(crate) struct MemberDef {
    pub(crate) name: String,
    pub(crate) pos: Pos,
    /// `None` when the target is elided (`$name`).
    pub(crate) target: Option<(String, Pos)>,
    pub(crate) traits: Vec<TraitApp>,
    /// Value after `=` (default value, or enum value).
    pub(crate) assigned: Option<(Node, Pos)>,
}

/// Operation input or output.
#[derive(Debug, Clone)]
pub(crate) enum IoRef {
    Target(String, Pos),
    /// Name of the inline structure defined in the same file.
    Inline(String),
}

/// Shape-type specific body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Simple,
    Members(Vec<MemberDef>),
    /// Service or resource properties as a node object.
    Properties(Vec<(String, Node)>, Pos),
    Operation {
        input: Option<IoRef>,
        output: Option<IoRef>,
        errors: Option<Vec<(String, Pos)>>,
    },
}

/// One shape definition.
#[derive(Debug, Clone)]
pub(crate) struct ShapeDef {
    pub(crate) name: String,
    pub(crate) pos: Pos,
    pub(crate) type_name: String,
    pub(crate) traits: Vec<TraitApp>,
    pub(crate) mixins: Vec<(String, Pos)>,
    pub(crate) for_resource: Option<(String, Pos)>,
    pub(crate) body: Body,
}

/// An `apply` statement.
#[derive(Debug, Clone)]
pub(crate) struct ApplyDef {
    pub(crate) target: String,
    pub(crate) pos: Pos,
    pub(crate) traits: Vec<TraitApp>,
}

/// Everything one file declares.
#[derive(Debug)]
pub(crate) struct ParsedFile {
    pub(crate) name: String,
    pub(crate) version: Version,
    pub(crate) namespace: Option<String>,
    pub(crate) uses: HashMap<String, String>,
    pub(crate) metadata: Vec<(String, Node, Pos)>,
    pub(crate) shapes: Vec<ShapeDef>,
    pub(crate) applies: Vec<ApplyDef>,
}

/// How deeply node values (lists and objects in trait values, metadata and defaults) may nest.
/// Parsing is recursive, so without a limit a file with thousands of `[` overflows the stack
/// and aborts the process instead of reporting an error (the same limit as `serde_json`).
const MAX_NODE_DEPTH: usize = 128;

const SHAPE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "document",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "service",
    "operation",
    "resource",
];

type PResult<T> = Result<T, IdlError>;

/// Parses one file.
pub(crate) fn parse_file(name: &str, text: &str) -> PResult<ParsedFile> {
    let tokens = tokenize(text);
    let mut parser = Parser {
        file: name.to_string(),
        tokens,
        idx: 0,
        docs: Vec::new(),
        out: ParsedFile {
            name: name.to_string(),
            version: Version::V1,
            namespace: None,
            uses: HashMap::new(),
            metadata: Vec::new(),
            shapes: Vec::new(),
            applies: Vec::new(),
        },
        input_suffix: "Input".to_string(),
        output_suffix: "Output".to_string(),
        node_depth: 0,
    };
    parser.buffer_doc();
    parser.parse()?;
    Ok(parser.out)
}

struct Parser {
    file: String,
    tokens: Vec<Token>,
    idx: usize,
    /// Documentation comment lines seen and not yet used or discarded.
    docs: Vec<String>,
    out: ParsedFile,
    input_suffix: String,
    output_suffix: String,
    /// Lists and objects being parsed around the current node value.
    node_depth: usize,
}

impl Parser {
    // ----- token access -------------------------------------------------------------------------------------------

    fn tok(&self) -> &Token {
        // The token list always ends with EOF and `advance` never moves past it.
        &self.tokens[self.idx.min(self.tokens.len() - 1)]
    }

    fn kind(&self) -> Kind {
        self.tok().kind
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.tok().line,
            column: self.tok().column,
        }
    }

    fn is_ident(&self, word: &str) -> bool {
        self.kind() == Kind::Ident && self.tok().lexeme == word
    }

    fn buffer_doc(&mut self) {
        if let TokenValue::Text(text) = &self.tok().value {
            if self.kind() == Kind::DocComment {
                let text = text.clone();
                self.docs.push(text);
            }
        }
    }

    fn advance(&mut self) {
        if self.idx + 1 < self.tokens.len() {
            self.idx += 1;
            self.buffer_doc();
        }
    }

    fn skip_spaces(&mut self) {
        while self.kind() == Kind::Space {
            self.advance();
        }
    }

    fn skip_ws(&mut self) {
        while self.kind().is_whitespace() {
            self.advance();
        }
    }

    fn skip_ws_and_docs(&mut self) {
        while self.kind().is_whitespace() || self.kind() == Kind::DocComment {
            self.advance();
        }
    }

    fn take_docs(&mut self) -> Option<String> {
        if self.docs.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut self.docs).join("\n"))
        }
    }

    // ----- errors -------------------------------------------------------------------------------------------------

    fn error_at(&self, pos: Pos, message: impl Into<String>) -> IdlError {
        IdlError {
            file: self.file.clone(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
        }
    }

    fn error(&self, message: impl Into<String>) -> IdlError {
        self.error_at(self.pos(), message)
    }

    /// The error for an unexpected current token; a lexical error token reports its own message.
    fn unexpected(&self, expected: &[Kind]) -> IdlError {
        if let TokenValue::Error {
            message,
            line,
            column,
        } = &self.tok().value
        {
            return self.error_at(
                Pos {
                    line: *line,
                    column: *column,
                },
                message.clone(),
            );
        }
        let found = self.tok().debug();
        let message = if expected.len() == 1 {
            format!("Expected {} but found {}", Expected(expected[0]), found)
        } else {
            let list: Vec<String> = expected.iter().map(|k| Expected(*k).to_string()).collect();
            format!("Expected one of {}; but found {}", list.join(", "), found)
        };
        self.error(message)
    }

    fn expect(&self, kind: Kind) -> PResult<()> {
        if self.kind() == kind {
            Ok(())
        } else {
            Err(self.unexpected(&[kind]))
        }
    }

    fn expect_one(&self, kinds: &[Kind]) -> PResult<Kind> {
        if kinds.contains(&self.kind()) {
            Ok(self.kind())
        } else {
            Err(self.unexpected(kinds))
        }
    }

    fn expect_and_skip_spaces(&mut self) -> PResult<()> {
        self.expect(Kind::Space)?;
        self.skip_spaces();
        Ok(())
    }

    fn expect_and_skip_whitespace(&mut self) -> PResult<()> {
        if !self.kind().is_whitespace() {
            if self.kind() == Kind::Error {
                return Err(self.unexpected(&[Kind::Space]));
            }
            return Err(self.error(format!(
                "Expected one or more whitespace characters, but found {}",
                self.tok().debug()
            )));
        }
        self.skip_ws_and_docs();
        Ok(())
    }

    /// A line break: optional spaces and commas, then a newline, comment or end of file. Pending doc comments are discarded.
    fn expect_and_skip_br(&mut self) -> PResult<()> {
        while matches!(self.kind(), Kind::Space | Kind::Comma) {
            self.advance();
        }
        self.docs.clear();
        match self.kind() {
            Kind::Newline | Kind::Comment | Kind::DocComment => {
                self.advance();
                self.skip_ws();
                Ok(())
            }
            Kind::Eof => Ok(()),
            Kind::Error => Err(self.unexpected(&[Kind::Newline])),
            _ => Err(self.error(format!(
                "Expected a line break, but found {}",
                self.tok().debug()
            ))),
        }
    }

    fn expect_word(&self, word: &str) -> PResult<()> {
        if self.is_ident(word) {
            Ok(())
        } else if self.kind() == Kind::Error {
            Err(self.unexpected(&[Kind::Ident]))
        } else {
            Err(self.error(format!(
                "Expected `{word}` but found {}",
                self.tok().debug()
            )))
        }
    }

    // ----- shape ids ----------------------------------------------------------------------------------------------

    fn namespace_id(&mut self) -> PResult<String> {
        self.expect(Kind::Ident)?;
        let mut text = self.tok().lexeme.clone();
        self.advance();
        while self.kind() == Kind::Dot {
            self.advance();
            self.expect(Kind::Ident)?;
            text.push('.');
            text.push_str(&self.tok().lexeme);
            self.advance();
        }
        Ok(text)
    }

    fn relative_root_id(&mut self, text: &mut String) -> PResult<()> {
        self.expect(Kind::Ident)?;
        text.push_str(&self.tok().lexeme);
        self.advance();
        if self.kind() == Kind::Dollar {
            self.advance();
            self.expect(Kind::Ident)?;
            text.push('$');
            text.push_str(&self.tok().lexeme);
            self.advance();
        }
        Ok(())
    }

    /// A relative or absolute shape id, possibly with a member.
    fn shape_id(&mut self) -> PResult<(String, Pos)> {
        let pos = self.pos();
        let mut text = self.namespace_id()?;
        match self.kind() {
            Kind::Pound => {
                text.push('#');
                self.advance();
                self.relative_root_id(&mut text)?;
            }
            Kind::Dollar => {
                text.push('$');
                self.advance();
                self.expect(Kind::Ident)?;
                text.push_str(&self.tok().lexeme);
                self.advance();
            }
            _ => {}
        }
        Ok((text, pos))
    }

    fn absolute_shape_id(&mut self) -> PResult<String> {
        let mut text = self.namespace_id()?;
        self.expect(Kind::Pound)?;
        text.push('#');
        self.advance();
        self.relative_root_id(&mut text)?;
        Ok(text)
    }

    // ----- node values --------------------------------------------------------------------------------------------

    fn text_value(&self) -> String {
        match &self.tok().value {
            TokenValue::Text(t) => t.clone(),
            _ => self.tok().lexeme.clone(),
        }
    }

    fn identifier_node(text: String, pos: Pos) -> Node {
        match text.as_str() {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            "null" => Node::Null,
            _ => Node::Id(text, pos),
        }
    }

    fn node(&mut self) -> PResult<Node> {
        let kind = self.expect_one(&[
            Kind::Str,
            Kind::TextBlock,
            Kind::Number,
            Kind::Ident,
            Kind::LBrace,
            Kind::LBracket,
        ])?;
        match kind {
            Kind::Str | Kind::TextBlock => {
                let text = self.text_value();
                self.advance();
                Ok(Node::Str(text))
            }
            Kind::Number => {
                let value = match &self.tok().value {
                    TokenValue::Number(n) => n.clone(),
                    _ => return Err(self.error("Expected a number")),
                };
                self.advance();
                Ok(Node::Number(value))
            }
            Kind::Ident => {
                let (text, pos) = self.shape_id()?;
                Ok(Self::identifier_node(text, pos))
            }
            Kind::LBrace | Kind::LBracket => {
                if self.node_depth >= MAX_NODE_DEPTH {
                    return Err(self.error(format!(
                        "Node value nested more than {MAX_NODE_DEPTH} levels deep"
                    )));
                }
                self.node_depth += 1;
                let node = if kind == Kind::LBrace {
                    self.object_node()
                } else {
                    self.array_node()
                };
                self.node_depth -= 1;
                node
            }
            _ => Err(self.unexpected(&[Kind::LBrace, Kind::LBracket])),
        }
    }

    fn array_node(&mut self) -> PResult<Node> {
        self.expect(Kind::LBracket)?;
        self.advance();
        self.skip_ws_and_docs();
        let mut items = Vec::new();
        while self.kind() != Kind::RBracket {
            items.push(self.node()?);
            self.skip_ws_and_docs();
        }
        self.advance();
        Ok(Node::Array(items))
    }

    fn object_node(&mut self) -> PResult<Node> {
        self.expect(Kind::LBrace)?;
        self.advance();
        self.skip_ws_and_docs();
        let mut entries: Vec<(String, Node)> = Vec::new();
        loop {
            if self.expect_one(&[Kind::RBrace, Kind::Str, Kind::Ident])? == Kind::RBrace {
                break;
            }
            let key_pos = self.pos();
            let key = self.text_value();
            self.advance();
            self.skip_ws_and_docs();
            self.expect(Kind::Colon)?;
            self.advance();
            self.skip_ws_and_docs();
            let value = self.node()?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(self.error_at(key_pos, format!("Duplicate member: '{key}'")));
            }
            entries.push((key, value));
            self.skip_ws_and_docs();
        }
        self.advance();
        Ok(Node::Object(entries))
    }

    // ----- traits -------------------------------------------------------------------------------------------------

    fn docs_and_traits(&mut self) -> PResult<Vec<TraitApp>> {
        self.skip_ws();
        let mut doc = None;
        if self.kind() == Kind::DocComment {
            let pos = self.pos();
            self.skip_ws_and_docs();
            doc = self.take_docs().map(|text| (text, pos));
        } else {
            self.skip_ws_and_docs();
        }
        let mut traits = self.traits()?;
        if let Some((text, pos)) = doc {
            traits.push(doc_trait(text, pos));
        }
        self.skip_ws_and_docs();
        // Documentation comments after traits document nothing.
        self.docs.clear();
        Ok(traits)
    }

    fn traits(&mut self) -> PResult<Vec<TraitApp>> {
        let mut traits = Vec::new();
        while self.kind() == Kind::At {
            traits.push(self.trait_app()?);
            self.skip_ws_and_docs();
        }
        Ok(traits)
    }

    fn trait_app(&mut self) -> PResult<TraitApp> {
        let pos = self.pos();
        self.expect(Kind::At)?;
        self.advance();
        let (name, _) = self.shape_id()?;
        let mut app = TraitApp {
            name,
            pos,
            value: None,
            doc_comment: false,
        };
        if self.kind() != Kind::LParen {
            return Ok(app);
        }
        self.advance();
        self.skip_ws_and_docs();
        if self.kind() == Kind::RParen {
            self.advance();
            return Ok(app);
        }
        let value = self.trait_body()?;
        self.skip_ws_and_docs();
        self.expect(Kind::RParen)?;
        self.advance();
        app.value = Some(value);
        Ok(app)
    }

    fn trait_body(&mut self) -> PResult<Node> {
        let kind = self.expect_one(&[
            Kind::LBrace,
            Kind::LBracket,
            Kind::TextBlock,
            Kind::Str,
            Kind::Number,
            Kind::Ident,
        ])?;
        match kind {
            Kind::LBrace | Kind::LBracket | Kind::TextBlock | Kind::Number => {
                let node = self.node()?;
                self.skip_ws_and_docs();
                Ok(node)
            }
            Kind::Str => {
                let text = self.text_value();
                self.advance();
                self.skip_ws_and_docs();
                if self.kind() == Kind::Colon {
                    self.advance();
                    self.skip_ws_and_docs();
                    self.structured_trait(text)
                } else {
                    Ok(Node::Str(text))
                }
            }
            _ => {
                let (text, pos) = self.shape_id()?;
                self.skip_ws_and_docs();
                let definitely_id = text.contains(['.', '$', '#']);
                if self.kind() == Kind::RParen || definitely_id {
                    Ok(Self::identifier_node(text, pos))
                } else {
                    self.expect(Kind::Colon)?;
                    self.advance();
                    self.skip_ws_and_docs();
                    self.structured_trait(text)
                }
            }
        }
    }

    fn structured_trait(&mut self, first_key: String) -> PResult<Node> {
        let first = self.node()?;
        let mut entries = vec![(first_key, first)];
        self.skip_ws_and_docs();
        while self.kind() != Kind::RParen {
            self.expect_one(&[Kind::Ident, Kind::Str])?;
            let key_pos = self.pos();
            let key = self.text_value();
            self.advance();
            self.skip_ws_and_docs();
            self.expect(Kind::Colon)?;
            self.advance();
            self.skip_ws_and_docs();
            let value = self.node()?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(self.error_at(key_pos, format!("Duplicate member of trait: '{key}'")));
            }
            entries.push((key, value));
            self.skip_ws_and_docs();
        }
        Ok(Node::Object(entries))
    }

    // ----- sections -----------------------------------------------------------------------------------------------

    fn parse(&mut self) -> PResult<()> {
        self.skip_ws_and_docs();
        self.control_section()?;
        self.skip_ws_and_docs();
        self.metadata_section()?;
        self.shape_section()
    }

    fn control_section(&mut self) -> PResult<()> {
        let mut seen = HashSet::new();
        while self.kind() == Kind::Dollar {
            self.advance();
            self.expect_one(&[Kind::Ident, Kind::Str])?;
            let key = self.text_value();
            self.advance();
            self.skip_spaces();
            self.expect(Kind::Colon)?;
            self.advance();
            self.skip_spaces();
            if !seen.insert(key.clone()) {
                return Err(self.error(format!("Duplicate control statement `{key}`")));
            }
            let value_pos = self.pos();
            let value = self.node()?;
            match key.as_str() {
                "version" => {
                    let Node::Str(v) = &value else {
                        return Err(self.error_at(
                            value_pos,
                            format!(
                                "The $version control statement must have a string value, but found {}",
                                describe_node(&value)
                            ),
                        ));
                    };
                    self.out.version = match v.as_str() {
                        "1" | "1.0" => Version::V1,
                        "2" | "2.0" => Version::V2,
                        _ => {
                            return Err(
                                self.error(format!("Unsupported Smithy version number: {v}"))
                            )
                        }
                    };
                }
                "operationInputSuffix" | "operationOutputSuffix" => {
                    let Node::Str(v) = value else {
                        return Err(self
                            .error_at(value_pos, format!("Expected a string value for `${key}`")));
                    };
                    if key == "operationInputSuffix" {
                        self.input_suffix = v;
                    } else {
                        self.output_suffix = v;
                    }
                }
                // Unknown control statements are only a warning in Smithy.
                _ => {}
            }
            self.expect_and_skip_br()?;
        }
        Ok(())
    }

    fn metadata_section(&mut self) -> PResult<()> {
        self.skip_ws_and_docs();
        while self.is_ident("metadata") {
            self.advance();
            self.expect_and_skip_spaces()?;
            self.expect_one(&[Kind::Ident, Kind::Str])?;
            let key_pos = self.pos();
            let key = self.text_value();
            self.advance();
            self.skip_spaces();
            self.expect(Kind::Equal)?;
            self.advance();
            self.skip_spaces();
            let value = self.node()?;
            self.out.metadata.push((key, value, key_pos));
            self.expect_and_skip_br()?;
            self.skip_ws_and_docs();
        }
        Ok(())
    }

    fn shape_section(&mut self) -> PResult<()> {
        if self.is_ident("namespace") {
            self.advance();
            self.expect_and_skip_spaces()?;
            let namespace = self.namespace_id()?;
            self.out.namespace = Some(namespace);
            self.expect_and_skip_br()?;
            let doc_pos = self.pos();
            self.skip_ws_and_docs();
            self.use_section()?;
            // First shape statement: docs buffered before `use` may document it.
            if self.kind() != Kind::Eof {
                self.skip_ws_and_docs();
                let doc = self.take_docs();
                let mut traits = self.docs_and_traits()?;
                let has_doc = doc.is_some();
                if let Some(text) = doc {
                    traits.push(doc_trait(text, doc_pos));
                }
                if self.shape_follows(&traits, has_doc) {
                    self.shape_or_apply(traits)?;
                }
            }
            while self.kind() != Kind::Eof {
                let has_doc = self.kind() == Kind::DocComment;
                let traits = self.docs_and_traits()?;
                if self.shape_follows(&traits, has_doc) {
                    self.shape_or_apply(traits)?;
                }
            }
            Ok(())
        } else if self.kind() != Kind::Eof {
            if self.kind() == Kind::Error {
                return Err(self.unexpected(&[Kind::Ident]));
            }
            Err(self.error(format!(
                "Expected a namespace definition but found {}",
                self.tok().debug()
            )))
        } else {
            Ok(())
        }
    }

    /// False when only a dangling documentation comment is left before the end of the file.
    fn shape_follows(&self, traits: &[TraitApp], has_doc: bool) -> bool {
        if self.kind() != Kind::Eof {
            true
        } else if has_doc {
            traits.len() != 1
        } else {
            !traits.is_empty()
        }
    }

    fn use_section(&mut self) -> PResult<()> {
        while self.is_ident("use") {
            self.advance();
            self.expect_and_skip_spaces()?;
            let pos = self.pos();
            let id = self.absolute_shape_id()?;
            if id.contains('$') {
                return Err(
                    self.error_at(pos, format!("Use statements cannot use members: `{id}`"))
                );
            }
            let name = id.rsplit('#').next().unwrap_or(&id).to_string();
            if let Some(previous) = self.out.uses.get(&name) {
                return Err(self.error_at(
                    pos,
                    format!("Cannot use name `{id}` because it conflicts with `{previous}`"),
                ));
            }
            self.out.uses.insert(name, id);
            self.expect_and_skip_br()?;
            self.skip_ws_and_docs();
        }
        Ok(())
    }

    fn shape_or_apply(&mut self, traits: Vec<TraitApp>) -> PResult<()> {
        let pos = self.pos();
        self.expect(Kind::Ident)?;
        let type_name = self.tok().lexeme.clone();
        if type_name == "apply" {
            return self.apply_statement(traits);
        }
        if !SHAPE_TYPES.contains(&type_name.as_str()) {
            return Err(self.error(format!("Unknown shape type: {type_name}")));
        }
        self.advance();
        self.expect_and_skip_spaces()?;
        let name_pos = self.pos();
        self.expect(Kind::Ident)?;
        let name = self.tok().lexeme.clone();
        if let Some(previous) = self.out.uses.get(&name) {
            return Err(self.error_at(
                name_pos,
                format!("Shape name `{name}` conflicts with imported shape `{previous}`"),
            ));
        }
        self.advance();
        let mut shape = ShapeDef {
            name,
            pos,
            type_name: type_name.clone(),
            traits,
            mixins: Vec::new(),
            for_resource: None,
            body: Body::Simple,
        };
        match type_name.as_str() {
            "list" | "set" => {
                self.for_resource(&mut shape)?;
                self.mixins(&mut shape)?;
                shape.body = Body::Members(self.fixed_members(&["member"])?);
            }
            "map" => {
                self.for_resource(&mut shape)?;
                self.mixins(&mut shape)?;
                shape.body = Body::Members(self.fixed_members(&["key", "value"])?);
            }
            "structure" | "union" => {
                self.for_resource(&mut shape)?;
                self.mixins(&mut shape)?;
                shape.body = Body::Members(self.members(type_name == "structure")?);
            }
            "enum" | "intEnum" => {
                self.mixins(&mut shape)?;
                shape.body = Body::Members(self.enum_members()?);
            }
            "service" | "resource" => {
                self.mixins(&mut shape)?;
                self.skip_ws_and_docs();
                self.expect(Kind::LBrace)?;
                let body_pos = self.pos();
                let Node::Object(entries) = self.object_node()? else {
                    return Err(self.error_at(body_pos, "Expected an object"));
                };
                shape.body = Body::Properties(entries, body_pos);
            }
            "operation" => {
                self.mixins(&mut shape)?;
                shape.body = self.operation_body(&shape.name)?;
            }
            _ => self.mixins(&mut shape)?,
        }
        self.out.shapes.push(shape);
        // Inline input/output structures are recorded right after their operation (see `inline_structure`);
        // move the operation in front of them so shapes keep reading order.
        self.reorder_inline_io();
        self.expect_and_skip_br()
    }

    fn reorder_inline_io(&mut self) {
        let shapes = &mut self.out.shapes;
        let Some(last) = shapes.last() else { return };
        if last.type_name != "operation" {
            return;
        }
        let Body::Operation { input, output, .. } = &last.body else {
            return;
        };
        let inline = [input, output]
            .iter()
            .filter(|io| matches!(io, Some(IoRef::Inline(_))))
            .count();
        if inline > 0 && shapes.len() > inline {
            let op = shapes.remove(shapes.len() - 1);
            let at = shapes.len() - inline;
            shapes.insert(at, op);
        }
    }

    fn apply_statement(&mut self, traits: Vec<TraitApp>) -> PResult<()> {
        if traits.iter().any(|t| !t.doc_comment) {
            return Err(self.error("Traits applied to apply statement"));
        }
        self.advance();
        self.expect_and_skip_whitespace()?;
        let (target, pos) = self.shape_id()?;
        self.expect_and_skip_whitespace()?;
        let applied = if self.expect_one(&[Kind::At, Kind::LBrace])? == Kind::At {
            vec![self.trait_app()?]
        } else {
            self.advance();
            self.skip_ws_and_docs();
            let list = self.traits()?;
            self.skip_ws_and_docs();
            self.expect(Kind::RBrace)?;
            self.advance();
            list
        };
        self.out.applies.push(ApplyDef {
            target,
            pos,
            traits: applied,
        });
        self.expect_and_skip_br()
    }

    fn version_error(&self, pos: Pos, what: &str) -> IdlError {
        self.error_at(
            pos,
            format!(
                "{what} can only be used with Smithy version 2 or later. Attempted to use it with version `{}`.",
                self.out.version.label()
            ),
        )
    }

    fn mixins(&mut self, shape: &mut ShapeDef) -> PResult<()> {
        self.skip_spaces();
        if !(self.kind() == Kind::Ident && self.tok().lexeme.starts_with('w')) {
            return Ok(());
        }
        self.expect_word("with")?;
        if self.out.version == Version::V1 {
            return Err(self.version_error(self.pos(), "Mixins"));
        }
        self.advance();
        self.skip_ws_and_docs();
        self.expect(Kind::LBracket)?;
        self.advance();
        self.skip_ws_and_docs();
        loop {
            let id = self.shape_id()?;
            shape.mixins.push(id);
            self.skip_ws_and_docs();
            if self.kind() == Kind::RBracket {
                break;
            }
        }
        self.advance();
        Ok(())
    }

    fn for_resource(&mut self, shape: &mut ShapeDef) -> PResult<()> {
        self.skip_spaces();
        if !(self.kind() == Kind::Ident && self.tok().lexeme.starts_with('f')) {
            return Ok(());
        }
        self.expect_word("for")?;
        if self.out.version == Version::V1 {
            return Err(self.error(format!(
                "Structures can only be bound to resources with Smithy version 2 or later. Attempted to bind a \
                 structure to a resource with version `{}`.",
                self.out.version.label()
            )));
        }
        self.advance();
        self.expect_and_skip_spaces()?;
        shape.for_resource = Some(self.shape_id()?);
        Ok(())
    }

    /// Members of a list (`member`) or map (`key`, `value`).
    fn fixed_members(&mut self, names: &[&str]) -> PResult<Vec<MemberDef>> {
        self.skip_ws_and_docs();
        self.expect(Kind::LBrace)?;
        self.advance();
        self.skip_ws();
        let mut members = Vec::new();
        for name in names {
            let traits = self.docs_and_traits()?;
            let pos = self.pos();
            let elided = self.kind() == Kind::Dollar;
            if elided {
                if self.out.version == Version::V1 {
                    return Err(
                        self.error("Members can only elide targets in IDL version 2 or later")
                    );
                }
                self.advance();
                self.expect(Kind::Ident)?;
            } else if !(self.kind() == Kind::Ident && self.tok().lexeme.starts_with(&name[..1])) {
                if !traits.is_empty() {
                    return Err(self.error(format!(
                        "Expected member definition to follow traits but found {}",
                        self.tok().debug()
                    )));
                }
                continue;
            }
            if !self.is_ident(name) {
                if self.kind() == Kind::Error {
                    return Err(self.unexpected(&[Kind::Ident]));
                }
                return Err(self.error(format!(
                    "Expected member `{name}` but found {}",
                    self.tok().debug()
                )));
            }
            self.advance();
            let target = if elided {
                None
            } else {
                self.skip_ws_and_docs();
                self.expect(Kind::Colon)?;
                self.advance();
                self.skip_ws_and_docs();
                Some(self.shape_id()?)
            };
            members.push(MemberDef {
                name: name.to_string(),
                pos,
                target,
                traits,
                assigned: None,
            });
            self.skip_ws();
        }
        self.skip_ws_and_docs();
        self.expect(Kind::RBrace)?;
        self.advance();
        Ok(members)
    }

    fn members(&mut self, allow_default: bool) -> PResult<Vec<MemberDef>> {
        self.skip_ws_and_docs();
        self.expect(Kind::LBrace)?;
        self.advance();
        self.skip_ws();
        let mut members: Vec<MemberDef> = Vec::new();
        while self.kind() != Kind::Eof && self.kind() != Kind::RBrace {
            let traits = self.docs_and_traits()?;
            let pos = self.pos();
            if self.kind() == Kind::RBrace && traits.len() == 1 && traits[0].doc_comment {
                break;
            }
            let elided = self.kind() == Kind::Dollar;
            if elided {
                self.advance();
            }
            self.expect(Kind::Ident)?;
            let name = self.tok().lexeme.clone();
            if members.iter().any(|m| m.name == name) {
                return Err(self.error(format!("Duplicate member name `{name}`")));
            }
            if elided && self.out.version == Version::V1 {
                return Err(self.error("Members can only elide targets in IDL version 2 or later"));
            }
            self.advance();
            let target = if elided {
                None
            } else {
                self.skip_spaces();
                self.expect(Kind::Colon)?;
                self.advance();
                self.skip_spaces();
                Some(self.shape_id()?)
            };
            self.skip_spaces();
            let mut assigned = None;
            if allow_default && self.kind() == Kind::Equal {
                if self.out.version == Version::V1 {
                    return Err(self
                        .error("@default assignment is only supported in IDL version 2 or later"));
                }
                self.advance();
                self.skip_spaces();
                let value_pos = self.pos();
                assigned = Some((self.node()?, value_pos));
                self.expect_and_skip_br()?;
            }
            members.push(MemberDef {
                name,
                pos,
                target,
                traits,
                assigned,
            });
            self.skip_ws();
        }
        self.expect(Kind::RBrace)?;
        self.advance();
        Ok(members)
    }

    fn enum_members(&mut self) -> PResult<Vec<MemberDef>> {
        self.skip_ws_and_docs();
        self.expect(Kind::LBrace)?;
        self.advance();
        self.skip_ws();
        let mut members: Vec<MemberDef> = Vec::new();
        while self.kind() != Kind::Eof && self.kind() != Kind::RBrace {
            let traits = self.docs_and_traits()?;
            let pos = self.pos();
            if self.kind() == Kind::RBrace && traits.len() == 1 && traits[0].doc_comment {
                break;
            }
            self.expect(Kind::Ident)?;
            let name = self.tok().lexeme.clone();
            if members.iter().any(|m| m.name == name) {
                return Err(self.error(format!("Found conflicting member name, `{name}`")));
            }
            self.advance();
            self.skip_spaces();
            let mut assigned = None;
            if self.kind() == Kind::Equal {
                self.advance();
                self.skip_spaces();
                let value_pos = self.pos();
                assigned = Some((self.node()?, value_pos));
                self.expect_and_skip_br()?;
            } else {
                self.skip_ws();
            }
            members.push(MemberDef {
                name,
                pos,
                target: None,
                traits,
                assigned,
            });
        }
        self.expect(Kind::RBrace)?;
        self.advance();
        Ok(members)
    }

    fn operation_body(&mut self, op_name: &str) -> PResult<Body> {
        self.skip_ws_and_docs();
        self.expect(Kind::LBrace)?;
        self.advance();
        self.skip_ws_and_docs();
        let (mut input, mut output, mut errors) = (None, None, None);
        let mut seen = HashSet::new();
        while self.kind() != Kind::Eof && self.kind() != Kind::RBrace {
            self.expect(Kind::Ident)?;
            let key = self.tok().lexeme.clone();
            if !seen.insert(key.clone()) {
                return Err(self.error(format!(
                    "Duplicate operation {key} property for `{}`",
                    self.absolute(op_name)
                )));
            }
            let key_pos = self.pos();
            self.advance();
            self.skip_ws_and_docs();
            match key.as_str() {
                "input" | "output" => {
                    let token = self.expect_one(&[Kind::Colon, Kind::Walrus])?;
                    let walrus_pos = self.pos();
                    self.advance();
                    let io = if token == Kind::Walrus {
                        if self.out.version == Version::V1 {
                            return Err(self.error_at(
                                walrus_pos,
                                format!(
                                    "Inlined operation inputs and outputs can only be used with Smithy version 2 \
                                     or later. Attempted to use inlined IO with version `{}`.",
                                    self.out.version.label()
                                ),
                            ));
                        }
                        self.docs.clear();
                        self.skip_ws();
                        let (suffix, trait_name) = if key == "input" {
                            (self.input_suffix.clone(), "smithy.api#input")
                        } else {
                            (self.output_suffix.clone(), "smithy.api#output")
                        };
                        let name = format!("{op_name}{suffix}");
                        self.inline_structure(&name, trait_name, key_pos)?;
                        IoRef::Inline(name)
                    } else {
                        self.skip_ws_and_docs();
                        let (id, pos) = self.shape_id()?;
                        IoRef::Target(id, pos)
                    };
                    if key == "input" {
                        input = Some(io);
                    } else {
                        output = Some(io);
                    }
                }
                "errors" => {
                    self.expect(Kind::Colon)?;
                    self.advance();
                    errors = Some(self.id_list()?);
                }
                _ => {
                    return Err(self.error_at(
                        key_pos,
                        format!("Unknown property {key} for {}", self.absolute(op_name)),
                    ))
                }
            }
            self.expect_and_skip_whitespace()?;
            self.skip_ws_and_docs();
        }
        self.expect(Kind::RBrace)?;
        self.advance();
        Ok(Body::Operation {
            input,
            output,
            errors,
        })
    }

    fn absolute(&self, name: &str) -> String {
        format!(
            "{}#{name}",
            self.out.namespace.as_deref().unwrap_or_default()
        )
    }

    fn inline_structure(&mut self, name: &str, io_trait: &str, pos: Pos) -> PResult<()> {
        let mut traits = self.docs_and_traits()?;
        traits.push(TraitApp {
            name: io_trait.to_string(),
            pos,
            value: None,
            doc_comment: false,
        });
        let mut shape = ShapeDef {
            name: name.to_string(),
            pos: self.pos(),
            type_name: "structure".to_string(),
            traits,
            mixins: Vec::new(),
            for_resource: None,
            body: Body::Simple,
        };
        self.mixins(&mut shape)?;
        self.for_resource(&mut shape)?;
        shape.body = Body::Members(self.members(true)?);
        self.out.shapes.push(shape);
        Ok(())
    }

    fn id_list(&mut self) -> PResult<Vec<(String, Pos)>> {
        self.skip_ws_and_docs();
        self.expect(Kind::LBracket)?;
        self.advance();
        self.skip_ws_and_docs();
        let mut ids = Vec::new();
        while self.kind() != Kind::RBracket {
            ids.push(self.shape_id()?);
            self.skip_ws_and_docs();
        }
        self.advance();
        Ok(ids)
    }
}

fn doc_trait(text: String, pos: Pos) -> TraitApp {
    TraitApp {
        name: "smithy.api#documentation".to_string(),
        pos,
        value: Some(Node::Str(text)),
        doc_comment: true,
    }
}

/// Short JSON-like rendering of a node for error messages.
pub(crate) fn describe_node(node: &Node) -> String {
    match node {
        Node::Null => "null".to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => n.to_string(),
        Node::Str(s) => format!("{s:?}"),
        Node::Id(s, _) => s.clone(),
        Node::Array(_) => "an array".to_string(),
        Node::Object(_) => "an object".to_string(),
    }
}
