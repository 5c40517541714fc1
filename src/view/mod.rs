//! The view layer both front ends share.
//!
//! [`Session`] is the game being played (campaign, run file, saves);
//! [`model`] turns the campaign into plain values — the chronicle with its
//! labels, the record without the answer to the council at hand, the
//! court's state as words and bands, the map, the encyclopedia. The line
//! mode ([`crate::plain`]) prints these as text; the full-screen interface
//! ([`crate::tui`]) draws them as widgets. Neither front end builds them
//! itself, and neither imports the other.

pub mod model;
mod session;

pub use model::{
    ChronLine, ChronMonth, GaugeRow, LookupModel, MapArmy, MapModel, MapPlace, Mark, PlaceRow,
    RECORD_WITHHELD, RecordItem, StateModel, WHY_NOTHING_YET, army_mark, band, chron_months,
    gauge_name, holder_mark, host, map_model, record, state,
};
pub use session::{Outcome, PlayError, Session};
