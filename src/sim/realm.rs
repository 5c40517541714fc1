//! [`Realm`]: the whole campaign world as one system parameter, with
//! condition evaluation and effect application.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use rand::Rng;

use super::state::{
    ArmyState, Chronicle, Content, CourtState, Flags, GrievanceItem, Index, Ledger, Line, LineKind,
    Pending, PersonState, PlaceState, Rngs, Scheduled, Turn,
};
use crate::calendar::MonthIdx;
use crate::content::model::{Cmp, Cond, Court, Effect, Fate, Gauge};

/// Everything a phase of the turn may read or change.
#[derive(SystemParam)]
pub struct Realm<'w, 's> {
    /// The scenario.
    pub content: Res<'w, Content>,
    /// The calendar position.
    pub turn: ResMut<'w, Turn>,
    /// Flags.
    pub flags: ResMut<'w, Flags>,
    /// Ledger.
    pub ledger: ResMut<'w, Ledger>,
    /// Chronicle.
    pub chronicle: ResMut<'w, Chronicle>,
    /// Delayed consequences.
    pub scheduled: ResMut<'w, Scheduled>,
    /// Random streams.
    pub rngs: ResMut<'w, Rngs>,
    /// Entity lookup.
    pub index: Res<'w, Index>,
    /// Courts.
    pub courts: Query<'w, 's, &'static mut CourtState>,
    /// Places.
    pub places: Query<'w, 's, &'static mut PlaceState>,
    /// Armies.
    pub armies: Query<'w, 's, &'static mut ArmyState>,
    /// People.
    pub people: Query<'w, 's, &'static mut PersonState>,
}

impl Realm<'_, '_> {
    /// A court's gauge value.
    #[must_use]
    pub fn gauge(&self, court: Court, g: Gauge) -> i32 {
        if g == Gauge::Grievance {
            return self.ledger.grievance(court);
        }
        self.index
            .courts
            .get(&court)
            .and_then(|e| self.courts.get(*e).ok())
            .map_or(50, |c| c.gauges.get(&g).copied().unwrap_or(50))
    }

    fn place(&self, id: &str) -> Option<&PlaceState> {
        self.index
            .places
            .get(id)
            .and_then(|e| self.places.get(*e).ok())
    }

    /// Whether a condition holds now.
    #[must_use]
    pub fn holds(&self, c: &Cond) -> bool {
        let month = self.turn.month;
        match c {
            Cond::Always => true,
            Cond::Flag(f) => self.flags.0.contains(f),
            Cond::NoFlag(f) => !self.flags.0.contains(f),
            Cond::Chose(d, o) => self.ledger.choice(d) == Some(o.as_str()),
            Cond::Gauge(court, g, cmp, v) => {
                let x = self.gauge(*court, *g);
                match cmp {
                    Cmp::Ge => x >= *v,
                    Cmp::Le => x <= *v,
                    Cmp::Gt => x > *v,
                    Cmp::Lt => x < *v,
                }
            }
            Cond::Holds(court, p) => self.place(p).is_some_and(|p| p.holder == Some(*court)),
            Cond::Besieged(p) => self.place(p).is_some_and(|p| p.besieged),
            Cond::Reached(m) => self.ledger.milestones.contains_key(m),
            Cond::From(m) => self.content.0.month(m).is_some_and(|m| month >= m),
            Cond::Before(m) => self.content.0.month(m).is_some_and(|m| month < m),
            Cond::All(cs) => cs.iter().all(|c| self.holds(c)),
            Cond::Any(cs) => cs.iter().any(|c| self.holds(c)),
            Cond::Not(c) => !self.holds(c),
        }
    }

    /// Writes a model line (simulation output, never history).
    pub fn note(&mut self, text: String) {
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

    /// Records a milestone the first time it is reached.
    pub fn milestone(&mut self, id: &str) {
        let month = self.turn.month;
        self.ledger.milestones.entry(id.to_owned()).or_insert(month);
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
        {
            let v = c.gauges.entry(g).or_insert(50);
            *v = (*v + delta).clamp(0, 100);
        }
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
                self.flags.0.insert(f.clone());
            }
            Effect::Clear(f) => {
                self.flags.0.remove(f);
            }
            Effect::Grievance {
                by,
                id,
                weight,
                text,
            } => {
                let list = self.ledger.grievances.entry(*by).or_default();
                if !list.iter().any(|g| &g.id == id) {
                    list.push(GrievanceItem {
                        id: id.clone(),
                        weight: *weight,
                        text: text.clone(),
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
                self.scheduled.0.push(Pending {
                    due,
                    when: when.clone(),
                    effects: effects.clone(),
                    note: note.clone(),
                });
            }
            Effect::Milestone(m) => self.milestone(m),
            Effect::Chronicle(text) => self.note(text.clone()),
            Effect::Take(court, p) => {
                if let Some(e) = self.index.places.get(p).copied()
                    && let Ok(mut place) = self.places.get_mut(e)
                {
                    place.holder = Some(*court);
                    place.besieged = false;
                }
            }
            Effect::Siege(p, on) => {
                if let Some(e) = self.index.places.get(p).copied()
                    && let Ok(mut place) = self.places.get_mut(e)
                {
                    place.besieged = *on;
                }
            }
            Effect::Food(p, d) => {
                if let Some(e) = self.index.places.get(p).copied()
                    && let Ok(mut place) = self.places.get_mut(e)
                {
                    place.food = (place.food + d).max(0);
                }
            }
            Effect::Walls(p, d) => {
                if let Some(e) = self.index.places.get(p).copied()
                    && let Ok(mut place) = self.places.get_mut(e)
                {
                    place.walls = (place.walls + d).clamp(0, 100);
                }
            }
            Effect::Garrison(p, d) => {
                if let Some(e) = self.index.places.get(p).copied()
                    && let Ok(mut place) = self.places.get_mut(e)
                {
                    place.garrison = (place.garrison + d).max(0);
                }
            }
            Effect::Army {
                army,
                strength,
                morale,
            } => {
                if let Some(e) = self.index.armies.get(army).copied()
                    && let Ok(mut a) = self.armies.get_mut(e)
                {
                    a.strength = (a.strength + strength).max(0);
                    a.morale = (a.morale + morale).clamp(0, 100);
                }
            }
            Effect::Defect(army, court) => {
                if let Some(e) = self.index.armies.get(army).copied()
                    && let Ok(mut a) = self.armies.get_mut(e)
                {
                    a.court = *court;
                }
            }
            Effect::March(army, route) => {
                if let Some(e) = self.index.armies.get(army).copied()
                    && let Ok(mut a) = self.armies.get_mut(e)
                {
                    a.route = route.iter().cloned().collect();
                }
            }
            Effect::Fate(person, fate) => {
                if let Some(e) = self.index.people.get(person).copied()
                    && let Ok(mut p) = self.people.get_mut(e)
                {
                    p.fate = *fate;
                    if *fate == Fate::Defected {
                        p.court = p.court.other();
                    }
                }
            }
        }
    }
}
