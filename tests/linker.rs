//! The builtin linker (src/backend/elf/) against the system linker: every
//! differential node plus nodes calling libm and dispatching through jump
//! tables is linked both ways, and the two `.so` files must give identical
//! results tick by tick. The builtin `.so` is also checked with binutils:
//! no text relocations, a non-executable stack, only the node, its fault
//! accessor and its layout exported, RELRO, a build ID stable for identical
//! inputs, imports with the versions `ld` records, and an `.eh_frame_hdr`
//! an unwinder can use (`_Unwind_Backtrace` through a C object's frame).
//! The compile result reports which linker ran, and why `ld` did.

mod common;

use cfuncc::frontend::literal::parse_const;
use cfuncc::runner::{Node, Value};
use cfuncc::{compile_to_so, CompilationContext, CompilationOptions, Constants, Linker};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Nodes whose objects have what the differential nodes may lack: imports
/// from libm, and switches that LLVM lowers to jump tables (relocations in
/// .rodata).
const EXTRA: &[(&str, &str, &str)] = &[
    (
        "libm_calls",
        r#"
import math

def libm_calls(x: Signal[float], y: Signal[float]) -> Signal[float]:
    a = math.sin(x) + math.cos(y) + math.tan(x * 0.1)
    b = math.fmod(x, y) + math.hypot(x, y) + math.atan2(y, x)
    c = math.exp(-abs(x)) + math.log(abs(y) + 1.0) + math.pow(abs(x), 0.37)
    return a + b + c
"#,
        r#"{"inputs": [1.5, 2.0]}
{"inputs": [-3.25, 0.5]}
{"inputs": [1e-300, 3.0]}
{"inputs": [123.456, -7.5]}
{"inputs": [0.0, 0.0]}
{"inputs": [-0.1, 1e10]}
"#,
    ),
    (
        "dispatch_match",
        r#"
import math

def dispatch_match(op: Signal[int], a: Signal[float]) -> Signal[float]:
    match op:
        case 0:
            return a + 1.0
        case 1:
            return a * 3.0
        case 2:
            return math.sqrt(abs(a))
        case 3:
            return math.floor(a) * 1.0
        case 4:
            return a * a - 2.0
        case 5:
            return math.sin(a)
        case 6:
            return -a
        case 7:
            return a / 7.0
        case 8:
            return math.fmod(a, 3.0)
        case 9:
            return math.hypot(a, 4.0)
        case 10:
            return abs(a) + 10.0
        case _:
            return 0.5
"#,
        r#"{"inputs": [0, 1.5]}
{"inputs": [1, -2.0]}
{"inputs": [2, 9.0]}
{"inputs": [3, 2.7]}
{"inputs": [4, 3.0]}
{"inputs": [5, 0.5]}
{"inputs": [6, 8.0]}
{"inputs": [7, 14.0]}
{"inputs": [8, 10.5]}
{"inputs": [9, 3.0]}
{"inputs": [10, -1.0]}
{"inputs": [11, 1.0]}
{"inputs": [-4, 1.0]}
"#,
    ),
    (
        "dispatch_if_chain",
        r#"
def dispatch_if_chain(op: Signal[int], a: Signal[int]) -> Signal[int]:
    if op == 0:
        r = a + 1
    elif op == 1:
        r = a * 3
    elif op == 2:
        r = a // 5
    elif op == 3:
        r = a % 7
    elif op == 4:
        r = a << 2
    elif op == 5:
        r = a >> 1
    elif op == 6:
        r = -a
    elif op == 7:
        r = a ^ 1234
    elif op == 8:
        r = a * a
    elif op == 9:
        r = abs(a)
    else:
        r = 0
    return r
"#,
        r#"{"inputs": [0, 5]}
{"inputs": [1, -5]}
{"inputs": [2, -17]}
{"inputs": [3, -17]}
{"inputs": [4, 3]}
{"inputs": [5, -9]}
{"inputs": [6, 4]}
{"inputs": [7, 99]}
{"inputs": [8, 12]}
{"inputs": [9, -3]}
{"inputs": [10, 1]}
"#,
    ),
];

/// One node to compile: source, function, constants, ticks.
struct Case {
    name: String,
    source: String,
    function: String,
    consts: Constants,
    /// A `--types` file (struct layouts, enums), from the crate root.
    types: Option<PathBuf>,
    /// `--datetime-as-int` in the header.
    datetime_as_int: bool,
    ticks: String,
}

fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    let dir = common::root().join("tests/differential/nodes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    for f in files {
        let source = std::fs::read_to_string(&f).unwrap();
        let args = common::header_args(&source);
        let mut function = String::new();
        let mut consts = Constants::new();
        let mut types = None;
        let mut datetime_as_int = false;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--function" => function = it.next().unwrap().clone(),
                "--const" => {
                    let (k, val) = it.next().unwrap().split_once('=').unwrap();
                    consts.insert(
                        k.into(),
                        parse_const(&CompilationContext::with_defaults().unwrap(), val).unwrap(),
                    );
                }
                "--types" => types = Some(common::root().join(it.next().unwrap())),
                "--datetime-as-int" => datetime_as_int = true,
                other => panic!("{}: unexpected header argument {other}", f.display()),
            }
        }
        v.push(Case {
            name: f.file_stem().unwrap().to_string_lossy().into(),
            source,
            function,
            consts,
            types,
            datetime_as_int,
            ticks: std::fs::read_to_string(f.with_extension("ticks.jsonl")).unwrap(),
        });
    }
    for (name, source, ticks) in EXTRA {
        v.push(Case {
            name: name.to_string(),
            source: source.to_string(),
            function: name.to_string(),
            consts: Constants::new(),
            types: None,
            datetime_as_int: false,
            ticks: ticks.to_string(),
        });
    }
    v
}

/// Drives `node` through the tick lines as `cfuncc run` does and records
/// every result: outputs (floats as bits) or the fault.
fn transcript(node: &mut Node, ticks: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut started = false;
    let mut last_was_stop = false;
    for line in ticks.lines().filter(|l| !l.trim().is_empty()) {
        let j: Json = serde_json::from_str(line).unwrap();
        if let Some(phase) = j["phase"].as_str() {
            started = true;
            last_was_stop = phase == "stop";
            let r = if last_was_stop {
                node.stop()
            } else {
                node.start()
            };
            out.push(format!("{phase}: {r:?}"));
            continue;
        }
        if !started {
            started = true;
            out.push(format!("start: {:?}", node.start()));
        }
        last_was_stop = false;
        let inputs: Vec<Value> = j["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .zip(node.input_types())
            .map(|(v, t)| Value::from_json(v, t).unwrap())
            .collect();
        let flags = |key: &str| -> Vec<bool> {
            j[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| v.as_bool().unwrap_or_else(|| v.as_i64() != Some(0)))
                        .collect()
                })
                .unwrap_or_default()
        };
        let r = node.execute(&inputs, &flags("ticked"), &flags("valid"));
        out.push(match r {
            Ok(outs) => outs
                .iter()
                .map(|o| match o {
                    Some(Value::Float(f)) => format!("f{:016x}", f.to_bits()),
                    Some(v) => format!("{v:?}"),
                    None => "-".into(),
                })
                .collect::<Vec<_>>()
                .join(" "),
            Err(f) => format!("fault {f:?}"),
        });
    }
    if !last_was_stop {
        out.push(format!("stop: {:?}", node.stop()));
    }
    out
}

/// A directory per test (tests run in parallel).
fn temp_dir(test: &str) -> tempfile::TempDir {
    common::temp_dir(&format!("linker-{test}"))
}

fn compile(
    ctx: &CompilationContext,
    case: &Case,
    linker: Linker,
    dir: &Path,
) -> cfuncc::CompilationResult {
    let so = dir.join(format!(
        "{}_{}.so",
        case.name,
        if linker == Linker::Builtin {
            "builtin"
        } else {
            "system"
        }
    ));
    let options = CompilationOptions {
        linker,
        datetime_as_int: case.datetime_as_int,
        ..Default::default()
    };
    // A node with a `--types` file compiles in a context with its types.
    let with_types;
    let ctx = match &case.types {
        Some(path) => {
            let mut c = ctx.try_clone().unwrap();
            c.load_types_file(path).unwrap();
            with_types = c;
            &with_types
        }
        None => ctx,
    };
    compile_to_so(
        ctx,
        &case.source,
        &case.function,
        &case.consts,
        &options,
        &so,
    )
    .unwrap_or_else(|e| panic!("{}: {e:?}", case.name))
}

#[test]
fn builtin_and_system_linkers_agree_tick_by_tick() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let scratch = temp_dir("agree");
    let dir = scratch.path();
    let cases = cases();
    assert!(cases.len() >= 40, "only {} nodes", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let builtin = compile(&ctx, case, Linker::Builtin, &dir);
        let system = compile(&ctx, case, Linker::System, &dir);
        if let Some(why) = &builtin.link_fallback {
            failures.push(format!(
                "{}: builtin linker fell back to ld: {why}",
                case.name
            ));
            continue;
        }
        assert_eq!(builtin.semantic_key, system.semantic_key, "{}", case.name);
        let mut b = Node::load(&builtin.so_path, &builtin.manifest()).unwrap();
        let mut s = Node::load(&system.so_path, &system.manifest()).unwrap();
        let (tb, ts) = (
            transcript(&mut b, &case.ticks),
            transcript(&mut s, &case.ticks),
        );
        if tb != ts {
            failures.push(format!("{}: builtin {tb:?}\n  system {ts:?}", case.name));
        }
    }
    println!(
        "linkers agree on {} of {} nodes",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn tool(cmd: &str, args: &[&str], so: &Path) -> String {
    let o = Command::new(cmd)
        .args(args)
        .arg(so)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd}: {e}"));
    assert!(
        o.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn builtin_so_passes_binutils_checks() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let scratch = temp_dir("binutils");
    let dir = scratch.path();
    let cases = cases();
    for name in ["ema", "libm_calls", "dispatch_match"] {
        let case = cases.iter().find(|c| c.name == name).unwrap();
        let r = compile(&ctx, case, Linker::Builtin, &dir);
        assert_eq!(r.link_fallback, None, "{name}");
        let so = &r.so_path;

        let dynamic = tool("readelf", &["-dW"], so);
        assert!(
            !dynamic.contains("TEXTREL"),
            "{name}: text relocations:\n{dynamic}"
        );
        let needs_libm = dynamic.contains("NEEDED") && dynamic.contains("[libm.so.6]");
        assert_eq!(
            needs_libm,
            name != "ema",
            "{name}: DT_NEEDED libm.so.6 iff the node calls libm:\n{dynamic}"
        );

        let segments = tool("readelf", &["-lW"], so);
        for kind in ["GNU_RELRO", "NOTE"] {
            assert!(
                segments.lines().any(|l| l.trim_start().starts_with(kind)),
                "{name}: no {kind}:\n{segments}"
            );
        }
        // Segment numbers → sections: RELRO holds .dynamic (and .got when
        // there is one), never .data or .bss.
        let relro = segment_sections(&segments, "GNU_RELRO");
        assert!(relro.contains(&".dynamic".into()), "{name}: {relro:?}");
        assert!(
            !relro.iter().any(|s| s == ".data" || s == ".bss"),
            "{name}: {relro:?}"
        );
        assert!(
            tool("readelf", &["-SW"], so).contains(".got") == relro.contains(&".got".into()),
            "{name}: .got outside RELRO:\n{segments}"
        );
        assert_eq!(
            segment_sections(&segments, "NOTE"),
            [".note.gnu.build-id"],
            "{name}"
        );
        assert!(build_id(so).len() == 40, "{name}");
        let stack = segments
            .lines()
            .find(|l| l.trim_start().starts_with("GNU_STACK"))
            .unwrap_or_else(|| panic!("{name}: no GNU_STACK:\n{segments}"));
        assert!(stack.contains(" RW "), "{name}: stack flags: {stack}");
        assert!(!stack.contains('E'), "{name}: executable stack: {stack}");
        let loads: Vec<&str> = segments
            .lines()
            .filter(|l| l.trim_start().starts_with("LOAD"))
            .collect();
        assert!(
            !loads.iter().any(|l| l.contains("RWE")),
            "{name}: writable code:\n{segments}"
        );

        let symbols = tool("nm", &["-D", "--defined-only"], so);
        let mut names: Vec<&str> = symbols
            .lines()
            .filter_map(|l| l.split_whitespace().last())
            .collect();
        names.sort();
        let mut want = vec![
            r.native_name.as_str(),
            r.fault_symbol.as_str(),
            r.layout_symbol.as_str(),
        ];
        want.sort();
        assert_eq!(names, want, "{name}: exported symbols");
    }
}

/// The fault and layout accessors arrive as module-level assembly
/// (`transform::accessors_to_asm`): each is an exported function of two
/// instructions, `lea` of its record and `ret`, typed and sized as LLVM
/// would emit it, and returns what the host reads through it.
#[test]
fn accessors_are_two_instructions_each() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let scratch = temp_dir("accessors");
    let cases = cases();
    let case = cases.iter().find(|c| c.name == "ema").unwrap();
    let r = compile(&ctx, case, Linker::Builtin, scratch.path());
    let table = tool("readelf", &["-sW", "--dyn-syms"], &r.so_path);
    for symbol in [&r.fault_symbol, &r.layout_symbol] {
        let line = table
            .lines()
            .find(|l| l.split_whitespace().last() == Some(symbol.as_str()))
            .unwrap_or_else(|| panic!("{symbol} is not in the dynamic symbols:\n{table}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[2], "8", "{symbol}: size: {line}");
        assert_eq!(&fields[3..6], ["FUNC", "GLOBAL", "DEFAULT"], "{line}");
        let code = tool(
            "objdump",
            &[
                "-d",
                "--no-show-raw-insn",
                &format!("--disassemble={symbol}"),
            ],
            &r.so_path,
        );
        let body: Vec<&str> = code
            .lines()
            .filter(|l| l.starts_with("    ") && l.contains(':'))
            .map(|l| {
                l.split(':')
                    .nth(1)
                    .unwrap()
                    .split_whitespace()
                    .next()
                    .unwrap()
            })
            .collect();
        assert_eq!(body, ["lea", "ret"], "{symbol}:\n{code}");
    }
    // Loading reads the layout through its accessor and checks it against
    // the manifest; a tick reads the fault record through the other.
    let mut node = Node::load(&r.so_path, &r.manifest()).unwrap();
    let ticks = transcript(&mut node, "{\"inputs\": [2.0]}\n");
    assert_eq!(ticks.len(), 3, "start, the tick, stop: {ticks:?}");
    assert!(ticks.iter().all(|t| !t.contains("Err")), "{ticks:?}");
}

/// The sections in the first segment of type `kind`, from `readelf -lW`.
fn segment_sections(segments: &str, kind: &str) -> Vec<String> {
    let n = segments
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("Type"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .position(|l| l.trim_start().starts_with(kind))
        .unwrap_or_else(|| panic!("no {kind}:\n{segments}"));
    let mapping = segments
        .lines()
        .skip_while(|l| !l.contains("Segment Sections"))
        .nth(1 + n)
        .unwrap_or_else(|| panic!("no mapping for {kind}:\n{segments}"));
    mapping
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect()
}

/// The build ID of `so`, in hex, from `readelf -n`.
fn build_id(so: &Path) -> String {
    let notes = tool("readelf", &["-n"], so);
    notes
        .lines()
        .find_map(|l| l.trim().strip_prefix("Build ID: "))
        .unwrap_or_else(|| panic!("{}: no build ID:\n{notes}", so.display()))
        .to_string()
}

/// The build ID is the SHA-256 of the file with the ID zeroed, truncated to
/// 20 bytes: identical nodes give identical IDs, different nodes different.
#[test]
fn build_id_is_a_stable_hash_of_the_output() {
    use sha2::{Digest, Sha256};
    let ctx = CompilationContext::with_defaults().unwrap();
    let scratch = temp_dir("build-id");
    let dir = scratch.path();
    let cases = cases();
    let case = |name: &str| cases.iter().find(|c| c.name == name).unwrap();
    let ema = compile(&ctx, case("ema"), Linker::Builtin, &dir);
    let again_path = dir.join("ema_again.so");
    std::fs::copy(&ema.so_path, dir.join("ema_first.so")).unwrap();
    let again = compile_to_so(
        &ctx,
        &case("ema").source,
        "ema",
        &case("ema").consts,
        &CompilationOptions::default(),
        &again_path,
    )
    .unwrap();
    let libm = compile(&ctx, case("libm_calls"), Linker::Builtin, &dir);
    let id = build_id(&ema.so_path);
    assert_eq!(id, build_id(&again.so_path));
    assert_ne!(id, build_id(&libm.so_path));

    let mut bytes = std::fs::read(&ema.so_path).unwrap();
    let want: Vec<u8> = (0..20)
        .map(|i| u8::from_str_radix(&id[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let at = bytes
        .windows(20)
        .position(|w| w == want.as_slice())
        .expect("the ID bytes in the file");
    assert_eq!(&bytes[at - 4..at], b"GNU\0");
    bytes[at..at + 20].fill(0);
    assert_eq!(&Sha256::digest(&bytes)[..20], want.as_slice());
}

/// The compile result says which linker wrote the `.so`; a builtin link
/// that fell back to `ld` says why, and `cfuncc compile --timings` prints
/// the linker.
#[test]
fn link_report_says_which_linker_ran() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let scratch = temp_dir("report");
    let dir = scratch.path();
    let cases = cases();
    let ema = cases.iter().find(|c| c.name == "ema").unwrap();
    let b = compile(&ctx, ema, Linker::Builtin, &dir);
    assert_eq!((b.linker_used, b.link_fallback), (Linker::Builtin, None));
    let s = compile(&ctx, ema, Linker::System, &dir);
    assert_eq!((s.linker_used, s.link_fallback), (Linker::System, None));

    // Thread-local storage: the builtin linker declines, ld links.
    let src = dir.join("tls.c");
    std::fs::write(
        &src,
        "__thread int tv = 3;\nint get_tv(void) { return tv; }\n",
    )
    .unwrap();
    let obj = dir.join("tls.o");
    let o = Command::new("cc")
        .args(["-c", "-fPIC", "-O2"])
        .arg(&src)
        .arg("-o")
        .arg(&obj)
        .output()
        .expect("cannot run cc");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let so = dir.join("tls.so");
    let report =
        cfuncc::backend::link::link_shared(&std::fs::read(&obj).unwrap(), &so, Linker::Builtin)
            .unwrap();
    assert_eq!(report.linker_used, Linker::System);
    let why = report.fallback.expect("a reason");
    assert!(why.contains("thread-local"), "{why}");
    unsafe {
        let lib = libloading::Library::new(&so).unwrap();
        let get: libloading::Symbol<unsafe extern "C" fn() -> i32> = lib.get(b"get_tv").unwrap();
        assert_eq!(get(), 3);
    }

    let src = common::root().join("tests/differential/nodes/ema.py");
    let o = Command::new(env!("CARGO_BIN_EXE_cfuncc"))
        .arg("compile")
        .arg(&src)
        .args([
            "--function",
            "ema",
            "--const",
            "alpha=0.5",
            "--timings",
            "-o",
        ])
        .arg(dir.join("ema_cli.so"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("linker: builtin"), "{stderr}");
    assert!(!stderr.contains("note: linked with"), "{stderr}");
}

/// The imports of `so` as `name@version`, sorted.
fn imports(so: &Path) -> Vec<String> {
    let syms = tool("readelf", &["--dyn-syms", "-W"], so);
    let mut v: Vec<String> = syms
        .lines()
        .filter(|l| l.contains(" UND ") && !l.trim_end().ends_with("UND"))
        .filter_map(|l| l.split_whitespace().nth(7).map(str::to_string))
        .collect();
    v.sort();
    v
}

/// Imports bind to the versions `ld` records (libm's and libc's default
/// `@@` ones): an unversioned import binds to the oldest version, e.g. the
/// pre-2.29 `exp`, which may compute differently, or the pre-2.14 `memcpy`.
#[test]
fn builtin_imports_have_the_versions_ld_records() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let scratch = temp_dir("versions");
    let dir = scratch.path();
    let cases = cases();
    // dict_churn imports malloc, free and memcpy from libc.
    for name in ["libm_calls", "dispatch_match", "dict_churn"] {
        let case = cases.iter().find(|c| c.name == name).unwrap();
        let builtin = compile(&ctx, case, Linker::Builtin, &dir).so_path;
        let system = compile(&ctx, case, Linker::System, &dir).so_path;
        let needed = |so: &Path| -> Vec<String> {
            tool("readelf", &["-dW"], so)
                .lines()
                .filter(|l| l.contains("(NEEDED)"))
                .filter_map(|l| l.split('[').nth(1).map(|n| n.trim_end_matches(']').into()))
                .collect()
        };
        let (mut nb, mut ns) = (needed(&builtin), needed(&system));
        nb.sort();
        ns.sort();
        assert_eq!(nb, ns, "{name}: DT_NEEDED");
        let (builtin, system) = (imports(&builtin), imports(&system));
        assert!(
            !builtin.is_empty() && builtin.iter().all(|s| s.contains("@GLIBC_")),
            "{name}: {builtin:?}"
        );
        assert_eq!(builtin, system, "{name}");
    }
}

#[test]
fn system_linker_skips_libm_without_imports() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let scratch = temp_dir("system-libm");
    let dir = scratch.path();
    let cases = cases();
    for (name, calls_libm) in [("ema", false), ("libm_calls", true)] {
        let case = cases.iter().find(|c| c.name == name).unwrap();
        let r = compile(&ctx, case, Linker::System, &dir);
        let dynamic = tool("readelf", &["-dW"], &r.so_path);
        assert_eq!(
            dynamic.contains("[libm.so.6]"),
            calls_libm,
            "{name}:\n{dynamic}"
        );
    }
}

/// C code compiled by `cc -fPIC` uses relocations LLVM does not emit for
/// nodes today: GOT loads of defined globals, pointers in writable data
/// (`R_X86_64_RELATIVE`, and `R_X86_64_64` against a libm import) and in
/// `.data.rel.ro`, calls through the PLT or, with `-fno-plt`, through the
/// GOT, and `.eh_frame` (nodes have no unwind tables).
const C_OBJECT: &str = r#"
#include <math.h>
static double twice(double x) { return 2 * x; }
static double plus1(double x) { return x + 1; }
double (*table[])(double) = { twice, plus1, sin };
double (*const ctable[])(double) = { plus1, twice, cos };
static long counter = 40;
long *counter_ptr = &counter;
double apply(int i, double x) { return table[i](x); }
double capply(int i, double x) { return ctable[i](x); }
double call_cos(double x) { return cos(x) + hypot(x, 2.0); }
long bump(void) { return ++*counter_ptr; }
/* Calls f in a frame of its own (no tail call). */
void through(void (*f)(void)) { f(); __asm__ volatile("" ::: "memory"); }
"#;

/// Compiles `C_OBJECT` with `flags` into `dir`, returning the object's bytes.
fn c_object(dir: &Path, flags: &[&str]) -> Vec<u8> {
    let src = dir.join("pic.c");
    std::fs::write(&src, C_OBJECT).unwrap();
    let obj = dir.join(format!("pic{}.o", flags.join("")));
    let o = Command::new("cc")
        .args(["-c", "-fPIC"])
        .args(flags)
        .arg(&src)
        .arg("-o")
        .arg(&obj)
        .output()
        .expect("cannot run cc");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(&obj).unwrap()
}

/// The permissions (`r-xp`, ...) of the mapping of this process holding
/// `addr`.
fn mapping_permissions(addr: usize) -> String {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    for line in maps.lines() {
        let mut f = line.split_whitespace();
        let (range, perms) = (f.next().unwrap(), f.next().unwrap());
        let (a, b) = range.split_once('-').unwrap();
        let (a, b) = (
            usize::from_str_radix(a, 16).unwrap(),
            usize::from_str_radix(b, 16).unwrap(),
        );
        if (a..b).contains(&addr) {
            return perms.to_string();
        }
    }
    panic!("{addr:#x} not mapped:\n{maps}");
}

#[test]
fn builtin_linker_links_pic_c_objects() {
    let scratch = temp_dir("c-object");
    let dir = scratch.path();
    for flags in [&["-O2"][..], &["-O2", "-fno-plt"], &["-O0"]] {
        let bytes = c_object(&dir, flags);
        let so_bytes = cfuncc::backend::elf::link(&bytes)
            .unwrap_or_else(|e| panic!("{flags:?}: builtin linker declined: {e:?}"));
        let so = dir.join(format!("pic{}.so", flags.join("")));
        std::fs::write(&so, so_bytes).unwrap();

        let dynamic = tool("readelf", &["-dW"], &so);
        assert!(!dynamic.contains("TEXTREL"), "{flags:?}:\n{dynamic}");
        assert!(dynamic.contains("[libm.so.6]"), "{flags:?}:\n{dynamic}");
        let segments = tool("readelf", &["-lW"], &so);
        assert!(
            segments.contains("GNU_STACK") && !segments.contains("RWE"),
            "{flags:?}:\n{segments}"
        );
        assert_eq!(
            segment_sections(&segments, "GNU_EH_FRAME"),
            [".eh_frame_hdr"],
            "{flags:?}"
        );
        let relro = segment_sections(&segments, "GNU_RELRO");
        for s in [".dynamic", ".got", ".data.rel.ro"] {
            assert!(
                relro.contains(&s.into()),
                "{flags:?}: {s} not RELRO: {relro:?}"
            );
        }
        // binutils and LLVM parse the unwind tables without complaint.
        let frames = tool("readelf", &["--debug-dump=frames"], &so);
        assert!(frames.contains("FDE"), "{flags:?}:\n{frames}");
        let o = Command::new("readelf")
            .args(["--debug-dump=frames"])
            .arg(&so)
            .output()
            .unwrap();
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let o = Command::new("llvm-dwarfdump-22")
            .arg("--eh-frame")
            .arg(&so)
            .output()
            .expect("cannot run llvm-dwarfdump-22");
        let out = String::from_utf8_lossy(&o.stdout).to_lowercase()
            + &String::from_utf8_lossy(&o.stderr).to_lowercase();
        assert!(
            o.status.success() && out.contains("fde") && !out.contains("error"),
            "{flags:?}:\n{out}"
        );

        unsafe {
            let lib = libloading::Library::new(&so).unwrap();
            let apply: libloading::Symbol<unsafe extern "C" fn(i32, f64) -> f64> =
                lib.get(b"apply").unwrap();
            let call_cos: libloading::Symbol<unsafe extern "C" fn(f64) -> f64> =
                lib.get(b"call_cos").unwrap();
            let bump: libloading::Symbol<unsafe extern "C" fn() -> i64> = lib.get(b"bump").unwrap();
            assert_eq!(apply(0, 1.25), 2.5, "{flags:?}");
            assert_eq!(apply(1, 1.25), 2.25, "{flags:?}");
            assert_eq!(apply(2, 0.5).to_bits(), 0.5f64.sin().to_bits(), "{flags:?}");
            assert_eq!(
                call_cos(0.75).to_bits(),
                (0.75f64.cos() + 0.75f64.hypot(2.0)).to_bits(),
                "{flags:?}"
            );
            assert_eq!(bump(), 41, "{flags:?}");
            assert_eq!(bump(), 42, "{flags:?}");
            let capply: libloading::Symbol<unsafe extern "C" fn(i32, f64) -> f64> =
                lib.get(b"capply").unwrap();
            assert_eq!(capply(0, 1.25), 2.25, "{flags:?}");
            assert_eq!(
                capply(2, 0.5).to_bits(),
                0.5f64.cos().to_bits(),
                "{flags:?}"
            );
            // After relocation, .data.rel.ro is read-only, .data writable.
            let ctable: libloading::Symbol<*const u8> = lib.get(b"ctable").unwrap();
            let table: libloading::Symbol<*const u8> = lib.get(b"table").unwrap();
            assert!(
                mapping_permissions(*ctable as usize).starts_with("r--"),
                "{flags:?}"
            );
            assert!(
                mapping_permissions(*table as usize).starts_with("rw-"),
                "{flags:?}"
            );
        }
    }
}

type TraceFn = extern "C" fn(*mut std::ffi::c_void, *mut std::ffi::c_void) -> i32;

extern "C" {
    // libgcc's unwinder (Rust's std links libgcc_s on Linux). It finds the
    // FDE of a frame in a shared object through PT_GNU_EH_FRAME.
    fn _Unwind_Backtrace(trace: TraceFn, arg: *mut std::ffi::c_void) -> i32;
    fn _Unwind_GetIP(ctx: *mut std::ffi::c_void) -> usize;
}

extern "C" fn record_ip(ctx: *mut std::ffi::c_void, arg: *mut std::ffi::c_void) -> i32 {
    unsafe { (*(arg as *mut Vec<usize>)).push(_Unwind_GetIP(ctx)) };
    0 // _URC_NO_REASON
}

thread_local! {
    static TRACE: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

extern "C" fn capture_backtrace() {
    let mut ips: Vec<usize> = Vec::new();
    unsafe { _Unwind_Backtrace(record_ip, &mut ips as *mut Vec<usize> as *mut _) };
    TRACE.with(|t| *t.borrow_mut() = ips);
}

/// Calls `through(capture_backtrace)` in the `.so` at `so`: the return
/// addresses the unwinder found, and the index of the one in `through`.
#[inline(never)]
fn backtrace_through(so: &Path) -> (Vec<usize>, Option<usize>) {
    unsafe {
        let lib = libloading::Library::new(so).unwrap();
        let through: libloading::Symbol<unsafe extern "C" fn(extern "C" fn())> =
            lib.get(b"through").unwrap();
        let start = *through as usize;
        through(capture_backtrace);
        let ips = TRACE.with(|t| t.take());
        let at = ips.iter().position(|&ip| ip > start && ip < start + 64);
        (ips, at)
    }
}

/// An unwinder walks through a frame of the builtin `.so` (finding its FDE
/// through `.eh_frame_hdr`) as far as through ld's; without
/// PT_GNU_EH_FRAME it stops there.
#[test]
fn unwinder_finds_fdes_through_eh_frame_hdr() {
    let scratch = temp_dir("unwind");
    let dir = scratch.path();
    for flags in [&["-O2"][..], &["-O0"]] {
        let bytes = c_object(&dir, flags);
        let tag = flags.join("");
        let builtin = dir.join(format!("builtin{tag}.so"));
        std::fs::write(&builtin, cfuncc::backend::elf::link(&bytes).unwrap()).unwrap();
        let system = dir.join(format!("system{tag}.so"));
        cfuncc::backend::link::link_shared(&bytes, &system, Linker::System).unwrap();

        let (b, at_b) = backtrace_through(&builtin);
        let (s, at_s) = backtrace_through(&system);
        let (at_b, at_s) = (
            at_b.unwrap_or_else(|| panic!("{flags:?}: no frame in the builtin .so: {b:x?}")),
            at_s.unwrap_or_else(|| panic!("{flags:?}: no frame in ld's .so: {s:x?}")),
        );
        assert!(s.len() - at_s > 2, "{flags:?}: {s:x?}");
        assert_eq!(
            b.len() - at_b,
            s.len() - at_s,
            "{flags:?}: frames after the .so's: builtin {b:x?}, ld {s:x?}"
        );

        // The same .so with PT_GNU_EH_FRAME turned into PT_NULL: the
        // unwinder cannot step out of `through`, so the test can fail.
        let mut bytes = std::fs::read(&builtin).unwrap();
        let phoff = u64::from_le_bytes(bytes[32..40].try_into().unwrap()) as usize;
        let phnum = u16::from_le_bytes(bytes[56..58].try_into().unwrap()) as usize;
        let eh = (0..phnum)
            .map(|i| phoff + 56 * i)
            .find(|&p| bytes[p..p + 4] == 0x6474_e550u32.to_le_bytes())
            .expect("PT_GNU_EH_FRAME");
        bytes[eh..eh + 4].fill(0);
        let stripped = dir.join(format!("no-eh-frame-hdr{tag}.so"));
        std::fs::write(&stripped, bytes).unwrap();
        let (n, at_n) = backtrace_through(&stripped);
        assert_eq!(at_n, Some(n.len() - 1), "{flags:?}: {n:x?}");
    }
}

/// Linking objects together: one that defines what another imports binds
/// it in the `.so` (no import left), and two that define the same global
/// are refused with its name, as `ld` refuses them.
#[test]
fn objects_link_together_and_a_global_defined_twice_is_refused() {
    let ctx = CompilationContext::with_defaults().unwrap();
    let cases = cases();
    let case = cases.iter().find(|c| c.name == "ema").unwrap();
    let o = cfuncc::compile_to_object(
        &ctx,
        &case.source,
        &case.function,
        &case.consts,
        &CompilationOptions::default(),
    )
    .unwrap();
    let e = cfuncc::backend::elf::link_many(&[&o.bytes, &o.bytes]).unwrap_err();
    let e = e.to_string();
    assert!(
        e.contains(&o.result.native_name) && e.ends_with(" is defined twice"),
        "{e}"
    );

    // A C object that calls the node's fault accessor, linked beside it.
    let scratch = temp_dir("together");
    let c = scratch.path().join("caller.c");
    std::fs::write(
        &c,
        format!(
            "extern int *{f}(void);\nint caller(void) {{ return {f}()[0]; }}\n",
            f = o.result.fault_symbol
        ),
    )
    .unwrap();
    let obj = scratch.path().join("caller.o");
    let cc = Command::new("cc")
        .args([
            "-O2",
            "-fPIC",
            "-fno-asynchronous-unwind-tables",
            "-c",
            "-o",
        ])
        .arg(&obj)
        .arg(&c)
        .output()
        .expect("cc");
    assert!(
        cc.status.success(),
        "{}",
        String::from_utf8_lossy(&cc.stderr)
    );
    let so_bytes =
        cfuncc::backend::elf::link_many(&[&o.bytes, &std::fs::read(&obj).unwrap()]).unwrap();
    let so = scratch.path().join("together.so");
    std::fs::write(&so, so_bytes).unwrap();
    let undefined = tool("nm", &["-D", "--undefined-only"], &so);
    assert!(
        !undefined.contains(&o.result.fault_symbol),
        "bound in the .so:\n{undefined}"
    );
    let defined = tool("nm", &["-D", "--defined-only"], &so);
    assert!(defined.contains(" caller"), "{defined}");
}
