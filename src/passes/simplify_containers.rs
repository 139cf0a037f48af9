//! `cfunc-simplify-containers`: forwards what a block already knows about
//! its containers, on cfunc ops, before they become runtime calls.
//!
//! ```text
//! cfunc.dict_set(%d, %k, %v); ...; %x = cfunc.dict_get(%d, %k)   ──▶  %x = %v
//! %a = cfunc.dict_get(%d, %k); ...; %b = cfunc.dict_get(%d, %k)  ──▶  %b = %a
//! cfunc.list_set(%l, %i, %v); ...; %x = cfunc.list_get(%l, %i)   ──▶  %x = %v
//! %n = cfunc.len(%l); cfunc.list_append(%l, ..) ×k; %m = cfunc.len(%l)
//!                                                              ──▶  %m = %n + k
//! ```
//! Facts live within one block and die at any op that may change a
//! container of the same type (two handles of one type can name the same
//! container, so a write through either clears what is known about all of
//! that type), except that an append keeps a known length up to date. A
//! forwarded read can never have faulted: the key or index it reads was
//! just written or read through the same handle.
//!
//! Linear in the block: facts are grouped by container type, so a write
//! forgets its type's group in one step.
//!
//! IRDL gives cfunc ops no traits, so MLIR's CSE cannot do this; the pass
//! runs before cfunc-lower-containers, while the ops still say what they do.
//! Statistics: forwarded reads and lengths.

use super::pattern::{collect_ops, count, PassDiag};
use crate::dialect::builder::Builder;
use crate::dialect::ir::{Block, Operation, Type, Value};
use crate::dialect::ops;
use std::collections::HashMap;

/// Container ops that only read.
const READS: &[&str] = &[
    ops::LEN,
    ops::LIST_GET,
    ops::DICT_GET,
    ops::LIST_CONTAINS,
    ops::DICT_CONTAINS,
    ops::LIST_REDUCE,
    ops::DICT_VERSION,
    ops::DICT_NEXT,
    ops::DICT_KEY_AT,
    ops::DICT_VALUE_AT,
    ops::IS_NULL,
    ops::IS_LIVE,
];

/// Ops that change a container (or free one).
const WRITES: &[&str] = &[
    ops::LIST_SET,
    ops::LIST_APPEND,
    ops::LIST_POP,
    ops::LIST_INSERT,
    ops::LIST_EXTEND,
    ops::LIST_SORT,
    ops::CLEAR,
    ops::DICT_SET,
    ops::DICT_POP,
    ops::FREE,
    ops::ARENA_FREE,
];

type Key<'c> = (Value<'c>, Value<'c>); // (handle, key/index)

/// What is known, by handle, grouped by the handle's type: a write through
/// a handle can only change containers of that same type, so it forgets
/// that type's group at once (MLIR types are uniqued: the handle is the
/// type's identity).
#[derive(Default)]
struct Facts<'c> {
    by_type: HashMap<Type<'c>, TypeFacts<'c>>,
}

/// What is known about the containers of one type.
#[derive(Default)]
struct TypeFacts<'c> {
    items: HashMap<Key<'c>, Value<'c>>,
    lens: HashMap<Value<'c>, Value<'c>>,
}

impl<'c> Facts<'c> {
    fn of(&mut self, t: Type<'c>) -> &mut TypeFacts<'c> {
        self.by_type.entry(t).or_default()
    }

    fn item(&self, t: Type<'c>, key: &Key<'c>) -> Option<Value<'c>> {
        self.by_type.get(&t)?.items.get(key).copied()
    }

    fn len(&self, t: Type<'c>, handle: Value<'c>) -> Option<Value<'c>> {
        self.by_type.get(&t)?.lens.get(&handle).copied()
    }

    /// Forgets everything about containers of type `t`.
    fn written(&mut self, t: Type<'c>) {
        self.by_type.remove(&t);
    }
}

const FORWARDED_READS: &str = "list_get/dict_get replaced by a known value";
const FORWARDED_LENS: &str = "len replaced by a known length";

/// Runs the pass.
pub fn run<'c>(module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    count("forwarded-reads", FORWARDED_READS, 0);
    count("forwarded-lens", FORWARDED_LENS, 0);
    let mut blocks: Vec<Block<'c>> = Vec::new();
    for f in collect_ops(module, "func.func") {
        blocks.extend(f.region(0).blocks());
    }
    for block in blocks {
        simplify_block(block);
    }
    Ok(())
}

fn simplify_block<'c>(block: Block<'c>) {
    let mut facts = Facts::default();
    let mut cur = block.first_op();
    while let Some(op) = cur {
        let next = op.next();
        let name = op.name();
        let ops = op.operands();
        let handle_ty = ops.first().map(|h| h.ty());
        match name.as_str() {
            ops::DICT_GET | ops::LIST_GET => {
                let t = ops[0].ty();
                let key = (ops[0], ops[1]);
                match facts.item(t, &key) {
                    Some(v) => {
                        replace(op, v);
                        count("forwarded-reads", FORWARDED_READS, 1);
                    }
                    // A dict_get with a default proves nothing when the key
                    // is missing.
                    None if ops.len() == 2 => {
                        facts.of(t).items.insert(key, op.result(0));
                    }
                    None => {}
                }
            }
            ops::LEN => {
                let t = ops[0].ty();
                match facts.len(t, ops[0]) {
                    Some(v) => {
                        replace(op, v);
                        count("forwarded-lens", FORWARDED_LENS, 1);
                    }
                    None => {
                        facts.of(t).lens.insert(ops[0], op.result(0));
                    }
                }
            }
            ops::DICT_SET | ops::LIST_SET => {
                let t = ops[0].ty();
                let len = facts.len(t, ops[0]);
                facts.written(t);
                let known = facts.of(t);
                known.items.insert((ops[0], ops[1]), ops[2]);
                // Setting a list item never changes its length.
                if name == ops::LIST_SET {
                    if let Some(n) = len {
                        known.lens.insert(ops[0], n);
                    }
                }
            }
            ops::LIST_APPEND => {
                let t = ops[0].ty();
                let len = facts.len(t, ops[0]);
                facts.written(t);
                if let Some(n) = len {
                    // The length after the append: n + 1, computed after it.
                    let b = match next {
                        Some(next) => Builder::before(next).with_loc(op.location()),
                        None => Builder::at_end(block, op.location()),
                    };
                    let one = b.const_i64(1);
                    let n1 = b.bin("arith.addi", n, one);
                    facts.of(t).lens.insert(ops[0], n1);
                }
            }
            ops::ARENA_FREE | ops::FREE => facts = Facts::default(),
            other if WRITES.contains(&other) => match handle_ty {
                Some(t) => facts.written(t),
                None => facts = Facts::default(),
            },
            other if READS.contains(&other) => {}
            // Anything else with regions or unknown effects (a call) ends
            // what this block knows.
            other
                if (other.starts_with("cfunc.") || other == "func.call")
                    && !matches!(
                        other,
                        ops::CHECK
                            | ops::INPUT_VALUE
                            | ops::INPUT_TICKED
                            | ops::INPUT_VALID
                            | ops::OUTPUT
                            | ops::STATE_LOAD
                            | ops::STATE_STORE
                            | ops::FLOORDIV
                            | ops::MOD
                            | ops::IPOW
                            | ops::SHL
                            | ops::SHR
                            | ops::TO_INT
                    ) =>
            {
                facts = Facts::default();
            }
            _ => {}
        }
        cur = next;
    }
}

/// Replaces the read `op`'s result with `v`, a value known before it, and
/// erases it.
fn replace<'c>(op: Operation<'c>, v: Value<'c>) {
    op.result(0).replace_all_uses_with(v);
    // SAFETY: the result has no uses left, and the walk has already moved
    // past `op`; no handle to it is kept (`facts` holds values of earlier
    // ops, and a read's result is recorded only when it is not replaced).
    unsafe { op.destroy() };
}
