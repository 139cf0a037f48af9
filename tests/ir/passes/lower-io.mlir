// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-io)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-io)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-lower-io: signal inputs and outputs to loads and stores through
// the ABI's arrays of pointers to 8-byte cells. A bool cell is one byte
// (nonzero = true); the ticked and valid flags are bytes too. Loads of the
// pointer arrays and accesses to the cells carry different TBAA tags, so
// LLVM knows a cell write never changes a pointer array.
//
// BLESS: CHECK @io(
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
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-lower-io
// STATS-NEXT: (cfunc.input_value) 3 - ops rewritten
// STATS-NEXT: (cfunc.input_ticked) 1 - ops rewritten
// STATS-NEXT: (cfunc.input_valid) 1 - ops rewritten
// STATS-NEXT: (cfunc.output) 2 - ops rewritten
