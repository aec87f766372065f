//! Packaging: the only file that touches epub-builder and zip.
//!
//! epub-builder writes the manifest, spine, guide, `toc.ncx` and container. We then re-zip its
//! output deterministically (`mimetype` first and stored, fixed entry times, stable order) and
//! mend what it gets wrong or leaves out:
//! - it gives `dc:language` the id `epub-creator-0`, which collides with the first
//!   `dc:creator`; we rename the language id and write the creators ourselves;
//! - custom `<meta>` content is not escaped; we never use it and write our own metadata,
//!   escaped, into the OPF;
//! - its nav has an empty landmarks list, no `role="doc-toc"`, no labels and no `lang`;
//!   we replace `nav.xhtml` with our own;
//! - it stamps "now" into `dcterms:modified` and the zip entries; we set both;
//! - the package element gets `xml:lang` (and `dir`), and the nav joins the spine at the end;
//! - `toc.ncx` gets the `dtb:uid` that older reading systems expect;
//! - the spine's `page-progression-direction` is set through the metadata (its
//!   `epub_direction` setter does not reach the OPF).
//!
//! Content documents, the style sheet and binary resources (cover, fonts) are handed to
//! epub-builder empty and filled in when re-zipping, so each is compressed once.

use std::io::{Cursor, Read};

use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, PageDirection, ReferenceType, TocElement, ZipLibrary,
};
use zip::ZipArchive;

use super::xhtml::{clean, esc};
use crate::Diagnostic;

/// A file that is not a content document (cover image, font).
pub(crate) struct Resource {
    /// Path inside `OEBPS/`.
    pub path: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// Landmarks that a content document can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Landmark {
    Cover,
    TitlePage,
    Toc,
    Body,
}

/// An entry of the table of contents.
#[derive(Debug, Clone)]
pub(crate) struct TocNode {
    pub href: String,
    pub title: String,
    pub children: Vec<TocNode>,
}

/// One XHTML content document, in spine order.
pub(crate) struct Page {
    pub file: String,
    pub xhtml: String,
    pub landmark: Option<Landmark>,
    /// This page's entry in the table of contents, if any.
    pub toc: Option<TocNode>,
}

pub(crate) struct Package {
    pub title: String,
    pub lang: String,
    pub rtl: bool,
    pub identifier: uuid::Uuid,
    /// `dcterms:modified`, seconds since the epoch.
    pub modified: i64,
    /// `dc:date`, seconds since the epoch.
    pub published: Option<i64>,
    pub description: Option<String>,
    pub subjects: Vec<String>,
    pub creators: Vec<String>,
    pub publishers: Vec<String>,
    pub accessibility_summary: String,
    /// Title of the table of contents.
    pub toc_name: String,
    pub css: String,
    pub cover: Option<Resource>,
    pub resources: Vec<Resource>,
    pub pages: Vec<Page>,
    /// Our own `nav.xhtml`.
    pub nav: String,
}

fn err(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(format!("could not write the EPUB: {e}"))
}

fn toc_element(n: &TocNode, level: i32) -> TocElement {
    let mut e = TocElement::new(n.href.clone(), clean(&n.title)).level(level);
    for c in &n.children {
        e = e.child(toc_element(c, level + 1));
    }
    e
}

/// Writes the EPUB's bytes.
pub(crate) fn write(p: &Package) -> Result<Vec<u8>, Diagnostic> {
    let mut b = EpubBuilder::new(ZipLibrary::new().map_err(err)?).map_err(err)?;
    b.epub_version(EpubVersion::V33);
    // The spine's direction comes from the metadata, not from `epub_direction` (which the
    // OPF template ignores); set both.
    let dir = if p.rtl {
        PageDirection::Rtl
    } else {
        PageDirection::Ltr
    };
    b.epub_direction(dir);
    b.metadata("direction", dir.to_string()).map_err(err)?;
    b.escape_html(true);
    b.set_title(clean(&p.title));
    b.add_language(clean(&p.lang));
    b.set_generator(format!("Communique {}", crate::VERSION));
    b.set_toc_name(clean(&p.toc_name));
    if let Some(d) = &p.description {
        b.add_description(clean(d));
    }
    for s in &p.subjects {
        b.add_subject(clean(s));
    }
    b.set_uuid(p.identifier);
    b.set_modified_date(chrono_utc(p.modified));
    if let Some(d) = p.published {
        b.set_publication_date(chrono_utc(d));
    }
    b.stylesheet(&b""[..]).map_err(err)?;
    if let Some(c) = &p.cover {
        b.add_cover_image(&c.path, &b""[..], c.mime.clone())
            .map_err(err)?;
    }
    for r in &p.resources {
        b.add_resource(&r.path, &b""[..], r.mime.clone())
            .map_err(err)?;
    }
    for page in &p.pages {
        let mut c = EpubContent::new(page.file.clone(), &b""[..]);
        if let Some(t) = &page.toc {
            c = c.title(clean(&t.title));
            for child in &t.children {
                c = c.child(toc_element(child, 2));
            }
        }
        if let Some(l) = page.landmark {
            c = c.reftype(match l {
                Landmark::Cover => ReferenceType::Cover,
                Landmark::TitlePage => ReferenceType::TitlePage,
                Landmark::Toc => ReferenceType::Toc,
                Landmark::Body => ReferenceType::Text,
            });
        }
        b.add_content(c).map_err(err)?;
    }
    let mut raw = Vec::new();
    b.generate(&mut raw).map_err(err)?;
    rezip(&raw, p)
}

fn chrono_utc(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// Metadata that epub-builder cannot write, escaped by us.
fn extra_metadata(p: &Package) -> String {
    let mut m = String::new();
    for (i, c) in p.creators.iter().enumerate() {
        m.push_str(&format!(
            "    <dc:creator id=\"cq-creator-{i}\">{}</dc:creator>\n    <meta refines=\"#cq-creator-{i}\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n",
            esc(&clean(c))
        ));
    }
    for pb in &p.publishers {
        m.push_str(&format!(
            "    <dc:publisher>{}</dc:publisher>\n",
            esc(&clean(pb))
        ));
    }
    for (prop, value) in [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "alternativeText"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
    ] {
        m.push_str(&format!("    <meta property=\"{prop}\">{value}</meta>\n"));
    }
    m.push_str(&format!(
        "    <meta property=\"schema:accessibilitySummary\">{}</meta>\n",
        esc(&clean(&p.accessibility_summary))
    ));
    m.push_str(
        "    <meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>\n",
    );
    m
}

/// Mends epub-builder's OPF (see the module documentation).
fn patch_opf(opf: &str, p: &Package) -> Result<String, Diagnostic> {
    let mut attrs = format!(" xml:lang=\"{}\"", super::xhtml::esc_attr(&clean(&p.lang)));
    if p.rtl {
        attrs.push_str(" dir=\"rtl\"");
    }
    let package_tag = "<package version=\"3.0\"";
    let close_meta = "  </metadata>";
    let close_spine = "  </spine>";
    if !opf.contains(package_tag) || !opf.contains(close_meta) || !opf.contains(close_spine) {
        return Err(err("epub-builder wrote an OPF of an unexpected shape"));
    }
    let opf = opf
        .replacen(package_tag, &format!("{package_tag}{attrs}"), 1)
        .replace(
            "<dc:language id=\"epub-creator-",
            "<dc:language id=\"cq-lang-",
        )
        .replacen(close_meta, &format!("{}{close_meta}", extra_metadata(p)), 1)
        .replacen(
            close_spine,
            &format!("    <itemref idref=\"nav\"/>\n{close_spine}"),
            1,
        );
    // Drop blank lines left by the template's conditionals, for a tidy file.
    let mut out = String::with_capacity(opf.len());
    for line in opf.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// Re-zips epub-builder's archive deterministically, mending the OPF and nav on the way.
fn rezip(raw: &[u8], p: &Package) -> Result<Vec<u8>, Diagnostic> {
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(err)?;
    // Room for every entry stored as it is (what is deflated only shrinks): the archive is
    // written without growing, so no copy of it is made on the way (pages of a buffer that
    // are never written are never touched).
    let contents: usize = p
        .cover
        .iter()
        .chain(&p.resources)
        .map(|r| r.bytes.len())
        .sum::<usize>()
        + p.pages.iter().map(|pg| pg.xhtml.len()).sum::<usize>()
        + p.css.len()
        + p.nav.len();
    let mut out = Zip::new(zip_time(p.modified), raw.len() + contents + 64 * 1024);
    out.add("mimetype", b"application/epub+zip", false);
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).map_err(err)?;
        let name = f.name().to_string();
        if name == "mimetype" {
            continue;
        }
        buf.clear();
        f.read_to_end(&mut buf).map_err(err)?;
        let inner = name.strip_prefix("OEBPS/").unwrap_or("");
        let binary = p
            .cover
            .iter()
            .chain(p.resources.iter())
            .find(|r| r.path == inner);
        let (data, deflate): (std::borrow::Cow<[u8]>, bool) = if let Some(r) = binary {
            (r.bytes.as_slice().into(), !r.mime.starts_with("image/"))
        } else if let Some(page) = p.pages.iter().find(|pg| pg.file == inner) {
            (page.xhtml.as_bytes().into(), true)
        } else if name == "OEBPS/stylesheet.css" {
            (p.css.as_bytes().into(), true)
        } else if name == "OEBPS/content.opf" {
            let opf = String::from_utf8_lossy(&buf);
            (patch_opf(&opf, p)?.into_bytes().into(), true)
        } else if name == "OEBPS/toc.ncx" {
            // Older reading systems match the NCX to the book by `dtb:uid`.
            let ncx = String::from_utf8_lossy(&buf).replacen(
                "  <head>\n",
                &format!(
                    "  <head>\n    <meta name=\"dtb:uid\" content=\"urn:uuid:{}\"/>\n",
                    p.identifier
                ),
                1,
            );
            (ncx.into_bytes().into(), true)
        } else if name == "OEBPS/nav.xhtml" {
            (p.nav.as_bytes().into(), true)
        } else {
            (buf.as_slice().into(), true)
        };
        out.add(&name, &data, deflate);
    }
    Ok(out.finish())
}

/// Deflate level of the EPUB's entries: the text is small, and level 1 costs a few KB over
/// level 6 for half the time.
const ZIP_LEVEL: u32 = 1;

/// A minimal ZIP writer: stored or deflated entries, one fixed time, Unix mode 0644, and one
/// Deflate compressor reset between entries (the `zip` crate sets up a new one per entry,
/// which costs more than compressing a chapter).
struct Zip {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
    time: (u16, u16),
    z: flate2::Compress,
    packed: Vec<u8>,
}

impl Zip {
    fn new(time: (u16, u16), capacity: usize) -> Zip {
        Zip {
            out: Vec::with_capacity(capacity),
            central: Vec::new(),
            entries: 0,
            time,
            z: flate2::Compress::new(flate2::Compression::new(ZIP_LEVEL), false),
            packed: Vec::new(),
        }
    }

    fn add(&mut self, name: &str, data: &[u8], deflate: bool) {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let mut method = 0u16;
        if deflate {
            self.z.reset();
            self.packed.clear();
            self.packed.reserve(data.len() / 2 + 64);
            let done = loop {
                let consumed = self.z.total_in() as usize;
                match self.z.compress_vec(
                    &data[consumed..],
                    &mut self.packed,
                    flate2::FlushCompress::Finish,
                ) {
                    Ok(flate2::Status::StreamEnd) => break true,
                    Ok(_) => self.packed.reserve(self.packed.capacity().max(1024)),
                    Err(_) => break false,
                }
            };
            if done && self.packed.len() < data.len() {
                method = 8;
            }
        }
        let body: &[u8] = if method == 8 { &self.packed } else { data };
        let offset = self.out.len() as u32;
        let (time, date) = self.time;
        let flags: u16 = if name.is_ascii() { 0 } else { 0x0800 }; // UTF-8 name
        // The fields a local header and its central directory entry share, from "version
        // needed" to the name's length (the extra field's length, 0, follows).
        let mut common = Vec::with_capacity(26);
        for x in [20, flags, method, time, date] {
            common.extend_from_slice(&x.to_le_bytes());
        }
        for x in [crc.sum(), body.len() as u32, data.len() as u32] {
            common.extend_from_slice(&x.to_le_bytes());
        }
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes());
        // Local file header.
        let o = &mut self.out;
        o.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        o.extend_from_slice(&common);
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(body);
        // Central directory entry: made by Unix, version 2.0; no comment; disk 0; no
        // internal attributes; a regular file, rw-r--r--; where its local header is.
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes());
        c.extend_from_slice(&common);
        c.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        c.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        self.entries += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let start = self.out.len() as u32;
        let size = self.central.len() as u32;
        self.out.append(&mut self.central);
        let o = &mut self.out;
        o.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        o.extend_from_slice(&[0, 0, 0, 0]); // this disk, disk with the directory
        o.extend_from_slice(&self.entries.to_le_bytes());
        o.extend_from_slice(&self.entries.to_le_bytes());
        o.extend_from_slice(&size.to_le_bytes());
        o.extend_from_slice(&start.to_le_bytes());
        o.extend_from_slice(&[0, 0]); // comment length
        self.out
    }
}

/// A zip (DOS) time and date (1980–2107, two-second resolution) for a Unix time.
fn zip_time(secs: i64) -> (u16, u16) {
    let d = crate::model::DateTime::from_unix_seconds(secs);
    let t = d.time.unwrap_or(crate::model::Time {
        hour: 0,
        minute: 0,
        second: 0,
        offset_minutes: None,
    });
    let year = d.year.clamp(1980, 2107) as u16;
    let time = ((t.hour as u16) << 11) | ((t.minute as u16) << 5) | (t.second as u16 / 2);
    let date = ((year - 1980) << 9) | ((d.month as u16) << 5) | d.day as u16;
    (time, date)
}
