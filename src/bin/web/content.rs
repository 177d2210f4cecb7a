//! The guide and the tutorials in the page: chapter and lesson lists, a
//! chapter or lesson fetched from `content/` and rendered block by block
//! (`parallel_universe::content` does the parsing), and the live elements
//! the directives place in the text: scenarios, the models table computed
//! from the active profile, the decision form, the package and reference
//! tables, and the lessons' questions and claims. Lesson progress is kept
//! in local storage.

use crate::app::{use_lang, use_tracks, use_view, working, ActiveProfile};
use crate::timeline::Timeline;
use parallel_universe::content::claims::{self, Claim};
use parallel_universe::content::tables::{decide_query, models_table};
use parallel_universe::content::{
    self as pc, catalog, gates, reference_id, section_id, Block, Catalog, Doc, Entry, Kind,
    Packages, Question, Reference,
};
use parallel_universe::i18n::{mark, tr, trf, Lang};
use parallel_universe::python::{PythonVersion, KNOWN_VERSIONS};
use parallel_universe::view::run::ViewResult;
use parallel_universe::view::ViewState;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Where a page's file stands.
#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Failed(String),
    /// The parsed file, and whether it is the English one shown in place of
    /// a missing translation.
    Ready(Rc<Doc>, bool),
}

/// Fetch and parse an entry's file in `lang`, falling back to English.
#[hook]
fn use_doc(kind: Kind, entry: Option<Entry>, lang: Lang) -> Loaded {
    let loaded = use_state(|| Loaded::Loading);
    {
        let loaded = loaded.clone();
        use_effect_with((kind as u8, entry, lang), move |(_, entry, lang)| {
            let (entry, lang) = (entry.clone(), *lang);
            loaded.set(Loaded::Loading);
            if let Some(e) = entry {
                wasm_bindgen_futures::spawn_local(async move {
                    // An entry not written in the reader's language is shown
                    // in English (without asking for a file that is not there).
                    let shown = if e.has(lang) { lang } else { Lang::En };
                    let text = crate::dom::fetch_text(&pc::page_path(kind, shown, &e)).await;
                    let fallback = shown != lang;
                    loaded.set(
                        match text.and_then(|t| {
                            serde_json::from_str::<Doc>(&t).map_err(|e| e.to_string())
                        }) {
                            Ok(doc) => Loaded::Ready(Rc::new(doc), fallback),
                            Err(e) => Loaded::Failed(e),
                        },
                    );
                });
            }
        });
    }
    (*loaded).clone()
}

fn catalog_or_notice(lang: Lang) -> Result<&'static Catalog, Html> {
    catalog().as_ref().map_err(|e| {
        html! { <p class="notice" role="alert">{trf(lang, "The page could not be loaded: {}", &[e])}</p> }
    })
}

#[function_component(GuideIndex)]
pub fn guide_index() -> Html {
    let lang = use_lang();
    let cat = match catalog_or_notice(lang) {
        Ok(c) => c,
        Err(h) => return h,
    };
    html! {
        <section class="page guide-index">
            <h1>{tr(lang, "Guide")}</h1>
            <ol class="chapters">
                { for cat.guide.iter().map(|e| html! {
                    <li>
                        <a href={format!("#/guide/{}", e.slug)}>{e.title(lang)}</a>
                        <p>{e.summary(lang)}</p>
                    </li>
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChapterProps {
    pub slug: String,
    pub anchor: Option<String>,
}

fn prev_next(kind: Kind, list: &[Entry], i: usize, lang: Lang) -> Html {
    let route = match kind {
        Kind::Guide => "guide",
        Kind::Tutorial => "tutorial",
    };
    let link = |e: &Entry, rel: &'static str, label: &'static str| {
        html! { <a {rel} href={format!("#/{route}/{}", e.slug)}><span>{tr(lang, label)}</span>{e.title(lang)}</a> }
    };
    html! {
        <nav class="prev-next" aria-label={tr(lang, "Chapters")}>
            { for i.checked_sub(1).and_then(|j| list.get(j)).map(|e| link(e, "prev", mark("Previous"))) }
            { for list.get(i + 1).map(|e| link(e, "next", mark("Next"))) }
        </nav>
    }
}

fn doc_head(lang: Lang, loaded: &Loaded) -> Html {
    match loaded {
        Loaded::Loading => html! { <p role="status">{tr(lang, "Loading…")}</p> },
        Loaded::Failed(e) => {
            html! { <p class="notice" role="alert">{trf(lang, "The page could not be loaded: {}", &[e])}</p> }
        }
        Loaded::Ready(doc, fallback) => html! {
            <>
                if *fallback {
                    <p class="notice untranslated" role="status">{tr(lang, "This page is not yet translated; it is shown in English.")}</p>
                }
                if !doc.errors.is_empty() {
                    <ul class="notice" role="alert">{ for doc.errors.iter().map(|e| html! { <li>{e}</li> }) }</ul>
                }
            </>
        },
    }
}

#[function_component(ChapterPage)]
pub fn chapter_page(p: &ChapterProps) -> Html {
    let lang = use_lang();
    let entry = find(Kind::Guide, &p.slug);
    let loaded = use_doc(Kind::Guide, entry.as_ref().map(|x| x.1.clone()), lang);
    // Once the chapter is drawn, bring its anchor (a heading, or an entry
    // of the bibliography) into view.
    {
        let anchor = p.anchor.clone();
        let ready = matches!(loaded, Loaded::Ready(..));
        use_effect_with((anchor, ready), |(anchor, ready)| {
            if let (Some(a), true) = (anchor, ready) {
                let d = gloo_utils::document();
                let el = d
                    .get_element_by_id(&section_id(a))
                    .or_else(|| d.get_element_by_id(&reference_id(a)));
                if let Some(el) = el {
                    el.scroll_into_view();
                    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
                        let _ = h.focus();
                    }
                }
            }
        });
    }
    entry_page(Kind::Guide, &p.slug, lang, &loaded, entry)
}

fn doc_lang(loaded: &Loaded, lang: Lang) -> &'static str {
    match loaded {
        Loaded::Ready(_, true) => "en",
        _ => lang.code(),
    }
}

#[derive(Properties, PartialEq)]
struct BlocksProps {
    doc: Rc<Doc>,
    /// The lesson's slug, when the blocks are a lesson's (questions gate
    /// what follows them, and answers are kept).
    lesson: Option<String>,
}

/// A document's blocks, with a lesson's later parts hidden until the
/// question before them is answered.
#[function_component(Blocks)]
fn blocks(p: &BlocksProps) -> Html {
    let progress = use_state(|| p.lesson.as_deref().map(load_progress).unwrap_or_default());
    let gate = gates(&p.doc.blocks);
    let answered = |i: usize| progress.answers.contains_key(&i.to_string());
    let mut out = Vec::new();
    for (i, b) in p.doc.blocks.iter().enumerate() {
        if let Some(g) = gate[i] {
            if !answered(g) {
                continue;
            }
        }
        let key = format!("b{i}");
        out.push(match b {
            Block::Html(s) => html! { <div class="prose" key={key}>{Html::from_html_unchecked(AttrValue::from(s.clone()))}</div> },
            Block::Scenario { query, caption } => html! {
                <figure class="scenario" key={key}>
                    <ScenarioRun query={query.clone()} />
                    if !caption.is_empty() { <figcaption>{caption.clone()}</figcaption> }
                </figure>
            },
            Block::ModelsTable { python } => html! { <ModelsTable key={key} python={*python} /> },
            Block::Decide => html! { <Decide key={key} /> },
            Block::Packages(table) => html! { <PackagesTable key={key} table={Rc::new(table.clone())} /> },
            Block::References(list) => html! { <ReferenceList key={key} list={Rc::new(list.clone())} /> },
            Block::Predict { question, query } => {
                let on_answer = {
                    let progress = progress.clone();
                    let lesson = p.lesson.clone();
                    let doc = p.doc.clone();
                    Callback::from(move |a: String| {
                        let mut next = (*progress).clone();
                        next.answers.insert(i.to_string(), a);
                        let total = doc.blocks.iter().filter(|b| matches!(b, Block::Predict { .. })).count();
                        next.done = next.answers.len() >= total;
                        if let Some(l) = &lesson {
                            save_progress(l, &next);
                        }
                        progress.set(next);
                    })
                };
                html! {
                    <Predict key={key} question={question.clone()} query={query.clone()}
                        answer={progress.answers.get(&i.to_string()).cloned()} {on_answer} />
                }
            }
            Block::Claims { query, claims } => html! {
                <ClaimsList key={key} query={query.clone()} claims={Rc::new(claims.clone())} />
            },
        });
    }
    html! { <>{ for out }</> }
}

#[derive(Properties, PartialEq)]
pub struct ScenarioProps {
    pub query: String,
    /// Told the result once the runs are done.
    #[prop_or_default]
    pub on_result: Option<Callback<Rc<ViewResult>>>,
    /// Play from the start as soon as it is ready.
    #[prop_or_default]
    pub autoplay: bool,
}

/// A live scenario: the timeline with its controls, the verdict, and a link
/// to the same view in the playground.
#[function_component(ScenarioRun)]
pub fn scenario_run(p: &ScenarioProps) -> Html {
    let lang = use_lang();
    let active = use_context::<ActiveProfile>().expect("the app provides a profile");
    let parsed = use_memo(p.query.clone(), |q| ViewState::from_query(q));
    let (result, progress) = use_view(&parsed.state, &active.profile, false);
    let tracks = use_tracks(&result);
    {
        let on_result = p.on_result.clone();
        let r = match &result {
            Some(Ok(r)) => Some(r.clone()),
            _ => None,
        };
        let key = r.as_ref().map_or(0, |r| Rc::as_ptr(r) as usize);
        use_effect_with(key, move |_| {
            if let (Some(cb), Some(r)) = (on_result, r) {
                cb.emit(r);
            }
        });
    }
    let body = match &result {
        None => working(progress),
        Some(Err(e)) => {
            html! { <p class="notice" role="alert">{parallel_universe::i18n::localize(lang, e)}</p> }
        }
        Some(Ok(r)) => html! {
            <>
                <Timeline tracks={tracks.clone()} at={if p.autoplay { 0.0 } else { parsed.state.at }}
                    speed={parsed.state.speed} zoom={parsed.state.zoom} autoplay={p.autoplay} />
                <ul class="verdict">{ for r.verdict.iter().map(|v| html! { <li>{v.render(lang)}</li> }) }</ul>
            </>
        },
    };
    html! {
        <div class="live">
            if !parsed.notices.is_empty() {
                <p class="notice" role="status">{parsed.notice_text(lang).join("; ")}</p>
            }
            {body}
            <a class="open-playground" href={format!("#/playground?{}", parsed.state.to_query())}>{tr(lang, "Open in the playground")}</a>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PythonProps {
    python: PythonVersion,
}

/// The models at a glance, with start-up and exchange figures from the
/// active profile.
#[function_component(ModelsTable)]
fn models_table_view(p: &PythonProps) -> Html {
    let lang = use_lang();
    let active = use_context::<ActiveProfile>().expect("the app provides a profile");
    match models_table(&active.profile, p.python, lang) {
        Err(e) => html! { <p class="notice" role="alert">{e}</p> },
        Ok(rows) => html! {
            <div class="scroll">
            <table class="models-table">
                <caption>{trf(lang, "Python {}; figures from {}.", &[&p.python.label(), &active.origin])}</caption>
                <thead><tr>
                    <th scope="col">{tr(lang, "model")}</th><th scope="col">{tr(lang, "runs")}</th>
                    <th scope="col">{tr(lang, "start-up (this profile)")}</th>
                    <th scope="col">{tr(lang, "data exchange (this profile)")}</th>
                    <th scope="col">{tr(lang, "best for")}</th>
                </tr></thead>
                <tbody>{ for rows.iter().map(|r| html! {
                    <tr><th scope="row">{r.model.name()}</th><td>{r.runs.clone()}</td><td>{r.startup.clone()}</td>
                        <td>{r.exchange.clone()}</td><td>{r.best_for.clone()}</td></tr>
                }) }</tbody>
            </table>
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
struct PackagesProps {
    table: Rc<Packages>,
}

#[function_component(PackagesTable)]
fn packages_table(p: &PackagesProps) -> Html {
    let lang = use_lang();
    let pk = &p.table;
    html! {
        <div class="scroll">
        <table class="packages">
            <caption>{trf(lang, "Checked {} with CPython {} on {}. {}", &[&pk.checked, &pk.interpreter, &pk.machine, &pk.method])}</caption>
            <thead><tr>
                <th scope="col">{tr(lang, "package")}</th><th scope="col">{tr(lang, "version")}</th>
                <th scope="col">{tr(lang, "free-threaded wheel")}</th><th scope="col">{tr(lang, "imports in a sub-interpreter")}</th>
                <th scope="col">{tr(lang, "detail")}</th>
            </tr></thead>
            <tbody>{ for pk.packages.iter().map(|r| html! {
                <tr><th scope="row">{r.name.clone()}</th><td>{r.version.clone()}</td>
                    <td class={format!("v-{}", r.ft_wheel.replace(' ', "-"))}>{r.ft_wheel.clone()}</td>
                    <td class={format!("v-{}", r.subinterpreter.replace(' ', "-"))}>{r.subinterpreter.clone()}</td>
                    <td>{r.detail.clone()}</td></tr>
            }) }</tbody>
        </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ReferencesProps {
    list: Rc<Vec<Reference>>,
}

#[function_component(ReferenceList)]
fn reference_list(p: &ReferencesProps) -> Html {
    html! {
        <ol class="references">
            { for p.list.iter().map(|r| html! {
                <li id={reference_id(&r.id)} tabindex="-1">
                    {format!("{}. ", r.authors)}
                    <a href={r.url.clone()} rel="noopener">{r.title.clone()}</a>
                    {format!(". {}, {}.", r.venue, r.date)}
                </li>
            }) }
        </ol>
    }
}

/// The decision form's fields: address key, label, unit, input bounds.
const DECIDE_FIELDS: [(&str, &str, &str, &str, &str); 9] = [
    ("python_ms", mark("Python per task"), "ms", "0", "0.01"),
    (
        "native_ms",
        mark("GIL-releasing native code per task"),
        "ms",
        "0",
        "0.01",
    ),
    ("io_ms", mark("I/O wait per task"), "ms", "0", "0.1"),
    ("in", mark("bytes in per task"), "B", "0", "1"),
    ("out", mark("bytes out per task"), "B", "0", "1"),
    (
        "shared",
        mark("fraction of Python time mutating shared objects"),
        "0-1",
        "0",
        "0.01",
    ),
    (
        "import_ms",
        mark("import time in a fresh interpreter"),
        "ms",
        "0",
        "1",
    ),
    ("tasks", mark("tasks"), "", "1", "1"),
    ("cores", mark("cores"), "", "1", "1"),
];

/// The reader's own numbers, every model ranked.
#[function_component(Decide)]
fn decide() -> Html {
    let lang = use_lang();
    let active = use_context::<ActiveProfile>().expect("the app provides a profile");
    let fields = use_state(|| {
        let mut m = BTreeMap::new();
        for (k, v) in [
            ("python_ms", "10"),
            ("native_ms", "0"),
            ("io_ms", "0"),
            ("in", "1000"),
            ("out", "1000"),
            ("shared", "0"),
            ("import_ms", "0"),
            ("tasks", "64"),
            ("cores", "8"),
            ("python", "3.14"),
            ("ft_safe", "1"),
            ("si_safe", "1"),
        ] {
            m.insert(k.to_string(), v.to_string());
        }
        m
    });
    let parsed = use_memo((*fields).clone(), |f| {
        ViewState::from_query(&decide_query(f))
    });
    let (result, progress) = use_view(&parsed.state, &active.profile, false);
    let set = |k: &'static str| {
        let fields = fields.clone();
        Callback::from(move |v: String| {
            let mut f = (*fields).clone();
            f.insert(k.to_string(), v);
            fields.set(f);
        })
    };
    let inputs = DECIDE_FIELDS.iter().map(|(k, label, unit, min, step)| {
        let set = set(k);
        let onchange = Callback::from(move |e: Event| set.emit(e.target_unchecked_into::<HtmlInputElement>().value()));
        html! {
            <label>{tr(lang, label)}{if unit.is_empty() { String::new() } else { format!(" ({unit})") }}
                <input type="number" inputmode="decimal" value={fields.get(*k).cloned().unwrap_or_default()} min={*min} step={*step} {onchange} />
            </label>
        }
    });
    let on_python = {
        let set = set("python");
        Callback::from(move |e: Event| {
            set.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let check = |k: &'static str, label: &'static str| {
        let set = set(k);
        let on = fields.get(k).map(|v| v == "1").unwrap_or(true);
        let onchange = Callback::from(move |e: Event| {
            set.emit(if e.target_unchecked_into::<HtmlInputElement>().checked() {
                "1".into()
            } else {
                "0".into()
            })
        });
        html! { <label class="check"><input type="checkbox" checked={on} {onchange} />{tr(lang, label)}</label> }
    };
    let ranking = match &result {
        None => working(progress),
        Some(Err(e)) => {
            html! { <p class="notice" role="alert">{parallel_universe::i18n::localize(lang, e)}</p> }
        }
        Some(Ok(r)) => ranking(r, lang),
    };
    html! {
        <section class="decide" aria-label={tr(lang, "Rank the models")}>
            <form class="decide-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { for inputs }
                <label>{"Python"}
                    <select onchange={on_python}>
                        { for KNOWN_VERSIONS.iter().filter(|v| !v.free_threaded).map(|v| {
                            let l = v.label();
                            html! { <option value={l.clone()} selected={fields.get("python") == Some(&l)}>{l.clone()}</option> }
                        }) }
                    </select>
                </label>
                {check("ft_safe", mark("extensions safe without the GIL"))}
                {check("si_safe", mark("extensions safe in sub-interpreters"))}
            </form>
            if !parsed.notices.is_empty() {
                <p class="notice" role="status">{parsed.notice_text(lang).join("; ")}</p>
            }
            {ranking}
            <a class="open-playground" href={format!("#/playground?{}", parsed.state.to_query())}>{tr(lang, "Open in the playground")}</a>
        </section>
    }
}

/// The biggest loss of a run other than useful work, as (cause, share).
fn main_loss(p: &parallel_universe::predict::Prediction) -> Option<(&'static str, f64)> {
    let total = f64::from(p.cores) * p.makespan_s;
    p.breakdown
        .iter()
        .filter(|(k, _)| !matches!(**k, "python" | "native" | "io_wait"))
        .max_by(|a, b| a.1.total_cmp(b.1))
        .filter(|_| total > 0.0)
        .map(|(k, v)| (*k, v / total))
}

fn ranking(r: &ViewResult, lang: Lang) -> Html {
    let mut ran: Vec<_> = r
        .runs
        .iter()
        .filter_map(|x| x.outcome.as_ref().ok().map(|p| (x.model, p)))
        .collect();
    ran.sort_by(|a, b| a.1.makespan_s.total_cmp(&b.1.makespan_s));
    html! {
        <>
        <table class="ranking">
            <caption>{trf(lang, "Sequential takes {} s.", &[&format!("{:.3}", r.baseline_s)])}</caption>
            <thead><tr><th scope="col">{"#"}</th><th scope="col">{tr(lang, "model")}</th>
                <th scope="col">{tr(lang, "wall time")}</th><th scope="col">{tr(lang, "speedup")}</th>
                <th scope="col">{tr(lang, "largest loss")}</th></tr></thead>
            <tbody>
                { for ran.iter().enumerate().map(|(i, (m, p))| html! {
                    <tr><td>{i + 1}</td><th scope="row">{m.name()}</th>
                        <td>{format!("{:.3} s", p.makespan_s)}</td><td>{format!("{:.2}x", p.speedup)}</td>
                        <td>{main_loss(p).map(|(k, s)| format!("{} {:.0}%", parallel_universe::verdict::loss_words(k), s * 100.0)).unwrap_or_default()}</td></tr>
                }) }
                { for r.runs.iter().filter_map(|x| x.outcome.as_ref().err().map(|e| (x.model, e))).map(|(m, e)| html! {
                    <tr class="unavailable"><td>{"-"}</td><th scope="row">{m.name()}</th><td colspan="3">{parallel_universe::i18n::localize(lang, e)}</td></tr>
                }) }
            </tbody>
        </table>
        <ul class="verdict">{ for r.verdict.iter().map(|v| html! { <li>{v.render(lang)}</li> }) }</ul>
        </>
    }
}

// ---- Tutorials ----

const PROGRESS_KEY: &str = "pu-tutorials";

/// A learner's answers in one lesson, by the question's block index.
#[derive(Clone, Debug, Default, PartialEq)]
struct Progress {
    answers: BTreeMap<String, String>,
    done: bool,
}

fn all_progress() -> serde_json::Map<String, serde_json::Value> {
    crate::dom::stored(PROGRESS_KEY)
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default()
}

fn load_progress(slug: &str) -> Progress {
    let all = all_progress();
    let Some(v) = all.get(slug) else {
        return Progress::default();
    };
    Progress {
        answers: v["answers"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        done: v["done"].as_bool().unwrap_or(false),
    }
}

fn save_progress(slug: &str, p: &Progress) {
    let mut all = all_progress();
    all.insert(
        slug.to_string(),
        serde_json::json!({ "answers": p.answers, "done": p.done }),
    );
    crate::dom::store(PROGRESS_KEY, &serde_json::Value::Object(all).to_string());
}

#[function_component(TutorialIndex)]
pub fn tutorial_index() -> Html {
    let lang = use_lang();
    let version = use_state(|| 0u32);
    let cat = match catalog_or_notice(lang) {
        Ok(c) => c,
        Err(h) => return h,
    };
    let reset = {
        let version = version.clone();
        Callback::from(move |_| {
            crate::dom::unstore(PROGRESS_KEY);
            version.set(*version + 1);
        })
    };
    html! {
        <section class="page tutorial-index">
            <h1>{tr(lang, "Tutorials")}</h1>
            <p class="lead">{tr(lang, "Each lesson asks you to predict before it runs, then explains what the trace shows. Your progress stays in this browser.")}</p>
            <ol class="chapters">
                { for cat.tutorials.iter().map(|e| {
                    let p = load_progress(&e.slug);
                    let status = if p.done { mark("Completed") } else if p.answers.is_empty() { mark("Not started") } else { mark("In progress") };
                    html! {
                        <li>
                            <a href={format!("#/tutorial/{}", e.slug)}>{e.title(lang)}</a>
                            {" "}<span class={classes!("status", p.done.then_some("done"))}>{tr(lang, status)}</span>
                            <p>{e.summary(lang)}</p>
                        </li>
                    }
                }) }
            </ol>
            <button type="button" onclick={reset}>{tr(lang, "Reset progress")}</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub slug: String,
}

#[function_component(LessonPage)]
pub fn lesson_page(p: &LessonProps) -> Html {
    let lang = use_lang();
    let entry = find(Kind::Tutorial, &p.slug);
    let loaded = use_doc(Kind::Tutorial, entry.as_ref().map(|x| x.1.clone()), lang);
    entry_page(Kind::Tutorial, &p.slug, lang, &loaded, entry)
}

/// A chapter or lesson in its list (its place and entry), if `slug` names one.
fn find(kind: Kind, slug: &str) -> Option<(usize, Entry)> {
    let cat = catalog().as_ref().ok()?;
    match kind {
        Kind::Guide => cat.chapter(slug),
        Kind::Tutorial => cat.lesson(slug),
    }
    .map(|(i, e)| (i, e.clone()))
}

/// A chapter's or lesson's page: where it stands, its title, its blocks
/// (a lesson's gated by its questions), and links to its neighbours.
fn entry_page(
    kind: Kind,
    slug: &str,
    lang: Lang,
    loaded: &Loaded,
    entry: Option<(usize, Entry)>,
) -> Html {
    let Ok(cat) = catalog_or_notice(lang) else {
        return html! {};
    };
    let (list, home, home_label) = match kind {
        Kind::Guide => (&cat.guide, "#/guide", mark("Guide")),
        Kind::Tutorial => (&cat.tutorials, "#/tutorials", mark("Tutorials")),
    };
    let Some((i, e)) = entry else {
        return html! {
            <section class="page"><h1>{tr(lang, "No such page")}</h1>
            <p><a href={home}>{tr(lang, home_label)}</a></p></section>
        };
    };
    let blocks = match loaded {
        // Keyed by page and language, so that another page starts its live
        // elements afresh and each lesson has its own answers.
        Loaded::Ready(doc, _) => html! {
            <Blocks key={format!("{slug}-{}", lang.code())} doc={doc.clone()}
                lesson={(kind == Kind::Tutorial).then(|| slug.to_string())} />
        },
        _ => html! {},
    };
    let (class, place) = match kind {
        Kind::Guide => ("page chapter", format!("{}", i + 1)),
        Kind::Tutorial => (
            "page lesson",
            trf(lang, "Lesson {} of {}", &[&(i + 1), &list.len()]),
        ),
    };
    html! {
        <article class={class} lang={doc_lang(loaded, lang)}>
            <p class="crumb"><a href={home}>{tr(lang, home_label)}</a>{" · "}{place}</p>
            <h1>{e.title(lang)}</h1>
            {doc_head(lang, loaded)}
            {blocks}
            {prev_next(kind, list, i, lang)}
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct PredictProps {
    question: Question,
    query: String,
    /// The learner's answer, once given (kept across visits).
    answer: Option<String>,
    on_answer: Callback<String>,
}

/// Whether a speedup guess is within a quarter of the simulated value.
fn close_enough(guess: f64, actual: f64) -> bool {
    (guess - actual).abs() <= 0.25 * actual.abs().max(0.05)
}

/// A question: the learner commits to an answer, then the scenario runs and
/// the answer is graded against the run itself.
#[function_component(Predict)]
fn predict(p: &PredictProps) -> Html {
    let lang = use_lang();
    let parsed = use_memo(p.query.clone(), |q| ViewState::from_query(q));
    let draft = use_state(|| match &p.question {
        Question::Fastest => parsed
            .state
            .models
            .first()
            .map(|m| m.0.name().to_string())
            .unwrap_or_default(),
        Question::Speedup(_) => "1".to_string(),
    });
    let result = use_state(|| None::<Rc<ViewResult>>);
    let prompt = match &p.question {
        Question::Fastest => tr(lang, "Which model finishes first?").to_string(),
        Question::Speedup(m) => trf(
            lang,
            "How many times faster than sequential will {} be?",
            &[&m.name()],
        ),
    };
    let Some(answer) = &p.answer else {
        let input = match &p.question {
            Question::Fastest => html! {
                <fieldset class="choices">
                    <legend>{prompt.clone()}</legend>
                    { for parsed.state.models.iter().map(|(m, _)| {
                        let name = m.name().to_string();
                        let draft = draft.clone();
                        let value = name.clone();
                        html! {
                            <label class="check">
                                <input type="radio" name="predict" value={name.clone()} checked={*draft == name}
                                    onchange={Callback::from(move |_| draft.set(value.clone()))} />
                                {name.clone()}
                            </label>
                        }
                    }) }
                </fieldset>
            },
            Question::Speedup(_) => {
                let cores = parsed.state.cores.max(1);
                let d1 = draft.clone();
                let d2 = draft.clone();
                html! {
                    <fieldset class="choices">
                        <legend>{prompt.clone()}</legend>
                        <label>{tr(lang, "Your prediction")}
                            <input type="range" min="0" max={cores.to_string()} step="0.1" value={(*draft).clone()}
                                oninput={Callback::from(move |e: InputEvent| d1.set(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                        </label>
                        <input type="number" aria-label={tr(lang, "Your prediction")} min="0" max={cores.to_string()} step="0.1" value={(*draft).clone()}
                            onchange={Callback::from(move |e: Event| d2.set(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                        {"x"}
                    </fieldset>
                }
            }
        };
        let commit = {
            let (draft, on) = (draft.clone(), p.on_answer.clone());
            let speedup = matches!(p.question, Question::Speedup(_));
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let v = (*draft).clone();
                if speedup
                    && !v
                        .trim()
                        .parse::<f64>()
                        .is_ok_and(|x| x.is_finite() && x >= 0.0)
                {
                    return;
                }
                on.emit(v);
            })
        };
        return html! {
            <form class="predict" onsubmit={commit}>
                {input}
                <button type="submit">{tr(lang, "Commit and run")}</button>
            </form>
        };
    };
    let on_result = {
        let result = result.clone();
        Callback::from(move |r: Rc<ViewResult>| result.set(Some(r)))
    };
    let feedback = result.as_ref().map(|r| {
        let (right, said) = match &p.question {
            Question::Fastest => {
                let f = claims::fastest(r);
                let name = f.map_or("-", |m| m.name());
                (f.map(|m| m.name()) == Some(answer.as_str()), trf(lang, "{} finished first.", &[&name]))
            }
            Question::Speedup(m) => {
                let s = claims::speedup(r, *m).unwrap_or(0.0);
                let guess = answer.parse::<f64>().unwrap_or(f64::NAN);
                (close_enough(guess, s), trf(lang, "The simulated speedup is {}x.", &[&format!("{s:.2}")]))
            }
        };
        let shown = match &p.question {
            Question::Speedup(_) => format!("{answer}x"),
            Question::Fastest => answer.clone(),
        };
        html! {
            <p class={classes!("feedback", if right { "right" } else { "wrong" })} role="status">
                {trf(lang, "You predicted {}.", &[&shown])}{" "}
                <strong>{tr(lang, if right { mark("Right.") } else { mark("Not quite.") })}</strong>{" "}
                {said}
            </p>
        }
    });
    html! {
        <div class="predict answered">
            <p class="question">{prompt}</p>
            <ScenarioRun query={p.query.clone()} {on_result} autoplay={true} />
            { for feedback }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ClaimsProps {
    query: String,
    claims: Rc<Vec<(String, Claim)>>,
}

/// A lesson's claims, each ticked against a run with the active profile.
#[function_component(ClaimsList)]
fn claims_list(p: &ClaimsProps) -> Html {
    let lang = use_lang();
    let active = use_context::<ActiveProfile>().expect("the app provides a profile");
    let parsed = use_memo(p.query.clone(), |q| ViewState::from_query(q));
    let (result, progress) = use_view(&parsed.state, &active.profile, false);
    let body = match &result {
        None => working(progress),
        Some(Err(e)) => {
            html! { <p class="notice" role="alert">{parallel_universe::i18n::localize(lang, e)}</p> }
        }
        Some(Ok(r)) => html! {
            <ul>
                { for p.claims.iter().map(|(line, c)| {
                    let k = claims::check(c, r);
                    html! {
                        <li class={if k.holds { "holds" } else { "fails" }}>
                            <span aria-hidden="true">{if k.holds { "✓ " } else { "✗ " }}</span>
                            <code>{line.clone()}</code>{format!(" ({}) ", k.actual)}
                            <span>{tr(lang, if k.holds { mark("holds") } else { mark("does not hold with this profile") })}</span>
                        </li>
                    }
                }) }
            </ul>
        },
    };
    html! {
        <aside class="claims">
            <h2 class="claims-title">{tr(lang, "What the simulation says")}</h2>
            {body}
        </aside>
    }
}
