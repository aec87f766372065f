//! Issue 16: a statement without `lang` is set in the language its text is written in —
//! release line, dates, paper, hyphenation — with one warning saying so; a short English
//! statement stays `en-US` without a guess. Real texts: the corpus's French, Spanish, German
//! and Chinese documents (none has `lang`) and a Portuguese one (tests/fixtures/languages).

use std::path::Path;

use communique::Document;
use communique::diag::Diagnostic;
use communique::pdf::design::lay_out;
use communique::pdf::fallback::with_system_fonts;
use communique::pdf::layout::{Item, Role};
use communique::pdf::{FontBook, PdfOptions};

fn read(path: &str) -> (Document, Vec<Diagnostic>) {
    let text = std::fs::read_to_string(path).expect("statement exists");
    let (doc, diags) = communique::markdown::read(
        Path::new(path),
        &text,
        &communique::markdown::ReadOptions::default(),
    );
    (doc.expect("the statement reads"), diags)
}

fn lang_notes(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.message.contains("`lang`"))
        .map(|d| d.to_string())
        .collect()
}

/// The laid-out pages' text (glyph texts in order, hyphens included), the page width in
/// points, and the words broken at a line end by an inserted hyphen (the fragment before it).
fn laid(doc: &Document) -> (String, f32, usize) {
    let book = with_system_fonts(FontBook::bundled(), doc.source.text(), &doc.meta.lang);
    let mut diags = Vec::new();
    let l = lay_out(doc, &book, &PdfOptions::default(), &mut diags);
    let mut text = String::new();
    let mut hyphens = 0;
    for page in &l.pages {
        for p in &page.items {
            if let Item::Text(run) = &p.item {
                if run.role == Role::Hyphen {
                    hyphens += 1;
                }
                for g in &run.glyphs {
                    text.push_str(&g.text);
                }
                text.push('\n');
            }
        }
    }
    (text, l.geometry.width, hyphens)
}

#[test]
fn statements_without_lang_are_set_in_their_language() {
    let cases = [
        (
            "tests/corpus/codegouvfr-ospo/codegouvfr-ospo.md",
            "fr",
            "POUR DIFFUSION IMMÉDIATE",
            "14 juin 2023",
            Some(hypher::Lang::French),
        ),
        (
            "tests/corpus/ropensci-champions-es/ropensci-champions-es.md",
            "es",
            "PARA DIFUSIÓN INMEDIATA",
            "22 de septiembre de 2022",
            Some(hypher::Lang::Spanish),
        ),
        (
            "tests/corpus/volksentscheid-sammelstart/volksentscheid-sammelstart.md",
            "de",
            "ZUR SOFORTIGEN VERÖFFENTLICHUNG",
            "30. Juli 2019",
            Some(hypher::Lang::German),
        ),
        (
            "tests/fixtures/languages/pt-devguide.md",
            "pt",
            "PARA DIVULGAÇÃO IMEDIATA",
            "25 de novembro de 2025",
            Some(hypher::Lang::Portuguese),
        ),
        (
            "tests/corpus/answer-alc-hangzhou/answer-alc-hangzhou.md",
            "zh-Hans",
            "即时发布",
            "年",
            None,
        ),
    ];
    for (path, lang, release, date, hyphenation) in cases {
        let (doc, diags) = read(path);
        assert_eq!(doc.meta.lang, lang, "{path}");
        let notes = lang_notes(&diags);
        assert_eq!(notes.len(), 1, "{path}: {notes:?}");
        assert!(
            notes[0].contains(&format!(
                "{path}:1:1: no `lang` in front matter; the text reads as"
            )) && notes[0].contains(&format!("add `lang: {lang}` to be sure")),
            "{}",
            notes[0]
        );
        assert_eq!(
            communique::pdf::hyphenate::language(&doc.meta.lang),
            hyphenation,
            "{path}"
        );
        let (text, width, hyphens) = laid(&doc);
        assert!(text.contains(release), "{path}: no {release}");
        assert!(text.contains(date), "{path}: no {date}");
        assert!(
            (width - 595.276).abs() < 0.01,
            "{path}: page width {width}, not A4"
        );
        if hyphenation.is_some() {
            assert!(hyphens > 0, "{path}: no word hyphenated");
        }
        assert!(!text.contains("FOR IMMEDIATE RELEASE"), "{path}");
    }
}

/// A German word is broken by the German patterns ("digitalpolitischen" as
/// digi-tal-po-li-ti-schen), not the English ones ("digitalpolitis-chen").
#[test]
fn german_words_break_by_german_patterns() {
    let mut pts = Vec::new();
    let word = "digitalpolitischen";
    communique::pdf::hyphenate::points(word, hypher::Lang::German, &mut pts);
    let parts: Vec<&str> = {
        let mut last = 0;
        let mut v = Vec::new();
        for p in &pts {
            v.push(&word[last..*p]);
            last = *p;
        }
        v.push(&word[last..]);
        v
    };
    assert!(!parts.contains(&"chen"), "{parts:?}");
    assert!(pts.contains(&"digital".len()), "{parts:?}");
}

#[test]
fn a_short_english_statement_stays_american_english() {
    let (doc, diags) = read("tests/fixtures/languages/en-two-lines.md");
    assert_eq!(doc.meta.lang, "en-US");
    assert!(lang_notes(&diags).is_empty(), "{diags:?}");
    let (text, width, _) = laid(&doc);
    assert!(text.contains("FOR IMMEDIATE RELEASE"));
    assert!((width - 612.0).abs() < 0.01, "Letter");
}

/// A short text is not trusted: `en-US`, silently for a few Latin-script words (often
/// misread), with a warning naming the guess for a short text in another script.
#[test]
fn short_statements_keep_the_default() {
    let read_text = |text: &str| {
        let (doc, diags) = communique::markdown::read(
            Path::new("short.md"),
            text,
            &communique::markdown::ReadOptions::default(),
        );
        (doc.expect("reads"), lang_notes(&diags))
    };
    let (doc, notes) =
        read_text("---\ntitle: Communiqué\n---\n\nLe conseil a voté le budget mardi.\n");
    assert_eq!(doc.meta.lang, "en-US");
    assert!(notes.is_empty(), "{notes:?}");
    let (doc, notes) =
        read_text("---\ntitle: Заявление\n---\n\nСовет утвердил бюджет во вторник.\n");
    assert_eq!(doc.meta.lang, "en-US");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("too short or mixed") && notes[0].contains("(ru)"),
        "{}",
        notes[0]
    );
}

/// `lang` given is never second-guessed.
#[test]
fn a_given_lang_is_kept() {
    let text = "---\ntitle: Statement\nlang: en-GB\n---\n\nLe conseil a voté le budget mardi. Le conseil a voté le budget mardi. Le conseil a voté le budget mardi, et les représentants ont salué une décision importante pour la région et pour tous ses habitants.\n";
    let (doc, diags) = communique::markdown::read(
        Path::new("given.md"),
        text,
        &communique::markdown::ReadOptions::default(),
    );
    assert_eq!(doc.expect("reads").meta.lang, "en-GB");
    assert!(lang_notes(&diags).is_empty());
}
