//! `cfunc-lower-faults`: `cfunc.check` → a branch to a block that records
//! the fault and returns.
//!
//! ```text
//! ^bb:  ops...                          ^bb:    ops...
//!       "cfunc.check"(%c) {code = 1}  ──▶       cf.cond_br %c, ^fault, ^rest
//!       more ops...                     ^fault: store {code, line, col} → @__cfunc_fault
//!                                               func.return
//!                                       ^rest:  more ops...
//! ```
//! When the function has a single `func.return` in an argument-free block
//! (the frontend's exit block, which frees the tick's local containers),
//! the fault branches there instead of returning directly, so a fault
//! leaks nothing.
//! Each fault is written to the instance's own fault cell, the state slot
//! the module's `cfunc.fault_slot` attribute names (one int64: code, line
//! and column packed, `dialect::pack_fault`), through `cfunc.state_store`,
//! which cfunc-lower-state lowers after this pass. It is also written to
//! the `.so`'s one global record, `{i32 code, i32 line, i32 col, i32
//! reserved}`, which hosts written before the cell read through the
//! exported accessor `<native_name>_fault` (named by the backend). Line
//! and column come from the check's location, that is, from the Python
//! source.
//!
//! Position: after every producer of `cfunc.check` (the frontend,
//! cfunc-resolve's handlers, cfunc-lower-containers), before cfunc-to-llvm.
//! Linear: each function's exit block is found once, and a block's checks
//! are split last first, so every op moves once. Statistics: lowered checks.

use super::pattern::{collect_ops, count, PassDiag};
use crate::dialect::builder::Builder;
use crate::dialect::ir::{Attribute, Block, Location, Operation, Value};
use crate::dialect::ops;
use std::collections::HashMap;

/// The fault record's symbol before the backend renames its accessor.
pub const FAULT_GLOBAL: &str = "__cfunc_fault";
/// The accessor function returning the record's address.
pub const FAULT_ACCESSOR: &str = "__cfunc_fault_record";
/// Where a fault goes when the host passed NULL for the fault cell.
const FAULT_SINK: &str = "__cfunc_fault_sink";
/// A NULL cell pointer, read instead of `state[slot]` when `state` is NULL.
const FAULT_NO_CELL: &str = "__cfunc_fault_no_cell";

/// Runs the pass.
pub fn run<'c>(module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    let fail = |message: String| {
        vec![PassDiag {
            loc: module.location(),
            message,
        }]
    };
    let body = module
        .region(0)
        .first_block()
        .ok_or_else(|| fail("a module without a body".into()))?;
    define_record(&Builder::at_end(body, Location::unknown(module.context())));
    // Exit blocks by function, found once per function rather than once
    // per check.
    let mut exits: HashMap<Operation<'c>, Option<Block<'c>>> = HashMap::new();
    let checks = collect_ops(module, ops::CHECK);
    count(
        ops::CHECK,
        "checks lowered to a fault branch",
        checks.len() as u64,
    );
    // Last check first: splitting a block after its last check moves only
    // the ops after it, and the next split (at an earlier check) only the
    // ops up to the branch that replaced it, so every op moves once.
    let fault_slot = module
        .attr(crate::dialect::FAULT_SLOT_ATTR)
        .and_then(Attribute::as_int);
    if let Some(slot) = fault_slot.filter(|s| !(0..=i32::MAX as i64).contains(s)) {
        return Err(fail(format!(
            "{}: slot {slot} is out of range (0 to 2^31 - 1)",
            crate::dialect::FAULT_SLOT_ATTR
        )));
    }
    let mut states: HashMap<Operation<'c>, Option<Value<'c>>> = HashMap::new();
    for check in checks.into_iter().rev() {
        let f = function_of(check);
        let exit = exits.entry(f).or_insert_with(|| exit_block(f));
        let cell = fault_slot.and_then(|slot| {
            let state = *states.entry(f).or_insert_with(|| state_arg(f));
            state.map(|s| (s, slot))
        });
        *exit = lower_check(check, *exit, cell);
    }
    Ok(())
}

/// The `state` ABI argument of function `f` (its `llvm.name`), if any.
fn state_arg<'c>(f: Operation<'c>) -> Option<Value<'c>> {
    let attrs = f.attr("arg_attrs")?.elements()?;
    let entry = f.region(0).first_block()?;
    let i = attrs.iter().position(|d| {
        d.get("llvm.name").and_then(Attribute::as_string).as_deref() == Some("state")
    })?;
    (i < entry.num_arguments()).then(|| entry.argument(i))
}

/// The `func.func` (or other function-like op) directly holding `op`'s
/// region.
fn function_of<'c>(op: Operation<'c>) -> Operation<'c> {
    op.block()
        .and_then(Block::parent_op)
        .expect("a check inside a function")
}

fn define_record(b: &Builder<'_>) {
    b.i64_global(FAULT_NO_CELL, 0, true);
    b.i64_global(FAULT_SINK, 0, false);
    let ty = b.parse_type("!llvm.array<4 x i32>");
    b.op_full(
        "llvm.mlir.global",
        &[],
        &[],
        &[
            ("sym_name", b.str_attr(FAULT_GLOBAL)),
            ("global_type", b.type_attr(ty)),
            ("linkage", b.parse_attr("#llvm.linkage<internal>")),
            ("value", b.parse_attr("dense<0> : tensor<4xi32>")),
            ("addr_space", b.int_attr(b.i32(), 0)),
        ],
        &[],
        1,
    );
    // The accessor: ptr __cfunc_fault_record() { return &__cfunc_fault; }
    let accessor = b.op_full(
        "llvm.func",
        &[],
        &[],
        &[
            ("sym_name", b.str_attr(FAULT_ACCESSOR)),
            (
                "function_type",
                b.type_attr(b.parse_type("!llvm.func<ptr ()>")),
            ),
            ("linkage", b.parse_attr("#llvm.linkage<external>")),
        ],
        &[],
        1,
    );
    let entry = accessor.region(0).append_block(&[], b.location());
    let fb = b.at_end_of(entry);
    let addr = fb.v(
        "llvm.mlir.addressof",
        &[],
        fb.ptr(),
        &[("global_name", fb.sym_attr(FAULT_GLOBAL))],
    );
    fb.op("llvm.return", &[addr], &[], &[]);
}

/// `test == NULL ? &global : otherwise`, without a branch.
fn if_null<'c>(b: &Builder<'c>, test: Value<'c>, global: &str, otherwise: Value<'c>) -> Value<'c> {
    let null = b.v("llvm.mlir.zero", &[], b.ptr(), &[]);
    let is_null = b.v(
        "llvm.icmp",
        &[test, null],
        b.i1(),
        &[("predicate", b.i64_attr(0))],
    );
    let g = b.v(
        "llvm.mlir.addressof",
        &[],
        b.ptr(),
        &[("global_name", b.sym_attr(global))],
    );
    b.select(is_null, g, otherwise)
}

/// The block of the only `func.return` of function `f`, if it takes no
/// arguments.
fn exit_block<'c>(f: Operation<'c>) -> Option<Block<'c>> {
    let mut found = None;
    for ret in collect_ops(f, "func.return") {
        if found.is_some() {
            return None;
        }
        found = ret.block();
    }
    found.filter(|b| b.num_arguments() == 0)
}

/// `&base[index]` for an array of `elem`s, with a constant index.
fn element<'c>(
    b: &Builder<'c>,
    base: Value<'c>,
    elem: crate::dialect::ir::Type<'c>,
    index: i64,
) -> Value<'c> {
    b.v(
        "llvm.getelementptr",
        &[base],
        b.ptr(),
        &[
            ("elem_type", b.type_attr(elem)),
            (
                "rawConstantIndices",
                Attribute::i32_array(b.context(), &[index as i32]),
            ),
        ],
    )
}

/// Lowers one check, branching to `exit` on a fault; returns the exit block
/// afterwards (the split moves the return when the check is in the exit
/// block itself).
fn lower_check<'c>(
    check: Operation<'c>,
    exit: Option<Block<'c>>,
    cell: Option<(Value<'c>, i64)>,
) -> Option<Block<'c>> {
    let loc = check.location();
    let code = check.int_attr("code").unwrap_or(0);
    let (line, col) = loc.line_col();
    let cond = check.operand(0);
    let block = check.block().expect("a check in a block");
    let region = block.parent_region().expect("a block in a region");
    // Split: everything after the check moves to ^rest.
    let rest = region.insert_block_after(block, &[], loc);
    let mut next = check.next();
    while let Some(op) = next {
        next = op.next();
        op.move_to_end(rest);
    }
    let exit = match exit {
        Some(e) if e == block => Some(rest),
        e => e,
    };
    let fault = region.insert_block_after(block, &[], loc);
    let fb = Builder::at_end(fault, loc);
    let base = fb.v(
        "llvm.mlir.addressof",
        &[],
        fb.ptr(),
        &[("global_name", fb.sym_attr(FAULT_GLOBAL))],
    );
    for (i, v) in [code, line, col].into_iter().enumerate() {
        let val = fb.const_int(fb.i32(), v);
        let slot = if i == 0 {
            base
        } else {
            element(&fb, base, fb.i32(), i as i64)
        };
        fb.op("llvm.store", &[val, slot], &[], &[]);
    }
    if let Some((state, slot)) = cell {
        // *state[slot] = packed, or into a sink when the host passed
        // NULL for the fault cell (no branch: the fault path stays
        // straight).
        let packed = fb.const_i64(crate::dialect::pack_fault(code, line, col));
        let at = element(&fb, state, fb.ptr(), slot);
        // A host may pass NULL for the whole state array of a node
        // without declared state: then read a NULL cell pointer.
        let at = if_null(&fb, state, FAULT_NO_CELL, at);
        let p = fb.v("llvm.load", &[at], fb.ptr(), &[]);
        let target = if_null(&fb, p, FAULT_SINK, p);
        fb.op("llvm.store", &[packed, target], &[], &[]);
    }
    match exit {
        Some(exit) => fb.br(exit, &[]),
        None => {
            fb.op("func.return", &[], &[], &[]);
        }
    }
    Builder::before(check).cond_br(cond, fault, rest);
    // SAFETY: a check has no results, and no handle to it is used again.
    unsafe { check.destroy() };
    exit
}
