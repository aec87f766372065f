//! Type 3 fonts: glyphs that the writer draws itself, as Typst does through krilla.
//!
//! - **Colour emoji.** A face with colour bitmaps (`CBDT`/`CBLC` as in Noto Color Emoji, or
//!   `sbix`) has no outlines a PDF font program could carry; each glyph the document uses
//!   becomes a glyph procedure that draws the glyph's PNG as an image (RGB with an `SMask`),
//!   placed by the strike's metrics so that it sits on the baseline at the line's em.
//! - **Replacement.** A character no face covers is drawn as U+FFFD of the bundled Noto Sans
//!   (an outline, filled in the text's colour), never as `.notdef`; each such character has a
//!   code of its own, so that the ToUnicode map gives back the character itself.
//!
//! A Type 3 font is a simple font: one byte a glyph. Codes 0x21–0x7E and 0xA1–0xFF are used
//! (printpdf writes them as they are), 0x20 is an empty word space; a document that uses
//! more glyphs than that gets more fonts. Pure data: [`super::emit`] writes it.

use std::collections::HashMap;
use std::fmt::Write;

use rustybuzz::ttf_parser::{self, GlyphId, OutlineBuilder, RasterImageFormat};

use super::fonts::{Bundled, FaceId, FontBook, REPLACEMENT_WIDTH};
use super::layout::Item;

/// The code of the word space in every Type 3 font.
pub const SPACE: u8 = 0x20;

/// Width of the word space, in thousandths of an em.
const SPACE_WIDTH: i64 = 250;

/// What a Type 3 font's glyphs come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The colour bitmaps of a face.
    Raster(FaceId),
    /// The replacement glyph.
    Replacement,
    /// Outlines of the bundled emoji face, for a glyph that stands for a second text (`❤`
    /// and `❤\u{FE0F}` are one glyph; its Type 0 font's ToUnicode gives back only the first).
    Outline(FaceId),
}

/// One Type 3 font: its glyphs' codes, in order.
#[derive(Debug, Clone)]
pub struct Font {
    /// The resource name on the pages.
    pub resource: String,
    pub source: Source,
    /// (code, glyph id in the source face (0 for the replacement), the text it stands for).
    pub glyphs: Vec<(u8, u16, String)>,
}

/// Where each special glyph of a document is drawn: a Type 3 font and a code in it.
#[derive(Debug, Default)]
pub struct Plan {
    pub fonts: Vec<Font>,
    /// Colour and outline glyphs, keyed by the text too: one glyph may stand for `❤` and for `❤\u{FE0F}`, and each
    /// code's ToUnicode entry gives back one text.
    raster: HashMap<(FaceId, u16, String), (usize, u8)>,
    replacement: HashMap<String, (usize, u8)>,
}

/// A [`Plan`] made page by page (each page met once, in order).
#[derive(Default)]
pub struct Planner {
    pub plan: Plan,
    /// The first text of each glyph of the bundled emoji face (as `emit::subsets` keeps it).
    first: HashMap<u16, String>,
}

impl Planner {
    /// Plans the glyphs of `page` that need a Type 3 font.
    pub fn note(&mut self, book: &FontBook, page: &super::layout::Page) {
        let (plan, first) = (&mut self.plan, &mut self.first);
        let fallback = book.emoji_fallback();
        for p in &page.items {
            let Item::Text(run) = &p.item else { continue };
            let raster = book.face(run.face).raster;
            for g in &run.glyphs {
                if g.gid == 0 {
                    plan.add(Source::Replacement, 0, g.text.as_str());
                } else if raster {
                    plan.add(Source::Raster(run.face), g.gid, g.text.as_str());
                } else if run.face == fallback && !g.text.is_empty() {
                    match first.get(&g.gid) {
                        None => {
                            first.insert(g.gid, g.text.as_str().to_string());
                        }
                        Some(t) if t != g.text.as_str() => {
                            plan.add(Source::Outline(run.face), g.gid, g.text.as_str())
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
}

/// The codes, in order of use.
fn code(i: usize) -> u8 {
    if i < 94 {
        0x21 + i as u8
    } else {
        0xA1 + (i - 94) as u8
    }
}

/// Glyphs per font: 94 + 95 codes.
const PER_FONT: usize = 189;

impl Plan {
    /// Plans the Type 3 fonts for the glyphs of `pages` that need one: those of colour
    /// faces and those no face has (glyph 0), in order of first use.
    pub fn new(book: &FontBook, pages: &[super::layout::Page]) -> Plan {
        let mut planner = Planner::default();
        for page in pages {
            planner.note(book, page);
        }
        planner.plan
    }

    fn add(&mut self, source: Source, gid: u16, text: &str) {
        match source {
            Source::Raster(face) | Source::Outline(face) => {
                let key = (face, gid, text.to_string());
                if self.raster.contains_key(&key) {
                    return;
                }
                let at = self.slot(source);
                self.raster.insert(key, at);
                self.fonts[at.0].glyphs.push((at.1, gid, text.to_string()));
            }
            Source::Replacement => {
                if self.replacement.contains_key(text) {
                    return;
                }
                let at = self.slot(source);
                self.replacement.insert(text.to_string(), at);
                self.fonts[at.0].glyphs.push((at.1, 0, text.to_string()));
            }
        }
    }

    /// The font and code for the next glyph of `source`.
    fn slot(&mut self, source: Source) -> (usize, u8) {
        let open = self
            .fonts
            .iter()
            .rposition(|f| f.source == source)
            .filter(|&i| self.fonts[i].glyphs.len() < PER_FONT);
        let i = match open {
            Some(i) => i,
            None => {
                self.fonts.push(Font {
                    resource: format!("T{}", self.fonts.len()),
                    source,
                    glyphs: Vec::new(),
                });
                self.fonts.len() - 1
            }
        };
        (i, code(self.fonts[i].glyphs.len()))
    }

    /// The font and code of a glyph of a run in `face`, when it is drawn by a Type 3 font.
    pub fn lookup(
        &self,
        book: &FontBook,
        face: FaceId,
        gid: u16,
        text: &str,
    ) -> Option<(usize, u8)> {
        if gid == 0 {
            self.replacement.get(text).copied()
        } else if book.face(face).raster || face == book.emoji_fallback() {
            self.raster.get(&(face, gid, text.to_string())).copied()
        } else {
            None
        }
    }

    /// Width of a code of font `font`, in thousandths of an em (as in its `/Widths`).
    pub fn width(&self, book: &FontBook, font: usize, code: u8) -> f32 {
        let Some(f) = self.fonts.get(font) else {
            return 0.0;
        };
        if code == SPACE {
            return SPACE_WIDTH as f32;
        }
        match f.source {
            Source::Replacement => REPLACEMENT_WIDTH,
            Source::Raster(face) | Source::Outline(face) => f
                .glyphs
                .iter()
                .find(|g| g.0 == code)
                .map_or(0.0, |g| book.face(face).advance_width(g.1)),
        }
    }
}

/// An image a glyph procedure draws: 8-bit RGB and, when not opaque, 8-bit alpha.
#[derive(Debug, Clone)]
pub struct Bitmap {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
}

/// One glyph as written.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub code: u8,
    /// Advance, in thousandths of an em.
    pub width: i64,
    /// The glyph procedure; its image, if any, is `/Im<code>` of the font's resources.
    pub procedure: String,
    pub image: Option<Bitmap>,
    /// Bounding box in glyph space.
    pub bbox: [f32; 4],
}

/// A font made: its glyphs (the word space first), bounding box and ToUnicode map.
#[derive(Debug, Clone)]
pub struct Made {
    pub glyphs: Vec<Glyph>,
    pub bbox: [f32; 4],
    pub to_unicode: String,
    /// A name for the font descriptor.
    pub name: String,
}

/// Makes the glyph procedures (decoding the bitmaps) of each planned font.
pub fn make(book: &FontBook, plan: &Plan) -> Vec<Made> {
    let replacement = replacement_outline(book);
    plan.fonts
        .iter()
        .map(|f| {
            let mut glyphs = vec![Glyph {
                code: SPACE,
                width: SPACE_WIDTH,
                procedure: format!("{SPACE_WIDTH} 0 0 0 0 0 d1\n"),
                image: None,
                bbox: [0.0; 4],
            }];
            for (code, gid, text) in &f.glyphs {
                // A colour face's glyph without a bitmap is drawn by its outline, if it has
                // one, else as the replacement glyph.
                let drawn = match f.source {
                    Source::Raster(face) => raster_glyph(book, face, *gid, *code),
                    Source::Replacement | Source::Outline(_) => None,
                };
                let own = match (f.source, &drawn) {
                    (Source::Raster(face) | Source::Outline(face), None) => {
                        outline(book.face(face), *gid)
                    }
                    _ => None,
                };
                let g = drawn.unwrap_or_else(|| {
                    let width = match f.source {
                        Source::Raster(face) | Source::Outline(face) => {
                            book.face(face).advance_width(*gid) as i64
                        }
                        Source::Replacement => REPLACEMENT_WIDTH as i64,
                    };
                    if text.chars().all(char::is_whitespace) {
                        return Glyph {
                            code: *code,
                            width,
                            procedure: format!("{width} 0 0 0 0 0 d1\n"),
                            image: None,
                            bbox: [0.0; 4],
                        };
                    }
                    let (path, bb) = own.as_ref().unwrap_or(&replacement);
                    Glyph {
                        code: *code,
                        width,
                        procedure: format!(
                            "{width} 0 {} {} {} {} d1\n{path}f\n",
                            num(bb[0]),
                            num(bb[1]),
                            num(bb[2]),
                            num(bb[3])
                        ),
                        image: None,
                        bbox: *bb,
                    }
                });
                glyphs.push(g);
            }
            let mut bbox = [0.0f32; 4];
            for g in &glyphs {
                bbox[0] = bbox[0].min(g.bbox[0]);
                bbox[1] = bbox[1].min(g.bbox[1]);
                bbox[2] = bbox[2].max(g.bbox[2]);
                bbox[3] = bbox[3].max(g.bbox[3]);
            }
            let mut texts: Vec<(u8, &str)> = vec![(SPACE, " ")];
            texts.extend(f.glyphs.iter().map(|(c, _, t)| (*c, t.as_str())));
            let name = match f.source {
                Source::Raster(face) | Source::Outline(face) => book
                    .face(face)
                    .name
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect(),
                Source::Replacement => "Replacement".to_string(),
            };
            Made {
                glyphs,
                bbox,
                to_unicode: to_unicode(&texts),
                name,
            }
        })
        .collect()
}

/// A number for a content stream: at most three decimals, no trailing zeros.
fn num(v: f32) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// The largest bitmap a glyph may have (a side, in pixels).
const MAX_SIDE: u32 = 1024;

/// A colour glyph: its bitmap drawn at its place in the em.
fn raster_glyph(book: &FontBook, face: FaceId, gid: u16, code: u8) -> Option<Glyph> {
    let f = book.face(face);
    let img = f.shaper.glyph_raster_image(GlyphId(gid), u16::MAX)?;
    if img.format != RasterImageFormat::PNG || img.pixels_per_em == 0 {
        return None;
    }
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(img.data), image::ImageFormat::Png);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(64 << 20);
    reader.limits(limits);
    let rgba = reader.decode().ok()?.to_rgba8();
    let (w, h) = rgba.dimensions();
    if w == 0 || h == 0 {
        return None;
    }
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    let mut alpha = Vec::with_capacity((w * h) as usize);
    for px in rgba.pixels() {
        rgb.extend_from_slice(&px.0[..3]);
        alpha.push(px.0[3]);
    }
    let opaque = alpha.iter().all(|&a| a == 255);
    let s = 1000.0 / img.pixels_per_em as f32;
    let (iw, ih) = if img.width > 0 && img.height > 0 {
        (img.width as f32, img.height as f32)
    } else {
        (w as f32, h as f32)
    };
    let (x, y, sw, sh) = (img.x as f32 * s, img.y as f32 * s, iw * s, ih * s);
    let width = f.advance_width(gid) as i64;
    Some(Glyph {
        code,
        width,
        procedure: format!(
            "{width} 0 d0\nq {} 0 0 {} {} {} cm /Im{code} Do Q\n",
            num(sw),
            num(sh),
            num(x),
            num(y)
        ),
        image: Some(Bitmap {
            width: w,
            height: h,
            rgb,
            alpha: (!opaque).then_some(alpha),
        }),
        bbox: [x, y, x + sw, y + sh],
    })
}

/// U+FFFD of the bundled Noto Sans as a PDF path in thousandths of an em, with its
/// bounding box; a box when the face lacks it.
fn replacement_outline(book: &FontBook) -> (String, [f32; 4]) {
    let face = book.face(Bundled::Sans.id());
    let outline = face
        .shaper
        .glyph_index('\u{FFFD}')
        .and_then(|g| outline(face, g.0));
    match outline {
        Some(o) => o,
        // A box with a thick border: the inner rectangle runs the other way, so that the
        // nonzero fill leaves it empty.
        _ => (
            "100 0 m 900 0 l 900 700 l 100 700 l h 160 60 m 160 640 l 840 640 l 840 60 l h\n"
                .to_string(),
            [100.0, 0.0, 900.0, 700.0],
        ),
    }
}

/// A glyph's outline as a PDF path in thousandths of an em, with its bounding box; `None`
/// when the face has no outline for it.
fn outline(face: &super::fonts::Face, gid: u16) -> Option<(String, [f32; 4])> {
    let scale = 1000.0 / face.units_per_em;
    let mut b = PathBuilder {
        out: String::new(),
        scale,
        last: (0.0, 0.0),
    };
    let r = face.shaper.outline_glyph(GlyphId(gid), &mut b)?;
    if b.out.is_empty() {
        return None;
    }
    let bbox = [
        r.x_min as f32 * scale,
        r.y_min as f32 * scale,
        r.x_max as f32 * scale,
        r.y_max as f32 * scale,
    ];
    Some((b.out, bbox))
}

/// Writes an outline as PDF path operators (quadratic curves raised to cubic ones).
struct PathBuilder {
    out: String,
    scale: f32,
    last: (f32, f32),
}

impl OutlineBuilder for PathBuilder {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = (x * self.scale, y * self.scale);
        let _ = writeln!(self.out, "{} {} m", num(x), num(y));
        self.last = (x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = (x * self.scale, y * self.scale);
        let _ = writeln!(self.out, "{} {} l", num(x), num(y));
        self.last = (x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1, x, y) = (
            x1 * self.scale,
            y1 * self.scale,
            x * self.scale,
            y * self.scale,
        );
        let (x0, y0) = self.last;
        let c1 = (x0 + 2.0 / 3.0 * (x1 - x0), y0 + 2.0 / 3.0 * (y1 - y0));
        let c2 = (x + 2.0 / 3.0 * (x1 - x), y + 2.0 / 3.0 * (y1 - y));
        let _ = writeln!(
            self.out,
            "{} {} {} {} {} {} c",
            num(c1.0),
            num(c1.1),
            num(c2.0),
            num(c2.1),
            num(x),
            num(y)
        );
        self.last = (x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let s = self.scale;
        let _ = writeln!(
            self.out,
            "{} {} {} {} {} {} c",
            num(x1 * s),
            num(y1 * s),
            num(x2 * s),
            num(y2 * s),
            num(x * s),
            num(y * s)
        );
        self.last = (x * s, y * s);
    }
    fn close(&mut self) {
        self.out.push_str("h\n");
    }
}

/// A ToUnicode CMap for one-byte codes.
fn to_unicode(texts: &[(u8, &str)]) -> String {
    let entries: Vec<(u32, &str)> = texts
        .iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|&(c, t)| (u32::from(c), t))
        .collect();
    super::embed::to_unicode_cmap(1, &entries)
}

/// Whether `face` data can be drawn by [`make`] (for tests and the font search).
pub fn has_color_bitmaps(face: &ttf_parser::Face) -> bool {
    let t = face.tables();
    t.cbdt.is_some() || t.sbix.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_skip_the_space_and_the_c1_range() {
        assert_eq!(code(0), 0x21);
        assert_eq!(code(93), 0x7E);
        assert_eq!(code(94), 0xA1);
        assert_eq!(code(PER_FONT - 1), 0xFF);
    }

    #[test]
    fn replacement_is_an_outline() {
        let book = FontBook::bundled();
        let (path, bbox) = replacement_outline(&book);
        assert!(path.contains(" c\n") && path.ends_with("h\n"), "{path}");
        assert!(bbox[2] > bbox[0] && bbox[3] > bbox[1]);
    }

    #[test]
    fn each_uncovered_character_has_its_own_code() {
        let mut plan = Plan::default();
        plan.add(Source::Replacement, 0, "\u{13000}");
        plan.add(Source::Replacement, 0, "\u{E000}");
        plan.add(Source::Replacement, 0, "\u{13000}");
        assert_eq!(plan.fonts.len(), 1);
        assert_eq!(plan.fonts[0].glyphs.len(), 2);
        let made = make(&FontBook::bundled(), &plan);
        assert!(made[0].to_unicode.contains("<21> <D80CDC00>"));
        assert!(made[0].to_unicode.contains("<22> <E000>"));
        assert!(made[0].to_unicode.contains("<20> <0020>"));
    }
}
