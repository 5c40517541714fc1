//! The view model: what the screen shows, taken from the campaign through
//! its accessors and put into plain values (strings, words, coordinates) —
//! the chronicle lines with their certainty labels, the record up to this
//! month without the answer to the decision at hand, the court's gauges as
//! words, the map's places and armies, the encyclopedia's hits, and the
//! debrief with your course beside the recorded one.

use super::map::{MapArmy, MapModel, MapPlace};
use crate::calendar::{MonthIdx, long_date};
use crate::content::Scenario;
use crate::content::model::{Court, Gauge};
use crate::history::Debrief;
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

/// A piece of the debrief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A section heading.
    Heading(String),
    /// A paragraph.
    Text(String),
    /// Your course (left) beside the record (right), paragraph by paragraph.
    Pair(Vec<String>, Vec<String>),
    /// An empty line.
    Gap,
}

pub(super) fn chron_months(
    s: &Scenario,
    c: &Campaign,
    side: Court,
    from: (usize, usize),
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
                    text: l.text.clone(),
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
                    text: l.text.clone(),
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

pub(super) fn debrief(s: &Scenario, d: &Debrief) -> Vec<Item> {
    let cal = s.calendar();
    let mut out = vec![Item::Heading(format!(
        "DEBRIEF — {} · seed {}",
        d.title, d.run.seed
    ))];
    if let Some(m) = &d.ended {
        out.push(Item::Text(format!(
            "The campaign closed in {}.",
            cal.song_label(s.month(m))
        )));
    }
    let v = &d.divergence;
    out.push(Item::Text(format!(
        "Divergence from the record: {}/100 — decisions {}/50 ({} of {} differ) · milestones {}/30 · ending {}/20",
        v.total, v.decisions, v.decisions_differing, v.decisions_compared, v.milestones, v.ending
    )));
    out.push(Item::Text(
        "Labels: [recorded] from the sources named; [disputed] sources disagree; [invented for play] not history; [model] this campaign's own course.".to_owned(),
    ));
    out.push(Item::Gap);
    out.push(Item::Pair(
        vec!["YOUR COURSE".to_owned()],
        vec!["THE RECORDED COURSE".to_owned()],
    ));
    out.push(Item::Heading("Endings".to_owned()));
    for e in &d.endings {
        let right = match (&e.recorded, &e.recorded_title) {
            (Some(r), Some(t)) if *r == e.id => vec![format!("[recorded] {t} — the same outcome.")],
            (Some(_), Some(t)) => vec![format!("[recorded] {t}")],
            _ => vec![],
        };
        let mut right = right;
        right.push(format!(
            "Nearest recorded counterpart: {} ({})",
            e.nearest,
            e.sources.join(", ")
        ));
        out.push(Item::Pair(
            vec![
                format!("{} court — [model] {}", e.court.name(), e.title),
                e.text.clone(),
            ],
            right,
        ));
    }
    out.push(Item::Heading("The decisions".to_owned()));
    if d.decisions.is_empty() {
        out.push(Item::Text("No decision was taken.".to_owned()));
    }
    for (i, r) in d.decisions.iter().enumerate() {
        let refn = r
            .reference
            .as_deref()
            .map(|x| format!(" [{x}]"))
            .unwrap_or_default();
        out.push(Item::Text(format!(
            "{}. {}{} — {} court",
            i + 1,
            r.title,
            refn,
            r.court.name()
        )));
        let who = r.who();
        let mark = match r.matches {
            Some(true) => "= same as the record",
            Some(false) => "≠ differs from the record",
            None => "no recorded choice to compare",
        };
        let left = vec![
            format!("[model] {who} chose: {}", r.chosen_label),
            format!("{} · {mark}", r.month_label),
        ];
        let right = match (&r.recorded_label, &r.recorded_date) {
            (Some(l), Some(date)) => {
                let mut v = vec![format!(
                    "[{}] Recorded: {l} — {} ({})",
                    r.certainty,
                    long_date(date),
                    r.recorded_chinese_date.clone().unwrap_or_default()
                )];
                if let Some(f) = &r.followed {
                    v.push(format!("What really followed: {f}"));
                }
                v.extend(r.versions.iter().map(|x| format!("Version: {x}")));
                v.push(format!("Sources: {}", r.sources.join(", ")));
                v
            }
            _ => vec!["[invented for play] The record shows no such choice.".to_owned()],
        };
        out.push(Item::Pair(left, right));
        if let Some(dec) = s.decisions.get(&r.id)
            && !dec.questions.is_empty()
        {
            out.push(Item::Text(format!(
                "For discussion: {}",
                dec.questions.join(" / ")
            )));
        }
        out.push(Item::Gap);
    }
    out.push(Item::Heading("Milestones".to_owned()));
    for m in &d.milestones {
        let yours = m.yours(s);
        let rec = m.recorded_month.as_ref().map_or_else(
            || "never happened".to_owned(),
            |r| cal.short_label(s.month(r), Court::Song),
        );
        out.push(Item::Pair(
            vec![format!("{} — [model] {yours}", m.title)],
            vec![format!(
                "[{}] {rec} ({})",
                m.certainty,
                m.sources.join(", ")
            )],
        ));
    }
    out.push(Item::Heading(
        "Who broke the covenant? Each court's case".to_owned(),
    ));
    for court in Court::ALL {
        out.push(Item::Text(format!(
            "The {} case against the {}:",
            court.name(),
            court.other().name()
        )));
        match d.grievances.get(&court) {
            Some(l) if !l.is_empty() => {
                for g in l {
                    out.push(Item::Text(format!(
                        "  - [model] {} (weight {}, {})",
                        g.text,
                        g.weight,
                        cal.short_label(s.month(&g.month), court)
                    )));
                }
            }
            _ => out.push(Item::Text("  - none raised in this campaign".to_owned())),
        }
    }
    out.push(Item::Gap);
    out.push(Item::Text(
        "q leaves; the debrief is printed again when you do.".to_owned(),
    ));
    out
}
