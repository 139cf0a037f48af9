//! Passes registered from outside the crate (`ctx.register_pass`): their
//! place in the default pipeline, running by name, their counters, their
//! errors and panics as located diagnostics, and the semantic key; and
//! `--pass-pipeline` compiles.

use cfuncc::context::PassDef;
use cfuncc::dialect::ir::Operation;
use cfuncc::passes::{self, RunOptions};
use cfuncc::{
    compile_to_object, compile_to_so, CompilationContext, CompilationOptions, Constants, Error,
};

mod common;

const NODE: &str = "import math

def node(x: Signal[float]) -> Signal[float]:
    return math.sqrt(x * 2.0)
";

fn defaults() -> CompilationContext {
    CompilationContext::with_defaults().unwrap()
}

/// Rewrites every `arith.mulf` into `arith.addf` (so `x * 2.0` becomes
/// `x + 2.0`), counting them.
fn mul_to_add() -> PassDef {
    PassDef::new("mul-to-add", "arith.mulf -> arith.addf", |p| {
        let mut patterns = p.patterns();
        patterns.add("arith.mulf", 1, |rw| {
            let v = rw.op.operands();
            let sum = rw.b.bin("arith.addf", v[0], v[1]);
            rw.replace(&[sum]);
            Ok(true)
        });
        patterns.apply(p.module())?;
        p.count("seen", "passes run", 1);
        Ok(())
    })
    .statistic("never", "a counter nothing bumps")
}

fn key(ctx: &CompilationContext, opts: &CompilationOptions) -> String {
    compile_to_object(ctx, NODE, "node", &Constants::new(), opts)
        .unwrap_or_else(|e| panic!("{e}"))
        .result
        .semantic_key
}

fn output(ctx: &CompilationContext, opts: &CompilationOptions, x: f64) -> f64 {
    let scratch = common::temp_dir("registered_passes");
    let so = scratch.path().join("node.so");
    let r = compile_to_so(ctx, NODE, "node", &Constants::new(), opts, &so)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut n = cfuncc::runner::Node::load(&so, &r.manifest()).unwrap();
    n.start().unwrap();
    let out = n
        .execute(&[cfuncc::runner::Value::Float(x)], &[], &[])
        .unwrap();
    match out[0] {
        Some(cfuncc::runner::Value::Float(f)) => f,
        ref o => panic!("{o:?}"),
    }
}

#[test]
fn a_placed_pass_joins_the_default_pipeline_and_runs() {
    let mut ctx = defaults();
    ctx.register_pass(mul_to_add().after("cfunc-simplify-containers"))
        .unwrap();
    let pipeline = passes::pipeline_for(&ctx).unwrap();
    assert!(
        pipeline.contains("cfunc-simplify-containers,mul-to-add,cfunc-fuse-dict-updates"),
        "{pipeline}"
    );
    let opts = CompilationOptions::default();
    // sqrt(7 + 2) instead of sqrt(7 * 2).
    assert_eq!(output(&ctx, &opts, 7.0), 3.0);
    assert_eq!(output(&defaults(), &opts, 8.0), 4.0);
}

#[test]
fn a_pass_by_name_runs_only_when_named() {
    let mut ctx = defaults();
    ctx.register_pass(mul_to_add()).unwrap();
    assert_eq!(
        passes::pipeline_for(&ctx).unwrap(),
        passes::default_pipeline()
    );
    let opts = CompilationOptions::default();
    assert_eq!(output(&ctx, &opts, 8.0), 4.0);
    let named = CompilationOptions {
        pass_pipeline: Some(passes::default_pipeline().replacen(
            "cfunc-resolve,",
            "cfunc-resolve,mul-to-add,",
            1,
        )),
        ..Default::default()
    };
    assert_eq!(output(&ctx, &named, 7.0), 3.0);
    // The same pipeline text in a context without the pass: a usage error.
    let e = compile_to_object(&defaults(), NODE, "node", &Constants::new(), &named)
        .err()
        .unwrap();
    assert!(
        matches!(&e, Error::Usage(m) if m.contains("'mul-to-add' is neither a cfunc pass nor an MLIR pass")),
        "{e}"
    );
}

#[test]
fn counters_show_in_the_statistics_report() {
    let mut ctx = defaults();
    ctx.register_pass(mul_to_add().after("cfunc-resolve"))
        .unwrap();
    let map = cfuncc::SourceMap::new("node.py", NODE);
    let (module, _, _) = cfuncc::frontend::lower(&ctx, &map, "node", &Default::default()).unwrap();
    let report = passes::run_pipeline_report(
        &ctx,
        Operation::of_module(&module),
        "cfunc-resolve,mul-to-add",
        Some(&map),
        &RunOptions::default(),
    )
    .unwrap();
    let row = &report.passes[1];
    assert_eq!(row.name, "mul-to-add");
    assert!(!row.upstream);
    let stat = |n: &str| row.statistics.iter().find(|s| s.name == n).map(|s| s.value);
    assert_eq!(stat("arith.mulf"), Some(1), "{:?}", row.statistics);
    assert_eq!(stat("seen"), Some(1));
    assert_eq!(stat("never"), Some(0));
    let text = report.statistics_report();
    assert!(text.contains("mul-to-add\n"), "{text}");
    assert!(
        text.contains("(never) 0 - a counter nothing bumps"),
        "{text}"
    );
}

#[test]
fn errors_and_panics_are_located_diagnostics() {
    let mut ctx = defaults();
    ctx.register_pass(
        PassDef::new("no-sqrt", "refuses math.sqrt", |p| {
            let found = p.ops("math.sqrt");
            if found.is_empty() {
                return Ok(());
            }
            Err(found
                .into_iter()
                .map(|op| p.error(op, format!("{} is not allowed here", op.name())))
                .collect())
        })
        .after("cfunc-resolve"),
    )
    .unwrap();
    let opts = CompilationOptions {
        filename: "node.py".into(),
        ..Default::default()
    };
    let e = compile_to_object(&ctx, NODE, "node", &Constants::new(), &opts)
        .err()
        .unwrap();
    let text = e.to_string();
    assert!(
        text.starts_with("node.py:4:12: error: math.sqrt is not allowed here"),
        "{text}"
    );
    assert!(text.contains("return math.sqrt(x * 2.0)"), "{text}");

    let mut ctx = defaults();
    ctx.register_pass(
        PassDef::new("broken", "panics", |_| panic!("the research pass broke"))
            .before("cfunc-lower-arith"),
    )
    .unwrap();
    let e = compile_to_object(&ctx, NODE, "node", &Constants::new(), &opts)
        .err()
        .unwrap();
    let text = e.to_string();
    assert!(matches!(e, Error::Compile(_)), "{text}");
    assert!(
        text.contains("error: internal error in pass broken: the research pass broke"),
        "{text}"
    );
    assert!(text.starts_with("node.py:"), "{text}");
    // The context is still usable.
    assert!(compile_to_object(&defaults(), NODE, "node", &Constants::new(), &opts).is_ok());
}

#[test]
fn placement_and_names_are_checked() {
    let mut ctx = defaults();
    ctx.register_pass(mul_to_add().after("cfunc-nope")).unwrap();
    let e = passes::pipeline_for(&ctx).unwrap_err();
    assert!(
        e.contains(
            "'mul-to-add' is placed after 'cfunc-nope', which is not in the default pipeline"
        ),
        "{e}"
    );
    let e = compile_to_object(&ctx, NODE, "node", &Constants::new(), &Default::default())
        .err()
        .unwrap();
    assert!(matches!(e, Error::Usage(_)), "{e}");

    let mut ctx = defaults();
    let e = ctx
        .register_pass(PassDef::new("has space", "", |_| Ok(())))
        .unwrap_err();
    assert!(e.to_string().contains("use letters, digits"), "{e}");
    ctx.register_pass(PassDef::new("twice", "", |_| Ok(())))
        .unwrap();
    let e = ctx
        .register_pass(PassDef::new("twice", "", |_| Ok(())))
        .unwrap_err();
    assert!(e.to_string().contains("already registered"), "{e}");
    ctx.register_pass(PassDef::new("cfunc-resolve", "", |_| Ok(())).after("cfunc-to-llvm"))
        .unwrap();
    let e = passes::pipeline_for(&ctx).unwrap_err();
    assert!(e.contains("has the name of a built-in pass"), "{e}");

    // Two passes after one anchor run in registration order.
    let mut ctx = defaults();
    for name in ["first", "second"] {
        ctx.register_pass(PassDef::new(name, "", |_| Ok(())).after("cfunc-resolve"))
            .unwrap();
    }
    ctx.register_pass(PassDef::new("before", "", |_| Ok(())).before("cfunc-lower-arith"))
        .unwrap();
    assert!(passes::pipeline_for(&ctx)
        .unwrap()
        .starts_with("cfunc-resolve,first,second,before,cfunc-lower-arith,"));
    // A registered pass under an anchor is refused: it runs on the module.
    let parsed = passes::parse_pipeline("func.func(first)").unwrap();
    let e = passes::steps_in(&ctx, &parsed).err().unwrap();
    assert!(e.contains("runs on the whole module"), "{e}");
}

#[test]
fn the_semantic_key_follows_the_passes_that_run() {
    let d = CompilationOptions::default;
    let base = key(&defaults(), &d());
    // The default pipeline spelled out: the same code, the same key.
    let spelled = CompilationOptions {
        pass_pipeline: Some(format!("builtin.module({})", passes::default_pipeline())),
        ..d()
    };
    assert_eq!(key(&defaults(), &spelled), base);
    // Another pipeline: another key, even when the code is the same.
    let canon = CompilationOptions {
        pass_pipeline: Some(passes::default_pipeline().replacen(
            "cfunc-lower-arith,",
            "cfunc-lower-arith,canonicalize,",
            1,
        )),
        ..d()
    };
    let k_canon = key(&defaults(), &canon);
    assert_ne!(k_canon, base);
    // A pass left out: another pipeline, another key.
    let without = CompilationOptions {
        disable_passes: vec!["cfunc-simplify-containers".into()],
        ..d()
    };
    let k_without = key(&defaults(), &without);
    assert_ne!(k_without, base);
    assert_ne!(k_without, k_canon);
    let e = compile_to_object(
        &defaults(),
        NODE,
        "node",
        &Constants::new(),
        &CompilationOptions {
            disable_passes: vec!["no-such-pass".into()],
            ..d()
        },
    )
    .err()
    .unwrap();
    assert!(
        matches!(&e, Error::Usage(m) if m.contains("--disable-pass no-such-pass: the pipeline has no such pass")),
        "{e}"
    );
    // A registered pass that runs, and its version.
    let with = |version: &str| {
        let mut ctx = defaults();
        ctx.register_pass(
            PassDef::new("noop", "changes nothing", |_| Ok(()))
                .after("cfunc-lower-arith")
                .version(version),
        )
        .unwrap();
        key(&ctx, &d())
    };
    let (v1, v2) = (with("1"), with("2"));
    assert_ne!(v1, base);
    assert_ne!(v1, v2);
    assert_eq!(v1, with("1"));
    // A registered pass that does not run leaves the key alone.
    let mut ctx = defaults();
    ctx.register_pass(PassDef::new("idle", "", |_| Ok(())).version("9"))
        .unwrap();
    assert_eq!(key(&ctx, &d()), base);
    // And registered passes key the compile cache through the registry.
    assert_ne!(ctx.identity(), defaults().identity());
}

#[test]
fn a_pipeline_that_does_not_reach_the_llvm_dialect_is_a_usage_error() {
    let opts = CompilationOptions {
        pass_pipeline: Some("cfunc-resolve,cfunc-lower-arith".into()),
        ..Default::default()
    };
    let e = compile_to_object(&defaults(), NODE, "node", &Constants::new(), &opts)
        .err()
        .unwrap();
    let text = e.to_string();
    assert!(matches!(e, Error::Usage(_)), "{text}");
    assert!(
        text.contains("does not lower the node to the llvm dialect") && text.contains("remain"),
        "{text}"
    );
}

/// `cfuncc compile --pass-pipeline`: the .so, its manifest, and the key.
#[test]
fn cfuncc_compile_takes_a_pipeline() {
    let scratch = common::temp_dir("compile_pipeline");
    let file = scratch.path().join("node.py");
    std::fs::write(&file, NODE).unwrap();
    let key_of = |extra: &[&str], name: &str| {
        let out = scratch.path().join(format!("{name}.so"));
        let mut args = vec!["--function".to_string(), "node".into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        common::compile(&file, &args, &out).unwrap();
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.with_extension("json")).unwrap())
                .unwrap();
        (
            m["semantic_key"].as_str().unwrap().to_string(),
            m["options"].clone(),
        )
    };
    let (base, options) = key_of(&[], "base");
    assert!(options.get("pass_pipeline").is_none());
    let pipeline = format!(
        "--pass-pipeline={}",
        passes::default_pipeline().replacen("cfunc-lower-arith,", "cfunc-lower-arith,cse,", 1)
    );
    let (other, options) = key_of(&[&pipeline], "other");
    assert_ne!(base, other);
    assert!(options["pass_pipeline"].as_str().unwrap().contains(",cse,"));
    let out = scratch.path().join("bad.so");
    let e = common::compile(
        &file,
        &[
            "--function".into(),
            "node".into(),
            "--pass-pipeline=cfunc-resolve,no-such-pass".into(),
        ],
        &out,
    )
    .unwrap_err();
    assert!(e.starts_with("exit Some(2)"), "{e}");
    assert!(
        e.contains("'no-such-pass' is neither a cfunc pass nor an MLIR pass"),
        "{e}"
    );
}
