//! Wire-ready plain text (`-f txt`): what a press office pastes into a wire service's form
//! (AP, Reuters, PR Newswire take plain text) and the text part of the e-mail draft.
//!
//! UTF-8, `\n` line ends, paragraphs on one line each (never hard-wrapped: the wire or the
//! mail client wraps) separated by blank lines. In order: the release line, the date, the
//! media contacts, the headline, the subhead, the body with the dateline opening its first
//! paragraph, the notes, "About …" and the end mark (`###`). Every character of the body is
//! kept as typed; right-to-left text is written in logical order, as it is stored.

use unicode_width::UnicodeWidthStr;

use crate::locale::{self, Labels};
use crate::model::{
    Align, Block, BlockKind, Document, HtmlElement, Inline, List, Release, SpanTag, Table,
};
use crate::{Diagnostic, Rendered};

/// Renders the statement as plain text.
pub fn txt(doc: &Document) -> Rendered {
    let mut w = Text {
        doc,
        images: 0,
        first_image: None,
        raw_html: None,
        diagnostics: Vec::new(),
    };
    let out = w.document();
    if let Some(at) = w.first_image {
        w.diagnostics.push(
            Diagnostic::warning(format!(
                "the plain text gives {} image{} as {} alt text in brackets; the pictures are in the other outputs",
                w.images,
                if w.images == 1 { "" } else { "s" },
                if w.images == 1 { "its" } else { "their" },
            ))
            .at(&doc.source, at)
            .help("plain text has no pictures: attach them, or send the e-mail draft (`-f eml`), which carries them"),
        );
    }
    if let Some(at) = w.raw_html {
        w.diagnostics.push(
            Diagnostic::warning("raw HTML is not in the plain text")
                .at(&doc.source, at)
                .help("write it in Markdown instead"),
        );
    }
    Rendered {
        bytes: out.into_bytes(),
        diagnostics: w.diagnostics,
        attachments: Vec::new(),
    }
}

struct Text<'a> {
    doc: &'a Document,
    images: usize,
    first_image: Option<u32>,
    raw_html: Option<u32>,
    diagnostics: Vec<Diagnostic>,
}

/// The press-release labels of a document, with the author's overrides.
pub(crate) fn labels(doc: &Document) -> Labels {
    Labels::new(&doc.meta.lang, &doc.meta.labels)
}

/// `FOR IMMEDIATE RELEASE` or `EMBARGOED UNTIL 00:01 EST, 28 NOVEMBER 2026`.
pub(crate) fn release_line(doc: &Document) -> String {
    let labels = labels(doc);
    match &doc.meta.release {
        Release::Immediate => labels.immediate.clone(),
        Release::Embargoed { until, zone } => {
            locale::embargo_line(&labels, until, zone.as_deref(), &doc.meta.lang)
        }
    }
}

/// Whether a paragraph is only an image (a figure).
fn lone_image(inl: &[Inline]) -> Option<&crate::model::Image> {
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

impl Text<'_> {
    fn document(&mut self) -> String {
        let doc = self.doc;
        let m = &doc.meta;
        let labels = labels(doc);
        let mut parts: Vec<Vec<String>> = Vec::new();

        let mut head = vec![release_line(doc)];
        if let Some(d) = m.date {
            head.push(locale::long_date(&d, &m.lang));
        }
        parts.push(head);
        if !m.contacts.is_empty() {
            let mut lines = vec![format!("{}:", labels.media_contact)];
            for (i, c) in m.contacts.iter().enumerate() {
                if i > 0 {
                    lines.push(String::new());
                }
                lines.extend(c.name.iter().map(|n| n.trim().to_string()));
                let role: Vec<&str> = [c.role.as_deref(), c.organization.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !role.is_empty() {
                    lines.push(role.join(", "));
                }
                lines.extend(c.phone.iter().map(|p| p.trim().to_string()));
                lines.extend(c.email.iter().map(|e| e.trim().to_string()));
            }
            parts.push(lines);
        }
        let mut title = vec![one_line(&self.inlines(&m.title_content()))];
        if let Some(s) = m.subtitle_content() {
            let s = one_line(&self.inlines(&s));
            if !s.trim().is_empty() {
                title.push(s);
            }
        }
        parts.push(title);

        // The dateline opens the first top-level paragraph of the body's own text.
        let city = m
            .dateline
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let mut lead = locale::dateline(city, m.date.as_ref(), &m.lang);
        let has_paragraph = doc
            .blocks
            .iter()
            .any(|b| matches!(&b.kind, BlockKind::Paragraph(inl) if lone_image(inl).is_none()));
        if !has_paragraph && let Some(l) = lead.take() {
            parts.push(vec![l.trim_end().to_string()]);
        }
        for b in &doc.blocks {
            let mut lines = self.block(b);
            if let (Some(l), BlockKind::Paragraph(inl)) = (&lead, &b.kind)
                && lone_image(inl).is_none()
                && let Some(first) = lines.first_mut()
            {
                first.insert_str(0, l);
                lead = None;
            }
            if !lines.is_empty() {
                parts.push(lines);
            }
        }
        for f in &doc.footnotes {
            let mut lines = self.blocks(&f.blocks, false);
            let mark = format!("[{}] ", f.number);
            indent(&mut lines, &mark);
            if lines.is_empty() {
                lines.push(mark.trim_end().to_string());
            }
            parts.push(lines);
        }
        if !m.about.is_empty() {
            let org = m.organization.as_deref().unwrap_or("").trim();
            parts.push(vec![labels.about_heading(org).trim().to_string()]);
            for b in &m.about {
                let lines = self.block(b);
                if !lines.is_empty() {
                    parts.push(lines);
                }
            }
        }
        parts.push(vec![labels.end.clone()]);

        let mut out = String::new();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            for l in p {
                out.push_str(l.trim_end());
                out.push('\n');
            }
        }
        out
    }

    /// Blocks, separated by blank lines unless `tight`.
    fn blocks(&mut self, blocks: &[Block], tight: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for b in blocks {
            let lines = self.block(b);
            if lines.is_empty() {
                continue;
            }
            if !out.is_empty() && !tight {
                out.push(String::new());
            }
            out.extend(lines);
        }
        out
    }

    fn block(&mut self, b: &Block) -> Vec<String> {
        match &b.kind {
            BlockKind::Heading { content, .. } => lines_of(&self.inlines(content)),
            BlockKind::Paragraph(inl) => {
                if let Some(img) = lone_image(inl) {
                    let mut s = self.image(img);
                    if !img.title.trim().is_empty() {
                        if !s.is_empty() {
                            s.push(' ');
                        }
                        s.push_str(img.title.trim());
                    }
                    if s.is_empty() { vec![] } else { vec![s] }
                } else {
                    lines_of(&self.inlines(inl))
                }
            }
            BlockKind::BlockQuote(inner) => {
                let mut lines = self.blocks(inner, false);
                indent(&mut lines, "    ");
                lines
            }
            BlockKind::Alert { kind, blocks } => {
                let mut lines = vec![format!(
                    "{}:",
                    locale::alert_label(*kind, &self.doc.meta.lang)
                )];
                lines.extend(self.blocks(blocks, false));
                indent(&mut lines, "    ");
                lines
            }
            BlockKind::List(l) => self.list(l),
            BlockKind::CodeBlock { text, .. } => {
                let mut lines: Vec<String> = text
                    .trim_end_matches('\n')
                    .split('\n')
                    .map(str::to_string)
                    .collect();
                indent(&mut lines, "    ");
                lines
            }
            BlockKind::Table(t) => self.table(t),
            BlockKind::Html(h) => self.html_block(h),
            BlockKind::ThematicBreak => vec!["* * *".to_string()],
            BlockKind::RawHtml(html) => {
                if !crate::model::is_html_comment(html) {
                    self.raw_html.get_or_insert(b.at);
                }
                vec![]
            }
        }
    }

    /// An element read from raw HTML: containers are transparent, a definition is indented
    /// under its term.
    fn html_block(&mut self, h: &crate::model::HtmlBlock) -> Vec<String> {
        let mut lines = self.blocks(&h.blocks, h.element == HtmlElement::DefinitionList);
        if h.element == HtmlElement::Definition {
            indent(&mut lines, "    ");
        }
        lines
    }

    fn list(&mut self, l: &List) -> Vec<String> {
        let mut out = Vec::new();
        for (i, item) in l.items.iter().enumerate() {
            let mut marker = match l.start {
                Some(n) => format!("{}. ", n.saturating_add(i as u64)),
                None => "- ".to_string(),
            };
            match item.task {
                Some(true) => marker.push_str("[x] "),
                Some(false) => marker.push_str("[ ] "),
                None => {}
            }
            let mut lines = self.blocks(&item.blocks, l.tight);
            if lines.is_empty() {
                lines.push(String::new());
            }
            indent(&mut lines, &marker);
            if !l.tight && !out.is_empty() {
                out.push(String::new());
            }
            out.extend(lines);
        }
        out
    }

    fn table(&mut self, t: &Table) -> Vec<String> {
        let cols = t
            .header
            .len()
            .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
        let cell = |s: &mut Self, c: &[Inline]| -> String {
            s.inlines(c).split('\n').collect::<Vec<_>>().join(" ")
        };
        let header: Vec<String> = t.header.iter().map(|c| cell(self, c)).collect();
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| cell(self, c)).collect())
            .collect();
        let mut widths = vec![0usize; cols];
        for r in std::iter::once(&header).chain(rows.iter()) {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(c.width());
            }
        }
        let line = |r: &[String]| -> String {
            let mut s = String::new();
            for (i, w) in widths.iter().enumerate() {
                let c = r.get(i).map(String::as_str).unwrap_or("");
                let pad = w.saturating_sub(c.width());
                let (before, after) = match t.aligns.get(i) {
                    Some(Align::Right) => (pad, 0),
                    Some(Align::Center) => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                if i > 0 {
                    s.push_str("  ");
                }
                s.push_str(&" ".repeat(before));
                s.push_str(c);
                s.push_str(&" ".repeat(after));
            }
            s.trim_end().to_string()
        };
        let mut out = Vec::new();
        if header.iter().any(|h| !h.is_empty()) {
            out.push(line(&header));
            out.push(
                widths
                    .iter()
                    .map(|w| "-".repeat((*w).max(1)))
                    .collect::<Vec<_>>()
                    .join("  "),
            );
        }
        for r in &rows {
            out.push(line(r));
        }
        out
    }

    fn image(&mut self, img: &crate::model::Image) -> String {
        let alt = img.alt.trim();
        if alt.is_empty() {
            // Decorative: nothing to say.
            return String::new();
        }
        self.images += 1;
        self.first_image.get_or_insert(img.at);
        format!("[{alt}]")
    }

    /// Inline text; hard breaks are `\n`.
    fn inlines(&mut self, inl: &[Inline]) -> String {
        let mut s = String::new();
        self.push_inlines(inl, &mut s);
        s
    }

    fn push_inlines(&mut self, inl: &[Inline], s: &mut String) {
        for i in inl {
            match i {
                Inline::Text { text, .. } => s.push_str(text),
                Inline::Code(t) => s.push_str(t),
                Inline::Emph(c)
                | Inline::Strong(c)
                | Inline::Strike(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c) => self.push_inlines(c, s),
                Inline::Link { url, content, .. } => {
                    let text = self.inlines(content);
                    s.push_str(&text);
                    let shown = url
                        .strip_prefix("mailto:")
                        .or_else(|| url.strip_prefix("tel:"))
                        .unwrap_or(url)
                        .trim();
                    let same = |a: &str, b: &str| {
                        a.trim().trim_end_matches('/') == b.trim().trim_end_matches('/')
                    };
                    // Only addresses a reader can follow: no `javascript:` or `data:`.
                    let lower = url.trim().to_ascii_lowercase();
                    let followable = ["http://", "https://", "mailto:", "tel:"]
                        .iter()
                        .any(|p| lower.starts_with(p));
                    if !shown.is_empty() && followable && !same(&text, shown) && !same(&text, url) {
                        s.push_str(" (");
                        s.push_str(shown);
                        s.push(')');
                    }
                }
                Inline::Image(img) => s.push_str(&self.image(img)),
                Inline::Span(h) => {
                    // A quotation in quotation marks, as a browser shows `<q>`; an
                    // abbreviation's expansion after it, as a link's address.
                    let q = h.tag == SpanTag::Q;
                    if q {
                        s.push('\u{201C}');
                    }
                    self.push_inlines(&h.content, s);
                    if q {
                        s.push('\u{201D}');
                    }
                    if h.tag == SpanTag::Abbr && !h.title.trim().is_empty() {
                        s.push_str(" (");
                        s.push_str(h.title.trim());
                        s.push(')');
                    }
                }
                Inline::SoftBreak => s.push(' '),
                Inline::HardBreak => s.push('\n'),
                Inline::FootnoteRef { number, .. } => s.push_str(&format!("[{number}]")),
                Inline::RawHtml(h) => {
                    let t = h.trim().to_ascii_lowercase();
                    if t.starts_with("<br") {
                        s.push('\n');
                    }
                }
            }
        }
    }
}

fn lines_of(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        return vec![];
    }
    s.split('\n').map(str::to_string).collect()
}

fn one_line(s: &str) -> String {
    s.split('\n').collect::<Vec<_>>().join(" ")
}

/// Prefixes the first line with `first` and the others with as many spaces (blank lines stay
/// blank).
fn indent(lines: &mut [String], first: &str) {
    let rest = " ".repeat(first.width());
    for (i, l) in lines.iter_mut().enumerate() {
        if i == 0 {
            l.insert_str(0, first);
        } else if !l.is_empty() {
            l.insert_str(0, &rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> Document {
        let (doc, diags) = crate::markdown::read(
            std::path::Path::new("t.md"),
            src,
            &crate::markdown::ReadOptions::default(),
        );
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        doc.unwrap()
    }

    #[test]
    fn shape_of_a_release() {
        let doc = read(
            "---\ntitle: Big *news*\nsubtitle: Sub\ndate: 2026-11-27\ndateline: WASHINGTON\norganization: Org\nabout: Org is.\ncontacts:\n  - name: Ann\n    email: ann@x.org\n---\n\n> A quote\n\nFirst [link](https://x.org/a) and [https://x.org](https://x.org).[^1]\n\n- one\n- two\n\n3. three\n\n| a | bbb |\n|--:|:--|\n| 中文 | x |\n\n[^1]: The note.\n",
        );
        let t = String::from_utf8(txt(&doc).bytes).unwrap();
        assert_eq!(
            t,
            "FOR IMMEDIATE RELEASE\nNovember 27, 2026\n\nMedia contact:\nAnn\nann@x.org\n\nBig news\nSub\n\n    A quote\n\nWASHINGTON (Nov. 27, 2026) — First link (https://x.org/a) and https://x.org.[1]\n\n- one\n- two\n\n3. three\n\n   a  bbb\n----  ---\n中文  x\n\n[1] The note.\n\nAbout Org\n\nOrg is.\n\n###\n"
        );
    }
}
