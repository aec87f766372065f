//! Front matter: YAML (`---`) or TOML (`+++`) → positioned values → typed [`Metadata`].
//!
//! Both syntaxes are first turned into one small tree of [`Node`]s that remember their
//! `line:col`, so that every type error names the exact place in the file.

use std::path::Path;
use std::sync::Arc;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::diag::{Diagnostic, nearest};
use crate::model::{Contact, DateTime, Direction, LabelOverrides, Metadata, Release};

/// The keys a statement's front matter may carry.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "organization",
    "author",
    "description",
    "date",
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
    "url",
];

/// The labels that `labels` may override.
pub const LABEL_KEYS: &[&str] = &[
    "immediate",
    "embargoed",
    "media_contact",
    "about",
    "more",
    "end",
    "page",
    "contents",
];

const CONTACT_KEYS: &[&str] = &["name", "role", "organization", "email", "phone"];
const RELEASE_KEYS: &[&str] = &["embargoed", "zone"];

/// Where a front-matter block sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
}

/// A front-matter block found at the top of a file.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    pub syntax: Syntax,
    /// The text between the fences.
    pub text: &'a str,
    /// Byte offset of `text` in the file.
    pub offset: usize,
    /// 1-based line of the first line of `text`.
    pub first_line: u32,
    /// Byte offset where the Markdown body starts.
    pub body_offset: usize,
}

/// Finds a front-matter block at the very top of `src`. `Err` when a fence is opened but never closed.
pub fn split(src: &str) -> Result<Option<Block<'_>>, Diagnostic> {
    let first_end = src.find('\n').map_or(src.len(), |i| i + 1);
    let first = src[..first_end].trim_end();
    let (syntax, closers): (Syntax, &[&str]) = match first {
        "---" => (Syntax::Yaml, &["---", "..."]),
        "+++" => (Syntax::Toml, &["+++"]),
        _ => return Ok(None),
    };
    // A `---` followed by a blank line is a thematic break, not front matter (as in pandoc).
    if syntax == Syntax::Yaml
        && src[first_end..]
            .lines()
            .next()
            .is_none_or(|l| l.trim().is_empty())
    {
        return Ok(None);
    }
    let mut pos = first_end;
    while pos < src.len() {
        let end = src[pos..].find('\n').map_or(src.len(), |i| pos + i + 1);
        let line = src[pos..end].trim_end();
        if closers.contains(&line) {
            return Ok(Some(Block {
                syntax,
                text: &src[first_end..pos],
                offset: first_end,
                first_line: 2,
                body_offset: end,
            }));
        }
        pos = end;
    }
    Err(Diagnostic::error(format!(
        "the front matter opened with `{first}` on line 1 is never closed"
    ))
    .help(format!(
        "add a line `{}` after the last front-matter key",
        closers[0]
    )))
}

/// A front-matter value with its position (1-based line and column in the file).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub col: u32,
    /// The file the value was written in (a statement, or `communique.toml`).
    pub file: Arc<Path>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The value of `key`, when this node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "an empty value",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Parses the block into positioned nodes. Warnings (YAML that other readers accept, keys
/// left out) go to `diags`.
pub fn parse(
    path: &Path,
    src: &str,
    block: &Block<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Node, Diagnostic> {
    match block.syntax {
        Syntax::Yaml => parse_yaml(path, block, diags),
        Syntax::Toml => parse_toml(path, src, block),
    }
}

/// Keys the publisher reads: a YAML error in one of them is an error, in any other key
/// (Jekyll's `excerpt`, Hugo's `tags` …) a warning.
fn is_used_key(key: &str) -> bool {
    KNOWN_KEYS.contains(&key) || matches!(key, "organisation" | "contact")
}

/// Parses YAML `text` whose first line is line `first_line` of the file.
fn load_yaml(path: &Path, text: &str, first_line: u32) -> Result<Node, Diagnostic> {
    let docs = MarkedYaml::load_from_str(text).map_err(|e| {
        let m = e.marker();
        Diagnostic::error(format!("malformed YAML front matter: {}", e.info()))
            .at_line_col(path, first_line + m.line() as u32 - 1, m.col() as u32 + 1)
            .help("check the indentation and quoting on this line; values with `: ` or `#` need quotes")
    })?;
    match docs.into_iter().next() {
        Some(doc) => Ok(from_yaml(&doc, first_line, &Arc::from(path))),
        None => Ok(Node {
            value: Value::Map(Vec::new()),
            line: first_line,
            col: 1,
            file: Arc::from(path),
        }),
    }
}

/// YAML front matter as Jekyll and Hugo sites have it. When saphyr refuses the block, it is
/// read key by key (top-level keys start at column 0): a quoted value continued on a line
/// that starts at column 0 is read as PyYAML, Ruby's Psych and Go's yaml read it (the lines
/// joined by a space), with a warning; a key Communique does not use whose value is still
/// not YAML is left out, with a warning; an error in a key it uses stays an error.
fn parse_yaml(
    path: &Path,
    block: &Block<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Node, Diagnostic> {
    let first_error = match load_yaml(path, block.text, block.first_line) {
        Ok(node) => return Ok(node),
        Err(e) => e,
    };
    let Some(chunks) = top_level_chunks(block.text) else {
        return Err(first_error);
    };
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    for (line_index, chunk) in &chunks {
        let first_line = block.first_line + *line_index as u32;
        let node = match load_yaml(path, chunk, first_line) {
            Ok(node) => node,
            Err(e) => {
                let key = chunk_key(chunk);
                if let Some((fixed, lines)) = indent_quoted_continuations(chunk)
                    && let Ok(node) = load_yaml(path, &fixed, first_line)
                {
                    let at = first_line + lines[0] as u32;
                    let shown = node
                        .get(&key)
                        .and_then(|v| match &v.value {
                            Value::Str(s) => Some(format!(": \"{}\"", shorten(s))),
                            _ => None,
                        })
                        .unwrap_or_default();
                    let more = match lines.len() {
                        1 => String::new(),
                        n => format!(" (and {} more lines)", n - 1),
                    };
                    warnings.push(
                        Diagnostic::warning(format!(
                            "the quoted value of `{key}` continues on line {at}{more}, which starts at column 1; YAML wants it indented, and it was read as PyYAML, Jekyll and Hugo read it{shown}"
                        ))
                        .at_line_col(path, at, 1)
                        .help("indent the continuation lines by two spaces, or write the value on one line"),
                    );
                    node
                } else if is_used_key(&key) {
                    return Err(e);
                } else {
                    let reason = e
                        .message
                        .trim_start_matches("malformed YAML front matter: ");
                    let mut w = Diagnostic::warning(format!(
                        "front-matter key `{key}` is not valid YAML ({reason}); Communique does not use it, so it is left out"
                    ))
                    .help("fix its quoting or indentation, or delete it if this site does not need it");
                    // At the error, unless the parser only noticed it past the key's lines.
                    let last = first_line + chunk.lines().count().max(1) as u32 - 1;
                    w.path = e.path.clone();
                    w.line_col = match e.line_col {
                        Some((l, c)) if l <= last => Some((l, c)),
                        _ => Some((first_line, 1)),
                    };
                    warnings.push(w);
                    continue;
                }
            }
        };
        match node.value {
            Value::Map(m) => entries.extend(m),
            Value::Null => {}
            _ => return Err(first_error),
        }
    }
    if warnings.is_empty() {
        // Every key reads on its own, yet the whole does not: not a problem this reading
        // understands.
        return Err(first_error);
    }
    diags.extend(warnings);
    Ok(Node {
        value: Value::Map(entries),
        line: block.first_line,
        col: 1,
        file: Arc::from(path),
    })
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        let mut t: String = s.chars().take(59).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

/// The key a top-level chunk starts with (`key: …`), unquoted.
fn chunk_key(chunk: &str) -> String {
    let line = chunk.lines().next().unwrap_or("");
    let key = match line.strip_prefix(['"', '\'']) {
        Some(rest) => rest.split(['"', '\'']).next().unwrap_or(""),
        None => line.split(':').next().unwrap_or(""),
    };
    key.trim().to_string()
}

/// Where a line starts: inside a quoted scalar opened on an earlier line (`Some('"')` or
/// `Some('\'')`), or not. Returns the state at the end of the line.
fn scan_quotes(line: &str, mut open: Option<char>) -> Option<char> {
    let mut chars = line.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        match open {
            Some('"') => match c {
                '\\' => {
                    chars.next();
                }
                '"' => open = None,
                _ => {}
            },
            Some(_) => {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        open = None;
                    }
                }
            }
            None => {
                // A quote opens a scalar only where a value or key can start.
                let starts =
                    prev.is_none_or(|p| matches!(p, ' ' | '\t' | ':' | '-' | '[' | '{' | ','));
                if (c == '"' || c == '\'') && starts {
                    open = Some(c);
                } else if c == '#' && prev.is_none_or(|p| p == ' ' || p == '\t') {
                    return None;
                }
            }
        }
        prev = Some(c);
    }
    open
}

/// Splits YAML text into top-level `key:` chunks (each with its 0-based first line), or
/// `None` when it does not look like a mapping of such keys.
fn top_level_chunks(text: &str) -> Option<Vec<(usize, String)>> {
    let mut chunks: Vec<(usize, String)> = Vec::new();
    let mut open = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let starts_key = open.is_none()
            && line.starts_with(|c: char| {
                !c.is_whitespace() && !matches!(c, '#' | '-' | '[' | '{' | '}' | ']')
            })
            && (line.contains(": ") || line.trim_end().ends_with(':'));
        open = scan_quotes(line.trim_end_matches(['\n', '\r']), open);
        if starts_key {
            chunks.push((i, line.to_string()));
        } else if let Some((_, chunk)) = chunks.last_mut() {
            chunk.push_str(line);
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            return None;
        }
    }
    (!chunks.is_empty()).then_some(chunks)
}

/// The chunk with each line that continues a quoted scalar from column 0 indented one
/// step past the line that opened the quote, and the 0-based indexes of those lines.
/// `None` when there is no such line.
fn indent_quoted_continuations(chunk: &str) -> Option<(String, Vec<usize>)> {
    let mut out = String::with_capacity(chunk.len() + 16);
    let mut fixed = Vec::new();
    let mut open = None;
    let mut indent = 0;
    for (i, line) in chunk.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        if open.is_some() && content.starts_with(|c: char| !c.is_whitespace()) {
            out.extend(std::iter::repeat_n(' ', indent + 1));
            fixed.push(i);
        } else if open.is_none() {
            // The column of the line's key, past any `- ` of sequence entries.
            let mut rest = content.trim_start();
            while let Some(r) = rest.strip_prefix("- ") {
                rest = r.trim_start();
            }
            indent = content.len() - rest.len();
        }
        out.push_str(line);
        open = scan_quotes(content, open);
    }
    (!fixed.is_empty()).then_some((out, fixed))
}

fn from_yaml(y: &MarkedYaml<'_>, first_line: u32, file: &Arc<Path>) -> Node {
    let line = first_line + y.span.start.line() as u32 - 1;
    let col = y.span.start.col() as u32 + 1;
    let value = match &y.data {
        YamlData::Value(s) => scalar(s),
        YamlData::Representation(s, _, _) => Value::Str(s.to_string()),
        YamlData::Sequence(items) => Value::List(
            items
                .iter()
                .map(|i| from_yaml(i, first_line, file))
                .collect(),
        ),
        YamlData::Mapping(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        from_yaml(k, first_line, file),
                        from_yaml(v, first_line, file),
                    )
                })
                .collect(),
        ),
        YamlData::Tagged(_, inner) => return from_yaml(inner, first_line, file),
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    };
    Node {
        value,
        line,
        col,
        file: file.clone(),
    }
}

fn scalar(s: &Scalar<'_>) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::Int(*i),
        Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
        Scalar::String(s) => Value::Str(s.to_string()),
    }
}

fn parse_toml(path: &Path, src: &str, block: &Block<'_>) -> Result<Node, Diagnostic> {
    parse_toml_at(path, src, block.offset, block.text, "TOML front matter")
}

/// Parses TOML `text`, found at byte `offset` of the file `src`, into positioned nodes.
pub fn parse_toml_at(
    path: &Path,
    src: &str,
    offset: usize,
    text: &str,
    what: &str,
) -> Result<Node, Diagnostic> {
    use toml::de::{DeTable, DeValue};
    let file: Arc<Path> = Arc::from(path);
    let line_col = |byte: usize| -> (u32, u32) {
        let abs = (offset + byte).min(src.len());
        let before = &src[..abs];
        let line = before.matches('\n').count() as u32 + 1;
        let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count() as u32
            + 1;
        (line, col)
    };
    let table = DeTable::parse(text).map_err(|e| {
        let (line, col) = line_col(e.span().map_or(0, |s| s.start));
        Diagnostic::error(format!("malformed {what}: {}", e.message().trim_end()))
            .at_line_col(path, line, col)
            .help("TOML wants `key = \"value\"`, with text in double quotes")
    })?;
    struct Conv<'a> {
        lc: &'a dyn Fn(usize) -> (u32, u32),
        file: Arc<Path>,
    }
    impl Conv<'_> {
        fn node(&self, value: Value, at: usize) -> Node {
            let (line, col) = (self.lc)(at);
            Node {
                value,
                line,
                col,
                file: self.file.clone(),
            }
        }
        fn conv(&self, v: &DeValue<'_>, span: std::ops::Range<usize>) -> Node {
            let value = match v {
                DeValue::String(s) => Value::Str(s.to_string()),
                DeValue::Integer(i) => i
                    .to_string()
                    .replace('_', "")
                    .parse()
                    .map_or_else(|_| Value::Str(i.to_string()), Value::Int),
                DeValue::Float(f) => f
                    .to_string()
                    .replace('_', "")
                    .parse()
                    .map_or_else(|_| Value::Str(f.to_string()), Value::Float),
                DeValue::Boolean(b) => Value::Bool(*b),
                DeValue::Datetime(d) => Value::Str(d.to_string()),
                DeValue::Array(a) => {
                    Value::List(a.iter().map(|i| self.conv(i.get_ref(), i.span())).collect())
                }
                DeValue::Table(t) => Value::Map(
                    t.iter()
                        .map(|(k, v)| {
                            (
                                self.node(Value::Str(k.get_ref().to_string()), k.span().start),
                                self.conv(v.get_ref(), v.span()),
                            )
                        })
                        .collect(),
                ),
            };
            self.node(value, span.start)
        }
    }
    let span = table.span();
    let conv = Conv {
        lc: &line_col,
        file,
    };
    Ok(conv.conv(&DeValue::Table(table.into_inner()), span))
}

/// The `about` boilerplate, still Markdown, with where it was written.
pub struct About {
    pub markdown: String,
    pub node: Node,
}

/// Converts the front-matter tree into typed metadata. Unknown keys and type errors become
/// diagnostics; what is valid is kept. `about` is returned as Markdown with its position,
/// for the reader to parse.
pub fn to_metadata(root: &Node, meta: &mut Metadata, diags: &mut Vec<Diagnostic>) -> Option<About> {
    let err = |n: &Node, msg: String| Diagnostic::error(msg).at_line_col(&n.file, n.line, n.col);
    let Value::Map(entries) = &root.value else {
        if root.value != Value::Null {
            diags.push(
                err(
                    root,
                    format!(
                        "front matter must be a set of `key: value` lines, not {}",
                        root.value.kind()
                    ),
                )
                .help("write for example `title: \"Headline\"` on its own line"),
            );
        }
        return None;
    };
    let mut about = None;
    for (k, v) in entries {
        let Value::Str(key) = &k.value else {
            diags.push(err(
                k,
                format!("a front-matter key must be text, not {}", k.value.kind()),
            ));
            continue;
        };
        match key.as_str() {
            "title" => {
                if let Some(s) = text(v, key, diags) {
                    meta.title = s
                }
            }
            "subtitle" => meta.subtitle = text(v, key, diags),
            "organization" | "organisation" => meta.organization = text(v, key, diags),
            "description" => meta.description = text(v, key, diags),
            "dateline" => meta.dateline = text(v, key, diags),
            "logo" => meta.logo = text(v, key, diags),
            "cover" => meta.cover = text(v, key, diags),
            "url" => meta.url = text(v, key, diags).and_then(|s| page_url(v, s, diags)),
            "author" => meta.authors = text_list(v, key, diags, false),
            "keywords" => meta.keywords = text_list(v, key, diags, true),
            "date" => meta.date = date(v, key, diags),
            "lang" => {
                if let Some(s) = text(v, key, diags) {
                    if is_bcp47(&s) {
                        meta.lang = s
                    } else {
                        diags.push(err(v, format!("`{s}` is not a BCP 47 language tag")).help(
                            "write a tag such as `en-US`, `fr`, `es`, `ru`, `ar` or `zh-Hans`",
                        ))
                    }
                }
            }
            "dir" => {
                if let Some(s) = text(v, key, diags) {
                    match s.to_ascii_lowercase().as_str() {
                        "ltr" => meta.dir = Some(Direction::Ltr),
                        "rtl" => meta.dir = Some(Direction::Rtl),
                        _ => diags.push(
                            err(v, format!("`dir` must be `ltr` or `rtl`, not `{s}`"))
                                .help("leave `dir` out to take the direction from `lang`"),
                        ),
                    }
                }
            }
            "release" => {
                if let Some(r) = release(v, diags) {
                    meta.release = r
                }
            }
            "contacts" | "contact" => meta.contacts = contacts(v, diags),
            "labels" => labels(v, &mut meta.labels, diags),
            "about" => {
                if let Some(s) = text(v, key, diags) {
                    about = Some(About {
                        markdown: s,
                        node: v.clone(),
                    })
                }
            }
            other => diags.push(unknown_key(k, other, KNOWN_KEYS)),
        }
    }
    about
}

fn unknown_key(k: &Node, key: &str, known: &[&str]) -> Diagnostic {
    let d = Diagnostic::warning(format!("unknown front-matter key `{key}`"))
        .at_line_col(&k.file, k.line, k.col);
    match nearest(key, known) {
        Some(n) => d.help(format!("did you mean `{n}`?")),
        None => d.help(format!("known keys are: {}", known.join(", "))),
    }
}

/// `url`: the statement's public address, absolute http or https, nothing a link could not hold.
fn page_url(v: &Node, s: String, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let s = s.trim();
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let bad = |c: char| c.is_whitespace() || c.is_control() || "<>\"'`{}|\\^".contains(c);
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !s.chars().any(bad) => {
            Some(s.to_string())
        }
        _ => {
            diags.push(
                Diagnostic::error(format!(
                    "`url` must be an absolute http or https address, not `{s}`"
                ))
                .at_line_col(&v.file, v.line, v.col)
                    .help("write the page's public address, e.g. `url: https://example.org/news/statement.html`"),
            );
            None
        }
    }
}

fn text(v: &Node, key: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match &v.value {
        Value::Str(s) if s.trim().is_empty() => None,
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Null => None,
        other => {
            diags.push(
                Diagnostic::error(format!("`{key}` must be text, not {}", other.kind()))
                    .at_line_col(&v.file, v.line, v.col)
                    .help(format!("write `{key}: \"...\"` with the text in quotes")),
            );
            None
        }
    }
}

fn text_list(v: &Node, key: &str, diags: &mut Vec<Diagnostic>, split_commas: bool) -> Vec<String> {
    match &v.value {
        Value::List(items) => items.iter().filter_map(|i| text(i, key, diags)).collect(),
        _ => match text(v, key, diags) {
            Some(s) if split_commas => s
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            Some(s) => vec![s],
            None => Vec::new(),
        },
    }
}

fn date(v: &Node, key: &str, diags: &mut Vec<Diagnostic>) -> Option<DateTime> {
    let s = text(v, key, diags)?;
    match DateTime::parse_iso(&s) {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("`{key}`: {e}")).at_line_col(&v.file, v.line, v.col),
            );
            None
        }
    }
}

fn release(v: &Node, diags: &mut Vec<Diagnostic>) -> Option<Release> {
    let help = "write `release: immediate`, or `release: { embargoed: 2026-11-28T00:01:00-05:00, zone: EST }`";
    match &v.value {
        Value::Str(s)
            if matches!(
                s.trim().to_ascii_lowercase().as_str(),
                "immediate" | "for immediate release"
            ) =>
        {
            Some(Release::Immediate)
        }
        Value::Map(entries) => {
            let mut until = None;
            let mut zone = None;
            for (k, val) in entries {
                let key = match &k.value {
                    Value::Str(s) => s.as_str(),
                    _ => "",
                };
                match key {
                    "embargoed" | "embargo" | "until" => {
                        let Some(d) = date(val, "embargoed", diags) else {
                            continue;
                        };
                        if d.time.and_then(|t| t.offset_minutes).is_none() {
                            diags.push(
                                Diagnostic::error("an embargo needs a time of day and a time zone")
                                    .at_line_col(&val.file, val.line, val.col)
                                    .help("add the time and UTC offset, e.g. `2026-11-28T00:01:00-05:00`, and `zone: EST` to print its name"),
                            );
                            continue;
                        }
                        until = Some(d)
                    }
                    "zone" => zone = text(val, "zone", diags),
                    other => diags.push(unknown_key(k, other, RELEASE_KEYS)),
                }
            }
            match until {
                Some(until) => Some(Release::Embargoed { until, zone }),
                None => {
                    if !diags.iter().any(|d| d.is_error()) {
                        diags.push(
                            Diagnostic::error("`release` names no embargo date")
                                .at_line_col(&v.file, v.line, v.col)
                                .help(help),
                        );
                    }
                    None
                }
            }
        }
        Value::Str(s) if s.trim().to_ascii_lowercase().starts_with("embargo") => {
            diags.push(
                Diagnostic::error("an embargoed release needs its date, time and time zone")
                    .at_line_col(&v.file, v.line, v.col)
                    .help(help),
            );
            None
        }
        other => {
            let what = match other {
                Value::Str(s) => format!("`{s}`"),
                o => o.kind().to_string(),
            };
            diags.push(
                Diagnostic::error(format!(
                    "`release` must be `immediate` or an embargo, not {what}"
                ))
                .at_line_col(&v.file, v.line, v.col)
                .help(help),
            );
            None
        }
    }
}

fn labels(v: &Node, out: &mut LabelOverrides, diags: &mut Vec<Diagnostic>) {
    let Value::Map(entries) = &v.value else {
        diags.push(
            Diagnostic::error(format!(
                "`labels` must be a mapping, not {}",
                v.value.kind()
            ))
            .at_line_col(&v.file, v.line, v.col)
            .help("write for example `labels: { more: \"- MORE -\" }`"),
        );
        return;
    };
    for (k, val) in entries {
        let key = match &k.value {
            Value::Str(s) => s.as_str(),
            _ => "",
        };
        let slot = match key {
            "immediate" => &mut out.immediate,
            "embargoed" => &mut out.embargoed,
            "media_contact" => &mut out.media_contact,
            "about" => &mut out.about,
            "more" => &mut out.more,
            "end" => &mut out.end,
            "page" => &mut out.page,
            "contents" => &mut out.contents,
            other => {
                diags.push(unknown_key(k, other, LABEL_KEYS));
                continue;
            }
        };
        *slot = text(val, key, diags);
    }
}

fn contacts(v: &Node, diags: &mut Vec<Diagnostic>) -> Vec<Contact> {
    let items: Vec<&Node> = match &v.value {
        Value::List(items) => items.iter().collect(),
        Value::Map(_) => vec![v],
        Value::Null => Vec::new(),
        other => {
            diags.push(
                Diagnostic::error(format!(
                    "`contacts` must be a list of contacts, not {}",
                    other.kind()
                ))
                .at_line_col(&v.file, v.line, v.col)
                .help("write each contact as `- name: ...` with `role`, `email`, `phone` below it"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        let Value::Map(entries) = &item.value else {
            diags.push(
                Diagnostic::error(format!(
                    "a contact must be a mapping of `name`, `role`, `email`, `phone`, not {}",
                    item.value.kind()
                ))
                .at_line_col(&item.file, item.line, item.col),
            );
            continue;
        };
        let mut c = Contact::default();
        for (k, val) in entries {
            let key = match &k.value {
                Value::Str(s) => s.as_str(),
                _ => "",
            };
            let slot = match key {
                "name" => &mut c.name,
                "role" | "title" => &mut c.role,
                "organization" | "organisation" => &mut c.organization,
                "email" => &mut c.email,
                "phone" | "tel" | "telephone" => &mut c.phone,
                other => {
                    diags.push(unknown_key(k, other, CONTACT_KEYS));
                    continue;
                }
            };
            *slot = text(val, key, diags);
        }
        out.push(c);
    }
    out
}

/// A loose check of BCP 47 syntax: a 2–3 letter (or 4–8 letter) primary subtag and
/// alphanumeric subtags of 1–8 characters.
pub fn is_bcp47(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let Some(primary) = parts.next() else {
        return false;
    };
    let primary_ok = (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        || primary.eq_ignore_ascii_case("x")
        || primary.eq_ignore_ascii_case("i");
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcp47() {
        for ok in [
            "en",
            "en-US",
            "zh-Hans",
            "zh-Hans-CN",
            "ar",
            "es-419",
            "sr-Latn",
        ] {
            assert!(is_bcp47(ok), "{ok}");
        }
        for bad in ["", "english language", "e", "en--US", "123"] {
            assert!(!is_bcp47(bad), "{bad}");
        }
    }

    #[test]
    fn quoted_values_continued_at_column_0() {
        let chunks = top_level_chunks(
            "layout: post\nexcerpt: \"first\nsecond: line\"\n# comment\ntags: [a, b\n",
        )
        .unwrap();
        let keys: Vec<String> = chunks.iter().map(|(_, c)| chunk_key(c)).collect();
        assert_eq!(keys, ["layout", "excerpt", "tags"]);
        assert_eq!(chunks[1].0, 1);
        assert_eq!(chunks[1].1, "excerpt: \"first\nsecond: line\"\n# comment\n");
        let (fixed, lines) = indent_quoted_continuations(&chunks[1].1).unwrap();
        assert_eq!(fixed, "excerpt: \"first\n second: line\"\n# comment\n");
        assert_eq!(lines, [1]);
        // Escaped quotes, apostrophes in plain text and comments do not open a scalar.
        assert_eq!(scan_quotes(r#"a: "say \"hi\"" # "no"#, None), None);
        assert_eq!(scan_quotes("a: don't", None), None);
        assert_eq!(scan_quotes("a: 'it''s", None), Some('\''));
        assert_eq!(scan_quotes("b # 'x", None), None);
        let (fixed, _) = indent_quoted_continuations("c:\n  - name: \"Ana\nPérez\"\n").unwrap();
        assert_eq!(fixed, "c:\n  - name: \"Ana\n     Pérez\"\n");
        assert!(top_level_chunks("- a\n- b\n").is_none());
    }

    #[test]
    fn split_finds_fences() {
        let b = split("---\ntitle: x\n---\nBody").unwrap().unwrap();
        assert_eq!(b.text, "title: x\n");
        assert_eq!(&"---\ntitle: x\n---\nBody"[b.body_offset..], "Body");
        let b = split("+++\ntitle = 'x'\n+++\n").unwrap().unwrap();
        assert_eq!(b.syntax, Syntax::Toml);
        assert!(split("---\ntitle: x\n").is_err());
        assert!(split("# Title\n").unwrap().is_none());
        assert!(split("---\n\ntext\n").unwrap().is_none());
    }
}
