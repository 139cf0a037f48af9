// RUN: cfunc-opt %s --verify-diagnostics --pass-pipeline='builtin.module(cfunc-lower-lifecycle)'
//
// cfunc-lower-lifecycle after convert-func-to-llvm (found by the mutation
// fuzzer: it read an llvm.func's type as a function type and crashed): the
// phase functions must still be func.func, and otherwise it is a located
// error.

// expected-error @+1 {{phase function @n.execute is a llvm.func, not a func.func: run cfunc-lower-lifecycle before convert-func-to-llvm (cfunc-to-llvm)}}
"cfunc.lifecycle"() {execute = @n.execute, node = "n", start = @n.start, stop = @n.stop} : () -> ()
llvm.func @n.start(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: i8) {
  llvm.return
}
llvm.func @n.execute(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: i8) {
  llvm.return
}
llvm.func @n.stop(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: i8) {
  llvm.return
}
