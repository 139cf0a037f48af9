// The cfunc dialect: the explicit model of a stream-processing node.
//
// Loaded into every MLIR context cfuncc creates (src/dialect/mod.rs). IRDL
// verifies operand, result and attribute shapes; ops print in generic form.
// dialect/README.md documents every op and the pass that lowers it.
irdl.dialect @cfunc {
  // ---- Signal inputs: the `signal` source category's ABI pointers.
  irdl.operation @input_value {
    %ptr = irdl.is !llvm.ptr
    %index = irdl.base "#builtin.integer"
    %any = irdl.any
    irdl.operands(inputs: %ptr)
    irdl.attributes { "index" = %index }
    irdl.results(value: %any)
  }
  irdl.operation @input_ticked {
    %ptr = irdl.is !llvm.ptr
    %index = irdl.base "#builtin.integer"
    %i1 = irdl.is i1
    irdl.operands(input_ticked: %ptr)
    irdl.attributes { "index" = %index }
    irdl.results(flag: %i1)
  }
  irdl.operation @input_valid {
    %ptr = irdl.is !llvm.ptr
    %index = irdl.base "#builtin.integer"
    %i1 = irdl.is i1
    irdl.operands(input_valid: %ptr)
    irdl.attributes { "index" = %index }
    irdl.results(flag: %i1)
  }

  // ---- Outputs: write the cell and raise the ticked flag.
  irdl.operation @output {
    %ptr = irdl.is !llvm.ptr
    %index = irdl.base "#builtin.integer"
    %any = irdl.any
    irdl.operands(outputs: %ptr, output_ticked: %ptr, value: %any)
    irdl.attributes { "index" = %index }
    irdl.results()
  }

  // ---- State: host-owned 8-byte cells addressed by slot.
  irdl.operation @state_load {
    %ptr = irdl.is !llvm.ptr
    %slot = irdl.base "#builtin.integer"
    %any = irdl.any
    irdl.operands(state: %ptr)
    irdl.attributes { "slot" = %slot }
    irdl.results(value: %any)
  }
  irdl.operation @state_store {
    %ptr = irdl.is !llvm.ptr
    %slot = irdl.base "#builtin.integer"
    %any = irdl.any
    irdl.operands(state: %ptr, value: %any)
    irdl.attributes { "slot" = %slot }
    irdl.results()
  }

  // ---- Lifecycle: the node's phases. Each phase is a func.func taking the
  // ABI pointers; cfunc-lower-lifecycle builds the exported ABI function that
  // dispatches on lifecycle_phase.
  irdl.operation @lifecycle {
    %name = irdl.base "#builtin.string"
    %start = irdl.base "#builtin.symbol_ref"
    %execute = irdl.base "#builtin.symbol_ref"
    %stop = irdl.base "#builtin.symbol_ref"
    irdl.operands()
    irdl.attributes { "node" = %name, "start" = %start, "execute" = %execute, "stop" = %stop }
    irdl.results()
  }

  // ---- Faults: stop the tick with a code and the op's source location.
  irdl.operation @check {
    %i1 = irdl.is i1
    %code = irdl.base "#builtin.integer"
    irdl.operands(fault_if: %i1)
    irdl.attributes { "code" = %code }
    irdl.results()
  }

  // ---- Unresolved calls, resolved by registered patterns in cfunc-resolve.
  // Arguments are six optional groups, each with its own type constraint
  // (IRDL unifies the element types of one variadic group); the frontend
  // sets operandSegmentSizes.
  irdl.operation @call {
    %callee = irdl.base "#builtin.string"
    %a0 = irdl.any
    %a1 = irdl.any
    %a2 = irdl.any
    %a3 = irdl.any
    %a4 = irdl.any
    %a5 = irdl.any
    %result = irdl.any
    irdl.operands(a0: optional %a0, a1: optional %a1, a2: optional %a2, a3: optional %a3, a4: optional %a4, a5: optional %a5)
    irdl.attributes { "callee" = %callee }
    irdl.results(result: optional %result)
  }
  irdl.operation @getattr {
    %name = irdl.base "#builtin.string"
    %object = irdl.any
    %value = irdl.any
    irdl.operands(object: optional %object)
    irdl.attributes { "name" = %name }
    irdl.results(value: %value)
  }
  irdl.operation @method {
    %name = irdl.base "#builtin.string"
    %receiver = irdl.any
    %a0 = irdl.any
    %a1 = irdl.any
    %a2 = irdl.any
    %a3 = irdl.any
    %a4 = irdl.any
    %result = irdl.any
    irdl.operands(receiver: %receiver, a0: optional %a0, a1: optional %a1, a2: optional %a2, a3: optional %a3, a4: optional %a4)
    irdl.attributes { "name" = %name }
    irdl.results(result: optional %result)
  }

  // ---- Python arithmetic whose semantics differ from arith's.
  irdl.operation @floordiv {
    %i64 = irdl.is i64
    %f64 = irdl.is f64
    %num = irdl.any_of(%i64, %f64)
    irdl.operands(lhs: %num, rhs: %num)
    irdl.results(result: %num)
  }
  irdl.operation @mod {
    %i64 = irdl.is i64
    %f64 = irdl.is f64
    %num = irdl.any_of(%i64, %f64)
    irdl.operands(lhs: %num, rhs: %num)
    irdl.results(result: %num)
  }
  irdl.operation @ipow {
    %i64 = irdl.is i64
    irdl.operands(base: %i64, exponent: %i64)
    irdl.results(result: %i64)
  }
  irdl.operation @shl {
    %i64 = irdl.is i64
    irdl.operands(value: %i64, amount: %i64)
    irdl.results(result: %i64)
  }
  irdl.operation @shr {
    %i64 = irdl.is i64
    irdl.operands(value: %i64, amount: %i64)
    irdl.results(result: %i64)
  }
  irdl.operation @to_int {
    %f64 = irdl.is f64
    %i64 = irdl.is i64
    irdl.operands(value: %f64)
    irdl.results(result: %i64)
  }
}
