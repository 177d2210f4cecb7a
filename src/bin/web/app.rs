//! The pages: home (a live race of one workload under every model), the
//! playground (every control, kept in the URL), the embed view for slides,
//! and the calibration page (the active profile and the accuracy report).

use crate::charts::{
    breakdown_bars, load_lines, memory_bars, speedup_lines, Bars, ChartView, Lines, PERCENTILES,
};
use crate::content::{ChapterPage, GuideIndex, LessonPage, TutorialIndex};
use crate::route::{replace_hash, use_route, Page};
use crate::timeline::{Command, Moved, Timeline, Track};
use gloo_events::EventListener;
use parallel_universe::i18n::{localize, mark, tr, trf, Lang, LANGS};
use parallel_universe::model::{Model, StartMethod};
use parallel_universe::presets::PRESETS;
use parallel_universe::profile::Profile;
use parallel_universe::python::KNOWN_VERSIONS;
use parallel_universe::view::embed::{EmbedOptions, Theme};
use parallel_universe::view::lanes::Lanes;
use parallel_universe::view::run::{Job, ViewResult, VIEW_MAX_EVENTS};
use parallel_universe::view::{ViewState, MAX_VIEW_CORES, MAX_VIEW_WORKERS};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The profile every page predicts with: the shipped one unless the user
/// loaded another on the playground.
#[derive(Clone, PartialEq)]
pub struct ActiveProfile {
    pub profile: Rc<Profile>,
    pub origin: String,
    pub set: Callback<(Profile, String)>,
}

/// The interface language and a way to change it.
#[derive(Clone, PartialEq)]
pub struct LangCtx {
    pub lang: Lang,
    pub set: Callback<Lang>,
}

/// The language a page opens in: `lang=` in its address, else the one
/// chosen before on this browser, else the browser's own preference.
fn initial_lang(query: &str) -> Lang {
    if let Some(l) = lang_in(query) {
        return l;
    }
    if let Some(l) = crate::dom::stored(LANG_KEY).and_then(|s| Lang::parse(&s)) {
        return l;
    }
    let nav = gloo_utils::window().navigator();
    let tags: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .chain(nav.language())
        .collect();
    Lang::from_preferences(tags.iter().map(String::as_str))
}

const LANG_KEY: &str = "pu-lang";

fn lang_in(query: &str) -> Option<Lang> {
    parallel_universe::view::query::parse(query)
        .ok()?
        .iter()
        .rev()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(v))
}

#[function_component(App)]
pub fn app() -> Html {
    let route = use_route();
    let profile = use_state(|| {
        (
            Rc::new(Profile::shipped()),
            "the shipped profile".to_string(),
        )
    });
    let lang = use_state(|| initial_lang(&route.query));
    // A `lang=` in an address opened later (a link, the back button) wins.
    {
        let lang = lang.clone();
        use_effect_with(route.query.clone(), move |q| {
            if let Some(l) = lang_in(q) {
                if l != *lang {
                    lang.set(l);
                }
            }
        });
    }
    {
        use_effect_with(*lang, |l| {
            if let Some(root) = gloo_utils::document().document_element() {
                let _ = root.set_attribute("lang", l.code());
            }
        });
    }
    let lang_ctx = LangCtx {
        lang: *lang,
        set: {
            let lang = lang.clone();
            Callback::from(move |l: Lang| {
                crate::dom::store(LANG_KEY, l.code());
                // Keep an address that names a language in step with the switch.
                let hash = gloo_utils::window().location().hash().unwrap_or_default();
                if lang_in(hash.split_once('?').map_or("", |x| x.1)).is_some() {
                    replace_hash(&with_lang(&hash, l));
                }
                lang.set(l);
            })
        },
    };
    let active = ActiveProfile {
        profile: profile.0.clone(),
        origin: profile.1.clone(),
        set: {
            let profile = profile.clone();
            Callback::from(move |(p, origin): (Profile, String)| profile.set((Rc::new(p), origin)))
        },
    };
    let l = *lang;
    let q = route.query.clone();
    let page = match &route.page {
        Page::Home => html! { <Home /> },
        Page::Playground => html! { <Playground query={q} /> },
        Page::Embed => html! { <Embed query={q} /> },
        Page::Calibration => html! { <Calibration /> },
        Page::Guide => html! { <GuideIndex /> },
        Page::Chapter { slug, anchor } => {
            html! { <ChapterPage slug={slug.clone()} anchor={anchor.clone()} /> }
        }
        Page::Tutorials => html! { <TutorialIndex /> },
        Page::Lesson(slug) => html! { <LessonPage slug={slug.clone()} /> },
        Page::NotFound(path) => html! {
            <section class="page">
                <h1>{tr(l, "No such page")}</h1>
                <p><code>{path.clone()}</code>{" "}<a href="#/">{tr(l, "Go to the start")}</a></p>
            </section>
        },
    };
    if matches!(route.page, Page::Embed) {
        return html! {
            <ContextProvider<LangCtx> context={lang_ctx}>
            <ContextProvider<ActiveProfile> context={active}>{page}</ContextProvider<ActiveProfile>>
            </ContextProvider<LangCtx>>
        };
    }
    let here = match &route.page {
        Page::Home => "home",
        Page::Playground => "playground",
        Page::Calibration => "calibration",
        Page::Guide | Page::Chapter { .. } => "guide",
        Page::Tutorials | Page::Lesson(_) => "tutorials",
        _ => "",
    };
    let current = |r: &str| -> &'static str {
        if here == r {
            "page"
        } else {
            "false"
        }
    };
    let on_lang = {
        let set = lang_ctx.set.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(l) = Lang::parse(&v) {
                set.emit(l);
            }
        })
    };
    html! {
        <ContextProvider<LangCtx> context={lang_ctx}>
        <ContextProvider<ActiveProfile> context={active}>
            <a class="skip" href="#main" onclick={Callback::from(|e: MouseEvent| {
                e.prevent_default();
                if let Some(m) = gloo_utils::document().get_element_by_id("main") {
                    if let Some(h) = m.dyn_ref::<web_sys::HtmlElement>() { let _ = h.focus(); }
                }
            })}>{tr(l, "Skip to content")}</a>
            <header class="site">
                <a class="brand" href="#/">{"Parallel Universe"}</a>
                <nav aria-label={tr(l, "Site")}>
                    <a href="#/" aria-current={current("home")}>{tr(l, "Home")}</a>
                    <a href="#/playground" aria-current={current("playground")}>{tr(l, "Playground")}</a>
                    <a href="#/guide" aria-current={current("guide")}>{tr(l, "Guide")}</a>
                    <a href="#/tutorials" aria-current={current("tutorials")}>{tr(l, "Tutorials")}</a>
                    <a href="#/calibration" aria-current={current("calibration")}>{tr(l, "Calibration")}</a>
                </nav>
                <label class="lang-switch">
                    <span class="visually-hidden">{tr(l, "Language")}</span>
                    <select onchange={on_lang} aria-label={tr(l, "Language")}>
                        { for LANGS.iter().map(|x| html! {
                            <option value={x.code()} selected={*x == l} lang={x.code()}>{x.native_name()}</option>
                        }) }
                    </select>
                </label>
            </header>
            <main id="main" tabindex="-1">{page}</main>
            <footer class="site">
                <p>{tr(l, "Every number here comes from a discrete-event simulation of CPython, with costs measured on real interpreters.")}{" "}
                   <a href="#/calibration">{tr(l, "Calibration")}</a>{" · "}
                   {tr(l, "Nothing is sent anywhere: the simulator runs in this page.")}</p>
            </footer>
        </ContextProvider<ActiveProfile>>
        </ContextProvider<LangCtx>>
    }
}

/// `hash` with its `lang=` set to `l`.
fn with_lang(hash: &str, l: Lang) -> String {
    let (path, q) = hash.split_once('?').unwrap_or((hash, ""));
    let mut pairs: Vec<String> = q
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
        .map(str::to_string)
        .collect();
    pairs.push(format!("lang={}", l.code()));
    format!("{path}?{}", pairs.join("&"))
}

/// The interface language of the page being drawn.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<LangCtx>().map_or(Lang::En, |c| c.lang)
}

/// A view's result, computed a few milliseconds at a time between frames
/// (see [`Job`]), so the page stays responsive while it runs; a newer view
/// abandons an older one's work.
pub(crate) type ViewOutcome = Option<Result<Rc<ViewResult>, String>>;

/// The result of a view (once its work is done) and how far the current
/// work has got (while it runs).
#[hook]
pub(crate) fn use_view(
    state: &ViewState,
    profile: &Rc<Profile>,
    sweep: bool,
) -> (ViewOutcome, Option<(usize, usize)>) {
    let result = use_state(|| None::<Result<Rc<ViewResult>, String>>);
    let progress = use_state(|| None::<(usize, usize)>);
    let generation = use_mut_ref(|| Rc::new(Cell::new(0u64)));
    {
        let (result, progress) = (result.clone(), progress.clone());
        let generation = generation.borrow().clone();
        use_effect_with(
            (state.clone(), profile.clone(), sweep),
            move |(state, profile, sweep)| {
                let mine = generation.get().wrapping_add(1);
                generation.set(mine);
                crate::dom::mark("pu-view-start");
                match Job::new(state, profile, *sweep, VIEW_MAX_EVENTS) {
                    Err(e) => {
                        result.set(Some(Err(e)));
                        progress.set(None);
                    }
                    Ok(job) => {
                        let began = js_sys::Date::now();
                        Rc::new(Runner {
                            job: RefCell::new(job),
                            result,
                            progress,
                            generation: generation.clone(),
                            mine,
                            began,
                            shown: Cell::new(began),
                        })
                        .go();
                    }
                }
                move || generation.set(generation.get().wrapping_add(1))
            },
        );
    }
    ((*result).clone(), *progress)
}

/// A view's job and where its results go. Pieces are done for up to 16 ms
/// at a time, yielding to the browser between slices, until the job is done
/// or a newer view has started. The first slice runs at once, so that a
/// small view shows without waiting a frame. The page says how far the work
/// has got only once it has taken a noticeable time (re-drawing the page for
/// every slice would slow it down).
struct Runner {
    job: RefCell<Job>,
    result: UseStateHandle<ViewOutcome>,
    progress: UseStateHandle<Option<(usize, usize)>>,
    generation: Rc<Cell<u64>>,
    mine: u64,
    began: f64,
    shown: Cell<f64>,
}

impl Runner {
    fn go(self: Rc<Self>) {
        if self.generation.get() != self.mine || !self.slice() {
            return;
        }
        gloo_timers::callback::Timeout::new(0, move || self.go()).forget();
    }

    /// One slice of work; sets the result when the job ends. True while
    /// there is more to do.
    fn slice(&self) -> bool {
        let start = js_sys::Date::now();
        let mut j = self.job.borrow_mut();
        while !j.done() && js_sys::Date::now() - start < 16.0 {
            if let Err(e) = j.step() {
                self.result.set(Some(Err(e)));
                self.progress.set(None);
                return false;
            }
        }
        if j.done() {
            self.result.set(Some(Ok(Rc::new(j.finish()))));
            self.progress.set(None);
            crate::dom::mark("pu-view-done");
            return false;
        }
        let now = js_sys::Date::now();
        if now - self.began > 150.0 && now - self.shown.get() > 100.0 {
            self.progress.set(Some(j.progress()));
            self.shown.set(now);
        }
        true
    }
}

/// What the page says while a view's work runs.
pub(crate) fn working(progress: Option<(usize, usize)>) -> Html {
    html! { <Working {progress} /> }
}

#[derive(Properties, PartialEq)]
struct WorkingProps {
    progress: Option<(usize, usize)>,
}

/// [`working`], in the page's language.
#[function_component(Working)]
fn working_view(p: &WorkingProps) -> Html {
    let lang = use_lang();
    match p.progress {
        Some((done, all)) => html! {
            <p class="working" role="status">{trf(lang, "Simulating: {} of {} runs done…", &[&done, &all])}</p>
        },
        None => html! {},
    }
}

/// Words for the profile in use: the shipped one's in `lang`, a loaded
/// file's name as it is.
fn origin_text(origin: &str, lang: Lang) -> String {
    if origin == "the shipped profile" {
        tr(lang, "the shipped profile").to_string()
    } else {
        origin.to_string()
    }
}

/// The timelines of a view's result, laid out once per result, so that
/// re-drawing the page does not lay them out again or restart the clock.
#[hook]
pub(crate) fn use_tracks(result: &ViewOutcome) -> Rc<Vec<Track>> {
    let r = match result {
        Some(Ok(r)) => Some(r.clone()),
        _ => None,
    };
    let key = r.as_ref().map_or(0, |r| Rc::as_ptr(r) as usize);
    let lang = use_lang();
    let tracks = use_memo((key, lang), move |&(_, lang)| {
        r.as_deref()
            .map(|r| tracks_of(r, lang))
            .unwrap_or_else(|| Rc::new(Vec::new()))
    });
    (*tracks).clone()
}

/// Runs and their timelines for a view.
pub(crate) fn tracks_of(r: &ViewResult, lang: Lang) -> Rc<Vec<Track>> {
    Rc::new(
        r.runs
            .iter()
            .map(|run| match &run.outcome {
                Ok(p) => Track {
                    label: format!("{} x{}", run.model, run.workers),
                    lanes: p.run.trace.as_ref().map(|t| Rc::new(Lanes::new(t))),
                    note: String::new(),
                },
                Err(e) => Track {
                    label: format!("{} x{}", run.model, run.workers),
                    lanes: None,
                    note: localize(lang, e),
                },
            })
            .collect(),
    )
}

fn summary_table(r: &ViewResult, lang: Lang) -> Html {
    html! {
        <table class="summary">
            <caption>{trf(lang, "Sequential takes {} s", &[&format!("{:.3}", r.baseline_s)])}</caption>
            <thead><tr>
                <th scope="col">{tr(lang, "model")}</th><th scope="col">{tr(lang, "workers")}</th>
                <th scope="col">{tr(lang, "wall time")}</th><th scope="col">{tr(lang, "speedup")}</th>
                <th scope="col">{tr(lang, "peak memory")}</th><th scope="col">{tr(lang, "notes")}</th>
            </tr></thead>
            <tbody>
            { for r.runs.iter().map(|run| match &run.outcome {
                Ok(p) => html! { <tr>
                    <th scope="row">{run.model.name()}</th><td>{run.workers}</td>
                    <td>{format!("{:.3} s", p.makespan_s)}</td><td>{format!("{:.2}x", p.speedup)}</td>
                    <td>{format!("{:.1} MiB", p.peak_memory_bytes as f64 / 1_048_576.0)}</td>
                    <td>{ match (&p.throughput_per_s, &p.latency_ms) {
                        (Some(t), Some(l)) => trf(lang, "{} req/s; p50 {} ms, p99 {} ms", &[
                            &format!("{t:.0}"), &format!("{:.1}", l.p50), &format!("{:.1}", l.p99),
                        ]),
                        _ => String::new(),
                    } }</td>
                </tr> },
                Err(e) => html! { <tr>
                    <th scope="row">{run.model.name()}</th><td>{run.workers}</td>
                    <td colspan="4">{trf(lang, "not run: {}", &[&localize(lang, e)])}</td>
                </tr> },
            }) }
            </tbody>
        </table>
    }
}

#[function_component(Home)]
fn home() -> Html {
    let lang = use_lang();
    let active = use_context::<ActiveProfile>();
    let state = use_memo((), |_| ViewState {
        models: Model::ALL
            .iter()
            .filter(|m| **m != Model::Sequential)
            .map(|&m| (m, 8))
            .collect(),
        ..ViewState::default()
    });
    let profile = active
        .map(|a| a.profile)
        .unwrap_or_else(|| Rc::new(Profile::shipped()));
    let (result, progress) = use_view(&state, &profile, false);
    let tracks = use_tracks(&result);
    let body = match &result {
        None => working(progress),
        Some(Ok(r)) => html! {
            <>
                <Timeline tracks={tracks.clone()} at={0.0} autoplay={true} />
                <ul class="verdict">{ for r.verdict.iter().map(|v| html!{ <li>{v.render(lang)}</li> }) }</ul>
            </>
        },
        Some(Err(e)) => html! { <p class="notice">{localize(lang, e)}</p> },
    };
    html! {
        <section class="page home">
            <h1>{tr(lang, "How does Python work scale across cores?")}</h1>
            <p class="lead">{tr(lang, "The same 64 tasks of 10 ms of pure Python, on 8 cores, under every way CPython offers to run them at once. Watch which cores run Python, which wait for a GIL, and which spend their time pickling or starting up.")}</p>
            {body}
            <nav class="ways-in" aria-label={tr(lang, "Ways in")}>
                <a class="card" href="#/playground"><strong>{tr(lang, "Playground")}</strong><span>{tr(lang, "Your own workload, machine and models; every control is in the address, to share or embed.")}</span></a>
                <a class="card" href="#/calibration"><strong>{tr(lang, "Calibration")}</strong><span>{tr(lang, "Where every cost comes from, and how close the simulator comes to real runs.")}</span></a>
            </nav>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct QueryProps {
    pub query: String,
}

#[allow(clippy::too_many_arguments)]
fn num_input<T: std::str::FromStr + 'static>(
    lang: Lang,
    label: &str,
    value: String,
    min: &'static str,
    max: &'static str,
    step: &'static str,
    set: impl Fn(T) + 'static,
    bad: Callback<String>,
) -> Html {
    let name = label.to_string();
    let onchange = Callback::from(move |e: Event| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value();
        match v.trim().parse::<T>() {
            Ok(x) => set(x),
            Err(_) => bad.emit(trf(
                lang,
                "{}: {} is not a number; unchanged",
                &[&name, &format!("{v:?}")],
            )),
        }
    });
    html! {
        <label>{label}
            <input type="number" inputmode="decimal" value={value} {min} {max} {step} {onchange} />
        </label>
    }
}

#[function_component(Playground)]
fn playground(p: &QueryProps) -> Html {
    let lang = use_lang();
    let active = use_context::<ActiveProfile>().expect("the app provides a profile");
    let parsed = ViewState::from_query(&p.query);
    let state = use_state(|| parsed.state.clone());
    let notices = use_state(|| parsed.notice_text(lang));
    // A new address (back, forward, a pasted link) resets the view.
    {
        let (state, notices) = (state.clone(), notices.clone());
        use_effect_with(p.query.clone(), move |q| {
            let parsed = ViewState::from_query(q);
            notices.set(parsed.notice_text(lang));
            if parsed.state != *state {
                state.set(parsed.state);
            }
        });
    }
    // Keep the address in step with the view.
    use_effect_with((*state).clone(), |s| {
        replace_hash(&format!("#/playground?{}", s.to_query()));
    });
    let sim = state.sim_part();
    let (result, progress) = use_view(&sim, &active.profile, true);
    let tracks = use_tracks(&result);
    let update = {
        let (state, notices) = (state.clone(), notices.clone());
        Rc::new(move |f: &dyn Fn(&mut ViewState)| {
            let mut s = (*state).clone();
            f(&mut s);
            // Only a workload the simulator accepts is taken; otherwise the
            // page says why and keeps the view.
            match s.workload() {
                Ok(_) => {
                    state.set(s);
                    if !notices.is_empty() {
                        notices.set(Vec::new());
                    }
                }
                Err(e) => notices.set(vec![trf(
                    lang,
                    "{}; the view is unchanged",
                    &[&localize(lang, &e)],
                )]),
            }
        })
    };
    let pct_change = {
        let update = update.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(q) = v.parse::<u8>() {
                update(&|s: &mut ViewState| s.pct = q);
            }
        })
    };
    let bad = {
        let notices = notices.clone();
        Callback::from(move |m: String| {
            let mut n = (*notices).clone();
            n.push(m);
            notices.set(n);
        })
    };
    let s = (*state).clone();
    let workload = s.workload().ok();
    let group = workload
        .as_ref()
        .and_then(|w| w.groups.get(s.edits.group as usize).cloned());
    let (py, nat, io) = group.as_ref().map(|g| g.totals_ms()).unwrap_or_default();

    let preset_change = {
        let update = update.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            update(&|s: &mut ViewState| {
                s.preset = v.clone();
                s.edits = Default::default();
            });
        })
    };
    let python_change = {
        let update = update.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(p) = v.parse() {
                update(&|s: &mut ViewState| s.python = p);
            }
        })
    };
    let method_change = {
        let update = update.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let m = v.parse::<StartMethod>().ok();
            update(&|s: &mut ViewState| s.start_method = m);
        })
    };
    let cores_input = {
        let update = update.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(c) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<u32>()
            {
                update(&|s: &mut ViewState| s.cores = c.clamp(1, MAX_VIEW_CORES));
            }
        })
    };
    let on_time = {
        let state = state.clone();
        Callback::from(move |m: Moved| {
            // How the view is shown: the address changes, the runs do not
            // (see `sim_part`).
            let mut s = (*state).clone();
            s.at = m.at;
            s.speed = m.speed;
            s.zoom = m.zoom;
            s.play = m.playing;
            if s != *state {
                state.set(s);
            }
        })
    };
    // Whether a chart shows as a table, and switching it (kept in the address).
    let shown = |id: &str| s.tables.iter().any(|t| t == id);
    let flip = |id: &'static str| {
        let state = state.clone();
        Callback::from(move |_: ()| {
            let mut s = (*state).clone();
            if s.tables.iter().any(|t| t == id) {
                s.tables.retain(|t| t != id);
            } else {
                s.tables.push(id.to_string());
            }
            state.set(s);
        })
    };
    let copy_embed = {
        let state = state.clone();
        let notices = notices.clone();
        Callback::from(move |_| {
            let loc = gloo_utils::window().location();
            let base = format!(
                "{}{}",
                loc.origin().unwrap_or_default(),
                loc.pathname().unwrap_or_default()
            );
            let title = tr(lang, "Parallel Universe simulation");
            let snippet = format!(
                "<iframe src=\"{base}#/embed?{}\" title=\"{title}\" width=\"800\" height=\"450\" style=\"border:0\" loading=\"lazy\"></iframe>",
                state.to_query()
            );
            let clip = gloo_utils::window().navigator().clipboard();
            let p = clip.write_text(&snippet);
            let notices = notices.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let msg = match JsFuture::from(p).await {
                    Ok(_) => tr(lang, "Embed code copied.").to_string(),
                    Err(_) => trf(lang, "Copy this embed code: {}", &[&snippet]),
                };
                notices.set(vec![msg]);
            });
        })
    };
    let load_profile = {
        let set = active.set.clone();
        let notices = notices.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            let (set, notices) = (set.clone(), notices.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let msg = if file.size() > 4.0 * 1_048_576.0 {
                    trf(
                        lang,
                        "{}: larger than 4 MiB; the profile in use is kept",
                        &[&name],
                    )
                } else {
                    match JsFuture::from(file.text()).await {
                        Err(_) => trf(
                            lang,
                            "{}: could not be read; the profile in use is kept",
                            &[&name],
                        ),
                        Ok(v) => match Profile::from_json(&v.as_string().unwrap_or_default()) {
                            Ok(p) => {
                                set.emit((p, name.clone()));
                                trf(lang, "Predicting with the profile {}.", &[&name])
                            }
                            Err(e) => trf(
                                lang,
                                "{}: {}; the profile in use is kept",
                                &[&name, &localize(lang, &e.to_string())],
                            ),
                        },
                    }
                };
                notices.set(vec![msg]);
            });
        })
    };
    let reset_profile = {
        let set = active.set.clone();
        Callback::from(move |_| set.emit((Profile::shipped(), mark("the shipped profile").into())))
    };

    let server = group.as_ref().is_some_and(|g| {
        matches!(
            g.arrival,
            parallel_universe::workload::Arrival::Server { .. }
        )
    });
    let e = &s.edits;
    let u = update.clone();
    let f = |x: f64| format!("{x}");
    let workload_fields = html! {
        <fieldset>
            <legend>{tr(lang, "Workload")}</legend>
            <label>{tr(lang, "Preset")}
                <select onchange={preset_change}>
                    { for PRESETS.iter().map(|p| html!{ <option value={p.name} selected={p.name == s.preset}>{tr(lang, p.title)}</option> }) }
                </select>
            </label>
            if let Some(w) = &workload {
                if w.groups.len() > 1 {
                    <label>{tr(lang, "Edit group")}
                        <select onchange={{ let u = u.clone(); Callback::from(move |e: Event| {
                            let g = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<u32>().unwrap_or(0);
                            u(&|s: &mut ViewState| s.edits.group = g);
                        }) }}>
                            { for w.groups.iter().enumerate().map(|(i, g)| html!{
                                <option value={i.to_string()} selected={i as u32 == e.group}>{g.name.clone().unwrap_or_else(|| trf(lang, "group {}", &[&i]))}</option>
                            }) }
                        </select>
                    </label>
                }
            }
            if server {
                { num_input::<f64>(lang, tr(lang, "Arrivals per second"), group.as_ref().map(|g| f(g.expected_tasks() / match g.arrival { parallel_universe::workload::Arrival::Server { duration_s, .. } => duration_s, _ => 1.0 })).unwrap_or_default(), "0.001", "1000000", "any",
                    { let u = u.clone(); move |x: f64| u(&|s: &mut ViewState| s.edits.rate_per_s = Some(x)) }, bad.clone()) }
            } else {
                { num_input::<u32>(lang, tr(lang, "Tasks"), group.as_ref().map(|g| f(g.expected_tasks())).unwrap_or_default(), "1", "100000", "1",
                    { let u = u.clone(); move |x: u32| u(&|s: &mut ViewState| s.edits.tasks = Some(x)) }, bad.clone()) }
            }
            { num_input::<f64>(lang, tr(lang, "Python ms per task"), f(py), "0", "3600000", "any",
                { let u = u.clone(); move |x: f64| u(&|s: &mut ViewState| s.edits.python_ms = Some(x)) }, bad.clone()) }
            { num_input::<f64>(lang, tr(lang, "Native ms per task"), f(nat), "0", "3600000", "any",
                { let u = u.clone(); move |x: f64| u(&|s: &mut ViewState| s.edits.native_ms = Some(x)) }, bad.clone()) }
            { num_input::<f64>(lang, tr(lang, "I/O ms per task"), f(io), "0", "3600000", "any",
                { let u = u.clone(); move |x: f64| u(&|s: &mut ViewState| s.edits.io_ms = Some(x)) }, bad.clone()) }
            { num_input::<u64>(lang, tr(lang, "Bytes in"), group.as_ref().map(|g| g.input_bytes.to_string()).unwrap_or_default(), "0", "1073741824", "1",
                { let u = u.clone(); move |x: u64| u(&|s: &mut ViewState| s.edits.input_bytes = Some(x)) }, bad.clone()) }
            { num_input::<u64>(lang, tr(lang, "Bytes out"), group.as_ref().map(|g| g.output_bytes.to_string()).unwrap_or_default(), "0", "1073741824", "1",
                { let u = u.clone(); move |x: u64| u(&|s: &mut ViewState| s.edits.output_bytes = Some(x)) }, bad.clone()) }
            { num_input::<f64>(lang, tr(lang, "Shared state (0 to 1)"), group.as_ref().map(|g| f(g.shared_state)).unwrap_or_default(), "0", "1", "0.01",
                { let u = u.clone(); move |x: f64| u(&|s: &mut ViewState| s.edits.shared_state = Some(x)) }, bad.clone()) }
            { num_input::<f64>(lang, tr(lang, "Import ms"), workload.as_ref().map(|w| f(w.import_ms)).unwrap_or_default(), "0", "600000", "any",
                { let u = u.clone(); move |x: f64| u(&|s: &mut ViewState| s.edits.import_ms = Some(x)) }, bad.clone()) }
            <label class="check"><input type="checkbox" checked={workload.as_ref().is_some_and(|w| w.extensions.free_threading_safe)}
                onchange={{ let u = u.clone(); Callback::from(move |e: Event| {
                    let c = e.target_unchecked_into::<HtmlInputElement>().checked();
                    u(&|s: &mut ViewState| s.edits.ft_safe = Some(c));
                }) }} />{tr(lang, "Extensions free-threading-safe")}</label>
            <label class="check"><input type="checkbox" checked={workload.as_ref().is_some_and(|w| w.extensions.subinterpreter_safe)}
                onchange={{ let u = u.clone(); Callback::from(move |e: Event| {
                    let c = e.target_unchecked_into::<HtmlInputElement>().checked();
                    u(&|s: &mut ViewState| s.edits.si_safe = Some(c));
                }) }} />{tr(lang, "Extensions sub-interpreter-safe")}</label>
        </fieldset>
    };
    let machine_fields = html! {
        <fieldset>
            <legend>{tr(lang, "Machine")}</legend>
            <label>{trf(lang, "Cores: {}", &[&s.cores])}
                <input type="range" min="1" max={MAX_VIEW_CORES.to_string()} value={s.cores.to_string()} oninput={cores_input} />
            </label>
            <label>{"Python"}
                <select onchange={python_change}>
                    { for KNOWN_VERSIONS.iter().map(|v| html!{ <option value={v.label()} selected={*v == s.python}>{v.label()}</option> }) }
                </select>
            </label>
            <label>{tr(lang, "Start method")}
                <select onchange={method_change}>
                    <option value="default" selected={s.start_method.is_none()}>{tr(lang, "the version's default")}</option>
                    { for StartMethod::ALL.iter().map(|m| html!{ <option value={m.name()} selected={Some(*m) == s.start_method}>{m.name()}</option> }) }
                </select>
            </label>
            <label>{tr(lang, "Profile file")}
                <input type="file" accept=".json,application/json" onchange={load_profile} />
            </label>
            <p class="small">{trf(lang, "Predicting with {}. ", &[&origin_text(&active.origin, lang)])}
                <button onclick={reset_profile}>{tr(lang, "Use the shipped profile")}</button></p>
        </fieldset>
    };
    let models_fields = html! {
        <fieldset>
            <legend>{tr(lang, "Models and workers")}</legend>
            { for Model::ALL.iter().filter(|m| **m != Model::Sequential).map(|&m| {
                let on = s.models.iter().find(|x| x.0 == m).map(|x| x.1);
                let u1 = u.clone();
                let toggle = Callback::from(move |e: Event| {
                    let c = e.target_unchecked_into::<HtmlInputElement>().checked();
                    u1(&|s: &mut ViewState| {
                        if c {
                            if !s.models.iter().any(|x| x.0 == m) {
                                let w = s.cores.min(MAX_VIEW_WORKERS);
                                s.models.push((m, w));
                                s.models.sort_by_key(|x| Model::ALL.iter().position(|y| *y == x.0));
                            }
                        } else if s.models.len() > 1 {
                            s.models.retain(|x| x.0 != m);
                        }
                    });
                });
                let u2 = u.clone();
                let workers = Callback::from(move |e: Event| {
                    if let Ok(w) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<u32>() {
                        let w = w.clamp(1, MAX_VIEW_WORKERS);
                        u2(&|s: &mut ViewState| {
                            if let Some(x) = s.models.iter_mut().find(|x| x.0 == m) { x.1 = w; }
                        });
                    }
                });
                html! {
                    <div class="model-row">
                        <label class="check"><input type="checkbox" checked={on.is_some()} onchange={toggle} />{m.name()}</label>
                        <label class="workers">{tr(lang, "workers")}
                            <input type="number" min="1" max={MAX_VIEW_WORKERS.to_string()} disabled={on.is_none()}
                                value={on.unwrap_or(s.cores).to_string()} onchange={workers}
                                aria-label={trf(lang, "workers for {}", &[&m.name()])} />
                        </label>
                    </div>
                }
            }) }
        </fieldset>
    };
    let results = match &result {
        None => working(progress),
        Some(Err(e)) => {
            html! { <>{working(progress)}<p class="notice" role="alert">{e.clone()}</p></> }
        }
        Some(Ok(r)) => html! {
            <>
                {working(progress)}
                <ul class="verdict" aria-live="polite">{ for r.verdict.iter().map(|v| html!{ <li>{v.render(lang)}</li> }) }</ul>
                <Timeline tracks={tracks.clone()} at={s.at} speed={s.speed} zoom={s.zoom} autoplay={s.play} on_change={on_time} />
                {summary_table(r, lang)}
                <div class="charts">
                    <ChartView<Lines> chart={Rc::new(speedup_lines(r, s.cores, lang))} table={shown("speedup")} on_table={flip("speedup")} />
                    if let Some((through, latency)) = load_lines(r, s.pct, lang) {
                        <ChartView<Lines> chart={Rc::new(through)} table={shown("throughput")} on_table={flip("throughput")} />
                        <div class="chart-with-choice">
                            <label>{tr(lang, "Latency percentile")}{" "}
                                <select onchange={pct_change} aria-label={tr(lang, "Latency percentile")}>
                                    { for PERCENTILES.iter().map(|&q| html!{
                                        <option value={q.to_string()} selected={q == s.pct}>{format!("p{q}")}</option>
                                    }) }
                                </select>
                            </label>
                            <ChartView<Lines> chart={Rc::new(latency)} table={shown("latency")} on_table={flip("latency")} />
                        </div>
                    }
                    <ChartView<Bars> chart={Rc::new(breakdown_bars(r, lang))} table={shown("breakdown")} on_table={flip("breakdown")} />
                    <ChartView<Bars> chart={Rc::new(memory_bars(r, lang))} table={shown("memory")} on_table={flip("memory")} />
                </div>
            </>
        },
    };
    html! {
        <section class="page playground">
            <h1>{tr(lang, "Playground")}</h1>
            if !notices.is_empty() {
                <div class="notices" role="status">
                    { for notices.iter().map(|n| html!{ <p class="notice">{n}</p> }) }
                </div>
            }
            <div class="layout">
                <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                    {workload_fields}{machine_fields}{models_fields}
                    <button type="button" onclick={copy_embed}>{tr(lang, "Copy embed code")}</button>
                </form>
                <div class="results">{results}</div>
            </div>
        </section>
    }
}

/// A message for the host page of an embed (nothing when not framed).
fn tell_host(msg: serde_json::Value) {
    let w = gloo_utils::window();
    if let Ok(Some(parent)) = w.parent() {
        if parent != w {
            if let Ok(v) = js_sys::JSON::parse(&msg.to_string()) {
                let _ = parent.post_message(&v, "*");
            }
        }
    }
}

/// A command a host page sent, read from a message's data: the embed API's
/// objects (`{"type": "pu:play"}`) and reveal.js's `slide:start` and
/// `slide:stop` strings. `Err` for a message in the API's form that is
/// wrong; `Ok(None)` for messages meant for someone else.
fn host_command(data: &wasm_bindgen::JsValue) -> Result<Option<HostCommand>, String> {
    if let Some(s) = data.as_string() {
        return Ok(match s.as_str() {
            "slide:start" => Some(HostCommand::SlideStart),
            "slide:stop" => Some(HostCommand::Timeline(Command::Pause)),
            _ => None,
        });
    }
    if !data.is_object() {
        return Ok(None);
    }
    let get = |k: &str| js_sys::Reflect::get(data, &wasm_bindgen::JsValue::from_str(k)).ok();
    let Some(kind) = get("type").and_then(|v| v.as_string()) else {
        return Ok(None);
    };
    let Some(kind) = kind.strip_prefix("pu:") else {
        return Ok(None);
    };
    Ok(Some(match kind {
        "play" => HostCommand::Timeline(Command::Play),
        "pause" => HostCommand::Timeline(Command::Pause),
        "poster" => HostCommand::Timeline(Command::Poster),
        "record" => HostCommand::Timeline(Command::Record),
        "seek" => match get("at").and_then(|v| v.as_f64()) {
            Some(at) if (0.0..=1.0).contains(&at) => HostCommand::Timeline(Command::Seek(at)),
            _ => return Err("pu:seek needs `at`, a fraction of the run from 0 to 1".into()),
        },
        "set" => match get("query").and_then(|v| v.as_string()) {
            Some(q) if q.len() <= parallel_universe::view::query::MAX_QUERY => HostCommand::Set(q),
            Some(_) => return Err("pu:set: the query is too long".into()),
            None => return Err("pu:set needs `query`, a playground address's query".into()),
        },
        "get" => HostCommand::Get,
        other => return Err(format!("unknown message type pu:{other}")),
    }))
}

/// What a host page can ask of an embed.
enum HostCommand {
    Timeline(Command),
    /// reveal.js showed the slide: play the range from its start.
    SlideStart,
    /// Show another scenario.
    Set(String),
    /// Report the state.
    Get,
}

#[function_component(Embed)]
fn embed(p: &QueryProps) -> Html {
    let active = use_context::<ActiveProfile>().expect("the app provides a profile");
    let lang = use_lang();
    // A host page may replace the scenario (pu:set); the address's stays
    // the starting one.
    let query = use_state(|| p.query.clone());
    {
        let query = query.clone();
        use_effect_with(p.query.clone(), move |q| query.set(q.clone()));
    }
    let command = use_state(|| None::<(u32, Command)>);
    // A new scenario starts with no command pending (a timeline drawn for
    // it must not replay the last one).
    {
        let command = command.clone();
        use_effect_with((*query).clone(), move |_| command.set(None));
    }
    let parsed = use_memo((*query).clone(), |q| ViewState::from_query(q));
    let (opts, opt_notices) =
        (*use_memo((*query).clone(), |q| EmbedOptions::from_query(q))).clone();
    let (result, progress) = use_view(&parsed.state, &active.profile, false);
    let tracks = use_tracks(&result);
    let saved = use_state(String::new);
    let clock = use_mut_ref(|| (0.0f64, false, -1.0f64));
    let makespan_ms = tracks
        .iter()
        .filter_map(|t| t.lanes.as_ref().map(|l| l.makespan))
        .max()
        .unwrap_or(0) as f64
        / 1e6;
    // The page's theme follows `theme=`.
    {
        use_effect_with(opts.theme, |t| {
            if let Some(root) = gloo_utils::document().document_element() {
                match t {
                    Theme::Auto => {
                        let _ = root.remove_attribute("data-theme");
                    }
                    other => {
                        let _ = root.set_attribute("data-theme", other.name());
                    }
                }
            }
            || {
                if let Some(root) = gloo_utils::document().document_element() {
                    let _ = root.remove_attribute("data-theme");
                }
            }
        });
    }
    // Ready, once the runs of the current scenario are in (each new result
    // once).
    {
        let q = (*query).clone();
        let key = match &result {
            Some(Ok(r)) => Rc::as_ptr(r) as usize,
            _ => 0,
        };
        use_effect_with(key, move |&key| {
            if key != 0 {
                tell_host(
                    serde_json::json!({ "type": "pu:ready", "duration_ms": makespan_ms, "query": q }),
                );
            }
        });
    }
    // Every command gets a new number, so that repeating one still acts.
    let issued = use_mut_ref(|| 0u32);
    let give = {
        let command = command.clone();
        move |c: Command| {
            let n = {
                let mut i = issued.borrow_mut();
                *i = i.wrapping_add(1);
                *i
            };
            command.set(Some((n, c)));
        }
    };
    // Messages from the host page: those that came before the app started
    // (kept by index.html), then each as it comes.
    {
        let (give, query, clock) = (give.clone(), query.clone(), clock.clone());
        let from = opts.from;
        let q_now = (*query).clone();
        use_effect_with(q_now, move |_| {
            let handle = move |data: &wasm_bindgen::JsValue| match host_command(data) {
                Ok(None) => {}
                Ok(Some(HostCommand::Timeline(c))) => give(c),
                Ok(Some(HostCommand::SlideStart)) => give(Command::PlayFrom(from)),
                Ok(Some(HostCommand::Set(q))) => query.set(q),
                Ok(Some(HostCommand::Get)) => {
                    let (at, playing, _) = *clock.borrow();
                    tell_host(serde_json::json!({
                        "type": "pu:state", "at": at, "t_ms": at * makespan_ms,
                        "playing": playing, "query": *query,
                    }));
                }
                Err(message) => {
                    tell_host(serde_json::json!({ "type": "pu:error", "message": message }))
                }
            };
            let w = gloo_utils::window();
            let key = wasm_bindgen::JsValue::from_str("__puInbox");
            if let Ok(inbox) = js_sys::Reflect::get(&w, &key) {
                let _ = js_sys::Reflect::set(&w, &key, &wasm_bindgen::JsValue::UNDEFINED);
                if let Some(a) = inbox.dyn_ref::<js_sys::Array>() {
                    for m in a.iter() {
                        handle(&m);
                    }
                }
            }
            let listener = EventListener::new(&w, "message", move |e| {
                if let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() {
                    handle(&e.data());
                }
            });
            move || drop(listener)
        });
    }
    // Time and state for the host page: the clock at most every 250 ms
    // while playing, and every start, stop and move at once.
    let on_time = {
        let (clock, query) = (clock.clone(), (*query).clone());
        Callback::from(move |(at, playing): (f64, bool)| {
            let now = js_sys::Date::now();
            let (_, was_playing, last) = *clock.borrow();
            *clock.borrow_mut() = (at, playing, last);
            if playing != was_playing {
                tell_host(serde_json::json!({
                    "type": "pu:state", "at": at, "t_ms": at * makespan_ms, "playing": playing, "query": query,
                }));
            }
            if !playing || now - last >= 250.0 {
                clock.borrow_mut().2 = now;
                tell_host(
                    serde_json::json!({ "type": "pu:time", "at": at, "t_ms": at * makespan_ms, "playing": playing }),
                );
            }
        })
    };
    let on_saved = {
        let saved = saved.clone();
        Callback::from(move |what: String| {
            let (msg, text) = match what.split_once(' ') {
                Some(("video", bytes)) => (
                    serde_json::json!({ "type": "pu:saved", "what": "video", "bytes": bytes.parse::<f64>().unwrap_or(0.0) }),
                    trf(lang, "Saved a WebM video ({} bytes).", &[&bytes]),
                ),
                _ if what == "poster" => (
                    serde_json::json!({ "type": "pu:saved", "what": "poster" }),
                    tr(lang, "Saved a poster image.").to_string(),
                ),
                _ => (
                    serde_json::json!({ "type": "pu:error", "message": what }),
                    what.clone(),
                ),
            };
            tell_host(msg);
            saved.set(text);
        })
    };
    let dark = match opts.theme {
        Theme::Auto => None,
        Theme::Light => Some(false),
        Theme::Dark => Some(true),
    };
    let notices: Vec<String> = parsed
        .notices
        .iter()
        .chain(opt_notices.iter())
        .map(|n| n.render(lang))
        .collect();
    let body = match &result {
        None => working(progress),
        Some(Err(e)) => html! { <p class="notice" role="alert">{localize(lang, e)}</p> },
        Some(Ok(_)) => html! {
            <Timeline tracks={tracks.clone()} at={parsed.state.at} speed={parsed.state.speed}
                zoom={parsed.state.zoom} controls={opts.controls} autoplay={parsed.state.play} fit={true}
                from={opts.from} to={opts.to} looping={opts.looping} {dark}
                command={*command} {on_time} {on_saved} />
        },
    };
    let (g1, g2) = (give.clone(), give.clone());
    html! {
        <section class="embed">
            if !notices.is_empty() {
                <p class="notice" role="status">{notices.join("; ")}</p>
            }
            {body}
            <p class="embed-foot">
                <a class="embed-link" href={format!("#/playground?{}", parsed.state.to_query())} target="_blank" rel="noopener">{tr(lang, "Open in the playground")}</a>
                if opts.controls {
                    <button type="button" class="small" onclick={Callback::from(move |_| g1(Command::Poster))}>{tr(lang, "Save frame (PNG)")}</button>
                    <button type="button" class="small" onclick={Callback::from(move |_| g2(Command::Record))}>{tr(lang, "Record the range (WebM)")}</button>
                }
                <span class="small" role="status">{(*saved).clone()}</span>
            </p>
        </section>
    }
}

#[function_component(Calibration)]
fn calibration() -> Html {
    let lang = use_lang();
    let active = use_context::<ActiveProfile>().expect("the app provides a profile");
    let report = use_state(|| None::<Result<serde_json::Value, String>>);
    {
        let report = report.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                report.set(Some(fetch_json("accuracy.json").await));
            });
        });
    }
    let prof = &active.profile;
    let accuracy = match &*report {
        None => html! { <p>{tr(lang, "Loading the accuracy report…")}</p> },
        Some(Err(e)) => {
            html! { <p class="notice">{trf(lang, "The accuracy report could not be loaded: {}", &[e])}</p> }
        }
        Some(Ok(v)) => accuracy_view(v, lang),
    };
    html! {
        <section class="page calibration">
            <h1>{tr(lang, "Calibration")}</h1>
            <p>{trf(lang, "Predictions use {}: {}.", &[&origin_text(&active.origin, lang), &prof.description])}</p>
            <h2>{tr(lang, "Parameters")}</h2>
            <div class="scroll">
            <table class="params">
                <thead><tr><th scope="col">{tr(lang, "parameter")}</th><th scope="col">{"Python"}</th><th scope="col">{tr(lang, "value")}</th><th scope="col">{tr(lang, "provenance")}</th></tr></thead>
                <tbody>
                { for prof.parameters.iter().map(|e| html! {
                    <tr>
                        <th scope="row" title={parallel_universe::profile::spec(&e.name).map(|s| s.meaning).unwrap_or("")}>{e.name.clone()}</th>
                        <td>{e.python.map(|p| p.label()).unwrap_or_else(|| "*".into())}</td>
                        <td>{e.value.map(|v| format!("{v:.4} {}", e.unit)).unwrap_or_else(|| "-".into())}</td>
                        <td>{e.provenance.describe()}</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
            <h2>{tr(lang, "Accuracy against real runs")}</h2>
            {accuracy}
        </section>
    }
}

fn accuracy_view(v: &serde_json::Value, lang: Lang) -> Html {
    let s = &v["summary"];
    let pct = |x: &serde_json::Value| {
        x.as_f64()
            .map(|x| format!("{:.1}%", x * 100.0))
            .unwrap_or_default()
    };
    let rows = v["rows"].as_array().cloned().unwrap_or_default();
    let machine = &v["machine"];
    html! {
        <>
            <p>{trf(
                lang,
                "Measured on {} with {} logical CPUs, {}, with CPython {}. {} cases: median absolute error of predicted speedup {}, worst {} ({}).",
                &[
                    &machine["cpu"].as_str().unwrap_or("?"),
                    &machine["cores"].as_u64().unwrap_or(0),
                    &v["date"].as_str().unwrap_or("?"),
                    &v["interpreters"].as_array().map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
                    &s["cases"].as_u64().unwrap_or(0),
                    &pct(&s["median_abs_error"]),
                    &pct(&s["worst_abs_error"]),
                    &s["worst_case"].as_str().unwrap_or(""),
                ],
            )}</p>
            <div class="scroll">
            <table class="accuracy">
                <thead><tr>{ for [mark("case"), mark("model"), mark("workers"), "Python", mark("measured speedup"), mark("repeats' range"), mark("predicted speedup"), mark("error")].into_iter().map(|h| html!{ <th scope="col">{tr(lang, h)}</th> }) }</tr></thead>
                <tbody>
                { for rows.iter().map(|r| {
                    let model = match r["start_method"].as_str() {
                        Some(m) => format!("{} ({m})", r["model"].as_str().unwrap_or("")),
                        None => r["model"].as_str().unwrap_or("").to_string(),
                    };
                    let f2 = |x: &serde_json::Value| x.as_f64().map(|x| format!("{x:.2}")).unwrap_or_default();
                    let range = r["repeat_range"].as_array().map(|a| format!("{}-{}", f2(&a[0]), f2(&a[1]))).unwrap_or_default();
                    let err = r["error"].as_f64().unwrap_or(0.0);
                    html! { <tr class={if err.abs() > 0.25 { "miss" } else { "" }}>
                        <td>{r["case"].as_str().unwrap_or("")}</td><td>{model}</td><td>{r["workers"].as_u64().unwrap_or(0)}</td>
                        <td>{r["python"].as_str().unwrap_or("")}</td><td>{f2(&r["measured_speedup"])}</td><td>{range}</td>
                        <td>{f2(&r["predicted_speedup"])}</td><td>{format!("{:+.1}%", err * 100.0)}</td>
                    </tr> }
                }) }
                </tbody>
            </table>
            </div>
        </>
    }
}

async fn fetch_json(path: &str) -> Result<serde_json::Value, String> {
    let text = crate::dom::fetch_text(path).await?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}
