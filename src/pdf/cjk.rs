//! Chinese and Japanese line breaking (issue 6): UAX #14 gives a break opportunity between
//! ideographs; this adds the usual prohibitions (kinsoku) and the stretch that lets a
//! justified line spread across its characters. Ideographic text is never hyphenated (there
//! are no patterns for it) and no space is ever inserted between ideographs.

use super::paragraph::Text;
use super::shape::Glyph;

/// Characters that never begin a line.
const NO_START: &str = "，。、」』）》〉】〕〗〙〛｝］：；！？・ー…‥ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ，．％‰℃°’”)]}»›,.:;!?";
/// Characters that never end a line.
const NO_END: &str = "「『（《〈【〔〖〘〚｛［‘“([{«‹￥＄";

/// Whether `c` is an ideograph, kana, hangul or a full-width form.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3000..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// Whether a break between `prev` and `next` is forbidden by the line-start and line-end
/// rules. Only applied where one of the two is CJK, so Western text is unaffected.
pub fn no_break_between(prev: char, next: char) -> bool {
    if !is_cjk(prev) && !is_cjk(next) {
        return false;
    }
    NO_START.contains(next) || NO_END.contains(prev)
}

/// The stretch of the glue between two glyphs when both are CJK, in points (a quarter of
/// the font size): `None` elsewhere.
pub fn inter_character_stretch(text: &Text, before: &Glyph, after: &Glyph) -> Option<f32> {
    let c1 = text.text.get(before.cluster as usize..)?.chars().next()?;
    let c2 = text.text.get(after.cluster as usize..)?.chars().next()?;
    if !(is_cjk(c1) && is_cjk(c2)) {
        return None;
    }
    let size = text.spans.get(after.span as usize)?.style.size;
    Some(size * 0.25)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinsoku() {
        assert!(no_break_between('国', '，'));
        assert!(no_break_between('「', '人'));
        assert!(no_break_between('人', '。'));
        assert!(!no_break_between('人', '权'));
        assert!(!no_break_between('a', 'b'));
    }
}
