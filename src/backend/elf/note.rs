//! The `.note.gnu.build-id` note (`NT_GNU_BUILD_ID`, in its own `PT_NOTE`
//! segment), which debuggers, `perf` and crash tools use to tell builds
//! apart and to find matching debug information.
//!
//! The ID is the SHA-256 of the whole output file, written with the ID
//! zeroed, truncated to 20 bytes: the size of `ld --build-id`'s default
//! (SHA-1), so tools that expect that size are happy, with SHA-256 because
//! the crate already depends on it (the semantic key). Identical inputs give
//! identical files and so identical IDs; any change to the code, data,
//! symbols or layout changes it.

use sha2::{Digest, Sha256};

/// The section's name.
pub(super) const SECTION_NAME: &[u8] = b".note.gnu.build-id";
/// Bytes of the ID.
pub(super) const ID_LEN: usize = 20;
/// namesz, descsz, type, "GNU\0", the ID.
pub(super) const SIZE: usize = 12 + 4 + ID_LEN;

/// The note with a zero ID.
pub(super) fn bytes() -> [u8; SIZE] {
    let mut n = [0u8; SIZE];
    n[0..4].copy_from_slice(&4u32.to_le_bytes());
    n[4..8].copy_from_slice(&(ID_LEN as u32).to_le_bytes());
    n[8..12].copy_from_slice(&object::elf::NT_GNU_BUILD_ID.to_le_bytes());
    n[12..16].copy_from_slice(b"GNU\0");
    n
}

/// Hashes `file` (whose note at `note_off` still has a zero ID) and writes
/// the ID into the note.
pub(super) fn fill_build_id(file: &mut [u8], note_off: usize) {
    let id = Sha256::digest(&*file);
    file[note_off + 16..note_off + SIZE].copy_from_slice(&id[..ID_LEN]);
}
