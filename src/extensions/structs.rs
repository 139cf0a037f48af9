//! Structs: host-defined layouts (fields with names, types, byte offsets
//! and storage), registered from Rust or from a `--types` file. A struct
//! input is a pointer to the host's struct; its fields are read and written
//! at their offsets in any expression position (see `frontend/structs.rs`).
//!
//! A field is stored as one of `int8` … `uint64`, `float32`, `float64` or
//! `bool` ([`Storage`]), at any offset (packed and unaligned fields too):
//! reads widen to int64 or double, writes keep the low N bits or round to
//! float32, as ctypes does.
//!
//! ```
//! use cfuncc::types::{Storage, StructDef, StructField, Ty};
//! let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
//! let quote = ctx.register_struct(StructDef {
//!     name: "Quote".into(),
//!     size: 15,
//!     fields: vec![
//!         StructField::new("bid", Ty::Float, 0),
//!         StructField::new("ask", Ty::Float, 8).stored_as(Storage::Float32),
//!         StructField::new("size", Ty::Int, 12).stored_as(Storage::UInt16),
//!         StructField::new("live", Ty::Bool, 14),
//!     ],
//! }).unwrap();
//! assert_eq!(ctx.type_for("Quote"), Some(quote));
//! ```

use crate::diagnostics::{Error, Result};
use crate::registry::{CompilationContext, TypeHandler};
use crate::types::{a_ty, default_storage, Storage, StructDef, StructField, Ty};
use cfuncc_host::types::SlotType;

impl CompilationContext {
    /// Registers a struct layout; its name becomes a type annotation
    /// (`Signal[Quote]`, `State[Quote]`, `-> Signal[Quote]`). Fields must be
    /// int, float, bool, datetime, timedelta or another scalar type, stored
    /// as a storage of their kind (an int field as `int8` … `uint64`, a
    /// float field as `float32` or `float64`, a bool as `bool`), lie inside
    /// `size` and not overlap. Any offset is fine: nothing is assumed about
    /// alignment, of the fields or of the struct.
    pub fn register_struct(&mut self, def: StructDef) -> Result<Ty> {
        let bad = |m: String| Error::Usage(format!("struct '{}': {m}", def.name));
        if def.name.is_empty()
            || !def
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(bad("the name is not a Python identifier".into()));
        }
        if self.type_for(&def.name).is_some() {
            return Err(bad("clashes with a registered type".into()));
        }
        let mut spans: Vec<(usize, usize, &str)> = Vec::new();
        for (i, f) in def.fields.iter().enumerate() {
            if def.fields[..i].iter().any(|g| g.name == f.name) {
                return Err(bad(format!("field '{}' is declared twice", f.name)));
            }
            let fits = match f.ty.payload() {
                Ty::Bool => f.storage == Storage::Bool,
                Ty::Int => f.storage.is_int(),
                Ty::Float => f.storage.is_float(),
                Ty::Struct(_) | Ty::Scalar(_) => {
                    return Err(bad(format!(
                        "field '{}': nested structs are not supported",
                        f.name
                    )))
                }
            };
            if !fits {
                let kinds = match f.ty.payload() {
                    Ty::Bool => "bool",
                    Ty::Int => "int8, int16, int32, int64, uint8, uint16, uint32 or uint64",
                    _ => "float32 or float64",
                };
                return Err(bad(format!(
                    "field '{}' is {} but stored as {}; {} needs {kinds}",
                    f.name,
                    a_ty(f.ty),
                    f.storage,
                    a_ty(f.ty)
                )));
            }
            let width = f.storage.size();
            let end = f.offset.checked_add(width).filter(|&e| e <= def.size);
            let Some(end) = end else {
                return Err(bad(format!(
                    "field '{}' ({}, {width} bytes at offset {}) lies outside the struct's {} bytes",
                    f.name, f.storage, f.offset, def.size
                )));
            };
            if let Some((s, e, other)) = spans.iter().find(|(s, e, _)| f.offset < *e && *s < end) {
                return Err(bad(format!(
                    "field '{}' (bytes {}..{end}) overlaps field '{other}' (bytes {s}..{e})",
                    f.name, f.offset
                )));
            }
            spans.push((f.offset, end, &f.name));
        }
        // Types are `Copy` and live as long as the process: a layout is
        // interned, allocated once per distinct definition.
        let ty = Ty::Struct(crate::types::intern_struct(def));
        self.register_type(TypeHandler::new(ty.python_name(), ty, 200));
        Ok(ty)
    }
}

/// Reads a `--types` file's `"structs"` section:
/// `{"Quote": {"size": 24, "fields": [{"name": "bid", "type": "float", "offset": 0}, ...]}}`.
/// A field's `"type"` is a storage (`int8` … `uint64`, `float32`,
/// `float64`, `bool`: an int, float or bool field of that width) or a
/// registered type (`int`, `float`, `datetime`, an enum, a scalar type: its
/// default width, an enum's declared one); `"storage"` may give the width
/// beside a value type, as manifests write it.
pub(crate) fn parse_structs(
    ctx: &CompilationContext,
    section: &serde_json::Value,
) -> std::result::Result<Vec<StructDef>, String> {
    let structs = section
        .as_object()
        .ok_or("\"structs\" must map struct names to layouts")?;
    let mut defs = Vec::new();
    for (name, layout) in structs {
        let size = layout["size"]
            .as_u64()
            .ok_or(format!("struct '{name}' needs \"size\": bytes"))? as usize;
        let fields = layout["fields"]
            .as_array()
            .ok_or(format!(
                "struct '{name}' needs \"fields\": [{{\"name\", \"type\", \"offset\"}}]"
            ))?
            .iter()
            .map(|f| {
                let fname = f["name"]
                    .as_str()
                    .ok_or(format!("a field of '{name}' has no \"name\""))?;
                let tname = f["type"]
                    .as_str()
                    .ok_or(format!("{name}.{fname} has no \"type\""))?;
                let (ty, storage) = field_type(ctx, tname).ok_or_else(|| {
                    format!(
                        "{name}.{fname}: type '{tname}' is not a field type: {}, or a registered int, float or bool type ({})",
                        Storage::names(),
                        value_types(ctx)
                    )
                })?;
                // The manifest's form: "type" the value type, "storage" its width.
                let storage = match &f["storage"] {
                    serde_json::Value::Null => storage,
                    s => {
                        let given = s.as_str().and_then(Storage::from_name).ok_or(format!(
                            "{name}.{fname}: \"storage\" must be one of {}, not {s}",
                            Storage::names()
                        ))?;
                        if Storage::from_name(tname).is_some_and(|t| t != given) {
                            return Err(format!(
                                "{name}.{fname}: type '{tname}' and storage '{given}' disagree; give the width once"
                            ));
                        }
                        given
                    }
                };
                let offset = f["offset"]
                    .as_u64()
                    .ok_or(format!("{name}.{fname} has no \"offset\""))?
                    as usize;
                Ok(StructField::new(fname, ty, offset).stored_as(storage))
            })
            .collect::<std::result::Result<Vec<_>, String>>()?;
        defs.push(StructDef {
            name: name.clone(),
            size,
            fields,
        });
    }
    Ok(defs)
}

/// The value type and storage a `--types` field type name stands for: a
/// storage name (an int, float or bool field of that width), or a
/// registered non-struct type with its field storage.
fn field_type(ctx: &CompilationContext, name: &str) -> Option<(Ty, Storage)> {
    if let Some(h) = ctx.type_handler_named(name) {
        if h.ty.as_struct().is_none() {
            return Some((h.ty, h.field_storage.unwrap_or(default_storage(h.ty))));
        }
        return None;
    }
    let storage = Storage::from_name(name)?;
    let ty = match storage.value_type() {
        SlotType::Float => Ty::Float,
        SlotType::Bool => Ty::Bool,
        _ => Ty::Int,
    };
    Some((ty, storage))
}

/// The registered types a field may have, for messages.
fn value_types(ctx: &CompilationContext) -> String {
    let mut names: Vec<&str> = ctx
        .type_names()
        .into_iter()
        .filter(|n| ctx.type_for(n).is_some_and(|t| t.as_struct().is_none()))
        .collect();
    names.dedup();
    names.join(", ")
}
