//! The registry: `CompilationContext`, the MLIR context plus every table an
//! extension can add to, and the handler types those tables hold. It knows
//! the dialect, the ABI and the types, and nothing of the frontend, the
//! passes or the backend: the built-ins (`extensions/`) register through
//! the same calls as a user's extension, and the driver's
//! `CompilationContext::with_defaults` wires them in. Two contexts never
//! share registrations.

use crate::abi::param;
use crate::diagnostics::{Error, Result};
use crate::dialect::builder::Builder;
use crate::dialect::ir::Value;
use crate::types::{ConstValue, Storage, Ty};
use melior::Context;
use std::collections::HashMap;
use std::sync::Arc;

mod passes;
pub use passes::{PassContext, PassDef, PassFn, Placement};

/// Infers a call's result type from its argument types, or explains why the
/// arguments are not accepted.
pub type CallInfer = Arc<dyn Fn(&[Ty]) -> Result<Ty, String> + Send + Sync>;

/// Lowers a resolved call: receives the builder (positioned before the
/// `cfunc.call`), the argument values and their types, and returns the
/// result value. It may emit any ops first (checks, helpers). The handles
/// live for the call only (`for<'c>`): a lowering cannot keep them.
pub type CallLower = Arc<
    dyn for<'c> Fn(&Builder<'c>, &[Value<'c>], &[Ty]) -> Result<Value<'c>, String> + Send + Sync,
>;

/// A function the node may call by name (`abs`, `math.sqrt`, ...).
#[derive(Clone)]
pub struct CallHandler {
    /// Qualified name: `abs`, `math.sqrt`.
    pub name: String,
    /// Lower numbers are tried first when several handlers claim a name.
    pub priority: i32,
    /// Type rule.
    pub infer: CallInfer,
    /// Lowering pattern, applied in `cfunc-resolve`.
    pub lower: CallLower,
}

/// A method on values of one type (`td.total_seconds()`): the frontend
/// emits `cfunc.method {name = "timedelta.total_seconds"}` with the
/// receiver first, typed by `infer`; `cfunc-resolve` lowers it with `lower`.
/// Both receive the receiver's type first, then the arguments'.
///
/// ```
/// use cfuncc::context::MethodHandler;
/// use cfuncc::Ty;
/// use std::sync::Arc;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // n.clamp01() on floats.
/// ctx.register_method(MethodHandler {
///     receiver: Ty::Float,
///     name: "clamp01".into(),
///     infer: Arc::new(|t| if t.len() == 1 { Ok(Ty::Float) } else { Err("takes no arguments".into()) }),
///     lower: Arc::new(|b, v, _| {
///         let (zero, one) = (b.const_f64(0.0), b.const_f64(1.0));
///         let lo = b.bin("arith.maximumf", v[0], zero);
///         Ok(b.bin("arith.minimumf", lo, one))
///     }),
/// });
/// ```
#[derive(Clone)]
pub struct MethodHandler {
    /// The receiver's type.
    pub receiver: Ty,
    /// The method name.
    pub name: String,
    /// Type rule over `[receiver, args...]`.
    pub infer: CallInfer,
    /// Lowering over `[receiver, args...]`, applied in `cfunc-resolve`.
    pub lower: CallLower,
}

impl MethodHandler {
    /// A method without arguments that gives a `result` computed from the
    /// receiver's value by `lower` (`td.total_seconds()`, `p.__neg__()`).
    ///
    /// ```
    /// use cfuncc::context::MethodHandler;
    /// use cfuncc::Ty;
    /// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
    /// ctx.register_method(MethodHandler::nullary(Ty::Float, "halved", Ty::Float, |b, v| {
    ///     Ok(b.bin("arith.mulf", v, b.const_f64(0.5)))
    /// }));
    /// assert!(ctx.method(Ty::Float, "halved").is_some());
    /// ```
    pub fn nullary(
        receiver: Ty,
        name: &str,
        result: Ty,
        lower: impl for<'c> Fn(&Builder<'c>, Value<'c>) -> Result<Value<'c>, String>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        MethodHandler {
            receiver,
            name: name.into(),
            infer: Arc::new(move |t| {
                if t.len() == 1 {
                    Ok(result)
                } else {
                    Err("takes no arguments".into())
                }
            }),
            lower: Arc::new(move |b, v, _| lower(b, v[0])),
        }
    }

    /// The `name` attribute of its `cfunc.method` ops: `timedelta.total_seconds`.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.receiver, self.name)
    }
}

/// An attribute read on values of one type (`dt.year`, `td.days`), in any
/// expression position: the frontend emits `cfunc.method {name =
/// "datetime.year"}` with the receiver as its only operand, typed `ty`;
/// `cfunc-resolve` lowers it with `lower`. Struct fields are not
/// properties: a struct's layout gives them.
///
/// ```
/// use cfuncc::context::PropertyHandler;
/// use cfuncc::Ty;
/// use std::sync::Arc;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // n.is_negative on ints.
/// ctx.register_property(PropertyHandler {
///     receiver: Ty::Int,
///     name: "is_negative".into(),
///     ty: Ty::Bool,
///     lower: Arc::new(|b, v| {
///         let zero = b.const_i64(0);
///         Ok(b.cmpi(cfuncc::dialect::builder::CmpI::Slt, v, zero))
///     }),
/// });
/// assert!(ctx.property(Ty::Int, "is_negative").is_some());
/// ```
#[derive(Clone)]
pub struct PropertyHandler {
    /// The receiver's type.
    pub receiver: Ty,
    /// The attribute name.
    pub name: String,
    /// The value's type.
    pub ty: Ty,
    /// Builds the value from the receiver (applied in `cfunc-resolve`).
    pub lower: PropertyFn,
}

/// A property's lowering: the receiver in, the value out.
pub type PropertyFn =
    Arc<dyn for<'c> Fn(&Builder<'c>, Value<'c>) -> Result<Value<'c>, String> + Send + Sync>;

impl PropertyHandler {
    /// The `name` attribute of its `cfunc.method` ops: `datetime.year`.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.receiver, self.name)
    }
}

/// An argument of a call folded at compile time ([`ConstCallHandler`]).
#[derive(Clone, Debug, PartialEq)]
pub enum ConstArg {
    /// A literal or a constant (module constant, constant parameter).
    Value(ConstValue),
    /// A dotted name that is no constant (`timezone.utc`, or a variable).
    Name(String),
    /// Any other expression (not known at compile time).
    Other,
}

/// Folds a call's positional and keyword arguments to a constant.
pub type ConstFold =
    Arc<dyn Fn(&[ConstArg], &[(String, ConstArg)]) -> Result<ConstValue, String> + Send + Sync>;

/// A call folded to a constant at compile time (`datetime(2024, 1, 2,
/// tzinfo=timezone.utc)`, `timedelta(seconds=5)`): wherever a literal is
/// accepted (state initial values, `--const`, defaults, module constants)
/// and in the body. The callee matches by its last name under any module
/// alias (`datetime`, `datetime.datetime`, `dt.datetime`). The fold's error
/// is a located compile error (in the body) or the constant's error.
///
/// ```
/// use cfuncc::context::{ConstArg, ConstCallHandler};
/// use cfuncc::ConstValue;
/// use std::sync::Arc;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // ticks(n): n price ticks of 0.25.
/// ctx.register_const_call(ConstCallHandler {
///     name: "ticks".into(),
///     fold: Arc::new(|args, _| match args {
///         [ConstArg::Value(ConstValue::Int(n))] => Ok(ConstValue::Float(*n as f64 * 0.25)),
///         _ => Err("ticks() takes one int constant".into()),
///     }),
/// });
/// let v = cfuncc::frontend::literal::parse_const(&ctx, "ticks(3)").unwrap();
/// assert_eq!(v, ConstValue::Float(0.75));
/// ```
#[derive(Clone)]
pub struct ConstCallHandler {
    /// The callee's name (`datetime`).
    pub name: String,
    /// The folding.
    pub fold: ConstFold,
}

/// A module attribute that lowers to a value (`math.pi`).
#[derive(Clone)]
pub struct AttributeHandler {
    /// Qualified name: `math.pi`.
    pub name: String,
    /// The value's type.
    pub ty: Ty,
    /// Builds the value (applied in `cfunc-resolve`).
    pub lower: AttributeFn,
}

/// An attribute's lowering: the value, built before the `cfunc.getattr`.
pub type AttributeFn = Arc<dyn for<'c> Fn(&Builder<'c>) -> Value<'c> + Send + Sync>;

/// Converts a Python literal (a `--const` value, a default, a `State[...]`
/// initial value) to a constant of a type: for a [`ScalarType`], its payload
/// (an int, float or bool constant of the type's repr).
///
/// [`ScalarType`]: crate::types::ScalarType
pub type ConstHook = Arc<dyn Fn(&ConstValue) -> Result<ConstValue, String> + Send + Sync>;

/// Converts a value of another type (the `Ty`) on assignment to a variable,
/// state, output or field of a type: returns the payload value.
pub type AssignHook =
    Arc<dyn for<'c> Fn(&Builder<'c>, Value<'c>, Ty) -> Result<Value<'c>, String> + Send + Sync>;

/// Maps a type annotation (`int`, `float`, `Price`) to a value type, and
/// says how literals and other values become values of it. Without hooks a
/// type takes only its own values (and, for the built-in kinds, Python's
/// int → float widening).
///
/// ```
/// use cfuncc::context::TypeHandler;
/// use cfuncc::types::ScalarType;
/// use cfuncc::{ConstValue, Ty};
/// use std::sync::Arc;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // Price: fixed-point, 1/10000 units, carried as an int.
/// let price = ScalarType::define("Price", Ty::Int).unwrap();
/// ctx.register_type(
///     TypeHandler::new("Price", price, 200)
///         .parse_const(Arc::new(|v| match v {
///             ConstValue::Int(i) => Ok(ConstValue::Int(i * 10_000)),
///             ConstValue::Float(f) => Ok(ConstValue::Int((f * 10_000.0).round() as i64)),
///             _ => Err("a Price is a number".into()),
///         }))
///         .lower_assign(Arc::new(|b, v, from| match from {
///             Ty::Int => Ok(b.bin("arith.muli", v, b.const_i64(10_000))),
///             _ => Err(format!("cannot make a Price of a {from}")),
///         })),
/// );
/// assert_eq!(ctx.type_for("Price"), Some(price));
/// ```
#[derive(Clone)]
pub struct TypeHandler {
    /// The annotation's name as written.
    pub annotation: String,
    /// The value type it stands for.
    pub ty: Ty,
    /// Lower numbers are tried first.
    pub priority: i32,
    /// Literals given as constants (`--const`, defaults) of this type.
    pub parse_const: Option<ConstHook>,
    /// `State[T] = literal` initial values; `parse_const` when unset.
    pub parse_state: Option<ConstHook>,
    /// Values of other types assigned to this type.
    pub lower_assign: Option<AssignHook>,
    /// How a struct field of this type is stored when a `--types` file
    /// names it as the field's type: an enum's declared width. `None`: the
    /// default of its payload (int64, double, a one-byte bool).
    pub field_storage: Option<Storage>,
}

impl TypeHandler {
    /// A handler without hooks.
    pub fn new(annotation: &str, ty: Ty, priority: i32) -> Self {
        TypeHandler {
            annotation: annotation.into(),
            ty,
            priority,
            parse_const: None,
            parse_state: None,
            lower_assign: None,
            field_storage: None,
        }
    }

    /// Sets [`TypeHandler::field_storage`].
    pub fn field_storage(mut self, storage: Storage) -> Self {
        self.field_storage = Some(storage);
        self
    }

    /// Sets [`TypeHandler::parse_const`].
    pub fn parse_const(mut self, f: ConstHook) -> Self {
        self.parse_const = Some(f);
        self
    }

    /// Sets [`TypeHandler::parse_state`].
    pub fn parse_state(mut self, f: ConstHook) -> Self {
        self.parse_state = Some(f);
        self
    }

    /// Sets [`TypeHandler::lower_assign`].
    pub fn lower_assign(mut self, f: AssignHook) -> Self {
        self.lower_assign = Some(f);
        self
    }
}

/// Which container a [`ContainerHandler`] makes: a typed list or dict
/// (`!cfunc.list<T>`, `!cfunc.dict<K, V>`), or a fixed-size array
/// (`!cfunc.array<T, N>`), with the operations listed in README.md's
/// feature table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContainerKind {
    /// `xs[i]`, `append`, `pop`, `insert`, `extend`, `sort`, slices, ...
    List,
    /// `d[k]`, `get`, `pop`, `keys`/`values`/`items`, `in`, ...
    Dict,
    /// A fixed-size array: `Name[T, N]` as an annotation, `constructor(T,
    /// N)` to create one (`NumbaArray[int, 3]`, `create_new_array(int,
    /// 3)`); `a[i]`, `a[i] = v`, `len`, `for`, `clear`, `sum`/`min`/`max`.
    Array,
}

/// A container annotation name (`NumbaList[int]`, `dict[int, float]`) and
/// the call, if any, that creates an empty container of it
/// (`create_new_list(int)`, `create_new_dict(int, float)`).
///
/// ```
/// use cfuncc::context::{ContainerHandler, ContainerKind};
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // A host framework's own spelling: `Series[float]`, `new_series(float)`.
/// ctx.register_container(ContainerHandler {
///     name: "Series".into(),
///     kind: ContainerKind::List,
///     bare: true,
///     constructor: Some("new_series".into()),
/// });
/// assert_eq!(ctx.container_constructor("new_series").map(|c| c.kind), Some(ContainerKind::List));
/// ```
#[derive(Clone, Debug)]
pub struct ContainerHandler {
    /// The annotation's name: `NumbaList[T]`, `list[T]`.
    pub name: String,
    /// List, dict or array.
    pub kind: ContainerKind,
    /// Whether the name may stand without element types in a state
    /// declaration (`xs: State[NumbaList] = create_new_list(int)`, where the
    /// constructor gives them).
    pub bare: bool,
    /// The call that creates an empty container, with the element types as
    /// arguments.
    pub constructor: Option<String>,
}

pub(crate) use crate::diagnostics::run_hook;

impl TypeHandler {
    /// `v`, a literal, as a constant of this handler's scalar type, through
    /// `parse_state` (for a state's initial value, falling back to
    /// `parse_const`) or `parse_const`. `Ok(None)` when it has no hook.
    pub(crate) fn literal(
        &self,
        v: &ConstValue,
        state: bool,
    ) -> Result<Option<ConstValue>, String> {
        let Ty::Scalar(s) = self.ty else {
            return Ok(None);
        };
        let hook = if state {
            self.parse_state.as_ref().or(self.parse_const.as_ref())
        } else {
            self.parse_const.as_ref()
        };
        let Some(hook) = hook else {
            return Ok(None);
        };
        let payload = run_hook(|| hook(v))?;
        match payload.coerce(s.repr) {
            Some(p) => Ok(Some(ConstValue::Scalar(s, Box::new(p)))),
            None => Err(format!(
                "the {} type handler gave {} constant for a type carried as {}",
                s.name,
                crate::types::a_ty(payload.ty()),
                s.repr
            )),
        }
    }
}

impl std::fmt::Debug for TypeHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypeHandler")
            .field("annotation", &self.annotation)
            .field("ty", &self.ty)
            .field("priority", &self.priority)
            .field("parse_const", &self.parse_const.is_some())
            .field("parse_state", &self.parse_state.is_some())
            .field("lower_assign", &self.lower_assign.is_some())
            .field("field_storage", &self.field_storage)
            .finish()
    }
}

/// The type of a binary operation on a non-numeric type (`datetime -
/// datetime` is a `timedelta`). Operands of such types are int64 payloads;
/// the result is computed as the same operation on ints (floor `//` and
/// `%`, true `/`) and takes type `result`. A pair of types with no rule is
/// a compile error.
///
/// ```
/// use cfuncc::context::BinopRule;
/// use cfuncc::types::ScalarType;
/// use cfuncc::Ty;
/// use ruff_python_ast::Operator;
/// let mut ctx = cfuncc::CompilationContext::new().unwrap();
/// let qty = ScalarType::define("Qty", Ty::Int).unwrap();
/// ctx.register_binop(BinopRule { lhs: qty, op: Operator::Mult, rhs: Ty::Int, result: qty });
/// assert_eq!(ctx.binop(qty, Operator::Mult, Ty::Int), Some(qty));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct BinopRule {
    /// Left operand type.
    pub lhs: Ty,
    /// The operator.
    pub op: ruff_python_ast::Operator,
    /// Right operand type.
    pub rhs: Ty,
    /// Result type.
    pub result: Ty,
}

/// Code an extension adds to START or STOP, after the built-in work (state
/// initialisation; container release). It receives a builder at the end of
/// the phase function, the ABI arguments by name (`state`, `outputs`, ...)
/// and the node's signature (state slots by name).
///
/// ```
/// use std::sync::Arc;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // START sets state `count` to 100 instead of its declared value.
/// ctx.register_start_body(Arc::new(|b, abi, sig| {
///     if let Some(s) = sig.state.iter().find(|s| s.name == "count") {
///         let v = b.const_i64(100);
///         b.cfunc_state_store(abi["state"], s.slot, v);
///     }
///     Ok(())
/// }));
/// ```
pub type PhaseBody = Arc<
    dyn for<'c> Fn(
            &Builder<'c>,
            &HashMap<String, Value<'c>>,
            &crate::abi::signature::NodeSignature,
        ) -> Result<(), String>
        + Send
        + Sync,
>;

/// A per-input hook run after the signature is known: what it returns for
/// an input is attached to the result's `metadata[name][input]` (and the
/// manifest's `metadata`).
///
/// ```
/// use std::sync::Arc;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// ctx.register_signal_processor("units", Arc::new(|input| {
///     input.name.ends_with("_px").then(|| serde_json::json!("price"))
/// }));
/// ```
pub type SignalProcessor =
    Arc<dyn Fn(&crate::abi::signature::InputSpec) -> Option<serde_json::Value> + Send + Sync>;

/// When an [`OpPattern`] runs in `cfunc-resolve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternStage {
    /// Before the built-in resolution of calls and attributes: a pattern
    /// that rewrites the op short-circuits the registered handlers.
    Pre,
    /// After resolution, on what it produced (`math.sqrt`, ...).
    Post,
}

/// A rewrite pattern an extension adds to `cfunc-resolve`: on ops named
/// `op` (`cfunc.call`, `cfunc.getattr`, `cfunc.method`, or any op the
/// resolution produced), optionally only those whose `callee` / `name`
/// attribute is `name`. The callback gets a builder positioned before the
/// op (so it can insert statements first) and replaces or erases the op,
/// returning `Ok(true)`; `Ok(false)` leaves it alone. An `Err` or a panic is
/// a compile error at the op's Python location.
///
/// ```
/// use cfuncc::context::{OpPattern, PatternStage};
/// use std::sync::Arc;
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // abs(x) on floats becomes x * x (before the built-in handler runs).
/// ctx.register_pattern(OpPattern {
///     op: "cfunc.call".into(),
///     name: Some("abs".into()),
///     stage: PatternStage::Pre,
///     priority: 0,
///     rewrite: Arc::new(|rw| {
///         let x = rw.op.operand(0);
///         let sq = rw.b.bin("arith.mulf", x, x);
///         rw.replace(&[sq]);
///         Ok(true)
///     }),
/// });
/// ```
#[derive(Clone)]
pub struct OpPattern {
    /// The op name to match.
    pub op: String,
    /// Only ops whose `callee` or `name` attribute equals this.
    pub name: Option<String>,
    /// Before or after the built-in resolution.
    pub stage: PatternStage,
    /// Lower numbers are tried first.
    pub priority: i32,
    /// The rewrite.
    pub rewrite: PatternFn,
}

/// A registered pattern's rewrite: `Ok(true)` when it rewrote the op,
/// `Ok(false)` to leave it to the next pattern, `Err` to fail the pass
/// with a message at the op.
pub type PatternFn = Arc<
    dyn for<'c> Fn(&crate::dialect::rewrite::Rewrite<'c>) -> Result<bool, String> + Send + Sync,
>;

/// Claims parameter annotations `Wrapper[T]` as inputs of a source category.
#[derive(Clone, Debug)]
pub struct InputHandler {
    /// The wrapper name (`Signal`).
    pub wrapper: String,
    /// The source category whose ABI pointers carry these inputs.
    pub category: String,
}

/// Claims return annotations.
#[derive(Clone, Debug)]
pub struct OutputHandler {
    /// The wrapper name: `Signal` (`-> Signal[T]`, one output) or `Outputs`
    /// (`-> Outputs(name=T, ...)`, named outputs).
    pub wrapper: String,
    /// Whether this wrapper declares named outputs.
    pub named: bool,
}

pub use crate::abi::AbiType;

/// A group of ABI parameters contributed by one source of data.
///
/// ```
/// use cfuncc::context::{AbiType, CategoryInputs, InputHandler, SourceCategory};
/// let mut ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// // `b: Book[float]` parameters arrive through a `void** books` argument
/// // after the signal category's three.
/// ctx.register_source_category(SourceCategory {
///     id: "book".into(),
///     order: 10,
///     params: vec![("books".into(), AbiType::Ptr)],
///     inputs: Some(CategoryInputs { values: "books".into(), ticked: None, valid: None }),
/// }).unwrap();
/// ctx.register_input_handler(InputHandler { wrapper: "Book".into(), category: "book".into() });
/// ```
#[derive(Clone, Debug)]
pub struct SourceCategory {
    /// Unique id (`signal`).
    pub id: String,
    /// Position in the ABI: categories are laid out by ascending order. The
    /// built-in prefix uses negative orders; extensions start at 0.
    pub order: i32,
    /// The parameters, by name and C type.
    pub params: Vec<(String, AbiType)>,
    /// For a category whose parameters carry node inputs: which of them
    /// holds the per-input value pointers (and the ticked / valid flags).
    /// Its inputs are numbered within the category, in signature order,
    /// and read once at the top of EXECUTE.
    pub inputs: Option<CategoryInputs>,
}

/// Which parameters of a [`SourceCategory`] carry its inputs.
#[derive(Clone, Debug)]
pub struct CategoryInputs {
    /// The `void**` parameter: one pointer per input, to its 8-byte cell
    /// (or to its struct).
    pub values: String,
    /// The `int8_t*` ticked flags, if the category has them (`ticked(x)`).
    pub ticked: Option<String>,
    /// The `int8_t*` valid flags, if any (`valid(x)`).
    pub valid: Option<String>,
}

/// Every table an extension can add to: types, inputs and outputs, calls,
/// methods, attributes, operators, patterns, phase bodies, externs.
///
/// A `Registry` holds only values (handlers are `Arc<dyn Fn + Send +
/// Sync>`), so it is `Send`, `Sync` and cheap to clone: build it once, and
/// give each thread its own [`CompilationContext`] made from it with
/// [`CompilationContext::from_registry`]. A `CompilationContext` derefs to
/// its registry, so the `register_*` and lookup methods are called on the
/// context directly.
#[derive(Clone)]
pub struct Registry {
    types: Vec<TypeHandler>,
    inputs: Vec<InputHandler>,
    outputs: Vec<OutputHandler>,
    categories: Vec<SourceCategory>,
    calls: HashMap<String, Vec<CallHandler>>,
    attributes: HashMap<String, AttributeHandler>,
    /// The attributes that are compile-time constants (an enum's members),
    /// for literals: `State[Side] = Side.BUY`, a default, a module constant.
    attribute_constants: HashMap<String, ConstValue>,
    binops: Vec<BinopRule>,
    namespaces: std::collections::HashSet<String>,
    patterns: Vec<OpPattern>,
    methods: Vec<MethodHandler>,
    properties: Vec<PropertyHandler>,
    const_calls: Vec<ConstCallHandler>,
    containers: Vec<ContainerHandler>,
    start_bodies: Vec<PhaseBody>,
    stop_bodies: Vec<PhaseBody>,
    signal_processors: Vec<(String, SignalProcessor)>,
    /// External C functions registered from Rust (see `register_extern`).
    externs: Vec<crate::abi::externs::ExternFunction>,
    /// Extension versions by extension name (see `set_extension_version`).
    versions: std::collections::BTreeMap<String, String>,
    /// The identity of the built-in registrations (see `mark_builtins`).
    builtins: Option<String>,
    /// Passes registered from outside the crate (see `register_pass`).
    passes: Vec<PassDef>,
}

/// A registry and the MLIR context a compile builds its IR in.
///
/// Creating one costs a few milliseconds (MLIR context set-up); reuse it
/// across compilations.
///
/// **Threads.** A context is neither `Send` nor `Sync`: the MLIR context
/// it owns is used without locks (it is created without MLIR's thread pool,
/// see `dialect::new_context`), and the IR a compile builds in it must stay on
/// one thread. To compile on many threads, give each thread its own context
/// from one shared [`Registry`] ([`CompilationContext::from_registry`]);
/// the registrations are values, so every thread compiles with the same
/// extensions and no lock is taken on the compile path.
///
/// ```
/// let ctx = cfuncc::CompilationContext::with_defaults().unwrap();
/// assert!(ctx.call("math.sqrt").is_some());
/// let registry = ctx.registry().clone();
/// std::thread::spawn(move || {
///     let ctx = cfuncc::CompilationContext::from_registry(registry).unwrap();
///     assert!(ctx.call("math.sqrt").is_some());
/// })
/// .join()
/// .unwrap();
/// ```
pub struct CompilationContext {
    mlir: Context,
    registry: Registry,
}

impl std::ops::Deref for CompilationContext {
    type Target = Registry;
    fn deref(&self) -> &Registry {
        &self.registry
    }
}

impl std::ops::DerefMut for CompilationContext {
    fn deref_mut(&mut self) -> &mut Registry {
        &mut self.registry
    }
}

impl CompilationContext {
    /// An empty context: the MLIR dialects and the ABI prefix, nothing else.
    pub fn new() -> Result<Self> {
        Self::from_registry(Registry::new())
    }

    /// A context with a fresh MLIR context and the registrations of
    /// `registry` (on any thread).
    pub fn from_registry(registry: Registry) -> Result<Self> {
        Ok(Self {
            mlir: crate::dialect::new_context()?,
            registry,
        })
    }

    /// The registrations, to clone for another thread's context.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// A new context with the same registrations and a fresh MLIR context,
    /// to extend without touching this one (registrations are values; the
    /// MLIR context is not shared).
    ///
    /// ```
    /// use cfuncc::extensions::enums::EnumType;
    /// let base = cfuncc::CompilationContext::with_defaults().unwrap();
    /// let mut ext = base.try_clone().unwrap();
    /// ext.register_enum(EnumType::new("Side", &[("BUY", 1)])).unwrap();
    /// assert!(ext.attribute("Side.BUY").is_some());
    /// assert!(base.attribute("Side.BUY").is_none());
    /// ```
    pub fn try_clone(&self) -> Result<Self> {
        Self::from_registry(self.registry.clone())
    }

    /// The MLIR context.
    pub fn mlir(&self) -> &Context {
        &self.mlir
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    /// An empty registry but for the ABI's prefix parameters (`outputs`,
    /// `output_ticked`, `state`, `lifecycle_phase`).
    pub fn new() -> Self {
        Self {
            types: Vec::new(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            categories: vec![SourceCategory {
                id: "prefix".into(),
                order: -1,
                params: vec![
                    (param::OUTPUTS.into(), AbiType::Ptr),
                    (param::OUTPUT_TICKED.into(), AbiType::Ptr),
                    (param::STATE.into(), AbiType::Ptr),
                    (param::LIFECYCLE_PHASE.into(), AbiType::I8),
                ],
                inputs: None,
            }],
            calls: HashMap::new(),
            attributes: HashMap::new(),
            attribute_constants: HashMap::new(),
            binops: Vec::new(),
            namespaces: Default::default(),
            patterns: Vec::new(),
            methods: Vec::new(),
            properties: Vec::new(),
            const_calls: Vec::new(),
            containers: Vec::new(),
            start_bodies: Vec::new(),
            stop_bodies: Vec::new(),
            signal_processors: Vec::new(),
            externs: Vec::new(),
            versions: Default::default(),
            builtins: None,
            passes: Vec::new(),
        }
    }

    /// Records the registrations so far as cfuncc's own built-ins, which
    /// cfuncc's version identifies (`with_defaults` calls it).
    pub fn mark_builtins(&mut self) {
        self.builtins = Some(self.identity());
    }

    /// Whether every registration is identified by a version: only the
    /// built-ins, or an extension version declared with
    /// [`set_extension_version`](Self::set_extension_version). Only then may
    /// a node's code come from the shared remote cache, which other
    /// machines fill.
    pub fn is_versioned(&self) -> bool {
        !self.versions.is_empty() || self.builtins.as_deref() == Some(self.identity().as_str())
    }

    /// Declares the version of the extension `name`. The compile cache keys
    /// a node on every registration's kind and name and on these versions:
    /// bump an extension's version when you change what one of its
    /// registrations does without renaming it, or a cached `.so` of the old
    /// behaviour is reused.
    pub fn set_extension_version(&mut self, name: &str, version: &str) {
        self.versions.insert(name.to_string(), version.to_string());
    }

    /// What identifies the registrations, for the compile cache's key: every
    /// registration's kind and name, sorted, and the extension versions. The
    /// behaviour of a handler (a closure) cannot be hashed; its extension's
    /// version stands for it.
    pub fn identity(&self) -> String {
        let mut items: Vec<String> = Vec::new();
        let ty = |t: Ty| t.to_string();
        items.extend(
            self.types
                .iter()
                .map(|h| format!("type {} {}", h.annotation, ty(h.ty))),
        );
        items.extend(
            self.inputs
                .iter()
                .map(|h| format!("input {} {}", h.wrapper, h.category)),
        );
        items.extend(
            self.outputs
                .iter()
                .map(|h| format!("output {} {}", h.wrapper, h.named)),
        );
        items.extend(
            self.categories
                .iter()
                .map(|c| format!("category {} {} {:?}", c.id, c.order, c.params)),
        );
        for (name, hs) in &self.calls {
            items.extend(hs.iter().map(|h| format!("call {name} {}", h.priority)));
        }
        items.extend(
            self.attributes
                .values()
                .map(|h| format!("attribute {} {}", h.name, ty(h.ty))),
        );
        items.extend(self.binops.iter().map(|r| {
            format!(
                "binop {} {:?} {} {}",
                ty(r.lhs),
                r.op,
                ty(r.rhs),
                ty(r.result)
            )
        }));
        items.extend(self.namespaces.iter().map(|n| format!("namespace {n}")));
        items.extend(
            self.patterns
                .iter()
                .map(|p| format!("pattern {} {:?} {:?} {}", p.op, p.name, p.stage, p.priority)),
        );
        items.extend(
            self.methods
                .iter()
                .map(|m| format!("method {}", m.qualified())),
        );
        items.extend(
            self.properties
                .iter()
                .map(|p| format!("property {} {}", p.qualified(), ty(p.ty))),
        );
        items.extend(
            self.const_calls
                .iter()
                .map(|c| format!("const_call {}", c.name)),
        );
        items.extend(
            self.containers
                .iter()
                .map(|c| format!("container {} {:?}", c.name, c.kind)),
        );
        items.push(format!(
            "phase_bodies {} {}",
            self.start_bodies.len(),
            self.stop_bodies.len()
        ));
        items.extend(
            self.signal_processors
                .iter()
                .map(|(n, _)| format!("signal_processor {n}")),
        );
        items.extend(self.externs.iter().map(|e| format!("extern {}", e.key())));
        items.extend(self.passes.iter().map(|p| format!("pass {}", p.key())));
        items.extend(
            self.versions
                .iter()
                .map(|(n, v)| format!("version {n} {v}")),
        );
        items.sort();
        items.join("\n")
    }

    /// Registers a type annotation.
    pub fn register_type(&mut self, handler: TypeHandler) {
        self.types.push(handler);
        self.types.sort_by_key(|h| h.priority);
    }

    /// Registers an input wrapper (`Signal`).
    pub fn register_input_handler(&mut self, handler: InputHandler) {
        self.inputs.push(handler);
    }

    /// Registers an output wrapper (`Signal`, `Outputs`).
    pub fn register_output_handler(&mut self, handler: OutputHandler) {
        self.outputs.push(handler);
    }

    /// Registers a source category; a duplicate id or order, a duplicate
    /// parameter name, or input arrays naming parameters the category does
    /// not have, is an error.
    pub fn register_source_category(&mut self, cat: SourceCategory) -> Result<()> {
        for (i, (p, _)) in cat.params.iter().enumerate() {
            let taken = cat.params[..i].iter().any(|(q, _)| q == p)
                || self
                    .categories
                    .iter()
                    .any(|c| c.params.iter().any(|(q, _)| q == p));
            if taken {
                return Err(Error::Usage(format!(
                    "source category '{}': ABI parameter '{p}' is already taken",
                    cat.id
                )));
            }
        }
        if let Some(ins) = &cat.inputs {
            let has = |n: &str, t: AbiType| cat.params.iter().any(|(p, pt)| p == n && *pt == t);
            let ok = has(&ins.values, AbiType::Ptr)
                && ins.ticked.as_deref().is_none_or(|t| has(t, AbiType::Ptr))
                && ins.valid.as_deref().is_none_or(|v| has(v, AbiType::Ptr));
            if !ok {
                return Err(Error::Usage(format!(
                    "source category '{}': its input arrays must be pointer parameters of the category",
                    cat.id
                )));
            }
        }
        if let Some(c) = self
            .categories
            .iter()
            .find(|c| c.id == cat.id || c.order == cat.order)
        {
            return Err(Error::Usage(format!(
                "source category '{}' (order {}) clashes with '{}' (order {})",
                cat.id, cat.order, c.id, c.order
            )));
        }
        self.categories.push(cat);
        self.categories.sort_by_key(|c| c.order);
        Ok(())
    }

    /// Registers a container annotation and its constructor; a later
    /// registration of the same name replaces an earlier one.
    pub fn register_container(&mut self, handler: ContainerHandler) {
        self.containers.retain(|h| h.name != handler.name);
        self.containers.push(handler);
    }

    /// The container annotation called `name`.
    pub fn container_annotation(&self, name: &str) -> Option<&ContainerHandler> {
        self.containers.iter().find(|h| h.name == name)
    }

    /// Every container registration, in registration order.
    pub fn containers(&self) -> &[ContainerHandler] {
        &self.containers
    }

    /// The container whose constructor is called `name`.
    pub fn container_constructor(&self, name: &str) -> Option<&ContainerHandler> {
        self.containers
            .iter()
            .find(|h| h.constructor.as_deref() == Some(name))
    }

    /// Registers a callable.
    pub fn register_call(&mut self, handler: CallHandler) {
        let list = self.calls.entry(handler.name.clone()).or_default();
        list.push(handler);
        list.sort_by_key(|h| h.priority);
    }

    /// Registers a module attribute such as `math.pi`.
    pub fn register_attribute(&mut self, handler: AttributeHandler) {
        self.attributes.insert(handler.name.clone(), handler);
    }

    /// Registers a method on values of a type; a later registration of the
    /// same (type, name), as a method or a property, replaces an earlier one.
    pub fn register_method(&mut self, m: MethodHandler) {
        self.forget_member(m.receiver, &m.name);
        self.methods.push(m);
    }

    /// Registers an attribute read on values of a type (`dt.year`); a later
    /// registration of the same (type, name), as a method or a property,
    /// replaces an earlier one.
    pub fn register_property(&mut self, p: PropertyHandler) {
        self.forget_member(p.receiver, &p.name);
        self.properties.push(p);
    }

    /// Drops the method or property `name` of `receiver`, if registered.
    fn forget_member(&mut self, receiver: Ty, name: &str) {
        self.methods
            .retain(|h| !(h.receiver == receiver && h.name == name));
        self.properties
            .retain(|h| !(h.receiver == receiver && h.name == name));
    }

    /// The property `name` of type `receiver`.
    pub fn property(&self, receiver: Ty, name: &str) -> Option<&PropertyHandler> {
        self.properties
            .iter()
            .find(|h| h.receiver == receiver && h.name == name)
    }

    /// The properties registered for a type, for messages.
    pub fn properties_of(&self, receiver: Ty) -> Vec<&str> {
        self.properties
            .iter()
            .filter(|h| h.receiver == receiver)
            .map(|h| h.name.as_str())
            .collect()
    }

    /// Registers a call folded to a constant; a later registration of the
    /// same name replaces an earlier one.
    pub fn register_const_call(&mut self, h: ConstCallHandler) {
        self.const_calls.retain(|c| c.name != h.name);
        self.const_calls.push(h);
    }

    /// The constant-folded call `callee` names: by its last name, with at
    /// most one module in front (`datetime.datetime`, `dt.datetime`).
    pub fn const_call(&self, callee: &str) -> Option<&ConstCallHandler> {
        let last = match callee.rsplit_once('.') {
            Some((module, _)) if module.contains('.') => return None,
            Some((_, last)) => last,
            None => callee,
        };
        self.const_calls.iter().find(|c| c.name == last)
    }

    /// All constant-call handlers.
    pub fn all_const_calls(&self) -> impl Iterator<Item = &ConstCallHandler> {
        self.const_calls.iter()
    }

    /// All property handlers.
    pub fn all_properties(&self) -> impl Iterator<Item = &PropertyHandler> {
        self.properties.iter()
    }

    /// The method `name` of type `receiver`.
    pub fn method(&self, receiver: Ty, name: &str) -> Option<&MethodHandler> {
        self.methods
            .iter()
            .find(|h| h.receiver == receiver && h.name == name)
    }

    /// The methods registered for a type, for messages: the ones a node
    /// calls by name, not special methods such as `__neg__`.
    pub fn methods_of(&self, receiver: Ty) -> Vec<&str> {
        self.methods
            .iter()
            .filter(|h| h.receiver == receiver && !h.name.starts_with("__"))
            .map(|h| h.name.as_str())
            .collect()
    }

    /// All method handlers.
    pub fn all_methods(&self) -> impl Iterator<Item = &MethodHandler> {
        self.methods.iter()
    }

    /// Adds a rewrite pattern to `cfunc-resolve`.
    pub fn register_pattern(&mut self, p: OpPattern) {
        self.patterns.push(p);
        self.patterns.sort_by_key(|p| p.priority);
    }

    /// The registered patterns of a stage, best first.
    pub fn patterns(&self, stage: PatternStage) -> impl Iterator<Item = &OpPattern> {
        self.patterns.iter().filter(move |p| p.stage == stage)
    }

    /// Adds code to every node's START phase (after state initialisation).
    pub fn register_start_body(&mut self, body: PhaseBody) {
        self.start_bodies.push(body);
    }

    /// Adds code to every node's STOP phase (after containers are freed).
    pub fn register_stop_body(&mut self, body: PhaseBody) {
        self.stop_bodies.push(body);
    }

    /// The START and STOP hooks, in registration order.
    pub fn phase_bodies(&self) -> (&[PhaseBody], &[PhaseBody]) {
        (&self.start_bodies, &self.stop_bodies)
    }

    /// Registers a per-input hook whose results go to `metadata[name]`.
    pub fn register_signal_processor(&mut self, name: &str, p: SignalProcessor) {
        self.signal_processors.push((name.to_string(), p));
    }

    /// What the signal processors attach for `inputs`:
    /// `{processor: {input: value}}`. A processor that panics is an error
    /// naming it and the input.
    pub fn process_signals(
        &self,
        inputs: &[crate::abi::signature::InputSpec],
    ) -> Result<serde_json::Map<String, serde_json::Value>> {
        let mut out = serde_json::Map::new();
        for (name, p) in &self.signal_processors {
            let mut per_input = serde_json::Map::new();
            for i in inputs {
                let v = run_hook(|| Ok(p(i))).map_err(|m| {
                    Error::Usage(format!(
                        "signal processor '{name}' failed on input '{}': {m}",
                        i.name
                    ))
                })?;
                if let Some(v) = v {
                    per_input.insert(i.name.clone(), v);
                }
            }
            if !per_input.is_empty() {
                out.insert(name.clone(), per_input.into());
            }
        }
        Ok(out)
    }

    /// Registers the result type of a binary operation on non-numeric types.
    pub fn register_binop(&mut self, rule: BinopRule) {
        self.binops.push(rule);
    }

    /// The result type of `lhs op rhs` under the registered rules.
    pub fn binop(&self, lhs: Ty, op: ruff_python_ast::Operator, rhs: Ty) -> Option<Ty> {
        self.binops
            .iter()
            .find(|r| r.lhs == lhs && r.op == op && r.rhs == rhs)
            .map(|r| r.result)
    }

    /// The registered operations with `ty` on either side, for messages.
    pub fn binops_of(&self, ty: Ty) -> impl Iterator<Item = &BinopRule> {
        self.all_binops()
            .filter(move |r| r.lhs == ty || r.rhs == ty)
    }

    /// Every binary-operation rule, in registration order.
    pub fn all_binops(&self) -> impl Iterator<Item = &BinopRule> {
        self.binops.iter()
    }

    /// Registers an external C function that nodes compiled with this
    /// context may call by `f.name`, as if the source declared it with an
    /// `@extern` stub (a stub in the source shadows it). A name registered
    /// twice, or a name or symbol that is not an identifier, is an error.
    ///
    /// ```
    /// use cfuncc::{compile_to_mlir, CompilationContext, ExternFunction, Stage, Ty};
    /// let mut ctx = CompilationContext::with_defaults().unwrap();
    /// // double book_mid(int64_t bid, int64_t ask): pure, so LLVM merges
    /// // repeated calls. The host process, or `--link-bitcode`, provides it.
    /// ctx.register_extern(ExternFunction::new("book_mid", &[Ty::Int, Ty::Int], Some(Ty::Float)))
    ///     .unwrap();
    /// let src = "def mid(b: Signal[int], a: Signal[int]) -> Signal[float]:\n    return book_mid(b, a)\n";
    /// let ir = compile_to_mlir(&ctx, src, "mid", &Default::default(), &Default::default(), Stage::Cfunc)
    ///     .unwrap();
    /// assert!(ir.contains("call @book_mid"));
    /// ```
    pub fn register_extern(&mut self, f: crate::abi::externs::ExternFunction) -> Result<()> {
        crate::abi::externs::check_declaration(&f).map_err(Error::Usage)?;
        if self
            .externs
            .iter()
            .any(|e| e.name == f.name && e.receiver() == f.receiver())
        {
            return Err(Error::Usage(format!(
                "extern '{}' is already registered",
                f.name
            )));
        }
        self.externs.push(f);
        Ok(())
    }

    /// The registered extern function (not method) called `name`.
    pub fn extern_function(&self, name: &str) -> Option<&crate::abi::externs::ExternFunction> {
        self.externs.iter().find(|e| e.name == name && !e.method)
    }

    /// The registered extern method `name` of the struct type `receiver`.
    pub fn extern_method(
        &self,
        receiver: &str,
        name: &str,
    ) -> Option<&crate::abi::externs::ExternFunction> {
        self.externs
            .iter()
            .find(|e| e.name == name && e.receiver().is_some_and(|s| s.name == receiver))
    }

    /// Every registered extern.
    pub fn all_externs(&self) -> &[crate::abi::externs::ExternFunction] {
        &self.externs
    }

    /// The handler that claims a type (the first by priority), for its hooks.
    pub fn type_handler(&self, ty: Ty) -> Option<&TypeHandler> {
        self.types.iter().find(|h| h.ty == ty)
    }

    /// The type an annotation name stands for.
    pub fn type_for(&self, annotation: &str) -> Option<Ty> {
        self.types
            .iter()
            .find(|h| h.annotation == annotation)
            .map(|h| h.ty)
    }

    /// The handler of the annotation `name` (the first by priority).
    pub fn type_handler_named(&self, name: &str) -> Option<&TypeHandler> {
        self.types.iter().find(|h| h.annotation == name)
    }

    /// The names of all registered types, for messages.
    pub fn type_names(&self) -> Vec<&str> {
        self.types.iter().map(|h| h.annotation.as_str()).collect()
    }

    /// The input handler for a wrapper name.
    pub fn input_handler(&self, wrapper: &str) -> Option<&InputHandler> {
        self.inputs.iter().find(|h| h.wrapper == wrapper)
    }

    /// The output handler for a wrapper name.
    pub fn output_handler(&self, wrapper: &str) -> Option<&OutputHandler> {
        self.outputs.iter().find(|h| h.wrapper == wrapper)
    }

    /// The category with id `id`.
    pub fn category(&self, id: &str) -> Option<&SourceCategory> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// All source categories in ABI order.
    pub fn categories(&self) -> &[SourceCategory] {
        &self.categories
    }

    /// The highest-priority handler of a call name.
    pub fn call(&self, name: &str) -> Option<&CallHandler> {
        self.calls.get(name).and_then(|l| l.first())
    }

    /// Every handler of a call name, best first.
    pub fn calls_named(&self, name: &str) -> &[CallHandler] {
        self.calls.get(name).map_or(&[], Vec::as_slice)
    }

    /// All call handlers.
    pub fn all_calls(&self) -> impl Iterator<Item = &CallHandler> {
        self.calls.values().flatten()
    }

    /// An attribute handler.
    pub fn attribute(&self, name: &str) -> Option<&AttributeHandler> {
        self.attributes.get(name)
    }

    /// Records that the attribute `name` (registered with
    /// [`Registry::register_attribute`]) is the constant `value`, so it may
    /// stand where a literal is required (a state's initial value, a
    /// default, a module constant). An enum's members are.
    pub fn register_attribute_constant(&mut self, name: &str, value: ConstValue) {
        self.attribute_constants.insert(name.to_string(), value);
    }

    /// The constant value of the attribute `name` (`Side.BUY`), if it has
    /// one (see [`Registry::register_attribute_constant`]).
    pub fn attribute_constant(&self, name: &str) -> Option<&ConstValue> {
        self.attribute_constants.get(name)
    }

    /// Makes `namespace.X` resolve to the attribute handler `namespace.X`
    /// without an import (an enum's members: `Side.BUY`). Modules such as
    /// `math` are not namespaces: they need their `import`, as in Python.
    pub fn register_attribute_namespace(&mut self, namespace: &str) {
        self.namespaces.insert(namespace.to_string());
    }

    /// Whether `namespace` was registered with
    /// [`Registry::register_attribute_namespace`].
    pub fn has_attribute_namespace(&self, namespace: &str) -> bool {
        self.namespaces.contains(namespace)
    }

    /// All attribute handlers.
    pub fn all_attributes(&self) -> impl Iterator<Item = &AttributeHandler> {
        self.attributes.values()
    }
}
