//! The path expressions of `smithy.rules#operationContextParams`: the subset of JMESPath the
//! rules engine allows (identifiers, sub-expressions, list wildcards `[*]`, the flatten operator
//! `[]`, map value wildcards `.*`, multi-select lists `[a, b]` and the `keys(...)` function),
//! parsed and typed against the operation's input in the IR. The result is a flat sequence of
//! steps over Rust values that the emitter turns into loops and `if let`s.
//!
//! Semantics (JMESPath's): a path through an unset member gives no value; a projection (`[*]`,
//! `[]`, `.*`, `keys`) over a set list or map gives a list (possibly empty) of the values its
//! remaining path gives, skipping the ones that give none; a projection inside a projection
//! must flatten (`[]`), since a list of lists binds to no parameter type. Map keys come out
//! sorted, so a binding never depends on hash order.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ir::{MemberIr, NamedKind, RustType, StructIr, UnionIr};

/// A typed path: one or more chains of steps from the input (a multi-select list gives one
/// chain per item, sharing the steps before it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    /// The path as written in the model.
    pub text: String,
    /// The chains; each ends at a leaf value.
    pub chains: Vec<Vec<Step>>,
    /// Whether the result is a list (a projection or a multi-select list), else one value.
    pub list: bool,
    /// The type of the leaf values.
    pub leaf: Leaf,
}

/// One step from a value to the values inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Step {
    /// A structure member (`Option<T>` when `optional`, `Box<T>` when `boxed`).
    Field {
        /// The Rust field.
        field: String,
        /// Stored as an `Option`.
        optional: bool,
        /// Stored boxed.
        boxed: bool,
    },
    /// A union member: the value when the union is that variant.
    Variant {
        /// The union's Rust path.
        union: String,
        /// The variant.
        variant: String,
        /// The variant's value is boxed.
        boxed: bool,
    },
    /// Every element of a list (`[*]` or `[]`); `sparse`: elements are `Option`s.
    Elements {
        /// `Vec<Option<T>>`.
        sparse: bool,
    },
    /// Every value of a map (`.*`); `sparse`: values are `Option`s.
    Values {
        /// `HashMap<String, Option<T>>`.
        sparse: bool,
    },
    /// Every key of a map (`keys(...)`), in sorted order.
    Keys,
}

impl Step {
    /// Whether the step is a projection (it gives several values).
    pub fn projects(&self) -> bool {
        matches!(
            self,
            Step::Elements { .. } | Step::Values { .. } | Step::Keys
        )
    }
}

/// The type of the values a path ends at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Leaf {
    /// A `String`.
    String,
    /// A string enum (read with `as_str()`).
    Enum,
    /// A `bool`.
    Bool,
}

/// The named types of the service, by shape id, for typing paths through nested values.
pub struct Types<'a> {
    /// Structures.
    pub structures: BTreeMap<&'a str, &'a StructIr>,
    /// Unions.
    pub unions: BTreeMap<&'a str, &'a UnionIr>,
}

/// The syntax of a path.
#[derive(Debug, Clone, PartialEq)]
enum Ast {
    /// The current value (`@`, implicit at the start).
    Current,
    /// `base.name`.
    Field(Box<Ast>, String),
    /// `base[*]` (`flatten: false`) or `base[]` (`flatten: true`).
    Elements(Box<Ast>, bool),
    /// `base.*`.
    Values(Box<Ast>),
    /// `keys(base)`.
    Keys(Box<Ast>),
    /// `base.[a, b]` (or `[a, b]` at the start).
    MultiSelect(Box<Ast>, Vec<Ast>),
}

/// Parses and types `text` against the input structure `input`.
pub fn parse(text: &str, input: &StructIr, types: &Types<'_>) -> Result<Path, String> {
    let ast = Parser::new(text).expression()?;
    let mut chains = Vec::new();
    let mut leaf = None;
    let list = Typer { types }.chains(&ast, input, &mut chains, &mut leaf)?;
    let leaf = leaf.ok_or_else(|| "the path selects nothing".to_owned())?;
    Ok(Path {
        text: text.to_owned(),
        chains,
        list,
        leaf,
    })
}

struct Parser<'t> {
    text: &'t str,
    chars: Vec<char>,
    at: usize,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            chars: text.chars().collect(),
            at: 0,
        }
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at character {} of `{}`", self.at + 1, self.text)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        self.skip_spaces();
        let n = s.chars().count();
        if self.chars[self.at..].iter().take(n).copied().eq(s.chars()) {
            self.at += n;
            true
        } else {
            false
        }
    }

    fn expression(&mut self) -> Result<Ast, String> {
        let ast = self.chain()?;
        self.skip_spaces();
        if self.at < self.chars.len() {
            return Err(self.error("unexpected text"));
        }
        Ok(ast)
    }

    fn identifier(&mut self) -> Option<String> {
        self.skip_spaces();
        let start = self.at;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            return None;
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.at += 1;
        }
        Some(self.chars[start..self.at].iter().collect())
    }

    /// `keys(chain)`, a multi-select list or an identifier, then `.name`, `[*]`, `[]`, `.*`
    /// and `.[..]` suffixes.
    fn chain(&mut self) -> Result<Ast, String> {
        self.skip_spaces();
        let mut ast = if self.eat("keys(") {
            let inner = self.chain()?;
            if !self.eat(")") {
                return Err(self.error("expected `)`"));
            }
            Ast::Keys(Box::new(inner))
        } else if self.peek() == Some('[') {
            self.multi_select(Ast::Current)?
        } else {
            let name = self.identifier().ok_or_else(|| {
                self.error("expected a member name, `keys(` or a multi-select list `[`")
            })?;
            if self.peek() == Some('(') {
                return Err(format!(
                    "function `{name}` is not supported in operation context parameter paths \
                     (only `keys`): `{}`",
                    self.text
                ));
            }
            Ast::Field(Box::new(Ast::Current), name)
        };
        loop {
            self.skip_spaces();
            if self.eat("[*]") {
                ast = Ast::Elements(Box::new(ast), false);
            } else if self.eat("[]") {
                ast = Ast::Elements(Box::new(ast), true);
            } else if self.peek() == Some('[') {
                return Err(
                    self.error("not supported: indexes, slices and filters (only `[*]` and `[]`)")
                );
            } else if self.eat(".") {
                self.skip_spaces();
                if self.eat("*") {
                    ast = Ast::Values(Box::new(ast));
                } else if self.peek() == Some('[') {
                    ast = self.multi_select(ast)?;
                } else {
                    let name = self
                        .identifier()
                        .ok_or_else(|| self.error("expected a member name after `.`"))?;
                    ast = Ast::Field(Box::new(ast), name);
                }
            } else {
                return Ok(ast);
            }
        }
    }

    fn multi_select(&mut self, base: Ast) -> Result<Ast, String> {
        if !self.eat("[") {
            return Err(self.error("expected `[`"));
        }
        let mut items = Vec::new();
        loop {
            items.push(self.chain()?);
            if self.eat(",") {
                continue;
            }
            if self.eat("]") {
                break;
            }
            return Err(self.error("expected `,` or `]` in a multi-select list"));
        }
        Ok(Ast::MultiSelect(Box::new(base), items))
    }
}

/// What a step leads to.
#[derive(Clone, Copy)]
enum Node<'a> {
    Struct(&'a StructIr),
    Union(&'a UnionIr),
    Value(&'a RustType),
}

struct Typer<'a, 'b> {
    types: &'b Types<'a>,
}

impl<'a> Typer<'a, '_> {
    fn node(&self, ty: &'a RustType) -> Node<'a> {
        if let RustType::Named { shape, kind, .. } = ty {
            match kind {
                NamedKind::Struct => {
                    if let Some(s) = self.types.structures.get(shape.as_str()) {
                        return Node::Struct(s);
                    }
                }
                NamedKind::Union => {
                    if let Some(u) = self.types.unions.get(shape.as_str()) {
                        return Node::Union(u);
                    }
                }
                NamedKind::Enum | NamedKind::IntEnum => {}
            }
        }
        Node::Value(ty)
    }

    /// Types `ast` from the input: pushes one chain per leaf, sets the leaf type, and returns
    /// whether the result is a list.
    fn chains(
        &self,
        ast: &Ast,
        input: &'a StructIr,
        chains: &mut Vec<Vec<Step>>,
        leaf: &mut Option<Leaf>,
    ) -> Result<bool, String> {
        let mut results = Vec::new();
        self.walk(ast, (Vec::new(), Node::Struct(input), false), &mut results)?;
        let mut list = false;
        for (steps, node, many) in results {
            let this_leaf = match node {
                Node::Value(RustType::String) => Leaf::String,
                Node::Value(RustType::Bool) => Leaf::Bool,
                Node::Value(RustType::Named {
                    kind: NamedKind::Enum,
                    ..
                }) => Leaf::Enum,
                _ => {
                    return Err(
                        "the path must end at a string, a string enum or a boolean".to_owned()
                    )
                }
            };
            match leaf {
                Some(l) if (*l == Leaf::Bool) != (this_leaf == Leaf::Bool) => {
                    return Err("a multi-select list mixes booleans and strings".to_owned())
                }
                _ => *leaf = Some(this_leaf),
            }
            list |= many;
            chains.push(steps);
        }
        if chains.len() > 1 {
            list = true;
        }
        Ok(list)
    }

    /// Walks `ast` from `from` (steps so far, the node reached, whether a projection was
    /// crossed), pushing the end of each chain into `out`.
    fn walk(
        &self,
        ast: &Ast,
        from: (Vec<Step>, Node<'a>, bool),
        out: &mut Vec<(Vec<Step>, Node<'a>, bool)>,
    ) -> Result<(), String> {
        match ast {
            Ast::Current => {
                out.push(from);
                Ok(())
            }
            Ast::MultiSelect(base, items) => {
                let mut bases = Vec::new();
                self.walk(base, from, &mut bases)?;
                for (steps, node, many) in bases {
                    if many {
                        return Err(
                            "a multi-select list inside a projection gives a list of lists"
                                .to_owned(),
                        );
                    }
                    for item in items {
                        let mut ends = Vec::new();
                        self.walk(item, (steps.clone(), node, false), &mut ends)?;
                        for end in ends {
                            if end.2 {
                                return Err("a multi-select list item must select one value, \
                                            not a projection"
                                    .to_owned());
                            }
                            out.push(end);
                        }
                    }
                }
                Ok(())
            }
            Ast::Field(base, _) | Ast::Elements(base, _) | Ast::Values(base) | Ast::Keys(base) => {
                let mut bases = Vec::new();
                self.walk(base, from, &mut bases)?;
                for (mut steps, node, many) in bases {
                    let (node, many) = self.step(ast, node, many, &mut steps)?;
                    out.push((steps, node, many));
                }
                Ok(())
            }
        }
    }

    /// One step of `ast` (whose base led to `node`).
    fn step(
        &self,
        ast: &Ast,
        node: Node<'a>,
        many: bool,
        steps: &mut Vec<Step>,
    ) -> Result<(Node<'a>, bool), String> {
        match (ast, node) {
            (Ast::Field(_, name), Node::Struct(s)) => {
                let m = member(&s.members, name).ok_or_else(|| {
                    format!("`{name}` is not a member of structure `{}`", s.wire_name)
                })?;
                steps.push(Step::Field {
                    field: m.field.clone(),
                    optional: m.optional,
                    boxed: m.boxed,
                });
                Ok((self.node(&m.ty), many))
            }
            (Ast::Field(_, name), Node::Union(u)) => {
                let v = u
                    .variants
                    .iter()
                    .find(|v| v.member.wire_name == *name)
                    .ok_or_else(|| format!("`{name}` is not a member of union `{}`", u.name))?;
                steps.push(Step::Variant {
                    union: format!("crate::types::{}", u.name),
                    variant: v.name.clone(),
                    boxed: v.member.boxed,
                });
                Ok((self.node(&v.member.ty), many))
            }
            (Ast::Field(_, name), Node::Value(_)) => Err(format!(
                "`{name}` is selected from a value that is not a structure or a union"
            )),
            (
                Ast::Elements(_, flatten),
                Node::Value(RustType::List {
                    element, sparse, ..
                }),
            ) => {
                if many && !flatten {
                    return Err(
                        "`[*]` inside a projection gives a list of lists: flatten it \
                                with `[]`"
                            .to_owned(),
                    );
                }
                steps.push(Step::Elements { sparse: *sparse });
                Ok((self.node(element), true))
            }
            (Ast::Elements(_, flatten), _) => Err(format!(
                "`{}` applies to a list",
                if *flatten { "[]" } else { "[*]" }
            )),
            (Ast::Values(_), Node::Value(RustType::Map { value, sparse, .. })) => {
                if many {
                    return Err("`.*` inside a projection gives a list of lists".to_owned());
                }
                steps.push(Step::Values { sparse: *sparse });
                Ok((self.node(value), true))
            }
            (Ast::Values(_), _) => Err("`.*` applies to a map here (wildcards over a \
                                        structure's members are not supported)"
                .to_owned()),
            (Ast::Keys(_), Node::Value(RustType::Map { .. })) => {
                if many {
                    return Err("`keys(...)` of a projection gives a list of lists".to_owned());
                }
                steps.push(Step::Keys);
                Ok((Node::Value(&RustType::String), true))
            }
            (Ast::Keys(_), _) => Err("`keys(...)` applies to a map".to_owned()),
            (Ast::Current | Ast::MultiSelect(..), _) => Ok((node, many)),
        }
    }
}

fn member<'m>(members: &'m [MemberIr], name: &str) -> Option<&'m MemberIr> {
    members.iter().find(|m| m.wire_name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_allowed_forms() {
        let parse = |t: &str| Parser::new(t).expression();
        let field = |base: Ast, name: &str| Ast::Field(Box::new(base), name.to_owned());
        assert_eq!(parse("A").unwrap(), field(Ast::Current, "A"));
        assert_eq!(parse("A.B").unwrap(), field(field(Ast::Current, "A"), "B"));
        assert_eq!(
            parse("A[*].B").unwrap(),
            field(
                Ast::Elements(Box::new(field(Ast::Current, "A")), false),
                "B"
            )
        );
        assert_eq!(
            parse(" A[] ").unwrap(),
            Ast::Elements(Box::new(field(Ast::Current, "A")), true)
        );
        assert_eq!(
            parse("A.*").unwrap(),
            Ast::Values(Box::new(field(Ast::Current, "A")))
        );
        assert_eq!(
            parse("keys(A)").unwrap(),
            Ast::Keys(Box::new(field(Ast::Current, "A")))
        );
        assert_eq!(
            parse("[A, B.C]").unwrap(),
            Ast::MultiSelect(
                Box::new(Ast::Current),
                vec![
                    field(Ast::Current, "A"),
                    field(field(Ast::Current, "B"), "C")
                ]
            )
        );
        for (bad, why) in [
            ("A[0]", "not supported: indexes"),
            ("length(A)", "function `length` is not supported"),
            ("A.", "expected a member name after `.`"),
            ("keys(A", "expected `)`"),
            ("A B", "unexpected text"),
            ("[A, B", "expected `,` or `]`"),
            ("", "expected a member name"),
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
