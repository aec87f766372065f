//! `check`: read and validate statements; `--explain` shows the effective front matter.

use std::process::ExitCode;

use communique::publish;

use super::printer::Printer;
use super::{CheckArgs, Houses, inputs, job, report, summary};

pub(super) fn check(args: CheckArgs, printer: &Printer) -> ExitCode {
    let job = job(&args.input);
    let Some(files) = inputs(&args.input, printer) else {
        return ExitCode::from(1);
    };
    let mut failed = Vec::new();
    let mut houses = Houses::default();
    for file in &files {
        let Some(job) = houses.job_for(file, &job, &args.input, printer) else {
            failed.push(file.clone());
            continue;
        };
        let (doc, diags) = publish::read_file(file, &job);
        if args.explain {
            let tree = publish::load(file, job.max_input_bytes)
                .and_then(|text| publish::front_matter(file, &text, &job));
            let given = matches!(&tree, Ok((Some(t), _)) if t.get("lang").is_some());
            match tree {
                Ok((Some(tree), _)) => {
                    println!("# {}", file.display());
                    print!("{}", communique::config::explain(&tree));
                    let url = tree.get("url").and_then(|n| match &n.value {
                        communique::frontmatter::Value::Str(s) => Some(s.trim().to_string()),
                        _ => None,
                    });
                    match &job.base_url {
                        _ if url.is_some() => println!(
                            "# the HTML page is at {} (front matter `url`: canonical, og:url, og:image)",
                            url.unwrap_or_default()
                        ),
                        Some(base) => println!(
                            "# the HTML page is at {base}{}.html (canonical, og:url, og:image)",
                            publish::safe_stem(file)
                        ),
                        None => println!(
                            "# base_url is not set in communique.toml: the HTML page leaves out its canonical link, og:url, og:image and twitter:image, which need absolute addresses (or give the statement's own `url` in front matter)"
                        ),
                    }
                }
                Ok((None, _)) => println!("# {}: no front matter", file.display()),
                Err(_) => {}
            }
            // A language not given was read from the text (or left at the default).
            if let Some(doc) = doc.as_ref().filter(|_| !given) {
                print!("{}", communique::detect::explain(doc));
            }
        }
        if report(&diags, &args.input, printer) {
            failed.push(file.clone());
        } else if !args.input.quiet {
            printer.note(&format!("ok {}", file.display()));
        }
    }
    summary(&files, &failed, 0, true, printer)
}
