// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-io)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-io)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-lower-io: signal inputs and outputs to loads and stores through
// the ABI's arrays of pointers to 8-byte cells. A bool cell is one byte
// (nonzero = true); the ticked and valid flags are bytes too. Loads of the
// pointer arrays and accesses to the cells carry different TBAA tags, so
// LLVM knows a cell write never changes a pointer array.
//
// A struct value is the pointer in inputs[i]; its fields are loaded and
// stored at their byte offsets as their storage lays them out (a bool
// field is one byte; int8 ... uint64, float32, float64), every access with
// alignment 1 (a packed struct may put a field anywhere). A struct output
// is written through the buffer behind outputs[i] and ticked on its own.
//
// An input the host may pass NULL for while it is not valid is loaded
// through a select of its pointer and a static zero cell, so nothing is
// read through inputs[i] unless the valid flag is set, and nothing branches.
//
// BLESS: CHECK @io(
// BLESS: CHECK @guarded(
// BLESS: CHECK @structs(
// BLESS: CHECK @narrow(
// BLESS: STATS

func.func @io(%outputs: !llvm.ptr, %output_ticked: !llvm.ptr, %inputs: !llvm.ptr, %input_ticked: !llvm.ptr, %input_valid: !llvm.ptr) {
  %x = "cfunc.input_value"(%inputs) {index = 0 : i64} : (!llvm.ptr) -> i64
  %y = "cfunc.input_value"(%inputs) {index = 1 : i64} : (!llvm.ptr) -> f64
  %b = "cfunc.input_value"(%inputs) {index = 2 : i64} : (!llvm.ptr) -> i1
  %t = "cfunc.input_ticked"(%input_ticked) {index = 1 : i64} : (!llvm.ptr) -> i1
  %v = "cfunc.input_valid"(%input_valid) {index = 2 : i64} : (!llvm.ptr) -> i1
  %tv = arith.andi %t, %v : i1
  %bb = arith.andi %tv, %b : i1
  "cfunc.output"(%outputs, %output_ticked, %x) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
  "cfunc.output"(%outputs, %output_ticked, %bb) {index = 1 : i64} : (!llvm.ptr, !llvm.ptr, i1) -> ()
  return
}

func.func @guarded(%outputs: !llvm.ptr, %output_ticked: !llvm.ptr, %inputs: !llvm.ptr, %input_ticked: !llvm.ptr, %input_valid: !llvm.ptr) {
  %v = "cfunc.input_valid"(%input_valid) {index = 1 : i64} : (!llvm.ptr) -> i1
  %y = "cfunc.guarded_input"(%inputs, %v) {index = 1 : i64} : (!llvm.ptr, i1) -> f64
  "cfunc.output"(%outputs, %output_ticked, %y) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, f64) -> ()
  return
}

func.func @structs(%outputs: !llvm.ptr, %output_ticked: !llvm.ptr, %inputs: !llvm.ptr) {
  %q = "cfunc.input_value"(%inputs) {index = 0 : i64} : (!llvm.ptr) -> !llvm.ptr
  %bid = "cfunc.struct_get"(%q) {field = "bid", offset = 0 : i64, storage = "float64"} : (!llvm.ptr) -> f64
  %live = "cfunc.struct_get"(%q) {field = "live", offset = 16 : i64, storage = "bool"} : (!llvm.ptr) -> i1
  %out = "cfunc.output_ptr"(%outputs) {index = 0 : i64} : (!llvm.ptr) -> !llvm.ptr
  "cfunc.struct_zero"(%out) {size = 24 : i64} : (!llvm.ptr) -> ()
  "cfunc.struct_set"(%out, %bid) {field = "bid", offset = 0 : i64, storage = "float64"} : (!llvm.ptr, f64) -> ()
  "cfunc.struct_set"(%out, %live) {field = "live", offset = 16 : i64, storage = "bool"} : (!llvm.ptr, i1) -> ()
  "cfunc.output_tick"(%output_ticked) {index = 0 : i64} : (!llvm.ptr) -> ()
  return
}

// Narrow and unaligned fields: a load widens (extsi for a signed storage,
// extui for an unsigned one, none for uint64, extf for float32), a store
// narrows (trunci keeps the low bits, truncf rounds to nearest even).
func.func @narrow(%p: !llvm.ptr) {
  %a = "cfunc.struct_get"(%p) {field = "a", offset = 1 : i64, storage = "int8"} : (!llvm.ptr) -> i64
  %b = "cfunc.struct_get"(%p) {field = "b", offset = 2 : i64, storage = "uint16"} : (!llvm.ptr) -> i64
  %c = "cfunc.struct_get"(%p) {field = "c", offset = 4 : i64, storage = "int32"} : (!llvm.ptr) -> i64
  %d = "cfunc.struct_get"(%p) {field = "d", offset = 8 : i64, storage = "uint32"} : (!llvm.ptr) -> i64
  %e = "cfunc.struct_get"(%p) {field = "e", offset = 13 : i64, storage = "uint64"} : (!llvm.ptr) -> i64
  %f = "cfunc.struct_get"(%p) {field = "f", offset = 21 : i64, storage = "float32"} : (!llvm.ptr) -> f64
  "cfunc.struct_set"(%p, %a) {field = "b", offset = 2 : i64, storage = "uint16"} : (!llvm.ptr, i64) -> ()
  "cfunc.struct_set"(%p, %e) {field = "a", offset = 1 : i64, storage = "int8"} : (!llvm.ptr, i64) -> ()
  "cfunc.struct_set"(%p, %b) {field = "e", offset = 13 : i64, storage = "uint64"} : (!llvm.ptr, i64) -> ()
  "cfunc.struct_set"(%p, %c) {field = "d", offset = 8 : i64, storage = "uint32"} : (!llvm.ptr, i64) -> ()
  "cfunc.struct_set"(%p, %d) {field = "c", offset = 4 : i64, storage = "int32"} : (!llvm.ptr, i64) -> ()
  "cfunc.struct_set"(%p, %f) {field = "f", offset = 21 : i64, storage = "float32"} : (!llvm.ptr, f64) -> ()
  return
}

// CHECK-LABEL: func.func @io(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr, %arg4: !llvm.ptr) {
// CHECK-NEXT: %c1_i8 = arith.constant 1 : i8
// CHECK-NEXT: %c0_i8 = arith.constant 0 : i8
// CHECK-NEXT: %0 = llvm.load %arg2 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %0 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> i64
// CHECK-NEXT: %2 = llvm.getelementptr %arg2[2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %3 = llvm.load %2 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %4 = llvm.load %3 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> i8
// CHECK-NEXT: %5 = arith.cmpi ne, %4, %c0_i8 : i8
// CHECK-NEXT: %6 = llvm.getelementptr %arg3[1] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %7 = llvm.load %6 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> i8
// CHECK-NEXT: %8 = arith.cmpi ne, %7, %c0_i8 : i8
// CHECK-NEXT: %9 = llvm.getelementptr %arg4[2] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %10 = llvm.load %9 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> i8
// CHECK-NEXT: %11 = arith.cmpi ne, %10, %c0_i8 : i8
// CHECK-NEXT: %12 = arith.andi %8, %11 : i1
// CHECK-NEXT: %13 = arith.andi %12, %5 : i1
// CHECK-NEXT: %14 = llvm.load %arg0 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: llvm.store %1, %14 {tbaa = [#tbaa_tag1]} : i64, !llvm.ptr
// CHECK-NEXT: llvm.store %c1_i8, %arg1 : i8, !llvm.ptr
// CHECK-NEXT: %15 = llvm.getelementptr %arg0[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %16 = llvm.load %15 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %17 = arith.extui %13 : i1 to i8
// CHECK-NEXT: llvm.store %17, %16 {tbaa = [#tbaa_tag1]} : i8, !llvm.ptr
// CHECK-NEXT: %18 = llvm.getelementptr %arg1[1] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: llvm.store %c1_i8, %18 : i8, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @guarded(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr, %arg4: !llvm.ptr) {
// CHECK-NEXT: %c1_i8 = arith.constant 1 : i8
// CHECK-NEXT: %0 = llvm.mlir.addressof @__cfunc_zero : !llvm.ptr
// CHECK-NEXT: %c0_i8 = arith.constant 0 : i8
// CHECK-NEXT: %1 = llvm.getelementptr %arg4[1] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %2 = llvm.load %1 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> i8
// CHECK-NEXT: %3 = arith.cmpi ne, %2, %c0_i8 : i8
// CHECK-NEXT: %4 = llvm.getelementptr %arg2[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %5 = llvm.load %4 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %6 = arith.select %3, %5, %0 : !llvm.ptr
// CHECK-NEXT: %7 = llvm.load %6 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> f64
// CHECK-NEXT: %8 = llvm.load %arg0 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: llvm.store %7, %8 {tbaa = [#tbaa_tag1]} : f64, !llvm.ptr
// CHECK-NEXT: llvm.store %c1_i8, %arg1 : i8, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @structs(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr) {
// CHECK-NEXT: %c1_i8 = arith.constant 1 : i8
// CHECK-NEXT: %c24_i64 = arith.constant 24 : i64
// CHECK-NEXT: %c0_i8 = arith.constant 0 : i8
// CHECK-NEXT: %0 = llvm.load %arg2 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %1 = llvm.load %0 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : !llvm.ptr -> f64
// CHECK-NEXT: %2 = llvm.getelementptr %0[16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %3 = llvm.load %2 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : !llvm.ptr -> i8
// CHECK-NEXT: %4 = arith.cmpi ne, %3, %c0_i8 : i8
// CHECK-NEXT: %5 = llvm.load %arg0 {tbaa = [#tbaa_tag]} : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: "llvm.intr.memset"(%5, %c0_i8, %c24_i64) <{isVolatile = false}> : (!llvm.ptr, i8, i64) -> ()
// CHECK-NEXT: llvm.store %1, %5 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : f64, !llvm.ptr
// CHECK-NEXT: %6 = llvm.getelementptr %5[16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %7 = arith.extui %4 : i1 to i8
// CHECK-NEXT: llvm.store %7, %6 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : i8, !llvm.ptr
// CHECK-NEXT: llvm.store %c1_i8, %arg1 : i8, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: }
// CHECK-LABEL: func.func @narrow(%arg0: !llvm.ptr) {
// CHECK-NEXT: %0 = llvm.getelementptr %arg0[1] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %1 = llvm.load %0 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : !llvm.ptr -> i8
// CHECK-NEXT: %2 = arith.extsi %1 : i8 to i64
// CHECK-NEXT: %3 = llvm.getelementptr %arg0[2] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %4 = llvm.load %3 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : !llvm.ptr -> i16
// CHECK-NEXT: %5 = arith.extui %4 : i16 to i64
// CHECK-NEXT: %6 = llvm.getelementptr %arg0[4] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %7 = llvm.load %6 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : !llvm.ptr -> i32
// CHECK-NEXT: %8 = llvm.getelementptr %arg0[8] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %9 = llvm.load %8 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : !llvm.ptr -> i32
// CHECK-NEXT: %10 = llvm.getelementptr %arg0[13] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %11 = llvm.load %10 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : !llvm.ptr -> i64
// CHECK-NEXT: %12 = llvm.getelementptr %arg0[21] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %13 = llvm.load %12 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : !llvm.ptr -> f32
// CHECK-NEXT: %14 = llvm.getelementptr %arg0[2] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %15 = arith.trunci %2 : i64 to i16
// CHECK-NEXT: llvm.store %15, %14 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : i16, !llvm.ptr
// CHECK-NEXT: %16 = llvm.getelementptr %arg0[1] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: %17 = arith.trunci %11 : i64 to i8
// CHECK-NEXT: llvm.store %17, %16 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : i8, !llvm.ptr
// CHECK-NEXT: %18 = llvm.getelementptr %arg0[13] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: llvm.store %5, %18 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : i64, !llvm.ptr
// CHECK-NEXT: %19 = llvm.getelementptr %arg0[8] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: llvm.store %7, %19 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : i32, !llvm.ptr
// CHECK-NEXT: %20 = llvm.getelementptr %arg0[4] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: llvm.store %9, %20 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : i32, !llvm.ptr
// CHECK-NEXT: %21 = llvm.getelementptr %arg0[21] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK-NEXT: llvm.store %13, %21 {alignment = 1 : i64, tbaa = [#tbaa_tag1]} : f32, !llvm.ptr
// CHECK-NEXT: return
// CHECK-NEXT: }
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-lower-io
// STATS-NEXT: (cfunc.input_value) 4 - ops rewritten
// STATS-NEXT: (cfunc.guarded_input) 1 - ops rewritten
// STATS-NEXT: (cfunc.input_ticked) 1 - ops rewritten
// STATS-NEXT: (cfunc.input_valid) 2 - ops rewritten
// STATS-NEXT: (cfunc.output_ptr) 1 - ops rewritten
// STATS-NEXT: (cfunc.output_tick) 1 - ops rewritten
// STATS-NEXT: (cfunc.struct_get) 8 - ops rewritten
// STATS-NEXT: (cfunc.struct_set) 8 - ops rewritten
// STATS-NEXT: (cfunc.struct_zero) 1 - ops rewritten
// STATS-NEXT: (cfunc.output) 3 - ops rewritten
