//! A small lifetime-free IR builder over the MLIR C API.
//!
//! The frontend appends to blocks and rewrite patterns insert through a
//! `PatternRewriter`; both go through [`Builder`], so a lowering written once
//! (for example a builtin's expansion) works in either place. Handles are
//! the raw `Mlir*` structs, which are `Copy`, so lowering code does not fight
//! borrow lifetimes; ownership still lives in MLIR (block or module).

use mlir_sys::*;

/// Where [`Builder::op`] puts the operations it creates.
#[derive(Clone, Copy)]
pub enum InsertAt {
    /// Append to the end of a block.
    End(MlirBlock),
    /// Insert before an existing operation.
    Before(MlirOperation),
    /// Insert at a rewriter's insertion point (inside a pattern).
    Rewriter(MlirRewriterBase),
}

/// Creates operations at an insertion point with a current location.
#[derive(Clone, Copy)]
pub struct Builder {
    /// The MLIR context.
    pub ctx: MlirContext,
    /// Location given to every created operation.
    pub loc: MlirLocation,
    /// Where operations go.
    pub at: InsertAt,
}

/// Makes an `MlirStringRef` borrowing `s`.
pub fn sref(s: &str) -> MlirStringRef {
    MlirStringRef {
        data: s.as_ptr() as *const _,
        length: s.len(),
    }
}

/// Copies an `MlirStringRef` into a Rust string.
pub fn string_of(s: MlirStringRef) -> String {
    if s.data.is_null() {
        return String::new();
    }
    let bytes = unsafe { std::slice::from_raw_parts(s.data as *const u8, s.length) };
    String::from_utf8_lossy(bytes).into_owned()
}

/// Integer comparison predicates of `arith.cmpi`.
#[allow(missing_docs)]
#[derive(Clone, Copy)]
pub enum CmpI {
    Eq = 0,
    Ne = 1,
    Slt = 2,
    Sle = 3,
    Sgt = 4,
    Sge = 5,
    Ult = 6,
    Ugt = 8,
    Uge = 9,
}

/// Float comparison predicates of `arith.cmpf` (ordered unless noted).
#[allow(missing_docs)]
#[derive(Clone, Copy)]
pub enum CmpF {
    Oeq = 1,
    Ogt = 2,
    Oge = 3,
    Olt = 4,
    Ole = 5,
    One = 6,
    Ord = 7,
    Une = 13,
    Uno = 14,
}

impl Builder {
    /// A builder appending to `block`.
    pub fn at_end(ctx: MlirContext, loc: MlirLocation, block: MlirBlock) -> Self {
        Self {
            ctx,
            loc,
            at: InsertAt::End(block),
        }
    }

    /// The same builder with another location.
    pub fn with_loc(self, loc: MlirLocation) -> Self {
        Self { loc, ..self }
    }

    // ---- types -----------------------------------------------------------

    /// `i<bits>`.
    pub fn int_ty(&self, bits: u32) -> MlirType {
        unsafe { mlirIntegerTypeGet(self.ctx, bits) }
    }
    /// `i1`.
    pub fn i1(&self) -> MlirType {
        self.int_ty(1)
    }
    /// `i8`.
    pub fn i8(&self) -> MlirType {
        self.int_ty(8)
    }
    /// `i32`.
    pub fn i32(&self) -> MlirType {
        self.int_ty(32)
    }
    /// `i64`.
    pub fn i64(&self) -> MlirType {
        self.int_ty(64)
    }
    /// `f64`.
    pub fn f64(&self) -> MlirType {
        unsafe { mlirF64TypeGet(self.ctx) }
    }
    /// `!llvm.ptr`.
    pub fn ptr(&self) -> MlirType {
        unsafe { mlirLLVMPointerTypeGet(self.ctx, 0) }
    }
    /// Parses a type from its textual form.
    pub fn parse_type(&self, text: &str) -> MlirType {
        unsafe { mlirTypeParseGet(self.ctx, sref(text)) }
    }

    // ---- attributes --------------------------------------------------------

    /// An integer attribute of type `ty`.
    pub fn int_attr(&self, ty: MlirType, v: i64) -> MlirAttribute {
        unsafe { mlirIntegerAttrGet(ty, v) }
    }
    /// An `i64` integer attribute.
    pub fn i64_attr(&self, v: i64) -> MlirAttribute {
        self.int_attr(self.i64(), v)
    }
    /// A string attribute.
    pub fn str_attr(&self, s: &str) -> MlirAttribute {
        unsafe { mlirStringAttrGet(self.ctx, sref(s)) }
    }
    /// A flat symbol reference `@name`.
    pub fn sym_attr(&self, s: &str) -> MlirAttribute {
        unsafe { mlirFlatSymbolRefAttrGet(self.ctx, sref(s)) }
    }
    /// A type attribute.
    pub fn type_attr(&self, t: MlirType) -> MlirAttribute {
        unsafe { mlirTypeAttrGet(t) }
    }
    /// Parses an attribute from its textual form.
    pub fn parse_attr(&self, text: &str) -> MlirAttribute {
        unsafe { mlirAttributeParseGet(self.ctx, sref(text)) }
    }

    // ---- operations --------------------------------------------------------

    /// Creates and inserts an operation with everything spelled out.
    pub fn op_full(
        &self,
        name: &str,
        operands: &[MlirValue],
        results: &[MlirType],
        attrs: &[(&str, MlirAttribute)],
        successors: &[MlirBlock],
        regions: Vec<MlirRegion>,
    ) -> MlirOperation {
        unsafe {
            let mut state = mlirOperationStateGet(sref(name), self.loc);
            mlirOperationStateAddOperands(&mut state, operands.len() as isize, operands.as_ptr());
            mlirOperationStateAddResults(&mut state, results.len() as isize, results.as_ptr());
            let named: Vec<MlirNamedAttribute> = attrs
                .iter()
                .map(|(n, a)| mlirNamedAttributeGet(mlirIdentifierGet(self.ctx, sref(n)), *a))
                .collect();
            mlirOperationStateAddAttributes(&mut state, named.len() as isize, named.as_ptr());
            mlirOperationStateAddSuccessors(
                &mut state,
                successors.len() as isize,
                successors.as_ptr(),
            );
            mlirOperationStateAddOwnedRegions(&mut state, regions.len() as isize, regions.as_ptr());
            let op = mlirOperationCreate(&mut state);
            self.insert(op)
        }
    }

    /// Inserts an already created operation at the insertion point.
    pub fn insert(&self, op: MlirOperation) -> MlirOperation {
        unsafe {
            match self.at {
                InsertAt::End(block) => mlirBlockAppendOwnedOperation(block, op),
                InsertAt::Before(before) => {
                    mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(before), before, op)
                }
                InsertAt::Rewriter(rw) => {
                    mlirRewriterBaseInsert(rw, op);
                }
            }
        }
        op
    }

    /// Creates an operation without successors or regions.
    pub fn op(
        &self,
        name: &str,
        operands: &[MlirValue],
        results: &[MlirType],
        attrs: &[(&str, MlirAttribute)],
    ) -> MlirOperation {
        self.op_full(name, operands, results, attrs, &[], Vec::new())
    }

    /// Creates a single-result operation and returns its result.
    pub fn v(
        &self,
        name: &str,
        operands: &[MlirValue],
        result: MlirType,
        attrs: &[(&str, MlirAttribute)],
    ) -> MlirValue {
        result_of(self.op(name, operands, &[result], attrs), 0)
    }

    /// A same-type binary operation (`arith.addi`, `arith.mulf`, ...).
    pub fn bin(&self, name: &str, a: MlirValue, b: MlirValue) -> MlirValue {
        self.v(name, &[a, b], type_of(a), &[])
    }

    /// A unary operation whose result type is its operand's.
    pub fn un(&self, name: &str, a: MlirValue) -> MlirValue {
        self.v(name, &[a], type_of(a), &[])
    }

    /// A cast-like unary operation to `ty`.
    pub fn cast(&self, name: &str, a: MlirValue, ty: MlirType) -> MlirValue {
        self.v(name, &[a], ty, &[])
    }

    /// `arith.constant` of an integer type.
    pub fn const_int(&self, ty: MlirType, v: i64) -> MlirValue {
        self.v(
            "arith.constant",
            &[],
            ty,
            &[("value", self.int_attr(ty, v))],
        )
    }
    /// `arith.constant : i64`.
    pub fn const_i64(&self, v: i64) -> MlirValue {
        self.const_int(self.i64(), v)
    }
    /// `arith.constant : i1`.
    pub fn const_bool(&self, v: bool) -> MlirValue {
        self.const_int(self.i1(), v as i64)
    }
    /// An internal module-level `i64` global `@name` holding `value`
    /// (read-only when `constant`), built at this builder's position (the
    /// module body).
    pub fn i64_global(&self, name: &str, value: i64, constant: bool) {
        let mut attrs = vec![
            ("sym_name", self.str_attr(name)),
            ("global_type", self.type_attr(self.i64())),
            ("linkage", self.parse_attr("#llvm.linkage<internal>")),
            ("value", self.parse_attr(&format!("{value} : i64"))),
            ("addr_space", self.int_attr(self.i32(), 0)),
        ];
        if constant {
            attrs.push(("constant", self.parse_attr("unit")));
        }
        self.op_full(
            "llvm.mlir.global",
            &[],
            &[],
            &attrs,
            &[],
            vec![unsafe { mlirRegionCreate() }],
        );
    }
    /// `!c` for an `i1`.
    pub fn not(&self, c: MlirValue) -> MlirValue {
        let t = self.const_bool(true);
        self.bin("arith.xori", c, t)
    }
    /// `arith.constant : f64`.
    pub fn const_f64(&self, v: f64) -> MlirValue {
        let attr = unsafe { mlirFloatAttrDoubleGet(self.ctx, self.f64(), v) };
        self.v("arith.constant", &[], self.f64(), &[("value", attr)])
    }

    /// `arith.cmpi`.
    pub fn cmpi(&self, p: CmpI, a: MlirValue, b: MlirValue) -> MlirValue {
        self.v(
            "arith.cmpi",
            &[a, b],
            self.i1(),
            &[("predicate", self.i64_attr(p as i64))],
        )
    }
    /// `arith.cmpf`.
    pub fn cmpf(&self, p: CmpF, a: MlirValue, b: MlirValue) -> MlirValue {
        self.v(
            "arith.cmpf",
            &[a, b],
            self.i1(),
            &[("predicate", self.i64_attr(p as i64))],
        )
    }
    /// `arith.select`.
    pub fn select(&self, c: MlirValue, a: MlirValue, b: MlirValue) -> MlirValue {
        self.v("arith.select", &[c, a, b], type_of(a), &[])
    }

    /// `cf.br`.
    pub fn br(&self, dest: MlirBlock, args: &[MlirValue]) {
        self.op_full("cf.br", args, &[], &[], &[dest], Vec::new());
    }
    /// `cf.cond_br` without block arguments.
    pub fn cond_br(&self, c: MlirValue, t: MlirBlock, f: MlirBlock) {
        let seg = self.parse_attr("array<i32: 1, 0, 0>");
        self.op_full(
            "cf.cond_br",
            &[c],
            &[],
            &[("operandSegmentSizes", seg)],
            &[t, f],
            Vec::new(),
        );
    }
}

/// Result `i` of an operation.
pub fn result_of(op: MlirOperation, i: isize) -> MlirValue {
    unsafe { mlirOperationGetResult(op, i) }
}

/// The type of a value.
pub fn type_of(v: MlirValue) -> MlirType {
    unsafe { mlirValueGetType(v) }
}

/// Whether two types are the same.
pub fn type_eq(a: MlirType, b: MlirType) -> bool {
    unsafe { mlirTypeEqual(a, b) }
}

/// An attribute of an operation, if present.
pub fn attr_of(op: MlirOperation, name: &str) -> Option<MlirAttribute> {
    let a = unsafe { mlirOperationGetAttributeByName(op, sref(name)) };
    (!a.ptr.is_null()).then_some(a)
}

/// An integer attribute's value.
pub fn int_attr_value(op: MlirOperation, name: &str) -> Option<i64> {
    attr_of(op, name).map(|a| unsafe { mlirIntegerAttrGetValueInt(a) })
}

/// A string attribute's value.
pub fn str_attr_value(op: MlirOperation, name: &str) -> Option<String> {
    attr_of(op, name).map(|a| string_of(unsafe { mlirStringAttrGetValue(a) }))
}

/// The operands of an operation.
pub fn operands_of(op: MlirOperation) -> Vec<MlirValue> {
    let n = unsafe { mlirOperationGetNumOperands(op) };
    (0..n)
        .map(|i| unsafe { mlirOperationGetOperand(op, i) })
        .collect()
}

/// The name of an operation (`dialect.op`).
pub fn op_name(op: MlirOperation) -> String {
    string_of(unsafe { mlirIdentifierStr(mlirOperationGetName(op)) })
}

/// Creates a new block with the given argument types at `loc`.
pub fn new_block(args: &[MlirType], loc: MlirLocation) -> MlirBlock {
    let locs = vec![loc; args.len()];
    unsafe { mlirBlockCreate(args.len() as isize, args.as_ptr(), locs.as_ptr()) }
}
