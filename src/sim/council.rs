//! Phase 2, council: the decisions on the docket are answered — by a
//! [`Decide`] message for a court a person plays, by its policy otherwise.
//! While a person's answer is awaited the campaign waits in
//! [`CampaignPhase::Council`].

use bevy::prelude::*;

use super::realm::Realm;
use super::state::{Docket, Resolution, Resolutions, Seat, Seats};
use super::{CampaignPhase, Decide, TurnSystems};
use crate::content::model::Court;
use crate::policy;

pub(crate) fn plugin(app: &mut App) {
    app.add_message::<Decide>()
        .add_systems(Update, council.in_set(TurnSystems::Council));
}

fn council(
    mut realm: Realm,
    mut docket: ResMut<Docket>,
    mut resolutions: ResMut<Resolutions>,
    seats: Res<Seats>,
    mut decided: MessageReader<Decide>,
    mut next: ResMut<NextState<CampaignPhase>>,
) {
    let mut answers: Vec<Decide> = decided.read().cloned().collect();
    let content = realm.content.0.clone();
    while let Some(id) = docket.0.front().cloned() {
        let Some(decision) = content.decisions.get(&id) else {
            docket.0.pop_front();
            continue;
        };
        let court = decision.court;
        match seats.of(court) {
            Seat::Human => {
                let Some(pos) = answers.iter().position(|a| a.decision == id) else {
                    next.set(CampaignPhase::Council);
                    return;
                };
                let answer = answers.remove(pos);
                resolutions.0.push_back(Resolution {
                    decision: id,
                    option: answer.option,
                    by: "player".to_owned(),
                });
            }
            Seat::Policy(kind) => {
                let scores: Vec<i32> = decision
                    .options
                    .iter()
                    .map(|o| {
                        o.weight
                            + o.weigh
                                .iter()
                                .filter(|w| realm.holds(&w.when))
                                .map(|w| w.add)
                                .sum::<i32>()
                    })
                    .collect();
                let rng = match court {
                    Court::Song => &mut realm.rngs.song,
                    Court::Jin => &mut realm.rngs.jin,
                };
                let i = policy::choose(&kind, decision, |i| scores[i], rng);
                resolutions.0.push_back(Resolution {
                    decision: id,
                    option: decision.options[i].id.clone(),
                    by: kind.to_string(),
                });
            }
        }
        docket.0.pop_front();
    }
    next.set(CampaignPhase::Running);
}
