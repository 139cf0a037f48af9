//! Replays every case of ../shared/conformance/*.json (measured on
//! numba-cfunc-compiler 0.3.1) through `cfuncc compile` + `cfuncc run`.
//! Every case runs: scalar and container nodes, and the lifecycle case
//! driven by `{"phase": ...}` lines.

mod common;

use serde_json::{json, Value};

fn python_literal(v: &Value) -> String {
    match v {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Array(xs) => format!(
            "[{}]",
            xs.iter().map(python_literal).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(kv) => format!(
            "{{{}}}",
            kv.iter()
                .map(|(k, v)| format!("{k}: {}", python_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

#[test]
fn seed_conformance_cases() {
    let dir = common::root().join("..").join("shared").join("conformance");
    let tmp = common::temp_dir("conformance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("../shared/conformance exists")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let (mut passed, mut failures) = (0, Vec::new());
    for file in files {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in cases {
            let name = case["name"].as_str().unwrap().to_string();
            let source = case["source"].as_str().unwrap();
            let function = source
                .split("def ")
                .nth(1)
                .and_then(|s| s.split('(').next())
                .unwrap()
                .trim()
                .to_string();
            let py = tmp.join(format!("{name}.py"));
            std::fs::write(&py, source).unwrap();
            let mut args = vec!["--function".to_string(), function];
            for (k, v) in case["constants"].as_object().unwrap() {
                args.push("--const".into());
                args.push(format!("{k}={}", python_literal(v)));
            }
            let so = tmp.join(format!("{name}.so"));
            if let Err(e) = common::compile(&py, &args, &so) {
                failures.push(format!("{name}: compile failed: {e}"));
                continue;
            }
            let ticks = case["ticks"].as_array().unwrap();
            let stdin: String = ticks
                .iter()
                .map(|t| {
                    let mut line = t.clone();
                    line.as_object_mut().unwrap().remove("expected");
                    line.to_string() + "\n"
                })
                .collect();
            let expected: Vec<Value> = ticks
                .iter()
                .filter(|t| t.get("phase").is_none())
                .map(|t| json!({"outputs": t["expected"]}))
                .collect();
            match common::run(&so, &stdin) {
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
    }
    println!("conformance: {passed} passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "conformance failures:\n{}",
        failures.join("\n")
    );
    assert!(passed >= 22, "too few conformance cases ran: {passed}");
}
