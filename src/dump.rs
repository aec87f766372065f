//! A stable, readable text dump of the model (like pandoc's `native`).

use crate::model::Document;

pub fn dump(_doc: &Document) -> String {
    String::new()
}
