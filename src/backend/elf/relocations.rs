//! Relocations. `scan` checks every relocation of the input object and
//! finds the GOT slots and PLT stubs needed; `apply` resolves them once the
//! layout is known and produces the dynamic relocations.
//!
//! PC-relative relocations are resolved here; GOT-relative ones get a GOT
//! slot, filled at load time by `R_X86_64_RELATIVE` (a local symbol) or
//! `R_X86_64_GLOB_DAT` (an import); calls to imports go through the PLT
//! stubs, whose GOT slots are bound eagerly (GLOB_DAT), so a missing symbol
//! fails at `dlopen` rather than at the first call, and the GOT can be
//! write-protected (RELRO) right after. `R_X86_64_64` is allowed in
//! writable sections only (`.data`, `.data.rel.ro`: no text relocations).

use super::layout::{Layout, Out, OutSection, Placed, N_OUT};
use super::symbols::{dynsym_of_import, Def, Symbols};
use super::{read_err, unsupported, Input, LE};
use crate::diagnostics::Result;
use object::elf;
use object::read::elf::{Rela as _, SectionHeader as _};
use object::write::elf::Rel;
use object::{SectionIndex, SymbolIndex};
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// `jmp *disp32(%rip)` then two `int3` of padding.
pub(super) const PLT_STUB: [u8; 8] = [0xff, 0x25, 0, 0, 0, 0, 0xcc, 0xcc];

/// A relocation of the input object, in pass order.
struct Reloc {
    out: Out,
    /// Offset in the output section.
    offset: u64,
    r_type: u32,
    sym: usize,
    addend: i64,
}

/// The checked relocations and what they need.
pub(super) struct Scan {
    relocs: Vec<Reloc>,
    /// Input symbol → GOT slot, and the symbol of each slot.
    got_slot: HashMap<usize, usize>,
    pub got: Vec<usize>,
    /// Input symbol (an import) → PLT stub, and the symbol of each stub.
    plt_stub: HashMap<usize, usize>,
    pub plt: Vec<usize>,
    /// How many relocations the loader applies.
    pub n_dyn_relocs: usize,
}

/// Checks the relocations of the placed input sections, of every input.
pub(super) fn scan(
    inputs: &[Input],
    placed: &[Vec<Option<Placed>>],
    syms: &Symbols,
) -> Result<Scan> {
    let mut s = Scan {
        relocs: Vec::new(),
        got_slot: HashMap::new(),
        got: Vec::new(),
        plt_stub: HashMap::new(),
        plt: Vec::new(),
        n_dyn_relocs: 0,
    };
    for (k, input) in inputs.iter().enumerate() {
        scan_input(&mut s, input, &placed[k], syms, syms.base[k])?;
    }
    Ok(s)
}

/// [`scan`] of one input, whose symbol ids start at `base`.
fn scan_input(
    s: &mut Scan,
    input: &Input,
    placed: &[Option<Placed>],
    syms: &Symbols,
    base: usize,
) -> Result<()> {
    let (sections, symtab, obj) = (&input.sections, &input.symtab, input.data);
    let defs = &syms.defs;
    let symtab_index = symtab.section();
    for (index, section) in sections.enumerate() {
        let target = SectionIndex(section.sh_info(LE) as usize);
        match section.sh_type(LE) {
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
        if section.sh_link(LE) as usize != symtab_index.0 {
            return Err(unsupported(format!(
                "relocation section {} not linked to the symbol table",
                index.0
            )));
        }
        if p.out == Out::Bss {
            return Err(unsupported("relocations in .bss"));
        }
        let size = sections.section(target).map_err(read_err)?.sh_size(LE);
        let (rela, _) = section
            .rela(LE, obj)
            .map_err(read_err)?
            .ok_or_else(|| unsupported("bad relocation section"))?;
        for r in rela {
            let r_type = r.r_type(LE, false);
            let local = r.r_sym(LE, false) as usize;
            let offset = r.r_offset(LE);
            if local >= symtab.len() {
                return Err(unsupported(format!(
                    "relocation symbol {local} out of range"
                )));
            }
            let sym = syms.canonical[base + local];
            let def = defs[sym];
            let sym_name = || {
                symtab
                    .symbol(SymbolIndex(local))
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
                        if let Entry::Vacant(e) = s.plt_stub.entry(sym) {
                            e.insert(s.plt.len());
                            s.plt.push(sym);
                        }
                    }
                }
                elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX => {}
                elf::R_X86_64_64 => {
                    if !p.out.writable() {
                        return Err(unsupported(format!(
                            "absolute address of {} in a read-only section (a text relocation)",
                            sym_name()
                        )));
                    }
                    if !matches!(def, Def::Abs(_)) {
                        s.n_dyn_relocs += 1;
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
                if let Entry::Vacant(e) = s.got_slot.entry(sym) {
                    e.insert(s.got.len());
                    s.got.push(sym);
                    if !matches!(def, Def::Abs(_)) {
                        s.n_dyn_relocs += 1;
                    }
                }
            }
            s.relocs.push(Reloc {
                out: p.out,
                offset: p.offset + offset,
                r_type,
                sym,
                addend: r.r_addend(LE),
            });
        }
    }
    Ok(())
}

/// What `apply` produced besides the patched output sections.
pub(super) struct Resolved {
    pub got_bytes: Vec<u8>,
    pub plt_bytes: Vec<u8>,
    /// `R_X86_64_RELATIVE` ones first (`DT_RELACOUNT` of them), then the
    /// symbolic ones.
    pub dyn_relocs: Vec<Rel>,
    pub n_relative: usize,
}

/// Applies the relocations to the output sections, and builds the GOT, the
/// PLT and the dynamic relocations.
pub(super) fn apply(
    outs: &mut [OutSection; N_OUT],
    defs: &[Def],
    scan: &Scan,
    l: &Layout,
) -> Result<Resolved> {
    let got_addr = |slot: usize| l.got_addr + 8 * slot as u64;
    let mut relative: Vec<Rel> = Vec::new();
    let mut symbolic: Vec<Rel> = Vec::new();
    for r in &scan.relocs {
        let def = defs[r.sym];
        let p = outs[r.out as usize].addr + r.offset;
        let a = r.addend;
        let target = def.addr(outs);
        let pcrel = |target: u64| -> Result<u64> {
            let v = (target as i64).wrapping_add(a).wrapping_sub(p as i64);
            if i32::try_from(v).is_err() {
                return Err(unsupported("PC-relative offset out of range"));
            }
            Ok(v as u64)
        };
        let (value, width) = match r.r_type {
            elf::R_X86_64_PC32 | elf::R_X86_64_PLT32 => match def {
                Def::Import(_) => (pcrel(l.plt_addr + 8 * scan.plt_stub[&r.sym] as u64)?, 4),
                _ => (pcrel(target)?, 4),
            },
            elf::R_X86_64_PC64 => (
                (target as i64).wrapping_add(a).wrapping_sub(p as i64) as u64,
                8,
            ),
            elf::R_X86_64_GOTPCREL | elf::R_X86_64_GOTPCRELX | elf::R_X86_64_REX_GOTPCRELX => {
                (pcrel(got_addr(scan.got_slot[&r.sym]))?, 4)
            }
            elf::R_X86_64_64 => {
                let v = target.wrapping_add(a as u64);
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
                let v = target.wrapping_add(a as u64);
                u32::try_from(v).map_err(|_| unsupported("R_X86_64_32 out of range"))?;
                (v, 4)
            }
            elf::R_X86_64_32S => {
                let v = target.wrapping_add(a as u64);
                i32::try_from(v as i64).map_err(|_| unsupported("R_X86_64_32S out of range"))?;
                (v, 4)
            }
            t => return Err(unsupported(format!("relocation type {t}"))),
        };
        let at = r.offset as usize;
        outs[r.out as usize].bytes[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
    }
    let mut got_bytes = Vec::with_capacity(8 * scan.got.len());
    for (slot, &sym) in scan.got.iter().enumerate() {
        let def = defs[sym];
        got_bytes.extend_from_slice(&def.addr(outs).to_le_bytes());
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
                r_addend: def.addr(outs) as i64,
            }),
            Def::Abs(_) | Def::None => {}
        }
    }
    let mut plt_bytes = Vec::with_capacity(PLT_STUB.len() * scan.plt.len());
    for (n, &sym) in scan.plt.iter().enumerate() {
        let stub = l.plt_addr + (PLT_STUB.len() * n) as u64;
        let disp = got_addr(scan.got_slot[&sym]) as i64 - (stub as i64 + 6);
        let disp = i32::try_from(disp).map_err(|_| unsupported("PLT stub out of range"))?;
        let mut s = PLT_STUB;
        s[2..6].copy_from_slice(&disp.to_le_bytes());
        plt_bytes.extend_from_slice(&s);
    }
    let n_relative = relative.len();
    relative.extend(symbolic);
    if relative.len() != scan.n_dyn_relocs {
        return Err(unsupported("dynamic relocation count"));
    }
    Ok(Resolved {
        got_bytes,
        plt_bytes,
        dyn_relocs: relative,
        n_relative,
    })
}
