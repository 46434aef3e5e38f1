//! The `territory` program: argument parsing ([`cli`]) and one module per
//! subcommand ([`commands`]) over the `territory` library.

mod cli;
mod commands;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::watch_signals();
    match cli::run() {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            // The chain once: causes already quoted in the message are not repeated.
            let message = e.to_string();
            territory::io::output::error_message(format_args!("territory: error: {message}"));
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                let cause = s.to_string();
                if !message.contains(&cause) {
                    territory::io::output::error_message(format_args!("  caused by: {cause}"));
                }
                source = s.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
