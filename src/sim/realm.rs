//! [`Realm`]: the whole campaign world as one system parameter, with
//! condition evaluation, effect application and the model's contests
//! (battles, assaults, wavering armies, flight), each of which writes its
//! numbers and its draw into the trace.

use std::collections::VecDeque;
use std::sync::Arc;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use rand::Rng;
use smallvec::SmallVec;

use super::model::{self, contest_bp, edges_pct, km, morale_pct, pct_text, power};
use super::state::{
    ArmyState, Book, CourtState, GrievanceItem, Kind, Line, LineKind, Narration, Origin, Pending,
    PersonState, PlaceState, Trace,
};
use super::why::cond_subjects;
use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::{Cmp, Cond, Court, Effect, Fate, Gauge, Id, Orders};
use crate::content::rules::{Quantity, Rules, Use};
use crate::id::AsId;

/// Everything a phase of the turn may read or change: the campaign's
/// [`Book`] (read through the realm: `realm.turn`, `realm.flags`, ...) and
/// its entities.
#[derive(SystemParam)]
pub struct Realm<'w, 's> {
    /// The scenario, calendar, flags, ledger, chronicle and the rest.
    pub book: ResMut<'w, Book>,
    /// Courts.
    pub courts: Query<'w, 's, &'static mut CourtState>,
    /// Places.
    pub places: Query<'w, 's, &'static mut PlaceState>,
    /// Armies.
    pub armies: Query<'w, 's, &'static mut ArmyState>,
    /// People.
    pub people: Query<'w, 's, &'static mut PersonState>,
}

impl std::ops::Deref for Realm<'_, '_> {
    type Target = Book;
    fn deref(&self) -> &Book {
        &self.book
    }
}

impl std::ops::DerefMut for Realm<'_, '_> {
    fn deref_mut(&mut self) -> &mut Book {
        &mut self.book
    }
}

/// Where, in a condition, the one atom is whose value settled it (see
/// [`Realm::settle`]): the children's positions from the root down, and the
/// atom's value then.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Witness {
    path: [u8; 6],
    len: u8,
    value: bool,
    settled: bool,
}

impl Witness {
    /// The atom this witness points at in `c`, if it settled `c`.
    #[must_use]
    pub fn atom<'c>(&self, c: &'c Cond) -> Option<&'c Cond> {
        if !self.settled {
            return None;
        }
        let mut at = c;
        for &i in self.path.get(..usize::from(self.len))? {
            at = match at {
                Cond::All(cs) | Cond::Any(cs) => cs.get(usize::from(i))?,
                Cond::Not(x) => x,
                _ => return None,
            };
        }
        match at {
            Cond::All(_) | Cond::Any(_) | Cond::Not(_) => None,
            atom => Some(atom),
        }
    }
}

fn cmp(x: i32, c: Cmp, v: i32) -> bool {
    match c {
        Cmp::Ge => x >= v,
        Cmp::Le => x <= v,
        Cmp::Gt => x > v,
        Cmp::Lt => x < v,
    }
}

/// Food in months for a trace: `1.4 months`, `none left`.
fn food_text(tenths: i32) -> String {
    match tenths {
        t if t <= 0 => "none left".to_owned(),
        10 => "1 month".to_owned(),
        t if t % 10 == 0 => format!("{} months", t / 10),
        t => format!("{}.{} months", t / 10, t % 10),
    }
}

/// Splits effect edges into the attacker's and the defender's
/// (`defender:forewarned`).
fn split_edges(edges: &[Id]) -> (Vec<&str>, Vec<&str>) {
    let mut att = Vec::new();
    let mut def = Vec::new();
    for e in edges {
        match e.strip_prefix("defender:") {
            Some(d) => def.push(d),
            None => att.push(e.as_str()),
        }
    }
    (att, def)
}

impl Realm<'_, '_> {
    /// The scenario (a cheap clone of the shared pointer).
    #[must_use]
    pub fn scenario(&self) -> Arc<Scenario> {
        self.content.0.clone()
    }

    /// A court's gauge value.
    #[must_use]
    pub fn gauge(&self, court: Court, g: Gauge) -> i32 {
        if g == Gauge::Grievance {
            return self.ledger.grievance(court);
        }
        self.court(court)
            .map_or(50, |c| c.gauges.get(g).unwrap_or(50))
    }

    /// A court's state.
    #[must_use]
    pub fn court(&self, court: Court) -> Option<&CourtState> {
        self.index
            .courts
            .get(&court)
            .and_then(|e| self.courts.get(*e).ok())
    }

    /// A place's state.
    #[must_use]
    pub fn place(&self, id: impl AsId) -> Option<&PlaceState> {
        self.index
            .get(Kind::Place, id)
            .and_then(|e| self.places.get(e).ok())
    }

    /// A place's state, to change.
    pub fn place_mut(&mut self, id: impl AsId) -> Option<Mut<'_, PlaceState>> {
        let e = self.index.get(Kind::Place, id)?;
        self.places.get_mut(e).ok()
    }

    /// An army's state.
    #[must_use]
    pub fn army(&self, id: impl AsId) -> Option<&ArmyState> {
        self.index
            .get(Kind::Army, id)
            .and_then(|e| self.armies.get(e).ok())
    }

    /// An army's state, to change.
    pub fn army_mut(&mut self, id: impl AsId) -> Option<Mut<'_, ArmyState>> {
        let e = self.index.get(Kind::Army, id)?;
        self.armies.get_mut(e).ok()
    }

    /// The armies in the world, by id (without cloning their ids). Their
    /// storage is in id order (see `Index::armies_in_order`), so it is
    /// walked with no look-up per army; were it not, each would be looked
    /// up in id order.
    pub fn active(&self) -> impl Iterator<Item = &ArmyState> {
        let all: SmallVec<[&ArmyState; 16]> = if self.index.armies_in_order {
            self.armies.iter().collect()
        } else {
            self.index
                .armies
                .values()
                .filter_map(|e| self.armies.get(*e).ok())
                .collect()
        };
        all.into_iter().filter(|a| a.active && a.strength > 0)
    }

    /// The armies in the world in storage order, which is not sorted: only
    /// for folds whose result does not depend on the order (sums, counts,
    /// `any`), never before a draw that depends on it.
    pub fn active_unordered(&self) -> impl Iterator<Item = &ArmyState> {
        self.armies.iter().filter(|a| a.active && a.strength > 0)
    }

    /// Ids of the armies in the world, sorted.
    #[must_use]
    pub fn active_armies(&self) -> SmallVec<[Id; 16]> {
        if self.index.armies_in_order {
            // Their storage is in id order: one walk, no look-ups.
            return self
                .armies
                .iter()
                .filter(|a| a.active && a.strength > 0)
                .map(|a| a.id)
                .collect();
        }
        self.active().map(|a| a.id).collect()
    }

    /// Strength (thousands) of a court's active armies within `within` km
    /// of a place.
    #[must_use]
    pub fn strength_near(&self, court: Court, place: impl AsId, within: i64) -> i32 {
        let place = place.as_id();
        let s = &self.content.0;
        self.active_unordered()
            .filter(|a| a.court == court && km(s, a.at, place) <= within)
            .map(|a| a.strength)
            .sum()
    }

    /// Strength (thousands) of a court's active field armies.
    #[must_use]
    pub fn field_strength(&self, court: Court) -> i32 {
        self.active_unordered()
            .filter(|a| a.court == court)
            .map(|a| a.strength)
            .sum()
    }

    /// The value of one quantity a score weighs.
    fn quantity(&self, q: &Quantity) -> i32 {
        let s = &self.content.0;
        match q {
            Quantity::Flag(f) => {
                if self.flags.contains(f) {
                    100
                } else {
                    0
                }
            }
            Quantity::Gauge(c, g) => self.gauge(*c, *g),
            Quantity::Season(name) => {
                if model::season(&s.library.rules, s, self.turn.month) == name {
                    100
                } else {
                    0
                }
            }
            Quantity::FieldStrength(c) => self.field_strength(*c),
            Quantity::StrengthNear(c, p) => {
                self.strength_near(*c, p, s.library.rules.siege.relief_km)
            }
            Quantity::Garrison(c, p) => self
                .place(p)
                .filter(|x| x.holder == Some(*c))
                .map_or(0, |x| x.garrison),
            Quantity::Garrisons(c, ps) => ps
                .iter()
                .filter_map(|p| self.place(p))
                .filter(|x| x.holder == Some(*c))
                .map(|x| x.garrison)
                .sum(),
            Quantity::Holds(c, p) => {
                if self.place(p).is_some_and(|x| x.holder == Some(*c)) {
                    100
                } else {
                    0
                }
            }
            Quantity::MonthsSince(m) => self
                .ledger
                .milestones
                .get(m.as_str())
                .map_or(0, |at| i32::from(self.turn.month.0.saturating_sub(at.0))),
        }
    }

    /// A named score of the rules file and its parts (label, points), or
    /// `None` if the rules have no such score.
    #[must_use]
    pub fn score(&self, name: &str) -> Option<(i32, Vec<(String, i32)>)> {
        let s = &self.content.0;
        let score = s.library.rules.scores.get(name)?;
        let mut total = score.base;
        let mut parts = Vec::new();
        for t in &score.terms {
            let v = self.quantity(&t.of) * t.per100 / 100;
            if v != 0 {
                parts.push((t.label.clone(), v));
            }
            total += v;
        }
        Some((total, parts))
    }

    /// A named score's value alone (what conditions and councils weigh),
    /// without its labelled parts.
    #[must_use]
    pub fn score_value(&self, name: &str) -> Option<i32> {
        let s = self.content.0.library.rules.scores.get(name)?;
        Some(
            s.base
                + s.terms
                    .iter()
                    .map(|t| self.quantity(&t.of) * t.per100 / 100)
                    .sum::<i32>(),
        )
    }

    /// A score as a trace reads it: `jin.war_case 61 (the Liao emperor taken +25, …)`.
    #[must_use]
    pub fn score_text(&self, name: &str) -> String {
        match self.score(name) {
            None => format!("{name}: no such score"),
            Some((v, parts)) => {
                let p: Vec<String> = parts.iter().map(|(l, x)| format!("{l} {x:+}")).collect();
                format!("{name} {v} ({})", p.join(", "))
            }
        }
    }

    /// Whether a condition holds now.
    #[must_use]
    pub fn holds(&self, c: &Cond) -> bool {
        let month = self.turn.month;
        match c {
            Cond::Always => true,
            Cond::Flag(f) => self.flags.contains(f),
            Cond::NoFlag(f) => !self.flags.contains(f),
            Cond::Chose(d, o) => self.ledger.chose(*d) == Some(*o),
            Cond::Gauge(court, g, c, v) => cmp(self.gauge(*court, *g), *c, *v),
            Cond::Holds(court, p) => self.place(p).is_some_and(|p| p.holder == Some(*court)),
            Cond::Besieged(p) => self.place(p).is_some_and(|p| p.besieged),
            Cond::Reached(m) => self.ledger.milestones.contains_key(m),
            Cond::From(m) => self.content.0.month_of(*m).is_some_and(|m| month >= m),
            Cond::Before(m) => self.content.0.month_of(*m).is_some_and(|m| month < m),
            Cond::Score(name, c, v) => self.score_value(name).is_some_and(|x| cmp(x, *c, *v)),
            Cond::Active(a) => self.army(a).is_some_and(|a| a.active && a.strength > 0),
            Cond::Seat(court, p) => self.court(*court).is_some_and(|c| &c.seat == p),
            Cond::At(a, p) => self
                .army(a)
                .is_some_and(|a| a.active && a.strength > 0 && &a.at == p),
            Cond::Serves(a, c) => self.army(a).is_some_and(|a| a.court == *c),
            Cond::South(a) => self
                .army(a)
                .is_some_and(|a| a.active && a.strength > 0 && !self.content.0.geo.north(a.at)),
            Cond::Beaten(a) => self.army(a).is_some_and(|a| a.beaten.is_some()),
            Cond::Fate(person, fate) => self
                .index
                .get(Kind::Person, person)
                .and_then(|e| self.people.get(e).ok())
                .is_some_and(|p| p.fate == *fate),
            Cond::Since(f, n) => {
                self.flags.contains(f) && {
                    let at = self.flags.set_at(f).unwrap_or(self.content.0.start);
                    month.0 >= at.0.saturating_add(*n)
                }
            }
            Cond::All(cs) => cs.iter().all(|c| self.holds(c)),
            Cond::Any(cs) => cs.iter().any(|c| self.holds(c)),
            Cond::Not(c) => !self.holds(c),
        }
    }

    /// Evaluates a condition as [`Realm::holds`] does and, when one atom
    /// alone settles its value (a false conjunct of an `All`, a true
    /// disjunct of an `Any`, through any `Not`), says in `w` where that
    /// atom is and what it was. While that atom keeps its value the
    /// condition keeps its own, whatever else changes: the dispatch phase
    /// re-reads that one atom instead of the whole condition.
    pub fn settle(&self, c: &Cond, w: &mut Witness) -> bool {
        w.settled = false;
        self.settle_at(c, w, 0)
    }

    fn settle_at(&self, c: &Cond, w: &mut Witness, depth: usize) -> bool {
        match c {
            Cond::All(cs) | Cond::Any(cs) => {
                let all = matches!(c, Cond::All(_));
                for (i, x) in cs.iter().enumerate() {
                    let v = match (w.path.get_mut(depth), u8::try_from(i)) {
                        (Some(slot), Ok(i)) => {
                            *slot = i;
                            self.settle_at(x, w, depth + 1)
                        }
                        // Too deep or too wide to point at.
                        _ => {
                            w.settled = false;
                            self.holds(x)
                        }
                    };
                    // A false conjunct settles an `All`, a true disjunct an
                    // `Any`, with the child's own witness (if it has one).
                    if v != all {
                        return v;
                    }
                }
                // Every child was needed.
                w.settled = false;
                all
            }
            Cond::Not(x) => match w.path.get_mut(depth) {
                Some(slot) => {
                    *slot = 0;
                    !self.settle_at(x, w, depth + 1)
                }
                None => {
                    w.settled = false;
                    !self.holds(x)
                }
            },
            atom => {
                let v = self.holds(atom);
                w.len = u8::try_from(depth).unwrap_or(u8::MAX);
                w.value = v;
                w.settled = true;
                v
            }
        }
    }

    /// Whether the atom a [`Witness`] points at in `c` still has the value
    /// it had: then `c` still has the value it had too.
    #[must_use]
    pub fn still(&self, c: &Cond, w: &Witness) -> bool {
        w.atom(c).is_some_and(|a| self.holds(a) == w.value)
    }

    /// Whether this campaign writes its chronicle, traces and causes
    /// ([`Narration::Full`]); with [`Narration::Numbers`] no text is built.
    #[must_use]
    pub fn narrating(&self) -> bool {
        self.narration == Narration::Full
    }

    /// What `f` builds when the campaign is narrated, and nothing (the
    /// empty text, no subjects) when it is not: trace texts and subjects
    /// are built only for a campaign someone will read.
    pub fn narrated<T: Default>(&self, f: impl FnOnce() -> T) -> T {
        if self.narrating() { f() } else { T::default() }
    }

    /// Writes a model line (simulation output, never history).
    pub fn note(&mut self, text: String) {
        if !self.narrating() {
            return;
        }
        let month = self.turn.month;
        self.chronicle.push(
            month,
            Line {
                kind: LineKind::Model,
                title: String::new(),
                text,
                to: None,
            },
        );
    }

    /// Records a line of the model's trace; with `chronicle`, also as a
    /// model line of the month's chronicle.
    pub fn trace(&mut self, rule: &str, subjects: Vec<String>, text: String, chronicle: bool) {
        if !self.narrating() {
            return;
        }
        let month = self.turn.month;
        if chronicle {
            self.note(text.clone());
        }
        self.ledger.traces.push(Trace {
            month,
            rule: rule.to_owned(),
            subjects,
            text,
        });
    }

    /// Sets what is being applied, for the origins of what it changes.
    pub fn set_cause(&mut self, text: String, subjects: Vec<String>) {
        if !self.narrating() {
            return;
        }
        self.cause.text = text;
        self.cause.subjects = subjects;
    }

    fn origin(&mut self, kind: &str, id: &str) {
        // Origins feed the account of why; a campaign no one reads keeps none.
        if !self.narrating() {
            return;
        }
        let key = format!("{kind}:{id}");
        let o = Origin {
            month: self.turn.month,
            cause: self.cause.text.clone(),
            subjects: self.cause.subjects.clone(),
        };
        self.ledger.origins.insert(key, o);
    }

    /// Records a milestone the first time it is reached.
    pub fn milestone(&mut self, id: impl AsId) {
        let id = id.as_id();
        let month = self.turn.month;
        if let std::collections::btree_map::Entry::Vacant(e) = self.ledger.milestones.entry(id) {
            e.insert(month);
            self.origin("milestone", &id);
        }
    }

    /// Draws against a chance in basis points from the world stream.
    pub fn draw(&mut self, bp: u32) -> bool {
        let roll: u32 = self.rngs.world.random_range(0..10_000);
        roll < bp
    }

    /// Applies effects in order.
    pub fn apply(&mut self, effects: &[Effect]) {
        for e in effects {
            self.apply_one(e);
        }
    }

    fn add_gauge(&mut self, court: Court, g: Gauge, delta: i32) {
        if let Some(e) = self.index.courts.get(&court).copied()
            && let Ok(mut c) = self.courts.get_mut(e)
            && let Some(v) = c.gauges.get_mut(g)
        {
            *v = (*v + delta).clamp(0, 100);
        }
    }

    /// A place changes hands: sieges end, the loser's armies there are lost.
    pub fn take(&mut self, place: impl AsId, court: Court) {
        let place = place.as_id();
        let Some(p) = self.place(place).cloned() else {
            return;
        };
        if p.holder == Some(court) {
            if let Some(mut x) = self.place_mut(place) {
                x.besieged = false;
            }
            return;
        }
        if let Some(mut x) = self.place_mut(place) {
            x.holder = Some(court);
            x.besieged = false;
            x.garrison = 0;
            x.edges.clear();
        }
        self.origin("place", &place);
        let lost: Vec<Id> = self
            .active_armies()
            .into_iter()
            .filter(|id| {
                self.army(id)
                    .is_some_and(|a| a.court == court.other() && a.at == place)
            })
            .collect();
        for id in lost {
            if let Some(mut a) = self.army_mut(id) {
                a.active = false;
                a.strength = 0;
                a.route.clear();
            }
        }
    }

    /// An army's power in a contest of `use_`, with its carried edges and
    /// the named ones.
    #[must_use]
    pub fn army_power(&self, a: &ArmyState, use_: Use, named: &[&str]) -> i64 {
        self.power_of(a, a.strength, use_, named)
    }

    /// [`Realm::army_power`] with `strength` thousand of the army's men
    /// (a detachment committed from it).
    #[must_use]
    pub fn power_of(&self, a: &ArmyState, strength: i32, use_: Use, named: &[&str]) -> i64 {
        let s = &self.content.0;
        let rules = &s.library.rules;
        let Some(kind) = rules.kinds.get(a.kind) else {
            return 0;
        };
        let m = morale_pct(rules, a.morale);
        let e = edges_pct(rules, &a.edges, named, use_);
        power(strength, kind, use_, m, e)
    }

    /// What a month of siege at a place depends on, with the named edges
    /// for the attackers and the defenders, and the strengths (besiegers,
    /// defenders, relief, in thousands) for the trace.
    #[must_use]
    pub fn siege_month(
        &self,
        place: impl AsId,
        att_named: &[&str],
        def_named: &[&str],
    ) -> Option<(model::SiegeMonth, i32, i32, i32)> {
        let place = place.as_id();
        let s = &self.content.0;
        let rules: &Rules = &s.library.rules;
        let p = self.place(place)?;
        let holder = p.holder?;
        let morale = morale_pct(rules, self.gauge(holder, Gauge::Morale));
        let gkind = rules
            .siege
            .garrison_kind
            .get(&holder)
            .and_then(|k| rules.kinds.get(k));
        let mut inside = gkind.map_or(0, |k| power(p.garrison, k, Use::Defend, morale, 100));
        let mut inside_k = p.garrison;
        let mut relief = 0;
        let mut relief_k = 0;
        let mut attack = 0;
        let mut att_k = 0;
        let mut blockade = true;
        // Sums and an all-of: the order of the armies does not matter.
        for a in self.active_unordered() {
            if a.court == holder {
                if a.at == place {
                    inside_k += a.strength;
                    inside += self.army_power(a, Use::Defend, &[]);
                } else if km(s, a.at, place) <= rules.siege.relief_km {
                    relief_k += a.strength;
                    relief += self.army_power(a, Use::Defend, &[]);
                }
            } else if a.at == place && a.route.is_empty() {
                att_k += a.strength;
                attack += self.army_power(a, Use::Assault, att_named);
                blockade &= a.orders == Orders::Blockade;
            }
        }
        let m = model::SiegeMonth {
            attack,
            blockade: blockade && att_k > 0,
            inside,
            walls: p.walls,
            edges_pct: edges_pct(rules, &p.edges, def_named, Use::Defend),
            food_tenths: p.food_tenths,
            winter: model::season(rules, s, self.turn.month) == "winter",
            relief,
        };
        Some((m, att_k, inside_k, relief_k))
    }

    /// The armies besieging a place (active, hostile, standing at it with
    /// no further road to march), sorted.
    #[must_use]
    pub fn besiegers(&self, place: impl AsId) -> SmallVec<[Id; 4]> {
        let place = place.as_id();
        let Some(holder) = self.place(place).and_then(|p| p.holder) else {
            return SmallVec::new();
        };
        self.active()
            .filter(|a| a.court != holder && a.at == place && a.route.is_empty())
            .map(|a| a.id)
            .collect()
    }

    /// Resolves an assault on a place by its besiegers now. Returns whether
    /// the walls were taken, or `None` when no one besieges it. `monthly`:
    /// the war phase's regular assault (blockading armies only probe).
    pub fn storm(&mut self, place: impl AsId, edges: &[Id], monthly: bool) -> Option<bool> {
        let place = place.as_id();
        let s = self.scenario();
        let rules = &s.library.rules;
        let besiegers = self.besiegers(place);
        if besiegers.is_empty() {
            return None;
        }
        let court = self.army(besiegers[0]).map_or(Court::Jin, |a| a.court);
        let (att_named, def_named) = split_edges(edges);
        let (mut m, att_k, def_k, relief_k) = self.siege_month(place, &att_named, &def_named)?;
        if !monthly {
            m.blockade = false;
        }
        let blockade = m.blockade;
        let bp = model::assault_bp(rules, &m);
        let (walls, food_tenths) = self.place(place).map(|p| (p.walls, p.food_tenths))?;
        let taken = self.draw(bp);
        let how = if monthly && blockade {
            "blockade (the walls only probed)"
        } else {
            "assault"
        };
        let outcome = if taken {
            "the walls fell"
        } else {
            "the walls held"
        };
        let text = self.narrated(|| {
            let relief = if relief_k > 0 {
                format!("relief within reach {relief_k}")
            } else {
                String::from("no relief within reach")
            };
            format!(
                "{}: attackers {att_k}, defenders {def_k}, walls {}, food {}, {relief}; {how} chance {}; {outcome}.",
                s.place_name(&place),
                walls,
                food_text(food_tenths),
                pct_text(bp)
            )
        });
        let subjects = self.narrated(|| {
            let mut v = vec![format!("place:{place}")];
            v.extend(besiegers.iter().map(|b| format!("army:{b}")));
            v
        });
        trace!(self, "siege", subjects.clone(), text.clone(), taken);
        cause!(self, format!("[model] {text}"), subjects);
        if taken {
            self.take(place, court);
            for id in &besiegers {
                if let Some(mut a) = self.army_mut(id) {
                    a.route.retain(|r| *r != place);
                }
            }
        } else if !(monthly && blockade) {
            for id in &besiegers {
                if let Some(mut a) = self.army_mut(id) {
                    let loss = i64::from(a.strength) * rules.siege.failed_assault_loss_pct / 100;
                    a.strength -= i32::try_from(loss).unwrap_or(0);
                }
            }
            if let Some(mut x) = self.place_mut(place) {
                let loss = i64::from(x.garrison) * rules.siege.held_assault_loss_pct / 100;
                x.garrison -= i32::try_from(loss).unwrap_or(0);
            }
        }
        Some(taken)
    }

    /// A field battle: returns whether the attacker won, or `None` when
    /// either army is not in the world.
    pub fn battle(
        &mut self,
        attacker: impl AsId,
        defender: impl AsId,
        edges: &[Id],
        committed: Option<i32>,
    ) -> Option<bool> {
        let attacker = attacker.as_id();
        let defender = defender.as_id();
        let s = self.scenario();
        let rules = &s.library.rules;
        // Both armies read in place (not copied); the attacker fights with
        // the men it commits.
        let (att_named, def_named) = split_edges(edges);
        let (a_strength, pa) = {
            let a = self.army(attacker).filter(|a| a.active && a.strength > 0)?;
            let strength = committed.map_or(a.strength, |c| a.strength.min(c.max(0)));
            (strength, self.power_of(a, strength, Use::Field, &att_named))
        };
        let (d_strength, pd) = {
            let d = self.army(defender).filter(|a| a.active && a.strength > 0)?;
            (d.strength, self.army_power(d, Use::Field, &def_named))
        };
        let bp = contest_bp(
            pa,
            pd,
            rules.contest.battle_exponent,
            rules.contest.min_pct,
            rules.contest.max_pct,
        );
        let won = self.draw(bp);
        let text = self.narrated(|| {
            let edges_text = if edges.is_empty() {
                String::new()
            } else {
                format!(" ({})", edges.join(", "))
            };
            let (Some(a), Some(d)) = (self.army(attacker), self.army(defender)) else {
                return String::new();
            };
            format!(
                "{} ({a_strength} thousand, {}, morale {}) against {} ({d_strength} thousand, {}, morale {}){edges_text}: power {pa} to {pd}; chance {}; {} won.",
                a.name,
                a.kind,
                a.morale,
                d.name,
                d.kind,
                d.morale,
                pct_text(bp),
                if won { &a.name } else { &d.name }
            )
        });
        let subjects =
            self.narrated(|| vec![format!("army:{attacker}"), format!("army:{defender}")]);
        trace!(self, "battle", subjects.clone(), text.clone(), true);
        cause!(self, format!("[model] {text}"), subjects);
        // Losses fall on the men who fought: a detachment's, not its army's.
        let b = &rules.battle;
        let month = self.turn.month;
        // Each side's engaged men: the attacker's detachment, and no more of
        // the defender than twice what came against it.
        let fought = |id: &str, x: &ArmyState| {
            if id == attacker {
                a_strength
            } else {
                x.strength.min(a_strength.saturating_mul(2))
            }
        };
        for (id, winner) in [(attacker, won), (defender, !won)] {
            let Some(mut x) = self.army_mut(id) else {
                continue;
            };
            let base = i64::from(fought(&id, &x));
            if winner {
                x.strength -= i32::try_from(base * b.winner_loss_pct / 100).unwrap_or(0);
                x.morale = (x.morale + b.winner_morale).clamp(0, 100);
            } else {
                x.strength -= i32::try_from(base * b.loser_loss_pct / 100).unwrap_or(0);
                x.morale = (x.morale + b.loser_morale).clamp(0, 100);
                x.beaten = Some(month);
            }
            x.strength = x.strength.max(0);
        }
        Some(won)
    }

    /// A doubtful army is approached: returns whether it goes over.
    pub fn waver(&mut self, army: impl AsId) -> Option<bool> {
        let army = army.as_id();
        let s = self.scenario();
        let rules = &s.library.rules;
        let a = self
            .army(army)
            .filter(|a| a.active && a.strength > 0)?
            .clone();
        let loyalty = self.gauge(a.court, Gauge::Loyalty);
        let enemy = self.strength_near(a.court.other(), a.at, rules.siege.relief_km);
        let excess = enemy - a.strength;
        let bp = model::waver_bp(rules, loyalty, excess);
        let turned = self.draw(bp);
        let text = self.narrated(|| {
            format!(
                "{} ({} thousand) wavers: its court's loyalty gauge {loyalty}, enemy within reach {enemy} thousand; chance it goes over {}; {}.",
                a.name,
                a.strength,
                pct_text(bp),
                if turned { "it went over" } else { "it held" }
            )
        });
        let subjects =
            self.narrated(|| vec![format!("army:{army}"), format!("court:{}", a.court.key())]);
        trace!(self, "waver", subjects.clone(), text.clone(), true);
        cause!(self, format!("[model] {text}"), subjects);
        if let Some(mut x) = self.army_mut(army) {
            x.doubtful = false;
            if turned {
                x.court = x.court.other();
                x.route.clear();
                x.home = x.at;
            }
        }
        Some(turned)
    }

    /// A court flees its seat. Returns (overtaken, mutiny).
    pub fn flee(&mut self, court: Court, to: impl AsId) -> (bool, bool) {
        let to = to.as_id();
        let s = self.scenario();
        let rules = &s.library.rules;
        let f = &rules.flight;
        let seat = self.court(court).map(|c| c.seat).unwrap_or_default();
        let north = |p: Id| s.geo.north(p);
        // The nearest enemy army, and the river between, if any.
        let mut nearest: Option<(i64, String, bool)> = None;
        for id in self.active_armies() {
            let Some(a) = self.army(id) else { continue };
            if a.court == court {
                continue;
            }
            let d = km(&s, a.at, seat);
            if nearest.as_ref().is_none_or(|(n, _, _)| d < *n) {
                nearest = Some((d, a.name.clone(), north(a.at) != north(seat)));
            }
        }
        let (days, enemy_text) = match &nearest {
            None => (f.safe_days, "no enemy army in the field".to_owned()),
            Some((d, name, river)) => {
                let mut days = d / f.raid_km_per_day.max(1);
                if *river {
                    days += rules.march.ferry_days;
                }
                (
                    days,
                    format!(
                        "{name} {d} km off{}, {days} days' head start",
                        if *river { ", across the river" } else { "" }
                    ),
                )
            }
        };
        let bp = model::overtaken_bp(rules, days);
        let overtaken = self.draw(bp);
        let treasury = self.gauge(court, Gauge::Treasury);
        let mutiny_pct =
            f.mutiny_pct + f.mutiny_per_10_treasury * i64::from((50 - treasury).max(0)) / 10;
        let mutiny_bp = u32::try_from(mutiny_pct.clamp(0, 100) * 100).unwrap_or(0);
        let mutiny = !overtaken && self.draw(mutiny_bp);
        let text = self.narrated(|| {
            format!(
                "The {} court leaves {} for {}: {enemy_text}; chance of being overtaken {}; {}{}",
                court.name(),
                s.place_name(&seat),
                s.place_name(&to),
                pct_text(bp),
                if overtaken {
                    "it was overtaken on the road."
                } else {
                    "it got away"
                },
                if overtaken {
                    String::new()
                } else {
                    format!(
                        "; escort mutiny chance {}: {}.",
                        pct_text(mutiny_bp),
                        if mutiny {
                            "the escort mutinied"
                        } else {
                            "none"
                        }
                    )
                }
            )
        });
        let subjects =
            self.narrated(|| vec![format!("court:{}", court.key()), format!("place:{seat}")]);
        trace!(self, "flight", subjects.clone(), text.clone(), true);
        cause!(self, format!("[model] {text}"), subjects);
        if !overtaken {
            if let Some(e) = self.index.courts.get(&court).copied()
                && let Ok(mut c) = self.courts.get_mut(e)
            {
                c.seat = to;
            }
            self.add_gauge(court, Gauge::Legitimacy, f.legitimacy);
            self.add_gauge(court, Gauge::Morale, f.morale);
            let desertion = f.desertion_pct;
            if let Some(mut p) = self.place_mut(seat) {
                let loss = i64::from(p.garrison) * desertion / 100;
                p.garrison -= i32::try_from(loss).unwrap_or(0);
            }
            self.origin("court", court.key());
        }
        (overtaken, mutiny)
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm per effect kind reads best as a single match"
    )]
    fn apply_one(&mut self, e: &Effect) {
        let month = self.turn.month;
        match e {
            Effect::Add(court, g, d) => self.add_gauge(*court, *g, *d),
            Effect::Set(f) => {
                if self.flags.insert_at(*f, month) {
                    self.origin("flag", f);
                }
            }
            Effect::Clear(f) => {
                self.flags.remove(*f);
            }
            Effect::Grievance {
                by,
                id,
                weight,
                text,
            } => {
                // The grievance's words are kept for the debrief only.
                let text = self.narrated(|| text.clone());
                let list = self.ledger.grievances.entry(*by).or_default();
                if !list.iter().any(|g| &g.id == id) {
                    list.push(GrievanceItem {
                        id: id.clone(),
                        weight: *weight,
                        text,
                        month,
                    });
                }
            }
            Effect::Chance {
                percent,
                then,
                otherwise,
            } => {
                let roll: u8 = self.rngs.world.random_range(0..100);
                if roll < *percent {
                    self.apply(then);
                } else {
                    self.apply(otherwise);
                }
            }
            Effect::If {
                when,
                then,
                otherwise,
            } => {
                if self.holds(when) {
                    self.apply(then);
                } else {
                    self.apply(otherwise);
                }
            }
            Effect::Later {
                months,
                when,
                effects,
                note,
            } => {
                let due = MonthIdx(month.0.saturating_add(*months));
                let cause = self.cause.text.clone();
                // Its chronicle line, written only when narrated.
                let note = self.narrated(|| note.clone());
                self.scheduled.0.push(Pending {
                    due,
                    when: when.clone(),
                    effects: effects.clone(),
                    note,
                    cause,
                });
            }
            Effect::Milestone(m) => self.milestone(m),
            Effect::Chronicle(text) => self.note(text.clone()),
            Effect::Take(court, p) => self.take(p, *court),
            Effect::Siege(p, on) => {
                if let Some(mut place) = self.place_mut(p) {
                    place.besieged = *on;
                }
            }
            Effect::Food(p, d) => {
                if let Some(mut place) = self.place_mut(p) {
                    place.food_tenths = (place.food_tenths + d * 10).max(0);
                }
            }
            Effect::Walls(p, d) => {
                if let Some(mut place) = self.place_mut(p) {
                    place.walls = (place.walls + d).clamp(0, 100);
                }
            }
            Effect::Garrison(p, d) => {
                if let Some(mut place) = self.place_mut(p) {
                    place.garrison = (place.garrison + d).max(0);
                }
            }
            Effect::Army {
                army,
                strength,
                morale,
            } => {
                if let Some(mut a) = self.army_mut(army) {
                    a.strength = (a.strength + strength).max(0);
                    a.morale = (a.morale + morale).clamp(0, 100);
                }
            }
            Effect::Defect(army, court) => {
                if let Some(mut a) = self.army_mut(army) {
                    a.court = *court;
                    a.home = a.at;
                }
            }
            Effect::March(army, route) => {
                if let Some(mut a) = self.army_mut(army) {
                    a.route = route.iter().cloned().collect::<VecDeque<_>>();
                    a.progress_km = 0;
                    if a.orders == Orders::Hold {
                        a.orders = Orders::Assault;
                    }
                }
            }
            Effect::Fate(person, fate) => {
                if let Some(e) = self.index.get(Kind::Person, person)
                    && let Ok(mut p) = self.people.get_mut(e)
                {
                    p.fate = *fate;
                    if *fate == Fate::Defected {
                        p.court = p.court.other();
                    }
                }
            }
            Effect::Raise(army) => {
                let full = self.content.0.library.rules.supply.full;
                if let Some(mut a) = self.army_mut(army)
                    && !a.active
                {
                    a.active = true;
                    a.enters = None;
                    a.supply = full;
                }
            }
            Effect::Disband(army) => {
                let name = self.army(army).map(|a| a.name.clone());
                if let Some(mut a) = self.army_mut(army) {
                    a.active = false;
                    a.enters = None;
                    a.route.clear();
                }
                if let Some(name) = name {
                    trace!(
                        self,
                        "muster",
                        vec![format!("army:{army}")],
                        format!("{name} is sent home and leaves the field."),
                        false,
                    );
                }
            }
            Effect::Orders(army, o) => {
                if let Some(mut a) = self.army_mut(army) {
                    a.orders = *o;
                }
            }
            Effect::Withdraw(army) => {
                if let Some(mut a) = self.army_mut(army) {
                    let home = a.home;
                    a.route = VecDeque::from([home]);
                    a.progress_km = 0;
                    a.orders = Orders::Assault;
                }
            }
            Effect::Battle {
                attacker,
                defender,
                committed,
                edges,
                won,
                lost,
            } => {
                let saved = self.cause.clone();
                match self.battle(attacker, defender, edges, *committed) {
                    Some(true) => self.apply(won),
                    Some(false) => self.apply(lost),
                    None => {}
                }
                self.cause = saved;
            }
            Effect::Storm {
                place,
                edges,
                won,
                lost,
            } => {
                let saved = self.cause.clone();
                match self.storm(place, edges, false) {
                    Some(true) => self.apply(won),
                    Some(false) => self.apply(lost),
                    None => {}
                }
                self.cause = saved;
            }
            Effect::Waver { army, turned, held } => {
                let saved = self.cause.clone();
                match self.waver(army) {
                    Some(true) => self.apply(turned),
                    Some(false) => self.apply(held),
                    None => {}
                }
                self.cause = saved;
            }
            Effect::Flee {
                court,
                to,
                escaped,
                overtaken,
                mutiny,
            } => {
                let saved = self.cause.clone();
                let (caught, mutinied) = self.flee(*court, to);
                if caught {
                    self.apply(overtaken);
                } else {
                    self.apply(escaped);
                    if mutinied {
                        self.apply(&[Effect::Set(Id::new(crate::content::rules::ESCORT_MUTINIED))]);
                        self.apply(mutiny);
                    }
                }
                self.cause = saved;
            }
            Effect::Edge(target, edge, on) => {
                let apply = |edges: &mut Vec<Id>| {
                    edges.retain(|e| e != edge);
                    if *on {
                        edges.push(*edge);
                        edges.sort();
                    }
                };
                if let Some(mut p) = self.place_mut(target) {
                    apply(&mut p.edges);
                } else if let Some(mut a) = self.army_mut(target) {
                    apply(&mut a.edges);
                }
            }
            Effect::Base(army, place) => {
                let full = self.content.0.library.rules.supply.full;
                if let Some(mut a) = self.army_mut(army) {
                    a.home.clone_from(place);
                    a.supply = full;
                }
            }
            Effect::SetSeat(court, p) => {
                if let Some(e) = self.index.courts.get(court).copied()
                    && let Ok(mut c) = self.courts.get_mut(e)
                {
                    c.seat.clone_from(p);
                }
            }
        }
    }

    /// Subjects of a condition, for origins.
    #[must_use]
    pub fn subjects_of(c: &Cond) -> Vec<String> {
        cond_subjects(c)
    }
}
