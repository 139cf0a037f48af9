# RUN: cfunc-opt --function f < %s | cfunc-opt --emit-stage cfunc-lower-io | FileCheck %s
# Python on stdin (with --function) and MLIR on stdin, in a pipe.
# BLESS: CHECK @f.execute(
def f(x: Signal[bool]) -> Signal[bool]:
    return not x

# CHECK-LABEL: call @f.execute(%arg0, %arg1, %arg2, %arg3, %arg4, %arg5, %arg6) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, i8, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
