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
  // An input's value where the host may pass NULL while it is not valid:
  // loads through inputs[index] only when `valid`, and is zero otherwise.
  irdl.operation @guarded_input {
    %ptr = irdl.is !llvm.ptr
    %i1 = irdl.is i1
    %index = irdl.base "#builtin.integer"
    %i64 = irdl.is i64
    %f64 = irdl.is f64
    %value = irdl.any_of(%i64, %f64, %i1)
    irdl.operands(inputs: %ptr, valid: %i1)
    irdl.attributes { "index" = %index }
    irdl.results(value: %value)
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

  // ---- Structs (host-defined layouts). A struct value is the address of
  // its memory: a struct input's or state's value is the pointer in
  // inputs[i] / state[i] (cfunc.input_value / cfunc.state_load with an
  // !llvm.ptr result). A struct output is filled field by field through
  // cfunc.output_ptr and then ticked with cfunc.output_tick. A field's
  // value is i64, f64 or i1; "storage" says how the host's struct holds it
  // (int8 ... uint64, float32, float64, bool), at any offset.
  irdl.operation @struct_get {
    %ptr = irdl.is !llvm.ptr
    %offset = irdl.base "#builtin.integer"
    %name = irdl.base "#builtin.string"
    %s_i8 = irdl.is "int8"
    %s_i16 = irdl.is "int16"
    %s_i32 = irdl.is "int32"
    %s_i64 = irdl.is "int64"
    %s_u8 = irdl.is "uint8"
    %s_u16 = irdl.is "uint16"
    %s_u32 = irdl.is "uint32"
    %s_u64 = irdl.is "uint64"
    %s_f32 = irdl.is "float32"
    %s_f64 = irdl.is "float64"
    %s_bool = irdl.is "bool"
    %storage = irdl.any_of(%s_i8, %s_i16, %s_i32, %s_i64, %s_u8, %s_u16, %s_u32, %s_u64, %s_f32, %s_f64, %s_bool)
    %i64 = irdl.is i64
    %f64 = irdl.is f64
    %i1 = irdl.is i1
    %field = irdl.any_of(%i64, %f64, %i1)
    irdl.operands(struct: %ptr)
    irdl.attributes { "offset" = %offset, "field" = %name, "storage" = %storage }
    irdl.results(value: %field)
  }
  irdl.operation @struct_set {
    %ptr = irdl.is !llvm.ptr
    %offset = irdl.base "#builtin.integer"
    %name = irdl.base "#builtin.string"
    %s_i8 = irdl.is "int8"
    %s_i16 = irdl.is "int16"
    %s_i32 = irdl.is "int32"
    %s_i64 = irdl.is "int64"
    %s_u8 = irdl.is "uint8"
    %s_u16 = irdl.is "uint16"
    %s_u32 = irdl.is "uint32"
    %s_u64 = irdl.is "uint64"
    %s_f32 = irdl.is "float32"
    %s_f64 = irdl.is "float64"
    %s_bool = irdl.is "bool"
    %storage = irdl.any_of(%s_i8, %s_i16, %s_i32, %s_i64, %s_u8, %s_u16, %s_u32, %s_u64, %s_f32, %s_f64, %s_bool)
    %i64 = irdl.is i64
    %f64 = irdl.is f64
    %i1 = irdl.is i1
    %field = irdl.any_of(%i64, %f64, %i1)
    irdl.operands(struct: %ptr, value: %field)
    irdl.attributes { "offset" = %offset, "field" = %name, "storage" = %storage }
    irdl.results()
  }
  irdl.operation @struct_zero {
    %ptr = irdl.is !llvm.ptr
    %size = irdl.base "#builtin.integer"
    irdl.operands(struct: %ptr)
    irdl.attributes { "size" = %size }
    irdl.results()
  }
  irdl.operation @output_ptr {
    %ptr = irdl.is !llvm.ptr
    %index = irdl.base "#builtin.integer"
    irdl.operands(outputs: %ptr)
    irdl.attributes { "index" = %index }
    irdl.results(buffer: %ptr)
  }
  irdl.operation @output_tick {
    %ptr = irdl.is !llvm.ptr
    %index = irdl.base "#builtin.integer"
    irdl.operands(output_ticked: %ptr)
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

  // ---- Containers (issue 3). A list or dict value is a handle: a pointer to
  // a runtime object (runtime/cfrt.h). cfunc-lower-containers turns every op
  // below into calls to the runtime, which is linked into the module as
  // bitcode and inlined; checks become cfunc.check faults.
  irdl.type @list {
    %i64 = irdl.is i64
    %f64 = irdl.is f64
    %i1 = irdl.is i1
    %elem = irdl.any_of(%i64, %f64, %i1)
    irdl.parameters(elem: %elem)
  }
  irdl.type @dict {
    %i64 = irdl.is i64
    %f64 = irdl.is f64
    %i1 = irdl.is i1
    %key = irdl.any_of(%i64, %f64, %i1)
    %value = irdl.any_of(%i64, %f64, %i1)
    irdl.parameters(key: %key, value: %value)
  }

  // Creation and lifetime. Without an arena the container is a state
  // container (START stores it in state[i], STOP frees it); with one it is
  // tick-local and freed when the tick ends (cfunc.arena_free).
  irdl.operation @list_new {
    %ptr = irdl.is !llvm.ptr
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    irdl.operands(arena: optional %ptr)
    irdl.results(list: %list)
  }
  irdl.operation @dict_new {
    %ptr = irdl.is !llvm.ptr
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    irdl.operands(arena: optional %ptr)
    irdl.results(dict: %dict)
  }
  // A constant list or dict parameter: static, read-only data. Values are
  // the 8-byte cells' bit patterns (floats as their IEEE bits).
  irdl.operation @const_list {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    %values = irdl.base "#builtin.dense_array"
    irdl.operands()
    irdl.attributes { "values" = %values }
    irdl.results(list: %list)
  }
  irdl.operation @const_dict {
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    %keys = irdl.base "#builtin.dense_array"
    %values = irdl.base "#builtin.dense_array"
    irdl.operands()
    irdl.attributes { "keys" = %keys, "values" = %values }
    irdl.results(dict: %dict)
  }
  irdl.operation @free {
    %list = irdl.base @cfunc::@list
    %dict = irdl.base @cfunc::@dict
    %c = irdl.any_of(%list, %dict)
    irdl.operands(container: %c)
    irdl.results()
  }
  irdl.operation @arena_free {
    %ptr = irdl.is !llvm.ptr
    irdl.operands(arena: %ptr)
    irdl.results()
  }
  // Whether a state slot holds a container of the handle's kind, allocated
  // by START (the runtime's tag): false for NULL and for a host's zeroed
  // cell (EXECUTE before START or after STOP).
  irdl.operation @is_live {
    %list = irdl.base @cfunc::@list
    %dict = irdl.base @cfunc::@dict
    %c = irdl.any_of(%list, %dict)
    %i1 = irdl.is i1
    irdl.operands(container: %c)
    irdl.results(live: %i1)
  }
  // Whether a new container's handle is NULL (out of memory).
  irdl.operation @is_null {
    %list = irdl.base @cfunc::@list
    %dict = irdl.base @cfunc::@dict
    %c = irdl.any_of(%list, %dict)
    %i1 = irdl.is i1
    irdl.operands(container: %c)
    irdl.results(null: %i1)
  }

  // Common to lists and dicts.
  irdl.operation @len {
    %list = irdl.base @cfunc::@list
    %dict = irdl.base @cfunc::@dict
    %c = irdl.any_of(%list, %dict)
    %i64 = irdl.is i64
    irdl.operands(container: %c)
    irdl.results(len: %i64)
  }
  irdl.operation @clear {
    %list = irdl.base @cfunc::@list
    %dict = irdl.base @cfunc::@dict
    %c = irdl.any_of(%list, %dict)
    irdl.operands(container: %c)
    irdl.results()
  }

  // Lists. Indices are Python indices (negative counts from the end); an
  // index out of range is fault 5.
  irdl.operation @list_get {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    %i64 = irdl.is i64
    irdl.operands(list: %list, index: %i64)
    irdl.results(value: %e)
  }
  irdl.operation @list_set {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    %i64 = irdl.is i64
    irdl.operands(list: %list, index: %i64, value: %e)
    irdl.results()
  }
  irdl.operation @list_append {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    irdl.operands(list: %list, value: %e)
    irdl.results()
  }
  // pop() or pop(index): fault 6 on an empty list, 5 on an index out of range.
  irdl.operation @list_pop {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    %i64 = irdl.is i64
    irdl.operands(list: %list, index: optional %i64)
    irdl.results(value: %e)
  }
  irdl.operation @list_insert {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    %i64 = irdl.is i64
    irdl.operands(list: %list, index: %i64, value: %e)
    irdl.results()
  }
  irdl.operation @list_extend {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    irdl.operands(list: %list, other: %list)
    irdl.results()
  }
  irdl.operation @list_contains {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    %i1 = irdl.is i1
    irdl.operands(list: %list, value: %e)
    irdl.results(found: %i1)
  }
  // sum/min/max of a list: kind is "sum", "min" or "max". min and max of an
  // empty list are fault 11. The sum of a bool list is an int.
  irdl.operation @list_reduce {
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    %kind = irdl.base "#builtin.string"
    %r = irdl.any
    irdl.operands(list: %list)
    irdl.attributes { "kind" = %kind }
    irdl.results(result: %r)
  }
  irdl.operation @list_sort {
    %list = irdl.base @cfunc::@list
    irdl.operands(list: %list)
    irdl.results()
  }
  // list[start:stop:step] into a new tick-local list; has_start/has_stop say
  // which bounds were written. A step of zero is fault 12.
  irdl.operation @list_slice {
    %ptr = irdl.is !llvm.ptr
    %e = irdl.any
    %list = irdl.parametric @cfunc::@list<%e>
    %i64 = irdl.is i64
    %has_start = irdl.base "#builtin.integer"
    %has_stop = irdl.base "#builtin.integer"
    irdl.operands(arena: %ptr, list: %list, start: %i64, stop: %i64, step: %i64)
    irdl.attributes { "has_start" = %has_start, "has_stop" = %has_stop }
    irdl.results(slice: %list)
  }

  // Dicts. A missing key in dict_get or in dict_pop without a default is
  // fault 7.
  irdl.operation @dict_get {
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    irdl.operands(dict: %dict, key: %k, default: optional %v)
    irdl.results(value: %v)
  }
  irdl.operation @dict_set {
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    irdl.operands(dict: %dict, key: %k, value: %v)
    irdl.results()
  }
  // The value cell of a key, for a read-modify-write (cfunc-fuse-dict-updates):
  // without a default a missing key is fault 7, with one the key is inserted
  // with the default first. Valid until the next op that changes the dict.
  irdl.operation @dict_slot {
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    %ptr = irdl.is !llvm.ptr
    irdl.operands(dict: %dict, key: %k, default: optional %v)
    irdl.results(cell: %ptr)
  }
  irdl.operation @dict_contains {
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    %i1 = irdl.is i1
    irdl.operands(dict: %dict, key: %k)
    irdl.results(found: %i1)
  }
  irdl.operation @dict_pop {
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    irdl.operands(dict: %dict, key: %k, default: optional %v)
    irdl.results(value: %v)
  }
  // Iteration in insertion order by entry position: dict_next gives the
  // first live position >= pos, or -1 at the end. dict_version changes on
  // every insert of a new key, delete and clear; the frontend checks it on
  // each step of a loop (fault 8).
  irdl.operation @dict_version {
    %dict = irdl.base @cfunc::@dict
    %i64 = irdl.is i64
    irdl.operands(dict: %dict)
    irdl.results(version: %i64)
  }
  irdl.operation @dict_next {
    %dict = irdl.base @cfunc::@dict
    %i64 = irdl.is i64
    irdl.operands(dict: %dict, pos: %i64)
    irdl.results(next: %i64)
  }
  irdl.operation @dict_key_at {
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    %i64 = irdl.is i64
    irdl.operands(dict: %dict, pos: %i64)
    irdl.results(key: %k)
  }
  irdl.operation @dict_value_at {
    %k = irdl.any
    %v = irdl.any
    %dict = irdl.parametric @cfunc::@dict<%k, %v>
    %i64 = irdl.is i64
    irdl.operands(dict: %dict, pos: %i64)
    irdl.results(value: %v)
  }

  // ---- Fixed-size arrays: N elements of i64, f64 or i1 (one byte in
  // memory) laid out as a C array, with no runtime. An array value is the
  // address of its memory: the host's behind state[i] for array state (a
  // cfunc.state_load with an array result), the stack for a local array,
  // static data for a constant parameter. cfunc-lower-arrays turns every
  // op below into loads and stores; indices are Python indices (negative
  // counts from the end), and an index out of range is fault 5.
  irdl.type @array {
    %i64 = irdl.is i64
    %f64 = irdl.is f64
    %i1 = irdl.is i1
    %elem = irdl.any_of(%i64, %f64, %i1)
    %length = irdl.base "#builtin.integer"
    irdl.parameters(elem: %elem, length: %length)
  }
  // A new zero-filled array on the stack of the enclosing function (a local
  // array): one slot per op, reserved in the function's entry block.
  irdl.operation @array_new {
    %e = irdl.any
    %n = irdl.any
    %array = irdl.parametric @cfunc::@array<%e, %n>
    irdl.operands()
    irdl.results(array: %array)
  }
  // A constant array parameter: static, read-only data. Values are the
  // elements' 8-byte cell bit patterns (floats as their IEEE bits).
  irdl.operation @const_array {
    %e = irdl.any
    %n = irdl.any
    %array = irdl.parametric @cfunc::@array<%e, %n>
    %values = irdl.base "#builtin.dense_array"
    irdl.operands()
    irdl.attributes { "values" = %values }
    irdl.results(array: %array)
  }
  irdl.operation @array_get {
    %e = irdl.any
    %n = irdl.any
    %array = irdl.parametric @cfunc::@array<%e, %n>
    %i64 = irdl.is i64
    irdl.operands(array: %array, index: %i64)
    irdl.results(value: %e)
  }
  irdl.operation @array_set {
    %e = irdl.any
    %n = irdl.any
    %array = irdl.parametric @cfunc::@array<%e, %n>
    %i64 = irdl.is i64
    irdl.operands(array: %array, index: %i64, value: %e)
    irdl.results()
  }
  // Zero-fills every element (`a.clear()`, and array state at START).
  irdl.operation @array_clear {
    %array = irdl.base @cfunc::@array
    irdl.operands(array: %array)
    irdl.results()
  }
  // sum/min/max of an array: kind is "sum", "min" or "max". An array is
  // never empty. The sum of a bool array is an int.
  irdl.operation @array_reduce {
    %array = irdl.base @cfunc::@array
    %kind = irdl.base "#builtin.string"
    %r = irdl.any
    irdl.operands(array: %array)
    irdl.attributes { "kind" = %kind }
    irdl.results(result: %r)
  }
}
