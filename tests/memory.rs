//! Issue 17: a long statement's PDF is built in memory that does not grow with its length
//! the way it did (every page's operators, then every page's uncompressed content, held until
//! the file was written). Each build runs in a child process, whose peak resident set size
//! (`wait4`'s `ru_maxrss`) is compared with that of a statement a tenth as long. Not timed
//! (about 10 s in a debug build, most of it the 2 MB statement).

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;

/// A statement of about `bytes` bytes: the bundled statement's front matter, then sections
/// of its paragraphs in a varying order (as `benches/batch.sh` varies them).
fn statement(bytes: usize) -> String {
    let src = std::fs::read_to_string("content/us-upr-review.md").expect("the bundled statement");
    let end = src[3..].find("\n---\n").expect("front matter") + 3 + 5;
    let (front, body) = src.split_at(end);
    let paras: Vec<&str> = body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with(['#', '!', '|', '<']))
        .collect();
    let mut out = format!("{front}\n");
    let mut seed: u64 = 17;
    let mut n = 0;
    while out.len() < bytes {
        n += 1;
        out.push_str(&format!("## Section {n}\n\n"));
        // A small linear congruential generator: the same statement on every run.
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let start = (seed >> 33) as usize % paras.len();
        let count = 3 + (seed >> 20) as usize % paras.len();
        for k in 0..count {
            out.push_str(paras[(start + k * 7) % paras.len()]);
            out.push_str("\n\n");
        }
    }
    out
}

/// Builds `input` to PDF in a child process; its peak RSS in KiB.
// The child is reaped by `wait4` (which gives its own rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn peak_kib(input: &Path, out: &Path) -> i64 {
    let child = Command::new(env!("CARGO_BIN_EXE_communique"))
        .args(["build", "-q", "-f", "pdf", "-o"])
        .arg(out)
        .arg(input)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .spawn()
        .expect("the communique binary runs");
    let mut status = 0;
    // SAFETY: a zeroed `rusage` is a valid value; `wait4` fills it for the child we started
    // and have not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the build of {} failed",
        input.display()
    );
    usage.ru_maxrss
}

#[test]
fn a_long_statement_is_built_in_bounded_memory() {
    let dir = std::env::temp_dir().join(format!("communique-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (short, long) = (dir.join("short.md"), dir.join("long.md"));
    std::fs::write(&short, statement(200_000)).unwrap();
    std::fs::write(&long, statement(2_000_000)).unwrap();
    let short_kib = peak_kib(&short, &dir.join("short"));
    let long_kib = peak_kib(&long, &dir.join("long"));
    std::fs::remove_dir_all(&dir).ok();
    eprintln!("peak RSS: {short_kib} KiB for 0.2 MB, {long_kib} KiB for 2 MB");
    // The short statement's peak plus 36 MiB. Before issue 17's writer (every page's
    // operators, then every page's uncompressed content, held until the file was written;
    // 32 bytes a glyph) the long one needed 172 MiB more than the short one (debug build;
    // 177 MB in release); with it (ee46402), 51 MiB: every laid-out glyph held, 12 bytes
    // each, until the document was paginated, and lopdf's structure tree and its copy of it
    // on save. Now about 25 MiB (ee46402's binary with this test: 33,140 KiB and 84,096 KiB,
    // fails): the runs and glyphs are packed (about 5 bytes a glyph) while it is paginated,
    // the structure elements written out as they are made, the object streams written
    // without a copy. What still grows with the length: the model and source, the packed
    // runs, each line's fixed part, the pages' items and compressed content.
    assert!(
        long_kib <= short_kib + 36 * 1024,
        "2 MB statement: {long_kib} KiB peak, more than {short_kib} KiB (0.2 MB) + 36 MiB"
    );
}
