//! Typed handles on MLIR's IR: the only place that turns the C API's raw
//! `Mlir*` structs into values safe code may hold.
//!
//! ```text
//! ContextRef<'c>  ── Type<'c>, Attribute<'c>, Location<'c>   (uniqued in the context)
//!      │
//! Operation<'c> ── Region<'c> ── Block<'c> ── Operation<'c> ...
//!      └── Value<'c> (results; block arguments)
//! ```
//! Every handle is `Copy`, has a private raw field and carries the
//! lifetime `'c` of what keeps its IR alive: the MLIR context, and the
//! module its operations sit in (a handle from [`Operation::of_module`]
//! borrows the module). Safe code gets handles only from other handles or
//! from a borrow of a live context or module; a raw handle becomes a typed
//! one only through `unsafe fn from_raw`, whose caller vouches for it, and
//! the raw handle is read back only inside the crate (`raw()`). Extension
//! callbacks receive handles under a higher-ranked lifetime
//! (`for<'c> Fn(&Builder<'c>, &[Value<'c>]) -> ...`), so none outlives the
//! callback.
//!
//! The safe methods check what the C API assumes and its release build does
//! not: an index within bounds, an attribute of the kind read, an operation
//! inside a block before it moves, and one context for everything an
//! operation, block or value refers to (a lifetime does not tell two live
//! contexts apart, and IR that refers to another context's types dangles
//! when that context goes). Operations are created only by
//! [`Builder`](super::builder::Builder) and blocks only inside a region, so
//! no detached IR changes hands. What a lifetime cannot express is erasure:
//! a handle to an erased operation (or its results) dangles. Safe code erases
//! only through a pattern's rewriter (`Rewrite::replace` / `erase`), which
//! acts when the callback has returned and its handles are gone; the passes'
//! direct erasure is `unsafe` ([`Operation::destroy`]).
//!
//! ```compile_fail,E0521
//! // A handle cannot leave the callback it was given to: the handler
//! // types are higher-ranked over its lifetime.
//! use cfuncc::dialect::ir::Value;
//! use std::cell::RefCell;
//! thread_local!(static KEPT: RefCell<Vec<Value<'static>>> = RefCell::new(Vec::new()));
//! let _lower: cfuncc::context::PropertyFn = std::sync::Arc::new(|_b, v| {
//!     KEPT.with(|k| k.borrow_mut().push(v));
//!     Ok(v)
//! });
//! ```
//! ```compile_fail,E0133
//! // Nor can safe code make one from a pointer.
//! let v = cfuncc::dialect::ir::Value::from_raw(mlir_sys::MlirValue { ptr: 0x1234 as _ });
//! ```

use mlir_sys::*;
use std::ffi::c_void;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// Makes an `MlirStringRef` borrowing `s` (text, or bytes such as MLIR
/// bytecode).
pub(crate) fn sref(s: &(impl AsRef<[u8]> + ?Sized)) -> MlirStringRef {
    let s = s.as_ref();
    MlirStringRef {
        data: s.as_ptr() as *const _,
        length: s.len(),
    }
}

/// Copies an `MlirStringRef` into a Rust string (lossily, as UTF-8).
///
/// # Safety
/// `s.data` is null or points at `s.length` readable bytes.
pub(crate) unsafe fn string_of(s: MlirStringRef) -> String {
    if s.data.is_null() {
        return String::new();
    }
    let bytes = unsafe { std::slice::from_raw_parts(s.data as *const u8, s.length) };
    String::from_utf8_lossy(bytes).into_owned()
}

/// Collects what an MLIR print callback writes into a string. The printer
/// calls back once per token, so the bytes are gathered first and checked
/// as UTF-8 once.
pub(crate) fn printed(print: impl FnOnce(MlirStringCallback, *mut c_void)) -> String {
    let mut out: Vec<u8> = Vec::new();
    unsafe extern "C" fn cb(s: MlirStringRef, data: *mut c_void) {
        let out = unsafe { &mut *(data as *mut Vec<u8>) };
        if !s.data.is_null() {
            out.extend_from_slice(unsafe {
                std::slice::from_raw_parts(s.data as *const u8, s.length)
            });
        }
    }
    print(Some(cb), &mut out as *mut Vec<u8> as *mut _);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident, $raw:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'c> {
            raw: $raw,
            _c: PhantomData<&'c ()>,
        }

        impl<'c> $name<'c> {
            /// Wraps a raw handle from the MLIR C API.
            ///
            /// # Safety
            /// `raw` is a live, non-null handle, and what keeps it alive (its
            /// context; for IR, the operation or module that owns it) stays
            /// alive and in place for `'c`.
            pub unsafe fn from_raw(raw: $raw) -> Self {
                debug_assert!(!raw.ptr.is_null(), concat!("a null ", stringify!($raw)));
                Self {
                    raw,
                    _c: PhantomData,
                }
            }

            /// The raw handle, for the C API.
            #[allow(dead_code)] // not every kind is passed back raw
            pub(crate) fn raw(self) -> $raw {
                self.raw
            }

            /// `Some` of a raw handle the C API may return null.
            ///
            /// # Safety
            /// As [`Self::from_raw`] when `raw` is not null.
            #[allow(dead_code)]
            unsafe fn from_nullable(raw: $raw) -> Option<Self> {
                (!raw.ptr.is_null()).then(|| unsafe { Self::from_raw(raw) })
            }
        }

        impl PartialEq for $name<'_> {
            fn eq(&self, other: &Self) -> bool {
                // Handles are pointers; types, attributes and locations
                // are uniqued, so the pointer is their identity too.
                self.raw.ptr as *const c_void == other.raw.ptr as *const c_void
            }
        }

        impl Eq for $name<'_> {}

        impl Hash for $name<'_> {
            fn hash<H: Hasher>(&self, state: &mut H) {
                (self.raw.ptr as usize).hash(state)
            }
        }
    };
}

handle!(
    /// An MLIR context, borrowed for `'c`.
    ContextRef,
    MlirContext
);
handle!(
    /// A source location (`loc("node.py":3:5)`, `loc(unknown)`, ...).
    Location,
    MlirLocation
);
handle!(
    /// A type (`i64`, `!llvm.ptr`, `!cfunc.list<f64>`).
    Type,
    MlirType
);
handle!(
    /// An attribute (`3 : i64`, `"name"`, `@symbol`, `array<i64: 1, 2>`).
    Attribute,
    MlirAttribute
);
handle!(
    /// An SSA value: an operation's result or a block argument.
    Value,
    MlirValue
);
handle!(
    /// An operation, not owned: it lives in a block of the IR.
    Operation,
    MlirOperation
);
handle!(
    /// A block of a region.
    Block,
    MlirBlock
);

/// A region of an operation, and the operation (its context is the
/// region's).
#[derive(Clone, Copy)]
pub struct Region<'c> {
    raw: MlirRegion,
    owner: Operation<'c>,
}

impl<'c> Region<'c> {
    /// Wraps a raw region of the operation `owner`.
    ///
    /// # Safety
    /// `raw` is a live region of `owner`.
    pub unsafe fn from_raw(raw: MlirRegion, owner: Operation<'c>) -> Self {
        debug_assert!(!raw.ptr.is_null(), "a null MlirRegion");
        Self { raw, owner }
    }

    /// The raw handle, for the C API.
    #[allow(dead_code)] // kept beside the other kinds' accessor
    pub(crate) fn raw(self) -> MlirRegion {
        self.raw
    }

    /// The operation holding the region.
    pub fn owner(self) -> Operation<'c> {
        self.owner
    }
}

impl PartialEq for Region<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.raw.ptr == other.raw.ptr
    }
}

impl Eq for Region<'_> {}

impl Hash for Region<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.raw.ptr as usize).hash(state)
    }
}

macro_rules! display {
    ($name:ident, $print:ident) => {
        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&printed(|cb, data| unsafe { $print(self.raw, cb, data) }))
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({self})", stringify!($name))
            }
        }
    };
}

display!(Location, mlirLocationPrint);
display!(Type, mlirTypePrint);
display!(Attribute, mlirAttributePrint);
display!(Value, mlirValuePrint);
display!(Operation, mlirOperationPrint);

impl fmt::Debug for ContextRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContextRef({:p})", self.raw.ptr)
    }
}

impl fmt::Debug for Block<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Block({:p})", self.raw.ptr)
    }
}

impl fmt::Debug for Region<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({:p})", self.raw.ptr)
    }
}

/// Panics unless `got` is `expected`: IR of one context must not refer to
/// types, attributes, values or blocks of another, which die with it.
pub(crate) fn same_context(expected: ContextRef<'_>, got: ContextRef<'_>, what: &str) {
    assert!(
        expected.raw.ptr == got.raw.ptr,
        "{what} of another MLIR context"
    );
}

/// Panics unless `i < n`: the C API indexes without checking.
fn check_index(i: usize, n: isize, what: &str) -> isize {
    if i as isize >= n || i > isize::MAX as usize {
        panic!("{what} {i} out of range ({n})");
    }
    i as isize
}

// ---- context ----------------------------------------------------------------

impl<'c> ContextRef<'c> {
    /// The context of a live melior context.
    pub fn new(ctx: &'c melior::Context) -> Self {
        // SAFETY: the melior context is alive for 'c.
        unsafe { Self::from_raw(ctx.to_raw()) }
    }
}

// ---- locations --------------------------------------------------------------

impl<'c> Location<'c> {
    /// `loc(unknown)`.
    pub fn unknown(ctx: ContextRef<'c>) -> Self {
        unsafe { Self::from_raw(mlirLocationUnknownGet(ctx.raw)) }
    }

    /// `loc("file":line:col)`.
    pub fn new(ctx: ContextRef<'c>, file: &str, line: u32, col: u32) -> Self {
        unsafe { Self::from_raw(mlirLocationFileLineColGet(ctx.raw, sref(file), line, col)) }
    }

    /// The context the location lives in.
    pub fn context(self) -> ContextRef<'c> {
        unsafe { ContextRef::from_raw(mlirLocationGetContext(self.raw)) }
    }

    /// The file position the location points at: the first `file:line:col`
    /// found in it, looking through call-site (callee first), fused and
    /// name locations. `None` for an unknown location.
    pub fn position(self) -> Option<(String, u32, u32)> {
        let loc = self.raw;
        unsafe {
            if mlirLocationIsAFileLineColRange(loc) {
                let file = string_of(mlirIdentifierStr(mlirLocationFileLineColRangeGetFilename(
                    loc,
                )));
                let line = mlirLocationFileLineColRangeGetStartLine(loc);
                let col = mlirLocationFileLineColRangeGetStartColumn(loc);
                return Some((file, line.max(0) as u32, col.max(0) as u32));
            }
            if mlirLocationIsACallSite(loc) {
                let callee = Location::from_raw(mlirLocationCallSiteGetCallee(loc));
                let caller = Location::from_raw(mlirLocationCallSiteGetCaller(loc));
                return callee.position().or_else(|| caller.position());
            }
            if mlirLocationIsAName(loc) {
                return Location::from_raw(mlirLocationNameGetChildLoc(loc)).position();
            }
            if mlirLocationIsAFused(loc) {
                let n = mlirLocationFusedGetNumLocations(loc);
                let mut locs = vec![loc; n as usize];
                mlirLocationFusedGetLocations(loc, locs.as_mut_ptr());
                return locs
                    .into_iter()
                    .find_map(|l| Location::from_raw(l).position());
            }
            None
        }
    }

    /// The file of a `loc("file":L:C)` location itself; `None` for any
    /// other kind.
    pub fn file_name(self) -> Option<String> {
        unsafe {
            mlirLocationIsAFileLineColRange(self.raw).then(|| {
                string_of(mlirIdentifierStr(mlirLocationFileLineColRangeGetFilename(
                    self.raw,
                )))
            })
        }
    }

    /// The same `loc("file":L:C)` range in the file `file`; `None` for any
    /// other kind of location.
    pub fn with_file_name(self, file: &str) -> Option<Location<'c>> {
        let loc = self.raw;
        unsafe {
            if !mlirLocationIsAFileLineColRange(loc) {
                return None;
            }
            Some(Location::from_raw(mlirLocationFileLineColRangeGet(
                mlirLocationGetContext(loc),
                sref(file),
                mlirLocationFileLineColRangeGetStartLine(loc) as u32,
                mlirLocationFileLineColRangeGetStartColumn(loc) as u32,
                mlirLocationFileLineColRangeGetEndLine(loc) as u32,
                mlirLocationFileLineColRangeGetEndColumn(loc) as u32,
            )))
        }
    }

    /// Line and column of a `loc("file":L:C)` location itself; `(0, 0)`
    /// for any other kind.
    pub fn line_col(self) -> (i64, i64) {
        unsafe {
            if mlirLocationIsAFileLineColRange(self.raw) {
                (
                    mlirLocationFileLineColRangeGetStartLine(self.raw) as i64,
                    mlirLocationFileLineColRangeGetStartColumn(self.raw) as i64,
                )
            } else {
                (0, 0)
            }
        }
    }
}

// ---- types ------------------------------------------------------------------

/// The widest integer type MLIR accepts.
const MAX_INT_WIDTH: u32 = 1 << 24;

impl<'c> Type<'c> {
    /// `i<bits>` (signless).
    pub fn integer(ctx: ContextRef<'c>, bits: u32) -> Self {
        assert!(bits <= MAX_INT_WIDTH, "an integer type of {bits} bits");
        unsafe { Self::from_raw(mlirIntegerTypeGet(ctx.raw, bits)) }
    }

    /// `f64`.
    pub fn f64(ctx: ContextRef<'c>) -> Self {
        unsafe { Self::from_raw(mlirF64TypeGet(ctx.raw)) }
    }

    /// `f32`.
    pub fn f32(ctx: ContextRef<'c>) -> Self {
        unsafe { Self::from_raw(mlirF32TypeGet(ctx.raw)) }
    }

    /// `!llvm.ptr` (address space 0).
    pub fn llvm_ptr(ctx: ContextRef<'c>) -> Self {
        unsafe { Self::from_raw(mlirLLVMPointerTypeGet(ctx.raw, 0)) }
    }

    /// `(inputs) -> (results)`.
    pub fn function(ctx: ContextRef<'c>, inputs: &[Type<'c>], results: &[Type<'c>]) -> Self {
        for t in inputs.iter().chain(results) {
            same_context(ctx, t.context(), "a function type's part");
        }
        let ins: Vec<MlirType> = inputs.iter().map(|t| t.raw).collect();
        let outs: Vec<MlirType> = results.iter().map(|t| t.raw).collect();
        unsafe {
            Self::from_raw(mlirFunctionTypeGet(
                ctx.raw,
                ins.len() as isize,
                ins.as_ptr(),
                outs.len() as isize,
                outs.as_ptr(),
            ))
        }
    }

    /// Parses a type from its text; `None` when it does not parse (MLIR
    /// reports why to the context's diagnostic handlers).
    pub fn parse(ctx: ContextRef<'c>, text: &str) -> Option<Self> {
        unsafe { Self::from_nullable(mlirTypeParseGet(ctx.raw, sref(text))) }
    }

    /// The context the type lives in.
    pub fn context(self) -> ContextRef<'c> {
        unsafe { ContextRef::from_raw(mlirTypeGetContext(self.raw)) }
    }

    /// Whether this is `f64`.
    pub fn is_f64(self) -> bool {
        unsafe { mlirTypeIsAF64(self.raw) }
    }

    /// Whether this is a float type of any width.
    pub fn is_float(self) -> bool {
        unsafe { mlirTypeIsAFloat(self.raw) }
    }

    /// Whether this is `!llvm.ptr`.
    pub fn is_llvm_ptr(self) -> bool {
        unsafe { mlirTypeIsALLVMPointerType(self.raw) }
    }

    /// The width of an integer type; `None` for another type.
    pub fn integer_width(self) -> Option<u32> {
        unsafe { mlirTypeIsAInteger(self.raw).then(|| mlirIntegerTypeGetWidth(self.raw)) }
    }

    /// The input types of a function type; `None` for another type.
    pub fn function_inputs(self) -> Option<Vec<Type<'c>>> {
        unsafe {
            if !mlirTypeIsAFunction(self.raw) {
                return None;
            }
            let n = mlirFunctionTypeGetNumInputs(self.raw);
            Some(
                (0..n)
                    .map(|i| Type::from_raw(mlirFunctionTypeGetInput(self.raw, i)))
                    .collect(),
            )
        }
    }
}

// ---- attributes -------------------------------------------------------------

impl<'c> Attribute<'c> {
    /// An integer attribute `v : ty`; `ty` must be an integer or index type.
    pub fn integer(ty: Type<'c>, v: i64) -> Self {
        let ok = unsafe { mlirTypeIsAInteger(ty.raw) || mlirTypeIsAIndex(ty.raw) };
        assert!(ok, "an integer attribute of type {ty}");
        unsafe { Self::from_raw(mlirIntegerAttrGet(ty.raw, v)) }
    }

    /// A float attribute `v : ty`; `ty` must be a float type.
    pub fn float(ty: Type<'c>, v: f64) -> Self {
        assert!(ty.is_float(), "a float attribute of type {ty}");
        unsafe {
            Self::from_raw(mlirFloatAttrDoubleGet(
                mlirTypeGetContext(ty.raw),
                ty.raw,
                v,
            ))
        }
    }

    /// A string attribute.
    pub fn string(ctx: ContextRef<'c>, s: &str) -> Self {
        unsafe { Self::from_raw(mlirStringAttrGet(ctx.raw, sref(s))) }
    }

    /// A flat symbol reference `@name`.
    pub fn symbol(ctx: ContextRef<'c>, name: &str) -> Self {
        unsafe { Self::from_raw(mlirFlatSymbolRefAttrGet(ctx.raw, sref(name))) }
    }

    /// A type attribute.
    pub fn of_type(ty: Type<'c>) -> Self {
        unsafe { Self::from_raw(mlirTypeAttrGet(ty.raw)) }
    }

    /// `unit`.
    pub fn unit(ctx: ContextRef<'c>) -> Self {
        unsafe { Self::from_raw(mlirUnitAttrGet(ctx.raw)) }
    }

    /// `array<i32: ...>`.
    pub fn i32_array(ctx: ContextRef<'c>, values: &[i32]) -> Self {
        unsafe {
            Self::from_raw(mlirDenseI32ArrayGet(
                ctx.raw,
                values.len() as isize,
                values.as_ptr(),
            ))
        }
    }

    /// `array<i64: ...>`.
    pub fn i64_array(ctx: ContextRef<'c>, values: &[i64]) -> Self {
        unsafe {
            Self::from_raw(mlirDenseI64ArrayGet(
                ctx.raw,
                values.len() as isize,
                values.as_ptr(),
            ))
        }
    }

    /// Parses an attribute from its text; `None` when it does not parse.
    pub fn parse(ctx: ContextRef<'c>, text: &str) -> Option<Self> {
        unsafe { Self::from_nullable(mlirAttributeParseGet(ctx.raw, sref(text))) }
    }

    /// The context the attribute lives in.
    pub fn context(self) -> ContextRef<'c> {
        unsafe { ContextRef::from_raw(mlirAttributeGetContext(self.raw)) }
    }

    /// An integer attribute's value.
    pub fn as_int(self) -> Option<i64> {
        unsafe { mlirAttributeIsAInteger(self.raw).then(|| mlirIntegerAttrGetValueInt(self.raw)) }
    }

    /// A string attribute's value.
    pub fn as_string(self) -> Option<String> {
        unsafe {
            mlirAttributeIsAString(self.raw).then(|| string_of(mlirStringAttrGetValue(self.raw)))
        }
    }

    /// A flat symbol reference's name (without `@`).
    pub fn as_symbol(self) -> Option<String> {
        unsafe {
            mlirAttributeIsAFlatSymbolRef(self.raw)
                .then(|| string_of(mlirFlatSymbolRefAttrGetValue(self.raw)))
        }
    }

    /// A type attribute's type.
    pub fn as_type(self) -> Option<Type<'c>> {
        unsafe {
            mlirAttributeIsAType(self.raw).then(|| Type::from_raw(mlirTypeAttrGetValue(self.raw)))
        }
    }

    /// The elements of an array attribute.
    pub fn elements(self) -> Option<Vec<Attribute<'c>>> {
        unsafe {
            if !mlirAttributeIsAArray(self.raw) {
                return None;
            }
            let n = mlirArrayAttrGetNumElements(self.raw);
            Some(
                (0..n)
                    .map(|i| Attribute::from_raw(mlirArrayAttrGetElement(self.raw, i)))
                    .collect(),
            )
        }
    }

    /// The entry `name` of a dictionary attribute.
    pub fn get(self, name: &str) -> Option<Attribute<'c>> {
        unsafe {
            if !mlirAttributeIsADictionary(self.raw) {
                return None;
            }
            Attribute::from_nullable(mlirDictionaryAttrGetElementByName(self.raw, sref(name)))
        }
    }

    /// The values of an `array<i64: ...>` attribute.
    pub fn i64_values(self) -> Option<Vec<i64>> {
        unsafe {
            if !mlirAttributeIsADenseI64Array(self.raw) {
                return None;
            }
            let n = mlirDenseArrayGetNumElements(self.raw);
            Some(
                (0..n)
                    .map(|i| mlirDenseI64ArrayGetElement(self.raw, i))
                    .collect(),
            )
        }
    }
}

// ---- values -----------------------------------------------------------------

impl<'c> Value<'c> {
    /// The value's type.
    pub fn ty(self) -> Type<'c> {
        unsafe { Type::from_raw(mlirValueGetType(self.raw)) }
    }

    /// The context the value lives in.
    pub fn context(self) -> ContextRef<'c> {
        unsafe { ContextRef::from_raw(mlirValueGetContext(self.raw)) }
    }

    /// The value's location (a block argument's own, or its op's).
    pub fn location(self) -> Location<'c> {
        unsafe { Location::from_raw(mlirValueGetLocation(self.raw)) }
    }

    /// The op whose result this is; `None` for a block argument.
    pub fn defining_op(self) -> Option<Operation<'c>> {
        unsafe {
            mlirValueIsAOpResult(self.raw)
                .then(|| Operation::from_raw(mlirOpResultGetOwner(self.raw)))
        }
    }

    /// Whether anything uses the value.
    pub fn has_uses(self) -> bool {
        unsafe { !mlirOpOperandIsNull(mlirValueGetFirstUse(self.raw)) }
    }

    /// Makes every use of this value use `with` instead.
    pub fn replace_all_uses_with(self, with: Value<'c>) {
        same_context(self.context(), with.context(), "a replacement value");
        unsafe { mlirValueReplaceAllUsesOfWith(self.raw, with.raw) }
    }
}

// ---- operations -------------------------------------------------------------

impl<'c> Operation<'c> {
    /// The `builtin.module` operation of a module, for as long as the
    /// module is borrowed.
    pub fn of_module<'m>(module: &'m melior::ir::Module<'_>) -> Operation<'m> {
        // SAFETY: the module owns its operation and is borrowed for 'm.
        unsafe { Operation::from_raw(mlirModuleGetOperation(module.to_raw())) }
    }

    /// The name, `dialect.op`.
    pub fn name(self) -> String {
        String::from_utf8_lossy(self.name_bytes()).into_owned()
    }

    /// Whether the name is `name` (without copying it).
    pub fn is(self, name: &str) -> bool {
        self.name_bytes() == name.as_bytes()
    }

    /// Whether the name starts with `prefix` (`llvm.`).
    pub fn name_starts_with(self, prefix: &str) -> bool {
        self.name_bytes().starts_with(prefix.as_bytes())
    }

    /// The name's bytes, owned by the context (identifiers live as long as
    /// it does).
    fn name_bytes(self) -> &'c [u8] {
        unsafe {
            let s = mlirIdentifierStr(mlirOperationGetName(self.raw));
            if s.data.is_null() {
                return &[];
            }
            std::slice::from_raw_parts(s.data as *const u8, s.length)
        }
    }

    /// The location.
    pub fn location(self) -> Location<'c> {
        unsafe { Location::from_raw(mlirOperationGetLocation(self.raw)) }
    }

    /// Sets the location.
    pub fn set_location(self, loc: Location<'c>) {
        same_context(self.context(), loc.context(), "a location");
        unsafe { mlirOperationSetLocation(self.raw, loc.raw) }
    }

    /// The context the operation lives in.
    pub fn context(self) -> ContextRef<'c> {
        unsafe { ContextRef::from_raw(mlirOperationGetContext(self.raw)) }
    }

    /// The number of operands.
    pub fn num_operands(self) -> usize {
        unsafe { mlirOperationGetNumOperands(self.raw).max(0) as usize }
    }

    /// Operand `i`; panics when there is none.
    pub fn operand(self, i: usize) -> Value<'c> {
        let i = check_index(i, self.num_operands() as isize, "operand");
        unsafe { Value::from_raw(mlirOperationGetOperand(self.raw, i)) }
    }

    /// The operands.
    pub fn operands(self) -> Vec<Value<'c>> {
        (0..self.num_operands()).map(|i| self.operand(i)).collect()
    }

    /// The number of results.
    pub fn num_results(self) -> usize {
        unsafe { mlirOperationGetNumResults(self.raw).max(0) as usize }
    }

    /// Result `i`; panics when there is none.
    pub fn result(self, i: usize) -> Value<'c> {
        let i = check_index(i, self.num_results() as isize, "result");
        unsafe { Value::from_raw(mlirOperationGetResult(self.raw, i)) }
    }

    /// The results.
    pub fn results(self) -> Vec<Value<'c>> {
        (0..self.num_results()).map(|i| self.result(i)).collect()
    }

    /// The attribute `name`, inherent or discardable.
    pub fn attr(self, name: &str) -> Option<Attribute<'c>> {
        unsafe { Attribute::from_nullable(mlirOperationGetAttributeByName(self.raw, sref(name))) }
    }

    /// The integer attribute `name`'s value.
    pub fn int_attr(self, name: &str) -> Option<i64> {
        self.attr(name).and_then(Attribute::as_int)
    }

    /// The string attribute `name`'s value.
    pub fn str_attr(self, name: &str) -> Option<String> {
        self.attr(name).and_then(Attribute::as_string)
    }

    /// Sets the attribute `name`.
    pub fn set_attr(self, name: &str, value: Attribute<'c>) {
        same_context(self.context(), value.context(), "an attribute");
        unsafe { mlirOperationSetAttributeByName(self.raw, sref(name), value.raw) }
    }

    /// Sets the discardable attribute `name` (one the op does not define,
    /// such as `cfunc.fault_slot` on a module).
    pub fn set_discardable_attr(self, name: &str, value: Attribute<'c>) {
        same_context(self.context(), value.context(), "an attribute");
        unsafe { mlirOperationSetDiscardableAttributeByName(self.raw, sref(name), value.raw) }
    }

    /// The number of regions.
    pub fn num_regions(self) -> usize {
        unsafe { mlirOperationGetNumRegions(self.raw).max(0) as usize }
    }

    /// Region `i`; panics when there is none.
    pub fn region(self, i: usize) -> Region<'c> {
        let i = check_index(i, self.num_regions() as isize, "region");
        unsafe { Region::from_raw(mlirOperationGetRegion(self.raw, i), self) }
    }

    /// The block holding the operation.
    pub fn block(self) -> Option<Block<'c>> {
        unsafe { Block::from_nullable(mlirOperationGetBlock(self.raw)) }
    }

    /// The operation holding this one's block.
    pub fn parent(self) -> Option<Operation<'c>> {
        unsafe { Operation::from_nullable(mlirOperationGetParentOperation(self.raw)) }
    }

    /// The nearest operation enclosing this one (not itself) whose name is
    /// one of `names`.
    pub fn ancestor(self, names: &[&str]) -> Option<Operation<'c>> {
        let mut op = self.parent();
        while let Some(o) = op {
            if names.iter().any(|n| o.is(n)) {
                return Some(o);
            }
            op = o.parent();
        }
        None
    }

    /// The next operation in the same block.
    pub fn next(self) -> Option<Operation<'c>> {
        unsafe { Operation::from_nullable(mlirOperationGetNextInBlock(self.raw)) }
    }

    /// The operation `@name` of this module's symbol table; `None` when
    /// there is none, or when this is not a `builtin.module`.
    pub fn lookup_symbol(self, name: &str) -> Option<Operation<'c>> {
        // Only a symbol table may be asked (MLIR asserts it).
        if !self.is("builtin.module") {
            return None;
        }
        unsafe {
            let table = mlirSymbolTableCreate(self.raw);
            let found = mlirSymbolTableLookup(table, sref(name));
            mlirSymbolTableDestroy(table);
            Operation::from_nullable(found)
        }
    }

    /// Moves this operation right before `other`, which may be in another
    /// block. Both must be in a block.
    pub fn move_before(self, other: Operation<'c>) {
        assert!(
            self.block().is_some() && other.block().is_some(),
            "moving an operation that is not in a block"
        );
        same_context(
            self.context(),
            other.context(),
            "an operation to move before",
        );
        unsafe { mlirOperationMoveBefore(self.raw, other.raw) }
    }

    /// Moves this operation to the end of `block`.
    pub fn move_to_end(self, block: Block<'c>) {
        assert!(self.block().is_some(), "moving an operation not in a block");
        same_context(self.context(), block.context(), "a block to move into");
        unsafe {
            mlirOperationRemoveFromParent(self.raw);
            mlirBlockAppendOwnedOperation(block.raw, self.raw);
        }
    }

    /// Erases the operation (and what it holds) from its block.
    ///
    /// # Safety
    /// Nothing uses its results any more, and no handle to it, to its
    /// results or to anything inside it is used afterwards.
    pub unsafe fn destroy(self) {
        unsafe { mlirOperationDestroy(self.raw) }
    }

    /// The operations nested in this one (itself included) named `name`,
    /// in post-order, collected before the caller changes any.
    pub fn collect(self, name: &str) -> Vec<Operation<'c>> {
        let mut out = Vec::new();
        self.walk(&mut |op| {
            if op.is(name) {
                out.push(op);
            }
        });
        out
    }

    /// Calls `f` on every operation nested in this one, then on this one
    /// (post-order). `f` must not erase or move operations.
    pub fn walk(self, f: &mut dyn FnMut(Operation<'c>)) {
        for r in 0..self.num_regions() {
            for block in self.region(r).blocks() {
                let mut inner = block.first_op();
                while let Some(op) = inner {
                    op.walk(f);
                    inner = op.next();
                }
            }
        }
        f(self);
    }

    /// Runs MLIR's verifier; its errors go to the context's diagnostic
    /// handlers.
    pub fn verify(self) -> bool {
        unsafe { mlirOperationVerify(self.raw) }
    }

    /// Prints the operation, with locations (`loc(#locN)` references and
    /// their definitions after it) when `debuginfo`, and without the
    /// printer verifying it first when `verified` (it has just been).
    pub fn print_with(self, debuginfo: bool, verified: bool) -> String {
        printed(|cb, data| unsafe {
            let flags = mlirOpPrintingFlagsCreate();
            if debuginfo {
                mlirOpPrintingFlagsEnableDebugInfo(flags, true, false);
            }
            if verified {
                mlirOpPrintingFlagsAssumeVerified(flags);
            }
            mlirOperationPrintWithFlags(self.raw, flags, cb, data);
            mlirOpPrintingFlagsDestroy(flags);
        })
    }
}

// ---- blocks -----------------------------------------------------------------

impl<'c> Block<'c> {
    /// The number of arguments.
    pub fn num_arguments(self) -> usize {
        unsafe { mlirBlockGetNumArguments(self.raw).max(0) as usize }
    }

    /// Argument `i`; panics when there is none.
    pub fn argument(self, i: usize) -> Value<'c> {
        let i = check_index(i, self.num_arguments() as isize, "block argument");
        unsafe { Value::from_raw(mlirBlockGetArgument(self.raw, i)) }
    }

    /// The arguments.
    pub fn arguments(self) -> Vec<Value<'c>> {
        (0..self.num_arguments())
            .map(|i| self.argument(i))
            .collect()
    }

    /// Sets the location of argument `i`; panics when there is none.
    pub fn set_argument_location(self, i: usize, loc: Location<'c>) {
        same_context(self.context(), loc.context(), "a location");
        let arg = self.argument(i);
        unsafe { mlirBlockArgumentSetLocation(arg.raw, loc.raw) }
    }

    /// The first operation.
    pub fn first_op(self) -> Option<Operation<'c>> {
        unsafe { Operation::from_nullable(mlirBlockGetFirstOperation(self.raw)) }
    }

    /// The operations, in order.
    pub fn operations(self) -> Vec<Operation<'c>> {
        std::iter::successors(self.first_op(), |op| op.next()).collect()
    }

    /// The last operation, the terminator of a finished block.
    pub fn terminator(self) -> Option<Operation<'c>> {
        // The C API reads the last operation of a non-empty block.
        self.first_op()?;
        unsafe { Operation::from_nullable(mlirBlockGetTerminator(self.raw)) }
    }

    /// The context the block's IR lives in.
    pub fn context(self) -> ContextRef<'c> {
        // Blocks exist only inside an operation's region (`Region`).
        self.parent_op()
            .expect("a block inside an operation")
            .context()
    }

    /// The region holding the block.
    pub fn parent_region(self) -> Option<Region<'c>> {
        let owner = self.parent_op()?;
        unsafe {
            let raw = mlirBlockGetParentRegion(self.raw);
            (!raw.ptr.is_null()).then(|| Region::from_raw(raw, owner))
        }
    }

    /// The operation holding the block's region.
    pub fn parent_op(self) -> Option<Operation<'c>> {
        unsafe { Operation::from_nullable(mlirBlockGetParentOperation(self.raw)) }
    }

    /// The next block of the region.
    pub fn next(self) -> Option<Block<'c>> {
        unsafe { Block::from_nullable(mlirBlockGetNextInRegion(self.raw)) }
    }

    /// Parses `text` as a module and moves its top-level operations to the
    /// end of this block; `false` when it does not parse (MLIR reports why).
    pub fn append_parsed(self, text: &str) -> bool {
        let Some(parent) = self.parent_op() else {
            return false;
        };
        unsafe {
            let parsed = mlirModuleCreateParse(parent.context().raw, sref(text));
            if parsed.ptr.is_null() {
                return false;
            }
            let mut op = mlirBlockGetFirstOperation(mlirModuleGetBody(parsed));
            while !op.ptr.is_null() {
                let next = mlirOperationGetNextInBlock(op);
                mlirOperationRemoveFromParent(op);
                mlirBlockAppendOwnedOperation(self.raw, op);
                op = next;
            }
            mlirModuleDestroy(parsed);
        }
        true
    }
}

// ---- regions ----------------------------------------------------------------

/// A new detached block with arguments of `args`, all at `loc`, for a
/// region of `owner`.
///
/// # Safety
/// The caller inserts it into the region at once.
unsafe fn create_block(owner: Operation<'_>, args: &[Type<'_>], loc: Location<'_>) -> MlirBlock {
    let ctx = owner.context();
    same_context(ctx, loc.context(), "a block's location");
    for t in args {
        same_context(ctx, t.context(), "a block argument's type");
    }
    let types: Vec<MlirType> = args.iter().map(|t| t.raw).collect();
    let locs = vec![loc.raw; args.len()];
    unsafe { mlirBlockCreate(types.len() as isize, types.as_ptr(), locs.as_ptr()) }
}

impl<'c> Region<'c> {
    /// The first block.
    pub fn first_block(self) -> Option<Block<'c>> {
        unsafe { Block::from_nullable(mlirRegionGetFirstBlock(self.raw)) }
    }

    /// The blocks, in order.
    pub fn blocks(self) -> Vec<Block<'c>> {
        std::iter::successors(self.first_block(), |b| b.next()).collect()
    }

    /// A new block at the end, with arguments of types `args`.
    pub fn append_block(self, args: &[Type<'c>], loc: Location<'c>) -> Block<'c> {
        unsafe {
            let block = create_block(self.owner, args, loc);
            mlirRegionAppendOwnedBlock(self.raw, block);
            Block::from_raw(block)
        }
    }

    /// A new block right before `anchor`, a block of this region.
    pub fn insert_block_before(
        self,
        anchor: Block<'c>,
        args: &[Type<'c>],
        loc: Location<'c>,
    ) -> Block<'c> {
        assert!(
            anchor.parent_region() == Some(self),
            "inserting a block before a block of another region"
        );
        unsafe {
            let block = create_block(self.owner, args, loc);
            mlirRegionInsertOwnedBlockBefore(self.raw, anchor.raw, block);
            Block::from_raw(block)
        }
    }

    /// A new block right after `anchor`, a block of this region.
    pub fn insert_block_after(
        self,
        anchor: Block<'c>,
        args: &[Type<'c>],
        loc: Location<'c>,
    ) -> Block<'c> {
        assert!(
            anchor.parent_region() == Some(self),
            "inserting a block after a block of another region"
        );
        unsafe {
            let block = create_block(self.owner, args, loc);
            mlirRegionInsertOwnedBlockAfter(self.raw, anchor.raw, block);
            Block::from_raw(block)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use melior::ir::Module;

    const MODULE: &str = r#"module {
  func.func @f(%a: i64) -> i64 {
    %0 = arith.constant 1 : i64 loc("node.py":3:5)
    %1 = arith.addi %a, %0 : i64
    return %1 : i64
  }
}
"#;

    fn context() -> melior::Context {
        let ctx = melior::Context::new();
        let registry = melior::dialect::DialectRegistry::new();
        melior::utility::register_all_dialects(&registry);
        ctx.append_dialect_registry(&registry);
        ctx.load_all_available_dialects();
        ctx
    }

    #[test]
    fn navigation_and_attributes() {
        let ctx = context();
        let m = Module::parse(&ctx, MODULE).expect("parses");
        let module = Operation::of_module(&m);
        let funcs = module.collect("func.func");
        assert_eq!(funcs.len(), 1);
        let f = funcs[0];
        assert_eq!(f.str_attr("sym_name").as_deref(), Some("f"));
        assert_eq!(module.lookup_symbol("f"), Some(f));
        assert_eq!(f.lookup_symbol("f"), None, "a function is no symbol table");
        let entry = f.region(0).first_block().expect("a body");
        let ops = entry.operations();
        assert_eq!(ops.len(), 3);
        assert_eq!(ops[0].int_attr("value"), Some(1));
        assert_eq!(ops[0].str_attr("value"), None, "not a string");
        assert_eq!(ops[1].operands(), vec![entry.argument(0), ops[0].result(0)]);
        assert_eq!(ops[0].location().position(), Some(("node.py".into(), 3, 5)));
        assert_eq!(ops[0].location().line_col(), (3, 5));
        assert_eq!(entry.terminator(), Some(ops[2]));
        assert_eq!(ops[1].ancestor(&["func.func"]), Some(f));
        assert_eq!(ops[1].ancestor(&["builtin.module"]), Some(module));
        assert_eq!(ops[1].result(0).ty().integer_width(), Some(64));
        assert!(ops[0].result(0).has_uses());
        assert_eq!(
            f.attr("function_type")
                .and_then(Attribute::as_type)
                .and_then(Type::function_inputs)
                .map(|t| t.len()),
            Some(1)
        );
        assert_eq!(ops[1].result(0).ty().to_string(), "i64");
    }

    #[test]
    #[should_panic(expected = "operand 2 out of range")]
    fn operand_out_of_range_panics() {
        let ctx = context();
        let m = Module::parse(&ctx, MODULE).expect("parses");
        let add = Operation::of_module(&m).collect("arith.addi")[0];
        add.operand(2);
    }

    #[test]
    fn blocks_are_created_in_place() {
        let ctx = context();
        let m = Module::parse(&ctx, MODULE).expect("parses");
        let f = Operation::of_module(&m).collect("func.func")[0];
        let region = f.region(0);
        let entry = region.first_block().expect("a body");
        let c = ContextRef::new(&ctx);
        let i1 = Type::integer(c, 1);
        let loc = Location::unknown(c);
        let last = region.append_block(&[], loc);
        let middle = region.insert_block_before(last, &[i1], loc);
        let first = region.insert_block_after(entry, &[], loc);
        assert_eq!(region.blocks(), vec![entry, first, middle, last]);
        assert_eq!(middle.argument(0).ty(), i1);
        assert_eq!(last.parent_op(), Some(f));
    }

    #[test]
    #[should_panic(expected = "of another MLIR context")]
    fn ir_of_two_contexts_does_not_mix() {
        let (one, other) = (context(), context());
        let m = Module::parse(&one, MODULE).expect("parses");
        let f = Operation::of_module(&m).collect("func.func")[0];
        let foreign = Type::integer(ContextRef::new(&other), 1);
        f.region(0).append_block(&[foreign], f.location());
    }

    #[test]
    fn parsing_types_and_attributes() {
        let ctx = context();
        let c = ContextRef::new(&ctx);
        assert_eq!(Type::parse(c, "i64"), Some(Type::integer(c, 64)));
        assert_eq!(Type::parse(c, "!llvm.ptr"), Some(Type::llvm_ptr(c)));
        assert_eq!(
            Attribute::parse(c, "array<i64: 1, 2>"),
            Some(Attribute::i64_array(c, &[1, 2]))
        );
        assert_eq!(
            Attribute::i64_array(c, &[1, -2]).i64_values(),
            Some(vec![1, -2])
        );
        assert_eq!(Attribute::symbol(c, "g").as_symbol().as_deref(), Some("g"));
        assert_eq!(Attribute::string(c, "s").as_int(), None);
    }
}
