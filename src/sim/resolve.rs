//! Phase 3, resolution: answered decisions take effect and enter the ledger.

use bevy::prelude::*;

use super::TurnSystems;
use super::realm::Realm;
use super::state::{Book, DecisionTaken, Line, LineKind};

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        resolve.in_set(TurnSystems::Resolve).run_if(answered),
    );
}

/// Run condition: an answer waits to take effect.
pub(super) fn answered(book: Res<Book>) -> bool {
    !book.resolutions.0.is_empty()
}

fn resolve(mut realm: Realm) {
    let content = realm.scenario();
    let month = realm.turn.month;
    while let Some(mut r) = realm.resolutions.0.pop_front() {
        let Some(decision) = content.decision(r.decision) else {
            continue;
        };
        let Some(option) = decision.options.iter().find(|o| o.id == r.option) else {
            continue;
        };
        // Who chose is kept; a narrated campaign also writes it below.
        let by = if realm.narrating() {
            r.by.clone()
        } else {
            std::mem::take(&mut r.by)
        };
        realm.ledger.decisions.push(DecisionTaken {
            decision: r.decision,
            option: r.option,
            month,
            by,
        });
        if !realm.narrating() {
            realm.apply(&option.effects);
            continue;
        }
        let text = if option.detail.is_empty() {
            option.label.clone()
        } else {
            option.detail.clone()
        };
        realm.chronicle.push(
            month,
            Line {
                kind: LineKind::Decision(decision.court),
                title: decision.title.clone(),
                text,
                to: None,
            },
        );
        realm.set_cause(
            format!(
                "the {} council \"{}\" chose \"{}\" ({})",
                decision.court.name(),
                decision.title,
                option.label,
                r.by
            ),
            vec![format!("decision:{}", decision.id)],
        );
        realm.apply(&option.effects);
    }
}
