//! Very large nodes are cut into parts before LLVM's optimiser
//! (`src/backend/split.rs`): a generated node of ~1,300 lines, with early
//! returns, a fault, loops, a list and a dict in every stretch, compiles to
//! several `.part` functions and gives CPython's outputs tick by tick,
//! through the `.so` and through the JIT; `-g` and `--opt-level 0` do not
//! split and give the same outputs; a node of ordinary size is not split.

mod common;

use serde_json::Value;
use std::path::Path;

/// A node of about `blocks` × 15 lines. Every value stays bounded, so
/// CPython's ints never leave int64. Every 25th block returns early when
/// `a` is its number, every 37th reads past the end of its list
/// (an index fault) when `b` is.
fn generate(blocks: usize) -> String {
    let mut out = vec![
        "# cfuncc: --function big".to_string(),
        "def big(a: Signal[int], b: Signal[int], x: Signal[float]) -> Outputs(i=int, f=float, n=int):"
            .into(),
        "    s: State[int] = 0".into(),
        "    t: State[float] = 0.0".into(),
        "    xs: State[NumbaList] = create_new_list(float)".into(),
        "    d: State[NumbaDict] = create_new_dict(int, float)".into(),
        "    i0 = a".into(),
        "    i1 = b".into(),
        "    i2 = a + b".into(),
        "    f0 = x".into(),
        "    f1 = x * 0.5".into(),
        "    f2 = x + 1.0".into(),
    ];
    for k in 0..blocks {
        let (p, q, r) = (k % 3, (k + 1) % 3, (k + 2) % 3);
        out.extend([
            format!("    i{p} = (i{q} * 3 + i{r}) % 1009"),
            format!("    f{p} = f{q} * 0.5 + float(i{r} % 7)"),
            format!("    if i{p} > {}:", k % 500),
            format!("        i{p} = i{p} - (i{q} >> 1)"),
            "    else:".into(),
            format!("        f{p} = f{p} + float(i{q} // 3)"),
            format!("    xs.append(f{p})"),
            "    if len(xs) > 32:".into(),
            "        xs.pop(0)".into(),
            format!("    d[i{p} % 16] = d.get(i{q} % 16, 0.0) + f{p}"),
            format!("    s = (s + i{p}) % 100003"),
            format!("    t = t * 0.5 + f{p}"),
            format!("    for j in range({}):", k % 3 + 1),
            format!("        i{r} = (i{r} + j * i{q}) % 10007"),
        ]);
        if k % 25 == 0 {
            out.push(format!("    if a == {k}:"));
            out.push(format!("        return i{p} + s, f{p} + t, len(xs)"));
        }
        if k % 37 == 36 {
            out.push(format!("    if b == {k}:"));
            out.push(format!("        f{p} = xs[40]"));
        }
    }
    out.push("    return i0 + s, f0 + t, len(xs) + len(d)".into());
    out.join("\n") + "\n"
}

/// Seeded ticks: `a` hits some early returns, `b` some faults.
fn ticks(n: usize) -> String {
    let mut seed: u64 = 0x5eed;
    let mut next = |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    let mut out = String::new();
    for _ in 0..n {
        let a = [0, 25, 50, 75, 1, 2, 3, 4, 600, 700][next(10) as usize] + next(3) as i64;
        let b = [36, 73, 7, 8, 9, 10, 11, 12, 13, 14][next(10) as usize];
        let x = next(2000) as f64 / 16.0 - 50.0;
        out += &format!("{{\"inputs\": [{a}, {b}, {x:?}]}}\n");
    }
    out
}

fn ir(file: &Path, extra: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .arg("compile")
        .arg(file)
        .args(["--function", "big", "--no-cache", "--emit", "llvm-ir"])
        .args(extra)
        .output()
        .expect("cfuncc runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn parts(ir: &str) -> usize {
    ir.lines()
        .filter(|l| l.starts_with("define") && l.contains("@big.execute.part"))
        .count()
}

/// The node's outputs as `cfuncc run` gives them, checked against CPython's:
/// equal outputs, or the same fault code at the same line (the tick's
/// earlier updates stay in both, so the run goes on).
fn check_against_cpython(got: &[Value], expected: &[Value], what: &str) {
    assert_eq!(got.len(), expected.len(), "{what}: line counts");
    let (mut faults, mut returns) = (0, 0);
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        assert!(
            e.get("oracle_error").is_none(),
            "tick {i}: CPython has no answer: {e}"
        );
        if let Some(fault) = e.get("error") {
            faults += 1;
            assert_eq!(
                g["error"]["code"], fault["code"],
                "{what}: tick {i}: CPython {e}, cfuncc {g}"
            );
            assert_eq!(
                g["error"]["line"], fault["line"],
                "{what}: tick {i}: CPython {e}, cfuncc {g}"
            );
            continue;
        }
        returns += 1;
        assert!(
            common::same(g, e),
            "{what}: tick {i}: CPython {e}, cfuncc {g}"
        );
    }
    assert!(
        returns >= 20 && faults >= 1,
        "{what}: {returns} outputs and {faults} faults compared"
    );
}

#[test]
fn a_large_node_is_split_and_gives_cpythons_outputs() {
    let scratch = common::temp_dir("split");
    let dir = scratch.path();
    let file = dir.join("big.py");
    std::fs::write(&file, generate(90)).unwrap();
    let ticks = ticks(40);
    let expected = common::oracle(&file, &ticks).expect("CPython runs the node");
    assert!(
        expected.iter().any(|e| e.get("error").is_some()),
        "the ticks reach a fault"
    );
    let n = parts(&ir(&file, &[]));
    assert!(n >= 3, "the node was cut into {n} parts");

    let so = dir.join("big.so");
    common::compile(&file, &["--function".into(), "big".into()], &so).unwrap();
    let got = common::run(&so, &ticks).unwrap();
    check_against_cpython(&got, &expected, "split .so");
    let jit = common::run_jit(&file, &["--function".into(), "big".into()], &ticks).unwrap();
    assert_eq!(jit, got, "the JIT gives the .so's outputs");

    // Not split at -O0 or with -g; the same outputs.
    for extra in [&["--opt-level", "0"][..], &["-g"][..]] {
        assert_eq!(parts(&ir(&file, extra)), 0, "{extra:?} does not split");
        let so = dir.join("big_other.so");
        let mut args = vec!["--function".to_string(), "big".to_string()];
        args.extend(extra.iter().map(|s| s.to_string()));
        common::compile(&file, &args, &so).unwrap();
        assert_eq!(common::run(&so, &ticks).unwrap(), got, "{extra:?}: outputs");
    }
}

#[test]
fn an_ordinary_node_is_not_split() {
    let scratch = common::temp_dir("split_small");
    let file = scratch.path().join("big.py");
    std::fs::write(&file, generate(8)).unwrap();
    assert_eq!(parts(&ir(&file, &[])), 0);
}
