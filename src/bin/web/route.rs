//! Hash routes (`#/`, `#/playground?...`, `#/embed?...`, `#/calibration`),
//! so that the site works from any static host. Any other hash (an in-page
//! anchor, a mistyped path) is tolerated: anchors leave the page as it is,
//! unknown paths show a page that says so.

use gloo_events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// A page and its query (after `?`, undecoded).
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Home,
    Playground(String),
    Embed(String),
    Calibration,
    NotFound(String),
}

/// Read a location hash (`#/playground?cores=4`).
pub fn parse(hash: &str) -> Option<Route> {
    let h = hash.strip_prefix('#').unwrap_or(hash);
    if !(h.is_empty() || h.starts_with('/')) {
        // An in-page anchor such as `#main`: not a route.
        return None;
    }
    let (path, q) = h.split_once('?').unwrap_or((h, ""));
    let q = q.to_string();
    Some(match path.trim_end_matches('/') {
        "" => Route::Home,
        "/playground" => Route::Playground(q),
        "/embed" => Route::Embed(q),
        "/calibration" => Route::Calibration,
        other => Route::NotFound(other.chars().take(80).collect()),
    })
}

fn current() -> Route {
    let hash = gloo_utils::window().location().hash().unwrap_or_default();
    parse(&hash).unwrap_or(Route::Home)
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
