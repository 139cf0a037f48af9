//! Typed lists and dicts: the `NumbaList[T]` / `NumbaDict[K, V]`
//! annotations (also Python's `list[T]` / `dict[K, V]`) and their
//! constructors `create_new_list(T)` / `create_new_dict(K, V)`; and
//! fixed-size arrays, the seed's `NumbaArray[T, N]` and
//! `create_new_array(T, N)`.
//!
//! The operations on a container (`xs.append(v)`, `d[k]`, `for k, v in
//! d.items()`, ...) belong to its kind and are lowered by
//! `frontend/containers.rs`; these registrations only say which names
//! stand for which kind.

use crate::registry::{CompilationContext, ContainerHandler, ContainerKind};

/// Registers the container annotations and constructors.
pub fn register(ctx: &mut CompilationContext) {
    for (name, kind, constructor) in [
        ("NumbaList", ContainerKind::List, Some("create_new_list")),
        ("NumbaDict", ContainerKind::Dict, Some("create_new_dict")),
        ("NumbaArray", ContainerKind::Array, Some("create_new_array")),
        ("list", ContainerKind::List, None),
        ("dict", ContainerKind::Dict, None),
    ] {
        ctx.register_container(ContainerHandler {
            name: name.into(),
            kind,
            // `State[NumbaList] = create_new_list(int)`; a bare `list` is
            // Python's untyped list, so it must say its element type.
            bare: constructor.is_some(),
            constructor: constructor.map(Into::into),
        });
    }
}
