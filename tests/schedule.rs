use bevy::ecs::schedule::{LogLevel, ScheduleBuildSettings};
use bevy::prelude::*;
use jingkang::sim::{Campaign, Seats};

use crate::util;

#[test]
fn the_turn_pipeline_has_no_ambiguous_system_order() {
    let mut c = Campaign::new(util::scenario("pingzhou"), 1, Seats::all_recorded());
    let app = c.app_mut();
    let result = app
        .world_mut()
        .resource_scope(|world, mut schedules: Mut<Schedules>| {
            let schedule = schedules.get_mut(Update).expect("the Update schedule");
            schedule.set_build_settings(ScheduleBuildSettings {
                ambiguity_detection: LogLevel::Error,
                ..Default::default()
            });
            match schedule.initialize(world) {
                Ok(_) => Ok(()),
                Err(e) => Err(e.to_string(schedule.graph(), world)),
            }
        });
    assert_eq!(
        result,
        Ok(()),
        "system-order ambiguity in the turn pipeline"
    );
}
