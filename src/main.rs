//! `parallel-universe`: the command-line twin of the web app's simulator.
//! All the work happens in the library; this file only parses arguments and
//! prints (see `cli`).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
