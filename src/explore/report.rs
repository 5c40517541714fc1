//! The explorer's report: one data structure ([`Report`], named fields
//! only), printed as text, JSON or self-contained HTML, and a per-seed CSV
//! ([`CsvTable`]).
//!
//! Everything printed is a function of the scenario and a [`Saved`] result
//! (whole counts), so a report made from merged shards is byte for byte the
//! report of one run over the whole range.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::importance::{Effect, Report as ImportanceReport};
use super::result::Saved;
use super::{Outcome, Seeds, Spread, court_slot, ratio, wilson};
use crate::content::Scenario;
use crate::content::model::Court;
use crate::report::{self, Format, ReportError};

/// A range of seeds, for people and programs.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SeedsView {
    /// First seed.
    pub first: u64,
    /// Last seed (included).
    pub last: u64,
    /// How many.
    pub count: u64,
}

impl From<Seeds> for SeedsView {
    fn from(s: Seeds) -> SeedsView {
        SeedsView {
            first: s.first,
            last: s.last,
            count: s.count(),
        }
    }
}

/// Which part of a split run this report covers.
#[derive(Debug, Clone, Serialize)]
pub struct ShardView {
    /// 1-based part.
    pub index: u64,
    /// Parts in all.
    pub count: u64,
    /// The whole range.
    pub range: SeedsView,
}

/// The explorer's report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Content hash of the data played.
    pub content_hash: String,
    /// Song policy.
    pub song: String,
    /// Jin policy.
    pub jin: String,
    /// The seeds played.
    pub seeds: SeedsView,
    /// Set when this is one shard of a larger range.
    pub shard: Option<ShardView>,
    /// The spread of outcomes.
    pub distribution: DistributionView,
    /// Which decisions mattered, if measured.
    pub importance: Option<ImportanceView>,
}

/// The spread of outcomes.
#[derive(Debug, Clone, Serialize)]
pub struct DistributionView {
    /// Campaigns run.
    pub runs: u64,
    /// Decisions taken over all of them.
    pub decisions: u64,
    /// Per court, per ending id.
    pub endings: BTreeMap<Court, BTreeMap<String, EndingShare>>,
    /// Each tracked milestone, in the scenario's order.
    pub milestones: Vec<MilestoneView>,
}

/// How often one ending was reached.
#[derive(Debug, Clone, Serialize)]
pub struct EndingShare {
    /// Ending id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Whether it is the court's recorded ending.
    pub recorded: bool,
    /// Runs that reached it.
    pub count: u64,
    /// Share of runs, 0–1.
    pub share: f64,
    /// 95% Wilson interval, lower end, 0–1.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// When one milestone fell.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    /// Milestone id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Recorded month id (`None`: it never happened historically).
    pub recorded_month: Option<String>,
    /// The recorded month for people: `Jingkang 1, 1st month (Jan 1126)`.
    pub recorded_month_label: Option<String>,
    /// Runs where it happened.
    pub reached: u64,
    /// Runs where it did not.
    pub not_reached: u64,
    /// Runs where it fell before its recorded month.
    pub early: u64,
    /// Runs where it fell in its recorded month.
    pub on_time: u64,
    /// Runs where it fell after.
    pub late: u64,
    /// Runs within one month either side.
    pub within_one_month: u64,
    /// Runs by month offset (−1: a month early).
    pub offsets: Vec<OffsetCount>,
}

/// Runs at one month offset.
#[derive(Debug, Clone, Serialize)]
pub struct OffsetCount {
    /// Months from the recorded month (negative: earlier).
    pub months: i32,
    /// Runs.
    pub count: u64,
}

/// Which decisions mattered.
#[derive(Debug, Clone, Serialize)]
pub struct ImportanceView {
    /// The measure, in one line.
    pub measure: String,
    /// How ties are broken.
    pub tie_break: String,
    /// How the intervals are made and when sampling stops.
    pub sampling: String,
    /// Seeds per batch.
    pub batch: u64,
    /// Interval half-width at which an option stops, in points.
    pub precision_points: f64,
    /// Campaigns with every decision recorded.
    pub baseline_campaigns: u64,
    /// Campaigns with one option changed.
    pub changed_campaigns: u64,
    /// Seed-and-option pairs that needed no campaign.
    pub pairs_without_a_run: u64,
    /// One ranking per court measured.
    pub courts: Vec<CourtImportance>,
}

/// One court's ranking.
#[derive(Debug, Clone, Serialize)]
pub struct CourtImportance {
    /// The court whose recorded ending is measured.
    pub court: Court,
    /// The ending's id.
    pub ending: String,
    /// Its title.
    pub ending_title: String,
    /// Baseline campaigns.
    pub baseline_runs: u64,
    /// Of which reached the ending.
    pub baseline_hits: u64,
    /// Their share, 0–1.
    pub baseline_share: f64,
    /// Every option, most important first.
    pub options: Vec<EffectView>,
}

/// One option's effect.
#[derive(Debug, Clone, Serialize)]
pub struct EffectView {
    /// Rank, from 1.
    pub rank: usize,
    /// Decision id.
    pub decision: String,
    /// Its reference tag (`D9`), if any.
    pub reference: Option<String>,
    /// The court that takes it.
    pub decision_court: Court,
    /// Its headline.
    pub decision_title: String,
    /// Option id.
    pub option: String,
    /// Its label.
    pub option_label: String,
    /// The policy that takes it: `set:<decision>=<option>`.
    pub policy: String,
    /// Change in the share reaching the recorded ending, percentage points.
    pub points: f64,
    /// 95% interval, lower end, points.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Total variation distance of the court's endings, points.
    pub tvd_points: f64,
    /// Seeds used.
    pub seeds: SeedsView,
    /// Seeds where the option changed the campaign.
    pub changed_seeds: u64,
    /// Seeds that lost the ending with the change.
    pub lost: u64,
    /// Seeds that gained it.
    pub gained: u64,
    /// Why sampling stopped.
    pub stopped: String,
}

/// Rounds to `places` decimals (for stable, readable JSON).
fn round(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    let r = (x * k).round() / k;
    if r == 0.0 { 0.0 } else { r }
}

impl Report {
    /// Builds the report of a saved (or just computed) result.
    #[must_use]
    pub fn new(s: &Scenario, r: &Saved) -> Report {
        let d = &r.distribution;
        let cal = s.calendar();
        let endings = d
            .endings
            .iter()
            .map(|(court, m)| {
                let rec = s.meta.recorded_ending.get(court);
                let v = m
                    .iter()
                    .map(|(id, n)| {
                        let (low, high) = wilson(*n, d.runs);
                        (
                            id.clone(),
                            EndingShare {
                                id: id.clone(),
                                title: s.ending(id).map_or_else(|| id.clone(), |e| e.title.clone()),
                                recorded: rec == Some(id),
                                count: *n,
                                share: round(ratio(*n, d.runs), 6),
                                low: round(low, 6),
                                high: round(high, 6),
                            },
                        )
                    })
                    .collect();
                (*court, v)
            })
            .collect();
        let empty = Spread::default();
        let milestones = s
            .meta
            .milestones
            .iter()
            .map(|id| {
                let sp = d.milestones.get(id).unwrap_or(&empty);
                let def = s.library.timeline.milestones.iter().find(|m| &m.id == id);
                let rec = s.library.milestone_months.get(id).copied().flatten();
                MilestoneView {
                    id: id.clone(),
                    title: def.map_or_else(|| id.clone(), |m| m.title.clone()),
                    recorded_month: rec.map(|m| cal.month(m).id.clone()),
                    recorded_month_label: rec.map(|m| {
                        format!(
                            "{} ({})",
                            cal.short_label(m, Court::Song),
                            cal.julian_short(m)
                        )
                    }),
                    reached: sp.reached,
                    not_reached: d.runs.saturating_sub(sp.reached),
                    early: sp.early(),
                    on_time: sp.on_time(),
                    late: sp.late(),
                    within_one_month: sp.within(1),
                    offsets: sp
                        .offsets
                        .iter()
                        .map(|(m, n)| OffsetCount {
                            months: *m,
                            count: *n,
                        })
                        .collect(),
                }
            })
            .collect();
        Report {
            scenario: s.meta.id.clone(),
            title: s.meta.title.clone(),
            content_hash: r.content_hash.clone(),
            song: r.song.clone(),
            jin: r.jin.clone(),
            seeds: r.seeds.into(),
            shard: (r.shard.count > 1).then(|| ShardView {
                index: r.shard.index,
                count: r.shard.count,
                range: r.range.into(),
            }),
            distribution: DistributionView {
                runs: d.runs,
                decisions: d.decisions,
                endings,
                milestones,
            },
            importance: r.importance.as_ref().map(|i| importance_view(s, i)),
        }
    }

    /// The JSON form (named fields only), pretty-printed.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// One court's endings, most frequent first.
    #[must_use]
    pub fn endings_of(&self, court: Court) -> Vec<&EndingShare> {
        let mut v: Vec<&EndingShare> = self
            .distribution
            .endings
            .get(&court)
            .map(|m| m.values().collect())
            .unwrap_or_default();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
        v
    }

    /// The heading line.
    #[must_use]
    pub fn heading(&self) -> String {
        let part = match &self.shard {
            Some(sh) => format!(
                " — shard {} of {} of seeds {}..{}",
                sh.index, sh.count, sh.range.first, sh.range.last
            ),
            None => String::new(),
        };
        format!(
            "{} — {} seed{} ({}..{}){part} · Song {} · Jin {}",
            self.title,
            thousands(self.seeds.count),
            if self.seeds.count == 1 { "" } else { "s" },
            self.seeds.first,
            self.seeds.last,
            self.song,
            self.jin
        )
    }
}

/// `0: 91.3% · +1: 5.9%` — the most common offsets first, at most eight.
fn offsets_line(m: &MilestoneView, runs: u64) -> String {
    let mut v: Vec<&OffsetCount> = m.offsets.iter().collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.months.cmp(&b.months)));
    let more = v.len().saturating_sub(8);
    v.truncate(8);
    v.sort_by_key(|o| o.months);
    let mut line = v
        .iter()
        .map(|o| {
            let months = match o.months {
                0 => "0".to_owned(),
                m if m > 0 => format!("+{m}"),
                m => format!("−{}", -m),
            };
            format!("{months}: {}", pct(ratio(o.count, runs)))
        })
        .collect::<Vec<_>>()
        .join(" · ");
    if more > 0 {
        let _ = write!(line, " · {more} rarer offsets");
    }
    line
}

fn importance_view(s: &Scenario, r: &ImportanceReport) -> ImportanceView {
    let courts = r
        .courts
        .iter()
        .map(|c| CourtImportance {
            court: c.court,
            ending: c.ending.clone(),
            ending_title: s
                .ending(&c.ending)
                .map_or_else(|| c.ending.clone(), |e| e.title.clone()),
            baseline_runs: r.baseline_runs,
            baseline_hits: c.baseline_hits,
            baseline_share: round(ratio(c.baseline_hits, r.baseline_runs), 6),
            options: c
                .options
                .iter()
                .enumerate()
                .map(|(i, e)| effect_view(s, i + 1, e))
                .collect(),
        })
        .collect();
    let precision = f64::from(r.precision_tenths) / 10.0;
    ImportanceView {
        measure: "pts: percentage points of seeds more (+) or fewer (−) reaching that ending when this one option is taken and every other decision follows the record, on the same seeds.".to_owned(),
        tie_break: "Ties (the same pts to one decimal) are broken by TVD: how many points of the whole spread of that court's endings moved.".to_owned(),
        sampling: format!(
            "Seeds were sampled in order, in batches of {}; an option stopped once its 95% interval (Agresti–Min, on the paired difference) was clear of its neighbours' in the ranking or at most ±{precision} points wide. {} campaigns with every decision recorded, {} with one option changed; {} seed-and-option pairs needed no campaign (the option could change nothing there).",
            r.batch,
            thousands(r.baseline_runs),
            thousands(r.changed_runs),
            thousands(r.skipped)
        ),
        batch: r.batch,
        precision_points: precision,
        baseline_campaigns: r.baseline_runs,
        changed_campaigns: r.changed_runs,
        pairs_without_a_run: r.skipped,
        courts,
    }
}

fn effect_view(s: &Scenario, rank: usize, e: &Effect) -> EffectView {
    let d = s.decisions.get(e.decision.as_str());
    let (low, high) = e.interval();
    EffectView {
        rank,
        decision: e.decision.clone(),
        reference: d.and_then(|d| d.reference.clone()),
        decision_court: e.decision_court,
        decision_title: d.map_or_else(|| e.decision.clone(), |d| d.title.clone()),
        option: e.option.clone(),
        option_label: d
            .and_then(|d| d.options.iter().find(|o| o.id == e.option))
            .map_or_else(|| e.option.clone(), |o| o.label.clone()),
        policy: format!("set:{}={}", e.decision, e.option),
        points: round(e.points(), 2),
        low: round(low, 2),
        high: round(high, 2),
        tvd_points: round(e.tvd_points(), 2),
        seeds: e.seeds.into(),
        changed_seeds: e.changed,
        lost: e.lost,
        gained: e.gained,
        stopped: e.stop.label().to_owned(),
    }
}

/// At most `n` characters, with `…` where it was cut.
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// ` 95.2%`.
fn pct(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

/// `95.2` (for intervals).
fn pct1(share: f64) -> String {
    format!("{:.1}", 100.0 * share)
}

/// `+4.5`, `−12.0`, `0.0` (a real minus sign).
fn signed(points: f64) -> String {
    let r = round(points, 1);
    if r > 0.0 {
        format!("+{r:.1}")
    } else if r < 0.0 {
        format!("−{:.1}", -r)
    } else {
        "0.0".to_owned()
    }
}

/// `10,000`.
#[must_use]
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The per-seed table: one row per seed with each court's ending and the
/// month of each milestone.
pub struct CsvTable<'a, W: Write> {
    w: csv::Writer<W>,
    s: &'a Scenario,
}

impl<'a, W: Write> CsvTable<'a, W> {
    /// Starts the table and writes its header: `seed`, `song_ending`,
    /// `jin_ending`, `ended`, then per milestone `<id>` (month id, empty if
    /// it did not happen) and `<id>_offset` (months from the record).
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn new(s: &'a Scenario, out: W) -> csv::Result<CsvTable<'a, W>> {
        let mut w = csv::Writer::from_writer(out);
        let mut head: Vec<String> = ["seed", "song_ending", "jin_ending", "ended"]
            .iter()
            .map(|x| (*x).to_owned())
            .collect();
        for m in &s.meta.milestones {
            head.push(m.clone());
            head.push(format!("{m}_offset"));
        }
        w.write_record(&head)?;
        Ok(CsvTable { w, s })
    }

    /// Writes one seed's row.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn row(&mut self, o: &Outcome) -> csv::Result<()> {
        let s = self.s;
        let cal = s.calendar();
        let ending = |c: Court| {
            o.endings[court_slot(c)]
                .and_then(|i| s.endings.get(usize::from(i)))
                .map_or_else(String::new, |e| e.id.clone())
        };
        let mut row = vec![
            o.seed.to_string(),
            ending(Court::Song),
            ending(Court::Jin),
            o.ended
                .map_or_else(String::new, |m| cal.month(m).id.clone()),
        ];
        for (id, reached) in s.meta.milestones.iter().zip(&o.milestones) {
            row.push(reached.map_or_else(String::new, |m| cal.month(m).id.clone()));
            let rec = s.library.milestone_months.get(id).copied().flatten();
            row.push(match (reached, rec) {
                (Some(a), Some(b)) => (i32::from(a.0) - i32::from(b.0)).to_string(),
                _ => String::new(),
            });
        }
        self.w.write_record(&row)
    }

    /// Flushes the table.
    ///
    /// # Errors
    /// The output cannot be written.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// An effect smaller than this many points is summed up in one line in
/// the text report (every option is in the JSON and the HTML).
const NEGLIGIBLE: f64 = 1.0;

/// What the explorer's templates see: the report with every number already
/// put into words for people.
#[derive(Debug, Serialize)]
struct View<'a> {
    heading: String,
    title: &'a str,
    content_hash: &'a str,
    courts: Vec<CourtView<'a>>,
    milestones: Vec<MilestoneLine<'a>>,
    importance: Option<ImportanceLines<'a>>,
}

#[derive(Debug, Serialize)]
struct CourtView<'a> {
    court: &'static str,
    endings: Vec<EndingLine<'a>>,
}

#[derive(Debug, Serialize)]
struct EndingLine<'a> {
    /// Share and interval, padded for the text report's columns.
    columns: String,
    title: &'a str,
    short: String,
    recorded: bool,
    count: u64,
    percent: String,
    interval: String,
    /// 0–100, for the bars.
    share: f64,
    low: f64,
    high: f64,
}

#[derive(Debug, Serialize)]
struct MilestoneLine<'a> {
    title: &'a str,
    short: String,
    recorded: Option<&'a str>,
    early: String,
    on_time: String,
    late: String,
    never: String,
    reached: String,
    /// The months off, unless they say no more than "on time".
    offsets: Option<String>,
    /// 0–100, for the bars.
    early_share: f64,
    on_time_share: f64,
    late_share: f64,
    never_share: f64,
    reached_share: f64,
}

#[derive(Debug, Serialize)]
struct ImportanceLines<'a> {
    measure: &'a str,
    tie_break: &'a str,
    sampling: &'a str,
    negligible: u32,
    courts: Vec<CourtLines<'a>>,
}

#[derive(Debug, Serialize)]
struct CourtLines<'a> {
    court: &'static str,
    ending: &'a str,
    baseline: String,
    baseline_runs: String,
    options: Vec<EffectLine<'a>>,
    /// Options the text report sums up in one line.
    negligible: usize,
}

#[derive(Debug, Serialize)]
struct EffectLine<'a> {
    /// Rank, points, interval, TVD and seeds, padded for the text report.
    columns: String,
    rank: usize,
    points: String,
    value: f64,
    low: f64,
    high: f64,
    interval: String,
    tvd: String,
    seeds: String,
    court: &'static str,
    reference: Option<&'a str>,
    decision: &'a str,
    option: &'a str,
    policy: &'a str,
    stopped: &'a str,
    /// Option and decision in a few words, for a chart's label.
    short: String,
    /// Large enough to be listed in the text report.
    listed: bool,
}

impl Report {
    fn view(&self) -> View<'_> {
        let runs = self.distribution.runs;
        let courts = Court::ALL
            .iter()
            .filter_map(|c| {
                let ends = self.endings_of(*c);
                (!ends.is_empty()).then(|| CourtView {
                    court: c.name(),
                    endings: ends
                        .iter()
                        .map(|e| EndingLine {
                            columns: format!(
                                "{:>6}  {:>15}",
                                pct(e.share),
                                format!("[{}, {}]", pct1(e.low), pct1(e.high))
                            ),
                            title: &e.title,
                            short: shorten(&e.title, 34),
                            recorded: e.recorded,
                            count: e.count,
                            percent: pct(e.share),
                            interval: format!("[{}, {}]", pct1(e.low), pct1(e.high)),
                            share: round(100.0 * e.share, 2),
                            low: round(100.0 * e.low, 2),
                            high: round(100.0 * e.high, 2),
                        })
                        .collect(),
                })
            })
            .collect();
        let milestones = self
            .distribution
            .milestones
            .iter()
            .map(|m| {
                let part = |n: u64| round(100.0 * ratio(n, runs), 2);
                let text = |n: u64| pct(ratio(n, runs));
                MilestoneLine {
                    title: &m.title,
                    short: shorten(&m.title, 34),
                    recorded: m.recorded_month_label.as_deref(),
                    early: text(m.early),
                    on_time: text(m.on_time),
                    late: text(m.late),
                    never: text(m.not_reached),
                    reached: text(m.reached),
                    offsets: (m.offsets.len() > 1 || m.offsets.iter().any(|o| o.months != 0))
                        .then(|| offsets_line(m, runs)),
                    early_share: part(m.early),
                    on_time_share: part(m.on_time),
                    late_share: part(m.late),
                    never_share: part(m.not_reached),
                    reached_share: part(m.reached),
                }
            })
            .collect();
        let importance = self.importance.as_ref().map(|imp| ImportanceLines {
            measure: &imp.measure,
            tie_break: &imp.tie_break,
            sampling: &imp.sampling,
            negligible: 1,
            courts: imp
                .courts
                .iter()
                .map(|c| {
                    let options: Vec<EffectLine<'_>> = c
                        .options
                        .iter()
                        .map(|e| EffectLine {
                            columns: format!(
                                "{:>3}  {:>6}  {:>15}  {:>5.1}  {:>6}",
                                e.rank,
                                signed(e.points),
                                format!("[{}, {}]", signed(e.low), signed(e.high)),
                                e.tvd_points,
                                thousands(e.seeds.count)
                            ),
                            rank: e.rank,
                            points: signed(e.points),
                            value: e.points,
                            low: e.low,
                            high: e.high,
                            interval: format!("[{}, {}]", signed(e.low), signed(e.high)),
                            tvd: format!("{:.1}", e.tvd_points),
                            seeds: thousands(e.seeds.count),
                            court: e.decision_court.name(),
                            reference: e.reference.as_deref(),
                            decision: &e.decision_title,
                            option: &e.option_label,
                            policy: &e.policy,
                            stopped: &e.stopped,
                            short: shorten(
                                &format!(
                                    "{}{}: {}",
                                    e.decision_court.name(),
                                    e.reference
                                        .as_ref()
                                        .map_or_else(String::new, |r| format!(" {r}")),
                                    e.option_label
                                ),
                                40,
                            ),
                            listed: e.points.abs() >= NEGLIGIBLE,
                        })
                        .collect();
                    CourtLines {
                        court: c.court.name(),
                        ending: &c.ending_title,
                        baseline: pct(c.baseline_share),
                        baseline_runs: thousands(c.baseline_runs),
                        negligible: options.iter().filter(|e| !e.listed).count(),
                        options,
                    }
                })
                .collect(),
        });
        View {
            heading: self.heading(),
            title: &self.title,
            content_hash: &self.content_hash,
            courts,
            milestones,
            importance,
        }
    }

    /// The report as text for a terminal (template `explore.txt`).
    ///
    /// # Errors
    /// The template fails (a bug in it).
    pub fn to_text(&self) -> Result<String, ReportError> {
        report::render("explore", &self.view(), Format::Text)
    }

    /// The report as one self-contained HTML page with SVG bar charts, no
    /// script and no network (template `explore.html`).
    ///
    /// # Errors
    /// The template fails (a bug in it).
    pub fn to_html(&self) -> Result<String, ReportError> {
        report::render("explore", &self.view(), Format::Html)
    }
}
