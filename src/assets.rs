//! Images from disk: the one place that reads them, shared by the backends.
//!
//! # Where an image may come from
//! An image path from the Markdown (`![alt](path "title")`, `logo:`, `cover:`) is resolved
//! relative to the folder of the Markdown file. The file it names — after following every
//! symbolic link ([`std::fs::canonicalize`]) — must lie inside that folder or inside one of
//! [`AssetPolicy::extra_roots`]. A `../` path that leaves the folder, an absolute path (unless it
//! lies in an extra root) and a link pointing outside are refused with an error, unless
//! [`AssetPolicy::allow_outside`] is set (the CLI's `--allow-outside`). Remote URLs are never
//! fetched.
//!
//! # What is accepted
//! PNG, JPEG, GIF (the first frame), WebP and SVG, recognized by their bytes, never by the
//! file name: a text file named `.png` is an error. An SVG is read and sanitized by the
//! submodule [`svg`] (usvg; no scripts, nothing read from outside the file) and kept as a
//! clean drawing ([`LoadedImage::svg`]); its pixels are drawn only when asked for. Every image is decoded once when loaded,
//! so a truncated or corrupt file is an error here and not a surprise in a backend. Decoding is
//! bounded by [`ImageLimits`] (by default [`MAX_SIDE`] pixels a side, [`MAX_DECODED_BYTES`] of
//! pixels, [`MAX_FILE_BYTES`] of file; the CLI's `--max-image-side`, `--max-image-decoded-mb`
//! and `--max-image-mb`): a small file that declares 30000×30000 pixels is refused before any
//! pixel is decoded.
//!
//! Every error names the image path as written, the file on disk, and the Markdown `line:col`
//! that referenced it (`Diagnostic::error(..).at(&doc.source, at)`).
//!
//! # Use
//! ```no_run
//! # use communique::{assets::{AssetPolicy, load_image}, Document};
//! # fn f(doc: &Document, path: &str, at: u32) -> Result<(), communique::Diagnostic> {
//! let img = load_image(doc, path, at, &AssetPolicy::default())?;
//! let (w, h) = (img.width, img.height);
//! if img.format == communique::assets::ImageFormat::Jpeg && img.upright() && !img.color.is_cmyk() {
//!     let _pass_through: &[u8] = &img.bytes;
//! } else {
//!     let _pixels: &image::DynamicImage = img.pixels();
//! }
//! # Ok(()) }
//! ```
//!
//! Nothing is cached across calls: a backend that meets the same path twice keeps the first
//! [`LoadedImage`] itself (they are cheap to share through [`std::sync::Arc`]).

use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

pub use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

use crate::model::{Document, Offset};
use crate::{Diagnostic, model::SourceMap};

pub mod svg;
pub use svg::SvgImage;

/// Longest side accepted by default, in pixels.
pub const MAX_SIDE: u32 = 20_000;
/// Largest decoded image accepted by default, in bytes (width × height × 4).
pub const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;
/// Largest image file accepted by default, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What an image may cost: checked against the file's size and its declared dimensions before
/// any pixel is decoded, and handed to the decoder as its allocation limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    /// Longest side accepted, in pixels.
    pub max_side: u32,
    /// Largest decoded image accepted, in bytes (width × height × 4).
    pub max_decoded_bytes: u64,
    /// Largest image file accepted, in bytes.
    pub max_file_bytes: u64,
}

impl Default for ImageLimits {
    fn default() -> Self {
        ImageLimits {
            max_side: MAX_SIDE,
            max_decoded_bytes: MAX_DECODED_BYTES,
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

/// Where images may be read from. The default refuses everything outside the Markdown file's
/// folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssetPolicy {
    /// Accept any path (`--allow-outside`).
    pub allow_outside: bool,
    /// Further folders whose files are accepted, e.g. the folder of the house configuration
    /// `communique.toml` (whose `logo` is stored as an absolute path).
    pub extra_roots: Vec<PathBuf>,
    /// Size limits for reading and decoding.
    pub limits: ImageLimits,
}

/// The file formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    WebP,
    /// An SVG drawing (see [`svg`]).
    Svg,
}

impl ImageFormat {
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Gif => "image/gif",
            ImageFormat::WebP => "image/webp",
            ImageFormat::Svg => "image/svg+xml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Gif => "gif",
            ImageFormat::WebP => "webp",
            ImageFormat::Svg => "svg",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Gif => "GIF",
            ImageFormat::WebP => "WebP",
            ImageFormat::Svg => "SVG",
        }
    }

    fn to_image(self) -> Option<image::ImageFormat> {
        match self {
            ImageFormat::Png => Some(image::ImageFormat::Png),
            ImageFormat::Jpeg => Some(image::ImageFormat::Jpeg),
            ImageFormat::Gif => Some(image::ImageFormat::Gif),
            ImageFormat::WebP => Some(image::ImageFormat::WebP),
            ImageFormat::Svg => None,
        }
    }
}

/// The colour model stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorModel {
    Gray,
    Rgb,
    /// Palette colours (PNG colour type 3, GIF).
    Indexed,
    /// Four-component JPEG. `adobe_transform` is the Adobe APP14 transform flag when present
    /// (`Some(2)`: YCCK; `Some(0)`: plain CMYK, which Adobe applications store inverted).
    Cmyk {
        adobe_transform: Option<u8>,
    },
}

/// What the file says about its pixels (not what decoding made of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColorInfo {
    pub model: ColorModel,
    /// Bits per sample in the file: 1, 2, 4, 8, 12 (JPEG) or 16 (PNG).
    pub bit_depth: u8,
    /// An alpha channel or a transparent palette entry / colour key.
    pub has_alpha: bool,
}

impl ColorInfo {
    pub fn is_cmyk(&self) -> bool {
        matches!(self.model, ColorModel::Cmyk { .. })
    }
}

/// A loaded, validated image. `width` and `height` are as displayed (after the Exif orientation);
/// for an SVG, its size in CSS pixels rounded up.
#[derive(Debug, Clone)]
pub struct LoadedImage {
    /// The path as written in the Markdown.
    pub written: String,
    /// The file read (canonical).
    pub file: PathBuf,
    /// The file's bytes, untouched, for pass-through.
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub color: ColorInfo,
    /// A JPEG whose frame is progressive.
    pub progressive: bool,
    /// The GIF has more than one frame (only the first is decoded).
    pub animated: bool,
    /// The Exif orientation of the file (phone photos are often stored sideways).
    /// [`LoadedImage::pixels`], `width` and `height` already have it applied; the original
    /// `bytes` do not, so pass them through only when this is `NoTransforms`
    /// (see [`LoadedImage::upright`]).
    pub orientation: Orientation,
    /// A short hex digest of the bytes (stable across runs and machines), for file names.
    pub hash: String,
    /// The sanitized drawing, when the file is an SVG.
    pub svg: Option<std::sync::Arc<SvgImage>>,
    /// What was left out of the image while reading it (each already placed at the Markdown's
    /// `line:col`). A backend reports them; the CLI prints each once.
    pub warnings: Vec<Diagnostic>,
    /// Decoded when loaded; an SVG's are drawn at its natural size when first asked for.
    pixels: std::sync::OnceLock<DynamicImage>,
}

impl LoadedImage {
    /// The decoded pixels (the first frame of a GIF; CMYK converted to RGB by the decoder; an
    /// SVG drawn at its natural size, one pixel per CSS pixel, with resvg).
    pub fn pixels(&self) -> &DynamicImage {
        self.pixels.get_or_init(|| {
            let drawn = self.svg.as_ref().and_then(|s| {
                let (w, h) = s.pixel_size();
                s.rasterize(w, h)
            });
            DynamicImage::ImageRgba8(drawn.unwrap_or_else(|| image::RgbaImage::new(1, 1)))
        })
    }

    /// True when the stored pixels are shown as they are (no Exif rotation or flip), so the
    /// original bytes can be passed through to a format that ignores Exif (PDF).
    pub fn upright(&self) -> bool {
        self.orientation == Orientation::NoTransforms
    }

    /// Longest side in pixels.
    pub fn long_side(&self) -> u32 {
        self.width.max(self.height)
    }
}

/// A hex digest of `bytes` (UUID v5 over SHA-1, first 16 hex digits): stable, collision-safe
/// enough for naming files of one book.
pub fn digest(bytes: &[u8]) -> String {
    let u = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, bytes);
    u.simple().to_string()[..16].to_string()
}

/// Reads, checks and decodes the image that `path` (as written in the Markdown at byte `at` of
/// `doc`'s source) names. See the module documentation for the rules.
pub fn load_image(
    doc: &Document,
    path: &str,
    at: Offset,
    policy: &AssetPolicy,
) -> Result<LoadedImage, Diagnostic> {
    let (file, bytes) = read_asset(doc, path, at, policy)?;
    decode(&doc.source, path, at, file, bytes, policy.limits)
}

/// Resolves `path` under the policy and reads the file's bytes, without looking at them (for
/// files that are not decoded, such as an SVG cover). Returns the canonical path and the bytes.
pub fn read_asset(
    doc: &Document,
    path: &str,
    at: Offset,
    policy: &AssetPolicy,
) -> Result<(PathBuf, Vec<u8>), Diagnostic> {
    let src = &doc.source;
    let written = path.trim();
    if let Some((msg, help)) = not_local(written) {
        return Err(Diagnostic::error(msg).at(src, at).help(help));
    }
    let file = locate(src, written, at, policy)?;
    let bytes = read_bounded(src, written, at, &file, policy)?;
    Ok((file, bytes))
}

/// Why a written image path names no local file (empty, or a URL), if it does not.
fn not_local(written: &str) -> Option<(String, &'static str)> {
    if written.is_empty() {
        return Some((
            "an image with an empty path".into(),
            "write the image file's path, relative to the Markdown file",
        ));
    }
    if let Some(colon) = written.find(':') {
        let scheme = &written[..colon];
        if scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
        {
            return Some((
                format!("image `{written}` is not a local file; images are never downloaded"),
                "save the image beside the Markdown file and give its relative path",
            ));
        }
    }
    None
}

/// The canonical file a written path names, relative to the Markdown file's folder (percent-
/// decoded when the plain path does not exist), refused when it leaves what the policy allows.
fn locate(
    src: &SourceMap,
    written: &str,
    at: Offset,
    policy: &AssetPolicy,
) -> Result<PathBuf, Diagnostic> {
    let fail = |msg: String, help: &str| Err(Diagnostic::error(msg).at(src, at).help(help));
    let md_dir = match src.path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let rel = Path::new(written);
    let decoded = percent_decode(written);
    let candidate = {
        let plain = md_dir.join(rel);
        match &decoded {
            Some(d) if !plain.exists() => md_dir.join(d),
            _ => plain,
        }
    };
    let absolute = rel.is_absolute() || rel.has_root() || written.starts_with('\\');
    let refuse = |file: &Path| -> Result<(), Diagnostic> {
        if policy.allow_outside {
            return Ok(());
        }
        match outside(policy, &md_dir, rel, absolute, file) {
            None => Ok(()),
            Some(why) => Err(Diagnostic::error(format!(
                "image `{written}` {why} ({}); images are read only from the statement's own folder",
                file.display()
            ))
            .at(src, at)
            .help("copy the image next to the Markdown file, or pass `--allow-outside`")),
        }
    };
    let file = match std::fs::canonicalize(&candidate) {
        Ok(f) => f,
        Err(e) => {
            // A path that would lead outside is refused as such, whether or not the file exists,
            // so that the message does not tell what lies outside.
            let base = std::fs::canonicalize(&md_dir).unwrap_or_else(|_| md_dir.clone());
            refuse(&lexical(&base.join(rel)))?;
            let help = if e.kind() == std::io::ErrorKind::NotFound {
                "the path is relative to the Markdown file; check its spelling and letter case"
            } else {
                "check that the file can be read"
            };
            return fail(
                format!(
                    "cannot read image `{written}` ({}): {}",
                    candidate.display(),
                    io_reason(&e)
                ),
                help,
            );
        }
    };
    refuse(&file)?;
    Ok(file)
}

/// The file's bytes, when it is a file within the size limit.
fn read_bounded(
    src: &SourceMap,
    written: &str,
    at: Offset,
    file: &Path,
    policy: &AssetPolicy,
) -> Result<Vec<u8>, Diagnostic> {
    let fail = |msg: String, help: &str| Err(Diagnostic::error(msg).at(src, at).help(help));
    let meta = std::fs::metadata(file).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read image `{written}` ({}): {}",
            file.display(),
            io_reason(&e)
        ))
        .at(src, at)
    })?;
    if !meta.is_file() {
        return fail(
            format!("image `{written}` ({}) is not a file", file.display()),
            "give the path of an image file",
        );
    }
    if meta.len() > policy.limits.max_file_bytes {
        return fail(
            format!(
                "image `{written}` ({}) is {} MB, over the {} MB limit",
                file.display(),
                meta.len() / (1024 * 1024),
                policy.limits.max_file_bytes / (1024 * 1024)
            ),
            "save it smaller (about 2000 pixels on the long side is plenty for print), or raise the limit with `--max-image-mb`",
        );
    }
    let bytes = std::fs::read(file).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read image `{written}` ({}): {}",
            file.display(),
            io_reason(&e)
        ))
        .at(src, at)
    })?;
    Ok(bytes)
}

/// Why `file` (canonical, or lexically normalized when it does not exist) may not be read under
/// `policy`, if it may not.
fn outside(
    policy: &AssetPolicy,
    md_dir: &Path,
    rel: &Path,
    absolute: bool,
    file: &Path,
) -> Option<&'static str> {
    let roots = std::iter::once(md_dir)
        .chain(policy.extra_roots.iter().map(PathBuf::as_path))
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect::<Vec<_>>();
    let in_md_dir = roots.first().is_some_and(|r| file.starts_with(r));
    let in_extra = roots.iter().skip(1).any(|r| file.starts_with(r));
    let escapes = rel.components().any(|c| c == Component::ParentDir);
    if absolute && !in_extra {
        Some("is an absolute path")
    } else if !(in_md_dir || in_extra) {
        Some(if escapes {
            "leads out of the Markdown file's folder"
        } else {
            "is a link to a file outside the Markdown file's folder"
        })
    } else {
        None
    }
}

/// `a/b/../c` → `a/c`, without touching the disk.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// `a%20b.png` → `a b.png`, when the path holds a valid escape (Markdown editors write them).
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return None;
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).ok()?, 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|d| d != s)
}

/// What the first bytes say the file is.
pub fn sniff(bytes: &[u8]) -> Result<ImageFormat, &'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageFormat::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageFormat::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(ImageFormat::Gif);
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(ImageFormat::WebP);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let html = head.trim_start().starts_with("<!doctype html") || head.contains("<html");
    if !html && head.contains("<svg") {
        return Ok(ImageFormat::Svg);
    }
    Err(if bytes.is_empty() {
        "an empty file"
    } else if html {
        "an HTML page"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "a TIFF image, which is not supported"
    } else if bytes.starts_with(b"BM") {
        "a BMP image, which is not supported"
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        "a HEIC/AVIF image, which is not supported"
    } else if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
        "a text file"
    } else {
        "not an image in a known format"
    })
}

fn decode(
    src: &SourceMap,
    written: &str,
    at: Offset,
    file: PathBuf,
    bytes: Vec<u8>,
    lim: ImageLimits,
) -> Result<LoadedImage, Diagnostic> {
    let fail = |(msg, help): (String, &str)| {
        Err(
            Diagnostic::error(format!("image `{written}` ({}) {msg}", file.display()))
                .at(src, at)
                .help(help),
        )
    };
    let format = match sniff(&bytes) {
        Ok(f) => f,
        Err(what) => {
            return fail((
                format!("is {what}"),
                "use a PNG, JPEG, GIF, WebP or SVG image",
            ));
        }
    };
    if format == ImageFormat::Svg {
        let (drawing, notes) = match svg::load(&bytes, lim) {
            Ok(x) => x,
            Err(r) => return fail((r.message, r.help)),
        };
        let warnings = notes
            .into_iter()
            .map(|n| {
                Diagnostic::warning(format!("SVG image `{written}` ({}) {n}", file.display()))
                    .at(src, at)
            })
            .collect();
        return Ok(svg_image(written, file, bytes, drawing, warnings));
    }
    let header = match checked_header(&bytes, format, lim) {
        Ok(h) => h,
        Err(refusal) => return fail(refusal),
    };
    let (pixels, orientation) = match decode_pixels(&bytes, format, lim) {
        Ok(p) => p,
        Err(refusal) => return fail(refusal),
    };
    let color = ColorInfo {
        has_alpha: header.has_alpha || pixels.color().has_alpha(),
        ..header.color
    };
    Ok(LoadedImage {
        written: written.to_string(),
        file,
        hash: digest(&bytes),
        format,
        width: pixels.width(),
        height: pixels.height(),
        color,
        progressive: header.progressive,
        animated: header.animated,
        orientation,
        bytes,
        svg: None,
        warnings: Vec::new(),
        pixels: pixels.into(),
    })
}

/// Why an image is not decoded, and what to do about it.
type Refusal = (String, &'static str);

const RESAVE: &str = "the file may be truncated or damaged; open it and save it again";

/// Whether `w`×`h` pixels are over the limits.
fn too_big(w: u32, h: u32, lim: ImageLimits) -> bool {
    let px = w as u64 * h as u64 * 4;
    w > lim.max_side || h > lim.max_side || px > lim.max_decoded_bytes
}

/// An SVG drawing as a loaded image (its size in CSS pixels; RGB with alpha).
fn svg_image(
    written: &str,
    file: PathBuf,
    bytes: Vec<u8>,
    drawing: svg::SvgImage,
    warnings: Vec<Diagnostic>,
) -> LoadedImage {
    let (width, height) = drawing.pixel_size();
    LoadedImage {
        written: written.to_string(),
        file,
        hash: digest(&bytes),
        format: ImageFormat::Svg,
        width,
        height,
        color: ColorInfo {
            model: ColorModel::Rgb,
            bit_depth: 8,
            has_alpha: true,
        },
        progressive: false,
        animated: false,
        orientation: Orientation::NoTransforms,
        bytes,
        svg: Some(std::sync::Arc::new(drawing)),
        warnings,
        pixels: std::sync::OnceLock::new(),
    }
}

/// What the file says about itself, before any decoder runs, checked against the limits.
fn checked_header(bytes: &[u8], format: ImageFormat, lim: ImageLimits) -> Result<Header, Refusal> {
    let header = match format {
        ImageFormat::Png => png_header(bytes),
        ImageFormat::Jpeg => jpeg_header(bytes),
        ImageFormat::Gif => gif_header(bytes),
        ImageFormat::WebP => webp_header(bytes),
        ImageFormat::Svg => None,
    };
    let Some(header) = header else {
        return Err((
            format!(
                "is not a valid {} file (its header is damaged)",
                format.name()
            ),
            RESAVE,
        ));
    };
    if header.width == 0 || header.height == 0 {
        return Err((
            "declares an empty picture (0 pixels wide or high)".into(),
            RESAVE,
        ));
    }
    if too_big(header.width, header.height, lim) {
        return Err((
            format!(
                "declares {}×{} pixels, over the limit of {} pixels a side and {} MB decoded; it is not decoded",
                header.width,
                header.height,
                lim.max_side,
                lim.max_decoded_bytes / (1024 * 1024)
            ),
            "scale the image down (about 2000 pixels on the long side is plenty for print), or raise `--max-image-side` or `--max-image-decoded-mb`",
        ));
    }
    if format == ImageFormat::Jpeg && header.truncated {
        return Err((
            "is a truncated JPEG (it ends before its end-of-image marker)".into(),
            RESAVE,
        ));
    }
    Ok(header)
}

/// The pixels, decoded within the limits and turned upright by the Exif orientation.
fn decode_pixels(
    bytes: &[u8],
    format: ImageFormat,
    lim: ImageLimits,
) -> Result<(DynamicImage, Orientation), Refusal> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(lim.max_side);
    limits.max_image_height = Some(lim.max_side);
    limits.max_alloc = Some(lim.max_decoded_bytes);
    let mut reader = ImageReader::new(Cursor::new(bytes));
    if let Some(f) = format.to_image() {
        reader.set_format(f);
    }
    reader.limits(limits);
    let mut decoder = match reader.into_decoder() {
        Ok(d) => d,
        Err(e) => return Err((image_reason(&e, format), RESAVE)),
    };
    let (w, h) = decoder.dimensions();
    if too_big(w, h, lim) || decoder.total_bytes() > lim.max_decoded_bytes {
        return Err((
            format!("declares {w}×{h} pixels, over the limit; it is not decoded"),
            "scale the image down",
        ));
    }
    // A damaged Exif block only loses the orientation, not the picture.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut pixels = match DynamicImage::from_decoder(decoder) {
        Ok(p) => p,
        Err(e) => return Err((image_reason(&e, format), RESAVE)),
    };
    pixels.apply_orientation(orientation);
    Ok((pixels, orientation))
}

fn image_reason(e: &image::ImageError, format: ImageFormat) -> String {
    use image::ImageError as E;
    match e {
        E::Limits(_) => "is larger than the decoding limits allow; it is not decoded".into(),
        E::Unsupported(u) => format!(
            "uses a {} feature that is not supported: {u}",
            format.name()
        ),
        E::Decoding(d) => format!("cannot be decoded as {}: {d}", format.name()),
        E::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            format!("is a truncated {} file", format.name())
        }
        other => format!("cannot be decoded as {}: {other}", format.name()),
    }
}

/// What a file's header declares.
struct Header {
    width: u32,
    height: u32,
    color: ColorInfo,
    has_alpha: bool,
    progressive: bool,
    animated: bool,
    /// JPEG only: no end-of-image marker after the scans.
    truncated: bool,
}

impl Header {
    fn new(width: u32, height: u32, model: ColorModel, bit_depth: u8, alpha: bool) -> Header {
        Header {
            width,
            height,
            color: ColorInfo {
                model,
                bit_depth,
                has_alpha: alpha,
            },
            has_alpha: alpha,
            progressive: false,
            animated: false,
            truncated: false,
        }
    }
}

fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

fn be16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn le16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn le24(b: &[u8], i: usize) -> Option<u32> {
    let s = b.get(i..i + 3)?;
    Some(s[0] as u32 | (s[1] as u32) << 8 | (s[2] as u32) << 16)
}

fn png_header(b: &[u8]) -> Option<Header> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let (w, h) = (be32(b, 16)?, be32(b, 20)?);
    let depth = *b.get(24)?;
    let ctype = *b.get(25)?;
    let (model, alpha) = match ctype {
        0 => (ColorModel::Gray, false),
        2 => (ColorModel::Rgb, false),
        3 => (ColorModel::Indexed, false),
        4 => (ColorModel::Gray, true),
        6 => (ColorModel::Rgb, true),
        _ => return None,
    };
    // A tRNS chunk (before IDAT) makes a colour or palette entry transparent.
    let mut i = 8;
    let mut trns = false;
    while let (Some(len), Some(kind)) = (be32(b, i), b.get(i + 4..i + 8)) {
        if kind == b"tRNS" {
            trns = true;
        }
        if kind == b"IDAT" || kind == b"IEND" {
            break;
        }
        i = i.checked_add(12 + len as usize)?;
    }
    Some(Header::new(w, h, model, depth, alpha || trns))
}

fn gif_header(b: &[u8]) -> Option<Header> {
    let (w, h) = (le16(b, 6)? as u32, le16(b, 8)? as u32);
    let mut hd = Header::new(w, h, ColorModel::Indexed, 8, false);
    // Count image descriptors cheaply: more than one means an animation. A rough scan is
    // enough for a flag that only informs.
    hd.animated = b.windows(2).filter(|w| w == &[0x21, 0xF9]).count() > 1;
    Some(hd)
}

fn webp_header(b: &[u8]) -> Option<Header> {
    let chunk = b.get(12..16)?;
    match chunk {
        b"VP8X" => {
            let flags = *b.get(20)?;
            let w = le24(b, 24)? + 1;
            let h = le24(b, 27)? + 1;
            let mut hd = Header::new(w, h, ColorModel::Rgb, 8, flags & 0x10 != 0);
            hd.animated = flags & 0x02 != 0;
            Some(hd)
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2F {
                return None;
            }
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            let w = (bits & 0x3FFF) + 1;
            let h = ((bits >> 14) & 0x3FFF) + 1;
            Some(Header::new(w, h, ColorModel::Rgb, 8, (bits >> 28) & 1 == 1))
        }
        b"VP8 " => {
            if b.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            let w = (le16(b, 26)? & 0x3FFF) as u32;
            let h = (le16(b, 28)? & 0x3FFF) as u32;
            Some(Header::new(w, h, ColorModel::Rgb, 8, false))
        }
        _ => None,
    }
}

/// The JPEG frame header (SOFn), the Adobe APP14 transform, and whether an end-of-image marker
/// follows the first scan.
fn jpeg_header(b: &[u8]) -> Option<Header> {
    let mut i = 2;
    let mut adobe: Option<u8> = None;
    let mut frame: Option<(u32, u32, u8, u8, bool)> = None;
    loop {
        // Markers may be padded with 0xFF bytes.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if *b.get(i)? != 0xFF {
            return None;
        }
        let m = *b.get(i + 1)?;
        if m == 0xD9 {
            break;
        }
        if (0xD0..=0xD7).contains(&m) || m == 0x01 {
            i += 2;
            continue;
        }
        let len = be16(b, i + 2)? as usize;
        if len < 2 {
            return None;
        }
        let seg = b.get(i + 4..i + 2 + len);
        match m {
            0xEE => {
                if let Some(s) = seg
                    && s.len() >= 12
                    && s.starts_with(b"Adobe")
                {
                    adobe = Some(s[11]);
                }
            }
            0xC0..=0xCF if !matches!(m, 0xC4 | 0xC8 | 0xCC) => {
                let s = seg?;
                let precision = *s.first()?;
                let h = be16(s, 1)? as u32;
                let w = be16(s, 3)? as u32;
                let comps = *s.get(5)?;
                frame = Some((
                    w,
                    h,
                    precision,
                    comps,
                    matches!(m, 0xC2 | 0xC6 | 0xCA | 0xCE),
                ));
            }
            0xDA => {
                // Entropy-coded data follows; in it 0xFF is always followed by 0x00 or a
                // restart marker, so the first 0xFF 0xD9 is the end of the image.
                let (w, h, precision, comps, progressive) = frame?;
                let data = b.get(i + 2 + len..).unwrap_or(&[]);
                let ended = data.windows(2).any(|p| p == [0xFF, 0xD9]);
                let model = match comps {
                    1 => ColorModel::Gray,
                    3 => ColorModel::Rgb,
                    4 => ColorModel::Cmyk {
                        adobe_transform: adobe,
                    },
                    _ => return None,
                };
                let mut hd = Header::new(w, h, model, precision, false);
                hd.progressive = progressive;
                hd.truncated = !ended;
                return Some(hd);
            }
            _ => {}
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes() {
        assert_eq!(percent_decode("a%20b.png").as_deref(), Some("a b.png"));
        assert_eq!(percent_decode("a.png"), None);
        assert_eq!(percent_decode("100%.png"), None);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nxxxx"), Ok(ImageFormat::Png));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><svg>"), Ok(ImageFormat::Svg));
        assert!(
            sniff(b"<html><svg></svg></html>")
                .unwrap_err()
                .contains("HTML")
        );
        assert!(sniff(b"hello").unwrap_err().contains("text"));
        assert!(sniff(b"").unwrap_err().contains("empty"));
    }

    #[test]
    fn digests_are_stable() {
        assert_eq!(digest(b"abc"), digest(b"abc"));
        assert_ne!(digest(b"abc"), digest(b"abd"));
        assert_eq!(digest(b"abc").len(), 16);
    }
}
