//! The Smithy model as the generator sees it: shapes with their traits, loaded from JSON AST
//! documents (and, through [`crate::idl`], from `.smithy` files).

mod json_ast;
mod prelude;
mod shape;
mod to_json;
mod traits;

pub use json_ast::{load_documents, ModelDocument};
pub use prelude::UNIT;
pub use shape::{Member, Model, OperationShape, ResourceShape, ServiceShape, Shape, ShapeKind};
pub use to_json::to_json_ast;
pub use traits::{HttpTrait, PaginatedTrait, TimestampFormat, Traits};
