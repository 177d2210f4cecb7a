//! The guide's chapters and the tutorials' lessons: their catalogue, and
//! their Markdown read into blocks the web app renders.
//!
//! `content/` holds Markdown files and four small JSON files (the chapter
//! and lesson lists, the references, the package table). The JSON files are
//! compiled in. The Markdown is parsed natively ([`parse`]): by the tests,
//! which check every file, and by `parallel-universe content build`, which
//! Trunk runs before each build of the site to write every parsed file as
//! JSON ([`Doc`]) that the app fetches when a page opens, so the browser
//! needs no Markdown parser. A fenced code block whose info string names a
//! directive (`scenario`, `predict`, `claims`, ...) becomes a live element;
//! `[@id]` becomes a numbered citation. The format is documented in
//! `docs/content.md`.
//!
//! Parsing never fails: what is wrong in a file is collected in
//! [`Doc::errors`], which the app shows and the tests refuse.

pub mod claims;
pub mod tables;

use crate::i18n::Lang;
use crate::model::Model;
use crate::python::PythonVersion;
#[cfg(not(target_arch = "wasm32"))]
use crate::view::ViewState;
use claims::Claim;
#[cfg(not(target_arch = "wasm32"))]
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A chapter or a lesson in its list.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Its name in addresses (`#/guide/gil`).
    pub slug: String,
    /// Its file name in each language's folder (`02-gil.md`).
    pub file: String,
    /// The languages it is written in (codes); others are shown the
    /// English file.
    pub languages: Vec<String>,
    /// Its title per language code.
    pub title: BTreeMap<String, String>,
    /// One sentence per language code, for the list.
    pub summary: BTreeMap<String, String>,
}

impl Entry {
    /// The title in `lang`, English when it has none.
    pub fn title(&self, lang: Lang) -> &str {
        pick(&self.title, lang)
    }

    /// Whether it is written in `lang`.
    pub fn has(&self, lang: Lang) -> bool {
        self.languages.iter().any(|l| l == lang.code())
    }

    /// The summary in `lang`, English when it has none.
    pub fn summary(&self, lang: Lang) -> &str {
        pick(&self.summary, lang)
    }
}

fn pick(m: &BTreeMap<String, String>, lang: Lang) -> &str {
    m.get(lang.code())
        .or_else(|| m.get("en"))
        .map_or("", |s| s.as_str())
}

/// Something a chapter or a lesson cites.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Its key in `[@id]`.
    pub id: String,
    /// Who wrote or gave it.
    pub authors: String,
    /// Its title.
    pub title: String,
    /// Where it appeared (a conference, a site, a repository).
    #[serde(rename = "where")]
    pub venue: String,
    /// When (a year, or a date).
    pub date: String,
    /// Its address.
    pub url: String,
}

/// One row of the package compatibility table.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct PackageRow {
    /// Its name on PyPI.
    pub name: String,
    /// The module imported to check it.
    pub module: String,
    /// The version checked.
    pub version: String,
    /// Whether PyPI has a free-threaded wheel: `yes`, `no` or `pure`.
    pub ft_wheel: String,
    /// Whether it imports in a sub-interpreter: `yes`, `no`, `not installed`.
    pub subinterpreter: String,
    /// Why not, when not.
    #[serde(default)]
    pub detail: String,
}

/// The package compatibility table and how it was made.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Packages {
    /// The day of the check (UTC).
    pub checked: String,
    /// The interpreter the imports ran in.
    pub interpreter: String,
    /// The machine.
    pub machine: String,
    /// How each column was determined.
    pub method: String,
    /// The rows.
    pub packages: Vec<PackageRow>,
}

/// Everything under `content/` that is compiled in.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// The guide's chapters, in order.
    pub guide: Vec<Entry>,
    /// The tutorials' lessons, in order.
    pub tutorials: Vec<Entry>,
    /// What the content cites, in citation-number order.
    pub references: Vec<Reference>,
    /// The package table.
    pub packages: Packages,
}

impl Catalog {
    /// Read the four JSON files' texts.
    pub fn from_json(
        guide: &str,
        tutorials: &str,
        references: &str,
        packages: &str,
    ) -> Result<Catalog, String> {
        let guide: Vec<Entry> =
            serde_json::from_str(guide).map_err(|e| format!("content/guide.json: {e}"))?;
        let tutorials: Vec<Entry> =
            serde_json::from_str(tutorials).map_err(|e| format!("content/tutorials.json: {e}"))?;
        let references: Vec<Reference> = serde_json::from_str(references)
            .map_err(|e| format!("content/references.json: {e}"))?;
        let packages: Packages =
            serde_json::from_str(packages).map_err(|e| format!("content/packages.json: {e}"))?;
        Ok(Catalog {
            guide,
            tutorials,
            references,
            packages,
        })
    }

    /// The chapter called `slug`.
    pub fn chapter(&self, slug: &str) -> Option<(usize, &Entry)> {
        self.guide.iter().enumerate().find(|(_, e)| e.slug == slug)
    }

    /// The lesson called `slug`.
    pub fn lesson(&self, slug: &str) -> Option<(usize, &Entry)> {
        self.tutorials
            .iter()
            .enumerate()
            .find(|(_, e)| e.slug == slug)
    }

    /// The citation number of `id` (from 1), if it is a reference.
    pub fn cite_number(&self, id: &str) -> Option<usize> {
        self.references
            .iter()
            .position(|r| r.id == id)
            .map(|i| i + 1)
    }
}

/// The catalogue compiled into this build. A build whose JSON is malformed
/// gets the reason instead (the tests refuse such a build). The web app
/// compiles in only the two lists: the references and the package table
/// reach it inside the pages that show them (see [`build`]).
pub fn catalog() -> &'static Result<Catalog, String> {
    static CATALOG: OnceLock<Result<Catalog, String>> = OnceLock::new();
    #[cfg(not(target_arch = "wasm32"))]
    let (references, packages) = (
        include_str!("../../content/references.json"),
        include_str!("../../content/packages.json"),
    );
    #[cfg(target_arch = "wasm32")]
    let (references, packages) = (
        "[]",
        r#"{"checked": "", "interpreter": "", "machine": "", "method": "", "packages": []}"#,
    );
    CATALOG.get_or_init(|| {
        Catalog::from_json(
            include_str!("../../content/guide.json"),
            include_str!("../../content/tutorials.json"),
            references,
            packages,
        )
    })
}

/// Which list an entry belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// A chapter of the guide.
    Guide,
    /// A lesson of the tutorials.
    Tutorial,
}

impl Kind {
    /// The entry's folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Guide => "guide",
            Kind::Tutorial => "tutorials",
        }
    }
}

/// The path of an entry's Markdown in `lang`, relative to the repository.
pub fn path(kind: Kind, lang: Lang, e: &Entry) -> String {
    format!("content/{}/{}/{}", kind.folder(), lang.code(), e.file)
}

/// Where `content build` writes the site's files, relative to the site's
/// root (`pages/guide/ja/02-gil.json`); the lists are `pages/guide.json`
/// and `pages/tutorials.json`.
pub const PAGES: &str = "pages";

/// The path of an entry's parsed file in `lang`, relative to the site's root.
pub fn page_path(kind: Kind, lang: Lang, e: &Entry) -> String {
    let stem = e.file.strip_suffix(".md").unwrap_or(&e.file);
    format!("{PAGES}/{}/{}/{stem}.json", kind.folder(), lang.code())
}

/// What a lesson asks the learner to predict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Question {
    /// Which of the compared models finishes first.
    Fastest,
    /// The speedup of one model over sequential.
    Speedup(Model),
}

/// A part of a chapter or a lesson.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// Rendered Markdown.
    Html(String),
    /// A live simulation: a playground address's query, and a caption.
    Scenario {
        /// The view, as after `#/playground?`.
        query: String,
        /// One sentence under it.
        caption: String,
    },
    /// The execution models with start-up and exchange figures from the
    /// active profile for a Python version.
    ModelsTable {
        /// The version whose figures it shows.
        python: PythonVersion,
    },
    /// The reader's own numbers, every model ranked.
    Decide,
    /// The package compatibility table (its data, from
    /// `content/packages.json`).
    Packages(Packages),
    /// The bibliography (every reference, in citation-number order).
    References(Vec<Reference>),
    /// A question the learner answers before the scenario runs; the blocks
    /// after it up to the next question stay hidden until then.
    Predict {
        /// What is asked.
        question: Question,
        /// The view that answers it.
        query: String,
    },
    /// Checkable statements about a view's run.
    Claims {
        /// The view they are about.
        query: String,
        /// Each claim with the line it was written as.
        claims: Vec<(String, Claim)>,
    },
}

/// A parsed chapter or lesson.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    /// Its parts in order.
    pub blocks: Vec<Block>,
    /// Every link's destination.
    pub links: Vec<String>,
    /// Every cited reference id.
    pub cites: Vec<String>,
    /// The anchors of its headings (`#/guide/gil/convoy` scrolls to `convoy`).
    pub anchors: Vec<String>,
    /// What is wrong in it, each with its line.
    pub errors: Vec<String>,
}

/// Directive names a fenced code block may carry.
pub const DIRECTIVES: [&str; 7] = [
    "scenario",
    "models-table",
    "decide",
    "packages",
    "references",
    "predict",
    "claims",
];

/// The element id a heading anchor gets in the page (prefixed so that a
/// heading cannot collide with the app's own ids).
pub fn section_id(anchor: &str) -> String {
    format!("sec-{anchor}")
}

/// The element id of a reference's entry in the bibliography.
pub fn reference_id(id: &str) -> String {
    format!("ref-{id}")
}

#[cfg(not(target_arch = "wasm32"))]
fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

/// An anchor made from a heading's text: ASCII letters and digits, lowered,
/// runs of anything else as one hyphen. Empty for headings with no ASCII
/// (those need an explicit `{#id}`).
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

#[cfg(not(target_arch = "wasm32"))]
/// Split `key: value` lines; lines without a key go to `rest`.
fn fields(body: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut kv = Vec::new();
    let mut rest = Vec::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once(':') {
            Some((k, v))
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-') =>
            {
                kv.push((k.to_string(), v.trim().to_string()))
            }
            _ => rest.push(line.to_string()),
        }
    }
    (kv, rest)
}

#[cfg(not(target_arch = "wasm32"))]
fn check_query(query: &str, errors: &mut Vec<String>, at: &str) -> Option<ViewState> {
    if query.is_empty() {
        errors.push(format!("{at}: the directive needs a query"));
        return None;
    }
    let parsed = ViewState::from_query(query);
    if !parsed.notices.is_empty() {
        errors.push(format!(
            "{at}: the query {query:?} has problems: {}",
            parsed.notice_text(Lang::En).join("; ")
        ));
    }
    Some(parsed.state)
}

#[cfg(not(target_arch = "wasm32"))]
/// Turn one directive's body into its block.
fn directive(
    name: &str,
    body: &str,
    at: &str,
    cat: &Catalog,
    last_query: &mut Option<String>,
    errors: &mut Vec<String>,
) -> Option<Block> {
    let (kv, rest) = fields(body);
    let get = |k: &str| kv.iter().rev().find(|x| x.0 == k).map(|x| x.1.clone());
    let allowed: &[&str] = match name {
        "scenario" => &["query", "caption"],
        "models-table" => &["python"],
        "predict" => &["kind", "query", "model"],
        "claims" => &["query"],
        _ => &[],
    };
    for (k, _) in &kv {
        if !allowed.contains(&k.as_str()) {
            errors.push(format!("{at}: {name} has no key {k:?}"));
        }
    }
    if name != "claims" && !rest.is_empty() {
        errors.push(format!(
            "{at}: {name} takes `key: value` lines, not {:?}",
            rest[0]
        ));
    }
    match name {
        "scenario" => {
            let query = get("query").unwrap_or_default();
            check_query(&query, errors, at)?;
            Some(Block::Scenario {
                query,
                caption: get("caption").unwrap_or_default(),
            })
        }
        "models-table" => {
            let python = match get("python") {
                None => PythonVersion::DEFAULT,
                Some(v) => match v.parse() {
                    Ok(p) => p,
                    Err(e) => {
                        errors.push(format!("{at}: python: {e}"));
                        PythonVersion::DEFAULT
                    }
                },
            };
            Some(Block::ModelsTable { python })
        }
        "decide" => Some(Block::Decide),
        "packages" => Some(Block::Packages(cat.packages.clone())),
        "references" => Some(Block::References(cat.references.clone())),
        "predict" => {
            let query = get("query").unwrap_or_default();
            let state = check_query(&query, errors, at)?;
            let question = match get("kind").as_deref() {
                Some("fastest") => Question::Fastest,
                Some("speedup") => {
                    let m = get("model").unwrap_or_default();
                    match m.parse::<Model>() {
                        Ok(m) if state.models.iter().any(|x| x.0 == m) => Question::Speedup(m),
                        Ok(m) => {
                            errors.push(format!(
                                "{at}: the model {} is not among the query's models",
                                m.name()
                            ));
                            return None;
                        }
                        Err(e) => {
                            errors.push(format!("{at}: model: {e}"));
                            return None;
                        }
                    }
                }
                other => {
                    errors.push(format!(
                        "{at}: kind must be fastest or speedup, not {other:?}"
                    ));
                    return None;
                }
            };
            if question == Question::Fastest && state.models.len() < 2 {
                errors.push(format!(
                    "{at}: asking which model is fastest needs two models or more"
                ));
            }
            *last_query = Some(query.clone());
            Some(Block::Predict { question, query })
        }
        "claims" => {
            let Some(query) = get("query").or_else(|| last_query.clone()) else {
                errors.push(format!(
                    "{at}: claims need a query (or a predict block before them)"
                ));
                return None;
            };
            let state = check_query(&query, errors, at)?;
            let mut claims = Vec::new();
            for line in rest {
                match claims::parse(&line) {
                    Ok(c) => {
                        for m in c.models() {
                            if !state.models.iter().any(|x| x.0 == m) {
                                errors.push(format!(
                                    "{at}: {line:?} names {}, which the query does not compare",
                                    m.name()
                                ));
                            }
                        }
                        claims.push((line, c));
                    }
                    Err(e) => errors.push(format!("{at}: {line:?}: {e}")),
                }
            }
            if claims.is_empty() {
                errors.push(format!("{at}: a claims block with no claims"));
            }
            Some(Block::Claims { query, claims })
        }
        _ => None,
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// Replace `[@id]` in `text` with numbered citation links.
fn cite(text: &str, cat: &Catalog, doc: &mut Doc, at: &str, out: &mut Vec<Event<'static>>) {
    let mut rest = text;
    while let Some(i) = rest.find("[@") {
        let after = &rest[i + 2..];
        let Some(j) = after.find(']') else { break };
        let id = &after[..j];
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            out.push(Event::Text(CowStr::from(rest[..i + 2].to_string())));
            rest = after;
            continue;
        }
        out.push(Event::Text(CowStr::from(rest[..i].to_string())));
        match cat.cite_number(id) {
            Some(n) => {
                doc.cites.push(id.to_string());
                // A link event, so the HTML writer escapes the title.
                out.push(Event::InlineHtml(CowStr::from("<sup class=\"cite\">")));
                out.push(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::from(format!("#/guide/references/{id}")),
                    title: CowStr::from(cat.references[n - 1].title.clone()),
                    id: CowStr::from(""),
                }));
                out.push(Event::Text(CowStr::from(format!("[{n}]"))));
                out.push(Event::End(TagEnd::Link));
                out.push(Event::InlineHtml(CowStr::from("</sup>")));
            }
            None => {
                doc.errors
                    .push(format!("{at}: [@{id}] is not in content/references.json"));
                out.push(Event::Text(CowStr::from(format!("[@{id}]"))));
            }
        }
        rest = &after[j + 1..];
    }
    if !rest.is_empty() {
        out.push(Event::Text(CowStr::from(rest.to_string())));
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn flush(events: &mut Vec<Event<'static>>, blocks: &mut Vec<Block>) {
    if events.is_empty() {
        return;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.drain(..));
    if !html.trim().is_empty() {
        blocks.push(Block::Html(html));
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn owned(e: Event<'_>) -> Event<'static> {
    e.into_static()
}

#[cfg(not(target_arch = "wasm32"))]
/// Parse a chapter or a lesson (`name` is said in errors).
pub fn parse(src: &str, name: &str, cat: &Catalog) -> Doc {
    let mut doc = Doc::default();
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event<'static>> = Vec::new();
    let mut blocks = Vec::new();
    let mut last_query = None;
    // A directive being collected: its name, body and line.
    let mut directive_body: Option<(String, String, usize)> = None;
    // Text pieces waiting to be joined (pulldown-cmark splits text at
    // brackets, and a citation spans several pieces).
    let mut text = String::new();
    let mut text_at = 0usize;
    let mut in_code = false;
    // A heading being collected, so that it can get an anchor.
    let mut heading: Option<(Vec<Event<'static>>, String)> = None;
    for (ev, range) in Parser::new_ext(src, opts).into_offset_iter() {
        let at = format!("{name}:{}", line_of(src, range.start));
        if let Some((dname, body, line)) = &mut directive_body {
            match ev {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let here = format!("{name}:{line}");
                    let (dname, body) = (dname.clone(), body.clone());
                    directive_body = None;
                    flush(&mut events, &mut blocks);
                    if let Some(b) =
                        directive(&dname, &body, &here, cat, &mut last_query, &mut doc.errors)
                    {
                        blocks.push(b);
                    }
                }
                _ => {}
            }
            continue;
        }
        if !matches!(ev, Event::Text(_)) && !text.is_empty() {
            let t = std::mem::take(&mut text);
            let at_text = format!("{name}:{}", line_of(src, text_at));
            let target = match &mut heading {
                Some((h, plain)) => {
                    plain.push_str(&t);
                    h
                }
                None => &mut events,
            };
            if in_code {
                target.push(Event::Text(CowStr::from(t)));
            } else {
                cite(&t, cat, &mut doc, &at_text, target);
            }
        }
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if DIRECTIVES.contains(&info.trim()) =>
            {
                directive_body = Some((
                    info.trim().to_string(),
                    String::new(),
                    line_of(src, range.start),
                ));
            }
            Event::Start(Tag::CodeBlock(k)) => {
                in_code = true;
                events.push(owned(Event::Start(Tag::CodeBlock(k))));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(t) => {
                if text.is_empty() {
                    text_at = range.start;
                }
                text.push_str(&t);
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let start = Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                });
                heading = Some((vec![owned(start)], String::new()));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((mut h, plain)) = heading.take() {
                    h.push(Event::End(TagEnd::Heading(level)));
                    let (anchor, explicit) = match &h[0] {
                        Event::Start(Tag::Heading { id: Some(id), .. }) => (id.to_string(), true),
                        _ => (slugify(&plain), false),
                    };
                    if level != HeadingLevel::H1 && !anchor.is_empty() {
                        let mut anchor = anchor;
                        if doc.anchors.contains(&anchor) {
                            if explicit {
                                doc.errors.push(format!(
                                    "{at}: a second heading with the anchor {anchor:?}"
                                ));
                            } else {
                                // A repeated heading's text: number it, as
                                // most Markdown sites do.
                                let base = anchor.clone();
                                let mut n = 2;
                                while doc.anchors.contains(&anchor) {
                                    anchor = format!("{base}-{n}");
                                    n += 1;
                                }
                            }
                        }
                        doc.anchors.push(anchor.clone());
                        if let Event::Start(Tag::Heading { id, .. }) = &mut h[0] {
                            *id = Some(CowStr::from(section_id(&anchor)));
                        }
                    }
                    events.extend(h);
                }
            }
            other => {
                if let Event::Start(Tag::Link { dest_url, .. }) = &other {
                    doc.links.push(dest_url.to_string());
                }
                match &mut heading {
                    Some((h, plain)) => {
                        if let Event::Code(c) = &other {
                            plain.push_str(c);
                        }
                        h.push(owned(other));
                    }
                    None => events.push(owned(other)),
                }
            }
        }
    }
    flush(&mut events, &mut blocks);
    doc.blocks = blocks;
    doc
}

/// Parse every chapter and lesson under `root` (the repository) in every
/// language its list names, and write each as JSON to `out` (at
/// [`page_path`] below it), with the two lists beside them. What is wrong
/// in any file is returned, and nothing is written then.
#[cfg(not(target_arch = "wasm32"))]
pub fn build(root: &std::path::Path, out: &std::path::Path) -> Result<usize, Vec<String>> {
    use crate::i18n::LANGS;
    let cat = catalog().as_ref().map_err(|e| vec![e.clone()])?;
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (kind, list) in [(Kind::Guide, &cat.guide), (Kind::Tutorial, &cat.tutorials)] {
        for e in list {
            for lang in LANGS.into_iter().filter(|l| e.has(*l)) {
                let src = path(kind, lang, e);
                match std::fs::read_to_string(root.join(&src)) {
                    Ok(text) => {
                        let doc = parse(&text, &src, cat);
                        errors.extend(doc.errors.iter().cloned());
                        docs.push((page_path(kind, lang, e), doc));
                    }
                    Err(err) => errors.push(format!("{src}: {err}")),
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let write = |rel: &str, text: &str| -> Result<(), Vec<String>> {
        let target = out.join(rel.strip_prefix(&format!("{PAGES}/")).unwrap_or(rel));
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| vec![format!("{}: {e}", dir.display())])?;
        }
        std::fs::write(&target, text).map_err(|e| vec![format!("{}: {e}", target.display())])
    };
    for (rel, doc) in &docs {
        let json = serde_json::to_string(doc).map_err(|e| vec![e.to_string()])?;
        write(rel, &json)?;
    }
    for list in ["guide.json", "tutorials.json"] {
        let text = std::fs::read_to_string(root.join("content").join(list))
            .map_err(|e| vec![format!("content/{list}: {e}")])?;
        write(list, &text)?;
    }
    Ok(docs.len())
}

/// Where the blocks of a lesson are hidden until a question is answered:
/// for each block, the index of the `predict` block before it, if any.
pub fn gates(blocks: &[Block]) -> Vec<Option<usize>> {
    let mut gate = None;
    blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mine = gate;
            if matches!(b, Block::Predict { .. }) {
                gate = Some(i);
            }
            mine
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn cat() -> Catalog {
        Catalog::from_json(
            r#"[{"slug":"gil","file":"02-gil.md","languages":["en"],"title":{"en":"The GIL"},"summary":{"en":"Why."}}]"#,
            "[]",
            r#"[{"id":"pep-703","authors":"Sam Gross","title":"PEP 703","where":"PEPs","date":"2023","url":"https://peps.python.org/pep-0703/"}]"#,
            r#"{"checked":"2026-11-23","interpreter":"3.14","machine":"x","method":"m","packages":[]}"#,
        )
        .unwrap()
    }

    #[test]
    fn splits_text_and_directives() {
        let src = "## Start here\n\nSome *text* [@pep-703].\n\n```scenario\nquery: preset=cpu-bound&models=threads\ncaption: A run.\n```\n\n```python\nx = [@not-a-cite]\n```\n\n## Start here, again {#again}\n\n## Start here\n\n## Twice {#again}\n";
        let d = parse(src, "t.md", &cat());
        assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
        assert!(d.errors[0].contains("a second heading with the anchor \"again\""));
        assert_eq!(d.blocks.len(), 3);
        let Block::Html(h) = &d.blocks[0] else {
            panic!()
        };
        assert!(h.contains("<h2 id=\"sec-start-here\">"), "{h}");
        assert!(h.contains("href=\"#/guide/references/pep-703\""), "{h}");
        assert!(h.contains(">[1]</a>"), "{h}");
        assert_eq!(
            d.blocks[1],
            Block::Scenario {
                query: "preset=cpu-bound&models=threads".into(),
                caption: "A run.".into()
            }
        );
        let Block::Html(h) = &d.blocks[2] else {
            panic!()
        };
        assert!(h.contains("[@not-a-cite]"), "code is left alone: {h}");
        assert!(h.contains("id=\"sec-again\""), "{h}");
        assert_eq!(d.anchors, ["start-here", "again", "start-here-2", "again"]);
        assert_eq!(d.cites, ["pep-703"]);
    }

    #[test]
    fn reports_what_is_wrong_with_lines() {
        let src = "Text [@nobody].\n\n```scenario\nquery: cores=9999\nsize: big\n```\n\n```predict\nkind: guess\nquery: models=threads\n```\n\n```claims\nfastest = threads\nspeedup(processes) > 2\n```\n\n```scenario\n";
        let d = parse(src, "t.md", &cat());
        let all = d.errors.join("\n");
        assert!(all.contains("t.md:1: [@nobody]"), "{all}");
        assert!(
            all.contains("t.md:3: scenario has no key \"size\""),
            "{all}"
        );
        assert!(all.contains("t.md:3: the query"), "{all}");
        assert!(
            all.contains("t.md:8: kind must be fastest or speedup"),
            "{all}"
        );
        assert!(all.contains("t.md:13: claims need a query"), "{all}");
        // A block left open runs to the end of the file (CommonMark).
        assert!(
            all.contains("t.md:18: the directive needs a query"),
            "{all}"
        );
    }

    #[test]
    fn claims_take_the_previous_question_and_gates_hide_what_follows() {
        let src = "Intro.\n\n```predict\nkind: speedup\nmodel: threads\nquery: preset=cpu-bound&models=threads,interpreters\n```\n\nWhy.\n\n```claims\nspeedup(threads) < 1.2\nfastest = interpreters\n```\n";
        let d = parse(src, "t.md", &cat());
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(d.blocks.len(), 4);
        assert!(matches!(
            &d.blocks[1],
            Block::Predict {
                question: Question::Speedup(Model::Threads),
                ..
            }
        ));
        let Block::Claims { query, claims } = &d.blocks[3] else {
            panic!()
        };
        assert_eq!(query, "preset=cpu-bound&models=threads,interpreters");
        assert_eq!(claims.len(), 2);
        assert_eq!(gates(&d.blocks), [None, None, Some(1), Some(1)]);
    }

    #[test]
    fn a_claim_about_a_model_not_compared_is_refused() {
        let src = "```claims\nquery: models=threads,interpreters\nspeedup(processes) > 2\n```\n";
        let d = parse(src, "t.md", &cat());
        assert!(
            d.errors.iter().any(|e| e.contains("does not compare")),
            "{:?}",
            d.errors
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("The convoy effect"), "the-convoy-effect");
        assert_eq!(slugify("  3.14: what shipped?"), "3-14-what-shipped");
        assert_eq!(slugify("サブインタープリタ"), "");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for src in [
            "",
            "```",
            "```claims",
            "[@",
            "[@]",
            "[@a-b",
            "# \n## \n### {#}\n",
            "```predict\n\n```",
            "| a |\n|---|\n| [@x] |",
            "\u{0}\u{feff}```scenario\nquery: %ZZ\n```",
        ] {
            let _ = parse(src, "odd.md", &cat());
        }
    }
}
