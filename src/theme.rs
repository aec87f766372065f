//! The press-release theme: every measure of the design — faces, sizes, leading, margins,
//! colours, rule weights, the letterhead's layout and the spacing between parts — as plain
//! data.
//!
//! [`Theme::default`] is the house design that Communique has always printed; a
//! `communique.toml` may override any field under `[theme]` (see the README for the keys).
//! The PDF design (`pdf::design`) reads every measure from here, and the EPUB and HTML style
//! sheets (`epub::css`) derive their colours, relative sizes, rule weights and font stacks
//! from the same values, so that print and screen agree.
//!
//! Sizes, margins, spacing and rule weights are in PDF points (1/72 in). Leading is a ratio
//! of the type size; each line's height is `size × leading`, rounded to whole points.
//! Colours are `"#rrggbb"`.

use serde::{Deserialize, Deserializer};

/// The whole theme. Every table and key is optional in `communique.toml`; what is left out
/// keeps its default.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Theme {
    pub fonts: Fonts,
    pub sizes: Sizes,
    pub leading: Leading,
    pub margins: Margins,
    pub colors: Colors,
    pub rules: Rules,
    pub letterhead: Letterhead,
    pub spacing: Spacing,
}

/// Font families, by the name of a family in the font book: the bundled `Noto Serif`,
/// `Noto Sans` and `Noto Sans Mono`, or a family from `--font-dir` (its files named
/// `Family-Regular`, `Family-Bold`, `Family-Italic`, `Family-BoldItalic`, spaces left out).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fonts {
    /// Body text, headline, subtitle, end mark and "- more -".
    #[serde(deserialize_with = "family")]
    pub body: String,
    /// Section headings, the "About" heading, release line, date, contacts, tables and the
    /// page furniture.
    #[serde(deserialize_with = "family")]
    pub headings: String,
    /// The organization's name in the letterhead.
    #[serde(deserialize_with = "family")]
    pub letterhead: String,
    /// Code.
    #[serde(deserialize_with = "family")]
    pub mono: String,
}

impl Default for Fonts {
    fn default() -> Fonts {
        Fonts {
            body: "Noto Serif".into(),
            headings: "Noto Sans".into(),
            letterhead: "Noto Sans".into(),
            mono: "Noto Sans Mono".into(),
        }
    }
}

/// Type sizes in points.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sizes {
    /// Body text (the EPUB's `1em`).
    #[serde(deserialize_with = "size")]
    pub body: f32,
    #[serde(deserialize_with = "size")]
    pub headline: f32,
    #[serde(deserialize_with = "size")]
    pub subtitle: f32,
    /// The organization's name in the letterhead.
    #[serde(deserialize_with = "size")]
    pub letterhead: f32,
    /// `#` headings in the statement.
    #[serde(deserialize_with = "size")]
    pub heading1: f32,
    /// `##` headings.
    #[serde(deserialize_with = "size")]
    pub heading2: f32,
    /// `###` headings and deeper.
    #[serde(deserialize_with = "size")]
    pub heading3: f32,
    /// The "About" heading and boilerplate.
    #[serde(deserialize_with = "size")]
    pub about: f32,
    /// Small print: release line, date and media contacts.
    #[serde(deserialize_with = "size")]
    pub small: f32,
    /// Running header and page numbers.
    #[serde(deserialize_with = "size")]
    pub furniture: f32,
    /// Footnotes.
    #[serde(deserialize_with = "size")]
    pub footnote: f32,
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            body: 11.0,
            headline: 21.0,
            subtitle: 13.0,
            letterhead: 17.0,
            heading1: 14.0,
            heading2: 12.5,
            heading3: 11.5,
            about: 10.0,
            small: 9.0,
            furniture: 8.5,
            footnote: 8.5,
        }
    }
}

/// Line height as a ratio of the type size (rounded to whole points per line).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Leading {
    /// Body text, lists, the "About" boilerplate and heading, footnotes.
    #[serde(deserialize_with = "ratio")]
    pub body: f32,
    /// Section headings and the subtitle.
    #[serde(deserialize_with = "ratio")]
    pub headings: f32,
    #[serde(deserialize_with = "ratio")]
    pub headline: f32,
    #[serde(deserialize_with = "ratio")]
    pub letterhead: f32,
    /// Release line, date and running header.
    #[serde(deserialize_with = "ratio")]
    pub small: f32,
    /// The lines of each media contact.
    #[serde(deserialize_with = "ratio")]
    pub contacts: f32,
    /// Code blocks.
    #[serde(deserialize_with = "ratio")]
    pub code: f32,
}

impl Default for Leading {
    fn default() -> Leading {
        Leading {
            body: 1.36,
            headings: 1.3,
            headline: 1.24,
            letterhead: 1.4,
            small: 1.44,
            contacts: 1.33,
            code: 1.35,
        }
    }
}

/// Page margins in points.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Margins {
    /// Above the letterhead on page one.
    #[serde(deserialize_with = "margin")]
    pub top: f32,
    /// Above the text on continuing pages (the running header sits in it).
    #[serde(deserialize_with = "margin")]
    pub top_continued: f32,
    /// Below the text ("- more -" and the page number sit in it).
    #[serde(deserialize_with = "margin")]
    pub bottom: f32,
    #[serde(deserialize_with = "margin")]
    pub left: f32,
    #[serde(deserialize_with = "margin")]
    pub right: f32,
}

impl Default for Margins {
    fn default() -> Margins {
        Margins {
            top: 50.0,
            top_continued: 86.0,
            bottom: 74.0,
            left: 78.0,
            right: 78.0,
        }
    }
}

/// Colours.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Colors {
    /// Body text.
    pub text: Color,
    /// Letterhead, its rule, section headings and the "About" heading.
    pub accent: Color,
    /// Subtitle, running header, page numbers and captions.
    pub muted: Color,
    /// Thematic breaks, the running header's rule and the footnote rule.
    pub rules: Color,
    /// The bar beside block quotations.
    pub quote: Color,
}

impl Default for Colors {
    fn default() -> Colors {
        Colors {
            text: Color([0x00, 0x00, 0x00]),
            accent: Color([0x14, 0x38, 0x6b]),
            muted: Color([0x59, 0x59, 0x59]),
            rules: Color([0x59, 0x59, 0x59]),
            quote: Color([0xbf, 0xbf, 0xbf]),
        }
    }
}

/// Rule weights in points.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Under the letterhead.
    #[serde(deserialize_with = "weight")]
    pub letterhead: f32,
    /// Under the running header.
    #[serde(deserialize_with = "weight")]
    pub header: f32,
    /// A thematic break (`---`).
    #[serde(deserialize_with = "weight")]
    pub thematic_break: f32,
    /// The bar beside block quotations.
    #[serde(deserialize_with = "weight")]
    pub quote: f32,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            letterhead: 0.8,
            header: 0.4,
            thematic_break: 0.5,
            quote: 1.5,
        }
    }
}

/// Where the letterhead's name (and logo) sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// The letterhead's layout.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Letterhead {
    /// `left`, `center` or `right`: the logo and the name beside it, as a group.
    pub align: Align,
    /// Height of the logo in points.
    #[serde(deserialize_with = "size")]
    pub logo_height: f32,
    /// Space between the logo and the name.
    #[serde(deserialize_with = "margin")]
    pub logo_gap: f32,
    /// Space between the name's last line and the rule under it.
    #[serde(deserialize_with = "margin")]
    pub rule_gap: f32,
}

impl Default for Letterhead {
    fn default() -> Letterhead {
        Letterhead {
            align: Align::Left,
            logo_height: 36.0,
            logo_gap: 14.0,
            rule_gap: 9.0,
        }
    }
}

/// Vertical space in points.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Spacing {
    /// Before each paragraph, list, code block and thematic break.
    #[serde(deserialize_with = "margin")]
    pub paragraph: f32,
    /// Before each section heading.
    #[serde(deserialize_with = "margin")]
    pub heading: f32,
    /// Before the release line (below the letterhead).
    #[serde(deserialize_with = "margin")]
    pub release: f32,
    /// Before the headline.
    #[serde(deserialize_with = "margin")]
    pub headline: f32,
    /// Before the subtitle.
    #[serde(deserialize_with = "margin")]
    pub subtitle: f32,
    /// At least this much before the first paragraph of the body.
    #[serde(deserialize_with = "margin")]
    pub body: f32,
    /// Before the "About" heading.
    #[serde(deserialize_with = "margin")]
    pub about: f32,
    /// Before the end mark (`###`).
    #[serde(deserialize_with = "margin")]
    pub end: f32,
    /// Between two media contacts.
    #[serde(deserialize_with = "margin")]
    pub contacts: f32,
}

impl Default for Spacing {
    fn default() -> Spacing {
        Spacing {
            paragraph: 7.0,
            heading: 14.0,
            release: 12.0,
            headline: 22.0,
            subtitle: 6.0,
            body: 14.0,
            about: 18.0,
            end: 14.0,
            contacts: 5.0,
        }
    }
}

/// An sRGB colour, written `"#rrggbb"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub [u8; 3]);

impl Color {
    /// Parses `#rrggbb` (or `#rgb`).
    pub fn parse(s: &str) -> Option<Color> {
        let hex = s.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let v = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Color([v(&hex[0..2])?, v(&hex[2..4])?, v(&hex[4..6])?])),
            3 => {
                let d = |i: usize| v(&hex[i..i + 1]).map(|x| x * 17);
                Some(Color([d(0)?, d(1)?, d(2)?]))
            }
            _ => None,
        }
    }

    /// `#rrggbb`, for CSS.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The components from 0 to 1 for the PDF, each the shortest decimal that is still this
    /// 8-bit value (so `#14386b` is written `0.08 0.22 0.42`).
    pub fn rgb(self) -> [f32; 3] {
        self.0.map(short_unit)
    }
}

/// The shortest decimal `m / 10^k` that rounds to `n` on the 0–255 scale (the nearest of
/// them when several have as few digits).
fn short_unit(n: u8) -> f32 {
    let n = i64::from(n);
    let mut scale = 10i64;
    loop {
        // (2n - 1)·scale ≤ 2·255·m < (2n + 1)·scale
        let lo = ((2 * n - 1) * scale).div_euclid(510) - 1;
        let best = (lo..=lo + scale)
            .filter(|m| *m >= 0 && (2 * n - 1) * scale <= 510 * m && 510 * m < (2 * n + 1) * scale)
            .min_by_key(|m| (m * 255 - n * scale).abs());
        if let Some(m) = best {
            return m as f32 / scale as f32;
        }
        scale *= 10;
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Color, D::Error> {
        let s = String::deserialize(d)?;
        Color::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not a colour; write it as \"#rrggbb\", e.g. \"#14386b\""
            ))
        })
    }
}

fn number<'de, D: Deserializer<'de>>(
    d: D,
    ok: impl Fn(f32) -> bool,
    what: &str,
) -> Result<f32, D::Error> {
    let v = f64::deserialize(d)? as f32;
    if v.is_finite() && ok(v) {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!("`{v}` is not {what}")))
    }
}

/// A type size or logo height: more than 0 and at most 144 points.
fn size<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
    number(
        d,
        |v| v > 0.0 && v <= 144.0,
        "a usable size; give a positive number of points, at most 144",
    )
}

/// A margin or space: from 0 to 288 points (4 in).
fn margin<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
    number(
        d,
        |v| (0.0..=288.0).contains(&v),
        "a usable distance; give a number of points from 0 to 288",
    )
}

/// A rule weight: more than 0 and at most 12 points.
fn weight<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
    number(
        d,
        |v| v > 0.0 && v <= 12.0,
        "a usable rule weight; give a positive number of points, at most 12",
    )
}

/// A leading ratio: from 0.8 to 4 times the type size.
fn ratio<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
    number(
        d,
        |v| (0.8..=4.0).contains(&v),
        "a usable leading; give a ratio of the type size from 0.8 to 4 (e.g. 1.36)",
    )
}

/// A font family name: not empty.
fn family<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        Err(serde::de::Error::custom(
            "a font family cannot be empty; e.g. \"Noto Serif\"",
        ))
    } else {
        Ok(s.trim().to_string())
    }
}

impl Theme {
    /// Checks what one key cannot: that the margins leave room for the text on the smallest
    /// paper (A4 is 595 points wide, letter 792 high).
    pub fn check(&self) -> Result<(), String> {
        let m = &self.margins;
        if m.left + m.right > 595.0 - 216.0 {
            return Err(format!(
                "the left and right margins ({} + {} points) leave less than 3 inches for the text",
                m.left, m.right
            ));
        }
        if m.top.max(m.top_continued) + m.bottom > 792.0 - 288.0 {
            return Err(format!(
                "the top and bottom margins ({} + {} points) leave less than 4 inches for the text",
                m.top.max(m.top_continued),
                m.bottom
            ));
        }
        Ok(())
    }

    /// Line height for `size` under `ratio`, in whole points.
    pub fn line(size: f32, ratio: f32) -> f32 {
        (size * ratio).round()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_colours_print_as_before() {
        let c = Colors::default();
        assert_eq!(c.accent.rgb(), [0.08, 0.22, 0.42]);
        assert_eq!(c.muted.rgb(), [0.35, 0.35, 0.35]);
        assert_eq!(c.quote.rgb(), [0.75, 0.75, 0.75]);
        assert_eq!(c.text.rgb(), [0.0, 0.0, 0.0]);
        assert_eq!(Color([255, 128, 1]).rgb(), [1.0, 0.5, 0.004]);
        assert_eq!(c.accent.hex(), "#14386b");
    }

    #[test]
    fn every_byte_round_trips() {
        for n in 0..=255u8 {
            let v = short_unit(n);
            assert_eq!((v * 255.0).round() as u8, n, "{n} → {v}");
        }
    }

    #[test]
    fn parses_colours() {
        assert_eq!(Color::parse("#14386B"), Some(Color([0x14, 0x38, 0x6b])));
        assert_eq!(Color::parse("#fff"), Some(Color([255, 255, 255])));
        assert_eq!(Color::parse("14386b"), None);
        assert_eq!(Color::parse("#14386"), None);
        assert_eq!(Color::parse("#1438+b"), None);
    }

    #[test]
    fn default_leadings_are_the_old_line_heights() {
        let (s, l) = (Sizes::default(), Leading::default());
        assert_eq!(Theme::line(s.body, l.body), 15.0);
        assert_eq!(Theme::line(s.about, l.body), 14.0);
        assert_eq!(Theme::line(s.footnote, l.body), 12.0);
        assert_eq!(Theme::line(s.headline, l.headline), 26.0);
        assert_eq!(Theme::line(s.subtitle, l.headings), 17.0);
        assert_eq!(Theme::line(s.letterhead, l.letterhead), 24.0);
        assert_eq!(Theme::line(s.small, l.small), 13.0);
        assert_eq!(Theme::line(s.small, l.contacts), 12.0);
        assert_eq!(Theme::line(s.furniture, l.letterhead), 12.0);
    }
}
