//! The full-screen interface: every screen snapshot-tested at 80×24 and
//! 120×40 with ratatui's `TestBackend`, the game flow driven through
//! `Game::apply`, and the real binary driven in a pseudo-terminal.

use std::path::Path;
use std::process::Command;

use jingkang::content::model::Court;
use jingkang::policy::PolicyKind;
use jingkang::runfile::RunFile;
use jingkang::sim::{Campaign, Seats, Step};
use jingkang::tui::keys::{Action, handle_key};
use jingkang::tui::ui::{Pane, Scroll};
use jingkang::tui::{Flow, Game};
use jingkang::view::{Outcome, Session};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

use crate::util;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// A new game of Pingzhou as the Song, the Jin on the recorded policy.
fn game(seed: u64, dir: &Path) -> Game {
    let s = util::scenario("pingzhou");
    let seats = Seats::human(Court::Song, PolicyKind::Recorded);
    let run = RunFile::new("pingzhou", &s, seed, &seats);
    let campaign = Campaign::new(s, seed, seats);
    let mut g = Game::new(Session::new(campaign, run, Court::Song, dir.to_path_buf()))
        .expect("game starts");
    g.color = true;
    g
}

/// Draws the game at a size (twice, so scroll limits from the first frame
/// apply as in the real loop) and returns the backend.
fn draw(g: &mut Game, w: u16, h: u16) -> TestBackend {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    for _ in 0..2 {
        let screen = g.screen();
        let area = term.get_frame().area();
        term.draw(|f| f.render_widget(&screen, f.area()))
            .expect("draw");
        g.after_frame(&screen, area);
    }
    term.backend().clone()
}

/// The screen's text, row by row.
fn text(b: &TestBackend) -> String {
    b.to_string()
}

fn act(g: &mut Game, a: Action) {
    match g.apply(a).expect("action") {
        Flow::Continue => {}
        Flow::Quit(o) => panic!("the game quit unexpectedly: {o:?}"),
    }
}

fn key(g: &mut Game, code: KeyCode) {
    if let Some(a) = handle_key(&g.ui, KeyEvent::new(code, KeyModifiers::NONE)) {
        act(g, a);
    }
}

/// Snapshots the game at both sizes under `name`.
fn snap(g: &mut Game, name: &str) {
    // Messages may carry paths; snapshots must not.
    g.ui.message.clear();
    for (w, h) in SIZES {
        let b = draw(g, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), b);
    }
}

/// Plays councils by the record until `n` decisions are taken or the end.
fn follow_record(g: &mut Game, n: usize) {
    for _ in 0..n {
        let Step::Council(view) = g.step().clone() else {
            return;
        };
        let s = g.session.campaign.scenario().clone();
        let d = &s.decisions[view.decision.as_str()];
        let rec = d
            .recorded
            .as_ref()
            .and_then(|r| d.options.iter().position(|o| o.id == r.option))
            .unwrap_or(0);
        act(g, Action::Choose(rec + 1));
        act(g, Action::Confirm);
    }
}

#[test]
fn snapshot_the_first_council() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    snap(&mut g, "council_first");
}

#[test]
fn snapshot_every_pane() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    follow_record(&mut g, 2);
    for pane in [
        Pane::Council,
        Pane::Map,
        Pane::State,
        Pane::Chronicle,
        Pane::Record,
    ] {
        act(&mut g, Action::Focus(pane));
        snap(
            &mut g,
            &format!("pane_{}", pane.title(false).to_lowercase()),
        );
    }
}

#[test]
fn snapshot_the_encyclopedia_search() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    act(&mut g, Action::Search);
    for c in "zhang".chars() {
        act(&mut g, Action::Type(c));
    }
    snap(&mut g, "lookup_zhang");
    act(&mut g, Action::Cancel);
    act(&mut g, Action::Select(1));
    assert!(!g.ui.typing);
    assert_eq!(g.ui.selected, 1);
}

#[test]
fn snapshot_the_overlays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    act(&mut g, Action::Choose(2));
    snap(&mut g, "overlay_confirm");
    act(&mut g, Action::Cancel);
    act(&mut g, Action::Help);
    snap(&mut g, "overlay_help");
    act(&mut g, Action::Cancel);
    act(&mut g, Action::AskQuit);
    snap(&mut g, "overlay_quit");
}

#[test]
fn snapshot_the_wide_map() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    act(&mut g, Action::Focus(Pane::Map));
    act(&mut g, Action::ToggleMap);
    snap(&mut g, "map_wide");
}

#[test]
fn snapshot_the_debrief() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    follow_record(&mut g, 100);
    assert!(matches!(g.step(), Step::Ended));
    assert!(g.debrief().is_some());
    snap(&mut g, "debrief");
    act(&mut g, Action::Scroll(Scroll::PageDown));
    snap(&mut g, "debrief_page2");
}

#[test]
fn snapshot_a_terminal_too_small() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    let b = draw(&mut g, 60, 16);
    insta::assert_snapshot!("too_small_60x16", b);
}

#[test]
fn choosing_needs_confirmation_and_is_recorded_as_the_line_mode_records_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(3, dir.path());
    let Step::Council(first) = g.step().clone() else {
        panic!("a council")
    };
    key(&mut g, KeyCode::Char('2'));
    key(&mut g, KeyCode::Esc);
    assert!(g.session.run.decisions.is_empty(), "Esc takes nothing");
    key(&mut g, KeyCode::Char('2'));
    key(&mut g, KeyCode::Char('1'));
    key(&mut g, KeyCode::Enter);
    assert_eq!(g.session.run.decisions.len(), 1);
    let d = &g.session.run.decisions[0];
    assert_eq!(d.decision, first.decision);
    assert_eq!(
        d.option, first.options[0].id,
        "the last number pressed is the one confirmed"
    );
    let s = g.session.campaign.scenario().clone();
    assert_eq!(d.month, s.calendar().month(first.month).id);
    // The same answer through the campaign directly gives the same ledger.
    let mut c = Campaign::new(
        s.clone(),
        3,
        Seats::human(Court::Song, PolicyKind::Recorded),
    );
    let _ = c.advance();
    c.decide(&first.options[0].id).expect("decide");
    let _ = c.advance();
    assert_eq!(c.ledger().decisions, g.session.campaign.ledger().decisions);
    assert!(g.ui.message.starts_with("Decided: "));
}

#[test]
fn saving_writes_a_save_that_resumes_at_the_same_council() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(5, dir.path());
    follow_record(&mut g, 3);
    let Step::Council(now) = g.step().clone() else {
        panic!("a council")
    };
    act(&mut g, Action::Save);
    let path = dir.path().join("saves").join("pingzhou-song-seed5-1.ron");
    assert!(g.ui.message.contains("Saved to"), "{}", g.ui.message);
    let run = RunFile::read(&path).expect("save reads");
    assert_eq!(run.decisions.len(), 3);
    let s = util::scenario("pingzhou");
    let (_, step) = run.restore(&path, &s).expect("restore");
    let Step::Council(again) = step else {
        panic!("a council after restore")
    };
    assert_eq!(again.decision, now.decision);
    // Quitting saves too, and says so.
    act(&mut g, Action::AskQuit);
    match g.apply(Action::Quit).expect("quit") {
        Flow::Quit(Outcome::Saved { save }) => assert_eq!(save, path),
        other => panic!("expected a save, got {other:?}"),
    }
    match g.apply(Action::Interrupt).expect("interrupt") {
        Flow::Quit(Outcome::Saved { .. }) => {}
        other => panic!("Ctrl-C saves and quits, got {other:?}"),
    }
}

#[test]
fn the_end_writes_the_run_and_quitting_points_to_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(7, dir.path());
    follow_record(&mut g, 100);
    let run = std::fs::read_dir(dir.path().join("runs"))
        .expect("runs folder")
        .count();
    assert_eq!(run, 1, "one run file");
    assert!(g.ui.ended);
    key(&mut g, KeyCode::Char('1'));
    assert!(g.ui.message.contains("nothing left to decide"));
    match g.apply(Action::Quit).expect("quit") {
        Flow::Quit(Outcome::Finished { run }) => {
            let rf = RunFile::read(&run).expect("run reads");
            assert!(rf.complete);
        }
        other => panic!("expected the finished run, got {other:?}"),
    }
}

#[test]
fn the_record_never_shows_the_answer_to_the_decision_at_hand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    let s = g.session.campaign.scenario().clone();
    let mut councils = 0;
    while let Step::Council(view) = g.step().clone() {
        councils += 1;
        let screen = g.screen();
        let hidden: Vec<&str> = s
            .library
            .timeline
            .entries
            .iter()
            .filter(|e| e.decision.as_deref() == Some(view.decision.as_str()))
            .map(|e| e.title.as_str())
            .collect();
        for item in &screen.record {
            for h in &hidden {
                assert!(
                    !item.head.contains(h),
                    "the record shows {h:?} while {} is open",
                    view.decision
                );
            }
        }
        // Render the record pane too: the title is nowhere on screen.
        act(&mut g, Action::Focus(Pane::Record));
        let shown = text(&draw(&mut g, 120, 40));
        for h in &hidden {
            let head: String = h.chars().take(24).collect();
            assert!(
                !shown.contains(&head),
                "{head:?} on screen while {} is open",
                view.decision
            );
        }
        follow_record(&mut g, 1);
    }
    assert!(councils >= 5, "a real play-through ({councils} councils)");
}

#[test]
fn the_council_shows_every_advisor_and_option_with_its_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    let Step::Council(view) = g.step().clone() else {
        panic!("a council")
    };
    // Scroll through the council pane at 80×24, collecting what is shown.
    let mut seen = String::new();
    for _ in 0..40 {
        seen.push_str(&text(&draw(&mut g, 80, 24)));
        act(&mut g, Action::Scroll(Scroll::PageDown));
    }
    for a in &view.advisors {
        let name: String = a
            .name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(seen.contains(&name), "advisor {} missing", a.name);
    }
    for (i, o) in view.options.iter().enumerate() {
        let start: String = o.label.chars().take(20).collect();
        assert!(
            seen.contains(&format!("{}. {start}", i + 1)),
            "option {} missing",
            i + 1
        );
    }
}

fn colours(b: &Buffer) -> (usize, usize) {
    let mut coloured = 0;
    let mut total = 0;
    for c in &b.content {
        total += 1;
        if c.fg != Color::Reset || c.bg != Color::Reset {
            coloured += 1;
        }
    }
    (coloured, total)
}

#[test]
fn no_color_means_no_colour_and_meaning_survives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    follow_record(&mut g, 2);
    for pane in Pane::ALL {
        act(&mut g, Action::Focus(pane));
        g.color = true;
        let with = draw(&mut g, 120, 40);
        g.color = false;
        let without = draw(&mut g, 120, 40);
        assert!(
            colours(with.buffer()).0 > 0,
            "{pane:?} uses colour when allowed"
        );
        assert_eq!(
            colours(without.buffer()).0,
            0,
            "{pane:?} has colour under NO_COLOR"
        );
        assert_eq!(
            text(&with),
            text(&without),
            "{pane:?}: the same symbols with or without colour"
        );
    }
    // The focus is marked by more than colour: a double border and ▶.
    let b = draw(&mut g, 80, 24);
    assert!(text(&b).contains("▶ Why"));
    assert!(b.buffer().content.iter().any(|c| c.symbol() == "╔"));
    assert!(
        b.buffer()
            .content
            .iter()
            .any(|c| c.modifier.contains(Modifier::REVERSED)),
        "the selected tab is reversed"
    );
}

#[test]
fn any_size_renders_and_resizing_keeps_the_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    follow_record(&mut g, 1);
    act(&mut g, Action::Scroll(Scroll::PageDown));
    act(&mut g, Action::Scroll(Scroll::Down));
    g.ui.message.clear();
    let before_screen = text(&draw(&mut g, 80, 24));
    let before_ui = g.ui.clone();
    let decisions = g.session.run.decisions.clone();
    for (w, h) in [
        (79, 23),
        (1, 1),
        (1, 30),
        (100, 30),
        (120, 40),
        (250, 70),
        (120, 35),
    ] {
        let b = draw(&mut g, w, h);
        let t = text(&b);
        if w >= 80 && h >= 24 {
            assert!(t.contains("Council"), "{w}x{h}:\n{t}");
        } else if w >= 40 {
            assert!(t.contains("at least 80×24"), "{w}x{h}:\n{t}");
        }
    }
    let after_screen = text(&draw(&mut g, 80, 24));
    assert_eq!(
        after_screen, before_screen,
        "back at 80×24, the same screen"
    );
    assert_eq!(
        (
            g.ui.focus,
            g.ui.overlay,
            g.ui.scroll,
            &g.ui.query,
            g.ui.selected
        ),
        (
            before_ui.focus,
            before_ui.overlay,
            before_ui.scroll,
            &before_ui.query,
            before_ui.selected
        ),
        "focus, overlay, scroll, search and selection survive the resizes"
    );
    assert_eq!(
        g.session.run.decisions, decisions,
        "nothing decided by resizing"
    );
    assert!(
        matches!(g.step(), Step::Council(_)),
        "the council still waits"
    );
    for pane in Pane::ALL {
        act(&mut g, Action::Focus(pane));
        for (w, h) in [(80, 24), (200, 60), (121, 36)] {
            let _ = draw(&mut g, w, h);
        }
    }
}

#[test]
fn every_place_in_play_and_the_river_are_on_the_map_of_the_war_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = game(11, dir.path());
    act(&mut g, Action::Focus(Pane::Map));
    let t = text(&draw(&mut g, 200, 60));
    let screen = g.screen();
    assert!(!screen.map.places.is_empty());
    for p in &screen.map.places {
        let inside = (110.5..=120.5).contains(&p.lon) && (33.0..=41.5).contains(&p.lat);
        assert!(
            !inside || t.contains(&p.name),
            "{} not on the map:\n{t}",
            p.name
        );
    }
    assert!(t.contains("Yellow R."), "the river is labelled");
    assert!(t.contains("approx"), "and called approximate");
    assert!(
        screen.map.armies.iter().all(|a| t.contains(&a.name)),
        "every army in the key"
    );
}

// ------------------------------------------------------------ the real binary in a pty

fn pty(script: &str) -> rexpect::session::PtySession {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm-256color");
    rexpect::session::spawn_command(cmd, Some(30_000)).expect("spawn in a pty")
}

fn quoted(p: &Path) -> String {
    format!("'{}'", p.display())
}

#[test]
fn in_a_pty_the_full_screen_game_starts_chooses_quits_and_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = format!(
        "stty rows 24 cols 80; {} play --scenario pingzhou --seed 11 --other recorded --save-dir {}; echo EXIT=$?; stty -a",
        quoted(&util::bin()),
        quoted(dir.path())
    );
    let mut p = pty(&script);
    // Match single words: the screen is drawn as a diff, so a space that
    // was already blank is skipped with a cursor move, not written.
    let mut out = p
        .exp_string("choices")
        .expect("the first frame shows the council");
    assert!(
        out.contains("\x1b[?1049h"),
        "the alternate screen is entered"
    );
    p.send("2").expect("send");
    p.flush().expect("flush");
    out += &p.exp_string("Decide?").expect("a confirmation");
    p.send("\r").expect("send");
    p.flush().expect("flush");
    out += &p.exp_string("Decided:").expect("the decision is taken");
    p.send("q").expect("send");
    p.flush().expect("flush");
    out += &p.exp_string("quit?").expect("q asks");
    p.send("y").expect("send");
    p.flush().expect("flush");
    out += &p.exp_string("Resume with:").expect("saved");
    out += &p.exp_string("EXIT=").expect("exit status");
    let rest = p.exp_eof().expect("the shell ends");
    assert!(rest.starts_with('0'), "exit status 0, got {rest}");
    assert!(out.contains("\x1b[?1049l"), "the alternate screen is left");
    assert!(out.contains("\x1b[?25h"), "the cursor is shown again");
    // After the game the terminal is back in cooked mode (canonical input, signals).
    let words: Vec<&str> = rest.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && !words.contains(&"-icanon"),
        "stty after the game:\n{rest}"
    );
    assert!(
        words.contains(&"isig") && !words.contains(&"-isig"),
        "stty after the game:\n{rest}"
    );
    let save = dir.path().join("saves").join("pingzhou-song-seed11-1.ron");
    let run = RunFile::read(&save).expect("the save exists");
    assert_eq!(run.decisions.len(), 1, "one decision recorded");
}

#[test]
fn in_a_pty_ctrl_c_saves_and_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = format!(
        "stty rows 30 cols 100; {} play --scenario pingzhou --seed 2 --save-dir {}; echo EXIT=$?; stty -a",
        quoted(&util::bin()),
        quoted(dir.path())
    );
    let mut p = pty(&script);
    p.exp_string("choices").expect("the first frame");
    p.send_control('c').expect("ctrl-c");
    let out = p.exp_string("EXIT=").expect("exit");
    assert!(out.contains("Saved to"), "{out}");
    let rest = p.exp_eof().expect("eof");
    assert!(rest.starts_with('0'), "Ctrl-C is a clean exit: {rest}");
    let words: Vec<&str> = rest.split_whitespace().collect();
    assert!(words.contains(&"icanon"), "{rest}");
    assert!(
        dir.path()
            .join("saves")
            .join("pingzhou-song-seed2-1.ron")
            .exists()
    );
}

#[test]
fn in_a_pty_a_hang_up_saves_the_game() {
    let dir = tempfile::tempdir().expect("tempdir");
    // exec: the game itself receives the signal.
    let script = format!(
        "stty rows 24 cols 80; exec {} play --scenario pingzhou --seed 4 --save-dir {}",
        quoted(&util::bin()),
        quoted(dir.path())
    );
    let mut p = pty(&script);
    p.exp_string("choices").expect("the first frame");
    p.process_mut()
        .signal(rexpect::process::Signal::SIGHUP)
        .expect("hang up");
    let status = p.process().wait().expect("the game exits");
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "a hang-up is the end of input, not a crash: {status:?}"
    );
    assert!(
        dir.path()
            .join("saves")
            .join("pingzhou-song-seed4-1.ron")
            .exists(),
        "saved on hang-up"
    );
}

#[test]
fn in_a_pty_too_small_or_plain_gives_line_mode() {
    for (size, flag) in [("rows 20 cols 60", ""), ("rows 24 cols 80", "--plain")] {
        let dir = tempfile::tempdir().expect("tempdir");
        let script = format!(
            "stty {size}; {} play --scenario pingzhou --seed 4 {flag} --save-dir {}",
            quoted(&util::bin()),
            quoted(dir.path())
        );
        let mut p = pty(&script);
        let out = p
            .exp_string("Your decision [1-")
            .expect("the line-mode prompt");
        assert!(
            !out.contains("\x1b[?1049h"),
            "{size} {flag}: no alternate screen"
        );
        p.send_line("quit").expect("quit");
        p.exp_string("Saved to").expect("saved");
        p.exp_eof().expect("eof");
    }
}

#[test]
fn the_jin_court_sees_its_own_era_first_and_the_song_one_beside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = util::scenario("pingzhou");
    let seats = Seats::human(Court::Jin, PolicyKind::Recorded);
    let run = RunFile::new("pingzhou", &s, 11, &seats);
    let campaign = Campaign::new(s.clone(), 11, seats);
    let mut g = Game::new(Session::new(
        campaign,
        run,
        Court::Jin,
        dir.path().to_path_buf(),
    ))
    .expect("game");
    let Step::Council(view) = g.step().clone() else {
        panic!("a Jin council")
    };
    assert_eq!(view.court, Court::Jin);
    let t = text(&draw(&mut g, 120, 40));
    let cal = s.calendar();
    let first = t.lines().next().unwrap_or_default();
    let jin = cal.short_label(view.month, Court::Jin);
    let song = cal.short_label(view.month, Court::Song);
    let (j, so) = (first.find(&jin), first.find(&song));
    assert!(
        j.is_some() && so.is_some() && j < so,
        "Jin era first, then the Song one: {first}"
    );
    assert!(t.contains("Jin court"));
}

#[test]
fn in_a_pty_the_start_menu_lists_saves_and_resumes_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("path");
    let o = util::play_pingzhou(&["--seed", "6", "--save-dir", d], "1\n");
    assert!(o.status.success(), "{}", util::stderr(&o));
    let save = util::path_after(&util::stdout(&o), "The game is saved to ");
    let name = save
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    // A small terminal: the menu, then line mode.
    let script = format!(
        "stty rows 20 cols 70; {} play --save-dir {}",
        quoted(&util::bin()),
        quoted(dir.path())
    );
    let mut p = pty(&script);
    let menu = p.exp_string("Choose [1-").expect("the menu");
    assert!(menu.contains("Or resume a saved game:"), "{menu}");
    let line = menu
        .lines()
        .find(|l| l.contains(&name))
        .unwrap_or_else(|| panic!("{name} listed:\n{menu}"));
    assert!(
        line.contains("The Pingzhou Defector, the Song court, 1 decision taken"),
        "{line}"
    );
    let number = line.trim().split('.').next().expect("a number").to_owned();
    p.send_line(&number).expect("pick the save");
    p.exp_string("Resuming The Pingzhou Defector as the Song court (1 decision so far)")
        .expect("resumed");
    p.exp_string("Your decision [1-").expect("the next council");
    p.send_line("quit").expect("quit");
    let out = p.exp_eof().expect("eof");
    assert!(
        out.contains(&format!("Saved to {}", save.display())),
        "{out}"
    );
    let run = RunFile::read(&save).expect("the same save");
    assert_eq!(run.decisions.len(), 1);
}

#[test]
fn the_encyclopedia_keeps_what_has_not_happened_yet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = util::scenario("first-siege");
    let seats = Seats::human(Court::Song, PolicyKind::Recorded);
    let run = RunFile::new("first-siege", &s, 2, &seats);
    let campaign = Campaign::new(s, 2, seats);
    let mut g = Game::new(Session::new(
        campaign,
        run,
        Court::Song,
        dir.path().to_path_buf(),
    ))
    .expect("game");
    act(&mut g, Action::Search);
    for c in "li gang".chars() {
        act(&mut g, Action::Type(c));
    }
    let screen = g.screen();
    let detail = screen.lookup.detail.join("\n");
    assert!(detail.starts_with("Li Gang"), "{detail}");
    for later in ["Right Chief Minister", "1127", "talked Qinzong"] {
        assert!(
            !detail.contains(later),
            "{later:?} before its time:\n{detail}"
        );
    }
}

#[test]
fn the_players_name_is_in_the_header_of_the_full_screen_game() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = util::scenario("pingzhou");
    let seats = Seats::human(Court::Song, PolicyKind::Recorded);
    let mut run = RunFile::new("pingzhou", &s, 3, &seats);
    run.player = Some("Mei Lin".to_owned());
    let campaign = Campaign::new(s, 3, seats);
    let mut g = Game::new(
        Session::new(campaign, run, Court::Song, dir.path().to_path_buf())
            .with_player(Some("Mei Lin".to_owned())),
    )
    .expect("game");
    let t = text(&draw(&mut g, 120, 40));
    let first = t.lines().next().unwrap_or_default();
    assert!(first.contains("Mei Lin · Song court"), "{t}");
}

#[test]
fn in_a_pty_the_start_menu_asks_the_players_name_and_the_game_shows_and_keeps_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = format!(
        "stty rows 40 cols 120; {} play --seed 12 --save-dir {}",
        quoted(&util::bin()),
        quoted(dir.path())
    );
    let mut p = pty(&script);
    p.exp_string("Choose [1-").expect("the menu");
    p.send_line("").expect("the first chapter");
    p.exp_string("Court [1-2").expect("the court question");
    p.send_line("").expect("the Song");
    p.exp_string("Your name").expect("the name question");
    p.send_line("Meilin").expect("a name");
    p.exp_string("choices").expect("the full-screen game");
    p.exp_string("Meilin").expect("the name in the header");
    p.send("q").expect("send");
    p.flush().expect("flush");
    p.exp_string("quit?").expect("q asks");
    p.send("y").expect("send");
    p.flush().expect("flush");
    p.exp_eof().expect("the game ends");
    let saves = util::ron_files(&dir.path().join("saves"));
    assert_eq!(saves.len(), 1, "{saves:?}");
    assert!(saves[0].contains("-song-Meilin-"), "{saves:?}");
    let run = RunFile::read(&dir.path().join("saves").join(&saves[0])).expect("the save");
    assert_eq!(run.player.as_deref(), Some("Meilin"));
}

/// The `.rs` files under `src/<dir>`, with their code lines (comments and
/// doc comments left out, so a doc link to another module does not count).
fn code_of(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no source files under {}",
        root.display()
    );
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read a source file");
            let code: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            (p.display().to_string(), code.join("\n"))
        })
        .collect()
}

#[test]
fn the_full_screen_interface_draws_the_shared_view_and_never_imports_the_line_mode() {
    for (file, code) in code_of("tui") {
        for needle in ["crate::plain", "jingkang::plain", "super::super::plain"] {
            assert!(
                !code.contains(needle),
                "{file} reaches into the line mode ({needle}); take it from crate::view"
            );
        }
    }
    // The view layer serves both front ends and depends on neither.
    for (file, code) in code_of("view") {
        for needle in ["crate::plain", "crate::tui", "ratatui"] {
            assert!(
                !code.contains(needle),
                "{file} depends on a front end ({needle})"
            );
        }
    }
    // Both front ends take the record, the bands and the state from it.
    let tui: String = code_of("tui").into_iter().map(|(_, c)| c).collect();
    for used in ["model::record(", "model::state(", "model::chron_months("] {
        assert!(tui.contains(used), "the full-screen interface uses {used}");
    }
    let plain = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/plain.rs"))
        .expect("read src/plain.rs");
    for used in ["view::record(", "view::state(", "view::chron_months("] {
        assert!(plain.contains(used), "the line mode uses {used}");
    }
}

#[test]
fn each_piece_of_view_logic_is_written_once() {
    // (what, a line of code only that piece holds)
    let pieces = [
        (
            "the hidden-answer filter of the record",
            "e.decision.as_deref() != pending",
        ),
        ("the gauge bands", "\"the peace party dominates\""),
        ("the gauge names", "\"Troops at hand\""),
        ("a place's holder in words", "\", under siege\""),
        ("a place's holder as a letter", "Some(Court::Song) => 'S'"),
        ("the army markers", "char::from_u32(u32::from('a')"),
    ];
    let mut all = Vec::new();
    for dir in ["", "tui", "view"] {
        all.extend(code_of(dir));
    }
    for (what, needle) in pieces {
        let holders: Vec<&str> = all
            .iter()
            .filter(|(_, code)| code.contains(needle))
            .map(|(f, _)| f.as_str())
            .collect();
        assert_eq!(
            holders.len(),
            1,
            "{what} ({needle}) should be written once, in src/view; found in {holders:?}"
        );
        assert!(
            holders[0].contains("/src/view/"),
            "{what} lives in {}, not in the view layer",
            holders[0]
        );
    }
    // No front end makes up a gauge it was not given.
    for (file, code) in code_of("tui").into_iter().chain(code_of("view")) {
        assert!(
            !code.contains("unwrap_or(50)"),
            "{file} invents a gauge value"
        );
    }
}
