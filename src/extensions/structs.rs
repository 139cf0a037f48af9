//! Structs: host-defined layouts (fields with names, types and byte
//! offsets), registered from Rust or from a `--types` file. A struct input
//! is a pointer to the host's struct; its fields are read and written at
//! their offsets in any expression position (see `frontend/structs.rs`).
//!
//! ```
//! use cfuncc::types::{StructDef, StructField, Ty};
//! let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
//! let quote = ctx.register_struct(StructDef {
//!     name: "Quote".into(),
//!     size: 24,
//!     fields: vec![
//!         StructField { name: "bid".into(), ty: Ty::Float, offset: 0 },
//!         StructField { name: "ask".into(), ty: Ty::Float, offset: 8 },
//!         StructField { name: "size".into(), ty: Ty::Int, offset: 16 },
//!     ],
//! }).unwrap();
//! assert_eq!(ctx.type_for("Quote"), Some(quote));
//! ```

use crate::diagnostics::{Error, Result};
use crate::registry::{CompilationContext, TypeHandler};
use crate::types::{StructDef, StructField, Ty};

impl CompilationContext {
    /// Registers a struct layout; its name becomes a type annotation
    /// (`Signal[Quote]`, `State[Quote]`, `-> Signal[Quote]`). Fields must be
    /// int, float, bool (one byte), datetime or timedelta, lie inside
    /// `size`, not overlap, and have 8-byte (bool: 1-byte) alignment.
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
            let width = match f.ty.payload() {
                Ty::Bool => 1,
                Ty::Int | Ty::Float | Ty::Scalar(_) => 8,
                Ty::Struct(_) => {
                    return Err(bad(format!(
                        "field '{}': nested structs are not supported",
                        f.name
                    )))
                }
            };
            if f.offset % width != 0 || f.offset + width > def.size {
                return Err(bad(format!(
                    "field '{}' at offset {} ({} bytes) is misaligned or outside the struct's {} bytes",
                    f.name, f.offset, width, def.size
                )));
            }
            if let Some((_, _, other)) = spans
                .iter()
                .find(|(s, e, _)| f.offset < *e && *s < f.offset + width)
            {
                return Err(bad(format!("field '{}' overlaps field '{other}'", f.name)));
            }
            spans.push((f.offset, f.offset + width, &f.name));
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
                let ty = ctx
                    .type_for(tname)
                    .filter(|t| t.as_struct().is_none())
                    .ok_or(format!(
                    "{name}.{fname}: type '{tname}' is not int, float, bool, datetime or timedelta"
                ))?;
                let offset = f["offset"]
                    .as_u64()
                    .ok_or(format!("{name}.{fname} has no \"offset\""))?
                    as usize;
                Ok(StructField {
                    name: fname.to_string(),
                    ty,
                    offset,
                })
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
