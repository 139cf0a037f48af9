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
use crate::dialect::builder::Builder;
use crate::dialect::ir::{Attribute, Operation, Type};
use crate::dialect::ops;

/// Runs the pass.
pub fn run<'c>(module: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
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

fn lower_one<'c>(module: Operation<'c>, op: Operation<'c>) -> Result<(), Vec<PassDiag<'c>>> {
    let loc = op.location();
    let fail = |m: &str| {
        vec![PassDiag {
            loc,
            message: m.to_string(),
        }]
    };
    let node = op
        .str_attr("node")
        .ok_or_else(|| fail("cfunc.lifecycle without a node name"))?;
    let sym = |name: &str| -> Result<String, Vec<PassDiag<'c>>> {
        op.attr(name)
            .and_then(Attribute::as_symbol)
            .ok_or_else(|| fail("cfunc.lifecycle is missing a phase"))
    };
    let (start, execute, stop) = (sym("start")?, sym("execute")?, sym("stop")?);
    let Some(exec_fn) = module.lookup_symbol(&execute) else {
        return Err(fail(&format!("phase function @{execute} not found")));
    };
    if !exec_fn.is("func.func") {
        return Err(fail(&format!(
            "phase function @{execute} is a {}, not a func.func: run cfunc-lower-lifecycle before convert-func-to-llvm (cfunc-to-llvm)",
            exec_fn.name()
        )));
    }
    let fty_attr = exec_fn
        .attr("function_type")
        .ok_or_else(|| fail("phase function without a type"))?;
    let arg_attrs = exec_fn.attr("arg_attrs");
    let types: Vec<Type<'c>> = fty_attr
        .as_type()
        .and_then(Type::function_inputs)
        .ok_or_else(|| fail("phase function without a type"))?;
    let phase_index = types
        .iter()
        .position(|t| t.integer_width() == Some(8))
        .ok_or_else(|| fail("the ABI has no lifecycle_phase parameter"))?;
    let top = Builder::before(op);
    let mut attrs = vec![
        ("sym_name", top.str_attr(&node)),
        ("function_type", fty_attr),
    ];
    if let Some(a) = arg_attrs {
        attrs.push(("arg_attrs", a));
    }
    let f = top.op_full("func.func", &[], &[], &attrs, &[], 1);
    let region = f.region(0);
    let entry = region.append_block(&types, loc);
    let blocks: Vec<_> = (0..4).map(|_| region.append_block(&[], loc)).collect();
    let args = entry.arguments();
    let (done, exec_b, start_b, stop_b) = (blocks[0], blocks[1], blocks[2], blocks[3]);
    let b = Builder::at_end(entry, loc);
    // The blocks are execute, start, stop: the phases' values, from the ABI.
    let cases = b.parse_attr(&format!(
        "dense<[{}, {}, {}]> : vector<3xi8>",
        phase::EXECUTE,
        phase::START,
        phase::STOP
    ));
    let seg = Attribute::i32_array(b.context(), &[1, 0, 0]);
    let case_seg = Attribute::i32_array(b.context(), &[0, 0, 0]);
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
        0,
    );
    for (blk, callee) in [(exec_b, &execute), (start_b, &start), (stop_b, &stop)] {
        let cb = b.at_end_of(blk);
        cb.op("func.call", &args, &[], &[("callee", cb.sym_attr(callee))]);
        cb.br(done, &[]);
    }
    b.at_end_of(done).op("func.return", &[], &[], &[]);
    // SAFETY: the lifecycle op has no results, and no handle to it is used
    // again.
    unsafe { op.destroy() };
    Ok(())
}
