//! Raw HTML in Markdown, read by a real HTML5 parser (html5ever) into the model.
//!
//! CommonMark hands raw HTML over in pieces: an HTML block ends at a blank line (the Markdown
//! after it is Markdown again), and inline HTML comes tag by tag between the Markdown inlines.
//! So the pieces are joined before parsing: a container's blocks (or a paragraph's inlines) are
//! written as one HTML fragment in which every Markdown block (inline) is an empty placeholder
//! element, html5ever builds the tree the way a browser would (unclosed and misnested tags
//! included), and the tree is mapped back to model blocks and inlines, each placeholder
//! replaced by the Markdown node it stands for. What the model cannot say keeps its text and
//! loses its tag, with one warning per kind of tag; scripts, styles, frames, objects and forms
//! lose their content too. No attribute is kept but the few the model has a field for
//! (`href`, `src`, `alt`, `title`, `lang`, `dir`, `align`, `start`, `colspan`, `rowspan`), and
//! links and images go through the same rules as Markdown's in every backend.

use std::collections::HashSet;

use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{ParseOpts, QualName, local_name, ns, parse_fragment};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

use super::IdAlloc;
use crate::Diagnostic;
use crate::model::{
    Align, Block, BlockKind, CellSpan, Direction, HtmlBlock, HtmlElement, HtmlSpan, Image, Inline,
    Length, List, ListItem, Offset, SizeHint, SourceMap, SpanTag, Table,
};

/// How deep the HTML tree is walked recursively; deeper elements keep their text, read
/// without recursion, as one paragraph (the reader's `max_depth` limits the model's nesting
/// well before this).
const MAX_WALK_DEPTH: usize = 200;

/// A table's `colspan` and `rowspan` are honoured up to this many cells.
const MAX_SPAN: usize = 64;

/// An `<img>`'s `width`/`height` in CSS pixels is kept up to this (the backends keep the image
/// within the page in any case).
const MAX_PX: f32 = 100_000.0;

/// What the reader lends the HTML mapping.
pub(super) struct Cx<'a> {
    pub source: &'a SourceMap,
    pub diags: &'a mut Vec<Diagnostic>,
    pub ids: &'a mut IdAlloc,
    pub max_depth: usize,
    /// How deep the Markdown lists and quotations around the HTML are nested.
    pub base_depth: usize,
    /// Every position is this one (text that came from front matter).
    pub fixed_offset: Option<Offset>,
}

/// The prefix of an inline raw-HTML piece's private encoding, `\0<offset>\0<html>`: the
/// reader keeps each piece's source position with it until the paragraph is resolved.
const AT_MARK: char = '\0';

/// Raw inline HTML with its source position, as the reader holds it until [`resolve_inlines`].
pub(super) fn inline_piece(html: &str, at: Offset) -> Inline {
    Inline::RawHtml(format!("{AT_MARK}{at}{AT_MARK}{html}"))
}

fn split_piece(s: &str) -> (Offset, &str) {
    if let Some(rest) = s.strip_prefix(AT_MARK)
        && let Some(end) = rest.find(AT_MARK)
    {
        return (rest[..end].parse().unwrap_or(0), &rest[end + 1..]);
    }
    (0, s)
}

fn has_raw(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| matches!(i, Inline::RawHtml(_)))
}

/// Whether any inline, at any depth, is raw HTML.
pub(super) fn any_raw(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::RawHtml(_) => true,
        Inline::Emph(c)
        | Inline::Strong(c)
        | Inline::Strike(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Link { content: c, .. }
        | Inline::Span(HtmlSpan { content: c, .. }) => any_raw(c),
        _ => false,
    })
}

/// A block's inlines with their raw HTML read (paragraphs, headings, table cells).
pub(super) fn resolve_block_inlines(cx: &mut Cx, block: &mut Block) {
    match &mut block.kind {
        BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } if any_raw(c) => {
            let v = std::mem::take(c);
            *c = resolve_inlines(cx, v, block.at);
        }
        BlockKind::Table(t) => {
            for cell in t.header.iter_mut().chain(t.rows.iter_mut().flatten()) {
                if any_raw(cell) {
                    let v = std::mem::take(cell);
                    *cell = resolve_inlines(cx, v, block.at);
                }
            }
        }
        _ => {}
    }
}

/// Inlines with every raw-HTML piece read, innermost spans first.
fn resolve_inlines(cx: &mut Cx, inlines: Vec<Inline>, at: Offset) -> Vec<Inline> {
    let inlines: Vec<Inline> = inlines
        .into_iter()
        .map(|i| match i {
            Inline::Emph(c) => Inline::Emph(resolve_inlines(cx, c, at)),
            Inline::Strong(c) => Inline::Strong(resolve_inlines(cx, c, at)),
            Inline::Strike(c) => Inline::Strike(resolve_inlines(cx, c, at)),
            Inline::Superscript(c) => Inline::Superscript(resolve_inlines(cx, c, at)),
            Inline::Subscript(c) => Inline::Subscript(resolve_inlines(cx, c, at)),
            Inline::Link {
                url,
                title,
                content,
            } => Inline::Link {
                url,
                title,
                content: resolve_inlines(cx, content, at),
            },
            other => other,
        })
        .collect();
    if !has_raw(&inlines) {
        return inlines;
    }
    // Only comments: they vanish without a word.
    if inlines.iter().all(|i| match i {
        Inline::RawHtml(h) => super::is_html_comment(split_piece(h).1),
        _ => true,
    }) {
        return inlines
            .into_iter()
            .filter(|i| !matches!(i, Inline::RawHtml(_)))
            .collect();
    }
    let raw_text: String = inlines
        .iter()
        .filter_map(|i| match i {
            Inline::RawHtml(h) => Some(split_piece(h).1),
            _ => None,
        })
        .collect();
    let tag = placeholder_tag(&raw_text);
    let mut html = String::new();
    let mut segments = Vec::new();
    let mut placeholders = Vec::new();
    for i in inlines {
        match i {
            Inline::RawHtml(h) => {
                let (pos, h) = split_piece(&h);
                segments.push((h.to_string(), cx.fixed_offset.unwrap_or(pos)));
                html.push_str(h);
            }
            other => {
                html.push_str(&format!("<{tag} n=\"{}\"></{tag}>", placeholders.len()));
                placeholders.push(Some(other));
            }
        }
    }
    let first_at = segments.first().map_or(at, |s| s.1);
    cx.ids.html_used = true;
    let dom = parse(&html);
    let mut m = Mapper::new(cx, tag, segments, first_at);
    m.inline_ph = placeholders;
    let root = fragment_root(&dom);
    let mut out = Vec::new();
    if let Some(root) = root {
        m.inlines(&root, &mut out, 0);
    }
    // Nothing is lost: a Markdown inline the tree did not place comes after.
    for p in m.inline_ph.iter_mut() {
        if let Some(i) = p.take() {
            out.push(i);
        }
    }
    if !m.deferred.is_empty() {
        // Block content inside a paragraph's inline HTML cannot happen (placeholders are
        // inlines); keep its text anyway.
        for b in std::mem::take(&mut m.deferred) {
            if let BlockKind::Paragraph(c) = b.kind {
                out.push(Inline::SoftBreak);
                out.extend(c);
            }
        }
    }
    m.finish();
    merge_text(out)
}

/// A container's blocks with their raw HTML blocks read, joined with the Markdown blocks
/// between them.
pub(super) fn resolve_blocks(cx: &mut Cx, blocks: Vec<Block>) -> Vec<Block> {
    if !blocks
        .iter()
        .any(|b| matches!(b.kind, BlockKind::RawHtml(_)))
    {
        return blocks;
    }
    // Comments vanish without a word.
    let blocks: Vec<Block> = blocks
        .into_iter()
        .filter(|b| !matches!(&b.kind, BlockKind::RawHtml(h) if super::is_html_comment(h)))
        .collect();
    if !blocks
        .iter()
        .any(|b| matches!(b.kind, BlockKind::RawHtml(_)))
    {
        return blocks;
    }
    let raw_text: String = blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::RawHtml(h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    let tag = placeholder_tag(&raw_text);
    let mut html = String::new();
    let mut segments = Vec::new();
    let mut placeholders = Vec::new();
    for b in blocks {
        match b.kind {
            BlockKind::RawHtml(h) => {
                html.push_str(&h);
                segments.push((h, cx.fixed_offset.unwrap_or(b.at)));
            }
            kind => {
                html.push_str(&format!("<{tag} n=\"{}\"></{tag}>", placeholders.len()));
                placeholders.push(Some(Block { kind, ..b }));
            }
        }
    }
    let first_at = segments.first().map_or(0, |s| s.1);
    cx.ids.html_used = true;
    let dom = parse(&html);
    let root = fragment_root(&dom);
    let mut m = Mapper::new(cx, tag, segments, first_at);
    m.block_ph = placeholders;
    m.mark_blockish(root.as_ref());
    // The root's children: Markdown blocks stay where they are; each run of blocks made by
    // HTML is one `Html` fragment.
    let mut out = Vec::new();
    let mut run: Vec<Block> = Vec::new();
    let mut pending = Vec::new();
    if let Some(root) = &root {
        let children: Vec<Handle> = root.children.borrow().clone();
        for child in &children {
            if let Some(n) = m.placeholder_index(child) {
                m.flush(&mut pending, &mut run);
                if let Some(b) = m.block_ph.get_mut(n).and_then(Option::take) {
                    close_fragment(m.cx, &mut run, &mut out);
                    out.push(b);
                }
                continue;
            }
            m.node_in_blocks(child, &mut run, &mut pending, 0);
            m.flush(&mut pending, &mut run);
            let deferred = std::mem::take(&mut m.deferred);
            if !deferred.is_empty() {
                close_fragment(m.cx, &mut run, &mut out);
                out.extend(deferred);
            }
        }
    }
    m.flush(&mut pending, &mut run);
    close_fragment(m.cx, &mut run, &mut out);
    for p in m.block_ph.iter_mut() {
        if let Some(b) = p.take() {
            out.push(b);
        }
    }
    m.finish();
    out
}

fn close_fragment(cx: &mut Cx, run: &mut Vec<Block>, out: &mut Vec<Block>) {
    if run.is_empty() {
        return;
    }
    let blocks = std::mem::take(run);
    let at = blocks[0].at;
    out.push(Block {
        id: cx.ids.block(),
        at,
        kind: BlockKind::Html(HtmlBlock {
            element: HtmlElement::Fragment,
            lang: None,
            dir: None,
            blocks,
        }),
    });
}

/// An element name for placeholders that the raw HTML does not use.
fn placeholder_tag(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    let mut n = 0u32;
    loop {
        let t = format!("x-cq{n}");
        if !lower.contains(&t) {
            return t;
        }
        n += 1;
    }
}

fn parse(html: &str) -> RcDom {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    parse_fragment(
        RcDom::default(),
        opts,
        QualName::new(None, ns!(html), local_name!("body")),
        Vec::new(),
        false,
    )
    .one(html)
}

/// The element holding a parsed fragment's nodes (html5ever puts them in an `<html>`).
fn fragment_root(dom: &RcDom) -> Option<Handle> {
    let doc = dom.document.children.borrow();
    doc.iter()
        .find(|n| matches!(n.data, NodeData::Element { .. }))
        .cloned()
}

fn name_of(node: &Handle) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

fn attr(node: &Handle, key: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == key && a.name.ns.is_empty())
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// What an element is to the mapping.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Dropped with its content (scripts, styles, frames, objects, forms …).
    Drop,
    /// Dropped silently with its content (`<head>` parts, which say nothing).
    Silent,
    /// A block element.
    Block,
    /// An inline element the model has a node for.
    Inline,
    /// Kept for its text, its tag dropped with a warning.
    Unknown,
    /// Kept for its text silently (`<span>`-like containers).
    Transparent,
}

fn kind_of(name: &str) -> Kind {
    match name {
        "script" | "style" | "iframe" | "object" | "embed" | "applet" | "form" | "template"
        | "select" | "input" | "button" | "frameset" | "frame" | "noembed" | "noframes" | "svg"
        | "canvas" | "audio" | "video" | "source" | "track" | "portal" | "dialog" | "slot" => {
            Kind::Drop
        }
        "head" | "title" | "meta" | "link" | "base" | "col" | "colgroup" | "param" => Kind::Silent,
        "p" | "div" | "center" | "section" | "article" | "aside" | "header" | "footer" | "main"
        | "nav" | "address" | "hgroup" | "search" | "body" | "html" | "blockquote" | "ul"
        | "ol" | "menu" | "dir" | "li" | "pre" | "listing" | "xmp" | "plaintext" | "textarea"
        | "hr" | "table" | "caption" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"
        | "figure" | "figcaption" | "details" | "summary" | "dl" | "dt" | "dd" | "h1" | "h2"
        | "h3" | "h4" | "h5" | "h6" | "fieldset" | "legend" | "noscript" | "picture" => Kind::Block,
        "b" | "strong" | "i" | "em" | "s" | "del" | "strike" | "sup" | "sub" | "code" | "tt"
        | "kbd" | "samp" | "var" | "small" | "mark" | "abbr" | "acronym" | "ins" | "u" | "q"
        | "cite" | "dfn" | "time" | "bdi" | "a" | "img" | "br" | "wbr" => Kind::Inline,
        "span" | "bdo" | "data" | "label" | "big" | "nobr" | "font" | "ruby" | "rb" | "rt"
        | "rp" | "rtc" | "output" | "meter" | "progress" | "area" | "map" => Kind::Transparent,
        _ => Kind::Unknown,
    }
}

fn is_block_name(name: &str) -> bool {
    kind_of(name) == Kind::Block
}

struct Mapper<'c, 'a> {
    cx: &'c mut Cx<'a>,
    tag: String,
    /// Each raw-HTML piece and its source position, in order.
    segments: Vec<(String, Offset)>,
    at: Offset,
    block_ph: Vec<Option<Block>>,
    inline_ph: Vec<Option<Inline>>,
    /// Markdown blocks met where only inlines can go: set after the block being made.
    deferred: Vec<Block>,
    /// Elements (by address) with a block element or block placeholder inside.
    blockish: HashSet<usize>,
    /// Model nesting: block containers and inline spans open around the node being read.
    block_depth: usize,
    span_depth: usize,
    /// Tags dropped (with or without content), for one warning each.
    dropped: Vec<(String, bool)>,
    deep_warned: bool,
}

impl<'c, 'a> Mapper<'c, 'a> {
    fn new(cx: &'c mut Cx<'a>, tag: String, segments: Vec<(String, Offset)>, at: Offset) -> Self {
        Mapper {
            cx,
            tag,
            segments,
            at,
            block_ph: Vec::new(),
            inline_ph: Vec::new(),
            deferred: Vec::new(),
            blockish: HashSet::new(),
            block_depth: 0,
            span_depth: 0,
            dropped: Vec::new(),
            deep_warned: false,
        }
    }

    /// Marks every element with a block element or a block placeholder below it (one pass,
    /// without recursion).
    fn mark_blockish(&mut self, root: Option<&Handle>) {
        let Some(root) = root else { return };
        // Post-order with an explicit stack: (node, children visited).
        let mut stack: Vec<(Handle, bool)> = vec![(root.clone(), false)];
        while let Some((node, done)) = stack.pop() {
            if !done {
                stack.push((node.clone(), true));
                for c in node.children.borrow().iter() {
                    if matches!(c.data, NodeData::Element { .. }) {
                        stack.push((c.clone(), false));
                    }
                }
                continue;
            }
            let own = self.placeholder_index(&node).is_some()
                || name_of(&node).is_some_and(is_block_name);
            let below = node
                .children
                .borrow()
                .iter()
                .any(|c| self.blockish.contains(&addr(c)));
            // An element is blockish when something below it is a block; a block element
            // itself counts for its parent.
            if below || own {
                self.blockish.insert(addr(&node));
            }
        }
    }

    /// Text with the placeholders in it (raw text: a `<textarea>`, `<xmp>`, `<plaintext>`
    /// takes markup as text) replaced by their inlines' text; their blocks are set after.
    fn unplaceholder(&mut self, t: &str) -> String {
        let open = format!("<{} n=\"", self.tag);
        if !t.contains(&open) {
            return t.to_string();
        }
        let close = format!("</{}>", self.tag);
        let mut out = String::new();
        let mut rest = t;
        while let Some(i) = rest.find(&open) {
            out.push_str(&rest[..i]);
            let after = &rest[i + open.len()..];
            let num: String = after.chars().take_while(char::is_ascii_digit).collect();
            rest = after.find(&close).map_or("", |j| &after[j + close.len()..]);
            if let Ok(k) = num.parse::<usize>() {
                if let Some(inl) = self.inline_ph.get_mut(k).and_then(Option::take) {
                    out.push_str(&crate::model::plain_text(&[inl]));
                }
                if let Some(b) = self.block_ph.get_mut(k).and_then(Option::take) {
                    self.deferred.push(b);
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn placeholder_index(&self, node: &Handle) -> Option<usize> {
        if name_of(node)? != self.tag {
            return None;
        }
        attr(node, "n")?.parse().ok()
    }

    /// The source position of the first `<name` in the raw HTML, else of the first piece.
    fn position_of(&self, name: &str) -> Offset {
        let needle = format!("<{name}");
        for (text, at) in &self.segments {
            if let Some(i) = text.to_ascii_lowercase().find(&needle) {
                // The piece's text is the source from `at` on, but for block quote and list
                // markers stripped from its lines: look for the tag in the source itself.
                let src = self.cx.source.text();
                let start = (*at as usize).min(src.len());
                let window_end = (start + i + needle.len() + 4096).min(src.len());
                let window_end = (window_end..=src.len())
                    .find(|e| src.is_char_boundary(*e))
                    .unwrap_or(src.len());
                if let Some(j) = src[start..window_end].to_ascii_lowercase().find(&needle) {
                    return (start + j) as Offset;
                }
                return *at;
            }
        }
        self.at
    }

    fn drop_tag(&mut self, name: &str, content: bool) {
        if !self.dropped.iter().any(|(n, _)| n == name) {
            self.dropped.push((name.to_string(), content));
        }
    }

    /// Warns once per statement for each kind of tag left out.
    fn finish(&mut self) {
        for (name, content) in std::mem::take(&mut self.dropped) {
            if !self.cx.ids.html_warned.insert(name.clone()) {
                continue;
            }
            let at = self.position_of(&name);
            let d = if content {
                Diagnostic::warning(format!(
                    "left out `<{name}>` and its content: raw HTML of this kind never reaches an output"
                ))
                .help("write what it shows in Markdown, or delete it")
            } else {
                Diagnostic::warning(format!(
                    "kept the text of `<{name}>` but not the element, which no output has"
                ))
                .help("write it in Markdown, or use an element such as <span>, <div> or <table>")
            };
            self.cx.diags.push(d.at(self.cx.source, at));
        }
    }

    fn warn_deep(&mut self) {
        if !self.deep_warned {
            self.deep_warned = true;
            let at = self.at;
            self.cx.diags.push(
                Diagnostic::warning(format!(
                    "raw HTML is nested more than {MAX_WALK_DEPTH} elements deep; its deeper text is kept as one paragraph"
                ))
                .at(self.cx.source, at),
            );
        }
    }

    fn new_block(&mut self, kind: BlockKind) -> Block {
        Block {
            id: self.cx.ids.block(),
            at: self.at,
            kind,
        }
    }

    /// Closes the pending inlines into a paragraph.
    fn flush(&mut self, pending: &mut Vec<Inline>, out: &mut Vec<Block>) {
        let inl = merge_text(trim_inlines(std::mem::take(pending)));
        if inl.is_empty() {
            return;
        }
        let b = self.new_block(BlockKind::Paragraph(inl));
        out.push(b);
    }

    /// The text of a node and everything below it, without recursion (for the too deep).
    fn deep_text(&mut self, node: &Handle) -> String {
        let mut s = String::new();
        let mut stack = vec![node.clone()];
        while let Some(n) = stack.pop() {
            match &n.data {
                NodeData::Text { contents } => {
                    let t = self.unplaceholder(&contents.borrow());
                    s.push_str(&t)
                }
                NodeData::Element { .. } => {
                    let name = name_of(&n).unwrap_or("");
                    if matches!(kind_of(name), Kind::Drop | Kind::Silent) {
                        continue;
                    }
                    if let Some(i) = self.placeholder_index(&n) {
                        if let Some(b) = self.block_ph.get_mut(i).and_then(Option::take) {
                            self.deferred.push(b);
                        }
                        if let Some(inl) = self.inline_ph.get_mut(i).and_then(Option::take) {
                            s.push_str(&crate::model::plain_text(&[inl]));
                        }
                        continue;
                    }
                    if is_block_name(name) || name == "br" {
                        s.push(' ');
                    }
                    for c in n.children.borrow().iter().rev() {
                        stack.push(c.clone());
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// The child nodes of `node` as blocks.
    fn child_blocks(&mut self, node: &Handle, depth: usize) -> Vec<Block> {
        let mut out = Vec::new();
        let mut pending = Vec::new();
        let children: Vec<Handle> = node.children.borrow().clone();
        for c in &children {
            self.node_in_blocks(c, &mut out, &mut pending, depth + 1);
        }
        self.flush(&mut pending, &mut out);
        out
    }

    /// One node where blocks can go: inline content gathers in `pending` (a paragraph).
    fn node_in_blocks(
        &mut self,
        node: &Handle,
        out: &mut Vec<Block>,
        pending: &mut Vec<Inline>,
        depth: usize,
    ) {
        match &node.data {
            NodeData::Text { contents } => {
                let t = contents.borrow();
                if pending.is_empty() && t.trim().is_empty() {
                    return;
                }
                let at = self.at;
                pending.push(Inline::Text {
                    text: collapse(&self.unplaceholder(&t)),
                    at,
                });
                return;
            }
            NodeData::Element { .. } => {}
            _ => return,
        }
        if let Some(n) = self.placeholder_index(node) {
            if let Some(b) = self.block_ph.get_mut(n).and_then(Option::take) {
                self.flush(pending, out);
                out.push(b);
            }
            return;
        }
        if depth > MAX_WALK_DEPTH {
            self.warn_deep();
            let t = self.deep_text(node);
            let at = self.at;
            pending.push(Inline::Text { text: t, at });
            return;
        }
        let name = name_of(node).unwrap_or("").to_string();
        let kind = kind_of(&name);
        match kind {
            Kind::Drop => {
                self.drop_content(node, &name);
                return;
            }
            Kind::Silent => return,
            Kind::Block => {}
            Kind::Inline | Kind::Unknown | Kind::Transparent => {
                if self.blockish.contains(&addr(node)) {
                    // An inline element around blocks: its blocks, in place.
                    if kind == Kind::Unknown {
                        self.drop_tag(&name, false);
                    }
                    let children: Vec<Handle> = node.children.borrow().clone();
                    for c in &children {
                        self.node_in_blocks(c, out, pending, depth + 1);
                    }
                } else {
                    self.inline_node(node, pending, depth);
                }
                return;
            }
        }
        // A block element.
        self.flush(pending, out);
        let blocks = self.block_element(node, &name, depth);
        let blocks = self.with_lang(node, blocks);
        out.extend(blocks);
        let deferred = std::mem::take(&mut self.deferred);
        out.extend(deferred);
    }

    /// Wraps blocks in a container carrying the element's `lang`/`dir`, when it has them.
    fn with_lang(&mut self, node: &Handle, blocks: Vec<Block>) -> Vec<Block> {
        let (lang, dir) = lang_dir(node);
        if (lang.is_none() && dir.is_none()) || blocks.is_empty() {
            return blocks;
        }
        // A container made for this element takes them itself.
        if blocks.len() == 1
            && let BlockKind::Html(h) = &blocks[0].kind
            && h.lang == lang
            && h.dir == dir
        {
            return blocks;
        }
        let b = self.new_block(BlockKind::Html(HtmlBlock {
            element: HtmlElement::Div { align: Align::None },
            lang,
            dir,
            blocks,
        }));
        vec![b]
    }

    /// Whether a model container may open here (the reader's nesting limit).
    fn container_ok(&mut self) -> bool {
        if self.cx.base_depth + self.block_depth < self.cx.max_depth {
            return true;
        }
        if !self.deep_warned {
            self.deep_warned = true;
            let at = self.at;
            self.cx.diags.push(
                Diagnostic::warning(format!(
                    "raw HTML lists, quotations and containers are nested more than {} levels deep; deeper levels are flattened",
                    self.cx.max_depth
                ))
                .at(self.cx.source, at),
            );
        }
        false
    }

    fn container(
        &mut self,
        node: &Handle,
        depth: usize,
        f: impl FnOnce(Vec<Block>) -> BlockKind,
    ) -> Vec<Block> {
        if !self.container_ok() {
            return self.child_blocks(node, depth);
        }
        self.block_depth += 1;
        let inner = self.child_blocks(node, depth);
        self.block_depth -= 1;
        vec![self.new_block(f(inner))]
    }

    fn html_container(&mut self, node: &Handle, element: HtmlElement, depth: usize) -> Vec<Block> {
        let (lang, dir) = lang_dir(node);
        self.container(node, depth, |blocks| {
            BlockKind::Html(HtmlBlock {
                element,
                lang,
                dir,
                blocks,
            })
        })
    }

    fn block_element(&mut self, node: &Handle, name: &str, depth: usize) -> Vec<Block> {
        match name {
            "p" | "body" | "html" | "noscript" | "picture" | "fieldset" | "legend" | "hgroup" => {
                self.child_blocks(node, depth)
            }
            "div" | "center" | "section" | "article" | "aside" | "header" | "footer" | "main"
            | "nav" | "address" | "search" => {
                let align = if name == "center" {
                    Align::Center
                } else {
                    align_of(node)
                };
                if align == Align::None {
                    // A plain container: its blocks, in place.
                    self.child_blocks(node, depth)
                } else {
                    self.html_container(node, HtmlElement::Div { align }, depth)
                }
            }
            "blockquote" => self.container(node, depth, BlockKind::BlockQuote),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                let content = self.inline_children(node, depth);
                let hid = self
                    .cx
                    .ids
                    .heading(None, &crate::model::plain_text(&content));
                vec![self.new_block(BlockKind::Heading {
                    level,
                    id: hid,
                    content,
                })]
            }
            "ul" | "ol" | "menu" | "dir" => self.list(node, name == "ol", depth),
            "li" => self.child_blocks(node, depth),
            "pre" | "listing" | "xmp" | "plaintext" | "textarea" => {
                if name != "pre" {
                    // Shown as written by a browser, but no output has the element.
                    self.drop_tag(name, false);
                }
                let text = self.deep_text_pre(node);
                let lang = node
                    .children
                    .borrow()
                    .iter()
                    .find(|c| name_of(c) == Some("code"))
                    .and_then(|c| attr(c, "class"))
                    .and_then(|cl| {
                        cl.split_whitespace()
                            .find_map(|w| w.strip_prefix("language-").map(str::to_string))
                    })
                    .filter(|l| {
                        l.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-_#.".contains(c))
                    });
                vec![self.new_block(BlockKind::CodeBlock { lang, text })]
            }
            "hr" => vec![self.new_block(BlockKind::ThematicBreak)],
            "table" => self.table(node, depth),
            "caption" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th" => {
                self.child_blocks(node, depth)
            }
            "figure" => self.html_container(node, HtmlElement::Figure, depth),
            "figcaption" => self.html_container(node, HtmlElement::Figcaption, depth),
            "details" => self.html_container(node, HtmlElement::Details, depth),
            "summary" => {
                let content = self.inline_children(node, depth);
                let para = self.new_block(BlockKind::Paragraph(content));
                let (lang, dir) = lang_dir(node);
                vec![self.new_block(BlockKind::Html(HtmlBlock {
                    element: HtmlElement::Summary,
                    lang,
                    dir,
                    blocks: vec![para],
                }))]
            }
            "dl" => self.html_container(node, HtmlElement::DefinitionList, depth),
            "dt" => self.html_container(node, HtmlElement::Term, depth),
            "dd" => self.html_container(node, HtmlElement::Definition, depth),
            _ => self.child_blocks(node, depth),
        }
    }

    /// A `<pre>`'s text as written (its inline elements' text, line breaks for `<br>`).
    fn deep_text_pre(&mut self, node: &Handle) -> String {
        let mut s = String::new();
        let mut stack = vec![node.clone()];
        let mut first = true;
        while let Some(n) = stack.pop() {
            match &n.data {
                NodeData::Text { contents } => {
                    let t = self.unplaceholder(&contents.borrow());
                    s.push_str(&t)
                }
                NodeData::Element { .. } if first || !is_drop(&n) => {
                    if !first && name_of(&n) == Some("br") {
                        s.push('\n');
                    }
                    if let Some(i) = self.placeholder_index(&n) {
                        if let Some(b) = self.block_ph.get_mut(i).and_then(Option::take) {
                            self.deferred.push(b);
                        }
                        if let Some(inl) = self.inline_ph.get_mut(i).and_then(Option::take) {
                            s.push_str(&crate::model::plain_text(&[inl]));
                        }
                    }
                    for c in n.children.borrow().iter().rev() {
                        stack.push(c.clone());
                    }
                }
                NodeData::Element { .. } => {
                    let name = name_of(&n).unwrap_or("").to_string();
                    self.drop_content(&n, &name);
                }
                _ => {}
            }
            first = false;
        }
        s.strip_suffix('\n').map(str::to_string).unwrap_or(s)
    }

    fn list(&mut self, node: &Handle, ordered: bool, depth: usize) -> Vec<Block> {
        if !self.container_ok() {
            return self.child_blocks(node, depth);
        }
        self.block_depth += 1;
        let start = ordered.then(|| {
            attr(node, "start")
                .and_then(|s| s.trim().parse::<u64>().ok())
                .unwrap_or(1)
        });
        let mut items: Vec<ListItem> = Vec::new();
        let mut loose: Vec<Block> = Vec::new();
        let mut pending = Vec::new();
        let children: Vec<Handle> = node.children.borrow().clone();
        for c in &children {
            if name_of(c) == Some("li") {
                self.flush(&mut pending, &mut loose);
                if !loose.is_empty() {
                    items.push(ListItem {
                        task: None,
                        blocks: std::mem::take(&mut loose),
                    });
                }
                let blocks = self.child_blocks(c, depth + 1);
                let blocks = self.with_lang(c, blocks);
                let deferred = std::mem::take(&mut self.deferred);
                let mut blocks = blocks;
                blocks.extend(deferred);
                items.push(ListItem { task: None, blocks });
            } else {
                // Text or elements between items (not valid HTML, but kept): their own item
                // unless it is only white space.
                self.node_in_blocks(c, &mut loose, &mut pending, depth + 1);
            }
        }
        self.flush(&mut pending, &mut loose);
        if !loose.is_empty() {
            items.push(ListItem {
                task: None,
                blocks: loose,
            });
        }
        self.block_depth -= 1;
        if items.is_empty() {
            return Vec::new();
        }
        // Tight when no item has more than one paragraph.
        let tight = items.iter().all(|i| {
            i.blocks
                .iter()
                .filter(|b| matches!(b.kind, BlockKind::Paragraph(_)))
                .count()
                <= 1
        });
        vec![self.new_block(BlockKind::List(List {
            start,
            tight,
            items,
        }))]
    }

    fn table(&mut self, node: &Handle, depth: usize) -> Vec<Block> {
        let (rows, mut out) = self.table_rows(node, depth);
        let Some(table) = self.table_grid(&rows, depth) else {
            return out;
        };
        let t = self.new_block(BlockKind::Table(table));
        out.push(t);
        let deferred = std::mem::take(&mut self.deferred);
        out.extend(deferred);
        out
    }

    /// A table's rows in document order (html5ever has put each in a section), and the blocks
    /// set before it (its caption, and what html5ever moved out of it).
    fn table_rows(&mut self, node: &Handle, depth: usize) -> (Vec<Handle>, Vec<Block>) {
        let mut rows: Vec<Handle> = Vec::new();
        let mut before = Vec::new();
        let mut pending = Vec::new();
        let children: Vec<Handle> = node.children.borrow().clone();
        for c in &children {
            match name_of(c) {
                Some("thead") | Some("tbody") | Some("tfoot") => {
                    for r in c.children.borrow().iter() {
                        if name_of(r) == Some("tr") {
                            rows.push(r.clone());
                        }
                    }
                }
                Some("tr") => rows.push(c.clone()),
                Some("caption") => {
                    let inl = self.inline_children(c, depth + 1);
                    let b = self.new_block(BlockKind::Paragraph(inl));
                    before.push(b);
                }
                _ => self.node_in_blocks(c, &mut before, &mut pending, depth + 1),
            }
        }
        self.flush(&mut pending, &mut before);
        (rows, before)
    }

    /// The cells of `rows` on a grid, placed as HTML's table model places them: each at the
    /// first position of its row that no cell above spans, its `colspan` and `rowspan` shrunk
    /// so that no two cells overlap and none leaves the table. The header is the first row (a
    /// `<thead>` row or `<th>` cells, as a table copied from a spreadsheet has; a model table
    /// always has one), and a header cell spans one row: the positions it would cover below
    /// are empty cells.
    fn table_grid(&mut self, rows: &[Handle], depth: usize) -> Option<Table> {
        let taken = |occ: &Vec<Vec<bool>>, r: usize, c: usize| {
            occ.get(r)
                .and_then(|row| row.get(c))
                .copied()
                .unwrap_or(false)
        };
        let mut occ: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
        let mut placed: Vec<(CellSpan, Vec<Inline>)> = Vec::new();
        let mut aligns: Vec<Align> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let mut col = 0usize;
            for cell in row.children.borrow().iter() {
                if !matches!(name_of(cell), Some("td") | Some("th")) {
                    continue;
                }
                while taken(&occ, r, col) {
                    col += 1;
                }
                let content = self.inline_children(cell, depth + 2);
                let want = span_attr(cell, "colspan");
                let cols = (1..want).find(|k| taken(&occ, r, col + k)).unwrap_or(want);
                let want = if r == 0 {
                    1
                } else {
                    span_attr(cell, "rowspan").min(rows.len() - r)
                };
                let nrows = (1..want)
                    .find(|k| (col..col + cols).any(|c| taken(&occ, r + k, c)))
                    .unwrap_or(want);
                for o in &mut occ[r..r + nrows] {
                    if o.len() < col + cols {
                        o.resize(col + cols, false);
                    }
                    o[col..col + cols].fill(true);
                }
                if aligns.len() <= col {
                    aligns.resize(col + 1, Align::None);
                }
                if aligns[col] == Align::None {
                    aligns[col] = align_of(cell);
                }
                let span = CellSpan {
                    row: r,
                    col,
                    cols,
                    rows: nrows,
                };
                placed.push((span, content));
                col += cols;
            }
        }
        if rows.is_empty() {
            return None;
        }
        let width = occ.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut grid: Vec<Vec<Vec<Inline>>> = vec![vec![Vec::new(); width]; rows.len()];
        let mut spans = Vec::new();
        for (span, content) in placed {
            grid[span.row][span.col] = content;
            if span.cols > 1 || span.rows > 1 {
                spans.push(span);
            }
        }
        aligns.resize(width, Align::None);
        let header = grid.remove(0);
        Some(Table {
            aligns,
            header,
            rows: grid,
            spans,
        })
    }

    fn drop_content(&mut self, node: &Handle, name: &str) {
        // A Markdown block caught in an unclosed frame or text area is the author's: kept.
        let mut stack = vec![node.clone()];
        while let Some(n) = stack.pop() {
            match &n.data {
                NodeData::Text { contents } => {
                    let t = contents.borrow();
                    let open = format!("<{} n=\"", self.tag);
                    let mut rest: &str = &t;
                    while let Some(i) = rest.find(&open) {
                        rest = &rest[i + open.len()..];
                        let num: String = rest.chars().take_while(char::is_ascii_digit).collect();
                        if let Ok(k) = num.parse::<usize>()
                            && let Some(b) = self.block_ph.get_mut(k).and_then(Option::take)
                        {
                            self.deferred.push(b);
                        }
                    }
                }
                NodeData::Element { .. } => {
                    if let Some(k) = self.placeholder_index(&n)
                        && let Some(b) = self.block_ph.get_mut(k).and_then(Option::take)
                    {
                        self.deferred.push(b);
                    }
                    for c in n.children.borrow().iter() {
                        stack.push(c.clone());
                    }
                    if let NodeData::Element {
                        template_contents, ..
                    } = &n.data
                        && let Some(t) = template_contents.borrow().as_ref()
                    {
                        stack.push(t.clone());
                    }
                }
                NodeData::Document => {
                    for c in n.children.borrow().iter() {
                        stack.push(c.clone());
                    }
                }
                _ => {}
            }
        }
        // Markdown inlines inside a dropped element are dropped with it (a script's text);
        // void elements have no content to speak of.
        self.drop_tag(name, !matches!(name, "input" | "source" | "track"));
        mark_inline_dropped(self, node);
    }

    /// The children of `node` as inlines (block elements inside are set off by line ends).
    fn inline_children(&mut self, node: &Handle, depth: usize) -> Vec<Inline> {
        let mut out = Vec::new();
        self.inlines(node, &mut out, depth);
        merge_text(trim_inlines(out))
    }

    fn inlines(&mut self, node: &Handle, out: &mut Vec<Inline>, depth: usize) {
        let children: Vec<Handle> = node.children.borrow().clone();
        for c in &children {
            self.inline_node(c, out, depth + 1);
        }
    }

    fn inline_node(&mut self, node: &Handle, out: &mut Vec<Inline>, depth: usize) {
        let name = match &node.data {
            NodeData::Text { contents } => {
                let at = self.at;
                out.push(Inline::Text {
                    text: collapse(&self.unplaceholder(&contents.borrow())),
                    at,
                });
                return;
            }
            NodeData::Element { name, .. } => name.local.to_string(),
            _ => return,
        };
        if self.inline_placeholder(node, out) {
            return;
        }
        if depth > MAX_WALK_DEPTH {
            self.warn_deep();
            let t = self.deep_text(node);
            let at = self.at;
            out.push(Inline::Text { text: t, at });
            return;
        }
        match kind_of(&name) {
            Kind::Drop => self.drop_content(node, &name),
            Kind::Silent => {}
            Kind::Block => self.inline_block(node, &name, out, depth),
            Kind::Unknown => {
                self.drop_tag(&name, false);
                self.inlines(node, out, depth)
            }
            Kind::Transparent | Kind::Inline => self.inline_element(node, &name, out, depth),
        }
    }

    /// A placeholder for a Markdown node: the node, in place (a block's paragraph as its
    /// inlines; other blocks after the element). False when `node` is not one.
    fn inline_placeholder(&mut self, node: &Handle, out: &mut Vec<Inline>) -> bool {
        let Some(n) = self.placeholder_index(node) else {
            return false;
        };
        if let Some(i) = self.inline_ph.get_mut(n).and_then(Option::take) {
            out.push(i);
        }
        if let Some(b) = self.block_ph.get_mut(n).and_then(Option::take) {
            match b.kind {
                BlockKind::Paragraph(c) => {
                    if !out.is_empty() {
                        out.push(Inline::SoftBreak);
                    }
                    out.extend(c);
                }
                kind => self.deferred.push(Block { kind, ..b }),
            }
        }
        true
    }

    /// A block element inside inline content (a table cell, a heading): its inlines, set off.
    fn inline_block(&mut self, node: &Handle, name: &str, out: &mut Vec<Inline>, depth: usize) {
        if !out.is_empty() && !matches!(out.last(), Some(Inline::HardBreak)) {
            out.push(Inline::SoftBreak);
        }
        match name {
            "hr" => {}
            "pre" | "listing" | "xmp" | "plaintext" | "textarea" => {
                if name != "pre" {
                    self.drop_tag(name, false);
                }
                let t = self.deep_text_pre(node);
                out.push(Inline::Code(t));
            }
            _ => self.inlines(node, out, depth),
        }
        if matches!(
            name,
            "p" | "div"
                | "li"
                | "tr"
                | "dt"
                | "dd"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "pre"
                | "blockquote"
                | "table"
                | "ul"
                | "ol"
                | "td"
                | "th"
        ) {
            out.push(Inline::SoftBreak);
        }
    }

    /// The children of an inline element, one level deeper in the model's nesting.
    fn span_children(&mut self, node: &Handle, depth: usize) -> Vec<Inline> {
        let mut content = Vec::new();
        self.span_depth += 1;
        self.inlines(node, &mut content, depth);
        self.span_depth -= 1;
        content
    }

    /// An inline element (or a transparent one): its model node, or its content in place
    /// where the model's nesting is at its limit or the element says nothing.
    fn inline_element(&mut self, node: &Handle, name: &str, out: &mut Vec<Inline>, depth: usize) {
        let deep = self.span_depth >= self.cx.max_depth;
        let mut content = Vec::new();
        let made = match name {
            "br" => Some(Inline::HardBreak),
            "wbr" => None,
            "img" => self.image(node),
            "a" => {
                content = self.span_children(node, depth);
                match attr(node, "href") {
                    Some(href) if !deep => Some(Inline::Link {
                        url: href.trim().to_string(),
                        title: attr(node, "title").unwrap_or_default(),
                        content: std::mem::take(&mut content),
                    }),
                    _ => None,
                }
            }
            "code" | "tt" => {
                let t = self.span_children(node, depth);
                if t.iter()
                    .all(|i| matches!(i, Inline::Text { .. } | Inline::SoftBreak))
                {
                    Some(Inline::Code(
                        crate::model::plain_text(&t).replace('\n', " "),
                    ))
                } else if deep {
                    content = t;
                    None
                } else {
                    Some(Inline::Span(HtmlSpan {
                        tag: SpanTag::Samp,
                        title: String::new(),
                        lang: None,
                        dir: None,
                        content: t,
                    }))
                }
            }
            _ => {
                let c = self.span_children(node, depth);
                if deep {
                    content = c;
                    None
                } else {
                    let (made, rest) = formatted(node, name, c);
                    content = rest;
                    made
                }
            }
        };
        if let Some(i) = made {
            out.push(i);
        }
        out.append(&mut content);
    }

    /// `<img src alt title>`: an image like Markdown's, checked and loaded by the same code.
    fn image(&mut self, node: &Handle) -> Option<Inline> {
        let src = attr(node, "src")
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        // `alt=""` is HTML's decorative image: Markdown's `![""](…)`. No `alt` at all is an
        // image without a description, refused by the PDF as a Markdown one is.
        let alt = match attr(node, "alt") {
            Some(a) if a.trim().is_empty() => "\"\"".to_string(),
            Some(a) => a,
            None => String::new(),
        };
        if src.is_empty() {
            // Nothing to show: its alt text stands for it.
            let at = self.at;
            let decorative = alt.trim_matches('"').is_empty();
            return (!decorative).then_some(Inline::Text { text: alt, at });
        }
        let at = self.position_of("img");
        let size = SizeHint {
            width: self.length_attr(node, "width", at),
            height: self.length_attr(node, "height", at),
        };
        Some(Inline::Image(Image {
            path: src,
            alt,
            title: attr(node, "title").unwrap_or_default(),
            at,
            size,
        }))
    }

    /// `width`/`height` as a size hint; a value that is not one is left out with a warning.
    fn length_attr(&mut self, node: &Handle, key: &str, at: Offset) -> Option<Length> {
        let value = attr(node, key)?;
        let parsed = parse_length(&value);
        let why = match parsed {
            Some(Length::Percent(_)) if key == "height" => {
                "a percentage height has nothing to be a percentage of"
            }
            Some(l) => return Some(l),
            None => "not a number of pixels or a percentage greater than 0",
        };
        let d = Diagnostic::warning(format!(
            "ignored `{key}=\"{}\"` on `<img>`: {why}",
            value.chars().take(40).collect::<String>()
        ))
        .help("write a number of CSS pixels (`width=\"300\"`) or a percentage of the text width (`width=\"50%\"`)");
        self.cx.diags.push(d.at(self.cx.source, at));
        None
    }
}

/// The model node of a formatting element (`<b>`, `<sup>`, `<abbr>`, a `<span lang>` …) holding
/// `c`, with its `lang` and `dir`; a plain container has none and gives `c` back to be set in
/// place.
fn formatted(node: &Handle, name: &str, c: Vec<Inline>) -> (Option<Inline>, Vec<Inline>) {
    let (lang, dir) = lang_dir(node);
    let simple = match name {
        "b" | "strong" => Inline::Strong(c),
        "i" | "em" => Inline::Emph(c),
        "s" | "del" | "strike" => Inline::Strike(c),
        "sup" => Inline::Superscript(c),
        "sub" => Inline::Subscript(c),
        _ => {
            let tag = span_tag(name);
            if tag == SpanTag::Span && lang.is_none() && dir.is_none() {
                // A plain container: its content, in place.
                return (None, c);
            }
            let title = if matches!(tag, SpanTag::Abbr | SpanTag::Dfn) {
                attr(node, "title").unwrap_or_default()
            } else {
                String::new()
            };
            let span = HtmlSpan {
                tag,
                title,
                lang,
                dir,
                content: c,
            };
            return (Some(Inline::Span(span)), Vec::new());
        }
    };
    if lang.is_none() && dir.is_none() {
        return (Some(simple), Vec::new());
    }
    // `lang` on an element with its own node: wrap it.
    let span = HtmlSpan {
        tag: SpanTag::Span,
        title: String::new(),
        lang,
        dir,
        content: vec![simple],
    };
    (Some(Inline::Span(span)), Vec::new())
}

fn span_tag(name: &str) -> SpanTag {
    match name {
        "small" => SpanTag::Small,
        "mark" => SpanTag::Mark,
        "abbr" | "acronym" => SpanTag::Abbr,
        "ins" => SpanTag::Ins,
        "u" => SpanTag::Underline,
        "q" => SpanTag::Q,
        "kbd" => SpanTag::Kbd,
        "samp" => SpanTag::Samp,
        "var" => SpanTag::Var,
        "cite" => SpanTag::Cite,
        "dfn" => SpanTag::Dfn,
        "time" => SpanTag::Time,
        "bdi" => SpanTag::Bdi,
        _ => SpanTag::Span,
    }
}

fn mark_inline_dropped(m: &mut Mapper, node: &Handle) {
    // Inline placeholders inside a dropped element are left out with it; in raw text they
    // are only text, which is left out too.
    let mut stack = vec![node.clone()];
    while let Some(n) = stack.pop() {
        if let Some(k) = m.placeholder_index(&n)
            && let Some(slot) = m.inline_ph.get_mut(k)
        {
            *slot = None;
        }
        if let NodeData::Text { contents } = &n.data {
            let t = contents.borrow();
            let open = format!("<{} n=\"", m.tag);
            let mut rest: &str = &t;
            while let Some(i) = rest.find(&open) {
                rest = &rest[i + open.len()..];
                let num: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(k) = num.parse::<usize>()
                    && let Some(slot) = m.inline_ph.get_mut(k)
                {
                    *slot = None;
                }
            }
        }
        for c in n.children.borrow().iter() {
            stack.push(c.clone());
        }
    }
}

fn is_drop(node: &Handle) -> bool {
    name_of(node).is_some_and(|n| matches!(kind_of(n), Kind::Drop | Kind::Silent))
}

fn addr(node: &Handle) -> usize {
    std::rc::Rc::as_ptr(node) as usize
}

/// HTML's dimension value: a number of CSS pixels (`300`, `300px`, `12.5`) or a percentage
/// (`50%`, at most 100); anything else, zero included, is not one.
fn parse_length(value: &str) -> Option<Length> {
    let v = value.trim();
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (num, unit) = v.split_at(end);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
        return None;
    }
    let n: f32 = num.parse().ok()?;
    if !n.is_finite() || n <= 0.0 {
        return None;
    }
    match unit.trim().to_ascii_lowercase().as_str() {
        "" | "px" => Some(Length::Px(n.min(MAX_PX))),
        "%" => Some(Length::Percent(n.min(100.0))),
        _ => None,
    }
}

fn span_attr(node: &Handle, key: &str) -> usize {
    attr(node, key)
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_SPAN)
}

fn align_of(node: &Handle) -> Align {
    match attr(node, "align")
        .map(|s| s.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("left") => Align::Left,
        Some("center") | Some("middle") => Align::Center,
        Some("right") => Align::Right,
        _ => Align::None,
    }
}

/// The element's `lang` (a well-formed language tag only) and `dir`.
fn lang_dir(node: &Handle) -> (Option<String>, Option<Direction>) {
    let lang = attr(node, "lang")
        .map(|s| s.trim().to_string())
        .filter(|l| {
            !l.is_empty()
                && l.len() <= 35
                && l.starts_with(|c: char| c.is_ascii_alphabetic())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    let dir = match attr(node, "dir")
        .map(|s| s.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("rtl") => Some(Direction::Rtl),
        Some("ltr") => Some(Direction::Ltr),
        _ => None,
    };
    (lang, dir)
}

/// HTML text as it shows: every run of white space one space.
fn collapse(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            space = true;
        } else {
            if space {
                s.push(' ');
            }
            space = false;
            s.push(c);
        }
    }
    if space {
        s.push(' ');
    }
    s
}

/// Leading and trailing breaks and white space off a run of inlines.
fn trim_inlines(mut v: Vec<Inline>) -> Vec<Inline> {
    while matches!(v.first(), Some(Inline::SoftBreak))
        || matches!(v.first(), Some(Inline::Text { text, .. }) if text.trim().is_empty())
    {
        v.remove(0);
    }
    while matches!(v.last(), Some(Inline::SoftBreak | Inline::HardBreak))
        || matches!(v.last(), Some(Inline::Text { text, .. }) if text.trim().is_empty())
    {
        v.pop();
    }
    if let Some(Inline::Text { text, .. }) = v.first_mut() {
        let t = text.trim_start().to_string();
        *text = t;
    }
    if let Some(Inline::Text { text, .. }) = v.last_mut() {
        let t = text.trim_end().to_string();
        *text = t;
    }
    v
}

/// Adjacent text joined, as the reader makes it.
fn merge_text(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(v.len());
    for i in v {
        if let Inline::Text { text, .. } = &i {
            if text.is_empty() {
                continue;
            }
            if let Some(Inline::Text { text: prev, .. }) = out.last_mut() {
                prev.push_str(text);
                continue;
            }
        }
        out.push(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_read_as_browsers_read_them() {
        assert_eq!(parse_length("300"), Some(Length::Px(300.0)));
        assert_eq!(parse_length(" 12.5px "), Some(Length::Px(12.5)));
        assert_eq!(parse_length("50%"), Some(Length::Percent(50.0)));
        assert_eq!(parse_length("250%"), Some(Length::Percent(100.0)));
        assert_eq!(parse_length("1e9"), None);
        assert_eq!(parse_length("99999999"), Some(Length::Px(MAX_PX)));
        for bad in [
            "", "0", "-3", "wide", ".5", "5.", "5em", "1.2.3", "NaN", "inf",
        ] {
            assert_eq!(parse_length(bad), None, "{bad:?}");
        }
    }
}
