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
        let out = jingkang::lookup::who(&s, q);
        assert!(out.starts_with("Li Gang"), "who {q:?} -> {out}");
    }
    assert!(
        jingkang::lookup::who(&s, "Wolibu").starts_with("Wanyan Zongwang")
            || jingkang::lookup::who(&s, "Wolibu").contains("Zongwang")
    );
    assert!(jingkang::lookup::place(&s, "bianjing").contains("Kaifeng"));
    assert!(jingkang::lookup::place(&s, "太原").contains("Taiyuan"));
    assert!(jingkang::lookup::term(&s, "three garrisons").contains("Taiyuan"));
    assert!(jingkang::lookup::who(&s, "nobody at all").starts_with("No one"));
}
