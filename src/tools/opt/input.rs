//! Reading `cfunc-opt`'s input: splitting it at `// -----` lines
//! (`--split-input-file`) and parsing MLIR text into a module whose
//! locations name the input file.

use super::diagnostics::Collector;
use crate::dialect::builder::{op_name, sref, string_of};
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
pub fn parse_mlir(
    ctx: MlirContext,
    text: &str,
    filename: &str,
    diags: &mut Collector,
) -> Option<MlirOperation> {
    // mlirOperationCreateParse names the locations after the file but wants
    // exactly one top-level op; mlirModuleCreateParse takes any number and
    // wraps them, but names the buffer "-". So: the first, and when the
    // text has several ops, the second with its locations renamed.
    let op = unsafe { mlirOperationCreateParse(ctx, sref(text), sref(filename)) };
    if !op.ptr.is_null() {
        if op_name(op) == "builtin.module" {
            return Some(op);
        }
        unsafe {
            let module = mlirModuleCreateEmpty(mlirOperationGetLocation(op));
            mlirBlockAppendOwnedOperation(mlirModuleGetBody(module), op);
            return Some(mlirModuleGetOperation(module));
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
    let module = unsafe { mlirModuleCreateParse(ctx, sref(text)) };
    if module.ptr.is_null() {
        return None;
    }
    let op = unsafe { mlirModuleGetOperation(module) };
    rename_locations(ctx, op, filename);
    Some(op)
}

/// Gives every `loc("-":L:C)` in `op` (ops and block arguments) the file
/// name `filename`.
fn rename_locations(ctx: MlirContext, op: MlirOperation, filename: &str) {
    let rename = |loc: MlirLocation| -> Option<MlirLocation> {
        unsafe {
            if !mlirLocationIsAFileLineColRange(loc) {
                return None;
            }
            let file = string_of(mlirIdentifierStr(mlirLocationFileLineColRangeGetFilename(
                loc,
            )));
            if file != "-" && !file.is_empty() {
                return None;
            }
            Some(mlirLocationFileLineColRangeGet(
                ctx,
                sref(filename),
                mlirLocationFileLineColRangeGetStartLine(loc) as u32,
                mlirLocationFileLineColRangeGetStartColumn(loc) as u32,
                mlirLocationFileLineColRangeGetEndLine(loc) as u32,
                mlirLocationFileLineColRangeGetEndColumn(loc) as u32,
            ))
        }
    };
    fn walk(op: MlirOperation, rename: &dyn Fn(MlirLocation) -> Option<MlirLocation>) {
        unsafe {
            if let Some(l) = rename(mlirOperationGetLocation(op)) {
                mlirOperationSetLocation(op, l);
            }
            for r in 0..mlirOperationGetNumRegions(op) {
                let mut block = mlirRegionGetFirstBlock(mlirOperationGetRegion(op, r));
                while !block.ptr.is_null() {
                    for a in 0..mlirBlockGetNumArguments(block) {
                        let arg = mlirBlockGetArgument(block, a);
                        if let Some(l) = rename(mlirValueGetLocation(arg)) {
                            mlirBlockArgumentSetLocation(arg, l);
                        }
                    }
                    let mut inner = mlirBlockGetFirstOperation(block);
                    while !inner.ptr.is_null() {
                        walk(inner, rename);
                        inner = mlirOperationGetNextInBlock(inner);
                    }
                    block = mlirBlockGetNextInRegion(block);
                }
            }
        }
    }
    walk(op, &rename);
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
