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
        // `-displayfd` lets the server choose a free display number and write it once it
        // accepts connections. Guessing a number and sleeping raced on a loaded machine:
        // the app, started before the server was ready, could not open the display and
        // the test then waited for a window that never came.
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let stdout = server.stdout.take().expect("piped");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
            let _ = tx.send(line);
        });
        let number = rx
            .recv_timeout(Duration::from_mins(1))
            .ok()
            .and_then(|line| line.trim().parse::<u32>().ok());
        let Some(number) = number else {
            let _ = server.kill();
            let _ = server.wait();
            panic!("Xvfb did not say which display it took");
        };
        Some(Self {
            name: format!(":{number}"),
            server,
        })
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
    let log = home.path().join("stderr.txt");
    let mut app = Command::new(env!("CARGO_BIN_EXE_tallymark"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/kazakhstan-protests-2022.txt"))
        .env("DISPLAY", &display.name)
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("WAYLAND_DISPLAY")
        // Into a file, not a pipe: nobody reads a pipe until the end, and a full one would
        // stop the app at its next write.
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("the app starts");
    let pid = app.id().to_string();
    let deadline = Instant::now() + Duration::from_mins(1);
    let window = loop {
        let found = display.xdotool(&["search", "--onlyvisible", "--pid", &pid]);
        if let Some(w) = found.lines().next() {
            break w.to_owned();
        }
        if let Some(status) = app.try_wait().expect("wait") {
            panic!(
                "the app ended ({status}) before its window appeared: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        assert!(
            Instant::now() < deadline,
            "no window appeared: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
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
    let status = app.wait().expect("wait");
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let recovery = home.path().join("data/tallymark/recovery");
    let copies = tallymark::core::recovery::list(&recovery);
    assert_eq!(copies.len(), 1, "the accepted suggestion is kept: {stderr}");
    assert_eq!(copies[0].doc.annotations().len(), 1);
}
