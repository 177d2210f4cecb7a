//! The web app: a yew single-page app compiled to WebAssembly and built
//! with Trunk (`www/index.html`). Everything it shows is computed by the
//! library (`parallel_universe::view` and the simulator); this binary only
//! draws, animates and wires controls to the URL.
//!
//! Natively the binary does nothing but say how to build it, so that
//! `cargo build`, `cargo test` and clippy cover the whole package.

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod charts;
#[cfg(target_arch = "wasm32")]
mod content;
#[cfg(target_arch = "wasm32")]
mod dom;
#[cfg(target_arch = "wasm32")]
mod route;
#[cfg(target_arch = "wasm32")]
mod timeline;

#[cfg(target_arch = "wasm32")]
fn main() {
    dom::register_service_worker();
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the web app runs in a browser: build it with `trunk build` (see README.md)");
    std::process::exit(2);
}
