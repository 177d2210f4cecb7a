//! The timeline: for each compared model a lane per core coloured by what
//! the core does and a lane per GIL showing its holder, payloads in flight
//! drawn as dots moving between lanes, all on one shared clock.
//!
//! The whole run is drawn once into an offscreen canvas (again only when the
//! runs, the size, the zoom or the theme change); each animation frame then
//! copies the part up to the clock and draws the playhead, so a frame costs
//! the same for 1 core as for 64 cores x 5 models.

use crate::dom::{context2d, dpr, state_colour, Palette, DARK, LIGHT};
use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use parallel_universe::i18n::{fill, tr, trf, Lang};
use parallel_universe::sim::trace::CoreState;
use parallel_universe::view::lanes::{state_label, LaneKind, Lanes, STATES};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement, HtmlInputElement};
use yew::prelude::*;

/// Where the user has put the clock, how fast and how close it plays, and
/// whether it is playing (reported so that the address can keep them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moved {
    pub at: f64,
    pub speed: f64,
    pub zoom: f64,
    pub playing: bool,
}

/// What a host page (or the page around the timeline) asks it to do; see
/// [`TimelineProps::command`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    /// Play from where the clock stands (from the range's start if at its end).
    Play,
    /// Move the clock to a fraction of the longest run and play.
    PlayFrom(f64),
    /// Pause.
    Pause,
    /// Move the clock to a fraction of the longest run.
    Seek(f64),
    /// Save the frame on the canvas as a PNG image.
    Poster,
    /// Play the range once while recording the canvas as a WebM video,
    /// then save it.
    Record,
}

/// One model's row of lanes, or why it has none.
#[derive(Clone, Debug)]
pub struct Track {
    pub label: String,
    pub lanes: Option<Rc<Lanes>>,
    pub note: String,
}

#[derive(Properties, Clone)]
pub struct TimelineProps {
    pub tracks: Rc<Vec<Track>>,
    /// Where the clock starts, as a fraction of the longest run.
    #[prop_or_default]
    pub at: f64,
    #[prop_or(1.0)]
    pub speed: f64,
    #[prop_or(1.0)]
    pub zoom: f64,
    #[prop_or_default]
    pub autoplay: bool,
    /// Whether playback controls are shown.
    #[prop_or(true)]
    pub controls: bool,
    /// Told (at, speed, zoom) when the user moves the clock or changes them.
    #[prop_or_default]
    pub on_change: Callback<Moved>,
    /// Escape hands focus back to the page (or the host deck of an embed).
    #[prop_or_default]
    pub on_escape: Callback<()>,
    /// Fit the lanes to the window's height (an embed in its frame).
    #[prop_or_default]
    pub fit: bool,
    /// The part of the run that plays, as fractions of the longest run.
    #[prop_or(0.0)]
    pub from: f64,
    #[prop_or(1.0)]
    pub to: f64,
    /// Start again from `from` on reaching `to`.
    #[prop_or_default]
    pub looping: bool,
    /// The theme, when the page forces one (`Some(true)` dark); the
    /// system's otherwise.
    #[prop_or_default]
    pub dark: Option<bool>,
    /// A command and a number that changes with every new command (so that
    /// the same command can be given twice).
    #[prop_or_default]
    pub command: Option<(u32, Command)>,
    /// Told the clock (a fraction of the longest run) and whether it plays,
    /// on every frame while playing and on every change.
    #[prop_or_default]
    pub on_time: Callback<(f64, bool)>,
    /// Told what a recording or a poster came to (a sentence for the page).
    #[prop_or_default]
    pub on_saved: Callback<String>,
}

impl PartialEq for TimelineProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.tracks, &o.tracks)
            && self.at == o.at
            && self.speed == o.speed
            && self.zoom == o.zoom
            && self.autoplay == o.autoplay
            && self.controls == o.controls
            && self.fit == o.fit
            && self.from == o.from
            && self.to == o.to
            && self.looping == o.looping
            && self.dark == o.dark
            && self.command == o.command
    }
}

const GUTTER: f64 = 136.0;
const HEADER: f64 = 18.0;
const MAX_OFFSCREEN: f64 = 8192.0;
/// Seconds the whole run takes to play at speed 1.
const PLAY_SECONDS: f64 = 10.0;

struct Layout {
    /// (track index, y of its header, lane height, y of each lane).
    rows: Vec<(usize, f64, f64, Vec<f64>)>,
    height: f64,
}

/// Lanes share `avail` pixels of height: 14 each at most, and at least 3
/// (1 when the timeline must fit its frame, as in an embed).
fn layout(tracks: &[Track], avail: f64, fit: bool) -> Layout {
    let total: usize = tracks
        .iter()
        .map(|t| t.lanes.as_ref().map_or(1, |l| l.lanes.len()))
        .sum();
    let heads = tracks.len() as f64 * (HEADER + 6.0);
    let room = if fit {
        (avail - heads).max(20.0)
    } else {
        480.0
    };
    let lane_h = (room / total.max(1) as f64)
        .clamp(if fit { 1.0 } else { 3.0 }, 14.0)
        .floor();
    let mut y = 0.0;
    let mut rows = Vec::new();
    for (i, t) in tracks.iter().enumerate() {
        let head = y;
        y += HEADER;
        let n = t.lanes.as_ref().map_or(1, |l| l.lanes.len());
        let ys: Vec<f64> = (0..n).map(|k| y + k as f64 * lane_h).collect();
        y += n as f64 * lane_h + 6.0;
        rows.push((i, head, lane_h, ys));
    }
    Layout { rows, height: y }
}

struct Clock {
    /// Current time (ns).
    t: f64,
    playing: bool,
    last_frame: Option<f64>,
    speed: f64,
    zoom: f64,
    /// The range that plays (ns).
    from: f64,
    to: f64,
    looping: bool,
}

impl Clock {
    /// Move the clock by a frame's worth of play; whether it has stopped
    /// at the end of the range.
    fn advance(&mut self, dt_ms: f64, makespan: f64) -> bool {
        self.t += dt_ms / 1000.0 / PLAY_SECONDS * makespan * self.speed;
        if self.t >= self.to {
            if self.looping && self.to > self.from {
                self.t = self.from + (self.t - self.to) % (self.to - self.from);
                return false;
            }
            self.t = self.to;
            return true;
        }
        false
    }
}

/// The part of a run that plays, in ns, from props' fractions (an empty or
/// reversed range plays the whole run).
fn range(from: f64, to: f64, makespan: f64) -> (f64, f64) {
    let (f, t) = (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0));
    if t > f {
        (f * makespan, t * makespan)
    } else {
        (0.0, makespan)
    }
}

/// The drawing state that lives across frames.
struct Scene {
    offscreen: Option<HtmlCanvasElement>,
    key: (usize, u32, u32, u32, bool),
    /// Height the lanes may share when fitting the frame (CSS pixels).
    avail: f64,
    fit: bool,
}

fn pattern(
    ctx: &CanvasRenderingContext2d,
    colour: &str,
    mark: &str,
    kind: u8,
) -> Option<web_sys::CanvasPattern> {
    let doc = gloo_utils::document();
    let c: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    c.set_width(6);
    c.set_height(6);
    let p = context2d(&c)?;
    p.set_fill_style_str(colour);
    p.fill_rect(0.0, 0.0, 6.0, 6.0);
    p.set_stroke_style_str(mark);
    p.set_fill_style_str(mark);
    p.set_line_width(1.2);
    match kind {
        // Diagonal stripes: waiting for the GIL.
        0 => {
            p.begin_path();
            p.move_to(0.0, 6.0);
            p.line_to(6.0, 0.0);
            p.stroke();
        }
        // Dots: pickling or copying.
        1 => p.fill_rect(2.0, 2.0, 2.0, 2.0),
        // Vertical stripes: starting up.
        _ => p.fill_rect(2.5, 0.0, 1.0, 6.0),
    }
    ctx.create_pattern_with_html_canvas_element(&c, "repeat")
        .ok()
        .flatten()
}

fn render_offscreen(
    tracks: &[Track],
    lay: &Layout,
    makespan: f64,
    width: f64,
    scale: f64,
    pal: &Palette,
) -> Option<HtmlCanvasElement> {
    let doc = gloo_utils::document();
    let c: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    c.set_width(width.max(1.0) as u32);
    c.set_height((lay.height * scale).max(1.0) as u32);
    let ctx = context2d(&c)?;
    let px = |ns: u64| ns as f64 / makespan * width;
    let patterns: Vec<(CoreState, web_sys::CanvasPattern)> = [
        (CoreState::GilWait, 0u8),
        (CoreState::Transfer, 1),
        (CoreState::Startup, 2),
    ]
    .iter()
    .filter_map(|&(s, k)| pattern(&ctx, state_colour(s), "rgba(0,0,0,0.45)", k).map(|p| (s, p)))
    .collect();
    for (ti, _, lane_h, ys) in &lay.rows {
        let Some(lanes) = tracks[*ti].lanes.as_ref() else {
            continue;
        };
        for (lane, &y) in lanes.lanes.iter().zip(ys) {
            let (y0, h) = (y * scale, (lane_h - 1.0).max(1.0) * scale);
            // Lane background, so that idle time reads as a gap.
            ctx.set_fill_style_str(pal.grid);
            ctx.set_global_alpha(0.35);
            ctx.fill_rect(0.0, y0, px(lanes.makespan), h);
            ctx.set_global_alpha(1.0);
            let mut last: Option<CoreState> = None;
            let mut gil_flip = false;
            let mut last_holder = u32::MAX;
            for s in &lane.spans {
                let x0 = px(s.start);
                let w = (px(s.end) - x0).max(0.6);
                match s.state {
                    Some(st) => {
                        if last != Some(st) {
                            match patterns.iter().find(|(p, _)| *p == st) {
                                Some((_, pat)) => ctx.set_fill_style_canvas_pattern(pat),
                                None => ctx.set_fill_style_str(state_colour(st)),
                            }
                            last = Some(st);
                        }
                    }
                    None => {
                        // A GIL lane: alternate shades when the holder changes.
                        if s.thread != last_holder {
                            gil_flip = !gil_flip;
                            last_holder = s.thread;
                        }
                        ctx.set_fill_style_str(if gil_flip { pal.gil } else { pal.gil_alt });
                    }
                }
                ctx.fill_rect(x0, y0, w, h);
            }
        }
    }
    Some(c)
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} us", ns / 1e3)
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_frame(
    canvas: &HtmlCanvasElement,
    scene: &mut Scene,
    tracks: &[Track],
    clock: &Clock,
    makespan: f64,
    pal: &Palette,
    dark: bool,
    lang: Lang,
) {
    let scale = dpr();
    let css_w = canvas.client_width().max(200) as f64;
    if scene.fit {
        let top = canvas.get_bounding_client_rect().top().max(0.0);
        let inner = gloo_utils::window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(600.0);
        // Room below for the read-out line and the link.
        scene.avail = (inner - top - 56.0).max(60.0);
    }
    let lay = layout(tracks, scene.avail, scene.fit);
    let (cw, ch) = ((css_w * scale) as u32, (lay.height * scale).max(1.0) as u32);
    if canvas.width() != cw || canvas.height() != ch {
        canvas.set_width(cw);
        canvas.set_height(ch);
    }
    let plot_w = (css_w - GUTTER).max(50.0);
    let full_w = (plot_w * scale * clock.zoom).min(MAX_OFFSCREEN);
    let key = (
        tracks.as_ptr() as usize,
        cw,
        ch,
        (clock.zoom * 100.0) as u32,
        dark,
    );
    if scene.key != key || scene.offscreen.is_none() {
        scene.offscreen = render_offscreen(tracks, &lay, makespan, full_w, scale, pal);
        scene.key = key;
    }
    let Some(ctx) = context2d(canvas) else {
        return;
    };
    ctx.set_fill_style_str(pal.background);
    ctx.fill_rect(0.0, 0.0, cw as f64, ch as f64);
    // The window of time shown: all of it, or a zoomed window that follows
    // the clock.
    let window = makespan / clock.zoom;
    let from = (clock.t - window / 2.0).clamp(0.0, (makespan - window).max(0.0));
    let to_x = |ns: f64| GUTTER + (ns - from) / window * plot_w;
    if let Some(off) = &scene.offscreen {
        let sx = from / makespan * full_w;
        let shown = (clock.t.min(from + window) - from).max(0.0);
        let sw = shown / makespan * full_w;
        if sw > 0.0 {
            let _ = ctx
                .draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                    off,
                    sx,
                    0.0,
                    sw,
                    off.height() as f64,
                    GUTTER * scale,
                    0.0,
                    shown / window * plot_w * scale,
                    ch as f64,
                );
        }
    }
    ctx.save();
    let _ = ctx.scale(scale, scale);
    ctx.set_font("12px system-ui, sans-serif");
    ctx.set_text_baseline("middle");
    // Looked up once a frame, filled once a lane.
    let core_label = tr(lang, "core {}");
    for (ti, head, lane_h, ys) in &lay.rows {
        let t = &tracks[*ti];
        ctx.set_fill_style_str(pal.text);
        let _ = ctx.fill_text(&t.label, 4.0, head + HEADER / 2.0);
        match &t.lanes {
            None => {
                ctx.set_fill_style_str(pal.text);
                let _ = ctx.fill_text(&t.note, GUTTER, ys[0] + lane_h / 2.0);
            }
            Some(l) => {
                if *lane_h >= 9.0 {
                    ctx.set_font("10px system-ui, sans-serif");
                    for (lane, &y) in l.lanes.iter().zip(ys) {
                        let name = match lane.kind {
                            LaneKind::Core(c) => fill(core_label, &[&c]),
                            LaneKind::Gil(i) => format!("GIL {i}"),
                        };
                        let _ = ctx.fill_text(&name, 14.0, y + lane_h / 2.0);
                    }
                    ctx.set_font("12px system-ui, sans-serif");
                } else {
                    let cores = l.cores();
                    let gils = l.lanes.len() - cores;
                    let text = if gils == 1 {
                        trf(lang, "{} cores, {} GIL", &[&cores, &gils])
                    } else {
                        trf(lang, "{} cores, {} GILs", &[&cores, &gils])
                    };
                    let _ = ctx.fill_text(&text, 14.0, ys[0] + 6.0);
                }
                // Payloads in flight: a dot between the lanes of the sending
                // and receiving threads, moving as the transfer progresses.
                if clock.t <= l.makespan as f64 {
                    let t_ns = clock.t as u64;
                    ctx.set_fill_style_str(pal.transfer_dot);
                    let lane_of = |thread: u32, at: u64| {
                        l.lanes
                            .iter()
                            .position(|ln| {
                                matches!(ln.kind, LaneKind::Core(_))
                                    && ln.at(at).is_some_and(|s| s.thread == thread)
                            })
                            .map(|k| ys[k] + lane_h / 2.0)
                    };
                    for x in l.in_flight(t_ns).take(64) {
                        let (a, b) = (
                            lane_of(x.from_thread, x.start_ns),
                            lane_of(x.to_thread, x.end_ns.saturating_sub(1)),
                        );
                        if let (Some(a), Some(b)) = (a, b) {
                            let f =
                                (t_ns - x.start_ns) as f64 / (x.end_ns - x.start_ns).max(1) as f64;
                            ctx.begin_path();
                            let _ = ctx.arc(
                                to_x(clock.t),
                                a + (b - a) * f,
                                3.0,
                                0.0,
                                std::f64::consts::TAU,
                            );
                            ctx.fill();
                        }
                    }
                }
            }
        }
    }
    // The playhead.
    let x = to_x(clock.t.min(makespan));
    ctx.set_stroke_style_str(pal.playhead);
    ctx.set_line_width(1.5);
    ctx.begin_path();
    ctx.move_to(x, 0.0);
    ctx.line_to(x, lay.height);
    ctx.stroke();
    ctx.restore();
}

fn hover_text(
    tracks: &[Track],
    y: f64,
    t: f64,
    avail: f64,
    fit: bool,
    lang: Lang,
) -> Option<String> {
    let lay = layout(tracks, avail, fit);
    for (ti, _, lane_h, ys) in &lay.rows {
        let Some(l) = tracks[*ti].lanes.as_ref() else {
            continue;
        };
        for (k, &ly) in ys.iter().enumerate() {
            if y >= ly && y < ly + lane_h {
                let lane = &l.lanes[k];
                let at = t as u64;
                let name = match lane.kind {
                    LaneKind::Core(c) => trf(lang, "core {}", &[&c]),
                    LaneKind::Gil(i) => trf(lang, "GIL of interpreter {}", &[&i]),
                };
                let what = match lane.at(at) {
                    None => tr(lang, "idle").to_string(),
                    Some(s) => {
                        let role = l.roles.get(s.thread as usize).cloned().unwrap_or_default();
                        let doing = match s.state {
                            Some(st) => tr(lang, state_label(st)),
                            None => tr(lang, "held"),
                        };
                        trf(
                            lang,
                            "{}, thread {} ({}), {} long",
                            &[
                                &doing,
                                &s.thread,
                                &role,
                                &fmt_time((s.end - s.start) as f64),
                            ],
                        )
                    }
                };
                return Some(trf(
                    lang,
                    "{}: {} at {}: {}",
                    &[&tracks[*ti].label, &name, &fmt_time(t), &what],
                ));
            }
        }
    }
    None
}

#[function_component(Timeline)]
pub fn timeline(p: &TimelineProps) -> Html {
    let lang = crate::app::use_lang();
    // The language as of the latest render, for the drawing closures that
    // effects keep from earlier renders.
    let lang_now = use_mut_ref(|| lang);
    *lang_now.borrow_mut() = lang;
    let canvas = use_node_ref();
    let wrap = use_node_ref();
    let scrub = use_node_ref();
    let readout = use_node_ref();
    let system_dark = crate::dom::use_media("(prefers-color-scheme: dark)");
    let dark = p.dark.unwrap_or(system_dark);
    let reduced = crate::dom::use_media("(prefers-reduced-motion: reduce)");
    let makespan = p
        .tracks
        .iter()
        .filter_map(|t| t.lanes.as_ref().map(|l| l.makespan))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let (r_from, r_to) = range(p.from, p.to, makespan);
    let clock = use_mut_ref(|| Clock {
        t: p.at * makespan,
        playing: false,
        last_frame: None,
        speed: p.speed,
        zoom: p.zoom,
        from: r_from,
        to: r_to,
        looping: p.looping,
    });
    let scene = use_mut_ref(|| Scene {
        offscreen: None,
        key: (0, 0, 0, 0, false),
        avail: 480.0,
        fit: p.fit,
    });
    let frame = use_mut_ref(|| None::<AnimationFrame>);
    let recording = use_mut_ref(|| None::<Recording>);
    let playing = use_state(|| false);
    let hover = use_state(String::new);
    let pal = if dark { DARK } else { LIGHT };

    let drawn = use_mut_ref(|| false);
    // Draw one frame now.
    let redraw = {
        let (canvas, scene, clock, tracks, scrub, readout, drawn, lang_now) = (
            canvas.clone(),
            scene.clone(),
            clock.clone(),
            p.tracks.clone(),
            scrub.clone(),
            readout.clone(),
            drawn.clone(),
            lang_now.clone(),
        );
        Rc::new(move || {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let began = crate::dom::now_ms();
                let ck = clock.borrow();
                let lang = *lang_now.borrow();
                draw_frame(
                    &c,
                    &mut scene.borrow_mut(),
                    &tracks,
                    &ck,
                    makespan,
                    &pal,
                    dark,
                    lang,
                );
                if !*drawn.borrow() && !tracks.is_empty() {
                    *drawn.borrow_mut() = true;
                    crate::dom::mark("pu-timeline-drawn");
                }
                if let Some(s) = scrub.cast::<HtmlInputElement>() {
                    s.set_value(&format!("{:.0}", ck.t / makespan * 1000.0));
                }
                if let Some(r) = readout.cast::<HtmlElement>() {
                    r.set_text_content(Some(&trf(
                        lang,
                        "{} of {}",
                        &[&fmt_time(ck.t), &fmt_time(makespan)],
                    )));
                }
                crate::dom::record_draw(crate::dom::now_ms() - began);
            }
        })
    };

    // New runs: put the clock where the props say, and start if asked.
    {
        let (clock, redraw, playing) = (clock.clone(), redraw.clone(), playing.clone());
        let start = p.autoplay && !reduced;
        // Without motion, a page that would have played shows every run whole.
        let whole = p.autoplay && reduced;
        let (at, speed, zoom, looping) = (p.at, p.speed, p.zoom, p.looping);
        use_effect_with(p.tracks.as_ptr() as usize, move |_| {
            {
                let mut c = clock.borrow_mut();
                c.from = r_from;
                c.to = r_to;
                c.looping = looping;
                c.t = if whole {
                    r_to
                } else {
                    (at * makespan).clamp(r_from, r_to)
                };
                c.speed = speed;
                c.zoom = zoom;
                c.last_frame = None;
                if start && c.t >= r_to {
                    c.t = r_from;
                }
            }
            playing.set(start);
            redraw();
        });
    }
    // A new position, speed or zoom from the page (an address it was given):
    // move there without starting or stopping.
    {
        let (clock, redraw) = (clock.clone(), redraw.clone());
        // The first run is the new-runs effect's to place.
        let mounted = use_mut_ref(|| false);
        use_effect_with((p.at, p.speed, p.zoom), move |(at, speed, zoom)| {
            if !std::mem::replace(&mut *mounted.borrow_mut(), true) {
                return;
            }
            {
                let mut c = clock.borrow_mut();
                let t = at * makespan;
                if (c.t - t).abs() > makespan * 1e-4 && !c.playing {
                    c.t = t;
                }
                c.speed = *speed;
                c.zoom = *zoom;
            }
            redraw();
        });
    }

    // A new language: the labels on the canvas and the read-out change
    // (the first render has drawn in its own).
    {
        let redraw = redraw.clone();
        let mounted = use_mut_ref(|| false);
        use_effect_with(lang, move |_| {
            if std::mem::replace(&mut *mounted.borrow_mut(), true) {
                redraw();
            }
        });
    }

    // A new range or loop setting from the page.
    {
        let clock = clock.clone();
        use_effect_with(
            (r_from.to_bits(), r_to.to_bits(), p.looping),
            move |&(f, t, l)| {
                let mut c = clock.borrow_mut();
                c.from = f64::from_bits(f);
                c.to = f64::from_bits(t);
                c.looping = l;
            },
        );
    }

    // The animation loop, while playing.
    {
        let (clock, redraw, frame, playing_h) = (
            clock.clone(),
            redraw.clone(),
            frame.clone(),
            playing.clone(),
        );
        let on_change = p.on_change.clone();
        let on_time = p.on_time.clone();
        let recording = recording.clone();
        use_effect_with(*playing, move |&is_playing| {
            clock.borrow_mut().playing = is_playing;
            clock.borrow_mut().last_frame = None;
            fn tick(
                clock: Rc<RefCell<Clock>>,
                redraw: Rc<dyn Fn()>,
                slot: Rc<RefCell<Option<AnimationFrame>>>,
                makespan: f64,
                done: Callback<()>,
                on_time: Callback<(f64, bool)>,
            ) {
                let s2 = slot.clone();
                *slot.borrow_mut() = Some(request_animation_frame(move |ts| {
                    let (finished, t) = {
                        let mut c = clock.borrow_mut();
                        let last = c.last_frame.replace(ts);
                        let finished = match last {
                            Some(last) => c.advance((ts - last).clamp(0.0, 100.0), makespan),
                            None => false,
                        };
                        (finished, c.t)
                    };
                    redraw();
                    if finished {
                        done.emit(());
                    } else {
                        on_time.emit((t / makespan, true));
                        tick(clock, redraw, s2, makespan, done, on_time);
                    }
                }));
            }
            if is_playing {
                let done = {
                    let playing = playing_h.clone();
                    let clock = clock.clone();
                    let on_time = on_time.clone();
                    let recording = recording.clone();
                    Callback::from(move |_| {
                        playing.set(false);
                        finish_recording(&recording, &clock);
                        let c = clock.borrow();
                        on_time.emit((c.t / makespan, false));
                        on_change.emit(Moved {
                            at: c.t / makespan,
                            speed: c.speed,
                            zoom: c.zoom,
                            playing: false,
                        });
                    })
                };
                tick(clock, redraw, frame.clone(), makespan, done, on_time);
            }
            move || {
                frame.borrow_mut().take();
            }
        });
    }
    // Pausing ends a recording (what was recorded is saved).
    {
        let (recording, clock) = (recording.clone(), clock.clone());
        use_effect_with(*playing, move |&is_playing| {
            if !is_playing {
                finish_recording(&recording, &clock);
            }
        });
    }

    // Redraw on resize and theme change; pause while the page is hidden.
    {
        let (redraw, playing, canvas) = (redraw.clone(), playing.clone(), canvas.clone());
        use_effect_with(dark, move |_| {
            redraw();
            let r = redraw.clone();
            let resize = EventListener::new(&gloo_utils::window(), "resize", move |_| r());
            let pause = playing.clone();
            let hidden =
                EventListener::new(&gloo_utils::document(), "visibilitychange", move |_| {
                    if gloo_utils::document().hidden() {
                        pause.set(false);
                    }
                });
            // Pause while the timeline is scrolled out of view (or its
            // slide is off-screen).
            let seen = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                let out = entries.iter().any(|e| {
                    e.dyn_into::<web_sys::IntersectionObserverEntry>()
                        .is_ok_and(|e| !e.is_intersecting())
                });
                if out {
                    playing.set(false);
                }
            });
            let observer = web_sys::IntersectionObserver::new(seen.as_ref().unchecked_ref()).ok();
            if let (Some(o), Some(el)) = (&observer, canvas.cast::<web_sys::Element>()) {
                o.observe(&el);
            }
            move || {
                drop(resize);
                drop(hidden);
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop(seen);
            }
        });
    }

    let report = {
        let (clock, on_change, on_time) = (clock.clone(), p.on_change.clone(), p.on_time.clone());
        move || {
            let c = clock.borrow();
            on_time.emit((c.t / makespan, c.playing));
            on_change.emit(Moved {
                at: c.t / makespan,
                speed: c.speed,
                zoom: c.zoom,
                playing: c.playing,
            });
        }
    };
    let seek = {
        let (clock, redraw, report) = (clock.clone(), redraw.clone(), report.clone());
        Rc::new(move |t: f64| {
            {
                let mut c = clock.borrow_mut();
                c.t = t.clamp(0.0, makespan);
                c.last_frame = None;
            }
            redraw();
            report();
        })
    };
    let toggle = {
        let (playing, clock, report) = (playing.clone(), clock.clone(), report.clone());
        Callback::from(move |_: ()| {
            if *playing {
                clock.borrow_mut().playing = false;
                playing.set(false);
            } else {
                {
                    let mut c = clock.borrow_mut();
                    if c.t >= c.to || c.t < c.from {
                        c.t = c.from;
                    }
                    c.playing = true;
                }
                playing.set(true);
            }
            report();
        })
    };
    let set_zoom = {
        let (clock, redraw, report) = (clock.clone(), redraw.clone(), report.clone());
        Rc::new(move |f: f64| {
            {
                let mut c = clock.borrow_mut();
                c.zoom = (c.zoom * f).clamp(1.0, 1000.0);
            }
            redraw();
            report();
        })
    };
    let set_speed = {
        let (clock, report) = (clock.clone(), report.clone());
        Rc::new(move |s: f64| {
            clock.borrow_mut().speed = s.clamp(0.01, 100.0);
            report();
        })
    };

    // Commands from the page or a host deck.
    {
        let (clock, playing, seek, canvas, on_saved, recording, report) = (
            clock.clone(),
            playing.clone(),
            seek.clone(),
            canvas.clone(),
            p.on_saved.clone(),
            recording.clone(),
            report.clone(),
        );
        use_effect_with(p.command, move |cmd| {
            let Some((_, cmd)) = *cmd else { return };
            match cmd {
                Command::Play | Command::PlayFrom(_) => {
                    {
                        let mut c = clock.borrow_mut();
                        if let Command::PlayFrom(f) = cmd {
                            c.t = (f.clamp(0.0, 1.0) * makespan).clamp(c.from, c.to);
                            c.last_frame = None;
                        }
                        if c.t >= c.to || c.t < c.from {
                            c.t = c.from;
                        }
                        c.playing = true;
                    }
                    playing.set(true);
                    report();
                }
                Command::Pause => {
                    clock.borrow_mut().playing = false;
                    playing.set(false);
                    report();
                }
                Command::Seek(f) if f.is_finite() => seek(f.clamp(0.0, 1.0) * makespan),
                Command::Seek(_) => {}
                Command::Poster => {
                    if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                        crate::dom::save_png(&c, "parallel-universe-frame.png");
                        on_saved.emit("poster".into());
                    }
                }
                Command::Record => {
                    if recording.borrow().is_some() {
                        return;
                    }
                    let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
                        return;
                    };
                    match start_recording(&c, on_saved.clone()) {
                        Ok(rec) => {
                            let looping = {
                                let mut ck = clock.borrow_mut();
                                let l = ck.looping;
                                ck.looping = false;
                                ck.t = ck.from;
                                ck.last_frame = None;
                                ck.playing = true;
                                l
                            };
                            *recording.borrow_mut() = Some(Recording { looping, ..rec });
                            playing.set(true);
                        }
                        Err(e) => on_saved.emit(format!("error: {e}")),
                    }
                }
            }
        });
    }

    let onkeydown = {
        let (toggle, seek, clock, set_zoom, on_escape) = (
            toggle.clone(),
            seek.clone(),
            clock.clone(),
            set_zoom.clone(),
            p.on_escape.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let t = clock.borrow().t;
            let step = makespan / 100.0;
            let handled = match e.key().as_str() {
                " " | "k" | "Enter" => {
                    toggle.emit(());
                    true
                }
                "ArrowRight" | "PageDown" | "l" => {
                    seek(
                        t + if e.key() == "PageDown" {
                            step * 10.0
                        } else {
                            step
                        },
                    );
                    true
                }
                "ArrowLeft" | "PageUp" | "j" => {
                    seek(
                        t - if e.key() == "PageUp" {
                            step * 10.0
                        } else {
                            step
                        },
                    );
                    true
                }
                "Home" => {
                    seek(0.0);
                    true
                }
                "End" => {
                    seek(makespan);
                    true
                }
                "+" | "=" => {
                    set_zoom(2.0);
                    true
                }
                "-" | "_" => {
                    set_zoom(0.5);
                    true
                }
                "Escape" => {
                    if let Some(el) = gloo_utils::document().active_element() {
                        if let Some(h) = el.dyn_ref::<HtmlElement>() {
                            let _ = h.blur();
                        }
                    }
                    on_escape.emit(());
                    false
                }
                _ => false,
            };
            if handled {
                e.prevent_default();
            }
        })
    };
    let onmousemove = {
        let (hover, tracks, clock, scene) = (
            hover.clone(),
            p.tracks.clone(),
            clock.clone(),
            scene.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e.target_dyn_into::<HtmlCanvasElement>() else {
                return;
            };
            let r = el.get_bounding_client_rect();
            let (x, y) = (
                e.client_x() as f64 - r.left(),
                e.client_y() as f64 - r.top(),
            );
            let plot_w = (r.width() - GUTTER).max(50.0);
            let c = clock.borrow();
            let window = makespan / c.zoom;
            let from = (c.t - window / 2.0).clamp(0.0, (makespan - window).max(0.0));
            if x < GUTTER {
                return;
            }
            let t = from + (x - GUTTER) / plot_w * window;
            let (avail, fit) = {
                let sc = scene.borrow();
                (sc.avail, sc.fit)
            };
            if let Some(text) = hover_text(&tracks, y, t, avail, fit, lang) {
                hover.set(text);
            }
        })
    };
    let onscrub = {
        let seek = seek.clone();
        Callback::from(move |e: InputEvent| {
            let v: f64 = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
                .unwrap_or(0.0);
            seek(v / 1000.0 * makespan);
        })
    };
    let onspeed = {
        let set_speed = set_speed.clone();
        Callback::from(move |e: Event| {
            let v: f64 = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(1.0);
            set_speed(v);
        })
    };
    let speed_now = clock.borrow().speed;
    let legend: Html = STATES
        .iter()
        .map(|&s| {
            html! {
                <li><span class={classes!("swatch", format!("st-{s:?}").to_lowercase())}
                    style={format!("background:{}", state_colour(s))}></span>{tr(lang, state_label(s))}</li>
            }
        })
        .collect();
    let (zi, zo) = (set_zoom.clone(), set_zoom.clone());
    let step_back = {
        let (seek, clock) = (seek.clone(), clock.clone());
        Callback::from(move |_| {
            let t = clock.borrow().t;
            seek(t - makespan / 100.0)
        })
    };
    let step_fwd = {
        let (seek, clock) = (seek.clone(), clock.clone());
        Callback::from(move |_| {
            let t = clock.borrow().t;
            seek(t + makespan / 100.0)
        })
    };
    html! {
        <div class="timeline" ref={wrap}>
            if p.controls {
                <div class="transport" role="toolbar" aria-label={tr(lang, "Playback")}>
                    <button onclick={toggle.reform(|_| ())} aria-pressed={if *playing {"true"} else {"false"}}>
                        {if *playing { tr(lang, "Pause") } else { tr(lang, "Play") }}
                    </button>
                    <button onclick={step_back} aria-label={tr(lang, "Step back")}>{"◀"}</button>
                    <button onclick={step_fwd} aria-label={tr(lang, "Step forward")}>{"▶"}</button>
                    <label class="scrub">{tr(lang, "Time")}{" "}
                        <input ref={scrub} type="range" min="0" max="1000" step="1" oninput={onscrub}
                            aria-label={tr(lang, "Time in the run")} />
                    </label>
                    <span class="readout" ref={readout} aria-live="off"></span>
                    <label>{tr(lang, "Speed")}{" "}
                        <select onchange={onspeed} aria-label={tr(lang, "Playback speed")}>
                            { for [0.25, 0.5, 1.0, 2.0, 4.0].iter().map(|&v| html! {
                                <option value={v.to_string()} selected={(v - speed_now).abs() < 1e-9}>{format!("{v}x")}</option>
                            }) }
                        </select>
                    </label>
                    <button onclick={Callback::from(move |_| zi(2.0))} aria-label={tr(lang, "Zoom in")}>{"+"}</button>
                    <button onclick={Callback::from(move |_| zo(0.5))} aria-label={tr(lang, "Zoom out")}>{"−"}</button>
                </div>
            }
            <canvas ref={canvas} class="timeline-canvas" tabindex="0" role="img"
                aria-label={tr(lang, "Timeline of every core and GIL; Space plays or pauses, arrows step, plus and minus zoom, Escape leaves")}
                {onkeydown} {onmousemove}></canvas>
            <p class="hover" aria-live="polite">{(*hover).clone()}</p>
            if p.controls {
                <ul class="legend" aria-label={tr(lang, "Legend")}>{legend}
                    <li><span class="swatch gil" style={format!("background:{}", pal.gil)}></span>{tr(lang, "GIL held (shade changes with the holder)")}</li>
                </ul>
            }
        </div>
    }
}

/// A recording in progress: the recorder, its handlers (kept alive), and
/// the loop setting to restore when it ends.
struct Recording {
    recorder: web_sys::MediaRecorder,
    _data: Closure<dyn FnMut(web_sys::BlobEvent)>,
    _stop: Closure<dyn FnMut()>,
    looping: bool,
}

/// Start recording the canvas as WebM; the file is saved when it stops.
fn start_recording(
    canvas: &HtmlCanvasElement,
    on_saved: Callback<String>,
) -> Result<Recording, String> {
    let stream = canvas
        .capture_stream_with_frame_request_rate(30.0)
        .map_err(|_| "this browser cannot capture the canvas".to_string())?;
    let mime = [
        "video/webm;codecs=vp9",
        "video/webm;codecs=vp8",
        "video/webm",
    ]
    .into_iter()
    .find(|m| web_sys::MediaRecorder::is_type_supported(m))
    .ok_or("this browser cannot record WebM")?;
    let opts = web_sys::MediaRecorderOptions::new();
    opts.set_mime_type(mime);
    let recorder =
        web_sys::MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &opts)
            .map_err(|_| "the recorder could not start".to_string())?;
    let chunks = Rc::new(RefCell::new(js_sys::Array::new()));
    let data = {
        let chunks = chunks.clone();
        Closure::<dyn FnMut(web_sys::BlobEvent)>::new(move |e: web_sys::BlobEvent| {
            if let Some(b) = e.data() {
                if b.size() > 0.0 {
                    chunks.borrow().push(&b);
                }
            }
        })
    };
    let stop = Closure::<dyn FnMut()>::new(move || {
        let props = web_sys::BlobPropertyBag::new();
        props.set_type("video/webm");
        if let Ok(blob) =
            web_sys::Blob::new_with_blob_sequence_and_options(&chunks.borrow(), &props)
        {
            let size = blob.size();
            let _ = crate::dom::download(&blob, "parallel-universe.webm");
            on_saved.emit(format!("video {size:.0}"));
        }
    });
    recorder.set_ondataavailable(Some(data.as_ref().unchecked_ref()));
    recorder.set_onstop(Some(stop.as_ref().unchecked_ref()));
    recorder
        .start()
        .map_err(|_| "the recorder could not start".to_string())?;
    Ok(Recording {
        recorder,
        _data: data,
        _stop: stop,
        looping: false,
    })
}

/// Stop a recording, if one is running (its file is then saved), and put
/// the loop setting back.
fn finish_recording(slot: &Rc<RefCell<Option<Recording>>>, clock: &Rc<RefCell<Clock>>) {
    let Some(rec) = slot.borrow_mut().take() else {
        return;
    };
    clock.borrow_mut().looping = rec.looping;
    let _ = rec.recorder.stop();
    // The handlers must outlive the stop event, which comes later.
    let Recording { _data, _stop, .. } = rec;
    _data.forget();
    _stop.forget();
}
