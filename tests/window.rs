//! The real window under a virtual X display (Xvfb, software OpenGL): what no headless
//! test can show. Runs where `Xvfb` and `xdotool` are installed; `scripts/test` installs
//! them and sets `TALLYMARK_REQUIRE_X11=1`, so that in CI a missing tool fails the test
//! instead of skipping it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A virtual display, stopped when dropped.
struct Display {
    name: String,
    server: std::process::Child,
}

impl Display {
    fn start() -> Option<Self> {
        if !(have("Xvfb") && have("xdotool")) {
            assert!(
                std::env::var_os("TALLYMARK_REQUIRE_X11").is_none(),
                "Xvfb and xdotool are required (TALLYMARK_REQUIRE_X11 is set)"
            );
            eprintln!("skipped: Xvfb or xdotool is not installed");
            return None;
        }
        // A display number of our own: the process id keeps parallel runs apart. A number
        // whose lock file is left from a server that was killed is skipped, and so is one
        // where the server exits at once (taken after all): the next one is tried.
        for k in 0..50 {
            let n = 200 + (std::process::id() + k) % 500;
            if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
                continue;
            }
            let name = format!(":{n}");
            let mut server = Command::new("Xvfb")
                .args([
                    name.as_str(),
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb starts");
            std::thread::sleep(Duration::from_millis(800));
            if matches!(server.try_wait(), Ok(None)) {
                return Some(Self { name, server });
            }
        }
        panic!("no free X display between :200 and :699");
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.name)
            .output()
            .expect("xdotool runs");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

#[test]
fn destroying_the_window_outright_keeps_unsaved_work_and_does_not_panic() {
    let Some(display) = Display::start() else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let mut app = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/kazakhstan-protests-2022.txt"))
        .env("DISPLAY", &display.name)
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the app starts");
    let pid = app.id().to_string();
    let deadline = Instant::now() + Duration::from_mins(1);
    let window = loop {
        let found = display.xdotool(&["search", "--onlyvisible", "--pid", &pid]);
        if let Some(w) = found.lines().next() {
            break w.to_owned();
        }
        assert!(Instant::now() < deadline, "no window appeared");
        std::thread::sleep(Duration::from_millis(250));
    };
    // Let the first frames draw, then make one unsaved change: accept a suggestion.
    std::thread::sleep(Duration::from_secs(2));
    display.xdotool(&["windowfocus", &window]);
    for key in ["n", "Return"] {
        display.xdotool(&["key", key]);
        std::thread::sleep(Duration::from_millis(700));
    }
    display.xdotool(&["windowclose", &window]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = app.kill();
            panic!("the app did not end after its window was destroyed");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = app.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let recovery = home.path().join("data/tallymark/recovery");
    let copies = tallymark::core::recovery::list(&recovery);
    assert_eq!(copies.len(), 1, "the accepted suggestion is kept: {stderr}");
    assert_eq!(copies[0].doc.annotations().len(), 1);
}
