//! Our own escaping serializer: model → XHTML (for the EPUB) or polyglot HTML5 (for the web page).
//!
//! Every text and attribute goes through [`Writer::text`] / [`Writer::attr`], which escape it and
//! drop the characters XML forbids. Raw HTML from the Markdown is never passed through: it is
//! dropped with a warning, except a short allow-list of harmless inline elements.

use std::collections::HashMap;

use super::images::ImageRef;
use crate::Diagnostic;
use crate::model::{
    Align, Block, BlockKind, Document, Footnote, Image, Inline, Length, List, Offset, SizeHint,
    Slot, SourceMap,
};

/// Which kind of markup to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// XHTML content document with `epub:type`.
    Epub,
    /// HTML5 for a web page (no `epub:type`).
    Html,
}

/// Writes escaped markup into `out` and collects warnings.
pub(crate) struct Writer<'a> {
    pub out: String,
    pub diags: Vec<Diagnostic>,
    flavor: Flavor,
    source: &'a SourceMap,
    /// Offset of the block being written, for warnings about things without their own offset.
    at: Offset,
    /// Heading levels are shifted down by this much (a bundle chapter's headline is the h1).
    pub heading_shift: u8,
    /// How many times each footnote has been referenced so far (for unique ids).
    fn_refs: Vec<u32>,
    /// False where the notes are not on the same page (the "About" boilerplate).
    pub notes_here: bool,
    /// Inside a link: no nested links or note references.
    in_link: bool,
    /// Accessible name of the notes section.
    pub notes_label: String,
    /// Pages that repeat text already written (nav, contents, cover) do not warn again.
    pub quiet: bool,
    /// The stored images, by the path written in the Markdown.
    pub images: HashMap<String, ImageRef>,
    /// Heading levels that do not skip (see `model::heading_levels`), made when the first
    /// heading is met.
    levels: Option<HashMap<crate::model::BlockId, u8>>,
}

impl<'a> Writer<'a> {
    pub fn new(flavor: Flavor, source: &'a SourceMap) -> Writer<'a> {
        Writer {
            out: String::with_capacity(16 * 1024),
            diags: Vec::new(),
            flavor,
            source,
            at: 0,
            heading_shift: 0,
            fn_refs: Vec::new(),
            notes_here: true,
            in_link: false,
            notes_label: "Notes".into(),
            levels: None,
            quiet: false,
            images: HashMap::new(),
        }
    }

    pub fn epub(&self) -> bool {
        self.flavor == Flavor::Epub
    }

    /// Appends markup that we wrote ourselves (never user text).
    pub fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Appends `epub:type="…"` (with a leading space) in EPUB flavor only.
    pub fn epub_type(&mut self, t: &str) {
        if self.epub() {
            self.out.push_str(" epub:type=\"");
            self.out.push_str(t);
            self.out.push('"');
        }
    }

    /// Appends escaped text, dropping characters XML forbids (with a warning at `at`).
    pub fn text_at(&mut self, s: &str, at: Offset) {
        let dropped = push_escaped(&mut self.out, s, false);
        if let Some(i) = dropped {
            self.warn_control(at.saturating_add(i as Offset));
        }
    }

    /// Appends escaped text from metadata (warnings go to the front matter's start).
    pub fn text(&mut self, s: &str) {
        let at = self.at;
        self.text_at(s, at)
    }

    /// Appends an escaped attribute value (without the quotes).
    pub fn attr(&mut self, s: &str) {
        if push_escaped(&mut self.out, s, true).is_some() {
            let at = self.at;
            self.warn_control(at);
        }
    }

    /// Appends ` name="value"` with the value escaped.
    pub fn attr_pair(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.attr(value);
        self.out.push('"');
    }

    /// `lang`, and `xml:lang` in XHTML.
    pub fn lang_attrs(&mut self, lang: &str) {
        self.attr_pair("lang", lang);
        if self.epub() {
            self.attr_pair("xml:lang", lang);
        }
    }

    /// An HTML element's own `lang` and `dir`, when it has them.
    fn lang_dir_attrs(&mut self, lang: Option<&str>, dir: Option<crate::model::Direction>) {
        if let Some(lang) = lang {
            self.lang_attrs(lang);
        }
        match dir {
            Some(crate::model::Direction::Rtl) => self.raw(" dir=\"rtl\""),
            Some(crate::model::Direction::Ltr) => self.raw(" dir=\"ltr\""),
            None => {}
        }
    }

    fn warn_control(&mut self, at: Offset) {
        self.warn(
            at,
            "removed a control character that XML does not allow".into(),
            "delete it from the source (often a stray form feed or escape character)",
        );
    }

    fn warn(&mut self, at: Offset, msg: String, help: &str) {
        if self.quiet {
            return;
        }
        let mut d = Diagnostic::warning(msg).help(help);
        // A document built without source text has no positions to give.
        if !self.source.text().is_empty() {
            d = d.at(self.source, at);
        } else {
            d = d.in_file(&self.source.path);
        }
        // One warning per source position is plenty.
        if !self.diags.contains(&d) {
            self.diags.push(d);
        }
    }

    // ----- blocks -----

    /// Writes blocks; `lead_in` (already escaped markup) opens the first top-level paragraph.
    pub fn blocks(&mut self, blocks: &[Block], doc: &Document, mut lead_in: Option<&str>) {
        for b in blocks {
            self.block(b, doc, &mut lead_in, false);
        }
    }

    fn block(&mut self, b: &Block, doc: &Document, lead_in: &mut Option<&str>, tight: bool) {
        self.at = b.at;
        match &b.kind {
            BlockKind::Heading { level, id, content } => self.heading(b, *level, id, content, doc),
            BlockKind::Paragraph(inl) if lone_image(inl).is_some() => {
                // A paragraph that holds only an image is a figure (and leaves the dateline
                // lead-in to the next paragraph).
                if let Some(img) = lone_image(inl) {
                    self.figure(img);
                }
            }
            BlockKind::Paragraph(inl) if inl.iter().any(|i| self.is_figure(i)) => {
                self.paragraph_with_figures(inl, doc, lead_in, tight)
            }
            BlockKind::Paragraph(inl) => {
                if !tight {
                    self.raw("<p>");
                }
                if let Some(l) = lead_in.take() {
                    self.raw(l);
                }
                self.inlines(inl, doc);
                if !tight {
                    self.raw("</p>\n");
                }
            }
            BlockKind::BlockQuote(inner) => {
                self.raw("<blockquote>\n");
                for b in inner {
                    self.block(b, doc, &mut None, false);
                }
                self.raw("</blockquote>\n");
            }
            BlockKind::Alert { kind, blocks } => {
                // A labelled note; `role="note"` rather than an `aside`, which some
                // e-readers hide or turn into a pop-up.
                self.raw(&format!(
                    "<div class=\"alert alert-{}\" role=\"note\">\n<p class=\"alert-label\">",
                    kind.name()
                ));
                self.text(crate::locale::alert_label(*kind, &doc.meta.lang));
                self.raw("</p>\n");
                for b in blocks {
                    self.block(b, doc, &mut None, false);
                }
                self.raw("</div>\n");
            }
            BlockKind::List(list) => self.list(list, doc),
            BlockKind::CodeBlock { lang, text } => self.code_block(lang.as_deref(), text, b.at),
            BlockKind::Table(t) => self.table(t, doc),
            BlockKind::ThematicBreak => self.raw("<hr/>\n"),
            BlockKind::Html(h) => self.html_block(h, doc, lead_in),
            BlockKind::RawHtml(html) => {
                if !crate::model::is_html_comment(html) {
                    self.warn(
                        b.at,
                        "dropped a block of raw HTML".into(),
                        "write it in Markdown; e-readers and the newsroom page do not get raw HTML",
                    );
                }
            }
        }
    }

    /// A heading, at a level that does not skip.
    fn heading(&mut self, b: &Block, level: u8, id: &str, content: &[Inline], doc: &Document) {
        // Levels that do not skip, for assistive technology (as in the PDF's tree);
        // a re-levelled heading keeps the look of the level written (its class).
        let written = level;
        let level = self
            .levels
            .get_or_insert_with(|| crate::model::heading_levels(doc).levels)
            .get(&b.id)
            .copied()
            .unwrap_or(written);
        let shift = |l: u8| (l + self.heading_shift).clamp(1, 6);
        let (level, look) = (shift(level), shift(written));
        let id = safe_id(id, b.id.0);
        if look == level {
            self.raw(&format!("<h{level} id=\"{id}\">"));
        } else {
            self.raw(&format!("<h{level} id=\"{id}\" class=\"h{look}\">"));
        }
        self.inlines(content, doc);
        self.raw(&format!("</h{level}>\n"));
    }

    /// A paragraph with a chart in its text: the text before it, the chart as a figure with
    /// its caption where it stands, the text after it (as the PDF sets it).
    fn paragraph_with_figures(
        &mut self,
        inl: &[Inline],
        doc: &Document,
        lead_in: &mut Option<&str>,
        tight: bool,
    ) {
        // figure with its caption where it stands, the text after it (as the PDF
        // sets it).
        for part in self.split_figures(inl) {
            match part {
                Err(img) => self.figure(img),
                Ok(pieces) => {
                    if !tight {
                        self.raw("<p>");
                    }
                    if let Some(l) = lead_in.take() {
                        self.raw(l);
                    }
                    let n = pieces.len();
                    for (k, text) in pieces.into_iter().enumerate() {
                        // Before the punctuation that followed a figure, no space.
                        match text.split_last() {
                            Some((Inline::Text { text: last, at }, rest)) if k + 1 < n => {
                                self.inlines(rest, doc);
                                self.text_at(last.trim_end(), *at);
                            }
                            _ => self.inlines(text, doc),
                        }
                    }
                    if !tight {
                        self.raw("</p>\n");
                    }
                }
            }
        }
    }

    fn code_block(&mut self, lang: Option<&str>, text: &str, at: Offset) {
        self.raw("<pre><code");
        if let Some(lang) = lang {
            let clean: String = lang
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
                .collect();
            if !clean.is_empty() {
                self.raw(&format!(" class=\"language-{clean}\""));
            }
        }
        self.raw(">");
        self.text_at(text, at);
        self.raw("</code></pre>\n");
    }

    /// A table. A cell that spans columns or rows says so (`colspan`, `rowspan`); the
    /// positions it covers have no cell.
    fn table(&mut self, t: &crate::model::Table, doc: &Document) {
        // The wrapper scrolls a table too wide for a small screen instead of squeezing
        // the page; the style sheet lets cells wrap first.
        self.raw("<div class=\"table-wrap\" tabindex=\"0\">\n<table>\n<thead>\n");
        let slots = t.slots();
        for (r, row) in std::iter::once(&t.header).chain(&t.rows).enumerate() {
            if r == 1 {
                self.raw("</thead>\n<tbody>\n");
            }
            self.raw("<tr>");
            let tag = if r == 0 { "th" } else { "td" };
            for (i, (cell, slot)) in row.iter().zip(&slots[r]).enumerate() {
                let Slot::Cell { cols, rows } = *slot else {
                    continue;
                };
                self.raw(if r == 0 { "<th scope=\"col\"" } else { "<td" });
                if cols > 1 {
                    self.raw(&format!(" colspan=\"{cols}\""));
                }
                if rows > 1 {
                    self.raw(&format!(" rowspan=\"{rows}\""));
                }
                self.align(t.aligns.get(i));
                self.raw(">");
                self.inlines(cell, doc);
                self.raw(&format!("</{tag}>"));
            }
            self.raw("</tr>\n");
        }
        if t.rows.is_empty() {
            self.raw("</thead>\n<tbody>\n");
        }
        self.raw("</tbody>\n</table>\n</div>\n");
    }

    /// An element read from raw HTML, written as itself (a fragment as its blocks).
    fn html_block(
        &mut self,
        h: &crate::model::HtmlBlock,
        doc: &Document,
        lead_in: &mut Option<&str>,
    ) {
        use crate::model::HtmlElement as E;
        if h.element == E::Fragment {
            for b in &h.blocks {
                self.block(b, doc, lead_in, false);
            }
            return;
        }
        let name = h.element.name();
        self.raw(&format!("<{name}"));
        if let E::Div { align } = h.element {
            self.align(Some(&align));
        }
        if h.element == E::Details {
            // Open: print has no disclosure widget, and neither does every e-reader.
            self.raw(" open=\"open\"");
        }
        self.lang_dir_attrs(h.lang.as_deref(), h.dir);
        self.raw(">");
        match h.element {
            // Phrasing content only: the paragraph's inlines.
            E::Summary => {
                let mut first = true;
                for b in &h.blocks {
                    if let BlockKind::Paragraph(inl) | BlockKind::Heading { content: inl, .. } =
                        &b.kind
                    {
                        if !first {
                            self.raw("<br/>");
                        }
                        first = false;
                        self.at = b.at;
                        self.inlines(inl, doc);
                    }
                }
            }
            E::DefinitionList => {
                self.raw("\n");
                for b in &h.blocks {
                    let term_or_def = matches!(
                        &b.kind,
                        BlockKind::Html(crate::model::HtmlBlock {
                            element: E::Term | E::Definition,
                            ..
                        })
                    );
                    if term_or_def {
                        self.block(b, doc, &mut None, false);
                    } else {
                        // A `<dl>` holds terms and definitions only.
                        self.raw("<dd>");
                        self.block(b, doc, &mut None, false);
                        self.raw("</dd>\n");
                    }
                }
            }
            E::Term | E::Definition
                if h.blocks.len() == 1 && matches!(h.blocks[0].kind, BlockKind::Paragraph(_)) =>
            {
                self.block(&h.blocks[0], doc, &mut None, true);
            }
            _ => {
                self.raw("\n");
                for b in &h.blocks {
                    self.block(b, doc, lead_in, false);
                }
            }
        }
        self.raw(&format!("</{name}>\n"));
    }

    fn align(&mut self, a: Option<&Align>) {
        match a {
            Some(Align::Left) => self.raw(" class=\"al\""),
            Some(Align::Center) => self.raw(" class=\"ac\""),
            Some(Align::Right) => self.raw(" class=\"ar\""),
            _ => {}
        }
    }

    fn list(&mut self, list: &List, doc: &Document) {
        match list.start {
            None => self.raw("<ul>\n"),
            Some(1) => self.raw("<ol>\n"),
            Some(n) => self.raw(&format!("<ol start=\"{n}\">\n")),
        }
        for item in &list.items {
            self.raw("<li>");
            if let Some(done) = item.task {
                self.raw(if done {
                    "<span class=\"task\">\u{2611}</span> "
                } else {
                    "<span class=\"task\">\u{2610}</span> "
                });
            }
            let tight = list.tight
                && item.blocks.len() == 1
                && matches!(item.blocks[0].kind, BlockKind::Paragraph(_));
            for b in &item.blocks {
                self.block(b, doc, &mut None, tight);
            }
            self.raw("</li>\n");
        }
        self.raw(if list.start.is_some() {
            "</ol>\n"
        } else {
            "</ul>\n"
        });
    }

    /// Footnotes as EPUB 3 notes (`aside epub:type="footnote"`) with back-links.
    pub fn footnotes(&mut self, doc: &Document) {
        let notes: Vec<&Footnote> = doc
            .footnotes
            .iter()
            .filter(|f| self.fn_refs.get(f.number as usize).is_some_and(|n| *n > 0))
            .collect();
        if notes.is_empty() {
            return;
        }
        self.raw("<section class=\"footnotes\"");
        self.epub_type("footnotes");
        self.raw(" role=\"doc-endnotes\"");
        let label = std::mem::take(&mut self.notes_label);
        self.attr_pair("aria-label", &label);
        self.notes_label = label;
        self.raw(">\n<hr/>\n");
        for f in notes {
            let n = f.number;
            self.raw(&format!("<aside id=\"cq-fn-{n}\""));
            self.epub_type("footnote");
            self.raw(" role=\"doc-footnote\">\n");
            let back = format!(
                "<a href=\"#cq-fnref-{n}\" role=\"doc-backlink\" class=\"fn-back\">{n}.</a> "
            );
            let mut lead = Some(back.as_str());
            if !matches!(
                f.blocks.first().map(|b| &b.kind),
                Some(BlockKind::Paragraph(_))
            ) {
                self.raw("<p>");
                self.raw(&back);
                self.raw("</p>\n");
                lead = None;
            }
            for b in &f.blocks {
                self.block(b, doc, &mut lead, false);
            }
            self.raw("</aside>\n");
        }
        self.raw("</section>\n");
    }

    // ----- inlines -----

    pub fn inlines(&mut self, inl: &[Inline], doc: &Document) {
        // Stack of allow-listed raw HTML elements currently open in this run of inlines.
        let mut open: Vec<&'static str> = Vec::new();
        for (i, x) in inl.iter().enumerate() {
            match x {
                Inline::Text { text, at } => self.text_at(text, *at),
                Inline::Emph(c) => self.wrap("em", c, doc),
                Inline::Strong(c) => self.wrap("strong", c, doc),
                Inline::Strike(c) => self.wrap("s", c, doc),
                Inline::Superscript(c) => self.wrap("sup", c, doc),
                Inline::Subscript(c) => self.wrap("sub", c, doc),
                Inline::Code(t) => {
                    self.raw("<code>");
                    self.text(t);
                    self.raw("</code>");
                }
                Inline::Link {
                    url,
                    title,
                    content,
                } => match safe_url(url).filter(|_| !self.in_link) {
                    Some(href) => {
                        self.raw("<a href=\"");
                        self.attr(&href);
                        self.raw("\"");
                        if !title.is_empty() {
                            self.attr_pair("title", title);
                        }
                        self.raw(">");
                        self.in_link = true;
                        self.inlines(content, doc);
                        self.in_link = false;
                        self.raw("</a>");
                    }
                    None if self.in_link => self.inlines(content, doc),
                    None => {
                        let at = first_offset(content).unwrap_or(self.at);
                        self.warn(
                            at,
                            format!("dropped the link to `{}`: only http, https, mailto and tel links are kept", url.trim()),
                            "the link text is kept; give a full https:// address to keep the link",
                        );
                        self.inlines(content, doc);
                    }
                },
                Inline::Image(img) => self.image(img, "inline"),
                Inline::SoftBreak => self.raw("\n"),
                Inline::HardBreak => self.raw("<br/>\n"),
                Inline::FootnoteRef { number, .. } => {
                    let n = *number;
                    if self.in_link || !self.notes_here {
                        self.raw(&format!("<sup>{n}</sup>"));
                    } else if doc.footnotes.iter().any(|f| f.number == n) {
                        let idx = n as usize;
                        if self.fn_refs.len() <= idx {
                            self.fn_refs.resize(idx + 1, 0);
                        }
                        self.fn_refs[idx] += 1;
                        let k = self.fn_refs[idx];
                        let id = if k == 1 {
                            format!("cq-fnref-{n}")
                        } else {
                            format!("cq-fnref-{n}-{k}")
                        };
                        self.raw(&format!("<sup><a id=\"{id}\" href=\"#cq-fn-{n}\""));
                        self.epub_type("noteref");
                        self.raw(&format!(" role=\"doc-noteref\">{n}</a></sup>"));
                    }
                }
                Inline::Span(h) => {
                    // `<time>` without a machine-readable date is not valid: a span.
                    let name = match h.tag {
                        crate::model::SpanTag::Time => "span",
                        t => t.name(),
                    };
                    self.raw(&format!("<{name}"));
                    if !h.title.is_empty() {
                        self.attr_pair("title", &h.title);
                    }
                    self.lang_dir_attrs(h.lang.as_deref(), h.dir);
                    self.raw(">");
                    self.inlines(&h.content, doc);
                    self.raw(&format!("</{name}>"));
                }
                Inline::RawHtml(html) => self.raw_inline(html, &inl[i + 1..], &mut open),
            }
        }
        // Close anything left open (cannot happen: we only open when the close was seen ahead).
        while let Some(t) = open.pop() {
            self.raw(&format!("</{t}>"));
        }
    }

    /// Whether an inline is an image large enough to be a figure where it stands rather than
    /// an image on the line: more than 64 pixels high, or very wide for its height — the PDF's
    /// rule (more than twice the line's height at 150 dpi, or wider than half the measure once
    /// scaled to the line) for the default design.
    fn is_figure(&self, i: &Inline) -> bool {
        let Inline::Image(img) = i else {
            return false;
        };
        self.images
            .get(img.path.trim())
            .is_some_and(|r| r.height > 64 || r.width > 21 * r.height.max(23))
    }

    /// A paragraph's inlines split at its figures (`Err`) into the runs of text between them
    /// (`Ok`, each one or more pieces of the paragraph), without the line ends next to a
    /// figure; punctuation right after a figure ends the text before it.
    #[allow(clippy::type_complexity)]
    fn split_figures<'i>(&self, inl: &'i [Inline]) -> Vec<Result<Vec<&'i [Inline]>, &'i Image>> {
        let edge = |i: &Inline| match i {
            Inline::SoftBreak | Inline::HardBreak => true,
            Inline::Text { text, .. } => text.trim().is_empty(),
            _ => false,
        };
        let mut out: Vec<Result<Vec<&[Inline]>, &Image>> = Vec::new();
        let push_text = |out: &mut Vec<Result<Vec<&'i [Inline]>, &'i Image>>,
                         mut t: &'i [Inline]| {
            while t.first().is_some_and(edge) {
                t = &t[1..];
            }
            while t.last().is_some_and(edge) {
                t = &t[..t.len() - 1];
            }
            if !t.is_empty() {
                out.push(Ok(vec![t]));
            }
        };
        let mut start = 0;
        for (k, i) in inl.iter().enumerate() {
            if let Inline::Image(img) = i
                && self.is_figure(i)
            {
                push_text(&mut out, &inl[start..k]);
                out.push(Err(img));
                start = k + 1;
            }
        }
        push_text(&mut out, &inl[start..]);
        // `![…](chart.png).`: the full stop goes with the text before the chart.
        let mut k = 2;
        while k < out.len() {
            let punct = matches!(&out[k], Ok(t) if t.iter().all(|t| {
                let s = crate::model::plain_text(t);
                !s.chars().any(char::is_alphanumeric)
            }));
            if punct
                && out[k - 1].is_err()
                && out[k - 2].is_ok()
                && let Ok(tail) = out.remove(k)
                && let Ok(before) = &mut out[k - 2]
            {
                before.extend(tail);
            } else {
                k += 1;
            }
        }
        out
    }

    /// A figure: the image, and its title as the caption when there is one.
    fn figure(&mut self, img: &Image) {
        self.raw("<figure class=\"figure\">\n");
        self.image(img, "figure");
        self.raw("\n");
        if !img.title.trim().is_empty() {
            self.raw("<figcaption>");
            self.text_at(img.title.trim(), img.at);
            self.raw("</figcaption>\n");
        }
        self.raw("</figure>\n");
    }

    /// An `<img>`. Alt text is carried through; an image without it gets `alt=""` and
    /// `role="presentation"` (it is skipped by screen readers) and a warning, unless the
    /// author marked it decorative on purpose with `![""](path)`.
    pub fn image(&mut self, img: &Image, class: &str) {
        let Some(r) = self.images.get(img.path.trim()).cloned() else {
            // Not loaded (a page that repeats text): the alt text stands in.
            if !img.alt.trim().is_empty() {
                self.raw("<span class=\"img-alt\">");
                self.text_at(&img.alt, img.at);
                self.raw("</span>");
            }
            return;
        };
        self.raw(&format!("<img class=\"{class}\" src=\""));
        self.attr(&r.href);
        self.raw("\"");
        let alt = img.alt.trim();
        let decorative = !alt.is_empty()
            && alt
                .chars()
                .all(|c| matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\''));
        if alt.is_empty() || decorative {
            if alt.is_empty() {
                self.warn(
                    img.at,
                    format!("image `{}` has no alt text", img.path.trim()),
                    "describe it for readers who cannot see it: ![what it shows](path); write ![\"\"](path) for a purely decorative image",
                );
            }
            self.raw(" alt=\"\" role=\"presentation\"");
        } else {
            self.attr_pair("alt", alt);
        }
        if let Some((w, h)) = hinted_px(img.size, r.width, r.height) {
            self.raw(&format!(" width=\"{w}\" height=\"{h}\""));
        } else if !self.epub() {
            self.raw(&format!(" width=\"{}\" height=\"{}\"", r.width, r.height));
        }
        self.raw("/>");
    }

    fn wrap(&mut self, tag: &str, c: &[Inline], doc: &Document) {
        self.raw(&format!("<{tag}>"));
        self.inlines(c, doc);
        self.raw(&format!("</{tag}>"));
    }

    fn raw_inline(&mut self, html: &str, rest: &[Inline], open: &mut Vec<&'static str>) {
        if crate::model::is_html_comment(html) {
            return;
        }
        let at = self.at;
        match parse_tag(html) {
            Some(Tag::Void(name)) => self.raw(&format!("<{name}/>")),
            Some(Tag::Open(name, attrs)) => {
                if closes_later(name, rest) {
                    self.raw(&format!("<{name}"));
                    for (k, v) in attrs {
                        if k == "lang" {
                            self.lang_attrs(&v);
                        } else {
                            self.attr_pair(k, &v);
                        }
                    }
                    self.raw(">");
                    open.push(name);
                } else {
                    self.warn(
                        at,
                        format!("dropped `{}`: it is never closed", html.trim()),
                        "close the element in the same paragraph",
                    );
                }
            }
            Some(Tag::Close(name)) => {
                if open.last() == Some(&name) {
                    open.pop();
                    self.raw(&format!("</{name}>"));
                } else {
                    self.warn(
                        at,
                        format!("dropped `{}`: it closes nothing", html.trim()),
                        "check that the tags are balanced",
                    );
                }
            }
            None => self.warn(
                at,
                format!("dropped raw HTML `{}`", shorten(html.trim())),
                "only <sup>, <sub>, <br>, <abbr>, <small>, <q>, <cite>, <kbd>, <mark>, <time>, <span lang> and a few others are kept",
            ),
        }
    }
}

/// The image of a paragraph that holds nothing else (spaces and line ends aside).
pub(crate) fn lone_image(inl: &[Inline]) -> Option<&Image> {
    let mut found = None;
    for i in inl {
        match i {
            Inline::Image(img) if found.is_none() => found = Some(img),
            Inline::SoftBreak => {}
            Inline::Text { text, .. } if text.trim().is_empty() => {}
            _ => return None,
        }
    }
    found
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        let mut t: String = s.chars().take(60).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

fn first_offset(inl: &[Inline]) -> Option<Offset> {
    inl.iter().find_map(|i| match i {
        Inline::Text { at, .. } => Some(*at),
        Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => first_offset(c),
        _ => None,
    })
}

/// True when a close tag for `name` balances an open one later in the same inline run.
fn closes_later(name: &str, rest: &[Inline]) -> bool {
    let mut depth = 0;
    for x in rest {
        if let Inline::RawHtml(h) = x {
            match parse_tag(h) {
                Some(Tag::Open(n, _)) if n == name => depth += 1,
                Some(Tag::Close(n)) if n == name => {
                    if depth == 0 {
                        return true;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }
    false
}

/// Allow-listed inline elements (no attributes besides [`SAFE_ATTRS`]).
const INLINE_ALLOWED: &[&str] = &[
    "sup", "sub", "abbr", "small", "q", "cite", "kbd", "mark", "time", "span", "dfn", "var",
    "samp", "em", "strong", "i", "b", "u", "s", "bdi",
];
const VOID_ALLOWED: &[&str] = &["br", "wbr"];
const SAFE_ATTRS: &[&str] = &["title", "lang", "dir", "datetime"];

enum Tag {
    Open(&'static str, Vec<(&'static str, String)>),
    Close(&'static str),
    Void(&'static str),
}

/// Parses one allow-listed tag; `None` for anything else (unknown element, unsafe attribute,
/// malformed markup).
fn parse_tag(html: &str) -> Option<Tag> {
    let t = html.trim();
    let inner = t.strip_prefix('<')?.strip_suffix('>')?;
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim().to_ascii_lowercase();
        return INLINE_ALLOWED
            .iter()
            .find(|n| **n == name)
            .map(|n| Tag::Close(n));
    }
    let (inner, self_closing) = match inner.strip_suffix('/') {
        Some(i) => (i, true),
        None => (inner, false),
    };
    let name_end = inner
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    let attrs = parse_attrs(&inner[name_end..])?;
    if let Some(v) = VOID_ALLOWED.iter().find(|n| **n == name) {
        return attrs.is_empty().then_some(Tag::Void(v));
    }
    if self_closing {
        return None;
    }
    let n = INLINE_ALLOWED.iter().find(|n| **n == name)?;
    Some(Tag::Open(n, attrs))
}

fn parse_attrs(mut s: &str) -> Option<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Some(out);
        }
        let eq = s.find('=')?;
        let key = s[..eq].trim().to_ascii_lowercase();
        let key = *SAFE_ATTRS.iter().find(|k| **k == key)?;
        let rest = s[eq + 1..].trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let end = rest[1..].find(quote)? + 1;
        let value = decode_entities(&rest[1..end])?;
        if key == "dir" && !matches!(value.as_str(), "ltr" | "rtl" | "auto") {
            return None;
        }
        if out.iter().any(|(k, _)| *k == key) {
            return None;
        }
        out.push((key, value));
        s = &rest[end + 1..];
    }
}

fn decode_entities(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let semi = rest[i..].find(';')? + i;
        let ent = &rest[i + 1..semi];
        let c = match ent {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let n = if let Some(h) = ent.strip_prefix("#x").or(ent.strip_prefix("#X")) {
                    u32::from_str_radix(h, 16).ok()?
                } else {
                    ent.strip_prefix('#')?.parse().ok()?
                };
                char::from_u32(n)?
            }
        };
        out.push(c);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// True for characters that XML 1.0 forbids (or HTML discourages) in text.
/// The `width` and `height` attributes (whole CSS pixels) for an author's size hint given in
/// pixels, the missing one from the image's aspect ratio (`pw` × `ph` pixels). A percentage
/// has no attribute form in HTML (and style attributes are never written): the image keeps
/// its natural size, within the text width.
fn hinted_px(hint: SizeHint, pw: u32, ph: u32) -> Option<(u32, u32)> {
    let px = |l: Option<Length>| match l {
        Some(Length::Px(n)) => Some(n),
        _ => None,
    };
    let (pw, ph) = (pw.max(1) as f32, ph.max(1) as f32);
    let (w, h) = match (px(hint.width), px(hint.height)) {
        (Some(w), Some(h)) => (w, h),
        (Some(w), None) => (w, w * ph / pw),
        (None, Some(h)) => (h * pw / ph, h),
        (None, None) => return None,
    };
    let round = |v: f32| (v.round() as u32).clamp(1, 100_000);
    Some((round(w), round(h)))
}

pub(crate) fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Removes forbidden characters (for strings handed to epub-builder or used in the OPF).
pub(crate) fn clean(s: &str) -> String {
    s.chars().filter(|c| !forbidden(*c)).collect()
}

/// Escapes `s` into `out`. Returns the byte index of the first dropped character, if any.
pub(crate) fn push_escaped(out: &mut String, s: &str, attr: bool) -> Option<usize> {
    let mut dropped = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' if attr => "&quot;",
            '\n' | '\t' | '\r' if attr => " ",
            c if forbidden(c) => {
                dropped.get_or_insert(i);
                ""
            }
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    dropped
}

/// Escapes a string for text content.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s, false);
    out
}

/// Escapes a string for an attribute value.
pub(crate) fn esc_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s, true);
    out
}

/// A heading id that is safe in XML, CSS and URL fragments: kept when it is plain ASCII
/// starting with a letter, otherwise derived from the block id.
pub(crate) fn safe_id(id: &str, block: u32) -> String {
    let ok = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !id.starts_with("cq-");
    if ok {
        id.to_string()
    } else {
        format!("cq-h{block}")
    }
}

/// The link target to keep, percent-encoded where a URL needs it, or `None` when its scheme is
/// not http, https, mailto or tel.
pub(crate) fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    let colon = u.find(':')?;
    let scheme = u[..colon].to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
        return None;
    }
    let rest = &u[colon + 1..];
    if (scheme == "http" || scheme == "https") && !rest.starts_with("//") {
        return None;
    }
    let mut out = String::with_capacity(u.len());
    out.push_str(&scheme);
    out.push(':');
    let b = rest.as_bytes();
    // Brackets belong only to an IPv6 host (`http://[::1]/`); in a path or query they make
    // the URL invalid (EPUBCheck RSC-020) and are encoded.
    let authority_end = match rest.strip_prefix("//") {
        Some(after) => after.find(['/', '?', '#']).map_or(rest.len(), |i| i + 2),
        None => 0,
    };
    for (i, &c) in b.iter().enumerate() {
        let keep = c.is_ascii_alphanumeric()
            || b"-._~:/?#@!$&'()*+,;=".contains(&c)
            || (b"[]".contains(&c) && i < authority_end)
            || (c == b'%'
                && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit));
        if keep {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    // A second '#' is not allowed in a URL.
    if let Some(h) = out.find('#') {
        let (a, frag) = out.split_at(h + 1);
        out = format!("{a}{}", frag.replace('#', "%23"));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_controls() {
        let mut s = String::new();
        assert_eq!(push_escaped(&mut s, "a<b>&\"c\u{c}d", false), Some(7));
        assert_eq!(s, "a&lt;b&gt;&amp;\"cd");
        assert_eq!(esc_attr("\"x\" & y"), "&quot;x&quot; &amp; y");
    }

    #[test]
    fn url_filter() {
        assert_eq!(
            safe_url("https://github.com/x/issues/new?title=Logo%3A+[insert+name]").as_deref(),
            Some("https://github.com/x/issues/new?title=Logo%3A+%5Binsert+name%5D")
        );
        assert_eq!(
            safe_url("http://[::1]:8080/a[b]").as_deref(),
            Some("http://[::1]:8080/a%5Bb%5D")
        );
        assert_eq!(
            safe_url("https://example.org/a b").as_deref(),
            Some("https://example.org/a%20b")
        );
        assert_eq!(
            safe_url("mailto:press@x.org").as_deref(),
            Some("mailto:press@x.org")
        );
        assert_eq!(
            safe_url("tel:+1 202 555").as_deref(),
            Some("tel:+1%20202%20555")
        );
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_url("file:///etc/passwd"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        assert_eq!(safe_url("relative/page.html"), None);
        assert_eq!(safe_url("https:evil"), None);
    }

    #[test]
    fn tags() {
        assert!(matches!(parse_tag("<sup>"), Some(Tag::Open("sup", _))));
        assert!(matches!(parse_tag("</SUP>"), Some(Tag::Close("sup"))));
        assert!(matches!(parse_tag("<br>"), Some(Tag::Void("br"))));
        assert!(matches!(parse_tag("<br />"), Some(Tag::Void("br"))));
        assert!(
            matches!(parse_tag("<abbr title=\"World Health Organization\">"), Some(Tag::Open("abbr", a)) if a[0].1 == "World Health Organization")
        );
        assert!(parse_tag("<abbr onclick=\"x()\">").is_none());
        assert!(parse_tag("<script>").is_none());
        assert!(parse_tag("<span style=\"color:red\">").is_none());
        assert!(parse_tag("<img src=x>").is_none());
    }

    #[test]
    fn ids() {
        assert_eq!(safe_id("background", 3), "background");
        assert_eq!(safe_id("2026-plan", 3), "cq-h3");
        assert_eq!(safe_id("café", 4), "cq-h4");
        assert_eq!(safe_id("", 5), "cq-h5");
    }
}
