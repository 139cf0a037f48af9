//! The manifest written beside each `.so` (design.md §7).

use super::CompilationResult;
use serde_json::{json, Value};

pub use cfuncc_host::abi::{schema_major, SCHEMA_VERSION};

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
            crate::types::CTy::Array(a) => vec![a.elem],
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
        "schema_version": SCHEMA_VERSION,
        "function": sig.function,
        "native_name": r.native_name,
        "semantic_key": r.semantic_key,
        "fault_symbol": r.fault_symbol,
        "layout_symbol": r.layout_symbol,
        // What the code needs of the CPU: `cfuncc run` refuses a .so built
        // for features this machine lacks.
        "target": {"cpu": r.target.0, "features": r.target.1},
        // The state slot of the instance's fault cell (the last one).
        "fault_slot": sig.fault_slot(),
        "abi": r.abi,
        "inputs": sig.inputs.iter().map(|i| json!({"name": i.name, "type": i.ty.python_name(), "category": i.category})).collect::<Vec<_>>(),
        // The ABI parameters after the prefix, by source category; a host
        // fills `values` with one pointer per input of the category.
        "categories": categories(&r.categories),
        // `cell_size`: the bytes behind `outputs[i]`. The seed's hosts give
        // 8-byte cells, which hold every output but a struct.
        "outputs": sig.outputs.iter().map(|o| json!({"name": o.name, "type": o.ty.python_name(), "cell_size": cell_size(o.ty)})).collect::<Vec<_>>(),
        // The seed's result fields, with the seed's meanings.
        "named_outputs": r.named_outputs().map(|v| v.into_iter().map(|(n, t)| (n, Value::from(t.python_name()))).collect::<serde_json::Map<_, _>>()),
        "ordered_input_signals": r.ordered_input_signals(),
        "output_types": r.output_types().iter().map(|t| t.python_name()).collect::<Vec<_>>(),
        "state_values": r.state_values(),
        "nrt_state_indices": r.nrt_state_indices(),
        "state": sig.state.iter().map(|s| match s.container {
            // A container slot holds the container's pointer: NULL until
            // START, NULL again after STOP.
            Some(c) => json!({
                "name": s.name, "type": c.python_name(), "slot": s.slot, "initial": null, "kind": "container",
                "element_types": match c {
                    crate::types::CTy::List(t) => json!([t.python_name()]),
                    crate::types::CTy::Dict(k, v) => json!([k.python_name(), v.python_name()]),
                    crate::types::CTy::Array(a) => json!([a.elem.python_name()]),
                },
            }),
            // An array slot points at host memory of `size` bytes (`length`
            // elements of `element_type`: 8 bytes each, a bool 1), which
            // START zero-fills; `initial` is the value of every element.
            None if s.array.is_some() => {
                let a = s.array.expect("checked");
                json!({
                    "name": s.name, "type": crate::types::CTy::Array(a).python_name(), "slot": s.slot,
                    "initial": state_value(s), "kind": "array", "element_type": a.elem.python_name(),
                    "length": a.length, "size": a.byte_size(),
                })
            }
            // A struct slot points at host memory of `size` bytes, which
            // START zero-fills and then writes the initializer's fields to:
            // `initial` by field, `initial_bytes` as the whole buffer (hex),
            // for a host that copies it in before START.
            None if s.ty.as_struct().is_some() => json!({
                "name": s.name, "type": s.ty.python_name(), "slot": s.slot, "initial": state_value(s), "kind": "struct",
                "size": s.ty.as_struct().map(|d| d.size), "initial_bytes": struct_bytes(s),
            }),
            None => json!({
                "name": s.name, "type": s.ty.python_name(), "slot": s.slot, "initial": s.initial.to_json(), "kind": "scalar"
            }),
        }).collect::<Vec<_>>(),
        "struct_state_indices": r.struct_state_indices(),
        "struct_state_sizes": r.struct_state_sizes(),
        "structs": structs,
        "scalar_types": scalars,
        // The seed's `metadata` holds its categories' fields; here they
        // stand beside what the registered signal processors attached.
        "metadata": metadata(r),
        // The C functions the .so imports, which the host process must
        // provide (externs linked from bitcode are not listed).
        "externs": r.imported_externs.iter().map(|e| json!({
            "name": e.name, "symbol": e.symbol, "c": e.c_signature(),
            "params": e.params.iter().map(|t| t.python_name()).collect::<Vec<_>>(),
            "returns": e.ret.map(|t| t.python_name()), "pure": e.pure,
        })).collect::<Vec<_>>(),
        "options": options(r),
    })
}

/// The manifest's `options`: design.md's three, and the pass pipeline and
/// the disabled passes when given.
fn options(r: &CompilationResult) -> Value {
    let mut o = json!({"opt_level": r.options.opt_level.as_u8(), "fastmath": r.options.fastmath, "force_inline": r.options.force_inline});
    if let Some(p) = &r.options.pass_pipeline {
        o["pass_pipeline"] = json!(p);
    }
    if !r.options.disable_passes.is_empty() {
        o["disable_passes"] = json!(r.options.disable_passes);
    }
    o
}

/// A struct's layout as the manifest and `--types` files write it:
/// `{"size": N, "fields": [{"name", "type", "offset", "storage"}]}`, where
/// `type` is the value type (`int`, `float`, `bool`, a scalar type) and
/// `storage` how the struct holds it (`int8` … `uint64`, `float32`,
/// `float64`, `bool`; schema 1.2).
pub fn struct_layout(def: &crate::types::StructDef) -> Value {
    json!({
        "size": def.size,
        "fields": def.fields.iter().map(|f| json!({
            "name": f.name, "type": f.ty.python_name(), "offset": f.offset, "storage": f.storage.name(),
        })).collect::<Vec<_>>(),
    })
}

/// The ABI parameters after the prefix, by source category (the manifest's
/// `categories`, also part of the `.so`'s layout).
pub fn categories(cats: &[crate::registry::SourceCategory]) -> Value {
    cats.iter()
        .map(|c| {
            json!({
                "id": c.id,
                "params": c.params.iter().map(|(p, t)| json!({"name": p, "type": match t {
                    crate::registry::AbiType::Ptr => "ptr",
                    crate::registry::AbiType::I8 => "i8",
                }})).collect::<Vec<_>>(),
                "values": c.inputs.as_ref().map(|i| i.values.clone()),
                "ticked": c.inputs.as_ref().and_then(|i| i.ticked.clone()),
                "valid": c.inputs.as_ref().and_then(|i| i.valid.clone()),
            })
        })
        .collect()
}

/// The bytes behind an output pointer: 8 for a scalar, a struct's size.
pub fn cell_size(ty: crate::types::Ty) -> usize {
    ty.as_struct().map_or(8, |d| d.size)
}

/// A state slot's initial value as the seed's `state_values` lists it: the
/// value of a scalar, `{field: value}` of every field of a struct (zero
/// where its initializer gives none), `null` for a container, the value of
/// every element (its type's zero) for an array.
pub fn state_value(s: &crate::abi::signature::StateSpec) -> Value {
    if s.container.is_some() {
        return Value::Null;
    }
    if let Some(a) = s.array {
        // Zero-filled: every element is its type's zero (the seed gives 0).
        return crate::types::ConstValue::zero(a.elem).to_json();
    }
    match s.ty.as_struct() {
        Some(def) => def
            .fields
            .iter()
            .map(|f| {
                let given = s.struct_init.iter().find(|(n, _)| *n == f.name);
                // What the field reads back: the value stored at its width.
                let v = match given {
                    Some((_, c)) => f.stored(c).to_json(),
                    None => crate::types::ConstValue::zero(f.ty).to_json(),
                };
                (f.name.clone(), v)
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
        None => s.initial.to_json(),
    }
}

/// A struct state's initial bytes (what START leaves in the buffer), as
/// lowercase hex; `null` for other slots.
fn struct_bytes(s: &crate::abi::signature::StateSpec) -> Value {
    let Some(def) = s.ty.as_struct() else {
        return Value::Null;
    };
    let mut bytes = vec![0u8; def.size];
    for (name, c) in &s.struct_init {
        let f = def.field(name).expect("the signature checked the field");
        f.storage.store(c.to_cell(), &mut bytes[f.offset..]);
    }
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
        .into()
}

/// The manifest's `metadata`: the seed's category fields
/// (`ordered_input_signals`, `state_values`, `nrt_state_indices`,
/// `struct_state_indices`, `struct_state_sizes`) and what the signal
/// processors attached (`{processor: {input: value}}`).
fn metadata(r: &CompilationResult) -> Value {
    let mut m = r.metadata.clone();
    m.insert(
        "ordered_input_signals".into(),
        json!(r.ordered_input_signals()),
    );
    m.insert("state_values".into(), json!(r.state_values()));
    m.insert("nrt_state_indices".into(), json!(r.nrt_state_indices()));
    m.insert(
        "struct_state_indices".into(),
        json!(r.struct_state_indices()),
    );
    m.insert("struct_state_sizes".into(), json!(r.struct_state_sizes()));
    Value::Object(m)
}

/// The `.so`'s self-description, returned by its exported
/// `<native_name>_layout` as JSON text: the semantic key and every slot's
/// kind, which the runner checks against a manifest before the first call
/// (`{"layout": 1, "semantic_key", "inputs": ["int", "struct:32"], "outputs":
/// [..], "state": ["scalar", "container", "struct:32", "array:128"], "fault_slot",
/// "target": {"cpu", "features"}, "categories"}`): the runner also refuses a `.so` whose
/// target features this machine lacks.
pub fn layout(
    key: &str,
    sig: &crate::abi::signature::NodeSignature,
    cats: &[crate::registry::SourceCategory],
    target: (&str, &str),
) -> Value {
    let slot = |ty: crate::types::Ty| match ty.as_struct() {
        Some(d) => format!("struct:{}", d.size),
        None => ty.payload().python_name().to_string(),
    };
    json!({
        "layout": 1,
        "semantic_key": key,
        "inputs": sig.inputs.iter().map(|i| slot(i.ty)).collect::<Vec<_>>(),
        "outputs": sig.outputs.iter().map(|o| slot(o.ty)).collect::<Vec<_>>(),
        "state": sig.state.iter().map(|s| match (s.container, s.array, s.ty.as_struct()) {
            (Some(_), _, _) => "container".to_string(),
            (None, Some(a), _) => format!("array:{}", a.byte_size()),
            (None, None, Some(d)) => format!("struct:{}", d.size),
            (None, None, None) => "scalar".to_string(),
        }).collect::<Vec<_>>(),
        "fault_slot": sig.fault_slot(),
        "target": {"cpu": target.0, "features": target.1},
        "categories": categories(cats),
    })
}
