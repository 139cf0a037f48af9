//! Replays every case of ../shared/conformance/*.json (measured on
//! numba-cfunc-compiler 0.3.1) and of tests/conformance/*.json (the seed's
//! current upstream tests, named in each case, with CPython's outputs)
//! through `cfuncc compile` + `cfuncc run`, and through the JIT (`cfuncc run
//! --jit`), whose outputs must be identical. Every case runs: scalar and
//! container nodes, structs (a case's `types`), `--datetime-as-int` (its
//! `options`), and the lifecycle cases driven by `{"phase": ...}` lines.

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
    assert!(passed >= 77, "too few conformance cases ran: {passed}");
}

/// The expected outputs of tests/conformance/*.json are CPython's, never
/// written by hand: `tests/conformance/expect.py` wrote them through the
/// differential oracle, and gives the same today.
#[test]
fn upstream_cases_expect_what_cpython_gives() {
    let out = std::process::Command::new("python3")
        .arg(common::root().join("tests/conformance/expect.py"))
        .arg("--check")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "tests/conformance: expectations differ from CPython's (run tests/conformance/expect.py):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every case of tests/conformance names the upstream test it comes from,
/// and no differential node or other conformance case shares its name (the
/// seed hosts compile every suite node into one directory, by name).
#[test]
fn upstream_cases_name_their_upstream_test() {
    let nodes = common::differential_nodes(&common::root().join("tests/differential/nodes"));
    let mut seen = std::collections::HashSet::new();
    for n in common::conformance_nodes(common::temp_dir("conformance-names").path()) {
        assert!(
            seen.insert(n.name.clone()),
            "two conformance cases are named {}",
            n.name
        );
    }
    let dir = common::root().join("tests/conformance");
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        if e.path().extension().is_none_or(|x| x != "json") {
            continue;
        }
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap();
        for c in cases {
            assert!(
                c["upstream"]
                    .as_str()
                    .is_some_and(|u| u.contains("tests/test_")),
                "{}: {} names no upstream test",
                e.path().display(),
                c["name"]
            );
            assert!(
                nodes.iter().all(|n| c["name"] != n.name.as_str()),
                "{}: {} is also a differential node's name",
                e.path().display(),
                c["name"]
            );
        }
    }
}
