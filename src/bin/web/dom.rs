//! Small browser helpers: media-query hooks (theme, reduced motion), the
//! colour palette for both themes, and saving a canvas or an SVG text as a
//! file (through a same-origin `blob:` URL; nothing leaves the page).

use gloo_events::EventListener;
use parallel_universe::sim::trace::CoreState;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, Url};
use yew::prelude::*;

fn matches(query: &str) -> bool {
    gloo_utils::window()
        .match_media(query)
        .ok()
        .flatten()
        .is_some_and(|q| q.matches())
}

/// Whether a media query matches, updated when it changes.
#[hook]
pub fn use_media(query: &'static str) -> bool {
    let m = use_state(|| matches(query));
    {
        let m = m.clone();
        use_effect_with(query, move |q| {
            let mql = gloo_utils::window().match_media(q).ok().flatten();
            let listener = mql.map(|mql| {
                let list = mql.clone();
                EventListener::new(&mql, "change", move |_| m.set(list.matches()))
            });
            move || drop(listener)
        });
    }
    *m
}

/// Colours of one theme. The core-state colours are the Okabe-Ito palette,
/// which stays distinct under the common colour-vision deficiencies; the
/// states most often confused also carry a pattern (see `timeline`).
#[derive(Clone, Copy, PartialEq)]
pub struct Palette {
    pub background: &'static str,
    pub text: &'static str,
    pub grid: &'static str,
    pub gil: &'static str,
    pub gil_alt: &'static str,
    pub playhead: &'static str,
    pub transfer_dot: &'static str,
}

pub const LIGHT: Palette = Palette {
    background: "#ffffff",
    text: "#1b1b1f",
    grid: "#d8d8de",
    gil: "#3a3a44",
    gil_alt: "#74747f",
    playhead: "#c0002a",
    transfer_dot: "#7a1f5c",
};

pub const DARK: Palette = Palette {
    background: "#15161a",
    text: "#e8e8ee",
    grid: "#34353d",
    gil: "#c9c9d3",
    gil_alt: "#8c8c98",
    playhead: "#ff5c7a",
    transfer_dot: "#f2a6d6",
};

/// The fill of a core state.
pub fn state_colour(s: CoreState) -> &'static str {
    match s {
        CoreState::Python => "#0072B2",
        CoreState::Native => "#009E73",
        CoreState::GilWait => "#E69F00",
        CoreState::Handoff => "#D55E00",
        CoreState::Transfer => "#CC79A7",
        CoreState::Startup => "#56B4E9",
        CoreState::Dispatch => "#F0E442",
        CoreState::OsSwitch => "#999999",
    }
}

/// The colour of a model in charts (Okabe-Ito again, in model order).
pub fn model_colour(i: usize) -> (u8, u8, u8) {
    const C: [(u8, u8, u8); 8] = [
        (0, 114, 178),
        (230, 159, 0),
        (0, 158, 115),
        (204, 121, 167),
        (86, 180, 233),
        (213, 94, 0),
        (120, 120, 120),
        (0, 0, 0),
    ];
    C[i % C.len()]
}

pub fn download(blob: &Blob, name: &str) -> Result<(), JsValue> {
    let url = Url::create_object_url_with_blob(blob)?;
    let a: HtmlAnchorElement = gloo_utils::document().create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    gloo_timers::callback::Timeout::new(0, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Save text (an SVG drawing) as a file.
pub fn save_svg(svg: &str, name: &str) {
    let opts = BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &opts) {
        let _ = download(&blob, name);
    }
}

/// Save a canvas as a PNG file.
pub fn save_png(canvas: &HtmlCanvasElement, name: &str) {
    let name = name.to_string();
    let cb = Closure::once_into_js(move |b: Option<Blob>| {
        if let Some(b) = b {
            let _ = download(&b, &name);
        }
    });
    let _ = canvas.to_blob(cb.unchecked_ref());
}

/// The 2D context of a canvas.
pub fn context2d(c: &HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    c.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// The device pixel ratio (at least 1).
pub fn dpr() -> f64 {
    gloo_utils::window().device_pixel_ratio().max(1.0)
}

/// Set a performance mark (read by `scripts/bench-web.mjs`).
pub fn mark(name: &str) {
    if let Some(p) = gloo_utils::window().performance() {
        let _ = p.mark(name);
    }
}

/// Register the service worker (`www/sw.js`) that keeps the site working
/// offline. Release builds only, so that a development server always serves
/// fresh files; skipped where the browser has no service workers (an
/// insecure origin, a private window in some browsers).
pub fn register_service_worker() {
    if cfg!(debug_assertions) {
        return;
    }
    let nav = gloo_utils::window().navigator();
    if !js_sys::Reflect::has(&nav, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let p = nav.service_worker().register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    });
}

/// Milliseconds on the page's clock.
pub fn now_ms() -> f64 {
    gloo_utils::window().performance().map_or(0.0, |p| p.now())
}

/// Append a frame's drawing time to `window.__puDrawTimes` when a benchmark
/// has put an array there (`scripts/bench-web.mjs`); otherwise nothing.
pub fn record_draw(ms: f64) {
    let key = JsValue::from_str("__puDrawTimes");
    if let Ok(v) = js_sys::Reflect::get(&gloo_utils::window(), &key) {
        if let Some(a) = v.dyn_ref::<js_sys::Array>() {
            a.push(&JsValue::from_f64(ms));
        }
    }
}

/// A value kept in this browser's local storage, if storage is allowed.
pub fn stored(key: &str) -> Option<String> {
    gloo_utils::window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(key)
        .ok()
        .flatten()
}

/// Keep a value in local storage (silently nothing where storage is
/// refused, as in some private windows).
pub fn store(key: &str, value: &str) {
    if let Ok(Some(s)) = gloo_utils::window().local_storage() {
        let _ = s.set_item(key, value);
    }
}

/// Forget a value kept in local storage.
pub fn unstore(key: &str) {
    if let Ok(Some(s)) = gloo_utils::window().local_storage() {
        let _ = s.remove_item(key);
    }
}

/// Fetch a text file of the site.
pub async fn fetch_text(path: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let resp = JsFuture::from(gloo_utils::window().fetch_with_str(path))
        .await
        .map_err(|_| "the request failed".to_string())?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "no response".to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|_| "no body".to_string())?)
        .await
        .map_err(|_| "the body could not be read".to_string())?;
    Ok(text.as_string().unwrap_or_default())
}
