//! `who`, `where` and `term`: fuzzy look-ups in the library, by pinyin,
//! characters or any alias.

use crate::content::Scenario;
use crate::history::wrap;

/// Scores how well `query` names something with these names (lower is
/// better); `None` if not at all.
fn score(query: &str, names: &[&str]) -> Option<usize> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return None;
    }
    let q_flat: String = q.chars().filter(|c| c.is_alphanumeric()).collect();
    names
        .iter()
        .filter(|n| !n.is_empty())
        .filter_map(|n| {
            let n = n.to_lowercase();
            let flat: String = n.chars().filter(|c| c.is_alphanumeric()).collect();
            if n == q || flat == q_flat {
                Some(0)
            } else if n.contains(&q) || (!q_flat.is_empty() && flat.contains(&q_flat)) {
                Some(1 + n.chars().count().saturating_sub(q.chars().count()).min(20))
            } else {
                let d = strsim::levenshtein(&q_flat, &flat);
                (d <= 2.max(q_flat.chars().count() / 4)).then_some(FUZZY + d)
            }
        })
        .min()
}

/// Spelling-distance matches score from this value up.
const FUZZY: usize = 30;

/// When anything matches exactly or as a substring, near misses by spelling
/// distance are noise ("li gang" should not list "liang"): drop them.
fn drop_near_misses<T>(hits: &mut Vec<T>, score: impl Fn(&T) -> usize) {
    if hits.iter().any(|h| score(h) < FUZZY) {
        hits.retain(|h| score(h) < FUZZY);
    }
}

/// Everything in the library that can be looked up, with the names it
/// answers to, in library order.
fn candidates(s: &Scenario) -> Vec<(Kind, &str, Vec<&str>)> {
    let lib = &s.library;
    let people = lib.people.values().map(|p| {
        let mut names = vec![p.id.as_str(), p.name.as_str(), p.chars.as_str()];
        names.extend(p.aliases.iter().map(String::as_str));
        (Kind::Person, p.id.as_str(), names)
    });
    let places = lib.places.values().map(|p| {
        let mut names = vec![
            p.id.as_str(),
            p.name.as_str(),
            p.chars.as_str(),
            p.modern.as_str(),
        ];
        names.extend(p.aliases.iter().map(String::as_str));
        (Kind::Place, p.id.as_str(), names)
    });
    let terms = lib.glossary.iter().map(|t| {
        let names = vec![
            t.id.as_str(),
            t.term.as_str(),
            t.chars.as_str(),
            t.pinyin.as_str(),
        ];
        (Kind::Term, t.id.as_str(), names)
    });
    people.chain(places).chain(terms).collect()
}

/// Ids of one kind matching `query`, best first (ties by id).
fn best<'a>(s: &'a Scenario, kind: Kind, query: &str) -> Vec<&'a str> {
    let mut hits: Vec<(usize, &str)> = candidates(s)
        .into_iter()
        .filter(|(k, _, _)| *k == kind)
        .filter_map(|(_, id, names)| score(query, &names).map(|sc| (sc, id)))
        .collect();
    hits.sort_unstable();
    drop_near_misses(&mut hits, |h| h.0);
    hits.into_iter().map(|(_, id)| id).collect()
}

/// An entry in three parts: heading, text, and its certainty and sources.
struct Entry {
    heading: String,
    body: String,
    basis: Option<String>,
}

fn entry(s: &Scenario, kind: Kind, id: &str) -> Option<Entry> {
    let lib = &s.library;
    match kind {
        Kind::Person => lib.people.get(id).map(|p| Entry {
            heading: format!(
                "{} {} — {} court; {}{}",
                p.name,
                p.chars,
                p.court.name(),
                p.office,
                if p.faction.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.faction)
                }
            ),
            body: p.bio.clone(),
            basis: Some(format!(
                "[{} · {}]",
                p.certainty.label(),
                p.sources.join(", ")
            )),
        }),
        Kind::Place => lib.places.get(id).map(|p| Entry {
            heading: format!(
                "{} {} — today {} ({:.2}°N, {:.2}°E)",
                p.name, p.chars, p.modern, p.lat, p.lon
            ),
            body: p.note.clone(),
            basis: Some(format!("[{}]", p.certainty.label())),
        }),
        Kind::Term => lib.glossary.iter().find(|t| t.id == id).map(|t| Entry {
            heading: format!(
                "{} {}{}",
                t.term,
                t.chars,
                if t.pinyin.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", t.pinyin)
                }
            ),
            body: t.meaning.clone(),
            basis: (!t.sources.is_empty()).then(|| format!("[{}]", t.sources.join(", "))),
        }),
    }
}

/// The entry for line mode: text wrapped and indented.
fn plain_entry(s: &Scenario, kind: Kind, id: &str) -> String {
    entry(s, kind, id).map_or_else(String::new, |e| {
        let mut o = format!("{}\n{}", e.heading, wrap(&e.body, 74, "  "));
        if let Some(b) = e.basis {
            o.push_str(&format!("\n  {b}"));
        }
        o
    })
}

/// `who NAME`.
#[must_use]
pub fn who(s: &Scenario, query: &str) -> String {
    let hits = best(s, Kind::Person, query);
    let Some(first) = hits.first() else {
        return format!(
            "No one called \"{}\" is in the record. Try a pinyin name (Li Gang) or characters (李綱).",
            query.trim()
        );
    };
    let mut o = plain_entry(s, Kind::Person, first);
    let others: Vec<&str> = hits
        .iter()
        .skip(1)
        .take(3)
        .filter_map(|id| s.library.people.get(*id).map(|p| p.name.as_str()))
        .collect();
    if !others.is_empty() {
        o.push_str(&format!("\n  Also matching: {}", others.join(", ")));
    }
    o
}

/// `where PLACE`.
#[must_use]
pub fn place(s: &Scenario, query: &str) -> String {
    match best(s, Kind::Place, query).first() {
        None => format!("No place called \"{}\" is in the record.", query.trim()),
        Some(id) => plain_entry(s, Kind::Place, id),
    }
}

/// `term WORD`.
#[must_use]
pub fn term(s: &Scenario, query: &str) -> String {
    match best(s, Kind::Term, query).first() {
        None => format!("No term \"{}\" in the glossary.", query.trim()),
        Some(id) => plain_entry(s, Kind::Term, id),
    }
}

/// What kind of thing a look-up found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A person (`who`).
    Person,
    /// A place (`where`).
    Place,
    /// A glossary term (`term`).
    Term,
}

impl Kind {
    /// `person`, `place`, `term`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Term => "term",
        }
    }
}

/// One entry found by [`search`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Person, place or term.
    pub kind: Kind,
    /// Its id in the library.
    pub id: String,
    /// Display name, with characters.
    pub name: String,
}

/// Every person, place and term matching `query`, best first; with an empty
/// query, the whole library (people, places, terms, each by name).
#[must_use]
pub fn search(s: &Scenario, query: &str) -> Vec<Hit> {
    let everything = query.trim().is_empty();
    let mut hits: Vec<(usize, Hit)> = candidates(s)
        .into_iter()
        .filter_map(|(kind, id, names)| {
            let sc = if everything {
                Some(0)
            } else {
                score(query, &names)
            }?;
            let name = match kind {
                Kind::Term => format!("{} {}", names[1], names[2]).trim_end().to_owned(),
                Kind::Person | Kind::Place => format!("{} {}", names[1], names[2]),
            };
            Some((
                sc,
                Hit {
                    kind,
                    id: id.to_owned(),
                    name,
                },
            ))
        })
        .collect();
    hits.sort_by(|a, b| (a.0, a.1.kind, &a.1.name).cmp(&(b.0, b.1.kind, &b.1.name)));
    drop_near_misses(&mut hits, |h| h.0);
    hits.into_iter().map(|(_, h)| h).collect()
}

/// The full entry for a hit as paragraphs (one a line, not wrapped): the
/// heading, the text, then the certainty and sources.
#[must_use]
pub fn describe(s: &Scenario, kind: Kind, id: &str) -> String {
    entry(s, kind, id).map_or_else(String::new, |e| match e.basis {
        Some(b) => format!("{}\n{}\n{b}", e.heading, e.body),
        None => format!("{}\n{}", e.heading, e.body),
    })
}
