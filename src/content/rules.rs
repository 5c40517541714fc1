//! The war model's parameters, as authors write them in `assets/rules.ron`.
//!
//! Rust holds the mechanisms (`src/sim/war.rs`, `src/sim/model.rs`); this
//! file's types hold every number that decides a march, a river crossing, a
//! siege, a battle, a wavering army, a flight or a war council. The rules
//! file is part of the content hash, and `docs/MODEL.md`'s tables are
//! generated from it ([`crate::modeldoc`]).
//!
//! Every section carries its `basis` (what the number rests on, in our
//! words) and `sources` (ids from `assets/sources.ron`, or the grounding
//! file's own ids such as `SSJSBM-13`), so the summary of the model can say
//! what each rule is, where it comes from and what is invented.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{Court, Gauge, Id};
use crate::id::{AsId, IdMap};

/// The version of the model's mechanisms. Bump it when a rule's meaning
/// changes in Rust, so that runs made under the old rules are refused.
pub const RULES_VERSION: u32 = 3;

/// The flag the model's pursuit rule sets when it overtakes a court that has
/// left its capital (endings read it).
pub const COURT_CAPTURED: &str = "court_captured";

/// The flag the flight rule sets when a court's escort mutinies on the road.
pub const ESCORT_MUTINIED: &str = "escort_mutinied";

/// Flags the model's Rust rules set, so validation counts them as set.
pub const MODEL_FLAGS: [&str; 2] = [COURT_CAPTURED, ESCORT_MUTINIED];

/// `assets/rules.ron`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Must equal [`RULES_VERSION`].
    pub version: u32,
    /// Which month numbers are winter and summer.
    pub seasons: Seasons,
    /// How the contest function turns two powers into a chance.
    pub contest: ContestRules,
    /// Army kinds: how well they fight in the field and against walls, and
    /// how fast they march.
    pub kinds: Kinds,
    /// Marching and river crossings.
    pub march: MarchRules,
    /// Field battles.
    pub battle: BattleRules,
    /// Sieges: assaults, blockade, starvation and relief.
    pub siege: SiegeRules,
    /// Supply and time in the field.
    pub supply: SupplyRules,
    /// Armies whose loyalty is in doubt.
    pub waver: WaverRules,
    /// A court's flight and pursuit.
    pub flight: FlightRules,
    /// Named circumstances that multiply a side's power in a contest
    /// (`night_attack`, `piecemeal` …), each with its basis.
    pub edges: BTreeMap<String, Edge>,
    /// Named scores: weighted sums of the world that councils weigh
    /// (`jin.war_case` …).
    pub scores: BTreeMap<String, Score>,
    /// Places the model needs to know more about: wall length, bank of the
    /// Yellow River, the Yangzi barrier.
    pub places: BTreeMap<String, PlaceRules>,
}

/// Seasons by month number (a leap month counts as the month it follows).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seasons {
    /// Winter months: rivers may freeze, the Jin campaign.
    pub winter: Vec<u8>,
    /// Summer months: the Jin avoid the plains.
    pub summer: Vec<u8>,
    /// Autumn months: "autumn high and the horses fat".
    pub autumn: Vec<u8>,
    /// What the seasons rest on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// The contest success function: `p = A^k / (A^k + D^k)`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContestRules {
    /// Exponent `k` for field battles and river crossings.
    pub battle_exponent: u32,
    /// Exponent `k` for assaults on walls.
    pub assault_exponent: u32,
    /// No contest is ever surer than this (percent).
    pub max_pct: u32,
    /// Nor less sure than this (percent).
    pub min_pct: u32,
    /// Morale 0–100 scales power from `morale_floor_pct` (at 0) to
    /// `morale_floor_pct + 100` (at 100) percent.
    pub morale_floor_pct: i64,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// An army kind.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    /// Power per thousand men in the field (Song regulars = 100).
    pub field: i64,
    /// Power per thousand men against walls.
    pub assault: i64,
    /// Power per thousand men defending walls.
    pub defend: i64,
    /// Straight-line km a day on the march, halts included.
    pub km_per_day: i64,
    /// Lives off the land: supply drains at half rate when foraging is not
    /// denied.
    pub forages: bool,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// The army kinds by id, sorted (as the file lists and the model document
/// prints them), with a look-up by identity for the simulation (which asks
/// for an army's kind every month it marches or eats).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(from = "BTreeMap<Id, Kind>", into = "BTreeMap<Id, Kind>")]
pub struct Kinds {
    sorted: BTreeMap<Id, Kind>,
    find: IdMap<Kind>,
}

impl From<BTreeMap<Id, Kind>> for Kinds {
    fn from(sorted: BTreeMap<Id, Kind>) -> Kinds {
        let mut find = IdMap::default();
        for (id, k) in &sorted {
            find.insert(*id, k.clone());
        }
        Kinds { sorted, find }
    }
}

impl From<Kinds> for BTreeMap<Id, Kind> {
    fn from(k: Kinds) -> BTreeMap<Id, Kind> {
        k.sorted
    }
}

impl Kinds {
    /// The kind with this id.
    #[must_use]
    pub fn get(&self, id: impl AsId) -> Option<&Kind> {
        self.find.get(id)
    }

    /// Whether there is a kind with this id.
    #[must_use]
    pub fn contains(&self, id: impl AsId) -> bool {
        self.find.contains(id)
    }

    /// The kinds' ids, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &Id> {
        self.sorted.keys()
    }

    /// The kinds, by id.
    pub fn values(&self) -> impl Iterator<Item = &Kind> {
        self.sorted.values()
    }

    /// The kinds with their ids, sorted.
    pub fn iter(&self) -> impl Iterator<Item = (&Id, &Kind)> {
        self.sorted.iter()
    }
}

/// Marching.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarchRules {
    /// Days of marching in a month.
    pub days_per_month: i64,
    /// Km a day when an army reduces the towns on its road instead of
    /// passing them by.
    pub reducing_km_per_day: i64,
    /// Days lost ferrying across an undefended river.
    pub ferry_days: i64,
    /// Power multiplier (percent) for the defenders of a river line.
    pub river_defence_pct: i64,
    /// Power multiplier (percent) on the river defence in winter, when
    /// parts of the river may be crossed on the ice.
    pub ice_pct: i64,
    /// Share of strength (percent) an attacker loses in a failed crossing.
    pub failed_crossing_loss_pct: i64,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// Field battles.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BattleRules {
    /// Share of strength (percent) the winner loses.
    pub winner_loss_pct: i64,
    /// Share of strength (percent) the loser loses.
    pub loser_loss_pct: i64,
    /// Morale the loser loses.
    pub loser_morale: i32,
    /// Morale the winner gains.
    pub winner_morale: i32,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// Sieges.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiegeRules {
    /// Each point of walls (0–100) adds this many hundredths of a percent
    /// to the garrison's power: walls 80 at 10 → ×9 (1 + 80·10/100).
    pub walls_per_point: i64,
    /// Thousands of men per km of wall needed to close a full ring; a
    /// partial ring lets food in and eats the stores more slowly.
    pub ring_k_per_km: i64,
    /// Wall length (km) of a place the rules do not list.
    pub default_wall_km: i64,
    /// Percent of a month's assault chance actually spent when the
    /// besieger only blockades (the "lock-city method").
    pub blockade_assault_pct: i64,
    /// Defenders' power (percent) when the food is gone.
    pub starving_pct: i64,
    /// Chance (percent) a month that a place with no food left falls.
    pub starved_fall_pct: u32,
    /// The kind whose `defend` value a court's garrisons fight with.
    pub garrison_kind: BTreeMap<Court, Id>,
    /// Tenths of a month of food a place not under siege regains each
    /// month, up to what it held at the start (the roads and canals open).
    pub resupply_tenths: i32,
    /// Relief armies within this many km count toward the defence.
    pub relief_km: i64,
    /// Share (percent) of a relief army's field power that counts in the
    /// defence of the walls: presence, not battle.
    pub relief_share_pct: i64,
    /// Relief at this many times the besiegers' strength denies them
    /// foraging: their supply drains at the full rate, doubled.
    pub relief_pressure_ratio_pct: i64,
    /// Defenders' power (percent) in the deep-winter cold.
    pub winter_defence_pct: i64,
    /// Attacker losses (percent of strength) in a failed assault month.
    pub failed_assault_loss_pct: i64,
    /// Garrison losses (percent) in a month of assaults beaten off.
    pub held_assault_loss_pct: i64,
    /// A besieged capital whose court has left it may open its gates: below
    /// this morale (the holder's Morale gauge) …
    pub abandoned_capital_morale: i32,
    /// … with this chance (percent) a month per point below.
    pub abandoned_capital_pct_per_point: i64,
    /// … but never more than this chance (percent) in one month.
    pub abandoned_capital_max_pct: i64,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// Supply and time in the field.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyRules {
    /// Supply (0–100) an army has when it sets out.
    pub full: i32,
    /// Points a month spent in the field in spring, autumn and winter.
    pub drain: i32,
    /// Extra points a month in summer, on the plains (more than
    /// `summer_beyond_km` from home).
    pub summer_drain: i32,
    /// How far from home (km) the summer drain begins.
    pub summer_beyond_km: i64,
    /// Extra points a month per 100 km from home.
    pub per_100km: i32,
    /// Points a month regained at home.
    pub regain: i32,
    /// At or below this an army withdraws toward home.
    pub withdraw_at: i32,
    /// Morale lost a month by an army out of supply.
    pub hungry_morale: i32,
    /// Song treasury points a month for each 50 thousand men in the field.
    pub upkeep_per_50k: i32,
    /// Song treasury points a month from the taxes of the empire.
    pub song_income: i32,
    /// Morale a month lost by an unpaid army (the treasury empty).
    pub unpaid_morale: i32,
    /// An unpaid army at or below this morale scatters.
    pub disperse_at: i32,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// An army whose loyalty is in doubt, approached by the enemy: the chance
/// it goes over falls in a straight line from `max_pct` (its court's
/// Loyalty gauge at or below `certain_below`) to `floor_pct` (at
/// `safe_at`), and is 0 above `safe_at`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaverRules {
    /// Chance (percent) at or below `certain_below`.
    pub max_pct: i32,
    /// Loyalty at or below which the chance is `max_pct`.
    pub certain_below: i32,
    /// Loyalty at which the chance is down to `floor_pct`.
    pub safe_at: i32,
    /// Chance (percent) at `safe_at`.
    pub floor_pct: i32,
    /// Extra chance (percent) per 10 thousand men of the enemy's army at
    /// hand beyond the wavering army's own strength.
    pub per_10k_enemy: i32,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// Flight of a court and pursuit.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlightRules {
    /// Km a day a pursuing cavalry raid covers.
    pub raid_km_per_day: i64,
    /// Days of head start at which the risk of being overtaken is gone.
    pub safe_days: i64,
    /// Chance (percent) of being overtaken with no head start at all.
    pub overtaken_max_pct: i64,
    /// Chance (percent) of being overtaken whatever the head start.
    pub overtaken_min_pct: i64,
    /// Chance (percent) the escort mutinies on the road.
    pub mutiny_pct: i64,
    /// Extra mutiny chance (percent) for each 10 points of Treasury below 50
    /// (unpaid escorts).
    pub mutiny_per_10_treasury: i64,
    /// Share (percent) of the capital's garrison that deserts when the
    /// court leaves (the guards' families are in the city).
    pub desertion_pct: i64,
    /// Legitimacy lost by leaving the capital.
    pub legitimacy: i32,
    /// Morale lost in the capital.
    pub morale: i32,
    /// A Jin army within this many km of a court away from its capital may
    /// raid for it, once the Jin are at the capital.
    pub pursuit_km: i64,
    /// Chance (percent) a month of such a raid at distance 0, falling to 0
    /// at `pursuit_km`.
    pub pursuit_pct: i64,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// A named circumstance that multiplies a side's power.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    /// Multiplier in percent (150 = half again as strong).
    pub pct: i64,
    /// In which contests it counts when it is carried by an army or a
    /// place (an edge named in a `Battle` or `Storm` effect always counts).
    pub applies: Vec<Use>,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A kind of contest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Use {
    /// A battle in the open field.
    Field,
    /// Storming walls.
    Assault,
    /// Holding walls.
    Defend,
    /// Forcing or holding a river line.
    Cross,
}

/// A named score: `base` plus each term's quantity times its weight / 100.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// What the score measures.
    pub meaning: String,
    /// Constant part.
    #[serde(default)]
    pub base: i32,
    /// Weighted terms.
    pub terms: Vec<Term>,
    /// What it rests on.
    pub basis: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// One term of a score.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// How the term reads in a trace ("the Liao emperor taken").
    pub label: String,
    /// The quantity.
    pub of: Quantity,
    /// Weight: points per 100 of the quantity.
    pub per100: i32,
}

/// A quantity of the world a score can weigh.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Quantity {
    /// 100 if the flag is set, else 0.
    Flag(Id),
    /// A court gauge, 0–100.
    Gauge(Court, Gauge),
    /// 100 in the named season (`winter`, `summer`, `autumn`), else 0.
    Season(String),
    /// Strength (thousands) of the court's active field armies.
    FieldStrength(Court),
    /// Strength (thousands) of the court's active field armies within
    /// `relief_km` of a place.
    StrengthNear(Court, Id),
    /// A place's garrison (thousands), if the court holds it.
    Garrison(Court, Id),
    /// Sum of the garrisons (thousands) of these places held by the court.
    Garrisons(Court, Vec<Id>),
    /// 100 if the court holds the place, else 0.
    Holds(Court, Id),
    /// Months since a milestone was reached (0 if not reached).
    MonthsSince(Id),
}

/// What the model knows about a place beyond `assets/places.ron`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRules {
    /// Length of the outer wall in km.
    #[serde(default)]
    pub wall_km: Option<i64>,
    /// North of the Yellow River (its 1048–1128 course): a march between a
    /// north and a south place crosses the river.
    #[serde(default)]
    pub north: bool,
    /// South of the Yangzi: beyond the reach of a cavalry pursuit.
    #[serde(default)]
    pub beyond_yangzi: bool,
    /// A place on the Yellow River's bank that guards a crossing: armies
    /// standing there defend the river line against a march across it.
    #[serde(default)]
    pub river_bank: bool,
}
