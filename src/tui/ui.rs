//! The interface's own state: which pane has the focus, what overlay is
//! open, how far each pane is scrolled, the search being typed.
//!
//! [`Ui`] is the part of the model that belongs to the screen and not to the
//! campaign. [`super::keys::handle_key`] reads it to interpret a key; the
//! game loop changes it when it applies an action.

/// One of the panes of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pane {
    /// The council (at the end: the debrief).
    Council,
    /// The map of the war.
    Map,
    /// The court's state: gauges, grievances, places, armies.
    State,
    /// The chronicle so far.
    Chronicle,
    /// The record so far (never the answer to the decision at hand).
    Record,
    /// The encyclopedia of people, places and terms, with search.
    Lookup,
    /// The model's reasons for the latest outcomes (`[model]` trace).
    Why,
}

/// How many panes there are.
pub const PANES: usize = 7;

impl Pane {
    /// Every pane, in focus order.
    pub const ALL: [Pane; PANES] = [
        Pane::Council,
        Pane::Map,
        Pane::State,
        Pane::Chronicle,
        Pane::Record,
        Pane::Lookup,
        Pane::Why,
    ];

    /// Position in [`Pane::ALL`].
    #[must_use]
    pub fn index(self) -> usize {
        match self {
            Pane::Council => 0,
            Pane::Map => 1,
            Pane::State => 2,
            Pane::Chronicle => 3,
            Pane::Record => 4,
            Pane::Lookup => 5,
            Pane::Why => 6,
        }
    }

    /// The next pane in focus order (wrapping).
    #[must_use]
    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }

    /// The previous pane in focus order (wrapping).
    #[must_use]
    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }

    /// The key that jumps to the pane.
    #[must_use]
    pub fn key(self) -> char {
        match self {
            Pane::Council => 'c',
            Pane::Map => 'm',
            Pane::State => 't',
            Pane::Chronicle => 'h',
            Pane::Record => 'r',
            Pane::Lookup => 'l',
            Pane::Why => 'w',
        }
    }

    /// The pane a jump key names.
    #[must_use]
    pub fn from_key(c: char) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.key() == c)
    }

    /// Title shown on the tab bar and the pane's border.
    #[must_use]
    pub fn title(self, ended: bool) -> &'static str {
        match self {
            Pane::Council if ended => "Debrief",
            Pane::Council => "Council",
            Pane::Map => "Map",
            Pane::State => "State",
            Pane::Chronicle => "Chronicle",
            Pane::Record => "Record",
            Pane::Lookup => "Lookup",
            Pane::Why => "Why",
        }
    }
}

/// A box over the panes that takes the keys until it closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// None open.
    None,
    /// The key help.
    Help,
    /// Choosing an option (1-based), waiting for confirmation.
    Confirm(usize),
    /// "Save and quit?"
    AskQuit,
    /// `--reflect`: "Why?" for option `n` (1-based), typed into
    /// [`Ui::reason`] before the decision is taken.
    Reflect(usize),
}

/// The interface's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ui {
    /// The pane with the focus.
    pub focus: Pane,
    /// Which of Chronicle, Record and Lookup the shared slot of the large
    /// layout shows (the last of them to have had the focus).
    pub lower: Pane,
    /// The open overlay.
    pub overlay: Overlay,
    /// Options at the council waiting (0 when none waits).
    pub options: usize,
    /// The campaign has ended (the debrief is shown).
    pub ended: bool,
    /// The map shows all of north China rather than the war zone.
    pub map_wide: bool,
    /// Lines scrolled from the top, per pane ([`Pane::index`]).
    pub scroll: [usize; PANES],
    /// How far each pane can scroll, as of the last frame drawn.
    pub limits: [usize; PANES],
    /// The chronicle follows its newest line.
    pub follow: bool,
    /// The search text of the encyclopedia.
    pub query: String,
    /// The search field has the keys.
    pub typing: bool,
    /// The selected result of the encyclopedia.
    pub selected: usize,
    /// Number of results of the search.
    pub hits: usize,
    /// A line of feedback in the footer.
    pub message: String,
    /// The reason being typed at a `--reflect` prompt.
    pub reason: String,
}

impl Default for Ui {
    fn default() -> Ui {
        Ui {
            focus: Pane::Council,
            lower: Pane::Chronicle,
            overlay: Overlay::None,
            options: 0,
            ended: false,
            map_wide: false,
            scroll: [0; PANES],
            limits: [0; PANES],
            follow: true,
            query: String::new(),
            typing: false,
            selected: 0,
            hits: 0,
            message: String::new(),
            reason: String::new(),
        }
    }
}

/// A scrolling movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroll {
    /// Up one line.
    Up,
    /// Down one line.
    Down,
    /// Up a page.
    PageUp,
    /// Down a page.
    PageDown,
    /// To the top.
    Top,
    /// To the bottom.
    Bottom,
}

/// Lines a page scroll moves.
const PAGE: usize = 10;

impl Ui {
    /// Moves the focus, remembering which pane the shared slot shows.
    pub fn focus_on(&mut self, pane: Pane) {
        self.focus = pane;
        if matches!(
            pane,
            Pane::Chronicle | Pane::Record | Pane::Lookup | Pane::Why
        ) {
            self.lower = pane;
        }
        if pane != Pane::Lookup {
            self.typing = false;
        }
    }

    /// Scrolls the focused pane within the limits of the last frame.
    pub fn scroll(&mut self, how: Scroll) {
        let i = self.focus.index();
        let limit = self.limits[i];
        let now = if self.focus == Pane::Chronicle && self.follow {
            limit
        } else {
            self.scroll[i].min(limit)
        };
        let to = match how {
            Scroll::Up => now.saturating_sub(1),
            Scroll::Down => (now + 1).min(limit),
            Scroll::PageUp => now.saturating_sub(PAGE),
            Scroll::PageDown => (now + PAGE).min(limit),
            Scroll::Top => 0,
            Scroll::Bottom => limit,
        };
        self.scroll[i] = to;
        if self.focus == Pane::Chronicle {
            self.follow = to >= limit;
        }
    }

    /// Moves the encyclopedia's selection.
    pub fn select(&mut self, by: isize) {
        if self.hits == 0 {
            self.selected = 0;
            return;
        }
        let last = self.hits - 1;
        self.selected = self.selected.saturating_add_signed(by).min(last);
        self.scroll[Pane::Lookup.index()] = 0;
    }

    /// Records how far each pane can scroll in the last frame. The
    /// offsets themselves are kept (a frame draws them clamped), so a
    /// window made larger for a moment and back loses no place.
    pub fn set_limits(&mut self, limits: [usize; PANES]) {
        self.limits = limits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_order_wraps_both_ways() {
        let mut p = Pane::Council;
        for _ in 0..Pane::ALL.len() {
            p = p.next();
        }
        assert_eq!(p, Pane::Council);
        assert_eq!(Pane::Council.prev(), Pane::Why);
        for p in Pane::ALL {
            assert_eq!(Pane::from_key(p.key()), Some(p));
            assert_eq!(p.next().prev(), p);
        }
    }

    #[test]
    fn scrolling_stays_within_the_last_frame() {
        let mut ui = Ui::default();
        ui.set_limits([5, 0, 0, 12, 0, 0, 0]);
        ui.scroll(Scroll::Up);
        assert_eq!(ui.scroll[0], 0);
        ui.scroll(Scroll::PageDown);
        assert_eq!(ui.scroll[0], 5);
        ui.scroll(Scroll::Up);
        assert_eq!(ui.scroll[0], 4);
        ui.focus_on(Pane::Chronicle);
        assert!(ui.follow);
        ui.scroll(Scroll::Up);
        assert_eq!(ui.scroll[3], 11);
        assert!(!ui.follow);
        ui.scroll(Scroll::Bottom);
        assert!(ui.follow);
    }

    #[test]
    fn the_shared_slot_remembers_the_last_lower_pane() {
        let mut ui = Ui::default();
        ui.focus_on(Pane::Record);
        ui.focus_on(Pane::Map);
        assert_eq!(ui.lower, Pane::Record);
        ui.typing = true;
        ui.focus_on(Pane::Council);
        assert!(!ui.typing, "leaving the encyclopedia ends typing");
    }
}
