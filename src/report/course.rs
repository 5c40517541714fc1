//! The recorded course of the war for the debrief's map
//! (`assets/maps/course.ron`): the armies' recorded marches, the recorded
//! sieges and the places that changed hands, each with its months, sources
//! and certainty. It only draws pictures; no campaign reads it.

use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::content::model::{Certainty, Court};
use crate::content::{Library, SourceFile};

/// The file, embedded.
const COURSE: &str = include_str!("../../assets/maps/course.ron");

/// The recorded course.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// Recorded marches.
    pub marches: Vec<RecordedMarch>,
    /// Recorded sieges.
    pub sieges: Vec<RecordedSiege>,
    /// Places that changed hands.
    pub changes: Vec<RecordedChange>,
}

/// An army's recorded march through the places the sources name.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedMarch {
    /// Stable id.
    pub id: String,
    /// Who marched, and when.
    pub name: String,
    /// Whose army.
    pub court: Court,
    /// First month (month id).
    pub from: String,
    /// Last month (month id).
    pub until: String,
    /// Place ids in order.
    pub route: Vec<String>,
    /// Dates along the way, in our words.
    pub note: String,
    /// Source ids.
    pub sources: Vec<String>,
    /// Certainty.
    pub certainty: Certainty,
}

/// A recorded siege.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedSiege {
    /// Place id.
    pub place: String,
    /// First month.
    pub from: String,
    /// Last month, if it ended within the calendar.
    pub until: Option<String>,
    /// The place fell.
    pub fell: bool,
    /// Dates and versions, in our words.
    pub note: String,
    /// Source ids.
    pub sources: Vec<String>,
    /// Certainty.
    pub certainty: Certainty,
}

/// A place that changed hands in the record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedChange {
    /// Place id.
    pub place: String,
    /// Month.
    pub month: String,
    /// The new holder (`None`: neither court).
    pub to: Option<Court>,
    /// What happened, in our words.
    pub note: String,
    /// Source ids.
    pub sources: Vec<String>,
    /// Certainty.
    pub certainty: Certainty,
}

impl Course {
    /// The embedded recorded course; an empty one (and the reason) if the
    /// file does not parse, so a debrief is never lost over its map.
    #[must_use]
    pub fn embedded() -> (Course, Option<String>) {
        let file = SourceFile::new("assets/maps/course.ron", COURSE);
        match crate::content::parse::<Course>(&file) {
            Ok(c) => (c, None),
            Err(p) => (Course::default(), Some(p.plain())),
        }
    }

    /// Every reference the file makes that the library does not know: place
    /// ids, month ids, source ids, a route of fewer than two places.
    #[must_use]
    pub fn problems(&self, lib: &Library) -> Vec<String> {
        let cal: &Calendar = &lib.calendar;
        let mut out = Vec::new();
        let place = |id: &str, out: &mut Vec<String>| {
            if !lib.places.contains_key(id) {
                out.push(format!("unknown place \"{id}\""));
            }
        };
        let month = |id: &str, out: &mut Vec<String>| {
            if cal.parse_id(id).is_none() {
                out.push(format!("unknown month \"{id}\""));
            }
        };
        let sources = |list: &[String], out: &mut Vec<String>| {
            if list.is_empty() {
                out.push("an item without sources".to_owned());
            }
            for s in list {
                if !lib.sources.contains_key(s) {
                    out.push(format!("unknown source \"{s}\""));
                }
            }
        };
        for m in &self.marches {
            if m.route.len() < 2 {
                out.push(format!("march {} has fewer than two places", m.id));
            }
            for p in &m.route {
                place(p, &mut out);
            }
            month(&m.from, &mut out);
            month(&m.until, &mut out);
            sources(&m.sources, &mut out);
        }
        for s in &self.sieges {
            place(&s.place, &mut out);
            month(&s.from, &mut out);
            if let Some(u) = &s.until {
                month(u, &mut out);
            }
            sources(&s.sources, &mut out);
        }
        for c in &self.changes {
            place(&c.place, &mut out);
            month(&c.month, &mut out);
            sources(&c.sources, &mut out);
        }
        out
    }
}
