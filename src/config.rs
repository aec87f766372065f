//! `communique.toml`: the press office's house defaults, merged under each statement's front
//! matter (the statement wins, key by key).
//!
//! The set of keys is checked with serde and `deny_unknown_fields`, so a typo is an error with
//! `line:col` and the nearest known key; the values are then read by the same code as front
//! matter ([`crate::frontmatter`]), so a house value and a statement value obey the same rules
//! and messages.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::diag::{Diagnostic, nearest};
use crate::frontmatter::{self, Node, Value};
use crate::model::Metadata;
use crate::theme::Theme;

pub const FILE_NAME: &str = "communique.toml";

/// The keys `communique.toml` accepts at its top level.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read for its key set only; the values go through `frontmatter`
struct Schema {
    organization: Option<IgnoredAny>,
    organisation: Option<IgnoredAny>,
    author: Option<IgnoredAny>,
    dateline: Option<IgnoredAny>,
    release: Option<IgnoredAny>,
    contacts: Option<IgnoredAny>,
    lang: Option<IgnoredAny>,
    dir: Option<IgnoredAny>,
    keywords: Option<IgnoredAny>,
    about: Option<IgnoredAny>,
    logo: Option<IgnoredAny>,
    cover: Option<IgnoredAny>,
    labels: Option<IgnoredAny>,
    /// The press-release design's measures (read here, not by `frontmatter`).
    theme: Option<Theme>,
}

const SCHEMA_KEYS: &[&str] = &[
    "organization",
    "author",
    "dateline",
    "release",
    "contacts",
    "lang",
    "dir",
    "keywords",
    "about",
    "logo",
    "cover",
    "labels",
    "theme",
];

/// A loaded house configuration.
#[derive(Debug, Clone)]
pub struct HouseConfig {
    pub path: PathBuf,
    /// The front-matter defaults, as positioned values (a mapping). `logo` and `cover` are
    /// made relative to the configuration's folder.
    pub meta: Node,
    /// The `[theme]` table over the default theme.
    pub theme: Arc<Theme>,
}

/// The nearest `communique.toml` in `start`'s folder or any parent.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Reads and checks a `communique.toml`.
pub fn load(path: &Path) -> Result<HouseConfig, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![
            Diagnostic::error(format!("cannot read the house configuration: {e}"))
                .in_file(path)
                .help("check the path given to `--config`"),
        ]
    })?;
    let text = crate::markdown::decode(path, &bytes).map_err(|d| vec![d])?;
    parse(path, &text)
}

/// Checks the text of a `communique.toml` (see [`load`]).
pub fn parse(path: &Path, text: &str) -> Result<HouseConfig, Vec<Diagnostic>> {
    let root =
        frontmatter::parse_toml_at(path, text, 0, text, "communique.toml").map_err(|d| vec![d])?;
    let schema = match toml::from_str::<Schema>(text) {
        Ok(s) => s,
        Err(e) => {
            let (line, col) = e
                .span()
                .map(|s| crate::model::SourceMap::new(path, text).line_col(s.start as u32))
                .unwrap_or((1, 1));
            let msg = e.message().trim_end().to_string();
            let d = match msg
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
            {
                Some(key) => {
                    let d = Diagnostic::error(format!("unknown key `{key}` in {FILE_NAME}"));
                    // Inside a table (`[theme.sizes]`, …) serde names the keys it expected.
                    let expected = expected_keys(&msg);
                    let candidates: Vec<&str> = if expected.is_empty() {
                        SCHEMA_KEYS.to_vec()
                    } else {
                        expected.iter().map(String::as_str).collect()
                    };
                    match nearest(key, &candidates) {
                        Some(n) => d.help(format!("did you mean `{n}`?")),
                        None if !expected.is_empty() => {
                            d.help(format!("the keys here are: {}", expected.join(", ")))
                        }
                        None => d.help(format!(
                            "house defaults are: {}; `title`, `subtitle`, `date` and `description` belong in each statement",
                            SCHEMA_KEYS.join(", ")
                        )),
                    }
                }
                // The theme's own checks name the value and say what to write.
                None if msg.starts_with('`') => Diagnostic::error(msg)
                    .help("the `[theme]` keys and their defaults are listed in the README"),
                None => Diagnostic::error(format!("{FILE_NAME}: {msg}")),
            };
            return Err(vec![d.at_line_col(path, line, col)]);
        }
    };
    let theme = schema.theme.unwrap_or_default();
    let Value::Map(mut entries) = root.value else {
        unreachable!("TOML documents are tables")
    };
    // The theme is not front matter: it stays here.
    let theme_at = entries
        .iter()
        .position(|(k, _)| matches!(&k.value, Value::Str(key) if key == "theme"));
    if let Some(i) = theme_at {
        let (k, _) = entries.remove(i);
        if let Err(msg) = theme.check() {
            return Err(vec![
                Diagnostic::error(format!("{FILE_NAME}: {msg}"))
                    .at_line_col(path, k.line, k.col)
                    .help("make the margins under [theme.margins] smaller"),
            ]);
        }
    }
    let base = path.parent().unwrap_or(Path::new("."));
    for (k, v) in &mut entries {
        if matches!(&k.value, Value::Str(key) if key == "logo" || key == "cover")
            && let Value::Str(p) = &mut v.value
        {
            *p = base.join(&*p).to_string_lossy().into_owned();
        }
    }
    let meta = Node {
        value: Value::Map(entries),
        ..root
    };
    // Check the values now, so that a bad house value is reported against communique.toml
    // even when every statement overrides it.
    let mut diags = Vec::new();
    frontmatter::to_metadata(&meta, &mut Metadata::default(), &mut diags);
    if crate::diag::has_errors(&diags) {
        return Err(diags);
    }
    Ok(HouseConfig {
        path: path.to_path_buf(),
        meta,
        theme: Arc::new(theme),
    })
}

/// The keys serde lists in "unknown field `x`, expected one of `a`, `b`" (or "expected `a`").
fn expected_keys(msg: &str) -> Vec<String> {
    let Some((_, rest)) = msg.split_once(", expected ") else {
        return Vec::new();
    };
    rest.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The statement's front matter over the house defaults: every key the statement sets wins.
pub fn merge(front: Option<Node>, house: &HouseConfig) -> Node {
    let Some(front) = front else {
        return house.meta.clone();
    };
    let (Value::Map(front_entries), Value::Map(house_entries)) = (&front.value, &house.meta.value)
    else {
        return front;
    };
    let key = |n: &Node| match &n.value {
        Value::Str(s) => canonical(s).to_string(),
        _ => String::new(),
    };
    let mut entries = front_entries.clone();
    for (k, v) in house_entries {
        let name = key(k);
        match entries.iter_mut().find(|(fk, _)| key(fk) == name) {
            None => entries.push((k.clone(), v.clone())),
            // Labels merge one level deeper: the statement may override a single label.
            Some((_, own)) if name == "labels" => {
                if let (Value::Map(own_labels), Value::Map(house_labels)) =
                    (&mut own.value, &v.value)
                {
                    for (hk, hv) in house_labels {
                        if !own_labels.iter().any(|(ok, _)| key(ok) == key(hk)) {
                            own_labels.push((hk.clone(), hv.clone()));
                        }
                    }
                }
            }
            Some(_) => {}
        }
    }
    Node {
        value: Value::Map(entries),
        ..front
    }
}

fn canonical(key: &str) -> &str {
    match key {
        "organisation" => "organization",
        "contact" => "contacts",
        k => k,
    }
}

/// One line per effective front-matter key: its value and the file and line it came from.
pub fn explain(merged: &Node) -> String {
    let mut out = String::new();
    if let Value::Map(entries) = &merged.value {
        for (k, v) in entries {
            let key = match &k.value {
                Value::Str(s) => s.as_str(),
                _ => "?",
            };
            out.push_str(&format!(
                "{key} = {}    # {}:{}\n",
                compact(v),
                v.file.display(),
                v.line
            ));
        }
    }
    out
}

fn compact(n: &Node) -> String {
    match &n.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => {
            let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = one_line.chars().take(70).collect();
            let ell = if short.len() < one_line.len() {
                "…"
            } else {
                ""
            };
            crate::dump::quote(&format!("{short}{ell}"))
        }
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(compact).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| format!("{} = {}", compact(k).trim_matches('"'), compact(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Shared across the documents of a run.
pub type Shared = Arc<HouseConfig>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_names_the_line_and_the_nearest_key() {
        let text = "organization = \"X\"\norganizaton = \"Y\"\n";
        let e = parse(Path::new("communique.toml"), text).unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "error: communique.toml:2:1: unknown key `organizaton` in communique.toml; did you mean `organization`?"
        );
    }

    #[test]
    fn wrong_type_is_reported_against_the_config() {
        let e = parse(Path::new("communique.toml"), "lang = 42\nabout = [1]\n").unwrap_err();
        assert!(
            e.iter().any(|d| d
                .to_string()
                .starts_with("error: communique.toml:2:9: `about` must be text")),
            "{e:?}"
        );
    }

    #[test]
    fn theme_overrides_and_typos() {
        let h = parse(
            Path::new("communique.toml"),
            "organization = \"X\"\n[theme.colors]\naccent = \"#aa0000\"\n[theme.sizes]\nbody = 12\n",
        )
        .unwrap();
        assert_eq!(h.theme.colors.accent.hex(), "#aa0000");
        assert_eq!(h.theme.sizes.body, 12.0);
        assert_eq!(h.theme.sizes.headline, 21.0);
        // The theme is not front matter.
        let mut diags = Vec::new();
        frontmatter::to_metadata(&h.meta, &mut Metadata::default(), &mut diags);
        assert!(diags.is_empty(), "{diags:?}");

        let e = parse(
            Path::new("communique.toml"),
            "[theme.sizes]\nbody = 12\nheadlin = 20\n",
        )
        .unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "error: communique.toml:3:1: unknown key `headlin` in communique.toml; did you mean `headline`?"
        );
        let e = parse(Path::new("communique.toml"), "[theme]\ncolours = 1\n").unwrap_err();
        assert!(
            e[0].to_string().contains("did you mean `colors`?"),
            "{}",
            e[0]
        );
        let e = parse(
            Path::new("communique.toml"),
            "[theme.colors]\naccent = \"navy\"\n",
        )
        .unwrap_err();
        let msg = e[0].to_string();
        assert!(msg.starts_with("error: communique.toml:2:10: "), "{msg}");
        assert!(msg.contains("`navy` is not a colour"), "{msg}");
        let e = parse(Path::new("communique.toml"), "[theme.sizes]\nbody = -3\n").unwrap_err();
        assert!(e[0].to_string().contains("2:8"), "{}", e[0]);
        assert!(e[0].to_string().contains("positive"), "{}", e[0]);
        let e = parse(
            Path::new("communique.toml"),
            "[theme.margins]\nleft = 250\nright = 250\n",
        )
        .unwrap_err();
        assert!(e[0].to_string().contains("margins"), "{}", e[0]);
    }

    #[test]
    fn statement_wins_key_by_key() {
        let house = parse(
            Path::new("/office/communique.toml"),
            "organization = \"House\"\nlogo = \"logo.png\"\nlang = \"fr\"\n",
        )
        .unwrap();
        let front = frontmatter::parse_toml_at(
            Path::new("s.md"),
            "organisation = \"Own\"\n",
            0,
            "organisation = \"Own\"\n",
            "x",
        )
        .unwrap();
        let merged = merge(Some(front), &house);
        let mut meta = Metadata::default();
        let mut diags = Vec::new();
        frontmatter::to_metadata(&merged, &mut meta, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.organization.as_deref(), Some("Own"));
        assert_eq!(meta.lang, "fr");
        assert_eq!(meta.logo.as_deref(), Some("/office/logo.png"));
        let ex = explain(&merged);
        assert!(ex.contains("organisation = \"Own\"    # s.md:1"), "{ex}");
        assert!(
            ex.contains("lang = \"fr\"    # /office/communique.toml:3"),
            "{ex}"
        );
    }
}
