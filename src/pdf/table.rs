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

use crate::model::{self, Align as MdAlign, Slot, Table};

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
                // A percentage of a width not known yet: the natural size.
                let (w, _) = super::super::figure::fit_hinted(
                    l,
                    img.size,
                    f32::NAN,
                    f32::MAX,
                    CELL_IMAGE_HEIGHT,
                );
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

/// The type and leading of a table's cells.
#[derive(Clone, Copy)]
struct Style {
    body: Ctx,
    head: Ctx,
    leading: f32,
}

/// The columns of a table laid out: each one's width and left end, and how to set its cells.
struct Columns {
    widths: Vec<f32>,
    xs: Vec<f32>,
    aligns: Vec<Align>,
    /// The left end of the table's rules, and its width.
    x0: f32,
    total: f32,
    gutter: f32,
}

impl Columns {
    /// The left end and width of a cell spanning `cols` columns from column `c`.
    fn span(&self, c: usize, cols: usize) -> (f32, f32) {
        if cols <= 1 {
            return (self.xs[c], self.widths[c]);
        }
        let end = (c + cols).min(self.widths.len());
        let x = self.xs[c..end]
            .iter()
            .copied()
            .fold(f32::INFINITY, f32::min);
        let w: f32 = self.widths[c..end].iter().sum::<f32>() + self.gutter * (end - c - 1) as f32;
        (x, w)
    }
}

/// A row whose rows a spanning cell joins is kept on the page with the next; a group of rows
/// taller than this could still meet a page break, so such a cell is set in its first row
/// alone (which grows to hold it) and the rows below keep the column empty.
const MAX_ROWSPAN_HEIGHT: f32 = 300.0;

/// Lays out a table as flows: one unsplittable flow per row, the header's first. A cell that
/// spans columns is set across them; one that spans rows is set from the top of its first row,
/// the last of its rows growing when it needs more room, and its rows kept together.
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
    let style = Style {
        body,
        head: Ctx { bold: true, ..body },
        leading: (body.size * 1.3).round(),
    };
    let slots = table.slots();
    let (min, pref) = natural_widths(s, table, &slots, style, b.width, ncols);
    let cols = columns(s, table, &min, &pref, b.width, ncols);
    let mut lines = Vec::with_capacity(table.rows.len() + 1);
    let mut tall = Vec::new();
    for (ri, row) in std::iter::once(&table.header)
        .chain(&table.rows)
        .enumerate()
    {
        let ctx = if ri == 0 { style.head } else { style.body };
        let (line, spans) = row_line(s, row, &slots[ri], ctx, ri as u32, &cols, style);
        tall.extend(spans.into_iter().map(|(rows, h)| (ri, rows, h)));
        lines.push(line);
    }
    let kept = fit_rowspans(&mut lines, &tall);
    Some(row_flows(table, lines, &kept, &cols, origin, b, flows))
}

/// Each column's minimum width (its longest word, its widest image) and preferred width (its
/// longest cell on one line). A cell that spans columns widens them evenly when they are too
/// narrow for it together.
fn natural_widths(
    s: &mut Setter,
    table: &Table,
    slots: &[Vec<Slot>],
    style: Style,
    measure: f32,
    ncols: usize,
) -> (Vec<f32>, Vec<f32>) {
    let huge = SetOptions {
        width: 1.0e5,
        align: Align::Left,
        balance: false,
        leading: style.leading,
        em: style.body.size,
    };
    let mut min = vec![0.0f32; ncols];
    let mut pref = vec![0.0f32; ncols];
    let mut wide = Vec::new();
    for (ri, row) in std::iter::once(&table.header)
        .chain(&table.rows)
        .enumerate()
    {
        let ctx = if ri == 0 { style.head } else { style.body };
        for (c, cell) in row.iter().enumerate() {
            let span = match slots[ri].get(c) {
                Some(Slot::Covered) => continue,
                Some(Slot::Cell { cols, .. }) => (*cols).min(ncols - c),
                None => 1,
            };
            let t = cell_text(s, cell, ctx, measure, (ri as u32, c as u32));
            let lines = s.set(&t, &huge);
            let w = lines
                .iter()
                .map(|l| line_width(s.book, l))
                .fold(0.0, f32::max);
            let mut m = 0.0f32;
            for word in model::plain_text(cell).split_whitespace() {
                let l = s.set_plain(word, ctx, 1.0e5, Align::Left, style.leading);
                let w = l.iter().map(|l| line_width(s.book, l)).fold(0.0, f32::max);
                m = m.max(w + 1.0);
            }
            m = m.max(image_min_width(s, cell));
            if span > 1 {
                wide.push((c, span, m, w));
            } else {
                pref[c] = pref[c].max(w);
                min[c] = min[c].max(m);
            }
        }
    }
    for (c, span, m, w) in wide {
        for (v, want) in [(&mut min, m), (&mut pref, w)] {
            let have = v[c..c + span].iter().sum::<f32>() + GUTTER * (span - 1) as f32;
            if want > have {
                let each = (want - have) / span as f32;
                v[c..c + span].iter_mut().for_each(|x| *x += each);
            }
        }
    }
    for c in 0..ncols {
        pref[c] = pref[c].max(min[c]) + 0.5;
    }
    (min, pref)
}

/// The columns' widths within `measure`, their places (right to left, the first column on the
/// right and the table against the right edge) and alignments.
fn columns(
    s: &Setter,
    table: &Table,
    min: &[f32],
    pref: &[f32],
    measure: f32,
    ncols: usize,
) -> Columns {
    let avail = (measure - GUTTER * (ncols - 1) as f32).max(ncols as f32);
    let widths = share(min, pref, avail);
    let used: f32 = widths.iter().sum();
    let gutter = if ncols > 1 {
        ((measure - used) / (ncols - 1) as f32).max(GUTTER)
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
    let x0 = if s.rtl == Some(true) {
        let right = measure.max(total);
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
    Columns {
        widths,
        xs,
        aligns,
        x0,
        total,
        gutter,
    }
}

/// One row as one line: its cells side by side, their first baselines aligned. A cell that
/// spans rows does not make its row taller: its height (from the line's top) is returned with
/// its number of rows, for [`fit_rowspans`].
fn row_line(
    s: &mut Setter,
    row: &[model::Cell],
    slots: &[Slot],
    ctx: Ctx,
    ri: u32,
    cols: &Columns,
    style: Style,
) -> (Line, Vec<(usize, f32)>) {
    let ncols = cols.widths.len();
    let mut cells: Vec<(usize, usize, Vec<Line>)> = Vec::with_capacity(ncols);
    for (c, cell) in row.iter().enumerate().take(ncols) {
        let span = match slots.get(c) {
            Some(Slot::Covered) => continue,
            Some(Slot::Cell { cols, .. }) => *cols,
            None => 1,
        };
        let (_, width) = cols.span(c, span);
        let t = cell_text(s, cell, ctx, width.max(1.0), (ri, c as u32));
        let opts = SetOptions {
            width: width.max(1.0),
            align: cols.aligns[c],
            balance: false,
            leading: style.leading,
            em: style.body.size,
        };
        cells.push((c, span, s.set(&t, &opts)));
    }
    let baseline = PAD
        + cells
            .iter()
            .filter_map(|(_, _, c)| c.first().map(|l| l.baseline))
            .fold(0.0, f32::max);
    let mut out = Line {
        baseline,
        ..Line::default()
    };
    let mut height = 0.0f32;
    let mut tall = Vec::new();
    for (c, span, lines) in cells {
        let (x, _) = cols.span(c, span);
        let top = place_cell(&mut out, lines, x, baseline, (ri, c as u32));
        match slots.get(c) {
            Some(Slot::Cell { rows, .. }) if *rows > 1 => tall.push((*rows, top + PAD)),
            _ => height = height.max(top),
        }
    }
    out.height = height.max(baseline) + PAD;
    (out, tall)
}

/// Moves a cell's set lines into the row's line at `x`, their first baseline on the row's;
/// returns the bottom of the cell from the line's top.
fn place_cell(out: &mut Line, lines: Vec<Line>, x: f32, baseline: f32, at: (u32, u32)) -> f32 {
    let first_base = lines.first().map_or(0.0, |l| l.baseline);
    let mut top = baseline - first_base;
    for l in lines {
        let dy = top + l.baseline - baseline;
        let k0 = out.runs.len();
        for (k, mut b) in l.images {
            b.x += x;
            b.y += dy;
            out.images.push((k0 + k, b));
        }
        for mut r in l.runs {
            r.x += x;
            r.y += dy;
            r.role = Role::Cell {
                row: at.0,
                col: at.1,
            };
            out.runs.push(r);
        }
        for mut r in l.rules {
            r.x0 += x;
            r.x1 += x;
            r.y += dy;
            out.rules.push(r);
        }
        for mut k in l.links {
            k.x0 += x;
            k.x1 += x;
            k.y0 += dy;
            k.y1 += dy;
            out.links.push(k);
        }
        top += l.height;
    }
    top
}

/// Makes room for the cells that span rows (`(row, rows, height)`): the last row of each
/// grows by what the cell needs beyond its rows together. Returns, per line, whether it is
/// kept on the page with the next (the rows a spanning cell joins). A group taller than
/// [`MAX_ROWSPAN_HEIGHT`] is not kept together: its first row grows to hold the cell instead.
fn fit_rowspans(lines: &mut [Line], tall: &[(usize, usize, f32)]) -> Vec<bool> {
    let mut kept = vec![false; lines.len()];
    let mut tall = tall.to_vec();
    // Groups that end first are settled first, so a longer group sees their heights.
    tall.sort_by_key(|&(r, rows, _)| r + rows);
    for (r, rows, need) in tall {
        let end = (r + rows).min(lines.len());
        let have: f32 = lines[r..end].iter().map(|l| l.height).sum();
        if need.max(have) > MAX_ROWSPAN_HEIGHT {
            lines[r].height = lines[r].height.max(need);
            continue;
        }
        if need > have {
            lines[end - 1].height += need - have;
        }
        kept[r..end - 1].iter_mut().for_each(|k| *k = true);
    }
    kept
}

/// The header's flow (with its rules, kept with the first row) and one flow per row (the last
/// with the closing rule), pushed to `flows`.
fn row_flows(
    table: &Table,
    mut lines: Vec<Line>,
    kept: &[bool],
    cols: &Columns,
    origin: Origin,
    b: &BlockCx,
    flows: &mut Vec<Flow>,
) -> TableFlows {
    let (x0, total) = (cols.x0, cols.total);
    let rows = lines.split_off(1);
    let mut header = lines.pop().unwrap_or_default();
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
        packed: Default::default(),
        origin,
        indent: b.indent,
        space_before: PARA_SPACE + 4.0,
        lines: vec![header],
        keep_with_next: !table.rows.is_empty(),
        splittable: false,
        outline: None,
    });
    let n = rows.len();
    for (i, mut l) in rows.into_iter().enumerate() {
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
            packed: Default::default(),
            origin,
            indent: b.indent,
            space_before: 0.0,
            lines: vec![l],
            keep_with_next: kept.get(i + 1).copied().unwrap_or(false),
            splittable: false,
            outline: None,
        });
    }
    TableFlows {
        header_flow,
        rows: n,
        header: copy,
        repeated: vec![false; n],
    }
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
                    // Its lines change: the packed glyphs (see `Flow::pack`) are theirs.
                    flow.unpack();
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
