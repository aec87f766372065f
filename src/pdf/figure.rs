//! Images for the PDF: loading (through [`crate::assets`]), sizing and preparing the pixels
//! for embedding.
//!
//! Sizing: an image's natural size is its pixels at 150 dpi (a 1200 px photo is 8 in wide);
//! it is never set larger than that, and never wider than the column. It is embedded at up
//! to 300 dpi at its placed size: above that it is downsampled with Lanczos3. A JPEG that
//! needs no downsampling, is upright and is not CMYK passes through untouched (DCTDecode);
//! everything else is decoded and written losslessly (FlateDecode, 8 bits per component),
//! with any transparency as a soft mask.
//!
//! An SVG drawing stays vector: its natural size is its CSS size (96 px to the inch), and
//! `svg2pdf` turns the sanitized drawing ([`crate::assets::SvgImage`]) into a Form XObject
//! that `emit.rs` copies into the document ([`PdfImage::Vector`]).

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use image::DynamicImage;
use image::imageops::FilterType;

use crate::Diagnostic;
use crate::assets::{self, AssetPolicy, ColorModel, ImageFormat, LoadedImage};
use crate::model::{Block, BlockKind, Document, Inline, Length, Offset, SizeHint};

/// Pixels per inch at which an image is shown at its natural size.
pub const NATURAL_DPI: f32 = 150.0;
/// Most pixels per inch embedded at the placed size.
pub const MAX_DPI: f32 = 300.0;
/// CSS pixels per inch: an SVG's natural size.
pub const SVG_DPI: f32 = 96.0;

/// An image ready to write: pixels, or a drawing.
#[derive(Debug, Clone, PartialEq)]
pub enum PdfImage {
    Raster(RasterImage),
    Vector(VectorImage),
}

/// An SVG drawing as svg2pdf wrote it: a small PDF file whose object `xobject` is a Form
/// XObject one point square (drawn like an image XObject, scaled by the placement).
#[derive(Debug, Clone, PartialEq)]
pub struct VectorImage {
    pub pdf: Vec<u8>,
    pub xobject: u32,
}

/// An image XObject ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterImage {
    pub width: u32,
    pub height: u32,
    /// `DeviceGray` or `DeviceRGB`.
    pub color_space: &'static str,
    /// The data is a JPEG file (DCTDecode); otherwise zlib-compressed samples (FlateDecode).
    pub dct: bool,
    pub data: Vec<u8>,
    /// A zlib-compressed 8-bit alpha channel of the same size.
    pub smask: Option<Vec<u8>>,
}

/// The images a document uses, by path as written.
#[derive(Debug, Default)]
pub struct Images {
    pub loaded: HashMap<String, Arc<LoadedImage>>,
    /// What reading them left out (SVG), in document order.
    pub warnings: Vec<Diagnostic>,
}

impl Images {
    /// Loads every image of the body, the footnotes, the boilerplate and the logo; the first
    /// error fails the export.
    pub fn load(doc: &Document, policy: &AssetPolicy) -> Result<Images, Diagnostic> {
        let mut wanted: Vec<(String, Offset)> = Vec::new();
        if let Some(logo) = doc.meta.logo.as_deref().filter(|l| !l.trim().is_empty()) {
            wanted.push((logo.trim().to_string(), logo_offset(doc)));
        }
        let blocks = doc
            .blocks
            .iter()
            .chain(doc.footnotes.iter().flat_map(|f| f.blocks.iter()))
            .chain(doc.meta.about.iter());
        for b in blocks {
            crate::model::block_images(b, &mut |img| {
                wanted.push((img.path.trim().to_string(), img.at))
            });
        }
        let mut loaded = HashMap::new();
        let mut warnings = Vec::new();
        for (path, at) in wanted {
            if loaded.contains_key(&path) {
                continue;
            }
            let img = assets::load_image(doc, &path, at, policy)?;
            warnings.extend(img.warnings.iter().cloned());
            loaded.insert(path, Arc::new(img));
        }
        Ok(Images { loaded, warnings })
    }

    pub fn get(&self, path: &str) -> Option<&Arc<LoadedImage>> {
        self.loaded.get(path.trim())
    }
}

fn logo_offset(doc: &Document) -> Offset {
    let text = doc.source.text();
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("logo")
            && rest.trim_start().starts_with([':', '='])
        {
            return (pos + (line.len() - t.len())) as Offset;
        }
        pos += line.len();
    }
    0
}

/// The images of a leaf block (a paragraph, heading or table: not those of the blocks a
/// quotation or list holds), in reading order.
pub fn leaf_images<'a>(b: &'a Block, out: &mut Vec<&'a crate::model::Image>) {
    match &b.kind {
        BlockKind::Heading { .. } | BlockKind::Paragraph(_) | BlockKind::Table(_) => {
            crate::model::block_images(b, &mut |img| out.push(img))
        }
        _ => {}
    }
}

/// Whether the author marked an image decorative on purpose: alt text of quotes only,
/// `![""](path)` (the EPUB's rule, in `epub::xhtml`). Such an image is an artifact.
pub fn decorative(alt: &str) -> bool {
    let alt = alt.trim();
    !alt.is_empty()
        && alt
            .chars()
            .all(|c| matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\''))
}

/// The image alone in a paragraph (ignoring white space), if the paragraph is a figure.
pub fn figure_image(content: &[Inline]) -> Option<&crate::model::Image> {
    let mut found = None;
    for i in content {
        match i {
            Inline::Image(img) if found.is_none() => found = Some(img),
            Inline::Text { text, .. } if text.trim().is_empty() => {}
            Inline::SoftBreak | Inline::HardBreak => {}
            _ => return None,
        }
    }
    found
}

/// The placed size (points) of an image at most `max_w` wide and `max_h` high: its natural
/// size at [`NATURAL_DPI`] (an SVG's at [`SVG_DPI`]), scaled down to fit, aspect kept.
pub fn fit(img: &LoadedImage, max_w: f32, max_h: f32) -> (f32, f32) {
    fit_hinted(img, SizeHint::default(), max_w, max_w, max_h)
}

/// Points per CSS pixel (96 px to the inch).
const PT_PER_PX: f32 = 0.75;

/// As [`fit`], from the size the author asked for (`<img width height>`) instead of the natural
/// size when there is a hint: CSS pixels at 96 to the inch, a percentage width of `measure`
/// (ignored when `measure` is not finite); one dimension alone keeps the aspect ratio. The
/// result is still scaled down to `max_w` × `max_h`, never up.
pub fn fit_hinted(
    img: &LoadedImage,
    hint: SizeHint,
    measure: f32,
    max_w: f32,
    max_h: f32,
) -> (f32, f32) {
    let (w0, h0) = natural_size(img);
    let points = |l: Option<Length>| match l {
        Some(Length::Px(n)) => Some(n * PT_PER_PX),
        Some(Length::Percent(p)) if measure.is_finite() => Some(measure * p / 100.0),
        _ => None,
    };
    let (w, h) = match (points(hint.width), points(hint.height)) {
        (Some(w), Some(h)) => (w, h),
        (Some(w), None) => (w, h0 * w / w0),
        (None, Some(h)) => (w0 * h / h0, h),
        (None, None) => (w0, h0),
    };
    let (w, h) = (w.max(0.01), h.max(0.01));
    let s = (max_w / w).min(max_h / h).clamp(0.0, 1.0);
    (w * s, h * s)
}

/// The natural size of `img` in points.
pub fn natural_size(img: &LoadedImage) -> (f32, f32) {
    match &img.svg {
        Some(s) => (
            (s.width * 72.0 / SVG_DPI).max(0.01),
            (s.height * 72.0 / SVG_DPI).max(0.01),
        ),
        None => (
            img.width.max(1) as f32 * 72.0 / NATURAL_DPI,
            img.height.max(1) as f32 * 72.0 / NATURAL_DPI,
        ),
    }
}

/// Prepares `img` for a placement `w` × `h` points: its pixels, or an SVG's drawing.
pub fn prepare(img: &LoadedImage, w: f32, h: f32) -> Result<PdfImage, String> {
    if let Some(svg) = &img.svg {
        return vector(svg).map(PdfImage::Vector);
    }
    prepare_raster(img, w, h).map(PdfImage::Raster)
}

/// The drawing as a PDF/A-safe Form XObject, inside a minimal PDF file that `emit.rs` reads
/// back with lopdf (svg2pdf writes with pdf-writer, a chunk of objects).
fn vector(svg: &crate::assets::SvgImage) -> Result<VectorImage, String> {
    let opts = svg2pdf::ConversionOptions {
        compress: true,
        raster_scale: 1.5,
        embed_text: false,
        pdfa: true,
    };
    let (chunk, root) = svg2pdf::to_chunk(svg.tree(), opts).map_err(|e| e.to_string())?;
    let next = chunk.refs().map(|r| r.get()).max().unwrap_or(0) + 1;
    let (catalog, pages) = (pdf_writer::Ref::new(next), pdf_writer::Ref::new(next + 1));
    let mut pdf = pdf_writer::Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).count(0);
    pdf.extend(&chunk);
    Ok(VectorImage {
        pdf: pdf.finish(),
        xobject: root.get() as u32,
    })
}

/// Prepares the pixels of `img` for a placement `w` × `h` points.
fn prepare_raster(img: &LoadedImage, w: f32, h: f32) -> Result<RasterImage, String> {
    let max_w = ((w / 72.0 * MAX_DPI).ceil() as u32).max(1);
    let max_h = ((h / 72.0 * MAX_DPI).ceil() as u32).max(1);
    let downsample = img.width > max_w || img.height > max_h;
    if !downsample
        && img.format == ImageFormat::Jpeg
        && img.upright()
        && img.color.bit_depth == 8
        && matches!(img.color.model, ColorModel::Gray | ColorModel::Rgb)
    {
        return Ok(RasterImage {
            width: img.width,
            height: img.height,
            color_space: if img.color.model == ColorModel::Gray {
                "DeviceGray"
            } else {
                "DeviceRGB"
            },
            dct: true,
            data: img.bytes.clone(),
            smask: None,
        });
    }
    let px: &DynamicImage = img.pixels();
    let resized;
    let px = if downsample {
        let s = (max_w as f32 / img.width as f32).min(max_h as f32 / img.height as f32);
        let nw = ((img.width as f32 * s).round() as u32).clamp(1, max_w);
        let nh = ((img.height as f32 * s).round() as u32).clamp(1, max_h);
        resized = px.resize_exact(nw, nh, FilterType::Lanczos3);
        &resized
    } else {
        px
    };
    let (width, height) = (px.width(), px.height());
    let gray = !px.color().has_color();
    let smask = if px.color().has_alpha() {
        let a: Vec<u8> = if gray {
            px.to_luma_alpha8().pixels().map(|p| p.0[1]).collect()
        } else {
            px.to_rgba8().pixels().map(|p| p.0[3]).collect()
        };
        if a.iter().all(|&v| v == 255) {
            None
        } else {
            Some(zlib(&a)?)
        }
    } else {
        None
    };
    let (color_space, raw) = if gray {
        ("DeviceGray", px.to_luma8().into_raw())
    } else {
        ("DeviceRGB", px.to_rgb8().into_raw())
    };
    Ok(RasterImage {
        width,
        height,
        color_space,
        dct: false,
        data: zlib(&raw)?,
        smask,
    })
}

fn zlib(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut enc = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        flate2::Compression::new(6),
    );
    enc.write_all(data).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}
