//! Validation: everything the loader checks beyond RON syntax.
//!
//! Duplicate ids, unknown references (people, places, sources, milestones,
//! decisions, options, armies, endings), months outside the calendar, dates
//! outside their month, decisions without a recorded option or without
//! sources where they claim to be recorded, decisions no event puts to a
//! council, and endings that no condition can reach in principle.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::diag::{Problem, Problems, SourceFile, quoted};
use super::model::{self, Certainty, Cmp, Cond, Court, Decision, Effect, Event, Id, Version};
use super::rules::{Quantity, RULES_VERSION, Rules};
use super::{Library, Scenario, find, parse};
use crate::calendar::{Calendar, DateSpec, MonthIdx};

struct Ctx {
    problems: Vec<Problem>,
}

impl Ctx {
    fn new() -> Ctx {
        Ctx {
            problems: Vec::new(),
        }
    }

    fn report(
        &mut self,
        f: &SourceFile,
        key: Option<&str>,
        value: &str,
        nth: usize,
        msg: String,
        help: &str,
    ) {
        let offset = f.find_string(key, value, nth).unwrap_or(0);
        self.problems
            .push(Problem::at(f, offset, msg, Some(help.to_owned())));
    }

    /// Checks that an id is well formed (`[a-z0-9][a-z0-9_.-]*`, at most
    /// 80 characters); reports it where it is written if not.
    fn id(&mut self, f: &SourceFile, what: &str, id: &str) -> bool {
        if super::is_id(id) {
            return true;
        }
        self.report(
            f,
            None,
            id,
            0,
            format!("{what} id {} is not a valid id", quoted(id)),
            "ids are lower-case letters, digits, `_`, `.` and `-`, starting with a letter or digit, at most 80 characters: \"li_gang\", \"song.zhang_jue.accept\"",
        );
        false
    }

    /// Checks that a number lies in a range; reports it where it is written
    /// if not.
    fn range(&mut self, f: &SourceFile, what: &str, v: i64, lo: i64, hi: i64) {
        if (lo..=hi).contains(&v) {
            return;
        }
        let offset = f.find_number(&v.to_string()).unwrap_or(0);
        self.problems.push(Problem::at(
            f,
            offset,
            format!("{what} {v} is out of range"),
            Some(format!("{what} is {lo} to {hi}")),
        ));
    }

    /// Checks the months of dated text: month ids, or `"after"`.
    fn later(&mut self, cal: &Calendar, f: &SourceFile, later: &[model::Later]) {
        for l in later {
            if l.from != model::AFTER {
                self.month(cal, f, &l.from);
            }
        }
    }

    /// Checks the ids a file declares, then that none is declared twice.
    fn ids<'a>(&mut self, f: &SourceFile, what: &str, ids: impl Iterator<Item = &'a str> + Clone) {
        for id in ids.clone() {
            self.id(f, what, id);
        }
        self.dup_ids(f, what, ids);
    }

    fn dup_ids<'a>(&mut self, f: &SourceFile, what: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids {
            let n = seen.entry(id).or_insert(0);
            *n += 1;
            if *n == 2 {
                self.report(
                    f,
                    Some("id"),
                    id,
                    1,
                    format!("duplicate {what} id \"{id}\""),
                    "every id must be unique; rename one of them",
                );
            }
        }
    }

    /// Reports an id that names nothing, suggesting the nearest known one:
    /// `unknown person "li_gnag"` / `people are listed in …; did you mean …`.
    fn unknown<'a>(
        &mut self,
        f: &SourceFile,
        key: Option<&str>,
        what: &str,
        id: &str,
        known: impl Iterator<Item = &'a str>,
        listed: &str,
    ) {
        let near = nearest(id, known);
        self.report(
            f,
            key,
            id,
            0,
            format!("unknown {what} \"{id}\""),
            &format!("{listed}{near}"),
        );
    }

    fn sources(&mut self, f: &SourceFile, lib_sources: &BTreeSet<String>, ids: &[String]) {
        for s in ids {
            if !lib_sources.contains(s) {
                self.unknown(
                    f,
                    None,
                    "source",
                    s,
                    lib_sources.iter().map(String::as_str),
                    "sources are listed in assets/sources.ron",
                );
            }
        }
    }

    fn month(&mut self, cal: &Calendar, f: &SourceFile, id: &str) -> Option<MonthIdx> {
        let m = cal.parse_id(id);
        if m.is_none() {
            self.report(
                f,
                None,
                id,
                0,
                format!("\"{id}\" is not a month of the calendar (Xuanhe 4 – Jianyan 1, 1122–1127)"),
                "write era-year-month in lower case, with L before a leap month: \"xuanhe-5-6\", \"jingkang-1-L11\"",
            );
        }
        m
    }

    fn date_in_month(
        &mut self,
        cal: &Calendar,
        f: &SourceFile,
        date: &str,
        month: Option<MonthIdx>,
    ) {
        let Some(spec) = DateSpec::parse(date) else {
            self.report(
                f,
                None,
                date,
                0,
                format!("\"{date}\" is not a Julian date"),
                "write YYYY-MM-DD, or YYYY-MM when only the month is known",
            );
            return;
        };
        if let Some(m) = month
            && !cal.spec_in_month(spec, m)
        {
            let mo = cal.month(m);
            self.report(
                f,
                None,
                date,
                0,
                format!(
                    "date {date} is not in {} ({} – {})",
                    mo.id, mo.first, mo.last
                ),
                "the Julian date must fall inside the month given beside it (see assets/calendar.ron)",
            );
        }
    }

    /// A recorded or disputed item, and a disputed one that gives both
    /// versions.
    fn certainty(
        &mut self,
        f: &SourceFile,
        id: &str,
        c: Certainty,
        sources: &[String],
        versions: &[Version],
    ) {
        self.claim(f, id, c, sources);
        if c == Certainty::Disputed && versions.len() < 2 {
            self.report(
                f,
                Some("id"),
                id,
                0,
                format!("\"{id}\" is disputed but does not give both versions"),
                "add `versions: [Version(says: ..., sources: [...]), Version(...)]` with each source's account",
            );
        }
    }

    /// An item that claims to be history cites its sources. (Items with no
    /// `versions` field give both versions in their text.)
    fn claim(&mut self, f: &SourceFile, id: &str, c: Certainty, sources: &[String]) {
        if c != Certainty::Invented && sources.is_empty() {
            self.report(
                f,
                Some("id"),
                id,
                0,
                format!("\"{id}\" is labelled {} but cites no source", c.label()),
                "add source ids (assets/sources.ron), or label it Invented if it is invented for play",
            );
        }
    }
}

fn nearest<'a>(word: &str, options: impl Iterator<Item = &'a str>) -> String {
    if word.len() > super::MAX_ID_CHARS {
        return String::new();
    }
    // The distance is at least the difference in length: only near lengths
    // are compared, so a long list costs little.
    let best = options
        .filter(|o| o.len().abs_diff(word.len()) <= 3)
        .map(|o| (strsim::levenshtein(word, o), o))
        .min_by_key(|(d, o)| (*d, o.to_owned()));
    match best {
        Some((d, o)) if d <= 3 => format!("; did you mean \"{o}\"?"),
        _ => String::new(),
    }
}

fn take_file<'a>(
    ctx: &mut Ctx,
    files: &'a [SourceFile],
    name: &str,
    required: bool,
) -> Option<&'a SourceFile> {
    let f = find(files, name);
    if f.is_none() && required {
        ctx.problems
            .push(Problem::unreadable(name, format!("{name} is missing")));
    }
    f
}

fn parse_into<T: serde::de::DeserializeOwned>(ctx: &mut Ctx, f: Option<&SourceFile>) -> Option<T> {
    let f = f?;
    match parse::<T>(f) {
        Ok(v) => Some(v),
        Err(p) => {
            ctx.problems.push(p);
            None
        }
    }
}

pub(super) fn library(assets: &[SourceFile]) -> Result<Library, Problems> {
    let mut ctx = Ctx::new();
    let cal_f = take_file(&mut ctx, assets, "calendar.ron", true);
    let src_f = take_file(&mut ctx, assets, "sources.ron", true);
    let ppl_f = take_file(&mut ctx, assets, "people.ron", true);
    let plc_f = take_file(&mut ctx, assets, "places.ron", true);
    let glo_f = take_file(&mut ctx, assets, "glossary.ron", true);
    let tl_f = take_file(&mut ctx, assets, "timeline.ron", true);
    let rules_f = take_file(&mut ctx, assets, "rules.ron", true);
    let rules: Option<Rules> = parse_into(&mut ctx, rules_f);
    let cal: Option<model::Calendar> = parse_into(&mut ctx, cal_f);
    let sources: Option<model::Sources> = parse_into(&mut ctx, src_f);
    let people: Option<model::People> = parse_into(&mut ctx, ppl_f);
    let places: Option<model::Places> = parse_into(&mut ctx, plc_f);
    let glossary: Option<model::Glossary> = parse_into(&mut ctx, glo_f);
    let timeline: Option<model::Timeline> = parse_into(&mut ctx, tl_f);
    let (
        Some(cal),
        Some(sources),
        Some(people),
        Some(places),
        Some(glossary),
        Some(timeline),
        Some(cal_f),
        Some(src_f),
        Some(ppl_f),
        Some(plc_f),
        Some(glo_f),
        Some(tl_f),
        Some(rules),
        Some(rules_f),
    ) = (
        cal, sources, people, places, glossary, timeline, cal_f, src_f, ppl_f, plc_f, glo_f, tl_f,
        rules, rules_f,
    )
    else {
        return Err(Problems(ctx.problems));
    };
    let calendar = match Calendar::from_file(&cal) {
        Ok(c) => c,
        Err(e) => {
            ctx.problems
                .push(Problem::whole(cal_f, e.to_string(), None));
            return Err(Problems(ctx.problems));
        }
    };
    for src in &sources.sources {
        if !super::is_source_id(&src.id) {
            ctx.report(
                src_f,
                Some("id"),
                &src.id,
                0,
                format!("source id {} is not a valid source id", quoted(&src.id)),
                "source ids are letters, digits, `_`, `.` and `-`, starting with a letter or digit, at most 80 characters: \"SS-472\", \"Ebrey-2014\"",
            );
        }
    }
    ctx.dup_ids(
        src_f,
        "source",
        sources.sources.iter().map(|s| s.id.as_str()),
    );
    let source_ids: BTreeSet<String> = sources.sources.iter().map(|s| s.id.clone()).collect();

    ctx.ids(ppl_f, "person", people.people.iter().map(|p| p.id.as_str()));
    for p in &people.people {
        ctx.sources(ppl_f, &source_ids, &p.sources);
        ctx.claim(ppl_f, &p.id, p.certainty, &p.sources);
        for o in &p.offices {
            let from = ctx.month(&calendar, ppl_f, &o.from);
            let until = ctx.month(&calendar, ppl_f, &o.until);
            if let (Some(a), Some(b)) = (from, until)
                && b < a
            {
                ctx.report(
                    ppl_f,
                    Some("until"),
                    &o.until,
                    0,
                    format!(
                        "{}'s office {} ends before it begins",
                        p.id,
                        quoted(&o.title)
                    ),
                    "`until` is the same month as `from` or later",
                );
            }
        }
        ctx.later(&calendar, ppl_f, &p.later);
    }
    for p in &places.places {
        ctx.later(&calendar, plc_f, &p.later);
    }
    for t in &glossary.terms {
        ctx.later(&calendar, glo_f, &t.later);
    }
    ctx.ids(plc_f, "place", places.places.iter().map(|p| p.id.as_str()));
    for p in &places.places {
        if !(15.0..=55.0).contains(&p.lat) || !(95.0..=140.0).contains(&p.lon) {
            ctx.report(
                plc_f,
                Some("id"),
                &p.id,
                0,
                format!("{} lies at {}, {}: outside China", p.id, p.lat, p.lon),
                "lat is north (15–55), lon is east (95–140), in decimal degrees",
            );
        }
    }
    ctx.ids(glo_f, "term", glossary.terms.iter().map(|t| t.id.as_str()));
    for t in &glossary.terms {
        ctx.sources(glo_f, &source_ids, &t.sources);
    }
    ctx.ids(
        tl_f,
        "timeline",
        timeline
            .entries
            .iter()
            .map(|e| e.id.as_str())
            .chain(timeline.milestones.iter().map(|m| m.id.as_str())),
    );
    let mut entry_months = Vec::new();
    for e in &timeline.entries {
        let m = ctx.month(&calendar, tl_f, &e.month);
        entry_months.push(m.unwrap_or(MonthIdx(0)));
        ctx.date_in_month(&calendar, tl_f, &e.date, m);
        ctx.sources(tl_f, &source_ids, &e.sources);
        ctx.certainty(tl_f, &e.id, e.certainty, &e.sources, &e.versions);
        for v in &e.versions {
            ctx.sources(tl_f, &source_ids, &v.sources);
        }
    }
    let mut milestone_months = BTreeMap::new();
    for m in &timeline.milestones {
        let month = m
            .month
            .as_ref()
            .and_then(|id| ctx.month(&calendar, tl_f, id));
        if !m.date.is_empty() {
            ctx.date_in_month(&calendar, tl_f, &m.date, month);
        }
        ctx.sources(tl_f, &source_ids, &m.sources);
        milestone_months.insert(m.id.clone(), month);
    }
    check_rules(&mut ctx, rules_f, &rules, &source_ids, &places);
    if !ctx.problems.is_empty() {
        return Err(Problems(ctx.problems));
    }
    Ok(Library {
        rules,
        calendar,
        sources: sources
            .sources
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect(),
        people: people
            .people
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect(),
        places: places
            .places
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect(),
        glossary: glossary.terms,
        timeline,
        milestone_months,
        entry_months,
    })
}

/// Checks the rules file: its version, its sources, and that every place it
/// names exists.
fn check_rules(
    ctx: &mut Ctx,
    f: &SourceFile,
    rules: &Rules,
    source_ids: &BTreeSet<String>,
    places: &model::Places,
) {
    if rules.version != RULES_VERSION {
        ctx.report(
            f,
            Some("version"),
            &rules.version.to_string(),
            0,
            format!(
                "the rules file is version {}, but this program's model is version {RULES_VERSION}",
                rules.version
            ),
            "the mechanisms changed: update the rules file with the program, and set its version",
        );
    }
    let mut all_sources: Vec<&Vec<String>> = vec![
        &rules.seasons.sources,
        &rules.contest.sources,
        &rules.march.sources,
        &rules.battle.sources,
        &rules.siege.sources,
        &rules.supply.sources,
        &rules.waver.sources,
        &rules.flight.sources,
    ];
    all_sources.extend(rules.kinds.values().map(|k| &k.sources));
    all_sources.extend(rules.edges.values().map(|e| &e.sources));
    all_sources.extend(rules.scores.values().map(|s| &s.sources));
    for ids in all_sources {
        ctx.sources(f, source_ids, ids);
    }
    let known: BTreeSet<&str> = places.places.iter().map(|p| p.id.as_str()).collect();
    let mut named: Vec<&str> = rules.places.keys().map(String::as_str).collect();
    for s in rules.scores.values() {
        for t in &s.terms {
            match &t.of {
                Quantity::StrengthNear(_, p) | Quantity::Garrison(_, p) | Quantity::Holds(_, p) => {
                    named.push(p);
                }
                Quantity::Garrisons(_, ps) => named.extend(ps.iter().map(|p| p.as_str())),
                Quantity::Season(season)
                    if !["winter", "summer", "autumn"].contains(&season.as_str()) =>
                {
                    ctx.report(
                        f,
                        None,
                        season,
                        0,
                        format!("unknown season \"{season}\""),
                        "seasons are \"winter\", \"summer\" and \"autumn\"",
                    );
                }
                _ => {}
            }
        }
    }
    for p in named {
        if !known.contains(p) {
            ctx.unknown(
                f,
                None,
                "place",
                p,
                known.iter().copied(),
                "places are listed in assets/places.ron",
            );
        }
    }
    // A garrison fights with its court's kind: an unknown one would give
    // every garrison no power at all.
    for k in rules.siege.garrison_kind.values() {
        if !rules.kinds.contains(*k) {
            ctx.unknown(
                f,
                Some("garrison_kind"),
                "army kind",
                k,
                rules.kinds.keys().map(Id::as_str),
                "army kinds are listed in assets/rules.ron under kinds",
            );
        }
    }
    if rules.contest.max_pct > 100 || rules.contest.min_pct > rules.contest.max_pct {
        ctx.report(
            f,
            Some("max_pct"),
            &rules.contest.max_pct.to_string(),
            0,
            "contest bounds must satisfy 0 ≤ min_pct ≤ max_pct ≤ 100".into(),
            "set min_pct and max_pct as percentages",
        );
    }
}

/// What the scenario's effects can bring about, for reachability checks.
#[derive(Default)]
struct Reach {
    flags: BTreeSet<Id>,
    milestones: BTreeSet<Id>,
    holds: BTreeSet<(Court, Id)>,
    sieges: BTreeSet<Id>,
}

struct Refs<'a> {
    lib: &'a Library,
    in_play: BTreeSet<&'a str>,
    decisions: BTreeMap<&'a str, &'a Decision>,
    armies: BTreeSet<&'a str>,
}

impl Refs<'_> {
    fn person(&self, ctx: &mut Ctx, f: &SourceFile, id: &str) {
        if !self.lib.people.contains_key(id) {
            let known = self.lib.people.keys().map(String::as_str);
            ctx.unknown(
                f,
                None,
                "person",
                id,
                known,
                "people are listed in assets/people.ron",
            );
        }
    }
    fn place(&self, ctx: &mut Ctx, f: &SourceFile, id: &str) {
        if !self.lib.places.contains_key(id) {
            let known = self.lib.places.keys().map(String::as_str);
            ctx.unknown(
                f,
                None,
                "place",
                id,
                known,
                "places are listed in assets/places.ron",
            );
        }
    }
    fn place_in_play(&self, ctx: &mut Ctx, f: &SourceFile, id: &str) {
        if !self.lib.places.contains_key(id) {
            self.place(ctx, f, id);
        } else if !self.in_play.contains(id) {
            ctx.report(
                f,
                None,
                id,
                0,
                format!("place \"{id}\" is not in play in this scenario"),
                "add it to state.places in scenario.ron with its holder, garrison, walls and food",
            );
        }
    }
    fn milestone(&self, ctx: &mut Ctx, f: &SourceFile, id: &str) {
        if !self.lib.milestone_months.contains_key(id) {
            let known = self.lib.milestone_months.keys().map(String::as_str);
            ctx.unknown(
                f,
                None,
                "milestone",
                id,
                known,
                "milestones are listed in assets/timeline.ron",
            );
        }
    }
    fn army(&self, ctx: &mut Ctx, f: &SourceFile, id: &str) {
        if !self.armies.contains(id) {
            ctx.report(
                f,
                None,
                id,
                0,
                format!("unknown army \"{id}\""),
                "armies are declared in scenario.ron under state.armies",
            );
        }
    }

    fn cond(&self, ctx: &mut Ctx, f: &SourceFile, c: &Cond) {
        match c {
            Cond::Always | Cond::Gauge(..) => {}
            Cond::Flag(flag) | Cond::NoFlag(flag) | Cond::Since(flag, _) => {
                ctx.id(f, "flag", flag);
            }
            Cond::Chose(d, o) => match self.decisions.get(d.as_str()) {
                None => {
                    let known = self.decisions.keys().copied();
                    ctx.unknown(
                        f,
                        None,
                        "decision",
                        d,
                        known,
                        "decisions are listed in decisions.ron",
                    );
                }
                Some(dec) => {
                    if !dec.options.iter().any(|x| &x.id == o) {
                        ctx.report(
                            f,
                            None,
                            o,
                            0,
                            format!("decision \"{d}\" has no option \"{o}\""),
                            &format!(
                                "its options are: {}",
                                dec.options
                                    .iter()
                                    .map(|x| x.id.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        );
                    }
                }
            },
            Cond::Holds(_, p) | Cond::Besieged(p) => self.place_in_play(ctx, f, p),
            Cond::Reached(m) => self.milestone(ctx, f, m),
            Cond::Score(n, ..) => self.score(ctx, f, n),
            Cond::Active(a) | Cond::Serves(a, _) | Cond::South(a) | Cond::Beaten(a) => {
                self.army(ctx, f, a);
            }
            Cond::Fate(p, _) => self.person(ctx, f, p),
            Cond::At(a, p) => {
                self.army(ctx, f, a);
                self.place_in_play(ctx, f, p);
            }
            Cond::Seat(_, p) => self.place_in_play(ctx, f, p),
            Cond::From(m) | Cond::Before(m) => {
                ctx.month(&self.lib.calendar, f, m);
            }
            Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| self.cond(ctx, f, c)),
            Cond::Not(c) => self.cond(ctx, f, c),
        }
    }

    fn effects(&self, ctx: &mut Ctx, f: &SourceFile, effects: &[Effect], reach: &mut Reach) {
        for e in effects {
            self.effect(ctx, f, e, reach);
        }
    }

    fn effect(&self, ctx: &mut Ctx, f: &SourceFile, e: &Effect, reach: &mut Reach) {
        match e {
            Effect::Add(_, g, v) => {
                ctx.range(f, "a gauge change", i64::from(*v), -100, 100);
                if *g == model::Gauge::Grievance {
                    ctx.report(f, None, "Grievance", 0, "the Grievance gauge is the sum of named grievances and cannot be changed with Add".into(), "use Grievance(by: ..., id: ..., weight: ..., text: ...) instead");
                }
            }
            Effect::Set(flag) => {
                ctx.id(f, "flag", flag);
                reach.flags.insert(*flag);
            }
            Effect::Clear(flag) => {
                ctx.id(f, "flag", flag);
            }
            Effect::Chronicle(_) => {}
            Effect::Grievance { id, weight, .. } => {
                ctx.id(f, "grievance", id);
                ctx.range(f, "a grievance's weight", i64::from(*weight), 0, 100);
            }
            Effect::Chance {
                percent,
                then,
                otherwise,
            } => {
                if *percent > 100 {
                    ctx.report(
                        f,
                        None,
                        "percent",
                        0,
                        format!("a chance of {percent}% is impossible"),
                        "percent is 0–100",
                    );
                }
                self.effects(ctx, f, then, reach);
                self.effects(ctx, f, otherwise, reach);
            }
            Effect::If {
                when,
                then,
                otherwise,
            } => {
                self.cond(ctx, f, when);
                self.effects(ctx, f, then, reach);
                self.effects(ctx, f, otherwise, reach);
            }
            Effect::Later {
                when,
                effects,
                months,
                ..
            } => {
                ctx.range(f, "months ahead", i64::from(*months), 0, 120);
                if *months == 0 {
                    ctx.report(
                        f,
                        None,
                        "months",
                        0,
                        "a Later effect must be at least 1 month ahead".into(),
                        "use the effect directly for this month",
                    );
                }
                self.cond(ctx, f, when);
                self.effects(ctx, f, effects, reach);
            }
            Effect::Milestone(m) => {
                self.milestone(ctx, f, m);
                reach.milestones.insert(*m);
            }
            Effect::Take(c, p) => {
                self.place_in_play(ctx, f, p);
                reach.holds.insert((*c, *p));
            }
            Effect::Siege(p, on) => {
                self.place_in_play(ctx, f, p);
                if *on {
                    reach.sieges.insert(*p);
                }
            }
            Effect::Garrison(p, v) | Effect::Food(p, v) | Effect::Walls(p, v) => {
                ctx.range(f, "a change to a place", i64::from(*v), -1000, 1000);
                self.place_in_play(ctx, f, p);
            }
            Effect::Army {
                army,
                strength,
                morale,
            } => {
                ctx.range(f, "a change of strength", i64::from(*strength), -1000, 1000);
                ctx.range(f, "a change of morale", i64::from(*morale), -100, 100);
                self.army(ctx, f, army);
            }
            Effect::Defect(army, _) => self.army(ctx, f, army),
            Effect::March(army, route) => {
                self.army(ctx, f, army);
                for p in route {
                    self.place_in_play(ctx, f, p);
                }
            }
            Effect::Fate(p, _) => self.person(ctx, f, p),
            Effect::Raise(a) | Effect::Disband(a) | Effect::Withdraw(a) | Effect::Orders(a, _) => {
                self.army(ctx, f, a);
            }
            Effect::Base(a, p) => {
                self.army(ctx, f, a);
                self.place_in_play(ctx, f, p);
            }
            Effect::Battle {
                attacker,
                defender,
                edges,
                won,
                lost,
                ..
            } => {
                self.army(ctx, f, attacker);
                self.army(ctx, f, defender);
                self.edges(ctx, f, edges);
                self.effects(ctx, f, won, reach);
                self.effects(ctx, f, lost, reach);
            }
            Effect::Storm {
                place,
                edges,
                won,
                lost,
            } => {
                self.place_in_play(ctx, f, place);
                self.edges(ctx, f, edges);
                reach.holds.insert((Court::Jin, *place));
                reach.holds.insert((Court::Song, *place));
                self.effects(ctx, f, won, reach);
                self.effects(ctx, f, lost, reach);
            }
            Effect::Waver { army, turned, held } => {
                self.army(ctx, f, army);
                self.effects(ctx, f, turned, reach);
                self.effects(ctx, f, held, reach);
            }
            Effect::Flee {
                to,
                escaped,
                overtaken,
                mutiny,
                ..
            } => {
                self.place_in_play(ctx, f, to);
                self.effects(ctx, f, escaped, reach);
                self.effects(ctx, f, overtaken, reach);
                self.effects(ctx, f, mutiny, reach);
            }
            Effect::SetSeat(_, p) => self.place_in_play(ctx, f, p),
            Effect::Edge(target, edge, _) => {
                if !self.armies.contains(target.as_str()) && !self.in_play.contains(target.as_str())
                {
                    ctx.report(
                        f,
                        None,
                        target,
                        0,
                        format!("\"{target}\" is neither an army nor a place in play"),
                        "an edge is carried by an army (state.armies) or a place's garrison (state.places)",
                    );
                }
                self.edges(ctx, f, std::slice::from_ref(edge));
            }
        }
    }

    fn score(&self, ctx: &mut Ctx, f: &SourceFile, name: &str) {
        if !self.lib.rules.scores.contains_key(name) {
            let known = self.lib.rules.scores.keys().map(String::as_str);
            ctx.unknown(
                f,
                None,
                "score",
                name,
                known,
                "scores are listed in assets/rules.ron under scores",
            );
        }
    }

    fn edges(&self, ctx: &mut Ctx, f: &SourceFile, edges: &[Id]) {
        for e in edges {
            let name = e.strip_prefix("defender:").unwrap_or(e);
            if !self.lib.rules.edges.contains_key(name) {
                let known = self.lib.rules.edges.keys().map(String::as_str);
                ctx.unknown(
                    f,
                    None,
                    "edge",
                    name,
                    known,
                    "edges are listed in assets/rules.ron under edges",
                );
            }
        }
    }
}

/// The flags a condition reads.
fn cond_flags<'a>(c: &'a Cond, out: &mut Vec<&'a str>) {
    match c {
        Cond::Flag(f) | Cond::NoFlag(f) | Cond::Since(f, _) => out.push(f),
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| cond_flags(c, out)),
        Cond::Not(c) => cond_flags(c, out),
        _ => {}
    }
}

/// The flags effects set, and the flags their conditions read.
fn effect_flags<'a>(effects: &'a [Effect], sets: &mut Vec<&'a str>, reads: &mut Vec<&'a str>) {
    for e in effects {
        match e {
            Effect::Set(f) => sets.push(f),
            Effect::If {
                when,
                then,
                otherwise,
            } => {
                cond_flags(when, reads);
                effect_flags(then, sets, reads);
                effect_flags(otherwise, sets, reads);
            }
            Effect::Chance {
                then, otherwise, ..
            } => {
                effect_flags(then, sets, reads);
                effect_flags(otherwise, sets, reads);
            }
            Effect::Later { when, effects, .. } => {
                cond_flags(when, reads);
                effect_flags(effects, sets, reads);
            }
            Effect::Battle { won, lost, .. } | Effect::Storm { won, lost, .. } => {
                effect_flags(won, sets, reads);
                effect_flags(lost, sets, reads);
            }
            Effect::Waver { turned, held, .. } => {
                effect_flags(turned, sets, reads);
                effect_flags(held, sets, reads);
            }
            Effect::Flee {
                escaped,
                overtaken,
                mutiny,
                ..
            } => {
                effect_flags(escaped, sets, reads);
                effect_flags(overtaken, sets, reads);
                effect_flags(mutiny, sets, reads);
            }
            _ => {}
        }
    }
}

/// Every flag set must be read by something, and every flag read must be
/// set by something: an effect, the starting state, the model's own rules,
/// or (for a chapter checked alone) the chapter's `flags_in` / `flags_out`.
#[expect(
    clippy::too_many_arguments,
    reason = "the files of one assembled scenario, passed as they are"
)]
fn check_flags(
    ctx: &mut Ctx,
    library: &Library,
    scen_f: &SourceFile,
    meta: &model::ScenarioFile,
    ev_files: &[(SourceFile, Vec<Event>)],
    dec_files: &[(SourceFile, Vec<Decision>)],
    end_f: &SourceFile,
    endings: &[model::Ending],
) {
    // flag -> the first file that sets / reads it
    let mut set_at: BTreeMap<&str, &SourceFile> = BTreeMap::new();
    let mut read_at: BTreeMap<&str, &SourceFile> = BTreeMap::new();
    fn note<'a>(
        set_at: &mut BTreeMap<&'a str, &'a SourceFile>,
        read_at: &mut BTreeMap<&'a str, &'a SourceFile>,
        f: &'a SourceFile,
        sets: Vec<&'a str>,
        reads: Vec<&'a str>,
    ) {
        for x in sets {
            set_at.entry(x).or_insert(f);
        }
        for x in reads {
            read_at.entry(x).or_insert(f);
        }
    }
    for (f, list) in ev_files {
        for e in list {
            let (mut sets, mut reads) = (Vec::new(), Vec::new());
            cond_flags(&e.when, &mut reads);
            effect_flags(&e.effects, &mut sets, &mut reads);
            note(&mut set_at, &mut read_at, f, sets, reads);
        }
    }
    for (f, list) in dec_files {
        for d in list {
            let (mut sets, mut reads) = (Vec::new(), Vec::new());
            cond_flags(&d.available, &mut reads);
            for o in &d.options {
                effect_flags(&o.effects, &mut sets, &mut reads);
                for w in &o.weigh {
                    cond_flags(&w.when, &mut reads);
                }
            }
            note(&mut set_at, &mut read_at, f, sets, reads);
        }
    }
    for e in endings {
        let mut reads = Vec::new();
        cond_flags(&e.when, &mut reads);
        note(&mut set_at, &mut read_at, end_f, Vec::new(), reads);
    }
    let mut set_elsewhere: BTreeSet<&str> = meta.state.flags.iter().map(|f| f.as_str()).collect();
    set_elsewhere.extend(meta.flags_in.iter().map(String::as_str));
    set_elsewhere.extend(super::rules::MODEL_FLAGS);
    let mut read_elsewhere: BTreeSet<&str> = meta.flags_out.iter().map(String::as_str).collect();
    for score in library.rules.scores.values() {
        for t in &score.terms {
            if let Quantity::Flag(f) = &t.of {
                read_elsewhere.insert(f);
            }
        }
    }
    for flag in &meta.state.flags {
        set_at.entry(flag).or_insert(scen_f);
    }
    for (flag, f) in &set_at {
        if !read_at.contains_key(flag) && !read_elsewhere.contains(flag) {
            ctx.report(
                f,
                None,
                flag,
                0,
                format!("flag \"{flag}\" is set but nothing reads it"),
                "read it in a condition (an event's `when`, a decision's `available` or weighing, an ending), or remove it; a chapter that hands it on to a later chapter lists it in `flags_out`",
            );
        }
    }
    for (flag, f) in &read_at {
        if !set_at.contains_key(flag) && !set_elsewhere.contains(flag) {
            ctx.report(
                f,
                None,
                flag,
                0,
                format!("flag \"{flag}\" is read but nothing sets it"),
                "set it with `Set(\"...\")` where it comes about, or remove the condition; a chapter that receives it from an earlier chapter lists it in `flags_in`",
            );
        }
    }
}

/// Reports ids that occur twice across several files, at the second
/// occurrence.
fn dup_across<'a>(
    ctx: &mut Ctx,
    what: &str,
    files: impl Iterator<Item = (&'a SourceFile, Vec<&'a str>)>,
) {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (f, ids) in files {
        let mut here: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids {
            let n = here.entry(id).or_insert(0);
            if !seen.insert(id) {
                ctx.report(
                    f,
                    Some("id"),
                    id,
                    *n,
                    format!("duplicate {what} id \"{id}\""),
                    "every id must be unique (across included scenarios too); rename one of them",
                );
            }
            *n += 1;
        }
    }
}

/// Why a condition can never hold, if it cannot.
fn unreachable(
    c: &Cond,
    reach: &Reach,
    start: MonthIdx,
    end: MonthIdx,
    cal: &Calendar,
) -> Option<String> {
    match c {
        Cond::Always
        | Cond::NoFlag(_)
        | Cond::Chose(..)
        | Cond::Score(..)
        | Cond::Active(_)
        | Cond::Serves(..)
        | Cond::South(_)
        | Cond::Beaten(_)
        | Cond::Since(..)
        | Cond::Fate(..)
        | Cond::At(..)
        | Cond::Seat(..) => None,
        Cond::Flag(f) => (!reach.flags.contains(f))
            .then(|| format!("flag \"{f}\" is never set by any effect or at the start")),
        Cond::Reached(m) => (!reach.milestones.contains(m))
            .then(|| format!("milestone \"{m}\" is never reached by any effect")),
        Cond::Holds(court, p) => (!reach.holds.contains(&(*court, *p)))
            .then(|| format!("{} never holds \"{p}\"", court.name())),
        Cond::Besieged(p) => {
            (!reach.sieges.contains(p)).then(|| format!("no effect ever besieges \"{p}\""))
        }
        Cond::Gauge(court, g, cmp, v) => {
            let impossible = match cmp {
                Cmp::Ge => *v > 100,
                Cmp::Gt => *v >= 100,
                Cmp::Le => *v < 0,
                Cmp::Lt => *v <= 0,
            };
            impossible.then(|| {
                format!(
                    "{} {g:?} is always 0–100, so {cmp:?} {v} can never hold",
                    court.name()
                )
            })
        }
        Cond::From(m) => cal
            .parse_id(m)
            .filter(|m| *m > end)
            .map(|_| format!("month {m} is after the scenario ends")),
        Cond::Before(m) => cal
            .parse_id(m)
            .filter(|m| *m <= start)
            .map(|_| format!("month {m} is not after the scenario starts")),
        Cond::All(cs) => {
            for c in cs {
                if let Some(why) = unreachable(c, reach, start, end, cal) {
                    return Some(why);
                }
            }
            let unset: BTreeSet<&str> = cs
                .iter()
                .filter_map(|c| match c {
                    Cond::NoFlag(g) => Some(g.as_str()),
                    _ => None,
                })
                .collect();
            cs.iter().find_map(|c| match c {
                Cond::Flag(f) if unset.contains(f.as_str()) => Some(format!(
                    "it requires flag {} both set and not set",
                    quoted(f)
                )),
                _ => None,
            })
        }
        Cond::Any(cs) => {
            let whys: Vec<String> = cs
                .iter()
                .filter_map(|c| unreachable(c, reach, start, end, cal))
                .collect();
            (whys.len() == cs.len()).then(|| {
                if whys.is_empty() {
                    "Any([]) never holds".to_owned()
                } else {
                    whys.join("; and ")
                }
            })
        }
        Cond::Not(inner) => {
            matches!(**inner, Cond::Always).then(|| "Not(Always) never holds".to_owned())
        }
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one pass over the scenario, in file order; splitting it would scatter the checks"
)]
pub(super) fn scenario(
    library: Arc<Library>,
    assets: &[SourceFile],
    files: &[SourceFile],
    includes: &super::Includes<'_>,
) -> Result<Scenario, Problems> {
    let mut ctx = Ctx::new();
    let scen_f = take_file(&mut ctx, files, "scenario.ron", true);
    let ev_f = take_file(&mut ctx, files, "events.ron", true);
    let dec_f = take_file(&mut ctx, files, "decisions.ron", true);
    let end_f = take_file(&mut ctx, files, "endings.ron", true);
    let meta: Option<model::ScenarioFile> = parse_into(&mut ctx, scen_f);
    let events: Option<model::EventsFile> = parse_into(&mut ctx, ev_f);
    let decisions: Option<model::DecisionsFile> = parse_into(&mut ctx, dec_f);
    let endings: Option<model::EndingsFile> = parse_into(&mut ctx, end_f);
    let (
        Some(meta),
        Some(events),
        Some(decisions),
        Some(endings),
        Some(scen_f),
        Some(ev_f),
        Some(dec_f),
        Some(end_f),
    ) = (meta, events, decisions, endings, scen_f, ev_f, dec_f, end_f)
    else {
        return Err(Problems(ctx.problems));
    };
    ctx.id(scen_f, "scenario", &meta.id);
    // Included chapters first, in order, then this scenario's own files.
    let mut ev_files: Vec<(SourceFile, Vec<Event>)> = Vec::new();
    let mut dec_files: Vec<(SourceFile, Vec<Decision>)> = Vec::new();
    let mut included: Vec<(String, Vec<SourceFile>)> = Vec::new();
    for include in &meta.includes {
        let inc = &include.id;
        if !ctx.id(scen_f, "included scenario", inc) {
            continue;
        }
        if included.iter().any(|(i, _)| i == inc) || *inc == meta.id {
            ctx.report(
                scen_f,
                Some("id"),
                inc,
                0,
                format!(
                    "scenario {} is included twice (or includes itself)",
                    quoted(inc)
                ),
                "include each chapter once",
            );
            continue;
        }
        let inc_files = match includes(inc) {
            None => {
                ctx.report(
                    scen_f,
                    None,
                    inc,
                    0,
                    format!("included scenario {} does not exist", quoted(inc)),
                    &format!(
                        "a folder of that name beside this one, or an embedded scenario: {}",
                        super::scenario_ids().join(", ")
                    ),
                );
                continue;
            }
            Some(Err(p)) => {
                ctx.problems.extend(p.0);
                continue;
            }
            Some(Ok(f)) => f,
        };
        if let Some(f) = find(&inc_files, "events.ron")
            && let Some(e) = parse_into::<model::EventsFile>(&mut ctx, Some(f))
        {
            ev_files.push((f.clone(), e.events));
        }
        if let Some(f) = find(&inc_files, "decisions.ron")
            && let Some(d) = parse_into::<model::DecisionsFile>(&mut ctx, Some(f))
        {
            dec_files.push((f.clone(), d.decisions));
        }
        included.push((inc.clone(), inc_files));
    }
    ev_files.push((ev_f.clone(), events.events));
    dec_files.push((dec_f.clone(), decisions.decisions));
    let hash = super::content_hash(assets, files, &included);
    if !ctx.problems.is_empty() {
        return Err(Problems(ctx.problems));
    }
    let all_decisions: Vec<&Decision> = dec_files.iter().flat_map(|(_, l)| l.iter()).collect();
    let cal = &library.calendar;
    let source_ids: BTreeSet<String> = library.sources.keys().cloned().collect();

    // ---- scenario.ron
    let start = ctx.month(cal, scen_f, &meta.start).unwrap_or(MonthIdx(0));
    let end = ctx.month(cal, scen_f, &meta.end).unwrap_or(start);
    if end < start {
        ctx.report(
            scen_f,
            Some("end"),
            &meta.end,
            0,
            "the scenario ends before it starts".into(),
            "`end` must be the same month as `start` or later",
        );
    }
    if meta.playable.is_empty() {
        ctx.report(
            scen_f,
            Some("id"),
            &meta.id,
            0,
            "no court is playable".into(),
            "set `playable: [Song]`, `[Jin]` or `[Song, Jin]`",
        );
    }
    for m in &meta.milestones {
        if !library.milestone_months.contains_key(m) {
            let known = library.milestone_months.keys().map(String::as_str);
            ctx.unknown(
                scen_f,
                None,
                "milestone",
                m,
                known,
                "milestones are listed in assets/timeline.ron",
            );
        }
    }
    let armies: BTreeSet<&str> = meta.state.armies.iter().map(|a| a.id.as_str()).collect();
    let refs = Refs {
        lib: &library,
        in_play: meta.state.places.iter().map(|p| p.place.as_str()).collect(),
        decisions: all_decisions.iter().map(|d| (d.id.as_str(), *d)).collect(),
        armies,
    };
    let mut reach = Reach::default();
    for court in Court::ALL {
        match meta.state.courts.get(&court) {
            None => ctx.report(
                scen_f,
                Some("id"),
                &meta.id,
                0,
                format!("the starting state has no {} court", court.name()),
                "add it under state.courts",
            ),
            Some(c) => refs.person(&mut ctx, scen_f, &c.ruler),
        }
    }
    ctx.ids(
        scen_f,
        "army",
        meta.state.armies.iter().map(|a| a.id.as_str()),
    );
    for a in &meta.state.armies {
        refs.person(&mut ctx, scen_f, &a.commander);
        refs.place(&mut ctx, scen_f, &a.at);
        if let Some(h) = &a.home {
            refs.place(&mut ctx, scen_f, h);
        }
        if let Some(m) = &a.enters {
            ctx.month(cal, scen_f, m);
        }
        if !library.rules.kinds.contains(a.kind) {
            let known = library.rules.kinds.keys().map(Id::as_str);
            ctx.unknown(
                scen_f,
                Some("kind"),
                "army kind",
                &a.kind,
                known,
                "army kinds are listed in assets/rules.ron under kinds",
            );
        }
        ctx.range(scen_f, "an army's strength", i64::from(a.strength), 0, 1000);
        ctx.range(scen_f, "an army's morale", i64::from(a.morale), 0, 100);
    }
    for c in meta.state.courts.values() {
        for v in c.gauges.values() {
            ctx.range(scen_f, "a starting gauge", i64::from(*v), 0, 100);
        }
    }
    for flag in &meta.state.flags {
        ctx.id(scen_f, "flag", flag);
    }
    for g in &meta.state.grievances {
        ctx.id(scen_f, "grievance", &g.id);
        ctx.range(scen_f, "a grievance's weight", i64::from(g.weight), 0, 100);
    }
    let mut seen_places = BTreeSet::new();
    for p in &meta.state.places {
        refs.place(&mut ctx, scen_f, &p.place);
        ctx.range(scen_f, "a garrison", i64::from(p.garrison), 0, 1000);
        ctx.range(scen_f, "walls", i64::from(p.walls), 0, 100);
        ctx.range(scen_f, "food", i64::from(p.food), 0, 120);
        if !seen_places.insert(p.place.as_str()) {
            ctx.report(
                scen_f,
                Some("place"),
                &p.place,
                1,
                format!("place \"{}\" is listed twice", p.place),
                "list each place once",
            );
        }
        if let Some(h) = p.holder {
            reach.holds.insert((h, p.place));
            // A besieged or starving place can change hands in the war phase.
            reach.holds.insert((h.other(), p.place));
        }
        if p.besieged {
            reach.sieges.insert(p.place);
        }
    }
    for p in &meta.state.people {
        refs.person(&mut ctx, scen_f, &p.person);
        ctx.range(scen_f, "loyalty", i64::from(p.loyalty), 0, 100);
    }
    reach.flags.extend(meta.state.flags.iter().cloned());
    reach.flags.extend(meta.flags_in.iter().map(Id::from));
    reach
        .flags
        .extend(super::rules::MODEL_FLAGS.iter().map(|f| Id::new(f)));

    // ---- decisions.ron
    dup_across(
        &mut ctx,
        "decision",
        dec_files
            .iter()
            .map(|(f, l)| (f, l.iter().map(|d| d.id.as_str()).collect())),
    );
    for (dec_f, list) in &dec_files {
        for d in list {
            ctx.id(dec_f, "decision", &d.id);
            if !(2..=5).contains(&d.options.len()) {
                ctx.report(
                    dec_f,
                    Some("id"),
                    &d.id,
                    0,
                    format!("decision \"{}\" has {} options", d.id, d.options.len()),
                    "a decision has 2 to 5 options",
                );
            }
            let mut opts = BTreeSet::new();
            for o in &d.options {
                ctx.id(dec_f, "option", &o.id);
                ctx.range(
                    dec_f,
                    "an option's weight",
                    i64::from(o.weight),
                    -1000,
                    1000,
                );
                for w in &o.weigh {
                    ctx.range(dec_f, "a weight", i64::from(w.add), -1000, 1000);
                }
                if !opts.insert(o.id.as_str()) {
                    ctx.report(
                        dec_f,
                        Some("id"),
                        &o.id,
                        1,
                        format!("decision \"{}\" has two options \"{}\"", d.id, o.id),
                        "option ids must be unique within a decision",
                    );
                }
                refs.effects(&mut ctx, dec_f, &o.effects, &mut reach);
                for w in &o.weigh {
                    refs.cond(&mut ctx, dec_f, &w.when);
                    if let Some(n) = &w.score {
                        refs.score(&mut ctx, dec_f, n);
                    }
                }
            }
            refs.cond(&mut ctx, dec_f, &d.available);
            if d.advisors.len() < 2 {
                ctx.report(dec_f, Some("id"), &d.id, 0, format!("decision \"{}\" has {} advisor(s)", d.id, d.advisors.len()), "give every decision at least two advisors who argue what the record says they argued");
            }
            for a in &d.advisors {
                refs.person(&mut ctx, dec_f, &a.person);
                if !opts.contains(a.urges.as_str()) {
                    ctx.report(
                        dec_f,
                        Some("urges"),
                        &a.urges,
                        0,
                        format!(
                            "advisor {} urges \"{}\", which is not an option of \"{}\"",
                            a.person, a.urges, d.id
                        ),
                        &format!(
                            "options are: {}",
                            opts.iter().copied().collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
                ctx.sources(dec_f, &source_ids, &a.sources);
                if a.certainty != Certainty::Invented && a.sources.is_empty() {
                    ctx.report(
                        dec_f,
                        Some("person"),
                        &a.person,
                        0,
                        format!(
                            "advisor {}'s stance is labelled {} but cites no source",
                            a.person,
                            a.certainty.label()
                        ),
                        "add the source ids that record the stance, or label it Invented",
                    );
                }
            }
            match &d.recorded {
                None => {
                    if let Some(r) = &d.reference {
                        ctx.report(dec_f, Some("id"), &d.id, 0, format!("decision \"{}\" is the reference's {r} but has no recorded option", d.id), "add `recorded: Some(Recorded(option: ..., month: ..., date: ..., ...))` from the reference");
                    }
                }
                Some(r) => {
                    if !opts.contains(r.option.as_str()) {
                        ctx.report(
                            dec_f,
                            Some("option"),
                            &r.option,
                            0,
                            format!(
                                "the recorded option \"{}\" is not an option of \"{}\"",
                                r.option, d.id
                            ),
                            "name one of the decision's option ids",
                        );
                    }
                    let m = ctx.month(cal, dec_f, &r.month);
                    ctx.date_in_month(cal, dec_f, &r.date, m);
                    ctx.sources(dec_f, &source_ids, &r.sources);
                    ctx.certainty(dec_f, &d.id, r.certainty, &r.sources, &r.versions);
                }
            }
        }
    }

    // ---- events.ron
    dup_across(
        &mut ctx,
        "event",
        ev_files
            .iter()
            .map(|(f, l)| (f, l.iter().map(|e| e.id.as_str()).collect())),
    );
    let mut windows = Vec::new();
    let mut event_on = Vec::new();
    let mut put: BTreeSet<&str> = BTreeSet::new();
    for (ev_f, list) in &ev_files {
        for e in list {
            ctx.id(ev_f, "event", &e.id);
            let from = ctx.month(cal, ev_f, &e.from).unwrap_or(start);
            let until = ctx.month(cal, ev_f, &e.until).unwrap_or(from);
            if until < from {
                ctx.report(
                    ev_f,
                    Some("until"),
                    &e.until,
                    0,
                    format!("event \"{}\" ends before it begins", e.id),
                    "`until` must be the same month as `from` or later",
                );
            }
            if until < start || from > end {
                ctx.report(
                    ev_f,
                    Some("from"),
                    &e.from,
                    0,
                    format!(
                        "event \"{}\" falls outside the scenario ({} – {})",
                        e.id, meta.start, meta.end
                    ),
                    "move its window inside the scenario's months",
                );
            }
            windows.push((from, until));
            event_on.push(e.on.as_ref().and_then(|m| ctx.month(cal, ev_f, m)));
            refs.cond(&mut ctx, ev_f, &e.when);
            refs.effects(&mut ctx, ev_f, &e.effects, &mut reach);
            ctx.sources(ev_f, &source_ids, &e.sources);
            ctx.claim(ev_f, &e.id, e.certainty, &e.sources);
            if let Some(d) = &e.decision {
                if refs.decisions.contains_key(d.as_str()) {
                    put.insert(d.as_str());
                } else {
                    let known = refs.decisions.keys().copied();
                    ctx.unknown(
                        ev_f,
                        Some("decision"),
                        "decision",
                        d,
                        known,
                        "decisions are listed in decisions.ron",
                    );
                }
            }
        }
    }
    for (dec_f, list) in &dec_files {
        for d in list {
            if !put.contains(d.id.as_str()) {
                ctx.report(
                    dec_f,
                    Some("id"),
                    &d.id,
                    0,
                    format!("no event ever puts decision \"{}\" to a council", d.id),
                    "add `decision: Some(\"...\")` to the event that raises it",
                );
            }
        }
    }

    // ---- endings.ron
    ctx.ids(
        end_f,
        "ending",
        endings.endings.iter().map(|e| e.id.as_str()),
    );
    for e in &endings.endings {
        refs.cond(&mut ctx, end_f, &e.when);
        ctx.sources(end_f, &source_ids, &e.sources);
    }
    for (court, id) in &meta.recorded_ending {
        match endings.endings.iter().find(|e| &e.id == id) {
            None => ctx.report(
                scen_f,
                None,
                id,
                0,
                format!("unknown ending \"{id}\""),
                "name an ending from endings.ron",
            ),
            Some(e) if e.court != *court => ctx.report(
                scen_f,
                None,
                id,
                0,
                format!("ending \"{id}\" belongs to the {} court", e.court.name()),
                "the recorded ending of a court must be one of its own endings",
            ),
            Some(_) => {}
        }
    }
    for court in &meta.playable {
        if !meta.recorded_ending.contains_key(court) {
            ctx.report(
                scen_f,
                Some("id"),
                &meta.id,
                0,
                format!("no recorded ending is named for the {} court", court.name()),
                "add it to `recorded_ending`",
            );
        }
        if !endings
            .endings
            .iter()
            .any(|e| e.court == *court && matches!(e.when, Cond::Always))
        {
            ctx.report(
                end_f,
                None,
                "",
                0,
                format!(
                    "no {} ending is certain to match: a campaign could end with no ending",
                    court.name()
                ),
                &format!("add a last {} ending with `when: Always`", court.name()),
            );
        }
    }
    check_flags(
        &mut ctx,
        &library,
        scen_f,
        &meta,
        &ev_files,
        &dec_files,
        end_f,
        &endings.endings,
    );
    if ctx.problems.is_empty() {
        for e in &endings.endings {
            if let Some(why) = unreachable(&e.when, &reach, start, end, cal) {
                ctx.report(
                    end_f,
                    Some("id"),
                    &e.id,
                    0,
                    format!("ending \"{}\" can never be reached: {why}", e.id),
                    "change its condition, or add the effect that brings it about",
                );
            }
        }
    }
    if !ctx.problems.is_empty() {
        return Err(Problems(ctx.problems));
    }
    let events_by_month = Scenario::index_events(&windows, library.calendar.len());
    let events: Vec<Event> = ev_files.into_iter().flat_map(|(_, l)| l).collect();
    let late_events_by_month: Vec<Vec<u32>> = events_by_month
        .iter()
        .map(|m| {
            m.iter()
                .copied()
                .filter(|&i| events.get(i as usize).is_some_and(|e| e.late))
                .collect()
        })
        .collect();
    let geo = super::Geo::new(
        &library.places,
        &library.rules.places,
        crate::geo::km_between,
    );
    let decisions: BTreeMap<Id, Decision> = dec_files
        .into_iter()
        .flat_map(|(_, l)| l)
        .map(|d| (d.id, d))
        .collect();
    let mut decision_by_id = crate::id::IdMap::default();
    for (id, d) in &decisions {
        decision_by_id.insert(*id, d.clone());
    }
    Ok(Scenario {
        meta,
        library,
        start,
        end,
        events,
        events_by_month,
        late_events_by_month,
        geo,
        decision_by_id,
        event_windows: windows,
        event_on,
        decisions,
        endings: endings.endings,
        content_hash: hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_conditions_are_explained() {
        let reach = Reach {
            flags: [Id::new("a")].into(),
            ..Reach::default()
        };
        let cal = crate::content::embedded_calendar().expect("calendar");
        let s = MonthIdx(10);
        let e = MonthIdx(20);
        assert!(unreachable(&Cond::Flag("a".into()), &reach, s, e, &cal).is_none());
        assert!(unreachable(&Cond::Flag("b".into()), &reach, s, e, &cal).is_some());
        let both = Cond::All(vec![Cond::Flag("a".into()), Cond::NoFlag("a".into())]);
        assert!(unreachable(&both, &reach, s, e, &cal).is_some());
        let any = Cond::Any(vec![Cond::Flag("b".into()), Cond::Flag("a".into())]);
        assert!(unreachable(&any, &reach, s, e, &cal).is_none());
        let g = Cond::Gauge(Court::Song, model::Gauge::Morale, Cmp::Gt, 100);
        assert!(unreachable(&g, &reach, s, e, &cal).is_some());
    }
}
