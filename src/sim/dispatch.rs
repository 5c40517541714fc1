//! Phase 1, dispatches: delayed consequences that fall due land, then the
//! month's events fire and put their decisions on the docket.

use bevy::prelude::*;

use super::TurnSystems;
use super::realm::Realm;
use super::state::{Book, Line, LineKind};
use super::why::cond_subjects;
use crate::content::model::Certainty;

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        dispatch
            .in_set(TurnSystems::Dispatch)
            .run_if(not_dispatched),
    );
}

/// Run condition: the month's dispatches have not yet come in (they come
/// in at its first update; the others only answer its councils).
pub(super) fn not_dispatched(book: Res<Book>) -> bool {
    !book.turn.dispatched
}

fn dispatch(mut realm: Realm) {
    realm.turn.dispatched = true;
    let month = realm.turn.month;

    // Consequences scheduled for this month, in the order they were made
    // (most months none is due: the waiting ones are then left in place).
    let due: Vec<_> = if realm.scheduled.0.iter().any(|p| p.due <= month) {
        let (due, rest) = std::mem::take(&mut realm.scheduled.0)
            .into_iter()
            .partition(|p| p.due <= month);
        realm.scheduled.0 = rest;
        due
    } else {
        Vec::new()
    };
    for p in due {
        if !realm.holds(&p.when) {
            continue;
        }
        if realm.narrating() {
            realm.chronicle.push(
                month,
                Line {
                    kind: LineKind::Consequence,
                    title: String::new(),
                    text: p.note.clone(),
                    to: None,
                },
            );
            realm.set_cause(
                format!("a consequence of {}: {}", p.cause, p.note),
                cond_subjects(&p.when),
            );
        }
        realm.apply(&p.effects);
    }

    fire_events(&mut realm, false);
}

/// Fires the month's events, in file order, each at most once. With `late`,
/// only events marked `late` are considered (after the world has moved).
pub(super) fn fire_events(realm: &mut Realm, late: bool) {
    let month = realm.turn.month;
    let content = realm.scenario();
    let candidates = if late {
        content.late_events_in(month)
    } else {
        content.events_in(month)
    };
    for &i in candidates {
        let i = i as usize;
        let Some(event) = content.events.get(i) else {
            continue;
        };
        let (Some(false), Some(w)) = (
            realm.fired.events.get(i).copied(),
            realm.fired.witness.get(i).copied(),
        ) else {
            continue;
        };
        // The atom that kept it from firing last time still does: its
        // condition is still false (see `Realm::settle`).
        if realm.still(&event.when, &w) {
            continue;
        }
        let mut w = w;
        let holds = realm.settle(&event.when, &mut w);
        realm.fired.witness[i] = w;
        if !holds {
            continue;
        }
        realm.fired.events[i] = true;
        if realm.narrating() {
            // The account of why reads the ids (every campaign keeps the
            // positions), the chronicle the line, the origins the cause.
            realm.ledger.fired.insert(event.id);
            let shift = content
                .event_on
                .get(i)
                .copied()
                .flatten()
                .map_or(0, |on| i32::from(month.0) - i32::from(on.0));
            let kind = if shift != 0 && event.certainty != Certainty::Invented {
                LineKind::Moved(event.certainty, event.sources.clone(), shift)
            } else {
                LineKind::Dispatch(event.certainty, event.sources.clone())
            };
            realm.chronicle.push(
                month,
                Line {
                    kind,
                    title: event.title.clone(),
                    text: event.text.clone(),
                    to: event.to,
                },
            );
            realm.set_cause(
                format!("the dispatch \"{}\"", event.title),
                cond_subjects(&event.when),
            );
        }
        realm.apply(&event.effects);
        if let Some(d) = &event.decision
            && realm.ledger.chose(*d).is_none()
            && !realm.docket.0.contains(d)
        {
            realm.docket.0.push_back(*d);
        }
    }
}
