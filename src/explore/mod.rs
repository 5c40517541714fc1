//! Counterfactual exploration: many campaigns headless, in parallel.
//!
//! The main types: [`Seeds`] (a range of seeds, split into shards with
//! [`Seeds::shard`]), [`Outcome`] (what one campaign came to, read straight
//! from its ledger) and [`Distribution`] (the spread of outcomes over many
//! seeds: whole-number counts only, so parts made on different machines
//! add up exactly). [`sweep`] plays a range of seeds with a policy per court
//! — rayon over the seeds of a chunk, each task building its own campaign
//! (an `App` is not `Send`) — and hands the outcomes back in seed order, so
//! a per-seed table streams out while memory stays flat, and the result is
//! the same on any number of threads.
//!
//! [`importance`] measures how far taking each option of each decision
//! moves each court's recorded ending (see its module); [`result`] writes
//! and merges saved results; [`report`] turns them into text, JSON, CSV and
//! HTML.

pub mod bench;
pub mod importance;
pub mod report;
pub mod result;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::{Court, Id};
use crate::policy::PolicyKind;
use crate::runfile::play_headless;
use crate::sim::{Campaign, Ledger, Seats};

pub use importance::{Importance, importance};

/// A range of seeds, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seeds {
    /// First seed.
    pub first: u64,
    /// Last seed (included).
    pub last: u64,
}

/// A bad `--seeds` or `--shard`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedsError {
    /// Not a number or a range.
    #[error(
        "--seeds {0}: give a number of seeds (--seeds 1000 runs seeds 1 to 1000) or a range FIRST..LAST (--seeds 5001..10000, both ends included)"
    )]
    Malformed(String),
    /// Zero seeds.
    #[error("--seeds 0: at least one seed is needed, e.g. --seeds 1000 or --seeds 1..1000")]
    Zero,
    /// A number beyond `u64`.
    #[error("--seeds {0}: {1} is larger than the largest seed, 18446744073709551615")]
    TooLarge(String, String),
    /// More seeds than the counts can hold exactly.
    #[error(
        "--seeds {0}: that is {1} seeds; one exploration covers at most 9007199254740992 (2^53), so that every share is exact — split it into several explorations"
    )]
    TooMany(String, u128),
    /// Last before first.
    #[error("--seeds {0}: the range is empty ({1} comes after {2}); write the smaller seed first")]
    Backwards(String, u64, u64),
    /// A bad shard.
    #[error("--shard {0}: give K/N with 1 ≤ K ≤ N, e.g. --shard 3/8 for the third of eight parts")]
    Shard(String),
    /// More shards than seeds.
    #[error(
        "--shard {shard}: {count} seed(s) cannot be split into {parts} parts; use fewer shards"
    )]
    ShardTooFine {
        /// The shard as given.
        shard: String,
        /// Seeds in the range.
        count: u64,
        /// Shards asked for.
        parts: u64,
    },
}

impl Seeds {
    /// The most seeds one exploration covers: counts stay exact in `f64`.
    pub const MAX_COUNT: u64 = 1 << 53;

    /// Seeds `1..=n` (n ≥ 1).
    #[must_use]
    pub fn first_n(n: u64) -> Seeds {
        Seeds {
            first: 1,
            last: n.max(1),
        }
    }

    /// How many seeds.
    #[must_use]
    pub fn count(&self) -> u64 {
        // Never overflows: a range is at most MAX_COUNT long.
        self.last.saturating_sub(self.first).saturating_add(1)
    }

    /// The seeds as an iterator.
    pub fn iter(&self) -> std::ops::RangeInclusive<u64> {
        self.first..=self.last
    }

    /// The `k`-th of `n` contiguous, near-equal parts (1-based).
    ///
    /// # Errors
    /// `k` outside `1..=n`, or more parts than seeds.
    pub fn shard(&self, k: u64, n: u64) -> Result<Seeds, SeedsError> {
        let label = format!("{k}/{n}");
        if n == 0 || k == 0 || k > n {
            return Err(SeedsError::Shard(label));
        }
        let count = self.count();
        if n > count {
            return Err(SeedsError::ShardTooFine {
                shard: label,
                count,
                parts: n,
            });
        }
        let at = |i: u64| {
            let off = u128::from(i) * u128::from(count) / u128::from(n);
            // off ≤ count ≤ 2^53, so it fits.
            self.first + u64::try_from(off).unwrap_or(u64::MAX)
        };
        Ok(Seeds {
            first: at(k - 1),
            last: at(k) - 1,
        })
    }

    /// Splits into chunks of at most `size` seeds, in order.
    pub fn chunks(&self, size: u64) -> impl Iterator<Item = Seeds> + '_ {
        let size = size.max(1);
        let n = self.count().div_ceil(size);
        (0..n).map(move |i| {
            let first = self.first + i * size;
            Seeds {
                first,
                last: first.saturating_add(size - 1).min(self.last),
            }
        })
    }
}

impl fmt::Display for Seeds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.first, self.last)
    }
}

impl FromStr for Seeds {
    type Err = SeedsError;

    /// `N` (seeds 1 to N) or `FIRST..LAST` (`FIRST..=LAST` too), both ends
    /// included.
    fn from_str(s: &str) -> Result<Seeds, SeedsError> {
        let given = s.trim();
        let num = |t: &str| -> Result<u64, SeedsError> {
            let t = t.trim().replace('_', "");
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(SeedsError::Malformed(given.to_owned()));
            }
            t.parse::<u64>()
                .map_err(|_| SeedsError::TooLarge(given.to_owned(), t.clone()))
        };
        let (first, last) = match given.split_once("..") {
            Some((a, b)) => (num(a)?, num(b.strip_prefix('=').unwrap_or(b))?),
            None => {
                let n = num(given)?;
                if n == 0 {
                    return Err(SeedsError::Zero);
                }
                (1, n)
            }
        };
        if last < first {
            return Err(SeedsError::Backwards(given.to_owned(), first, last));
        }
        let count = u128::from(last) - u128::from(first) + 1;
        if count > u128::from(Seeds::MAX_COUNT) {
            return Err(SeedsError::TooMany(given.to_owned(), count));
        }
        Ok(Seeds { first, last })
    }
}

/// `K/N`, 1-based.
///
/// # Errors
/// Not of that form, or K outside 1..=N.
pub fn parse_shard(s: &str) -> Result<(u64, u64), SeedsError> {
    let bad = || SeedsError::Shard(s.to_owned());
    let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// Positions of a scenario's decisions, options, endings and milestones,
/// built once per exploration so that an [`Outcome`] holds small numbers.
#[derive(Debug)]
pub struct Lookup {
    decisions: crate::id::IdMap<u16>,
    options: Vec<Vec<Id>>,
    endings: BTreeMap<String, u16>,
}

impl Lookup {
    /// Builds the positions.
    #[must_use]
    pub fn new(s: &Scenario) -> Lookup {
        Lookup {
            decisions: {
                let mut m = crate::id::IdMap::default();
                for (i, id) in s.decisions.keys().enumerate() {
                    if let Ok(i) = u16::try_from(i) {
                        m.insert(*id, i);
                    }
                }
                m
            },
            options: s
                .decisions
                .values()
                .map(|d| d.options.iter().map(|o| o.id).collect())
                .collect(),
            endings: s
                .endings
                .iter()
                .enumerate()
                .filter_map(|(i, e)| Some((e.id.clone(), u16::try_from(i).ok()?)))
                .collect(),
        }
    }
}

/// What one campaign came to: read straight from its ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Seed.
    pub seed: u64,
    /// Ending per court (Song, Jin) as a position in the scenario's endings.
    pub endings: [Option<u16>; 2],
    /// Month each tracked milestone was reached (in the scenario's order).
    pub milestones: Vec<Option<MonthIdx>>,
    /// Month the campaign ended.
    pub ended: Option<MonthIdx>,
    /// Decisions taken, in order: (decision position, option position).
    pub choices: Vec<(u16, u8)>,
}

impl Outcome {
    /// Whether taking option `option` at `decision` would have changed
    /// nothing: the decision never came up, or every time it did, that
    /// option was taken. (Policies draw no chance for `set:`, so a campaign
    /// that never leaves these choices is the same campaign.)
    #[must_use]
    pub fn unchanged_by(&self, decision: u16, option: u8) -> bool {
        self.choices
            .iter()
            .all(|(d, o)| *d != decision || *o == option)
    }
}

/// Index of a court in [`Outcome::endings`].
#[must_use]
pub fn court_slot(c: Court) -> usize {
    match c {
        Court::Song => 0,
        Court::Jin => 1,
    }
}

thread_local! {
    /// Each worker thread's campaign world, restarted for every seed it
    /// plays: its systems and schedule are built once per thread and
    /// scenario, not once per campaign.
    static ENGINE: RefCell<Option<(Arc<Scenario>, Campaign)>> = const { RefCell::new(None) };
}

/// Plays one campaign headless and reads its outcome from the ledger: the
/// fast path, in this thread's reused world, keeping ids and numbers only
/// ([`Narration::Numbers`](crate::sim::Narration)). Gives the same outcome
/// as [`play_full`].
#[must_use]
pub fn play(
    s: &Arc<Scenario>,
    look: &Lookup,
    seed: u64,
    song: &PolicyKind,
    jin: &PolicyKind,
) -> Outcome {
    let seats = Seats::policies(song.clone(), jin.clone());
    ENGINE.with_borrow_mut(|slot| {
        let c = match slot {
            // The engine holds the scenario it was built for, so a
            // different scenario can never sit at the same address.
            Some((of, c)) if Arc::ptr_eq(of, s) => {
                c.restart(seed, seats);
                c
            }
            _ => {
                // Each thread plays its own copy of the scenario: the
                // campaign takes and drops handles to it hundreds of times,
                // and a count shared by two threads would have their cores
                // pass its cache line back and forth on every one.
                let own = Arc::new(Scenario::clone(s));
                &mut slot
                    .insert((s.clone(), Campaign::headless(own, seed, seats)))
                    .1
            }
        };
        c.play_out();
        Outcome::read(s, look, seed, c.ledger_ref())
    })
}

/// Plays one campaign the way `run` does — a new world, every line of its
/// chronicle and trace written — and reads its outcome: the full path the
/// fast one is checked against.
#[must_use]
pub fn play_full(
    s: &Arc<Scenario>,
    look: &Lookup,
    seed: u64,
    song: &PolicyKind,
    jin: &PolicyKind,
) -> Outcome {
    let c = play_headless(s, seed, Seats::policies(song.clone(), jin.clone()));
    Outcome::read(s, look, seed, c.ledger_ref())
}

impl Outcome {
    /// Reads an outcome from a campaign's ledger.
    #[must_use]
    pub fn read(s: &Scenario, look: &Lookup, seed: u64, ledger: Option<&Ledger>) -> Outcome {
        let Some(ledger) = ledger else {
            return Outcome {
                seed,
                endings: [None, None],
                milestones: vec![None; s.meta.milestones.len()],
                ended: None,
                choices: Vec::new(),
            };
        };
        let mut endings = [None, None];
        for (court, id) in &ledger.endings {
            endings[court_slot(*court)] = look.endings.get(id).copied();
        }
        let choices = ledger
            .decisions
            .iter()
            .filter_map(|t| {
                let d = *look.decisions.get(t.decision)?;
                let o = look.options[usize::from(d)]
                    .iter()
                    .position(|x| *x == t.option)?;
                Some((d, u8::try_from(o).ok()?))
            })
            .collect();
        Outcome {
            seed,
            endings,
            milestones: s
                .meta
                .milestones
                .iter()
                .map(|m| ledger.milestones.get(m.as_str()).copied())
                .collect(),
            ended: ledger.ended,
            choices,
        }
    }
}

/// Something that shows how far a long computation has got (the command
/// line draws a bar on a terminal; the library never prints).
pub trait Progress: Sync {
    /// A new stage of `total` steps begins.
    fn start(&self, _label: &str, _total: u64) {}
    /// More steps were added to the current stage.
    fn grow(&self, _more: u64) {}
    /// A line saying where the stage is.
    fn note(&self, _text: String) {}
    /// Steps done.
    fn advance(&self, _n: u64) {}
    /// The stage is over.
    fn finish(&self) {}
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {}

/// Seeds per chunk in a sweep: outcomes come back in seed order chunk by
/// chunk, so memory stays flat however many seeds there are.
const CHUNK: u64 = 2048;

/// Plays every seed of `seeds` with a policy per court, in parallel, and
/// folds the outcomes into a distribution. `each` sees every outcome in seed
/// order (for a per-seed table); when it returns false the sweep stops after
/// the current chunk.
pub fn sweep(
    s: &Arc<Scenario>,
    seeds: Seeds,
    song: &PolicyKind,
    jin: &PolicyKind,
    progress: &dyn Progress,
    mut each: impl FnMut(&Outcome) -> bool,
) -> Distribution {
    let look = Lookup::new(s);
    let mut dist = Distribution::default();
    for chunk in seeds.chunks(CHUNK) {
        let outcomes: Vec<Outcome> = chunk
            .iter()
            .into_par_iter()
            .map(|seed| {
                let o = play(s, &look, seed, song, jin);
                progress.advance(1);
                o
            })
            .collect();
        let mut go_on = true;
        for o in &outcomes {
            dist.add(s, o);
            go_on = go_on && each(o);
        }
        if !go_on {
            break;
        }
    }
    dist
}

/// Plays `seeds` campaigns in parallel and folds them into a distribution.
#[must_use]
pub fn run_many(
    s: &Arc<Scenario>,
    seeds: std::ops::Range<u64>,
    song: &PolicyKind,
    jin: &PolicyKind,
) -> Distribution {
    if seeds.is_empty() {
        return Distribution::default();
    }
    let range = Seeds {
        first: seeds.start,
        last: seeds.end - 1,
    };
    sweep(s, range, song, jin, &Quiet, |_| true)
}

/// The spread of outcomes over many seeds: counts only, so that parts add
/// up exactly whatever order they come in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    /// Campaigns run.
    pub runs: u64,
    /// Decisions taken over all campaigns.
    pub decisions: u64,
    /// Per court, how many runs reached each ending.
    pub endings: BTreeMap<Court, BTreeMap<String, u64>>,
    /// Per milestone, when it fell.
    pub milestones: BTreeMap<String, Spread>,
}

/// When a milestone fell over many runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    /// Runs in which it happened at all.
    pub reached: u64,
    /// Runs by month offset from the recorded month (−2: two months early);
    /// empty for a milestone with no recorded month.
    pub offsets: BTreeMap<i32, u64>,
}

impl Spread {
    /// Runs in which it fell before its recorded month.
    #[must_use]
    pub fn early(&self) -> u64 {
        self.offsets.range(..0).map(|(_, n)| n).sum()
    }

    /// Runs in which it fell in its recorded month.
    #[must_use]
    pub fn on_time(&self) -> u64 {
        self.offsets.get(&0).copied().unwrap_or(0)
    }

    /// Runs in which it fell after its recorded month.
    #[must_use]
    pub fn late(&self) -> u64 {
        self.offsets.range(1..).map(|(_, n)| n).sum()
    }

    /// Runs in which it fell within `months` of its recorded month.
    #[must_use]
    pub fn within(&self, months: i32) -> u64 {
        self.offsets.range(-months..=months).map(|(_, n)| n).sum()
    }
}

impl Distribution {
    /// Share (0–1) of runs that reached `ending` for `court`.
    #[must_use]
    pub fn share(&self, court: Court, ending: &str) -> f64 {
        ratio(self.count(court, ending), self.runs)
    }

    /// Runs that reached `ending` for `court`.
    #[must_use]
    pub fn count(&self, court: Court, ending: &str) -> u64 {
        self.endings
            .get(&court)
            .and_then(|m| m.get(ending))
            .copied()
            .unwrap_or(0)
    }

    /// Share of runs where a milestone fell within one month of the record.
    #[must_use]
    pub fn on_time(&self, milestone: &str) -> f64 {
        ratio(
            self.milestones.get(milestone).map_or(0, |m| m.within(1)),
            self.runs,
        )
    }

    /// Adds one campaign.
    pub fn add(&mut self, s: &Scenario, o: &Outcome) {
        self.runs += 1;
        self.decisions += o.choices.len() as u64;
        for court in Court::ALL {
            let Some(e) = o.endings[court_slot(court)].and_then(|i| s.endings.get(usize::from(i)))
            else {
                continue;
            };
            let m = self.endings.entry(court).or_default();
            match m.get_mut(&e.id) {
                Some(n) => *n += 1,
                None => {
                    m.insert(e.id.clone(), 1);
                }
            }
        }
        for (id, reached) in s.meta.milestones.iter().zip(&o.milestones) {
            let spread = match self.milestones.get_mut(id) {
                Some(x) => x,
                None => self.milestones.entry(id.clone()).or_default(),
            };
            let Some(month) = reached else { continue };
            spread.reached += 1;
            if let Some(rec) = s.library.milestone_months.get(id).copied().flatten() {
                *spread
                    .offsets
                    .entry(i32::from(month.0) - i32::from(rec.0))
                    .or_insert(0) += 1;
            }
        }
    }

    /// Adds another distribution's counts (saturating: counts read from a
    /// file are checked with [`Distribution::problem`], but never trusted
    /// to stay in range).
    pub fn merge(&mut self, b: &Distribution) {
        self.runs = self.runs.saturating_add(b.runs);
        self.decisions = self.decisions.saturating_add(b.decisions);
        for (c, m) in &b.endings {
            let e = self.endings.entry(*c).or_default();
            for (k, v) in m {
                let n = e.entry(k.clone()).or_insert(0);
                *n = n.saturating_add(*v);
            }
        }
        for (k, sp) in &b.milestones {
            let slot = self.milestones.entry(k.clone()).or_default();
            slot.reached = slot.reached.saturating_add(sp.reached);
            for (off, n) in &sp.offsets {
                let x = slot.offsets.entry(*off).or_insert(0);
                *x = x.saturating_add(*n);
            }
        }
    }

    /// What is inconsistent in counts that came from a file, if anything:
    /// a court with more endings than runs, a milestone reached more often
    /// than there were runs, offsets that do not add up to it.
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        fn sum<'a>(it: impl Iterator<Item = &'a u64>) -> Option<u64> {
            it.copied().try_fold(0u64, u64::checked_add)
        }
        for (c, m) in &self.endings {
            match sum(m.values()) {
                Some(n) if n <= self.runs => {}
                _ => {
                    return Some(format!(
                        "the {} endings add up to more than its {} runs",
                        c.name(),
                        self.runs
                    ));
                }
            }
        }
        for (id, sp) in &self.milestones {
            let offsets = sum(sp.offsets.values());
            if sp.reached > self.runs || offsets.is_none_or(|n| n > sp.reached) {
                return Some(format!(
                    "milestone {id} is counted {} times in {} runs",
                    sp.reached, self.runs
                ));
            }
        }
        None
    }
}

/// `n / d` as a share (0 when `d` is 0).
#[must_use]
#[expect(
    clippy::cast_precision_loss,
    reason = "counts are at most 2^53 (Seeds::MAX_COUNT), exact in f64"
)]
pub fn ratio(n: u64, d: u64) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// The Wilson score interval (95%) for `k` successes in `n` trials, as
/// shares 0–1.
#[must_use]
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.96_f64;
    let nf = ratio(n, 1);
    let p = ratio(k, n);
    let denom = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}
