//! The line mode: numbered choices and line input.
//!
//! Works for screen readers, pipes and scripts:
//! `printf '1\n2\n' | jingkang play --plain`. It prints what the shared
//! view ([`crate::view`]) makes of the campaign — the chronicle, the
//! council, the state, the record, the map — as text wrapped to the
//! terminal's width (East Asian wide characters count two columns), reads a
//! line, and either answers the council or runs a command (`help`,
//! `status`, `map`, `chronicle`, `advisors`, `record`, `who`, `where`,
//! `term`, `save`, `quit`). Anything else re-prompts with a clear message.
//! End of input saves and exits. With [`Options::screen_reader`] the
//! decorative rules and symbols give way to words.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use crate::lookup::Kind;
use crate::report::wrap;
use crate::runfile;
use crate::sim::{CouncilView, Step};
use crate::view::{self, ChronMonth, Outcome, PlayError, Session};

/// How the line mode lays out its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The terminal's width in columns (80 when output is not a terminal).
    pub width: usize,
    /// Words instead of decorative rules and symbols (`--screen-reader`).
    pub screen_reader: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            width: 80,
            screen_reader: false,
        }
    }
}

impl Options {
    /// The width prose is wrapped to: the terminal less a small margin.
    fn text(self) -> usize {
        self.width.saturating_sub(4).clamp(20, 200)
    }

    /// A separator between the parts of a label: ` · `, or `, ` for a
    /// screen reader.
    fn sep(self) -> &'static str {
        if self.screen_reader { ", " } else { " · " }
    }

    /// A rule across the text, or nothing for a screen reader.
    fn rule(self, c: char) -> Option<String> {
        (!self.screen_reader).then(|| c.to_string().repeat(self.text()))
    }
}

/// The width of the terminal standard output is, if it is one.
#[must_use]
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
        .filter(|w| *w > 0)
}

/// A game played in the line mode.
pub struct Plain {
    /// The game.
    pub session: Session,
    /// Layout.
    pub opts: Options,
    printed: (usize, usize),
}

impl Plain {
    /// The line mode for a session.
    #[must_use]
    pub fn new(session: Session, opts: Options) -> Plain {
        let printed = session.news_start();
        Plain {
            session,
            opts,
            printed,
        }
    }

    fn w(&self, text: &str, indent: &str) -> String {
        wrap(text, self.opts.text(), indent, indent)
    }

    fn w2(&self, text: &str, first: &str, indent: &str) -> String {
        wrap(text, self.opts.text(), first, indent)
    }

    /// The opening: title, months, the court played and the intro.
    ///
    /// # Errors
    /// Output failed.
    pub fn intro(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = self.session.scenario();
        let cal = s.calendar();
        let side = self.session.side;
        let title = s.meta.title.to_uppercase();
        writeln!(out, "{title}")?;
        if !self.opts.screen_reader {
            writeln!(out, "{}", "─".repeat(s.meta.title.chars().count()))?;
        }
        writeln!(
            out,
            "{}",
            self.w(
                &format!(
                    "{} – {}, as the {} court{}seed {}",
                    cal.label(s.start, side),
                    cal.label(s.end, side),
                    side.name(),
                    self.opts.sep(),
                    self.session.run.seed
                ),
                ""
            )
        )?;
        writeln!(
            out,
            "\n{}\n\n{}",
            self.w(self.session.run.pace.intro(&s), ""),
            self.w("Type help at any prompt for the commands.", "")
        )
    }

    fn print_months(&self, months: &[ChronMonth], out: &mut dyn Write) -> io::Result<()> {
        let sr = self.opts.screen_reader;
        // In the brief pace the model's lines are counted, not printed:
        // `why` lists them.
        let brief = self.session.run.pace == crate::pace::Pace::Brief;
        for m in months {
            if m.continued {
                // The month's head was printed with its first news.
            } else if sr {
                let other = m
                    .other
                    .as_ref()
                    .map(|o| format!(" In the Song reckoning: {o}."))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "\n{}",
                    self.w(&format!("Month: {}.{other}", m.label), "")
                )?;
            } else {
                writeln!(out, "\n{}", self.w(&format!("── {} ──", m.label), ""))?;
                if let Some(o) = &m.other {
                    writeln!(out, "{}", self.w(&format!("({o})"), "   "))?;
                }
            }
            let mut model_lines = 0;
            for l in &m.lines {
                if brief {
                    if l.mark == view::Mark::Model {
                        model_lines += 1;
                        continue;
                    }
                    self.brief_model_note(model_lines, out)?;
                    model_lines = 0;
                }
                let lead = if sr {
                    format!("{} ", l.mark.word())
                } else {
                    format!("{} ", l.mark.symbol())
                };
                let tag = if sr {
                    l.tag.replace(" · ", ", ")
                } else {
                    l.tag.clone()
                };
                match l.mark {
                    view::Mark::Dispatch => {
                        writeln!(
                            out,
                            "\n{}",
                            self.w2(&format!("{} {tag}", l.title), &lead, "  ")
                        )?;
                        writeln!(out, "{}", self.w(&l.text, "  "))?;
                    }
                    view::Mark::Decision => writeln!(
                        out,
                        "\n{}",
                        self.w2(&format!("{} {}", l.title, l.text), &lead, "  ")
                    )?,
                    view::Mark::Consequence => {
                        writeln!(out, "\n{}", self.w2(&l.text, &lead, "  "))?;
                    }
                    view::Mark::Model => {
                        let first = if sr {
                            lead.clone()
                        } else {
                            format!("  {lead}")
                        };
                        writeln!(
                            out,
                            "{}",
                            self.w2(&format!("{} {tag}", l.text), &first, "    ")
                        )?;
                    }
                }
            }
            self.brief_model_note(model_lines, out)?;
        }
        Ok(())
    }

    /// The brief pace's one line for the model's outcomes held back.
    fn brief_model_note(&self, n: usize, out: &mut dyn Write) -> io::Result<()> {
        let text = match n {
            0 => return Ok(()),
            1 => "[model] The war model decided one thing here: type why to see it.".to_owned(),
            n => format!("[model] The war model decided {n} things here: type why to see them."),
        };
        let lead = if self.opts.screen_reader {
            format!("{} ", view::Mark::Model.word())
        } else {
            format!("  {} ", view::Mark::Model.symbol())
        };
        writeln!(out, "{}", self.w2(&text, &lead, "    "))
    }

    /// Prints chronicle lines not yet shown.
    fn print_new(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let s = self.session.scenario();
        let c = &self.session.campaign;
        let months = view::chron_months(
            &s,
            c,
            self.session.side,
            self.printed,
            self.session.run.pace,
        );
        self.print_months(&months, out)?;
        self.printed = self.session.news_end();
        Ok(())
    }

    fn print_council(&self, v: &CouncilView, out: &mut dyn Write) -> io::Result<()> {
        match self.opts.rule('═') {
            Some(rule) => {
                writeln!(out, "\n{rule}")?;
                writeln!(out, "{}", self.w(&format!("COUNCIL — {}", v.title), ""))?;
                writeln!(out, "{rule}")?;
            }
            None => writeln!(out, "\n{}", self.w(&format!("Council: {}.", v.title), ""))?,
        }
        writeln!(out, "{}", self.w(&v.situation, ""))?;
        self.print_advisors(v, out)?;
        writeln!(out, "\nYour choices:")?;
        for (i, o) in v.options.iter().enumerate() {
            writeln!(
                out,
                "{}",
                self.w2(&o.label, &format!("  {}. ", i + 1), "     ")
            )?;
            if !o.detail.is_empty() {
                writeln!(out, "{}", self.w(&o.detail, "     "))?;
            }
        }
        Ok(())
    }

    fn print_advisors(&self, v: &CouncilView, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "\nThe advisors speak:")?;
        let dash = if self.opts.screen_reader {
            ", "
        } else {
            " — "
        };
        for a in &v.advisors {
            let head = if a.office.is_empty() {
                a.name.clone()
            } else {
                format!("{}{dash}{}", a.name, a.office)
            };
            writeln!(out, "\n{}", self.w(&head, "  "))?;
            writeln!(
                out,
                "{}",
                self.w(&format!("urges: {}   [{}]", a.urges, a.basis), "  ")
            )?;
            writeln!(out, "{}", self.w(&a.argues, "    "))?;
        }
        Ok(())
    }

    fn print_status(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = self.session.scenario();
        let side = self.session.side;
        let st = view::state(&s, &self.session.campaign, side);
        writeln!(
            out,
            "\n{}",
            self.w(
                &format!(
                    "The state of the {} court, {}:",
                    side.name(),
                    s.calendar().label(self.session.campaign.month(), side)
                ),
                ""
            )
        )?;
        let name_w = st
            .gauges
            .iter()
            .map(|g| unicode_width::UnicodeWidthStr::width(g.name))
            .max()
            .unwrap_or(0);
        for g in &st.gauges {
            let line = if name_w + 4 + g.word.len() <= self.opts.text() {
                let pad = " ".repeat(name_w - unicode_width::UnicodeWidthStr::width(g.name));
                format!("  {}{pad}   {}", g.name, g.word)
            } else {
                format!("  {}: {}", g.name, g.word)
            };
            writeln!(out, "{}", self.w(&line, "      ").trim_end())?;
        }
        for (head, list) in &st.grievances {
            writeln!(out, "{}", self.w(head, "  "))?;
            for g in list {
                writeln!(out, "{}", self.w2(g, "    - ", "      "))?;
            }
        }
        self.print_places(&st, out)?;
        writeln!(
            out,
            "{}",
            self.w(
                "(Gauges are the court's own impression; exact figures are hidden.)",
                "  "
            )
        )
    }

    fn print_places(&self, st: &view::StateModel, out: &mut dyn Write) -> io::Result<()> {
        if !st.places.is_empty() {
            writeln!(out, "  Places:")?;
            for p in &st.places {
                writeln!(
                    out,
                    "{}",
                    self.w2(&format!("{}: {}", p.name, p.holding()), "    ", "      ")
                )?;
            }
        }
        Ok(())
    }

    /// `map`: the places with their holders, the armies and the sieges, as
    /// text.
    fn print_map(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = self.session.scenario();
        let side = self.session.side;
        let c = &self.session.campaign;
        let st = view::state(&s, c, side);
        writeln!(
            out,
            "\n{}",
            self.w(
                &format!(
                    "The map, {}: who holds what, where the armies stand.",
                    s.calendar().label(c.month(), side)
                ),
                ""
            )
        )?;
        self.print_places(&st, out)?;
        if st.armies.is_empty() {
            writeln!(out, "  No army is in the field.")?;
        } else {
            writeln!(out, "  Armies:")?;
            for (_, a) in &st.armies {
                writeln!(out, "{}", self.w2(a, "    ", "      "))?;
            }
        }
        let sieges: Vec<&str> = st
            .places
            .iter()
            .filter(|p| p.besieged)
            .map(|p| p.name.as_str())
            .collect();
        let sieges = if sieges.is_empty() {
            "none".to_owned()
        } else {
            sieges.join(", ")
        };
        writeln!(out, "{}", self.w(&format!("Under siege: {sieges}."), "  "))
    }

    /// `chronicle`: the whole chronicle so far.
    fn print_chronicle(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = self.session.scenario();
        let months = view::chron_months(
            &s,
            &self.session.campaign,
            self.session.side,
            (0, 0),
            self.session.run.pace,
        );
        writeln!(out, "\nThe chronicle so far:")?;
        self.print_months(&months, out)
    }

    fn print_record(&self, pending: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
        let s = self.session.scenario();
        let items = view::record(&s, self.session.campaign.month(), false, pending);
        writeln!(
            out,
            "\n{}",
            self.w(
                "The record up to the month before this one (what the sources say happened):",
                ""
            )
        )?;
        if items.is_empty() {
            writeln!(out, "  Nothing yet within this chapter.")?;
        }
        let sep = self.opts.sep();
        for r in &items {
            let head = if self.opts.screen_reader {
                format!(
                    "{} {}",
                    r.head.replace(" · ", sep),
                    r.tag.replace(" · ", sep)
                )
            } else {
                format!("{} {}", r.head, r.tag)
            };
            writeln!(out, "{}", self.w2(&head, "  ", "      "))?;
            writeln!(out, "{}", self.w(&r.summary, "      "))?;
            for v in &r.versions {
                writeln!(out, "{}", self.w(v, "      "))?;
            }
        }
        writeln!(
            out,
            "{}",
            self.w(&format!("({})", view::RECORD_WITHHELD), "  ")
        )
    }

    fn help(out: &mut dyn Write, n: usize) -> io::Result<()> {
        writeln!(
            out,
            "\nType a number from 1 to {n} to decide. Other commands:\n  \
             status          the court's state (gauges, grievances, places)\n  \
             map             places and who holds them, armies, sieges\n  \
             chronicle       everything that has happened so far\n  \
             advisors        hear the advisors again\n  \
             record          what the sources record so far (never the answer to this council)\n  \
             why             the model's reasons for the latest outcomes (sieges, battles, councils)
             who NAME        a person\n  \
             where PLACE     a place\n  \
             term WORD       an office or term\n  \
             save [NAME]     save the game\n  \
             quit            save and leave\n  \
             help            this list"
        )
    }

    /// Plays until the end, a quit, or the end of input.
    ///
    /// # Errors
    /// Writing to the output failed (other than a closed pipe), or a save
    /// could not be written when input ended.
    pub fn play(
        &mut self,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<Outcome, PlayError> {
        loop {
            let step = self.session.advance()?;
            self.print_new(out)?;
            match step {
                Step::Ended => return self.finish(out),
                Step::Council(view) => {
                    let view = self
                        .session
                        .run
                        .pace
                        .council(&self.session.scenario(), view);
                    self.print_council(&view, out)?;
                    loop {
                        write!(
                            out,
                            "\nYour decision [1-{}] (or help): ",
                            view.options.len()
                        )?;
                        out.flush()?;
                        let mut line = String::new();
                        let n = match input.read_line(&mut line) {
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
                            return self.input_ended(out);
                        }
                        match self.command(line.trim(), &view, out)? {
                            Some(Ok(option)) => {
                                if let Err(e) = self.session.decide(&view, &option) {
                                    writeln!(out, "{e}")?;
                                    continue;
                                }
                                if self.session.run.reflect {
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

    fn input_ended(&mut self, out: &mut dyn Write) -> Result<Outcome, PlayError> {
        let (path, failed) = self.session.save_or_fallback()?;
        if let Some(e) = failed {
            writeln!(
                out,
                "\n\n{}",
                self.w(
                    &format!(
                        "Could not save where asked ({e}), so the game went to the temporary folder instead."
                    ),
                    ""
                )
            )?;
        }
        writeln!(
            out,
            "\n\nInput ended. The game is saved to {}\nResume with: jingkang play --load {}",
            path.display(),
            path.display()
        )?;
        Ok(Outcome::Saved { save: path })
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
        if let Some(last) = self.session.run.decisions.last_mut() {
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
                "There is no choice {}: type a number from 1 to {n}.",
                crate::content::shorten(cmd, 20)
            )?;
            return Ok(None);
        }
        let cmd = cmd.to_lowercase();
        match cmd.as_str() {
            "" => writeln!(out, "Type a number from 1 to {n}, or help.")?,
            "help" | "?" | "h" => Plain::help(out, n)?,
            "status" => self.print_status(out)?,
            "map" => self.print_map(out)?,
            "chronicle" | "news" => self.print_chronicle(out)?,
            "advisors" => self.print_advisors(view, out)?,
            "record" => self.print_record(Some(&view.decision), out)?,
            "why" => {
                let lines = self.session.campaign.why_lines(12);
                if lines.is_empty() {
                    writeln!(out, "{}", self.w(view::WHY_NOTHING_YET, ""))?;
                } else {
                    writeln!(
                        out,
                        "\nWhat the model did, latest last (simulation, not history):"
                    )?;
                    for l in lines {
                        writeln!(out, "{}", self.w2(&l, "", "  "))?;
                    }
                }
            }
            "options" | "choices" | "council" => self.print_council(view, out)?,
            "who" | "where" | "term" => {
                let kind = match cmd.as_str() {
                    "who" => Kind::Person,
                    "where" => Kind::Place,
                    _ => Kind::Term,
                };
                let answer =
                    crate::lookup::look_up(&self.session.scenario(), kind, arg, Some(view.as_of));
                writeln!(out, "{}", answer.to_text(self.opts.text()))?;
            }
            "save" => {
                let saved = if arg.is_empty() {
                    self.session.save()
                } else {
                    self.session.save_as(arg)
                };
                match saved {
                    Ok(path) => writeln!(out, "Saved to {}", path.display())?,
                    Err(e) => writeln!(
                        out,
                        "{}",
                        self.w(
                            &format!(
                                "Could not save: {e}. The game goes on; try save NAME, or another --save-dir next time."
                            ),
                            ""
                        )
                    )?,
                }
            }
            "quit" | "exit" | "q" => match self.session.save() {
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
                    "{}",
                    self.w(
                        &format!(
                            "Could not save, so the game stays open: {e}. Try save NAME to save elsewhere in the saves folder, or keep playing."
                        ),
                        ""
                    )
                )?,
            },
            _ => {
                writeln!(
                    out,
                    "{}",
                    self.w(
                        &format!(
                            "I did not understand \"{}\". Type a number from 1 to {n} to decide, or help for the commands.",
                            crate::content::shorten(line, 40)
                        ),
                        ""
                    )
                )?;
            }
        }
        Ok(None)
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<Outcome, PlayError> {
        let s = self.session.scenario();
        self.session.run.complete = true;
        let debrief = self.session.run.debrief(&s, &self.session.campaign);
        let text = crate::report::debrief(
            &debrief,
            crate::report::Format::Text,
            crate::report::DEFAULT_WIDTH,
        )?;
        writeln!(out, "\n{text}")?;
        let path = self.session.write_run()?;
        writeln!(
            out,
            "The run is saved to {}\nReplay it with: jingkang replay {}",
            path.display(),
            path.display()
        )?;
        Ok(Outcome::Finished { run: path })
    }
}
