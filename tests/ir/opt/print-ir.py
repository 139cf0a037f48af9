# RUN: cfunc-opt %s --function f --pass-pipeline='builtin.module(cfunc-simplify-containers,cfunc-lower-arith,cfunc-lower-io)' --mlir-print-ir-after-change 2>&1 >/dev/null | FileCheck %s --check-prefix=CHANGE
# RUN: cfunc-opt %s --function f --pass-pipeline='builtin.module(cfunc-resolve,cfunc-lower-arith)' --mlir-print-ir-before-all --mlir-print-ir-after-all 2>&1 >/dev/null | grep 'IR Dump' | FileCheck %s --check-prefix=ALL
# RUN: rm -rf %t && cfunc-opt %s --function f --emit-stage cfunc-lower-state --mlir-print-ir-tree-dir %t > %t.out && ls %t/builtin_module_no-symbol-name | FileCheck %s --check-prefix=TREE
# RUN: sed 1d %t/builtin_module_no-symbol-name/9_cfunc-lower-state.mlir | diff -B - %t.out
# MLIR's IR printing instruments the cfunc passes (named by class, then by
# pipeline argument). --mlir-print-ir-after-change prints after
# cfunc-lower-arith and cfunc-lower-io but not after
# cfunc-simplify-containers, which finds no container here;
# --mlir-print-ir-tree-dir writes MLIR's tree: a folder per op the passes
# ran on, one file per pass numbered from 0, each a header line, then the IR.
# BLESS: CHANGE
# BLESS: ALL
# BLESS: TREE
def f(x: Signal[int]) -> Signal[int]:
    return x // 2

# CHANGE: // -----// IR Dump After CfuncLowerArith (cfunc-lower-arith) //----- //
# CHANGE-NEXT: module attributes {cfunc.fault_slot = 0 : i64} {
# CHANGE-NEXT: "cfunc.lifecycle"() {execute = @f.execute, node = "f", start = @f.start, stop = @f.stop} : () -> ()
# CHANGE-NEXT: func.func private @f.start(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHANGE-NEXT: return
# CHANGE-NEXT: }
# CHANGE-NEXT: func.func private @f.stop(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHANGE-NEXT: return
# CHANGE-NEXT: }
# CHANGE-NEXT: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHANGE-NEXT: %c1_i64 = arith.constant 1 : i64
# CHANGE-NEXT: %c0_i64 = arith.constant 0 : i64
# CHANGE-NEXT: %c2_i64 = arith.constant 2 : i64
# CHANGE-NEXT: %true = arith.constant true
# CHANGE-NEXT: cf.br ^bb1
# CHANGE-NEXT: ^bb1:  // pred: ^bb0
# CHANGE-NEXT: %0 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHANGE-NEXT: %1 = "cfunc.guarded_input"(%arg4, %0) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHANGE-NEXT: %2 = arith.xori %0, %true : i1
# CHANGE-NEXT: "cfunc.check"(%2) {code = 14 : i32} : (i1) -> ()
# CHANGE-NEXT: %3 = arith.divsi %1, %c2_i64 : i64
# CHANGE-NEXT: %4 = arith.remsi %1, %c2_i64 : i64
# CHANGE-NEXT: %5 = arith.cmpi ne, %4, %c0_i64 : i64
# CHANGE-NEXT: %6 = arith.cmpi slt, %4, %c0_i64 : i64
# CHANGE-NEXT: %7 = arith.andi %5, %6 : i1
# CHANGE-NEXT: %8 = arith.subi %3, %c1_i64 : i64
# CHANGE-NEXT: %9 = arith.select %7, %8, %3 : i64
# CHANGE-NEXT: "cfunc.output"(%arg0, %arg1, %9) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHANGE-NEXT: cf.br ^bb2
# CHANGE-NEXT: ^bb2:  // pred: ^bb1
# CHANGE-NEXT: return
# CHANGE-NEXT: }
# CHANGE-NEXT: }
# CHANGE-EMPTY:
# CHANGE-EMPTY:
# CHANGE-NEXT: // -----// IR Dump After CfuncLowerIo (cfunc-lower-io) //----- //
# CHANGE-NEXT: #tbaa_root = #llvm.tbaa_root<id = "cfunc abi">
# CHANGE-NEXT: #tbaa_type_desc = #llvm.tbaa_type_desc<id = "cfunc cell", members = {<#tbaa_root, 0>}>
# CHANGE-NEXT: #tbaa_type_desc1 = #llvm.tbaa_type_desc<id = "cfunc slot", members = {<#tbaa_root, 0>}>
# CHANGE-NEXT: #tbaa_tag = #llvm.tbaa_tag<base_type = #tbaa_type_desc, access_type = #tbaa_type_desc, offset = 0>
# CHANGE-NEXT: #tbaa_tag1 = #llvm.tbaa_tag<base_type = #tbaa_type_desc1, access_type = #tbaa_type_desc1, offset = 0>
# CHANGE-NEXT: module attributes {cfunc.fault_slot = 0 : i64} {
# CHANGE-NEXT: "cfunc.lifecycle"() {execute = @f.execute, node = "f", start = @f.start, stop = @f.stop} : () -> ()
# CHANGE-NEXT: func.func private @f.start(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHANGE-NEXT: return
# CHANGE-NEXT: }
# CHANGE-NEXT: func.func private @f.stop(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHANGE-NEXT: return
# CHANGE-NEXT: }
# CHANGE-NEXT: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHANGE-NEXT: %c1_i8 = arith.constant 1 : i8
# CHANGE-NEXT: %0 = llvm.mlir.addressof @__cfunc_zero : !llvm.ptr
# CHANGE-NEXT: %c0_i8 = arith.constant 0 : i8
# CHANGE-NEXT: %c1_i64 = arith.constant 1 : i64
# CHANGE-NEXT: %c0_i64 = arith.constant 0 : i64
# CHANGE-NEXT: %c2_i64 = arith.constant 2 : i64
# CHANGE-NEXT: %true = arith.constant true
# CHANGE-NEXT: cf.br ^bb1
# CHANGE-NEXT: ^bb1:  // pred: ^bb0
# CHANGE-NEXT: %1 = llvm.load %arg6 {tbaa = [#tbaa_tag]} : !llvm.ptr -> i8
# CHANGE-NEXT: %2 = arith.cmpi ne, %1, %c0_i8 : i8
# CHANGE-NEXT: %3 = llvm.load %arg4 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> !llvm.ptr
# CHANGE-NEXT: %4 = arith.select %2, %3, %0 : !llvm.ptr
# CHANGE-NEXT: %5 = llvm.load %4 {tbaa = [#tbaa_tag]} : !llvm.ptr -> i64
# CHANGE-NEXT: %6 = arith.xori %2, %true : i1
# CHANGE-NEXT: "cfunc.check"(%6) {code = 14 : i32} : (i1) -> ()
# CHANGE-NEXT: %7 = arith.divsi %5, %c2_i64 : i64
# CHANGE-NEXT: %8 = arith.remsi %5, %c2_i64 : i64
# CHANGE-NEXT: %9 = arith.cmpi ne, %8, %c0_i64 : i64
# CHANGE-NEXT: %10 = arith.cmpi slt, %8, %c0_i64 : i64
# CHANGE-NEXT: %11 = arith.andi %9, %10 : i1
# CHANGE-NEXT: %12 = arith.subi %7, %c1_i64 : i64
# CHANGE-NEXT: %13 = arith.select %11, %12, %7 : i64
# CHANGE-NEXT: %14 = llvm.load %arg0 {tbaa = [#tbaa_tag1]} : !llvm.ptr -> !llvm.ptr
# CHANGE-NEXT: llvm.store %13, %14 {tbaa = [#tbaa_tag]} : i64, !llvm.ptr
# CHANGE-NEXT: llvm.store %c1_i8, %arg1 : i8, !llvm.ptr
# CHANGE-NEXT: cf.br ^bb2
# CHANGE-NEXT: ^bb2:  // pred: ^bb1
# CHANGE-NEXT: return
# CHANGE-NEXT: }
# CHANGE-NEXT: llvm.mlir.global internal constant @__cfunc_zero(0 : i64) {addr_space = 0 : i32} : i64
# CHANGE-NEXT: }
# CHANGE-EMPTY:
# CHANGE-EMPTY:
# ALL: // -----// IR Dump Before CfuncResolve (cfunc-resolve) //----- //
# ALL-NEXT: // -----// IR Dump After CfuncResolve (cfunc-resolve) //----- //
# ALL-NEXT: // -----// IR Dump Before CfuncLowerArith (cfunc-lower-arith) //----- //
# ALL-NEXT: // -----// IR Dump After CfuncLowerArith (cfunc-lower-arith) //----- //
# TREE: 0_cfunc-resolve.mlir
# TREE-NEXT: 1_cfunc-lower-arith.mlir
# TREE-NEXT: 2_cfunc-simplify-containers.mlir
# TREE-NEXT: 3_cfunc-fuse-dict-updates.mlir
# TREE-NEXT: 4_cfunc-lower-containers.mlir
# TREE-NEXT: 5_cfunc-lower-arrays.mlir
# TREE-NEXT: 6_cfunc-lower-lifecycle.mlir
# TREE-NEXT: 7_cfunc-lower-faults.mlir
# TREE-NEXT: 8_cfunc-lower-io.mlir
# TREE-NEXT: 9_cfunc-lower-state.mlir
