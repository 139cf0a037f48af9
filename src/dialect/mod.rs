//! The `cfunc` dialect: loading its IRDL definition and building its ops.
//!
//! The dialect itself is data: `dialect/cfunc.irdl.mlir`, embedded here and
//! loaded into every context. The functions below are the only places that
//! spell cfunc op names and attribute names, so the frontend, the passes and
//! extensions agree on them.

pub mod builder;
pub mod capture;
pub mod convert;
pub mod externs;
pub mod ir;
pub mod ops;
pub mod rewrite;
pub mod types;

use crate::diagnostics::{Error, Result};
use crate::types::StructField;
use builder::{sref, Builder};
use mlir_sys::*;

/// The IRDL source of the dialect.
pub const IRDL_SOURCE: &str = include_str!("../../dialect/cfunc.irdl.mlir");

/// Loads the cfunc dialect into `ctx`. The llvm dialect must be loaded first
/// (the definition refers to `!llvm.ptr`).
pub fn load(ctx: MlirContext) -> Result<()> {
    unsafe {
        let module = mlirModuleCreateParse(ctx, sref(IRDL_SOURCE));
        if module.ptr.is_null() {
            return Err(Error::Internal(
                "cannot parse dialect/cfunc.irdl.mlir".into(),
            ));
        }
        let ok = mlirLoadIRDLDialects(module);
        mlirModuleDestroy(module);
        if ok.value == 0 {
            return Err(Error::Internal("cannot load the cfunc IRDL dialect".into()));
        }
    }
    Ok(())
}

pub use crate::abi::{pack_fault, unpack_fault, FaultCode, FAULT_SLOT_ATTR};

/// Builders for cfunc ops. Attribute names here match cfunc.irdl.mlir.
impl Builder {
    /// `cfunc.input_value`: the value of input `index`.
    pub fn cfunc_input_value(&self, inputs: MlirValue, index: usize, ty: MlirType) -> MlirValue {
        self.v(
            ops::INPUT_VALUE,
            &[inputs],
            ty,
            &[("index", self.i64_attr(index as i64))],
        )
    }
    /// `cfunc.guarded_input`: the value of input `index` when `valid`, zero
    /// otherwise, without loading through `inputs[index]` then.
    pub fn cfunc_guarded_input(
        &self,
        inputs: MlirValue,
        valid: MlirValue,
        index: usize,
        ty: MlirType,
    ) -> MlirValue {
        self.v(
            ops::GUARDED_INPUT,
            &[inputs, valid],
            ty,
            &[("index", self.i64_attr(index as i64))],
        )
    }
    /// `cfunc.input_ticked`: whether input `index` ticked.
    pub fn cfunc_input_ticked(&self, flags: MlirValue, index: usize) -> MlirValue {
        self.v(
            ops::INPUT_TICKED,
            &[flags],
            self.i1(),
            &[("index", self.i64_attr(index as i64))],
        )
    }
    /// `cfunc.input_valid`: whether input `index` holds a valid value.
    pub fn cfunc_input_valid(&self, flags: MlirValue, index: usize) -> MlirValue {
        self.v(
            ops::INPUT_VALID,
            &[flags],
            self.i1(),
            &[("index", self.i64_attr(index as i64))],
        )
    }
    /// `cfunc.output`: write output `index` and tick it.
    pub fn cfunc_output(
        &self,
        outputs: MlirValue,
        ticked: MlirValue,
        index: usize,
        value: MlirValue,
    ) {
        self.op(
            ops::OUTPUT,
            &[outputs, ticked, value],
            &[],
            &[("index", self.i64_attr(index as i64))],
        );
    }
    /// `cfunc.struct_get`: field `f` of the struct at `p`, read from its
    /// offset and storage and widened to its value type.
    pub fn cfunc_struct_get(&self, p: MlirValue, f: &StructField) -> MlirValue {
        use types::ToMlir;
        self.v(
            ops::STRUCT_GET,
            &[p],
            f.ty.mlir(self),
            &[
                ("offset", self.i64_attr(f.offset as i64)),
                ("field", self.str_attr(&f.name)),
                ("storage", self.str_attr(f.storage.name())),
            ],
        )
    }
    /// `cfunc.struct_set`: stores `value` (of the field's value type) into
    /// field `f` of the struct at `p`, narrowed to its storage.
    pub fn cfunc_struct_set(&self, p: MlirValue, f: &StructField, value: MlirValue) {
        self.op(
            ops::STRUCT_SET,
            &[p, value],
            &[],
            &[
                ("offset", self.i64_attr(f.offset as i64)),
                ("field", self.str_attr(&f.name)),
                ("storage", self.str_attr(f.storage.name())),
            ],
        );
    }
    /// `cfunc.struct_zero`: zero-fills `size` bytes at `p`.
    pub fn cfunc_struct_zero(&self, p: MlirValue, size: usize) {
        self.op(
            ops::STRUCT_ZERO,
            &[p],
            &[],
            &[("size", self.i64_attr(size as i64))],
        );
    }
    /// `cfunc.output_ptr`: the buffer behind `outputs[index]`.
    pub fn cfunc_output_ptr(&self, outputs: MlirValue, index: usize) -> MlirValue {
        self.v(
            ops::OUTPUT_PTR,
            &[outputs],
            self.ptr(),
            &[("index", self.i64_attr(index as i64))],
        )
    }
    /// `cfunc.output_tick`: sets output `index`'s ticked flag.
    pub fn cfunc_output_tick(&self, ticked: MlirValue, index: usize) {
        self.op(
            ops::OUTPUT_TICK,
            &[ticked],
            &[],
            &[("index", self.i64_attr(index as i64))],
        );
    }
    /// `cfunc.state_load`.
    pub fn cfunc_state_load(&self, state: MlirValue, slot: usize, ty: MlirType) -> MlirValue {
        self.v(
            ops::STATE_LOAD,
            &[state],
            ty,
            &[("slot", self.i64_attr(slot as i64))],
        )
    }
    /// `cfunc.state_store`.
    pub fn cfunc_state_store(&self, state: MlirValue, slot: usize, value: MlirValue) {
        self.op(
            ops::STATE_STORE,
            &[state, value],
            &[],
            &[("slot", self.i64_attr(slot as i64))],
        );
    }
    /// `cfunc.check`: fault with `code` when `cond` is true.
    pub fn cfunc_check(&self, cond: MlirValue, code: FaultCode) {
        self.op(
            ops::CHECK,
            &[cond],
            &[],
            &[("code", self.int_attr(self.i32(), code as i64))],
        );
    }
    /// `cfunc.method`: an unresolved method call `name` (`Type.method`) on
    /// `receiver`, resolved by cfunc-resolve.
    pub fn cfunc_method(
        &self,
        name: &str,
        receiver: MlirValue,
        args: &[MlirValue],
        result: Option<MlirType>,
    ) -> MlirOperation {
        let sizes: Vec<&str> = std::iter::once("1")
            .chain((0..MAX_CALL_ARGS - 1).map(|i| if i < args.len() { "1" } else { "0" }))
            .collect();
        let seg = self.parse_attr(&format!("array<i32: {}>", sizes.join(", ")));
        let operands: Vec<MlirValue> = std::iter::once(receiver)
            .chain(args.iter().copied())
            .collect();
        let results: Vec<MlirType> = result.into_iter().collect();
        self.op(
            ops::METHOD,
            &operands,
            &results,
            &[("name", self.str_attr(name)), ("operandSegmentSizes", seg)],
        )
    }
    /// `cfunc.call`: an unresolved call of `callee`, resolved by cfunc-resolve.
    pub fn cfunc_call(
        &self,
        callee: &str,
        args: &[MlirValue],
        result: Option<MlirType>,
    ) -> MlirOperation {
        let seg = segment_sizes(self, args.len());
        let results: Vec<MlirType> = result.into_iter().collect();
        self.op(
            ops::CALL,
            args,
            &results,
            &[
                ("callee", self.str_attr(callee)),
                ("operandSegmentSizes", seg),
            ],
        )
    }
    /// `cfunc.getattr`: an unresolved attribute such as `math.pi`.
    pub fn cfunc_getattr(&self, name: &str, ty: MlirType) -> MlirValue {
        let seg = self.parse_attr("array<i32: 0>");
        self.v(
            ops::GETATTR,
            &[],
            ty,
            &[("name", self.str_attr(name)), ("operandSegmentSizes", seg)],
        )
    }
    /// `cfunc.lifecycle`: names the node's phase functions.
    pub fn cfunc_lifecycle(&self, node: &str, start: &str, execute: &str, stop: &str) {
        self.op(
            ops::LIFECYCLE,
            &[],
            &[],
            &[
                ("node", self.str_attr(node)),
                ("start", self.sym_attr(start)),
                ("execute", self.sym_attr(execute)),
                ("stop", self.sym_attr(stop)),
            ],
        );
    }
}

/// Maximum number of arguments of `cfunc.call` (it has that many optional
/// operand groups, each with its own type constraint: IRDL unifies the types
/// of one variadic group).
pub const MAX_CALL_ARGS: usize = 6;

fn segment_sizes(b: &Builder, n: usize) -> MlirAttribute {
    let sizes: Vec<&str> = (0..MAX_CALL_ARGS)
        .map(|i| if i < n { "1" } else { "0" })
        .collect();
    b.parse_attr(&format!("array<i32: {}>", sizes.join(", ")))
}

/// Declares `func.func private @name` with signature `sig` (e.g.
/// `(f64) -> f64`) in the module enclosing the builder's insertion point,
/// unless a symbol of that name exists.
pub fn declare_function(b: &Builder, name: &str, sig: &str) {
    unsafe {
        let Some(op) = enclosing_module(b) else {
            return;
        };
        let table = mlirSymbolTableCreate(op);
        let exists = !mlirSymbolTableLookup(table, sref(name)).ptr.is_null();
        mlirSymbolTableDestroy(table);
        if exists {
            return;
        }
        let body = mlirRegionGetFirstBlock(mlirOperationGetRegion(op, 0));
        let fty = b.parse_type(sig);
        let region = mlirRegionCreate();
        let decl = Builder {
            at: builder::InsertAt::End(body),
            ..*b
        };
        decl.op_full(
            "func.func",
            &[],
            &[],
            &[
                ("sym_name", b.str_attr(name)),
                ("function_type", b.type_attr(fty)),
                ("sym_visibility", b.str_attr("private")),
            ],
            &[],
            vec![region],
        );
    }
}

/// The module enclosing the builder's insertion point.
fn enclosing_module(b: &Builder) -> Option<MlirOperation> {
    unsafe {
        let block = match b.at {
            builder::InsertAt::End(block) => block,
            builder::InsertAt::Before(op) => mlirOperationGetBlock(op),
            builder::InsertAt::Rewriter(rw) => mlirRewriterBaseGetInsertionBlock(rw),
        };
        let mut op = mlirBlockGetParentOperation(block);
        while !op.ptr.is_null() && builder::op_name(op) != "builtin.module" {
            op = mlirOperationGetParentOperation(op);
        }
        (!op.ptr.is_null()).then_some(op)
    }
}

/// The `function_type` of the function `name` in the module enclosing the
/// builder's insertion point, if the module has one of that name.
pub fn function_type(b: &Builder, name: &str) -> Option<MlirType> {
    unsafe {
        let module = enclosing_module(b)?;
        let table = mlirSymbolTableCreate(module);
        let f = mlirSymbolTableLookup(table, sref(name));
        mlirSymbolTableDestroy(table);
        if f.ptr.is_null() {
            return None;
        }
        let attr = mlirOperationGetAttributeByName(f, sref("function_type"));
        (!attr.ptr.is_null()).then(|| mlirTypeAttrGetValue(attr))
    }
}
