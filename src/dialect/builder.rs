//! The IR builder: creates operations at an insertion point, with typed
//! handles ([`super::ir`]).
//!
//! The frontend appends to blocks and rewrite patterns insert through a
//! `PatternRewriter`; both go through [`Builder`], so a lowering written once
//! (a builtin's expansion, an extension's method) works in either place.
//! A `Builder<'c>` is `Copy` and makes handles of its own lifetime `'c`, so
//! what it builds cannot outlive the IR it builds into; ownership of the
//! operations stays with MLIR (their block).
//!
//! Generic operations (`arith`, `math`, `llvm`, ...) are built by name with
//! [`Builder::v`] and [`Builder::op`]; the cfunc dialect's ops have typed
//! builders of their own (`Builder::cfunc_*`, in [`super`]).

use super::ir::{same_context, Attribute, Block, ContextRef, Location, Operation, Type, Value};
use mlir_sys::*;

/// Where a [`Builder`] puts the operations it creates.
#[derive(Clone, Copy)]
enum InsertAt<'c> {
    /// Append to the end of a block.
    End(Block<'c>),
    /// Insert before an operation (one in a block).
    Before(Operation<'c>),
    /// Insert at a pattern rewriter's insertion point: valid while the
    /// pattern's callback runs, which the builder's lifetime is bounded by.
    Rewriter(MlirRewriterBase),
}

/// Creates operations at an insertion point with a current location.
#[derive(Clone, Copy)]
pub struct Builder<'c> {
    ctx: ContextRef<'c>,
    loc: Location<'c>,
    at: InsertAt<'c>,
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

impl<'c> Builder<'c> {
    /// A builder appending to `block`, giving its operations location `loc`.
    pub fn at_end(block: Block<'c>, loc: Location<'c>) -> Self {
        same_context(block.context(), loc.context(), "a location");
        Self {
            ctx: loc.context(),
            loc,
            at: InsertAt::End(block),
        }
    }

    /// A builder inserting before `op` (which must be in a block), at
    /// `op`'s location.
    pub fn before(op: Operation<'c>) -> Self {
        let loc = op.location();
        Self::at_end(op.block().expect("a builder before a detached op"), loc).before_op(op)
    }

    /// A builder inserting at a pattern rewriter's insertion point.
    ///
    /// # Safety
    /// `rewriter` is live, with its insertion point set, for `'c`.
    pub(crate) unsafe fn at_rewriter(rewriter: MlirRewriterBase, loc: Location<'c>) -> Self {
        Self {
            ctx: loc.context(),
            loc,
            at: InsertAt::Rewriter(rewriter),
        }
    }

    /// The same builder with another location.
    pub fn with_loc(self, loc: Location<'c>) -> Self {
        same_context(self.ctx, loc.context(), "a location");
        Self { loc, ..self }
    }

    /// The same builder (context and location) appending to `block`.
    pub fn at_end_of(self, block: Block<'c>) -> Self {
        same_context(self.ctx, block.context(), "a block");
        Self {
            at: InsertAt::End(block),
            ..self
        }
    }

    /// The same builder (context and location) inserting before `op`,
    /// which must be in a block.
    pub fn before_op(self, op: Operation<'c>) -> Self {
        assert!(op.block().is_some(), "a builder before a detached op");
        same_context(self.ctx, op.context(), "an operation");
        Self {
            at: InsertAt::Before(op),
            ..self
        }
    }

    /// The MLIR context.
    pub fn context(&self) -> ContextRef<'c> {
        self.ctx
    }

    /// The location given to created operations.
    pub fn location(&self) -> Location<'c> {
        self.loc
    }

    /// The block operations go into.
    pub fn insertion_block(&self) -> Block<'c> {
        match self.at {
            InsertAt::End(block) => block,
            InsertAt::Before(op) => op.block().expect("checked when the builder was made"),
            // SAFETY: the rewriter is live for 'c (`at_rewriter`) and has
            // an insertion point, inside the IR the builder builds into.
            InsertAt::Rewriter(rw) => unsafe {
                Block::from_raw(mlirRewriterBaseGetInsertionBlock(rw))
            },
        }
    }

    /// The `builtin.module` enclosing the insertion point.
    pub fn enclosing_module(&self) -> Option<Operation<'c>> {
        let op = self.insertion_block().parent_op()?;
        if op.is("builtin.module") {
            return Some(op);
        }
        op.ancestor(&["builtin.module"])
    }

    // ---- types -----------------------------------------------------------

    /// `i<bits>`.
    pub fn int_ty(&self, bits: u32) -> Type<'c> {
        Type::integer(self.ctx, bits)
    }
    /// `i1`.
    pub fn i1(&self) -> Type<'c> {
        self.int_ty(1)
    }
    /// `i8`.
    pub fn i8(&self) -> Type<'c> {
        self.int_ty(8)
    }
    /// `i32`.
    pub fn i32(&self) -> Type<'c> {
        self.int_ty(32)
    }
    /// `i64`.
    pub fn i64(&self) -> Type<'c> {
        self.int_ty(64)
    }
    /// `f64`.
    pub fn f64(&self) -> Type<'c> {
        Type::f64(self.ctx)
    }
    /// `!llvm.ptr`.
    pub fn ptr(&self) -> Type<'c> {
        Type::llvm_ptr(self.ctx)
    }
    /// Parses a type from its textual form; panics when it does not parse
    /// (the text is the compiler's own).
    pub fn parse_type(&self, text: &str) -> Type<'c> {
        Type::parse(self.ctx, text).unwrap_or_else(|| panic!("cannot parse the type '{text}'"))
    }

    // ---- attributes --------------------------------------------------------

    /// An integer attribute of type `ty` (an integer type).
    pub fn int_attr(&self, ty: Type<'c>, v: i64) -> Attribute<'c> {
        Attribute::integer(ty, v)
    }
    /// An `i64` integer attribute.
    pub fn i64_attr(&self, v: i64) -> Attribute<'c> {
        self.int_attr(self.i64(), v)
    }
    /// A string attribute.
    pub fn str_attr(&self, s: &str) -> Attribute<'c> {
        Attribute::string(self.ctx, s)
    }
    /// A flat symbol reference `@name`.
    pub fn sym_attr(&self, s: &str) -> Attribute<'c> {
        Attribute::symbol(self.ctx, s)
    }
    /// A type attribute.
    pub fn type_attr(&self, t: Type<'c>) -> Attribute<'c> {
        Attribute::of_type(t)
    }
    /// Parses an attribute from its textual form; panics when it does not
    /// parse (the text is the compiler's own).
    pub fn parse_attr(&self, text: &str) -> Attribute<'c> {
        Attribute::parse(self.ctx, text)
            .unwrap_or_else(|| panic!("cannot parse the attribute '{text}'"))
    }

    // ---- operations --------------------------------------------------------

    /// Creates and inserts an operation with everything spelled out; it
    /// gets `regions` empty regions, to fill through [`Operation::region`].
    pub fn op_full(
        &self,
        name: &str,
        operands: &[Value<'c>],
        results: &[Type<'c>],
        attrs: &[(&str, Attribute<'c>)],
        successors: &[Block<'c>],
        regions: usize,
    ) -> Operation<'c> {
        use super::ir::sref;
        // What the operation refers to must live in its context.
        for v in operands {
            same_context(self.ctx, v.context(), "an operand");
        }
        for t in results {
            same_context(self.ctx, t.context(), "a result type");
        }
        for (_, a) in attrs {
            same_context(self.ctx, a.context(), "an attribute");
        }
        for b in successors {
            same_context(self.ctx, b.context(), "a successor");
        }
        let operands: Vec<MlirValue> = operands.iter().map(|v| v.raw()).collect();
        let results: Vec<MlirType> = results.iter().map(|t| t.raw()).collect();
        let successors: Vec<MlirBlock> = successors.iter().map(|b| b.raw()).collect();
        unsafe {
            let mut state = mlirOperationStateGet(sref(name), self.loc.raw());
            mlirOperationStateAddOperands(&mut state, operands.len() as isize, operands.as_ptr());
            mlirOperationStateAddResults(&mut state, results.len() as isize, results.as_ptr());
            let named: Vec<MlirNamedAttribute> = attrs
                .iter()
                .map(|(n, a)| {
                    mlirNamedAttributeGet(mlirIdentifierGet(self.ctx.raw(), sref(n)), a.raw())
                })
                .collect();
            mlirOperationStateAddAttributes(&mut state, named.len() as isize, named.as_ptr());
            mlirOperationStateAddSuccessors(
                &mut state,
                successors.len() as isize,
                successors.as_ptr(),
            );
            // Fresh regions, handed to the operation (which takes their
            // blocks and destroys them): no handle to them exists.
            let owned: Vec<MlirRegion> = (0..regions).map(|_| mlirRegionCreate()).collect();
            mlirOperationStateAddOwnedRegions(&mut state, owned.len() as isize, owned.as_ptr());
            let op = mlirOperationCreate(&mut state);
            assert!(!op.ptr.is_null(), "cannot create the operation '{name}'");
            match self.at {
                InsertAt::End(block) => mlirBlockAppendOwnedOperation(block.raw(), op),
                InsertAt::Before(before) => mlirBlockInsertOwnedOperationBefore(
                    mlirOperationGetBlock(before.raw()),
                    before.raw(),
                    op,
                ),
                InsertAt::Rewriter(rw) => {
                    mlirRewriterBaseInsert(rw, op);
                }
            }
            Operation::from_raw(op)
        }
    }

    /// Creates an operation without successors or regions.
    pub fn op(
        &self,
        name: &str,
        operands: &[Value<'c>],
        results: &[Type<'c>],
        attrs: &[(&str, Attribute<'c>)],
    ) -> Operation<'c> {
        self.op_full(name, operands, results, attrs, &[], 0)
    }

    /// Creates a single-result operation and returns its result.
    pub fn v(
        &self,
        name: &str,
        operands: &[Value<'c>],
        result: Type<'c>,
        attrs: &[(&str, Attribute<'c>)],
    ) -> Value<'c> {
        self.op(name, operands, &[result], attrs).result(0)
    }

    /// A same-type binary operation (`arith.addi`, `arith.mulf`, ...).
    pub fn bin(&self, name: &str, a: Value<'c>, b: Value<'c>) -> Value<'c> {
        self.v(name, &[a, b], a.ty(), &[])
    }

    /// A unary operation whose result type is its operand's.
    pub fn un(&self, name: &str, a: Value<'c>) -> Value<'c> {
        self.v(name, &[a], a.ty(), &[])
    }

    /// A cast-like unary operation to `ty`.
    pub fn cast(&self, name: &str, a: Value<'c>, ty: Type<'c>) -> Value<'c> {
        self.v(name, &[a], ty, &[])
    }

    /// `arith.constant` of an integer type.
    pub fn const_int(&self, ty: Type<'c>, v: i64) -> Value<'c> {
        self.v(
            "arith.constant",
            &[],
            ty,
            &[("value", self.int_attr(ty, v))],
        )
    }
    /// `arith.constant : i64`.
    pub fn const_i64(&self, v: i64) -> Value<'c> {
        self.const_int(self.i64(), v)
    }
    /// `arith.constant : i1`.
    pub fn const_bool(&self, v: bool) -> Value<'c> {
        self.const_int(self.i1(), v as i64)
    }
    /// `arith.constant : f64`.
    pub fn const_f64(&self, v: f64) -> Value<'c> {
        let attr = Attribute::float(self.f64(), v);
        self.v("arith.constant", &[], self.f64(), &[("value", attr)])
    }
    /// `!c` for an `i1`.
    pub fn not(&self, c: Value<'c>) -> Value<'c> {
        let t = self.const_bool(true);
        self.bin("arith.xori", c, t)
    }
    /// An internal module-level `i64` global `@name` holding `value`
    /// (read-only when `constant`), built at this builder's position (the
    /// module body).
    pub fn i64_global(&self, name: &str, value: i64, constant: bool) {
        let mut attrs = vec![
            ("sym_name", self.str_attr(name)),
            ("global_type", self.type_attr(self.i64())),
            ("linkage", self.parse_attr("#llvm.linkage<internal>")),
            ("value", self.i64_attr(value)),
            ("addr_space", self.int_attr(self.i32(), 0)),
        ];
        if constant {
            attrs.push(("constant", Attribute::unit(self.ctx)));
        }
        self.op_full("llvm.mlir.global", &[], &[], &attrs, &[], 1);
    }

    /// `arith.cmpi`.
    pub fn cmpi(&self, p: CmpI, a: Value<'c>, b: Value<'c>) -> Value<'c> {
        self.v(
            "arith.cmpi",
            &[a, b],
            self.i1(),
            &[("predicate", self.i64_attr(p as i64))],
        )
    }
    /// `arith.cmpf`.
    pub fn cmpf(&self, p: CmpF, a: Value<'c>, b: Value<'c>) -> Value<'c> {
        self.v(
            "arith.cmpf",
            &[a, b],
            self.i1(),
            &[("predicate", self.i64_attr(p as i64))],
        )
    }
    /// `arith.select`.
    pub fn select(&self, c: Value<'c>, a: Value<'c>, b: Value<'c>) -> Value<'c> {
        self.v("arith.select", &[c, a, b], a.ty(), &[])
    }

    /// `cf.br`.
    pub fn br(&self, dest: Block<'c>, args: &[Value<'c>]) {
        self.op_full("cf.br", args, &[], &[], &[dest], 0);
    }
    /// `cf.cond_br` without block arguments.
    pub fn cond_br(&self, c: Value<'c>, t: Block<'c>, f: Block<'c>) {
        self.cond_br_args(c, t, &[], f, &[]);
    }
    /// `cf.cond_br` with block arguments.
    pub fn cond_br_args(
        &self,
        c: Value<'c>,
        t: Block<'c>,
        targs: &[Value<'c>],
        f: Block<'c>,
        fargs: &[Value<'c>],
    ) {
        let seg = Attribute::i32_array(self.ctx, &[1, targs.len() as i32, fargs.len() as i32]);
        let mut operands = vec![c];
        operands.extend_from_slice(targs);
        operands.extend_from_slice(fargs);
        self.op_full(
            "cf.cond_br",
            &operands,
            &[],
            &[("operandSegmentSizes", seg)],
            &[t, f],
            0,
        );
    }

    // ---- functions ---------------------------------------------------------

    /// Declares `func.func private @name` with signature `sig` (e.g.
    /// `(f64) -> f64`) in the module enclosing the insertion point, unless
    /// a symbol of that name exists.
    pub fn declare_function(&self, name: &str, sig: &str) {
        self.declare_function_of(name, self.parse_type(sig));
    }

    /// [`Builder::declare_function`] with the function type `fty`.
    pub fn declare_function_of(&self, name: &str, fty: Type<'c>) {
        let Some(module) = self.enclosing_module() else {
            return;
        };
        if module.lookup_symbol(name).is_some() {
            return;
        }
        let body = module.region(0).first_block().expect("a module has a body");
        self.at_end_of(body).op_full(
            "func.func",
            &[],
            &[],
            &[
                ("sym_name", self.str_attr(name)),
                ("function_type", self.type_attr(fty)),
                ("sym_visibility", self.str_attr("private")),
            ],
            &[],
            1,
        );
    }

    /// The `function_type` of the function `name` in the module enclosing
    /// the insertion point, if the module has one of that name.
    pub fn function_type(&self, name: &str) -> Option<Type<'c>> {
        let f = self.enclosing_module()?.lookup_symbol(name)?;
        f.attr("function_type")?.as_type()
    }
}
