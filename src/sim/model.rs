//! The war model's pure arithmetic: distances, seasons, power, the contest
//! function, and the chances of assaults, crossings, wavering armies and
//! flight. No Bevy, no randomness: the systems in [`super::war`] and the
//! effects in [`super::realm`] draw against what these functions compute,
//! and write the numbers into the trace.
//!
//! All arithmetic is in integers (chances in basis points, 0–10,000), so a
//! run is the same on every machine; the one trigonometric term, the
//! cosine of the latitude in a distance, is a fixed polynomial.
//!
//! ```
//! use jingkang::sim::model::contest_bp;
//! // Twice the power, squared: 4 to 1, so 80%.
//! assert_eq!(contest_bp(200, 100, 2, 0, 100), 8000);
//! ```

use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::Id;
use crate::content::rules::{Edge, Kind, Rules, Use};

/// Straight-line km between two places (0 if either is unknown), on a
/// sphere of radius 6,371 km, with the equirectangular approximation
/// (exact to well under 1% at these distances).
#[must_use]
pub fn km(s: &Scenario, a: impl crate::id::AsId, b: impl crate::id::AsId) -> i64 {
    // From the scenario's table, which `km_between` filled when it loaded.
    s.geo.km(a, b).unwrap_or(0)
}

pub use crate::geo::km_between;

/// The season of a month: `winter`, `summer`, `autumn` or `spring`.
#[must_use]
pub fn season(rules: &Rules, s: &Scenario, month: MonthIdx) -> &'static str {
    let n = s.calendar().month(month).number;
    if rules.seasons.winter.contains(&n) {
        "winter"
    } else if rules.seasons.summer.contains(&n) {
        "summer"
    } else if rules.seasons.autumn.contains(&n) {
        "autumn"
    } else {
        "spring"
    }
}

/// The contest success function in basis points: `A^k / (A^k + D^k)`,
/// clamped to `[min_pct, max_pct]`.
#[must_use]
pub fn contest_bp(attack: i64, defence: i64, k: u32, min_pct: u32, max_pct: u32) -> u32 {
    let a = i128::from(attack.max(0)).pow(k);
    let d = i128::from(defence.max(0)).pow(k);
    let raw = if a + d == 0 {
        5_000
    } else {
        u32::try_from(a * 10_000 / (a + d)).unwrap_or(10_000)
    };
    raw.clamp(min_pct * 100, max_pct * 100)
}

/// Morale's multiplier on power, in percent: from `floor` at morale 0 to
/// `floor + 100` at morale 100.
#[must_use]
pub fn morale_pct(rules: &Rules, morale: i32) -> i64 {
    rules.contest.morale_floor_pct + i64::from(morale.clamp(0, 100))
}

/// The product of the named edges that apply to a use, in percent (100 when
/// none apply). Unknown names count as 100 (validation reports them).
#[must_use]
pub fn edges_pct<'a>(
    rules: &Rules,
    carried: impl IntoIterator<Item = &'a Id>,
    named: &[&str],
    use_: Use,
) -> i64 {
    let mut pct: i64 = 100;
    let mut apply = |e: &Edge| pct = pct * e.pct / 100;
    for name in carried {
        if let Some(e) = rules.edges.get(name.as_str())
            && e.applies.contains(&use_)
        {
            apply(e);
        }
    }
    for name in named {
        if let Some(e) = rules.edges.get(*name) {
            apply(e);
        }
    }
    pct
}

/// An army's power of a kind of contest: strength × the kind's value ×
/// morale × edges, all in percent.
#[must_use]
pub fn power(strength: i32, kind: &Kind, use_: Use, morale_pct: i64, edges_pct: i64) -> i64 {
    let per_k = match use_ {
        Use::Field | Use::Cross => kind.field,
        Use::Assault => kind.assault,
        Use::Defend => kind.defend,
    };
    i64::from(strength.max(0)) * per_k * morale_pct / 100 * edges_pct / 100
}

/// What a month of siege depends on, gathered from the world by
/// [`super::realm::Realm::siege_month`] and read by the pure functions
/// below (which the property tests exercise directly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiegeMonth {
    /// The besiegers' power against walls (strength × kind × morale × edges).
    pub attack: i64,
    /// The besiegers only blockade (the lock-city method): they probe.
    pub blockade: bool,
    /// The power of the garrison and the armies inside, before walls.
    pub inside: i64,
    /// Walls 0–100.
    pub walls: i32,
    /// The place's edges (percent), e.g. `organised_defence`.
    pub edges_pct: i64,
    /// Food left after this month's eating, in tenths of a month.
    pub food_tenths: i32,
    /// Deep winter.
    pub winter: bool,
    /// Power behind walls of the friendly armies within reach outside the
    /// place (they can feed men onto the walls and threaten the besiegers'
    /// rear), before walls.
    pub relief: i64,
}

/// The defence of walls in a month of siege.
#[must_use]
pub fn defence_power(rules: &Rules, m: &SiegeMonth) -> i64 {
    let sr = &rules.siege;
    let mut e = m.edges_pct;
    if m.food_tenths <= 0 {
        e = e * sr.starving_pct / 100;
    }
    if m.winter {
        e = e * sr.winter_defence_pct / 100;
    }
    let walls = 100 + i64::from(m.walls.clamp(0, 100)) * sr.walls_per_point;
    let mut relief = m.relief.max(0) * sr.relief_share_pct / 100;
    if m.winter {
        relief = relief * sr.winter_defence_pct / 100;
    }
    (m.inside.max(0) * e / 100 + relief) * walls / 100
}

/// The chance, in basis points, that the walls are taken this month by
/// assault (a blockade only probes).
#[must_use]
pub fn assault_bp(rules: &Rules, m: &SiegeMonth) -> u32 {
    let c = &rules.contest;
    let bp = contest_bp(
        m.attack,
        defence_power(rules, m),
        c.assault_exponent,
        c.min_pct,
        c.max_pct,
    );
    if m.blockade {
        u32::try_from(i64::from(bp) * rules.siege.blockade_assault_pct / 100).unwrap_or(0)
    } else {
        bp
    }
}

/// The chance, in basis points, that the place still holds at the end of
/// the month: neither stormed nor, with its food gone, starved.
#[must_use]
pub fn hold_bp(rules: &Rules, m: &SiegeMonth) -> u32 {
    let stands = 10_000 - assault_bp(rules, m);
    if m.food_tenths <= 0 {
        stands * (10_000 - rules.siege.starved_fall_pct.min(100) * 100) / 10_000
    } else {
        stands
    }
}

/// Tenths of a month of food a ring eats: a full ring (`ring_k_per_km`
/// thousand men per km of wall) eats a month; relief outside, at its share,
/// keeps the ring open.
#[must_use]
pub fn eaten_tenths(rules: &Rules, besiegers_k: i32, relief_k: i32, wall_km: i64) -> i32 {
    let sr = &rules.siege;
    let ringing = i64::from(besiegers_k) - i64::from(relief_k.max(0)) * sr.relief_share_pct / 100;
    let ring = (ringing.max(0) * 100 / (sr.ring_k_per_km * wall_km).max(1)).min(100);
    i32::try_from(ring / 10).unwrap_or(10)
}

/// The chance, in basis points, that a doubtful army goes over.
#[must_use]
pub fn waver_bp(rules: &Rules, loyalty: i32, enemy_excess_k: i32) -> u32 {
    let w = &rules.waver;
    let pct = if loyalty <= w.certain_below {
        w.max_pct
    } else if loyalty >= w.safe_at {
        if loyalty > w.safe_at { 0 } else { w.floor_pct }
    } else {
        let span = (w.safe_at - w.certain_below).max(1);
        w.max_pct - (w.max_pct - w.floor_pct) * (loyalty - w.certain_below) / span
    };
    let extra = if pct > 0 {
        w.per_10k_enemy * enemy_excess_k.max(0) / 10
    } else {
        0
    };
    u32::try_from((pct + extra).clamp(0, 100) * 100).unwrap_or(0)
}

/// The chance, in basis points, that a court in flight is overtaken, given
/// the enemy's head start in days.
#[must_use]
pub fn overtaken_bp(rules: &Rules, head_start_days: i64) -> u32 {
    let f = &rules.flight;
    let pct = f.overtaken_max_pct * (f.safe_days - head_start_days).max(0) / f.safe_days.max(1);
    u32::try_from(pct.clamp(f.overtaken_min_pct, f.overtaken_max_pct) * 100).unwrap_or(0)
}

/// A chance in basis points as a percentage for a trace: `41%`, `0.6%`.
#[must_use]
pub fn pct_text(bp: u32) -> String {
    if bp >= 1_000 || bp.is_multiple_of(100) {
        format!("{}%", (bp + 50) / 100)
    } else {
        format!("{}.{}%", bp / 100, (bp % 100 + 5) / 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaifeng_to_yanjing_is_about_six_hundred_km() {
        let d = km_between((34.80, 114.31), (39.88, 116.35));
        assert!((580..=610).contains(&d), "{d}");
    }

    #[test]
    fn the_contest_is_even_at_equal_power_and_steeper_with_k() {
        assert_eq!(contest_bp(100, 100, 2, 0, 100), 5_000);
        assert!(contest_bp(150, 100, 3, 0, 100) > contest_bp(150, 100, 2, 0, 100));
        assert_eq!(contest_bp(1, 1_000_000, 3, 1, 98), 100);
    }

    #[test]
    fn percentages_read_naturally() {
        assert_eq!(pct_text(4_100), "41%");
        assert_eq!(pct_text(60), "0.6%");
        assert_eq!(pct_text(100), "1%");
    }
}
