//! The binary's explorer commands: `explore`, `explore merge`, `decisions`
//! and `bench`. The work is in the library (`jingkang::explore`); this file
//! parses, checks, draws the progress bar and prints.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use jingkang::content::Scenario;
use jingkang::content::model::{Court, Decision};
use jingkang::explore::importance::{self, Settings};
use jingkang::explore::report::{CsvTable, Report, thousands};
use jingkang::explore::result::{self, RESULT_VERSION, Saved, Shard};
use jingkang::explore::{Distribution, Progress, Seeds, bench, parse_shard, sweep};
use jingkang::policy::PolicyKind;

use super::{
    BenchArgs, Exit, ExploreAction, ExploreArgs, Failure, default_scenario, load_scenario, out_err,
    policy, scenario_reference, usage,
};

/// A progress bar on standard error, drawn only when it is a terminal.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new() -> Bar {
        if !io::stderr().is_terminal() {
            return Bar(None);
        }
        // Hidden until the first stage starts.
        let pb = ProgressBar::hidden();
        let style = ProgressStyle::with_template(
            "{prefix:>10} [{bar:30}] {human_pos}/{human_len} campaigns · {rate} · {elapsed} {msg}",
        )
        .map(|s| {
            s.progress_chars("=> ").with_key(
                "rate",
                |st: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", st.per_sec());
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        pb.set_style(style);
        Bar(Some(pb))
    }
}

impl Progress for Bar {
    fn start(&self, label: &str, total: u64) {
        if let Some(pb) = &self.0 {
            pb.reset();
            pb.set_prefix(label.to_owned());
            pb.set_length(total);
            pb.set_message("");
            pb.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
    fn grow(&self, more: u64) {
        if let Some(pb) = &self.0 {
            pb.inc_length(more);
        }
    }
    fn note(&self, text: String) {
        if let Some(pb) = &self.0 {
            pb.set_message(text);
        }
    }
    fn advance(&self, n: u64) {
        if let Some(pb) = &self.0 {
            pb.inc(n);
        }
    }
    fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

fn write_err(e: &csv::Error) -> Exit {
    Failure(format!("error: cannot write output: {e}")).into()
}

/// `explore` and `explore merge`.
pub fn explore(args: &ExploreArgs, out: &mut dyn Write) -> Result<(), Exit> {
    if let Some(ExploreAction::Merge {
        files,
        json,
        html,
        save_result,
    }) = &args.action
    {
        return merge(files, *json, *html, save_result.as_deref(), out);
    }
    if args.figures {
        // The war model's calibration figures: the grand campaign (or the
        // scenario named) with the four chapters, over seeds 1 to N.
        let range: Seeds = args.seeds.parse().map_err(usage)?;
        let grand = load_scenario(args.scenario.as_deref().unwrap_or("jingkang"))?;
        let mut chapters = Vec::new();
        for id in ["pingzhou", "first-siege", "between-sieges", "second-siege"] {
            chapters.push(load_scenario(id)?);
        }
        let n = range
            .last
            .saturating_sub(range.first)
            .saturating_add(1)
            .max(2);
        let text = jingkang::figures::report(&grand, &chapters, n);
        return writeln!(out, "{text}").map_err(|e| Exit::from(out_err(&e)));
    }
    let reference = args.scenario.clone().unwrap_or_else(default_scenario);
    let s = load_scenario(&reference)?;
    let song = policy(&args.song, &s, Court::Song)?;
    let jin = policy(&args.jin, &s, Court::Jin)?;
    let range: Seeds = args.seeds.parse().map_err(usage)?;
    let (shard, seeds) = match &args.shard {
        Some(text) => {
            let (k, n) = parse_shard(text).map_err(usage)?;
            (
                Shard { index: k, count: n },
                range.shard(k, n).map_err(usage)?,
            )
        }
        None => (Shard { index: 1, count: 1 }, range),
    };
    if args.importance && !(args.precision > 0.0 && args.precision <= 50.0) {
        return Err(usage(format!(
            "--precision {}: give a half-width in percentage points between 0 and 50 (e.g. 2.5)",
            args.precision
        )));
    }
    if args.importance && args.batch == 0 {
        return Err(usage("--batch 0: a batch needs at least one seed"));
    }
    let bar = Bar::new();
    let mut dist = Distribution::default();
    let mut rest = Some(seeds);
    let ranking = if args.importance {
        let settings = Settings {
            courts: args
                .side
                .map_or_else(|| Court::ALL.to_vec(), |c| vec![Court::from(c)]),
            batch: args.batch,
            precision: args.precision,
        };
        // With both courts on the record, the importance baseline is the
        // distribution asked for: its campaigns are counted, not replayed.
        let reuse = song == PolicyKind::Recorded && jin == PolicyKind::Recorded;
        let mut last = None;
        let report = importance::rank(&s, seeds, &settings, &bar, |o| {
            if reuse {
                dist.add(&s, o);
                last = Some(o.seed);
            }
        });
        if let Some(l) = last {
            rest = (l < seeds.last).then(|| Seeds {
                first: l + 1,
                last: seeds.last,
            });
        }
        Some(report)
    } else {
        None
    };
    if let Some(rest) = rest {
        bar.start("campaigns", rest.count());
        let mut table = if args.csv {
            Some(CsvTable::new(&s, &mut *out).map_err(|e| write_err(&e))?)
        } else {
            None
        };
        let mut failed: Option<csv::Error> = None;
        let d = sweep(&s, rest, &song, &jin, &bar, |o| match table.as_mut() {
            Some(t) => match t.row(o) {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(e);
                    false
                }
            },
            None => true,
        });
        bar.finish();
        if let Some(t) = table {
            t.finish().map_err(|e| Exit::from(out_err(&e)))?;
        }
        if let Some(e) = failed {
            // A closed pipe (`| head`) is the reader's choice, not a failure.
            if matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
            {
                return Ok(());
            }
            return Err(write_err(&e));
        }
        dist.merge(&d);
    }
    let saved = Saved {
        version: RESULT_VERSION,
        scenario: scenario_reference(&reference),
        scenario_id: s.meta.id.clone(),
        content_hash: s.content_hash.clone(),
        song: song.to_string(),
        jin: jin.to_string(),
        range,
        shard,
        seeds,
        distribution: dist,
        importance: ranking,
    };
    if let Some(path) = &args.save_result {
        saved.write(path)?;
    }
    if args.csv {
        return Ok(());
    }
    print_report(&s, &saved, args.json, args.html, out)
}

fn print_report(
    s: &Scenario,
    saved: &Saved,
    json: bool,
    html: bool,
    out: &mut dyn Write,
) -> Result<(), Exit> {
    let report = Report::new(s, saved);
    let text = if json {
        report.to_json()
    } else if html {
        report
            .to_html()
            .map_err(|e| Failure(format!("error: {e}")))?
    } else {
        report
            .to_text()
            .map_err(|e| Failure(format!("error: {e}")))?
    };
    writeln!(out, "{}", text.trim_end()).map_err(|e| out_err(&e).into())
}

/// `explore merge FILE…`.
fn merge(
    files: &[PathBuf],
    json: bool,
    html: bool,
    save: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Exit> {
    let mut parts = Vec::new();
    for f in files {
        let part = Saved::read(f).map_err(|e| Failure(format!("error: {e}")))?;
        parts.push((f.display().to_string(), part));
    }
    let merged = result::merge(&parts).map_err(|e| Failure(format!("error: {e}")))?;
    let s = load_scenario(&merged.scenario)
        .or_else(|_| load_scenario(&merged.scenario_id))
        .map_err(|Failure(m)| {
            Failure(format!(
                "{m}\nThe parts were made on scenario \"{}\"; merge them where it is available.",
                merged.scenario
            ))
        })?;
    if s.content_hash != merged.content_hash {
        return Err(Failure(format!(
            "error: the parts were made on content {} of \"{}\" but this build has content {}; merge them with the build that made them",
            merged.content_hash, merged.scenario_id, s.content_hash
        ))
        .into());
    }
    if let Some(path) = save {
        merged.write(path)?;
    }
    print_report(&s, &merged, json, html, out)
}

/// A decision's month for people: the recorded month, or the first month
/// an event can raise it.
fn decision_month(s: &Scenario, id: &str) -> (u16, String) {
    let cal = s.calendar();
    if let Some(m) = s
        .decisions
        .get(id)
        .and_then(|d| d.recorded.as_ref())
        .and_then(|r| s.month(&r.month))
    {
        return (
            m.0,
            format!("{} (recorded)", cal.short_label(m, Court::Song)),
        );
    }
    let first = s
        .events
        .iter()
        .zip(&s.event_windows)
        .filter(|(e, _)| e.decision.as_deref() == Some(id))
        .map(|(_, w)| w.0)
        .min();
    first.map_or((u16::MAX, "no event raises it".to_owned()), |m| {
        (m.0, format!("from {}", cal.short_label(m, Court::Song)))
    })
}

#[derive(serde::Serialize)]
struct DecisionItem<'a> {
    id: &'a str,
    reference: Option<&'a str>,
    court: Court,
    title: &'a str,
    month: Option<String>,
    month_label: String,
    recorded_option: Option<&'a str>,
    options: Vec<OptionItem<'a>>,
}

#[derive(serde::Serialize)]
struct OptionItem<'a> {
    id: &'a str,
    label: &'a str,
    recorded: bool,
}

fn recorded(d: &Decision) -> Option<&str> {
    d.recorded.as_ref().map(|r| r.option.as_str())
}

/// `decisions [--scenario ID] [--json]`.
pub fn decisions_cmd(scenario: Option<&str>, json: bool, out: &mut dyn Write) -> Result<(), Exit> {
    let reference = scenario.map_or_else(default_scenario, str::to_owned);
    let s = load_scenario(&reference)?;
    let mut list: Vec<(u16, &Decision, String)> = s
        .decisions
        .values()
        .map(|d| {
            let (m, label) = decision_month(&s, &d.id);
            (m, d, label)
        })
        .collect();
    list.sort_by(|a, b| (a.0, a.1.court, &a.1.id).cmp(&(b.0, b.1.court, &b.1.id)));
    let text = if json {
        let items: Vec<DecisionItem<'_>> = list
            .iter()
            .map(|(m, d, label)| DecisionItem {
                id: &d.id,
                reference: d.reference.as_deref(),
                court: d.court,
                title: &d.title,
                month: (*m != u16::MAX).then(|| {
                    s.calendar()
                        .month(jingkang::calendar::MonthIdx(*m))
                        .id
                        .clone()
                }),
                month_label: label.clone(),
                recorded_option: recorded(d),
                options: d
                    .options
                    .iter()
                    .map(|o| OptionItem {
                        id: &o.id,
                        label: &o.label,
                        recorded: recorded(d) == Some(o.id.as_str()),
                    })
                    .collect(),
            })
            .collect();
        serde_json::to_string_pretty(&items).map_err(|e| Failure(format!("error: {e}")))?
    } else {
        let mut t = format!(
            "{} ({}): {} decisions, in the order they come up.\n\
             A policy names one by its id or its reference tag (D1–D26 in the history's numbering), e.g.\n  \
             --song flip:D9   --song set:D9=flee   --jin set:jin.taiyuan.siege=storm\n",
            s.meta.title,
            s.meta.id,
            list.len()
        );
        for (_, d, label) in &list {
            t.push_str(&format!(
                "\n{:<4} {:<4} {}  {}\n     {}\n",
                d.reference.as_deref().unwrap_or("—"),
                d.court.name(),
                d.id,
                label,
                d.title
            ));
            let width = d
                .options
                .iter()
                .map(|o| o.id.chars().count())
                .max()
                .unwrap_or(0);
            for o in &d.options {
                t.push_str(&format!(
                    "       {:<width$}  {}{}\n",
                    o.id,
                    o.label,
                    if recorded(d) == Some(o.id.as_str()) {
                        "  ← recorded"
                    } else {
                        ""
                    }
                ));
            }
        }
        t
    };
    writeln!(out, "{}", text.trim_end()).map_err(|e| out_err(&e).into())
}

/// `bench`: per scenario and policy pair, campaigns/s, decisions/s, peak RSS.
pub fn bench_cmd(args: &BenchArgs, out: &mut dyn Write) -> Result<(), Exit> {
    let seeds: Seeds = args.seeds.parse().map_err(usage)?;
    let ids = if args.scenario.is_empty() {
        jingkang::content::scenario_ids()
    } else {
        args.scenario.clone()
    };
    let pairs = [
        (PolicyKind::Recorded, PolicyKind::Recorded),
        (PolicyKind::Adaptive, PolicyKind::Adaptive),
        (PolicyKind::Random, PolicyKind::Random),
    ];
    let w = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}").map_err(|e| Exit::from(out_err(&e)))
    };
    w(
        out,
        format!(
            "jingkang bench — {} seeds per row ({}), on {}",
            thousands(seeds.count()),
            seeds,
            bench::machine()
        ),
    )?;
    w(
        out,
        format!(
            "{:<16} {:<9} {:<9} {:>9} {:>8} {:>12} {:>12} {:>13} {:>16}",
            "scenario",
            "song",
            "jin",
            "campaigns",
            "seconds",
            "campaigns/s",
            "decisions/s",
            "peak RSS MiB",
            "CPU ms/campaign"
        ),
    )?;
    for id in &ids {
        let s = load_scenario(id)?;
        for (song, jin) in &pairs {
            let row = bench::measure(&s, seeds, song, jin);
            w(
                out,
                format!(
                    "{:<16} {:<9} {:<9} {:>9} {:>8.2} {:>12.0} {:>12.0} {:>13} {:>16}",
                    row.scenario,
                    row.song,
                    row.jin,
                    row.campaigns,
                    row.seconds,
                    row.campaigns_per_second(),
                    row.decisions_per_second(),
                    row.peak_rss_kib
                        .map_or_else(|| "n/a".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0)),
                    row.cpu_ms_per_campaign()
                        .map_or_else(|| "n/a".to_owned(), |c| format!("{c:.2}"))
                ),
            )?;
        }
    }
    // The framework's floor, for the headline pair: the same campaigns'
    // updates run with turn systems that do nothing.
    let sample = Seeds {
        first: seeds.first,
        last: seeds.first + seeds.count().min(500) - 1,
    };
    for id in &ids {
        let s = load_scenario(id)?;
        let f = bench::floor(&s, sample, &PolicyKind::Adaptive, &PolicyKind::Adaptive);
        let threads = rayon::current_num_threads();
        w(
            out,
            format!(
                "floor {id} adaptive/adaptive, {} campaigns on one thread: {:.0} updates and {:.0} months a campaign; \
                 the turn's systems doing nothing cost {:.0} µs a campaign (real systems {:.0} µs) \
                 — at most {:.0} campaigns/s on {threads} thread(s) before any rule of the war model runs",
                f.campaigns,
                f.updates,
                f.months,
                f.idle_us,
                f.real_us,
                f.ceiling(threads)
            ),
        )?;
    }
    Ok(())
}
