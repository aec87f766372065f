//! Diagnostics: typed errors and warnings with a source position, printed as
//! `error: path:line:col: what is wrong; how to fix it`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::{Offset, SourceMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file the diagnostic is about (may be empty when it concerns no file).
    pub path: PathBuf,
    /// 1-based line and column (characters).
    pub line_col: Option<(u32, u32)>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when that helps.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: PathBuf::new(),
            line_col: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Places the diagnostic at a byte offset of a source file.
    pub fn at(mut self, source: &SourceMap, offset: Offset) -> Diagnostic {
        self.path = source.path.clone();
        self.line_col = Some(source.line_col(offset));
        self
    }

    pub fn in_file(mut self, path: &Path) -> Diagnostic {
        self.path = path.to_path_buf();
        self
    }

    pub fn at_line_col(mut self, path: &Path, line: u32, col: u32) -> Diagnostic {
        self.path = path.to_path_buf();
        self.line_col = Some((line, col));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: ")?;
        if !self.path.as_os_str().is_empty() {
            write!(f, "{}", self.path.display())?;
            if let Some((l, c)) = self.line_col {
                write!(f, ":{l}:{c}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// The closest of `candidates` to `word` (for "did you mean"), when it is close enough.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 2).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_position_and_help() {
        let src = SourceMap::new("content/x.md", "---\ntitel: x\n---\n");
        let d = Diagnostic::error("unknown key `titel`")
            .at(&src, 4)
            .help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "error: content/x.md:2:1: unknown key `titel`; did you mean `title`?"
        );
    }

    #[test]
    fn nearest_key() {
        let keys = ["title", "subtitle", "organization", "dateline"];
        assert_eq!(nearest("titel", &keys), Some("title"));
        assert_eq!(nearest("organisation", &keys), Some("organization"));
        assert_eq!(nearest("zzzzzzzz", &keys), None);
    }
}
