// RUN: cfunc-opt %s --split-input-file --verify-diagnostics
//
// The verifier of every cfunc op and type (IRDL, dialect/cfunc.irdl.mlir):
// one invalid use per piece. Each expected message is the one cfunc-opt
// reports, recorded by scripts/gen_verify_ops.py; regenerate it after changing
// the dialect.

// input_value: input operand is not a pointer.
func.func @input_value(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected '!llvm.ptr' but got 'i64'}}
  %0 = "cfunc.input_value"(%i) {index = 0 : i64} : (i64) -> i64
  return
}

// -----

// guarded_input: the valid flag is an i1.
func.func @guarded_input(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i1' but got 'i64'}}
  %0 = "cfunc.guarded_input"(%p, %i) {index = 0 : i64} : (!llvm.ptr, i64) -> i64
  return
}

// -----

// input_ticked: the flag is an i1.
func.func @input_ticked(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i1' but got 'i64'}}
  %0 = "cfunc.input_ticked"(%p) {index = 0 : i64} : (!llvm.ptr) -> i64
  return
}

// -----

// input_valid: index attribute is required.
func.func @input_valid(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'cfunc.input_valid' op attribute "index" is expected but not provided}}
  %0 = "cfunc.input_valid"(%p) : (!llvm.ptr) -> i1
  return
}

// -----

// output: needs outputs, output_ticked and the value.
func.func @output(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{op expects exactly 3 operands, but got 2}}
  "cfunc.output"(%p, %i) {index = 0 : i64} : (!llvm.ptr, i64) -> ()
  return
}

// -----

// state_load: slot is an integer.
func.func @state_load(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base attribute 'builtin.integer' but got 'builtin.string'}}
  %0 = "cfunc.state_load"(%p) {slot = "x"} : (!llvm.ptr) -> i64
  return
}

// -----

// state_store: needs the state pointer and a value.
func.func @state_store(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{op expects exactly 2 operands, but got 1}}
  "cfunc.state_store"(%i) {slot = 0 : i64} : (i64) -> ()
  return
}

// -----

// lifecycle: node is a string.
func.func @lifecycle(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base attribute 'builtin.string' but got 'builtin.integer'}}
  "cfunc.lifecycle"() {execute = @e, node = 1 : i64, start = @s, stop = @t} : () -> ()
  return
}

// -----

// check: the condition is an i1.
func.func @check(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i1' but got 'i64'}}
  "cfunc.check"(%i) {code = 1 : i32} : (i64) -> ()
  return
}

// -----

// call: callee is required.
func.func @call(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'cfunc.call' op attribute "callee" is expected but not provided}}
  %0 = "cfunc.call"(%f) {operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (f64) -> f64
  return
}

// -----

// getattr: name is a string.
func.func @getattr(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base attribute 'builtin.string' but got 'builtin.integer'}}
  %0 = "cfunc.getattr"() {name = 3 : i64, operandSegmentSizes = array<i32: 0>} : () -> f64
  return
}

// -----

// method: the receiver is required.
func.func @method(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{element 0 in 'operandSegmentSizes' attribute must be equal to 1}}
  %0 = "cfunc.method"() {name = "m", operandSegmentSizes = array<i32: 0, 0, 0, 0, 0, 0>} : () -> f64
  return
}

// -----

// floordiv: both operands have one type.
func.func @floordiv(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.floordiv"(%i, %f) : (i64, f64) -> i64
  return
}

// -----

// mod: operands are i64 or f64.
func.func @mod(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  %c = arith.constant 1 : i32
  // expected-error @+1 {{'i32' does not satisfy the constraint}}
  %0 = "cfunc.mod"(%c, %c) : (i32, i32) -> i32
  return
}

// -----

// ipow: the base is an i64.
func.func @ipow(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.ipow"(%f, %i) : (f64, i64) -> i64
  return
}

// -----

// shl: the amount is an i64.
func.func @shl(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.shl"(%i, %f) : (i64, f64) -> i64
  return
}

// -----

// shr: the result is an i64.
func.func @shr(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.shr"(%i, %i) : (i64, i64) -> f64
  return
}

// -----

// to_int: the operand is an f64.
func.func @to_int(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'f64' but got 'i64'}}
  %0 = "cfunc.to_int"(%i) : (i64) -> i64
  return
}

// -----

// list_type: list elements are i64, f64 or i1.
func.func @list_type(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'i32' does not satisfy the constraint}}
  %0 = "cfunc.list_new"(%p) : (!llvm.ptr) -> !cfunc.list<i32>
  return
}

// -----

// dict_type: dict keys are i64, f64 or i1.
func.func @dict_type(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'i32' does not satisfy the constraint}}
  %0 = "cfunc.dict_new"(%p) : (!llvm.ptr) -> !cfunc.dict<i32, i64>
  return
}

// -----

// list_new: the result is a list.
func.func @list_new(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base type 'cfunc.list' but got 'i64'}}
  %0 = "cfunc.list_new"(%p) : (!llvm.ptr) -> i64
  return
}

// -----

// dict_new: the arena is a pointer.
func.func @dict_new(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected '!llvm.ptr' but got 'i64'}}
  %0 = "cfunc.dict_new"(%i) : (i64) -> !cfunc.dict<i64, f64>
  return
}

// -----

// const_list: values is a dense array.
func.func @const_list(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base attribute 'builtin.dense_array' but got 'builtin.array'}}
  %0 = "cfunc.const_list"() {values = [1, 2]} : () -> !cfunc.list<i64>
  return
}

// -----

// const_dict: keys are required.
func.func @const_dict(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'cfunc.const_dict' op attribute "keys" is expected but not provided}}
  %0 = "cfunc.const_dict"() {values = array<i64: 1>} : () -> !cfunc.dict<i64, i64>
  return
}

// -----

// free: the operand is a container.
func.func @free(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'i64' does not satisfy the constraint}}
  "cfunc.free"(%i) : (i64) -> ()
  return
}

// -----

// arena_free: the operand is the arena pointer.
func.func @arena_free(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected '!llvm.ptr' but got '!cfunc.list<i64>'}}
  "cfunc.arena_free"(%l) : (!cfunc.list<i64>) -> ()
  return
}

// -----

// is_null: the result is an i1.
func.func @is_null(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i1' but got 'i64'}}
  %0 = "cfunc.is_null"(%l) : (!cfunc.list<i64>) -> i64
  return
}

// -----

// is_live: the operand is a list or a dict.
func.func @is_live(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'!llvm.ptr' does not satisfy the constraint}}
  %0 = "cfunc.is_live"(%p) : (!llvm.ptr) -> i1
  return
}

// -----

// len: the operand is a container.
func.func @len(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'!llvm.ptr' does not satisfy the constraint}}
  %0 = "cfunc.len"(%p) : (!llvm.ptr) -> i64
  return
}

// -----

// clear: one container.
func.func @clear(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{op expects exactly 1 operands, but got 2}}
  "cfunc.clear"(%l, %l) : (!cfunc.list<i64>, !cfunc.list<i64>) -> ()
  return
}

// -----

// list_get: the result is the element type.
func.func @list_get(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.list_get"(%l, %i) : (!cfunc.list<i64>, i64) -> f64
  return
}

// -----

// list_set: the value is the element type.
func.func @list_set(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  "cfunc.list_set"(%l, %i, %f) : (!cfunc.list<i64>, i64, f64) -> ()
  return
}

// -----

// list_append: the value is the element type.
func.func @list_append(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'f64' but got 'i64'}}
  "cfunc.list_append"(%lf, %i) : (!cfunc.list<f64>, i64) -> ()
  return
}

// -----

// list_pop: the index is an i64.
func.func @list_pop(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.list_pop"(%l, %f) : (!cfunc.list<i64>, f64) -> i64
  return
}

// -----

// list_insert: the index is an i64.
func.func @list_insert(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'i1'}}
  "cfunc.list_insert"(%l, %b, %i) : (!cfunc.list<i64>, i1, i64) -> ()
  return
}

// -----

// list_extend: both lists have one element type.
func.func @list_extend(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected '!cfunc.list<i64>' but got '!cfunc.list<f64>'}}
  "cfunc.list_extend"(%l, %lf) : (!cfunc.list<i64>, !cfunc.list<f64>) -> ()
  return
}

// -----

// list_contains: the result is an i1.
func.func @list_contains(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i1' but got 'i64'}}
  %0 = "cfunc.list_contains"(%l, %i) : (!cfunc.list<i64>, i64) -> i64
  return
}

// -----

// list_reduce: kind is required.
func.func @list_reduce(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'cfunc.list_reduce' op attribute "kind" is expected but not provided}}
  %0 = "cfunc.list_reduce"(%l) : (!cfunc.list<i64>) -> i64
  return
}

// -----

// list_sort: the operand is a list.
func.func @list_sort(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base type 'cfunc.list' but got 'cfunc.dict'}}
  "cfunc.list_sort"(%d) : (!cfunc.dict<i64, f64>) -> ()
  return
}

// -----

// list_slice: has_stop is required.
func.func @list_slice(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'cfunc.list_slice' op attribute "has_stop" is expected but not provided}}
  %0 = "cfunc.list_slice"(%p, %l, %i, %i, %i) {has_start = 1 : i64} : (!llvm.ptr, !cfunc.list<i64>, i64, i64, i64) -> !cfunc.list<i64>
  return
}

// -----

// dict_get: the key is the key type.
func.func @dict_get(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.dict_get"(%d, %f) : (!cfunc.dict<i64, f64>, f64) -> f64
  return
}

// -----

// dict_set: the value is the value type.
func.func @dict_set(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'f64' but got 'i64'}}
  "cfunc.dict_set"(%d, %i, %i) : (!cfunc.dict<i64, f64>, i64, i64) -> ()
  return
}

// -----

// dict_contains: the result is an i1.
func.func @dict_contains(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i1' but got 'f64'}}
  %0 = "cfunc.dict_contains"(%d, %i) : (!cfunc.dict<i64, f64>, i64) -> f64
  return
}

// -----

// dict_pop: the default is the value type.
func.func @dict_pop(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'f64' but got 'i64'}}
  %0 = "cfunc.dict_pop"(%d, %i, %i) : (!cfunc.dict<i64, f64>, i64, i64) -> f64
  return
}

// -----

// dict_version: the operand is a dict.
func.func @dict_version(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base type 'cfunc.dict' but got 'cfunc.list'}}
  %0 = "cfunc.dict_version"(%l) : (!cfunc.list<i64>) -> i64
  return
}

// -----

// dict_next: the position is an i64.
func.func @dict_next(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.dict_next"(%d, %f) : (!cfunc.dict<i64, f64>, f64) -> i64
  return
}

// -----

// dict_key_at: the result is the key type.
func.func @dict_key_at(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.dict_key_at"(%d, %i) : (!cfunc.dict<i64, f64>, i64) -> f64
  return
}

// -----

// dict_slot: the result is a pointer to the value cell.
func.func @dict_slot(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected '!llvm.ptr' but got 'f64'}}
  %0 = "cfunc.dict_slot"(%d, %i) : (!cfunc.dict<i64, f64>, i64) -> f64
  return
}

// -----

// struct_get: the offset is an integer.
func.func @struct_get(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base attribute 'builtin.integer' but got 'builtin.string'}}
  %0 = "cfunc.struct_get"(%p) {field = "a", offset = "x", storage = "float64"} : (!llvm.ptr) -> f64
  return
}

// -----

// struct_get_no_storage: storage is required.
func.func @struct_get_no_storage(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'cfunc.struct_get' op attribute "storage" is expected but not provided}}
  %0 = "cfunc.struct_get"(%p) {field = "a", offset = 0 : i64} : (!llvm.ptr) -> f64
  return
}

// -----

// struct_get_bad_storage: storage is one of the storage names.
func.func @struct_get_bad_storage(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'"int12"' does not satisfy the constraint}}
  %0 = "cfunc.struct_get"(%p) {field = "a", offset = 0 : i64, storage = "int12"} : (!llvm.ptr) -> i64
  return
}

// -----

// struct_set: the value is i64, f64 or i1.
func.func @struct_set(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'!llvm.ptr' does not satisfy the constraint}}
  "cfunc.struct_set"(%p, %p) {field = "a", offset = 0 : i64, storage = "int64"} : (!llvm.ptr, !llvm.ptr) -> ()
  return
}

// -----

// struct_zero: size is required.
func.func @struct_zero(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'cfunc.struct_zero' op attribute "size" is expected but not provided}}
  "cfunc.struct_zero"(%p) : (!llvm.ptr) -> ()
  return
}

// -----

// output_ptr: the result is a pointer.
func.func @output_ptr(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected '!llvm.ptr' but got 'i64'}}
  %0 = "cfunc.output_ptr"(%p) {index = 0 : i64} : (!llvm.ptr) -> i64
  return
}

// -----

// output_tick: the flags operand is a pointer.
func.func @output_tick(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected '!llvm.ptr' but got 'i64'}}
  "cfunc.output_tick"(%i) {index = 0 : i64} : (i64) -> ()
  return
}

// -----

// dict_value_at: the result is the value type.
func.func @dict_value_at(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected 'f64' but got 'i64'}}
  %0 = "cfunc.dict_value_at"(%d, %i) : (!cfunc.dict<i64, f64>, i64) -> i64
  return
}

// -----

// array_type: array elements are i64, f64 or i1.
func.func @array_type(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{'i32' does not satisfy the constraint}}
  %0 = "cfunc.array_new"() : () -> !cfunc.array<i32, 4 : i64>
  return
}

// -----

// array_type_length: the length is an integer.
func.func @array_type_length(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base attribute 'builtin.integer' but got 'builtin.string'}}
  %0 = "cfunc.array_new"() : () -> !cfunc.array<i64, "four">
  return
}

// -----

// array_new: the result is an array.
func.func @array_new(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base type 'cfunc.array' but got '!cfunc.list<i64>'}}
  %0 = "cfunc.array_new"() : () -> !cfunc.list<i64>
  return
}

// -----

// const_array: values is a dense array.
func.func @const_array(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base attribute 'builtin.dense_array' but got 'builtin.array'}}
  %0 = "cfunc.const_array"() {values = [1, 2]} : () -> !cfunc.array<i64, 2 : i64>
  return
}

// -----

// array_get: the result is the element type.
func.func @array_get(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  %a = "cfunc.array_new"() : () -> !cfunc.array<i64, 4 : i64>
  // expected-error @+1 {{expected 'i64' but got 'f64'}}
  %0 = "cfunc.array_get"(%a, %i) : (!cfunc.array<i64, 4 : i64>, i64) -> f64
  return
}

// -----

// array_set: the value is the element type.
func.func @array_set(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  %a = "cfunc.array_new"() : () -> !cfunc.array<i1, 4 : i64>
  // expected-error @+1 {{expected 'i1' but got 'i64'}}
  "cfunc.array_set"(%a, %i, %i) : (!cfunc.array<i1, 4 : i64>, i64, i64) -> ()
  return
}

// -----

// array_clear: the operand is an array.
func.func @array_clear(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  // expected-error @+1 {{expected base type 'cfunc.array' but got 'cfunc.list'}}
  "cfunc.array_clear"(%l) : (!cfunc.list<i64>) -> ()
  return
}

// -----

// array_reduce: kind is required.
func.func @array_reduce(%p: !llvm.ptr, %i: i64, %f: f64, %b: i1, %l: !cfunc.list<i64>, %lf: !cfunc.list<f64>, %d: !cfunc.dict<i64, f64>) {
  %a = "cfunc.array_new"() : () -> !cfunc.array<f64, 4 : i64>
  // expected-error @+1 {{'cfunc.array_reduce' op attribute "kind" is expected but not provided}}
  %0 = "cfunc.array_reduce"(%a) : (!cfunc.array<f64, 4 : i64>) -> f64
  return
}
