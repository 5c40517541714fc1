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
    let text = std::fs::read_to_string(&save)
        .expect("read")
        .replace("version: 1,", "version: 99,");
    std::fs::write(&save, text).expect("write");
    let o = util::load(&save, &[], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(util::stderr(&o).contains("version 99"));
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
