//! Saved explorations, and merging the parts of one that ran as shards.
//!
//! `explore --seeds 1..1000000 --shard 3/8 --save-result part3.ron` plays
//! the third of eight near-equal parts of the range and writes a
//! [`Saved`] result: format version, scenario, content hash, both policies,
//! the whole range, which shard, and the counts. [`merge`] takes the parts,
//! refuses any that belong to another exploration, and adds the counts up;
//! since a [`Distribution`] holds only whole counts, the merged report is
//! byte for byte the report of one run over the whole range.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::importance::Report as ImportanceReport;
use super::{Distribution, Seeds};
use crate::content::SourceFile;
use crate::fsio;
use crate::runfile::RunError;

/// The current format of saved results.
pub const RESULT_VERSION: u32 = 1;

/// The largest saved result read (a result is a few kilobytes of counts).
pub const MAX_RESULT_BYTES: u64 = 16 * 1024 * 1024;

/// Which part of a range a result covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 1-based part number.
    pub index: u64,
    /// Parts in all.
    pub count: u64,
}

/// A saved exploration (or one shard of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    /// Format version.
    pub version: u32,
    /// Scenario as given on the command line (embedded id or folder).
    pub scenario: String,
    /// Scenario id.
    pub scenario_id: String,
    /// Content hash of the data it was played on.
    pub content_hash: String,
    /// Song policy.
    pub song: String,
    /// Jin policy.
    pub jin: String,
    /// The whole range explored.
    pub range: Seeds,
    /// This part.
    pub shard: Shard,
    /// The seeds of this part.
    pub seeds: Seeds,
    /// Their spread of outcomes.
    pub distribution: Distribution,
    /// Which decisions mattered, if measured (never split into shards).
    #[serde(default)]
    pub importance: Option<ImportanceReport>,
}

/// Why results cannot be read or merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Unreadable, corrupt or of another version.
    #[error("{0}")]
    Read(#[from] RunError),
    /// Another format version.
    #[error(
        "{path} is a version {found} exploration result; this build reads version {RESULT_VERSION}"
    )]
    Version {
        /// File.
        path: String,
        /// Version found.
        found: u32,
    },
    /// Too large to be a result.
    #[error(
        "{path} is {size} bytes; a saved exploration is far smaller (at most {MAX_RESULT_BYTES}), so it is not one"
    )]
    TooLarge {
        /// File.
        path: String,
        /// Its size.
        size: u64,
    },
    /// Not from the same exploration.
    #[error(
        "{path} belongs to another exploration than {first}: its {what} is {theirs}, not {ours}"
    )]
    Mismatch {
        /// The odd file.
        path: String,
        /// The first file.
        first: String,
        /// What differs.
        what: &'static str,
        /// Its value.
        theirs: String,
        /// The first file's value.
        ours: String,
    },
    /// The same shard twice.
    #[error("{a} and {b} are both shard {index}/{count}")]
    Duplicate {
        /// One file.
        a: String,
        /// The other.
        b: String,
        /// Shard.
        index: u64,
        /// Of.
        count: u64,
    },
    /// Shards missing.
    #[error("shards missing from {range}: {}", missing.iter().map(|(k, s)| format!("{k}/{count} (seeds {s})")).collect::<Vec<_>>().join(", "))]
    Missing {
        /// The range.
        range: Seeds,
        /// Parts in all.
        count: u64,
        /// The missing parts and their seeds.
        missing: Vec<(u64, Seeds)>,
    },
    /// A shard whose seeds are not the ones its number gives.
    #[error("{path} says it is shard {index}/{count} but holds seeds {seeds}, not {expected}")]
    WrongSeeds {
        /// File.
        path: String,
        /// Shard.
        index: u64,
        /// Of.
        count: u64,
        /// What it holds.
        seeds: Seeds,
        /// What it should.
        expected: Seeds,
    },
    /// Counts that cannot be right.
    #[error("{path} is damaged: {what}")]
    Damaged {
        /// File.
        path: String,
        /// What is wrong.
        what: String,
    },
    /// Importance measured in a part of many.
    #[error(
        "{path} holds an importance ranking, which is measured over a whole range and cannot be merged with other parts"
    )]
    Importance {
        /// File.
        path: String,
    },
    /// Nothing to merge.
    #[error("give at least one saved result to merge")]
    Empty,
}

impl Saved {
    /// The text form.
    ///
    /// # Errors
    /// The result could not be encoded (then nothing is written: an empty
    /// file never replaces a good one).
    pub fn to_ron(&self) -> Result<String, RunError> {
        let cfg = ron::ser::PrettyConfig::new().depth_limit(4);
        let body =
            ron::ser::to_string_pretty(self, cfg).map_err(|e| RunError::Encode(e.to_string()))?;
        Ok(format!(
            "// Jingkang exploration result. Merge shards with: jingkang explore merge <files>\n{body}\n"
        ))
    }

    /// Writes the file atomically.
    ///
    /// # Errors
    /// The folder cannot be created or written.
    pub fn write(&self, path: &Path) -> Result<(), RunError> {
        fsio::write_atomic(path, self.to_ron()?.as_bytes()).map_err(RunError::from)
    }

    /// Reads and checks a saved result.
    ///
    /// # Errors
    /// Unreadable, too large, corrupt, of another version, or inconsistent.
    pub fn read(path: &Path) -> Result<Saved, MergeError> {
        let name = path.display().to_string();
        let bytes = fsio::read_bounded(path, MAX_RESULT_BYTES, fsio::Links::Follow).map_err(
            |err| match err {
                fsio::ReadError::TooLarge { size, .. } => MergeError::TooLarge {
                    path: name.clone(),
                    size,
                },
                err => MergeError::Read(RunError::Read {
                    path: name.clone(),
                    err,
                }),
            },
        )?;
        let file = SourceFile::new(name.clone(), fsio::text(&bytes));
        let saved: Saved = match crate::content::parse(&file) {
            Ok(s) => s,
            // Another version gets its own message, whatever else differs.
            Err(_) if stated_version(&file.text).is_some_and(|v| v != RESULT_VERSION) => {
                return Err(MergeError::Version {
                    path: name,
                    found: stated_version(&file.text).unwrap_or(0),
                });
            }
            Err(p) => return Err(RunError::Corrupt(Box::new(p)).into()),
        };
        if saved.version != RESULT_VERSION {
            return Err(MergeError::Version {
                path: name,
                found: saved.version,
            });
        }
        let damage = if saved.distribution.runs == saved.seeds.count() {
            saved.distribution.problem()
        } else {
            Some(format!(
                "it counts {} campaigns for {} seeds",
                saved.distribution.runs,
                saved.seeds.count()
            ))
        };
        if let Some(what) = damage {
            return Err(MergeError::Damaged { path: name, what });
        }
        let expected = saved.range.shard(saved.shard.index, saved.shard.count).ok();
        if expected != Some(saved.seeds) {
            return Err(MergeError::WrongSeeds {
                path: name,
                index: saved.shard.index,
                count: saved.shard.count,
                seeds: saved.seeds,
                expected: expected.unwrap_or(saved.range),
            });
        }
        Ok(saved)
    }
}

/// The `version: N` a file states, if it states one.
fn stated_version(text: &str) -> Option<u32> {
    let rest = &text[text.find("version:")? + "version:".len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Merges the parts of one exploration into the result of one run over the
/// whole range.
///
/// # Errors
/// No parts, parts of different explorations, the same shard twice, shards
/// missing, or importance in a part of many.
pub fn merge(parts: &[(String, Saved)]) -> Result<Saved, MergeError> {
    let Some((first_name, first)) = parts.first() else {
        return Err(MergeError::Empty);
    };
    let mut seen: BTreeMap<u64, &str> = BTreeMap::new();
    for (name, p) in parts {
        let checks: [(&'static str, String, String); 6] = [
            ("scenario", p.scenario_id.clone(), first.scenario_id.clone()),
            (
                "content hash",
                p.content_hash.clone(),
                first.content_hash.clone(),
            ),
            ("Song policy", p.song.clone(), first.song.clone()),
            ("Jin policy", p.jin.clone(), first.jin.clone()),
            ("seed range", p.range.to_string(), first.range.to_string()),
            (
                "number of shards",
                p.shard.count.to_string(),
                first.shard.count.to_string(),
            ),
        ];
        for (what, theirs, ours) in checks {
            if theirs != ours {
                return Err(MergeError::Mismatch {
                    path: name.clone(),
                    first: first_name.clone(),
                    what,
                    theirs,
                    ours,
                });
            }
        }
        if p.importance.is_some() && parts.len() > 1 {
            return Err(MergeError::Importance { path: name.clone() });
        }
        if let Some(a) = seen.insert(p.shard.index, name) {
            return Err(MergeError::Duplicate {
                a: a.to_owned(),
                b: name.clone(),
                index: p.shard.index,
                count: p.shard.count,
            });
        }
    }
    let n = first.shard.count;
    let missing: Vec<(u64, Seeds)> = (1..=n)
        .filter(|k| !seen.contains_key(k))
        .filter_map(|k| Some((k, first.range.shard(k, n).ok()?)))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing {
            range: first.range,
            count: n,
            missing,
        });
    }
    let mut distribution = Distribution::default();
    for (_, p) in parts {
        distribution.merge(&p.distribution);
    }
    Ok(Saved {
        shard: Shard { index: 1, count: 1 },
        seeds: first.range,
        distribution,
        ..first.clone()
    })
}
