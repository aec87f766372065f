//! The EPUB 3 briefing (one statement or a briefing pack) and the self-contained HTML page.
//!
//! The e-reader lays the text out, so this backend only serializes the model:
//! [`xhtml`] writes escaped XHTML (shared with the HTML page), [`css`] holds the style sheets,
//! [`cover`] draws the generated cover, and [`package`] — the only user of epub-builder —
//! packages everything deterministically.

mod cover;
mod css;
pub mod images;
mod package;
mod share;
mod xhtml;

use std::collections::HashMap;

use crate::assets::AssetPolicy;
use crate::locale::{self, Labels, Lang};
use crate::model::{Block, BlockKind, DateTime, Document, LabelOverrides, Release};
use crate::{Diagnostic, Rendered};
use cover::CoverText;
use images::{ImageRef, ImageSet};
use package::{Landmark, Package, Page, Resource, TocNode};
use xhtml::{Flavor, Writer, esc, esc_attr, safe_id, safe_url};

/// Options for [`epub`], [`bundle`] and [`html`].
#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// Seconds since the Unix epoch for dcterms:modified and the zip entry times
    /// (`SOURCE_DATE_EPOCH`). Without it the statement's `date` is used.
    pub source_date_epoch: Option<i64>,
    /// Embed the bundled Noto fonts (SIL Open Font License, which allows it).
    pub embed_fonts: bool,
    /// Where images may be read from (`--allow-outside`, the house configuration's folder).
    pub assets: AssetPolicy,
    /// The theme the style sheets derive from (`[theme]` in `communique.toml`).
    pub theme: std::sync::Arc<crate::theme::Theme>,
    /// The HTML page's public address, for its canonical link, `og:url` and absolute
    /// `og:image` (from `base_url` in `communique.toml`).
    pub page_url: Option<String>,
    /// The generated cover uses the bundled fonts only (`--no-system-fonts`), as the PDF.
    pub no_system_fonts: bool,
}

/// Namespace for the content-derived identifiers (a UUID v5 of the URL namespace).
fn namespace() -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        b"https://communique.invalid/epub-identifier",
    )
}

/// What every content document of one statement's EPUB shares.
struct Chapter<'a> {
    doc: &'a Document,
    images: &'a HashMap<String, ImageRef>,
    title: &'a str,
    lang: &'a str,
    rtl: bool,
    words: &'a Words,
}

impl Chapter<'_> {
    /// A writer for one content document of the statement, its head written.
    fn writer(&self, title: &str) -> Writer<'_> {
        let mut w = Writer::new(Flavor::Epub, &self.doc.source);
        w.images = self.images.clone();
        open_doc(&mut w, title, self.lang, self.rtl, None, "");
        w
    }
}

/// Writes the EPUB briefing for one statement.
pub fn epub(doc: &Document, opts: &EpubOptions) -> Result<Rendered, Diagnostic> {
    let mut diags = Vec::new();
    let meta = &doc.meta;
    let lang = lang_of(doc);
    let rtl = is_rtl(doc);
    let title = display_title(doc);
    let words = Words::of(doc);
    let mut set = ImageSet::default();
    let imgs = set.add_document(doc, &opts.assets)?;
    diags.append(&mut set.warnings);

    let mut ct = cover_text(doc, &words);
    ct.system_fonts = !opts.no_system_fonts;
    let (cover_res, cover_alt) = cover_for(doc, &ct, &words, &opts.assets, &mut diags);
    let mut pages = vec![cover_page(&cover_res, &cover_alt, &lang, rtl, &words)];
    let ch = Chapter {
        doc,
        images: &imgs,
        title: &title,
        lang: &lang,
        rtl,
        words: &words,
    };
    pages.push(title_page(&ch, &mut diags));
    pages.push(statement_page(&ch, &mut diags));
    pages.extend(about_page(&ch, &mut diags));

    let nav = nav_doc(&pages, &lang, rtl, "statement.xhtml", &words);
    let modified = opts
        .source_date_epoch
        .or(meta.date.map(|d| d.unix_seconds()))
        .unwrap_or(0);
    let mut creators = meta.authors.clone();
    if creators.is_empty() {
        creators.extend(meta.organization.clone());
    }
    let pkg = Package {
        title: title.clone(),
        lang,
        rtl,
        identifier: uuid::Uuid::new_v5(&namespace(), canonical(doc).as_bytes()),
        modified,
        published: meta.date.map(|d| d.unix_seconds()),
        description: meta.description.clone(),
        subjects: meta.keywords.clone(),
        creators,
        publishers: meta.organization.iter().cloned().collect(),
        accessibility_summary: accessibility_summary(!set.files.is_empty()),
        toc_name: words.labels.contents.clone(),
        css: stylesheet(opts),
        cover: Some(cover_res),
        resources: resources(opts, set),
        pages,
        nav,
    };
    packaged(&pkg, diags)
}

/// The package written as an EPUB, with the diagnostics of making it.
fn packaged(pkg: &Package, diagnostics: Vec<Diagnostic>) -> Result<Rendered, Diagnostic> {
    Ok(Rendered {
        bytes: package::write(pkg)?,
        diagnostics,
        attachments: Vec::new(),
    })
}

/// The title page: the masthead.
fn title_page(ch: &Chapter, diags: &mut Vec<Diagnostic>) -> Page {
    let mut w = ch.writer(ch.title);
    w.raw("<body>\n<section class=\"titlepage\"");
    w.epub_type("titlepage");
    w.raw(" aria-labelledby=\"cq-title\">\n");
    masthead(&mut w, ch.doc, 1, ch.words);
    w.raw("</section>\n");
    close_doc(&mut w);
    diags.append(&mut w.diags);
    Page {
        file: "title.xhtml".into(),
        xhtml: w.out,
        landmark: Some(Landmark::TitlePage),
        toc: Some(TocNode {
            href: "title.xhtml".into(),
            title: ch.title.to_string(),
            children: vec![],
        }),
    }
}

/// The statement itself, with its headings in the table of contents.
fn statement_page(ch: &Chapter, diags: &mut Vec<Diagnostic>) -> Page {
    let mut w = ch.writer(ch.title);
    w.raw("<body");
    w.epub_type("bodymatter");
    w.raw(">\n<section class=\"statement\"");
    w.epub_type("chapter");
    w.raw(" role=\"doc-chapter\"");
    w.attr_pair("aria-label", ch.title);
    w.raw(">\n");
    statement_body(&mut w, ch.doc, ch.words);
    w.raw("</section>\n");
    close_doc(&mut w);
    diags.append(&mut w.diags);
    Page {
        file: "statement.xhtml".into(),
        xhtml: w.out,
        landmark: Some(Landmark::Body),
        toc: Some(TocNode {
            href: "statement.xhtml".into(),
            title: ch.words.statement.into(),
            children: heading_toc(&ch.doc.blocks, "statement.xhtml"),
        }),
    }
}

/// The "about" boilerplate, when the statement has one.
fn about_page(ch: &Chapter, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    let about = &ch.doc.meta.about;
    if about.is_empty() {
        return None;
    }
    let about_title = ch.words.about(ch.doc);
    let mut w = ch.writer(&about_title);
    w.raw("<body");
    w.epub_type("backmatter");
    w.raw(">\n<section class=\"about\" aria-labelledby=\"cq-about\">\n<h1 id=\"cq-about\">");
    w.text(&about_title);
    w.raw("</h1>\n");
    w.notes_here = false;
    w.blocks(about, ch.doc, None);
    w.raw("</section>\n");
    close_doc(&mut w);
    diags.append(&mut w.diags);
    Some(Page {
        file: "about.xhtml".into(),
        xhtml: w.out,
        // Not a landmark: the guide has no fitting type for boilerplate.
        landmark: None,
        toc: Some(TocNode {
            href: "about.xhtml".into(),
            title: about_title,
            children: vec![],
        }),
    })
}

/// Font and image files for the package.
fn resources(opts: &EpubOptions, set: ImageSet) -> Vec<Resource> {
    let mut r = font_resources(opts);
    r.extend(set.files.into_iter().map(|f| Resource {
        path: f.href,
        mime: f.mime.into(),
        bytes: f.bytes,
    }));
    r
}

/// Writes one EPUB holding every statement as its own chapter (newest first), with a generated
/// cover, a contents page and the pack's own metadata.
pub fn bundle(title: &str, docs: &[Document], opts: &EpubOptions) -> Result<Rendered, Diagnostic> {
    if docs.is_empty() {
        return Err(
            Diagnostic::error(format!("the briefing pack `{title}` has no statements"))
                .help("give at least one Markdown file or a folder that holds some"),
        );
    }
    let mut diags = Vec::new();
    let mut set = ImageSet::default();
    let mut doc_images: Vec<HashMap<String, ImageRef>> = Vec::new();
    for d in docs {
        doc_images.push(set.add_document(d, &opts.assets)?);
    }
    diags.append(&mut set.warnings);
    let images_of = |d: &Document| {
        docs.iter()
            .position(|x| std::ptr::eq(x, d))
            .map(|i| doc_images[i].clone())
            .unwrap_or_default()
    };
    let order = newest_first(docs);
    let first = order[0];
    let lang = lang_of(first);
    let rtl = is_rtl(first);
    let words = Words::of(first);
    let title = if title.trim().is_empty() {
        "Briefing".to_string()
    } else {
        title.trim().to_string()
    };
    let newest = order.iter().find_map(|d| d.meta.date);
    let orgs = pack_orgs(&order);
    let n = order.len();
    let (cover_res, cover_alt) = bundle_cover(&title, &lang, n, &orgs, newest, &words, opts);
    let mut pages = vec![cover_page(&cover_res, &cover_alt, &lang, rtl, &words)];
    let files: Vec<String> = (1..=n).map(|i| format!("s{i:03}.xhtml")).collect();
    pages.push(contents_page(
        &order, &files, &title, &lang, rtl, &mut diags,
    ));
    for (d, f) in order.iter().zip(&files) {
        let landmark = (f == &files[0]).then_some(Landmark::Body);
        pages.push(bundle_chapter(
            d,
            f,
            &images_of(d),
            &lang,
            landmark,
            &mut diags,
        ));
    }

    let nav = nav_doc(&pages, &lang, rtl, &files[0], &words);
    let mut id_src = format!("bundle\0{title}\0");
    for d in &order {
        id_src.push_str(&canonical(d));
        id_src.push('\0');
    }
    let subjects = pack_subjects(&order);
    let pkg = Package {
        title: title.clone(),
        lang,
        rtl,
        identifier: uuid::Uuid::new_v5(&namespace(), id_src.as_bytes()),
        modified: opts
            .source_date_epoch
            .or(newest.map(|d| d.unix_seconds()))
            .unwrap_or(0),
        published: newest.map(|d| d.unix_seconds()),
        description: Some(format!(
            "Briefing pack of {n} statement{}{}.",
            if n == 1 { "" } else { "s" },
            if orgs.is_empty() {
                String::new()
            } else {
                format!(" from {}", orgs.join(", "))
            }
        )),
        subjects,
        creators: orgs.clone(),
        publishers: orgs,
        accessibility_summary: accessibility_summary(!set.files.is_empty()),
        toc_name: words.labels.contents.clone(),
        css: stylesheet(opts),
        cover: Some(cover_res),
        resources: resources(opts, set),
        pages,
        nav,
    };
    packaged(&pkg, diags)
}

/// The organizations of a pack's statements, each once, in order.
fn pack_orgs(order: &[&Document]) -> Vec<String> {
    let mut orgs: Vec<String> = Vec::new();
    for d in order {
        if let Some(o) = &d.meta.organization
            && !orgs.contains(o)
        {
            orgs.push(o.clone());
        }
    }
    orgs
}

/// The keywords of a pack's statements, each once, in order.
fn pack_subjects(order: &[&Document]) -> Vec<String> {
    let mut subjects: Vec<String> = Vec::new();
    for d in order {
        for k in &d.meta.keywords {
            if !subjects.contains(k) {
                subjects.push(k.clone());
            }
        }
    }
    subjects
}

/// A pack's statements, newest first; undated statements last, in the order given.
fn newest_first(docs: &[Document]) -> Vec<&Document> {
    let mut order: Vec<&Document> = docs.iter().collect();
    order.sort_by(|a, b| match (a.meta.date, b.meta.date) {
        (Some(x), Some(y)) => y.unix_seconds().cmp(&x.unix_seconds()),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    order
}

/// A pack's generated cover and its text alternative: the pack's title, its organization (or
/// how many statements it holds) and the newest statement's date.
fn bundle_cover(
    title: &str,
    lang: &str,
    n: usize,
    orgs: &[String],
    newest: Option<DateTime>,
    words: &Words,
    opts: &EpubOptions,
) -> (Resource, String) {
    let ct = CoverText {
        kicker: if Lang::of(lang) == Lang::En {
            "BRIEFING PACK".into()
        } else {
            String::new()
        },
        band: if orgs.len() == 1 {
            orgs[0].clone()
        } else {
            format!("{n} statements")
        },
        title: title.to_string(),
        footer: newest.map(|d| words.long_date(d)).unwrap_or_default(),
        lang: lang.to_string(),
        system_fonts: !opts.no_system_fonts,
    };
    let cover_png = cover::cover_png(&cover::showable(&ct).0);
    let cover_res = Resource {
        path: "cover.png".into(),
        mime: "image/png".into(),
        bytes: cover_png,
    };
    (cover_res, format!("{}: {title}", words.cover))
}

/// A pack's contents page: each statement's title, organization and date, linked.
fn contents_page(
    order: &[&Document],
    files: &[String],
    title: &str,
    lang: &str,
    rtl: bool,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let empty = crate::model::SourceMap::default();
    let mut w = Writer::new(Flavor::Epub, &empty);
    w.quiet = true;
    open_doc(&mut w, title, lang, rtl, None, "");
    w.raw("<body");
    w.epub_type("frontmatter");
    w.raw(
        ">\n<section class=\"contents\" aria-labelledby=\"cq-contents\">\n<h1 id=\"cq-contents\">",
    );
    w.text(title);
    w.raw("</h1>\n<ol>\n");
    for (d, f) in order.iter().zip(files) {
        w.raw("<li");
        if lang_of(d) != lang {
            w.lang_attrs(&lang_of(d));
        }
        if is_rtl(d) != rtl {
            w.raw(if is_rtl(d) {
                " dir=\"rtl\""
            } else {
                " dir=\"ltr\""
            });
        }
        w.raw(&format!("><a href=\"{f}\">"));
        w.text(&display_title(d));
        w.raw("</a>");
        let mut bits = Vec::new();
        if let Some(o) = &d.meta.organization {
            bits.push(esc(o));
        }
        if let Some(dt) = d.meta.date {
            bits.push(format!(
                "<time datetime=\"{}\">{}</time>",
                esc_attr(&dt.to_string()),
                esc(&Words::of(d).long_date(dt))
            ));
        }
        if !bits.is_empty() {
            w.raw("<span class=\"meta\">");
            w.raw(&bits.join(" · "));
            w.raw("</span>");
        }
        w.raw("</li>\n");
    }
    w.raw("</ol>\n</section>\n");
    close_doc(&mut w);
    diags.append(&mut w.diags);
    Page {
        file: "contents.xhtml".into(),
        xhtml: w.out,
        landmark: Some(Landmark::Toc),
        toc: None,
    }
}

/// One statement of a pack as its own chapter (`file`), in its own language.
fn bundle_chapter(
    d: &Document,
    file: &str,
    images: &HashMap<String, ImageRef>,
    lang: &str,
    landmark: Option<Landmark>,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let dt = display_title(d);
    let dw = Words::of(d);
    let mut w = Writer::new(Flavor::Epub, &d.source);
    w.images = images.clone();
    open_doc(&mut w, &dt, &lang_of(d), is_rtl(d), None, "");
    w.raw("<body");
    w.epub_type("bodymatter");
    w.raw(">\n<section class=\"statement\"");
    w.epub_type("chapter");
    w.raw(" role=\"doc-chapter\" aria-labelledby=\"cq-title\"");
    if lang_of(d) != lang {
        w.lang_attrs(&lang_of(d));
    }
    w.raw(">\n");
    masthead(&mut w, d, 1, &dw);
    w.heading_shift = 1;
    statement_body(&mut w, d, &dw);
    if !d.meta.about.is_empty() {
        w.raw("<section class=\"about\" aria-labelledby=\"cq-about\">\n<h2 id=\"cq-about\">");
        w.text(&dw.about(d));
        w.raw("</h2>\n");
        w.notes_here = false;
        w.blocks(&d.meta.about, d, None);
        w.raw("</section>\n");
    }
    w.raw("</section>\n");
    close_doc(&mut w);
    diags.append(&mut w.diags);
    Page {
        file: file.to_string(),
        xhtml: w.out,
        landmark,
        toc: Some(TocNode {
            href: file.to_string(),
            title: dt,
            children: heading_toc(&d.blocks, file),
        }),
    }
}

/// A writer for an HTML document with the statement's images, and the image files (which the
/// page and the e-mail return as attachments).
fn html_writer<'a>(
    doc: &'a Document,
    opts: &EpubOptions,
) -> Result<(Writer<'a>, ImageSet), Diagnostic> {
    let mut set = ImageSet::default();
    let imgs = set.add_document(doc, &opts.assets)?;
    let mut w = Writer::new(Flavor::Html, &doc.source);
    w.diags.append(&mut set.warnings);
    w.images = imgs;
    Ok((w, set))
}

/// Writes one HTML5 page (style sheet inlined) for the newsroom website. Its images come back
/// as [`Rendered::attachments`], named `images/<digest>.<ext>` relative to the page: the caller
/// writes them into an `images` folder beside it (the names are content digests, so pages in
/// one folder can share it).
pub fn html(doc: &Document, opts: &EpubOptions) -> Result<Rendered, Diagnostic> {
    let lang = lang_of(doc);
    let rtl = is_rtl(doc);
    let title = display_title(doc);
    let words = Words::of(doc);
    let (mut w, set) = html_writer(doc, opts)?;
    let style = css::html(&opts.theme);
    open_doc(
        &mut w,
        &title,
        &lang,
        rtl,
        doc.meta.description.as_deref(),
        &style,
    );
    // The sharing metadata goes at the end of the head.
    debug_assert!(w.out.ends_with("</head>\n"));
    w.out.truncate(w.out.len() - "</head>\n".len());
    let mut files: Vec<crate::Attachment> = Vec::new();
    share::page_meta(&mut w, doc, opts, &words, &mut files);
    w.raw("</head>\n");
    // One `main` landmark holds everything, so that no content is outside a landmark.
    w.raw("<body>\n<main>\n<article>\n");
    page_content(&mut w, doc, &words);
    w.raw("</article>\n</main>\n");
    close_doc(&mut w);
    let mut attachments: Vec<crate::Attachment> = set
        .files
        .into_iter()
        .map(|f| crate::Attachment {
            path: f.href,
            bytes: f.bytes,
        })
        .collect();
    for f in files {
        if !attachments.iter().any(|a| a.path == f.path) {
            attachments.push(f);
        }
    }
    Ok(Rendered {
        bytes: w.out.into_bytes(),
        diagnostics: w.diags,
        attachments,
    })
}

/// What the page and the e-mail's HTML part both hold: the masthead, the statement (with its
/// notes) and the "About" section.
fn page_content(w: &mut Writer, doc: &Document, words: &Words) {
    w.raw("<header class=\"titlepage\">\n");
    masthead(w, doc, 1, words);
    w.raw("</header>\n<section class=\"statement\">\n");
    statement_body(w, doc, words);
    w.raw("</section>\n");
    if !doc.meta.about.is_empty() {
        w.raw("<section class=\"about\" aria-labelledby=\"cq-about\">\n<h2 id=\"cq-about\">");
        w.text(&words.about(doc));
        w.raw("</h2>\n");
        w.notes_here = false;
        w.blocks(&doc.meta.about, doc, None);
        w.raw("</section>\n");
    }
}

/// The statement as an e-mail's HTML part, before the e-mail backend ([`crate::eml`]) gives
/// each element its inline style: a whole document with no style sheet, whose content is the
/// page's (masthead, statement, notes, "About"), in one `<main>`. Its images come back as
/// attachments named `images/<digest>.<ext>`, as for the page.
pub fn email_html(doc: &Document, opts: &EpubOptions) -> Result<Rendered, Diagnostic> {
    let lang = lang_of(doc);
    let rtl = is_rtl(doc);
    let title = display_title(doc);
    let words = Words::of(doc);
    let (mut w, set) = html_writer(doc, opts)?;
    w.raw("<!DOCTYPE html>\n<html");
    w.lang_attrs(&lang);
    w.raw(&format!(
        " dir=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<meta name=\"color-scheme\" content=\"light dark\"/>\n<meta name=\"supported-color-schemes\" content=\"light dark\"/>\n<title>",
        if rtl { "rtl" } else { "ltr" }
    ));
    w.text(&title);
    w.raw("</title>\n</head>\n<body>\n<main class=\"email\">\n");
    page_content(&mut w, doc, &words);
    w.raw("</main>\n");
    close_doc(&mut w);
    Ok(Rendered {
        bytes: w.out.into_bytes(),
        diagnostics: w.diags,
        attachments: set
            .files
            .into_iter()
            .map(|f| crate::Attachment {
                path: f.href,
                bytes: f.bytes,
            })
            .collect(),
    })
}

// ----- pieces shared by the pages -----

fn lang_of(doc: &Document) -> String {
    let l = doc.meta.lang.trim();
    let ok = !l.is_empty()
        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && l.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if ok {
        l.to_string()
    } else {
        crate::model::DEFAULT_LANG.to_string()
    }
}

fn is_rtl(doc: &Document) -> bool {
    match doc.meta.dir {
        Some(d) => d == crate::model::Direction::Rtl,
        None => crate::locale::is_rtl(&doc.meta.lang),
    }
}

fn display_title(doc: &Document) -> String {
    let t = doc
        .meta
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if t.is_empty() {
        "Untitled statement".into()
    } else {
        t
    }
}

fn accessibility_summary(images: bool) -> String {
    let mut s = String::from(
        "This publication is text with a table of contents, headings in a logical order and a \
         reading order that follows the printed statement. The cover image has a text alternative \
         and repeats the headline, organization and date given as text on the title page.",
    );
    if images {
        s.push_str(
            " Photos and charts carry the text alternatives their authors wrote, and captions \
             where given; the logo repeats the organization's name and is marked decorative.",
        );
    }
    s.push_str(" Text can be resized and restyled by the reader. No known hazards.");
    s
}

fn stylesheet(opts: &EpubOptions) -> String {
    let sheet = css::epub(&opts.theme);
    if opts.embed_fonts {
        format!("{sheet}{}", css::EMBEDDED_FONTS)
    } else {
        sheet
    }
}

fn font_resources(opts: &EpubOptions) -> Vec<Resource> {
    if !opts.embed_fonts {
        return Vec::new();
    }
    const FONTS: [(&str, &[u8]); 5] = [
        (
            "NotoSerif-Regular.ttf",
            include_bytes!("../../fonts/NotoSerif-Regular.ttf"),
        ),
        (
            "NotoSerif-Italic.ttf",
            include_bytes!("../../fonts/NotoSerif-Italic.ttf"),
        ),
        (
            "NotoSerif-Bold.ttf",
            include_bytes!("../../fonts/NotoSerif-Bold.ttf"),
        ),
        (
            "NotoSerif-BoldItalic.ttf",
            include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf"),
        ),
        (
            "NotoSansMono-Regular.ttf",
            include_bytes!("../../fonts/NotoSansMono-Regular.ttf"),
        ),
    ];
    FONTS
        .iter()
        .map(|(name, bytes)| Resource {
            path: format!("fonts/{name}"),
            mime: "font/ttf".into(),
            bytes: bytes.to_vec(),
        })
        .collect()
}

/// A stable text for the identifier: what the statement says, not how its source is spaced.
fn canonical(doc: &Document) -> String {
    let m = &doc.meta;
    let mut s = String::with_capacity(4096);
    for part in [
        m.title.as_str(),
        m.subtitle.as_deref().unwrap_or(""),
        m.organization.as_deref().unwrap_or(""),
        m.dateline.as_deref().unwrap_or(""),
        &m.date.map(|d| d.to_string()).unwrap_or_default(),
    ] {
        s.push_str(part);
        s.push('\0');
    }
    doc.walk_blocks(&mut |b: &Block| match &b.kind {
        BlockKind::Heading { content, .. } | BlockKind::Paragraph(content) => {
            s.push_str(&crate::model::plain_text(content));
            s.push('\n');
        }
        BlockKind::CodeBlock { text, .. } => {
            s.push_str(text);
            s.push('\n');
        }
        BlockKind::Table(t) => {
            for c in t.header.iter().chain(t.rows.iter().flatten()) {
                s.push_str(&crate::model::plain_text(c));
                s.push('\t');
            }
            s.push('\n');
        }
        _ => {}
    });
    s
}

/// The words of the generated pages in the document's language: the press-release labels
/// shared with the PDF (with the author's overrides) and a few e-book ones.
pub(crate) struct Words {
    pub lang: String,
    pub labels: Labels,
    pub statement: &'static str,
    pub cover: &'static str,
    pub notes: &'static str,
    pub landmarks: &'static str,
    pub start: &'static str,
}

impl Words {
    pub fn new(lang: &str, overrides: &LabelOverrides) -> Words {
        let [statement, cover, notes, landmarks, start] = match Lang::of(lang) {
            Lang::En => [
                "Statement",
                "Cover",
                "Notes",
                "Landmarks",
                "Start of content",
            ],
            Lang::Fr => [
                "Déclaration",
                "Couverture",
                "Notes",
                "Repères",
                "Début du texte",
            ],
            Lang::Es => [
                "Declaración",
                "Portada",
                "Notas",
                "Puntos de referencia",
                "Inicio del texto",
            ],
            Lang::Ru => [
                "Заявление",
                "Обложка",
                "Примечания",
                "Ориентиры",
                "Начало текста",
            ],
            Lang::Zh => ["声明", "封面", "注释", "导航", "正文开始"],
            Lang::Ar => ["البيان", "الغلاف", "الحواشي", "معالم", "بداية النص"],
            Lang::De => [
                "Erklärung",
                "Titelbild",
                "Anmerkungen",
                "Orientierungspunkte",
                "Textanfang",
            ],
            Lang::Pt => [
                "Declaração",
                "Capa",
                "Notas",
                "Pontos de referência",
                "Início do texto",
            ],
        };
        Words {
            lang: lang.to_string(),
            labels: Labels::new(lang, overrides),
            statement,
            cover,
            notes,
            landmarks,
            start,
        }
    }

    fn of(doc: &Document) -> Words {
        Words::new(&lang_of(doc), &doc.meta.labels)
    }

    /// `FOR IMMEDIATE RELEASE` or `EMBARGOED UNTIL 00:01 EST, 28 NOVEMBER 2026`.
    pub fn release_line(&self, r: &Release) -> String {
        match r {
            Release::Immediate => self.labels.immediate.clone(),
            Release::Embargoed { until, zone } => {
                locale::embargo_line(&self.labels, until, zone.as_deref(), &self.lang)
            }
        }
    }

    /// `November 27, 2026` (in the document's language).
    pub fn long_date(&self, d: DateTime) -> String {
        locale::long_date(&d, &self.lang)
    }

    /// `About Amnesty International USA`.
    pub fn about(&self, doc: &Document) -> String {
        let org = doc.meta.organization.as_deref().unwrap_or("").trim();
        self.labels.about_heading(org).trim().to_string()
    }
}

/// Opens a page; `style` is the HTML page's inline style sheet (EPUB pages link theirs).
fn open_doc(
    w: &mut Writer,
    title: &str,
    lang: &str,
    rtl: bool,
    description: Option<&str>,
    style: &str,
) {
    let dir = if rtl { "rtl" } else { "ltr" };
    if w.epub() {
        w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"");
    } else {
        w.raw("<!DOCTYPE html>\n<html");
    }
    w.lang_attrs(lang);
    w.raw(&format!(
        " dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    ));
    if !w.epub() {
        w.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        w.raw(&format!(
            "<meta name=\"generator\" content=\"Communique {}\"/>\n",
            crate::VERSION
        ));
        if let Some(d) = description {
            w.raw("<meta name=\"description\"");
            w.attr_pair("content", d);
            w.raw("/>\n");
        }
    }
    w.raw("<title>");
    w.text(title);
    w.raw("</title>\n");
    if w.epub() {
        w.raw("<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n");
    } else {
        w.raw("<style>\n");
        w.raw(style);
        w.raw("</style>\n");
    }
    w.raw("</head>\n");
}

fn close_doc(w: &mut Writer) {
    w.raw("</body>\n</html>\n");
}

/// Release line, headline, subtitle, organization, date and contacts.
fn masthead(w: &mut Writer, doc: &Document, level: u8, words: &Words) {
    let m = &doc.meta;
    if let Some(logo) = m.logo.as_deref()
        && let Some(r) = w.images.get(logo.trim()).cloned()
    {
        // The organization's name follows as text, so the logo is decorative for a screen reader.
        w.raw("<p class=\"logo\"><img src=\"");
        w.attr(&r.href);
        w.raw("\" alt=\"\" role=\"presentation\"");
        if !w.epub() {
            w.raw(&format!(" width=\"{}\" height=\"{}\"", r.width, r.height));
        }
        w.raw("/></p>\n");
    }
    w.raw("<p class=\"release\">");
    w.text(&words.release_line(&m.release));
    w.raw("</p>\n");
    w.raw(&format!("<h{level} id=\"cq-title\">"));
    if m.title.trim().is_empty() {
        w.text(&display_title(doc));
    } else {
        w.inlines(&m.title_content(), doc);
    }
    w.raw(&format!("</h{level}>\n"));
    if let Some(s) = m
        .subtitle_content()
        .filter(|s| !crate::model::plain_text(s).trim().is_empty())
    {
        w.raw("<p class=\"subtitle\">");
        w.inlines(&s, doc);
        w.raw("</p>\n");
    }
    if let Some(o) = m.organization.as_deref().filter(|s| !s.trim().is_empty()) {
        w.raw("<p class=\"org\">");
        w.text(o);
        w.raw("</p>\n");
    }
    if let Some(d) = m.date {
        w.raw("<p class=\"date\"><time datetime=\"");
        w.attr(&d.to_string());
        w.raw("\">");
        w.text(&words.long_date(d));
        w.raw("</time></p>\n");
    }
    if !m.contacts.is_empty() {
        w.raw(&format!(
            "<section class=\"contacts\" aria-labelledby=\"cq-contacts\">\n<h{l} id=\"cq-contacts\">",
            l = level + 1,
        ));
        w.text(&words.labels.media_contact);
        w.raw(&format!("</h{l}>\n", l = level + 1));
        for c in &m.contacts {
            let mut lines: Vec<String> = Vec::new();
            if let Some(n) = &c.name {
                lines.push(esc(n));
            }
            let role: Vec<&str> = [c.role.as_deref(), c.organization.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if !role.is_empty() {
                lines.push(esc(&role.join(", ")));
            }
            if let Some(e) = &c.email {
                match safe_url(&format!("mailto:{}", e.trim())) {
                    Some(u) => lines.push(format!("<a href=\"{}\">{}</a>", esc_attr(&u), esc(e))),
                    None => lines.push(esc(e)),
                }
            }
            if let Some(p) = &c.phone {
                let digits: String = p
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect();
                if digits.chars().filter(char::is_ascii_digit).count() >= 3 {
                    lines.push(format!(
                        "<a href=\"tel:{}\">{}</a>",
                        esc_attr(&digits),
                        esc(p)
                    ));
                } else {
                    lines.push(esc(p));
                }
            }
            // Metadata strings may hold control characters: `esc` leaves them out silently here,
            // the reader has already warned about front matter.
            w.raw("<p>");
            w.raw(&lines.join("<br/>\n"));
            w.raw("</p>\n");
        }
        w.raw("</section>\n");
    }
}

/// The statement's blocks with the dateline lead-in, the end mark and the notes.
fn statement_body(w: &mut Writer, doc: &Document, words: &Words) {
    let city = doc
        .meta
        .dateline
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let lead = locale::dateline(city, doc.meta.date.as_ref(), &words.lang)
        .map(|d| format!("<span class=\"dateline\">{}</span>", esc(&d)));
    // The dateline opens the first paragraph of the body's own text (after any leading
    // quotation, list, heading or figure), never a quotation or a list item.
    let has_paragraph = doc
        .blocks
        .iter()
        .any(|b| matches!(&b.kind, BlockKind::Paragraph(inl) if xhtml::lone_image(inl).is_none()));
    if let Some(l) = &lead
        && !has_paragraph
    {
        // No paragraph to carry it: the dateline stands on its own line.
        w.raw("<p>");
        w.raw(l);
        w.raw("</p>\n");
        w.blocks(&doc.blocks, doc, None);
    } else {
        w.blocks(&doc.blocks, doc, lead.as_deref());
    }
    w.raw("<p class=\"endmark\">");
    w.text(&words.labels.end);
    w.raw("</p>\n");
    w.notes_label = words.notes.to_string();
    w.footnotes(doc);
}

/// The headings of the body as a tree of table-of-contents entries.
fn heading_toc(blocks: &[Block], file: &str) -> Vec<TocNode> {
    // (level, node) stack flattened into a tree.
    let mut flat: Vec<(u8, TocNode)> = Vec::new();
    for b in blocks {
        if let BlockKind::Heading { level, id, content } = &b.kind {
            let title = crate::model::plain_text(content);
            let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            flat.push((
                *level,
                TocNode {
                    href: format!("{file}#{}", safe_id(id, b.id.0)),
                    title: if title.is_empty() {
                        "Section".into()
                    } else {
                        title
                    },
                    children: vec![],
                },
            ));
        }
    }
    build_tree(&mut flat.into_iter().peekable(), 0)
}

fn build_tree(
    it: &mut std::iter::Peekable<impl Iterator<Item = (u8, TocNode)>>,
    parent: u8,
) -> Vec<TocNode> {
    let mut out = Vec::new();
    while let Some((level, _)) = it.peek() {
        if *level <= parent {
            break;
        }
        let Some((level, mut node)) = it.next() else {
            break;
        };
        node.children = build_tree(it, level);
        out.push(node);
    }
    out
}

fn cover_text(doc: &Document, words: &Words) -> CoverText {
    CoverText {
        // An embargo is the first thing a journalist must see.
        kicker: words.release_line(&doc.meta.release),
        band: doc.meta.organization.clone().unwrap_or_default(),
        title: display_title(doc),
        footer: doc
            .meta
            .date
            .map(|d| words.long_date(d))
            .unwrap_or_default(),
        lang: words.lang.clone(),
        system_fonts: true,
    }
}

/// The cover: the image named by `cover` in front matter, else a generated one.
fn cover_for(
    doc: &Document,
    text: &CoverText,
    words: &Words,
    policy: &AssetPolicy,
    diags: &mut Vec<Diagnostic>,
) -> (Resource, String) {
    let mut alt = format!("{}: {}", words.cover, text.title);
    if !text.band.is_empty() {
        alt.push_str(&format!(", {}", text.band));
    }
    if !text.footer.is_empty() {
        alt.push_str(&format!(", {}", text.footer));
    }
    if let Some(c) = doc.meta.cover.as_deref().filter(|c| !c.trim().is_empty())
        && let Some(r) = given_cover(doc, c, policy, diags)
    {
        return (r, alt);
    }
    let (mut shown, lost) = cover::showable(text);
    if lost {
        diags.push(
            Diagnostic::warning(
                "the generated cover leaves out text in a script that no available font can show",
            )
            .at(&doc.source, front_matter_key(doc.source.text(), "title"))
            .help("install a font for it (e.g. fonts-noto-core, fonts-noto-cjk), or give a `cover` image in front matter"),
        );
        if shown.footer.is_empty()
            && let Some(d) = doc.meta.date
        {
            shown.footer = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
        }
    }
    (
        Resource {
            path: "cover.png".into(),
            mime: "image/png".into(),
            bytes: cover::cover_png(&shown),
        },
        alt,
    )
}

/// The cover image that front matter names (`c`), as the package's cover file; `None`, with
/// a warning, when it cannot be read or drawn (a cover is generated instead).
fn given_cover(
    doc: &Document,
    c: &str,
    policy: &AssetPolicy,
    diags: &mut Vec<Diagnostic>,
) -> Option<Resource> {
    let at = images::key_offset(doc, "cover");
    match crate::assets::read_asset(doc, c, at, policy) {
        Ok((path, bytes)) => match image_type(&bytes) {
            // An SVG cover is sanitized and drawn as a PNG: e-readers show SVG covers
            // unevenly (library thumbnails especially).
            Some(("svg", _)) => match crate::assets::load_image(doc, c, at, policy)
                .and_then(|img| {
                    diags.extend(img.warnings.iter().cloned());
                    images::raster_cover(&img).map_err(|e| {
                        Diagnostic::warning(format!(
                            "cover `{}` could not be drawn: {e}",
                            path.display()
                        ))
                    })
                }) {
                Ok(png) => {
                    return Some(Resource {
                        path: "cover.png".into(),
                        mime: "image/png".into(),
                        bytes: png,
                    });
                }
                Err(e) => {
                    let mut d = Diagnostic::warning(format!(
                        "{}; a cover is generated instead",
                        e.message
                    ))
                    .in_file(&doc.source.path);
                    d.help = e.help;
                    d.line_col = e.line_col;
                    diags.push(d);
                }
            },
            Some((ext, mime)) => {
                return Some(Resource {
                    path: format!("cover.{ext}"),
                    mime: mime.into(),
                    bytes,
                });
            }
            None => diags.push(
                Diagnostic::warning(format!(
                    "cover `{}` is not a PNG, JPEG, GIF, WebP or SVG image; a cover is generated instead",
                    path.display()
                ))
                .in_file(&doc.source.path),
            ),
        },
        Err(e) => {
            let mut d = Diagnostic::warning(format!(
                "{}; a cover is generated instead",
                e.message
            ))
            .in_file(&doc.source.path)
            .help(e.help.unwrap_or_default());
            d.line_col = e.line_col;
            diags.push(d);
        }
    }
    None
}

fn image_type(b: &[u8]) -> Option<(&'static str, &'static str)> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some(("gif", "image/gif"))
    } else if b.len() > 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else if String::from_utf8_lossy(&b[..b.len().min(4096)]).contains("<svg") {
        Some(("svg", "image/svg+xml"))
    } else {
        None
    }
}

fn cover_page(cover: &Resource, alt: &str, lang: &str, rtl: bool, words: &Words) -> Page {
    let empty = crate::model::SourceMap::default();
    let mut w = Writer::new(Flavor::Epub, &empty);
    w.quiet = true;
    open_doc(&mut w, words.cover, lang, rtl, None, "");
    w.raw("<body>\n<section class=\"cover\"");
    w.epub_type("cover");
    w.raw(&format!(
        ">\n<img role=\"doc-cover\" src=\"{}\"",
        esc_attr(&cover.path)
    ));
    w.attr_pair("alt", alt);
    w.raw("/>\n</section>\n");
    close_doc(&mut w);
    Page {
        file: "cover.xhtml".into(),
        xhtml: w.out,
        landmark: Some(Landmark::Cover),
        toc: None,
    }
}

fn nav_doc(pages: &[Page], lang: &str, rtl: bool, body: &str, words: &Words) -> String {
    let empty = crate::model::SourceMap::default();
    let mut w = Writer::new(Flavor::Epub, &empty);
    w.quiet = true;
    open_doc(&mut w, &words.labels.contents, lang, rtl, None, "");
    w.raw("<body>\n<nav");
    w.epub_type("toc");
    w.raw(" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">");
    w.text(&words.labels.contents);
    w.raw("</h1>\n<ol>\n");
    fn item(w: &mut Writer, n: &TocNode) {
        w.raw("<li><a href=\"");
        w.attr(&n.href);
        w.raw("\">");
        w.text(&n.title);
        w.raw("</a>");
        if !n.children.is_empty() {
            w.raw("\n<ol>\n");
            for c in &n.children {
                item(w, c);
            }
            w.raw("</ol>\n");
        }
        w.raw("</li>\n");
    }
    for p in pages {
        if let Some(t) = &p.toc {
            item(&mut w, t);
        }
    }
    w.raw("</ol>\n</nav>\n<nav");
    w.epub_type("landmarks");
    w.raw(" id=\"landmarks\" aria-labelledby=\"landmarks-title\" hidden=\"hidden\">\n<h2 id=\"landmarks-title\">");
    w.text(words.landmarks);
    w.raw("</h2>\n<ol>\n");
    if pages.iter().any(|p| p.landmark == Some(Landmark::Cover)) {
        w.raw("<li><a epub:type=\"cover\" href=\"cover.xhtml\">");
        w.text(words.cover);
        w.raw("</a></li>\n");
    }
    w.raw("<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">");
    w.text(&words.labels.contents);
    w.raw("</a></li>\n");
    w.raw(&format!(
        "<li><a epub:type=\"bodymatter\" href=\"{}\">",
        esc_attr(body)
    ));
    w.text(words.start);
    w.raw("</a></li>\n");
    w.raw("</ol>\n</nav>\n");
    close_doc(&mut w);
    w.out
}

/// The byte offset of the line that sets `key` at the top level of the front matter
/// (`key:` in YAML, `key =` in TOML), for a diagnostic about its value; 0 when there is none.
fn front_matter_key(text: &str, key: &str) -> u32 {
    let mut at = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let l = line.trim_end();
        if i > 0 && (l == "---" || l == "+++") {
            break;
        }
        if let Some(rest) = l.strip_prefix(key)
            && (rest.trim_start().starts_with(':') || rest.trim_start().starts_with('='))
        {
            return at as u32;
        }
        at += line.len();
    }
    0
}
