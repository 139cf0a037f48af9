//! Replays every case of ../shared/conformance/*.json (measured on
//! numba-cfunc-compiler 0.3.1) through `cfuncc compile` + `cfuncc run`, and
//! through the JIT (`cfuncc run --jit`), whose outputs must be identical.
//! Every case runs: scalar and container nodes, and the lifecycle case
//! driven by `{"phase": ...}` lines.

mod common;

#[test]
fn seed_conformance_cases() {
    let scratch = common::temp_dir("conformance");
    let tmp = scratch.path();
    let (mut passed, mut failures) = (0, Vec::new());
    for node in common::conformance_nodes(&tmp) {
        let name = &node.name;
        let so = tmp.join(format!("{name}.so"));
        if let Err(e) = common::compile(&node.file, &node.args, &so) {
            failures.push(format!("{name}: compile failed: {e}"));
            continue;
        }
        let expected = node.expected.expect("a conformance case has expectations");
        let jit = common::run_jit(&node.file, &node.args, &node.ticks);
        match common::run(&so, &node.ticks) {
            Ok(got) if jit.as_ref() != Ok(&got) => {
                failures.push(format!("{name}: the .so gave {got:?}, the JIT {jit:?}"))
            }
            Ok(got)
                if got.len() == expected.len()
                    && got.iter().zip(&expected).all(|(a, b)| common::same(a, b)) =>
            {
                passed += 1
            }
            Ok(got) => failures.push(format!("{name}: expected {expected:?}, got {got:?}")),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!("conformance: {passed} passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "conformance failures:\n{}",
        failures.join("\n")
    );
    assert!(passed >= 22, "too few conformance cases ran: {passed}");
}
