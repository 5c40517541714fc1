//! Components and resources of the campaign world.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use bevy::prelude::*;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::{Certainty, Cond, Court, Effect, Fate, Gauge};
use crate::policy::PolicyKind;

/// The validated scenario the campaign plays.
#[derive(Resource, Clone)]
pub struct Content(pub Arc<Scenario>);

/// Where the campaign is in its calendar.
#[derive(Resource, Debug, Clone)]
pub struct Turn {
    /// The current month.
    pub month: MonthIdx,
    /// This month's dispatches have fired.
    pub dispatched: bool,
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
#[derive(Resource)]
pub struct Rngs {
    /// Chances in effects and the war.
    pub world: ChaCha8Rng,
    /// The Song policy's draws.
    pub song: ChaCha8Rng,
    /// The Jin policy's draws.
    pub jin: ChaCha8Rng,
}

/// Plain facts the story has produced.
#[derive(Resource, Default, Debug, Clone)]
pub struct Flags(pub BTreeSet<String>);

/// Decisions put to councils this month, in order, awaiting an answer.
#[derive(Resource, Default, Debug)]
pub struct Docket(pub VecDeque<String>);

/// Decisions raised by late events, put to next month's council.
#[derive(Resource, Default, Debug)]
pub struct Deferred(pub VecDeque<String>);

/// Answers taken at council, waiting for the resolution phase.
#[derive(Resource, Default, Debug)]
pub struct Resolutions(pub VecDeque<Resolution>);

/// One answer.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// Decision id.
    pub decision: String,
    /// Option id.
    pub option: String,
    /// Who decided.
    pub by: String,
}

/// Delayed consequences waiting for their month.
#[derive(Resource, Default, Debug)]
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
}

/// Ids of entities by their stable string id.
#[derive(Resource, Default, Debug)]
pub struct Index {
    /// Courts.
    pub courts: BTreeMap<Court, Entity>,
    /// Places.
    pub places: BTreeMap<String, Entity>,
    /// Armies.
    pub armies: BTreeMap<String, Entity>,
    /// People.
    pub people: BTreeMap<String, Entity>,
}

/// A court.
#[derive(Component, Debug, Clone)]
pub struct CourtState {
    /// Which court.
    pub court: Court,
    /// Ruler (person id).
    pub ruler: String,
    /// Gauges 0–100 (all but Grievance, which the ledger keeps).
    pub gauges: BTreeMap<Gauge, i32>,
}

/// A place.
#[derive(Component, Debug, Clone)]
pub struct PlaceState {
    /// Place id.
    pub id: String,
    /// Holder.
    pub holder: Option<Court>,
    /// Garrison, thousands.
    pub garrison: i32,
    /// Walls 0–100.
    pub walls: i32,
    /// Food, months.
    pub food: i32,
    /// Under siege.
    pub besieged: bool,
}

/// An army.
#[derive(Component, Debug, Clone)]
pub struct ArmyState {
    /// Army id.
    pub id: String,
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
    pub at: String,
    /// Places still to march through.
    pub route: VecDeque<String>,
    /// Places it can cover in a month on an open road.
    pub speed: i32,
}

/// A person in play.
#[derive(Component, Debug, Clone)]
pub struct PersonState {
    /// Person id.
    pub id: String,
    /// Court served now.
    pub court: Court,
    /// Loyalty 0–100.
    pub loyalty: i32,
    /// Fate.
    pub fate: Fate,
}

/// Every decision taken and milestone reached: the raw material of the
/// debrief.
#[derive(Resource, Default, Debug, Clone, Serialize, Deserialize)]
pub struct Ledger {
    /// Decisions in the order taken.
    pub decisions: Vec<DecisionTaken>,
    /// Milestones reached, with their month.
    pub milestones: BTreeMap<String, MonthIdx>,
    /// Named grievances each court holds against the other.
    pub grievances: BTreeMap<Court, Vec<GrievanceItem>>,
    /// Events that have fired.
    pub fired: BTreeSet<String>,
    /// The ending reached, per court.
    pub endings: BTreeMap<Court, String>,
    /// Month the campaign ended.
    pub ended: Option<MonthIdx>,
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

    /// The option chosen at a decision, if taken.
    #[must_use]
    pub fn choice(&self, decision: &str) -> Option<&str> {
        self.decisions
            .iter()
            .find(|d| d.decision == decision)
            .map(|d| d.option.as_str())
    }
}

/// One decision taken.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DecisionTaken {
    /// Decision id.
    pub decision: String,
    /// Option id.
    pub option: String,
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
#[derive(Resource, Default, Debug, Clone)]
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
    /// Model output: what the simulation produced.
    Model,
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
