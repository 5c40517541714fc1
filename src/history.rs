//! The record, and the campaign laid beside it: the `history` layer.
//!
//! [`compare`] is a pure function from a campaign's [`Ledger`] and its
//! scenario to a [`Debrief`]: the decision ledger (your choice, the recorded
//! one, its date in both calendars, sources, what really followed), the
//! milestones (recorded month vs yours), both courts' endings against the
//! recorded ones, both courts' grievance ledgers, and a divergence score
//! 0–100 with its breakdown. [`Debrief::render`] prints it for people and
//! [`Debrief::to_json`] for programs; both are deterministic, so a replayed
//! run reproduces them byte for byte.

use std::collections::BTreeMap;
use std::fmt::Write as _;

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
    /// Decisions taken, in order.
    pub decisions: Vec<DecisionRow>,
    /// Milestones tracked by the scenario.
    pub milestones: Vec<MilestoneRow>,
    /// Each court's ending.
    pub endings: Vec<EndingRow>,
    /// Each court's named grievances.
    pub grievances: BTreeMap<Court, Vec<GrievanceRow>>,
    /// Divergence from the record.
    pub divergence: Divergence,
    /// The model's trace of every outcome, oldest first, each line
    /// labelled `[model]`.
    pub trace: Vec<String>,
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
    /// Sources.
    pub sources: Vec<String>,
    /// Certainty label of the record.
    pub certainty: String,
    /// Both versions, if disputed.
    pub versions: Vec<String>,
    /// Your choice matches the record.
    pub matches: Option<bool>,
}

impl DecisionRow {
    /// Who decided, for a sentence: `You` or `Policy recorded`.
    #[must_use]
    pub fn who(&self) -> String {
        if self.by == "player" {
            "You".to_owned()
        } else {
            format!("Policy {}", self.by)
        }
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
    /// Why it came out as it did: `[model]` lines.
    pub why: Vec<String>,
}

impl MilestoneRow {
    /// This campaign's month for it, and how far from the record:
    /// `Jingkang 1, 2nd month (1 month later)`, or `did not happen`.
    #[must_use]
    pub fn yours(&self, s: &Scenario) -> String {
        let cal = s.calendar();
        match (&self.month, self.offset) {
            (Some(y), Some(0)) => {
                format!("{} (same month)", cal.short_label(s.month(y), Court::Song))
            }
            (Some(y), Some(off)) => format!(
                "{} ({} month{} {})",
                cal.short_label(s.month(y), Court::Song),
                off.abs(),
                if off.abs() == 1 { "" } else { "s" },
                if off > 0 { "later" } else { "earlier" }
            ),
            (Some(y), None) => cal.short_label(s.month(y), Court::Song),
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
    /// The recorded ending's id.
    pub recorded: Option<String>,
    /// Its title.
    pub recorded_title: Option<String>,
    /// Nearest recorded counterpart.
    pub nearest: String,
    /// Sources.
    pub sources: Vec<String>,
    /// Why it came about: `[model]` lines.
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
            id: d.id.clone(),
            reference: d.reference.clone(),
            court: d.court,
            title: d.title.clone(),
            chosen: t.option.clone(),
            chosen_label: label(&t.option),
            by: t.by.clone(),
            month: month_id(s, t.month),
            month_label: both_calendars(s, t.month),
            recorded: r.map(|r| r.option.clone()),
            recorded_label: r.map(|r| label(&r.option)),
            recorded_date: r.map(|r| r.date.clone()),
            recorded_chinese_date: r.map(|r| r.chinese_date.clone()),
            recorded_month: r.map(|r| month_id(s, s.month(&r.month))),
            followed: r.map(|r| r.followed.clone()),
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
        });
    }
    let mut milestones = Vec::new();
    for id in &s.meta.milestones {
        let Some(def) = s.library.timeline.milestones.iter().find(|m| &m.id == id) else {
            continue;
        };
        let recorded = s.library.milestone_months.get(id).copied().flatten();
        let reached = ledger.milestones.get(id).copied();
        milestones.push(MilestoneRow {
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
            why: ledger
                .why
                .get(&format!("milestone:{id}"))
                .cloned()
                .unwrap_or_default(),
        });
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
            recorded: rec.map(|r| r.id.clone()),
            recorded_title: rec.map(|r| r.title.clone()),
            nearest: e.nearest.clone(),
            sources: e.sources.clone(),
            why: ledger
                .why
                .get(&format!("ending:{}", court.name()))
                .cloned()
                .unwrap_or_default(),
        });
    }
    let grievances = ledger
        .grievances
        .iter()
        .map(|(c, list)| {
            (
                *c,
                list.iter()
                    .map(|g| GrievanceRow {
                        id: g.id.clone(),
                        weight: g.weight,
                        text: g.text.clone(),
                        month: month_id(s, g.month),
                    })
                    .collect(),
            )
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
        decisions,
        milestones,
        endings,
        grievances,
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
    grievances: &'a BTreeMap<Court, Vec<GrievanceRow>>,
    trace: &'a [String],
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
            grievances: &self.grievances,
            trace: &self.trace,
        };
        serde_json::to_string_pretty(&j).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// The debrief for people, as plain text.
    #[must_use]
    #[expect(
        clippy::too_many_lines,
        reason = "the debrief reads top to bottom as one document"
    )]
    pub fn render(&self, s: &Scenario) -> String {
        let mut o = String::new();
        let cal = s.calendar();
        let rule = "=".repeat(72);
        let _ = writeln!(
            o,
            "{rule}\nDEBRIEF — {} ({})\n{rule}",
            self.title, self.scenario
        );
        let _ = writeln!(
            o,
            "Seed {} · Song: {} · Jin: {} · content {}",
            self.run.seed, self.run.song, self.run.jin, self.content_hash
        );
        if let Some(m) = &self.ended {
            let _ = writeln!(o, "The campaign closed in {}.", cal.song_label(s.month(m)));
        }
        let _ = writeln!(
            o,
            "\nLabels: [recorded] from the sources named; [disputed] sources disagree, both shown;\n[invented for play] not history. Lines marked [model] are this campaign's own course."
        );

        let _ = writeln!(
            o,
            "\n--- I. The decisions: your course beside the recorded one ---"
        );
        if self.decisions.is_empty() {
            let _ = writeln!(o, "No decision was taken.");
        }
        for (i, d) in self.decisions.iter().enumerate() {
            let refn = d
                .reference
                .as_deref()
                .map(|r| format!(" [{r}]"))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "\n{}. {}{} — {} court",
                i + 1,
                d.title,
                refn,
                d.court.name()
            );
            let who = d.who();
            let _ = writeln!(
                o,
                "   [model] {who} chose: {} ({})",
                d.chosen_label, d.month_label
            );
            match (&d.recorded_label, &d.recorded_date) {
                (Some(l), Some(date)) => {
                    let mark = if d.matches == Some(true) {
                        "same as the record"
                    } else {
                        "differs from the record"
                    };
                    let _ = writeln!(
                        o,
                        "   [{}] Recorded: {l} — {} ({}) · {mark}",
                        d.certainty,
                        crate::calendar::long_date(date),
                        d.recorded_chinese_date.clone().unwrap_or_default()
                    );
                    if let Some(f) = &d.followed {
                        let _ = writeln!(o, "   What really followed: {f}");
                    }
                    for v in &d.versions {
                        let _ = writeln!(o, "   Version: {v}");
                    }
                    let _ = writeln!(o, "   Sources: {}", d.sources.join(", "));
                }
                _ => {
                    let _ = writeln!(o, "   [invented for play] The record shows no such choice.");
                }
            }
            if let Some(dec) = s.decisions.get(&d.id)
                && !dec.questions.is_empty()
            {
                let _ = writeln!(o, "   For discussion: {}", dec.questions.join(" / "));
            }
        }

        let _ = writeln!(o, "\n--- II. Milestones: the recorded date and yours ---");
        for m in &self.milestones {
            let rec = m.recorded_month.as_ref().map_or_else(
                || "never happened".to_owned(),
                |r| cal.song_label(s.month(r)),
            );
            let yours = m.yours(s);
            let _ = writeln!(
                o,
                "- {}\n   [{}] Recorded: {rec} ({})\n   [model] Yours: {yours}",
                m.title,
                m.certainty,
                m.sources.join(", ")
            );
        }

        let _ = writeln!(o, "\n--- III. Endings ---");
        for e in &self.endings {
            let _ = writeln!(o, "\n{} court — [model] {}", e.court.name(), e.title);
            let _ = writeln!(o, "{}", wrap(&e.text, 72, ""));
            match (&e.recorded, &e.recorded_title) {
                (Some(r), Some(t)) if *r == e.id => {
                    let _ = writeln!(o, "This is the recorded outcome: {t}.");
                }
                (Some(_), Some(t)) => {
                    let _ = writeln!(o, "The recorded outcome was different: {t}.");
                }
                _ => {}
            }
            let _ = writeln!(
                o,
                "[recorded] Nearest recorded counterpart: {} ({})",
                e.nearest,
                e.sources.join(", ")
            );
        }

        let _ = writeln!(o, "\n--- IV. Who broke the covenant? Each court's case ---");
        for court in Court::ALL {
            let list = self.grievances.get(&court);
            let _ = writeln!(
                o,
                "\nThe {} case against the {}:",
                court.name(),
                court.other().name()
            );
            match list {
                Some(l) if !l.is_empty() => {
                    for g in l {
                        let _ = writeln!(
                            o,
                            "- [model] {} (weight {}, {})",
                            g.text,
                            g.weight,
                            cal.short_label(s.month(&g.month), court)
                        );
                    }
                }
                _ => {
                    let _ = writeln!(o, "- none raised in this campaign");
                }
            }
        }

        let d = &self.divergence;
        let _ = writeln!(
            o,
            "\n--- V. Divergence from the record: {}/100 ---",
            d.total
        );
        let _ = writeln!(
            o,
            "decisions {}/50 ({} of {} differ) · milestones {}/30 · ending {}/20",
            d.decisions, d.decisions_differing, d.decisions_compared, d.milestones, d.ending
        );
        o
    }
}

impl Debrief {
    /// The debrief as Markdown, for a class handout or a teacher's notes:
    /// the decisions and milestones as tables with sources and certainty,
    /// then the endings, both courts' cases and the divergence.
    #[must_use]
    pub fn to_markdown(&self, s: &Scenario) -> String {
        let cal = s.calendar();
        let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
        let mut o = String::new();
        let _ = writeln!(o, "# Debrief: {} (`{}`)\n", self.title, self.scenario);
        let _ = writeln!(
            o,
            "Seed {} · Song: {} · Jin: {} · content `{}`\n",
            self.run.seed, self.run.song, self.run.jin, self.content_hash
        );
        let _ = writeln!(
            o,
            "Labels: **recorded** (from the sources named), **disputed** (sources disagree; both shown), **invented for play** (not history), **model** (this campaign's own course).\n"
        );
        let _ = writeln!(o, "## Decisions\n");
        let _ = writeln!(
            o,
            "| # | Decision | Court | Chosen (model) | When | Recorded | Recorded date | Certainty | Sources |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|");
        for (i, d) in self.decisions.iter().enumerate() {
            let refn = d
                .reference
                .as_deref()
                .map(|r| format!(" [{r}]"))
                .unwrap_or_default();
            let mark = match d.matches {
                Some(true) => " ✓",
                Some(false) => " ✗",
                None => "",
            };
            let _ = writeln!(
                o,
                "| {} | {}{} | {} | {}{} | {} | {} | {} | {} | {} |",
                i + 1,
                cell(&d.title),
                refn,
                d.court.name(),
                cell(&d.chosen_label),
                mark,
                cell(&d.month_label),
                cell(d.recorded_label.as_deref().unwrap_or("—")),
                d.recorded_date
                    .as_deref()
                    .and_then(crate::calendar::DateSpec::parse)
                    .map_or_else(|| "—".to_owned(), crate::calendar::DateSpec::long),
                d.certainty,
                d.sources.join(", ")
            );
        }
        let followed: Vec<&DecisionRow> = self
            .decisions
            .iter()
            .filter(|d| d.followed.is_some())
            .collect();
        if !followed.is_empty() {
            let _ = writeln!(o, "\n### What really followed\n");
            for d in followed {
                let _ = writeln!(
                    o,
                    "- **{}**: {}",
                    d.title,
                    d.followed.as_deref().unwrap_or_default()
                );
                for v in &d.versions {
                    let _ = writeln!(o, "  - version: {v}");
                }
                if let Some(dec) = s.decisions.get(&d.id) {
                    for q in &dec.questions {
                        let _ = writeln!(o, "  - *For discussion:* {q}");
                    }
                }
            }
        }
        let _ = writeln!(o, "\n## Milestones\n");
        let _ = writeln!(
            o,
            "| Milestone | Recorded | Yours (model) | Offset | Certainty | Sources |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for m in &self.milestones {
            let rec = m.recorded_month.as_ref().map_or_else(
                || "never happened".to_owned(),
                |r| cal.song_label(s.month(r)),
            );
            let yours = m.month.as_ref().map_or_else(
                || "did not happen".to_owned(),
                |y| cal.short_label(s.month(y), Court::Song),
            );
            let off = m
                .offset
                .map_or_else(|| "—".to_owned(), |x| format!("{x:+}"));
            let _ = writeln!(
                o,
                "| {} | {rec} | {yours} | {off} | {} | {} |",
                cell(&m.title),
                m.certainty,
                m.sources.join(", ")
            );
        }
        let _ = writeln!(o, "\n## Endings\n");
        for e in &self.endings {
            let _ = writeln!(
                o,
                "### {} court: {} *(model)*\n\n{}\n",
                e.court.name(),
                e.title,
                e.text
            );
            if let (Some(r), Some(t)) = (&e.recorded, &e.recorded_title) {
                let same = if *r == e.id {
                    "This is the recorded outcome"
                } else {
                    "The recorded outcome was different"
                };
                let _ = writeln!(o, "{same}: *{t}*.\n");
            }
            let _ = writeln!(
                o,
                "**Nearest recorded counterpart** (recorded): {} ({})\n",
                e.nearest,
                e.sources.join(", ")
            );
        }
        let _ = writeln!(o, "## Who broke the covenant? Each court's case\n");
        for court in Court::ALL {
            let _ = writeln!(
                o,
                "**The {} case against the {}** (model):\n",
                court.name(),
                court.other().name()
            );
            match self.grievances.get(&court) {
                Some(l) if !l.is_empty() => {
                    for g in l {
                        let _ = writeln!(
                            o,
                            "- {} (weight {}, {})",
                            g.text,
                            g.weight,
                            cal.short_label(s.month(&g.month), court)
                        );
                    }
                }
                _ => {
                    let _ = writeln!(o, "- none raised in this campaign");
                }
            }
            let _ = writeln!(o);
        }
        let d = &self.divergence;
        let _ = writeln!(
            o,
            "## Divergence: {}/100\n\nDecisions {}/50 ({} of {} differ) · milestones {}/30 · ending {}/20",
            d.total,
            d.decisions,
            d.decisions_differing,
            d.decisions_compared,
            d.milestones,
            d.ending
        );
        o
    }
}

/// Wraps text to a width with an indent.
#[must_use]
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        if !out.is_empty() {
            out.push('\n');
        }
        let mut line = String::from(indent);
        for word in para.split_whitespace() {
            if line.chars().count() + word.chars().count() + 1 > width && line.trim() != "" {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from(indent);
            }
            if line.len() > indent.len() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim_end().to_owned()
}
