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
# CHECK-NEXT: %1 = "cfunc.input_value"(%arg4) {index = 0 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %2 = "cfunc.input_value"(%arg4) {index = 1 : i64} : (!llvm.ptr) -> i64
# CHECK-NEXT: %3 = "cfunc.method"(%1) {name = "datetime.year", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %c10000_i64 = arith.constant 10000 : i64
# CHECK-NEXT: %4 = arith.muli %3, %c10000_i64 : i64
# CHECK-NEXT: %5 = "cfunc.method"(%1) {name = "datetime.month", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %c100_i64 = arith.constant 100 : i64
# CHECK-NEXT: %6 = arith.muli %5, %c100_i64 : i64
# CHECK-NEXT: %7 = arith.addi %4, %6 : i64
# CHECK-NEXT: %8 = "cfunc.method"(%1) {name = "datetime.day", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %9 = arith.addi %7, %8 : i64
# CHECK-NEXT: llvm.store %9, %0 : i64, !llvm.ptr
# CHECK-NEXT: %10 = llvm.load %0 : !llvm.ptr -> i64
# CHECK-NEXT: %11 = arith.addi %1, %2 : i64
# CHECK-NEXT: %12 = "cfunc.method"(%11) {name = "datetime.weekday", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %13 = "cfunc.method"(%2) {name = "timedelta.days", operandSegmentSizes = array<i32: 1, 0, 0, 0, 0, 0>} : (i64) -> i64
# CHECK-NEXT: %14 = arith.addi %12, %13 : i64
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %10) {index = 0 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: "cfunc.output"(%arg0, %arg1, %14) {index = 1 : i64} : (!llvm.ptr, !llvm.ptr, i64) -> ()
# CHECK-NEXT: cf.br ^bb2
# CHECK-NEXT: ^bb2:  // pred: ^bb1
# CHECK-NEXT: return
# CHECK-NEXT: }
