//! Fixed-size arrays through the Rust API: what the seed's upstream tests
//! (tests/test_arrays.py) assert about the compile result besides outputs
//! (which state slots hold host memory, and their sizes), the manifest's
//! array entries (schema 1.3), and the host runner's buffers, through the
//! `.so` and the JIT. Outputs against CPython are the differential and
//! conformance suites' (tests/differential/nodes/array_*,
//! tests/conformance/upstream-arrays.json).

mod common;

use cfuncc::runner::{Node, Value};
use cfuncc::{Compiler, ConstValue, Jit, Source};
use serde_json::{json, Value as Json};

/// The upstream `state_arrays` node.
const STATE_ARRAYS: &str = "
def state_arrays(index: Signal[int], value: Signal[int]) -> Signal[float]:
    ints: State[NumbaArray] = create_new_array(int, 4)
    floats: State[NumbaArray] = create_new_array(float, 2)
    bools: State[NumbaArray] = create_new_array(bool, 2)
    ints[index] = ints[index] + value
    floats[0] = value + 0.5
    bools[1] = value > 0
    return ints[-1] + ints[index] + len(ints) + floats[0] + int(bools[-1])
";

/// The upstream test's ticks and outputs.
const TICKS: [(i64, i64, f64); 4] = [(1, 5, 15.5), (1, 7, 24.5), (-1, 3, 14.5), (1, 0, 19.5)];

fn run(node: &mut Node) {
    node.start().unwrap();
    for (i, v, want) in TICKS {
        let out = node
            .execute(&[Value::Int(i), Value::Int(v)], &[], &[])
            .unwrap();
        assert_eq!(out, vec![Some(Value::Float(want))], "tick ({i}, {v})");
    }
    node.stop().unwrap();
}

#[test]
fn array_state_is_host_memory_listed_as_the_seed_lists_it() {
    let tmp = common::temp_dir("arrays");
    let so = tmp.path().join("state_arrays.so");
    let compiler = Compiler::new().unwrap();
    let r = compiler
        .compile_to_so(&Source::new(STATE_ARRAYS, "state_arrays"), &so)
        .unwrap();
    // The upstream test: `result.struct_state_indices == (0, 1, 2)` and
    // `result.struct_state_sizes == (32, 16, 2)` (slots by byte size).
    assert_eq!(r.struct_state_indices(), vec![0, 1, 2]);
    assert_eq!(r.struct_state_sizes(), vec![32, 16, 2]);
    assert!(r.nrt_state_indices().is_empty(), "arrays need no runtime");
    let m = r.manifest();
    assert_eq!(m["schema_version"], "1.3");
    let state = m["state"].as_array().unwrap();
    assert_eq!(
        state[..3],
        [
            json!({"name": "ints", "type": "array[int, 4]", "slot": 0, "initial": 0, "kind": "array",
                   "element_type": "int", "length": 4, "size": 32}),
            json!({"name": "floats", "type": "array[float, 2]", "slot": 1, "initial": 0.0, "kind": "array",
                   "element_type": "float", "length": 2, "size": 16}),
            json!({"name": "bools", "type": "array[bool, 2]", "slot": 2, "initial": false, "kind": "array",
                   "element_type": "bool", "length": 2, "size": 2}),
        ]
    );
    assert_eq!(m["state_values"], json!([0, 0.0, false, 0]));
    assert_eq!(m["metadata"]["struct_state_sizes"], json!([32, 16, 2]));
    // The runner reads the manifest, allocates the three buffers and checks
    // the .so's own layout ("array:32", ...) against it.
    let mut node = Node::load(&so, &m).unwrap();
    run(&mut node);
    // START zero-fills the arrays: the same ticks give the same outputs.
    run(&mut node);
}

#[test]
fn the_jit_runs_array_nodes_as_the_so_does() {
    let compiler = Compiler::new().unwrap();
    let jit = Jit::new().unwrap();
    let node = compiler
        .compile_to_jit(&Source::new(STATE_ARRAYS, "state_arrays"), &jit)
        .unwrap();
    run(&mut node.runner().unwrap());
}

#[test]
fn a_runner_refuses_an_array_slot_of_another_size() {
    let tmp = common::temp_dir("arrays-size");
    let so = tmp.path().join("n.so");
    let r = Compiler::new()
        .unwrap()
        .compile_to_so(&Source::new(STATE_ARRAYS, "state_arrays"), &so)
        .unwrap();
    let mut m = r.manifest();
    m["state"][0]
        .as_object_mut()
        .unwrap()
        .remove("size")
        .unwrap();
    // The .so describes its slots ("array:32"): a manifest that does not
    // is refused before any call.
    let e = Node::load(&so, &m).err().expect("refused");
    assert!(e.to_string().contains("\"array:null\""), "{e}");
    let mut m = r.manifest();
    m["state"][0]["size"] = Json::from(16);
    let e = Node::load(&so, &m).err().expect("refused");
    assert!(e.to_string().contains("\"array:16\",\"array:16\""), "{e}");
}

#[test]
fn constant_arrays_are_part_of_the_code() {
    let src = "
def f(x: Signal[int], w: NumbaArray[int, 3]) -> Signal[int]:
    return x * w[0] + sum(w)
";
    let tmp = common::temp_dir("arrays-key");
    let compiler = Compiler::new().unwrap();
    let key = |w: &[i64]| {
        let w = ConstValue::List(w.iter().map(|v| ConstValue::Int(*v)).collect());
        compiler
            .compile_to_so(
                &Source::new(src, "f").constant("w", w),
                &tmp.path().join("f.so"),
            )
            .map(|r| r.semantic_key)
    };
    let a = key(&[1, 2, 3]).unwrap();
    assert_ne!(a, key(&[1, 2, 4]).unwrap());
    let e = key(&[1, 2])
        .err()
        .expect("the length must match")
        .to_string();
    assert!(
        e.contains("with 3 elements but was given 2 elements"),
        "{e}"
    );
}
