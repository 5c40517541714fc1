//! Phase 6, ending check: an ending whose condition holds closes the
//! campaign; otherwise the calendar moves on a month.

use bevy::prelude::*;

use super::realm::Realm;
use super::{CampaignPhase, TurnSystems, month_settled};
use crate::content::model::Court;

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        check_endings.in_set(TurnSystems::End).run_if(month_settled),
    );
}

fn check_endings(mut realm: Realm, mut next: ResMut<NextState<CampaignPhase>>) {
    let content = realm.content.0.clone();
    let month = realm.turn.month;
    let last = month >= content.end;
    let mut found = Vec::new();
    for court in Court::ALL {
        let early = content
            .endings
            .iter()
            .filter(|e| e.court == court && e.early)
            .find(|e| realm.holds(&e.when));
        if let Some(e) = early {
            found.push((court, e.id.clone()));
        }
    }
    let ends_now = last || !found.is_empty();
    if !ends_now && let Some(n) = content.calendar().next(month) {
        realm.turn.month = n;
        realm.turn.dispatched = false;
        realm.turn.moved = false;
        return;
    }
    for court in Court::ALL {
        if found.iter().any(|(c, _)| *c == court) {
            continue;
        }
        if let Some(e) = content
            .endings
            .iter()
            .filter(|e| e.court == court)
            .find(|e| realm.holds(&e.when))
        {
            found.push((court, e.id.clone()));
        }
    }
    for (court, id) in found {
        realm.ledger.endings.insert(court, id);
    }
    realm.ledger.ended = Some(month);
    if realm.narrating() {
        super::why::explain(&mut realm);
    }
    next.set(CampaignPhase::Ended);
}
