//! The `.dynamic` section: `DT_NEEDED` for libc and libm (each only when an
//! import comes from it), where the symbol, string, hash and version tables
//! are, and the dynamic relocations (`DT_RELACOUNT` leading
//! `R_X86_64_RELATIVE` ones). No `DT_INIT`/`DT_FINI`: objects with
//! constructors are declined.

use super::layout::Layout;
use super::symbols::{DynNames, Symbols};
use super::unsupported;
use crate::diagnostics::Result;
use object::elf;
use object::write::elf::Writer;

/// The number of entries `write` writes, `DT_NULL` included.
pub(super) fn count(names: &DynNames, versioned: bool, n_dyn_relocs: usize) -> usize {
    // GNU_HASH STRTAB SYMTAB STRSZ SYMENT NULL, NEEDED, VERSYM VERNEED
    // VERNEEDNUM, RELA RELASZ RELAENT RELACOUNT.
    6 + names.needed().count()
        + if versioned { 3 } else { 0 }
        + if n_dyn_relocs > 0 { 4 } else { 0 }
}

/// Writes the entries (the section's range was reserved with `count`).
pub(super) fn write(
    w: &mut Writer<'_>,
    l: &Layout,
    syms: &Symbols,
    n_relative: usize,
) -> Result<()> {
    let werr = |e: object::write::Error| unsupported(format!("writing .dynamic: {e}"));
    w.write_align_dynamic();
    for id in l.names.needed() {
        w.write_dynamic_string(elf::DT_NEEDED, id).map_err(werr)?;
    }
    let mut entries: Vec<(i64, u64)> = vec![
        (elf::DT_GNU_HASH, l.gnu_hash_off),
        (elf::DT_STRTAB, l.dynstr_off),
        (elf::DT_SYMTAB, l.dynsym_off),
        (elf::DT_STRSZ, l.dynstr_len),
        (elf::DT_SYMENT, 24),
    ];
    if syms.versioned() {
        entries.extend([
            (elf::DT_VERSYM, l.versym_off),
            (elf::DT_VERNEED, l.verneed_off),
            (elf::DT_VERNEEDNUM, syms.n_verneed() as u64),
        ]);
    }
    if l.n_dyn_relocs > 0 {
        entries.extend([
            (elf::DT_RELA, l.rela_off),
            (elf::DT_RELASZ, 24 * l.n_dyn_relocs as u64),
            (elf::DT_RELAENT, 24),
            (elf::DT_RELACOUNT, n_relative as u64),
        ]);
    }
    if l.names.needed().count() + entries.len() + 1 != l.n_dynamic {
        return Err(unsupported(".dynamic entry count"));
    }
    for (tag, val) in entries {
        w.write_dynamic(tag, val).map_err(werr)?;
    }
    w.write_dynamic(elf::DT_NULL, 0).map_err(werr)?;
    Ok(())
}
