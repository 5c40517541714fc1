//! The debrief's pictures, laid out in numbers the HTML template draws as
//! SVG: two maps side by side (this campaign at its end, and the recorded
//! course over the same months), who held what, the armies' routes and the
//! sieges, and a timeline of the milestones, yours against the record.
//!
//! Everything is computed here, once, so the template only places shapes:
//! the projection (longitude stretched by [`LON_SCALE`], so a degree looks
//! the same north and east), which labels fit without overlapping, and a
//! text description of each map for readers who cannot see it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::course::Course;
use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::Court;
use crate::geo::{COAST, LON_SCALE, YELLOW_RIVER};
use crate::history::MilestoneRow;
use crate::sim::Campaign;

/// The widest frame a map may show (lon, lat): the war zone from Chang'an
/// to the Bohai, Yanjing to the Yangzi. Places outside are listed instead.
const FRAME: ([f64; 2], [f64; 2]) = ([108.4, 121.6], [31.2, 42.6]);
/// Width of a map in SVG units.
const MAP_W: f64 = 560.0;
/// Width of the timeline in SVG units, and of its label column.
const TL_W: f64 = 1100.0;
const TL_LABEL: f64 = 330.0;

/// All the debrief's pictures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figures {
    /// This campaign's map, then the recorded course's.
    pub maps: Vec<MapFigure>,
    /// Who held each place: at the start, at this campaign's end, and in
    /// the record at the same month.
    pub holders: Vec<HolderRow>,
    /// The routes drawn, numbered as on the maps.
    pub routes: Vec<RouteRow>,
    /// The sieges, this campaign's and the recorded ones.
    pub sieges: Vec<SiegeRow>,
    /// Places in play that lie outside the maps' frame.
    pub off_map: Vec<String>,
    /// The milestones on a time axis.
    pub timeline: TimelineFigure,
    /// Why the recorded course is missing, if it is.
    pub course_problem: Option<String>,
}

/// One map.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapFigure {
    /// Element id (`map-yours`, `map-record`).
    pub id: String,
    /// Its title (also the SVG `<title>`).
    pub title: String,
    /// A description of everything on it, for the SVG `<desc>`.
    pub desc: String,
    /// Width in SVG units.
    pub width: u32,
    /// Height in SVG units.
    pub height: u32,
    /// The Yellow River as an SVG path.
    pub river: String,
    /// Where the river's label goes.
    pub river_label: (f64, f64),
    /// The coast as an SVG path.
    pub coast: String,
    /// Places.
    pub places: Vec<MapMark>,
    /// Routes.
    pub routes: Vec<RouteMark>,
}

/// A place on a map.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MapMark {
    /// Name.
    pub name: String,
    /// Position.
    pub x: f64,
    /// Position.
    pub y: f64,
    /// `Song`, `Jin` or `neither`.
    pub holder: String,
    /// `S`, `J` or `o`: the holder as a letter, so colour is never needed.
    pub letter: String,
    /// Under siege at the end.
    pub besieged: bool,
    /// It changed hands during these months.
    pub changed: bool,
    /// Its name is written (it fits without covering another).
    pub label: bool,
    /// Where the name starts.
    pub label_x: f64,
    /// Baseline of the name.
    pub label_y: f64,
    /// `start` or `end`.
    pub anchor: String,
}

/// A route on a map.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RouteMark {
    /// Its number on the map and in the list.
    pub n: usize,
    /// `Song` or `Jin`.
    pub court: String,
    /// SVG polyline points.
    pub points: String,
    /// The route's end.
    pub end_x: f64,
    /// The route's end.
    pub end_y: f64,
    /// The centre of the number's badge.
    pub badge_x: f64,
    /// The centre of the number's badge.
    pub badge_y: f64,
}

/// A route in the list under the maps.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RouteRow {
    /// `yours` or `record`.
    pub map: String,
    /// Number on its map.
    pub n: usize,
    /// Army or march.
    pub name: String,
    /// `Song` or `Jin`.
    pub court: String,
    /// Places, `Pingzhou → Yanjing → …`.
    pub route: String,
    /// Months, in the Song calendar.
    pub months: String,
    /// Dates along the way (the record only).
    pub note: String,
    /// Source ids (the record only).
    pub sources: Vec<String>,
    /// `model`, `recorded`, `disputed`.
    pub certainty: String,
}

/// A siege in the list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SiegeRow {
    /// `yours` or `record`.
    pub map: String,
    /// Place name.
    pub place: String,
    /// From and to, in the Song calendar.
    pub months: String,
    /// `fell`, `held`, `still under siege`.
    pub outcome: String,
    /// Notes (the record only).
    pub note: String,
    /// Sources (the record only).
    pub sources: Vec<String>,
    /// `model`, `recorded`, `disputed`.
    pub certainty: String,
}

/// A place's holders.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HolderRow {
    /// Place name.
    pub place: String,
    /// At the start of the scenario.
    pub start: String,
    /// At this campaign's end.
    pub yours: String,
    /// In the record at the same month.
    pub record: String,
    /// This campaign's end differs from the record.
    pub differs: bool,
}

/// The milestones on a time axis.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelineFigure {
    /// Width in SVG units.
    pub width: u32,
    /// Height in SVG units.
    pub height: u32,
    /// Where the plot starts (after the label column).
    pub left: f64,
    /// Top of the first row.
    pub top: f64,
    /// The band of months played: x from, x to.
    pub played: (f64, f64),
    /// Month ticks.
    pub ticks: Vec<Tick>,
    /// One row per milestone.
    pub rows: Vec<TimelineRow>,
    /// A description for the SVG `<desc>`.
    pub desc: String,
}

/// A month on the axis.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tick {
    /// Position.
    pub x: f64,
    /// Labelled (not every month has room).
    pub label: bool,
    /// Song reckoning, short: `Jingkang 1, 1st`.
    pub song: String,
    /// Jin reckoning, short: `Tianhui 4, 1st`.
    pub jin: String,
    /// Julian: `Jan 1126`.
    pub julian: String,
}

/// A milestone's row.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelineRow {
    /// Title.
    pub title: String,
    /// Baseline.
    pub y: f64,
    /// The recorded month's position, if it happened.
    pub recorded_x: Option<f64>,
    /// This campaign's month's position, if reached.
    pub yours_x: Option<f64>,
    /// `same month`, `2 months later`, `did not happen` …
    pub result: String,
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn court_name(c: Option<Court>) -> String {
    c.map_or_else(|| "neither".to_owned(), |c| c.name().to_owned())
}

fn letter(c: Option<Court>) -> String {
    match c {
        Some(Court::Song) => "S",
        Some(Court::Jin) => "J",
        None => "o",
    }
    .to_owned()
}

/// The projection of one map frame.
struct Projection {
    lon0: f64,
    lat1: f64,
    k: f64,
    width: f64,
    height: f64,
}

impl Projection {
    /// The frame that shows every point given (clipped to [`FRAME`]), with
    /// a margin, at [`MAP_W`] units wide.
    fn fit(points: &[(f64, f64)]) -> Projection {
        let inside: Vec<&(f64, f64)> = points
            .iter()
            .filter(|(lon, lat)| in_frame(*lon, *lat))
            .collect();
        let (mut lon0, mut lon1, mut lat0, mut lat1): (f64, f64, f64, f64) =
            (113.0, 115.5, 34.0, 36.0);
        for (lon, lat) in inside {
            lon0 = lon0.min(*lon);
            lon1 = lon1.max(*lon);
            lat0 = lat0.min(*lat);
            lat1 = lat1.max(*lat);
        }
        let pad = 0.45;
        let (lon0, lon1) = (lon0 - pad, lon1 + pad);
        let (lat0, lat1) = (lat0 - pad, lat1 + pad);
        let k = MAP_W / ((lon1 - lon0) * LON_SCALE);
        Projection {
            lon0,
            lat1,
            k,
            width: MAP_W,
            height: ((lat1 - lat0) * k).round(),
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            round1((lon - self.lon0) * LON_SCALE * self.k),
            round1((self.lat1 - lat) * self.k),
        )
    }

    fn path(&self, pts: &[(f64, f64)]) -> String {
        pts.iter()
            .enumerate()
            .map(|(i, (lon, lat))| {
                let (x, y) = self.xy(*lon, *lat);
                format!("{}{x},{y}", if i == 0 { "M" } else { " L" })
            })
            .collect()
    }
}

fn in_frame(lon: f64, lat: f64) -> bool {
    (FRAME.0[0]..=FRAME.0[1]).contains(&lon) && (FRAME.1[0]..=FRAME.1[1]).contains(&lat)
}

/// Label boxes already placed, to keep names from covering each other.
#[derive(Default)]
struct Placer {
    boxes: Vec<(f64, f64, f64, f64)>,
}

impl Placer {
    fn free(&self, b: (f64, f64, f64, f64)) -> bool {
        self.boxes
            .iter()
            .all(|o| b.2 <= o.0 || o.2 <= b.0 || b.3 <= o.1 || o.3 <= b.1)
    }

    /// Places a name beside a marker at (x, y): right of it, else left.
    fn place(
        &mut self,
        name: &str,
        x: f64,
        y: f64,
        width: f64,
    ) -> Option<(f64, f64, &'static str)> {
        let w = 6.4 * name.chars().count() as f64;
        let right = (x + 8.0, y - 9.0, x + 10.0 + w, y + 4.0);
        let left = (x - 10.0 - w, y - 9.0, x - 8.0, y + 4.0);
        for (b, lx, anchor) in [(right, x + 9.0, "start"), (left, x - 9.0, "end")] {
            if b.0 >= 0.0 && b.2 <= width && self.free(b) {
                self.boxes.push(b);
                return Some((round1(lx), round1(y + 3.5), anchor));
            }
        }
        None
    }
}

/// A place's state at the end of one of the two courses.
struct PlaceEnd {
    id: String,
    holder: Option<Court>,
    besieged: bool,
    changed: bool,
}

/// A route to draw: court, name, place ids.
struct Route {
    court: Court,
    places: Vec<String>,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one map is drawn from exactly these parts"
)]
fn map(
    s: &Scenario,
    proj: &Projection,
    id: &str,
    title: String,
    ends: &[PlaceEnd],
    routes: &[Route],
    sieges: &[String],
    notes: &str,
) -> MapFigure {
    let lib = &s.library;
    let at = |p: &str| lib.places.get(p).map(|x| (x.lon, x.lat));
    // Routes first: their ends keep the place names clear of the numbers.
    let mut placer = Placer::default();
    let mut marks = Vec::new();
    let mut route_marks = Vec::new();
    for (i, r) in routes.iter().enumerate() {
        let pts: Vec<(f64, f64)> = r
            .places
            .iter()
            .filter_map(|p| at(p))
            .filter(|(lon, lat)| in_frame(*lon, *lat))
            .map(|(lon, lat)| proj.xy(lon, lat))
            .collect();
        let Some(&(ex, ey)) = pts.last() else {
            continue;
        };
        // The number's badge sits just above the route's end, or beside it
        // when another route ends at the same place.
        let (bx, by) = [
            (0.0, -14.0),
            (16.0, -14.0),
            (-16.0, -14.0),
            (0.0, -30.0),
            (16.0, -30.0),
        ]
        .into_iter()
        .map(|(dx, dy)| (round1(ex + dx), round1(ey + dy)))
        .find(|(bx, by)| placer.free((bx - 7.5, by - 8.0, bx + 7.5, by + 8.0)))
        .unwrap_or((ex, ey - 14.0));
        placer.boxes.push((bx - 7.5, by - 8.0, bx + 7.5, by + 8.0));
        route_marks.push(RouteMark {
            n: i + 1,
            court: r.court.name().to_owned(),
            points: pts
                .iter()
                .map(|(x, y)| format!("{x},{y}"))
                .collect::<Vec<_>>()
                .join(" "),
            end_x: ex,
            end_y: ey,
            badge_x: bx,
            badge_y: by,
        });
    }
    // Places: the busiest first (sieges, changes of hands, then the rest in
    // the order of the library), so they keep their names.
    let mut order: Vec<&PlaceEnd> = ends.iter().collect();
    order.sort_by_key(|p| {
        (
            !(sieges.contains(&p.id) || p.besieged),
            !p.changed,
            p.id != "kaifeng",
        )
    });
    let mut drawn: Vec<(f64, f64)> = Vec::new();
    for p in order {
        let Some((lon, lat)) = at(&p.id) else {
            continue;
        };
        if !in_frame(lon, lat) {
            continue;
        }
        let (x, y) = proj.xy(lon, lat);
        // A place on top of one already drawn (a camp outside a city) is
        // left to the lists.
        if drawn
            .iter()
            .any(|(dx, dy)| (dx - x).abs() < 7.0 && (dy - y).abs() < 7.0)
        {
            continue;
        }
        drawn.push((x, y));
        placer.boxes.push((x - 6.0, y - 6.0, x + 6.0, y + 6.0));
        let name = s.place_name(&p.id);
        let spot = placer.place(&name, x, y, proj.width);
        marks.push(MapMark {
            name,
            x,
            y,
            holder: court_name(p.holder),
            letter: letter(p.holder),
            besieged: p.besieged,
            changed: p.changed,
            label: spot.is_some(),
            label_x: spot.map_or(x, |s| s.0),
            label_y: spot.map_or(y, |s| s.1),
            anchor: spot.map_or("start", |s| s.2).to_owned(),
        });
    }
    let held = |c: Option<Court>| {
        let names: Vec<String> = ends
            .iter()
            .filter(|p| p.holder == c)
            .map(|p| s.place_name(&p.id))
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    let mut desc = format!(
        "{title}. Held by the Song: {}. Held by the Jin: {}. Held by neither: {}.",
        held(Some(Court::Song)),
        held(Some(Court::Jin)),
        held(None)
    );
    for (i, r) in routes.iter().enumerate() {
        desc.push_str(&format!(
            " Route {}, {}: {}.",
            i + 1,
            r.court.name(),
            r.places
                .iter()
                .map(|p| s.place_name(p))
                .collect::<Vec<_>>()
                .join(" to ")
        ));
    }
    if !notes.is_empty() {
        desc.push(' ');
        desc.push_str(notes);
    }
    let (rlx, rly) = proj.xy(112.6, 34.72);
    MapFigure {
        id: id.to_owned(),
        title,
        desc,
        width: MAP_W as u32,
        height: proj.height as u32,
        river: proj.path(&YELLOW_RIVER),
        river_label: (rlx, rly + 14.0),
        coast: proj.path(COAST),
        places: marks,
        routes: route_marks,
    }
}

impl Figures {
    /// The pictures of a campaign beside the record, with the debrief's
    /// milestone rows for the timeline.
    #[must_use]
    pub fn of(s: &Scenario, c: &Campaign, milestones: &[MilestoneRow]) -> Figures {
        let (course, course_problem) = Course::embedded();
        Figures::with_course(s, c, milestones, &course, course_problem)
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one builder for all the pictures, read top to bottom"
    )]
    fn with_course(
        s: &Scenario,
        c: &Campaign,
        milestones: &[MilestoneRow],
        course: &Course,
        course_problem: Option<String>,
    ) -> Figures {
        let cal = s.calendar();
        let lib = &s.library;
        let month = |id: &str| cal.parse_id(id);
        let end = c.ledger().ended.unwrap_or_else(|| c.month());
        let label = |m: MonthIdx| cal.short_label(m, Court::Song);
        let span = |a: MonthIdx, b: Option<MonthIdx>| match b {
            Some(b) if b == a => label(a),
            Some(b) => format!("{} – {}", label(a), label(b)),
            None => format!("{} – (still at the end)", label(a)),
        };
        let trail = c.trail();
        let start_holders: BTreeMap<&str, Option<Court>> = s
            .meta
            .state
            .places
            .iter()
            .map(|p| (p.place.as_str(), p.holder))
            .collect();

        // This campaign.
        let places = c.places();
        let yours: Vec<PlaceEnd> = places
            .iter()
            .map(|p| PlaceEnd {
                id: p.id.to_string(),
                holder: p.holder,
                besieged: p.besieged,
                changed: trail.changes.iter().any(|x| x.place == p.id),
            })
            .collect();
        let armies = c.armies();
        let mut your_routes = Vec::new();
        let mut routes = Vec::new();
        for (id, steps) in &trail.armies {
            if steps.len() < 2 {
                continue;
            }
            let Some(a) = armies.iter().find(|a| &a.id == id) else {
                continue;
            };
            let n = your_routes.len() + 1;
            let first = steps.first().map(|x| x.0);
            let last = steps.last().map(|x| x.0);
            routes.push(RouteRow {
                map: "yours".to_owned(),
                n,
                name: a.name.clone(),
                court: a.court.name().to_owned(),
                route: steps
                    .iter()
                    .map(|(_, p)| s.place_name(p))
                    .collect::<Vec<_>>()
                    .join(" → "),
                months: first.map_or_else(String::new, |f| span(f, last)),
                note: String::new(),
                sources: Vec::new(),
                certainty: "model".to_owned(),
            });
            your_routes.push(Route {
                court: a.court,
                places: steps.iter().map(|(_, p)| p.clone()).collect(),
            });
        }
        let mut sieges: Vec<SiegeRow> = trail
            .sieges
            .iter()
            .map(|x| SiegeRow {
                map: "yours".to_owned(),
                place: s.place_name(&x.place),
                months: span(x.from, x.until),
                outcome: match (x.until, x.fell) {
                    (None, _) => "still under siege at the end",
                    (Some(_), true) => "fell",
                    (Some(_), false) => "held",
                }
                .to_owned(),
                note: String::new(),
                sources: Vec::new(),
                certainty: "model".to_owned(),
            })
            .collect();
        let your_sieges: Vec<String> = trail.sieges.iter().map(|x| x.place.clone()).collect();

        // The record over the same months.
        let within = |from: &str, until: &str| match (month(from), month(until)) {
            (Some(a), Some(b)) => a <= end && b >= s.start,
            _ => false,
        };
        let mut rec_holders = start_holders.clone();
        let mut rec_changed = Vec::new();
        let mut changes: Vec<_> = course
            .changes
            .iter()
            .filter_map(|x| Some((month(&x.month)?, x)))
            .filter(|(m, _)| *m >= s.start && *m <= end)
            .collect();
        changes.sort_by_key(|(m, _)| *m);
        for (_, x) in &changes {
            if let Some(h) = rec_holders.get_mut(x.place.as_str()) {
                *h = x.to;
                rec_changed.push(x.place.clone());
            }
        }
        let rec_sieges: Vec<_> = course
            .sieges
            .iter()
            .filter(|x| within(&x.from, x.until.as_deref().unwrap_or(&x.from)) || x.until.is_none())
            .collect();
        let rec_besieged = |id: &str| {
            rec_sieges.iter().any(|x| {
                x.place == id
                    && month(&x.from).is_some_and(|f| f <= end)
                    && x.until.as_deref().and_then(month).is_none_or(|u| u > end)
            })
        };
        let record: Vec<PlaceEnd> = places
            .iter()
            .map(|p| PlaceEnd {
                id: p.id.to_string(),
                holder: rec_holders.get(p.id.as_str()).copied().flatten(),
                besieged: rec_besieged(&p.id),
                changed: rec_changed.iter().any(|x| *x == p.id),
            })
            .collect();
        let mut record_routes = Vec::new();
        for m in course.marches.iter().filter(|m| within(&m.from, &m.until)) {
            let n = record_routes.len() + 1;
            routes.push(RouteRow {
                map: "record".to_owned(),
                n,
                name: m.name.clone(),
                court: m.court.name().to_owned(),
                route: m
                    .route
                    .iter()
                    .map(|p| s.place_name(p))
                    .collect::<Vec<_>>()
                    .join(" → "),
                months: match (month(&m.from), month(&m.until)) {
                    (Some(a), b) => span(a, b),
                    _ => String::new(),
                },
                note: m.note.clone(),
                sources: m.sources.clone(),
                certainty: m.certainty.label().to_owned(),
            });
            record_routes.push(Route {
                court: m.court,
                places: m.route.clone(),
            });
        }
        for x in &rec_sieges {
            let Some(from) = month(&x.from) else { continue };
            let until = x.until.as_deref().and_then(month);
            sieges.push(SiegeRow {
                map: "record".to_owned(),
                place: s.place_name(&x.place),
                months: span(from, until),
                outcome: match (until, x.fell) {
                    (Some(u), _) if u > end => "still under siege at this month",
                    (None, _) => "still under siege at this month",
                    (Some(_), true) => "fell",
                    (Some(_), false) => "held",
                }
                .to_owned(),
                note: x.note.clone(),
                sources: x.sources.clone(),
                certainty: x.certainty.label().to_owned(),
            });
        }
        let rec_siege_places: Vec<String> = rec_sieges.iter().map(|x| x.place.clone()).collect();

        // One frame for both maps, so they can be compared point by point.
        let mut pts: Vec<(f64, f64)> = places
            .iter()
            .filter_map(|p| lib.places.get(p.id.as_str()).map(|x| (x.lon, x.lat)))
            .collect();
        for r in your_routes.iter().chain(&record_routes) {
            pts.extend(
                r.places
                    .iter()
                    .filter_map(|p| lib.places.get(p).map(|x| (x.lon, x.lat))),
            );
        }
        let proj = Projection::fit(&pts);
        let off_map = places
            .iter()
            .filter(|p| {
                lib.places
                    .get(p.id.as_str())
                    .is_some_and(|x| !in_frame(x.lon, x.lat))
            })
            .map(|p| format!("{} ({})", s.place_name(&p.id), court_name(p.holder)))
            .collect();
        let end_label = cal.song_label(end);
        let maps = vec![
            map(
                s,
                &proj,
                "map-yours",
                format!("This campaign at its end, {end_label}"),
                &yours,
                &your_routes,
                &your_sieges,
                "Drawn by the model: not history.",
            ),
            map(
                s,
                &proj,
                "map-record",
                format!("The recorded course to {end_label}"),
                &record,
                &record_routes,
                &rec_siege_places,
                "From the sources named in the lists below.",
            ),
        ];
        let holders = places
            .iter()
            .zip(&record)
            .map(|(p, r)| HolderRow {
                place: s.place_name(&p.id),
                start: court_name(start_holders.get(p.id.as_str()).copied().flatten()),
                yours: format!(
                    "{}{}",
                    court_name(p.holder),
                    if p.besieged { ", under siege" } else { "" }
                ),
                record: format!(
                    "{}{}",
                    court_name(r.holder),
                    if r.besieged { ", under siege" } else { "" }
                ),
                differs: p.holder != r.holder,
            })
            .collect();
        Figures {
            maps,
            holders,
            routes,
            sieges,
            off_map,
            timeline: timeline(s, end, milestones),
            course_problem,
        }
    }
}

/// The milestones on an axis of months: from the scenario's start (or the
/// earliest month a milestone needs) to its end (or the latest).
fn timeline(s: &Scenario, end: MonthIdx, milestones: &[MilestoneRow]) -> TimelineFigure {
    let cal = s.calendar();
    let month = |id: &Option<String>| id.as_deref().and_then(|m| cal.parse_id(m));
    let mut first = s.start;
    let mut last = end.max(s.end);
    for m in milestones {
        for x in [month(&m.recorded_month), month(&m.month)]
            .into_iter()
            .flatten()
        {
            first = first.min(x);
            last = last.max(x);
        }
    }
    let n = f64::from(last.0.saturating_sub(first.0) + 1);
    let step = ((TL_W - TL_LABEL - 20.0) / n).min(60.0);
    let x_of = |m: MonthIdx| round1(TL_LABEL + step * (f64::from(m.0 - first.0) + 0.5));
    let every = (95.0 / step).ceil().max(1.0) as u16;
    let ticks = (first.0..=last.0)
        .map(|i| {
            let m = MonthIdx(i);
            let short = |c: Court| {
                let mm = cal.month(m);
                let (era, year) = match c {
                    Court::Song => (&mm.song_era, mm.song_year),
                    Court::Jin => (&mm.jin_era, mm.jin_year),
                };
                format!(
                    "{era} {year}, {}{}",
                    if mm.leap { "L" } else { "" },
                    mm.number
                )
            };
            Tick {
                x: x_of(m),
                label: (i - first.0).is_multiple_of(every),
                song: short(Court::Song),
                jin: short(Court::Jin),
                julian: cal.julian_short(m),
            }
        })
        .collect();
    let top = 74.0;
    let row_h = 30.0;
    let rows: Vec<TimelineRow> = milestones
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let result = match (m.offset, &m.month, &m.recorded_month) {
                (Some(0), _, _) => "same month".to_owned(),
                (Some(o), _, _) => format!(
                    "{} month{} {}",
                    o.abs(),
                    if o.abs() == 1 { "" } else { "s" },
                    if o > 0 { "later" } else { "earlier" }
                ),
                (None, None, Some(_)) => "did not happen".to_owned(),
                (None, Some(_), None) => "happened; never in the record".to_owned(),
                (None, _, _) => "in neither".to_owned(),
            };
            TimelineRow {
                title: m.title.clone(),
                y: round1(top + row_h * (i as f64) + row_h / 2.0),
                recorded_x: month(&m.recorded_month).map(x_of),
                yours_x: month(&m.month).map(x_of),
                result,
            }
        })
        .collect();
    let desc = rows
        .iter()
        .zip(milestones)
        .map(|(r, m)| {
            format!(
                "{}: recorded {}; this campaign {}.",
                r.title, m.recorded_short, r.result
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    TimelineFigure {
        width: TL_W as u32,
        height: (top + row_h * rows.len() as f64 + 16.0) as u32,
        left: TL_LABEL,
        top,
        played: (
            round1(x_of(s.start) - step / 2.0),
            round1(x_of(s.end) + step / 2.0),
        ),
        ticks,
        rows,
        desc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projection_keeps_north_up_and_east_right() {
        let p = Projection::fit(&[(114.3, 34.8), (116.35, 39.88)]);
        let (kx, ky) = p.xy(114.3, 34.8);
        let (yx, yy) = p.xy(116.35, 39.88);
        assert!(yx > kx, "Yanjing is east of Kaifeng");
        assert!(yy < ky, "and north of it, so higher on the page");
        assert!(kx > 0.0 && yx < MAP_W && yy > 0.0 && ky < p.height);
    }

    #[test]
    fn labels_never_overlap() {
        let mut pl = Placer::default();
        let a = pl.place("Kaifeng", 100.0, 100.0, 500.0);
        let b = pl.place("Qingcheng", 101.0, 101.0, 500.0);
        let c = pl.place("Liujia si", 100.0, 102.0, 500.0);
        assert!(a.is_some() && b.is_some(), "right, then left");
        assert_ne!(a.map(|x| x.2), b.map(|x| x.2));
        assert!(c.is_none(), "a third name in the same spot is left out");
    }
}
