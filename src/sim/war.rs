//! Phase 4, the world moves: armies march along their routes (up to their
//! speed in places a month), open sieges on enemy-held walls and assault
//! them; every besieged place eats a month of its food, and a place with
//! none left is likely to fall. Everything this phase writes in the
//! chronicle is model output.

use bevy::prelude::*;
use rand::Rng;

use super::realm::Realm;
use super::{TurnSystems, month_settled};

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (march, starve)
            .chain()
            .in_set(TurnSystems::Move)
            .run_if(month_settled),
    );
}

/// Percent chance that an assault takes the walls this month.
#[must_use]
pub fn assault_chance(strength: i32, morale: i32, garrison: i32, walls: i32, food: i32) -> u8 {
    let mut pct = 5 + 3 * strength / 2 - 2 * garrison - walls / 5 + morale / 10;
    if food <= 0 {
        pct += 30;
    }
    u8::try_from(pct.clamp(2, 80)).unwrap_or(2)
}

/// Percent chance that a starving place falls in a month.
pub const STARVED_FALL_PERCENT: u8 = 70;

fn march(mut realm: Realm) {
    // Sorted by id so the draws below never depend on storage order.
    let armies: Vec<(String, Entity)> = realm
        .index
        .armies
        .iter()
        .map(|(id, e)| (id.clone(), *e))
        .collect();
    let content = realm.content.0.clone();
    for (_, entity) in armies {
        let Ok(army) = realm.armies.get(entity).cloned() else {
            continue;
        };
        if army.strength <= 0 {
            continue;
        }
        for _ in 0..army.speed.max(1) {
            let Ok(army) = realm.armies.get(entity).cloned() else {
                break;
            };
            let Some(next) = army.route.front().cloned() else {
                break;
            };
            let Some(pe) = realm.index.places.get(&next).copied() else {
                break;
            };
            let Ok(place) = realm.places.get(pe).cloned() else {
                break;
            };
            let place_name = content.place_name(&next);
            let hostile = place.holder == Some(army.court.other());
            if hostile && place.garrison > 0 {
                let chance = assault_chance(
                    army.strength,
                    army.morale,
                    place.garrison,
                    place.walls,
                    place.food,
                );
                let roll: u8 = realm.rngs.world.random_range(0..100);
                let taken = roll < chance;
                if let Ok(mut p) = realm.places.get_mut(pe) {
                    if taken {
                        p.holder = Some(army.court);
                        p.besieged = false;
                        p.garrison = 0;
                    } else {
                        p.besieged = true;
                    }
                }
                if let Ok(mut a) = realm.armies.get_mut(entity) {
                    if taken {
                        a.at = next.clone();
                        a.route.pop_front();
                    } else {
                        a.morale = (a.morale - 2).max(0);
                    }
                }
                if taken {
                    realm.note(format!("{} storms {place_name}.", army.name));
                } else {
                    realm.note(format!(
                        "{} lies before the walls of {place_name}.",
                        army.name
                    ));
                }
                break;
            }
            if let Ok(mut p) = realm.places.get_mut(pe) {
                p.holder = Some(army.court);
                p.besieged = false;
            }
            if let Ok(mut a) = realm.armies.get_mut(entity) {
                a.at = next.clone();
                a.route.pop_front();
            }
            realm.note(format!("{} reaches {place_name}.", army.name));
        }
    }
}

fn starve(mut realm: Realm) {
    let places: Vec<(String, Entity)> = realm
        .index
        .places
        .iter()
        .map(|(id, e)| (id.clone(), *e))
        .collect();
    let content = realm.content.0.clone();
    for (id, entity) in places {
        let Ok(place) = realm.places.get(entity).cloned() else {
            continue;
        };
        if !place.besieged {
            continue;
        }
        let food = place.food - 1;
        let falls = food <= 0 && {
            let roll: u8 = realm.rngs.world.random_range(0..100);
            roll < STARVED_FALL_PERCENT
        };
        if let Ok(mut p) = realm.places.get_mut(entity) {
            p.food = food.max(0);
            if falls {
                p.holder = p.holder.map(|h| h.other());
                p.besieged = false;
                p.garrison = 0;
            }
        }
        let name = content.place_name(&id);
        if falls {
            realm.note(format!("{name}, its food gone, falls to the besiegers."));
        } else if food <= 0 {
            realm.note(format!("{name} is starving but still holds."));
        }
    }
}
