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
                (d <= 2.max(q_flat.chars().count() / 4)).then_some(30 + d)
            }
        })
        .min()
}

fn best<'a, T>(items: impl Iterator<Item = (&'a str, Vec<&'a str>, T)>, query: &str) -> Vec<(usize, &'a str, T)> {
    let mut hits: Vec<(usize, &str, T)> = items
        .filter_map(|(id, names, t)| score(query, &names).map(|s| (s, id, t)))
        .collect();
    hits.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    hits
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
        None => format!("No one called \"{}\" is in the record. Try a pinyin name (Li Gang) or characters (李綱).", query.trim()),
        Some((_, _, p)) => {
            let mut o = format!(
                "{} {} — {} court; {}{}\n{}\n  [{} · {}]",
                p.name,
                p.chars,
                p.court.name(),
                p.office,
                if p.faction.is_empty() { String::new() } else { format!(" ({})", p.faction) },
                wrap(&p.bio, 74, "  "),
                p.certainty.label(),
                p.sources.join(", ")
            );
            let others: Vec<String> = hits.iter().skip(1).take(3).map(|(_, _, p)| p.name.clone()).collect();
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
            let mut names = vec![p.id.as_str(), p.name.as_str(), p.chars.as_str(), p.modern.as_str()];
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
            (t.id.as_str(), vec![t.id.as_str(), t.term.as_str(), t.chars.as_str(), t.pinyin.as_str()], t)
        }),
        query,
    );
    match hits.first() {
        None => format!("No term \"{}\" in the glossary.", query.trim()),
        Some((_, _, t)) => format!(
            "{} {}{}\n{}{}",
            t.term,
            t.chars,
            if t.pinyin.is_empty() { String::new() } else { format!(" ({})", t.pinyin) },
            wrap(&t.meaning, 74, "  "),
            if t.sources.is_empty() { String::new() } else { format!("\n  [{}]", t.sources.join(", ")) }
        ),
    }
}
