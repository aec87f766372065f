//! A stable, readable text dump of the model (like pandoc's `native`): one node a line,
//! children indented by two spaces, text in double quotes with only `\`, `"` and control
//! characters escaped — so curly quotes and dashes show as typed.
//!
//! Positions and block ids are left out: the dump is about meaning. The reader's tests compare
//! it with expected files.

use std::fmt::Write;

use crate::model::{
    Align, Block, BlockKind, Contact, Document, Inline, Length, Metadata, Release, Slot,
};

pub fn dump(doc: &Document) -> String {
    let mut out = String::new();
    let w = &mut out;
    line(w, 0, "Meta");
    meta(w, 1, &doc.meta);
    line(w, 0, "Body");
    blocks(w, 1, &doc.blocks);
    if !doc.footnotes.is_empty() {
        line(w, 0, "Footnotes");
        for n in &doc.footnotes {
            line(w, 1, &format!("Footnote {} [^{}]", n.number, n.label));
            blocks(w, 2, &n.blocks);
        }
    }
    out
}

fn line(w: &mut String, depth: usize, text: &str) {
    for _ in 0..depth {
        w.push_str("  ");
    }
    w.push_str(text);
    w.push('\n');
}

/// Double-quoted, with `\`, `"` and control characters escaped.
pub fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '\\' => q.push_str("\\\\"),
            '"' => q.push_str("\\\""),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(q, "\\u{{{:x}}}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn meta(w: &mut String, d: usize, m: &Metadata) {
    line(w, d, &format!("title: {}", quote(&m.title)));
    formatted(w, d + 1, &m.title_inlines, &m.title);
    let opt = |w: &mut String, key: &str, v: &Option<String>| {
        if let Some(v) = v {
            line(w, d, &format!("{key}: {}", quote(v)));
        }
    };
    opt(w, "subtitle", &m.subtitle);
    if let Some(sub) = &m.subtitle {
        formatted(w, d + 1, &m.subtitle_inlines, sub);
    }
    opt(w, "organization", &m.organization);
    for a in &m.authors {
        line(w, d, &format!("author: {}", quote(a)));
    }
    opt(w, "description", &m.description);
    opt(w, "url", &m.url);
    if let Some(date) = &m.date {
        line(w, d, &format!("date: {date}"));
    }
    opt(w, "dateline", &m.dateline);
    match &m.release {
        Release::Immediate => line(w, d, "release: immediate"),
        Release::Embargoed { until, zone } => line(
            w,
            d,
            &format!(
                "release: embargoed until {until}{}",
                zone.as_ref().map(|z| format!(" ({z})")).unwrap_or_default()
            ),
        ),
    }
    for c in &m.contacts {
        contact(w, d, c);
    }
    line(w, d, &format!("lang: {}", m.lang));
    if let Some(dir) = m.dir {
        line(
            w,
            d,
            &format!(
                "dir: {}",
                if dir == crate::model::Direction::Rtl {
                    "rtl"
                } else {
                    "ltr"
                }
            ),
        );
    }
    if !m.keywords.is_empty() {
        let k: Vec<String> = m.keywords.iter().map(|k| quote(k)).collect();
        line(w, d, &format!("keywords: [{}]", k.join(", ")));
    }
    opt(w, "logo", &m.logo);
    opt(w, "cover", &m.cover);
    let l = &m.labels;
    for (k, v) in [
        ("immediate", &l.immediate),
        ("embargoed", &l.embargoed),
        ("media_contact", &l.media_contact),
        ("about", &l.about),
        ("more", &l.more),
        ("end", &l.end),
        ("page", &l.page),
        ("contents", &l.contents),
    ] {
        opt(w, &format!("label {k}"), v);
    }
    if !m.about.is_empty() {
        line(w, d, "about");
        blocks(w, d + 1, &m.about);
    }
}

/// A front-matter string's formatted text, when it is more than its plain text.
fn formatted(w: &mut String, d: usize, is: &[Inline], plain: &str) {
    if !matches!(is, [] | [Inline::Text { .. }]) || crate::model::plain_text(is) != plain {
        inlines(w, d, is);
    }
}

fn contact(w: &mut String, d: usize, c: &Contact) {
    line(w, d, "contact");
    for (k, v) in [
        ("name", &c.name),
        ("role", &c.role),
        ("organization", &c.organization),
        ("email", &c.email),
        ("phone", &c.phone),
    ] {
        if let Some(v) = v {
            line(w, d + 1, &format!("{k}: {}", quote(v)));
        }
    }
}

fn blocks(w: &mut String, d: usize, bs: &[Block]) {
    for b in bs {
        block(w, d, b);
    }
}

fn block(w: &mut String, d: usize, b: &Block) {
    match &b.kind {
        BlockKind::Heading { level, id, content } => {
            line(w, d, &format!("Heading {level} #{id}"));
            inlines(w, d + 1, content);
        }
        BlockKind::Paragraph(c) => {
            line(w, d, "Para");
            inlines(w, d + 1, c);
        }
        BlockKind::BlockQuote(inner) => {
            line(w, d, "BlockQuote");
            blocks(w, d + 1, inner);
        }
        BlockKind::Alert {
            kind,
            blocks: inner,
        } => {
            line(w, d, &format!("Alert {}", kind.name()));
            blocks(w, d + 1, inner);
        }
        BlockKind::List(l) => {
            let spacing = if l.tight { "tight" } else { "loose" };
            match l.start {
                Some(s) => line(w, d, &format!("OrderedList start={s} {spacing}")),
                None => line(w, d, &format!("BulletList {spacing}")),
            }
            for item in &l.items {
                match item.task {
                    Some(true) => line(w, d + 1, "Item [x]"),
                    Some(false) => line(w, d + 1, "Item [ ]"),
                    None => line(w, d + 1, "Item"),
                }
                blocks(w, d + 2, &item.blocks);
            }
        }
        BlockKind::CodeBlock { lang, text } => {
            match lang {
                Some(l) => line(w, d, &format!("CodeBlock lang={l}")),
                None => line(w, d, "CodeBlock"),
            }
            line(w, d + 1, &quote(text));
        }
        BlockKind::Table(t) => {
            let aligns: Vec<&str> = t
                .aligns
                .iter()
                .map(|a| match a {
                    Align::None => "none",
                    Align::Left => "left",
                    Align::Center => "center",
                    Align::Right => "right",
                })
                .collect();
            line(w, d, &format!("Table [{}]", aligns.join(", ")));
            let slots = t.slots();
            for (r, row) in std::iter::once(&t.header).chain(&t.rows).enumerate() {
                line(w, d + 1, if r == 0 { "Header" } else { "Row" });
                for (cell, slot) in row.iter().zip(&slots[r]) {
                    // A spanning cell shows its span; a position it covers has no cell.
                    match *slot {
                        Slot::Covered => line(w, d + 2, "Covered"),
                        Slot::Cell { cols, rows } => {
                            let mut s = "Cell".to_string();
                            if cols > 1 {
                                let _ = write!(s, " colspan={cols}");
                            }
                            if rows > 1 {
                                let _ = write!(s, " rowspan={rows}");
                            }
                            line(w, d + 2, &s);
                            inlines(w, d + 3, cell);
                        }
                    }
                }
            }
        }
        BlockKind::ThematicBreak => line(w, d, "ThematicBreak"),
        BlockKind::Html(h) => {
            // `Html` marks what raw HTML made: its element, or `fragment` for a stretch of it.
            let mut s = match h.element {
                crate::model::HtmlElement::Fragment => "Html fragment".to_string(),
                crate::model::HtmlElement::Div { align } => format!(
                    "Html div{}",
                    match align {
                        Align::None => "",
                        Align::Left => " align=left",
                        Align::Center => " align=center",
                        Align::Right => " align=right",
                    }
                ),
                e => format!("Html {}", e.name()),
            };
            lang_dir(&mut s, h.lang.as_deref(), h.dir);
            line(w, d, &s);
            blocks(w, d + 1, &h.blocks);
        }
        BlockKind::RawHtml(h) => line(w, d, &format!("RawHtml {}", quote(h))),
    }
}

fn lang_dir(s: &mut String, lang: Option<&str>, dir: Option<crate::model::Direction>) {
    if let Some(l) = lang {
        let _ = write!(s, " lang={l}");
    }
    match dir {
        Some(crate::model::Direction::Rtl) => s.push_str(" dir=rtl"),
        Some(crate::model::Direction::Ltr) => s.push_str(" dir=ltr"),
        None => {}
    }
}

fn inlines(w: &mut String, d: usize, is: &[Inline]) {
    for i in is {
        inline(w, d, i);
    }
}

fn inline(w: &mut String, d: usize, i: &Inline) {
    let mut span = |name: &str, c: &[Inline]| {
        line(w, d, name);
        inlines(w, d + 1, c);
    };
    match i {
        Inline::Text { text, .. } => line(w, d, &format!("Str {}", quote(text))),
        Inline::Emph(c) => span("Emph", c),
        Inline::Strong(c) => span("Strong", c),
        Inline::Strike(c) => span("Strike", c),
        Inline::Superscript(c) => span("Superscript", c),
        Inline::Subscript(c) => span("Subscript", c),
        Inline::Code(t) => line(w, d, &format!("Code {}", quote(t))),
        Inline::Link {
            url,
            title,
            content,
        } => {
            if title.is_empty() {
                span(&format!("Link {}", quote(url)), content)
            } else {
                span(
                    &format!("Link {} title={}", quote(url), quote(title)),
                    content,
                )
            }
        }
        Inline::Image(img) => {
            let mut s = format!("Image {} alt={}", quote(&img.path), quote(&img.alt));
            if !img.title.is_empty() {
                let _ = write!(s, " title={}", quote(&img.title));
            }
            for (key, len) in [("width", img.size.width), ("height", img.size.height)] {
                match len {
                    Some(Length::Px(n)) => {
                        let _ = write!(s, " {key}={n}px");
                    }
                    Some(Length::Percent(n)) => {
                        let _ = write!(s, " {key}={n}%");
                    }
                    None => {}
                }
            }
            line(w, d, &s)
        }
        Inline::SoftBreak => line(w, d, "SoftBreak"),
        Inline::HardBreak => line(w, d, "HardBreak"),
        Inline::FootnoteRef { label, number } => {
            line(w, d, &format!("FootnoteRef {number} [^{label}]"))
        }
        Inline::Span(h) => {
            let mut s = format!("Html {}", h.tag.name());
            if !h.title.is_empty() {
                let _ = write!(s, " title={}", quote(&h.title));
            }
            lang_dir(&mut s, h.lang.as_deref(), h.dir);
            span(&s, &h.content)
        }
        Inline::RawHtml(h) => line(w, d, &format!("RawHtml {}", quote(h))),
    }
}
