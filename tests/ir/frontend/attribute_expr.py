# cfuncc: --function f
# RUN: cfunc-opt %s --function f | FileCheck %s
# An attribute of a value (`t.year`, a registered property) is a
# cfunc.method with the receiver as its only operand, named by the
# receiver's type; a method call carries its arguments after it.
# BLESS: CHECK @f.execute(
# run: [1709210096789012000, -1000] -> {"ymd": 20240229, "wd": 2}
# run: [0, 86400000000000] -> {"ymd": 19700101, "wd": 5}
from datetime import datetime, timedelta


def f(t: Signal[datetime], d: Signal[timedelta]) -> Outputs(ymd=int, wd=int):
    ymd = t.year * 10000 + t.month * 100 + t.day
    return ymd, (t + d).weekday() + d.days

# CHECK-LABEL: func.func private @f.execute(%arg0: !llvm.ptr {llvm.name = "outputs"}, %arg1: !llvm.ptr {llvm.name = "output_ticked"}, %arg2: !llvm.ptr {llvm.name = "state"}, %arg3: i8 {llvm.name = "lifecycle_phase"}, %arg4: !llvm.ptr {llvm.name = "inputs"}, %arg5: !llvm.ptr {llvm.name = "input_ticked"}, %arg6: !llvm.ptr {llvm.name = "input_valid"}) {
# CHECK-NEXT: %c1_i32 = arith.constant 1 : i32
# CHECK-NEXT: %0 = llvm.alloca %c1_i32 x i64 : (i32) -> !llvm.ptr
# CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
# CHECK-NEXT: llvm.store %c0_i64, %0 : i64, !llvm.ptr
# CHECK-NEXT: cf.br ^bb1
# CHECK-NEXT: ^bb1:  // pred: ^bb0
# CHECK-NEXT: %1 = "cfunc.input_valid"(%arg6) {index = 0 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %2 = "cfunc.guarded_input"(%arg4, %1) {index = 0 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %3 = "cfunc.input_valid"(%arg6) {index = 1 : i64} : (!llvm.ptr) -> i1
# CHECK-NEXT: %4 = "cfunc.guarded_input"(%arg4, %3) {index = 1 : i64} : (!llvm.ptr, i1) -> i64
# CHECK-NEXT: %true = arith.constant true
# CHECK-NEXT: %5 = arith.xori %1, %true : i1
# CHECK-NEXT: "cfunc.check"(%5) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %6 = "cfunc.method"(%2) {name = "datetime.year", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %c10000_i64 = arith.constant 10000 : i64
# CHECK-NEXT: %7 = arith.muli %6, %c10000_i64 : i64
# CHECK-NEXT: %true_0 = arith.constant true
# CHECK-NEXT: %8 = arith.xori %1, %true_0 : i1
# CHECK-NEXT: "cfunc.check"(%8) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %9 = "cfunc.method"(%2) {name = "datetime.month", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %c100_i64 = arith.constant 100 : i64
# CHECK-NEXT: %10 = arith.muli %9, %c100_i64 : i64
# CHECK-NEXT: %11 = arith.addi %7, %10 : i64
# CHECK-NEXT: %true_1 = arith.constant true
# CHECK-NEXT: %12 = arith.xori %1, %true_1 : i1
# CHECK-NEXT: "cfunc.check"(%12) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %13 = "cfunc.method"(%2) {name = "datetime.day", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %14 = arith.addi %11, %13 : i64
# CHECK-NEXT: llvm.store %14, %0 : i64, !llvm.ptr
# CHECK-NEXT: %15 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %true_2 = arith.constant true
# CHECK-NEXT: %16 = arith.xori %1, %true_2 : i1
# CHECK-NEXT: "cfunc.check"(%16) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %true_3 = arith.constant true
# CHECK-NEXT: %17 = arith.xori %3, %true_3 : i1
# CHECK-NEXT: "cfunc.check"(%17) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %18 = arith.addi %2, %4 : i64
# CHECK-NEXT: %19 = "cfunc.method"(%18) {name = "datetime.weekday", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %true_4 = arith.constant true
# CHECK-NEXT: %20 = arith.xori %3, %true_4 : i1
# CHECK-NEXT: "cfunc.check"(%20) {code = 14 : i32} : (i1) -> ()
# CHECK-NEXT: %21 = "cfunc.method"(%4) {name = "timedelta.days", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %22 = arith.addi %19, %21 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %15) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %22) {index = 1 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
