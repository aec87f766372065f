//! Images: the shared loader (`communique::assets`) and images in the EPUB and the HTML page.
//! Every image is generated here; nothing large is stored.

use crate::common;

use common::unzip;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use communique::assets::{AssetPolicy, ColorModel, ImageFormat, LoadedImage, MAX_SIDE, load_image};
use communique::epub::{EpubOptions, bundle, epub, html};
use communique::markdown::{ReadOptions, read};
use communique::model::{BlockKind, Document, Image, Inline};
use communique::{Diagnostic, Severity};
use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};

// ----- helpers -----

/// A fresh, empty folder for one test.
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cq-images-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const HEAD: &str =
    "---\ntitle: Images\norganization: Example Rights Watch\ndate: 2026-11-27\n---\n\n";

/// Writes `body` (after a fixed 6-line front matter) as `dir/doc.md` and reads it.
fn doc_in(dir: &Path, body: &str) -> Document {
    let text = format!("{HEAD}{body}");
    let path = dir.join("doc.md");
    std::fs::write(&path, &text).unwrap();
    let (doc, diags) = read(&path, &text, &ReadOptions::default());
    doc.unwrap_or_else(|| panic!("{diags:?}"))
}

fn first_image(doc: &Document) -> Image {
    let mut found = None;
    doc.walk_blocks(&mut |b| {
        if let BlockKind::Paragraph(inl) = &b.kind {
            for i in inl {
                if let (Inline::Image(img), None) = (i, &found) {
                    found = Some(img.clone());
                }
            }
        }
    });
    found.expect("the document has an image")
}

/// Loads the first image of a one-image document whose body is `![alt](name)` on line 7.
fn load(dir: &Path, name: &str) -> Result<LoadedImage, Diagnostic> {
    load_with(dir, name, &AssetPolicy::default())
}

fn load_with(dir: &Path, name: &str, policy: &AssetPolicy) -> Result<LoadedImage, Diagnostic> {
    let doc = doc_in(dir, &format!("![A test image]({name})\n"));
    let img = first_image(&doc);
    load_image(&doc, &img.path, img.at, policy)
}

/// Asserts an error at line 7, column 1 of `doc.md` whose text holds every one of `parts`.
fn assert_error(r: Result<LoadedImage, Diagnostic>, parts: &[&str]) {
    let e = r.expect_err("the image must be refused");
    assert_eq!(e.severity, Severity::Error);
    assert_eq!(e.line_col, Some((7, 1)), "{e}");
    assert!(e.path.ends_with("doc.md"), "{e}");
    let s = e.to_string();
    for p in parts {
        assert!(s.contains(p), "`{p}` missing from: {s}");
    }
}

fn encode(img: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A photo-like gradient, so that JPEG has something to compress.
fn gradient(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        Rgb([
            (x * 255 / w.max(1)) as u8,
            (y * 255 / h.max(1)) as u8,
            ((x + y) % 256) as u8,
        ])
    })
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encode(
        &DynamicImage::ImageRgb8(gradient(w, h)),
        image::ImageFormat::Jpeg,
    )
}

fn png_rgba(w: u32, h: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(w, h, |x, y| {
        Rgba([200, (x % 256) as u8, 40, (y % 256) as u8])
    });
    encode(&DynamicImage::ImageRgba8(img), image::ImageFormat::Png)
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A valid PNG header that declares `w`×`h` RGBA pixels, followed by a tiny IDAT: a
/// decompression bomb's shape, a few dozen bytes long.
fn bomb_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    // A zlib stream of a few zero bytes (far fewer than the header promises).
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A CMYK JPEG, as print workflows produce them.
fn cmyk_jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut px = Vec::with_capacity(w as usize * h as usize * 4);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x % 256) as u8, (y % 256) as u8, 64, 0]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&px, w, h, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    out
}

fn opts() -> EpubOptions {
    EpubOptions {
        source_date_epoch: Some(1_795_800_000),
        ..EpubOptions::default()
    }
}

fn entry(book: &[(String, Vec<u8>)], name: &str) -> Vec<u8> {
    book.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the book"))
        .1
        .clone()
}

fn text_entry(book: &[(String, Vec<u8>)], name: &str) -> String {
    String::from_utf8(entry(book, name)).unwrap()
}

/// `(href, media-type)` of every image item in the manifest.
fn manifest_images(opf: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for item in opf.split("<item ").skip(1) {
        let attr = |name: &str| {
            let k = format!("{name}=\"");
            item.find(&k).map(|i| {
                let rest = &item[i + k.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
        };
        if let (Some(h), Some(m)) = (attr("href"), attr("media-type"))
            && h.starts_with("images/")
        {
            out.push((h, m));
        }
    }
    out
}

// ----- the loader: refusals -----

#[test]
fn decompression_bomb_is_refused_before_decoding() {
    let d = tmp("bomb");
    let bytes = bomb_png(30_000, 30_000);
    assert!(bytes.len() < 100);
    std::fs::write(d.join("bomb.png"), &bytes).unwrap();
    assert_error(
        load(&d, "bomb.png"),
        &["bomb.png", "30000×30000", "not decoded"],
    );
    // One side over the limit is enough.
    std::fs::write(d.join("wide.png"), bomb_png(MAX_SIDE + 1, 10)).unwrap();
    assert_error(load(&d, "wide.png"), &["wide.png", "declares"]);
}

#[test]
fn truncated_files_are_refused() {
    let d = tmp("truncated");
    let full = jpeg(300, 200);
    std::fs::write(d.join("cut.jpg"), &full[..full.len() / 2]).unwrap();
    assert_error(load(&d, "cut.jpg"), &["cut.jpg", "truncated JPEG"]);
    let png = png_rgba(300, 200);
    std::fs::write(d.join("cut.png"), &png[..png.len() / 2]).unwrap();
    assert_error(load(&d, "cut.png"), &["cut.png", "PNG"]);
    std::fs::write(d.join("head.png"), &png[..20]).unwrap();
    assert_error(load(&d, "head.png"), &["head.png", "PNG"]);
}

#[test]
fn mislabelled_files_are_refused() {
    let d = tmp("mislabelled");
    std::fs::write(
        d.join("drawing.png"),
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>\n",
    )
    .unwrap();
    // An SVG named .png is read for what it is, too.
    assert_eq!(load(&d, "drawing.png").unwrap().format, ImageFormat::Svg);
    std::fs::write(d.join("notes.png"), "just some text\n").unwrap();
    assert_error(load(&d, "notes.png"), &["notes.png", "text file"]);
    std::fs::write(d.join("empty.jpg"), "").unwrap();
    assert_error(load(&d, "empty.jpg"), &["empty.jpg", "empty"]);
    // A JPEG named .png is read for what it is.
    std::fs::write(d.join("photo.png"), jpeg(40, 30)).unwrap();
    assert_eq!(load(&d, "photo.png").unwrap().format, ImageFormat::Jpeg);
}

#[test]
fn missing_image_names_the_path_and_the_position() {
    let d = tmp("missing");
    assert_error(
        load(&d, "photos/nowhere.jpg"),
        &["photos/nowhere.jpg", "no such file"],
    );
    assert_error(
        load(&d, "https://example.org/a.png"),
        &["https://example.org/a.png", "never downloaded"],
    );
}

#[test]
fn paths_outside_the_folder_are_refused_unless_allowed() {
    let root = tmp("outside");
    let inner = root.join("statement");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(root.join("secret.png"), png_rgba(4, 4)).unwrap();
    std::fs::create_dir_all(inner.join("img")).unwrap();
    std::fs::write(inner.join("img/ok.png"), png_rgba(4, 4)).unwrap();

    assert_error(
        load(&inner, "../secret.png"),
        &["../secret.png", "leads out", "--allow-outside"],
    );
    let abs = root.join("secret.png").display().to_string();
    assert_error(load(&inner, &abs), &["absolute path", "--allow-outside"]);
    // Refused as such whether or not the file exists (the message tells nothing of what is there).
    assert_error(load(&inner, "../nowhere.png"), &["leads out"]);
    assert_error(load(&inner, "/nonexistent/x.png"), &["absolute path"]);
    // `..` that stays inside is fine.
    assert!(load(&inner, "img/../img/ok.png").is_ok());

    let allow = AssetPolicy {
        allow_outside: true,
        ..AssetPolicy::default()
    };
    assert!(load_with(&inner, "../secret.png", &allow).is_ok());
    assert!(load_with(&inner, &abs, &allow).is_ok());
    // An extra root (the house configuration's folder) admits its files, absolute or not.
    let extra = AssetPolicy {
        extra_roots: vec![root.clone()],
        ..AssetPolicy::default()
    };
    assert!(load_with(&inner, &abs, &extra).is_ok());
    assert!(load_with(&inner, "../secret.png", &extra).is_ok());

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("secret.png"), inner.join("link.png")).unwrap();
        assert_error(load(&inner, "link.png"), &["link.png", "outside"]);
        assert!(load_with(&inner, "link.png", &allow).is_ok());
        // A link that stays inside is fine.
        std::os::unix::fs::symlink(inner.join("img/ok.png"), inner.join("inside.png")).unwrap();
        assert!(load(&inner, "inside.png").is_ok());
    }
}

// ----- the loader: what loads -----

#[test]
fn alpha_png_keeps_its_transparency() {
    let d = tmp("alpha");
    std::fs::write(d.join("a.png"), png_rgba(64, 32)).unwrap();
    let img = load(&d, "a.png").unwrap();
    assert_eq!((img.width, img.height), (64, 32));
    assert_eq!(img.format, ImageFormat::Png);
    assert_eq!(img.color.model, ColorModel::Rgb);
    assert!(img.color.has_alpha);
    assert_eq!(img.color.bit_depth, 8);
    assert!(img.pixels().color().has_alpha());
    assert_eq!(
        img.bytes,
        png_rgba(64, 32),
        "original bytes kept for pass-through"
    );
}

#[test]
fn sixteen_bit_png_loads() {
    let d = tmp("16bit");
    let img = image::ImageBuffer::<Rgb<u16>, _>::from_fn(20, 10, |x, y| {
        Rgb([x as u16 * 3000, y as u16 * 6000, 65535])
    });
    std::fs::write(
        d.join("deep.png"),
        encode(&DynamicImage::ImageRgb16(img), image::ImageFormat::Png),
    )
    .unwrap();
    let l = load(&d, "deep.png").unwrap();
    assert_eq!(l.color.bit_depth, 16);
    assert!(!l.color.has_alpha);
    assert_eq!((l.width, l.height), (20, 10));
}

#[test]
fn cmyk_jpeg_loads_and_is_reported_as_cmyk() {
    let d = tmp("cmyk");
    std::fs::write(d.join("print.jpg"), cmyk_jpeg(48, 32)).unwrap();
    let l = load(&d, "print.jpg").unwrap();
    assert_eq!(l.format, ImageFormat::Jpeg);
    assert!(l.color.is_cmyk(), "{:?}", l.color);
    assert_eq!((l.width, l.height), (48, 32));
    assert_eq!((l.pixels().width(), l.pixels().height()), (48, 32));
}

#[test]
fn webp_and_gif_load() {
    let d = tmp("webp-gif");
    let rgba = DynamicImage::ImageRgba8(RgbaImage::from_fn(30, 20, |x, _| {
        Rgba([x as u8 * 8, 90, 160, 255])
    }));
    std::fs::write(d.join("a.webp"), encode(&rgba, image::ImageFormat::WebP)).unwrap();
    let w = load(&d, "a.webp").unwrap();
    assert_eq!((w.format, w.width, w.height), (ImageFormat::WebP, 30, 20));

    let mut gif = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut gif);
        for shade in [10u8, 200] {
            let frame = RgbaImage::from_pixel(16, 12, Rgba([shade, shade, shade, 255]));
            enc.encode_frame(image::Frame::new(frame)).unwrap();
        }
    }
    std::fs::write(d.join("a.gif"), &gif).unwrap();
    let g = load(&d, "a.gif").unwrap();
    assert_eq!((g.format, g.width, g.height), (ImageFormat::Gif, 16, 12));
    assert_eq!(g.color.model, ColorModel::Indexed);
    assert!(g.animated);
    // The first frame is the one decoded.
    assert!(g.pixels().to_rgba8().get_pixel(0, 0)[0] < 50);
}

/// A JPEG of `w`×`h` stored pixels whose Exif says "rotate 90° clockwise to show" (orientation 6),
/// as phones write them.
fn sideways_jpeg(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    exif.extend_from_slice(&[0, 1]); // one entry
    exif.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
    exif.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

#[test]
fn exif_orientation_is_applied() {
    let d = tmp("exif");
    std::fs::write(d.join("phone.jpg"), sideways_jpeg(60, 40)).unwrap();
    let l = load(&d, "phone.jpg").unwrap();
    assert!(!l.upright());
    assert_eq!((l.width, l.height), (40, 60), "as displayed");
    assert_eq!((l.pixels().width(), l.pixels().height()), (40, 60));
    // The EPUB stores it upright rather than trusting every reader with Exif.
    let doc = doc_in(&d, "![A phone photo](phone.jpg)\n");
    let book = unzip(&epub(&doc, &opts()).unwrap().bytes);
    let (_, bytes) = book
        .iter()
        .find(|(n, _)| n.starts_with("OEBPS/images/"))
        .unwrap();
    let shown = image::load_from_memory(bytes).unwrap();
    assert_eq!((shown.width(), shown.height()), (40, 60));
}

#[test]
fn percent_escaped_paths_are_found() {
    let d = tmp("escaped");
    std::fs::write(d.join("my photo.jpg"), jpeg(8, 8)).unwrap();
    assert!(load(&d, "my%20photo.jpg").is_ok());
}

// ----- EPUB and HTML -----

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/briefing-with-figures/briefing.md")
}

fn example() -> Document {
    let path = example_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let (doc, diags) = read(&path, &text, &ReadOptions::default());
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    doc.unwrap()
}

#[test]
fn example_builds_with_its_images_in_the_manifest() {
    let doc = example();
    let r = epub(&doc, &opts()).unwrap();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let book = unzip(&r.bytes);
    let opf = text_entry(&book, "OEBPS/content.opf");
    let mut imgs = manifest_images(&opf);
    imgs.sort();
    assert_eq!(imgs.len(), 4, "logo, two photos, chart: {imgs:?}");
    for (href, mime) in &imgs {
        let want = if href.ends_with(".png") {
            "image/png"
        } else {
            "image/jpeg"
        };
        assert_eq!(mime, want, "{href}");
        let bytes = entry(&book, &format!("OEBPS/{href}"));
        let stem = href
            .trim_start_matches("images/")
            .split('.')
            .next()
            .unwrap();
        assert_eq!(stem, communique::assets::digest(&bytes), "named by content");
    }
    // Kept byte for byte: all are core media types and under 1600 px.
    let photo = std::fs::read(example_path().with_file_name("storm-road.jpg")).unwrap();
    assert!(book.iter().any(|(_, b)| *b == photo));

    let body = text_entry(&book, "OEBPS/statement.xhtml");
    assert_eq!(body.matches("<figure class=\"figure\">").count(), 3);
    assert!(body.contains("alt=\"Storm clouds over an empty coastal road"));
    assert!(body.contains(
        "<figcaption>People displaced per quarter, all districts (illustrative figures)</figcaption>"
    ));
    // The dateline still opens the first paragraph of text.
    assert!(body.contains("<p><span class=\"dateline\">PORT EXAMPLE"));
    // 44 rows and a header, footnotes from a table cell and from list items.
    assert_eq!(body.matches("<tr>").count(), 45);
    assert!(body.contains("<div class=\"table-wrap\" tabindex=\"0\">"));
    assert!(body.contains("<th scope=\"col\" class=\"ar\">Displaced</th>"));
    assert!(body.matches("epub:type=\"footnote\"").count() >= 10);
    let redmarsh = body.find("<td class=\"al\">Redmarsh</td>").unwrap();
    assert!(
        body[redmarsh..]
            .split("</tr>")
            .next()
            .unwrap()
            .contains("epub:type=\"noteref\"")
    );
    assert!(body.contains("<li>Displacement peaked at the end of 2025 and has fallen since, but slowly.<sup><a id=\"cq-fnref-"));

    let title = text_entry(&book, "OEBPS/title.xhtml");
    assert!(title.contains("<p class=\"logo\"><img src=\"images/"));
}

#[test]
fn images_are_converted_only_when_needed_and_stored_once() {
    let d = tmp("convert");
    let big_photo = jpeg(2400, 1200);
    std::fs::write(d.join("big.jpg"), &big_photo).unwrap();
    std::fs::write(d.join("tall.png"), png_rgba(900, 3000)).unwrap();
    std::fs::write(d.join("print.jpg"), cmyk_jpeg(64, 48)).unwrap();
    std::fs::write(d.join("small.jpg"), jpeg(320, 200)).unwrap();
    let rgba = DynamicImage::ImageRgba8(RgbaImage::from_pixel(24, 24, Rgba([1, 2, 3, 128])));
    std::fs::write(d.join("a.webp"), encode(&rgba, image::ImageFormat::WebP)).unwrap();
    std::fs::write(
        d.join("a.gif"),
        encode(
            &DynamicImage::ImageRgba8(RgbaImage::from_pixel(8, 8, Rgba([9, 9, 9, 255]))),
            image::ImageFormat::Gif,
        ),
    )
    .unwrap();
    let doc = doc_in(
        &d,
        "![A wide photo](big.jpg \"Wide\")\n\n![A tall graphic](tall.png)\n\n\
         Inline ![a CMYK picture](print.jpg) and ![a small photo](small.jpg) and again \
         ![the small photo again](small.jpg), ![a WebP](a.webp), ![a GIF](a.gif).\n",
    );
    let r = epub(&doc, &opts()).unwrap();
    let book = unzip(&r.bytes);
    let opf = text_entry(&book, "OEBPS/content.opf");
    let imgs = manifest_images(&opf);
    assert_eq!(imgs.len(), 6, "small.jpg is stored once: {imgs:?}");
    let mut kinds: Vec<&str> = imgs.iter().map(|(_, m)| m.as_str()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "image/gif",
            "image/jpeg",
            "image/jpeg",
            "image/jpeg",
            "image/png",
            "image/webp"
        ]
    );
    for (href, _) in &imgs {
        let bytes = entry(&book, &format!("OEBPS/{href}"));
        let img = image::load_from_memory(&bytes).unwrap();
        assert!(img.width().max(img.height()) <= 1600, "{href}");
        if img.width() == 1600 {
            assert_eq!(img.height(), 800, "aspect kept");
            assert!(href.ends_with(".jpg"), "a photo stays a JPEG");
        }
        if img.height() == 1600 {
            assert_eq!(img.width(), 480);
            assert!(
                href.ends_with(".png") && img.color().has_alpha(),
                "alpha kept as PNG"
            );
        }
    }
    // The CMYK JPEG is re-encoded as RGB, the small photo kept as it is.
    assert!(
        book.iter()
            .any(|(_, b)| *b == std::fs::read(d.join("small.jpg")).unwrap())
    );
    assert!(
        !book
            .iter()
            .any(|(_, b)| *b == std::fs::read(d.join("print.jpg")).unwrap())
    );
    let body = text_entry(&book, "OEBPS/statement.xhtml");
    assert!(body.contains("<figcaption>Wide</figcaption>"));
    assert!(body.contains("<img class=\"inline\""));
    assert!(body.contains("alt=\"a CMYK picture\""));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn missing_alt_text_warns_and_decorative_images_do_not() {
    let d = tmp("alt");
    std::fs::write(d.join("a.png"), png_rgba(10, 10)).unwrap();
    let doc = doc_in(&d, "![](a.png)\n\nText ![\"\"](a.png).\n");
    let r = epub(&doc, &opts()).unwrap();
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let w = &r.diagnostics[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.line_col, Some((7, 1)));
    assert!(w.message.contains("no alt text"));
    let body = text_entry(&unzip(&r.bytes), "OEBPS/statement.xhtml");
    assert_eq!(body.matches("alt=\"\" role=\"presentation\"").count(), 2);
}

#[test]
fn a_bad_image_fails_the_document_with_its_position() {
    let d = tmp("fails");
    std::fs::write(d.join("fake.png"), "just some text, not a picture\n").unwrap();
    let doc = doc_in(
        &d,
        "Some text.\n\n- a list item with ![a bad image](fake.png)\n",
    );
    for r in [epub(&doc, &opts()), html(&doc, &opts())] {
        let e = r.unwrap_err();
        assert_eq!(e.line_col, Some((9, 20)), "{e}");
        assert!(
            e.to_string().contains("fake.png") && e.to_string().contains("text file"),
            "{e}"
        );
    }
    let mut doc = doc_in(&d, "Text.\n");
    doc.meta.logo = Some("no-logo.png".into());
    let e = epub(&doc, &opts()).unwrap_err();
    assert!(e.to_string().contains("no-logo.png"), "{e}");
}

#[test]
fn html_page_returns_its_images_as_attachments() {
    let doc = example();
    let r = html(&doc, &opts()).unwrap();
    let page = String::from_utf8(r.bytes).unwrap();
    assert_eq!(r.attachments.len(), 4);
    for a in &r.attachments {
        assert!(a.path.starts_with("images/") && !a.path.contains(".."));
        assert!(page.contains(&format!("src=\"{}\"", a.path)), "{}", a.path);
    }
    assert!(page.contains("width=\"1200\""));
    // Notes at the end with back-links.
    assert!(page.contains("role=\"doc-backlink\""));
    assert!(!page.contains("epub:type"));
    // EPUB and HTML are byte-identical from run to run.
    assert_eq!(html(&doc, &opts()).unwrap().attachments, r.attachments);
    assert_eq!(
        epub(&doc, &opts()).unwrap().bytes,
        epub(&doc, &opts()).unwrap().bytes
    );
}

#[test]
fn a_briefing_pack_stores_shared_images_once() {
    let a = example();
    let mut b = example();
    b.meta.title = "A second statement with the same pictures".into();
    let r = bundle("Pack", &[a, b], &opts()).unwrap();
    let book = unzip(&r.bytes);
    let imgs = manifest_images(&text_entry(&book, "OEBPS/content.opf"));
    assert_eq!(imgs.len(), 4, "{imgs:?}");
    for ch in ["OEBPS/s001.xhtml", "OEBPS/s002.xhtml"] {
        let x = text_entry(&book, ch);
        assert_eq!(
            x.matches("<img class=\"figure\" src=\"images/").count(),
            3,
            "{ch}"
        );
        assert!(x.contains("<p class=\"logo\"><img src=\"images/"), "{ch}");
    }
}

// ----- EPUBCheck -----

#[test]
fn epubcheck_passes_the_example_and_every_image_format() {
    if common::epubcheck_jar().is_none() {
        return;
    }
    let d = tmp("epubcheck");
    let rgba = DynamicImage::ImageRgba8(RgbaImage::from_pixel(24, 24, Rgba([1, 2, 3, 128])));
    std::fs::write(d.join("a.webp"), encode(&rgba, image::ImageFormat::WebP)).unwrap();
    std::fs::write(d.join("a.gif"), encode(&rgba, image::ImageFormat::Gif)).unwrap();
    std::fs::write(d.join("print.jpg"), cmyk_jpeg(64, 48)).unwrap();
    std::fs::write(d.join("big.png"), png_rgba(2000, 1000)).unwrap();
    let formats = doc_in(
        &d,
        "![A WebP square](a.webp \"WebP\")\n\nText with ![a GIF](a.gif) inline.\n\n\
         ![A CMYK picture](print.jpg)\n\n![A large graphic](big.png \"Large\")\n",
    );
    for (name, doc) in [("example.epub", example()), ("formats.epub", formats)] {
        let path = d.join(name);
        std::fs::write(&path, epub(&doc, &opts()).unwrap().bytes).unwrap();
        let Some((_, text)) = common::epubcheck(&path) else {
            return;
        };
        assert!(
            text.contains("0 fatals / 0 errors / 0 warnings")
                || text.contains("No errors or warnings detected"),
            "{name}:\n{text}"
        );
        assert!(
            !text.contains("WARNING") && !text.contains("ERROR"),
            "{name}:\n{text}"
        );
    }
}
