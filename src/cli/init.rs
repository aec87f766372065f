//! `init`: a press office's folder (communique.toml, an example statement, .gitignore).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use communique::diag::Diagnostic;

use super::new::today;
use super::printer::Printer;

/// The commented house configuration that `init` writes.
pub const HOUSE_TEMPLATE: &str = r####"# communique.toml — the press office's house defaults.
# Every statement in this folder (and below) takes these values unless its own front matter
# sets the same key. A misspelt key is an error, with the nearest known key suggested.

# The organization: letterhead, author and publisher of every PDF and EPUB.
organization = "Example Organization"

# The "About" boilerplate printed after every statement (Markdown).
about = """
Example Organization is … (a short standard paragraph about the organization).
"""

# Language of the statements (BCP 47): hyphenation, paper (letter for en-US, A4 otherwise)
# and the wording of the page furniture.
lang = "en-US"

# The city that opens each first paragraph, unless a statement gives its own.
# dateline = "WASHINGTON"

# A logo for the letterhead, relative to this file.
# logo = "logo.png"

# The newsroom's public address: the HTML page of content/x.md is at <base_url>x.html. It
# gives the page its canonical link and the absolute og:url and og:image that a shared link's
# preview card needs; without it they are left out.
# base_url = "https://example.org/news/"

# Media contacts printed on every release.
[[contacts]]
name = "Press Office"
role = "Media Relations"
email = "press@example.org"
phone = "+1 202 555 0100"

# Wording of the page furniture, when the defaults for `lang` do not suit.
# [labels]
# immediate = "FOR IMMEDIATE RELEASE"
# more = "- more -"
# end = "###"
# page = "Page {n} of {total}"

# The e-mail draft (`-f eml`): sender and recipients. Without this table the draft has no
# addresses and the mail client asks for them. `to`, `reply_to` and `bcc` take one address
# or a list; press lists go in `bcc`.
# [email]
# from = "Example Organization Press Office <press@example.org>"
# reply_to = "press@example.org"
# to = "press@example.org"
# bcc = ["desk@newspaper.example", "Newsroom <news@agency.example>"]

# The press-release design. Every key is optional; the values shown are the defaults.
# Sizes, margins and spaces are in points (72 to the inch); leading is a ratio of the type
# size; colours are "#rrggbb". The EPUB and HTML style sheets follow the same theme.
# [theme.fonts]              # families of the font book (add your own with --font-dir)
# body = "Noto Serif"
# headings = "Noto Sans"
# letterhead = "Noto Sans"
# mono = "Noto Sans Mono"
# [theme.sizes]
# body = 11.0
# headline = 21.0
# subtitle = 13.0
# letterhead = 17.0
# heading1 = 14.0
# heading2 = 12.5
# heading3 = 11.5
# about = 10.0
# small = 9.0                # release line, date, contacts
# furniture = 8.5            # running header, page numbers
# footnote = 8.5
# [theme.leading]
# body = 1.36
# headings = 1.3
# headline = 1.24
# letterhead = 1.4
# small = 1.44
# contacts = 1.33
# code = 1.35
# [theme.margins]
# top = 50.0
# top_continued = 86.0
# bottom = 74.0
# left = 78.0
# right = 78.0
# [theme.colors]
# text = "#000000"
# accent = "#14386b"         # letterhead, its rule, headings
# muted = "#595959"          # subtitle, running header, page numbers
# rules = "#595959"
# quote = "#bfbfbf"
# [theme.rules]
# letterhead = 0.8
# header = 0.4
# thematic_break = 0.5
# quote = 1.5
# [theme.letterhead]
# align = "left"             # left, center or right
# logo_height = 36.0
# logo_gap = 14.0
# rule_gap = 9.0
# [theme.spacing]
# paragraph = 7.0
# heading = 14.0
# release = 12.0
# headline = 22.0
# subtitle = 6.0
# body = 14.0
# about = 18.0
# end = 14.0
# contacts = 5.0
"####;

pub(super) fn init(dir: &Path, printer: &Printer) -> ExitCode {
    let files: [(PathBuf, String); 3] = [
        (
            dir.join(communique::config::FILE_NAME),
            HOUSE_TEMPLATE.to_string(),
        ),
        (
            dir.join("content").join("first-statement.md"),
            statement_example(&today()),
        ),
        (dir.join(".gitignore"), "/out\n".to_string()),
    ];
    // Refuse before writing anything, so that init never leaves half a setup.
    let existing: Vec<&PathBuf> = files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        for p in existing {
            printer.print(
                &Diagnostic::error("already exists; `init` never overwrites")
                    .in_file(p)
                    .help("run `init` in an empty folder, or edit the existing files"),
            );
        }
        return ExitCode::from(1);
    }
    for (path, text) in &files {
        let created = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
            })
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = created {
            printer.print(&Diagnostic::error(format!("cannot write: {e}")).in_file(path));
            return ExitCode::from(1);
        }
        printer.note(&format!("wrote {}", path.display()));
    }
    printer.note(
        "next: edit communique.toml and content/first-statement.md, then run `communique build`",
    );
    ExitCode::SUCCESS
}

/// The example statement `init` writes: the house configuration supplies the organization,
/// boilerplate and contacts.
fn statement_example(date: &str) -> String {
    format!(
        r#"---
title: "Example Organization Welcomes the New Review"
subtitle: "A first statement, written with Communique"
date: {date}
dateline: "WASHINGTON"
release: immediate
description: "A first statement, to show the layout of a press release."
---

Example Organization today welcomed the new review. The first paragraph says who, what, when,
where and why; the dateline in front of it is added for you.

“A quotation from a spokesperson gives the statement a voice,” said a spokesperson for
Example Organization.

Further paragraphs add detail, with the most important first, because editors cut from the
bottom.
"#
    )
}
