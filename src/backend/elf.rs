//! The builtin linker: the one relocatable x86-64 ELF object LLVM emits for
//! a node → a shared object, in memory.
//!
//! Spawning `ld -shared` costs 4–7 ms (process start, reading libm); this
//! does the same job for our objects in tens of microseconds, about 50× less.
//! It handles exactly what LLVM emits for position-independent code and
//! returns an `Error` for anything else (TLS, absolute relocations in code,
//! constructors, ...), and the caller then falls back to the system `ld`.
//!
//! The file it writes (addresses are congruent to file offsets modulo the
//! page size, so segments start on a new page in memory without padding the
//! file):
//! ```text
//! offset 0 ┬ PT_LOAD R    ELF header, program headers,
//!          │              .gnu.hash .dynsym .dynstr .gnu.version .gnu.version_r
//!          │              .rela.dyn, .rodata (every read-only input section), .eh_frame
//!          ├ PT_LOAD R+X  .text (every executable input section),
//!          │              .plt: one `jmp *GOT(%rip)` stub per imported function
//!          ├ PT_LOAD RW   .dynamic (also PT_DYNAMIC), .got, .data, .bss (no file bytes)
//!          └ not loaded   .shstrtab, section headers
//! PT_GNU_STACK: read + write, not executable
//! ```
//! The dynamic symbol table holds the imports (undefined symbols, bound to
//! libm with the same symbol versions `ld` would record) and the exports:
//! the object's global and weak defined symbols of default visibility, i.e.
//! the node function and its `_fault` accessor. `DT_NEEDED libm.so.6` is
//! written only when there are imports.
//!
//! Relocations: PC-relative ones are resolved here; GOT-relative ones get a
//! GOT slot, filled at load time by `R_X86_64_RELATIVE` (a local symbol) or
//! `R_X86_64_GLOB_DAT` (an import); calls to imports go through the PLT
//! stubs, whose GOT slots are bound eagerly (GLOB_DAT), so a missing symbol
//! fails at `dlopen` rather than at the first call. `R_X86_64_64` is allowed
//! in writable sections only (no text relocations). References between the
//! object's own symbols bind locally.

use crate::diagnostics::{Error, Result};
use object::elf;
use object::read::elf::{FileHeader as _, Rela as _, SectionHeader as _, Sym as _};
use object::write::elf::{
    FileHeader, ProgramHeader, Rel, SectionHeader, Sym, Vernaux, Verneed, Writer,
};
use object::write::StringId;
use object::{Endianness, LittleEndian, SectionIndex, SymbolIndex};
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

type Ehdr = elf::FileHeader64<LittleEndian>;
const LE: LittleEndian = LittleEndian;
const PAGE: u64 = 0x1000;
/// The shared library every import is looked up in.
const LIBM: &str = "libm.so.6";
/// The C library, needed when the object imports what libm lacks.
const LIBC: &str = "libc.so.6";

/// Whether any import binds to a libm symbol version.
fn versioned_any(imports: &[Import]) -> bool {
    imports.iter().any(|i| i.version.is_some())
}
/// Where `LIBM` is read from to find its symbol versions.
pub const LIBM_PATHS: &[&str] = &[
    "/lib/x86_64-linux-gnu/libm.so.6",
    "/usr/lib/x86_64-linux-gnu/libm.so.6",
    "/lib64/libm.so.6",
];
/// `jmp *disp32(%rip)` then two `int3` of padding.
const PLT_STUB: [u8; 8] = [0xff, 0x25, 0, 0, 0, 0, 0xcc, 0xcc];

fn unsupported(what: impl std::fmt::Display) -> Error {
    Error::Internal(format!("builtin linker: {what}"))
}

fn read_err(e: object::read::Error) -> Error {
    unsupported(format!("malformed object: {e}"))
}

fn align_up(x: u64, align: u64) -> u64 {
    x.div_ceil(align) * align
}

/// The output sections input sections are merged into, in file order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Out {
    Rodata,
    EhFrame,
    Text,
    Data,
    Bss,
}

impl Out {
    fn name(self) -> &'static [u8] {
        match self {
            Out::Rodata => b".rodata",
            Out::EhFrame => b".eh_frame",
            Out::Text => b".text",
            Out::Data => b".data",
            Out::Bss => b".bss",
        }
    }

    fn header_type_and_flags(self) -> (u32, u32) {
        match self {
            Out::Rodata => (elf::SHT_PROGBITS, elf::SHF_ALLOC),
            Out::EhFrame => (elf::SHT_X86_64_UNWIND, elf::SHF_ALLOC),
            Out::Text => (elf::SHT_PROGBITS, elf::SHF_ALLOC | elf::SHF_EXECINSTR),
            Out::Data => (elf::SHT_PROGBITS, elf::SHF_ALLOC | elf::SHF_WRITE),
            Out::Bss => (elf::SHT_NOBITS, elf::SHF_ALLOC | elf::SHF_WRITE),
        }
    }
}

/// One output section: its contents (empty for .bss) and where it lands.
#[derive(Default)]
struct OutSection {
    used: bool,
    size: u64,
    align: u64,
    bytes: Vec<u8>,
    offset: u64,
    addr: u64,
    index: Option<object::write::elf::SectionIndex>,
    name: Option<StringId>,
}

/// Where an input section went.
#[derive(Clone, Copy)]
struct Placed {
    out: Out,
    offset: u64,
}

/// What a symbol of the input object stands for.
#[derive(Clone, Copy)]
enum Def {
    /// The null symbol, files, and symbols of sections that were dropped.
    None,
    /// Defined in a placed section at this offset of an output section.
    Section(Out, u64),
    /// An absolute value.
    Abs(u64),
    /// The n-th import.
    Import(usize),
}

/// An undefined symbol, looked up at load time.
struct Import<'d> {
    name: &'d [u8],
    st_info: u8,
    /// Index in `versions`, if libm defines it with a version.
    version: Option<usize>,
}

/// A relocation of the input object, in pass order.
struct Reloc {
    out: Out,
    /// Offset in the output section.
    offset: u64,
    r_type: u32,
    sym: usize,
    addend: i64,
}

/// Whether the object has undefined symbols (and so needs libm).
pub fn has_imports(obj: &[u8]) -> Result<bool> {
    let ehdr = Ehdr::parse(obj).map_err(read_err)?;
    let sections = ehdr.sections(LE, obj).map_err(read_err)?;
    let symtab = sections
        .symbols(LE, obj, elf::SHT_SYMTAB)
        .map_err(read_err)?;
    Ok(symtab
        .iter()
        .skip(1)
        .any(|s| s.is_undefined(LE) && s.st_name(LE) != 0))
}

/// Links the relocatable object `obj` into the bytes of a shared object.
pub fn link(obj: &[u8]) -> Result<Vec<u8>> {
    let ehdr = Ehdr::parse(obj).map_err(read_err)?;
    if ehdr.e_type(LE) != elf::ET_REL || ehdr.e_machine(LE) != elf::EM_X86_64 {
        return Err(unsupported("not a relocatable x86-64 object"));
    }
    let sections = ehdr.sections(LE, obj).map_err(read_err)?;
    let symtab = sections
        .symbols(LE, obj, elf::SHT_SYMTAB)
        .map_err(read_err)?;

    // Merge the allocated input sections into the output sections.
    let mut outs: [OutSection; 5] = Default::default();
    let mut placed: Vec<Option<Placed>> = vec![None; sections.len()];
    for (index, s) in sections.enumerate() {
        let flags = s.sh_flags(LE);
        if flags & u64::from(elf::SHF_ALLOC) == 0 {
            continue;
        }
        let name = sections.section_name(LE, s).unwrap_or(b"?");
        let name = String::from_utf8_lossy(name);
        if flags & u64::from(elf::SHF_TLS) != 0 {
            return Err(unsupported(format!("thread-local section {name}")));
        }
        let exec = flags & u64::from(elf::SHF_EXECINSTR) != 0;
        let write = flags & u64::from(elf::SHF_WRITE) != 0;
        let out = match s.sh_type(LE) {
            elf::SHT_NOBITS if write && !exec => Out::Bss,
            elf::SHT_PROGBITS | elf::SHT_X86_64_UNWIND => match (exec, write) {
                (true, false) => Out::Text,
                (false, true) => Out::Data,
                (false, false) if s.sh_type(LE) == elf::SHT_X86_64_UNWIND => Out::EhFrame,
                (false, false) if name == ".eh_frame" => Out::EhFrame,
                (false, false) => Out::Rodata,
                (true, true) => return Err(unsupported(format!("writable code in {name}"))),
            },
            // Notes (e.g. .note.gnu.property) are not needed at run time.
            elf::SHT_NOTE => continue,
            t => return Err(unsupported(format!("section {name} of type {t:#x}"))),
        };
        if out != Out::Bss {
            // Checks that the contents lie within the file.
            s.data(LE, obj).map_err(read_err)?;
        }
        let align = s.sh_addralign(LE).max(1);
        if !align.is_power_of_two() || align > PAGE {
            return Err(unsupported(format!("alignment {align} of {name}")));
        }
        let o = &mut outs[out as usize];
        o.used = true;
        o.align = o.align.max(align);
        o.size = align_up(o.size, align);
        placed[index.0] = Some(Placed {
            out,
            offset: o.size,
        });
        o.size = o
            .size
            .checked_add(s.sh_size(LE))
            .filter(|&size| size < 1 << 32)
            .ok_or_else(|| unsupported(format!("size of {name}")))?;
    }
    if outs[Out::Text as usize].size == 0 {
        return Err(unsupported("no code"));
    }
    for out in [Out::Rodata, Out::EhFrame, Out::Text, Out::Data] {
        let o = &mut outs[out as usize];
        o.bytes = vec![0; o.size as usize];
    }
    for (index, s) in sections.enumerate() {
        if let Some(p) = placed[index.0].filter(|p| p.out != Out::Bss) {
            let data = s.data(LE, obj).map_err(read_err)?;
            let start = p.offset as usize;
            outs[p.out as usize].bytes[start..start + data.len()].copy_from_slice(data);
        }
    }

    // Symbols: what each stands for, the imports and the exports.
    let mut defs = vec![Def::None; symtab.len()];
    // Symbol 0 in a relocation stands for the value 0.
    if let Some(d) = defs.first_mut() {
        *d = Def::Abs(0);
    }
    let mut imports: Vec<Import> = Vec::new();
    let mut exports: Vec<(usize, &[u8])> = Vec::new();
    for (i, sym) in symtab.enumerate() {
        if i.0 == 0 {
            continue;
        }
        let name = symtab.symbol_name(LE, sym).map_err(read_err)?;
        let bind = sym.st_bind();
        let global = bind == elf::STB_GLOBAL || bind == elf::STB_WEAK;
        match sym.st_shndx(LE) {
            elf::SHN_UNDEF => {
                if name.is_empty() || !global {
                    return Err(unsupported("an undefined local symbol"));
                }
                defs[i.0] = Def::Import(imports.len());
                imports.push(Import {
                    name,
                    st_info: sym.st_info(),
                    version: None,
                });
            }
            elf::SHN_ABS => defs[i.0] = Def::Abs(sym.st_value(LE)),
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
                defs[i.0] = Def::Section(p.out, p.offset + sym.st_value(LE));
                let ty = sym.st_type();
                if global
                    && sym.st_visibility() == elf::STV_DEFAULT
                    && ty != elf::STT_SECTION
                    && ty != elf::STT_FILE
                {
                    exports.push((i.0, name));
                }
            }
        }
    }

    // Relocations: check each, and find the GOT slots and PLT stubs needed.
    let mut relocs = Vec::new();
    let mut got_slot: HashMap<usize, usize> = HashMap::new();
    let mut got: Vec<usize> = Vec::new();
    let mut plt_stub: HashMap<usize, usize> = HashMap::new();
    let mut plt: Vec<usize> = Vec::new();
    let mut n_dyn_relocs = 0usize;
    let symtab_index = symtab.section();
    for (index, s) in sections.enumerate() {
        let target = SectionIndex(s.sh_info(LE) as usize);
        match s.sh_type(LE) {
            elf::SHT_REL if placed.get(target.0).copied().flatten().is_some() => {
                return Err(unsupported("REL relocations (x86-64 uses RELA)"));
            }
            elf::SHT_RELA => {}
            _ => continue,
        }
        let Some(p) = placed.get(target.0).copied().flatten() else {
            // Relocations of dropped sections (debug info, address-significance tables).
            continue;
        };
        if s.sh_link(LE) as usize != symtab_index.0 {
            return Err(unsupported(format!(
                "relocation section {} not linked to the symbol table",
                index.0
            )));
        }
        if p.out == Out::Bss {
            return Err(unsupported("relocations in .bss"));
        }
        let size = sections.section(target).map_err(read_err)?.sh_size(LE);
        let (rela, _) = s
            .rela(LE, obj)
            .map_err(read_err)?
            .ok_or_else(|| unsupported("bad relocation section"))?;
        for r in rela {
            let r_type = r.r_type(LE, false);
            let sym = r.r_sym(LE, false) as usize;
            let offset = r.r_offset(LE);
            let def = *defs
                .get(sym)
                .ok_or_else(|| unsupported(format!("relocation symbol {sym} out of range")))?;
            let sym_name = || {
                symtab
                    .symbol(SymbolIndex(sym))
                    .and_then(|s| symtab.symbol_name(LE, s))
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default()
            };
            if r_type == elf::R_X86_64_NONE {
                continue;
            }
            let width = match r_type {
                elf::R_X86_64_64 | elf::R_X86_64_PC64 => 8,
                _ => 4,
            };
            if offset.checked_add(width).is_none_or(|end| end > size) {
                return Err(unsupported("relocation outside its section"));
            }
            if matches!(def, Def::None) {
                return Err(unsupported(format!(
                    "relocation against {} in a dropped section",
                    sym_name()
                )));
            }
            match r_type {
                elf::R_X86_64_PC32 | elf::R_X86_64_PC64 | elf::R_X86_64_PLT32 => {
                    if let Def::Import(_) = def {
                        if r_type != elf::R_X86_64_PLT32 {
                            return Err(unsupported(format!(
                                "PC-relative data reference to the import {}",
                                sym_name()
                            )));
                        }
                        if let std::collections::hash_map::Entry::Vacant(e) = plt_stub.entry(sym) {
                            e.insert(plt.len());
                            plt.push(sym);
                        }
                    }
                }
                elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX => {}
                elf::R_X86_64_64 => {
                    if p.out != Out::Data {
                        return Err(unsupported(format!(
                            "absolute address of {} in a read-only section (a text relocation)",
                            sym_name()
                        )));
                    }
                    if !matches!(def, Def::Abs(_)) {
                        n_dyn_relocs += 1;
                    }
                }
                elf::R_X86_64_32 | elf::R_X86_64_32S if matches!(def, Def::Abs(_)) => {}
                t => {
                    return Err(unsupported(format!(
                        "relocation type {t} against {}",
                        sym_name()
                    )))
                }
            }
            let needs_got = matches!(
                r_type,
                elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX
            ) || (r_type == elf::R_X86_64_PLT32 && matches!(def, Def::Import(_)));
            if needs_got {
                if let std::collections::hash_map::Entry::Vacant(e) = got_slot.entry(sym) {
                    e.insert(got.len());
                    got.push(sym);
                    if !matches!(def, Def::Abs(_)) {
                        n_dyn_relocs += 1;
                    }
                }
            }
            relocs.push(Reloc {
                out: p.out,
                offset: p.offset + offset,
                r_type,
                sym,
                addend: r.r_addend(LE),
            });
        }
    }

    // Versions of the imports, as `ld` would bind them against libm.
    let mut versions: Vec<&[u8]> = Vec::new();
    // Imports libm does not define (malloc, free, memmove from the
    // container runtime) come from libc, bound to their default versions.
    let mut from_libc = false;
    if !imports.is_empty() {
        let libm = libm_versions()?;
        for imp in &mut imports {
            if !libm.contains_key(imp.name) {
                from_libc = true;
            }
            if let Some(v) = libm.get(imp.name) {
                imp.version = Some(match versions.iter().position(|x| x == v) {
                    Some(n) => n,
                    None => {
                        versions.push(v);
                        versions.len() - 1
                    }
                });
            }
        }
    }

    // The GNU hash table wants the hashed (exported) symbols sorted by bucket.
    let n_buckets = exports.len().max(1) as u32;
    exports.sort_by_key(|(_, name)| elf::gnu_hash(name) % n_buckets);

    // Reserve: names, section indices, then file ranges in layout order.
    let mut buf = Vec::with_capacity(8192);
    let mut w = Writer::new(Endianness::Little, true, &mut buf);
    w.reserve_file_header();
    const N_PHDRS: u32 = 5;
    w.reserve_program_headers(N_PHDRS);

    w.require_dynstr();
    let libc_name = from_libc.then(|| w.add_dynamic_string(LIBC.as_bytes()));
    let libm_name = (!imports.is_empty() && (versioned_any(&imports) || !from_libc))
        .then(|| w.add_dynamic_string(LIBM.as_bytes()));
    let import_names: Vec<StringId> = imports
        .iter()
        .map(|i| w.add_dynamic_string(i.name))
        .collect();
    let export_names: Vec<StringId> = exports
        .iter()
        .map(|(_, n)| w.add_dynamic_string(n))
        .collect();
    let version_names: Vec<StringId> = versions.iter().map(|v| w.add_dynamic_string(v)).collect();
    let versioned = !versions.is_empty();

    w.reserve_gnu_hash_section_index();
    let dynsym_index = w.reserve_dynsym_section_index();
    w.reserve_dynstr_section_index();
    if versioned {
        w.reserve_gnu_versym_section_index();
        w.reserve_gnu_verneed_section_index();
    }
    let rela_name = w.add_section_name(b".rela.dyn");
    let rela_index = (n_dyn_relocs > 0).then(|| w.reserve_section_index());
    let mut reserve_out = |w: &mut Writer<'_>, out: Out| {
        let o = &mut outs[out as usize];
        if o.used {
            o.name = Some(w.add_section_name(out.name()));
            o.index = Some(w.reserve_section_index());
        }
    };
    for out in [Out::Rodata, Out::EhFrame, Out::Text] {
        reserve_out(&mut w, out);
    }
    let plt_name = w.add_section_name(b".plt");
    let plt_index = (!plt.is_empty()).then(|| w.reserve_section_index());
    w.reserve_dynamic_section_index();
    let got_name = w.add_section_name(b".got");
    let got_index = (!got.is_empty()).then(|| w.reserve_section_index());
    for out in [Out::Data, Out::Bss] {
        reserve_out(&mut w, out);
    }
    w.reserve_shstrtab_section_index();

    w.reserve_null_dynamic_symbol_index();
    for _ in 0..imports.len() + exports.len() {
        w.reserve_dynamic_symbol_index();
    }
    let gnu_hash_off = w.reserve_gnu_hash(1, n_buckets, exports.len() as u32) as u64;
    let dynsym_off = w.reserve_dynsym() as u64;
    let dynstr_off = w.reserve_dynstr() as u64;
    let dynstr_len = w.dynstr_len() as u64;
    let (mut versym_off, mut verneed_off) = (0, 0);
    if versioned {
        versym_off = w.reserve_gnu_versym() as u64;
        verneed_off = w.reserve_gnu_verneed(1, versions.len()) as u64;
    }
    let rela_off = w.reserve_relocations(n_dyn_relocs, true) as u64;
    for out in [Out::Rodata, Out::EhFrame] {
        let o = &mut outs[out as usize];
        if o.used {
            o.offset = w.reserve(o.size as usize, o.align as usize) as u64;
            o.addr = o.offset;
        }
    }
    let r_end = w.reserved_len() as u64;

    // R+X: starts on the next page in memory.
    let text = &mut outs[Out::Text as usize];
    text.offset = w.reserve(text.size as usize, text.align as usize) as u64;
    let rx_off = text.offset;
    let rx_addr = align_up(r_end, PAGE) + rx_off % PAGE;
    text.addr = rx_addr;
    let plt_off = if plt.is_empty() {
        w.reserved_len()
    } else {
        w.reserve(PLT_STUB.len() * plt.len(), 16)
    } as u64;
    let plt_addr = rx_addr + (plt_off - rx_off);
    let rx_end = w.reserved_len() as u64;

    // RW: starts on the next page in memory.
    // GNU_HASH STRTAB SYMTAB STRSZ SYMENT NULL, NEEDED, VERSYM VERNEED
    // VERNEEDNUM, RELA RELASZ RELAENT RELACOUNT.
    let n_dynamic = 6
        + usize::from(libm_name.is_some())
        + usize::from(libc_name.is_some())
        + if versioned { 3 } else { 0 }
        + if n_dyn_relocs > 0 { 4 } else { 0 };
    let rw_off = w.reserve_dynamic(n_dynamic) as u64;
    let rw_addr = align_up(rx_addr + (rx_end - rx_off), PAGE) + rw_off % PAGE;
    let rw = |off: u64| rw_addr + (off - rw_off);
    let got_off = if got.is_empty() {
        w.reserved_len()
    } else {
        w.reserve(8 * got.len(), 8)
    } as u64;
    let data = &mut outs[Out::Data as usize];
    if data.used {
        data.offset = w.reserve(data.size as usize, data.align as usize) as u64;
        data.addr = rw(data.offset);
    }
    let rw_file_end = w.reserved_len() as u64;
    let bss = &mut outs[Out::Bss as usize];
    let mut rw_mem_end = rw(rw_file_end);
    if bss.used {
        bss.offset = rw_file_end;
        bss.addr = align_up(rw_mem_end, bss.align);
        rw_mem_end = bss.addr + bss.size;
    }
    w.reserve_shstrtab();
    w.reserve_section_headers();

    // Resolve: addresses of symbols, then apply the relocations.
    let out_addr = outs.each_ref().map(|o| o.addr);
    let addr_of = |def: Def| -> u64 {
        match def {
            Def::Section(out, off) => out_addr[out as usize] + off,
            Def::Abs(v) => v,
            Def::None | Def::Import(_) => 0,
        }
    };
    let dynsym_of_import = |n: usize| 1 + n as u32;
    let got_addr = |slot: usize| rw(got_off) + 8 * slot as u64;
    let mut relative: Vec<Rel> = Vec::new();
    let mut symbolic: Vec<Rel> = Vec::new();
    for r in &relocs {
        let def = defs[r.sym];
        let p = out_addr[r.out as usize] + r.offset;
        let a = r.addend;
        let pcrel = |target: u64| -> Result<u64> {
            let v = (target as i64).wrapping_add(a).wrapping_sub(p as i64);
            if i32::try_from(v).is_err() {
                return Err(unsupported("PC-relative offset out of range"));
            }
            Ok(v as u64)
        };
        let (value, width) = match r.r_type {
            elf::R_X86_64_PC32 | elf::R_X86_64_PLT32 => match def {
                Def::Import(_) => (pcrel(plt_addr + 8 * plt_stub[&r.sym] as u64)?, 4),
                _ => (pcrel(addr_of(def))?, 4),
            },
            elf::R_X86_64_PC64 => (
                (addr_of(def) as i64).wrapping_add(a).wrapping_sub(p as i64) as u64,
                8,
            ),
            elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX => {
                (pcrel(got_addr(got_slot[&r.sym]))?, 4)
            }
            elf::R_X86_64_64 => {
                let v = addr_of(def).wrapping_add(a as u64);
                match def {
                    Def::Import(n) => symbolic.push(Rel {
                        r_offset: p,
                        r_sym: dynsym_of_import(n),
                        r_type: elf::R_X86_64_64,
                        r_addend: a,
                    }),
                    Def::Section(..) => relative.push(Rel {
                        r_offset: p,
                        r_sym: 0,
                        r_type: elf::R_X86_64_RELATIVE,
                        r_addend: v as i64,
                    }),
                    Def::Abs(_) | Def::None => {}
                }
                (v, 8)
            }
            elf::R_X86_64_32 => {
                let v = addr_of(def).wrapping_add(a as u64);
                u32::try_from(v).map_err(|_| unsupported("R_X86_64_32 out of range"))?;
                (v, 4)
            }
            elf::R_X86_64_32S => {
                let v = addr_of(def).wrapping_add(a as u64);
                i32::try_from(v as i64).map_err(|_| unsupported("R_X86_64_32S out of range"))?;
                (v, 4)
            }
            t => return Err(unsupported(format!("relocation type {t}"))),
        };
        let at = r.offset as usize;
        outs[r.out as usize].bytes[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
    }
    let mut got_bytes = Vec::with_capacity(8 * got.len());
    for (slot, &sym) in got.iter().enumerate() {
        let def = defs[sym];
        got_bytes.extend_from_slice(&addr_of(def).to_le_bytes());
        match def {
            Def::Import(n) => symbolic.push(Rel {
                r_offset: got_addr(slot),
                r_sym: dynsym_of_import(n),
                r_type: elf::R_X86_64_GLOB_DAT,
                r_addend: 0,
            }),
            Def::Section(..) => relative.push(Rel {
                r_offset: got_addr(slot),
                r_sym: 0,
                r_type: elf::R_X86_64_RELATIVE,
                r_addend: addr_of(def) as i64,
            }),
            Def::Abs(_) | Def::None => {}
        }
    }
    let mut plt_bytes = Vec::with_capacity(PLT_STUB.len() * plt.len());
    for (n, &sym) in plt.iter().enumerate() {
        let stub = plt_addr + (PLT_STUB.len() * n) as u64;
        let disp = got_addr(got_slot[&sym]) as i64 - (stub as i64 + 6);
        let disp = i32::try_from(disp).map_err(|_| unsupported("PLT stub out of range"))?;
        let mut s = PLT_STUB;
        s[2..6].copy_from_slice(&disp.to_le_bytes());
        plt_bytes.extend_from_slice(&s);
    }
    let n_relative = relative.len();
    debug_assert_eq!(n_relative + symbolic.len(), n_dyn_relocs);

    // Write, in the order reserved.
    let werr = |e: object::write::Error| unsupported(format!("writing the shared object: {e}"));
    w.write_file_header(&FileHeader {
        os_abi: elf::ELFOSABI_NONE,
        abi_version: 0,
        e_type: elf::ET_DYN,
        e_machine: elf::EM_X86_64,
        e_entry: 0,
        e_flags: 0,
    })
    .map_err(werr)?;
    w.write_align_program_headers();
    let dynamic_size = 16 * n_dynamic as u64;
    for ph in [
        load(elf::PF_R, 0, 0, r_end, r_end),
        load(
            elf::PF_R | elf::PF_X,
            rx_off,
            rx_addr,
            rx_end - rx_off,
            rx_end - rx_off,
        ),
        load(
            elf::PF_R | elf::PF_W,
            rw_off,
            rw_addr,
            rw_file_end - rw_off,
            rw_mem_end - rw_addr,
        ),
        ProgramHeader {
            p_type: elf::PT_DYNAMIC,
            p_flags: elf::PF_R | elf::PF_W,
            p_offset: rw_off,
            p_vaddr: rw_addr,
            p_paddr: rw_addr,
            p_filesz: dynamic_size,
            p_memsz: dynamic_size,
            p_align: 8,
        },
        ProgramHeader {
            p_type: elf::PT_GNU_STACK,
            p_flags: elf::PF_R | elf::PF_W,
            p_offset: 0,
            p_vaddr: 0,
            p_paddr: 0,
            p_filesz: 0,
            p_memsz: 0,
            p_align: 16,
        },
    ] {
        w.write_program_header(&ph);
    }

    let symbol_base = 1 + imports.len() as u32;
    w.write_gnu_hash(symbol_base, 6, 1, n_buckets, exports.len() as u32, |i| {
        elf::gnu_hash(exports[i as usize].1)
    });
    w.write_null_dynamic_symbol();
    for (imp, &name) in imports.iter().zip(&import_names) {
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
    for (&(sym, _), &name) in exports.iter().zip(&export_names) {
        let s = symtab.symbol(SymbolIndex(sym)).map_err(read_err)?;
        let Def::Section(out, _) = defs[sym] else {
            return Err(unsupported("exported symbol not in a section"));
        };
        w.write_dynamic_symbol(&Sym {
            name: Some(name),
            section: outs[out as usize].index,
            st_info: s.st_info(),
            st_other: s.st_other(),
            st_shndx: 0,
            st_value: addr_of(defs[sym]),
            st_size: s.st_size(LE),
        });
    }
    w.write_dynstr();
    if versioned {
        w.write_null_gnu_versym();
        for imp in &imports {
            w.write_gnu_versym(imp.version.map_or(elf::VER_NDX_GLOBAL, |v| 2 + v as u16));
        }
        for _ in &exports {
            w.write_gnu_versym(elf::VER_NDX_GLOBAL);
        }
        w.write_align_gnu_verneed();
        w.write_gnu_verneed(&Verneed {
            version: elf::VER_NEED_CURRENT,
            aux_count: versions.len() as u16,
            file: libm_name.ok_or_else(|| unsupported("versions without libm"))?,
        });
        for (n, &name) in version_names.iter().enumerate() {
            w.write_gnu_vernaux(&Vernaux {
                flags: 0,
                index: 2 + n as u16,
                name,
            });
        }
    }
    if n_dyn_relocs > 0 {
        w.write_align_relocation();
        for r in relative.iter().chain(&symbolic) {
            w.write_relocation(true, r);
        }
    }
    for out in [Out::Rodata, Out::EhFrame, Out::Text] {
        let o = &outs[out as usize];
        if o.used {
            w.pad_until(o.offset as usize);
            w.write(&o.bytes);
        }
    }
    if !plt.is_empty() {
        w.pad_until(plt_off as usize);
        w.write(&plt_bytes);
    }
    w.pad_until(rw_off as usize);
    w.write_align_dynamic();
    for id in [libc_name, libm_name].into_iter().flatten() {
        w.write_dynamic_string(elf::DT_NEEDED, id).map_err(werr)?;
    }
    let dynsym_addr = dynsym_off;
    let mut entries: Vec<(i64, u64)> = vec![
        (elf::DT_GNU_HASH, gnu_hash_off),
        (elf::DT_STRTAB, dynstr_off),
        (elf::DT_SYMTAB, dynsym_addr),
        (elf::DT_STRSZ, dynstr_len),
        (elf::DT_SYMENT, 24),
    ];
    if versioned {
        entries.extend([
            (elf::DT_VERSYM, versym_off),
            (elf::DT_VERNEED, verneed_off),
            (elf::DT_VERNEEDNUM, 1),
        ]);
    }
    if n_dyn_relocs > 0 {
        entries.extend([
            (elf::DT_RELA, rela_off),
            (elf::DT_RELASZ, 24 * n_dyn_relocs as u64),
            (elf::DT_RELAENT, 24),
            (elf::DT_RELACOUNT, n_relative as u64),
        ]);
    }
    for (tag, val) in entries {
        w.write_dynamic(tag, val).map_err(werr)?;
    }
    w.write_dynamic(elf::DT_NULL, 0).map_err(werr)?;
    if !got.is_empty() {
        w.pad_until(got_off as usize);
        w.write(&got_bytes);
    }
    let data = &outs[Out::Data as usize];
    if data.used {
        w.pad_until(data.offset as usize);
        w.write(&data.bytes);
    }
    w.write_shstrtab();

    // Section headers, in index order. Read-only sections' addresses equal
    // their file offsets (the first segment starts at 0).
    w.write_null_section_header();
    w.write_gnu_hash_section_header(gnu_hash_off);
    w.write_dynsym_section_header(dynsym_addr, 1);
    w.write_dynstr_section_header(dynstr_off);
    if versioned {
        w.write_gnu_versym_section_header(versym_off);
        w.write_gnu_verneed_section_header(verneed_off);
    }
    if rela_index.is_some() {
        w.write_section_header(&SectionHeader {
            name: Some(rela_name),
            sh_type: elf::SHT_RELA,
            sh_flags: elf::SHF_ALLOC.into(),
            sh_addr: rela_off,
            sh_offset: rela_off,
            sh_size: 24 * n_dyn_relocs as u64,
            sh_link: dynsym_index.0,
            sh_info: 0,
            sh_addralign: 8,
            sh_entsize: 24,
        });
    }
    let out_header = |w: &mut Writer<'_>, out: Out| {
        let o = &outs[out as usize];
        if o.used {
            let (sh_type, flags) = out.header_type_and_flags();
            w.write_section_header(&SectionHeader {
                name: o.name,
                sh_type,
                sh_flags: flags.into(),
                sh_addr: o.addr,
                sh_offset: o.offset,
                sh_size: o.size,
                sh_link: 0,
                sh_info: 0,
                sh_addralign: o.align,
                sh_entsize: 0,
            });
        }
    };
    for out in [Out::Rodata, Out::EhFrame, Out::Text] {
        out_header(&mut w, out);
    }
    if plt_index.is_some() {
        w.write_section_header(&SectionHeader {
            name: Some(plt_name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: (elf::SHF_ALLOC | elf::SHF_EXECINSTR).into(),
            sh_addr: plt_addr,
            sh_offset: plt_off,
            sh_size: plt_bytes.len() as u64,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: 16,
            sh_entsize: PLT_STUB.len() as u64,
        });
    }
    w.write_dynamic_section_header(rw_addr);
    if got_index.is_some() {
        w.write_section_header(&SectionHeader {
            name: Some(got_name),
            sh_type: elf::SHT_PROGBITS,
            sh_flags: (elf::SHF_ALLOC | elf::SHF_WRITE).into(),
            sh_addr: rw(got_off),
            sh_offset: got_off,
            sh_size: got_bytes.len() as u64,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: 8,
            sh_entsize: 8,
        });
    }
    for out in [Out::Data, Out::Bss] {
        out_header(&mut w, out);
    }
    w.write_shstrtab_section_header();
    debug_assert_eq!(w.len(), w.reserved_len());
    Ok(buf)
}

fn load(flags: u32, offset: u64, addr: u64, filesz: u64, memsz: u64) -> ProgramHeader {
    ProgramHeader {
        p_type: elf::PT_LOAD,
        p_flags: flags,
        p_offset: offset,
        p_vaddr: addr,
        p_paddr: addr,
        p_filesz: filesz,
        p_memsz: memsz,
        p_align: PAGE,
    }
}

/// Symbol name → version name.
type SymbolVersions = HashMap<Vec<u8>, Vec<u8>>;

/// libm's default (`@@`) version of each symbol it defines, read once per
/// process.
fn libm_versions() -> Result<&'static SymbolVersions> {
    static VERSIONS: OnceLock<std::result::Result<SymbolVersions, String>> = OnceLock::new();
    VERSIONS
        .get_or_init(|| {
            let path = LIBM_PATHS
                .iter()
                .map(Path::new)
                .find(|p| p.exists())
                .ok_or_else(|| format!("{LIBM} not found"))?;
            let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            default_versions(&data).map_err(|e| format!("{}: {e}", path.display()))
        })
        .as_ref()
        .map_err(unsupported)
}

fn default_versions(data: &[u8]) -> object::read::Result<HashMap<Vec<u8>, Vec<u8>>> {
    let ehdr = Ehdr::parse(data)?;
    let sections = ehdr.sections(LE, data)?;
    let dynsym = sections.symbols(LE, data, elf::SHT_DYNSYM)?;
    let mut map = HashMap::new();
    let Some(versions) = sections.versions(LE, data)? else {
        return Ok(map);
    };
    for (i, sym) in dynsym.enumerate() {
        if sym.is_undefined(LE) {
            continue;
        }
        let vi = versions.version_index(LE, i);
        if vi.is_hidden() || vi.index() <= elf::VER_NDX_GLOBAL {
            continue;
        }
        if let Some(v) = versions.version(vi)? {
            map.insert(dynsym.symbol_name(LE, sym)?.to_vec(), v.name().to_vec());
        }
    }
    Ok(map)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn rejects_what_is_not_an_object_without_panicking() {
        assert!(link(b"").is_err());
        assert!(link(b"\x7fELF not really").is_err());
        assert!(link(&[0u8; 64]).is_err());
        let mut truncated = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
        truncated.resize(64, 0);
        truncated[16] = elf::ET_REL as u8;
        truncated[18] = elf::EM_X86_64 as u8;
        assert!(link(&truncated).is_err());
        assert!(has_imports(b"").is_err());
    }

    #[test]
    fn libm_versions_match_what_ld_records() {
        let v = libm_versions().expect("libm.so.6 readable");
        // exp has an old GLIBC_2.2.5 and a default GLIBC_2.29 version; an
        // unversioned reference would bind to the old one.
        assert_eq!(
            v.get(&b"exp"[..]).map(Vec::as_slice),
            Some(&b"GLIBC_2.29"[..])
        );
        assert_eq!(
            v.get(&b"sin"[..]).map(Vec::as_slice),
            Some(&b"GLIBC_2.2.5"[..])
        );
    }
}
