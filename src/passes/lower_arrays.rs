//! `cfunc-lower-arrays`: fixed-size array ops → plain loads and stores, with
//! Python's index checks as `cfunc.check` faults. No runtime is involved:
//! an array is `N` elements laid out as a C array (`i64`, `f64`, or one
//! byte `0`/`1` for a bool) at the address its handle carries.
//!
//! ```text
//! %v = cfunc.array_get(%a, %i)   ──▶  %j = %i < 0 ? %i + N : %i
//!                                     cfunc.check(%j >=u N) {code = 5}
//!                                     %v = llvm.load (gep %a[%j])
//! cfunc.array_set(%a, %i, %v)    ──▶  the same check; llvm.store
//! cfunc.array_clear(%a)          ──▶  llvm.intr.memset(%a, 0, N × size)
//! %a = cfunc.array_new           ──▶  llvm.alloca !llvm.array<N x T> in the
//!                                     entry block; memset 0 where it runs
//! %a = cfunc.const_array {values} ──▶ llvm.mlir.addressof @__cfunc_carrN
//! %s = cfunc.array_reduce(%a)    ──▶  scf.for over the elements (sum from 0,
//!                                     min/max from element 0 by strict <, >)
//! ```
//! Handles become `!llvm.ptr` through `unrealized_conversion_cast`, which
//! `reconcile-unrealized-casts` removes in cfunc-to-llvm. Element accesses
//! carry the ABI's "cfunc cell" TBAA tag (cfunc-lower-io): array state is
//! host memory beside the value cells, never the pointer arrays.
//!
//! Position: before cfunc-lower-faults (which lowers the checks it emits)
//! and cfunc-lower-state (which turns an array state's `cfunc.state_load`
//! into the pointer in `state[i]`); after the container passes, with which
//! it shares nothing. Statistics: rewritten ops, by name.

use super::lower_io::tbaa_cell;
use super::pattern::{collect_ops, count, PassDiag, Patterns, Rewrite};
use crate::dialect::builder::{Builder, CmpF, CmpI};
use crate::dialect::ir::{Attribute, Operation, Type, Value};
use crate::dialect::ops;
use crate::dialect::FaultCode;
use crate::registry::CompilationContext;

/// An array type's parameters, read back from `!cfunc.array<T, N : i64>`.
#[derive(Clone, Copy)]
struct Shape<'c> {
    /// The element's value type: `i64`, `f64` or `i1`.
    elem: Type<'c>,
    /// The element's type in memory: `i64`, `f64` or `i8`.
    mem: Type<'c>,
    /// Bytes per element.
    size: i64,
    /// Number of elements.
    length: i64,
}

/// The shape of array type `t`; `Err` for any other type.
fn shape<'c>(b: &Builder<'c>, t: Type<'c>) -> Result<Shape<'c>, String> {
    let text = t.to_string();
    let inner = text
        .strip_prefix("!cfunc.array<")
        .and_then(|s| s.strip_suffix('>'))
        .ok_or_else(|| format!("expected an !cfunc.array type, found {text}"))?;
    let (elem, rest) = inner
        .split_once(',')
        .ok_or_else(|| format!("malformed array type {text}"))?;
    let length: i64 = rest
        .trim()
        .split(':')
        .next()
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| format!("malformed array length in {text}"))?;
    if !(1..=crate::types::ArrayTy::MAX_LEN as i64).contains(&length) {
        return Err(format!(
            "array length {length} is out of range (1 to {})",
            crate::types::ArrayTy::MAX_LEN
        ));
    }
    let (elem, mem, size) = match elem.trim() {
        "i64" => (b.i64(), b.i64(), 8),
        "f64" => (b.f64(), b.f64(), 8),
        "i1" => (b.i1(), b.i8(), 1),
        other => return Err(format!("array elements of type {other} are not supported")),
    };
    Ok(Shape {
        elem,
        mem,
        size,
        length,
    })
}

/// A handle → the array's address.
fn ptr<'c>(b: &Builder<'c>, h: Value<'c>) -> Value<'c> {
    b.v("builtin.unrealized_conversion_cast", &[h], b.ptr(), &[])
}

fn handle<'c>(b: &Builder<'c>, p: Value<'c>, t: Type<'c>) -> Value<'c> {
    b.v("builtin.unrealized_conversion_cast", &[p], t, &[])
}

/// `&a[j]` for a run-time index `j` (in range).
fn element<'c>(b: &Builder<'c>, a: Value<'c>, s: Shape<'c>, j: Value<'c>) -> Value<'c> {
    b.v(
        "llvm.getelementptr",
        &[a, j],
        b.ptr(),
        &[
            ("elem_type", b.type_attr(s.mem)),
            (
                "rawConstantIndices",
                Attribute::i32_array(b.context(), &[i32::MIN]),
            ),
        ],
    )
}

fn access_attrs<'c>(b: &Builder<'c>, s: Shape<'c>) -> [(&'static str, Attribute<'c>); 2] {
    [
        ("tbaa", tbaa_cell(b)),
        ("alignment", b.int_attr(b.i64(), s.size)),
    ]
}

/// Loads element `j` (in range) as its value type.
fn load<'c>(b: &Builder<'c>, a: Value<'c>, s: Shape<'c>, j: Value<'c>) -> Value<'c> {
    let raw = b.v(
        "llvm.load",
        &[element(b, a, s, j)],
        s.mem,
        &access_attrs(b, s),
    );
    if s.elem == b.i1() {
        let zero = b.const_int(b.i8(), 0);
        b.cmpi(CmpI::Ne, raw, zero)
    } else {
        raw
    }
}

/// Stores `v` into element `j` (in range); a bool as one byte 0 or 1.
fn store<'c>(b: &Builder<'c>, a: Value<'c>, s: Shape<'c>, j: Value<'c>, v: Value<'c>) {
    let v = if s.elem == b.i1() {
        b.cast("arith.extui", v, b.i8())
    } else {
        v
    };
    b.op(
        "llvm.store",
        &[v, element(b, a, s, j)],
        &[],
        &access_attrs(b, s),
    );
}

/// Python's index `i` into `length` elements: `i < 0 ? i + N : i`, and
/// fault 5 unless `0 <= j < N`.
fn checked_index<'c>(b: &Builder<'c>, i: Value<'c>, length: i64) -> Value<'c> {
    let zero = b.const_i64(0);
    let n = b.const_i64(length);
    let neg = b.cmpi(CmpI::Slt, i, zero);
    let wrapped = b.bin("arith.addi", i, n);
    let j = b.select(neg, wrapped, i);
    let bad = b.cmpi(CmpI::Uge, j, n);
    b.cfunc_check(bad, FaultCode::IndexOutOfRange);
    j
}

fn zero_fill<'c>(b: &Builder<'c>, a: Value<'c>, s: Shape<'c>) {
    let zero = b.const_int(b.i8(), 0);
    let len = b.const_i64(s.length * s.size);
    b.op(
        "llvm.intr.memset",
        &[a, zero, len],
        &[],
        &[("isVolatile", b.parse_attr("false"))],
    );
}

/// The shape of the array type of `rw.op`'s first operand (or result).
fn shape_of<'c>(rw: &Rewrite<'c>, v: Value<'c>) -> Result<Shape<'c>, String> {
    shape(&rw.b, v.ty()).map_err(|e| format!("{}: {e}", rw.op.name()))
}

/// An `!llvm.array<N x T>` slot at the top of the entry block of the
/// function enclosing `op`, so that a local array in a loop reuses one
/// slot instead of growing the stack.
fn entry_slot<'c>(b: &Builder<'c>, op: Operation<'c>, s: Shape<'c>) -> Value<'c> {
    let first = op
        .ancestor(&["func.func", "llvm.func"])
        .and_then(|f| f.region(0).first_block())
        .and_then(|entry| entry.first_op())
        .expect("an array op inside a function");
    let eb = b.before_op(first);
    let one = eb.const_int(eb.i32(), 1);
    let mem = s.mem.to_string();
    eb.v(
        "llvm.alloca",
        &[one],
        eb.ptr(),
        &[
            (
                "elem_type",
                eb.type_attr(eb.parse_type(&format!("!llvm.array<{} x {mem}>", s.length))),
            ),
            ("alignment", eb.int_attr(eb.i64(), 8)),
        ],
    )
}

/// `sum`, `min` or `max` of the elements: a loop (`scf.for`) over them,
/// left to right as CPython's are.
fn reduce<'c>(
    b: &Builder<'c>,
    a: Value<'c>,
    s: Shape<'c>,
    kind: &str,
    rt: Type<'c>,
) -> Result<Value<'c>, String> {
    let float = s.elem == b.f64();
    let bool_elems = s.elem == b.i1();
    let (init, from) = match kind {
        // CPython's sum starts from the int 0; 0 + x is x for an int, and
        // 0.0 + x for a float (so a sum of -0.0 is 0.0, as in CPython).
        "sum" if float => (b.const_f64(0.0), 0),
        "sum" => (b.const_i64(0), 0),
        "min" | "max" => {
            let zero = b.const_i64(0);
            (load(b, a, s, zero), 1)
        }
        other => return Err(format!("unknown array reduction '{other}'")),
    };
    if from >= s.length {
        return Ok(init);
    }
    let lb = b.const_i64(from);
    let ub = b.const_i64(s.length);
    let step = b.const_i64(1);
    let acc_ty = init.ty();
    let l = b.op_full("scf.for", &[lb, ub, step, init], &[acc_ty], &[], &[], 1);
    let body = l.region(0).append_block(&[b.i64(), acc_ty], b.location());
    {
        let bb = b.at_end_of(body);
        let (i, acc) = (body.argument(0), body.argument(1));
        let x = load(&bb, a, s, i);
        let next = match kind {
            "sum" if float => bb.bin("arith.addf", acc, x),
            "sum" if bool_elems => {
                let x = bb.cast("arith.extui", x, bb.i64());
                bb.bin("arith.addi", acc, x)
            }
            "sum" => bb.bin("arith.addi", acc, x),
            // CPython keeps the first of equal values and replaces only on
            // a strict comparison (so NaN never replaces, nor is replaced
            // by a later value unless it comes first).
            _ => {
                let better = match (kind, float, bool_elems) {
                    ("min", true, _) => bb.cmpf(CmpF::Olt, x, acc),
                    ("max", true, _) => bb.cmpf(CmpF::Ogt, x, acc),
                    ("min", _, true) => bb.cmpi(CmpI::Ult, x, acc),
                    ("max", _, true) => bb.cmpi(CmpI::Ugt, x, acc),
                    ("min", _, _) => bb.cmpi(CmpI::Slt, x, acc),
                    _ => bb.cmpi(CmpI::Sgt, x, acc),
                };
                bb.select(better, x, acc)
            }
        };
        bb.op("scf.yield", &[next], &[], &[]);
    }
    let r = l.result(0);
    if r.ty() != rt {
        return Err(format!(
            "cfunc.array_reduce: the {kind} of these elements is {}, not {rt}",
            r.ty()
        ));
    }
    Ok(r)
}

/// Runs the pass.
pub fn run<'c>(cx: &CompilationContext, module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    lower_constants(module)?;
    let mut p = Patterns::new(cx.mlir());
    p.add(ops::ARRAY_GET, 1, |rw| {
        let ops = rw.op.operands();
        let s = shape_of(rw, ops[0])?;
        let b = &rw.b;
        let j = checked_index(b, ops[1], s.length);
        let v = load(b, ptr(b, ops[0]), s, j);
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::ARRAY_SET, 1, |rw| {
        let ops = rw.op.operands();
        let s = shape_of(rw, ops[0])?;
        let b = &rw.b;
        let j = checked_index(b, ops[1], s.length);
        store(b, ptr(b, ops[0]), s, j, ops[2]);
        rw.erase();
        Ok(true)
    });
    p.add(ops::ARRAY_CLEAR, 1, |rw| {
        let ops = rw.op.operands();
        let s = shape_of(rw, ops[0])?;
        zero_fill(&rw.b, ptr(&rw.b, ops[0]), s);
        rw.erase();
        Ok(true)
    });
    p.add(ops::ARRAY_NEW, 1, |rw| {
        let r = rw.op.result(0);
        let s = shape_of(rw, r)?;
        let b = &rw.b;
        let slot = entry_slot(b, rw.op, s);
        // Zero-filled each time it runs: a new array, as in Python.
        zero_fill(b, slot, s);
        let h = handle(b, slot, r.ty());
        rw.replace(&[h]);
        Ok(true)
    });
    p.add(ops::ARRAY_REDUCE, 1, |rw| {
        let ops = rw.op.operands();
        let s = shape_of(rw, ops[0])?;
        let kind = rw
            .op
            .str_attr("kind")
            .ok_or("cfunc.array_reduce without kind")?;
        let rt = rw.op.result(0).ty();
        let b = &rw.b;
        let v = reduce(b, ptr(b, ops[0]), s, &kind, rt)?;
        rw.replace(&[v]);
        Ok(true)
    });
    p.apply(module)
}

/// `cfunc.const_array` → an internal constant global holding the elements
/// as the array lays them out (8-byte cells; a bool array one byte each),
/// and the op → the global's address.
fn lower_constants<'c>(module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    let body = module.region(0).first_block().ok_or_else(|| {
        vec![PassDiag {
            loc: module.location(),
            message: "a module without a body".into(),
        }]
    })?;
    let found = collect_ops(module, ops::CONST_ARRAY);
    count(
        ops::CONST_ARRAY,
        "constant arrays lowered to static globals",
        found.len() as u64,
    );
    for (n, op) in found.into_iter().enumerate() {
        let loc = op.location();
        let b = Builder::before(op);
        let fail = |message: String| vec![PassDiag { loc, message }];
        let t = op.result(0).ty();
        let s = shape(&b, t).map_err(fail)?;
        let values = op
            .attr("values")
            .and_then(Attribute::i64_values)
            .unwrap_or_default();
        if values.len() as i64 != s.length {
            return Err(fail(format!(
                "cfunc.const_array: {} values for an array of {} elements",
                values.len(),
                s.length
            )));
        }
        // Bools as one byte each, ints and floats as their 8-byte bits.
        let (elem, items): (&str, Vec<String>) = if s.size == 1 {
            (
                "i8",
                values
                    .iter()
                    .map(|v| (*v != 0).then_some("1").unwrap_or("0").to_string())
                    .collect(),
            )
        } else {
            ("i64", values.iter().map(ToString::to_string).collect())
        };
        let sym = format!("__cfunc_carr{n}");
        let text = format!(
            "module {{\nllvm.mlir.global internal constant @{sym}(dense<[{}]> : tensor<{}x{elem}>) {{addr_space = 0 : i32, alignment = 8 : i64}} : !llvm.array<{} x {elem}>\n}}",
            items.join(", "),
            s.length,
            s.length
        );
        if !body.append_parsed(&text) {
            return Err(fail(format!(
                "internal error: cannot build constant array data:\n{text}"
            )));
        }
        let addr = b.v(
            "llvm.mlir.addressof",
            &[],
            b.ptr(),
            &[("global_name", b.sym_attr(&sym))],
        );
        let h = handle(&b, addr, t);
        op.result(0).replace_all_uses_with(h);
        // SAFETY: the constant's result has no uses left, and no handle to
        // it is used again.
        unsafe { op.destroy() };
    }
    Ok(())
}
