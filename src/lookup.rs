//! `who`, `where` and `term`: fuzzy look-ups in the library, by pinyin,
//! characters or any alias.

use crate::calendar::MonthIdx;
use crate::content::Scenario;

/// Scores how well `query` names something with these names (lower is
/// better); `None` if not at all. In order: the whole name (0), a whole
/// word of it — `guo` names Guo Yaoshi and Guo Jing alike (1), the start of
/// a word (2), inside a word (3 and up, shorter names first), then
/// spelling near-misses.
fn score(query: &str, names: &[&str]) -> Option<usize> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return None;
    }
    let q_flat: String = q.chars().filter(|c| c.is_alphanumeric()).collect();
    let q_words: Vec<&str> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    names
        .iter()
        .filter(|n| !n.is_empty())
        .filter_map(|n| {
            let n = n.to_lowercase();
            let flat: String = n.chars().filter(|c| c.is_alphanumeric()).collect();
            let words: Vec<&str> = n
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let run = |pred: &dyn Fn(&str, &str) -> bool| {
                !q_words.is_empty()
                    && words
                        .windows(q_words.len())
                        .any(|w| w.iter().zip(&q_words).all(|(a, b)| pred(a, b)))
            };
            if n == q || flat == q_flat {
                Some(0)
            } else if run(&|a, b| a == b) {
                Some(1)
            } else if run(&|a, b| a.starts_with(b)) {
                Some(2)
            } else if n.contains(&q) || (!q_flat.is_empty() && flat.contains(&q_flat)) {
                Some(3 + n.chars().count().saturating_sub(q.chars().count()).min(20))
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

/// How much a person figures in this scenario (as an advisor at a council
/// or the commander of an army): the tie-break between equally good
/// matches.
fn prominence(s: &Scenario, id: &str) -> usize {
    let advises = s
        .decisions
        .values()
        .flat_map(|d| &d.advisors)
        .filter(|a| a.person == id)
        .count();
    let commands = s
        .meta
        .state
        .armies
        .iter()
        .filter(|a| a.commander == id)
        .count();
    advises + 5 * commands
}

/// Ids of one kind matching `query` with their scores, best first (ties:
/// the more prominent in this scenario, then by id).
fn best<'a>(s: &'a Scenario, kind: Kind, query: &str) -> Vec<(usize, &'a str)> {
    let mut hits: Vec<(usize, usize, &str)> = candidates(s)
        .into_iter()
        .filter(|(k, _, _)| *k == kind)
        .filter_map(|(_, id, names)| {
            score(query, &names).map(|sc| (sc, usize::MAX - prominence(s, id), id))
        })
        .collect();
    hits.sort_unstable();
    drop_near_misses(&mut hits, |h| h.0);
    hits.into_iter().map(|(sc, _, id)| (sc, id)).collect()
}

/// A look-up entry in three parts: heading, text, and its certainty and
/// sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `Li Gang 李綱 — Song court; head of the Bureau of Military Affairs`.
    pub heading: String,
    /// What the record holds (by the month asked for).
    pub body: String,
    /// `[recorded · SS-23, SS-358]`.
    pub basis: Option<String>,
}

/// The entry for an id, as the record holds it before the month `now`:
/// during play a person's heading gives the office held in that month (not
/// a later one, nor the stance they were known for later), and the text
/// only what had happened by then. `None` for `now`: the whole entry (the
/// game is over).
#[must_use]
pub fn entry(s: &Scenario, kind: Kind, id: &str, now: Option<MonthIdx>) -> Option<Entry> {
    let lib = &s.library;
    let nothing_yet = |name: &str| {
        format!(
            "The record holds nothing more on {name} by this month; the rest is told once the campaign is over."
        )
    };
    let body = |text: String, name: &str| {
        if text.is_empty() {
            nothing_yet(name)
        } else {
            text
        }
    };
    match kind {
        Kind::Person => lib.people.get(id).map(|p| {
            let (office, faction) = match now {
                Some(m) => (lib.office_in(id, m), String::new()),
                None => (p.office.clone(), p.faction.clone()),
            };
            Entry {
                heading: format!(
                    "{} {} — {} court{}{}",
                    p.name,
                    p.chars,
                    p.court.name(),
                    if office.is_empty() {
                        String::new()
                    } else {
                        format!("; {office}")
                    },
                    if faction.is_empty() {
                        String::new()
                    } else {
                        format!(" ({faction})")
                    }
                ),
                body: body(lib.known(&p.bio, &p.later, now), &p.name),
                basis: Some(format!(
                    "[{} · {}]",
                    p.certainty.label(),
                    p.sources.join(", ")
                )),
            }
        }),
        Kind::Place => lib.places.get(id).map(|p| Entry {
            heading: format!(
                "{} {} — today {} ({:.2}°N, {:.2}°E)",
                p.name, p.chars, p.modern, p.lat, p.lon
            ),
            body: body(lib.known(&p.note, &p.later, now), &p.name),
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
            body: body(lib.known(&t.meaning, &t.later, now), &t.term),
            basis: (!t.sources.is_empty()).then(|| format!("[{}]", t.sources.join(", "))),
        }),
    }
}

/// What a `who`, `where` or `term` look-up found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The command with nothing after it: how to use it.
    Usage(Kind),
    /// Nothing matches.
    NotFound(Kind, String),
    /// One best match, its entry, and others that match less well.
    Found {
        /// The entry.
        entry: Entry,
        /// Names of other matches, best first (at most three).
        also: Vec<String>,
    },
    /// Several match equally well: their names and one-line headings,
    /// ranked (the most prominent in this scenario first).
    Several(Kind, String, Vec<String>),
}

/// `who NAME`, `where PLACE`, `term WORD`: the best match and its entry as
/// the record holds it before `now` (`None`: all of it).
#[must_use]
pub fn look_up(s: &Scenario, kind: Kind, query: &str, now: Option<MonthIdx>) -> Answer {
    let q = crate::clean::clean(query.trim()).into_owned();
    if q.is_empty() {
        return Answer::Usage(kind);
    }
    let hits = best(s, kind, &q);
    let Some(&(top, first)) = hits.first() else {
        return Answer::NotFound(kind, crate::content::shorten(&q, 60));
    };
    let tied: Vec<&str> = hits
        .iter()
        .take_while(|(sc, _)| *sc == top)
        .map(|(_, id)| *id)
        .collect();
    // A word that names several people as well as each other (guo: Guo
    // Yaoshi, Guo Jing) lists them all, ranked, rather than pick one.
    if tied.len() > 1 && top <= 2 {
        let lines = tied
            .iter()
            .take(8)
            .filter_map(|id| entry(s, kind, id, now).map(|e| e.heading))
            .collect();
        return Answer::Several(kind, crate::content::shorten(&q, 60), lines);
    }
    let Some(e) = entry(s, kind, first, now) else {
        return Answer::NotFound(kind, crate::content::shorten(&q, 60));
    };
    let also = hits
        .iter()
        .skip(1)
        .take(3)
        .filter_map(|(_, id)| display_name(s, kind, id))
        .collect();
    Answer::Found { entry: e, also }
}

fn display_name(s: &Scenario, kind: Kind, id: &str) -> Option<String> {
    let lib = &s.library;
    match kind {
        Kind::Person => lib.people.get(id).map(|p| p.name.clone()),
        Kind::Place => lib.places.get(id).map(|p| p.name.clone()),
        Kind::Term => lib
            .glossary
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.term.clone()),
    }
}

impl Answer {
    /// The answer as text for line mode, paragraphs wrapped to `width`
    /// columns.
    #[must_use]
    pub fn to_text(&self, width: usize) -> String {
        let w = |t: &str, indent: &str| crate::report::wrap(t, width, indent, indent);
        match self {
            Answer::Usage(k) => w(
                &format!(
                    "{} — for example {}. Names in pinyin or characters, and other names they went by, all work; so do the first letters of a name.",
                    k.usage(),
                    k.example()
                ),
                "",
            ),
            Answer::NotFound(k, q) => w(
                &format!(
                    "{} \"{q}\" is in the record. Try {}.",
                    match k {
                        Kind::Person => "No one called",
                        Kind::Place => "No place called",
                        Kind::Term => "No term",
                    },
                    k.example()
                ),
                "",
            ),
            Answer::Found { entry, also } => {
                let mut o = format!("{}\n{}", w(&entry.heading, ""), w(&entry.body, "  "));
                if let Some(b) = &entry.basis {
                    o.push_str(&format!("\n{}", w(b, "  ")));
                }
                if !also.is_empty() {
                    o.push_str(&format!(
                        "\n{}",
                        w(&format!("Also matching: {}", also.join(", ")), "  ")
                    ));
                }
                o
            }
            Answer::Several(k, q, lines) => {
                let mut o = w(
                    &format!("Several {} match \"{q}\" equally well:", k.plural()),
                    "",
                );
                for (i, l) in lines.iter().enumerate() {
                    o.push('\n');
                    o.push_str(&crate::report::wrap(
                        l,
                        width,
                        &format!("  {}. ", i + 1),
                        "     ",
                    ));
                }
                o.push('\n');
                o.push_str(&w(
                    &format!(
                        "Type more of the name to read one, e.g. {} {}.",
                        k.command(),
                        lines
                            .first()
                            .and_then(|l| l.split(" — ").next())
                            .unwrap_or_default()
                            .split_whitespace()
                            .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
                            .collect::<Vec<_>>()
                            .join(" ")
                            .to_lowercase()
                    ),
                    "",
                ));
                o
            }
        }
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
    /// The line-mode command: `who`, `where`, `term`.
    #[must_use]
    pub fn command(self) -> &'static str {
        match self {
            Kind::Person => "who",
            Kind::Place => "where",
            Kind::Term => "term",
        }
    }

    fn usage(self) -> &'static str {
        match self {
            Kind::Person => "who NAME tells who a person is, as the record holds it so far",
            Kind::Place => "where PLACE tells where a place is and what has happened there so far",
            Kind::Term => "term WORD explains an office or term of the period",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Kind::Person => "who li gang, who 李綱 or who prince kang",
            Kind::Place => "where kaifeng, where bianjing or where 太原",
            Kind::Term => "term three garrisons or term tael",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Kind::Person => "people",
            Kind::Place => "places",
            Kind::Term => "terms",
        }
    }

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
/// heading, the text, then the certainty and sources — as the record holds
/// it before `now` (`None`: all of it). An id the library does not hold is
/// said to be missing, never shown as a blank entry.
#[must_use]
pub fn describe(s: &Scenario, kind: Kind, id: &str, now: Option<MonthIdx>) -> String {
    let missing = || {
        format!(
            "No {} \"{}\" in this scenario's library: the entry is missing from its data.",
            kind.label(),
            crate::content::shorten(id, 40)
        )
    };
    entry(s, kind, id, now).map_or_else(missing, |e| match e.basis {
        Some(b) => format!("{}\n{}\n{b}", e.heading, e.body),
        None => format!("{}\n{}", e.heading, e.body),
    })
}
