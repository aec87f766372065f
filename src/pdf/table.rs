//! Tables (a child of `design`).
//!
//! Column widths come from the content: a column's minimum is its longest word, its
//! preferred width its longest cell on one line. When the preferred widths fit the measure
//! they are used (the spare room goes into the gutters); otherwise each column gets its
//! minimum and the rest is shared in proportion to (preferred − minimum). Cells are set
//! ragged (right-aligned or centred when the Markdown says so) with the paragraph machinery.
//!
//! Each row is one [`Line`] of one unsplittable [`Flow`], so a row never splits across pages
//! (a row taller than a page is placed anyway). The header row is a flow kept with the first
//! row; [`repeat_headers`] puts a copy of it above the first row of every later page the
//! table continues on. Rules: a heavier one above the header and under the last row, a thin
//! one under the header, none vertical.

use crate::model::{self, Align as MdAlign, Table};

use super::super::fonts::FontBook;
use super::super::layout::{Flow, Geometry, Line, Origin, Placement, Role, Rule};
use super::super::paragraph::{Align, SetOptions, Text};
use super::{BLACK, BlockCx, Ctx, Family, Fit, PARA_SPACE, Setter, push_inlines};

const GUTTER: f32 = 12.0;
const PAD: f32 = 3.0;
const HEAVY: f32 = 0.9;
const THIN: f32 = 0.4;
/// The tallest an image in a cell is set (it is set on the cell's line, scaled to fit).
const CELL_IMAGE_HEIGHT: f32 = 72.0;
/// The narrowest a cell's image makes its column (narrower images keep their width).
const CELL_IMAGE_MIN_WIDTH: f32 = 48.0;

/// A table laid out: the flows of its header and rows, for [`repeat_headers`].
#[derive(Debug, Clone)]
pub struct TableFlows {
    /// Index of the header flow; the rows follow it.
    pub header_flow: usize,
    pub rows: usize,
    /// The header line, to repeat (without footnote marks' link areas).
    pub header: Line,
    /// Which rows currently carry a repeated header.
    pub repeated: Vec<bool>,
}

/// Shares `avail` points among columns with minimum and preferred widths.
pub fn share(min: &[f32], pref: &[f32], avail: f32) -> Vec<f32> {
    let sum_pref: f32 = pref.iter().sum();
    if sum_pref <= avail {
        return pref.to_vec();
    }
    let sum_min: f32 = min.iter().sum();
    if sum_min >= avail {
        return min.to_vec();
    }
    let extra = avail - sum_min;
    let slack: f32 = min.iter().zip(pref).map(|(m, p)| (p - m).max(0.0)).sum();
    min.iter()
        .zip(pref)
        .map(|(m, p)| {
            if slack > 0.0 {
                m + extra * (p - m).max(0.0) / slack
            } else {
                *m
            }
        })
        .collect()
}

/// The width of a set line: from the left end of its first glyph to the right end of its
/// last. (A right-to-left line is set against the right edge of its measure, so its right
/// end alone would be the measure, not the text.)
fn line_width(book: &FontBook, l: &Line) -> f32 {
    let glyphs = || {
        l.runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(move |g| (r, g)))
    };
    let right = glyphs()
        .map(|(r, g)| r.x + g.x + book.face(r.face).pdf_width(g.gid) * r.size / 1000.0)
        .chain(l.images.iter().map(|(_, b)| b.x + b.width))
        .fold(0.0, f32::max);
    let left = glyphs()
        .map(|(r, g)| r.x + g.x)
        .chain(l.images.iter().map(|(_, b)| b.x))
        .fold(f32::INFINITY, f32::min);
    if left.is_finite() {
        right - left.max(0.0)
    } else {
        right
    }
}

/// A cell's text, its images at most `width` wide.
fn cell_text(s: &mut Setter, cell: &model::Cell, ctx: Ctx, width: f32, at: (u32, u32)) -> Text {
    let mut t = Text::default();
    let fit = Fit {
        max_w: width,
        max_h: CELL_IMAGE_HEIGHT,
        cell: Some(at),
    };
    push_inlines(s, &mut t, cell, ctx, &fit);
    t
}

/// The narrowest a cell's images may be set.
fn image_min_width(s: &Setter, inlines: &[model::Inline]) -> f32 {
    use model::Inline;
    inlines
        .iter()
        .map(|i| match i {
            Inline::Image(img) => s.images.get(&img.path).map_or(0.0, |l| {
                let (w, _) = super::super::figure::fit(l, f32::MAX, CELL_IMAGE_HEIGHT);
                w.min(CELL_IMAGE_MIN_WIDTH)
            }),
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span(model::HtmlSpan { content: c, .. })
            | Inline::Link { content: c, .. } => image_min_width(s, c),
            _ => 0.0,
        })
        .fold(0.0, f32::max)
}

/// Lays out a table as flows.
pub fn table(
    s: &mut Setter,
    table: &Table,
    origin: Origin,
    b: &BlockCx,
    flows: &mut Vec<Flow>,
) -> Option<TableFlows> {
    let ncols = std::iter::once(&table.header)
        .chain(&table.rows)
        .map(|r| r.len())
        .max()
        .unwrap_or(0);
    if ncols == 0 {
        return None;
    }
    let body = Ctx {
        family: Family::Sans,
        size: (b.ctx.size * 0.82).round().max(7.0),
        hyphenate: false,
        color: BLACK,
        ..b.ctx
    };
    let head = Ctx { bold: true, ..body };
    let leading = (body.size * 1.3).round();
    let huge = SetOptions {
        width: 1.0e5,
        align: Align::Left,
        balance: false,
        leading,
        em: body.size,
    };
    // Minimum and preferred widths.
    let mut min = vec![0.0f32; ncols];
    let mut pref = vec![0.0f32; ncols];
    for (ri, row) in std::iter::once(&table.header)
        .chain(&table.rows)
        .enumerate()
    {
        let ctx = if ri == 0 { head } else { body };
        for (c, cell) in row.iter().enumerate() {
            let t = cell_text(s, cell, ctx, b.width, (ri as u32, c as u32));
            let lines = s.set(&t, &huge);
            let w = lines
                .iter()
                .map(|l| line_width(s.book, l))
                .fold(0.0, f32::max);
            pref[c] = pref[c].max(w);
            for word in model::plain_text(cell).split_whitespace() {
                let l = s.set_plain(word, ctx, 1.0e5, Align::Left, leading);
                let w = l.iter().map(|l| line_width(s.book, l)).fold(0.0, f32::max);
                min[c] = min[c].max(w + 1.0);
            }
            min[c] = min[c].max(image_min_width(s, cell));
        }
    }
    for c in 0..ncols {
        pref[c] = pref[c].max(min[c]) + 0.5;
    }
    let avail = (b.width - GUTTER * (ncols - 1) as f32).max(ncols as f32);
    let widths = share(&min, &pref, avail);
    let used: f32 = widths.iter().sum();
    let gutter = if ncols > 1 {
        ((b.width - used) / (ncols - 1) as f32).max(GUTTER)
    } else {
        0.0
    };
    let mut xs = Vec::with_capacity(ncols);
    let mut x = 0.0;
    for w in &widths {
        xs.push(x);
        x += w + gutter;
    }
    let total = (x - gutter).max(0.0);
    // Right to left, the first column is on the right and the table against the right edge
    // of the measure (`x0` the left end of its rules).
    let x0 = if s.rtl == Some(true) {
        let right = b.width.max(total);
        for (x, w) in xs.iter_mut().zip(&widths) {
            *x = right - *x - w;
        }
        right - total
    } else {
        0.0
    };
    let aligns: Vec<Align> = (0..ncols)
        .map(|c| match table.aligns.get(c) {
            Some(MdAlign::Right) => Align::Right,
            Some(MdAlign::Center) => Align::Center,
            _ => Align::Left,
        })
        .collect();

    let row_line = |s: &mut Setter, row: &[model::Cell], ctx: Ctx, ri: u32| -> Line {
        let mut cells: Vec<Vec<Line>> = Vec::with_capacity(ncols);
        for (c, cell) in row.iter().enumerate().take(ncols) {
            let t = cell_text(s, cell, ctx, widths[c].max(1.0), (ri, c as u32));
            let opts = SetOptions {
                width: widths[c].max(1.0),
                align: aligns[c],
                balance: false,
                leading,
                em: body.size,
            };
            cells.push(s.set(&t, &opts));
        }
        let baseline = PAD
            + cells
                .iter()
                .filter_map(|c| c.first().map(|l| l.baseline))
                .fold(0.0, f32::max);
        let mut out = Line {
            baseline,
            ..Line::default()
        };
        let mut height = 0.0f32;
        for (c, lines) in cells.into_iter().enumerate() {
            let first_base = lines.first().map_or(0.0, |l| l.baseline);
            let mut top = baseline - first_base;
            for l in lines {
                let dy = top + l.baseline - baseline;
                let k0 = out.runs.len();
                for (k, mut b) in l.images {
                    b.x += xs[c];
                    b.y += dy;
                    out.images.push((k0 + k, b));
                }
                for mut r in l.runs {
                    r.x += xs[c];
                    r.y += dy;
                    r.role = Role::Cell {
                        row: ri,
                        col: c as u32,
                    };
                    out.runs.push(r);
                }
                for mut r in l.rules {
                    r.x0 += xs[c];
                    r.x1 += xs[c];
                    r.y += dy;
                    out.rules.push(r);
                }
                for mut k in l.links {
                    k.x0 += xs[c];
                    k.x1 += xs[c];
                    k.y0 += dy;
                    k.y1 += dy;
                    out.links.push(k);
                }
                top += l.height;
            }
            height = height.max(top);
        }
        out.height = height.max(baseline) + PAD;
        out
    };

    let mut header = row_line(s, &table.header, head, 0);
    header.rules.push(Rule {
        x0,
        x1: x0 + total,
        y: -header.baseline + HEAVY / 2.0,
        thickness: HEAVY,
        color: BLACK,
    });
    header.rules.push(Rule {
        x0,
        x1: x0 + total,
        y: header.height - header.baseline - THIN / 2.0,
        thickness: THIN,
        color: BLACK,
    });
    let header_flow = flows.len();
    let mut copy = header.clone();
    copy.links.clear();
    // The repeated header is read once, at the table's start.
    for r in &mut copy.runs {
        r.role = Role::Repeat;
    }
    for (_, b) in &mut copy.images {
        b.decorative = true;
    }
    flows.push(Flow {
        origin,
        indent: b.indent,
        space_before: PARA_SPACE + 4.0,
        lines: vec![header],
        keep_with_next: !table.rows.is_empty(),
        splittable: false,
        outline: None,
    });
    let n = table.rows.len();
    for (i, row) in table.rows.iter().enumerate() {
        let mut l = row_line(s, row, body, i as u32 + 1);
        if i + 1 == n {
            l.rules.push(Rule {
                x0,
                x1: x0 + total,
                y: l.height - l.baseline - HEAVY / 2.0,
                thickness: HEAVY,
                color: BLACK,
            });
            l.height += 4.0;
        }
        flows.push(Flow {
            origin,
            indent: b.indent,
            space_before: 0.0,
            lines: vec![l],
            keep_with_next: false,
            splittable: false,
            outline: None,
        });
    }
    Some(TableFlows {
        header_flow,
        rows: n,
        header: copy,
        repeated: vec![false; n],
    })
}

/// Puts the header above each row that starts a page the table continues on (and takes it
/// away where a row no longer does). Returns whether anything changed.
pub fn repeat_headers(
    tables: &mut [TableFlows],
    flows: &mut [Flow],
    placement: &Placement,
    _geo: &Geometry,
) -> bool {
    let mut changed = false;
    for t in tables.iter_mut() {
        let page_of = |f: usize| placement.get(f).and_then(|p| p.last()).map(|p| p.0);
        for r in 0..t.rows {
            let f = t.header_flow + 1 + r;
            let prev = page_of(f - 1);
            let want = r > 0 && page_of(f).is_some() && prev.is_some() && page_of(f) != prev;
            if want != t.repeated[r] {
                changed = true;
                t.repeated[r] = want;
                if let Some(flow) = flows.get_mut(f) {
                    if want {
                        flow.lines.insert(0, t.header.clone());
                    } else if flow.lines.len() > 1 {
                        flow.lines.remove(0);
                    }
                }
                // A thin rule closes the part of the table at the foot of the page before.
                if let Some(l) = flows.get_mut(f - 1).and_then(|p| p.lines.last_mut()) {
                    if want {
                        let (x0, x1) = t.header.rules.first().map_or((0.0, 0.0), |r| (r.x0, r.x1));
                        l.rules.push(Rule {
                            x0,
                            x1,
                            y: l.height - l.baseline - THIN / 2.0,
                            thickness: THIN,
                            color: BLACK,
                        });
                    } else {
                        l.rules.pop();
                    }
                }
                // Later rows depend on this one: decide them on the next pass.
                break;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn preferred_widths_used_when_they_fit() {
        assert_eq!(share(&[10.0, 20.0], &[50.0, 60.0], 200.0), vec![50.0, 60.0]);
    }

    #[test]
    fn one_very_long_cell_takes_the_slack_in_proportion() {
        // Column 0: short numbers; column 1: one very long cell.
        let min = [20.0, 60.0];
        let pref = [30.0, 2000.0];
        let w = share(&min, &pref, 400.0);
        let extra = 400.0 - 80.0;
        let slack = 10.0 + 1940.0;
        assert!((w[0] - (20.0 + extra * 10.0 / slack)).abs() < 1e-3);
        assert!((w[1] - (60.0 + extra * 1940.0 / slack)).abs() < 1e-3);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 1e-3);
        // The short column never drops below its longest word.
        assert!(w[0] >= 20.0);
    }

    #[test]
    fn minimums_when_nothing_fits() {
        assert_eq!(
            share(&[100.0, 200.0], &[150.0, 300.0], 250.0),
            vec![100.0, 200.0]
        );
    }
}
