//! The one integration-test binary (every extra binary links Bevy again).
//!
//! Each module has a one-line charter.

mod util;

/// The class summary from run files: counts, groups, refusals, CSV, and the HTML in a real browser.
mod class;
/// Malformed data gives the expected message at the expected line and column.
mod data_errors;
/// Determinism: same seed and decisions, same chronicle and debrief; replay matches.
mod determinism;
/// The engine's rules on a tiny inline scenario.
mod engine;
/// The explorer: decisions, tags, usage errors, reports, shards, threads, importance, bench.
mod explore;
/// The explorer's fast path gives the full path's summaries, on any thread count.
mod fast;
/// Mutants of the real chapters: refused with reasons or played, never a panic.
mod fuzz;
/// Volume and grounding of the content; history, who, where and term.
mod library;
/// The model bends but does not break: recorded course likely, endings reachable, decisions matter.
mod model;
/// The plain front end, driven through the real binary with piped stdin.
mod play;
/// Reports: one debrief structure rendered by templates to text, Markdown and HTML; the HTML and the class summary checked in a real browser.
mod report;
/// Saves: atomic, versioned, refused when corrupt or from other data.
mod saves;
/// The Bevy schedule: no system-order ambiguities.
mod schedule;
/// Teaching: the brief pace fits a lesson; reasons and the player's name reach the run file and debrief.
mod teaching;
/// The full-screen interface: snapshots at 80×24 and 120×40, its game flow, and the binary in a pty.
mod tui;
