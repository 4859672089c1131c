//! The core must stay free of GUI crates, so it can be tested and used headless.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn core_never_imports_egui_eframe_or_rfd() {
    let core_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tallymark_core/src");
    let mut files = Vec::new();
    rust_files(&core_dir, &mut files);
    assert!(files.len() >= 5, "found the core's files");
    let forbidden = ["egui", "eframe", "rfd", "crate::ui"];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        for (line_nr, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                let hit =
                    code.contains(&format!("{word}::")) || code.contains(&format!("use {word}"));
                assert!(
                    !hit,
                    "{}:{}: the core must not use {word}: {line}",
                    f.display(),
                    line_nr + 1
                );
            }
        }
    }
}

#[test]
fn project_never_reads_the_shared_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    let needle = ["..", "/shared"].concat();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        assert!(
            !text.contains(&needle),
            "{} refers to the shared folder",
            f.display()
        );
    }
}
