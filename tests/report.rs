//! Reports: one debrief structure rendered by templates to text, Markdown
//! and HTML; the HTML checked in a real browser.

use jingkang::history::Debrief;
use jingkang::policy::PolicyKind;
use jingkang::report::{self, Format};
use jingkang::runfile::run_headless;

use crate::util;

fn first_siege(song: &str) -> Debrief {
    let s = util::scenario("first-siege");
    let song: PolicyKind = song.parse().expect("a policy");
    run_headless(&s, 3, song, PolicyKind::Recorded).1
}

fn all_formats(d: &Debrief) -> Vec<(Format, String)> {
    [Format::Text, Format::Markdown, Format::Html]
        .into_iter()
        .map(|f| (f, report::debrief(d, f, 76).expect("the debrief renders")))
        .collect()
}

#[test]
fn every_format_carries_every_decision_milestone_ending_and_the_divergence() {
    let d = first_siege("flip:song.capital.stay_or_flee");
    assert!(d.decisions.len() >= 10, "a full chapter");
    for (f, text) in all_formats(&d) {
        // HTML escapes apostrophes and text wraps; compare words.
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let plain = words(&text.replace("&#x27;", "'").replace("&quot;", "\""));
        for row in &d.decisions {
            assert!(
                plain.contains(&words(&row.title)),
                "{f:?} lacks decision {}",
                row.title
            );
            assert!(
                plain.contains(&words(&row.chosen_label)),
                "{f:?} lacks choice {}",
                row.chosen_label
            );
        }
        for m in &d.milestones {
            assert!(
                plain.contains(&words(&m.title)),
                "{f:?} lacks milestone {}",
                m.title
            );
        }
        for e in &d.endings {
            assert!(
                plain.contains(&words(&e.title)),
                "{f:?} lacks ending {}",
                e.title
            );
        }
        assert!(
            plain.contains(&format!("{}/100", d.divergence.total)),
            "{f:?} lacks the divergence"
        );
        // The flipped decision shows as differing in every format.
        assert!(
            plain.contains("differs"),
            "{f:?} shows no differing decision"
        );
    }
}

#[test]
fn text_is_wrapped_to_the_width_asked_for() {
    let d = first_siege("recorded");
    for width in [60, 76, 100] {
        let text = report::debrief(&d, Format::Text, width).expect("renders");
        let widest = text
            .lines()
            .map(unicode_width::UnicodeWidthStr::width)
            .max()
            .unwrap_or(0);
        // Only unbreakable runs (a long source list) may pass the width.
        let over: Vec<&str> = text
            .lines()
            .filter(|l| unicode_width::UnicodeWidthStr::width(*l) > width)
            .filter(|l| l.trim().contains(' '))
            .filter(|l| !l.trim_start().starts_with("Sources:"))
            .collect();
        assert!(over.is_empty(), "lines over {width} columns: {over:#?}");
        assert!(widest > width / 2, "the text uses the width");
    }
}

#[test]
fn the_models_why_and_the_players_reasons_appear_when_given_and_only_then() {
    let mut d = first_siege("recorded");
    for e in &mut d.endings {
        e.why.clear();
    }
    for m in &mut d.milestones {
        m.why.clear();
    }
    for (_, text) in all_formats(&d) {
        assert!(
            !text.contains("Why it ended so"),
            "no why section without a why"
        );
        assert!(!text.contains("in the player's words"));
    }
    d.endings[0].why =
        vec!["[model] Kaifeng held: walls 80 against an assault chance of 12%.".into()];
    d.milestones[0].why = vec!["[model] Guo Yaoshi's loyalty fell below 30.".into()];
    d.decisions[0].reflection = Some("The warning came from a rival.".into());
    for (f, text) in all_formats(&d) {
        assert!(
            text.contains("walls 80 against an assault chance of 12%"),
            "{f:?}"
        );
        assert!(text.contains("loyalty fell below 30"), "{f:?}");
        assert!(text.contains("The warning came from a rival."), "{f:?}");
    }
}

#[test]
fn names_from_files_cannot_inject_markup_or_terminal_controls() {
    let mut d = first_siege("recorded");
    d.run.player = Some("<script>alert(1)</script>\u{1b}]0;pwned\u{7}\u{202e}Bob".into());
    let html = report::debrief(&d, Format::Html, 76).expect("renders");
    assert!(!html.contains("<script>"), "markup escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains('\u{1b}') && !html.contains('\u{202e}'));
    let text = report::debrief(&d, Format::Text, 76).expect("renders");
    assert!(
        text.contains("Played by <script>alert(1)</script>]0;pwnedBob"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'));
}

#[test]
fn the_json_keeps_the_fields_the_measuring_scripts_read() {
    let d = first_siege("recorded");
    let v: serde_json::Value = serde_json::from_str(&d.to_json()).expect("JSON");
    assert!(v["divergence"]["total"].is_u64());
    for court in ["Song", "Jin"] {
        assert!(v["endings"][court]["id"].is_string(), "{}", v["endings"]);
        assert!(v["endings"][court]["why"].is_array());
    }
    assert!(v["recorded_ending"].is_string());
    let ms = v["milestones"].as_array().expect("milestones");
    assert!(!ms.is_empty());
    assert!(
        ms.iter()
            .all(|m| m.get("offset").is_some() && m["id"].is_string())
    );
    assert!(
        v["grievances"]["Jin"]
            .as_array()
            .is_some_and(|g| !g.is_empty())
    );
}

#[test]
fn run_and_replay_print_the_debrief_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.ron");
    let f = file.to_str().expect("utf-8");
    for (flag, starts) in [
        ("--html", "<!DOCTYPE html>\n<html lang=\"en\">"),
        ("--markdown", "# Debrief: The Walls of Bianjing"),
        ("--json", "{"),
    ] {
        let o = util::run(
            &[
                "run",
                "--scenario",
                "first-siege",
                "--seed",
                "4",
                flag,
                "--run-file",
                f,
            ],
            "",
        );
        assert!(o.status.success(), "{}", util::stderr(&o));
        assert!(util::stdout(&o).starts_with(starts), "{flag}");
        let r = util::run(&["replay", f, flag], "");
        assert!(r.status.success(), "{}", util::stderr(&r));
        assert_eq!(r.stdout, o.stdout, "replay {flag} reproduces run {flag}");
        // --out writes the same document to a file instead of the screen.
        let doc = dir.path().join(format!("debrief{flag}"));
        let w = util::run(
            &["replay", f, flag, "--out", doc.to_str().expect("utf-8")],
            "",
        );
        assert!(w.status.success(), "{}", util::stderr(&w));
        assert!(!util::stdout(&w).starts_with(starts), "not on the screen");
        assert_eq!(
            std::fs::read(&doc).expect("written"),
            o.stdout,
            "--out {flag} writes what {flag} prints"
        );
        std::fs::remove_file(&file).expect("rm");
    }
    let both = util::run(&["replay", f, "--html", "--json"], "");
    assert_eq!(both.status.code(), Some(2), "one format at a time");
}
