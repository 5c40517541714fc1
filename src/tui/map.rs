//! The map of the war: north China drawn from the places' coordinates.
//!
//! A ratatui [`Canvas`] (braille) draws the Yellow River's northern course
//! of 1048–1128 (approximate, and labelled so), a rough Bohai coast and the
//! armies' routes; cities and armies are then written over it as letters,
//! so that nothing depends on colour: `S` Song-held, `J` Jin-held, `o` held
//! by neither, `!` under siege, digits for armies (listed under the map).
//!
//! The default view is the war zone (about 110.5–120.5°E, 33–41.5°N); `z`
//! widens it to north China and Manchuria (107.5–128°E, 30–46.5°N). The
//! bounds are stretched to the pane's shape so that a degree looks the same
//! length at any size.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas, Line as Segment, Points};

use super::text;
use super::view::Theme;
use crate::content::model::Court;
use crate::geo::{COAST, LON_SCALE, YELLOW_RIVER};
use crate::view::{MapModel, MapPlace, holder_mark};

const ZONE: ([f64; 2], [f64; 2]) = ([110.5, 120.5], [33.0, 41.5]);
const WIDE: ([f64; 2], [f64; 2]) = ([107.5, 128.0], [30.0, 46.5]);

/// Bounds (x, y) that show at least `want` in an area of `cols` × `rows`
/// cells, stretched so one degree north looks like one degree north at any
/// shape (a cell is about twice as tall as wide).
#[must_use]
pub fn fit_bounds(want: ([f64; 2], [f64; 2]), cols: u16, rows: u16) -> ([f64; 2], [f64; 2]) {
    let (x, y) = want;
    let (w, h) = (f64::from(cols.max(1)), f64::from(rows.max(1)) * 2.0);
    let (lx, ly) = (x[1] - x[0], y[1] - y[0]);
    let (cx, cy) = ((x[0] + x[1]) / 2.0, (y[0] + y[1]) / 2.0);
    // Physical size per cell column along each axis.
    let per_col = lx * LON_SCALE / w;
    let per_row = ly / h;
    if per_col > per_row {
        let ly2 = per_col * h;
        ([x[0], x[1]], [cy - ly2 / 2.0, cy + ly2 / 2.0])
    } else {
        let lx2 = per_row * w / LON_SCALE;
        ([cx - lx2 / 2.0, cx + lx2 / 2.0], [y[0], y[1]])
    }
}

/// The map with its legend, ready to render.
pub struct MapView<'a> {
    /// What to draw.
    pub model: &'a MapModel,
    /// Colours or none.
    pub theme: Theme,
}

/// A cell grid of what has been written over the canvas, so labels do not
/// overwrite each other.
struct Taken {
    area: Rect,
    cells: Vec<bool>,
}

impl Taken {
    fn new(area: Rect) -> Taken {
        Taken {
            area,
            cells: vec![false; usize::from(area.width) * usize::from(area.height)],
        }
    }

    fn idx(&self, x: u16, y: u16) -> Option<usize> {
        let a = self.area;
        (x >= a.left() && x < a.right() && y >= a.top() && y < a.bottom())
            .then(|| usize::from(y - a.top()) * usize::from(a.width) + usize::from(x - a.left()))
    }

    /// Whether `len` cells from (x, y) are inside and free.
    fn free(&self, x: u16, y: u16, len: u16) -> bool {
        (0..len).all(|i| {
            x.checked_add(i)
                .and_then(|xx| self.idx(xx, y))
                .is_some_and(|i| !self.cells[i])
        })
    }

    fn take(&mut self, x: u16, y: u16, len: u16) {
        for i in 0..len {
            if let Some(j) = x.checked_add(i).and_then(|xx| self.idx(xx, y)) {
                self.cells[j] = true;
            }
        }
    }
}

impl MapView<'_> {
    fn bounds(&self, area: Rect) -> ([f64; 2], [f64; 2]) {
        fit_bounds(
            if self.model.wide { WIDE } else { ZONE },
            area.width,
            area.height,
        )
    }

    /// The cell of a coordinate, if inside the area (same rounding as the
    /// canvas's labels).
    fn cell(area: Rect, b: ([f64; 2], [f64; 2]), lon: f64, lat: f64) -> Option<(u16, u16)> {
        let ([left, right], [bottom, top]) = b;
        if lon < left
            || lon > right
            || lat < bottom
            || lat > top
            || area.width < 2
            || area.height < 2
        {
            return None;
        }
        let x = (lon - left) * f64::from(area.width - 1) / (right - left);
        let y = (top - lat) * f64::from(area.height - 1) / (top - bottom);
        // In range by the check above; the conversion cannot truncate.
        let (x, y) = (x.round(), y.round());
        let cx = u16::try_from(x as i64).ok()?;
        let cy = u16::try_from(y as i64).ok()?;
        Some((area.left() + cx, area.top() + cy))
    }

    fn court_style(&self, c: Option<Court>) -> Style {
        match c {
            Some(c) => self.theme.court(c),
            None => Style::default(),
        }
    }

    /// Lines of legend and the armies' key for a width.
    fn legend(&self, width: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let zoom = if self.model.wide {
            "z: the war zone"
        } else {
            "z: all north China"
        };
        let mut out = text::para(
            "",
            &[
                (
                    "S Song · J Jin · o neither · ! siege · digits: armies, ⠒⠒ routes ·",
                    Style::default(),
                ),
                ("⣿ Yellow R., 1048–1128 course (approx.) ·", t.river()),
                (zoom, t.dim()),
            ],
            width,
            0,
        );
        let n = self.model.armies.len();
        let armies: Vec<String> = self
            .model
            .armies
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let to = a.to.as_ref().map(|d| format!("→{d}")).unwrap_or_default();
                let sep = if i + 1 < n { " ·" } else { "" };
                format!(
                    "{} {} {} ({}{to}){sep}",
                    a.mark,
                    a.court.name(),
                    a.name,
                    a.at
                )
            })
            .collect();
        let pieces: Vec<(&str, Style)> = armies
            .iter()
            .zip(&self.model.armies)
            .map(|(s, a)| (s.as_str(), t.court(a.court)))
            .collect();
        out.extend(text::para("", &pieces, width, 0));
        out
    }
}

impl Widget for MapView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < 10 || area.height < 5 {
            return;
        }
        let legend = self.legend(usize::from(area.width));
        // The map keeps at least two thirds of the height.
        let room = area.height / 3;
        let legend_h = u16::try_from(legend.len()).unwrap_or(u16::MAX).min(room);
        let [map, key] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(legend_h)]).areas(area);
        for (i, line) in legend.into_iter().take(usize::from(legend_h)).enumerate() {
            let y = key.top() + u16::try_from(i).unwrap_or(0);
            buf.set_line(key.left(), y, &line, key.width);
        }
        let b = self.bounds(map);
        let t = self.theme;
        let armies = &self.model.armies;
        Canvas::default()
            .marker(Marker::Braille)
            .x_bounds(b.0)
            .y_bounds(b.1)
            .paint(|ctx| {
                for w in COAST.windows(2) {
                    ctx.draw(&Segment::new(
                        w[0].0,
                        w[0].1,
                        w[1].0,
                        w[1].1,
                        t.coast_color(),
                    ));
                }
                for w in YELLOW_RIVER.windows(2) {
                    ctx.draw(&Segment::new(
                        w[0].0,
                        w[0].1,
                        w[1].0,
                        w[1].1,
                        t.river_color(),
                    ));
                }
                ctx.layer();
                for a in armies {
                    // Dotted: a point every tenth of a degree.
                    let mut dots = Vec::new();
                    for w in a.path.windows(2) {
                        let (dx, dy) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
                        let steps = ((dx.abs().max(dy.abs())) * 8.0).clamp(1.0, 400.0);
                        let n = steps as u32;
                        for i in 0..=n {
                            if i % 2 == 0 {
                                let f = f64::from(i) / f64::from(n);
                                dots.push((w[0].0 + dx * f, w[0].1 + dy * f));
                            }
                        }
                    }
                    ctx.draw(&Points {
                        coords: &dots,
                        color: t.court_color(a.court),
                    });
                }
            })
            .render(map, buf);

        let mut taken = Taken::new(map);
        let mut cells = Vec::new();
        // City symbols first, the most pressing first (under siege, then
        // with an army); a city whose cell is taken moves to the nearest
        // free neighbour, so no symbol hides another.
        let busy = |p: &MapPlace| {
            armies
                .iter()
                .any(|a| a.path.first() == Some(&(p.lon, p.lat)))
        };
        let mut order: Vec<&MapPlace> = self.model.places.iter().collect();
        order.sort_by_key(|p| (!p.besieged, !busy(p)));
        for p in order {
            let Some((x, y)) = Self::cell(map, b, p.lon, p.lat) else {
                continue;
            };
            let near = [
                (x, y),
                (x.wrapping_sub(1), y),
                (x, y.wrapping_sub(1)),
                (x, y + 1),
                (x + 1, y + 1),
                (x.wrapping_sub(1), y + 1),
                (x.wrapping_sub(1), y.wrapping_sub(1)),
                (x + 1, y.wrapping_sub(1)),
            ];
            let Some(&(x, y)) = near.iter().find(|(nx, ny)| taken.free(*nx, *ny, 1)) else {
                continue;
            };
            let mark = holder_mark(p.holder).to_string();
            buf.set_string(x, y, &mark, self.court_style(p.holder).patch(t.strong()));
            taken.take(x, y, 1);
            if p.besieged && taken.free(x + 1, y, 1) {
                buf.set_string(x + 1, y, "!", t.alert());
                taken.take(x + 1, y, 1);
            }
            cells.push((x, y, p));
        }
        // Armies: their marker just above their place (or below, or beside).
        for a in armies {
            let Some(&(lon, lat)) = a.path.first() else {
                continue;
            };
            let drawn = cells.iter().find(|(_, _, p)| (p.lon, p.lat) == (lon, lat));
            let Some((x, y)) = drawn
                .map(|(x, y, _)| (*x, *y))
                .or_else(|| Self::cell(map, b, lon, lat))
            else {
                continue;
            };
            let spots = [
                (x, y.wrapping_sub(1)),
                (x, y + 1),
                (x.wrapping_sub(1), y),
                (x + 1, y.wrapping_sub(1)),
                (x.wrapping_sub(1), y.wrapping_sub(1)),
            ];
            if let Some(&(ax, ay)) = spots.iter().find(|(sx, sy)| taken.free(*sx, *sy, 1)) {
                buf.set_string(
                    ax,
                    ay,
                    a.mark.to_string(),
                    t.court(a.court).patch(t.strong()),
                );
                taken.take(ax, ay, 1);
            }
        }
        // Names, in the same order: right of the symbol, else left, else
        // just above or below.
        for (x, y, p) in cells {
            let name = &p.name;
            let len = u16::try_from(text::width(name)).unwrap_or(u16::MAX);
            let right = if p.besieged { x + 3 } else { x + 2 };
            let candidates = [
                (Some(right), y),
                (x.checked_sub(len + 1), y),
                (Some(x), y.wrapping_sub(1)),
                (Some(x), y + 1),
                (x.checked_sub(len.saturating_sub(1)), y.wrapping_sub(1)),
                (x.checked_sub(len.saturating_sub(1)), y + 1),
            ];
            let spot = candidates.into_iter().find_map(|(lx, ly)| {
                let lx = lx?;
                // A free cell either side keeps names apart.
                taken
                    .free(lx.saturating_sub(1), ly, len + 2)
                    .then_some((lx, ly))
            });
            if let Some((lx, ly)) = spot {
                buf.set_string(lx, ly, name, self.court_style(p.holder));
                taken.take(lx.saturating_sub(1), ly, len + 2);
            }
        }
        // The river's and the sea's names where there is room.
        let river_label = if self.model.wide {
            (113.0, 35.6)
        } else {
            (112.9, 35.25)
        };
        for (label, (lon, lat), style) in [
            ("Yellow R.", river_label, t.river()),
            ("Bohai", (119.6, 38.6), t.dim()),
        ] {
            if let Some((x, y)) = Self::cell(map, b, lon, lat) {
                let len = u16::try_from(text::width(label)).unwrap_or(u16::MAX);
                if taken.free(x, y, len) {
                    buf.set_string(x, y, label, style);
                    taken.take(x, y, len);
                }
            }
        }
    }
}

/// Colour of a court's marks when colour is on.
#[must_use]
pub fn court_color(c: Court) -> Color {
    match c {
        Court::Song => Color::Red,
        Court::Jin => Color::Cyan,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_keep_the_wanted_box_and_the_shape_of_a_degree() {
        for (cols, rows) in [(78, 17), (58, 15), (200, 20), (30, 40)] {
            let (x, y) = fit_bounds(ZONE, cols, rows);
            assert!(
                x[0] <= ZONE.0[0] + 1e-9 && x[1] >= ZONE.0[1] - 1e-9,
                "{cols}x{rows}: {x:?}"
            );
            assert!(
                y[0] <= ZONE.1[0] + 1e-9 && y[1] >= ZONE.1[1] - 1e-9,
                "{cols}x{rows}: {y:?}"
            );
            let per_col = (x[1] - x[0]) * LON_SCALE / f64::from(cols);
            let per_row = (y[1] - y[0]) / (f64::from(rows) * 2.0);
            assert!((per_col - per_row).abs() < 1e-9);
        }
    }

    #[test]
    fn the_river_runs_from_the_gorge_to_the_sea_near_tianjin() {
        let first = YELLOW_RIVER[0];
        let last = YELLOW_RIVER[YELLOW_RIVER.len() - 1];
        assert!(first.0 < 112.0 && first.1 > 40.0);
        assert!((117.0..118.5).contains(&last.0) && (38.5..39.5).contains(&last.1));
        // It passes north of Kaifeng (114.31°E, 34.80°N) and by Daming (115.15°E, 36.28°N).
        assert!(
            YELLOW_RIVER
                .iter()
                .any(|(lon, lat)| (*lon - 114.3).abs() < 0.5 && *lat > 34.8)
        );
        assert!(
            YELLOW_RIVER
                .iter()
                .any(|(lon, lat)| (*lon - 115.15).abs() < 0.2 && (*lat - 36.28).abs() < 0.2)
        );
    }
}
