//! Font embedding: the glyphs a document uses from one face, as the parts of a PDF
//! CID-keyed font — a subset font program (Typst's `subsetter`), glyph widths, a ToUnicode
//! CMap and the descriptor's metrics. Pure data: the writer ([`super::emit`]) turns it into
//! PDF objects.
//!
//! Glyphs are renumbered densely from 1 (0 stays `.notdef`), in the order of their original
//! ids; the content stream shows the new ids, which are the CIDs (`Identity-H`, and
//! `CIDToGIDMap /Identity` for TrueType outlines; `subsetter` makes CFF fonts CID-keyed
//! with the identity charset).

use rustybuzz::ttf_parser;
use subsetter::GlyphRemapper;

use super::fonts::Face;

/// What the embedded font program is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// A TrueType (`glyf`) font: `/FontFile2`, `/CIDFontType2`.
    TrueType,
    /// A bare CID-keyed CFF table: `/FontFile3 /Subtype /CIDFontType0C`, `/CIDFontType0`.
    Cff,
}

/// One face's subset, ready to be written.
#[derive(Debug, Clone)]
pub struct Subset {
    /// `ABCDEF+PostScriptName`.
    pub base_font: String,
    pub kind: Program,
    /// Width of each new glyph id (from 0), in thousandths of an em.
    pub widths: Vec<i64>,
    /// The ToUnicode CMap.
    pub to_unicode: String,
    pub descriptor: Descriptor,
    /// Original glyph ids in ascending order; the new id of `old[i]` is `i + 1`.
    old: Vec<u16>,
}

/// FontDescriptor metrics, in thousandths of an em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Descriptor {
    pub flags: i64,
    pub bbox: [i64; 4],
    pub italic_angle: f32,
    pub ascent: i64,
    pub descent: i64,
    pub cap_height: i64,
    pub stem_v: i64,
}

impl Subset {
    /// The id a glyph of the original face has in the subset (0 when it is not in it).
    pub fn new_gid(&self, old: u16) -> u16 {
        self.old
            .binary_search(&old)
            .map_or(0, |i| (i + 1).min(u16::MAX as usize) as u16)
    }
}

/// Plans the subset of `face` for `glyphs`: (original glyph id, the text it stands for)
/// pairs, in any order, with repeats; a glyph's text is the first non-empty one given for
/// it. `tag` is the six-letter subset prefix. The font program is made by [`program`].
pub fn subset(face: &Face, glyphs: &[(u16, &str)], tag: &str) -> Subset {
    let mut pairs: Vec<(u16, &str)> = glyphs.iter().copied().filter(|g| g.0 != 0).collect();
    // Stable: for each glyph the first text given comes first.
    pairs.sort_by_key(|g| g.0);
    let mut old: Vec<u16> = Vec::with_capacity(pairs.len());
    let mut texts: Vec<&str> = Vec::with_capacity(pairs.len());
    for (gid, text) in pairs {
        if old.last() == Some(&gid) {
            if let Some(t) = texts.last_mut()
                && t.is_empty()
            {
                *t = text;
            }
            continue;
        }
        old.push(gid);
        texts.push(text);
    }
    let kind = if face.shaper.tables().glyf.is_some() {
        Program::TrueType
    } else {
        Program::Cff
    };
    let mut widths = Vec::with_capacity(old.len() + 1);
    widths.push(face.advance_width(0) as i64);
    widths.extend(old.iter().map(|&g| face.pdf_width(g) as i64));

    let base_font = format!("{tag}+{}", postscript_name(face));
    Subset {
        to_unicode: to_unicode(&texts),
        descriptor: descriptor(face),
        base_font,
        kind,
        widths,
        old,
    }
}

/// The font program of `subset`: the face cut down to its glyphs, renumbered (a TrueType
/// font, or a bare CFF table for CFF outlines). The costly part, so it is separate: the writer
/// makes it while it writes the pages.
pub fn program(face: &Face, subset: &Subset) -> Result<Vec<u8>, String> {
    let mut remapper = GlyphRemapper::new();
    for &g in &subset.old {
        remapper.remap(g);
    }
    let sub = subsetter::subset(face.data, face.index, &remapper)
        .map_err(|e| format!("could not subset the font {}: {e}", face.name))?;
    match subset.kind {
        Program::TrueType => Ok(sub),
        Program::Cff => ttf_parser::RawFace::parse(&sub, 0)
            .ok()
            .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| {
                format!(
                    "the font {} has neither TrueType nor CFF outlines",
                    face.name
                )
            }),
    }
}

/// The face's PostScript name (name id 6), or its book name without spaces.
fn postscript_name(face: &Face) -> String {
    let from_table = face
        .shaper
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string());
    let name = from_table.unwrap_or_else(|| face.name.clone());
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
        .collect();
    if clean.is_empty() {
        "Font".into()
    } else {
        clean
    }
}

fn descriptor(face: &Face) -> Descriptor {
    let ttf = &*face.shaper;
    let scale = 1000.0 / face.units_per_em;
    let s = |v: i16| (v as f32 * scale).round() as i64;
    let bb = ttf.global_bounding_box();
    let italic_angle = ttf.italic_angle();
    const FIXED_PITCH: i64 = 1;
    const SERIF: i64 = 1 << 1;
    const NONSYMBOLIC: i64 = 1 << 5;
    const ITALIC: i64 = 1 << 6;
    let mut flags = NONSYMBOLIC;
    if ttf.is_monospaced() {
        flags |= FIXED_PITCH;
    }
    if italic_angle != 0.0 || ttf.is_italic() {
        flags |= ITALIC;
    }
    if face.name.contains("Serif") && !face.name.contains("Sans") {
        flags |= SERIF;
    }
    // No table gives the stem width; estimate it from the weight class as PDF producers
    // conventionally do (about 88 at 400, 166 at 700).
    let weight = ttf.weight().to_number() as f32;
    Descriptor {
        flags,
        bbox: [s(bb.x_min), s(bb.y_min), s(bb.x_max), s(bb.y_max)],
        italic_angle: (italic_angle * 10.0).round() / 10.0,
        ascent: s(ttf.ascender()),
        descent: s(ttf.descender()),
        cap_height: s(ttf.capital_height().unwrap_or(ttf.ascender())),
        stem_v: 50 + (weight / 65.0).powi(2).round() as i64,
    }
}

/// A ToUnicode CMap giving, for new glyph id `i + 1`, `texts[i]` (glyphs without text are
/// left out).
fn to_unicode(texts: &[&str]) -> String {
    let entries: Vec<(u32, &str)> = texts
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, t)| (i as u32 + 1, *t))
        .collect();
    to_unicode_cmap(2, &entries)
}

/// A ToUnicode CMap for codes of `bytes` bytes (1 for a Type 3 font, 2 for a CID font):
/// each code with its text, in the order given.
pub fn to_unicode_cmap(bytes: usize, entries: &[(u32, &str)]) -> String {
    use std::fmt::Write;
    let digits = bytes * 2;
    let mut out = String::with_capacity(300 + entries.len() * 24);
    out.push_str(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n",
    );
    let _ = write!(
        out,
        "1 begincodespacerange\n<{:0digits$X}> <{:0digits$X}>\nendcodespacerange\n",
        0,
        (1u64 << (8 * bytes)) - 1
    );
    for chunk in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for (code, text) in chunk {
            let _ = write!(out, "<{code:0digits$X}> <");
            for unit in text.encode_utf16() {
                let _ = write!(out, "{unit:04X}");
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::{Bundled, FontBook};

    #[test]
    fn subset_renumbers_densely_and_maps_text() {
        let book = FontBook::bundled();
        let face = book.face(Bundled::Serif.id());
        let a = face.shaper.glyph_index('a').unwrap().0;
        let z = face.shaper.glyph_index('z').unwrap().0;
        let s = subset(face, &[(z, "z"), (a, ""), (a, "a"), (z, "zz")], "ABCDEF");
        assert_eq!(s.new_gid(a), 1);
        assert_eq!(s.new_gid(z), 2);
        assert_eq!(s.new_gid(0), 0);
        assert_eq!(s.widths.len(), 3);
        assert_eq!(s.kind, Program::TrueType);
        assert!(s.base_font.starts_with("ABCDEF+NotoSerif"));
        assert!(s.to_unicode.contains("<0001> <0061>"));
        assert!(s.to_unicode.contains("<0002> <007A>"));
        // Far smaller than the whole face.
        let program = program(face, &s).unwrap();
        assert!(program.len() < face.data.len() / 20, "{}", program.len());
        // The subset parses, and the new glyph has the old one's advance.
        let sub = ttf_parser::Face::parse(&program, 0).unwrap();
        assert_eq!(
            sub.glyph_hor_advance(ttf_parser::GlyphId(1)),
            face.shaper.glyph_hor_advance(ttf_parser::GlyphId(a))
        );
    }
}
