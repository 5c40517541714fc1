//! Phase 4, the world moves: armies march along their routes one place a
//! month, open sieges on enemy-held walls, and take or fail to take them.
//! Everything this phase writes in the chronicle is model output.

use bevy::prelude::*;
use rand::Rng;

use super::realm::Realm;
use super::{TurnSystems, month_settled};

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(Update, march.in_set(TurnSystems::Move).run_if(month_settled));
}

/// Percent chance that a siege ends with the walls taken this month.
#[must_use]
pub fn assault_chance(strength: i32, morale: i32, garrison: i32, walls: i32, food: i32) -> u8 {
    let mut pct = 5 + 3 * strength / 2 - 2 * garrison - walls / 5 + morale / 10;
    if food <= 0 {
        pct += 30;
    }
    u8::try_from(pct.clamp(2, 80)).unwrap_or(2)
}

fn march(mut realm: Realm) {
    // Sorted by id so the draws below never depend on storage order.
    let mut armies: Vec<(String, Entity)> = realm
        .index
        .armies
        .iter()
        .map(|(id, e)| (id.clone(), *e))
        .collect();
    armies.sort();
    for (_, entity) in armies {
        let Ok(army) = realm.armies.get(entity).cloned() else {
            continue;
        };
        let Some(next) = army.route.front().cloned() else {
            continue;
        };
        let Some(pe) = realm.index.places.get(&next).copied() else {
            continue;
        };
        let Ok(place) = realm.places.get(pe).cloned() else {
            continue;
        };
        let hostile = place.holder == Some(army.court.other());
        let content = realm.content.0.clone();
        let place_name = content.place_name(&next);
        if hostile && place.garrison > 0 {
            let chance = assault_chance(army.strength, army.morale, place.garrison, place.walls, place.food);
            let roll: u8 = realm.rngs.world.random_range(0..100);
            if let Ok(mut p) = realm.places.get_mut(pe) {
                p.besieged = true;
                p.food -= 1;
            }
            if roll < chance {
                if let Ok(mut p) = realm.places.get_mut(pe) {
                    p.holder = Some(army.court);
                    p.besieged = false;
                    p.garrison = 0;
                }
                if let Ok(mut a) = realm.armies.get_mut(entity) {
                    a.at = next.clone();
                    a.route.pop_front();
                }
                realm.note(format!("{} takes {place_name}.", army.name));
            } else {
                if let Ok(mut a) = realm.armies.get_mut(entity) {
                    a.morale = (a.morale - 2).max(0);
                }
                realm.note(format!("{} lies before the walls of {place_name}.", army.name));
            }
        } else {
            if let Ok(mut p) = realm.places.get_mut(pe)
                && p.holder != Some(army.court)
            {
                p.holder = Some(army.court);
            }
            if let Ok(mut a) = realm.armies.get_mut(entity) {
                a.at = next.clone();
                a.route.pop_front();
            }
            realm.note(format!("{} marches to {place_name}.", army.name));
        }
    }
}
