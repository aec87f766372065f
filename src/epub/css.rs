//! Style sheets, derived from the same [`Theme`] as the PDF so that print and screen agree:
//! heading, headline, subtitle, letterhead and small-print sizes relative to the body size,
//! the theme's colours, rule weights (relative to the body size, at least a pixel) and font
//! families as CSS font stacks.
//!
//! The EPUB one leaves the body's font and size to the reader's own settings, uses relative
//! units only, and avoids flexbox, grid and custom properties (Kobo and Kindle mishandle them).

use crate::theme::Theme;

/// A length relative to the body size, with at most three decimals.
fn em(points: f32, body: f32) -> String {
    let s = format!("{:.3}", points / body);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}em")
}

/// A rule weight relative to the body size, never thinner than a pixel at 16 px.
fn weight(points: f32, body: f32) -> String {
    em((points / body).max(0.0625) * body, body)
}

/// A CSS font stack for a family of the font book: the family, then look-alikes and the
/// generic family its name suggests. Only letters, digits, spaces, `-` and `_` are kept, so
/// a name can never leave its quotes or the `<style>` element.
pub(crate) fn stack(family: &str) -> String {
    let name: String = family
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .collect();
    let lower = name.to_lowercase();
    let rest = if lower.contains("mono") || lower.contains("code") {
        "Menlo, Consolas, monospace"
    } else if lower.contains("sans") {
        "\"Helvetica Neue\", Arial, sans-serif"
    } else {
        "Georgia, \"Times New Roman\", serif"
    };
    if name.trim().is_empty() {
        rest.to_string()
    } else {
        format!("\"{}\", {rest}", name.trim())
    }
}

/// The EPUB style sheet (`stylesheet.css`).
pub(crate) fn epub(theme: &Theme) -> String {
    let (sz, c, r) = (&theme.sizes, &theme.colors, &theme.rules);
    let b = sz.body;
    let mut css = String::from(BASE);
    css.push_str(&format!(
        r#"h1, h2, h3, h4, h5, h6 {{ font-family: {headings}; color: {accent}; }}
h1 {{ font-size: {h1}; }}
h2 {{ font-size: {h2}; }}
h3, h4, h5, h6 {{ font-size: {h3}; }}
.h1 {{ font-size: {h1}; }}
.h2 {{ font-size: {h2}; }}
.h3, .h4, .h5, .h6 {{ font-size: {h3}; }}
#cq-title, .titlepage h1 {{ font-family: inherit; color: inherit; font-size: {headline}; }}
.subtitle {{ font-style: italic; font-size: {subtitle}; color: {muted}; }}
.org {{ font-family: {letterhead}; font-weight: bold; font-size: {org}; color: {accent};
  border-bottom: {org_rule} solid {accent}; padding-bottom: 0.2em; }}
.release, .date, .contacts {{ font-family: {headings}; font-size: {small}; }}
.contacts h2, .contacts h3 {{ font-size: 1em; color: inherit; margin-top: 0; }}
.about {{ font-size: {about}; }}
.footnotes {{ font-size: {footnote}; }}
blockquote {{ border-left: {quote} solid {quote_color}; }}
.alert {{ border-left: {alert} solid {accent}; }}
.alert-label {{ font-family: {headings}; font-weight: bold; color: {accent}; margin-bottom: 0.3em; }}
hr {{ border: 0; border-top: {hr} solid {rules}; margin: 1.5em 25%; }}
.footnotes hr {{ margin: 0 60% 1em 0; }}
pre, code {{ font-family: {mono}; }}
"#,
        headings = stack(&theme.fonts.headings),
        letterhead = stack(&theme.fonts.letterhead),
        mono = stack(&theme.fonts.mono),
        accent = c.accent.hex(),
        muted = c.muted.hex(),
        rules = c.rules.hex(),
        quote_color = c.quote.hex(),
        h1 = em(sz.heading1, b),
        h2 = em(sz.heading2, b),
        h3 = em(sz.heading3, b),
        headline = em(sz.headline, b),
        subtitle = em(sz.subtitle, b),
        org = em(sz.letterhead, b),
        small = em(sz.small, b),
        about = em(sz.about, b),
        footnote = em(sz.footnote, b),
        org_rule = weight(r.letterhead, b),
        quote = weight(r.quote, b),
        alert = weight(2.0 * r.quote, b),
        hr = weight(r.thematic_break, b),
    ));
    css
}

/// The self-contained web page's style sheet: the EPUB one, then a readable measure,
/// phone-friendly and printable, in the theme's body face and text colour.
pub(crate) fn html(theme: &Theme) -> String {
    let mut css = epub(theme);
    css.push_str(&format!(
        r#"html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ max-width: 38em; margin: 0 auto; padding: 1em 1.2em 3em 1.2em;
  font-family: {body}; font-size: 1.1em; color: {text}; background: #fff; }}
header.titlepage {{ margin-top: 1em; }}
img {{ max-width: 100%; height: auto; }}
.logo img {{ height: 4em; width: auto; }}
@media (max-width: 30em) {{ body {{ font-size: 1em; padding: 0.6em 0.8em; }} }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; font-size: {print}pt; }}
  a {{ text-decoration: none; }}
  a[href^="http"]::after {{ content: " <" attr(href) ">"; font-size: 0.85em; }}
  h1, h2, h3 {{ page-break-after: avoid; }}
}}
"#,
        body = stack(&theme.fonts.body),
        text = theme.colors.text.hex(),
        print = theme.sizes.body,
    ));
    css
}

/// What does not depend on the theme.
const BASE: &str = r#"body { margin: 0 4%; line-height: 1.45; }
p { margin: 0 0 0.75em 0; text-indent: 0; orphans: 2; widows: 2;
  -webkit-hyphens: auto; -epub-hyphens: auto; -moz-hyphens: auto; hyphens: auto; adobe-hyphenate: auto; }
h1, h2, h3, h4, h5, h6 { font-weight: bold; line-height: 1.2; margin: 1.2em 0 0.5em 0;
  page-break-after: avoid; break-after: avoid; page-break-inside: avoid; break-inside: avoid;
  -webkit-hyphens: manual; -epub-hyphens: manual; hyphens: manual; }
a { color: inherit; text-decoration: underline; }
blockquote { margin: 1em 1.5em; padding-left: 0.8em; }
.alert { margin: 1em 1.5em; padding-left: 0.8em; page-break-inside: avoid; break-inside: avoid; }
pre { white-space: pre-wrap; font-size: 0.85em; margin: 1em 0;
  page-break-inside: avoid; break-inside: avoid; }
ul, ol { margin: 0 0 0.75em 0; padding-left: 1.5em; }
li { margin: 0.2em 0; }
table { border-collapse: collapse; margin: 0; width: 100%; font-size: 0.85em; line-height: 1.3; }
.table-wrap { margin: 1em 0; max-width: 100%; overflow-x: auto; }
th, td { border: thin solid #555; padding: 0.2em 0.3em; vertical-align: top;
  -webkit-hyphens: auto; -epub-hyphens: auto; hyphens: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th { font-weight: bold; background-color: #e4e4e4; }
.al { text-align: left; } .ac { text-align: center; } .ar { text-align: right; }
.dateline { font-weight: bold; }
.endmark { text-align: center; margin-top: 1.5em; }
.titlepage { text-align: center; margin-top: 10%; }
.titlepage h1 { margin: 0.8em 0 0.4em 0; }
.release { font-weight: bold; letter-spacing: 0.05em; text-align: left; }
.org { margin-top: 1.5em; }
.contacts { text-align: left; margin-top: 2em; }
.meta { font-size: 0.9em; }
.footnotes { margin-top: 2em; }
.fn-back { text-decoration: none; }
.about { margin-top: 1em; }
.cover { margin: 0; padding: 0; text-align: center; }
.cover img { max-width: 100%; height: auto; }
nav[hidden], nav#landmarks { display: none; }
nav ol { list-style-type: none; padding-left: 1em; }
nav > ol { padding-left: 0; }
.contents li { margin: 0.6em 0; }
.contents .meta { display: block; }
.task { font-family: sans-serif; }
.img-alt { font-style: italic; }
figure.figure { display: block; margin: 1em 0; text-align: center; page-break-inside: avoid; break-inside: avoid; }
figure.figure img { max-width: 100%; height: auto; }
figcaption { display: block; font-size: 0.9em; font-style: italic; margin-top: 0.4em; text-align: center; }
img.inline { max-width: 100%; height: auto; vertical-align: middle; }
.logo { margin: 0 0 1.5em 0; text-align: center; }
.logo img { max-height: 4em; max-width: 60%; width: auto; }
"#;

/// `@font-face` rules for `--embed-fonts` (the files live in `fonts/`).
pub(crate) const EMBEDDED_FONTS: &str = r#"@font-face { font-family: "Noto Serif"; font-style: normal; font-weight: normal; src: url(fonts/NotoSerif-Regular.ttf); }
@font-face { font-family: "Noto Serif"; font-style: italic; font-weight: normal; src: url(fonts/NotoSerif-Italic.ttf); }
@font-face { font-family: "Noto Serif"; font-style: normal; font-weight: bold; src: url(fonts/NotoSerif-Bold.ttf); }
@font-face { font-family: "Noto Serif"; font-style: italic; font-weight: bold; src: url(fonts/NotoSerif-BoldItalic.ttf); }
@font-face { font-family: "Noto Sans Mono"; font-style: normal; font-weight: normal; src: url(fonts/NotoSansMono-Regular.ttf); }
body { font-family: "Noto Serif", serif; }
code, pre { font-family: "Noto Sans Mono", monospace; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_from_the_theme() {
        let t = Theme::default();
        let css = epub(&t);
        assert!(css.contains("h1 { font-size: 1.273em; }"), "{css}");
        assert!(css.contains("color: #14386b"), "{css}");
        assert!(css.contains("font-family: \"Noto Sans\", \"Helvetica Neue\", Arial, sans-serif"));
        assert!(css.contains(
            "pre, code { font-family: \"Noto Sans Mono\", Menlo, Consolas, monospace; }"
        ));
        assert!(
            html(&t).contains("font-family: \"Noto Serif\", Georgia, \"Times New Roman\", serif")
        );
        let mut t2 = t.clone();
        t2.colors.accent = crate::theme::Color([0xaa, 0, 0]);
        t2.sizes.body = 12.0;
        let css2 = epub(&t2);
        assert!(css2.contains("color: #aa0000") && !css2.contains("#14386b"));
        assert!(css2.contains("h1 { font-size: 1.167em; }"), "{css2}");
    }

    #[test]
    fn font_names_cannot_escape() {
        assert_eq!(
            stack("Evil\"; } </style><script>"),
            "\"Evil  stylescript\", Georgia, \"Times New Roman\", serif"
        );
    }
}
