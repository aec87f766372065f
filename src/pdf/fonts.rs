//! The font book: the bundled Noto faces (and any from `--font-dir`), parsed once per process.
//!
//! A face is known by its index in the book ([`FaceId`]). The first nine are the bundled
//! faces in the order of [`Bundled`]; faces from extra directories (and system fonts) follow
//! and serve as fallbacks for characters the bundled faces lack. The bundled monochrome
//! emoji face (Noto Emoji) is always the book's last face: the fallback of last resort for
//! emoji, after any colour emoji face found (see [`FontBook::emoji_face_for`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// Index of a face in a [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub u16);

/// The bundled faces, in book order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundled {
    Serif = 0,
    SerifItalic = 1,
    SerifBold = 2,
    SerifBoldItalic = 3,
    Sans = 4,
    SansBold = 5,
    Mono = 6,
    NaskhArabic = 7,
    NaskhArabicBold = 8,
}

impl Bundled {
    pub fn id(self) -> FaceId {
        FaceId(self as u16)
    }
}

const BUNDLED: [(&str, &[u8]); 9] = [
    (
        "NotoSerif-Regular",
        include_bytes!("../../fonts/NotoSerif-Regular.ttf"),
    ),
    (
        "NotoSerif-Italic",
        include_bytes!("../../fonts/NotoSerif-Italic.ttf"),
    ),
    (
        "NotoSerif-Bold",
        include_bytes!("../../fonts/NotoSerif-Bold.ttf"),
    ),
    (
        "NotoSerif-BoldItalic",
        include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf"),
    ),
    (
        "NotoSans-Regular",
        include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    ),
    (
        "NotoSans-Bold",
        include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    ),
    (
        "NotoSansMono-Regular",
        include_bytes!("../../fonts/NotoSansMono-Regular.ttf"),
    ),
    (
        "NotoNaskhArabic-Regular",
        include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf"),
    ),
    (
        "NotoNaskhArabic-Bold",
        include_bytes!("../../fonts/NotoNaskhArabic-Bold.ttf"),
    ),
];

/// The bundled font files (name, bytes), for other readers of text (SVG text in
/// [`crate::assets`] is set with them).
pub fn bundled_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUNDLED.iter().copied().chain(std::iter::once(EMOJI))
}

/// The bundled monochrome emoji face (Noto Emoji, OFL; see `fonts/README.md`).
static EMOJI: (&str, &[u8]) = (
    "NotoEmoji-Regular",
    include_bytes!("../../fonts/NotoEmoji-Regular.ttf"),
);

/// Width of the replacement glyph drawn for a character no face covers (U+FFFD of Noto
/// Sans), in thousandths of an em.
pub const REPLACEMENT_WIDTH: f32 = 1000.0;

/// One parsed face.
pub struct Face {
    pub name: String,
    pub data: &'static [u8],
    pub shaper: rustybuzz::Face<'static>,
    pub units_per_em: f32,
    /// Ascender and descender in font units (descender negative).
    pub ascender: f32,
    pub descender: f32,
    /// Index of the face in its file (a TrueType/OpenType collection may hold several).
    pub index: u32,
    /// Whether the face draws its glyphs as colour bitmaps (`CBDT`/`CBLC` as in Noto Color
    /// Emoji, or `sbix`): the writer embeds them as a Type 3 font of images.
    pub raster: bool,
    /// Coverage of the characters below [`COVERAGE_LIMIT`], two bits each (asked, covered),
    /// filled in as characters are asked about.
    coverage: Box<[AtomicU64]>,
}

/// Answers for characters below this are kept (see [`Face::covers`]).
const COVERAGE_LIMIT: u32 = 0x3400;
const COVERAGE_WORDS: usize = (COVERAGE_LIMIT / 32) as usize;

impl Face {
    fn parse(name: String, data: &'static [u8]) -> Option<Face> {
        Face::parse_at(name, data, 0)
    }

    /// Parses face `index` of `data` (0 for a single font file).
    pub fn parse_at(name: String, data: &'static [u8], index: u32) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(data, index)?;
        let units_per_em = shaper.units_per_em() as f32;
        if units_per_em <= 0.0 {
            return None;
        }
        let tables = shaper.tables();
        let raster = tables.cbdt.is_some() || tables.sbix.is_some();
        Some(Face {
            name,
            data,
            raster,
            ascender: shaper.ascender() as f32,
            descender: shaper.descender() as f32,
            units_per_em,
            index,
            shaper,
            coverage: (0..COVERAGE_WORDS).map(|_| AtomicU64::new(0)).collect(),
        })
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        let u = c as u32;
        if u >= COVERAGE_LIMIT {
            return self.shaper.glyph_index(c).is_some_and(|g| g.0 != 0);
        }
        // Each character's answer is looked up once and kept: two bits per character, one
        // saying it was asked, one the answer. Threads racing on a character store the same
        // answer.
        let word = &self.coverage[(u / 32) as usize];
        let shift = 2 * (u % 32);
        let bits = word.load(Ordering::Relaxed) >> shift;
        if bits & 1 != 0 {
            return bits & 2 != 0;
        }
        let covered = self.shaper.glyph_index(c).is_some_and(|g| g.0 != 0);
        word.fetch_or((1 | (covered as u64) << 1) << shift, Ordering::Relaxed);
        covered
    }

    /// Advance of a glyph in thousandths of an em, as the writer puts it into `/W`. Glyph 0
    /// stands for a character no face covers, drawn as the replacement glyph
    /// ([`REPLACEMENT_WIDTH`]).
    pub fn pdf_width(&self, gid: u16) -> f32 {
        if gid == 0 {
            return REPLACEMENT_WIDTH;
        }
        self.advance_width(gid)
    }

    /// The font's own advance of a glyph, in thousandths of an em.
    pub fn advance_width(&self, gid: u16) -> f32 {
        let adv = self
            .shaper
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
            .unwrap_or(0) as f32;
        (adv * 1000.0 / self.units_per_em).trunc()
    }
}

/// The faces available to layout.
pub struct FontBook {
    pub faces: Vec<Face>,
    /// The bundled monochrome emoji face: always the last face.
    emoji_fallback: FaceId,
    /// Distinguishes books for caches that outlive a document (see `shape::ShapeCache`).
    serial: u64,
}

impl std::fmt::Debug for FontBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.faces.iter().map(|x| x.name.as_str()).collect();
        write!(f, "FontBook({names:?})")
    }
}

static BUNDLED_BOOK: LazyLock<Arc<FontBook>> = LazyLock::new(|| {
    Arc::new(FontBook::new(
        BUNDLED
            .iter()
            .filter_map(|(name, data)| Face::parse((*name).to_string(), data))
            .collect(),
    ))
});

/// Books with extra font directories, keyed by the directories, so each is read once.
type BookCache = Vec<(Vec<PathBuf>, Arc<FontBook>)>;

static EXTRA_BOOKS: LazyLock<Mutex<BookCache>> = LazyLock::new(|| Mutex::new(Vec::new()));

impl FontBook {
    /// A book of `faces`, with the bundled emoji face moved (or added) to its end.
    pub fn new(mut faces: Vec<Face>) -> FontBook {
        static SERIAL: AtomicU64 = AtomicU64::new(0);
        faces.retain(|f| !std::ptr::eq(f.data, EMOJI.1));
        faces.truncate(u16::MAX as usize - 1);
        if let Some(f) = Face::parse(EMOJI.0.to_string(), EMOJI.1) {
            faces.push(f);
        }
        FontBook {
            emoji_fallback: FaceId((faces.len() - 1) as u16),
            faces,
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The bundled monochrome emoji face.
    pub fn emoji_fallback(&self) -> FaceId {
        self.emoji_fallback
    }

    /// The face for an emoji sequence starting with `c`: the first colour (bitmap) face that
    /// covers it, else the bundled monochrome emoji face when it does.
    pub fn emoji_face_for(&self, c: char) -> Option<FaceId> {
        self.faces
            .iter()
            .position(|f| f.raster && f.covers(c))
            .map(|i| FaceId(i as u16))
            .or_else(|| {
                self.face(self.emoji_fallback)
                    .covers(c)
                    .then_some(self.emoji_fallback)
            })
    }

    /// A number no other book of this process has.
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// The bundled faces, parsed on first use.
    pub fn bundled() -> Arc<FontBook> {
        BUNDLED_BOOK.clone()
    }

    /// The bundled faces plus every `.ttf`/`.otf` file in `dirs` (not recursive), in
    /// file-name order. Each set of directories is read once per process. Files that do
    /// not parse are skipped and named in the returned warnings.
    pub fn with_dirs(dirs: &[PathBuf]) -> (Arc<FontBook>, Vec<String>) {
        if dirs.is_empty() {
            return (FontBook::bundled(), Vec::new());
        }
        let mut cache = match EXTRA_BOOKS.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some((_, book)) = cache.iter().find(|(d, _)| d == dirs) {
            return (book.clone(), Vec::new());
        }
        let mut warnings = Vec::new();
        let mut faces: Vec<Face> = BUNDLED
            .iter()
            .filter_map(|(name, data)| Face::parse((*name).to_string(), data))
            .collect();
        for dir in dirs {
            let mut files = font_files(dir, &mut warnings);
            files.sort();
            for path in files {
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        // The book lives for the whole process, so its bytes may too.
                        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                        let name = path
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        match Face::parse(name, data) {
                            Some(face) if faces.len() < u16::MAX as usize => faces.push(face),
                            _ => warnings.push(format!(
                                "{}: not a font this program can read; skipped",
                                path.display()
                            )),
                        }
                    }
                    Err(e) => warnings.push(format!("{}: {e}", path.display())),
                }
            }
        }
        let book = Arc::new(FontBook::new(faces));
        cache.push((dirs.to_vec(), book.clone()));
        (book, warnings)
    }

    pub fn face(&self, id: FaceId) -> &Face {
        // Faces 0..7 always exist: the bundled fonts are compiled in and known to parse.
        &self.faces[(id.0 as usize).min(self.faces.len().saturating_sub(1))]
    }

    /// The face to use for `c`: `preferred` when it covers it, else the first face of the
    /// book that does, else `None`.
    pub fn face_for(&self, preferred: FaceId, c: char) -> Option<FaceId> {
        if self.face(preferred).covers(c) {
            return Some(preferred);
        }
        // Bold text keeps its weight in the bundled Arabic face.
        let bold = [
            Bundled::SerifBold,
            Bundled::SerifBoldItalic,
            Bundled::SansBold,
        ]
        .iter()
        .any(|b| b.id() == preferred);
        if bold && self.face(Bundled::NaskhArabicBold.id()).covers(c) {
            return Some(Bundled::NaskhArabicBold.id());
        }
        // Colour bitmap faces and the bundled emoji face serve emoji sequences (see
        // `shape`), and other characters only when no text face has them.
        let is_text =
            |i: usize, f: &Face| !f.raster && i != self.emoji_fallback.0 as usize && f.covers(c);
        let text = self
            .faces
            .iter()
            .enumerate()
            .position(|(i, f)| is_text(i, f));
        // Among the faces added to the bundled ones (system CJK faces, `--font-dir`), the one
        // of the preferred face's kind: sans for sans, bold for bold (CJK has no italic, so
        // italic text stays upright), as a typesetter would pair them (issue 16).
        if let Some(first) = text.filter(|&i| i >= BUNDLED.len()) {
            let want = style_of(&self.face(preferred).name);
            let matching = |pred: &dyn Fn((bool, bool)) -> bool| {
                (first..self.faces.len())
                    .find(|&i| is_text(i, &self.faces[i]) && pred(style_of(&self.faces[i].name)))
            };
            let best = matching(&|s| s == want)
                .or_else(|| matching(&|s| s.1 == want.1))
                .unwrap_or(first);
            return Some(FaceId(best as u16));
        }
        text.or_else(|| self.faces.iter().position(|f| f.covers(c)))
            .map(|i| FaceId(i as u16))
    }
}

/// Whether a face is sans-serif and bold, from its name (`NotoSans-Bold`,
/// `NotoSerifCJKSC-Bold`, `NotoSansCJKSC`).
pub fn style_of(name: &str) -> (bool, bool) {
    (name.contains("Sans"), name.contains("Bold"))
}

fn font_files(dir: &Path, warnings: &mut Vec<String>) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case("ttf") || e.eq_ignore_ascii_case("otf"))
            })
            .collect(),
        Err(e) => {
            warnings.push(format!("font directory {}: {e}", dir.display()));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_parse_and_cover_latin_greek_cyrillic() {
        let book = FontBook::bundled();
        assert_eq!(book.faces.len(), 10);
        assert_eq!(book.emoji_fallback(), FaceId(9));
        assert_eq!(book.emoji_face_for('🎉'), Some(FaceId(9)));
        assert_eq!(
            book.face_for(Bundled::Serif.id(), '1'),
            Some(Bundled::Serif.id())
        );
        assert!(book.face(Bundled::NaskhArabic.id()).covers('\u{0627}'));
        assert_eq!(
            book.face_for(Bundled::Serif.id(), '\u{0627}'),
            Some(Bundled::NaskhArabic.id())
        );
        let serif = book.face(Bundled::Serif.id());
        for c in ['a', 'é', 'α', 'Ж', '“', '—'] {
            assert!(serif.covers(c), "{c}");
        }
        assert!(!serif.covers('\u{4E2D}'));
        assert_eq!(book.face_for(Bundled::Serif.id(), '\u{4E2D}'), None);
    }

    /// The coverage bitmap, built from the cmap subtables, agrees with asking the font
    /// character by character.
    #[test]
    fn coverage_matches_glyph_lookup() {
        let book = FontBook::bundled();
        for face in &book.faces {
            for u in 0..0x3000u32 {
                let Some(c) = char::from_u32(u) else { continue };
                let direct = face.shaper.glyph_index(c).is_some_and(|g| g.0 != 0);
                assert_eq!(face.covers(c), direct, "{} U+{u:04X}", face.name);
            }
        }
    }
}
