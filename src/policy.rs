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
//!
//! A decision may also be named by its reference tag (`flip:D9`,
//! `set:D9=flee`). [`PolicyKind::resolve`] checks a parsed policy against a
//! scenario and the court it decides for: tags become ids, and an unknown
//! decision or option, or a decision of the other court, is an error that
//! names the nearest ids.

use std::fmt;
use std::str::FromStr;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::content::Scenario;
use crate::content::model::{Court, Decision, Id};

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
    Flip(Id),
    /// Recorded, except that at one decision this option is taken:
    /// `set:<decision id>=<option id>`.
    Choose(Id, Id),
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
                    return Ok(PolicyKind::Flip(Id::new(d)));
                }
                match s.strip_prefix("set:").and_then(|r| r.split_once('=')) {
                    Some((d, o)) if !d.is_empty() && !o.is_empty() => {
                        Ok(PolicyKind::Choose(Id::new(d), Id::new(o)))
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

/// A policy that does not fit the scenario it is used on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// No decision has this id or reference tag.
    #[error(
        "\"{policy}\": the scenario \"{scenario}\" has no decision \"{given}\"{}",
        hint(suggestions)
    )]
    NoDecision {
        /// The policy as given.
        policy: String,
        /// Scenario id.
        scenario: String,
        /// The decision as given.
        given: String,
        /// The nearest decision ids or tags.
        suggestions: Vec<String>,
    },
    /// The decision has no such option.
    #[error("\"{policy}\": {decision} has no option \"{given}\"; its options are {}{}", options.join(", "), hint(suggestions))]
    NoOption {
        /// The policy as given.
        policy: String,
        /// Decision id.
        decision: String,
        /// The option as given.
        given: String,
        /// Every option of the decision.
        options: Vec<String>,
        /// The nearest option ids.
        suggestions: Vec<String>,
    },
    /// A reference tag names several decisions of this court.
    #[error("\"{policy}\": {tag} names {} decisions of the {} court ({}); use one of their ids", candidates.len(), court.name(), candidates.join(", "))]
    Ambiguous {
        /// The policy as given.
        policy: String,
        /// The tag.
        tag: String,
        /// The court the policy decides for.
        court: Court,
        /// The decisions it names.
        candidates: Vec<String>,
    },
    /// The decision is the other court's, so this policy would never reach it.
    #[error("\"{policy}\": {decision} is decided by the {} court, but this is the {} court's policy; give it to --{}", owner.name(), court.name(), owner.key())]
    WrongCourt {
        /// The policy as given.
        policy: String,
        /// Decision id.
        decision: String,
        /// Who decides it.
        owner: Court,
        /// The court the policy is for.
        court: Court,
    },
}

fn hint(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        many => format!("; did you mean one of {}?", many.join(", ")),
    }
}

/// Up to three of `candidates` nearest to `word` (case-insensitive), best
/// first; none if nothing is close.
#[must_use]
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let w = word.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            let lc = c.to_lowercase();
            // A candidate that contains the word (or its last part) is near
            // whatever the edit distance says.
            let contains = !w.is_empty() && (lc.contains(&w) || w.contains(&lc));
            let score = strsim::normalized_damerau_levenshtein(&w, &lc)
                .max(strsim::jaro_winkler(&w, &lc) - 0.15)
                .max(if contains { 0.7 } else { 0.0 });
            (score, c)
        })
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    // Only those nearly as near as the nearest.
    let best = scored.first().map_or(0.0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(s, _)| *s >= best - 0.1)
        .take(3)
        .map(|(_, c)| c.to_owned())
        .collect()
}

impl PolicyKind {
    /// The decision this policy departs from the record at, if any.
    #[must_use]
    pub fn decision(&self) -> Option<&str> {
        match self {
            PolicyKind::Flip(d) | PolicyKind::Choose(d, _) => Some(d),
            _ => None,
        }
    }

    /// Checks the policy against a scenario for the court it decides for:
    /// a reference tag (`D9`) becomes the decision's id, and the decision
    /// and option must exist and belong to `court`.
    ///
    /// # Errors
    /// An unknown decision or option, a tag naming several decisions of the
    /// court, or a decision of the other court.
    pub fn resolve(self, s: &Scenario, court: Court) -> Result<PolicyKind, PolicyError> {
        let policy = self.to_string();
        let (given, option) = match &self {
            PolicyKind::Flip(d) => (*d, None),
            PolicyKind::Choose(d, o) => (*d, Some(*o)),
            _ => return Ok(self),
        };
        let decision = find_decision(s, &policy, &given, option.as_deref(), court)?;
        if decision.court != court {
            return Err(PolicyError::WrongCourt {
                policy,
                decision: decision.id.to_string(),
                owner: decision.court,
                court,
            });
        }
        match option {
            None => Ok(PolicyKind::Flip(decision.id)),
            Some(o) if decision.options.iter().any(|x| x.id == o) => {
                Ok(PolicyKind::Choose(decision.id, o))
            }
            Some(o) => Err(PolicyError::NoOption {
                policy,
                decision: decision.id.to_string(),
                suggestions: nearest(&o, decision.options.iter().map(|x| x.id.as_str())),
                options: decision.options.iter().map(|x| x.id.to_string()).collect(),
                given: o.to_string(),
            }),
        }
    }
}

/// The decision a policy names, by id or by reference tag.
fn find_decision<'s>(
    s: &'s Scenario,
    policy: &str,
    given: &str,
    option: Option<&str>,
    court: Court,
) -> Result<&'s Decision, PolicyError> {
    if let Some(d) = s.decisions.get(given) {
        return Ok(d);
    }
    let tagged: Vec<&Decision> = s
        .decisions
        .values()
        .filter(|d| {
            d.reference
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(given))
        })
        .collect();
    if tagged.is_empty() {
        let mut names: Vec<&str> = s.decisions.keys().map(|k| k.as_str()).collect();
        names.extend(s.decisions.values().filter_map(|d| d.reference.as_deref()));
        return Err(PolicyError::NoDecision {
            policy: policy.to_owned(),
            scenario: s.meta.id.clone(),
            given: given.to_owned(),
            suggestions: nearest(given, names),
        });
    }
    // The court's own decisions with this tag; of several, those that have
    // the option named.
    let mine: Vec<&Decision> = tagged
        .iter()
        .copied()
        .filter(|d| d.court == court)
        .collect();
    let narrowed: Vec<&Decision> = match option {
        Some(o) if mine.len() > 1 => mine
            .iter()
            .copied()
            .filter(|d| d.options.iter().any(|x| x.id == o))
            .collect(),
        _ => mine.clone(),
    };
    match (narrowed.as_slice(), mine.as_slice()) {
        ([one], _) => Ok(one),
        // None of this court's: the other court's (an error the caller reports).
        (_, []) => Ok(tagged[0]),
        _ => Err(PolicyError::Ambiguous {
            policy: policy.to_owned(),
            tag: given.to_owned(),
            court,
            candidates: mine.iter().map(|d| d.id.to_string()).collect(),
        }),
    }
}
