//! The class summary: what a class did, from the run files its students
//! handed in (`jingkang class PATH…`).
//!
//! [`Summary::collect`] reads run files and folders of them, replays each
//! finished run on this build's data and lays it beside the record, then
//! groups the students by scenario, side and content version. For each group
//! it counts how the class chose at every decision against the record,
//! spreads the endings and the divergence, lists each student, finds the
//! decisions where the class split most and where it departed most from the
//! record, and takes the discussion prompts from the decisions it split on.
//! Files that cannot be used (unreadable, corrupt, a save not finished, made
//! on other data) are listed with the reason and skipped, never fatal.
//!
//! The summary is one serialisable structure, rendered like the debrief by
//! [`crate::report::render`] (`class.md`, `class.html`), or written as CSV
//! by [`Summary::to_csv`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::content::Scenario;
use crate::content::model::Court;
use crate::history::Debrief;
use crate::runfile::RunFile;

/// At most this many files are read; the rest are listed as skipped.
pub const MAX_FILES: usize = 500;

/// A class summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Files looked at (run files found, used or not).
    pub files: usize,
    /// Students whose runs were used.
    pub students: usize,
    /// One group per scenario, side and content version.
    pub groups: Vec<Group>,
    /// Files that could not be used, and why.
    pub skipped: Vec<Skipped>,
}

/// A file that could not be used.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub file: String,
    /// Why.
    pub why: String,
}

/// The students who played one scenario as one court on the same data.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// The court the students played.
    pub side: Court,
    /// Content hash the runs were played on.
    pub content_hash: String,
    /// The students, in file order.
    pub students: Vec<Student>,
    /// Every decision of the side's court that someone faced, in the order
    /// the campaign puts them.
    pub decisions: Vec<Tally>,
    /// How the runs ended (the side's ending), most frequent first.
    pub endings: Vec<Count>,
    /// The spread of the divergence scores.
    pub divergence: Spread,
    /// Where the class split most (at least two choices made): the
    /// decision, and the share not in its largest camp.
    pub split_most: Vec<Count>,
    /// Where the class departed most from the record: the decision, and the
    /// share who chose otherwise.
    pub departed_most: Vec<Count>,
    /// Questions for discussion, from the decisions the class split on.
    pub prompts: Vec<Prompt>,
    /// How many reasons the students gave (`--reflect`), all decisions.
    pub reasons: usize,
}

/// One student's run.
#[derive(Debug, Clone, Serialize)]
pub struct Student {
    /// Name (the player's, or the file's when none was given).
    pub name: String,
    /// The run file.
    pub file: String,
    /// Seed.
    pub seed: u64,
    /// Ending title for the side played.
    pub ending: String,
    /// It is the recorded ending.
    pub recorded_ending: bool,
    /// Divergence 0–100.
    pub divergence: u32,
    /// Decisions that differ from the record.
    pub differing: usize,
    /// Decisions compared with the record.
    pub compared: usize,
    /// Option chosen at each decision (decision id → option label).
    pub choices: BTreeMap<String, String>,
    /// Reasons given, decision id → reason.
    pub reasons: BTreeMap<String, String>,
}

/// How the class chose at one decision.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    /// Decision id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Reference tag (`D9`).
    pub reference: Option<String>,
    /// Students who faced it.
    pub faced: usize,
    /// Each option, in the decision's order, with how many chose it.
    pub options: Vec<Count>,
    /// The recorded option's label, if the record shows one.
    pub recorded: Option<String>,
    /// Recorded date, for people.
    pub recorded_date: Option<String>,
    /// Sources of the record.
    pub sources: Vec<String>,
    /// Certainty of the record.
    pub certainty: String,
    /// 1 − the largest option's share: 0 when all chose alike.
    pub split: f64,
    /// Share of those who faced it and chose other than the record.
    pub departed: f64,
    /// The students' reasons.
    pub reasons: Vec<Reason>,
    /// Discussion questions written for it.
    pub questions: Vec<String>,
}

/// A student's reason for a choice.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Reason {
    /// The student.
    pub name: String,
    /// What they chose.
    pub option: String,
    /// Why, in their words.
    pub why: String,
}

/// A count with its share.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Count {
    /// Id (option or ending).
    pub id: String,
    /// Label.
    pub label: String,
    /// How many.
    pub count: usize,
    /// Of the whole (0–1).
    pub share: f64,
    /// This is the recorded one.
    pub recorded: bool,
}

/// The spread of divergence scores.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Spread {
    /// Lowest.
    pub min: u32,
    /// Median (the lower middle for an even count).
    pub median: u32,
    /// Highest.
    pub max: u32,
    /// Students in each band of 20 points: 0–19, 20–39, … 80–100.
    pub bands: Vec<Count>,
}

/// A question for the class.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Prompt {
    /// The decision's title.
    pub decision: String,
    /// How the class split, in words: `of 4: 2 chose “Stay”, 2 “Go”`.
    pub split: String,
    /// The question.
    pub question: String,
}

/// One usable run, replayed.
struct Played {
    file: String,
    run: RunFile,
    scenario: Arc<Scenario>,
    debrief: Debrief,
}

/// The `.ron` files of a folder (not temporary files of an atomic write),
/// sorted by name.
fn ron_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|f| f.extension().is_some_and(|e| e == "ron"))
        .filter(|f| {
            !f.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(crate::fsio::is_temp_name)
        })
        .collect();
    found.sort();
    Ok(found)
}

/// The run files named: files as given; for a folder, its `.ron` files and
/// those of its `runs` folder (where the game writes finished runs, so a
/// `--save-dir` folder can be given as it is), sorted by name; not deeper.
/// At most [`MAX_FILES`]; the rest are listed as one skipped entry.
fn files_in(paths: &[PathBuf], skipped: &mut Vec<Skipped>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            match ron_files(p) {
                Ok(found) => out.extend(found),
                Err(e) => skipped.push(Skipped {
                    file: p.display().to_string(),
                    why: format!("the folder cannot be read: {e}"),
                }),
            }
            let runs = p.join("runs");
            if runs.is_dir() {
                match ron_files(&runs) {
                    Ok(found) => out.extend(found),
                    Err(e) => skipped.push(Skipped {
                        file: runs.display().to_string(),
                        why: format!("the folder cannot be read: {e}"),
                    }),
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    if out.len() > MAX_FILES {
        let rest = out.len() - MAX_FILES;
        skipped.push(Skipped {
            file: out[MAX_FILES].display().to_string(),
            why: format!(
                "this file and {} more after it were not read: at most {MAX_FILES} files are \
                 read at once (summarise the class in smaller folders)",
                rest - 1
            ),
        });
        out.truncate(MAX_FILES);
    }
    out
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_owned()
}

/// Reads and replays one run file.
fn play(
    path: &Path,
    scenarios: &mut BTreeMap<String, Option<Arc<Scenario>>>,
) -> Result<Played, String> {
    let run = RunFile::read(path).map_err(|e| first_line(&e.to_string()))?;
    if !crate::content::scenario_ids().contains(&run.scenario) {
        return Err(format!(
            "played on the scenario \"{}\", which is not one of this build's chapters; a class \
             summary reads runs of the embedded scenarios only",
            crate::content::shorten(&run.scenario, 60)
        ));
    }
    let s = scenarios
        .entry(run.scenario.clone())
        .or_insert_with(|| {
            crate::content::load_embedded(&run.scenario)
                .ok()
                .map(Arc::new)
        })
        .clone()
        .ok_or_else(|| format!("this build's \"{}\" does not load", run.scenario))?;
    if run.content_hash != s.content_hash {
        return Err(format!(
            "played on content {} of \"{}\", but this build has content {}; replay it with the \
             build it was made with",
            crate::content::shorten(&run.content_hash, 20),
            run.scenario,
            s.content_hash
        ));
    }
    if !run.complete {
        return Err("a save, not a finished run: the game was not played to its end".to_owned());
    }
    let (campaign, step) = run
        .restore(path, &s)
        .map_err(|e| first_line(&e.to_string()))?;
    if !matches!(step, crate::sim::Step::Ended) {
        return Err("its decisions stop before the campaign ends".to_owned());
    }
    let debrief = run.debrief(&s, &campaign);
    Ok(Played {
        file: path.display().to_string(),
        run,
        scenario: s,
        debrief,
    })
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        // Counts are small: no precision is lost.
        n as f64 / of as f64
    }
}

impl Summary {
    /// Reads the run files and folders given and summarises them.
    #[must_use]
    pub fn collect(paths: &[PathBuf]) -> Summary {
        let mut skipped = Vec::new();
        let files = files_in(paths, &mut skipped);
        let mut scenarios = BTreeMap::new();
        let mut played = Vec::new();
        for f in &files {
            match play(f, &mut scenarios) {
                Ok(p) => played.push(p),
                Err(why) => {
                    let file = f.display().to_string();
                    // Errors name the file; the list already does.
                    let why = why
                        .strip_prefix(&format!("{file}:"))
                        .map_or_else(|| why.clone(), |w| format!("at {}", w.trim_start()));
                    skipped.push(Skipped { file, why });
                }
            }
        }
        let mut by_group: BTreeMap<(String, Court, String), Vec<Played>> = BTreeMap::new();
        for p in played {
            let key = (
                p.run.scenario.clone(),
                p.debrief.run.focus,
                p.run.content_hash.clone(),
            );
            by_group.entry(key).or_default().push(p);
        }
        let students = by_group.values().map(Vec::len).sum();
        let groups = by_group.into_values().map(|g| group(&g)).collect();
        Summary {
            files: files.len(),
            students,
            groups,
            skipped,
        }
    }

    /// One row per student: the group, the file, the player, the ending and
    /// divergence, then the option each chose at every decision and the
    /// reason given, one column each.
    ///
    /// # Errors
    /// The CSV writer failed (it writes to memory, so only on a bug).
    pub fn to_csv(&self) -> Result<String, String> {
        let mut decisions: Vec<(String, String)> = Vec::new();
        for g in &self.groups {
            for t in &g.decisions {
                if !decisions.iter().any(|(id, _)| *id == t.id) {
                    decisions.push((t.id.clone(), t.title.clone()));
                }
            }
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut head: Vec<String> = [
            "scenario",
            "side",
            "content_hash",
            "file",
            "player",
            "seed",
            "ending",
            "recorded_ending",
            "divergence",
            "decisions_differing",
            "decisions_compared",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        for (id, _) in &decisions {
            head.push(id.clone());
            head.push(format!("{id}:why"));
        }
        w.write_record(&head).map_err(|e| e.to_string())?;
        for g in &self.groups {
            for s in &g.students {
                let mut row = vec![
                    g.scenario.clone(),
                    g.side.key().to_owned(),
                    g.content_hash.clone(),
                    s.file.clone(),
                    s.name.clone(),
                    s.seed.to_string(),
                    s.ending.clone(),
                    if s.recorded_ending { "yes" } else { "no" }.to_owned(),
                    s.divergence.to_string(),
                    s.differing.to_string(),
                    s.compared.to_string(),
                ];
                for (id, _) in &decisions {
                    row.push(s.choices.get(id).cloned().unwrap_or_default());
                    row.push(s.reasons.get(id).cloned().unwrap_or_default());
                }
                let row: Vec<String> = row.iter().map(|c| csv_safe(c)).collect();
                w.write_record(&row).map_err(|e| e.to_string())?;
            }
        }
        let bytes = w.into_inner().map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// A cell a spreadsheet will not run as a formula, with no control
/// characters.
fn csv_safe(cell: &str) -> String {
    let clean = crate::report::strip_controls(cell);
    if clean.starts_with(['=', '+', '-', '@']) {
        format!("'{clean}")
    } else {
        clean
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one group's summary, read top to bottom"
)]
fn group(runs: &[Played]) -> Group {
    let first = &runs[0];
    let s = &first.scenario;
    let side = first.debrief.run.focus;
    let n = runs.len();
    let students: Vec<Student> = runs
        .iter()
        .map(|p| {
            let d = &p.debrief;
            let ending = d.ending();
            let name = p.run.player.clone().unwrap_or_else(|| {
                Path::new(&p.file)
                    .file_stem()
                    .map_or_else(|| p.file.clone(), |f| f.to_string_lossy().into_owned())
            });
            let mine = d.decisions.iter().filter(|x| x.court == side);
            Student {
                name: crate::report::strip_controls(&name),
                file: p.file.clone(),
                seed: p.run.seed,
                ending: ending.map_or_else(|| "none".to_owned(), |e| e.title.clone()),
                recorded_ending: ending.is_some_and(|e| e.same),
                divergence: d.divergence.total,
                differing: mine.clone().filter(|x| x.matches == Some(false)).count(),
                compared: mine.clone().filter(|x| x.matches.is_some()).count(),
                choices: mine
                    .clone()
                    .map(|x| (x.id.clone(), x.chosen_label.clone()))
                    .collect(),
                reasons: mine
                    .filter_map(|x| Some((x.id.clone(), x.reflection.clone()?)))
                    .collect(),
            }
        })
        .collect();

    // Decisions in the order the campaigns met them (the first run that met
    // each decides its place).
    let mut order: Vec<String> = Vec::new();
    for p in runs {
        for d in p.debrief.decisions.iter().filter(|x| x.court == side) {
            if !order.contains(&d.id) {
                order.push(d.id.clone());
            }
        }
    }
    let decisions: Vec<Tally> = order
        .iter()
        .filter_map(|id| {
            let dec = s.decisions.get(id.as_str())?;
            let rows: Vec<(&Student, &crate::history::DecisionRow)> = runs
                .iter()
                .zip(&students)
                .filter_map(|(p, st)| Some((st, p.debrief.decisions.iter().find(|x| x.id == *id)?)))
                .collect();
            let faced = rows.len();
            let rec = dec.recorded.as_ref().map(|r| r.option.clone());
            let options: Vec<Count> = dec
                .options
                .iter()
                .map(|o| {
                    let count = rows.iter().filter(|(_, r)| r.chosen == o.id).count();
                    Count {
                        id: o.id.to_string(),
                        label: o.label.clone(),
                        count,
                        share: share(count, faced),
                        recorded: rec.as_deref() == Some(o.id.as_str()),
                    }
                })
                .collect();
            let top = options.iter().map(|o| o.count).max().unwrap_or(0);
            let off_record = rows
                .iter()
                .filter(|(_, r)| r.matches == Some(false))
                .count();
            let first = rows.first().map(|(_, r)| *r);
            Some(Tally {
                id: id.clone(),
                title: dec.title.clone(),
                reference: dec.reference.clone(),
                faced,
                recorded: first.and_then(|r| r.recorded_label.clone()),
                recorded_date: first.and_then(|r| r.recorded_date_label.clone()),
                sources: first.map(|r| r.sources.clone()).unwrap_or_default(),
                certainty: first.map(|r| r.certainty.clone()).unwrap_or_default(),
                split: 1.0 - share(top, faced),
                departed: if rec.is_some() {
                    share(off_record, faced)
                } else {
                    0.0
                },
                reasons: rows
                    .iter()
                    .filter_map(|(st, r)| {
                        Some(Reason {
                            name: st.name.clone(),
                            option: r.chosen_label.clone(),
                            why: r.reflection.clone()?,
                        })
                    })
                    .collect(),
                options,
                questions: dec.questions.clone(),
            })
        })
        .collect();

    let mut endings: Vec<Count> = Vec::new();
    for p in runs {
        let Some(e) = p.debrief.ending() else {
            continue;
        };
        match endings.iter_mut().find(|c| c.id == e.id) {
            Some(c) => c.count += 1,
            None => endings.push(Count {
                id: e.id.clone(),
                label: e.title.clone(),
                count: 1,
                share: 0.0,
                recorded: e.same,
            }),
        }
    }
    for c in &mut endings {
        c.share = share(c.count, n);
    }
    endings.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));

    let mut scores: Vec<u32> = students.iter().map(|st| st.divergence).collect();
    scores.sort_unstable();
    let bands = (0..5)
        .map(|b| {
            let lo = b * 20;
            let hi = if b == 4 { 100 } else { lo + 19 };
            let count = scores.iter().filter(|x| (lo..=hi).contains(*x)).count();
            Count {
                id: format!("{lo}-{hi}"),
                label: format!("{lo}–{hi}"),
                count,
                share: share(count, n),
                recorded: false,
            }
        })
        .collect();
    let divergence = Spread {
        min: scores.first().copied().unwrap_or(0),
        median: scores
            .get((scores.len().saturating_sub(1)) / 2)
            .copied()
            .unwrap_or(0),
        max: scores.last().copied().unwrap_or(0),
        bands,
    };

    let mut by_split: Vec<&Tally> = decisions
        .iter()
        .filter(|t| t.options.iter().filter(|o| o.count > 0).count() >= 2)
        .collect();
    by_split.sort_by(|a, b| b.split.total_cmp(&a.split).then(a.title.cmp(&b.title)));
    let mut by_departure: Vec<&Tally> = decisions.iter().filter(|t| t.departed > 0.0).collect();
    by_departure.sort_by(|a, b| {
        b.departed
            .total_cmp(&a.departed)
            .then(a.title.cmp(&b.title))
    });
    let prompts = by_split
        .iter()
        .take(4)
        .filter_map(|t| {
            let mut camps: Vec<&Count> = t.options.iter().filter(|o| o.count > 0).collect();
            camps.sort_by_key(|b| std::cmp::Reverse(b.count));
            let split = camps
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let rec = if o.recorded { " (recorded)" } else { "" };
                    if i == 0 {
                        format!("{} chose “{}”{rec}", o.count, o.label)
                    } else {
                        format!("{} “{}”{rec}", o.count, o.label)
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            Some(Prompt {
                decision: t.title.clone(),
                split: format!("of {}: {split}", t.faced),
                question: t.questions.first()?.clone(),
            })
        })
        .collect();
    let reasons = students.iter().map(|st| st.reasons.len()).sum();
    Group {
        scenario: s.meta.id.clone(),
        title: s.meta.title.clone(),
        side,
        content_hash: first.run.content_hash.clone(),
        split_most: by_split
            .iter()
            .take(3)
            .map(|t| Count {
                id: t.id.clone(),
                label: t.title.clone(),
                count: t.faced,
                share: t.split,
                recorded: false,
            })
            .collect(),
        departed_most: by_departure
            .iter()
            .take(3)
            .map(|t| Count {
                id: t.id.clone(),
                label: t.title.clone(),
                count: t.faced,
                share: t.departed,
                recorded: false,
            })
            .collect(),
        students,
        decisions,
        endings,
        divergence,
        prompts,
        reasons,
    }
}
