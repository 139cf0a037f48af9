//! Many nodes in one go: [`compile_many`] compiles a graph's nodes in
//! parallel, one thread per core, into one `.so` with one manifest.
//!
//! **Threads and contexts.** A [`CompilationContext`] stays on its thread
//! (its MLIR context is used without locks), so each worker builds its own
//! from a clone of one [`Registry`]; registrations are values, so every
//! worker compiles with the same extensions and no lock is taken while
//! compiling. Each node is compiled to an object as `cfuncc compile` would
//! (its own exported symbol, `PREFIX<name>_<key>`, so two nodes with the
//! same code still get one symbol each); the builtin linker links all the
//! objects into the `.so` at once, in memory (`ld -shared` does when it
//! declines one). Every failing node is reported, each error at
//! its `FILE:LINE:COL`. With a cache, each node's object is cached on its
//! own, so a graph with one changed node compiles one node.

use super::cache::{self, Cache};
use super::{CompilationOptions, Constants, Timings};
use crate::backend::link::Linker;
use crate::diagnostics::{CompileError, Error, Result};
use crate::registry::{CompilationContext, Registry};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One node of a graph.
#[derive(Clone, Debug)]
pub struct GraphNode {
    /// The node's name in the graph (unique; its function's by default).
    pub name: String,
    /// The file its source came from, for diagnostics.
    pub file: PathBuf,
    /// The module's source text.
    pub source: String,
    /// The node function.
    pub function: String,
    /// Its constant parameters.
    pub constants: Constants,
}

/// What [`compile_many`] built.
#[derive(Clone, Debug)]
pub struct Graph {
    /// The graph's manifest: `{"schema_version", "nodes": [{"name",
    /// "file", "function", "manifest"}]}`, each `manifest` the node's own.
    pub manifest: Value,
    /// Nodes compiled (the others came from the cache).
    pub compiled: usize,
    /// Nodes found in the cache.
    pub cached: usize,
    /// Warnings, each prefixed with its node's name.
    pub warnings: Vec<String>,
    /// How the `.so` was linked.
    pub linker_used: Linker,
    /// Where the time went (`cfuncc compile-many --timings`).
    pub timings: ManyTimings,
}

/// Where a [`compile_many`]'s time went. The per-node phases are summed over
/// the compiled nodes (CPU time spread over the workers); the rest is wall
/// time.
#[derive(Clone, Debug, Default)]
pub struct ManyTimings {
    /// Worker threads.
    pub workers: usize,
    /// Creating the workers' contexts, summed over the workers.
    pub contexts: Duration,
    /// Computing keys and reading and writing cache entries, summed over
    /// the nodes.
    pub cache: Duration,
    /// The compiled nodes' phases, summed.
    pub nodes: Timings,
    /// From the first worker's start to the last one's end.
    pub compile_wall: Duration,
    /// Merging the objects and linking the `.so`.
    pub link: Duration,
}

/// The per-node result of a worker.
struct Built {
    object: Vec<u8>,
    manifest: Value,
    warnings: Vec<String>,
    from_cache: bool,
    /// The compile's phases (none for a node from the cache).
    timings: Option<Timings>,
    /// Key, cache read and write.
    cache_time: Duration,
}

/// Compiles every node of `nodes` on `threads` worker threads (0: one per
/// core) and links them into the one `.so` at `out`. Options apply to all
/// nodes (`filename` is each node's file).
pub fn compile_many(
    registry: &Registry,
    nodes: &[GraphNode],
    options: &CompilationOptions,
    cache: Option<&Cache>,
    threads: usize,
    out: &Path,
) -> Result<Graph> {
    let mut names = std::collections::HashSet::new();
    for n in nodes {
        if !names.insert(n.name.as_str()) {
            return Err(Error::Usage(format!(
                "two nodes are named '{}': give one a `name`",
                n.name
            )));
        }
        if !crate::abi::externs::is_c_identifier(&n.name) {
            return Err(Error::Usage(format!(
                "node name '{}' must be a C identifier (letters, digits, _)",
                n.name
            )));
        }
    }
    if nodes.is_empty() {
        return Err(Error::Usage("the graph has no nodes".into()));
    }
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(nodes.len());
    let next = AtomicUsize::new(0);
    let contexts = Mutex::new(Duration::ZERO);
    let started = Instant::now();
    let results: Mutex<Vec<Option<Result<Built>>>> =
        Mutex::new((0..nodes.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                // The compile recurses with the program (see
                // `with_compile_stack`): a worker gets the same room.
                crate::stack::with_compile_stack(|| {
                    let t = Instant::now();
                    let ctx = CompilationContext::from_registry(registry.clone());
                    *contexts.lock().unwrap_or_else(|e| e.into_inner()) += t.elapsed();
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(node) = nodes.get(i) else { break };
                        let r = match &ctx {
                            Ok(ctx) => build(ctx, node, options, cache),
                            Err(e) => Err(e.clone()),
                        };
                        results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                    }
                })
            });
        }
    });
    let compile_wall = started.elapsed();
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut built = Vec::new();
    let mut located: Vec<CompileError> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    for (node, r) in nodes.iter().zip(results) {
        match r.unwrap_or_else(|| Err(Error::Internal("a worker stopped early".into()))) {
            Ok(b) => built.push((node, b)),
            Err(e) => {
                let d = e.diagnostics();
                if d.is_empty() {
                    other.push(format!("node '{}': {e}", node.name));
                } else {
                    located.extend(d.into_iter().cloned());
                }
            }
        }
    }
    if !other.is_empty() {
        let mut text = other.join("\n");
        for e in &located {
            text += &format!("\n{e}");
        }
        return Err(Error::Internal(text));
    }
    if !located.is_empty() {
        return Err(Error::from_diagnostics(located));
    }
    let mut timings = ManyTimings {
        workers: threads,
        contexts: contexts.into_inner().unwrap_or_else(|e| e.into_inner()),
        compile_wall,
        ..Default::default()
    };
    for (_, b) in &built {
        timings.cache += b.cache_time;
        if let Some(t) = &b.timings {
            timings.nodes.add(t);
        }
    }
    let t = Instant::now();
    // Each runtime part any node calls is linked once, beside them all.
    let report = super::link_with_runtime(
        &built.iter().map(|(_, b)| &b.object[..]).collect::<Vec<_>>(),
        out,
        options.linker,
    )?;
    timings.link = t.elapsed();
    let manifest = json!({
        "schema_version": crate::abi::SCHEMA_VERSION,
        "nodes": built.iter().map(|(n, b)| json!({
            "name": n.name,
            "file": n.file.display().to_string(),
            "function": n.function,
            "manifest": b.manifest,
        })).collect::<Vec<_>>(),
    });
    Ok(Graph {
        manifest,
        compiled: built.iter().filter(|(_, b)| !b.from_cache).count(),
        cached: built.iter().filter(|(_, b)| b.from_cache).count(),
        warnings: built
            .iter()
            .flat_map(|(n, b)| b.warnings.iter().map(move |w| format!("{}: {w}", n.name)))
            .collect(),
        linker_used: report.linker_used,
        timings,
    })
}

/// One node's object and manifest, from the cache or compiled.
fn build(
    ctx: &CompilationContext,
    node: &GraphNode,
    options: &CompilationOptions,
    cache: Option<&Cache>,
) -> Result<Built> {
    let mut o = options.clone();
    o.filename = node.file.display().to_string();
    // Each node its own exported symbol, even when two compile alike.
    o.symbol_prefix = format!("{}{}_", options.symbol_prefix, node.name);
    let t = Instant::now();
    let key = match cache {
        Some(_) => Some(cache::object_key(
            ctx,
            &node.source,
            &node.function,
            &node.constants,
            &o,
        )?),
        None => None,
    };
    if let (Some(c), Some(k)) = (cache, &key) {
        if let Some(e) = c.get(k) {
            return Ok(Built {
                object: e.so,
                manifest: e.manifest,
                warnings: e.warnings,
                from_cache: true,
                timings: None,
                cache_time: t.elapsed(),
            });
        }
    }
    let mut cache_time = t.elapsed();
    // For the link: without the runtime's parts, which the graph's link
    // adds once for all its nodes, and without the LLVM IR text, which a
    // graph never shows.
    let obj = super::compile_object(
        ctx,
        &node.source,
        &node.function,
        &node.constants,
        &o,
        super::ObjectFor::Link,
    )?;
    let manifest = obj.result.manifest();
    let t = Instant::now();
    if let (Some(c), Some(k)) = (cache, &key) {
        c.put_or_warn(k, &obj.bytes, &manifest, &obj.result.warnings);
    }
    cache_time += t.elapsed();
    Ok(Built {
        object: obj.bytes,
        manifest,
        warnings: obj.result.warnings,
        from_cache: false,
        timings: Some(obj.result.timings),
        cache_time,
    })
}

/// Reads a `graph.toml`: `[[node]]` tables with `file` (relative to the
/// graph file), `function`, an optional `name` and an optional
/// `constants` table whose values are written as for `--const`
/// (`alpha = 0.5`, `t = "datetime(2024, 1, 2, tzinfo=timezone.utc)"`).
pub fn read_graph(ctx: &CompilationContext, path: &Path) -> Result<Vec<GraphNode>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let bad = |what: String| Error::Usage(format!("{}: {what}", path.display()));
    let Some(list) = doc.get("node").and_then(|n| n.as_array()) else {
        return Err(bad("no [[node]] tables".into()));
    };
    let mut nodes = Vec::new();
    for (i, n) in list.iter().enumerate() {
        let t = n
            .as_table()
            .ok_or_else(|| bad(format!("node {}: not a table", i + 1)))?;
        if let Some(k) = t
            .keys()
            .find(|k| !["file", "function", "name", "constants"].contains(&k.as_str()))
        {
            return Err(bad(format!(
                "node {}: unknown key '{k}' (file, function, name, constants)",
                i + 1
            )));
        }
        let s = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let file = s("file").ok_or_else(|| bad(format!("node {}: no `file`", i + 1)))?;
        let function =
            s("function").ok_or_else(|| bad(format!("node {}: no `function`", i + 1)))?;
        let name = s("name").unwrap_or_else(|| function.clone());
        let file = base.join(file);
        let source = std::fs::read_to_string(&file)
            .map_err(|e| bad(format!("node '{name}': {}: {e}", file.display())))?;
        let mut constants = Constants::new();
        if let Some(c) = t.get("constants") {
            let c = c
                .as_table()
                .ok_or_else(|| bad(format!("node '{name}': `constants` is not a table")))?;
            for (k, v) in c {
                let text = match v {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Boolean(b) => if *b { "True" } else { "False" }.to_string(),
                    other => other.to_string(),
                };
                let (_, value) =
                    crate::frontend::literal::parse_const_arg(ctx, &format!("{k}={text}"))
                        .map_err(|e| bad(format!("node '{name}': constant {k}: {e}")))?;
                constants.insert(k.clone(), value);
            }
        }
        nodes.push(GraphNode {
            name,
            file,
            source,
            function,
            constants,
        });
    }
    Ok(nodes)
}
