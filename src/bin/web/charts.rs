//! Charts drawn with plotters: speedup against workers for each model with
//! Amdahl's law for reference, and where the time went by cause. Each chart
//! draws through one function generic over the backend, so the canvas on the
//! page and the SVG a user saves are the same drawing; each has a table view.

use crate::dom::{context2d, dpr, model_colour, save_png, save_svg, use_media};
use parallel_universe::model::Model;
use parallel_universe::predict::SweepOutcome;
use parallel_universe::view::run::ViewResult;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// The speedup curves: (model, [(workers, speedup)]).
pub type Curves = Vec<(Model, Vec<(f64, f64)>)>;

pub fn curves(r: &ViewResult) -> Curves {
    let mut out: Curves = Vec::new();
    for p in &r.sweep {
        if let SweepOutcome::Ran { speedup, .. } = p.outcome {
            match out.iter_mut().find(|(m, _)| *m == p.model) {
                Some((_, pts)) => pts.push((p.workers as f64, speedup)),
                None => out.push((p.model, vec![(p.workers as f64, speedup)])),
            }
        }
    }
    out
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

fn draw_speedup<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curves: &Curves,
    reference: &[(f64, f64)],
    scale: f64,
    dark: bool,
) -> Result<(), String> {
    let (bg, fg) = if dark {
        (RGBColor(21, 22, 26), RGBColor(232, 232, 238))
    } else {
        (WHITE, RGBColor(27, 27, 31))
    };
    root.fill(&bg).map_err(|e| e.to_string())?;
    let max_x = curves
        .iter()
        .flat_map(|(_, p)| p.iter().map(|x| x.0))
        .fold(2.0f64, f64::max);
    let max_y = curves
        .iter()
        .flat_map(|(_, p)| p.iter().map(|x| x.1))
        .chain(reference.iter().map(|x| x.1))
        .fold(1.0f64, f64::max)
        * 1.1;
    let font = ("sans-serif", 13.0 * scale).into_font().color(&fg);
    let mut chart = ChartBuilder::on(root)
        .margin((10.0 * scale) as u32)
        .x_label_area_size((34.0 * scale) as u32)
        .y_label_area_size((44.0 * scale) as u32)
        .build_cartesian_2d((1f64..max_x).log_scale(), 0f64..max_y)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .label_style(font.clone())
        .axis_style(fg)
        .light_line_style(fg.mix(0.08))
        .bold_line_style(fg.mix(0.18))
        .x_desc("workers")
        .y_desc("speedup over sequential")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .draw()
        .map_err(|e| e.to_string())?;
    let dash = fg.mix(0.6);
    chart
        .draw_series(DashedLineSeries::new(
            reference.iter().copied(),
            (5.0 * scale) as u32,
            (4.0 * scale) as u32,
            dash.stroke_width(scale.ceil() as u32),
        ))
        .map_err(|e| e.to_string())?
        .label("Amdahl's law (ideal)")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], dash));
    for (i, (m, pts)) in curves.iter().enumerate() {
        let (r, g, b) = model_colour(i);
        let c = RGBColor(r, g, b);
        let w = (2.0 * scale).ceil() as u32;
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), c.stroke_width(w)))
            .map_err(|e| e.to_string())?
            .label(m.name())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(3)));
        // Markers differ by model as well as colour.
        let size = (4.0 * scale) as i32;
        match i % 3 {
            0 => chart.draw_series(pts.iter().map(|&p| Circle::new(p, size, c.filled()))),
            1 => chart.draw_series(
                pts.iter()
                    .map(|&p| TriangleMarker::new(p, size, c.filled())),
            ),
            _ => chart.draw_series(pts.iter().map(|&p| Cross::new(p, size, c.stroke_width(2)))),
        }
        .map_err(|e| e.to_string())?;
    }
    chart
        .configure_series_labels()
        .label_font(font)
        .background_style(bg.mix(0.85))
        .border_style(fg.mix(0.3))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

#[derive(Properties, Clone)]
pub struct SpeedupProps {
    pub result: Rc<ViewResult>,
    pub cores: u32,
}

impl PartialEq for SpeedupProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.result, &o.result) && self.cores == o.cores
    }
}

/// Speedup against workers, with a table view and PNG and SVG export.
#[function_component(SpeedupChart)]
pub fn speedup_chart(p: &SpeedupProps) -> Html {
    let canvas = use_node_ref();
    let table = use_state(|| false);
    let dark = use_media("(prefers-color-scheme: dark)");
    let curves = Rc::new(curves(&p.result));
    let reference: Rc<Vec<(f64, f64)>> = Rc::new(
        curves
            .iter()
            .flat_map(|(_, pts)| pts.iter().map(|x| x.0))
            .fold(Vec::<f64>::new(), |mut v, x| {
                if !v.contains(&x) {
                    v.push(x);
                }
                v
            })
            .into_iter()
            .map(|n| (n, amdahl(&p.result, p.cores, n)))
            .collect(),
    );
    {
        let (canvas, curves, reference) = (canvas.clone(), curves.clone(), reference.clone());
        use_effect_with(
            (
                p.result.as_ref() as *const ViewResult as usize,
                dark,
                *table,
            ),
            move |_| {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    let scale = dpr();
                    let w = c.client_width().max(300) as f64;
                    let h = (w * 0.55).clamp(220.0, 420.0);
                    c.set_width((w * scale) as u32);
                    c.set_height((h * scale) as u32);
                    if context2d(&c).is_some() {
                        if let Some(b) = CanvasBackend::with_canvas_object(c) {
                            let _ = draw_speedup(
                                &b.into_drawing_area(),
                                &curves,
                                &reference,
                                scale,
                                dark,
                            );
                            crate::dom::mark("pu-chart-drawn");
                        }
                    }
                }
            },
        );
    }
    let png = {
        let canvas = canvas.clone();
        Callback::from(move |_| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                save_png(&c, "speedup.png");
            }
        })
    };
    let svg = {
        let (curves, reference) = (curves.clone(), reference.clone());
        Callback::from(move |_| {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, (800, 440)).into_drawing_area();
                let _ = draw_speedup(&root, &curves, &reference, 1.0, false);
            }
            save_svg(&text, "speedup.svg");
        })
    };
    let toggle = {
        let table = table.clone();
        Callback::from(move |_| table.set(!*table))
    };
    let workers: Vec<f64> = reference.iter().map(|x| x.0).collect();
    html! {
        <figure class="chart">
            <figcaption>{"Speedup against workers"}
                <span class="chart-actions">
                    <button onclick={toggle} aria-pressed={if *table {"true"} else {"false"}}>{"Table"}</button>
                    <button onclick={png}>{"PNG"}</button>
                    <button onclick={svg}>{"SVG"}</button>
                </span>
            </figcaption>
            if *table {
                <table>
                    <caption>{"Speedup over sequential, by workers"}</caption>
                    <thead><tr><th scope="col">{"model"}</th>
                        { for workers.iter().map(|w| html!{ <th scope="col">{format!("{w:.0}")}</th> }) }</tr></thead>
                    <tbody>
                        { for curves.iter().map(|(m, pts)| html! {
                            <tr><th scope="row">{m.name()}</th>
                            { for workers.iter().map(|w| {
                                let v = pts.iter().find(|x| x.0 == *w).map(|x| format!("{:.2}", x.1)).unwrap_or_else(|| "-".into());
                                html!{ <td>{v}</td> }
                            }) }</tr>
                        }) }
                        <tr><th scope="row">{"Amdahl's law"}</th>
                            { for reference.iter().map(|x| html!{ <td>{format!("{:.2}", x.1)}</td> }) }</tr>
                    </tbody>
                </table>
            } else {
                <canvas ref={canvas} class="chart-canvas" role="img"
                    aria-label="Line chart of speedup over sequential against the number of workers, one line per model" />
            }
        </figure>
    }
}

#[derive(Properties, Clone)]
pub struct BreakdownProps {
    pub result: Rc<ViewResult>,
}

impl PartialEq for BreakdownProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.result, &o.result)
    }
}

/// Where the time went, per model: stacked bars in HTML (readable by screen
/// readers as they are), with a table view.
#[function_component(Breakdown)]
pub fn breakdown(p: &BreakdownProps) -> Html {
    let table = use_state(|| false);
    let runs: Vec<_> = p
        .result
        .runs
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|x| (r.model, x)))
        .collect();
    let causes: Vec<&'static str> = runs
        .iter()
        .flat_map(|(_, x)| {
            x.breakdown
                .iter()
                .filter(|(_, v)| **v > 0.0)
                .map(|(k, _)| *k)
        })
        .fold(Vec::new(), |mut v, k| {
            if !v.contains(&k) {
                v.push(k);
            }
            v
        });
    let toggle = {
        let table = table.clone();
        Callback::from(move |_| table.set(!*table))
    };
    html! {
        <figure class="chart">
            <figcaption>{"Where the core time went"}
                <span class="chart-actions">
                    <button onclick={toggle} aria-pressed={if *table {"true"} else {"false"}}>{"Table"}</button>
                </span>
            </figcaption>
            if *table {
                <table>
                    <caption>{"Core-seconds by cause"}</caption>
                    <thead><tr><th scope="col">{"model"}</th>
                        { for causes.iter().map(|c| html!{ <th scope="col">{c.replace('_', " ")}</th> }) }</tr></thead>
                    <tbody>
                    { for runs.iter().map(|(m, x)| html! {
                        <tr><th scope="row">{m.name()}</th>
                        { for causes.iter().map(|c| html!{ <td>{format!("{:.3}", x.breakdown.get(c).copied().unwrap_or(0.0))}</td> }) }</tr>
                    }) }
                    </tbody>
                </table>
            } else {
                <div class="bars">
                { for runs.iter().map(|(m, x)| {
                    let total: f64 = x.breakdown.values().sum::<f64>().max(1e-12);
                    html! {
                        <div class="bar-row">
                            <span class="bar-label">{m.name()}</span>
                            <span class="bar" role="img" aria-label={format!("{}: {}", m.name(),
                                causes.iter().map(|c| format!("{} {:.0}%", c.replace('_', " "), 100.0 * x.breakdown.get(c).copied().unwrap_or(0.0) / total)).collect::<Vec<_>>().join(", "))}>
                            { for causes.iter().map(|c| {
                                let f = 100.0 * x.breakdown.get(c).copied().unwrap_or(0.0) / total;
                                html!{ <span class={classes!("seg", format!("c-{c}"))} style={format!("width:{f:.2}%")}
                                    title={format!("{}: {f:.1}%", c.replace('_', " "))}></span> }
                            }) }
                            </span>
                        </div>
                    }
                }) }
                <ul class="legend">
                    { for causes.iter().map(|c| html!{ <li><span class={classes!("swatch", format!("c-{c}"))}></span>{c.replace('_', " ")}</li> }) }
                </ul>
                </div>
            }
        </figure>
    }
}
