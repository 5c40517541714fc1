//! The plain front end: numbered choices and line input.
//!
//! Works for screen readers, pipes and scripts:
//! `printf '1\n2\n' | jingkang play --plain`. It renders what the campaign
//! shows ([`Campaign::advance`] → a council or the end), reads a line, and
//! either answers the council or runs a command (`help`, `status`,
//! `advisors`, `record`, `who`, `where`, `term`, `save`, `quit`). Anything
//! else re-prompts with a clear message. End of input saves and exits.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;

use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::{Court, Gauge};
use crate::history::wrap;
use crate::lookup::Kind;
use crate::runfile::{self, RunDecision, RunError, RunFile};
use crate::sim::{Campaign, CouncilView, LineKind, Step};

/// How a play session ended.
#[derive(Debug)]
pub enum Outcome {
    /// The campaign reached its end; the run file was written here.
    Finished {
        /// The run file.
        run: PathBuf,
    },
    /// The player quit or input ended; the game was saved here.
    Saved {
        /// The save.
        save: PathBuf,
    },
}

/// A play session.
pub struct Session {
    /// The campaign.
    pub campaign: Campaign,
    /// The run so far (seats, seed, the player's decisions).
    pub run: RunFile,
    /// The court the player plays.
    pub side: Court,
    /// Folder for saves and runs.
    pub data_dir: PathBuf,
    /// The player's name, for the save's file name.
    pub player: Option<String>,
    /// This game's own save file, once it has one (the file it was loaded
    /// from, or the one its first save created). Saving writes here.
    pub save_path: Option<PathBuf>,
    printed: (usize, usize),
}

/// A gauge's name as the court speaks of it.
#[must_use]
pub fn gauge_name(g: Gauge, court: Court) -> &'static str {
    match (g, court) {
        (Gauge::Treasury, _) => "Treasury",
        (Gauge::Grain, _) => "Granaries",
        (Gauge::Army, _) => "Troops at hand",
        (Gauge::Morale, _) => "Morale",
        (Gauge::WarParty, _) => "War party at court",
        (Gauge::Legitimacy, _) => "Standing of the throne",
        (Gauge::Loyalty, Court::Song) => "Trust of the ex-Liao defectors",
        (Gauge::Loyalty, Court::Jin) => "Cohesion of the two commands",
        (Gauge::Grievance, _) => "Grievances against the other court",
    }
}

/// A gauge as the court perceives it: a word, not a number.
#[must_use]
pub fn fuzzy(g: Gauge, v: i32) -> &'static str {
    match g {
        Gauge::WarParty => match v {
            ..=20 => "the peace party dominates",
            21..=40 => "the peace party leans ahead",
            41..=60 => "evenly divided",
            61..=80 => "the war party leans ahead",
            _ => "the war party dominates",
        },
        Gauge::Grievance => match v {
            ..=0 => "none",
            1..=20 => "a few complaints",
            21..=45 => "a growing list",
            46..=70 => "a heavy bill of grievances",
            _ => "a casus belli many times over",
        },
        _ => match v {
            ..=15 => "desperate",
            16..=35 => "strained",
            36..=55 => "middling",
            56..=75 => "sound",
            _ => "ample",
        },
    }
}

impl Session {
    /// A new session at the start of a campaign.
    #[must_use]
    pub fn new(campaign: Campaign, run: RunFile, side: Court, data_dir: PathBuf) -> Session {
        Session {
            campaign,
            run,
            side,
            data_dir,
            player: None,
            save_path: None,
            printed: (0, 0),
        }
    }

    /// The same session with the player's name (used in the save's name).
    #[must_use]
    pub fn with_player(mut self, player: Option<String>) -> Session {
        self.player = player.filter(|p| !p.trim().is_empty());
        self.run.player.clone_from(&self.player);
        self
    }

    /// A session resumed from the save `from`, the past chronicle marked as
    /// read; saving writes back to `from`.
    #[must_use]
    pub fn resumed(
        campaign: Campaign,
        run: RunFile,
        side: Court,
        data_dir: PathBuf,
        from: PathBuf,
    ) -> Session {
        let run_player = run.player.clone();
        let n = campaign.chronicle().entries.len();
        let last = campaign
            .chronicle()
            .entries
            .last()
            .map_or(0, |e| e.lines.len());
        Session {
            campaign,
            run,
            side,
            data_dir,
            player: run_player,
            save_path: Some(from),
            printed: (n.saturating_sub(1), last),
        }
    }

    fn scenario(&self) -> Arc<Scenario> {
        self.campaign.scenario().clone()
    }

    /// Saves the game to its own file: the file it was loaded from or
    /// first saved to, else a new file `<scenario>-<side>-<player or
    /// seed>-<n>.ron` in the saves folder (the first free `n`: no other
    /// game's save is ever replaced). Returns the path.
    ///
    /// # Errors
    /// The file cannot be written; the game goes on.
    pub fn save(&mut self) -> Result<PathBuf, RunError> {
        if let Some(path) = &self.save_path {
            self.run.write(path)?;
            return Ok(path.clone());
        }
        let path = self
            .run
            .write_numbered(&self.data_dir.join("saves"), &self.save_stem())?;
        self.save_path = Some(path.clone());
        Ok(path)
    }

    /// Saves under a name the player gave (`save NAME`) in the saves folder;
    /// the name keeps its letters in any script (`北京.ron`). A file of that
    /// name that is not this game's own is never replaced. From then on the
    /// game saves there.
    ///
    /// # Errors
    /// The name is taken by another file, or the file cannot be written.
    pub fn save_as(&mut self, name: &str) -> Result<PathBuf, RunError> {
        let path = self
            .data_dir
            .join("saves")
            .join(format!("{}.ron", crate::fsio::file_stem(name)));
        if self.save_path.as_ref() == Some(&path) {
            self.run.write(&path)?;
        } else {
            self.run.write_new(&path)?;
        }
        self.save_path = Some(path.clone());
        Ok(path)
    }

    /// Saves, and if that fails, saves to a folder in the system's
    /// temporary folder instead, so that nothing is lost when input has
    /// ended and the player cannot be asked. Returns the path and, if the
    /// first attempt failed, why.
    ///
    /// # Errors
    /// Neither could be written.
    pub fn save_or_fallback(&mut self) -> Result<(PathBuf, Option<RunError>), RunError> {
        match self.save() {
            Ok(p) => Ok((p, None)),
            Err(first) => {
                let dir = std::env::temp_dir().join("jingkang-saves");
                let path = self.run.write_numbered(&dir, &self.save_stem())?;
                self.save_path = Some(path.clone());
                Ok((path, Some(first)))
            }
        }
    }

    /// The stem of this game's save name: `<scenario>-<side>-<player>` or
    /// `<scenario>-<side>-seed<N>`.
    #[must_use]
    pub fn save_stem(&self) -> String {
        let who = self
            .player
            .clone()
            .unwrap_or_else(|| format!("seed{}", self.run.seed));
        format!("{}-{}-{who}", self.scenario().meta.id, self.side.key())
    }

    /// Prints chronicle lines not yet shown.
    fn print_new(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let s = self.scenario();
        let pace = self.run.pace;
        let cal = s.calendar();
        let entries = &self.campaign.chronicle().entries;
        let (mut ei, mut li) = self.printed;
        while ei < entries.len() {
            let e = &entries[ei];
            if li == 0 {
                writeln!(out, "\n── {} ──", cal.label(e.month, self.side))?;
                if self.side == Court::Jin {
                    writeln!(out, "   ({})", cal.song_label(e.month))?;
                }
            }
            // In the brief pace the model's lines are counted, not printed:
            // `why` lists them with their numbers.
            let mut model_lines = 0;
            while li < e.lines.len() {
                let l = &e.lines[li];
                li += 1;
                if l.to.is_some_and(|c| c != self.side) {
                    continue;
                }
                if pace == crate::pace::Pace::Brief {
                    if matches!(l.kind, LineKind::Model) {
                        model_lines += 1;
                        continue;
                    }
                    brief_model_note(model_lines, out)?;
                    model_lines = 0;
                }
                match &l.kind {
                    LineKind::Dispatch(..) | LineKind::Moved(..) => {
                        let tag = l.kind.dispatch_tag().unwrap_or_default();
                        writeln!(out, "\n◆ {} {tag}", l.title)?;
                        writeln!(out, "{}", wrap(&pace.line(&s, l), 76, "  "))?;
                    }
                    LineKind::Decision(court) => {
                        let who = if *court == self.side {
                            "Your court"
                        } else {
                            "The other court"
                        };
                        writeln!(
                            out,
                            "\n▶ {who} — {}: {}",
                            l.title,
                            wrap(&pace.line(&s, l), 70, "").replace('\n', "\n  ")
                        )?;
                    }
                    LineKind::Consequence => {
                        writeln!(out, "\n↳ {}", wrap(&l.text, 74, "  ").trim_start())?;
                    }
                    LineKind::Model => {
                        writeln!(out, "  · {} [model]", l.text)?;
                    }
                }
            }
            brief_model_note(model_lines, out)?;
            if ei + 1 < entries.len() {
                ei += 1;
                li = 0;
            } else {
                break;
            }
        }
        self.printed = (ei, li);
        Ok(())
    }

    fn print_council(&self, v: &CouncilView, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "\n{}", "═".repeat(76))?;
        writeln!(out, "COUNCIL — {}", v.title)?;
        writeln!(out, "{}", "═".repeat(76))?;
        writeln!(out, "{}", wrap(&v.situation, 76, ""))?;
        self.print_advisors(v, out)?;
        writeln!(out, "\nYour choices:")?;
        for (i, o) in v.options.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, o.label)?;
            if !o.detail.is_empty() {
                writeln!(out, "{}", wrap(&o.detail, 72, "     "))?;
            }
        }
        Ok(())
    }

    fn print_advisors(&self, v: &CouncilView, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "\nThe advisors speak:")?;
        for a in &v.advisors {
            if a.office.is_empty() {
                writeln!(out, "\n  {}", a.name)?;
            } else {
                writeln!(out, "\n  {} — {}", a.name, a.office)?;
            }
            writeln!(out, "  urges: {}   [{}]", a.urges, a.basis)?;
            writeln!(out, "{}", wrap(&a.argues, 72, "    "))?;
        }
        Ok(())
    }

    fn print_status(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = self.scenario();
        let m = self.campaign.month();
        writeln!(
            out,
            "\nThe state of the {} court, {}:",
            self.side.name(),
            s.calendar().label(m, self.side)
        )?;
        let gauges = self.campaign.gauges(self.side);
        for g in Gauge::ALL {
            if g == Gauge::Grievance {
                continue;
            }
            let v = gauges.get(&g).copied().unwrap_or(50);
            writeln!(out, "  {:<34} {}", gauge_name(g, self.side), fuzzy(g, v))?;
        }
        let ledger = self.campaign.ledger();
        for (court, label) in [
            (self.side, "Our grievances against them"),
            (self.side.other(), "What their envoys hold against us"),
        ] {
            let list = ledger.grievances.get(&court).cloned().unwrap_or_default();
            writeln!(
                out,
                "  {label}: {}",
                fuzzy(Gauge::Grievance, ledger.grievance(court))
            )?;
            for g in list {
                writeln!(out, "{}", wrap(&format!("- {}", g.text), 72, "      "))?;
            }
        }
        let places = self.campaign.places();
        if !places.is_empty() {
            writeln!(out, "  Places:")?;
            for p in places {
                let holder = p.holder.map_or("neither court", Court::name);
                let siege = if p.besieged { ", under siege" } else { "" };
                writeln!(
                    out,
                    "    {:<22} held by {holder}{siege}",
                    s.place_name(&p.id)
                )?;
            }
        }
        writeln!(
            out,
            "  (Gauges are the court's own impression; exact figures are hidden.)"
        )
    }

    fn print_record(&self, pending: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        let s = self.scenario();
        let now = self.campaign.month();
        let lib = &s.library;
        let from = MonthIdx(s.start.0.saturating_sub(6));
        writeln!(
            out,
            "\nThe record up to the month before this one (what the sources say happened):"
        )?;
        let mut any = false;
        for (e, m) in lib.timeline.entries.iter().zip(&lib.entry_months) {
            if *m < from || *m >= now || (pending.is_some() && e.decision.as_deref() == pending) {
                continue;
            }
            any = true;
            writeln!(
                out,
                "  {} · {} — {} [{} · {}]",
                crate::calendar::long_date(&e.date),
                e.chinese_date,
                e.title,
                e.certainty.label(),
                e.sources.join(", ")
            )?;
            writeln!(out, "{}", wrap(&e.summary, 72, "      "))?;
            for v in &e.versions {
                writeln!(
                    out,
                    "{}",
                    wrap(
                        &format!("version: {} ({})", v.says, v.sources.join(", ")),
                        72,
                        "      "
                    )
                )?;
            }
        }
        if !any {
            writeln!(out, "  Nothing yet within this chapter.")?;
        }
        writeln!(
            out,
            "  (The record of the decision before you is withheld until you decide.)"
        )
    }

    fn help(out: &mut dyn Write, n: usize) -> io::Result<()> {
        writeln!(
            out,
            "\nType a number from 1 to {n} to decide. Other commands:\n  \
             status          the court's state (gauges, grievances, places)\n  \
             advisors        hear the advisors again\n  \
             record          what the sources record so far (never the answer to this council)\n  \
             why             the model's reasons for the latest outcomes (sieges, battles, councils)\n  \
             who NAME        a person      where PLACE   a place      term WORD   a glossary term\n  \
             save [NAME]     save the game\n  \
             quit            save and leave\n  \
             help            this list"
        )
    }

    /// Plays until the end, a quit, or the end of input.
    ///
    /// # Errors
    /// Writing to the output failed (other than a closed pipe), or a save
    /// could not be written.
    pub fn play(
        &mut self,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<Outcome, PlayError> {
        loop {
            let step = self.campaign.advance();
            self.print_new(out)?;
            match step {
                Step::Ended => return self.finish(out),
                Step::Council(view) => {
                    let view = self.run.pace.council(&self.scenario(), view);
                    self.print_council(&view, out)?;
                    loop {
                        write!(
                            out,
                            "\nYour decision [1-{}] (or help): ",
                            view.options.len()
                        )?;
                        out.flush()?;
                        let mut line = String::new();
                        let read = input.read_line(&mut line);
                        let n = match read {
                            Ok(n) => n,
                            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                                writeln!(
                                    out,
                                    "\nThat line was not readable text; please type a number."
                                )?;
                                continue;
                            }
                            Err(e) => return Err(PlayError::Io(e)),
                        };
                        if n == 0 {
                            let (path, failed) = self.save_or_fallback()?;
                            if let Some(e) = failed {
                                writeln!(
                                    out,
                                    "\n\nCould not save where asked ({e}), so the game went to the temporary folder instead."
                                )?;
                            }
                            writeln!(
                                out,
                                "\n\nInput ended. The game is saved to {}\nResume with: jingkang play --load {}",
                                path.display(),
                                path.display()
                            )?;
                            return Ok(Outcome::Saved { save: path });
                        }
                        match self.command(line.trim(), &view, out)? {
                            Some(Ok(option)) => {
                                self.run.decisions.push(RunDecision {
                                    decision: view.decision.clone(),
                                    option: option.clone(),
                                    month: self.scenario().calendar().month(view.month).id.clone(),
                                    why: None,
                                });
                                if let Err(e) = self.campaign.decide(&option) {
                                    writeln!(out, "{e}")?;
                                    self.run.decisions.pop();
                                    continue;
                                }
                                if self.run.reflect {
                                    self.ask_why(input, out)?;
                                }
                                break;
                            }
                            Some(Err(path)) => return Ok(Outcome::Saved { save: path }),
                            None => {}
                        }
                    }
                }
            }
        }
    }

    /// `--reflect`: asks why the player chose as they did and keeps the
    /// answer with the decision in the run file. Enter or end of input
    /// skips it.
    fn ask_why(&mut self, input: &mut dyn BufRead, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "\nWhy did you choose this? (a sentence for the debrief and your teacher; Enter to skip)\n> "
        )?;
        out.flush()?;
        let mut line = String::new();
        match input.read_line(&mut line) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {}
            Err(e) => return Err(e),
        }
        if let Some(last) = self.run.decisions.last_mut() {
            last.why = runfile::clean_reason(&line);
        }
        Ok(())
    }

    /// Runs one input line. `Some(Ok(option))` answers the council,
    /// `Some(Err(path))` quits after saving, `None` re-prompts.
    fn command(
        &mut self,
        line: &str,
        view: &CouncilView,
        out: &mut dyn Write,
    ) -> Result<Option<Result<String, PathBuf>>, PlayError> {
        let (cmd, arg) = line
            .split_once(char::is_whitespace)
            .map_or((line, ""), |(c, a)| (c, a.trim()));
        let n = view.options.len();
        if let Ok(k) = cmd.parse::<usize>() {
            if (1..=n).contains(&k) && arg.is_empty() {
                return Ok(Some(Ok(view.options[k - 1].id.clone())));
            }
            writeln!(
                out,
                "There is no choice {cmd}: type a number from 1 to {n}."
            )?;
            return Ok(None);
        }
        match cmd.to_lowercase().as_str() {
            "" => writeln!(out, "Type a number from 1 to {n}, or help.")?,
            "help" | "?" | "h" => Session::help(out, n)?,
            "status" => self.print_status(out)?,
            "advisors" => self.print_advisors(view, out)?,
            "record" => self.print_record(Some(&view.decision), out)?,
            "why" => {
                let lines = self.campaign.why_lines(12);
                if lines.is_empty() {
                    writeln!(
                        out,
                        "The model has decided nothing yet: no army has marched, no siege or battle has been fought."
                    )?;
                } else {
                    writeln!(
                        out,
                        "\nWhat the model did, latest last (simulation, not history):"
                    )?;
                    for l in lines {
                        writeln!(out, "{}", wrap(&l, 76, "  ").trim_start())?;
                    }
                }
            }
            "options" | "choices" | "council" => self.print_council(view, out)?,
            "who" | "where" | "term" => {
                let kind = match cmd.to_lowercase().as_str() {
                    "who" => Kind::Person,
                    "where" => Kind::Place,
                    _ => Kind::Term,
                };
                let answer = crate::lookup::look_up(&self.scenario(), kind, arg, Some(view.as_of));
                writeln!(out, "{}", answer.to_text(76))?;
            }
            "save" => {
                let saved = if arg.is_empty() {
                    self.save()
                } else {
                    self.save_as(arg)
                };
                match saved {
                    Ok(path) => writeln!(out, "Saved to {}", path.display())?,
                    Err(e) => writeln!(
                        out,
                        "Could not save: {e}\nThe game goes on; try save NAME, or another --save-dir next time."
                    )?,
                }
            }
            "quit" | "exit" | "q" => match self.save() {
                Ok(path) => {
                    writeln!(
                        out,
                        "Saved to {}\nResume with: jingkang play --load {}",
                        path.display(),
                        path.display()
                    )?;
                    return Ok(Some(Err(path)));
                }
                Err(e) => writeln!(
                    out,
                    "Could not save, so the game stays open: {e}\nTry save NAME to save elsewhere in the saves folder, or keep playing."
                )?,
            },
            _ => {
                let shown: String = line.chars().take(40).collect();
                writeln!(
                    out,
                    "I did not understand \"{shown}\". Type a number from 1 to {n} to decide, or help for the commands."
                )?;
            }
        }
        Ok(None)
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<Outcome, PlayError> {
        let s = self.scenario();
        self.run.complete = true;
        let debrief = self.run.debrief(&s, &self.campaign);
        let text = crate::report::debrief(
            &debrief,
            crate::report::Format::Text,
            crate::report::DEFAULT_WIDTH,
        )?;
        writeln!(out, "\n{text}")?;
        let path = self.write_run()?;
        writeln!(
            out,
            "The run is saved to {}\nReplay it with: jingkang replay {}",
            path.display(),
            path.display()
        )?;
        Ok(Outcome::Finished { run: path })
    }
}

impl Session {
    /// Marks the run complete and writes it to a new file in the runs
    /// folder (`<scenario>-<side>-<player>-seed<N>.ron`, numbered if taken),
    /// so that one player's finished run never replaces another's.
    ///
    /// # Errors
    /// The file cannot be written.
    pub fn write_run(&mut self) -> Result<PathBuf, RunError> {
        self.run.complete = true;
        let s = self.scenario();
        let player = self
            .run
            .player
            .as_deref()
            .map(file_slug)
            .filter(|p| !p.is_empty())
            .map(|p| format!("-{p}"))
            .unwrap_or_default();
        let name = format!(
            "{}-{}{player}-seed{}",
            s.meta.id,
            self.side.key(),
            self.run.seed
        );
        self.run.write_numbered(&self.data_dir.join("runs"), &name)
    }
}

/// A player's name as part of a file name: letters and digits kept (in any
/// script), anything else a single `-`, at most 40 characters.
fn file_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(40).collect()
}

/// A play session failed.
#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    /// Output could not be written.
    #[error("output: {0}")]
    Io(#[from] io::Error),
    /// A save or run file could not be written.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The debrief could not be rendered (a template bug).
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
}

/// The brief pace's one line for the model's outcomes held back.
fn brief_model_note(n: usize, out: &mut dyn Write) -> io::Result<()> {
    match n {
        0 => Ok(()),
        1 => writeln!(
            out,
            "  · [model] The war model decided one thing here: type why to see it."
        ),
        n => writeln!(
            out,
            "  · [model] The war model decided {n} things here: type why to see them."
        ),
    }
}
