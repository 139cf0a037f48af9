// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-arith)' | FileCheck %s
// RUN: cfunc-opt %s --pass-pipeline='builtin.module(cfunc-lower-arith)' --mlir-pass-statistics 2>&1 >/dev/null | FileCheck %s --check-prefix=STATS
//
// cfunc-lower-arith: Python's arithmetic, where it differs from C's, to
// arith/math/scf with a defined result for every input: floor division and
// modulo take the divisor's sign (int ÷ 0 gives 0; i64::MIN // -1 wraps),
// ** is a wrapping square-and-multiply loop, shifts of 64 or more give 0 or
// the sign, float → int saturates (NaN → 0). The faulting cases (negative
// shift or exponent, NaN → int) are `cfunc.check`s the frontend put before
// these ops; the pass leaves them alone.
//
// BLESS: CHECK @int_floordiv(
// BLESS: CHECK @int_mod(
// BLESS: CHECK @float_floordiv(
// BLESS: CHECK @float_mod(
// BLESS: CHECK @ipow(
// BLESS: CHECK @shifts(
// BLESS: CHECK @to_int(
// BLESS: STATS

func.func @int_floordiv(%a: i64, %b: i64) -> i64 {
  %0 = "cfunc.floordiv"(%a, %b) : (i64, i64) -> i64
  return %0 : i64
}

func.func @int_mod(%a: i64, %b: i64) -> i64 {
  %0 = "cfunc.mod"(%a, %b) : (i64, i64) -> i64
  return %0 : i64
}

func.func @float_floordiv(%a: f64, %b: f64) -> f64 {
  %0 = "cfunc.floordiv"(%a, %b) : (f64, f64) -> f64
  return %0 : f64
}

func.func @float_mod(%a: f64, %b: f64) -> f64 {
  %0 = "cfunc.mod"(%a, %b) : (f64, f64) -> f64
  return %0 : f64
}

func.func @ipow(%a: i64, %n: i64) -> i64 {
  %0 = "cfunc.ipow"(%a, %n) : (i64, i64) -> i64
  return %0 : i64
}

func.func @shifts(%a: i64, %n: i64) -> (i64, i64) {
  %0 = "cfunc.shl"(%a, %n) : (i64, i64) -> i64
  %1 = "cfunc.shr"(%a, %n) : (i64, i64) -> i64
  return %0, %1 : i64, i64
}

func.func @to_int(%x: f64) -> i64 {
  %0 = "cfunc.to_int"(%x) : (f64) -> i64
  return %0 : i64
}

// CHECK-LABEL: func.func @int_floordiv(%arg0: i64, %arg1: i64) -> i64 {
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
// CHECK-NEXT: %c-1_i64 = arith.constant -1 : i64
// CHECK-NEXT: %0 = arith.cmpi eq, %arg1, %c0_i64 : i64
// CHECK-NEXT: %1 = arith.cmpi eq, %arg1, %c-1_i64 : i64
// CHECK-NEXT: %2 = arith.ori %0, %1 : i1
// CHECK-NEXT: %3 = arith.select %2, %c1_i64, %arg1 : i64
// CHECK-NEXT: %4 = arith.divsi %arg0, %3 : i64
// CHECK-NEXT: %5 = arith.remsi %arg0, %3 : i64
// CHECK-NEXT: %6 = arith.cmpi ne, %5, %c0_i64 : i64
// CHECK-NEXT: %7 = arith.cmpi slt, %5, %c0_i64 : i64
// CHECK-NEXT: %8 = arith.cmpi slt, %3, %c0_i64 : i64
// CHECK-NEXT: %9 = arith.xori %7, %8 : i1
// CHECK-NEXT: %10 = arith.andi %6, %9 : i1
// CHECK-NEXT: %11 = arith.subi %4, %c1_i64 : i64
// CHECK-NEXT: %12 = arith.select %10, %11, %4 : i64
// CHECK-NEXT: %13 = arith.subi %c0_i64, %arg0 : i64
// CHECK-NEXT: %14 = arith.select %1, %13, %12 : i64
// CHECK-NEXT: %15 = arith.select %0, %c0_i64, %14 : i64
// CHECK-NEXT: return %15 : i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @int_mod(%arg0: i64, %arg1: i64) -> i64 {
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
// CHECK-NEXT: %c-1_i64 = arith.constant -1 : i64
// CHECK-NEXT: %0 = arith.cmpi eq, %arg1, %c0_i64 : i64
// CHECK-NEXT: %1 = arith.cmpi eq, %arg1, %c-1_i64 : i64
// CHECK-NEXT: %2 = arith.ori %0, %1 : i1
// CHECK-NEXT: %3 = arith.select %2, %c1_i64, %arg1 : i64
// CHECK-NEXT: %4 = arith.remsi %arg0, %3 : i64
// CHECK-NEXT: %5 = arith.cmpi ne, %4, %c0_i64 : i64
// CHECK-NEXT: %6 = arith.cmpi slt, %4, %c0_i64 : i64
// CHECK-NEXT: %7 = arith.cmpi slt, %3, %c0_i64 : i64
// CHECK-NEXT: %8 = arith.xori %6, %7 : i1
// CHECK-NEXT: %9 = arith.andi %5, %8 : i1
// CHECK-NEXT: %10 = arith.addi %4, %3 : i64
// CHECK-NEXT: %11 = arith.select %9, %10, %4 : i64
// CHECK-NEXT: %12 = arith.select %2, %c0_i64, %11 : i64
// CHECK-NEXT: return %12 : i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @float_floordiv(%arg0: f64, %arg1: f64) -> f64 {
// CHECK-NEXT: %cst = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %cst_0 = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %cst_1 = arith.constant 5.000000e-01 : f64
// CHECK-NEXT: %0 = arith.remf %arg0, %arg1 : f64
// CHECK-NEXT: %1 = arith.subf %arg0, %0 : f64
// CHECK-NEXT: %2 = arith.divf %1, %arg1 : f64
// CHECK-NEXT: %3 = arith.cmpf une, %0, %cst : f64
// CHECK-NEXT: %4 = arith.cmpf olt, %0, %cst : f64
// CHECK-NEXT: %5 = arith.cmpf olt, %arg1, %cst : f64
// CHECK-NEXT: %6 = arith.xori %4, %5 : i1
// CHECK-NEXT: %7 = arith.andi %3, %6 : i1
// CHECK-NEXT: %8 = arith.subf %2, %cst_0 : f64
// CHECK-NEXT: %9 = arith.select %7, %8, %2 : f64
// CHECK-NEXT: %10 = math.floor %9 : f64
// CHECK-NEXT: %11 = arith.subf %9, %10 : f64
// CHECK-NEXT: %12 = arith.cmpf ogt, %11, %cst_1 : f64
// CHECK-NEXT: %13 = arith.addf %10, %cst_0 : f64
// CHECK-NEXT: %14 = arith.select %12, %13, %10 : f64
// CHECK-NEXT: %15 = arith.cmpf une, %9, %cst : f64
// CHECK-NEXT: %16 = arith.divf %arg0, %arg1 : f64
// CHECK-NEXT: %17 = math.copysign %cst, %16 : f64
// CHECK-NEXT: %18 = arith.select %15, %14, %17 : f64
// CHECK-NEXT: %19 = arith.cmpf oeq, %arg1, %cst : f64
// CHECK-NEXT: %20 = arith.select %19, %16, %18 : f64
// CHECK-NEXT: return %20 : f64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @float_mod(%arg0: f64, %arg1: f64) -> f64 {
// CHECK-NEXT: %cst = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %0 = arith.remf %arg0, %arg1 : f64
// CHECK-NEXT: %1 = arith.cmpf une, %0, %cst : f64
// CHECK-NEXT: %2 = arith.cmpf olt, %0, %cst : f64
// CHECK-NEXT: %3 = arith.cmpf olt, %arg1, %cst : f64
// CHECK-NEXT: %4 = arith.xori %2, %3 : i1
// CHECK-NEXT: %5 = arith.andi %1, %4 : i1
// CHECK-NEXT: %6 = arith.addf %0, %arg1 : f64
// CHECK-NEXT: %7 = arith.select %5, %6, %0 : f64
// CHECK-NEXT: %8 = math.copysign %cst, %arg1 : f64
// CHECK-NEXT: %9 = arith.select %1, %7, %8 : f64
// CHECK-NEXT: return %9 : f64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @ipow(%arg0: i64, %arg1: i64) -> i64 {
// CHECK-NEXT: %c1_i64 = arith.constant 1 : i64
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %0:3 = scf.while (%arg2 = %c1_i64, %arg3 = %arg0, %arg4 = %arg1) : (i64, i64, i64) -> (i64, i64, i64) {
// CHECK-NEXT: %1 = arith.cmpi sgt, %arg4, %c0_i64 : i64
// CHECK-NEXT: scf.condition(%1) %arg2, %arg3, %arg4 : i64, i64, i64
// CHECK-NEXT: } do {
// CHECK-NEXT: ^bb0(%arg2: i64, %arg3: i64, %arg4: i64):
// CHECK-NEXT: %1 = arith.andi %arg4, %c1_i64 : i64
// CHECK-NEXT: %2 = arith.cmpi ne, %1, %c0_i64 : i64
// CHECK-NEXT: %3 = arith.muli %arg2, %arg3 : i64
// CHECK-NEXT: %4 = arith.select %2, %3, %arg2 : i64
// CHECK-NEXT: %5 = arith.muli %arg3, %arg3 : i64
// CHECK-NEXT: %6 = arith.shrsi %arg4, %c1_i64 : i64
// CHECK-NEXT: scf.yield %4, %5, %6 : i64, i64, i64
// CHECK-NEXT: }
// CHECK-NEXT: return %0#0 : i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @shifts(%arg0: i64, %arg1: i64) -> (i64, i64) {
// CHECK-NEXT: %c0_i64 = arith.constant 0 : i64
// CHECK-NEXT: %c63_i64 = arith.constant 63 : i64
// CHECK-NEXT: %0 = arith.cmpi sgt, %arg1, %c63_i64 : i64
// CHECK-NEXT: %1 = arith.cmpi slt, %arg1, %c0_i64 : i64
// CHECK-NEXT: %2 = arith.ori %0, %1 : i1
// CHECK-NEXT: %3 = arith.select %2, %c0_i64, %arg1 : i64
// CHECK-NEXT: %4 = arith.shli %arg0, %3 : i64
// CHECK-NEXT: %5 = arith.select %2, %c0_i64, %4 : i64
// CHECK-NEXT: %6 = arith.cmpi sgt, %arg1, %c63_i64 : i64
// CHECK-NEXT: %7 = arith.cmpi slt, %arg1, %c0_i64 : i64
// CHECK-NEXT: %8 = arith.select %6, %c63_i64, %arg1 : i64
// CHECK-NEXT: %9 = arith.select %7, %c0_i64, %8 : i64
// CHECK-NEXT: %10 = arith.shrsi %arg0, %9 : i64
// CHECK-NEXT: return %5, %10 : i64, i64
// CHECK-NEXT: }
// CHECK-LABEL: func.func @to_int(%arg0: f64) -> i64 {
// CHECK-NEXT: %c-9223372036854775808_i64 = arith.constant -9223372036854775808 : i64
// CHECK-NEXT: %c9223372036854775807_i64 = arith.constant 9223372036854775807 : i64
// CHECK-NEXT: %cst = arith.constant -9.2233720368547758E+18 : f64
// CHECK-NEXT: %cst_0 = arith.constant 9.2233720368547758E+18 : f64
// CHECK-NEXT: %cst_1 = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: %0 = arith.cmpf oge, %arg0, %cst : f64
// CHECK-NEXT: %1 = arith.cmpf olt, %arg0, %cst_0 : f64
// CHECK-NEXT: %2 = arith.andi %0, %1 : i1
// CHECK-NEXT: %3 = arith.select %2, %arg0, %cst_1 : f64
// CHECK-NEXT: %4 = arith.fptosi %3 : f64 to i64
// CHECK-NEXT: %5 = arith.cmpf oge, %arg0, %cst_0 : f64
// CHECK-NEXT: %6 = arith.cmpf olt, %arg0, %cst : f64
// CHECK-NEXT: %7 = arith.select %5, %c9223372036854775807_i64, %4 : i64
// CHECK-NEXT: %8 = arith.select %6, %c-9223372036854775808_i64, %7 : i64
// CHECK-NEXT: return %8 : i64
// CHECK-NEXT: }
// STATS: ===-------------------------------------------------------------------------===
// STATS-NEXT: ... Pass statistics report ...
// STATS-NEXT: ===-------------------------------------------------------------------------===
// STATS-NEXT: cfunc-lower-arith
// STATS-NEXT: (cfunc.floordiv) 2 - ops rewritten
// STATS-NEXT: (cfunc.mod) 2 - ops rewritten
// STATS-NEXT: (cfunc.ipow) 1 - ops rewritten
// STATS-NEXT: (cfunc.shl) 1 - ops rewritten
// STATS-NEXT: (cfunc.shr) 1 - ops rewritten
// STATS-NEXT: (cfunc.to_int) 1 - ops rewritten
