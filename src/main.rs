//! The `tallymark` binary: a thin wrapper around [`tallymark::cli::run`].

fn main() -> std::process::ExitCode {
    tallymark::cli::main()
}
