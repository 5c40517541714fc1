//! The view model: what the screen shows, taken from the campaign through
//! its accessors and put into plain values (strings, words, coordinates) —
//! the chronicle lines with their certainty labels, the record up to this
//! month without the answer to the decision at hand, the court's gauges as
//! words, the map's places and armies, and the encyclopedia's hits. (The
//! debrief is drawn from the report templates, see [`crate::report`].)

use super::map::{MapArmy, MapModel, MapPlace};
use crate::calendar::{MonthIdx, long_date};
use crate::content::Scenario;
use crate::content::model::{Court, Gauge};
use crate::lookup::Kind;
use crate::plain::{fuzzy, gauge_name};
use crate::sim::{Campaign, LineKind};

/// One line of the chronicle, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChronLine {
    /// `◆` dispatch, `▶` decision, `↳` consequence, `·` model.
    pub mark: &'static str,
    /// Headline (dispatches; for decisions, who decided and what).
    pub title: String,
    /// The text.
    pub text: String,
    /// Certainty label: `[recorded · SS-472]`, `[invented for play]`,
    /// `[model]`; empty for decisions and consequences.
    pub tag: String,
}

/// A month of the chronicle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChronMonth {
    /// `Xuanhe 5, 6th month (29 Jun – 27 Jul 1123)`.
    pub label: String,
    /// Its lines.
    pub lines: Vec<ChronLine>,
}

/// One entry of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordItem {
    /// `29 Jun 1123 · Xuanhe 5, 6th month, 丙戌 — Title`.
    pub head: String,
    /// `[recorded · SS-472]`.
    pub tag: String,
    /// Summary.
    pub summary: String,
    /// Versions of a disputed entry.
    pub versions: Vec<String>,
}

/// A gauge as the court perceives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GaugeRow {
    /// Name.
    pub name: &'static str,
    /// The word (`strained`).
    pub word: &'static str,
    /// Band 1–5.
    pub level: usize,
    /// A balance (war party ↔ peace party) rather than an amount.
    pub balance: bool,
}

/// A place in the state pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRow {
    /// Name.
    pub name: String,
    /// Holder.
    pub holder: Option<Court>,
    /// Under siege.
    pub besieged: bool,
}

/// The court's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StateModel {
    /// Gauges.
    pub gauges: Vec<GaugeRow>,
    /// (heading with word, named grievances).
    pub grievances: Vec<(String, Vec<String>)>,
    /// Places.
    pub places: Vec<PlaceRow>,
    /// Armies, one line each.
    pub armies: Vec<(Court, String)>,
}

/// The encyclopedia.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LookupModel {
    /// The search.
    pub query: String,
    /// The search field has the keys.
    pub typing: bool,
    /// Results: kind and name.
    pub hits: Vec<(Kind, String)>,
    /// Selected result.
    pub selected: usize,
    /// The selected entry, paragraph by paragraph.
    pub detail: Vec<String>,
}

pub(super) fn chron_months(
    s: &Scenario,
    c: &Campaign,
    side: Court,
    from: (usize, usize),
    pace: crate::pace::Pace,
) -> Vec<ChronMonth> {
    let cal = s.calendar();
    let mut out = Vec::new();
    for (ei, e) in c.chronicle().entries.iter().enumerate().skip(from.0) {
        let skip = if ei == from.0 { from.1 } else { 0 };
        let lines: Vec<ChronLine> = e
            .lines
            .iter()
            .skip(skip)
            .filter(|l| l.to.is_none_or(|t| t == side))
            .map(|l| match &l.kind {
                LineKind::Dispatch(..) | LineKind::Moved(..) => ChronLine {
                    mark: "◆",
                    title: l.title.clone(),
                    text: pace.line(s, l).into_owned(),
                    tag: l.kind.dispatch_tag().unwrap_or_default(),
                },
                LineKind::Decision(court) => ChronLine {
                    mark: "▶",
                    title: format!(
                        "{} — {}:",
                        if *court == side {
                            "Your court"
                        } else {
                            "The other court"
                        },
                        l.title
                    ),
                    text: pace.line(s, l).into_owned(),
                    tag: String::new(),
                },
                LineKind::Consequence => ChronLine {
                    mark: "↳",
                    title: String::new(),
                    text: l.text.clone(),
                    tag: String::new(),
                },
                LineKind::Model => ChronLine {
                    mark: "·",
                    title: String::new(),
                    text: l.text.clone(),
                    tag: "[model]".to_owned(),
                },
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        let mut label = cal.label(e.month, side);
        if side == Court::Jin {
            label = format!("{label} · {}", cal.song_label(e.month));
        }
        out.push(ChronMonth { label, lines });
    }
    out
}

pub(super) fn record(
    s: &Scenario,
    now: MonthIdx,
    ended: bool,
    pending: Option<&str>,
) -> Vec<RecordItem> {
    let lib = &s.library;
    let from = MonthIdx(s.start.0.saturating_sub(6));
    lib.timeline
        .entries
        .iter()
        .zip(&lib.entry_months)
        .filter(|(e, m)| {
            **m >= from
                && (if ended { **m <= now } else { **m < now })
                && (pending.is_none() || e.decision.as_deref() != pending)
        })
        .map(|(e, _)| RecordItem {
            head: format!("{} · {} — {}", long_date(&e.date), e.chinese_date, e.title),
            tag: format!("[{} · {}]", e.certainty.label(), e.sources.join(", ")),
            summary: e.summary.clone(),
            versions: e
                .versions
                .iter()
                .map(|v| format!("version: {} ({})", v.says, v.sources.join(", ")))
                .collect(),
        })
        .collect()
}

pub(super) fn level(g: Gauge, v: i32) -> usize {
    match g {
        Gauge::WarParty => match v {
            ..=20 => 1,
            21..=40 => 2,
            41..=60 => 3,
            61..=80 => 4,
            _ => 5,
        },
        _ => match v {
            ..=15 => 1,
            16..=35 => 2,
            36..=55 => 3,
            56..=75 => 4,
            _ => 5,
        },
    }
}

pub(super) fn host(strength: i32) -> &'static str {
    match strength {
        ..=5 => "a small force",
        6..=20 => "a field army",
        21..=60 => "a large host",
        _ => "a great host",
    }
}

pub(super) fn state(s: &Scenario, c: &Campaign, side: Court) -> StateModel {
    let gauges = c.gauges(side);
    let rows = Gauge::ALL
        .into_iter()
        .filter(|g| *g != Gauge::Grievance)
        .map(|g| {
            let v = gauges.get(&g).copied().unwrap_or(50);
            GaugeRow {
                name: gauge_name(g, side),
                word: fuzzy(g, v),
                level: level(g, v),
                balance: g == Gauge::WarParty,
            }
        })
        .collect();
    let ledger = c.ledger();
    let grievances = [
        (side, "Our grievances against them"),
        (side.other(), "What their envoys hold against us"),
    ]
    .into_iter()
    .map(|(court, label)| {
        let list = ledger
            .grievances
            .get(&court)
            .map(|l| l.iter().map(|g| g.text.clone()).collect())
            .unwrap_or_default();
        (
            format!(
                "{label}: {}",
                fuzzy(Gauge::Grievance, ledger.grievance(court))
            ),
            list,
        )
    })
    .collect();
    let places = c
        .places()
        .into_iter()
        .map(|p| PlaceRow {
            name: s.place_name(&p.id),
            holder: p.holder,
            besieged: p.besieged,
        })
        .collect();
    let armies = c
        .armies()
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let to = a
                .route
                .back()
                .map(|d| format!(", marching on {}", s.place_name(d)))
                .unwrap_or_default();
            let commander = s
                .library
                .people
                .get(&a.commander)
                .map_or_else(|| a.commander.clone(), |p| p.name.clone());
            (
                a.court,
                format!(
                    "{} {}: {} under {}, {}, at {}{to}",
                    army_mark(i),
                    a.court.name(),
                    a.name,
                    commander,
                    host(a.strength),
                    s.place_name(&a.at)
                ),
            )
        })
        .collect();
    StateModel {
        gauges: rows,
        grievances,
        places,
        armies,
    }
}

pub(super) fn army_mark(i: usize) -> char {
    let n = u32::try_from(i).unwrap_or(u32::MAX);
    if n < 9 {
        char::from_digit(n + 1, 10).unwrap_or('?')
    } else {
        char::from_u32(u32::from('a') + (n - 9))
            .filter(char::is_ascii_lowercase)
            .unwrap_or('?')
    }
}

pub(super) fn map_model(s: &Scenario, c: &Campaign, wide: bool) -> MapModel {
    let lib = &s.library;
    let at = |id: &str| lib.places.get(id).map(|p| (p.lon, p.lat));
    let places = c
        .places()
        .into_iter()
        .filter_map(|p| {
            let lp = lib.places.get(&p.id)?;
            Some(MapPlace {
                name: lp.name.clone(),
                lon: lp.lon,
                lat: lp.lat,
                holder: p.holder,
                besieged: p.besieged,
            })
        })
        .collect();
    let armies = c
        .armies()
        .into_iter()
        .enumerate()
        .map(|(i, a)| MapArmy {
            mark: army_mark(i),
            court: a.court,
            name: a.name.clone(),
            at: s.place_name(&a.at),
            to: a.route.back().map(|d| s.place_name(d)),
            path: std::iter::once(a.at.as_str())
                .chain(a.route.iter().map(String::as_str))
                .filter_map(at)
                .collect(),
        })
        .collect();
    MapModel {
        places,
        armies,
        wide,
    }
}
