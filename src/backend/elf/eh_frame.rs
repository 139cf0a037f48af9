//! `.eh_frame_hdr`: the table unwinders (libgcc's `_Unwind_Find_FDE` through
//! `dl_iterate_phdr` and `PT_GNU_EH_FRAME`), debuggers and profilers use to
//! find the FDE of an address by binary search instead of walking
//! `.eh_frame`.
//!
//! `scan` walks the merged `.eh_frame` before relocation: the records'
//! lengths and CIE pointers do not depend on relocations, so the number of
//! FDEs (and so the size of the table) is known before the layout. `header`
//! decodes every FDE's initial location once `.eh_frame` is relocated and
//! writes the table, sorted by address:
//! ```text
//! u8 version 1, u8 eh_frame_ptr_enc (pcrel|sdata4), u8 fde_count_enc
//! (udata4), u8 table_enc (datarel|sdata4), i32 eh_frame_ptr, u32 fde_count,
//! then fde_count pairs of i32 (initial location, FDE address), both
//! relative to the start of .eh_frame_hdr
//! ```
//! A CIE or FDE this does not understand (64-bit DWARF lengths, indirect or
//! variable-length pointer encodings, unknown augmentations) makes the
//! builtin linker decline the object.

use super::layout::{Out, OutSection, N_OUT};
use super::unsupported;
use crate::diagnostics::Result;
use std::collections::HashMap;

const DW_EH_PE_ABSPTR: u8 = 0x00;
const DW_EH_PE_UDATA4: u8 = 0x03;
const DW_EH_PE_SDATA4: u8 = 0x0b;
const DW_EH_PE_PCREL: u8 = 0x10;
const DW_EH_PE_DATAREL: u8 = 0x30;
const DW_EH_PE_OMIT: u8 = 0xff;

/// One FDE of `.eh_frame`.
pub(super) struct Fde {
    /// Where the record starts (its length field), in `.eh_frame`.
    offset: usize,
    /// Where its initial location is, in `.eh_frame`.
    pc_field: usize,
    /// How the initial location is encoded (the CIE's `R` augmentation).
    enc: u8,
}

/// The size of `.eh_frame_hdr` with `n_fdes` entries.
pub(super) fn header_len(n_fdes: usize) -> usize {
    12 + 8 * n_fdes
}

fn bad(what: &str) -> crate::diagnostics::Error {
    unsupported(format!(".eh_frame: {what}"))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A cursor over a CIE's fields.
struct Cursor<'b> {
    b: &'b [u8],
    at: usize,
}

impl Cursor<'_> {
    fn byte(&mut self) -> Result<u8> {
        let v = *self.b.get(self.at).ok_or_else(|| bad("truncated CIE"))?;
        self.at += 1;
        Ok(v)
    }

    /// Skips a LEB128 number.
    fn leb(&mut self) -> Result<()> {
        while self.byte()? & 0x80 != 0 {}
        Ok(())
    }

    fn skip(&mut self, n: usize) -> Result<()> {
        if self.at + n > self.b.len() {
            return Err(bad("truncated CIE"));
        }
        self.at += n;
        Ok(())
    }
}

/// The size of a fixed-size encoded pointer.
fn encoded_size(enc: u8) -> Result<usize> {
    match enc & 0x0f {
        0x00 | 0x04 | 0x0c => Ok(8),
        0x02 | 0x0a => Ok(2),
        0x03 | 0x0b => Ok(4),
        _ => Err(bad(&format!("pointer encoding {enc:#x}"))),
    }
}

/// The FDE pointer encoding of the CIE whose fields after the CIE id are
/// `body`.
fn parse_cie(body: &[u8]) -> Result<u8> {
    let mut c = Cursor { b: body, at: 0 };
    let version = c.byte()?;
    if version != 1 && version != 3 {
        return Err(bad(&format!("CIE version {version}")));
    }
    let aug_start = c.at;
    while c.byte()? != 0 {}
    let aug = &body[aug_start..c.at - 1];
    c.leb()?; // code alignment
    c.leb()?; // data alignment
    if version == 1 {
        c.byte()?;
    } else {
        c.leb()?;
    }
    let mut enc = DW_EH_PE_ABSPTR;
    let Some((&b'z', rest)) = aug.split_first() else {
        return if aug.is_empty() {
            Ok(enc)
        } else {
            Err(bad("CIE augmentation without 'z'"))
        };
    };
    c.leb()?; // augmentation data length
    for &a in rest {
        match a {
            b'R' => enc = c.byte()?,
            b'L' => {
                c.byte()?;
            }
            b'P' => {
                let p = c.byte()?;
                match p & 0x0f {
                    0x01 | 0x09 => c.leb()?,
                    _ => c.skip(encoded_size(p)?)?,
                }
            }
            b'S' | b'B' => {}
            _ => return Err(bad("unknown CIE augmentation")),
        }
    }
    Ok(enc)
}

/// The FDEs of `eh_frame` (the merged section, before relocation).
pub(super) fn scan(eh_frame: &[u8]) -> Result<Vec<Fde>> {
    let mut cies: HashMap<usize, u8> = HashMap::new();
    let mut fdes = Vec::new();
    let mut pos = 0;
    while pos + 4 <= eh_frame.len() {
        let len = u32_at(eh_frame, pos).unwrap_or(0);
        if len == 0 {
            // A terminator, or padding between merged input sections.
            pos += 4;
            continue;
        }
        if len == u32::MAX {
            return Err(bad("64-bit DWARF record"));
        }
        let start = pos + 4;
        let end = start + len as usize;
        if len < 4 || end > eh_frame.len() {
            return Err(bad("record length"));
        }
        let id = u32_at(eh_frame, start).unwrap_or(0) as usize;
        if id == 0 {
            cies.insert(pos, parse_cie(&eh_frame[start + 4..end])?);
        } else {
            let enc = start
                .checked_sub(id)
                .and_then(|cie| cies.get(&cie))
                .copied()
                .ok_or_else(|| bad("FDE without its CIE"))?;
            if enc == DW_EH_PE_OMIT || enc & 0x80 != 0 || !matches!(enc & 0x70, 0x00 | 0x10) {
                return Err(bad(&format!("FDE pointer encoding {enc:#x}")));
            }
            let pc_field = start + 4;
            if pc_field + encoded_size(enc)? > end {
                return Err(bad("truncated FDE"));
            }
            fdes.push(Fde {
                offset: pos,
                pc_field,
                enc,
            });
        }
        pos = end;
    }
    Ok(fdes)
}

/// The contents of `.eh_frame_hdr` at `hdr_addr` (`None`: no
/// `.eh_frame`, no header), for the relocated `.eh_frame` of `outs`.
pub(super) fn header(
    outs: &[OutSection; N_OUT],
    fdes: &[Fde],
    hdr_addr: Option<u64>,
) -> Result<Vec<u8>> {
    let Some(hdr_addr) = hdr_addr else {
        return Ok(Vec::new());
    };
    let eh = &outs[Out::EhFrame as usize];
    let rel = |addr: u64| -> Result<i32> {
        i32::try_from(addr.wrapping_sub(hdr_addr) as i64)
            .map_err(|_| bad("address out of .eh_frame_hdr's range"))
    };
    let mut table = Vec::with_capacity(fdes.len());
    for f in fdes {
        let b = &eh.bytes[f.pc_field..];
        let raw = match f.enc & 0x0f {
            0x00 | 0x04 | 0x0c => u64::from_le_bytes(b[..8].try_into().unwrap_or_default()),
            0x02 => u16::from_le_bytes([b[0], b[1]]).into(),
            0x0a => i16::from_le_bytes([b[0], b[1]]) as i64 as u64,
            0x03 => u32::from_le_bytes(b[..4].try_into().unwrap_or_default()).into(),
            _ => i32::from_le_bytes(b[..4].try_into().unwrap_or_default()) as i64 as u64,
        };
        let pc = if f.enc & 0x70 == DW_EH_PE_PCREL {
            raw.wrapping_add(eh.addr + f.pc_field as u64)
        } else {
            raw
        };
        table.push((rel(pc)?, rel(eh.addr + f.offset as u64)?));
    }
    table.sort_by_key(|&(pc, _)| pc);
    let mut h = Vec::with_capacity(header_len(fdes.len()));
    h.extend_from_slice(&[
        1,
        DW_EH_PE_PCREL | DW_EH_PE_SDATA4,
        DW_EH_PE_UDATA4,
        DW_EH_PE_DATAREL | DW_EH_PE_SDATA4,
    ]);
    h.extend_from_slice(&(rel(eh.addr)?.wrapping_sub(4)).to_le_bytes());
    h.extend_from_slice(&(fdes.len() as u32).to_le_bytes());
    for (pc, fde) in table {
        h.extend_from_slice(&pc.to_le_bytes());
        h.extend_from_slice(&fde.to_le_bytes());
    }
    Ok(h)
}

#[cfg(test)]
mod test {
    use super::*;

    /// A CIE (`zR`, pcrel|sdata4) at 0, then FDEs for `pcs`, at `addr`.
    fn eh_frame(addr: u64, pcs: &[u64]) -> Vec<u8> {
        let mut b = vec![
            0x14, 0, 0, 0, 0, 0, 0, 0, 1, b'z', b'R', 0, 1, 0x78, 16, 1, 0x1b,
        ];
        b.extend_from_slice(&[0x0c, 7, 8, 0x90, 1, 0, 0]);
        for &pc in pcs {
            let start = b.len();
            b.extend_from_slice(&0x10u32.to_le_bytes());
            b.extend_from_slice(&(start as u32 + 4).to_le_bytes());
            let field = addr + b.len() as u64;
            b.extend_from_slice(&(pc.wrapping_sub(field) as u32).to_le_bytes());
            b.extend_from_slice(&[0x10, 0, 0, 0, 0, 0, 0, 0]);
        }
        b.extend_from_slice(&[0; 4]);
        b
    }

    #[test]
    fn header_is_a_sorted_table_of_fdes() {
        let mut outs: [OutSection; N_OUT] = Default::default();
        let eh = &mut outs[Out::EhFrame as usize];
        eh.addr = 0x1000;
        eh.bytes = eh_frame(0x1000, &[0x2040, 0x2000]);
        let fdes = scan(&eh.bytes).unwrap();
        assert_eq!(fdes.len(), 2);
        let h = header(&outs, &fdes, Some(0x800)).unwrap();
        assert_eq!(h.len(), header_len(2));
        let word = |i: usize| i32::from_le_bytes(h[4 * i..4 * i + 4].try_into().unwrap());
        assert_eq!(&h[..4], &[1, 0x1b, 0x03, 0x3b]);
        assert_eq!(0x804 + word(1) as i64, 0x1000, "eh_frame_ptr");
        assert_eq!(word(2), 2, "fde_count");
        // (0x2000, second FDE at 0x1000 + 0x18 + 0x14), then (0x2040, first).
        assert_eq!([word(3), word(4)], [0x2000 - 0x800, 0x1000 + 0x2c - 0x800]);
        assert_eq!([word(5), word(6)], [0x2040 - 0x800, 0x1000 + 0x18 - 0x800]);
        assert!(header(&outs, &fdes, None).unwrap().is_empty());
    }

    #[test]
    fn declines_what_it_does_not_understand_without_panicking() {
        let good = eh_frame(0, &[0x40]);
        for cut in 0..good.len() {
            let _ = scan(&good[..cut]);
        }
        let mut orphan = good.clone();
        orphan[0x1c] = 0x40; // CIE pointer before the section
        assert!(scan(&orphan).is_err());
        let mut long = good.clone();
        long[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(scan(&long).is_err());
        let mut indirect = good;
        indirect[16] = 0x9b; // indirect|pcrel|sdata4
        assert!(scan(&indirect).is_err());
    }
}
