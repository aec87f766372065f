//! The document model: what a statement *means*, with no fonts, sizes, pages or pixels.
//!
//! The reader ([`crate::markdown`]) builds it; every backend reads it. It does no I/O.
//! Source positions are kept as byte offsets ([`Offset`]) so that a backend can report
//! `path:line:col` through [`SourceMap`] without the model knowing about lines.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A byte offset into the original source file (front matter included).
pub type Offset = u32;

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub meta: Metadata,
    pub blocks: Vec<Block>,
    /// Footnote definitions that are referenced, in order of first reference
    /// (`number` is 1 for the first).
    pub footnotes: Vec<Footnote>,
    /// Where the text came from, for diagnostics.
    pub source: SourceMap,
}

/// Identity of a block in its document: assigned in reading order, unique within a document.
/// Layout keeps it on every placed item so that the PDF can be tagged per block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct BlockId(pub u32);

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub id: BlockId,
    /// Byte offset of the block's first character in the source.
    pub at: Offset,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// `level` is 1..=6; `id` is unique in the document (from `{#id}` or generated).
    Heading {
        level: u8,
        id: String,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    BlockQuote(Vec<Block>),
    /// A GitHub alert (`> [!NOTE]`, `[!TIP]` …): a quotation set as a labelled note.
    Alert {
        kind: AlertKind,
        blocks: Vec<Block>,
    },
    List(List),
    CodeBlock {
        lang: Option<String>,
        text: String,
    },
    Table(Table),
    ThematicBreak,
    /// An element read from raw HTML that the other kinds cannot say (a `<div>`, `<details>`,
    /// `<figure>`, a definition list …), or the run of blocks that a stretch of raw HTML made
    /// ([`HtmlElement::Fragment`]), so that a reader of the model can tell what came from HTML.
    Html(HtmlBlock),
    /// Raw HTML from the source, kept verbatim. Backends decide what to do with it; none
    /// passes it through blindly.
    RawHtml(String),
}

/// A block element read from raw HTML (see `src/markdown/html.rs`), with its child blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlBlock {
    pub element: HtmlElement,
    /// The element's `lang` attribute, when it is a well-formed language tag.
    pub lang: Option<String>,
    pub dir: Option<Direction>,
    pub blocks: Vec<Block>,
}

/// What an [`HtmlBlock`] is. Backends set each one natively; those they have no element for are
/// transparent (their blocks are set in place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HtmlElement {
    /// The blocks one stretch of raw HTML made: no element of its own.
    Fragment,
    /// `<div>`, `<center>`, `<section>` and other containers; `align` from the attribute
    /// (`<center>` is centred).
    Div { align: Align },
    /// `<details>`, shown open everywhere (print has no disclosure widget). Its first block is
    /// its [`HtmlElement::Summary`] when it has one.
    Details,
    /// `<summary>`: holds one paragraph.
    Summary,
    /// `<figure>`.
    Figure,
    /// `<figcaption>`.
    Figcaption,
    /// `<dl>`: holds [`HtmlElement::Term`] and [`HtmlElement::Definition`] blocks.
    DefinitionList,
    /// `<dt>`.
    Term,
    /// `<dd>`.
    Definition,
}

impl HtmlElement {
    /// The HTML element name (`Fragment` has none: `""`).
    pub fn name(self) -> &'static str {
        match self {
            HtmlElement::Fragment => "",
            HtmlElement::Div { .. } => "div",
            HtmlElement::Details => "details",
            HtmlElement::Summary => "summary",
            HtmlElement::Figure => "figure",
            HtmlElement::Figcaption => "figcaption",
            HtmlElement::DefinitionList => "dl",
            HtmlElement::Term => "dt",
            HtmlElement::Definition => "dd",
        }
    }
}

/// The kind of a GitHub alert; its label is worded by `crate::locale::alert_label`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl AlertKind {
    /// The kind as written in the Markdown, lowercase (`note`, `tip` …).
    pub fn name(self) -> &'static str {
        match self {
            AlertKind::Note => "note",
            AlertKind::Tip => "tip",
            AlertKind::Important => "important",
            AlertKind::Warning => "warning",
            AlertKind::Caution => "caution",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// `None` for a bullet list, `Some(start)` for an ordered one.
    pub start: Option<u64>,
    /// Tight lists have no blank lines between items.
    pub tight: bool,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub aligns: Vec<Align>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    /// The cells that span more than one column or row (raw HTML's `colspan`/`rowspan`), in
    /// reading order. The grid keeps every position: a position a span covers holds an empty
    /// cell, which backends that draw spans leave out ([`Table::slots`]). Spans do not overlap
    /// and stay inside the grid; a header cell spans one row.
    pub spans: Vec<CellSpan>,
}

/// A cell spanning `cols` columns and `rows` rows from its position (`row` 0 is the header,
/// `row` 1 the first of `Table::rows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellSpan {
    pub row: usize,
    pub col: usize,
    pub cols: usize,
    pub rows: usize,
}

/// What a position of a table's grid holds (see [`Table::slots`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A cell, spanning `cols` columns and `rows` rows (1 and 1 for most).
    Cell { cols: usize, rows: usize },
    /// A position covered by a spanning cell above or to the left: no cell of its own.
    Covered,
}

impl Table {
    /// The grid's positions, header row first, each row as wide as it is in the grid.
    pub fn slots(&self) -> Vec<Vec<Slot>> {
        let mut out: Vec<Vec<Slot>> = std::iter::once(&self.header)
            .chain(&self.rows)
            .map(|r| vec![Slot::Cell { cols: 1, rows: 1 }; r.len()])
            .collect();
        for s in &self.spans {
            for r in s.row..s.row + s.rows {
                for c in s.col..s.col + s.cols {
                    if let Some(slot) = out.get_mut(r).and_then(|row| row.get_mut(c)) {
                        *slot = Slot::Covered;
                    }
                }
            }
            if let Some(slot) = out.get_mut(s.row).and_then(|row| row.get_mut(s.col)) {
                *slot = Slot::Cell {
                    cols: s.cols,
                    rows: s.rows,
                };
            }
        }
        out
    }
}

pub type Cell = Vec<Inline>;

#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub label: String,
    /// 1-based, in order of first reference.
    pub number: u32,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text exactly as the author typed it (after optional smart punctuation).
    Text {
        text: String,
        at: Offset,
    },
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Superscript(Vec<Inline>),
    Subscript(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        title: String,
        content: Vec<Inline>,
    },
    Image(Image),
    /// A line end inside a paragraph: a space in reflowed text.
    SoftBreak,
    /// A forced line break.
    HardBreak,
    /// A reference to `Document::footnotes[number - 1]`.
    FootnoteRef {
        label: String,
        number: u32,
    },
    /// An inline element read from raw HTML that the other kinds cannot say (`<small>`,
    /// `<mark>`, `<abbr title>`, `<ins>`, `<q>`, `<kbd>`, a `<span lang>` …).
    Span(HtmlSpan),
    /// Inline raw HTML, kept verbatim (see [`BlockKind::RawHtml`]).
    RawHtml(String),
}

/// An inline element read from raw HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlSpan {
    pub tag: SpanTag,
    /// The `title` attribute (an abbreviation's expansion), or empty.
    pub title: String,
    /// The `lang` attribute, when it is a well-formed language tag.
    pub lang: Option<String>,
    pub dir: Option<Direction>,
    pub content: Vec<Inline>,
}

/// The element of an [`HtmlSpan`]; each is written back as itself in XHTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanTag {
    Small,
    Mark,
    Abbr,
    Ins,
    Underline,
    Q,
    Kbd,
    Samp,
    Var,
    Cite,
    Dfn,
    Time,
    Bdi,
    /// `<span>` (and other elements kept for their text, with their `lang` and `dir`).
    Span,
}

impl SpanTag {
    /// The XHTML element name.
    pub fn name(self) -> &'static str {
        match self {
            SpanTag::Small => "small",
            SpanTag::Mark => "mark",
            SpanTag::Abbr => "abbr",
            SpanTag::Ins => "ins",
            SpanTag::Underline => "u",
            SpanTag::Q => "q",
            SpanTag::Kbd => "kbd",
            SpanTag::Samp => "samp",
            SpanTag::Var => "var",
            SpanTag::Cite => "cite",
            SpanTag::Dfn => "dfn",
            SpanTag::Time => "time",
            SpanTag::Bdi => "bdi",
            SpanTag::Span => "span",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Path as written in the Markdown (relative to the Markdown file).
    pub path: String,
    pub alt: String,
    pub title: String,
    pub at: Offset,
    /// The author's size hint (raw HTML's `<img width height>`); none for Markdown images.
    pub size: SizeHint,
}

/// The size an author asked for an image, as written (CSS pixels or a percentage of the text
/// width); each backend turns it into its own units and still keeps the image within the page.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SizeHint {
    pub width: Option<Length>,
    pub height: Option<Length>,
}

/// A length as HTML's `width`/`height` attributes give it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// CSS pixels (1/96 in), > 0.
    Px(f32),
    /// A percentage of the text width (width only), in (0, 100].
    Percent(f32),
}

/// Typed front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// The headline as plain text (for metadata: PDF /Title, `dc:title`, the nav, the cover).
    pub title: String,
    /// The headline as formatted text: front matter strings are inline Markdown, as in pandoc
    /// (code, emphasis, entities, sub- and superscript; links as their text). Empty when the
    /// document was not made by the reader: backends then show `title`
    /// ([`Metadata::title_content`]).
    pub title_inlines: Vec<Inline>,
    /// The subhead as plain text.
    pub subtitle: Option<String>,
    /// The subhead as formatted text (see `title_inlines`).
    pub subtitle_inlines: Vec<Inline>,
    pub organization: Option<String>,
    /// Authors (pandoc's `author`), in order.
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub date: Option<DateTime>,
    /// City (and state) for the dateline, e.g. `WASHINGTON`.
    pub dateline: Option<String>,
    pub release: Release,
    pub contacts: Vec<Contact>,
    /// BCP 47 language tag.
    pub lang: String,
    pub dir: Option<Direction>,
    pub keywords: Vec<String>,
    /// "About <organization>" boilerplate, read as Markdown.
    pub about: Vec<Block>,
    /// Logo image path, relative to the Markdown file.
    pub logo: Option<String>,
    /// Cover image path for e-books, relative to the Markdown file.
    pub cover: Option<String>,
    /// The statement's public address (an absolute http or https URL): the newsroom page's
    /// canonical link, `og:url` and the base of its absolute `og:image`.
    pub url: Option<String>,
    /// Wording of the press-release furniture, where the author overrides the language's default.
    pub labels: LabelOverrides,
}

/// Replacements for the localized press-release labels (see `crate::locale::Labels`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelOverrides {
    pub immediate: Option<String>,
    pub embargoed: Option<String>,
    pub media_contact: Option<String>,
    /// May contain `{organization}`.
    pub about: Option<String>,
    pub more: Option<String>,
    pub end: Option<String>,
    /// May contain `{n}` and `{total}`.
    pub page: Option<String>,
    pub contents: Option<String>,
}

impl Default for Metadata {
    fn default() -> Self {
        Metadata {
            title: String::new(),
            title_inlines: Vec::new(),
            subtitle: None,
            subtitle_inlines: Vec::new(),
            organization: None,
            authors: Vec::new(),
            description: None,
            url: None,
            date: None,
            dateline: None,
            release: Release::Immediate,
            contacts: Vec::new(),
            lang: DEFAULT_LANG.to_string(),
            dir: None,
            keywords: Vec::new(),
            about: Vec::new(),
            logo: None,
            cover: None,
            labels: LabelOverrides::default(),
        }
    }
}

impl Metadata {
    /// The headline to display: its formatted text, else its plain text.
    pub fn title_content(&self) -> Vec<Inline> {
        formatted_or_plain(&self.title_inlines, &self.title)
    }

    /// The subhead to display, when there is one.
    pub fn subtitle_content(&self) -> Option<Vec<Inline>> {
        let plain = self.subtitle.as_deref()?;
        Some(formatted_or_plain(&self.subtitle_inlines, plain))
    }
}

fn formatted_or_plain(inlines: &[Inline], plain: &str) -> Vec<Inline> {
    if inlines.is_empty() {
        vec![Inline::Text {
            text: plain.to_string(),
            at: 0,
        }]
    } else {
        inlines.to_vec()
    }
}

pub const DEFAULT_LANG: &str = "en-US";

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Release {
    #[default]
    Immediate,
    /// Not to be published before `until`, which always carries a UTC offset.
    /// `zone` is the name to print (e.g. `EST`); when absent the offset is printed.
    Embargoed {
        until: DateTime,
        zone: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    pub name: Option<String>,
    pub role: Option<String>,
    pub organization: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

/// An ISO 8601 calendar date with an optional time of day and UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub time: Option<Time>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Minutes east of UTC, when given (`Z` is `Some(0)`).
    pub offset_minutes: Option<i16>,
}

impl DateTime {
    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// Seconds since the Unix epoch (UTC; a missing time is midnight, a missing offset UTC).
    pub fn unix_seconds(&self) -> i64 {
        let mut s = self.days_since_epoch() * 86400;
        if let Some(t) = self.time {
            s += t.hour as i64 * 3600 + t.minute as i64 * 60 + t.second as i64;
            s -= t.offset_minutes.unwrap_or(0) as i64 * 60;
        }
        s
    }

    /// The UTC date-time of a Unix timestamp (for `SOURCE_DATE_EPOCH`).
    pub fn from_unix_seconds(secs: i64) -> DateTime {
        let days = secs.div_euclid(86400);
        let rem = secs.rem_euclid(86400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = if m <= 2 { y + 1 } else { y } as i32;
        DateTime {
            year: y,
            month: m,
            day: d,
            time: Some(Time {
                hour: (rem / 3600) as u8,
                minute: (rem % 3600 / 60) as u8,
                second: (rem % 60) as u8,
                offset_minutes: Some(0),
            }),
        }
    }

    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fff]]`,
    /// then optionally `Z` or `±HH:MM` / `±HHMM` / `±HH`.
    pub fn parse_iso(s: &str) -> Result<DateTime, String> {
        let s = s.trim();
        let bad = || not_iso(s);
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (year, month, day) = match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => (y as i32, m as u8, d as u8),
            _ => return Err(bad()),
        };
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!(
                "`{s}` is not a real calendar date (month {month}, day {day})"
            ));
        }
        let rest = &s[10..];
        if rest.is_empty() {
            return Ok(DateTime {
                year,
                month,
                day,
                time: None,
            });
        }
        let rest = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix('t'))
            .or_else(|| rest.strip_prefix(' '))
            .ok_or_else(bad)?;
        let time = parse_time(rest, s)?;
        Ok(DateTime {
            year,
            month,
            day,
            time: Some(time),
        })
    }
}

/// The `not an ISO 8601 date` message for `s`.
fn not_iso(s: &str) -> String {
    format!(
        "`{s}` is not an ISO 8601 date; write it as YYYY-MM-DD, e.g. 2026-11-27, or with a time as 2026-11-27T09:00:00-05:00"
    )
}

/// `HH:MM[:SS[.fff]][zone]` after a date's `T` (`s`, the whole value, for messages).
fn parse_time(rest: &str, s: &str) -> Result<Time, String> {
    let bad = || not_iso(s);
    let rb = rest.as_bytes();
    if rb.len() < 5 || rb[2] != b':' {
        return Err(bad());
    }
    let two = |r: std::ops::Range<usize>| -> Option<u8> {
        let p = rest.get(r)?;
        if p.len() == 2 && p.bytes().all(|c| c.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    let hour = two(0..2).ok_or_else(bad)?;
    let minute = two(3..5).ok_or_else(bad)?;
    let mut i = 5;
    let mut second = 0;
    if rb.get(i) == Some(&b':') {
        second = two(6..8).ok_or_else(bad)?;
        i = 8;
        if rb.get(i) == Some(&b'.') {
            i += 1;
            while rb.get(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!("`{s}` has a time of day out of range"));
    }
    Ok(Time {
        hour,
        minute,
        second,
        offset_minutes: parse_offset(rest[i..].trim_start(), s)?,
    })
}

/// A time's zone: none, `Z`, or `±HH[:MM]`, in minutes east of UTC.
fn parse_offset(zone: &str, s: &str) -> Result<Option<i16>, String> {
    let bad = || not_iso(s);
    if zone.is_empty() {
        return Ok(None);
    }
    if zone == "Z" || zone == "z" {
        return Ok(Some(0));
    }
    let sign = match zone.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return Err(bad()),
    };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let h: i16 = digits[0..2].parse().map_err(|_| bad())?;
    let m: i16 = if digits.len() == 4 {
        digits[2..4].parse().map_err(|_| bad())?
    } else {
        0
    };
    if h > 14 || m > 59 {
        return Err(format!("`{s}` has a UTC offset out of range"));
    }
    Ok(Some(sign * (h * 60 + m)))
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// ISO 8601 form: `2026-11-27` or `2026-11-27T09:00:00-05:00`.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if let Some(t) = self.time {
            write!(f, "T{:02}:{:02}:{:02}", t.hour, t.minute, t.second)?;
            match t.offset_minutes {
                Some(0) => write!(f, "Z")?,
                Some(o) => {
                    let sign = if o < 0 { '-' } else { '+' };
                    write!(f, "{sign}{:02}:{:02}", o.abs() / 60, o.abs() % 60)?
                }
                None => {}
            }
        }
        Ok(())
    }
}

/// Maps byte offsets back to `line:col` (1-based; columns count characters).
#[derive(Clone, Default)]
pub struct SourceMap {
    /// Path as the user gave it, for messages.
    pub path: PathBuf,
    text: Arc<str>,
    line_starts: Arc<[u32]>,
}

impl fmt::Debug for SourceMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceMap({})", self.path.display())
    }
}

/// Two source maps are equal when they name the same path: the model's equality is about meaning.
impl PartialEq for SourceMap {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl SourceMap {
    pub fn new(path: impl Into<PathBuf>, text: &str) -> SourceMap {
        let mut starts = vec![0u32];
        starts.extend(memchr_newlines(text).map(|i| (i + 1) as u32));
        SourceMap {
            path: path.into(),
            text: Arc::from(text),
            line_starts: starts.into(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: Offset) -> (u32, u32) {
        let offset = (offset as usize).min(self.text.len());
        let line = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(0) => return (1, 1),
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        (line as u32 + 1, col as u32)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
}

impl Document {
    /// Visits every block of the body, depth first in reading order (not the footnotes or `about`).
    pub fn walk_blocks<'a>(&'a self, f: &mut impl FnMut(&'a Block)) {
        walk(&self.blocks, f)
    }
}

fn walk<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a Block)) {
    for b in blocks {
        f(b);
        match &b.kind {
            BlockKind::BlockQuote(inner)
            | BlockKind::Alert { blocks: inner, .. }
            | BlockKind::Html(HtmlBlock { blocks: inner, .. }) => walk(inner, f),
            BlockKind::List(l) => {
                for item in &l.items {
                    walk(&item.blocks, f)
                }
            }
            _ => {}
        }
    }
}

/// The images of inlines, in reading order, wherever they are nested (emphasis, links, spans).
pub fn inline_images<'a>(inlines: &'a [Inline], f: &mut impl FnMut(&'a Image)) {
    for i in inlines {
        match i {
            Inline::Image(img) => f(img),
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span(HtmlSpan { content: c, .. })
            | Inline::Link { content: c, .. } => inline_images(c, f),
            _ => {}
        }
    }
}

/// The images of a block and of every block inside it, in reading order (a table's header,
/// then its rows).
pub fn block_images<'a>(b: &'a Block, f: &mut impl FnMut(&'a Image)) {
    match &b.kind {
        BlockKind::Heading { content, .. } | BlockKind::Paragraph(content) => {
            inline_images(content, f)
        }
        BlockKind::BlockQuote(inner)
        | BlockKind::Alert { blocks: inner, .. }
        | BlockKind::Html(HtmlBlock { blocks: inner, .. }) => {
            inner.iter().for_each(|b| block_images(b, f))
        }
        BlockKind::List(l) => l
            .items
            .iter()
            .flat_map(|i| i.blocks.iter())
            .for_each(|b| block_images(b, f)),
        BlockKind::Table(t) => std::iter::once(&t.header)
            .chain(&t.rows)
            .flatten()
            .for_each(|c| inline_images(c, f)),
        BlockKind::CodeBlock { .. } | BlockKind::ThematicBreak | BlockKind::RawHtml(_) => {}
    }
}

/// The plain text of inlines, as a reader would hear it (links by their text, images by alt text,
/// breaks as spaces, footnote references omitted).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    push_plain(inlines, &mut s);
    s
}

fn push_plain(inlines: &[Inline], s: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text, .. } => s.push_str(text),
            Inline::Code(t) => s.push_str(t),
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span(HtmlSpan { content: c, .. })
            | Inline::Link { content: c, .. } => push_plain(c, s),
            Inline::Image(img) => s.push_str(&img.alt),
            Inline::SoftBreak | Inline::HardBreak => s.push(' '),
            Inline::FootnoteRef { .. } | Inline::RawHtml(_) => {}
        }
    }
}

/// The structure levels of a document's headings, for outputs that may not skip levels (PDF/UA,
/// accessible EPUB and HTML).
pub struct HeadingLevels {
    /// The level of each heading with text, by its block.
    pub levels: std::collections::HashMap<BlockId, u8>,
    /// The first heading whose level changed: (its offset, its written level, its new level).
    pub first_change: Option<(Offset, u8, u8)>,
    /// How many headings changed level.
    pub changed: usize,
}

/// Gives every heading a level that does not skip (H1 → H3), the author's outline kept: a
/// heading sits one level under the nearest heading before it whose written level is lower
/// (the headline is level 1), so `###` for every section after the headline makes sibling
/// level-2 headings and a `####` under them a level-3 one. "About" is a level-2 heading.
pub fn heading_levels(doc: &Document) -> HeadingLevels {
    struct Walk {
        /// (written level, structure level), the headline at the bottom.
        stack: Vec<(u8, u8)>,
        out: HeadingLevels,
    }
    impl Walk {
        fn blocks(&mut self, blocks: &[Block]) {
            for b in blocks {
                match &b.kind {
                    BlockKind::Heading { level, content, .. } => {
                        // An empty heading shows nothing and has no element.
                        if plain_text(content).trim().is_empty() {
                            continue;
                        }
                        while self.stack.last().is_some_and(|&(w, _)| w >= *level) {
                            self.stack.pop();
                        }
                        let s = self.stack.last().map_or(1, |&(_, s)| s + 1).min(6);
                        self.stack.push((*level, s));
                        self.out.levels.insert(b.id, s);
                        if s != *level {
                            self.out.changed += 1;
                            self.out.first_change.get_or_insert((b.at, *level, s));
                        }
                    }
                    BlockKind::BlockQuote(inner)
                    | BlockKind::Alert { blocks: inner, .. }
                    | BlockKind::Html(HtmlBlock { blocks: inner, .. }) => self.blocks(inner),
                    BlockKind::List(l) => {
                        for item in &l.items {
                            self.blocks(&item.blocks);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut w = Walk {
        stack: vec![(1, 1)],
        out: HeadingLevels {
            levels: std::collections::HashMap::new(),
            first_change: None,
            changed: 0,
        },
    };
    w.blocks(&doc.blocks);
    for note in &doc.footnotes {
        w.blocks(&note.blocks);
    }
    w.stack = vec![(1, 1), (2, 2)];
    w.blocks(&doc.meta.about);
    w.out
}

/// Whether raw HTML is only a comment (`<!-- … -->`), which is meant to be invisible: every
/// backend leaves it out without a word.
pub fn is_html_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        let d = DateTime::parse_iso("2026-11-27").unwrap();
        assert_eq!(d.to_string(), "2026-11-27");
        let d = DateTime::parse_iso("2026-11-28T00:01:00-05:00").unwrap();
        assert_eq!(d.to_string(), "2026-11-28T00:01:00-05:00");
        assert_eq!(d.unix_seconds(), 1795842060);
        let d = DateTime::parse_iso("2026-11-27 09:30Z").unwrap();
        assert_eq!(d.to_string(), "2026-11-27T09:30:00Z");
        assert!(DateTime::parse_iso("yesterday").is_err());
        assert!(DateTime::parse_iso("2026-02-30").is_err());
        assert!(DateTime::parse_iso("2026-11-27T25:00").is_err());
        assert!(DateTime::parse_iso("2026-11-27T09:00+0530").is_ok());
    }

    #[test]
    fn unix_round_trip() {
        for s in [0i64, 951782400, 1795842060, -86400] {
            assert_eq!(DateTime::from_unix_seconds(s).unix_seconds(), s);
        }
        assert_eq!(
            DateTime::from_unix_seconds(1795842060).to_string(),
            "2026-11-28T05:01:00Z"
        );
    }

    #[test]
    fn line_col() {
        let m = SourceMap::new("x.md", "ab\n“cd\nef");
        assert_eq!(m.line_col(0), (1, 1));
        assert_eq!(m.line_col(3), (2, 1));
        assert_eq!(m.line_col(6), (2, 2)); // after the 3-byte quote
        assert_eq!(m.line_col(100), (3, 3));
        assert_eq!(SourceMap::default().line_col(7), (1, 1));
    }
}
