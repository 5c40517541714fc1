//! The screen: [`Screen`], everything shown, built from the game (its
//! parts are the plain values of [`crate::view`]), and
//! `impl Widget for &Screen` that draws it.
//!
//! Layout: a line with the month in both calendars, a tab bar, the panes,
//! and a footer with feedback or key hints. Below 120×36 one pane fills the
//! body (the one with the focus); from 120×36 four slots show at once: the
//! council (or debrief) and the chronicle / record / encyclopedia on the
//! left, the map and the court's state on the right. The focused pane has a
//! double border and a `▶` in its title, so focus never rests on colour.
//! Below 80×24 the screen asks to be made larger.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Widget};

use super::map::{MapView, court_color};
use super::text::{self, fit, para, plain};
use super::ui::{Overlay, Pane, Ui};
use super::{Game, MIN_SIZE};
use crate::content::model::Court;
use crate::lookup;
use crate::sim::{CouncilView, Step};
use crate::view::MapModel;
use crate::view::{self as model, ChronMonth, LookupModel, Mark, RecordItem, StateModel};

/// Styles, with or without colour (`NO_COLOR`). Meaning is always also
/// carried by a letter, symbol or label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Colour on.
    pub color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    /// A court's marks.
    #[must_use]
    pub fn court(self, c: Court) -> Style {
        self.fg(court_color(c))
    }

    /// A court's colour for canvas shapes.
    #[must_use]
    pub fn court_color(self, c: Court) -> Color {
        if self.color {
            court_color(c)
        } else {
            Color::Reset
        }
    }

    /// The river.
    #[must_use]
    pub fn river(self) -> Style {
        self.fg(Color::Blue)
    }

    /// The river's canvas colour.
    #[must_use]
    pub fn river_color(self) -> Color {
        if self.color {
            Color::Blue
        } else {
            Color::Reset
        }
    }

    /// The coast's canvas colour.
    #[must_use]
    pub fn coast_color(self) -> Color {
        if self.color {
            Color::DarkGray
        } else {
            Color::Reset
        }
    }

    /// Secondary text (labels, sources).
    #[must_use]
    pub fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }

    /// Headings and names.
    #[must_use]
    pub fn strong(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    /// Warnings: sieges, the confirmation.
    #[must_use]
    pub fn alert(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// The focused pane's border.
    #[must_use]
    pub fn accent(self) -> Style {
        self.fg(Color::Yellow)
    }

    /// A selected row.
    #[must_use]
    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
}

/// Everything the screen shows, built from a [`Game`].
#[derive(Debug, Clone)]
pub struct Screen {
    /// The interface's state.
    pub ui: Ui,
    /// Styles.
    pub theme: Theme,
    /// Scenario title.
    pub title: String,
    /// The court played.
    pub side: Court,
    /// The player's name, if they gave one.
    pub player: Option<String>,
    /// The month in the reckoning of the court played, with Julian dates.
    pub month: String,
    /// The month in the other court's reckoning.
    pub other_month: String,
    /// The council waiting, if any.
    pub council: Option<CouncilView>,
    /// The scenario's opening text, until the first decision.
    pub intro: String,
    /// What happened since the last decision.
    pub news: Vec<ChronMonth>,
    /// At the end: the debrief (drawn from the same text template as the
    /// line mode's, wrapped to the pane).
    pub debrief: Option<crate::history::Debrief>,
    /// The court's state.
    pub state: StateModel,
    /// The map.
    pub map: MapModel,
    /// The chronicle so far.
    pub chronicle: Vec<ChronMonth>,
    /// The record so far.
    pub record: Vec<RecordItem>,
    /// Footnote under the record.
    pub record_note: String,
    /// The encyclopedia.
    pub lookup: LookupModel,
    /// The model's latest reasons (`[model]` trace lines).
    pub why: Vec<String>,
}

impl Screen {
    /// Builds the screen from the game.
    #[must_use]
    pub fn new(game: &Game) -> Screen {
        let c = &game.session.campaign;
        let s = c.scenario().clone();
        let side = game.session.side;
        let cal = s.calendar();
        let now = c.month();
        let ui = game.ui.clone();
        let pace = game.session.run.pace;
        let council = match game.step() {
            Step::Council(v) => Some(pace.council(&s, v.clone())),
            Step::Ended => None,
        };
        let pending = council.as_ref().map(|v| v.decision.as_str());
        let hits = lookup::search(&s, &ui.query);
        let selected = ui.selected.min(hits.len().saturating_sub(1));
        let detail = hits
            .get(selected)
            .map(|h| {
                // While a council waits, as of the month its question came up.
                let as_of = match game.step() {
                    Step::Council(v) => v.as_of,
                    Step::Ended => now,
                };
                lookup::describe(&s, h.kind, &h.id, (!ui.ended).then_some(as_of))
            })
            .unwrap_or_default();
        Screen {
            theme: Theme { color: game.color },
            title: s.meta.title.clone(),
            side,
            player: game.session.run.player.clone(),
            month: cal.label(now, side),
            other_month: format!(
                "{} reckoning: {}",
                side.other().name(),
                cal.short_label(now, side.other())
            ),
            intro: if game.session.run.decisions.is_empty() && game.news_from() == (0, 0) {
                pace.intro(&s).to_owned()
            } else {
                String::new()
            },
            news: if council.is_some() {
                model::chron_months(&s, c, side, game.news_from(), pace)
            } else {
                Vec::new()
            },
            debrief: game.debrief().cloned(),
            state: model::state(&s, c, side),
            map: model::map_model(&s, c, ui.map_wide),
            chronicle: model::chron_months(&s, c, side, (0, 0), pace),
            record: model::record(&s, now, ui.ended, pending),
            record_note: if ui.ended {
                "The whole record of the chapter, now that the campaign is over.".to_owned()
            } else {
                format!(
                    "The record up to the month before this one. {}",
                    model::RECORD_WITHHELD
                )
            },
            lookup: LookupModel {
                query: ui.query.clone(),
                typing: ui.typing,
                hits: hits.into_iter().map(|h| (h.kind, h.name)).collect(),
                selected,
                detail: detail.split('\n').map(str::to_owned).collect(),
            },
            why: c.why_lines(40),
            council,
            ui,
        }
    }

    /// Whether the large layout (four slots) fits a screen of this size:
    /// from 120×36.
    #[must_use]
    pub fn large(area: Rect) -> bool {
        area.width >= 120 && area.height >= 36
    }

    /// The panes shown in the body and where.
    #[must_use]
    pub fn layout(&self, body: Rect) -> Vec<(Pane, Rect)> {
        // The body is the screen less three lines (header, tabs, footer).
        if !Self::large(Rect::new(0, 0, body.width, body.height + 3)) {
            return vec![(self.ui.focus, body)];
        }
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(52), Constraint::Fill(1)]).areas(body);
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(62), Constraint::Fill(1)]).areas(left);
        let [map, state] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Fill(1)]).areas(right);
        let lower = if matches!(
            self.ui.focus,
            Pane::Chronicle | Pane::Record | Pane::Lookup | Pane::Why
        ) {
            self.ui.focus
        } else {
            self.ui.lower
        };
        vec![
            (Pane::Council, top),
            (lower, bottom),
            (Pane::Map, map),
            (Pane::State, state),
        ]
    }

    fn body(area: Rect) -> Rect {
        Rect::new(
            area.x,
            area.y + 2,
            area.width,
            area.height.saturating_sub(3),
        )
    }

    /// How far each pane shown in `area` can scroll (`None` for a pane not
    /// shown).
    #[must_use]
    pub fn scroll_limits(&self, area: Rect) -> [Option<usize>; super::ui::PANES] {
        let mut out = [None; super::ui::PANES];
        if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
            return out;
        }
        for (pane, rect) in self.layout(Self::body(area)) {
            let inner = Block::bordered().inner(rect);
            out[pane.index()] = Some(match self.scrolled(pane, inner) {
                Some((lines, text)) => lines.len().saturating_sub(usize::from(text.height)),
                None => 0,
            });
        }
        out
    }

    /// A pane's scrolling text and the area it scrolls in (`None`: the map).
    fn scrolled(&self, pane: Pane, inner: Rect) -> Option<(Vec<Line<'static>>, Rect)> {
        let w = usize::from(inner.width);
        match pane {
            Pane::Map => None,
            Pane::Council if self.debrief.is_some() || self.council.is_none() => {
                Some((self.debrief_lines(w), inner))
            }
            Pane::Council => {
                let (text, _) = self.council_split(inner);
                Some((self.council_lines(w), text))
            }
            Pane::State => Some((self.state_lines(w), inner)),
            Pane::Chronicle => Some((self.chronicle_lines(w), inner)),
            Pane::Record => Some((self.record_lines(w), inner)),
            Pane::Why => Some((self.why_lines(w), inner)),
            Pane::Lookup => {
                let (_, _, detail) = self.lookup_split(inner);
                Some((self.detail_lines(usize::from(detail.width)), detail))
            }
        }
    }

    fn council_split(&self, inner: Rect) -> (Rect, Option<Rect>) {
        let n = self.council.as_ref().map_or(0, |c| c.options.len());
        let h = u16::try_from(n + 1).unwrap_or(u16::MAX);
        if n == 0 || inner.height < h + 4 {
            return (inner, None);
        }
        let [text, opts] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(h)]).areas(inner);
        (text, Some(opts))
    }

    fn lookup_split(&self, inner: Rect) -> (Rect, Rect, Rect) {
        let [search, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        if inner.width >= 90 {
            let [list, detail] = Layout::horizontal([Constraint::Length(34), Constraint::Fill(1)])
                .spacing(1)
                .areas(rest);
            (search, list, detail)
        } else {
            let list_h = (rest.height / 3).clamp(3, 8);
            let [list, detail] =
                Layout::vertical([Constraint::Length(list_h), Constraint::Fill(1)]).areas(rest);
            (search, list, detail)
        }
    }

    fn chron_block(&self, months: &[ChronMonth], w: usize, out: &mut Vec<Line<'static>>) {
        let t = self.theme;
        for m in months {
            let label = match &m.other {
                Some(o) => format!("── {} · {o} ──", m.label),
                None => format!("── {} ──", m.label),
            };
            out.extend(para("", &[(&label, t.strong())], w, 3));
            for l in &m.lines {
                let lead = format!("{} ", l.mark.symbol());
                match l.mark {
                    Mark::Dispatch => {
                        out.extend(para(
                            &lead,
                            &[(&l.title, t.strong()), (&l.tag, t.dim())],
                            w,
                            2,
                        ));
                        out.extend(plain(&l.text, Style::default(), w, 2));
                    }
                    Mark::Decision => out.extend(para(
                        &lead,
                        &[(&l.title, t.strong()), (&l.text, Style::default())],
                        w,
                        2,
                    )),
                    Mark::Model => out.extend(para(
                        &lead,
                        &[(&l.text, Style::default()), (&l.tag, t.dim())],
                        w,
                        2,
                    )),
                    Mark::Consequence => {
                        out.extend(para(&lead, &[(&l.text, Style::default())], w, 2))
                    }
                }
            }
            out.push(Line::default());
        }
    }

    fn council_lines(&self, w: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let mut out = Vec::new();
        let Some(v) = &self.council else {
            return out;
        };
        if !self.intro.is_empty() {
            out.extend(para("", &[(&self.title.to_uppercase(), t.strong())], w, 0));
            out.extend(plain(&self.intro, Style::default(), w, 0));
            out.push(Line::default());
        }
        if !self.news.is_empty() {
            out.push(Line::from(Span::styled(
                "News since your last decision",
                t.strong().add_modifier(Modifier::UNDERLINED),
            )));
            self.chron_block(&self.news, w, &mut out);
        }
        out.extend(para(
            "",
            &[(&format!("COUNCIL — {}", v.title), t.strong())],
            w,
            0,
        ));
        out.extend(plain(&v.situation, Style::default(), w, 0));
        out.push(Line::default());
        out.push(Line::from(Span::styled(
            "The advisors speak",
            t.strong().add_modifier(Modifier::UNDERLINED),
        )));
        for a in &v.advisors {
            let office = if a.office.is_empty() {
                String::new()
            } else {
                format!("— {}", a.office)
            };
            out.extend(para(
                "",
                &[(&a.name, t.strong()), (&office, Style::default())],
                w,
                2,
            ));
            out.extend(para(
                "  ",
                &[
                    ("urges:", t.dim()),
                    (&a.urges, t.strong()),
                    (&format!("[{}]", a.basis), t.dim()),
                ],
                w,
                4,
            ));
            out.extend(plain(&a.argues, Style::default(), w, 4));
        }
        out.push(Line::default());
        out.push(Line::from(Span::styled(
            "Your choices",
            t.strong().add_modifier(Modifier::UNDERLINED),
        )));
        for (i, o) in v.options.iter().enumerate() {
            out.extend(para(
                &format!("{}. ", i + 1),
                &[(&o.label, t.strong())],
                w,
                3,
            ));
            if !o.detail.is_empty() {
                out.extend(plain(&o.detail, Style::default(), w, 3));
            }
        }
        out
    }

    /// The debrief as the text template writes it, at the pane's width:
    /// the rules dropped, the title and section heads in bold.
    fn debrief_lines(&self, w: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let Some(d) = &self.debrief else {
            return Vec::new();
        };
        let text = crate::report::debrief(d, crate::report::Format::Text, w.max(30))
            .unwrap_or_else(|e| e.to_string());
        let mut out = Vec::new();
        for line in text.lines() {
            if !line.is_empty() && line.chars().all(|c| c == '=') {
                continue;
            }
            let head = line
                .strip_prefix("--- ")
                .and_then(|h| h.strip_suffix(" ---"))
                .or_else(|| line.starts_with("DEBRIEF").then_some(line));
            match head {
                Some(h) => out.extend(para(
                    "",
                    &[(h, t.strong().add_modifier(Modifier::UNDERLINED))],
                    w,
                    0,
                )),
                None if text::width(line) <= w => out.push(Line::from(line.to_owned())),
                None => {
                    let body = line.trim_start();
                    let lead = " ".repeat((line.len() - body.len()).min(w / 2));
                    out.extend(para(&lead, &[(body, Style::default())], w, lead.len()));
                }
            }
        }
        out.push(Line::default());
        out.push(Line::from(
            "q leaves; the debrief is printed again when you do.",
        ));
        out
    }

    fn state_lines(&self, w: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let st = &self.state;
        let mut out = para(
            "",
            &[
                (
                    &match &self.player {
                        Some(p) => format!("The {} court, played by {p}", self.side.name()),
                        None => format!("The {} court", self.side.name()),
                    },
                    t.strong(),
                ),
                ("(impressions; exact figures hidden)", t.dim()),
            ],
            w,
            2,
        );
        let name_w = st
            .gauges
            .iter()
            .map(|g| text::width(g.name))
            .max()
            .unwrap_or(0)
            .min(w / 2);
        for g in &st.gauges {
            let bar: String = if g.balance {
                // Peace party at the left, war party at the right.
                (1..=5)
                    .map(|i| if i == g.level { '●' } else { '·' })
                    .collect()
            } else {
                (1..=5)
                    .map(|i| if i <= g.level { '■' } else { '□' })
                    .collect()
            };
            let name = fit(g.name, name_w);
            let pad = " ".repeat(name_w.saturating_sub(text::width(&name)));
            // The word wraps under itself if the pane is narrow.
            out.extend(para(
                &format!("{name}{pad} {bar} "),
                &[(g.word, t.strong())],
                w,
                name_w + 7,
            ));
        }
        out.push(Line::default());
        for (head, list) in &st.grievances {
            out.extend(para("", &[(head, t.strong())], w, 2));
            for g in list {
                out.extend(para("  - ", &[(g, Style::default())], w, 4));
            }
        }
        if !st.places.is_empty() {
            out.push(Line::default());
            out.push(Line::from(Span::styled(
                "Places (S Song · J Jin · o neither · ! under siege)",
                t.strong(),
            )));
            for p in &st.places {
                let mark = model::holder_mark(p.holder);
                let style = p.holder.map_or_else(Style::default, |c| t.court(c));
                out.extend(para(
                    "",
                    &[
                        (
                            &format!("{mark}{}", if p.besieged { "!" } else { " " }),
                            style.patch(t.strong()),
                        ),
                        (&p.name, style),
                        (
                            &format!("— {}", p.holding()),
                            if p.besieged { t.alert() } else { t.dim() },
                        ),
                    ],
                    w,
                    3,
                ));
            }
        }
        if !st.armies.is_empty() {
            out.push(Line::default());
            out.push(Line::from(Span::styled(
                "Armies (numbered as on the map)",
                t.strong(),
            )));
            for (court, a) in &st.armies {
                out.extend(para("", &[(a, t.court(*court))], w, 2));
            }
        }
        out
    }

    fn chronicle_lines(&self, w: usize) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        if self.chronicle.is_empty() {
            out.push(Line::from("Nothing has been written yet."));
        }
        self.chron_block(&self.chronicle, w, &mut out);
        out.extend(para(
            "",
            &[("◆ dispatch · ▶ decision · ↳ consequence · [model] the simulation's own course, not history", self.theme.dim())],
            w,
            0,
        ));
        out
    }

    fn record_lines(&self, w: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let mut out = Vec::new();
        out.extend(para("", &[(&self.record_note, t.dim())], w, 0));
        out.push(Line::default());
        if self.record.is_empty() {
            out.push(Line::from("Nothing yet within this chapter."));
        }
        for r in &self.record {
            out.extend(para("", &[(&r.head, t.strong()), (&r.tag, t.dim())], w, 2));
            out.extend(plain(&r.summary, Style::default(), w, 2));
            for v in &r.versions {
                out.extend(plain(v, Style::default(), w, 4));
            }
            out.push(Line::default());
        }
        out
    }

    fn why_lines(&self, w: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let mut out = Vec::new();
        out.extend(para(
            "",
            &[(
                "What the model did, latest last: the rule, the numbers and the draw. Simulation, not history; docs/MODEL.md explains each rule.",
                t.dim(),
            )],
            w,
            0,
        ));
        out.push(Line::default());
        if self.why.is_empty() {
            out.push(Line::from(model::WHY_NOTHING_YET));
        }
        for l in &self.why {
            out.extend(plain(l, Style::default(), w, 2));
        }
        out
    }

    fn detail_lines(&self, w: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let mut out = Vec::new();
        for (i, p) in self.lookup.detail.iter().enumerate() {
            if i == 0 {
                out.extend(para("", &[(p, t.strong())], w, 2));
                out.push(Line::default());
            } else if p.starts_with('[') {
                out.extend(para("", &[(p, t.dim())], w, 0));
            } else {
                out.extend(plain(p, Style::default(), w, 0));
            }
        }
        if self.lookup.hits.is_empty() {
            out.push(Line::from(
                "Nothing in the encyclopedia matches. Try a pinyin name, characters, or an office.",
            ));
        }
        out
    }

    fn render_pane(&self, pane: Pane, rect: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let focused = self.ui.focus == pane;
        let name = pane.title(self.ui.ended);
        let title = if focused {
            format!("▶ {name} ({}) ", pane.key())
        } else {
            format!(" {name} ({}) ", pane.key())
        };
        let block = Block::bordered()
            .border_type(if focused {
                BorderType::Double
            } else {
                BorderType::Plain
            })
            .border_style(if focused {
                t.accent()
            } else {
                Style::default()
            })
            .title(Span::styled(
                title,
                if focused {
                    t.strong()
                } else {
                    Style::default()
                },
            ));
        let inner = block.inner(rect);
        block.render(rect, buf);
        if inner.width < 4 || inner.height < 2 {
            return;
        }
        match pane {
            Pane::Map => {
                MapView {
                    model: &self.map,
                    theme: t,
                }
                .render(inner, buf);
                return;
            }
            Pane::Council if self.council.is_some() && self.debrief.is_none() => {
                if let (_, Some(opts)) = self.council_split(inner) {
                    self.render_options(opts, buf);
                }
            }
            Pane::Lookup => self.render_lookup(inner, buf),
            _ => {}
        }
        let Some((lines, area)) = self.scrolled(pane, inner) else {
            return;
        };
        let limit = lines.len().saturating_sub(usize::from(area.height));
        let offset = if pane == Pane::Chronicle && self.ui.follow {
            limit
        } else {
            self.ui.scroll[pane.index()].min(limit)
        };
        for (i, line) in lines
            .iter()
            .skip(offset)
            .take(usize::from(area.height))
            .enumerate()
        {
            let y = area.top() + u16::try_from(i).unwrap_or(0);
            buf.set_line(area.left(), y, line, area.width);
        }
        if limit > 0 {
            let last = (offset + usize::from(area.height)).min(lines.len());
            let up = if offset > 0 { "↑" } else { " " };
            let down = if last < lines.len() { "↓" } else { " " };
            let note = format!(" {up}{down} {}–{} of {} ", offset + 1, last, lines.len());
            let len = u16::try_from(text::width(&note)).unwrap_or(0);
            if rect.width > len + 4 {
                buf.set_string(rect.right() - len - 2, rect.bottom() - 1, note, t.dim());
            }
        }
    }

    fn render_options(&self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let Some(v) = &self.council else { return };
        let n = v.options.len();
        let head = fit(
            &format!("── Your choices: press 1–{n}, then Enter to confirm "),
            usize::from(area.width),
        );
        let rule = format!(
            "{head}{}",
            "─".repeat(usize::from(area.width).saturating_sub(text::width(&head)))
        );
        buf.set_string(area.left(), area.top(), rule, t.dim());
        let chosen = match self.ui.overlay {
            Overlay::Confirm(k) => Some(k),
            _ => None,
        };
        for (i, o) in v.options.iter().enumerate() {
            let y = area.top() + 1 + u16::try_from(i).unwrap_or(0);
            if y >= area.bottom() {
                break;
            }
            let sel = chosen == Some(i + 1);
            let label = fit(
                &format!("{} {}. {}", if sel { "▶" } else { " " }, i + 1, o.label),
                usize::from(area.width),
            );
            buf.set_string(
                area.left(),
                y,
                label,
                if sel { t.selected() } else { t.strong() },
            );
        }
    }

    fn render_lookup(&self, inner: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let (search, list, _) = self.lookup_split(inner);
        let l = &self.lookup;
        let cursor = if l.typing { "▏" } else { "" };
        let hint = if l.typing {
            "  (Enter: done · ↑↓ pick)"
        } else {
            "  (/ to search · ↑↓ pick)"
        };
        let line = Line::from(vec![
            Span::styled("Search: ", t.strong()),
            Span::raw(format!("{}{cursor}", l.query)),
            Span::styled(hint, t.dim()),
        ]);
        buf.set_line(search.left(), search.top(), &line, search.width);
        let h = usize::from(list.height);
        let first = l.selected.saturating_sub(h.saturating_sub(1));
        for (i, (kind, name)) in l.hits.iter().enumerate().skip(first).take(h) {
            let y = list.top() + u16::try_from(i - first).unwrap_or(0);
            let sel = i == l.selected;
            let row = fit(
                &format!("{} {:<6} {name}", if sel { "▶" } else { " " }, kind.label()),
                usize::from(list.width),
            );
            buf.set_string(
                list.left(),
                y,
                row,
                if sel { t.selected() } else { Style::default() },
            );
        }
    }

    fn render_header(&self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let w = usize::from(area.width);
        let right = match &self.player {
            Some(p) => format!("{p} · {} court · {}", self.side.name(), self.title),
            None => format!("{} court · {}", self.side.name(), self.title),
        };
        let left = format!("{} · {}", self.month, self.other_month);
        // A named player stays in view when the title does not fit.
        let right = match &self.player {
            Some(p) if text::width(&left) + text::width(&right) + 3 > w => {
                format!("{p} · {} court", self.side.name())
            }
            _ => right,
        };
        let left = if text::width(&left) + text::width(&right) + 3 <= w {
            left
        } else {
            fit(&left, w)
        };
        buf.set_string(area.left(), area.top(), &left, t.strong());
        let used = text::width(&left);
        if used + text::width(&right) + 3 <= w {
            let x = area.right() - u16::try_from(text::width(&right)).unwrap_or(0);
            buf.set_string(x, area.top(), right, t.dim());
        }
    }

    fn render_tabs(&self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let mut spans = Vec::new();
        for p in Pane::ALL {
            let name = p.title(self.ui.ended);
            if p == self.ui.focus {
                spans.push(Span::styled(
                    format!("[{} {name}]", p.key()),
                    t.selected().add_modifier(Modifier::BOLD),
                ));
            } else {
                spans.push(Span::raw(format!(" {} {name} ", p.key())));
            }
            spans.push(Span::styled("│", t.dim()));
        }
        spans.pop();
        let line = Line::from(spans);
        let help = "? help";
        buf.set_line(area.left(), area.top(), &line, area.width);
        if line.width() + help.len() + 2 <= usize::from(area.width) {
            buf.set_string(
                area.right() - u16::try_from(help.len()).unwrap_or(0),
                area.top(),
                help,
                t.dim(),
            );
        }
    }

    fn render_footer(&self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let w = usize::from(area.width);
        if !self.ui.message.is_empty() {
            buf.set_string(area.left(), area.top(), fit(&self.ui.message, w), t.alert());
            return;
        }
        let choose = format!("1–{} choose", self.ui.options);
        let mut hints: Vec<&str> = Vec::new();
        if !self.ui.ended {
            hints.push(&choose);
        }
        hints.extend([
            "Tab ←→ panes",
            "↑↓ scroll",
            "/ search",
            "s save",
            "q quit",
            "? help",
            "z map",
        ]);
        let mut line = String::new();
        for h in hints {
            let next = if line.is_empty() {
                h.to_owned()
            } else {
                format!("{line} · {h}")
            };
            if text::width(&next) > w {
                break;
            }
            line = next;
        }
        buf.set_string(area.left(), area.top(), line, t.dim());
    }

    fn popup(area: Rect, w: u16, h: u16) -> Rect {
        let w = w.min(area.width);
        let h = h.min(area.height);
        Rect::new(
            area.x + (area.width - w) / 2,
            area.y + (area.height - h) / 2,
            w,
            h,
        )
    }

    /// A popup as wide as `r`, as tall as its lines (never taller than
    /// `r`), centred in `body`.
    fn render_fitted(
        &self,
        body: Rect,
        r: Rect,
        title: &str,
        lines: &[Line<'static>],
        buf: &mut Buffer,
    ) {
        let h = u16::try_from(lines.len() + 2)
            .unwrap_or(r.height)
            .min(r.height);
        self.render_box(Screen::popup(body, r.width, h), title, lines, buf);
    }

    fn render_box(&self, area: Rect, title: &str, lines: &[Line<'static>], buf: &mut Buffer) {
        Clear.render(area, buf);
        let block = Block::bordered()
            .border_type(BorderType::Double)
            .border_style(self.theme.accent())
            .title(Span::styled(format!(" {title} "), self.theme.strong()));
        let inner = block.inner(area);
        block.render(area, buf);
        for (i, l) in lines.iter().take(usize::from(inner.height)).enumerate() {
            buf.set_line(
                inner.left() + 1,
                inner.top() + u16::try_from(i).unwrap_or(0),
                l,
                inner.width.saturating_sub(2),
            );
        }
    }

    fn help_lines(&self, w: usize) -> Vec<Line<'static>> {
        let t = self.theme;
        let rows: [(&str, &str); 13] = [
            (
                "1–9",
                "choose that option, then Enter or y to confirm (Esc or n: back)",
            ),
            ("Tab →  ⇧Tab ←", "next / previous pane"),
            (
                "c m t h r l w",
                "Council, Map, State, Chronicle, Record, Lookup, Why (the model's reasons)",
            ),
            (
                "↑ ↓ PgUp PgDn",
                "scroll the pane (Home/End: top/bottom; j k also)",
            ),
            (
                "/",
                "search people, places and terms (↑ ↓ pick, Enter done)",
            ),
            ("z", "map: the war zone, or all of north China"),
            ("s", "save the game"),
            ("q", "save and quit (asks first)"),
            ("Ctrl-C", "save and quit at once"),
            ("?", "this help (Esc closes)"),
            (
                "Gauges",
                "the court's impressions; exact figures are hidden",
            ),
            (
                "[recorded · …]",
                "from the sources named; [invented for play] not history",
            ),
            (
                "[model]",
                "this campaign's own course, never presented as history",
            ),
        ];
        let mut out = Vec::new();
        for (k, v) in rows {
            let key = format!("{k:<15}");
            out.extend(para(&key, &[(v, Style::default())], w, 15));
        }
        if let Some(first) = out.first_mut() {
            first
                .spans
                .first_mut()
                .into_iter()
                .for_each(|s| s.style = t.strong());
        }
        out
    }
}

impl Widget for &Screen {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
        // Nothing from data, saves or input reaches the terminal raw.
        crate::clean::clean_buffer(buf);
    }
}

impl Screen {
    fn draw(&self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
            Clear.render(area, buf);
            let msg = format!(
                "The window is {}×{}; Jingkang needs at least {}×{}. Enlarge it — or press q to save and quit.",
                area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
            );
            for (i, l) in plain(&msg, t.strong(), usize::from(area.width.max(10)), 0)
                .iter()
                .enumerate()
            {
                let y = area.top() + u16::try_from(i).unwrap_or(0);
                if y < area.bottom() {
                    buf.set_line(area.left(), y, l, area.width);
                }
            }
            if self.ui.overlay == Overlay::AskQuit && area.height > 3 {
                buf.set_string(
                    area.left(),
                    area.top() + 3,
                    fit("Save and quit? y / n", usize::from(area.width)),
                    t.alert(),
                );
            }
            return;
        }
        let [header, tabs, body, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.render_header(header, buf);
        self.render_tabs(tabs, buf);
        for (pane, rect) in self.layout(body) {
            self.render_pane(pane, rect, buf);
        }
        self.render_footer(footer, buf);
        match self.ui.overlay {
            Overlay::None => {}
            Overlay::Help => {
                let r = Screen::popup(body, 76, body.height);
                let lines = self.help_lines(usize::from(r.width.saturating_sub(4)));
                let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
                self.render_box(Screen::popup(body, r.width, h), "Keys", &lines, buf);
            }
            Overlay::Confirm(n) => {
                let Some(v) = &self.council else { return };
                let Some(o) = v.options.get(n.saturating_sub(1)) else {
                    return;
                };
                let r = Screen::popup(body, 64, 12);
                let w = usize::from(r.width.saturating_sub(4));
                let mut lines = para(&format!("{n}. "), &[(&o.label, t.strong())], w, 3);
                lines.extend(plain(&o.detail, Style::default(), w, 3));
                let room = usize::from(r.height.saturating_sub(4));
                lines.truncate(room);
                lines.push(Line::default());
                lines.push(Line::from(Span::styled(
                    "Enter or y: decide · Esc or n: back",
                    t.alert(),
                )));
                self.render_fitted(body, r, "Decide?", &lines, buf);
            }
            Overlay::Reflect(n) => {
                let Some(v) = &self.council else { return };
                let Some(o) = v.options.get(n.saturating_sub(1)) else {
                    return;
                };
                let r = Screen::popup(body, 64, 12);
                let w = usize::from(r.width.saturating_sub(4));
                let mut lines = para(&format!("{n}. "), &[(&o.label, t.strong())], w, 3);
                lines.push(Line::default());
                lines.extend(para(
                    "",
                    &[(
                        "Why did you choose this? A sentence for the debrief and your teacher.",
                        Style::default(),
                    )],
                    w,
                    0,
                ));
                lines.extend(para(
                    "> ",
                    &[(&format!("{}▏", self.ui.reason), t.strong())],
                    w,
                    2,
                ));
                lines.push(Line::default());
                lines.push(Line::from(Span::styled(
                    "Enter: decide (empty skips) · Esc: back",
                    t.alert(),
                )));
                self.render_fitted(body, r, "Why?", &lines, buf);
            }
            Overlay::AskQuit => {
                let r = Screen::popup(body, 50, 5);
                let what = if self.ui.ended {
                    "Leave? The run is already saved."
                } else {
                    "Save the game and quit?"
                };
                let lines = [
                    Line::from(Span::styled(what, t.strong())),
                    Line::from(Span::styled("y or Enter: yes · n or Esc: no", t.alert())),
                ];
                self.render_box(r, "Quit", &lines, buf);
            }
        }
    }
}
