//! The built-in language, registered through the public extension API.
//!
//! Nothing here reaches into private state: each module calls the same
//! `CompilationContext::register_*` methods an external extension calls.

pub mod builtins;
pub mod containers;
pub mod datetime;
pub mod enums;
pub mod ffi;
pub mod math;
pub mod primitives;
pub mod scalar_types;
pub mod signals;
pub mod structs;

use crate::diagnostics::Result;
use crate::registry::CompilationContext;

/// Registers every built-in.
pub fn register_defaults(ctx: &mut CompilationContext) -> Result<()> {
    primitives::register(ctx);
    signals::register(ctx)?;
    containers::register(ctx);
    builtins::register(ctx);
    math::register(ctx);
    datetime::register(ctx)?;
    Ok(())
}
