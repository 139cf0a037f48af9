//! `cfunc-fuse-dict-updates`: a read-modify-write of one dict key probes the
//! hash table once instead of twice.
//!
//! ```text
//! %g = cfunc.dict_get(%d, %k [, %default])      %c = cfunc.dict_slot(%d, %k [, %default])
//! %v = arith.addf %g, %x                  ──▶   %g = llvm.load %c
//! cfunc.dict_set(%d, %k, %v)                    %v = arith.addf %g, %x
//!                                               llvm.store %v, %c
//! ```
//! `d[k] = d.get(k, 0.0) + x` and `d[k] += x` are the common cases. The
//! fusion applies only when every op between the get and the set (same
//! block, same dict and key SSA values) is `arith`/`math` arithmetic or a
//! `cfunc.check` whose condition does not depend on the get (reading an
//! input checks its valid flag): no other container op can move the entry
//! the slot points into. With a default the slot inserts the key, so those
//! checks, and the arithmetic independent of the get, move above it (the
//! get is pure and cannot fault), and a fault still leaves the dict as it
//! was. Without a default a missing key faults at the get, as before, and
//! the probe inserts nothing.
//!
//! Runs after `cfunc-simplify-containers` (which may already have removed
//! the get) and before `cfunc-lower-containers`, which lowers
//! `cfunc.dict_slot` to `cfrt_dict_find` (no default) or `cfrt_dict_slot`
//! (find, else insert the default).

use super::pattern::{collect_ops, count, PassDiag};
use crate::dialect::builder::{
    op_name, operands_of, result_of, type_eq, type_of, Builder, CmpI, InsertAt,
};
use crate::dialect::ops;
use mlir_sys::*;

/// Runs the pass; returns how many updates it fused. One forward walk
/// over each block that holds a `cfunc.dict_set`.
pub fn run(module: MlirOperation) -> Result<usize, Vec<PassDiag>> {
    let mut blocks: Vec<MlirBlock> = Vec::new();
    for set in collect_ops(module, ops::DICT_SET) {
        let b = unsafe { mlirOperationGetBlock(set) };
        if !blocks.iter().any(|x| x.ptr == b.ptr) {
            blocks.push(b);
        }
    }
    let mut pairs = Vec::new();
    for block in blocks {
        let mut candidate: Option<Window> = None;
        let mut op = unsafe { mlirBlockGetFirstOperation(block) };
        while !op.ptr.is_null() {
            let name = op_name(op);
            match name.as_str() {
                ops::DICT_GET => {
                    candidate = Some(Window {
                        get: op,
                        tainted: vec![result_of(op, 0)],
                        independent: Vec::new(),
                    })
                }
                ops::DICT_SET => {
                    if let Some(w) = candidate.take() {
                        let (g, s) = (operands_of(w.get), operands_of(op));
                        if g[0].ptr == s[0].ptr && g[1].ptr == s[1].ptr {
                            pairs.push((w, op));
                        }
                    }
                }
                n if n.starts_with("arith.") || n.starts_with("math.") => {
                    if let Some(w) = &mut candidate {
                        if w.uses_get(op) {
                            let n = unsafe { mlirOperationGetNumResults(op) };
                            w.tainted.extend((0..n).map(|i| result_of(op, i)));
                        } else {
                            w.independent.push(op);
                        }
                    }
                }
                // A check whose condition does not depend on the get (an
                // input's valid flag): the get is pure, so it may run first.
                ops::CHECK => match &mut candidate {
                    Some(w) if !w.uses_get(op) => w.independent.push(op),
                    _ => candidate = None,
                },
                _ => candidate = None,
            }
            op = unsafe { mlirOperationGetNextInBlock(op) };
        }
    }
    for (w, set) in &pairs {
        // A slot with a default inserts the key when it probes: the checks
        // between get and set (and what they compute) must run before it,
        // so that a fault there still leaves the dict untouched. The get
        // they move above is pure and cannot fault (it has a default).
        if operands_of(w.get).len() == 3 {
            for op in &w.independent {
                unsafe { mlirOperationMoveBefore(*op, w.get) };
            }
        }
        fuse(w.get, *set);
    }
    count(
        "fused-updates",
        "dict get + set pairs fused into one dict_slot",
        pairs.len() as u64,
    );
    Ok(pairs.len())
}

/// The ops after a `cfunc.dict_get` that a fusion with a later set would
/// span.
struct Window {
    get: MlirOperation,
    /// The get's result and every value computed from it.
    tainted: Vec<MlirValue>,
    /// Arithmetic and checks that do not depend on the get, in order.
    independent: Vec<MlirOperation>,
}

impl Window {
    fn uses_get(&self, op: MlirOperation) -> bool {
        operands_of(op)
            .iter()
            .any(|v| self.tainted.iter().any(|t| t.ptr == v.ptr))
    }
}

fn builder_before(op: MlirOperation) -> Builder {
    Builder {
        ctx: unsafe { mlirOperationGetContext(op) },
        loc: unsafe { mlirOperationGetLocation(op) },
        at: InsertAt::Before(op),
    }
}

fn fuse(get: MlirOperation, set: MlirOperation) {
    let g = operands_of(get);
    let vt = type_of(result_of(get, 0));
    let b = builder_before(get);
    // With a default, the slot inserts the key; a NaN key then faults where
    // Python would insert it, at the set.
    let slot_loc = if g.len() == 3 {
        unsafe { mlirOperationGetLocation(set) }
    } else {
        b.loc
    };
    let slot = Builder { loc: slot_loc, ..b }.v(ops::DICT_SLOT, &g, b.ptr(), &[]);
    let loaded = if type_eq(vt, b.i1()) {
        let x = b.v("llvm.load", &[slot], b.i64(), &[]);
        let zero = b.const_i64(0);
        b.cmpi(CmpI::Ne, x, zero)
    } else {
        b.v("llvm.load", &[slot], vt, &[])
    };
    unsafe {
        mlirValueReplaceAllUsesOfWith(result_of(get, 0), loaded);
        mlirOperationDestroy(get);
    }
    // Read the stored value only now: when the set stores the get's own
    // result (`d[k] = d.get(k, 0)`, `d[k] += 0` once folded), that operand
    // was just replaced by the load, and the get's result no longer exists.
    let value = operands_of(set)[2];
    let b = builder_before(set);
    let stored = if type_eq(vt, b.i1()) {
        b.cast("arith.extui", value, b.i64())
    } else {
        value
    };
    b.op("llvm.store", &[stored, slot], &[], &[]);
    unsafe { mlirOperationDestroy(set) };
}
