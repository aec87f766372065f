//! Footnotes at the foot of the page (a child of `design`).
//!
//! A reference is a superscript number in the text that carries a hidden link area whose
//! URL is [`MARK`] and the number: after pagination, the lines holding these tell which
//! notes each page references. The notes are set beforehand in a smaller size (each
//! starting with its number); pagination then keeps room for them at the foot of the pages
//! that reference them ([`super::super::layout::paginate_reserving`]), repeating until the
//! room asked for no longer changes: when a reference on a page's last line would leave no
//! room for its note, the body gives up lines, and the referencing line moves on with them
//! if need be, so a note is always on the page of its first reference (or continues on the
//! next pages when it is longer than the room a page can give). The short rule above the
//! notes is furniture; each note's lines keep the `BlockId` of the note's blocks.

use crate::model::Document;

use super::super::layout::{
    Flow, Geometry, Item, Line, LinkArea, Origin, Page, Placed, Placement, Role, Rule,
};
use super::super::paragraph::Text;
use super::{BlockCx, Ctx, GREY, Setter, block_flows};

/// The URL prefix of a footnote reference's hidden link area.
pub const MARK: &str = "\u{1}footnote:";
/// Room above the first note: gap, rule, gap.
const RULE_ROOM: f32 = 12.0;
/// Space between notes.
const NOTE_GAP: f32 = 2.0;
/// At most this share of the text area goes to notes; the rest continues on the next page.
const MAX_SHARE: f32 = 0.6;

/// One note, set.
#[derive(Debug, Clone)]
pub struct Note {
    pub number: u32,
    /// Lines with the origin of the block each comes from.
    pub lines: Vec<(Origin, Line)>,
}

/// Sets every footnote of the document at `size`.
pub fn set_notes(s: &mut Setter, doc: &Document, b: &BlockCx, size: f32) -> Vec<Note> {
    let cx = BlockCx {
        ctx: Ctx { size, ..b.ctx },
        ..*b
    };
    let mut notes = Vec::with_capacity(doc.footnotes.len());
    for f in &doc.footnotes {
        let mut prefix = Text::default();
        let num = Ctx {
            size: size * 0.75,
            rise: size * 0.33,
            hyphenate: false,
            ..cx.ctx
        };
        prefix.push(&f.number.to_string(), num.style(), None, None);
        prefix.push("\u{2009}", cx.ctx.style(), None, None);
        let mut first = Some(prefix);
        let mut flows: Vec<Flow> = Vec::new();
        // Figures inside notes are drawn with their lines (their flows are not the page's).
        let attach = s.attach.len();
        let figures = s.figures.len();
        let tables = s.tables.len();
        for blk in &f.blocks {
            block_flows(s, blk, &cx, &mut first, &mut flows);
        }
        let attached: Vec<_> = s.attach.drain(attach..).collect();
        s.figures.truncate(figures);
        s.tables.truncate(tables);
        let mut lines = Vec::new();
        for (i, fl) in flows.into_iter().enumerate() {
            for (j, mut l) in fl.lines.into_iter().enumerate() {
                for (_, b) in &mut l.images {
                    b.x += fl.indent;
                }
                for a in attached.iter().filter(|a| a.flow == i && a.line == j) {
                    // `dx` is from the margin, `dy` from the line's top.
                    let mut b = a.image_box();
                    b.y -= l.baseline;
                    l.images.push((l.runs.len(), b));
                }
                if i > 0 && j == 0 {
                    l.height += fl.space_before.min(3.0);
                    l.baseline += fl.space_before.min(3.0);
                }
                for r in &mut l.runs {
                    r.x += fl.indent;
                }
                for r in &mut l.rules {
                    r.x0 += fl.indent;
                    r.x1 += fl.indent;
                }
                for k in &mut l.links {
                    k.x0 += fl.indent;
                    k.x1 += fl.indent;
                }
                lines.push((fl.origin, l));
            }
        }
        // The number at the head of the note is its label.
        let label = f.number.to_string();
        if let Some((_, l)) = lines.first_mut()
            && let Some(r) = l.runs.iter_mut().find(|r| {
                r.size == num.size
                    && r.glyphs.iter().map(|g| g.text.as_str()).collect::<String>() == label
            })
        {
            r.role = Role::Label;
        }
        notes.push(Note {
            number: f.number,
            lines,
        });
    }
    notes
}

/// The note numbers a line references.
fn refs(line: &Line) -> impl Iterator<Item = u32> + '_ {
    line.links
        .iter()
        .filter_map(|l| l.url.strip_prefix(MARK)?.parse().ok())
}

/// The notes on each page, as lines (a note longer than the room continues on the next
/// page): per page, the lines placed there. There may be more pages than the text fills:
/// notes that the text's pages cannot hold continue on pages of their own.
pub fn distribute(
    notes: &[Note],
    flows: &[Flow],
    placement: &Placement,
    geo: &Geometry,
) -> Vec<Vec<(Origin, Line)>> {
    let pages = placement
        .iter()
        .flat_map(|f| f.iter().map(|p| p.0 + 1))
        .max()
        .unwrap_or(1);
    // The page of each note's first reference.
    let mut first: Vec<Option<usize>> = vec![None; notes.len()];
    for (f, places) in flows.iter().zip(placement) {
        for (line, (page, _)) in f.lines.iter().zip(places) {
            for n in refs(line) {
                if let Some(i) = notes.iter().position(|x| x.number == n)
                    && first[i].is_none_or(|p| *page < p)
                {
                    first[i] = Some(*page);
                }
            }
        }
    }
    // A note referenced from nowhere on the pages (only from another note) goes to the
    // last page, so that no note is lost.
    for f in &mut first {
        if f.is_none() {
            *f = Some(pages - 1);
        }
    }
    let mut out: Vec<Vec<(Origin, Line)>> = vec![Vec::new(); pages];
    let mut carry: Vec<(Origin, Line)> = Vec::new();
    for (page, slot) in out.iter_mut().enumerate() {
        let cap = (geo.bottom - geo.top(page)) * MAX_SHARE - RULE_ROOM;
        let mut queue = std::mem::take(&mut carry);
        for (i, n) in notes.iter().enumerate() {
            if first[i] == Some(page) {
                let mut lines = n.lines.clone();
                if !queue.is_empty()
                    && let Some((_, l)) = lines.first_mut()
                {
                    l.height += NOTE_GAP;
                    l.baseline += NOTE_GAP;
                }
                queue.extend(lines);
            }
        }
        carry = fill(slot, queue, cap);
    }
    // Notes still waiting after the last page of text go on pages of their own, as many as
    // they need (never piled past the foot of the last page, where they would be lost).
    while !carry.is_empty() {
        let page = out.len();
        let cap = geo.bottom - geo.top(page) - RULE_ROOM;
        let mut slot = Vec::new();
        carry = fill(&mut slot, std::mem::take(&mut carry), cap);
        out.push(slot);
    }
    out
}

/// Moves lines of `queue` into `slot` while they fit in `cap` (always at least one, so that
/// a line taller than the room still moves on), and returns the rest.
fn fill(
    slot: &mut Vec<(Origin, Line)>,
    queue: Vec<(Origin, Line)>,
    cap: f32,
) -> Vec<(Origin, Line)> {
    let mut h = 0.0;
    let mut rest = Vec::new();
    let mut it = queue.into_iter();
    for (o, l) in it.by_ref() {
        if h + l.height > cap && !slot.is_empty() {
            rest.push((o, l));
            break;
        }
        h += l.height;
        slot.push((o, l));
    }
    rest.extend(it);
    rest
}

/// The room each page keeps for its notes.
pub fn reserve(per_page: &[Vec<(Origin, Line)>]) -> Vec<f32> {
    per_page
        .iter()
        .map(|lines| {
            if lines.is_empty() {
                0.0
            } else {
                RULE_ROOM + lines.iter().map(|(_, l)| l.height).sum::<f32>()
            }
        })
        .collect()
}

/// Draws a page's notes at its foot (`room` is what [`reserve`] kept for them), under a
/// short rule, and removes the hidden link areas of the references.
pub fn draw(lines: Vec<(Origin, Line)>, room: f32, page: &mut Page, geo: &Geometry) {
    if !lines.is_empty() {
        let mut y = geo.bottom - room;
        page.items.push(Placed {
            origin: Origin::Furniture,
            item: Item::Rule(Rule {
                x0: geo.left,
                x1: geo.left + 72.0,
                y: y + RULE_ROOM / 2.0,
                thickness: 0.5,
                color: GREY,
            }),
        });
        y += RULE_ROOM;
        for (origin, l) in lines {
            let h = l.height;
            let base = y + l.baseline;
            super::super::layout::place_line(page, l, origin, geo.left, base);
            y += h;
        }
    }
    mark_refs(page);
    page.items
        .retain(|p| !matches!(&p.item, Item::Link(l) if l.url.starts_with(MARK)));
}

/// Gives the runs a reference's hidden link area covers the role of a note reference.
fn mark_refs(page: &mut Page) {
    let areas: Vec<(Origin, LinkArea)> = page
        .items
        .iter()
        .filter_map(|p| match &p.item {
            Item::Link(l) if l.url.starts_with(MARK) => Some((p.origin, l.clone())),
            _ => None,
        })
        .collect();
    for (origin, l) in areas {
        for p in &mut page.items {
            let Item::Text(run) = &mut p.item else {
                continue;
            };
            let inside = p.origin == origin
                && run.role == Role::Text
                && run.y >= l.y0 - 0.01
                && run.y <= l.y1 + 0.01
                && run.glyphs.iter().all(|g| {
                    let x = run.x + g.x;
                    x >= l.x0 - 0.01 && x < l.x1 - 0.01
                });
            if inside {
                run.role = Role::NoteRef;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BlockId;
    use crate::pdf::layout::paginate_reserving;

    fn line(h: f32, note: Option<u32>) -> Line {
        Line {
            height: h,
            baseline: h * 0.8,
            links: note.map(reference).into_iter().collect(),
            ..Line::default()
        }
    }

    /// The body: one splittable flow of these lines.
    fn body(lines: Vec<Line>) -> Vec<Flow> {
        vec![Flow {
            origin: Origin::Block(BlockId(0)),
            splittable: true,
            lines,
            ..Flow::default()
        }]
    }

    /// The hidden link area of a reference to note `n`.
    fn reference(n: u32) -> LinkArea {
        LinkArea {
            x0: 0.0,
            x1: 1.0,
            y0: 0.0,
            y1: 1.0,
            url: format!("{MARK}{n}"),
        }
    }

    fn geo() -> Geometry {
        Geometry {
            width: 200.0,
            height: 200.0,
            left: 0.0,
            top_first: 0.0,
            top_other: 0.0,
            bottom: 100.0,
        }
    }

    /// Paginates with footnotes the way `design` does.
    fn run(flows: &[Flow], notes: &[Note]) -> (Placement, Vec<Vec<(Origin, Line)>>) {
        let mut room: Vec<f32> = Vec::new();
        for i in 0..8 {
            let placement = paginate_reserving(flows, &geo(), &room);
            let per = distribute(notes, flows, &placement, &geo());
            let mut new = reserve(&per);
            if i >= 4 {
                for (n, o) in new.iter_mut().zip(&room) {
                    *n = n.max(*o);
                }
            }
            if new == room {
                return (placement, per);
            }
            room = new;
        }
        let placement = paginate_reserving(flows, &geo(), &room);
        let per = distribute(notes, flows, &placement, &geo());
        (placement, per)
    }

    #[test]
    fn note_referenced_on_the_last_line_is_on_that_page() {
        // Ten 10-pt lines fill a page exactly; the tenth references note 1 (two lines).
        let mut lines: Vec<Line> = (0..12).map(|_| line(10.0, None)).collect();
        lines[9] = line(10.0, Some(1));
        let flows = body(lines);
        let notes = vec![Note {
            number: 1,
            lines: vec![
                (Origin::Block(BlockId(1)), line(8.0, None)),
                (Origin::Block(BlockId(1)), line(8.0, None)),
            ],
        }];
        let (placement, per) = run(&flows, &notes);
        let ref_page = placement[0][9].0;
        assert_eq!(
            per[ref_page].len(),
            2,
            "the note is on its reference's page"
        );
        // And the body gave up room: nothing overlaps the notes.
        let room = reserve(&per);
        for (l, (p, y)) in flows[0].lines.iter().zip(&placement[0]) {
            assert!(y + l.height <= geo().bottom - room[*p] + 0.01);
        }
    }

    #[test]
    fn long_note_continues_on_the_next_page() {
        let mut lines: Vec<Line> = (0..15).map(|_| line(10.0, None)).collect();
        lines[1] = line(10.0, Some(1));
        let flows = body(lines);
        let notes = vec![Note {
            number: 1,
            lines: (0..10)
                .map(|_| (Origin::Block(BlockId(1)), line(8.0, None)))
                .collect(),
        }];
        let (_, per) = run(&flows, &notes);
        let total: usize = per.iter().map(|p| p.len()).sum();
        assert_eq!(total, 10);
        assert!(per[0].len() < 10 && !per[1].is_empty());
    }

    #[test]
    fn notes_the_text_pages_cannot_hold_go_on_pages_of_their_own() {
        // Three lines of text referencing 40 notes of one 8-pt line each: far more than the
        // text's page can hold at its foot; every note line must still be on a page, inside it.
        let mut lines: Vec<Line> = (0..3).map(|i| line(10.0, Some(i + 1))).collect();
        lines[2].links.extend((4..=40).map(reference));
        let flows = body(lines);
        let notes: Vec<Note> = (1..=40)
            .map(|n| Note {
                number: n,
                lines: vec![(Origin::Block(BlockId(1)), line(8.0, None))],
            })
            .collect();
        let (_, per) = run(&flows, &notes);
        let total: usize = per.iter().map(|p| p.len()).sum();
        assert_eq!(total, 40);
        assert!(per.len() > 1);
        for (i, room) in reserve(&per).into_iter().enumerate() {
            assert!(
                room <= geo().bottom - geo().top(i) + 0.01,
                "page {i}: {room}"
            );
        }
    }
}
