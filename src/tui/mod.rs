//! The full-screen front end: the council chamber, a map of the war, the
//! court's state and the record side by side.
//!
//! Built in the Elm shape. The model is a [`Game`]: the play
//! [`Session`] (campaign and run file, shared with the line mode) plus the
//! interface's own state, [`ui::Ui`]. A key becomes an [`keys::Action`]
//! through the pure [`keys::handle_key`]; [`Game::apply`] carries it out (it
//! answers councils only through [`crate::sim::Campaign::decide`] and records
//! each answer in the run file exactly as the line mode does); the screen is
//! [`view::Screen`], a view model built from the game, drawn by
//! `impl Widget for &Screen`.
//!
//! [`play`] runs it on the real terminal: raw mode and the alternate screen
//! behind a guard that restores the terminal when dropped, a panic hook that
//! restores it before the panic message, Ctrl-C and Ctrl-D read as keys
//! (save and quit), and the end of input (the terminal closing, a read
//! error, SIGHUP or SIGTERM) saving the game before leaving.
//!
//! ```no_run
//! # use jingkang::view::Session;
//! # fn f(session: Session) -> Result<(), Box<dyn std::error::Error>> {
//! if jingkang::tui::available() {
//!     jingkang::tui::play(session, &mut std::io::stdout())?;
//! }
//! # Ok(()) }
//! ```

pub mod keys;
pub mod map;
pub mod text;
pub mod ui;
pub mod view;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::{cursor, execute, terminal};

use crate::history::Debrief;
use crate::runfile;
use crate::sim::Step;
use crate::view::{Outcome, PlayError, Session};
use keys::{Action, handle_key};
use ui::{Overlay, Pane, Ui};
use view::Screen;

/// The smallest terminal the interface draws in: 80 columns, 24 rows.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// Whether the full-screen interface can run here: standard input and
/// output are terminals at least [`MIN_SIZE`] large.
#[must_use]
pub fn available() -> bool {
    io::stdin().is_terminal()
        && io::stdout().is_terminal()
        && terminal::size().is_ok_and(|(w, h)| w >= MIN_SIZE.0 && h >= MIN_SIZE.1)
}

/// Whether colour is wanted: not when `NO_COLOR` is set and not empty.
#[must_use]
pub fn color_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether the game goes on after an action.
#[derive(Debug)]
pub enum Flow {
    /// Keep playing.
    Continue,
    /// Leave: the game was saved (or the run written) as said.
    Quit(Outcome),
}

/// A game in the full-screen interface: the session plus the interface's
/// state.
pub struct Game {
    /// The campaign and its run file.
    pub session: Session,
    /// The interface's state.
    pub ui: Ui,
    /// Colour on (off under `NO_COLOR`).
    pub color: bool,
    step: Step,
    news_from: (usize, usize),
    debrief: Option<Debrief>,
    run_path: Option<PathBuf>,
}

impl Game {
    /// Starts (or resumes) the session's campaign up to its first council.
    ///
    /// # Errors
    /// The campaign ended at once and its run file could not be written.
    pub fn new(session: Session) -> Result<Game, PlayError> {
        // A resumed game's news is its current month; a new one's is all.
        let news_from = session.news_start();
        let mut game = Game {
            session,
            ui: Ui::default(),
            color: color_wanted(),
            step: Step::Ended,
            news_from,
            debrief: None,
            run_path: None,
        };
        game.advance()?;
        Ok(game)
    }

    /// Where the campaign stands: a council or the end.
    #[must_use]
    pub fn step(&self) -> &Step {
        &self.step
    }

    /// The debrief, once the campaign has ended.
    #[must_use]
    pub fn debrief(&self) -> Option<&Debrief> {
        self.debrief.as_ref()
    }

    /// Where the chronicle's news begins: (entry, line) of the first line
    /// not yet shown at a council.
    #[must_use]
    pub fn news_from(&self) -> (usize, usize) {
        self.news_from
    }

    fn advance(&mut self) -> Result<(), PlayError> {
        self.step = self.session.advance()?;
        match &self.step {
            Step::Council(view) => {
                self.ui.options = view.options.len();
            }
            Step::Ended => {
                self.ui.options = 0;
                self.ui.ended = true;
                if self.debrief.is_none() {
                    let s = self.session.campaign.scenario().clone();
                    self.debrief = Some(self.session.run.debrief(&s, &self.session.campaign));
                    let path = self.session.write_run()?;
                    self.ui.message = format!(
                        "The campaign is over. The run is saved to {}",
                        path.display()
                    );
                    self.run_path = Some(path);
                }
                self.ui.focus_on(Pane::Council);
            }
        }
        self.ui.overlay = Overlay::None;
        self.ui.scroll[Pane::Council.index()] = 0;
        self.ui.follow = true;
        Ok(())
    }

    /// Answers the council with option `n` (1-based), recording it in the
    /// run file as the line mode does.
    fn decide(&mut self, n: usize, why: Option<String>) -> Result<(), PlayError> {
        let Step::Council(view) = &self.step else {
            return Ok(());
        };
        let Some(option) = n.checked_sub(1).and_then(|i| view.options.get(i)).cloned() else {
            return Ok(());
        };
        let view = view.clone();
        let here = self.session.news_end();
        if let Err(e) = self.session.decide(&view, &option.id) {
            self.ui.overlay = Overlay::None;
            self.ui.message = e.to_string();
            return Ok(());
        }
        if let Some(last) = self.session.run.decisions.last_mut() {
            last.why = why;
        }
        self.news_from = here;
        self.advance()?;
        if !self.ui.ended {
            self.ui.message = format!("Decided: {}.", option.label);
        }
        Ok(())
    }

    /// Saves under the default name (or, once ended, points to the run).
    fn save(&mut self) -> Result<PathBuf, PlayError> {
        if let Some(p) = &self.run_path {
            return Ok(p.clone());
        }
        Ok(self.session.save()?)
    }

    /// Leaves: saves first unless the run is already written.
    fn leave(&mut self) -> Result<Outcome, PlayError> {
        if let Some(run) = &self.run_path {
            return Ok(Outcome::Finished { run: run.clone() });
        }
        let save = self.save()?;
        Ok(Outcome::Saved { save })
    }

    /// Input ended (the terminal closed or could not be read): save and go.
    ///
    /// # Errors
    /// The save could not be written.
    pub fn end_of_input(&mut self) -> Result<Outcome, PlayError> {
        if let Some(run) = &self.run_path {
            return Ok(Outcome::Finished { run: run.clone() });
        }
        // No one can be asked any more: if the save folder fails, the
        // temporary folder takes the game.
        let (save, _) = self.session.save_or_fallback()?;
        Ok(Outcome::Saved { save })
    }

    /// Carries out an action.
    ///
    /// # Errors
    /// A save or run file could not be written when leaving, or the run file
    /// could not be written at the end of the campaign. (A failed save
    /// during play is reported on the screen instead.)
    pub fn apply(&mut self, action: Action) -> Result<Flow, PlayError> {
        let ui = &mut self.ui;
        match action {
            Action::Choose(n) => {
                if !ui.ended && (1..=ui.options).contains(&n) {
                    ui.overlay = Overlay::Confirm(n);
                    ui.message.clear();
                }
            }
            Action::NoSuchChoice(n) => {
                ui.message = if ui.ended {
                    "The campaign is over: there is nothing left to decide. q leaves.".to_owned()
                } else {
                    format!(
                        "There is no choice {n}: press a number from 1 to {}.",
                        ui.options
                    )
                };
            }
            Action::Confirm => match ui.overlay {
                // --reflect: ask why before the decision is taken.
                Overlay::Confirm(n) if self.session.run.reflect => {
                    ui.overlay = Overlay::Reflect(n);
                    ui.reason.clear();
                }
                Overlay::Confirm(n) => {
                    ui.overlay = Overlay::None;
                    self.decide(n, None)?;
                }
                Overlay::Reflect(n) => {
                    ui.overlay = Overlay::None;
                    let why = runfile::clean_reason(&ui.reason);
                    ui.reason.clear();
                    self.decide(n, why)?;
                }
                _ => {}
            },
            Action::Cancel => {
                if ui.typing {
                    ui.typing = false;
                } else {
                    ui.overlay = Overlay::None;
                    ui.message.clear();
                }
            }
            Action::NextPane => ui.focus_on(ui.focus.next()),
            Action::PrevPane => ui.focus_on(ui.focus.prev()),
            Action::Focus(p) => ui.focus_on(p),
            Action::Scroll(how) => ui.scroll(how),
            Action::Select(by) => ui.select(by),
            Action::Help => {
                ui.overlay = if ui.overlay == Overlay::Help {
                    Overlay::None
                } else {
                    Overlay::Help
                };
            }
            Action::Save => {
                self.ui.message = match self.save() {
                    Ok(p) if self.run_path.is_some() => {
                        format!("The run is saved to {}", p.display())
                    }
                    Ok(p) => format!("Saved to {}", p.display()),
                    Err(e) => format!("Could not save: {e}"),
                };
            }
            Action::AskQuit => ui.overlay = Overlay::AskQuit,
            Action::Quit => {
                self.ui.overlay = Overlay::None;
                return match self.leave() {
                    Ok(o) => Ok(Flow::Quit(o)),
                    Err(e) => {
                        self.ui.message = format!("Could not save, so the game stays open: {e}");
                        Ok(Flow::Continue)
                    }
                };
            }
            Action::Interrupt => {
                return match self.leave() {
                    Ok(o) => Ok(Flow::Quit(o)),
                    Err(e) => {
                        self.ui.message = format!("Could not save, so the game stays open: {e}");
                        Ok(Flow::Continue)
                    }
                };
            }
            Action::ToggleMap => {
                ui.map_wide = !ui.map_wide;
                ui.message = if ui.map_wide {
                    "The map shows all of north China."
                } else {
                    "The map shows the war zone."
                }
                .to_owned();
            }
            Action::Search => {
                ui.focus_on(Pane::Lookup);
                ui.typing = true;
            }
            Action::Type(c) if matches!(ui.overlay, Overlay::Reflect(_)) => {
                if ui.reason.chars().count() < 500 {
                    ui.reason.push(c);
                }
            }
            Action::Backspace if matches!(ui.overlay, Overlay::Reflect(_)) => {
                ui.reason.pop();
            }
            Action::Type(c) => {
                ui.query.push(c);
                ui.selected = 0;
                ui.scroll[Pane::Lookup.index()] = 0;
            }
            Action::Backspace => {
                ui.query.pop();
                ui.selected = 0;
                ui.scroll[Pane::Lookup.index()] = 0;
            }
        }
        Ok(Flow::Continue)
    }

    /// The screen as it stands.
    #[must_use]
    pub fn screen(&self) -> Screen {
        Screen::new(self)
    }

    /// Updates the interface's knowledge of the search results and scroll
    /// limits after a frame of `area` was drawn.
    pub fn after_frame(&mut self, screen: &Screen, area: ratatui::layout::Rect) {
        self.ui.hits = screen.lookup.hits.len();
        self.ui.selected = self.ui.selected.min(self.ui.hits.saturating_sub(1));
        let mut limits = self.ui.limits;
        for (i, l) in screen.scroll_limits(area).into_iter().enumerate() {
            if let Some(l) = l {
                limits[i] = l;
            }
        }
        self.ui.set_limits(limits);
    }
}

/// Whether the interface holds the terminal (raw mode, alternate screen).
static TAKEN: AtomicBool = AtomicBool::new(false);

/// Restores the terminal: cooked mode, main screen, cursor shown. Does
/// nothing unless the interface holds the terminal, so it is safe to call
/// twice (leaving the alternate screen twice would move the cursor back).
pub fn restore_terminal() {
    if TAKEN.swap(false, Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    }
}

/// Raw mode and the alternate screen for as long as it lives; the terminal
/// is restored when it is dropped, and by a panic hook should anything
/// panic meanwhile.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        TAKEN.store(true, Ordering::SeqCst);
        let guard = TerminalGuard;
        terminal::enable_raw_mode()?;
        execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// What a full-screen session ended with, for the message afterwards.
struct Leaving {
    outcome: Outcome,
    input_ended: bool,
}

/// Plays the session full-screen until the end, a quit, Ctrl-C or the end
/// of input, then restores the terminal and writes where the game or run
/// was saved (and, at the end, the debrief) to `out`.
///
/// # Errors
/// The terminal could not be set up or drawn, or a save or run file could
/// not be written.
pub fn play(session: Session, out: &mut dyn Write) -> Result<Outcome, PlayError> {
    let hangup = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGHUP, signal_hook::consts::SIGTERM] {
        // Without the flag, these signals would end the game unsaved.
        let _ = signal_hook::flag::register(sig, Arc::clone(&hangup));
    }
    let mut game = Game::new(session)?;
    let leaving = {
        let guard = TerminalGuard::enter()?;
        let mut term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        let result = run_loop(&mut game, &mut term, &hangup);
        drop(term);
        drop(guard);
        result?
    };
    match (leaving.input_ended, &leaving.outcome) {
        (_, Outcome::Finished { run }) => {
            if let Some(d) = game.debrief() {
                let text = crate::report::debrief(
                    d,
                    crate::report::Format::Text,
                    crate::report::DEFAULT_WIDTH,
                )?;
                writeln!(out, "{text}")?;
            }
            writeln!(
                out,
                "The run is saved to {}\nReplay it with: jingkang replay {}",
                run.display(),
                run.display()
            )?;
        }
        (true, Outcome::Saved { save }) => {
            writeln!(
                out,
                "Input ended. The game is saved to {}\nResume with: jingkang play --load {}",
                save.display(),
                save.display()
            )?;
        }
        (false, Outcome::Saved { save }) => {
            writeln!(
                out,
                "Saved to {}\nResume with: jingkang play --load {}",
                save.display(),
                save.display()
            )?;
        }
    }
    Ok(leaving.outcome)
}

/// Reads terminal events on a thread of its own and hands them over.
///
/// crossterm's reader spins without returning once the terminal is gone
/// (it reads end of file over and over), so the game loop never waits on
/// it directly: it waits on this channel with a timeout and checks for a
/// hang-up between events.
fn spawn_reader() -> mpsc::Receiver<io::Result<Event>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        loop {
            let ev = event::read();
            let failed = ev.is_err();
            if tx.send(ev).is_err() || failed {
                break;
            }
        }
    });
    rx
}

fn run_loop(
    game: &mut Game,
    term: &mut Terminal<CrosstermBackend<io::Stdout>>,
    hangup: &AtomicBool,
) -> Result<Leaving, PlayError> {
    let events = spawn_reader();
    let mut dirty = true;
    loop {
        // A hung-up terminal is no longer a terminal.
        if hangup.load(Ordering::Relaxed) || !io::stdin().is_terminal() {
            return Ok(Leaving {
                outcome: game.end_of_input()?,
                input_ended: true,
            });
        }
        if dirty {
            let screen = game.screen();
            let mut area = ratatui::layout::Rect::default();
            term.draw(|f| {
                area = f.area();
                f.render_widget(&screen, area);
            })?;
            game.after_frame(&screen, area);
            dirty = false;
        }
        match events.recv_timeout(Duration::from_millis(200)) {
            Ok(Ok(Event::Key(key))) => {
                if let Some(action) = handle_key(&game.ui, key) {
                    if let Flow::Quit(o) = game.apply(action)? {
                        return Ok(Leaving {
                            outcome: o,
                            input_ended: false,
                        });
                    }
                    dirty = true;
                }
            }
            Ok(Ok(Event::Resize(..))) => {
                term.autoresize()?;
                dirty = true;
            }
            Ok(Ok(_)) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Ok(Leaving {
                    outcome: game.end_of_input()?,
                    input_ended: true,
                });
            }
        }
    }
}
