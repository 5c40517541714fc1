//! Wrapping styled text to a pane's width, by display width (a character
//! such as 李 takes two columns), so panes know exactly how many lines they
//! hold and can scroll precisely.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// Display width of a string in terminal columns.
#[must_use]
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Wraps styled pieces of one paragraph to `width` columns. The first line
/// starts with `prefix` (unstyled); following lines are indented by `indent`
/// spaces. Words longer than a line are cut.
#[must_use]
pub fn para(
    prefix: &str,
    pieces: &[(&str, Style)],
    width: usize,
    indent: usize,
) -> Vec<Line<'static>> {
    let width = width.max(indent + 4).max(self::width(prefix) + 4);
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = self::width(prefix);
    let mut has_word = false;
    if !prefix.is_empty() {
        spans.push(Span::raw(prefix.to_owned()));
    }
    let start_line = |spans: &mut Vec<Span<'static>>, lines: &mut Vec<Line<'static>>| {
        lines.push(Line::from(std::mem::take(spans)));
        if indent > 0 {
            spans.push(Span::raw(" ".repeat(indent)));
        }
        indent
    };
    for (text, style) in pieces {
        for word in text.split_whitespace() {
            let mut word = word.to_owned();
            loop {
                let w = self::width(&word);
                let gap = usize::from(has_word);
                if used + gap + w <= width {
                    if has_word {
                        spans.push(Span::raw(" "));
                    }
                    spans.push(Span::styled(word, *style));
                    used += gap + w;
                    has_word = true;
                    break;
                }
                if has_word {
                    used = start_line(&mut spans, &mut lines);
                    has_word = false;
                    continue;
                }
                // A word longer than the line: cut it.
                let room = width - used;
                let (head, tail) = split_at_width(&word, room.max(1));
                spans.push(Span::styled(head, *style));
                used = start_line(&mut spans, &mut lines);
                if tail.is_empty() {
                    break;
                }
                word = tail;
            }
        }
    }
    if has_word || !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// Wraps plain text: each `\n`-separated paragraph on its own, in one style.
#[must_use]
pub fn plain(text: &str, style: Style, width: usize, indent: usize) -> Vec<Line<'static>> {
    let pad = " ".repeat(indent);
    text.split('\n')
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| para(&pad, &[(p, style)], width, indent))
        .collect()
}

/// Cuts a string at a display width: the head fits in `cols` columns.
#[must_use]
pub fn split_at_width(s: &str, cols: usize) -> (String, String) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = UnicodeWidthStr::width(c.encode_utf8(&mut [0; 4]) as &str);
        if used + w > cols {
            if i == 0 {
                // Not even one character fits: take it anyway to make progress.
                let n = c.len_utf8();
                return (s[..n].to_owned(), s[n..].to_owned());
            }
            return (s[..i].to_owned(), s[i..].to_owned());
        }
        used += w;
    }
    (s.to_owned(), String::new())
}

/// Cuts a string to fit `cols` columns, ending with `…` if cut.
#[must_use]
pub fn fit(s: &str, cols: usize) -> String {
    if width(s) <= cols {
        return s.to_owned();
    }
    let (head, _) = split_at_width(s, cols.saturating_sub(1));
    format!("{head}…")
}

/// Two columns side by side, each wrapped to its half (a `│` between).
#[must_use]
pub fn columns(
    left: Vec<Line<'static>>,
    right: Vec<Line<'static>>,
    left_width: usize,
) -> Vec<Line<'static>> {
    let n = left.len().max(right.len());
    let mut out = Vec::with_capacity(n);
    let mut l = left.into_iter();
    let mut r = right.into_iter();
    for _ in 0..n {
        let mut spans: Vec<Span<'static>> = Vec::new();
        let lw = match l.next() {
            Some(line) => {
                let w = line.width();
                spans.extend(line.spans);
                w
            }
            None => 0,
        };
        spans.push(Span::raw(" ".repeat(left_width.saturating_sub(lw))));
        spans.push(Span::raw(" │ "));
        if let Some(line) = r.next() {
            spans.extend(line.spans);
        }
        out.push(Line::from(spans));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_by_display_width_with_a_hanging_indent() {
        let lines = para(
            "◆ ",
            &[(
                "Li Gang 李綱 speaks for defending the walls",
                Style::default(),
            )],
            16,
            2,
        );
        assert_eq!(
            texts(&lines),
            [
                "◆ Li Gang 李綱",
                "  speaks for",
                "  defending the",
                "  walls"
            ]
        );
        for l in &lines {
            assert!(l.width() <= 16);
        }
    }

    #[test]
    fn long_words_are_cut_and_empty_text_is_empty() {
        let lines = para("", &[("abcdefghijkl", Style::default())], 5, 0);
        assert_eq!(texts(&lines), ["abcde", "fghij", "kl"]);
        assert!(para("", &[("", Style::default())], 10, 0).is_empty());
        assert_eq!(fit("Kaifeng", 4), "Kai…");
        assert_eq!(fit("開封府", 5), "開封…");
    }

    #[test]
    fn columns_line_up() {
        let l = plain("one two three", Style::default(), 7, 0);
        let r = plain("four", Style::default(), 7, 0);
        let both = columns(l, r, 7);
        assert_eq!(texts(&both), ["one two │ four", "three   │ "]);
    }
}
