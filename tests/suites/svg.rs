//! SVG images end to end, through the binary: a chart, a logo and a cover drawn as SVG reach
//! the PDF (vector, a Form XObject, tagged as a Figure with /Alt), the EPUB (the sanitized
//! drawing, EPUBCheck clean) and the HTML page; hostile drawings are sanitized, warned about
//! once, or refused with a clear error, never a panic or a hang. Every SVG is written here.

use crate::common;

use std::io::Cursor;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{qpdf_check, scratch, tool};

/// A bar chart with a line, a gradient, opacity and text labels (as charting tools export).
const CHART: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300" viewBox="0 0 480 300">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#eeeeee"/>
    </linearGradient>
  </defs>
  <rect width="480" height="300" fill="url(#bg)"/>
  <path d="M40 260 H460 M40 260 V20" stroke="#333" stroke-width="2" fill="none"/>
  <rect x="70" y="160" width="60" height="100" fill="#1f77b4"/>
  <rect x="170" y="100" width="60" height="160" fill="#1f77b4"/>
  <rect x="270" y="60" width="60" height="200" fill="#ff7f0e" opacity="0.8"/>
  <rect x="370" y="130" width="60" height="130" fill="#1f77b4"/>
  <path d="M100 150 L200 90 L300 50 L400 120" stroke="#000" stroke-width="3" fill="none" stroke-dasharray="6 3"/>
  <g font-family="Arial, Helvetica, sans-serif" font-size="16" text-anchor="middle">
    <text x="100" y="285">2022</text><text x="200" y="285">2023</text>
    <text x="300" y="285">2024</text><text x="400" y="285">2025</text>
  </g>
  <text x="240" y="30" font-family="sans-serif" font-weight="bold" font-size="18" text-anchor="middle">Members per year</text>
</svg>
"##;

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <circle cx="32" cy="32" r="30" fill="#0b6e4f"/><path d="M16 34 L28 46 L50 20" stroke="#fff" stroke-width="6" fill="none"/>
</svg>
"##;

const COVER: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900">
  <rect width="600" height="900" fill="#123456"/>
  <text x="300" y="450" font-size="60" fill="#ffffff" text-anchor="middle">Release 2.0</text>
</svg>
"##;

const ALT: &str = "Bar chart: membership rose each year from 2022 to 2024 and fell in 2025";

/// Runs the binary in `dir` with a fixed SOURCE_DATE_EPOCH; kills it after a minute (a hang
/// is a failure, not a stuck test).
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_communique"))
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795800000")
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("communique {args:?} did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    common::unzip(&std::fs::read(path).unwrap())
}

/// The entries of the book whose name ends with `.svg`, as text.
fn svgs(book: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    book.iter()
        .filter(|(n, _)| n.ends_with(".svg"))
        .map(|(n, b)| (n.clone(), String::from_utf8(b.clone()).unwrap()))
        .collect()
}

fn epubcheck(path: &Path) {
    let Some((_, text)) = common::epubcheck(path) else {
        return;
    };
    assert!(
        text.contains("0 fatals / 0 errors / 0 warnings"),
        "EPUBCheck on {}:\n{text}",
        path.display()
    );
}

fn statement(dir: &Path, front: &str, body: &str) {
    std::fs::write(
        dir.join("release.md"),
        format!(
            "---\ntitle: Release 2.0 brings charts\norganization: Example Foundation\ndate: 2026-11-27\ndateline: GENEVA\n{front}---\n\n{body}"
        ),
    )
    .unwrap();
}

#[test]
fn an_svg_chart_logo_and_cover_reach_every_output() {
    let dir = scratch("svg", "chart");
    std::fs::write(dir.join("chart.svg"), CHART).unwrap();
    std::fs::write(dir.join("logo.svg"), LOGO).unwrap();
    std::fs::write(dir.join("cover.svg"), COVER).unwrap();
    statement(
        &dir,
        "logo: logo.svg\ncover: cover.svg\n",
        &format!(
            "Our membership grew every year since 2022.\n\n![{ALT}](chart.svg \"Members per year\")\n\nThe chart above shows the growth.\n"
        ),
    );
    let o = run(
        &dir,
        &["build", "-f", "pdf,epub,html", "-o", "out", "release.md"],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("error") && !err.contains("warning"), "{err}");

    // PDF: vector (Form XObjects, no image XObject), the chart a Figure with its /Alt.
    let pdf = dir.join("out/release.pdf");
    let doc = lopdf::Document::load(&pdf).unwrap();
    let subtype = |o: &lopdf::Object| -> Option<Vec<u8>> {
        let d = match o {
            lopdf::Object::Stream(s) => &s.dict,
            lopdf::Object::Dictionary(d) => d,
            _ => return None,
        };
        d.get(b"Subtype").ok()?.as_name().ok().map(|n| n.to_vec())
    };
    let forms = doc
        .objects
        .values()
        .filter(|o| subtype(o).as_deref() == Some(b"Form"))
        .count();
    let images = doc
        .objects
        .values()
        .filter(|o| subtype(o).as_deref() == Some(b"Image"))
        .count();
    assert!(
        forms >= 2,
        "the chart and the logo are Form XObjects ({forms})"
    );
    assert_eq!(images, 0, "nothing was rasterized");
    let alts: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"Figure"))
        .filter_map(|d| d.get(b"Alt").ok())
        .filter_map(|a| lopdf::decode_text_string(a).ok())
        .collect();
    assert_eq!(alts, vec![ALT.to_string()]);
    if let Some(o) = tool("pdfinfo", &["-struct-text", pdf.to_str().unwrap()]) {
        assert!(String::from_utf8_lossy(&o.stdout).contains("Figure"));
    }
    qpdf_check(&pdf);
    if let Some(o) = tool("pdfua", &["check", pdf.to_str().unwrap()]) {
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("no findings"), "{out}");
    }
    if let Some(o) = tool("outloud", &[pdf.to_str().unwrap()]) {
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains(" 0 error(s)"), "{out}");
    }
    // The drawing is on the page: the bars' blue is there when the page is rendered.
    let png = dir.join("page");
    if let Some(o) = tool(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    ) {
        assert!(o.status.success());
        let page = image::open(dir.join("page.png")).unwrap().to_rgb8();
        let blue = page
            .pixels()
            .filter(|p| {
                (p.0[0] as i32 - 0x1f).abs() < 12
                    && (p.0[1] as i32 - 0x77).abs() < 12
                    && (p.0[2] as i32 - 0xb4).abs() < 12
            })
            .count();
        assert!(
            blue > 200,
            "the chart's bars are drawn ({blue} blue pixels)"
        );
    }

    // EPUB: the sanitized SVGs (image/svg+xml), the cover drawn as a PNG.
    let epub = dir.join("out/release.epub");
    let book = unzip(&epub);
    let opf = book
        .iter()
        .find(|(n, _)| n.ends_with(".opf"))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .unwrap();
    assert_eq!(
        opf.matches("media-type=\"image/svg+xml\"").count(),
        2,
        "{opf}"
    );
    assert!(opf.contains("cover.png"), "{opf}");
    let drawings = svgs(&book);
    assert_eq!(drawings.len(), 2);
    for (name, text) in &drawings {
        assert!(text.starts_with("<svg"), "{name}: {text}");
        assert!(!text.contains("<text"), "text is outlined: {name}");
    }
    epubcheck(&epub);

    // Same input, same bytes.
    let again = run(
        &dir,
        &["build", "-f", "pdf,epub", "-o", "again", "release.md"],
    );
    assert!(again.status.success());
    for ext in ["pdf", "epub"] {
        assert!(
            std::fs::read(dir.join(format!("out/release.{ext}"))).unwrap()
                == std::fs::read(dir.join(format!("again/release.{ext}"))).unwrap(),
            "the {ext} is reproducible"
        );
    }

    // HTML: the drawings beside the page.
    let html = std::fs::read_to_string(dir.join("out/release.html")).unwrap();
    let linked: Vec<&str> = html
        .split("src=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| s.ends_with(".svg"))
        .collect();
    assert_eq!(linked.len(), 2, "{html}");
    for l in linked {
        let text = std::fs::read_to_string(dir.join("out").join(l)).unwrap();
        assert!(text.starts_with("<svg"));
    }
}

/// A PNG of `w` × `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn base64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[test]
fn a_hostile_svg_is_sanitized_and_each_problem_warned_once() {
    let root = scratch("svg", "hostile");
    let dir = root.join("statement");
    std::fs::create_dir_all(&dir).unwrap();
    // A file outside the statement's folder that the drawing tries to pull in.
    std::fs::write(root.join("secret.png"), png(7, 7)).unwrap();
    let secret = root.join("secret.png");
    let embedded = base64(&png(4, 4));
    let svg = format!(
        r##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100" onload="alert(1)">
  <script>alert('x')</script>
  <rect width="200" height="100" fill="#336699" onclick="steal()"/>
  <image href="file://{}" width="10" height="10"/>
  <image xlink:href="../secret.png" x="20" width="10" height="10"/>
  <image href="http://127.0.0.1:9/track.png" x="40" width="10" height="10"/>
  <image href="data:image/png;base64,{embedded}" x="60" width="10" height="10"/>
  <foreignObject width="100" height="50"><div xmlns="http://www.w3.org/1999/xhtml">HTML inside</div></foreignObject>
  <a href="javascript:alert(2)"><circle cx="150" cy="50" r="20" fill="#fff"/></a>
</svg>
"##,
        secret.display()
    );
    std::fs::write(dir.join("drawing.svg"), svg).unwrap();
    statement(
        &dir,
        "",
        "Text.\n\n![A blue panel with a white dot](drawing.svg)\n",
    );
    let o = run(
        &dir,
        &["build", "-f", "pdf,epub,html", "-o", "out", "release.md"],
    );
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for (what, n) in [
        ("scripts or event handlers", 1),
        ("`file://", 1),
        ("`../secret.png`", 1),
        ("`http://127.0.0.1:9/track.png`", 1),
        ("<foreignObject>", 1),
    ] {
        assert_eq!(err.matches(what).count(), n, "`{what}` in:\n{err}");
    }
    assert!(
        err.lines()
            .filter(|l| l.starts_with("warning:"))
            .all(|l| l.contains("release.md:10:1")),
        "{err}"
    );
    let book = unzip(&dir.join("out/release.epub"));
    let drawings = svgs(&book);
    assert_eq!(drawings.len(), 1);
    let mut outputs: Vec<String> = drawings.into_iter().map(|(_, t)| t).collect();
    for e in std::fs::read_dir(dir.join("out/images")).unwrap() {
        outputs.push(std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    for text in &outputs {
        let lower = text.to_ascii_lowercase();
        for bad in [
            "script",
            "onload",
            "onclick",
            "foreignobject",
            "secret",
            "127.0.0.1",
            "file:",
            "javascript",
            "html inside",
        ] {
            assert!(!lower.contains(bad), "`{bad}` in {text}");
        }
        // Only the embedded (data:) image is kept, as a data: URI.
        assert_eq!(lower.matches("<image").count(), 1, "{text}");
        assert_eq!(lower.matches("data:image/png").count(), 1, "{text}");
    }
    qpdf_check(&dir.join("out/release.pdf"));
    epubcheck(&dir.join("out/release.epub"));
}

#[test]
fn bad_svgs_are_clear_errors_never_hangs() {
    let dir = scratch("svg", "bad");
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY a \"aaaaaaaaaa\">\n");
    let mut prev = "a".to_string();
    for i in 0..9 {
        laughs.push_str(&format!(
            "<!ENTITY e{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
        prev = format!("e{i}");
    }
    laughs.push_str(&format!(
        "]>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><text>&{prev};</text></svg>\n"
    ));
    let mut fanout = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\"><defs><rect id=\"r0\" width=\"1\" height=\"1\"/>",
    );
    for i in 1..30 {
        fanout.push_str(&format!("<g id=\"r{i}\">"));
        for _ in 0..4 {
            fanout.push_str(&format!("<use xlink:href=\"#r{}\"/>", i - 1));
        }
        fanout.push_str("</g>");
    }
    fanout.push_str("</defs><use xlink:href=\"#r29\"/></svg>");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "huge",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000000\" height=\"100000000\"><rect width=\"10\" height=\"10\"/></svg>".to_vec(),
            "100000000×100000000 pixels, over the limit",
        ),
        ("laughs", laughs.into_bytes(), "entities that expand to more than"),
        ("fanout", fanout.into_bytes(), "more than a million elements"),
        (
            "malformed",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n<rect width=\"10\"</svg>".to_vec(),
            "is not a valid SVG",
        ),
        (
            "nosize",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"10\"/>".to_vec(),
            "without a valid size",
        ),
        (
            "latin1",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><text>caf\xe9</text></svg>".to_vec(),
            "is not UTF-8",
        ),
        (
            "loop",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\"><g id=\"a\"><use xlink:href=\"#a\"/></g></svg>".to_vec(),
            "",
        ),
    ];
    for (name, bytes, expect) in cases {
        std::fs::write(dir.join(format!("{name}.svg")), bytes).unwrap();
        statement(&dir, "", &format!("Text.\n\n![A picture]({name}.svg)\n"));
        let o = run(
            &dir,
            &["build", "-f", "pdf,epub,html", "-o", "out", "release.md"],
        );
        let err = stderr(&o);
        if expect.is_empty() {
            // usvg drops a self-referencing <use>; the rest of the drawing builds.
            assert!(o.status.success(), "{name}: {err}");
            continue;
        }
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(
            errors.len(),
            1,
            "{name}: one message, not one per output:\n{err}"
        );
        assert!(errors[0].contains("release.md:10:1"), "{name}: {err}");
        assert!(errors[0].contains(&format!("{name}.svg")), "{name}: {err}");
        assert!(
            errors[0].contains(expect),
            "{name}: `{expect}` missing:\n{err}"
        );
        if name == "malformed" {
            assert!(errors[0].contains("line 2, column"), "{err}");
        }
    }
    // The side limit holds for drawings as for pixels.
    std::fs::write(dir.join("chart.svg"), CHART).unwrap();
    statement(&dir, "", "Text.\n\n![A chart](chart.svg)\n");
    let o = run(
        &dir,
        &[
            "build",
            "-f",
            "pdf",
            "-o",
            "out",
            "--max-image-side",
            "100",
            "release.md",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("480×300 pixels, over the limit of 100"),
        "{}",
        stderr(&o)
    );
}

/// A real SVG whose drawing holds several pictures (the RFC's diagram): svg2pdf writes its
/// resource dictionary in a different order from run to run, and the PDF must not follow it.
#[test]
fn an_svg_with_pictures_gives_the_same_pdf_every_time() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/rfc-3606");
    let dir = common::scratch("svg", "same-bytes");
    let mut pdfs = Vec::new();
    for i in 0..4 {
        let out = dir.join(format!("out{i}"));
        let o = run(
            &src,
            &[
                "build",
                "-q",
                "-f",
                "pdf",
                "-o",
                out.to_str().unwrap(),
                "rfc-3606.md",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        pdfs.push(std::fs::read(out.join("rfc-3606.pdf")).unwrap());
    }
    for p in &pdfs[1..] {
        assert!(p == &pdfs[0], "two builds of one statement differ");
    }
}
