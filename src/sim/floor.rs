//! The framework's floor: what the turn costs in Bevy when its systems do
//! nothing.
//!
//! [`Campaign::idle_turns`] runs a schedule shaped like the turn's `Update`
//! — the same six chained phase sets, the same systems with the same
//! parameters (the [`Realm`] with its book and queries, the seats, the
//! `Decide` messages, the phase) and the same
//! run conditions — whose systems return at once. `jingkang bench` times it
//! for as many updates as real campaigns take, which measures what a
//! campaign costs before any rule of the war model runs: the ceiling on
//! campaigns a second for a simulation whose turn phases are Bevy systems.
//! Nothing else uses it.

use bevy::ecs::schedule::ScheduleLabel;
use bevy::prelude::*;

use super::council::in_session;
use super::dispatch::not_dispatched;
use super::realm::Realm;
use super::resolve::answered;
use super::state::{Book, Seats};
use super::trail::settled_and_narrating;
use super::war::war_due;
use super::{
    Campaign, CampaignPhase, Decide, TurnPhases, TurnSystems, configure_turn_sets, month_settled,
};

/// The idle turn's schedule.
#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
struct IdleTurn;

fn dispatch(mut realm: Realm) {
    realm.turn.dispatched = true;
}

fn council(
    _realm: Realm,
    _seats: Res<Seats>,
    _decided: MessageReader<Decide>,
    _next: ResMut<NextState<CampaignPhase>>,
    _phase: Res<State<CampaignPhase>>,
) {
}

fn resolve(_realm: Realm, mut left: ResMut<IdleCouncils>) {
    left.0 = left.0.saturating_sub(1);
}

/// How many of the idle turn's updates still stand for a council (the
/// idle council leaves the docket empty, so this stands in for it).
#[derive(Resource, Default)]
struct IdleCouncils(u32);

fn idle_council(left: Res<IdleCouncils>) -> bool {
    left.0 > 0
}

fn war(mut realm: Realm) {
    realm.turn.moved = true;
}

fn chronicle(_realm: Realm) {}

fn ending(_realm: Realm, _next: ResMut<NextState<CampaignPhase>>) {}

fn trail(_book: Res<Book>) {}

fn idle_schedule() -> Schedule {
    let mut s = Schedule::new(IdleTurn);
    configure_turn_sets(&mut s);
    s.add_systems((
        dispatch
            .in_set(TurnSystems::Dispatch)
            .run_if(not_dispatched),
        council
            .in_set(TurnSystems::Council)
            .run_if(in_session.or_else(idle_council)),
        resolve
            .in_set(TurnSystems::Resolve)
            .run_if(answered.or_else(idle_council)),
        war.in_set(TurnSystems::Move).run_if(war_due),
        chronicle
            .in_set(TurnSystems::Chronicle)
            .run_if(month_settled),
        ending.in_set(TurnSystems::End).run_if(month_settled),
        trail
            .after(TurnSystems::Chronicle)
            .before(TurnSystems::End)
            .in_set(TurnPhases)
            .run_if(settled_and_narrating),
    ));
    s
}

impl Campaign {
    /// Runs the idle turn `updates` times on this campaign's world (restart
    /// it first: an ended campaign's phase gates the sets off): the
    /// dispatch and war phases in the first `months` of them, as a campaign
    /// runs them once a month, the council and resolution in the first
    /// `councils`, as a campaign runs them once for each answer. The world
    /// is left as it was.
    pub fn idle_turns(&mut self, updates: u32, months: u32, councils: u32) {
        let world = self.app.world_mut();
        let turn = world
            .get_resource::<Book>()
            .map(|b| (b.turn.moved, b.turn.dispatched));
        world.insert_resource(IdleCouncils(councils));
        if !world.resource::<Schedules>().contains(IdleTurn.intern()) {
            world.add_schedule(idle_schedule());
        }
        let _ = world.try_schedule_scope(IdleTurn, |world, s| {
            for i in 0..updates {
                if i < months
                    && let Some(mut b) = world.get_resource_mut::<Book>()
                {
                    b.turn.moved = false;
                    b.turn.dispatched = false;
                }
                s.run(world);
            }
        });
        world.remove_resource::<IdleCouncils>();
        if let (Some((moved, dispatched)), Some(mut b)) = (turn, world.get_resource_mut::<Book>()) {
            b.turn.moved = moved;
            b.turn.dispatched = dispatched;
        }
    }
}
