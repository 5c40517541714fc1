//! Phase 5, chronicle: late events report what the war phase did (a
//! city's fall, a river crossed) in the month it happens, and any decision
//! they raise goes to this month's council (the turn waits for it before
//! the ending check); every month played gets an entry, even a quiet one.

use bevy::prelude::*;

use super::dispatch::fire_events;
use super::realm::Realm;
use super::{TurnSystems, month_settled};

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        close_month
            .in_set(TurnSystems::Chronicle)
            .run_if(month_settled),
    );
}

fn close_month(mut realm: Realm) {
    fire_events(&mut realm, true);
    if !realm.narrating() {
        return;
    }
    let month = realm.turn.month;
    let has_entry = realm
        .chronicle
        .entries
        .last()
        .is_some_and(|e| e.month == month);
    if !has_entry {
        realm.note("No dispatch of note reaches the court this month.".to_owned());
    }
}
