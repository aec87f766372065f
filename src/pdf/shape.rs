//! Shaping: styled text in, glyphs out (rustybuzz, with kerning and standard ligatures).
//!
//! Text is shaped per styled span; inside a span each character goes to the span's face
//! when that face covers it, else to the first face of the book that does. Glyph clusters
//! are byte offsets into the paragraph text, so that every glyph can give back the source
//! characters it stands for (a ligature "ffi" gives back "ffi").

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use super::fonts::{FaceId, FontBook};

/// An RGB colour, components 0..=1.
pub type Rgb = [f32; 3];

pub const BLACK: Rgb = [0.0, 0.0, 0.0];

/// How a span of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: FaceId,
    /// Font size in points.
    pub size: f32,
    pub color: Rgb,
    /// Whether words may be hyphenated.
    pub hyphenate: bool,
    /// Baseline shift upwards, in points (superscripts positive, subscripts negative).
    pub rise: f32,
    /// Struck through.
    pub strike: bool,
}

/// A styled range of a paragraph's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Byte range into the paragraph text.
    pub range: Range<usize>,
    pub style: Style,
    /// Index into the paragraph's link targets.
    pub link: Option<u32>,
    /// Source offset of `range.start` when the span's text is the source text verbatim.
    pub source: Option<u32>,
    /// Whether the span's bytes map one to one onto the source from `source` on.
    pub exact: bool,
}

/// One shaped glyph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub face: FaceId,
    pub gid: u16,
    /// Advance in points.
    pub advance: f32,
    /// Horizontal offset from the pen position, in points.
    pub x_offset: f32,
    /// Byte offset of the glyph's cluster in the paragraph text.
    pub cluster: u32,
    /// Byte length of the text this glyph stands for: the cluster's length for the first
    /// glyph of a cluster, 0 for the others.
    pub text_len: u32,
    /// Index of the span the glyph came from.
    pub span: u32,
}

/// A character no face covers, at its first byte offset in the paragraph text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing {
    pub ch: char,
    pub at: usize,
}

/// Characters that need no glyph: they are control or formatting characters.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
        )
}

/// A glyph as the shaper gave it, in font units, with its cluster relative to the word.
#[derive(Debug, Clone, Copy)]
struct RawGlyph {
    gid: u16,
    x_advance: i32,
    x_offset: i32,
    cluster: u32,
}

/// Shape plans, shaped words and hyphenation points: words repeat, and a plan is costly.
///
/// A cache made with [`ShapeCache::for_document`] goes back to its thread when dropped and
/// serves the thread's next document of the same font book and language, so a batch shapes
/// each word about once per worker thread. It is dropped instead when it has grown past
/// [`KEEP_WORDS`] words.
#[derive(Default)]
pub struct ShapeCache {
    /// Font book serial and language, for a cache that is kept between documents.
    key: Option<(u64, Box<str>)>,
    plans: Vec<(FaceId, rustybuzz::Script, rustybuzz::ShapePlan)>,
    words: HashMap<(FaceId, Box<str>), Rc<[RawGlyph]>>,
    /// Hyphenation points of words (see [`super::hyphenate::points`]).
    pub hyphens: HashMap<Box<str>, Vec<usize>>,
}

/// The most words a cache may hold and still be kept for the next document.
const KEEP_WORDS: usize = 50_000;

thread_local! {
    static KEPT: std::cell::RefCell<Option<ShapeCache>> = const { std::cell::RefCell::new(None) };
}

impl ShapeCache {
    /// The thread's kept cache when it is for `book` and `lang`, else a new one.
    pub fn for_document(book: &FontBook, lang: &str) -> ShapeCache {
        let key = (book.serial(), Box::<str>::from(lang));
        let kept = KEPT
            .try_with(|k| k.borrow_mut().take())
            .ok()
            .flatten()
            .filter(|c| c.key.as_ref() == Some(&key));
        kept.unwrap_or_else(|| {
            let mut c = ShapeCache::default();
            c.key = Some(key);
            c
        })
    }
}

/// Forgets the thread's kept cache, so that the next document starts cold (for benchmarks
/// that want the cost of a first document).
pub fn forget_kept_cache() {
    let _ = KEPT.try_with(|k| {
        if let Ok(mut slot) = k.try_borrow_mut()
            && let Some(mut c) = slot.take()
        {
            c.key = None;
        }
    });
}

impl Drop for ShapeCache {
    fn drop(&mut self) {
        // A cache without a key is dropped for good; one with a key goes back to its thread.
        let Some(key) = self.key.take() else { return };
        if self.words.len() > KEEP_WORDS {
            return;
        }
        let mut kept = Some(ShapeCache {
            key: Some(key),
            plans: std::mem::take(&mut self.plans),
            words: std::mem::take(&mut self.words),
            hyphens: std::mem::take(&mut self.hyphens),
        });
        // During thread exit the slot may be gone; then the cache is simply dropped.
        let old = KEPT
            .try_with(|k| match k.try_borrow_mut() {
                Ok(mut slot) => std::mem::replace(&mut *slot, kept.take()),
                Err(_) => None,
            })
            .ok()
            .flatten();
        let mut rest = [old, kept];
        for c in rest.iter_mut().flatten() {
            c.key = None;
        }
    }
}

impl std::fmt::Debug for ShapeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ShapeCache({} words)", self.words.len())
    }
}

/// Shapes every span of `text`, in order. Glyphs of invisible characters are dropped.
pub fn shape(
    book: &FontBook,
    cache: &mut ShapeCache,
    text: &str,
    spans: &[Span],
    lang: &str,
    missing: &mut Vec<Missing>,
) -> Vec<Glyph> {
    let mut out = Vec::with_capacity(text.len());
    let language = lang.parse::<rustybuzz::Language>().ok();
    for (si, span) in spans.iter().enumerate() {
        let Some(span_text) = text.get(span.range.clone()) else {
            continue;
        };
        // Split the span into runs of one face each; an emoji sequence goes whole to an
        // emoji face (colour first), whose GSUB makes it one glyph.
        let mut runs: Vec<(FaceId, Range<usize>)> = Vec::new();
        let mut current: Option<FaceId> = None;
        let mut i = 0;
        while let Some(c) = span_text[i..].chars().next() {
            let at = span.range.start + i;
            if let Some(len) = super::emoji::sequence_len(&span_text[i..])
                && let Some(face) = book.emoji_face_for(c)
            {
                match runs.last_mut() {
                    Some((f, r)) if *f == face => r.end = at + len,
                    _ => runs.push((face, at..at + len)),
                }
                // What follows (a space, say) goes back to the span's face.
                current = None;
                i += len;
                continue;
            }
            i += c.len_utf8();
            let face = if is_invisible(c) {
                current.unwrap_or(span.style.face)
            } else if c.is_whitespace() {
                // A space after an emoji set in an emoji face (a colour one has wide,
                // blank spaces) goes back to the span's face.
                current
                    .filter(|f| !book.face(*f).raster && *f != book.emoji_fallback())
                    .unwrap_or(span.style.face)
            } else if book.face(span.style.face).covers(c) {
                span.style.face
            } else if let Some(f) = current.filter(|f| book.face(*f).covers(c)) {
                f
            } else {
                match book.face_for(span.style.face, c) {
                    Some(f) => f,
                    None => {
                        if !missing.iter().any(|m| m.ch == c) {
                            missing.push(Missing { ch: c, at });
                        }
                        span.style.face
                    }
                }
            };
            match runs.last_mut() {
                Some((f, r)) if *f == face => r.end = at + c.len_utf8(),
                _ => runs.push((face, at..at + c.len_utf8())),
            }
            current = Some(face);
        }
        for (face_id, range) in runs {
            shape_run(
                book,
                cache,
                text,
                face_id,
                range,
                span.style.size,
                si as u32,
                language.as_ref(),
                &mut out,
                missing,
            );
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn shape_run(
    book: &FontBook,
    cache: &mut ShapeCache,
    text: &str,
    face_id: FaceId,
    range: Range<usize>,
    size: f32,
    span: u32,
    language: Option<&rustybuzz::Language>,
    out: &mut Vec<Glyph>,
    missing: &mut Vec<Missing>,
) {
    let Some(run_text) = text.get(range.clone()) else {
        return;
    };
    let face = book.face(face_id);
    let scale = size / face.units_per_em;
    // An emoji face keeps the whole sequence as the glyph's text, selectors and joiners
    // included, so that copied text is exact.
    let emoji = face.raster || face_id == book.emoji_fallback();
    let start = out.len();
    // Shape word by word (and space by space): the same words recur throughout a text.
    let mut word_start = 0;
    let bytes = run_text.as_bytes();
    while word_start < run_text.len() {
        let space = bytes[word_start] == b' ';
        let mut end = word_start + 1;
        while end < run_text.len() && (bytes[end] == b' ') == space {
            end += 1;
        }
        while !run_text.is_char_boundary(end) {
            end += 1;
        }
        let word = &run_text[word_start..end];
        let glyphs = shape_word(cache, face, face_id, word, language);
        let base = range.start + word_start;
        for g in glyphs.iter() {
            let cluster = base + g.cluster as usize;
            let c = text[cluster..].chars().next().unwrap_or(' ');
            if is_invisible(c) {
                continue;
            }
            // No glyph (`.notdef`): the writer draws the replacement glyph instead, one em
            // wide, and the character is reported.
            let none = g.gid == 0 && !c.is_whitespace();
            if none && !missing.iter().any(|m| m.ch == c) {
                missing.push(Missing { ch: c, at: cluster });
            }
            out.push(Glyph {
                face: face_id,
                gid: g.gid,
                advance: if none {
                    size * super::fonts::REPLACEMENT_WIDTH / 1000.0
                } else {
                    g.x_advance as f32 * scale
                },
                x_offset: if none { 0.0 } else { g.x_offset as f32 * scale },
                cluster: cluster as u32,
                text_len: 0,
                span,
            });
        }
        word_start = end;
    }
    // Give the first glyph of each cluster the cluster's text, up to the next cluster.
    let glyphs = &mut out[start..];
    let mut i = 0;
    while i < glyphs.len() {
        let c = glyphs[i].cluster;
        let mut j = i + 1;
        while j < glyphs.len() && glyphs[j].cluster == c {
            j += 1;
        }
        let mut end = glyphs.get(j).map_or(range.end as u32, |g| g.cluster);
        if end < c {
            end = range.end as u32;
        }
        // Invisible characters between clusters are not part of the text given back.
        let mut len = end - c;
        if !emoji && let Some(s) = text.get(c as usize..end as usize) {
            let visible = s.trim_end_matches(is_invisible).len();
            len = visible as u32;
        }
        glyphs[i].text_len = len;
        if j - i > 1 {
            split_marks(face, text, &mut glyphs[i..j]);
        }
        i = j;
    }
}

/// A cluster of several glyphs (a letter with its marks: Arabic vowels, shadda, accents):
/// each mark glyph that is the nominal glyph of one of the cluster's characters gives back
/// that character, and the base glyph the rest, so that the text of every glyph is exact
/// whatever the glyph order of the cluster (right-to-left clusters are turned round).
fn split_marks(face: &super::fonts::Face, text: &str, group: &mut [Glyph]) {
    let start = group[0].cluster as usize;
    let total = group[0].text_len as usize;
    let Some(cluster_text) = text.get(start..start + total) else {
        return;
    };
    let first_len = cluster_text.chars().next().map_or(0, char::len_utf8);
    let mut base_len = total;
    let mut marks: Vec<(usize, u32, u32)> = Vec::new(); // (glyph, offset, len)
    for (k, g) in group.iter().enumerate() {
        for (off, c) in cluster_text.char_indices().skip(1) {
            if marks.iter().any(|m| m.1 == (start + off) as u32) {
                continue;
            }
            if face.shaper.glyph_index(c).map(|id| id.0) == Some(g.gid) {
                marks.push((k, (start + off) as u32, c.len_utf8() as u32));
                base_len = base_len.min(off);
                break;
            }
        }
    }
    if marks.is_empty() {
        return;
    }
    // The marks must be the cluster's tail, after the base letters.
    let tail: usize = marks.iter().map(|m| m.2 as usize).sum();
    if base_len < first_len || base_len + tail != total {
        return;
    }
    let base = (0..group.len())
        .find(|k| !marks.iter().any(|m| m.0 == *k))
        .unwrap_or(0);
    for g in group.iter_mut() {
        g.text_len = 0;
    }
    group[base].text_len = base_len as u32;
    for (k, off, len) in marks {
        group[k].cluster = off;
        group[k].text_len = len;
    }
}

fn shape_word(
    cache: &mut ShapeCache,
    face: &super::fonts::Face,
    face_id: FaceId,
    word: &str,
    language: Option<&rustybuzz::Language>,
) -> Rc<[RawGlyph]> {
    if let Some(g) = cache.words.get(&(face_id, Box::from(word))) {
        return g.clone();
    }
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(word);
    buffer.set_direction(rustybuzz::Direction::LeftToRight);
    if let Some(l) = language {
        buffer.set_language(l.clone());
    }
    buffer.guess_segment_properties();
    let script = buffer.script();
    // Right-to-left scripts are shaped right to left (Arabic joining needs it); the glyphs
    // are then kept in logical order, and the line is put in visual order by `bidi`.
    let rtl = super::bidi::is_rtl_script(script);
    let direction = if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    };
    buffer.set_direction(direction);
    let plan_at = match cache
        .plans
        .iter()
        .position(|(f, s, _)| *f == face_id && *s == script)
    {
        Some(i) => i,
        None => {
            let plan =
                rustybuzz::ShapePlan::new(&face.shaper, direction, Some(script), language, &[]);
            cache.plans.push((face_id, script, plan));
            cache.plans.len() - 1
        }
    };
    let shaped = rustybuzz::shape_with_plan(&face.shaper, &cache.plans[plan_at].2, buffer);
    let mut raw: Vec<RawGlyph> = shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, pos)| RawGlyph {
            gid: info.glyph_id as u16,
            x_advance: pos.x_advance,
            x_offset: pos.x_offset,
            cluster: info.cluster,
        })
        .collect();
    if rtl {
        raw.reverse();
    }
    let glyphs: Rc<[RawGlyph]> = raw.into();
    cache
        .words
        .insert((face_id, Box::from(word)), glyphs.clone());
    glyphs
}

#[cfg(test)]
mod tests {
    use super::super::fonts::Bundled;
    use super::*;

    fn style() -> Style {
        Style {
            face: Bundled::Serif.id(),
            size: 10.0,
            color: BLACK,
            hyphenate: true,
            rise: 0.0,
            strike: false,
        }
    }

    /// `text` shaped in one span of [`style`], with the characters missing.
    fn shape_one(book: &FontBook, text: &str, lang: &str) -> (Vec<Glyph>, Vec<Missing>) {
        let spans = [Span {
            range: 0..text.len(),
            style: style(),
            link: None,
            source: None,
            exact: true,
        }];
        let mut missing = Vec::new();
        let g = shape(
            book,
            &mut ShapeCache::default(),
            text,
            &spans,
            lang,
            &mut missing,
        );
        (g, missing)
    }

    #[test]
    fn ligature_keeps_its_text() {
        let book = FontBook::bundled();
        let text = "office";
        let (g, missing) = shape_one(&book, text, "en-US");
        assert!(missing.is_empty());
        // Noto Serif has an "ffi" ligature: fewer glyphs than characters.
        assert!(g.len() < text.len(), "{g:?}");
        let total: u32 = g.iter().map(|g| g.text_len).sum();
        assert_eq!(total as usize, text.len());
        let lig = g.iter().find(|g| g.text_len == 3).expect("an ffi ligature");
        assert_eq!(&text[lig.cluster as usize..][..3], "ffi");
    }

    #[test]
    fn reports_uncovered_characters_once() {
        let book = FontBook::bundled();
        let (_, missing) = shape_one(&book, "a\u{4E2D}b\u{4E2D}", "en");
        assert_eq!(
            missing,
            vec![Missing {
                ch: '\u{4E2D}',
                at: 1
            }]
        );
    }
}
