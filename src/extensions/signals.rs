//! `Signal[T]` inputs (the `signal` source category: `inputs`,
//! `input_ticked`, `input_valid`) and the `Signal[T]` / `Outputs(...)`
//! return annotations.

use crate::context::{
    AbiType, CategoryInputs, CompilationContext, InputHandler, OutputHandler, SourceCategory,
};
use crate::diagnostics::Result;

/// Registers signal inputs and outputs.
pub fn register(ctx: &mut CompilationContext) -> Result<()> {
    ctx.register_source_category(SourceCategory {
        id: "signal".into(),
        order: 0,
        params: vec![
            ("inputs".into(), AbiType::Ptr),
            ("input_ticked".into(), AbiType::Ptr),
            ("input_valid".into(), AbiType::Ptr),
        ],
        inputs: Some(CategoryInputs {
            values: "inputs".into(),
            ticked: Some("input_ticked".into()),
            valid: Some("input_valid".into()),
        }),
    })?;
    ctx.register_input_handler(InputHandler {
        wrapper: "Signal".into(),
        category: "signal".into(),
    });
    ctx.register_output_handler(OutputHandler {
        wrapper: "Signal".into(),
        named: false,
    });
    ctx.register_output_handler(OutputHandler {
        wrapper: "Outputs".into(),
        named: true,
    });
    Ok(())
}
