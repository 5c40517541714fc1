use jingkang::content::model::Court;

use crate::util;

#[test]
fn the_recorded_path_through_piped_stdin_matches_the_record_and_reaches_the_recorded_ending() {
    let s = util::scenario("pingzhou");
    let answers = util::recorded_answers(&s, Court::Song, 11);
    assert!(
        answers.len() >= 8,
        "at least 8 Song councils on the recorded path, got {}",
        answers.len()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let dir_s = dir.path().to_str().expect("utf-8 path");
    let o = util::play_pingzhou(
        &[
            "--side",
            "song",
            "--seed",
            "11",
            "--other",
            "recorded",
            "--save-dir",
            dir_s,
        ],
        &util::input(&answers),
    );
    let out = util::stdout(&o);
    assert!(
        o.status.success(),
        "exit status {:?}\n{}",
        o.status,
        util::stderr(&o)
    );
    let debrief = util::debrief_block(&out);
    assert!(
        debrief.matches("same as the record").count() >= answers.len(),
        "every decision taken matches the record:\n{debrief}"
    );
    assert!(
        !debrief.contains("differs from the record"),
        "a recorded choice was flagged as differing:\n{debrief}"
    );
    let rec = s
        .recorded_ending(Court::Song)
        .expect("recorded Song ending");
    assert!(
        debrief.contains(&format!("This is the recorded outcome: {}", rec.title)),
        "not the recorded ending:\n{debrief}"
    );
    assert!(
        debrief.contains("decisions 0/50"),
        "decision divergence should be zero:\n{debrief}"
    );
    // Every line of the decision ledger carries a certainty label.
    for line in debrief
        .lines()
        .filter(|l| l.contains("chose:") || l.contains("Recorded:"))
    {
        assert!(
            line.contains("[model]")
                || line.contains("[recorded]")
                || line.contains("[disputed]")
                || line.contains("[invented"),
            "unlabelled line: {line}"
        );
    }
}

#[test]
fn garbage_at_the_prompt_reprompts_and_loses_nothing() {
    let s = util::scenario("pingzhou");
    let answers = util::recorded_answers(&s, Court::Song, 5);
    let mut input = String::from(
        "banana\n99\n0\n\n   \nstatus\nrecord\nadvisors\nhelp\nwho li gang\nwhere kaifeng\nterm tael\n",
    );
    input.push_str(&util::input(&answers));
    let dir = tempfile::tempdir().expect("tempdir");
    let o = util::play_pingzhou(
        &[
            "--seed",
            "5",
            "--other",
            "recorded",
            "--save-dir",
            dir.path().to_str().expect("path"),
        ],
        &input,
    );
    let out = util::stdout(&o);
    assert!(o.status.success(), "{}", util::stderr(&o));
    assert!(out.contains("I did not understand \"banana\""), "{out}");
    assert!(out.contains("There is no choice 99"), "{out}");
    assert!(out.contains("There is no choice 0"), "{out}");
    assert!(
        out.contains("The state of the Song court"),
        "status command"
    );
    assert!(out.contains("withheld until you decide"), "record command");
    assert!(out.contains("DEBRIEF"), "the game still reaches its end");
    assert!(!util::debrief_block(&out).contains("differs from the record"));
}

#[test]
fn end_of_input_saves_and_exits_zero_and_the_save_resumes() {
    let s = util::scenario("pingzhou");
    let answers = util::recorded_answers(&s, Court::Song, 3);
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("path");
    let o = util::play_pingzhou(
        &["--seed", "3", "--other", "recorded", "--save-dir", d],
        &util::input(&answers[..2]),
    );
    let out = util::stdout(&o);
    assert!(
        o.status.success(),
        "end of input is not an error: {}",
        util::stderr(&o)
    );
    let save = util::path_after(&out, "The game is saved to ");
    assert!(save.exists(), "save file at {}", save.display());
    let saved = jingkang::runfile::RunFile::read(&save).expect("the save reads back");
    assert_eq!(saved.decisions.len(), 2, "both answers kept");
    assert!(!saved.complete);

    // Resume with the remaining answers: the run ends on the record.
    let o = util::load(&save, &["--save-dir", d], &util::input(&answers[2..]));
    let out = util::stdout(&o);
    assert!(o.status.success(), "{}", util::stderr(&o));
    assert!(out.contains("Resuming"), "{out}");
    assert!(!util::debrief_block(&out).contains("differs from the record"));
}

#[test]
fn quit_saves_and_says_where() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = util::play_pingzhou(
        &[
            "--seed",
            "9",
            "--save-dir",
            dir.path().to_str().expect("path"),
        ],
        "quit\n",
    );
    let out = util::stdout(&o);
    assert!(o.status.success());
    let save = util::path_after(&out, "Saved to ");
    assert!(save.starts_with(dir.path()) && save.exists());
}

#[test]
fn validate_accepts_the_embedded_data() {
    let o = util::run(&["validate"], "");
    assert!(o.status.success(), "{}", util::stderr(&o));
    assert!(util::stdout(&o).starts_with("ok:"));
}

#[test]
fn headless_run_prints_stable_json() {
    let o = util::run(
        &[
            "run",
            "--scenario",
            "pingzhou",
            "--seed",
            "4",
            "--song",
            "recorded",
            "--jin",
            "recorded",
            "--json",
        ],
        "",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["scenario"], "pingzhou");
    assert_eq!(v["seed"], 4);
    assert_eq!(
        v["ending"], v["recorded_ending"],
        "recorded policies reach the recorded ending"
    );
    assert_eq!(v["divergence"]["decisions"], 0);
    for d in v["decisions"].as_array().expect("decisions") {
        for key in ["id", "chosen", "recorded", "month"] {
            assert!(d.get(key).is_some(), "decision lacks {key}: {d}");
        }
        assert_eq!(d["chosen"], d["recorded"]);
    }
    let ms = v["milestones"].as_array().expect("milestones");
    assert!(!ms.is_empty());
    for m in ms {
        assert!(
            m.get("month").is_some() && m.get("recorded_month").is_some() && m.get("id").is_some()
        );
    }
}

#[test]
fn unknown_scenario_and_policy_are_clear_errors() {
    let o = util::run(&["run", "--scenario", "no-such-place"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(util::stderr(&o).contains("no scenario \"no-such-place\""));
    // A policy that does not exist is a usage error, like an unknown flag.
    let o = util::run(&["run", "--song", "bold"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(util::stderr(&o).contains("unknown policy \"bold\""));
}

#[test]
fn every_chapter_plays_through_on_the_recorded_path_as_each_court() {
    use jingkang::policy::PolicyKind;
    use jingkang::sim::{Campaign, Seats, Step};
    for id in jingkang::content::scenario_ids() {
        let s = util::scenario(&id);
        for &side in &s.meta.playable {
            // A seed where the recorded course comes out (chance plays a part).
            let seed = (1..40)
                .find(|seed| {
                    let (_, d) = jingkang::runfile::run_headless(
                        &s,
                        *seed,
                        PolicyKind::Recorded,
                        PolicyKind::Recorded,
                    );
                    d.endings
                        .iter()
                        .all(|e| e.recorded.as_deref() == Some(e.id.as_str()))
                })
                .unwrap_or_else(|| panic!("{id}: no seed in 1..40 reaches the recorded endings"));
            let mut c = Campaign::new(s.clone(), seed, Seats::human(side, PolicyKind::Recorded));
            let mut councils = 0;
            while let Step::Council(view) = c.advance() {
                councils += 1;
                let d = &s.decisions[view.decision.as_str()];
                let pick = d
                    .recorded
                    .as_ref()
                    .map_or_else(|| view.options[0].id.clone(), |r| r.option.clone());
                c.decide(&pick).expect("a recorded option is an option");
            }
            assert!(
                councils >= 3,
                "{id} as {}: only {councils} councils",
                side.name()
            );
            let ledger = c.ledger();
            let ending = ledger.endings.get(&side).expect("an ending");
            assert_eq!(
                Some(ending),
                s.meta.recorded_ending.get(&side),
                "{id} as {}",
                side.name()
            );
        }
    }
}

/// OSC (retitle the window), CSI (clear the screen), a C1 CSI and a
/// right-to-left override, as a hostile scenario or player might write them.
const HOSTILE: &str = "\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{9b}31m\u{202e}";

/// A copy of pingzhou with the hostile sequence in its title, the first
/// dispatch, the first council and an option.
pub fn hostile_scenario(dir: &std::path::Path) {
    util::copy_scenario("pingzhou", dir);
    let edit = |file: &str, keys: &[&str]| {
        let p = dir.join(file);
        let mut t = std::fs::read_to_string(&p).expect("read");
        for key in keys {
            let i = t.find(key).expect("key") + key.len();
            t.insert_str(i, HOSTILE);
        }
        std::fs::write(&p, t).expect("write");
    };
    edit("scenario.ron", &["title: \"", "intro: \""]);
    edit("events.ron", &["title: \"", "text: \""]);
    edit(
        "decisions.ron",
        &["title: \"", "situation: \"", "label: \"", "argues: \""],
    );
}

fn assert_clean(text: &str, what: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| jingkang::clean::is_unsafe(*c))
        .collect();
    assert!(bad.is_empty(), "{what} carries {bad:?}:\n{text}");
}

#[test]
fn nothing_from_data_saves_file_names_or_input_reaches_the_terminal_raw() {
    let scen = tempfile::tempdir().expect("tempdir");
    hostile_scenario(scen.path());
    let root = tempfile::tempdir().expect("tempdir");
    let saves = root.path().join(format!("saves{HOSTILE}here"));
    let input = format!(
        "who {HOSTILE}li gang\nterm {HOSTILE}\nbanana{HOSTILE}\nsave {HOSTILE}mine\n1\nquit\n"
    );
    let o = util::run(
        &[
            "play",
            "--plain",
            "--scenario",
            scen.path().to_str().expect("path"),
            "--seed",
            "2",
            "--save-dir",
            saves.to_str().expect("path"),
        ],
        &input,
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let out = util::stdout(&o);
    assert!(out.contains("PWNED"), "the text itself is kept:\n{out}");
    assert!(out.contains("banana"), "{out}");
    assert_clean(&out, "line mode");
    assert_clean(&util::stderr(&o), "line mode's errors");
    // Error messages quoting a data file.
    let broken = tempfile::tempdir().expect("tempdir");
    hostile_scenario(broken.path());
    let ev = broken.path().join("events.ron");
    let t = std::fs::read_to_string(&ev).expect("read");
    std::fs::write(&ev, t.replacen("title: \"", "title: \"\"", 1)).expect("write");
    let o = util::run(&["validate", broken.path().to_str().expect("path")], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(util::stderr(&o).contains("PWNED"), "{}", util::stderr(&o));
    assert_clean(&util::stderr(&o), "a data error");
    // Error messages quoting a save.
    let save = root.path().join("bad.ron");
    std::fs::write(&save, format!("(version: 1, scenario: \"{HOSTILE}\", ")).expect("write");
    for args in [vec!["replay"], vec!["play", "--plain", "--load"]] {
        let mut a = args.clone();
        a.push(save.to_str().expect("path"));
        let o = util::run(&a, "");
        assert_eq!(o.status.code(), Some(1));
        assert_clean(&util::stderr(&o), "a save error");
    }
    // The full-screen interface draws none of it either.
    let s = std::sync::Arc::new(jingkang::content::load_dir(scen.path()).expect("loads"));
    let seats = jingkang::sim::Seats::human(Court::Song, jingkang::policy::PolicyKind::Recorded);
    let run = jingkang::runfile::RunFile::new("x", &s, 2, &seats);
    let campaign = jingkang::sim::Campaign::new(s, 2, seats);
    let mut g = jingkang::tui::Game::new(jingkang::view::Session::new(
        campaign,
        run,
        Court::Song,
        root.path().to_path_buf(),
    ))
    .expect("game");
    for pane in jingkang::tui::ui::Pane::ALL {
        g.ui.focus_on(pane);
        g.ui.query = format!("li{HOSTILE}");
        let screen = g.screen();
        let mut term =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("term");
        term.draw(|f| f.render_widget(&screen, f.area()))
            .expect("draw");
        let cells: String = term
            .backend()
            .buffer()
            .content
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect();
        assert_clean(&cells, &format!("the {pane:?} pane"));
    }
}

/// The stable JSON of a headless run, checked against its golden file
/// (`tests/snapshots/tests__play__stable_json_pingzhou_seed4.snap`; after
/// a deliberate change, regenerate it with
/// `INSTA_UPDATE=always cargo test --release stable_json` and review the
/// diff). The content hash, which changes with every edit of the data, is
/// checked against the scenario's instead of the file.
#[test]
fn stable_json_matches_its_golden_file() {
    let o = util::run(
        &["run", "--scenario", "pingzhou", "--seed", "4", "--json"],
        "",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        v["content_hash"].as_str(),
        Some(util::scenario("pingzhou").content_hash.as_str())
    );
    v["content_hash"] = serde_json::Value::String("[content hash]".into());
    let pretty = serde_json::to_string_pretty(&v).expect("JSON");
    insta::assert_snapshot!("stable_json_pingzhou_seed4", pretty);
}

#[test]
fn line_mode_wraps_to_the_width_and_has_a_map_and_the_chronicle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir_s = dir.path().to_str().expect("utf-8 path");
    let o = util::play_pingzhou(
        &[
            "--side",
            "song",
            "--seed",
            "3",
            "--width",
            "40",
            "--save-dir",
            dir_s,
        ],
        "map\nchronicle\nquit\n",
    );
    let out = util::stdout(&o);
    assert!(o.status.success(), "{}", util::stderr(&o));
    assert!(out.contains("The map, "), "map heading:\n{out}");
    assert!(out.contains("held by Song"), "places with holders:\n{out}");
    assert!(out.contains("Under siege: "), "sieges named:\n{out}");
    assert!(out.contains("The chronicle so far:"), "chronicle:\n{out}");
    // The first dispatch, printed as news and again by `chronicle`.
    assert_eq!(out.matches("◆ Li Jing names the price").count(), 2, "{out}");
    // Every line fits 40 columns, but for file paths and the prompt's echo.
    for line in out.lines().filter(|l| !l.contains('/')) {
        let w = unicode_width::UnicodeWidthStr::width(line);
        assert!(w <= 40, "{w} columns: {line:?}");
    }
}

#[test]
fn screen_reader_mode_has_words_not_rules_and_symbols() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir_s = dir.path().to_str().expect("utf-8 path");
    let o = util::play_pingzhou(
        &[
            "--side",
            "jin",
            "--seed",
            "3",
            "--screen-reader",
            "--save-dir",
            dir_s,
        ],
        "status\nmap\nrecord\n1\nchronicle\nquit\n",
    );
    let out = util::stdout(&o);
    assert!(o.status.success(), "{}", util::stderr(&o));
    for symbol in ['─', '═', '◆', '▶', '↳', '·'] {
        assert!(!out.contains(symbol), "{symbol} read aloud:\n{out}");
    }
    for word in [
        "Month: ",
        "In the Song reckoning",
        "Dispatch: ",
        "Council: ",
        "Decision: Your court",
    ] {
        assert!(out.contains(word), "{word}:\n{out}");
    }
}

#[test]
fn shell_completions_and_the_man_page_come_from_the_command_definitions() {
    let bash = util::run(&["completions", "bash"], "");
    assert!(bash.status.success(), "{}", util::stderr(&bash));
    let text = util::stdout(&bash);
    for word in ["_jingkang", "explore", "decisions", "--scenario", "--pace"] {
        assert!(text.contains(word), "the bash completions know {word}");
    }
    let zsh = util::run(&["completions", "zsh"], "");
    assert!(util::stdout(&zsh).starts_with("#compdef jingkang"));
    let bad = util::run(&["completions", "cmd.exe"], "");
    assert_eq!(
        bad.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
    let man = util::run(&["man"], "");
    assert!(man.status.success(), "{}", util::stderr(&man));
    let page = util::stdout(&man);
    assert!(
        page.contains(".TH jingkang"),
        "a roff page: {}",
        &page[..page.len().min(200)]
    );
    for word in ["explore", "replay", "class", "\\-\\-seed"] {
        assert!(page.contains(word), "the man page lists {word}");
    }
}
