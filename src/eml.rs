//! The e-mail draft (`-f eml`): the release pasted in the body, as journalists read it (many
//! never open attachments), with the PDF attached. A `.eml` file with `X-Unsent: 1` opens as a
//! draft in Thunderbird, Outlook and Apple Mail: check it, then send.
//!
//! ```text
//! multipart/mixed
//! ├── multipart/alternative
//! │   ├── text/plain   the `-f txt` text
//! │   └── text/html    the page's content with inline styles (multipart/related with its
//! │                    images, as `cid:` parts, when it has any)
//! └── application/pdf  <stem>.pdf, the bytes of the built PDF
//! ```
//!
//! mail-builder writes the MIME (RFC 2047 headers, quoted-printable, base64); this module
//! chooses every value that would otherwise vary from run to run (boundaries, Message-ID,
//! Date), so the same input gives the same bytes.

use mail_builder::MessageBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};

use crate::config::{EmailConfig, Mailbox};
use crate::model::{Document, Release};
use crate::{Diagnostic, Rendered};

/// Options for [`eml`].
#[derive(Debug, Clone, Default)]
pub struct EmlOptions {
    /// Senders and recipients (`[email]` in `communique.toml`); `None` for a draft without.
    pub email: Option<EmailConfig>,
    /// `SOURCE_DATE_EPOCH`: the Date when the statement has no `date`.
    pub source_date_epoch: Option<i64>,
    /// The HTML part is the page's content: its images and theme come from these options.
    pub epub: crate::epub::EpubOptions,
}

/// The subject line: the headline, after the embargo notice when embargoed
/// (`EMBARGOED UNTIL 00:01 EST, 28 NOVEMBER 2026: Headline`).
pub fn subject(doc: &Document) -> String {
    let title: String = doc
        .meta
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let title = if title.is_empty() {
        "Untitled statement".to_string()
    } else {
        title
    };
    match doc.meta.release {
        Release::Immediate => title,
        Release::Embargoed { .. } => format!("{}: {title}", crate::txt::release_line(doc)),
    }
}

/// The Date header's time: the statement's date (a date without a time is noon UTC, so that
/// the day is the same in most of the world), else `SOURCE_DATE_EPOCH`, else now.
fn date_seconds(doc: &Document, opts: &EmlOptions) -> i64 {
    match doc.meta.date {
        Some(d) if d.time.is_some() => d.unix_seconds(),
        Some(d) => d.unix_seconds() + 12 * 3600,
        None => opts.source_date_epoch.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        }),
    }
}

/// Writes the e-mail draft; `pdf` is the built PDF (the same bytes as `<stem>.pdf`), attached
/// as `<stem>.pdf`.
pub fn eml(
    doc: &Document,
    opts: &EmlOptions,
    pdf: &[u8],
    stem: &str,
) -> Result<Rendered, Diagnostic> {
    let text = crate::txt::txt(doc);
    let page = crate::epub::email_html(doc, &opts.epub)?;
    let mut diagnostics = text.diagnostics;
    // The plain text's note about images does not apply: the HTML part carries them.
    diagnostics.retain(|d| !d.message.starts_with("the plain text gives"));
    diagnostics.extend(page.diagnostics);
    let text = String::from_utf8(text.bytes).unwrap_or_default();
    let html = inline_styles(&String::from_utf8_lossy(&page.bytes));
    let subject = subject(doc);
    let date = date_seconds(doc, opts);
    let failed = |e: &std::io::Error| {
        Diagnostic::error(format!("the e-mail draft could not be written: {e}"))
            .in_file(&doc.source.path)
    };

    // Everything that would vary from run to run is derived from the content.
    let id = content_id(&[&subject, &text, &html, stem], date, pdf.len());
    let domain = opts
        .email
        .as_ref()
        .and_then(|e| e.from.as_ref())
        .and_then(|f| f.address.rsplit_once('@'))
        .map_or("communique.invalid".to_string(), |(_, d)| d.to_string());
    let message_id = format!("{id}@{domain}");

    let body = mime_body(&text, &html, page.attachments, pdf, stem, &id);

    // Address headers are written here: mail-builder 0.4 puts a non-ASCII display name's
    // encoded word inside quotes, where RFC 2047 §5 does not allow it (readers then show it
    // undecoded).
    let mut head = subject_header(&subject).map_err(|e| failed(&e))?;
    if let Some(e) = &opts.email {
        if let Some(f) = &e.from {
            head.extend(address_header("From", std::slice::from_ref(f)));
        }
        head.extend(address_header("Reply-To", &e.reply_to));
        head.extend(address_header("To", &e.to));
        head.extend(address_header("Bcc", &e.bcc));
    }
    let m = MessageBuilder::new();
    let m = m
        .date(date)
        .message_id(message_id)
        .header("X-Unsent", Raw::new("1"))
        .header(
            "Content-Language",
            Raw::new(content_language(&doc.meta.lang)),
        )
        .body(body);
    let mut bytes = head;
    bytes.extend(m.write_to_vec().map_err(|e| failed(&e))?);
    Ok(Rendered {
        bytes,
        diagnostics,
        attachments: Vec::new(),
    })
}

/// The draft's identity, from everything it says: its parts, date and PDF's length.
fn content_id(parts: &[&str], date: i64, pdf_len: usize) -> uuid::fmt::Simple {
    let mut seed = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 256);
    for part in parts {
        seed.extend_from_slice(part.as_bytes());
        seed.push(0);
    }
    seed.extend_from_slice(&date.to_be_bytes());
    seed.extend_from_slice(&(pdf_len as u64).to_be_bytes());
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, &seed).simple()
}

/// The message's MIME tree: text and HTML (with its images) as alternatives, and the PDF.
fn mime_body(
    text: &str,
    html: &str,
    images: Vec<crate::Attachment>,
    pdf: &[u8],
    stem: &str,
    id: &uuid::fmt::Simple,
) -> MimePart<'static> {
    // `=_` never occurs in quoted-printable or base64 text, so no part can contain a boundary.
    let boundary = |what: &str| format!("=_cq_{what}_{id}");
    let multipart = |kind: &str, parts: Vec<MimePart<'static>>| {
        MimePart::new(
            ContentType::new(format!("multipart/{kind}")).attribute("boundary", boundary(kind)),
            BodyPart::Multipart(parts),
        )
    };
    // Text parts in MIME's canonical form: lines end in CRLF, however they are encoded.
    let plain = MimePart::new(
        ContentType::new("text/plain").attribute("charset", "utf-8"),
        BodyPart::Text(crlf(text).into()),
    );
    let html_part = MimePart::new(
        ContentType::new("text/html").attribute("charset", "utf-8"),
        BodyPart::Text(crlf(html).into()),
    );
    let html_part = if images.is_empty() {
        html_part
    } else {
        let mut parts = vec![html_part];
        for a in images {
            let name = a.path.rsplit('/').next().unwrap_or(&a.path).to_string();
            parts.push(
                MimePart::new(
                    ContentType::new(mime_of(&name)),
                    BodyPart::Binary(a.bytes.into()),
                )
                .inline()
                .cid(cid(&a.path)),
            );
        }
        multipart("related", parts)
    };
    let attachment = MimePart::new(
        ContentType::new("application/pdf").attribute("name", format!("{stem}.pdf")),
        BodyPart::Binary(pdf.to_vec().into()),
    )
    .attachment(format!("{stem}.pdf"));
    multipart(
        "mixed",
        vec![multipart("alternative", vec![plain, html_part]), attachment],
    )
}

/// The Subject header. mail-builder folds a long ASCII header by inserting a tab before the
/// space it breaks at, which unfolds to "\t " and so changes the subject; here a long ASCII
/// subject is folded before one of its own spaces (RFC 5322 §2.2.3), and one with other
/// characters is written as RFC 2047 encoded words by mail-builder (whose folding between
/// encoded words is ignored when they are decoded).
fn subject_header(subject: &str) -> std::io::Result<Vec<u8>> {
    use mail_builder::headers::Header;
    let subject: String = subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = b"Subject: ".to_vec();
    if subject.is_ascii() {
        let mut line = "Subject:".len();
        for (i, word) in subject.split(' ').enumerate() {
            if i > 0 {
                if line + 1 + word.len() > 76 && line > 1 {
                    out.extend_from_slice(b"\r\n");
                    line = 0;
                }
                out.push(b' ');
                line += 1;
            } else {
                line += 1;
            }
            out.extend_from_slice(word.as_bytes());
            line += word.len();
        }
        out.extend_from_slice(b"\r\n");
    } else {
        mail_builder::headers::text::Text::new(subject).write_header(&mut out, 9)?;
    }
    Ok(out)
}

/// The language tag as a header value: letters, digits and `-` only (nothing else can reach
/// the header), `en-US` when nothing is left.
fn content_language(lang: &str) -> String {
    let t: String = lang
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    if t.is_empty() {
        crate::model::DEFAULT_LANG.to_string()
    } else {
        t
    }
}

/// `\n` line ends as `\r\n`.
fn crlf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// An address header (`To: "Desk" <desk@example.org>, =?utf-8?B?…?= <ar@example.org>`),
/// folded before a word when a line would pass 76 characters; nothing when `list` is empty.
fn address_header(field: &str, list: &[Mailbox]) -> Vec<u8> {
    if list.is_empty() {
        return Vec::new();
    }
    let mut words: Vec<String> = Vec::new();
    for (i, m) in list.iter().enumerate() {
        if let Some(n) = m.name.as_deref().filter(|n| !n.trim().is_empty()) {
            words.extend(display_name(n));
        }
        let sep = if i + 1 < list.len() { "," } else { "" };
        words.push(format!("<{}>{sep}", m.address));
    }
    let mut out = format!("{field}:");
    let mut line = out.len();
    for w in words {
        if line + 1 + w.len() > 76 && line > field.len() + 1 {
            out.push_str("\r\n");
            line = 0;
        }
        out.push(' ');
        out.push_str(&w);
        line += 1 + w.len();
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// A display name as words of a header: one quoted string when it is printable ASCII, else
/// RFC 2047 encoded words of at most 45 bytes of UTF-8 each (split between characters).
fn display_name(name: &str) -> Vec<String> {
    let name: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if name.is_ascii() {
        return vec![format!(
            "\"{}\"",
            name.replace('\\', "\\\\").replace('"', "\\\"")
        )];
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    let mut flush = |chunk: &mut String| {
        if !chunk.is_empty() {
            let b64 = mail_builder::encoders::base64::base64_encode(chunk.as_bytes())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            words.push(format!("=?utf-8?B?{b64}?="));
            chunk.clear();
        }
    };
    for c in name.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            flush(&mut chunk);
        }
        chunk.push(c);
    }
    flush(&mut chunk);
    words
}

/// The Content-ID of an image the HTML part names `images/<digest>.<ext>`.
fn cid(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    format!("{name}@communique.invalid")
}

fn mime_of(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The inline style of an element, from its tag and its classes (the page's style sheet,
/// written out for e-mail clients, which drop style sheets). No colours are set for text or
/// backgrounds, so that a client's dark mode shows the text in its own colours; rules and
/// borders are a grey that shows on light and dark.
fn style_for(tag: &str, classes: &[&str], rtl: bool) -> String {
    // The bar beside a quotation or an alert is on the side the lines start.
    let bar = if rtl {
        "margin:12px 0;padding:0 12px 0 0;border-right:3px solid #888888;"
    } else {
        "margin:12px 0;padding:0 0 0 12px;border-left:3px solid #888888;"
    };
    let mut s = String::from(match tag {
        "body" => "margin:0;padding:0;",
        "main" => {
            "display:block;box-sizing:border-box;max-width:600px;margin:0 auto;padding:16px;font-family:Georgia,'Times New Roman',serif;font-size:16px;line-height:1.5;"
        }
        "header" => "display:block;margin:0 0 16px 0;",
        "section" => "display:block;",
        "p" => "margin:0 0 12px 0;",
        "h1" => "font-size:24px;line-height:1.25;font-weight:bold;margin:16px 0 8px 0;",
        "h2" => "font-size:20px;line-height:1.3;font-weight:bold;margin:20px 0 8px 0;",
        "h3" | "h4" | "h5" | "h6" => {
            "font-size:17px;line-height:1.3;font-weight:bold;margin:16px 0 8px 0;"
        }
        "blockquote" => bar,
        "pre" => {
            "white-space:pre-wrap;font-family:Menlo,Consolas,monospace;font-size:14px;margin:12px 0;"
        }
        "code" | "kbd" => "font-family:Menlo,Consolas,monospace;font-size:0.9em;",
        "table" => "border-collapse:collapse;width:100%;font-size:14px;line-height:1.3;",
        "th" => {
            "border:1px solid #888888;padding:4px 6px;vertical-align:top;font-weight:bold;text-align:start;"
        }
        "td" => "border:1px solid #888888;padding:4px 6px;vertical-align:top;",
        "img" => "max-width:100%;height:auto;border:0;",
        "figure" => "margin:16px 0;",
        "figcaption" => "font-size:14px;font-style:italic;margin:4px 0 0 0;",
        "hr" => "border:0;border-top:1px solid #888888;margin:16px 0;",
        "ul" | "ol" => "margin:0 0 12px 0;padding-inline-start:24px;",
        "li" => "margin:4px 0;",
        "a" => "color:inherit;text-decoration:underline;",
        "aside" => "display:block;",
        _ => "",
    });
    for c in classes {
        s.push_str(match (*c, tag) {
            ("release", _) => "font-weight:bold;letter-spacing:0.05em;",
            ("subtitle", _) => "font-size:18px;font-style:italic;",
            ("org", _) => "margin-top:16px;",
            ("dateline", _) => "font-weight:bold;",
            ("endmark", _) => "text-align:center;margin-top:20px;",
            ("contacts", _) => "margin-top:16px;",
            ("footnotes", _) => "font-size:14px;margin-top:24px;",
            ("fn-back", _) => "text-decoration:none;",
            ("table-wrap", _) => "margin:12px 0;max-width:100%;overflow-x:auto;",
            ("alert", _) => bar,
            ("alert-label", _) => "font-weight:bold;",
            ("al", _) => "text-align:left;",
            ("ac", _) => "text-align:center;",
            ("ar", _) => "text-align:right;",
            ("about", _) => "margin-top:16px;",
            ("logo", _) => "margin:0 0 12px 0;",
            _ => "",
        });
    }
    s
}

/// Gives every start tag of our own serializer's HTML its inline style (see [`style_for`])
/// in place of its `class`, and points images at their `cid:` parts. The input is what
/// `crate::epub::email_html` wrote: text and attribute values are escaped, so `<` always
/// opens a tag and `>` always closes one.
fn inline_styles(html: &str) -> String {
    let rtl = html
        .find("<html")
        .and_then(|i| html[i..].find('>').map(|j| &html[i..i + j]))
        .is_some_and(|t| t.contains(" dir=\"rtl\""));
    let mut out = String::with_capacity(html.len() * 2);
    let mut rest = html;
    // Inside the letterhead's `<p class="logo">`: its image is set at a letterhead's height.
    let mut in_logo = false;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find('>') else {
            break;
        };
        let tag = &rest[..=end];
        rest = &rest[end + 1..];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || tag.starts_with("</") {
            if tag == "</p>" {
                in_logo = false;
            }
            out.push_str(tag);
            continue;
        }
        let (body, close) = match tag.strip_suffix("/>") {
            Some(b) => (b, "/>"),
            None => (&tag[..tag.len() - 1], ">"),
        };
        let mut body = body.to_string();
        let mut classes = String::new();
        if let Some(p) = body.find(" class=\"")
            && let Some(q) = body[p + 8..].find('"')
        {
            classes = body[p + 8..p + 8 + q].to_string();
            body.replace_range(p..p + 8 + q + 1, "");
        }
        if name == "img" {
            body = body.replace(" src=\"images/", " src=\"cid:");
            if let Some(p) = body.find(" src=\"cid:")
                && let Some(q) = body[p + 10..].find('"')
            {
                body.insert_str(p + 10 + q, "@communique.invalid");
            }
        }
        let classes: Vec<&str> = classes.split_whitespace().collect();
        let mut style = style_for(&name, &classes, rtl);
        if name == "p" {
            in_logo = classes.contains(&"logo");
        } else if name == "img" && in_logo {
            style.push_str("height:64px;width:auto;");
        }
        if let Some(p) = body.find(" style=\"")
            && let Some(q) = body[p + 8..].find('"')
        {
            style.push_str(&body[p + 8..p + 8 + q]);
            body.replace_range(p..p + 8 + q + 1, "");
        }
        out.push_str(&body);
        if !style.is_empty() {
            out.push_str(" style=\"");
            out.push_str(&style);
            out.push('"');
        }
        out.push_str(close);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_replace_classes() {
        let h = inline_styles(
            "<p class=\"release\">X &lt;b&gt;</p>\n<img src=\"images/ab.png\" alt=\"\"/><br/>",
        );
        assert_eq!(
            h,
            "<p style=\"margin:0 0 12px 0;font-weight:bold;letter-spacing:0.05em;\">X &lt;b&gt;</p>\n<img src=\"cid:ab.png@communique.invalid\" alt=\"\" style=\"max-width:100%;height:auto;border:0;\"/><br/>"
        );
    }
}
