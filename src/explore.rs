//! Counterfactual exploration: many campaigns headless, in parallel.
//!
//! [`run_many`] plays one scenario over a range of seeds with a policy per
//! court (rayon over seeds, one `App` per task — an `App` is not `Send`, so
//! each task builds its own) and folds the results into a [`Distribution`]:
//! how often each ending was reached, and how each milestone fell against its
//! recorded month. [`importance`] changes each recorded decision alone (to
//! each of its other options) and measures how far that moves the chance of
//! the recorded ending.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Scenario;
use crate::content::model::Court;
use crate::policy::PolicyKind;
use crate::runfile::run_headless;

/// What one campaign came to.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Seed.
    pub seed: u64,
    /// Ending per court.
    pub endings: BTreeMap<Court, String>,
    /// Month offset of each tracked milestone from its recorded month
    /// (`None`: not reached, or never happened historically).
    pub offsets: BTreeMap<String, Option<i32>>,
}

/// The spread of outcomes over many seeds.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Distribution {
    /// Campaigns run.
    pub runs: usize,
    /// Per court, how many runs reached each ending.
    pub endings: BTreeMap<Court, BTreeMap<String, usize>>,
    /// Per milestone: runs where it happened within one month of the
    /// record, runs where it happened at all.
    pub milestones: BTreeMap<String, (usize, usize)>,
}

impl Distribution {
    /// Share (0–1) of runs that reached `ending` for `court`.
    #[must_use]
    pub fn share(&self, court: Court, ending: &str) -> f64 {
        let n = self
            .endings
            .get(&court)
            .and_then(|m| m.get(ending))
            .copied()
            .unwrap_or(0);
        ratio(n, self.runs)
    }

    /// Share of runs where a milestone fell within one month of the record.
    #[must_use]
    pub fn on_time(&self, milestone: &str) -> f64 {
        ratio(self.milestones.get(milestone).map_or(0, |m| m.0), self.runs)
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "counts of runs are far below 2^52"
)]
fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// Plays one campaign headless and summarises it.
#[must_use]
pub fn summarise(s: &Arc<Scenario>, seed: u64, song: PolicyKind, jin: PolicyKind) -> Summary {
    let (_, d) = run_headless(s, seed, song, jin);
    Summary {
        seed,
        endings: d.endings.iter().map(|e| (e.court, e.id.clone())).collect(),
        offsets: d
            .milestones
            .iter()
            .map(|m| (m.id.clone(), m.offset))
            .collect(),
    }
}

/// Plays `seeds` campaigns in parallel and folds them into a distribution.
#[must_use]
pub fn run_many(
    s: &Arc<Scenario>,
    seeds: std::ops::Range<u64>,
    song: &PolicyKind,
    jin: &PolicyKind,
) -> Distribution {
    seeds
        .into_par_iter()
        .map(|seed| summarise(s, seed, song.clone(), jin.clone()))
        .fold(Distribution::default, |mut acc, sm| {
            add(&mut acc, &sm);
            acc
        })
        .reduce(Distribution::default, merge)
}

fn add(acc: &mut Distribution, sm: &Summary) {
    acc.runs += 1;
    for (c, e) in &sm.endings {
        *acc.endings
            .entry(*c)
            .or_default()
            .entry(e.clone())
            .or_insert(0) += 1;
    }
    for (m, off) in &sm.offsets {
        let slot = acc.milestones.entry(m.clone()).or_insert((0, 0));
        if let Some(o) = off {
            slot.1 += 1;
            if o.abs() <= 1 {
                slot.0 += 1;
            }
        }
    }
}

fn merge(mut a: Distribution, b: Distribution) -> Distribution {
    a.runs += b.runs;
    for (c, m) in b.endings {
        let e = a.endings.entry(c).or_default();
        for (k, v) in m {
            *e.entry(k).or_insert(0) += v;
        }
    }
    for (k, (x, y)) in b.milestones {
        let slot = a.milestones.entry(k).or_insert((0, 0));
        slot.0 += x;
        slot.1 += y;
    }
    a
}

/// How much changing one decision alone moves the recorded ending.
#[derive(Debug, Clone, Serialize)]
pub struct Importance {
    /// Decision id.
    pub decision: String,
    /// The alternative option that moved it most.
    pub option: String,
    /// Its court.
    pub court: Court,
    /// Share of runs reaching the recorded ending of `focus` with every
    /// decision recorded.
    pub base: f64,
    /// The same with this decision changed to `option`.
    pub flipped: f64,
}

impl Importance {
    /// Change in percentage points (flipped − base).
    #[must_use]
    pub fn delta_points(&self) -> f64 {
        (self.flipped - self.base) * 100.0
    }
}

/// For each decision with a recorded option, tries every other option alone
/// (that court on `set:<id>=<option>`, everything else recorded) and keeps
/// the option that moves the share of runs reaching `focus`'s recorded
/// ending the most. Sorted by the size of the effect, largest first.
#[must_use]
pub fn importance(s: &Arc<Scenario>, seeds: std::ops::Range<u64>, focus: Court) -> Vec<Importance> {
    let Some(target) = s.meta.recorded_ending.get(&focus).cloned() else {
        return Vec::new();
    };
    let base = run_many(
        s,
        seeds.clone(),
        &PolicyKind::Recorded,
        &PolicyKind::Recorded,
    )
    .share(focus, &target);
    let mut out: Vec<Importance> = Vec::new();
    for d in s.decisions.values() {
        let Some(rec) = &d.recorded else { continue };
        let mut best: Option<Importance> = None;
        for o in d.options.iter().filter(|o| o.id != rec.option) {
            let set = PolicyKind::Choose(d.id.clone(), o.id.clone());
            let (song, jin) = match d.court {
                Court::Song => (set, PolicyKind::Recorded),
                Court::Jin => (PolicyKind::Recorded, set),
            };
            let flipped = run_many(s, seeds.clone(), &song, &jin).share(focus, &target);
            let candidate = Importance {
                decision: d.id.clone(),
                option: o.id.clone(),
                court: d.court,
                base,
                flipped,
            };
            if best
                .as_ref()
                .is_none_or(|b| candidate.delta_points().abs() > b.delta_points().abs())
            {
                best = Some(candidate);
            }
        }
        out.extend(best);
    }
    out.sort_by(|a, b| {
        b.delta_points()
            .abs()
            .total_cmp(&a.delta_points().abs())
            .then_with(|| a.decision.cmp(&b.decision))
    });
    out
}
