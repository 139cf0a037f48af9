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
use crate::dialect::builder::{op_name, operands_of, result_of, type_of, Builder, InsertAt};
use crate::dialect::ops;
use mlir_sys::*;
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

type Key = (usize, usize); // (handle, key/index) SSA value addresses

/// What is known, by handle, grouped by the handle's type: a write through
/// a handle can only change containers of that same type, so it forgets
/// that type's group at once (MLIR types are uniqued: the pointer is the
/// type's identity).
#[derive(Default)]
struct Facts {
    by_type: HashMap<usize, TypeFacts>,
}

/// What is known about the containers of one type.
#[derive(Default)]
struct TypeFacts {
    items: HashMap<Key, MlirValue>,
    lens: HashMap<usize, MlirValue>,
}

impl Facts {
    fn of(&mut self, t: MlirType) -> &mut TypeFacts {
        self.by_type.entry(t.ptr as usize).or_default()
    }

    fn item(&self, t: MlirType, key: &Key) -> Option<MlirValue> {
        self.by_type.get(&(t.ptr as usize))?.items.get(key).copied()
    }

    fn len(&self, t: MlirType, handle: usize) -> Option<MlirValue> {
        self.by_type
            .get(&(t.ptr as usize))?
            .lens
            .get(&handle)
            .copied()
    }

    /// Forgets everything about containers of type `t`.
    fn written(&mut self, t: MlirType) {
        self.by_type.remove(&(t.ptr as usize));
    }
}

fn id(v: MlirValue) -> usize {
    v.ptr as usize
}

const FORWARDED_READS: &str = "list_get/dict_get replaced by a known value";
const FORWARDED_LENS: &str = "len replaced by a known length";

/// Runs the pass.
pub fn run(module: MlirOperation) -> Result<(), Vec<PassDiag>> {
    count("forwarded-reads", FORWARDED_READS, 0);
    count("forwarded-lens", FORWARDED_LENS, 0);
    let mut blocks: Vec<MlirBlock> = Vec::new();
    for f in collect_ops(module, "func.func") {
        unsafe {
            let region = mlirOperationGetRegion(f, 0);
            let mut b = mlirRegionGetFirstBlock(region);
            while !b.ptr.is_null() {
                blocks.push(b);
                b = mlirBlockGetNextInRegion(b);
            }
        }
    }
    for block in blocks {
        simplify_block(block);
    }
    Ok(())
}

fn simplify_block(block: MlirBlock) {
    let mut facts = Facts::default();
    let mut op = unsafe { mlirBlockGetFirstOperation(block) };
    while !op.ptr.is_null() {
        let next = unsafe { mlirOperationGetNextInBlock(op) };
        let name = op_name(op);
        let ops = operands_of(op);
        let handle_ty = ops.first().map(|h| type_of(*h));
        match name.as_str() {
            ops::DICT_GET | ops::LIST_GET => {
                let t = type_of(ops[0]);
                let key = (id(ops[0]), id(ops[1]));
                match facts.item(t, &key) {
                    Some(v) => {
                        replace(op, v);
                        count("forwarded-reads", FORWARDED_READS, 1);
                    }
                    // A dict_get with a default proves nothing when the key
                    // is missing.
                    None if ops.len() == 2 => {
                        facts.of(t).items.insert(key, result_of(op, 0));
                    }
                    None => {}
                }
            }
            ops::LEN => {
                let t = type_of(ops[0]);
                match facts.len(t, id(ops[0])) {
                    Some(v) => {
                        replace(op, v);
                        count("forwarded-lens", FORWARDED_LENS, 1);
                    }
                    None => {
                        facts.of(t).lens.insert(id(ops[0]), result_of(op, 0));
                    }
                }
            }
            ops::DICT_SET | ops::LIST_SET => {
                let t = type_of(ops[0]);
                let len = facts.len(t, id(ops[0]));
                facts.written(t);
                let known = facts.of(t);
                known.items.insert((id(ops[0]), id(ops[1])), ops[2]);
                // Setting a list item never changes its length.
                if name == ops::LIST_SET {
                    if let Some(n) = len {
                        known.lens.insert(id(ops[0]), n);
                    }
                }
            }
            ops::LIST_APPEND => {
                let t = type_of(ops[0]);
                let len = facts.len(t, id(ops[0]));
                facts.written(t);
                if let Some(n) = len {
                    // The length after the append: n + 1, computed after it.
                    let b = Builder {
                        ctx: unsafe { mlirOperationGetContext(op) },
                        loc: unsafe { mlirOperationGetLocation(op) },
                        at: if next.ptr.is_null() {
                            InsertAt::End(block)
                        } else {
                            InsertAt::Before(next)
                        },
                    };
                    let one = b.const_i64(1);
                    let n1 = b.bin("arith.addi", n, one);
                    facts.of(t).lens.insert(id(ops[0]), n1);
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
        op = next;
    }
}

fn replace(op: MlirOperation, v: MlirValue) {
    unsafe {
        mlirValueReplaceAllUsesOfWith(result_of(op, 0), v);
        mlirOperationDestroy(op);
    }
}
