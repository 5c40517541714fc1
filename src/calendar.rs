//! The lunar calendar of 1122–1127, in Song and Jin eras, with Julian dates.
//!
//! The main types: [`Calendar`] (every month from Xuanhe 4 to Jianyan 1, loaded
//! from `assets/calendar.ron`), [`MonthIdx`] (a month's position in it, the
//! unit of game time) and [`JulianDate`].
//!
//! Months are named in data files by a *month id*: the Song era, year and month,
//! lower case, with `L` before a leap month: `xuanhe-5-6`, `jingkang-1-L11`.
//! Jingkang 2 becomes Jianyan 1 from its 5th month; either name is accepted
//! (`jingkang-2-5` = `jianyan-1-5`).
//!
//! ```
//! let cal = jingkang::content::embedded_calendar().unwrap();
//! let m = cal.parse_id("jingkang-1-L11").unwrap();
//! assert_eq!(cal.song_label(m), "Jingkang 1, leap 11th month (16 Dec 1126 – 14 Jan 1127)");
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::content::model::{self, Court};
use crate::id::{Id, IdMap};

/// A month's position in the calendar (0 = Xuanhe 4, 1st month).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MonthIdx(pub u16);

/// A day in the Julian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JulianDate {
    /// Year AD.
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
}

const MONTH_ABBR: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl JulianDate {
    /// Parses `YYYY-MM-DD`.
    #[must_use]
    pub fn parse(s: &str) -> Option<JulianDate> {
        let mut it = s.split('-');
        let year = it.next()?.parse().ok()?;
        let month: u8 = it.next()?.parse().ok()?;
        let day: u8 = it.next()?.parse().ok()?;
        if it.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some(JulianDate { year, month, day })
    }

    /// `16 Dec 1126`.
    #[must_use]
    pub fn long(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTH_ABBR[usize::from(self.month - 1)],
            self.year
        )
    }
}

impl fmt::Display for JulianDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A partial date as written in data: a full day or only a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSpec {
    /// `YYYY-MM-DD`.
    Day(JulianDate),
    /// `YYYY-MM`.
    Month(i32, u8),
}

impl DateSpec {
    /// Parses `YYYY-MM-DD` or `YYYY-MM`.
    #[must_use]
    pub fn parse(s: &str) -> Option<DateSpec> {
        if let Some(d) = JulianDate::parse(s) {
            return Some(DateSpec::Day(d));
        }
        let (y, m) = s.split_once('-')?;
        let year = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        (y.len() == 4 && (1..=12).contains(&month)).then_some(DateSpec::Month(year, month))
    }

    /// `29 Jun 1123` or `Jun 1123`.
    #[must_use]
    pub fn long(self) -> String {
        match self {
            DateSpec::Day(d) => d.long(),
            DateSpec::Month(y, m) => format!("{} {y}", MONTH_ABBR[usize::from(m - 1)]),
        }
    }
}

/// A data file's date (`YYYY-MM-DD` or `YYYY-MM`) for people: `29 Jun 1123`
/// or `Jun 1123`; anything else as written.
#[must_use]
pub fn long_date(text: &str) -> String {
    DateSpec::parse(text).map_or_else(|| text.to_owned(), DateSpec::long)
}

/// One month with its names and Julian range.
#[derive(Clone, Debug)]
pub struct Month {
    /// Song era name.
    pub song_era: String,
    /// Song era year.
    pub song_year: u16,
    /// Jin era name.
    pub jin_era: String,
    /// Jin era year.
    pub jin_year: u16,
    /// Month number 1–12.
    pub number: u8,
    /// Intercalary month.
    pub leap: bool,
    /// Cycle-day of the first day.
    pub ganzhi: String,
    /// First day.
    pub first: JulianDate,
    /// Last day.
    pub last: JulianDate,
    /// Whether the first day is printed in the sources.
    pub printed: bool,
    /// The canonical month id.
    pub id: String,
}

/// Every month of the game's calendar.
#[derive(Clone, Debug)]
pub struct Calendar {
    months: Vec<Month>,
    /// Each month's id (as written and in lower case), for look-ups by
    /// identity; other spellings are parsed.
    by_id: IdMap<MonthIdx>,
}

/// A problem in the calendar file.
#[derive(Debug, thiserror::Error)]
#[error("calendar row {row}: {what}")]
pub struct CalendarError {
    /// Row index.
    pub row: usize,
    /// What is wrong.
    pub what: String,
}

fn ordinal(n: u8) -> String {
    let suffix = match n {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl Calendar {
    /// Builds the calendar from the parsed file, checking that months are
    /// contiguous.
    ///
    /// # Errors
    /// A row with a bad date, or a gap or overlap between months.
    pub fn from_file(file: &model::Calendar) -> Result<Calendar, CalendarError> {
        let mut months: Vec<Month> = Vec::with_capacity(file.months.len());
        for (row, m) in file.months.iter().enumerate() {
            let bad = |what: String| CalendarError { row, what };
            let first = JulianDate::parse(&m.first)
                .ok_or_else(|| bad(format!("first day {:?} is not YYYY-MM-DD", m.first)))?;
            let last = JulianDate::parse(&m.last)
                .ok_or_else(|| bad(format!("last day {:?} is not YYYY-MM-DD", m.last)))?;
            if last < first || !(1..=12).contains(&m.month) {
                return Err(bad("month out of order".into()));
            }
            if let Some(prev) = months.last()
                && day_after(prev.last) != first
            {
                return Err(bad(format!(
                    "starts {first} but the previous month ended {}",
                    prev.last
                )));
            }
            let id = format!(
                "{}-{}-{}{}",
                m.song.0.to_lowercase(),
                m.song.1,
                if m.leap { "L" } else { "" },
                m.month
            );
            months.push(Month {
                song_era: m.song.0.clone(),
                song_year: m.song.1,
                jin_era: m.jin.0.clone(),
                jin_year: m.jin.1,
                number: m.month,
                leap: m.leap,
                ganzhi: m.ganzhi.clone(),
                first,
                last,
                printed: m.basis == model::Basis::Printed,
                id,
            });
        }
        if months.is_empty() {
            return Err(CalendarError {
                row: 0,
                what: "the calendar has no months".into(),
            });
        }
        let mut by_id = IdMap::default();
        for (i, m) in months.iter().enumerate() {
            if let Ok(i) = u16::try_from(i) {
                by_id.insert(Id::new(&m.id), MonthIdx(i));
                by_id.insert(Id::new(&m.id.to_lowercase()), MonthIdx(i));
            }
        }
        Ok(Calendar { months, by_id })
    }

    /// The month with this id: [`Calendar::parse_id`] without parsing for
    /// the calendar's own spellings of its months.
    #[must_use]
    pub fn find(&self, id: Id) -> Option<MonthIdx> {
        self.by_id.get(id).copied().or_else(|| self.parse_id(&id))
    }

    /// Number of months.
    #[must_use]
    pub fn len(&self) -> usize {
        self.months.len()
    }

    /// True if there are no months (never, once built).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.months.is_empty()
    }

    /// The month at an index.
    ///
    /// # Panics
    /// Never for an index produced by this calendar; out-of-range indices are
    /// clamped to the last month.
    #[must_use]
    pub fn month(&self, idx: MonthIdx) -> &Month {
        let i = usize::from(idx.0).min(self.months.len() - 1);
        &self.months[i]
    }

    /// The month after, if any.
    #[must_use]
    pub fn next(&self, idx: MonthIdx) -> Option<MonthIdx> {
        let n = idx.0 + 1;
        (usize::from(n) < self.months.len()).then_some(MonthIdx(n))
    }

    /// Parses a month id (`xuanhe-5-6`, `jingkang-1-L11`, `jianyan-1-5`).
    #[must_use]
    pub fn parse_id(&self, id: &str) -> Option<MonthIdx> {
        let lower = id.trim().to_lowercase();
        let mut parts = lower.split('-');
        let era = parts.next()?;
        let year: u16 = parts.next()?.parse().ok()?;
        let m = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        let (leap, num) = match m.strip_prefix('l') {
            Some(rest) => (true, rest.parse::<u8>().ok()?),
            None => (false, m.parse::<u8>().ok()?),
        };
        // Jingkang 2 from its 5th month is Jianyan 1.
        let (era, year) = if era == "jingkang" && year == 2 && num >= 5 {
            ("jianyan", 1)
        } else {
            (era, year)
        };
        self.months
            .iter()
            .position(|mo| {
                mo.song_era.eq_ignore_ascii_case(era)
                    && mo.song_year == year
                    && mo.number == num
                    && mo.leap == leap
            })
            .and_then(|p| u16::try_from(p).ok())
            .map(MonthIdx)
    }

    /// The month containing a Julian day.
    #[must_use]
    pub fn containing(&self, d: JulianDate) -> Option<MonthIdx> {
        self.months
            .iter()
            .position(|m| m.first <= d && d <= m.last)
            .and_then(|p| u16::try_from(p).ok())
            .map(MonthIdx)
    }

    /// Whether a date spec (day or month) overlaps the month.
    #[must_use]
    pub fn spec_in_month(&self, spec: DateSpec, idx: MonthIdx) -> bool {
        let m = self.month(idx);
        match spec {
            DateSpec::Day(d) => m.first <= d && d <= m.last,
            DateSpec::Month(y, mo) => {
                let start = JulianDate {
                    year: y,
                    month: mo,
                    day: 1,
                };
                let end = JulianDate {
                    year: y,
                    month: mo,
                    day: 31,
                };
                m.first <= end && start <= m.last
            }
        }
    }

    /// `Xuanhe 5, 6th month`.
    #[must_use]
    pub fn short_label(&self, idx: MonthIdx, court: Court) -> String {
        let m = self.month(idx);
        let (era, year) = match court {
            Court::Song => (&m.song_era, m.song_year),
            Court::Jin => (&m.jin_era, m.jin_year),
        };
        format!(
            "{era} {year}, {}{} month",
            if m.leap { "leap " } else { "" },
            ordinal(m.number)
        )
    }

    /// `Xuanhe 5, 6th month (25 Jun – 23 Jul 1123)`.
    #[must_use]
    pub fn song_label(&self, idx: MonthIdx) -> String {
        self.label(idx, Court::Song)
    }

    /// The label in the era of the given court, with the Julian range.
    #[must_use]
    pub fn label(&self, idx: MonthIdx, court: Court) -> String {
        let m = self.month(idx);
        format!("{} ({})", self.short_label(idx, court), julian_range(m))
    }

    /// `Jun 1123` — the Julian month of the first day (for compact tables).
    #[must_use]
    pub fn julian_short(&self, idx: MonthIdx) -> String {
        let f = self.month(idx).first;
        format!("{} {}", MONTH_ABBR[usize::from(f.month - 1)], f.year)
    }

    /// Iterates over every month index.
    pub fn indices(&self) -> impl Iterator<Item = MonthIdx> + '_ {
        (0..self.months.len()).filter_map(|i| u16::try_from(i).ok().map(MonthIdx))
    }
}

fn julian_range(m: &Month) -> String {
    let (f, l) = (m.first, m.last);
    if f.year == l.year {
        format!(
            "{} {} – {}",
            f.day,
            MONTH_ABBR[usize::from(f.month - 1)],
            l.long()
        )
    } else {
        format!("{} – {}", f.long(), l.long())
    }
}

fn days_in(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 => 29, // Julian leap years
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The Julian day after `d`.
#[must_use]
pub fn day_after(d: JulianDate) -> JulianDate {
    if d.day < days_in(d.year, d.month) {
        JulianDate {
            day: d.day + 1,
            ..d
        }
    } else if d.month < 12 {
        JulianDate {
            month: d.month + 1,
            day: 1,
            ..d
        }
    } else {
        JulianDate {
            year: d.year + 1,
            month: 1,
            day: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        crate::content::embedded_calendar().expect("embedded calendar")
    }

    #[test]
    fn covers_xuanhe_4_to_jianyan_1() {
        let c = cal();
        assert_eq!(c.month(MonthIdx(0)).id, "xuanhe-4-1");
        assert_eq!(c.months.last().map(|m| m.id.as_str()), Some("jianyan-1-12"));
        assert_eq!(c.len(), 74, "72 regular months and 2 leap months");
    }

    #[test]
    fn leap_months_are_real_months() {
        let c = cal();
        let l3 = c.parse_id("xuanhe-6-L3").expect("Xuanhe 6 leap 3rd");
        assert_eq!(c.month(l3).first.to_string(), "1124-04-16");
        // Appendix A: the leap 11th month of Jingkang 1 runs 16 Dec 1126 to
        // 14 Jan 1127 (30 days; the 12th month begins 15 Jan, printed in SS).
        // §0.1 of the reference says 13 Jan, which would make it 29 days and
        // contradicts the printed start of the 12th month.
        let l11 = c.parse_id("jingkang-1-L11").expect("Jingkang 1 leap 11th");
        assert_eq!(
            c.song_label(l11),
            "Jingkang 1, leap 11th month (16 Dec 1126 – 14 Jan 1127)"
        );
        assert_eq!(c.short_label(l11, Court::Jin), "Tianhui 4, leap 11th month");
        assert_eq!(
            c.next(l11).map(|m| c.month(m).id.clone()).as_deref(),
            Some("jingkang-1-12")
        );
    }

    #[test]
    fn anchor_months_match_the_reference() {
        let c = cal();
        // Zhang Jue accepted 29 Jun 1123 = Xuanhe 5, 6th month.
        let d = JulianDate::parse("1123-06-29").expect("date");
        assert_eq!(
            c.month(c.containing(d).expect("in calendar")).id,
            "xuanhe-5-6"
        );
        // Abdication 18 Jan 1126 = Xuanhe 7, 12th month.
        let d = JulianDate::parse("1126-01-18").expect("date");
        assert_eq!(
            c.month(c.containing(d).expect("in calendar")).id,
            "xuanhe-7-12"
        );
        // Fall of Kaifeng 9 Jan 1127 = Jingkang 1, leap 11th month.
        let d = JulianDate::parse("1127-01-09").expect("date");
        assert_eq!(
            c.month(c.containing(d).expect("in calendar")).id,
            "jingkang-1-L11"
        );
        // Gaozong enthroned 12 Jun 1127 = Jianyan 1, 5th month, 1st day.
        let m = c.parse_id("jianyan-1-5").expect("Jianyan 1, 5th");
        assert_eq!(c.month(m).first.to_string(), "1127-06-12");
        assert_eq!(c.parse_id("jingkang-2-5"), Some(m));
        assert_eq!(
            c.song_label(c.parse_id("xuanhe-5-6").expect("m")),
            "Xuanhe 5, 6th month (25 Jun – 23 Jul 1123)"
        );
    }

    #[test]
    fn jin_eras_follow_the_jin_court() {
        let c = cal();
        let m = c.parse_id("xuanhe-7-10").expect("m");
        assert_eq!(c.short_label(m, Court::Jin), "Tianhui 3, 10th month");
        let m = c.parse_id("xuanhe-4-1").expect("m");
        assert_eq!(c.short_label(m, Court::Jin), "Tianfu 6, 1st month");
    }

    #[test]
    fn bad_ids_are_rejected() {
        let c = cal();
        for bad in [
            "xuanhe-5-13",
            "xuanhe-5-L6",
            "jingkang-3-1",
            "tang-1-1",
            "",
            "xuanhe-5",
        ] {
            assert_eq!(c.parse_id(bad), None, "{bad}");
        }
    }
}
