//! `Signal[T]` inputs (the `signal` source category: `inputs`,
//! `input_ticked`, `input_valid`) and the `Signal[T]` / `Outputs(...)`
//! return annotations.

use crate::abi::param;
use crate::diagnostics::Result;
use crate::registry::{
    AbiType, CategoryInputs, CompilationContext, InputHandler, OutputHandler, SourceCategory,
};

/// Registers signal inputs and outputs.
pub fn register(ctx: &mut CompilationContext) -> Result<()> {
    ctx.register_source_category(SourceCategory {
        id: "signal".into(),
        order: 0,
        params: vec![
            (param::INPUTS.into(), AbiType::Ptr),
            (param::INPUT_TICKED.into(), AbiType::Ptr),
            (param::INPUT_VALID.into(), AbiType::Ptr),
        ],
        inputs: Some(CategoryInputs {
            values: param::INPUTS.into(),
            ticked: Some(param::INPUT_TICKED.into()),
            valid: Some(param::INPUT_VALID.into()),
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
