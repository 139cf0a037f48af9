//! Writing the shared object: every part in the order `layout.rs` reserved
//! it, then the section headers in the order of their indices.

use super::dynamic;
use super::layout::{Layout, Out, OutSection, N_OUT};
use super::note;
use super::relocations::{Resolved, PLT_STUB};
use super::symbols::{write_tables, Symbols};
use super::unsupported;
use crate::diagnostics::Result;
use object::elf;
use object::write::elf::{FileHeader, SectionHeader, Writer};

pub(super) fn write(
    w: &mut Writer<'_>,
    outs: &[OutSection; N_OUT],
    syms: &Symbols,
    l: &Layout,
    resolved: &Resolved,
    eh_frame_hdr: &[u8],
) -> Result<()> {
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
    for ph in &l.program_headers {
        w.write_program_header(ph);
    }

    // R.
    w.pad_until(l.note_off as usize);
    w.write(&note::bytes());
    write_tables(w, outs, syms, &l.names, l.n_buckets)?;
    if l.n_dyn_relocs > 0 {
        w.write_align_relocation();
        for r in &resolved.dyn_relocs {
            w.write_relocation(true, r);
        }
    }
    let write_out = |w: &mut Writer<'_>, out: Out| {
        let o = &outs[out as usize];
        if o.used {
            w.pad_until(o.offset as usize);
            w.write(&o.bytes);
        }
    };
    write_out(w, Out::Rodata);
    if let Some(off) = l.eh_frame_hdr_off {
        w.pad_until(off as usize);
        w.write(eh_frame_hdr);
    }
    write_out(w, Out::EhFrame);

    // R+X.
    write_out(w, Out::Text);
    if !resolved.plt_bytes.is_empty() {
        w.pad_until(l.plt_off as usize);
        w.write(&resolved.plt_bytes);
    }

    // RW: RELRO, then data.
    w.pad_until(l.relro.off as usize);
    dynamic::write(w, l, syms, resolved.n_relative)?;
    if !resolved.got_bytes.is_empty() {
        w.pad_until(l.got_off as usize);
        w.write(&resolved.got_bytes);
    }
    write_out(w, Out::RelRo);
    write_out(w, Out::Data);
    w.write_shstrtab();

    // Section headers, in index order. Read-only sections' addresses equal
    // their file offsets (the first segment starts at 0).
    w.write_null_section_header();
    let header = |w: &mut Writer<'_>, name, sh_type, flags: u32, addr, off, size, align, ent| {
        w.write_section_header(&SectionHeader {
            name: Some(name),
            sh_type,
            sh_flags: flags.into(),
            sh_addr: addr,
            sh_offset: off,
            sh_size: size,
            sh_link: 0,
            sh_info: 0,
            sh_addralign: align,
            sh_entsize: ent,
        })
    };
    header(
        w,
        l.note_name,
        elf::SHT_NOTE,
        elf::SHF_ALLOC,
        l.note_off,
        l.note_off,
        note::SIZE as u64,
        4,
        0,
    );
    w.write_gnu_hash_section_header(l.gnu_hash_off);
    w.write_dynsym_section_header(l.dynsym_off, 1);
    w.write_dynstr_section_header(l.dynstr_off);
    if syms.versioned() {
        w.write_gnu_versym_section_header(l.versym_off);
        w.write_gnu_verneed_section_header(l.verneed_off);
    }
    if let Some(name) = l.rela_name {
        w.write_section_header(&SectionHeader {
            name: Some(name),
            sh_type: elf::SHT_RELA,
            sh_flags: elf::SHF_ALLOC.into(),
            sh_addr: l.rela_off,
            sh_offset: l.rela_off,
            sh_size: 24 * l.n_dyn_relocs as u64,
            sh_link: l.dynsym_index.0,
            sh_info: 0,
            sh_addralign: 8,
            sh_entsize: 24,
        });
    }
    let out_header = |w: &mut Writer<'_>, out: Out| {
        let o = &outs[out as usize];
        if let Some(name) = o.name {
            let (sh_type, flags) = out.header_type_and_flags();
            header(
                w, name, sh_type, flags, o.addr, o.offset, o.size, o.align, 0,
            );
        }
    };
    out_header(w, Out::Rodata);
    if let (Some(name), Some(off)) = (l.eh_frame_hdr_name, l.eh_frame_hdr_off) {
        header(
            w,
            name,
            elf::SHT_PROGBITS,
            elf::SHF_ALLOC,
            off,
            off,
            l.eh_frame_hdr_len,
            4,
            0,
        );
    }
    out_header(w, Out::EhFrame);
    out_header(w, Out::Text);
    if let Some(name) = l.plt_name {
        header(
            w,
            name,
            elf::SHT_PROGBITS,
            elf::SHF_ALLOC | elf::SHF_EXECINSTR,
            l.plt_addr,
            l.plt_off,
            l.plt_len,
            16,
            PLT_STUB.len() as u64,
        );
    }
    w.write_dynamic_section_header(l.relro.addr);
    if let Some(name) = l.got_name {
        header(
            w,
            name,
            elf::SHT_PROGBITS,
            elf::SHF_ALLOC | elf::SHF_WRITE,
            l.got_addr,
            l.got_off,
            resolved.got_bytes.len() as u64,
            8,
            8,
        );
    }
    for out in [Out::RelRo, Out::Data, Out::Bss] {
        out_header(w, out);
    }
    w.write_shstrtab_section_header();
    if w.len() != w.reserved_len() {
        return Err(unsupported("written and reserved sizes differ"));
    }
    Ok(())
}
