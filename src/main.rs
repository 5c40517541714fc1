//! The `jingkang` command: parse the command line, build a validated
//! configuration, run. Only here do errors become exit codes: 0 success,
//! 1 a problem with data, files or input, 2 a usage error.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

mod explore_cmd;
use explore_cmd::{bench_cmd, decisions_cmd, explore};

use jingkang::clean::{CleanWriter, clean};
use jingkang::content::model::Court;
use jingkang::content::{self, Problems, Scenario};
use jingkang::history;
use jingkang::pace::Pace;
use jingkang::plain::{self, Plain};
use jingkang::policy::PolicyKind;
use jingkang::report;
use jingkang::runfile::{self, RunFile};
use jingkang::sim::{Campaign, Seats, Step};
use jingkang::view::{PlayError, Session};

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
        #[command(flatten)]
        format: DebriefFormat,
        /// Write the debrief to this file instead of the screen.
        #[arg(long)]
        out: Option<PathBuf>,
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
    /// (with --importance) which decisions moved the recorded endings most.
    Explore(ExploreArgs),
    /// List every decision of a scenario: id, reference tag, court, month
    /// and options, as policies name them.
    Decisions {
        /// Scenario id or path.
        #[arg(long)]
        scenario: Option<String>,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Summarise a class's run files: how the class chose at each decision
    /// against the record, the spread of endings and divergence, each
    /// student's line, and discussion prompts from where the class split.
    Class(ClassArgs),
    /// Time headless campaigns per scenario and policy pair: campaigns/s,
    /// decisions/s, peak memory and processor time.
    Bench(BenchArgs),
    /// Load mutants of the embedded chapters (bit flips, cuts, duplicated
    /// and deleted lines, huge numbers and strings, deep nesting, control
    /// characters) and report panics, time and peak memory.
    #[command(hide = true)]
    Fuzz {
        /// How many mutants.
        #[arg(long, default_value_t = 10_000)]
        mutants: u64,
        /// Seed of the mutants (the same seed gives the same mutants).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Run only this mutant (to reproduce one).
        #[arg(long)]
        only: Option<u64>,
    },
}

#[derive(clap::Args, Debug)]
struct BenchArgs {
    /// Scenarios to measure (default: every embedded one).
    #[arg(long)]
    scenario: Vec<String>,
    /// Seeds per measurement: a number N or a range FIRST..LAST.
    #[arg(long, default_value = "1000")]
    seeds: String,
}

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
struct ExploreArgs {
    #[command(subcommand)]
    action: Option<ExploreAction>,
    /// Scenario id or path.
    #[arg(long)]
    scenario: Option<String>,
    /// Seeds: a number N (seeds 1 to N) or a range FIRST..LAST, both ends
    /// included (--seeds 1..1000000).
    #[arg(long, default_value = "100")]
    seeds: String,
    /// Play only part K of N near-equal parts of the seeds (--shard 3/8), to
    /// spread one exploration over several machines; combine the parts'
    /// --save-result files with `explore merge`.
    #[arg(long)]
    shard: Option<String>,
    /// Song policy: recorded, adaptive, random, flip:<decision>,
    /// set:<decision>=<option> (a decision by id or tag, e.g. flip:D9).
    #[arg(long, default_value = "recorded")]
    song: String,
    /// Jin policy.
    #[arg(long, default_value = "recorded")]
    jin: String,
    /// Also measure which decisions mattered: every option of every
    /// decision, against each court's recorded ending.
    #[arg(long, conflicts_with_all = ["shard", "csv"])]
    importance: bool,
    /// Measure importance against this court's recorded ending only
    /// (default: both courts').
    #[arg(long, value_enum)]
    side: Option<Side>,
    /// Importance: seeds per batch (options may stop after each batch).
    #[arg(long, default_value_t = 100)]
    batch: u64,
    /// Importance: an option stops once its 95% interval is at most this
    /// many percentage points either side.
    #[arg(long, default_value_t = 2.5)]
    precision: f64,
    /// Print JSON (named fields only).
    #[arg(long, conflicts_with_all = ["csv", "html"])]
    json: bool,
    /// Print the war model's calibration figures instead (the invasion
    /// rate whatever the Song do, the recorded clock, the spread of
    /// endings), measured with --seeds seeds.
    #[arg(long, conflicts_with_all = ["importance", "json", "csv", "html", "shard", "save_result"])]
    figures: bool,
    /// Print CSV: one row per seed with each court's ending and the month
    /// of each milestone.
    #[arg(long, conflicts_with = "html")]
    csv: bool,
    /// Print the report as one self-contained HTML page with bar charts.
    #[arg(long)]
    html: bool,
    /// Also write the result to this file (versioned, written atomically),
    /// for `explore merge`.
    #[arg(long)]
    save_result: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum ExploreAction {
    /// Combine saved results (the shards of one exploration) into the report
    /// of one run over the whole range.
    Merge {
        /// Saved results (--save-result files).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON.
        #[arg(long, conflicts_with = "html")]
        json: bool,
        /// Print HTML.
        #[arg(long)]
        html: bool,
        /// Also write the merged result to this file.
        #[arg(long)]
        save_result: Option<PathBuf>,
    },
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
    /// Your name, kept in the run file for your teacher's class summary
    /// (asked in the start menu when not given).
    #[arg(long, value_name = "NAME")]
    player: Option<String>,
    /// How much the game says: `full`, or `brief` (short dispatches and
    /// arguments written for a 45-minute lesson).
    #[arg(long, value_enum, default_value = "full")]
    pace: PaceArg,
    /// Ask "why?" after each decision; the answers are kept in the run file
    /// and shown in the debrief and the class summary.
    #[arg(long)]
    reflect: bool,
    /// Line mode: wrap text to this many columns (default: the terminal's
    /// width, or 80 when output is not a terminal).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(20..))]
    width: Option<u16>,
    /// Line mode for a screen reader: words instead of decorative rules and
    /// symbols (implies --plain).
    #[arg(long)]
    screen_reader: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum PaceArg {
    Full,
    Brief,
}

impl From<PaceArg> for Pace {
    fn from(p: PaceArg) -> Pace {
        match p {
            PaceArg::Full => Pace::Full,
            PaceArg::Brief => Pace::Brief,
        }
    }
}

#[derive(clap::Args, Debug)]
struct ClassArgs {
    /// Run files, or folders of them (their `.ron` files).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    format: ClassFormat,
    /// Write the summary to this file instead of the screen.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// How a class summary is written: Markdown (the default), HTML or CSV.
#[derive(clap::Args, Debug, Clone, Copy)]
#[group(multiple = false)]
struct ClassFormat {
    /// As Markdown (the default; it reads as plain text too).
    #[arg(long)]
    markdown: bool,
    /// As one self-contained HTML page with bar charts (prints on A4).
    #[arg(long)]
    html: bool,
    /// As CSV: one row per student, a column per decision and per reason.
    #[arg(long)]
    csv: bool,
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
    #[command(flatten)]
    format: DebriefFormat,
    /// Write the debrief (text, JSON, Markdown or HTML, as asked) to this
    /// file instead of the screen.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write the run file (for `jingkang replay`) here; an existing
    /// file is never replaced.
    #[arg(long)]
    run_file: Option<PathBuf>,
}

/// How a debrief is printed: text (the default), JSON, Markdown or HTML.
#[derive(clap::Args, Debug, Clone, Copy)]
#[group(multiple = false)]
struct DebriefFormat {
    /// Print the debrief as stable JSON (for programs).
    #[arg(long)]
    json: bool,
    /// Print the debrief as Markdown (for handouts).
    #[arg(long)]
    markdown: bool,
    /// Print the debrief as one self-contained HTML page (map, timeline,
    /// ledger; inline CSS and SVG, no script; prints on A4).
    #[arg(long)]
    html: bool,
}

impl DebriefFormat {
    /// The debrief in the format asked for.
    fn render(self, d: &history::Debrief) -> Result<String, Failure> {
        let format = if self.json {
            return Ok(d.to_json());
        } else if self.markdown {
            report::Format::Markdown
        } else if self.html {
            report::Format::Html
        } else {
            report::Format::Text
        };
        report::debrief(d, format, report::DEFAULT_WIDTH)
            .map_err(|e| Failure(format!("error: {e}")))
    }
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

/// A failure, already explained for the user (an empty message: the
/// reader of the output went away, which ends the program quietly).
struct Failure(String);

/// How a command ends badly: a problem (exit 1) or a usage error (exit 2).
enum Exit {
    /// Data, files or input (exit 1).
    Problem(Failure),
    /// The command line asked for something that does not exist (exit 2).
    Usage(String),
}

impl From<Failure> for Exit {
    fn from(f: Failure) -> Exit {
        Exit::Problem(f)
    }
}

impl From<Problems> for Exit {
    fn from(p: Problems) -> Exit {
        Exit::Problem(p.into())
    }
}

impl From<runfile::RunError> for Exit {
    fn from(e: runfile::RunError) -> Exit {
        Exit::Problem(e.into())
    }
}

fn usage(e: impl std::fmt::Display) -> Exit {
    Exit::Usage(format!("error: {e}"))
}

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
        return Ok(Arc::new(content::load_dir(path)?));
    }
    Err(Failure(format!(
        "error: no scenario \"{}\": it is neither an embedded scenario ({}) nor a folder on disk",
        content::shorten(reference, 80),
        content::scenario_ids().join(", ")
    )))
}

/// How a run file names its scenario: an embedded id as it is, a folder on
/// disk by its absolute path (so the run can be resumed from anywhere).
fn scenario_reference(reference: &str) -> String {
    if content::scenario_ids().iter().any(|i| i == reference) {
        return reference.to_owned();
    }
    std::path::absolute(reference)
        .map_or_else(|_| reference.to_owned(), |p| p.display().to_string())
}

/// A policy for `court`, checked against the scenario (reference tags
/// become ids; unknown decisions and options are usage errors).
fn policy(text: &str, s: &Scenario, court: Court) -> Result<PolicyKind, Exit> {
    let p: PolicyKind = text
        .parse()
        .map_err(|e: jingkang::policy::UnknownPolicy| usage(e))?;
    p.resolve(s, court).map_err(|e| {
        usage(format!(
            "{e}\n(jingkang decisions --scenario {} lists every decision and option)",
            s.meta.id
        ))
    })
}

/// Output could not be written. A reader that went away (`| head -1`)
/// is not an error: the program ends quietly with exit 0.
fn out_err(e: &io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure(String::new())
    } else {
        Failure(format!("error: cannot write output: {e}"))
    }
}

fn play(args: &PlayArgs, out: &mut dyn Write) -> Result<(), Exit> {
    let data_dir = args
        .save_dir
        .clone()
        .unwrap_or_else(runfile::default_data_dir);
    // Temporary files left by a crash during an earlier save go first.
    for sub in ["saves", "runs"] {
        let _ = jingkang::fsio::clean_orphans(&data_dir.join(sub));
    }
    let stdin = io::stdin();
    let mut input = stdin.lock();
    // A person at a terminal of 80×24 or more gets the full-screen interface.
    let use_tui = !args.plain && !args.screen_reader && jingkang::tui::available();
    let line_opts = plain::Options {
        width: args
            .width
            .map(usize::from)
            .or_else(plain::terminal_width)
            .unwrap_or(80),
        screen_reader: args.screen_reader,
    };
    // A person at a terminal who named nothing picks from a menu: a chapter
    // and court, or a save to resume.
    let menu = if args.load.is_none()
        && args.scenario.is_none()
        && args.side.is_none()
        && !args.plain
        && io::stdin().is_terminal()
        && io::stdout().is_terminal()
    {
        start_menu(&mut input, out, &data_dir, args.player.is_none()).map_err(|e| out_err(&e))?
    } else {
        None
    };
    let (load, asked) = match menu {
        Some(Menu::Resume(path)) => (Some(path), None),
        Some(Menu::New(id, side, player)) => (None, Some((id, side, player))),
        None => (args.load.clone(), None),
    };
    let session = if let Some(load) = &load {
        if let Some(dir) = load.parent() {
            let _ = jingkang::fsio::clean_orphans(dir);
        }
        let run = RunFile::read(load)?;
        let s = load_scenario(&run.scenario)?;
        run.check_hash(load, &s)?;
        if run.complete {
            return Err(Failure(format!(
                "error: {} is a finished run; replay it with: jingkang replay {}",
                load.display(),
                load.display()
            ))
            .into());
        }
        let side = run.side().unwrap_or(Court::Song);
        let (campaign, _) = run.restore(load, &s)?;
        writeln!(
            out,
            "Resuming {} as the {} court ({} decision{} so far).",
            s.meta.title,
            side.name(),
            run.decisions.len(),
            if run.decisions.len() == 1 { "" } else { "s" }
        )
        .map_err(|e| out_err(&e))?;
        // A save kept in `<folder>/saves/` has its finished run go to
        // `<folder>/runs/`, unless --save-dir says otherwise.
        let dir = match (&args.save_dir, load.parent()) {
            (None, Some(saves)) if saves.file_name().is_some_and(|n| n == "saves") => saves
                .parent()
                .map_or_else(|| data_dir.clone(), Path::to_path_buf),
            _ => data_dir,
        };
        Session::resumed(campaign, run, side, dir, load.clone())
    } else {
        let reference = asked
            .as_ref()
            .map(|m| m.0.clone())
            .or_else(|| args.scenario.clone())
            .unwrap_or_else(default_scenario);
        let s = load_scenario(&reference)?;
        let player = args
            .player
            .clone()
            .or_else(|| asked.as_ref().and_then(|m| m.2.clone()))
            .and_then(|p| runfile::clean_player_name(&p));
        let side: Court = asked
            .map(|m| m.1)
            .or(args.side.map(Court::from))
            .unwrap_or_else(|| s.meta.playable.first().copied().unwrap_or(Court::Song));
        if !s.meta.playable.contains(&side) {
            return Err(Exit::Usage(format!(
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
        let other = policy(&args.other, &s, side.other())?;
        let seed = args
            .seed
            .unwrap_or_else(|| u64::from(rand::random::<u16>()));
        let seats = Seats::human(side, other);
        let mut run = RunFile::new(&scenario_reference(&reference), &s, seed, &seats);
        run.player = player;
        run.pace = args.pace.into();
        run.reflect = args.reflect;
        let campaign = Campaign::new(s.clone(), seed, seats);
        let player = run.player.clone();
        Session::new(campaign, run, side, data_dir).with_player(player)
    };
    if use_tui {
        return jingkang::tui::play(session, out)
            .map(|_| ())
            .map_err(|e| Failure(format!("error: {e}")).into());
    }
    let new_game = session.run.decisions.is_empty() && session.save_path.is_none();
    let mut line = Plain::new(session, line_opts);
    if new_game {
        line.intro(out).map_err(|e| out_err(&e))?;
    }
    match line.play(&mut input as &mut dyn BufRead, out) {
        Ok(_) => Ok(()),
        Err(PlayError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure(format!("error: {e}")).into()),
    }
}

/// What the start menu chose.
enum Menu {
    /// A new game of this scenario as this court, by this player (if
    /// they gave a name).
    New(String, Court, Option<String>),
    /// Resume this save.
    Resume(PathBuf),
}

/// The saves in `<data_dir>/saves` that can be resumed, newest first (at
/// most nine), with their run files.
fn resumable(data_dir: &Path) -> Vec<(PathBuf, RunFile)> {
    let Ok(entries) = std::fs::read_dir(data_dir.join("saves")) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf, RunFile)> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let meta = std::fs::symlink_metadata(&path).ok()?;
            let name = path.file_name()?.to_str()?;
            if !meta.is_file() || jingkang::fsio::is_temp_name(name) || !name.ends_with(".ron") {
                return None;
            }
            let run = RunFile::read(&path).ok().filter(|r| !r.complete)?;
            Some((meta.modified().ok()?, path, run))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found.into_iter().take(9).map(|(_, p, r)| (p, r)).collect()
}

/// The start menu: a chapter (then a court and, unless given with
/// --player, the player's name), or a save to resume. Enter takes the
/// default; end of input takes the defaults too.
fn start_menu(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    data_dir: &Path,
    ask_name: bool,
) -> io::Result<Option<Menu>> {
    let mut ids = content::scenario_ids();
    let default = default_scenario();
    ids.sort_by_key(|i| (*i != default, scenario_order(i)));
    writeln!(
        out,
        "JINGKANG — the Jin–Song war, 1123–1127\n\nChoose what to play:"
    )?;
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
    }
    let saves = resumable(data_dir);
    if !saves.is_empty() {
        writeln!(out, "\nOr resume a saved game:")?;
        for (k, (path, run)) in saves.iter().enumerate() {
            let title = content::load_embedded(&run.scenario).map_or_else(
                |_| content::shorten(&run.scenario, 40),
                |s| s.meta.title.clone(),
            );
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            writeln!(
                out,
                "  {}. {name} — {title}, the {} court, {} decision{} taken",
                ids.len() + k + 1,
                run.side().unwrap_or(Court::Song).name(),
                run.decisions.len(),
                if run.decisions.len() == 1 { "" } else { "s" }
            )?;
        }
    }
    let n = ids.len() + saves.len();
    let pick = ask(input, out, &format!("Choose [1-{n}, Enter for 1]: "), n)?;
    if let Some((path, _)) = pick.checked_sub(ids.len()).and_then(|k| saves.get(k)) {
        writeln!(out)?;
        return Ok(Some(Menu::Resume(path.clone())));
    }
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
    let player = if ask_name {
        write!(
            out,
            "\nYour name (kept in the run file for your teacher; Enter to skip): "
        )?;
        out.flush()?;
        let mut line = String::new();
        input.read_line(&mut line)?;
        runfile::clean_player_name(&line)
    } else {
        None
    };
    writeln!(out)?;
    Ok(Some(Menu::New(id, side, player)))
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

fn run(args: &RunArgs, out: &mut dyn Write) -> Result<(), Exit> {
    let reference = args.scenario.clone().unwrap_or_else(default_scenario);
    let s = load_scenario(&reference)?;
    let song = policy(&args.song, &s, Court::Song)?;
    let jin = policy(&args.jin, &s, Court::Jin)?;
    let seats = Seats::policies(song.clone(), jin.clone());
    let (campaign, mut debrief) = runfile::run_headless(&s, args.seed, song, jin);
    debrief.figures = Some(jingkang::report::figures::Figures::of(
        &s,
        &campaign,
        &debrief.milestones,
    ));
    if let Some(path) = &args.run_file {
        let mut rf = RunFile::new(&scenario_reference(&reference), &s, args.seed, &seats);
        rf.complete = true;
        rf.write_new(path)?;
    }
    let text = args.format.render(&debrief)?;
    Ok(emit(&text, args.out.as_deref(), out)?)
}

fn class(args: &ClassArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let summary = jingkang::class::Summary::collect(&args.paths);
    if summary.students == 0 {
        let mut msg = String::from(
            "error: no finished run could be read, so there is no class to summarise.",
        );
        for s in &summary.skipped {
            msg.push_str(&format!("\n  {}: {}", s.file, s.why));
        }
        if summary.files == 0 && summary.skipped.is_empty() {
            msg.push_str("\n  (no .ron files were found in the paths given)");
        }
        return Err(Failure(msg));
    }
    let text = if args.format.csv {
        summary
            .to_csv()
            .map_err(|e| Failure(format!("error: {e}")))?
    } else {
        let format = if args.format.html {
            report::Format::Html
        } else {
            report::Format::Markdown
        };
        report::render("class", &summary, format).map_err(|e| Failure(format!("error: {e}")))?
    };
    emit(text.trim_end(), args.out.as_deref(), out)?;
    // The summary lists what it left out; the terminal says so too, since
    // the summary may have gone to a file or a browser.
    let mut note = String::new();
    if !summary.skipped.is_empty() {
        note.push_str(&format!(
            "note: {} of the files given {} not used (the summary lists why):",
            summary.skipped.len(),
            if summary.skipped.len() == 1 {
                "was"
            } else {
                "were"
            }
        ));
        for s in &summary.skipped {
            note.push_str(&format!("\n  {}: {}", s.file, s.why));
        }
    }
    if summary.groups.len() > 1 {
        if !note.is_empty() {
            note.push('\n');
        }
        note.push_str(&format!(
            "note: the runs are from {} different scenarios, courts or content versions; \
             the summary has one part for each:",
            summary.groups.len()
        ));
        for g in &summary.groups {
            let files: Vec<&str> = g.students.iter().map(|s| s.file.as_str()).collect();
            note.push_str(&format!(
                "\n  {} as the {} court ({} run{}): {}",
                g.scenario,
                g.side.key(),
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                files.join(", ")
            ));
        }
    }
    if !note.is_empty() {
        let _ = writeln!(io::stderr(), "{}", clean(&note));
    }
    Ok(())
}

/// Prints a document, or writes it to a file (atomically) and says so.
fn emit(text: &str, to: Option<&Path>, out: &mut dyn Write) -> Result<(), Failure> {
    match to {
        None => writeln!(out, "{text}").map_err(|e| out_err(&e)),
        Some(path) => {
            jingkang::fsio::write_atomic(path, format!("{text}\n").as_bytes())
                .map_err(|e| Failure(format!("error: cannot write {e}")))?;
            writeln!(out, "Written to {}", path.display()).map_err(|e| out_err(&e))
        }
    }
}

fn replay(
    file: &Path,
    format: DebriefFormat,
    to: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
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
    let debrief = run.debrief(&s, &campaign);
    let text = format.render(&debrief)?;
    emit(&text, to, out)
}

/// The worst a mutant may cost.
const FUZZ_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);
const FUZZ_MEMORY_LIMIT: u64 = 500 * 1024 * 1024;

fn fuzz_cmd(
    mutants: u64,
    seed: u64,
    only: Option<u64>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    use jingkang::fuzz;
    use std::time::{Duration, Instant};
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    let range = only.map_or(0..mutants, |n| n..n + 1);
    let total = range.end - range.start;
    let started = Instant::now();
    let (mut panics, mut loaded, mut grand, mut refused, mut over) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut worst_time = (Duration::ZERO, 0u64);
    let mut worst_mem = (0u64, 0u64);
    let measured = fuzz::reset_peak_memory() && fuzz::peak_memory().is_some();
    for (i, n) in range.enumerate() {
        let (chapter, file, muts) = fuzz::mutant(seed, n);
        fuzz::reset_peak_memory();
        let t0 = Instant::now();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            fuzz::trial(&chapter, file, &muts)
        }));
        let dt = t0.elapsed();
        let mem = fuzz::peak_memory().unwrap_or(0);
        let what = || {
            format!(
                "mutant {n}: {chapter}/{} with {}",
                content::SCENARIO_FILES[file],
                muts.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        match r {
            Ok(t) => {
                if t.loaded {
                    loaded += 1;
                } else {
                    refused += 1;
                }
                if t.grand_loaded {
                    grand += 1;
                }
            }
            Err(_) => {
                panics += 1;
                writeln!(out, "PANIC in {}", what()).map_err(|e| out_err(&e))?;
            }
        }
        if dt > FUZZ_TIME_LIMIT || mem > FUZZ_MEMORY_LIMIT {
            over += 1;
            writeln!(
                out,
                "OVER LIMIT ({:.2} s, {:.0} MB) in {}",
                dt.as_secs_f64(),
                mb(mem),
                what()
            )
            .map_err(|e| out_err(&e))?;
        }
        if dt > worst_time.0 {
            worst_time = (dt, n);
        }
        if mem > worst_mem.0 {
            worst_mem = (mem, n);
        }
        if (i + 1) % 1000 == 0 {
            writeln!(
                out,
                "{}/{total} mutants, {panics} panics, {:.0} s so far",
                i + 1,
                started.elapsed().as_secs_f64()
            )
            .map_err(|e| out_err(&e))?;
        }
    }
    let describe = |n: u64| {
        let (c, f, m) = fuzz::mutant(seed, n);
        format!(
            "mutant {n} ({c}/{}: {})",
            content::SCENARIO_FILES[f],
            m.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    writeln!(
        out,
        "\n{total} mutants (seed {seed}) in {:.1} s: {panics} panics, {over} over 5 s or 500 MB\n\
         {refused} refused with problems, {loaded} still valid and played to the end \
         ({grand} valid inside the grand campaign too)\n\
         slowest: {:.3} s, {}\n\
         peak memory: {}",
        started.elapsed().as_secs_f64(),
        worst_time.0.as_secs_f64(),
        describe(worst_time.1),
        if measured {
            format!(
                "{:.1} MB (whole process), {}",
                mb(worst_mem.0),
                describe(worst_mem.1)
            )
        } else {
            "not measured on this system".to_owned()
        }
    )
    .map_err(|e| out_err(&e))?;
    if panics > 0 || over > 0 {
        return Err(Failure(
            "error: some mutants panicked or went over the limits".into(),
        ));
    }
    Ok(())
}

fn validate(paths: &[PathBuf], out: &mut dyn Write) -> Result<(), Failure> {
    let mut problems: Vec<content::Problem> = Vec::new();
    let mut checked = Vec::new();
    if paths.is_empty() {
        if let Err(p) = content::load_library(&content::embedded_assets()) {
            problems.extend(p.0);
        }
        for id in content::scenario_ids() {
            match content::load_embedded(&id) {
                Ok(_) => checked.push(format!("scenarios/{id}")),
                Err(p) => problems.extend(p.0),
            }
        }
    }
    for path in paths {
        match content::load_dir(path) {
            Ok(_) => checked.push(path.display().to_string()),
            Err(p) => problems.extend(p.0),
        }
    }
    if problems.is_empty() {
        writeln!(out, "ok: {} (and assets/) are valid", checked.join(", "))
            .map_err(|e| out_err(&e))?;
        Ok(())
    } else {
        Err(Failure(Problems(problems).to_string()))
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
                jingkang::report::wrap(&e.summary, 76, "  ", "  ")
            ));
            for v in &e.versions {
                t.push_str(&format!(
                    "{}\n",
                    jingkang::report::wrap(
                        &format!("version: {} ({})", v.says, v.sources.join(", ")),
                        76,
                        "  ",
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
    // Everything printed passes through the cleaner: no control character
    // or bidi override from data, saves, file names or input reaches the
    // terminal.
    let mut out = CleanWriter::new(stdout.lock());
    let result: Result<(), Exit> = match &cli.command {
        None => play(&cli.play, &mut out),
        Some(Command::Play(args)) => play(args, &mut out),
        Some(Command::Run(args)) => run(args, &mut out),
        Some(Command::Replay {
            file,
            format,
            out: to,
        }) => replay(file, *format, to.as_deref(), &mut out).map_err(Exit::from),
        Some(Command::Validate { paths }) => validate(paths, &mut out).map_err(Exit::from),
        Some(Command::History { json }) => history_cmd(*json, &mut out).map_err(Exit::from),
        Some(Command::Explore(args)) => explore(args, &mut out),
        Some(Command::ModelDoc) => content::load_library(&content::embedded_assets())
            .map_err(Failure::from)
            .and_then(|lib| {
                write!(out, "{}", jingkang::modeldoc::tables(&lib.rules)).map_err(|e| out_err(&e))
            })
            .map_err(Exit::from),
        Some(Command::Class(args)) => class(args, &mut out).map_err(Exit::from),
        Some(Command::Decisions { scenario, json }) => {
            decisions_cmd(scenario.as_deref(), *json, &mut out)
        }
        Some(Command::Bench(args)) => bench_cmd(args, &mut out),
        Some(Command::Fuzz {
            mutants,
            seed,
            only,
        }) => fuzz_cmd(*mutants, *seed, *only, &mut out).map_err(Exit::from),
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
            r.map_err(Exit::from)
        }
    };
    let _ = out.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away: nothing more to say.
        Err(Exit::Problem(Failure(msg))) if msg.is_empty() => ExitCode::SUCCESS,
        Err(Exit::Problem(Failure(msg))) => {
            let _ = writeln!(io::stderr(), "{}", clean(&msg));
            ExitCode::from(1)
        }
        Err(Exit::Usage(msg)) => {
            let _ = writeln!(io::stderr(), "{}", clean(&msg));
            ExitCode::from(2)
        }
    }
}
