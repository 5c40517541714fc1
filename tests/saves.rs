use jingkang::content::model::Court;

use crate::util;

fn make_save(dir: &std::path::Path, seed: &str) -> std::path::PathBuf {
    let o = util::play_pingzhou(
        &["--seed", seed, "--save-dir", dir.to_str().expect("path")],
        "1\n",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    util::path_after(&util::stdout(&o), "The game is saved to ")
}

#[test]
fn a_corrupt_save_is_refused_with_its_position_and_other_saves_are_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = make_save(dir.path(), "2");
    let good_bytes = std::fs::read(&good).expect("read");
    let bad = dir.path().join("saves").join("broken.ron");
    std::fs::write(
        &bad,
        "(\n  version: 1,\n  scenario: \"pingzhou\",\n  content_hash: 12,\n",
    )
    .expect("write");
    let o = util::load(
        &bad,
        &["--save-dir", dir.path().to_str().expect("path")],
        "",
    );
    assert_eq!(o.status.code(), Some(1));
    let err = util::stderr(&o);
    assert!(
        err.contains(&format!("{}:4:", bad.display())),
        "position of the fault:\n{err}"
    );
    assert!(err.contains("left untouched"), "{err}");
    assert_eq!(
        std::fs::read(&good).expect("read"),
        good_bytes,
        "the good save was not touched"
    );
    assert!(bad.exists(), "the bad save is left in place for the user");
    // Non-UTF-8 garbage too.
    std::fs::write(&bad, [0xff, 0xfe, 0x00, 0x41]).expect("write");
    let o = util::load(&bad, &[], "");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_save_from_other_content_is_refused_naming_both_hashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let save = make_save(dir.path(), "4");
    let mut run = jingkang::runfile::RunFile::read(&save).expect("read");
    let real = run.content_hash.clone();
    run.content_hash = "0123456789abcdef".into();
    run.write(&save).expect("write");
    let o = util::load(&save, &[], "");
    assert_eq!(o.status.code(), Some(1));
    let err = util::stderr(&o);
    assert!(
        err.contains("0123456789abcdef") && err.contains(&real),
        "{err}"
    );
}

#[test]
fn a_save_of_another_format_version_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let save = make_save(dir.path(), "6");
    let text = std::fs::read_to_string(&save).expect("read").replace(
        &format!("version: {},", jingkang::runfile::FORMAT_VERSION),
        "version: 99,",
    );
    std::fs::write(&save, &text).expect("write");
    let o = util::load(&save, &[], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(util::stderr(&o).contains("version 99"));
    // A save from before the war model is refused, saying why.
    std::fs::write(&save, text.replace("version: 99,", "version: 1,")).expect("write");
    let o = util::load(&save, &[], "");
    assert_eq!(o.status.code(), Some(1));
    let err = util::stderr(&o);
    assert!(
        err.contains("version 1") && err.contains("old war model"),
        "{err}"
    );
}

#[test]
fn saves_are_written_atomically_over_an_older_save() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = util::scenario("pingzhou");
    let seats = jingkang::sim::Seats::human(Court::Song, jingkang::policy::PolicyKind::Recorded);
    let path = dir.path().join("x.ron");
    let mut run = jingkang::runfile::RunFile::new("pingzhou", &s, 1, &seats);
    run.write(&path).expect("first write");
    run.seed = 2;
    run.write(&path).expect("second write");
    assert_eq!(
        jingkang::runfile::RunFile::read(&path).expect("read").seed,
        2
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[test]
fn editing_an_included_chapter_changes_the_grand_campaigns_hash_and_old_saves_are_refused() {
    let root = tempfile::tempdir().expect("tempdir");
    crate::data_errors::copy_tree(root.path());
    let grand = root.path().join("scenarios").join("jingkang");
    let saves = tempfile::tempdir().expect("tempdir");
    let o = util::run(
        &[
            "play",
            "--plain",
            "--scenario",
            grand.to_str().expect("path"),
            "--seed",
            "3",
            "--save-dir",
            saves.path().to_str().expect("path"),
        ],
        "quit\n",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let save = util::path_after(&util::stdout(&o), "Saved to ");
    let before = jingkang::content::load_dir(&grand)
        .expect("loads")
        .content_hash;
    // An edit to a chapter the grand campaign includes (its own files untouched).
    let ev = root
        .path()
        .join("scenarios")
        .join("second-siege")
        .join("events.ron");
    let text = std::fs::read_to_string(&ev).expect("read");
    std::fs::write(&ev, text.replacen("text: \"", "text: \"Edited. ", 1)).expect("write");
    let after = jingkang::content::load_dir(&grand)
        .expect("loads")
        .content_hash;
    assert_ne!(before, after, "the hash covers included chapters");
    let o = util::load(&save, &[], "");
    assert_eq!(o.status.code(), Some(1));
    let err = util::stderr(&o);
    assert!(
        err.contains(&before) && err.contains(&after),
        "both hashes named:\n{err}"
    );
}

#[test]
fn the_hash_covers_every_asset_file_even_new_ones() {
    let assets = jingkang::content::embedded_assets();
    let files = jingkang::content::embedded_scenario("pingzhou").expect("pingzhou");
    let base = jingkang::content::content_hash(&assets, &files, &[]);
    assert_eq!(base, util::scenario("pingzhou").content_hash);
    for (i, f) in assets.iter().enumerate() {
        let mut edited = assets.clone();
        edited[i] = jingkang::content::SourceFile::new(f.name.clone(), format!("{} ", f.text));
        assert_ne!(
            jingkang::content::content_hash(&edited, &files, &[]),
            base,
            "{} is hashed",
            f.name
        );
    }
    // A new asset file (such as the war model's rules) is hashed too.
    let mut more = assets.clone();
    more.push(jingkang::content::SourceFile::new("assets/rules.ron", "()"));
    assert_ne!(jingkang::content::content_hash(&more, &files, &[]), base);
}

fn quit_game(dir: &std::path::Path, extra: &[&str]) -> std::path::PathBuf {
    let mut args = vec!["--seed", "9", "--save-dir", dir.to_str().expect("path")];
    args.extend_from_slice(extra);
    let o = util::play_pingzhou(&args, "quit\n");
    assert!(o.status.success(), "{}", util::stderr(&o));
    util::path_after(&util::stdout(&o), "Saved to ")
}

#[test]
fn each_new_game_gets_its_own_save_and_none_replaces_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = quit_game(dir.path(), &[]);
    let first_bytes = std::fs::read(&first).expect("read");
    let second = quit_game(dir.path(), &[]);
    assert_ne!(
        first, second,
        "a second game of the same seed gets its own file"
    );
    assert_eq!(
        std::fs::read(&first).expect("read"),
        first_bytes,
        "untouched"
    );
    let named = quit_game(dir.path(), &["--player", "李白"]);
    assert_eq!(
        util::ron_files(&dir.path().join("saves")),
        [
            "pingzhou-song-seed9-1.ron",
            "pingzhou-song-seed9-2.ron",
            "pingzhou-song-李白-1.ron"
        ],
        "scenario, side, player or seed, and a counter"
    );
    assert!(named.ends_with("pingzhou-song-李白-1.ron"));
}

#[test]
fn a_loaded_game_saves_back_to_the_file_it_came_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = make_save(dir.path(), "5");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let mine = elsewhere.path().join("mine.ron");
    std::fs::copy(&made, &mine).expect("copy");
    let before = jingkang::runfile::RunFile::read(&mine)
        .expect("read")
        .decisions
        .len();
    let o = util::load(&mine, &[], "1\nquit\n");
    assert!(o.status.success(), "{}", util::stderr(&o));
    assert_eq!(util::path_after(&util::stdout(&o), "Saved to "), mine);
    let after = jingkang::runfile::RunFile::read(&mine)
        .expect("read")
        .decisions
        .len();
    assert_eq!(after, before + 1, "the new decision is in mine.ron");
    assert_eq!(
        util::ron_files(elsewhere.path()),
        ["mine.ron"],
        "no other file"
    );
    let o = util::load(&mine, &[], "");
    let out = util::stdout(&o);
    assert_eq!(
        util::path_after(&out, "The game is saved to "),
        mine,
        "{out}"
    );
}

#[test]
fn save_names_keep_their_letters_and_never_replace_another_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saves = dir.path().join("saves");
    std::fs::create_dir_all(&saves).expect("mkdir");
    std::fs::write(saves.join("taken.ron"), "someone else's").expect("write");
    let long = "x".repeat(300);
    let o = util::play_pingzhou(
        &[
            "--seed",
            "3",
            "--save-dir",
            dir.path().to_str().expect("path"),
        ],
        &format!("save 北京\nsave 東京\nsave taken\nsave {long}\n"),
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let out = util::stdout(&o);
    assert!(out.contains("already exists"), "{out}");
    assert_eq!(
        std::fs::read_to_string(saves.join("taken.ron")).expect("read"),
        "someone else's"
    );
    let files = util::ron_files(&saves);
    assert!(files.contains(&"北京.ron".to_owned()), "{files:?}");
    assert!(files.contains(&"東京.ron".to_owned()), "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("xxxxxxxxxx") && f.len() < 100),
        "a long name is shortened, not refused: {files:?}"
    );
}

#[test]
fn a_failed_save_keeps_the_game_running_and_end_of_input_still_saves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "a regular file").expect("write");
    let under = blocker.join("saves-here");
    let tmp = tempfile::tempdir().expect("tempdir");
    let o = util::run_env(
        &[
            "play",
            "--plain",
            "--scenario",
            "pingzhou",
            "--seed",
            "4",
            "--save-dir",
            under.to_str().expect("path"),
        ],
        "save\nquit\nstatus\n",
        &[("TMPDIR", tmp.path())],
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    let out = util::stdout(&o);
    assert!(out.contains("Could not save:"), "{out}");
    assert!(
        out.contains("Could not save, so the game stays open"),
        "{out}"
    );
    assert!(
        out.contains("The state of the Song court"),
        "the game went on:\n{out}"
    );
    let save = util::path_after(&out, "The game is saved to ");
    assert!(save.starts_with(tmp.path()), "{}", save.display());
    assert!(jingkang::runfile::RunFile::read(&save).is_ok());
}

#[test]
fn temp_files_orphaned_by_a_crash_are_cleaned_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saves = dir.path().join("saves");
    std::fs::create_dir_all(&saves).expect("mkdir");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in [".jingkang-abc123.tmp", ".tmpAbC123"] {
        let f = std::fs::File::create(saves.join(name)).expect("create");
        f.set_modified(old).expect("age it");
    }
    std::fs::write(saves.join(".jingkang-busy.tmp"), "being written now").expect("write");
    quit_game(dir.path(), &[]);
    let left: Vec<String> = std::fs::read_dir(&saves)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(
        left,
        [".jingkang-busy.tmp"],
        "old orphans gone, a fresh one kept"
    );
}

#[cfg(unix)]
#[test]
fn reading_a_device_a_pipe_or_a_huge_file_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.ron");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let huge = dir.path().join("huge.ron");
    std::fs::File::create(&huge)
        .expect("create")
        .set_len(jingkang::fsio::MAX_RUN_FILE + 1)
        .expect("grow");
    for (file, says) in [
        (std::path::Path::new("/dev/zero"), "a character device"),
        (fifo.as_path(), "a named pipe"),
        (huge.as_path(), "more than the 4194304 bytes allowed"),
        (dir.path(), "a folder"),
    ] {
        for args in [vec!["replay"], vec!["play", "--plain", "--load"]] {
            let mut a = args.clone();
            a.push(file.to_str().expect("path"));
            let o = util::run(&a, "");
            assert_eq!(o.status.code(), Some(1), "{a:?}");
            assert!(
                util::stderr(&o).contains(says),
                "{a:?}: {}",
                util::stderr(&o)
            );
        }
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let save = make_save(dir.path(), "8");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(&save).expect("read"));
    std::fs::write(&save, bytes).expect("write");
    let o = util::load(&save, &[], "");
    assert!(o.status.success(), "{}", util::stderr(&o));
    assert!(util::stdout(&o).contains("Resuming"));
}

#[test]
fn a_reader_that_goes_away_ends_the_program_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("r.ron");
    let o = util::run(
        &[
            "run",
            "--scenario",
            "pingzhou",
            "--run-file",
            file.to_str().expect("path"),
        ],
        "",
    );
    assert!(o.status.success(), "{}", util::stderr(&o));
    for args in [
        vec!["replay", file.to_str().expect("path")],
        vec!["history"],
        vec!["run", "--scenario", "pingzhou", "--markdown"],
    ] {
        let mut child = std::process::Command::new(util::bin())
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start");
        // Like `| head -0`: the reader is gone before anything is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            util::stderr(&out)
        );
        assert!(out.stderr.is_empty(), "{args:?}: {}", util::stderr(&out));
    }
}
