//! Hyphenation points (hypher's embedded TeX patterns), with the typographer's rules:
//! no hyphenation in words of capitals only, none in short words, at least two letters
//! before and three after a break.

/// The hyphenation language for a BCP 47 tag, when there are patterns for it.
pub fn language(tag: &str) -> Option<hypher::Lang> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    let b = primary.as_bytes();
    if b.len() != 2 {
        return None;
    }
    hypher::Lang::from_iso([b[0], b[1]])
}

/// Byte offsets inside `word` where it may be hyphenated. `word` is a run of text without
/// spaces; only its runs of letters are hyphenated.
pub fn points(word: &str, lang: hypher::Lang, out: &mut Vec<usize>) {
    // Words written in capitals only (acronyms, "UNITED NATIONS") are never broken.
    let has_lower = word.chars().any(char::is_lowercase);
    if !has_lower {
        return;
    }
    // Addresses (URLs, e-mail, file names) are never hyphenated: a hyphen would read as
    // part of them.
    let inner = word.trim_end_matches(|c: char| !c.is_alphanumeric());
    if inner.contains(['/', '@', '_', '\\']) || inner.contains("www.") || inner.contains("://") {
        return;
    }
    let dotted = inner
        .char_indices()
        .any(|(i, c)| c == '.' && inner[i + 1..].starts_with(|n: char| n.is_alphanumeric()));
    if dotted {
        return;
    }
    let mut start = None;
    let mut iter = word.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphabetic() {
            if start.is_none() {
                start = Some(i);
            }
            let end_of_run = iter.peek().is_none_or(|(_, n)| !n.is_alphabetic());
            if end_of_run {
                let s = start.take().unwrap_or(i);
                let letters = &word[s..i + c.len_utf8()];
                hyphenate_letters(letters, s, lang, out);
            }
        } else {
            start = None;
        }
    }
}

fn hyphenate_letters(letters: &str, base: usize, lang: hypher::Lang, out: &mut Vec<usize>) {
    let n = letters.chars().count();
    // Short words, and words of capitals only (inside a mixed token), stay whole.
    if n < 5 || !letters.chars().any(char::is_lowercase) {
        return;
    }
    let mut at = base;
    let mut syllables = hypher::hyphenate_bounded(letters, lang, 2, 3).peekable();
    while let Some(s) = syllables.next() {
        at += s.len();
        if syllables.peek().is_some() {
            out.push(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(word: &str) -> String {
        let mut pts = Vec::new();
        points(word, hypher::Lang::English, &mut pts);
        let mut s = String::new();
        let mut last = 0;
        for p in pts {
            s.push_str(&word[last..p]);
            s.push('-');
            last = p;
        }
        s.push_str(&word[last..]);
        s
    }

    #[test]
    fn hyphenates_words_but_not_capitals_or_short_words() {
        assert_eq!(split("unprecedented"), "un-prece-dented");
        assert_eq!(split("UNPRECEDENTED"), "UNPRECEDENTED");
        assert_eq!(split("the"), "the");
        assert_eq!(split("Council’s"), "Coun-cil’s");
        assert_eq!(split("councils"), "coun-cils");
        assert_eq!(
            split("https://example.org/international"),
            "https://example.org/international"
        );
        assert_eq!(split("press@example.org"), "press@example.org");
        assert_eq!(language("en-US"), Some(hypher::Lang::English));
        assert_eq!(language("de"), Some(hypher::Lang::German));
        assert_eq!(language("x"), None);
    }
}
