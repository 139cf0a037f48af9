//! Symbols: what each symbol of the input objects stands for, their imports
//! and exports, and the dynamic symbol tables of the output.
//!
//! The dynamic symbol table holds the imports (undefined symbols, bound to
//! libm, or to libc for what libm lacks, with the symbol versions `ld`
//! records when given both: the library's default `@@` version of each, so
//! `exp@GLIBC_2.29`, `memcpy@GLIBC_2.14`) and the exports: the
//! object's global and weak defined symbols of default visibility, i.e. the
//! node function, its `_fault` accessor and its `_layout`. References
//! between the object's own symbols bind locally. `.gnu.hash` hashes the
//! exports only; `.gnu.version`/`.gnu.version_r` are written when an import
//! has a version.

use super::layout::{OutSection, Placed, N_OUT};
use super::{read_err, unsupported, Ehdr, Input, LE};
use crate::diagnostics::Result;
use object::elf;
use object::read::elf::{FileHeader as _, Sym as _};
use object::write::elf::{Sym, Vernaux, Verneed, Writer};
use object::write::StringId;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// Where libm is read from to find its symbol versions.
pub const LIBM_PATHS: &[&str] = &[
    "/lib/x86_64-linux-gnu/libm.so.6",
    "/usr/lib/x86_64-linux-gnu/libm.so.6",
    "/lib64/libm.so.6",
];
/// Where libc is read from to find its symbol versions.
pub const LIBC_PATHS: &[&str] = &[
    "/lib/x86_64-linux-gnu/libc.so.6",
    "/usr/lib/x86_64-linux-gnu/libc.so.6",
    "/lib64/libc.so.6",
];

/// A shared library imports bind to.
struct Lib {
    soname: &'static str,
    paths: &'static [&'static str],
}

/// The libraries, in lookup order (as `ld` given libm then libc): math
/// functions from libm, the rest (malloc, free, memcpy, ... from the
/// container runtime) from libc.
const LIBS: [Lib; 2] = [
    Lib {
        soname: "libm.so.6",
        paths: LIBM_PATHS,
    },
    Lib {
        soname: "libc.so.6",
        paths: LIBC_PATHS,
    },
];
const LIBM: usize = 0;
const LIBC: usize = 1;

/// What a symbol of the input object stands for.
#[derive(Clone, Copy)]
pub(super) enum Def {
    /// The null symbol, files, and symbols of sections that were dropped.
    None,
    /// Defined in a placed section at this offset of an output section.
    Section(super::layout::Out, u64),
    /// An absolute value.
    Abs(u64),
    /// The n-th import.
    Import(usize),
}

impl Def {
    /// The address it stands for; 0 for imports (bound at load time).
    pub(super) fn addr(self, outs: &[OutSection; N_OUT]) -> u64 {
        match self {
            Def::Section(out, off) => outs[out as usize].addr + off,
            Def::Abs(v) => v,
            Def::None | Def::Import(_) => 0,
        }
    }
}

/// An undefined symbol, looked up at load time.
pub(super) struct Import<'d> {
    pub name: &'d [u8],
    pub st_info: u8,
    /// Index in `Symbols::versions`, if libm or libc defines it with a
    /// version.
    pub version: Option<usize>,
}

/// An exported symbol: a global or weak definition of default visibility.
pub(super) struct Export<'d> {
    /// Its symbol id (see [`Symbols::base`]).
    pub sym: usize,
    pub name: &'d [u8],
    pub st_info: u8,
    pub st_other: u8,
    pub st_size: u64,
}

/// The symbols of the input objects, as the output sees them. A symbol is
/// known by its id: its index in its object's symbol table plus the
/// object's `base`, the number of symbols of the objects before it.
pub(super) struct Symbols<'d> {
    /// By symbol id.
    pub defs: Vec<Def>,
    /// The id a relocation against each symbol uses: its own, except for
    /// an import another object imported first (one GOT slot, one PLT
    /// stub per imported name).
    pub canonical: Vec<usize>,
    /// The first symbol id of each input.
    pub base: Vec<usize>,
    pub imports: Vec<Import<'d>>,
    /// In `.gnu.hash` bucket order once `bind_versions` ran.
    pub exports: Vec<Export<'d>>,
    /// The versions the imports bind to: (index in `LIBS`, name).
    pub versions: Vec<(usize, &'d [u8])>,
    /// Whether an import is in libm.
    pub from_libm: bool,
    /// Whether an import is not in libm (malloc, free, memmove from the
    /// container runtime, externs the host defines): `DT_NEEDED libc`.
    pub from_libc: bool,
}

/// The dynamic symbol index of the n-th import (after the null symbol).
pub(super) fn dynsym_of_import(n: usize) -> u32 {
    1 + n as u32
}

/// Sorts the input objects' symbols into definitions, imports and exports.
/// A global defined by one object and undefined in another binds to the
/// definition; one defined by two is an error.
pub(super) fn collect<'d>(
    inputs: &[Input<'d>],
    placed: &[Vec<Option<Placed>>],
) -> Result<Symbols<'d>> {
    let mut base = Vec::with_capacity(inputs.len());
    let mut total = 0;
    for input in inputs {
        base.push(total);
        total += input.symtab.len();
    }
    let mut defs = vec![Def::None; total];
    let mut canonical: Vec<usize> = (0..total).collect();
    let mut exports: Vec<Export> = Vec::new();
    // Undefined globals: (id, name, st_info), bound once every object's
    // definitions are known.
    let mut undefined: Vec<(usize, &[u8], u8)> = Vec::new();
    let mut globals: HashMap<&[u8], usize> = HashMap::new();
    for ((input, placed), &base) in inputs.iter().zip(placed).zip(&base) {
        let symtab = &input.symtab;
        // Symbol 0 in a relocation stands for the value 0.
        defs[base] = Def::Abs(0);
        for (i, sym) in symtab.enumerate() {
            if i.0 == 0 {
                continue;
            }
            let id = base + i.0;
            let name = symtab.symbol_name(LE, sym).map_err(read_err)?;
            let bind = sym.st_bind();
            let global = bind == elf::STB_GLOBAL || bind == elf::STB_WEAK;
            match sym.st_shndx(LE) {
                elf::SHN_UNDEF => {
                    if name.is_empty() || !global {
                        return Err(unsupported("an undefined local symbol"));
                    }
                    undefined.push((id, name, sym.st_info()));
                }
                elf::SHN_ABS => defs[id] = Def::Abs(sym.st_value(LE)),
                elf::SHN_COMMON => {
                    return Err(unsupported(format!(
                        "common symbol {}",
                        String::from_utf8_lossy(name)
                    )))
                }
                _ => {
                    let Some(section) = symtab.symbol_section(LE, sym, i).map_err(read_err)? else {
                        continue;
                    };
                    let Some(p) = placed.get(section.0).copied().flatten() else {
                        continue;
                    };
                    defs[id] = Def::Section(p.out, p.offset + sym.st_value(LE));
                    let ty = sym.st_type();
                    if global && ty != elf::STT_SECTION && ty != elf::STT_FILE {
                        if globals.insert(name, id).is_some() {
                            return Err(unsupported(format!(
                                "{} is defined twice",
                                String::from_utf8_lossy(name)
                            )));
                        }
                        if sym.st_visibility() == elf::STV_DEFAULT {
                            exports.push(Export {
                                sym: id,
                                name,
                                st_info: sym.st_info(),
                                st_other: sym.st_other(),
                                st_size: sym.st_size(LE),
                            });
                        }
                    }
                }
            }
        }
    }
    let mut imports: Vec<Import> = Vec::new();
    let mut first_import: HashMap<&[u8], usize> = HashMap::new();
    for (id, name, st_info) in undefined {
        if let Some(&def) = globals.get(name) {
            defs[id] = defs[def];
            canonical[id] = def;
            continue;
        }
        match first_import.get(name) {
            Some(&first) => {
                defs[id] = defs[first];
                canonical[id] = first;
            }
            None => {
                first_import.insert(name, id);
                defs[id] = Def::Import(imports.len());
                imports.push(Import {
                    name,
                    st_info,
                    version: None,
                });
            }
        }
    }
    Ok(Symbols {
        defs,
        canonical,
        base,
        imports,
        exports,
        versions: Vec::new(),
        from_libm: false,
        from_libc: false,
    })
}

impl Symbols<'_> {
    /// Binds the imports to the default versions of libm's symbols, then
    /// of libc's, as `ld` given both does, and sorts the exports for
    /// `.gnu.hash`. An import neither defines (an extern the host process
    /// defines) stays unversioned.
    pub(super) fn bind_versions(&mut self) -> Result<()> {
        for imp in &mut self.imports {
            let found = if let Some(v) = default_version(LIBM, imp.name)? {
                self.from_libm = true;
                Some((LIBM, v))
            } else {
                self.from_libc = true;
                default_version(LIBC, imp.name)?.map(|v| (LIBC, v))
            };
            if let Some((lib, v)) = found {
                let key = (lib, v);
                imp.version = Some(match self.versions.iter().position(|x| *x == key) {
                    Some(n) => n,
                    None => {
                        self.versions.push(key);
                        self.versions.len() - 1
                    }
                });
            }
        }
        // The GNU hash table wants the hashed (exported) symbols sorted by
        // bucket.
        let n_buckets = self.n_buckets();
        self.exports
            .sort_by_key(|e| elf::gnu_hash(e.name) % n_buckets);
        Ok(())
    }

    /// The libraries (indices in `LIBS`) with a `.gnu.version_r` entry.
    fn verneed_libs(&self) -> impl Iterator<Item = usize> + '_ {
        [LIBM, LIBC]
            .into_iter()
            .filter(|&lib| self.versions.iter().any(|v| v.0 == lib))
    }

    /// Entries of `.gnu.version_r` (libraries with versioned imports).
    pub(super) fn n_verneed(&self) -> usize {
        self.verneed_libs().count()
    }

    pub(super) fn n_buckets(&self) -> u32 {
        self.exports.len().max(1) as u32
    }

    /// Whether any import binds to a symbol version.
    pub(super) fn versioned(&self) -> bool {
        !self.versions.is_empty()
    }
}

/// The strings of `.dynstr`.
pub(super) struct DynNames {
    /// The sonames in `LIBS`, each when `DT_NEEDED`.
    pub libs: [Option<StringId>; 2],
    pub imports: Vec<StringId>,
    pub exports: Vec<StringId>,
    pub versions: Vec<StringId>,
}

impl DynNames {
    /// The `DT_NEEDED` libraries, in order.
    pub(super) fn needed(&self) -> impl Iterator<Item = StringId> {
        [self.libs[LIBC], self.libs[LIBM]].into_iter().flatten()
    }
}

/// Adds the names of the imports, exports, versions and needed libraries to
/// `.dynstr`.
pub(super) fn add_names<'a>(w: &mut Writer<'a>, syms: &Symbols<'a>) -> DynNames {
    w.require_dynstr();
    let libc = syms
        .from_libc
        .then(|| w.add_dynamic_string(LIBS[LIBC].soname.as_bytes()));
    let libm = syms
        .from_libm
        .then(|| w.add_dynamic_string(LIBS[LIBM].soname.as_bytes()));
    DynNames {
        libs: [libm, libc],
        imports: syms
            .imports
            .iter()
            .map(|i| w.add_dynamic_string(i.name))
            .collect(),
        exports: syms
            .exports
            .iter()
            .map(|e| w.add_dynamic_string(e.name))
            .collect(),
        versions: syms
            .versions
            .iter()
            .map(|v| w.add_dynamic_string(v.1))
            .collect(),
    }
}

/// Writes `.gnu.hash`, `.dynsym`, `.dynstr` and, when versioned,
/// `.gnu.version` and `.gnu.version_r`.
pub(super) fn write_tables(
    w: &mut Writer<'_>,
    outs: &[OutSection; N_OUT],
    syms: &Symbols,
    names: &DynNames,
    n_buckets: u32,
) -> Result<()> {
    let symbol_base = 1 + syms.imports.len() as u32;
    let exports = &syms.exports;
    w.write_gnu_hash(symbol_base, 6, 1, n_buckets, exports.len() as u32, |i| {
        elf::gnu_hash(exports[i as usize].name)
    });
    w.write_null_dynamic_symbol();
    for (imp, &name) in syms.imports.iter().zip(&names.imports) {
        w.write_dynamic_symbol(&Sym {
            name: Some(name),
            section: None,
            st_info: imp.st_info,
            st_other: elf::STV_DEFAULT,
            st_shndx: elf::SHN_UNDEF,
            st_value: 0,
            st_size: 0,
        });
    }
    for (e, &name) in exports.iter().zip(&names.exports) {
        let def = syms.defs[e.sym];
        let Def::Section(out, _) = def else {
            return Err(unsupported("exported symbol not in a section"));
        };
        w.write_dynamic_symbol(&Sym {
            name: Some(name),
            section: outs[out as usize].index,
            st_info: e.st_info,
            st_other: e.st_other,
            st_shndx: 0,
            st_value: def.addr(outs),
            st_size: e.st_size,
        });
    }
    w.write_dynstr();
    if syms.versioned() {
        w.write_null_gnu_versym();
        for imp in &syms.imports {
            w.write_gnu_versym(imp.version.map_or(elf::VER_NDX_GLOBAL, |v| 2 + v as u16));
        }
        for _ in exports {
            w.write_gnu_versym(elf::VER_NDX_GLOBAL);
        }
        w.write_align_gnu_verneed();
        for lib in syms.verneed_libs() {
            let mine = || (0..syms.versions.len()).filter(|&n| syms.versions[n].0 == lib);
            w.write_gnu_verneed(&Verneed {
                version: elf::VER_NEED_CURRENT,
                aux_count: mine().count() as u16,
                file: names.libs[lib].ok_or_else(|| unsupported("versions without DT_NEEDED"))?,
            });
            for n in mine() {
                w.write_gnu_vernaux(&Vernaux {
                    flags: 0,
                    index: 2 + n as u16,
                    name: names.versions[n],
                });
            }
        }
    }
    Ok(())
}

/// The default (`@@`) version of `name` in the library `LIBS[lib]`, if it
/// defines `name` with one, found through the library's `.gnu.hash` as the
/// dynamic loader finds it (a scan of `.dynsym` if it has none).
fn default_version(lib: usize, name: &[u8]) -> Result<Option<&'static [u8]>> {
    let data = lib_image(lib)?;
    let found = (|| -> object::read::Result<Option<&'static [u8]>> {
        let ehdr = Ehdr::parse(data.as_slice())?;
        let sections = ehdr.sections(LE, data.as_slice())?;
        let dynsym = sections.symbols(LE, data.as_slice(), elf::SHT_DYNSYM)?;
        let Some(versions) = sections.versions(LE, data.as_slice())? else {
            return Ok(None);
        };
        // With no version asked for, both lookups take the symbol whose
        // version is not hidden: the default one, as `ld` binds.
        let index = match sections.gnu_hash(LE, data.as_slice())? {
            Some((hash, _)) => hash
                .find(LE, name, elf::gnu_hash(name), None, &dynsym, &versions)
                .map(|(i, _)| i),
            None => dynsym.enumerate().find_map(|(i, sym)| {
                let matches = !sym.is_undefined(LE)
                    && dynsym.symbol_name(LE, sym).ok() == Some(name)
                    && !versions.version_index(LE, i).is_hidden();
                matches.then_some(i)
            }),
        };
        let Some(i) = index else { return Ok(None) };
        if dynsym.symbol(i)?.is_undefined(LE) {
            return Ok(None);
        }
        let vi = versions.version_index(LE, i);
        if vi.is_hidden() || vi.index() <= elf::VER_NDX_GLOBAL {
            return Ok(None);
        }
        Ok(versions.version(vi)?.map(|v| v.name()))
    })();
    found.map_err(|e| unsupported(format!("{}: {e}", LIBS[lib].soname)))
}

/// The library `LIBS[lib]` as far as [`default_version`] reads it, loaded
/// once per process.
fn lib_image(lib: usize) -> Result<&'static Vec<u8>> {
    static IMAGES: [OnceLock<std::result::Result<Vec<u8>, String>>; 2] =
        [OnceLock::new(), OnceLock::new()];
    IMAGES[lib]
        .get_or_init(|| {
            let path = LIBS[lib]
                .paths
                .iter()
                .map(Path::new)
                .find(|p| p.exists())
                .ok_or_else(|| format!("{} not found", LIBS[lib].soname))?;
            read_for_versions(path).map_err(|e| format!("{}: {e}", path.display()))
        })
        .as_ref()
        .map_err(unsupported)
}

/// The bytes of the ELF file at `path` that symbol versions are read from:
/// its header, its section headers and the sections of the dynamic symbol
/// table, its strings, its hash table and its versions (a few hundred KB of
/// libc's 2 MB). The rest of the returned image stays zero. A zeroed
/// allocation of this size is mapped lazily, so the untouched part costs
/// nothing; reading and indexing the whole of libc and libm cost ~4 ms in
/// every process that linked a node with an import.
fn read_for_versions(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let bad = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not an ELF64 shared library ({what})"),
        )
    };
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len() as usize;
    let mut data = vec![0u8; len];
    let read = |data: &mut [u8], offset: u64, size: u64| -> std::io::Result<()> {
        let start = usize::try_from(offset).map_err(|_| bad("offset"))?;
        let end = start
            .checked_add(usize::try_from(size).map_err(|_| bad("size"))?)
            .filter(|&e| e <= len)
            .ok_or_else(|| bad("a section past the end of the file"))?;
        file.read_exact_at(&mut data[start..end], offset)
    };
    let header = std::mem::size_of::<Ehdr>() as u64;
    read(&mut data, 0, header.min(len as u64))?;
    let ehdr = Ehdr::parse(data.as_slice()).map_err(|_| bad("header"))?;
    let (shoff, shnum) = (ehdr.e_shoff.get(LE), ehdr.e_shnum.get(LE) as u64);
    let shentsize = std::mem::size_of::<elf::SectionHeader64<object::LittleEndian>>() as u64;
    read(&mut data, shoff, shnum * shentsize)?;
    for i in 0..shnum {
        let at = (shoff + i * shentsize) as usize;
        let h: &elf::SectionHeader64<object::LittleEndian> =
            object::pod::from_bytes(&data[at..at + shentsize as usize])
                .map_err(|()| bad("section header"))?
                .0;
        let (kind, offset, size) = (h.sh_type.get(LE), h.sh_offset.get(LE), h.sh_size.get(LE));
        if matches!(
            kind,
            elf::SHT_DYNSYM
                | elf::SHT_STRTAB
                | elf::SHT_GNU_HASH
                | elf::SHT_GNU_VERSYM
                | elf::SHT_GNU_VERDEF
                | elf::SHT_GNU_VERNEED
        ) {
            read(&mut data, offset, size)?;
        }
    }
    Ok(data)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn default_versions_match_what_ld_records() {
        let v = |lib, name: &str| default_version(lib, name.as_bytes()).expect("readable");
        // exp has an old GLIBC_2.2.5 and a default GLIBC_2.29 version; an
        // unversioned reference would bind to the old one.
        assert_eq!(v(LIBM, "exp"), Some(&b"GLIBC_2.29"[..]));
        assert_eq!(v(LIBM, "sin"), Some(&b"GLIBC_2.2.5"[..]));
        assert_eq!(v(LIBC, "memcpy"), Some(&b"GLIBC_2.14"[..]));
        assert!(v(LIBC, "malloc").is_some());
        // libm does not define malloc, and nothing defines a host's extern.
        assert_eq!(v(LIBM, "malloc"), None);
        assert_eq!(v(LIBC, "cfuncc_no_such_symbol"), None);
    }

    /// Every versioned symbol libc defines gets the version a full read of
    /// its tables gives: the hash lookup of a sparse image agrees with a
    /// scan of the whole file.
    #[test]
    fn the_sparse_image_agrees_with_the_whole_library() {
        for lib in [LIBM, LIBC] {
            let path = LIBS[lib]
                .paths
                .iter()
                .map(Path::new)
                .find(|p| p.exists())
                .unwrap();
            let data = std::fs::read(path).unwrap();
            let ehdr = Ehdr::parse(data.as_slice()).unwrap();
            let sections = ehdr.sections(LE, data.as_slice()).unwrap();
            let dynsym = sections
                .symbols(LE, data.as_slice(), elf::SHT_DYNSYM)
                .unwrap();
            let versions = sections.versions(LE, data.as_slice()).unwrap().unwrap();
            let mut checked = 0;
            for (i, sym) in dynsym.enumerate() {
                let vi = versions.version_index(LE, i);
                if sym.is_undefined(LE) || vi.is_hidden() || vi.index() <= elf::VER_NDX_GLOBAL {
                    continue;
                }
                let name = dynsym.symbol_name(LE, sym).unwrap();
                let want = versions.version(vi).unwrap().map(|v| v.name());
                assert_eq!(
                    default_version(lib, name).unwrap(),
                    want,
                    "{}",
                    String::from_utf8_lossy(name)
                );
                checked += 1;
            }
            assert!(
                checked > 100,
                "{checked} symbols checked in {}",
                path.display()
            );
        }
    }
}
