//! The process's heap on glibc (Linux): settings that let one format reuse the memory that the
//! one before it freed, instead of touching fresh pages (each a minor page fault).
//!
//! Two glibc behaviours made a statement's PDF + EPUB touch ~650 pages more than the formats
//! apart (benches/README.md, issue 17):
//! - An over-aligned allocation (`posix_memalign`; zlib-rs aligns its ~370 KB Deflate state to
//!   64 bytes, and the `zip` crate inside epub-builder makes one per entry, 11 per EPUB) is cut
//!   from a larger free block, and glibc hands the spare tail (48–96 bytes) to its thread cache,
//!   where it is never merged with its neighbours. Freed, the aligned block can then neither
//!   rejoin the heap's top nor serve the next such request (which again asks for the size plus
//!   the alignment), so every Deflate state lands on fresh pages. Whether that happened
//!   depended on the heap top's address modulo 64, i.e. on every allocation before it.
//!   `Heap` serves them with plain `malloc` (size plus alignment, aligned by hand), whose
//!   freed blocks of one size are reused exactly.
//! - glibc's mmap threshold starts at 128 KB and rises only when an mmapped block is freed, so
//!   the PDF's large buffers (up to 1 MB) were mapped and unmapped, and their pages touched
//!   anew by the EPUB. `tune` fixes it at 4 MB (and the trim threshold at 8 MB), so that
//!   freed memory up to that size stays in the heap for the next format.
//!
//! Elsewhere (other C libraries, other systems) both are the system's allocator unchanged.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::alloc::{GlobalAlloc, Layout, System};

    /// The system allocator, with over-aligned requests served by `malloc` (see the module).
    pub struct Heap;

    /// `malloc`'s own alignment on 64-bit glibc; what is aligned more goes through `Heap`.
    const MALLOC_ALIGN: usize = 16;

    /// The block `malloc` is asked for: the size plus the alignment, so that an aligned
    /// address with room for the original pointer just before it always fits.
    fn padded(layout: Layout) -> Option<Layout> {
        let size = layout.size().checked_add(layout.align())?;
        Layout::from_size_align(size, MALLOC_ALIGN).ok()
    }

    fn over_aligned(layout: Layout) -> bool {
        layout.align() > MALLOC_ALIGN && layout.align() <= 4096
    }

    // SAFETY: every block comes from `System` (glibc's malloc) and goes back to it: a plain
    // request unchanged; an over-aligned one as a `padded` block whose start is stored in the
    // 8 bytes before the aligned address handed out (at least 16 bytes after the start, and
    // the block holds `align` bytes more than asked, so the aligned block fits).
    unsafe impl GlobalAlloc for Heap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if !over_aligned(layout) {
                return unsafe { System.alloc(layout) };
            }
            let Some(padded) = padded(layout) else {
                return std::ptr::null_mut();
            };
            let raw = unsafe { System.alloc(padded) };
            if raw.is_null() {
                return raw;
            }
            let offset = layout.align() - (raw as usize + MALLOC_ALIGN) % layout.align();
            let aligned = unsafe { raw.add(MALLOC_ALIGN + offset % layout.align()) };
            unsafe { aligned.cast::<*mut u8>().sub(1).write(raw) };
            aligned
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if !over_aligned(layout) {
                return unsafe { System.dealloc(ptr, layout) };
            }
            if let Some(padded) = padded(layout) {
                let raw = unsafe { ptr.cast::<*mut u8>().sub(1).read() };
                unsafe { System.dealloc(raw, padded) };
            }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            if !over_aligned(layout) {
                return unsafe { System.alloc_zeroed(layout) };
            }
            let ptr = unsafe { self.alloc(layout) };
            if !ptr.is_null() {
                unsafe { std::ptr::write_bytes(ptr, 0, layout.size()) };
            }
            ptr
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if !over_aligned(layout) {
                return unsafe { System.realloc(ptr, layout, new_size) };
            }
            let Ok(new) = Layout::from_size_align(new_size, layout.align()) else {
                return std::ptr::null_mut();
            };
            let fresh = unsafe { self.alloc(new) };
            if !fresh.is_null() {
                unsafe {
                    std::ptr::copy_nonoverlapping(ptr, fresh, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
            }
            fresh
        }
    }

    #[global_allocator]
    static HEAP: Heap = Heap;

    unsafe extern "C" {
        /// glibc's `mallopt(3)`.
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    const M_TRIM_THRESHOLD: std::ffi::c_int = -1;
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;

    /// Fixes the mmap threshold at 4 MB and the trim threshold at 8 MB (see the module).
    pub fn tune() {
        // SAFETY: mallopt only changes two of malloc's thresholds; it is called before any
        // other thread is started, and a refusal (0) leaves glibc's defaults in place.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 4 << 20);
            mallopt(M_TRIM_THRESHOLD, 8 << 20);
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub use glibc::tune;

/// Elsewhere, the system's allocator as it is.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    use super::glibc::Heap;

    #[test]
    fn over_aligned_blocks_are_aligned_kept_and_zeroed() {
        for align in [32, 64, 256, 4096] {
            for size in [1, 63, 4096, 380_032] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; every block is freed with the layout it was made with.
                unsafe {
                    let p = Heap.alloc_zeroed(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "align {align}, size {size}");
                    assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                    std::ptr::write_bytes(p, 0xA5, size);
                    let q = Heap.realloc(p, layout, size * 2);
                    assert_eq!(q as usize % align, 0);
                    assert!(
                        std::slice::from_raw_parts(q, size)
                            .iter()
                            .all(|&b| b == 0xA5)
                    );
                    Heap.dealloc(q, Layout::from_size_align(size * 2, align).unwrap());
                }
            }
        }
    }

    #[test]
    fn a_freed_aligned_block_is_reused() {
        // Below the mmap threshold, as in the program (glibc's own would map and unmap it).
        super::tune();
        let layout = Layout::from_size_align(380_032, 64).unwrap();
        // SAFETY: as above.
        unsafe {
            let first = Heap.alloc(layout);
            Heap.dealloc(first, layout);
            let again = Heap.alloc(layout);
            Heap.dealloc(again, layout);
            assert_eq!(first, again, "glibc did not reuse the freed block");
        }
    }
}
