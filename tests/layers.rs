//! The layers only look down (docs/architecture.md): every module of the
//! library uses only modules of a lower layer, so the crate has no import
//! circle. This reads the sources and checks every `crate::` path, tests
//! included.

use std::collections::BTreeSet;
use std::path::Path;

/// The library's top-level modules, bottom to top. Modules of one rank
/// (the extensions and the frontend) may not use each other.
const LAYERS: &[(&str, u32)] = &[
    ("diagnostics", 0),
    ("stack", 1),
    ("types", 2),
    ("abi", 3),
    ("dialect", 4),
    ("registry", 5),
    ("extensions", 6),
    ("frontend", 6),
    ("passes", 7),
    ("backend", 8),
    ("driver", 9),
    ("tools", 10),
];

fn rank(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// The source without comments (line comments and doc comments), so doc
/// links do not count as uses.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal is rare in this code base; a
            // use never follows one on the same line.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`.
fn crate_uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // `crate::{a::x, b::{y, z}}`: the names at depth 0 of the group.
            let mut depth = 0;
            let mut at_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => at_start = true,
                    c if at_start && (c.is_alphanumeric() || c == '_') => {
                        let name: String = group[j..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.insert(name);
                        at_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
        rest = &rest[i + "crate::".len()..];
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_module_uses_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "bin" {
            continue;
        }
        let Some(own) = rank(&module) else {
            problems.push(format!(
                "{}: module '{module}' has no layer in tests/layers.rs (add it to LAYERS and docs/architecture.md)",
                rel.display()
            ));
            continue;
        };
        checked += 1;
        let code = code_of(&std::fs::read_to_string(f).unwrap());
        for used in crate_uses(&code) {
            if used == module {
                continue;
            }
            match rank(&used) {
                Some(r) if r < own => {}
                Some(_) => problems.push(format!(
                    "{}: the {module} layer uses crate::{used}, which is not below it",
                    rel.display()
                )),
                // A re-export at the crate root (`crate::Result`) hides
                // which layer it comes from.
                None => problems.push(format!(
                    "{}: uses crate::{used}; name the module it comes from",
                    rel.display()
                )),
            }
        }
    }
    assert!(checked > 50, "only {checked} files checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_nested_uses() {
    let code = code_of(
        "use crate::{abi::x, dialect::{a, b}};\nlet y = crate::passes::run(); // crate::driver\n",
    );
    let uses: Vec<String> = crate_uses(&code).into_iter().collect();
    assert_eq!(uses, ["abi", "dialect", "passes"]);
}
