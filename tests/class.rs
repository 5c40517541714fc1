//! The class summary: `jingkang class PATH…` over run files made by the
//! `run` command and by a student playing in line mode.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jingkang::class::Summary;
use jingkang::content::model::Court;
use jingkang::policy::PolicyKind;

use crate::util;

/// The policies the "students" of a generated class play the Song with.
const SONG: [&str; 4] = [
    "recorded",
    "random",
    "flip:song.capital.stay_or_flee",
    "flip:song.first_siege.terms",
];

/// Writes a run file of `first-siege` (or another scenario) with the
/// `run` command.
fn run_file(dir: &Path, scenario: &str, seed: u64, song: &str) -> PathBuf {
    let file = dir.join(format!(
        "{scenario}-{seed}-{}.ron",
        song.replace([':', '.'], "_")
    ));
    let o = util::run(
        &[
            "run",
            "--scenario",
            scenario,
            "--seed",
            &seed.to_string(),
            "--song",
            song,
            "--run-file",
            file.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    file
}

/// A student who plays `first-siege` as the Song in line mode, follows the
/// record, gives a name and a reason for every decision.
fn student(dir: &Path, name: &str, seed: u64) -> PathBuf {
    let s = util::scenario("first-siege");
    let answers = util::recorded_answers(&s, Court::Song, seed);
    let input: String = answers
        .iter()
        .enumerate()
        .map(|(i, a)| format!("{a}\n{name} reason {i}: the walls are our best hope.\n"))
        .collect();
    let save_dir = dir.join(format!("play-{seed}"));
    let o = util::play_pingzhou_like(
        "first-siege",
        &[
            "--side",
            "song",
            "--seed",
            &seed.to_string(),
            "--other",
            "recorded",
            "--player",
            name,
            "--reflect",
            "--save-dir",
            save_dir.to_str().expect("utf-8"),
        ],
        &input,
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let made = util::path_after(&util::stdout(&o), "The run is saved to ");
    let to = dir.join(made.file_name().expect("a name"));
    std::fs::rename(&made, &to).expect("hand the run in");
    to
}

/// A class of five: four `run` files over seeds and policies, one student
/// who played with a name and reasons. Returns the folder.
fn class_folder(dir: &Path) -> PathBuf {
    let class = dir.join("class");
    std::fs::create_dir_all(&class).expect("mkdir");
    for (i, song) in SONG.iter().enumerate() {
        run_file(&class, "first-siege", i as u64 + 1, song);
    }
    student(&class, "Mei Lin", 7);
    class
}

/// Options chosen by the Song at each decision of a headless campaign,
/// computed without the class summary.
fn chosen(seed: u64, song: &str) -> BTreeMap<String, String> {
    let s = util::scenario("first-siege");
    let (_, d) = jingkang::runfile::run_headless(
        &s,
        seed,
        song.parse().expect("policy"),
        PolicyKind::Recorded,
    );
    d.decisions
        .iter()
        .filter(|r| r.court == Court::Song)
        .map(|r| (r.id.clone(), r.chosen.clone()))
        .collect()
}

#[test]
fn the_class_summary_counts_each_decision_against_the_record_and_lists_every_student() {
    let dir = tempfile::tempdir().expect("tempdir");
    let class = class_folder(dir.path());
    let summary = Summary::collect(std::slice::from_ref(&class));
    assert_eq!(summary.students, 5, "{:?}", summary.skipped);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    assert_eq!(summary.groups.len(), 1, "one scenario, one court");
    let g = &summary.groups[0];
    assert_eq!((g.scenario.as_str(), g.side), ("first-siege", Court::Song));

    // The counts agree with the campaigns played one by one.
    let s = util::scenario("first-siege");
    let mut expected: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, song) in SONG.iter().enumerate() {
        for (d, o) in chosen(i as u64 + 1, song) {
            *expected.entry((d, o)).or_default() += 1;
        }
    }
    for (d, o) in chosen(7, "recorded") {
        *expected.entry((d, o)).or_default() += 1;
    }
    for t in &g.decisions {
        let faced: usize = t.options.iter().map(|o| o.count).sum();
        assert_eq!(
            faced, t.faced,
            "{}: every student who faced it chose once",
            t.id
        );
        for o in &t.options {
            let want = expected
                .get(&(t.id.clone(), o.id.clone()))
                .copied()
                .unwrap_or(0);
            assert_eq!(o.count, want, "{} / {}", t.id, o.id);
            let rec = s.decisions[t.id.as_str()]
                .recorded
                .as_ref()
                .map(|r| &r.option);
            assert_eq!(o.recorded, rec == Some(&o.id), "{} / {}", t.id, o.id);
        }
    }
    // The flipped capital decision: two students of five left the record.
    let flee = g
        .decisions
        .iter()
        .find(|t| t.id == "song.capital.stay_or_flee")
        .expect("the capital decision");
    // Every student who was still in Kaifeng when the Jin came faced it (a
    // court that left earlier, or fell, never did): the four campaigns as
    // played one by one, and the named student on the recorded course.
    let faced = 1 + SONG
        .iter()
        .enumerate()
        .filter(|(i, song)| chosen(*i as u64 + 1, song).contains_key("song.capital.stay_or_flee"))
        .count();
    assert!(faced >= 3, "most of the class faced the capital decision");
    assert_eq!(flee.faced, faced);
    assert!(flee.departed > 0.0, "someone left Kaifeng");
    assert!(
        g.departed_most.iter().any(|c| c.id == flee.id),
        "the flipped decision is among those the class departed on most: {:?}",
        g.departed_most
    );
    // Splits and prompts come from decisions where the class chose apart.
    assert!(!g.split_most.is_empty() && !g.prompts.is_empty());
    for c in &g.split_most {
        let t = g.decisions.iter().find(|t| t.id == c.id).expect("tally");
        assert!(
            t.options.iter().filter(|o| o.count > 0).count() >= 2,
            "{}",
            t.id
        );
    }
    for p in &g.prompts {
        let t = g
            .decisions
            .iter()
            .find(|t| t.title == p.decision)
            .expect("a decision of the class");
        assert!(t.options.iter().filter(|o| o.count > 0).count() >= 2);
        assert!(s.decisions[t.id.as_str()].questions.contains(&p.question));
    }
    // Endings and divergence cover every student.
    assert_eq!(g.endings.iter().map(|e| e.count).sum::<usize>(), 5);
    assert_eq!(g.divergence.bands.iter().map(|b| b.count).sum::<usize>(), 5);
    assert!(g.divergence.min <= g.divergence.median && g.divergence.median <= g.divergence.max);
    // Each student's line: the named student with her reasons; the others
    // by their file names.
    let mei = g
        .students
        .iter()
        .find(|st| st.name == "Mei Lin")
        .expect("the named student");
    assert!(mei.recorded_ending, "she followed the record");
    assert_eq!(mei.differing, 0);
    assert_eq!(
        mei.reasons.len(),
        mei.choices.len(),
        "a reason for each choice"
    );
    assert!(
        g.students
            .iter()
            .any(|st| st.name.starts_with("first-siege-3-"))
    );

    // The Markdown a teacher reads says all of it.
    let o = util::run(&["class", class.to_str().expect("utf-8")], "");
    assert!(o.status.success(), "{}", util::stderr(&o));
    let md = util::stdout(&o);
    assert!(
        md.starts_with("# Class summary\n\n5 students from 5 files."),
        "{md}"
    );
    assert!(md.contains("## The Walls of Bianjing (`first-siege`), as the Song court"));
    assert!(md.contains(&format!(
        "Stay in Kaifeng, or go to Xiangyang?** [D9] — faced by {faced}"
    )));
    assert!(md.contains("| Stay and defend the capital **(recorded)** |"));
    assert!(md.contains("Mei Lin (*Stay and defend the capital*): “Mei Lin reason"));
    assert!(md.contains("| Mei Lin | Peace bought at the walls (recorded) | "));
    assert!(md.contains("### Where the class split most") && md.contains("### For discussion"));
    assert!(
        util::stderr(&o).is_empty(),
        "no notes: {}",
        util::stderr(&o)
    );
}

#[test]
fn runs_of_other_scenarios_are_grouped_and_runs_on_other_content_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = run_file(dir.path(), "first-siege", 1, "recorded");
    let b = run_file(dir.path(), "first-siege", 2, "random");
    let p = run_file(dir.path(), "pingzhou", 3, "recorded");
    // A run made on other data: its content hash no longer matches.
    let other = dir.path().join("old-content.ron");
    let text = std::fs::read_to_string(&a).expect("run");
    let hash = jingkang::runfile::RunFile::read(&a)
        .expect("run")
        .content_hash;
    std::fs::write(&other, text.replace(&hash, "0123456789abcdef")).expect("write");
    // A save: the game was not finished.
    let save = dir.path().join("unfinished.ron");
    std::fs::write(&save, text.replace("complete: true", "complete: false")).expect("write");

    let paths: Vec<&str> = [&a, &b, &p, &other, &save]
        .iter()
        .map(|f| f.to_str().expect("utf-8"))
        .collect();
    let mut args = vec!["class"];
    args.extend(&paths);
    let o = util::run(&args, "");
    assert!(o.status.success(), "{}", util::stderr(&o));
    let md = util::stdout(&o);
    let err = util::stderr(&o);
    assert!(md.contains("3 students from 5 files, in 2 groups"), "{md}");
    assert!(md.contains("## The Walls of Bianjing (`first-siege`), as the Song court"));
    assert!(md.contains("## The Pingzhou Defector (`pingzhou`), as the Song court"));
    // The terminal names the files of each group and each refused file.
    assert!(
        err.contains(&format!("pingzhou as the song court (1 run): {}", paths[2])),
        "{err}"
    );
    assert!(
        err.contains(&format!("(2 runs): {}, {}", paths[0], paths[1])),
        "{err}"
    );
    let line = |f: &str| {
        err.lines()
            .find(|l| l.trim_start().starts_with(f))
            .unwrap_or_else(|| panic!("{f} named:\n{err}"))
            .to_owned()
    };
    assert!(
        line(paths[3]).contains("played on content 0123456789abcdef"),
        "{err}"
    );
    assert!(
        line(paths[4]).contains("a save, not a finished run"),
        "{err}"
    );
    assert!(md.contains(&format!("- `{}`: played on content", paths[3])));
}

#[test]
fn unreadable_files_are_listed_and_skipped_never_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = run_file(dir.path(), "first-siege", 4, "recorded");
    std::fs::write(dir.path().join("garbage.ron"), "not a run at all").expect("write");
    std::fs::write(dir.path().join("empty.ron"), "").expect("write");
    std::fs::write(dir.path().join("notes.txt"), "ignored: not a .ron file").expect("write");
    // Too large to be a run file: refused before it is parsed.
    let big = dir.path().join("huge.ron");
    std::fs::write(&big, vec![b' '; 5 * 1024 * 1024]).expect("write");
    // A name with a terminal control in it.
    std::fs::write(dir.path().join("evil\u{1b}[2J.ron"), "(version: 9)").expect("write");
    let missing = dir.path().join("missing.ron");
    let o = util::run(
        &[
            "class",
            dir.path().to_str().expect("utf-8"),
            missing.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(o.status.success(), "never fatal: {}", util::stderr(&o));
    let md = util::stdout(&o);
    let err = util::stderr(&o);
    assert!(md.contains("1 student from 6 files."), "{md}");
    assert!(md.contains("**Files not used (5):**"), "{md}");
    for name in [
        "garbage.ron",
        "empty.ron",
        "huge.ron",
        "missing.ron",
        "evil[2J.ron",
    ] {
        assert!(md.contains(name), "{name} listed in the summary");
        assert!(err.contains(name), "{name} named on the terminal: {err}");
    }
    assert!(
        !md.contains("notes.txt"),
        "only .ron files are read from a folder"
    );
    assert!(
        !md.contains('\u{1b}') && !err.contains('\u{1b}'),
        "no control reaches the terminal"
    );
    assert!(md.contains(&format!("| `{}` |", good.display())));

    // Nothing usable at all: a clear error naming every file, exit 1.
    let bad = util::run(
        &[
            "class",
            dir.path().join("garbage.ron").to_str().expect("utf-8"),
        ],
        "",
    );
    assert_eq!(bad.status.code(), Some(1));
    let e = util::stderr(&bad);
    assert!(
        e.contains("no finished run could be read") && e.contains("garbage.ron"),
        "{e}"
    );
    let none = util::run(
        &["class", dir.path().join("sub").to_str().expect("utf-8")],
        "",
    );
    assert_eq!(none.status.code(), Some(1), "a missing folder is no class");
}

#[test]
fn the_class_csv_has_one_row_per_student_and_two_columns_per_decision() {
    let dir = tempfile::tempdir().expect("tempdir");
    let class = class_folder(dir.path());
    let out = dir.path().join("class.csv");
    let o = util::run(
        &[
            "class",
            class.to_str().expect("utf-8"),
            "--csv",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let mut r = csv::Reader::from_path(&out).expect("a CSV file");
    let head: Vec<String> = r
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        head[..11],
        [
            "scenario",
            "side",
            "content_hash",
            "file",
            "player",
            "seed",
            "ending",
            "recorded_ending",
            "divergence",
            "decisions_differing",
            "decisions_compared"
        ]
    );
    let summary = Summary::collect(std::slice::from_ref(&class));
    let decisions = &summary.groups[0].decisions;
    assert_eq!(head.len(), 11 + 2 * decisions.len());
    for (i, t) in decisions.iter().enumerate() {
        assert_eq!(head[11 + 2 * i], t.id);
        assert_eq!(head[12 + 2 * i], format!("{}:why", t.id));
    }
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("a row")).collect();
    assert_eq!(rows.len(), 5, "one row per student");
    assert!(rows.iter().all(|row| row.len() == head.len()));
    let mei = rows
        .iter()
        .find(|row| &row[4] == "Mei Lin")
        .expect("her row");
    assert_eq!(
        (&mei[0], &mei[1], &mei[7], &mei[9]),
        ("first-siege", "song", "yes", "0")
    );
    let col = head
        .iter()
        .position(|h| h == "song.capital.stay_or_flee")
        .expect("column");
    assert_eq!(&mei[col], "Stay and defend the capital");
    assert!(mei[col + 1].starts_with("Mei Lin reason"), "her reason");
    let flipped = rows
        .iter()
        .find(|row| row[3].contains("flip_song_capital"))
        .expect("the flipped run");
    assert_eq!(&flipped[col], "Take the court to Xiangyang");
    assert_eq!(&flipped[col + 1], "", "no reason given");
}

#[test]
fn the_html_class_summary_renders_in_a_real_browser_with_its_bars_and_student_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let class = class_folder(dir.path());
    let page = dir.path().join("class.html");
    let o = util::run(
        &[
            "class",
            class.to_str().expect("utf-8"),
            "--html",
            "--out",
            page.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(!html.contains("<script"), "no script");
    for fetch in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(fetch), "fetches nothing ({fetch})");
    }
    let summary = Summary::collect(std::slice::from_ref(&class));
    let g = &summary.groups[0];

    let url = format!("file://{}", page.display());
    let dom = util::stdout(&util::chromium(dir.path(), &["--dump-dom", &url]));
    assert!(dom.contains("<html lang=\"en\">"), "the language is set");
    // One bar chart per decision, then the endings and the divergence, each
    // with a title and a description that say the counts in words.
    let charts = (1..)
        .take_while(|i| dom.contains(&format!("<svg id=\"g1-d{i}\"")))
        .count();
    assert_eq!(charts, g.decisions.len(), "a chart per decision");
    for (i, t) in g.decisions.iter().enumerate() {
        let id = format!("g1-d{}", i + 1);
        let at = dom.find(&format!("<svg id=\"{id}\"")).expect("the chart");
        let svg = &dom[at..at + dom[at..].find("</svg>").expect("closed")];
        assert!(svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")));
        assert!(svg.contains("<title id=") && svg.contains("<desc id="));
        assert_eq!(
            svg.matches("class=\"b-track\"").count(),
            t.options.len(),
            "a bar per option of {}",
            t.id
        );
        for o in t.options.iter().filter(|o| o.count > 0) {
            assert!(
                svg.contains(&format!("{} ({})", o.count, pct(o.share))),
                "{}: the count and share of {} beside its bar",
                t.id,
                o.id
            );
        }
        if t.recorded.is_some() {
            assert!(
                svg.contains("(recorded)"),
                "the recorded option named in words"
            );
        }
    }
    for id in ["g1-endings", "g1-divergence"] {
        assert!(dom.contains(&format!("<svg id=\"{id}\"")), "the {id} chart");
    }
    // The students' lines, with the named student and her reasons.
    let table = &dom[dom.find("<table class=\"students\"").expect("the students")..];
    let table = &table[..table.find("</table>").expect("closed")];
    assert_eq!(
        table.matches("<th scope=\"row\">").count(),
        5,
        "a line per student"
    );
    assert!(table.contains("<th scope=\"row\">Mei Lin</th>"));
    assert!(dom.contains("<strong>Mei Lin</strong> (<em>Stay and defend the capital</em>)"));
    assert!(dom.contains("For discussion") && dom.contains("Where the class split most"));
    util::assert_headings_in_order(&dom);

    // It prints: an A4 PDF.
    assert!(util::a4_pages(dir.path(), &url, "class") >= 1, "A4");
}

/// A share as the reports write it.
fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

#[test]
fn a_save_folder_can_be_given_as_it_is_and_a_huge_folder_is_cut_short() {
    // The game writes finished runs to `<save-dir>/runs/`; the teacher may
    // name the save folder itself.
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_str().expect("utf-8");
    let s = util::scenario("pingzhou");
    let answers = util::recorded_answers(&s, Court::Song, 2);
    let o = util::play_pingzhou(
        &[
            "--side",
            "song",
            "--seed",
            "2",
            "--other",
            "recorded",
            "--player",
            "Li Wei",
            "--save-dir",
            d,
        ],
        &util::input(&answers),
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    // An unfinished game beside it, in saves/: not read.
    let q = util::play_pingzhou(&["--seed", "3", "--save-dir", d], "1\n");
    assert!(q.status.success(), "{}", util::stderr(&q));
    let c = util::run(&["class", d], "");
    assert!(c.status.success(), "{}", util::stderr(&c));
    let md = util::stdout(&c);
    assert!(md.contains("1 student from 1 file."), "{md}");
    assert!(md.contains("| Li Wei | "), "{md}");

    // More files than are read at once: one line says how many were left.
    let many = dir.path().join("many");
    std::fs::create_dir(&many).expect("mkdir");
    for i in 0..=jingkang::class::MAX_FILES + 1 {
        std::fs::write(many.join(format!("{i:04}.ron")), "x").expect("write");
    }
    let c = util::run(&["class", many.to_str().expect("utf-8")], "");
    assert_eq!(c.status.code(), Some(1), "nothing usable");
    let err = util::stderr(&c);
    assert!(
        err.contains("0500.ron: this file and 1 more after it were not read"),
        "{}",
        &err[err.len().saturating_sub(400)..]
    );
}
