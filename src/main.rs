//! The `jingkang` command: parse the command line, build a validated
//! configuration, run. Only here do errors become exit codes: 0 success,
//! 1 a problem with data, files or input, 2 a usage error.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use jingkang::content::model::Court;
use jingkang::content::{self, Problems, Scenario};
use jingkang::history;
use jingkang::plain::{PlayError, Session};
use jingkang::policy::PolicyKind;
use jingkang::runfile::{self, RunFile};
use jingkang::sim::{Campaign, Seats, Step};

/// Jingkang — a court simulation of the Jin–Song war, 1123–1127.
///
/// With no command, starts the game.
#[derive(Parser, Debug)]
#[command(name = "jingkang", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    play: PlayArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Play a scenario (the default).
    Play(PlayArgs),
    /// Play a whole campaign with no human and print the debrief.
    Run(RunArgs),
    /// Replay a run file and print its debrief.
    Replay {
        /// The run file.
        file: PathBuf,
        /// Print the debrief as JSON.
        #[arg(long)]
        json: bool,
        /// Print the debrief as Markdown (for handouts).
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
    },
    /// Check the embedded data, or scenario folders / files given.
    Validate {
        /// Scenario folders or files inside them.
        paths: Vec<PathBuf>,
    },
    /// Print the recorded timeline with both calendars and sources.
    History {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the embedded scenarios.
    Scenarios,
    /// Print the war model's rules and parameters as the Markdown tables of
    /// docs/MODEL.md (generated from assets/rules.ron).
    ModelDoc,
    /// Run many seeds headless: the spread of endings and milestones, and
    /// (with --importance) which decisions moved the recorded ending most.
    Explore(ExploreArgs),
}

#[derive(clap::Args, Debug)]
struct ExploreArgs {
    /// Scenario id or path.
    #[arg(long)]
    scenario: Option<String>,
    /// Number of seeds (1..=N).
    #[arg(long, default_value_t = 100)]
    seeds: u64,
    /// Song policy.
    #[arg(long, default_value = "recorded")]
    song: String,
    /// Jin policy.
    #[arg(long, default_value = "recorded")]
    jin: String,
    /// Also rank decisions by how far flipping each alone moves the
    /// recorded ending (of --side).
    #[arg(long)]
    importance: bool,
    /// Whose recorded ending to measure.
    #[arg(long, value_enum, default_value = "song")]
    side: Side,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Print the war model's calibration figures instead (the invasion
    /// rate whatever the Song do, the recorded clock, the spread of
    /// endings), measured with --seeds seeds.
    #[arg(long, conflicts_with_all = ["importance", "json"])]
    figures: bool,
}

#[derive(clap::Args, Debug, Clone)]
struct PlayArgs {
    /// Scenario id (embedded) or path to a scenario folder.
    #[arg(long)]
    scenario: Option<String>,
    /// The court you play.
    #[arg(long, value_enum)]
    side: Option<Side>,
    /// Seed for the run (random if not given).
    #[arg(long)]
    seed: Option<u64>,
    /// Line mode (numbered choices, reads standard input).
    #[arg(long)]
    plain: bool,
    /// Resume a saved game.
    #[arg(long)]
    load: Option<PathBuf>,
    /// Folder for saves and run files (default: the platform data folder).
    #[arg(long)]
    save_dir: Option<PathBuf>,
    /// Policy of the court you do not play.
    #[arg(long, default_value = "adaptive")]
    other: String,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Scenario id or path.
    #[arg(long)]
    scenario: Option<String>,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Song policy: recorded, adaptive, random, flip:<decision id>,
    /// set:<decision id>=<option id>.
    #[arg(long, default_value = "recorded")]
    song: String,
    /// Jin policy.
    #[arg(long, default_value = "recorded")]
    jin: String,
    /// Print the debrief as JSON.
    #[arg(long)]
    json: bool,
    /// Print the debrief as Markdown (for handouts).
    #[arg(long, conflicts_with = "json")]
    markdown: bool,
    /// Also write the run file here.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Side {
    Song,
    Jin,
}

impl From<Side> for Court {
    fn from(s: Side) -> Court {
        match s {
            Side::Song => Court::Song,
            Side::Jin => Court::Jin,
        }
    }
}

/// A failure, already explained for the user.
struct Failure(String);

impl From<Problems> for Failure {
    fn from(p: Problems) -> Failure {
        Failure(p.to_string())
    }
}

impl From<runfile::RunError> for Failure {
    fn from(e: runfile::RunError) -> Failure {
        match e {
            runfile::RunError::Corrupt(p) => Failure(format!(
                "{}\nThe file is not a readable Jingkang run or save; it was left untouched.",
                p.plain()
            )),
            other => Failure(format!("error: {other}")),
        }
    }
}

/// The first embedded scenario in the order of the war: the grand campaign
/// when it is there.
fn default_scenario() -> String {
    content::scenario_ids()
        .into_iter()
        .min_by_key(|id| (scenario_order(id), id.clone()))
        .unwrap_or_else(|| "jingkang".to_owned())
}

fn load_scenario(reference: &str) -> Result<Arc<Scenario>, Failure> {
    if content::scenario_ids().iter().any(|i| i == reference) {
        return Ok(Arc::new(content::load_embedded(reference)?));
    }
    let path = Path::new(reference);
    if path.exists() {
        let files = content::read_scenario_dir(path).map_err(|p| Failure(p.plain()))?;
        return Ok(Arc::new(content::load_scenario(
            &content::embedded_assets(),
            &files,
        )?));
    }
    Err(Failure(format!(
        "error: no scenario \"{reference}\": it is neither an embedded scenario ({}) nor a folder on disk",
        content::scenario_ids().join(", ")
    )))
}

fn policy(s: &str) -> Result<PolicyKind, Failure> {
    s.parse()
        .map_err(|e: jingkang::policy::UnknownPolicy| Failure(format!("error: {e}")))
}

fn out_err(e: &io::Error) -> Failure {
    Failure(format!("error: cannot write output: {e}"))
}

fn play(args: &PlayArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let data_dir = args
        .save_dir
        .clone()
        .unwrap_or_else(runfile::default_data_dir);
    let stdin = io::stdin();
    let mut input = stdin.lock();
    // A person at a terminal of 80×24 or more gets the full-screen interface.
    let use_tui = !args.plain && jingkang::tui::available();
    let mut session = if let Some(load) = &args.load {
        let run = RunFile::read(load)?;
        let s = load_scenario(&run.scenario)?;
        run.check_hash(load, &s)?;
        if run.complete {
            return Err(Failure(format!(
                "error: {} is a finished run; replay it with: jingkang replay {}",
                load.display(),
                load.display()
            )));
        }
        let side = run.side().unwrap_or(Court::Song);
        let (campaign, _) = run.restore(load, &s)?;
        writeln!(
            out,
            "Resuming {} as the {} court ({} decisions so far).",
            s.meta.title,
            side.name(),
            run.decisions.len()
        )
        .map_err(|e| out_err(&e))?;
        Session::resumed(campaign, run, side, data_dir)
    } else {
        // A person at a terminal who named no scenario picks one from a menu.
        let asked = if args.scenario.is_none()
            && args.side.is_none()
            && !args.plain
            && io::stdin().is_terminal()
            && io::stdout().is_terminal()
        {
            start_menu(&mut input, out).map_err(|e| out_err(&e))?
        } else {
            None
        };
        let reference = asked
            .as_ref()
            .map(|(id, _)| id.clone())
            .or_else(|| args.scenario.clone())
            .unwrap_or_else(default_scenario);
        let s = load_scenario(&reference)?;
        let side: Court = asked
            .map(|(_, c)| c)
            .or(args.side.map(Court::from))
            .unwrap_or_else(|| s.meta.playable.first().copied().unwrap_or(Court::Song));
        if !s.meta.playable.contains(&side) {
            return Err(Failure(format!(
                "error: the {} court is not playable in \"{}\"; playable: {}",
                side.name(),
                s.meta.id,
                s.meta
                    .playable
                    .iter()
                    .map(|c| c.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let other = policy(&args.other)?;
        let seed = args
            .seed
            .unwrap_or_else(|| u64::from(rand::random::<u16>()));
        let seats = Seats::human(side, other);
        let run = RunFile::new(&reference, &s, seed, &seats);
        let campaign = Campaign::new(s.clone(), seed, seats);
        let cal = s.calendar();
        if !use_tui {
            writeln!(
            out,
            "{}\n{}\n{} – {}, as the {} court · seed {seed}\n\n{}\n\nType help at any prompt for the commands.",
            s.meta.title.to_uppercase(),
            "─".repeat(s.meta.title.chars().count()),
            cal.label(s.start, side),
            cal.label(s.end, side),
            side.name(),
            history::wrap(&s.meta.intro, 76, "")
        )
        .map_err(|e| out_err(&e))?;
        }
        Session::new(campaign, run, side, data_dir)
    };
    if use_tui {
        return jingkang::tui::play(session, out)
            .map(|_| ())
            .map_err(|e| Failure(format!("error: {e}")));
    }
    match session.play(&mut input as &mut dyn BufRead, out) {
        Ok(_) => Ok(()),
        Err(PlayError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure(format!("error: {e}"))),
    }
}

/// The start menu: chapter, then court. Enter takes the default; end of
/// input takes the defaults too.
fn start_menu(input: &mut dyn BufRead, out: &mut dyn Write) -> io::Result<Option<(String, Court)>> {
    let mut ids = content::scenario_ids();
    let default = default_scenario();
    ids.sort_by_key(|i| (*i != default, scenario_order(i)));
    writeln!(
        out,
        "JINGKANG — the Jin–Song war, 1123–1127\n\nChoose what to play:"
    )?;
    let mut titles = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let line = content::load_embedded(id).map_or_else(
            |_| id.clone(),
            |s| {
                format!(
                    "{} ({} – {})",
                    s.meta.title,
                    s.calendar().julian_short(s.start),
                    s.calendar().julian_short(s.end)
                )
            },
        );
        writeln!(out, "  {}. {line}", n + 1)?;
        titles.push(line);
    }
    let pick = ask(
        input,
        out,
        &format!("Chapter [1-{}, Enter for 1]: ", ids.len()),
        ids.len(),
    )?;
    let Some(id) = ids.get(pick).cloned() else {
        return Ok(None);
    };
    writeln!(
        out,
        "\nPlay which court?\n  1. Song (Kaifeng)\n  2. Jin (Huining)"
    )?;
    let side = if ask(input, out, "Court [1-2, Enter for Song]: ", 2)? == 1 {
        Court::Jin
    } else {
        Court::Song
    };
    writeln!(out)?;
    Ok(Some((id, side)))
}

/// Chapters in the order of the war.
fn scenario_order(id: &str) -> usize {
    [
        "jingkang",
        "pingzhou",
        "first-siege",
        "between-sieges",
        "second-siege",
    ]
    .iter()
    .position(|x| *x == id)
    .unwrap_or(99)
}

/// Asks for a number 1..=n; returns it zero-based (0 on Enter or end of input).
fn ask(input: &mut dyn BufRead, out: &mut dyn Write, prompt: &str, n: usize) -> io::Result<usize> {
    loop {
        write!(out, "{prompt}")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 || line.trim().is_empty() {
            return Ok(0);
        }
        match line.trim().parse::<usize>() {
            Ok(k) if (1..=n).contains(&k) => return Ok(k - 1),
            _ => writeln!(out, "Type a number from 1 to {n}.")?,
        }
    }
}

fn run(args: &RunArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let reference = args.scenario.clone().unwrap_or_else(default_scenario);
    let s = load_scenario(&reference)?;
    let (song, jin) = (policy(&args.song)?, policy(&args.jin)?);
    let seats = Seats::policies(song.clone(), jin.clone());
    let (_, debrief) = runfile::run_headless(&s, args.seed, song, jin);
    if let Some(path) = &args.out {
        let mut rf = RunFile::new(&reference, &s, args.seed, &seats);
        rf.complete = true;
        rf.write(path)?;
    }
    let text = if args.json {
        debrief.to_json()
    } else if args.markdown {
        debrief.to_markdown(&s)
    } else {
        debrief.render(&s)
    };
    writeln!(out, "{text}").map_err(|e| out_err(&e))
}

fn replay(file: &Path, json: bool, markdown: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let run = RunFile::read(file)?;
    let s = load_scenario(&run.scenario)?;
    run.check_hash(file, &s)?;
    let (campaign, step) = run.restore(file, &s)?;
    if matches!(step, Step::Council(_)) {
        return Err(Failure(format!(
            "error: {} is a save, not a finished run; continue it with: jingkang play --load {}",
            file.display(),
            file.display()
        )));
    }
    let debrief = history::compare(
        &s,
        &campaign.ledger(),
        runfile::run_info(run.seed, &run.seats()),
    );
    let text = if json {
        debrief.to_json()
    } else if markdown {
        debrief.to_markdown(&s)
    } else {
        debrief.render(&s)
    };
    writeln!(out, "{text}").map_err(|e| out_err(&e))
}

fn explore(args: &ExploreArgs, out: &mut dyn Write) -> Result<(), Failure> {
    use jingkang::explore;
    if args.figures {
        let grand = load_scenario(&args.scenario.clone().unwrap_or_else(|| "jingkang".to_owned()))?;
        let mut chapters = Vec::new();
        for id in ["pingzhou", "first-siege", "between-sieges", "second-siege"] {
            chapters.push(load_scenario(id)?);
        }
        let text = jingkang::figures::report(&grand, &chapters, args.seeds.max(2));
        return writeln!(out, "{text}").map_err(|e| out_err(&e));
    }
    let reference = args.scenario.clone().unwrap_or_else(default_scenario);
    let s = load_scenario(&reference)?;
    let (song, jin) = (policy(&args.song)?, policy(&args.jin)?);
    let seeds = 1..args.seeds + 1;
    let dist = explore::run_many(&s, seeds.clone(), &song, &jin);
    let ranking = if args.importance {
        explore::importance(&s, seeds, args.side.into())
    } else {
        Vec::new()
    };
    let text = if args.json {
        serde_json::json!({"scenario": s.meta.id, "seeds": args.seeds, "song": song.to_string(), "jin": jin.to_string(), "distribution": dist, "importance": ranking}).to_string()
    } else {
        let mut t = format!(
            "{} — {} seeds, Song {song}, Jin {jin}\n",
            s.meta.title, dist.runs
        );
        for (court, ends) in &dist.endings {
            t.push_str(&format!("\n{} endings:\n", court.name()));
            let mut v: Vec<_> = ends.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (id, _) in v {
                let title = s.ending(id).map_or(id.as_str(), |e| e.title.as_str());
                let rec = if s.meta.recorded_ending.get(court) == Some(id) {
                    "  ← recorded"
                } else {
                    ""
                };
                t.push_str(&format!(
                    "  {:>5.1}%  {title}{rec}\n",
                    100.0 * dist.share(*court, id)
                ));
            }
        }
        t.push_str("\nMilestones within one month of the record (of runs; reached at all):\n");
        for (m, (_, any)) in &dist.milestones {
            t.push_str(&format!(
                "  {:>5.1}%  {m} (reached in {any})\n",
                100.0 * dist.on_time(m),
            ));
        }
        if !ranking.is_empty() {
            t.push_str(&format!(
                "\nDecisions ranked by effect on the recorded {} ending (flipped alone):\n",
                Court::from(args.side).name()
            ));
            for r in &ranking {
                t.push_str(&format!(
                    "  {:>+6.1} pts  {} = {} ({})\n",
                    r.delta_points(),
                    r.decision,
                    r.option,
                    r.court.name()
                ));
            }
        }
        t
    };
    writeln!(out, "{text}").map_err(|e| out_err(&e))
}

fn validate(paths: &[PathBuf], out: &mut dyn Write) -> Result<(), Failure> {
    let mut problems: Vec<String> = Vec::new();
    let mut checked = Vec::new();
    if paths.is_empty() {
        if let Err(p) = content::load_library(&content::embedded_assets()) {
            problems.push(p.to_string());
        }
        for id in content::scenario_ids() {
            match content::load_embedded(&id) {
                Ok(_) => checked.push(format!("scenarios/{id}")),
                Err(p) => problems.push(p.to_string()),
            }
        }
    }
    for path in paths {
        match content::read_scenario_dir(path) {
            Err(p) => problems.push(p.plain()),
            Ok(files) => match content::load_scenario(&content::embedded_assets(), &files) {
                Ok(_) => checked.push(path.display().to_string()),
                Err(p) => problems.push(p.to_string()),
            },
        }
    }
    if problems.is_empty() {
        writeln!(out, "ok: {} (and assets/) are valid", checked.join(", "))
            .map_err(|e| out_err(&e))?;
        Ok(())
    } else {
        Err(Failure(problems.join("\n")))
    }
}

#[derive(serde::Serialize)]
struct HistoryItem<'a> {
    id: &'a str,
    date: &'a str,
    chinese_date: &'a str,
    month: &'a str,
    title: &'a str,
    summary: &'a str,
    sources: &'a [String],
    certainty: &'a str,
    versions: Vec<String>,
}

fn history_cmd(json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let lib = content::load_library(&content::embedded_assets())?;
    let items: Vec<HistoryItem<'_>> = lib
        .timeline
        .entries
        .iter()
        .map(|e| HistoryItem {
            id: &e.id,
            date: &e.date,
            chinese_date: &e.chinese_date,
            month: &e.month,
            title: &e.title,
            summary: &e.summary,
            sources: &e.sources,
            certainty: e.certainty.label(),
            versions: e
                .versions
                .iter()
                .map(|v| format!("{} ({})", v.says, v.sources.join(", ")))
                .collect(),
        })
        .collect();
    let text = if json {
        serde_json::to_string_pretty(&items).map_err(|e| Failure(format!("error: {e}")))?
    } else {
        let mut t = String::from(
            "The recorded course, 1122–1127 (Julian dates; Chinese dates as the sources give them)\n",
        );
        for (e, m) in lib.timeline.entries.iter().zip(&lib.entry_months) {
            t.push_str(&format!(
                "\n{} · {} · {}\n  {} [{} · {}]\n{}\n",
                jingkang::calendar::long_date(&e.date),
                lib.calendar.short_label(*m, Court::Song),
                e.chinese_date,
                e.title,
                e.certainty.label(),
                e.sources.join(", "),
                history::wrap(&e.summary, 76, "  ")
            ));
            for v in &e.versions {
                t.push_str(&format!(
                    "{}\n",
                    history::wrap(
                        &format!("version: {} ({})", v.says, v.sources.join(", ")),
                        76,
                        "  "
                    )
                ));
            }
        }
        t
    };
    writeln!(out, "{text}").map_err(|e| out_err(&e))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match &cli.command {
        None => play(&cli.play, &mut out),
        Some(Command::Play(args)) => play(args, &mut out),
        Some(Command::Run(args)) => run(args, &mut out),
        Some(Command::Replay {
            file,
            json,
            markdown,
        }) => replay(file, *json, *markdown, &mut out),
        Some(Command::Validate { paths }) => validate(paths, &mut out),
        Some(Command::History { json }) => history_cmd(*json, &mut out),
        Some(Command::Explore(args)) => explore(args, &mut out),
        Some(Command::ModelDoc) => content::load_library(&content::embedded_assets())
            .map_err(Failure::from)
            .and_then(|lib| {
                write!(out, "{}", jingkang::modeldoc::tables(&lib.rules)).map_err(|e| out_err(&e))
            }),
        Some(Command::Scenarios) => {
            let mut r = Ok(());
            for id in content::scenario_ids() {
                let line = match content::load_embedded(&id) {
                    Ok(s) => format!(
                        "{id:<16} {} ({} – {})",
                        s.meta.title,
                        s.calendar().julian_short(s.start),
                        s.calendar().julian_short(s.end)
                    ),
                    Err(_) => format!("{id:<16} (has data problems: run jingkang validate)"),
                };
                if let Err(e) = writeln!(out, "{line}") {
                    r = Err(out_err(&e));
                    break;
                }
            }
            r
        }
    };
    let _ = out.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(msg)) => {
            let _ = writeln!(io::stderr(), "{msg}");
            ExitCode::from(1)
        }
    }
}
