//! Teaching: the brief pace fits a lesson, reasons (`--reflect`) and the
//! player's name are kept in the run file and shown in the debrief.

use jingkang::content::model::Court;

use crate::util;

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Plays `first-siege` on the recorded path as `side` in line mode.
fn play_first_siege(side: Court, extra: &[&str], dir: &std::path::Path) -> String {
    let s = util::scenario("first-siege");
    let answers = util::recorded_answers(&s, side, 1);
    let mut args = vec![
        "play",
        "--plain",
        "--scenario",
        "first-siege",
        "--side",
        side.key(),
        "--seed",
        "1",
        "--other",
        "recorded",
        "--save-dir",
        dir.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    let o = util::run(&args, &util::input(&answers));
    assert!(o.status.success(), "{}", util::stderr(&o));
    util::stdout(&o)
}

#[test]
fn the_brief_pace_of_first_siege_as_the_song_reads_in_at_most_4000_words_with_its_debrief() {
    let dir = tempfile::tempdir().expect("tempdir");
    let brief = play_first_siege(Court::Song, &["--pace", "brief"], dir.path());
    let full = play_first_siege(Court::Song, &[], dir.path());
    assert!(
        brief.contains("DEBRIEF"),
        "the brief game reaches its debrief"
    );
    let (b, f) = (words(&brief), words(&full));
    assert!(b <= 4000, "the brief pace is {b} words (full: {f})");
    assert!(
        b * 2 < f,
        "the brief pace ({b}) is less than half the full text ({f})"
    );
    // The short texts are what is read: the opening, a dispatch, a council.
    let s = util::scenario("first-siege");
    assert!(brief.contains(&s.meta.brief[..40]), "the short opening");
    assert!(!brief.contains(&s.meta.intro[..60]), "not the long one");
    let d = &s.decisions["song.capital.stay_or_flee"];
    let first_words = |t: &str| t.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squash(&brief).contains(&first_words(&d.brief)));
    assert!(!squash(&brief).contains(&first_words(&d.situation)));
    assert!(squash(&full).contains(&first_words(&d.situation)));
    // The debrief keeps its labels and sources in brief too.
    let debrief = &brief[brief.find("DEBRIEF").expect("debrief")..];
    assert!(debrief.contains("[recorded]") && debrief.contains("SS-358"));
}

#[test]
fn the_brief_pace_of_first_siege_as_the_jin_fits_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let brief = play_first_siege(Court::Jin, &["--pace", "brief"], dir.path());
    assert!(brief.contains("DEBRIEF"));
    assert!(words(&brief) <= 4000, "{} words", words(&brief));
}

#[test]
fn every_text_of_first_siege_has_a_shorter_summary_beside_it() {
    let s = util::scenario("first-siege");
    let short = |brief: &str, full: &str, what: &str| {
        assert!(!brief.trim().is_empty(), "{what} has no brief");
        assert!(
            words(brief) < words(full),
            "{what}: brief ({}) not shorter than full ({})",
            words(brief),
            words(full)
        );
    };
    short(&s.meta.brief, &s.meta.intro, "the opening");
    for e in &s.events {
        short(&e.brief, &e.text, &e.id);
    }
    for d in s.decisions.values() {
        short(&d.brief, &d.situation, &d.id);
        for a in &d.advisors {
            short(&a.brief, &a.argues, &format!("{} / {}", d.id, a.person));
        }
        if let Some(r) = &d.recorded {
            short(&r.brief, &r.followed, &format!("{} followed", d.id));
        }
    }
    for e in &s.endings {
        short(&e.brief, &e.text, &e.id);
    }
}

#[test]
fn reasons_are_asked_kept_in_the_run_file_and_shown_in_the_debrief() {
    let s = util::scenario("pingzhou");
    let answers = util::recorded_answers(&s, Court::Song, 5);
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("utf-8");
    // A reason after each answer; the second is left empty (skipped).
    let mut input = String::new();
    for (i, a) in answers.iter().enumerate() {
        let why = if i == 1 {
            String::new()
        } else {
            format!("Reason number {i}.")
        };
        input.push_str(&format!("{a}\n{why}\n"));
    }
    let o = util::play_pingzhou(
        &[
            "--side",
            "song",
            "--seed",
            "5",
            "--other",
            "recorded",
            "--reflect",
            "--save-dir",
            d,
        ],
        &input,
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let out = util::stdout(&o);
    assert!(
        out.contains("Why did you choose this?"),
        "the question is asked"
    );
    let run = util::path_after(&out, "The run is saved to ");
    let text = std::fs::read_to_string(&run).expect("run file");
    assert!(text.contains("why: Some(\"Reason number 0.\")"), "{text}");
    assert!(
        !text.contains("Reason number 1."),
        "an empty answer is skipped"
    );
    let debrief = util::debrief_block(&out);
    assert!(debrief.contains("Why, in the player's words: Reason number 0."));
    // Replay and the other formats show them too.
    for flag in [None, Some("--markdown"), Some("--html")] {
        let mut args = vec!["replay", run.to_str().expect("utf-8")];
        args.extend(flag);
        let r = util::run(&args, "");
        assert!(r.status.success());
        assert!(util::stdout(&r).contains("Reason number 2."), "{flag:?}");
    }
}

#[test]
fn the_players_name_is_kept_and_two_players_never_share_a_run_file() {
    let s = util::scenario("pingzhou");
    let answers = util::recorded_answers(&s, Court::Song, 9);
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("utf-8");
    let mut files = Vec::new();
    for name in ["Mei Lin", "Tom\u{1b}[31m O'Hara", "Mei Lin"] {
        let o = util::play_pingzhou(
            &[
                "--side",
                "song",
                "--seed",
                "9",
                "--other",
                "recorded",
                "--player",
                name,
                "--save-dir",
                d,
            ],
            &util::input(&answers),
        );
        assert!(o.status.success(), "{}", util::stderr(&o));
        let out = util::stdout(&o);
        assert!(
            !out.contains('\u{1b}'),
            "no terminal control reaches the screen"
        );
        files.push(util::path_after(&out, "The run is saved to "));
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert!(names[0].contains("Mei-Lin"), "{names:?}");
    assert!(names[1].contains("Tom-31m-O-Hara"), "{names:?}");
    assert_ne!(
        names[0], names[2],
        "the same player's second game gets its own file"
    );
    for f in &files {
        assert!(f.exists());
    }
    let first = std::fs::read_to_string(&files[0]).expect("run");
    assert!(first.contains("player: Some(\"Mei Lin\")"), "{first}");
    let r = util::run(&["replay", files[1].to_str().expect("utf-8")], "");
    assert!(util::stdout(&r).contains("Played by Tom[31m O'Hara as the Song court"));
}
