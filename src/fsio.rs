//! Files from anyone: bounded reads, atomic writes, safe file names.
//!
//! Scenario folders, saves and run files may come from anyone, so every
//! read here is bounded before it starts: the file must be a regular file
//! (not a folder, FIFO, socket or device, which could block or never end),
//! no larger than the limit given, and — inside a scenario folder — not a
//! symbolic link, so a folder cannot point the game at files outside it.
//! Writes go to a temporary file beside the target, are synced, and are
//! renamed into place; temporary files orphaned by a crash are cleaned up
//! the next time the folder is used.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("a.ron");
//! jingkang::fsio::write_atomic(&path, b"(x: 1)").unwrap();
//! let back = jingkang::fsio::read_bounded(&path, 100, jingkang::fsio::Links::Refuse).unwrap();
//! assert_eq!(back, b"(x: 1)");
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The largest data file read from a scenario folder: 16 MB.
pub const MAX_DATA_FILE: u64 = 16 * 1024 * 1024;

/// The largest save or run file read: 4 MB (a whole campaign is a few KB).
pub const MAX_RUN_FILE: u64 = 4 * 1024 * 1024;

/// Prefix of the temporary files [`write_atomic`] writes beside a target.
pub const TEMP_PREFIX: &str = ".jingkang-";

/// Suffix of those temporary files.
pub const TEMP_SUFFIX: &str = ".tmp";

/// Whether a read follows a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Refuse a symbolic link (files inside a scenario folder).
    Refuse,
    /// Follow it (a file the user named on the command line).
    Follow,
}

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// There is no such file.
    #[error("there is no such file")]
    Missing,
    /// A symbolic link where a plain file is needed.
    #[error(
        "it is a symbolic link; files in a scenario folder must be plain files inside the folder"
    )]
    Symlink,
    /// Not a regular file.
    #[error("it is {0}, not a plain file")]
    NotRegular(&'static str),
    /// Larger than allowed.
    #[error("it is {size} bytes, more than the {limit} bytes allowed")]
    TooLarge {
        /// Size found (or read so far).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Another I/O error.
    #[error("{0}")]
    Io(io::Error),
}

fn kind(t: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

fn io_err(e: io::Error) -> ReadError {
    if e.kind() == io::ErrorKind::NotFound {
        ReadError::Missing
    } else {
        ReadError::Io(e)
    }
}

/// Checks what is at a path without opening it: a regular file of at most
/// `limit` bytes (and, with [`Links::Refuse`], not a symbolic link).
///
/// # Errors
/// Missing, a link refused, not a regular file, or too large.
pub fn check_file(path: &Path, limit: u64, links: Links) -> Result<fs::Metadata, ReadError> {
    let meta = match links {
        Links::Refuse => fs::symlink_metadata(path),
        Links::Follow => fs::metadata(path),
    }
    .map_err(io_err)?;
    let t = meta.file_type();
    if t.is_symlink() {
        return Err(ReadError::Symlink);
    }
    if !t.is_file() {
        return Err(ReadError::NotRegular(kind(t)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(meta)
}

fn open_nonblocking(path: &Path, links: Links) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Never block on a FIFO swapped in after the check; never follow a
        // link swapped in after the check.
        let nofollow = if links == Links::Refuse {
            libc::O_NOFOLLOW
        } else {
            0
        };
        opts.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    #[cfg(not(unix))]
    let _ = links;
    opts.open(path)
}

/// Reads a whole file, refusing at once anything that is not a regular
/// file of at most `limit` bytes. The check is made before the file is
/// opened (so a FIFO never blocks), again on the open file, and the read
/// itself stops after `limit` bytes (so a file that grows meanwhile cannot
/// make it longer).
///
/// # Errors
/// See [`ReadError`].
pub fn read_bounded(path: &Path, limit: u64, links: Links) -> Result<Vec<u8>, ReadError> {
    check_file(path, limit, links)?;
    let file = open_nonblocking(path, links).map_err(|e| {
        // O_NOFOLLOW on a link swapped in since the check.
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return ReadError::Symlink;
        }
        io_err(e)
    })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(meta.file_type())));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    Ok(bytes)
}

/// Bytes as text: a UTF-8 byte-order mark at the start is dropped, and
/// bytes that are not UTF-8 become U+FFFD (the parser then reports where).
#[must_use]
pub fn text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Checked whole first (the fast path for the valid text nearly every
    // file is), then chunk by chunk only for text that needs replacing.
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Why a write failed, with the path it was for.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {err}")]
pub struct WriteError {
    /// The target.
    pub path: String,
    /// The cause.
    pub err: io::Error,
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn temp_in(dir: &Path, bytes: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Writes bytes to a path atomically: a temporary file in the same folder,
/// flushed and synced, then renamed over the target.
///
/// # Errors
/// The folder cannot be created or the file written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let err = |err| WriteError {
        path: path.display().to_string(),
        err,
    };
    let tmp = temp_in(&folder_of(path), bytes).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Writes bytes to a new file atomically, never replacing a file already
/// there: returns `Ok(false)` (and writes nothing) if the path is taken.
///
/// # Errors
/// The folder cannot be created or the file written.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<bool, WriteError> {
    let err = |err| WriteError {
        path: path.display().to_string(),
        err,
    };
    let tmp = temp_in(&folder_of(path), bytes).map_err(err)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(err(e.error)),
    }
}

/// Writes bytes to the first free path `<stem>-1.ron`, `<stem>-2.ron`, …
/// in a folder, never replacing a file; returns the path written.
///
/// # Errors
/// The folder cannot be written, or 10,000 names are taken.
pub fn write_numbered(dir: &Path, stem: &str, bytes: &[u8]) -> Result<PathBuf, WriteError> {
    for n in 1..=10_000u32 {
        let path = dir.join(format!("{stem}-{n}.ron"));
        if write_new(&path, bytes)? {
            return Ok(path);
        }
    }
    Err(WriteError {
        path: dir.join(format!("{stem}-1.ron")).display().to_string(),
        err: io::Error::other("10,000 files of that name already exist"),
    })
}

/// Whether a file name is one of the temporary files of an atomic write:
/// ours (`.jingkang-XXXXXX.tmp`) or those of earlier versions
/// (`.tmpXXXXXX`).
#[must_use]
pub fn is_temp_name(name: &str) -> bool {
    (name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX))
        || (name.starts_with(".tmp")
            && name.len() == 10
            && name[4..].chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Age after which a temporary file is taken to be orphaned by a crash (a
/// write in progress takes milliseconds).
pub const ORPHAN_AGE: Duration = Duration::from_secs(60);

/// Removes temporary files orphaned by a crash during a write (older than
/// [`ORPHAN_AGE`]) from a folder; returns how many were removed. A folder
/// that does not exist has none.
#[must_use]
pub fn clean_orphans(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_temp_name(name) {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= ORPHAN_AGE);
        if meta.is_file() && old && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The longest file name stem made from a name (in characters).
pub const MAX_STEM_CHARS: usize = 60;

/// A file name stem from any text (a save name, a scenario id): letters and
/// digits of any script are kept (`北京` stays `北京`), as are `-`, `_` and
/// `.`; path separators, control characters and everything else become
/// `_`; it never starts with `.`, is never empty, and is at most
/// [`MAX_STEM_CHARS`] characters (and 180 bytes) long. So a stem can never
/// name a path outside the folder it is joined to.
#[must_use]
pub fn file_stem(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if out.chars().count() >= MAX_STEM_CHARS || out.len() + c.len_utf8() > 180 {
            break;
        }
        let keep = c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
        out.push(if keep { c } else { '_' });
    }
    let trimmed = out.trim_start_matches('.');
    if trimmed.is_empty() {
        "save".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_keep_unicode_and_never_leave_the_folder() {
        assert_eq!(file_stem("北京"), "北京");
        assert_eq!(file_stem("東京"), "東京");
        assert_ne!(file_stem("北京"), file_stem("東京"));
        assert_eq!(file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_stem("/abs"), "_abs");
        assert_eq!(file_stem("..."), "save");
        assert_eq!(file_stem(""), "save");
        assert_eq!(file_stem(&"x".repeat(300)).chars().count(), MAX_STEM_CHARS);
        assert!(file_stem(&"長".repeat(300)).len() <= 180);
        assert!(!file_stem("a\u{1b}]0;pwn\u{7}").contains('\u{1b}'));
    }

    #[test]
    fn temp_names_are_recognised() {
        assert!(is_temp_name(".jingkang-abc123.tmp"));
        assert!(is_temp_name(".tmpAb3xYz"));
        assert!(!is_temp_name("pingzhou-song.ron"));
        assert!(!is_temp_name(".tmp"));
    }
}
