//! SVG drawings: read with `usvg`, sanitized, and kept as a clean tree for the backends.
//!
//! # Sanitizing
//! An SVG is an XML program as much as a picture. What reaches an output is never the file
//! itself but usvg's re-serialization of what it understood ([`SvgImage::clean`]):
//! - scripts, event handlers (`onload` …), `<foreignObject>`, animation and every element
//!   usvg does not draw are gone (usvg keeps only shapes, paths, gradients, patterns, clip
//!   paths, masks, filters and images);
//! - no file and no URL is ever read: an `<image href>` that is not a `data:` URI is left out
//!   with a warning (usvg's own resolver would read any file on the disk), and a `data:`
//!   raster image is checked against the image limits from its header before anyone decodes
//!   it;
//! - text is set with the bundled fonts only (no system font is loaded, so the result is the
//!   same on every machine) and written as outlines, so the drawing needs no font to show;
//!   characters no bundled font has get one warning;
//! - filter effects are drawn in the EPUB and the HTML page but not in the PDF (svg2pdf
//!   would rasterize a filter's whole region, however large), with a warning;
//! - XML entities that would expand beyond [`MAX_ENTITY_EXPANSION`] bytes (the "billion laughs")
//!   are refused before parsing; usvg refuses more than a million elements (also through
//!   `<use>`), and the drawing's size is held to the image limits like a raster image's pixels.
//!
//! The backends use [`SvgImage::tree`] (the clean text parsed again: it has no text nodes and
//! no external references): `svg2pdf` in the PDF, `resvg` wherever pixels are needed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use usvg::fontdb;

use super::{ImageFormat, ImageLimits};

/// Most bytes that the XML entity references of one SVG may expand to.
pub const MAX_ENTITY_EXPANSION: u64 = 8 * 1024 * 1024;

/// Most elements an SVG may have once its `<use>` references are expanded (usvg's own limit,
/// checked first here in a fraction of the time usvg takes to reach it).
pub const MAX_ELEMENTS: u64 = 1_000_000;

/// A sanitized SVG drawing.
#[derive(Clone)]
pub struct SvgImage {
    /// The drawing as usvg wrote it back (UTF-8 SVG 1.1, text as outlines, images inline).
    pub clean: String,
    /// Its size in CSS pixels (96 to the inch).
    pub width: f32,
    pub height: f32,
    tree: Arc<usvg::Tree>,
}

impl std::fmt::Debug for SvgImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SvgImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("clean_bytes", &self.clean.len())
            .finish()
    }
}

impl SvgImage {
    /// The clean tree (no text nodes, no external references).
    pub fn tree(&self) -> &usvg::Tree {
        &self.tree
    }

    /// Draws the picture `w` × `h` pixels (aspect stretched to fit; callers keep it), on a
    /// transparent background. `None` when the size is empty.
    pub fn rasterize(&self, w: u32, h: u32) -> Option<image::RgbaImage> {
        let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1))?;
        let sx = w.max(1) as f32 / self.width;
        let sy = h.max(1) as f32 / self.height;
        resvg::render(
            &self.tree,
            resvg::tiny_skia::Transform::from_scale(sx, sy),
            &mut pixmap.as_mut(),
        );
        let mut out = image::RgbaImage::new(pixmap.width(), pixmap.height());
        for (o, p) in out.pixels_mut().zip(pixmap.pixels()) {
            let c = p.demultiply();
            *o = image::Rgba([c.red(), c.green(), c.blue(), c.alpha()]);
        }
        Some(out)
    }

    /// The pixel size at natural size (one CSS pixel a pixel), at least 1 × 1.
    pub fn pixel_size(&self) -> (u32, u32) {
        (
            (self.width.ceil() as u32).max(1),
            (self.height.ceil() as u32).max(1),
        )
    }
}

/// Why an SVG cannot be used: the message (after "image `x` (file) ") and a hint.
pub struct Refused {
    pub message: String,
    pub help: &'static str,
}

fn refuse(message: String, help: &'static str) -> Refused {
    Refused { message, help }
}

/// The bundled fonts as a font database (once per process). Generic families map to them:
/// serif → Noto Serif, sans-serif, cursive and fantasy → Noto Sans, monospace → Noto Sans Mono.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for (_, data) in crate::pdf::fonts::bundled_files() {
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        }
        db.set_serif_family("Noto Serif");
        db.set_sans_serif_family("Noto Sans");
        db.set_cursive_family("Noto Sans");
        db.set_fantasy_family("Noto Sans");
        db.set_monospace_family("Noto Sans Mono");
        Arc::new(db)
    })
    .clone()
}

/// Whether some bundled font has a glyph for `c`.
fn covered(c: char) -> bool {
    static FACES: OnceLock<Vec<rustybuzz::ttf_parser::Face<'static>>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            crate::pdf::fonts::bundled_files()
                .filter_map(|(_, d)| rustybuzz::ttf_parser::Face::parse(d, 0).ok())
                .collect()
        })
        .iter()
        .any(|f| f.glyph_index(c).is_some())
}

/// Reads `bytes` as an SVG under `lim`; returns the drawing and warnings (sentences about the
/// file, without its name).
pub fn load(bytes: &[u8], lim: ImageLimits) -> Result<(SvgImage, Vec<String>), Refused> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(refuse(
            "is not UTF-8 text, as an SVG file must be".into(),
            RESAVE,
        ));
    };
    refuse_bombs(text)?;
    let notes: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let note = |s: String| {
        if let Ok(mut n) = notes.lock()
            && !n.contains(&s)
        {
            n.push(s);
        }
    };
    let mut tree = {
        let opts = options(lim, Some(&note), fonts());
        usvg::Tree::from_str(text, &opts).map_err(|e| reason(&e))?
    };
    refuse_oversize(&tree, lim)?;
    let mut missing: Vec<char> = Vec::new();
    text_chars(tree.root(), &mut |c| {
        if !c.is_whitespace() && !c.is_control() && !missing.contains(&c) && !covered(c) {
            missing.push(c);
        }
    });
    if !missing.is_empty()
        && let Some(again) = with_system_fonts(text, lim, &note, &mut missing)?
    {
        tree = again;
    }
    note_left_out(&tree, text, &missing, &note);
    let (clean, tree) = sanitize(&tree, lim)?;
    let size = tree.size();
    let warnings = notes.into_inner().unwrap_or_default();
    Ok((
        SvgImage {
            clean,
            width: size.width(),
            height: size.height(),
            tree: Arc::new(tree),
        },
        warnings,
    ))
}

const RESAVE: &str = "open the drawing and export it again as plain SVG";

/// Entity and `<use>` bombs, refused before parsing.
fn refuse_bombs(text: &str) -> Result<(), Refused> {
    if let Some(n) = entity_expansion(text)
        && n > MAX_ENTITY_EXPANSION
    {
        return Err(refuse(
            format!(
                "declares XML entities that expand to more than {} MB; it is not read",
                MAX_ENTITY_EXPANSION / (1024 * 1024)
            ),
            RESAVE,
        ));
    }
    if expanded_elements(text).is_some_and(|n| n > MAX_ELEMENTS) {
        return Err(refuse(
            "has more than a million elements (counting those repeated through <use>); it is not read".into(),
            RESAVE,
        ));
    }
    Ok(())
}

/// A drawing whose declared size is over the limits, refused.
fn refuse_oversize(tree: &usvg::Tree, lim: ImageLimits) -> Result<(), Refused> {
    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    if w.ceil() > lim.max_side as f32
        || h.ceil() > lim.max_side as f32
        || (w.ceil() as u64) * (h.ceil() as u64) * 4 > lim.max_decoded_bytes
    {
        return Err(refuse(
            format!(
                "declares an SVG drawing of {}×{} pixels, over the limit of {} pixels a side and {} MB decoded",
                w.ceil(),
                h.ceil(),
                lim.max_side,
                lim.max_decoded_bytes / (1024 * 1024)
            ),
            "set the SVG's width and height (or viewBox) to its real size, or raise `--max-image-side` or `--max-image-decoded-mb`",
        ));
    }
    Ok(())
}

/// Characters the bundled fonts lack (CJK …): the drawing read again with the system fonts
/// the PDF body would use for them, looked for as the body's are (once per process), when
/// there are any; `missing` keeps what they lack too.
fn with_system_fonts(
    text: &str,
    lim: ImageLimits,
    note: &(dyn Fn(String) + Sync),
    missing: &mut Vec<char>,
) -> Result<Option<usvg::Tree>, Refused> {
    let wanted: String = missing.iter().collect();
    let book = crate::pdf::fallback::with_system_fonts(
        crate::pdf::fonts::FontBook::bundled(),
        &wanted,
        "und",
    );
    let extra: Vec<_> = book
        .faces
        .iter()
        .filter(|f| !crate::pdf::fonts::bundled_files().any(|(_, d)| d.as_ptr() == f.data.as_ptr()))
        .collect();
    if extra.is_empty() {
        return Ok(None);
    }
    let mut db = (*fonts()).clone();
    for f in &extra {
        db.load_font_source(fontdb::Source::Binary(Arc::new(f.data)));
    }
    let opts = options(lim, Some(note), Arc::new(db));
    let tree = usvg::Tree::from_str(text, &opts).map_err(|e| reason(&e))?;
    missing.retain(|c| !extra.iter().any(|f| f.covers(*c)));
    Ok(Some(tree))
}

/// A warning for each thing the drawing holds that some output leaves out.
fn note_left_out(tree: &usvg::Tree, text: &str, missing: &[char], note: &dyn Fn(String)) {
    if let Some(first) = missing.first() {
        let list: String = missing
            .iter()
            .take(8)
            .map(|c| format!("“{c}” (U+{:04X})", *c as u32))
            .collect::<Vec<_>>()
            .join(", ");
        note(format!(
            "has text in characters that no available font has ({list}{}); they are drawn as empty boxes ({})",
            if missing.len() > 8 { ", …" } else { "" },
            crate::pdf::fallback::install_hint(*first)
        ));
    }
    if has_filters(tree.root()) {
        note("uses filter effects (blur, drop shadow …), which the PDF leaves out (the EPUB and the HTML page keep them)".into());
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("<script") || has_event_handler(&lower) {
        note("holds scripts or event handlers; they are left out (the drawing is shown as a still picture)".into());
    }
    if lower.contains("<foreignobject") {
        note("holds a <foreignObject> (HTML inside the drawing), which is left out".into());
    }
}

/// usvg's re-serialization of the tree (the sanitized text) and that text parsed again: what
/// every backend draws is exactly what the EPUB holds.
fn sanitize(tree: &usvg::Tree, lim: ImageLimits) -> Result<(String, usvg::Tree), Refused> {
    let clean = xml_ids(&tree.to_string(&usvg::WriteOptions {
        indent: usvg::Indent::None,
        ..usvg::WriteOptions::default()
    }));
    let opts = options(lim, None, Arc::new(fontdb::Database::new()));
    let tree = usvg::Tree::from_str(&clean, &opts).map_err(|e| {
        refuse(
            format!("could not be sanitized ({})", reason(&e).message),
            RESAVE,
        )
    })?;
    Ok((clean, tree))
}

/// usvg options that read nothing from outside: no resources folder, `data:` images only (each
/// checked against the limits from its header), the given fonts.
fn options<'a>(
    lim: ImageLimits,
    note: Option<&'a (dyn Fn(String) + Sync)>,
    fontdb: Arc<fontdb::Database>,
) -> usvg::Options<'a> {
    let data = move |mime: &str,
                     data: Arc<Vec<u8>>,
                     opts: &usvg::Options|
          -> Option<usvg::ImageKind> {
        let format = super::sniff(&data);
        let kind = match format {
            Ok(f) => {
                let header = match f {
                    ImageFormat::Png => super::png_header(&data),
                    ImageFormat::Jpeg => super::jpeg_header(&data),
                    ImageFormat::Gif => super::gif_header(&data),
                    ImageFormat::WebP => super::webp_header(&data),
                    ImageFormat::Svg => {
                        // A drawing inside the drawing: the same rules (these options).
                        let text = std::str::from_utf8(&data).ok()?;
                        if entity_expansion(text).is_some_and(|n| n > MAX_ENTITY_EXPANSION) {
                            return None;
                        }
                        return usvg::Tree::from_str(text, opts)
                            .ok()
                            .map(usvg::ImageKind::SVG);
                    }
                };
                let ok = header.is_some_and(|h| {
                    h.width > 0
                        && h.height > 0
                        && h.width <= lim.max_side
                        && h.height <= lim.max_side
                        && h.width as u64 * h.height as u64 * 4 <= lim.max_decoded_bytes
                });
                if !ok {
                    if let Some(n) = note {
                        n(format!(
                            "holds an embedded {} image that is damaged or over the image limits; it is left out",
                            f.name()
                        ));
                    }
                    return None;
                }
                match f {
                    ImageFormat::Png => usvg::ImageKind::PNG(data),
                    ImageFormat::Jpeg => usvg::ImageKind::JPEG(data),
                    ImageFormat::Gif => usvg::ImageKind::GIF(data),
                    ImageFormat::WebP => usvg::ImageKind::WEBP(data),
                    ImageFormat::Svg => return None,
                }
            }
            Err(_) => {
                if let Some(n) = note {
                    n(format!(
                        "holds an embedded image of type `{mime}` that cannot be read; it is left out"
                    ));
                }
                return None;
            }
        };
        Some(kind)
    };
    let string = move |href: &str, _: &usvg::Options| -> Option<usvg::ImageKind> {
        if let Some(n) = note {
            let shown: String = href.chars().take(80).collect();
            n(format!(
                "refers to the image `{shown}` outside the drawing; it is not loaded (embed it in the SVG as a data: URI)"
            ));
        }
        None
    };
    usvg::Options {
        resources_dir: None,
        font_family: "Noto Serif".into(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(data),
            resolve_string: Box::new(string),
        },
        fontdb,
        ..usvg::Options::default()
    }
}

/// The characters of every text of `g` and the drawings embedded in it.
fn text_chars(g: &usvg::Group, f: &mut impl FnMut(char)) {
    for n in g.children() {
        match n {
            usvg::Node::Group(g) => text_chars(g, f),
            usvg::Node::Text(t) => t
                .chunks()
                .iter()
                .flat_map(|c| c.text().chars())
                .for_each(&mut *f),
            usvg::Node::Image(i) => {
                if let usvg::ImageKind::SVG(t) = i.kind() {
                    text_chars(t.root(), f);
                }
            }
            usvg::Node::Path(_) => {}
        }
    }
}

/// Whether a group of `g` (or a drawing embedded in it) has filter effects. svg2pdf is built
/// without its `filters` feature: it would rasterize a filter's whole region, however large.
fn has_filters(g: &usvg::Group) -> bool {
    !g.filters().is_empty()
        || g.children().iter().any(|n| match n {
            usvg::Node::Group(g) => has_filters(g),
            usvg::Node::Image(i) => match i.kind() {
                usvg::ImageKind::SVG(t) => has_filters(t.root()),
                _ => false,
            },
            _ => false,
        })
}

/// `clean` with every `id` that is not an XML name without colons (`1:2`, `3d`, as drawing
/// programs write them; EPUBCheck refuses them) renamed `cq-id-N`, with its references
/// (`url(#…)`, `href="#…"`).
fn xml_ids(clean: &str) -> String {
    let valid = |id: &str| {
        let mut c = id.chars();
        c.next()
            .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
            && c.all(|x| x.is_ascii_alphanumeric() || matches!(x, '_' | '-' | '.'))
            && !id.starts_with("cq-id-")
    };
    let mut bad: Vec<&str> = Vec::new();
    for (i, _) in clean.match_indices(" id=\"") {
        let rest = &clean[i + 5..];
        if let Some(end) = rest.find('"') {
            let id = &rest[..end];
            if !valid(id) && !bad.contains(&id) {
                bad.push(id);
            }
        }
    }
    if bad.is_empty() {
        return clean.to_string();
    }
    let mut out = clean.to_string();
    for (n, id) in bad.iter().enumerate() {
        let new = format!("cq-id-{n}");
        for (from, to) in [
            (format!(" id=\"{id}\""), format!(" id=\"{new}\"")),
            (format!("url(#{id})"), format!("url(#{new})")),
            (format!("href=\"#{id}\""), format!("href=\"#{new}\"")),
        ] {
            out = out.replace(&from, &to);
        }
    }
    out
}

/// An `on…=` attribute (event handler) in lower-cased SVG text.
fn has_event_handler(lower: &str) -> bool {
    let b = lower.as_bytes();
    lower.match_indices(" on").any(|(i, _)| {
        let rest = &b[i + 3..];
        let name = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        name > 0 && rest[name..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'=')
    })
}

fn reason(e: &usvg::Error) -> Refused {
    let resave = "open the drawing and export it again as plain SVG";
    match e {
        usvg::Error::NotAnUtf8Str => refuse("is not UTF-8 text, as an SVG file must be".into(), resave),
        usvg::Error::MalformedGZip => refuse("is a damaged compressed SVG".into(), resave),
        usvg::Error::ElementsLimitReached => refuse(
            "has more than a million elements (counting those repeated through <use>); it is not read".into(),
            resave,
        ),
        usvg::Error::InvalidSize => refuse(
            "is an SVG drawing without a valid size (width and height, or a viewBox, greater than zero)".into(),
            "give the <svg> element a viewBox or a width and height",
        ),
        usvg::Error::ParsingFailed(usvg::roxmltree::Error::NodesLimitReached) => refuse(
            "has more than a million elements (counting those repeated through <use>); it is not read".into(),
            resave,
        ),
        usvg::Error::ParsingFailed(x) => {
            let p = x.pos();
            refuse(
                format!(
                    "is not a valid SVG: {} (line {}, column {} of the SVG)",
                    xml_reason(x),
                    p.row,
                    p.col
                ),
                resave,
            )
        }
    }
}

/// roxmltree's message without its own position.
fn xml_reason(x: &usvg::roxmltree::Error) -> String {
    let s = x.to_string();
    match s.rfind(" at ") {
        Some(i) if s[i + 4..].chars().all(|c| c.is_ascii_digit() || c == ':') => s[..i].to_string(),
        _ => s,
    }
}

/// How many bytes the entity references outside the DTD expand to, if the SVG declares internal
/// entities (an estimate from above: every `&name;` of a declared entity counts its full
/// expansion).
fn entity_expansion(text: &str) -> Option<u64> {
    let start = text.find("<!DOCTYPE")?;
    let open = start + text[start..].find('[')?;
    let close = open + text[open..].find("]>")?;
    let dtd = &text[open + 1..close];
    let mut values: HashMap<&str, &str> = HashMap::new();
    let mut rest = dtd;
    while let Some(i) = rest.find("<!ENTITY") {
        rest = &rest[i + 8..];
        let decl = rest.trim_start();
        if decl.starts_with('%') {
            continue;
        }
        let name_len = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
        let name = &decl[..name_len];
        let after = decl[name_len..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = after[1..].find(q) else {
            continue;
        };
        values.insert(name, &after[1..1 + end]);
    }
    if values.is_empty() {
        return None;
    }
    let mut memo: HashMap<&str, u64> = HashMap::new();
    fn size<'a>(
        name: &'a str,
        values: &HashMap<&'a str, &'a str>,
        memo: &mut HashMap<&'a str, u64>,
        depth: u32,
    ) -> u64 {
        if let Some(&n) = memo.get(name) {
            return n;
        }
        let Some(v) = values.get(name) else {
            return name.len() as u64 + 2;
        };
        if depth > 16 {
            return u64::MAX / 4;
        }
        let mut total = v.len() as u64;
        for r in refs(v) {
            total = total.saturating_add(size(r, values, memo, depth + 1));
        }
        memo.insert(name, total);
        total
    }
    let mut total: u64 = 0;
    for r in refs(&text[close..]) {
        if values.contains_key(r) {
            total = total.saturating_add(size(r, &values, &mut memo, 0));
        }
    }
    Some(total)
}

/// How many elements the SVG has with every `<use>` expanded (an estimate from above), or
/// `None` when it is not well-formed XML (usvg then says why).
fn expanded_elements(text: &str) -> Option<u64> {
    use usvg::roxmltree;
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            nodes_limit: 4_000_000,
        },
    )
    .ok()?;
    let ids: HashMap<&str, roxmltree::NodeId> = doc
        .descendants()
        .filter_map(|n| n.attribute("id").map(|id| (id, n.id())))
        .collect();
    fn count<'a>(
        n: roxmltree::Node<'a, 'a>,
        doc: &'a roxmltree::Document<'a>,
        ids: &HashMap<&str, roxmltree::NodeId>,
        memo: &mut HashMap<roxmltree::NodeId, u64>,
        depth: u32,
    ) -> u64 {
        if let Some(&c) = memo.get(&n.id()) {
            return c;
        }
        if depth > 256 {
            return MAX_ELEMENTS + 1;
        }
        // Guards a reference loop (usvg refuses those itself).
        memo.insert(n.id(), 1);
        let mut total: u64 = 1;
        for c in n.children().filter(|c| c.is_element()) {
            total = total.saturating_add(count(c, doc, ids, memo, depth + 1));
        }
        if n.tag_name().name() == "use" {
            let href = n
                .attribute(("http://www.w3.org/1999/xlink", "href"))
                .or_else(|| n.attribute("href"));
            if let Some(target) = href
                .and_then(|h| h.strip_prefix('#'))
                .and_then(|id| ids.get(id))
                .and_then(|&id| doc.get_node(id))
            {
                total = total.saturating_add(count(target, doc, ids, memo, depth + 1));
            }
        }
        memo.insert(n.id(), total);
        total
    }
    let mut memo = HashMap::new();
    Some(count(doc.root_element(), &doc, &ids, &mut memo, 0))
}

/// The names of the `&name;` references in `s` (not character references).
fn refs(s: &str) -> impl Iterator<Item = &str> {
    s.match_indices('&').filter_map(move |(i, _)| {
        let rest = &s[i + 1..];
        let end = rest.find(';')?;
        let name = &rest[..end];
        (!name.is_empty() && !name.starts_with('#') && !name.contains(char::is_whitespace))
            .then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_bombs_are_measured() {
        let mut s =
            String::from("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\">");
        let mut prev = "a".to_string();
        for i in 0..9 {
            let name = format!("e{i}");
            s.push_str(&format!(
                "<!ENTITY {name} \"{}\">",
                format!("&{prev};").repeat(10)
            ));
            prev = name;
        }
        s.push_str(&format!(
            "]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&{prev};</text></svg>"
        ));
        assert!(entity_expansion(&s).unwrap() > MAX_ENTITY_EXPANSION);
        let plain =
            "<!DOCTYPE svg [<!ENTITY ns \"http://www.w3.org/2000/svg\">]><svg xmlns=\"&ns;\"/>";
        assert_eq!(entity_expansion(plain), Some(26));
        assert_eq!(entity_expansion("<svg/>"), None);
    }

    #[test]
    fn use_fan_out_is_counted() {
        let mut s = String::from(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><defs><rect id=\"r0\"/>",
        );
        for i in 1..30 {
            s.push_str(&format!("<g id=\"r{i}\">"));
            for _ in 0..4 {
                s.push_str(&format!("<use xlink:href=\"#r{}\"/>", i - 1));
            }
            s.push_str("</g>");
        }
        s.push_str("</defs><use href=\"#r29\"/></svg>");
        assert!(expanded_elements(&s).unwrap() > MAX_ELEMENTS);
        assert_eq!(
            expanded_elements(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect id=\"a\"/><use href=\"#a\"/></svg>"
            ),
            Some(4)
        );
    }

    #[test]
    fn ids_become_xml_names() {
        let s = "<svg><linearGradient id=\"1:2\"/><path fill=\"url(#1:2)\"/><use xlink:href=\"#1:2\"/><g id=\"ok\"/></svg>";
        assert_eq!(
            xml_ids(s),
            "<svg><linearGradient id=\"cq-id-0\"/><path fill=\"url(#cq-id-0)\"/><use xlink:href=\"#cq-id-0\"/><g id=\"ok\"/></svg>"
        );
    }

    #[test]
    fn event_handlers_are_seen() {
        assert!(has_event_handler("<svg onload=\"x()\">"));
        assert!(has_event_handler("<rect onclick = 'x'/>"));
        assert!(!has_event_handler("<text> once upon</text>"));
    }
}
