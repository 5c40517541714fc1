//! The campaign as a Bevy ECS app: the `sim` layer.
//!
//! The three main types: [`SimPlugin`] (builds the world from a scenario and
//! adds the turn pipeline), [`Campaign`] (the state machine front ends drive:
//! [`Campaign::advance`] runs months until a council or the end,
//! [`Campaign::decide`] answers the council) and [`Decide`] (the message a
//! front end sends).
//!
//! A turn is one lunar month, run as the chained [`TurnSystems`] sets:
//! dispatches, council, resolution, the world moves, chronicle, ending
//! check. [`CampaignPhase`] says whether the campaign is running, waiting at
//! council, or ended. The sim never prints, never reads input, the clock or
//! the environment; all chance comes from ChaCha streams seeded by the run
//! seed.
//!
//! ```
//! use std::sync::Arc;
//! use jingkang::sim::{Campaign, Seats, Step};
//! let scenario = Arc::new(jingkang::content::load_embedded("pingzhou").unwrap());
//! let mut c = Campaign::new(scenario, 7, Seats::all_recorded());
//! while let Step::Council(view) = c.advance() {
//!     c.decide(&view.options[0].id).unwrap();
//! }
//! assert!(c.ended());
//! ```

/// Writes a trace only when the campaign is narrated: the arguments (its
/// subjects and text, formatted) are not even built for a campaign no one
/// will read.
macro_rules! trace {
    ($realm:expr, $($arg:expr),+ $(,)?) => {
        if $realm.narrating() {
            $realm.trace($($arg),+);
        }
    };
}

/// Sets the cause of what follows only when the campaign is narrated (the
/// cause's text is not built otherwise).
macro_rules! cause {
    ($realm:expr, $($arg:expr),+ $(,)?) => {
        if $realm.narrating() {
            $realm.set_cause($($arg),+);
        }
    };
}

mod chronicle;
mod council;
mod dispatch;
mod ending;
mod floor;
pub mod model;
pub mod realm;
mod resolve;
pub mod state;
pub mod trail;
pub mod war;
pub mod why;

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use bevy::ecs::system::SystemState;
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use state::{
    ArmyState, Chronicle, ChronicleEntry, CourtState, DecisionTaken, Ledger, Line, LineKind,
    PersonState, PlaceState, Seat, Seats, Trace,
};

use crate::calendar::MonthIdx;
use crate::content::Scenario;
use crate::content::model::{Court, Fate, Gauge, Id};
use crate::policy::PolicyKind;
pub use state::Narration;
use state::{Book, Content, Docket, Fired, Flags, Index, Resolutions, Rngs, Scheduled, Turn};

/// Where the campaign stands.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CampaignPhase {
    /// Months are passing.
    #[default]
    Running,
    /// A council waits for a person's answer.
    Council,
    /// An ending has been reached.
    Ended,
}

/// The phases of a turn, run in this order every update.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TurnSystems {
    /// Consequences land; events fire; decisions go on the docket.
    Dispatch,
    /// Decisions are answered.
    Council,
    /// Answers take effect.
    Resolve,
    /// Armies march, sieges progress.
    Move,
    /// The month's chronicle entry is closed.
    Chronicle,
    /// Endings are checked; the calendar moves on.
    End,
}

/// Every system of the turn: the set that stops them all once the campaign
/// has ended (its condition is read once an update, not once per phase).
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TurnPhases;

/// A person's answer at council.
///
/// Written by a front end (through [`Campaign::decide`]); read by the
/// council phase, which matches it to the decision at the head of the docket.
#[derive(Message, Debug, Clone, PartialEq, Eq)]
pub struct Decide {
    /// Decision id.
    pub decision: String,
    /// Option id.
    pub option: String,
}

/// The turn's six phase sets, in order, all in [`TurnPhases`], which does
/// not run once the campaign has ended (the turn's own schedule and the
/// benchmark's idle copy of it).
fn configure_turn_sets(schedule: &mut Schedule) {
    schedule.configure_sets(TurnPhases.run_if(not(in_state(CampaignPhase::Ended))));
    schedule.configure_sets(
        (
            TurnSystems::Dispatch,
            TurnSystems::Council,
            TurnSystems::Resolve,
            TurnSystems::Move,
            TurnSystems::Chronicle,
            TurnSystems::End,
        )
            .chain()
            .in_set(TurnPhases),
    );
}

/// Run condition: every decision of the month has been answered.
fn month_settled(book: Res<Book>) -> bool {
    book.docket.0.is_empty()
}

/// Builds a campaign world and its turn pipeline.
pub struct SimPlugin {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// The run seed.
    pub seed: u64,
    /// Who decides for each court.
    pub seats: Seats,
}

impl Plugin for SimPlugin {
    fn build(&self, app: &mut App) {
        if !app.is_plugin_added::<StatesPlugin>() {
            app.add_plugins(StatesPlugin);
        }
        app.init_state::<CampaignPhase>();
        app.edit_schedule(Update, configure_turn_sets);
        app.add_plugins((
            dispatch::plugin,
            council::plugin,
            resolve::plugin,
            war::plugin,
            chronicle::plugin,
            ending::plugin,
            trail::plugin,
        ));
        start(
            app.world_mut(),
            &self.scenario,
            self.seed,
            self.seats.clone(),
        );
    }
}

/// Puts a campaign's world at its first month: the random streams of
/// `seed`, the seats, an empty calendar, docket, ledger and chronicle, the
/// scenario's flags and grievances, and a fresh entity for every court,
/// place, army and person. [`SimPlugin`] calls it once; [`Campaign::restart`]
/// calls it again on the same world, so a reused world starts exactly as a
/// new one does.
fn start(world: &mut World, scenario: &Arc<Scenario>, seed: u64, seats: Seats) {
    let stream = |n: u64| {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(n);
        r
    };
    world.insert_resource(seats);
    world.insert_resource(trail::Trail::default());
    // A restarted world keeps its entities (and their look-up) and puts
    // their first state back; a new one spawns them.
    let old = world.remove_resource::<Book>();
    let narration = old.as_ref().map_or(Narration::Full, |b| b.narration);
    // The flags and the events fired keep their room from the campaign
    // before (they are put back to the start below).
    let mut flags = Flags::default();
    let mut fired = Fired::default();
    let mut ledger = state::Ledger::default();
    let index = match (world.remove_resource::<Initial>(), old) {
        (Some(mut initial), Some(old)) => {
            initial.reset(world);
            world.insert_resource(initial);
            flags = old.flags;
            fired = old.fired;
            ledger = old.ledger;
            old.index
        }
        _ => {
            let (index, initial) = spawn_world(world, scenario);
            world.insert_resource(initial);
            index
        }
    };
    flags.reset(scenario.meta.state.flags.iter().copied());
    fired.reset(scenario.events.len());
    ledger.reset();
    for g in &scenario.meta.state.grievances {
        ledger
            .grievances
            .entry(g.by)
            .or_default()
            .push(state::GrievanceItem {
                id: g.id.clone(),
                weight: g.weight,
                text: g.text.clone(),
                month: scenario.start,
            });
    }
    world.insert_resource(Book {
        content: Content(scenario.clone()),
        index,
        narration,
        turn: Turn {
            month: scenario.start,
            dispatched: false,
            moved: false,
        },
        flags,
        ledger,
        chronicle: state::Chronicle::default(),
        scheduled: Scheduled::default(),
        rngs: Rngs {
            world: stream(1),
            song: stream(2),
            jin: stream(3),
        },
        cause: state::Cause::default(),
        fired,
        docket: Docket::default(),
        resolutions: Resolutions::default(),
    });
}

/// Every entity's first state, kept so that a restarted campaign can put
/// it back without spawning its world again (the entities of a campaign are
/// fixed at its start: armies the record raises later are in the world from
/// the start, not yet active).
#[derive(Resource)]
struct Initial {
    courts: Vec<(Entity, CourtState)>,
    places: Vec<(Entity, PlaceState)>,
    armies: Vec<(Entity, ArmyState)>,
    people: Vec<(Entity, PersonState)>,
    /// Each kind's storage, walked beside its list above when a campaign
    /// restarts (built once with the world).
    walks: Walks,
}

/// Cached queries over every entity of each kind.
struct Walks {
    courts: QueryState<(Entity, &'static mut CourtState)>,
    places: QueryState<(Entity, &'static mut PlaceState)>,
    armies: QueryState<(Entity, &'static mut ArmyState)>,
    people: QueryState<(Entity, &'static mut PersonState)>,
}

impl Initial {
    fn reset(&mut self, world: &mut World) {
        /// Puts each entity's first state back: the storage is walked
        /// beside the list (both are in the order the entities were
        /// spawned, and none is ever added, moved or removed after), with a
        /// look-up of each entity only if the two ever disagreed.
        fn put<C: Component<Mutability = bevy::ecs::component::Mutable> + Clone>(
            world: &mut World,
            walk: &mut QueryState<(Entity, &'static mut C)>,
            all: &[(Entity, C)],
        ) {
            let mut firsts = all.iter();
            let mut agreed = true;
            for (e, mut x) in walk.iter_mut(world) {
                match firsts.next() {
                    Some((first, c)) if *first == e => x.clone_from(c),
                    _ => {
                        agreed = false;
                        break;
                    }
                }
            }
            if agreed && firsts.next().is_none() {
                return;
            }
            for (e, c) in all {
                if let Some(mut x) = world.get_mut::<C>(*e) {
                    x.clone_from(c);
                }
            }
        }
        let w = &mut self.walks;
        put(world, &mut w.courts, &self.courts);
        put(world, &mut w.places, &self.places);
        put(world, &mut w.armies, &self.armies);
        put(world, &mut w.people, &self.people);
    }
}

fn spawn_world(world: &mut World, s: &Scenario) -> (Index, Initial) {
    let mut index = Index::default();
    let mut initial = Initial {
        courts: Vec::new(),
        places: Vec::new(),
        armies: Vec::new(),
        people: Vec::new(),
        // The queries find the entities spawned below when first walked.
        walks: Walks {
            courts: world.query(),
            places: world.query(),
            armies: world.query(),
            people: world.query(),
        },
    };
    for (court, c) in &s.meta.state.courts {
        let mut gauges = state::Gauges::default();
        for (g, v) in &c.gauges {
            if let Some(x) = gauges.get_mut(*g) {
                *x = (*v).clamp(0, 100);
            }
        }
        let capital = match court {
            Court::Song => "kaifeng",
            Court::Jin => "huining",
        };
        let capital = Id::new(capital);
        let v = CourtState {
            court: *court,
            ruler: c.ruler.clone(),
            gauges,
            seat: capital,
            capital,
        };
        let e = world.spawn(v.clone()).id();
        initial.courts.push((e, v));
        index.courts.insert(*court, e);
    }
    for p in &s.meta.state.places {
        let v = PlaceState {
            id: p.place,
            holder: p.holder,
            garrison: p.garrison,
            walls: p.walls,
            food_tenths: p.food * 10,
            food_full: p.food * 10,
            besieged: p.besieged,
            siege_from: p.besieged.then_some(s.start),
            edges: Vec::new(),
        };
        let e = world.spawn(v.clone()).id();
        initial.places.push((e, v));
        index.insert(state::Kind::Place, p.place, e);
    }
    // Armies in id order, so their storage is in id order (see
    // `Index::armies_in_order`).
    let mut armies: Vec<_> = s.meta.state.armies.iter().collect();
    armies.sort_by_key(|a| a.id);
    for a in armies {
        let enters = a
            .enters
            .as_ref()
            .and_then(|m| s.month(m))
            .filter(|m| *m > s.start);
        let active = !a.reserve && enters.is_none();
        let v = ArmyState {
            id: a.id,
            name: a.name.clone(),
            court: a.court,
            commander: a.commander.clone(),
            strength: a.strength,
            morale: a.morale,
            at: a.at,
            route: VecDeque::new(),
            progress_km: 0,
            kind: a.kind,
            home: a.home.unwrap_or(a.at),
            active,
            enters: if a.reserve { None } else { enters },
            supply: s.library.rules.supply.full,
            orders: crate::content::model::Orders::Assault,
            edges: Vec::new(),
            doubtful: a.doubtful,
            beaten: None,
        };
        let e = world.spawn(v.clone()).id();
        initial.armies.push((e, v));
        index.insert(state::Kind::Army, a.id, e);
    }
    for (id, person) in &s.library.people {
        let start = s.meta.state.people.iter().find(|p| &p.person == id);
        let v = PersonState {
            id: Id::new(id),
            court: start.map_or(person.court, |p| p.court),
            loyalty: start.map_or(50, |p| p.loyalty),
            fate: Fate::Active,
        };
        let e = world.spawn(v.clone()).id();
        initial.people.push((e, v));
        index.insert(state::Kind::Person, Id::new(id), e);
    }
    let stored: Vec<Id> = world
        .query::<&ArmyState>()
        .iter(world)
        .map(|a| a.id)
        .collect();
    index.armies_in_order = stored.iter().eq(index.armies.keys());
    (index, initial)
}

impl Seats {
    /// Both courts on the recorded policy.
    #[must_use]
    pub fn all_recorded() -> Seats {
        Seats(
            Court::ALL
                .iter()
                .map(|c| (*c, Seat::Policy(PolicyKind::Recorded)))
                .collect(),
        )
    }

    /// A person plays `side`; the other court follows `other`.
    #[must_use]
    pub fn human(side: Court, other: PolicyKind) -> Seats {
        Seats(
            [(side, Seat::Human), (side.other(), Seat::Policy(other))]
                .into_iter()
                .collect(),
        )
    }

    /// Both courts on policies.
    #[must_use]
    pub fn policies(song: PolicyKind, jin: PolicyKind) -> Seats {
        Seats(
            [
                (Court::Song, Seat::Policy(song)),
                (Court::Jin, Seat::Policy(jin)),
            ]
            .into_iter()
            .collect(),
        )
    }
}

/// What [`Campaign::advance`] stopped at.
#[derive(Debug, Clone)]
pub enum Step {
    /// A council awaits an answer.
    Council(CouncilView),
    /// The campaign is over.
    Ended,
}

/// A decision as put to the player: everything a front end shows.
#[derive(Debug, Clone)]
pub struct CouncilView {
    /// Decision id.
    pub decision: String,
    /// The court deciding.
    pub court: Court,
    /// Headline.
    pub title: String,
    /// The situation.
    pub situation: String,
    /// The advisors, in order.
    pub advisors: Vec<AdvisorView>,
    /// The options, numbered from 1 in this order.
    pub options: Vec<OptionView>,
    /// The month.
    pub month: MonthIdx,
    /// The month the question first came before the council (at most
    /// `month`): advisors' offices, and look-ups while it waits, are as of
    /// then, so that nothing the decision itself brought about shows.
    pub as_of: MonthIdx,
}

/// One advisor's speech.
#[derive(Debug, Clone)]
pub struct AdvisorView {
    /// `Zhao Liangsi 趙良嗣`.
    pub name: String,
    /// Office.
    pub office: String,
    /// The option label they urge.
    pub urges: String,
    /// The argument.
    pub argues: String,
    /// `recorded (SS-472)` or `invented for play`.
    pub basis: String,
}

/// One option.
#[derive(Debug, Clone)]
pub struct OptionView {
    /// Option id.
    pub id: String,
    /// Label.
    pub label: String,
    /// One-sentence detail.
    pub detail: String,
}

/// An answer that cannot be taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecideError {
    /// No council is waiting.
    #[error("no council is waiting for an answer")]
    NoCouncil,
    /// The option is not one of the decision's.
    #[error("\"{option}\" is not an option of {decision}")]
    NoSuchOption {
        /// Decision id.
        decision: String,
        /// The option given.
        option: String,
    },
}

/// A campaign: one App, driven by a front end or a headless runner.
pub struct Campaign {
    app: App,
    scenario: Arc<Scenario>,
}

impl Campaign {
    /// Builds a campaign at its first month.
    #[must_use]
    pub fn new(scenario: Arc<Scenario>, seed: u64, seats: Seats) -> Campaign {
        let mut app = App::new();
        app.add_plugins(SimPlugin {
            scenario: scenario.clone(),
            seed,
            seats,
        });
        Campaign { app, scenario }
    }

    /// Builds a campaign that keeps ids and numbers only
    /// ([`Narration::Numbers`]): for campaigns no one will read, which may
    /// then be [`restart`](Campaign::restart)ed with other seeds.
    #[must_use]
    pub fn headless(scenario: Arc<Scenario>, seed: u64, seats: Seats) -> Campaign {
        let mut c = Campaign::new(scenario, seed, seats);
        if let Some(mut book) = c.app.world_mut().get_resource_mut::<Book>() {
            book.narration = Narration::Numbers;
        }
        c
    }

    /// Starts this campaign over at its first month with another seed and
    /// other seats, in the same world with the same systems: the systems
    /// and their schedule are built once, and a restarted campaign plays
    /// exactly as a new one with that seed and those seats does.
    pub fn restart(&mut self, seed: u64, seats: Seats) {
        let world = self.app.world_mut();
        // What `App::update` does after every update: forget the removed
        // components of the campaign before (else they pile up, campaign
        // after campaign, in a world that only runs its schedules).
        world.clear_trackers();
        start(world, &self.scenario, seed, seats);
        world.insert_resource(State::new(CampaignPhase::Running));
        world.insert_resource(NextState::<CampaignPhase>::Unchanged);
        if let Some(mut m) = world.get_resource_mut::<Messages<Decide>>() {
            m.clear();
        }
        if let Some(mut m) =
            world.get_resource_mut::<Messages<StateTransitionEvent<CampaignPhase>>>()
        {
            m.clear();
        }
    }

    /// Plays a campaign whose courts are both on policies to its end,
    /// running only the turn's own schedules each update (the phase
    /// change, then [`Update`]) instead of the app's whole main schedule.
    /// With a person's seat it stops at their council, as
    /// [`advance`](Campaign::advance) does. Returns how many times the
    /// turn's schedule ran (none counted when a person's seat stops it), which
    /// `jingkang bench` uses to size the framework's floor.
    pub fn play_out(&mut self) -> u32 {
        let human = self
            .app
            .world()
            .get_resource::<Seats>()
            .is_none_or(|s| s.0.values().any(|x| *x == Seat::Human));
        if human {
            self.advance();
            return 0;
        }
        let ended = |world: &World| {
            world
                .get_resource::<Book>()
                .map(|b| &b.ledger)
                .is_some_and(|l| l.ended.is_some())
        };
        let pending = |world: &World| {
            world
                .get_resource::<NextState<CampaignPhase>>()
                .is_some_and(|n| !matches!(n, NextState::Unchanged))
        };
        // The turn's schedule is taken out of the world once for the whole
        // campaign (not once per update), and the phase change runs only
        // when one is pending: neither changes what the systems see.
        let world = self.app.world_mut();
        let played = world.try_schedule_scope(Update, |world, update| {
            let mut n = 0;
            for _ in 0..10_000 {
                if ended(world) {
                    break;
                }
                if pending(world) {
                    world.run_schedule(StateTransition);
                }
                update.run(world);
                n += 1;
            }
            n
        });
        // `SimPlugin` always adds the turn's schedule; without it nothing runs.
        let n = played.unwrap_or(0);
        self.settle_phase();
        n
    }

    /// The underlying app (tests inspect the schedule through it).
    pub fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }

    /// The scenario.
    #[must_use]
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    fn phase(&self) -> CampaignPhase {
        self.app
            .world()
            .get_resource::<State<CampaignPhase>>()
            .map_or(CampaignPhase::Running, |s| *s.get())
    }

    /// Reads the campaign's world as the turn's phases see it (`None` only
    /// for a world that lacks its resources, which a campaign never does).
    fn with_realm<R>(&mut self, f: impl FnOnce(&realm::Realm) -> R) -> Option<R> {
        let mut state: SystemState<realm::Realm> = SystemState::new(self.app.world_mut());
        let realm = state.get_mut(self.app.world_mut()).ok()?;
        Some(f(&realm))
    }

    /// Evaluates a condition against the campaign's present world, as the
    /// turn's phases do ([`realm::Realm::settle`]): its value and, when one
    /// atom settled it, where that atom is.
    pub fn settle(&mut self, c: &crate::content::model::Cond) -> Option<(bool, realm::Witness)> {
        self.with_realm(|realm| {
            let mut w = realm::Witness::default();
            let v = realm.settle(c, &mut w);
            (v, w)
        })
    }

    /// Whether the atom a witness of [`Campaign::settle`] points at in `c`
    /// still has the value it had then.
    pub fn still(&mut self, c: &crate::content::model::Cond, w: &realm::Witness) -> Option<bool> {
        self.with_realm(|realm| realm.still(c, w))
    }

    /// Whether a condition holds in the campaign's present world.
    pub fn holds(&mut self, c: &crate::content::model::Cond) -> Option<bool> {
        self.with_realm(|realm| realm.holds(c))
    }

    /// The campaign's book (everything but its entities).
    fn book(&self) -> Option<&Book> {
        self.app.world().get_resource::<Book>()
    }

    /// Whether an ending has been reached.
    #[must_use]
    pub fn ended(&self) -> bool {
        self.book()
            .map(|b| &b.ledger)
            .is_some_and(|l| l.ended.is_some())
    }

    /// Runs months until a council needs an answer or the campaign ends.
    pub fn advance(&mut self) -> Step {
        // A campaign has at most a few hundred months and councils; the bound
        // only guards against a scenario that could never settle.
        for _ in 0..10_000 {
            if self.ended() {
                self.settle_phase();
                return Step::Ended;
            }
            if let Some(view) = self.council() {
                self.settle_phase();
                return Step::Council(view);
            }
            self.app.update();
        }
        Step::Ended
    }

    /// Applies a pending phase change now, so [`Campaign::campaign_phase`]
    /// tells the truth between updates.
    fn settle_phase(&mut self) {
        self.app.world_mut().run_schedule(StateTransition);
    }

    /// The decision waiting for a person, if any.
    #[must_use]
    pub fn council(&self) -> Option<CouncilView> {
        let world = self.app.world();
        let docket = self.book().map(|b| &b.docket)?;
        let seats = world.get_resource::<Seats>()?;
        let id = docket.0.front()?;
        let d = self.scenario.decisions.get(id)?;
        if seats.of(d.court) != Seat::Human {
            return None;
        }
        let label = |oid: &str| {
            d.options
                .iter()
                .find(|o| o.id == oid)
                .map_or_else(|| oid.to_owned(), |o| o.label.clone())
        };
        let month = self.month();
        let as_of = self.scenario.opened(&d.id).map_or(month, |o| o.min(month));
        Some(CouncilView {
            decision: d.id.to_string(),
            court: d.court,
            title: d.title.clone(),
            situation: d.situation.clone(),
            advisors: d
                .advisors
                .iter()
                .map(|a| AdvisorView {
                    name: self.scenario.person_name(&a.person),
                    office: self.scenario.library.office_in(&a.person, as_of),
                    urges: label(&a.urges),
                    argues: a.argues.clone(),
                    basis: if a.sources.is_empty() {
                        a.certainty.label().to_owned()
                    } else {
                        format!("{} ({})", a.certainty.label(), a.sources.join(", "))
                    },
                })
                .collect(),
            options: d
                .options
                .iter()
                .map(|o| OptionView {
                    id: o.id.to_string(),
                    label: o.label.clone(),
                    detail: o.detail.clone(),
                })
                .collect(),
            month,
            as_of,
        })
    }

    /// Answers the waiting council with an option id.
    ///
    /// # Errors
    /// No council is waiting, or the option is not one of its options.
    pub fn decide(&mut self, option: &str) -> Result<(), DecideError> {
        let view = self.council().ok_or(DecideError::NoCouncil)?;
        if !view.options.iter().any(|o| o.id == option) {
            return Err(DecideError::NoSuchOption {
                decision: view.decision,
                option: option.to_owned(),
            });
        }
        self.app.world_mut().write_message(Decide {
            decision: view.decision,
            option: option.to_owned(),
        });
        self.app.update();
        Ok(())
    }

    /// The current month.
    #[must_use]
    pub fn month(&self) -> MonthIdx {
        self.book()
            .map(|b| &b.turn)
            .map_or(self.scenario.start, |t| t.month)
    }

    /// The ledger so far.
    #[must_use]
    pub fn ledger(&self) -> state::Ledger {
        self.book().map(|b| &b.ledger).cloned().unwrap_or_default()
    }

    /// The ledger so far, borrowed: what the explorer reads after a
    /// headless campaign, without cloning it or building a debrief.
    #[must_use]
    pub fn ledger_ref(&self) -> Option<&state::Ledger> {
        self.book().map(|b| &b.ledger)
    }

    /// The chronicle so far.
    #[must_use]
    pub fn chronicle(&self) -> &state::Chronicle {
        static EMPTY: state::Chronicle = state::Chronicle {
            entries: Vec::new(),
        };
        self.book().map(|b| &b.chronicle).unwrap_or(&EMPTY)
    }

    /// A court's gauges (Grievance included).
    #[must_use]
    pub fn gauges(&self, court: Court) -> BTreeMap<Gauge, i32> {
        let world = self.app.world();
        let mut out: BTreeMap<Gauge, i32> = self
            .book()
            .map(|b| &b.index)
            .and_then(|i| i.courts.get(&court))
            .and_then(|e| world.get::<CourtState>(*e))
            .map(|c| c.gauges.iter().collect())
            .unwrap_or_default();
        out.insert(
            Gauge::Grievance,
            self.book()
                .map(|b| &b.ledger)
                .map_or(0, |l| l.grievance(court)),
        );
        out
    }

    /// Places in play, sorted by id.
    #[must_use]
    pub fn places(&self) -> Vec<PlaceState> {
        self.by_id(|i| &i.places)
    }

    /// Armies in the world (entered, not disbanded or destroyed), sorted
    /// by id. An army the record raises in 1126 is not listed in 1123.
    #[must_use]
    pub fn armies(&self) -> Vec<ArmyState> {
        self.by_id::<ArmyState>(|i| &i.armies)
            .into_iter()
            .filter(|a| a.active && a.strength > 0)
            .collect()
    }

    /// Every army the scenario knows, in the world or not, sorted by id.
    #[must_use]
    pub fn all_armies(&self) -> Vec<ArmyState> {
        self.by_id(|i| &i.armies)
    }

    /// The model's trace so far: every outcome with its rule, numbers and
    /// draw, oldest first.
    #[must_use]
    pub fn traces(&self) -> Vec<Trace> {
        self.book()
            .map(|b| &b.ledger)
            .map(|l| l.traces.clone())
            .unwrap_or_default()
    }

    /// The latest `n` lines of the model's trace, oldest first, each
    /// labelled `[model]` and dated: what the `why` command shows.
    #[must_use]
    pub fn why_lines(&self, n: usize) -> Vec<String> {
        let cal = self.scenario.calendar();
        let Some(ledger) = self.book().map(|b| &b.ledger) else {
            return Vec::new();
        };
        let skip = ledger.traces.len().saturating_sub(n);
        ledger.traces[skip..]
            .iter()
            .map(|t| {
                format!(
                    "[model] {}: {}",
                    cal.short_label(t.month, Court::Song),
                    t.text
                )
            })
            .collect()
    }

    /// Where a court sits now (place id).
    #[must_use]
    pub fn seat(&self, court: Court) -> Option<String> {
        let world = self.app.world();
        self.book()
            .map(|b| &b.index)
            .and_then(|i| i.courts.get(&court))
            .and_then(|e| world.get::<CourtState>(*e))
            .map(|c| c.seat.to_string())
    }

    /// The campaign's course so far for the map: each army's places month by
    /// month, the sieges and the changes of hands.
    #[must_use]
    pub fn trail(&self) -> trail::Trail {
        self.app
            .world()
            .get_resource::<trail::Trail>()
            .cloned()
            .unwrap_or_default()
    }

    /// Flags set, sorted, each with the month it was last set during the
    /// campaign (none for a flag of the starting state): what `Since`
    /// conditions read.
    #[must_use]
    pub fn flag_months(&self) -> Vec<(String, Option<MonthIdx>)> {
        self.book()
            .map(|b| &b.flags)
            .map(|f| f.iter().map(|x| (x.to_string(), f.set_at(x))).collect())
            .unwrap_or_default()
    }

    /// The ids of the events that have fired, sorted (from the positions
    /// every campaign keeps; the ledger lists them only when narrating).
    #[must_use]
    pub fn fired_events(&self) -> Vec<String> {
        let Some(fired) = self.book().map(|b| &b.fired) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = self
            .scenario
            .events
            .iter()
            .zip(&fired.events)
            .filter(|(_, f)| **f)
            .map(|(e, _)| e.id.to_string())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Flags set, sorted.
    #[must_use]
    pub fn flags(&self) -> Vec<String> {
        self.book()
            .map(|b| &b.flags)
            .map(|f| f.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default()
    }

    /// The components of one kind of entity, in the order of the index
    /// (a `BTreeMap` by id, so already sorted).
    fn by_id<T: Component + Clone>(
        &self,
        pick: impl Fn(&Index) -> &BTreeMap<Id, Entity>,
    ) -> Vec<T> {
        let world = self.app.world();
        self.book().map(|b| &b.index).map_or_else(Vec::new, |i| {
            pick(i)
                .values()
                .filter_map(|e| world.get::<T>(*e).cloned())
                .collect()
        })
    }

    /// The phase the campaign is in.
    #[must_use]
    pub fn campaign_phase(&self) -> CampaignPhase {
        self.phase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The armies' storage is in id order in every scenario, before and
    /// after whole campaigns and restarts, so `Realm::active_armies` may
    /// walk the storage instead of looking each army up by id.
    #[test]
    fn armies_are_stored_in_id_order() {
        for id in crate::content::scenario_ids() {
            let s = Arc::new(crate::content::load_embedded(&id).expect("embedded scenarios load"));
            let seats = || Seats::policies(PolicyKind::Random, PolicyKind::Adaptive);
            let mut c = Campaign::headless(s, 1, seats());
            for seed in 2..4 {
                assert!(
                    c.book().is_some_and(|b| b.index.armies_in_order),
                    "{id}: the armies' storage is not in id order"
                );
                c.play_out();
                let world = c.app_mut().world_mut();
                let stored: Vec<Id> = world
                    .query::<&ArmyState>()
                    .iter(world)
                    .map(|a| a.id)
                    .collect();
                assert!(stored.is_sorted(), "{id}: {stored:?}");
                assert!(!stored.is_empty(), "{id}");
                c.restart(seed, seats());
            }
        }
    }

    /// Every component of a restarted world, after a whole campaign, is
    /// what a new world of the same scenario starts with.
    #[test]
    fn a_restarted_world_starts_as_a_new_one() {
        fn dump<C: Component + std::fmt::Debug>(world: &mut World, v: &mut Vec<String>) {
            v.extend(world.query::<&C>().iter(world).map(|x| format!("{x:?}")));
        }
        fn components(c: &mut Campaign) -> Vec<String> {
            let world = c.app_mut().world_mut();
            let mut v = Vec::new();
            dump::<CourtState>(world, &mut v);
            dump::<PlaceState>(world, &mut v);
            dump::<ArmyState>(world, &mut v);
            dump::<PersonState>(world, &mut v);
            v
        }
        let s =
            Arc::new(crate::content::load_embedded("jingkang").expect("embedded scenario loads"));
        let seats = || Seats::policies(PolicyKind::Random, PolicyKind::Adaptive);
        let mut fresh = Campaign::headless(s.clone(), 7, seats());
        let first = components(&mut fresh);
        let mut c = Campaign::headless(s, 5, seats());
        c.play_out();
        let played = components(&mut c);
        assert_ne!(played, first, "a whole campaign changes the world");
        c.restart(7, seats());
        assert_eq!(components(&mut c), first);
    }
}
