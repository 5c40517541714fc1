//! The serde types of the RON data files, exactly as authors write them.
//!
//! Two kinds of file:
//! - `assets/*.ron` — facts shared by every scenario: [`Calendar`], [`People`],
//!   [`Places`], [`Sources`], [`Timeline`] (recorded events and milestones) and
//!   [`Glossary`].
//! - `scenarios/<id>/*.ron` — one folder per scenario: `scenario.ron`
//!   ([`ScenarioFile`]), `events.ron` ([`EventsFile`]), `decisions.ron`
//!   ([`DecisionsFile`]) and `endings.ron` ([`EndingsFile`]).
//!
//! Every item has a stable string id; scenarios refer to people, places,
//! sources and milestones by id, so one fact lives in one place. Months are
//! written as month ids, `"xuanhe-5-6"` or `"jingkang-1-L11"` (a leap month),
//! see [`crate::calendar`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::id::Id;

/// One of the two courts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Court {
    /// The Song court at Kaifeng.
    Song,
    /// The Jin court at Huining.
    Jin,
}

impl Court {
    /// Both courts, Song first.
    pub const ALL: [Court; 2] = [Court::Song, Court::Jin];

    /// The other court.
    #[must_use]
    pub fn other(self) -> Court {
        match self {
            Court::Song => Court::Jin,
            Court::Jin => Court::Song,
        }
    }

    /// Lower-case name, as used on the command line (`song`, `jin`).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Court::Song => "song",
            Court::Jin => "jin",
        }
    }

    /// Display name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Court::Song => "Song",
            Court::Jin => "Jin",
        }
    }
}

/// How sure we are of an item. Shown on every line of the debrief.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub enum Certainty {
    /// Read in a primary source (the reference's grade A).
    #[default]
    Recorded,
    /// Sources disagree; the item must carry both versions.
    Disputed,
    /// Not history: written for the game.
    Invented,
}

impl Certainty {
    /// The label printed beside an item.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Certainty::Recorded => "recorded",
            Certainty::Disputed => "disputed",
            Certainty::Invented => "invented for play",
        }
    }
}

/// One version of a disputed fact, with its own sources.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// What this source says.
    pub says: String,
    /// Source ids.
    pub sources: Vec<String>,
}

// ---------------------------------------------------------------- assets

/// `assets/calendar.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// Every lunar month in order.
    pub months: Vec<MonthRow>,
}

/// Whether a month's first day is printed in the sources or computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Basis {
    /// The first day's cycle-day is printed in the History of Song.
    Printed,
    /// Astronomical new moon, ±1 day.
    Computed,
}

/// One row of the calendar.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename = "Month", deny_unknown_fields)]
pub struct MonthRow {
    /// Song era and year, e.g. `("Xuanhe", 5)`.
    pub song: (String, u16),
    /// Jin era and year, e.g. `("Tianhui", 1)`.
    pub jin: (String, u16),
    /// Month number 1–12.
    pub month: u8,
    /// An intercalary (leap) month.
    pub leap: bool,
    /// Cycle-day of the first day.
    pub ganzhi: String,
    /// Julian first day, `YYYY-MM-DD`.
    pub first: String,
    /// Julian last day, `YYYY-MM-DD`.
    pub last: String,
    /// Length in days.
    pub days: u8,
    /// Printed or computed.
    pub basis: Basis,
}

/// `assets/sources.ron`: the bibliography.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    /// Every source.
    pub sources: Vec<Source>,
}

/// A work cited by id, e.g. `SS-472` (History of Song, chapter 472).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id.
    pub id: String,
    /// Short citation, e.g. "History of Song, ch. 472".
    pub short: String,
    /// Full bibliographic entry.
    pub full: String,
    /// What it is and how far to trust it.
    #[serde(default)]
    pub note: String,
}

/// `assets/people.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct People {
    /// Every person.
    pub people: Vec<Person>,
}

/// A historical person.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Stable id, e.g. `li_gang`.
    pub id: String,
    /// Name in pinyin.
    pub name: String,
    /// Name in characters.
    pub chars: String,
    /// Other names and spellings (searched by `who`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Which court (or side) they served, at the start of our period.
    pub court: Court,
    /// Offices during the war, as one summary (shown once the game is
    /// over; during play [`Person::offices`] give the office of the month).
    pub office: String,
    /// A neutral description true for the whole period ("a Song
    /// official"), shown for a month no dated office covers.
    #[serde(default)]
    pub role: String,
    /// Offices held, with their months, from the reference.
    #[serde(default)]
    pub offices: Vec<Office>,
    /// Faction or stance, e.g. "war party".
    #[serde(default)]
    pub faction: String,
    /// A short biography in our own words: what is known before the
    /// calendar opens (1122) …
    pub bio: String,
    /// … and what the record holds only from a later month on.
    #[serde(default)]
    pub later: Vec<Later>,
    /// Source ids.
    pub sources: Vec<String>,
    /// Certainty of the biography.
    #[serde(default)]
    pub certainty: Certainty,
}

/// An office held over a span of months (month ids, both included).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// First month it is held.
    pub from: String,
    /// Last month it is held.
    pub until: String,
    /// The office.
    pub title: String,
}

/// A part of a look-up entry's text that the record holds only from a
/// month on, so that during play `who`, `where`, `term` and the
/// encyclopedia never tell what has not yet happened.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Later {
    /// The month (id) it happened by, or `"after"` for what happened after
    /// the calendar's last month; shown once the game has passed it.
    pub from: String,
    /// The text, in our own words.
    pub text: String,
}

/// `Later::from` for what happened after the calendar ends.
pub const AFTER: &str = "after";

/// `assets/places.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Places {
    /// Every place.
    pub places: Vec<Place>,
}

/// A city, pass, camp or river crossing.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Stable id, e.g. `kaifeng`.
    pub id: String,
    /// Name used in the game.
    pub name: String,
    /// Other period names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Characters.
    pub chars: String,
    /// The modern name and location.
    pub modern: String,
    /// Latitude, decimal degrees.
    pub lat: f64,
    /// Longitude, decimal degrees.
    pub lon: f64,
    /// What happened there (what is known before the calendar opens) …
    #[serde(default)]
    pub note: String,
    /// … and what the record holds only from a later month on.
    #[serde(default)]
    pub later: Vec<Later>,
    /// Certainty of the identification.
    #[serde(default)]
    pub certainty: Certainty,
}

/// `assets/glossary.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    /// Every term.
    pub terms: Vec<Term>,
}

/// An office or term.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Stable id.
    pub id: String,
    /// The term in English or pinyin.
    pub term: String,
    /// Characters.
    #[serde(default)]
    pub chars: String,
    /// Pinyin, where the term is English.
    #[serde(default)]
    pub pinyin: String,
    /// What it meant in this period (as known before the calendar opens) …
    pub meaning: String,
    /// … and what the record holds only from a later month on.
    #[serde(default)]
    pub later: Vec<Later>,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// `assets/timeline.ron`: the recorded course of events and the milestones the
/// debrief compares against.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    /// Recorded events in date order.
    pub entries: Vec<Entry>,
    /// Milestones: recorded moments a campaign can reach (or not).
    pub milestones: Vec<MilestoneDef>,
}

/// A recorded event.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable id.
    pub id: String,
    /// Month id.
    pub month: String,
    /// Julian date, `YYYY-MM-DD` or `YYYY-MM`.
    pub date: String,
    /// The Chinese date as the sources give it, e.g. "Xuanhe 5, 6th month, 丙戌".
    pub chinese_date: String,
    /// Headline.
    pub title: String,
    /// A sentence or two in our own words.
    pub summary: String,
    /// Source ids.
    pub sources: Vec<String>,
    /// Certainty.
    pub certainty: Certainty,
    /// For disputed items: each version with its sources.
    #[serde(default)]
    pub versions: Vec<Version>,
    /// The decision this entry records the outcome of, if any; `record` hides
    /// it while that decision is before the player.
    #[serde(default)]
    pub decision: Option<String>,
}

/// A milestone.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneDef {
    /// Stable id, e.g. `invasion_ordered`.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Recorded month id, or `None` for a milestone that never happened
    /// historically (a counterfactual marker).
    pub month: Option<String>,
    /// Julian date.
    #[serde(default)]
    pub date: String,
    /// The Chinese date.
    #[serde(default)]
    pub chinese_date: String,
    /// Source ids.
    pub sources: Vec<String>,
    /// Certainty.
    pub certainty: Certainty,
}

// ------------------------------------------------------------- scenarios

/// `scenarios/<id>/scenario.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Stable id, e.g. `pingzhou`.
    pub id: String,
    /// Title.
    pub title: String,
    /// The opening text.
    pub intro: String,
    /// The opening text, short, for `--pace brief` (a lesson); empty if
    /// there is none.
    #[serde(default)]
    pub brief: String,
    /// Which courts a person may play.
    pub playable: Vec<Court>,
    /// First month (month id).
    pub start: String,
    /// Last month (month id); the campaign ends after it.
    pub end: String,
    /// Milestones (timeline ids) this scenario tracks in the debrief.
    pub milestones: Vec<String>,
    /// The ending that matches the recorded course, per court.
    pub recorded_ending: BTreeMap<Court, String>,
    /// The starting world.
    pub state: StartState,
    /// Other scenarios (embedded ids) whose events and decisions this one
    /// plays in order, with the world carried through (the grand campaign).
    /// Their endings are not used: this scenario's own endings apply.
    #[serde(default)]
    pub includes: Vec<Include>,
    /// Flags an earlier chapter may hand to this one when it is played as
    /// part of a longer campaign (counted as set when the chapter is
    /// checked alone).
    #[serde(default)]
    pub flags_in: Vec<String>,
    /// Flags this chapter hands on to later chapters (counted as read when
    /// the chapter is checked alone).
    #[serde(default)]
    pub flags_out: Vec<String>,
}

/// A chapter included in a longer campaign. There is no gate: its events
/// and decisions fire when the world reaches their own conditions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Include {
    /// Scenario id (a sibling folder).
    pub id: String,
}

/// The world at the first month.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartState {
    /// Per-court gauges.
    pub courts: BTreeMap<Court, CourtStart>,
    /// Places in play with their holder and strength.
    pub places: Vec<PlaceStart>,
    /// Armies in the field.
    #[serde(default)]
    pub armies: Vec<ArmyStart>,
    /// People in play (by person id) and the court they serve now.
    #[serde(default)]
    pub people: Vec<PersonStart>,
    /// Flags already set.
    #[serde(default)]
    pub flags: Vec<Id>,
    /// Grievances already held (the recorded case so far, for chapters that
    /// start mid-war).
    #[serde(default)]
    pub grievances: Vec<GrievanceStart>,
}

/// A grievance held at the start.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrievanceStart {
    /// The aggrieved court.
    pub by: Court,
    /// Stable id.
    pub id: String,
    /// Weight.
    pub weight: i32,
    /// The case as that court states it.
    pub text: String,
}

/// Starting gauges of a court; each 0–100.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourtStart {
    /// Ruler (person id).
    pub ruler: String,
    /// Gauges (missing ones start at 50).
    pub gauges: BTreeMap<Gauge, i32>,
}

/// A court gauge, 0–100. Players see them fuzzily ("strained", "ample").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Gauge {
    /// Silver, silk and coin in the treasury.
    Treasury,
    /// Grain in the granaries.
    Grain,
    /// Troops at the court's disposal (beyond the field armies).
    Army,
    /// Morale of troops and people.
    Morale,
    /// Resolve of the ruler and court to fight: the war party's weight.
    WarParty,
    /// Standing of the ruler.
    Legitimacy,
    /// Song: trust of the ex-Liao defectors (Guo Yaoshi, the surrendered
    /// officers). Jin: cohesion between the eastern and western commands.
    Loyalty,
    /// Grievance held against the other court: the sum of its named
    /// grievances, kept up to date by the engine (read-only in conditions).
    Grievance,
}

impl Gauge {
    /// Every gauge in display order.
    pub const ALL: [Gauge; 8] = [
        Gauge::Treasury,
        Gauge::Grain,
        Gauge::Army,
        Gauge::Morale,
        Gauge::WarParty,
        Gauge::Legitimacy,
        Gauge::Loyalty,
        Gauge::Grievance,
    ];
}

/// A place's starting state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceStart {
    /// Place id.
    pub place: Id,
    /// Who holds it; `None` for a place held by neither court (a rebel, the
    /// Liao remnant).
    pub holder: Option<Court>,
    /// Garrison in thousands.
    #[serde(default)]
    pub garrison: i32,
    /// Walls 0–100.
    #[serde(default)]
    pub walls: i32,
    /// Food in months.
    #[serde(default)]
    pub food: i32,
    /// Already under siege at the start.
    #[serde(default)]
    pub besieged: bool,
}

/// An army's starting state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArmyStart {
    /// Stable id, e.g. `ever_victorious`.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Court it serves.
    pub court: Court,
    /// Commander (person id).
    pub commander: String,
    /// Strength in thousands.
    pub strength: i32,
    /// Morale 0–100.
    pub morale: i32,
    /// Where it is (place id).
    pub at: Id,
    /// Its kind, from the rules file (`jin_horse`, `song_regulars` …):
    /// how it fights and how fast it marches.
    pub kind: Id,
    /// Where it draws supply and goes back to (place id); defaults to `at`.
    #[serde(default)]
    pub home: Option<Id>,
    /// The month it enters the world, as the record has it; `None`: in the
    /// world from the start. An army can also be raised by a decision
    /// (`Raise`).
    #[serde(default)]
    pub enters: Option<String>,
    /// Not in the world until a decision or event raises it.
    #[serde(default)]
    pub reserve: bool,
    /// Its loyalty is in doubt: the first time an enemy army reaches it,
    /// it may go over instead of fighting (the rules' `waver`).
    #[serde(default)]
    pub doubtful: bool,
}

/// A person's starting state.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonStart {
    /// Person id.
    pub person: Id,
    /// Court they serve now.
    pub court: Court,
    /// Loyalty 0–100.
    #[serde(default = "fifty")]
    pub loyalty: i32,
}

fn fifty() -> i32 {
    50
}

/// `scenarios/<id>/events.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsFile {
    /// Every event (dispatch).
    pub events: Vec<Event>,
}

/// A dispatch: fires once, in the first month of its window where its
/// condition holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Stable id.
    pub id: Id,
    /// First month it may fire.
    pub from: String,
    /// Last month it may fire.
    pub until: String,
    /// Condition on the world.
    #[serde(default)]
    pub when: Cond,
    /// Which court hears it (`None`: both).
    #[serde(default)]
    pub to: Option<Court>,
    /// Headline.
    pub title: String,
    /// The dispatch text.
    pub text: String,
    /// The dispatch in a sentence or two, for `--pace brief` (a lesson); empty if
    /// there is none.
    #[serde(default)]
    pub brief: String,
    /// Certainty of what the text reports.
    pub certainty: Certainty,
    /// Source ids (required unless invented).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Effects when it fires.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// A decision it puts before a court.
    #[serde(default)]
    pub decision: Option<Id>,
    /// Also checked after the world has moved (armies, sieges), so that a
    /// city's fall is reported in the month it happens; a decision it raises
    /// goes to the same month's council. (It is checked with the other
    /// events at the start of the month too: guard it with a condition that
    /// only the war phase can make true.)
    #[serde(default)]
    pub late: bool,
    /// The month the record has this dispatch, where its window is wider
    /// than that month (the world may reach it earlier or later). Fired in
    /// another month, a recorded dispatch is labelled as moved by the model.
    #[serde(default)]
    pub on: Option<String>,
}

/// `scenarios/<id>/decisions.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionsFile {
    /// Every decision point.
    pub decisions: Vec<Decision>,
}

/// A decision point.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Stable id, e.g. `song.zhang_jue.accept`.
    pub id: Id,
    /// Which reference decision it is (`D1` …), if any.
    #[serde(default)]
    pub reference: Option<String>,
    /// The court that decides.
    pub court: Court,
    /// Whether the council can be held at all when it comes up (a court
    /// that has fled is not asked what only the court in the capital could
    /// decide). An unavailable decision is passed over and noted.
    #[serde(default)]
    pub available: Cond,
    /// Headline.
    pub title: String,
    /// The situation as put to the council.
    pub situation: String,
    /// The situation in a sentence or two, for `--pace brief` (a lesson); empty if
    /// there is none.
    #[serde(default)]
    pub brief: String,
    /// Who speaks, in order.
    pub advisors: Vec<Advisor>,
    /// 2–5 options.
    pub options: Vec<Choice>,
    /// The recorded choice, if the record shows one.
    #[serde(default)]
    pub recorded: Option<Recorded>,
    /// Questions for discussion in class.
    #[serde(default)]
    pub questions: Vec<String>,
}

/// An advisor's speech.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advisor {
    /// Person id.
    pub person: String,
    /// The option they urge.
    pub urges: String,
    /// What they argue, in our words.
    pub argues: String,
    /// The argument in a sentence, for `--pace brief` (a lesson); empty if
    /// there is none.
    #[serde(default)]
    pub brief: String,
    /// Source ids for the stance.
    pub sources: Vec<String>,
    /// Certainty that they argued this.
    #[serde(default)]
    pub certainty: Certainty,
}

/// An option.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable id within the decision.
    pub id: Id,
    /// Short label shown beside its number.
    pub label: String,
    /// What the court does, in a sentence.
    #[serde(default)]
    pub detail: String,
    /// Effects.
    pub effects: Vec<Effect>,
    /// How the adaptive policy weighs it: a base score …
    #[serde(default = "fifty")]
    pub weight: i32,
    /// … adjusted by conditions on the world.
    #[serde(default)]
    pub weigh: Vec<Weigh>,
}

/// A world-dependent adjustment to an option's weight: when `when` holds,
/// add `add`, plus `scale` percent of the named rules score.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weigh {
    /// When this holds …
    #[serde(default)]
    pub when: Cond,
    /// … add this …
    #[serde(default)]
    pub add: i32,
    /// … and this score from the rules file (`jin.war_case`) …
    #[serde(default)]
    pub score: Option<String>,
    /// … at this percent.
    #[serde(default = "hundred")]
    pub scale: i32,
}

fn hundred() -> i32 {
    100
}

/// What the record shows.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recorded {
    /// The option chosen.
    pub option: String,
    /// Month id.
    pub month: String,
    /// Julian date, `YYYY-MM-DD` or `YYYY-MM`.
    pub date: String,
    /// The Chinese date.
    pub chinese_date: String,
    /// What really followed.
    pub followed: String,
    /// What really followed, in a sentence or two, for `--pace brief`; empty if there is none.
    #[serde(default)]
    pub brief: String,
    /// Source ids.
    pub sources: Vec<String>,
    /// Certainty.
    pub certainty: Certainty,
    /// For disputed items: each version.
    #[serde(default)]
    pub versions: Vec<Version>,
}

/// `scenarios/<id>/endings.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndingsFile {
    /// Every ending.
    pub endings: Vec<Ending>,
}

/// An ending.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    /// Stable id.
    pub id: String,
    /// The court whose ending it is.
    pub court: Court,
    /// Headline.
    pub title: String,
    /// Checked in every month (`true`) or only when the last month is over.
    #[serde(default)]
    pub early: bool,
    /// Condition; the first ending (in file order) whose condition holds wins.
    pub when: Cond,
    /// The closing text.
    pub text: String,
    /// The closing text in a sentence or two, for `--pace brief`; empty if there is none.
    #[serde(default)]
    pub brief: String,
    /// The nearest recorded counterpart and how this differs.
    pub nearest: String,
    /// Source ids for the counterpart.
    pub sources: Vec<String>,
}

// ---------------------------------------------------- conditions, effects

/// Comparison for gauge conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `<`
    Lt,
}

/// A condition on the world.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
pub enum Cond {
    /// Always true.
    #[default]
    Always,
    /// A flag is set.
    Flag(Id),
    /// A flag is not set.
    NoFlag(Id),
    /// A decision was taken with this option: `Chose("decision", "option")`.
    Chose(Id, Id),
    /// A gauge compares: `Gauge(Jin, Grievance, Ge, 60)`.
    Gauge(Court, Gauge, Cmp, i32),
    /// A court holds a place: `Holds(Jin, "yanjing")`.
    Holds(Court, Id),
    /// A place is under siege.
    Besieged(Id),
    /// A milestone has been reached.
    Reached(Id),
    /// The current month is at or after this month.
    From(Id),
    /// The current month is before this month.
    Before(Id),
    /// A named score of the rules file compares: `Score("jin.war_case", Ge, 60)`.
    Score(Id, Cmp, i32),
    /// An army is in the world (entered, not disbanded, not destroyed).
    Active(Id),
    /// A court sits at a place: `Seat(Song, "kaifeng")`.
    Seat(Court, Id),
    /// An army is at a place.
    At(Id, Id),
    /// An army serves a court (it may have gone over).
    Serves(Id, Court),
    /// An army in the world stands south of the Yellow River (its 1048–1128
    /// course).
    South(Id),
    /// An army has lost a battle or a river crossing.
    Beaten(Id),
    /// A flag was set at least this many months ago (a flag of the starting
    /// state counts as set in the first month).
    Since(Id, u16),
    /// A person's fate is this: `Fate("cai_jing", Dead)`.
    Fate(Id, Fate),
    /// All hold.
    All(Vec<Cond>),
    /// Any holds.
    Any(Vec<Cond>),
    /// Negation.
    Not(Box<Cond>),
}

/// A change to the world.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Effect {
    /// `Add(Song, Treasury, -10)`: change a gauge (clamped 0–100).
    Add(Court, Gauge, i32),
    /// Set a flag.
    Set(Id),
    /// Clear a flag.
    Clear(Id),
    /// A named grievance one court now holds against the other.
    Grievance {
        /// The aggrieved court.
        by: Court,
        /// Stable id (the same grievance counts once).
        id: String,
        /// Weight added to the grievance gauge.
        weight: i32,
        /// How that court states its case.
        text: String,
    },
    /// A seeded chance: `Chance(percent: 40, then: [...], otherwise: [...])`.
    Chance {
        /// Percent 0–100.
        percent: u8,
        /// Effects if it happens.
        then: Vec<Effect>,
        /// Effects if it does not.
        #[serde(default)]
        otherwise: Vec<Effect>,
    },
    /// Effects gated on a condition checked when this effect applies.
    If {
        /// The condition.
        when: Cond,
        /// Effects if it holds.
        then: Vec<Effect>,
        /// Effects if not.
        #[serde(default)]
        otherwise: Vec<Effect>,
    },
    /// A delayed consequence, applied `months` later (checked then against
    /// `when`).
    Later {
        /// Months ahead (1 = next month).
        months: u16,
        /// Condition checked when it comes due.
        #[serde(default)]
        when: Cond,
        /// What happens.
        effects: Vec<Effect>,
        /// The chronicle line written when it lands.
        note: String,
    },
    /// Record a milestone as reached this month.
    Milestone(Id),
    /// A line for the chronicle (model output: never presented as history).
    Chronicle(String),
    /// A place changes hands: `Take(Jin, "yanjing")`.
    Take(Court, Id),
    /// A siege begins (`true`) or ends (`false`).
    Siege(Id, bool),
    /// Change a place's garrison (thousands).
    Garrison(Id, i32),
    /// Change a place's food (months it can hold out under siege).
    Food(Id, i32),
    /// Change a place's walls (0–100).
    Walls(Id, i32),
    /// Change an army's strength (thousands) and morale.
    Army {
        /// Army id.
        army: Id,
        /// Change in strength.
        #[serde(default)]
        strength: i32,
        /// Change in morale.
        #[serde(default)]
        morale: i32,
    },
    /// An army goes over to a court.
    Defect(Id, Court),
    /// An army marches toward a place along the given route (place ids).
    March(Id, Vec<Id>),
    /// A person's fate changes.
    Fate(Id, Fate),
    /// An army enters the world (raised), with full supply.
    Raise(Id),
    /// An army is sent home and leaves the world.
    Disband(Id),
    /// An army's orders at a siege.
    Orders(Id, Orders),
    /// An army turns for home.
    Withdraw(Id),
    /// A field battle, resolved now by the model from the two armies'
    /// strength, kind, morale and the named edges (`night_attack` …).
    Battle {
        /// The attacking army.
        attacker: Id,
        /// The defending army.
        defender: Id,
        /// Thousands of the attacker's men committed (a detachment), if
        /// not the whole army.
        #[serde(default)]
        committed: Option<i32>,
        /// Circumstances from the rules file that multiply the attacker's
        /// power (or the defender's, with a `defender:` prefix).
        #[serde(default)]
        edges: Vec<Id>,
        /// If the attacker wins.
        won: Vec<Effect>,
        /// If the attacker loses.
        lost: Vec<Effect>,
    },
    /// An assault on a place by the armies besieging it, resolved now.
    Storm {
        /// The place.
        place: Id,
        /// Edges for the attackers (or the defenders, `defender:` prefix).
        #[serde(default)]
        edges: Vec<Id>,
        /// If the walls are taken.
        won: Vec<Effect>,
        /// If the assault fails.
        lost: Vec<Effect>,
    },
    /// An army whose loyalty is doubtful is approached: it may go over to
    /// the other court, with a chance set by its court's Loyalty gauge.
    Waver {
        /// The army.
        army: Id,
        /// If it goes over (the engine moves it to the other court).
        turned: Vec<Effect>,
        /// If it holds.
        held: Vec<Effect>,
    },
    /// The court leaves its seat for a place: it may be overtaken on the
    /// road (the nearer the enemy, the likelier), its escort may mutiny, and
    /// the capital's garrison loses the guards who will not leave their
    /// families (the costs are in the rules file).
    Flee {
        /// The court.
        court: Court,
        /// Where it goes.
        to: Id,
        /// If it gets away.
        escaped: Vec<Effect>,
        /// If it is overtaken.
        overtaken: Vec<Effect>,
        /// Also, if the escort mutinies on the road.
        #[serde(default)]
        mutiny: Vec<Effect>,
    },
    /// The court returns to (or is set at) a place without risk.
    SetSeat(Court, Id),
    /// A place's garrison or an army gains (`true`) or loses (`false`) a
    /// named edge of the rules file: `Edge("kaifeng", "gates_opened", true)`.
    Edge(Id, Id, bool),
    /// An army takes a new base to draw supply from and goes back to (a
    /// conquered city), and is resupplied.
    Base(Id, Id),
}

/// What an army does before walls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Orders {
    /// Storm the walls every month.
    #[default]
    Assault,
    /// Ring the place and starve it (the lock-city method).
    Blockade,
    /// Stay where it is; do not march on.
    Hold,
    /// March slowly, taking every enemy town on the road (the rules'
    /// `reducing_km_per_day`), then besiege the last place of the route.
    Reduce,
}

/// What became of a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fate {
    /// In office.
    Active,
    /// Dismissed or exiled.
    Dismissed,
    /// Held by the other court.
    Captive,
    /// Went over to the other court.
    Defected,
    /// Dead.
    Dead,
}
