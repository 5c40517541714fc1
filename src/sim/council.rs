//! Phase 2, council: the decisions on the docket are answered — by a
//! [`Decide`] message for a court a person plays, by its policy otherwise.
//! While a person's answer is awaited the campaign waits in
//! [`CampaignPhase::Council`]. One decision is answered per update, so
//! each answer takes effect before the next council is weighed. A decision whose `available` condition fails
//! (a court that has fled is not asked what only the court in the capital
//! could decide) is passed over, and the trace says so.

use bevy::prelude::*;
use smallvec::SmallVec;

use super::realm::Realm;
use super::state::{Book, Resolution, Seat, Seats};
use super::{CampaignPhase, Decide, TurnSystems};
use crate::content::model::{Court, Decision, Id};
use crate::policy;

pub(crate) fn plugin(app: &mut App) {
    app.add_message::<Decide>().add_systems(
        Update,
        council.in_set(TurnSystems::Council).run_if(in_session),
    );
}

/// Run condition: a decision is on the docket, or the campaign is not in
/// its running phase (which the council puts back); otherwise the council
/// has nothing to do.
pub(super) fn in_session(book: Res<Book>, phase: Res<State<CampaignPhase>>) -> bool {
    !book.docket.0.is_empty() || *phase.get() != CampaignPhase::Running
}

/// An option's weight against the world: its base weight plus the
/// adjustments whose condition holds (each adding a constant and a share of
/// a rules score).
#[must_use]
pub fn option_score(realm: &Realm, decision: &Decision, i: usize) -> i32 {
    let o = &decision.options[i];
    o.weight
        + o.weigh
            .iter()
            .filter(|w| realm.holds(&w.when))
            .map(|w| {
                w.add
                    + w.score
                        .as_ref()
                        .and_then(|n| realm.score_value(n))
                        .map_or(0, |v| v * w.scale / 100)
            })
            .sum::<i32>()
}

fn council(
    mut realm: Realm,
    seats: Res<Seats>,
    mut decided: MessageReader<Decide>,
    mut next: ResMut<NextState<CampaignPhase>>,
    phase: Res<State<CampaignPhase>>,
) {
    let mut answers: Vec<Decide> = decided.read().cloned().collect();
    let content = realm.scenario();
    while let Some(id) = realm.docket.0.front().cloned() {
        let Some(decision) = content.decision(id) else {
            realm.docket.0.pop_front();
            continue;
        };
        if !realm.holds(&decision.available) {
            realm.docket.0.pop_front();
            let text = format!(
                "The council \"{}\" cannot be held: {}.",
                decision.title,
                super::why::unavailable_reason(&realm, &content, &decision.available)
            );
            trace!(
                realm,
                "council",
                vec![
                    format!("decision:{id}"),
                    format!("court:{}", decision.court.key()),
                ],
                text,
                true,
            );
            continue;
        }
        let court = decision.court;
        match seats.of(court) {
            Seat::Human => {
                let Some(pos) = answers.iter().position(|a| a.decision == id) else {
                    next.set(CampaignPhase::Council);
                    return;
                };
                let answer = answers.remove(pos);
                realm.resolutions.0.push_back(Resolution {
                    decision: id,
                    option: Id::new(&answer.option),
                    by: "player".to_owned(),
                });
                realm.docket.0.pop_front();
                break;
            }
            Seat::Policy(kind) => {
                let scores: SmallVec<[i32; 8]> = (0..decision.options.len())
                    .map(|i| option_score(&realm, decision, i))
                    .collect();
                let rng = match court {
                    Court::Song => &mut realm.rngs.song,
                    Court::Jin => &mut realm.rngs.jin,
                };
                let i = policy::choose(&kind, decision, |i| scores[i], rng);
                // A council that weighs the model's scores says what it
                // weighed (when anyone will read it).
                let weighed: Vec<String> = if !realm.narrating() {
                    Vec::new()
                } else {
                    let mut names: Vec<&String> = decision
                        .options
                        .iter()
                        .flat_map(|o| o.weigh.iter().filter_map(|w| w.score.as_ref()))
                        .collect();
                    names.sort();
                    names.dedup();
                    names.into_iter().map(|n| realm.score_text(n)).collect()
                };
                if !weighed.is_empty() {
                    let text = format!(
                        "The {} council \"{}\" ({kind}) weighed {}; it chose \"{}\".",
                        court.name(),
                        decision.title,
                        weighed.join("; "),
                        decision.options[i].label
                    );
                    trace!(
                        realm,
                        "council",
                        vec![format!("decision:{id}"), format!("court:{}", court.key())],
                        text,
                        false,
                    );
                }
                realm.resolutions.0.push_back(Resolution {
                    decision: id,
                    option: decision.options[i].id,
                    by: kind.to_string(),
                });
                realm.docket.0.pop_front();
                break;
            }
        }
    }
    // One answer per update: it takes effect (Resolve) before the next
    // council on the docket is weighed, so a court that has just fled is
    // not asked what only the court in the capital could decide. (A
    // campaign already running has no phase change to make.)
    if *phase.get() != CampaignPhase::Running {
        next.set(CampaignPhase::Running);
    }
}
