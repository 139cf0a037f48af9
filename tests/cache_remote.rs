//! The remote cache tier against a real `redis-server` (Debian's, installed
//! by scripts/install-deps) started on a loopback port by each test: a farm
//! of machines shares one Redis, entries are authenticated, and a remote
//! that is down, dies, hangs or lies never fails a compile.

mod common;

use cfuncc::driver::cache::{self, compile_to_so_cached, Cache, Outcome, Remote};
use cfuncc::types::Ty;
use cfuncc::{CompilationContext, CompilationOptions, ConstValue, Constants, ExternFunction};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const EMA: &str = "def ema(x: Signal[float], alpha: float) -> Signal[float]:\n    s: State[float] = 0.0\n    s = alpha * x + (1.0 - alpha) * s\n    return s\n";
const SECRET: &[u8] = b"farm secret";

fn alpha(a: f64) -> Constants {
    let mut c = Constants::new();
    c.insert("alpha".into(), ConstValue::Float(a));
    c
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A redis-server on a free loopback port, killed on drop.
struct Redis {
    child: Child,
    url: String,
}

impl Redis {
    fn start() -> Self {
        let port = free_port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (scripts/install-deps installs it)");
        let url = format!("redis://127.0.0.1:{port}/");
        let client = redis::Client::open(url.as_str()).unwrap();
        for _ in 0..200 {
            if let Ok(mut c) = client.get_connection() {
                if redis::cmd("PING").query::<String>(&mut c).is_ok() {
                    return Redis { child, url };
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not answer on {url}");
    }

    fn conn(&self) -> redis::Connection {
        redis::Client::open(self.url.as_str())
            .unwrap()
            .get_connection()
            .unwrap()
    }

    fn keys(&self) -> Vec<String> {
        redis::cmd("KEYS")
            .arg("cfuncc:*")
            .query(&mut self.conn())
            .unwrap()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn machine(dir: &Path, url: &str, secret: &[u8]) -> Cache {
    Cache::new(dir, cache::DEFAULT_MAX_BYTES)
        .with_remote(Remote::new(url, secret, Duration::from_millis(250)).unwrap())
}

/// Compiles through `cache` and writes the manifest beside the `.so`, as
/// `cfuncc compile` does.
fn build(
    ctx: &CompilationContext,
    cache: &Cache,
    a: f64,
    out: &Path,
) -> cfuncc::driver::cache::Cached {
    let r = compile_to_so_cached(
        ctx,
        Some(cache),
        EMA,
        "ema",
        &alpha(a),
        &CompilationOptions::default(),
        out,
    )
    .unwrap();
    std::fs::write(out.with_extension("json"), r.manifest.to_string()).unwrap();
    r
}

fn ticks(so: &Path) -> Vec<serde_json::Value> {
    common::run(
        so,
        "{\"inputs\": [10.0]}\n{\"inputs\": [0.0]}\n{\"inputs\": [4.0]}\n",
    )
    .unwrap()
}

#[test]
fn a_farm_shares_one_redis() {
    let redis = Redis::start();
    let scratch = common::temp_dir("remote-farm");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let a = machine(&tmp.join("a"), &redis.url, SECRET);
    let b = machine(&tmp.join("b"), &redis.url, SECRET);
    let (sa, sb) = (tmp.join("a.so"), tmp.join("b.so"));
    let ra = build(&ctx, &a, 0.5, &sa);
    assert_eq!(ra.outcome, Outcome::Miss);
    assert_eq!(redis.keys().len(), 1);
    let rb = build(&ctx, &b, 0.5, &sb);
    assert_eq!(rb.outcome, Outcome::RemoteHit, "machine b compiles nothing");
    assert_eq!(ra.manifest, rb.manifest);
    assert_eq!(ticks(&sa), ticks(&sb));
    // Now b has it locally too.
    let again = build(&ctx, &b, 0.5, &sb);
    assert_eq!(again.outcome, Outcome::Hit);
}

#[test]
fn tampered_and_foreign_entries_are_ignored() {
    let redis = Redis::start();
    let scratch = common::temp_dir("remote-tamper");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let opts = CompilationOptions::default();
    let a = machine(&tmp.join("a"), &redis.url, SECRET);
    build(&ctx, &a, 0.5, &tmp.join("a.so"));
    // Another secret: the entry does not verify.
    let stranger = machine(&tmp.join("s"), &redis.url, b"another secret");
    let r = build(&ctx, &stranger, 0.5, &tmp.join("s.so"));
    assert_eq!(r.outcome, Outcome::Miss);
    // Flip one byte of the .so inside the stored entry: it does not verify.
    let key = redis.keys().remove(0);
    let mut blob: Vec<u8> = redis::cmd("GET")
        .arg(&key)
        .query(&mut redis.conn())
        .unwrap();
    let last = blob.len() - 1;
    blob[last] ^= 1;
    let _: () = redis::cmd("SET")
        .arg(&key)
        .arg(blob)
        .query(&mut redis.conn())
        .unwrap();
    let c = machine(&tmp.join("c"), &redis.url, SECRET);
    let k = cache::key(&ctx, EMA, "ema", &alpha(0.5), &opts).unwrap();
    assert!(
        c.remote().unwrap().get(&k).is_none(),
        "a tampered entry is never returned"
    );
    // Garbage of any length.
    for junk in [&b""[..], b"x", &[7u8; 100][..]] {
        let _: () = redis::cmd("SET")
            .arg(&key)
            .arg(junk)
            .query(&mut redis.conn())
            .unwrap();
        assert!(c.remote().unwrap().get(&k).is_none());
    }
    let r = build(&ctx, &c, 0.5, &tmp.join("c.so"));
    assert_eq!(r.outcome, Outcome::Miss);
    assert_eq!(ticks(&tmp.join("c.so")), ticks(&tmp.join("a.so")));
}

#[test]
fn a_dead_hanging_or_absent_remote_costs_only_the_miss() {
    let scratch = common::temp_dir("remote-down");
    let tmp = scratch.path();
    let ctx = CompilationContext::with_defaults().unwrap();
    let mut redis = Redis::start();
    let a = machine(&tmp.join("a"), &redis.url, SECRET);
    build(&ctx, &a, 0.1, &tmp.join("1.so"));
    // Killed mid-run: the next compiles go on without it.
    redis.child.kill().unwrap();
    redis.child.wait().unwrap();
    for (i, x) in [0.2, 0.3].into_iter().enumerate() {
        let out = tmp.join(format!("k{i}.so"));
        let r = build(&ctx, &a, x, &out);
        assert_eq!(r.outcome, Outcome::Miss);
        assert!(!ticks(&out).is_empty());
    }
    // Nothing listens.
    let nobody = machine(
        &tmp.join("n"),
        &format!("redis://127.0.0.1:{}/", free_port()),
        SECRET,
    );
    let r = build(&ctx, &nobody, 0.4, &tmp.join("n.so"));
    assert_eq!(r.outcome, Outcome::Miss);
    // A server that accepts and never answers: bounded by the timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = std::thread::spawn(move || {
        let conns: Vec<_> = silent.incoming().take(2).collect();
        std::thread::sleep(Duration::from_secs(3));
        drop(conns);
    });
    let hang = machine(
        &tmp.join("h"),
        &format!("redis://127.0.0.1:{port}/"),
        SECRET,
    );
    let r = build(&ctx, &hang, 0.5, &tmp.join("h.so"));
    assert_eq!(r.outcome, Outcome::Miss);
    drop(hang);
    let _ = held;
}

#[test]
fn unversioned_registrations_and_missing_secrets_keep_to_the_local_tier() {
    let redis = Redis::start();
    let scratch = common::temp_dir("remote-local-only");
    let tmp = scratch.path();
    let mut ctx = CompilationContext::with_defaults().unwrap();
    assert!(ctx.is_versioned());
    ctx.register_extern(ExternFunction::new("mid", &[Ty::Int], Some(Ty::Float)))
        .unwrap();
    assert!(!ctx.is_versioned());
    let a = machine(&tmp.join("a"), &redis.url, SECRET);
    let r = build(&ctx, &a, 0.5, &tmp.join("a.so"));
    assert_eq!(r.outcome, Outcome::Miss);
    assert!(
        redis.keys().is_empty(),
        "an unversioned extension's code is not shared"
    );
    ctx.set_extension_version("mid", "1");
    assert!(ctx.is_versioned());
    build(&ctx, &a, 0.5, &tmp.join("b.so"));
    assert_eq!(redis.keys().len(), 1);

    // The CLI: a remote without a secret is off, with a warning, and the
    // compile goes on with the local tier.
    let out = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .args([
            "compile",
            "examples/ema.py",
            "--function",
            "ema",
            "--const",
            "alpha=0.75",
            "-o",
        ])
        .arg(tmp.join("cli.so"))
        .arg("--cache-dir")
        .arg(tmp.join("cli-cache"))
        .current_dir(common::root())
        .env("CFUNCC_CACHE_REMOTE", &redis.url)
        .env_remove("CFUNCC_CACHE_SECRET")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CFUNCC_CACHE_SECRET"), "{err}");
    assert_eq!(redis.keys().len(), 1, "nothing written without a secret");
    // With the secret, the CLI writes to the farm's cache.
    let out = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .args([
            "compile",
            "examples/ema.py",
            "--function",
            "ema",
            "--const",
            "alpha=0.5",
            "-o",
        ])
        .arg(tmp.join("cli3.so"))
        .arg("--cache-dir")
        .arg(tmp.join("cli-cache-2"))
        .args(["--cache-remote", &redis.url])
        .env("CFUNCC_CACHE_SECRET", std::str::from_utf8(SECRET).unwrap())
        .current_dir(common::root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(redis.keys().len(), 2);
}
