//! The writer: pages of positioned items into PDF bytes. The only file that talks to
//! printpdf, and (for what printpdf lacks: document info, `/Lang`, `DisplayDocTitle`, an
//! outline in document order, borderless link annotations and a content-derived `/ID`)
//! to lopdf.
//!
//! Glyphs are written as glyph ids, each with the source text it stands for, so the
//! ToUnicode map gives the text back; positions (kerning, justification) are TJ offsets.

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Codepoint, Color, DictItem, FontId, Line as PLine, LinePoint, Op, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};

use crate::model::{DateTime, Document};
use crate::{Diagnostic, VERSION};

use super::PdfOptions;
use super::design::LaidOut;
use super::embed;
use super::fonts::{FaceId, FontBook};
use super::layout::{GlyphText, Item, OutlineEntry, Role};
use super::shape::Rgb;
use super::tagged::{self, Mark, Marked};
use super::type3;

/// The font a stretch of glyphs is shown in: a face's Type 0 font, or a Type 3 font of the
/// plan (colour emoji, the replacement glyph).
#[derive(Debug, Clone, Copy, PartialEq)]
enum FontKey {
    Face(FaceId),
    Type3(usize),
}

/// Writes the laid-out pages as a PDF.
///
/// Each page's operators are encoded by printpdf (a one-page document) and Flate-compressed
/// as soon as they are made, and the page's glyphs let go: the document's pages are never
/// held as operators, nor as uncompressed content, all at once. printpdf then writes the
/// document's page tree with empty pages, whose contents are set to the encoded ones.
pub fn write(
    doc: &Document,
    book: &FontBook,
    mut laid: LaidOut,
    opts: &PdfOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let tag = opts.standards.ua1;
    // What the pages' glyphs say of the document, read page by page (a long document's
    // pages are packed: each is unpacked for this, then let go).
    let mut used = Used::default();
    let mut planner = type3::Planner::default();
    let mut link_texts: Vec<Vec<String>> = Vec::with_capacity(laid.pages.len());
    let mut link_parts: Vec<Vec<tagged::Part>> = Vec::with_capacity(laid.pages.len());
    for page in &laid.pages {
        let page = page.unpacked();
        if tag {
            for p in &page.items {
                check_glyphs(p)?;
            }
        }
        used.note_page(book, &page);
        planner.note(book, &page);
        link_texts.push(link_texts_of(&page));
        link_parts.push(link_parts_of(&page));
    }
    let subsets = subsets(book, used, tag);
    let plan = planner.plan;
    let bare = if tag {
        tagged::bare_labels(doc)
    } else {
        Vec::new()
    };
    let cx = PageCx {
        book,
        plan: &plan,
        subsets: &subsets,
        bare: &bare,
        tag,
        height: laid.geometry.height,
    };
    // The font programs (subsetting and compressing them is a good part of the work) are
    // made on another thread, when one is free, while the pages are written: in a batch, whose
    // statements run on rayon's threads. One statement, on the main thread, makes them after
    // the pages (starting a thread pool for it costs more page faults than it saves).
    let title = &doc.meta.title;
    let mut pages = || write_pages(&cx, &mut laid, title);
    let make_programs = || (font_programs(book, &subsets), type3::make(book, &plan));
    let ((mut lo, marks), programs) = if rayon::current_thread_index().is_some() {
        rayon::join(pages, make_programs)
    } else {
        (pages(), make_programs())
    };
    let (programs, made) = programs;
    add_fonts(&mut lo, &subsets, programs?);
    add_type3_fonts(&mut lo, &plan, made);
    let raw = post_process(&mut lo, doc, &laid, opts, marks, &link_texts, &link_parts)?;
    // What the pages were laid out as is written: let it go before the file is made.
    drop((laid, link_texts, link_parts));
    compress(&mut lo);
    release_packer();
    save(lo, raw, opts)
}

/// The finished document as bytes, with its `/ID`.
fn save(
    mut lo: lopdf::Document,
    raw: objstm::Raw,
    opts: &PdfOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::new();
    let saved = if opts.standards.ua1 || opts.standards.a2b {
        // Object streams: the structure tree is many small dictionaries.
        objstm::save(lo, raw).map(|b| bytes = b)
    } else {
        lo.save_to(&mut bytes).map_err(std::io::Error::other)
    };
    saved.map_err(|e| Diagnostic::error(format!("could not write the PDF: {e}")))?;
    set_id(&mut bytes);
    Ok(bytes)
}

/// The file with object streams and a cross-reference stream, byte for byte as lopdf's
/// `save_with_options` writes it (1,000 objects a stream, compression level 6), without its
/// copy of every object that goes into an object stream: each stream's objects are moved out
/// of the document when the stream is made, and let go once it is written. (For a 20 MB
/// statement lopdf's copy, of the whole structure tree, cost about 100 MB.)
pub(super) mod objstm {
    use std::io::Write;

    use lopdf::xref::{Xref, XrefEntry, XrefType};
    use lopdf::{Object, ObjectId, ObjectStream};

    const PER_STREAM: usize = 1000;

    /// Objects written out already (as [`serialized`]), in increasing id order: not in the
    /// document's objects, they go into its object streams in their place. A long statement's
    /// structure elements take about 30 bytes each this way, several hundred as lopdf's
    /// dictionaries.
    pub type Raw = Vec<(ObjectId, Vec<u8>)>;

    /// An object that goes into an object stream: one of the document's, or a written one.
    enum Member {
        Object(ObjectId),
        Raw(ObjectId, Vec<u8>),
    }

    impl Member {
        fn id(&self) -> ObjectId {
            match self {
                Member::Object(id) | Member::Raw(id, _) => *id,
            }
        }
    }

    /// Which objects go into object streams (in groups, in id order) and which are written as
    /// they are; and a size the file will not exceed.
    fn sort(lo: &lopdf::Document, raw: Raw) -> (Vec<Vec<Member>>, Vec<ObjectId>, usize) {
        let mut groups: Vec<Vec<Member>> = Vec::new();
        let mut direct: Vec<ObjectId> = Vec::new();
        let mut size = 1024;
        let mut raw = raw.into_iter().peekable();
        let push = |groups: &mut Vec<Vec<Member>>, m: Member| match groups.last_mut() {
            Some(g) if g.len() < PER_STREAM => g.push(m),
            _ => groups.push(vec![m]),
        };
        for (&id, object) in &lo.objects {
            while let Some((rid, bytes)) = raw.next_if(|(rid, _)| *rid < id) {
                size += bytes.len() + 32;
                push(&mut groups, Member::Raw(rid, bytes));
            }
            if let Object::Stream(st) = object {
                if st.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"ObjStm") {
                    continue;
                }
                size += st.content.len() + 256;
            } else {
                size += 256;
            }
            if id.1 == 0 && ObjectStream::can_be_compressed(id, object, lo) {
                push(&mut groups, Member::Object(id));
            } else {
                direct.push(id);
            }
        }
        for (rid, bytes) in raw {
            size += bytes.len() + 32;
            push(&mut groups, Member::Raw(rid, bytes));
        }
        (groups, direct, size)
    }

    pub fn save(mut lo: lopdf::Document, raw: Raw) -> std::io::Result<Vec<u8>> {
        if lo.version.as_str() < "1.5" {
            lo.version = "1.5".to_string();
        }
        let (groups, direct, size) = sort(&lo, raw);
        // More than the file needs, so that it is never copied to grow: the pages of it that
        // are not written are never touched.
        let mut out = Vec::with_capacity(size);
        writeln!(out, "%PDF-{}", lo.version)?;
        if !lo.binary_mark.iter().all(|&b| b >= 128) {
            return Err(std::io::Error::other("Invalid binary mark"));
        }
        out.push(b'%');
        out.extend_from_slice(&lo.binary_mark);
        out.push(b'\n');
        let mut xref = Xref::new(lo.max_id + 1, XrefType::CrossReferenceStream);
        for id in direct {
            if let Some(object) = lo.objects.get(&id) {
                indirect(&mut out, id, object, &mut xref)?;
            }
        }
        let streams = groups.len() as u32;
        for (k, group) in groups.into_iter().enumerate() {
            let stream_id = lo.max_id + 1 + k as u32;
            let mut members = Vec::with_capacity(group.len());
            for (index, m) in group.into_iter().enumerate() {
                let id = m.id();
                let bytes = match m {
                    Member::Raw(_, bytes) => bytes,
                    Member::Object(id) => match lo.objects.remove(&id) {
                        Some(object) => serialized(&object)?,
                        None => continue,
                    },
                };
                let (container, index) = (stream_id, index as u16);
                xref.insert(id.0, XrefEntry::Compressed { container, index });
                members.push((id.0, bytes));
            }
            let st = object_stream(members)?;
            indirect(&mut out, (stream_id, 0), &Object::Stream(st), &mut xref)?;
        }
        lo.max_id += streams;
        xref_stream(&mut out, &mut lo, &mut xref)?;
        Ok(out)
    }

    /// An object stream of written objects, as lopdf's `ObjectStream::to_stream_object`
    /// makes it (compressed at level 6).
    fn object_stream(members: Vec<(u32, Vec<u8>)>) -> std::io::Result<lopdf::Stream> {
        let n = members.len() as i64;
        let mut table = Vec::with_capacity(members.len());
        let mut at = 0;
        for (id, bytes) in &members {
            table.push(format!("{id} {at}"));
            at += bytes.len() + 1;
        }
        let table = table.join(" ") + " ";
        let mut content = Vec::with_capacity(table.len() + at);
        content.extend_from_slice(table.as_bytes());
        for (_, bytes) in &members {
            content.extend_from_slice(bytes);
            content.push(b' ');
        }
        drop(members);
        let mut dict = lopdf::Dictionary::new();
        dict.set("Type", "ObjStm");
        dict.set("N", n);
        dict.set("First", table.len() as i64);
        let mut stream = lopdf::Stream::new(dict, content);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&stream.content)?;
        let packed = z.finish()?;
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(packed);
        Ok(stream)
    }

    /// The cross-reference stream, the trailer's `startxref` and `%%EOF`.
    fn xref_stream(
        out: &mut Vec<u8>,
        lo: &mut lopdf::Document,
        xref: &mut Xref,
    ) -> std::io::Result<()> {
        let start = out.len();
        lo.max_id += 1;
        let id = lo.max_id;
        xref.insert(
            id,
            XrefEntry::Normal {
                offset: start as u32,
                generation: 0,
            },
        );
        let trailer = &mut lo.trailer;
        trailer.set("Type", Object::Name(b"XRef".to_vec()));
        trailer.set("Size", i64::from(id + 1));
        trailer.set("W", vec![1.into(), 4.into(), 2.into()]);
        let (content, index) = xref_content(xref);
        trailer.set("Index", index);
        trailer.remove(b"Filter");
        trailer.set("Length", content.len() as i64);
        let stream = lopdf::Stream {
            dict: trailer.clone(),
            allows_compression: true,
            content,
            start_position: None,
        };
        indirect(out, (id, 0), &Object::Stream(stream), xref)?;
        write!(out, "\nstartxref\n{start}\n%%EOF")
    }

    /// The entries of the cross-reference stream (widths 1, 4, 2) and its `/Index`.
    fn xref_content(xref: &Xref) -> (Vec<u8>, Object) {
        let mut content = Vec::new();
        let mut index: Vec<Object> = Vec::new();
        let mut section: Option<(u32, u32)> = None;
        let mut close = |section: &mut Option<(u32, u32)>| {
            if let Some((start, n)) = section.take() {
                index.push(i64::from(start).into());
                index.push(i64::from(n).into());
            }
        };
        for id in 1..xref.size {
            let Some(entry) = xref.get(id) else {
                close(&mut section);
                continue;
            };
            match section.as_mut() {
                Some((_, n)) => *n += 1,
                None => section = Some((id, 1)),
            }
            let (kind, field, last) = match *entry {
                XrefEntry::Free => (0, id, 0),
                XrefEntry::UnusableFree => (0, id, 65535),
                XrefEntry::Normal { offset, generation } => (1, offset, generation),
                XrefEntry::Compressed { container, index } => (2, container, index),
            };
            content.push(kind);
            content.extend(field.to_be_bytes());
            content.extend(last.to_be_bytes());
        }
        close(&mut section);
        (content, Object::Array(index))
    }

    /// An indirect object, as lopdf's writer writes it.
    fn indirect(
        out: &mut Vec<u8>,
        id: ObjectId,
        object: &Object,
        xref: &mut Xref,
    ) -> std::io::Result<()> {
        let offset = out.len() as u32;
        xref.insert(
            id.0,
            XrefEntry::Normal {
                offset,
                generation: id.1,
            },
        );
        let spaced = matches!(
            object,
            Object::Null
                | Object::Boolean(_)
                | Object::Integer(_)
                | Object::Real(_)
                | Object::Reference(_)
        );
        write!(
            out,
            "{} {} obj\n{}",
            id.0,
            id.1,
            if spaced { " " } else { "" }
        )?;
        match object {
            Object::Stream(st) => {
                out.extend_from_slice(&serialized(&Object::Dictionary(st.dict.clone()))?);
                out.extend_from_slice(b"stream\n");
                out.extend_from_slice(&st.content);
                out.extend_from_slice(b"\nendstream");
            }
            other => out.extend_from_slice(&serialized(other)?),
        }
        let end_spaced = spaced || matches!(object, Object::Name(_) | Object::Stream(_));
        writeln!(out, "{}\nendobj", if end_spaced { " " } else { "" })
    }

    /// A (non-stream) object as lopdf's writer writes it: the one object of an object
    /// stream's content, after its offset table ("1 0 ") and before its separator (" ").
    pub fn serialized(object: &Object) -> std::io::Result<Vec<u8>> {
        let mut os = ObjectStream::builder().max_objects(1).build();
        os.add_object((1, 0), object.clone())
            .map_err(std::io::Error::other)?;
        let content = os.build_stream_content().map_err(std::io::Error::other)?;
        let body = content
            .strip_prefix(b"1 0 ".as_slice())
            .and_then(|c| c.strip_suffix(b" ".as_slice()))
            .ok_or_else(|| std::io::Error::other("unexpected object stream"))?;
        Ok(body.to_vec())
    }
}

/// What writing a page's operators needs of the document: the fonts, the Type 3 plan and
/// whether (and how) the content is tagged.
struct PageCx<'a> {
    book: &'a FontBook,
    plan: &'a type3::Plan,
    subsets: &'a [Option<embed::Subset>],
    /// The markers of list items that hold only artifacts (`- ***`): artifacts too.
    bare: &'a [super::layout::Origin],
    tag: bool,
    /// The page height (PDF's y axis goes up).
    height: f32,
}

/// A page's content, encoded: Flate-compressed (as [`compress`] would), or as it is when
/// compressing does not make it smaller or when [`images`] has yet to draw its images.
enum Content {
    Packed(Vec<u8>),
    Raw(Vec<u8>),
}

/// Every page's content encoded one page at a time (its glyphs let go once encoded), then
/// printpdf's document of the (empty) pages with those contents; and each page's
/// marked-content sequences.
fn write_pages(
    cx: &PageCx,
    laid: &mut LaidOut,
    title: &str,
) -> (lopdf::Document, Vec<Vec<Marked>>) {
    let geo = laid.geometry;
    let mut marks: Vec<Vec<Marked>> = Vec::with_capacity(laid.pages.len());
    let mut contents = Vec::with_capacity(laid.pages.len());
    let mut pdf = PdfDocument::new("");
    pdf.metadata.info.document_title = title.to_string();
    for page in &mut laid.pages {
        let packed = page.packed.is_packed();
        page.unpack();
        let (ops, page_marks) = page_ops(cx, page);
        if packed {
            // Drawn: let the glyphs go now (the page came packed, so they are few).
            drop_glyphs(page);
        }
        marks.push(page_marks);
        let raw = encode_page(pdf_page(&geo, ops));
        // A page with images is compressed once they are drawn (see `images`).
        let has_images = page.items.iter().any(|p| matches!(p.item, Item::Image(_)));
        contents.push(match pack(&raw) {
            Some(mut packed) if !has_images && packed.len() < raw.len() => {
                // Held until the file is saved: without the compressor's spare room (it
                // starts at half the raw length; a page packs to about a fifth).
                packed.shrink_to_fit();
                Content::Packed(packed)
            }
            _ => Content::Raw(raw),
        });
        pdf.pages.push(pdf_page(&geo, Vec::new()));
    }
    // The glyphs are in the contents now: let them go, all at once (freed page by page,
    // between the pages' own allocations, they left the allocator so many scattered holes
    // that a 20 MB statement took twice as long to write).
    laid.pages.iter_mut().for_each(drop_glyphs);
    let mut lo = pdf.to_lopdf_document(&save_options(), &mut Vec::new());
    set_contents(&mut lo, contents);
    (lo, marks)
}

/// Lets go of the glyphs of a page's runs.
fn drop_glyphs(page: &mut super::layout::Page) {
    for p in &mut page.items {
        if let Item::Text(run) = &mut p.item {
            run.glyphs = Vec::new();
        }
    }
}

fn save_options() -> PdfSaveOptions {
    PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    }
}

fn pdf_page(geo: &super::layout::Geometry, ops: Vec<Op>) -> PdfPage {
    let size = Rect::from_wh(Pt(geo.width), Pt(geo.height));
    PdfPage {
        media_box: size.clone(),
        trim_box: size.clone(),
        crop_box: size,
        ops,
    }
}

/// A page's operators as printpdf encodes them: the content stream of a one-page document.
fn encode_page(page: PdfPage) -> Vec<u8> {
    let mut one = PdfDocument::new("");
    one.pages.push(page);
    let mut lo = one.to_lopdf_document(&save_options(), &mut Vec::new());
    let Some(content) = first_page_content(&lo) else {
        return Vec::new();
    };
    match lo.objects.remove(&content) {
        Some(Object::Stream(s)) => s.content,
        _ => Vec::new(),
    }
}

/// The content stream of a page (the first of its contents).
fn page_content(lo: &lopdf::Document, page: ObjectId) -> Option<ObjectId> {
    match lo.get_dictionary(page).ok()?.get(b"Contents").ok()? {
        Object::Reference(r) => Some(*r),
        Object::Array(a) => a.first().and_then(|o| o.as_reference().ok()),
        _ => None,
    }
}

fn first_page_content(lo: &lopdf::Document) -> Option<ObjectId> {
    let page = *lo.get_pages().values().next()?;
    page_content(lo, page)
}

/// Puts the encoded contents into the pages' (empty) content streams, in page order, as
/// [`compress`] would have left them.
fn set_contents(lo: &mut lopdf::Document, contents: Vec<Content>) {
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for (page, content) in pages.into_iter().zip(contents) {
        let Some(id) = page_content(lo, page) else {
            continue;
        };
        let Ok(Object::Stream(st)) = lo.get_object_mut(id) else {
            continue;
        };
        match content {
            Content::Packed(bytes) => {
                st.dict.set("Filter", "FlateDecode");
                st.set_content(bytes);
            }
            Content::Raw(bytes) => st.set_content(bytes),
        }
    }
}

/// The pen of a page's text object: the font and colour set, and the current line start.
#[derive(Default)]
struct Pen {
    font: Option<(FontKey, f32)>,
    color: Option<Rgb>,
    at: (f32, f32),
}

impl Pen {
    fn set_color(&mut self, ops: &mut Vec<Op>, c: Rgb) {
        if self.color != Some(c) {
            ops.push(Op::SetFillColor { col: color(c) });
            self.color = Some(c);
        }
    }

    /// Moves to `(x, y)` with `Td`, relative to the previous line start (printpdf writes
    /// it as is; an absolute `Tm` would make it re-measure every glyph).
    fn move_to(&mut self, ops: &mut Vec<Op>, x: f32, y: f32) {
        let (x, y) = (round3(x), round3(y));
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(round3(x - self.at.0)),
                y: Pt(round3(y - self.at.1)),
            },
        });
        self.at = (x, y);
    }
}

/// A page's operators (rules first, then the text in one text object, images drawn in
/// reading order) and its marked-content sequences (the MCID is the index).
fn page_ops(cx: &PageCx, page: &super::layout::Page) -> (Vec<Op>, Vec<Marked>) {
    let mut ops = Vec::new();
    let mut marks: Vec<Marked> = Vec::new();
    for p in &page.items {
        if let Item::Rule(r) = &p.item {
            let mark = tagged::mark_of(p);
            if cx.tag {
                open_mark(&mut ops, mark, &mut marks);
            }
            rule_ops(&mut ops, r, cx.height);
            if cx.tag && mark.is_some() {
                ops.push(Op::EndMarkedContent);
            }
        }
    }
    ops.push(Op::StartTextSection);
    let mut open: Option<Mark> = None;
    let spaces = if cx.tag {
        space_after(cx.book, &page.items)
    } else {
        Vec::new()
    };
    let mut pen = Pen::default();
    for pi in text_order(&page.items) {
        let p = &page.items[pi];
        let mark = tagged::mark_in(p, cx.bare);
        if let Item::Image(b) = &p.item {
            // Drawn here, in reading order, outside the text object: a placeholder that
            // `images` replaces with the drawing.
            if cx.tag && open.is_some() {
                ops.push(Op::EndMarkedContent);
            }
            open = None;
            image_ops(cx, &mut ops, b, pi, mark, &mut marks);
            // A new text object starts at the origin.
            pen.at = (0.0, 0.0);
            pen.font = None;
            continue;
        }
        let Item::Text(run) = &p.item else {
            continue;
        };
        let space = spaces.get(pi).copied().unwrap_or(false);
        text_ops(cx, &mut ops, run, space, &mut pen, |ops| {
            if cx.tag && mark != open {
                if open.is_some() {
                    ops.push(Op::EndMarkedContent);
                }
                open_mark(ops, mark, &mut marks);
                open = mark;
            }
        });
    }
    if open.is_some() {
        ops.push(Op::EndMarkedContent);
    }
    ops.push(Op::EndTextSection);
    (ops, marks)
}

/// A horizontal rule.
fn rule_ops(ops: &mut Vec<Op>, r: &super::layout::Rule, height: f32) {
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor {
        col: color(r.color),
    });
    ops.push(Op::SetOutlineThickness {
        pt: Pt(r.thickness),
    });
    let y = height - r.y;
    let point = |x: f32| LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    };
    ops.push(Op::DrawLine {
        line: PLine {
            points: vec![point(r.x0), point(r.x1)],
            is_closed: false,
        },
    });
    ops.push(Op::RestoreGraphicsState);
}

/// An image's placeholder (item `pi` of its page), between two text objects, in its
/// marked-content sequence (whose bounding box it gives).
fn image_ops(
    cx: &PageCx,
    ops: &mut Vec<Op>,
    b: &super::layout::ImageBox,
    pi: usize,
    mark: Option<Mark>,
    marks: &mut Vec<Marked>,
) {
    ops.push(Op::EndTextSection);
    if cx.tag {
        open_mark(ops, mark, marks);
        if let (Some(Mark::Content(..)), Some(m)) = (mark, marks.last_mut()) {
            let (x0, y0) = (round3(b.x), round3(cx.height - b.y - b.height));
            m.bbox = Some([x0, y0, x0 + round3(b.width), y0 + round3(b.height)]);
        }
    }
    ops.push(Op::BeginMarkedContent {
        tag: image_placeholder(pi),
    });
    ops.push(Op::EndMarkedContent);
    if cx.tag && mark.is_some() {
        ops.push(Op::EndMarkedContent);
    }
    ops.push(Op::StartTextSection);
}

/// A run of glyphs (`space`: with a word space after it, see [`space_after`]); `open` opens
/// its marked-content sequence when it is drawn at all.
fn text_ops(
    cx: &PageCx,
    ops: &mut Vec<Op>,
    run: &super::layout::GlyphRun,
    space: bool,
    pen: &mut Pen,
    open: impl FnOnce(&mut Vec<Op>),
) {
    let book = cx.book;
    let subset = cx.subsets.get(run.face.0 as usize).and_then(Option::as_ref);
    // Glyphs drawn by Type 3 fonts: colour emoji, and characters no face has.
    let special = book.face(run.face).raster
        || run.glyphs.iter().any(|g| {
            g.gid == 0
                || (run.face == book.emoji_fallback()
                    && cx.plan.lookup(book, run.face, g.gid, &g.text).is_some())
        });
    if subset.is_none() && !special {
        return;
    }
    open(ops);
    let at = (run.x, cx.height - run.y);
    if special {
        pen.set_color(ops, run.color);
        show_mixed(ops, book, cx.plan, subset, run, at, space, pen);
        return;
    }
    let Some(subset) = subset else { return };
    if pen.font != Some((FontKey::Face(run.face), run.size)) {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font_name(run.face.0 as usize)),
            size: Pt(run.size),
        });
        pen.font = Some((FontKey::Face(run.face), run.size));
    }
    pen.set_color(ops, run.color);
    let face = book.face(run.face);
    let mut cps = Vec::with_capacity(run.glyphs.len() + 1);
    for (i, g) in run.glyphs.iter().enumerate() {
        // The viewer advances by the /W width; the TJ number moves the pen on to where
        // the next glyph belongs.
        let offset = match run.glyphs.get(i + 1) {
            Some(next) => {
                let adv = (next.x - g.x) * 1000.0 / run.size;
                ((face.pdf_width(g.gid) - adv) * 10.0).round() / 10.0
            }
            None => 0.0,
        };
        // The text comes back through our ToUnicode map (see `embed`).
        cps.push(Codepoint {
            gid: subset.new_gid(g.gid),
            offset,
            cid: None,
        });
    }
    if space && let Some(sp) = space_gid(book, run.face.0 as usize) {
        // An invisible word space where the line (or column) ends, so that text extraction
        // and assistive technology read "the new", not "thenew".
        cps.push(Codepoint {
            gid: subset.new_gid(sp),
            offset: 0.0,
            cid: None,
        });
    }
    pen.move_to(ops, at.0, at.1);
    ops.push(Op::ShowText {
        items: vec![TextItem::GlyphIds(cps)],
    });
}

/// Fails on a glyph that assistive technology cannot read: one without text. (Glyph 0 is
/// never `.notdef` in the PDF: it is drawn as the replacement glyph, with its text.)
pub fn check_glyphs(p: &super::layout::Placed) -> Result<(), Diagnostic> {
    let Item::Text(run) = &p.item else {
        return Ok(());
    };
    if run.glyphs.first().is_some_and(|g| g.text.is_empty()) {
        return Err(Diagnostic::error(
            "a glyph has no Unicode mapping, which PDF/UA forbids",
        ));
    }
    Ok(())
}

/// The visible text of each link area of a page, in order: the glyphs of its block's
/// runs that lie inside the area.
fn link_texts_of(page: &super::layout::Page) -> Vec<String> {
    let mut out = Vec::new();
    for p in &page.items {
        let Item::Link(l) = &p.item else { continue };
        let mut t = String::new();
        for q in &page.items {
            let Item::Text(run) = &q.item else { continue };
            if q.origin != p.origin || run.y < l.y0 || run.y > l.y1 {
                continue;
            }
            for g in &run.glyphs {
                let x = run.x + g.x;
                if x >= l.x0 - 0.01 && x < l.x1 - 0.01 {
                    t.push_str(&g.text);
                }
            }
        }
        out.push(t.trim().to_string());
    }
    out
}

/// The part of its block each link area of a page lies in (a table cell's, say): that of
/// the first run of its block inside it. (Taken before the writer lets the glyphs go.)
fn link_parts_of(page: &super::layout::Page) -> Vec<tagged::Part> {
    let mut out = Vec::new();
    for p in &page.items {
        let Item::Link(l) = &p.item else { continue };
        let part = page
            .items
            .iter()
            .filter(|q| q.origin == p.origin)
            .find_map(|q| {
                let Item::Text(run) = &q.item else {
                    return None;
                };
                let x = run.x + run.glyphs.first()?.x;
                let inside = run.y >= l.y0 && run.y <= l.y1 && x >= l.x0 - 0.01 && x < l.x1 - 0.01;
                match (inside, tagged::mark_of(q)) {
                    (true, Some(Mark::Content(_, part))) => Some(part),
                    _ => None,
                }
            })
            .unwrap_or(tagged::Part::Text);
        out.push(part);
    }
    out
}

/// Shows a run that has glyphs drawn by Type 3 fonts: one text-showing operation per
/// stretch of glyphs in one font, each placed where its first glyph belongs (`at` is the
/// run's origin in PDF coordinates; `pen` the current line start, as in [`write`]).
#[allow(clippy::too_many_arguments)]
fn show_mixed(
    ops: &mut Vec<Op>,
    book: &FontBook,
    plan: &type3::Plan,
    subset: Option<&embed::Subset>,
    run: &super::layout::GlyphRun,
    at: (f32, f32),
    space: bool,
    pen: &mut Pen,
) {
    let face = book.face(run.face);
    let targets: Vec<(FontKey, u16)> = run
        .glyphs
        .iter()
        .map(
            |g| match plan.lookup(book, run.face, g.gid, g.text.as_str()) {
                Some((f, code)) => (FontKey::Type3(f), code as u16),
                None => (
                    FontKey::Face(run.face),
                    subset.map_or(0, |s| s.new_gid(g.gid)),
                ),
            },
        )
        .collect();
    let width = |i: usize| match targets[i].0 {
        FontKey::Type3(f) => plan.width(book, f, targets[i].1 as u8),
        FontKey::Face(_) => face.pdf_width(run.glyphs[i].gid),
    };
    let n = run.glyphs.len();
    let mut k = 0;
    while k < n {
        let key = targets[k].0;
        let mut e = k + 1;
        while e < n && targets[e].0 == key {
            e += 1;
        }
        if pen.font != Some((key, run.size)) {
            let id = match key {
                FontKey::Face(f) => font_name(f.0 as usize),
                FontKey::Type3(i) => FontId(plan.fonts[i].resource.clone()),
            };
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(run.size),
            });
            pen.font = Some((key, run.size));
        }
        let mut cps = Vec::new();
        let mut items = Vec::new();
        for (i, &(_, code)) in targets.iter().enumerate().take(e).skip(k) {
            let offset = if i + 1 < e {
                let adv = (run.glyphs[i + 1].x - run.glyphs[i].x) * 1000.0 / run.size;
                ((width(i) - adv) * 10.0).round() / 10.0
            } else {
                0.0
            };
            match key {
                FontKey::Face(_) => cps.push(Codepoint {
                    gid: code,
                    offset,
                    cid: None,
                }),
                FontKey::Type3(_) => {
                    // printpdf writes characters 0x21–0x7E and 0xA1–0xFF as those bytes.
                    items.push(TextItem::Text(char::from(code as u8).to_string()));
                    if offset != 0.0 {
                        items.push(TextItem::Offset(offset));
                    }
                }
            }
        }
        if space && e == n {
            // The word space where the line ends (see `space_after`).
            match key {
                FontKey::Face(f) => {
                    if let (Some(sp), Some(s)) = (space_gid(book, f.0 as usize), subset) {
                        cps.push(Codepoint {
                            gid: s.new_gid(sp),
                            offset: 0.0,
                            cid: None,
                        });
                    }
                }
                FontKey::Type3(_) => {
                    items.push(TextItem::Text(char::from(type3::SPACE).to_string()));
                }
            }
        }
        pen.move_to(ops, at.0 + run.glyphs[k].x, at.1);
        if let FontKey::Face(_) = key {
            items.push(TextItem::GlyphIds(cps));
        }
        ops.push(Op::ShowText { items });
        k = e;
    }
}

/// The glyph procedures of a Type 3 font (`glyphs` in code order), and the images they
/// draw.
fn type3_procs(lo: &mut lopdf::Document, glyphs: &[&type3::Glyph]) -> (Dictionary, Dictionary) {
    use lopdf::Stream;
    let mut procs = Dictionary::new();
    let mut xobjects = Dictionary::new();
    for g in glyphs {
        if let Some(b) = &g.image {
            let mut d = image_dict(b.width, b.height, "DeviceRGB");
            if let Some(alpha) = &b.alpha {
                let m = image_dict(b.width, b.height, "DeviceGray");
                let mid = lo.add_object(Stream::new(m, alpha.clone()));
                d.set("SMask", Object::Reference(mid));
            }
            let id = lo.add_object(Stream::new(d, b.rgb.clone()));
            xobjects.set(format!("Im{}", g.code), Object::Reference(id));
        }
        let id = lo.add_object(Stream::new(
            Dictionary::new(),
            g.procedure.clone().into_bytes(),
        ));
        procs.set(format!("g{:02X}", g.code), Object::Reference(id));
    }
    (procs, xobjects)
}

/// Writes the Type 3 fonts of the plan and adds them to every page's font resources.
fn add_type3_fonts(lo: &mut lopdf::Document, plan: &type3::Plan, made: Vec<type3::Made>) {
    use lopdf::Stream;
    if plan.fonts.is_empty() {
        return;
    }
    let mut fonts = Vec::new();
    for (f, m) in plan.fonts.iter().zip(made) {
        let mut glyphs: Vec<&type3::Glyph> = m.glyphs.iter().collect();
        glyphs.sort_by_key(|g| g.code);
        let (procs, xobjects) = type3_procs(lo, &glyphs);
        let (Some(first), Some(last)) = (glyphs.first(), glyphs.last()) else {
            continue;
        };
        let (first, last) = (first.code, last.code);
        let mut widths = Vec::new();
        let mut differences = Vec::new();
        for c in first..=last {
            match glyphs.iter().find(|g| g.code == c) {
                Some(g) => {
                    widths.push(Object::Integer(g.width));
                    differences.push(Object::Integer(c as i64));
                    differences.push(Object::Name(format!("g{c:02X}").into_bytes()));
                }
                None => widths.push(Object::Integer(0)),
            }
        }
        let bbox: Vec<Object> = m
            .bbox
            .iter()
            .map(|v| Object::Integer(v.round() as i64))
            .collect();
        let name = format!("{}-{}", m.name, f.resource);
        let mut desc = Dictionary::new();
        desc.set("Type", "FontDescriptor");
        desc.set("FontName", Object::Name(name.clone().into_bytes()));
        // Symbolic.
        desc.set("Flags", 4);
        desc.set("FontBBox", bbox.clone());
        desc.set("ItalicAngle", 0);
        let desc = lo.add_object(desc);
        let cmap = lo.add_object(Stream::new(Dictionary::new(), m.to_unicode.into_bytes()));
        let mut encoding = Dictionary::new();
        encoding.set("Type", "Encoding");
        encoding.set("Differences", differences);
        let mut resources = Dictionary::new();
        if !xobjects.is_empty() {
            resources.set("XObject", xobjects);
        }
        let mut font = Dictionary::new();
        font.set("Type", "Font");
        font.set("Subtype", "Type3");
        font.set("Name", Object::Name(name.into_bytes()));
        font.set("FontBBox", bbox);
        font.set(
            "FontMatrix",
            vec![
                Object::Real(0.001),
                Object::Integer(0),
                Object::Integer(0),
                Object::Real(0.001),
                Object::Integer(0),
                Object::Integer(0),
            ],
        );
        font.set("CharProcs", procs);
        font.set("Encoding", encoding);
        font.set("FirstChar", first as i64);
        font.set("LastChar", last as i64);
        font.set("Widths", widths);
        font.set("Resources", resources);
        font.set("FontDescriptor", Object::Reference(desc));
        font.set("ToUnicode", Object::Reference(cmap));
        fonts.push((f.resource.clone(), lo.add_object(font)));
    }
    // Into the pages' font dictionary (shared by all pages, see `add_fonts`).
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for page in pages {
        let Some(dict) = page_fonts(lo, page) else {
            continue;
        };
        for (name, id) in &fonts {
            dict.set(name.as_bytes().to_vec(), Object::Reference(*id));
        }
    }
}

/// The font dictionary of a page's resources, made when it has none.
fn page_fonts(lo: &mut lopdf::Document, page: ObjectId) -> Option<&mut Dictionary> {
    let res = match lo.get_dictionary(page).ok()?.get(b"Resources") {
        Ok(Object::Reference(r)) => Some(*r),
        _ => None,
    };
    let font_ref = {
        let res_dict = match res {
            Some(r) => lo.get_dictionary(r).ok()?,
            None => match lo.get_dictionary(page).ok()?.get(b"Resources") {
                Ok(Object::Dictionary(d)) => d,
                _ => return None,
            },
        };
        match res_dict.get(b"Font") {
            Ok(Object::Reference(f)) => Some(*f),
            _ => None,
        }
    };
    match font_ref {
        Some(f) => lo.get_dictionary_mut(f).ok(),
        None => {
            let res_dict = match res {
                Some(r) => lo.get_dictionary_mut(r).ok()?,
                None => match lo.get_dictionary_mut(page).ok()?.get_mut(b"Resources") {
                    Ok(Object::Dictionary(d)) => d,
                    _ => return None,
                },
            };
            if !matches!(res_dict.get(b"Font"), Ok(Object::Dictionary(_))) {
                res_dict.set("Font", Dictionary::new());
            }
            match res_dict.get_mut(b"Font") {
                Ok(Object::Dictionary(d)) => Some(d),
                _ => None,
            }
        }
    }
}

fn space_gid(book: &FontBook, face: usize) -> Option<u16> {
    let f = book.faces.get(face)?;
    f.shaper.glyph_index(' ').map(|g| g.0)
}

/// For each item, whether a text run needs a space after it: it ends a line, or a gap
/// follows it, and it does not end in white space or a hyphen.
fn space_after(book: &FontBook, items: &[super::layout::Placed]) -> Vec<bool> {
    let mut out = vec![false; items.len()];
    let texts: Vec<usize> = (0..items.len())
        .filter(|&i| matches!(items[i].item, Item::Text(_)))
        .collect();
    for (k, &i) in texts.iter().enumerate() {
        let Item::Text(run) = &items[i].item else {
            continue;
        };
        let Some(last) = run.glyphs.last() else {
            continue;
        };
        if last.text.is_empty()
            || last.text.ends_with(char::is_whitespace)
            || last
                .text
                .ends_with(['-', '\u{2010}', '\u{00AD}', '\u{2014}', '/'])
        {
            continue;
        }
        let end = run.x + last.x + book.face(run.face).pdf_width(last.gid) * run.size / 1000.0;
        let next = texts.get(k + 1).and_then(|&j| match &items[j].item {
            Item::Text(n) if items[j].origin == items[i].origin => Some(n),
            _ => None,
        });
        out[i] = match next {
            None => true,
            Some(n) => (n.y - run.y).abs() > 0.01 || n.x - end > run.size * 0.15,
        };
    }
    out
}

/// The order in which a page's items are drawn in its text object: in order, except the
/// hyphens inserted at line ends, which come last (as one artifact), so that a hyphenated
/// word's two halves are one marked-content sequence and read as one word.
/// Images go where they are read: an image on a line of text where the line puts it; a figure
/// alone in its paragraph before the first text of its block (its caption); a figure inside
/// its paragraph's text, or else any image, before the first text below it.
fn text_order(items: &[super::layout::Placed]) -> Vec<usize> {
    use super::layout::ImagePlace;
    let hyphen = |i: &usize| matches!(&items[*i].item, Item::Text(r) if r.role == Role::Hyphen);
    let image =
        |i: &usize| matches!(&items[*i].item, Item::Image(b) if b.place != ImagePlace::Inline);
    let (mut order, hyphens): (Vec<usize>, Vec<usize>) = (0..items.len())
        .filter(|i| !image(i))
        .partition(|i| !hyphen(i));
    for i in (0..items.len()).filter(image) {
        let Item::Image(b) = &items[i].item else {
            continue;
        };
        let text = |j: &usize| match &items[*j].item {
            Item::Text(r) => Some(r),
            _ => None,
        };
        let at = order
            .iter()
            .position(|j| {
                b.place == ImagePlace::Alone
                    && text(j).is_some()
                    && items[*j].origin == items[i].origin
            })
            .or_else(|| {
                order.iter().position(|j| {
                    items[*j].origin != super::layout::Origin::Furniture
                        && text(j).is_some_and(|r| r.y > b.y + b.height)
                })
            })
            .unwrap_or(order.len());
        order.insert(at, i);
    }
    order.extend(hyphens);
    order
}

/// The name of the empty marked-content sequence that stands for image item `i` in a
/// page's content until [`images`] draws it there.
fn image_placeholder(i: usize) -> String {
    format!("CqImage{i}")
}

/// Opens the marked-content sequence of `mark` (none for `None`).
fn open_mark(ops: &mut Vec<Op>, mark: Option<Mark>, page_marks: &mut Vec<Marked>) {
    match mark {
        None => {}
        Some(Mark::Artifact) => ops.push(Op::BeginMarkedContent {
            tag: "Artifact".into(),
        }),
        Some(Mark::Content(o, part)) => {
            let mcid = page_marks.len() as i64;
            page_marks.push(Marked::new(o, part));
            let mut map = std::collections::BTreeMap::new();
            map.insert("MCID".to_string(), DictItem::Int(mcid));
            ops.push(Op::BeginMarkedContentWithProperties {
                tag: tagged::content_tag(part).into(),
                properties: DictItem::Dict { map },
            });
        }
    }
}

/// Flate-compresses every stream that has no filter yet. (lopdf's own `compress` makes a new
/// compressor at the slowest level per stream.) Measured on the statement (callgrind, whole
/// process): level 3 gives 53.9 KB for 2.2 M instructions less than level 6 (52.8 KB);
/// level 1 saves 4 M more but costs 11 KB.
fn compress(lo: &mut lopdf::Document) {
    for obj in lo.objects.values_mut() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() || !stream.allows_compression {
            continue;
        }
        if let Some(packed) = pack(&stream.content)
            && packed.len() < stream.content.len()
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}

thread_local! {
    /// The thread's compressor for the PDF's streams, reset between streams: setting one up
    /// (zeroing its tables) costs more than compressing a page's content, and a new one for
    /// each of the pages, the font programs and the other streams faulted in fresh memory
    /// each time (about 120 page faults for the statement, `/usr/bin/time -f %R`).
    /// Made on first use; see [`release_packer`].
    static PACKER: std::cell::RefCell<Option<flate2::Compress>> =
        const { std::cell::RefCell::new(None) };
}

/// `data` Flate-compressed at [`COMPRESSION_LEVEL`] with the thread's compressor, or `None`
/// if it failed.
fn pack(data: &[u8]) -> Option<Vec<u8>> {
    PACKER.with(|z| {
        let mut z = z.borrow_mut();
        let z = z.get_or_insert_with(|| {
            flate2::Compress::new(flate2::Compression::new(COMPRESSION_LEVEL), true)
        });
        deflate(z, data)
    })
}

/// Frees the thread's compressor. A single statement, built outside rayon's pool, has no next
/// PDF for it: freed before lopdf's object streams are compressed, its ~370 KB serve lopdf's
/// compressor and then the EPUB's instead of fresh pages (~30 page faults for the statement).
fn release_packer() {
    if rayon::current_thread_index().is_none() {
        PACKER.with(|z| z.borrow_mut().take());
    }
}

/// `data` Flate-compressed at `level` with a compressor of its own.
#[cfg(test)]
pub(super) fn deflate_at(level: u32, data: &[u8]) -> Option<Vec<u8>> {
    deflate(
        &mut flate2::Compress::new(flate2::Compression::new(level), true),
        data,
    )
}

/// `data` Flate-compressed with `z` (reset first), or `None` if the compressor failed.
fn deflate(z: &mut flate2::Compress, data: &[u8]) -> Option<Vec<u8>> {
    super::flate::deflate(z, data, data.len() / 2 + 64)
}

const COMPRESSION_LEVEL: u32 = 3;

/// Six capitals naming a subset, from the hash of its glyphs and the face: subsets of
/// different documents get different names.
fn subset_tag(hash: [u8; 16], face: usize) -> String {
    let mut tag: String = hash
        .iter()
        .take(5)
        .map(|b| (b'A' + b % 26) as char)
        .collect();
    tag.push((b'A' + (face % 26) as u8) as char);
    tag
}

/// The resource name of a face's font on every page.
fn font_name(face: usize) -> FontId {
    FontId(format!("F{face}"))
}

/// Per face, the text of each glyph the pages use (the first non-empty one met), indexed
/// by glyph id: linear in the glyphs of the document.
#[derive(Default)]
struct Used(Vec<Vec<Option<GlyphText>>>);

impl Used {
    fn note(&mut self, book: &FontBook, face: usize, gid: u16, text: GlyphText) {
        // Glyph 0 and colour glyphs are drawn by Type 3 fonts (see `type3`).
        if gid == 0 || book.faces.get(face).is_none_or(|f| f.raster) {
            return;
        }
        if self.0.len() < book.faces.len() {
            self.0.resize(book.faces.len(), Vec::new());
        }
        let Some(u) = self.0.get_mut(face) else {
            return;
        };
        if u.is_empty() {
            u.resize(
                book.faces[face].shaper.number_of_glyphs() as usize + 1,
                None,
            );
        }
        if let Some(slot) = u.get_mut(gid as usize)
            && slot.is_none_or(|t| t.is_empty())
        {
            *slot = Some(text);
        }
    }

    fn note_page(&mut self, book: &FontBook, page: &super::layout::Page) {
        for p in &page.items {
            if let Item::Text(run) = &p.item {
                for g in &run.glyphs {
                    self.note(book, run.face.0 as usize, g.gid, g.text);
                }
            }
        }
    }
}

/// The subset of each face the pages use (`None` for faces they do not use).
fn subsets(book: &FontBook, mut used: Used, word_spaces: bool) -> Vec<Option<embed::Subset>> {
    used.0.resize(book.faces.len(), Vec::new());
    if word_spaces {
        // Word spaces at line ends (see `space_after`) use each face's space glyph.
        for i in 0..book.faces.len() {
            if let (false, Some(sp)) = (used.0[i].is_empty(), space_gid(book, i)) {
                used.note(book, i, sp, GlyphText::new(" "));
            }
        }
    }
    let used: Vec<Vec<(u16, &str)>> = used
        .0
        .iter()
        .map(|u| {
            u.iter()
                .enumerate()
                .filter_map(|(g, t)| Some((g as u16, t.as_ref()?.as_str())))
                .collect()
        })
        .collect();
    let mut out = Vec::with_capacity(used.len());
    for (i, glyphs) in used.iter().enumerate() {
        if glyphs.is_empty() {
            out.push(None);
            continue;
        }
        let mut h = Hash128::new();
        h.write(book.faces[i].name.as_bytes());
        for (g, t) in glyphs.iter() {
            h.write(&g.to_be_bytes());
            h.write(t.as_bytes());
        }
        let tag = subset_tag(h.finish(), i);
        out.push(Some(embed::subset(&book.faces[i], glyphs, &tag)));
    }
    out
}

/// A font program made and Flate-compressed: (compressed bytes, uncompressed length).
type FontProgram = (Vec<u8>, usize);

/// The font program of each subset, compressed.
fn font_programs(
    book: &FontBook,
    subsets: &[Option<embed::Subset>],
) -> Result<Vec<Option<FontProgram>>, Diagnostic> {
    subsets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let Some(s) = s else { return Ok(None) };
            let program = embed::program(&book.faces[i], s).map_err(Diagnostic::error)?;
            let packed = pack(&program).ok_or_else(|| {
                Diagnostic::error(format!(
                    "could not compress the font {}",
                    book.faces[i].name
                ))
            })?;
            Ok(Some((packed, program.len())))
        })
        .collect()
}

/// Writes each subset as a Type0 font with a CID-keyed descendant and puts them all in
/// every page's resources.
fn add_fonts(
    lo: &mut lopdf::Document,
    subsets: &[Option<embed::Subset>],
    programs: Vec<Option<FontProgram>>,
) {
    use lopdf::Stream;
    let mut fonts = Dictionary::new();
    for (i, (s, program)) in subsets.iter().zip(programs).enumerate() {
        let (Some(s), Some((packed, length))) = (s, program) else {
            continue;
        };
        let base = Object::Name(s.base_font.clone().into_bytes());
        let d = &s.descriptor;
        let mut program = Dictionary::new();
        let (file_key, subtype) = match s.kind {
            embed::Program::TrueType => {
                program.set("Length1", length as i64);
                ("FontFile2", "CIDFontType2")
            }
            embed::Program::Cff => {
                program.set("Subtype", "CIDFontType0C");
                ("FontFile3", "CIDFontType0")
            }
        };
        program.set("Filter", "FlateDecode");
        let program = lo.add_object(Stream::new(program, packed));
        let mut desc = Dictionary::new();
        desc.set("Type", "FontDescriptor");
        desc.set("FontName", base.clone());
        desc.set("Flags", d.flags);
        desc.set(
            "FontBBox",
            d.bbox
                .iter()
                .map(|&v| Object::Integer(v))
                .collect::<Vec<_>>(),
        );
        desc.set("ItalicAngle", Object::Real(d.italic_angle));
        desc.set("Ascent", d.ascent);
        desc.set("Descent", d.descent);
        desc.set("CapHeight", d.cap_height);
        desc.set("StemV", d.stem_v);
        desc.set(file_key, Object::Reference(program));
        let desc = lo.add_object(desc);
        let mut info = Dictionary::new();
        info.set("Registry", Object::string_literal("Adobe"));
        info.set("Ordering", Object::string_literal("Identity"));
        info.set("Supplement", 0);
        let mut cid = Dictionary::new();
        cid.set("Type", "Font");
        cid.set("Subtype", subtype);
        cid.set("BaseFont", base.clone());
        cid.set("CIDSystemInfo", info);
        cid.set("FontDescriptor", Object::Reference(desc));
        let widths: Vec<Object> = s.widths.iter().map(|&w| Object::Integer(w)).collect();
        cid.set("W", vec![Object::Integer(0), Object::Array(widths)]);
        if s.kind == embed::Program::TrueType {
            cid.set("CIDToGIDMap", "Identity");
        }
        let cid = lo.add_object(cid);
        let cmap = lo.add_object(Stream::new(
            Dictionary::new(),
            s.to_unicode.clone().into_bytes(),
        ));
        let mut font = Dictionary::new();
        font.set("Type", "Font");
        font.set("Subtype", "Type0");
        font.set("BaseFont", base);
        font.set("Encoding", "Identity-H");
        font.set("DescendantFonts", vec![Object::Reference(cid)]);
        font.set("ToUnicode", Object::Reference(cmap));
        let font = lo.add_object(font);
        fonts.set(font_name(i).0, Object::Reference(font));
    }
    if fonts.is_empty() {
        return;
    }
    let fonts = lo.add_object(fonts);
    set_page_fonts(lo, fonts);
}

/// Puts the font dictionary `fonts` in every page's resources.
fn set_page_fonts(lo: &mut lopdf::Document, fonts: ObjectId) {
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for page in pages {
        let res = match lo.get_dictionary(page).and_then(|d| d.get(b"Resources")) {
            Ok(Object::Reference(r)) => Some(*r),
            _ => None,
        };
        let set = |d: &mut Dictionary| d.set("Font", Object::Reference(fonts));
        match res {
            Some(r) => {
                if let Ok(d) = lo.get_dictionary_mut(r) {
                    set(d);
                }
            }
            None => {
                if let Ok(page) = lo.get_dictionary_mut(page) {
                    match page.get_mut(b"Resources") {
                        Ok(Object::Dictionary(d)) => set(d),
                        _ => {
                            let mut d = Dictionary::new();
                            set(&mut d);
                            page.set("Resources", d);
                        }
                    }
                }
            }
        }
    }
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c[0],
        g: c[1],
        b: c[2],
        icc_profile: None,
    })
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// A PDF text string: PDFDocEncoding-safe ASCII as a literal, anything else UTF-16BE.
pub(super) fn text_string(s: &str) -> Object {
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

/// A Unix time as UTC date and time fields: (year, month, day, hour, minute, second).
fn utc_fields(secs: i64) -> (i32, u8, u8, u8, u8, u8) {
    let d = DateTime::from_unix_seconds(secs);
    let t = d.time.unwrap_or(crate::model::Time {
        hour: 0,
        minute: 0,
        second: 0,
        offset_minutes: Some(0),
    });
    (d.year, d.month, d.day, t.hour, t.minute, t.second)
}

fn pdf_date(secs: i64) -> Object {
    let (y, mo, d, h, mi, s) = utc_fields(secs);
    Object::String(
        format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z").into_bytes(),
        StringFormat::Literal,
    )
}

/// The document information dictionary; the author, creator and date (for the XMP
/// metadata) it gives.
fn info(
    lo: &mut lopdf::Document,
    doc: &Document,
    opts: &PdfOptions,
) -> (String, String, Option<String>) {
    let meta = &doc.meta;
    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    let author = meta
        .organization
        .clone()
        .unwrap_or_else(|| meta.authors.join(", "));
    if !author.is_empty() {
        info.set("Author", text_string(&author));
    }
    if let Some(sub) = meta.subtitle.as_ref().or(meta.description.as_ref()) {
        info.set("Subject", text_string(sub));
    }
    if !meta.keywords.is_empty() {
        info.set("Keywords", text_string(&meta.keywords.join(", ")));
    }
    let creator = format!("Communique {VERSION}");
    info.set("Creator", text_string(&creator));
    info.set("Producer", text_string(&creator));
    let when = opts
        .source_date_epoch
        .or_else(|| meta.date.map(|d| d.unix_seconds()));
    if let Some(secs) = when {
        info.set("CreationDate", pdf_date(secs));
        info.set("ModDate", pdf_date(secs));
    }
    let xmp_date = when.map(|secs| {
        let (y, mo, d, h, mi, s) = utc_fields(secs);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    });
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", Object::Reference(info_id));
    (author, creator, xmp_date)
}

/// A link's annotation: a borderless URI action over its area, `text` its contents.
fn link_annot(
    l: &super::layout::LinkArea,
    text: &str,
    page_id: ObjectId,
    height: f32,
) -> Dictionary {
    let mut a = Dictionary::new();
    a.set("Type", "Annot");
    a.set("Subtype", "Link");
    a.set(
        "Rect",
        vec![
            Object::Real(round3(l.x0)),
            Object::Real(round3(height - l.y1)),
            Object::Real(round3(l.x1)),
            Object::Real(round3(height - l.y0)),
        ],
    );
    a.set(
        "Border",
        vec![Object::Integer(0), Object::Integer(0), Object::Integer(0)],
    );
    let mut action = Dictionary::new();
    action.set("S", "URI");
    action.set(
        "URI",
        Object::String(l.url.as_bytes().to_vec(), StringFormat::Literal),
    );
    a.set("A", action);
    a.set("P", Object::Reference(page_id));
    a.set("F", 4);
    a.set("Contents", text_string(text));
    a
}

/// Links: borderless URI annotations, each page's in its `/Annots`.
fn links(
    lo: &mut lopdf::Document,
    laid: &LaidOut,
    pages: &[ObjectId],
    link_texts: &[Vec<String>],
    link_parts: &[Vec<tagged::Part>],
) -> Vec<tagged::LinkAnnot> {
    let height = laid.geometry.height;
    let mut link_annots = Vec::new();
    for (pi, page) in laid.pages.iter().enumerate() {
        let Some(&page_id) = pages.get(pi) else {
            continue;
        };
        let mut annots = Vec::new();
        let mut texts = link_texts.get(pi).map(|t| t.iter());
        let mut parts = link_parts.get(pi).map(|t| t.iter());
        for p in &page.items {
            let Item::Link(l) = &p.item else { continue };
            let text = texts
                .as_mut()
                .and_then(|t| t.next())
                .filter(|t| !t.is_empty())
                .unwrap_or(&l.url);
            let id = lo.add_object(link_annot(l, text, page_id, height));
            link_annots.push(tagged::LinkAnnot {
                page: pi,
                origin: p.origin,
                part: parts
                    .as_mut()
                    .and_then(|t| t.next())
                    .copied()
                    .unwrap_or(tagged::Part::Text),
                id,
                text: text.clone(),
            });
            annots.push(Object::Reference(id));
        }
        if let Ok(d) = lo.get_dictionary_mut(page_id) {
            if annots.is_empty() {
                d.remove(b"Annots");
            } else {
                d.set("Annots", annots);
            }
        }
    }
    link_annots
}

/// Adds what printpdf does not write: info, catalog entries, links, outline.
fn post_process(
    lo: &mut lopdf::Document,
    doc: &Document,
    laid: &LaidOut,
    opts: &PdfOptions,
    marks: Vec<Vec<Marked>>,
    link_texts: &[Vec<String>],
    link_parts: &[Vec<tagged::Part>],
) -> Result<objstm::Raw, Diagnostic> {
    let meta = &doc.meta;
    lo.version = "1.7".to_string();
    // printpdf's own Info (with an empty GTS_PDFXVersion) is replaced below.
    if let Ok(Object::Reference(old)) = lo.trailer.get(b"Info") {
        let old = *old;
        lo.objects.remove(&old);
    }
    if let Ok(cat) = lo.catalog_mut() {
        cat.remove(b"PageMode");
    }
    let pages: Vec<ObjectId> = lo.get_pages().values().copied().collect();

    let (author, creator, xmp_date) = info(lo, doc, opts);
    let height = laid.geometry.height;
    let link_annots = links(lo, laid, &pages, link_texts, link_parts);

    images(lo, laid, &pages);

    let outline = outline(lo, &laid.outline, &pages, height);
    if let Ok(cat) = lo.catalog_mut() {
        cat.set("Lang", text_string(&meta.lang));
        let mut vp = Dictionary::new();
        vp.set("DisplayDocTitle", true);
        cat.set("ViewerPreferences", vp);
        if let Some(o) = outline {
            cat.set("Outlines", Object::Reference(o));
            cat.set("PageMode", "UseOutlines");
        }
    }
    // Placeholder, replaced by a hash of the file (see `set_id`).
    let placeholder = Object::String(vec![0; 16], StringFormat::Hexadecimal);
    lo.trailer.set("ID", vec![placeholder.clone(), placeholder]);

    let std = opts.standards;
    let mut raw = Vec::new();
    if std.ua1 {
        raw = tagged::structure(lo, doc, &pages, &marks, &link_annots)?;
    }
    if std.ua1 || std.a2b {
        let keywords = meta.keywords.join(", ");
        let info = tagged::Info {
            title: &meta.title,
            author: (!author.is_empty()).then_some(author.as_str()),
            subject: meta.subtitle.as_deref().or(meta.description.as_deref()),
            keywords: (!keywords.is_empty()).then_some(keywords.as_str()),
            producer: &creator,
            creator: &creator,
            date: xmp_date,
            lang: &meta.lang,
        };
        tagged::archival(lo, &info, std);
    }
    Ok(raw)
}

/// The dictionary of an 8-bit image XObject (a picture, an emoji bitmap, or a soft mask),
/// before its filter.
fn image_dict(width: u32, height: u32, color_space: &str) -> Dictionary {
    let mut d = Dictionary::new();
    d.set("Type", "XObject");
    d.set("Subtype", "Image");
    d.set("Width", width as i64);
    d.set("Height", height as i64);
    d.set("ColorSpace", color_space);
    d.set("BitsPerComponent", 8);
    d
}

/// A raster image as an image XObject (with its soft mask, if any).
fn raster_xobject(lo: &mut lopdf::Document, img: &super::figure::RasterImage) -> ObjectId {
    use lopdf::Stream;
    let mut d = image_dict(img.width, img.height, img.color_space);
    d.set("Filter", if img.dct { "DCTDecode" } else { "FlateDecode" });
    if let Some(mask) = &img.smask {
        let mut m = image_dict(img.width, img.height, "DeviceGray");
        m.set("Filter", "FlateDecode");
        let mid = lo.add_object(Stream::new(m, mask.clone()));
        d.set("SMask", Object::Reference(mid));
    }
    lo.add_object(Stream::new(d, img.data.clone()))
}

/// Image XObjects (each prepared image written once), drawn where the page's content holds
/// their placeholders (see [`image_placeholder`]); the writer has already marked each as a
/// `/Figure` sequence or an artifact.
fn images(lo: &mut lopdf::Document, laid: &LaidOut, pages: &[ObjectId]) {
    let height = laid.geometry.height;
    let mut written: Vec<(&super::figure::PdfImage, ObjectId)> = Vec::new();
    for (pi, page) in laid.pages.iter().enumerate() {
        let Some(&page_id) = pages.get(pi) else {
            continue;
        };
        let mut draws: Vec<(String, String)> = Vec::new();
        let mut xobjects = Dictionary::new();
        for (ii, p) in page.items.iter().enumerate() {
            let Item::Image(b) = &p.item else { continue };
            let img = &*b.image;
            let id = match written.iter().find(|(w, _)| *w == img) {
                Some((_, id)) => *id,
                None => {
                    let id = match img {
                        super::figure::PdfImage::Vector(v) => {
                            let Some(id) = vector_xobject(lo, v) else {
                                continue;
                            };
                            id
                        }
                        super::figure::PdfImage::Raster(r) => raster_xobject(lo, r),
                    };
                    written.push((img, id));
                    id
                }
            };
            let name = format!("CqIm{}", id.0);
            xobjects.set(name.as_bytes().to_vec(), Object::Reference(id));
            draws.push((
                format!("/{} BMC", image_placeholder(ii)),
                format!(
                    "q {} 0 0 {} {} {} cm /{name} Do Q",
                    round3(b.width),
                    round3(b.height),
                    round3(b.x),
                    round3(height - b.y - b.height)
                ),
            ));
        }
        if draws.is_empty() {
            continue;
        }
        // The page's resources, inline or referenced, with the images added.
        let Ok(page_dict) = lo.get_dictionary(page_id) else {
            continue;
        };
        let mut res = match page_dict.get(b"Resources") {
            Ok(Object::Reference(r)) => lo.get_dictionary(*r).cloned().unwrap_or_default(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        let mut xo = match res.get(b"XObject") {
            Ok(Object::Reference(r)) => lo.get_dictionary(*r).cloned().unwrap_or_default(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        for (k, v) in xobjects.iter() {
            xo.set(k.clone(), v.clone());
        }
        res.set("XObject", xo);
        let content = match page_dict.get(b"Contents") {
            Ok(Object::Reference(r)) => Some(*r),
            Ok(Object::Array(a)) => a.first().and_then(|o| o.as_reference().ok()),
            _ => None,
        };
        if let Ok(d) = lo.get_dictionary_mut(page_id) {
            d.set("Resources", res);
        }
        // Each placeholder (`/CqImageN BMC EMC`) becomes the drawing.
        if let Some(Ok(Object::Stream(st))) = content.map(|c| lo.get_object_mut(c)) {
            let mut bytes = std::mem::take(&mut st.content);
            for (placeholder, draw) in &draws {
                let Some(at) = find(&bytes, placeholder.as_bytes()) else {
                    continue;
                };
                let Some(emc) = find(&bytes[at..], b"EMC").map(|e| at + e + 3) else {
                    continue;
                };
                bytes.splice(at..emc, draw.bytes());
            }
            st.set_content(bytes);
        }
    }
}

/// Copies svg2pdf's Form XObject (and every object it refers to, renumbered) into `lo`;
/// returns its id. `None` if the small PDF cannot be read back (it always can: svg2pdf wrote
/// it a moment ago).
fn vector_xobject(lo: &mut lopdf::Document, v: &super::figure::VectorImage) -> Option<ObjectId> {
    let src = lopdf::Document::load_mem(&v.pdf).ok()?;
    let mut map: std::collections::BTreeMap<ObjectId, ObjectId> = Default::default();
    let root = (v.xobject, 0);
    src.objects.get(&root)?;
    Some(import_object(lo, &src, root, &mut map))
}

/// Imports object `id` of `src` into `lo`, with the objects it refers to.
fn import_object(
    lo: &mut lopdf::Document,
    src: &lopdf::Document,
    id: ObjectId,
    map: &mut std::collections::BTreeMap<ObjectId, ObjectId>,
) -> ObjectId {
    if let Some(&n) = map.get(&id) {
        return n;
    }
    let new = lo.new_object_id();
    map.insert(id, new);
    let mut obj = src.objects.get(&id).cloned().unwrap_or(Object::Null);
    renumber(lo, src, &mut obj, map);
    lo.objects.insert(new, obj);
    new
}

fn renumber(
    lo: &mut lopdf::Document,
    src: &lopdf::Document,
    obj: &mut Object,
    map: &mut std::collections::BTreeMap<ObjectId, ObjectId>,
) {
    match obj {
        Object::Reference(r) => *r = import_object(lo, src, *r, map),
        Object::Array(a) => a.iter_mut().for_each(|o| renumber(lo, src, o, map)),
        Object::Dictionary(d) => renumber_dict(lo, src, d, map),
        Object::Stream(s) => renumber_dict(lo, src, &mut s.dict, map),
        _ => {}
    }
}

/// Renumbers a dictionary's values and writes its entries in the order of their keys, not
/// the order svg2pdf wrote them in (a resource dictionary's order differs from run to run):
/// the objects they refer to get their new numbers in that order, so that the same SVG gives
/// the same bytes.
fn renumber_dict(
    lo: &mut lopdf::Document,
    src: &lopdf::Document,
    d: &mut lopdf::Dictionary,
    map: &mut std::collections::BTreeMap<ObjectId, ObjectId>,
) {
    let mut entries: Vec<(Vec<u8>, Object)> = std::mem::take(d).into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, mut o) in entries {
        renumber(lo, src, &mut o, map);
        d.set(k, o);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The outline, nested by heading level, in document order.
fn outline(
    lo: &mut lopdf::Document,
    entries: &[OutlineEntry],
    pages: &[ObjectId],
    height: f32,
) -> Option<ObjectId> {
    if entries.is_empty() {
        return None;
    }
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    // Parent of each entry: the nearest earlier entry of a lower level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&j| entries[j].level >= e.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..entries.len()).filter(|&i| parent[i] == p).collect()
    };
    let mut dicts: Vec<Dictionary> = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set(
            "Parent",
            Object::Reference(parent[i].map_or(root, |p| ids[p])),
        );
        if let Some(&page) = pages.get(e.page) {
            d.set(
                "Dest",
                vec![
                    Object::Reference(page),
                    "XYZ".into(),
                    Object::Null,
                    Object::Real(round3(height - e.y + 4.0)),
                    Object::Null,
                ],
            );
        }
        dicts.push(d);
    }
    for p in std::iter::once(None).chain((0..entries.len()).map(Some)) {
        let kids = children(p);
        for (k, &i) in kids.iter().enumerate() {
            if k > 0 {
                dicts[i].set("Prev", Object::Reference(ids[kids[k - 1]]));
            }
            if let Some(&n) = kids.get(k + 1) {
                dicts[i].set("Next", Object::Reference(ids[n]));
            }
        }
        if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
            let (f, l) = (
                Object::Reference(ids[*first]),
                Object::Reference(ids[*last]),
            );
            match p {
                Some(pi) => {
                    dicts[pi].set("First", f);
                    dicts[pi].set("Last", l);
                    dicts[pi].set("Count", kids.len() as i64);
                }
                None => {
                    let mut r = Dictionary::new();
                    r.set("Type", "Outlines");
                    r.set("First", f);
                    r.set("Last", l);
                    r.set("Count", entries.len() as i64);
                    lo.set_object(root, r);
                }
            }
        }
    }
    for (d, id) in dicts.into_iter().zip(ids) {
        lo.set_object(id, d);
    }
    Some(root)
}

/// Replaces the placeholder `/ID` (both entries) with a hash of the file's bytes.
fn set_id(bytes: &mut [u8]) {
    let placeholder = b"<00000000000000000000000000000000>";
    let mut h = Hash128::new();
    h.write(bytes);
    let hex: String = h.finish().iter().map(|b| format!("{b:02X}")).collect();
    let id = format!("<{hex}>");
    // The trailer is at the end of the file: search backwards from there.
    let mut end = bytes.len();
    for _ in 0..2 {
        let Some(pos) = bytes[..end]
            .windows(placeholder.len())
            .rposition(|w| w == placeholder)
        else {
            return;
        };
        bytes[pos..pos + id.len()].copy_from_slice(id.as_bytes());
        end = pos;
    }
}

/// A 128-bit FNV-1a hash: stable across platforms and Rust versions.
struct Hash128(u128);

impl Hash128 {
    fn new() -> Hash128 {
        Hash128(0x6c62272e07bb014262b821756295c58d)
    }
    fn write(&mut self, bytes: &[u8]) {
        const PRIME: u128 = 0x0000000001000000000000000000013B;
        for b in bytes {
            self.0 ^= *b as u128;
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }
    fn finish(&self) -> [u8; 16] {
        self.0.to_be_bytes()
    }
}

#[cfg(test)]
mod tests {
    use lopdf::{Dictionary, Object, Stream, StringFormat};

    use super::objstm;

    /// A document with objects of every kind: streams (written as they are), dictionaries
    /// (into object streams, more than one stream's worth), gaps in the ids.
    fn sample() -> lopdf::Document {
        let mut lo = lopdf::Document::with_version("1.7");
        let mut pages = Vec::new();
        for i in 0..2500i64 {
            let mut d = Dictionary::new();
            d.set("Type", "StructElem");
            d.set("S", if i % 3 == 0 { "P" } else { "Span #1" });
            d.set(
                "K",
                vec![
                    Object::Integer(i),
                    Object::Real(i as f32 / 7.0),
                    Object::Null,
                ],
            );
            d.set(
                "T",
                Object::String(b"a (b) \\ c)\r".to_vec(), StringFormat::Literal),
            );
            d.set(
                "H",
                Object::String(vec![0, 255, 17], StringFormat::Hexadecimal),
            );
            d.set("B", i % 2 == 0);
            let id = lo.add_object(d);
            pages.push(Object::Reference(id));
            if i % 500 == 7 {
                // A gap in the ids.
                lo.max_id += 3;
            }
            if i % 400 == 1 {
                lo.add_object(Stream::new(Dictionary::new(), vec![b'x'; i as usize]));
            }
        }
        lo.add_object(Object::Array(pages));
        lo.add_object(Object::Integer(7));
        lo.add_object(Object::Name(b"N".to_vec()));
        let catalog = lo.add_object(lopdf::dictionary! { "Type" => "Catalog" });
        lo.trailer.set("Root", catalog);
        lo
    }

    fn lopdf_save(mut lo: lopdf::Document) -> Vec<u8> {
        let mut bytes = Vec::new();
        lo.save_with_options(
            &mut bytes,
            lopdf::SaveOptions {
                use_object_streams: true,
                use_xref_streams: true,
                linearize: false,
                object_stream_config: lopdf::ObjectStreamConfig {
                    max_objects_per_stream: 1000,
                    compression_level: 6,
                },
            },
        )
        .unwrap();
        bytes
    }

    /// Issue 17: the writer of object streams writes lopdf's bytes, with some objects given
    /// to it written already.
    #[test]
    fn object_streams_are_written_as_lopdf_writes_them() {
        let expected = lopdf_save(sample());
        assert_eq!(objstm::save(sample(), Vec::new()).unwrap(), expected);
        let mut lo = sample();
        let ids: Vec<_> = lo
            .objects
            .iter()
            .filter(|(id, o)| id.0 % 3 != 0 && matches!(o, Object::Dictionary(_)))
            .map(|(id, _)| *id)
            .collect();
        let raw = ids
            .into_iter()
            .map(|id| {
                let o = lo.objects.remove(&id).unwrap();
                (id, objstm::serialized(&o).unwrap())
            })
            .collect();
        assert_eq!(objstm::save(lo, raw).unwrap(), expected);
    }
}
