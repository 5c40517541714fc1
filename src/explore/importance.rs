//! Which decisions mattered: every option of every decision, measured by how
//! far taking it (and following the record everywhere else) moves the
//! chance of each court's recorded ending.
//!
//! The measure, for one option and one court: the share of seeds reaching
//! the court's recorded ending when that option is taken, minus the share
//! when every decision follows the record, in percentage points, on the
//! *same* seeds (common random numbers). Both runs of a seed share their
//! world's chances, so the difference is measured seed by seed and most of
//! the noise cancels. The second measure, which breaks ties, is the total
//! variation distance between the two spreads of that court's endings (how
//! much of the whole distribution moved, not only the recorded ending).
//!
//! Sampling is sequential. Seeds are taken in batches, in seed order; after
//! each batch every option still sampling gets a 95% interval on its paired
//! difference (Agresti and Min's adjusted Wald interval: half a seed added
//! to each cell of the 2×2 table) and stops once that interval is clear of
//! its neighbours' in the ranking, or narrower than the precision asked
//! for (options that truly tie never separate), or the seeds run out. The
//! decision to stop is taken only between batches, from whole counts, so
//! the result does not depend on the number of threads.
//!
//! A seed where the option could change nothing costs nothing: when the
//! recorded run never reached the decision, or took that very option
//! there, the changed run is the same campaign (`set:` draws no chance), so
//! the pair is counted without playing it.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Lookup, Outcome, Progress, Quiet, Seeds, court_slot, play, ratio};
use crate::content::Scenario;
use crate::content::model::Court;
use crate::policy::PolicyKind;

/// The normal quantile for 95% intervals.
pub const Z95: f64 = 1.96;

/// How to sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Whose recorded endings to measure.
    pub courts: Vec<Court>,
    /// Seeds per batch: options may stop after each batch.
    pub batch: u64,
    /// An option stops once its 95% interval is at most this many
    /// percentage points either side.
    pub precision: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            courts: Court::ALL.to_vec(),
            batch: 100,
            precision: 2.5,
        }
    }
}

/// Why an option stopped sampling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stop {
    /// Its interval no longer overlaps its neighbours' in the ranking.
    Clear,
    /// Its interval is as narrow as asked.
    Precise,
    /// Every seed was used.
    Exhausted,
}

impl Stop {
    /// For people.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Stop::Clear => "clear of its neighbours",
            Stop::Precise => "precise enough",
            Stop::Exhausted => "all seeds used",
        }
    }
}

/// The measured effect of one option on one court's recorded ending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effect {
    /// Decision id.
    pub decision: String,
    /// Option id.
    pub option: String,
    /// The court that takes the decision.
    pub decision_court: Court,
    /// The seeds it used (a prefix of the range, in seed order).
    pub seeds: Seeds,
    /// Seeds where the option changed the campaign (the others need no run).
    pub changed: u64,
    /// Seeds that reached the recorded ending only without the change.
    pub lost: u64,
    /// Seeds that reached the recorded ending only with the change.
    pub gained: u64,
    /// Sum over this court's endings of |seeds with the change − seeds
    /// without|: twice the total variation distance, in seeds.
    pub moved: u64,
    /// Why it stopped.
    pub stop: Stop,
}

impl Effect {
    /// Seeds used.
    #[must_use]
    pub fn used(&self) -> u64 {
        self.seeds.count()
    }

    /// The change in the share reaching the recorded ending, in percentage
    /// points.
    #[must_use]
    pub fn points(&self) -> f64 {
        100.0 * (ratio(self.gained, self.used()) - ratio(self.lost, self.used()))
    }

    /// The 95% interval of [`Effect::points`] (Agresti–Min).
    #[must_use]
    pub fn interval(&self) -> (f64, f64) {
        let (lo, hi) = agresti_min(self.lost, self.gained, self.used(), Z95);
        (100.0 * lo, 100.0 * hi)
    }

    /// Total variation distance between this court's endings with and
    /// without the change, in percentage points.
    #[must_use]
    pub fn tvd_points(&self) -> f64 {
        50.0 * ratio(self.moved, self.used())
    }
}

/// Agresti and Min's (2005) interval for a paired difference of
/// proportions: `lost` pairs went 1→0, `gained` went 0→1, of `n`; half a
/// pair is added to each of the four cells. Returns shares −1…1.
#[must_use]
pub fn agresti_min(lost: u64, gained: u64, n: u64, z: f64) -> (f64, f64) {
    let n2 = ratio(n, 1) + 2.0;
    let p10 = (ratio(lost, 1) + 0.5) / n2;
    let p01 = (ratio(gained, 1) + 0.5) / n2;
    let d = p01 - p10;
    let se = ((p10 + p01 - d * d) / n2).max(0.0).sqrt();
    ((d - z * se).max(-1.0), (d + z * se).min(1.0))
}

/// One court's ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourtRanking {
    /// The court whose recorded ending is measured.
    pub court: Court,
    /// That ending's id.
    pub ending: String,
    /// Seeds that reached it with every decision recorded, of
    /// [`Report::baseline_runs`].
    pub baseline_hits: u64,
    /// Every option, most important first.
    pub options: Vec<Effect>,
}

/// The whole measurement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The seeds on offer.
    pub seeds: Seeds,
    /// Seeds per batch.
    pub batch: u64,
    /// The precision asked for, in tenths of a percentage point.
    pub precision_tenths: u32,
    /// Campaigns played with every decision recorded.
    pub baseline_runs: u64,
    /// Campaigns played with one option changed.
    pub changed_runs: u64,
    /// Seed-and-option pairs counted without a run (the option could
    /// change nothing there).
    pub skipped: u64,
    /// Per court measured.
    pub courts: Vec<CourtRanking>,
}

/// One option to try.
struct Candidate {
    decision: u16,
    option: u8,
    court: Court,
    decision_id: String,
    option_id: String,
    song: PolicyKind,
    jin: PolicyKind,
}

/// Running counts of one option for one court.
#[derive(Clone, Default)]
struct Tally {
    lost: u64,
    gained: u64,
    /// Endings (by position; the last slot is "no ending") over the seeds
    /// the option changed, without and with the change.
    without: Vec<u64>,
    with: Vec<u64>,
}

impl Tally {
    fn moved(&self) -> u64 {
        self.without
            .iter()
            .zip(&self.with)
            .map(|(a, b)| a.abs_diff(*b))
            .sum()
    }
}

#[derive(Clone)]
struct Acc {
    used: u64,
    changed: u64,
    tallies: Vec<Tally>,
    stop: Option<Stop>,
}

/// Every option of every decision that differs from the record.
fn candidates(s: &Scenario) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (di, d) in s.decisions.values().enumerate() {
        let Ok(decision) = u16::try_from(di) else {
            continue;
        };
        for (oi, o) in d.options.iter().enumerate() {
            if d.recorded.as_ref().is_some_and(|r| r.option == o.id) {
                continue;
            }
            let Ok(option) = u8::try_from(oi) else {
                continue;
            };
            let set = PolicyKind::Choose(d.id, o.id);
            let (song, jin) = match d.court {
                Court::Song => (set, PolicyKind::Recorded),
                Court::Jin => (PolicyKind::Recorded, set),
            };
            out.push(Candidate {
                decision,
                option,
                court: d.court,
                decision_id: d.id.to_string(),
                option_id: o.id.to_string(),
                song,
                jin,
            });
        }
    }
    out
}

/// A candidate's standing for one court, for the stopping rule.
struct Standing {
    index: usize,
    magnitude: f64,
    tvd: f64,
    low: f64,
    high: f64,
    half: f64,
}

fn standing(index: usize, t: &Tally, used: u64) -> Standing {
    let (lo, hi) = agresti_min(t.lost, t.gained, used, Z95);
    let point = ratio(t.gained, used) - ratio(t.lost, used);
    // The interval of the size of the effect, whichever its sign.
    let (low, high) = if lo >= 0.0 {
        (lo, hi)
    } else if hi <= 0.0 {
        (-hi, -lo)
    } else {
        (0.0, hi.max(-lo))
    };
    Standing {
        index,
        magnitude: point.abs(),
        tvd: ratio(t.moved(), used) / 2.0,
        low,
        high,
        half: (hi - lo) / 2.0,
    }
}

/// Ranks every option of every decision by its effect on each court's
/// recorded ending, sampling seeds from `seeds` sequentially. `baseline`
/// sees each campaign played with every decision recorded, in seed order.
pub fn rank(
    s: &Arc<Scenario>,
    seeds: Seeds,
    settings: &Settings,
    progress: &dyn Progress,
    mut baseline: impl FnMut(&Outcome),
) -> Report {
    let look = Lookup::new(s);
    let cands = candidates(s);
    let courts: Vec<(Court, String, Option<u16>)> = settings
        .courts
        .iter()
        .filter_map(|c| {
            let id = s.meta.recorded_ending.get(c)?.clone();
            let pos = s
                .endings
                .iter()
                .position(|e| e.id == id)
                .and_then(|p| u16::try_from(p).ok());
            Some((*c, id, pos))
        })
        .collect();
    let slots = s.endings.len() + 1;
    let blank = Tally {
        without: vec![0; slots],
        with: vec![0; slots],
        ..Tally::default()
    };
    let mut accs = vec![
        Acc {
            used: 0,
            changed: 0,
            tallies: vec![blank; courts.len()],
            stop: None,
        };
        cands.len()
    ];
    let mut base_hits = vec![0u64; courts.len()];
    let (mut baseline_runs, mut changed_runs, mut skipped) = (0u64, 0u64, 0u64);
    let slot_of = |e: Option<u16>| e.map_or(slots - 1, usize::from);
    for (round, batch) in seeds.chunks(settings.batch).enumerate() {
        let active: Vec<usize> = (0..cands.len())
            .filter(|i| accs[*i].stop.is_none())
            .collect();
        if active.is_empty() || courts.is_empty() {
            break;
        }
        if round == 0 {
            progress.start("importance", batch.count());
        } else {
            progress.grow(batch.count());
        }
        progress.note(format!(
            "· round {} · {}/{} options sampling",
            round + 1,
            active.len(),
            cands.len()
        ));
        let base: Vec<Outcome> = batch
            .iter()
            .into_par_iter()
            .map(|seed| {
                let o = play(s, &look, seed, &PolicyKind::Recorded, &PolicyKind::Recorded);
                progress.advance(1);
                o
            })
            .collect();
        baseline_runs += batch.count();
        for o in &base {
            for (k, (court, _, target)) in courts.iter().enumerate() {
                if target.is_some() && o.endings[court_slot(*court)] == *target {
                    base_hits[k] += 1;
                }
            }
            baseline(o);
        }
        let jobs: Vec<(usize, usize)> = active
            .iter()
            .flat_map(|c| (0..base.len()).map(move |i| (*c, i)))
            .filter(|(c, i)| !base[*i].unchanged_by(cands[*c].decision, cands[*c].option))
            .collect();
        progress.grow(jobs.len() as u64);
        let ends: Vec<[Option<u16>; 2]> = jobs
            .par_iter()
            .map(|(c, i)| {
                let cand = &cands[*c];
                let o = play(s, &look, base[*i].seed, &cand.song, &cand.jin);
                progress.advance(1);
                o.endings
            })
            .collect();
        changed_runs += jobs.len() as u64;
        skipped += (active.len() * base.len() - jobs.len()) as u64;
        for c in &active {
            accs[*c].used += batch.count();
        }
        for ((c, i), changed) in jobs.iter().zip(&ends) {
            let acc = &mut accs[*c];
            acc.changed += 1;
            for (k, (court, _, target)) in courts.iter().enumerate() {
                let slot = court_slot(*court);
                let before = base[*i].endings[slot];
                let after = changed[slot];
                let t = &mut acc.tallies[k];
                let hit = |e: Option<u16>| target.is_some() && e == *target;
                match (hit(before), hit(after)) {
                    (true, false) => t.lost += 1,
                    (false, true) => t.gained += 1,
                    _ => {}
                }
                t.without[slot_of(before)] += 1;
                t.with[slot_of(after)] += 1;
            }
        }
        // Stopping, from whole counts only.
        let last_batch = batch.last == seeds.last;
        let mut verdicts: Vec<Vec<Option<Stop>>> = vec![Vec::new(); cands.len()];
        for k in 0..courts.len() {
            let mut order: Vec<Standing> = accs
                .iter()
                .enumerate()
                .filter(|(_, a)| a.used > 0)
                .map(|(i, a)| standing(i, &a.tallies[k], a.used))
                .collect();
            order.sort_by(|a, b| {
                b.magnitude
                    .total_cmp(&a.magnitude)
                    .then(b.tvd.total_cmp(&a.tvd))
                    .then(a.index.cmp(&b.index))
            });
            for (p, st) in order.iter().enumerate() {
                if accs[st.index].stop.is_some() {
                    continue;
                }
                let above_clear = p == 0 || st.high < order[p - 1].low;
                let below_clear = order.get(p + 1).is_none_or(|n| st.low > n.high);
                let verdict = if st.half * 100.0 <= settings.precision {
                    Some(Stop::Precise)
                } else if above_clear && below_clear {
                    Some(Stop::Clear)
                } else {
                    None
                };
                verdicts[st.index].push(verdict);
            }
        }
        for c in &active {
            let v = &verdicts[*c];
            let stop = if v.iter().all(|x| *x == Some(Stop::Precise)) {
                Some(Stop::Precise)
            } else if v.iter().all(Option::is_some) {
                Some(Stop::Clear)
            } else if last_batch {
                Some(Stop::Exhausted)
            } else {
                None
            };
            accs[*c].stop = stop;
        }
    }
    progress.finish();
    let rankings = courts
        .iter()
        .enumerate()
        .map(|(k, (court, ending, _))| {
            let mut options: Vec<Effect> = cands
                .iter()
                .zip(&accs)
                .filter(|(_, a)| a.used > 0)
                .map(|(c, a)| {
                    let t = &a.tallies[k];
                    Effect {
                        decision: c.decision_id.clone(),
                        option: c.option_id.clone(),
                        decision_court: c.court,
                        seeds: Seeds {
                            first: seeds.first,
                            last: seeds.first + (a.used - 1),
                        },
                        changed: a.changed,
                        lost: t.lost,
                        gained: t.gained,
                        moved: t.moved(),
                        stop: a.stop.unwrap_or(Stop::Exhausted),
                    }
                })
                .collect();
            sort_effects(&mut options);
            CourtRanking {
                court: *court,
                ending: ending.clone(),
                baseline_hits: base_hits[k],
                options,
            }
        })
        .collect();
    Report {
        seeds,
        batch: settings.batch,
        precision_tenths: tenths(settings.precision),
        baseline_runs,
        changed_runs,
        skipped,
        courts: rankings,
    }
}

#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a precision of a few points, clamped to 0–1000 tenths"
)]
fn tenths(points: f64) -> u32 {
    (points * 10.0).round().clamp(0.0, 1000.0) as u32
}

/// The size of an effect as shown (tenths of a point), for ranking: two
/// effects that print the same are tied.
#[expect(
    clippy::cast_possible_truncation,
    reason = "at most 1000 tenths of a point"
)]
fn shown(e: &Effect) -> i64 {
    (e.points().abs() * 10.0).round() as i64
}

/// Largest effect first; effects that print the same size are ordered by
/// total variation distance, then by id.
fn sort_effects(v: &mut [Effect]) {
    v.sort_by(|a, b| {
        shown(b)
            .cmp(&shown(a))
            .then(ratio(b.moved, b.used()).total_cmp(&ratio(a.moved, a.used())))
            .then_with(|| a.decision.cmp(&b.decision))
            .then_with(|| a.option.cmp(&b.option))
    });
}

/// How much changing one decision alone moves the recorded ending: the
/// decision's strongest option.
#[derive(Debug, Clone, Serialize)]
pub struct Importance {
    /// Decision id.
    pub decision: String,
    /// The alternative option that moved it most.
    pub option: String,
    /// Its court.
    pub court: Court,
    /// Share of the seeds used reaching the recorded ending of the court
    /// measured, with every decision recorded.
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

/// For each decision, the option that moves the share of runs reaching
/// `focus`'s recorded ending the most (every other decision recorded, the
/// same seeds), largest effect first. Samples every seed of `seeds`.
#[must_use]
pub fn importance(s: &Arc<Scenario>, seeds: std::ops::Range<u64>, focus: Court) -> Vec<Importance> {
    if seeds.is_empty() {
        return Vec::new();
    }
    let range = Seeds {
        first: seeds.start,
        last: seeds.end - 1,
    };
    // Per seed, whether the recorded run reached the ending (to give each
    // option its own baseline share over the seeds it used).
    let mut hits: Vec<bool> = Vec::new();
    let target = s.meta.recorded_ending.get(&focus).cloned();
    let settings = Settings {
        courts: vec![focus],
        batch: range.count(),
        precision: 0.0,
    };
    let report = rank(s, range, &settings, &Quiet, |o| {
        hits.push(
            o.endings[court_slot(focus)]
                .and_then(|i| s.endings.get(usize::from(i)))
                .is_some_and(|e| Some(&e.id) == target.as_ref()),
        );
    });
    let Some(ranking) = report.courts.first() else {
        return Vec::new();
    };
    let mut best: BTreeMap<&str, Importance> = BTreeMap::new();
    for e in &ranking.options {
        let n = usize::try_from(e.used()).unwrap_or(usize::MAX);
        let base_hits = hits.iter().take(n).filter(|h| **h).count() as u64;
        let base = ratio(base_hits, e.used());
        let cand = Importance {
            decision: e.decision.clone(),
            option: e.option.clone(),
            court: e.decision_court,
            base,
            flipped: base + e.points() / 100.0,
        };
        // Options come ranked, so the first seen is the strongest.
        best.entry(e.decision.as_str()).or_insert(cand);
    }
    let mut out: Vec<Importance> = best.into_values().collect();
    out.sort_by(|a, b| {
        b.delta_points()
            .abs()
            .total_cmp(&a.delta_points().abs())
            .then_with(|| a.decision.cmp(&b.decision))
    });
    out
}
