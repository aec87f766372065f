//! System fonts as a last fallback (issue 6): CJK faces are too large to bundle, so when a
//! document has characters that neither the bundled faces nor `--font-dir` cover, the
//! standard font folders are searched for faces that do. The search runs only then, and
//! once per process for each set of missing characters' scripts. Emoji look for a colour
//! face (Debian's `fonts-noto-color-emoji`) the same way: the bundled monochrome emoji face
//! is used only when the system has none (`--no-system-fonts` skips the search).

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

/// What a document needs from system fonts: characters that no face of `book` covers but
/// the bundled monochrome emoji face (in order of first appearance), and the first
/// characters of emoji sequences that no colour face of `book` covers.
pub fn wanted(book: &FontBook, text: &str) -> (Vec<char>, Vec<char>) {
    let fallback = book.emoji_fallback().0 as usize;
    let mut plain: Vec<char> = Vec::new();
    let mut color: Vec<char> = Vec::new();
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if (!c.is_ascii() || matches!(c, '0'..='9' | '#' | '*'))
            && let Some(len) = super::emoji::sequence_len(&text[i..])
        {
            if !color.contains(&c) && !book.faces.iter().any(|f| f.raster && f.covers(c)) {
                color.push(c);
                // Not even the bundled emoji face has it: any face that does will do.
                if !book.faces.iter().any(|f| f.covers(c)) && !plain.contains(&c) {
                    plain.push(c);
                }
            }
            i += len;
            continue;
        }
        i += c.len_utf8();
        if c.is_ascii() || is_invisible(c) || c.is_whitespace() || plain.contains(&c) {
            continue;
        }
        let covered = book
            .faces
            .iter()
            .enumerate()
            .any(|(k, f)| k != fallback && f.covers(c));
        if !covered {
            plain.push(c);
        }
    }
    (plain, color)
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

/// Faces from the system folders that cover some of `missing` (or, with colour bitmaps, of
/// `color`), best first; at most one face per file, and files are read only while
/// characters remain uncovered.
fn search(missing: &[char], color: &[char], lang: &str) -> Vec<Face> {
    let mut files = Vec::new();
    for d in system_dirs() {
        font_files(&d, 0, &mut files);
    }
    let mut files: Vec<(u8, PathBuf)> = files.iter().map(|p| rank(p)).collect();
    files.sort();
    files.dedup();
    let is_emoji = |p: &Path| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().contains("emoji"))
    };
    if !color.is_empty() {
        // Emoji fonts first when a colour face is wanted (a stable sort keeps the rest).
        files.sort_by_key(|(_, p)| !is_emoji(p));
    }
    let mut left: Vec<char> = missing.to_vec();
    let mut left_color: Vec<char> = color.to_vec();
    let mut faces = Vec::new();
    let mut loaded: Vec<PathBuf> = Vec::new();
    for (_, path) in &files {
        if (left.is_empty() && left_color.is_empty()) || faces.len() >= 16 {
            break;
        }
        // Only colour emoji are wanted: only emoji fonts are read (not every CJK file).
        if left.is_empty() && !is_emoji(path) {
            continue;
        }
        let Some(face) = load(path, lang, |f| {
            left.iter().any(|c| f.glyph_index(*c).is_some())
                || (super::type3::has_color_bitmaps(f)
                    && left_color.iter().any(|c| f.glyph_index(*c).is_some()))
        }) else {
            continue;
        };
        left.retain(|c| !face.covers(*c));
        if face.raster {
            left_color.retain(|c| !face.covers(*c));
        }
        loaded.push(path.clone());
        faces.push(face);
        // The same family's bold, and its serif or sans companion, so that bold text and
        // sans headings keep their look in this script (`FontBook::face_for` picks them).
        for sib in siblings(path) {
            if faces.len() < 16
                && !loaded.contains(&sib)
                && files.iter().any(|(_, p)| *p == sib)
                && let Some(face) = load(&sib, lang, |_| true)
            {
                loaded.push(sib);
                faces.push(face);
            }
        }
    }
    faces
}

/// Reads the face of `path` for `lang` (the language's face of a collection) when `wanted`
/// says it is of use.
fn load(
    path: &Path,
    lang: &str,
    wanted: impl Fn(&rustybuzz::ttf_parser::Face) -> bool,
) -> Option<Face> {
    let bytes = std::fs::read(path).ok()?;
    let count = rustybuzz::ttf_parser::fonts_in_collection(&bytes).unwrap_or(1);
    let names: Vec<String> = (0..count).map(|i| family_name(&bytes, i)).collect();
    let index = preferred_in_collection(&names, lang) as u32;
    let bold = {
        let f = rustybuzz::ttf_parser::Face::parse(&bytes, index).ok()?;
        if !wanted(&f) {
            return None;
        }
        f.is_bold() || f.weight().to_number() >= 600
    };
    // The book lives for the whole process, so the font's bytes may too.
    let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = match names.get(index as usize) {
        Some(n) if !n.is_empty() => n.replace(' ', ""),
        _ => stem,
    };
    // A bold face says so in its name (the family name of a collection's bold file does not).
    if bold && !name.contains("Bold") {
        name.push_str("-Bold");
    }
    Face::parse_at(name, data, index)
}

/// The files of the same family in the other weight and the other style: for
/// `NotoSerifCJK-Regular.ttc`, `NotoSerifCJK-Bold.ttc`, `NotoSansCJK-Regular.ttc` and
/// `NotoSansCJK-Bold.ttc`.
fn siblings(path: &Path) -> Vec<PathBuf> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    if !name.contains("Regular") {
        return Vec::new();
    }
    let other = if name.contains("Serif") {
        name.replacen("Serif", "Sans", 1)
    } else if name.contains("Sans") {
        name.replacen("Sans", "Serif", 1)
    } else {
        name.to_string()
    };
    let mut out = Vec::new();
    for n in [
        name.replacen("Regular", "Bold", 1),
        other.clone(),
        other.replacen("Regular", "Bold", 1),
    ] {
        let p = path.with_file_name(n);
        if p != path && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Books extended with system faces, keyed by the base book and the scripts looked for.
type Cache = Vec<(usize, String, Arc<FontBook>)>;

static BOOKS: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(Vec::new()));

/// Characters that no system font covers (searched for already).
static ABSENT: Mutex<Vec<char>> = Mutex::new(Vec::new());

/// Emoji that no system colour font covers (searched for already).
static ABSENT_COLOR: Mutex<Vec<char>> = Mutex::new(Vec::new());

/// `book` plus the system faces that cover characters of `text` it lacks; `book` itself
/// when it covers everything (no folder is searched then) or no system face helps.
pub fn with_system_fonts(book: Arc<FontBook>, text: &str, lang: &str) -> Arc<FontBook> {
    let (mut missing, mut color) = wanted(&book, text);
    if missing.is_empty() && color.is_empty() {
        return book;
    }
    // Characters no system font has are looked for once per process, not per document.
    if let Ok(absent) = ABSENT.lock() {
        missing.retain(|c| !absent.contains(c));
    }
    if let Ok(absent) = ABSENT_COLOR.lock() {
        color.retain(|c| !absent.contains(c));
    }
    if missing.is_empty() && color.is_empty() {
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
            && color
                .iter()
                .all(|c| b.faces.iter().any(|f| f.raster && f.covers(*c)))
    }) {
        return b.clone();
    }
    let found = search(&missing, &color, lang);
    if let Ok(mut absent) = ABSENT.lock() {
        for c in &missing {
            if !found.iter().any(|f| f.covers(*c)) && absent.len() < 4096 {
                absent.push(*c);
            }
        }
    }
    if let Ok(mut absent) = ABSENT_COLOR.lock() {
        for c in &color {
            if !found.iter().any(|f| f.raster && f.covers(*c)) && absent.len() < 4096 {
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

/// A character as a message names it: itself, its code point and its script, e.g.
/// `𓀀 (U+13000, Egyptian Hieroglyphs)`; a private-use character says so.
pub fn describe(c: char) -> String {
    use unicode_script::{Script, UnicodeScript};
    let what = if is_private_use(c) {
        "private use".to_string()
    } else {
        match c.script() {
            Script::Unknown | Script::Common | Script::Inherited => String::new(),
            s => s.full_name().replace('_', " "),
        }
    };
    // A control or format character is named, not printed.
    let shown = if c.is_control() || is_invisible(c) {
        String::new()
    } else {
        format!("{c} ")
    };
    if what.is_empty() {
        format!("{shown}(U+{:04X})", c as u32)
    } else {
        format!("{shown}(U+{:04X}, {what})", c as u32)
    }
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// What to install for a character no font covers.
pub fn install_hint(c: char) -> &'static str {
    if is_private_use(c) {
        return "a private-use character is shown only by the font made for it: pass --font-dir with that font";
    }
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
            "install fonts-noto-color-emoji (emoji) or fonts-noto-core (Noto Sans Symbols 2, other pictographs), or pass --font-dir with a font that has them"
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
        assert_eq!(
            describe('\u{13000}'),
            "\u{13000} (U+13000, Egyptian Hieroglyphs)"
        );
        assert_eq!(describe('\u{E000}'), "\u{E000} (U+E000, private use)");
        assert!(install_hint('\u{10FFFD}').contains("private-use"));
    }
}
