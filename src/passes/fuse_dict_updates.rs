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
use crate::dialect::builder::{Builder, CmpI};
use crate::dialect::ir::{Block, Operation, Value};
use crate::dialect::ops;

/// Runs the pass; returns how many updates it fused. One forward walk
/// over each block that holds a `cfunc.dict_set`.
pub fn run<'c>(module: Operation<'c>) -> Result<usize, Vec<PassDiag<'c>>> {
    let mut blocks: Vec<Block<'c>> = Vec::new();
    for set in collect_ops(module, ops::DICT_SET) {
        let b = set.block().expect("an op of the module is in a block");
        if !blocks.contains(&b) {
            blocks.push(b);
        }
    }
    let mut pairs = Vec::new();
    for block in blocks {
        let mut candidate: Option<Window> = None;
        for op in block.operations() {
            let name = op.name();
            match name.as_str() {
                ops::DICT_GET => {
                    candidate = Some(Window {
                        get: op,
                        tainted: vec![op.result(0)],
                        independent: Vec::new(),
                    })
                }
                ops::DICT_SET => {
                    if let Some(w) = candidate.take() {
                        let (g, s) = (w.get.operands(), op.operands());
                        if g[0] == s[0] && g[1] == s[1] {
                            pairs.push((w, op));
                        }
                    }
                }
                n if n.starts_with("arith.") || n.starts_with("math.") => {
                    if let Some(w) = &mut candidate {
                        if w.uses_get(op) {
                            w.tainted.extend(op.results());
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
        }
    }
    for (w, set) in &pairs {
        // A slot with a default inserts the key when it probes: the checks
        // between get and set (and what they compute) must run before it,
        // so that a fault there still leaves the dict untouched. The get
        // they move above is pure and cannot fault (it has a default).
        if w.get.operands().len() == 3 {
            for op in &w.independent {
                op.move_before(w.get);
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
struct Window<'c> {
    get: Operation<'c>,
    /// The get's result and every value computed from it.
    tainted: Vec<Value<'c>>,
    /// Arithmetic and checks that do not depend on the get, in order.
    independent: Vec<Operation<'c>>,
}

impl<'c> Window<'c> {
    fn uses_get(&self, op: Operation<'c>) -> bool {
        op.operands().iter().any(|v| self.tainted.contains(v))
    }
}

fn fuse<'c>(get: Operation<'c>, set: Operation<'c>) {
    let g = get.operands();
    let vt = get.result(0).ty();
    let b = Builder::before(get);
    // With a default, the slot inserts the key; a NaN key then faults where
    // Python would insert it, at the set.
    let slot_loc = if g.len() == 3 {
        set.location()
    } else {
        b.location()
    };
    let slot = b
        .with_loc(slot_loc)
        .cfunc_dict_slot(g[0], g[1], g.get(2).copied());
    let loaded = if vt == b.i1() {
        let x = b.v("llvm.load", &[slot], b.i64(), &[]);
        let zero = b.const_i64(0);
        b.cmpi(CmpI::Ne, x, zero)
    } else {
        b.v("llvm.load", &[slot], vt, &[])
    };
    get.result(0).replace_all_uses_with(loaded);
    // SAFETY: the get's result has no uses left, and the fusion keeps no
    // handle to it (its window is done).
    unsafe { get.destroy() };
    // Read the stored value only now: when the set stores the get's own
    // result (`d[k] = d.get(k, 0)`, `d[k] += 0` once folded), that operand
    // was just replaced by the load, and the get's result no longer exists.
    let value = set.operand(2);
    let b = Builder::before(set);
    let stored = if vt == b.i1() {
        b.cast("arith.extui", value, b.i64())
    } else {
        value
    };
    b.op("llvm.store", &[stored, slot], &[], &[]);
    // SAFETY: a set has no results, and no handle to it is used again.
    unsafe { set.destroy() };
}
