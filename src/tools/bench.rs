//! `cfuncc bench`: what a compile flag, a pipeline or a pass does to the
//! per-tick cost of a real node, measured.
//!
//! ```text
//! FILE.py --function F ──compile once per variant──▶ v1.so  v2.so ... [ref.so ← cc -O2 FILE.c]
//!                                                      │      │          │
//! ticks (--ticks FILE.jsonl, or random per input type) ▼      ▼          ▼
//!   round 0 (warm-up, untimed), then rounds 1..=R: every variant in turn (the order
//!   rotates each round): START, the ticks through one native loop (timed), STOP
//!   ──▶ per variant: min and median ns/tick over the rounds, ratio to the first
//!       variant, executable bytes of its .so, and whether every tick's outputs
//!       (and faults) equal the first variant's
//! ```
//! Every variant, the C reference included, runs through the same loop on
//! the same cells: per tick it writes the input cells and flags, clears
//! the output flags and the fault cell, calls EXECUTE through the C ABI and
//! records the outputs and the fault cell (what a host does; the records
//! are what the equality check reads). Nothing is timed but that loop.
//!
//! [`bench_main`] is the subcommand as a library function, so a research
//! crate measures its own passes (`--variant with='--pass-pipeline=...'`).

use super::options::CodeOptions;
use crate::abi::param;
use crate::backend::link::Linker;
use crate::diagnostics::{Error, Result};
use crate::driver::{compile_to_so, CompilationResult, Constants};
use crate::frontend::literal::parse_const_arg;
use crate::registry::CompilationContext;
use crate::types::Ty;
use cfuncc_host::tickloop::{NodeFn, Slot, TickLoop, Ticks};
use clap::{Args, CommandFactory, FromArgMatches, Parser};
use serde_json::{json, Value as Json};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// `cfuncc bench`'s arguments.
#[derive(Args, Clone, Debug)]
pub struct BenchArgs {
    /// The Python file holding the node.
    pub file: PathBuf,
    /// The node function.
    #[arg(long)]
    pub function: String,
    /// NAME=VALUE, VALUE a Python literal (for every variant).
    #[arg(long = "const")]
    pub consts: Vec<String>,
    /// Ticks as JSON lines, as `cfuncc run` reads them:
    /// {"inputs": [...], "ticked": [...]?, "valid": [...]?}.
    #[arg(long, conflicts_with = "random")]
    pub ticks: Option<PathBuf>,
    /// N random ticks, each input drawn for its type (the default: 100000).
    #[arg(long, value_name = "N")]
    pub random: Option<usize>,
    /// The seed of the random ticks.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// NAME=FLAGS: a variant compiled with the compile flags FLAGS
    /// (`--opt-level 3 --fastmath`, `--pass-pipeline=...`, `--target-cpu ...`;
    /// empty for the defaults). Repeatable; the first is the baseline.
    #[arg(long = "variant", value_name = "NAME=FLAGS", required = true)]
    pub variants: Vec<String>,
    /// A hand-written C version with the same ABI (FILE.c, or FILE.c:SYMBOL),
    /// built with `cc -O2`, as one more row. SYMBOL defaults to the file's
    /// only external function.
    #[arg(long = "c", value_name = "FILE.c[:SYMBOL]")]
    pub c: Option<String>,
    /// Timed rounds (each runs every tick through every variant once),
    /// after one untimed warm-up round.
    #[arg(long, default_value_t = 11, value_parser = clap::value_parser!(u64).range(1..))]
    pub rounds: u64,
    /// A --types file for every variant (enums, structs, scalar types).
    #[arg(long)]
    pub types: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The random ticks' count when neither --ticks nor --random is given.
pub const DEFAULT_TICKS: usize = 100_000;

/// One row of the report.
#[derive(Clone, Debug)]
pub struct Row {
    /// The variant's name (`c` for the C reference, unless taken).
    pub name: String,
    /// Its compile flags, or the C file and symbol.
    pub flags: String,
    /// Whether it is the hand-written C reference.
    pub c_reference: bool,
    /// Nanoseconds per tick: the fastest round.
    pub min_ns: f64,
    /// Nanoseconds per tick: the median round.
    pub median_ns: f64,
    /// `median_ns` over the first variant's.
    pub ratio: f64,
    /// Bytes of the `.so`'s executable sections.
    pub code_bytes: u64,
    /// The `.so`'s size.
    pub so_bytes: u64,
    /// Whether every tick's outputs (and, between cfuncc variants, faults)
    /// equal the first variant's.
    pub equal: bool,
    /// The first tick that differs: tick index, output name, the first
    /// variant's value and this one's (`null`: did not tick).
    pub first_difference: Option<(usize, String, Json, Json)>,
    /// Ticks that faulted.
    pub faulted_ticks: usize,
    /// The semantic key (none for C).
    pub semantic_key: Option<String>,
}

/// What a bench measured.
#[derive(Clone, Debug)]
pub struct Report {
    /// The node's file.
    pub file: String,
    /// The node function.
    pub function: String,
    /// How many ticks each round runs.
    pub ticks: usize,
    /// Where they came from: `random` or the JSONL file.
    pub tick_source: String,
    /// The random ticks' seed.
    pub seed: Option<u64>,
    /// Timed rounds.
    pub rounds: u64,
    /// One row per variant, the C reference last.
    pub rows: Vec<Row>,
}

impl Report {
    /// The report as a table.
    pub fn table(&self) -> String {
        let source = match self.seed {
            Some(seed) => format!("random, seed {seed}"),
            None => self.tick_source.clone(),
        };
        let mut s = format!(
            "bench {} ({}): {} ticks ({source}), {} rounds\n",
            self.function, self.file, self.ticks, self.rounds
        );
        let w = self
            .rows
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(0)
            .max(7);
        s += &format!(
            "{:<w$}  {:>11}  {:>14}  {:>6}  {:>10}  outputs\n",
            "variant", "min ns/tick", "median ns/tick", "ratio", "code bytes"
        );
        for (i, r) in self.rows.iter().enumerate() {
            let outputs = if i == 0 {
                "(baseline)".to_string()
            } else if r.equal {
                "equal".to_string()
            } else {
                match &r.first_difference {
                    Some((t, o, a, b)) => format!("differ: tick {t}, {o}: {a} vs {b}"),
                    None => "differ".to_string(),
                }
            };
            let faults = if r.faulted_ticks > 0 {
                format!(" ({} ticks faulted)", r.faulted_ticks)
            } else {
                String::new()
            };
            s += &format!(
                "{:<w$}  {:>11.2}  {:>14.2}  {:>6.2}  {:>10}  {outputs}{faults}\n",
                r.name, r.min_ns, r.median_ns, r.ratio, r.code_bytes
            );
        }
        s
    }

    /// The report as JSON (`--json`).
    pub fn to_json(&self) -> Json {
        json!({
            "file": self.file,
            "function": self.function,
            "ticks": self.ticks,
            "tick_source": self.tick_source,
            "seed": self.seed,
            "rounds": self.rounds,
            "variants": self.rows.iter().map(|r| json!({
                "name": r.name,
                "flags": r.flags,
                "kind": if r.c_reference { "c" } else { "cfuncc" },
                "min_ns_per_tick": r.min_ns,
                "median_ns_per_tick": r.median_ns,
                "ratio": r.ratio,
                "code_bytes": r.code_bytes,
                "so_bytes": r.so_bytes,
                "outputs_equal": r.equal,
                "first_difference": r.first_difference.as_ref().map(|(t, o, a, b)| json!({
                    "tick": t, "output": o, "baseline": a, "value": b,
                })),
                "faulted_ticks": r.faulted_ticks,
                "semantic_key": r.semantic_key,
            })).collect::<Vec<_>>(),
        })
    }
}

#[derive(Parser)]
#[command(
    name = "bench",
    about = "Measure variants of a node's compile, tick by tick"
)]
struct BenchCli {
    #[command(flatten)]
    args: BenchArgs,
}

/// `cfuncc bench` with this process's command line (after the program
/// name, the arguments of `cfuncc bench`) and the passes and extensions of
/// `ctx`: a research crate's own bench binary.
pub fn bench_main(ctx: CompilationContext) -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let tool = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .map_or("bench".to_string(), |n| n.to_string_lossy().into_owned());
    let parsed = BenchCli::command()
        .bin_name(tool.clone())
        .try_get_matches_from(args)
        .and_then(|m| BenchCli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match bench(&ctx, &cli.args) {
        Ok(report) => {
            print_report(&report, cli.args.json);
            ExitCode::SUCCESS
        }
        Err(e) => super::report_error(&tool, e),
    }
}

/// Prints the report to stdout: the table, or JSON.
pub fn print_report(report: &Report, as_json: bool) {
    let text = if as_json {
        serde_json::to_string_pretty(&report.to_json()).unwrap_or_default() + "\n"
    } else {
        report.table()
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// A variant as given: its name and its flags.
struct Variant {
    name: String,
    flags: String,
    code: CodeOptions,
}

/// The flags a variant may hold, parsed as `cfuncc compile` parses them.
#[derive(Parser)]
#[command(no_binary_name = true, disable_help_flag = true)]
struct VariantFlags {
    #[command(flatten)]
    code: CodeOptions,
}

/// Splits FLAGS into words as a shell would for simple quoting: spaces
/// separate, and '...' and "..." group (`--pass-pipeline='a, b'`).
fn shell_words(text: &str) -> std::result::Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if let Some(q) = quote {
        return Err(format!("unclosed {q} in '{text}'"));
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

fn parse_variant(text: &str) -> Result<Variant> {
    let Some((name, flags)) = text.split_once('=') else {
        return Err(Error::Usage(format!(
            "--variant '{text}': write NAME=FLAGS, e.g. --variant o3='--opt-level 3' (FLAGS may be empty)"
        )));
    };
    let name = name.trim();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err(Error::Usage(format!(
            "--variant '{text}': the name before '=' must be one word"
        )));
    }
    let words = shell_words(flags).map_err(|e| Error::Usage(format!("--variant {name}: {e}")))?;
    let parsed = VariantFlags::try_parse_from(&words).map_err(|e| {
        let msg = e.to_string();
        let first = msg
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ");
        Error::Usage(format!(
            "--variant {name}: {first}; a variant takes the compile flags of `cfuncc compile` \
             (--opt-level, --fastmath, --force-inline, --pass-pipeline, --target-cpu, ...)"
        ))
    })?;
    Ok(Variant {
        name: name.to_string(),
        flags: flags.trim().to_string(),
        code: parsed.code,
    })
}

/// splitmix64: a small, well-mixed generator, so a seed gives the same
/// ticks on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi].
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

/// One random value for an input of type `ty`, as its cell: ints in
/// [-50, 50] (so dict keys and list indices repeat), floats in [-100, 100),
/// bools half true, datetimes one second apart from 2023-11-14, timedeltas
/// within ±1 s.
fn random_cell(rng: &mut Rng, ty: Ty, tick: usize) -> u64 {
    match ty {
        Ty::Scalar(s) if s.name == "datetime" => {
            (1_700_000_000_000_000_000i64 + tick as i64 * 1_000_000_000 + rng.int(0, 999_999))
                as u64
        }
        Ty::Scalar(s) if s.name == "timedelta" => rng.int(-1_000_000_000, 1_000_000_000) as u64,
        t => match t.payload() {
            Ty::Float => (rng.unit() * 200.0 - 100.0).to_bits(),
            Ty::Bool => (rng.next() >> 63) & 1,
            _ => rng.int(-50, 50) as u64,
        },
    }
}

fn random_ticks(types: &[Ty], n: usize, seed: u64) -> Ticks {
    let mut rng = Rng(seed);
    let mut cells = Vec::with_capacity(n * types.len());
    for t in 0..n {
        for &ty in types {
            cells.push(random_cell(&mut rng, ty, t));
        }
    }
    Ticks {
        n_inputs: types.len(),
        cells,
        ticked: vec![1; n * types.len().max(1)],
        valid: vec![1; n * types.len().max(1)],
    }
}

/// A JSON value as a cell of type `ty` (as `cfuncc run` reads it).
fn json_cell(v: &Json, ty: Ty) -> std::result::Result<u64, String> {
    let bad = || format!("expected a {ty} value, got {v}");
    Ok(match ty.payload() {
        Ty::Float => match v {
            Json::String(s) => s.parse::<f64>().map_err(|_| bad())?,
            _ => v.as_f64().ok_or_else(bad)?,
        }
        .to_bits(),
        Ty::Bool => v
            .as_bool()
            .or_else(|| v.as_i64().map(|i| i != 0))
            .ok_or_else(bad)? as u64,
        _ => v.as_i64().ok_or_else(bad)? as u64,
    })
}

fn read_ticks(path: &Path, types: &[Ty]) -> Result<Ticks> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("--ticks {}: {e}", path.display())))?;
    let n = types.len();
    let mut ticks = Ticks {
        n_inputs: n,
        cells: Vec::new(),
        ticked: Vec::new(),
        valid: Vec::new(),
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |e: String| Error::Usage(format!("{}:{}: {e}", path.display(), i + 1));
        let j: Json = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
        if j.get("phase").is_some() {
            return Err(at(
                "a phase line: bench runs START, every tick, then STOP in each round; remove it"
                    .into(),
            ));
        }
        let inputs = j["inputs"]
            .as_array()
            .ok_or_else(|| at("expected {\"inputs\": [...]}".into()))?;
        if inputs.len() != n {
            return Err(at(format!("expected {n} inputs, got {}", inputs.len())));
        }
        for (v, &ty) in inputs.iter().zip(types) {
            ticks.cells.push(json_cell(v, ty).map_err(at)?);
        }
        for (key, out) in [("ticked", &mut ticks.ticked), ("valid", &mut ticks.valid)] {
            let flags = j[key].as_array();
            for k in 0..n.max(1) {
                let f = flags
                    .and_then(|a| a.get(k))
                    .map(|v| v.as_bool().or_else(|| v.as_i64().map(|i| i != 0)))
                    .unwrap_or(Some(true))
                    .ok_or_else(|| at(format!("'{key}' holds true/false or 0/1")))?;
                out.push(f as i8);
            }
        }
    }
    if ticks.ticked.is_empty() {
        return Err(Error::Usage(format!(
            "--ticks {}: no ticks in the file",
            path.display()
        )));
    }
    Ok(ticks)
}

/// A loaded variant: its tick loop, and the library that holds its code.
struct Harness {
    tick_loop: TickLoop,
    // Dropped after the loop, which calls into it no more.
    _lib: libloading::Library,
}

impl Harness {
    fn load(so: &Path, symbol: &str, layout: &Layout) -> Result<Self> {
        let lib = unsafe { libloading::Library::new(so) }
            .map_err(|e| Error::Usage(format!("cannot load {}: {e}", so.display())))?;
        let func: NodeFn = unsafe {
            *lib.get::<NodeFn>(symbol.as_bytes())
                .map_err(|e| Error::Usage(format!("{}: {symbol}: {e}", so.display())))?
        };
        // SAFETY: a cfuncc node (or a C version of it, which the user vouches
        // for) with the standard ABI, checked by `Layout::of`, laid out as
        // `layout` says; the library stays loaded as long as the loop.
        let tick_loop = unsafe {
            TickLoop::new(
                func,
                layout.inputs.len(),
                layout.outputs.len(),
                layout.slots.clone(),
                layout.fault_slot,
            )
        };
        Ok(Harness {
            tick_loop,
            _lib: lib,
        })
    }
}

/// What the harness needs of a node's interface.
#[derive(Clone)]
struct Layout {
    inputs: Vec<(String, Ty)>,
    outputs: Vec<(String, Ty)>,
    slots: Vec<Slot>,
    fault_slot: Option<usize>,
}

impl Layout {
    fn of(r: &CompilationResult) -> Result<Self> {
        let standard = [
            param::OUTPUTS,
            param::OUTPUT_TICKED,
            param::STATE,
            param::LIFECYCLE_PHASE,
            param::INPUTS,
            param::INPUT_TICKED,
            param::INPUT_VALID,
        ];
        if r.abi != standard {
            return Err(Error::Usage(format!(
                "bench drives the standard ABI ({}); this node's is ({}): measure it from its host",
                standard.join(", "),
                r.abi.join(", ")
            )));
        }
        let sig = &r.signature;
        let scalar = |what: &str, name: &str, ty: Ty| {
            if ty.as_struct().is_some() {
                Err(Error::Usage(format!(
                    "{what} '{name}' is a struct: bench drives nodes whose inputs and outputs are \
                     8-byte cells (int, float, bool, datetime, timedelta, scalar types)"
                )))
            } else {
                Ok((name.to_string(), ty))
            }
        };
        let mut state: Vec<&crate::abi::signature::StateSpec> = sig.state.iter().collect();
        state.sort_by_key(|s| s.slot);
        Ok(Layout {
            inputs: sig
                .inputs
                .iter()
                .map(|i| scalar("input", &i.name, i.ty))
                .collect::<Result<_>>()?,
            outputs: sig
                .outputs
                .iter()
                .map(|o| scalar("output", &o.name, o.ty))
                .collect::<Result<_>>()?,
            slots: state
                .iter()
                .map(|s| match (s.container.is_some(), s.ty.as_struct()) {
                    (true, _) => Slot::Container,
                    (false, Some(def)) => Slot::Struct(def.size.div_ceil(8).max(1)),
                    (false, None) => Slot::Cell,
                })
                .collect(),
            fault_slot: Some(sig.fault_slot()),
        })
    }

    /// Whether two variants compiled the same interface.
    fn same(&self, other: &Layout) -> bool {
        self.inputs == other.inputs
            && self.outputs == other.outputs
            && self.slots.len() == other.slots.len()
    }
}

/// The bytes of a shared object's executable sections, and its size.
fn code_size(so: &Path) -> Result<(u64, u64)> {
    use object::{Object, ObjectSection, SectionFlags};
    let bytes = std::fs::read(so).map_err(|e| Error::Usage(format!("{}: {e}", so.display())))?;
    let file = object::File::parse(&*bytes)
        .map_err(|e| Error::Internal(format!("{}: {e}", so.display())))?;
    let code = file
        .sections()
        .filter(|s| match s.flags() {
            SectionFlags::Elf { sh_flags } => sh_flags & u64::from(object::elf::SHF_EXECINSTR) != 0,
            _ => false,
        })
        .map(|s| s.size())
        .sum();
    Ok((code, bytes.len() as u64))
}

/// Builds the C reference with `cc -O2` and finds its symbol: the given
/// one, or the object's only external function.
fn build_c(spec: &str, dir: &Path) -> Result<(PathBuf, String, PathBuf)> {
    use object::{Object, ObjectSymbol, SymbolKind};
    let (file, symbol) = match spec.rsplit_once(':') {
        Some((f, s)) if f.ends_with(".c") => (PathBuf::from(f), Some(s.to_string())),
        _ => (PathBuf::from(spec), None),
    };
    if !file.is_file() {
        return Err(Error::Usage(format!(
            "--c {}: no such file (write --c FILE.c or --c FILE.c:SYMBOL)",
            file.display()
        )));
    }
    let obj = dir.join("reference.o");
    let so = dir.join("reference.so");
    let run = |cmd: &mut Command, what: &str| -> Result<()> {
        let out = cmd.output().map_err(|e| {
            Error::Usage(format!(
                "--c: cannot run cc ({e}); install a C compiler (scripts/install-deps)"
            ))
        })?;
        if !out.status.success() {
            return Err(Error::Usage(format!(
                "--c {}: {what} failed:\n{}",
                file.display(),
                String::from_utf8_lossy(&out.stderr).trim_end()
            )));
        }
        Ok(())
    };
    run(
        Command::new("cc")
            .args(["-O2", "-fPIC", "-c", "-o"])
            .arg(&obj)
            .arg(&file),
        "cc -O2 -fPIC -c",
    )?;
    run(
        Command::new("cc")
            .args(["-shared", "-o"])
            .arg(&so)
            .arg(&obj),
        "cc -shared",
    )?;
    let bytes = std::fs::read(&obj)?;
    let parsed = object::File::parse(&*bytes)
        .map_err(|e| Error::Internal(format!("{}: {e}", obj.display())))?;
    let functions: Vec<String> = parsed
        .symbols()
        .filter(|s| s.is_global() && s.is_definition() && s.kind() == SymbolKind::Text)
        .filter_map(|s| s.name().ok().map(str::to_string))
        .collect();
    let symbol = match symbol {
        Some(s) if functions.contains(&s) => s,
        Some(s) => {
            return Err(Error::Usage(format!(
                "--c {}: no external function '{s}' (it defines: {})",
                file.display(),
                functions.join(", ")
            )))
        }
        None => match functions.as_slice() {
            [only] => only.clone(),
            [] => {
                return Err(Error::Usage(format!(
                    "--c {}: it defines no external function",
                    file.display()
                )))
            }
            many => {
                return Err(Error::Usage(format!(
                    "--c {}: it defines {} external functions ({}); name one: --c {}:SYMBOL",
                    file.display(),
                    many.len(),
                    many.join(", "),
                    file.display()
                )))
            }
        },
    };
    Ok((so, symbol, file))
}

/// A value of the record as JSON, `null` when the output did not tick.
fn value_json(cell: u64, ticked: bool, ty: Ty) -> Json {
    if !ticked {
        return Json::Null;
    }
    match ty.payload() {
        Ty::Float => {
            let f = f64::from_bits(cell);
            serde_json::Number::from_f64(f).map_or_else(|| json!(f.to_string()), Json::Number)
        }
        Ty::Bool => json!(cell as u8 != 0),
        _ => json!(cell as i64),
    }
}

/// Whether two records hold the same value: floats bit for bit but any
/// NaN equals any NaN, bools by truth, ints exactly.
fn same_value(a: u64, b: u64, ty: Ty) -> bool {
    match ty.payload() {
        Ty::Float => a == b || (f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan()),
        Ty::Bool => (a as u8 != 0) == (b as u8 != 0),
        _ => a == b,
    }
}

/// The first tick where `h` differs from the baseline `base`.
fn first_difference(
    base: &TickLoop,
    h: &TickLoop,
    layout: &Layout,
    faults: bool,
) -> Option<(usize, String, Json, Json)> {
    let n_out = layout.outputs.len();
    let (base_faults, faults_of_h) = (base.faults(), h.faults());
    let (a_out, a_ticked, b_out, b_ticked) =
        (base.outputs(), base.ticked(), h.outputs(), h.ticked());
    for tick in 0..base_faults.len() {
        if faults && base_faults[tick] != faults_of_h[tick] {
            let f = |c: u64| {
                let (code, line, col) = crate::abi::unpack_fault(c);
                if code == 0 {
                    Json::Null
                } else {
                    json!(format!("fault {code} at {line}:{col}"))
                }
            };
            return Some((
                tick,
                "fault".into(),
                f(base_faults[tick]),
                f(faults_of_h[tick]),
            ));
        }
        for (o, (name, ty)) in layout.outputs.iter().enumerate() {
            let i = tick * n_out + o;
            let (ta, tb) = (a_ticked[i], b_ticked[i]);
            if ta != tb || (ta && !same_value(a_out[i], b_out[i], *ty)) {
                return Some((
                    tick,
                    name.clone(),
                    value_json(a_out[i], ta, *ty),
                    value_json(b_out[i], tb, *ty),
                ));
            }
        }
    }
    None
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Runs the bench: compiles every variant (with `base`'s registrations and
/// extensions), builds the C reference, runs the rounds and compares.
pub fn bench(base: &CompilationContext, args: &BenchArgs) -> Result<Report> {
    crate::stack::with_compile_stack(|| bench_inner(base, args))
}

fn bench_inner(base: &CompilationContext, args: &BenchArgs) -> Result<Report> {
    let source = std::fs::read_to_string(&args.file)
        .map_err(|e| Error::Usage(format!("{}: {e}", args.file.display())))?;
    let variants = args
        .variants
        .iter()
        .map(|v| parse_variant(v))
        .collect::<Result<Vec<_>>>()?;
    for (i, v) in variants.iter().enumerate() {
        if variants[..i].iter().any(|w| w.name == v.name) {
            return Err(Error::Usage(format!(
                "two variants are named '{}'; give each its own name",
                v.name
            )));
        }
    }
    let mut base = base.try_clone()?;
    if let Some(t) = &args.types {
        base.load_types_file(t)?;
    }
    let mut consts = Constants::new();
    for c in &args.consts {
        let (name, v) = parse_const_arg(&base, c).map_err(Error::Usage)?;
        consts.insert(name, v);
    }
    let dir = tempfile::Builder::new()
        .prefix("cfuncc-bench-")
        .tempdir()
        .map_err(|e| Error::Usage(format!("a temporary directory: {e}")))?;

    // Compile every variant.
    let mut compiled: Vec<(PathBuf, CompilationResult)> = Vec::new();
    for (i, v) in variants.iter().enumerate() {
        let ctx = v.code.context_from(&base)?;
        v.code
            .check_pipeline(&ctx)
            .map_err(|e| Error::Usage(format!("--variant {}: {e}", v.name)))?;
        let mut options = v.code.options(Linker::Builtin);
        options.filename = args.file.display().to_string();
        let so = dir.path().join(format!("variant{i}.so"));
        let r =
            compile_to_so(&ctx, &source, &args.function, &consts, &options, &so).map_err(|e| {
                match e {
                    Error::Usage(m) => Error::Usage(format!("--variant {}: {m}", v.name)),
                    e => e,
                }
            })?;
        compiled.push((so, r));
    }
    let layout = Layout::of(&compiled[0].1)?;
    for (v, (_, r)) in variants.iter().zip(&compiled).skip(1) {
        if !Layout::of(r)?.same(&layout) {
            return Err(Error::Usage(format!(
                "variant '{}' compiles another interface (inputs, outputs or state) than '{}'; \
                 variants may change how the node is compiled, not what it is",
                v.name, variants[0].name
            )));
        }
    }

    // The ticks.
    let types: Vec<Ty> = layout.inputs.iter().map(|(_, t)| *t).collect();
    let (ticks, tick_source, seed) = match &args.ticks {
        Some(path) => (read_ticks(path, &types)?, path.display().to_string(), None),
        None => {
            let n = args.random.unwrap_or(DEFAULT_TICKS);
            if n == 0 {
                return Err(Error::Usage("--random 0: give at least one tick".into()));
            }
            (
                random_ticks(&types, n, args.seed),
                "random".to_string(),
                Some(args.seed),
            )
        }
    };
    let n_ticks = ticks.len();

    // Load everything, the C reference last.
    let mut harnesses = Vec::new();
    let mut rows = Vec::new();
    for (v, (so, r)) in variants.iter().zip(&compiled) {
        harnesses.push(Harness::load(so, &r.native_name, &layout)?);
        let (code_bytes, so_bytes) = code_size(so)?;
        rows.push(Row {
            name: v.name.clone(),
            flags: v.flags.clone(),
            c_reference: false,
            min_ns: 0.0,
            median_ns: 0.0,
            ratio: 1.0,
            code_bytes,
            so_bytes,
            equal: true,
            first_difference: None,
            faulted_ticks: 0,
            semantic_key: Some(r.semantic_key.clone()),
        });
    }
    if let Some(spec) = &args.c {
        let (so, symbol, file) = build_c(spec, dir.path())?;
        // The C version has no fault cell: it never reports a fault.
        let c_layout = Layout {
            fault_slot: None,
            ..layout.clone()
        };
        harnesses.push(Harness::load(&so, &symbol, &c_layout)?);
        let (code_bytes, so_bytes) = code_size(&so)?;
        let name = if variants.iter().any(|v| v.name == "c") {
            "c-reference".to_string()
        } else {
            "c".to_string()
        };
        rows.push(Row {
            name,
            flags: format!("cc -O2 {}:{symbol}", file.display()),
            c_reference: true,
            min_ns: 0.0,
            median_ns: 0.0,
            ratio: 1.0,
            code_bytes,
            so_bytes,
            equal: true,
            first_difference: None,
            faulted_ticks: 0,
            semantic_key: None,
        });
    }

    // Warm-up, then the timed rounds, interleaved, the order rotating.
    let warm = Instant::now();
    for h in harnesses.iter_mut() {
        h.tick_loop.round(&ticks);
    }
    let estimate = warm.elapsed().as_secs_f64() * args.rounds as f64;
    let progress = estimate > 1.0;
    let tty = std::io::stderr().is_terminal();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); harnesses.len()];
    let k = harnesses.len();
    for round in 0..args.rounds as usize {
        if progress {
            let line = format!(
                "bench: round {}/{} ({} variants x {n_ticks} ticks, about {:.0} s in all)",
                round + 1,
                args.rounds,
                k,
                estimate
            );
            if tty {
                eprint!("\r{line}");
            } else {
                eprintln!("{line}");
            }
        }
        for j in 0..k {
            let i = (round + j) % k;
            let d = harnesses[i].tick_loop.round(&ticks);
            times[i].push(d.as_secs_f64() * 1e9 / n_ticks as f64);
        }
    }
    if progress && tty {
        eprintln!();
    }

    let (first, rest) = harnesses.split_first().expect("at least one variant");
    for (i, row) in rows.iter_mut().enumerate() {
        let t = &mut times[i];
        row.min_ns = t.iter().copied().fold(f64::INFINITY, f64::min);
        row.median_ns = median(t);
        let h = if i == 0 { first } else { &rest[i - 1] };
        row.faulted_ticks = h
            .tick_loop
            .faults()
            .iter()
            .filter(|&&f| f & 0xFFFF != 0)
            .count();
        if i > 0 {
            row.first_difference =
                first_difference(&first.tick_loop, &h.tick_loop, &layout, !row.c_reference);
            row.equal = row.first_difference.is_none();
        }
    }
    let base_median = rows[0].median_ns;
    for row in rows.iter_mut() {
        row.ratio = if base_median > 0.0 {
            row.median_ns / base_median
        } else {
            1.0
        };
    }
    Ok(Report {
        file: args.file.display().to_string(),
        function: args.function.clone(),
        ticks: n_ticks,
        tick_source,
        seed,
        rounds: args.rounds,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_group_quotes() {
        assert_eq!(
            shell_words("--opt-level 3  --pass-pipeline='a, b' \"x y\"").unwrap(),
            ["--opt-level", "3", "--pass-pipeline=a, b", "x y"]
        );
        assert_eq!(shell_words("").unwrap(), Vec::<String>::new());
        assert!(shell_words("'open").is_err());
    }

    #[test]
    fn variants_parse_as_compile_flags() {
        let v = parse_variant("fast=--opt-level 3 --fastmath").unwrap();
        assert_eq!(v.name, "fast");
        assert_eq!(v.code.opt_level, 3);
        assert!(v.code.fastmath);
        let v = parse_variant("base=").unwrap();
        assert_eq!(v.code.opt_level, 2);
        let e = parse_variant("x=--no-such-flag").err().unwrap().to_string();
        assert!(
            e.contains("--variant x") && e.contains("--no-such-flag"),
            "{e}"
        );
        assert!(parse_variant("noequals").is_err());
    }

    #[test]
    fn random_ticks_are_seeded() {
        let types = [Ty::Int, Ty::Float, Ty::Bool];
        let a = random_ticks(&types, 100, 7);
        let b = random_ticks(&types, 100, 7);
        let c = random_ticks(&types, 100, 8);
        assert_eq!(a.cells, b.cells);
        assert_ne!(a.cells, c.cells);
        assert_eq!(a.len(), 100);
        for t in 0..100 {
            let i = a.cells[t * 3] as i64;
            let f = f64::from_bits(a.cells[t * 3 + 1]);
            assert!((-50..=50).contains(&i));
            assert!((-100.0..100.0).contains(&f));
            assert!(a.cells[t * 3 + 2] <= 1);
        }
    }
}
