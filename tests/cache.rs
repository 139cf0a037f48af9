//! The local compile cache (src/driver/cache.rs, docs/cache.md): the key
//! changes with every input, a hit gives the same node without a compile,
//! a damaged entry is recompiled and never loaded, the size stays bounded,
//! processes share one cache, and `cfuncc cache` and `--no-cache` work.

mod common;

use cfuncc::driver::cache::{self, compile_to_so_cached, Cache, Outcome};
use cfuncc::types::Ty;
use cfuncc::{
    CompilationContext, CompilationOptions, ConstValue, Constants, ExternFunction, Linker,
};
use std::path::{Path, PathBuf};
use std::process::Command;

const EMA: &str = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";

fn alpha(a: f64) -> Constants {
    let mut c = Constants::new();
    c.insert("alpha".into(), ConstValue::Float(a));
    c
}

#[test]
fn the_key_changes_with_every_input() {
    let scratch = common::temp_dir("cache-key");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let key =
        |ctx: &CompilationContext, src: &str, f: &str, c: &Constants, o: &CompilationOptions| {
            cache::key(ctx, src, f, c, o).unwrap()
        };
    let d = CompilationOptions::default;
    let base = key(&ctx, EMA, "ema", &alpha(0.5), &d());
    assert_eq!(
        base,
        key(&ctx, EMA, "ema", &alpha(0.5), &d()),
        "deterministic"
    );
    let bc1 = tmp.join("a.bc");
    std::fs::write(&bc1, b"one").unwrap();
    let with_file = CompilationOptions {
        link_bitcode: vec![bc1.clone()],
        ..d()
    };
    let file_key = key(&ctx, EMA, "ema", &alpha(0.5), &with_file);
    std::fs::write(&bc1, b"two").unwrap();
    let changed_file_key = key(&ctx, EMA, "ema", &alpha(0.5), &with_file);
    let mut ext = ctx.try_clone().unwrap();
    ext.register_extern(ExternFunction::new("mid", &[Ty::Int], Some(Ty::Float)))
        .unwrap();
    let mut with_pass = ctx.try_clone().unwrap();
    with_pass
        .register_pass(cfuncc::context::PassDef::new(
            "idle",
            "does nothing",
            |_| Ok(()),
        ))
        .unwrap();
    let mut versioned = ext.try_clone().unwrap();
    versioned.set_extension_version("book", "2");
    let variants = [
        (
            "source",
            key(&ctx, &EMA.replace("1.0", "1.00"), "ema", &alpha(0.5), &d()),
        ),
        (
            "function",
            key(&ctx, &EMA.replace("ema", "f"), "f", &alpha(0.5), &d()),
        ),
        ("constant", key(&ctx, EMA, "ema", &alpha(0.25), &d())),
        (
            "opt level",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    opt_level: cfuncc::OptLevel::O1,
                    ..d()
                },
            ),
        ),
        (
            "fastmath",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    fastmath: true,
                    ..d()
                },
            ),
        ),
        (
            "datetime_as_int",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    datetime_as_int: true,
                    ..d()
                },
            ),
        ),
        (
            "force_inline",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    force_inline: true,
                    ..d()
                },
            ),
        ),
        (
            "symbol prefix",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    symbol_prefix: "x_".into(),
                    ..d()
                },
            ),
        ),
        (
            "internalize",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    internalize: false,
                    ..d()
                },
            ),
        ),
        (
            "target cpu",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    target_cpu: Some("x86-64".into()),
                    ..d()
                },
            ),
        ),
        (
            "linker",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    linker: Linker::System,
                    ..d()
                },
            ),
        ),
        (
            "filename",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    filename: "ema.py".into(),
                    ..d()
                },
            ),
        ),
        ("linked bitcode file", file_key.clone()),
        (
            "in-memory bitcode",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &d().with_bitcode("b.bc", b"x".to_vec()),
            ),
        ),
        (
            "pass pipeline",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    pass_pipeline: Some(cfuncc::passes::default_pipeline()),
                    ..d()
                },
            ),
        ),
        (
            "disabled pass",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    disable_passes: vec!["cfunc-simplify-containers".into()],
                    ..d()
                },
            ),
        ),
        (
            "debug info",
            key(
                &ctx,
                EMA,
                "ema",
                &alpha(0.5),
                &CompilationOptions {
                    debug_info: true,
                    ..d()
                },
            ),
        ),
        ("a registration", key(&ext, EMA, "ema", &alpha(0.5), &d())),
        (
            "a registered pass",
            key(&with_pass, EMA, "ema", &alpha(0.5), &d()),
        ),
        (
            "an extension version",
            key(&versioned, EMA, "ema", &alpha(0.5), &d()),
        ),
    ];
    let mut seen = vec![("default", base.clone())];
    for (what, k) in variants {
        for (other, k2) in &seen {
            assert_ne!(&k, k2, "changing the {what} gives the key of {other}");
        }
        seen.push((what, k));
    }
    assert_ne!(file_key, changed_file_key, "the linked bitcode's bytes");
    let text = cache::key_text(&ctx, EMA, "ema", &alpha(0.5), &d()).unwrap();
    for line in [
        "cfuncc ",
        "llvm ",
        "target ",
        "options ",
        "registry ",
        "source ",
    ] {
        assert!(text.lines().any(|l| l.starts_with(line)), "{line}\n{text}");
    }
}

fn tick(so: &Path, manifest: &serde_json::Value, xs: &[f64]) -> Vec<f64> {
    let mut node = cfuncc::runner::Node::load(so, manifest).unwrap();
    node.start().unwrap();
    let out = xs
        .iter()
        .map(|x| {
            let o = node
                .execute(&[cfuncc::runner::Value::Float(*x)], &[], &[])
                .unwrap();
            match o[0] {
                Some(cfuncc::runner::Value::Float(v)) => v,
                ref other => panic!("{other:?}"),
            }
        })
        .collect();
    node.stop().unwrap();
    out
}

#[test]
fn a_hit_is_the_same_node_without_a_compile_and_damage_is_recompiled() {
    let scratch = common::temp_dir("cache-hit");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let c = Cache::new(tmp.join("cache"), cache::DEFAULT_MAX_BYTES);
    let opts = CompilationOptions::default();
    let (a, b) = (tmp.join("a.so"), tmp.join("b.so"));
    let first = compile_to_so_cached(&ctx, Some(&c), EMA, "ema", &alpha(0.5), &opts, &a).unwrap();
    assert_eq!(first.outcome, Outcome::Miss);
    let second = compile_to_so_cached(&ctx, Some(&c), EMA, "ema", &alpha(0.5), &opts, &b).unwrap();
    assert_eq!(second.outcome, Outcome::Hit);
    assert!(second.result.is_none());
    assert_eq!(first.manifest, second.manifest);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let xs = [10.0, 10.0, 0.0, 4.0];
    assert_eq!(
        tick(&a, &first.manifest, &xs),
        tick(&b, &second.manifest, &xs)
    );
    assert_eq!(c.stats().entries, 1);

    // Truncate the entry (one file: a line of metadata, then the .so): the
    // next compile reports it, recompiles and stores a good entry again.
    let key = cache::key(&ctx, EMA, "ema", &alpha(0.5), &opts).unwrap();
    let so = c.dir().join("v2").join(&key.0[..2]).join(&key.0);
    let len = std::fs::metadata(&so).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&so)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    assert!(c.get(&key).is_none(), "a truncated entry is never returned");
    let third = compile_to_so_cached(&ctx, Some(&c), EMA, "ema", &alpha(0.5), &opts, &b).unwrap();
    assert_eq!(third.outcome, Outcome::Miss);
    assert_eq!(
        tick(&b, &third.manifest, &xs),
        tick(&a, &first.manifest, &xs)
    );
    // Flip one byte of the .so without changing the length: the checksum
    // catches it.
    let mut bytes = std::fs::read(&so).unwrap();
    let at = bytes.len() - 100;
    bytes[at] ^= 0xff;
    std::fs::write(&so, bytes).unwrap();
    assert!(c.get(&key).is_none(), "a corrupted entry is never returned");
    assert_eq!(c.stats().entries, 0, "the damaged entry is removed");
}

#[test]
fn the_cache_stays_within_its_bound_dropping_the_least_recently_used() {
    let scratch = common::temp_dir("cache-bound");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let opts = CompilationOptions::default();
    // Room for about two entries.
    let probe = Cache::new(tmp.join("probe"), u64::MAX);
    compile_to_so_cached(
        &ctx,
        Some(&probe),
        EMA,
        "ema",
        &alpha(0.5),
        &opts,
        &tmp.join("p.so"),
    )
    .unwrap();
    let one = probe.stats().bytes;
    let c = Cache::new(tmp.join("cache"), one * 2 + one / 2);
    let out = tmp.join("x.so");
    let kept = |a: f64| {
        // A lookup is a use, as a hit is.
        let k = cache::key(&ctx, EMA, "ema", &alpha(a), &opts).unwrap();
        c.get(&k).is_some()
    };
    let pause = || std::thread::sleep(std::time::Duration::from_millis(20));
    for (i, a) in [0.1, 0.2, 0.3, 0.4].into_iter().enumerate() {
        compile_to_so_cached(&ctx, Some(&c), EMA, "ema", &alpha(a), &opts, &out).unwrap();
        pause();
        assert!(c.stats().bytes <= one * 2 + one / 2, "{:?}", c.stats());
        if i == 1 {
            // Use the first entry again: it is now the most recent.
            let hit = compile_to_so_cached(&ctx, Some(&c), EMA, "ema", &alpha(0.1), &opts, &out);
            assert_eq!(hit.unwrap().outcome, Outcome::Hit);
            pause();
        }
        if i == 2 {
            // 0.2, not the older but since used 0.1, made room for 0.3.
            assert!(!kept(0.2) && kept(0.3));
            pause();
            assert!(kept(0.1));
            pause();
        }
    }
    assert_eq!(c.stats().entries, 2);
    // 0.3 was the least recently used when 0.4 came.
    assert!(kept(0.4) && kept(0.1) && !kept(0.3));
}

/// A write does not list the whole cache each time: a scan leaves the size
/// it found in `v2/size` (`BYTES UNIX_SECONDS`), and a later process starts
/// from it instead of statting every entry; the bound still holds across
/// processes (each a `Cache` of its own here).
#[test]
fn a_scan_leaves_the_size_for_the_next_process() {
    let scratch = common::temp_dir("cache-size");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let opts = CompilationOptions::default();
    let dir = tmp.join("cache");
    let out = tmp.join("x.so");
    let first = Cache::new(&dir, u64::MAX);
    compile_to_so_cached(&ctx, Some(&first), EMA, "ema", &alpha(0.1), &opts, &out).unwrap();
    let text = std::fs::read_to_string(dir.join("v2/size")).expect("the scan left the size");
    let bytes: u64 = text.split_whitespace().next().unwrap().parse().unwrap();
    assert_eq!(bytes, first.stats().bytes, "{text}");
    let one = bytes;
    // Another process with room for about two entries: its estimate starts
    // from the file, so its second write already evicts.
    let bound = one * 2 + one / 2;
    let second = Cache::new(&dir, bound);
    for a in [0.2, 0.3, 0.4] {
        compile_to_so_cached(&ctx, Some(&second), EMA, "ema", &alpha(a), &opts, &out).unwrap();
        assert!(second.stats().bytes <= bound, "{:?}", second.stats());
    }
}

fn cfuncc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .args(args)
        .current_dir(common::root())
        .env_remove("CFUNCC_CACHE")
        .output()
        .expect("run cfuncc")
}

#[test]
fn processes_share_one_cache_and_the_cli_drives_it() {
    let scratch = common::temp_dir("cache-cli");
    let tmp = scratch.path();
    let dir = tmp.join("cache");
    let dir_s = dir.display().to_string();
    let outs: Vec<PathBuf> = (0..4).map(|i| tmp.join(format!("e{i}.so"))).collect();
    // Four processes compile one node into one cache at once.
    let children: Vec<_> = outs
        .iter()
        .map(|o| {
            Command::new(env!("CARGO_BIN_EXE_cfuncc"))
                .args([
                    "compile",
                    "examples/ema.py",
                    "--function",
                    "ema",
                    "--const",
                    "alpha=0.5",
                    "--cache-dir",
                    &dir_s,
                    "-o",
                ])
                .arg(o)
                .current_dir(common::root())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let first = std::fs::read(&outs[0]).unwrap();
    assert!(outs.iter().all(|o| std::fs::read(o).unwrap() == first));
    let stats = cfuncc(&["cache", "stats", "--cache-dir", &dir_s]);
    assert!(stats.status.success());
    assert!(
        String::from_utf8_lossy(&stats.stdout).contains(": 1 entries"),
        "{stats:?}"
    );
    // A hit says so under --timings and still replays ticks the same.
    let hit = cfuncc(&[
        "compile",
        "examples/ema.py",
        "--function",
        "ema",
        "--const",
        "alpha=0.5",
        "--cache-dir",
        &dir_s,
        "--timings",
        "-o",
        &tmp.join("h.so").display().to_string(),
    ]);
    assert!(
        String::from_utf8_lossy(&hit.stderr).contains("cache hit"),
        "{hit:?}"
    );
    let ticks = "{\"inputs\": [10.0]}\n{\"inputs\": [0.0]}\n";
    assert_eq!(
        common::run(&tmp.join("h.so"), ticks).unwrap(),
        common::run(&outs[0], ticks).unwrap()
    );
    // --no-cache compiles and stores nothing new.
    let other = cfuncc(&[
        "compile",
        "examples/ema.py",
        "--function",
        "ema",
        "--const",
        "alpha=0.25",
        "--cache-dir",
        &dir_s,
        "--no-cache",
        "-o",
        &tmp.join("n.so").display().to_string(),
    ]);
    assert!(other.status.success());
    let stats = cfuncc(&["cache", "stats", "--cache-dir", &dir_s]);
    assert!(String::from_utf8_lossy(&stats.stdout).contains(": 1 entries"));
    let clear = cfuncc(&["cache", "clear", "--cache-dir", &dir_s]);
    assert!(
        String::from_utf8_lossy(&clear.stdout).contains("removed 1 entries"),
        "{clear:?}"
    );
    let stats = cfuncc(&["cache", "stats", "--cache-dir", &dir_s]);
    assert!(String::from_utf8_lossy(&stats.stdout).contains(": 0 entries"));
}

#[test]
fn a_hit_repeats_the_warnings_of_the_compile_that_made_it() {
    let scratch = common::temp_dir("cache-warn");
    let tmp = scratch.path();
    let dir_s = tmp.join("cache").display().to_string();
    let not_bitcode = tmp.join("junk.bc");
    std::fs::write(&not_bitcode, b"not bitcode").unwrap();
    let nb = not_bitcode.display().to_string();
    let out = tmp.join("e.so").display().to_string();
    let args = [
        "compile",
        "examples/ema.py",
        "--function",
        "ema",
        "--const",
        "alpha=0.5",
        "--link-bitcode",
        &nb,
        "--cache-dir",
        &dir_s,
        "-o",
        &out,
    ];
    let miss = cfuncc(&args);
    let hit = cfuncc(&args);
    assert!(miss.status.success() && hit.status.success());
    let warning = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .filter(|l| l.contains("warning"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(!warning(&miss).is_empty(), "{miss:?}");
    assert_eq!(warning(&miss), warning(&hit));
}

#[test]
fn the_jit_path_uses_the_cache_too() {
    use cfuncc::runner::Value;
    let scratch = common::temp_dir("cache-jit");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let store = Cache::new(tmp.join("cache"), cache::DEFAULT_MAX_BYTES);
    let jit = cfuncc::Jit::new().unwrap();
    let opts = CompilationOptions::default();
    let run = |node: &cfuncc::JitNode| {
        let mut n = node.runner().unwrap();
        n.start().unwrap();
        [10.0, 10.0, 0.0]
            .iter()
            .map(|&x| n.execute(&[Value::Float(x)], &[], &[]).unwrap()[0].clone())
            .collect::<Vec<_>>()
    };
    let (cold, o1, _) =
        cache::compile_to_jit_cached(&ctx, Some(&store), EMA, "ema", &alpha(0.5), &opts, &jit)
            .unwrap();
    let (warm, o2, _) =
        cache::compile_to_jit_cached(&ctx, Some(&store), EMA, "ema", &alpha(0.5), &opts, &jit)
            .unwrap();
    assert_eq!((o1, o2), (Outcome::Miss, Outcome::Hit));
    assert!(cold.result().is_some() && warm.result().is_none());
    assert_eq!(cold.manifest(), warm.manifest());
    assert_eq!(run(&cold), run(&warm));
    assert_eq!(
        run(&warm),
        vec![
            Some(Value::Float(5.0)),
            Some(Value::Float(7.5)),
            Some(Value::Float(3.75))
        ]
    );
    // Another constant is another entry.
    let (_, o3, _) =
        cache::compile_to_jit_cached(&ctx, Some(&store), EMA, "ema", &alpha(0.25), &opts, &jit)
            .unwrap();
    assert_eq!(o3, Outcome::Miss);
    // The CLI's run --jit reads the same cache.
    let py = tmp.join("ema.py");
    std::fs::write(&py, EMA).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .args(["run", "--jit"])
        .arg(&py)
        .args(["--function", "ema", "--const", "alpha=0.5", "--cache-dir"])
        .arg(tmp.join("cache"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// `clear` also removes the entries of the old two-file layout (`v1/`),
/// which no compile reads any more.
#[test]
fn clear_removes_an_old_layout_too() {
    let scratch = common::temp_dir("cache-old-layout");
    let dir = scratch.path().join("cache");
    let old = dir.join("v1").join("ab");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("abcd.so"), b"old").unwrap();
    std::fs::write(old.join("abcd.json"), b"{}").unwrap();
    let c = Cache::new(&dir, cache::DEFAULT_MAX_BYTES);
    assert_eq!(c.stats().entries, 0, "an old layout is not read");
    c.clear().unwrap();
    assert!(!dir.join("v1").exists());
}
