//! System fonts as a last fallback (issue 6): CJK faces are too large to bundle, so when a
//! document has characters that neither the bundled faces nor `--font-dir` cover, the
//! standard font folders are searched for faces that do. The search runs only then, and
//! once per process for each set of missing characters' scripts.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use super::fonts::{Face, FontBook};
use super::shape::is_invisible;

/// Characters of `text` that no face of `book` covers, in order of first appearance.
pub fn uncovered(book: &FontBook, text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if c.is_ascii() || is_invisible(c) || c.is_whitespace() || out.contains(&c) {
            continue;
        }
        if !book.faces.iter().any(|f| f.covers(c)) {
            out.push(c);
        }
    }
    out
}

/// The folders where an operating system keeps its fonts.
fn system_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
        PathBuf::from("/Library/Fonts"),
        PathBuf::from("/System/Library/Fonts"),
        PathBuf::from("C:\\Windows\\Fonts"),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".fonts"));
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    dirs
}

fn font_files(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() && depth < 6 {
            font_files(&p, depth + 1, out);
        } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
            ["ttf", "otf", "ttc", "otc"].contains(&x.to_ascii_lowercase().as_str())
        }) {
            out.push(p);
        }
    }
}

/// Order of preference: serif CJK faces (they suit the body text) before sans ones, then
/// Noto Serif, Noto Sans, other Noto faces and the rest, then by path, so that the choice does not depend on the folder order.
fn rank(p: &Path) -> (u8, PathBuf) {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let r = if name.contains("notoserifcjk") && name.contains("regular") {
        0
    } else if name.contains("notosanscjk") && name.contains("regular") {
        1
    } else if name.starts_with("notoserif") && name.contains("regular") {
        2
    } else if name.starts_with("notosans") && name.contains("regular") {
        3
    } else if name.contains("noto") && name.contains("regular") {
        4
    } else if name.contains("noto") {
        5
    } else {
        6
    };
    (r, p.to_path_buf())
}

/// In a CJK collection, the face for the document's language: simplified Chinese for `zh`
/// (and by default), traditional for zh-TW/zh-HK, Japanese for `ja`, Korean for `ko`.
fn preferred_in_collection(face_names: &[String], lang: &str) -> usize {
    let l = lang.to_ascii_lowercase();
    let want = if l.starts_with("ja") {
        " jp"
    } else if l.starts_with("ko") {
        " kr"
    } else if l.starts_with("zh-tw") || l.starts_with("zh-hant") {
        " tc"
    } else if l.starts_with("zh-hk") {
        " hk"
    } else {
        " sc"
    };
    face_names
        .iter()
        .position(|n| n.to_ascii_lowercase().ends_with(want))
        .unwrap_or(0)
}

fn family_name(data: &[u8], index: u32) -> String {
    let Ok(face) = rustybuzz::ttf_parser::Face::parse(data, index) else {
        return String::new();
    };
    face.names()
        .into_iter()
        .filter(|n| n.name_id == rustybuzz::ttf_parser::name_id::FAMILY && n.is_unicode())
        .find_map(|n| n.to_string())
        .unwrap_or_default()
}

/// Faces from the system folders that cover some of `missing`, best first; at most one face
/// per file, and files are read only while characters remain uncovered.
fn search(missing: &[char], lang: &str) -> Vec<Face> {
    let mut files = Vec::new();
    for d in system_dirs() {
        font_files(&d, 0, &mut files);
    }
    let mut files: Vec<(u8, PathBuf)> = files.iter().map(|p| rank(p)).collect();
    files.sort();
    files.dedup();
    let mut left: Vec<char> = missing.to_vec();
    let mut faces = Vec::new();
    for (_, path) in files {
        if left.is_empty() || faces.len() >= 16 {
            break;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let count = rustybuzz::ttf_parser::fonts_in_collection(&bytes).unwrap_or(1);
        let names: Vec<String> = (0..count).map(|i| family_name(&bytes, i)).collect();
        let index = preferred_in_collection(&names, lang) as u32;
        let covers = {
            let Ok(f) = rustybuzz::ttf_parser::Face::parse(&bytes, index) else {
                continue;
            };
            left.iter().any(|c| f.glyph_index(*c).is_some())
        };
        if !covers {
            continue;
        }
        // The book lives for the whole process, so the font's bytes may too.
        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = match names.get(index as usize) {
            Some(n) if !n.is_empty() => n.replace(' ', ""),
            _ => stem,
        };
        if let Some(face) = Face::parse_at(name, data, index) {
            left.retain(|c| !face.covers(*c));
            faces.push(face);
        }
    }
    faces
}

/// Books extended with system faces, keyed by the base book and the scripts looked for.
type Cache = Vec<(usize, String, Arc<FontBook>)>;

static BOOKS: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(Vec::new()));

/// Characters that no system font covers (searched for already).
static ABSENT: Mutex<Vec<char>> = Mutex::new(Vec::new());

/// `book` plus the system faces that cover characters of `text` it lacks; `book` itself
/// when it covers everything (no folder is searched then) or no system face helps.
pub fn with_system_fonts(book: Arc<FontBook>, text: &str, lang: &str) -> Arc<FontBook> {
    let mut missing = uncovered(&book, text);
    if missing.is_empty() {
        return book;
    }
    // Characters no system font has are looked for once per process, not per document.
    if let Ok(absent) = ABSENT.lock() {
        missing.retain(|c| !absent.contains(c));
    }
    if missing.is_empty() {
        return book;
    }
    let key_book = Arc::as_ptr(&book) as usize;
    // One search per base book and language: the faces found serve any later document.
    let key_lang = lang.to_ascii_lowercase();
    let mut cache = match BOOKS.lock() {
        Ok(c) => c,
        Err(p) => p.into_inner(),
    };
    if let Some((_, _, b)) = cache.iter().find(|(k, l, b)| {
        *k == key_book
            && *l == key_lang
            && missing.iter().all(|c| b.faces.iter().any(|f| f.covers(*c)))
    }) {
        return b.clone();
    }
    let found = search(&missing, lang);
    if let Ok(mut absent) = ABSENT.lock() {
        for c in &missing {
            if !found.iter().any(|f| f.covers(*c)) && absent.len() < 4096 {
                absent.push(*c);
            }
        }
    }
    if found.is_empty() {
        return book;
    }
    let mut faces: Vec<Face> = Vec::with_capacity(book.faces.len() + found.len());
    for f in &book.faces {
        if let Some(copy) = Face::parse_at(f.name.clone(), f.data, f.index) {
            faces.push(copy);
        }
    }
    faces.extend(found);
    faces.truncate(u16::MAX as usize);
    let extended = Arc::new(FontBook::new(faces));
    cache.push((key_book, key_lang, extended.clone()));
    extended
}

/// What to install for a character no font covers.
pub fn install_hint(c: char) -> &'static str {
    match c as u32 {
        0x2E80..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF => {
            "install fonts-noto-cjk (Noto Serif/Sans CJK) or pass --font-dir with a CJK font"
        }
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => {
            "install fonts-noto-core (Noto Serif Hebrew) or pass --font-dir with a Hebrew font"
        }
        0x0900..=0x0DFF => {
            "install fonts-noto-core (Noto Serif Devanagari and other Indic faces) or pass --font-dir with a font for that script"
        }
        0x0E00..=0x0EFF => {
            "install fonts-noto-core (Noto Serif Thai) or pass --font-dir with a Thai font"
        }
        0x10A0..=0x10FF | 0x2D00..=0x2D2F => {
            "install fonts-noto-core (Noto Serif Georgian) or pass --font-dir with a Georgian font"
        }
        0x1F000..=0x1FAFF | 0x2600..=0x27BF => {
            "install fonts-noto-color-emoji or fonts-symbola, or pass --font-dir with an emoji font"
        }
        _ => "install fonts-noto-core or pass --font-dir with a font that covers them",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_text_needs_no_search() {
        let book = FontBook::bundled();
        assert!(uncovered(&book, "Liberté, Ελλάδα, Россия, العربية").is_empty());
        let b = with_system_fonts(book.clone(), "plain text", "en");
        assert!(Arc::ptr_eq(&b, &book));
    }

    #[test]
    fn collection_face_follows_language() {
        let names: Vec<String> = [
            "Noto Serif CJK JP",
            "Noto Serif CJK KR",
            "Noto Serif CJK SC",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(preferred_in_collection(&names, "zh"), 2);
        assert_eq!(preferred_in_collection(&names, "ja"), 0);
        assert!(install_hint('中').contains("fonts-noto-cjk"));
    }
}
