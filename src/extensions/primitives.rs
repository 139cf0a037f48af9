//! `int`, `float` and `bool` annotations.

use crate::registry::{CompilationContext, TypeHandler};
use crate::types::Ty;

/// Registers the scalar types.
pub fn register(ctx: &mut CompilationContext) {
    for (annotation, ty) in [("int", Ty::Int), ("float", Ty::Float), ("bool", Ty::Bool)] {
        ctx.register_type(TypeHandler::new(annotation, ty, 100));
    }
}
