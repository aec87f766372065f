//! The architecture's invariants, checked against `src/` (issue 19): which files may use the
//! crates named in ARCHITECTURE.md's invariants, and the layer order of the modules (a module
//! imports only modules of its own layer or lower ones, and the modules import each other
//! without a cycle). Each rule is written here and, word for word, in ARCHITECTURE.md's
//! "Layers" section; the test checks that the two agree.
//!
//! The source is read as tokens: comments, strings and character literals are skipped; `use`
//! trees (groups, `self`, renames, globs) and paths in code (`crate::x::`, `super::x`,
//! `communique::x` in the binary) are resolved to the module they name, inline modules
//! (`mod tests { use super::*; }`) included.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, highest first. A module may import its own layer and every lower one.
const LAYERS: &str = "main → cli → publish → eml → {pdf, epub, txt} → {assets, config, markdown} → {frontmatter, detect, lib} → {dump, locale, diag} → {model, theme}";

/// Crates (or paths in a crate) that only the named files may use (relative to `src/`).
const CONFINED: &[(&str, &[&str])] = &[
    ("pulldown_cmark", &["markdown.rs"]),
    ("html5ever", &["markdown/html.rs"]),
    ("markup5ever", &["markdown/html.rs"]),
    ("markup5ever_rcdom", &["markdown/html.rs"]),
    ("saphyr", &["frontmatter.rs"]),
    ("toml", &["frontmatter.rs", "config.rs"]),
    ("printpdf", &["pdf/emit.rs"]),
    ("lopdf", &["pdf/emit.rs", "pdf/tagged.rs"]),
    ("epub_builder", &["epub/package.rs"]),
    (
        "image",
        &[
            "assets.rs",
            "assets/svg.rs",
            "pdf/figure.rs",
            "pdf/type3.rs",
            "epub/images.rs",
        ],
    ),
    ("image::ImageReader", &["assets.rs", "pdf/type3.rs"]),
    ("image::load_from_memory", &["assets.rs", "pdf/type3.rs"]),
    ("image::open", &[]),
    ("usvg", &["assets/svg.rs"]),
    ("resvg", &["assets/svg.rs"]),
    ("mail_builder", &["eml.rs"]),
];

/// Imports that go up the layers, each limited to one file and the module it reaches.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("assets/svg.rs", "pdf::fonts"),
    ("assets/svg.rs", "pdf::fallback"),
    ("detect.rs", "pdf::cjk"),
];

/// Imports between two modules of one layer, each allowed one way only (any other is an
/// error, so that, say, the reader cannot come to know the house configuration again).
const PEERS: &[(&str, &str)] = &[("epub", "pdf")];

/// The model knows no layout and no other part of the program: it imports no module of the
/// crate and no crate but `std`.
const MODEL: &str = "model.rs";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

/// The tokens of Rust source, without comments, strings, character literals and lifetimes,
/// each with its line.
fn tokens(src: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(c[i] == '\n');
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_string(&c, i + 1, &mut line);
        } else if (ch == 'r' || ch == 'b' || ch == 'c')
            && let Some(end) = raw_string(&c, i, &mut line)
        {
            i = end;
        } else if ch == '\'' {
            // A character literal ('a', '\n', '\u{..}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let word = word.strip_prefix("r#").map(str::to_string).unwrap_or(word);
            out.push((Tok::Ident(word), line));
        } else if ch.is_ascii_digit() {
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_' || c[i] == '.') {
                i += 1;
            }
        } else if ch == ':' && at(i + 1) == ':' {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

/// Skips a string body after its opening quote; returns the index after the closing quote.
fn skip_string(c: &[char], mut i: usize, line: &mut usize) -> usize {
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            '\n' => {
                *line += 1;
                i += 1
            }
            _ => i += 1,
        }
    }
    i
}

/// A raw or byte string (`r"…"`, `r#"…"#`, `b"…"`, `br#"…"#`, `c"…"`) starting at `i`.
fn raw_string(c: &[char], i: usize, line: &mut usize) -> Option<usize> {
    if i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if c[j] == 'b' || c[j] == 'c' {
        j += 1;
    }
    let raw = c.get(j) == Some(&'r');
    if raw {
        j += 1;
    }
    let mut hashes = 0;
    while c.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if c.get(j) != Some(&'"') || (!raw && j == i) {
        return None;
    }
    if !raw {
        return Some(skip_string(c, j + 1, line));
    }
    j += 1;
    while j < c.len() {
        if c[j] == '"' && (0..hashes).all(|k| c.get(j + 1 + k) == Some(&'#')) {
            return Some(j + 1 + hashes);
        }
        *line += usize::from(c[j] == '\n');
        j += 1;
    }
    Some(j)
}

// ---------------------------------------------------------------------------------------------
// Paths

/// One path a file names: where, and its segments as written (`crate`, `super`, … included).
#[derive(Debug, Clone)]
struct Named {
    line: usize,
    /// The module the path is written in (inline modules included), from the crate root.
    module: Vec<String>,
    segments: Vec<String>,
}

/// Every path in a file: the leaves of its `use` trees and the paths in its code.
fn paths(src: &str, module: &[String]) -> Vec<Named> {
    let toks = tokens(src);
    let mut out = Vec::new();
    // Inline modules: (name, brace depth at which it closes).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let here = |inline: &[(String, usize)]| {
        let mut m = module.to_vec();
        m.extend(inline.iter().map(|(n, _)| n.clone()));
        m
    };
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            Tok::Ident(w) if w == "mod" => {
                if let (Some((Tok::Ident(name), _)), Some((Tok::Punct('{'), _))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    inline.push((name.clone(), depth + 1));
                }
            }
            Tok::Ident(w) if w == "use" => {
                let mut leaves = Vec::new();
                let end = use_tree(&toks, i + 1, &mut Vec::new(), &mut leaves);
                let m = here(&inline);
                for segments in leaves {
                    out.push(Named {
                        line: toks[i].1,
                        module: m.clone(),
                        segments,
                    });
                }
                i = end;
                continue;
            }
            Tok::Ident(w) => {
                // A path starts at an identifier not preceded by `::` or `.`.
                let starts = i == 0 || !matches!(toks[i - 1].0, Tok::Path | Tok::Punct('.'));
                if starts && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::Path) {
                    let mut segments = vec![w.clone()];
                    let mut j = i + 1;
                    while toks.get(j).map(|t| &t.0) == Some(&Tok::Path) {
                        match toks.get(j + 1) {
                            Some((Tok::Ident(s), _)) => segments.push(s.clone()),
                            _ => break,
                        }
                        j += 2;
                    }
                    out.push(Named {
                        line: toks[i].1,
                        module: here(&inline),
                        segments,
                    });
                    i = j;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Reads a `use` tree from `i`; pushes each leaf's full path; returns the index after it.
fn use_tree(
    toks: &[(Tok, usize)],
    mut i: usize,
    prefix: &mut Vec<String>,
    leaves: &mut Vec<Vec<String>>,
) -> usize {
    let depth = prefix.len();
    if toks.get(i).map(|t| &t.0) == Some(&Tok::Path) {
        i += 1; // `use ::x`
    }
    loop {
        match toks.get(i).map(|t| &t.0) {
            Some(Tok::Ident(s)) if s == "as" => {
                i += 2; // the new name
            }
            Some(Tok::Ident(s)) => {
                prefix.push(s.clone());
                i += 1;
            }
            Some(Tok::Path) => i += 1,
            Some(Tok::Punct('*')) => i += 1,
            Some(Tok::Punct('{')) => {
                i += 1;
                loop {
                    i = use_tree(toks, i, prefix, leaves);
                    match toks.get(i).map(|t| &t.0) {
                        Some(Tok::Punct(',')) => i += 1,
                        _ => break,
                    }
                    if toks.get(i).map(|t| &t.0) == Some(&Tok::Punct('}')) {
                        break;
                    }
                }
                i += 1; // `}`
                prefix.truncate(depth);
                return i;
            }
            _ => {
                if prefix.len() > depth {
                    let mut leaf = prefix.clone();
                    if leaf.last().is_some_and(|s| s == "self") {
                        leaf.pop();
                    }
                    leaves.push(leaf);
                }
                prefix.truncate(depth);
                return if toks.get(i).map(|t| &t.0) == Some(&Tok::Punct(';')) {
                    i + 1
                } else {
                    i
                };
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The source tree

struct File {
    /// Relative to `src/`, with `/`.
    rel: String,
    /// Which crate: the library, or the binary (`main.rs`, `cli/`).
    bin: bool,
    /// Its module path from its crate's root (`pdf/mod.rs` → `pdf`, `lib.rs` → empty).
    module: Vec<String>,
    text: String,
}

fn files() -> Vec<File> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = root().join("src");
    let mut paths = Vec::new();
    walk(&src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let mut module: Vec<String> = rel
                .trim_end_matches(".rs")
                .split('/')
                .map(str::to_string)
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            File {
                bin: rel == "main.rs" || rel.starts_with("cli/") || rel == "cli.rs",
                text: std::fs::read_to_string(&p).unwrap(),
                rel,
                module,
            }
        })
        .collect()
}

/// The layer's name of a file: its top-level module, `lib` or `main` for the roots.
fn unit_of(f: &File) -> String {
    match (f.bin, f.module.first()) {
        (_, Some(m)) => m.clone(),
        (true, None) => "main".into(),
        (false, None) => "lib".into(),
    }
}

/// What a path names, resolved: (`true` for a module of our crates or `false` for an outside
/// crate, its absolute path from the library's root, or the crate name for an outside one).
/// Paths to `std`, `core`, `alloc` and to names in scope (types, variants) are `None`.
fn resolve(n: &Named, f: &File, modules: &BTreeSet<Vec<String>>) -> Option<(bool, Vec<String>)> {
    let first = n.segments.first()?.as_str();
    let rest = |k: usize| n.segments[k.min(n.segments.len())..].to_vec();
    let ours = |mut abs: Vec<String>| -> Option<(bool, Vec<String>)> {
        if f.bin {
            if abs.first().is_some_and(|m| m == "communique") {
                abs.remove(0);
            } else {
                abs.insert(0, "#bin".into());
            }
        }
        Some((true, abs))
    };
    match first {
        "std" | "core" | "alloc" | "Self" => None,
        "crate" => ours(rest(1)),
        "communique" if f.bin => ours(n.segments.clone()),
        "self" => {
            let mut m = n.module.clone();
            m.extend(rest(1));
            ours(m)
        }
        "super" => {
            let mut m = n.module.clone();
            let mut k = 0;
            while n.segments.get(k).is_some_and(|s| s == "super") {
                m.pop();
                k += 1;
            }
            m.extend(rest(k));
            ours(m)
        }
        _ => {
            // A child module of the current one (`use fonts::X` in `pdf/mod.rs`, `diag::` in
            // `lib.rs`), else an outside crate (or a name in scope, which no rule names).
            let mut child = n.module.clone();
            child.push(first.to_string());
            let key = if f.bin {
                let mut k = vec!["#bin".to_string()];
                k.extend(child.clone());
                k
            } else {
                child.clone()
            };
            if modules.contains(&key) {
                let mut m = n.module.clone();
                m.extend(n.segments.clone());
                ours(m)
            } else if dependencies().contains(first) {
                Some((false, vec![first.to_string()]))
            } else {
                None
            }
        }
    }
}

/// The crates Cargo.toml's `[dependencies]` names, as Rust spells them (`-` → `_`).
fn dependencies() -> &'static BTreeSet<String> {
    static DEPS: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    DEPS.get_or_init(|| {
        let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        let mut in_deps = false;
        let mut set = BTreeSet::new();
        for line in manifest.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_deps = line == "[dependencies]";
            } else if in_deps
                && let Some((name, _)) = line.split_once('=')
                && !name.trim_start().starts_with('#')
            {
                set.insert(name.trim().replace('-', "_"));
            }
        }
        // Crates that come with a dependency and are named in the rules.
        set.insert("markup5ever".into());
        set
    })
}

/// Every module path of both crates (the binary's under `#bin`), inline modules excluded.
fn module_set(files: &[File]) -> BTreeSet<Vec<String>> {
    let mut set = BTreeSet::new();
    for f in files {
        let mut m = f.module.clone();
        if f.bin {
            m.insert(0, "#bin".into());
        }
        for k in 0..=m.len() {
            set.insert(m[..k].to_vec());
        }
    }
    set
}

fn layers() -> Vec<Vec<String>> {
    LAYERS
        .split('→')
        .map(|l| {
            l.trim()
                .trim_matches(['{', '}'])
                .split(',')
                .map(|m| m.trim().to_string())
                .collect()
        })
        .collect()
}

/// One use of another module or crate, found in `src/`.
struct Use {
    file: String,
    line: usize,
    from: String,
    /// Our crate (`Some(path from the library's root)`), or an outside crate's name.
    ours: bool,
    path: Vec<String>,
    /// The layer module it lands in (ours only).
    to: String,
    written: String,
}

fn uses() -> Vec<Use> {
    let files = files();
    let modules = module_set(&files);
    let mut out = Vec::new();
    for f in &files {
        for n in paths(&f.text, &f.module) {
            if let Some((ours, path)) = resolve(&n, f, &modules) {
                out.push(Use {
                    file: f.rel.clone(),
                    line: n.line,
                    from: unit_of(f),
                    to: if ours {
                        unit_of_path(&path, &modules)
                    } else {
                        String::new()
                    },
                    ours,
                    path,
                    written: n.segments.join("::"),
                });
            }
        }
    }
    out
}

/// The layer module a resolved path of ours lands in (an item of a crate's root file, such as
/// `crate::Rendered`, lands in `lib` or `main`).
fn unit_of_path(path: &[String], modules: &BTreeSet<Vec<String>>) -> String {
    let (root, k) = match path.first().map(String::as_str) {
        Some("#bin") => ("main", 1),
        _ => ("lib", 0),
    };
    match path.get(k) {
        Some(m) if modules.contains(&path[..=k].to_vec()) => m.clone(),
        _ => root.into(),
    }
}

fn excepted(u: &Use) -> bool {
    EXCEPTIONS.iter().any(|(file, target)| {
        let t: Vec<&str> = target.split("::").collect();
        u.file == *file && u.path.len() >= t.len() && u.path.iter().zip(&t).all(|(a, b)| a == b)
    })
}

// ---------------------------------------------------------------------------------------------
// The checks

#[test]
fn confined_crates_are_used_only_in_their_files() {
    let mut bad = Vec::new();
    let mut seen = BTreeSet::new();
    for u in uses().iter().filter(|u| !u.ours) {
        for (krate, allowed) in CONFINED {
            let rule: Vec<&str> = krate.split("::").collect();
            let path: Vec<&str> = u.written.split("::").collect();
            if path.len() >= rule.len() && path[..rule.len()] == rule[..] {
                seen.insert(*krate);
                if !allowed.contains(&u.file.as_str()) {
                    bad.push(format!(
                        "src/{}:{}: `{}` uses {krate}, which only {} may use",
                        u.file,
                        u.line,
                        u.written,
                        if allowed.is_empty() {
                            "no file".to_string()
                        } else {
                            allowed.join(", ")
                        }
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "crates used outside their files:\n{}",
        bad.join("\n")
    );
    // Each confined crate is found where it is allowed, so a rule cannot go stale unnoticed.
    for (krate, _) in CONFINED {
        assert!(
            seen.contains(krate) || krate.contains("::") || *krate == "markup5ever",
            "{krate} is not used in src/ any more: update the rule here and in ARCHITECTURE.md"
        );
    }
}

#[test]
fn the_model_imports_nothing() {
    let bad: Vec<String> = uses()
        .iter()
        .filter(|u| u.file == MODEL)
        .filter(|u| !(u.ours && u.path.first().is_some_and(|m| m == "model")))
        .map(|u| format!("src/{}:{}: `{}`", u.file, u.line, u.written))
        .collect();
    assert!(
        bad.is_empty(),
        "the model has no layout and imports nothing but std:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_module_has_a_layer() {
    let placed: BTreeSet<String> = layers().into_iter().flatten().collect();
    let files = files();
    let units: BTreeSet<String> = files.iter().map(unit_of).collect();
    let missing: Vec<&String> = units.difference(&placed).collect();
    assert!(
        missing.is_empty(),
        "modules without a layer (add them to LAYERS here and in ARCHITECTURE.md): {missing:?}"
    );
    let gone: Vec<&String> = placed.difference(&units).collect();
    assert!(
        gone.is_empty(),
        "layers name modules that are gone: {gone:?}"
    );
}

#[test]
fn no_module_imports_a_higher_layer_or_an_undeclared_peer() {
    let rank: BTreeMap<String, usize> = layers()
        .into_iter()
        .enumerate()
        .flat_map(|(i, l)| l.into_iter().map(move |m| (m, i)))
        .collect();
    let mut bad = Vec::new();
    for u in uses().iter().filter(|u| u.ours && !excepted(u)) {
        let to = &u.to;
        let (Some(a), Some(b)) = (rank.get(&u.from), rank.get(to)) else {
            continue;
        };
        if b < a {
            bad.push(format!(
                "src/{}:{}: `{}`: {} imports {to}, a higher layer ({LAYERS})",
                u.file, u.line, u.written, u.from
            ));
        } else if b == a && *to != u.from && !PEERS.contains(&(u.from.as_str(), to.as_str())) {
            bad.push(format!(
                "src/{}:{}: `{}`: {} imports {to}, of its own layer, which PEERS does not allow",
                u.file, u.line, u.written, u.from
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "imports up or across the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn modules_import_each_other_without_a_cycle() {
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for u in uses().iter().filter(|u| u.ours && !excepted(u)) {
        if u.to != u.from {
            edges
                .entry(u.from.clone())
                .or_default()
                .entry(u.to.clone())
                .or_insert_with(|| format!("src/{}:{}: `{}`", u.file, u.line, u.written));
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeMap<String, String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if !done.insert(m.to_string()) {
            return None;
        }
        stack.push(m.to_string());
        for next in edges.get(m).into_iter().flat_map(|e| e.keys()) {
            if let Some(c) = visit(next, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in edges.keys() {
        if let Some(cycle) = visit(m, &edges, &mut Vec::new(), &mut done) {
            let why: Vec<String> = cycle
                .windows(2)
                .map(|w| format!("  {} → {}: {}", w[0], w[1], edges[&w[0]][&w[1]]))
                .collect();
            panic!(
                "a cycle between modules: {}\n{}",
                cycle.join(" → "),
                why.join("\n")
            );
        }
    }
}

#[test]
fn architecture_md_states_the_same_rules() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut wanted = vec![format!("`{LAYERS}`")];
    for (krate, files) in CONFINED {
        let list: Vec<String> = files.iter().map(|f| format!("`src/{f}`")).collect();
        let list = if list.is_empty() {
            "no file".to_string()
        } else {
            list.join(", ")
        };
        wanted.push(format!("`{krate}`: {list}"));
    }
    for (file, target) in EXCEPTIONS {
        wanted.push(format!("`src/{file}` → `{target}`"));
    }
    for (from, to) in PEERS {
        wanted.push(format!("`{from}` → `{to}`"));
    }
    let missing: Vec<&String> = wanted
        .iter()
        .filter(|w| !doc.contains(w.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's \"Layers\" section must say what this test checks; missing: {missing:#?}"
    );
}

/// The reader of paths handles what `src/` writes: groups, `self`, renames, `super`, inline
/// modules, and skips comments and strings.
#[test]
fn the_path_reader_reads_rust() {
    let src = r##"
use crate::{a::{self, B as C}, d::*};
use super::super::e;
// use crate::commented;
/* use crate::block /* nested */ comment; */
const S: &str = "crate::in_string";
const R: &str = r#"crate::in_raw "string""#;
const Q: char = '"';
fn f<'a>(x: &'a str) { g::h(crate::i::j(x)); }
mod tests { use super::*; use super::k; }
"##;
    let module = vec!["p".to_string(), "q".to_string()];
    let got: Vec<(Vec<String>, String)> = paths(src, &module)
        .into_iter()
        .map(|n| (n.module, n.segments.join("::")))
        .collect();
    let want = |m: &[&str], s: &str| (m.iter().map(|x| x.to_string()).collect(), s.to_string());
    assert_eq!(
        got,
        vec![
            want(&["p", "q"], "crate::a"),
            want(&["p", "q"], "crate::a::B"),
            want(&["p", "q"], "crate::d"),
            want(&["p", "q"], "super::super::e"),
            want(&["p", "q"], "g::h"),
            want(&["p", "q"], "crate::i::j"),
            want(&["p", "q", "tests"], "super"),
            want(&["p", "q", "tests"], "super::k"),
        ]
    );
}
