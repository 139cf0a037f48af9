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
use crate::dialect::builder::{
    attr_of, int_attr_value, new_block, operands_of, sref, string_of, Builder, InsertAt,
};
use crate::dialect::ops;
use mlir_sys::*;
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
pub fn run(module: MlirOperation) -> Result<(), Vec<PassDiag>> {
    let ctx = unsafe { mlirOperationGetContext(module) };
    let body = unsafe { mlirRegionGetFirstBlock(mlirOperationGetRegion(module, 0)) };
    let unknown = unsafe { mlirLocationUnknownGet(ctx) };
    define_record(&Builder::at_end(ctx, unknown, body));
    // Exit blocks by function, found once per function rather than once
    // per check.
    let mut exits: HashMap<usize, Option<MlirBlock>> = HashMap::new();
    let checks = collect_ops(module, ops::CHECK);
    count(
        ops::CHECK,
        "checks lowered to a fault branch",
        checks.len() as u64,
    );
    // Last check first: splitting a block after its last check moves only
    // the ops after it, and the next split (at an earlier check) only the
    // ops up to the branch that replaced it, so every op moves once.
    let fault_slot = attr_of(module, crate::dialect::FAULT_SLOT_ATTR)
        .map(|a| unsafe { mlirIntegerAttrGetValueInt(a) });
    if let Some(slot) = fault_slot.filter(|s| !(0..=i32::MAX as i64).contains(s)) {
        return Err(vec![PassDiag {
            loc: unsafe { mlirOperationGetLocation(module) },
            message: format!(
                "{}: slot {slot} is out of range (0 to 2^31 - 1)",
                crate::dialect::FAULT_SLOT_ATTR
            ),
        }]);
    }
    let mut states: HashMap<usize, Option<MlirValue>> = HashMap::new();
    for check in checks.into_iter().rev() {
        let f = unsafe { function_of(check) };
        let exit = exits.entry(f.ptr as usize).or_insert_with(|| exit_block(f));
        let cell = fault_slot.and_then(|slot| {
            let state = *states.entry(f.ptr as usize).or_insert_with(|| state_arg(f));
            state.map(|s| (s, slot))
        });
        *exit = lower_check(ctx, check, *exit, cell);
    }
    Ok(())
}

/// The `state` ABI argument of function `f` (its `llvm.name`), if any.
fn state_arg(f: MlirOperation) -> Option<MlirValue> {
    let attrs = attr_of(f, "arg_attrs")?;
    unsafe {
        let entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0));
        (0..mlirArrayAttrGetNumElements(attrs)).find_map(|i| {
            let d = mlirArrayAttrGetElement(attrs, i);
            let n = mlirDictionaryAttrGetElementByName(d, sref("llvm.name"));
            (!n.ptr.is_null()
                && mlirAttributeIsAString(n)
                && string_of(mlirStringAttrGetValue(n)) == "state")
                .then(|| mlirBlockGetArgument(entry, i))
        })
    }
}

/// The `func.func` (or other function-like op) directly holding `op`'s
/// region.
unsafe fn function_of(op: MlirOperation) -> MlirOperation {
    unsafe { mlirBlockGetParentOperation(mlirOperationGetBlock(op)) }
}

fn define_record(b: &Builder) {
    b.i64_global(FAULT_NO_CELL, 0, true);
    b.i64_global(FAULT_SINK, 0, false);
    let ty = b.parse_type("!llvm.array<4 x i32>");
    let region = unsafe { mlirRegionCreate() };
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
        vec![region],
    );
    // The accessor: ptr __cfunc_fault_record() { return &__cfunc_fault; }
    let entry = new_block(&[], b.loc);
    let body = unsafe {
        let r = mlirRegionCreate();
        mlirRegionAppendOwnedBlock(r, entry);
        r
    };
    let fb = Builder::at_end(b.ctx, b.loc, entry);
    let addr = fb.v(
        "llvm.mlir.addressof",
        &[],
        fb.ptr(),
        &[("global_name", fb.sym_attr(FAULT_GLOBAL))],
    );
    fb.op("llvm.return", &[addr], &[], &[]);
    b.op_full(
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
        vec![body],
    );
}

/// `test == NULL ? &global : otherwise`, without a branch.
fn if_null(b: &Builder, test: MlirValue, global: &str, otherwise: MlirValue) -> MlirValue {
    let null = b.v("llvm.mlir.zero", &[], b.ptr(), &[]);
    let is_null = b.v(
        "llvm.icmp",
        &[test, null],
        b.i1(),
        &[("predicate", b.parse_attr("0 : i64"))],
    );
    let g = b.v(
        "llvm.mlir.addressof",
        &[],
        b.ptr(),
        &[("global_name", b.sym_attr(global))],
    );
    b.select(is_null, g, otherwise)
}

/// Line and column of a `loc("file":L:C)` location; 0 when unknown.
pub fn line_col(loc: MlirLocation) -> (i64, i64) {
    unsafe {
        if mlirLocationIsAFileLineColRange(loc) {
            (
                mlirLocationFileLineColRangeGetStartLine(loc) as i64,
                mlirLocationFileLineColRangeGetStartColumn(loc) as i64,
            )
        } else {
            (0, 0)
        }
    }
}

/// The block of the only `func.return` of function `f`, if it takes no
/// arguments.
fn exit_block(f: MlirOperation) -> Option<MlirBlock> {
    unsafe {
        let mut found = None;
        for ret in collect_ops(f, "func.return") {
            if found.is_some() {
                return None;
            }
            found = Some(mlirOperationGetBlock(ret));
        }
        found.filter(|b| mlirBlockGetNumArguments(*b) == 0)
    }
}

/// Lowers one check, branching to `exit` on a fault; returns the exit block
/// afterwards (the split moves the return when the check is in the exit
/// block itself).
fn lower_check(
    ctx: MlirContext,
    check: MlirOperation,
    exit: Option<MlirBlock>,
    cell: Option<(MlirValue, i64)>,
) -> Option<MlirBlock> {
    unsafe {
        let loc = mlirOperationGetLocation(check);
        let code = int_attr_value(check, "code").unwrap_or(0);
        let (line, col) = line_col(loc);
        let cond = operands_of(check)[0];
        let block = mlirOperationGetBlock(check);
        let region = mlirBlockGetParentRegion(block);
        // Split: everything after the check moves to ^rest.
        let rest = new_block(&[], loc);
        mlirRegionInsertOwnedBlockAfter(region, block, rest);
        let mut next = mlirOperationGetNextInBlock(check);
        while !next.ptr.is_null() {
            let after = mlirOperationGetNextInBlock(next);
            mlirOperationRemoveFromParent(next);
            mlirBlockAppendOwnedOperation(rest, next);
            next = after;
        }
        let exit = match exit {
            Some(e) if e.ptr == block.ptr => Some(rest),
            e => e,
        };
        let fault = new_block(&[], loc);
        mlirRegionInsertOwnedBlockAfter(region, block, fault);
        let fb = Builder::at_end(ctx, loc, fault);
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
                fb.v(
                    "llvm.getelementptr",
                    &[base],
                    fb.ptr(),
                    &[
                        ("elem_type", fb.type_attr(fb.i32())),
                        (
                            "rawConstantIndices",
                            fb.parse_attr(&format!("array<i32: {i}>")),
                        ),
                    ],
                )
            };
            fb.op("llvm.store", &[val, slot], &[], &[]);
        }
        if let Some((state, slot)) = cell {
            // *state[slot] = packed, or into a sink when the host passed
            // NULL for the fault cell (no branch: the fault path stays
            // straight).
            let packed = fb.const_i64(crate::dialect::pack_fault(code, line, col));
            let at = fb.v(
                "llvm.getelementptr",
                &[state],
                fb.ptr(),
                &[
                    ("elem_type", fb.type_attr(fb.ptr())),
                    (
                        "rawConstantIndices",
                        fb.parse_attr(&format!("array<i32: {slot}>")),
                    ),
                ],
            );
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
        let b = Builder {
            ctx,
            loc,
            at: InsertAt::Before(check),
        };
        b.cond_br(cond, fault, rest);
        mlirOperationDestroy(check);
        exit
    }
}
