//! The view model both front ends draw: what the court sees, taken from
//! the campaign through its accessors and put into plain values (strings,
//! words, coordinates) — the chronicle lines with their certainty labels,
//! the record up to this month without the answer to the decision at hand,
//! the court's gauges as words and bands, the places and armies of the map,
//! and the encyclopedia's hits. (The debrief is drawn from the report
//! templates, see [`crate::report`].) Each piece is built here once; the
//! line mode prints it as text, the full-screen interface as widgets.

use crate::calendar::{MonthIdx, long_date};
use crate::content::Scenario;
use crate::content::model::{Court, Gauge};
use crate::lookup::Kind;
use crate::sim::{Campaign, LineKind};

/// What kind of chronicle line it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A dispatch from the data, with its certainty.
    Dispatch,
    /// A decision taken (by the player's court or the other).
    Decision,
    /// A delayed consequence landing, with its reason.
    Consequence,
    /// The simulation's own course (never history).
    Model,
}

impl Mark {
    /// The symbol drawn before the line: `◆`, `▶`, `↳`, `·`.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Dispatch => "◆",
            Mark::Decision => "▶",
            Mark::Consequence => "↳",
            Mark::Model => "·",
        }
    }

    /// The word a screen reader hears instead of the symbol.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Mark::Dispatch => "Dispatch:",
            Mark::Decision => "Decision:",
            Mark::Consequence => "Consequence:",
            Mark::Model => "Model:",
        }
    }
}

/// One line of the chronicle, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChronLine {
    /// Dispatch, decision, consequence or model.
    pub mark: Mark,
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
    /// The month in the player's reckoning, with Julian dates.
    pub label: String,
    /// For the Jin court, the same month in the Song reckoning.
    pub other: Option<String>,
    /// The month was begun before (the lines go on from where the last
    /// news stopped), so the line mode does not head it again.
    pub continued: bool,
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

impl PlaceRow {
    /// Who holds it and whether it is besieged, as words: `held by Song,
    /// under siege`.
    #[must_use]
    pub fn holding(&self) -> String {
        let holder = self.holder.map_or("neither court", Court::name);
        let siege = if self.besieged { ", under siege" } else { "" };
        format!("held by {holder}{siege}")
    }
}

/// A place's holder as one letter, on the map and in the lists: `S` Song,
/// `J` Jin, `o` neither.
#[must_use]
pub fn holder_mark(h: Option<Court>) -> char {
    match h {
        Some(Court::Song) => 'S',
        Some(Court::Jin) => 'J',
        None => 'o',
    }
}

/// Why the record stops short while a council waits, in both front ends.
pub const RECORD_WITHHELD: &str =
    "The record of the decision before you is withheld until you decide.";

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

/// The chronicle as the court played hears it, from `from` = (entry, line)
/// on, in the words of the pace: months with at least one line for this
/// court.
#[must_use]
pub fn chron_months(
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
                    mark: Mark::Dispatch,
                    title: l.title.clone(),
                    text: pace.line(s, l).into_owned(),
                    tag: l.kind.dispatch_tag().unwrap_or_default(),
                },
                LineKind::Decision(court) => ChronLine {
                    mark: Mark::Decision,
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
                    mark: Mark::Consequence,
                    title: String::new(),
                    text: l.text.clone(),
                    tag: String::new(),
                },
                LineKind::Model => ChronLine {
                    mark: Mark::Model,
                    title: String::new(),
                    text: l.text.clone(),
                    tag: "[model]".to_owned(),
                },
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        out.push(ChronMonth {
            label: cal.label(e.month, side),
            other: (side == Court::Jin).then(|| cal.song_label(e.month)),
            continued: skip > 0,
            lines,
        });
    }
    out
}

/// What the `why` command and the Why pane say before the model has done
/// anything.
pub const WHY_NOTHING_YET: &str =
    "Nothing yet: no army has marched, no siege or battle has been fought.";

/// The record the court may read in month `now`: the timeline from six
/// months before the scenario up to the month before `now` (up to `now`
/// once the campaign has ended), never the entry that answers the
/// decision pending before the council. The one filter both front ends
/// use.
#[must_use]
pub fn record(s: &Scenario, now: MonthIdx, ended: bool, pending: Option<&str>) -> Vec<RecordItem> {
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

/// A gauge's name as the court speaks of it.
#[must_use]
pub fn gauge_name(g: Gauge, court: Court) -> &'static str {
    match (g, court) {
        (Gauge::Treasury, _) => "Treasury",
        (Gauge::Grain, _) => "Granaries",
        (Gauge::Army, _) => "Troops at hand",
        (Gauge::Morale, _) => "Morale",
        (Gauge::WarParty, _) => "War party at court",
        (Gauge::Legitimacy, _) => "Standing of the throne",
        (Gauge::Loyalty, Court::Song) => "Trust of the ex-Liao defectors",
        (Gauge::Loyalty, Court::Jin) => "Cohesion of the two commands",
        (Gauge::Grievance, _) => "Grievances against the other court",
    }
}

/// A gauge as the court perceives it: its band 1–5 and the word for it,
/// never the number. The one place the bands are drawn.
#[must_use]
pub fn band(g: Gauge, v: i32) -> (usize, &'static str) {
    match g {
        Gauge::WarParty => match v {
            ..=20 => (1, "the peace party dominates"),
            21..=40 => (2, "the peace party leans ahead"),
            41..=60 => (3, "evenly divided"),
            61..=80 => (4, "the war party leans ahead"),
            _ => (5, "the war party dominates"),
        },
        Gauge::Grievance => match v {
            ..=0 => (1, "none"),
            1..=20 => (2, "a few complaints"),
            21..=45 => (3, "a growing list"),
            46..=70 => (4, "a heavy bill of grievances"),
            _ => (5, "a casus belli many times over"),
        },
        _ => match v {
            ..=15 => (1, "desperate"),
            16..=35 => (2, "strained"),
            36..=55 => (3, "middling"),
            56..=75 => (4, "sound"),
            _ => (5, "ample"),
        },
    }
}

/// An army's size in words: `a field army`.
#[must_use]
pub fn host(strength: i32) -> &'static str {
    match strength {
        ..=5 => "a small force",
        6..=20 => "a field army",
        21..=60 => "a large host",
        _ => "a great host",
    }
}

/// The court's state: its gauges as words and bands, both courts'
/// grievances, the places in play and the armies.
#[must_use]
pub fn state(s: &Scenario, c: &Campaign, side: Court) -> StateModel {
    let gauges = c.gauges(side);
    // Every court has every gauge from its first month (the campaign sets
    // the ones a scenario leaves out), so nothing is made up here.
    let rows = Gauge::ALL
        .into_iter()
        .filter(|g| *g != Gauge::Grievance)
        .filter_map(|g| {
            let v = *gauges.get(&g)?;
            let (level, word) = band(g, v);
            Some(GaugeRow {
                name: gauge_name(g, side),
                word,
                level,
                balance: g == Gauge::WarParty,
            })
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
                band(Gauge::Grievance, ledger.grievance(court)).1
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

/// An army's marker on the map and in the lists: `1`–`9`, then `a`–`z`.
#[must_use]
pub fn army_mark(i: usize) -> char {
    let n = u32::try_from(i).unwrap_or(u32::MAX);
    if n < 9 {
        char::from_digit(n + 1, 10).unwrap_or('?')
    } else {
        char::from_u32(u32::from('a') + (n - 9))
            .filter(char::is_ascii_lowercase)
            .unwrap_or('?')
    }
}

/// The map: places in play with their holders and sieges, and the armies
/// with their routes.
#[must_use]
pub fn map_model(s: &Scenario, c: &Campaign, wide: bool) -> MapModel {
    let lib = &s.library;
    let at = |id: &str| lib.places.get(id).map(|p| (p.lon, p.lat));
    let places = c
        .places()
        .into_iter()
        .filter_map(|p| {
            let lp = lib.places.get(p.id.as_str())?;
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
                .chain(a.route.iter().map(|r| r.as_str()))
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

/// A city or pass on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPlace {
    /// Display name.
    pub name: String,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
    /// Who holds it.
    pub holder: Option<Court>,
    /// Under siege.
    pub besieged: bool,
}

/// An army on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapArmy {
    /// Its marker: `1`–`9`, then `a`–`z`.
    pub mark: char,
    /// Its court.
    pub court: Court,
    /// Name.
    pub name: String,
    /// Where it is (name).
    pub at: String,
    /// Where its march ends (name), if marching.
    pub to: Option<String>,
    /// Its position and the places still on its route, as (lon, lat).
    pub path: Vec<(f64, f64)>,
}

/// What the map shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MapModel {
    /// Places in play.
    pub places: Vec<MapPlace>,
    /// Armies.
    pub armies: Vec<MapArmy>,
    /// All of north China rather than the war zone.
    pub wide: bool,
}
