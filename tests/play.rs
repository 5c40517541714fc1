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
    let o = util::run(&["run", "--song", "bold"], "");
    assert_eq!(o.status.code(), Some(1));
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
                let d = &s.decisions[&view.decision];
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
