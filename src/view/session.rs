//! A play session: the campaign, its run file and where it is saved —
//! what both front ends drive. The line mode ([`crate::plain`]) and the
//! full-screen interface ([`crate::tui`]) answer councils through
//! [`Session::decide`] and save through [`Session::save`], so a game's run
//! file, saves and resumes are the same whichever front end plays it.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use crate::content::Scenario;
use crate::content::model::Court;
use crate::runfile::{RunDecision, RunError, RunFile};
use crate::sim::{Campaign, CouncilView, DecideError, Step};

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
    resumed: bool,
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
            resumed: false,
        }
    }

    /// The same session with the player's name (used in the save's name).
    #[must_use]
    pub fn with_player(mut self, player: Option<String>) -> Session {
        self.player = player.filter(|p| !p.trim().is_empty());
        self.run.player.clone_from(&self.player);
        self
    }

    /// A session resumed from the save `from`; saving writes back to
    /// `from`.
    #[must_use]
    pub fn resumed(
        campaign: Campaign,
        run: RunFile,
        side: Court,
        data_dir: PathBuf,
        from: PathBuf,
    ) -> Session {
        let run_player = run.player.clone();
        Session {
            campaign,
            run,
            side,
            data_dir,
            player: run_player,
            save_path: Some(from),
            resumed: true,
        }
    }

    /// The scenario.
    #[must_use]
    pub fn scenario(&self) -> Arc<Scenario> {
        self.campaign.scenario().clone()
    }

    /// Where the news to show first begins, as (chronicle entry, line): a
    /// new game shows everything; a resumed one the month it stopped in.
    #[must_use]
    pub fn news_start(&self) -> (usize, usize) {
        if self.resumed {
            (self.campaign.chronicle().entries.len().saturating_sub(1), 0)
        } else {
            (0, 0)
        }
    }

    /// Where the chronicle ends now, as (entry, line): news after this
    /// point has not been shown yet.
    #[must_use]
    pub fn news_end(&self) -> (usize, usize) {
        let entries = &self.campaign.chronicle().entries;
        (
            entries.len().saturating_sub(1),
            entries.last().map_or(0, |e| e.lines.len()),
        )
    }

    /// Runs the campaign to the next council or its end.
    ///
    /// # Errors
    /// The campaign gave up without reaching an ending (its bound on
    /// updates ran out, which a sound scenario never reaches): rather than
    /// tell the player the campaign ended, the game is saved and the
    /// error names the month and the save.
    pub fn advance(&mut self) -> Result<Step, PlayError> {
        let step = self.campaign.advance();
        if matches!(step, Step::Ended) && !self.campaign.ended() {
            let s = self.scenario();
            let month = s.calendar().label(self.campaign.month(), self.side);
            let save = self.save_or_fallback().ok().map(|(p, _)| p);
            return Err(PlayError::Stalled { month, save });
        }
        Ok(step)
    }

    /// Records the player's answer in the run file and gives it to the
    /// campaign; a refused answer leaves the run file as it was.
    ///
    /// # Errors
    /// The campaign refused the answer (no council, no such option).
    pub fn decide(&mut self, view: &CouncilView, option: &str) -> Result<(), DecideError> {
        self.run.decisions.push(RunDecision {
            decision: view.decision.clone(),
            option: option.to_owned(),
            month: self.scenario().calendar().month(view.month).id.clone(),
            why: None,
        });
        if let Err(e) = self.campaign.decide(option) {
            self.run.decisions.pop();
            return Err(e);
        }
        Ok(())
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

/// A player's name as part of a run file's name: letters and digits kept
/// (in any script), anything else a single `-`, at most 40 characters.
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
    /// The campaign stopped without reaching an ending.
    #[error(
        "the campaign stopped in {month} without reaching an ending (the scenario never settles); {}",
        save.as_ref().map_or_else(
            || "the game could not be saved".to_owned(),
            |p| format!("the game is saved to {}", p.display())
        )
    )]
    Stalled {
        /// The month it stopped in.
        month: String,
        /// Where the game was saved, if it could be.
        save: Option<PathBuf>,
    },
}
