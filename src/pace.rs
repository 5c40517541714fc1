//! How much the game says: the full texts, or the short ones written for a
//! 45-minute lesson (`--pace brief`).
//!
//! The short texts live in the data beside the full ones, as optional
//! `brief:` fields (plain strings) on the scenario (its opening), events (dispatches),
//! decisions (the situation), advisors (the argument), recorded outcomes
//! (what really followed) and endings. Where a `brief:` is missing the full
//! text is shown, so a chapter without short texts still plays. In brief
//! pace the council lists the options by their labels only, an advisor by
//! name only, and a decision in the chronicle by the option's label.
//!
//! A front end asks [`Pace`] for the text to show; the campaign itself never
//! knows the pace, so a run plays and replays the same either way.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::content::Scenario;
use crate::sim::{CouncilView, Line, LineKind};

/// Full texts, or the short ones for a lesson.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Pace {
    /// Every dispatch and argument in full (the default).
    #[default]
    Full,
    /// Short summaries written for a lesson.
    Brief,
}

impl Pace {
    /// `full` or `brief`, as on the command line.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Pace::Full => "full",
            Pace::Brief => "brief",
        }
    }

    /// Whether this is the full pace (run files leave it out then).
    #[must_use]
    pub fn is_full(&self) -> bool {
        *self == Pace::Full
    }

    /// The scenario's opening text.
    #[must_use]
    pub fn intro(self, s: &Scenario) -> &str {
        if self == Pace::Brief && !s.meta.brief.is_empty() {
            &s.meta.brief
        } else {
            &s.meta.intro
        }
    }

    /// The council as this pace shows it: in brief, the short situation and
    /// arguments, no offices and no option details.
    #[must_use]
    pub fn council(self, s: &Scenario, mut view: CouncilView) -> CouncilView {
        if self == Pace::Full {
            return view;
        }
        if let Some(d) = s.decisions.get(view.decision.as_str()) {
            if !d.brief.is_empty() {
                view.situation.clone_from(&d.brief);
            }
            for (shown, a) in view.advisors.iter_mut().zip(&d.advisors) {
                if !a.brief.is_empty() {
                    shown.argues.clone_from(&a.brief);
                }
                shown.office.clear();
            }
        }
        for o in &mut view.options {
            o.detail.clear();
        }
        view
    }

    /// The text of a chronicle line as this pace shows it: in brief, a
    /// dispatch's short text and a decision's option label.
    #[must_use]
    pub fn line<'a>(self, s: &Scenario, line: &'a Line) -> Cow<'a, str> {
        if self == Pace::Full {
            return Cow::Borrowed(&line.text);
        }
        let short = match &line.kind {
            LineKind::Dispatch(..) | LineKind::Moved(..) => s
                .events
                .iter()
                .find(|e| e.title == line.title && e.text == line.text)
                .filter(|e| !e.brief.is_empty())
                .map(|e| e.brief.clone()),
            LineKind::Decision(court) => s
                .decisions
                .values()
                .filter(|d| d.court == *court && d.title == line.title)
                .flat_map(|d| &d.options)
                .find(|o| o.detail == line.text || o.label == line.text)
                .map(|o| o.label.clone()),
            LineKind::Consequence | LineKind::Model => None,
        };
        short.map_or(Cow::Borrowed(&line.text), Cow::Owned)
    }
}

impl std::str::FromStr for Pace {
    type Err = String;

    fn from_str(s: &str) -> Result<Pace, String> {
        match s {
            "full" => Ok(Pace::Full),
            "brief" => Ok(Pace::Brief),
            other => Err(format!("there is no pace \"{other}\"; use full or brief")),
        }
    }
}
