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
use crate::types::{CTy, StructField};
use builder::Builder;
use ir::{sref, Attribute, ContextRef, Operation, Type, Value};
use mlir_sys::*;

/// Creates an MLIR context with the dialects the pipeline uses, the LLVM IR
/// translations and the cfunc dialect.
///
/// Without multithreading: a node is a few small functions, and handing
/// them to a thread pool (the verifier and nested pass pipelines do) costs
/// more wall time than it saves: verification after the passes took 0.69 ms
/// of a 5.5 ms ema compile with threads.
pub fn new_context() -> Result<melior::Context> {
    let ctx = melior::Context::new_with_threading(false);
    unsafe {
        let raw = ctx.to_raw();
        for handle in [
            mlirGetDialectHandle__func__(),
            mlirGetDialectHandle__arith__(),
            mlirGetDialectHandle__math__(),
            mlirGetDialectHandle__cf__(),
            mlirGetDialectHandle__scf__(),
            mlirGetDialectHandle__memref__(),
            mlirGetDialectHandle__llvm__(),
            mlirGetDialectHandle__irdl__(),
            mlirGetDialectHandle__ub__(),
        ] {
            mlirDialectHandleRegisterDialect(handle, raw);
            mlirDialectHandleLoadDialect(handle, raw);
        }
        mlirRegisterAllLLVMTranslations(raw);
    }
    load(ContextRef::new(&ctx))?;
    Ok(ctx)
}

/// The IRDL source of the dialect.
pub const IRDL_SOURCE: &str = include_str!("../../dialect/cfunc.irdl.mlir");

/// The same definition as MLIR bytecode (build.rs, `mlir-opt
/// --emit-bytecode`), which [`load`] reads: the parser takes it in about
/// two thirds of the text's time (~0.5 ms less in every context, so in
/// every process and `compile-many` worker). MLIR's parser tells bytecode
/// from text by its magic number.
pub const IRDL_BYTECODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cfunc.irdl.mlirbc"));

/// Loads the cfunc dialect into `ctx`. The llvm dialect must be loaded first
/// (the definition refers to `!llvm.ptr`).
pub fn load(ctx: ContextRef<'_>) -> Result<()> {
    load_definition(ctx, IRDL_BYTECODE)
}

/// Loads the IRDL definition `source` (text or bytecode) into `ctx`.
pub fn load_definition(ctx: ContextRef<'_>, source: &[u8]) -> Result<()> {
    unsafe {
        let module = mlirModuleCreateParse(ctx.raw(), sref(source));
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

/// Maximum number of arguments of `cfunc.call` (it has that many optional
/// operand groups, each with its own type constraint: IRDL unifies the types
/// of one variadic group).
pub const MAX_CALL_ARGS: usize = 6;

/// `operandSegmentSizes` of `n` optional groups of which the first `used`
/// are present.
fn segments<'c>(b: &Builder<'c>, used: usize, n: usize) -> Attribute<'c> {
    let sizes: Vec<i32> = (0..n).map(|i| (i < used) as i32).collect();
    Attribute::i32_array(b.context(), &sizes)
}

/// The cfunc ops' builders, one per op of `cfunc.irdl.mlir` (see
/// dialect/README.md for what each does). Attribute names here match the
/// IRDL file; a builder takes the operands, the attributes' values and, where
/// the op does not fix it, the result type.
impl<'c> Builder<'c> {
    // ---- the node's interface ------------------------------------------------

    fn indexed(&self, index: usize) -> [(&'static str, Attribute<'c>); 1] {
        [("index", self.i64_attr(index as i64))]
    }

    /// `cfunc.input_value`: the value of input `index`.
    pub fn cfunc_input_value(&self, inputs: Value<'c>, index: usize, ty: Type<'c>) -> Value<'c> {
        self.v(ops::INPUT_VALUE, &[inputs], ty, &self.indexed(index))
    }
    /// `cfunc.guarded_input`: the value of input `index` when `valid`, zero
    /// otherwise, without loading through `inputs[index]` then.
    pub fn cfunc_guarded_input(
        &self,
        inputs: Value<'c>,
        valid: Value<'c>,
        index: usize,
        ty: Type<'c>,
    ) -> Value<'c> {
        self.v(
            ops::GUARDED_INPUT,
            &[inputs, valid],
            ty,
            &self.indexed(index),
        )
    }
    /// `cfunc.input_ticked`: whether input `index` ticked.
    pub fn cfunc_input_ticked(&self, flags: Value<'c>, index: usize) -> Value<'c> {
        self.v(ops::INPUT_TICKED, &[flags], self.i1(), &self.indexed(index))
    }
    /// `cfunc.input_valid`: whether input `index` holds a valid value.
    pub fn cfunc_input_valid(&self, flags: Value<'c>, index: usize) -> Value<'c> {
        self.v(ops::INPUT_VALID, &[flags], self.i1(), &self.indexed(index))
    }
    /// `cfunc.output`: write output `index` and tick it.
    pub fn cfunc_output(
        &self,
        outputs: Value<'c>,
        ticked: Value<'c>,
        index: usize,
        value: Value<'c>,
    ) {
        self.op(
            ops::OUTPUT,
            &[outputs, ticked, value],
            &[],
            &self.indexed(index),
        );
    }
    /// `cfunc.output_ptr`: the buffer behind `outputs[index]`.
    pub fn cfunc_output_ptr(&self, outputs: Value<'c>, index: usize) -> Value<'c> {
        self.v(
            ops::OUTPUT_PTR,
            &[outputs],
            self.ptr(),
            &self.indexed(index),
        )
    }
    /// `cfunc.output_tick`: sets output `index`'s ticked flag.
    pub fn cfunc_output_tick(&self, ticked: Value<'c>, index: usize) {
        self.op(ops::OUTPUT_TICK, &[ticked], &[], &self.indexed(index));
    }
    /// `cfunc.state_load`.
    pub fn cfunc_state_load(&self, state: Value<'c>, slot: usize, ty: Type<'c>) -> Value<'c> {
        self.v(
            ops::STATE_LOAD,
            &[state],
            ty,
            &[("slot", self.i64_attr(slot as i64))],
        )
    }
    /// `cfunc.state_store`.
    pub fn cfunc_state_store(&self, state: Value<'c>, slot: usize, value: Value<'c>) {
        self.op(
            ops::STATE_STORE,
            &[state, value],
            &[],
            &[("slot", self.i64_attr(slot as i64))],
        );
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
    /// `cfunc.check`: fault with `code` when `cond` is true.
    pub fn cfunc_check(&self, cond: Value<'c>, code: FaultCode) {
        self.op(
            ops::CHECK,
            &[cond],
            &[],
            &[("code", self.int_attr(self.i32(), code as i64))],
        );
    }

    // ---- structs -------------------------------------------------------------

    fn field_attrs(&self, f: &StructField) -> [(&'static str, Attribute<'c>); 3] {
        [
            ("offset", self.i64_attr(f.offset as i64)),
            ("field", self.str_attr(&f.name)),
            ("storage", self.str_attr(f.storage.name())),
        ]
    }

    /// `cfunc.struct_get`: field `f` of the struct at `p`, read from its
    /// offset and storage and widened to its value type.
    pub fn cfunc_struct_get(&self, p: Value<'c>, f: &StructField) -> Value<'c> {
        use types::ToMlir;
        self.v(ops::STRUCT_GET, &[p], f.ty.mlir(self), &self.field_attrs(f))
    }
    /// `cfunc.struct_set`: stores `value` (of the field's value type) into
    /// field `f` of the struct at `p`, narrowed to its storage.
    pub fn cfunc_struct_set(&self, p: Value<'c>, f: &StructField, value: Value<'c>) {
        self.op(ops::STRUCT_SET, &[p, value], &[], &self.field_attrs(f));
    }
    /// `cfunc.struct_zero`: zero-fills `size` bytes at `p`.
    pub fn cfunc_struct_zero(&self, p: Value<'c>, size: usize) {
        self.op(
            ops::STRUCT_ZERO,
            &[p],
            &[],
            &[("size", self.i64_attr(size as i64))],
        );
    }

    // ---- unresolved calls ----------------------------------------------------

    /// `cfunc.method`: an unresolved method call `name` (`Type.method`) on
    /// `receiver`, resolved by cfunc-resolve.
    pub fn cfunc_method(
        &self,
        name: &str,
        receiver: Value<'c>,
        args: &[Value<'c>],
        result: Option<Type<'c>>,
    ) -> Operation<'c> {
        // The receiver, then one optional group per further argument.
        let sizes: Vec<i32> = std::iter::once(1)
            .chain((0..MAX_CALL_ARGS - 1).map(|i| (i < args.len()) as i32))
            .collect();
        let seg = Attribute::i32_array(self.context(), &sizes);
        let operands: Vec<Value<'c>> = std::iter::once(receiver)
            .chain(args.iter().copied())
            .collect();
        let results: Vec<Type<'c>> = result.into_iter().collect();
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
        args: &[Value<'c>],
        result: Option<Type<'c>>,
    ) -> Operation<'c> {
        let seg = segments(self, args.len(), MAX_CALL_ARGS);
        let results: Vec<Type<'c>> = result.into_iter().collect();
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
    pub fn cfunc_getattr(&self, name: &str, ty: Type<'c>) -> Value<'c> {
        let seg = segments(self, 0, 1);
        self.v(
            ops::GETATTR,
            &[],
            ty,
            &[("name", self.str_attr(name)), ("operandSegmentSizes", seg)],
        )
    }

    // ---- Python arithmetic ---------------------------------------------------

    /// `cfunc.floordiv`: Python `a // b` (both i64 or both f64).
    pub fn cfunc_floordiv(&self, a: Value<'c>, b: Value<'c>) -> Value<'c> {
        self.bin(ops::FLOORDIV, a, b)
    }
    /// `cfunc.mod`: Python `a % b`.
    pub fn cfunc_mod(&self, a: Value<'c>, b: Value<'c>) -> Value<'c> {
        self.bin(ops::MOD, a, b)
    }
    /// `cfunc.ipow`: `base ** exponent` on i64.
    pub fn cfunc_ipow(&self, base: Value<'c>, exponent: Value<'c>) -> Value<'c> {
        self.bin(ops::IPOW, base, exponent)
    }
    /// `cfunc.shl`: `value << amount` on i64.
    pub fn cfunc_shl(&self, value: Value<'c>, amount: Value<'c>) -> Value<'c> {
        self.bin(ops::SHL, value, amount)
    }
    /// `cfunc.shr`: `value >> amount` on i64.
    pub fn cfunc_shr(&self, value: Value<'c>, amount: Value<'c>) -> Value<'c> {
        self.bin(ops::SHR, value, amount)
    }
    /// `cfunc.to_int`: f64 → i64 toward zero, saturating.
    pub fn cfunc_to_int(&self, value: Value<'c>) -> Value<'c> {
        self.cast(ops::TO_INT, value, self.i64())
    }

    // ---- containers ----------------------------------------------------------

    /// `cfunc.list_new` / `cfunc.dict_new`: a new empty list or dict of
    /// type `ty`; on `arena` a tick-local one, without it a state container.
    pub fn cfunc_container_new(&self, ty: CTy, arena: Option<Value<'c>>) -> Value<'c> {
        use types::ToMlir;
        let name = match ty {
            CTy::List(_) => ops::LIST_NEW,
            CTy::Dict(..) => ops::DICT_NEW,
            CTy::Array(_) => panic!("an array is not allocated: cfunc_array_new makes a local one"),
        };
        let arena: Vec<Value<'c>> = arena.into_iter().collect();
        self.v(name, &arena, ty.mlir(self), &[])
    }
    /// `cfunc.const_list`: a constant list of type `ty` holding the cell
    /// bits `values`.
    pub fn cfunc_const_list(&self, ty: Type<'c>, values: &[i64]) -> Value<'c> {
        let values = Attribute::i64_array(self.context(), values);
        self.v(ops::CONST_LIST, &[], ty, &[("values", values)])
    }
    /// `cfunc.const_dict`: a constant dict of type `ty` holding the cell
    /// bits of `keys` and `values`, pairwise.
    pub fn cfunc_const_dict(&self, ty: Type<'c>, keys: &[i64], values: &[i64]) -> Value<'c> {
        let keys = Attribute::i64_array(self.context(), keys);
        let values = Attribute::i64_array(self.context(), values);
        self.v(
            ops::CONST_DICT,
            &[],
            ty,
            &[("keys", keys), ("values", values)],
        )
    }
    /// `cfunc.free`: frees a container (not a host's cell, not NULL).
    pub fn cfunc_free(&self, container: Value<'c>) {
        self.op(ops::FREE, &[container], &[], &[]);
    }
    /// `cfunc.arena_free`: frees the tick-local containers of the arena
    /// whose head `arena` points at.
    pub fn cfunc_arena_free(&self, arena: Value<'c>) {
        self.op(ops::ARENA_FREE, &[arena], &[], &[]);
    }
    /// `cfunc.is_live`: whether the handle is a container START allocated.
    pub fn cfunc_is_live(&self, container: Value<'c>) -> Value<'c> {
        self.v(ops::IS_LIVE, &[container], self.i1(), &[])
    }
    /// `cfunc.is_null`: whether the handle is NULL.
    pub fn cfunc_is_null(&self, container: Value<'c>) -> Value<'c> {
        self.v(ops::IS_NULL, &[container], self.i1(), &[])
    }
    /// `cfunc.len`: the number of items.
    pub fn cfunc_len(&self, container: Value<'c>) -> Value<'c> {
        self.v(ops::LEN, &[container], self.i64(), &[])
    }
    /// `cfunc.clear`: removes every item.
    pub fn cfunc_clear(&self, container: Value<'c>) {
        self.op(ops::CLEAR, &[container], &[], &[]);
    }

    /// `cfunc.list_get`: `xs[i]`, of element type `elem`.
    pub fn cfunc_list_get(&self, list: Value<'c>, index: Value<'c>, elem: Type<'c>) -> Value<'c> {
        self.v(ops::LIST_GET, &[list, index], elem, &[])
    }
    /// `cfunc.list_set`: `xs[i] = v`.
    pub fn cfunc_list_set(&self, list: Value<'c>, index: Value<'c>, value: Value<'c>) {
        self.op(ops::LIST_SET, &[list, index, value], &[], &[]);
    }
    /// `cfunc.list_append`: `xs.append(v)`.
    pub fn cfunc_list_append(&self, list: Value<'c>, value: Value<'c>) {
        self.op(ops::LIST_APPEND, &[list, value], &[], &[]);
    }
    /// `cfunc.list_pop`: `xs.pop()` / `xs.pop(i)`, of element type `elem`.
    pub fn cfunc_list_pop(
        &self,
        list: Value<'c>,
        index: Option<Value<'c>>,
        elem: Type<'c>,
    ) -> Value<'c> {
        let operands: Vec<Value<'c>> = std::iter::once(list).chain(index).collect();
        self.v(ops::LIST_POP, &operands, elem, &[])
    }
    /// `cfunc.list_insert`: `xs.insert(i, v)`.
    pub fn cfunc_list_insert(&self, list: Value<'c>, index: Value<'c>, value: Value<'c>) {
        self.op(ops::LIST_INSERT, &[list, index, value], &[], &[]);
    }
    /// `cfunc.list_extend`: `xs.extend(other)`.
    pub fn cfunc_list_extend(&self, list: Value<'c>, other: Value<'c>) {
        self.op(ops::LIST_EXTEND, &[list, other], &[], &[]);
    }
    /// `cfunc.list_contains`: `v in xs`.
    pub fn cfunc_list_contains(&self, list: Value<'c>, value: Value<'c>) -> Value<'c> {
        self.v(ops::LIST_CONTAINS, &[list, value], self.i1(), &[])
    }
    /// `cfunc.list_reduce`: `sum`, `min` or `max` (`kind`) of a list, of
    /// type `result`.
    pub fn cfunc_list_reduce(&self, list: Value<'c>, kind: &str, result: Type<'c>) -> Value<'c> {
        self.v(
            ops::LIST_REDUCE,
            &[list],
            result,
            &[("kind", self.str_attr(kind))],
        )
    }
    /// `cfunc.list_sort`: sorts a list in place.
    pub fn cfunc_list_sort(&self, list: Value<'c>) {
        self.op(ops::LIST_SORT, &[list], &[], &[]);
    }
    /// `cfunc.list_slice`: `xs[start:stop:step]` into a new list on
    /// `arena`; a bound not written is flagged absent.
    #[allow(clippy::too_many_arguments)]
    pub fn cfunc_list_slice(
        &self,
        arena: Value<'c>,
        list: Value<'c>,
        (start, has_start): (Value<'c>, bool),
        (stop, has_stop): (Value<'c>, bool),
        step: Value<'c>,
    ) -> Value<'c> {
        self.v(
            ops::LIST_SLICE,
            &[arena, list, start, stop, step],
            list.ty(),
            &[
                ("has_start", self.int_attr(self.i1(), has_start as i64)),
                ("has_stop", self.int_attr(self.i1(), has_stop as i64)),
            ],
        )
    }

    /// `cfunc.dict_get`: `d[k]`, or `d.get(k, default)`, of value type
    /// `value`.
    pub fn cfunc_dict_get(
        &self,
        dict: Value<'c>,
        key: Value<'c>,
        default: Option<Value<'c>>,
        value: Type<'c>,
    ) -> Value<'c> {
        let operands: Vec<Value<'c>> = [dict, key].into_iter().chain(default).collect();
        self.v(ops::DICT_GET, &operands, value, &[])
    }
    /// `cfunc.dict_set`: `d[k] = v`.
    pub fn cfunc_dict_set(&self, dict: Value<'c>, key: Value<'c>, value: Value<'c>) {
        self.op(ops::DICT_SET, &[dict, key, value], &[], &[]);
    }
    /// `cfunc.dict_slot`: the key's value cell (inserting `default` first
    /// when given and the key is missing).
    pub fn cfunc_dict_slot(
        &self,
        dict: Value<'c>,
        key: Value<'c>,
        default: Option<Value<'c>>,
    ) -> Value<'c> {
        let operands: Vec<Value<'c>> = [dict, key].into_iter().chain(default).collect();
        self.v(ops::DICT_SLOT, &operands, self.ptr(), &[])
    }
    /// `cfunc.dict_contains`: `k in d`.
    pub fn cfunc_dict_contains(&self, dict: Value<'c>, key: Value<'c>) -> Value<'c> {
        self.v(ops::DICT_CONTAINS, &[dict, key], self.i1(), &[])
    }
    /// `cfunc.dict_pop`: `d.pop(k[, default])`, of value type `value`.
    pub fn cfunc_dict_pop(
        &self,
        dict: Value<'c>,
        key: Value<'c>,
        default: Option<Value<'c>>,
        value: Type<'c>,
    ) -> Value<'c> {
        let operands: Vec<Value<'c>> = [dict, key].into_iter().chain(default).collect();
        self.v(ops::DICT_POP, &operands, value, &[])
    }
    /// `cfunc.dict_version`: changes with the dict's key set.
    pub fn cfunc_dict_version(&self, dict: Value<'c>) -> Value<'c> {
        self.v(ops::DICT_VERSION, &[dict], self.i64(), &[])
    }
    /// `cfunc.dict_next`: the first live entry position from `pos`, or -1.
    pub fn cfunc_dict_next(&self, dict: Value<'c>, pos: Value<'c>) -> Value<'c> {
        self.v(ops::DICT_NEXT, &[dict, pos], self.i64(), &[])
    }
    /// `cfunc.dict_key_at`: the key at a live position, of type `key`.
    pub fn cfunc_dict_key_at(&self, dict: Value<'c>, pos: Value<'c>, key: Type<'c>) -> Value<'c> {
        self.v(ops::DICT_KEY_AT, &[dict, pos], key, &[])
    }
    /// `cfunc.dict_value_at`: the value at a live position, of type `value`.
    pub fn cfunc_dict_value_at(
        &self,
        dict: Value<'c>,
        pos: Value<'c>,
        value: Type<'c>,
    ) -> Value<'c> {
        self.v(ops::DICT_VALUE_AT, &[dict, pos], value, &[])
    }

    // ---- arrays --------------------------------------------------------------

    /// `cfunc.array_new`: a local array of type `ty` on the stack,
    /// zero-filled.
    pub fn cfunc_array_new(&self, ty: Type<'c>) -> Value<'c> {
        self.v(ops::ARRAY_NEW, &[], ty, &[])
    }
    /// `cfunc.const_array`: a constant array of type `ty` holding the cell
    /// bits `values`.
    pub fn cfunc_const_array(&self, ty: Type<'c>, values: &[i64]) -> Value<'c> {
        let values = Attribute::i64_array(self.context(), values);
        self.v(ops::CONST_ARRAY, &[], ty, &[("values", values)])
    }
    /// `cfunc.array_get`: `a[i]`, of element type `elem`.
    pub fn cfunc_array_get(&self, array: Value<'c>, index: Value<'c>, elem: Type<'c>) -> Value<'c> {
        self.v(ops::ARRAY_GET, &[array, index], elem, &[])
    }
    /// `cfunc.array_set`: `a[i] = v`.
    pub fn cfunc_array_set(&self, array: Value<'c>, index: Value<'c>, value: Value<'c>) {
        self.op(ops::ARRAY_SET, &[array, index, value], &[], &[]);
    }
    /// `cfunc.array_clear`: zero-fills an array.
    pub fn cfunc_array_clear(&self, array: Value<'c>) {
        self.op(ops::ARRAY_CLEAR, &[array], &[], &[]);
    }
    /// `cfunc.array_reduce`: `sum`, `min` or `max` (`kind`) of an array, of
    /// type `result`.
    pub fn cfunc_array_reduce(&self, array: Value<'c>, kind: &str, result: Type<'c>) -> Value<'c> {
        self.v(
            ops::ARRAY_REDUCE,
            &[array],
            result,
            &[("kind", self.str_attr(kind))],
        )
    }
}

/// Declares `func.func private @name` with signature `sig` (e.g.
/// `(f64) -> f64`) in the module enclosing the builder's insertion point,
/// unless a symbol of that name exists.
pub fn declare_function(b: &Builder<'_>, name: &str, sig: &str) {
    b.declare_function(name, sig)
}

/// The `function_type` of the function `name` in the module enclosing the
/// builder's insertion point, if the module has one of that name.
pub fn function_type<'c>(b: &Builder<'c>, name: &str) -> Option<Type<'c>> {
    b.function_type(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytecode that contexts load is the text's definition: both parse
    /// to the same IRDL module.
    #[test]
    fn the_irdl_bytecode_is_the_text() {
        let ctx = new_context().unwrap();
        let parse = |source: &[u8]| unsafe {
            let module = mlirModuleCreateParse(ctx.to_raw(), sref(source));
            assert!(!module.ptr.is_null());
            let text = Operation::from_raw(mlirModuleGetOperation(module)).to_string();
            mlirModuleDestroy(module);
            text
        };
        let text = parse(IRDL_SOURCE.as_bytes());
        assert!(text.contains("irdl.dialect @cfunc"), "{text}");
        assert_eq!(parse(IRDL_BYTECODE), text);
        // And the text alone still loads, in a context of its own.
        let other = melior::Context::new_with_threading(false);
        unsafe {
            for handle in [
                mlirGetDialectHandle__llvm__(),
                mlirGetDialectHandle__irdl__(),
            ] {
                mlirDialectHandleRegisterDialect(handle, other.to_raw());
                mlirDialectHandleLoadDialect(handle, other.to_raw());
            }
        }
        load_definition(ContextRef::new(&other), IRDL_SOURCE.as_bytes()).unwrap();
    }
}
