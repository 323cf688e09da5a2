//! A conservative estimate of the size in bytes of generated types, to keep enums small: an
//! error structure larger than [`BOX_ERRORS_OVER`] is boxed in its operation error enum's
//! variant, so that `Result<Output, SdkError<Error>>` stays small (clippy's `result_large_err`
//! and `large_enum_variant`), and a union variant larger than [`BOX_UNION_VARIANTS_OVER`] is
//! boxed in its union, as a user of the crate would want.

use std::collections::{BTreeMap, BTreeSet};

use super::{NamedKind, RustType, StructIr, UnionIr};

/// Error structures estimated larger than this are boxed in the operation error enums.
pub const BOX_ERRORS_OVER: usize = 96;

/// Union variants whose value is estimated larger than this are boxed, so that no variant is
/// much larger than the others: the `Unknown` variant holds nothing, and clippy's
/// `large_enum_variant` fires at a 200-byte difference. The estimate is an upper bound, so every
/// variant left unboxed is at most this large.
pub const BOX_UNION_VARIANTS_OVER: usize = 192;

/// Sizes (upper bounds, 64-bit targets) of the crate's structures and unions.
pub struct SizeEstimator<'a> {
    structs: BTreeMap<&'a str, &'a StructIr>,
    unions: BTreeMap<&'a str, &'a UnionIr>,
}

impl<'a> SizeEstimator<'a> {
    /// An estimator over the named types of a crate.
    pub fn new(
        structs: impl IntoIterator<Item = &'a StructIr>,
        unions: impl IntoIterator<Item = &'a UnionIr>,
    ) -> Self {
        Self {
            structs: structs
                .into_iter()
                .map(|s| (s.shape_id.as_str(), s))
                .collect(),
            unions: unions
                .into_iter()
                .map(|u| (u.shape_id.as_str(), u))
                .collect(),
        }
    }

    /// The estimated size of a structure (an error structure's metadata pointer included).
    pub fn structure(&self, s: &StructIr) -> usize {
        self.structure_inner(s, &mut BTreeSet::new())
    }

    /// The estimated size of a value of type `ty`.
    pub fn value_of(&self, ty: &RustType) -> usize {
        self.value(ty, &mut BTreeSet::new())
    }

    fn structure_inner(&self, s: &'a StructIr, seen: &mut BTreeSet<&'a str>) -> usize {
        if !seen.insert(s.shape_id.as_str()) {
            // A cycle goes through a box somewhere; the box is counted where it is.
            return 8;
        }
        let meta = if s.error_fault.is_some() { 8 } else { 0 };
        let size = s
            .members
            .iter()
            .map(|m| {
                if m.boxed {
                    8
                } else {
                    // `Option` may need a tag word when the type has no niche.
                    self.value(&m.ty, seen) + if m.optional { 8 } else { 0 }
                }
            })
            .sum::<usize>()
            + meta;
        seen.remove(s.shape_id.as_str());
        size
    }

    fn value(&self, ty: &RustType, seen: &mut BTreeSet<&'a str>) -> usize {
        match ty {
            RustType::Bool | RustType::I8 => 1,
            RustType::I16 => 2,
            RustType::I32 | RustType::F32 => 4,
            RustType::I64 | RustType::F64 => 8,
            RustType::String
            | RustType::BigInteger
            | RustType::BigDecimal
            | RustType::Blob
            | RustType::List { .. } => 24,
            RustType::ByteStream => 32,
            // A receiver (its decoder and buffered chunk) or a sender (an `Arc`).
            RustType::EventStream(_) => 96,
            RustType::DateTime => 16,
            RustType::Map { .. } => 48,
            RustType::Document => 56,
            RustType::Named { kind, shape, .. } => match kind {
                NamedKind::Enum => 32,
                NamedKind::IntEnum => 8,
                NamedKind::Struct => match self.structs.get(shape.as_str()) {
                    Some(s) => self.structure_inner(s, seen),
                    None => 8,
                },
                NamedKind::Union => match self.unions.get(shape.as_str()) {
                    Some(u) if seen.insert(u.shape_id.as_str()) => {
                        let largest = u
                            .variants
                            .iter()
                            .map(|v| {
                                if v.member.boxed {
                                    8
                                } else {
                                    self.value(&v.member.ty, seen)
                                }
                            })
                            .max()
                            .unwrap_or(0);
                        seen.remove(u.shape_id.as_str());
                        largest + 8
                    }
                    _ => 8,
                },
            },
        }
    }
}
