//! The newsroom page's sharing metadata: OpenGraph (the preview card of a shared link),
//! the Twitter card, and one schema.org `NewsArticle` as JSON-LD for search engines.
//!
//! Addresses that must be absolute (canonical, `og:url`, `og:image`, `twitter:image`) need
//! the page's public address (`base_url` in `communique.toml` + the stem); without it they
//! are left out, and `check --explain` says so. The card's image is the first figure with
//! alt text, else the `cover`, else the generated cover, written beside the page.

use super::xhtml::Writer;
use super::{Words, display_title, lang_of};
use crate::model::{Block, BlockKind, Document, Inline};

/// The image of the card: its path beside the page, size (when known) and alt text.
struct Card {
    href: String,
    width: Option<u32>,
    height: Option<u32>,
    alt: String,
}

/// What the card, the Twitter card and the JSON-LD share.
struct Shared<'a> {
    title: String,
    lang: String,
    description: Option<String>,
    org: Option<&'a str>,
    url: Option<&'a str>,
    card: Option<Card>,
    logo: Option<String>,
}

impl Shared<'_> {
    /// The absolute address of a file beside the page (none without the page's address).
    fn abs(&self, href: &str) -> Option<String> {
        self.url
            .map(|u| format!("{}{href}", &u[..u.rfind('/').map_or(0, |i| i + 1)]))
    }
}

/// Writes the sharing metadata into the head; the card's image, when it is new, goes to
/// `files`.
pub(super) fn page_meta(
    w: &mut Writer,
    doc: &Document,
    opts: &super::EpubOptions,
    words: &Words,
    files: &mut Vec<crate::Attachment>,
) {
    let m = &doc.meta;
    let url = opts.page_url.as_deref();
    let sh = Shared {
        title: display_title(doc),
        lang: lang_of(doc),
        description: description(doc),
        org: m
            .organization
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty()),
        url,
        card: url.and_then(|_| card(w, doc, opts, words, files)),
        logo: m
            .logo
            .as_deref()
            .and_then(|l| w.images.get(l.trim()))
            .map(|r| r.href.clone()),
    };
    if let Some(u) = url {
        w.raw("<link rel=\"canonical\"");
        w.attr_pair("href", u);
        w.raw("/>\n");
    }
    cards(w, doc, &sh);
    w.raw("<script type=\"application/ld+json\">");
    w.raw(&script_json(&json_ld(doc, opts, &sh)));
    w.raw("</script>\n");
}

/// One `<meta>` element, unless its value is empty.
fn meta(w: &mut Writer, attr: &str, name: &str, value: &str) {
    if value.trim().is_empty() {
        return;
    }
    w.raw(&format!("<meta {attr}=\"{name}\""));
    w.attr_pair("content", value);
    w.raw("/>\n");
}

/// The OpenGraph and Twitter cards.
fn cards(w: &mut Writer, doc: &Document, sh: &Shared) {
    let m = &doc.meta;
    let (title, description, org, url) = (&sh.title, &sh.description, sh.org, sh.url);
    let card = &sh.card;
    meta(w, "property", "og:type", "article");
    meta(w, "property", "og:title", title);
    if let Some(d) = &description {
        meta(w, "property", "og:description", d);
    }
    if let Some(u) = url {
        meta(w, "property", "og:url", u);
    }
    meta(w, "property", "og:locale", &og_locale(&sh.lang));
    if let Some(o) = org {
        meta(w, "property", "og:site_name", o);
    }
    if let Some(c) = &card
        && let Some(src) = sh.abs(&c.href)
    {
        meta(w, "property", "og:image", &src);
        if let (Some(wd), Some(ht)) = (c.width, c.height) {
            meta(w, "property", "og:image:width", &wd.to_string());
            meta(w, "property", "og:image:height", &ht.to_string());
        }
        meta(w, "property", "og:image:alt", &c.alt);
    }
    if let Some(d) = m.date {
        meta(w, "property", "article:published_time", &d.to_string());
    }
    if let Some(o) = org {
        meta(w, "property", "article:author", o);
    }
    for k in &m.keywords {
        meta(w, "property", "article:tag", k);
    }
    let large = card.is_some() && url.is_some();
    meta(
        w,
        "name",
        "twitter:card",
        if large {
            "summary_large_image"
        } else {
            "summary"
        },
    );
    meta(w, "name", "twitter:title", title);
    if let Some(d) = &description {
        meta(w, "name", "twitter:description", d);
    }
    if let Some(c) = &card
        && let Some(src) = sh.abs(&c.href)
    {
        meta(w, "name", "twitter:image", &src);
        meta(w, "name", "twitter:image:alt", &c.alt);
    }
}

/// The schema.org `NewsArticle`.
fn json_ld(doc: &Document, opts: &super::EpubOptions, sh: &Shared) -> serde_json::Value {
    let m = &doc.meta;
    let mut ld = serde_json::Map::new();
    ld.insert("@context".into(), "https://schema.org".into());
    ld.insert("@type".into(), "NewsArticle".into());
    ld.insert("headline".into(), sh.title.clone().into());
    if let Some(d) = &sh.description {
        ld.insert("description".into(), d.clone().into());
    }
    if let Some(d) = m.date {
        ld.insert("datePublished".into(), d.to_string().into());
        let modified = opts
            .source_date_epoch
            .filter(|e| *e > d.unix_seconds())
            .map_or(d, crate::model::DateTime::from_unix_seconds);
        ld.insert("dateModified".into(), modified.to_string().into());
    }
    ld.insert("inLanguage".into(), sh.lang.clone().into());
    if let Some(u) = sh.url {
        ld.insert("url".into(), u.into());
        ld.insert(
            "mainEntityOfPage".into(),
            serde_json::json!({ "@type": "WebPage", "@id": u }),
        );
    }
    if let Some(c) = &sh.card
        && let Some(src) = sh.abs(&c.href)
    {
        let mut img = serde_json::json!({ "@type": "ImageObject", "url": src });
        if let (Some(wd), Some(ht)) = (c.width, c.height) {
            img["width"] = wd.into();
            img["height"] = ht.into();
        }
        ld.insert("image".into(), serde_json::Value::Array(vec![img]));
    }
    let authors: Vec<&str> = if m.authors.is_empty() {
        sh.org.into_iter().collect()
    } else {
        m.authors.iter().map(String::as_str).collect()
    };
    if !authors.is_empty() {
        let list: Vec<serde_json::Value> = authors
            .iter()
            .map(|a| {
                // An author that is the organization is the organization; others are people.
                let kind = if Some(*a) == sh.org {
                    "Organization"
                } else {
                    "Person"
                };
                serde_json::json!({ "@type": kind, "name": a })
            })
            .collect();
        ld.insert("author".into(), serde_json::Value::Array(list));
    }
    if let Some(o) = sh.org {
        let mut publisher = serde_json::json!({ "@type": "Organization", "name": o });
        if let Some(l) = &sh.logo
            && let Some(src) = sh.abs(l)
        {
            publisher["logo"] = serde_json::json!({ "@type": "ImageObject", "url": src });
        }
        ld.insert("publisher".into(), publisher);
    }
    if !m.keywords.is_empty() {
        ld.insert("keywords".into(), m.keywords.join(", ").into());
    }
    serde_json::Value::Object(ld)
}

/// OpenGraph's `language_TERRITORY` (`en_US`) from a BCP 47 tag: its region when it has one,
/// else the usual territory of the UN languages and German, else the language alone.
fn og_locale(lang: &str) -> String {
    let mut parts = lang.split(['-', '_']);
    let language = parts.next().unwrap_or("en").to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    let region = rest
        .iter()
        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|r| r.to_ascii_uppercase());
    let script = rest
        .iter()
        .find(|p| p.len() == 4)
        .map(|s| s.to_ascii_lowercase());
    let region = region.or_else(|| {
        Some(
            match (language.as_str(), script.as_deref()) {
                ("en", _) => "US",
                ("fr", _) => "FR",
                ("es", _) => "ES",
                ("ru", _) => "RU",
                ("de", _) => "DE",
                ("ar", _) => "AR",
                ("zh", Some("hant")) => "TW",
                ("zh", _) => "CN",
                _ => return None,
            }
            .to_string(),
        )
    });
    match region {
        Some(r) => format!("{language}_{r}"),
        None => language,
    }
}

/// JSON for a `<script>` element: `<`, `>` and `&` as `\u` escapes, so that no string can
/// close the element (`</script>`) or open a comment, and the JSON parses the same.
fn script_json(v: &serde_json::Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// `description`, else the first paragraph's text cut at a word to about 200 characters.
fn description(doc: &Document) -> Option<String> {
    if let Some(d) = doc.meta.description.as_deref() {
        let d = d.split_whitespace().collect::<Vec<_>>().join(" ");
        if !d.is_empty() {
            return Some(d);
        }
    }
    let mut first = None;
    doc.walk_blocks(&mut |b: &Block| {
        if first.is_none()
            && let BlockKind::Paragraph(inl) = &b.kind
        {
            let t = crate::model::plain_text(inl);
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if t.chars().count() > 20 {
                first = Some(t);
            }
        }
    });
    let t = first?;
    if t.chars().count() <= 200 {
        return Some(t);
    }
    let cut: String = t.chars().take(200).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > 100 => cut[..i].to_string(),
        _ => cut,
    };
    Some(format!(
        "{}…",
        cut.trim_end_matches([',', ';', ':', '.', ' '])
    ))
}

/// The card's image: the first figure with alt text (not an SVG: sharing sites do not show
/// them), else the cover (the `cover` image or the generated one), written beside the page.
fn card(
    w: &mut Writer,
    doc: &Document,
    opts: &super::EpubOptions,
    words: &Words,
    files: &mut Vec<crate::Attachment>,
) -> Option<Card> {
    let mut found: Option<(String, String)> = None;
    doc.walk_blocks(&mut |b: &Block| {
        if found.is_some() {
            return;
        }
        if let BlockKind::Paragraph(inl) = &b.kind {
            for i in inl {
                if let Inline::Image(img) = i
                    && !img.alt.trim().is_empty()
                    && found.is_none()
                {
                    found = Some((img.path.trim().to_string(), img.alt.trim().to_string()));
                }
            }
        }
    });
    if let Some((path, alt)) = found
        && let Some(r) = w.images.get(&path)
        && !r.href.ends_with(".svg")
    {
        return Some(Card {
            href: r.href.clone(),
            width: Some(r.width),
            height: Some(r.height),
            alt,
        });
    }
    let (res, alt) = super::cover_for(
        doc,
        &super::cover_text(doc, words),
        words,
        &opts.assets,
        &mut w.diags,
    );
    let ext = res.path.rsplit('.').next().unwrap_or("png");
    let href = format!("images/cover-{}.{ext}", crate::assets::digest(&res.bytes));
    let (width, height) = png_size(&res.bytes).unzip();
    files.push(crate::Attachment {
        path: href.clone(),
        bytes: res.bytes,
    });
    Some(Card {
        href,
        width,
        height,
        alt,
    })
}

/// The size in a PNG's header.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.len() < 24 || !b.starts_with(b"\x89PNG\r\n\x1a\n") || &b[12..16] != b"IHDR" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    Some((be(16), be(20)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(og_locale("en-US"), "en_US");
        assert_eq!(og_locale("en-GB"), "en_GB");
        assert_eq!(og_locale("zh-Hans"), "zh_CN");
        assert_eq!(og_locale("zh-Hant"), "zh_TW");
        assert_eq!(og_locale("ar"), "ar_AR");
        assert_eq!(og_locale("sw"), "sw");
    }

    #[test]
    fn json_cannot_close_the_script() {
        let v = serde_json::json!({ "headline": "a </script><!-- & b" });
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
