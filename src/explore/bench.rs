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
    let start = Instant::now();
    let d = sweep(s, seeds, song, jin, &Quiet, |_| true);
    let seconds = start.elapsed().as_secs_f64();
    Row {
        scenario: s.meta.id.clone(),
        song: song.to_string(),
        jin: jin.to_string(),
        campaigns: d.runs,
        decisions: d.decisions,
        seconds,
        peak_rss_kib: peak_rss_kib(),
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
