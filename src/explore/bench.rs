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
