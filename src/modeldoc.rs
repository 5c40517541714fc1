//! The tables of `docs/MODEL.md`, generated from `assets/rules.ron`.
//!
//! `jingkang model-doc` prints them; a test fails when the tables in
//! `docs/MODEL.md` (between the `generated` markers) differ from what the
//! rules file now says, so the summary of the model never goes stale.
//!
//! ```
//! let lib = jingkang::content::load_library(&jingkang::content::embedded_assets()).unwrap();
//! let md = jingkang::modeldoc::tables(&lib.rules);
//! assert!(md.contains("| `jin_horse` |"));
//! ```

use std::fmt::Write as _;

use crate::content::rules::{Quantity, Rules, Use};

/// The marker lines around the generated part of `docs/MODEL.md`.
pub const BEGIN: &str =
    "<!-- generated from assets/rules.ron by `jingkang model-doc`: do not edit by hand -->";
/// The closing marker.
pub const END: &str = "<!-- end of generated tables -->";

fn sources(ids: &[String]) -> String {
    if ids.is_empty() {
        "—".to_owned()
    } else {
        ids.join(", ")
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn section(
    o: &mut String,
    title: &str,
    rows: &[(&str, String, &str)],
    basis: &str,
    ids: &[String],
) {
    let _ = writeln!(o, "### {title}\n");
    let _ = writeln!(o, "| parameter | value | meaning |\n|---|---|---|");
    for (name, value, meaning) in rows {
        let _ = writeln!(o, "| `{name}` | {value} | {} |", cell(meaning));
    }
    let _ = writeln!(
        o,
        "\n*Basis:* {} *Sources:* {}.\n",
        cell(basis),
        sources(ids)
    );
}

fn quantity(q: &Quantity) -> String {
    match q {
        Quantity::Flag(f) => format!("flag `{f}` (100 if set)"),
        Quantity::Gauge(c, g) => format!("{} {g:?} gauge (0–100)", c.name()),
        Quantity::Season(s) => format!("{s} (100 in season)"),
        Quantity::FieldStrength(c) => format!("{} field armies (thousands)", c.name()),
        Quantity::StrengthNear(c, p) => {
            format!("{} armies within relief reach of {p} (thousands)", c.name())
        }
        Quantity::Garrison(c, p) => format!("garrison of {p} if {} (thousands)", c.name()),
        Quantity::Garrisons(c, ps) => {
            format!("{} garrisons of {} (thousands)", c.name(), ps.join(", "))
        }
        Quantity::Holds(c, p) => format!("{} holds {p} (100)", c.name()),
        Quantity::MonthsSince(m) => format!("months since `{m}`"),
    }
}

fn uses(u: &[Use]) -> String {
    if u.is_empty() {
        return "named only".to_owned();
    }
    u.iter()
        .map(|x| format!("{x:?}").to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Markdown tables for every rule and parameter, with the markers.
#[must_use]
#[expect(
    clippy::too_many_lines,
    reason = "one table per section of the rules file, in the file's order"
)]
pub fn tables(r: &Rules) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{BEGIN}\n");
    let _ = writeln!(o, "Rules version {}.\n", r.version);

    let _ = writeln!(o, "### Army kinds\n");
    let _ = writeln!(
        o,
        "| kind | field power per 1,000 | against walls | behind walls | km a day | forages | basis | sources |\n|---|---|---|---|---|---|---|---|"
    );
    for (id, k) in r.kinds.iter() {
        let _ = writeln!(
            o,
            "| `{id}` | {} | {} | {} | {} | {} | {} | {} |",
            k.field,
            k.assault,
            k.defend,
            k.km_per_day,
            if k.forages { "yes" } else { "no" },
            cell(&k.basis),
            sources(&k.sources)
        );
    }
    let _ = writeln!(o);

    let c = &r.contest;
    section(
        &mut o,
        "The contest",
        &[
            (
                "battle_exponent",
                c.battle_exponent.to_string(),
                "k in p = A^k / (A^k + D^k) for field battles and river crossings",
            ),
            (
                "assault_exponent",
                c.assault_exponent.to_string(),
                "k for assaults on walls",
            ),
            (
                "max_pct",
                format!("{}%", c.max_pct),
                "no contest is surer than this",
            ),
            (
                "min_pct",
                format!("{}%", c.min_pct),
                "nor less sure than this",
            ),
            (
                "morale_floor_pct",
                format!("{}%", c.morale_floor_pct),
                "power at morale 0; morale 100 adds 100 points more",
            ),
        ],
        &c.basis,
        &c.sources,
    );
    let m = &r.march;
    section(
        &mut o,
        "Marching and rivers",
        &[
            (
                "days_per_month",
                m.days_per_month.to_string(),
                "days of marching in a month",
            ),
            (
                "reducing_km_per_day",
                m.reducing_km_per_day.to_string(),
                "km a day for an army taking every town on its road (orders Reduce)",
            ),
            (
                "ferry_days",
                m.ferry_days.to_string(),
                "days lost ferrying across an undefended Yellow River",
            ),
            (
                "river_defence_pct",
                format!("{}%", m.river_defence_pct),
                "the defenders' power on a river line",
            ),
            (
                "ice_pct",
                format!("{}%", m.ice_pct),
                "the river line's strength in winter, when parts may be crossed on the ice",
            ),
            (
                "failed_crossing_loss_pct",
                format!("{}%", m.failed_crossing_loss_pct),
                "strength an attacker loses in a crossing thrown back",
            ),
        ],
        &m.basis,
        &m.sources,
    );
    let b = &r.battle;
    section(
        &mut o,
        "Field battles",
        &[
            (
                "winner_loss_pct",
                format!("{}%", b.winner_loss_pct),
                "strength the winner loses",
            ),
            (
                "loser_loss_pct",
                format!("{}%", b.loser_loss_pct),
                "strength the loser loses (most by dispersal)",
            ),
            (
                "loser_morale",
                b.loser_morale.to_string(),
                "morale the loser loses",
            ),
            (
                "winner_morale",
                format!("+{}", b.winner_morale),
                "morale the winner gains",
            ),
        ],
        &b.basis,
        &b.sources,
    );
    let s = &r.siege;
    section(
        &mut o,
        "Sieges",
        &[
            (
                "walls_per_point",
                s.walls_per_point.to_string(),
                "each point of walls adds this many hundredths to the garrison's power (walls 80 → ×9 at 10)",
            ),
            (
                "ring_k_per_km",
                s.ring_k_per_km.to_string(),
                "thousands of besiegers per km of wall for a full ring; a partial ring eats the food more slowly",
            ),
            (
                "default_wall_km",
                s.default_wall_km.to_string(),
                "wall length of a place the rules do not list",
            ),
            (
                "blockade_assault_pct",
                format!("{}%", s.blockade_assault_pct),
                "share of the assault chance a blockading army spends (it only probes)",
            ),
            (
                "starving_pct",
                format!("{}%", s.starving_pct),
                "the defenders' power once the food is gone",
            ),
            (
                "starved_fall_pct",
                format!("{}%", s.starved_fall_pct),
                "chance a month that a place with no food left falls",
            ),
            (
                "garrison_kind",
                s.garrison_kind
                    .iter()
                    .map(|(c, k)| format!("{}: `{k}`", c.name()))
                    .collect::<Vec<_>>()
                    .join(", "),
                "the kind whose 'behind walls' value a court's garrisons fight with",
            ),
            (
                "relief_km",
                s.relief_km.to_string(),
                "km within which a friendly army counts as relief",
            ),
            (
                "relief_share_pct",
                format!("{}%", s.relief_share_pct),
                "share of a relief army's field power that counts in the defence",
            ),
            (
                "relief_pressure_ratio_pct",
                format!("{}%", s.relief_pressure_ratio_pct),
                "relief at this share of the besiegers' strength denies them foraging",
            ),
            (
                "winter_defence_pct",
                format!("{}%", s.winter_defence_pct),
                "the defenders' power in the deep-winter months",
            ),
            (
                "failed_assault_loss_pct",
                format!("{}%", s.failed_assault_loss_pct),
                "besiegers' losses in a month of failed assaults",
            ),
            (
                "held_assault_loss_pct",
                format!("{}%", s.held_assault_loss_pct),
                "garrison losses in a month of assaults beaten off",
            ),
            (
                "abandoned_capital_morale",
                s.abandoned_capital_morale.to_string(),
                "below this morale a besieged capital its court has left may open its gates",
            ),
            (
                "abandoned_capital_pct_per_point",
                format!("{}%", s.abandoned_capital_pct_per_point),
                "chance a month per point of morale below it",
            ),
            (
                "abandoned_capital_max_pct",
                format!("{}%", s.abandoned_capital_max_pct),
                "the most that chance can be in one month",
            ),
        ],
        &s.basis,
        &s.sources,
    );
    let sp = &r.supply;
    section(
        &mut o,
        "Supply and time in the field",
        &[
            (
                "full",
                sp.full.to_string(),
                "supply of an army that sets out",
            ),
            (
                "drain",
                sp.drain.to_string(),
                "spent a month away from home",
            ),
            (
                "summer_drain",
                format!("+{}", sp.summer_drain),
                "extra a month in summer, far from home",
            ),
            (
                "summer_beyond_km",
                sp.summer_beyond_km.to_string(),
                "how far from home the summer cost begins",
            ),
            (
                "per_100km",
                format!("+{}", sp.per_100km),
                "extra a month per 100 km from home",
            ),
            (
                "regain",
                format!("+{}", sp.regain),
                "regained a month at home",
            ),
            (
                "withdraw_at",
                sp.withdraw_at.to_string(),
                "at or below this an army turns for home",
            ),
            (
                "hungry_morale",
                sp.hungry_morale.to_string(),
                "morale a month out of supply",
            ),
            (
                "upkeep_per_50k",
                sp.upkeep_per_50k.to_string(),
                "Song treasury points a month per 50,000 men in the field",
            ),
            (
                "unpaid_morale",
                sp.unpaid_morale.to_string(),
                "morale a month of an unpaid army (treasury empty)",
            ),
            (
                "disperse_at",
                sp.disperse_at.to_string(),
                "an unpaid army at or below this morale scatters",
            ),
        ],
        &sp.basis,
        &sp.sources,
    );
    let w = &r.waver;
    section(
        &mut o,
        "Armies whose loyalty is in doubt",
        &[
            (
                "max_pct",
                format!("{}%", w.max_pct),
                "chance it goes over when its court's Loyalty gauge is at or below certain_below",
            ),
            (
                "certain_below",
                w.certain_below.to_string(),
                "Loyalty at or below which the chance is max_pct",
            ),
            (
                "safe_at",
                w.safe_at.to_string(),
                "Loyalty at which the chance is down to floor_pct (0 above it)",
            ),
            (
                "floor_pct",
                format!("{}%", w.floor_pct),
                "chance at safe_at",
            ),
            (
                "per_10k_enemy",
                format!("{}%", w.per_10k_enemy),
                "extra chance per 10,000 enemy at hand beyond its own strength",
            ),
        ],
        &w.basis,
        &w.sources,
    );
    let f = &r.flight;
    section(
        &mut o,
        "Flight and pursuit",
        &[
            (
                "raid_km_per_day",
                f.raid_km_per_day.to_string(),
                "km a day of a cavalry raid in pursuit",
            ),
            (
                "safe_days",
                f.safe_days.to_string(),
                "days of head start at which the risk of being overtaken is at its least",
            ),
            (
                "overtaken_max_pct",
                format!("{}%", f.overtaken_max_pct),
                "chance of being overtaken with no head start",
            ),
            (
                "overtaken_min_pct",
                format!("{}%", f.overtaken_min_pct),
                "chance of being overtaken whatever the head start",
            ),
            (
                "mutiny_pct",
                format!("{}%", f.mutiny_pct),
                "chance the escort mutinies on the road",
            ),
            (
                "mutiny_per_10_treasury",
                format!("{}%", f.mutiny_per_10_treasury),
                "extra mutiny chance per 10 points of Treasury below 50 (unpaid escorts)",
            ),
            (
                "desertion_pct",
                format!("{}%", f.desertion_pct),
                "share of the capital's garrison that deserts when the court leaves",
            ),
            (
                "legitimacy",
                f.legitimacy.to_string(),
                "legitimacy lost by leaving the capital",
            ),
            ("morale", f.morale.to_string(), "morale lost"),
            (
                "pursuit_km",
                f.pursuit_km.to_string(),
                "km within which enemy horse may raid for a court away from its capital, once the capital is taken or besieged",
            ),
            (
                "pursuit_pct",
                format!("{}%", f.pursuit_pct),
                "chance a month of such a raid at distance 0, falling to 0 at pursuit_km (none beyond the Yangzi)",
            ),
        ],
        &f.basis,
        &f.sources,
    );

    let _ = writeln!(o, "### Edges: named circumstances\n");
    let _ = writeln!(
        o,
        "| edge | power | counts in | basis | sources |\n|---|---|---|---|---|"
    );
    for (id, e) in &r.edges {
        let _ = writeln!(
            o,
            "| `{id}` | {}% | {} | {} | {} |",
            e.pct,
            uses(&e.applies),
            cell(&e.basis),
            sources(&e.sources)
        );
    }
    let _ = writeln!(o);

    let _ = writeln!(o, "### Scores the councils weigh\n");
    for (id, sc) in &r.scores {
        let _ = writeln!(o, "**`{id}`**: {} Base {}.\n", cell(&sc.meaning), sc.base);
        let _ = writeln!(o, "| term | of | points per 100 |\n|---|---|---|");
        for t in &sc.terms {
            let _ = writeln!(
                o,
                "| {} | {} | {:+} |",
                cell(&t.label),
                quantity(&t.of),
                t.per100
            );
        }
        let _ = writeln!(
            o,
            "\n*Basis:* {} *Sources:* {}.\n",
            cell(&sc.basis),
            sources(&sc.sources)
        );
    }

    let _ = writeln!(o, "### Places the model knows more about\n");
    let _ = writeln!(
        o,
        "| place | wall (km) | north of the Yellow River | beyond the Yangzi |\n|---|---|---|---|"
    );
    for (id, p) in &r.places {
        let _ = writeln!(
            o,
            "| `{id}` | {} | {} | {} |",
            p.wall_km.map_or_else(|| "—".to_owned(), |k| k.to_string()),
            if p.north { "yes" } else { "" },
            if p.beyond_yangzi { "yes" } else { "" }
        );
    }
    let _ = writeln!(o, "\n{END}");
    o
}
