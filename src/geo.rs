//! North China's outline, shared by every map: the Yellow River's course of
//! 1048–1128 and a rough coast, as approximate (longitude, latitude) points,
//! and the scale that keeps a degree looking like a degree.
//!
//! The full-screen map ([`crate::tui::map`]) draws them in braille; the HTML
//! debrief ([`crate::report::figures`]) draws them in SVG. Both label the
//! river's course as approximate. [`km_between`] is the one distance the
//! war model and the scenario's distance table (`content::Geo`) use.

/// The Yellow River's northern course, 1048–1128, as approximate points
/// (lon, lat): down the Shanxi–Shaanxi gorge, east past Luoyang to the
/// plain north of Kaifeng, then north-east through Hebei past Daming to the
/// sea near modern Tianjin.
pub const YELLOW_RIVER: [(f64, f64); 19] = [
    (111.2, 40.3),
    (111.0, 39.3),
    (110.6, 38.2),
    (110.5, 37.0),
    (110.6, 35.6),
    (110.3, 34.6),
    (111.2, 34.8),
    (112.4, 34.9),
    (113.6, 35.0),
    (114.3, 35.3),
    (114.9, 35.7),
    (115.2, 36.2),
    (115.5, 36.8),
    (115.8, 37.3),
    (116.0, 37.8),
    (116.3, 38.3),
    (116.8, 38.7),
    (117.3, 39.0),
    (117.8, 38.95),
];

/// A rough coast, from the mouth of the Yalu round the Bohai and Shandong
/// to the mouth of the Yangzi.
pub const COAST: &[(f64, f64)] = &[
    (124.3, 39.9),
    (123.0, 39.6),
    (122.2, 39.2),
    (121.2, 38.8),
    (121.5, 39.3),
    (121.7, 39.7),
    (122.2, 40.6),
    (121.9, 40.9),
    (121.1, 40.8),
    (120.7, 40.5),
    (119.8, 40.0),
    (119.2, 39.4),
    (118.5, 39.1),
    (117.8, 38.95),
    (117.7, 38.4),
    (118.9, 37.6),
    (119.5, 37.1),
    (120.3, 37.6),
    (120.8, 37.8),
    (121.4, 37.5),
    (122.1, 37.5),
    (122.6, 37.4),
    (122.4, 36.9),
    (120.4, 36.1),
    (119.5, 35.4),
    (119.3, 34.7),
    (120.2, 34.0),
    (120.9, 32.6),
    (121.8, 31.7),
];

/// The length of a degree of longitude against one of latitude near 37°N
/// (cos 37°), as a constant: no trigonometry needed.
pub const LON_SCALE: f64 = 0.8;

/// Km between two (lat, lon) points in degrees.
#[must_use]
#[expect(
    clippy::cast_possible_truncation,
    reason = "distances within China are far below i64::MAX km"
)]
pub fn km_between(a: (f64, f64), b: (f64, f64)) -> i64 {
    const DEG: f64 = std::f64::consts::PI / 180.0;
    let mean_lat = (a.0 + b.0) / 2.0 * DEG;
    let dx = (b.1 - a.1) * DEG * cos_poly(mean_lat);
    let dy = (b.0 - a.0) * DEG;
    ((dx * dx + dy * dy).sqrt() * 6371.0).round() as i64
}

/// cos(x) for |x| < 1.2 by its Taylor series to x^12: only `+`, `*` and
/// `/`, which IEEE 754 rounds the same way everywhere.
fn cos_poly(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=6 {
        let k = f64::from(2 * n - 1) * f64::from(2 * n);
        term = -term * x2 / k;
        sum += term;
    }
    sum
}
