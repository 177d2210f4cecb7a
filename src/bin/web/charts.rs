//! Charts drawn with plotters: speedup against workers for each model with
//! Amdahl's law for reference, for servers throughput and latency against
//! offered load, where the time went by cause, and memory. Each chart draws
//! through one function generic over the backend, so the canvas on the page
//! and the SVG a user saves are the same drawing; each has a table view.

use crate::dom::{context2d, dpr, model_colour, save_png, save_svg, use_media};
use parallel_universe::i18n::{mark, tr, trf, Lang};
use parallel_universe::model::Model;
use parallel_universe::predict::SweepOutcome;
use parallel_universe::view::run::ViewResult;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// A line chart: one line per model, and an optional dashed reference.
/// Its words are in `lang`.
#[derive(Clone, PartialEq)]
pub struct Lines {
    pub lang: Lang,
    pub title: &'static str,
    pub x_desc: &'static str,
    pub y_desc: &'static str,
    pub file: &'static str,
    /// Logarithmic x axis with labels at powers of two (worker counts).
    pub log2_x: bool,
    pub series: Vec<(String, Vec<(f64, f64)>)>,
    pub reference: Option<(String, Vec<(f64, f64)>)>,
    /// Digits in the table.
    pub digits: usize,
}

fn theme(dark: bool) -> (RGBColor, RGBColor) {
    if dark {
        (RGBColor(21, 22, 26), RGBColor(232, 232, 238))
    } else {
        (WHITE, RGBColor(27, 27, 31))
    }
}

fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    l: &Lines,
    scale: f64,
    dark: bool,
) -> Result<(), String> {
    let (bg, fg) = theme(dark);
    root.fill(&bg).map_err(|e| e.to_string())?;
    let all = || {
        l.series
            .iter()
            .flat_map(|(_, p)| p.iter())
            .chain(l.reference.iter().flat_map(|(_, p)| p.iter()))
    };
    let min_x = all().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let max_x = all().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let (min_x, max_x) = if min_x.is_finite() && max_x > min_x {
        (min_x, max_x)
    } else {
        (1.0, 2.0)
    };
    let max_y = all().map(|p| p.1).fold(0.0f64, f64::max).max(1e-9) * 1.1;
    let font = ("sans-serif", 13.0 * scale).into_font().color(&fg);
    let mut builder = ChartBuilder::on(root);
    builder
        .margin((10.0 * scale) as u32)
        .x_label_area_size((34.0 * scale) as u32)
        .y_label_area_size((50.0 * scale) as u32);
    // The two axis kinds are different types; draw through one closure.
    macro_rules! finish {
        ($chart:expr) => {{
            let mut chart = $chart.map_err(|e| e.to_string())?;
            let mut mesh = chart.configure_mesh();
            mesh.label_style(font.clone())
                .axis_style(fg)
                .light_line_style(fg.mix(0.08))
                .bold_line_style(fg.mix(0.18))
                .x_desc(l.x_desc)
                .y_desc(l.y_desc);
            let pow2 = |x: &f64| {
                let r = x.round();
                if (x - r).abs() < 1e-6 && r >= 1.0 && (r as u64).is_power_of_two() {
                    format!("{r:.0}")
                } else {
                    String::new()
                }
            };
            let whole = |x: &f64| format!("{x:.0}");
            if l.log2_x {
                mesh.x_label_formatter(&pow2);
            } else {
                mesh.x_label_formatter(&whole);
            }
            mesh.draw().map_err(|e| e.to_string())?;
            let w = (2.0 * scale).ceil() as u32;
            if let Some((name, pts)) = &l.reference {
                let dash = fg.mix(0.6);
                chart
                    .draw_series(DashedLineSeries::new(
                        pts.iter().copied(),
                        (5.0 * scale) as u32,
                        (4.0 * scale) as u32,
                        dash.stroke_width(scale.ceil() as u32),
                    ))
                    .map_err(|e| e.to_string())?
                    .label(name.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], dash));
            }
            for (i, (name, pts)) in l.series.iter().enumerate() {
                let (r, g, b) = model_colour(i);
                let c = RGBColor(r, g, b);
                chart
                    .draw_series(LineSeries::new(pts.iter().copied(), c.stroke_width(w)))
                    .map_err(|e| e.to_string())?
                    .label(name.as_str())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3))
                    });
                // Markers differ by model as well as colour.
                let size = (4.0 * scale) as i32;
                match i % 3 {
                    0 => chart.draw_series(pts.iter().map(|&p| Circle::new(p, size, c.filled()))),
                    1 => chart.draw_series(
                        pts.iter()
                            .map(|&p| TriangleMarker::new(p, size, c.filled())),
                    ),
                    _ => chart
                        .draw_series(pts.iter().map(|&p| Cross::new(p, size, c.stroke_width(2)))),
                }
                .map_err(|e| e.to_string())?;
            }
            chart
                .configure_series_labels()
                .label_font(font.clone())
                .background_style(bg.mix(0.85))
                .border_style(fg.mix(0.3))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()
                .map_err(|e| e.to_string())?;
        }};
    }
    if l.log2_x {
        finish!(builder.build_cartesian_2d((min_x..max_x).log_scale(), 0f64..max_y));
    } else {
        finish!(builder.build_cartesian_2d(min_x..max_x, 0f64..max_y));
    }
    root.present().map_err(|e| e.to_string())
}

/// Amdahl's law for the workload's serial part (the caller's own work per
/// task), capped at the core count.
pub fn amdahl(r: &ViewResult, cores: u32, n: f64) -> f64 {
    let (mut serial, mut total) = (0.0, 0.0);
    for g in &r.workload.groups {
        let (p, nat, _) = g.totals_ms();
        let k = g.expected_tasks();
        serial += g.parent_ms * k;
        total += (p + nat + g.parent_ms) * k;
    }
    let s = if total > 0.0 { serial / total } else { 0.0 };
    1.0 / (s + (1.0 - s) / n.min(cores as f64).max(1.0))
}

/// Speedup against workers, per model, with Amdahl's law.
pub fn speedup_lines(r: &ViewResult, cores: u32, lang: Lang) -> Lines {
    let mut series: Vec<(Model, Vec<(f64, f64)>)> = Vec::new();
    for p in &r.sweep {
        if let SweepOutcome::Ran { speedup, .. } = p.outcome {
            match series.iter_mut().find(|(m, _)| *m == p.model) {
                Some((_, pts)) => pts.push((p.workers as f64, speedup)),
                None => series.push((p.model, vec![(p.workers as f64, speedup)])),
            }
        }
    }
    let mut xs: Vec<f64> = r.sweep.iter().map(|p| p.workers as f64).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    Lines {
        lang,
        title: tr(lang, "Speedup against workers"),
        x_desc: tr(lang, "workers"),
        y_desc: tr(lang, "speedup over sequential"),
        file: "speedup",
        log2_x: true,
        series: series
            .into_iter()
            .map(|(m, p)| (m.name().to_string(), p))
            .collect(),
        reference: Some((
            tr(lang, "Amdahl's law (ideal)").into(),
            xs.iter().map(|&n| (n, amdahl(r, cores, n))).collect(),
        )),
        digits: 2,
    }
}

/// Latency percentiles the server chart can show.
pub const PERCENTILES: [u8; 3] = [50, 95, 99];

/// Servers: throughput, and latency at percentile `pct` (50, 95 or 99),
/// against offered load.
pub fn load_lines(r: &ViewResult, pct: u8, lang: Lang) -> Option<(Lines, Lines)> {
    if r.load.is_empty() {
        return None;
    }
    let mut models: Vec<Model> = Vec::new();
    for p in &r.load {
        if !models.contains(&p.model) {
            models.push(p.model);
        }
    }
    let per = |f: &dyn Fn(&parallel_universe::view::run::LoadPoint) -> f64| {
        models
            .iter()
            .map(|m| {
                (
                    m.name().to_string(),
                    r.load
                        .iter()
                        .filter(|p| p.model == *m)
                        .map(|p| (p.offered_per_s, f(p)))
                        .collect(),
                )
            })
            .collect::<Vec<(String, Vec<(f64, f64)>)>>()
    };
    let offered: Vec<(f64, f64)> = {
        let mut v: Vec<f64> = r.load.iter().map(|p| p.offered_per_s).collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v.into_iter().map(|x| (x, x)).collect()
    };
    Some((
        Lines {
            lang,
            title: tr(lang, "Throughput against offered load"),
            x_desc: tr(lang, "requests offered per second"),
            y_desc: tr(lang, "requests completed per second"),
            file: "throughput",
            log2_x: false,
            series: per(&|p| p.throughput_per_s),
            reference: Some((tr(lang, "keeping up").into(), offered)),
            digits: 0,
        },
        Lines {
            lang,
            title: tr(lang, "Latency against offered load"),
            x_desc: tr(lang, "requests offered per second"),
            y_desc: match pct {
                50 => tr(lang, "median latency (ms)"),
                95 => tr(lang, "p95 latency (ms)"),
                _ => tr(lang, "p99 latency (ms)"),
            },
            file: "latency",
            log2_x: false,
            series: per(&|p| match pct {
                50 => p.p50_ms,
                95 => p.p95_ms,
                _ => p.p99_ms,
            }),
            reference: None,
            digits: 1,
        },
    ))
}

/// A horizontal bar chart: one row per model, each a stack of segments.
/// Its words are in `lang`.
#[derive(Clone, PartialEq)]
pub struct Bars {
    pub lang: Lang,
    pub title: &'static str,
    pub axis: &'static str,
    pub file: &'static str,
    /// Series names and colours.
    pub series: Vec<(String, (u8, u8, u8))>,
    /// Row label and a value per series.
    pub rows: Vec<(String, Vec<f64>)>,
    /// Digits in the table.
    pub digits: usize,
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    b: &Bars,
    scale: f64,
    dark: bool,
) -> Result<(), String> {
    let (bg, fg) = theme(dark);
    root.fill(&bg).map_err(|e| e.to_string())?;
    // The legend gets its own column on the right.
    let (w, _) = root.dim_in_pixel();
    let legend_w = if b.series.len() > 1 {
        (150.0 * scale) as u32
    } else {
        0
    };
    let (plot, key) = root.split_horizontally(w.saturating_sub(legend_w));
    let n = b.rows.len().max(1);
    let max_x = b
        .rows
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>())
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.05;
    let font = ("sans-serif", 13.0 * scale).into_font().color(&fg);
    let labels: Vec<String> = b.rows.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(&plot)
        .margin((10.0 * scale) as u32)
        .x_label_area_size((34.0 * scale) as u32)
        .y_label_area_size((130.0 * scale) as u32)
        .build_cartesian_2d(0f64..max_x, 0f64..n as f64)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .label_style(font.clone())
        .axis_style(fg)
        .disable_y_mesh()
        .light_line_style(fg.mix(0.08))
        .bold_line_style(fg.mix(0.18))
        .x_desc(b.axis)
        .x_labels(6)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_labels(n * 2 + 1)
        .y_label_formatter(&|y| {
            let k = (y - 0.5).round();
            if (y - 0.5 - k).abs() < 1e-6 && k >= 0.0 {
                labels.get(k as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .draw()
        .map_err(|e| e.to_string())?;
    for (si, (name, (r, g, bl))) in b.series.iter().enumerate() {
        let c = RGBColor(*r, *g, *bl);
        let rects: Vec<Rectangle<(f64, f64)>> = b
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, (_, v))| {
                let x0: f64 = v[..si].iter().sum();
                let w = v.get(si).copied().unwrap_or(0.0);
                (w > 0.0).then(|| {
                    let y = i as f64;
                    Rectangle::new([(x0, y + 0.2), (x0 + w, y + 0.8)], c.filled())
                })
            })
            .collect();
        chart.draw_series(rects).map_err(|e| e.to_string())?;
        if legend_w > 0 {
            let y = ((12.0 + 18.0 * si as f64) * scale) as i32;
            let sz = (11.0 * scale) as i32;
            key.draw(&Rectangle::new([(4, y), (4 + sz, y + sz)], c.filled()))
                .map_err(|e| e.to_string())?;
            key.draw(&Text::new(
                name.clone(),
                (8 + sz, y - (1.0 * scale) as i32),
                font.clone(),
            ))
            .map_err(|e| e.to_string())?;
        }
    }
    root.present().map_err(|e| e.to_string())
}

/// Room for the bars and for the legend column (CSS pixels).
fn bars_height(b: &Bars) -> u32 {
    let rows = 60 + 34 * b.rows.len() as u32;
    let key = if b.series.len() > 1 {
        30 + 18 * b.series.len() as u32
    } else {
        0
    };
    rows.max(key).clamp(160, 460)
}

/// What a chart on the page needs: a title, a file name for exports, a
/// height for its width, a drawing on any plotters backend, a table view
/// and words for screen readers.
pub trait Chart: PartialEq + 'static {
    fn title(&self) -> &'static str;
    fn file(&self) -> &'static str;
    /// Height (CSS pixels) for a width.
    fn height(&self, width: f64) -> f64;
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: f64,
        dark: bool,
    ) -> Result<(), String>;
    fn table(&self) -> Html;
    fn label(&self) -> String;
}

impl Chart for Lines {
    fn title(&self) -> &'static str {
        self.title
    }
    fn file(&self) -> &'static str {
        self.file
    }
    fn height(&self, width: f64) -> f64 {
        (width * 0.55).clamp(220.0, 420.0)
    }
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: f64,
        dark: bool,
    ) -> Result<(), String> {
        draw_lines(root, self, scale, dark)
    }
    fn table(&self) -> Html {
        let mut xs: Vec<f64> = self
            .series
            .iter()
            .chain(self.reference.iter())
            .flat_map(|(_, p)| p.iter().map(|x| x.0))
            .collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let cell = |pts: &[(f64, f64)], x: f64| {
            pts.iter()
                .find(|p| p.0 == x)
                .map(|p| format!("{:.*}", self.digits, p.1))
                .unwrap_or_else(|| "-".into())
        };
        html! {
            <div class="scroll">
            <table>
                <caption>{trf(self.lang, "{} by {}", &[&self.y_desc, &self.x_desc])}</caption>
                <thead><tr><th scope="col">{""}</th>
                    { for xs.iter().map(|x| html!{ <th scope="col">{format!("{x:.0}")}</th> }) }</tr></thead>
                <tbody>
                    { for self.series.iter().chain(self.reference.iter()).map(|(name, pts)| html! {
                        <tr><th scope="row">{name.clone()}</th>
                        { for xs.iter().map(|x| html!{ <td>{cell(pts, *x)}</td> }) }</tr>
                    }) }
                </tbody>
            </table>
            </div>
        }
    }
    fn label(&self) -> String {
        trf(
            self.lang,
            "Line chart: {} against {}, one line per model; the table view lists the values",
            &[&self.y_desc, &self.x_desc],
        )
    }
}

impl Chart for Bars {
    fn title(&self) -> &'static str {
        self.title
    }
    fn file(&self) -> &'static str {
        self.file
    }
    fn height(&self, _width: f64) -> f64 {
        bars_height(self) as f64
    }
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        scale: f64,
        dark: bool,
    ) -> Result<(), String> {
        draw_bars(root, self, scale, dark)
    }
    fn table(&self) -> Html {
        html! {
            <table>
                <caption>{format!("{} ({})", self.title, self.axis)}</caption>
                <thead><tr><th scope="col">{tr(self.lang, "model")}</th>
                    { for self.series.iter().map(|(n, _)| html!{ <th scope="col">{n.clone()}</th> }) }</tr></thead>
                <tbody>
                { for self.rows.iter().map(|(label, v)| html! {
                    <tr><th scope="row">{label.clone()}</th>
                    { for v.iter().map(|x| html!{ <td>{format!("{x:.*}", self.digits)}</td> }) }</tr>
                }) }
                </tbody>
            </table>
        }
    }
    fn label(&self) -> String {
        trf(
            self.lang,
            "Bar chart: {}, one bar per model; the table view lists the values",
            &[&self.title],
        )
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct ChartProps<C: Chart> {
    pub chart: Rc<C>,
    /// Shown as a table rather than drawn.
    #[prop_or_default]
    pub table: bool,
    /// Asked to switch between chart and table.
    #[prop_or_default]
    pub on_table: Callback<()>,
}

/// A chart on a canvas, with a table view and PNG and SVG export.
#[function_component(ChartView)]
pub fn chart_view<C: Chart>(p: &ChartProps<C>) -> Html {
    let lang = crate::app::use_lang();
    let canvas = use_node_ref();
    let table = p.table;
    let dark = use_media("(prefers-color-scheme: dark)");
    {
        let (canvas, chart) = (canvas.clone(), p.chart.clone());
        // The chart is drawn once, as SVG (the same drawing the SVG export
        // saves), and painted onto the canvas at the screen's pixel density,
        // so one renderer serves the page, the PNG and the SVG.
        use_effect_with((chart, dark, table), move |(chart, dark, _)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let scale = dpr();
                let w = c.client_width().max(300) as f64;
                let h = chart.height(w);
                let mut text = String::new();
                {
                    let root = SVGBackend::with_string(&mut text, (w as u32, h as u32))
                        .into_drawing_area();
                    let _ = chart.draw(&root, 1.0, *dark);
                }
                c.set_width((w * scale) as u32);
                c.set_height((h * scale) as u32);
                paint_svg(&c, &text);
            }
        });
    }
    let png = {
        let (canvas, file) = (canvas.clone(), p.chart.file());
        Callback::from(move |_| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                save_png(&c, &format!("{file}.png"));
            }
        })
    };
    let svg = {
        let chart = p.chart.clone();
        Callback::from(move |_| {
            let mut text = String::new();
            {
                let size = (800, chart.height(800.0) as u32);
                let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
                let _ = chart.draw(&root, 1.0, false);
            }
            save_svg(&text, &format!("{}.svg", chart.file()));
        })
    };
    let toggle = p.on_table.reform(|_: MouseEvent| ());
    html! {
        <figure class="chart">
            <figcaption>{p.chart.title()}
                <span class="chart-actions">
                    <button onclick={toggle} aria-pressed={if table {"true"} else {"false"}}>{tr(lang, "Table")}</button>
                    <button onclick={png}>{"PNG"}</button>
                    <button onclick={svg}>{"SVG"}</button>
                </span>
            </figcaption>
            if table {
                {p.chart.table()}
            } else {
                <canvas ref={canvas} class="chart-canvas" role="img" aria-label={p.chart.label()} />
            }
        </figure>
    }
}

/// Paint an SVG document onto a canvas, filling it; marks
/// `pu-chart-drawn` once painted.
fn paint_svg(canvas: &HtmlCanvasElement, svg: &str) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(ctx) = context2d(canvas) else { return };
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let url = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(svg))
    );
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    let img2 = img.clone();
    let onload = Closure::once_into_js(move || {
        ctx.clear_rect(0.0, 0.0, w, h);
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img2, 0.0, 0.0, w, h);
        crate::dom::mark("pu-chart-drawn");
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}

/// The colour of a breakdown cause (the timeline's where they match).
fn cause_colour(c: &str) -> (u8, u8, u8) {
    match c {
        "python" => (0, 114, 178),
        "native" => (0, 158, 115),
        "gil_wait" => (230, 159, 0),
        "gil_handoff" => (213, 94, 0),
        "transfer" => (204, 121, 167),
        "startup" => (86, 180, 233),
        "dispatch" => (240, 228, 66),
        "os_switch" => (153, 153, 153),
        "io_wait" => (200, 200, 210),
        "clock" => (122, 122, 134),
        "ft_overhead" => (61, 143, 196),
        "contention" => (139, 79, 155),
        _ => (230, 230, 236),
    }
}

/// Words for the breakdown's causes (each its key with spaces for
/// underscores, in English).
const CAUSES: [(&str, &str); 13] = [
    ("python", mark("python")),
    ("native", mark("native")),
    ("ft_overhead", mark("ft overhead")),
    ("contention", mark("contention")),
    ("clock", mark("clock")),
    ("transfer", mark("transfer")),
    ("startup", mark("startup")),
    ("dispatch", mark("dispatch")),
    ("os_switch", mark("os switch")),
    ("gil_wait", mark("gil wait")),
    ("gil_handoff", mark("gil handoff")),
    ("io_wait", mark("io wait")),
    ("idle", mark("idle")),
];

/// The name of a breakdown cause in `lang` (an unknown key as it is, with
/// spaces for underscores).
fn cause_name(c: &str, lang: Lang) -> String {
    match CAUSES.iter().find(|x| x.0 == c) {
        Some(&(_, words)) => tr(lang, words).to_string(),
        None => c.replace('_', " "),
    }
}

/// Where the core time went, per model, as a share of cores x wall time.
pub fn breakdown_bars(r: &ViewResult, lang: Lang) -> Bars {
    let runs: Vec<_> = r
        .runs
        .iter()
        .filter_map(|x| x.outcome.as_ref().ok().map(|p| (x.model, p)))
        .collect();
    let mut causes: Vec<&'static str> = Vec::new();
    for (_, p) in &runs {
        for (k, v) in &p.breakdown {
            if *v > 0.0 && !causes.contains(k) {
                causes.push(k);
            }
        }
    }
    Bars {
        lang,
        title: tr(lang, "Where the core time went"),
        axis: tr(lang, "% of cores x wall time"),
        file: "breakdown",
        series: causes
            .iter()
            .map(|c| (cause_name(c, lang), cause_colour(c)))
            .collect(),
        rows: runs
            .iter()
            .map(|(m, p)| {
                let total: f64 = p.breakdown.values().sum::<f64>().max(1e-12);
                (
                    m.name().to_string(),
                    causes
                        .iter()
                        .map(|c| 100.0 * p.breakdown.get(c).copied().unwrap_or(0.0) / total)
                        .collect(),
                )
            })
            .collect(),
        digits: 1,
    }
}

/// Peak memory per model.
pub fn memory_bars(r: &ViewResult, lang: Lang) -> Bars {
    Bars {
        lang,
        title: tr(lang, "Peak memory"),
        axis: "MiB",
        file: "memory",
        series: vec![(tr(lang, "peak memory").into(), model_colour(0))],
        rows: r
            .runs
            .iter()
            .filter_map(|x| {
                x.outcome.as_ref().ok().map(|p| {
                    (
                        x.model.name().to_string(),
                        vec![p.peak_memory_bytes as f64 / 1_048_576.0],
                    )
                })
            })
            .collect(),
        digits: 1,
    }
}
