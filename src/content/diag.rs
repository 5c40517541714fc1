//! Problems found while loading data, each pinned to `file:line:col`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use miette::{Diagnostic, NamedSource, SourceSpan};

/// A data file as text, with the name shown in messages.
///
/// The text is shared (`Arc<str>`): every problem found in a file points at
/// the same copy, so a file with thousands of problems costs its size once.
/// The positions of its lines and of its quoted strings are indexed on first
/// use, so placing a problem costs a look-up, not a scan of the file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Display name, e.g. `scenarios/pingzhou/decisions.ron`.
    pub name: String,
    /// The file's text.
    pub text: Arc<str>,
    index: Arc<OnceLock<Index>>,
}

/// Where the lines and quoted strings of a file are.
#[derive(Debug, Default)]
struct Index {
    /// Byte offset of the start of each line.
    lines: Vec<usize>,
    /// Offsets of the opening quote of each string literal, by its text.
    strings: BTreeMap<Box<str>, Vec<usize>>,
    /// Offsets of each number outside strings and comments, by its text.
    numbers: BTreeMap<Box<str>, Vec<usize>>,
}

impl Index {
    fn build(text: &str) -> Index {
        let mut lines = vec![0];
        let mut strings: BTreeMap<Box<str>, Vec<usize>> = BTreeMap::new();
        let mut numbers: BTreeMap<Box<str>, Vec<usize>> = BTreeMap::new();
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => {
                    lines.push(i + 1);
                    i += 1;
                }
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i += 2;
                    while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                        if b[i] == b'\n' {
                            lines.push(i + 1);
                        }
                        i += 1;
                    }
                    i += 2;
                }
                b'"' => {
                    let open = i;
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        if b[i] == b'\n' {
                            lines.push(i + 1);
                        }
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    let close = i.min(b.len());
                    if let Some(s) = text.get(open + 1..close) {
                        strings.entry(s.into()).or_default().push(open);
                    }
                    i += 1;
                }
                c if c.is_ascii_digit()
                    || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
                {
                    let start = i;
                    let ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
                    i += 1;
                    while i < b.len()
                        && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.')
                    {
                        i += 1;
                    }
                    if !ident && let Some(n) = text.get(start..i) {
                        numbers.entry(n.into()).or_default().push(start);
                    }
                }
                _ => i += 1,
            }
        }
        Index {
            lines,
            strings,
            numbers,
        }
    }
}

impl SourceFile {
    /// A file from its name and text.
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            index: Arc::default(),
        }
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::build(&self.text))
    }

    /// Byte offset of a 1-based line and column (column counted in chars).
    #[must_use]
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let lines = &self.index().lines;
        let Some(&start) = lines.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let end = lines.get(line).copied().unwrap_or(self.text.len());
        let l = &self.text[start..end];
        start
            + l.char_indices()
                .nth(col.saturating_sub(1))
                .map_or(l.len(), |(b, _)| b)
    }

    /// 1-based line and column of a byte offset.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let lines = &self.index().lines;
        let line = lines.partition_point(|s| *s <= offset).max(1);
        let start = lines[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        (line, col)
    }

    /// Offset of the `nth` (0-based) occurrence of `"value"` (the opening
    /// quote) outside comments, searching `key: "value"` first when a key is
    /// given.
    #[must_use]
    pub fn find_string(&self, key: Option<&str>, value: &str, nth: usize) -> Option<usize> {
        let found = self.index().strings.get(value)?;
        if let Some(key) = key {
            let keyed = found.iter().filter(|pos| {
                let before = self.text[..**pos].trim_end();
                before
                    .strip_suffix(':')
                    .is_some_and(|b| b.trim_end().ends_with(key))
            });
            if let Some(p) = keyed.clone().nth(nth) {
                return Some(*p);
            }
        }
        found.get(nth).copied()
    }

    /// Offset of the first number written exactly as `number` (outside
    /// strings and comments).
    #[must_use]
    pub fn find_number(&self, number: &str) -> Option<usize> {
        self.index().numbers.get(number)?.first().copied()
    }

    /// The text of a 1-based line, without its line break.
    #[must_use]
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let lines = &self.index().lines;
        let start = *lines.get(line.checked_sub(1)?)?;
        let end = lines.get(line).copied().unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }
}

/// The longest message or value shown, in characters; longer text is
/// shortened with `…` (an id of megabytes is not printed back whole).
pub const MAX_MESSAGE_CHARS: usize = 300;

/// The number of problems listed before the rest are only counted.
pub const MAX_LISTED: usize = 100;

/// Shortens text to at most `max` characters, keeping its start and end
/// around a `…`.
#[must_use]
pub fn shorten(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_owned();
    }
    let head = max.saturating_sub(1) * 2 / 3;
    let tail = max.saturating_sub(1) - head;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// A value quoted for a message: `"li_gang"`, shortened if long.
#[must_use]
pub fn quoted(value: &str) -> String {
    format!("\"{}\"", shorten(value, 60))
}

/// One problem in the data, with where it is and how to fix it.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}:{line}:{col}: {message}")]
#[diagnostic(code(jingkang::data))]
pub struct Problem {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
    #[source_code]
    src: NamedSource<Arc<str>>,
    #[label("here")]
    span: SourceSpan,
    source_file: Option<SourceFile>,
}

impl Problem {
    /// A problem at a byte offset of a file. The file's text is shared, not
    /// copied; the message and help are shortened if very long.
    #[must_use]
    pub fn at(file: &SourceFile, offset: usize, message: String, help: Option<String>) -> Problem {
        let mut offset = offset.min(file.text.len());
        while !file.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, col) = file.line_col(offset);
        let len = file.text[offset..].chars().next().map_or(0, char::len_utf8);
        Problem {
            file: file.name.clone(),
            line,
            col,
            message: shorten(&message, MAX_MESSAGE_CHARS),
            help: help.map(|h| shorten(&h, MAX_MESSAGE_CHARS)),
            src: NamedSource::new(file.name.clone(), file.text.clone()),
            span: SourceSpan::new(offset.into(), len),
            source_file: Some(file.clone()),
        }
    }

    /// A problem with no useful position (reported at 1:1).
    #[must_use]
    pub fn whole(file: &SourceFile, message: String, help: Option<String>) -> Problem {
        Problem::at(file, 0, message, help)
    }

    /// A problem in a file that could not be read at all.
    #[must_use]
    pub fn unreadable(name: &str, message: String) -> Problem {
        Problem {
            file: name.to_owned(),
            line: 1,
            col: 1,
            message: shorten(&message, MAX_MESSAGE_CHARS),
            help: None,
            src: NamedSource::new(name, Arc::from("")),
            span: SourceSpan::new(0.into(), 0),
            source_file: None,
        }
    }

    /// The same problem with a hint on how to fix it.
    #[must_use]
    pub fn with_help(mut self, help: &str) -> Problem {
        self.help = Some(shorten(help, MAX_MESSAGE_CHARS));
        self
    }

    /// Plain rendering: `file:line:col: message`, the line itself with a
    /// caret under the column, and the help text.
    #[must_use]
    pub fn plain(&self) -> String {
        let mut out = format!("error: {}", self);
        if let Some(line) = self
            .source_file
            .as_ref()
            .and_then(|f| f.line_text(self.line))
        {
            // Show at most 160 characters of the line, around the column.
            let before = self.col.saturating_sub(1);
            let skip = before.saturating_sub(120);
            let shown: String = line.chars().skip(skip).take(160).collect();
            let pad: String = line
                .chars()
                .skip(skip)
                .take(before - skip)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let lead = if skip > 0 { "…" } else { "" };
            out.push_str(&format!(
                "\n  {:>4} | {lead}{shown}\n       | {}{pad}^",
                self.line,
                if skip > 0 { " " } else { "" }
            ));
        }
        if let Some(h) = &self.help {
            out.push_str(&format!("\n  help: {h}"));
        }
        out
    }
}

/// Several problems at once.
#[derive(Debug)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    /// The first [`MAX_LISTED`] problems, then how many more there are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().take(MAX_LISTED).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", p.plain())?;
        }
        if self.0.len() > MAX_LISTED {
            write!(
                f,
                "\n… and {} more problems ({} in all); fix these first.",
                self.0.len() - MAX_LISTED,
                self.0.len()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Turns a RON parse error into a problem with the position RON reports and
/// a hint for the usual mistakes.
#[must_use]
pub fn from_ron(file: &SourceFile, err: &ron::error::SpannedError) -> Problem {
    let line = err.span.start.line.max(1);
    let col = err.span.start.col.max(1);
    let offset = file.offset_of(line, col);
    let message = err.code.to_string();
    let help = ron_help(&message);
    Problem::at(file, offset, message, help)
}

fn ron_help(message: &str) -> Option<String> {
    let m = message.to_lowercase();
    let h = if m.contains("missing") && m.contains("field") {
        "add the field; the data format is documented in src/content/model.rs"
    } else if m.contains("unknown field") || m.contains("no field") {
        "check the spelling of the field name against src/content/model.rs"
    } else if m.contains("unknown variant") || m.contains("no variant") {
        "use one of the listed variants; names are case-sensitive"
    } else if m.contains("expected") && m.contains("string") {
        "strings are written in double quotes: \"like this\""
    } else if m.contains("option") {
        "optional values are written Some(...) or None"
    } else if m.contains("eof") || m.contains("end of file") || m.contains("unexpected end") {
        "a bracket or parenthesis is not closed"
    } else {
        "check the punctuation just before this point: a missing comma, quote or bracket"
    };
    Some(h.to_owned())
}
