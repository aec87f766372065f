//! Setting one paragraph: shape, find break opportunities (UAX #14 and hyphenation),
//! build boxes, glue and penalties, break with Knuth–Plass, and position the glyphs.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::bidi;
use super::cjk;
use super::fonts::{FaceId, FontBook};
use super::hyphenate;
use super::layout::{GlyphRun, GlyphText, ImageBox, Line, LinkArea, PlacedGlyph, Role, Rule};
use super::linebreak::{self, INFINITE_PENALTY, Item, Kind, Params};
use super::shape::{self, Glyph, Missing, ShapeCache, Span};

/// A paragraph's text with its styles and link targets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    pub text: String,
    pub spans: Vec<Span>,
    pub links: Vec<String>,
    /// Inline objects (images), each a box in the line breaker standing at a byte offset of
    /// the text where an [`OBJECT`] character holds its place: its `y` is its top relative
    /// to the baseline, its `x` unused.
    pub objects: Vec<(usize, ImageBox)>,
}

/// The character that holds an inline object's place in a paragraph's text (never shaped
/// nor drawn).
pub const OBJECT: char = '\u{FFFC}';

impl Text {
    /// Appends `s` in `style`.
    pub fn push(&mut self, s: &str, style: shape::Style, link: Option<u32>, source: Option<u32>) {
        if s.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        let end = self.text.len();
        if let Some(last) = self.spans.last_mut()
            && last.style == style
            && last.link == link
            && last.range.end == start
            && source.is_none()
            && last.source.is_none()
        {
            last.range.end = end;
            return;
        }
        self.spans.push(Span {
            range: start..end,
            style,
            link,
            source,
            exact: true,
        });
    }

    /// Appends an inline object (an image), a box of its width that breaks like a letter: no
    /// break between it and the text it touches, only at spaces around it.
    pub fn push_object(&mut self, b: ImageBox, style: shape::Style, link: Option<u32>) {
        let start = self.text.len();
        self.text.push(OBJECT);
        self.spans.push(Span {
            range: start..self.text.len(),
            style,
            link,
            source: None,
            exact: true,
        });
        self.objects.push((start, b));
    }

    /// The object standing at byte `at`, if any.
    fn object_at(&self, at: usize) -> Option<&ImageBox> {
        self.objects.iter().find(|(o, _)| *o == at).map(|(_, b)| b)
    }

    /// Appends `s`, which stands for the source at `at` but not byte for byte (smart
    /// punctuation): every byte of it maps to `at`.
    pub fn push_approx(&mut self, s: &str, style: shape::Style, link: Option<u32>, at: u32) {
        self.push(s, style, link, Some(at));
        if let Some(last) = self.spans.last_mut() {
            last.exact = false;
        }
    }

    /// The source offset of a byte of the text, when known.
    pub fn source_of(&self, at: usize) -> Option<u32> {
        let span = self.spans.iter().find(|s| s.range.contains(&at))?;
        let delta = if span.exact { at - span.range.start } else { 0 };
        span.source.map(|s| s + delta as u32)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SetOptions {
    /// The measure, in points.
    pub width: f32,
    pub align: Align,
    /// Balance the lines (headline): no short last line.
    pub balance: bool,
    /// Line height, in points.
    pub leading: f32,
    /// The size of the body text, for em-based limits.
    pub em: f32,
}

/// What setting found worth a warning.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub missing: Vec<Missing>,
    /// Words wider than the measure, split without a hyphen: (the word; its byte offset).
    /// A message quotes it through [`word_for_message`].
    pub overfull: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Content {
    Glyphs(Range<usize>),
    /// A hyphen to draw when the line breaks here, in the style of the glyph before it.
    Hyphen(usize),
    None,
}

/// Sets a paragraph into lines.
pub fn set(
    book: &FontBook,
    cache: &mut ShapeCache,
    text: &Text,
    opts: &SetOptions,
    lang: &str,
    report: &mut Report,
) -> Vec<Line> {
    let rtl = bidi::is_rtl_lang(lang).then_some(true);
    set_dir(book, cache, text, opts, lang, rtl, report)
}

/// Sets a paragraph into lines with a base direction: `Some(true)` right to left,
/// `Some(false)` left to right, `None` from the first strong character.
pub fn set_dir(
    book: &FontBook,
    cache: &mut ShapeCache,
    text: &Text,
    opts: &SetOptions,
    lang: &str,
    rtl: Option<bool>,
    report: &mut Report,
) -> Vec<Line> {
    let mut glyphs = if text.objects.is_empty() {
        shape::shape(
            book,
            cache,
            &text.text,
            &text.spans,
            lang,
            &mut report.missing,
        )
    } else {
        shape_with_objects(book, cache, text, lang, report)
    };
    if glyphs.is_empty() {
        return Vec::new();
    }
    let cands = break_candidates(text, lang, cache, opts);
    let justify = opts.align == Align::Justify;
    let (items, content) = build_items(book, text, &glyphs, &cands, opts, report);
    let breaks = linebreak::break_lines(&items, &params_for(opts));
    let levels = bidi::levels(&text.text, rtl);
    let base_rtl = levels.is_some() && bidi::base_is_rtl(&text.text, rtl);
    let last = items.len() - 1;

    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for br in &breaks {
        let mut ratio = if justify { br.ratio } else { 0.0 };
        if br.at == last || is_forced(&items, br.at) {
            ratio = ratio.min(0.0);
        }
        let mut run = place_glyphs(&items, &content, &glyphs, start..br.at, ratio);
        let mut hyphen: Option<(usize, f32)> = None;
        if let Content::Hyphen(gi) = content[br.at] {
            hyphen = Some((gi, run.x));
            run.x += items[br.at].width;
        }
        let line_width = run.x;
        let mut shift = match opts.align {
            Align::Center => ((opts.width - line_width) / 2.0).max(0.0),
            Align::Right => (opts.width - line_width).max(0.0),
            _ => 0.0,
        };
        if let Some(levels) = &levels {
            let hyphen_width = items[br.at].width;
            hyphen = reorder(
                book,
                text,
                levels,
                &mut glyphs,
                &mut run,
                hyphen,
                hyphen_width,
            );
            // Right-to-left paragraphs are set from the right edge (mirrored alignment).
            if base_rtl {
                shift = match opts.align {
                    Align::Center => shift,
                    Align::Right => 0.0,
                    _ => (opts.width - line_width).max(0.0),
                };
            }
        }
        lines.push(make_line(
            book,
            text,
            &glyphs,
            &run.placed,
            hyphen,
            shift,
            opts,
        ));
        start = linebreak::line_start(&items, br.at);
    }
    lines
}

/// Where a paragraph may break: UAX #14 opportunities and hyphenation points, none next to an
/// inline object.
fn break_candidates(
    text: &Text,
    lang: &str,
    cache: &mut ShapeCache,
    opts: &SetOptions,
) -> Vec<Cand> {
    // Ragged lines have room to spare: hyphenate only where it clearly helps.
    let hyphen_penalty = if opts.align == Align::Justify {
        50.0
    } else {
        250.0
    };
    let mut cands = candidates(text, lang, cache, hyphen_penalty);
    if !text.objects.is_empty() {
        // An object breaks like a letter: only at the spaces around it.
        let len = OBJECT.len_utf8();
        cands.retain(|c| {
            c.forced
                || !text
                    .objects
                    .iter()
                    .any(|(at, _)| c.at == *at || c.at == at + len)
        });
    }
    cands
}

/// The line breaker's parameters for the alignment.
fn params_for(opts: &SetOptions) -> Params {
    let justify = opts.align == Align::Justify;
    let mut params = Params::new(opts.width);
    if !justify {
        params.line_end_stretch = if opts.balance {
            opts.width
        } else {
            5.0 * opts.em
        };
    }
    if justify {
        params.min_last_line = opts.em * 1.2;
    }
    params
}

/// One line's glyphs placed from its left end, in logical order.
struct PlacedRun {
    /// (glyph index, x)
    placed: Vec<(usize, f32)>,
    /// Each placed glyph's width on the line.
    widths: Vec<f32>,
    /// The pen's position after the last glyph.
    x: f32,
}

/// Places the glyphs of `items[range]`, glue stretched or shrunk by `ratio`.
fn place_glyphs(
    items: &[Item],
    content: &[Content],
    glyphs: &[Glyph],
    range: Range<usize>,
    ratio: f32,
) -> PlacedRun {
    let mut placed: Vec<(usize, f32)> = Vec::new(); // (glyph index, x)
    let mut widths: Vec<f32> = Vec::new(); // each placed glyph's width on the line
    let mut x = 0.0f32;
    for i in range {
        let it = items[i];
        match (&content[i], it.kind) {
            (Content::Glyphs(r), Kind::Box) => {
                for gi in r.clone() {
                    placed.push((gi, x + glyphs[gi].x_offset));
                    widths.push(glyphs[gi].advance);
                    x += glyphs[gi].advance;
                }
            }
            (Content::Glyphs(r), Kind::Glue) => {
                let w = if ratio >= 0.0 {
                    it.width + ratio * it.stretch
                } else {
                    it.width + ratio * it.shrink
                };
                let scale = if it.width > 0.0 { w / it.width } else { 1.0 };
                for gi in r.clone() {
                    placed.push((gi, x));
                    widths.push(glyphs[gi].advance * scale);
                    x += glyphs[gi].advance * scale;
                }
                if r.is_empty() {
                    x += w;
                    if let Some(last) = widths.last_mut() {
                        *last += w;
                    }
                }
            }
            _ => {}
        }
    }
    PlacedRun { placed, widths, x }
}

/// Reorders a placed line by UAX #9 and mirrors its glyphs; returns where the inserted
/// hyphen (if any) ends up.
fn reorder(
    book: &FontBook,
    text: &Text,
    levels: &[unicode_bidi::Level],
    glyphs: &mut [Glyph],
    run: &mut PlacedRun,
    mut hyphen: Option<(usize, f32)>,
    hyphen_width: f32,
) -> Option<(usize, f32)> {
    // An inserted hyphen is reordered with the line, at the level of the glyph it
    // follows, so that it stays at the end of its word piece (right after a Latin
    // piece in a right-to-left line), not at the line's logical end.
    let hyphen_at = hyphen.map(|(gi, _)| {
        run.placed.push((gi, 0.0));
        run.widths.push(hyphen_width);
        run.placed.len() - 1
    });
    let (mirrored, order) = bidi::reorder_line(
        book,
        &text.text,
        levels,
        glyphs,
        &mut run.placed,
        &run.widths,
    );
    let hyphen_k = hyphen_at.and_then(|h| order.iter().position(|&i| i == h));
    for (k, gid) in mirrored {
        if Some(k) != hyphen_k
            && let Some(&(gi, _)) = run.placed.get(k)
        {
            glyphs[gi].gid = gid;
        }
    }
    if let Some(k) = hyphen_k {
        let (gi, x) = run.placed.remove(k);
        hyphen = Some((gi, x - glyphs[gi].x_offset));
    }
    hyphen
}

/// Shapes the text's spans but those of objects, which become one glyph each: a box of the
/// object's width (gid 0, never drawn).
fn shape_with_objects(
    book: &FontBook,
    cache: &mut ShapeCache,
    text: &Text,
    lang: &str,
    report: &mut Report,
) -> Vec<Glyph> {
    let (kept, index): (Vec<Span>, Vec<u32>) = text
        .spans
        .iter()
        .enumerate()
        .filter(|(_, s)| text.object_at(s.range.start).is_none())
        .map(|(i, s)| (s.clone(), i as u32))
        .unzip();
    let mut glyphs = shape::shape(book, cache, &text.text, &kept, lang, &mut report.missing);
    for g in &mut glyphs {
        g.span = index.get(g.span as usize).copied().unwrap_or(g.span);
    }
    for (si, span) in text.spans.iter().enumerate() {
        let Some(b) = text.object_at(span.range.start) else {
            continue;
        };
        let at = glyphs.partition_point(|g| (g.span as usize) < si);
        glyphs.insert(
            at,
            Glyph {
                face: span.style.face,
                gid: 0,
                advance: b.width,
                x_offset: 0.0,
                cluster: span.range.start as u32,
                text_len: span.range.len() as u32,
                span: si as u32,
            },
        );
    }
    glyphs
}

fn is_forced(items: &[Item], at: usize) -> bool {
    items[at].kind == Kind::Penalty && items[at].penalty <= -INFINITE_PENALTY
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Cand {
    at: usize,
    penalty: f32,
    flagged: bool,
    hyphen: bool,
    forced: bool,
}

/// Break opportunities inside runs of non-space text, and forced breaks, sorted.
fn candidates(text: &Text, lang: &str, cache: &mut ShapeCache, hyphen_penalty: f32) -> Vec<Cand> {
    let s = &text.text;
    let mut out = Vec::new();
    for (at, kind) in linebreaks(s) {
        if at == 0 || at >= s.len() {
            continue;
        }
        let prev = s[..at].chars().next_back().unwrap_or(' ');
        if kind == BreakOpportunity::Mandatory {
            out.push(Cand {
                at,
                penalty: -INFINITE_PENALTY,
                flagged: false,
                hyphen: false,
                forced: true,
            });
            continue;
        }
        if prev == ' ' || prev == '\t' || prev == '\n' {
            continue; // glue is the break
        }
        let next = s[at..].chars().next().unwrap_or(' ');
        if cjk::no_break_between(prev, next) {
            continue;
        }
        let (penalty, flagged) = match prev {
            '-' | '\u{2010}' => (50.0, true),
            '/' => (100.0, false),
            _ => (0.0, false),
        };
        out.push(Cand {
            at,
            penalty,
            flagged,
            hyphen: false,
            forced: false,
        });
    }
    if let Some(hlang) = hyphenate::language(lang) {
        for span in &text.spans {
            if !span.style.hyphenate {
                continue;
            }
            let Some(st) = s.get(span.range.clone()) else {
                continue;
            };
            let mut word_start = None;
            for (i, c) in st.char_indices().chain(std::iter::once((st.len(), ' '))) {
                let is_space = c.is_whitespace();
                match (is_space, word_start) {
                    (false, None) => word_start = Some(i),
                    (true, Some(ws)) => {
                        let word = &st[ws..i];
                        let pts = match cache.hyphens.get(word) {
                            Some(p) => p,
                            None => {
                                let mut p = Vec::new();
                                hyphenate::points(word, hlang, &mut p);
                                cache.hyphens.entry(Box::from(word)).or_insert(p)
                            }
                        };
                        // Names ("Is-rael") are broken only where it clearly helps.
                        let capitalized = word.starts_with(char::is_uppercase);
                        for p in pts {
                            out.push(Cand {
                                at: span.range.start + ws + p,
                                penalty: if capitalized {
                                    hyphen_penalty * 4.0
                                } else {
                                    hyphen_penalty
                                },
                                flagged: true,
                                hyphen: true,
                                forced: false,
                            });
                        }
                        word_start = None;
                    }
                    _ => {}
                }
            }
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(b.forced.cmp(&a.forced)));
    out.dedup_by_key(|c| c.at);
    out
}

fn is_space_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

fn build_items(
    book: &FontBook,
    text: &Text,
    glyphs: &[Glyph],
    cands: &[Cand],
    opts: &SetOptions,
    report: &mut Report,
) -> (Vec<Item>, Vec<Content>) {
    // The widest hyphen this paragraph may need, so split words leave room for one.
    // (Spans carry the size; a hyphen is never wider than 0.5 em in a text face.)
    let hyphen_room = text
        .spans
        .iter()
        .map(|s| s.style.size * 0.5)
        .fold(0.0f32, f32::max);
    let mut b = Items {
        book,
        text,
        glyphs,
        opts,
        report,
        justify: opts.align == Align::Justify,
        limit: (opts.width - hyphen_room).max(opts.width * 0.5),
        items: Vec::with_capacity(glyphs.len() / 3),
        content: Vec::with_capacity(glyphs.len() / 3),
        box_start: None,
        box_w: 0.0,
    };
    let mut ci = 0;
    for (gi, g) in glyphs.iter().enumerate() {
        let cluster = g.cluster as usize;
        let first_of_cluster = gi == 0 || glyphs[gi - 1].cluster != g.cluster;
        // Break opportunities up to this glyph.
        while ci < cands.len() && cands[ci].at <= cluster {
            let c = cands[ci];
            ci += 1;
            if !c.forced && (c.at != cluster || !first_of_cluster) {
                continue; // inside a ligature, or at a space: no break here
            }
            if c.forced {
                b.forced_break(gi);
                continue;
            }
            if b.box_start.is_none() {
                continue;
            }
            b.break_opportunity(c, gi);
        }
        let ch = text.text[cluster..].chars().next().unwrap_or('x');
        if is_space_char(ch) && first_of_cluster || is_space_char(ch) && b.box_start.is_none() {
            b.space(gi);
            continue;
        }
        if b.box_start.is_none() {
            b.box_start = Some(gi);
        }
        b.box_w += g.advance;
    }
    b.flush(glyphs.len());
    b.finish()
}

/// The items of a paragraph as [`build_items`] makes them: boxes of glyphs, glue at spaces,
/// penalties at break opportunities; each with what it draws.
struct Items<'a> {
    book: &'a FontBook,
    text: &'a Text,
    glyphs: &'a [Glyph],
    opts: &'a SetOptions,
    report: &'a mut Report,
    justify: bool,
    /// The widest piece of a word split because it is wider than the measure.
    limit: f32,
    items: Vec<Item>,
    content: Vec<Content>,
    /// The glyphs of the box being gathered start here, and are this wide so far.
    box_start: Option<usize>,
    box_w: f32,
}

impl Items<'_> {
    fn push(&mut self, item: Item, content: Content) {
        self.items.push(item);
        self.content.push(content);
    }

    /// Ends the box being gathered before glyph `end`.
    fn flush(&mut self, end: usize) {
        let Some(s) = self.box_start.take() else {
            return;
        };
        if self.box_w > self.opts.width {
            self.split_overfull(s, end);
        } else {
            self.push(Item::boxed(self.box_w), Content::Glyphs(s..end));
        }
        self.box_w = 0.0;
    }

    /// A box wider than the measure: split at glyph boundaries, and say so.
    fn split_overfull(&mut self, s: usize, end: usize) {
        let (glyphs, text) = (self.glyphs, self.text);
        let from = glyphs[s].cluster as usize;
        let to = glyphs
            .get(end)
            .map_or(text.text.len(), |g| g.cluster as usize);
        let word = text.text.get(from..to).unwrap_or("").to_string();
        self.report.overfull.push((word, from));
        let mut cs = s;
        let mut w = 0.0f32;
        for (gi, g) in glyphs.iter().enumerate().take(end).skip(s) {
            let a = g.advance;
            if w + a > self.limit && gi > cs && g.text_len > 0 {
                self.push(Item::boxed(w), Content::Glyphs(cs..gi));
                self.push(Item::penalty(0.0, 0.0, false), Content::None);
                cs = gi;
                w = 0.0;
            }
            w += a;
        }
        self.push(Item::boxed(w), Content::Glyphs(cs..end));
    }

    /// A forced break (a hard line break) before glyph `gi`: the line ends, filled.
    fn forced_break(&mut self, gi: usize) {
        self.flush(gi);
        if matches!(self.items.last(), Some(it) if it.kind == Kind::Glue) {
            self.items.pop();
            self.content.pop();
        }
        self.push(Item::glue(0.0, 1.0e5, 0.0), Content::None);
        self.push(Item::penalty(0.0, -INFINITE_PENALTY, false), Content::None);
    }

    /// A break opportunity before glyph `gi`, inside a word: a hyphen, CJK glue or a plain
    /// penalty.
    fn break_opportunity(&mut self, c: Cand, gi: usize) {
        self.flush(gi);
        let glyphs = self.glyphs;
        if c.hyphen && gi > 0 {
            let w = hyphen_width(self.book, self.text, &glyphs[gi - 1]);
            self.push(
                Item::penalty(w, c.penalty, c.flagged),
                Content::Hyphen(gi - 1),
            );
        } else if self.justify
            && gi > 0
            && let Some(stretch) =
                cjk::inter_character_stretch(self.text, &glyphs[gi - 1], &glyphs[gi])
        {
            // Between ideographs a justified line spreads its characters.
            self.push(Item::glue(0.0, stretch, 0.0), Content::Glyphs(gi..gi));
        } else {
            self.push(Item::penalty(0.0, c.penalty, c.flagged), Content::None);
        }
    }

    /// A space glyph: glue (spaces in a row make one), none at the start of a line.
    fn space(&mut self, gi: usize) {
        self.flush(gi);
        if self.items.is_empty()
            || matches!(self.items.last(), Some(it) if it.kind == Kind::Penalty && it.penalty <= -INFINITE_PENALTY)
        {
            return; // no space at the start of a line
        }
        let w = self.glyphs[gi].advance;
        let (stretch, shrink) = if self.justify {
            (w * 0.5, w * 0.28)
        } else {
            (0.0, 0.0)
        };
        match (self.items.last_mut(), self.content.last_mut()) {
            (Some(it), Some(Content::Glyphs(r))) if it.kind == Kind::Glue => {
                it.width += w;
                it.stretch += stretch;
                it.shrink += shrink;
                r.end = gi + 1;
            }
            _ => {
                let cluster = self.glyphs[gi].cluster as usize;
                if self.opts.balance
                    && let Some(p) = display_break_penalty(&self.text.text[..cluster])
                {
                    self.push(Item::penalty(0.0, p, false), Content::None);
                }
                self.push(Item::glue(w, stretch, shrink), Content::Glyphs(gi..gi + 1));
            }
        }
    }

    /// The items, without trailing glue and penalties, ended as the line breaker wants.
    fn finish(mut self) -> (Vec<Item>, Vec<Content>) {
        while matches!(self.items.last(), Some(it) if it.kind != Kind::Box) {
            self.items.pop();
            self.content.pop();
        }
        let fill = if self.opts.balance { 0.0 } else { 1.0e5 };
        for it in Item::finish(fill) {
            self.push(it, Content::None);
        }
        (self.items, self.content)
    }
}

/// In display type (headlines), a break after a colon or dash reads best, and one after
/// a short function word ("the", "of", "a") worst: the penalty for breaking after the
/// last word of `before`, when it is not the default.
fn display_break_penalty(before: &str) -> Option<f32> {
    let word = before.trim_end().rsplit(char::is_whitespace).next()?;
    if word.ends_with([':', ';', '\u{2014}', '\u{2013}', ',']) {
        return Some(-300.0);
    }
    const WEAK: [&str; 24] = [
        "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "and", "or", "as",
        "with", "its", "his", "her", "their", "our", "your", "my", "no", "not",
    ];
    let lower = word.to_lowercase();
    if WEAK.contains(&lower.as_str()) {
        return Some(400.0);
    }
    None
}

/// The most characters of a word a message quotes.
const QUOTED_CHARS: usize = 40;

/// A word as a message quotes it: whole when short, else its first [`QUOTED_CHARS`]
/// characters and an ellipsis, with its length in characters (a 50,000-character "word" must
/// not flood the terminal).
pub fn word_for_message(word: &str) -> (String, Option<usize>) {
    match word.char_indices().nth(QUOTED_CHARS) {
        None => (word.to_string(), None),
        Some((end, _)) => (format!("{}…", &word[..end]), Some(word.chars().count())),
    }
}

fn hyphen_width(book: &FontBook, text: &Text, g: &Glyph) -> f32 {
    let face = book.face(g.face);
    let size = text
        .spans
        .get(g.span as usize)
        .map_or(10.0, |s| s.style.size);
    face.shaper
        .glyph_index('-')
        .and_then(|id| face.shaper.glyph_hor_advance(id))
        .map_or(0.0, |a| a as f32 * size / face.units_per_em)
}

fn make_line(
    book: &FontBook,
    text: &Text,
    glyphs: &[Glyph],
    placed: &[(usize, f32)],
    hyphen: Option<(usize, f32)>,
    shift: f32,
    opts: &SetOptions,
) -> Line {
    let mut l = LineParts::default();
    for &(gi, x) in placed {
        let g = glyphs[gi];
        let Some(span) = text.spans.get(g.span as usize) else {
            continue;
        };
        let url = |link: u32| text.links.get(link as usize).cloned().unwrap_or_default();
        if let Some(b) = text.object_at(g.cluster as usize) {
            l.image(b, x + shift, &span.style, span.link.map(url));
            continue;
        }
        let face = book.face(g.face);
        l.ascent = l
            .ascent
            .max(face.ascender * span.style.size / face.units_per_em);
        l.descent = l
            .descent
            .max(-face.descender * span.style.size / face.units_per_em);
        let c = g.cluster as usize;
        let t = GlyphText::new(text.text.get(c..c + g.text_len as usize).unwrap_or(""));
        let x = x + shift;
        let st = span.style;
        l.glyph(&st, g.face, x, g.gid, t);
        if st.strike {
            l.strike(&st, x, g.advance);
        }
        if let Some(link) = span.link {
            l.link(url(link), &span.style, x, g.advance);
        }
    }
    if let Some((gi, x)) = hyphen {
        l.hyphen(book, text, glyphs[gi], x + shift);
    }
    l.finish(opts.leading, hyphen.is_some())
}

/// A set line as [`make_line`] gathers it.
#[derive(Default)]
struct LineParts {
    runs: Vec<GlyphRun>,
    links: Vec<LinkArea>,
    ascent: f32,
    descent: f32,
    rules: Vec<Rule>,
    images: Vec<(usize, ImageBox)>,
}

impl LineParts {
    /// An inline object (image) at `x`, with its link area.
    fn image(&mut self, b: &ImageBox, x: f32, style: &shape::Style, url: Option<String>) {
        let mut b = b.clone();
        b.x = x;
        b.y -= style.rise;
        self.ascent = self.ascent.max(-b.y);
        self.descent = self.descent.max(b.y + b.height);
        if let Some(url) = url {
            self.links.push(LinkArea {
                x0: b.x,
                x1: b.x + b.width,
                y0: b.y,
                y1: b.y + b.height,
                url,
            });
        }
        self.images.push((self.runs.len(), b));
    }

    /// A glyph, added to the last run when it has the same face, size, colour and baseline.
    fn glyph(&mut self, style: &shape::Style, face: FaceId, x: f32, gid: u16, t: GlyphText) {
        let y = -style.rise;
        // A run does not continue past an image: the image is read between them.
        let barrier = self.images.last().map_or(0, |(k, _)| *k);
        let n = self.runs.len();
        match self.runs.last_mut() {
            Some(r)
                if r.face == face
                    && r.size == style.size
                    && r.color == style.color
                    && r.y == y
                    && n > barrier =>
            {
                r.glyphs.push(PlacedGlyph {
                    gid,
                    x: x - r.x,
                    text: t,
                });
            }
            _ => self.runs.push(GlyphRun {
                face,
                size: style.size,
                color: style.color,
                x,
                y,
                glyphs: vec![PlacedGlyph {
                    gid,
                    x: 0.0,
                    text: t,
                }],
                role: Role::Text,
            }),
        }
    }

    /// Strikethrough under a glyph, joined to the rule before it.
    fn strike(&mut self, st: &shape::Style, x: f32, advance: f32) {
        let y = -(st.rise + st.size * 0.3);
        match self.rules.last_mut() {
            Some(r) if (r.x1 - x).abs() < st.size && r.y == y => r.x1 = x + advance,
            _ => self.rules.push(Rule {
                x0: x,
                x1: x + advance,
                y,
                thickness: (st.size * 0.06).max(0.4),
                color: st.color,
            }),
        }
    }

    /// A glyph's link area, joined to the one before it for the same address.
    fn link(&mut self, url: String, style: &shape::Style, x: f32, advance: f32) {
        let x1 = x + advance;
        let asc = style.size * 0.9;
        let desc = style.size * 0.25;
        match self.links.last_mut() {
            Some(la) if la.url == url && (x - la.x1).abs() < style.size => la.x1 = x1,
            _ => self.links.push(LinkArea {
                x0: x,
                x1,
                y0: -asc,
                y1: desc,
                url,
            }),
        }
    }

    /// The inserted hyphen after glyph `g`, at `x`.
    fn hyphen(&mut self, book: &FontBook, text: &Text, g: Glyph, x: f32) {
        if let Some(span) = text.spans.get(g.span as usize) {
            let face = book.face(g.face);
            if let Some(id) = face.shaper.glyph_index('-') {
                // A run of its own, so that the tagged PDF can leave it out of the word.
                self.runs.push(GlyphRun {
                    face: g.face,
                    size: span.style.size,
                    color: span.style.color,
                    x,
                    y: -span.style.rise,
                    glyphs: vec![PlacedGlyph {
                        gid: id.0,
                        x: 0.0,
                        text: "-".into(),
                    }],
                    role: Role::Hyphen,
                });
            }
        }
    }

    /// The line: its height and baseline from the leading, opened up by a tall image.
    fn finish(self, leading: f32, hyphenated: bool) -> Line {
        let (ascent, descent) = (self.ascent, self.descent);
        let mut height = leading;
        let mut baseline = ((height - (ascent + descent)) / 2.0 + ascent).max(0.0);
        if !self.images.is_empty() && ascent + descent > height {
            // An image taller than the leading opens the line up, with a little air.
            let air = (leading * 0.15).max(1.0);
            height = ascent + descent + air;
            baseline = ascent + air / 2.0;
        }
        Line {
            height,
            baseline,
            runs: self.runs,
            rules: self.rules,
            links: self.links,
            hyphenated,
            images: self.images,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fonts::Bundled;
    use super::super::shape::{BLACK, Style};
    use super::*;

    fn body() -> Style {
        Style {
            face: Bundled::Serif.id(),
            size: 11.0,
            color: BLACK,
            hyphenate: true,
            rise: 0.0,
            strike: false,
        }
    }

    /// `t` set `width` points wide with the bundled fonts, with what it reported.
    fn set_at(t: &Text, width: f32, align: Align, lang: &str) -> (Vec<Line>, Report) {
        let opts = SetOptions {
            width,
            align,
            balance: false,
            leading: 14.0,
            em: 11.0,
        };
        let mut report = Report::default();
        let lines = set(
            &FontBook::bundled(),
            &mut ShapeCache::default(),
            t,
            &opts,
            lang,
            &mut report,
        );
        (lines, report)
    }

    fn line_text(l: &Line) -> String {
        l.runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
            .collect()
    }

    #[test]
    fn sets_and_rejoins() {
        let mut t = Text::default();
        let s = "In an unprecedented move, the United States might be on track to become the first country in the history of this process to fully walk away from this important human rights related review.";
        t.push(s, body(), None, Some(0));
        let (lines, _) = set_at(&t, 200.0, Align::Justify, "en-US");
        assert!(lines.len() > 3);
        let mut joined = String::new();
        for l in &lines {
            let lt = line_text(l);
            if l.hyphenated {
                joined.push_str(lt.strip_suffix('-').unwrap());
            } else {
                joined.push_str(&lt);
                joined.push(' ');
            }
        }
        assert_eq!(joined.trim_end(), s);
        // No line runs past the measure.
        for l in &lines {
            for r in &l.runs {
                let end = r.x + r.glyphs.last().map_or(0.0, |g| g.x);
                assert!(end <= 200.0, "{end}");
            }
        }
    }

    #[test]
    fn raised_and_struck_spans() {
        let mut t = Text::default();
        t.push("10", body(), None, None);
        let sup = Style {
            size: 7.0,
            rise: 3.0,
            hyphenate: false,
            ..body()
        };
        t.push("th", sup, None, None);
        t.push(
            " gone",
            Style {
                strike: true,
                ..body()
            },
            None,
            None,
        );
        let (lines, _) = set_at(&t, 200.0, Align::Left, "en");
        assert_eq!(lines.len(), 1);
        assert!(lines[0].runs.iter().any(|r| r.y == -3.0 && r.size == 7.0));
        assert_eq!(
            lines[0].rules.len(),
            1,
            "one strike rule over the struck word"
        );
    }

    #[test]
    fn overfull_word_is_split_and_reported() {
        let mut t = Text::default();
        let s =
            "see https://example.org/averyveryveryverylongpathwithoutanybreakopportunityatall now";
        t.push(s, body(), None, Some(0));
        let (lines, report) = set_at(&t, 120.0, Align::Justify, "en-US");
        assert_eq!(report.overfull.len(), 1, "{report:?}");
        assert_eq!(
            word_for_message(&report.overfull[0].0),
            (
                "averyveryveryverylongpathwithoutanybreak…".to_string(),
                Some(56)
            )
        );
        for l in &lines {
            for r in &l.runs {
                let last = r.glyphs.last().unwrap();
                assert!(r.x + last.x <= 120.0);
            }
        }
    }
}
