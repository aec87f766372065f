//! Tagged PDF (PDF/UA-1) and archival PDF (PDF/A-2b): the structure tree, the XMP
//! metadata and the OutputIntent, added to printpdf's output with lopdf. With
//! [`super::emit`], the only file that touches lopdf.
//!
//! The writer asks [`mark_of`] how to mark each placed item: as an artifact (page
//! furniture, decorative rules) or as content of a structure element, keyed by its
//! [`Origin`]. It records, per page, the origin of each marked-content sequence (its MCID is
//! the index). [`structure`] then builds the tree in the model's reading order and hangs
//! the MCIDs and link annotations under the elements their origins name. New kinds of
//! item (figures, tables, notes) get their role in [`mark_of`] and [`block_role`].

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use crate::Diagnostic;
use crate::model::{Block, BlockKind, Document};

use super::layout::{Front, Item, Origin, Placed};

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

/// How an item is marked in the content stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `/Artifact BMC … EMC`: not part of the structure tree.
    Artifact,
    /// `/<tag> <</MCID n>> BDC … EMC`, owned by the structure element of this origin.
    Content(Origin),
}

/// The mark of a placed item. Furniture and rules (letterhead and header rules, quotation
/// bars, thematic breaks, strike-through) are artifacts; text is content of its block.
/// (Images: `Item::Image(i) if i.decorative => Mark::Artifact`, else content, with its alt
/// text checked by [`check_alt`].)
pub fn mark_of(p: &Placed) -> Option<Mark> {
    match (&p.item, p.origin) {
        (_, Origin::Furniture) => Some(Mark::Artifact),
        (Item::Rule(_), _) => Some(Mark::Artifact),
        (Item::Text(_), o) => Some(Mark::Content(o)),
        // Link areas paint nothing: they become annotations.
        (Item::Link(_), _) => None,
        // Images are painted by emit.rs's image pass in a content stream of their own,
        // marked there as artifacts (not yet as Figure elements with /Alt: see issue 10).
        (Item::Image(_), _) => None,
    }
}

/// The tag of a content sequence (the structure element says what it is).
pub fn content_tag(_o: Origin) -> &'static str {
    "Span"
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
        | Front::EndMark => "P",
    }
}

/// The structure type of a leaf block (one whose text is painted under its own origin);
/// `None` for blocks that are containers or paint nothing taggable.
pub fn block_role(b: &Block) -> Option<&'static str> {
    match &b.kind {
        BlockKind::Heading { level, .. } => Some(match level {
            1 => "H1",
            2 => "H2",
            3 => "H3",
            4 => "H4",
            5 => "H5",
            _ => "H6",
        }),
        BlockKind::Paragraph(_) => Some("P"),
        BlockKind::CodeBlock { .. } => Some("Code"),
        // Until tables are laid out as cells (Table > TR > TH/TD), a table's rows are lines
        // of text.
        BlockKind::Table(_) => Some("P"),
        BlockKind::BlockQuote(_)
        | BlockKind::List(_)
        | BlockKind::ThematicBreak
        | BlockKind::RawHtml(_) => None,
    }
}

/// A link annotation to hang in the tree.
pub struct LinkAnnot {
    pub page: usize,
    pub origin: Origin,
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
    origin: Option<Origin>,
    alt: Option<String>,
}

struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    fn add(&mut self, parent: usize, role: &'static str, origin: Option<Origin>) -> usize {
        let i = self.nodes.len();
        self.nodes.push(Node {
            role,
            parent,
            kids: Vec::new(),
            origin,
            alt: None,
        });
        self.nodes[parent].kids.push(Kid::Node(i));
        i
    }

    fn find(&self, o: Origin) -> Option<usize> {
        self.nodes.iter().position(|n| n.origin == Some(o))
    }

    fn blocks(&mut self, parent: usize, blocks: &[Block], about: bool) {
        for b in blocks {
            let origin = if about {
                Origin::About(b.id)
            } else {
                Origin::Block(b.id)
            };
            match &b.kind {
                BlockKind::BlockQuote(inner) => {
                    let q = self.add(parent, "BlockQuote", None);
                    self.blocks(q, inner, about);
                }
                BlockKind::List(list) => {
                    let l = self.add(parent, "L", None);
                    for item in &list.items {
                        let li = self.add(l, "LI", None);
                        let body = self.add(li, "LBody", None);
                        self.blocks(body, &item.blocks, about);
                    }
                }
                _ => {
                    if let Some(role) = block_role(b) {
                        self.add(parent, role, Some(origin));
                    }
                }
            }
        }
    }

    /// Whether a node holds any content (after the MCIDs are attached).
    fn has_content(&self, i: usize) -> bool {
        self.nodes[i].kids.iter().any(|k| match k {
            Kid::Node(n) => self.has_content(*n),
            _ => true,
        })
    }
}

/// The tree's skeleton in reading order: front matter, body, "About", end mark.
fn skeleton(doc: &Document) -> Tree {
    let mut t = Tree {
        nodes: vec![Node {
            role: "Document",
            parent: 0,
            kids: Vec::new(),
            origin: None,
            alt: None,
        }],
    };
    for f in [
        Front::Letterhead,
        Front::Release,
        Front::Date,
        Front::Contacts,
        Front::Headline,
        Front::Subtitle,
    ] {
        t.add(0, front_role(f), Some(Origin::Front(f)));
    }
    t.blocks(0, &doc.blocks, false);
    // Footnotes, in number order, after the body they annotate.
    for note in &doc.footnotes {
        let n = t.add(0, "Note", None);
        t.blocks(n, &note.blocks, false);
    }
    t.add(0, "H2", Some(Origin::Front(Front::AboutHeading)));
    t.blocks(0, &doc.meta.about, true);
    t.add(0, "P", Some(Origin::Front(Front::EndMark)));
    t
}

/// Builds the structure tree and everything PDF/UA asks of the catalog, pages and
/// annotations. `marks[page][mcid]` is the origin of each marked-content sequence.
pub fn structure(
    lo: &mut lopdf::Document,
    doc: &Document,
    pages: &[ObjectId],
    marks: &[Vec<Origin>],
    links: &[LinkAnnot],
) -> Result<(), Diagnostic> {
    let mut t = skeleton(doc);
    for (page, origins) in marks.iter().enumerate() {
        for (mcid, o) in origins.iter().enumerate() {
            let Some(n) = t.find(*o) else {
                return Err(Diagnostic::error(format!(
                    "untagged content on page {}: {o:?} has no structure element",
                    page + 1
                )));
            };
            t.nodes[n].kids.push(Kid::Mcr { page, mcid });
        }
    }
    for l in links {
        let Some(n) = t.find(l.origin) else {
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
    check_headings(&t)?;

    // Object ids for the nodes that hold content, in tree order.
    let root_id = lo.new_object_id();
    let ids: Vec<Option<ObjectId>> = (0..t.nodes.len())
        .map(|i| t.has_content(i).then(|| lo.new_object_id()))
        .collect();
    let mut parent_of_mcid: Vec<Vec<Object>> =
        marks.iter().map(|m| vec![Object::Null; m.len()]).collect();
    let mut annot_parent: Vec<(ObjectId, ObjectId)> = Vec::new();
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
        d.set("K", kids);
        lo.objects.insert(id, Object::Dictionary(d));
    }

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
    let mut key = marks.len() as i64;
    for (annot, parent) in annot_parent {
        if let Ok(d) = lo.get_dictionary_mut(annot) {
            d.set("StructParent", key);
        }
        nums.push(Object::Integer(key));
        nums.push(Object::Reference(parent));
        key += 1;
    }
    // Pages without marked content still get their /Tabs and /StructParents.
    for (i, &pg) in pages.iter().enumerate().skip(marks.len()) {
        if let Ok(d) = lo.get_dictionary_mut(pg) {
            d.set("Tabs", "S");
            d.set("StructParents", i as i64);
        }
    }
    let mut pt = Dictionary::new();
    pt.set("Nums", nums);
    let pt_id = lo.add_object(pt);
    let mut root = Dictionary::new();
    root.set("Type", "StructTreeRoot");
    if let Some(doc_id) = ids[0] {
        root.set("K", vec![Object::Reference(doc_id)]);
    }
    root.set("ParentTree", Object::Reference(pt_id));
    root.set("ParentTreeNextKey", key);
    lo.objects.insert(root_id, Object::Dictionary(root));
    if let Ok(cat) = lo.catalog_mut() {
        cat.set("StructTreeRoot", Object::Reference(root_id));
        let mut mi = Dictionary::new();
        mi.set("Marked", true);
        cat.set("MarkInfo", mi);
    }
    Ok(())
}

/// Fails on a heading level that skips (H1 → H3) in reading order.
fn check_headings(t: &Tree) -> Result<(), Diagnostic> {
    let mut prev = 0u8;
    for (i, n) in t.nodes.iter().enumerate() {
        let Some(level) = n.role.strip_prefix('H').and_then(|l| l.parse::<u8>().ok()) else {
            continue;
        };
        if !t.has_content(i) {
            continue;
        }
        if level > prev + 1 {
            let at = if prev == 0 {
                "at the start".to_string()
            } else {
                format!("after a level-{prev} heading")
            };
            return Err(Diagnostic::error(format!(
                "a level-{level} heading comes {at}; PDF/UA does not allow heading levels to skip"
            ))
            .help("the headline is level 1: start the body's headings at ## and go down one level at a time"));
        }
        prev = level;
    }
    Ok(())
}

/// A PDF text string: printable ASCII as a literal, anything else UTF-16BE.
fn text_string(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(b, StringFormat::Hexadecimal)
    }
}

/// The sRGB profile of the OutputIntent (Debian's icc-profiles-free; see `icc/LICENSE`).
const SRGB_ICC: &[u8] = include_bytes!("icc/sRGB.icc");

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
        let icc_id = lo.add_object(Stream::new(icc, SRGB_ICC.to_vec()));
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
