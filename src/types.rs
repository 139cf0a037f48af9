//! The value types a node computes with, and compile-time constant values.

use std::collections::HashSet;
use std::fmt;
use std::hash::Hash;
use std::sync::{Mutex, OnceLock};

/// Every scalar type and struct layout defined in this process.
type Interned<T> = OnceLock<Mutex<HashSet<&'static T>>>;
static SCALARS: Interned<ScalarType> = OnceLock::new();
static STRUCTS: Interned<StructDef> = OnceLock::new();

/// The one `&'static` copy of `value`. [`Ty`] is `Copy` and refers to the
/// definitions of scalar types and struct layouts, so they live for the
/// rest of the process; interning makes that cost one allocation per
/// distinct definition, not one per registration (a host that builds a
/// context per node, or compiles thousands of nodes, does not grow).
fn intern<T: Eq + Hash + Send + Sync + 'static>(set: &'static Interned<T>, value: T) -> &'static T {
    let mut set = set
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(v) = set.get(&value) {
        return v;
    }
    let v: &'static T = Box::leak(Box::new(value));
    set.insert(v);
    v
}

/// The one `&'static` copy of a struct layout (see [`ScalarType::define`]).
pub fn intern_struct(def: StructDef) -> &'static StructDef {
    intern(&STRUCTS, def)
}

/// A scalar value type of the node language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// Python `int`: int64 with wrap-around.
    Int,
    /// Python `float`: IEEE double.
    Float,
    /// Python `bool`: `i1` in registers, one byte in memory.
    Bool,
    /// A host-defined struct (registered with
    /// `CompilationContext::register_struct`): in registers, the address of
    /// the struct's memory (`!llvm.ptr`).
    Struct(&'static StructDef),
    /// A scalar type defined by an extension (see [`ScalarType`]): a
    /// distinct type carried as an int, float or bool. `datetime` and
    /// `timedelta` are two (int64 nanoseconds; `extensions/datetime.rs`).
    Scalar(&'static ScalarType),
}

/// A scalar type defined by an extension: its own name and type rules,
/// carried in registers and memory as one of `int`, `float`, `bool` (its
/// `repr`). It mixes only with its own type, as a Python class would:
/// - arithmetic needs a [`BinopRule`](crate::context::BinopRule);
/// - other values need the `lower_assign` hook of its
///   [`TypeHandler`](crate::context::TypeHandler) to be assigned to it;
/// - `-x`, `+x`, `~x`, `abs(x)`, `int(x)`, `float(x)` and truthiness call
///   the methods `__neg__`, `__pos__`, `__invert__`, `__abs__`, `__int__`,
///   `__float__` and `__bool__` registered for it
///   ([`MethodHandler`](crate::context::MethodHandler)); without
///   `__bool__` every value is true, as in Python;
/// - comparisons with its own type and `min`/`max` compare the payloads.
///
/// `datetime` and `timedelta` are scalar types (`extensions/datetime.rs`).
///
/// ```
/// use cfuncc::types::ScalarType;
/// use cfuncc::Ty;
/// let price = ScalarType::define("Price", Ty::Int).unwrap();
/// assert_eq!(price.to_string(), "Price");
/// assert_eq!(price.payload(), Ty::Int);
/// assert!(ScalarType::define("Bad", price).is_err());
/// ```
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ScalarType {
    /// The name, as written in annotations (`Price`).
    pub name: String,
    /// How values are carried: `Ty::Int`, `Ty::Float` or `Ty::Bool`.
    pub repr: Ty,
}

impl ScalarType {
    /// A new scalar type, as a [`Ty`] (the definition lives for the rest of
    /// the process, as a struct layout does, and is interned: defining the
    /// same type again, as every new context does, allocates nothing).
    /// `repr` must be int, float or bool.
    pub fn define(name: &str, repr: Ty) -> Result<Ty, String> {
        if !repr.is_numeric() {
            return Err(format!(
                "scalar type '{name}': repr must be int, float or bool, not {repr}"
            ));
        }
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!("scalar type '{name}': not a Python name"));
        }
        Ok(Ty::Scalar(intern(
            &SCALARS,
            ScalarType {
                name: name.into(),
                repr,
            },
        )))
    }
}

/// A host-defined struct layout: fields with names, types and byte offsets.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct StructDef {
    /// The struct's name as written in Python annotations (`Quote`).
    pub name: String,
    /// Size in bytes (what a struct output or state buffer must hold).
    pub size: usize,
    /// Fields in declaration order.
    pub fields: Vec<StructField>,
}

/// One field of a [`StructDef`].
///
/// ```
/// use cfuncc::types::{Storage, StructField, Ty};
/// let bid = StructField::new("bid", Ty::Float, 0); // a double
/// assert_eq!(bid.storage, Storage::Float64);
/// let qty = StructField::new("qty", Ty::Int, 8).stored_as(Storage::UInt16);
/// assert_eq!(qty.storage.size(), 2);
/// ```
#[derive(Debug, PartialEq, Eq, Hash, Clone)]
pub struct StructField {
    /// Field name.
    pub name: String,
    /// Its value type: int, float, bool, datetime, timedelta or another
    /// scalar type (an enum's fields are int).
    pub ty: Ty,
    /// Byte offset from the start of the struct: any, so packed and
    /// unaligned fields are fine.
    pub offset: usize,
    /// How it is laid out in the host's bytes (`int8` … `uint64`,
    /// `float32`, `float64`, `bool`): loads widen to `ty`, stores keep the
    /// low N bits or round to float32 ([`Storage`]).
    pub storage: Storage,
}

pub use cfuncc_host::types::Storage;

impl StructField {
    /// A field of type `ty` at `offset`, stored at the width of `ty`'s
    /// payload: int64, double or a one-byte bool.
    pub fn new(name: &str, ty: Ty, offset: usize) -> StructField {
        StructField {
            name: name.into(),
            ty,
            offset,
            storage: default_storage(ty),
        }
    }

    /// The same field stored as `storage` (checked against its type when
    /// the struct is registered: an int field needs an integer storage, a
    /// float field `float32` or `float64`, a bool field `bool`).
    pub fn stored_as(mut self, storage: Storage) -> StructField {
        self.storage = storage;
        self
    }

    /// What reading the field back gives after `v` (a constant of its
    /// type) was stored in it: `v` with only the low N bits of an int,
    /// a float rounded to float32, as the compiled node and the host
    /// store it.
    pub fn stored(&self, v: &ConstValue) -> ConstValue {
        let mut bytes = [0u8; 8];
        self.storage.store(v.to_cell(), &mut bytes);
        v.with_cell(self.storage.load(&bytes))
    }
}

/// The storage of a field of type `ty` when none is given: int64, double
/// or a one-byte bool, by its payload.
pub fn default_storage(ty: Ty) -> Storage {
    match ty.payload() {
        Ty::Float => Storage::Float64,
        Ty::Bool => Storage::Bool,
        _ => Storage::Int64,
    }
}

impl StructDef {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&StructField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The field names, comma-separated, for messages: `bid, ask, size`.
    pub fn field_names(&self) -> String {
        self.fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Ty {
    /// The built-in type a value of this type is carried as: the repr of a
    /// scalar type, itself otherwise.
    pub fn payload(self) -> Ty {
        match self {
            Ty::Scalar(s) => s.repr,
            t => t,
        }
    }

    /// Whether values of this type mix only with their own type: a
    /// [`ScalarType`] (a datetime, a timedelta, an extension's `Price`).
    pub fn is_opaque(self) -> bool {
        matches!(self, Ty::Scalar(_))
    }

    /// The type's Python spelling, used in manifests and messages.
    pub fn python_name(self) -> &'static str {
        match self {
            Ty::Int => "int",
            Ty::Float => "float",
            Ty::Bool => "bool",
            Ty::Struct(s) => &s.name,
            Ty::Scalar(s) => &s.name,
        }
    }

    /// Whether this is a numeric type (bool counts, as in Python).
    pub fn is_numeric(self) -> bool {
        matches!(self, Ty::Int | Ty::Float | Ty::Bool)
    }

    /// The struct layout, for a struct type.
    pub fn as_struct(self) -> Option<&'static StructDef> {
        match self {
            Ty::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The type of `a op b` for arithmetic: bool promotes to int, int mixed
    /// with float gives float.
    pub fn arith_join(a: Ty, b: Ty) -> Ty {
        if a == Ty::Float || b == Ty::Float {
            Ty::Float
        } else {
            Ty::Int
        }
    }

    /// The common type of two values that meet (branches of a ternary,
    /// `and`/`or` operands, a variable assigned twice).
    pub fn unify(a: Ty, b: Ty) -> Ty {
        // A scalar type or struct meets only its own type:
        // returning the first makes the conversion of the other a located
        // error.
        if a == b || !a.is_numeric() || !b.is_numeric() {
            a
        } else {
            Ty::arith_join(a, b)
        }
    }
}

/// A container type: a typed list or dict (design.md §2: the value in
/// `state[i]` is the container's pointer itself), or a fixed-size array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CTy {
    /// `NumbaList[T]`: `!cfunc.list<T>`.
    List(Ty),
    /// `NumbaDict[K, V]`: `!cfunc.dict<K, V>`; keys are int or bool.
    Dict(Ty, Ty),
    /// `NumbaArray[T, N]`: `!cfunc.array<T, N>`, plain memory with no
    /// runtime (see [`ArrayTy`]).
    Array(ArrayTy),
}

/// A fixed-size array: `length` elements of `elem` (int, float or bool),
/// laid out as a C array (`int64_t[N]`, `double[N]`, `bool[N]` of one byte
/// each). Its memory is the host's behind `state[i]` for array state, the
/// stack for a local array and static read-only data for a constant
/// parameter; nothing is allocated at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArrayTy {
    /// The element type: int, float or bool.
    pub elem: Ty,
    /// The number of elements, at least 1 ([`ArrayTy::MAX_LEN`] at most).
    pub length: usize,
}

impl ArrayTy {
    /// The longest array: 2^24 elements (128 MiB of int64), so that byte
    /// sizes and indices stay far from any overflow.
    pub const MAX_LEN: usize = 1 << 24;

    /// The bytes of one element: 8 for int and float, 1 for bool.
    pub fn elem_size(self) -> usize {
        match self.elem.payload() {
            Ty::Bool => 1,
            _ => 8,
        }
    }

    /// The bytes of the whole array.
    pub fn byte_size(self) -> usize {
        self.elem_size() * self.length
    }
}

impl CTy {
    /// The element type of a list or array, or the value type of a dict.
    pub fn value(self) -> Ty {
        match self {
            CTy::List(t) | CTy::Dict(_, t) => t,
            CTy::Array(a) => a.elem,
        }
    }

    /// The Python spelling used in manifests and messages: `list[int]`,
    /// `array[int, 4]`.
    pub fn python_name(self) -> String {
        match self {
            CTy::List(t) => format!("list[{t}]"),
            CTy::Dict(k, v) => format!("dict[{k}, {v}]"),
            CTy::Array(a) => format!("array[{}, {}]", a.elem, a.length),
        }
    }

    /// The array type, for an array.
    pub fn as_array(self) -> Option<ArrayTy> {
        match self {
            CTy::Array(a) => Some(a),
            _ => None,
        }
    }
}

impl fmt::Display for CTy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.python_name())
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.python_name())
    }
}

/// A compile-time constant: a constant parameter, a module-level constant or
/// a `--const` value.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    /// An int.
    Int(i64),
    /// A float.
    Float(f64),
    /// A bool.
    Bool(bool),
    /// A value of a [`ScalarType`]: its payload (an int, float or bool
    /// constant of the type's repr); a `datetime(..., tzinfo=timezone.utc)`
    /// is its int nanoseconds since the epoch.
    Scalar(&'static ScalarType, Box<ConstValue>),
    /// A list constant (`[1, 2, 3]`), for a `NumbaList[T]` parameter.
    List(Vec<ConstValue>),
    /// A dict constant (`{1: 2.5}`), for a `NumbaDict[K, V]` parameter;
    /// entries in insertion order.
    Dict(Vec<(ConstValue, ConstValue)>),
}

impl From<i64> for ConstValue {
    fn from(v: i64) -> Self {
        ConstValue::Int(v)
    }
}

impl From<f64> for ConstValue {
    fn from(v: f64) -> Self {
        ConstValue::Float(v)
    }
}

impl From<bool> for ConstValue {
    fn from(v: bool) -> Self {
        ConstValue::Bool(v)
    }
}

impl ConstValue {
    /// The constant's type (a container constant reports its element or
    /// value type; see [`ConstValue::is_container`]).
    pub fn ty(&self) -> Ty {
        match self {
            ConstValue::Int(_) => Ty::Int,
            ConstValue::Float(_) => Ty::Float,
            ConstValue::Bool(_) => Ty::Bool,
            ConstValue::Scalar(s, _) => Ty::Scalar(s),
            ConstValue::List(xs) => xs.first().map_or(Ty::Int, ConstValue::ty),
            ConstValue::Dict(kv) => kv.first().map_or(Ty::Int, |(_, v)| v.ty()),
        }
    }

    /// The zero of a scalar type (`0`, `0.0`, `False`, a scalar type's
    /// zero payload): what a zero-filled cell or struct field holds.
    pub fn zero(ty: Ty) -> ConstValue {
        match ty {
            Ty::Scalar(s) => ConstValue::Scalar(s, Box::new(ConstValue::zero(s.repr))),
            Ty::Float => ConstValue::Float(0.0),
            Ty::Bool => ConstValue::Bool(false),
            Ty::Int | Ty::Struct(_) => ConstValue::Int(0),
        }
    }

    /// Whether this is a list or dict constant.
    pub fn is_container(&self) -> bool {
        matches!(self, ConstValue::List(_) | ConstValue::Dict(_))
    }

    /// Converts a container constant to `cty`, element by element as an
    /// assignment would; `None` if an element does not fit.
    pub fn coerce_container(&self, cty: CTy) -> Option<ConstValue> {
        match (self, cty) {
            (ConstValue::List(xs), CTy::List(t)) => xs
                .iter()
                .map(|x| if x.is_container() { None } else { x.coerce(t) })
                .collect::<Option<Vec<_>>>()
                .map(ConstValue::List),
            (ConstValue::List(xs), CTy::Array(a)) if xs.len() == a.length => xs
                .iter()
                .map(|x| {
                    if x.is_container() {
                        None
                    } else {
                        x.coerce(a.elem)
                    }
                })
                .collect::<Option<Vec<_>>>()
                .map(ConstValue::List),
            (ConstValue::Dict(kv), CTy::Dict(k, v)) => kv
                .iter()
                .map(|(a, b)| {
                    if a.is_container() || b.is_container() {
                        return None;
                    }
                    // -0.0 and 0.0 are one key (Python keeps the first
                    // spelling; the compiled dict stores 0.0); NaN is no key.
                    let key = match a.coerce(k)? {
                        ConstValue::Float(f) if f.is_nan() => return None,
                        ConstValue::Float(0.0) => ConstValue::Float(0.0),
                        key => key,
                    };
                    Some((key, b.coerce(v)?))
                })
                .collect::<Option<Vec<_>>>()
                .map(ConstValue::Dict),
            _ => None,
        }
    }

    /// Converts to `ty` as an assignment would (int → float is allowed,
    /// float → int is not).
    pub fn coerce(&self, ty: Ty) -> Option<ConstValue> {
        match (self, ty) {
            (v, _) if v.is_container() => None,
            (v, t) if v.ty() == t => Some(v.clone()),
            (ConstValue::Int(i), Ty::Float) => Some(ConstValue::Float(*i as f64)),
            (ConstValue::Bool(b), Ty::Float) => Some(ConstValue::Float(*b as i64 as f64)),
            (ConstValue::Bool(b), Ty::Int) => Some(ConstValue::Int(*b as i64)),
            _ => None,
        }
    }

    /// The value as JSON, for manifests.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            ConstValue::Int(i) => (*i).into(),
            ConstValue::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            ConstValue::Bool(b) => (*b).into(),
            ConstValue::Scalar(_, v) => v.to_json(),
            ConstValue::List(xs) => xs.iter().map(ConstValue::to_json).collect(),
            ConstValue::Dict(kv) => serde_json::Value::Array(
                kv.iter()
                    .map(|(k, v)| serde_json::json!([k.to_json(), v.to_json()]))
                    .collect(),
            ),
        }
    }

    /// The constant of this one's type whose cell is `cell` (see
    /// [`ConstValue::to_cell`]); a container as it is.
    pub fn with_cell(&self, cell: u64) -> ConstValue {
        match self {
            ConstValue::Int(_) => ConstValue::Int(cell as i64),
            ConstValue::Float(_) => ConstValue::Float(f64::from_bits(cell)),
            ConstValue::Bool(_) => ConstValue::Bool(cell != 0),
            ConstValue::Scalar(s, v) => ConstValue::Scalar(s, Box::new(v.with_cell(cell))),
            c => c.clone(),
        }
    }

    /// The raw 8-byte cell a host stores for this value.
    pub fn to_cell(&self) -> u64 {
        match self {
            ConstValue::Int(i) => *i as u64,
            ConstValue::Float(f) => f.to_bits(),
            ConstValue::Bool(b) => *b as u64,
            ConstValue::Scalar(_, v) => v.to_cell(),
            ConstValue::List(_) | ConstValue::Dict(_) => 0,
        }
    }
}

/// `ty` with its article, for messages: "an int", "a float".
pub fn a_ty(ty: Ty) -> String {
    let name = ty.to_string();
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}
