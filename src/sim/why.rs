//! Why each outcome came out as it did: when the campaign ends, every
//! ending and every tracked milestone (reached or missed) gets a short
//! causal account built from the ledger's origins (what set each flag,
//! reached each milestone, changed each place's hands) and the model's
//! trace (the rule, the numbers and the draw). Every line is labelled
//! `[model]`: this is what the simulation did, not history.

use std::collections::BTreeSet;

use super::realm::Realm;
use super::state::{Ledger, Trace};
use crate::content::Scenario;
use crate::content::model::{Cmp, Cond, Court, Effect, Ending};

/// How many trace lines an account quotes for one fact.
const TRACES_PER_FACT: usize = 2;

/// The subjects a condition depends on: `flag:…`, `place:…`,
/// `milestone:…`, `army:…`, `court:…`, `decision:…`.
#[must_use]
pub fn cond_subjects(c: &Cond) -> Vec<String> {
    let mut out = Vec::new();
    collect(c, &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect(c: &Cond, out: &mut Vec<String>) {
    match c {
        Cond::Always | Cond::From(_) | Cond::Before(_) | Cond::Gauge(..) => {}
        Cond::Flag(f) | Cond::NoFlag(f) | Cond::Since(f, _) => out.push(format!("flag:{f}")),
        Cond::Fate(p, _) => out.push(format!("person:{p}")),
        Cond::Chose(d, _) => out.push(format!("decision:{d}")),
        Cond::Holds(_, p) | Cond::Besieged(p) => out.push(format!("place:{p}")),
        Cond::Reached(m) => out.push(format!("milestone:{m}")),
        Cond::Score(n, ..) => out.push(format!("score:{n}")),
        Cond::Active(a) | Cond::South(a) | Cond::Beaten(a) | Cond::Serves(a, _) => {
            out.push(format!("army:{a}"));
        }
        Cond::At(a, p) => {
            out.push(format!("army:{a}"));
            out.push(format!("place:{p}"));
        }
        Cond::Seat(c, p) => {
            out.push(format!("court:{}", c.key()));
            out.push(format!("place:{p}"));
        }
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| collect(c, out)),
        Cond::Not(c) => collect(c, out),
    }
}

/// The latest trace lines (up to `n`, oldest first) about any of the
/// subjects, from no later than `month`.
fn related<'a>(
    ledger: &'a Ledger,
    subjects: &[String],
    upto: Option<crate::calendar::MonthIdx>,
    n: usize,
) -> Vec<&'a Trace> {
    let want: BTreeSet<&str> = subjects.iter().map(String::as_str).collect();
    let mut out: Vec<&Trace> = ledger
        .traces
        .iter()
        .rev()
        .filter(|t| upto.is_none_or(|m| t.month <= m))
        .filter(|t| t.subjects.iter().any(|s| want.contains(s.as_str())))
        .take(n)
        .collect();
    out.reverse();
    out
}

fn cmp_text(c: Cmp) -> &'static str {
    match c {
        Cmp::Ge => "at least",
        Cmp::Le => "at most",
        Cmp::Gt => "above",
        Cmp::Lt => "below",
    }
}

/// Writes the accounts of every ending and tracked milestone into the
/// ledger's `why`.
pub fn explain(realm: &mut Realm) {
    let s = realm.scenario();
    let mut why = std::collections::BTreeMap::new();
    for court in Court::ALL {
        let Some(id) = realm.ledger.endings.get(&court).cloned() else {
            continue;
        };
        let Some(e) = s.ending(&id) else { continue };
        why.insert(
            format!("ending:{}", court.name()),
            ending_why(realm, &s, court, e),
        );
    }
    for m in &s.meta.milestones {
        why.insert(format!("milestone:{m}"), milestone_why(realm, &s, m));
    }
    realm.ledger.why = why;
}

fn ending_why(realm: &Realm, s: &Scenario, court: Court, e: &Ending) -> Vec<String> {
    let cal = s.calendar();
    let month = realm.ledger.ended.unwrap_or(realm.turn.month);
    let mut lines = vec![format!(
        "[model] The {} ending is \"{}\": its condition held in {}.",
        court.name(),
        e.title,
        cal.short_label(month, court)
    )];
    if matches!(e.when, Cond::Always) {
        lines.push("[model] It is the catch-all: none of the endings before it held.".to_owned());
    } else {
        for atom in holding_atoms(realm, &e.when) {
            lines.extend(explain_atom(realm, s, atom));
        }
    }
    // What kept the earlier endings, and the recorded one, from holding.
    let recorded = s.meta.recorded_ending.get(&court);
    for other in s.endings.iter().filter(|x| x.court == court) {
        if other.id == e.id {
            break;
        }
        let is_recorded = recorded == Some(&other.id);
        if (matches!(e.when, Cond::Always) || is_recorded)
            && let Some(f) = first_failing(realm, &other.when)
        {
            lines.push(format!(
                "[model] Not \"{}\"{}: {}.",
                other.title,
                if is_recorded {
                    " (the recorded ending)"
                } else {
                    ""
                },
                describe_failure(realm, s, f)
            ));
        }
    }
    if let Some(rec) = recorded
        && rec != &e.id
        && s.endings
            .iter()
            .position(|x| &x.id == rec)
            .is_some_and(|i| {
                s.endings
                    .iter()
                    .position(|x| x.id == e.id)
                    .is_some_and(|j| i > j)
            })
        && let Some(r) = s.ending(rec)
        && let Some(f) = first_failing(realm, &r.when)
    {
        lines.push(format!(
            "[model] Not \"{}\" (the recorded ending): {}.",
            r.title,
            describe_failure(realm, s, f)
        ));
    }
    lines
}

/// The atoms of a condition that hold and explain it (the holding branch of
/// an `Any`, every part of an `All`).
fn holding_atoms<'a>(realm: &Realm, c: &'a Cond) -> Vec<&'a Cond> {
    match c {
        Cond::All(cs) => cs.iter().flat_map(|c| holding_atoms(realm, c)).collect(),
        Cond::Any(cs) => cs
            .iter()
            .find(|c| realm.holds(c))
            .map(|c| holding_atoms(realm, c))
            .unwrap_or_default(),
        Cond::Always => Vec::new(),
        other => vec![other],
    }
}

/// The first part of a condition that fails, if it fails.
fn first_failing<'a>(realm: &Realm, c: &'a Cond) -> Option<&'a Cond> {
    if realm.holds(c) {
        return None;
    }
    match c {
        Cond::All(cs) => cs.iter().find_map(|c| first_failing(realm, c)),
        Cond::Any(cs) => cs.first().and_then(|c| first_failing(realm, c)),
        other => Some(other),
    }
}

fn origin_line(realm: &Realm, s: &Scenario, key: &str, what: &str) -> Vec<String> {
    let cal = s.calendar();
    let mut lines = Vec::new();
    match realm.ledger.origins.get(key) {
        Some(o) => {
            lines.push(format!(
                "[model] {what} in {}: {}",
                cal.short_label(o.month, Court::Song),
                strip_label(&o.cause)
            ));
            let mut subjects = o.subjects.clone();
            subjects.push(key.to_owned());
            for t in related(&realm.ledger, &subjects, Some(o.month), TRACES_PER_FACT) {
                let line = format!("[model] {}", t.text);
                if !o.cause.contains(&t.text) && !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
        None => lines.push(format!("[model] {what} from the start.")),
    }
    lines
}

fn strip_label(cause: &str) -> String {
    cause.strip_prefix("[model] ").unwrap_or(cause).to_owned()
}

fn explain_atom(realm: &Realm, s: &Scenario, c: &Cond) -> Vec<String> {
    match c {
        Cond::Flag(f) => origin_line(realm, s, &format!("flag:{f}"), &format!("\"{f}\" was set")),
        Cond::NoFlag(f) => vec![format!("[model] \"{f}\" was never set.")],
        Cond::Holds(court, p) => origin_line(
            realm,
            s,
            &format!("place:{p}"),
            &format!("{} came into {} hands", s.place_name(p), court.name()),
        ),
        Cond::Reached(m) => origin_line(
            realm,
            s,
            &format!("milestone:{m}"),
            &format!("\"{}\" was reached", milestone_title(s, m)),
        ),
        Cond::Chose(d, o) => vec![chose_line(realm, s, d, o)],
        Cond::Seat(court, p) => origin_line(
            realm,
            s,
            &format!("court:{}", court.key()),
            &format!("The {} court sat at {}", court.name(), s.place_name(p)),
        ),
        Cond::Gauge(court, g, _, _) => vec![format!(
            "[model] The {} {g:?} gauge stood at {}.",
            court.name(),
            realm.gauge(*court, *g)
        )],
        Cond::Score(n, ..) => vec![format!("[model] {}.", realm.score_text(n))],
        _ => Vec::new(),
    }
}

fn chose_line(realm: &Realm, s: &Scenario, d: &str, o: &str) -> String {
    let title = s.decisions.get(d).map_or(d, |x| x.title.as_str());
    let label = |id: &str| {
        s.decisions
            .get(d)
            .and_then(|x| x.options.iter().find(|y| y.id == id))
            .map_or_else(|| id.to_owned(), |y| y.label.clone())
    };
    match realm.ledger.decisions.iter().find(|t| t.decision == d) {
        Some(t) if t.option == o => format!(
            "[model] At the council \"{title}\" ({}) the answer was \"{}\" ({}).",
            s.calendar().short_label(t.month, Court::Song),
            label(o),
            t.by
        ),
        Some(t) => format!(
            "[model] At the council \"{title}\" the answer was \"{}\", not \"{}\".",
            label(&t.option),
            label(o)
        ),
        None => format!("[model] The council \"{title}\" was never held."),
    }
}

fn milestone_title(s: &Scenario, m: &str) -> String {
    s.library
        .timeline
        .milestones
        .iter()
        .find(|x| x.id == m)
        .map_or_else(|| m.to_owned(), |x| x.title.clone())
}

fn describe_failure(realm: &Realm, s: &Scenario, c: &Cond) -> String {
    let cal = s.calendar();
    match c {
        Cond::Flag(f) => format!("\"{f}\" was never set"),
        Cond::NoFlag(f) => match realm.ledger.origins.get(&format!("flag:{f}")) {
            Some(o) => format!(
                "\"{f}\" was set in {} ({})",
                cal.short_label(o.month, Court::Song),
                strip_label(&o.cause)
            ),
            None => format!("\"{f}\" was set"),
        },
        Cond::Holds(court, p) => {
            let holder = realm
                .place(p)
                .and_then(|x| x.holder)
                .map_or("neither court", Court::name);
            format!(
                "{} is held by {holder}, not the {}",
                s.place_name(p),
                court.name()
            )
        }
        Cond::Besieged(p) => format!("{} is not under siege", s.place_name(p)),
        Cond::Reached(m) => format!("\"{}\" was not reached", milestone_title(s, m)),
        Cond::Chose(d, o) => strip_label(&chose_line(realm, s, d, o)),
        Cond::Gauge(court, g, c, v) => format!(
            "the {} {g:?} gauge is {}, not {} {v}",
            court.name(),
            realm.gauge(*court, *g),
            cmp_text(*c)
        ),
        Cond::From(m) => format!("it was not yet {m}"),
        Cond::Before(m) => format!("it was no longer before {m}"),
        Cond::Score(n, c, v) => format!("{}, not {} {v}", realm.score_text(n), cmp_text(*c)),
        Cond::Active(a) => format!(
            "{} is not in the field",
            realm.army(a).map_or(a.as_str(), |x| x.name.as_str())
        ),
        Cond::Seat(court, p) => format!("the {} court is not at {}", court.name(), s.place_name(p)),
        Cond::At(a, p) => format!(
            "{} is not at {}",
            realm.army(a).map_or(a.as_str(), |x| x.name.as_str()),
            s.place_name(p)
        ),
        Cond::Serves(a, c) => format!(
            "{} does not serve the {}",
            realm.army(a).map_or(a.as_str(), |x| x.name.as_str()),
            c.name()
        ),
        Cond::South(a) => format!(
            "{} never stood south of the Yellow River",
            realm.army(a).map_or(a.as_str(), |x| x.name.as_str())
        ),
        Cond::Beaten(a) => format!(
            "{} was never beaten",
            realm.army(a).map_or(a.as_str(), |x| x.name.as_str())
        ),
        Cond::Since(f, n) => format!("\"{f}\" had not been set {n} months before"),
        Cond::Fate(p, f) => format!("{} is not {f:?}", s.person_name(p)),
        Cond::Not(inner) => format!("not the case that {}", describe_holding(realm, s, inner)),
        Cond::Always | Cond::All(_) | Cond::Any(_) => "its condition failed".to_owned(),
    }
}

fn describe_holding(realm: &Realm, s: &Scenario, c: &Cond) -> String {
    match c {
        Cond::Flag(f) => format!("\"{f}\" was set"),
        Cond::Holds(court, p) => format!("{} is held by the {}", s.place_name(p), court.name()),
        Cond::Besieged(p) => format!("{} is besieged", s.place_name(p)),
        other => {
            let subjects = cond_subjects(other);
            let _ = realm;
            format!("{} held", subjects.join(", "))
        }
    }
}

/// Does an effect list reach the milestone, anywhere inside it?
fn reaches(effects: &[Effect], m: &str) -> bool {
    effects.iter().any(|e| match e {
        Effect::Milestone(x) => x == m,
        Effect::Chance {
            then, otherwise, ..
        }
        | Effect::If {
            then, otherwise, ..
        } => reaches(then, m) || reaches(otherwise, m),
        Effect::Later { effects, .. } => reaches(effects, m),
        Effect::Battle { won, lost, .. } | Effect::Storm { won, lost, .. } => {
            reaches(won, m) || reaches(lost, m)
        }
        Effect::Waver { turned, held, .. } => reaches(turned, m) || reaches(held, m),
        Effect::Flee {
            escaped,
            overtaken,
            mutiny,
            ..
        } => reaches(escaped, m) || reaches(overtaken, m) || reaches(mutiny, m),
        _ => false,
    })
}

fn milestone_why(realm: &Realm, s: &Scenario, m: &str) -> Vec<String> {
    let cal = s.calendar();
    let title = milestone_title(s, m);
    if realm.ledger.milestones.contains_key(m) {
        return origin_line(
            realm,
            s,
            &format!("milestone:{m}"),
            &format!("\"{title}\" was reached"),
        );
    }
    let mut lines = vec![format!("[model] \"{title}\" did not happen in this run.")];
    // The dispatches that could have brought it about.
    let mut explained = false;
    for (ev, (from, until)) in s.events.iter().zip(&s.event_windows) {
        if !reaches(&ev.effects, m) {
            continue;
        }
        if realm.ledger.fired.contains(&ev.id) {
            lines.push(format!(
                "[model] The dispatch \"{}\" came, but the branch of it that reaches this did not.",
                ev.title
            ));
        } else if let Some(f) = first_failing(realm, &ev.when) {
            lines.push(format!(
                "[model] The dispatch \"{}\" ({} – {}) never came: {}.",
                ev.title,
                cal.short_label(*from, Court::Song),
                cal.short_label(*until, Court::Song),
                describe_failure(realm, s, f)
            ));
            for t in related(&realm.ledger, &cond_subjects(f), None, TRACES_PER_FACT) {
                lines.push(format!("[model] {}", t.text));
            }
        } else {
            lines.push(format!(
                "[model] The dispatch \"{}\" could only come {} – {}, and the world reached its condition too late or too early.",
                ev.title,
                cal.short_label(*from, Court::Song),
                cal.short_label(*until, Court::Song)
            ));
        }
        explained = true;
        break;
    }
    if !explained {
        for d in s.decisions.values() {
            if let Some(o) = d.options.iter().find(|o| reaches(&o.effects, m)) {
                lines.push(chose_line(realm, s, &d.id, &o.id));
                break;
            }
        }
    }
    lines
}

/// Why a decision's `available` condition fails, in words.
#[must_use]
pub fn unavailable_reason(realm: &Realm, s: &Scenario, c: &Cond) -> String {
    first_failing(realm, c).map_or_else(
        || "its condition does not hold".to_owned(),
        |f| describe_failure(realm, s, f),
    )
}
