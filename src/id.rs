//! Interned ids: the names of places, armies, people, flags, events,
//! decisions, options, milestones and endings.
//!
//! An [`Id`] is a `Copy` handle to one shared copy of its text. Every id with
//! the same text is the same handle, so two ids are equal when their
//! pointers are (an integer comparison, no bytes read), copying one costs
//! nothing and no simulation step allocates to remember a name. Ordering is
//! the text's, so maps and sets keyed by ids iterate in the same order as
//! they did keyed by `String` (determinism does not depend on the order in
//! which ids were first seen), and an id is serialised as its text, so files
//! are unchanged.
//!
//! The text of an id is kept for the life of the process. Ids come from
//! scenario files, saves and the command line; an id longer than
//! [`Id::MAX_LEN`] bytes is refused when read, so a hostile file cannot make
//! the table grow by more than that per id it names.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{LazyLock, Mutex, PoisonError};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An interned id. See the [module documentation](self).
#[derive(Clone, Copy)]
pub struct Id(&'static Entry);

/// The one copy of an id: its text, and its number (ids are numbered as
/// they are first seen; the number is never shown, written or ordered by,
/// only used to find an id's value in an [`IdMap`]).
struct Entry {
    text: &'static str,
    n: u32,
}

static TABLE: LazyLock<Mutex<HashMap<&'static str, &'static Entry>>> =
    LazyLock::new(Mutex::default);

impl Id {
    /// The longest id read from a file (in bytes). Real ids are a few dozen.
    pub const MAX_LEN: usize = 256;

    /// The id with this text (interned on first use).
    #[must_use]
    pub fn new(text: &str) -> Id {
        let mut table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(e) = table.get(text) {
            return Id(e);
        }
        let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
        // Ids are bounded by what the files read can name; past u32::MAX
        // (never reached) numbers would repeat, which only costs look-ups
        // their speed, not their answers (`IdMap` checks the id).
        let n = u32::try_from(table.len()).unwrap_or(u32::MAX);
        let e: &'static Entry = Box::leak(Box::new(Entry { text, n }));
        table.insert(text, e);
        Id(e)
    }

    /// The id's text.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        self.0.text
    }

    /// The empty id (the default of an id field left out).
    #[must_use]
    pub fn empty() -> Id {
        static EMPTY: LazyLock<Id> = LazyLock::new(|| Id::new(""));
        *EMPTY
    }
}

impl Default for Id {
    fn default() -> Self {
        Id::empty()
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Id) -> bool {
        // One copy per text: the same text is the same entry.
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Id {}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Id {
    fn cmp(&self, other: &Id) -> Ordering {
        if self == other {
            Ordering::Equal
        } else {
            self.0.text.cmp(other.0.text)
        }
    }
}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The text's hash, as `str` hashes, so `Borrow<str>` holds.
        self.0.text.hash(state);
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.text
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.0.text
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.0.text
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0.text, f)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.text, f)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        Id::new(s)
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Id {
        Id::new(s)
    }
}

impl From<String> for Id {
    fn from(s: String) -> Id {
        Id::new(&s)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0.text.to_owned()
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.0.text == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.0.text == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.0.text == other.as_str()
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        self == other.0.text
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        *self == other.0.text
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        self.as_str() == other.0.text
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.text)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an id (text of at most {} bytes)", Id::MAX_LEN)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                if v.len() > Id::MAX_LEN {
                    return Err(E::custom(format!(
                        "an id of {} bytes; ids are at most {} bytes",
                        v.len(),
                        Id::MAX_LEN
                    )));
                }
                Ok(Id::new(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// Something that names an id: an [`Id`] or a reference to one. The
/// simulation's look-ups take these, so a name is never searched for by its
/// text there.
pub trait AsId {
    /// The id.
    fn as_id(&self) -> Id;
}

impl AsId for Id {
    fn as_id(&self) -> Id {
        *self
    }
}

impl<T: AsId + ?Sized> AsId for &T {
    fn as_id(&self) -> Id {
        (**self).as_id()
    }
}

impl Id {
    /// The id's number, where [`IdMap`] keeps its value.
    fn slot(self) -> usize {
        self.0.n as usize
    }
}

/// A map from ids to values for look-ups by identity: the id's number
/// indexes a table of positions (no hashing, no bytes read). It has no
/// order and cannot be iterated: keep a `BTreeMap` beside it where order
/// matters.
#[derive(Clone, Debug)]
pub struct IdMap<V> {
    /// For each id number, the position of its value plus one (0: none).
    at: Vec<u32>,
    /// The values, with their ids, in no particular order.
    values: Vec<(Id, V)>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            at: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<V> IdMap<V> {
    fn position(&self, id: Id) -> Option<usize> {
        let k = *self.at.get(id.slot())?;
        let k = (k as usize).checked_sub(1)?;
        // The id itself is checked, so a number shared past u32::MAX ids
        // could never give another id's value.
        self.values.get(k).filter(|(x, _)| *x == id).map(|_| k)
    }

    /// The value for an id.
    #[must_use]
    pub fn get(&self, id: impl AsId) -> Option<&V> {
        self.position(id.as_id())
            .and_then(|k| self.values.get(k))
            .map(|(_, v)| v)
    }

    /// Whether the id has a value.
    #[must_use]
    pub fn contains(&self, id: impl AsId) -> bool {
        self.position(id.as_id()).is_some()
    }

    /// Sets the id's value; returns the old one.
    pub fn insert(&mut self, id: Id, v: V) -> Option<V> {
        if let Some(k) = self.position(id) {
            return self
                .values
                .get_mut(k)
                .map(|x| std::mem::replace(&mut x.1, v));
        }
        let slot = id.slot();
        if self.at.len() <= slot {
            self.at.resize(slot + 1, 0);
        }
        self.values.push((id, v));
        if let (Some(a), Ok(k)) = (self.at.get_mut(slot), u32::try_from(self.values.len())) {
            *a = k;
        }
        None
    }

    /// Removes the id; returns its value.
    pub fn remove(&mut self, id: impl AsId) -> Option<V> {
        let id = id.as_id();
        let k = self.position(id)?;
        if let Some(a) = self.at.get_mut(id.slot()) {
            *a = 0;
        }
        let (_, v) = self.values.swap_remove(k);
        // The value that took its place keeps its position in the table.
        if let Some((moved, _)) = self.values.get(k)
            && let (Some(a), Ok(p)) = (self.at.get_mut(moved.slot()), u32::try_from(k + 1))
        {
            *a = p;
        }
        Some(v)
    }

    /// How many ids have values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no id has a value.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Forgets every id (keeping the room).
    pub fn clear(&mut self) {
        for (id, _) in &self.values {
            if let Some(a) = self.at.get_mut(id.slot()) {
                *a = 0;
            }
        }
        self.values.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::{Id, IdMap};

    #[test]
    fn the_same_text_is_the_same_id_and_order_is_the_texts() {
        let a = Id::new("kaifeng");
        let b = Id::new(&String::from("kaifeng"));
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        let mut v = vec![Id::new("taiyuan"), Id::new("kaifeng"), Id::new("yanjing")];
        v.sort();
        assert_eq!(v, ["kaifeng", "taiyuan", "yanjing"].map(Id::new));
        assert_ne!(Id::new("kaifeng"), Id::new("kaifen"));
        assert_eq!(Id::default(), Id::new(""));
    }

    #[test]
    fn an_id_reads_and_writes_as_its_text_and_a_huge_one_is_refused() {
        let id: Id = ron::from_str("\"zhending\"").expect("an id");
        assert_eq!(id, "zhending");
        assert_eq!(ron::to_string(&id).expect("written"), "\"zhending\"");
        let long = format!("\"{}\"", "a".repeat(Id::MAX_LEN + 1));
        let err = ron::from_str::<Id>(&long).expect_err("too long");
        assert!(err.to_string().contains("ids are at most"), "{err}");
    }

    #[test]
    fn an_id_map_finds_ids_by_identity() {
        let mut m = IdMap::default();
        for (i, name) in ["kaifeng", "taiyuan", "zhending", ""].iter().enumerate() {
            m.insert(Id::new(name), i);
        }
        assert_eq!(m.get(Id::new("taiyuan")), Some(&1));
        assert_eq!(m.get(Id::new("")), Some(&3));
        assert_eq!(m.get(Id::new("taiyua")), None);
        assert_eq!(m.remove(Id::new("kaifeng")), Some(0));
        assert!(!m.contains(Id::new("kaifeng")));
        assert_eq!(m.len(), 3);
        // The value moved into the removed one's place is still found, and
        // so is every other.
        assert_eq!(m.get(Id::new("")), Some(&3));
        assert_eq!(m.get(Id::new("zhending")), Some(&2));
        assert_eq!(m.insert(Id::new("zhending"), 7), Some(2));
        assert_eq!(m.get(Id::new("zhending")), Some(&7));
        m.clear();
        assert!(m.is_empty() && !m.contains(Id::new("taiyuan")));
        m.insert(Id::new("taiyuan"), 9);
        assert_eq!(m.get(Id::new("taiyuan")), Some(&9));
        assert_eq!(m.get(Id::new("zhending")), None);
    }

    #[test]
    fn an_id_map_agrees_with_a_btree_map_over_any_inserts_and_removes() {
        // A deterministic walk of inserts and removes over a few ids.
        let ids: Vec<Id> = (0..12).map(|i| Id::new(&format!("idmap-{i}"))).collect();
        let mut m = IdMap::default();
        let mut b = std::collections::BTreeMap::new();
        let mut x: u64 = 7;
        for step in 0..2000u32 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let id = ids[(x >> 33) as usize % ids.len()];
            if (x >> 20).is_multiple_of(3) {
                assert_eq!(m.remove(id), b.remove(&id), "step {step}");
            } else {
                assert_eq!(m.insert(id, step), b.insert(id, step), "step {step}");
            }
            assert_eq!(m.len(), b.len());
            for i in &ids {
                assert_eq!(m.get(i), b.get(i), "step {step}");
            }
        }
    }
}
