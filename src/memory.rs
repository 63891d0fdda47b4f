//! Large buffers backed by transparent huge pages.
//!
//! A 20 MB document fills its text, its prose and its token table with 4 KiB pages, one page
//! fault and one TLB entry each; the rules then read these tables all over. On Linux, where
//! transparent huge pages are usually enabled only for regions that ask (`madvise` mode), a
//! buffer of a few megabytes asks, and is then faulted in 2 MiB at a time. Measured on the
//! 20 MB bench file: page faults 38 300 -> 20 000 and about 13% less time, at the same peak
//! memory (docs/performance.md, round 5).

/// Buffers smaller than this stay on ordinary pages: a huge page would round them up.
const HUGE_MIN: usize = 4 << 20;

/// `Vec::with_capacity(capacity)`, asking for huge pages when the buffer is large.
pub fn vec_with_capacity<T>(capacity: usize) -> Vec<T> {
    let v = Vec::with_capacity(capacity);
    advise_huge(v.as_ptr() as usize, v.capacity() * std::mem::size_of::<T>());
    v
}

/// `String::with_capacity(capacity)`, asking for huge pages when the buffer is large.
pub fn string_with_capacity(capacity: usize) -> String {
    let s = String::with_capacity(capacity);
    advise_huge(s.as_ptr() as usize, s.capacity());
    s
}

/// Reads a whole file into a buffer that asks for huge pages when the file is large.
///
/// The buffer is fresh memory (every document's text is kept until the cross-file rules are
/// done, so none is reused): left to the copy into it, each of its 4 KiB pages is a page fault
/// of its own, a third of the faults of a run over many reports. It is faulted in by one
/// `madvise` call first ([`populate`]), which on a 200 KB report took about a sixth off the
/// read's time.
pub fn read_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let hint = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
    let mut bytes = vec_with_capacity(hint.saturating_add(1));
    populate(bytes.as_ptr() as usize, bytes.capacity());
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The whole pages of `addr..addr + len`, a live allocation, as a page-aligned range.
#[cfg(target_os = "linux")]
fn whole_pages(addr: usize, len: usize) -> Option<(usize, usize)> {
    const PAGE: usize = 4096;
    let start = addr.next_multiple_of(PAGE);
    let end = (addr + len) & !(PAGE - 1);
    (start < end).then_some((start, end - start))
}

/// Faults in the whole pages of `addr..addr + len`, a live allocation about to be written
/// whole, in one system call instead of one fault per page as they are first written.
#[cfg(target_os = "linux")]
fn populate(addr: usize, len: usize) {
    if let Some((start, len)) = whole_pages(addr, len) {
        // SAFETY: the range lies inside a live allocation this process owns, and
        // MADV_POPULATE_WRITE only faults its pages in as a write would, never changing their
        // contents; a failure (a kernel before 5.14, memory short) is harmless and ignored:
        // the pages are then faulted in by the write, as without the call.
        unsafe {
            libc::madvise(start as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn populate(_addr: usize, _len: usize) {}

#[cfg(target_os = "linux")]
fn advise_huge(addr: usize, len: usize) {
    if len < HUGE_MIN {
        return;
    }
    // madvise wants a page-aligned start: advise the whole pages inside the buffer only.
    if let Some((start, len)) = whole_pages(addr, len) {
        // SAFETY: the range lies inside a live allocation this process owns, and MADV_HUGEPAGE
        // only changes how the kernel backs it, never its contents; a failure (huge pages
        // disabled, an older kernel) is harmless and ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge(_addr: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_read_into_an_advised_buffer_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        for len in [0, 1, 4095, super::HUGE_MIN + 3] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(super::read_file(&path).unwrap(), bytes, "{len} bytes");
        }
        assert!(super::read_file(&dir.path().join("missing")).is_err());
    }

    #[test]
    fn advised_buffers_have_the_capacity_asked_for() {
        let v: Vec<u64> = super::vec_with_capacity(super::HUGE_MIN);
        assert!(v.capacity() >= super::HUGE_MIN && v.is_empty());
        let s = super::string_with_capacity(super::HUGE_MIN + 1);
        assert!(s.capacity() > super::HUGE_MIN && s.is_empty());
    }
}
