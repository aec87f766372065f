//! The generated cover: organization, headline and date set in the bundled Noto fonts on a
//! 1600×2560 page, written as a 2-bit palette PNG (four greys), which is small (well under
//! 300 KB), fast to encode and legible as a library thumbnail and on e-ink.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use ab_glyph::{Font, FontRef, OutlineCurve, PxScale, ScaleFont, point};
use ab_glyph_rasterizer::Rasterizer;

use crate::pdf::fonts::{Bundled, FaceId, FontBook};
use crate::pdf::shape::{BLACK, Glyph, ShapeCache, Span, Style, shape};

pub(crate) const WIDTH: u32 = 1600;
pub(crate) const HEIGHT: u32 = 2560;
const ROW: usize = (WIDTH as usize) / 4; // bytes per row at 2 bits per pixel
const MARGIN: f32 = 130.0;
const BAND: u32 = 720;

static SERIF_BOLD: &[u8] = include_bytes!("../../fonts/NotoSerif-Bold.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../fonts/NotoSans-Bold.ttf");
static SANS: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");

struct Fonts {
    serif_bold: FontRef<'static>,
    sans_bold: FontRef<'static>,
    sans: FontRef<'static>,
}

fn fonts() -> Option<&'static Fonts> {
    static F: OnceLock<Option<Fonts>> = OnceLock::new();
    F.get_or_init(|| {
        Some(Fonts {
            serif_bold: FontRef::try_from_slice(SERIF_BOLD).ok()?,
            sans_bold: FontRef::try_from_slice(SANS_BOLD).ok()?,
            sans: FontRef::try_from_slice(SANS).ok()?,
        })
    })
    .as_ref()
}

/// A face of the PDF's font book as `ab_glyph` reads it, parsed once per process (keyed by
/// the face's bytes and index; the book keeps its bytes for the whole process).
fn font_ref(data: &'static [u8], index: u32) -> Option<&'static FontRef<'static>> {
    type Refs = Vec<((usize, u32), &'static FontRef<'static>)>;
    static REFS: Mutex<Refs> = Mutex::new(Vec::new());
    let key = (data.as_ptr() as usize, index);
    let mut refs = REFS.lock().ok()?;
    if let Some((_, f)) = refs.iter().find(|(k, _)| *k == key) {
        return Some(f);
    }
    let f: &'static FontRef<'static> = Box::leak(Box::new(
        FontRef::try_from_slice_and_index(data, index).ok()?,
    ));
    refs.push((key, f));
    Some(f)
}

/// What the cover says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CoverText {
    /// Small line at the top of the band (e.g. `PRESS STATEMENT`).
    pub kicker: String,
    /// In the dark band: the organization.
    pub band: String,
    /// The headline, large.
    pub title: String,
    /// At the foot: the date.
    pub footer: String,
    /// The statement's language (BCP 47): shaping, direction and the CJK face.
    pub lang: String,
    /// Whether system fonts may draw what the bundled ones lack (not under
    /// `--no-system-fonts`).
    pub system_fonts: bool,
}

/// The cover PNG for `text`. Covers are cached per process (a few, keyed by their text),
/// because rebuilding the same statement is the common case (watch mode, benchmarks, bundles).
pub(crate) fn cover_png(text: &CoverText) -> Vec<u8> {
    static CACHE: OnceLock<Mutex<HashMap<CoverText, Vec<u8>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(c) = cache.lock()
        && let Some(png) = c.get(text)
    {
        return png.clone();
    }
    let png = render(text);
    if let Ok(mut c) = cache.lock() {
        if c.len() >= 16 {
            c.clear();
        }
        c.insert(text.clone(), png.clone());
    }
    png
}

/// The cover text with every part that no font can show left out (no boxes for missing
/// glyphs), and whether anything was left out. Text the bundled Latin faces lack is set by
/// the PDF's shaper with its font fallback (system CJK faces, Noto Naskh Arabic …), so only
/// a script that no font on the machine covers is left out.
pub(crate) fn showable(text: &CoverText) -> (CoverText, bool) {
    let Some(f) = fonts() else {
        return (text.clone(), false);
    };
    let mut lost = false;
    let mut keep = |font: &FontRef<'static>, s: &str| {
        if plain(font, s) {
            return s.to_string();
        }
        let book = book_for(s, &text.lang, text.system_fonts);
        if crate::pdf::fallback::uncovered(&book, s).is_empty() {
            s.to_string()
        } else {
            lost = true;
            String::new()
        }
    };
    let out = CoverText {
        kicker: keep(&f.sans, &text.kicker),
        band: keep(&f.sans_bold, &text.band),
        title: keep(&f.serif_bold, &text.title),
        footer: keep(&f.sans, &text.footer),
        lang: text.lang.clone(),
        system_fonts: text.system_fonts,
    };
    (out, lost)
}

/// Whether the bundled face draws `s` character by character: every character has a glyph
/// and none is right to left (which needs shaping and reordering).
fn plain(font: &FontRef<'static>, s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace() || (font.glyph_id(c).0 != 0 && !crate::pdf::bidi::is_rtl_char(c))
    })
}

/// The PDF's font book for `s`: the bundled faces, plus the system faces for what they lack
/// when `system` allows.
fn book_for(s: &str, lang: &str, system: bool) -> Arc<FontBook> {
    if system {
        crate::pdf::fallback::with_system_fonts(FontBook::bundled(), s, lang)
    } else {
        FontBook::bundled()
    }
}

/// Renders without the cache.
pub(crate) fn render(text: &CoverText) -> Vec<u8> {
    draw(text).png()
}

/// The cover drawn on its canvas.
fn draw(text: &CoverText) -> Canvas {
    let mut canvas = Canvas::new();
    canvas.fill_rows(0, BAND, 3);
    let rtl = crate::locale::is_rtl(&text.lang);
    if let Some(f) = fonts() {
        let width = WIDTH as f32 - 2.0 * MARGIN;
        // Kicker and organization, white on black.
        if !text.kicker.is_empty() {
            if !rtl && plain(&f.sans, &text.kicker) {
                // Letter-spaced capitals, made smaller until they fit on one line.
                let mut size = 54.0;
                let n = text.kicker.chars().count() as f32;
                while size > 30.0 && measure(&f.sans, size, &text.kicker) + 0.12 * size * n > width
                {
                    size -= 2.0;
                }
                canvas.line(&f.sans, size, MARGIN, 200.0, &text.kicker, true, 0.12);
            } else {
                let set = Shaped::new(&text.kicker, &text.lang, Bundled::Sans, text.system_fonts);
                let (size, lines) = set.fit(width, 54.0, 30.0, 1, 100.0);
                if let Some(l) = lines.first() {
                    canvas.shaped(&set, size, 200.0, l, true, rtl);
                }
            }
        }
        if !text.band.is_empty() {
            if !rtl && plain(&f.sans_bold, &text.band) {
                let (size, lines) = fit(&f.sans_bold, &text.band, width, 120.0, 60.0, 3, 380.0);
                let lh = size * 1.2;
                let mut y = BAND as f32 - 110.0 - lh * (lines.len() as f32 - 1.0);
                for l in &lines {
                    canvas.line(&f.sans_bold, size, MARGIN, y, l, true, 0.0);
                    y += lh;
                }
            } else {
                let set = Shaped::new(&text.band, &text.lang, Bundled::SansBold, text.system_fonts);
                let (size, lines) = set.fit(width, 120.0, 60.0, 3, 380.0);
                let lh = size * 1.2;
                let mut y = BAND as f32 - 110.0 - lh * (lines.len() as f32 - 1.0);
                for l in &lines {
                    canvas.shaped(&set, size, y, l, true, rtl);
                    y += lh;
                }
            }
        }
        // Headline, black on white.
        if !rtl && plain(&f.serif_bold, &text.title) {
            let (size, lines) = fit(&f.serif_bold, &text.title, width, 150.0, 56.0, 12, 1280.0);
            let lh = size * 1.18;
            let mut y = BAND as f32 + 180.0 + size * 0.8;
            for l in &lines {
                canvas.line(&f.serif_bold, size, MARGIN, y, l, false, 0.0);
                y += lh;
            }
        } else {
            let set = Shaped::new(
                &text.title,
                &text.lang,
                Bundled::SerifBold,
                text.system_fonts,
            );
            let (size, lines) = set.fit(width, 150.0, 56.0, 12, 1280.0);
            let lh = size * 1.18;
            let mut y = BAND as f32 + 180.0 + size * 0.8;
            for l in &lines {
                canvas.shaped(&set, size, y, l, false, rtl);
                y += lh;
            }
        }
        // Rule and date at the foot (at the right for a right-to-left statement).
        let rule_x = if rtl {
            WIDTH - MARGIN as u32 - 360
        } else {
            MARGIN as u32
        };
        canvas.fill_rect(rule_x, 2290, 360, 10, 2);
        if !text.footer.is_empty() {
            if !rtl && plain(&f.sans, &text.footer) {
                let (size, lines) = fit(&f.sans, &text.footer, width, 76.0, 40.0, 1, 100.0);
                if let Some(l) = lines.first() {
                    canvas.line(&f.sans, size, MARGIN, 2410.0, l, false, 0.0);
                }
            } else {
                let set = Shaped::new(&text.footer, &text.lang, Bundled::Sans, text.system_fonts);
                let (size, lines) = set.fit(width, 76.0, 40.0, 1, 100.0);
                if let Some(l) = lines.first() {
                    canvas.shaped(&set, size, 2410.0, l, false, rtl);
                }
            }
        }
    }
    canvas
}

/// One part of the cover set by the PDF's shaper (rustybuzz with the book's font fallback,
/// Arabic joining, CJK faces by language), for text the bundled Latin face cannot draw alone.
struct Shaped {
    book: Arc<FontBook>,
    lang: String,
    face: FaceId,
    text: String,
    /// The face's height (ascender − descender) in ems: sizes on the cover are heights, as
    /// `ab_glyph` reads them, and the shaper's sizes are ems.
    height: f32,
}

impl Shaped {
    fn new(text: &str, lang: &str, face: Bundled, system: bool) -> Shaped {
        let book = book_for(text, lang, system);
        let f = book.face(face.id());
        let height = ((f.ascender - f.descender) / f.units_per_em).max(0.5);
        Shaped {
            book,
            lang: lang.to_string(),
            face: face.id(),
            text: text.to_string(),
            height,
        }
    }

    /// The glyphs of `s` at cover size `size`, in logical order, and their total advance.
    fn glyphs(&self, s: &str, size: f32) -> (Vec<Glyph>, f32) {
        let mut cache = ShapeCache::for_document(&self.book, &self.lang);
        let span = Span {
            range: 0..s.len(),
            style: Style {
                face: self.face,
                size: size / self.height,
                color: BLACK,
                hyphenate: false,
                rise: 0.0,
                strike: false,
            },
            link: None,
            source: None,
            exact: false,
        };
        let mut missing = Vec::new();
        let glyphs = shape(&self.book, &mut cache, s, &[span], &self.lang, &mut missing);
        let w = glyphs.iter().map(|g| g.advance).sum();
        (glyphs, w)
    }

    /// Lines of the text at `size`, broken at UAX #14 opportunities (between words, and
    /// between ideographs).
    fn wrap(&self, size: f32, width: f32) -> Vec<String> {
        let text = self.text.trim();
        let mut lines = Vec::new();
        let mut start = 0;
        let mut last_fit: Option<usize> = None;
        for (at, _) in unicode_linebreak::linebreaks(text) {
            let cand = text[start..at].trim();
            if cand.is_empty() {
                continue;
            }
            if self.glyphs(cand, size).1 <= width || last_fit.is_none() {
                last_fit = Some(at);
                continue;
            }
            if let Some(end) = last_fit {
                lines.push(text[start..end].trim().to_string());
                start = end;
                last_fit = Some(at);
            }
        }
        if start < text.len() {
            lines.push(text[start..].trim().to_string());
        }
        lines.retain(|l| !l.is_empty());
        lines
    }

    /// As [`fit`], with the shaper's measures.
    fn fit(
        &self,
        width: f32,
        max: f32,
        min: f32,
        max_lines: usize,
        height: f32,
    ) -> (f32, Vec<String>) {
        fit_with(max, min, max_lines, height, |size| self.wrap(size, width))
    }
}

/// Largest size from `max` down to `min` at which `text` wraps into at most `max_lines` lines
/// within `width` and `height`; at `min` the lines are cut to fit.
fn fit(
    font: &FontRef<'static>,
    text: &str,
    width: f32,
    max: f32,
    min: f32,
    max_lines: usize,
    height: f32,
) -> (f32, Vec<String>) {
    fit_with(max, min, max_lines, height, |size| {
        wrap(font, size, text, width)
    })
}

/// Largest size from `max` down to `min` at which `wrap(size)` gives at most `max_lines` lines
/// within `height`; at `min` the lines are cut to fit.
fn fit_with(
    max: f32,
    min: f32,
    max_lines: usize,
    height: f32,
    mut wrap: impl FnMut(f32) -> Vec<String>,
) -> (f32, Vec<String>) {
    let mut size = max;
    loop {
        let lines = wrap(size);
        let fits = lines.len() <= max_lines && lines.len() as f32 * size * 1.2 <= height;
        if fits || size <= min {
            let mut lines = lines;
            let keep = max_lines.min((height / (size * 1.2)).floor().max(1.0) as usize);
            if lines.len() > keep {
                lines.truncate(keep);
                if let Some(last) = lines.last_mut() {
                    last.push('…');
                }
            }
            return (size, lines);
        }
        size = (size * 0.9).max(min);
    }
}

fn measure(font: &FontRef<'static>, size: f32, s: &str) -> f32 {
    let sf = font.as_scaled(PxScale::from(size));
    let mut w = 0.0;
    let mut prev = None;
    for c in s.chars() {
        let g = sf.glyph_id(c);
        if let Some(p) = prev {
            w += sf.kern(p, g);
        }
        w += sf.h_advance(g);
        prev = Some(g);
    }
    w
}

fn wrap(font: &FontRef<'static>, size: f32, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if measure(font, size, &cand) <= width || cur.is_empty() {
            cur = cand;
        } else {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A 2-bit canvas: 0 white, 1 light grey, 2 dark grey, 3 black.
struct Canvas {
    px: Vec<u8>,
    /// Rows drawn on; the others are still white (zero), and the PNG writer does not read
    /// them, so their pages of the canvas are never touched (issue 17: page faults).
    drawn: Vec<bool>,
}

/// Rasterized glyphs by (font, glyph, size), shared by every cover of the process: a batch's
/// covers repeat their fonts, sizes and most letters. Cleared when it grows past
/// [`KEEP_GLYPHS`].
type GlyphCache = HashMap<(usize, u16, u32), Option<Arc<Bitmap>>>;

static GLYPHS: LazyLock<Mutex<GlyphCache>> = LazyLock::new(|| Mutex::new(HashMap::new()));

const KEEP_GLYPHS: usize = 4096;

fn glyph(font: &FontRef<'static>, g: ab_glyph::GlyphId, scale: PxScale) -> Option<Arc<Bitmap>> {
    let key = (
        font as *const FontRef<'static> as usize,
        g.0,
        scale.x.to_bits(),
    );
    if let Ok(cache) = GLYPHS.lock()
        && let Some(bm) = cache.get(&key)
    {
        return bm.clone();
    }
    let bm = raster(font, g, scale).map(Arc::new);
    if let Ok(mut cache) = GLYPHS.lock() {
        if cache.len() >= KEEP_GLYPHS {
            cache.clear();
        }
        cache.insert(key, bm.clone());
    }
    bm
}

/// A glyph's coverage quantized to the four levels, placed relative to the pen on the baseline.
struct Bitmap {
    x: i32,
    y: i32,
    w: usize,
    h: usize,
    levels: Vec<u8>,
    /// The levels packed four to a byte as the canvas holds them, for each of the four
    /// positions a glyph can start at within a byte (made when first needed); rows of
    /// [`Bitmap::stride`] bytes.
    packed: [OnceLock<Vec<u8>>; 4],
}

impl Bitmap {
    fn stride(&self, shift: usize) -> usize {
        (shift + self.w).div_ceil(4)
    }

    fn packed(&self, shift: usize) -> &[u8] {
        self.packed[shift].get_or_init(|| {
            let stride = self.stride(shift);
            let mut rows = vec![0u8; stride * self.h];
            for y in 0..self.h {
                let line = &self.levels[y * self.w..(y + 1) * self.w];
                let out = &mut rows[y * stride..(y + 1) * stride];
                for (x, &l) in line.iter().enumerate() {
                    let col = shift + x;
                    out[col / 4] |= l << (6 - 2 * (col % 4));
                }
            }
            rows
        })
    }
}

thread_local! {
    /// One coverage grid per thread, reused from glyph to glyph: `OutlinedGlyph::draw` makes
    /// a new one for each glyph (up to a few hundred KB for a headline's letters), and each
    /// fresh grid costs page faults (benches/README.md, issue 17).
    static RASTERIZER: std::cell::RefCell<Rasterizer> = std::cell::RefCell::new(Rasterizer::new(0, 0));
}

fn raster(font: &FontRef<'static>, g: ab_glyph::GlyphId, scale: PxScale) -> Option<Bitmap> {
    let og = font.outline_glyph(g.with_scale_and_position(scale, point(0.0, 0.0)))?;
    let b = og.px_bounds();
    let (w, h) = (b.width() as usize, b.height() as usize);
    let mut levels = vec![0u8; w * h];
    // What `OutlinedGlyph::draw` does, on the reused grid: the same curves, scaled and moved
    // by the same arithmetic, so the same coverage.
    let outline = font.outline(g)?;
    let factor = font.as_scaled(scale).scale_factor();
    let (hf, vf) = (factor.horizontal, -factor.vertical);
    let offset = point(0.0, 0.0) - b.min;
    let up = |p: &ab_glyph::Point| point(p.x * hf, p.y * vf) + offset;
    RASTERIZER.with_borrow_mut(|r| {
        r.reset(w, h);
        for curve in &outline.curves {
            match curve {
                OutlineCurve::Line(p0, p1) => r.draw_line(up(p0), up(p1)),
                OutlineCurve::Quad(p0, p1, p2) => r.draw_quad(up(p0), up(p1), up(p2)),
                OutlineCurve::Cubic(p0, p1, p2, p3) => r.draw_cubic(up(p0), up(p1), up(p2), up(p3)),
            }
        }
        r.for_each_pixel_2d(|gx, gy, cov| {
            if let Some(l) = levels.get_mut(gy as usize * w + gx as usize) {
                *l = ((cov * 3.0 + 0.35) as u8).min(3);
            }
        });
    });
    let bm = Bitmap {
        x: b.min.x as i32,
        y: b.min.y as i32,
        w,
        h,
        levels,
        packed: Default::default(),
    };
    Some(bm)
}

/// Draws a glyph bitmap with its top left corner at (`ox`, `oy`), clipped to the canvas.
/// Ink combines with what is there by OR (dark on white) or AND NOT (light on black): exact on
/// a plain ground, and close to the darker (lighter) of the two where glyphs overlap.
fn blit(px: &mut [u8], bm: &Bitmap, ox: i32, oy: i32, inverse: bool) {
    let shift = ox.rem_euclid(4) as usize;
    let first = ox.div_euclid(4);
    let stride = bm.stride(shift);
    if first >= 0 && first as usize + stride <= ROW {
        let packed = bm.packed(shift);
        let row0 = (-oy).max(0) as usize;
        let row1 = (HEIGHT as i32 - oy).clamp(0, bm.h as i32) as usize;
        for row in row0..row1 {
            let src = &packed[row * stride..(row + 1) * stride];
            let at = (oy as usize + row) * ROW + first as usize;
            let dst = &mut px[at..at + stride];
            if inverse {
                dst.iter_mut().zip(src).for_each(|(d, s)| *d &= !s);
            } else {
                dst.iter_mut().zip(src).for_each(|(d, s)| *d |= s);
            }
        }
        return;
    }
    blit_clipped(px, bm, ox, oy, inverse);
}

/// [`blit`] for a glyph that crosses the canvas's left or right edge, pixel by pixel.
fn blit_clipped(px: &mut [u8], bm: &Bitmap, ox: i32, oy: i32, inverse: bool) {
    let col0 = (-ox).max(0) as usize;
    let col1 = (WIDTH as i32 - ox).clamp(0, bm.w as i32) as usize;
    let row0 = (-oy).max(0) as usize;
    let row1 = (HEIGHT as i32 - oy).clamp(0, bm.h as i32) as usize;
    if col0 >= col1 {
        return;
    }
    for row in row0..row1 {
        let levels = &bm.levels[row * bm.w + col0..row * bm.w + col1];
        let base = (oy as usize + row) * ROW;
        let x0 = (ox + col0 as i32) as usize;
        for (x, &level) in (x0..).zip(levels) {
            if level > 0 {
                let i = base + x / 4;
                let shift = 6 - 2 * (x % 4);
                let old = (px[i] >> shift) & 3;
                let new = if inverse {
                    old.min(3 - level)
                } else {
                    old.max(level)
                };
                px[i] = (px[i] & !(3 << shift)) | (new << shift);
            }
        }
    }
}

/// Sets a pixel of a 2-bit canvas; ink darkens on white, or lightens on black when `inverse`.
fn set(px: &mut [u8], x: u32, y: u32, level: u8, inverse: bool) {
    if x >= WIDTH || y >= HEIGHT {
        return;
    }
    let i = y as usize * ROW + x as usize / 4;
    let shift = 6 - 2 * (x % 4);
    let old = (px[i] >> shift) & 3;
    let new = if inverse {
        old.min(3 - level)
    } else {
        old.max(level)
    };
    px[i] = (px[i] & !(3 << shift)) | (new << shift);
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            px: vec![0; ROW * HEIGHT as usize],
            drawn: vec![false; HEIGHT as usize],
        }
    }

    /// Notes that rows `y` to `y + h` (clipped to the canvas) may have been drawn on.
    fn mark(&mut self, y: i32, h: usize) {
        let a = y.clamp(0, HEIGHT as i32) as usize;
        let b = (y as i64 + h as i64).clamp(0, HEIGHT as i64) as usize;
        if a < b {
            self.drawn[a..b].fill(true);
        }
    }

    fn fill_rows(&mut self, from: u32, to: u32, level: u8) {
        let byte = level * 0b0101_0101;
        self.mark(from as i32, to.saturating_sub(from) as usize);
        let (a, b) = (from as usize * ROW, (to.min(HEIGHT) as usize) * ROW);
        self.px[a..b].fill(byte);
    }

    fn fill_rect(&mut self, x: u32, y: u32, w: u32, h: u32, level: u8) {
        self.mark(y as i32, h as usize);
        for yy in y..(y + h).min(HEIGHT) {
            for xx in x..(x + w).min(WIDTH) {
                set(&mut self.px, xx, yy, level, false);
            }
        }
    }

    /// Draws one line of text with its baseline at `y`; `tracking` adds letter-spacing in ems.
    /// Glyphs sit on whole pixels so that each is rasterized once per size and reused.
    #[allow(clippy::too_many_arguments)]
    fn line(
        &mut self,
        font: &FontRef<'static>,
        size: f32,
        x: f32,
        y: f32,
        s: &str,
        inverse: bool,
        tracking: f32,
    ) {
        let scale = PxScale::from(size);
        let sf = font.as_scaled(scale);
        let mut pen = x;
        let mut prev = None;
        for c in s.chars() {
            let g = sf.glyph_id(c);
            if let Some(p) = prev {
                pen += sf.kern(p, g);
            }
            if let Some(bm) = glyph(font, g, scale) {
                let (ox, oy) = (pen.round() as i32 + bm.x, y.round() as i32 + bm.y);
                self.mark(oy, bm.h);
                blit(&mut self.px, &bm, ox, oy, inverse);
            }
            pen += sf.h_advance(g) + tracking * size;
            prev = Some(g);
        }
    }

    /// Draws one shaped line with its baseline at `y`, from the left margin, or ending at the
    /// right margin when the statement is right to left; mixed directions are put in visual
    /// order by UAX #9, as in the PDF.
    fn shaped(&mut self, set: &Shaped, size: f32, y: f32, s: &str, inverse: bool, rtl: bool) {
        let (glyphs, width) = set.glyphs(s, size);
        let mut placed: Vec<(usize, f32)> = Vec::with_capacity(glyphs.len());
        let mut x = 0.0;
        for (i, g) in glyphs.iter().enumerate() {
            placed.push((i, x));
            x += g.advance;
        }
        let mut gids: Vec<u16> = glyphs.iter().map(|g| g.gid).collect();
        if let Some(levels) = crate::pdf::bidi::levels(s, Some(rtl)) {
            let widths: Vec<f32> = glyphs.iter().map(|g| g.advance).collect();
            let (mirrored, _) = crate::pdf::bidi::reorder_line(
                &set.book,
                s,
                &levels,
                &glyphs,
                &mut placed,
                &widths,
            );
            for (pos, gid) in mirrored {
                if let Some(&(gi, _)) = placed.get(pos) {
                    gids[gi] = gid;
                }
            }
        }
        let x0 = if rtl {
            WIDTH as f32 - MARGIN - width
        } else {
            MARGIN
        };
        let em = size / set.height;
        for &(gi, gx) in &placed {
            let g = &glyphs[gi];
            let face = set.book.face(g.face);
            let Some(font) = font_ref(face.data, face.index) else {
                continue;
            };
            let scale = PxScale::from(em * font.height_unscaled() / face.units_per_em);
            if let Some(bm) = glyph(font, ab_glyph::GlyphId(gids[gi]), scale) {
                let pen = x0 + gx + g.x_offset;
                let (ox, oy) = (pen.round() as i32 + bm.x, y.round() as i32 + bm.y);
                self.mark(oy, bm.h);
                blit(&mut self.px, &bm, ox, oy, inverse);
            }
        }
    }

    /// The canvas as a PNG: the bytes the `png` crate writes for it (2-bit palette, no
    /// filter, its fast compression: a single IDAT chunk of an `fdeflate` stream), written
    /// here row by row straight into the output, without the encoder's own copy of the
    /// compressed image (benches/README.md, issue 17). `png_by_encoder` is the fallback when
    /// compression does not pay, and the reference the tests compare with.
    fn png(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 * 1024);
        out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        let mut ihdr = Vec::with_capacity(13);
        ihdr.extend_from_slice(&WIDTH.to_be_bytes());
        ihdr.extend_from_slice(&HEIGHT.to_be_bytes());
        ihdr.extend_from_slice(&[2, 3, 0, 0, 0]); // depth 2, palette, deflate, no filter, no interlace
        png_chunk(&mut out, b"IHDR", &ihdr);
        png_chunk(&mut out, b"PLTE", &PALETTE);
        let idat = out.len();
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(b"IDAT");
        let streamed = (|| {
            let mut z = fdeflate::Compressor::new(&mut out)?;
            let mut row = [0u8; ROW + 1]; // filter type 0, then the row
            let mut blank = true;
            for (line, &drawn) in self.px.chunks(ROW).zip(&self.drawn) {
                if drawn {
                    row[1..].copy_from_slice(line);
                } else if !blank {
                    row[1..].fill(0);
                }
                blank = !drawn;
                z.write_data(&row)?;
            }
            z.finish().map(|_| ())
        })();
        let len = out.len() - idat - 8;
        let stored =
            fdeflate::StoredOnlyCompressor::<()>::compressed_size((ROW + 1) * HEIGHT as usize);
        if streamed.is_err() || len > stored {
            return self.png_by_encoder();
        }
        out[idat..idat + 4].copy_from_slice(&(len as u32).to_be_bytes());
        let crc = crc32fast::hash(&out[idat + 4..]);
        out.extend_from_slice(&crc.to_be_bytes());
        png_chunk(&mut out, b"IEND", &[]);
        out
    }

    fn png_by_encoder(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 * 1024);
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Two);
        enc.set_palette(PALETTE.to_vec());
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::Filter::NoFilter);
        // Writing to memory cannot fail for a valid header; an empty vector signals a bug.
        let ok = enc
            .write_header()
            .and_then(|mut w| w.write_image_data(&self.px).and_then(|_| w.finish()));
        if ok.is_err() {
            return Vec::new();
        }
        out
    }
}

/// The four greys of the cover, white to near black.
const PALETTE: [u8; 12] = [
    0xFF, 0xFF, 0xFF, 0xAA, 0xAA, 0xAA, 0x55, 0x55, 0x55, 0x14, 0x14, 0x14,
];

/// Appends a PNG chunk: length, type, data, CRC of type and data.
fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_is_a_small_png() {
        let png = render(&CoverText {
            kicker: "PRESS STATEMENT".into(),
            band: "Amnesty International USA".into(),
            title: "Amnesty International USA responds to U.S. plan to walk away from UN human rights review".into(),
            footer: "November 27, 2026".into(),
            lang: "en-US".into(),
            system_fonts: true,
        });
        assert_eq!(&png[1..4], b"PNG");
        assert!(png.len() < 300_000, "{} bytes", png.len());
    }

    /// The PNG written row by row has the bytes the `png` crate's encoder writes.
    #[test]
    fn streamed_png_is_the_encoders() {
        for (title, lang) in [
            (
                "Amnesty International USA responds to U.S. plan to walk away",
                "en",
            ),
            ("منظمة العفو الدولية ترد على خطة الولايات المتحدة", "ar"),
        ] {
            let canvas = draw(&CoverText {
                kicker: "PRESS STATEMENT".into(),
                band: "Amnesty International".into(),
                title: title.into(),
                footer: "November 27, 2026".into(),
                lang: lang.into(),
                system_fonts: false,
            });
            let png = canvas.png();
            assert!(png.len() > 1000);
            assert!(png == canvas.png_by_encoder(), "{lang}: the bytes differ");
        }
        // A blank canvas compresses to almost nothing; a noisy one does not compress, and
        // falls back to the encoder (stored blocks).
        let mut canvas = Canvas::new();
        assert!(canvas.png() == canvas.png_by_encoder());
        let mut x = 0x2545_f491_u32;
        canvas.drawn.fill(true);
        for b in canvas.px.iter_mut() {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *b = x as u8;
        }
        assert!(canvas.png() == canvas.png_by_encoder());
    }

    /// The cover's pixels, one level (0 white … 3 black) per pixel.
    fn pixels(png_bytes: &[u8]) -> Vec<u8> {
        let dec = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = dec.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        let mut out = Vec::with_capacity((WIDTH * HEIGHT) as usize);
        for b in buf {
            for k in 0..4 {
                out.push((b >> (6 - 2 * k)) & 3);
            }
        }
        out
    }

    /// Issue 16: an Arabic headline is shaped (joined forms, not the isolated letters of the
    /// cmap) in Noto Naskh Arabic and set from the right margin; a Chinese one in a CJK face;
    /// neither is left out.
    #[test]
    fn arabic_and_chinese_headlines_are_set_in_their_script() {
        let cases = [
            ("ar", "على كل دولة أن تشارك في الاستعراض", "NaskhArabic"),
            ("zh-Hans", "每个国家都应参加联合国对其人权状况的审议", "CJK"),
        ];
        for (lang, title, face) in cases {
            let ct = CoverText {
                kicker: String::new(),
                band: "Example Rights Watch".into(),
                title: title.into(),
                footer: String::new(),
                lang: lang.into(),
                system_fonts: true,
            };
            let set = Shaped::new(title, lang, Bundled::SerifBold, true);
            if !crate::pdf::fallback::uncovered(&set.book, title).is_empty() {
                eprintln!("SKIPPED: {lang}: no font covers the headline; install fonts-noto-cjk");
                continue;
            }
            let (shown, lost) = showable(&ct);
            assert!(!lost, "{lang}");
            assert_eq!(shown.title, title);
            let (glyphs, _) = set.glyphs(title, 100.0);
            assert!(!glyphs.is_empty());
            for g in &glyphs {
                let f = set.book.face(g.face);
                assert!(g.gid != 0, "{lang}: glyph 0");
                if !f.name.contains(face) {
                    // Spaces may come from the Latin face.
                    assert!(f.advance_width(g.gid) > 0.0, "{lang}: {}", f.name);
                }
            }
            let in_face = glyphs
                .iter()
                .filter(|g| set.book.face(g.face).name.contains(face))
                .count();
            assert!(
                in_face * 2 > glyphs.len(),
                "{lang}: {in_face} of {}",
                glyphs.len()
            );
            if lang == "ar" {
                // Joined: some glyph is a contextual form, not the letter's own glyph.
                let naskh = set.book.face(glyphs[0].face);
                let isolated: Vec<u16> = title
                    .chars()
                    .filter_map(|c| naskh.shaper.glyph_index(c).map(|g| g.0))
                    .collect();
                assert!(glyphs.iter().any(|g| !isolated.contains(&g.gid)));
            }
            // Ink in the headline's area, reaching the right margin for Arabic and starting
            // at the left one for Chinese.
            let px = pixels(&render(&shown));
            let (mut min_x, mut max_x, mut ink) = (WIDTH, 0, 0);
            for y in BAND + 150..BAND + 700 {
                for x in 0..WIDTH {
                    if px[(y * WIDTH + x) as usize] >= 2 {
                        ink += 1;
                        min_x = min_x.min(x);
                        max_x = max_x.max(x);
                    }
                }
            }
            assert!(ink > 20_000, "{lang}: {ink} dark pixels");
            let margin = MARGIN as u32;
            if lang == "ar" {
                assert!(
                    max_x > WIDTH - margin - 20 && max_x <= WIDTH - margin + 5,
                    "{max_x}"
                );
            } else {
                assert!(min_x >= margin - 5 && min_x < margin + 20, "{min_x}");
            }
        }
    }
}
