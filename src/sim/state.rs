//! Components and resources of the campaign world.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use bevy::prelude::*;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::{Certainty, Cond, Court, Effect, Fate, Gauge, Orders};
use crate::id::{AsId, Id, IdMap};
use crate::policy::PolicyKind;

/// Everything a campaign is besides its entities, in one resource (the
/// turn's phases fetch it once, not a dozen resources every update): the
/// scenario, the look-up of entities, how much is written, the calendar
/// position, flags, ledger, chronicle, delayed consequences, random
/// streams, the cause being applied, the events fired, the docket and the
/// answers waiting to take effect.
#[derive(Resource)]
pub struct Book {
    /// The scenario.
    pub content: Content,
    /// Entity look-up.
    pub index: Index,
    /// Whether text is written (chronicle, traces, causes).
    pub narration: Narration,
    /// The calendar position.
    pub turn: Turn,
    /// Flags.
    pub flags: Flags,
    /// Ledger.
    pub ledger: Ledger,
    /// Chronicle.
    pub chronicle: Chronicle,
    /// Delayed consequences.
    pub scheduled: Scheduled,
    /// Random streams.
    pub rngs: Rngs,
    /// What is being applied now (for origins).
    pub cause: Cause,
    /// Which events have fired, by position.
    pub fired: Fired,
    /// Decisions waiting for their council.
    pub docket: Docket,
    /// Answers waiting to take effect.
    pub resolutions: Resolutions,
}

/// The validated scenario the campaign plays.
#[derive(Clone)]
pub struct Content(pub Arc<Scenario>);

/// Where the campaign is in its calendar.
#[derive(Debug, Clone)]
pub struct Turn {
    /// The current month.
    pub month: MonthIdx,
    /// This month's dispatches have fired.
    pub dispatched: bool,
    /// This month's war phase has run (it runs once, even when a late
    /// council makes the month take more than one update).
    pub moved: bool,
}

/// Who decides for each court.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seat {
    /// A person, through a front end.
    Human,
    /// A policy.
    Policy(PolicyKind),
}

/// The seat of each court.
#[derive(Resource, Clone, Debug)]
pub struct Seats(pub BTreeMap<Court, Seat>);

impl Seats {
    /// The seat of a court (a policy on `recorded` if unset).
    #[must_use]
    pub fn of(&self, court: Court) -> Seat {
        self.0
            .get(&court)
            .cloned()
            .unwrap_or(Seat::Policy(PolicyKind::Recorded))
    }
}

/// Seeded random streams, one per purpose, so that a choice at council never
/// shifts the draws of the world.
#[derive(Clone)]
pub struct Rngs {
    /// Chances in effects and the war.
    pub world: ChaCha8Rng,
    /// The Song policy's draws.
    pub song: ChaCha8Rng,
    /// The Jin policy's draws.
    pub jin: ChaCha8Rng,
}

/// Plain facts the story has produced.
#[derive(Default, Debug, Clone)]
pub struct Flags {
    /// Sorted, for listing.
    set: BTreeSet<Id>,
    /// The same, for look-ups by identity.
    find: IdMap<()>,
    /// The month each flag set during the campaign was last set (a flag of
    /// the starting state has none).
    set_at: IdMap<MonthIdx>,
}

impl Flags {
    /// Only these flags set, none with a month (keeping the room of the
    /// maps).
    pub fn reset(&mut self, flags: impl IntoIterator<Item = Id>) {
        self.set.clear();
        self.find.clear();
        self.set_at.clear();
        for x in flags {
            self.insert(x);
        }
    }

    /// Whether a flag is set.
    #[must_use]
    pub fn contains(&self, f: impl AsId) -> bool {
        self.find.contains(f)
    }

    /// Sets a flag; whether it was not set before.
    pub fn insert(&mut self, f: Id) -> bool {
        self.find.insert(f, ()).is_none() && self.set.insert(f)
    }

    /// Sets a flag in a month; whether it was not set before (only then is
    /// the month remembered).
    pub fn insert_at(&mut self, f: Id, month: MonthIdx) -> bool {
        let new = self.insert(f);
        if new {
            self.set_at.insert(f, month);
        }
        new
    }

    /// The month a flag was last set during the campaign, if it was.
    #[must_use]
    pub fn set_at(&self, f: impl AsId) -> Option<MonthIdx> {
        self.set_at.get(f).copied()
    }

    /// Clears a flag.
    pub fn remove(&mut self, f: Id) {
        self.find.remove(f);
        self.set.remove(&f);
    }

    /// The flags set, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &Id> {
        self.set.iter()
    }
}

/// Which of the scenario's events have fired, by their position in the
/// scenario (the ledger keeps their ids for the debrief; this is what the
/// dispatch phase checks every month), and for each event not yet fired
/// the atom of its condition that last kept it from firing.
#[derive(Default, Debug, Clone)]
pub struct Fired {
    /// Whether each event has fired.
    pub events: Vec<bool>,
    /// Where to look first when an event is checked again (see
    /// [`super::realm::Realm::settle`]).
    pub witness: Vec<super::realm::Witness>,
}

impl Fired {
    /// None of `n` events fired yet, keeping the room.
    pub fn reset(&mut self, n: usize) {
        self.events.clear();
        self.events.resize(n, false);
        self.witness.clear();
        self.witness.resize(n, super::realm::Witness::default());
    }
}

/// How much a campaign writes beside its numbers.
///
/// `Full` (the default) keeps the chronicle, the model's `why` traces, the
/// origins' causes and the map's trail: everything a debrief shows.
/// `Numbers` is for campaigns no one will read (the explorer, the bench): the
/// same systems make the same draws and reach the same state, ledger
/// decisions, milestones and endings, but no text is built. A campaign whose
/// debrief is wanted must be played `Full`.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Narration {
    /// Every line, trace and cause.
    #[default]
    Full,
    /// Ids and numbers only.
    Numbers,
}

/// Decisions put to councils this month, in order, awaiting an answer.
#[derive(Default, Debug)]
pub struct Docket(pub VecDeque<Id>);

/// Answers taken at council, waiting for the resolution phase.
#[derive(Default, Debug)]
pub struct Resolutions(pub VecDeque<Resolution>);

/// One answer.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// Decision id.
    pub decision: Id,
    /// Option id.
    pub option: Id,
    /// Who decided.
    pub by: String,
}

/// Delayed consequences waiting for their month.
#[derive(Default, Debug)]
pub struct Scheduled(pub Vec<Pending>);

/// One delayed consequence.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Month it lands.
    pub due: MonthIdx,
    /// Checked when it lands.
    pub when: Cond,
    /// What happens.
    pub effects: Vec<Effect>,
    /// Chronicle line.
    pub note: String,
    /// What scheduled it.
    pub cause: String,
}

/// What is being applied now: a decision, a dispatch or a rule of the
/// model, and the subjects it depended on. Origins of flags, milestones and
/// changes of hands are taken from it.
#[derive(Default, Debug, Clone)]
pub struct Cause {
    /// `decision "…": option "…"`, `dispatch "…"` or a `[model]` trace line.
    pub text: String,
    /// `place:…`, `flag:…`, `army:…`.
    pub subjects: Vec<String>,
}

/// Ids of entities by their stable string id.
#[derive(Default, Debug)]
pub struct Index {
    /// Courts.
    pub courts: BTreeMap<Court, Entity>,
    /// Places.
    pub places: BTreeMap<Id, Entity>,
    /// Armies.
    pub armies: BTreeMap<Id, Entity>,
    /// People.
    pub people: BTreeMap<Id, Entity>,
    /// The same entities for look-ups by identity (no string compared).
    find: [IdMap<Entity>; 3],
    /// Whether the armies sit in their component storage in id order
    /// (they are spawned so, and no army's components are ever added or
    /// removed after): then a walk of the storage gives them in id order
    /// without a look-up each. Checked when the world is built.
    pub armies_in_order: bool,
}

/// The kinds of entity [`Index`] looks up by id.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A place.
    Place = 0,
    /// An army.
    Army = 1,
    /// A person.
    Person = 2,
}

impl Index {
    /// Adds an entity under its id.
    pub fn insert(&mut self, kind: Kind, id: Id, e: Entity) {
        let sorted = match kind {
            Kind::Place => &mut self.places,
            Kind::Army => &mut self.armies,
            Kind::Person => &mut self.people,
        };
        sorted.insert(id, e);
        self.find[kind as usize].insert(id, e);
    }

    /// The entity with this id.
    #[must_use]
    pub fn get(&self, kind: Kind, id: impl AsId) -> Option<Entity> {
        self.find[kind as usize].get(id).copied()
    }
}

/// A court's gauges, 0–100, each in its own slot (all but Grievance, which
/// the ledger keeps); 50 until set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gauges([i32; 7]);

impl Default for Gauges {
    fn default() -> Self {
        Gauges([50; 7])
    }
}

impl Gauges {
    fn slot(g: Gauge) -> Option<usize> {
        match g {
            Gauge::Treasury => Some(0),
            Gauge::Grain => Some(1),
            Gauge::Army => Some(2),
            Gauge::Morale => Some(3),
            Gauge::WarParty => Some(4),
            Gauge::Legitimacy => Some(5),
            Gauge::Loyalty => Some(6),
            Gauge::Grievance => None,
        }
    }

    /// A gauge's value (`None` for Grievance, which the ledger keeps).
    #[must_use]
    pub fn get(&self, g: Gauge) -> Option<i32> {
        Self::slot(g).and_then(|i| self.0.get(i).copied())
    }

    /// A gauge's value, to change (`None` for Grievance).
    pub fn get_mut(&mut self, g: Gauge) -> Option<&mut i32> {
        Self::slot(g).and_then(|i| self.0.get_mut(i))
    }

    /// Every gauge the court keeps, in display order, with its value.
    pub fn iter(&self) -> impl Iterator<Item = (Gauge, i32)> + '_ {
        Gauge::ALL
            .iter()
            .filter_map(|g| self.get(*g).map(|v| (*g, v)))
    }
}

/// A court.
#[derive(Component, Debug, Clone)]
pub struct CourtState {
    /// Which court.
    pub court: Court,
    /// Ruler (person id).
    pub ruler: String,
    /// Gauges 0–100 (all but Grievance, which the ledger keeps).
    pub gauges: Gauges,
    /// Where the court sits (place id): the capital, or where it fled.
    pub seat: Id,
    /// Its capital (place id).
    pub capital: Id,
}

/// A place.
#[derive(Component, Debug, Clone)]
pub struct PlaceState {
    /// Place id.
    pub id: Id,
    /// Holder.
    pub holder: Option<Court>,
    /// Garrison, thousands.
    pub garrison: i32,
    /// Walls 0–100.
    pub walls: i32,
    /// Food, in tenths of a month (a partial ring eats it slowly).
    pub food_tenths: i32,
    /// Food it can hold, in tenths (what it had at the start): a place not
    /// under siege refills toward it.
    pub food_full: i32,
    /// Under siege.
    pub besieged: bool,
    /// The month the current siege began.
    pub siege_from: Option<MonthIdx>,
    /// Named edges from the rules file the garrison fights with
    /// (`organised_defence`, `gates_opened` …), sorted.
    pub edges: Vec<Id>,
}

impl PlaceState {
    /// Food in whole months, rounded down.
    #[must_use]
    pub fn food(&self) -> i32 {
        self.food_tenths / 10
    }
}

/// An army.
#[derive(Component, Debug)]
pub struct ArmyState {
    /// Army id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Court it serves.
    pub court: Court,
    /// Commander.
    pub commander: String,
    /// Strength, thousands.
    pub strength: i32,
    /// Morale 0–100.
    pub morale: i32,
    /// Where it is.
    pub at: Id,
    /// Places still to march through.
    pub route: VecDeque<Id>,
    /// Km already covered toward the next place on the route.
    pub progress_km: i64,
    /// Its kind in the rules file.
    pub kind: Id,
    /// Where it draws supply and goes back to.
    pub home: Id,
    /// In the world: entered and not disbanded or destroyed.
    pub active: bool,
    /// The month it enters the world, if it has not yet.
    pub enters: Option<MonthIdx>,
    /// Supply 0–100.
    pub supply: i32,
    /// What it does before walls.
    pub orders: Orders,
    /// Named edges it carries, sorted.
    pub edges: Vec<Id>,
    /// Its loyalty is in doubt until it has been tested once.
    pub doubtful: bool,
    /// The month it last lost a battle or a crossing.
    pub beaten: Option<MonthIdx>,
}

impl Clone for ArmyState {
    fn clone(&self) -> Self {
        ArmyState {
            id: self.id,
            name: self.name.clone(),
            court: self.court,
            commander: self.commander.clone(),
            strength: self.strength,
            morale: self.morale,
            at: self.at,
            route: self.route.clone(),
            progress_km: self.progress_km,
            kind: self.kind,
            home: self.home,
            active: self.active,
            enters: self.enters,
            supply: self.supply,
            orders: self.orders,
            edges: self.edges.clone(),
            doubtful: self.doubtful,
            beaten: self.beaten,
        }
    }

    /// Field by field, keeping the room of the names, route and edges (a
    /// restarted campaign puts every army's first state back this way
    /// without allocating). Every field is named, so a new one cannot be
    /// forgotten here.
    fn clone_from(&mut self, source: &Self) {
        let ArmyState {
            id,
            name,
            court,
            commander,
            strength,
            morale,
            at,
            route,
            progress_km,
            kind,
            home,
            active,
            enters,
            supply,
            orders,
            edges,
            doubtful,
            beaten,
        } = source;
        self.id = *id;
        self.name.clone_from(name);
        self.court = *court;
        self.commander.clone_from(commander);
        self.strength = *strength;
        self.morale = *morale;
        self.at = *at;
        self.route.clone_from(route);
        self.progress_km = *progress_km;
        self.kind = *kind;
        self.home = *home;
        self.active = *active;
        self.enters = *enters;
        self.supply = *supply;
        self.orders = *orders;
        self.edges.clone_from(edges);
        self.doubtful = *doubtful;
        self.beaten = *beaten;
    }
}

/// A person in play.
#[derive(Component, Debug, Clone)]
pub struct PersonState {
    /// Person id.
    pub id: Id,
    /// Court served now.
    pub court: Court,
    /// Loyalty 0–100.
    pub loyalty: i32,
    /// Fate.
    pub fate: Fate,
}

/// Every decision taken and milestone reached: the raw material of the
/// debrief.
#[derive(Default, Debug, Clone, Serialize, Deserialize)]
pub struct Ledger {
    /// Decisions in the order taken.
    pub decisions: Vec<DecisionTaken>,
    /// Milestones reached, with their month.
    pub milestones: BTreeMap<Id, MonthIdx>,
    /// Named grievances each court holds against the other.
    pub grievances: BTreeMap<Court, Vec<GrievanceItem>>,
    /// Events that have fired (kept when narrating: the account of why
    /// reads it; [`super::Campaign::fired_events`] has them either way).
    pub fired: BTreeSet<Id>,
    /// The ending reached, per court.
    pub endings: BTreeMap<Court, String>,
    /// Month the campaign ended.
    pub ended: Option<MonthIdx>,
    /// What brought each flag, milestone and change of hands about, keyed
    /// `flag:<id>`, `milestone:<id>`, `place:<id>`: the latest origin.
    pub origins: BTreeMap<String, Origin>,
    /// The model's causal trace of every outcome, in order.
    pub traces: Vec<Trace>,
    /// Why each ending (`ending:Song`) and milestone (`milestone:<id>`)
    /// came out as it did, written when the campaign ends: `[model]` lines.
    pub why: BTreeMap<String, Vec<String>>,
}

impl Ledger {
    /// Empty, as a new campaign's, keeping the room of its list of
    /// decisions (a restarted campaign refills it). Every field is named,
    /// so a new one cannot be forgotten here.
    pub fn reset(&mut self) {
        let Ledger {
            decisions,
            milestones,
            grievances,
            fired,
            endings,
            ended,
            origins,
            traces,
            why,
        } = self;
        decisions.clear();
        milestones.clear();
        grievances.clear();
        fired.clear();
        endings.clear();
        *ended = None;
        origins.clear();
        traces.clear();
        why.clear();
    }
}

/// What brought a fact about.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Origin {
    /// When.
    pub month: MonthIdx,
    /// What did it: a decision, a dispatch or a rule of the model.
    pub cause: String,
    /// The subjects (`place:kaifeng`, `flag:x`, `army:y`) the cause
    /// depended on, to find the model's traces behind it.
    pub subjects: Vec<String>,
}

/// One line of the model's causal trace: the rule, the numbers, the draw.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trace {
    /// When.
    pub month: MonthIdx,
    /// The rule (`siege`, `battle`, `crossing`, `waver`, `flight`,
    /// `pursuit`, `supply`, `council`, `march`).
    pub rule: String,
    /// What it is about: `place:kaifeng`, `army:eastern_army`, `court:Song`.
    pub subjects: Vec<String>,
    /// The line, without its `[model]` label.
    pub text: String,
}

impl Ledger {
    /// The Grievance gauge of a court: the sum of its grievances, 0–100.
    #[must_use]
    pub fn grievance(&self, court: Court) -> i32 {
        self.grievances
            .get(&court)
            .map_or(0, |g| g.iter().map(|x| x.weight).sum::<i32>())
            .clamp(0, 100)
    }

    /// The month a decision was taken, if it was.
    #[must_use]
    pub fn choice_month(&self, decision: &str) -> Option<MonthIdx> {
        self.decisions
            .iter()
            .find(|d| d.decision == decision)
            .map(|d| d.month)
    }

    /// The option chosen at a decision, if taken.
    #[must_use]
    pub fn choice(&self, decision: &str) -> Option<&str> {
        self.decisions
            .iter()
            .find(|d| d.decision == decision)
            .map(|d| d.option.as_str())
    }

    /// [`Ledger::choice`] by identity: the option chosen at a decision.
    #[must_use]
    pub fn chose(&self, decision: Id) -> Option<Id> {
        self.decisions
            .iter()
            .find(|d| d.decision == decision)
            .map(|d| d.option)
    }
}

/// One decision taken.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DecisionTaken {
    /// Decision id.
    pub decision: Id,
    /// Option id.
    pub option: Id,
    /// Month.
    pub month: MonthIdx,
    /// Who decided: `player` or a policy name.
    pub by: String,
}

/// One named grievance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GrievanceItem {
    /// Stable id.
    pub id: String,
    /// Weight.
    pub weight: i32,
    /// The aggrieved court's case.
    pub text: String,
    /// When it arose.
    pub month: MonthIdx,
}

/// The month-by-month annal.
#[derive(Default, Debug, Clone)]
pub struct Chronicle {
    /// Entries in order, one per month played.
    pub entries: Vec<ChronicleEntry>,
}

/// One month of the chronicle.
#[derive(Debug, Clone)]
pub struct ChronicleEntry {
    /// The month.
    pub month: MonthIdx,
    /// Lines in order.
    pub lines: Vec<Line>,
}

/// A line of the chronicle.
#[derive(Debug, Clone)]
pub struct Line {
    /// What kind of line.
    pub kind: LineKind,
    /// Headline (dispatches) or empty.
    pub title: String,
    /// The text.
    pub text: String,
    /// Which court hears it (`None`: both).
    pub to: Option<Court>,
}

/// What a chronicle line is, and how far it is history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// A dispatch, with its certainty and sources.
    Dispatch(Certainty, Vec<String>),
    /// A decision taken (by a court).
    Decision(Court),
    /// A delayed consequence landing.
    Consequence,
    /// A recorded or disputed dispatch the model has moved off its
    /// recorded month by this many months (negative: earlier).
    Moved(Certainty, Vec<String>, i32),
    /// Model output: what the simulation produced.
    Model,
}

impl LineKind {
    /// The label of a dispatch line: `[recorded · SS-23]`, `[invented for
    /// play]`, or, for a recorded dispatch the model has moved, `[recorded ·
    /// SS-23 · in the record 2 months earlier; the timing here is the
    /// model's]`. `None` for other lines.
    #[must_use]
    pub fn dispatch_tag(&self) -> Option<String> {
        let (cert, sources, shift) = match self {
            LineKind::Dispatch(c, s) => (c, s, 0),
            LineKind::Moved(c, s, m) => (c, s, *m),
            _ => return None,
        };
        let mut tag = if *cert == Certainty::Invented || sources.is_empty() {
            cert.label().to_owned()
        } else {
            format!("{} · {}", cert.label(), sources.join(", "))
        };
        if shift != 0 {
            let n = shift.unsigned_abs();
            tag.push_str(&format!(
                " · in the record {n} month{} {}; the timing here is the model's",
                if n == 1 { "" } else { "s" },
                if shift > 0 { "earlier" } else { "later" }
            ));
        }
        Some(format!("[{tag}]"))
    }
}

impl Chronicle {
    /// Adds a line to the current month's entry.
    pub fn push(&mut self, month: MonthIdx, line: Line) {
        match self.entries.last_mut() {
            Some(e) if e.month == month => e.lines.push(line),
            _ => self.entries.push(ChronicleEntry {
                month,
                lines: vec![line],
            }),
        }
    }
}
