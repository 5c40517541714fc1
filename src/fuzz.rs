//! Mutants of the real chapters, to show that hostile scenario data is
//! refused cleanly: no panic, no abort, bounded time and memory.
//!
//! A [`Mutation`] changes a data file's text the ways a careless or hostile
//! author might: a flipped bit, a cut, a line duplicated thousands of times
//! or deleted, a number or string made enormous, nesting made deep, control
//! characters slipped in. [`trial`] applies mutations to one file of a
//! chapter, loads the chapter (and the grand campaign that includes it)
//! from the mutated text, and, if the data still validates, plays it to
//! the end and renders the debrief. The test suite runs a bounded number
//! of mutants (a proptest); `jingkang fuzz --mutants 10000` runs the long
//! version and reports panics, time and peak memory.
//!
//! ```
//! use jingkang::fuzz::{trial, Mutation};
//! let t = trial("pingzhou", 1, &[Mutation::Truncate { at: 100 }]);
//! assert!(!t.loaded && t.problems > 0);
//! ```

use std::fmt;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::content::{self, SourceFile};
use crate::policy::PolicyKind;

/// One change to a file's text. Positions are taken modulo the length of
/// what they index, so any value is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    /// Flip one bit of one byte (the text may stop being UTF-8).
    FlipBit {
        /// Byte position.
        at: usize,
        /// Bit 0–7.
        bit: u8,
    },
    /// Cut the file short.
    Truncate {
        /// Bytes kept.
        at: usize,
    },
    /// Repeat a line.
    DuplicateLine {
        /// Which line.
        line: usize,
        /// How many extra copies (at most 5,000).
        times: usize,
    },
    /// Delete a line.
    DeleteLine {
        /// Which line.
        line: usize,
    },
    /// Replace a number with another, perhaps enormous.
    HugeNumber {
        /// Which number (outside strings).
        nth: usize,
        /// Its new value.
        value: i128,
    },
    /// Replace the text of a string with a long run of one character.
    HugeString {
        /// Which string.
        nth: usize,
        /// How many characters (at most 4,000,000).
        len: usize,
        /// The character.
        ch: char,
    },
    /// Wrap a condition in many `Not(…)`, or open many brackets.
    DeepNesting {
        /// Where (a `when:` or any position).
        at: usize,
        /// How deep (at most 100,000).
        depth: usize,
    },
    /// Insert terminal control characters (ESC, BEL, CSI, U+202E).
    Control {
        /// Position.
        at: usize,
    },
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mutation::FlipBit { at, bit } => write!(f, "flip bit {bit} of byte {at}"),
            Mutation::Truncate { at } => write!(f, "truncate at {at}"),
            Mutation::DuplicateLine { line, times } => {
                write!(f, "duplicate line {line} {times} times")
            }
            Mutation::DeleteLine { line } => write!(f, "delete line {line}"),
            Mutation::HugeNumber { nth, value } => write!(f, "number {nth} becomes {value}"),
            Mutation::HugeString { nth, len, ch } => {
                write!(f, "string {nth} becomes {len} × {ch:?}")
            }
            Mutation::DeepNesting { at, depth } => write!(f, "nesting {depth} deep at {at}"),
            Mutation::Control { at } => write!(f, "control characters at {at}"),
        }
    }
}

fn char_floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Spans (start, end) of string literal contents.
fn strings(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i + 1;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            out.push((start, i.min(b.len())));
        }
        i += 1;
    }
    out
}

/// Spans of numbers outside strings.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_str = true;
            i += 1;
        } else if c.is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Applies one mutation to a text.
#[must_use]
pub fn apply(text: &str, m: &Mutation) -> String {
    if text.is_empty() {
        return String::new();
    }
    match *m {
        Mutation::FlipBit { at, bit } => {
            let mut bytes = text.as_bytes().to_vec();
            let at = at % bytes.len();
            bytes[at] ^= 1 << (bit % 8);
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Mutation::Truncate { at } => text[..char_floor(text, at % text.len())].to_owned(),
        Mutation::DuplicateLine { line, times } => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let k = line % lines.len();
            let mut out = String::with_capacity(text.len());
            for (i, l) in lines.iter().enumerate() {
                out.push_str(l);
                if i == k {
                    for _ in 0..times.min(5_000) {
                        out.push_str(l);
                        if !l.ends_with('\n') {
                            out.push('\n');
                        }
                    }
                }
            }
            out
        }
        Mutation::DeleteLine { line } => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let k = line % lines.len();
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, l)| *l)
                .collect()
        }
        Mutation::HugeNumber { nth, value } => {
            let spans = numbers(text);
            if spans.is_empty() {
                return text.to_owned();
            }
            let (s, e) = spans[nth % spans.len()];
            format!("{}{value}{}", &text[..s], &text[e..])
        }
        Mutation::HugeString { nth, len, ch } => {
            let spans = strings(text);
            if spans.is_empty() {
                return text.to_owned();
            }
            let (s, e) = spans[nth % spans.len()];
            let ch = if ch == '"' || ch == '\\' { 'x' } else { ch };
            let long: String = std::iter::repeat_n(ch, len.min(4_000_000)).collect();
            format!("{}{long}{}", &text[..s], &text[e.min(text.len())..])
        }
        Mutation::DeepNesting { at, depth } => {
            let depth = depth.min(100_000);
            let whens: Vec<usize> = text.match_indices("when: ").map(|(i, _)| i + 6).collect();
            if whens.is_empty() {
                let at = char_floor(text, at % text.len());
                return format!("{}{}{}", &text[..at], "[".repeat(depth), &text[at..]);
            }
            let p = whens[at % whens.len()];
            // Not(Not(…Always…)) around the condition's first token.
            let end = text[p..].find([',', '\n']).map_or(text.len(), |e| p + e);
            format!(
                "{}{}{}{}{}",
                &text[..p],
                "Not(".repeat(depth),
                &text[p..end],
                ")".repeat(depth),
                &text[end..]
            )
        }
        Mutation::Control { at } => {
            let at = char_floor(text, at % text.len());
            format!(
                "{}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}\u{9b}{}",
                &text[..at],
                &text[at..]
            )
        }
    }
}

/// A few random mutations for a text of `len` bytes.
pub fn random(rng: &mut impl Rng, len: usize) -> Vec<Mutation> {
    let n = rng.random_range(1..=3);
    let len = len.max(1);
    (0..n)
        .map(|_| match rng.random_range(0..8) {
            0 => Mutation::FlipBit {
                at: rng.random_range(0..len),
                bit: rng.random_range(0..8),
            },
            1 => Mutation::Truncate {
                at: rng.random_range(0..len),
            },
            2 => Mutation::DuplicateLine {
                line: rng.random_range(0..100_000),
                times: *[1, 2, 10, 500, 3_000]
                    .get(rng.random_range(0..5))
                    .unwrap_or(&1),
            },
            3 => Mutation::DeleteLine {
                line: rng.random_range(0..100_000),
            },
            4 => Mutation::HugeNumber {
                nth: rng.random_range(0..100_000),
                value: *[
                    0,
                    -1,
                    101,
                    i128::from(i32::MAX),
                    i128::from(i32::MIN),
                    i128::from(u16::MAX) + 1,
                    i128::from(i64::MAX),
                    i128::MAX,
                ]
                .get(rng.random_range(0..8))
                .unwrap_or(&0),
            },
            5 => Mutation::HugeString {
                nth: rng.random_range(0..100_000),
                len: *[0, 81, 10_000, 3_000_000]
                    .get(rng.random_range(0..4))
                    .unwrap_or(&0),
                ch: *['a', 'A', '.', '/', '長', '\u{202e}']
                    .get(rng.random_range(0..6))
                    .unwrap_or(&'a'),
            },
            6 => Mutation::DeepNesting {
                at: rng.random_range(0..100_000),
                depth: *[10, 127, 129, 1_000, 100_000]
                    .get(rng.random_range(0..5))
                    .unwrap_or(&10),
            },
            _ => Mutation::Control {
                at: rng.random_range(0..len),
            },
        })
        .collect()
}

/// What a mutant did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Trial {
    /// The mutated chapter still validated (and was played to the end).
    pub loaded: bool,
    /// Problems reported (0 when it loaded).
    pub problems: usize,
    /// The grand campaign including the mutated chapter validated too.
    pub grand_loaded: bool,
}

/// The chapters mutated: every embedded scenario.
#[must_use]
pub fn chapters() -> Vec<String> {
    content::scenario_ids()
}

/// Mutates file `file` (index into [`content::SCENARIO_FILES`], modulo 4)
/// of an embedded chapter, loads it — alone, and inside the grand campaign
/// when the grand campaign includes it — renders every problem found, and
/// plays what still validates to the end (both courts on the recorded
/// policy), rendering the debrief as text and JSON.
#[must_use]
pub fn trial(chapter: &str, file: usize, mutations: &[Mutation]) -> Trial {
    let Some(mut files) = content::embedded_scenario(chapter) else {
        return Trial::default();
    };
    let k = file % files.len().max(1);
    let mut text = files[k].text.to_string();
    for m in mutations {
        text = apply(&text, m);
    }
    files[k] = SourceFile::new(files[k].name.clone(), text);
    let assets = content::embedded_assets();
    let mut t = Trial::default();
    match content::load_scenario(&assets, &files) {
        Ok(s) => {
            t.loaded = true;
            play(s);
        }
        Err(p) => {
            t.problems = p.0.len();
            let _ = p.to_string();
        }
    }
    let grand = "jingkang";
    if chapter != grand
        && let Some(grand_files) = content::embedded_scenario(grand)
    {
        let includes = |id: &str| {
            if id == chapter {
                Some(Ok(files.clone()))
            } else {
                content::embedded_scenario(id).map(Ok)
            }
        };
        match content::load_scenario_with(&assets, &grand_files, &includes) {
            Ok(s) => {
                t.grand_loaded = true;
                play(s);
            }
            Err(p) => {
                let _ = p.to_string();
            }
        }
    }
    t
}

fn play(s: content::Scenario) {
    let s = Arc::new(s);
    let (_, d) = crate::runfile::run_headless(&s, 1, PolicyKind::Recorded, PolicyKind::Recorded);
    for format in [
        crate::report::Format::Text,
        crate::report::Format::Markdown,
        crate::report::Format::Html,
    ] {
        let _ = crate::report::debrief(&d, format, crate::report::DEFAULT_WIDTH);
    }
    let _ = d.to_json();
}

/// The mutant numbered `n` of a fuzz run seeded `seed`: which chapter,
/// which file, which mutations (the same on every machine).
#[must_use]
pub fn mutant(seed: u64, n: u64) -> (String, usize, Vec<Mutation>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(n);
    let chapters = chapters();
    let chapter = chapters
        .get(rng.random_range(0..chapters.len().max(1)))
        .cloned()
        .unwrap_or_default();
    let file = rng.random_range(0..content::SCENARIO_FILES.len());
    let len = content::embedded_scenario(&chapter)
        .and_then(|f| f.get(file).map(|f| f.text.len()))
        .unwrap_or(1);
    (chapter, file, random(&mut rng, len))
}

/// The peak resident memory of this process in bytes, since the start or
/// the last [`reset_peak_memory`] (Linux: `VmHWM` of `/proc/self/status`;
/// `None` elsewhere).
#[must_use]
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets the peak that [`peak_memory`] reports to the memory in use now
/// (Linux: writes 5 to `/proc/self/clear_refs`); false if it cannot.
pub fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_do_what_they_say() {
        let t = "a: 1,\nb: \"xy\",\nwhen: Flag(\"f\"),\n";
        assert_eq!(apply(t, &Mutation::Truncate { at: 4 }), "a: 1");
        assert_eq!(
            apply(t, &Mutation::DeleteLine { line: 0 }),
            "b: \"xy\",\nwhen: Flag(\"f\"),\n"
        );
        assert_eq!(
            apply(t, &Mutation::DuplicateLine { line: 0, times: 2 })
                .matches("a: 1")
                .count(),
            3
        );
        assert!(apply(t, &Mutation::HugeNumber { nth: 0, value: -7 }).starts_with("a: -7,"));
        assert!(
            apply(
                t,
                &Mutation::HugeString {
                    nth: 0,
                    len: 3,
                    ch: 'z'
                }
            )
            .contains("\"zzz\"")
        );
        assert!(
            apply(t, &Mutation::DeepNesting { at: 0, depth: 2 })
                .contains("when: Not(Not(Flag(\"f\")))")
        );
        assert!(apply(t, &Mutation::Control { at: 0 }).contains('\u{1b}'));
        assert_ne!(apply(t, &Mutation::FlipBit { at: 0, bit: 0 }), t);
    }
}
