//! Positioned items and pagination.
//!
//! Lines arrive measured and set (see [`super::paragraph`]); flow blocks group them with
//! their spacing and keep rules; [`paginate`] places blocks on pages. Every placed item
//! carries its [`Origin`]: the [`BlockId`] it came from, the part of the front matter it
//! shows, or page furniture (headers, footers, page numbers), which a tagged PDF marks as
//! an artifact.
//!
//! Coordinates are points, with y growing downwards from the top of the page; only the
//! writer flips them.

use crate::model::BlockId;

use super::fonts::FaceId;
use super::shape::Rgb;

/// One glyph of a run, at `x` points from the run's origin, with the text it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub gid: u16,
    pub x: f32,
    pub text: GlyphText,
}

/// The text a glyph stands for, in four bytes: a long document holds every glyph until its
/// pages are written. Nearly always one character, or a ligature's two or three: up to four
/// bytes of UTF-8 inline (zeros after them); a longer text (an Indic cluster, an emoji
/// sequence) is kept once in the process's table of them, and `0xFF` (never a byte of
/// UTF-8) then its index stand for it.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct GlyphText([u8; 4]);

/// The texts too long for a [`GlyphText`] (each kept once, for the life of the process:
/// a document has few distinct ones).
#[derive(Default)]
struct LongTexts {
    index: std::collections::HashMap<&'static str, u32>,
    texts: Vec<&'static str>,
}

static LONG_TEXTS: std::sync::Mutex<Option<LongTexts>> = std::sync::Mutex::new(None);

/// The table's lock (a panic elsewhere while it was held leaves the table as it was).
fn long_texts() -> std::sync::MutexGuard<'static, Option<LongTexts>> {
    LONG_TEXTS.lock().unwrap_or_else(|e| e.into_inner())
}

impl GlyphText {
    pub fn new(s: &str) -> GlyphText {
        let mut b = [0u8; 4];
        if s.len() <= 4 && !s.ends_with('\0') {
            b[..s.len()].copy_from_slice(s.as_bytes());
            return GlyphText(b);
        }
        let mut guard = long_texts();
        let table = guard.get_or_insert_with(LongTexts::default);
        let i = match table.index.get(s) {
            Some(&i) => i,
            None => {
                let i = table.texts.len() as u32;
                if i > 0xFF_FFFF {
                    // More than 16 million distinct long texts: not met in practice.
                    return GlyphText::new(&s[..s.chars().next().map_or(0, char::len_utf8)]);
                }
                let text: &'static str = Box::leak(s.into());
                table.texts.push(text);
                table.index.insert(text, i);
                i
            }
        };
        b[0] = 0xFF;
        b[1..].copy_from_slice(&i.to_be_bytes()[1..]);
        GlyphText(b)
    }

    pub fn as_str(&self) -> &str {
        let b = &self.0;
        if b[0] == 0xFF {
            let i = u32::from_be_bytes([0, b[1], b[2], b[3]]) as usize;
            return long_texts()
                .as_ref()
                .and_then(|t| t.texts.get(i).copied())
                .unwrap_or_default();
        }
        let len = b.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
        // The bytes were copied from a `str` whole, so they are UTF-8.
        std::str::from_utf8(&b[..len]).unwrap_or_default()
    }
}

impl From<&str> for GlyphText {
    fn from(s: &str) -> GlyphText {
        GlyphText::new(s)
    }
}

impl std::ops::Deref for GlyphText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for GlyphText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Glyphs of one face, size and colour on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub face: FaceId,
    pub size: f32,
    pub color: Rgb,
    /// Origin: left end of the baseline (relative to the line while in a [`Line`],
    /// absolute on a [`Page`]).
    pub x: f32,
    pub y: f32,
    pub glyphs: Vec<PlacedGlyph>,
    /// What the run is within its block, for tagging.
    pub role: Role,
}

/// What a run of text is within its block, beyond being its text: the tagged PDF gives
/// each role its own structure element (see `tagged::mark_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// The block's text.
    #[default]
    Text,
    /// A list item's marker, or a footnote's number at the head of the note.
    Label,
    /// A footnote reference in the text.
    NoteRef,
    /// The text of a table cell (row 0 is the header).
    Cell { row: u32, col: u32 },
    /// A hyphen inserted by the line breaker: not part of the word.
    Hyphen,
    /// A repeated copy of something already read (a table header on a continuation page).
    Repeat,
}

/// A horizontal rule from `x0` to `x1` at `y` (its centre line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub thickness: f32,
    pub color: Rgb,
}

/// A clickable area (top-left `x0, y0`, bottom-right `x1, y1`) pointing at a URI.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub url: String,
}

/// One set line: runs relative to its left end and baseline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The line's height (leading).
    pub height: f32,
    /// Distance from the top of the line box to the baseline.
    pub baseline: f32,
    pub runs: Vec<GlyphRun>,
    pub rules: Vec<Rule>,
    pub links: Vec<LinkArea>,
    /// Whether the line ends in an inserted hyphen.
    pub hyphenated: bool,
    /// Images drawn with the line (inline images, figures set as lines): each after the
    /// first `k` runs (its place in reading order), its box relative to the line's left end
    /// and baseline (`y` the top, negative above the baseline).
    pub images: Vec<(usize, ImageBox)>,
}

/// Where a placed item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Origin {
    /// A block of the body.
    Block(BlockId),
    /// A block of the "About" boilerplate (`meta.about`).
    About(BlockId),
    /// Content drawn from the front matter.
    Front(Front),
    /// Page furniture: running header, "- more -", page numbers.
    #[default]
    Furniture,
}

/// Parts of the press release made from the front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Front {
    Letterhead,
    Release,
    Date,
    Contacts,
    Headline,
    Subtitle,
    /// The dateline on a line of its own, when no paragraph of the body can carry it.
    Dateline,
    AboutHeading,
    EndMark,
}

/// A block of lines as the paginator sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flow {
    pub origin: Origin,
    /// Left indent of every line, in points from the left margin.
    pub indent: f32,
    pub space_before: f32,
    pub lines: Vec<Line>,
    /// Keep on the same page as the first lines of the next flow (headings).
    pub keep_with_next: bool,
    /// Whether the block may be split across pages (paragraphs may, headings may not).
    pub splittable: bool,
    /// A heading to list in the outline: (level, title).
    pub outline: Option<(u8, String)>,
    /// The glyphs of its lines' runs, while a long document waits to be paginated (see
    /// [`Flow::pack`]).
    pub packed: Packed,
}

impl Flow {
    pub fn height(&self) -> f32 {
        self.lines.iter().map(|l| l.height).sum()
    }

    /// Moves its lines' runs, with their glyphs, into [`Flow::packed`] (see [`Packed`]):
    /// all that paginating needs of a line stays (its height, whether it is hyphenated, its
    /// links), and rules may still be added. Inserting or removing a line needs
    /// [`Flow::unpack`] first.
    pub fn pack(&mut self) {
        self.unpack();
        if self.lines.iter().all(|l| l.runs.is_empty()) {
            return;
        }
        // Each line's number of runs, then each run but its glyphs.
        let mut head = Vec::new();
        for l in &self.lines {
            varint(&mut head, l.runs.len());
            for r in &l.runs {
                head.extend_from_slice(&r.face.0.to_le_bytes());
                for v in [r.size, r.color[0], r.color[1], r.color[2], r.x, r.y] {
                    head.extend_from_slice(&v.to_bits().to_le_bytes());
                }
                let (tag, row, col) = match r.role {
                    Role::Text => (0u8, 0, 0),
                    Role::Label => (1, 0, 0),
                    Role::NoteRef => (2, 0, 0),
                    Role::Cell { row, col } => (3, row, col),
                    Role::Hyphen => (4, 0, 0),
                    Role::Repeat => (5, 0, 0),
                };
                head.push(tag);
                head.extend_from_slice(&row.to_le_bytes());
                head.extend_from_slice(&col.to_le_bytes());
            }
        }
        self.packed =
            Packed::pack_after(head, self.lines.iter_mut().flat_map(|l| l.runs.iter_mut()));
        for l in &mut self.lines {
            l.runs = Vec::new();
        }
    }

    /// Puts the runs of [`Flow::pack`] back into the lines.
    pub fn unpack(&mut self) {
        let packed = std::mem::take(&mut self.packed);
        if !packed.is_packed() {
            return;
        }
        let raw = packer::inflate(&packed.bytes, packed.raw);
        let mut at = 0;
        for l in &mut self.lines {
            debug_assert!(l.runs.is_empty(), "a packed line has runs of its own");
            let n = read_varint(&raw, &mut at);
            l.runs = Vec::with_capacity(n);
            for _ in 0..n {
                let Some(b) = raw.get(at..at + RUN_BYTES) else {
                    break;
                };
                at += RUN_BYTES;
                l.runs.push(run_of(b));
            }
        }
        packed.fill(&raw, self.lines.iter_mut().flat_map(|l| l.runs.iter_mut()));
    }
}

/// Bytes of a run but its glyphs in a flow's [`Packed`]: face, size, colour, `x`, `y`, role.
const RUN_BYTES: usize = 35;

/// A run (without its glyphs) from its [`RUN_BYTES`] bytes, as [`Flow::pack`] wrote them.
fn run_of(b: &[u8]) -> GlyphRun {
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let f32_at = |i: usize| f32::from_bits(u32_at(i));
    GlyphRun {
        face: FaceId(u16::from_le_bytes([b[0], b[1]])),
        size: f32_at(2),
        color: [f32_at(6), f32_at(10), f32_at(14)],
        x: f32_at(18),
        y: f32_at(22),
        glyphs: Vec::new(),
        role: match b[26] {
            1 => Role::Label,
            2 => Role::NoteRef,
            3 => Role::Cell {
                row: u32_at(27),
                col: u32_at(31),
            },
            4 => Role::Hyphen,
            5 => Role::Repeat,
            _ => Role::Text,
        },
    }
}

fn varint(out: &mut Vec<u8>, mut c: usize) {
    while c >= 0x80 {
        out.push(c as u8 | 0x80);
        c >>= 7;
    }
    out.push(c as u8);
}

fn read_varint(raw: &[u8], at: &mut usize) -> usize {
    let (mut c, mut shift) = (0usize, 0);
    while let Some(&b) = raw.get(*at) {
        *at += 1;
        c |= ((b & 0x7F) as usize) << shift;
        shift += 7;
        if b < 0x80 {
            break;
        }
    }
    c
}

/// The glyphs of a sequence of glyph runs (a flow's or a page's: the first `runs` of them
/// in order), compressed: a long document holds every laid-out glyph until it is paginated
/// and its pages are written, at 12 bytes each uncompressed. Each glyph's ten bytes (glyph
/// id, `x`, text) are stored byte plane by byte plane (all the first bytes, then all the
/// second ones, ...), after each run's glyph count, then Flate-compressed at the fastest
/// level: about 5 bytes a glyph on prose. A flow's runs come first (see [`Flow::pack`]).
/// Empty (no allocation) when nothing is packed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Packed {
    runs: usize,
    /// The length of what comes before the glyphs (a flow's runs).
    head: usize,
    /// The length before compression.
    raw: usize,
    bytes: Vec<u8>,
}

/// Bytes a glyph takes in a [`Packed`] before compression.
const GLYPH_BYTES: usize = 10;

impl Packed {
    /// Takes the glyphs of `runs` (leaving their vectors empty).
    pub fn pack<'a>(runs: impl Iterator<Item = &'a mut GlyphRun>) -> Packed {
        Packed::pack_after(Vec::new(), runs)
    }

    /// [`Packed::pack`], after `head`.
    fn pack_after<'a>(head: Vec<u8>, runs: impl Iterator<Item = &'a mut GlyphRun>) -> Packed {
        let mut counts = Vec::new();
        let mut glyphs: Vec<[u8; GLYPH_BYTES]> = Vec::new();
        let mut n = 0;
        for r in runs {
            n += 1;
            let mut c = r.glyphs.len();
            while c >= 0x80 {
                counts.push(c as u8 | 0x80);
                c >>= 7;
            }
            counts.push(c as u8);
            let mut prev = 0u32;
            glyphs.extend(std::mem::take(&mut r.glyphs).into_iter().map(|g| {
                let mut b = [0u8; GLYPH_BYTES];
                b[..2].copy_from_slice(&g.gid.to_le_bytes());
                // `x` grows along the run: XORed with the one before, its sign, exponent and
                // first bits of mantissa are mostly zeros.
                let x = g.x.to_bits();
                b[2..6].copy_from_slice(&(x ^ prev).to_le_bytes());
                prev = x;
                b[6..].copy_from_slice(&g.text.0);
                b
            }));
        }
        if glyphs.is_empty() && head.is_empty() {
            // Nothing to keep: the runs' glyphs were empty already.
            return Packed::default();
        }
        let at = head.len();
        let mut raw = head;
        raw.reserve_exact(counts.len() + glyphs.len() * GLYPH_BYTES);
        raw.extend_from_slice(&counts);
        for k in 0..GLYPH_BYTES {
            raw.extend(glyphs.iter().map(|g| g[k]));
        }
        drop(glyphs);
        Packed {
            runs: n,
            head: at,
            raw: raw.len(),
            bytes: packer::deflate(&raw),
        }
    }

    /// Gives the glyphs back to the first runs of `runs`, as [`Packed::pack`] took them.
    pub fn unpack<'a>(&self, runs: impl Iterator<Item = &'a mut GlyphRun>) {
        if self.runs == 0 {
            return;
        }
        self.fill(&packer::inflate(&self.bytes, self.raw), runs);
    }

    /// Gives the glyphs of `raw` (this, inflated) back to the first runs of `runs`.
    fn fill<'a>(&self, raw: &[u8], runs: impl Iterator<Item = &'a mut GlyphRun>) {
        let mut at = self.head;
        let mut runs: Vec<(&mut GlyphRun, usize)> = runs
            .take(self.runs)
            .map(|r| {
                let (mut c, mut shift) = (0usize, 0);
                while let Some(&b) = raw.get(at) {
                    at += 1;
                    c |= ((b & 0x7F) as usize) << shift;
                    shift += 7;
                    if b < 0x80 {
                        break;
                    }
                }
                (r, c)
            })
            .collect();
        let n: usize = runs.iter().map(|r| r.1).sum();
        let plane = |k: usize, i: usize| raw.get(at + k * n + i).copied().unwrap_or(0);
        let mut i = 0;
        for (r, c) in &mut runs {
            debug_assert!(r.glyphs.is_empty(), "a packed run has glyphs of its own");
            let mut prev = 0u32;
            r.glyphs = (i..i + *c)
                .map(|i| {
                    let b: [u8; GLYPH_BYTES] = std::array::from_fn(|k| plane(k, i));
                    let x = u32::from_le_bytes([b[2], b[3], b[4], b[5]]) ^ prev;
                    prev = x;
                    PlacedGlyph {
                        gid: u16::from_le_bytes([b[0], b[1]]),
                        x: f32::from_bits(x),
                        text: GlyphText([b[6], b[7], b[8], b[9]]),
                    }
                })
                .collect();
            i += *c;
        }
    }

    /// Whether some runs or glyphs are here.
    pub fn is_packed(&self) -> bool {
        self.runs > 0 || self.head > 0
    }
}

/// Raw Deflate at the fastest level, with the thread's (reset) compressor and
/// decompressor: a long document packs hundreds of thousands of flows and pages.
mod packer {
    use std::cell::RefCell;

    thread_local! {
        static Z: RefCell<Option<(flate2::Compress, flate2::Decompress)>> =
            const { RefCell::new(None) };
    }

    fn with<T>(f: impl FnOnce(&mut (flate2::Compress, flate2::Decompress)) -> T) -> T {
        Z.with(|z| {
            let mut z = z.borrow_mut();
            f(z.get_or_insert_with(|| {
                (
                    flate2::Compress::new(flate2::Compression::fast(), false),
                    flate2::Decompress::new(false),
                )
            }))
        })
    }

    pub fn deflate(data: &[u8]) -> Vec<u8> {
        with(|(z, _)| {
            // Not met with an in-memory buffer: the glyphs would be lost, so stop.
            let mut out = super::super::flate::deflate(z, data, data.len() / 3 + 64)
                .expect("packing glyphs failed");
            out.shrink_to_fit();
            out
        })
    }

    pub fn inflate(data: &[u8], len: usize) -> Vec<u8> {
        with(|(_, z)| {
            z.reset(false);
            let mut out = Vec::with_capacity(len);
            loop {
                let (consumed, made) = (z.total_in() as usize, out.len());
                match z.decompress_vec(&data[consumed..], &mut out, flate2::FlushDecompress::Finish)
                {
                    Ok(flate2::Status::StreamEnd) => break,
                    Ok(_)
                        if out.len() == out.capacity()
                            || z.total_in() as usize > consumed
                            || out.len() > made =>
                    {
                        out.reserve(1024)
                    }
                    // Only a bug could corrupt what `deflate` made in memory.
                    _ => panic!("unpacking glyphs failed"),
                }
            }
            out
        })
    }
}

/// An item placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub origin: Origin,
    pub item: Item,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(GlyphRun),
    Rule(Rule),
    Link(LinkArea),
    Image(ImageBox),
}

/// An image drawn in the box with top-left `x, y`, `width` × `height` points.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageBox {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub image: std::sync::Arc<super::figure::PdfImage>,
    /// Decorative (a logo beside its name, `![""](…)`): an artifact, not a Figure.
    pub decorative: bool,
    /// The image's source offset (its key in its block; 0 for the logo).
    pub at: u32,
    /// Where the image is read.
    pub place: ImagePlace,
    /// The table cell (row, column) the image is in.
    pub cell: Option<(u32, u32)>,
}

/// Where an image is read among its block's text (see `emit::text_order`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImagePlace {
    /// A figure alone in its paragraph (or the logo): before its block's first text (its
    /// caption).
    #[default]
    Alone,
    /// A figure set where it stands inside its paragraph: before the first text below it.
    InText,
    /// Drawn with its line: where the line puts it among the runs.
    Inline,
}

/// An outline entry: a heading and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<Placed>,
    /// The glyphs of its text runs, in a long document until the page is written (see
    /// [`Page::pack`]).
    pub packed: Packed,
}

impl Page {
    fn runs(items: &mut [Placed]) -> impl Iterator<Item = &mut GlyphRun> {
        items.iter_mut().filter_map(|p| match &mut p.item {
            Item::Text(r) => Some(r),
            _ => None,
        })
    }

    /// Moves the glyphs of its text runs into [`Page::packed`]. Items may still be added
    /// after them, and items other than text removed.
    pub fn pack(&mut self) {
        self.unpack();
        self.items.shrink_to_fit();
        self.packed = Packed::pack(Page::runs(&mut self.items));
    }

    /// Puts the glyphs of [`Page::pack`] back into the runs.
    pub fn unpack(&mut self) {
        std::mem::take(&mut self.packed).unpack(Page::runs(&mut self.items));
    }

    /// The page with every glyph in its run: itself, or an unpacked copy.
    pub fn unpacked(&self) -> std::borrow::Cow<'_, Page> {
        if !self.packed.is_packed() {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut page = Page {
            items: self.items.clone(),
            packed: Packed::default(),
        };
        self.packed.unpack(Page::runs(&mut page.items));
        std::borrow::Cow::Owned(page)
    }
}

/// The page geometry, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    /// Top of the text area on the first page and on the others (which carry a header).
    pub top_first: f32,
    pub top_other: f32,
    /// Bottom of the text area (the footer lives below it).
    pub bottom: f32,
}

impl Geometry {
    pub fn top(&self, page: usize) -> f32 {
        if page == 0 {
            self.top_first
        } else {
            self.top_other
        }
    }
}

/// Minimum lines a split paragraph leaves at a page's foot, and carries to the next.
pub const MIN_LINES: usize = 2;

/// Where each flow's lines went: (page, y of the line's top) per line, per flow.
pub type Placement = Vec<Vec<(usize, f32)>>;

/// Places flows on pages: no widows or orphans, headings kept with what follows.
/// Returns the position of every line of every flow.
pub fn paginate(flows: &[Flow], geo: &Geometry) -> Placement {
    paginate_reserving(flows, geo, &[])
}

/// [`paginate`], with `reserve[page]` points kept free at the foot of each page (footnotes).
pub fn paginate_reserving(flows: &[Flow], geo: &Geometry, reserve: &[f32]) -> Placement {
    let bottom = |page: usize| geo.bottom - reserve.get(page).copied().unwrap_or(0.0);
    let mut placement: Placement = Vec::with_capacity(flows.len());
    let mut page = 0usize;
    let mut y = geo.top(0);
    let mut at_top = true;
    let mut i = 0;
    while i < flows.len() {
        let f = &flows[i];
        let space = if at_top { 0.0 } else { f.space_before };
        let avail = bottom(page) - y - space;
        // What must fit with this flow on this page: the whole flow, plus (for a
        // keep-with-next chain) the first lines of the flows it is kept with.
        let need = f.height() + keep_need(flows, i);
        if need <= avail + 0.01 {
            y += space;
            placement.push(place_lines(f, page, &mut y));
            at_top = false;
            i += 1;
            continue;
        }
        if f.splittable && !f.keep_with_next {
            // Split: as many lines as fit, at least MIN_LINES here and MIN_LINES there.
            let n = f.lines.len();
            let mut fit = 0;
            let mut h = 0.0;
            for l in &f.lines {
                if h + l.height > avail + 0.01 {
                    break;
                }
                h += l.height;
                fit += 1;
            }
            let fit = whole_word_break(&f.lines, fit.min(n.saturating_sub(MIN_LINES)));
            if fit >= MIN_LINES {
                y += space;
                let mut lines = Vec::with_capacity(n);
                for l in &f.lines[..fit] {
                    lines.push((page, y));
                    y += l.height;
                }
                place_rest(f, fit, geo, &bottom, &mut page, &mut y, &mut lines);
                placement.push(lines);
                at_top = false;
                i += 1;
                continue;
            }
        }
        if at_top {
            // Nothing better is possible: place it here, splitting where it must.
            placement.push(place_lines_anyway(f, geo, &bottom, &mut page, &mut y));
            at_top = false;
            i += 1;
            continue;
        }
        // Move to the next page (with any headings waiting on this one).
        let mut back = i;
        while back > 0 && flows[back - 1].keep_with_next {
            let first_page = placement[back - 1].first().map(|p| p.0);
            // Only if the heading chain is not itself at the top of its page.
            if first_page != Some(page) || is_page_top(&placement, back - 1, geo) {
                break;
            }
            back -= 1;
        }
        placement.truncate(back);
        i = back;
        page += 1;
        y = geo.top(page);
        at_top = true;
    }
    placement
}

/// How many lines to set before a page break, given that `fit` would fit: fewer, when the
/// last of them ends in an inserted hyphen, so that no word is split across pages (TeX's
/// `\brokenpenalty`). A page one or two lines short is the lesser evil; a split word stays
/// only when every shorter break would leave fewer than [`MIN_LINES`] lines (an orphan).
fn whole_word_break(lines: &[Line], fit: usize) -> usize {
    let mut take = fit;
    for _ in 0..=MAX_SHORT_LINES {
        if take < MIN_LINES || take >= lines.len() {
            break;
        }
        if !lines[take - 1].hyphenated {
            return take;
        }
        take -= 1;
    }
    fit
}

/// How many lines a page may come out short to keep a word whole across a page break.
const MAX_SHORT_LINES: usize = 2;

fn is_page_top(placement: &Placement, flow: usize, geo: &Geometry) -> bool {
    placement[flow]
        .first()
        .is_some_and(|(p, y)| (*y - geo.top(*p)).abs() < 0.01)
}

/// Height that must fit after flow `i` for its keep-with-next to hold.
fn keep_need(flows: &[Flow], i: usize) -> f32 {
    let mut need = 0.0;
    let mut j = i;
    while flows[j].keep_with_next && j + 1 < flows.len() {
        let next = &flows[j + 1];
        need += next.space_before;
        if next.keep_with_next || !next.splittable || next.lines.len() <= 2 * MIN_LINES {
            need += next.height();
        } else {
            need += next.lines[..MIN_LINES]
                .iter()
                .map(|l| l.height)
                .sum::<f32>();
            break;
        }
        j += 1;
    }
    need
}

fn place_lines(f: &Flow, page: usize, y: &mut f32) -> Vec<(usize, f32)> {
    f.lines
        .iter()
        .map(|l| {
            let at = (page, *y);
            *y += l.height;
            at
        })
        .collect()
}

/// Places `f.lines[from..]` from the top of the next page on, over as many pages as they
/// need, each break leaving at least [`MIN_LINES`] lines before it and after it where the
/// page allows.
fn place_rest(
    f: &Flow,
    from: usize,
    geo: &Geometry,
    bottom: &dyn Fn(usize) -> f32,
    page: &mut usize,
    y: &mut f32,
    out: &mut Vec<(usize, f32)>,
) {
    let mut at = from;
    while at < f.lines.len() {
        *page += 1;
        *y = geo.top(*page);
        let rest = &f.lines[at..];
        let mut fit = 0;
        let mut h = 0.0;
        for l in rest {
            if h + l.height > bottom(*page) - *y + 0.01 {
                break;
            }
            h += l.height;
            fit += 1;
        }
        let take = if fit >= rest.len() {
            rest.len()
        } else {
            // Leave enough for the next page, unless the page holds too few lines for that.
            let keep = whole_word_break(rest, fit.min(rest.len() - MIN_LINES));
            if keep >= MIN_LINES { keep } else { fit.max(1) }
        };
        for l in &rest[..take] {
            out.push((*page, *y));
            *y += l.height;
        }
        at += take;
    }
}

fn place_lines_anyway(
    f: &Flow,
    geo: &Geometry,
    bottom: &dyn Fn(usize) -> f32,
    page: &mut usize,
    y: &mut f32,
) -> Vec<(usize, f32)> {
    f.lines
        .iter()
        .map(|l| {
            if *y + l.height > bottom(*page) + 0.01 && (*y - geo.top(*page)).abs() > 0.01 {
                *page += 1;
                *y = geo.top(*page);
            }
            let at = (*page, *y);
            *y += l.height;
            at
        })
        .collect()
}

/// How many pages a placement fills (at least one).
pub fn pages_of(placement: &Placement) -> usize {
    placement
        .iter()
        .flat_map(|f| f.iter().map(|p| p.0 + 1))
        .max()
        .unwrap_or(1)
}

/// Turns placed flows into pages of absolutely positioned items, and the outline: at
/// least `min_pages` pages. Each page, once every line placed on it is drawn, is handed
/// to `finish` (with its index) and then, if `pack`, packed (see [`Page::pack`]); each
/// flow is unpacked when it is drawn.
pub fn draw(
    flows: Vec<Flow>,
    placement: &Placement,
    geo: &Geometry,
    min_pages: usize,
    pack: bool,
    mut finish: impl FnMut(usize, &mut Page),
) -> (Vec<Page>, Vec<OutlineEntry>) {
    let pages_n = pages_of(placement).max(min_pages);
    let mut pages = vec![Page::default(); pages_n];
    let mut outline = Vec::new();
    // Pages before `done` are finished. The placement goes down the pages in flow order.
    let mut done = 0;
    let mut end = |pages: &mut [Page], upto: usize, done: &mut usize| {
        while *done < upto.min(pages.len()) {
            finish(*done, &mut pages[*done]);
            if pack {
                pages[*done].pack();
            }
            *done += 1;
        }
    };
    for (mut f, places) in flows.into_iter().zip(placement) {
        if let Some(&(page, _)) = places.first() {
            end(&mut pages, page, &mut done);
        }
        f.unpack();
        if let (Some((level, title)), Some((page, y))) = (&f.outline, places.first()) {
            outline.push(OutlineEntry {
                level: *level,
                title: title.clone(),
                page: *page,
                y: *y,
            });
        }
        for (line, (page, top)) in f.lines.into_iter().zip(places) {
            debug_assert!(*page >= done, "a line placed on a finished page");
            let x0 = geo.left + f.indent;
            let base = top + line.baseline;
            place_line(&mut pages[*page], line, f.origin, x0, base);
        }
    }
    end(&mut pages, pages_n, &mut done);
    (pages, outline)
}

/// Draws a set line with its left end at `x0` and its baseline at `base`.
pub fn place_line(page: &mut Page, line: Line, origin: Origin, x0: f32, base: f32) {
    let mut images = line.images.into_iter().peekable();
    let mut place_images = |page: &mut Page, k: usize| {
        while let Some((_, mut b)) = images.next_if(|(at, _)| *at <= k) {
            b.x += x0;
            b.y += base;
            page.items.push(Placed {
                origin,
                item: Item::Image(b),
            });
        }
    };
    for (k, mut r) in line.runs.into_iter().enumerate() {
        place_images(page, k);
        r.x += x0;
        r.y += base;
        page.items.push(Placed {
            origin,
            item: Item::Text(r),
        });
    }
    place_images(page, usize::MAX);
    for rule in &line.rules {
        let mut r = *rule;
        r.x0 += x0;
        r.x1 += x0;
        r.y += base;
        page.items.push(Placed {
            origin,
            item: Item::Rule(r),
        });
    }
    for link in line.links {
        page.items.push(Placed {
            origin,
            item: Item::Link(LinkArea {
                x0: link.x0 + x0,
                x1: link.x1 + x0,
                y0: link.y0 + base,
                y1: link.y1 + base,
                url: link.url,
            }),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_texts_come_back_whole() {
        for t in [
            "",
            "a",
            "fi",
            "ffi",
            "€",
            "😀",
            "क्षि",
            "👩\u{200D}👩\u{200D}👧",
            "a\0",
            "\0",
            "ab\0c",
        ] {
            assert_eq!(GlyphText::new(t).as_str(), t);
            assert_eq!(GlyphText::new(t), GlyphText::new(t));
        }
        assert_ne!(GlyphText::new("क्षि"), GlyphText::new("क्षा"));
        // Twelve bytes a glyph: a long document holds them all until it is paginated.
        assert_eq!(std::mem::size_of::<PlacedGlyph>(), 12);
    }

    fn run(texts: &[&str], x0: f32) -> GlyphRun {
        GlyphRun {
            face: FaceId(0),
            size: 10.5,
            color: [0.0; 3],
            x: x0,
            y: 0.0,
            glyphs: texts
                .iter()
                .enumerate()
                .map(|(i, t)| PlacedGlyph {
                    gid: (i * 37 % 3000) as u16,
                    x: [0.0, 4.271, -0.0, f32::MAX, 1e-40, 341.9999][i % 6] + i as f32,
                    text: GlyphText::new(t),
                })
                .collect(),
            role: Role::Text,
        }
    }

    /// Issue 17: runs and glyphs packed come back as they were, bit for bit; a page's items
    /// added after it was packed stay as they are.
    #[test]
    fn packed_glyphs_come_back_whole() {
        let long: Vec<&str> = (0..300)
            .map(|i| ["a", "fi", "क्षि", "", "😀"][i % 5])
            .collect();
        let line = |runs: Vec<GlyphRun>| Line {
            height: 12.0,
            runs,
            ..Line::default()
        };
        let mut f = Flow {
            lines: vec![
                line(vec![run(&["H", "e"], 0.0), run(&[], 3.0), run(&long, 9.5)]),
                line(Vec::new()),
                line(vec![run(&["x"; 200], 1.0)]),
                line(vec![
                    GlyphRun {
                        role: Role::Cell {
                            row: 7,
                            col: 70_000,
                        },
                        color: [0.1, 0.35, 1.0],
                        y: -2.5,
                        ..run(&["c"], 4.0)
                    },
                    GlyphRun {
                        role: Role::Hyphen,
                        ..run(&["-"], 9.0)
                    },
                ]),
            ],
            ..Flow::default()
        };
        let before = f.clone();
        f.pack();
        assert!(f.packed.is_packed());
        assert!(f.lines.iter().all(|l| l.runs.is_empty()));
        f.unpack();
        assert!(!f.packed.is_packed());
        assert_eq!(f, before);
        let bits = |f: &Flow| -> Vec<u32> {
            f.lines
                .iter()
                .flat_map(|l| &l.runs)
                .flat_map(|r| r.glyphs.iter().map(|g| g.x.to_bits()))
                .collect()
        };
        assert_eq!(bits(&f), bits(&before));

        let text = |r: GlyphRun| Placed {
            origin: Origin::Furniture,
            item: Item::Text(r),
        };
        let mut page = Page::default();
        page.items.push(text(run(&long, 0.0)));
        page.items.push(Placed {
            origin: Origin::Furniture,
            item: Item::Link(LinkArea {
                x0: 0.0,
                y0: 0.0,
                x1: 1.0,
                y1: 1.0,
                url: "https://example.org".into(),
            }),
        });
        page.items.push(text(run(&["a", "b"], 2.0)));
        let whole = page.clone();
        page.pack();
        page.items.push(text(run(&["later"], 5.0)));
        page.items.retain(|p| !matches!(p.item, Item::Link(_)));
        let mut expected = whole.clone();
        expected.items.push(text(run(&["later"], 5.0)));
        expected.items.retain(|p| !matches!(p.item, Item::Link(_)));
        assert_eq!(page.unpacked().items, expected.items);
        page.unpack();
        assert_eq!(page, expected);
        // Nothing to pack: nothing kept.
        let mut empty = Page::default();
        empty.pack();
        assert!(!empty.packed.is_packed());
    }

    fn flow(lines: usize, splittable: bool, keep: bool) -> Flow {
        Flow {
            origin: Origin::Furniture,
            indent: 0.0,
            space_before: 0.0,
            lines: vec![
                Line {
                    height: 10.0,
                    baseline: 8.0,
                    ..Line::default()
                };
                lines
            ],
            keep_with_next: keep,
            splittable,
            outline: None,
            packed: Packed::default(),
        }
    }

    fn geo(lines_per_page: f32) -> Geometry {
        Geometry {
            width: 100.0,
            height: 200.0,
            left: 0.0,
            top_first: 0.0,
            top_other: 0.0,
            bottom: lines_per_page * 10.0,
        }
    }

    fn pages_of(p: &[(usize, f32)]) -> Vec<usize> {
        p.iter().map(|x| x.0).collect()
    }

    /// Issue 14: no word split across pages. Page one holds 6 lines of a 10-line paragraph;
    /// the 6th ends in an inserted hyphen, so 5 stay (a page one line short); when the 5th and
    /// 6th both do, 4 stay; when every shorter break is an orphan, the hyphen stays.
    #[test]
    fn a_hyphenated_line_does_not_end_a_page() {
        let hyphenated = |f: &mut Flow, at: &[usize]| {
            for &i in at {
                f.lines[i].hyphenated = true;
            }
        };
        let on_first = |p: &Placement| p[0].iter().filter(|x| x.0 == 0).count();
        let mut f = flow(10, true, false);
        hyphenated(&mut f, &[5]);
        assert_eq!(on_first(&paginate(&[f.clone()], &geo(6.0))), 5);
        hyphenated(&mut f, &[4]);
        assert_eq!(on_first(&paginate(&[f.clone()], &geo(6.0))), 4);
        let mut f = flow(10, true, false);
        hyphenated(&mut f, &[0, 1, 2]);
        assert_eq!(on_first(&paginate(&[f], &geo(3.0))), 3);
        // Later pages of a long paragraph too.
        let mut f = flow(14, true, false);
        hyphenated(&mut f, &[9]);
        let p = paginate(&[f], &geo(5.0));
        assert!(
            p[0].windows(2)
                .all(|w| w[0].0 == w[1].0 || w[0].0 + 1 == w[1].0)
        );
        let last_on_page_one = p[0].iter().rposition(|x| x.0 == 1).unwrap();
        assert_ne!(last_on_page_one, 9, "{:?}", p[0]);
    }

    #[test]
    fn no_orphan_no_widow() {
        // 9 lines fill page one, then a 5-line paragraph: one line would be an orphan,
        // so the whole paragraph... no: 1 line fits, fewer than 2, it moves.
        let flows = [flow(9, true, false), flow(5, true, false)];
        let p = paginate(&flows, &geo(10.0));
        assert_eq!(pages_of(&p[1]), vec![1; 5]);
        // 7 lines on page one leave room for 3 of 4: that would leave a widow (1), so 2
        // stay and 2 go.
        let flows = [flow(7, true, false), flow(4, true, false)];
        let p = paginate(&flows, &geo(10.0));
        assert_eq!(pages_of(&p[1]), vec![0, 0, 1, 1]);
    }

    #[test]
    fn heading_is_kept_with_next() {
        // The heading fits at the foot of page one, but its paragraph does not start
        // there with two lines: both move.
        let flows = [
            flow(8, true, false),
            flow(1, false, true),
            flow(6, true, false),
        ];
        let p = paginate(&flows, &geo(10.0));
        assert_eq!(pages_of(&p[1]), vec![1]);
        assert_eq!(pages_of(&p[2])[0], 1);
    }

    #[test]
    fn a_paragraph_longer_than_two_pages_runs_on_over_as_many_pages_as_it_needs() {
        // 3 lines before it, then 28: 7 + 10 + 9 + 2, every line inside its page, and the
        // last page gets 2 lines rather than 1 (no widow).
        let flows = [flow(3, true, false), flow(28, true, false)];
        let g = geo(10.0);
        let p = paginate(&flows, &g);
        let pages = pages_of(&p[1]);
        let count = |n| pages.iter().filter(|&&x| x == n).count();
        assert_eq!((count(0), count(1), count(2), count(3)), (7, 10, 9, 2));
        for &(page, y) in &p[1] {
            assert!(
                y + 10.0 <= g.bottom + 0.01,
                "line at {y} on page {page} runs off"
            );
        }
    }

    #[test]
    fn oversized_block_still_placed() {
        let flows = [flow(25, false, false)];
        let p = paginate(&flows, &geo(10.0));
        assert_eq!(p[0].len(), 25);
        assert_eq!(p[0].last().map(|x| x.0), Some(2));
    }
}
