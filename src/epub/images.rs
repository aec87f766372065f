//! The images of a document, made ready for e-readers and the web page.
//!
//! Every image the document names (body, footnotes, "About" boilerplate, `logo`) is loaded once
//! through [`crate::assets`], which enforces the path policy and the decoding limits. Then:
//! - an SVG is stored as the sanitized drawing [`crate::assets`] made of it (usvg's
//!   re-serialization: no scripts, no external references, text as outlines), never as the
//!   file that was given; SVG is a core media type of EPUB 3;
//! - a PNG, JPEG, GIF or WebP (all core media types of EPUB 3.3) at most [`MAX_LONG_SIDE`]
//!   pixels on its long side is kept byte for byte;
//! - a larger one is downscaled to that with a Lanczos3 filter and re-encoded: as JPEG at
//!   quality [`JPEG_QUALITY`] when it has no transparency and came as a JPEG or WebP (a photo),
//!   else as an 8-bit PNG (graphics, transparency);
//! - a CMYK or 12-bit JPEG is re-encoded as an RGB JPEG as well, because many e-readers and
//!   browsers show those wrongly or not at all; so is an image with an Exif orientation (it is
//!   stored upright).
//!
//! Files are named by a digest of their final bytes (`images/<digest>.<ext>`), so a build is
//! reproducible and an image referenced twice, or by two statements of a pack, is stored once.

use std::collections::HashMap;

use image::{DynamicImage, ImageEncoder};

use crate::Diagnostic;
use crate::assets::{self, AssetPolicy, ImageFormat, LoadedImage};
use crate::model::{Block, Document, Offset};

/// Longest side kept in the EPUB and on the web page, in pixels.
pub const MAX_LONG_SIDE: u32 = 1600;
/// JPEG quality for re-encoded photos.
pub const JPEG_QUALITY: u8 = 85;

/// One file to store beside the pages.
#[derive(Debug, Clone)]
pub(crate) struct ImageFile {
    /// Path relative to the pages: `images/<digest>.<ext>`.
    pub href: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// What the writer needs to reference an image.
#[derive(Debug, Clone)]
pub(crate) struct ImageRef {
    pub href: String,
    pub width: u32,
    pub height: u32,
}

/// The images of one or more documents.
#[derive(Debug, Default)]
pub(crate) struct ImageSet {
    pub files: Vec<ImageFile>,
    /// What reading the images left out (SVG), in document order.
    pub warnings: Vec<Diagnostic>,
}

impl ImageSet {
    /// Loads and prepares every image `doc` names; the map goes from the path as written to the
    /// stored file. The first image that cannot be used fails the document.
    pub fn add_document(
        &mut self,
        doc: &Document,
        policy: &AssetPolicy,
    ) -> Result<HashMap<String, ImageRef>, Diagnostic> {
        let mut wanted: Vec<(String, Offset)> = Vec::new();
        let mut push = |p: &str, at: Offset| {
            let p = p.trim().to_string();
            if !wanted.iter().any(|(q, _)| *q == p) {
                wanted.push((p, at));
            }
        };
        if let Some(logo) = doc.meta.logo.as_deref().filter(|l| !l.trim().is_empty()) {
            push(logo, key_offset(doc, "logo"));
        }
        let mut visit =
            |b: &Block| crate::model::block_images(b, &mut |img| push(&img.path, img.at));
        for b in &doc.blocks {
            visit(b);
        }
        for f in &doc.footnotes {
            for b in &f.blocks {
                visit(b);
            }
        }
        for b in &doc.meta.about {
            visit(b);
        }
        let mut map = HashMap::new();
        for (path, at) in wanted {
            let img = assets::load_image(doc, &path, at, policy)?;
            self.warnings.extend(img.warnings.iter().cloned());
            let file = prepare(&img).map_err(|e| {
                Diagnostic::error(format!(
                    "image `{path}` ({}) could not be re-encoded: {e}",
                    img.file.display()
                ))
                .at(&doc.source, at)
            })?;
            let r = ImageRef {
                href: file.href.clone(),
                width: file.width,
                height: file.height,
            };
            if !self.files.iter().any(|f| f.href == file.href) {
                self.files.push(file);
            }
            map.insert(path, r);
        }
        Ok(map)
    }
}

/// Byte offset of a front-matter key (`logo:` / `logo =`), for messages; 0 when not found.
pub(crate) fn key_offset(doc: &Document, key: &str) -> Offset {
    let text = doc.source.text();
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with([':', '='])
        {
            return (pos + (line.len() - t.len())) as Offset;
        }
        pos += line.len();
    }
    0
}

/// Keeps or converts one image (see the module documentation).
fn prepare(img: &LoadedImage) -> Result<ImageFile, String> {
    if let Some(svg) = &img.svg {
        let bytes = svg.clean.as_bytes().to_vec();
        return Ok(ImageFile {
            href: format!("images/{}.svg", assets::digest(&bytes)),
            mime: ImageFormat::Svg.mime(),
            width: img.width,
            height: img.height,
            bytes,
        });
    }
    let odd_jpeg =
        img.format == ImageFormat::Jpeg && (img.color.is_cmyk() || img.color.bit_depth != 8);
    // A sideways-stored photo is turned upright: not every e-reader honours Exif orientation.
    if img.long_side() <= MAX_LONG_SIDE && !odd_jpeg && img.upright() {
        return Ok(ImageFile {
            href: format!("images/{}.{}", img.hash, img.format.extension()),
            mime: img.format.mime(),
            bytes: img.bytes.clone(),
            width: img.width,
            height: img.height,
        });
    }
    let px = img.pixels();
    let scaled: DynamicImage = if img.long_side() > MAX_LONG_SIDE {
        let (w, h) = fit(img.width, img.height, MAX_LONG_SIDE);
        px.resize_exact(w, h, image::imageops::FilterType::Lanczos3)
    } else {
        px.clone()
    };
    let photo = !img.color.has_alpha && matches!(img.format, ImageFormat::Jpeg | ImageFormat::WebP);
    let mut out = Vec::new();
    let format = if photo {
        let rgb = if scaled.color().has_color() {
            DynamicImage::ImageRgb8(scaled.to_rgb8())
        } else {
            DynamicImage::ImageLuma8(scaled.to_luma8())
        };
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode_image(&rgb)
            .map_err(|e| e.to_string())?;
        ImageFormat::Jpeg
    } else {
        let eight: DynamicImage = match (scaled.color().has_color(), img.color.has_alpha) {
            (true, true) => scaled.to_rgba8().into(),
            (true, false) => scaled.to_rgb8().into(),
            (false, true) => scaled.to_luma_alpha8().into(),
            (false, false) => scaled.to_luma8().into(),
        };
        image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Best,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(
            eight.as_bytes(),
            eight.width(),
            eight.height(),
            eight.color().into(),
        )
        .map_err(|e| e.to_string())?;
        ImageFormat::Png
    };
    Ok(ImageFile {
        href: format!("images/{}.{}", assets::digest(&out), format.extension()),
        mime: format.mime(),
        width: scaled.width(),
        height: scaled.height(),
        bytes: out,
    })
}

/// An SVG cover drawn as a PNG, [`MAX_LONG_SIDE`] pixels on its long side.
pub(crate) fn raster_cover(img: &LoadedImage) -> Result<Vec<u8>, String> {
    let svg = img.svg.as_ref().ok_or("not an SVG drawing")?;
    let (w, h) = fit(img.width, img.height, MAX_LONG_SIDE);
    let px = svg
        .rasterize(w, h)
        .ok_or("the drawing has no size to draw")?;
    // On white: a transparent cover shows black on some readers' shelves.
    let px = image::RgbImage::from_fn(px.width(), px.height(), |x, y| {
        let p = px.get_pixel(x, y).0;
        let a = p[3] as u32;
        let on_white = |c: u8| ((c as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([on_white(p[0]), on_white(p[1]), on_white(p[2])])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(
        px.as_raw(),
        px.width(),
        px.height(),
        image::ExtendedColorType::Rgb8,
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// The size of `w`×`h` scaled down so that its long side is `max` (aspect kept, at least 1).
fn fit(w: u32, h: u32, max: u32) -> (u32, u32) {
    if w >= h {
        let nh = (h as u64 * max as u64 + w as u64 / 2) / w as u64;
        (max, (nh as u32).max(1))
    } else {
        let nw = (w as u64 * max as u64 + h as u64 / 2) / h as u64;
        ((nw as u32).max(1), max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_keeps_the_aspect() {
        assert_eq!(fit(3200, 1800, 1600), (1600, 900));
        assert_eq!(fit(1000, 4000, 1600), (400, 1600));
        assert_eq!(fit(20000, 3, 1600), (1600, 1));
    }
}
