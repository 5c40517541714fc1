//! Volume and grounding of the content; the reference commands.

use std::collections::BTreeSet;

use jingkang::content::model::{Certainty, Court};

use crate::util;

#[test]
fn the_content_covers_the_whole_war_with_sources() {
    let s = util::scenario("jingkang");
    let lib = &s.library;
    assert!(lib.people.len() >= 35, "{} people", lib.people.len());
    assert!(lib.places.len() >= 30, "{} places", lib.places.len());
    assert!(
        lib.glossary.len() >= 60,
        "{} glossary terms",
        lib.glossary.len()
    );
    let refs: BTreeSet<String> = s
        .decisions
        .values()
        .filter_map(|d| d.reference.clone())
        .collect();
    for n in 1..=26 {
        assert!(
            refs.contains(&format!("D{n}")),
            "the reference's D{n} is missing"
        );
    }
    assert!(
        s.decisions.len() >= 40,
        "{} decision points",
        s.decisions.len()
    );
    for d in s.decisions.values() {
        assert!(
            d.advisors.len() >= 2,
            "{} has fewer than two advisors",
            d.id
        );
        if let Some(r) = &d.recorded {
            assert!(
                r.certainty == Certainty::Invented || !r.sources.is_empty(),
                "{} recorded without sources",
                d.id
            );
        }
    }
    for court in Court::ALL {
        let n = s
            .endings
            .iter()
            .filter(|e| e.court == court && !e.nearest.is_empty())
            .count();
        assert!(
            n >= 5,
            "{} has {n} endings in the grand campaign",
            court.name()
        );
    }
    // Every shipped scenario is playable by both courts.
    for id in jingkang::content::scenario_ids() {
        assert_eq!(
            util::scenario(&id).meta.playable,
            vec![Court::Song, Court::Jin],
            "{id}"
        );
    }
}

#[test]
fn contested_facts_show_both_versions() {
    let s = util::scenario("jingkang");
    let raid = s
        .library
        .timeline
        .entries
        .iter()
        .find(|e| e.summary.contains("Yao Pingzhong") && e.certainty == Certainty::Disputed)
        .expect("Yao Pingzhong's raid is in the timeline as disputed");
    let says: String = raid
        .versions
        .iter()
        .map(|v| format!("{} {}", v.says, v.sources.join(" ")))
        .collect();
    assert!(
        says.contains("10,000") && says.contains("400,000"),
        "{says}"
    );
    assert!(
        says.contains("SS-358") && (says.contains("JS-3") || says.contains("JS-74")),
        "{says}"
    );
}

#[test]
fn history_json_has_both_calendars_and_sources() {
    let o = util::run(&["history", "--json"], "");
    assert!(o.status.success(), "{}", util::stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let items = v.as_array().expect("an array");
    assert!(items.len() > 100);
    for it in items {
        for key in [
            "id",
            "date",
            "chinese_date",
            "title",
            "summary",
            "sources",
            "certainty",
        ] {
            assert!(it.get(key).is_some(), "missing {key}: {it}");
        }
        let date = it["date"].as_str().expect("date");
        assert!(
            date.len() == 10 || date.len() == 7,
            "date {date} is YYYY-MM-DD or YYYY-MM"
        );
        assert!(!it["sources"].as_array().expect("sources").is_empty());
    }
    let text = util::stdout(&util::run(&["history"], ""));
    assert!(
        text.contains("Jingkang 1, leap 11th month"),
        "the plain history shows Chinese months"
    );
}

#[test]
fn who_where_and_term_match_pinyin_and_characters_loosely() {
    let s = util::scenario("pingzhou");
    for q in ["li gang", "LiGang", "李綱", "ligng"] {
        let out = who(&s, q);
        assert!(out.starts_with("Li Gang"), "who {q:?} -> {out}");
    }
    assert!(
        who(&s, "Wolibu").starts_with("Wanyan Zongwang") || who(&s, "Wolibu").contains("Zongwang")
    );
    assert!(at(&s, "bianjing").contains("Kaifeng"));
    assert!(at(&s, "太原").contains("Taiyuan"));
    assert!(term(&s, "three garrisons").contains("Taiyuan"));
    assert!(who(&s, "nobody at all").starts_with("No one"));
}

use jingkang::lookup::{Kind, look_up};

/// Look-ups as they read once a campaign is over (the whole record).
fn who(s: &jingkang::content::Scenario, q: &str) -> String {
    look_up(s, Kind::Person, q, None).to_text(76)
}
fn at(s: &jingkang::content::Scenario, q: &str) -> String {
    look_up(s, Kind::Place, q, None).to_text(76)
}
fn term(s: &jingkang::content::Scenario, q: &str) -> String {
    look_up(s, Kind::Term, q, None).to_text(76)
}

/// Every Julian date written in a text (`28 Jan 1126`, `Jan 1126`,
/// `1126`), each as the earliest day it could mean.
fn dates_in(text: &str) -> Vec<(i32, u8, u8)> {
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Ok(y) = w.parse::<i32>() else { continue };
        if !(1000..2000).contains(&y) {
            continue;
        }
        let mon = i
            .checked_sub(1)
            .and_then(|j| MON.iter().position(|m| words[j].starts_with(m)));
        let day = mon
            .and_then(|_| i.checked_sub(2))
            .and_then(|j| words[j].parse::<u8>().ok())
            .filter(|d| (1..=31).contains(d));
        out.push((
            y,
            mon.map_or(1, |m| u8::try_from(m + 1).unwrap_or(1)),
            day.unwrap_or(1),
        ));
    }
    out
}

#[test]
fn look_ups_during_play_tell_only_what_the_record_holds_by_then() {
    use jingkang::sim::{Campaign, Seats, Step};
    let mut councils = 0;
    for id in ["first-siege", "second-siege"] {
        let s = util::scenario(id);
        let cal = s.calendar();
        let mut c = Campaign::new(
            s.clone(),
            3,
            Seats::human(
                jingkang::content::model::Court::Song,
                jingkang::policy::PolicyKind::Recorded,
            ),
        );
        while let Step::Council(view) = c.advance() {
            councils += 1;
            let d_rec: Vec<String> = s.decisions[view.decision.as_str()]
                .recorded
                .iter()
                .map(|r| crate::library::long_date(&r.date))
                .filter(|x| x.len() > 8)
                .collect();
            let now = view.as_of;
            let first = cal.month(now).first;
            let before =
                |(y, m, d): (i32, u8, u8)| (y, m, d) < (first.year, first.month, first.day);
            for (kind, ids) in [
                (
                    Kind::Person,
                    s.library.people.keys().cloned().collect::<Vec<_>>(),
                ),
                (Kind::Place, s.library.places.keys().cloned().collect()),
                (
                    Kind::Term,
                    s.library.glossary.iter().map(|t| t.id.clone()).collect(),
                ),
            ] {
                for e in &ids {
                    let text = jingkang::lookup::describe(&s, kind, e, Some(now));
                    // Nothing the decision at hand brought about, either.
                    for r in d_rec.iter() {
                        assert!(!text.contains(r.as_str()), "{e} at {}: {r}", view.decision);
                    }
                    for d in dates_in(&text) {
                        assert!(
                            before(d),
                            "{id}, {}: the entry for {e} tells of {d:?}, after the month began:\n{text}",
                            view.decision
                        );
                    }
                }
            }
            for a in &view.advisors {
                for d in dates_in(&a.office) {
                    assert!(
                        before(d),
                        "{}: {} is styled {:?}",
                        view.decision,
                        a.name,
                        a.office
                    );
                }
            }
            let d = &s.decisions[view.decision.as_str()];
            let pick = d
                .recorded
                .as_ref()
                .map_or_else(|| view.options[0].id.clone(), |r| r.option.clone());
            c.decide(&pick).expect("decide");
        }
    }
    assert!(councils >= 10, "{councils} councils looked at");
}

#[test]
fn at_the_stay_or_flee_council_li_gang_and_kaifeng_keep_their_future() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Answer councils by the record until the stay-or-flee council, then look up.
    let s = util::scenario("first-siege");
    let flee = s
        .decisions
        .values()
        .find(|d| d.reference.as_deref() == Some("D9"))
        .expect("D9 is in the chapter");
    let answers = util::recorded_answers(&s, jingkang::content::model::Court::Song, 1);
    let mut c = jingkang::sim::Campaign::new(
        s.clone(),
        1,
        jingkang::sim::Seats::human(
            jingkang::content::model::Court::Song,
            jingkang::policy::PolicyKind::Recorded,
        ),
    );
    let mut typed = String::new();
    let mut seen = false;
    for a in answers {
        let jingkang::sim::Step::Council(view) = c.advance() else {
            break;
        };
        if view.decision == flee.id {
            let li = view
                .advisors
                .iter()
                .find(|a| a.name.starts_with("Li Gang"))
                .expect("Li Gang advises");
            // The office the record gives him in the month the council sits.
            let m = view.as_of;
            assert!(m <= c.month());
            assert_eq!(li.office, s.library.office_in("li_gang", m));
            assert!(
                !li.office.contains("Chief Minister"),
                "not a later office: {}",
                li.office
            );
            let head = format!("Li Gang 李綱 — Song court; {}", li.office);
            assert_eq!(
                li.office, "Junior minister of rites",
                "the office before the council's outcome"
            );
            typed.push_str("who li gang\nwhere kaifeng\n");
            let o = util::play_pingzhou_like(
                "first-siege",
                &[
                    "--seed",
                    "1",
                    "--other",
                    "recorded",
                    "--save-dir",
                    dir.path().to_str().expect("path"),
                ],
                &typed,
            );
            let out = util::stdout(&o);
            let tail = &out[out
                .rfind(&format!("COUNCIL — {}", flee.title))
                .expect("the council")..];
            let flat = tail.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.contains(&head), "{tail}");
            for spoiler in [
                "28 Jan 1126",
                "talked Qinzong",
                "took the walls",
                "9 Jan 1127",
                "Right Chief Minister",
            ] {
                assert!(
                    !tail.contains(spoiler),
                    "{spoiler:?} at the council:\n{tail}"
                );
            }
            seen = true;
            break;
        }
        typed.push_str(&format!("{a}\n"));
        c.decide(&view.options[a - 1].id).expect("decide");
    }
    assert!(seen, "the stay-or-flee council was reached");
    // Once the campaign is over, the whole entry.
    let all = who(&s, "li gang");
    assert!(
        all.contains("talked Qinzong out of fleeing") && all.contains("Right Chief Minister"),
        "{all}"
    );
}

#[test]
fn offices_follow_the_month_and_never_run_ahead() {
    let s = util::scenario("jingkang");
    let lib = &s.library;
    let cal = s.calendar();
    let at = |id: &str| cal.parse_id(id).expect("a month");
    assert_eq!(
        lib.office_in("zhan_du", at("xuanhe-5-6")),
        "Governor of Zhongshan"
    );
    assert_eq!(
        lib.office_in("zhan_du", at("xuanhe-7-11")),
        "governor at Hejian"
    );
    assert_eq!(
        lib.office_in("li_gang", at("jingkang-1-1")),
        "Junior minister of rites"
    );
    assert_eq!(
        lib.office_in("li_gang", at("jianyan-1-7")),
        "Right Chief Minister"
    );
    assert_eq!(
        lib.office_in("huizong", at("xuanhe-7-12")),
        "Emperor of Song"
    );
    assert_eq!(
        lib.office_in("taizong", at("xuanhe-5-1")),
        "Aguda's brother Wuqimai",
        "a neutral description before he reigned"
    );
    // Every advisor at every council has an office or a neutral description.
    for d in s.decisions.values() {
        for a in &d.advisors {
            let p = &lib.people[&a.person];
            assert!(
                !p.role.is_empty() || !p.offices.is_empty(),
                "{} has neither",
                p.id
            );
        }
    }
}

fn long_date(d: &str) -> String {
    jingkang::calendar::long_date(d)
}

#[test]
fn an_entry_missing_from_the_library_is_said_to_be_missing_not_shown_blank() {
    let s = util::scenario("pingzhou");
    for kind in [Kind::Person, Kind::Place, Kind::Term] {
        let text = jingkang::lookup::describe(&s, kind, "no-such-entry", None);
        assert!(
            text.contains("no-such-entry") && text.contains("missing"),
            "{kind:?}: an unknown id gives {text:?}"
        );
    }
    // A real entry is described, not reported missing.
    let id = s
        .library
        .people
        .keys()
        .next()
        .expect("people in the library");
    let text = jingkang::lookup::describe(&s, Kind::Person, id, None);
    assert!(!text.contains("missing from its data"), "{id}: {text}");
    assert!(text.contains(&s.library.people[id].name), "{id}: {text}");
}
