//! Helpers shared by the test modules.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use jingkang::content::Scenario;
use jingkang::content::model::Court;
use jingkang::sim::{Campaign, Seats, Step};

/// The real binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jingkang"))
}

/// Runs the binary with arguments and the given standard input.
pub fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start jingkang");
    {
        let mut si = child.stdin.take().expect("stdin");
        // The game may exit before reading everything; a broken pipe is fine.
        let _ = si.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("wait for jingkang")
}

/// Plays `pingzhou` in line mode with more arguments and the given input.
pub fn play_pingzhou(args: &[&str], stdin: &str) -> Output {
    let mut all = vec!["play", "--plain", "--scenario", "pingzhou"];
    all.extend_from_slice(args);
    run(&all, stdin)
}

/// Plays an embedded scenario in line mode with more arguments and input.
pub fn play_pingzhou_like(id: &str, args: &[&str], stdin: &str) -> Output {
    let mut all = vec!["play", "--plain", "--scenario", id];
    all.extend_from_slice(args);
    run(&all, stdin)
}

/// Resumes a save in line mode with more arguments and the given input.
pub fn load(save: &Path, args: &[&str], stdin: &str) -> Output {
    let path = save.to_str().expect("a UTF-8 path");
    let mut all = vec!["play", "--plain", "--load", path];
    all.extend_from_slice(args);
    run(&all, stdin)
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An embedded scenario.
pub fn scenario(id: &str) -> Arc<Scenario> {
    Arc::new(jingkang::content::load_embedded(id).expect("embedded scenario loads"))
}

/// The numbers (1-based) a player types to follow the record as `side`,
/// found by playing the campaign with both courts on the recorded policy.
pub fn recorded_answers(s: &Arc<Scenario>, side: Court, seed: u64) -> Vec<usize> {
    let seats = Seats::human(side, jingkang::policy::PolicyKind::Recorded);
    let mut c = Campaign::new(s.clone(), seed, seats);
    let mut answers = Vec::new();
    while let Step::Council(view) = c.advance() {
        let d = &s.decisions[view.decision.as_str()];
        let rec = d.recorded.as_ref().map_or(0, |r| {
            d.options.iter().position(|o| o.id == r.option).unwrap_or(0)
        });
        answers.push(rec + 1);
        c.decide(&view.options[rec].id).expect("decide");
    }
    answers
}

/// Lines of input from numbers.
pub fn input(answers: &[usize]) -> String {
    answers.iter().map(|a| format!("{a}\n")).collect()
}

/// The debrief block of a play transcript.
pub fn debrief_block(out: &str) -> String {
    let start = out.find("====").expect("a debrief");
    let end = out.find("The run is saved to").unwrap_or(out.len());
    out[start..end].trim_end().to_owned()
}

/// The path printed after a marker, up to the end of the line.
pub fn path_after(out: &str, marker: &str) -> PathBuf {
    let i = out
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} in output:\n{out}"));
    let rest = &out[i + marker.len()..];
    PathBuf::from(rest.lines().next().expect("a path").trim())
}

/// Copies the embedded files of a scenario into a folder.
pub fn copy_scenario(id: &str, dir: &Path) {
    for f in jingkang::content::embedded_scenario(id).expect("scenario") {
        let name = f.name.rsplit('/').next().expect("name");
        std::fs::write(dir.join(name), f.text.as_bytes()).expect("write");
    }
}

/// Runs the binary with arguments, the given standard input and extra
/// environment variables.
pub fn run_env(args: &[&str], stdin: &str, env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start jingkang");
    {
        let mut si = child.stdin.take().expect("stdin");
        let _ = si.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("wait for jingkang")
}

/// The `.ron` files of a folder, by name, sorted.
pub fn ron_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".ron"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Headless Chromium, with the flags that work on this machine and a fresh
/// profile in `dir`. Browser tests fail, never skip, when it is missing:
/// `.ci/run` installs the Debian package `chromium`.
pub fn chromium(dir: &Path, args: &[&str]) -> Output {
    let bin = PathBuf::from("/usr/bin/chromium");
    assert!(
        bin.exists(),
        "the browser tests need Chromium at /usr/bin/chromium: install the Debian package \
         `chromium` (apt-get install -y chromium); .ci/run does this when it is missing"
    );
    let profile = dir.join(format!("chromium-profile-{}", args.len()));
    let _ = std::fs::remove_dir_all(&profile);
    let mut all = vec![
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--hide-scrollbars".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    let out = Command::new(bin)
        .args(&all)
        .stdin(Stdio::null())
        .output()
        .expect("start chromium");
    assert!(
        out.status.success(),
        "chromium {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The width and height of a PNG, from its header.
pub fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).expect("a PNG");
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is a PNG",
        path.display()
    );
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

/// Asserts that an HTML document starts at `<h1>` and never skips a
/// heading level on the way down.
pub fn assert_headings_in_order(html: &str) {
    let levels = heading_levels(html);
    assert_eq!(levels.first(), Some(&1));
    assert!(
        levels.windows(2).all(|w| w[1] <= w[0] + 1),
        "heading order {levels:?}"
    );
}

/// Renders `url` in headless Chromium to `NAME.png` in `dir` at `width` ×
/// `height` pixels, and asserts the picture has that size.
pub fn screenshot(dir: &Path, url: &str, name: &str, (width, height): (u32, u32)) {
    let png = dir.join(format!("{name}.png"));
    chromium(
        dir,
        &[
            &format!("--window-size={width},{height}"),
            &format!("--screenshot={}", png.display()),
            url,
        ],
    );
    assert_eq!(png_size(&png), (width, height));
}

/// Prints `url` in headless Chromium to `NAME.pdf` in `dir`, asserts it is
/// a PDF, and returns how many of its pages are A4.
pub fn a4_pages(dir: &Path, url: &str, name: &str) -> usize {
    let pdf = dir.join(format!("{name}.pdf"));
    chromium(
        dir,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            url,
        ],
    );
    let bytes = std::fs::read(&pdf).expect("a PDF");
    assert!(bytes.starts_with(b"%PDF"));
    String::from_utf8_lossy(&bytes)
        .matches("/MediaBox [0 0 594.9")
        .count()
}

/// The heading levels of an HTML document, in order (`<h1` … `<h6`).
pub fn heading_levels(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| {
            let b = html.as_bytes().get(i + 2)?;
            let next = html.as_bytes().get(i + 3)?;
            ((b'1'..=b'6').contains(b) && matches!(next, b' ' | b'>')).then(|| b - b'0')
        })
        .collect()
}
