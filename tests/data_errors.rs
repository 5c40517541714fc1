use std::path::Path;

use crate::util;

/// 1-based line and column (in characters) of the first `needle` in `text`.
fn line_col(text: &str, needle: &str) -> (usize, usize) {
    let off = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    line_col_at(text, off)
}

fn line_col_at(text: &str, off: usize) -> (usize, usize) {
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, text[start..off].chars().count() + 1)
}

/// Copies pingzhou, applies `edit` to one file, validates, and returns the
/// edited text and the validator's stderr (asserting exit code 1).
fn broken(file: &str, edit: impl FnOnce(&str) -> String) -> (String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    util::copy_scenario("pingzhou", dir.path());
    let path = dir.path().join(file);
    let text = edit(&std::fs::read_to_string(&path).expect("read"));
    std::fs::write(&path, &text).expect("write");
    let o = util::run(&["validate", dir.path().to_str().expect("path")], "");
    assert_eq!(
        o.status.code(),
        Some(1),
        "validate must fail:\n{}",
        util::stdout(&o)
    );
    (text, util::stderr(&o), dir)
}

fn expect_at(err: &str, dir: &Path, file: &str, (line, col): (usize, usize), message: &str) {
    let at = format!("{}:{line}:{col}: ", dir.join(file).display());
    let found = err.lines().find(|l| l.contains(&at));
    let Some(found) = found else {
        panic!("expected a problem at {at}\n--- got ---\n{err}")
    };
    assert!(
        found.contains(message),
        "expected {message:?} at {at}, got: {found}"
    );
    assert!(
        err.contains("help:"),
        "every problem says how to fix it:\n{err}"
    );
}

fn nth_quoted_after(text: &str, key: &str, n: usize) -> String {
    let mut rest = text;
    let mut found = String::new();
    for _ in 0..=n {
        let i = rest.find(key).expect("key");
        let after = &rest[i + key.len()..];
        let q1 = after.find('"').expect("quote");
        let q2 = after[q1 + 1..].find('"').expect("quote");
        found = after[q1 + 1..q1 + 1 + q2].to_owned();
        rest = &after[q1 + 1 + q2..];
    }
    found
}

#[test]
fn a_duplicate_decision_id_is_reported_at_the_second_occurrence() {
    let mut first = String::new();
    let (text, err, dir) = broken("decisions.ron", |t| {
        first = nth_quoted_after(t, "id: ", 0);
        // The second decision's id: the first `id:` after the second `Decision(`.
        let second_decision = t
            .match_indices("Decision(")
            .nth(1)
            .expect("two decisions")
            .0;
        let id_off = second_decision + t[second_decision..].find("id: \"").expect("id");
        let q = id_off + 4;
        let end = q + 1 + t[q + 1..].find('"').expect("quote");
        format!("{}\"{first}\"{}", &t[..q], &t[end + 1..])
    });
    let second = text
        .match_indices(&format!("id: \"{first}\""))
        .nth(1)
        .expect("second")
        .0
        + 4;
    expect_at(
        &err,
        dir.path(),
        "decisions.ron",
        line_col_at(&text, second),
        &format!("duplicate decision id \"{first}\""),
    );
}

#[test]
fn an_unknown_person_is_reported_where_it_is_named() {
    let (text, err, dir) = broken("decisions.ron", |t| {
        let who = nth_quoted_after(t, "person: ", 0);
        t.replacen(&format!("person: \"{who}\""), "person: \"zhang_nobody\"", 1)
    });
    expect_at(
        &err,
        dir.path(),
        "decisions.ron",
        line_col(&text, "\"zhang_nobody\""),
        "unknown person \"zhang_nobody\"",
    );
}

#[test]
fn a_month_outside_the_calendar_is_reported() {
    let (text, err, dir) = broken("events.ron", |t| {
        let m = nth_quoted_after(t, "from: ", 0);
        t.replacen(&format!("from: \"{m}\""), "from: \"xuanhe-9-1\"", 1)
    });
    expect_at(
        &err,
        dir.path(),
        "events.ron",
        line_col(&text, "\"xuanhe-9-1\""),
        "\"xuanhe-9-1\" is not a month of the calendar",
    );
}

#[test]
fn a_recorded_decision_without_sources_is_reported() {
    let mut id = String::new();
    let (text, err, dir) = broken("decisions.ron", |t| {
        id = nth_quoted_after(t, "id: ", 0);
        let rec = t.find("recorded: Some(").expect("a recorded option");
        let src = rec + t[rec..].find("sources: [").expect("sources") + "sources: [".len();
        let close = src + t[src..].find(']').expect("]");
        format!("{}{}", &t[..src], &t[close..])
    });
    expect_at(
        &err,
        dir.path(),
        "decisions.ron",
        line_col(&text, &format!("\"{id}\"")),
        "cites no source",
    );
}

#[test]
fn an_ending_no_condition_can_reach_is_reported() {
    let (text, err, dir) = broken("endings.ron", |t| {
        let end = t.rfind(']').expect("end of list");
        format!(
            "{}    Ending(id: \"song.impossible\", court: Song, title: \"Never\", when: Flag(\"never_set_anywhere\"), text: \"-\", nearest: \"-\", sources: []),\n{}",
            &t[..end],
            &t[end..]
        )
    });
    expect_at(
        &err,
        dir.path(),
        "endings.ron",
        line_col(&text, "\"never_set_anywhere\""),
        "flag \"never_set_anywhere\" is read but nothing sets it",
    );
}

#[test]
fn a_misspelt_field_is_reported_by_the_parser_with_its_position() {
    let (text, err, dir) = broken("decisions.ron", |t| {
        t.replacen("situation:", "situaton:", 1)
    });
    let (line, _) = line_col(&text, "situaton:");
    let at = format!("{}:{line}:", dir.path().join("decisions.ron").display());
    assert!(
        err.contains(&at),
        "expected the line of the bad field ({at}):\n{err}"
    );
    assert!(err.contains("situaton"), "{err}");
}

#[test]
fn a_missing_comma_is_reported_at_its_line() {
    let (text, err, dir) = broken("scenario.ron", |t| t.replacen("\",\n", "\"\n", 1));
    let off = text.find("\"\n").expect("edit");
    let (line, _) = line_col_at(&text, off);
    let expected =
        [line, line + 1].map(|l| format!("{}:{l}:", dir.path().join("scenario.ron").display()));
    assert!(
        expected.iter().any(|e| err.contains(e)),
        "expected line {line} or the next:\n{err}"
    );
}

#[test]
fn truncated_and_binary_files_never_panic() {
    for cut in [1usize, 2, 3, 5, 7] {
        let (_, err, _dir) = broken("decisions.ron", |t| {
            let mut n = t.len() * cut / 8;
            while !t.is_char_boundary(n) {
                n -= 1;
            }
            t[..n].to_owned()
        });
        assert!(err.contains("decisions.ron:"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let (_, err, _dir) = broken("events.ron", |_| "\u{0}\u{1}garbage ))) [[".to_owned());
    assert!(err.contains("events.ron:1:"), "{err}");
}

#[test]
fn a_folder_without_a_scenario_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = util::run(&["validate", dir.path().to_str().expect("path")], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(util::stderr(&o).contains("has no scenario.ron"));
}

#[test]
fn an_id_that_is_not_well_formed_is_reported_where_it_is_written() {
    for bad in ["Bad Id", "../../x/pwn", "/etc/passwd", "UPPER", "-lead"] {
        let (text, err, dir) = broken("events.ron", |t| {
            let first = nth_quoted_after(t, "id: ", 0);
            t.replacen(&format!("id: \"{first}\""), &format!("id: \"{bad}\""), 1)
        });
        expect_at(
            &err,
            dir.path(),
            "events.ron",
            line_col(&text, &format!("\"{bad}\"")),
            &format!("event id \"{bad}\" is not a valid id"),
        );
    }
    // Source ids keep their own pattern with capitals (SS-472): no problem
    // is reported for them, nor for month ids such as jingkang-1-L11.
    let o = util::run(&["validate"], "");
    assert!(o.status.success(), "{}", util::stderr(&o));
}

#[test]
fn a_scenario_id_leading_out_of_the_save_folder_is_refused_and_nothing_is_written() {
    let root = tempfile::tempdir().expect("tempdir");
    let scen = root.path().join("a").join("b").join("c");
    std::fs::create_dir_all(&scen).expect("mkdir");
    util::copy_scenario("pingzhou", &scen);
    let path = scen.join("scenario.ron");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replacen("id: \"pingzhou\"", "id: \"../../../pwn\"", 1),
    )
    .expect("write");
    let saves = root.path().join("a").join("saves");
    for args in [
        vec!["validate", scen.to_str().expect("path")],
        vec![
            "run",
            "--scenario",
            scen.to_str().expect("path"),
            "--run-file",
            saves.join("x.ron").to_str().expect("path"),
        ],
    ] {
        let o = util::run(&args, "");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(util::stderr(&o).contains("is not a valid id"), "{args:?}");
    }
    let o = util::run(
        &[
            "play",
            "--plain",
            "--scenario",
            scen.to_str().expect("path"),
            "--save-dir",
            saves.to_str().expect("path"),
        ],
        "quit\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!root.path().join("pwn").exists());
    assert!(!saves.exists(), "nothing was written anywhere");
}

/// Replaces events.ron in a copy of pingzhou with `make(path)` and
/// validates: exit 1, and the message names events.ron.
fn refused(make: impl FnOnce(&Path), expect: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    util::copy_scenario("pingzhou", dir.path());
    let ev = dir.path().join("events.ron");
    std::fs::remove_file(&ev).expect("rm");
    make(&ev);
    let o = util::run(&["validate", dir.path().to_str().expect("path")], "");
    assert_eq!(o.status.code(), Some(1), "{expect}");
    let err = util::stderr(&o);
    assert!(
        err.contains(&format!("{}:1:1: cannot read", ev.display())) && err.contains(expect),
        "expected {expect:?}:\n{err}"
    );
    assert!(
        !err.contains("root:"),
        "nothing of what a link points to is printed:\n{err}"
    );
}

#[cfg(unix)]
#[test]
fn links_pipes_devices_folders_and_missing_files_are_refused_by_name() {
    refused(
        |p| std::os::unix::fs::symlink("/etc/passwd", p).expect("link"),
        "symbolic link",
    );
    refused(
        |p| std::os::unix::fs::symlink("/dev/zero", p).expect("link"),
        "symbolic link",
    );
    refused(
        |p| {
            let made = std::process::Command::new("mkfifo")
                .arg(p)
                .status()
                .expect("mkfifo");
            assert!(made.success());
        },
        "named pipe",
    );
    refused(|p| std::fs::create_dir(p).expect("mkdir"), "a folder");
    refused(|_| {}, "no such file");
    refused(
        |p| {
            let f = std::fs::File::create(p).expect("create");
            f.set_len(jingkang::fsio::MAX_DATA_FILE + 1).expect("grow");
        },
        "more than the 16777216 bytes allowed",
    );
}

#[test]
fn thousands_of_problems_are_listed_to_one_hundred_then_counted() {
    let (_, err, _dir) = broken("events.ron", |_| {
        let pad = "x".repeat(600);
        let mut t = String::from("EventsFile(events: [\n");
        for i in 0..3000 {
            t.push_str(&format!(
                "    Event(id: \"dup{}\", from: \"xuanhe-5-1\", until: \"xuanhe-5-1\", title: \"t\", text: \"{pad}\", certainty: Invented),\n",
                i / 2
            ));
        }
        t.push_str("])\n");
        assert!(t.len() > 1_900_000, "a 2 MB file");
        t
    });
    assert_eq!(err.matches("error: ").count(), 100, "the first 100 listed");
    let tail = &err[err.rfind("… and ").expect("a count")..];
    let words: Vec<&str> = tail.split_whitespace().collect();
    let more: usize = words[2].parse().expect("a number");
    let all: usize = words[5].trim_start_matches('(').parse().expect("a number");
    assert!(all >= 1500, "every duplicate is found: {tail}");
    assert_eq!(more, all - 100, "{tail}");
}

#[test]
fn a_huge_id_is_shortened_in_the_message() {
    let (_, err, _dir) = broken("scenario.ron", |t| {
        t.replacen(
            "id: \"pingzhou\"",
            &format!("id: \"{}\"", "a".repeat(3_000_000)),
            1,
        )
    });
    assert!(
        err.contains("is not a valid id"),
        "{}",
        &err[..err.len().min(500)]
    );
    assert!(err.len() < 5_000, "the message is {} bytes", err.len());
}

#[test]
fn numbers_out_of_range_are_reported_where_they_are_written() {
    let (text, err, dir) = broken("events.ron", |t| {
        t.replacen("effects: [", "effects: [Add(Song, Morale, 2147483647), ", 1)
    });
    expect_at(
        &err,
        dir.path(),
        "events.ron",
        line_col(&text, "2147483647"),
        "a gauge change 2147483647 is out of range",
    );
}

/// Copies the embedded scenarios and assets into `root` as the project
/// lays them out: `root/scenarios/<id>`, `root/assets`.
pub fn copy_tree(root: &Path) {
    for id in jingkang::content::scenario_ids() {
        let d = root.join("scenarios").join(&id);
        std::fs::create_dir_all(&d).expect("mkdir");
        util::copy_scenario(&id, &d);
    }
    let a = root.join("assets");
    std::fs::create_dir_all(&a).expect("mkdir");
    for f in jingkang::content::embedded_assets() {
        let name = f.name.rsplit('/').next().expect("name");
        std::fs::write(a.join(name), f.text.as_bytes()).expect("write");
    }
}

#[test]
fn a_scenario_folder_on_disk_plays_its_own_chapters_and_assets() {
    let root = tempfile::tempdir().expect("tempdir");
    copy_tree(root.path());
    let grand = root.path().join("scenarios").join("jingkang");
    // The same files on disk are the same content as the embedded ones.
    let embedded = jingkang::content::load_embedded("jingkang").expect("embedded");
    let disk = jingkang::content::load_dir(&grand).expect("disk");
    assert_eq!(disk.content_hash, embedded.content_hash);
    // An edited chapter beside it and an edited asset above it are used.
    let ev = root
        .path()
        .join("scenarios")
        .join("pingzhou")
        .join("events.ron");
    let text = std::fs::read_to_string(&ev).expect("read");
    let title = nth_quoted_after(&text, "title: ", 0);
    std::fs::write(&ev, text.replacen(&title, "An edited dispatch", 1)).expect("write");
    let people = root.path().join("assets").join("people.ron");
    let text = std::fs::read_to_string(&people).expect("read");
    std::fs::write(
        &people,
        text.replacen("name: \"Li Gang\"", "name: \"Li Gang the Edited\"", 1),
    )
    .expect("write");
    let s = jingkang::content::load_dir(&grand).expect("still valid");
    assert!(s.events.iter().any(|e| e.title == "An edited dispatch"));
    assert_eq!(s.library.people["li_gang"].name, "Li Gang the Edited");
    assert_ne!(s.content_hash, embedded.content_hash);
    // And through the binary: the edited chapter plays in the grand campaign.
    let saves = tempfile::tempdir().expect("tempdir");
    let o = util::run(
        &[
            "play",
            "--plain",
            "--scenario",
            grand.to_str().expect("path"),
            "--save-dir",
            saves.path().to_str().expect("path"),
            "--seed",
            "1",
        ],
        "who li gang\n",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let out = util::stdout(&o);
    assert!(out.contains("An edited dispatch"), "{out}");
    assert!(out.contains("Li Gang the Edited"), "{out}");
}

#[test]
fn a_flag_set_that_nothing_reads_is_reported_where_it_is_set() {
    let (text, err, dir) = broken("decisions.ron", |t| {
        t.replacen(
            "Set(\"zhang_jue_accepted\")",
            "Set(\"zhang_jue_accepted\"), Set(\"nobody_reads_this\")",
            1,
        )
    });
    expect_at(
        &err,
        dir.path(),
        "decisions.ron",
        line_col(&text, "\"nobody_reads_this\""),
        "flag \"nobody_reads_this\" is set but nothing reads it",
    );
}

#[test]
fn a_flag_read_that_nothing_sets_is_reported_where_it_is_read() {
    let (text, err, dir) = broken("events.ron", |t| {
        t.replacen(
            "when: NoFlag(\"invasion_ordered\")",
            "when: All([NoFlag(\"invasion_ordered\"), NoFlag(\"never_set_anywhere\")])",
            1,
        )
    });
    expect_at(
        &err,
        dir.path(),
        "events.ron",
        line_col(&text, "\"never_set_anywhere\""),
        "flag \"never_set_anywhere\" is read but nothing sets it",
    );
}

#[test]
fn an_unknown_score_or_edge_is_reported_with_the_nearest_name() {
    let (text, err, dir) = broken("decisions.ron", |t| {
        t.replacen(
            "Weigh(score: Some(\"jin.war_case\"))",
            "Weigh(score: Some(\"jin.war_cse\"))",
            1,
        )
    });
    expect_at(
        &err,
        dir.path(),
        "decisions.ron",
        line_col(&text, "\"jin.war_cse\""),
        "unknown score \"jin.war_cse\"",
    );
    assert!(err.contains("did you mean \"jin.war_case\""), "{err}");
}

#[test]
fn a_gate_on_an_included_chapter_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    util::copy_scenario("jingkang", dir.path());
    let path = dir.path().join("scenario.ron");
    let text = std::fs::read_to_string(&path).expect("read").replacen(
        "Include(id: \"first-siege\")",
        "Include(id: \"first-siege\", when: Flag(\"invasion_ordered\"))",
        1,
    );
    std::fs::write(&path, &text).expect("write");
    let o = util::run(&["validate", dir.path().to_str().expect("path")], "");
    assert_eq!(o.status.code(), Some(1));
    let err = util::stderr(&o);
    assert!(
        err.contains("Unexpected field named `when` in `Include`"),
        "one world: no chapter is gated:\n{err}"
    );
}

#[test]
fn a_garrison_kind_that_is_not_an_army_kind_is_reported_where_it_is_named() {
    let root = tempfile::tempdir().expect("tempdir");
    copy_tree(root.path());
    let rules = root.path().join("assets").join("rules.ron");
    let text = std::fs::read_to_string(&rules).expect("read").replacen(
        "Jin: \"jin_horse\"}",
        "Jin: \"jin_hors\"}",
        1,
    );
    std::fs::write(&rules, &text).expect("write");
    let grand = root.path().join("scenarios").join("pingzhou");
    let o = util::run(&["validate", grand.to_str().expect("path")], "");
    assert_eq!(o.status.code(), Some(1), "{}", util::stdout(&o));
    expect_at(
        &util::stderr(&o),
        &root.path().join("assets"),
        "rules.ron",
        line_col(&text, "\"jin_hors\""),
        "unknown army kind \"jin_hors\"",
    );
    assert!(
        util::stderr(&o).contains("jin_horse"),
        "suggests the nearest kind"
    );
}
