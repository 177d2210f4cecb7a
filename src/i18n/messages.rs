//! Japanese for messages the simulation core writes in English with
//! variable parts, and the command line prints as they are: why a model
//! cannot run a workload, the notes on a set-up, a view too large for the
//! page. The page passes them through [`localize`]. (The reasons a
//! workload or profile file is invalid are not here yet: they stay
//! English inside a translated sentence.)

use super::Lang;

/// Each English template (`{}` matches any text) with its Japanese, holes
/// filled in the same order.
static MESSAGES: &[(&str, &str)] = &[
    (
        "Python {} has no free-threaded build; free-threading arrived as an experimental build in 3.13t (PEP 703)",
        "Python {} にはフリースレッド版ビルドがありません。フリースレッドは 3.13t で実験的なビルドとして導入されました（PEP 703）",
    ),
    (
        "Python {} has no per-interpreter GIL: its sub-interpreters share one GIL (PEP 684 gave each its own in 3.12)",
        "Python {} にはインタープリタごとの GIL がなく、サブインタープリタは 1 つの GIL を共有します（インタープリタごとの GIL は 3.12 で PEP 684 により導入されました）",
    ),
    (
        "an extension this workload imports does not support sub-interpreters (it needs multi-phase init and per-interpreter state), so the import fails inside one",
        "このワークロードが import する拡張モジュールがサブインタープリタに対応していない（多段階初期化とインタープリタごとの状態が必要）ため、サブインタープリタの中では import に失敗します",
    ),
    (
        "too large to simulate in the page (more than {} events): use fewer tasks or longer steps",
        "大きすぎてページ内ではシミュレーションできません（{} イベント超）。タスクを減らすか、ステップを長くしてください",
    ),
    ("sub-interpreters through {}", "サブインタープリタは {} を使用"),
    (
        "an extension that is not free-threading-safe turned the GIL back on at import; the build's overhead remains",
        "フリースレッドに対応していない拡張モジュールが import 時に GIL を再び有効にしました。ビルドのオーバーヘッドは残ります",
    ),
    ("on {} threads run without a GIL", "{} ではスレッドが GIL なしで動きます"),
    (
        "start method {}, the Linux default on Python {}",
        "起動方式は {}（Python {} での Linux の既定）",
    ),
    (
        "one fresh worker per task: {} workers, each runs one task",
        "タスクごとに新しいワーカー: {} 個のワーカーがそれぞれ 1 タスクを実行",
    ),
];

/// The holes of `template` in `msg`, if `msg` has its shape.
fn holes<'a>(template: &str, msg: &'a str) -> Option<Vec<&'a str>> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let rest = msg.strip_prefix(pieces[0])?;
    if pieces.len() == 1 {
        return rest.is_empty().then(Vec::new);
    }
    let mut out = Vec::new();
    let mut rest = rest;
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        if i == pieces.len() - 1 {
            out.push(rest.strip_suffix(piece)?);
            return Some(out);
        }
        let at = if piece.is_empty() {
            0
        } else {
            rest.find(piece)?
        };
        out.push(&rest[..at]);
        rest = &rest[at + piece.len()..];
    }
    None
}

/// `msg` in `lang`: the Japanese of the template it matches, or `msg` as it
/// is (English, or a message no template covers).
pub fn localize(lang: Lang, msg: &str) -> String {
    if lang == Lang::En {
        return msg.to_string();
    }
    // A simulator error says what kind it is first.
    if let Some(rest) = msg.strip_prefix("unavailable: ") {
        return format!("利用不可: {}", localize(lang, rest));
    }
    for (en, ja) in MESSAGES {
        if let Some(parts) = holes(en, msg) {
            let mut out = String::new();
            let mut pieces = ja.split("{}");
            out.push_str(pieces.next().unwrap_or(""));
            for (part, piece) in parts.iter().zip(pieces) {
                out.push_str(part);
                out.push_str(piece);
            }
            return out;
        }
    }
    msg.to_string()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::predict::predict;
    use crate::presets;
    use crate::profile::Profile;
    use crate::sim::Scenario;

    fn reason(
        model: Model,
        python: &str,
        preset: &str,
        edit: impl Fn(&mut crate::workload::Workload),
    ) -> String {
        let mut w = presets::get(preset).unwrap().workload();
        edit(&mut w);
        let mut s = Scenario::new(model);
        s.python = python.parse().unwrap();
        match predict(&s, &w, &Profile::shipped()) {
            Ok(p) => p.notes.join("\n"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_core_messages_have_japanese() {
        let cases = [
            reason(Model::Interpreters, "3.11", "cpu-bound", |_| {}),
            reason(Model::FreeThreading, "3.12", "cpu-bound", |_| {}),
            reason(Model::Interpreters, "3.14", "cpu-bound", |w| {
                w.extensions.subinterpreter_safe = false
            }),
            reason(Model::Processes, "3.14", "cpu-bound", |_| {}),
            reason(Model::Interpreters, "3.14", "cpu-bound", |_| {}),
            reason(Model::FreeThreading, "3.14t", "cpu-bound", |w| {
                w.extensions.free_threading_safe = false
            }),
            reason(Model::Threads, "3.14t", "cpu-bound", |_| {}),
        ];
        for msg in cases {
            for line in msg.lines() {
                let ja = localize(Lang::Ja, line);
                assert_ne!(ja, line, "no Japanese for {line:?}");
                assert!(!ja.contains("{}"), "{ja}");
            }
        }
    }

    #[test]
    fn holes_are_filled_in_order_and_others_pass_through() {
        assert_eq!(
            localize(
                Lang::Ja,
                "start method spawn, the Linux default on Python 3.14"
            ),
            "起動方式は spawn（Python 3.14 での Linux の既定）"
        );
        assert_eq!(localize(Lang::Ja, "something else"), "something else");
        assert_eq!(
            localize(Lang::En, "on 3.14t threads run without a GIL"),
            "on 3.14t threads run without a GIL"
        );
        assert_eq!(holes("a{}b{}c", "aXbYc"), Some(vec!["X", "Y"]));
        assert_eq!(holes("a{}b", "aXc"), None);
    }
}
