//! Knuth–Plass total-fit line breaking over boxes, glue and penalties.
//!
//! The caller ends a paragraph with its own finishing glue and a forced break
//! ([`Item::finish`]). [`break_lines`] tries a strict pass, then looser ones, then an
//! emergency pass that accepts any line that does not overflow; boxes wider than the
//! measure must have been split beforehand, so the last pass always succeeds.
//!
//! # Bounded work
//! A pass keeps a list of *active* nodes: breaks from which a line may still start. A node is
//! dropped as soon as the line from it to the current item overflows even at full shrink, so
//! on ordinary text the list holds a line's worth of breaks (a few per break opportunity, by
//! fitness class and hyphen count) and a pass is linear in the paragraph's length. Two caps
//! keep hostile paragraphs linear too:
//!
//! - [`MAX_ACTIVE`]: when a line could hold more break opportunities than that (thousands of
//!   zero-width breaks, e.g. U+200B), the oldest active nodes — those that would start the
//!   longest lines — are dropped. A pass that runs out of nodes fails, and the next, looser
//!   pass or the first-fit fallback sets the paragraph, so lines are always found.
//! - [`MAX_TOTAL_FIT_ITEMS`]: a paragraph longer than that (some 50,000 words) is set first
//!   fit, line by line, in linear time and constant memory per line instead of keeping a node
//!   per feasible break for the whole paragraph.
//!
//! A word wider than the measure (a 50,000-character "word") is split into line-wide pieces
//! by the caller before it gets here (`paragraph.rs`), so it costs a handful of items per line.

/// Penalties at or above this never break; at or below `-INFINITE_PENALTY` always do.
pub const INFINITE_PENALTY: f32 = 10_000.0;

/// Most active nodes a pass keeps (see the module documentation). A line of ordinary text
/// needs a few dozen; Chinese or Japanese, where every character is a break opportunity, a few
/// hundred at most.
pub const MAX_ACTIVE: usize = 1024;

/// Longest paragraph, in items, set by total fit; longer ones are set first fit.
pub const MAX_TOTAL_FIT_ITEMS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Box,
    Glue,
    Penalty,
}

/// One item of the paragraph list. Widths are in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    pub kind: Kind,
    pub width: f32,
    pub stretch: f32,
    pub shrink: f32,
    pub penalty: f32,
    /// A flagged penalty is a hyphenation (consecutive ones cost extra and are limited).
    pub flagged: bool,
}

impl Item {
    pub fn boxed(width: f32) -> Item {
        Item {
            kind: Kind::Box,
            width,
            stretch: 0.0,
            shrink: 0.0,
            penalty: 0.0,
            flagged: false,
        }
    }
    pub fn glue(width: f32, stretch: f32, shrink: f32) -> Item {
        Item {
            kind: Kind::Glue,
            width,
            stretch,
            shrink,
            penalty: 0.0,
            flagged: false,
        }
    }
    pub fn penalty(width: f32, penalty: f32, flagged: bool) -> Item {
        Item {
            kind: Kind::Penalty,
            width,
            stretch: 0.0,
            shrink: 0.0,
            penalty,
            flagged,
        }
    }
    /// The end of a paragraph: finishing glue (`\parfillskip`) and a forced break.
    pub fn finish(fill: f32) -> [Item; 2] {
        [
            Item::glue(0.0, fill, 0.0),
            Item::penalty(0.0, -INFINITE_PENALTY, false),
        ]
    }
}

/// How to break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// The measure, in points.
    pub width: f32,
    /// Extra stretch every line has at its end (ragged-right setting), in points.
    pub line_end_stretch: f32,
    pub line_penalty: f32,
    pub flagged_demerits: f32,
    pub fitness_demerits: f32,
    /// At most this many consecutive lines may end in a hyphen.
    pub max_hyphens: u8,
    /// The last line should be at least this wide (natural width), in points.
    pub min_last_line: f32,
    /// Extra demerits for a hyphen ending the next-to-last line.
    pub final_hyphen_demerits: f32,
}

impl Params {
    pub fn new(width: f32) -> Params {
        Params {
            width,
            line_end_stretch: 0.0,
            line_penalty: 10.0,
            flagged_demerits: 10000.0,
            fitness_demerits: 3000.0,
            max_hyphens: 2,
            min_last_line: 0.0,
            final_hyphen_demerits: 5000.0,
        }
    }
}

/// A chosen break: the item it is at and the adjustment ratio of the line it ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub at: usize,
    pub ratio: f32,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    at: usize,
    fitness: u8,
    hyphens: u8,
    width: f32,
    stretch: f32,
    shrink: f32,
    demerits: f32,
    prev: Option<usize>,
}

/// Breaks the paragraph, always: strict, then loose, then emergency passes, then first fit.
pub fn break_lines(items: &[Item], params: &Params) -> Vec<Break> {
    if items.len() > MAX_TOTAL_FIT_ITEMS {
        return first_fit(items, params);
    }
    for tolerance in [1.0, 2.0, f32::INFINITY] {
        if let Some(b) = try_break(items, params, tolerance) {
            return b;
        }
    }
    first_fit(items, params)
}

/// One Knuth–Plass pass: `tolerance` is the largest adjustment ratio accepted.
pub fn try_break(items: &[Item], p: &Params, tolerance: f32) -> Option<Vec<Break>> {
    if items.is_empty() {
        return Some(Vec::new());
    }
    let n = items.len();
    let (sum_w, sum_y, sum_z) = running_sums(items);

    let mut nodes = vec![Node {
        at: 0,
        fitness: 1,
        hyphens: 0,
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        demerits: 0.0,
        prev: None,
    }];
    let mut active: Vec<usize> = vec![0];
    let last = n - 1;

    for b in 0..n {
        let it = items[b];
        let legal = match it.kind {
            Kind::Box => false,
            Kind::Glue => b > 0 && items[b - 1].kind == Kind::Box,
            Kind::Penalty => it.penalty < INFINITE_PENALTY,
        };
        if !legal {
            continue;
        }
        let forced = it.kind == Kind::Penalty && it.penalty <= -INFINITE_PENALTY;
        let flagged = it.kind == Kind::Penalty && it.flagged;
        let pen_w = if it.kind == Kind::Penalty {
            it.width
        } else {
            0.0
        };
        // Best candidate per (fitness, hyphen count).
        let mut best: Vec<(u8, u8, f32, usize, f32)> = Vec::new();
        let mut keep = Vec::with_capacity(active.len());
        for &ai in &active {
            let a = nodes[ai];
            let nat = sum_w[b] - a.width + pen_w;
            let stretch = sum_y[b] - a.stretch + p.line_end_stretch;
            let shrink = sum_z[b] - a.shrink;
            let r = adjustment_ratio(p.width, nat, stretch, shrink);
            if r < -1.0 || forced {
                // This node can start no later line.
            } else {
                keep.push(ai);
            }
            if r < -1.0 || r > tolerance {
                continue;
            }
            let hyphens = if flagged { a.hyphens + 1 } else { 0 };
            if hyphens > p.max_hyphens {
                continue;
            }
            let (fitness, d) = line_demerits(p, items, &a, it, b == last, nat - pen_w, r);
            let total = a.demerits + d;
            match best
                .iter_mut()
                .find(|(f, h, ..)| *f == fitness && *h == hyphens)
            {
                Some(slot) if slot.2 <= total => {}
                Some(slot) => *slot = (fitness, hyphens, total, ai, r),
                None => best.push((fitness, hyphens, total, ai, r)),
            }
        }
        active = keep;
        if active.len() > MAX_ACTIVE {
            // `active` is in creation order: drop the oldest.
            active.drain(..active.len() - MAX_ACTIVE);
        }
        if !best.is_empty() {
            let (aw, ay, az) = sums_after(items, b, (sum_w[b], sum_y[b], sum_z[b]));
            for (fitness, hyphens, total, prev, _r) in best {
                nodes.push(Node {
                    at: b,
                    fitness,
                    hyphens,
                    width: aw,
                    stretch: ay,
                    shrink: az,
                    demerits: total,
                    prev: Some(prev),
                });
                active.push(nodes.len() - 1);
            }
        }
        if active.is_empty() {
            return None;
        }
    }
    let breaks = best_breaks(&nodes, last)?;
    Some(with_ratios(items, p, &breaks))
}

/// Running sums of width, stretch and shrink before each item (and after the last).
fn running_sums(items: &[Item]) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let n = items.len();
    let mut sum_w = Vec::with_capacity(n + 1);
    let mut sum_y = Vec::with_capacity(n + 1);
    let mut sum_z = Vec::with_capacity(n + 1);
    let (mut w, mut y, mut z) = (0.0f32, 0.0f32, 0.0f32);
    for it in items {
        sum_w.push(w);
        sum_y.push(y);
        sum_z.push(z);
        if it.kind != Kind::Penalty {
            w += it.width;
        }
        if it.kind == Kind::Glue {
            y += it.stretch;
            z += it.shrink;
        }
    }
    sum_w.push(w);
    sum_y.push(y);
    sum_z.push(z);
    (sum_w, sum_y, sum_z)
}

/// How far a line of natural width `nat` must stretch (> 0) or shrink (< 0) to fill
/// `width`, in units of its stretch or shrink.
#[inline]
fn adjustment_ratio(width: f32, nat: f32, stretch: f32, shrink: f32) -> f32 {
    if nat < width {
        if stretch > 0.0 {
            (width - nat) / stretch
        } else {
            f32::INFINITY
        }
    } else if nat > width {
        if shrink > 0.0 {
            (width - nat) / shrink
        } else {
            f32::NEG_INFINITY
        }
    } else {
        0.0
    }
}

/// The demerits of a line from node `a` to the break at `it` (the last item when `is_last`),
/// of adjustment ratio `r` and natural width `nat` (the break's own width left out); and its
/// fitness class.
#[inline]
fn line_demerits(
    p: &Params,
    items: &[Item],
    a: &Node,
    it: Item,
    is_last: bool,
    nat: f32,
    r: f32,
) -> (u8, f32) {
    let flagged = it.kind == Kind::Penalty && it.flagged;
    let badness = (100.0 * r.abs().powi(3)).min(INFINITE_PENALTY);
    let mut d = (p.line_penalty + badness).powi(2);
    if it.kind == Kind::Penalty {
        if it.penalty >= 0.0 {
            d += it.penalty * it.penalty;
        } else if it.penalty > -INFINITE_PENALTY {
            d -= it.penalty * it.penalty;
        }
    }
    if flagged && a.hyphens > 0 {
        d += p.flagged_demerits;
    }
    let fitness = fitness_class(r);
    if (fitness as i32 - a.fitness as i32).abs() > 1 {
        d += p.fitness_demerits;
    }
    if is_last && items[a.at].kind == Kind::Penalty && items[a.at].flagged && a.prev.is_some() {
        // A hyphen at the end of the next-to-last line (TeX's \finalhyphendemerits).
        d += p.final_hyphen_demerits;
    }
    if is_last && nat < p.min_last_line {
        // A last line shorter than ~1 em: allowed only when it must be.
        d += 1.0e7;
    }
    (fitness, d)
}

/// Knuth and Plass's fitness classes: tight, decent, loose, very loose.
#[inline]
fn fitness_class(r: f32) -> u8 {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

/// The sums (`at`: before item `b`) after a break at `b`: glue and penalties up to the next
/// box are skipped.
fn sums_after(items: &[Item], b: usize, at: (f32, f32, f32)) -> (f32, f32, f32) {
    let (mut aw, mut ay, mut az) = at;
    let mut i = b;
    while i < items.len() {
        let x = items[i];
        if x.kind == Kind::Box
            || (x.kind == Kind::Penalty && x.penalty <= -INFINITE_PENALTY && i > b)
        {
            break;
        }
        if x.kind == Kind::Glue {
            aw += x.width;
            ay += x.stretch;
            az += x.shrink;
        }
        i += 1;
    }
    (aw, ay, az)
}

/// The breaks of the best node at the end, in order.
fn best_breaks(nodes: &[Node], last: usize) -> Option<Vec<usize>> {
    let end = nodes
        .iter()
        .enumerate()
        .filter(|(_, nd)| nd.at == last && nd.prev.is_some())
        .min_by(|a, b| a.1.demerits.total_cmp(&b.1.demerits))
        .map(|(i, _)| i)?;
    let mut breaks = Vec::new();
    let mut cur = Some(end);
    while let Some(i) = cur {
        let nd = nodes[i];
        if nd.prev.is_none() {
            break;
        }
        breaks.push(nd.at);
        cur = nd.prev;
    }
    breaks.reverse();
    Some(breaks)
}

/// The adjustment ratio of each line, for the given breaks.
fn with_ratios(items: &[Item], p: &Params, breaks: &[usize]) -> Vec<Break> {
    let mut out = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for &b in breaks {
        let (mut w, mut y, mut z) = (0.0f32, p.line_end_stretch, 0.0f32);
        for it in &items[start..b] {
            if it.kind != Kind::Penalty {
                w += it.width;
            }
            if it.kind == Kind::Glue {
                y += it.stretch;
                z += it.shrink;
            }
        }
        if items[b].kind == Kind::Penalty {
            w += items[b].width;
        }
        let r = if w < p.width {
            if y > 0.0 { (p.width - w) / y } else { 0.0 }
        } else if w > p.width && z > 0.0 {
            ((p.width - w) / z).max(-1.0)
        } else {
            0.0
        };
        out.push(Break { at: b, ratio: r });
        start = line_start(items, b);
    }
    out
}

/// The first item of the line that follows a break at `b`.
pub fn line_start(items: &[Item], b: usize) -> usize {
    let mut i = b + 1;
    while i < items.len() && items[i].kind != Kind::Box {
        if items[i].kind == Kind::Penalty && items[i].penalty <= -INFINITE_PENALTY {
            break;
        }
        i += 1;
    }
    i
}

/// A last resort: fill each line as far as it goes.
fn first_fit(items: &[Item], p: &Params) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut width = 0.0f32;
    let mut last_legal: Option<usize> = None;
    let mut i = 0;
    while i < items.len() {
        let it = items[i];
        let legal = match it.kind {
            Kind::Box => false,
            Kind::Glue => i > 0 && items[i - 1].kind == Kind::Box,
            Kind::Penalty => it.penalty < INFINITE_PENALTY,
        };
        if it.kind == Kind::Penalty && it.penalty <= -INFINITE_PENALTY {
            breaks.push(i);
            width = 0.0;
            last_legal = None;
            i = line_start(items, i);
            continue;
        }
        if legal {
            last_legal = Some(i);
        }
        if it.kind != Kind::Penalty {
            width += it.width;
        }
        if width > p.width
            && let Some(l) = last_legal.take()
        {
            breaks.push(l);
            width = 0.0;
            i = line_start(items, l);
            continue;
        }
        i += 1;
    }
    with_ratios(items, p, &breaks)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph of words of the given widths, separated by spaces of width 3.
    fn words(ws: &[f32]) -> Vec<Item> {
        let mut v = Vec::new();
        for (i, w) in ws.iter().enumerate() {
            if i > 0 {
                v.push(Item::glue(3.0, 1.5, 1.0));
            }
            v.push(Item::boxed(*w));
        }
        v.extend(Item::finish(1.0e5));
        v
    }

    fn line_widths(items: &[Item], breaks: &[Break]) -> Vec<f32> {
        let mut out = Vec::new();
        let mut start = 0;
        for b in breaks {
            let w: f32 = items[start..b.at]
                .iter()
                .filter(|i| i.kind != Kind::Penalty)
                .map(|i| i.width)
                .sum();
            out.push(w);
            start = line_start(items, b.at);
        }
        out
    }

    #[test]
    fn known_paragraph_breaks_evenly() {
        // Ten words of 20pt: 4 fit on a 89pt line exactly (4*20 + 3*3 = 89).
        let items = words(&[20.0; 10]);
        let breaks = break_lines(&items, &Params::new(89.0));
        assert_eq!(breaks.len(), 3);
        assert!((breaks[0].ratio).abs() < 1e-4);
        assert!((breaks[1].ratio).abs() < 1e-4);
        assert_eq!(line_widths(&items, &breaks), vec![89.0, 89.0, 43.0]);
    }

    #[test]
    fn total_fit_avoids_a_loose_line() {
        // First fit would put "aaaa bb" on line one and leave line two very loose;
        // total fit balances both lines within tolerance.
        let items = words(&[21.0, 23.0, 19.0, 21.0, 22.0, 20.0, 21.0, 21.0, 18.0, 24.0]);
        let p = Params::new(96.0);
        let breaks = break_lines(&items, &p);
        for b in &breaks[..breaks.len() - 1] {
            assert!(b.ratio.abs() <= 1.0, "{breaks:?}");
        }
    }

    #[test]
    fn no_more_than_two_hyphens_in_a_row() {
        // Words of 45 with a hyphenation point in the middle (two halves of 21 and a
        // hyphen of 3); a 50pt measure invites a hyphen at every line end.
        let mut items = Vec::new();
        for i in 0..12 {
            if i > 0 {
                items.push(Item::glue(3.0, 1.5, 1.0));
            }
            items.push(Item::boxed(21.0));
            items.push(Item::penalty(3.0, 50.0, true));
            items.push(Item::boxed(24.0));
        }
        items.extend(Item::finish(1.0e5));
        let p = Params::new(50.0);
        let breaks = break_lines(&items, &p);
        let mut run = 0;
        for b in &breaks {
            if items[b.at].kind == Kind::Penalty && items[b.at].flagged {
                run += 1;
                assert!(run <= 2, "{breaks:?}");
            } else {
                run = 0;
            }
        }
    }

    #[test]
    fn emergency_pass_never_overflows() {
        // Boxes that fit only one per line and cannot stretch: still broken, no overflow.
        let items = words(&[90.0, 95.0, 99.0]);
        let p = Params::new(100.0);
        let breaks = break_lines(&items, &p);
        assert_eq!(breaks.len(), 3);
        for w in line_widths(&items, &breaks) {
            assert!(w <= 100.0);
        }
    }

    #[test]
    fn active_nodes_are_capped() {
        // Zero-width boxes between stretchable zero-width glue: no line ever overflows, so
        // without the cap every break would stay active and the pass would be quadratic.
        let mut items = Vec::new();
        for _ in 0..20_000 {
            items.push(Item::boxed(0.0));
            items.push(Item::glue(0.0, 1.0, 0.0));
        }
        items.push(Item::boxed(10.0));
        items.extend(Item::finish(1.0e5));
        let start = std::time::Instant::now();
        let breaks = break_lines(&items, &Params::new(100.0));
        assert!(!breaks.is_empty());
        assert_eq!(breaks.last().unwrap().at, items.len() - 1);
        // Quadratic work (20,000² node visits) would take minutes in a debug build.
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    #[test]
    fn a_huge_paragraph_is_set_first_fit() {
        let ws = vec![20.0; MAX_TOTAL_FIT_ITEMS / 2 + 10];
        let items = words(&ws);
        assert!(items.len() > MAX_TOTAL_FIT_ITEMS);
        let breaks = break_lines(&items, &Params::new(89.0));
        assert_eq!(breaks.len(), ws.len().div_ceil(4));
        for w in line_widths(&items, &breaks) {
            assert!(w <= 89.0);
        }
    }

    #[test]
    fn short_last_line_is_avoided() {
        let mut p = Params::new(100.0);
        p.min_last_line = 10.0;
        // Without the rule a 2pt last word would sit alone.
        let items = words(&[30.0, 30.0, 30.0, 20.0, 20.0, 2.0]);
        let breaks = break_lines(&items, &p);
        let widths = line_widths(&items, &breaks);
        assert!(*widths.last().unwrap() >= 10.0, "{widths:?}");
    }
}
