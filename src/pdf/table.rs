//! Tables (a child of `design`).
