//! Where everything goes. `merge` sorts the input object's allocated
//! sections into the output sections; `reserve` then gives every part of
//! the shared object (headers, dynamic tables, output sections, GOT, PLT)
//! its file range, address and section index, and groups them into the
//! segments described in `mod.rs`.

use super::dynamic;
use super::eh_frame;
use super::note;
use super::relocations::{Scan, PLT_STUB};
use super::symbols::{add_names, DynNames, Symbols};
use super::{align_up, read_err, unsupported, Input, LE, PAGE};
use crate::diagnostics::Result;
use object::elf;
use object::read::elf::SectionHeader as _;
use object::write::elf::{ProgramHeader, SectionIndex, Writer};
use object::write::StringId;

/// The output sections input sections are merged into, in file order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Out {
    Rodata,
    EhFrame,
    Text,
    /// `.data.rel.ro*`: written only by the loader's relocations, then
    /// write-protected with the rest of the RELRO segment.
    RelRo,
    Data,
    Bss,
}

/// How many `Out`s there are.
pub(super) const N_OUT: usize = 6;

impl Out {
    pub(super) fn name(self) -> &'static [u8] {
        match self {
            Out::Rodata => b".rodata",
            Out::EhFrame => b".eh_frame",
            Out::Text => b".text",
            Out::RelRo => b".data.rel.ro",
            Out::Data => b".data",
            Out::Bss => b".bss",
        }
    }

    pub(super) fn header_type_and_flags(self) -> (u32, u32) {
        match self {
            Out::Rodata => (elf::SHT_PROGBITS, elf::SHF_ALLOC),
            Out::EhFrame => (elf::SHT_X86_64_UNWIND, elf::SHF_ALLOC),
            Out::Text => (elf::SHT_PROGBITS, elf::SHF_ALLOC | elf::SHF_EXECINSTR),
            Out::RelRo | Out::Data => (elf::SHT_PROGBITS, elf::SHF_ALLOC | elf::SHF_WRITE),
            Out::Bss => (elf::SHT_NOBITS, elf::SHF_ALLOC | elf::SHF_WRITE),
        }
    }

    /// Whether the loader may write absolute addresses into it (no text
    /// relocations).
    pub(super) fn writable(self) -> bool {
        matches!(self, Out::RelRo | Out::Data)
    }
}

/// One output section: its contents (empty for .bss) and where it lands.
#[derive(Default)]
pub(super) struct OutSection {
    pub used: bool,
    pub size: u64,
    pub align: u64,
    pub bytes: Vec<u8>,
    pub offset: u64,
    pub addr: u64,
    pub index: Option<SectionIndex>,
    pub name: Option<StringId>,
}

/// Where an input section went.
#[derive(Clone, Copy)]
pub(super) struct Placed {
    pub out: Out,
    pub offset: u64,
}

/// The output sections, and where each input section went (`None`: not
/// loaded, e.g. debug info and notes): `placed[k][section]` for input `k`.
pub(super) struct Merged {
    pub outs: [OutSection; N_OUT],
    pub placed: Vec<Vec<Option<Placed>>>,
}

/// Merges the allocated sections of every input, in order, into the output
/// sections, with their contents (before relocation).
pub(super) fn merge(inputs: &[Input]) -> Result<Merged> {
    let mut outs: [OutSection; N_OUT] = Default::default();
    let mut placed: Vec<Vec<Option<Placed>>> = Vec::with_capacity(inputs.len());
    for input in inputs {
        placed.push(place(input, &mut outs)?);
    }
    if outs[Out::Text as usize].size == 0 {
        return Err(unsupported("no code"));
    }
    for out in [Out::Rodata, Out::EhFrame, Out::Text, Out::RelRo, Out::Data] {
        let o = &mut outs[out as usize];
        o.bytes = vec![0; o.size as usize];
    }
    for (input, placed) in inputs.iter().zip(&placed) {
        for (index, s) in input.sections.enumerate() {
            if let Some(p) = placed[index.0].filter(|p| p.out != Out::Bss) {
                let data = s.data(LE, input.data).map_err(read_err)?;
                let start = p.offset as usize;
                outs[p.out as usize].bytes[start..start + data.len()].copy_from_slice(data);
            }
        }
    }
    Ok(Merged { outs, placed })
}

/// Places the allocated sections of one input after what `outs` holds.
fn place(input: &Input, outs: &mut [OutSection; N_OUT]) -> Result<Vec<Option<Placed>>> {
    let (sections, obj) = (&input.sections, input.data);
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
                (false, true) if name == ".data.rel.ro" || name.starts_with(".data.rel.ro.") => {
                    Out::RelRo
                }
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
    Ok(placed)
}

/// A file range and where it is loaded.
#[derive(Clone, Copy, Default)]
pub(super) struct Range {
    pub off: u64,
    pub addr: u64,
    pub filesz: u64,
    pub memsz: u64,
}

/// Everything `reserve` decided. File offsets equal addresses in the first
/// (read-only) segment, which starts at 0.
pub(super) struct Layout {
    /// Strings in `.dynstr`.
    pub names: DynNames,
    /// Entries in `.dynamic`, the final `DT_NULL` included.
    pub n_dynamic: usize,
    pub n_buckets: u32,
    pub dynsym_index: SectionIndex,
    /// Section names of the synthesized sections, each `Some` iff the
    /// section is written.
    pub note_name: StringId,
    pub rela_name: Option<StringId>,
    pub eh_frame_hdr_name: Option<StringId>,
    pub plt_name: Option<StringId>,
    pub got_name: Option<StringId>,
    pub note_off: u64,
    pub gnu_hash_off: u64,
    pub dynsym_off: u64,
    pub dynstr_off: u64,
    pub dynstr_len: u64,
    pub versym_off: u64,
    pub verneed_off: u64,
    pub rela_off: u64,
    pub n_dyn_relocs: usize,
    /// Offset (= address) of `.eh_frame_hdr`, when there is an `.eh_frame`.
    pub eh_frame_hdr_off: Option<u64>,
    pub eh_frame_hdr_len: u64,
    pub plt_off: u64,
    pub plt_addr: u64,
    pub plt_len: u64,
    /// `.dynamic` starts it.
    pub relro: Range,
    pub got_off: u64,
    pub got_addr: u64,
    pub program_headers: Vec<ProgramHeader>,
}

fn load(flags: u32, r: Range) -> ProgramHeader {
    ProgramHeader {
        p_type: elf::PT_LOAD,
        p_flags: flags,
        p_offset: r.off,
        p_vaddr: r.addr,
        p_paddr: r.addr,
        p_filesz: r.filesz,
        p_memsz: r.memsz,
        p_align: PAGE,
    }
}

fn segment(p_type: u32, p_flags: u32, r: Range, p_align: u64) -> ProgramHeader {
    ProgramHeader {
        p_type,
        p_flags,
        p_offset: r.off,
        p_vaddr: r.addr,
        p_paddr: r.addr,
        p_filesz: r.filesz,
        p_memsz: r.memsz,
        p_align,
    }
}

/// A range of the read-only segment (file offset = address).
fn ro(off: u64, len: u64) -> Range {
    Range {
        off,
        addr: off,
        filesz: len,
        memsz: len,
    }
}

/// Reserves names, section indices, then file ranges in file order, and
/// computes every address and the program headers.
pub(super) fn reserve<'a>(
    w: &mut Writer<'a>,
    outs: &mut [OutSection; N_OUT],
    syms: &Symbols<'a>,
    scan: &Scan,
    n_fdes: usize,
) -> Result<Layout> {
    let has_eh_frame = outs[Out::EhFrame as usize].used;
    let has_data = outs[Out::Data as usize].used || outs[Out::Bss as usize].used;
    let versioned = syms.versioned();
    let n_dyn_relocs = scan.n_dyn_relocs;

    // LOAD R, LOAD RX, LOAD RW (RELRO), DYNAMIC, NOTE, GNU_STACK,
    // GNU_RELRO, then LOAD RW (data) and GNU_EH_FRAME when needed.
    let n_phdrs = 7 + u32::from(has_data) + u32::from(has_eh_frame);
    w.reserve_file_header();
    w.reserve_program_headers(n_phdrs);

    // Names and section indices, in section header order.
    let names = add_names(w, syms);
    let note_name = w.add_section_name(note::SECTION_NAME);
    w.reserve_section_index();
    w.reserve_gnu_hash_section_index();
    let dynsym_index = w.reserve_dynsym_section_index();
    w.reserve_dynstr_section_index();
    if versioned {
        w.reserve_gnu_versym_section_index();
        w.reserve_gnu_verneed_section_index();
    }
    let rela_name = (n_dyn_relocs > 0).then(|| {
        w.reserve_section_index();
        w.add_section_name(b".rela.dyn")
    });
    let reserve_out = |w: &mut Writer<'a>, o: &mut OutSection, out: Out| {
        if o.used {
            o.name = Some(w.add_section_name(out.name()));
            o.index = Some(w.reserve_section_index());
        }
    };
    reserve_out(w, &mut outs[Out::Rodata as usize], Out::Rodata);
    let eh_frame_hdr_name = has_eh_frame.then(|| {
        w.reserve_section_index();
        w.add_section_name(b".eh_frame_hdr")
    });
    for out in [Out::EhFrame, Out::Text] {
        reserve_out(w, &mut outs[out as usize], out);
    }
    let plt_name = (!scan.plt.is_empty()).then(|| {
        w.reserve_section_index();
        w.add_section_name(b".plt")
    });
    w.reserve_dynamic_section_index();
    let got_name = (!scan.got.is_empty()).then(|| {
        w.reserve_section_index();
        w.add_section_name(b".got")
    });
    for out in [Out::RelRo, Out::Data, Out::Bss] {
        reserve_out(w, &mut outs[out as usize], out);
    }
    w.reserve_shstrtab_section_index();

    w.reserve_null_dynamic_symbol_index();
    for _ in 0..syms.imports.len() + syms.exports.len() {
        w.reserve_dynamic_symbol_index();
    }

    // R: headers, the build ID, the dynamic tables, read-only data and
    // unwind tables.
    let note_off = w.reserve(note::SIZE, 4) as u64;
    let n_buckets = syms.n_buckets();
    let gnu_hash_off = w.reserve_gnu_hash(1, n_buckets, syms.exports.len() as u32) as u64;
    let dynsym_off = w.reserve_dynsym() as u64;
    let dynstr_off = w.reserve_dynstr() as u64;
    let dynstr_len = w.dynstr_len() as u64;
    let (mut versym_off, mut verneed_off) = (0, 0);
    if versioned {
        versym_off = w.reserve_gnu_versym() as u64;
        verneed_off = w.reserve_gnu_verneed(syms.n_verneed(), syms.versions.len()) as u64;
    }
    let rela_off = w.reserve_relocations(n_dyn_relocs, true) as u64;
    let reserve_ro = |w: &mut Writer<'a>, o: &mut OutSection| {
        if o.used {
            o.offset = w.reserve(o.size as usize, o.align as usize) as u64;
            o.addr = o.offset;
        }
    };
    reserve_ro(w, &mut outs[Out::Rodata as usize]);
    let eh_frame_hdr_len = eh_frame::header_len(n_fdes) as u64;
    let eh_frame_hdr_off = has_eh_frame.then(|| w.reserve(eh_frame_hdr_len as usize, 4) as u64);
    reserve_ro(w, &mut outs[Out::EhFrame as usize]);
    let r_end = w.reserved_len() as u64;

    // R+X: starts on the next page in memory.
    let text = &mut outs[Out::Text as usize];
    text.offset = w.reserve(text.size as usize, text.align as usize) as u64;
    let rx_off = text.offset;
    let rx_addr = align_up(r_end, PAGE) + rx_off % PAGE;
    text.addr = rx_addr;
    let plt_len = (PLT_STUB.len() * scan.plt.len()) as u64;
    let plt_off = if scan.plt.is_empty() {
        w.reserved_len()
    } else {
        w.reserve(plt_len as usize, 16)
    } as u64;
    let plt_addr = rx_addr + (plt_off - rx_off);
    let rx_end = w.reserved_len() as u64;
    let rx = Range {
        off: rx_off,
        addr: rx_addr,
        filesz: rx_end - rx_off,
        memsz: rx_end - rx_off,
    };

    // RW, RELRO: starts on the next page in memory, and its memory size
    // runs to the end of its last page, all write-protected after
    // relocation.
    let n_dynamic = dynamic::count(&names, versioned, n_dyn_relocs);
    let rw_off = w.reserve_dynamic(n_dynamic) as u64;
    let rw_addr = align_up(rx_addr + rx.memsz, PAGE) + rw_off % PAGE;
    let rw = |off: u64| rw_addr + (off - rw_off);
    let got_off = if scan.got.is_empty() {
        w.reserved_len()
    } else {
        w.reserve(8 * scan.got.len(), 8)
    } as u64;
    let rel_ro = &mut outs[Out::RelRo as usize];
    if rel_ro.used {
        rel_ro.offset = w.reserve(rel_ro.size as usize, rel_ro.align as usize) as u64;
        rel_ro.addr = rw(rel_ro.offset);
    }
    let relro_file_end = w.reserved_len() as u64;
    let relro = Range {
        off: rw_off,
        addr: rw_addr,
        filesz: relro_file_end - rw_off,
        memsz: align_up(rw(relro_file_end), PAGE) - rw_addr,
    };

    // RW: .data and .bss, on the next page in memory.
    let data_off = w.reserved_len() as u64;
    let data_base = relro.addr + relro.memsz;
    let data_addr = |off: u64| data_base + data_off % PAGE + (off - data_off);
    let data = &mut outs[Out::Data as usize];
    if data.used {
        data.offset = w.reserve(data.size as usize, data.align as usize) as u64;
        data.addr = data_addr(data.offset);
    }
    let data_file_end = w.reserved_len() as u64;
    let mut data_mem_end = data_addr(data_file_end);
    let bss = &mut outs[Out::Bss as usize];
    if bss.used {
        bss.offset = data_file_end;
        bss.addr = align_up(data_mem_end, bss.align);
        data_mem_end = bss.addr + bss.size;
    }
    let data_seg = Range {
        off: data_off,
        addr: data_addr(data_off),
        filesz: data_file_end - data_off,
        memsz: data_mem_end - data_addr(data_off),
    };
    w.reserve_shstrtab();
    w.reserve_section_headers();

    let dynamic_len = 16 * n_dynamic as u64;
    let mut program_headers = vec![
        load(elf::PF_R, ro(0, r_end)),
        load(elf::PF_R | elf::PF_X, rx),
    ];
    program_headers.push(load(elf::PF_R | elf::PF_W, relro));
    if has_data {
        program_headers.push(load(elf::PF_R | elf::PF_W, data_seg));
    }
    program_headers.push(segment(
        elf::PT_DYNAMIC,
        elf::PF_R | elf::PF_W,
        Range {
            filesz: dynamic_len,
            memsz: dynamic_len,
            ..relro
        },
        8,
    ));
    program_headers.push(segment(
        elf::PT_NOTE,
        elf::PF_R,
        ro(note_off, note::SIZE as u64),
        4,
    ));
    if let Some(off) = eh_frame_hdr_off {
        program_headers.push(segment(
            elf::PT_GNU_EH_FRAME,
            elf::PF_R,
            ro(off, eh_frame_hdr_len),
            4,
        ));
    }
    program_headers.push(segment(
        elf::PT_GNU_STACK,
        elf::PF_R | elf::PF_W,
        Range::default(),
        16,
    ));
    program_headers.push(segment(elf::PT_GNU_RELRO, elf::PF_R, relro, 1));
    if program_headers.len() != n_phdrs as usize {
        return Err(unsupported("program header count"));
    }

    Ok(Layout {
        names,
        n_dynamic,
        n_buckets,
        dynsym_index,
        note_name,
        rela_name,
        eh_frame_hdr_name,
        plt_name,
        got_name,
        note_off,
        gnu_hash_off,
        dynsym_off,
        dynstr_off,
        dynstr_len,
        versym_off,
        verneed_off,
        rela_off,
        n_dyn_relocs,
        eh_frame_hdr_off,
        eh_frame_hdr_len,
        plt_off,
        plt_addr,
        plt_len,
        relro,
        got_off,
        got_addr: rw(got_off),
        program_headers,
    })
}
