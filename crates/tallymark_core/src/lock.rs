//! A lock file beside an annotation file (`.NAME.ron.lock`, holding the process id), so a
//! second window on the same file can warn. It is advisory: nothing is refused, the user is
//! told. A lock left by a process that no longer runs is taken over.

use std::path::{Path, PathBuf};

/// The lock of one file, removed when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

/// Another live process holds the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    /// Its process id.
    pub pid: u32,
}

/// The lock file of `file`.
#[must_use]
pub fn lock_path(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    file.with_file_name(format!(".{name}.lock"))
}

/// Whether process `pid` still runs (Linux: `/proc`; elsewhere assumed, to err on warning).
pub(crate) fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// The most a lock file holds that is worth reading (a pid is at most ten digits).
const MAX_LOCK_BYTES: u64 = 64;

/// The pid in the lock file at `path`, when it is a regular file (never a link, FIFO or
/// device: a planted lock is not read through) holding one.
fn holder(path: &Path) -> Option<u32> {
    use std::io::Read as _;
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_LOCK_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    text.trim().parse().ok()
}

impl Lock {
    /// Takes the lock of `file`, or says which live process has it. I/O problems (a
    /// read-only folder) give no lock and no warning: the lock is only a courtesy.
    ///
    /// The lock file is created new (`O_CREAT | O_EXCL`), so a symbolic link planted under
    /// its name is never written through. A lock that is not a live process's (a dead pid,
    /// unreadable content, a link) is removed itself (the link, not what it points to) and
    /// created anew.
    ///
    /// # Errors
    /// `Held` when another running process holds it.
    pub fn acquire(file: &Path) -> Result<Option<Self>, Held> {
        use std::io::Write as _;
        let path = lock_path(file);
        let me = std::process::id();
        // A few rounds: another process may take a stale lock over at the same moment.
        for _ in 0..3 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    if f.write_all(me.to_string().as_bytes()).is_err() {
                        let _ = std::fs::remove_file(&path);
                        return Ok(None);
                    }
                    return Ok(Some(Self { path }));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => return Ok(None),
            }
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue; // removed meanwhile: try again
            };
            if meta.is_dir() {
                return Ok(None);
            }
            match holder(&path) {
                // One process may open a file twice.
                Some(pid) if pid == me => return Ok(Some(Self { path })),
                Some(pid) if alive(pid) => return Err(Held { pid }),
                // Stale: removes the entry itself (a link is not followed).
                _ => {
                    if std::fs::remove_file(&path).is_err() {
                        return Ok(None);
                    }
                }
            }
        }
        Ok(None)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Only our own lock: another process may have taken over a stale one.
        if holder(&self.path) == Some(std::process::id()) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_told_and_stale_locks_are_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ron");
        let lock = Lock::acquire(&file).unwrap().expect("a lock");
        assert!(lock_path(&file).exists());
        // Same process again: fine (one process may open a file twice).
        assert!(Lock::acquire(&file).is_ok());
        // A live other process (pid 1 always runs on Linux).
        std::fs::write(lock_path(&file), "1").unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(Lock::acquire(&file).unwrap_err(), Held { pid: 1 });
        }
        // A lock of a process that no longer runs is taken over…
        std::fs::write(lock_path(&file), "4000000000").unwrap();
        let again = Lock::acquire(&file)
            .unwrap()
            .expect("stale lock taken over");
        assert_eq!(
            std::fs::read_to_string(lock_path(&file)).unwrap(),
            std::process::id().to_string()
        );
        // …and a holder only ever removes its own.
        std::fs::write(lock_path(&file), "1").unwrap();
        drop(again);
        assert!(
            lock_path(&file).exists(),
            "another process's lock is left alone"
        );
        std::fs::remove_file(lock_path(&file)).unwrap();
        drop(lock);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ron");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, lock_path(&file)).unwrap();
        let lock = Lock::acquire(&file).unwrap().expect("a lock");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        let meta = std::fs::symlink_metadata(lock_path(&file)).unwrap();
        assert!(
            meta.is_file(),
            "the link itself was replaced by a lock file"
        );
        drop(lock);
        assert!(!lock_path(&file).exists());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_does_not_create_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ron");
        let target = dir.path().join("created-by-attacker-choice");
        std::os::unix::fs::symlink(&target, lock_path(&file)).unwrap();
        let lock = Lock::acquire(&file).unwrap().expect("a lock");
        assert!(!target.exists(), "nothing written where the link points");
        drop(lock);
    }
}
