//! Diagnostics on stderr, as human lines or JSON.

use std::io::Write;

use communique::diag::Diagnostic;

use super::MessageFormat;

/// Prints diagnostics as human lines (coloured on a terminal unless `NO_COLOR` is set) or JSON.
pub struct Printer {
    format: MessageFormat,
    color: bool,
}

impl Printer {
    pub(super) fn new(format: MessageFormat) -> Printer {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            format,
            color: !no_color && std::io::stderr().is_terminal(),
        }
    }

    pub fn print(&self, d: &Diagnostic) {
        let line = match self.format {
            MessageFormat::Json => json(d),
            MessageFormat::Human if self.color => {
                let text = d.to_string();
                let (label, code) = if d.is_error() {
                    ("error", "1;31")
                } else {
                    ("warning", "1;33")
                };
                format!("\x1b[{code}m{label}\x1b[0m{}", &text[label.len()..])
            }
            MessageFormat::Human => d.to_string(),
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }

    /// A progress or summary line (human format only).
    pub fn note(&self, text: &str) {
        if self.format == MessageFormat::Human {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        }
    }
}

/// One diagnostic as a JSON object on one line.
fn json(d: &Diagnostic) -> String {
    fn s(v: &str) -> String {
        let mut o = String::from("\"");
        for c in v.chars() {
            match c {
                '"' => o.push_str("\\\""),
                '\\' => o.push_str("\\\\"),
                '\n' => o.push_str("\\n"),
                c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
                c => o.push(c),
            }
        }
        o.push('"');
        o
    }
    let severity = if d.is_error() { "error" } else { "warning" };
    let mut out = format!(
        "{{\"severity\":\"{severity}\",\"file\":{}",
        s(&d.path.display().to_string())
    );
    if let Some((l, c)) = d.line_col {
        out.push_str(&format!(",\"line\":{l},\"column\":{c}"));
    }
    out.push_str(&format!(",\"message\":{}", s(&d.message)));
    if let Some(h) = &d.help {
        out.push_str(&format!(",\"help\":{}", s(h)));
    }
    out.push('}');
    out
}
