//! The record, and the campaign laid beside it: the `history` layer.
//!
//! [`compare`] is a pure function from a campaign's [`Ledger`] and its
//! scenario to a [`Debrief`]: the decision ledger (your choice, the recorded
//! one, its date in both calendars, sources, what really followed), the
//! milestones (recorded month vs yours), both courts' endings against the
//! recorded ones, both courts' grievance ledgers, and a divergence score
//! 0–100 with its breakdown. It is one serde-serialisable structure:
//! [`crate::report`] renders it through templates to text, Markdown and
//! HTML, and [`Debrief::to_json`] gives programs a stable JSON shape. Both
//! are deterministic, so a replayed run reproduces them byte for byte.
//! Every label a template needs (dates in both calendars, who decided, the
//! discussion questions) is already in the structure, so templates never
//! reach back into the scenario.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::{Certainty, Court};
use crate::sim::Ledger;

/// Who played what, for the debrief's heading.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    /// Seed.
    pub seed: u64,
    /// The court the debrief is written for (the player's, or Song).
    pub focus: Court,
    /// Who decided for the Song court.
    pub song: String,
    /// Who decided for the Jin court.
    pub jin: String,
    /// The player's name, if they gave one.
    pub player: Option<String>,
    /// How the run was played: `full` or `brief` (shorter texts for a lesson).
    pub pace: String,
}

/// The comparison of a campaign with the record.
#[derive(Debug, Clone, Serialize)]
pub struct Debrief {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Content hash.
    pub content_hash: String,
    /// Run info.
    pub run: RunInfo,
    /// Month the campaign ended.
    pub ended: Option<String>,
    /// That month for people: `Jingkang 1, 3rd month (26 Mar – 23 Apr 1126)`.
    pub ended_label: Option<String>,
    /// Decisions taken, in order.
    pub decisions: Vec<DecisionRow>,
    /// Milestones tracked by the scenario.
    pub milestones: Vec<MilestoneRow>,
    /// Each court's ending.
    pub endings: Vec<EndingRow>,
    /// Each court's case against the other: its named grievances, Song first.
    pub cases: Vec<CaseRow>,
    /// Divergence from the record.
    pub divergence: Divergence,
    /// The model's trace of every outcome, oldest first, each line
    /// labelled `[model]`.
    pub trace: Vec<String>,
    /// The map and the timeline, when the debrief was made from a whole
    /// campaign (see [`crate::report::figures`]); the HTML draws them.
    pub figures: Option<crate::report::figures::Figures>,
}

/// One court's case against the other.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    /// The aggrieved court.
    pub court: Court,
    /// The court it holds them against.
    pub against: Court,
    /// Its grievances, in the order they arose.
    pub grievances: Vec<GrievanceRow>,
}

/// One decision.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionRow {
    /// Decision id.
    pub id: String,
    /// Reference number (`D1` …).
    pub reference: Option<String>,
    /// Deciding court.
    pub court: Court,
    /// Headline.
    pub title: String,
    /// Option chosen.
    pub chosen: String,
    /// Its label.
    pub chosen_label: String,
    /// Who chose.
    pub by: String,
    /// Month chosen (month id).
    pub month: String,
    /// Month chosen, both calendars.
    pub month_label: String,
    /// Recorded option, if the record shows one.
    pub recorded: Option<String>,
    /// Its label.
    pub recorded_label: Option<String>,
    /// Recorded date (Julian).
    pub recorded_date: Option<String>,
    /// Recorded Chinese date.
    pub recorded_chinese_date: Option<String>,
    /// Recorded month id.
    pub recorded_month: Option<String>,
    /// What really followed.
    pub followed: Option<String>,
    /// What really followed, short (for a lesson); the full text if there
    /// is no short one.
    pub followed_brief: Option<String>,
    /// Sources.
    pub sources: Vec<String>,
    /// Certainty label of the record.
    pub certainty: String,
    /// Both versions, if disputed.
    pub versions: Vec<String>,
    /// Your choice matches the record.
    pub matches: Option<bool>,
    /// Who decided, for a sentence: `You` or `Policy recorded`.
    pub who: String,
    /// The recorded date for people: `18 Jan 1126` or `Dec 1125`.
    pub recorded_date_label: Option<String>,
    /// Questions for discussion in class.
    pub questions: Vec<String>,
    /// The player's answer to "why?" (`--reflect`), if they gave one.
    pub reflection: Option<String>,
}

/// Who decided, for a sentence: `You` or `Policy recorded`.
fn who(by: &str) -> String {
    if by == "player" {
        "You".to_owned()
    } else {
        format!("Policy {by}")
    }
}

/// One milestone.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneRow {
    /// Milestone id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Month reached in this campaign, if reached.
    pub month: Option<String>,
    /// Recorded month, if it happened historically.
    pub recorded_month: Option<String>,
    /// Recorded date.
    pub recorded_date: String,
    /// Months later (+) or earlier (−) than the record.
    pub offset: Option<i32>,
    /// Sources.
    pub sources: Vec<String>,
    /// Certainty label.
    pub certainty: String,
    /// Whether its recorded month lies inside the scenario's months (only
    /// those count in the divergence).
    pub counted: bool,
    /// The recorded month for people, in the Song calendar with Julian
    /// dates, or `never happened`.
    pub recorded_label: String,
    /// The recorded month in the Jin calendar, if it happened.
    pub recorded_jin: Option<String>,
    /// The recorded month, short (`Jingkang 1, 1st month`), or `never happened`.
    pub recorded_short: String,
    /// This campaign's month and how far from the record:
    /// `Jingkang 1, 2nd month (1 month later)`, or `did not happen`.
    pub yours_label: String,
    /// This campaign's month in the Jin calendar, if reached.
    pub yours_jin: Option<String>,
    /// The model's account of why it came out so (`[model]` lines); empty
    /// where the model gives none.
    pub why: Vec<String>,
}

impl MilestoneRow {
    /// This campaign's month for it, and how far from the record:
    /// `Jingkang 1, 2nd month (1 month later)`, or `did not happen`.
    fn yours(&self, s: &Scenario) -> String {
        match (&self.month, self.offset) {
            (Some(y), Some(0)) => {
                format!("{} (same month)", s.short_label(y, Court::Song))
            }
            (Some(y), Some(off)) => format!(
                "{} ({} month{} {})",
                s.short_label(y, Court::Song),
                off.abs(),
                if off.abs() == 1 { "" } else { "s" },
                if off > 0 { "later" } else { "earlier" }
            ),
            (Some(y), None) => s.short_label(y, Court::Song),
            (None, _) => "did not happen".to_owned(),
        }
    }
}

/// One court's ending.
#[derive(Debug, Clone, Serialize)]
pub struct EndingRow {
    /// Court.
    pub court: Court,
    /// Ending id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Text.
    pub text: String,
    /// The text, short (for a lesson); the full text if there is no short one.
    pub brief: String,
    /// The recorded ending's id.
    pub recorded: Option<String>,
    /// Its title.
    pub recorded_title: Option<String>,
    /// Nearest recorded counterpart.
    pub nearest: String,
    /// Sources.
    pub sources: Vec<String>,
    /// This ending is the recorded one.
    pub same: bool,
    /// The model's account of why it came out so (`[model]` lines); empty
    /// where the model gives none.
    pub why: Vec<String>,
}

/// One grievance.
#[derive(Debug, Clone, Serialize)]
pub struct GrievanceRow {
    /// Id.
    pub id: String,
    /// Weight.
    pub weight: i32,
    /// The case.
    pub text: String,
    /// When it arose (month id).
    pub month: String,
    /// When it arose, in the aggrieved court's calendar.
    pub month_label: String,
}

/// The divergence score and how it was made.
#[derive(Debug, Clone, Serialize)]
pub struct Divergence {
    /// 0 (the record) to 100.
    pub total: u32,
    /// Up to 50: the share of decisions that differ from the record.
    pub decisions: u32,
    /// Up to 30: how far milestones moved (6 months or more, or not
    /// happening, counts in full).
    pub milestones: u32,
    /// 20 if the ending differs from the recorded one.
    pub ending: u32,
    /// Decisions compared / differing.
    pub decisions_compared: usize,
    /// Decisions differing.
    pub decisions_differing: usize,
}

fn month_id(s: &Scenario, m: MonthIdx) -> String {
    s.calendar().month(m).id.clone()
}

fn both_calendars(s: &Scenario, m: MonthIdx) -> String {
    let cal = s.calendar();
    format!("{} / {}", cal.song_label(m), cal.short_label(m, Court::Jin))
}

/// Lays a campaign beside the record.
#[must_use]
pub fn compare(s: &Scenario, ledger: &Ledger, run: RunInfo) -> Debrief {
    let cal = s.calendar();
    let mut decisions = Vec::new();
    for t in &ledger.decisions {
        let Some(d) = s.decisions.get(&t.decision) else {
            continue;
        };
        let label = |id: &str| {
            d.options
                .iter()
                .find(|o| o.id == id)
                .map_or_else(|| id.to_owned(), |o| o.label.clone())
        };
        let r = d.recorded.as_ref();
        decisions.push(DecisionRow {
            id: d.id.to_string(),
            reference: d.reference.clone(),
            court: d.court,
            title: d.title.clone(),
            chosen: t.option.to_string(),
            chosen_label: label(&t.option),
            by: t.by.clone(),
            month: month_id(s, t.month),
            month_label: both_calendars(s, t.month),
            recorded: r.map(|r| r.option.clone()),
            recorded_label: r.map(|r| label(&r.option)),
            recorded_date: r.map(|r| r.date.clone()),
            recorded_chinese_date: r.map(|r| r.chinese_date.clone()),
            recorded_month: r.and_then(|r| s.month(&r.month)).map(|m| month_id(s, m)),
            followed: r.map(|r| r.followed.clone()),
            followed_brief: r.map(|r| {
                if r.brief.is_empty() {
                    r.followed.clone()
                } else {
                    r.brief.clone()
                }
            }),
            sources: r.map(|r| r.sources.clone()).unwrap_or_default(),
            certainty: r
                .map_or(Certainty::Invented, |r| r.certainty)
                .label()
                .to_owned(),
            versions: r
                .map(|r| {
                    r.versions
                        .iter()
                        .map(|v| format!("{} ({})", v.says, v.sources.join(", ")))
                        .collect()
                })
                .unwrap_or_default(),
            matches: r.map(|r| r.option == t.option),
            who: who(&t.by),
            recorded_date_label: r.map(|r| crate::calendar::long_date(&r.date)),
            questions: d.questions.clone(),
            reflection: None,
        });
    }
    let mut milestones = Vec::new();
    for id in &s.meta.milestones {
        let Some(def) = s.library.timeline.milestones.iter().find(|m| &m.id == id) else {
            continue;
        };
        let recorded = s.library.milestone_months.get(id).copied().flatten();
        let reached = ledger.milestones.get(id.as_str()).copied();
        let mut row = MilestoneRow {
            id: id.clone(),
            title: def.title.clone(),
            month: reached.map(|m| month_id(s, m)),
            recorded_month: recorded.map(|m| month_id(s, m)),
            recorded_date: def.date.clone(),
            offset: match (reached, recorded) {
                (Some(a), Some(b)) => Some(i32::from(a.0) - i32::from(b.0)),
                _ => None,
            },
            sources: def.sources.clone(),
            certainty: def.certainty.label().to_owned(),
            counted: recorded.is_none_or(|m| m >= s.start && m <= s.end),
            recorded_label: recorded
                .map_or_else(|| "never happened".to_owned(), |m| cal.song_label(m)),
            recorded_jin: recorded.map(|m| cal.short_label(m, Court::Jin)),
            recorded_short: recorded.map_or_else(
                || "never happened".to_owned(),
                |m| cal.short_label(m, Court::Song),
            ),
            yours_label: String::new(),
            yours_jin: reached.map(|m| cal.short_label(m, Court::Jin)),
            why: ledger
                .why
                .get(&format!("milestone:{id}"))
                .cloned()
                .unwrap_or_default(),
        };
        row.yours_label = row.yours(s);
        milestones.push(row);
    }
    let mut endings = Vec::new();
    for (court, id) in &ledger.endings {
        let Some(e) = s.ending(id) else { continue };
        let rec = s.recorded_ending(*court);
        endings.push(EndingRow {
            court: *court,
            id: e.id.clone(),
            title: e.title.clone(),
            text: e.text.clone(),
            brief: if e.brief.is_empty() {
                e.text.clone()
            } else {
                e.brief.clone()
            },
            recorded: rec.map(|r| r.id.clone()),
            recorded_title: rec.map(|r| r.title.clone()),
            nearest: e.nearest.clone(),
            sources: e.sources.clone(),
            same: rec.is_some_and(|r| r.id == e.id),
            why: ledger
                .why
                .get(&format!("ending:{}", court.name()))
                .cloned()
                .unwrap_or_default(),
        });
    }
    let cases = Court::ALL
        .into_iter()
        .map(|court| CaseRow {
            court,
            against: court.other(),
            grievances: ledger
                .grievances
                .get(&court)
                .into_iter()
                .flatten()
                .map(|g| GrievanceRow {
                    id: g.id.clone(),
                    weight: g.weight,
                    text: g.text.clone(),
                    month: month_id(s, g.month),
                    month_label: cal.short_label(g.month, court),
                })
                .collect(),
        })
        .collect();

    // Divergence.
    let compared: Vec<&DecisionRow> = decisions.iter().filter(|d| d.matches.is_some()).collect();
    let differing = compared.iter().filter(|d| d.matches == Some(false)).count();
    let dec_score = if compared.is_empty() {
        0
    } else {
        u32::try_from(differing * 50 / compared.len()).unwrap_or(50)
    };
    let mut ms_sum = 0u32;
    let mut ms_n = 0u32;
    for m in milestones.iter().filter(|m| m.counted) {
        let part = match (m.offset, &m.recorded_month, &m.month) {
            (Some(o), _, _) => o.unsigned_abs().min(6) * 100 / 6,
            (None, Some(_), None) | (None, None, Some(_)) => 100,
            (None, None, None) => continue,
            (None, Some(_), Some(_)) => 0,
        };
        ms_sum += part;
        ms_n += 1;
    }
    let ms_score = if ms_n == 0 {
        0
    } else {
        ms_sum * 30 / (ms_n * 100)
    };
    let focus_end = ledger.endings.get(&run.focus);
    let rec_end = s.meta.recorded_ending.get(&run.focus);
    let end_score = if focus_end.is_some() && focus_end == rec_end {
        0
    } else {
        20
    };
    let divergence = Divergence {
        total: dec_score + ms_score + end_score,
        decisions: dec_score,
        milestones: ms_score,
        ending: end_score,
        decisions_compared: compared.len(),
        decisions_differing: differing,
    };
    Debrief {
        scenario: s.meta.id.clone(),
        title: s.meta.title.clone(),
        content_hash: s.content_hash.clone(),
        run,
        ended: ledger.ended.map(|m| month_id(s, m)),
        ended_label: ledger.ended.map(|m| cal.song_label(m)),
        decisions,
        milestones,
        endings,
        cases,
        divergence,
        trace: ledger
            .traces
            .iter()
            .map(|t| {
                format!(
                    "[model] {}: {}",
                    s.calendar().short_label(t.month, Court::Song),
                    t.text
                )
            })
            .collect(),
        figures: None,
    }
}

/// The stable JSON form of a debrief.
#[derive(Serialize)]
struct JsonDebrief<'a> {
    scenario: &'a str,
    content_hash: &'a str,
    seed: u64,
    side: Court,
    song: &'a str,
    jin: &'a str,
    ending: Option<&'a str>,
    recorded_ending: Option<&'a str>,
    endings: BTreeMap<Court, JsonEnding<'a>>,
    ended: Option<&'a str>,
    divergence: &'a Divergence,
    decisions: Vec<JsonDecision<'a>>,
    milestones: Vec<JsonMilestone<'a>>,
    grievances: BTreeMap<Court, Vec<JsonGrievance<'a>>>,
    trace: &'a [String],
}

#[derive(Serialize)]
struct JsonGrievance<'a> {
    id: &'a str,
    weight: i32,
    text: &'a str,
    month: &'a str,
}

#[derive(Serialize)]
struct JsonEnding<'a> {
    id: &'a str,
    title: &'a str,
    why: &'a [String],
}

#[derive(Serialize)]
struct JsonDecision<'a> {
    id: &'a str,
    court: Court,
    chosen: &'a str,
    recorded: Option<&'a str>,
    month: &'a str,
    recorded_month: Option<&'a str>,
    by: &'a str,
    matches: Option<bool>,
    sources: &'a [String],
    certainty: &'a str,
}

#[derive(Serialize)]
struct JsonMilestone<'a> {
    id: &'a str,
    month: Option<&'a str>,
    recorded_month: Option<&'a str>,
    offset: Option<i32>,
    counted: bool,
    why: &'a [String],
}

impl Debrief {
    /// Adds the player's reasons (`--reflect`) to the decisions they were
    /// given for, matched by decision id.
    pub fn add_reflections<'a>(&mut self, reasons: impl IntoIterator<Item = (&'a str, &'a str)>) {
        for (decision, why) in reasons {
            if let Some(row) = self
                .decisions
                .iter_mut()
                .find(|d| d.id == decision && d.by == "player")
            {
                row.reflection = Some(why.to_owned());
            }
        }
    }

    /// The focus court's ending.
    #[must_use]
    pub fn ending(&self) -> Option<&EndingRow> {
        self.endings.iter().find(|e| e.court == self.run.focus)
    }

    /// Stable JSON: `scenario`, `seed`, `ending`, `recorded_ending`,
    /// `divergence`, `decisions` (`id`, `chosen`, `recorded`, `month`, …),
    /// `milestones` (`id`, `month` or null, `recorded_month`, …).
    #[must_use]
    pub fn to_json(&self) -> String {
        let end = self.ending();
        let j = JsonDebrief {
            scenario: &self.scenario,
            content_hash: &self.content_hash,
            seed: self.run.seed,
            side: self.run.focus,
            song: &self.run.song,
            jin: &self.run.jin,
            ending: end.map(|e| e.id.as_str()),
            recorded_ending: end.and_then(|e| e.recorded.as_deref()),
            endings: self
                .endings
                .iter()
                .map(|e| {
                    (
                        e.court,
                        JsonEnding {
                            id: &e.id,
                            title: &e.title,
                            why: &e.why,
                        },
                    )
                })
                .collect(),
            ended: self.ended.as_deref(),
            divergence: &self.divergence,
            decisions: self
                .decisions
                .iter()
                .map(|d| JsonDecision {
                    id: &d.id,
                    court: d.court,
                    chosen: &d.chosen,
                    recorded: d.recorded.as_deref(),
                    month: &d.month,
                    recorded_month: d.recorded_month.as_deref(),
                    by: &d.by,
                    matches: d.matches,
                    sources: &d.sources,
                    certainty: &d.certainty,
                })
                .collect(),
            milestones: self
                .milestones
                .iter()
                .map(|m| JsonMilestone {
                    id: &m.id,
                    month: m.month.as_deref(),
                    recorded_month: m.recorded_month.as_deref(),
                    offset: m.offset,
                    counted: m.counted,
                    why: &m.why,
                })
                .collect(),
            grievances: self
                .cases
                .iter()
                .filter(|c| !c.grievances.is_empty())
                .map(|c| {
                    (
                        c.court,
                        c.grievances
                            .iter()
                            .map(|g| JsonGrievance {
                                id: &g.id,
                                weight: g.weight,
                                text: &g.text,
                                month: &g.month,
                            })
                            .collect(),
                    )
                })
                .collect(),
            trace: &self.trace,
        };
        serde_json::to_string_pretty(&j).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}
