// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-lifecycle)' | FileCheck %s
//
// cfunc-lower-lifecycle: `cfunc.lifecycle` names the node's three phase
// functions; the pass replaces it with the exported ABI function, which
// switches on the lifecycle_phase argument (the i8 parameter):
// 0 = EXECUTE, 1 = START, 2 = STOP, anything else does nothing.
//
// BLESS: CHECK func.func @node(

"cfunc.lifecycle"() {execute = @node.execute, node = "node", start = @node.start, stop = @node.stop} : () -> ()
func.func private @node.start(%outputs: !llvm.ptr, %ticked: !llvm.ptr, %state: !llvm.ptr, %phase: i8) {
  return
}
func.func private @node.stop(%outputs: !llvm.ptr, %ticked: !llvm.ptr, %state: !llvm.ptr, %phase: i8) {
  return
}
func.func private @node.execute(%outputs: !llvm.ptr, %ticked: !llvm.ptr, %state: !llvm.ptr, %phase: i8) {
  return
}

// CHECK-LABEL: func.func @node(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: i8) {
// CHECK-NEXT: cf.switch %arg3 : i8, [
// CHECK-NEXT: default: ^bb1,
// CHECK-NEXT: 0: ^bb2,
// CHECK-NEXT: 1: ^bb3,
// CHECK-NEXT: 2: ^bb4
// CHECK-NEXT: ]
// CHECK-NEXT: ^bb1:  // 4 preds: ^bb0, ^bb2, ^bb3, ^bb4
// CHECK-NEXT: return
// CHECK-NEXT: ^bb2:  // pred: ^bb0
// CHECK-NEXT: call @node.execute(%arg0, %arg1, %arg2, %arg3) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, i8) -> ()
// CHECK-NEXT: cf.br ^bb1
// CHECK-NEXT: ^bb3:  // pred: ^bb0
// CHECK-NEXT: call @node.start(%arg0, %arg1, %arg2, %arg3) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, i8) -> ()
// CHECK-NEXT: cf.br ^bb1
// CHECK-NEXT: ^bb4:  // pred: ^bb0
// CHECK-NEXT: call @node.stop(%arg0, %arg1, %arg2, %arg3) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, i8) -> ()
// CHECK-NEXT: cf.br ^bb1
// CHECK-NEXT: }
