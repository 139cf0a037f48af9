//! `cfunc-lower-lifecycle`: `cfunc.lifecycle` → the exported ABI function.
//!
//! ```text
//! func.func @node(outputs, output_ticked, state, lifecycle_phase, inputs, ...) {
//!   cf.switch %lifecycle_phase : i8 [ default: ^done,
//!                                     0: ^execute, 1: ^start, 2: ^stop ]
//! ^execute:  func.call @node.execute(args...)  ; cf.br ^done
//! ^start:    func.call @node.start(args...)    ; cf.br ^done
//! ^stop:     func.call @node.stop(args...)     ; cf.br ^done
//! ^done:     func.return
//! }
//! ```
//! Any other phase value does nothing. The phase functions are private and
//! each has one caller, so LLVM inlines them.
//!
//! Position: it does not look into the phase bodies, so anywhere before
//! cfunc-to-llvm; it sits before cfunc-lower-faults, which then sees plain
//! `func.func` bodies. Statistics: lowered `cfunc.lifecycle` ops.

use super::pattern::{collect_ops, count, PassDiag};
use crate::abi::phase;
use crate::dialect::builder::{attr_of, new_block, sref, str_attr_value, string_of, Builder};
use crate::dialect::ops;
use mlir_sys::*;

/// Runs the pass.
pub fn run(module: MlirOperation) -> Result<(), Vec<PassDiag>> {
    let ops = collect_ops(module, ops::LIFECYCLE);
    count(
        ops::LIFECYCLE,
        "lifecycle ops lowered to an exported ABI function",
        ops.len() as u64,
    );
    for op in ops {
        lower_one(module, op)?;
    }
    Ok(())
}

fn lower_one(module: MlirOperation, op: MlirOperation) -> Result<(), Vec<PassDiag>> {
    let loc = unsafe { mlirOperationGetLocation(op) };
    let fail = |m: &str| {
        vec![PassDiag {
            loc,
            message: m.to_string(),
        }]
    };
    let node =
        str_attr_value(op, "node").ok_or_else(|| fail("cfunc.lifecycle without a node name"))?;
    let sym = |name: &str| -> Result<String, Vec<PassDiag>> {
        let a = attr_of(op, name).ok_or_else(|| fail("cfunc.lifecycle is missing a phase"))?;
        Ok(string_of(unsafe { mlirFlatSymbolRefAttrGetValue(a) }))
    };
    let (start, execute, stop) = (sym("start")?, sym("execute")?, sym("stop")?);
    unsafe {
        let table = mlirSymbolTableCreate(module);
        let exec_fn = mlirSymbolTableLookup(table, sref(&execute));
        mlirSymbolTableDestroy(table);
        if exec_fn.ptr.is_null() {
            return Err(fail(&format!("phase function @{execute} not found")));
        }
        if crate::dialect::builder::op_name(exec_fn) != "func.func" {
            return Err(fail(&format!(
                "phase function @{execute} is a {}, not a func.func: run cfunc-lower-lifecycle before convert-func-to-llvm (cfunc-to-llvm)",
                crate::dialect::builder::op_name(exec_fn)
            )));
        }
        let fty_attr = attr_of(exec_fn, "function_type")
            .ok_or_else(|| fail("phase function without a type"))?;
        let arg_attrs = attr_of(exec_fn, "arg_attrs");
        let fty = mlirTypeAttrGetValue(fty_attr);
        let n = mlirFunctionTypeGetNumInputs(fty);
        let types: Vec<MlirType> = (0..n).map(|i| mlirFunctionTypeGetInput(fty, i)).collect();
        let phase_index = types
            .iter()
            .position(|t| mlirTypeIsAInteger(*t) && mlirIntegerTypeGetWidth(*t) == 8)
            .ok_or_else(|| fail("the ABI has no lifecycle_phase parameter"))?;
        let ctx = mlirOperationGetContext(op);
        let entry = new_block(&types, loc);
        let blocks: Vec<MlirBlock> = (0..4).map(|_| new_block(&[], loc)).collect();
        let region = mlirRegionCreate();
        mlirRegionAppendOwnedBlock(region, entry);
        for blk in &blocks {
            mlirRegionAppendOwnedBlock(region, *blk);
        }
        let args: Vec<MlirValue> = (0..n).map(|i| mlirBlockGetArgument(entry, i)).collect();
        let (done, exec_b, start_b, stop_b) = (blocks[0], blocks[1], blocks[2], blocks[3]);
        let b = Builder::at_end(ctx, loc, entry);
        // The blocks are execute, start, stop: the phases' values, from the ABI.
        let cases = b.parse_attr(&format!(
            "dense<[{}, {}, {}]> : vector<3xi8>",
            phase::EXECUTE,
            phase::START,
            phase::STOP
        ));
        let seg = b.parse_attr("array<i32: 1, 0, 0>");
        let case_seg = b.parse_attr("array<i32: 0, 0, 0>");
        b.op_full(
            "cf.switch",
            &[args[phase_index]],
            &[],
            &[
                ("case_values", cases),
                ("operandSegmentSizes", seg),
                ("case_operand_segments", case_seg),
            ],
            &[done, exec_b, start_b, stop_b],
            Vec::new(),
        );
        for (blk, callee) in [(exec_b, &execute), (start_b, &start), (stop_b, &stop)] {
            let cb = Builder::at_end(ctx, loc, blk);
            cb.op("func.call", &args, &[], &[("callee", cb.sym_attr(callee))]);
            cb.br(done, &[]);
        }
        Builder::at_end(ctx, loc, done).op("func.return", &[], &[], &[]);
        let mut attrs = vec![("sym_name", b.str_attr(&node)), ("function_type", fty_attr)];
        if let Some(a) = arg_attrs {
            attrs.push(("arg_attrs", a));
        }
        let top = Builder {
            ctx,
            loc,
            at: crate::dialect::builder::InsertAt::Before(op),
        };
        top.op_full("func.func", &[], &[], &attrs, &[], vec![region]);
        mlirOperationDestroy(op);
    }
    Ok(())
}
