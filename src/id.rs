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
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Deref;
use std::sync::{LazyLock, Mutex, PoisonError};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An interned id. See the [module documentation](self).
#[derive(Clone, Copy)]
pub struct Id(&'static str);

static TABLE: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Mutex::default);

impl Id {
    /// The longest id read from a file (in bytes). Real ids are a few dozen.
    pub const MAX_LEN: usize = 256;

    /// The id with this text (interned on first use).
    #[must_use]
    pub fn new(text: &str) -> Id {
        let mut table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = table.get(text) {
            return Id(s);
        }
        let s: &'static str = Box::leak(text.to_owned().into_boxed_str());
        table.insert(s);
        Id(s)
    }

    /// The id's text.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        self.0
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
        // One copy per text: the same text is the same address and length.
        std::ptr::eq(self.0.as_ptr(), other.0.as_ptr()) && self.0.len() == other.0.len()
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
            self.0.cmp(other.0)
        }
    }
}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The text's hash, as `str` hashes, so `Borrow<str>` holds.
        self.0.hash(state);
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
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
        id.0.to_owned()
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.0 == other.as_str()
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        self == other.0
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        *self == other.0
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        self.as_str() == other.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
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
    /// The address of the id's one copy: a number that identifies it for as
    /// long as the process runs (never shown, never written, never
    /// iterated in its order).
    fn addr(self) -> usize {
        self.0.as_ptr().addr()
    }
}

/// Hashes an id's address: a multiply, no bytes read.
#[derive(Default)]
pub struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_usize(&mut self, n: usize) {
        // Fibonacci hashing: the high bits of the product depend on every
        // bit of the address, and hashbrown reads the high bits.
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map from ids to values for look-ups by identity. It has no order and
/// cannot be iterated: keep a `BTreeMap` beside it where order matters.
#[derive(Clone, Debug)]
pub struct IdMap<V> {
    map: HashMap<usize, V, BuildHasherDefault<AddrHasher>>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            map: HashMap::default(),
        }
    }
}

impl<V> IdMap<V> {
    /// The value for an id.
    #[must_use]
    pub fn get(&self, id: impl AsId) -> Option<&V> {
        self.map.get(&id.as_id().addr())
    }

    /// Whether the id has a value.
    #[must_use]
    pub fn contains(&self, id: impl AsId) -> bool {
        self.map.contains_key(&id.as_id().addr())
    }

    /// Sets the id's value; returns the old one.
    pub fn insert(&mut self, id: Id, v: V) -> Option<V> {
        self.map.insert(id.addr(), v)
    }

    /// Removes the id; returns its value.
    pub fn remove(&mut self, id: impl AsId) -> Option<V> {
        self.map.remove(&id.as_id().addr())
    }

    /// How many ids have values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no id has a value.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Forgets every id (keeping the room).
    pub fn clear(&mut self) {
        self.map.clear();
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
    }
}
