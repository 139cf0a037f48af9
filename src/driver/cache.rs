//! The local compile cache: a `.so` and its manifest, content-addressed by
//! a key over everything that changes the artefact (docs/cache.md).
//!
//! ```text
//! $CFUNCC_CACHE_DIR (else $XDG_CACHE_HOME/cfuncc, else ~/.cache/cfuncc)
//!   v2/ab/abcdef...   one file: a line of JSON {"so_sha256", "so_len",
//!                     "manifest", "warnings"}, then the shared object
//!   v2/size           the size the last scan found, and when
//! ```
//! An entry is one file, written to a temporary name and renamed into
//! place, so a reader finds the old entry, none, or the whole new one;
//! processes that compile one node at once both write it, and the last
//! rename wins with identical bytes. (Version 1 kept the `.so` and its
//! metadata in two files: twice the files to create and rename, which on
//! ext4 was most of a write's ~2 ms.) A reader checks the object against
//! the SHA-256 in the metadata: an entry that does not match (truncated,
//! corrupted) is reported once, removed and recompiled, never loaded. The cache is bounded (`max_bytes`): when a write takes it
//! past the bound, the least recently used entries (by modification time,
//! which a hit refreshes) are removed until it fits. A write knows the size
//! from the last scan of the directory (the `size` file a scan leaves) plus
//! its process's writes since, and scans again after 32 writes or a minute,
//! so every process's writes are counted within a minute.

use super::{CompilationOptions, Constants};
use crate::backend::{self, link::Linker};
use crate::diagnostics::{Error, Result};
use crate::registry::CompilationContext;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The layout of the cache directory and of its entries; bumped when either
/// changes, so an old cache is ignored rather than misread.
const FORMAT: &str = "v2";

/// The layouts before [`FORMAT`]: ignored, and removed by [`Cache::clear`].
const OLD_FORMATS: [&str; 1] = ["v1"];

/// The default bound on the cache's size: 1 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 30;

/// A cache key: the hex SHA-256 of [`key_text`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key(pub String);

/// The text the key hashes: every input that changes the `.so`'s bytes,
/// one per line (docs/cache.md lists them).
pub fn key_text(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    constants: &Constants,
    options: &CompilationOptions,
) -> Result<String> {
    let target = backend::Target::cached(options.target_cpu.as_deref(), options.opt_level)?;
    let mut t = String::new();
    t += &format!("format {FORMAT}\n");
    t += &format!("cfuncc {}\n", env!("CARGO_PKG_VERSION"));
    t += &format!("llvm {}\n", backend::llvm_version());
    t += &format!("target {} {}\n", target.cpu, target.features);
    t += &format!(
        "options opt={} fastmath={} force_inline={} prefix={:?} internalize={} linker={} datetime_as_int={}\n",
        options.opt_level,
        options.fastmath,
        options.force_inline,
        options.symbol_prefix,
        options.internalize,
        match options.linker {
            Linker::Builtin => "builtin",
            Linker::System => "system",
        },
        options.datetime_as_int,
    );
    // The file name is in the code's debug locations only through the
    // source map of faults, which record line and column; it is kept in the
    // key anyway so that an entry's manifest and warnings name its file.
    t += &format!("filename {:?}\n", options.filename);
    t += &format!("function {function:?}\n");
    for (name, value) in constants {
        t += &format!("const {name:?} = {}\n", value.to_json());
    }
    for path in &options.link_bitcode {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::Usage(format!("--link-bitcode {}: {e}", path.display())))?;
        t += &format!("bitcode-file {}\n", hex(&Sha256::digest(&bytes)));
    }
    for bc in &options.bitcode {
        t += &format!("bitcode {}\n", hex(&Sha256::digest(&bc.bytes)));
    }
    if let Some(pipeline) = &options.pass_pipeline {
        t += &format!("pipeline {pipeline:?}\n");
    }
    if options.debug_info {
        t += "debug-info line-tables\n";
    }
    for pass in &options.disable_passes {
        t += &format!("disable-pass {pass:?}\n");
    }
    t += &format!("registry {}\n", hex(&Sha256::digest(ctx.identity())));
    t += &format!("source {}\n", hex(&Sha256::digest(source)));
    Ok(t)
}

/// The key of a compile.
pub fn key(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    constants: &Constants,
    options: &CompilationOptions,
) -> Result<Key> {
    artifact_key(ctx, source, function, constants, options, "")
}

/// The key of a node's object (the same inputs as [`key`], for another
/// artefact): an object without the runtime's machine-code parts, which a
/// link adds once per `.so` and the JIT loads once per session. The JIT
/// and `compile_many` cache and share these entries.
pub fn object_key(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    constants: &Constants,
    options: &CompilationOptions,
) -> Result<Key> {
    let artifact = "artifact object, runtime parts at the link\n";
    artifact_key(ctx, source, function, constants, options, artifact)
}

/// The SHA-256 of [`key_text`] followed by `artifact`, the line that tells
/// one kind of entry from another (empty for a `.so`).
fn artifact_key(
    ctx: &CompilationContext,
    source: &str,
    function: &str,
    constants: &Constants,
    options: &CompilationOptions,
    artifact: &str,
) -> Result<Key> {
    let text = key_text(ctx, source, function, constants, options)? + artifact;
    Ok(Key(hex(&Sha256::digest(text))))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An entry read back: the `.so`'s bytes and its manifest.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The shared object.
    pub so: Vec<u8>,
    /// Its manifest, as `cfuncc compile` writes it beside the `.so`.
    pub manifest: Value,
    /// The warnings of the compile that made it.
    pub warnings: Vec<String>,
}

impl Entry {
    /// An entry from its bytes and its metadata (`{"manifest", "warnings"}`).
    fn from_meta(so: Vec<u8>, meta: &Value) -> Self {
        Entry {
            so,
            manifest: meta["manifest"].clone(),
            warnings: meta["warnings"]
                .as_array()
                .map(|w| {
                    w.iter()
                        .filter_map(|w| w.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// What the cache holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Complete entries.
    pub entries: u64,
    /// Their size in bytes.
    pub bytes: u64,
}

/// A local cache directory.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    max_bytes: u64,
    remote: Option<Remote>,
    /// The cache's size at the last scan (this process's, or another's,
    /// read from the `size` file the scan leaves), plus what this process
    /// wrote since: a write scans the directory (and evicts) only when that
    /// estimate passes the bound, after [`RESCAN_WRITES`] writes, or
    /// [`RESCAN_AFTER`] after the last scan, instead of at every write (a
    /// scan stats every entry: with 5,000 entries that was 50 ms of every
    /// `cfuncc compile`).
    size: std::sync::Mutex<Option<SizeEstimate>>,
}

/// See [`Cache::size`].
#[derive(Debug)]
struct SizeEstimate {
    bytes: u64,
    scanned: SystemTime,
    writes: u32,
}

/// A process rescans the cache after this many writes of its own, so
/// other processes' writes cannot keep it past its bound for long.
const RESCAN_WRITES: u32 = 32;
/// ... or this long after the last scan of any process.
const RESCAN_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

impl Cache {
    /// The cache in `dir` (created on first write), bounded to `max_bytes`.
    pub fn new(dir: impl Into<PathBuf>, max_bytes: u64) -> Self {
        Self {
            dir: dir.into(),
            max_bytes,
            remote: None,
            size: std::sync::Mutex::new(None),
        }
    }

    /// Adds the remote tier, read after this local one and written with it.
    /// A registry with registrations of no declared version (see
    /// [`Registry::is_versioned`](crate::registry::Registry::is_versioned))
    /// uses the local tier only.
    pub fn with_remote(mut self, remote: Remote) -> Self {
        self.remote = Some(remote);
        self
    }

    /// The remote tier, if any.
    pub fn remote(&self) -> Option<&Remote> {
        self.remote.as_ref()
    }

    /// The default location: `$CFUNCC_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/cfuncc`, else `~/.cache/cfuncc`; `None` when none of
    /// them is set.
    pub fn default_dir() -> Option<PathBuf> {
        let var = |n: &str| std::env::var_os(n).filter(|v| !v.is_empty());
        var("CFUNCC_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("cfuncc")))
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache/cfuncc")))
    }

    /// The cache directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &Key) -> PathBuf {
        self.dir.join(FORMAT).join(&key.0[..2]).join(&key.0)
    }

    /// The entry of `key`, if a complete and intact one is there. A damaged
    /// entry is reported (on stderr, once: it is removed) and treated as a
    /// miss.
    pub fn get(&self, key: &Key) -> Option<Entry> {
        let path = self.path(key);
        let bytes = std::fs::read(&path).ok()?;
        let damaged = |why: &str| {
            eprintln!(
                "cfuncc: warning: cache entry {} is damaged ({why}); removing it and recompiling",
                path.display()
            );
            let _ = std::fs::remove_file(&path);
            None
        };
        let Some(newline) = bytes.iter().position(|&b| b == b'\n') else {
            return damaged("no metadata line");
        };
        let Ok(meta) = serde_json::from_slice::<Value>(&bytes[..newline]) else {
            return damaged("unreadable metadata");
        };
        let so = &bytes[newline + 1..];
        if meta["so_len"].as_u64() != Some(so.len() as u64) {
            return damaged("the .so has the wrong length");
        }
        if meta["so_sha256"].as_str() != Some(hex(&Sha256::digest(so)).as_str()) {
            return damaged("the .so does not match its checksum");
        }
        if !meta["manifest"].is_object() {
            return damaged("no manifest");
        }
        // A hit is a use: the entry is now the most recently used.
        let now = std::fs::FileTimes::new().set_modified(SystemTime::now());
        if let Ok(f) = std::fs::File::options().write(true).open(&path) {
            let _ = f.set_times(now);
        }
        Some(Entry::from_meta(so.to_vec(), &meta))
    }

    /// [`Cache::put`], where a cache that cannot be written costs only the
    /// miss: the failure is a warning on stderr, not an error.
    pub fn put_or_warn(&self, key: &Key, so: &[u8], manifest: &Value, warnings: &[String]) {
        if let Err(e) = self.put(key, so, manifest, warnings) {
            eprintln!(
                "cfuncc: warning: cannot write the compile cache in {}: {e}",
                self.dir().display()
            );
        }
    }

    /// Stores an entry atomically, then evicts down to the size bound.
    pub fn put(&self, key: &Key, so: &[u8], manifest: &Value, warnings: &[String]) -> Result<()> {
        let path = self.path(key);
        let meta = json!({
            "so_sha256": hex(&Sha256::digest(so)),
            "so_len": so.len(),
            "manifest": manifest,
            "warnings": warnings,
        });
        // One line: serde_json escapes every newline inside strings.
        let mut bytes = meta.to_string().into_bytes();
        bytes.push(b'\n');
        bytes.extend_from_slice(so);
        if let Err(e) = write_atomic(&path, &bytes) {
            // The shard's directory is made on its first entry only.
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(e.into());
            }
            std::fs::create_dir_all(path.parent().expect("entry directory"))?;
            write_atomic(&path, &bytes)?;
        }
        let written = bytes.len() as u64;
        let mut size = self.size.lock().unwrap_or_else(|e| e.into_inner());
        if size.is_none() {
            *size = self.read_size();
        }
        let rescan = match size.as_mut() {
            None => true,
            Some(e) => {
                e.bytes += written;
                e.writes += 1;
                e.bytes > self.max_bytes
                    || e.writes >= RESCAN_WRITES
                    || e.scanned.elapsed().map_or(true, |d| d > RESCAN_AFTER)
            }
        };
        if rescan {
            let bytes = self.evict()?;
            let now = SystemTime::now();
            let since = now
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default();
            // For the next process: what this scan found, and when.
            let _ = write_atomic(
                &self.size_path(),
                format!("{bytes} {}\n", since.as_secs()).as_bytes(),
            );
            *size = Some(SizeEstimate {
                bytes,
                scanned: now,
                writes: 0,
            });
        }
        Ok(())
    }

    fn size_path(&self) -> PathBuf {
        self.dir.join(FORMAT).join("size")
    }

    /// The last scan's result, from the `size` file (`BYTES UNIX_SECONDS`).
    fn read_size(&self) -> Option<SizeEstimate> {
        let text = std::fs::read_to_string(self.size_path()).ok()?;
        let mut it = text.split_whitespace().map(|w| w.parse::<u64>().ok());
        let (bytes, secs) = (it.next()??, it.next()??);
        Some(SizeEstimate {
            bytes,
            scanned: SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs),
            writes: 0,
        })
    }

    /// Every complete entry: (path, bytes, last use). Temporary files
    /// (`KEY.tmp.PID.N`) are not entries.
    fn entries(&self) -> Vec<(PathBuf, u64, SystemTime)> {
        let mut out = Vec::new();
        let Ok(shards) = std::fs::read_dir(self.dir.join(FORMAT)) else {
            return out;
        };
        for shard in shards.flatten() {
            let Ok(files) = std::fs::read_dir(shard.path()) else {
                continue;
            };
            for f in files.flatten() {
                if f.file_name().to_string_lossy().contains('.') {
                    continue;
                }
                let Ok(m) = f.metadata() else {
                    continue;
                };
                let used = m.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                out.push((f.path(), m.len(), used));
            }
        }
        out
    }

    /// Removes the least recently used entries until the cache fits its
    /// bound; returns its size after.
    pub fn evict(&self) -> Result<u64> {
        let mut entries = self.entries();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        if total <= self.max_bytes {
            return Ok(total);
        }
        entries.sort_by_key(|e| e.2);
        for (path, bytes, _) in entries {
            if total <= self.max_bytes {
                break;
            }
            let _ = std::fs::remove_file(&path);
            total -= bytes;
        }
        Ok(total)
    }

    /// The number and size of the complete entries.
    pub fn stats(&self) -> Stats {
        let entries = self.entries();
        Stats {
            entries: entries.len() as u64,
            bytes: entries.iter().map(|e| e.1).sum(),
        }
    }

    /// Removes every entry; returns how many there were. The entries of
    /// older layouts (`v1/`), which no compile reads any more,
    /// go too.
    pub fn clear(&self) -> Result<u64> {
        let n = self.entries().len() as u64;
        for format in OLD_FORMATS.iter().chain([&FORMAT]) {
            match std::fs::remove_dir_all(self.dir.join(format)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(n)
    }
}

/// Writes `path` through a temporary file in its directory and a rename,
/// so readers see the old file or the whole new one.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let tmp = path.with_extension(format!(
        "tmp.{}.{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(())
}

/// Where a compile's `.so` came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Found in the local cache.
    Hit,
    /// Found in the remote cache (and now stored locally too).
    RemoteHit,
    /// Compiled, then stored.
    Miss,
    /// Compiled; no cache was used.
    Uncached,
}

/// A `.so` written by [`compile_to_so_cached`] and its manifest.
#[derive(Clone, Debug)]
pub struct Cached {
    /// The manifest (as written beside the `.so` by `cfuncc compile`).
    pub manifest: Value,
    /// Whether it came from the cache.
    pub outcome: Outcome,
    /// The compile's warnings; on a hit, those of the compile that made the
    /// entry, so a cached build warns as a fresh one does.
    pub warnings: Vec<String>,
    /// The compile's whole result, when there was a compile (not on a hit).
    pub result: Option<Box<super::CompilationResult>>,
}

/// Compiles `function` to a `.so` at `out` through `cache`: on a hit the
/// cached `.so` is copied to `out` with no compile at all; on a miss the
/// node is compiled and stored. With `cache` `None` it is
/// [`compile_to_so`](super::compile_to_so). A cache with a
/// [`Remote`] tier reads the local tier first, then the remote, and
/// writes a compiled node to both.
pub fn compile_to_so_cached(
    ctx: &CompilationContext,
    cache: Option<&Cache>,
    source: &str,
    function: &str,
    constants: &Constants,
    options: &CompilationOptions,
    out: &Path,
) -> Result<Cached> {
    let Some(cache) = cache else {
        let r = super::compile_to_so(ctx, source, function, constants, options, out)?;
        return Ok(Cached {
            manifest: r.manifest(),
            outcome: Outcome::Uncached,
            warnings: r.warnings.clone(),
            result: Some(Box::new(r)),
        });
    };
    let key = key(ctx, source, function, constants, options)?;
    if let Some(entry) = cache.get(&key) {
        write_atomic(out, &entry.so)?;
        return Ok(Cached {
            manifest: entry.manifest,
            outcome: Outcome::Hit,
            warnings: entry.warnings,
            result: None,
        });
    }
    let remote = cache.remote.as_ref().filter(|_| ctx.is_versioned());
    if let Some(entry) = remote.and_then(|r| r.get(&key)) {
        write_atomic(out, &entry.so)?;
        cache.put_or_warn(&key, &entry.so, &entry.manifest, &entry.warnings);
        return Ok(Cached {
            manifest: entry.manifest,
            outcome: Outcome::RemoteHit,
            warnings: entry.warnings,
            result: None,
        });
    }
    let r = super::compile_to_so(ctx, source, function, constants, options, out)?;
    let manifest = r.manifest();
    let so = std::fs::read(out)?;
    // A cache that cannot be written costs only the miss.
    cache.put_or_warn(&key, &so, &manifest, &r.warnings);
    if let Some(remote) = remote {
        remote.put(&key, &so, &manifest, &r.warnings);
    }
    Ok(Cached {
        manifest,
        outcome: Outcome::Miss,
        warnings: r.warnings.clone(),
        result: Some(Box::new(r)),
    })
}

/// Compiles `function` into the JIT session `jit` through `cache`: the
/// object is cached (under [`object_key`], as `compile_many` caches it), so
/// a hit loads the cached object with no compile at all. Tiers as for
/// [`compile_to_so_cached`]. Returns the node and where it came from.
pub fn compile_to_jit_cached(
    ctx: &CompilationContext,
    cache: Option<&Cache>,
    source: &str,
    function: &str,
    constants: &Constants,
    options: &CompilationOptions,
    jit: &super::jit::Jit,
) -> Result<(super::jit::JitNode, Outcome, Vec<String>)> {
    let Some(cache) = cache else {
        let n = super::jit::compile_to_jit(ctx, source, function, constants, options, jit)?;
        let warnings = n.result().map(|r| r.warnings.clone()).unwrap_or_default();
        return Ok((n, Outcome::Uncached, warnings));
    };
    let key = object_key(ctx, source, function, constants, options)?;
    if let Some(entry) = cache.get(&key) {
        return Ok((
            jit.add_object_with_manifest(&entry.so, entry.manifest)?,
            Outcome::Hit,
            entry.warnings,
        ));
    }
    let remote = cache.remote.as_ref().filter(|_| ctx.is_versioned());
    if let Some(entry) = remote.and_then(|r| r.get(&key)) {
        cache.put_or_warn(&key, &entry.so, &entry.manifest, &entry.warnings);
        return Ok((
            jit.add_object_with_manifest(&entry.so, entry.manifest)?,
            Outcome::RemoteHit,
            entry.warnings,
        ));
    }
    let obj = super::compile_object(
        ctx,
        source,
        function,
        constants,
        options,
        super::ObjectFor::Link,
    )?;
    let manifest = obj.result.manifest();
    cache.put_or_warn(&key, &obj.bytes, &manifest, &obj.result.warnings);
    if let Some(remote) = remote {
        remote.put(&key, &obj.bytes, &manifest, &obj.result.warnings);
    }
    let warnings = obj.result.warnings.clone();
    Ok((jit.add_object(&obj)?, Outcome::Miss, warnings))
}

/// The remote tier: a Redis server shared by a team or a farm of machines
/// (`CFUNCC_CACHE_REMOTE=redis://HOST:PORT`).
///
/// Native code fetched from a shared store runs on every machine that
/// fetches it, so every entry is authenticated: it carries an HMAC-SHA256
/// of its key and contents under a secret the machines share
/// (`CFUNCC_CACHE_SECRET`), and an entry that fails verification is
/// reported and ignored. Without a secret the remote tier stays off. A
/// remote that is down, slow or returns garbage never fails a compile: each
/// request is bounded by `timeout` (`CFUNCC_CACHE_REMOTE_TIMEOUT_MS`,
/// default 250 ms), and any failure costs only the miss.
pub struct Remote {
    client: redis::Client,
    secret: Vec<u8>,
    timeout: std::time::Duration,
    /// One live connection, made on first use; dropped on an error so a
    /// server that comes back is found again.
    conn: std::sync::Mutex<Option<redis::Connection>>,
    /// Set after the first failure is reported, so a down server is
    /// reported once, not on every node.
    reported: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Remote({:?})", self.client.get_connection_info().addr)
    }
}

/// The Redis key of an entry.
fn remote_key(key: &Key) -> String {
    format!("cfuncc:{FORMAT}:{}", key.0)
}

type HmacSha256 = hmac::Hmac<Sha256>;

impl Remote {
    /// A remote tier at `url` (`redis://HOST:PORT`) with the shared
    /// `secret`; nothing is connected yet.
    pub fn new(url: &str, secret: &[u8], timeout: std::time::Duration) -> Result<Self> {
        if secret.is_empty() {
            return Err(Error::Usage(
                "the remote cache needs a shared secret (CFUNCC_CACHE_SECRET)".into(),
            ));
        }
        let client = redis::Client::open(url)
            .map_err(|e| Error::Usage(format!("remote cache {url}: {e}")))?;
        Ok(Self {
            client,
            secret: secret.to_vec(),
            timeout,
            conn: Default::default(),
            reported: Default::default(),
        })
    }

    /// The remote tier the environment configures: `url` (else
    /// `CFUNCC_CACHE_REMOTE`) with `CFUNCC_CACHE_SECRET`. `None`, with a
    /// warning, when a remote is named but there is no secret or the URL is
    /// bad; `None` silently when no remote is named.
    pub fn from_env(url: Option<&str>) -> Option<Self> {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
        let url = url
            .map(str::to_string)
            .or_else(|| var("CFUNCC_CACHE_REMOTE"))?;
        let Some(secret) = var("CFUNCC_CACHE_SECRET") else {
            eprintln!(
                "cfuncc: warning: remote cache {url} is off: set CFUNCC_CACHE_SECRET (the same on every machine) so its entries can be authenticated; compiling with the local cache only"
            );
            return None;
        };
        let ms = var("CFUNCC_CACHE_REMOTE_TIMEOUT_MS")
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(250);
        match Self::new(
            &url,
            secret.as_bytes(),
            std::time::Duration::from_millis(ms),
        ) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("cfuncc: warning: {e}; compiling with the local cache only");
                None
            }
        }
    }

    fn mac(&self, key: &Key, body: &[u8]) -> Vec<u8> {
        use hmac::Mac;
        let mut m = HmacSha256::new_from_slice(&self.secret).expect("HMAC takes any key length");
        m.update(key.0.as_bytes());
        m.update(body);
        m.finalize().into_bytes().to_vec()
    }

    fn report(&self, what: &str) {
        if !self
            .reported
            .swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            eprintln!("cfuncc: warning: remote cache: {what}; compiling without it");
        }
    }

    /// Runs `f` on the connection (made on first use), within the timeout;
    /// `None` on any failure.
    fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Option<T> {
        let mut guard = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            let made = self
                .client
                .get_connection_with_timeout(self.timeout)
                .and_then(|c| {
                    c.set_read_timeout(Some(self.timeout))?;
                    c.set_write_timeout(Some(self.timeout))?;
                    Ok(c)
                });
            match made {
                Ok(c) => *guard = Some(c),
                Err(e) => {
                    self.report(&format!("cannot connect: {e}"));
                    return None;
                }
            }
        }
        match f(guard.as_mut().expect("connected")) {
            Ok(v) => Some(v),
            Err(e) => {
                *guard = None;
                self.report(&e.to_string());
                None
            }
        }
    }

    /// The entry of `key`, if the remote has one that verifies.
    pub fn get(&self, key: &Key) -> Option<Entry> {
        let blob: Option<Vec<u8>> =
            self.with_conn(|c| redis::cmd("GET").arg(remote_key(key)).query(c))?;
        let blob = blob?;
        let verified = (|| {
            let (mac, body) = blob.split_at_checked(32)?;
            use hmac::Mac;
            let mut m = HmacSha256::new_from_slice(&self.secret).ok()?;
            m.update(key.0.as_bytes());
            m.update(body);
            m.verify_slice(mac).ok()?;
            let (len, rest) = body.split_at_checked(8)?;
            let len = u64::from_le_bytes(len.try_into().ok()?) as usize;
            let (meta, so) = rest.split_at_checked(len)?;
            let meta: Value = serde_json::from_slice(meta).ok()?;
            meta["manifest"]
                .is_object()
                .then(|| Entry::from_meta(so.to_vec(), &meta))
        })();
        if verified.is_none() {
            eprintln!(
                "cfuncc: warning: remote cache entry {} failed verification (another secret, or tampered with); ignored",
                remote_key(key)
            );
        }
        verified
    }

    /// Stores an entry (best effort: a failure is reported once).
    pub fn put(&self, key: &Key, so: &[u8], manifest: &Value, warnings: &[String]) {
        let meta = json!({"manifest": manifest, "warnings": warnings}).to_string();
        let mut body = (meta.len() as u64).to_le_bytes().to_vec();
        body.extend_from_slice(meta.as_bytes());
        body.extend_from_slice(so);
        let mut blob = self.mac(key, &body);
        blob.extend_from_slice(&body);
        let _: Option<()> =
            self.with_conn(|c| redis::cmd("SET").arg(remote_key(key)).arg(blob).query(c));
    }
}
