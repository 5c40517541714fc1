//! Phase 5, chronicle: every month played gets an entry, even a quiet one.

use bevy::prelude::*;

use super::dispatch::fire_events;
use super::realm::Realm;
use super::state::Deferred;
use super::{TurnSystems, month_settled};

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        close_month
            .in_set(TurnSystems::Chronicle)
            .run_if(month_settled),
    );
}

fn close_month(mut realm: Realm, mut deferred: ResMut<Deferred>) {
    // Late events report what the war phase just did (a city's fall). A
    // decision they raise waits for next month's council.
    fire_events(&mut realm, &mut deferred.0, true);
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
