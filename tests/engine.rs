//! The engine's rules, on a tiny scenario written inline.

use std::sync::Arc;

use jingkang::content::model::{Court, Gauge};
use jingkang::content::{self, SourceFile};
use jingkang::policy::PolicyKind;
use jingkang::sim::{Campaign, CampaignPhase, LineKind, Seats, Step};

const SCENARIO: &str = r#"ScenarioFile(
    id: "tiny", title: "Tiny", intro: "A test.", playable: [Song, Jin],
    start: "xuanhe-7-1", end: "xuanhe-7-8",
    milestones: ["taiyuan_falls"],
    recorded_ending: {Song: "song.taiyuan_lost", Jin: "jin.any"},
    state: StartState(
        courts: {Song: CourtStart(ruler: "huizong", gauges: {Morale: 50}), Jin: CourtStart(ruler: "taizong", gauges: {})},
        places: [PlaceStart(place: "taiyuan", holder: Some(Song), garrison: 10, walls: 90, food: 3)],
        armies: [ArmyStart(id: "besiegers", name: "Besiegers", court: Jin, commander: "zonghan", strength: 40, morale: 70, at: "taiyuan", kind: "jin_horse")],
    ),
)"#;

const EVENTS: &str = r#"EventsFile(events: [
    Event(id: "siege", from: "xuanhe-7-1", until: "xuanhe-7-1", title: "Siege", text: "Taiyuan is besieged.",
          certainty: Invented, effects: [Siege("taiyuan", true), Orders("besiegers", Blockade)], decision: Some("song.relief")),
    Event(id: "fall", from: "xuanhe-7-1", until: "xuanhe-7-8", when: Holds(Jin, "taiyuan"), title: "Fall", text: "Taiyuan falls.",
          certainty: Invented, effects: [Milestone("taiyuan_falls")]),
])"#;

const DECISIONS: &str = r#"DecisionsFile(decisions: [
    Decision(id: "song.relief", court: Song, title: "Relieve Taiyuan?", situation: "The city starves.",
        advisors: [
            Advisor(person: "li_gang", urges: "relieve", argues: "Send grain.", sources: [], certainty: Invented),
            Advisor(person: "li_bangyan", urges: "wait", argues: "Wait.", sources: [], certainty: Invented),
        ],
        options: [
            Choice(id: "relieve", label: "Relieve", effects: [Later(months: 2, effects: [Food("taiyuan", 6), Add(Song, Morale, 10)], note: "Because the court sent grain two months ago, a convoy reaches Taiyuan.")]),
            Choice(id: "wait", label: "Wait", effects: [Add(Song, Morale, -5)]),
        ],
        recorded: Some(Recorded(option: "wait", month: "xuanhe-7-1", date: "1125-02", chinese_date: "Xuanhe 7, 1st month",
            followed: "Nothing.", sources: ["SS-23"], certainty: Recorded)),
    ),
])"#;

const ENDINGS: &str = r#"EndingsFile(endings: [
    Ending(id: "song.taiyuan_lost", court: Song, title: "Taiyuan lost", early: true, when: Reached("taiyuan_falls"), text: "Lost.", nearest: "As in 1126.", sources: ["SS-23"]),
    Ending(id: "song.held", court: Song, title: "Held", when: Always, text: "Held.", nearest: "Unlike 1126.", sources: ["SS-23"]),
    Ending(id: "jin.any", court: Jin, title: "Any", when: Always, text: "-", nearest: "-", sources: ["JS-3"]),
])"#;

fn tiny() -> Arc<content::Scenario> {
    let file = |name: &str, text: &str| SourceFile::new(format!("tiny/{name}"), text);
    let files = [
        file("scenario.ron", SCENARIO),
        file("events.ron", EVENTS),
        file("decisions.ron", DECISIONS),
        file("endings.ron", ENDINGS),
    ];
    Arc::new(
        content::load_scenario(&content::embedded_assets(), &files)
            .unwrap_or_else(|p| panic!("{p}")),
    )
}

#[test]
fn a_council_waits_for_the_player_and_then_the_month_moves_on() {
    let s = tiny();
    let mut c = Campaign::new(
        s.clone(),
        1,
        Seats::human(Court::Song, PolicyKind::Recorded),
    );
    let Step::Council(view) = c.advance() else {
        panic!("a council in the first month")
    };
    assert_eq!(view.decision, "song.relief");
    assert_eq!(c.campaign_phase(), CampaignPhase::Council);
    assert_eq!(c.month(), s.start, "the month waits for the answer");
    assert!(
        c.decide("nonsense").is_err(),
        "an option that does not exist is refused"
    );
    c.decide("wait").expect("a real option");
    assert_eq!(c.gauges(Court::Song)[&Gauge::Morale], 45);
    assert_eq!(c.ledger().choice("song.relief"), Some("wait"));
}

#[test]
fn a_starving_city_falls_and_an_early_ending_closes_the_campaign() {
    let s = tiny();
    let mut c = Campaign::new(s.clone(), 1, Seats::all_recorded());
    assert!(matches!(c.advance(), Step::Ended));
    let ledger = c.ledger();
    assert_eq!(
        ledger.endings.get(&Court::Song).map(String::as_str),
        Some("song.taiyuan_lost")
    );
    let fell = ledger.milestones["taiyuan_falls"];
    assert!(
        fell > s.start,
        "three months of food last at least two months"
    );
    assert_eq!(
        ledger.ended,
        Some(fell),
        "the early ending closes the month it holds"
    );
}

#[test]
fn a_delayed_consequence_lands_later_with_its_reason() {
    let s = tiny();
    let mut c = Campaign::new(
        s.clone(),
        1,
        Seats::human(Court::Song, PolicyKind::Recorded),
    );
    let Step::Council(_) = c.advance() else {
        panic!("council")
    };
    c.decide("relieve").expect("decide");
    let _ = c.advance();
    let landed = c
        .chronicle()
        .entries
        .iter()
        .find(|e| e.lines.iter().any(|l| l.kind == LineKind::Consequence))
        .expect("the consequence landed");
    assert_eq!(landed.month.0, s.start.0 + 2, "two months later");
    assert!(
        landed
            .lines
            .iter()
            .any(|l| l.text.starts_with("Because the court sent grain"))
    );
    assert_eq!(
        c.ledger().endings.get(&Court::Song).map(String::as_str),
        Some("song.held"),
        "relieved in time, Taiyuan holds"
    );
}

#[test]
fn model_lines_are_marked_as_model_output() {
    let s = tiny();
    let mut c = Campaign::new(s.clone(), 3, Seats::all_recorded());
    let _ = c.advance();
    let lines: Vec<_> = c
        .chronicle()
        .entries
        .iter()
        .flat_map(|e| &e.lines)
        .collect();
    let written: std::collections::BTreeSet<&str> =
        s.events.iter().map(|e| e.text.as_str()).collect();
    // Dispatches come only from the data; everything the simulation itself
    // writes about the siege (hunger, the fall) is marked as model output.
    for l in &lines {
        if l.kind != LineKind::Model && l.kind != LineKind::Consequence {
            assert!(
                matches!(l.kind, LineKind::Decision(_)) || written.contains(l.text.as_str()),
                "a line the data never wrote is not marked [model]: {:?} {}",
                l.kind,
                l.text
            );
        }
    }
    let siege: Vec<_> = lines
        .iter()
        .filter(|l| l.text.contains("Taiyuan") && !written.contains(l.text.as_str()))
        .collect();
    assert!(
        !siege.is_empty(),
        "the war phase reports on the besieged city"
    );
    for l in siege {
        assert_eq!(l.kind, LineKind::Model, "{}", l.text);
    }
}
