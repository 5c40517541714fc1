//! Keys to actions: a pure function, [`handle_key`], from the interface's
//! state and a key to the [`Action`] it asks for.
//!
//! | key | action |
//! |---|---|
//! | `1`–`9` | choose that option; `Enter`/`y` confirms, `Esc`/`n` goes back |
//! | `Tab`, `→` / `Shift-Tab`, `←` | next / previous pane |
//! | `c` `m` `t` `h` `r` `l` | Council, Map, State, Chronicle, Record, Lookup |
//! | `↑` `↓` `PgUp` `PgDn` `Home` `End` (`k` `j` `g` `G`) | scroll (in Lookup: move the selection) |
//! | `/` | search the encyclopedia |
//! | `z` | map: the war zone or all of north China |
//! | `s` | save |
//! | `q` | asks, then saves and quits |
//! | `?` | help |
//! | `Ctrl-C`, `Ctrl-D` | save and quit at once |
//!
//! ```
//! use jingkang::tui::keys::{handle_key, Action};
//! use jingkang::tui::ui::Ui;
//! use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
//! let mut ui = Ui::default();
//! ui.options = 3;
//! let two = KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE);
//! assert_eq!(handle_key(&ui, two), Some(Action::Choose(2)));
//! ```

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::ui::{Overlay, Pane, Scroll, Ui};

/// What a key asks the game to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Select option `n` (1-based) and ask for confirmation.
    Choose(usize),
    /// A number that is not one of the options (or no council waits).
    NoSuchChoice(usize),
    /// A number pressed while the council's options are not on screen:
    /// bring the council up first, so nothing is chosen unseen.
    ShowCouncil(usize),
    /// Take the option waiting for confirmation.
    Confirm,
    /// Close the overlay, or stop typing in the search field.
    Cancel,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Focus a pane.
    Focus(Pane),
    /// Scroll the focused pane.
    Scroll(Scroll),
    /// Move the encyclopedia's selection.
    Select(isize),
    /// Open or close the help.
    Help,
    /// Save the game.
    Save,
    /// Ask whether to save and quit.
    AskQuit,
    /// Save and quit (confirmed).
    Quit,
    /// Ctrl-C or Ctrl-D: save and quit at once.
    Interrupt,
    /// Switch the map between the war zone and all of north China.
    ToggleMap,
    /// Focus the encyclopedia and type a search.
    Search,
    /// A character typed into the search.
    Type(char),
    /// Delete the last character of the search.
    Backspace,
}

fn scroll_or_select(ui: &Ui, how: Scroll) -> Action {
    if ui.focus == Pane::Lookup {
        match how {
            Scroll::Up => return Action::Select(-1),
            Scroll::Down => return Action::Select(1),
            Scroll::Top => return Action::Select(isize::MIN / 2),
            Scroll::Bottom => return Action::Select(isize::MAX / 2),
            Scroll::PageUp | Scroll::PageDown => {}
        }
    }
    Action::Scroll(how)
}

fn movement(ui: &Ui, code: KeyCode) -> Option<Action> {
    Some(match code {
        KeyCode::Tab | KeyCode::Right => Action::NextPane,
        KeyCode::BackTab | KeyCode::Left => Action::PrevPane,
        KeyCode::Up => scroll_or_select(ui, Scroll::Up),
        KeyCode::Down => scroll_or_select(ui, Scroll::Down),
        KeyCode::PageUp => Action::Scroll(Scroll::PageUp),
        KeyCode::PageDown => Action::Scroll(Scroll::PageDown),
        KeyCode::Home => scroll_or_select(ui, Scroll::Top),
        KeyCode::End => scroll_or_select(ui, Scroll::Bottom),
        _ => return None,
    })
}

/// The action a key asks for in this state of the interface, if any.
///
/// Pure: it reads the state and never changes it. Key releases are ignored
/// (some terminals report them).
#[must_use]
pub fn handle_key(ui: &Ui, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c' | 'C' | 'd' | 'D')) {
        return Some(Action::Interrupt);
    }
    match ui.overlay {
        Overlay::AskQuit => {
            return match key.code {
                KeyCode::Char('y' | 'Y' | 'q' | 'Q') | KeyCode::Enter => Some(Action::Quit),
                KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(Action::Cancel),
                _ => None,
            };
        }
        Overlay::Help => {
            return match key.code {
                KeyCode::Char('?' | 'h' | 'H') | KeyCode::Esc | KeyCode::Enter => {
                    Some(Action::Cancel)
                }
                KeyCode::Char('q') => Some(Action::AskQuit),
                _ => None,
            };
        }
        Overlay::Confirm(_) => {
            return match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => Some(Action::Confirm),
                KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(Action::Cancel),
                KeyCode::Char(c @ '1'..='9') => Some(number(ui, c)),
                _ => None,
            };
        }
        Overlay::Reflect(_) => {
            return match key.code {
                KeyCode::Enter => Some(Action::Confirm),
                KeyCode::Esc => Some(Action::Cancel),
                KeyCode::Backspace => Some(Action::Backspace),
                KeyCode::Char(c) if !ctrl && !c.is_control() => Some(Action::Type(c)),
                _ => None,
            };
        }
        Overlay::None => {}
    }
    if ui.typing {
        return match key.code {
            KeyCode::Esc | KeyCode::Enter => Some(Action::Cancel),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char(c) if !ctrl && !c.is_control() => Some(Action::Type(c)),
            KeyCode::Up => Some(Action::Select(-1)),
            KeyCode::Down => Some(Action::Select(1)),
            KeyCode::Tab => Some(Action::NextPane),
            KeyCode::BackTab => Some(Action::PrevPane),
            KeyCode::PageUp => Some(Action::Scroll(Scroll::PageUp)),
            KeyCode::PageDown => Some(Action::Scroll(Scroll::PageDown)),
            _ => None,
        };
    }
    if let Some(a) = movement(ui, key.code) {
        return Some(a);
    }
    if ctrl {
        return None;
    }
    match key.code {
        KeyCode::Char(c @ '1'..='9') => Some(number(ui, c)),
        KeyCode::Char('0') => Some(Action::NoSuchChoice(0)),
        KeyCode::Char('k') => Some(scroll_or_select(ui, Scroll::Up)),
        KeyCode::Char('j') => Some(scroll_or_select(ui, Scroll::Down)),
        KeyCode::Char('g') => Some(scroll_or_select(ui, Scroll::Top)),
        KeyCode::Char('G') => Some(scroll_or_select(ui, Scroll::Bottom)),
        KeyCode::Char(' ') => Some(Action::Scroll(Scroll::PageDown)),
        KeyCode::Char('?') => Some(Action::Help),
        KeyCode::Char('s' | 'S') => Some(Action::Save),
        KeyCode::Char('q' | 'Q') => Some(Action::AskQuit),
        KeyCode::Char('z' | 'Z') => Some(Action::ToggleMap),
        KeyCode::Char('/') => Some(Action::Search),
        KeyCode::Enter if ui.focus == Pane::Lookup => Some(Action::Search),
        KeyCode::Esc => Some(Action::Cancel),
        KeyCode::Char(c) => Pane::from_key(c).map(Action::Focus),
        _ => None,
    }
}

fn number(ui: &Ui, c: char) -> Action {
    let n = c.to_digit(10).map_or(0, |d| d as usize);
    if !ui.ended && !ui.council_shown && ui.options > 0 {
        Action::ShowCouncil(n)
    } else if !ui.ended && (1..=ui.options).contains(&n) {
        Action::Choose(n)
    } else {
        Action::NoSuchChoice(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ch(c: char) -> KeyEvent {
        key(KeyCode::Char(c))
    }

    fn council(options: usize) -> Ui {
        Ui {
            options,
            ..Ui::default()
        }
    }

    #[test]
    fn numbers_choose_only_the_options_there_are() {
        let ui = council(3);
        assert_eq!(handle_key(&ui, ch('1')), Some(Action::Choose(1)));
        assert_eq!(handle_key(&ui, ch('3')), Some(Action::Choose(3)));
        assert_eq!(handle_key(&ui, ch('4')), Some(Action::NoSuchChoice(4)));
        assert_eq!(handle_key(&ui, ch('0')), Some(Action::NoSuchChoice(0)));
        let ended = Ui {
            ended: true,
            ..council(3)
        };
        assert_eq!(handle_key(&ended, ch('1')), Some(Action::NoSuchChoice(1)));
    }

    #[test]
    fn a_number_away_from_the_council_brings_it_up_first() {
        let ui = Ui {
            focus: Pane::Map,
            council_shown: false,
            ..council(3)
        };
        assert_eq!(handle_key(&ui, ch('2')), Some(Action::ShowCouncil(2)));
        // Beside the council (the large layout), the number chooses.
        let beside = Ui {
            focus: Pane::Map,
            council_shown: true,
            ..council(3)
        };
        assert_eq!(handle_key(&beside, ch('2')), Some(Action::Choose(2)));
    }

    #[test]
    fn a_choice_waits_for_confirmation() {
        let ui = Ui {
            overlay: Overlay::Confirm(2),
            ..council(3)
        };
        assert_eq!(handle_key(&ui, key(KeyCode::Enter)), Some(Action::Confirm));
        assert_eq!(handle_key(&ui, ch('y')), Some(Action::Confirm));
        assert_eq!(handle_key(&ui, ch('n')), Some(Action::Cancel));
        assert_eq!(handle_key(&ui, key(KeyCode::Esc)), Some(Action::Cancel));
        assert_eq!(
            handle_key(&ui, ch('1')),
            Some(Action::Choose(1)),
            "another number changes the choice"
        );
        assert_eq!(
            handle_key(&ui, ch('q')),
            None,
            "other keys do nothing while confirming"
        );
        assert_eq!(handle_key(&ui, key(KeyCode::Tab)), None);
    }

    #[test]
    fn tab_and_arrows_move_between_panes() {
        let ui = council(2);
        assert_eq!(handle_key(&ui, key(KeyCode::Tab)), Some(Action::NextPane));
        assert_eq!(handle_key(&ui, key(KeyCode::Right)), Some(Action::NextPane));
        assert_eq!(
            handle_key(&ui, key(KeyCode::BackTab)),
            Some(Action::PrevPane)
        );
        assert_eq!(handle_key(&ui, key(KeyCode::Left)), Some(Action::PrevPane));
        assert_eq!(handle_key(&ui, ch('m')), Some(Action::Focus(Pane::Map)));
        assert_eq!(handle_key(&ui, ch('r')), Some(Action::Focus(Pane::Record)));
        assert_eq!(
            handle_key(&ui, key(KeyCode::Down)),
            Some(Action::Scroll(Scroll::Down))
        );
        assert_eq!(
            handle_key(&ui, key(KeyCode::PageUp)),
            Some(Action::Scroll(Scroll::PageUp))
        );
    }

    #[test]
    fn help_save_and_quit() {
        let ui = council(2);
        assert_eq!(handle_key(&ui, ch('?')), Some(Action::Help));
        assert_eq!(handle_key(&ui, ch('s')), Some(Action::Save));
        assert_eq!(handle_key(&ui, ch('q')), Some(Action::AskQuit));
        let asking = Ui {
            overlay: Overlay::AskQuit,
            ..council(2)
        };
        assert_eq!(handle_key(&asking, ch('y')), Some(Action::Quit));
        assert_eq!(handle_key(&asking, ch('n')), Some(Action::Cancel));
        assert_eq!(handle_key(&asking, ch('1')), None);
        let help = Ui {
            overlay: Overlay::Help,
            ..council(2)
        };
        assert_eq!(handle_key(&help, key(KeyCode::Esc)), Some(Action::Cancel));
        assert_eq!(handle_key(&help, ch('?')), Some(Action::Cancel));
        assert_eq!(handle_key(&help, ch('2')), None);
    }

    #[test]
    fn ctrl_c_and_ctrl_d_quit_from_anywhere() {
        for ui in [
            council(2),
            Ui {
                overlay: Overlay::Confirm(1),
                ..council(2)
            },
            Ui {
                typing: true,
                ..council(2)
            },
            Ui {
                overlay: Overlay::Help,
                ..council(2)
            },
        ] {
            for c in ['c', 'd'] {
                let k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
                assert_eq!(handle_key(&ui, k), Some(Action::Interrupt), "{ui:?}");
            }
        }
    }

    #[test]
    fn typing_a_search_takes_letters_and_digits() {
        let ui = Ui {
            typing: true,
            focus: Pane::Lookup,
            ..council(3)
        };
        assert_eq!(handle_key(&ui, ch('q')), Some(Action::Type('q')));
        assert_eq!(handle_key(&ui, ch('2')), Some(Action::Type('2')));
        assert_eq!(handle_key(&ui, ch('李')), Some(Action::Type('李')));
        assert_eq!(
            handle_key(&ui, key(KeyCode::Backspace)),
            Some(Action::Backspace)
        );
        assert_eq!(handle_key(&ui, key(KeyCode::Enter)), Some(Action::Cancel));
        assert_eq!(handle_key(&ui, key(KeyCode::Down)), Some(Action::Select(1)));
        let browsing = Ui {
            focus: Pane::Lookup,
            ..council(3)
        };
        assert_eq!(handle_key(&browsing, ch('/')), Some(Action::Search));
        assert_eq!(
            handle_key(&browsing, key(KeyCode::Up)),
            Some(Action::Select(-1))
        );
        assert_eq!(
            handle_key(&browsing, key(KeyCode::Enter)),
            Some(Action::Search)
        );
    }

    #[test]
    fn releases_and_unknown_keys_do_nothing() {
        let ui = council(2);
        let mut release = ch('1');
        release.kind = KeyEventKind::Release;
        assert_eq!(handle_key(&ui, release), None);
        assert_eq!(handle_key(&ui, ch('x')), None);
        assert_eq!(handle_key(&ui, key(KeyCode::F(5))), None);
        assert_eq!(
            handle_key(
                &ui,
                KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            None
        );
    }

    #[test]
    fn map_zoom_and_search_keys() {
        let ui = council(2);
        assert_eq!(handle_key(&ui, ch('z')), Some(Action::ToggleMap));
        assert_eq!(handle_key(&ui, ch('/')), Some(Action::Search));
    }
}
