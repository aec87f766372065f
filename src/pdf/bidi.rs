//! Text direction (issue 6): the Unicode Bidirectional Algorithm (UAX #9, `unicode-bidi`)
//! applied to each set line after line breaking.
//!
//! Shaping keeps every word's glyphs in logical order (right-to-left words are shaped right
//! to left, for Arabic joining, and then turned back), and line breaking works on logical
//! order. Each line is then put in visual order: the glyphs of each level run are reversed
//! from the highest level down to the lowest odd one (rule L2), and bracket-like characters
//! in right-to-left runs take their mirrored glyph (rule L4).

use unicode_bidi::{BidiInfo, Level};

use super::fonts::FontBook;
use super::shape::Glyph;

/// Whether the language is written right to left (Arabic, Hebrew, Persian, Urdu, …).
pub fn is_rtl_lang(lang: &str) -> bool {
    crate::locale::is_rtl(lang)
}

/// Whether a script is written right to left.
pub fn is_rtl_script(script: rustybuzz::Script) -> bool {
    use rustybuzz::script;
    [
        script::ARABIC,
        script::HEBREW,
        script::SYRIAC,
        script::THAANA,
        script::NKO,
        script::SAMARITAN,
        script::MANDAIC,
        script::ADLAM,
    ]
    .contains(&script)
}

/// Whether `c` is a strong right-to-left character (or an Arabic digit or letter block).
pub(crate) fn is_rtl_char(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// Embedding levels of `text`, one per byte, when the paragraph needs reordering: `None`
/// for left-to-right text without right-to-left characters (the common case, kept cheap).
/// `rtl` is the base direction (`Some(true)` right to left); `None` takes it from the
/// first strong character.
pub fn levels(text: &str, rtl: Option<bool>) -> Option<Vec<Level>> {
    if rtl != Some(true) && !text.chars().any(is_rtl_char) {
        return None;
    }
    let base = rtl.map(|r| if r { Level::rtl() } else { Level::ltr() });
    let info = BidiInfo::new(text, base);
    Some(info.levels)
}

/// The paragraph's base direction is right to left.
pub fn base_is_rtl(text: &str, rtl: Option<bool>) -> bool {
    match rtl {
        Some(r) => r,
        None => BidiInfo::new(text, None)
            .paragraphs
            .first()
            .is_some_and(|p| p.level.is_rtl()),
    }
}

fn mirror(c: char) -> Option<char> {
    Some(match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => return None,
    })
}

/// Puts one line in visual order. `placed` holds (glyph index, x) in logical order and
/// `widths` each glyph's advance as set on the line (stretched spaces included); the x of
/// each glyph is recomputed from the visual order. Returns the new glyph ids for mirrored
/// characters as (position in `placed`, gid), and the visual order: for each position in
/// `placed`, the logical index it came from.
pub fn reorder_line(
    book: &FontBook,
    text: &str,
    levels: &[Level],
    glyphs: &[Glyph],
    placed: &mut [(usize, f32)],
    widths: &[f32],
) -> (Vec<(usize, u16)>, Vec<usize>) {
    let n = placed.len().min(widths.len());
    if n == 0 {
        return (Vec::new(), Vec::new());
    }
    let level_of = |gi: usize| -> u8 {
        let at = glyphs[gi].cluster as usize;
        levels.get(at).map_or(0, |l| l.number())
    };
    let lv: Vec<u8> = placed[..n].iter().map(|(gi, _)| level_of(*gi)).collect();
    let max = lv.iter().copied().max().unwrap_or(0);
    let min_odd = lv
        .iter()
        .copied()
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(max + 1);
    // order[k] = index (into placed) of the k-th glyph from the left.
    let mut order: Vec<usize> = (0..n).collect();
    let mut level = max;
    while level >= min_odd && level > 0 {
        let mut i = 0;
        while i < n {
            if lv[order[i]] >= level {
                let mut j = i;
                while j < n && lv[order[j]] >= level {
                    j += 1;
                }
                order[i..j].reverse();
                i = j;
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    let offsets: Vec<f32> = placed[..n]
        .iter()
        .map(|(gi, _)| glyphs[*gi].x_offset)
        .collect();
    let old: Vec<(usize, f32)> = placed[..n].to_vec();
    let mut pen = 0.0f32;
    let mut mirrored = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        let gi = old[i].0;
        placed[k] = (gi, pen + offsets[i]);
        pen += widths[i];
        if lv[i] % 2 == 1 {
            let g = glyphs[gi];
            let c = text
                .get(g.cluster as usize..)
                .and_then(|t| t.chars().next());
            if let Some(m) = c.and_then(mirror)
                && let Some(id) = book.face(g.face).shaper.glyph_index(m)
            {
                mirrored.push((k, id.0));
            }
        }
    }
    (mirrored, order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions() {
        assert!(is_rtl_lang("ar"));
        assert!(is_rtl_lang("he-IL"));
        assert!(!is_rtl_lang("fr"));
        assert!(levels("plain English", None).is_none());
        let l = levels("قالت Maria", Some(true)).expect("levels");
        assert!(l[0].is_rtl());
        assert!(!l["قالت ".len()].is_rtl());
        assert!(base_is_rtl("مرحبا world", None));
        assert!(!base_is_rtl("world مرحبا", None));
    }
}
