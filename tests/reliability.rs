//! Bad input, every kind the issue lists: each must give a clear message (naming the file),
//! never a panic, and leave the input byte for byte as it was. Prints how many inputs it tried.

use std::path::{Path, PathBuf};
use std::process::Command;

use tallymark::core::persist::{self, FileError};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn reference_text() -> String {
    std::fs::read_to_string(fixture("saves/kazakhstan-protests-2022.ron")).unwrap()
}

/// Loads `bytes` as an annotation file through the library and the `check` command; both must
/// refuse it (unless `may_pass`) with the file named, and leave it unchanged.
fn refused(name: &str, bytes: &[u8], may_pass: bool) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let lib = std::panic::catch_unwind(|| persist::load(&path)).expect("the loader never panics");
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "{name}: input unchanged"
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    match lib {
        Ok(_) => {
            assert!(may_pass, "{name} should have been refused");
            assert!(
                out.status.success(),
                "{name}: library and CLI agree: {stderr}"
            );
            None
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains(name),
                "{name}: the message names the file: {msg}"
            );
            assert!(!out.status.success(), "{name}: check exits non-zero");
            assert!(
                stderr.contains(name),
                "{name}: the CLI says the same: {stderr}"
            );
            Some(msg)
        }
    }
}

#[test]
fn every_listed_kind_of_bad_annotation_file_is_refused_clearly() {
    let good = reference_text();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "malformed.ron",
            good.replacen("version: 1,", "version: 1,,", 1).into_bytes(),
            "line",
        ),
        (
            "truncated.ron",
            good.as_bytes()[..good.len() / 2].to_vec(),
            "line",
        ),
        (
            "future.ron",
            good.replacen("version: 1,", "version: 7,", 1).into_bytes(),
            "version 7",
        ),
        (
            "outside.ron",
            good.replacen("end: 335,", "end: 99999,", 1).into_bytes(),
            "outside",
        ),
        (
            "backwards.ron",
            good.replacen("start: 255,", "start: 400,", 1).into_bytes(),
            "before it starts",
        ),
        (
            "exact.ron",
            good.replacen("exact: \"he was covered", "exact: \"she was covered", 1)
                .into_bytes(),
            "does not match",
        ),
        (
            "duplicate.ron",
            good.replacen("id: 2,", "id: 1,", 1).into_bytes(),
            "duplicate",
        ),
        (
            "nested.ron",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            "",
        ),
        (
            "random.ron",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "",
        ),
        ("empty.ron", Vec::new(), ""),
        ("notutf8.ron", vec![b'(', 0xff, 0xfe, b')'], "UTF-8"),
    ];
    for (name, bytes, expect) in &cases {
        let msg = refused(name, bytes, false).unwrap();
        assert!(msg.contains(expect), "{name}: {msg}");
    }
    println!("{} bad annotation files tried", cases.len());
}

/// A small deterministic generator, so the corpus is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn a_corpus_of_mutated_annotation_files_never_panics_and_never_changes_the_input() {
    let good = reference_text().into_bytes();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut tried = 0;
    let mut refused_count = 0;
    for n in 0..150 {
        let mut bytes = good.clone();
        for _ in 0..=rng.below(4) {
            let at = rng.below(bytes.len());
            match rng.below(5) {
                0 => {
                    let len = rng.below(40).min(bytes.len() - at);
                    bytes.drain(at..at + len);
                }
                1 => bytes.insert(at, b"(),:\"[]0123456789x\n\\"[rng.below(20)]),
                2 => bytes[at] = (rng.next() & 0xff) as u8,
                3 => {
                    let len = rng.below(60).min(bytes.len() - at);
                    let chunk: Vec<u8> = bytes[at..at + len].to_vec();
                    let to = rng.below(bytes.len());
                    bytes.splice(to..to, chunk);
                }
                _ => bytes.truncate(at),
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("mutant-{n}.ron"));
        std::fs::write(&path, &bytes).unwrap();
        let result = std::panic::catch_unwind(|| persist::load(&path)).expect("no panic");
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        if let Err(e) = result {
            refused_count += 1;
            assert!(e.to_string().contains(&format!("mutant-{n}.ron")), "{e}");
        }
        tried += 1;
    }
    println!("{tried} mutated annotation files tried, {refused_count} refused with a message");
    assert!(refused_count > tried / 2);
}

fn article(name: &str, bytes: &[u8]) -> Result<tallymark::core::document::Document, FileError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let r = std::panic::catch_unwind(|| persist::load_article(&path)).expect("no panic");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} unchanged");
    r
}

#[test]
fn articles_in_other_encodings_are_decoded_and_the_encoding_is_kept() {
    let russian = "Более 160 человек погибли, заявили в полиции Алматы. Задержаны более 10 000 человек, сообщили власти.";
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(russian);
    let doc = article("ru-1251.txt", &cp1251).unwrap();
    assert_eq!(doc.text().as_str(), russian);
    assert_eq!(doc.meta.encoding.as_deref(), Some("windows-1251"));

    let (koi8, _, _) = encoding_rs::KOI8_R.encode(russian);
    let doc = article("ru-koi8.txt", &koi8).unwrap();
    assert_eq!(doc.text().as_str(), russian, "KOI8-R decoded");

    let mut utf16 = vec![0xff, 0xfe];
    for u in "Título\r\n\r\n“More than 10,000” arrested".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let doc = article("utf16.txt", &utf16).unwrap();
    assert_eq!(doc.text().as_str(), "Título\n\n“More than 10,000” arrested");
    assert_eq!(doc.meta.encoding.as_deref(), Some("UTF-16LE"));

    let latin1: Vec<u8> = "Caf\u{e9} d\u{e9}j\u{e0} vu: 12 bless\u{e9}s \u{e0} Gen\u{e8}ve."
        .chars()
        .map(|c| c as u8)
        .collect();
    let doc = article("latin1.txt", &latin1).unwrap();
    assert!(
        doc.text().as_str().contains("blessés à Genève"),
        "{}",
        doc.text().as_str()
    );

    let doc = article("mixed.txt", b"One\r\nTwo\rThree\nFour").unwrap();
    assert_eq!(doc.text().as_str(), "One\nTwo\nThree\nFour");
    assert_eq!(doc.meta.normalization.line_endings_fixed, 2);
}

#[test]
fn binary_and_empty_articles_are_refused_by_name() {
    let err = article("photo.txt", &[0x89, b'P', b'N', b'G', 0, 0, 0, 13]).unwrap_err();
    assert!(
        err.to_string().contains("photo.txt") && err.to_string().contains("binary"),
        "{err}"
    );
    let err = article("blank.txt", b"  \n\n ").unwrap_err();
    assert!(
        err.to_string().contains("blank.txt") && err.to_string().contains("empty"),
        "{err}"
    );
    // And the headless commands exit non-zero with the same message.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("photo.txt");
    std::fs::write(&p, [0u8, 1, 2, 3]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .args(["suggest", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary"));
}

#[test]
fn killing_a_save_midway_leaves_the_old_file_or_the_new_one_never_half() {
    // A book-length annotation file takes long enough to write that kills land mid-save.
    let seed = std::fs::read_to_string(fixture("seeds/kazakhstan-protests-2022.txt")).unwrap();
    let book = std::iter::repeat_n(seed.as_str(), 300)
        .collect::<Vec<_>>()
        .join("\n\n");
    let dir = tempfile::tempdir().unwrap();
    let new_doc = tallymark::core::document::Document::from_article(&book, None);
    let source = dir.path().join("source.ron");
    persist::save(&new_doc, &source).unwrap();
    let new_bytes = std::fs::read(&source).unwrap();
    let old_doc = tallymark::core::document::Document::from_article("Old\n\nversion", None);
    let target = dir.path().join("target.ron");
    persist::save(&old_doc, &target).unwrap();
    let old_bytes = std::fs::read(&target).unwrap();
    let mut rng = Rng(42);
    let (mut saw_old, mut saw_new) = (0, 0);
    for _ in 0..25 {
        // Reset to the old version, then start the save and kill it after a random delay.
        std::fs::write(&target, &old_bytes).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tallymark"))
            .args([
                "fmt",
                source.to_str().unwrap(),
                "-o",
                target.to_str().unwrap(),
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(rng.below(400_000) as u64));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&target).unwrap();
        if now == old_bytes {
            saw_old += 1;
        } else if now == new_bytes {
            saw_new += 1;
        } else {
            panic!("a half-written file: {} bytes", now.len());
        }
        assert!(persist::load(&target).is_ok(), "whatever is there loads");
    }
    println!(
        "kill during save: {saw_old} times the old file, {saw_new} times the new one, never half"
    );
}

/// A save by someone who may write the file (through its "other" bits) but is neither its
/// owner nor in its group: the new file is theirs, and the bits that were granted to the
/// old group, and the set-group bit, are cleared rather than handed to the saver's group.
/// Runs only as root where `setpriv` can switch to the `nobody` uid (as in CI).
#[cfg(unix)]
#[test]
fn a_save_that_cannot_keep_the_group_clears_the_group_bits() {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    let setpriv = Command::new("setpriv").arg("--version").output().is_ok();
    if !(root && setpriv) {
        eprintln!("skipped: needs root and setpriv");
        return;
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let path = dir.path().join("a.ron");
    // Not in canonical form, so that `fmt` writes it.
    let text = std::fs::read_to_string(fixture("saves/kazakhstan-protests-2022.ron")).unwrap();
    std::fs::write(&path, text.replace("    version: 1,", "version:1,")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o2666)).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_tallymark"))
        .arg("fmt")
        .arg(&path)
        .arg("-o")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(meta.permissions().mode() & 0o7777, 0o606);
}
