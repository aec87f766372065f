//! Figures in the flow (a child of `design`): an image alone in a paragraph becomes a flow of
//! one image line and its caption lines that is never split; the letterhead logo.
//!
//! Images are not part of [`Line`]: each is an [`Attach`] naming the flow and line it is
//! drawn with, placed on the page once the flow has been paginated.

use std::sync::Arc;

use crate::model::{self, Document};

use super::super::figure::{self, PdfImage};
use super::super::layout::{
    self, Flow, Geometry, ImageBox, ImagePlace, Item, Line, Origin, Placed, Placement,
};
use super::super::paragraph::{Align, SetOptions, Text};
use super::footnote::{self, Note};
use super::table::{self, TableFlows};
use super::{BlockCx, Ctx, GREY, Setter};

/// Tallest figure, in points (a tall portrait image is scaled to this).
pub const MAX_FIGURE_HEIGHT: f32 = 380.0;
/// Height of the letterhead logo.
pub const LOGO_HEIGHT: f32 = 36.0;

/// An image drawn with line `line` of flow `flow`, `dx` from the flow's left edge and `dy`
/// below the line's top.
#[derive(Debug, Clone)]
pub struct Attach {
    pub flow: usize,
    pub line: usize,
    pub dx: f32,
    pub dy: f32,
    pub width: f32,
    pub height: f32,
    pub image: Arc<PdfImage>,
    pub origin: Origin,
    /// Not content (see [`ImageBox::decorative`]).
    pub decorative: bool,
    /// The image's source offset and where it is read (see [`ImageBox`]).
    pub at: u32,
    pub place: ImagePlace,
}

impl Attach {
    /// The image's box, `x, y` from the flow's left edge and the line's top.
    pub fn image_box(&self) -> ImageBox {
        ImageBox {
            x: self.dx,
            y: self.dy,
            width: self.width,
            height: self.height,
            image: self.image.clone(),
            decorative: self.decorative,
            at: self.at,
            place: self.place,
            cell: None,
        }
    }
}

/// Prepares `path` for a placement of `w` × `h`, or warns and returns `None`.
pub fn prepared(s: &mut Setter, path: &str, at: u32, w: f32, h: f32) -> Option<Arc<PdfImage>> {
    let img = s.images.get(path)?.clone();
    match figure::prepare(&img, w, h) {
        Ok(p) => Some(Arc::new(p)),
        Err(e) => {
            s.diagnostics.push(
                crate::Diagnostic::warning(format!("image `{path}` could not be prepared: {e}"))
                    .at(&s.doc.source, at),
            );
            None
        }
    }
}

/// Lays out a figure: the image centred in the measure, its caption (the image title) under
/// it in small italic. Returns false when the image is not available (the caller then sets
/// the paragraph as text). `place` is [`ImagePlace::Alone`] for an image alone in its
/// paragraph, [`ImagePlace::InText`] for one that stands between parts of its paragraph.
pub fn figure(
    s: &mut Setter,
    img: &model::Image,
    origin: Origin,
    b: &BlockCx,
    flows: &mut Vec<Flow>,
    place: ImagePlace,
) -> bool {
    let Some(loaded) = s.images.get(&img.path).cloned() else {
        return false;
    };
    let (w, h) = figure::fit_hinted(&loaded, img.size, b.width, b.width, MAX_FIGURE_HEIGHT);
    let Some(image) = prepared(s, &img.path, img.at, w, h) else {
        return false;
    };
    let mut lines = vec![Line {
        height: h,
        baseline: h,
        ..Line::default()
    }];
    s.attach.push(Attach {
        flow: flows.len(),
        line: 0,
        dx: b.indent + (b.width - w) / 2.0,
        dy: 0.0,
        width: w,
        height: h,
        image,
        origin,
        decorative: figure::decorative(&img.alt),
        at: img.at,
        place,
    });
    if !img.title.trim().is_empty() {
        let ctx = Ctx {
            italic: true,
            size: (b.ctx.size * 0.82).round(),
            color: GREY,
            hyphenate: false,
            ..b.ctx
        };
        let mut t = Text::default();
        t.push(img.title.trim(), ctx.style(), None, None);
        let caption = s.set(
            &t,
            &SetOptions {
                width: b.width.min(w.max(b.width * 0.7)),
                align: Align::Center,
                balance: false,
                leading: (ctx.size * 1.3).round(),
                em: ctx.size,
            },
        );
        let cw = b.width.min(w.max(b.width * 0.7));
        if let Some(first) = lines.first_mut() {
            first.height += 5.0;
        }
        for mut l in caption {
            for r in &mut l.runs {
                r.x += (b.width - cw) / 2.0;
            }
            lines.push(l);
        }
    }
    if let Some(last) = lines.last_mut() {
        last.height += 4.0;
    }
    s.figures.push(flows.len());
    flows.push(Flow {
        packed: Default::default(),
        origin,
        indent: b.indent,
        space_before: 12.0,
        lines,
        keep_with_next: false,
        splittable: false,
        outline: None,
    });
    true
}

/// The letterhead logo at [`LOGO_HEIGHT`], its width and image.
pub fn logo(s: &mut Setter, doc: &Document) -> Option<(f32, Arc<PdfImage>)> {
    let path = doc.meta.logo.as_deref()?.trim().to_string();
    let loaded = s.images.get(&path)?.clone();
    let h = LOGO_HEIGHT;
    let w = h * loaded.width.max(1) as f32 / loaded.height.max(1) as f32;
    let image = prepared(s, &path, 0, w, h)?;
    Some((w, image))
}

/// The attached images as placed items, each with its page, in page order (and in the
/// order of `attach` on a page).
pub fn by_page(attach: Vec<Attach>, placement: &Placement, geo: &Geometry) -> Vec<(usize, Placed)> {
    let mut out: Vec<(usize, Placed)> = attach
        .into_iter()
        .filter_map(|a| {
            let &(page, top) = placement.get(a.flow).and_then(|f| f.get(a.line))?;
            let mut b = a.image_box();
            b.x += geo.left;
            b.y += top;
            let item = Placed {
                origin: a.origin,
                item: Item::Image(b),
            };
            Some((page, item))
        })
        .collect();
    out.sort_by_key(|(page, _)| *page);
    out
}

/// Lines of notes per page.
pub type NotesPerPage = Vec<Vec<(Origin, Line)>>;

/// Paginates: table headers repeated, room kept for footnotes, until stable.
fn settle(
    flows: &mut [Flow],
    tables: &mut [TableFlows],
    notes: &[Note],
    geo: &Geometry,
) -> (Placement, NotesPerPage) {
    let mut room: Vec<f32> = Vec::new();
    let mut placement = layout::paginate_reserving(flows, geo, &room);
    let mut per_page = Vec::new();
    for round in 0..12 {
        for _ in 0..256 {
            if !table::repeat_headers(tables, flows, &placement, geo) {
                break;
            }
            placement = layout::paginate_reserving(flows, geo, &room);
        }
        per_page = footnote::distribute(notes, flows, &placement, geo);
        let mut new = footnote::reserve(&per_page);
        if round >= 4 {
            // Settle: room once given is kept, so that this ends.
            for (n, o) in new.iter_mut().zip(&room) {
                *n = n.max(*o);
            }
        }
        if new == room {
            break;
        }
        room = new;
        placement = layout::paginate_reserving(flows, geo, &room);
        per_page = footnote::distribute(notes, flows, &placement, geo);
    }
    (placement, per_page)
}

/// Paginates the flows; a figure that does not fit where it stands and goes to the top of
/// the next page lets the text after it move up to fill the hole (the figure "floats" past
/// the paragraphs that then start on the earlier page). Headings, tables and other figures
/// stop a float; a figure inside a paragraph's text floats past the rest of its paragraph
/// only.
pub fn paginate(
    flows: &mut [Flow],
    tables: &mut [TableFlows],
    notes: &[Note],
    attach: &mut [Attach],
    figures: &[usize],
    geo: &Geometry,
) -> (Placement, NotesPerPage) {
    let mut result = settle(flows, tables, notes, geo);
    let table_flows: Vec<(usize, usize)> = tables
        .iter()
        .map(|t| (t.header_flow, t.header_flow + t.rows))
        .collect();
    let plain = |flows: &[Flow], i: usize, figs: &[usize]| {
        !figs.contains(&i)
            && flows
                .get(i)
                .is_some_and(|f| matches!(f.origin, Origin::Block(_)))
            && !table_flows.iter().any(|(a, b)| (*a..=*b).contains(&i))
    };
    // The unit after the figure that may move before it: a paragraph, or a heading chain
    // with the paragraph it is kept with. Its length, if any.
    let unit = |flows: &[Flow], start: usize, figs: &[usize]| -> Option<usize> {
        let mut j = start;
        while plain(flows, j, figs) && flows[j].keep_with_next {
            j += 1;
        }
        (plain(flows, j, figs) && flows[j].splittable).then_some(j + 1 - start)
    };
    let mut figs: Vec<usize> = figures.to_vec();
    for k in 0..figs.len() {
        // At most a page's worth of paragraphs.
        for _ in 0..32 {
            let f = figs[k];
            let (placement, _) = &result;
            let Some(&(page, y)) = placement.get(f).and_then(|p| p.first()) else {
                break;
            };
            let at_top = (y - geo.top(page)).abs() < 0.01;
            let prev_page = f
                .checked_sub(1)
                .and_then(|p| placement.get(p))
                .and_then(|p| p.last())
                .map(|p| p.0);
            if !at_top || page == 0 || prev_page != Some(page - 1) {
                break;
            }
            let Some(n) = unit(flows, f + 1, &figs) else {
                break;
            };
            // A figure inside its paragraph's text floats past the rest of that paragraph
            // only, so that the page is painted in reading order.
            let in_text = attach
                .iter()
                .any(|a| a.flow == f && a.place == ImagePlace::InText);
            if in_text
                && flows[f + 1..=f + n]
                    .iter()
                    .any(|x| x.origin != flows[f].origin)
            {
                break;
            }
            rotate(flows, attach, &mut figs, f, n);
            let trial = settle(flows, tables, notes, geo);
            let starts = trial.0.get(f).and_then(|p| p.first()).map(|p| p.0);
            if starts == Some(page - 1) {
                result = trial;
            } else {
                unrotate(flows, attach, &mut figs, f, n);
                break;
            }
        }
    }
    // The flows are as `result` was computed for, except after a reverted trial, whose
    // state (repeated headers) the last settle may have changed: settle again if so.
    settle(flows, tables, notes, geo)
}

/// Moves flow `i` (a figure) after the `n` flows that follow it, with the images and figure
/// indices that refer to them.
fn rotate(flows: &mut [Flow], attach: &mut [Attach], figs: &mut [usize], i: usize, n: usize) {
    flows[i..=i + n].rotate_left(1);
    let map = |x: &mut usize| {
        if *x == i {
            *x = i + n;
        } else if (i + 1..=i + n).contains(x) {
            *x -= 1;
        }
    };
    attach.iter_mut().for_each(|a| map(&mut a.flow));
    figs.iter_mut().for_each(map);
}

/// Undoes [`rotate`].
fn unrotate(flows: &mut [Flow], attach: &mut [Attach], figs: &mut [usize], i: usize, n: usize) {
    flows[i..=i + n].rotate_right(1);
    let map = |x: &mut usize| {
        if *x == i + n {
            *x = i;
        } else if (i..i + n).contains(x) {
            *x += 1;
        }
    };
    attach.iter_mut().for_each(|a| map(&mut a.flow));
    figs.iter_mut().for_each(map);
}
