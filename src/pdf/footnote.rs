//! Footnotes at the foot of the page (a child of `design`).
