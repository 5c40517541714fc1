//! How a court decides when no person does.
//!
//! - `recorded`: the recorded option where one exists, otherwise the option
//!   the adaptive weights favour without noise;
//! - `adaptive`: each option's `weight` plus its `weigh` adjustments that hold
//!   now, plus a little seeded noise; the highest wins;
//! - `random`: any option, uniformly;
//! - `flip:<decision id>`: recorded everywhere except that decision, where the
//!   best-weighted *other* option is taken;
//! - `set:<decision id>=<option id>`: recorded everywhere except that
//!   decision, where the named option is taken.

use std::fmt;
use std::str::FromStr;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::content::model::Decision;

/// A policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyKind {
    /// Follow the record.
    Recorded,
    /// Weigh the options against the world.
    Adaptive,
    /// Uniformly at random.
    Random,
    /// Recorded, except one decision.
    Flip(String),
    /// Recorded, except that at one decision this option is taken:
    /// `set:<decision id>=<option id>`.
    Choose(String, String),
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyKind::Recorded => f.write_str("recorded"),
            PolicyKind::Adaptive => f.write_str("adaptive"),
            PolicyKind::Random => f.write_str("random"),
            PolicyKind::Flip(d) => write!(f, "flip:{d}"),
            PolicyKind::Choose(d, o) => write!(f, "set:{d}={o}"),
        }
    }
}

/// A policy name that is not known.
#[derive(Debug, thiserror::Error)]
#[error(
    "unknown policy \"{0}\": use recorded, adaptive, random, flip:<decision id> or set:<decision id>=<option id>"
)]
pub struct UnknownPolicy(pub String);

impl FromStr for PolicyKind {
    type Err = UnknownPolicy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "recorded" => Ok(PolicyKind::Recorded),
            "adaptive" => Ok(PolicyKind::Adaptive),
            "random" => Ok(PolicyKind::Random),
            _ => {
                if let Some(d) = s.strip_prefix("flip:").filter(|d| !d.is_empty()) {
                    return Ok(PolicyKind::Flip(d.to_owned()));
                }
                match s.strip_prefix("set:").and_then(|r| r.split_once('=')) {
                    Some((d, o)) if !d.is_empty() && !o.is_empty() => {
                        Ok(PolicyKind::Choose(d.to_owned(), o.to_owned()))
                    }
                    _ => Err(UnknownPolicy(s.to_owned())),
                }
            }
        }
    }
}

/// Chooses an option. `score(i)` gives option `i`'s weight against the
/// current world (base weight plus the adjustments that hold).
pub fn choose(
    kind: &PolicyKind,
    decision: &Decision,
    score: impl Fn(usize) -> i32,
    rng: &mut impl Rng,
) -> usize {
    let n = decision.options.len();
    let recorded = decision
        .recorded
        .as_ref()
        .and_then(|r| decision.options.iter().position(|o| o.id == r.option));
    let best = |exclude: Option<usize>, noise: &mut dyn FnMut() -> i32| {
        (0..n)
            .filter(|i| Some(*i) != exclude)
            .map(|i| (score(i) + noise(), i))
            .max_by_key(|(s, i)| (*s, std::cmp::Reverse(*i)))
            .map_or(0, |(_, i)| i)
    };
    match kind {
        PolicyKind::Recorded => recorded.unwrap_or_else(|| best(None, &mut || 0)),
        PolicyKind::Flip(d) if *d == decision.id => best(recorded, &mut || 0),
        PolicyKind::Flip(_) | PolicyKind::Choose(..) => {
            if let PolicyKind::Choose(d, o) = kind
                && *d == decision.id
                && let Some(i) = decision.options.iter().position(|x| x.id == *o)
            {
                return i;
            }
            recorded.unwrap_or_else(|| best(None, &mut || 0))
        }
        PolicyKind::Adaptive => best(None, &mut || rng.random_range(0..=15)),
        PolicyKind::Random => rng.random_range(0..n.max(1)),
    }
}
