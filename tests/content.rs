//! The guide and the tutorials, checked natively: every file listed and
//! every file in a list, each parsing without an error, every link and
//! citation resolving, both languages of a lesson asking the same questions
//! and making the same claims, and every claim holding in the simulator
//! with the shipped profile, so that the text and the model cannot drift
//! apart. The format is in docs/content.md.
#![cfg(not(target_arch = "wasm32"))]

use parallel_universe::content::claims::check;
use parallel_universe::content::{catalog, parse, Block, Catalog, Doc, Entry, Kind};
use parallel_universe::i18n::{Lang, LANGS};
use parallel_universe::profile::Profile;
use parallel_universe::view::route::{parse as route, Page};
use parallel_universe::view::run::{compute, VIEW_MAX_EVENTS};
use parallel_universe::view::ViewState;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Chapters the Japanese edition must have (issue 5).
const JA_CHAPTERS: [&str; 5] = [
    "models",
    "gil",
    "subinterpreters",
    "free-threading",
    "together",
];

fn cat() -> &'static Catalog {
    catalog().as_ref().expect("content JSON parses")
}

fn file(kind: Kind, lang: Lang, e: &Entry) -> Option<String> {
    fs::read_to_string(Path::new(&parallel_universe::content::path(kind, lang, e))).ok()
}

/// Every file that exists, parsed: (kind, lang, entry, doc).
fn docs() -> Vec<(Kind, Lang, &'static Entry, Doc)> {
    let c = cat();
    let mut out = Vec::new();
    for (kind, list) in [(Kind::Guide, &c.guide), (Kind::Tutorial, &c.tutorials)] {
        for e in list {
            for lang in LANGS {
                if let Some(src) = file(kind, lang, e) {
                    let name = parallel_universe::content::path(kind, lang, e);
                    out.push((kind, lang, e, parse(&src, &name, c)));
                }
            }
        }
    }
    out
}

#[test]
fn lists_and_files_match() {
    let c = cat();
    assert!(c.guide.len() >= 10, "the guide has at least ten chapters");
    assert!(c.tutorials.len() >= 6, "at least six lessons");
    let mut problems = Vec::new();
    for (kind, list) in [(Kind::Guide, &c.guide), (Kind::Tutorial, &c.tutorials)] {
        let mut slugs = BTreeSet::new();
        for e in list {
            if !slugs.insert(&e.slug) {
                problems.push(format!("{} listed twice", e.slug));
            }
            for lang in LANGS {
                if e.title.get(lang.code()).is_none_or(|t| t.trim().is_empty()) {
                    problems.push(format!("{}: no {lang} title", e.slug));
                }
                if e.summary
                    .get(lang.code())
                    .is_none_or(|t| t.trim().is_empty())
                {
                    problems.push(format!("{}: no {lang} summary", e.slug));
                }
            }
            if file(kind, Lang::En, e).is_none() {
                problems.push(format!("{}: no English file", e.slug));
            }
            for lang in LANGS {
                if e.has(lang) != file(kind, lang, e).is_some() {
                    problems.push(format!(
                        "{}: its list says {} {lang}, but the file {}",
                        e.slug,
                        if e.has(lang) { "it has" } else { "it lacks" },
                        if e.has(lang) { "is missing" } else { "exists" }
                    ));
                }
            }
            let ja_required = kind == Kind::Tutorial || JA_CHAPTERS.contains(&e.slug.as_str());
            if ja_required && file(kind, Lang::Ja, e).is_none() {
                problems.push(format!("{}: no Japanese file", e.slug));
            }
        }
        // No file that no list names.
        for lang in LANGS {
            let dir = format!("content/{}/{}", kind.folder(), lang.code());
            for f in fs::read_dir(&dir).into_iter().flatten() {
                let name = f.unwrap().file_name().to_string_lossy().to_string();
                if !list.iter().any(|e| e.file == name) {
                    problems.push(format!("{dir}/{name} is in no list"));
                }
            }
        }
    }
    for slug in JA_CHAPTERS {
        if c.chapter(slug).is_none() {
            problems.push(format!("no chapter {slug}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_file_parses_cleanly() {
    let errors: Vec<String> = docs().into_iter().flat_map(|d| d.3.errors).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn every_link_and_citation_resolves() {
    let c = cat();
    let all = docs();
    // Anchors of each chapter (in any language) and reference ids.
    let mut anchors: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (kind, _, e, d) in &all {
        if *kind == Kind::Guide {
            anchors
                .entry(e.slug.as_str())
                .or_default()
                .extend(d.anchors.iter().cloned());
        }
    }
    let refs: BTreeSet<String> = c.references.iter().map(|r| r.id.clone()).collect();
    let mut problems = Vec::new();
    let mut cited = BTreeSet::new();
    for (kind, lang, e, d) in &all {
        let at = format!("{}/{}/{}", kind.folder(), lang, e.file);
        cited.extend(d.cites.iter().cloned());
        for link in &d.links {
            if link.starts_with("https://") {
                if link.contains(char::is_whitespace) {
                    problems.push(format!("{at}: {link:?} is not an address"));
                }
                continue;
            }
            let Some(r) = route(link) else {
                problems.push(format!(
                    "{at}: {link:?}: links go to #/ routes or https:// addresses"
                ));
                continue;
            };
            match &r.page {
                Page::NotFound(p) => problems.push(format!("{at}: {link:?}: no page {p:?}")),
                Page::Chapter { slug, anchor } => match c.chapter(slug) {
                    None => problems.push(format!("{at}: {link:?}: no chapter {slug:?}")),
                    Some(_) => {
                        if let Some(a) = anchor {
                            let ok = if slug == "references" {
                                refs.contains(a)
                            } else {
                                anchors.get(slug.as_str()).is_some_and(|s| s.contains(a))
                            };
                            if !ok {
                                problems.push(format!("{at}: {link:?}: no anchor {a:?} in {slug}"));
                            }
                        }
                    }
                },
                Page::Lesson(slug) if c.lesson(slug).is_none() => {
                    problems.push(format!("{at}: {link:?}: no lesson {slug:?}"))
                }
                Page::Playground | Page::Embed => {
                    let parsed = ViewState::from_query(&r.query);
                    if !parsed.notices.is_empty() {
                        problems.push(format!(
                            "{at}: {link:?}: {}",
                            parsed.notice_text(Lang::En).join("; ")
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    for r in &c.references {
        if !r.url.starts_with("https://") {
            problems.push(format!(
                "reference {}: {:?} is not an https address",
                r.id, r.url
            ));
        }
        if !cited.contains(&r.id) {
            problems.push(format!("reference {} is cited nowhere", r.id));
        }
    }
    let mut ids = BTreeSet::new();
    for r in &c.references {
        if !ids.insert(&r.id) {
            problems.push(format!("reference {} listed twice", r.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What a lesson asks and claims, in order, for comparing its languages.
fn lesson_shape(d: &Doc) -> Vec<String> {
    d.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Predict { question, query } => Some(format!("predict {question:?} {query}")),
            Block::Claims { query, claims } => Some(format!(
                "claims {query}: {}",
                claims
                    .iter()
                    .map(|c| c.0.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            Block::Scenario { query, .. } => Some(format!("scenario {query}")),
            _ => None,
        })
        .collect()
}

#[test]
fn both_languages_of_a_lesson_ask_and_claim_the_same() {
    let all = docs();
    let mut problems = Vec::new();
    for (kind, lang, e, d) in &all {
        if *kind != Kind::Tutorial || *lang == Lang::En {
            continue;
        }
        let en = all
            .iter()
            .find(|x| x.0 == Kind::Tutorial && x.1 == Lang::En && x.2.slug == e.slug)
            .expect("every lesson has an English file");
        if lesson_shape(&en.3) != lesson_shape(d) {
            problems.push(format!(
                "{}: {lang} differs from en:\n  en: {:?}\n  {lang}: {:?}",
                e.slug,
                lesson_shape(&en.3),
                lesson_shape(d)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_lesson_asks_and_claims() {
    let mut problems = Vec::new();
    for (kind, lang, e, d) in docs() {
        if kind != Kind::Tutorial || lang != Lang::En {
            continue;
        }
        let predicts = d
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Predict { .. }))
            .count();
        let claims: usize = d
            .blocks
            .iter()
            .map(|b| match b {
                Block::Claims { claims, .. } => claims.len(),
                _ => 0,
            })
            .sum();
        if predicts == 0 {
            problems.push(format!("{}: asks nothing", e.slug));
        }
        if claims < 2 * predicts {
            problems.push(format!(
                "{}: {claims} claims for {predicts} questions (at least two each)",
                e.slug
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_claim_holds_and_every_scenario_runs() {
    let profile = Profile::shipped();
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for (kind, lang, e, d) in docs() {
        let at = format!("{}/{}/{}", kind.folder(), lang, e.file);
        for b in &d.blocks {
            let (query, claims) = match b {
                Block::Scenario { query, .. } | Block::Predict { query, .. } => (query, None),
                Block::Claims { query, claims } => (query, Some(claims)),
                _ => continue,
            };
            // Each distinct view once (the languages share theirs).
            let key = format!(
                "{query}|{:?}",
                claims.map(|c| c.iter().map(|x| &x.0).collect::<Vec<_>>())
            );
            if !seen.insert(key) {
                continue;
            }
            let state = ViewState::from_query(query).state;
            let r = match compute(&state, &profile, false, VIEW_MAX_EVENTS) {
                Ok(r) => r,
                Err(err) => {
                    problems.push(format!("{at}: {query}: does not run: {err}"));
                    continue;
                }
            };
            if claims.is_none() && r.runs.iter().all(|x| x.outcome.is_err()) {
                problems.push(format!("{at}: {query}: no model runs"));
            }
            for (line, c) in claims.into_iter().flatten() {
                let k = check(c, &r);
                if !k.holds {
                    problems.push(format!(
                        "{at}: {query}: {line:?} does not hold (the run gives {})",
                        k.actual
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
