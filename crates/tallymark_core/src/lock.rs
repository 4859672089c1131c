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
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

impl Lock {
    /// Takes the lock of `file`, or says which live process has it. I/O problems (a
    /// read-only folder) give no lock and no warning: the lock is only a courtesy.
    ///
    /// # Errors
    /// `Held` when another running process holds it.
    pub fn acquire(file: &Path) -> Result<Option<Lock>, Held> {
        let path = lock_path(file);
        let me = std::process::id();
        if let Ok(text) = std::fs::read_to_string(&path)
            && let Ok(pid) = text.trim().parse::<u32>()
            && pid != me
            && alive(pid)
        {
            return Err(Held { pid });
        }
        match std::fs::write(&path, me.to_string()) {
            Ok(()) => Ok(Some(Lock { path })),
            Err(_) => Ok(None),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Only our own lock: another process may have taken over a stale one.
        if std::fs::read_to_string(&self.path)
            .is_ok_and(|t| t.trim() == std::process::id().to_string())
        {
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
}
