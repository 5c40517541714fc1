//! The explorer: decisions listed, policies by tag, usage errors that
//! suggest, readable reports (text, JSON, CSV, HTML), shards that merge
//! byte for byte, the same answers on any number of threads, and an
//! importance ranking whose numbers check out campaign by campaign.

use std::collections::BTreeSet;
use std::process::{Command, Output};

use jingkang::content::model::{Court, Id};
use jingkang::explore::importance::{Settings, Stop, rank};
use jingkang::explore::{Quiet, Seeds, run_many};
use jingkang::policy::PolicyKind;

use crate::util;

fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        util::stderr(o)
    );
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

/// Runs the binary and checks it refuses with `code` and says `says`.
fn refused(args: &[&str], code: i32, says: &str) {
    let o = util::run(args, "");
    let err = util::stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.contains(says), "{args:?}: expected {says:?} in {err}");
    assert!(o.stdout.is_empty(), "{args:?}: nothing on stdout");
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        util::stderr(o)
    );
    util::stdout(o)
}

#[test]
fn decisions_lists_every_decision_with_its_tag_court_month_and_options() {
    let s = util::scenario("jingkang");
    let text = ok(&util::run(&["decisions", "--scenario", "jingkang"], ""));
    for d in s.decisions.values() {
        assert!(
            text.contains(d.id.as_str()),
            "{} missing from:\n{text}",
            d.id
        );
    }
    // D9, the Song court's stay-or-flee, with its month and both options.
    let block = &text[text.find("song.capital.stay_or_flee").expect("D9")..];
    let line = text[..text.find("song.capital.stay_or_flee").unwrap_or(0)]
        .lines()
        .last()
        .unwrap_or("")
        .to_owned()
        + block.lines().next().unwrap_or("");
    assert!(line.starts_with("D9") && line.contains("Song"), "{line}");
    assert!(line.contains("Jingkang 1, 1st month"), "{line}");
    let options: Vec<&str> = block.lines().skip(2).take(2).collect();
    assert!(options[0].trim_start().starts_with("stay") && options[0].contains("← recorded"));
    assert!(options[1].trim_start().starts_with("flee"), "{options:?}");

    let list = json(&util::run(
        &["decisions", "--scenario", "jingkang", "--json"],
        "",
    ));
    let items = list.as_array().expect("a list");
    assert_eq!(items.len(), s.decisions.len());
    let d9 = items
        .iter()
        .find(|d| d["reference"] == "D9")
        .expect("D9 in JSON");
    assert_eq!(d9["id"], "song.capital.stay_or_flee");
    assert_eq!(d9["court"], "Song");
    assert_eq!(d9["month"], "jingkang-1-1");
    assert_eq!(d9["options"][1]["id"], "flee");
}

#[test]
fn reference_tags_name_decisions_in_policies() {
    let run = |song: &str| {
        ok(&util::run(
            &[
                "run",
                "--scenario",
                "first-siege",
                "--seed",
                "3",
                "--song",
                song,
                "--json",
            ],
            "",
        ))
    };
    let by_tag = run("flip:D9");
    assert_eq!(by_tag, run("flip:song.capital.stay_or_flee"));
    assert_eq!(
        run("set:D9=flee"),
        run("set:song.capital.stay_or_flee=flee")
    );
    assert_eq!(run("set:d9=flee"), run("set:D9=flee"), "tags ignore case");
    let d: serde_json::Value = serde_json::from_str(&by_tag).expect("json");
    let taken = d["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|x| x["id"] == "song.capital.stay_or_flee")
        .expect("D9 taken");
    assert_eq!(taken["chosen"], "flee", "flip:D9 leaves the record there");
    assert_ne!(by_tag, run("recorded"));
}

#[test]
fn bad_policies_seeds_and_shards_are_usage_errors_that_suggest() {
    let cases: [(&[&str], &str); 10] = [
        (
            &["--song", "flip:song.captial.stay_or_flee"],
            "did you mean song.capital.stay_or_flee?",
        ),
        (&["--song", "set:D9=fle"], "did you mean flee?"),
        (
            &["--song", "set:song.zhao_gou.embassy=nonsense"],
            "its options are send_prince, keep_prince, commission_prince",
        ),
        (&["--song", "flip:D27"], "did you mean one of D2, D20, D21?"),
        (&["--song", "flip:D2"], "decided by the Jin court"),
        (
            &["--song", "flip:D5"],
            "D5 names 3 decisions of the Song court",
        ),
        (&["--seeds", "0"], "at least one seed"),
        (
            &["--seeds", "18446744073709551615"],
            "at most 9007199254740992",
        ),
        (
            &["--seeds", "18446744073709551616"],
            "larger than the largest seed",
        ),
        (
            &["--seeds", "3", "--shard", "1/4"],
            "cannot be split into 4",
        ),
    ];
    for (extra, says) in cases {
        let mut args = vec!["explore", "--scenario", "jingkang"];
        args.extend_from_slice(extra);
        refused(&args, 2, says);
    }
    // The same checks guard `run` and the other court's seat in `play`.
    refused(
        &["run", "--scenario", "first-siege", "--jin", "flip:xyz"],
        2,
        "no decision \"xyz\"",
    );
    refused(
        &[
            "play",
            "--plain",
            "--scenario",
            "pingzhou",
            "--other",
            "set:D6=nonsense",
        ],
        2,
        "jin.invasion.order has no option \"nonsense\"",
    );
}

#[test]
fn the_text_report_reads_titles_months_offsets_and_intervals() {
    let text = ok(&util::run(
        &["explore", "--scenario", "jingkang", "--seeds", "30"],
        "",
    ));
    assert!(
        text.starts_with("Jingkang: The Fall of the Northern Song — 30 seeds (1..30)"),
        "{text}"
    );
    // Ending shares with a 95% interval in brackets.
    let recorded = text
        .lines()
        .find(|l| l.contains("The Jingkang catastrophe") && l.contains("← recorded"))
        .expect("the recorded Song ending");
    assert!(
        recorded.contains('%') && recorded.contains('[') && recorded.contains(']'),
        "{recorded}"
    );
    // Milestones by title, with the recorded month and early/on time/late.
    let at = text
        .find("Taiyuan falls — recorded Jingkang 1, 9th month (Sep 1126)")
        .expect("a milestone by title with its recorded month");
    let spread = text[at..].lines().nth(1).expect("its spread");
    assert!(
        spread.contains("early") && spread.contains("on time") && spread.contains("late"),
        "{spread}"
    );
    assert!(!text.contains("taiyuan_falls"), "no raw milestone ids");
}

#[test]
fn json_has_named_fields_and_the_shape_the_measuring_script_reads() {
    let d = json(&util::run(
        &[
            "explore",
            "--scenario",
            "pingzhou",
            "--seeds",
            "11..30",
            "--jin",
            "adaptive",
            "--json",
        ],
        "",
    ));
    assert_eq!(d["seeds"]["first"], 11);
    assert_eq!(d["seeds"]["count"], 20);
    assert_eq!(d["jin"], "adaptive");
    let runs = d["distribution"]["runs"].as_u64().expect("runs");
    assert_eq!(runs, 20);
    let song = d["distribution"]["endings"]["Song"]
        .as_object()
        .expect("Song endings by id");
    let total: u64 = song
        .values()
        .map(|e| e["count"].as_u64().expect("count"))
        .sum();
    assert_eq!(total, runs);
    for e in song.values() {
        let (lo, p, hi) = (
            e["low"].as_f64().expect("low"),
            e["share"].as_f64().expect("share"),
            e["high"].as_f64().expect("high"),
        );
        assert!(lo <= p && p <= hi && hi <= 1.0, "{e}");
    }
    // No unlabelled pairs anywhere: every array holds objects.
    fn no_bare_arrays(v: &serde_json::Value) {
        match v {
            serde_json::Value::Array(a) => {
                for x in a {
                    assert!(x.is_object(), "an array of non-objects: {v}");
                    no_bare_arrays(x);
                }
            }
            serde_json::Value::Object(m) => m.values().for_each(no_bare_arrays),
            _ => {}
        }
    }
    no_bare_arrays(&d);
    let m = &d["distribution"]["milestones"][0];
    assert_eq!(m["title"], "Yanjing handed over to Song");
    assert_eq!(m["recorded_month"], "xuanhe-5-4");
}

#[test]
fn csv_has_one_row_per_seed_with_endings_and_milestone_months() {
    let s = util::scenario("pingzhou");
    let text = ok(&util::run(
        &[
            "explore",
            "--scenario",
            "pingzhou",
            "--seeds",
            "5..16",
            "--song",
            "random",
            "--csv",
        ],
        "",
    ));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&head[..4], ["seed", "song_ending", "jin_ending", "ended"]);
    assert_eq!(head.len(), 4 + 2 * s.meta.milestones.len());
    let endings: BTreeSet<&str> = s.endings.iter().map(|e| e.id.as_str()).collect();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    assert_eq!(rows.len(), 12);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], (5 + i).to_string(), "rows in seed order");
        assert!(
            endings.contains(&row[1]) && endings.contains(&row[2]),
            "{row:?}"
        );
        // A milestone's month and its offset agree with the calendar.
        let cal = s.calendar();
        for (k, m) in s.meta.milestones.iter().enumerate() {
            let (month, off) = (&row[4 + 2 * k], &row[5 + 2 * k]);
            if let (Some(at), Some(rec)) = (
                cal.parse_id(month),
                s.library.milestone_months.get(m).copied().flatten(),
            ) {
                assert_eq!(off, &(i32::from(at.0) - i32::from(rec.0)).to_string());
            }
        }
    }
}

#[test]
fn html_is_one_self_contained_page_with_svg_charts() {
    let page = ok(&util::run(
        &[
            "explore",
            "--scenario",
            "first-siege",
            "--seeds",
            "40",
            "--importance",
            "--side",
            "song",
            "--html",
        ],
        "",
    ));
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<html lang=\"en\">"));
    for needle in [
        ">Endings</h2>",
        ">Milestones</h2>",
        ">Which decisions mattered</h2>",
        "<svg role=\"img\"",
        "<title id=",
        "<desc id=",
        "@media print",
        "set:song.capital.stay_or_flee=",
    ] {
        assert!(page.contains(needle), "{needle} missing");
    }
    assert!(
        page.matches("<svg").count() >= 4,
        "charts for endings, milestones and importance"
    );
    for banned in ["<script", "http://", "https://", "src=", "<link"] {
        assert!(!page.contains(banned), "{banned} in a self-contained page");
    }
}

#[test]
fn the_html_report_renders_in_a_browser_with_its_charts_and_prints_on_a4() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("explore.html");
    let html = ok(&util::run(
        &[
            "explore",
            "--scenario",
            "first-siege",
            "--seeds",
            "30",
            "--importance",
            "--side",
            "song",
            "--html",
        ],
        "",
    ));
    std::fs::write(&page, &html).expect("write the page");
    // Headings in order, none skipped.
    util::assert_headings_in_order(&html);
    let url = format!("file://{}", page.display());
    let dom = util::stdout(&util::chromium(dir.path(), &["--dump-dom", &url]));
    assert!(dom.contains("<html lang=\"en\">"));
    let charts: Vec<&str> = dom.split("<svg").skip(1).collect();
    assert!(
        charts.len() >= 4,
        "endings (two courts), milestones, importance"
    );
    for svg in &charts {
        let svg = &svg[..svg.find("</svg>").expect("closed")];
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby="));
        assert!(svg.contains("<title id=") && svg.contains("<desc id="));
        assert!(svg.contains("<rect"), "bars drawn");
    }
    for section in ["id=\"endings\"", "id=\"milestones\"", "id=\"importance\""] {
        assert!(dom.contains(section), "{section}");
    }
    assert!(dom.contains("Peace bought at the walls"), "ending titles");
    assert!(
        dom.contains("set:song.capital.stay_or_flee=flee"),
        "importance rows"
    );

    util::screenshot(dir.path(), &url, "explore", (1280, 1800));
    let pages = util::a4_pages(dir.path(), &url, "explore");
    assert!(pages >= 2, "A4 pages ({pages})");
}

fn shard_args<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.extend_from_slice(extra);
    v
}

#[test]
fn four_shards_merge_byte_for_byte_into_one_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = [
        "explore",
        "--scenario",
        "pingzhou",
        "--seeds",
        "101..150",
        "--song",
        "adaptive",
        "--jin",
        "random",
    ];
    let whole_json = ok(&util::run(&shard_args(&base, &["--json"]), ""));
    let whole_text = ok(&util::run(&base, ""));
    let whole_html = ok(&util::run(&shard_args(&base, &["--html"]), ""));
    let mut files = Vec::new();
    for k in 1..=4 {
        let f = dir.path().join(format!("part{k}.ron"));
        let shard = format!("{k}/4");
        let path = f.to_str().expect("utf-8").to_owned();
        let part = ok(&util::run(
            &shard_args(
                &base,
                &["--shard", &shard, "--save-result", &path, "--json"],
            ),
            "",
        ));
        let p: serde_json::Value = serde_json::from_str(&part).expect("json");
        assert_eq!(p["shard"]["index"], k);
        assert!(p["seeds"]["count"].as_u64().expect("count") < 50);
        files.push(path);
    }
    let saved = std::fs::read_to_string(&files[0]).expect("saved");
    assert!(saved.starts_with("// Jingkang exploration result") && saved.contains("version: 1"));
    // In another order, to show the order does not matter.
    files.reverse();
    let merge = |extra: &[&str]| {
        let mut args = vec!["explore", "merge"];
        args.extend(files.iter().map(String::as_str));
        args.extend_from_slice(extra);
        util::run(&args, "")
    };
    assert_eq!(ok(&merge(&["--json"])), whole_json);
    assert_eq!(ok(&merge(&[])), whole_text);
    assert_eq!(ok(&merge(&["--html"])), whole_html);

    // Refusals: a shard missing, the same shard twice, another exploration.
    refused(
        &["explore", "merge", &files[0], &files[1], &files[2]],
        1,
        "shards missing from 101..150: 1/4 (seeds 101..112)",
    );
    refused(
        &["explore", "merge", &files[0], &files[0]],
        1,
        "are both shard 4/4",
    );
    let other = dir.path().join("other.ron");
    let other_path = other.to_str().expect("utf-8");
    ok(&util::run(
        &[
            "explore",
            "--scenario",
            "pingzhou",
            "--seeds",
            "101..150",
            "--song",
            "recorded",
            "--jin",
            "random",
            "--shard",
            "1/4",
            "--save-result",
            other_path,
        ],
        "",
    ));
    refused(
        &[
            "explore", "merge", other_path, &files[0], &files[1], &files[2],
        ],
        1,
        "its Song policy is adaptive, not recorded",
    );
    // A damaged file is named, not a crash.
    std::fs::write(&other, "Saved(version: 1, scenario: ").expect("write");
    refused(&["explore", "merge", other_path], 1, "other.ron");
    std::fs::write(&other, "Saved(version: 7)").expect("write");
    refused(&["explore", "merge", other_path], 1, "version 7");
    // Counts that cannot be right are refused, not added up.
    let text = std::fs::read_to_string(&files[0]).expect("read");
    let at = text.find("Jin: {").expect("Jin endings");
    let from = at + text[at..].find("\": ").expect("a count") + 3;
    let to = from + text[from..].find(',').expect("end of count");
    std::fs::write(&other, format!("{}99999{}", &text[..from], &text[to..])).expect("write");
    refused(
        &["explore", "merge", other_path],
        1,
        "damaged: the Jin endings add up to more than its",
    );
}

fn with_threads(n: &str, args: &[&str]) -> Output {
    Command::new(util::bin())
        .args(args)
        .env("RAYON_NUM_THREADS", n)
        .output()
        .expect("run jingkang")
}

#[test]
fn the_same_answers_on_one_thread_and_on_two() {
    for args in [
        &[
            "explore",
            "--scenario",
            "first-siege",
            "--seeds",
            "60",
            "--importance",
            "--batch",
            "20",
            "--json",
        ][..],
        &[
            "explore",
            "--scenario",
            "pingzhou",
            "--seeds",
            "40",
            "--song",
            "random",
            "--csv",
        ][..],
    ] {
        let one = with_threads("1", args);
        let two = with_threads("2", args);
        assert!(one.status.success() && two.status.success());
        assert_eq!(util::stdout(&one), util::stdout(&two), "{args:?}");
        assert!(
            one.stderr.is_empty(),
            "no progress bar when stderr is not a terminal: {}",
            util::stderr(&one)
        );
    }
}

#[test]
fn importance_counts_check_out_against_plain_runs_and_sampling_stops_early() {
    let s = util::scenario("first-siege");
    let seeds = Seeds {
        first: 1,
        last: 120,
    };
    let settings = Settings {
        courts: vec![Court::Song, Court::Jin],
        batch: 30,
        precision: 2.5,
    };
    let report = rank(&s, seeds, &settings, &Quiet, |_| {});
    assert_eq!(report.courts.len(), 2);
    let song = &report.courts[0];
    // Every option of every decision that differs from the record, for both
    // courts' decisions.
    let expected: usize = s
        .decisions
        .values()
        .map(|d| d.options.len() - usize::from(d.recorded.is_some()))
        .sum();
    assert_eq!(song.options.len(), expected);
    assert!(song.options.iter().any(|e| e.decision_court == Court::Jin));
    // Sampling stopped early for some options, and not for all.
    assert!(song.options.iter().any(|e| e.used() < 120));
    assert!(song.options.iter().any(|e| e.stop != Stop::Exhausted));
    // Ranked by size; each interval holds its estimate.
    for w in song.options.windows(2) {
        assert!(w[0].points().abs() + 0.05 >= w[1].points().abs());
    }
    for e in &song.options {
        let (lo, hi) = e.interval();
        assert!(lo <= e.points() + 1e-9 && e.points() <= hi + 1e-9, "{e:?}");
    }
    // The paired counts agree with plain runs over the same seeds: the
    // change in the count reaching the recorded ending is gained − lost.
    let target = &s.meta.recorded_ending[&Court::Song];
    for e in song
        .options
        .iter()
        .take(4)
        .chain(song.options.iter().rev().take(2))
    {
        let range = e.seeds.first..e.seeds.last + 1;
        let set = PolicyKind::Choose(Id::new(&e.decision), Id::new(&e.option));
        let (sp, jp) = match e.decision_court {
            Court::Song => (set, PolicyKind::Recorded),
            Court::Jin => (PolicyKind::Recorded, set),
        };
        let base = run_many(
            &s,
            range.clone(),
            &PolicyKind::Recorded,
            &PolicyKind::Recorded,
        );
        let changed = run_many(&s, range, &sp, &jp);
        let delta = i64::try_from(changed.count(Court::Song, target)).expect("fits")
            - i64::try_from(base.count(Court::Song, target)).expect("fits");
        assert_eq!(
            delta,
            i64::try_from(e.gained).expect("fits") - i64::try_from(e.lost).expect("fits"),
            "{}={}",
            e.decision,
            e.option
        );
    }
}

#[test]
fn a_progress_bar_is_drawn_when_stderr_is_a_terminal() {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!(
        "stty rows 24 cols 120; '{}' explore --scenario pingzhou --seeds 400 > /dev/null; echo EXIT=$?",
        util::bin().display()
    ));
    let mut p = rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawn in a pty");
    p.exp_string("campaigns")
        .expect("the bar names what it counts");
    p.exp_string("EXIT=0").expect("exits cleanly");
}

#[test]
fn bench_prints_rates_and_memory_per_policy_pair() {
    let text = ok(&util::run(
        &["bench", "--scenario", "pingzhou", "--seeds", "12"],
        "",
    ));
    assert!(text.contains("logical CPU"), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("pingzhou")).collect();
    assert_eq!(rows.len(), 3, "{text}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols[3], "12", "{row}");
        let per_second: f64 = cols[5].parse().expect("campaigns/s");
        let decisions: f64 = cols[6].parse().expect("decisions/s");
        assert!(per_second > 0.0 && decisions > per_second, "{row}");
        assert!(
            cols[7].parse::<f64>().is_ok_and(|m| m > 1.0),
            "peak RSS: {row}"
        );
    }
    // The framework's floor: real updates counted, the idle turn cheaper
    // than the real one, and the ceiling it allows.
    let floor = text
        .lines()
        .find(|l| l.starts_with("floor pingzhou"))
        .unwrap_or_else(|| panic!("no floor line: {text}"));
    let number_before = |word: &str| -> f64 {
        let at = floor
            .find(word)
            .unwrap_or_else(|| panic!("{word}: {floor}"));
        floor[..at]
            .split_whitespace()
            .last()
            .and_then(|x| x.trim_start_matches('(').parse().ok())
            .unwrap_or_else(|| panic!("{word}: {floor}"))
    };
    let updates = number_before("updates");
    let months = number_before("months");
    let idle = number_before("µs a campaign (real");
    assert!(updates >= months && months >= 1.0, "{floor}");
    assert!(idle > 0.0, "{floor}");
    assert!(floor.contains("campaigns/s on"), "{floor}");
}

#[test]
fn a_saved_importance_ranking_reprints_exactly_and_never_merges_with_parts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("imp.ron");
    let path = file.to_str().expect("utf-8");
    let args = [
        "explore",
        "--scenario",
        "first-siege",
        "--seeds",
        "24",
        "--importance",
        "--side",
        "jin",
        "--batch",
        "12",
        "--json",
    ];
    let direct = ok(&util::run(&args, ""));
    let mut saving = args.to_vec();
    saving.extend_from_slice(&["--save-result", path]);
    assert_eq!(ok(&util::run(&saving, "")), direct);
    assert_eq!(
        ok(&util::run(&["explore", "merge", path, "--json"], "")),
        direct
    );
    let part = dir.path().join("part.ron");
    let part_path = part.to_str().expect("utf-8");
    std::fs::copy(&file, &part).expect("copy");
    refused(
        &["explore", "merge", path, part_path],
        1,
        "cannot be merged with other parts",
    );
}
