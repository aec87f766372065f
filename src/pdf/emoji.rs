//! Emoji sequences (UTS #51): which stretches of text are one emoji, so that shaping gives
//! each to an emoji face whole — a ZWJ sequence (👨‍👩‍👧), a flag (two regional
//! indicators, or a tag sequence such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿), a keycap (1️⃣), a skin-tone modifier (✊🏽),
//! a presentation selector (❤️) — and the emoji face's GSUB makes it one glyph.

use unicode_properties::{EmojiStatus, UnicodeEmoji};

const ZWJ: char = '\u{200D}';
const VS15: char = '\u{FE0E}';
const VS16: char = '\u{FE0F}';
const KEYCAP: char = '\u{20E3}';

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

fn is_modifier(c: char) -> bool {
    ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

fn is_tag(c: char) -> bool {
    ('\u{E0020}'..='\u{E007F}').contains(&c)
}

/// Whether `c` may be an emoji at all (Unicode's `Emoji` property). Emoji lie below
/// U+3300 or from U+1F000 on; the ranges in between are rejected without a table look-up.
fn is_emoji(c: char) -> bool {
    let u = c as u32;
    if u < 0xA9 || (0xAF..0x203C).contains(&u) || (0x3300..0x1F000).contains(&u) {
        return false;
    }
    c.is_emoji_char()
}

/// Whether `c` is shown as an emoji by default (`Emoji_Presentation`).
fn emoji_presentation(c: char) -> bool {
    matches!(
        c.emoji_status(),
        EmojiStatus::EmojiPresentation
            | EmojiStatus::EmojiPresentationAndModifierBase
            | EmojiStatus::EmojiPresentationAndEmojiComponent
            | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
    )
}

/// The byte length of the emoji sequence that `s` starts with, when it starts with one that
/// is shown as an emoji: a character with emoji presentation, or any emoji followed by
/// U+FE0F, a skin-tone modifier, tags or a zero-width joiner and another emoji; a keycap
/// (`[0-9#*]` U+FE0F? U+20E3); a regional-indicator pair (or a lone one). Emoji meant as text
/// (`©`, `❤` without U+FE0F, anything followed by U+FE0E) are not sequences: they are set
/// in the text face when it has them.
pub fn sequence_len(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    if matches!(first, '0'..='9' | '#' | '*') {
        let rest = &s[1..];
        let rest = rest.strip_prefix(VS16).unwrap_or(rest);
        return rest.strip_prefix(KEYCAP).map(|after| s.len() - after.len());
    }
    if is_regional_indicator(first) {
        let second = s[4..].chars().next();
        return Some(if second.is_some_and(is_regional_indicator) {
            8
        } else {
            4
        });
    }
    if !is_emoji(first) {
        return None;
    }
    let (mut end, shown) = element(s, 0)?;
    let mut shown = shown || emoji_presentation(first);
    // `emoji (ZWJ emoji)*`
    while let Some(rest) = s[end..].strip_prefix(ZWJ) {
        let Some(next) = rest.chars().next() else {
            break;
        };
        if !is_emoji(next) {
            break;
        }
        let at = end + ZWJ.len_utf8();
        match element(s, at) {
            Some((e, _)) => {
                end = e;
                shown = true;
            }
            None => break,
        }
    }
    shown.then_some(end)
}

/// One element of a ZWJ sequence starting at `at`: an emoji with its presentation
/// selector, modifier and tags. Gives its end and whether anything in it asks for emoji
/// presentation; `None` when U+FE0E asks for text.
fn element(s: &str, at: usize) -> Option<(usize, bool)> {
    let mut chars = s[at..].char_indices().map(|(i, c)| (at + i, c));
    let (_, base) = chars.next()?;
    let mut end = at + base.len_utf8();
    let mut shown = false;
    let mut rest = chars.peekable();
    if let Some(&(_, c)) = rest.peek() {
        if c == VS15 {
            return None;
        }
        if c == VS16 {
            shown = true;
            end += c.len_utf8();
            rest.next();
        }
    }
    if let Some(&(_, c)) = rest.peek()
        && is_modifier(c)
    {
        shown = true;
        end += c.len_utf8();
        rest.next();
    }
    while let Some(&(_, c)) = rest.peek() {
        if !is_tag(c) {
            break;
        }
        shown = true;
        end += c.len_utf8();
        rest.next();
    }
    Some((end, shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(s: &str) -> Option<usize> {
        sequence_len(s)
    }

    #[test]
    fn whole_sequences() {
        for e in [
            "🎉",
            "🇺🇳",
            "👨\u{200D}👩\u{200D}👧",
            "1\u{FE0F}\u{20E3}",
            "#\u{20E3}",
            "✊🏽",
            "🏳\u{FE0F}\u{200D}🌈",
            "❤\u{FE0F}",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
        ] {
            assert_eq!(len(&format!("{e} and")), Some(e.len()), "{e:?}");
            assert_eq!(len(e), Some(e.len()), "{e:?}");
        }
        // Two flags are two sequences.
        assert_eq!(len("🇺🇳🇫🇷"), Some(8));
    }

    #[test]
    fn text_is_not_an_emoji() {
        for t in [
            "a",
            "1",
            "1 2",
            "©",
            "❤",
            "❤\u{FE0E}",
            "é",
            "中",
            "#x",
            "→",
            "",
        ] {
            assert_eq!(len(t), None, "{t:?}");
        }
        // A joiner followed by text ends the sequence.
        assert_eq!(len("🎉\u{200D}a"), Some(4));
    }
}
