//! The war model's calibration figures: what issue 7 asks the model to
//! show, measured over many seeds. `jingkang explore --figures` prints them;
//! the model-check tests assert them on a smaller sample.
//!
//! - **War comes**: whatever the Song do, the Jin invade by the end of
//!   Jingkang 1 (January 1127) in most seeds.
//! - **The recorded clock**: with both courts on the recorded policy, the
//!   recorded endings, every milestone in its recorded month (or within
//!   one), and each chapter played as recorded scoring no divergence.
//! - **Uncertainty**: no single Song decision settles the war; a random Song
//!   court against an adaptive Jin court meets several endings; the recorded
//!   Song course against an adaptive Jin court still makes the recorded
//!   catastrophe the likeliest single outcome.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Scenario;
use crate::content::model::Court;
use crate::policy::PolicyKind;
use crate::runfile::run_headless;

/// What one campaign came to, for the figures.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Ending per court.
    pub endings: BTreeMap<Court, String>,
    /// Month index each tracked milestone was reached in, if it was.
    pub reached: BTreeMap<String, Option<u16>>,
    /// Offset from the recorded month, per milestone.
    pub offsets: BTreeMap<String, Option<i32>>,
    /// Divergence total.
    pub divergence: u32,
}

/// Plays the seeds and returns each campaign's outcome, in seed order.
#[must_use]
pub fn outcomes(
    s: &Arc<Scenario>,
    seeds: std::ops::Range<u64>,
    song: &PolicyKind,
    jin: &PolicyKind,
) -> Vec<Outcome> {
    let cal = s.calendar();
    seeds
        .into_par_iter()
        .map(|seed| {
            let (_, d) = run_headless(s, seed, song.clone(), jin.clone());
            Outcome {
                endings: d.endings.iter().map(|e| (e.court, e.id.clone())).collect(),
                reached: d
                    .milestones
                    .iter()
                    .map(|m| {
                        (
                            m.id.clone(),
                            m.month
                                .as_deref()
                                .and_then(|id| cal.parse_id(id))
                                .map(|i| i.0),
                        )
                    })
                    .collect(),
                offsets: d
                    .milestones
                    .iter()
                    .map(|m| (m.id.clone(), m.offset))
                    .collect(),
                divergence: d.divergence.total,
            }
        })
        .collect()
}

#[expect(
    clippy::cast_precision_loss,
    reason = "counts of runs are far below 2^52"
)]
fn share(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// Share of campaigns in which the Jin ordered the (first) invasion by the
/// end of Jingkang 1.
#[must_use]
pub fn war_comes(s: &Scenario, runs: &[Outcome]) -> f64 {
    let last = s
        .calendar()
        .parse_id("jingkang-1-12")
        .map_or(u16::MAX, |m| m.0);
    let hit = runs
        .iter()
        .filter(|o| {
            o.reached
                .get("invasion_ordered")
                .copied()
                .flatten()
                .is_some_and(|m| m <= last)
        })
        .count();
    share(hit, runs.len())
}

/// Per ending of a court, its share of the campaigns, largest first.
#[must_use]
pub fn ending_shares(runs: &[Outcome], court: Court) -> Vec<(String, f64)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for o in runs {
        if let Some(e) = o.endings.get(&court) {
            *counts.entry(e).or_insert(0) += 1;
        }
    }
    let mut v: Vec<(String, f64)> = counts
        .into_iter()
        .map(|(e, n)| (e.to_owned(), share(n, runs.len())))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Per milestone with a recorded month: the share of campaigns reaching it
/// in its recorded month, and within one month.
#[must_use]
pub fn milestone_clock(s: &Scenario, runs: &[Outcome]) -> Vec<(String, f64, f64)> {
    let mut out = Vec::new();
    for id in &s.meta.milestones {
        if s.library
            .milestone_months
            .get(id)
            .copied()
            .flatten()
            .is_none()
        {
            continue;
        }
        let exact = runs
            .iter()
            .filter(|o| o.offsets.get(id).copied().flatten() == Some(0))
            .count();
        let near = runs
            .iter()
            .filter(|o| {
                o.offsets
                    .get(id)
                    .copied()
                    .flatten()
                    .is_some_and(|x| x.abs() <= 1)
            })
            .count();
        out.push((
            id.clone(),
            share(exact, runs.len()),
            share(near, runs.len()),
        ));
    }
    out
}

/// Share of campaigns that score no divergence at all.
#[must_use]
pub fn divergence_zero(runs: &[Outcome]) -> f64 {
    share(
        runs.iter().filter(|o| o.divergence == 0).count(),
        runs.len(),
    )
}

/// For each Song decision set to each of its options (the rest recorded),
/// against an adaptive Jin court: the most likely Song ending and its
/// share, largest first.
#[must_use]
pub fn single_decision_extremes(
    s: &Arc<Scenario>,
    seeds: std::ops::Range<u64>,
) -> Vec<(String, String, f64)> {
    let mut out = Vec::new();
    for d in s.decisions.values().filter(|d| d.court == Court::Song) {
        for o in &d.options {
            let policy = PolicyKind::Choose(d.id, o.id);
            let runs = outcomes(s, seeds.clone(), &policy, &PolicyKind::Adaptive);
            if let Some((e, p)) = ending_shares(&runs, Court::Song).into_iter().next() {
                out.push((format!("set:{}={}", d.id, o.id), e, p));
            }
        }
    }
    out.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    out
}

/// Every figure, measured with `n` seeds (the single-decision sweep uses
/// `n / 2`), as a report for people.
#[must_use]
pub fn report(grand: &Arc<Scenario>, chapters: &[Arc<Scenario>], n: u64) -> String {
    let mut t = String::new();
    let seeds = 1..n + 1;
    let _ = writeln!(
        t,
        "War model figures ({n} seeds each; model output, not history)\n"
    );
    let _ = writeln!(
        t,
        "1. The Jin invade by the end of Jingkang 1 (January 1127), whatever the Song do [target ≥ 85%]:"
    );
    for (song, jin) in [
        (PolicyKind::Random, PolicyKind::Adaptive),
        (PolicyKind::Adaptive, PolicyKind::Adaptive),
        (PolicyKind::Random, PolicyKind::Recorded),
        (PolicyKind::Adaptive, PolicyKind::Recorded),
    ] {
        let runs = outcomes(grand, seeds.clone(), &song, &jin);
        let _ = writeln!(
            t,
            "   Song {song:<8} Jin {jin:<8} {:>5.1}%",
            100.0 * war_comes(grand, &runs)
        );
    }
    let rec = outcomes(
        grand,
        seeds.clone(),
        &PolicyKind::Recorded,
        &PolicyKind::Recorded,
    );
    let _ = writeln!(t, "\n2. The recorded clock (both courts recorded):");
    for court in Court::ALL {
        let want = grand
            .meta
            .recorded_ending
            .get(&court)
            .cloned()
            .unwrap_or_default();
        let p = ending_shares(&rec, court)
            .into_iter()
            .find(|(e, _)| *e == want)
            .map_or(0.0, |x| x.1);
        let _ = writeln!(
            t,
            "   {} recorded ending {want}: {:>5.1}% [≥ 95%]",
            court.name(),
            100.0 * p
        );
    }
    for (m, exact, near) in milestone_clock(grand, &rec) {
        let _ = writeln!(
            t,
            "   {m:<28} in its month {:>5.1}% [≥ 75%]   within one {:>5.1}% [≥ 95%]",
            100.0 * exact,
            100.0 * near
        );
    }
    for c in chapters {
        let runs = outcomes(
            c,
            seeds.clone(),
            &PolicyKind::Recorded,
            &PolicyKind::Recorded,
        );
        let _ = writeln!(
            t,
            "   chapter {:<16} divergence 0 in {:>5.1}% [≥ 90%]",
            c.meta.id,
            100.0 * divergence_zero(&runs)
        );
    }
    let _ = writeln!(
        t,
        "\n3. Nothing is certain, and decisions matter (Jin adaptive):"
    );
    let sweep = single_decision_extremes(grand, 1..n / 2 + 1);
    for (what, e, p) in sweep.iter().take(5) {
        let _ = writeln!(t, "   {what:<52} → {e} {:>5.1}% [≤ 90%]", 100.0 * p);
    }
    let rnd = outcomes(
        grand,
        seeds.clone(),
        &PolicyKind::Random,
        &PolicyKind::Adaptive,
    );
    let shares = ending_shares(&rnd, Court::Song);
    let _ = writeln!(
        t,
        "   random Song: {} Song endings at ≥ 5% [≥ 4]: {}",
        shares.iter().filter(|(_, p)| *p >= 0.05).count(),
        shares
            .iter()
            .map(|(e, p)| format!("{e} {:.1}%", 100.0 * p))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let recs = outcomes(grand, seeds, &PolicyKind::Recorded, &PolicyKind::Adaptive);
    let top = ending_shares(&recs, Court::Song);
    let _ = writeln!(
        t,
        "   recorded Song: most likely {} [the recorded catastrophe]: {}",
        top.first().map_or("none", |x| x.0.as_str()),
        top.iter()
            .map(|(e, p)| format!("{e} {:.1}%", 100.0 * p))
            .collect::<Vec<_>>()
            .join(", ")
    );
    t
}
