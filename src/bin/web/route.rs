//! The current hash route (read by `parallel_universe::view::route`), kept
//! up to date on `hashchange`, and writing a view back into the URL. Any
//! hash that is not a route (an in-page anchor such as `#main`) leaves the
//! page as it is; unknown paths show a page that says so.

use gloo_events::EventListener;
pub use parallel_universe::view::route::{parse, Page, Route};
use wasm_bindgen::JsValue;
use yew::prelude::*;

fn current() -> Route {
    let hash = gloo_utils::window().location().hash().unwrap_or_default();
    parse(&hash).unwrap_or(Route {
        page: Page::Home,
        query: String::new(),
    })
}

/// The current route, updated on every `hashchange`.
#[hook]
pub fn use_route() -> Route {
    let route = use_state(current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo_utils::window(), "hashchange", move |_| {
                let hash = gloo_utils::window().location().hash().unwrap_or_default();
                if let Some(r) = parse(&hash) {
                    route.set(r);
                }
            });
            move || drop(listener)
        });
    }
    (*route).clone()
}

/// Write the view into the URL without a history entry (no `hashchange`).
pub fn replace_hash(hash: &str) {
    let w = gloo_utils::window();
    if w.location().hash().unwrap_or_default() == hash {
        return;
    }
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}
