//! Phase 4, the world moves — the war model's monthly rules, in order:
//!
//! 1. **muster**: armies the record brings into the world this month enter
//!    it, with full supply;
//! 2. **march**: armies cover their kind's km a day along their routes; a
//!    march between the banks of the Yellow River costs the ferrying days,
//!    and a defended crossing is a contest with the river on the
//!    defenders' side; an enemy army in the way is a battle; an ungarrisoned
//!    enemy place is taken; a garrisoned one is passed by, unless it is the
//!    end of the route, where a siege begins;
//! 3. **sieges**: every besieged place eats its food (a partial ring eats
//!    it slowly), is assaulted from its second month (a blockade only
//!    probes), and may fall to hunger once its food is gone; a siege with
//!    no besieger left is lifted;
//! 4. **supply**: armies away from home spend supply (more in summer, far
//!    from home, and when relief denies them the country) and turn for home
//!    when it runs out; the Song pay their armies from the treasury, and
//!    unpaid armies lose heart and scatter;
//! 5. **pursuit**: a court that has left its capital may be raided for,
//!    once the enemy holds or besieges the capital and has horse within
//!    reach.
//!
//! Every outcome writes a `[model]` trace line with its numbers and draw
//! (see [`super::realm::Realm::trace`]); the parameters are in
//! `assets/rules.ron`.

use bevy::prelude::*;
use smallvec::SmallVec;

use super::TurnSystems;
use super::model::{self, km, pct_text};
use super::realm::Realm;
use super::state::ArmyState;
use crate::content::model::{Court, Fate, Gauge, Id};
use crate::content::rules::Use;
use crate::id::AsId;

pub use crate::content::rules::COURT_CAPTURED;

/// [`COURT_CAPTURED`] as an id (interned once).
static CAPTURED: std::sync::LazyLock<Id> = std::sync::LazyLock::new(|| Id::new(COURT_CAPTURED));

/// The edge that marks an army harassed: denied the country by the supply
/// rule as if relief stood round it.
pub const HARASSED: &str = "harassed";

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(Update, month.in_set(TurnSystems::Move).run_if(war_due));
}

/// Run condition: every decision of the month has been answered and the
/// war phase has not yet run this month (one condition, read once).
pub(super) fn war_due(book: Res<super::state::Book>) -> bool {
    book.docket.0.is_empty() && !book.turn.moved
}

/// The war phase of a month: the model's rules in their order (one system,
/// so the world is fetched once for all of them).
fn month(mut realm: Realm) {
    muster(&mut realm);
    march(&mut realm);
    sieges(&mut realm);
    supply(&mut realm);
    pursuit(&mut realm);
    realm.turn.moved = true;
}

/// Armies the record brings in this month enter the world.
fn muster(realm: &mut Realm) {
    let month = realm.turn.month;
    let full = realm.content.0.library.rules.supply.full;
    let due = |a: &ArmyState| !a.active && a.enters.is_some_and(|m| m <= month);
    // Most months no army enters: looked for in storage order first, then
    // the ones that do enter are taken in id order (their traces are).
    if !realm.armies.iter().any(due) {
        return;
    }
    let ids: Vec<Id> = realm.index.armies.keys().cloned().collect();
    for id in ids {
        let Some(a) = realm.army(id) else { continue };
        if a.active || a.enters.is_none_or(|m| m > month) {
            continue;
        }
        let text = realm.narrated(|| {
            format!(
                "{} enters the field at {} ({} thousand).",
                a.name,
                realm.content.0.place_name(&a.at),
                a.strength
            )
        });
        if let Some(mut a) = realm.army_mut(id) {
            a.active = true;
            a.enters = None;
            a.supply = full;
        }
        trace!(realm, "muster", vec![format!("army:{id}")], text, false);
    }
}

fn march(realm: &mut Realm) {
    let s = realm.scenario();
    let rules = &s.library.rules;
    for id in realm.active_armies() {
        let Some((idle, orders, kind)) = realm
            .army(id)
            .map(|a| (a.route.is_empty(), a.orders, a.kind))
        else {
            continue;
        };
        if idle || orders == crate::content::model::Orders::Hold {
            continue;
        }
        let Some(kind) = rules.kinds.get(kind) else {
            continue;
        };
        let reducing = orders == crate::content::model::Orders::Reduce;
        let per_day = if reducing {
            rules.march.reducing_km_per_day
        } else {
            kind.km_per_day
        };
        let mut left = per_day * rules.march.days_per_month;
        // Read in place: an army is not copied for each step of its march.
        while let Some((at, next, progress_km)) = realm
            .army(id)
            .filter(|a| a.active && a.strength > 0)
            .and_then(|a| a.route.front().map(|n| (a.at, *n, a.progress_km)))
        {
            let crosses = s.geo.north(at) != s.geo.north(next);
            let hop = km(&s, at, next)
                + if crosses {
                    rules.march.ferry_days * per_day
                } else {
                    0
                };
            let need = (hop - progress_km).max(0);
            if left < need {
                if let Some(mut x) = realm.army_mut(id) {
                    x.progress_km += left;
                }
                break;
            }
            left -= need;
            if !arrive(realm, id, next, crosses) {
                break;
            }
        }
    }
}

/// An army reaches the next place of its route. Returns whether it may
/// march on this month.
fn arrive(realm: &mut Realm, id: impl AsId, next: impl AsId, crosses: bool) -> bool {
    let id = id.as_id();
    let next = next.as_id();
    let s = realm.scenario();
    let rules = &s.library.rules;
    // What the march needs of the army as it arrives, read in place (an
    // army is not copied for each place it reaches).
    let Some((court, strength, orders)) = realm.army(id).map(|a| (a.court, a.strength, a.orders))
    else {
        return false;
    };
    let army_name = realm.narrated(|| realm.army(id).map(|a| a.name.clone()).unwrap_or_default());
    let name = realm.narrated(|| s.place_name(&next));
    // Enemy armies standing at the place, by id (found in storage order,
    // then sorted: there are seldom more than two).
    let mut enemies: Vec<Id> = realm
        .active_unordered()
        .filter(|x| x.court != court && x.at == next && x.route.is_empty())
        .map(|x| x.id)
        .collect();
    enemies.sort_unstable();
    let place = realm
        .place(next)
        .map(|p| (p.holder, p.besieged, p.garrison, p.walls));
    let walled = place.is_some_and(|(holder, _, garrison, walls)| {
        holder == Some(court.other()) && (garrison > 0 || !enemies.is_empty()) && walls > 0
    });
    // The army's power at a river crossing as it arrived (a relief battle
    // below may change the army before it crosses).
    let mut arrived_power = None;
    // Relief marching into a city its enemies ring completely must break in.
    if let Some((holder, besieged, _, _)) = place
        && holder == Some(court)
        && besieged
    {
        let besiegers = realm.besiegers(next);
        let ringing: i32 = besiegers
            .iter()
            .filter_map(|b| realm.army(b))
            .map(|b| b.strength)
            .sum();
        let wall_km = s
            .geo
            .rules(next)
            .and_then(|r| r.wall_km)
            .unwrap_or(rules.siege.default_wall_km);
        if !besiegers.is_empty() && i64::from(ringing) >= rules.siege.ring_k_per_km * wall_km {
            arrived_power = realm.army(id).map(|a| realm.army_power(a, Use::Cross, &[]));
            if realm.battle(id, besiegers[0], &[], None) == Some(false) {
                if let Some(mut x) = realm.army_mut(id) {
                    x.route.clear();
                    x.progress_km = 0;
                }
                return false;
            }
        }
    }
    let bank = s.geo.rules(next).is_some_and(|r| r.river_bank);
    if crosses && bank && !enemies.is_empty() {
        // A defended river line.
        let mut defence = 0;
        let mut def_k = 0;
        for e in &enemies {
            if let Some(x) = realm.army(e) {
                defence += realm.army_power(x, Use::Cross, &[]);
                def_k += x.strength;
            }
        }
        defence = defence * rules.march.river_defence_pct / 100;
        let winter = model::season(rules, &s, realm.turn.month) == "winter";
        if winter {
            defence = defence * rules.march.ice_pct / 100;
        }
        let attack = arrived_power.unwrap_or_else(|| {
            realm
                .army(id)
                .map_or(0, |a| realm.army_power(a, Use::Cross, &[]))
        });
        let bp = model::contest_bp(
            attack,
            defence,
            rules.contest.battle_exponent,
            rules.contest.min_pct,
            rules.contest.max_pct,
        );
        let crossed = realm.draw(bp);
        let text = realm.narrated(|| {
            format!(
                "{army_name} at the Yellow River by {name}: attackers {strength}, defenders {def_k}{}; crossing chance {}; {}.",
                if winter {
                    ", the river partly frozen"
                } else {
                    ""
                },
                pct_text(bp),
                if crossed {
                    "the river line broke"
                } else {
                    "the crossing was thrown back"
                }
            )
        });
        let subjects = realm.narrated(|| {
            let mut v = vec![format!("army:{id}"), format!("place:{next}")];
            v.extend(enemies.iter().map(|e| format!("army:{e}")));
            v
        });
        trace!(realm, "crossing", subjects, text, true);
        if !crossed {
            let month = realm.turn.month;
            if let Some(mut x) = realm.army_mut(id) {
                let loss = i64::from(x.strength) * rules.march.failed_crossing_loss_pct / 100;
                x.strength -= i32::try_from(loss).unwrap_or(0);
                x.morale = (x.morale - 5).max(0);
                x.progress_km = 0;
                x.beaten = Some(month);
            }
            return false;
        }
        rout(realm, &enemies);
    } else if !enemies.is_empty()
        && !walled
        && place.is_none_or(|(holder, _, _, _)| holder != Some(court))
    {
        // An enemy army in the open; a doubtful one may go over first.
        let defender = enemies[0];
        if realm.army(defender).is_some_and(|d| d.doubtful) && realm.waver(defender) == Some(true) {
            return arrive(realm, id, next, crosses);
        }
        match realm.battle(id, defender, &[], None) {
            Some(true) => rout(realm, &enemies),
            Some(false) => {
                if let Some(mut x) = realm.army_mut(id) {
                    x.route.clear();
                    x.progress_km = 0;
                }
                return false;
            }
            None => {}
        }
    }
    let last = realm.army(id).is_some_and(|x| x.route.len() == 1);
    if let Some(mut x) = realm.army_mut(id) {
        x.at = next;
        x.route.pop_front();
        x.progress_km = 0;
    }
    let Some((holder, besieged, garrison, walls, food)) = realm
        .place(next)
        .map(|p| (p.holder, p.besieged, p.garrison, p.walls, p.food()))
    else {
        return true;
    };
    if holder != Some(court.other()) {
        return true;
    }
    let defended = garrison > 0
        || realm
            .active_unordered()
            .any(|x| x.court != court && x.at == next);
    let reducing = orders == crate::content::model::Orders::Reduce;
    if !defended || walls == 0 || (reducing && !last) {
        cause!(
            realm,
            format!("[model] {army_name} takes {name}."),
            vec![format!("place:{next}"), format!("army:{id}")],
        );
        realm.take(next, court);
        trace!(
            realm,
            "march",
            vec![format!("place:{next}"), format!("army:{id}")],
            if reducing && defended {
                format!(
                    "{army_name} reduces {name} on its way (garrison {garrison}), at {} km a day.",
                    rules.march.reducing_km_per_day
                )
            } else {
                format!("{army_name} takes {name}, which has no garrison.")
            },
            true,
        );
        return true;
    }
    if last {
        let month = realm.turn.month;
        let fresh = !besieged;
        if let Some(mut p) = realm.place_mut(next) {
            p.besieged = true;
            if fresh {
                p.siege_from = Some(month);
            }
        }
        if fresh {
            trace!(
                realm,
                "siege",
                vec![format!("place:{next}"), format!("army:{id}")],
                format!(
                    "{army_name} lays siege to {name} ({strength} thousand against a garrison of {garrison}, walls {walls}, food {food} months)."
                ),
                true,
            );
        }
        return false;
    }
    trace!(
        realm,
        "march",
        vec![format!("place:{next}"), format!("army:{id}")],
        format!("{army_name} passes {name} by, leaving its garrison behind."),
        false,
    );
    true
}

/// Beaten armies turn for home.
fn rout(realm: &mut Realm, armies: &[Id]) {
    let month = realm.turn.month;
    for e in armies {
        if let Some(mut x) = realm.army_mut(e) {
            x.beaten = Some(month);
            let home = x.home;
            if x.at != home {
                x.route = std::collections::VecDeque::from([home]);
                x.progress_km = 0;
            }
        }
    }
}

fn sieges(realm: &mut Realm) {
    let s = realm.scenario();
    let rules = &s.library.rules;
    let month = realm.turn.month;
    // Places not under siege refill their granaries: each on its own, with
    // no draw, so the order of storage will do.
    for mut x in &mut realm.places {
        if !x.besieged && x.food_tenths < x.food_full {
            x.food_tenths = (x.food_tenths + rules.siege.resupply_tenths).min(x.food_full);
        }
    }
    // Sieges, by place id (they draw): a siege changes only its own place.
    // The few places under siege are found in storage order, then sorted.
    let mut besieged: SmallVec<[Id; 8]> = realm
        .places
        .iter()
        .filter(|p| p.besieged)
        .map(|p| p.id)
        .collect();
    besieged.sort_unstable();
    for id in besieged {
        let Some((holder, siege_from)) = realm.place(id).map(|p| (p.holder, p.siege_from)) else {
            continue;
        };
        let name = realm.narrated(|| s.place_name(&id));
        // Armies standing before the walls with no road left to march.
        let besiegers = realm.besiegers(id);
        if besiegers.is_empty() {
            if let Some(mut x) = realm.place_mut(id) {
                x.besieged = false;
                x.siege_from = None;
            }
            trace!(
                realm,
                "siege",
                vec![format!("place:{id}")],
                format!("The siege of {name} is lifted: no besieger remains before its walls."),
                true,
            );
            continue;
        }
        let strength: i32 = besiegers
            .iter()
            .filter_map(|b| realm.army(b))
            .map(|a| a.strength)
            .sum();
        let wall_km = s
            .geo
            .rules(id)
            .and_then(|r| r.wall_km)
            .unwrap_or(rules.siege.default_wall_km);
        // Relief armies outside keep the ring open.
        let holder = holder.unwrap_or(Court::Song);
        let outside: i32 = realm
            .active_unordered()
            .filter(|a| {
                a.court == holder && a.at != id && km(&s, a.at, id) <= rules.siege.relief_km
            })
            .map(|a| a.strength)
            .sum();
        let eaten = model::eaten_tenths(rules, strength, outside, wall_km);
        let ring = eaten * 10;
        if let Some(mut x) = realm.place_mut(id) {
            x.food_tenths = (x.food_tenths - eaten).max(0);
        }
        // No assault in the month the siege begins: the moat is bridged and
        // the engines built first.
        let first_month = siege_from.is_none_or(|m| m >= month);
        let mut fell = false;
        if !first_month {
            fell = realm.storm(id, &[], true) == Some(true);
        }
        if fell {
            continue;
        }
        let Some(food_tenths) = realm.place(id).map(|p| p.food_tenths) else {
            continue;
        };
        if abandoned_capital(realm, id, &besiegers) {
            continue;
        }
        if food_tenths <= 0 {
            let bp = rules.siege.starved_fall_pct * 100;
            let falls = realm.draw(bp);
            let court = realm.army(besiegers[0]).map_or(Court::Jin, |a| a.court);
            let text = realm.narrated(|| {
                format!(
                    "{name} has no food left ({ring}% ringed by {strength} thousand); chance it falls to hunger {}; {}.",
                    pct_text(bp),
                    if falls { "it fell" } else { "it still held" }
                )
            });
            let subjects = realm.narrated(|| {
                let mut v = vec![format!("place:{id}")];
                v.extend(besiegers.iter().map(|b| format!("army:{b}")));
                v
            });
            trace!(realm, "siege", subjects.clone(), text.clone(), true);
            if falls {
                cause!(realm, format!("[model] {text}"), subjects);
                realm.take(id, court);
            }
        }
    }
}

/// A besieged capital whose court has left it may open its gates. Returns
/// whether it did.
fn abandoned_capital(realm: &mut Realm, place: impl AsId, besiegers: &[Id]) -> bool {
    let place = place.as_id();
    let s = realm.scenario();
    let rules = &s.library.rules;
    let Some(holder) = realm.place(place).and_then(|p| p.holder) else {
        return false;
    };
    let Some((capital, seat)) = realm.court(holder).map(|c| (c.capital, c.seat)) else {
        return false;
    };
    if capital != place || seat == place {
        return false;
    }
    let morale = realm.gauge(holder, Gauge::Morale);
    let below = i64::from((rules.siege.abandoned_capital_morale - morale).max(0));
    let bp = u32::try_from(
        (below * rules.siege.abandoned_capital_pct_per_point)
            .clamp(0, rules.siege.abandoned_capital_max_pct.clamp(0, 100))
            * 100,
    )
    .unwrap_or(0);
    if bp == 0 {
        return false;
    }
    let opens = realm.draw(bp);
    let text = realm.narrated(|| {
        format!(
            "{}, its court gone to {}: morale {morale}; chance it opens its gates {}; {}.",
            s.place_name(&place),
            s.place_name(&seat),
            pct_text(bp),
            if opens {
                "the gates were opened"
            } else {
                "it held"
            }
        )
    });
    let subjects = realm.narrated(|| {
        let mut v = vec![format!("place:{place}"), format!("court:{}", holder.key())];
        v.extend(besiegers.iter().map(|b| format!("army:{b}")));
        v
    });
    trace!(realm, "siege", subjects.clone(), text.clone(), opens);
    if opens {
        let att = realm.army(besiegers[0]).map_or(holder.other(), |a| a.court);
        cause!(realm, format!("[model] {text}"), subjects);
        realm.take(place, att);
    }
    opens
}

fn supply(realm: &mut Realm) {
    let s = realm.scenario();
    let rules = &s.library.rules;
    let sr = &rules.supply;
    let summer = model::season(rules, &s, realm.turn.month) == "summer";
    // The Song pay their armies in the field.
    let song_k = realm.field_strength(Court::Song);
    let upkeep = song_k * sr.upkeep_per_50k / 50;
    if let Some(e) = realm.index.courts.get(&Court::Song).copied()
        && let Ok(mut c) = realm.courts.get_mut(e)
        && let Some(t) = c.gauges.get_mut(Gauge::Treasury)
    {
        *t = (*t + sr.song_income - upkeep).clamp(0, 100);
    }
    let unpaid = realm.gauge(Court::Song, Gauge::Treasury) <= 0;
    for id in realm.active_armies() {
        // Read in place (an army is not copied each month).
        let Some(a) = realm.army(id) else {
            continue;
        };
        let (at, court, morale, strength, home, kind, supply, idle) = (
            a.at,
            a.court,
            a.morale,
            a.strength,
            a.home,
            a.kind,
            a.supply,
            a.route.is_empty(),
        );
        let harassed = a.edges.iter().any(|e| e == HARASSED);
        let name = realm.narrated(|| a.name.clone());
        let on_own = realm.place(at).is_some_and(|p| p.holder == Some(court));
        if court == Court::Song && on_own {
            if unpaid {
                let morale = (morale + sr.unpaid_morale).max(0);
                if let Some(mut x) = realm.army_mut(id) {
                    x.morale = morale;
                }
                if morale <= sr.disperse_at {
                    if let Some(mut x) = realm.army_mut(id) {
                        x.active = false;
                        x.route.clear();
                    }
                    trace!(
                        realm,
                        "supply",
                        vec![format!("army:{id}"), "court:song".to_owned()],
                        format!(
                            "{} ({} thousand) scatters: the treasury is empty and the men have not been paid (morale {morale}).",
                            name, strength
                        ),
                        true,
                    );
                }
            }
            continue;
        }
        let dist = km(&s, at, home);
        if dist <= 100 {
            if let Some(mut x) = realm.army_mut(id) {
                x.supply = (x.supply + sr.regain).min(sr.full);
                // Back home, the harassment of the last campaign is over.
                x.edges.retain(|e| e != HARASSED);
            }
            continue;
        }
        let mut drain = sr.drain + i32::try_from(dist / 100).unwrap_or(0) * sr.per_100km;
        if summer && dist > sr.summer_beyond_km {
            drain += sr.summer_drain;
        }
        let forages = rules.kinds.get(kind).is_some_and(|k| k.forages);
        let relief = realm.strength_near(court.other(), at, rules.siege.relief_km);
        let denied = i64::from(relief) * 100
            >= i64::from(strength) * rules.siege.relief_pressure_ratio_pct
            || harassed;
        if denied {
            drain *= 2;
        } else if forages {
            drain /= 2;
        }
        let left = supply - drain;
        let withdraw = left <= sr.withdraw_at && idle;
        if let Some(mut x) = realm.army_mut(id) {
            x.supply = left.max(0);
            if left <= 0 {
                x.morale = (x.morale + sr.hungry_morale).max(0);
            }
            if withdraw {
                let home = x.home;
                x.route = std::collections::VecDeque::from([home]);
                x.progress_km = 0;
            }
        }
        if withdraw {
            let why = if denied && relief == 0 {
                "harassed night after night, it cannot forage".to_owned()
            } else if denied {
                format!("relief armies of {relief} thousand deny it the country")
            } else if summer {
                "the summer heat on the plains".to_owned()
            } else {
                format!("{dist} km from home")
            };
            trace!(
                realm,
                "supply",
                vec![format!("army:{id}"), format!("place:{}", at)],
                format!(
                    "{} ({} thousand) turns for home from {}: supply {} of {} ({why}; it spends {drain} a month).",
                    name,
                    strength,
                    s.place_name(&at),
                    left.max(0),
                    sr.full
                ),
                true,
            );
        }
    }
}

fn pursuit(realm: &mut Realm) {
    let s = realm.scenario();
    let rules = &s.library.rules;
    let f = &rules.flight;
    for court in Court::ALL {
        // Read in place (the court, with its gauges, is not copied).
        let Some((seat, capital)) = realm.court(court).map(|c| (c.seat, c.capital)) else {
            continue;
        };
        if seat == capital || realm.flags.contains(*CAPTURED) {
            continue;
        }
        if s.geo.rules(seat).is_some_and(|r| r.beyond_yangzi) {
            continue;
        }
        let capital_threatened = realm.place(capital).is_some_and(|p| {
            p.holder == Some(court.other()) || (p.besieged && p.holder == Some(court))
        });
        if !capital_threatened {
            continue;
        }
        // The nearest enemy army (by name among the nearest; the name is
        // copied only for the account).
        let nearest = realm
            .active()
            .filter(|a| a.court == court.other())
            .map(|a| (km(&s, a.at, seat), a.name.as_str()))
            .min()
            .map(|(d, name)| (d, realm.narrated(|| name.to_owned())));
        let Some((d, name)) = nearest else { continue };
        if d > f.pursuit_km {
            continue;
        }
        let bp = u32::try_from(f.pursuit_pct * (f.pursuit_km - d) * 100 / f.pursuit_km.max(1))
            .unwrap_or(0);
        let caught = realm.draw(bp);
        let text = realm.narrated(|| {
            format!(
                "Jin horse from {name}, {d} km from the {} court at {}: chance of a raid that takes it {}; {}.",
                court.name(),
                s.place_name(&seat),
                pct_text(bp),
                if caught {
                    "the court was overtaken"
                } else {
                    "no raid reached it"
                }
            )
        });
        let subjects =
            realm.narrated(|| vec![format!("court:{}", court.key()), format!("place:{seat}")]);
        trace!(realm, "pursuit", subjects.clone(), text.clone(), caught);
        if caught {
            cause!(realm, format!("[model] {text}"), subjects);
            let ruler = realm
                .court(court)
                .map_or_else(Id::empty, |c| Id::new(&c.ruler));
            realm.apply(&[
                crate::content::model::Effect::Set(*CAPTURED),
                crate::content::model::Effect::Fate(ruler, Fate::Captive),
            ]);
        }
    }
}
