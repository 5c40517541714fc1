//! Jingkang: a text-based court simulation of the Jin–Song war, 1123–1127.
//!
//! The layers, from data to screen:
//! - [`calendar`] — the lunar months of 1122–1127 in both courts' eras;
//! - [`content`] — RON data loaded, validated and pinned to `file:line:col`;
//! - [`sim`] — the campaign as a Bevy ECS app ([`sim::Campaign`]);
//! - [`policy`] — how a court decides when no person does;
//! - [`geo`] — the Yellow River and the coast, for every map;
//! - [`history`] — the record, and [`history::compare`] → debrief;
//! - [`class`] — the class summary from the run files students hand in;
//! - [`report`] — the debrief and other reports, rendered by templates to
//!   text, Markdown and HTML;
//! - [`runfile`] — run files and saves, written atomically and versioned;
//! - [`pace`] — full texts, or the short ones written for a lesson;
//! - [`view`] — the session and view model both front ends draw;
//! - [`plain`] — the line-mode front end;
//! - [`tui`] — the full-screen front end (ratatui).

pub mod calendar;
pub mod class;
pub mod clean;
pub mod content;
pub mod explore;
pub mod figures;
pub mod fsio;
pub mod fuzz;
pub mod geo;
pub mod history;
pub mod id;
pub mod lookup;
pub mod modeldoc;
pub mod pace;
pub mod plain;
pub mod policy;
pub mod report;
pub mod runfile;
pub mod sim;
pub mod tui;
pub mod view;
