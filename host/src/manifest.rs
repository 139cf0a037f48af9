//! The parts of a node's manifest (docs/contracts.md) and of the `.so`'s own
//! description of its slots (`<native_name>_layout`) that a host reads,
//! deserialized with serde.
//!
//! Compatibility (docs/contracts.md, "Versioning"): within a major schema
//! version fields are only ever added, and a host ignores the fields it
//! does not know. So every struct here ignores unknown fields, a field
//! added after 1.0 is optional (`#[serde(default)]`), and
//! [`Manifest::from_json`] checks the major version before it reads
//! anything else.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::HashMap;

/// What a host reads of a manifest.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Manifest {
    /// `"MAJOR.MINOR"`; absent in manifests written before 1.1 (read as 1.0).
    #[serde(default)]
    pub schema_version: Option<String>,
    /// The exported node function.
    pub native_name: String,
    /// The node's semantic key.
    #[serde(default)]
    pub semantic_key: Option<String>,
    /// `int32_t *NAME_fault(void)`, the `.so`'s global fault record.
    #[serde(default)]
    pub fault_symbol: Option<String>,
    /// The state slot of the instance's fault cell (1.1).
    #[serde(default)]
    pub fault_slot: Option<u64>,
    /// The CPU and features the code was generated for (1.1).
    #[serde(default)]
    pub target: Option<Target>,
    /// The inputs, in ABI order.
    pub inputs: Vec<Input>,
    /// The outputs, in ABI order.
    pub outputs: Vec<Output>,
    /// The state slots, in slot order.
    #[serde(default)]
    pub state: Vec<State>,
    /// The ABI parameters after the prefix, by source category; absent:
    /// the signal category only ([`Category::signal`]).
    #[serde(default)]
    pub categories: Option<Vec<Category>>,
    /// The seed's `{name: type}` (or null); `true`/`false` in manifests
    /// written before 1.1.
    #[serde(default)]
    pub named_outputs: Option<NamedOutputs>,
    /// The layout of every struct the interface uses, by name.
    #[serde(default)]
    pub structs: HashMap<String, StructEntry>,
    /// Every user-defined scalar type, with the built-in type it is carried
    /// as (`{"Price": "int"}`).
    #[serde(default)]
    pub scalar_types: HashMap<String, String>,
    /// The C functions the `.so` imports from the host process.
    #[serde(default)]
    pub externs: Vec<Extern>,
}

/// `target`: what the code needs of the CPU.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Target {
    /// The CPU (`x86-64-v3`, `znver3`, ...).
    #[serde(default)]
    pub cpu: Option<String>,
    /// LLVM's feature string (`+avx2,-avx512f,...`).
    #[serde(default)]
    pub features: Option<String>,
}

/// One input.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Input {
    /// Its parameter name.
    #[serde(default)]
    pub name: String,
    /// Its type, as the manifest writes it (`float`, `Quote`, `Price`).
    #[serde(rename = "type")]
    pub ty: String,
    /// The source category that carries it.
    #[serde(default = "signal")]
    pub category: String,
}

fn signal() -> String {
    "signal".into()
}

/// One output.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Output {
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: String,
}

/// What a state slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StateKind {
    /// An 8-byte cell.
    Scalar,
    /// A container's pointer: NULL until START.
    Container,
    /// A pointer to host memory of the struct's size.
    Struct,
    /// A pointer to host memory of the array's `size` bytes (1.3).
    Array,
}

/// One state slot.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct State {
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its type.
    #[serde(rename = "type", default)]
    pub ty: String,
    /// What the slot holds.
    pub kind: StateKind,
    /// For a struct or array slot: the bytes behind the pointer.
    #[serde(default)]
    pub size: Option<u64>,
    /// For an array slot: the element type, `int`, `float` or `bool`
    /// (1.3).
    #[serde(default)]
    pub element_type: Option<String>,
    /// For an array slot: the number of elements (1.3).
    #[serde(default)]
    pub length: Option<u64>,
}

/// One source category: the ABI parameters after the prefix that carry its
/// inputs.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Category {
    /// `signal`, or an extension's.
    pub id: String,
    /// Its ABI parameters, in order.
    #[serde(default)]
    pub params: Vec<Param>,
    /// The parameter that gets one value pointer per input.
    #[serde(default)]
    pub values: Option<String>,
    /// The parameter that gets one ticked flag per input.
    #[serde(default)]
    pub ticked: Option<String>,
    /// The parameter that gets one valid flag per input.
    #[serde(default)]
    pub valid: Option<String>,
}

impl Category {
    /// The one category of a manifest without `categories`: the signal
    /// inputs, as the ABI's last three parameters.
    pub fn signal() -> Self {
        let ptr = |name: &str| Param {
            name: name.into(),
            ty: "ptr".into(),
        };
        Category {
            id: "signal".into(),
            params: vec![ptr("inputs"), ptr("input_ticked"), ptr("input_valid")],
            values: Some("inputs".into()),
            ticked: Some("input_ticked".into()),
            valid: Some("input_valid".into()),
        }
    }
}

/// One ABI parameter of a category.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Param {
    /// Its name.
    pub name: String,
    /// `ptr` or `i8`.
    #[serde(rename = "type")]
    pub ty: String,
}

/// `named_outputs`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum NamedOutputs {
    /// Manifests written before 1.1.
    Flag(bool),
    /// The seed's `{name: type}`.
    Names(serde_json::Map<String, Json>),
}

/// A struct's layout (`structs`, and the `--types` file's format).
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct StructEntry {
    /// Its size in bytes.
    pub size: usize,
    /// Its fields, in declaration order.
    pub fields: Vec<FieldEntry>,
}

/// One field of a [`StructEntry`].
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct FieldEntry {
    /// Its name.
    pub name: String,
    /// Its type (a scalar type).
    #[serde(rename = "type")]
    pub ty: String,
    /// Its byte offset.
    pub offset: usize,
    /// How it is stored (`int8` … `uint64`, `float32`, `float64`, `bool`;
    /// schema 1.2). Absent in older manifests: the type's default width.
    #[serde(default)]
    pub storage: Option<String>,
}

/// A C function the `.so` imports.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Extern {
    /// The symbol the `.so` imports.
    pub symbol: String,
    /// Its C prototype.
    #[serde(default)]
    pub c: String,
}

impl Manifest {
    /// Reads a manifest: first its schema version (any 1.x; none is 1.0),
    /// then the fields a host uses. An error names the offending field
    /// (`manifest: inputs[1].type: ...`).
    pub fn from_json(manifest: &Json) -> Result<Self> {
        let ours = crate::abi::SCHEMA_VERSION;
        if crate::abi::schema_major(manifest)
            != crate::abi::schema_major(&serde_json::json!({ "schema_version": ours }))
        {
            return Err(Error::Usage(format!(
                "manifest schema_version {} is not one this runner reads ({ours}: any 1.x)",
                manifest["schema_version"]
            )));
        }
        read(manifest, "manifest")
    }

    /// Whether outputs are reported by name.
    pub fn named_outputs(&self) -> bool {
        match self.named_outputs {
            Some(NamedOutputs::Flag(b)) => b,
            Some(NamedOutputs::Names(_)) => true,
            None => false,
        }
    }

    /// The source categories ([`Category::signal`] when it lists none).
    pub fn categories(&self) -> Vec<Category> {
        self.categories
            .clone()
            .unwrap_or_else(|| vec![Category::signal()])
    }
}

/// The `.so`'s own description of its slots, the JSON text its
/// `<native_name>_layout` returns: the manifest is checked against it
/// before the first call.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Layout {
    /// The description's version: 1.
    pub layout: u64,
    /// The node's semantic key.
    #[serde(default)]
    pub semantic_key: Option<String>,
    /// Per input: `int`, `float`, `bool` or `struct:SIZE`.
    pub inputs: Vec<String>,
    /// Per output, as for inputs.
    pub outputs: Vec<String>,
    /// Per state slot: `scalar`, `container` or `struct:SIZE`.
    pub state: Vec<String>,
    /// The state slot of the instance's fault cell.
    #[serde(default)]
    pub fault_slot: Option<u64>,
    /// What the code needs of the CPU.
    #[serde(default)]
    pub target: Option<Target>,
    /// The source categories.
    #[serde(default)]
    pub categories: Option<Vec<Category>>,
}

impl Layout {
    /// Reads the JSON text of `<native_name>_layout` (`what` names it in
    /// errors).
    pub fn from_text(text: &str, what: &str) -> Result<Self> {
        let json: Json = serde_json::from_str(text)
            .map_err(|e| Error::Usage(format!("{what}: not a layout: {e}")))?;
        read(&json, &format!("{what}: not a layout"))
    }
}

/// Deserializes `json`; an error names the field (`inputs[1].type`).
fn read<T: serde::de::DeserializeOwned>(json: &Json, what: &str) -> Result<T> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            Error::Usage(format!("{what}: {}", e.inner()))
        } else {
            Error::Usage(format!("{what}: {path}: {}", e.inner()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> Json {
        serde_json::json!({
            "native_name": "f",
            "inputs": [{"name": "x", "type": "float"}],
            "outputs": [{"name": "out", "type": "float"}],
        })
    }

    #[test]
    fn a_1_0_manifest_reads_with_defaults() {
        let m = Manifest::from_json(&minimal()).unwrap();
        assert_eq!(m.native_name, "f");
        assert_eq!(m.inputs[0].category, "signal");
        assert!(m.state.is_empty() && m.externs.is_empty() && m.fault_slot.is_none());
        assert_eq!(m.categories(), vec![Category::signal()]);
        assert!(!m.named_outputs());
    }

    #[test]
    fn unknown_fields_are_ignored_within_the_major_version() {
        let mut j = minimal();
        j["schema_version"] = "1.7".into();
        j["a_field_of_1_7"] = serde_json::json!({"anything": [1, 2]});
        j["inputs"][0]["unit"] = "m/s".into();
        j["target"] = serde_json::json!({"cpu": "x86-64-v3", "features": "", "tuning": "x"});
        let m = Manifest::from_json(&j).unwrap();
        assert_eq!(
            m.target,
            Some(Target {
                cpu: Some("x86-64-v3".into()),
                features: Some(String::new())
            })
        );
    }

    #[test]
    fn another_major_version_is_refused_before_anything_else_is_read() {
        let j = serde_json::json!({"schema_version": "2.0", "native_name": 3});
        let e = Manifest::from_json(&j).unwrap_err().to_string();
        assert!(e.contains("schema_version \"2.0\""), "{e}");
    }

    #[test]
    fn errors_name_the_field() {
        let mut j = minimal();
        j["inputs"][0]["type"] = 3.into();
        let e = Manifest::from_json(&j).unwrap_err().to_string();
        assert!(
            e.starts_with("manifest: inputs[0].type: invalid type"),
            "{e}"
        );
        let mut j = minimal();
        j.as_object_mut().unwrap().remove("native_name");
        let e = Manifest::from_json(&j).unwrap_err().to_string();
        assert_eq!(e, "manifest: missing field `native_name`");
        let mut j = minimal();
        j["state"] = serde_json::json!([{"name": "s", "type": "int", "kind": "cell"}]);
        let e = Manifest::from_json(&j).unwrap_err().to_string();
        assert!(
            e.starts_with("manifest: state[0].kind: unknown variant `cell`"),
            "{e}"
        );
    }

    #[test]
    fn named_outputs_reads_both_forms() {
        for (v, named) in [
            (serde_json::json!({"a": "int"}), true),
            (serde_json::json!(true), true),
            (serde_json::json!(false), false),
            (Json::Null, false),
        ] {
            let mut j = minimal();
            j["named_outputs"] = v;
            assert_eq!(Manifest::from_json(&j).unwrap().named_outputs(), named);
        }
    }

    #[test]
    fn a_layout_reads_and_names_its_symbol_in_errors() {
        let l = Layout::from_text(
            r#"{"layout": 1, "inputs": ["int"], "outputs": [], "state": ["scalar"], "fault_slot": 0, "new": 1}"#,
            "f_layout",
        )
        .unwrap();
        assert_eq!(l.fault_slot, Some(0));
        let e = Layout::from_text("{}", "f_layout").unwrap_err().to_string();
        assert_eq!(e, "f_layout: not a layout: missing field `layout`");
        let e = Layout::from_text("nope", "f_layout")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f_layout: not a layout: expected"), "{e}");
    }
}
