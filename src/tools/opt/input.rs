//! Reading `cfunc-opt`'s input: splitting it at `// -----` lines
//! (`--split-input-file`) and parsing MLIR text into a module whose
//! locations name the input file.

use super::diagnostics::Collector;
use crate::dialect::ir::{sref, Location, Operation};
use melior::ir::Module;
use mlir_sys::*;

/// One piece of the input. `text` is padded with empty lines so that its
/// line numbers are the whole file's: diagnostics, annotations and the
/// IR's locations all use the file's lines.
pub struct Chunk {
    /// The padded text.
    pub text: String,
}

/// The split marker: `// -----` for MLIR, `# -----` for Python. A line
/// holding only the marker separates two chunks.
pub fn split(text: &str, python: bool) -> Vec<Chunk> {
    let marker = if python { "# -----" } else { "// -----" };
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut first_line = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_end() == marker {
            chunks.push(Chunk {
                text: "\n".repeat(first_line) + &current,
            });
            current.clear();
            first_line = i + 1;
        } else {
            current.push_str(line);
        }
    }
    chunks.push(Chunk {
        text: "\n".repeat(first_line) + &current,
    });
    chunks
}

/// Parses MLIR text as a module owned by the caller, or returns `None`
/// after MLIR has reported why to `diags`. Locations of ops written
/// without `loc(...)` name `filename`.
///
/// A text holding one op that is not a module gets a module around it, as
/// does a text with several top-level ops (or none), as in `mlir-opt`.
pub fn parse_mlir<'c>(
    ctx: &'c melior::Context,
    text: &str,
    filename: &str,
    diags: &mut Collector,
) -> Option<Module<'c>> {
    // mlirOperationCreateParse names the locations after the file but wants
    // exactly one top-level op; mlirModuleCreateParse takes any number and
    // wraps them, but names the buffer "-". So: the first, and when the
    // text has several ops, the second with its locations renamed.
    let raw_ctx = ctx.to_raw();
    let op = unsafe { mlirOperationCreateParse(raw_ctx, sref(text), sref(filename)) };
    if !op.ptr.is_null() {
        // SAFETY: the parsed op is owned here until a module takes it.
        unsafe {
            if Operation::from_raw(op).is("builtin.module") {
                return Some(Module::from_raw(mlirModuleFromOperation(op)));
            }
            let module = mlirModuleCreateEmpty(mlirOperationGetLocation(op));
            mlirBlockAppendOwnedOperation(mlirModuleGetBody(module), op);
            return Some(Module::from_raw(module));
        }
    }
    let mut several = false;
    diags.retain(|d| {
        let count = d
            .message
            .starts_with("source must contain a single top-level operation");
        several |= count;
        !count
    });
    if !several {
        return None;
    }
    let module = unsafe { mlirModuleCreateParse(raw_ctx, sref(text)) };
    if module.ptr.is_null() {
        return None;
    }
    // SAFETY: the module was just parsed and is owned by the result.
    let module = unsafe { Module::from_raw(module) };
    rename_locations(Operation::of_module(&module), filename);
    Some(module)
}

/// Gives every `loc("-":L:C)` in `op` (ops and block arguments) the file
/// name `filename`.
fn rename_locations(module: Operation<'_>, filename: &str) {
    fn renamed<'c>(loc: Location<'c>, filename: &str) -> Option<Location<'c>> {
        let file = loc.file_name()?;
        if file != "-" && !file.is_empty() {
            return None;
        }
        loc.with_file_name(filename)
    }
    let rename = |loc| renamed(loc, filename);
    module.walk(&mut |op| {
        if let Some(l) = rename(op.location()) {
            op.set_location(l);
        }
        for r in 0..op.num_regions() {
            for block in op.region(r).blocks() {
                for (i, arg) in block.arguments().into_iter().enumerate() {
                    if let Some(l) = rename(arg.location()) {
                        block.set_argument_location(i, l);
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_line_numbers() {
        let chunks = split("a\n// -----\nb\nc\n// -----\nd", false);
        let texts: Vec<&str> = chunks.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["a\n", "\n\nb\nc\n", "\n\n\n\n\nd"]);
        assert_eq!(split("x\n# -----\ny\n", true).len(), 2);
        assert_eq!(split("x\n# -----\ny\n", false).len(), 1);
    }
}
