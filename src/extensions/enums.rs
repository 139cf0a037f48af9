//! Enums: named int64 constants (`Side.BUY`), registered from Rust or from
//! a `--types` file. The enum's name is also a type annotation
//! (`side: Signal[Side]`), an int on the ABI, so `side == Side.BUY`
//! type-checks as a comparison of ints.
//!
//! ```
//! use cfuncc::extensions::enums::EnumType;
//! let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
//! ctx.register_enum(EnumType { name: "Side".into(), members: vec![("BUY".into(), 1), ("SELL".into(), -1)] }).unwrap();
//! assert!(ctx.attribute("Side.SELL").is_some());
//! ```

use crate::diagnostics::{Error, Result};
use crate::registry::{AttributeHandler, CompilationContext, TypeHandler};
use crate::types::Ty;
use std::path::Path;
use std::sync::Arc;

/// An enum: a name and its members' int64 values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    /// The enum's name as written in Python (`Side`).
    pub name: String,
    /// Members in declaration order: name and value.
    pub members: Vec<(String, i64)>,
}

impl CompilationContext {
    /// Registers an enum: its name as an int-valued type annotation and
    /// each member `Name.MEMBER` as an int constant. A name that is already
    /// a type, or a repeated member, is an error.
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
        self.register_type(TypeHandler::new(&e.name, Ty::Int, 200));
        self.register_attribute_namespace(&e.name);
        for (m, v) in e.members {
            self.register_attribute(AttributeHandler {
                name: format!("{}.{m}", e.name),
                ty: Ty::Int,
                lower: Arc::new(move |b| b.const_i64(v)),
            });
        }
        Ok(())
    }

    /// Registers the types described by a `--types` JSON file:
    /// `{"enums": {"Side": {"BUY": 1, "SELL": -1}}, "structs": {"Quote":
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
                    for (name, members) in enums {
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
