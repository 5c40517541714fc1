//! Run files and saves.
//!
//! A run is scenario + content hash + seed + seats + the decisions people
//! made; everything else follows deterministically. A [`RunFile`] holds
//! exactly that, in RON, with a format version. A save is a run file that is
//! not yet complete: loading it replays its decisions and hands the council
//! back to the player. Files are written atomically (a temporary file in the
//! same folder, then a rename), so a crash or a full disk never leaves a
//! half-written file in place of a good one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::content::model::Court;
use crate::content::{Problem, Scenario, SourceFile};
use crate::fsio;
use crate::history::{self, Debrief, RunInfo};
use crate::pace::Pace;
use crate::policy::PolicyKind;
use crate::sim::{Campaign, Seat, Seats, Step};

/// The current run-file format. Version 2 came with the war model of issue
/// 7 (rules version 2): a run played under the old model cannot be replayed
/// under the new one, so older files are refused with their version named.
pub const FORMAT_VERSION: u32 = 2;

/// Just the version of a run file, read before the rest so that an old or
/// newer file is refused by its version rather than by its fields.
#[derive(Deserialize)]
#[serde(rename = "RunFile")]
struct VersionOnly {
    version: u32,
}

/// A run or save.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RunFile {
    /// Format version.
    pub version: u32,
    /// Scenario id (embedded) or path (from disk).
    pub scenario: String,
    /// Content hash of the data it was played on.
    pub content_hash: String,
    /// Run seed.
    pub seed: u64,
    /// Who decided for each court.
    pub seats: Vec<(Court, Seat)>,
    /// Decisions people made, in order.
    pub decisions: Vec<RunDecision>,
    /// Whether the campaign reached its end.
    pub complete: bool,
    /// The player's name, if they gave one (`--player`, or the start menu).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player: Option<String>,
    /// How much the game said: full texts or the short ones for a lesson.
    #[serde(default, skip_serializing_if = "Pace::is_full")]
    pub pace: Pace,
    /// The player is asked "why?" after each decision (`--reflect`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reflect: bool,
}

/// A decision a person made.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct RunDecision {
    /// Decision id.
    pub decision: String,
    /// Option id.
    pub option: String,
    /// Month id (for readers; replay checks the decision id).
    pub month: String,
    /// The player's answer to "why?" (`--reflect`), if they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// What to tell the holder of a run file of another version.
fn version_advice(found: u32) -> &'static str {
    if found < 2 {
        "It was played under the old war model (before forces, supply and season decided the fights); its decisions cannot be replayed under the new rules. Start the chapter again with: jingkang play"
    } else {
        "It was written by a newer build of Jingkang; use that build to open it."
    }
}

/// Why a run file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The file could not be read: missing, not a plain file, too large.
    #[error("cannot read {path}: {err}")]
    Read {
        /// File.
        path: String,
        /// Cause.
        err: fsio::ReadError,
    },
    /// The file would replace another.
    #[error("{path} already exists; it was left as it is (choose another name)")]
    Exists {
        /// File.
        path: String,
    },
    /// The run could not be put in RON.
    #[error("the run could not be written as RON: {0}")]
    Encode(String),
    /// The file could not be written.
    #[error("{path}: {err}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        err: std::io::Error,
    },
    /// The file is not a run file (corrupt or truncated).
    #[error("{0}")]
    Corrupt(Box<Problem>),
    /// A newer or older format.
    #[error(
        "{path} is a version {found} run file; this build reads version {FORMAT_VERSION}. {}",
        version_advice(*found)
    )]
    Version {
        /// File.
        path: String,
        /// Version found.
        found: u32,
    },
    /// Played on different data.
    #[error(
        "{path} was played on content {saved} but this build's \"{scenario}\" is content {current}; \
         it cannot be resumed or replayed on different data (use the build it was made with)"
    )]
    Hash {
        /// File.
        path: String,
        /// Scenario.
        scenario: String,
        /// Hash in the file.
        saved: String,
        /// Hash now.
        current: String,
    },
    /// The decisions do not fit the campaign.
    #[error("{path}: {what}")]
    Mismatch {
        /// File.
        path: String,
        /// What went wrong.
        what: String,
    },
}

impl RunFile {
    /// A new, empty run.
    #[must_use]
    pub fn new(scenario: &str, s: &Scenario, seed: u64, seats: &Seats) -> RunFile {
        RunFile {
            version: FORMAT_VERSION,
            scenario: scenario.to_owned(),
            content_hash: s.content_hash.clone(),
            seed,
            seats: seats.0.iter().map(|(c, s)| (*c, s.clone())).collect(),
            decisions: Vec::new(),
            complete: false,
            player: None,
            pace: Pace::Full,
            reflect: false,
        }
    }

    /// Who played what, for the debrief's heading: the seats, the player's
    /// name and the pace.
    #[must_use]
    pub fn run_info(&self) -> RunInfo {
        let mut info = run_info(self.seed, &self.seats());
        info.player.clone_from(&self.player);
        info.pace = self.pace.key().to_owned();
        info
    }

    /// The seats as a resource.
    #[must_use]
    pub fn seats(&self) -> Seats {
        Seats(self.seats.iter().cloned().collect())
    }

    /// The court a person plays, if any.
    #[must_use]
    pub fn side(&self) -> Option<Court> {
        self.seats
            .iter()
            .find(|(_, s)| *s == Seat::Human)
            .map(|(c, _)| *c)
    }

    /// The text form.
    ///
    /// # Errors
    /// The run could not be written as RON (never for a run built by the
    /// game; reported rather than written as an empty file).
    pub fn to_ron(&self) -> Result<String, RunError> {
        let cfg = ron::ser::PrettyConfig::new().depth_limit(3);
        let body =
            ron::ser::to_string_pretty(self, cfg).map_err(|e| RunError::Encode(e.to_string()))?;
        Ok(format!(
            "// Jingkang run file. Replay with: jingkang replay <this file>\n{body}\n"
        ))
    }

    /// Writes the file atomically, replacing the file at `path`.
    ///
    /// # Errors
    /// The folder cannot be created or written.
    pub fn write(&self, path: &Path) -> Result<(), RunError> {
        fsio::write_atomic(path, self.to_ron()?.as_bytes()).map_err(RunError::from)
    }

    /// Writes the file atomically to a new path, refusing to replace a file
    /// already there.
    ///
    /// # Errors
    /// The path is taken, or the folder cannot be written.
    pub fn write_new(&self, path: &Path) -> Result<(), RunError> {
        if fsio::write_new(path, self.to_ron()?.as_bytes())? {
            Ok(())
        } else {
            Err(RunError::Exists {
                path: path.display().to_string(),
            })
        }
    }

    /// Writes the file atomically to the first free name `<stem>.ron`,
    /// `<stem>-2.ron`, … in a folder; returns the path.
    ///
    /// # Errors
    /// The folder cannot be created or written.
    pub fn write_numbered(&self, dir: &Path, stem: &str) -> Result<PathBuf, RunError> {
        Ok(fsio::write_numbered(
            dir,
            &fsio::file_stem(stem),
            self.to_ron()?.as_bytes(),
        )?)
    }

    /// Reads and checks a run file.
    ///
    /// # Errors
    /// Unreadable, corrupt, or of another format version.
    pub fn read(path: &Path) -> Result<RunFile, RunError> {
        let name = path.display().to_string();
        let bytes =
            fsio::read_bounded(path, fsio::MAX_RUN_FILE, fsio::Links::Follow).map_err(|err| {
                RunError::Read {
                    path: name.clone(),
                    err,
                }
            })?;
        let file = SourceFile::new(name.clone(), fsio::text(&bytes));
        if let Ok(v) = crate::content::parse::<VersionOnly>(&file)
            && v.version != FORMAT_VERSION
        {
            return Err(RunError::Version {
                path: name,
                found: v.version,
            });
        }
        let run: RunFile =
            crate::content::parse(&file).map_err(|p| RunError::Corrupt(Box::new(p)))?;
        if run.version != FORMAT_VERSION {
            return Err(RunError::Version {
                path: name,
                found: run.version,
            });
        }
        Ok(run)
    }

    /// Refuses a run made on other data.
    ///
    /// # Errors
    /// The content hashes differ.
    pub fn check_hash(&self, path: &Path, s: &Scenario) -> Result<(), RunError> {
        if self.content_hash == s.content_hash {
            Ok(())
        } else {
            Err(RunError::Hash {
                path: path.display().to_string(),
                scenario: self.scenario.clone(),
                saved: self.content_hash.clone(),
                current: s.content_hash.clone(),
            })
        }
    }

    /// The debrief of a campaign played from this file: the comparison with
    /// the record, with the player's name, pace and reasons.
    #[must_use]
    pub fn debrief(&self, s: &Scenario, campaign: &Campaign) -> Debrief {
        let mut d = history::compare(s, &campaign.ledger(), self.run_info());
        d.add_reflections(
            self.decisions
                .iter()
                .filter_map(|x| Some((x.decision.as_str(), x.why.as_deref()?))),
        );
        d.figures = Some(crate::report::figures::Figures::of(
            s,
            campaign,
            &d.milestones,
        ));
        d
    }

    /// Rebuilds the campaign and replays the recorded decisions. Returns the
    /// campaign, stopped at the next council or at the end.
    ///
    /// # Errors
    /// A recorded decision does not match the council the campaign reaches.
    pub fn restore(&self, path: &Path, s: &Arc<Scenario>) -> Result<(Campaign, Step), RunError> {
        let mut c = Campaign::new(s.clone(), self.seed, self.seats());
        let mut step = c.advance();
        for d in &self.decisions {
            let Step::Council(view) = &step else {
                return Err(RunError::Mismatch {
                    path: path.display().to_string(),
                    what: format!(
                        "the campaign ended before the recorded decision {} could be taken",
                        d.decision
                    ),
                });
            };
            if view.decision != d.decision {
                return Err(RunError::Mismatch {
                    path: path.display().to_string(),
                    what: format!(
                        "the file records {} next but the campaign asks {}",
                        d.decision, view.decision
                    ),
                });
            }
            c.decide(&d.option).map_err(|e| RunError::Mismatch {
                path: path.display().to_string(),
                what: e.to_string(),
            })?;
            step = c.advance();
        }
        Ok((c, step))
    }
}

/// A player's name as it may be kept: control characters and bidi
/// overrides removed, spaces collapsed, at most 60 characters; `None` if
/// nothing is left.
#[must_use]
pub fn clean_player_name(name: &str) -> Option<String> {
    let clean = crate::report::strip_controls(name);
    let words: Vec<&str> = clean.split_whitespace().collect();
    let joined: String = words.join(" ").chars().take(60).collect();
    let joined = joined.trim().to_owned();
    (!joined.is_empty()).then_some(joined)
}

/// A player's reason as it may be kept: control characters and bidi
/// overrides removed, spaces collapsed, at most 500 characters; `None` if
/// nothing is left.
#[must_use]
pub fn clean_reason(text: &str) -> Option<String> {
    let clean = crate::report::strip_controls(text);
    let joined: String = clean
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(500)
        .collect();
    (!joined.is_empty()).then_some(joined)
}

/// The run info for a debrief.
#[must_use]
pub fn run_info(seed: u64, seats: &Seats) -> RunInfo {
    let name = |c: Court| match seats.of(c) {
        Seat::Human => "player".to_owned(),
        Seat::Policy(p) => p.to_string(),
    };
    let focus = Court::ALL
        .into_iter()
        .find(|c| seats.of(*c) == Seat::Human)
        .unwrap_or(Court::Song);
    RunInfo {
        seed,
        focus,
        song: name(Court::Song),
        jin: name(Court::Jin),
        player: None,
        pace: "full".to_owned(),
    }
}

/// Plays a campaign with both courts on policies to its end and lays it
/// beside the record.
#[must_use]
pub fn run_headless(
    s: &Arc<Scenario>,
    seed: u64,
    song: PolicyKind,
    jin: PolicyKind,
) -> (Campaign, Debrief) {
    let seats = Seats::policies(song, jin);
    let c = play_headless(s, seed, seats.clone());
    let d = history::compare(s, &c.ledger(), run_info(seed, &seats));
    (c, d)
}

/// Plays a campaign with both courts on policies to its end, with no
/// debrief: the explorer reads what it needs from the ledger
/// ([`Campaign::ledger_ref`]).
#[must_use]
pub fn play_headless(s: &Arc<Scenario>, seed: u64, seats: Seats) -> Campaign {
    let mut c = Campaign::new(s.clone(), seed, seats);
    // With no human seat, advance only stops at the end.
    while let Step::Council(view) = c.advance() {
        // Unreachable with two policy seats; answer defensively.
        if c.decide(&view.options[0].id).is_err() {
            break;
        }
    }
    c
}

impl From<fsio::WriteError> for RunError {
    fn from(e: fsio::WriteError) -> RunError {
        RunError::Io {
            path: e.path,
            err: e.err,
        }
    }
}

/// The default folder for saves and runs: the platform data folder.
#[must_use]
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("org", "Jingkang", "jingkang").map_or_else(
        || PathBuf::from(".jingkang"),
        |d| d.data_dir().to_path_buf(),
    )
}
