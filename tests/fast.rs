//! The explorer's fast path — one world per thread, restarted for every
//! seed, playing only the turn's schedules and writing no text — against
//! the full path `run` takes (a new world per campaign, every chronicle
//! line and trace written): the same summary, byte for byte.
//!
//! The suite compares 500 seeds of the grand campaign and of the pingzhou
//! chapter with both courts adaptive, and 40 seeds (8 for mixed pairs) of
//! every other scenario and policy pair. The full comparison — 500 seeds
//! of every scenario and every pair of the three policies — runs with
//!
//! ```sh
//! JINGKANG_FAST_PATH_FULL=1 cargo test --release fast_path
//! ```

use std::fmt::Write as _;
use std::sync::Arc;

use jingkang::content::Scenario;
use jingkang::content::model::Court;
use jingkang::explore::{Lookup, play, play_full};
use jingkang::policy::PolicyKind;
use jingkang::runfile::play_headless;
use jingkang::sim::{Campaign, Seats};
use rayon::prelude::*;

use crate::util;

const SCENARIOS: [&str; 5] = [
    "jingkang",
    "pingzhou",
    "first-siege",
    "between-sieges",
    "second-siege",
];

fn kinds() -> [PolicyKind; 3] {
    [
        PolicyKind::Recorded,
        PolicyKind::Adaptive,
        PolicyKind::Random,
    ]
}

/// Everything a campaign came to that numbers can say: the ledger's
/// decisions, milestones, endings, fired events and grievances; the flags
/// and the month each was set; every court's gauges and seat; every place
/// and army as it stands at the end. (The origins are the account of why,
/// written only when narrating: the fast path keeps none.)
fn summary(c: &Campaign) -> String {
    let mut out = String::new();
    let l = c.ledger();
    writeln!(out, "ended {:?} endings {:?}", l.ended, l.endings).unwrap();
    for d in &l.decisions {
        writeln!(
            out,
            "decision {} {} {:?} {}",
            d.decision, d.option, d.month, d.by
        )
        .unwrap();
    }
    writeln!(out, "milestones {:?}", l.milestones).unwrap();
    writeln!(out, "fired {:?}", c.fired_events()).unwrap();
    for (court, g) in &l.grievances {
        for x in g {
            writeln!(
                out,
                "grievance {court:?} {} {} {:?}",
                x.id, x.weight, x.month
            )
            .unwrap();
        }
    }
    writeln!(out, "flags {:?}", c.flag_months()).unwrap();
    for court in Court::ALL {
        writeln!(
            out,
            "court {court:?} {:?} {:?}",
            c.gauges(court),
            c.seat(court)
        )
        .unwrap();
    }
    for p in c.places() {
        writeln!(
            out,
            "place {} {:?} g{} w{} f{}/{} {} {:?} {:?}",
            p.id,
            p.holder,
            p.garrison,
            p.walls,
            p.food_tenths,
            p.food_full,
            p.besieged,
            p.siege_from,
            p.edges
        )
        .unwrap();
    }
    for a in c.all_armies() {
        writeln!(
            out,
            "army {} {:?} s{} m{} at {} {:?} {} {} {} {:?} sup{} {:?} {:?} {} {:?}",
            a.id,
            a.court,
            a.strength,
            a.morale,
            a.at,
            a.route,
            a.progress_km,
            a.home,
            a.active,
            a.enters,
            a.supply,
            a.orders,
            a.edges,
            a.doubtful,
            a.beaten
        )
        .unwrap();
    }
    out
}

/// Compares the two paths over `seeds` for one scenario and pair, on the
/// rayon pool the caller runs in.
fn compare(s: &Arc<Scenario>, seeds: u64, song: &PolicyKind, jin: &PolicyKind) {
    let look = Lookup::new(s);
    let seats = || Seats::policies(song.clone(), jin.clone());
    (1..=seeds).into_par_iter().for_each_init(
        || None::<Campaign>,
        |fast, seed| {
            let full = play_headless(s, seed, seats());
            let quick = match fast {
                Some(c) => {
                    c.restart(seed, seats());
                    c
                }
                None => fast.insert(Campaign::headless(s.clone(), seed, seats())),
            };
            quick.play_out();
            assert_eq!(
                summary(quick),
                summary(&full),
                "{} seed {seed} {song}/{jin}: the fast path's summary differs",
                s.meta.id
            );
            // The explorer's own reading of both.
            assert_eq!(
                play(s, &look, seed, song, jin),
                play_full(s, &look, seed, song, jin),
                "{} seed {seed} {song}/{jin}: the explorer's outcome differs",
                s.meta.id
            );
        },
    );
}

#[test]
fn fast_path_gives_the_full_paths_summaries() {
    let full = std::env::var_os("JINGKANG_FAST_PATH_FULL").is_some();
    for id in SCENARIOS {
        let s = util::scenario(id);
        for song in kinds() {
            for jin in kinds() {
                let headline = (id == "jingkang" || id == "pingzhou")
                    && song == PolicyKind::Adaptive
                    && jin == PolicyKind::Adaptive;
                let seeds = if full || headline {
                    500
                } else if song == jin {
                    40
                } else {
                    8
                };
                compare(&s, seeds, &song, &jin);
            }
        }
    }
}

#[test]
fn the_idle_turn_of_the_benchmark_floor_leaves_the_campaign_as_it_was() {
    // `jingkang bench` runs the idle turn on a restarted world; a campaign
    // played after it must be the campaign played without it, and
    // `play_out` counts at least one update a month.
    let s = util::scenario("pingzhou");
    let seats = || Seats::policies(PolicyKind::Adaptive, PolicyKind::Adaptive);
    let mut c = Campaign::headless(s.clone(), 5, seats());
    let updates = c.play_out();
    let months = u32::from(c.month().0 - s.start.0) + 1;
    assert!(updates >= months, "{updates} updates in {months} months");
    let councils = u32::try_from(c.ledger().decisions.len()).unwrap();
    let played = summary(&c);
    c.restart(5, seats());
    c.idle_turns(updates, months, councils);
    assert_eq!(c.month(), s.start, "the idle turn moved the calendar");
    assert!(c.ledger().decisions.is_empty(), "the idle turn decided");
    c.play_out();
    assert_eq!(summary(&c), played);
}

#[test]
fn a_restarted_world_plays_as_a_new_one_whatever_came_before() {
    // One world plays a grand campaign, a chapter's seeds and the grand
    // campaign again; each restart must forget everything before it.
    let s = util::scenario("jingkang");
    let mut c = Campaign::headless(
        s.clone(),
        9,
        Seats::policies(PolicyKind::Random, PolicyKind::Random),
    );
    c.play_out();
    let first = summary(&c);
    for seed in [3, 1, 4, 1, 5] {
        c.restart(
            seed,
            Seats::policies(PolicyKind::Adaptive, PolicyKind::Recorded),
        );
        c.play_out();
        let fresh = play_headless(
            &s,
            seed,
            Seats::policies(PolicyKind::Adaptive, PolicyKind::Recorded),
        );
        assert_eq!(summary(&c), summary(&fresh), "seed {seed}");
    }
    c.restart(9, Seats::policies(PolicyKind::Random, PolicyKind::Random));
    c.play_out();
    assert_eq!(summary(&c), first, "the first campaign again");
}

#[test]
fn outcomes_are_the_same_on_one_thread_and_on_two() {
    // The explorer's per-thread worlds, across scenarios in turn: a pool of
    // one thread and a pool of two give the same distributions.
    let sweep = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool");
        pool.install(|| {
            let mut out = Vec::new();
            for id in ["jingkang", "first-siege", "jingkang"] {
                let s = util::scenario(id);
                out.push(jingkang::explore::run_many(
                    &s,
                    1..201,
                    &PolicyKind::Adaptive,
                    &PolicyKind::Random,
                ));
            }
            out
        })
    };
    let one = sweep(1);
    assert_eq!(one, sweep(2));
    assert!(one.iter().all(|d| d.runs == 200 && d.decisions > 0));
}

#[test]
fn a_condition_keeps_its_value_while_the_atom_that_settled_it_does() {
    // The dispatch phase re-reads only the atom that kept an event from
    // firing (`Realm::settle`). Over real campaigns, every condition of the
    // scenarios' events, decisions and endings, evaluated at one update and
    // again one and six updates later: its settled value is its value, and
    // whenever the atom is unchanged the whole condition is too.
    let mut checked = 0u32;
    let mut kept = 0u32;
    for (name, seed) in [
        ("jingkang", 3),
        ("jingkang", 11),
        ("first-siege", 5),
        ("second-siege", 8),
    ] {
        let s = util::scenario(name);
        let mut conds: Vec<&jingkang::content::model::Cond> =
            s.events.iter().map(|e| &e.when).collect();
        conds.extend(s.decisions.values().map(|d| &d.available));
        conds.extend(s.endings.iter().map(|e| &e.when));
        let mut c = Campaign::headless(
            s.clone(),
            seed,
            Seats::policies(PolicyKind::Random, PolicyKind::Adaptive),
        );
        let mut past: Vec<Vec<(bool, jingkang::sim::realm::Witness)>> = Vec::new();
        for _ in 0..400 {
            if c.ended() {
                break;
            }
            let now: Vec<_> = conds.iter().map(|w| c.settle(w).unwrap()).collect();
            for (i, cond) in conds.iter().enumerate() {
                assert_eq!(
                    Some(now[i].0),
                    c.holds(cond),
                    "{name}: settle and holds disagree"
                );
                for back in [1, 6] {
                    let Some(then) = past.len().checked_sub(back).map(|k| past[k][i]) else {
                        continue;
                    };
                    checked += 1;
                    if c.still(cond, &then.1).unwrap() {
                        kept += 1;
                        assert_eq!(
                            now[i].0, then.0,
                            "{name} seed {seed}: the atom kept its value but the condition changed"
                        );
                    }
                }
            }
            past.push(now);
            c.app_mut().update();
        }
    }
    // The witness is worth having: most re-checks are settled by one atom.
    assert!(
        kept * 2 > checked,
        "{kept} of {checked} re-checks settled by their atom"
    );
}
