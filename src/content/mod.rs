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
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use serde::de::DeserializeOwned;

pub use diag::{Problem, Problems, SourceFile, quoted, shorten};

use crate::calendar::{Calendar, MonthIdx};
use crate::fsio;
use model::{Court, Decision, Ending, Event, Id, Person, Place, Source, Term, Timeline};

static ASSETS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets");
static SCENARIOS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/scenarios");

/// The version of the rules the engine plays by. It is part of every
/// content hash, so a save made under other rules is refused; raise it
/// whenever a change to the engine changes how a run plays out.
pub const RULES_VERSION: u32 = rules::RULES_VERSION;

/// The asset files the library is built from (every `.ron` file in
/// `assets/` is part of the content hash, these and any other).
pub const ASSET_FILES: [&str; 7] = [
    "calendar.ron",
    "sources.ron",
    "people.ron",
    "places.ron",
    "glossary.ron",
    "timeline.ron",
    "rules.ron",
];

/// The files of a scenario folder, all required (an empty list is written
/// `EventsFile(events: [])`, `DecisionsFile(decisions: [])`).
pub const SCENARIO_FILES: [&str; 4] =
    ["scenario.ron", "events.ron", "decisions.ron", "endings.ron"];

/// The most `.ron` files read from a scenario's own `assets/` folder.
pub const MAX_ASSET_FILES: usize = 64;

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

impl Library {
    /// A month id of the library's data, or `"after"` (the month after the
    /// calendar ends).
    fn month_or_after(&self, id: &str) -> Option<MonthIdx> {
        if id == model::AFTER {
            return Some(MonthIdx(
                u16::try_from(self.calendar.len()).unwrap_or(u16::MAX),
            ));
        }
        self.calendar.parse_id(id)
    }

    /// A text and its dated continuations, as the record holds them before
    /// the month `now` (`None`: all of it, once the game is over).
    #[must_use]
    pub fn known(&self, text: &str, later: &[model::Later], now: Option<MonthIdx>) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if !text.trim().is_empty() {
            parts.push(text.trim());
        }
        for l in later {
            let shown = match now {
                None => true,
                Some(now) => self.month_or_after(&l.from).is_some_and(|m| m < now),
            };
            if shown {
                parts.push(l.text.trim());
            }
        }
        parts.join(" ")
    }

    /// A person's office in a month: the first dated office that covers it,
    /// else the person's neutral role (empty if there is none) — never an
    /// office held only later.
    #[must_use]
    pub fn office_in(&self, person: &str, month: MonthIdx) -> String {
        let Some(p) = self.people.get(person) else {
            return String::new();
        };
        p.offices
            .iter()
            .find(|o| {
                let from = self.calendar.parse_id(&o.from);
                let until = self.calendar.parse_id(&o.until);
                matches!((from, until), (Some(a), Some(b)) if a <= month && month <= b)
            })
            .map(|o| o.title.clone())
            .unwrap_or_else(|| p.role.clone())
    }
}

/// One validated scenario.
#[derive(Debug, Clone)]
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
    /// For each month of the calendar, the positions of the events whose
    /// window contains it, in file order: the month's candidates, so a
    /// month does not look at every event of the campaign.
    pub events_by_month: Vec<Vec<u32>>,
    /// The same for the events marked `late` only (what the chronicle
    /// phase looks at after the war has moved).
    pub late_events_by_month: Vec<Vec<u32>>,
    /// The places as the simulation reads them: distances and model rules
    /// by id, computed once.
    pub geo: Geo,
    /// The decisions again, for look-ups by identity.
    pub decision_by_id: crate::id::IdMap<Decision>,
    /// Decisions by id.
    pub decisions: BTreeMap<Id, Decision>,
    /// Endings in file order.
    pub endings: Vec<Ending>,
    /// Hash of everything that changes a run: [`RULES_VERSION`], every asset
    /// file, the scenario's files and those of every chapter it includes.
    pub content_hash: String,
}

/// The places of the library as the simulation reads them, month after
/// month: every distance between two places in km (computed once, the way
/// `sim::model::km` computes it) and the model's rules for each place, found
/// by id without comparing text.
#[derive(Debug, Clone, Default)]
pub struct Geo {
    slot: crate::id::IdMap<usize>,
    n: usize,
    km: Vec<i64>,
    rules: Vec<rules::PlaceRules>,
}

impl Geo {
    /// Builds the table from the library's places and the rules' places.
    #[must_use]
    pub fn new(
        places: &BTreeMap<String, Place>,
        place_rules: &BTreeMap<String, rules::PlaceRules>,
        km: impl Fn((f64, f64), (f64, f64)) -> i64,
    ) -> Geo {
        let list: Vec<(&String, &Place)> = places.iter().collect();
        let n = list.len();
        let mut g = Geo {
            n,
            km: vec![0; n * n],
            ..Geo::default()
        };
        for (i, (id, p)) in list.iter().enumerate() {
            g.slot.insert(Id::new(id), i);
            g.rules
                .push(place_rules.get(id.as_str()).cloned().unwrap_or_default());
            for (j, (_, q)) in list.iter().enumerate() {
                g.km[i * n + j] = km((p.lat, p.lon), (q.lat, q.lon));
            }
        }
        g
    }

    /// Km between two places of the library; none if either is unknown.
    #[must_use]
    pub fn km(&self, a: impl crate::id::AsId, b: impl crate::id::AsId) -> Option<i64> {
        let (i, j) = (self.slot.get(a)?, self.slot.get(b)?);
        self.km.get(i * self.n + j).copied()
    }

    /// The rules' entry for a place (defaults when it has none); none for a
    /// place the library does not hold.
    #[must_use]
    pub fn rules(&self, p: impl crate::id::AsId) -> Option<&rules::PlaceRules> {
        self.rules.get(*self.slot.get(p)?)
    }

    /// Whether a place lies north of the Yellow River.
    #[must_use]
    pub fn north(&self, p: impl crate::id::AsId) -> bool {
        self.rules(p).is_some_and(|r| r.north)
    }
}

impl Scenario {
    /// A decision by id.
    #[must_use]
    pub fn decision(&self, id: impl crate::id::AsId) -> Option<&Decision> {
        self.decision_by_id.get(id)
    }

    /// The positions of the events whose window contains a month, in file
    /// order.
    #[must_use]
    pub fn events_in(&self, month: MonthIdx) -> &[u32] {
        self.events_by_month
            .get(usize::from(month.0))
            .map_or(&[], Vec::as_slice)
    }

    /// The positions of the `late` events whose window contains a month, in
    /// file order.
    #[must_use]
    pub fn late_events_in(&self, month: MonthIdx) -> &[u32] {
        self.late_events_by_month
            .get(usize::from(month.0))
            .map_or(&[], Vec::as_slice)
    }

    /// [`Scenario::events_by_month`] from the events' windows.
    #[must_use]
    pub fn index_events(windows: &[(MonthIdx, MonthIdx)], months: usize) -> Vec<Vec<u32>> {
        let mut by: Vec<Vec<u32>> = vec![Vec::new(); months];
        for (i, (from, until)) in windows.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let last = usize::from(until.0).min(months.saturating_sub(1));
            for m in by.iter_mut().take(last + 1).skip(usize::from(from.0)) {
                m.push(i);
            }
        }
        by
    }

    /// The calendar.
    #[must_use]
    pub fn calendar(&self) -> &Calendar {
        &self.library.calendar
    }

    /// Parses a month id of this scenario's data (every one was checked at
    /// load); `None` for an id that is not a month of the calendar.
    #[must_use]
    pub fn month(&self, id: &str) -> Option<MonthIdx> {
        self.library.calendar.parse_id(id)
    }

    /// [`Scenario::month`] for an id, without parsing the calendar's own
    /// spellings.
    #[must_use]
    pub fn month_of(&self, id: Id) -> Option<MonthIdx> {
        self.library.calendar.find(id)
    }

    /// A month id in a court's reckoning, `Xuanhe 5, 6th month`; an id
    /// that is not a month of the calendar is shown as itself, marked so.
    #[must_use]
    pub fn short_label(&self, id: &str, court: Court) -> String {
        self.month(id).map_or_else(
            || format!("{} (not a month of the calendar)", shorten(id, 40)),
            |m| self.calendar().short_label(m, court),
        )
    }

    /// A month id in the Song reckoning with its Julian days; an id that is
    /// not a month of the calendar is shown as itself, marked so.
    #[must_use]
    pub fn song_label(&self, id: &str) -> String {
        self.month(id).map_or_else(
            || format!("{} (not a month of the calendar)", shorten(id, 40)),
            |m| self.calendar().song_label(m),
        )
    }

    /// The first month a decision can come before a council: the start of
    /// the window of the earliest event that raises it.
    #[must_use]
    pub fn opened(&self, decision: &str) -> Option<MonthIdx> {
        self.events
            .iter()
            .zip(&self.event_windows)
            .filter(|(e, _)| e.decision.as_deref() == Some(decision))
            .map(|(_, (from, _))| *from)
            .min()
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

fn embedded_file(prefix: &str, f: &include_dir::File<'_>) -> Option<SourceFile> {
    let name = f.path().file_name()?.to_str()?;
    Some(SourceFile::new(
        format!("{prefix}{name}"),
        fsio::text(f.contents()),
    ))
}

/// The embedded `assets/` files: every `.ron` file, sorted by name.
#[must_use]
pub fn embedded_assets() -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = ASSETS
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "ron"))
        .filter_map(|f| embedded_file("assets/", f))
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// Ids of the embedded scenarios, sorted.
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
    if !is_id(id) {
        return None;
    }
    let dir = SCENARIOS.get_dir(id)?;
    let prefix = format!("scenarios/{id}/");
    let files: Vec<SourceFile> = SCENARIO_FILES
        .iter()
        .filter_map(|n| embedded_file(&prefix, dir.get_file(dir.path().join(n))?))
        .collect();
    (!files.is_empty()).then_some(files)
}

/// Whether a text is a well-formed id of a scenario item: lower-case
/// letters, digits, `_`, `.` and `-`, starting with a letter or digit
/// (`[a-z0-9][a-z0-9_.-]*`), at most [`MAX_ID_CHARS`] long.
#[must_use]
pub fn is_id(s: &str) -> bool {
    s.len() <= MAX_ID_CHARS
        && s.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-')
        })
}

/// Whether a text is a well-formed source id: letters of either case,
/// digits, `_`, `.` and `-`, starting with a letter or digit
/// (`[A-Za-z0-9][A-Za-z0-9_.-]*`: `SS-472`, `Ebrey-2014`), at most
/// [`MAX_ID_CHARS`] long.
#[must_use]
pub fn is_source_id(s: &str) -> bool {
    s.len() <= MAX_ID_CHARS
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// The longest id, in bytes.
pub const MAX_ID_CHARS: usize = 80;

fn read_problem(path: &Path, e: &fsio::ReadError) -> Problem {
    let name = path.display().to_string();
    let help = match e {
        fsio::ReadError::Missing => {
            "every scenario folder has scenario.ron, events.ron, decisions.ron and endings.ron; an empty list is written EventsFile(events: []), DecisionsFile(decisions: []) or EndingsFile(endings: [])"
        }
        fsio::ReadError::Symlink => "copy the file into the folder instead of linking to it",
        fsio::ReadError::NotRegular(_) => "replace it with a plain RON text file",
        fsio::ReadError::TooLarge { .. } => "data files are at most 16 MB",
        fsio::ReadError::Io(_) => "check the file's permissions",
    };
    Problem::unreadable(&name, format!("cannot read {name}: {e}")).with_help(help)
}

#[expect(
    clippy::result_large_err,
    reason = "a problem carries its file's text for rendering; it is rare and returned once"
)]
fn read_data_file(path: &Path) -> Result<SourceFile, Problem> {
    let bytes = fsio::read_bounded(path, fsio::MAX_DATA_FILE, fsio::Links::Refuse)
        .map_err(|e| read_problem(path, &e))?;
    Ok(SourceFile::new(
        path.display().to_string(),
        fsio::text(&bytes),
    ))
}

/// The folder of a scenario given as a folder or a file inside one.
fn scenario_folder(path: &Path) -> &Path {
    if path.is_file() {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    } else {
        path
    }
}

/// Reads a scenario folder (or a file inside one) from disk: its four
/// files, each a plain file (not a link, folder, FIFO or device) of at most
/// 16 MB. A missing file is reported, not skipped.
///
/// # Errors
/// The folder has no `scenario.ron`, or a file cannot be read.
pub fn read_scenario_dir(path: &Path) -> Result<Vec<SourceFile>, Problems> {
    let dir = scenario_folder(path);
    let display = dir.display().to_string();
    if !dir.is_dir() {
        return Err(Problems(vec![Problem::unreadable(
            &display,
            format!("{display} is not a folder"),
        )]));
    }
    if fs::symlink_metadata(dir.join("scenario.ron")).is_err() {
        return Err(Problems(vec![Problem::unreadable(
            &display,
            format!("{display} is not a scenario folder: it has no scenario.ron"),
        )]));
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for n in SCENARIO_FILES {
        match read_data_file(&dir.join(n)) {
            Ok(f) => files.push(f),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(Problems(problems))
    }
}

/// The `assets/` folder a scenario folder on disk ships, if any: the first
/// of `<folder>/assets`, `<folder>/../assets` and `<folder>/../../assets`
/// that is a real folder (so `scenarios/<id>` in a copy of the project
/// finds the project's `assets/`).
#[must_use]
pub fn assets_folder_for(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    [
        Some(dir.as_path()),
        dir.parent(),
        dir.parent().and_then(Path::parent),
    ]
    .into_iter()
    .flatten()
    .map(|d| d.join("assets"))
    .find(|a| fs::symlink_metadata(a).is_ok_and(|m| m.is_dir()))
}

/// The assets for a scenario folder on disk: the `.ron` files of the
/// folder [`assets_folder_for`] finds, and the embedded ones for any file
/// it does not have.
///
/// # Errors
/// A file in that folder cannot be read (a link, not a plain file, too
/// large) or the folder holds too many files.
pub fn assets_for(dir: &Path) -> Result<Vec<SourceFile>, Problems> {
    let mut by_name: BTreeMap<String, SourceFile> = embedded_assets()
        .into_iter()
        .map(|f| (base_name(&f.name).to_owned(), f))
        .collect();
    let Some(folder) = assets_folder_for(dir) else {
        return Ok(by_name.into_values().collect());
    };
    let entries = fs::read_dir(&folder).map_err(|e| {
        Problems(vec![Problem::unreadable(
            &folder.display().to_string(),
            format!("cannot read the assets folder {}: {e}", folder.display()),
        )])
    })?;
    let mut names: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    names.sort();
    if names.len() > MAX_ASSET_FILES {
        return Err(Problems(vec![Problem::unreadable(
            &folder.display().to_string(),
            format!(
                "the assets folder {} holds {} .ron files; at most {MAX_ASSET_FILES} are read",
                folder.display(),
                names.len()
            ),
        )]));
    }
    let mut problems = Vec::new();
    for p in names {
        match read_data_file(&p) {
            Ok(f) => {
                by_name.insert(base_name(&f.name).to_owned(), f);
            }
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Ok(by_name.into_values().collect())
    } else {
        Err(Problems(problems))
    }
}

/// A scenario folder on disk, with what it is played with.
#[derive(Debug, Clone)]
pub struct DiskScenario {
    /// The folder.
    pub dir: PathBuf,
    /// Its four files.
    pub files: Vec<SourceFile>,
    /// The assets it uses (its own, then the embedded ones).
    pub assets: Vec<SourceFile>,
}

impl DiskScenario {
    /// Reads a scenario folder, the assets it ships, ready to load.
    ///
    /// # Errors
    /// A file cannot be read.
    pub fn open(path: &Path) -> Result<DiskScenario, Problems> {
        let dir = scenario_folder(path).to_path_buf();
        let files = read_scenario_dir(&dir)?;
        let assets = assets_for(&dir)?;
        Ok(DiskScenario { dir, files, assets })
    }

    /// The files of an included chapter: the sibling folder of that name
    /// (`scenarios/pingzhou` beside `scenarios/jingkang`) if there is one,
    /// else the embedded chapter.
    fn include(&self, id: &str) -> Option<Result<Vec<SourceFile>, Problems>> {
        if !is_id(id) {
            return None;
        }
        let sibling = self
            .dir
            .parent()
            .map(|p| p.join(id))
            .filter(|d| fs::symlink_metadata(d).is_ok_and(|m| m.is_dir()));
        match sibling {
            Some(d) if d.join("scenario.ron").exists() => Some(read_scenario_dir(&d)),
            _ => embedded_scenario(id).map(Ok),
        }
    }

    /// Loads and validates it.
    ///
    /// # Errors
    /// Every problem found.
    pub fn load(&self) -> Result<Scenario, Problems> {
        load_scenario_with(&self.assets, &self.files, &|id| self.include(id))
    }
}

/// Loads a scenario folder from disk, with the assets it ships and the
/// chapters beside it.
///
/// # Errors
/// A file cannot be read, or the data has problems.
pub fn load_dir(path: &Path) -> Result<Scenario, Problems> {
    DiskScenario::open(path)?.load()
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The content hash: [`RULES_VERSION`], every asset file by name, the
/// scenario's own files, and each included chapter's files, each piece
/// length-prefixed so no two different contents hash alike.
#[must_use]
pub fn content_hash(
    assets: &[SourceFile],
    files: &[SourceFile],
    includes: &[(String, Vec<SourceFile>)],
) -> String {
    let mut h = blake3::Hasher::new();
    let mut piece = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    piece(b"jingkang rules");
    piece(&RULES_VERSION.to_le_bytes());
    let mut sorted: Vec<&SourceFile> = assets.iter().collect();
    sorted.sort_by(|a, b| base_name(&a.name).cmp(base_name(&b.name)));
    piece(b"assets");
    for f in sorted {
        piece(base_name(&f.name).as_bytes());
        piece(f.text.as_bytes());
    }
    piece(b"scenario");
    for f in files {
        piece(base_name(&f.name).as_bytes());
        piece(f.text.as_bytes());
    }
    for (id, inc) in includes {
        piece(b"include");
        piece(id.as_bytes());
        for f in inc {
            piece(base_name(&f.name).as_bytes());
            piece(f.text.as_bytes());
        }
    }
    h.finalize().to_hex()[..16].to_owned()
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
    files.iter().find(|f| base_name(&f.name) == name)
}

/// Loads and validates the shared facts.
///
/// # Errors
/// Every problem found, each with its position.
pub fn load_library(assets: &[SourceFile]) -> Result<Library, Problems> {
    validate::library(assets)
}

/// Loads and validates a scenario against the shared facts; included
/// chapters come from the embedded scenarios.
///
/// # Errors
/// Every problem found, each with its position.
pub fn load_scenario(assets: &[SourceFile], files: &[SourceFile]) -> Result<Scenario, Problems> {
    load_scenario_with(assets, files, &|id| embedded_scenario(id).map(Ok))
}

/// Where the files of an included chapter come from: `None` if there is no
/// such chapter.
pub type Includes<'a> = dyn Fn(&str) -> Option<Result<Vec<SourceFile>, Problems>> + 'a;

/// Loads and validates a scenario, taking included chapters from `includes`.
///
/// # Errors
/// Every problem found, each with its position.
pub fn load_scenario_with(
    assets: &[SourceFile],
    files: &[SourceFile],
    includes: &Includes<'_>,
) -> Result<Scenario, Problems> {
    let library = Arc::new(load_library(assets)?);
    validate::scenario(library, assets, files, includes)
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
