# cfuncc: --function acc
# RUN: cfunc-opt %s --function acc --pass-pipeline='builtin.module(cfunc-simplify-containers)' | FileCheck %s
# The read after the write of the same key is forwarded: one dict_get (with
# its default) and one dict_set remain, and the output is the stored value.
# The len after an append is the earlier len plus one.
# CHECK-LABEL: func.func private @acc.execute
# CHECK: %[[OLD:.*]] = "cfunc.dict_get"(%[[D:[0-9]+]], %[[K:[0-9]+]], %{{.*}})
# CHECK: %[[NEW:.*]] = arith.addf %[[OLD]], %{{.*}} : f64
# CHECK: "cfunc.dict_set"(%[[D]], %[[K]], %[[NEW]])
# CHECK-NOT: "cfunc.dict_get"
# CHECK: %[[N:.*]] = "cfunc.len"(%[[L:[0-9]+]])
# CHECK: "cfunc.list_append"(%[[L]], %{{.*}})
# CHECK: %[[N1:.*]] = arith.addi %[[N]], %{{.*}} : i64
# CHECK-NOT: "cfunc.len"
# CHECK: "cfunc.output"(%arg0, %arg1, %[[NEW]]) {index = 0
# CHECK: "cfunc.output"(%arg0, %arg1, %[[N1]]) {index = 1
def acc(k: Signal[int], v: Signal[float]) -> Outputs(total=float, count=int):
    sums: State[NumbaDict] = create_new_dict(int, float)
    xs: State[NumbaList] = create_new_list(float)
    sums[k] = sums.get(k, 0.0) + v
    n = len(xs)
    xs.append(v)
    return sums[k], len(xs)
