//! `jingkang bench`: how fast campaigns run, per scenario and policy pair.
//!
//! Each measurement plays a range of seeds through [`super::sweep`] — the
//! explorer's own path — and reads the wall clock around it, and the peak
//! resident memory of the process from `/proc/self/status` (`VmHWM`), reset
//! before each measurement where Linux allows it (`/proc/self/clear_refs`).
//! The clock is read here only, never inside the simulation.

use std::sync::Arc;
use std::time::Instant;

use super::{Quiet, Seeds, ratio, sweep};
use crate::content::Scenario;
use crate::policy::PolicyKind;

/// One measurement.
#[derive(Debug, Clone)]
pub struct Row {
    /// Scenario id.
    pub scenario: String,
    /// Song policy.
    pub song: String,
    /// Jin policy.
    pub jin: String,
    /// Campaigns played.
    pub campaigns: u64,
    /// Decisions taken in them.
    pub decisions: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Processor seconds the process used (all threads), where Linux tells.
    pub cpu_seconds: Option<f64>,
    /// Peak resident memory in KiB (of this measurement where the peak could
    /// be reset, else of the process so far).
    pub peak_rss_kib: Option<u64>,
}

impl Row {
    /// Campaigns a second.
    #[must_use]
    pub fn campaigns_per_second(&self) -> f64 {
        ratio(self.campaigns, 1) / self.seconds.max(1e-9)
    }

    /// Processor milliseconds per campaign (a figure that a busy machine
    /// disturbs less than the wall clock).
    #[must_use]
    pub fn cpu_ms_per_campaign(&self) -> Option<f64> {
        self.cpu_seconds
            .map(|c| 1000.0 * c / ratio(self.campaigns.max(1), 1))
    }

    /// Decisions a second.
    #[must_use]
    pub fn decisions_per_second(&self) -> f64 {
        ratio(self.decisions, 1) / self.seconds.max(1e-9)
    }
}

/// Plays `seeds` with both policies and times it.
#[must_use]
pub fn measure(s: &Arc<Scenario>, seeds: Seeds, song: &PolicyKind, jin: &PolicyKind) -> Row {
    reset_peak();
    let cpu0 = cpu_seconds();
    let start = Instant::now();
    let d = sweep(s, seeds, song, jin, &Quiet, |_| true);
    let seconds = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    Row {
        scenario: s.meta.id.clone(),
        song: song.to_string(),
        jin: jin.to_string(),
        campaigns: d.runs,
        decisions: d.decisions,
        seconds,
        cpu_seconds: cpu,
        peak_rss_kib: peak_rss_kib(),
    }
}

/// The framework's floor for one scenario: what its campaigns cost in Bevy
/// before any rule runs (see [`crate::sim::Campaign::idle_turns`]).
#[derive(Debug, Clone)]
pub struct Floor {
    /// Campaigns sampled.
    pub campaigns: u64,
    /// Updates (runs of the turn's schedule) a campaign took, on average.
    pub updates: f64,
    /// Months a campaign lasted, on average.
    pub months: f64,
    /// Microseconds a campaign's updates cost with systems that do nothing.
    pub idle_us: f64,
    /// Microseconds a campaign cost with its real systems, on one thread.
    pub real_us: f64,
}

impl Floor {
    /// Campaigns a second that the idle turn alone would allow on `threads`
    /// threads: the ceiling for a simulation whose phases are Bevy systems.
    #[must_use]
    pub fn ceiling(&self, threads: usize) -> f64 {
        1e6 / self.idle_us.max(1e-9) * ratio(threads as u64, 1)
    }
}

/// Plays `seeds` on one thread with both policies, counting each
/// campaign's updates and months and timing it, then times the idle turn
/// for the same numbers of updates and months.
#[must_use]
pub fn floor(s: &Arc<Scenario>, seeds: Seeds, song: &PolicyKind, jin: &PolicyKind) -> Floor {
    use crate::sim::{Campaign, Seats};
    let seats = || Seats::policies(song.clone(), jin.clone());
    let mut c = Campaign::headless(s.clone(), seeds.first, seats());
    let mut shape = Vec::new();
    let mut real = 0.0;
    for seed in seeds.iter() {
        c.restart(seed, seats());
        let t = Instant::now();
        let updates = c.play_out();
        real += t.elapsed().as_secs_f64();
        let months = u32::from(c.month().0.saturating_sub(s.start.0)) + 1;
        let councils = u32::try_from(c.ledger().decisions.len()).unwrap_or(u32::MAX);
        shape.push((seed, updates, months, councils));
    }
    let mut idle = 0.0;
    for (seed, updates, months, councils) in &shape {
        c.restart(*seed, seats());
        let t = Instant::now();
        c.idle_turns(*updates, *months, *councils);
        idle += t.elapsed().as_secs_f64();
    }
    let n = shape.len().max(1) as f64;
    Floor {
        campaigns: shape.len() as u64,
        updates: shape.iter().map(|x| f64::from(x.1)).sum::<f64>() / n,
        months: shape.iter().map(|x| f64::from(x.2)).sum::<f64>() / n,
        idle_us: 1e6 * idle / n,
        real_us: 1e6 * real / n,
    }
}

/// The process's peak resident memory (`VmHWM`), in KiB, on Linux.
#[must_use]
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Processor time used by the process so far (user + system, all threads),
/// from `/proc/self/stat`, in seconds (Linux counts it in 1/100 s).
#[must_use]
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(ratio(utime + stime, 100))
}

/// Resets the peak to the current resident size; false where not allowed.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The machine: logical CPUs, CPU model, threads used.
#[must_use]
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!(
        "{cpus} logical CPU(s), {model}; {} worker thread(s)",
        rayon::current_num_threads()
    )
}
