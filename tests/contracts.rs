//! The manifest's top-level keys are exactly those design.md §7 and
//! docs/contracts.md name: a key added without documenting it, or documented
//! without being written, fails here.

use cfuncc::{compile_to_object, CompilationContext, CompilationOptions, Constants};
use std::collections::BTreeSet;

/// Top-level keys of the JSON example under design.md's "## 7." heading.
fn design_keys() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/design.md");
    let design = std::fs::read_to_string(path).expect("../shared/design.md");
    let section = design.split("## 7.").nth(1).expect("design.md §7");
    let json = section
        .split("```json")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("§7 has a JSON example");
    let v: serde_json::Value = serde_json::from_str(json).expect("§7's example is JSON");
    v.as_object().unwrap().keys().cloned().collect()
}

/// The first-column keys of docs/contracts.md's manifest table that name a
/// top-level key (`inputs[].category` names a nested one).
fn documented_keys() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/contracts.md"))
        .expect("docs/contracts.md");
    let table = doc
        .split("## Manifest")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a manifest section");
    table
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .flat_map(|l| {
            let first = l.split(" |").next().unwrap_or("");
            first
                .split(", ")
                .map(|k| k.trim_matches('`').to_string())
                .collect::<Vec<_>>()
        })
        .filter(|k| !k.contains('.') && !k.contains('['))
        .collect()
}

#[test]
fn manifest_keys_are_the_documented_ones() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let o = compile_to_object(
        &ctx,
        "def f(x: Signal[float]) -> Signal[float]:\n    s: State[float] = 0.0\n    s = s + x\n    return s\n",
        "f",
        &Constants::new(),
        &CompilationOptions::default(),
    )
    .unwrap();
    let written: BTreeSet<String> = cfuncc::manifest::to_json(&o.result)
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let design = design_keys();
    let added = documented_keys();
    assert!(added.len() >= 5, "parsed {added:?}");
    let documented: BTreeSet<String> = design.union(&added).cloned().collect();
    assert_eq!(
        written, documented,
        "design.md §7 names {design:?}; docs/contracts.md adds {added:?}"
    );
    assert!(
        design.is_disjoint(&added),
        "docs/contracts.md repeats design.md's {:?}",
        design.intersection(&added).collect::<Vec<_>>()
    );
}
