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

fn best<'a, T>(
    items: impl Iterator<Item = (&'a str, Vec<&'a str>, T)>,
    query: &str,
) -> Vec<(usize, &'a str, T)> {
    let mut hits: Vec<(usize, &str, T)> = items
        .filter_map(|(id, names, t)| score(query, &names).map(|s| (s, id, t)))
        .collect();
    hits.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    drop_near_misses(&mut hits, |h| h.0);
    hits
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

/// `who NAME`.
#[must_use]
pub fn who(s: &Scenario, query: &str) -> String {
    let hits = best(
        s.library.people.values().map(|p| {
            let mut names = vec![p.id.as_str(), p.name.as_str(), p.chars.as_str()];
            names.extend(p.aliases.iter().map(String::as_str));
            (p.id.as_str(), names, p)
        }),
        query,
    );
    match hits.first() {
        None => format!(
            "No one called \"{}\" is in the record. Try a pinyin name (Li Gang) or characters (李綱).",
            query.trim()
        ),
        Some((_, _, p)) => {
            let mut o = format!(
                "{} {} — {} court; {}{}\n{}\n  [{} · {}]",
                p.name,
                p.chars,
                p.court.name(),
                p.office,
                if p.faction.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.faction)
                },
                wrap(&p.bio, 74, "  "),
                p.certainty.label(),
                p.sources.join(", ")
            );
            let others: Vec<String> = hits
                .iter()
                .skip(1)
                .take(3)
                .map(|(_, _, p)| p.name.clone())
                .collect();
            if !others.is_empty() {
                o.push_str(&format!("\n  Also matching: {}", others.join(", ")));
            }
            o
        }
    }
}

/// `where PLACE`.
#[must_use]
pub fn place(s: &Scenario, query: &str) -> String {
    let hits = best(
        s.library.places.values().map(|p| {
            let mut names = vec![
                p.id.as_str(),
                p.name.as_str(),
                p.chars.as_str(),
                p.modern.as_str(),
            ];
            names.extend(p.aliases.iter().map(String::as_str));
            (p.id.as_str(), names, p)
        }),
        query,
    );
    match hits.first() {
        None => format!("No place called \"{}\" is in the record.", query.trim()),
        Some((_, _, p)) => format!(
            "{} {} — today {} ({:.2}°N, {:.2}°E)\n{}\n  [{}]",
            p.name,
            p.chars,
            p.modern,
            p.lat,
            p.lon,
            wrap(&p.note, 74, "  "),
            p.certainty.label()
        ),
    }
}

/// `term WORD`.
#[must_use]
pub fn term(s: &Scenario, query: &str) -> String {
    let hits = best(
        s.library.glossary.iter().map(|t| {
            (
                t.id.as_str(),
                vec![
                    t.id.as_str(),
                    t.term.as_str(),
                    t.chars.as_str(),
                    t.pinyin.as_str(),
                ],
                t,
            )
        }),
        query,
    );
    match hits.first() {
        None => format!("No term \"{}\" in the glossary.", query.trim()),
        Some((_, _, t)) => format!(
            "{} {}{}\n{}{}",
            t.term,
            t.chars,
            if t.pinyin.is_empty() {
                String::new()
            } else {
                format!(" ({})", t.pinyin)
            },
            wrap(&t.meaning, 74, "  "),
            if t.sources.is_empty() {
                String::new()
            } else {
                format!("\n  [{}]", t.sources.join(", "))
            }
        ),
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
    let lib = &s.library;
    let mut all: Vec<(Option<usize>, Hit)> = Vec::new();
    let scored = |names: &[&str]| {
        if query.trim().is_empty() {
            Some(0)
        } else {
            score(query, names)
        }
    };
    for p in lib.people.values() {
        let mut names = vec![p.id.as_str(), p.name.as_str(), p.chars.as_str()];
        names.extend(p.aliases.iter().map(String::as_str));
        all.push((
            scored(&names),
            Hit {
                kind: Kind::Person,
                id: p.id.clone(),
                name: format!("{} {}", p.name, p.chars),
            },
        ));
    }
    for p in lib.places.values() {
        let mut names = vec![
            p.id.as_str(),
            p.name.as_str(),
            p.chars.as_str(),
            p.modern.as_str(),
        ];
        names.extend(p.aliases.iter().map(String::as_str));
        all.push((
            scored(&names),
            Hit {
                kind: Kind::Place,
                id: p.id.clone(),
                name: format!("{} {}", p.name, p.chars),
            },
        ));
    }
    for t in &lib.glossary {
        let names = [
            t.id.as_str(),
            t.term.as_str(),
            t.chars.as_str(),
            t.pinyin.as_str(),
        ];
        all.push((
            scored(&names),
            Hit {
                kind: Kind::Term,
                id: t.id.clone(),
                name: format!("{} {}", t.term, t.chars).trim_end().to_owned(),
            },
        ));
    }
    let mut hits: Vec<(usize, Hit)> = all
        .into_iter()
        .filter_map(|(s, h)| s.map(|s| (s, h)))
        .collect();
    hits.sort_by(|a, b| (a.0, a.1.kind, &a.1.name).cmp(&(b.0, b.1.kind, &b.1.name)));
    drop_near_misses(&mut hits, |h| h.0);
    hits.into_iter().map(|(_, h)| h).collect()
}

/// The full entry for a hit as paragraphs (one a line, not wrapped): the
/// heading, the text, then the certainty and sources.
#[must_use]
pub fn describe(s: &Scenario, kind: Kind, id: &str) -> String {
    let lib = &s.library;
    match kind {
        Kind::Person => lib.people.get(id).map_or_else(String::new, |p| {
            format!(
                "{} {} — {} court; {}{}\n{}\n[{} · {}]",
                p.name,
                p.chars,
                p.court.name(),
                p.office,
                if p.faction.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.faction)
                },
                p.bio,
                p.certainty.label(),
                p.sources.join(", ")
            )
        }),
        Kind::Place => lib.places.get(id).map_or_else(String::new, |p| {
            format!(
                "{} {} — today {} ({:.2}°N, {:.2}°E)\n{}\n[{}]",
                p.name,
                p.chars,
                p.modern,
                p.lat,
                p.lon,
                p.note,
                p.certainty.label()
            )
        }),
        Kind::Term => lib
            .glossary
            .iter()
            .find(|t| t.id == id)
            .map_or_else(String::new, |t| {
                format!(
                    "{} {}{}\n{}{}",
                    t.term,
                    t.chars,
                    if t.pinyin.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", t.pinyin)
                    },
                    t.meaning,
                    if t.sources.is_empty() {
                        String::new()
                    } else {
                        format!("\n[{}]", t.sources.join(", "))
                    }
                )
            }),
    }
}
