//! Turns the parsed files into one Smithy JSON AST document: resolves shape ids (`use`, then the current
//! namespace across all files, then the prelude), merges traits, `apply` statements and metadata, and resolves
//! elided member targets from mixins and `for` resources.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::parser::{
    describe_node, Body, IoRef, MemberDef, Node, ParsedFile, Pos, ShapeDef, TraitApp, Version,
};
use super::prelude::{is_prelude_list_trait, is_prelude_shape};
use super::IdlError;

type RResult<T> = Result<T, IdlError>;

/// Traits for `apply` entries: target shape or member id, and the traits.
type Applies = Vec<(String, Map<String, Value>)>;

/// Location of a shape definition: file index and shape index within the file.
#[derive(Clone, Copy)]
struct Loc {
    file: usize,
    shape: usize,
}

/// A member inherited from a mixin: name, resolved target, and the member id it comes from.
struct Inherited {
    name: String,
    target: String,
    origin: String,
}

struct Ctx<'a> {
    files: &'a [ParsedFile],
    defined: HashMap<String, Loc>,
    order: Vec<String>,
}

fn err(file: &ParsedFile, pos: Pos, message: impl Into<String>) -> IdlError {
    IdlError {
        file: file.name.clone(),
        line: pos.line,
        column: pos.column,
        message: message.into(),
    }
}

/// Builds the JSON AST document for all parsed files.
pub(crate) fn build(files: &[ParsedFile]) -> RResult<Value> {
    let mut ctx = Ctx {
        files,
        defined: HashMap::new(),
        order: Vec::new(),
    };
    for (fi, file) in files.iter().enumerate() {
        let Some(ns) = &file.namespace else { continue };
        for (si, shape) in file.shapes.iter().enumerate() {
            let id = format!("{ns}#{}", shape.name);
            if let Some(prev) = ctx.defined.get(&id) {
                let prev_file = &files[prev.file];
                let prev_pos = prev_file.shapes[prev.shape].pos;
                return Err(err(
                    file,
                    shape.pos,
                    format!(
                        "Shape `{id}` is defined more than once; it is also defined at {}:{}:{}",
                        prev_file.name, prev_pos.line, prev_pos.column
                    ),
                ));
            }
            ctx.defined.insert(
                id.clone(),
                Loc {
                    file: fi,
                    shape: si,
                },
            );
            ctx.order.push(id);
        }
    }

    let metadata = ctx.metadata()?;
    let mut shapes = Map::new();
    let mut pending_applies: Vec<(String, usize, Pos, Map<String, Value>)> = Vec::new();
    for id in &ctx.order {
        let loc = ctx.defined[id];
        let (value, applies) = ctx.shape_json(id, loc)?;
        shapes.insert(id.clone(), value);
        for (target, traits) in applies {
            let pos = files[loc.file].shapes[loc.shape].pos;
            pending_applies.push((target, loc.file, pos, traits));
        }
    }
    for (fi, file) in files.iter().enumerate() {
        for apply in &file.applies {
            let target = ctx.resolve_strict(file, &apply.target, apply.pos)?;
            let traits = ctx.traits_json(file, &apply.traits, &target)?;
            pending_applies.push((target, fi, apply.pos, traits));
        }
    }
    for (target, fi, pos, traits) in pending_applies {
        apply_traits(&mut shapes, &target, traits).map_err(|m| err(&files[fi], pos, m))?;
    }

    let mut doc = Map::new();
    doc.insert("smithy".to_string(), json!("2.0"));
    if !metadata.is_empty() {
        doc.insert("metadata".to_string(), Value::Object(metadata));
    }
    doc.insert("shapes".to_string(), Value::Object(shapes));
    Ok(Value::Object(doc))
}

/// Merges one trait value into a trait map: equal values are fine, two arrays are concatenated, anything else is a
/// conflict.
fn merge_trait(traits: &mut Map<String, Value>, name: &str, value: Value) -> Result<(), String> {
    match traits.get_mut(name) {
        None => {
            traits.insert(name.to_string(), value);
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(Value::Array(existing)) => match value {
            Value::Array(more) => {
                existing.extend(more);
                Ok(())
            }
            other => Err(format!(
                "Conflicting `{name}` trait values: {existing:?} and {other}"
            )),
        },
        Some(existing) => Err(format!(
            "Conflicting `{name}` trait values: {existing} and {value}"
        )),
    }
}

fn merge_traits(target: &mut Map<String, Value>, traits: Map<String, Value>) -> Result<(), String> {
    for (name, value) in traits {
        merge_trait(target, &name, value)?;
    }
    Ok(())
}

/// Applies traits to a shape or member defined in `shapes`, or records an `apply` entry for anything else.
fn apply_traits(
    shapes: &mut Map<String, Value>,
    target: &str,
    traits: Map<String, Value>,
) -> Result<(), String> {
    if traits.is_empty() {
        return Ok(());
    }
    let (root, member) = match target.split_once('$') {
        Some((r, m)) => (r, Some(m)),
        None => (target, None),
    };
    if let Some(Value::Object(shape)) = shapes.get_mut(root) {
        if shape.get("type").and_then(Value::as_str) != Some("apply") {
            let holder = match member {
                None => Some(shape),
                Some(m) => {
                    let direct = matches!(m, "member" | "key" | "value") && shape.contains_key(m);
                    if direct {
                        shape.get_mut(m).and_then(Value::as_object_mut)
                    } else {
                        shape
                            .get_mut("members")
                            .and_then(Value::as_object_mut)
                            .and_then(|members| members.get_mut(m))
                            .and_then(Value::as_object_mut)
                    }
                }
            };
            if let Some(holder) = holder {
                let entry = holder
                    .entry("traits".to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(existing) = entry {
                    return merge_traits(existing, traits);
                }
            }
        }
    }
    let entry = shapes
        .entry(target.to_string())
        .or_insert_with(|| json!({"type": "apply", "traits": {}}));
    match entry.get_mut("traits") {
        Some(Value::Object(existing)) => merge_traits(existing, traits),
        _ => Err(format!("`{target}` is not an apply entry")),
    }
}

impl Ctx<'_> {
    fn shape(&self, loc: Loc) -> (&ParsedFile, &ShapeDef) {
        let file = &self.files[loc.file];
        (file, &file.shapes[loc.shape])
    }

    fn type_of(&self, id: &str) -> Option<&str> {
        self.defined
            .get(id)
            .map(|loc| self.shape(*loc).1.type_name.as_str())
    }

    /// Resolves a shape id as written; `None` when a relative id names no known shape.
    fn try_resolve(&self, file: &ParsedFile, raw: &str) -> Option<String> {
        if raw.contains('#') {
            return Some(raw.to_string());
        }
        let (root, member) = match raw.split_once('$') {
            Some((r, m)) => (r, Some(m)),
            None => (raw, None),
        };
        let resolved = if let Some(used) = file.uses.get(root) {
            used.clone()
        } else {
            let local = file.namespace.as_ref().map(|ns| format!("{ns}#{root}"));
            match local {
                Some(local) if self.defined.contains_key(&local) => local,
                _ if is_prelude_shape(root) => format!("smithy.api#{root}"),
                _ => return None,
            }
        };
        Some(match member {
            Some(m) => format!("{resolved}${m}"),
            None => resolved,
        })
    }

    fn resolve_strict(&self, file: &ParsedFile, raw: &str, pos: Pos) -> RResult<String> {
        self.try_resolve(file, raw).ok_or_else(|| {
            let ns = file.namespace.as_deref().unwrap_or("<no namespace>");
            err(
                file,
                pos,
                format!(
                    "Expected a shape id that resolves to a shape, but found `{raw}`: there is no use statement \
                     for it, no shape `{ns}#{raw}` in any loaded file, and no prelude shape `smithy.api#{raw}`"
                ),
            )
        })
    }

    fn node_json(&self, file: &ParsedFile, node: &Node) -> RResult<Value> {
        Ok(match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::Str(s) => Value::String(s.clone()),
            Node::Id(raw, pos) => match self.try_resolve(file, raw) {
                Some(id) => Value::String(id),
                None => {
                    let ns = file.namespace.as_deref().unwrap_or("smithy.api");
                    return Err(err(
                        file,
                        *pos,
                        format!(
                            "Syntactic shape ID `{raw}` does not resolve to a valid shape ID: `{ns}#{raw}`; \
                             expected a quoted string or the id of a defined shape"
                        ),
                    ));
                }
            },
            Node::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.node_json(file, i))
                    .collect::<RResult<Vec<_>>>()?,
            ),
            Node::Object(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.clone(), self.node_json(file, v)?);
                }
                Value::Object(map)
            }
        })
    }

    fn metadata(&self) -> RResult<Map<String, Value>> {
        let mut out = Map::new();
        for file in self.files {
            for (key, node, pos) in &file.metadata {
                let value = self.node_json(file, node)?;
                match out.get_mut(key) {
                    None => {
                        out.insert(key.clone(), value);
                    }
                    Some(existing) if *existing == value => {}
                    Some(Value::Array(existing)) if value.is_array() => {
                        if let Value::Array(more) = value {
                            existing.extend(more);
                        }
                    }
                    Some(existing) => {
                        return Err(err(
                            file,
                            *pos,
                            format!("Metadata conflict for key `{key}`: {existing} and {value}"),
                        ))
                    }
                }
            }
        }
        Ok(out)
    }

    fn traits_json(
        &self,
        file: &ParsedFile,
        traits: &[TraitApp],
        owner: &str,
    ) -> RResult<Map<String, Value>> {
        let mut out = Map::new();
        for app in traits {
            let name = self.resolve_strict(file, &app.name, app.pos)?;
            let value = match &app.value {
                Some(node) => self.node_json(file, node)?,
                None => match self.type_of(&name) {
                    Some("list" | "set") => Value::Array(Vec::new()),
                    None if is_prelude_list_trait(&name) => Value::Array(Vec::new()),
                    _ => Value::Object(Map::new()),
                },
            };
            if file.version == Version::V1 && name == "smithy.api#mixin" {
                return Err(err(
                    file,
                    app.pos,
                    format!(
                        "Mixins can only be used in Smithy 2.0 or later. Attempted to apply a @mixin trait to \
                         `{owner}` in a model file using version `1.0`."
                    ),
                ));
            }
            merge_trait(&mut out, &name, value)
                .map_err(|m| err(file, app.pos, format!("{m} on `{owner}`")))?;
        }
        Ok(out)
    }

    fn mixin_ids(&self, file: &ParsedFile, shape: &ShapeDef) -> RResult<Vec<String>> {
        shape
            .mixins
            .iter()
            .map(|(raw, pos)| self.resolve_strict(file, raw, *pos))
            .collect()
    }

    /// All members a shape gets from its mixins (transitively), with resolved targets.
    fn inherited(&self, id: &str, visiting: &mut HashSet<String>) -> RResult<Vec<Inherited>> {
        let Some(loc) = self.defined.get(id) else {
            return Ok(Vec::new());
        };
        let (file, shape) = self.shape(*loc);
        let mut out = Vec::new();
        for mixin in self.mixin_ids(file, shape)? {
            if !visiting.insert(mixin.clone()) {
                continue;
            }
            out.extend(self.all_members(&mixin, visiting)?);
            visiting.remove(&mixin);
        }
        Ok(out)
    }

    /// Members of a shape including inherited ones.
    fn all_members(&self, id: &str, visiting: &mut HashSet<String>) -> RResult<Vec<Inherited>> {
        let mut out = self.inherited(id, visiting)?;
        let Some(loc) = self.defined.get(id) else {
            return Ok(out);
        };
        let (file, shape) = self.shape(*loc);
        if let Body::Members(members) = &shape.body {
            for member in members {
                let target = match &member.target {
                    Some((raw, pos)) => self.resolve_strict(file, raw, *pos)?,
                    None if matches!(shape.type_name.as_str(), "enum" | "intEnum") => {
                        "smithy.api#Unit".to_string()
                    }
                    None => {
                        if out.iter().any(|m| m.name == member.name) {
                            continue;
                        }
                        match self.resource_member(file, shape, &member.name)? {
                            Some(t) => t,
                            None => continue,
                        }
                    }
                };
                out.retain(|m| m.name != member.name);
                out.push(Inherited {
                    name: member.name.clone(),
                    target,
                    origin: format!("{id}${}", member.name),
                });
            }
        }
        Ok(out)
    }

    /// The target of identifier or property `name` of the shape's `for` resource.
    fn resource_member(
        &self,
        file: &ParsedFile,
        shape: &ShapeDef,
        name: &str,
    ) -> RResult<Option<String>> {
        let Some((raw, pos)) = &shape.for_resource else {
            return Ok(None);
        };
        let resource = self.resolve_strict(file, raw, *pos)?;
        let Some(loc) = self.defined.get(&resource) else {
            return Err(err(
                file,
                *pos,
                format!("The target of the `for` production must be a resource shape defined in the loaded files, but found `{resource}`"),
            ));
        };
        let (rfile, rshape) = self.shape(*loc);
        let Body::Properties(entries, _) = &rshape.body else {
            return Err(err(
                file,
                *pos,
                format!(
                    "The target of the `for` production must be a resource shape, but found a {} shape: {resource}",
                    rshape.type_name
                ),
            ));
        };
        if rshape.type_name != "resource" {
            return Err(err(
                file,
                *pos,
                format!(
                    "The target of the `for` production must be a resource shape, but found a {} shape: {resource}",
                    rshape.type_name
                ),
            ));
        }
        for key in ["identifiers", "properties"] {
            if let Some((_, Node::Object(map))) = entries.iter().find(|(k, _)| k == key) {
                if let Some((_, target)) = map.iter().find(|(k, _)| k == name) {
                    return match target {
                        Node::Str(t) | Node::Id(t, _) => {
                            Ok(Some(self.resolve_strict(rfile, t, rshape.pos)?))
                        }
                        other => Err(err(
                            rfile,
                            rshape.pos,
                            format!(
                                "Expected a shape id for resource {key} `{name}`, but found {}",
                                describe_node(other)
                            ),
                        )),
                    };
                }
            }
        }
        Ok(None)
    }

    fn member_json(
        &self,
        file: &ParsedFile,
        member: &MemberDef,
        member_id: &str,
        target: String,
    ) -> RResult<Value> {
        let mut traits = self.traits_json(file, &member.traits, member_id)?;
        if let Some((node, pos)) = &member.assigned {
            let value = self.node_json(file, node)?;
            merge_trait(&mut traits, "smithy.api#default", value)
                .map_err(|m| err(file, *pos, m))?;
        }
        let mut obj = Map::new();
        obj.insert("target".to_string(), Value::String(target));
        if !traits.is_empty() {
            obj.insert("traits".to_string(), Value::Object(traits));
        }
        Ok(Value::Object(obj))
    }

    /// The JSON for one shape plus `apply` entries for traits on elided members inherited from mixins.
    fn shape_json(&self, id: &str, loc: Loc) -> RResult<(Value, Applies)> {
        let (file, shape) = self.shape(loc);
        let ty = shape.type_name.as_str();
        match (ty, file.version) {
            ("set", Version::V2) => {
                return Err(err(
                    file,
                    shape.pos,
                    "set shapes cannot be used in Smithy version 2.0; use a list",
                ))
            }
            ("enum" | "intEnum", Version::V1) => {
                return Err(err(
                    file,
                    shape.pos,
                    format!("{ty} shapes cannot be used in Smithy version 1.0"),
                ))
            }
            _ => {}
        }
        let mut obj = Map::new();
        obj.insert("type".to_string(), Value::String(ty.to_string()));
        let mut applies = Vec::new();

        let mixins = self.mixin_ids(file, shape)?;
        for (mixin, (_, pos)) in mixins.iter().zip(&shape.mixins) {
            if let Some(mty) = self.type_of(mixin) {
                if mty != ty {
                    return Err(err(
                        file,
                        *pos,
                        format!(
                            "Mixins may only be mixed into shapes of the same type. The following mixins were \
                             applied to the {ty} shape `{id}` which are not {ty} shapes: [`{mixin}`]"
                        ),
                    ));
                }
            }
        }
        if !mixins.is_empty() {
            let list = mixins.iter().map(|m| json!({ "target": m })).collect();
            obj.insert("mixins".to_string(), Value::Array(list));
        }
        let traits = self.traits_json(file, &shape.traits, id)?;
        let is_mixin = traits.contains_key("smithy.api#mixin");

        match &shape.body {
            Body::Simple => {}
            Body::Members(members) => {
                let members_json = self.members_json(file, shape, id, members, &mut applies)?;
                match ty {
                    "list" | "set" | "map" => {
                        let required: &[&str] = if ty == "map" {
                            &["key", "value"]
                        } else {
                            &["member"]
                        };
                        let missing: Vec<&str> = required
                            .iter()
                            .copied()
                            .filter(|r| !members_json.contains_key(*r))
                            .collect();
                        if mixins.is_empty() && !missing.is_empty() {
                            let noun = if missing.len() == 1 {
                                "member"
                            } else {
                                "members"
                            };
                            return Err(err(
                                file,
                                shape.pos,
                                format!(
                                    "Missing required {noun} of shape `{id}`: {}",
                                    missing.join(", ")
                                ),
                            ));
                        }
                        obj.extend(members_json);
                    }
                    _ => {
                        if matches!(ty, "enum" | "intEnum")
                            && members_json.is_empty()
                            && mixins.is_empty()
                        {
                            return Err(err(
                                file,
                                shape.pos,
                                format!("{ty} shape `{id}` must have at least one member"),
                            ));
                        }
                        obj.insert("members".to_string(), Value::Object(members_json));
                    }
                }
            }
            Body::Properties(entries, pos) => {
                let service = shape.type_name == "service";
                obj.extend(self.properties_json(file, id, service, entries, *pos, is_mixin)?);
            }
            Body::Operation {
                input,
                output,
                errors,
            } => {
                let ns = file.namespace.as_deref().unwrap_or_default();
                let io = |r: &Option<IoRef>| -> RResult<String> {
                    Ok(match r {
                        None => "smithy.api#Unit".to_string(),
                        Some(IoRef::Target(raw, pos)) => self.resolve_strict(file, raw, *pos)?,
                        Some(IoRef::Inline(name)) => format!("{ns}#{name}"),
                    })
                };
                let (input_id, output_id) = (io(input)?, io(output)?);
                if is_mixin && (input.is_some() || output.is_some()) {
                    return Err(err(
                        file,
                        shape.pos,
                        format!(
                            "Operation shapes with the mixin trait MUST target `smithy.api#Unit` for their input \
                             and output. Operation mixin shape `{id}` defines one or both of these properties."
                        ),
                    ));
                }
                obj.insert("input".to_string(), json!({ "target": input_id }));
                obj.insert("output".to_string(), json!({ "target": output_id }));
                if let Some(errors) = errors {
                    let list = errors
                        .iter()
                        .map(|(raw, pos)| {
                            Ok(json!({ "target": self.resolve_strict(file, raw, *pos)? }))
                        })
                        .collect::<RResult<Vec<_>>>()?;
                    if !list.is_empty() {
                        obj.insert("errors".to_string(), Value::Array(list));
                    }
                }
            }
        }
        if !traits.is_empty() {
            obj.insert("traits".to_string(), Value::Object(traits));
        }
        Ok((Value::Object(obj), applies))
    }

    fn members_json(
        &self,
        file: &ParsedFile,
        shape: &ShapeDef,
        id: &str,
        members: &[MemberDef],
        applies: &mut Applies,
    ) -> RResult<Map<String, Value>> {
        let ty = shape.type_name.as_str();
        let mut out = Map::new();
        let inherited = if shape.mixins.is_empty() {
            Vec::new()
        } else {
            self.inherited(id, &mut HashSet::from([id.to_string()]))?
        };
        for (i, a) in inherited.iter().enumerate() {
            let conflict = inherited[..i]
                .iter()
                .find(|b| b.name == a.name && b.target != a.target);
            if let Some(b) = conflict {
                return Err(err(
                    file,
                    shape.pos,
                    format!(
                        "Member `{id}${}` conflicts with an inherited mixin member: `{}` targets `{}` but `{}` \
                         targets `{}`",
                        a.name, b.origin, b.target, a.origin, a.target
                    ),
                ));
            }
        }
        for member in members {
            let member_id = format!("{id}${}", member.name);
            if matches!(ty, "enum" | "intEnum") {
                let redefines = inherited.iter().any(|m| m.name == member.name);
                let json = self.enum_member_json(file, ty, member, &member_id, redefines)?;
                out.insert(member.name.clone(), json);
                continue;
            }
            match &member.target {
                Some((raw, pos)) => {
                    let target = self.resolve_strict(file, raw, *pos)?;
                    if let Some(conflict) = inherited
                        .iter()
                        .find(|m| m.name == member.name && m.target != target)
                    {
                        return Err(err(
                            file,
                            member.pos,
                            format!(
                                "Member `{member_id}` targeting `{target}` conflicts with an inherited mixin member: `{}` targeting `{}`",
                                conflict.origin, conflict.target
                            ),
                        ));
                    }
                    out.insert(
                        member.name.clone(),
                        self.member_json(file, member, &member_id, target)?,
                    );
                }
                None => {
                    let from_mixin = inherited.iter().find(|m| m.name == member.name);
                    let from_resource = self.resource_member(file, shape, &member.name)?;
                    if let (Some(m), Some(r)) = (from_mixin, &from_resource) {
                        if m.target != *r {
                            return Err(err(
                                file,
                                member.pos,
                                format!(
                                    "{member_id}: Member conflicts with an inherited mixin member: `{}` targets \
                                     `{}` but the bound resource's `{}` targets `{r}`",
                                    m.origin, m.target, member.name
                                ),
                            ));
                        }
                    }
                    if from_mixin.is_some() {
                        let traits = self.traits_json(file, &member.traits, &member_id)?;
                        if !traits.is_empty() {
                            applies.push((member_id, traits));
                        }
                    } else if let Some(target) = from_resource {
                        out.insert(
                            member.name.clone(),
                            self.member_json(file, member, &member_id, target)?,
                        );
                    } else {
                        return Err(err(
                            file,
                            member.pos,
                            format!(
                                "{member_id}: Member target was elided, but no bound resource or mixin contained a \
                                 matching identifier or member name."
                            ),
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    fn enum_member_json(
        &self,
        file: &ParsedFile,
        ty: &str,
        member: &MemberDef,
        member_id: &str,
        inherited: bool,
    ) -> RResult<Value> {
        let mut traits = self.traits_json(file, &member.traits, member_id)?;
        if let Some((node, pos)) = &member.assigned {
            let value = self.node_json(file, node)?;
            merge_trait(&mut traits, "smithy.api#enumValue", value)
                .map_err(|m| err(file, *pos, m))?;
        } else if inherited {
            // Redefines a member of a mixin: the value comes from the mixin.
            return Ok(json!({ "target": "smithy.api#Unit", "traits": traits }));
        } else if ty == "enum" && !traits.contains_key("smithy.api#enumValue") {
            traits.insert(
                "smithy.api#enumValue".to_string(),
                Value::String(member.name.clone()),
            );
        }
        let pos = member.assigned.as_ref().map_or(member.pos, |(_, p)| *p);
        match (ty, traits.get("smithy.api#enumValue")) {
            ("enum", Some(Value::String(s))) if !s.is_empty() => {}
            ("enum", Some(other)) => {
                return Err(err(
                    file,
                    pos,
                    format!("{member_id}: enum members can only be assigned non-empty string values, but found: {other}"),
                ))
            }
            ("intEnum", Some(Value::Number(n))) => {
                if !(n.is_i64() || n.is_u64()) {
                    return Err(err(
                        file,
                        pos,
                        format!("{member_id}: intEnum members do not support floating point values, but found: {n}"),
                    ));
                }
                if n.as_i64().and_then(|v| i32::try_from(v).ok()).is_none() {
                    return Err(err(
                        file,
                        pos,
                        format!("{member_id}: intEnum members must fit within an integer, but found: {n}"),
                    ));
                }
            }
            ("intEnum", Some(other)) => {
                return Err(err(
                    file,
                    pos,
                    format!("{member_id}: intEnum members require integer values, but found: {other}"),
                ))
            }
            ("intEnum", None) => {
                return Err(err(file, pos, format!("{member_id}: intEnum members require integer values, but none was given")))
            }
            _ => {}
        }
        Ok(json!({ "target": "smithy.api#Unit", "traits": traits }))
    }

    fn properties_json(
        &self,
        file: &ParsedFile,
        id: &str,
        service: bool,
        entries: &[(String, Node)],
        body_pos: Pos,
        is_mixin: bool,
    ) -> RResult<Map<String, Value>> {
        let mut obj = Map::new();
        if !service && is_mixin && !entries.is_empty() {
            return Err(err(
                file,
                body_pos,
                format!(
                    "Resource shapes with the mixin trait may not define any properties. Resource mixin shape \
                     `{id}` defines one or more properties."
                ),
            ));
        }
        let id_of = |key: &str, node: &Node| -> RResult<String> {
            match node {
                Node::Str(raw) | Node::Id(raw, _) => self.resolve_strict(file, raw, body_pos),
                other => Err(err(
                    file,
                    body_pos,
                    format!(
                        "Expected a shape id for `{key}` of `{id}`, but found {}",
                        describe_node(other)
                    ),
                )),
            }
        };
        let id_list = |key: &str, node: &Node| -> RResult<Value> {
            let Node::Array(items) = node else {
                return Err(err(
                    file,
                    body_pos,
                    format!(
                        "Expected a list of shape ids for `{key}` of `{id}`, but found {}",
                        describe_node(node)
                    ),
                ));
            };
            let list = items
                .iter()
                .map(|i| Ok(json!({ "target": id_of(key, i)? })))
                .collect::<RResult<Vec<_>>>()?;
            Ok(Value::Array(list))
        };
        let id_map = |key: &str, node: &Node| -> RResult<Value> {
            let Node::Object(items) = node else {
                return Err(err(
                    file,
                    body_pos,
                    format!(
                        "Expected an object for `{key}` of `{id}`, but found {}",
                        describe_node(node)
                    ),
                ));
            };
            let mut map = Map::new();
            for (name, value) in items {
                map.insert(name.clone(), json!({ "target": id_of(key, value)? }));
            }
            Ok(Value::Object(map))
        };
        for (key, node) in entries {
            let value = match (service, key.as_str()) {
                (true, "version") => match node {
                    Node::Str(s) => Value::String(s.clone()),
                    other => {
                        return Err(err(
                            file,
                            body_pos,
                            format!(
                                "Expected a string for the version of `{id}`, but found {}",
                                describe_node(other)
                            ),
                        ))
                    }
                },
                (true, "operations" | "resources" | "errors")
                | (false, "operations" | "resources" | "collectionOperations") => {
                    id_list(key, node)?
                }
                (true, "rename") => self.node_json(file, node)?,
                (false, "identifiers") => id_map(key, node)?,
                (false, "properties") => {
                    if file.version == Version::V1 {
                        return Err(err(
                            file,
                            body_pos,
                            format!(
                                "Resource properties can only be used with Smithy version 2 or later. Attempted to \
                                 use resource properties with version `1.0` on `{id}`."
                            ),
                        ));
                    }
                    id_map(key, node)?
                }
                (false, "put" | "create" | "read" | "update" | "delete" | "list") => {
                    json!({ "target": id_of(key, node)? })
                }
                // Unknown properties are only a warning in Smithy; they are dropped.
                _ => continue,
            };
            obj.insert(key.clone(), value);
        }
        Ok(obj)
    }
}
