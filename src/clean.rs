//! Nothing reaches the terminal raw.
//!
//! Scenario text, saves, file names and what a person types may carry
//! characters a terminal obeys rather than shows: C0 controls (ESC starts
//! the sequences that retitle a window or clear the screen, BEL rings),
//! DEL, C1 controls (U+0080–U+009F; U+009B is a one-character CSI), and the
//! bidirectional overrides and isolates that make text display in another
//! order than it is stored (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//! U+061C). [`clean`] drops them from a string (newline and tab are kept);
//! [`CleanWriter`] drops them from everything written through it, which is
//! how every line-mode and command-line output leaves the program; the
//! full-screen interface cleans every cell it draws
//! ([`clean_buffer`]).
//!
//! ```
//! assert_eq!(jingkang::clean::clean("a\u{1b}]0;pwned\u{7}b\u{202e}c\n"), "a]0;pwnedbc\n");
//! ```

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether a character must not reach a terminal.
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The text without characters a terminal would obey (newline and tab are
/// kept).
#[must_use]
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_unsafe) {
        Cow::Owned(s.chars().filter(|c| !is_unsafe(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// A writer that drops unsafe characters from everything written through
/// it. Bytes that are not UTF-8 are dropped too (a lone byte 0x9B is a CSI
/// to some terminals); a character split across two writes is held until
/// its end arrives.
#[derive(Debug)]
pub struct CleanWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> CleanWriter<W> {
    /// Wraps a writer.
    pub fn new(inner: W) -> CleanWriter<W> {
        CleanWriter {
            inner,
            pending: Vec::new(),
        }
    }

    /// The wrapped writer.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }
}

impl<W: Write> Write for CleanWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut out = String::new();
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    out.extend(s.chars().filter(|c| !is_unsafe(*c)));
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    out.extend(
                        std::str::from_utf8(good)
                            .unwrap_or_default()
                            .chars()
                            .filter(|c| !is_unsafe(*c)),
                    );
                    match e.error_len() {
                        // Not UTF-8: drop the bad bytes and go on.
                        Some(n) => rest = &bad[n..],
                        // An incomplete character at the end: keep it.
                        None => {
                            rest = bad;
                            break;
                        }
                    }
                }
            }
        }
        self.pending = rest.to_vec();
        self.inner.write_all(out.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Cleans every cell of a drawn buffer: a cell whose symbol holds an
/// unsafe character shows it without.
pub fn clean_buffer(buf: &mut ratatui::buffer::Buffer) {
    for cell in &mut buf.content {
        if cell.symbol().chars().any(is_unsafe) {
            let cleaned: String = cell.symbol().chars().filter(|c| !is_unsafe(*c)).collect();
            cell.set_symbol(if cleaned.is_empty() { " " } else { &cleaned });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_go_and_text_stays() {
        let hostile = "A\u{1b}[2J\u{1b}]0;title\u{7}B\u{9b}31mC\u{202e}D\u{2066}E\r\n\tF";
        assert_eq!(clean(hostile), "A[2J]0;titleB31mCDE\n\tF");
        assert!(matches!(clean("李綱 — fine"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_writer_cleans_across_split_writes_and_drops_bad_bytes() {
        let mut w = CleanWriter::new(Vec::new());
        let text = "x\u{202e}y 長";
        let bytes = text.as_bytes();
        for b in bytes {
            w.write_all(&[*b]).expect("write");
        }
        w.write_all(b"\x1b[31m\x9b!\n").expect("write");
        assert_eq!(String::from_utf8(w.inner).expect("utf-8"), "xy 長[31m!\n");
    }
}
