//! Problems found while loading data, each pinned to `file:line:col`.

use std::fmt;

use miette::{Diagnostic, NamedSource, SourceSpan};

/// A data file as text, with the name shown in messages.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Display name, e.g. `scenarios/pingzhou/decisions.ron`.
    pub name: String,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// Byte offset of a 1-based line and column (column counted in chars).
    #[must_use]
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let mut offset = 0;
        for (i, l) in self.text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let chars: usize = l
                    .char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
                return offset + chars;
            }
            offset += l.len();
        }
        self.text.len()
    }

    /// 1-based line and column of a byte offset.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// Offset of the `nth` (0-based) occurrence of `"value"` (the opening
    /// quote), searching `key: "value"` first when a key is given.
    #[must_use]
    pub fn find_string(&self, key: Option<&str>, value: &str, nth: usize) -> Option<usize> {
        let quoted = format!("\"{value}\"");
        if let Some(key) = key {
            let mut found = 0;
            for (pos, _) in self.text.match_indices(&quoted) {
                let before = self.text[..pos].trim_end();
                if before.ends_with(':') && before[..before.len() - 1].trim_end().ends_with(key) {
                    if found == nth {
                        return Some(pos);
                    }
                    found += 1;
                }
            }
        }
        self.text.match_indices(&quoted).nth(nth).map(|(p, _)| p)
    }
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
    src: NamedSource<String>,
    #[label("here")]
    span: SourceSpan,
}

impl Problem {
    /// A problem at a byte offset of a file.
    #[must_use]
    pub fn at(file: &SourceFile, offset: usize, message: String, help: Option<String>) -> Problem {
        let (line, col) = file.line_col(offset);
        let len = file.text[offset.min(file.text.len())..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        Problem {
            file: file.name.clone(),
            line,
            col,
            message,
            help,
            src: NamedSource::new(file.name.clone(), file.text.clone()),
            span: SourceSpan::new(offset.min(file.text.len()).into(), len),
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
            message,
            help: None,
            src: NamedSource::new(name, String::new()),
            span: SourceSpan::new(0.into(), 0),
        }
    }

    /// Plain rendering: `file:line:col: message`, the line itself with a
    /// caret under the column, and the help text.
    #[must_use]
    pub fn plain(&self) -> String {
        let mut out = format!("error: {}", self);
        let text = self.src.inner();
        if let Some(line) = text.lines().nth(self.line.saturating_sub(1)) {
            let shown: String = line.chars().take(160).collect();
            let pad: String = line
                .chars()
                .take(self.col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("\n  {:>4} | {shown}\n       | {pad}^", self.line));
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", p.plain())?;
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
