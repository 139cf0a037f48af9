//! Enums: named int64 constants (`Side.BUY`), registered from Rust or from
//! a `--types` file. The enum's name is also a type annotation
//! (`side: Signal[Side]`), an int on the ABI, so `side == Side.BUY`
//! type-checks as a comparison of ints.
//!
//! An enum may declare its width (`int8` … `int64`, or unsigned): the C
//! type a host's struct stores it in. A struct field that a `--types` file
//! types as the enum is stored at that width (loads widen, stores keep the
//! low bits, as for any `int8` … field). Inputs, outputs and scalar state
//! of an enum type stay 8-byte int64 cells, as every slot is (design.md
//! §2), so a width changes nothing there; every member must fit the width.
//!
//! ```
//! use cfuncc::extensions::enums::EnumType;
//! use cfuncc::types::Storage;
//! let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
//! ctx.register_enum(EnumType::new("Side", &[("BUY", 1), ("SELL", -1)]).with_width(Storage::Int8)).unwrap();
//! assert!(ctx.attribute("Side.SELL").is_some());
//! // A member is a constant where a literal is required (`State[Side] = Side.SELL`).
//! assert_eq!(ctx.attribute_constant("Side.SELL"), Some(&cfuncc::types::ConstValue::Int(-1)));
//! assert!(ctx.register_enum(EnumType::new("Big", &[("X", 300)]).with_width(Storage::Int8)).is_err());
//! ```

use crate::diagnostics::{Error, Result};
use crate::registry::{AttributeHandler, CompilationContext, TypeHandler};
use crate::types::{ConstValue, Storage, Ty};
use std::path::Path;
use std::sync::Arc;

/// An enum: a name, its members' int64 values and its width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    /// The enum's name as written in Python (`Side`).
    pub name: String,
    /// Members in declaration order: name and value.
    pub members: Vec<(String, i64)>,
    /// The C type a host stores it in: an integer [`Storage`], `int64` by
    /// default. It is the storage of a struct field of this type.
    pub width: Storage,
}

impl EnumType {
    /// An int64 enum with these members.
    pub fn new(name: &str, members: &[(&str, i64)]) -> EnumType {
        EnumType {
            name: name.into(),
            members: members.iter().map(|(m, v)| (m.to_string(), *v)).collect(),
            width: Storage::Int64,
        }
    }

    /// The same enum stored as `width` (`int8` … `int64`, `uint8` …
    /// `uint64`).
    pub fn with_width(mut self, width: Storage) -> EnumType {
        self.width = width;
        self
    }
}

/// Whether `v` is a value of the integer storage `s`.
fn fits(s: Storage, v: i64) -> bool {
    let bits = 8 * s.size() as u32;
    if s.is_signed() {
        bits == 64 || (-(1i64 << (bits - 1))..(1i64 << (bits - 1))).contains(&v)
    } else {
        v >= 0 && (bits == 64 || v < 1i64 << bits)
    }
}

impl CompilationContext {
    /// Registers an enum: its name as an int-valued type annotation and
    /// each member `Name.MEMBER` as an int constant. A name that is already
    /// a type, a repeated member, a width that is not an integer storage
    /// or a member outside the width is an error.
    pub fn register_enum(&mut self, e: EnumType) -> Result<()> {
        let ident = |s: &str| {
            !s.is_empty()
                && !s.starts_with(|c: char| c.is_ascii_digit())
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if !ident(&e.name) {
            return Err(Error::Usage(format!(
                "enum name '{}' is not a Python identifier",
                e.name
            )));
        }
        if self.type_for(&e.name).is_some() {
            return Err(Error::Usage(format!(
                "enum '{}' clashes with a registered type",
                e.name
            )));
        }
        for (i, (m, _)) in e.members.iter().enumerate() {
            if !ident(m) {
                return Err(Error::Usage(format!(
                    "enum member '{}.{m}' is not a Python identifier",
                    e.name
                )));
            }
            if e.members[..i].iter().any(|(n, _)| n == m) {
                return Err(Error::Usage(format!(
                    "enum member '{}.{m}' is declared twice",
                    e.name
                )));
            }
        }
        if !e.width.is_int() {
            return Err(Error::Usage(format!(
                "enum '{}': width {} is not an integer type (int8, int16, int32, int64, uint8, uint16, uint32, uint64)",
                e.name, e.width
            )));
        }
        if let Some((m, v)) = e.members.iter().find(|(_, v)| !fits(e.width, *v)) {
            return Err(Error::Usage(format!(
                "enum member '{}.{m}' = {v} does not fit the enum's width {}",
                e.name, e.width
            )));
        }
        self.register_type(TypeHandler::new(&e.name, Ty::Int, 200).field_storage(e.width));
        self.register_attribute_namespace(&e.name);
        for (m, v) in e.members {
            let name = format!("{}.{m}", e.name);
            // A constant too: `held: State[Side] = Side.BUY`.
            self.register_attribute_constant(&name, ConstValue::Int(v));
            self.register_attribute(AttributeHandler {
                name,
                ty: Ty::Int,
                lower: Arc::new(move |b| b.const_i64(v)),
            });
        }
        Ok(())
    }

    /// Registers the types described by a `--types` JSON file:
    /// `{"enums": {"Side": {"BUY": 1, "SELL": -1}, "Flag": {"type": "uint8",
    /// "members": {"ON": 1}}}, "structs": {"Quote":
    /// {"size": 16, "fields": [{"name": "bid", "type": "float", "offset": 0}, ...]}},
    /// "scalar_types": {"OrderId": "int", "Qty": {"repr": "float", ...}}}`
    /// (scalar types: see [`crate::extensions::scalar_types`]).
    pub fn load_types_file(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Usage(format!("--types {}: {e}", path.display())))?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::Usage(format!("--types {}: not JSON: {e}", path.display())))?;
        self.load_types(&json, &format!("--types {}", path.display()))
    }

    /// Registers the types of a `--types` document already parsed (as
    /// [`CompilationContext::load_types_file`]); `origin` names it in errors.
    pub fn load_types(&mut self, json: &serde_json::Value, origin: &str) -> Result<()> {
        let bad = |what: String| Error::Usage(format!("{origin}: {what}"));
        let top = json
            .as_object()
            .ok_or_else(|| bad("expected a JSON object".into()))?;
        for (key, value) in top {
            match key.as_str() {
                "enums" => {
                    let enums = value.as_object().ok_or_else(|| {
                        bad("\"enums\" must map enum names to {member: int}".into())
                    })?;
                    for (name, spec) in enums {
                        let (members, width) = match spec.get("members") {
                            // {"type": "int8", "members": {...}}: a width.
                            Some(m) if m.is_object() => {
                                let width = match spec.get("type") {
                                    None => Storage::Int64,
                                    Some(t) => t
                                        .as_str()
                                        .and_then(Storage::from_name)
                                        .filter(|s| s.is_int())
                                        .ok_or_else(|| {
                                            bad(format!(
                                                "enum '{name}': \"type\" must be int8, int16, int32, int64, uint8, uint16, uint32 or uint64, not {t}"
                                            ))
                                        })?,
                                };
                                if let Some(k) = spec
                                    .as_object()
                                    .and_then(|o| o.keys().find(|k| !["type", "members"].contains(&k.as_str())))
                                {
                                    return Err(bad(format!(
                                        "enum '{name}': unknown key \"{k}\"; expected \"type\" and \"members\""
                                    )));
                                }
                                (m, width)
                            }
                            _ => (spec, Storage::Int64),
                        };
                        let members = members
                            .as_object()
                            .ok_or_else(|| {
                                bad(format!("enum '{name}' must map member names to ints"))
                            })?
                            .iter()
                            .map(|(m, v)| {
                                v.as_i64().map(|v| (m.clone(), v)).ok_or_else(|| {
                                    bad(format!("{name}.{m} must be an int64, not {v}"))
                                })
                            })
                            .collect::<Result<Vec<_>>>()?;
                        self.register_enum(EnumType {
                            name: name.clone(),
                            members,
                            width,
                        })
                        .map_err(|e| bad(e.to_string()))?;
                    }
                }
                "structs" => {
                    for def in super::structs::parse_structs(self, value).map_err(bad)? {
                        self.register_struct(def).map_err(|e| bad(e.to_string()))?;
                    }
                }
                "scalar_types" => super::scalar_types::load_section(self, value).map_err(bad)?,
                other => {
                    return Err(bad(format!(
                        "unknown section \"{other}\"; expected \"enums\", \"structs\" or \"scalar_types\""
                    )))
                }
            }
        }
        Ok(())
    }
}
