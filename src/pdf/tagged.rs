//! Tagged PDF (PDF/UA-1) and archival PDF (PDF/A-2b): the structure tree, the XMP
//! metadata and the OutputIntent, added to printpdf's output with lopdf. With
//! [`super::emit`], the only file that touches lopdf.
//!
//! The writer asks [`mark_in`] how to mark each placed item: as an artifact (page
//! furniture, decorative rules, inserted hyphens, repeated table headers, decorative
//! images) or as content of a structure element, keyed by its [`Origin`] and the [`Part`]
//! of the block it is (its text, a label, a note reference, a table cell, a figure). It
//! records, per page, whose each marked-content sequence is (its MCID is the index).
//! [`structure`] then builds the tree in the model's reading order and hangs the MCIDs and
//! link annotations under the elements their keys name. New kinds of item get their part
//! in [`mark_of`] and their elements in `Tree::blocks`.

use super::emit::objstm::{Raw, serialized};
use super::emit::text_string;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use std::collections::HashMap;

use crate::Diagnostic;
use crate::model::{Block, BlockId, BlockKind, Document};

use super::figure::figure_image;
use super::layout::{Front, Item, Origin, Placed, Role};

/// Which standards the PDF claims and meets (`--pdf-standard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standards {
    /// PDF/UA-1: tagged, with the writer's accessibility checks.
    pub ua1: bool,
    /// PDF/A-2b: XMP metadata and an sRGB OutputIntent.
    pub a2b: bool,
}

impl Default for Standards {
    fn default() -> Self {
        Standards {
            ua1: true,
            a2b: true,
        }
    }
}

impl Standards {
    /// Neither standard: a smaller, untagged file.
    pub const NONE: Standards = Standards {
        ua1: false,
        a2b: false,
    };

    /// Parses `ua1,a2b`, `ua1`, `a2b` or `none`.
    pub fn parse(s: &str) -> Result<Standards, String> {
        let mut out = Standards::NONE;
        for part in s.split(',').map(|p| p.trim().to_ascii_lowercase()) {
            match part.as_str() {
                "ua1" | "ua-1" | "pdf/ua-1" => out.ua1 = true,
                "a2b" | "a-2b" | "pdf/a-2b" => out.a2b = true,
                "none" | "" => {}
                other => {
                    return Err(format!(
                        "unknown PDF standard `{other}` (expected ua1, a2b or none)"
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// What a marked-content sequence is within the structure of its origin: the block's own
/// text, a list item's or note's label, a note reference, a table cell, a figure's image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Text,
    Label,
    Reference,
    Cell {
        row: u32,
        col: u32,
    },
    /// An image, by its source offset (unique in its block), and the table cell it is in.
    Figure {
        at: u32,
        cell: Option<(u32, u32)>,
    },
}

/// How an item is marked in the content stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `/Artifact BMC … EMC`: not part of the structure tree.
    Artifact,
    /// `/<tag> <</MCID n>> BDC … EMC`, owned by the structure element of this origin and part.
    Content(Origin, Part),
}

/// A marked-content sequence of a page, as the writer records it (its MCID is its index):
/// whose content it is and, for a figure, its box (`x0 y0 x1 y1` in PDF coordinates).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marked {
    pub origin: Origin,
    pub part: Part,
    pub bbox: Option<[f32; 4]>,
}

impl Marked {
    pub fn new(origin: Origin, part: Part) -> Marked {
        Marked {
            origin,
            part,
            bbox: None,
        }
    }
}

/// The mark of a placed item. Furniture and rules (letterhead and header rules, quotation
/// bars, thematic breaks, strike-through) are artifacts, and so are inserted hyphens,
/// repeated table headers, the logo and decorative images; text is content of its block,
/// in the part its [`Role`] names; an image is a Figure (its alt text checked by
/// [`check_alt`] when the tree is built).
pub fn mark_of(p: &Placed) -> Option<Mark> {
    match (&p.item, p.origin) {
        (_, Origin::Furniture) => Some(Mark::Artifact),
        (Item::Rule(_), _) => Some(Mark::Artifact),
        (Item::Text(run), o) => Some(match run.role {
            Role::Text => Mark::Content(o, Part::Text),
            Role::Label => Mark::Content(o, Part::Label),
            Role::NoteRef => Mark::Content(o, Part::Reference),
            Role::Cell { row, col } => Mark::Content(o, Part::Cell { row, col }),
            Role::Hyphen | Role::Repeat => Mark::Artifact,
        }),
        // Link areas paint nothing: they become annotations.
        (Item::Link(_), _) => None,
        // The logo repeats the organization's name, which follows as text.
        (Item::Image(i), o) if i.decorative || matches!(o, Origin::Front(_)) => {
            Some(Mark::Artifact)
        }
        (Item::Image(i), o) => Some(Mark::Content(
            o,
            Part::Figure {
                at: i.at,
                cell: i.cell,
            },
        )),
    }
}

/// The origins whose list markers are artifacts: the first drawn block of a list item that
/// holds no content, only artifacts (a thematic break, raw HTML the PDF leaves out), such as
/// `- ***`. Its marker labels nothing, so it is no Lbl, and the item is no LI. (A nested
/// item's marker is drawn with the same block; the outermost item decides.)
pub fn bare_labels(doc: &Document) -> Vec<Origin> {
    fn walk(blocks: &[Block], about: bool, out: &mut Vec<(Origin, bool)>) {
        for b in blocks {
            match &b.kind {
                BlockKind::BlockQuote(inner)
                | BlockKind::Alert { blocks: inner, .. }
                | BlockKind::Html(crate::model::HtmlBlock { blocks: inner, .. }) => {
                    walk(inner, about, out)
                }
                BlockKind::List(list) => {
                    for item in &list.items {
                        if let Some(first) = first_leaf(&item.blocks) {
                            let o = if about {
                                Origin::About(first.id)
                            } else {
                                Origin::Block(first.id)
                            };
                            if !out.iter().any(|(k, _)| *k == o) {
                                out.push((o, !has_content(&item.blocks)));
                            }
                        }
                        walk(&item.blocks, about, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&doc.blocks, false, &mut out);
    for note in &doc.footnotes {
        walk(&note.blocks, false, &mut out);
    }
    walk(&doc.meta.about, true, &mut out);
    out.into_iter()
        .filter_map(|(o, bare)| bare.then_some(o))
        .collect()
}

/// Whether blocks hold content for the structure tree (not only artifacts).
fn has_content(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match &b.kind {
        BlockKind::Alert { .. } => true,
        BlockKind::BlockQuote(inner) => has_content(inner),
        BlockKind::Html(h) => has_content(&h.blocks),
        BlockKind::List(l) => l.items.iter().any(|i| has_content(&i.blocks)),
        BlockKind::ThematicBreak | BlockKind::RawHtml(_) => false,
        BlockKind::Heading { .. }
        | BlockKind::Paragraph(_)
        | BlockKind::CodeBlock { .. }
        | BlockKind::Table(_) => true,
    })
}

/// [`mark_of`], with the markers of items that hold no content ([`bare_labels`]) as
/// artifacts.
pub fn mark_in(p: &Placed, bare: &[Origin]) -> Option<Mark> {
    match mark_of(p) {
        Some(Mark::Content(o, Part::Label)) if bare.contains(&o) => Some(Mark::Artifact),
        m => m,
    }
}

/// The tag of a content sequence (the structure element says what it is).
pub fn content_tag(p: Part) -> &'static str {
    match p {
        Part::Label => "Lbl",
        Part::Reference => "Reference",
        Part::Figure { .. } => "Figure",
        Part::Text | Part::Cell { .. } => "Span",
    }
}

/// The check every image must pass: alt text, unless marked decorative.
pub fn check_alt(path: &str, alt: &str, decorative: bool) -> Result<(), Diagnostic> {
    if decorative || !alt.trim().is_empty() {
        Ok(())
    } else {
        Err(Diagnostic::error(format!(
            "the image {path} has no alternative text, which PDF/UA requires"
        ))
        .help("describe the image in the brackets of ![…](…), or mark it decorative"))
    }
}

/// The structure type of a part of the front matter.
fn front_role(f: Front) -> &'static str {
    match f {
        Front::Headline => "H1",
        Front::AboutHeading => "H2",
        Front::Letterhead
        | Front::Release
        | Front::Date
        | Front::Contacts
        | Front::Subtitle
        | Front::Dateline
        | Front::EndMark => "P",
    }
}

/// The structure type of a leaf block (one whose text is painted under its own origin);
/// `None` for blocks that are containers or paint nothing taggable.
pub fn block_role(b: &Block) -> Option<&'static str> {
    match &b.kind {
        BlockKind::Heading { level, .. } => Some(heading_role(*level)),
        BlockKind::Paragraph(_) => Some("P"),
        BlockKind::CodeBlock { .. } => Some("Code"),
        // A table without a header is set as lines of text (see `design`); with one, it is
        // a Table of cells (see `Tree::blocks`).
        BlockKind::Table(_) => Some("P"),
        BlockKind::BlockQuote(_)
        | BlockKind::Alert { .. }
        | BlockKind::Html(_)
        | BlockKind::List(_)
        | BlockKind::ThematicBreak
        | BlockKind::RawHtml(_) => None,
    }
}

/// A link annotation to hang in the tree.
pub struct LinkAnnot {
    pub page: usize,
    pub origin: Origin,
    /// The part of its block it lies in (a table cell).
    pub part: Part,
    pub id: ObjectId,
    /// The link's visible text (its /Alt).
    pub text: String,
}

enum Kid {
    Node(usize),
    Mcr { page: usize, mcid: usize },
    Objr { page: usize, annot: ObjectId },
}

struct Node {
    role: &'static str,
    parent: usize,
    kids: Vec<Kid>,
    /// The content this element owns.
    key: Option<(Origin, Part)>,
    alt: Option<String>,
    /// The element identifier (/ID), for notes.
    id: Option<String>,
    /// The attribute dictionary (/A).
    attr: Option<Dictionary>,
    /// For a figure: the image's path, for the diagnostic.
    path: Option<String>,
    /// A Span holding the text that follows an image inside its element's text.
    cont: bool,
}

impl Node {
    fn new(role: &'static str, parent: usize, key: Option<(Origin, Part)>) -> Node {
        Node {
            role,
            parent,
            kids: Vec::new(),
            key,
            alt: None,
            id: None,
            attr: None,
            path: None,
            cont: false,
        }
    }
}

struct Tree {
    nodes: Vec<Node>,
    /// The structure level of each heading (see [`heading_levels`]).
    levels: HashMap<BlockId, u8>,
    /// Alt text and path of every image of every block, by origin and source offset (for
    /// the Figure elements of images inside text, made when their content is met).
    images: HashMap<(Origin, u32), (String, String)>,
    /// The first node of each key, and of each origin: what [`Tree::find`] and
    /// [`Tree::first_of`] look up (a search through the nodes made long tables quadratic).
    index: HashMap<(Origin, Part), usize>,
    by_origin: HashMap<Origin, usize>,
}

impl Tree {
    fn add(&mut self, parent: usize, role: &'static str, key: Option<(Origin, Part)>) -> usize {
        let i = self.nodes.len();
        self.nodes.push(Node::new(role, parent, key));
        self.nodes[parent].kids.push(Kid::Node(i));
        if let Some(k) = key {
            self.index.entry(k).or_insert(i);
            self.by_origin.entry(k.0).or_insert(i);
        }
        i
    }

    /// The first node made for this origin and part.
    fn find(&self, o: Origin, part: Part) -> Option<usize> {
        self.index.get(&(o, part)).copied()
    }

    /// The first node made for this origin, whatever its part.
    fn first_of(&self, o: Origin) -> Option<usize> {
        self.by_origin.get(&o).copied()
    }

    fn blocks(&mut self, parent: usize, blocks: &[Block], about: bool) {
        for b in blocks {
            let origin = if about {
                Origin::About(b.id)
            } else {
                Origin::Block(b.id)
            };
            let mut imgs = Vec::new();
            super::figure::leaf_images(b, &mut imgs);
            for img in imgs {
                self.images.insert(
                    (origin, img.at),
                    (img.alt.trim().to_string(), img.path.trim().to_string()),
                );
            }
            match &b.kind {
                BlockKind::BlockQuote(inner) => {
                    let q = self.add(parent, "BlockQuote", None);
                    self.blocks(q, inner, about);
                }
                // What raw HTML made: a stretch of it adds no element; its containers
                // (`<div>`, `<details>`, `<figure>`, `<dl>` …) are each a Div.
                BlockKind::Html(h) => {
                    if h.element == crate::model::HtmlElement::Fragment {
                        self.blocks(parent, &h.blocks, about);
                    } else {
                        let d = self.add(parent, "Div", None);
                        self.blocks(d, &h.blocks, about);
                    }
                }
                // A GitHub alert: a Note (with the /ID PDF/UA asks of notes) labelled by its
                // kind ("Tip"), which is drawn as the text of the alert's own origin.
                BlockKind::Alert { blocks: inner, .. } => {
                    let n = self.add(parent, "Note", None);
                    self.nodes[n].id = Some(format!("alert-{}", b.id.0));
                    self.add(n, "Lbl", Some((origin, Part::Text)));
                    self.blocks(n, inner, about);
                }
                BlockKind::List(list) => self.list(parent, list, about),
                BlockKind::Table(table) if !table.header.is_empty() => {
                    self.table(parent, table, origin)
                }
                BlockKind::Paragraph(content) if figure_image(content).is_some() => {
                    self.figure_paragraph(parent, content, origin)
                }
                BlockKind::Heading { .. } => {
                    let level = self.levels.get(&b.id).copied().unwrap_or(1);
                    self.add(parent, heading_role(level), Some((origin, Part::Text)));
                }
                _ => {
                    if let Some(role) = block_role(b) {
                        self.add(parent, role, Some((origin, Part::Text)));
                    }
                }
            }
        }
    }

    /// L > LI > Lbl + LBody for a list.
    fn list(&mut self, parent: usize, list: &crate::model::List, about: bool) {
        let l = self.add(parent, "L", None);
        for item in &list.items {
            let li = self.add(l, "LI", None);
            // The marker is drawn with the item's first drawn block.
            if let Some(first) = first_leaf(&item.blocks) {
                let o = if about {
                    Origin::About(first.id)
                } else {
                    Origin::Block(first.id)
                };
                self.add(li, "Lbl", Some((o, Part::Label)));
            }
            let body = self.add(li, "LBody", None);
            self.blocks(body, &item.blocks, about);
        }
    }

    /// Table > TR > TH (scope Column) / TD for a table with a header row.
    fn table(&mut self, parent: usize, table: &crate::model::Table, origin: Origin) {
        let ncols = std::iter::once(&table.header)
            .chain(&table.rows)
            .map(|r| r.len())
            .max()
            .unwrap_or(0);
        let t = self.add(parent, "Table", None);
        for (row, slots) in table.slots().iter().enumerate() {
            let tr = self.add(t, "TR", None);
            for col in 0..ncols {
                // A position covered by another cell's span has no cell of its own.
                let span = match slots.get(col) {
                    Some(crate::model::Slot::Covered) => continue,
                    Some(&crate::model::Slot::Cell { cols, rows }) => (cols, rows),
                    None => (1, 1),
                };
                let part = Part::Cell {
                    row: row as u32,
                    col: col as u32,
                };
                let cell = self.add(tr, if row == 0 { "TH" } else { "TD" }, Some((origin, part)));
                self.nodes[cell].attr = cell_attributes(row == 0, span);
            }
        }
    }

    /// A paragraph that is a figure: the image (a Figure, unless decorative), then its caption.
    fn figure_paragraph(
        &mut self,
        parent: usize,
        content: &[crate::model::Inline],
        origin: Origin,
    ) {
        if let Some(img) = figure_image(content) {
            let part = Part::Figure {
                at: img.at,
                cell: None,
            };
            let f = self.add(parent, "Figure", Some((origin, part)));
            self.nodes[f].alt = Some(img.alt.trim().to_string());
            self.nodes[f].path = Some(img.path.trim().to_string());
        }
        self.add(parent, "P", Some((origin, Part::Text)));
    }

    /// Whether a node holds any content (after the MCIDs are attached).
    fn has_content(&self, i: usize) -> bool {
        self.nodes[i].kids.iter().any(|k| match k {
            Kid::Node(n) => self.has_content(*n),
            _ => true,
        })
    }

    /// Whether a node is written: it holds content, or it is an empty cell of a row that
    /// does (a table keeps its grid).
    fn written(&self, i: usize) -> bool {
        self.has_content(i)
            || (matches!(self.nodes[i].role, "TH" | "TD") && self.has_content(self.nodes[i].parent))
    }
}

/// The first block of `blocks` that layout draws lines for (a quotation's first block, not
/// the quotation): a list marker or note number is drawn with it.
fn first_leaf(blocks: &[Block]) -> Option<&Block> {
    blocks.iter().find_map(|b| match &b.kind {
        BlockKind::BlockQuote(inner) => first_leaf(inner),
        BlockKind::Html(h) => first_leaf(&h.blocks),
        // Its label is drawn first, under its own origin.
        BlockKind::Alert { .. } => Some(b),
        BlockKind::List(l) => l.items.iter().find_map(|i| first_leaf(&i.blocks)),
        BlockKind::RawHtml(_) => None,
        _ => Some(b),
    })
}

/// The tree's skeleton in reading order: front matter, body, "About", end mark.
fn skeleton(doc: &Document) -> Tree {
    let mut t = Tree {
        nodes: vec![Node::new("Document", 0, None)],
        levels: heading_levels(doc).levels,
        images: HashMap::new(),
        index: HashMap::new(),
        by_origin: HashMap::new(),
    };
    for f in [
        Front::Letterhead,
        Front::Release,
        Front::Date,
        Front::Contacts,
        Front::Headline,
        Front::Subtitle,
        Front::Dateline,
    ] {
        t.add(0, front_role(f), Some((Origin::Front(f), Part::Text)));
    }
    t.blocks(0, &doc.blocks, false);
    // Footnotes, in number order, after the body they annotate: each a Note with an /ID,
    // its number (drawn with its first block) as its label.
    for note in &doc.footnotes {
        let n = t.add(0, "Note", None);
        t.nodes[n].id = Some(format!("note-{}", note.number));
        if let Some(first) = first_leaf(&note.blocks) {
            t.add(n, "Lbl", Some((Origin::Block(first.id), Part::Label)));
        }
        t.blocks(n, &note.blocks, false);
    }
    t.add(
        0,
        "H2",
        Some((Origin::Front(Front::AboutHeading), Part::Text)),
    );
    t.blocks(0, &doc.meta.about, true);
    t.add(0, "P", Some((Origin::Front(Front::EndMark), Part::Text)));
    t
}

/// Builds the structure tree and everything PDF/UA asks of the catalog, pages and
/// annotations. `marks[page][mcid]` says whose each marked-content sequence is. Fails on
/// content that no element owns and on a figure without alt text.
pub fn structure(
    lo: &mut lopdf::Document,
    doc: &Document,
    pages: &[ObjectId],
    marks: &[Vec<Marked>],
    links: &[LinkAnnot],
) -> Result<Raw, Diagnostic> {
    let mut t = skeleton(doc);
    place_marks(&mut t, marks)?;
    check_figures(&t)?;
    place_links(&mut t, links)?;
    let mut w = write_elements(lo, &t, pages, marks)
        .map_err(|e| Diagnostic::error(format!("could not write the structure tree: {e}")))?;
    let (pt_id, key) = write_parent_tree(lo, pages, marks.len(), w.parent_of_mcid, w.annot_parent);
    write_root(lo, w.root_id, w.ids[0], pt_id, w.id_names, key);
    // The elements, written, go into the file's object streams in their places.
    w.raw.sort_by_key(|(id, _)| *id);
    Ok(w.raw)
}

/// Each marked-content sequence becomes a kid of its structure element (a Reference, a Span
/// after a Figure, a Figure made when an image of a block's text is met, as needed).
fn place_marks(t: &mut Tree, marks: &[Vec<Marked>]) -> Result<(), Diagnostic> {
    for (page, ms) in marks.iter().enumerate() {
        for (mcid, m) in ms.iter().enumerate() {
            // A note reference is a Reference inside the text that holds it.
            let part = match m.part {
                Part::Reference => Part::Text,
                p => p,
            };
            // (A label the tree has no place for reads with its block's text.)
            let found = match part {
                Part::Label => t
                    .find(m.origin, part)
                    .or_else(|| t.find(m.origin, Part::Text)),
                // An image in a block's text is a Figure inside the element of that text (a
                // paragraph, a table cell), where it is read.
                Part::Figure { at, cell } => t.find(m.origin, part).or_else(|| {
                    let within = match cell {
                        Some((row, col)) => Part::Cell { row, col },
                        None => Part::Text,
                    };
                    let parent = t.find(m.origin, within)?;
                    let (alt, path) = t.images.get(&(m.origin, at)).cloned()?;
                    let f = t.add(parent, "Figure", Some((m.origin, part)));
                    t.nodes[f].alt = Some(alt);
                    t.nodes[f].path = Some(path);
                    Some(f)
                }),
                _ => t.find(m.origin, part),
            };
            let Some(mut n) = found else {
                return Err(Diagnostic::error(format!(
                    "untagged content on page {}: {:?} ({:?}) has no structure element",
                    page + 1,
                    m.origin,
                    m.part
                )));
            };
            if m.part == Part::Reference {
                n = t.add(n, "Reference", None);
            } else if !matches!(m.part, Part::Figure { .. }) {
                // Text after an image of its element's text reads on in a Span after the
                // image's Figure, so that the elements hold the content in painted order.
                match t.nodes[n].kids.last() {
                    Some(Kid::Node(c)) if t.nodes[*c].cont => n = *c,
                    Some(Kid::Node(c))
                        if t.nodes[*c].role == "Figure"
                            && t.nodes[*c].key.is_some_and(|(o, _)| o == m.origin) =>
                    {
                        n = t.add(n, "Span", None);
                        t.nodes[n].cont = true;
                    }
                    _ => {}
                }
            }
            if let Some([x0, y0, x1, y1]) = m.bbox {
                let mut a = Dictionary::new();
                a.set("O", "Layout");
                a.set(
                    "BBox",
                    [x0, y0, x1, y1]
                        .iter()
                        .map(|v| Object::Real((v * 1000.0).round() / 1000.0))
                        .collect::<Vec<_>>(),
                );
                t.nodes[n].attr = Some(a);
            }
            t.nodes[n].kids.push(Kid::Mcr { page, mcid });
        }
    }
    Ok(())
}

/// Every Figure that holds content has alt text.
fn check_figures(t: &Tree) -> Result<(), Diagnostic> {
    for (i, n) in t.nodes.iter().enumerate() {
        if n.role == "Figure" && t.has_content(i) {
            check_alt(
                n.path.as_deref().unwrap_or("?"),
                n.alt.as_deref().unwrap_or(""),
                false,
            )?;
        }
    }
    Ok(())
}

/// Each link annotation becomes a Link element (with an OBJR) in its part (a table cell),
/// else in the block's text, else anywhere in its block.
fn place_links(t: &mut Tree, links: &[LinkAnnot]) -> Result<(), Diagnostic> {
    for l in links {
        // In its part (a table cell), else in the block's text, else anywhere in its block.
        let part = match l.part {
            Part::Reference => Part::Text,
            p => p,
        };
        let Some(n) = t
            .find(l.origin, part)
            .or_else(|| t.find(l.origin, Part::Text))
            .or_else(|| t.first_of(l.origin))
        else {
            return Err(Diagnostic::error(format!(
                "a link on page {} belongs to no structure element",
                l.page + 1
            )));
        };
        let link = t.add(n, "Link", None);
        t.nodes[link].alt = Some(l.text.clone());
        t.nodes[link].kids.push(Kid::Objr {
            page: l.page,
            annot: l.id,
        });
    }

    Ok(())
}

/// What writing the structure elements leaves for the parent tree and the root.
struct Written {
    root_id: ObjectId,
    /// Each node's object, for the nodes written.
    ids: Vec<Option<ObjectId>>,
    /// Element identifiers (`/ID`) and their elements, for the IDTree.
    id_names: Vec<(String, ObjectId)>,
    /// Each page's elements by MCID.
    parent_of_mcid: Vec<Vec<Object>>,
    /// (annotation, its Link element).
    annot_parent: Vec<(ObjectId, ObjectId)>,
    /// The elements, written (see `emit::objstm::Raw`).
    raw: Raw,
}

/// The structure elements that hold content, written as objects in tree order.
fn write_elements(
    lo: &mut lopdf::Document,
    t: &Tree,
    pages: &[ObjectId],
    marks: &[Vec<Marked>],
) -> std::io::Result<Written> {
    // Object ids for the nodes that hold content, in tree order.
    let root_id = lo.new_object_id();
    let ids: Vec<Option<ObjectId>> = (0..t.nodes.len())
        .map(|i| t.written(i).then(|| lo.new_object_id()))
        .collect();
    let mut id_names: Vec<(String, ObjectId)> = Vec::new();
    let mut parent_of_mcid: Vec<Vec<Object>> =
        marks.iter().map(|m| vec![Object::Null; m.len()]).collect();
    let mut annot_parent: Vec<(ObjectId, ObjectId)> = Vec::new();
    let mut raw = Raw::new();
    for (i, node) in t.nodes.iter().enumerate() {
        let Some(id) = ids[i] else { continue };
        let mut d = Dictionary::new();
        d.set("Type", "StructElem");
        d.set("S", node.role);
        let parent = if i == 0 {
            root_id
        } else {
            ids[node.parent].unwrap_or(root_id)
        };
        d.set("P", Object::Reference(parent));
        if let Some(alt) = &node.alt {
            d.set("Alt", text_string(alt));
        }
        if let Some(ident) = &node.id {
            d.set(
                "ID",
                Object::String(ident.as_bytes().to_vec(), StringFormat::Literal),
            );
            id_names.push((ident.clone(), id));
        }
        if let Some(a) = &node.attr {
            d.set("A", a.clone());
        }
        let mut kids = Vec::new();
        let mut first_page = None;
        for k in &node.kids {
            match k {
                Kid::Node(n) => {
                    if let Some(c) = ids[*n] {
                        kids.push(Object::Reference(c));
                    }
                }
                Kid::Mcr { page, mcid } => {
                    let Some(&pg) = pages.get(*page) else {
                        continue;
                    };
                    first_page.get_or_insert(pg);
                    let mut m = Dictionary::new();
                    m.set("Type", "MCR");
                    m.set("Pg", Object::Reference(pg));
                    m.set("MCID", *mcid as i64);
                    kids.push(Object::Dictionary(m));
                    if let Some(slot) = parent_of_mcid.get_mut(*page).and_then(|v| v.get_mut(*mcid))
                    {
                        *slot = Object::Reference(id);
                    }
                }
                Kid::Objr { page, annot } => {
                    let Some(&pg) = pages.get(*page) else {
                        continue;
                    };
                    let mut m = Dictionary::new();
                    m.set("Type", "OBJR");
                    m.set("Pg", Object::Reference(pg));
                    m.set("Obj", Object::Reference(*annot));
                    kids.push(Object::Dictionary(m));
                    annot_parent.push((*annot, id));
                }
            }
        }
        if let Some(pg) = first_page {
            d.set("Pg", Object::Reference(pg));
        }
        // A single kid stands alone (some checkers read only an array's first level).
        if kids.len() == 1 {
            d.set("K", kids.remove(0));
        } else {
            d.set("K", kids);
        }
        raw.push((id, serialized(&Object::Dictionary(d))?));
    }

    Ok(Written {
        root_id,
        ids,
        id_names,
        parent_of_mcid,
        annot_parent,
        raw,
    })
}

/// The parent tree: one array per page (by MCID), then one entry per annotation; each page's
/// /StructParents and /Tabs. Returns the tree's object and the next free key.
fn write_parent_tree(
    lo: &mut lopdf::Document,
    pages: &[ObjectId],
    marked_pages: usize,
    parent_of_mcid: Vec<Vec<Object>>,
    annot_parent: Vec<(ObjectId, ObjectId)>,
) -> (ObjectId, i64) {
    // The parent tree: one array per page (by MCID), then one entry per annotation.
    let mut nums = Vec::new();
    for (i, arr) in parent_of_mcid.into_iter().enumerate() {
        if let Some(&pg) = pages.get(i)
            && let Ok(d) = lo.get_dictionary_mut(pg)
        {
            d.set("StructParents", i as i64);
            d.set("Tabs", "S");
        }
        nums.push(Object::Integer(i as i64));
        nums.push(Object::Array(arr));
    }
    let mut key = marked_pages as i64;
    for (annot, parent) in annot_parent {
        if let Ok(d) = lo.get_dictionary_mut(annot) {
            d.set("StructParent", key);
        }
        nums.push(Object::Integer(key));
        nums.push(Object::Reference(parent));
        key += 1;
    }
    // Pages without marked content still get their /Tabs and /StructParents.
    for (i, &pg) in pages.iter().enumerate().skip(marked_pages) {
        if let Ok(d) = lo.get_dictionary_mut(pg) {
            d.set("Tabs", "S");
            d.set("StructParents", i as i64);
        }
    }
    let mut pt = Dictionary::new();
    pt.set("Nums", nums);
    let pt_id = lo.add_object(pt);
    (pt_id, key)
}

/// The StructTreeRoot (with its IDTree) and the catalog's /MarkInfo.
fn write_root(
    lo: &mut lopdf::Document,
    root_id: ObjectId,
    doc_id: Option<ObjectId>,
    pt_id: ObjectId,
    mut id_names: Vec<(String, ObjectId)>,
    key: i64,
) {
    let mut root = Dictionary::new();
    root.set("Type", "StructTreeRoot");
    if let Some(doc_id) = doc_id {
        root.set("K", vec![Object::Reference(doc_id)]);
    }
    root.set("ParentTree", Object::Reference(pt_id));
    if !id_names.is_empty() {
        // The name tree of element identifiers, keys in byte order.
        id_names.sort();
        let mut names = Vec::with_capacity(id_names.len() * 2);
        for (k, v) in id_names {
            names.push(Object::String(k.into_bytes(), StringFormat::Literal));
            names.push(Object::Reference(v));
        }
        let mut idt = Dictionary::new();
        idt.set("Names", names);
        root.set("IDTree", lo.add_object(idt));
    }
    root.set("ParentTreeNextKey", key);
    lo.objects.insert(root_id, Object::Dictionary(root));
    if let Ok(cat) = lo.catalog_mut() {
        cat.set("StructTreeRoot", Object::Reference(root_id));
        let mut mi = Dictionary::new();
        mi.set("Marked", true);
        cat.set("MarkInfo", mi);
    }
}

fn heading_role(level: u8) -> &'static str {
    match level {
        0 | 1 => "H1",
        2 => "H2",
        3 => "H3",
        4 => "H4",
        5 => "H5",
        _ => "H6",
    }
}

/// The structure levels of a document's headings ([`crate::model::heading_levels`]), and the
/// warning when they differ from the author's.
pub struct HeadingLevels {
    pub levels: HashMap<BlockId, u8>,
    /// One warning (at the first heading whose level changes), or none.
    pub warning: Option<Diagnostic>,
}

/// [`crate::model::heading_levels`], with its one warning.
pub fn heading_levels(doc: &Document) -> HeadingLevels {
    let l = crate::model::heading_levels(doc);
    let warning = l.first_change.map(|(at, written, level)| {
        let more = match l.changed {
            1 => String::new(),
            n => format!(" (and {} more headings after it)", n - 1),
        };
        Diagnostic::warning(format!(
            "a level-{written} heading comes without a level-{} heading above it; the PDF's \
             structure tree makes it a level-{level} heading{more}, as PDF/UA asks (its look is \
             unchanged)",
            written - 1
        ))
        .at(&doc.source, at)
        .help("the headline is level 1: start the body's headings at ## and go down one level at a time")
    });
    HeadingLevels {
        levels: l.levels,
        warning,
    }
}

/// The sRGB profile of the OutputIntent (Debian's icc-profiles-free; see `icc/LICENSE`), as
/// it came; the PDF carries [`SRGB_ICC_PACKED`].
#[cfg(test)]
const SRGB_ICC: &[u8] = include_bytes!("icc/sRGB.icc");

/// [`SRGB_ICC`] Flate-compressed at level 9, as the PDF carries it: the same in every file, so
/// it is compressed once, here, rather than by a compressor set up in each run (about 70 page
/// faults). A test checks that it is still exactly what the writer's compressor makes.
const SRGB_ICC_PACKED: &[u8] = include_bytes!("icc/sRGB.icc.zz");

/// The info values the XMP must repeat exactly.
pub struct Info<'a> {
    pub title: &'a str,
    pub author: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub keywords: Option<&'a str>,
    pub producer: &'a str,
    pub creator: &'a str,
    /// ISO 8601 (`2026-11-27T00:00:00Z`).
    pub date: Option<String>,
    pub lang: &'a str,
}

fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// The XMP packet: Dublin Core, XMP and PDF properties equal to the Info dictionary, and
/// the PDF/UA and PDF/A identification (with the extension schema PDF/A needs for pdfuaid).
pub fn xmp(info: &Info, std: Standards) -> Vec<u8> {
    let e = xml_escape;
    let mut x = String::with_capacity(4096);
    x.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    if std.a2b && std.ua1 {
        x.push_str(concat!(
            "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n",
            "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n",
            "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n",
            "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n",
            "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n",
            "<pdfaProperty:name>part</pdfaProperty:name>\n",
            "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n",
            "<pdfaProperty:category>internal</pdfaProperty:category>\n",
            "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n",
            "</rdf:li></rdf:Seq></pdfaSchema:property>\n",
            "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n</rdf:Description>\n",
        ));
    }
    x.push_str("<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
    if std.a2b {
        x.push_str(" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    }
    if std.ua1 {
        x.push_str(" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    }
    x.push_str(">\n");
    x.push_str("<dc:format>application/pdf</dc:format>\n");
    x.push_str(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        e(info.title)
    ));
    if let Some(a) = info.author {
        x.push_str(&format!(
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            e(a)
        ));
    }
    if let Some(s) = info.subject {
        x.push_str(&format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            e(s)
        ));
    }
    x.push_str(&format!(
        "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
        e(info.lang)
    ));
    if let Some(k) = info.keywords {
        x.push_str(&format!("<pdf:Keywords>{}</pdf:Keywords>\n", e(k)));
    }
    x.push_str(&format!(
        "<pdf:Producer>{}</pdf:Producer>\n<xmp:CreatorTool>{}</xmp:CreatorTool>\n",
        e(info.producer),
        e(info.creator)
    ));
    if let Some(d) = &info.date {
        x.push_str(&format!(
            "<xmp:CreateDate>{d}</xmp:CreateDate>\n<xmp:ModifyDate>{d}</xmp:ModifyDate>\n<xmp:MetadataDate>{d}</xmp:MetadataDate>\n"
        ));
    }
    if std.a2b {
        x.push_str("<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n");
    }
    if std.ua1 {
        x.push_str("<pdfuaid:part>1</pdfuaid:part>\n");
    }
    x.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    x.into_bytes()
}

/// Adds the XMP metadata stream and, for PDF/A, the sRGB OutputIntent.
pub fn archival(lo: &mut lopdf::Document, info: &Info, std: Standards) {
    let mut md = Dictionary::new();
    md.set("Type", "Metadata");
    md.set("Subtype", "XML");
    // XMP stays uncompressed so that tools that scan files for it find it.
    let md_stream = Stream::new(md, xmp(info, std)).with_compression(false);
    let md_id = lo.add_object(md_stream);
    let mut intent = None;
    if std.a2b {
        let mut icc = Dictionary::new();
        icc.set("N", 3);
        icc.set("Filter", "FlateDecode");
        let stream = Stream::new(icc, SRGB_ICC_PACKED.to_vec());
        let icc_id = lo.add_object(stream);
        let mut oi = Dictionary::new();
        oi.set("Type", "OutputIntent");
        oi.set("S", "GTS_PDFA1");
        oi.set(
            "OutputConditionIdentifier",
            Object::String(b"sRGB".to_vec(), StringFormat::Literal),
        );
        oi.set(
            "Info",
            Object::String(b"sRGB IEC61966-2.1".to_vec(), StringFormat::Literal),
        );
        oi.set("DestOutputProfile", Object::Reference(icc_id));
        intent = Some(lo.add_object(oi));
    }
    if let Ok(cat) = lo.catalog_mut() {
        cat.set("Metadata", Object::Reference(md_id));
        if let Some(oi) = intent {
            cat.set("OutputIntents", vec![Object::Reference(oi)]);
        }
    }
}

/// A table cell's attributes (`/O /Table`): a header's scope, and the columns and rows a
/// spanning cell covers. None for a plain data cell.
fn cell_attributes(header: bool, (cols, rows): (usize, usize)) -> Option<Dictionary> {
    if !header && cols == 1 && rows == 1 {
        return None;
    }
    let mut a = Dictionary::new();
    a.set("O", "Table");
    if header {
        a.set("Scope", "Column");
    }
    if cols > 1 {
        a.set("ColSpan", cols as i64);
    }
    if rows > 1 {
        a.set("RowSpan", rows as i64);
    }
    Some(a)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_packed_profile_is_the_profile_compressed() {
        let packed = super::super::emit::deflate_at(9, super::SRGB_ICC);
        assert_eq!(packed.as_deref(), Some(super::SRGB_ICC_PACKED));
    }
}
