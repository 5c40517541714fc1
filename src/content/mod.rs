//! Loading and validating the game's data: the `scenario` layer.
//!
//! The main types: [`Library`] (the shared facts of `assets/`: calendar,
//! people, places, sources, glossary, timeline) and [`Scenario`] (one
//! validated, immutable scenario with its library). Both come from RON text
//! through [`load_library`] and [`load_scenario`]; every problem is a
//! [`Problem`] pinned to `file:line:col` with a hint on how to fix it.
//!
//! The binary embeds `assets/` and `scenarios/`, so [`embedded_assets`] and
//! [`embedded_scenario`] work from any folder; [`read_scenario_dir`] reads a
//! scenario folder from disk for authoring and mods.
//!
//! ```
//! let scenario = jingkang::content::load_embedded("pingzhou").unwrap();
//! assert_eq!(scenario.meta.id, "pingzhou");
//! ```

pub mod diag;
pub mod model;
pub mod rules;
mod validate;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use serde::de::DeserializeOwned;

pub use diag::{Problem, Problems, SourceFile};

use crate::calendar::{Calendar, MonthIdx};
use model::{Court, Decision, Ending, Event, Person, Place, Source, Term, Timeline};

static ASSETS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets");
static SCENARIOS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/scenarios");

/// The asset files, in load order.
pub const ASSET_FILES: [&str; 7] = [
    "calendar.ron",
    "sources.ron",
    "people.ron",
    "places.ron",
    "glossary.ron",
    "timeline.ron",
    "rules.ron",
];

/// The files of a scenario folder (`scenario.ron` required, the rest optional).
pub const SCENARIO_FILES: [&str; 4] =
    ["scenario.ron", "events.ron", "decisions.ron", "endings.ron"];

/// The shared facts: calendar, people, places, sources, glossary, timeline.
#[derive(Debug)]
pub struct Library {
    /// The war model's parameters.
    pub rules: rules::Rules,
    /// The calendar.
    pub calendar: Calendar,
    /// Sources by id.
    pub sources: BTreeMap<String, Source>,
    /// People by id.
    pub people: BTreeMap<String, Person>,
    /// Places by id.
    pub places: BTreeMap<String, Place>,
    /// Glossary terms in file order.
    pub glossary: Vec<Term>,
    /// The recorded timeline and milestones.
    pub timeline: Timeline,
    /// Recorded month of each milestone.
    pub milestone_months: BTreeMap<String, Option<MonthIdx>>,
    /// Month of each timeline entry, in file order.
    pub entry_months: Vec<MonthIdx>,
}

/// One validated scenario.
#[derive(Debug)]
pub struct Scenario {
    /// The scenario file.
    pub meta: model::ScenarioFile,
    /// The shared facts.
    pub library: Arc<Library>,
    /// First month.
    pub start: MonthIdx,
    /// Last month.
    pub end: MonthIdx,
    /// Events in file order.
    pub events: Vec<Event>,
    /// Months of each event: (from, until).
    pub event_windows: Vec<(MonthIdx, MonthIdx)>,
    /// The recorded month of each event whose window is wider (`on`).
    pub event_on: Vec<Option<MonthIdx>>,
    /// Decisions by id.
    pub decisions: BTreeMap<String, Decision>,
    /// Endings in file order.
    pub endings: Vec<Ending>,
    /// Hash of every file that went into it (assets and scenario).
    pub content_hash: String,
}

impl Scenario {
    /// The calendar.
    #[must_use]
    pub fn calendar(&self) -> &Calendar {
        &self.library.calendar
    }

    /// Parses a month id known to be valid (validated at load).
    #[must_use]
    pub fn month(&self, id: &str) -> MonthIdx {
        self.library.calendar.parse_id(id).unwrap_or(self.start)
    }

    /// An ending by id.
    #[must_use]
    pub fn ending(&self, id: &str) -> Option<&Ending> {
        self.endings.iter().find(|e| e.id == id)
    }

    /// A person's display name with characters: `Li Gang 李綱`.
    #[must_use]
    pub fn person_name(&self, id: &str) -> String {
        self.library.people.get(id).map_or_else(
            || id.to_owned(),
            |p| format!("{} {}", p.name, p.chars).trim().to_owned(),
        )
    }

    /// A place's display name.
    #[must_use]
    pub fn place_name(&self, id: &str) -> String {
        self.library
            .places
            .get(id)
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    }

    /// Short citations for source ids: `SS-472, JS-133`.
    #[must_use]
    pub fn cite(&self, ids: &[String]) -> String {
        if ids.is_empty() {
            return "no source".to_owned();
        }
        ids.join(", ")
    }

    /// The ending matching the record for a court.
    #[must_use]
    pub fn recorded_ending(&self, court: Court) -> Option<&Ending> {
        self.meta
            .recorded_ending
            .get(&court)
            .and_then(|id| self.ending(id))
    }
}

fn dir_files(dir: &Dir<'_>, prefix: &str, names: &[&str]) -> Vec<SourceFile> {
    names
        .iter()
        .filter_map(|n| {
            let f = dir.get_file(dir.path().join(n))?;
            Some(SourceFile {
                name: format!("{prefix}{n}"),
                text: String::from_utf8_lossy(f.contents()).into_owned(),
            })
        })
        .collect()
}

/// The embedded `assets/` files.
#[must_use]
pub fn embedded_assets() -> Vec<SourceFile> {
    dir_files(&ASSETS, "assets/", &ASSET_FILES)
}

/// Ids of the embedded scenarios, sorted, the grand campaign first if present.
#[must_use]
pub fn scenario_ids() -> Vec<String> {
    let mut ids: Vec<String> = SCENARIOS
        .dirs()
        .filter(|d| d.get_file(d.path().join("scenario.ron")).is_some())
        .filter_map(|d| d.path().file_name()?.to_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// The embedded files of a scenario folder.
#[must_use]
pub fn embedded_scenario(id: &str) -> Option<Vec<SourceFile>> {
    let dir = SCENARIOS.get_dir(id)?;
    let files = dir_files(dir, &format!("scenarios/{id}/"), &SCENARIO_FILES);
    (!files.is_empty()).then_some(files)
}

/// Reads a scenario folder (or a file inside one) from disk.
///
/// # Errors
/// The folder has no `scenario.ron` or a file cannot be read.
#[expect(
    clippy::result_large_err,
    reason = "a problem carries its file's text for rendering; it is rare and returned once"
)]
pub fn read_scenario_dir(path: &Path) -> Result<Vec<SourceFile>, Problem> {
    let dir = if path.is_file() {
        path.parent().unwrap_or(Path::new("."))
    } else {
        path
    };
    let display = dir.display().to_string();
    if !dir.join("scenario.ron").is_file() {
        return Err(Problem::unreadable(
            &display,
            format!("{display} is not a scenario folder: it has no scenario.ron"),
        ));
    }
    let mut files = Vec::new();
    for n in SCENARIO_FILES {
        let p = dir.join(n);
        if p.is_file() {
            let text = std::fs::read_to_string(&p).map_err(|e| {
                Problem::unreadable(&p.display().to_string(), format!("cannot read: {e}"))
            })?;
            files.push(SourceFile {
                name: p.display().to_string(),
                text,
            });
        }
    }
    Ok(files)
}

/// Parses one RON file.
///
/// # Errors
/// The RON is malformed or does not fit the type; the problem carries the
/// position RON reports.
#[expect(
    clippy::result_large_err,
    reason = "a problem carries its file's text for rendering; it is rare and returned once"
)]
pub fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Problem> {
    ron::Options::default()
        .from_str::<T>(&file.text)
        .map_err(|e| diag::from_ron(file, &e))
}

fn find<'a>(files: &'a [SourceFile], name: &str) -> Option<&'a SourceFile> {
    files
        .iter()
        .find(|f| f.name.ends_with(&format!("/{name}")) || f.name == name)
}

/// Loads and validates the shared facts.
///
/// # Errors
/// Every problem found, each with its position.
pub fn load_library(assets: &[SourceFile]) -> Result<Library, Problems> {
    validate::library(assets)
}

/// Loads and validates a scenario against the shared facts.
///
/// # Errors
/// Every problem found, each with its position.
pub fn load_scenario(assets: &[SourceFile], files: &[SourceFile]) -> Result<Scenario, Problems> {
    let library = Arc::new(load_library(assets)?);
    let mut hasher = blake3::Hasher::new();
    hasher.update(&rules::RULES_VERSION.to_le_bytes());
    for f in assets.iter().chain(files) {
        let name = f.name.rsplit('/').next().unwrap_or(&f.name);
        hasher.update(name.as_bytes());
        hasher.update(&[0]);
        hasher.update(f.text.as_bytes());
        hasher.update(&[0]);
    }
    let hash = hasher.finalize().to_hex()[..16].to_owned();
    validate::scenario(library, files, hash)
}

/// Loads an embedded scenario by id.
///
/// # Errors
/// No such scenario, or its data has problems.
pub fn load_embedded(id: &str) -> Result<Scenario, Problems> {
    let Some(files) = embedded_scenario(id) else {
        return Err(Problems(vec![Problem::unreadable(
            id,
            format!(
                "there is no scenario \"{id}\"; the embedded ones are: {}",
                scenario_ids().join(", ")
            ),
        )]));
    };
    load_scenario(&embedded_assets(), &files)
}

/// The embedded calendar alone.
///
/// # Errors
/// The calendar file is malformed (a build problem).
pub fn embedded_calendar() -> Result<Calendar, Problems> {
    let assets = embedded_assets();
    let file = find(&assets, "calendar.ron").ok_or_else(|| {
        Problems(vec![Problem::unreadable(
            "assets/calendar.ron",
            "missing".into(),
        )])
    })?;
    let parsed: model::Calendar = parse(file).map_err(|p| Problems(vec![p]))?;
    Calendar::from_file(&parsed)
        .map_err(|e| Problems(vec![Problem::whole(file, e.to_string(), None)]))
}
