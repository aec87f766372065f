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
    /// The e-mail draft's addresses (read here, not by `frontmatter`).
    email: Option<EmailSchema>,
    /// The newsroom's public address: pages are at `<base_url><stem>.html`.
    base_url: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read for its key set only
struct EmailSchema {
    from: Option<IgnoredAny>,
    reply_to: Option<IgnoredAny>,
    to: Option<IgnoredAny>,
    bcc: Option<IgnoredAny>,
}

/// The `[email]` table: who the e-mail draft is from and to. Absent, the draft has no
/// recipients and the mail client asks for them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmailConfig {
    pub from: Option<Mailbox>,
    pub reply_to: Vec<Mailbox>,
    pub to: Vec<Mailbox>,
    pub bcc: Vec<Mailbox>,
}

/// An address with an optional display name (`Press Office <press@example.org>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl Mailbox {
    /// Reads `addr@example.org` or `Display Name <addr@example.org>`.
    pub fn parse(s: &str) -> Result<Mailbox, String> {
        let s = s.trim();
        let (name, addr) = match (s.rfind('<'), s.ends_with('>')) {
            (Some(i), true) => {
                let name = s[..i].trim().trim_matches('"').trim();
                (
                    (!name.is_empty()).then(|| name.to_string()),
                    &s[i + 1..s.len() - 1],
                )
            }
            _ => (None, s),
        };
        if let Some(n) = &name
            && n.chars().any(|c| c.is_control() || c == '<' || c == '>')
        {
            return Err(format!(
                "`{s}` has a display name with `<`, `>` or a control character"
            ));
        }
        let addr = addr.trim();
        let bad = || {
            format!(
                "`{s}` is not an e-mail address; write `press@example.org` or `Press Office <press@example.org>`"
            )
        };
        let (local, domain) = addr.rsplit_once('@').ok_or_else(bad)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let domain_ok = !domain.is_empty()
            && domain.len() <= 253
            && domain.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return Err(bad());
        }
        Ok(Mailbox {
            name,
            address: addr.to_string(),
        })
    }
}

/// Front-matter keys that belong in each statement, never in the house defaults.
const STATEMENT_ONLY: &[&str] = &["title", "subtitle", "description", "date", "url"];

/// The keys `communique.toml` accepts, as its messages list them: the front-matter keys a
/// house may default, then its own tables.
fn schema_keys() -> Vec<&'static str> {
    frontmatter::KNOWN_KEYS
        .iter()
        .copied()
        .filter(|k| !STATEMENT_ONLY.contains(k))
        .chain(["theme", "email", "base_url"])
        .collect()
}

/// A loaded house configuration.
#[derive(Debug, Clone)]
pub struct HouseConfig {
    pub path: PathBuf,
    /// The front-matter defaults, as positioned values (a mapping). `logo` and `cover` are
    /// made relative to the configuration's folder.
    pub meta: Node,
    /// The `[theme]` table over the default theme.
    pub theme: Arc<Theme>,
    /// The `[email]` table, when given.
    pub email: Option<EmailConfig>,
    /// `base_url`, ending in `/`, when given: the newsroom page of `x.md` is at
    /// `<base_url>x.html`.
    pub base_url: Option<String>,
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
    let text = crate::decode_text(path, &bytes).map_err(|d| vec![d])?;
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
                        schema_keys()
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
                            schema_keys().join(", ")
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
    let email = match take_key(&mut entries, "email") {
        Some((k, v)) => Some(email_table(path, &k, &v)?),
        None => None,
    };
    let base_url = match take_key(&mut entries, "base_url") {
        Some((_, v)) => Some(base_url(path, &v)?),
        None => None,
    };
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
        email,
        base_url,
    })
}

/// Removes `key` from a table's entries and returns it.
fn take_key(entries: &mut Vec<(Node, Node)>, key: &str) -> Option<(Node, Node)> {
    let i = entries
        .iter()
        .position(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))?;
    Some(entries.remove(i))
}

/// Reads `[email]`: `from` (one address), `reply_to`, `to` and `bcc` (one or a list).
fn email_table(path: &Path, key: &Node, table: &Node) -> Result<EmailConfig, Vec<Diagnostic>> {
    let Value::Map(entries) = &table.value else {
        return Err(vec![
            Diagnostic::error("`email` must be a table: `[email]` with `from`, `to` …")
                .at_line_col(path, key.line, key.col),
        ]);
    };
    let mut out = EmailConfig::default();
    let mut errors = Vec::new();
    for (k, v) in entries {
        let name = match &k.value {
            Value::Str(s) => s.as_str(),
            _ => "",
        };
        let values: Vec<&Node> = match &v.value {
            Value::List(items) if name != "from" => items.iter().collect(),
            _ => vec![v],
        };
        let mut boxes = Vec::new();
        for n in values {
            match &n.value {
                Value::Str(s) => match Mailbox::parse(s) {
                    Ok(m) => boxes.push(m),
                    Err(msg) => errors.push(
                        Diagnostic::error(format!("[email] `{name}`: {msg}"))
                            .at_line_col(path, n.line, n.col),
                    ),
                },
                _ => errors.push(
                    Diagnostic::error(format!(
                        "[email] `{name}` must be an address in quotes{}",
                        if name == "from" {
                            ""
                        } else {
                            ", or a list of them"
                        }
                    ))
                    .at_line_col(path, n.line, n.col),
                ),
            }
        }
        match name {
            "from" => out.from = boxes.into_iter().next(),
            "reply_to" => out.reply_to = boxes,
            "to" => out.to = boxes,
            _ => out.bcc = boxes,
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads `base_url`: an absolute http or https address, given a trailing `/`.
fn base_url(path: &Path, v: &Node) -> Result<String, Vec<Diagnostic>> {
    let err = |msg: &str| {
        vec![
            Diagnostic::error(format!("`base_url` {msg}"))
                .at_line_col(path, v.line, v.col)
                .help(
                    "write the newsroom's address, e.g. `base_url = \"https://example.org/news/\"`",
                ),
        ]
    };
    let Value::Str(s) = &v.value else {
        return Err(err("must be text"));
    };
    let s = s.trim();
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| err("must start with https:// or http://"))?;
    if rest.is_empty()
        || rest.starts_with('/')
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'`{}|\\^".contains(c))
        || s.contains(['?', '#'])
    {
        return Err(err("is not a web address (no spaces, quotes, `?` or `#`)"));
    }
    Ok(if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
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
    fn email_table_and_base_url() {
        let h = parse(
            Path::new("communique.toml"),
            "organization = \"X\"\nbase_url = \"https://x.org/news\"\n[email]\nfrom = \"Press Office <press@x.org>\"\nto = \"desk@paper.example\"\nbcc = [\"a@b.example\", \"Ünïcode Näme <c@d.example>\"]\n",
        )
        .unwrap();
        let e = h.email.unwrap();
        assert_eq!(e.from.unwrap().name.as_deref(), Some("Press Office"));
        assert_eq!(e.to[0].address, "desk@paper.example");
        assert_eq!(e.bcc.len(), 2);
        assert_eq!(h.base_url.as_deref(), Some("https://x.org/news/"));
        let mut diags = Vec::new();
        frontmatter::to_metadata(&h.meta, &mut Metadata::default(), &mut diags);
        assert!(diags.is_empty(), "{diags:?}");

        let e = parse(
            Path::new("communique.toml"),
            "[email]\nfrom = \"press@x.org\"\nto = [\"ok@x.org\", \"not an address\"]\n",
        )
        .unwrap_err();
        assert!(
            e[0].to_string().starts_with("error: communique.toml:3:"),
            "{}",
            e[0]
        );
        assert!(
            e[0].to_string().contains("not an e-mail address"),
            "{}",
            e[0]
        );
        let e = parse(Path::new("communique.toml"), "[email]\nform = \"a@b.c\"\n").unwrap_err();
        assert!(
            e[0].to_string().contains("did you mean `from`?"),
            "{}",
            e[0]
        );
        let e = parse(Path::new("communique.toml"), "base_url = \"x.org\"\n").unwrap_err();
        assert!(e[0].to_string().contains("1:12"), "{}", e[0]);
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
