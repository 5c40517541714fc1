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

#[test]
fn the_html_debrief_renders_in_a_real_browser_with_its_map_timeline_and_ledger() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("debrief.html");
    let run = dir.path().join("run.ron");
    let o = util::run(
        &[
            "run",
            "--scenario",
            "first-siege",
            "--seed",
            "3",
            "--song",
            "flip:song.capital.stay_or_flee",
            "--html",
            "--out",
            page.to_str().expect("utf-8"),
            "--run-file",
            run.to_str().expect("utf-8"),
        ],
        "",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let html = std::fs::read_to_string(&page).expect("the page");
    let s = util::scenario("first-siege");
    let (_, d) = run_headless(
        &s,
        3,
        "flip:song.capital.stay_or_flee".parse().expect("policy"),
        PolicyKind::Recorded,
    );
    // Self-contained: no script, nothing fetched.
    assert!(!html.contains("<script"), "no script");
    for fetch in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(fetch), "fetches nothing ({fetch})");
    }
    assert!(
        html.contains("@media print") && html.contains("size: A4"),
        "a print stylesheet for A4"
    );

    let url = format!("file://{}", page.display());
    // The DOM as the browser built it.
    let dom = util::stdout(&util::chromium(dir.path(), &["--dump-dom", &url]));
    assert!(dom.contains("<html lang=\"en\">"), "the language is set");
    for id in ["map-yours", "map-record"] {
        let at = dom
            .find(&format!("<svg id=\"{id}\""))
            .unwrap_or_else(|| panic!("the {id} map"));
        let svg = &dom[at..at + dom[at..].find("</svg>").expect("closed")];
        assert!(svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")));
        assert!(
            svg.contains("<title id=") && svg.contains("<desc id="),
            "title and description"
        );
        assert!(svg.contains("Kaifeng"), "the capital is on the {id} map");
        assert!(
            svg.contains("class=\"river\""),
            "the Yellow River is on the {id} map"
        );
        assert!(
            svg.matches("class=\"m-letter\"").count() >= 10,
            "holders shown as letters"
        );
        assert!(
            svg.contains("class=\"badge-n\""),
            "numbered routes on the {id} map"
        );
    }
    assert!(
        dom.contains("Zongwang's eastern army: the first invasion"),
        "the recorded course"
    );
    // The timeline: one row per milestone, both calendars on the axis.
    let tl = &dom[dom.find("<section id=\"timeline\"").expect("a timeline")..];
    let tl = &tl[..tl.find("</section>").expect("closed")];
    assert_eq!(tl.matches("class=\"t-title\"").count(), d.milestones.len());
    assert!(tl.contains("Jingkang 1, 1") && tl.contains("Tianhui 4, 1") && tl.contains("Jan 1126"));
    // The ledger: one group of rows per decision, with sources and questions.
    let ledger = &dom[dom.find("<section id=\"ledger\"").expect("a ledger")..];
    let ledger = &ledger[..ledger.find("</section>").expect("closed")];
    assert_eq!(
        ledger.matches("class=\"decision\"").count(),
        d.decisions.len()
    );
    assert!(ledger.contains("Sources: SS-23") && ledger.contains("For discussion"));
    assert!(
        ledger.contains("differs from the record"),
        "the flipped decision"
    );
    // Headings go down one level at a time.
    util::assert_headings_in_order(&dom);

    // A 1280-pixel screenshot and an A4 PDF.
    util::screenshot(dir.path(), &url, "debrief", (1280, 2400));
    let pages = util::a4_pages(dir.path(), &url, "debrief");
    assert!(pages >= 3, "A4 pages ({pages})");
}

#[test]
fn the_recorded_course_names_only_known_places_months_and_sources() {
    let (course, problem) = jingkang::report::course::Course::embedded();
    assert_eq!(problem, None, "assets/maps/course.ron parses");
    assert!(course.marches.len() >= 8 && !course.sieges.is_empty() && !course.changes.is_empty());
    let s = util::scenario("jingkang");
    assert_eq!(course.problems(&s.library), Vec::<String>::new());
    for m in &course.marches {
        assert!(!m.note.is_empty(), "{} says when", m.id);
    }
}

#[test]
fn the_map_follows_this_campaigns_armies_and_sieges_and_the_records() {
    let s = util::scenario("first-siege");
    let (c, d) = run_headless(&s, 1, PolicyKind::Recorded, PolicyKind::Recorded);
    let t = c.trail();
    let west = &t.armies["western_army"];
    assert_eq!(
        west.first().map(|x| x.1.as_str()),
        Some("datong"),
        "from its start"
    );
    assert!(west.iter().any(|(_, p)| p == "taiyuan"), "{west:?}");
    assert!(
        t.sieges
            .iter()
            .any(|x| x.place == "taiyuan" && x.until.is_none()),
        "Taiyuan still under siege: {:?}",
        t.sieges
    );
    let f = jingkang::report::figures::Figures::of(&s, &c, &d.milestones);
    assert_eq!(f.maps.len(), 2);
    let taiyuan = |i: usize| {
        f.maps[i]
            .places
            .iter()
            .find(|p| p.name == "Taiyuan")
            .cloned()
            .expect("Taiyuan on the map")
    };
    assert!(
        taiyuan(0).besieged && taiyuan(1).besieged,
        "besieged in both courses"
    );
    let yanjing = f
        .holders
        .iter()
        .find(|h| h.place == "Yanjing")
        .expect("Yanjing");
    assert_eq!(
        (yanjing.start.as_str(), yanjing.record.as_str()),
        ("Song", "Jin")
    );
    assert!(
        f.routes
            .iter()
            .any(|r| r.map == "record" && r.sources.contains(&"JS-3".to_owned()))
    );
    assert!(
        f.routes
            .iter()
            .any(|r| r.map == "yours" && r.certainty == "model")
    );
    // Each map fits its frame and the description names every holder.
    for m in &f.maps {
        for p in &m.places {
            assert!(
                p.x >= 0.0 && p.x <= f64::from(m.width) && p.y >= 0.0 && p.y <= f64::from(m.height)
            );
        }
        assert!(m.desc.contains("Held by the Song") && m.desc.contains("Held by the Jin"));
    }
    // A campaign that leaves the record shows it on its own map only.
    let (c2, d2) = run_headless(
        &s,
        1,
        "set:song.six_traitors.purge=execute_all"
            .parse()
            .expect("p"),
        PolicyKind::Recorded,
    );
    assert_eq!(d2.ended, d.ended, "both campaigns run to the same month");
    assert!(
        d2.divergence.total > 0,
        "the second campaign left the record"
    );
    let f2 = jingkang::report::figures::Figures::of(&s, &c2, &d2.milestones);
    assert_eq!(
        f.maps[1], f2.maps[1],
        "the record does not depend on the campaign"
    );
}
