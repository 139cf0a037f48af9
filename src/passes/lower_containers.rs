//! `cfunc-lower-containers`: list and dict ops → calls into the container
//! runtime (runtime/cfrt.h), with Python's checks as `cfunc.check` faults.
//!
//! ```text
//! %v = cfunc.list_get(%l, %i)   ──▶  %n = call @cfrt_list_len(%l)
//!                                    %j = %i < 0 ? %i + %n : %i
//!                                    cfunc.check(%j >=u %n) {code = 5}
//!                                    %v = call @cfrt_list_get(%l, %j)
//! %v = cfunc.dict_get(%d, %k)   ──▶  %c = call @cfrt_dict_find(%d, %k)
//!                                    cfunc.check(%c == null) {code = 7}
//!                                    %v = llvm.load %c
//! %l = cfunc.const_list {values} ──▶ llvm.mlir.addressof @__cfunc_const_N
//!                                    (static data in the runtime's layout)
//! ```
//! Handles become `!llvm.ptr` through `unrealized_conversion_cast`, which
//! `reconcile-unrealized-casts` removes in cfunc-to-llvm. Values cross the
//! runtime boundary as 8-byte bit patterns (floats bitcast, bools 0/1).
//!
//! It runs before cfunc-lower-faults (which lowers the checks it emits) and
//! before cfunc-lower-state (whose container loads it leaves typed). The
//! runtime's definitions arrive in the backend, which links its bitcode
//! into the module before LLVM optimisation, so these calls inline.
//! Statistics: rewritten ops by name, constant containers.

use super::pattern::{collect_ops, count, PassDiag, Patterns, Rewrite};
use crate::dialect::builder::{Builder, CmpF, CmpI};
use crate::dialect::ir::{Attribute, Operation, Type, Value};
use crate::dialect::ops;
use crate::dialect::FaultCode;
use crate::registry::CompilationContext;

pub use crate::abi::RUNTIME_PREFIX;

/// The kind of value an element is, from its MLIR type.
#[derive(Clone, Copy, PartialEq)]
enum Elem {
    Int,
    Float,
    Bool,
}

fn elem_of<'c>(b: &Builder<'c>, t: Type<'c>) -> Elem {
    if t == b.f64() {
        Elem::Float
    } else if t == b.i1() {
        Elem::Bool
    } else {
        Elem::Int
    }
}

/// A value → its 8-byte cell bits.
fn to_bits<'c>(b: &Builder<'c>, v: Value<'c>) -> Value<'c> {
    match elem_of(b, v.ty()) {
        Elem::Int => v,
        Elem::Float => b.cast("arith.bitcast", v, b.i64()),
        Elem::Bool => b.cast("arith.extui", v, b.i64()),
    }
}

/// A dict key → its cell bits. Float keys are canonicalised so that `-0.0`
/// and `0.0` are one key, as in Python (on the bits, which fast-math flags
/// cannot fold away). Inserting a NaN key faults; so a lookup of NaN
/// misses, as it does in Python for any NaN not inserted as the very same
/// object.
fn key_bits<'c>(b: &Builder<'c>, k: Value<'c>, insert: bool) -> Value<'c> {
    if elem_of(b, k.ty()) != Elem::Float {
        return to_bits(b, k);
    }
    if insert {
        let nan = b.cmpf(CmpF::Uno, k, k);
        b.cfunc_check(nan, FaultCode::NanDictKey);
    }
    let bits = to_bits(b, k);
    let minus_zero = b.const_i64(i64::MIN);
    let is_minus_zero = b.cmpi(CmpI::Eq, bits, minus_zero);
    let zero = b.const_i64(0);
    b.select(is_minus_zero, zero, bits)
}

/// Cell bits → a value of type `t`.
fn from_bits<'c>(b: &Builder<'c>, x: Value<'c>, t: Type<'c>) -> Value<'c> {
    match elem_of(b, t) {
        Elem::Int => x,
        Elem::Float => b.cast("arith.bitcast", x, b.f64()),
        Elem::Bool => {
            let z = b.const_i64(0);
            b.cmpi(CmpI::Ne, x, z)
        }
    }
}

/// A handle → the runtime object's address.
fn ptr<'c>(b: &Builder<'c>, h: Value<'c>) -> Value<'c> {
    b.v("builtin.unrealized_conversion_cast", &[h], b.ptr(), &[])
}

fn handle<'c>(b: &Builder<'c>, p: Value<'c>, t: Type<'c>) -> Value<'c> {
    b.v("builtin.unrealized_conversion_cast", &[p], t, &[])
}

fn is_list(t: Type<'_>) -> bool {
    t.to_string().starts_with("!cfunc.list")
}

/// Calls runtime function `name` (declaring it on first use).
fn call<'c>(
    b: &Builder<'c>,
    name: &str,
    args: &[Value<'c>],
    result: Option<Type<'c>>,
) -> Option<Value<'c>> {
    let params: Vec<Type<'c>> = args.iter().map(|a| a.ty()).collect();
    let results: Vec<Type<'c>> = result.into_iter().collect();
    b.declare_function_of(name, Type::function(b.context(), &params, &results));
    let op = b.op("func.call", args, &results, &[("callee", b.sym_attr(name))]);
    result.map(|_| op.result(0))
}

/// `i < 0 ? i + n : i`, and a fault unless `0 <= j < n`.
fn checked_index<'c>(b: &Builder<'c>, i: Value<'c>, n: Value<'c>, code: FaultCode) -> Value<'c> {
    let zero = b.const_i64(0);
    let neg = b.cmpi(CmpI::Slt, i, zero);
    let wrapped = b.bin("arith.addi", i, n);
    let j = b.select(neg, wrapped, i);
    let bad = b.cmpi(CmpI::Uge, j, n);
    b.cfunc_check(bad, code);
    j
}

/// Faults with `code` when the runtime's i32 status is 0.
fn check_status<'c>(b: &Builder<'c>, status: Value<'c>, code: FaultCode) {
    let zero = b.const_int(b.i32(), 0);
    let failed = b.cmpi(CmpI::Eq, status, zero);
    b.cfunc_check(failed, code);
}

/// The value cell of key `key` in dict handle `d` (`cfrt_dict_find`), NULL
/// when the key is missing.
fn find<'c>(b: &Builder<'c>, d: Value<'c>, key: Value<'c>) -> Option<Value<'c>> {
    call(
        b,
        "cfrt_dict_find",
        &[ptr(b, d), key_bits(b, key, false)],
        Some(b.ptr()),
    )
}

fn is_null<'c>(b: &Builder<'c>, p: Value<'c>) -> Value<'c> {
    let i = b.cast("llvm.ptrtoint", p, b.i64());
    let z = b.const_i64(0);
    b.cmpi(CmpI::Eq, i, z)
}

/// An `i64` alloca in the entry block of the function enclosing `op`.
fn entry_alloca<'c>(b: &Builder<'c>, op: Operation<'c>) -> Value<'c> {
    // The enclosing function: a func.func, or an llvm.func when an
    // upstream conversion ran first (cfunc-opt lets a pipeline do that).
    let first = op
        .ancestor(&["func.func", "llvm.func"])
        .and_then(|f| f.region(0).first_block())
        .and_then(|entry| entry.first_op())
        .expect("a container op inside a function");
    let eb = b.before_op(first);
    let one = eb.const_int(eb.i32(), 1);
    eb.v(
        "llvm.alloca",
        &[one],
        eb.ptr(),
        &[("elem_type", eb.type_attr(eb.i64()))],
    )
}

/// Runs the pass.
pub fn run<'c>(cx: &CompilationContext, module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    lower_constants(module)?;
    let mut p = Patterns::new(cx.mlir());
    let simple =
        |p: &mut Patterns,
         name: &'static str,
         f: for<'r> fn(&Rewrite<'r>, &Builder<'r>, &[Value<'r>]) -> Option<Value<'r>>| {
            p.add(name, 1, move |rw| {
                let ops = rw.op.operands();
                match f(rw, &rw.b, &ops) {
                    Some(v) => rw.replace(&[v]),
                    None => rw.erase(),
                }
                Ok(true)
            });
        };
    simple(&mut p, ops::LIST_NEW, |rw, b, ops| {
        let arena = ops
            .first()
            .copied()
            .unwrap_or_else(|| b.v("llvm.mlir.zero", &[], b.ptr(), &[]));
        let r = call(b, "cfrt_list_new", &[arena], Some(b.ptr()))?;
        Some(handle(b, r, rw.op.result(0).ty()))
    });
    simple(&mut p, ops::DICT_NEW, |rw, b, ops| {
        let arena = ops
            .first()
            .copied()
            .unwrap_or_else(|| b.v("llvm.mlir.zero", &[], b.ptr(), &[]));
        let r = call(b, "cfrt_dict_new", &[arena], Some(b.ptr()))?;
        Some(handle(b, r, rw.op.result(0).ty()))
    });
    simple(&mut p, ops::FREE, |_, b, ops| {
        call(b, "cfrt_free", &[ptr(b, ops[0])], None);
        None
    });
    simple(&mut p, ops::ARENA_FREE, |_, b, ops| {
        let head = b.v("llvm.load", &[ops[0]], b.ptr(), &[]);
        call(b, "cfrt_free_arena", &[head], None);
        None
    });
    simple(&mut p, ops::IS_NULL, |_, b, ops| {
        Some(is_null(b, ptr(b, ops[0])))
    });
    simple(&mut p, ops::IS_LIVE, |_, b, ops| {
        let tag = b.const_i64(if is_list(ops[0].ty()) {
            LIST_TAG
        } else {
            DICT_TAG
        });
        let live = call(b, "cfrt_is_live", &[ptr(b, ops[0]), tag], Some(b.i32()))?;
        let zero = b.const_int(b.i32(), 0);
        Some(b.cmpi(CmpI::Ne, live, zero))
    });
    simple(&mut p, ops::LEN, |_, b, ops| {
        let f = if is_list(ops[0].ty()) {
            "cfrt_list_len"
        } else {
            "cfrt_dict_len"
        };
        call(b, f, &[ptr(b, ops[0])], Some(b.i64()))
    });
    simple(&mut p, ops::CLEAR, |_, b, ops| {
        let f = if is_list(ops[0].ty()) {
            "cfrt_list_clear"
        } else {
            "cfrt_dict_clear"
        };
        call(b, f, &[ptr(b, ops[0])], None);
        None
    });
    simple(&mut p, ops::LIST_GET, |rw, b, ops| {
        let l = ptr(b, ops[0]);
        let n = call(b, "cfrt_list_len", &[l], Some(b.i64()))?;
        let j = checked_index(b, ops[1], n, FaultCode::IndexOutOfRange);
        let x = call(b, "cfrt_list_get", &[l, j], Some(b.i64()))?;
        Some(from_bits(b, x, rw.op.result(0).ty()))
    });
    simple(&mut p, ops::LIST_SET, |_, b, ops| {
        let l = ptr(b, ops[0]);
        let n = call(b, "cfrt_list_len", &[l], Some(b.i64()))?;
        let j = checked_index(b, ops[1], n, FaultCode::IndexOutOfRange);
        call(b, "cfrt_list_set", &[l, j, to_bits(b, ops[2])], None);
        None
    });
    simple(&mut p, ops::LIST_APPEND, |_, b, ops| {
        let s = call(
            b,
            "cfrt_list_append",
            &[ptr(b, ops[0]), to_bits(b, ops[1])],
            Some(b.i32()),
        )?;
        check_status(b, s, FaultCode::OutOfMemory);
        None
    });
    simple(&mut p, ops::LIST_POP, |rw, b, ops| {
        let l = ptr(b, ops[0]);
        let n = call(b, "cfrt_list_len", &[l], Some(b.i64()))?;
        let zero = b.const_i64(0);
        let empty = b.cmpi(CmpI::Eq, n, zero);
        b.cfunc_check(empty, FaultCode::PopEmptyList);
        let j = match ops.get(1) {
            Some(i) => checked_index(b, *i, n, FaultCode::IndexOutOfRange),
            None => {
                let one = b.const_i64(1);
                b.bin("arith.subi", n, one)
            }
        };
        let x = call(b, "cfrt_list_remove_at", &[l, j], Some(b.i64()))?;
        Some(from_bits(b, x, rw.op.result(0).ty()))
    });
    simple(&mut p, ops::LIST_INSERT, |_, b, ops| {
        let s = call(
            b,
            "cfrt_list_insert",
            &[ptr(b, ops[0]), ops[1], to_bits(b, ops[2])],
            Some(b.i32()),
        )?;
        check_status(b, s, FaultCode::OutOfMemory);
        None
    });
    simple(&mut p, ops::LIST_EXTEND, |_, b, ops| {
        let s = call(
            b,
            "cfrt_list_extend",
            &[ptr(b, ops[0]), ptr(b, ops[1])],
            Some(b.i32()),
        )?;
        check_status(b, s, FaultCode::OutOfMemory);
        None
    });
    simple(&mut p, ops::LIST_CONTAINS, |_, b, ops| {
        let l = ptr(b, ops[0]);
        let i = match elem_of(b, ops[1].ty()) {
            Elem::Float => call(b, "cfrt_list_find_f64", &[l, ops[1]], Some(b.i64()))?,
            _ => call(
                b,
                "cfrt_list_find_i64",
                &[l, to_bits(b, ops[1])],
                Some(b.i64()),
            )?,
        };
        let zero = b.const_i64(0);
        Some(b.cmpi(CmpI::Sge, i, zero))
    });
    p.add(ops::LIST_REDUCE, 1, |rw| {
        let b = &rw.b;
        let ops = rw.op.operands();
        let kind = rw
            .op
            .str_attr("kind")
            .ok_or("cfunc.list_reduce without kind")?;
        let rt = rw.op.result(0).ty();
        let l = ptr(b, ops[0]);
        // The element type: the list's parameter (a bool list sums to int).
        let float = ops[0].ty().to_string().contains("f64");
        if kind != "sum" {
            let n = call(b, "cfrt_list_len", &[l], Some(b.i64())).ok_or("no len")?;
            let zero = b.const_i64(0);
            let empty = b.cmpi(CmpI::Eq, n, zero);
            b.cfunc_check(empty, FaultCode::EmptyListMinMax);
        }
        let suffix = if float { "f64" } else { "i64" };
        let name = match kind.as_str() {
            "sum" | "min" | "max" => format!("cfrt_list_{kind}_{suffix}"),
            other => return Err(format!("unknown list reduction '{other}'")),
        };
        let ret = if float { b.f64() } else { b.i64() };
        let r = call(b, &name, &[l], Some(ret)).ok_or("no result")?;
        let r = if float { r } else { from_bits(b, r, rt) };
        rw.replace(&[r]);
        Ok(true)
    });
    simple(&mut p, ops::LIST_SORT, |_, b, ops| {
        let f = if ops[0].ty().to_string().contains("f64") {
            "cfrt_list_sort_f64"
        } else {
            "cfrt_list_sort_i64"
        };
        let s = call(b, f, &[ptr(b, ops[0])], Some(b.i32()))?;
        check_status(b, s, FaultCode::OutOfMemory);
        None
    });
    simple(&mut p, ops::LIST_SLICE, |rw, b, ops| {
        let zero = b.const_i64(0);
        let step_zero = b.cmpi(CmpI::Eq, ops[4], zero);
        b.cfunc_check(step_zero, FaultCode::SliceStepZero);
        let flags = rw.op.int_attr("has_start").unwrap_or(0).abs()
            | (rw.op.int_attr("has_stop").unwrap_or(0).abs() << 1);
        let flags = b.const_int(b.i32(), flags);
        let r = call(
            b,
            "cfrt_list_slice",
            &[ops[0], ptr(b, ops[1]), ops[2], ops[3], ops[4], flags],
            Some(b.ptr()),
        )?;
        let oom = is_null(b, r);
        b.cfunc_check(oom, FaultCode::OutOfMemory);
        Some(handle(b, r, rw.op.result(0).ty()))
    });
    simple(&mut p, ops::DICT_GET, |rw, b, ops| {
        let t = rw.op.result(0).ty();
        let cell = find(b, ops[0], ops[1])?;
        let missing = is_null(b, cell);
        match ops.get(2) {
            None => {
                b.cfunc_check(missing, FaultCode::KeyMissing);
                let x = b.v("llvm.load", &[cell], b.i64(), &[]);
                Some(from_bits(b, x, t))
            }
            Some(default) => {
                // Load through the default's own cell when the key is
                // missing: no branch, and LLVM sees both loads.
                let tmp = entry_alloca(b, rw.op);
                b.op("llvm.store", &[to_bits(b, *default), tmp], &[], &[]);
                let src = b.select(missing, tmp, cell);
                let x = b.v("llvm.load", &[src], b.i64(), &[]);
                Some(from_bits(b, x, t))
            }
        }
    });
    simple(&mut p, ops::DICT_SLOT, |_, b, ops| match ops.get(2) {
        None => {
            let cell = find(b, ops[0], ops[1])?;
            let missing = is_null(b, cell);
            b.cfunc_check(missing, FaultCode::KeyMissing);
            Some(cell)
        }
        Some(default) => {
            let key = key_bits(b, ops[1], true);
            let cell = call(
                b,
                "cfrt_dict_slot",
                &[ptr(b, ops[0]), key, to_bits(b, *default)],
                Some(b.ptr()),
            )?;
            let oom = is_null(b, cell);
            b.cfunc_check(oom, FaultCode::OutOfMemory);
            Some(cell)
        }
    });
    simple(&mut p, ops::DICT_SET, |_, b, ops| {
        let s = call(
            b,
            "cfrt_dict_set",
            &[
                ptr(b, ops[0]),
                key_bits(b, ops[1], true),
                to_bits(b, ops[2]),
            ],
            Some(b.i32()),
        )?;
        check_status(b, s, FaultCode::OutOfMemory);
        None
    });
    simple(&mut p, ops::DICT_CONTAINS, |_, b, ops| {
        let cell = find(b, ops[0], ops[1])?;
        let missing = is_null(b, cell);
        let t = b.const_bool(true);
        Some(b.bin("arith.xori", missing, t))
    });
    simple(&mut p, ops::DICT_POP, |rw, b, ops| {
        let t = rw.op.result(0).ty();
        let out = entry_alloca(b, rw.op);
        if let Some(default) = ops.get(2) {
            b.op("llvm.store", &[to_bits(b, *default), out], &[], &[]);
        }
        let found = call(
            b,
            "cfrt_dict_remove",
            &[ptr(b, ops[0]), key_bits(b, ops[1], false), out],
            Some(b.i32()),
        )?;
        if ops.len() == 2 {
            let zero = b.const_int(b.i32(), 0);
            let missing = b.cmpi(CmpI::Eq, found, zero);
            b.cfunc_check(missing, FaultCode::KeyMissing);
        }
        let x = b.v("llvm.load", &[out], b.i64(), &[]);
        Some(from_bits(b, x, t))
    });
    simple(&mut p, ops::DICT_VERSION, |_, b, ops| {
        call(b, "cfrt_dict_version", &[ptr(b, ops[0])], Some(b.i64()))
    });
    simple(&mut p, ops::DICT_NEXT, |_, b, ops| {
        call(
            b,
            "cfrt_dict_next",
            &[ptr(b, ops[0]), ops[1]],
            Some(b.i64()),
        )
    });
    simple(&mut p, ops::DICT_KEY_AT, |rw, b, ops| {
        let x = call(
            b,
            "cfrt_dict_entry_key",
            &[ptr(b, ops[0]), ops[1]],
            Some(b.i64()),
        )?;
        Some(from_bits(b, x, rw.op.result(0).ty()))
    });
    simple(&mut p, ops::DICT_VALUE_AT, |rw, b, ops| {
        let x = call(
            b,
            "cfrt_dict_entry_value",
            &[ptr(b, ops[0]), ops[1]],
            Some(b.i64()),
        )?;
        Some(from_bits(b, x, rw.op.result(0).ty()))
    });
    p.apply(module)
}

/// `cfunc.const_list` / `cfunc.const_dict` → static globals in the
/// runtime's layout, and the op → the global's address.
fn lower_constants<'c>(module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    let body = module.region(0).first_block().ok_or_else(|| {
        vec![PassDiag {
            loc: module.location(),
            message: "a module without a body".into(),
        }]
    })?;
    let mut n = 0;
    for name in [ops::CONST_LIST, ops::CONST_DICT] {
        let ops = collect_ops(module, name);
        count(
            name,
            "constant containers lowered to static globals",
            ops.len() as u64,
        );
        for op in ops {
            let loc = op.location();
            let sym = format!("__cfunc_const{n}");
            n += 1;
            let array = |attr: &str| {
                op.attr(attr)
                    .and_then(Attribute::i64_values)
                    .unwrap_or_default()
            };
            let globals = if name == ops::CONST_LIST {
                list_globals(&sym, &array("values"))
            } else {
                dict_globals(&sym, &array("keys"), &array("values"))
            };
            // Parsed as one module (the globals reference each other), then
            // moved into ours.
            let text = format!("module {{\n{}\n}}", globals.join("\n"));
            if !body.append_parsed(&text) {
                return Err(vec![PassDiag {
                    loc,
                    message: format!(
                        "internal error: cannot build constant container data:\n{text}"
                    ),
                }]);
            }
            let b = Builder::before(op);
            let addr = b.v(
                "llvm.mlir.addressof",
                &[],
                b.ptr(),
                &[("global_name", b.sym_attr(&sym))],
            );
            let h = handle(&b, addr, op.result(0).ty());
            op.result(0).replace_all_uses_with(h);
            // SAFETY: the constant's result has no uses left, and no handle
            // to it is used again.
            unsafe { op.destroy() };
        }
    }
    Ok(())
}

/// A global holding `values` as `!llvm.array<N x T>` (NULL address when
/// empty), and the name to reference it by.
fn array_global<T: std::fmt::Display>(sym: &str, elem: &str, values: &[T]) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    let items: Vec<String> = values.iter().map(ToString::to_string).collect();
    Some(format!(
        "llvm.mlir.global internal constant @{sym}(dense<[{}]> : tensor<{}x{elem}>) {{addr_space = 0 : i32}} : !llvm.array<{} x {elem}>",
        items.join(", "),
        values.len(),
        values.len()
    ))
}

/// The struct global: fields are i64 constants or addresses of globals
/// (`None`: NULL).
fn struct_global(sym: &str, fields: &[Field]) -> String {
    let tys: Vec<&str> = fields
        .iter()
        .map(|f| match f {
            Field::I64(_) => "i64",
            Field::Ptr(_) => "!llvm.ptr",
        })
        .collect();
    let st = format!("!llvm.struct<({})>", tys.join(", "));
    let mut body = format!("  %s0 = llvm.mlir.undef : {st}\n");
    for (i, f) in fields.iter().enumerate() {
        let v = match f {
            Field::I64(x) => format!("  %v{i} = llvm.mlir.constant({x} : i64) : i64\n"),
            Field::Ptr(Some(g)) => format!("  %v{i} = llvm.mlir.addressof @{g} : !llvm.ptr\n"),
            Field::Ptr(None) => format!("  %v{i} = llvm.mlir.zero : !llvm.ptr\n"),
        };
        body.push_str(&v);
        body.push_str(&format!(
            "  %s{} = llvm.insertvalue %v{i}, %s{i}[{i}] : {st}\n",
            i + 1
        ));
    }
    format!(
        "llvm.mlir.global internal constant @{sym}() {{addr_space = 0 : i32}} : {st} {{\n{body}  llvm.return %s{} : {st}\n}}",
        fields.len()
    )
}

enum Field {
    I64(i64),
    Ptr(Option<String>),
}

/// The runtime's tag of a list (runtime/cfrt.h): a container's first 8
/// bytes, "cfrtlist" in little-endian ASCII.
pub const LIST_TAG: i64 = 0x7473_696C_7472_6663;
/// The runtime's tag of a dict, "cfrtdict".
pub const DICT_TAG: i64 = 0x7463_6964_7472_6663;

/// `cf_list` (runtime/cfrt.h): {kind, next_local, len, cap, data}.
fn list_globals(sym: &str, values: &[i64]) -> Vec<String> {
    let data_sym = format!("{sym}_data");
    let mut out: Vec<String> = array_global(&data_sym, "i64", values).into_iter().collect();
    let n = values.len() as i64;
    out.push(struct_global(
        sym,
        &[
            Field::I64(LIST_TAG),
            Field::Ptr(None),
            Field::I64(n),
            Field::I64(n),
            Field::Ptr((!values.is_empty()).then_some(data_sym)),
        ],
    ));
    out
}

/// The runtime's hash of a key: the index slot probing starts from.
pub fn dict_slot(key: i64, shift: u32) -> usize {
    ((key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

/// `cf_dict` (runtime/cfrt.h), built as the runtime would by inserting the
/// entries in order (a repeated key keeps its first position and takes the
/// last value, as in a Python dict literal).
fn dict_globals(sym: &str, keys: &[i64], values: &[i64]) -> Vec<String> {
    let mut entries: Vec<(i64, i64)> = Vec::new();
    for (k, v) in keys.iter().zip(values) {
        match entries.iter_mut().find(|e| e.0 == *k) {
            Some(e) => e.1 = *v,
            None => entries.push((*k, *v)),
        }
    }
    let n = entries.len();
    let size = (2 * n).max(8).next_power_of_two();
    let shift = 64 - size.trailing_zeros();
    let mut index = vec![-1i32; size];
    for (i, (k, _)) in entries.iter().enumerate() {
        let mut s = dict_slot(*k, shift);
        while index[s] != -1 {
            s = (s + 1) & (size - 1);
        }
        index[s] = i as i32;
    }
    let flat: Vec<i64> = entries.iter().flat_map(|(k, v)| [*k, *v]).collect();
    let dead = vec![0i64; n.div_ceil(64).max(1)];
    let (index_sym, entries_sym, dead_sym) = (
        format!("{sym}_index"),
        format!("{sym}_entries"),
        format!("{sym}_dead"),
    );
    let mut out = Vec::new();
    out.extend(array_global(&index_sym, "i32", &index));
    out.extend(array_global(&entries_sym, "i64", &flat));
    out.extend(array_global(&dead_sym, "i64", &dead));
    out.push(struct_global(
        sym,
        &[
            Field::I64(DICT_TAG),
            Field::Ptr(None),
            Field::I64(n as i64),
            Field::I64(n as i64),
            Field::I64(n as i64),
            Field::I64(shift as i64),
            Field::I64(0),
            Field::Ptr(Some(index_sym)),
            Field::Ptr((n > 0).then_some(entries_sym)),
            Field::Ptr(Some(dead_sym)),
        ],
    ));
    out
}
