//! Reports for people: one serde-serialisable structure per report, rendered
//! by a template to plain text, Markdown or HTML.
//!
//! The debrief ([`crate::history::Debrief`]), the class summary
//! ([`crate::class::Summary`]) and the explorer's report are each a plain
//! data structure; what they look like is written in the templates under
//! `assets/templates/`, embedded in the binary so it runs from any folder.
//! A template is named by what it shows and its format —
//! `debrief.txt`, `debrief.md`, `debrief.html` — and HTML templates extend
//! `page.html`, which holds the inline stylesheet (screen and A4 print) so
//! that every page is self-contained: no script, no network.
//!
//! The one entry point is [`render`]:
//!
//! ```
//! use std::sync::Arc;
//! use jingkang::policy::PolicyKind;
//! use jingkang::report::{self, Format};
//! let s = Arc::new(jingkang::content::load_embedded("pingzhou").unwrap());
//! let (_, debrief) =
//!     jingkang::runfile::run_headless(&s, 7, PolicyKind::Recorded, PolicyKind::Recorded);
//! let html = report::render("debrief", &debrief, Format::Html).unwrap();
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! ```
//!
//! Every value a template prints passes one formatter: control characters
//! and bidi overrides are stripped (a name in a run file cannot retitle a
//! terminal or reorder a page), and in HTML the rest is escaped.
//!
//! Filters the templates can use: `wrap(indent, first)` wraps prose to the
//! `width` the caller asked for (76 by default), counting East Asian wide
//! characters as two columns; `cell` makes a string safe inside a Markdown
//! table cell; `bar(width)` draws a share 0–1 as a text bar; `pct` prints a
//! share 0–1 as a whole percentage.

pub mod course;
pub mod figures;

use std::sync::OnceLock;

use include_dir::{Dir, include_dir};
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, State, context, escape_formatter};
use serde::Serialize;

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/templates");

/// The width plain text is wrapped to unless the caller asks otherwise.
pub const DEFAULT_WIDTH: usize = 76;

/// What a report is rendered to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text for a terminal (wrapped, no markup).
    Text,
    /// Markdown, for handouts and notes.
    Markdown,
    /// One self-contained HTML page (inline CSS and SVG, no script).
    Html,
}

impl Format {
    /// The template file extension for this format.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// A report could not be rendered. With embedded templates this is a bug in
/// a template or a missing one, never bad input; it is reported, not
/// panicked on.
#[derive(Debug, thiserror::Error)]
#[error("the {template} report could not be rendered: {detail}")]
pub struct ReportError {
    /// The template.
    pub template: String,
    /// What went wrong, with the template line where the engine knows it.
    pub detail: String,
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .unwrap_or_default(),
        );
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| {
            if !value.is_safe()
                && let Some(s) = value.as_str()
            {
                let clean = Value::from(strip_controls(s));
                return escape_formatter(out, state, &clean);
            }
            escape_formatter(out, state, value)
        });
        env.add_filter("wrap", wrap_filter);
        env.add_filter("cell", cell);
        env.add_filter("bar", bar);
        env.add_filter("pct", pct);
        env.set_loader(|name| {
            Ok(TEMPLATES
                .get_file(name)
                .map(|f| String::from_utf8_lossy(f.contents()).into_owned()))
        });
        env
    })
}

/// Renders the template `name.<format>` with `value` as its context, plain
/// text wrapped to [`DEFAULT_WIDTH`].
///
/// # Errors
/// There is no such template, or it fails (a bug in the template).
pub fn render<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    format: Format,
) -> Result<String, ReportError> {
    render_width(name, value, format, DEFAULT_WIDTH)
}

/// Renders the template `name.<format>` with `value` as its context and
/// plain text wrapped to `width` columns (at least 30).
///
/// # Errors
/// There is no such template, or it fails (a bug in the template).
pub fn render_width<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    format: Format,
    width: usize,
) -> Result<String, ReportError> {
    let file = format!("{name}.{}", format.extension());
    let fail = |e: minijinja::Error| ReportError {
        template: file.clone(),
        detail: match e.line() {
            Some(line) => format!("line {line}: {e}"),
            None => e.to_string(),
        },
    };
    let template = environment().get_template(&file).map_err(fail)?;
    let ctx = context! { width => width.max(30), ..Value::from(Serde(value)) };
    let mut text = template.render(ctx).map_err(fail)?;
    // Templates end their last line; the caller decides about the final newline.
    while text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}

/// Text with control characters (other than newline and tab) and bidi
/// overrides removed: what may come from a file a stranger wrote (see
/// [`crate::clean`]).
#[must_use]
pub fn strip_controls(s: &str) -> String {
    crate::clean::clean(s).into_owned()
}

/// `{{ text | wrap(indent, first) }}`: wraps prose to the requested width;
/// `indent` starts every line, `first` (default: `indent`) the first one.
/// Paragraphs (blank-line separated) stay paragraphs.
fn wrap_filter(state: &State, text: &str, indent: Option<&str>, first: Option<&str>) -> String {
    let width = state
        .lookup("width")
        .and_then(|w| usize::try_from(w).ok())
        .unwrap_or(DEFAULT_WIDTH);
    let indent = indent.unwrap_or("");
    let first = first.unwrap_or(indent);
    wrap(text, width, first, indent)
}

/// Wraps `text` to `width` columns; the first line starts with `first`,
/// the others with `indent`. East Asian wide characters count two columns.
#[must_use]
pub fn wrap(text: &str, width: usize, first: &str, indent: &str) -> String {
    let mut out = Vec::new();
    for (i, para) in text.split("\n\n").enumerate() {
        let lead = if i == 0 { first } else { indent };
        if i > 0 {
            out.push(String::new());
        }
        let opts = textwrap::Options::new(width.max(8))
            .initial_indent(lead)
            .subsequent_indent(indent)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        let joined = para.split_whitespace().collect::<Vec<_>>().join(" ");
        out.extend(
            textwrap::wrap(&joined, opts)
                .into_iter()
                .map(|l| l.trim_end().to_owned()),
        );
    }
    out.join("\n")
}

/// `{{ text | cell }}`: a string safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `{{ share | bar(20) }}`: a share 0–1 as a text bar of `width` cells,
/// filled `█` and empty `░`, so the bar reads without colour.
fn bar(share: f64, width: Option<usize>) -> String {
    let width = width.unwrap_or(20);
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // Both are small and non-negative: the cast cannot lose anything.
    let filled = ((share * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// `{{ share | pct }}`: a share 0–1 as a whole percentage, `42%`.
fn pct(share: f64) -> String {
    if share.is_finite() {
        format!("{:.0}%", share * 100.0)
    } else {
        "—".to_owned()
    }
}

/// Renders a debrief to text (at `width` columns), Markdown or HTML.
///
/// # Errors
/// A template failed (a bug).
pub fn debrief(
    d: &crate::history::Debrief,
    format: Format,
    width: usize,
) -> Result<String, ReportError> {
    render_width("debrief", d, format, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_and_indents() {
        let w = wrap("one two three four five six seven", 12, "- ", "  ");
        assert_eq!(w, "- one two\n  three four\n  five six\n  seven");
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let w = wrap("李綱 李綱 李綱 李綱", 10, "", "");
        assert!(
            w.lines()
                .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 10),
            "{w}"
        );
        assert!(w.lines().count() >= 2);
    }

    #[test]
    fn controls_and_bidi_overrides_are_stripped() {
        assert_eq!(
            strip_controls("a\u{1b}]0;x\u{7}b\u{202e}c\nd"),
            "a]0;xbc\nd"
        );
    }

    #[test]
    fn bars_and_shares() {
        assert_eq!(bar(0.5, Some(4)), "██░░");
        assert_eq!(bar(2.0, Some(2)), "██");
        assert_eq!(pct(0.42), "42%");
    }

    #[test]
    fn a_missing_template_is_an_error_not_a_panic() {
        let e = render("no-such-report", &(), Format::Html).expect_err("missing");
        assert!(e.to_string().contains("no-such-report.html"), "{e}");
    }
}
