use std::collections::BTreeSet;

use jingkang::content::model::Court;
use jingkang::policy::PolicyKind;
use jingkang::report::{self, Format};
use jingkang::runfile::run_headless;

use crate::util;

fn chronicle_text(c: &jingkang::sim::Campaign) -> String {
    c.chronicle()
        .entries
        .iter()
        .flat_map(|e| {
            e.lines
                .iter()
                .map(move |l| format!("{:?}|{}|{}", e.month, l.title, l.text))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn same_seed_and_decisions_give_the_same_chronicle_and_debrief() {
    let s = util::scenario("pingzhou");
    for seed in [1, 2, 3] {
        let (a, da) = run_headless(&s, seed, PolicyKind::Adaptive, PolicyKind::Adaptive);
        let (b, db) = run_headless(&s, seed, PolicyKind::Adaptive, PolicyKind::Adaptive);
        assert_eq!(chronicle_text(&a), chronicle_text(&b));
        for format in [Format::Text, Format::Markdown, Format::Html] {
            assert_eq!(
                report::debrief(&da, format, 76).expect("renders"),
                report::debrief(&db, format, 76).expect("renders")
            );
        }
        assert_eq!(da.to_json(), db.to_json());
    }
}

#[test]
fn different_seeds_can_differ() {
    let s = util::scenario("pingzhou");
    let outcomes: BTreeSet<String> = (1..=24)
        .map(|seed| {
            let (c, d) = run_headless(&s, seed, PolicyKind::Adaptive, PolicyKind::Adaptive);
            format!(
                "{}\n{}",
                chronicle_text(&c),
                d.to_json()
                    .lines()
                    .filter(|l| !l.contains("\"seed\""))
                    .collect::<String>()
            )
        })
        .collect();
    assert!(outcomes.len() > 1, "24 seeds all gave the same campaign");
}

#[test]
fn replay_reproduces_the_debrief_byte_for_byte() {
    let s = util::scenario("pingzhou");
    let answers = util::recorded_answers(&s, Court::Song, 21);
    // Vary the path: flip the first answer so the replay covers a divergent run.
    let mut varied = answers.clone();
    varied[0] = if varied[0] == 1 { 2 } else { 1 };
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("path");
    let o = util::play_pingzhou(
        &["--seed", "21", "--save-dir", d],
        &util::input(&[varied.clone(), vec![1; 40]].concat()),
    );
    let out = util::stdout(&o);
    assert!(o.status.success(), "{}", util::stderr(&o));
    let played = util::debrief_block(&out);
    let run_file = util::path_after(&out, "The run is saved to ");
    let r = util::run(&["replay", run_file.to_str().expect("path")], "");
    assert!(r.status.success(), "{}", util::stderr(&r));
    assert_eq!(
        util::stdout(&r).trim_end(),
        played,
        "replay differs from the game as played"
    );
    // And the same run twice from the command line gives identical JSON.
    let a = util::run(&["replay", run_file.to_str().expect("path"), "--json"], "");
    let b = util::run(&["replay", run_file.to_str().expect("path"), "--json"], "");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn the_debrief_exports_as_markdown_for_a_handout() {
    let s = util::scenario("pingzhou");
    let (_, d) = run_headless(&s, 2, PolicyKind::Recorded, PolicyKind::Adaptive);
    let md = report::debrief(&d, Format::Markdown, 76).expect("renders");
    assert!(md.starts_with("# Debrief: The Pingzhou Defector"));
    assert!(
        md.contains("| # | Decision | Court | Chosen (model) |"),
        "a decisions table"
    );
    assert!(
        md.contains("| Milestone | Recorded | Yours (model) |"),
        "a milestones table"
    );
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| ") && (l.contains(" | Song | ") || l.contains(" | Jin | "))).count(),
        d.decisions.len(),
        "one row per decision"
    );
    assert!(md.contains("Nearest recorded counterpart"));
    let o = util::run(
        &["run", "--scenario", "pingzhou", "--seed", "2", "--markdown"],
        "",
    );
    assert!(o.status.success());
    assert!(util::stdout(&o).starts_with("# Debrief"));
}
