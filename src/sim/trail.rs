//! The campaign's course on the map, kept for the debrief: where each army
//! stood month by month, every siege, and every change of hands.
//!
//! One read-only system runs once a month after the chronicle has closed and
//! before the ending check. Nothing in the simulation reads the [`Trail`],
//! so it can never change a campaign; it only remembers it.

use std::collections::BTreeMap;

use bevy::prelude::*;

use super::state::{ArmyState, Book, PlaceState};
use super::{TurnPhases, TurnSystems};
use crate::calendar::MonthIdx;
use crate::content::model::Court;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Trail>().add_systems(
        Update,
        record
            .after(TurnSystems::Chronicle)
            .before(TurnSystems::End)
            .in_set(TurnPhases)
            .run_if(settled_and_narrating),
    );
}

/// Run condition: the campaign keeps its text and its map
/// ([`super::Narration::Full`]) and every decision of the month has been
/// answered (one condition, read once).
pub(super) fn settled_and_narrating(book: Res<Book>) -> bool {
    book.narration == super::Narration::Full && book.docket.0.is_empty()
}

/// The course of a campaign as the map draws it.
#[derive(Resource, Default, Debug, Clone, PartialEq, Eq)]
pub struct Trail {
    /// Per army id: its starting place, then each place it stood at the end
    /// of a month where it had moved, with that month.
    pub armies: BTreeMap<String, Vec<(MonthIdx, String)>>,
    /// Every siege, in the order they began.
    pub sieges: Vec<SiegeSpell>,
    /// Every change of hands, in order.
    pub changes: Vec<HandChange>,
    /// Holder and siege state of each place as last seen.
    seen: BTreeMap<String, (Option<Court>, bool)>,
    started: bool,
}

/// One siege: a place under siege from one month to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiegeSpell {
    /// Place id.
    pub place: String,
    /// Who held it when the siege began.
    pub holder: Option<Court>,
    /// First month under siege.
    pub from: MonthIdx,
    /// Last month under siege; `None` if it still is at the end.
    pub until: Option<MonthIdx>,
    /// It changed hands when the siege ended.
    pub fell: bool,
}

/// A place that changed hands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandChange {
    /// Place id.
    pub place: String,
    /// Month.
    pub month: MonthIdx,
    /// Previous holder.
    pub from: Option<Court>,
    /// New holder.
    pub to: Option<Court>,
}

fn record(
    mut trail: ResMut<Trail>,
    book: Res<Book>,
    armies: Query<&ArmyState>,
    places: Query<&PlaceState>,
) {
    let s = &book.content.0;
    let month = book.turn.month;
    let index = &book.index;
    if !trail.started {
        trail.started = true;
        for a in &s.meta.state.armies {
            trail
                .armies
                .insert(a.id.to_string(), vec![(s.start, a.at.to_string())]);
        }
        for p in &s.meta.state.places {
            trail
                .seen
                .insert(p.place.to_string(), (p.holder, p.besieged));
            if p.besieged {
                trail.sieges.push(SiegeSpell {
                    place: p.place.to_string(),
                    holder: p.holder,
                    from: s.start,
                    until: None,
                    fell: false,
                });
            }
        }
    }
    for (id, e) in &index.armies {
        let Ok(a) = armies.get(*e) else { continue };
        let steps = trail.armies.entry(id.to_string()).or_default();
        if steps.last().is_none_or(|(_, at)| *at != a.at) {
            steps.push((month, a.at.to_string()));
        }
    }
    for (id, e) in &index.places {
        let Ok(p) = places.get(*e) else { continue };
        let (holder, besieged) = trail
            .seen
            .get(id.as_str())
            .copied()
            .unwrap_or((p.holder, false));
        if holder != p.holder {
            trail.changes.push(HandChange {
                place: id.to_string(),
                month,
                from: holder,
                to: p.holder,
            });
        }
        if p.besieged && !besieged {
            trail.sieges.push(SiegeSpell {
                place: id.to_string(),
                holder,
                from: month,
                until: None,
                fell: false,
            });
        }
        let ended = (besieged && !p.besieged) || (p.besieged && holder != p.holder);
        if ended
            && let Some(open) = trail
                .sieges
                .iter_mut()
                .rev()
                .find(|x| x.place == *id && x.until.is_none())
        {
            open.until = Some(month);
            open.fell = holder != p.holder;
        }
        trail.seen.insert(id.to_string(), (p.holder, p.besieged));
    }
}
