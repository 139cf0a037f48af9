# int-pow-to-mul alone after cfunc-resolve: n ** 5 becomes three mulis,
# n ** 2 one, n ** 0 the constant 1; n ** n (no constant), n ** 9 (too
# large) and the float x ** 2 (libm's pow is not x * x to the last bit)
# stay.
# RUN: research-opt %s --function pw --pass-pipeline=cfunc-resolve,int-pow-to-mul | FileCheck %s
# RUN: research-opt %s --function pw --pass-pipeline=cfunc-resolve,int-pow-to-mul --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
# In the default pipeline, right after cfunc-resolve:
# RUN: research-opt --list-passes | FileCheck %s --check-prefix=LIST
# RUN: research-opt %s --function pw --emit-stage int-pow-to-mul | FileCheck %s
# The default pipeline lowers what is left; only n ** n and n ** 9 loop:
# RUN: research-opt %s --function pw --emit-stage cfunc-lower-arith | FileCheck %s --check-prefix=LOOPS
# A pass it does not know is a usage error:
# RUN: not research-opt %s --function pw --pass-pipeline=cfunc-resolve,pow-to-mul 2>&1 | FileCheck %s --check-prefix=UNKNOWN


def pw(x: Signal[float], n: Signal[int]) -> Signal[float]:
    a = n ** 5
    b = n ** 2
    c = n ** 0
    d = n ** n
    e = n ** 9
    return x ** 2 + a + b + c + d + e

# CHECK-LABEL: func.func private @pw.execute
# CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
# CHECK-DAG: %[[NINE:.*]] = arith.constant 9 : i64
# CHECK: %[[N:.*]] = "cfunc.guarded_input"(%arg4, %{{.*}}) {index = 1 : i64} : (!llvm.ptr, i1) -> i64
# CHECK: %[[N2:.*]] = arith.muli %[[N]], %[[N]] : i64
# CHECK-NEXT: %[[N4:.*]] = arith.muli %[[N2]], %[[N2]] : i64
# CHECK-NEXT: %[[N5:.*]] = arith.muli %[[N]], %[[N4]] : i64
# CHECK-NEXT: llvm.store %[[N5]]
# CHECK: %[[B:.*]] = arith.muli %[[N]], %[[N]] : i64
# CHECK-NEXT: llvm.store %[[B]]
# CHECK: llvm.store %[[ONE]]
# CHECK: "cfunc.ipow"(%[[N]], %[[N]])
# CHECK: "cfunc.ipow"(%[[N]], %[[NINE]])
# CHECK-NOT: cfunc.ipow
# CHECK: math.powf
# CHECK: return

# STATS: int-pow-to-mul
# STATS-DAG: (cfunc.ipow) 3 - ops rewritten
# STATS-DAG: (skipped) 2 - powers left as loops

# LIST: cfunc-resolve
# LIST-NEXT: int-pow-to-mul {{.*}}(registered)
# LIST-NEXT: cfunc-lower-arith

# LOOPS-LABEL: func.func private @pw.execute
# LOOPS-COUNT-2: scf.while
# LOOPS-NOT: scf.while

# UNKNOWN: research-opt: error: --pass-pipeline: 'pow-to-mul' is neither a cfunc pass nor an MLIR pass
