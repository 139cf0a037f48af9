#!/usr/bin/env python3
"""Generates tests/ir/verify/ops.mlir: one invalid use of every cfunc op and
type, each annotated with the message cfunc-opt reports for it, so the
expectations come from the verifier rather than from guesses.

    python3 scripts/gen_verify_ops.py target/debug/cfunc-opt > tests/ir/verify/ops.mlir

Run it after changing dialect/cfunc.irdl.mlir and review the diff.
"""
import subprocess, re, sys
ARGS = "%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>"
cases = [
 ("input_value", "input operand is not a pointer", '%0 = "cfunc.input_value"(%i) {index = 0 : i64} : (i64) -> i64'),
 ("guarded_input", "the valid flag is an i1", '%0 = "cfunc.guarded_input"(%p, %i) {index = 0 : i64} : (!llvm.ptr, i64) -> i64'),
 ("input_ticked", "the flag is an i1", '%0 = "cfunc.input_ticked"(%p) {index = 0 : i64} : (!llvm.ptr) -> i64'),
 ("input_valid", "index attribute is required", '%0 = "cfunc.input_valid"(%p) : (!llvm.ptr) -> i1'),
 ("output", "needs outputs, output_ticked and the value", '"cfunc.output"(%p, %i) {index = 0 : i64} : (!llvm.ptr, i64) -> ()'),
 ("state_load", "slot is an integer", '%0 = "cfunc.state_load"(%p) {slot = "x"} : (!llvm.ptr) -> i64'),
 ("state_store", "needs the state pointer and a value", '"cfunc.state_store"(%i) {slot = 0 : i64} : (i64) -> ()'),
 ("lifecycle", "node is a string", '"cfunc.lifecycle"() {execute = @e, node = 1 : i64, start = @s, stop = @t} : () -> ()'),
 ("check", "the condition is an i1", '"cfunc.check"(%i) {code = 1 : i32} : (i64) -> ()'),
 ("call", "callee is required", '%0 = "cfunc.call"(%f) {operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64'),
 ("getattr", "name is a string", '%0 = "cfunc.getattr"() {name = 3 : i64, operandSegmentSizes = array<i32: 0>} : () -> f64'),
 ("method", "the receiver is required", '%0 = "cfunc.method"() {name = "m", operandSegmentSizes = array<i32: 0, 0, 0, 0, 0, 0>} : () -> f64'),
 ("floordiv", "both operands have one type", '%0 = "cfunc.floordiv"(%i, %f) : (i64, f64) -> i64'),
 ("mod", "operands are i64 or f64", '%c = arith.constant 1 : i32\n  %0 = "cfunc.mod"(%c, %c) : (i32, i32) -> i32'),
 ("ipow", "the base is an i64", '%0 = "cfunc.ipow"(%f, %i) : (f64, i64) -> i64'),
 ("shl", "the amount is an i64", '%0 = "cfunc.shl"(%i, %f) : (i64, f64) -> i64'),
 ("shr", "the result is an i64", '%0 = "cfunc.shr"(%i, %i) : (i64, i64) -> f64'),
 ("to_int", "the operand is an f64", '%0 = "cfunc.to_int"(%i) : (i64) -> i64'),
 ("list_type", "list elements are i64, f64 or i1", '%0 = "cfunc.list_new"(%p) : (!llvm.ptr) -> !cfunc.list<i32>'),
 ("dict_type", "dict keys are i64, f64 or i1", '%0 = "cfunc.dict_new"(%p) : (!llvm.ptr) -> !cfunc.dict<i32, i64>'),
 ("list_new", "the result is a list", '%0 = "cfunc.list_new"(%p) : (!llvm.ptr) -> i64'),
 ("dict_new", "the arena is a pointer", '%0 = "cfunc.dict_new"(%i) : (i64) -> !cfunc.dict<i64, f64>'),
 ("const_list", "values is a dense array", '%0 = "cfunc.const_list"() {values = [1, 2]} : () -> !cfunc.list<i64>'),
 ("const_dict", "keys are required", '%0 = "cfunc.const_dict"() {values = array<i64: 1>} : () -> !cfunc.dict<i64, i64>'),
 ("free", "the operand is a container", '"cfunc.free"(%i) : (i64) -> ()'),
 ("arena_free", "the operand is the arena pointer", '"cfunc.arena_free"(%l) : (!cfunc.list<i64>) -> ()'),
 ("is_null", "the result is an i1", '%0 = "cfunc.is_null"(%l) : (!cfunc.list<i64>) -> i64'),
 ("is_live", "the operand is a list or a dict", '%0 = "cfunc.is_live"(%p) : (!llvm.ptr) -> i1'),
 ("len", "the operand is a container", '%0 = "cfunc.len"(%p) : (!llvm.ptr) -> i64'),
 ("clear", "one container", '"cfunc.clear"(%l, %l) : (!cfunc.list<i64>, !cfunc.list<i64>) -> ()'),
 ("list_get", "the result is the element type", '%0 = "cfunc.list_get"(%l, %i) : (!cfunc.list<i64>, i64) -> f64'),
 ("list_set", "the value is the element type", '"cfunc.list_set"(%l, %i, %f) : (!cfunc.list<i64>, i64, f64) -> ()'),
 ("list_append", "the value is the element type", '"cfunc.list_append"(%lf, %i) : (!cfunc.list<f64>, i64) -> ()'),
 ("list_pop", "the index is an i64", '%0 = "cfunc.list_pop"(%l, %f) : (!cfunc.list<i64>, f64) -> i64'),
 ("list_insert", "the index is an i64", '"cfunc.list_insert"(%l, %b, %i) : (!cfunc.list<i64>, i1, i64) -> ()'),
 ("list_extend", "both lists have one element type", '"cfunc.list_extend"(%l, %lf) : (!cfunc.list<i64>, !cfunc.list<f64>) -> ()'),
 ("list_contains", "the result is an i1", '%0 = "cfunc.list_contains"(%l, %i) : (!cfunc.list<i64>, i64) -> i64'),
 ("list_reduce", "kind is required", '%0 = "cfunc.list_reduce"(%l) : (!cfunc.list<i64>) -> i64'),
 ("list_sort", "the operand is a list", '"cfunc.list_sort"(%d) : (!cfunc.dict<i64, f64>) -> ()'),
 ("list_slice", "has_stop is required", '%0 = "cfunc.list_slice"(%p, %l, %i, %i, %i) {has_start = 1 : i64} : (!llvm.ptr, !cfunc.list<i64>, i64, i64, i64) -> !cfunc.list<i64>'),
 ("dict_get", "the key is the key type", '%0 = "cfunc.dict_get"(%d, %f) : (!cfunc.dict<i64, f64>, f64) -> f64'),
 ("dict_set", "the value is the value type", '"cfunc.dict_set"(%d, %i, %i) : (!cfunc.dict<i64, f64>, i64, i64) -> ()'),
 ("dict_contains", "the result is an i1", '%0 = "cfunc.dict_contains"(%d, %i) : (!cfunc.dict<i64, f64>, i64) -> f64'),
 ("dict_pop", "the default is the value type", '%0 = "cfunc.dict_pop"(%d, %i, %i) : (!cfunc.dict<i64, f64>, i64, i64) -> f64'),
 ("dict_version", "the operand is a dict", '%0 = "cfunc.dict_version"(%l) : (!cfunc.list<i64>) -> i64'),
 ("dict_next", "the position is an i64", '%0 = "cfunc.dict_next"(%d, %f) : (!cfunc.dict<i64, f64>, f64) -> i64'),
 ("dict_key_at", "the result is the key type", '%0 = "cfunc.dict_key_at"(%d, %i) : (!cfunc.dict<i64, f64>, i64) -> f64'),
 ("dict_slot", "the result is a pointer to the value cell", '%0 = "cfunc.dict_slot"(%d, %i) : (!cfunc.dict<i64, f64>, i64) -> f64'),
 ("struct_get", "the offset is an integer", '%0 = "cfunc.struct_get"(%p) {field = "a", offset = "x", storage = "float64"} : (!llvm.ptr) -> f64'),
 ("struct_get_no_storage", "storage is required", '%0 = "cfunc.struct_get"(%p) {field = "a", offset = 0 : i64} : (!llvm.ptr) -> f64'),
 ("struct_get_bad_storage", "storage is one of the storage names", '%0 = "cfunc.struct_get"(%p) {field = "a", offset = 0 : i64, storage = "int12"} : (!llvm.ptr) -> i64'),
 ("struct_set", "the value is i64, f64 or i1", '"cfunc.struct_set"(%p, %p) {field = "a", offset = 0 : i64, storage = "int64"} : (!llvm.ptr, !llvm.ptr) -> ()'),
 ("struct_zero", "size is required", '"cfunc.struct_zero"(%p) : (!llvm.ptr) -> ()'),
 ("output_ptr", "the result is a pointer", '%0 = "cfunc.output_ptr"(%p) {index = 0 : i64} : (!llvm.ptr) -> i64'),
 ("output_tick", "the flags operand is a pointer", '"cfunc.output_tick"(%i) {index = 0 : i64} : (i64) -> ()'),
 ("dict_value_at", "the result is the value type", '%0 = "cfunc.dict_value_at"(%d, %i) : (!cfunc.dict<i64, f64>, i64) -> i64'),
 ("array_type", "array elements are i64, f64 or i1", '%0 = "cfunc.array_new"() : () -> !cfunc.array<i32, 4 : i64>'),
 ("array_type_length", "the length is an integer", '%0 = "cfunc.array_new"() : () -> !cfunc.array<i64, "four">'),
 ("array_new", "the result is an array", '%0 = "cfunc.array_new"() : () -> !cfunc.list<i64>'),
 ("const_array", "values is a dense array", '%0 = "cfunc.const_array"() {values = [1, 2]} : () -> !cfunc.array<i64, 2 : i64>'),
 ("array_get", "the result is the element type", '%a = "cfunc.array_new"() : () -> !cfunc.array<i64, 4 : i64>\n%0 = "cfunc.array_get"(%a, %i) : (!cfunc.array<i64, 4 : i64>, i64) -> f64'),
 ("array_set", "the value is the element type", '%a = "cfunc.array_new"() : () -> !cfunc.array<i1, 4 : i64>\n"cfunc.array_set"(%a, %i, %i) : (!cfunc.array<i1, 4 : i64>, i64, i64) -> ()'),
 ("array_clear", "the operand is an array", '"cfunc.array_clear"(%l) : (!cfunc.list<i64>) -> ()'),
 ("array_reduce", "kind is required", '%a = "cfunc.array_new"() : () -> !cfunc.array<f64, 4 : i64>\n%0 = "cfunc.array_reduce"(%a) : (!cfunc.array<f64, 4 : i64>) -> f64'),
]
opt = sys.argv[1]
header = """// RUN: cfunc-opt %s --split-input-file --verify-diagnostics
//
// The verifier of every cfunc op and type (IRDL, dialect/cfunc.irdl.mlir):
// one invalid use per piece. Each expected message is the one cfunc-opt
// reports, recorded by scripts/gen_verify_ops.py; regenerate it after changing
// the dialect.
"""
chunks = []
for name, why, body in cases:
    lines = body.split("\n")
    text = f"// {name}: {why}.\nfunc.func @{name}({ARGS}) {{\n  " + "\n  ".join(l.strip() for l in lines) + "\n  return\n}\n"
    r = subprocess.run([opt, "-", ], input=text, capture_output=True, text=True)
    m = re.match(r"<stdin>:(\d+):(\d+): error: (.*)", r.stderr)
    if not m:
        sys.exit(f"{name}: no error: {r.stderr!r} {r.stdout!r}")
    line, msg = int(m.group(1)), m.group(3)
    src = text.split("\n")
    # Annotate the line above the failing one.
    src.insert(line - 1, " " * (len(src[line-1]) - len(src[line-1].lstrip())) + "// expected-error @+1 {{" + msg + "}}")
    chunks.append("\n".join(src))
print(header + "\n" + "\n// -----\n\n".join(chunks), end="")
