//! The press-release design: what goes where on the page, in which face and size.
//!
//! Page one: letterhead, release line and date (with the media contacts beside them),
//! headline (balanced), subtitle, then the body, whose first paragraph opens with the AP
//! dateline. After the body: "About <organization>", then `###`. Continuing pages carry
//! "- more -" at the foot; later pages a running header; every page "Page N of M".

use crate::Diagnostic;
use crate::model::{self, Block, BlockKind, Contact, Document, Inline, List, Release};
use crate::theme::{self, Theme};

use super::figure::Images;
use super::fonts::{FaceId, FontBook};
use super::layout::{
    self, Flow, Front, Geometry, ImageBox, ImagePlace, Line, LinkArea, Origin, OutlineEntry, Page,
    Rule, place_line,
};
use super::paragraph::{self, Align, Report, SetOptions, Text};
use super::shape::{BLACK, Rgb, ShapeCache, Style};
use super::{Paper, PdfOptions};

#[path = "figure_flow.rs"]
mod figure_flow;
#[path = "footnote.rs"]
mod footnote;
#[path = "table.rs"]
mod table;

use figure_flow::Attach;

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidOut {
    pub geometry: Geometry,
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
}

// Every measure of the design comes from the theme (`crate::theme`); these two are the
// defaults of `colors.muted` and `spacing.paragraph`, still used as such by the table,
// footnote and figure children.
const GREY: Rgb = [0.35, 0.35, 0.35];
const PARA_SPACE: f32 = 7.0;

/// A role's face: `Serif` is the theme's body family, `Sans` its headings family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Serif,
    Sans,
    Letterhead,
    Mono,
}

/// The faces of the theme's families, each as regular, italic, bold, bold italic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Faces {
    body: [FaceId; 4],
    headings: [FaceId; 4],
    letterhead: [FaceId; 4],
    mono: [FaceId; 4],
}

impl Faces {
    /// Finds the theme's families in the book (a family `Noto Serif` is the faces
    /// `NotoSerif-Regular`, `-Italic`, `-Bold`, `-BoldItalic`; a missing style falls back to
    /// the nearest one). A family the book lacks is a warning and keeps the default family.
    fn resolve(book: &FontBook, fonts: &theme::Fonts, diags: &mut Vec<Diagnostic>) -> Faces {
        let defaults = theme::Fonts::default();
        let mut one = |name: &str, default: &str| {
            find_family(book, name).unwrap_or_else(|| {
                let mut known: Vec<String> = Vec::new();
                for f in &book.faces {
                    if let Some((fam, _)) = f.name.rsplit_once('-') {
                        // `NotoSansMono` is shown as the family name `Noto Sans Mono`.
                        let mut spaced = String::new();
                        for (i, c) in fam.char_indices() {
                            if i > 0 && c.is_uppercase() && !spaced.ends_with(' ') {
                                spaced.push(' ');
                            }
                            spaced.push(c);
                        }
                        if !known.contains(&spaced) {
                            known.push(spaced);
                        }
                    }
                }
                diags.push(
                    Diagnostic::warning(format!(
                        "the theme's font family `{name}` is not in the font book; `{default}` is used"
                    ))
                    .help(format!(
                        "families available: {}; add others with `--font-dir` (files named like `Family-Regular.ttf`)",
                        known.join(", ")
                    )),
                );
                find_family(book, default).unwrap_or([FaceId(0); 4])
            })
        };
        Faces {
            body: one(&fonts.body, &defaults.body),
            headings: one(&fonts.headings, &defaults.headings),
            letterhead: one(&fonts.letterhead, &defaults.letterhead),
            mono: one(&fonts.mono, &defaults.mono),
        }
    }
}

/// Regular, italic, bold and bold italic of a family, or `None` when it has no regular face.
fn find_family(book: &FontBook, family: &str) -> Option<[FaceId; 4]> {
    let stem: String = family.chars().filter(|c| !c.is_whitespace()).collect();
    let find = |style: &str| {
        book.faces
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(&format!("{stem}-{style}")))
            .map(|i| FaceId(i as u16))
    };
    let regular = find("Regular")?;
    let italic = find("Italic").unwrap_or(regular);
    let bold = find("Bold").unwrap_or(regular);
    let bold_italic = find("BoldItalic").unwrap_or(bold);
    Some([regular, italic, bold, bold_italic])
}

/// Inline style state while walking inlines.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    family: Family,
    bold: bool,
    italic: bool,
    size: f32,
    color: Rgb,
    hyphenate: bool,
    rise: f32,
    strike: bool,
    faces: Faces,
    /// Line height as a ratio of `size` for paragraphs set in this context.
    leading: f32,
}

impl Ctx {
    /// Body text in the theme's body face, size and colour.
    fn body(faces: Faces, theme: &Theme) -> Ctx {
        Ctx {
            family: Family::Serif,
            bold: false,
            italic: false,
            size: theme.sizes.body,
            color: theme.colors.text.rgb(),
            hyphenate: true,
            rise: 0.0,
            strike: false,
            faces,
            leading: theme.leading.body,
        }
    }
    fn style(&self) -> Style {
        let set = match self.family {
            Family::Serif => self.faces.body,
            Family::Sans => self.faces.headings,
            Family::Letterhead => self.faces.letterhead,
            Family::Mono => self.faces.mono,
        };
        let face = set[usize::from(self.bold) * 2 + usize::from(self.italic)];
        Style {
            face,
            size: self.size,
            color: self.color,
            hyphenate: self.hyphenate && self.family != Family::Mono,
            rise: self.rise,
            strike: self.strike,
        }
    }
}

/// Collects the warnings met while setting text.
struct Setter<'a> {
    doc: &'a Document,
    book: &'a FontBook,
    lang: &'a str,
    cache: ShapeCache,
    missing: Vec<(char, Option<u32>)>,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// The document's images, and images waiting to be drawn with a flow's line.
    images: &'a Images,
    attach: Vec<Attach>,
    tables: Vec<table::TableFlows>,
    /// Indices of the figure flows.
    figures: Vec<usize>,
    /// Localized furniture (issue 6).
    labels: crate::locale::Labels,
    /// Base direction: `Some(true)` for a right-to-left document, else from each paragraph.
    rtl: Option<bool>,
    /// The design's measures, and body text set by them.
    theme: &'a Theme,
    body: Ctx,
    /// Whether the flows' and pages' glyphs are packed (see [`layout::Packed`]) while the
    /// document is paginated and written: a long document's ([`PACK_FROM`]).
    pack: bool,
}

/// The length of source from which a document's glyphs are packed while it is paginated and
/// written: a statement of a few pages keeps them as they are (packing would cost it more
/// page faults than it saves memory).
const PACK_FROM: usize = 100_000;

impl Setter<'_> {
    fn set(&mut self, text: &Text, opts: &SetOptions) -> Vec<Line> {
        let mut report = Report::default();
        let lines = paragraph::set_dir(
            self.book,
            &mut self.cache,
            text,
            opts,
            self.lang,
            self.rtl,
            &mut report,
        );
        for m in report.missing {
            if !self.missing.iter().any(|(c, _)| *c == m.ch) {
                self.missing.push((m.ch, text.source_of(m.at)));
            }
        }
        for (word, at) in report.overfull {
            let (shown, length) = match super::paragraph::word_for_message(&word) {
                (shown, Some(n)) => (shown, format!(" ({n} characters)")),
                (shown, None) => (shown, String::new()),
            };
            let d = Diagnostic::warning(format!(
                "`{shown}`{length} is wider than the line; it is split without a hyphen"
            ))
            .help("add a break opportunity (a space or a hyphen) or shorten it");
            let d = match text.source_of(at) {
                Some(o) => d.at(&self.doc.source, o),
                None => d,
            };
            self.diagnostics.push(d);
        }
        lines
    }

    /// Sets a single line of plain text (furniture), without hyphenation.
    fn set_plain(
        &mut self,
        s: &str,
        ctx: Ctx,
        width: f32,
        align: Align,
        leading: f32,
    ) -> Vec<Line> {
        let mut t = Text::default();
        let ctx = Ctx {
            hyphenate: false,
            ..ctx
        };
        t.push(s, ctx.style(), None, None);
        self.set(
            &t,
            &SetOptions {
                width,
                align,
                balance: false,
                leading,
                em: ctx.size,
            },
        )
    }
}

/// Lays out the whole press release (images that cannot be read are left out with an error
/// diagnostic; [`super::pdf`] fails on them instead).
pub fn lay_out(
    doc: &Document,
    book: &FontBook,
    opts: &PdfOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> LaidOut {
    let images = match Images::load(doc, &opts.assets) {
        Ok(i) => i,
        Err(d) => {
            diagnostics.push(d);
            Images::default()
        }
    };
    let mut laid = lay_out_with(doc, book, opts, &images, diagnostics);
    // Every glyph in its run, as a caller that reads the pages expects.
    laid.pages.iter_mut().for_each(Page::unpack);
    laid
}

/// Lays out the whole press release with its images loaded.
pub fn lay_out_with(
    doc: &Document,
    book: &FontBook,
    opts: &PdfOptions,
    images: &Images,
    diagnostics: &mut Vec<Diagnostic>,
) -> LaidOut {
    let pack = doc.source.text().len() >= PACK_FROM;
    lay_out_packing(doc, book, opts, images, diagnostics, pack)
}

/// [`lay_out_with`], the glyphs packed while the document is paginated if `pack` (its pages
/// then come out packed: see [`Page::pack`]).
fn lay_out_packing(
    doc: &Document,
    book: &FontBook,
    opts: &PdfOptions,
    images: &Images,
    diagnostics: &mut Vec<Diagnostic>,
    pack: bool,
) -> LaidOut {
    let meta = &doc.meta;
    let paper = opts.paper.unwrap_or_else(|| Paper::for_lang(&meta.lang));
    let (pw, ph) = paper.size();
    let th: &Theme = &opts.theme;
    let measure = pw - th.margins.left - th.margins.right;
    let geometry = Geometry {
        width: pw,
        height: ph,
        left: th.margins.left,
        top_first: th.margins.top,
        top_other: th.margins.top_continued,
        bottom: ph - th.margins.bottom,
    };
    let faces = Faces::resolve(book, &th.fonts, diagnostics);
    let mut s = Setter {
        doc,
        book,
        lang: &meta.lang,
        cache: ShapeCache::for_document(book, &meta.lang),
        missing: Vec::new(),
        diagnostics,
        images,
        attach: Vec::new(),
        tables: Vec::new(),
        figures: Vec::new(),
        labels: crate::locale::Labels::new(&meta.lang, &meta.labels),
        rtl: match meta.dir {
            Some(model::Direction::Rtl) => Some(true),
            Some(_) => Some(false),
            None => super::bidi::is_rtl_lang(&meta.lang).then_some(true),
        },
        theme: th,
        body: Ctx::body(faces, th),
        pack,
    };
    let body_align = if opts.ragged {
        Align::Left
    } else {
        Align::Justify
    };

    let mut flows: Vec<Flow> = Vec::new();
    front_matter(&mut s, doc, measure, &mut flows);

    // The body's context; the footnotes are set at the body's measure too.
    let body = BlockCx {
        width: measure,
        floor: measure * MIN_MEASURE,
        indent: 0.0,
        align: body_align,
        ctx: s.body,
        about: false,
    };
    let mut b = body;
    body_flows(&mut s, doc, &b, &mut flows);

    about_flows(&mut s, doc, &mut b, measure, &mut flows);
    flows.push(end_mark(&mut s, measure));

    // Footnotes, set in a smaller size at the body's measure.
    let notes = footnote::set_notes(&mut s, doc, &body, th.sizes.footnote);

    // Paginate, repeating table headers, keeping room for the notes and floating figures
    // that do not fit past the text that does.
    let mut tables = std::mem::take(&mut s.tables);
    let (placement, per_page) = figure_flow::paginate(
        &mut flows,
        &mut tables,
        &notes,
        &mut s.attach,
        &s.figures,
        &geometry,
    );
    let (pages, outline) = draw(&mut s, flows, (&placement, per_page), &geometry, measure);
    missing_warning(&mut s, doc);
    LaidOut {
        geometry,
        pages,
        outline,
    }
}

/// The paginated flows drawn into pages, each page, once its lines are drawn, with its
/// images, notes and furniture (and then packed, for a long document).
fn draw(
    s: &mut Setter,
    flows: Vec<Flow>,
    (placement, per_page): (&layout::Placement, figure_flow::NotesPerPage),
    geometry: &Geometry,
    measure: f32,
) -> (Vec<Page>, Vec<layout::OutlineEntry>) {
    let images = figure_flow::by_page(std::mem::take(&mut s.attach), placement, geometry);
    let mut images = images.into_iter().peekable();
    let room = footnote::reserve(&per_page);
    let mut notes = per_page.into_iter();
    let n = layout::pages_of(placement).max(room.len());
    let doc = s.doc;
    layout::draw(flows, placement, geometry, n, s.pack, |i, page| {
        while let Some((_, image)) = images.next_if(|(p, _)| *p <= i) {
            page.items.push(image);
        }
        let lines = notes.next().unwrap_or_default();
        footnote::draw(lines, room.get(i).copied().unwrap_or(0.0), page, geometry);
        furniture(s, doc, geometry, measure, (i, n), page);
    })
}

/// "About <organization>": its heading and the boilerplate's blocks.
fn about_flows(
    s: &mut Setter,
    doc: &Document,
    b: &mut BlockCx,
    measure: f32,
    flows: &mut Vec<Flow>,
) {
    let (meta, th) = (&doc.meta, s.theme);
    if !meta.about.is_empty() {
        let title = match &meta.organization {
            Some(o) => s.labels.about_heading(o),
            None => s.labels.about_heading("").trim().to_string(),
        };
        let ctx = Ctx {
            family: Family::Sans,
            bold: true,
            size: th.sizes.about,
            color: th.colors.accent.rgb(),
            ..s.body
        };
        let leading = Theme::line(th.sizes.about, th.leading.body);
        let lines = s.set_plain(&title, ctx, measure, Align::Left, leading);
        flows.push(Flow {
            packed: Default::default(),
            origin: Origin::Front(Front::AboutHeading),
            indent: 0.0,
            space_before: th.spacing.about,
            lines,
            keep_with_next: true,
            splittable: false,
            outline: Some((1, title)),
        });
        b.about = true;
        b.ctx.size = th.sizes.about;
        let mut none = None;
        for block in &meta.about {
            let from = flows.len();
            block_flows(s, block, b, &mut none, flows);
            shrink(&mut flows[from..], s.pack);
        }
    }
}

/// The end mark.
fn end_mark(s: &mut Setter, measure: f32) -> Flow {
    let th = s.theme;
    let end = s.labels.end.clone();
    let leading = Theme::line(th.sizes.body, th.leading.body);
    let lines = s.set_plain(&end, s.body, measure, Align::Center, leading);
    Flow {
        packed: Default::default(),
        origin: Origin::Front(Front::EndMark),
        indent: 0.0,
        space_before: th.spacing.end,
        lines,
        keep_with_next: false,
        splittable: false,
        outline: None,
    }
}

/// The body's flows, with the dateline opening its first paragraph.
fn body_flows(s: &mut Setter, doc: &Document, b: &BlockCx, flows: &mut Vec<Flow>) {
    let mut dateline = dateline_text(doc, s.body);
    // No paragraph of the body's own to open (only quotes, lists, headings, figures …): the
    // dateline stands on its own line before them, as in the EPUB. Decided before the body is
    // set, so that no flow is inserted among flows that figures already refer to.
    let opens_a_paragraph = doc.blocks.iter().any(
        |b| matches!(&b.kind, BlockKind::Paragraph(c) if super::figure::figure_image(c).is_none()),
    );
    if !opens_a_paragraph && let Some(t) = dateline.take() {
        let lines = s.set(&t, &b.opts());
        let mut f = front(Front::Dateline, s.theme.spacing.paragraph, lines);
        f.keep_with_next = true;
        flows.push(f);
    }
    for block in &doc.blocks {
        // The dateline opens the release's own text: a paragraph of the body, never one in a
        // quotation or a list item.
        let lead = match block.kind {
            BlockKind::Paragraph(_) => &mut dateline,
            _ => &mut None,
        };
        let from = flows.len();
        block_flows(s, block, b, lead, flows);
        shrink(&mut flows[from..], s.pack);
    }
    if let Some(first) = flows
        .iter()
        .position(|f| matches!(f.origin, Origin::Block(_) | Origin::Front(Front::Dateline)))
        && let Some(f) = flows.get_mut(first)
    {
        f.space_before = f.space_before.max(s.theme.spacing.body);
    }
}

/// One warning for the characters no font covers (drawn as the replacement mark).
fn missing_warning(s: &mut Setter, doc: &Document) {
    if !s.missing.is_empty() {
        const SHOWN: usize = 12;
        let mut chars: Vec<String> = s
            .missing
            .iter()
            .take(SHOWN)
            .map(|(c, _)| super::fallback::describe(*c))
            .collect();
        if s.missing.len() > SHOWN {
            chars.push(format!("and {} more", s.missing.len() - SHOWN));
        }
        let first = s.missing.iter().find_map(|(_, at)| *at);
        let d = Diagnostic::warning(format!(
            "no available font covers {}; {} drawn as the replacement mark \u{FFFD} and the text keeps {}",
            chars.join(", "),
            if chars.len() == 1 {
                "it is"
            } else {
                "they are"
            },
            if chars.len() == 1 { "it" } else { "them" }
        ))
        .help({
            // Name what would cover them: the package or font for each script.
            let mut hints: Vec<&str> = Vec::new();
            for (c, _) in &s.missing {
                let h = super::fallback::install_hint(*c);
                if !hints.contains(&h) {
                    hints.push(h);
                }
            }
            hints.join("; ")
        });
        let d = match first {
            Some(o) => d.at(&doc.source, o),
            None => d,
        };
        s.diagnostics.push(d);
    }
}

/// Lets go of the spare room of the flows' lines and glyph runs (their vectors grew a glyph
/// at a time, up to twice their length), and packs their glyphs if `pack`: a long document
/// holds all of them until it is paginated and written.
fn shrink(flows: &mut [Flow], pack: bool) {
    for f in flows {
        f.lines.shrink_to_fit();
        for l in &mut f.lines {
            l.runs.shrink_to_fit();
            if !pack {
                for r in &mut l.runs {
                    r.glyphs.shrink_to_fit();
                }
            }
        }
        if pack {
            f.pack();
        }
    }
}

/// Letterhead, release line, date, contacts, headline and subtitle.
fn front_matter(s: &mut Setter, doc: &Document, measure: f32, flows: &mut Vec<Flow>) {
    let meta = &doc.meta;
    let th = s.theme;
    let sans = Ctx {
        family: Family::Sans,
        hyphenate: false,
        ..s.body
    };
    letterhead_flow(s, doc, measure, sans, flows);

    // Left column: release line and date. Right column: media contacts.
    let col = measure * 0.5;
    let label = Ctx {
        bold: true,
        size: th.sizes.small,
        ..sans
    };
    let small = Ctx {
        size: th.sizes.small,
        ..sans
    };
    let small_leading = Theme::line(th.sizes.small, th.leading.small);
    let release = match &meta.release {
        Release::Immediate => s.labels.immediate.clone(),
        Release::Embargoed { until, zone } => {
            crate::locale::embargo_line(&s.labels, until, zone.as_deref(), &meta.lang)
        }
    };
    let left = s.set_plain(&release, label, col, Align::Left, small_leading);
    let mut date_lines = Vec::new();
    if let Some(d) = &meta.date {
        let date = crate::locale::long_date(d, &meta.lang);
        date_lines = s.set_plain(&date, small, col, Align::Left, small_leading);
    }
    let mut right: Vec<Line> = Vec::new();
    if !meta.contacts.is_empty() {
        let contact = s.labels.media_contact.to_uppercase();
        right.extend(s.set_plain(&contact, label, col, Align::Left, small_leading));
        for (i, c) in meta.contacts.iter().enumerate() {
            if i > 0
                && let Some(l) = right.last_mut()
            {
                l.height += th.spacing.contacts;
            }
            right.extend(contact_lines(s, c, small, col));
        }
    }
    // Right to left, the release line takes the right column and the contacts the left.
    let (left_x, right_x) = if s.rtl == Some(true) {
        (measure - col, 0.0)
    } else {
        (0.0, measure - col + 20.0)
    };
    side_by_side(
        flows,
        th.spacing.release,
        (left, date_lines),
        right,
        (left_x, right_x),
    );

    headline_flows(s, doc, measure, flows);
}

/// The letterhead: the organization's name, when there is one.
fn letterhead_flow(s: &mut Setter, doc: &Document, measure: f32, sans: Ctx, flows: &mut Vec<Flow>) {
    let (meta, th) = (&doc.meta, s.theme);
    if let Some(org) = &meta.organization {
        let ctx = Ctx {
            family: Family::Letterhead,
            bold: true,
            size: th.sizes.letterhead,
            color: th.colors.accent.rgb(),
            ..sans
        };
        let h = th.letterhead.logo_height;
        let logo =
            figure_flow::logo(s, doc).map(|(w, img)| (w * (h / figure_flow::LOGO_HEIGHT), img));
        let shift = logo
            .as_ref()
            .map_or(0.0, |(w, _)| w + th.letterhead.logo_gap);
        let align = match th.letterhead.align {
            theme::Align::Left => Align::Left,
            theme::Align::Center => Align::Center,
            theme::Align::Right => Align::Right,
        };
        let leading = Theme::line(th.sizes.letterhead, th.leading.letterhead);
        let mut lines = s.set_plain(org, ctx, measure - shift, align, leading);
        if let (Some((w, image)), Some(first)) = (logo, lines.first_mut()) {
            // The logo before the name, centred on it; the two aligned as one group.
            let dx = match align {
                Align::Left => 0.0,
                _ => first.runs.iter().map(|r| r.x).fold(f32::INFINITY, f32::min),
            };
            let dx = if dx.is_finite() { dx } else { 0.0 };
            for r in &mut first.runs {
                r.x += shift;
            }
            let pad = ((h - first.height) / 2.0).max(0.0);
            first.baseline += pad;
            first.height = first.height.max(h);
            s.attach.push(Attach {
                flow: flows.len(),
                line: 0,
                dx,
                dy: 0.0,
                width: w,
                height: h,
                image,
                origin: Origin::Front(Front::Letterhead),
                // The organization's name follows as text.
                decorative: true,
                at: 0,
                place: ImagePlace::Alone,
            });
        }
        if let Some(last) = lines.last_mut() {
            let gap = th.letterhead.rule_gap;
            last.rules.push(Rule {
                x0: 0.0,
                x1: measure,
                y: gap,
                thickness: th.rules.letterhead,
                color: th.colors.accent.rgb(),
            });
            last.height += gap;
        }
        flows.push(front(Front::Letterhead, 0.0, lines));
    }
}

/// The headline (balanced) and the subtitle.
fn headline_flows(s: &mut Setter, doc: &Document, measure: f32, flows: &mut Vec<Flow>) {
    let (meta, th) = (&doc.meta, s.theme);
    let head = Ctx {
        bold: true,
        size: th.sizes.headline,
        hyphenate: false,
        ..s.body
    };
    let leading = Theme::line(th.sizes.headline, th.leading.headline);
    let lines = centred(
        s,
        &meta.title_content(),
        head,
        (measure, measure * 0.92),
        leading,
    );
    let mut f = front(Front::Headline, th.spacing.headline, lines);
    f.indent = measure * 0.04;
    flows.push(f);
    if let Some(sub) = meta.subtitle_content() {
        let ctx = Ctx {
            italic: true,
            size: th.sizes.subtitle,
            color: th.colors.muted.rgb(),
            hyphenate: false,
            ..s.body
        };
        let leading = Theme::line(th.sizes.subtitle, th.leading.headings);
        let lines = centred(s, &sub, ctx, (measure, measure * 0.86), leading);
        let mut f = front(Front::Subtitle, th.spacing.subtitle, lines);
        f.indent = measure * 0.07;
        flows.push(f);
    }
}

/// Inlines set centred and balanced in lines `width` wide, within the `measure` (the headline,
/// the subtitle).
fn centred(
    s: &mut Setter,
    content: &[Inline],
    ctx: Ctx,
    (measure, width): (f32, f32),
    leading: f32,
) -> Vec<Line> {
    let mut t = Text::default();
    push_inlines(s, &mut t, content, ctx, &Fit::text(ctx.size, measure));
    s.set(
        &t,
        &SetOptions {
            width,
            align: Align::Center,
            balance: true,
            leading,
            em: ctx.size,
        },
    )
}

fn front(part: Front, space_before: f32, lines: Vec<Line>) -> Flow {
    Flow {
        packed: Default::default(),
        origin: Origin::Front(part),
        indent: 0.0,
        space_before,
        lines,
        keep_with_next: true,
        splittable: false,
        outline: None,
    }
}

fn contact_lines(s: &mut Setter, c: &Contact, ctx: Ctx, width: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let leading = Theme::line(ctx.size, s.theme.leading.contacts);
    if let Some(n) = &c.name {
        lines.extend(s.set_plain(n, Ctx { bold: true, ..ctx }, width, Align::Left, leading));
    }
    let role_org = [c.role.as_deref(), c.organization.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    if !role_org.is_empty() {
        lines.extend(s.set_plain(&role_org, ctx, width, Align::Left, leading));
    }
    if let Some(p) = &c.phone {
        let mut t = Text::default();
        t.links
            .push(format!("tel:{}", p.replace([' ', '(', ')'], "")));
        t.push(p, ctx.style(), Some(0), None);
        lines.extend(s.set(&t, &plain_opts(width, leading, ctx.size)));
    }
    if let Some(e) = &c.email {
        let mut t = Text::default();
        t.links.push(format!("mailto:{e}"));
        t.push(e, ctx.style(), Some(0), None);
        lines.extend(s.set(&t, &plain_opts(width, leading, ctx.size)));
    }
    lines
}

fn plain_opts(width: f32, leading: f32, em: f32) -> SetOptions {
    SetOptions {
        width,
        align: Align::Left,
        balance: false,
        leading,
        em,
    }
}

/// The release line and date (one column) and the media contacts (the other) as flows of
/// their own, so that each reads whole: the contacts' flow goes back up beside the first
/// column (a negative space before it) and the shorter column is padded to the taller.
fn side_by_side(
    flows: &mut Vec<Flow>,
    space_before: f32,
    (release, date): (Vec<Line>, Vec<Line>),
    mut contacts: Vec<Line>,
    (left_x, right_x): (f32, f32),
) {
    let height = |l: &[Line]| l.iter().map(|l| l.height).sum::<f32>();
    let first = height(&release) + height(&date);
    let second = height(&contacts);
    let mut f = front(Front::Release, space_before, release);
    f.indent = left_x;
    flows.push(f);
    if !date.is_empty() {
        let mut f = front(Front::Date, 0.0, date);
        f.indent = left_x;
        flows.push(f);
    }
    if let Some(last) = contacts.last_mut() {
        last.height += (first - second).max(0.0);
        let mut f = front(Front::Contacts, -first, contacts);
        f.indent = right_x;
        flows.push(f);
    }
}

/// The narrowest measure nesting may leave, as a share of the text width. Each level of a
/// quotation or list indents the text further; without a floor, 32 levels (the reader's
/// limit) set the text beyond the right margin. Six tenths of the width keeps a line of
/// some 50 characters of body type — about the shortest a column of running text reads
/// comfortably — after the first few levels (4 of quotations, 10 of lists). Deeper levels
/// are set at the deepest indent that keeps the floor: their quotation bar would only
/// repeat the enclosing one, so it is left out, and a list marker hangs where the
/// enclosing item's does. The structure is still in the tags.
const MIN_MEASURE: f32 = 0.6;

/// Layout context of a block: measure, indent and inline style.
#[derive(Debug, Clone, Copy)]
struct BlockCx {
    width: f32,
    /// The narrowest `width` nesting may reach ([`MIN_MEASURE`] of the text width).
    floor: f32,
    indent: f32,
    align: Align,
    ctx: Ctx,
    about: bool,
}

/// A heading's flow (kept with the next, listed in the outline).
fn heading_flow(
    s: &mut Setter,
    b: &BlockCx,
    origin: Origin,
    level: u8,
    content: &[Inline],
    flows: &mut Vec<Flow>,
) {
    let th = s.theme;
    let size = match level {
        1 => th.sizes.heading1,
        2 => th.sizes.heading2,
        _ => th.sizes.heading3,
    };
    let ctx = Ctx {
        family: Family::Sans,
        bold: true,
        size,
        color: th.colors.accent.rgb(),
        hyphenate: false,
        italic: false,
        ..s.body
    };
    let mut t = Text::default();
    push_inlines(s, &mut t, content, ctx, &Fit::text(size, b.width));
    let mut opts = b.opts();
    opts.align = Align::Left;
    opts.leading = Theme::line(size, th.leading.headings);
    let lines = s.set(&t, &opts);
    flows.push(Flow {
        packed: Default::default(),
        origin,
        indent: b.indent,
        space_before: th.spacing.heading,
        lines,
        keep_with_next: true,
        splittable: false,
        outline: Some((level, model::plain_text(content))),
    });
}

/// A labelled note (GitHub's `> [!TIP]`): its label, then its blocks, with a bar in the gutter.
fn alert_flows(
    s: &mut Setter,
    b: &BlockCx,
    origin: Origin,
    kind: crate::model::AlertKind,
    blocks: &[Block],
    dateline: &mut Option<Text>,
    flows: &mut Vec<Flow>,
) {
    // A labelled note: its label ("Tip") in bold in the accent colour, then its
    // blocks, with a bar in the accent colour in the gutter, indented as a quotation.
    let step = if b.width - 40.0 >= b.floor { 20.0 } else { 0.0 };
    let cx = BlockCx {
        width: b.width - 2.0 * step,
        indent: b.indent + step,
        ..*b
    };
    let th = s.theme;
    let ctx = Ctx {
        family: Family::Sans,
        bold: true,
        italic: false,
        hyphenate: false,
        color: th.colors.accent.rgb(),
        ..b.ctx
    };
    // A lead-in (a footnote's number) goes before the label.
    let mut t = dateline.take().unwrap_or_default();
    t.push(
        crate::locale::alert_label(kind, s.lang),
        ctx.style(),
        None,
        None,
    );
    let lines = s.set(&t, &plain_opts(cx.width, cx.opts().leading, ctx.size));
    let start = flows.len();
    flows.push(Flow {
        packed: Default::default(),
        origin,
        indent: cx.indent,
        space_before: th.spacing.paragraph,
        lines,
        keep_with_next: true,
        splittable: false,
        outline: None,
    });
    for blk in blocks {
        block_flows(s, blk, &cx, &mut None, flows);
    }
    // The label sits on the text it labels.
    if let Some(f) = flows.get_mut(start + 1) {
        f.space_before = f.space_before.min(2.0);
    }
    let (w, color) = (2.0 * th.rules.quote, th.colors.accent.rgb());
    gutter_bar(s, &cx, &mut flows[start..], w, color);
}

/// A code block: monospaced, indented, unhyphenated.
fn code_flow(s: &mut Setter, b: &BlockCx, origin: Origin, text: &str) -> Flow {
    let ctx = Ctx {
        family: Family::Mono,
        size: b.ctx.size * 0.82,
        hyphenate: false,
        ..b.ctx
    };
    let mut t = Text::default();
    let code = code_text(text);
    t.push(&code, ctx.style(), None, None);
    let opts = SetOptions {
        width: b.width - 12.0,
        align: Align::Left,
        balance: false,
        leading: Theme::line(ctx.size, s.theme.leading.code),
        em: ctx.size,
    };
    let lines = s.set(&t, &opts);
    Flow {
        packed: Default::default(),
        origin,
        indent: b.indent + 12.0,
        space_before: s.theme.spacing.paragraph,
        lines,
        keep_with_next: false,
        splittable: true,
        outline: None,
    }
}

/// A thematic break: a short centred rule.
fn break_flow(s: &Setter, b: &BlockCx, origin: Origin) -> Flow {
    let w = b.width / 4.0;
    let line = Line {
        height: 18.0,
        baseline: 9.0,
        rules: vec![Rule {
            x0: (b.width - w) / 2.0,
            x1: (b.width + w) / 2.0,
            y: 0.0,
            thickness: s.theme.rules.thematic_break,
            color: s.theme.colors.rules.rgb(),
        }],
        ..Line::default()
    };
    Flow {
        packed: Default::default(),
        origin,
        indent: b.indent,
        space_before: s.theme.spacing.paragraph,
        lines: vec![line],
        keep_with_next: false,
        splittable: false,
        outline: None,
    }
}

impl BlockCx {
    fn origin(&self, b: &Block) -> Origin {
        if self.about {
            Origin::About(b.id)
        } else {
            Origin::Block(b.id)
        }
    }
    fn opts(&self) -> SetOptions {
        SetOptions {
            width: self.width,
            align: self.align,
            balance: false,
            leading: Theme::line(self.ctx.size, self.ctx.leading),
            em: self.ctx.size,
        }
    }
}

fn block_flows(
    s: &mut Setter,
    block: &Block,
    b: &BlockCx,
    dateline: &mut Option<Text>,
    flows: &mut Vec<Flow>,
) {
    let origin = b.origin(block);
    match &block.kind {
        BlockKind::Heading { level, content, .. } => {
            heading_flow(s, b, origin, *level, content, flows)
        }
        BlockKind::Paragraph(content) => {
            if let Some(img) = super::figure::figure_image(content)
                && figure_flow::figure(s, img, origin, b, flows, ImagePlace::Alone)
            {
                return;
            }
            if has_figure(s, content, b) {
                split_paragraph(s, content, origin, b, dateline, flows);
                return;
            }
            text_flow(s, content, origin, b, dateline, flows);
        }
        BlockKind::BlockQuote(inner) => {
            // Indented on both sides while the measure keeps its floor; deeper, not at all.
            let step = if b.width - 40.0 >= b.floor { 20.0 } else { 0.0 };
            let cx = BlockCx {
                width: b.width - 2.0 * step,
                indent: b.indent + step,
                ..*b
            };
            let start = flows.len();
            for blk in inner {
                block_flows(s, blk, &cx, dateline, flows);
            }
            if step == 0.0 {
                return;
            }
            let (w, color) = (s.theme.rules.quote, s.theme.colors.quote.rgb());
            gutter_bar(s, &cx, &mut flows[start..], w, color);
        }
        BlockKind::Alert { kind, blocks } => {
            alert_flows(s, b, origin, *kind, blocks, dateline, flows)
        }
        BlockKind::List(list) => list_flows(s, list, b, dateline, flows),
        BlockKind::CodeBlock { text, .. } => flows.push(code_flow(s, b, origin, text)),
        BlockKind::Table(t) if !t.header.is_empty() => {
            if let Some(tf) = table::table(s, t, origin, b, flows) {
                s.tables.push(tf);
            }
        }
        BlockKind::Table(table) => {
            for row in std::iter::once(&table.header).chain(&table.rows) {
                let mut t = Text::default();
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        t.push(" \u{2003}", b.ctx.style(), None, None);
                    }
                    push_inlines(s, &mut t, cell, b.ctx, &Fit::text(b.ctx.size, b.width));
                }
                let mut opts = b.opts();
                opts.align = Align::Left;
                let lines = s.set(&t, &opts);
                flows.push(Flow {
                    packed: Default::default(),
                    origin,
                    indent: b.indent,
                    space_before: 2.0,
                    lines,
                    keep_with_next: false,
                    splittable: true,
                    outline: None,
                });
            }
        }
        BlockKind::ThematicBreak => flows.push(break_flow(s, b, origin)),
        BlockKind::Html(h) => html_flows(s, h, b, dateline, flows),
        BlockKind::RawHtml(html) if crate::model::is_html_comment(html) => {}
        BlockKind::RawHtml(_) => {
            s.diagnostics.push(
                Diagnostic::warning("raw HTML is not shown in the PDF")
                    .at(&s.doc.source, block.at)
                    .help("write it in Markdown instead"),
            );
        }
    }
}

/// The blocks of an element read from raw HTML, set as their Markdown twins are: a container's
/// blocks in place (centred for `<div align=center>`, `<center>`), a `<details>` open with its
/// summary in bold, a definition list's terms in bold and its definitions indented.
fn html_flows(
    s: &mut Setter,
    h: &model::HtmlBlock,
    b: &BlockCx,
    dateline: &mut Option<Text>,
    flows: &mut Vec<Flow>,
) {
    use model::HtmlElement as E;
    let mut cx = *b;
    match h.element {
        E::Div { align } => {
            cx.align = match align {
                model::Align::Center => Align::Center,
                model::Align::Right if s.rtl != Some(true) => Align::Right,
                model::Align::Left if s.rtl == Some(true) => Align::Right,
                model::Align::Left | model::Align::Right => Align::Left,
                model::Align::None => b.align,
            };
        }
        E::Summary | E::Term => cx.ctx.bold = true,
        E::Definition => {
            let step = if b.width - 20.0 >= b.floor { 20.0 } else { 0.0 };
            cx.width = b.width - step;
            if s.rtl != Some(true) {
                cx.indent = b.indent + step;
            }
        }
        E::Fragment | E::Details | E::Figure | E::Figcaption | E::DefinitionList => {}
    }
    for blk in &h.blocks {
        block_flows(s, blk, &cx, dateline, flows);
    }
}

/// A rule `w` wide in the left gutter of a quotation or alert (right, right to left), beside
/// every line of its flows, placed by this level's indent, whatever the indent of the lines
/// nested in it.
fn gutter_bar(s: &Setter, cx: &BlockCx, flows: &mut [Flow], w: f32, color: [f32; 3]) {
    let (x0, x1) = if s.rtl == Some(true) {
        let x = cx.indent + cx.width + 10.5;
        (x, x + w)
    } else {
        let x = cx.indent - 10.5;
        (x - w, x)
    };
    for f in flows {
        for l in &mut f.lines {
            l.rules.push(Rule {
                x0: x0 - f.indent,
                x1: x1 - f.indent,
                y: -l.baseline + l.height / 2.0,
                thickness: l.height,
                color,
            });
        }
    }
}

fn list_flows(
    s: &mut Setter,
    list: &List,
    b: &BlockCx,
    dateline: &mut Option<Text>,
    flows: &mut Vec<Flow>,
) {
    let hang = 18.0;
    // Right to left, the markers hang in the right margin of the items.
    let rtl = s.rtl == Some(true);
    // Indented while the measure keeps its floor; deeper, the marker hangs in the enclosing
    // indent.
    let step = if b.width - hang >= b.floor { hang } else { 0.0 };
    let cx = BlockCx {
        width: b.width - step,
        indent: if rtl { b.indent } else { b.indent + step },
        ..*b
    };
    for (i, item) in list.items.iter().enumerate() {
        let marker = match (list.start, item.task) {
            (_, Some(true)) => "[x]".to_string(),
            (_, Some(false)) => "[ ]".to_string(),
            (Some(start), None) => format!("{}.", start.saturating_add(i as u64)),
            (None, None) => "\u{2022}".to_string(),
        };
        let start = flows.len();
        for blk in &item.blocks {
            block_flows(s, blk, &cx, dateline, flows);
        }
        if list.tight {
            // (A figure keeps its space.)
            for (k, f) in flows.iter_mut().enumerate().skip(start + 1) {
                if !s.figures.contains(&k) {
                    f.space_before = 2.0;
                }
            }
            if i > 0
                && !s.figures.contains(&start)
                && let Some(f) = flows.get_mut(start)
            {
                f.space_before = 2.0;
            }
        }
        // The marker hangs in the item's indent, on its first line; placed by this level's
        // indent, whatever the indent of a block nested first in the item.
        let mut lines = s.set_plain(&marker, b.ctx, hang, Align::Right, b.opts().leading);
        let figure = s.figures.contains(&start);
        if let (Some(f), Some(m)) = (flows.get_mut(start), lines.pop())
            && let Some(first) = f.lines.first_mut()
        {
            let dx = if rtl {
                cx.indent + cx.width + 4.0
            } else {
                cx.indent - (hang + 4.0)
            } - f.indent;
            // On a line that is an image (an item that opens with a figure), the marker
            // stands at the image's top rather than at its foot.
            let dy = if first.runs.is_empty() && (figure || !first.images.is_empty()) {
                m.baseline - first.baseline
            } else {
                0.0
            };
            for mut run in m.runs {
                run.role = layout::Role::Label;
                run.x += dx;
                run.y += dy;
                first.runs.insert(0, run);
                for (k, _) in &mut first.images {
                    *k += 1;
                }
            }
        }
    }
}

/// Whether a link target may become a clickable URI annotation.
pub fn safe_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|p| u.starts_with(p))
}

/// Code as set text: lines joined by forced breaks (U+2028), tabs expanded, and each
/// line's indentation made of no-break spaces so that it survives the line breaker.
fn code_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
        if i > 0 {
            out.push('\u{2028}');
        }
        let line = line.replace('\t', "    ");
        let body = line.trim_start_matches(' ');
        for _ in 0..line.len() - body.len() {
            out.push('\u{00A0}');
        }
        out.push_str(body);
    }
    out
}

/// How images inside a run of text are sized: at their natural size, scaled down to fit
/// `max_w` × `max_h`; `cell` is the table cell they stand in.
#[derive(Debug, Clone, Copy)]
struct Fit {
    max_w: f32,
    max_h: f32,
    cell: Option<(u32, u32)>,
}

impl Fit {
    /// Images in running text of size `em`: at most as tall as the type (an icon keeps the
    /// leading even), never wider than the measure.
    fn text(em: f32, width: f32) -> Fit {
        Fit {
            max_w: width,
            max_h: em * INLINE_HEIGHT,
            cell: None,
        }
    }
}

/// The tallest an image set in a line of text may be, in ems of the text: the height of the
/// type's ascender, so that the line keeps its leading.
const INLINE_HEIGHT: f32 = 1.0;

/// Whether an image inside a paragraph's text is set as a figure where it stands rather
/// than on the line: when at its natural size it is more than twice the line's height, or
/// would still be wider than half the measure once scaled to the line.
fn is_figure(s: &Setter, img: &model::Image, b: &BlockCx) -> bool {
    let Some(loaded) = s.images.get(&img.path) else {
        return false;
    };
    let (w, h) = super::figure::fit_hinted(loaded, img.size, b.width, f32::MAX, f32::MAX);
    let line = b.opts().leading;
    let em = b.ctx.size * INLINE_HEIGHT;
    let scaled_w = if h > em { w * em / h } else { w };
    h > 2.0 * line || scaled_w > b.width * 0.5
}

/// Whether a paragraph that is more than an image holds one to set as a figure.
fn has_figure(s: &Setter, content: &[Inline], b: &BlockCx) -> bool {
    content.iter().any(|i| match i {
        Inline::Image(img) => is_figure(s, img, b),
        Inline::Emph(c)
        | Inline::Strong(c)
        | Inline::Strike(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Span(model::HtmlSpan { content: c, .. })
        | Inline::Link { content: c, .. } => has_figure(s, c, b),
        _ => false,
    })
}

/// A part of a paragraph split at its figures: text, or a figure (with the link it is in).
enum Seg<'a> {
    Text(Vec<Inline>),
    Figure(&'a model::Image, Option<&'a str>),
}

/// Splits inlines at the images to set as figures; the emphasis, links and other spans
/// around a figure continue on both sides of it.
fn split_figures<'a>(
    s: &Setter,
    inlines: &'a [Inline],
    b: &BlockCx,
    link: Option<&'a str>,
) -> Vec<Seg<'a>> {
    fn push_text(out: &mut Vec<Seg>, i: Inline) {
        match out.last_mut() {
            Some(Seg::Text(v)) => v.push(i),
            _ => out.push(Seg::Text(vec![i])),
        }
    }
    let mut out = Vec::new();
    for i in inlines {
        let (inner, link) = match i {
            Inline::Image(img) if is_figure(s, img, b) => {
                out.push(Seg::Figure(img, link));
                continue;
            }
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span(model::HtmlSpan { content: c, .. }) => (c, link),
            Inline::Link { url, content, .. } => (content, Some(url.as_str())),
            other => {
                push_text(&mut out, other.clone());
                continue;
            }
        };
        for seg in split_figures(s, inner, b, link) {
            match seg {
                Seg::Text(v) => push_text(&mut out, rewrap(i, v)),
                f => out.push(f),
            }
        }
    }
    out
}

/// `i` (a span of inlines) with `content` in place of its own.
fn rewrap(i: &Inline, content: Vec<Inline>) -> Inline {
    match i {
        Inline::Emph(_) => Inline::Emph(content),
        Inline::Strong(_) => Inline::Strong(content),
        Inline::Strike(_) => Inline::Strike(content),
        Inline::Superscript(_) => Inline::Superscript(content),
        Inline::Subscript(_) => Inline::Subscript(content),
        Inline::Span(h) => Inline::Span(model::HtmlSpan {
            content,
            ..h.clone()
        }),
        Inline::Link { url, title, .. } => Inline::Link {
            url: url.clone(),
            title: title.clone(),
            content,
        },
        other => other.clone(),
    }
}

/// Whether inlines show nothing (spaces and line ends).
fn blank(inlines: &[Inline]) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Text { text, .. } => text.trim().is_empty(),
        Inline::SoftBreak | Inline::HardBreak => true,
        Inline::Emph(c)
        | Inline::Strong(c)
        | Inline::Strike(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Span(model::HtmlSpan { content: c, .. })
        | Inline::Link { content: c, .. } => blank(c),
        _ => false,
    })
}

/// A paragraph with figures in its text: the text before a figure, the figure (with its
/// caption) where it stands, the text after it, as flows of the same block.
fn split_paragraph(
    s: &mut Setter,
    content: &[Inline],
    origin: Origin,
    b: &BlockCx,
    dateline: &mut Option<Text>,
    flows: &mut Vec<Flow>,
) {
    let mut segs = split_figures(s, content, b, None);
    // Punctuation that follows a figure (`![…](chart.png).`) ends the text before it.
    let mut i = 2;
    while i < segs.len() {
        let punct = match &segs[i] {
            Seg::Text(v) => {
                let t = model::plain_text(v);
                !t.trim().is_empty() && !t.chars().any(char::is_alphanumeric)
            }
            Seg::Figure(..) => false,
        };
        if punct
            && matches!(segs[i - 1], Seg::Figure(..))
            && matches!(segs[i - 2], Seg::Text(_))
            && let Seg::Text(tail) = segs.remove(i)
            && let Seg::Text(before) = &mut segs[i - 2]
        {
            if let Some(Inline::Text { text, .. }) = before.last_mut() {
                let trimmed = text.trim_end().len();
                text.truncate(trimmed);
            }
            before.extend(tail);
        } else {
            i += 1;
        }
    }
    for seg in segs {
        let mut inlines = match seg {
            Seg::Figure(img, link) => {
                if figure_flow::figure(s, img, origin, b, flows, ImagePlace::InText) {
                    if let Some(url) = link.filter(|u| safe_link(u))
                        && let Some(f) = flows.last_mut()
                        && let Some(a) = s.attach.last()
                        && let Some(first) = f.lines.first_mut()
                    {
                        // The figure is the link's area.
                        first.links.push(LinkArea {
                            x0: a.dx - b.indent,
                            x1: a.dx - b.indent + a.width,
                            y0: -first.baseline,
                            y1: a.height - first.baseline,
                            url: url.to_string(),
                        });
                    }
                    continue;
                }
                vec![Inline::Image(img.clone())]
            }
            Seg::Text(v) => v,
        };
        if blank(&inlines) {
            continue;
        }
        // Line ends next to a figure end nothing.
        while matches!(inlines.first(), Some(Inline::SoftBreak | Inline::HardBreak)) {
            inlines.remove(0);
        }
        while matches!(inlines.last(), Some(Inline::SoftBreak | Inline::HardBreak)) {
            inlines.pop();
        }
        text_flow(s, &inlines, origin, b, dateline, flows);
    }
}

/// An image set on a line of text, sized by `fit`; `None` when it is not available.
fn inline_image(s: &mut Setter, img: &model::Image, fit: &Fit) -> Option<ImageBox> {
    let loaded = s.images.get(&img.path)?.clone();
    let (w, h) = super::figure::fit_hinted(&loaded, img.size, fit.max_w, fit.max_w, fit.max_h);
    let image = figure_flow::prepared(s, &img.path, img.at, w, h)?;
    Some(ImageBox {
        x: 0.0,
        y: -h,
        width: w,
        height: h,
        image,
        decorative: super::figure::decorative(&img.alt),
        at: img.at,
        place: ImagePlace::Inline,
        cell: fit.cell,
    })
}

/// Appends inlines to `t` in the given style, images as boxes sized by `fit`.
fn push_inlines(s: &mut Setter, t: &mut Text, inlines: &[Inline], ctx: Ctx, fit: &Fit) {
    push_inlines_link(s, t, inlines, ctx, None, fit)
}

fn push_inlines_link(
    s: &mut Setter,
    t: &mut Text,
    inlines: &[Inline],
    ctx: Ctx,
    link: Option<u32>,
    fit: &Fit,
) {
    let doc = s.doc;
    for i in inlines {
        match i {
            Inline::Text { text, at } => {
                // Source offsets map byte for byte only when the text is verbatim.
                let verbatim = doc
                    .source
                    .text()
                    .get(*at as usize..*at as usize + text.len())
                    == Some(text.as_str());
                if verbatim {
                    t.push(text, ctx.style(), link, Some(*at));
                } else {
                    t.push_approx(text, ctx.style(), link, *at);
                }
            }
            Inline::Emph(c) => push_inlines_link(
                s,
                t,
                c,
                Ctx {
                    italic: !ctx.italic,
                    ..ctx
                },
                link,
                fit,
            ),
            Inline::Strong(c) => push_inlines_link(s, t, c, Ctx { bold: true, ..ctx }, link, fit),
            Inline::Strike(c) => push_inlines_link(
                s,
                t,
                c,
                Ctx {
                    strike: true,
                    ..ctx
                },
                link,
                fit,
            ),
            Inline::Superscript(c) | Inline::Subscript(c) => {
                let up = matches!(i, Inline::Superscript(_));
                let c2 = Ctx {
                    size: ctx.size * 0.7,
                    rise: ctx.rise
                        + if up {
                            ctx.size * 0.33
                        } else {
                            -ctx.size * 0.14
                        },
                    hyphenate: false,
                    ..ctx
                };
                push_inlines_link(s, t, c, c2, link, fit)
            }
            Inline::Code(code) => {
                let c = Ctx {
                    family: Family::Mono,
                    size: ctx.size * 0.88,
                    hyphenate: false,
                    ..ctx
                };
                t.push(code, c.style(), link, None);
            }
            Inline::Link { url, content, .. } => {
                // Only web, mail and phone addresses become clickable: never `javascript:`,
                // `data:` or other schemes a reader's viewer might act on.
                let target = if safe_link(url) {
                    let idx = t.links.len() as u32;
                    t.links.push(url.clone());
                    Some(idx)
                } else {
                    link
                };
                push_inlines_link(s, t, content, ctx, target, fit);
            }
            Inline::Image(img) => push_image(s, t, img, ctx, link, fit),
            Inline::SoftBreak => t.push(" ", ctx.style(), link, None),
            Inline::HardBreak => t.push("\u{2028}", ctx.style(), link, None),
            Inline::FootnoteRef { number, .. } => push_note_ref(t, *number, ctx),
            Inline::Span(h) => push_span(s, t, h, ctx, link, fit),
            Inline::RawHtml(_) => {}
        }
    }
}

/// An HTML span (`<small>`, `<kbd>`, `<q>` …) in its style.
fn push_span(
    s: &mut Setter,
    t: &mut Text,
    h: &model::HtmlSpan,
    ctx: Ctx,
    link: Option<u32>,
    fit: &Fit,
) {
    use model::SpanTag as T;
    let c = match h.tag {
        T::Small => Ctx {
            size: ctx.size * 0.85,
            ..ctx
        },
        T::Kbd | T::Samp => Ctx {
            family: Family::Mono,
            size: ctx.size * 0.88,
            hyphenate: false,
            ..ctx
        },
        T::Var | T::Cite | T::Dfn => Ctx {
            italic: !ctx.italic,
            ..ctx
        },
        T::Mark => Ctx { bold: true, ..ctx },
        T::Abbr | T::Ins | T::Underline | T::Q | T::Time | T::Bdi | T::Span => ctx,
    };
    // A quotation is set in quotation marks, as a browser shows `<q>`.
    if h.tag == T::Q {
        t.push("\u{201C}", c.style(), link, None);
    }
    push_inlines_link(s, t, &h.content, c, link, fit);
    if h.tag == T::Q {
        t.push("\u{201D}", c.style(), link, None);
    }
}

/// An image in the text: drawn where it fits the line, else its alternative text.
fn push_image(
    s: &mut Setter,
    t: &mut Text,
    img: &model::Image,
    ctx: Ctx,
    link: Option<u32>,
    fit: &Fit,
) {
    if let Some(b) = inline_image(s, img, fit) {
        t.push_object(b, ctx.style(), link);
    } else if !img.alt.is_empty() {
        t.push(
            &img.alt,
            Ctx {
                italic: true,
                ..ctx
            }
            .style(),
            link,
            Some(img.at),
        );
    }
}

/// A footnote reference: a superscript number.
fn push_note_ref(t: &mut Text, number: u32, ctx: Ctx) {
    // A superscript number with a hidden link area that tells pagination
    // which line references the note (see `footnote`).
    let idx = t.links.len() as u32;
    t.links.push(format!("{}{number}", footnote::MARK));
    let c = Ctx {
        size: ctx.size * 0.7,
        rise: ctx.rise + ctx.size * 0.33,
        hyphenate: false,
        ..ctx
    };
    t.push(&number.to_string(), c.style(), Some(idx), None)
}

/// Running text set as a paragraph's flow, opened by the dateline while it still waits.
fn text_flow(
    s: &mut Setter,
    inlines: &[Inline],
    origin: Origin,
    b: &BlockCx,
    dateline: &mut Option<Text>,
    flows: &mut Vec<Flow>,
) {
    let mut t = dateline.take().unwrap_or_default();
    push_inlines(s, &mut t, inlines, b.ctx, &Fit::text(b.ctx.size, b.width));
    let lines = s.set(&t, &b.opts());
    flows.push(Flow {
        packed: Default::default(),
        origin,
        indent: b.indent,
        space_before: s.theme.spacing.paragraph,
        lines,
        keep_with_next: false,
        splittable: true,
        outline: None,
    });
}

/// The dateline that opens the first paragraph: `WASHINGTON (Nov. 27, 2026) — `.
fn dateline_text(doc: &Document, body: Ctx) -> Option<Text> {
    let meta = &doc.meta;
    let city = meta
        .dateline
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let mut t = Text::default();
    // The lead-in as the language writes it (AP style in English), the city in bold.
    let lead = crate::locale::dateline(city, meta.date.as_ref(), &meta.lang)?;
    match city.and_then(|c| lead.strip_prefix(c).map(|rest| (c, rest))) {
        Some((c, rest)) => {
            t.push(c, Ctx { bold: true, ..body }.style(), None, None);
            t.push(rest, body.style(), None, None);
        }
        None => t.push(&lead, body.style(), None, None),
    }
    Some(t)
}

/// A shortened headline for the running header.
fn short_headline(title: &str) -> String {
    const MAX: usize = 48;
    if title.chars().count() <= MAX {
        return title.to_string();
    }
    let mut out = String::new();
    for w in title.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > MAX {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    let out = out.trim_end_matches([',', ';', ':', '—', '-']);
    format!("{out}\u{2026}")
}

/// The furniture of page `i` of `n`: running header, "- more -", page number.
fn furniture(
    s: &mut Setter,
    doc: &Document,
    geo: &Geometry,
    measure: f32,
    (i, n): (usize, usize),
    page: &mut Page,
) {
    let th = s.theme;
    let small = Ctx {
        family: Family::Sans,
        size: th.sizes.furniture,
        color: th.colors.muted.rgb(),
        hyphenate: false,
        ..s.body
    };
    let leading = Theme::line(th.sizes.furniture, th.leading.small);
    let header_left = doc.meta.organization.clone().unwrap_or_default();
    let header_right = short_headline(&doc.meta.title);
    if i > 0 {
        let y = geo.top_other - 36.0;
        let left = s.set_plain(
            &header_left,
            Ctx {
                bold: true,
                ..small
            },
            measure * 0.4,
            Align::Left,
            leading,
        );
        let right = s.set_plain(&header_right, small, measure * 0.58, Align::Right, leading);
        // Right to left, the organization heads the right side and the headline the left.
        let (lx, rx) = if s.rtl == Some(true) {
            (geo.left + measure * 0.6, geo.left)
        } else {
            (geo.left, geo.left + measure * 0.42)
        };
        for l in left.into_iter().take(1) {
            place_line(page, l, Origin::Furniture, lx, y);
        }
        for l in right.into_iter().take(1) {
            place_line(page, l, Origin::Furniture, rx, y);
        }
        page.items.push(layout::Placed {
            origin: Origin::Furniture,
            item: layout::Item::Rule(Rule {
                x0: geo.left,
                x1: geo.left + measure,
                y: y + 6.0,
                thickness: th.rules.header,
                color: th.colors.rules.rgb(),
            }),
        });
    }
    if i + 1 < n {
        let more_label = s.labels.more.clone();
        let body_leading = Theme::line(th.sizes.body, th.leading.body);
        let more = s.set_plain(&more_label, s.body, measure, Align::Center, body_leading);
        for l in more.into_iter().take(1) {
            place_line(page, l, Origin::Furniture, geo.left, geo.bottom + 26.0);
        }
    }
    let page_label = s.labels.page_of(i + 1, n);
    let num = s.set_plain(&page_label, small, measure, Align::Right, leading);
    for l in num.into_iter().take(1) {
        // On the baseline of "- more -", so text extraction keeps them apart.
        place_line(page, l, Origin::Furniture, geo.left, geo.bottom + 26.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 17: a long document's glyphs are packed while it is paginated and its pages
    /// come out packed; unpacked, they are the pages laid out without packing, item for item
    /// (statements with tables and their repeated headers, footnotes, lists, figures).
    #[test]
    fn packed_pages_are_the_pages() {
        for path in [
            "content/us-upr-review.md",
            "tests/corpus/check-cfg/check-cfg.md",
            "tests/corpus/i128-layout/i128-layout.md",
            "tests/corpus/rfc-3691/rfc-3691.md",
        ] {
            let text = std::fs::read_to_string(path).unwrap();
            let opts = crate::markdown::ReadOptions::default();
            let (doc, _) = crate::markdown::read(std::path::Path::new(path), &text, &opts);
            let doc = doc.unwrap();
            let book = FontBook::bundled();
            let opts = PdfOptions::default();
            let images = Images::load(&doc, &opts.assets).unwrap_or_default();
            let mut diags = Vec::new();
            let plain = lay_out_packing(&doc, &book, &opts, &images, &mut diags, false);
            let mut packed = lay_out_packing(&doc, &book, &opts, &images, &mut diags, true);
            assert!(packed.pages.iter().all(|p| p.packed.is_packed()), "{path}");
            packed.pages.iter_mut().for_each(Page::unpack);
            assert_eq!(plain, packed, "{path}");
        }
    }

    #[test]
    fn every_placed_item_knows_its_origin() {
        use crate::model::{Block, BlockId, Inline, Metadata, SourceMap};
        let para = |id: u32, text: &str| Block {
            id: BlockId(id),
            at: 0,
            kind: BlockKind::Paragraph(vec![Inline::Text {
                text: text.into(),
                at: 0,
            }]),
        };
        let doc = Document {
            meta: Metadata {
                title: "A headline".into(),
                organization: Some("Org".into()),
                ..Metadata::default()
            },
            blocks: (0..40)
                .map(|i| para(i, "Words enough to fill a few lines of text on the page. ").clone())
                .collect(),
            footnotes: Vec::new(),
            source: SourceMap::new("x.md", ""),
        };
        let book = FontBook::bundled();
        let mut diags = Vec::new();
        let laid = lay_out(&doc, &book, &PdfOptions::default(), &mut diags);
        assert!(laid.pages.len() > 1);
        let mut seen = std::collections::BTreeSet::new();
        for page in &laid.pages {
            for p in &page.items {
                match p.origin {
                    Origin::Block(id) => {
                        seen.insert(id);
                    }
                    Origin::Front(_) | Origin::Furniture | Origin::About(_) => {}
                }
            }
        }
        assert_eq!(seen.len(), 40, "every block placed and tagged");
        // Page furniture is marked as such.
        assert!(
            laid.pages[1]
                .items
                .iter()
                .any(|p| p.origin == Origin::Furniture)
        );
        assert!(
            laid.pages[0]
                .items
                .iter()
                .any(|p| p.origin == Origin::Front(Front::Headline))
        );
    }

    #[test]
    fn only_safe_links_are_clickable() {
        assert!(safe_link("https://example.org"));
        assert!(safe_link("mailto:press@example.org"));
        assert!(!safe_link("javascript:alert(1)"));
        assert!(!safe_link(" JavaScript:alert(1)"));
        assert!(!safe_link("data:text/html,x"));
    }

    #[test]
    fn short_headlines() {
        assert_eq!(short_headline("Short"), "Short");
        let h = short_headline(
            "Amnesty International USA responds to the U.S. plan to skip its UN human rights review",
        );
        assert!(h.ends_with('\u{2026}') && h.chars().count() <= 49, "{h}");
    }
}
