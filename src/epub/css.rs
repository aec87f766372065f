//! Style sheets. The EPUB one leaves the body's font and size to the reader's own settings, uses
//! relative units only, and avoids flexbox, grid and custom properties (Kobo and Kindle mishandle
//! them). Colours are black and greys, legible on e-ink.

/// The EPUB style sheet (`style.css`).
pub(crate) const EPUB: &str = r#"body { margin: 0 4%; line-height: 1.45; }
p { margin: 0 0 0.75em 0; text-indent: 0; orphans: 2; widows: 2;
  -webkit-hyphens: auto; -epub-hyphens: auto; -moz-hyphens: auto; hyphens: auto; adobe-hyphenate: auto; }
h1, h2, h3, h4, h5, h6 { font-weight: bold; line-height: 1.2; margin: 1.2em 0 0.5em 0;
  page-break-after: avoid; break-after: avoid; page-break-inside: avoid; break-inside: avoid;
  -webkit-hyphens: manual; -epub-hyphens: manual; hyphens: manual; }
h1 { font-size: 1.6em; }
h2 { font-size: 1.3em; }
h3 { font-size: 1.15em; }
h4, h5, h6 { font-size: 1em; }
a { color: inherit; text-decoration: underline; }
blockquote { margin: 1em 1.5em; padding-left: 0.8em; border-left: 0.2em solid #777; }
pre { white-space: pre-wrap; font-family: monospace; font-size: 0.85em; margin: 1em 0;
  page-break-inside: avoid; break-inside: avoid; }
code { font-family: monospace; }
ul, ol { margin: 0 0 0.75em 0; padding-left: 1.5em; }
li { margin: 0.2em 0; }
hr { border: 0; border-top: thin solid #777; margin: 1.5em 25%; }
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
.titlepage h1 { font-size: 1.8em; margin: 0.8em 0 0.4em 0; }
.release { font-weight: bold; letter-spacing: 0.05em; text-align: left; }
.subtitle { font-style: italic; font-size: 1.15em; }
.org { font-variant: small-caps; font-size: 1.1em; margin-top: 1.5em; }
.contacts { text-align: left; margin-top: 2em; font-size: 0.9em; }
.contacts h2 { font-size: 1em; margin-top: 0; }
.meta { font-size: 0.9em; }
.footnotes { font-size: 0.9em; margin-top: 2em; }
.footnotes hr { margin: 0 60% 1em 0; }
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

/// Additions for the self-contained web page: a readable measure, phone-friendly, printable.
pub(crate) const HTML: &str = r#"html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { max-width: 38em; margin: 0 auto; padding: 1em 1.2em 3em 1.2em;
  font-family: "Noto Serif", Georgia, "Times New Roman", serif; font-size: 1.1em; color: #111; background: #fff; }
header.titlepage { margin-top: 1em; }
img { max-width: 100%; height: auto; }
.logo img { height: 4em; width: auto; }
@media (max-width: 30em) { body { font-size: 1em; padding: 0.6em 0.8em; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  a { text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 0.85em; }
  h1, h2, h3 { page-break-after: avoid; }
}
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
