//! The manifest written beside each `.so` (design.md §7).

use crate::CompilationResult;
use serde_json::{json, Value};

/// The manifest of a compilation.
pub fn to_json(r: &CompilationResult) -> Value {
    let sig = &r.signature;
    // Every struct the interface uses, with its layout, so a host (and
    // `cfuncc run`) can allocate and fill its buffers.
    let mut structs = serde_json::Map::new();
    let types = sig
        .inputs
        .iter()
        .map(|i| i.ty)
        .chain(sig.outputs.iter().map(|o| o.ty))
        .chain(sig.state.iter().map(|s| s.ty));
    // And every user-defined scalar type, with the built-in type it is
    // carried as: `{"Price": "int"}`.
    let mut scalars = serde_json::Map::new();
    let elements = sig
        .state
        .iter()
        .filter_map(|s| s.container)
        .flat_map(|c| match c {
            crate::types::CTy::List(t) => vec![t],
            crate::types::CTy::Dict(k, v) => vec![k, v],
        });
    for ty in types.chain(elements) {
        match ty {
            crate::types::Ty::Struct(def) => {
                structs.insert(def.name.clone(), struct_layout(def));
                for f in &def.fields {
                    if let crate::types::Ty::Scalar(s) = f.ty {
                        scalars.insert(s.name.clone(), s.repr.python_name().into());
                    }
                }
            }
            crate::types::Ty::Scalar(s) => {
                scalars.insert(s.name.clone(), s.repr.python_name().into());
            }
            _ => {}
        }
    }
    json!({
        "function": sig.function,
        "native_name": r.native_name,
        "semantic_key": r.semantic_key,
        "fault_symbol": r.fault_symbol,
        "abi": r.abi,
        "inputs": sig.inputs.iter().map(|i| json!({"name": i.name, "type": i.ty.python_name(), "category": i.category})).collect::<Vec<_>>(),
        // The ABI parameters after the prefix, by source category; a host
        // fills `values` with one pointer per input of the category.
        "categories": r.categories.iter().map(|c| json!({
            "id": c.id,
            "params": c.params.iter().map(|(p, t)| json!({"name": p, "type": match t { crate::context::AbiType::Ptr => "ptr", crate::context::AbiType::I8 => "i8" }})).collect::<Vec<_>>(),
            "values": c.inputs.as_ref().map(|i| i.values.clone()),
            "ticked": c.inputs.as_ref().and_then(|i| i.ticked.clone()),
            "valid": c.inputs.as_ref().and_then(|i| i.valid.clone()),
        })).collect::<Vec<_>>(),
        "outputs": sig.outputs.iter().map(|o| json!({"name": o.name, "type": o.ty.python_name()})).collect::<Vec<_>>(),
        "named_outputs": sig.named_outputs,
        "state": sig.state.iter().map(|s| match s.container {
            // A container slot holds the container's pointer: NULL until
            // START, NULL again after STOP.
            Some(c) => json!({
                "name": s.name, "type": c.python_name(), "slot": s.slot, "initial": null, "kind": "container",
                "element_types": match c {
                    crate::types::CTy::List(t) => json!([t.python_name()]),
                    crate::types::CTy::Dict(k, v) => json!([k.python_name(), v.python_name()]),
                },
            }),
            // A struct slot points at host memory of `size` bytes, which
            // START zero-fills.
            None if s.ty.as_struct().is_some() => json!({
                "name": s.name, "type": s.ty.python_name(), "slot": s.slot, "initial": null, "kind": "struct",
                "size": s.ty.as_struct().map(|d| d.size),
            }),
            None => json!({
                "name": s.name, "type": s.ty.python_name(), "slot": s.slot, "initial": s.initial.to_json(), "kind": "scalar"
            }),
        }).collect::<Vec<_>>(),
        "struct_state_indices": r.struct_state_indices(),
        "struct_state_sizes": r.struct_state_sizes(),
        "structs": structs,
        "scalar_types": scalars,
        "metadata": r.metadata,
        // The C functions the .so imports, which the host process must
        // provide (externs linked from bitcode are not listed).
        "externs": r.imported_externs.iter().map(|e| json!({
            "name": e.name, "symbol": e.symbol, "c": e.c_signature(),
            "params": e.params.iter().map(|t| t.python_name()).collect::<Vec<_>>(),
            "returns": e.ret.map(|t| t.python_name()), "pure": e.pure,
        })).collect::<Vec<_>>(),
        "options": {"opt_level": r.options.opt_level, "fastmath": r.options.fastmath, "force_inline": r.options.force_inline},
    })
}

/// A struct's layout as the manifest and `--types` files write it:
/// `{"size": N, "fields": [{"name", "type", "offset"}]}`.
pub fn struct_layout(def: &crate::types::StructDef) -> Value {
    json!({
        "size": def.size,
        "fields": def.fields.iter().map(|f| json!({"name": f.name, "type": f.ty.python_name(), "offset": f.offset})).collect::<Vec<_>>(),
    })
}
