//! The reader: Markdown with front matter → [`Document`] and diagnostics.
//!
//! The only user of pulldown-cmark. It keeps every character the author typed (curly quotes,
//! dashes, the newspaper convention of opening every quoted paragraph and closing only the last);
//! only straight quotes and `--`/`---` are made typographic, and that can be turned off.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd,
};

mod html;

use crate::Diagnostic;
use crate::frontmatter;
use crate::model::{
    AlertKind, Align, Block, BlockId, BlockKind, Document, Footnote, Image, Inline, List, ListItem,
    Metadata, Offset, SourceMap, Table,
};

/// How deep lists and block quotes (and, separately, emphasis, links and other inline spans)
/// nest before deeper levels are flattened: the default of [`ReadOptions::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// The highest nesting limit accepted. Every backend walks the model recursively, on threads
/// with 2 MB stacks in a parallel batch; 256 levels of quotes in lists in quotes stay far below
/// that even in a debug build (`tests/suites/hostile.rs` checks 2,000 levels at this limit).
pub const MAX_DEPTH_CEILING: usize = 256;

/// Options for [`read`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Turn straight quotes into curly ones and `--`/`---` into dashes (on by default).
    pub smart_punctuation: bool,
    /// Lists and block quotes nested deeper than this are flattened, with a warning; so are
    /// inline spans (emphasis in links in emphasis …) deeper than this. Values above
    /// [`MAX_DEPTH_CEILING`] count as the ceiling; 0 counts as 1.
    pub max_depth: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            smart_punctuation: true,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// The one place that decides which Markdown extensions are on.
fn parser_options(opts: &ReadOptions) -> Options {
    // ENABLE_GFM reads GitHub alerts (`> [!NOTE]` …) as block quotes with a kind.
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_GFM
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT;
    if opts.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Reads a statement. Returns no document when an error prevents one; warnings and errors
/// come back as diagnostics either way.
pub fn read(path: &Path, text: &str, opts: &ReadOptions) -> (Option<Document>, Vec<Diagnostic>) {
    read_with(path, text, opts, &|own| own)
}

/// [`read`], with the statement's own front matter passed through `defaults` before it is
/// read (the caller merges values from elsewhere under it: `publish` gives the house's).
pub fn read_with(
    path: &Path,
    text: &str,
    opts: &ReadOptions,
    defaults: &dyn Fn(Option<frontmatter::Node>) -> Option<frontmatter::Node>,
) -> (Option<Document>, Vec<Diagnostic>) {
    let source = SourceMap::new(path, text);
    let mut diags = Vec::new();
    if text.trim().is_empty() {
        diags.push(Diagnostic::error("the file is empty").in_file(path).help(
            "write a statement: front matter with a `title`, then the text (see `communique new`)",
        ));
        return (None, diags);
    }

    let mut meta = Metadata::default();
    let (tree, body_offset) = match front_matter_with(path, text, &mut diags) {
        Ok((own, body_offset)) => (defaults(own), body_offset),
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let about_src = read_metadata(tree.as_ref(), path, text, opts, &mut meta, &mut diags);
    let has_title = !meta.title.trim().is_empty();

    let mut ids = IdAlloc::default();
    let mut b = Builder::new(
        &source,
        opts,
        &mut diags,
        &mut ids,
        Some(body_offset as Offset),
    );
    let events = Parser::new_ext(&text[body_offset..], parser_options(opts)).into_offset_iter();
    for (ev, range) in events {
        b.event(ev, (range.start + body_offset) as Offset);
    }
    let (mut blocks, mut footnotes) = b.finish();

    if !has_title && !crate::diag::has_errors(&diags) {
        title_from_body(path, &source, &mut meta, &mut blocks, &mut diags);
    }

    if has_title {
        drop_repeated_headline(&mut blocks, &meta.title);
    }

    if let Some(about) = about_src {
        meta.about = read_about(about, path, text, &source, opts, &mut diags, &mut ids);
    }

    if ids.html_used {
        // Blocks made from raw HTML were numbered when their container closed: number every
        // block again in reading order (the PDF's tags rely on it).
        let mut next = 0;
        renumber(&mut blocks, &mut next);
        for note in &mut footnotes {
            renumber(&mut note.blocks, &mut next);
        }
        renumber(&mut meta.about, &mut next);
    }

    let ok = !crate::diag::has_errors(&diags);
    let mut doc = Document {
        meta,
        blocks,
        footnotes,
        source,
    };
    // No `lang` in the front matter or house config: the text's own language (issue 16).
    if ok && tree.as_ref().and_then(|root| root.get("lang")).is_none() {
        crate::detect::fill_lang(&mut doc, 0, &mut diags);
    }
    (ok.then_some(doc), diags)
}

/// The front matter into `meta`; the title, subtitle and description read as inline Markdown.
/// Returns the `about` boilerplate's Markdown, read after the body.
fn read_metadata(
    tree: Option<&frontmatter::Node>,
    path: &Path,
    text: &str,
    opts: &ReadOptions,
    meta: &mut Metadata,
    diags: &mut Vec<Diagnostic>,
) -> Option<frontmatter::About> {
    let about_src = tree.and_then(|root| frontmatter::to_metadata(root, meta, diags));
    // Displayed strings are inline Markdown (as pandoc reads them); metadata keeps their
    // plain text.
    let value_at = |key: &str| -> Offset {
        tree.and_then(|root| root.get(key))
            .filter(|n| *n.file == *path)
            .map_or(0, |n| offset_of(text, n.line, n.col))
    };
    if !meta.title.trim().is_empty() {
        meta.title_inlines = inline_markdown(&meta.title, value_at("title"), opts);
        meta.title = crate::model::plain_text(&meta.title_inlines);
    }
    if let Some(sub) = meta.subtitle.take() {
        let inlines = inline_markdown(&sub, value_at("subtitle"), opts);
        meta.subtitle = Some(crate::model::plain_text(&inlines));
        meta.subtitle_inlines = inlines;
    }
    if let Some(desc) = meta.description.take() {
        let inlines = inline_markdown(&desc, value_at("description"), opts);
        meta.description = Some(crate::model::plain_text(&inlines));
    }
    about_src
}

/// No `title` in the front matter: the first level-1 heading is the headline (taken out of
/// the body when it opens it), else the file name; with a warning either way.
fn title_from_body(
    path: &Path,
    source: &SourceMap,
    meta: &mut Metadata,
    blocks: &mut Vec<Block>,
    diags: &mut Vec<Diagnostic>,
) {
    let first_h1 = blocks
        .iter()
        .position(|b| matches!(&b.kind, BlockKind::Heading { level: 1, .. }));
    match first_h1 {
        Some(i) => {
            let BlockKind::Heading { content, .. } = &blocks[i].kind else {
                unreachable!()
            };
            meta.title = crate::model::plain_text(content).trim().to_string();
            meta.title_inlines = content.clone();
            let at = blocks[i].at;
            if i == 0 {
                blocks.remove(0);
            }
            diags.push(
                Diagnostic::warning(format!(
                    "no `title` in the front matter; the headline is the first heading, \"{}\"",
                    meta.title
                ))
                .at(source, at)
                .help("add `title: \"...\"` to the front matter"),
            );
        }
        None => {
            meta.title = path
                .file_stem()
                .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
                .unwrap_or_default();
            diags.push(
                Diagnostic::warning(format!(
                    "no `title` in the front matter and no level-1 heading; the headline is the file name, \"{}\"",
                    meta.title
                ))
                .at(source, 0)
                .help("add `title: \"...\"` to the front matter"),
            );
        }
    }
}

/// The `about` boilerplate read into blocks, positioned at its front-matter value.
fn read_about(
    about: frontmatter::About,
    path: &Path,
    text: &str,
    source: &SourceMap,
    opts: &ReadOptions,
    diags: &mut Vec<Diagnostic>,
    ids: &mut IdAlloc,
) -> Vec<Block> {
    let md = about.markdown;
    let at = if *about.node.file == *path {
        offset_of(text, about.node.line, about.node.col)
    } else {
        0
    };
    let mut b = Builder::new(source, opts, diags, ids, None);
    b.fixed_offset = Some(at);
    for (ev, _) in Parser::new_ext(&md, parser_options(opts)).into_offset_iter() {
        b.event(ev, at);
    }
    let (about, about_notes) = b.finish();
    if !about_notes.is_empty() {
        diags.push(
            Diagnostic::warning("footnotes in `about` are not supported and were dropped")
                .at(source, at),
        );
    }
    about
}

/// A link's address; an e-mail autolink (`<a@b.org>`) gets `mailto:`.
fn link_url(link_type: LinkType, mut url: String) -> String {
    if link_type == LinkType::Email && !url.starts_with("mailto:") {
        url.insert_str(0, "mailto:");
    }
    url
}

/// A fenced code block's language: the info string's first word (`{.rust}` as `rust`).
fn code_lang(kind: CodeBlockKind<'_>) -> Option<String> {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split_whitespace()
            .next()
            .map(|s| {
                s.trim_start_matches('{')
                    .trim_start_matches('.')
                    .trim_end_matches('}')
                    .to_string()
            })
            .filter(|s| !s.is_empty()),
        CodeBlockKind::Indented => None,
    }
}

/// Gives blocks ids 1, 2, 3 … in reading order (a container before its blocks).
fn renumber(blocks: &mut [Block], next: &mut u32) {
    for b in blocks {
        *next += 1;
        b.id = BlockId(*next);
        match &mut b.kind {
            BlockKind::BlockQuote(inner)
            | BlockKind::Alert { blocks: inner, .. }
            | BlockKind::Html(crate::model::HtmlBlock { blocks: inner, .. }) => {
                renumber(inner, next)
            }
            BlockKind::List(l) => {
                for item in &mut l.items {
                    renumber(&mut item.blocks, next);
                }
            }
            _ => {}
        }
    }
}

/// Reads a front-matter string as one line of inline Markdown, the way pandoc reads a
/// `title`: code spans, emphasis, entities, sub- and superscript. Links keep only their text,
/// images their alt text and raw HTML its source, so that the headline holds nothing a
/// backend would have to load or follow. Line ends are spaces; a string that Markdown would
/// read as a block (a list marker, `#`, `>` …) is read as text from its first character.
fn inline_markdown(s: &str, at: Offset, opts: &ReadOptions) -> Vec<Inline> {
    let line = s.trim().replace("\r\n", " ").replace(['\r', '\n'], " ");
    let read = |src: &str| -> Option<Vec<Inline>> {
        let source = SourceMap::new("", "");
        let mut diags = Vec::new();
        let mut ids = IdAlloc::default();
        let mut b = Builder::new(&source, opts, &mut diags, &mut ids, None);
        b.fixed_offset = Some(at);
        for (ev, _) in Parser::new_ext(src, parser_options(opts)).into_offset_iter() {
            b.event(ev, at);
        }
        let (mut blocks, _) = b.finish();
        match blocks.pop() {
            Some(Block {
                kind: BlockKind::Paragraph(inlines),
                ..
            }) if blocks.is_empty() => Some(inlines),
            _ => None,
        }
    };
    let inlines = read(&line)
        .or_else(|| read(&escape_block_start(&line)))
        .unwrap_or_else(|| {
            vec![Inline::Text {
                text: line.clone(),
                at,
            }]
        });
    let mut out = Vec::new();
    headline_inlines(inlines, &mut out);
    out
}

/// `line` with a backslash before the character that makes Markdown read it as a block
/// (`- x`, `1. x`, `# x`, `> x`, `<div>`, `[a]: b` …), so that it reads as a paragraph.
fn escape_block_start(line: &str) -> String {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let at = if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
        digits
    } else {
        0
    };
    let mut out = String::with_capacity(line.len() + 1);
    out.push_str(&line[..at]);
    if line[at..].starts_with(|c: char| c.is_ascii_punctuation()) {
        out.push('\\');
    }
    out.push_str(&line[at..]);
    out
}

/// Keeps of `inlines` what a headline shows: links become their text, images their alt
/// text, footnote references and raw HTML their source.
fn headline_inlines(inlines: Vec<Inline>, out: &mut Vec<Inline>) {
    let push_text = |out: &mut Vec<Inline>, t: String, at: Offset| {
        if let Some(Inline::Text { text, .. }) = out.last_mut() {
            text.push_str(&t);
        } else {
            out.push(Inline::Text { text: t, at });
        }
    };
    for i in inlines {
        match i {
            Inline::Link { content, .. } => headline_inlines(content, out),
            Inline::Image(img) => push_text(out, img.alt, img.at),
            Inline::FootnoteRef { label, .. } => push_text(out, format!("[^{label}]"), 0),
            Inline::RawHtml(h) => push_text(out, h, 0),
            Inline::Text { text, at } => push_text(out, text, at),
            Inline::Emph(c) => out.push(Inline::Emph(headline_vec(c))),
            Inline::Strong(c) => out.push(Inline::Strong(headline_vec(c))),
            Inline::Strike(c) => out.push(Inline::Strike(headline_vec(c))),
            Inline::Span(s) => out.push(Inline::Span(crate::model::HtmlSpan {
                content: headline_vec(s.content),
                ..s
            })),
            Inline::Superscript(c) => out.push(Inline::Superscript(headline_vec(c))),
            Inline::Subscript(c) => out.push(Inline::Subscript(headline_vec(c))),
            other @ (Inline::Code(_) | Inline::SoftBreak | Inline::HardBreak) => out.push(other),
        }
    }
}

fn headline_vec(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::new();
    headline_inlines(inlines, &mut out);
    out
}

/// Drops a level-1 heading that opens the body and repeats the headline (the usual shape of
/// a blog post: `title` in the front matter, then `# The same title`). Nothing is lost, so
/// nothing is said. Compared on letters and digits only, ignoring case.
fn drop_repeated_headline(blocks: &mut Vec<Block>, title: &str) {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = key(title);
    if wanted.is_empty() {
        return;
    }
    let first = blocks
        .iter()
        .position(|b| !matches!(&b.kind, BlockKind::RawHtml(h) if is_html_comment(h)));
    if let Some(i) = first
        && let BlockKind::Heading {
            level: 1, content, ..
        } = &blocks[i].kind
        && key(&crate::model::plain_text(content)) == wanted
    {
        blocks.remove(i);
    }
}

/// Whether raw HTML is only comments and white space.
fn is_html_comment(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(r) = rest.strip_prefix("<!--") {
        match r.find("-->") {
            Some(end) => rest = r[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// A statement's own front matter as positioned values, and the byte offset where its
/// Markdown body starts.
pub fn front_matter(
    path: &Path,
    text: &str,
) -> Result<(Option<frontmatter::Node>, usize), Diagnostic> {
    front_matter_with(path, text, &mut Vec::new())
}

/// [`front_matter`], with its warnings (YAML read leniently, keys left out) in `diags`.
fn front_matter_with(
    path: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Option<frontmatter::Node>, usize), Diagnostic> {
    Ok(match frontmatter::split(text) {
        Err(d) => return Err(d.at(&SourceMap::new(path, text), 0)),
        Ok(None) => (None, 0),
        Ok(Some(block)) => (
            Some(frontmatter::parse(path, text, &block, diags)?),
            block.body_offset,
        ),
    })
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: u32, col: u32) -> Offset {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let byte = text[start..]
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| start + i);
    byte as Offset
}

#[derive(Default)]
struct IdAlloc {
    next_block: u32,
    heading_ids: HashSet<String>,
    /// Kinds of raw-HTML tags already warned about (one warning per kind per statement).
    html_warned: HashSet<String>,
    /// Whether raw HTML made blocks (their ids were given after the Markdown's around them).
    html_used: bool,
}

impl IdAlloc {
    fn block(&mut self) -> BlockId {
        self.next_block += 1;
        BlockId(self.next_block)
    }

    /// A unique heading id: the author's `{#id}` when given, else a slug of the text.
    fn heading(&mut self, wanted: Option<&str>, text: &str) -> String {
        let base = match wanted {
            Some(w) if !w.is_empty() => w.to_string(),
            _ => slug(text),
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.heading_ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// A URL- and XML-id-safe slug: lowercase letters and digits joined by hyphens, starting
/// with a letter.
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    let mut s: String = s.chars().take(60).collect();
    s = s.trim_end_matches('-').to_string();
    if !s.chars().next().is_some_and(char::is_alphabetic) {
        s.insert_str(0, "section-");
        s = s.trim_end_matches('-').to_string();
    }
    s
}

/// An open container of blocks.
enum Container {
    Root,
    Quote {
        id: BlockId,
        at: Offset,
        alert: Option<AlertKind>,
    },
    List {
        id: BlockId,
        at: Offset,
        start: Option<u64>,
        items: Vec<ListItem>,
        tight: bool,
    },
    Item {
        task: Option<bool>,
    },
    Footnote {
        label: String,
    },
}

struct Frame {
    kind: Container,
    blocks: Vec<Block>,
}

/// An open inline span (or a leaf block collecting inlines).
enum Span {
    Paragraph {
        id: BlockId,
        at: Offset,
        implicit: bool,
    },
    Heading {
        id: BlockId,
        at: Offset,
        level: u8,
        wanted: Option<String>,
    },
    Cell,
    Emph,
    Strong,
    Strike,
    Sup,
    Sub,
    Link {
        url: String,
        title: String,
    },
    Image {
        path: String,
        title: String,
        at: Offset,
    },
    /// A span that was not opened because of the depth limit; its end is ignored.
    Flattened,
}

enum Leaf {
    None,
    Code {
        id: BlockId,
        at: Offset,
        lang: Option<String>,
        text: String,
    },
    Html {
        id: BlockId,
        at: Offset,
        text: String,
    },
}

struct TableState {
    id: BlockId,
    at: Offset,
    aligns: Vec<crate::model::Align>,
    header: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    in_head: bool,
    row: Vec<Vec<Inline>>,
}

struct Builder<'a> {
    source: &'a SourceMap,
    opts: &'a ReadOptions,
    diags: &'a mut Vec<Diagnostic>,
    ids: &'a mut IdAlloc,
    frames: Vec<Frame>,
    /// Which container starts were flattened (true) — pops match pushes one to one.
    container_flat: Vec<bool>,
    spans: Vec<(Span, Vec<Inline>)>,
    leaf: Leaf,
    table: Option<TableState>,
    notes: HashMap<String, Vec<Block>>,
    note_order: Vec<String>,
    note_numbers: HashMap<String, u32>,
    depth_warned: bool,
    /// When set, every position is this one (text that came from front matter).
    fixed_offset: Option<Offset>,
}

impl<'a> Builder<'a> {
    fn new(
        source: &'a SourceMap,
        opts: &'a ReadOptions,
        diags: &'a mut Vec<Diagnostic>,
        ids: &'a mut IdAlloc,
        _body: Option<Offset>,
    ) -> Self {
        Builder {
            source,
            opts,
            diags,
            ids,
            frames: vec![Frame {
                kind: Container::Root,
                blocks: Vec::new(),
            }],
            container_flat: Vec::new(),
            spans: Vec::new(),
            leaf: Leaf::None,
            table: None,
            notes: HashMap::new(),
            note_order: Vec::new(),
            note_numbers: HashMap::new(),
            depth_warned: false,
            fixed_offset: None,
        }
    }

    fn push_block(&mut self, mut block: Block) {
        if matches!(
            block.kind,
            BlockKind::Paragraph(_) | BlockKind::Heading { .. } | BlockKind::Table(_)
        ) {
            html::resolve_block_inlines(&mut self.html_cx(), &mut block);
        }
        if let Some(f) = self.frames.last_mut() {
            f.blocks.push(block);
        }
    }

    /// What the raw-HTML reader borrows.
    fn html_cx(&mut self) -> html::Cx<'_> {
        let base_depth = self.depth();
        html::Cx {
            source: self.source,
            diags: self.diags,
            ids: self.ids,
            max_depth: self.opts.max_depth.clamp(1, MAX_DEPTH_CEILING),
            base_depth,
            fixed_offset: self.fixed_offset,
        }
    }

    /// A closed container's blocks with their raw HTML read (joined with the Markdown between).
    fn resolve_html(&mut self, blocks: Vec<Block>) -> Vec<Block> {
        html::resolve_blocks(&mut self.html_cx(), blocks)
    }

    fn depth(&self) -> usize {
        self.frames
            .iter()
            .filter(|f| matches!(f.kind, Container::Quote { .. } | Container::List { .. }))
            .count()
    }

    /// The nesting limit in force.
    fn max_depth(&self) -> usize {
        self.opts.max_depth.clamp(1, MAX_DEPTH_CEILING)
    }

    fn too_deep(&mut self, at: Offset) -> bool {
        if self.depth() < self.max_depth() {
            return false;
        }
        if !self.depth_warned {
            self.depth_warned = true;
            self.diags.push(
                Diagnostic::warning(format!(
                    "lists and block quotes are nested more than {} levels deep; deeper levels are flattened",
                    self.max_depth()
                ))
                .at(self.source, at),
            );
        }
        true
    }

    /// Appends an inline to the innermost open span, opening an implicit paragraph for the
    /// text of a tight list item.
    fn push_inline(&mut self, inline: Inline, at: Offset) {
        if self.spans.is_empty() {
            let id = self.ids.block();
            self.spans.push((
                Span::Paragraph {
                    id,
                    at,
                    implicit: true,
                },
                Vec::new(),
            ));
        }
        let (_, inlines) = self.spans.last_mut().expect("a span is open");
        if let Inline::Text { text, .. } = &inline
            && let Some(Inline::Text { text: prev, .. }) = inlines.last_mut()
        {
            prev.push_str(text);
            return;
        }
        inlines.push(inline);
    }

    /// Closes an implicit paragraph (tight list item text) before a block starts or an item ends.
    fn close_implicit(&mut self) {
        if let Some((Span::Paragraph { implicit: true, .. }, _)) = self.spans.last() {
            let (span, inlines) = self.spans.pop().expect("checked");
            if let Span::Paragraph { id, at, .. } = span {
                self.push_block(Block {
                    id,
                    at,
                    kind: BlockKind::Paragraph(inlines),
                });
            }
        }
    }

    fn event(&mut self, ev: Event<'_>, at: Offset) {
        let at = self.fixed_offset.unwrap_or(at);
        // Text inside a code block or an HTML block belongs to that leaf.
        match (&mut self.leaf, &ev) {
            (Leaf::Code { text, .. }, Event::Text(t)) => {
                text.push_str(t);
                return;
            }
            (Leaf::Html { text, .. }, Event::Html(t) | Event::Text(t)) => {
                text.push_str(t);
                return;
            }
            _ => {}
        }
        match ev {
            Event::Start(tag) => self.start(tag, at),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.push_inline(
                Inline::Text {
                    text: t.into_string(),
                    at,
                },
                at,
            ),
            Event::Code(t) => self.push_inline(Inline::Code(t.into_string()), at),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_inline(
                Inline::Text {
                    text: t.into_string(),
                    at,
                },
                at,
            ),
            Event::Html(t) => {
                // Block HTML outside an HtmlBlock start (should not happen): keep it as a block.
                let id = self.ids.block();
                self.push_block(Block {
                    id,
                    at,
                    kind: BlockKind::RawHtml(t.into_string()),
                })
            }
            Event::InlineHtml(t) => self.push_inline(html::inline_piece(&t, at), at),
            Event::FootnoteReference(label) => {
                let label = label.into_string();
                let next = self.note_numbers.len() as u32 + 1;
                let number = *self.note_numbers.entry(label.clone()).or_insert_with(|| {
                    self.note_order.push(label.clone());
                    next
                });
                self.push_inline(Inline::FootnoteRef { label, number }, at)
            }
            Event::SoftBreak => self.push_inline(Inline::SoftBreak, at),
            Event::HardBreak => self.push_inline(Inline::HardBreak, at),
            Event::Rule => {
                self.close_implicit();
                let id = self.ids.block();
                self.push_block(Block {
                    id,
                    at,
                    kind: BlockKind::ThematicBreak,
                })
            }
            Event::TaskListMarker(checked) => {
                if let Some(Frame {
                    kind: Container::Item { task },
                    ..
                }) = self.frames.last_mut()
                {
                    *task = Some(checked)
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, at: Offset) {
        let is_block = !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        );
        if is_block {
            self.close_implicit();
        }
        match tag {
            Tag::Paragraph => self.start_paragraph(at),
            Tag::Heading { level, id, .. } => {
                let bid = self.ids.block();
                self.spans.push((
                    Span::Heading {
                        id: bid,
                        at,
                        level: level as u8,
                        wanted: id.map(|s| s.into_string()),
                    },
                    Vec::new(),
                ))
            }
            Tag::BlockQuote(kind) => self.start_quote(kind, at),
            Tag::List(start) => self.start_list(start, at),
            Tag::Item => self.start_item(),
            Tag::FootnoteDefinition(label) => self.frames.push(Frame {
                kind: Container::Footnote {
                    label: label.into_string(),
                },
                blocks: Vec::new(),
            }),
            Tag::CodeBlock(kind) => {
                let id = self.ids.block();
                self.leaf = Leaf::Code {
                    id,
                    at,
                    lang: code_lang(kind),
                    text: String::new(),
                }
            }
            Tag::HtmlBlock => {
                let id = self.ids.block();
                self.leaf = Leaf::Html {
                    id,
                    at,
                    text: String::new(),
                }
            }
            Tag::Table(aligns) => self.start_table(&aligns, at),
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true
                }
            }
            Tag::TableRow => {}
            Tag::TableCell => self.spans.push((Span::Cell, Vec::new())),
            Tag::Emphasis => self.open_span(Span::Emph, at),
            Tag::Strong => self.open_span(Span::Strong, at),
            Tag::Strikethrough => self.open_span(Span::Strike, at),
            Tag::Superscript => self.open_span(Span::Sup, at),
            Tag::Subscript => self.open_span(Span::Sub, at),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.open_span(
                Span::Link {
                    url: link_url(link_type, dest_url.into_string()),
                    title: title.into_string(),
                },
                at,
            ),
            Tag::Image {
                dest_url, title, ..
            } => self.open_span(
                Span::Image {
                    path: dest_url.into_string(),
                    title: title.into_string(),
                    at,
                },
                at,
            ),
            Tag::MetadataBlock(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {}
        }
    }

    /// A table opens.
    fn start_table(&mut self, aligns: &[Alignment], at: Offset) {
        let id = self.ids.block();
        self.table = Some(TableState {
            id,
            at,
            aligns: aligns
                .iter()
                .map(|a| match a {
                    Alignment::None => Align::None,
                    Alignment::Left => Align::Left,
                    Alignment::Center => Align::Center,
                    Alignment::Right => Align::Right,
                })
                .collect(),
            header: Vec::new(),
            rows: Vec::new(),
            in_head: false,
            row: Vec::new(),
        })
    }

    /// A paragraph opens; in a list item it makes the list loose (pulldown-cmark wraps item
    /// text in paragraphs only in loose lists).
    fn start_paragraph(&mut self, at: Offset) {
        let n = self.frames.len();
        if n >= 2
            && matches!(self.frames[n - 1].kind, Container::Item { .. })
            && let Container::List { tight, .. } = &mut self.frames[n - 2].kind
        {
            *tight = false;
        }
        let id = self.ids.block();
        self.spans.push((
            Span::Paragraph {
                id,
                at,
                implicit: false,
            },
            Vec::new(),
        ))
    }

    /// A block quote or GitHub alert opens (flattened past the nesting limit).
    fn start_quote(&mut self, kind: Option<BlockQuoteKind>, at: Offset) {
        let flat = self.too_deep(at);
        self.container_flat.push(flat);
        if !flat {
            let id = self.ids.block();
            let alert = kind.map(|k| match k {
                BlockQuoteKind::Note => AlertKind::Note,
                BlockQuoteKind::Tip => AlertKind::Tip,
                BlockQuoteKind::Important => AlertKind::Important,
                BlockQuoteKind::Warning => AlertKind::Warning,
                BlockQuoteKind::Caution => AlertKind::Caution,
            });
            self.frames.push(Frame {
                kind: Container::Quote { id, at, alert },
                blocks: Vec::new(),
            })
        }
    }

    /// A list opens (flattened past the nesting limit).
    fn start_list(&mut self, start: Option<u64>, at: Offset) {
        let flat = self.too_deep(at);
        self.container_flat.push(flat);
        if !flat {
            let id = self.ids.block();
            self.frames.push(Frame {
                kind: Container::List {
                    id,
                    at,
                    start,
                    items: Vec::new(),
                    tight: true,
                },
                blocks: Vec::new(),
            })
        }
    }

    /// A list item opens (flat when its list was flattened).
    fn start_item(&mut self) {
        let flat = !matches!(
            self.frames.last(),
            Some(Frame {
                kind: Container::List { .. },
                ..
            })
        );
        self.container_flat.push(flat);
        if !flat {
            self.frames.push(Frame {
                kind: Container::Item { task: None },
                blocks: Vec::new(),
            })
        }
    }

    fn open_span(&mut self, span: Span, at: Offset) {
        // Deeply nested emphasis is flattened so that no later recursion can overflow.
        let depth = self.spans.len();
        if depth > self.max_depth() {
            self.spans.push((Span::Flattened, Vec::new()));
        } else {
            if depth == 0 {
                // Inline content directly in a tight list item.
                let id = self.ids.block();
                self.spans.push((
                    Span::Paragraph {
                        id,
                        at,
                        implicit: true,
                    },
                    Vec::new(),
                ));
            }
            self.spans.push((span, Vec::new()));
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.end_text_block(),
            TagEnd::BlockQuote(_) => self.end_quote(),
            TagEnd::Item => self.end_item(),
            TagEnd::List(_) => self.end_list(),
            TagEnd::FootnoteDefinition => {
                self.close_implicit();
                if let Some(Frame {
                    kind: Container::Footnote { label },
                    blocks,
                }) = self.frames.pop()
                {
                    let blocks = self.resolve_html(blocks);
                    self.notes.entry(label).or_insert(blocks);
                }
            }
            TagEnd::CodeBlock => {
                if let Leaf::Code { id, at, lang, text } =
                    std::mem::replace(&mut self.leaf, Leaf::None)
                {
                    self.push_block(Block {
                        id,
                        at,
                        kind: BlockKind::CodeBlock { lang, text },
                    })
                }
            }
            TagEnd::HtmlBlock => {
                if let Leaf::Html { id, at, text } = std::mem::replace(&mut self.leaf, Leaf::None) {
                    self.push_block(Block {
                        id,
                        at,
                        kind: BlockKind::RawHtml(text),
                    })
                }
            }
            TagEnd::TableCell => {
                let cell = self.spans.pop().map(|(_, i)| i).unwrap_or_default();
                if let Some(t) = &mut self.table {
                    t.row.push(cell)
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = std::mem::take(&mut t.row);
                    t.in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row)
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let _ = t.in_head;
                    self.push_block(Block {
                        id: t.id,
                        at: t.at,
                        kind: BlockKind::Table(Table {
                            aligns: t.aligns,
                            header: t.header,
                            rows: t.rows,
                            spans: Vec::new(),
                        }),
                    })
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => self.end_span(),
            TagEnd::MetadataBlock(_)
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {}
        }
    }

    /// A paragraph or heading closes: its inlines become a block.
    fn end_text_block(&mut self) {
        let Some((span, inlines)) = self.spans.pop() else {
            return;
        };
        match span {
            Span::Paragraph { id, at, .. } => self.push_block(Block {
                id,
                at,
                kind: BlockKind::Paragraph(inlines),
            }),
            Span::Heading {
                id,
                at,
                level,
                wanted,
            } => {
                let hid = self
                    .ids
                    .heading(wanted.as_deref(), &crate::model::plain_text(&inlines));
                self.push_block(Block {
                    id,
                    at,
                    kind: BlockKind::Heading {
                        level,
                        id: hid,
                        content: inlines,
                    },
                })
            }
            _ => {}
        }
    }

    /// A block quote or alert closes.
    fn end_quote(&mut self) {
        self.close_implicit();
        if self.container_flat.pop() == Some(false)
            && let Some(Frame {
                kind: Container::Quote { id, at, alert },
                blocks,
            }) = self.frames.pop()
        {
            let blocks = self.resolve_html(blocks);
            self.push_block(Block {
                id,
                at,
                kind: match alert {
                    Some(kind) => BlockKind::Alert { kind, blocks },
                    None => BlockKind::BlockQuote(blocks),
                },
            })
        }
    }

    /// A list item closes: it joins its list.
    fn end_item(&mut self) {
        self.close_implicit();
        if self.container_flat.pop() == Some(false)
            && let Some(Frame {
                kind: Container::Item { task },
                blocks,
            }) = self.frames.pop()
        {
            let blocks = self.resolve_html(blocks);
            if let Some(Frame {
                kind: Container::List { items, .. },
                ..
            }) = self.frames.last_mut()
            {
                items.push(ListItem { task, blocks })
            }
        }
    }

    /// A list closes.
    fn end_list(&mut self) {
        self.close_implicit();
        if self.container_flat.pop() == Some(false)
            && let Some(Frame {
                kind:
                    Container::List {
                        id,
                        at,
                        start,
                        items,
                        tight,
                    },
                ..
            }) = self.frames.pop()
        {
            self.push_block(Block {
                id,
                at,
                kind: BlockKind::List(List {
                    start,
                    tight,
                    items,
                }),
            })
        }
    }

    /// An inline span (emphasis, link, image …) closes: it joins its parent.
    fn end_span(&mut self) {
        let Some((span, inlines)) = self.spans.pop() else {
            return;
        };
        let inline = match span {
            Span::Emph => Inline::Emph(inlines),
            Span::Strong => Inline::Strong(inlines),
            Span::Strike => Inline::Strike(inlines),
            Span::Sup => Inline::Superscript(inlines),
            Span::Sub => Inline::Subscript(inlines),
            Span::Link { url, title } => Inline::Link {
                url,
                title,
                content: inlines,
            },
            Span::Image { path, title, at } => Inline::Image(Image {
                path,
                alt: crate::model::plain_text(&inlines),
                title,
                at,
                size: Default::default(),
            }),
            Span::Flattened => {
                for i in inlines {
                    self.push_inline(i, 0);
                }
                return;
            }
            other => {
                // Unbalanced: put it back.
                self.spans.push((other, inlines));
                return;
            }
        };
        let at = match &inline {
            Inline::Image(img) => img.at,
            _ => 0,
        };
        if let Some((_, parent)) = self.spans.last_mut() {
            parent.push(inline);
        } else {
            self.push_inline(inline, at);
        }
    }

    fn finish(mut self) -> (Vec<Block>, Vec<Footnote>) {
        while !self.spans.is_empty() {
            self.close_implicit();
            if let Some((Span::Paragraph { .. }, _)) = self.spans.last() {
                continue;
            }
            self.spans.pop();
        }
        let mut root = self.frames.swap_remove(0);
        root.blocks = self.resolve_html(std::mem::take(&mut root.blocks));
        let mut footnotes = Vec::new();
        for (i, label) in self.note_order.iter().enumerate() {
            let blocks = self.notes.remove(label).unwrap_or_default();
            footnotes.push(Footnote {
                label: label.clone(),
                number: i as u32 + 1,
                blocks,
            });
        }
        let mut unused: Vec<_> = self.notes.into_keys().collect();
        unused.sort();
        for label in unused {
            self.diags.push(
                Diagnostic::warning(format!(
                    "footnote `[^{label}]` is defined but never referenced"
                ))
                .in_file(&self.source.path)
                .help(format!(
                    "refer to it with `[^{label}]` in the text, or delete it"
                )),
            );
        }
        (root.blocks, footnotes)
    }
}
