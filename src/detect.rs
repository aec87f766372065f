//! The statement's language when neither its front matter nor `communique.toml` gives `lang`
//! (issue 16): statements copied from a site generator often keep their language elsewhere.
//! The body is read by `whatlang` (trigram profiles of 70 languages); a reliable guess
//! becomes the document's `lang` — furniture, dates, paper, hyphenation, direction — and a
//! warning says so once. A short or mixed text keeps [`DEFAULT_LANG`], with a warning when
//! it is long but mixed, or in a script other than Latin (a few Latin-script words are often
//! misread, and are most often English).

use crate::diag::Diagnostic;
use crate::model::{Block, BlockKind, DEFAULT_LANG, Document, Inline, plain_text};

/// Letters needed before a guess is trusted: alphabetic scripts, and scripts written
/// without spaces (Han, kana, hangul, Thai …), where a character carries more.
const MIN_LETTERS: usize = 160;
const MIN_IDEOGRAPHS: usize = 40;

/// What the text reads as.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The BCP 47 tag to use (`fr`, `zh-Hans`, `en-US` …).
    pub tag: String,
    /// The language's English name (`French`).
    pub name: &'static str,
    /// whatlang's confidence, 0 to 1.
    pub confidence: f64,
    /// Whether the guess is trusted: enough text, and whatlang reliable.
    pub reliable: bool,
    /// Whether there was enough text to tell (see [`MIN_LETTERS`]).
    pub enough: bool,
    /// Whether the text is mostly in the Latin script.
    pub latin: bool,
}

/// The language of `doc`'s text (headline and body), or `None` when it has no letters.
pub fn guess(doc: &Document) -> Option<Guess> {
    let text = document_text(doc);
    guess_text(&text)
}

/// The language of `text`.
pub fn guess_text(text: &str) -> Option<Guess> {
    let info = whatlang::detect(text)?;
    let (mut letters, mut ideographs) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if crate::pdf::cjk::is_cjk(c) || matches!(c as u32, 0x0E00..=0x0EFF | 0x1780..=0x17FF) {
            ideographs += 1;
        } else {
            letters += 1;
        }
    }
    let enough = letters >= MIN_LETTERS || ideographs >= MIN_IDEOGRAPHS;
    let code = info.lang().code();
    let tag = match code {
        "cmn" => chinese_script(text).to_string(),
        c => bcp47(c).unwrap_or(DEFAULT_LANG).to_string(),
    };
    Some(Guess {
        tag,
        name: match code {
            "cmn" => "Chinese",
            _ => info.lang().eng_name(),
        },
        confidence: info.confidence(),
        reliable: enough && info.is_reliable(),
        enough,
        latin: info.script() == whatlang::Script::Latin,
    })
}

/// Sets `doc.meta.lang` from its text when the front matter (and house config) gave none,
/// with one warning saying what was found; `at_front` is where to point it (the front matter,
/// or the file's start).
pub fn fill_lang(doc: &mut Document, at_front: u32, diags: &mut Vec<Diagnostic>) {
    let g = guess(doc);
    let help_default =
        "add `lang: <tag>` to the front matter (e.g. `lang: fr`) to set the language";
    match g {
        Some(g) if g.reliable && g.tag == DEFAULT_LANG => {
            // English, as assumed: nothing to say.
        }
        Some(g) if g.reliable => {
            diags.push(
                Diagnostic::warning(format!(
                    "no `lang` in front matter; the text reads as {} ({})",
                    g.name, g.tag
                ))
                .at(&doc.source, at_front)
                .help(format!("add `lang: {}` to be sure", g.tag)),
            );
            doc.meta.lang = g.tag;
        }
        // A short Latin-script text is often misread (a few English words as Catalan or
        // Czech): it stays `en-US` silently. A long but mixed one, or a short one in another
        // script, where `en-US` is surely wrong, says so.
        Some(g) if g.tag != DEFAULT_LANG && (g.enough || !g.latin) => {
            diags.push(
                Diagnostic::warning(format!(
                    "no `lang` in front matter, and the text is too short or mixed to tell its language (perhaps {} ({})); it is set as {DEFAULT_LANG}",
                    g.name, g.tag
                ))
                .at(&doc.source, at_front)
                .help(help_default),
            );
        }
        _ => {}
    }
}

/// The `check --explain` line for a document whose `lang` was not given.
pub fn explain(doc: &Document) -> String {
    match guess(doc) {
        Some(g) if g.reliable => format!(
            "lang = \"{}\"    # detected from the text: {}, confidence {:.2}\n",
            doc.meta.lang, g.name, g.confidence
        ),
        Some(g) => format!(
            "lang = \"{}\"    # default: the text is too short or mixed to tell (best guess {}, confidence {:.2})\n",
            doc.meta.lang, g.name, g.confidence
        ),
        None => format!(
            "lang = \"{}\"    # default: the text has no letters\n",
            doc.meta.lang
        ),
    }
}

/// The headline and the body's running text (not code), at most about 20 000 bytes: plenty
/// for a guess.
pub fn document_text(doc: &Document) -> String {
    let mut s = doc.meta.title.clone();
    s.push('\n');
    collect(&doc.blocks, &mut s);
    s
}

const MAX_TEXT: usize = 20_000;

fn collect(blocks: &[Block], s: &mut String) {
    for b in blocks {
        if s.len() > MAX_TEXT {
            return;
        }
        match &b.kind {
            BlockKind::Heading { content, .. } | BlockKind::Paragraph(content) => push(content, s),
            BlockKind::BlockQuote(inner)
            | BlockKind::Alert { blocks: inner, .. }
            | BlockKind::Html(crate::model::HtmlBlock { blocks: inner, .. }) => collect(inner, s),
            BlockKind::List(l) => {
                for item in &l.items {
                    collect(&item.blocks, s);
                }
            }
            BlockKind::Table(t) => {
                for cell in t.header.iter().chain(t.rows.iter().flatten()) {
                    push(cell, s);
                }
            }
            BlockKind::CodeBlock { .. } | BlockKind::ThematicBreak | BlockKind::RawHtml(_) => {}
        }
    }
}

/// Text of inlines without code spans and link addresses (they are not the language).
fn push(inlines: &[Inline], s: &mut String) {
    let kept: Vec<Inline> = inlines
        .iter()
        .filter(|i| !matches!(i, Inline::Code(_)))
        .cloned()
        .collect();
    s.push_str(&plain_text(&kept));
    s.push('\n');
}

/// Simplified or Traditional Chinese, by which of the common characters that differ between
/// the two the text uses more.
fn chinese_script(text: &str) -> &'static str {
    const SIMPLIFIED: &str = "们这个来说时为国会学对发经与开关后从点现电长问题实动当样体机过还进么让种见记运业产应义区员变传标欢权无网线号响东书报将";
    const TRADITIONAL: &str = "們這個來說時為國會學對發經與開關後從點現電長問題實動當樣體機過還進麼讓種見記運業產應義區員變傳標歡權無網線號響東書報將";
    let (mut simp, mut trad) = (0, 0);
    for c in text.chars() {
        if SIMPLIFIED.contains(c) {
            simp += 1;
        } else if TRADITIONAL.contains(c) {
            trad += 1;
        }
    }
    if trad > simp { "zh-Hant" } else { "zh-Hans" }
}

/// The BCP 47 tag of one of whatlang's ISO 639-3 codes (English is [`DEFAULT_LANG`]).
fn bcp47(code: &str) -> Option<&'static str> {
    Some(match code {
        "eng" => DEFAULT_LANG,
        "epo" => "eo",
        "rus" => "ru",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "ben" => "bn",
        "fra" => "fr",
        "deu" => "de",
        "ukr" => "uk",
        "kat" => "ka",
        "ara" => "ar",
        "hin" => "hi",
        "jpn" => "ja",
        "heb" => "he",
        "yid" => "yi",
        "pol" => "pl",
        "amh" => "am",
        "jav" => "jv",
        "kor" => "ko",
        "nob" => "nb",
        "dan" => "da",
        "swe" => "sv",
        "fin" => "fi",
        "tur" => "tr",
        "nld" => "nl",
        "hun" => "hu",
        "ces" => "cs",
        "ell" => "el",
        "bul" => "bg",
        "bel" => "be",
        "mar" => "mr",
        "kan" => "kn",
        "ron" => "ro",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "mkd" => "mk",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "tam" => "ta",
        "vie" => "vi",
        "urd" => "ur",
        "tha" => "th",
        "guj" => "gu",
        "uzb" => "uz",
        "pan" => "pa",
        "aze" => "az",
        "ind" => "id",
        "tel" => "te",
        "pes" => "fa",
        "mal" => "ml",
        "ori" => "or",
        "mya" => "my",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "tuk" => "tk",
        "aka" => "ak",
        "zul" => "zu",
        "sna" => "sn",
        "afr" => "af",
        "lat" => "la",
        "slk" => "sk",
        "cat" => "ca",
        "tgl" => "tl",
        "hye" => "hy",
        "cym" => "cy",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_whatlang_language_has_a_tag() {
        for l in whatlang::Lang::all() {
            assert!(
                bcp47(l.code()).is_some() || l.code() == "cmn",
                "{}",
                l.code()
            );
        }
    }

    #[test]
    fn short_text_is_not_trusted() {
        let g = guess_text("Bonjour à tous.").unwrap();
        assert!(!g.reliable);
        assert_eq!(chinese_script("这是我们的国家"), "zh-Hans");
        assert_eq!(chinese_script("這是我們的國家"), "zh-Hant");
    }
}
