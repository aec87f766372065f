//! `new`: a statement from the commented front-matter template.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use communique::diag::Diagnostic;

use super::NewArgs;
use super::printer::Printer;

pub(super) fn new(args: NewArgs, printer: &Printer) -> ExitCode {
    let ok = !args.slug.is_empty()
        && args
            .slug
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !args.slug.starts_with('-');
    if !ok {
        printer.print(&Diagnostic::error(format!(
            "`{}` is not a usable name; use letters, digits and hyphens, e.g. `upr-response`",
            args.slug
        )));
        return ExitCode::from(2);
    }
    let path = args.dir.join(format!("{}.md", args.slug));
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        printer
            .print(&Diagnostic::error(format!("cannot create the folder: {e}")).in_file(&args.dir));
        return ExitCode::from(1);
    }
    let date = today();
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            if let Err(e) = f.write_all(template(&date).as_bytes()) {
                printer.print(&Diagnostic::error(format!("cannot write: {e}")).in_file(&path));
                return ExitCode::from(1);
            }
            printer.note(&format!("wrote {}", path.display()));
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            printer.print(
                &Diagnostic::error("already exists; not overwriting it")
                    .in_file(&path)
                    .help("choose another name, or edit the existing file"),
            );
            ExitCode::from(1)
        }
        Err(e) => {
            printer
                .print(&Diagnostic::error(format!("cannot create: {e}")).in_file(Path::new(&path)));
            ExitCode::from(1)
        }
    }
}

/// Today (or `SOURCE_DATE_EPOCH`'s day) as `YYYY-MM-DD`.
pub(super) fn today() -> String {
    let now = communique::model::DateTime::from_unix_seconds(
        communique::source_date_epoch().unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        }),
    );
    format!("{:04}-{:02}-{:02}", now.year, now.month, now.day)
}

/// The commented front-matter template that `new` writes.
pub fn template(date: &str) -> String {
    format!(
        r#"---
# The headline (required): present tense, under about 100 characters.
title: "Headline of the statement"
# An optional one-line subhead under the headline.
subtitle: "One line that adds the most important detail"
# Printed in the letterhead and as the author of the PDF and EPUB.
organization: "Example Organization"
# author: "A Person"  # the author, when not the organization (a list is accepted)
# ISO 8601: 2026-11-27, or with a time and zone: 2026-11-27T09:00:00-05:00
date: {date}
# The city that opens the first paragraph, in capitals (AP style).
dateline: "WASHINGTON"
# `immediate`, or an embargo, which always needs a time and a time zone:
# release: {{ embargoed: 2026-11-28T00:01:00-05:00, zone: EST }}
release: immediate
# Media contacts; every field is optional.
contacts:
  - name: "Press Officer"
    role: "Media Relations"
    email: "press@example.org"
    phone: "+1 202 555 0100"
# BCP 47 language tag; sets hyphenation and paper (letter for en-US, A4 otherwise).
lang: en-US
# dir: rtl            # text direction, when `lang` does not imply it
keywords: [human rights]
# A one-sentence summary for e-book catalogues and search.
description: "What happened and why it matters, in one sentence."
# The "About" boilerplate printed after the statement (Markdown).
about: |
  Example Organization is ... (a short standard paragraph about the organization).
# logo: logo.png      # an image beside this file, shown in the letterhead
# cover: cover.jpg    # an e-book cover; one is generated when absent
# url: https://example.org/news/statement.html   # the page's public address (canonical link, og:url)
# labels:             # replace any wording of the page furniture
#   more: "- more -"
#   page: "Page {{n}} of {{total}}"
---

The first paragraph answers who, what, when, where and why. The dateline is added for you.

“A quotation from your spokesperson,” said a spokesperson.
"#
    )
}
