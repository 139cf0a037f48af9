//! `cfunc-lower-state`: state slots → loads and stores through `state[i]`.
//!
//! ```text
//! cfunc.state_load(%state) {slot = i}       ──▶  %p = load state[i]; load %p
//! cfunc.state_store(%state, %v) {slot = i}  ──▶  %p = load state[i]; store %v → %p
//! ```

use super::lower_io::{cell_of, load_cell, store_cell};
use super::pattern::{PassDiag, Patterns};
use crate::context::CompilationContext;
use crate::dialect::builder::{int_attr_value, operands_of, result_of, type_of};
use mlir_sys::MlirOperation;

/// Runs the pass.
pub fn run(cx: &CompilationContext, module: MlirOperation) -> Result<(), Vec<PassDiag>> {
    let mut p = Patterns::new(cx.mlir());
    p.add("cfunc.state_load", 1, |rw| {
        let slot = int_attr_value(rw.op, "slot").ok_or("cfunc.state_load without slot")?;
        let cell = cell_of(&rw.b, operands_of(rw.op)[0], slot);
        let v = load_cell(&rw.b, cell, type_of(result_of(rw.op, 0)));
        rw.replace(&[v]);
        Ok(true)
    });
    p.add("cfunc.state_store", 1, |rw| {
        let slot = int_attr_value(rw.op, "slot").ok_or("cfunc.state_store without slot")?;
        let [state, value] = operands_of(rw.op)[..] else {
            return Err("cfunc.state_store takes two operands".into());
        };
        let cell = cell_of(&rw.b, state, slot);
        store_cell(&rw.b, cell, value);
        rw.erase();
        Ok(true)
    });
    p.apply(module)
}
