//! `cfunc-lower-io`: signal inputs and outputs → loads and stores through
//! the ABI's pointer arrays.
//!
//! ```text
//! cfunc.input_value(%inputs) {index = i}   ──▶  %p = load inputs[i]; load %p
//! cfunc.guarded_input(%inputs, %valid)     ──▶  %p = load inputs[i]
//!                                               load (%valid ? %p : @__cfunc_zero)
//! cfunc.input_ticked(%ticked) {index = i}  ──▶  load i8 ticked[i] != 0
//! cfunc.output(%outs, %ticked, %v) {index} ──▶  store %v → *outs[i]; ticked[i] = 1
//! ```
//! Cells are 8 bytes; a bool is one byte at offset 0 (nonzero = true).
//!
//! Struct fields are accessed at their `offset` as their `storage` lays
//! them out (`int8` … `uint64`, `float32`, `float64`, `bool`): loads widen
//! (sign- or zero-extension, `arith.extf`), stores narrow (`arith.trunci`
//! keeps the low bits, `arith.truncf` rounds to nearest even), every access
//! with alignment 1, since packed structs put fields anywhere.
//!
//! Loads of the pointer arrays (`inputs[i]`, `outputs[i]`, `state[i]`) and
//! accesses to the cells they point at carry two different TBAA tags, so
//! LLVM knows that writing a cell never changes a pointer array: after
//! `*state[0] = v`, `outputs[0]` need not be reloaded and `*state[0]` is
//! forwarded. This is the ABI's contract (design.md §2): the host's pointer
//! arrays and the value cells do not overlap. Flag bytes stay untagged
//! (they may alias anything, like `char` in C).
//!
//! Position: with cfunc-lower-state, last among the cfunc passes: the
//! earlier ones read inputs and outputs as single cfunc ops, and nothing
//! after it but cfunc-to-llvm. Statistics: rewritten ops, by name.

use super::pattern::{PassDiag, Patterns};
use crate::dialect::builder::{Builder, CmpI};
use crate::dialect::ir::{Attribute, Operation, Type, Value};
use crate::dialect::ops;
use crate::registry::CompilationContext;
use crate::types::Storage;

/// An `index`, `slot` or `offset` attribute of `op`, which indexes an ABI
/// array or a struct: 0 to 2^31 - 1 (a GEP's constant indices are i32), so
/// IR from elsewhere with another value is a located error.
pub fn array_index<'c>(op: Operation<'c>, name: &str) -> Result<i64, String> {
    let what = op.name();
    let v = op
        .int_attr(name)
        .ok_or_else(|| format!("{what} without {name}"))?;
    if !(0..=i32::MAX as i64).contains(&v) {
        return Err(format!(
            "{what}: {name} {v} is out of range (0 to 2^31 - 1)"
        ));
    }
    Ok(v)
}

/// `&base[index]` for an array of elements of type `elem`.
pub fn element_ptr<'c>(b: &Builder<'c>, base: Value<'c>, elem: Type<'c>, index: i64) -> Value<'c> {
    if index == 0 {
        return base;
    }
    b.v(
        "llvm.getelementptr",
        &[base],
        b.ptr(),
        &[
            ("elem_type", b.type_attr(elem)),
            (
                "rawConstantIndices",
                b.parse_attr(&format!("array<i32: {index}>")),
            ),
        ],
    )
}

/// The TBAA access tag `[#llvm.tbaa_tag<...>]` of one kind of ABI memory:
/// `"cfunc slot"` for the pointer arrays, `"cfunc cell"` for value cells.
fn tbaa<'c>(b: &Builder<'c>, kind: &str) -> Attribute<'c> {
    let ty = format!(
        "#llvm.tbaa_type_desc<id = \"{kind}\", members = {{<#llvm.tbaa_root<id = \"cfunc abi\">, 0>}}>"
    );
    b.parse_attr(&format!(
        "[#llvm.tbaa_tag<base_type = {ty}, access_type = {ty}, offset = 0>]"
    ))
}

/// The TBAA tag of the value cells, which array elements share: host
/// memory behind a pointer of the ABI arrays, never the arrays themselves.
pub fn tbaa_cell<'c>(b: &Builder<'c>) -> Attribute<'c> {
    tbaa(b, "cfunc cell")
}

/// Loads a value of type `ty` from a cell (bools as a nonzero byte).
pub fn load_cell<'c>(b: &Builder<'c>, cell: Value<'c>, ty: Type<'c>) -> Value<'c> {
    let tag = [("tbaa", tbaa(b, "cfunc cell"))];
    if ty == b.i1() {
        let byte = b.v("llvm.load", &[cell], b.i8(), &tag);
        let zero = b.const_int(b.i8(), 0);
        b.cmpi(CmpI::Ne, byte, zero)
    } else {
        b.v("llvm.load", &[cell], ty, &tag)
    }
}

/// Stores a value into a cell (bools as one byte, 0 or 1).
pub fn store_cell<'c>(b: &Builder<'c>, cell: Value<'c>, v: Value<'c>) {
    let v = if v.ty() == b.i1() {
        b.cast("arith.extui", v, b.i8())
    } else {
        v
    };
    b.op(
        "llvm.store",
        &[v, cell],
        &[],
        &[("tbaa", tbaa(b, "cfunc cell"))],
    );
}

/// The `storage` of a `cfunc.struct_get` / `cfunc.struct_set` whose value
/// has type `ty`: an integer storage for an i64, `float32`/`float64` for an
/// f64, `bool` for an i1.
fn field_storage<'c>(b: &Builder<'c>, op: Operation<'c>, ty: Type<'c>) -> Result<Storage, String> {
    let what = op.name();
    let name = op
        .str_attr("storage")
        .ok_or_else(|| format!("{what} without storage"))?;
    let s =
        Storage::from_name(&name).ok_or_else(|| format!("{what}: unknown storage \"{name}\""))?;
    let fits = if ty == b.i64() {
        s.is_int()
    } else if ty == b.f64() {
        s.is_float()
    } else {
        ty == b.i1() && s == Storage::Bool
    };
    if !fits {
        return Err(format!(
            "{what}: storage \"{name}\" does not hold the field's value type"
        ));
    }
    Ok(s)
}

/// The MLIR type a field of `storage` has in memory.
fn memory_type<'c>(b: &Builder<'c>, storage: Storage) -> Type<'c> {
    match storage {
        Storage::Float32 => b.parse_type("f32"),
        Storage::Float64 => b.f64(),
        s => b.int_ty(8 * s.size() as u32),
    }
}

/// The attributes of a struct field access: the cell TBAA tag, and
/// alignment 1. A field may lie at any offset and the host's struct at any
/// address (a packed struct, an array of them), so nothing is assumed;
/// x86-64 and AArch64 load unaligned scalars with the same instructions.
fn field_attrs<'c>(b: &Builder<'c>) -> [(&'static str, Attribute<'c>); 2] {
    [
        ("tbaa", tbaa(b, "cfunc cell")),
        ("alignment", b.int_attr(b.i64(), 1)),
    ]
}

/// Loads a struct field of `storage` at `p`, widened to `ty` (i64: sign-
/// or zero-extended, uint64 as its bits; f64: float32 extended exactly;
/// i1: the byte is nonzero).
fn load_field<'c>(b: &Builder<'c>, p: Value<'c>, storage: Storage, ty: Type<'c>) -> Value<'c> {
    let mem = memory_type(b, storage);
    let raw = b.v("llvm.load", &[p], mem, &field_attrs(b));
    match storage {
        Storage::Bool => {
            let zero = b.const_int(b.i8(), 0);
            b.cmpi(CmpI::Ne, raw, zero)
        }
        Storage::Int64 | Storage::UInt64 | Storage::Float64 => raw,
        Storage::Float32 => b.cast("arith.extf", raw, ty),
        s if s.is_signed() => b.cast("arith.extsi", raw, ty),
        _ => b.cast("arith.extui", raw, ty),
    }
}

/// Stores `v` into a struct field of `storage` at `p`: an int's low N
/// bits, a double rounded to the nearest float32 (ties to even), a bool as
/// one byte 0 or 1.
fn store_field<'c>(b: &Builder<'c>, p: Value<'c>, storage: Storage, v: Value<'c>) {
    let mem = memory_type(b, storage);
    let v = match storage {
        Storage::Bool => b.cast("arith.extui", v, b.i8()),
        Storage::Int64 | Storage::UInt64 | Storage::Float64 => v,
        Storage::Float32 => b.cast("arith.truncf", v, mem),
        _ => b.cast("arith.trunci", v, mem),
    };
    b.op("llvm.store", &[v, p], &[], &field_attrs(b));
}

/// `*(array[index])`: the cell behind the index-th pointer of a `void**`.
pub fn cell_of<'c>(b: &Builder<'c>, array: Value<'c>, index: i64) -> Value<'c> {
    let slot = element_ptr(b, array, b.ptr(), index);
    b.v(
        "llvm.load",
        &[slot],
        b.ptr(),
        &[("tbaa", tbaa(b, "cfunc slot"))],
    )
}

/// The static zero cell (`@__cfunc_zero`, 8 bytes of zero, defined in the
/// module on first use): what `cfunc.guarded_input` loads from while an
/// input is not valid.
fn zero_cell<'c>(b: &Builder<'c>, op: Operation<'c>) -> Result<Value<'c>, String> {
    const ZERO: &str = "__cfunc_zero";
    let module = op
        .ancestor(&["builtin.module"])
        .ok_or("cfunc.guarded_input outside a module")?;
    if module.lookup_symbol(ZERO).is_none() {
        let body = module
            .region(0)
            .first_block()
            .ok_or("a module without a body")?;
        b.at_end_of(body).i64_global(ZERO, 0, true);
    }
    Ok(b.v(
        "llvm.mlir.addressof",
        &[],
        b.ptr(),
        &[("global_name", b.sym_attr(ZERO))],
    ))
}

fn flag<'c>(b: &Builder<'c>, flags: Value<'c>, index: i64) -> Value<'c> {
    let p = element_ptr(b, flags, b.i8(), index);
    load_cell(b, p, b.i1())
}

/// Runs the pass.
pub fn run<'c>(cx: &CompilationContext, module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    let mut p = Patterns::new(cx.mlir());
    p.add(ops::INPUT_VALUE, 1, |rw| {
        let index = array_index(rw.op, "index")?;
        let cell = cell_of(&rw.b, rw.op.operand(0), index);
        let ty = rw.op.result(0).ty();
        // A struct input's value is its address, inputs[i] itself.
        if ty == rw.b.ptr() {
            rw.replace(&[cell]);
            return Ok(true);
        }
        let v = load_cell(&rw.b, cell, ty);
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::GUARDED_INPUT, 1, |rw| {
        let index = array_index(rw.op, "index")?;
        let [inputs, valid] = rw.op.operands()[..] else {
            return Err("cfunc.guarded_input takes two operands".into());
        };
        let b = &rw.b;
        let cell = cell_of(b, inputs, index);
        let zero = zero_cell(b, rw.op)?;
        let p = b.select(valid, cell, zero);
        let v = load_cell(b, p, rw.op.result(0).ty());
        rw.replace(&[v]);
        Ok(true)
    });
    for name in [ops::INPUT_TICKED, ops::INPUT_VALID] {
        p.add(name, 1, |rw| {
            let index = array_index(rw.op, "index")?;
            let v = flag(&rw.b, rw.op.operand(0), index);
            rw.replace(&[v]);
            Ok(true)
        });
    }
    p.add(ops::OUTPUT_PTR, 1, |rw| {
        let index = array_index(rw.op, "index")?;
        let buf = cell_of(&rw.b, rw.op.operand(0), index);
        rw.replace(&[buf]);
        Ok(true)
    });
    p.add(ops::OUTPUT_TICK, 1, |rw| {
        let index = array_index(rw.op, "index")?;
        let b = &rw.b;
        let t = element_ptr(b, rw.op.operand(0), b.i8(), index);
        let one = b.const_int(b.i8(), 1);
        b.op("llvm.store", &[one, t], &[], &[]);
        rw.erase();
        Ok(true)
    });
    p.add(ops::STRUCT_GET, 1, |rw| {
        let offset = array_index(rw.op, "offset")?;
        let b = &rw.b;
        let ty = rw.op.result(0).ty();
        let storage = field_storage(b, rw.op, ty)?;
        let field = element_ptr(b, rw.op.operand(0), b.i8(), offset);
        let v = load_field(b, field, storage, ty);
        rw.replace(&[v]);
        Ok(true)
    });
    p.add(ops::STRUCT_SET, 1, |rw| {
        let offset = array_index(rw.op, "offset")?;
        let [p, value] = rw.op.operands()[..] else {
            return Err("cfunc.struct_set takes two operands".into());
        };
        let b = &rw.b;
        let storage = field_storage(b, rw.op, value.ty())?;
        let field = element_ptr(b, p, b.i8(), offset);
        store_field(b, field, storage, value);
        rw.erase();
        Ok(true)
    });
    p.add(ops::STRUCT_ZERO, 1, |rw| {
        let size = rw
            .op
            .int_attr("size")
            .ok_or("cfunc.struct_zero without size")?;
        let b = &rw.b;
        let zero = b.const_int(b.i8(), 0);
        let len = b.const_i64(size);
        b.op(
            "llvm.intr.memset",
            &[rw.op.operand(0), zero, len],
            &[],
            &[("isVolatile", b.parse_attr("false"))],
        );
        rw.erase();
        Ok(true)
    });
    p.add(ops::OUTPUT, 1, |rw| {
        let index = array_index(rw.op, "index")?;
        let [outputs, ticked, value] = rw.op.operands()[..] else {
            return Err("cfunc.output takes three operands".into());
        };
        let b = &rw.b;
        let cell = cell_of(b, outputs, index);
        store_cell(b, cell, value);
        let t = element_ptr(b, ticked, b.i8(), index);
        let one = b.const_int(b.i8(), 1);
        b.op("llvm.store", &[one, t], &[], &[]);
        rw.erase();
        Ok(true)
    });
    p.apply(module)
}
