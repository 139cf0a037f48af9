//! The semantic key (design.md §7, `semantic_key` and the `native_name`
//! built from it): equal for the same computation however the source is
//! laid out, in one process or two; different for every constant, the
//! function, every code-changing option and every lowering an extension
//! supplies.

use cfuncc::context::CallHandler;
use cfuncc::{
    compile_to_object, CompilationContext, CompilationOptions, ConstValue, Constants, Ty,
};
use std::sync::Arc;

mod common;

const NODE: &str = "import math

SCALE = 2.0


def node(x: Signal[float], k: Signal[int], alpha: float = 0.5) -> Signal[float]:
    s: State[float] = 0.0
    s = alpha * x + (1.0 - alpha) * s
    if k > 3:
        return s * SCALE
    return math.sqrt(abs(s)) + k
";

/// The same node with comments, blank lines, redundant parentheses,
/// another indentation and other spacing.
const RELAID: &str = "# A comment before everything.
import math


SCALE = (2.0)  # the scale


def node(x: Signal[float], k: Signal[int],
         alpha: float = 0.5) -> Signal[float]:
  # state
  s: State[float] = 0.0

  s = (alpha * x) + ((1.0 - alpha) * s)   # smoothing
  if (k > 3):
      return (s * SCALE)
  return math.sqrt( abs(s) ) + k
";

fn key_with(
    ctx: &CompilationContext,
    src: &str,
    function: &str,
    consts: &Constants,
    opts: &CompilationOptions,
) -> String {
    compile_to_object(ctx, src, function, consts, opts)
        .unwrap_or_else(|e| panic!("{e}"))
        .result
        .semantic_key
}

fn key(src: &str) -> String {
    let ctx = CompilationContext::with_defaults().unwrap();
    key_with(
        &ctx,
        src,
        "node",
        &Constants::new(),
        &CompilationOptions::default(),
    )
}

#[test]
fn layout_comments_and_parentheses_do_not_change_the_key() {
    assert_eq!(key(NODE), key(RELAID));
}

#[test]
fn the_key_is_the_same_in_another_process() {
    let scratch = common::temp_dir("semantic_key");
    let dir = scratch.path();
    let file = dir.join("node.py");
    std::fs::write(&file, NODE).unwrap();
    let keys: Vec<String> = (0..2)
        .map(|i| {
            let out = dir.join(format!("node{i}.so"));
            common::compile(&file, &["--function".into(), "node".into()], &out).unwrap();
            let manifest: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(out.with_extension("json")).unwrap())
                    .unwrap();
            manifest["semantic_key"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(keys[0], keys[1]);
    // And the same as in this process (the file name is not part of it).
    assert_eq!(keys[0], key(NODE));
}

#[test]
fn every_constant_and_the_function_change_the_key() {
    let base = key(NODE);
    let mut seen = vec![base.clone()];
    let mut differs = |k: String, what: &str| {
        assert!(!seen.contains(&k), "{what}: same key as an earlier variant");
        seen.push(k);
    };
    differs(
        key(&NODE.replace("alpha: float = 0.5", "alpha: float = 0.25")),
        "default",
    );
    differs(
        key(&NODE.replace("SCALE = 2.0", "SCALE = 3.0")),
        "module constant",
    );
    differs(
        key(&NODE.replace("s: State[float] = 0.0", "s: State[float] = 1.0")),
        "state initial value",
    );
    differs(key(&NODE.replace("k > 3", "k > 4")), "literal");
    let ctx = CompilationContext::with_defaults().unwrap();
    let opts = CompilationOptions::default();
    let renamed = NODE.replace("def node(", "def other(");
    differs(
        key_with(&ctx, &renamed, "other", &Constants::new(), &opts),
        "function name",
    );
    let mut consts = Constants::new();
    consts.insert("alpha".into(), ConstValue::Float(0.125));
    differs(key_with(&ctx, NODE, "node", &consts, &opts), "--const");
}

#[test]
fn every_code_changing_option_changes_the_key() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let k = |opts: CompilationOptions| key_with(&ctx, NODE, "node", &Constants::new(), &opts);
    let d = CompilationOptions::default;
    let keys = [
        ("default", k(d())),
        (
            "opt_level",
            k(CompilationOptions {
                opt_level: cfuncc::OptLevel::O1,
                ..d()
            }),
        ),
        (
            "fastmath",
            k(CompilationOptions {
                fastmath: true,
                ..d()
            }),
        ),
        (
            "force_inline",
            k(CompilationOptions {
                force_inline: true,
                ..d()
            }),
        ),
        (
            "symbol_prefix",
            k(CompilationOptions {
                symbol_prefix: "engine_".into(),
                ..d()
            }),
        ),
        (
            "internalize",
            k(CompilationOptions {
                internalize: !d().internalize,
                ..d()
            }),
        ),
        (
            "target_cpu",
            k(CompilationOptions {
                target_cpu: Some("x86-64".into()),
                ..d()
            }),
        ),
        (
            "datetime_as_int",
            k(CompilationOptions {
                datetime_as_int: true,
                ..d()
            }),
        ),
    ];
    for (i, (a, ka)) in keys.iter().enumerate() {
        for (b, kb) in &keys[i + 1..] {
            assert_ne!(ka, kb, "{a} and {b}");
        }
    }
}

#[test]
fn verify_each_changes_neither_the_key_nor_the_code() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let result = |verify_each| {
        let opts = CompilationOptions {
            verify_each,
            ..Default::default()
        };
        compile_to_object(&ctx, NODE, "node", &Constants::new(), &opts)
            .unwrap()
            .result
    };
    let (once, each) = (result(false), result(true));
    assert_eq!(once.semantic_key, each.semantic_key);
    assert_eq!(once.llvm_ir, each.llvm_ir);
    assert!(once.llvm_ir.is_some());
}

#[test]
fn the_same_container_node_compiled_twice_has_one_key() {
    const CONTAINERS: &str =
        "def node(x: Signal[int], w: NumbaList[int] = [3, 1, 2]) -> Signal[int]:
    seen: State[NumbaDict[int, int]] = create_new_dict(int, int)
    xs: State[NumbaList] = create_new_list(int)
    xs.append(x)
    seen[x] = seen.get(x, 0) + 1
    ys = xs[-3:]
    ys.sort()
    return ys[0] + len(seen) + w[x % 3]
";
    let ctx = CompilationContext::with_defaults().unwrap();
    let opts = CompilationOptions::default();
    let first = key_with(&ctx, CONTAINERS, "node", &Constants::new(), &opts);
    let again = key_with(&ctx, CONTAINERS, "node", &Constants::new(), &opts);
    assert_eq!(first, again);
    assert_eq!(first, key(CONTAINERS));
}

/// An extension's lowering is part of the key: the same source compiled
/// with two contexts whose `ext.scale` computes differently gets two keys.
#[test]
fn an_extension_lowering_changes_the_key() {
    const SRC: &str =
        "import ext\n\ndef node(x: Signal[float]) -> Signal[float]:\n    return ext.scale(x)\n";
    let with_factor = |factor: f64| {
        let mut ctx = CompilationContext::with_defaults().unwrap();
        ctx.register_call(CallHandler {
            name: "ext.scale".into(),
            priority: 100,
            infer: Arc::new(|_| Ok(Ty::Float)),
            lower: Arc::new(move |b, v, _| Ok(b.bin("arith.mulf", v[0], b.const_f64(factor)))),
        });
        key_with(
            &ctx,
            SRC,
            "node",
            &Constants::new(),
            &CompilationOptions::default(),
        )
    };
    assert_eq!(with_factor(2.0), with_factor(2.0));
    assert_ne!(with_factor(2.0), with_factor(3.0));
}

/// The pipeline is part of the key (docs/pipeline.md): one that spells out
/// the built-in default keeps it, any other changes it, and so does a pass
/// left out; `-g` changes the bytes, not the code, so not the key.
#[test]
fn the_pipeline_is_part_of_the_key_and_debug_info_is_not() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let k = |opts: CompilationOptions| key_with(&ctx, NODE, "node", &Constants::new(), &opts);
    let d = CompilationOptions::default;
    let base = k(d());
    let default = cfuncc::passes::default_pipeline();
    assert_eq!(
        k(CompilationOptions {
            pass_pipeline: Some(format!("builtin.module({default})")),
            ..d()
        }),
        base
    );
    let other = k(CompilationOptions {
        pass_pipeline: Some(default.replacen("cfunc-lower-arith,", "cfunc-lower-arith,cse,", 1)),
        ..d()
    });
    let without = k(CompilationOptions {
        disable_passes: vec!["cfunc-fuse-dict-updates".into()],
        ..d()
    });
    assert_ne!(other, base);
    assert_ne!(without, base);
    assert_ne!(other, without);
    assert_eq!(
        k(CompilationOptions {
            debug_info: true,
            ..d()
        }),
        base
    );
}
