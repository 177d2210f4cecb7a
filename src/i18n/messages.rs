//! Japanese for messages the simulation core writes in English with
//! variable parts, and the command line prints as they are: why a model
//! cannot run a workload, the notes on a set-up, a view too large for the
//! page, and why a workload or profile document, or a scenario, is
//! invalid. The page passes them through [`localize`].
//!
//! Many messages are composed: a field path and a reason
//! (`groups[0].steps[1].python_ms: must be at least 0 (got -1)`), a
//! sentence around another message (`the profile is not valid JSON: ...`).
//! After a template matches, each of its holes is localized in turn, and a
//! message no template covers that reads `PATH: REASON` keeps its path and
//! has its reason localized.

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
    // Documents: as a whole (src/json.rs).
    (
        "the workload is {} bytes; the limit is {}",
        "ワークロードが {} バイトあります。上限は {} バイトです",
    ),
    (
        "the profile is {} bytes; the limit is {}",
        "プロファイルが {} バイトあります。上限は {} バイトです",
    ),
    (
        "the workload is not valid JSON: {}",
        "ワークロードが正しい JSON ではありません: {}",
    ),
    (
        "the profile is not valid JSON: {}",
        "プロファイルが正しい JSON ではありません: {}",
    ),
    // Why the JSON syntax broke (serde_json's words, before " at line ...").
    ("EOF while parsing a list", "配列の途中で終わっています"),
    ("EOF while parsing an object", "オブジェクトの途中で終わっています"),
    ("EOF while parsing a string", "文字列の途中で終わっています"),
    ("EOF while parsing a value", "値の途中で終わっています"),
    ("expected `:`", "`:` が必要です"),
    ("expected `,` or `]`", "`,` か `]` が必要です"),
    ("expected `,` or `}`", "`,` か `}` が必要です"),
    ("expected ident", "true・false・null のいずれかが必要です"),
    ("expected value", "値が必要です"),
    ("expected `\"`", "`\"` が必要です"),
    ("invalid escape", "不正なエスケープです"),
    ("invalid number", "不正な数値です"),
    ("number out of range", "数値が範囲外です"),
    ("invalid unicode code point", "不正な Unicode コードポイントです"),
    (
        "control character (\\u0000-\\u001F) found while parsing a string",
        "文字列の中に制御文字（\\u0000-\\u001F）があります",
    ),
    ("key must be a string", "キーは文字列でなければなりません"),
    (
        "lone leading surrogate in hex escape",
        "16 進エスケープに対になっていない上位サロゲートがあります",
    ),
    ("trailing comma", "末尾に余分なカンマがあります"),
    ("trailing characters", "末尾に余分な文字があります"),
    (
        "unexpected end of hex escape",
        "16 進エスケープが途中で終わっています",
    ),
    ("recursion limit exceeded", "入れ子が深すぎます"),
    // A value of the wrong type or out of range (src/json.rs).
    ("a boolean", "真偽値"),
    ("a number", "数値"),
    ("a string", "文字列"),
    ("an array", "配列"),
    ("an object", "オブジェクト"),
    (
        "expected an object, found {}",
        "オブジェクトが必要ですが、{} です",
    ),
    ("expected a string, found {}", "文字列が必要ですが、{} です"),
    (
        "expected true or false, found {}",
        "true か false が必要ですが、{} です",
    ),
    ("expected an array, found {}", "配列が必要ですが、{} です"),
    ("expected a number, found {}", "数値が必要ですが、{} です"),
    ("expected a whole number, found {}", "整数が必要ですが、{} です"),
    ("must be at most {} characters long", "{} 文字以内でなければなりません"),
    (
        "has {} items; at most {} are allowed",
        "{} 個の項目があります。上限は {} 個です",
    ),
    (
        "unknown field; expected one of: {}",
        "不明なフィールドです。使えるのは次のいずれかです: {}",
    ),
    ("is not a representable number", "表現できない数値です"),
    ("must be a finite number", "有限の数値でなければなりません"),
    (
        "must be at least {} (got {})",
        "{} 以上でなければなりません（{} でした）",
    ),
    (
        "must be at most {} (got {})",
        "{} 以下でなければなりません（{} でした）",
    ),
    (
        "must be a whole number (got {})",
        "整数でなければなりません（{} でした）",
    ),
    ("is required", "必須です"),
    ("must be greater than 0", "0 より大きくなければなりません"),
    // The workload (src/workload.rs).
    (
        "must be \"workers\" or \"caller\" (got {})",
        "\"workers\" か \"caller\" でなければなりません（{} でした）",
    ),
    (
        "must be \"io\" or \"sleep\" (got {})",
        "\"io\" か \"sleep\" でなければなりません（{} でした）",
    ),
    (
        "cannot be given beside \"groups\": put it inside each group",
        "\"groups\" と並べては指定できません。各グループの中に書いてください",
    ),
    ("must hold at least one group", "グループが 1 つ以上必要です"),
    (
        "applies to servers (arrivals); a batch's tasks always come from its caller",
        "サーバー（arrivals）にだけ指定できます。バッチのタスクは常に呼び出し元から渡されます",
    ),
    (
        "mixes batch groups (tasks) with server groups (arrivals); use one kind",
        "バッチのグループ（tasks）とサーバーのグループ（arrivals）が混在しています。どちらか一方にしてください",
    ),
    (
        "the workload runs about {} steps in all; the limit is {}",
        "ワークロード全体で約 {} ステップを実行します。上限は {} です",
    ),
    (
        "give either \"tasks\" or \"arrivals\", not both",
        "\"tasks\" と \"arrivals\" はどちらか一方だけを指定してください",
    ),
    (
        "needs \"tasks\" (a batch) or \"arrivals\": {\"rate_per_s\": ..., \"duration_s\": ...} (a server)",
        "\"tasks\"（バッチ）か \"arrivals\": {\"rate_per_s\": ..., \"duration_s\": ...}（サーバー）が必要です",
    ),
    (
        "expects {} arrivals (rate_per_s x duration_s); the limit is {}",
        "到着数が {} になります（rate_per_s x duration_s）。上限は {} です",
    ),
    ("must hold at least one step", "ステップが 1 つ以上必要です"),
    (
        "is required: a list of {\"python_ms\"|\"native_ms\"|\"io_ms\": ms}",
        "必須です: {\"python_ms\"|\"native_ms\"|\"io_ms\": ms} のリスト",
    ),
    (
        "a step holds exactly one of python_ms, native_ms, io_ms",
        "1 つのステップには python_ms、native_ms、io_ms のうちちょうど 1 つを指定します",
    ),
    (
        "a task would run {} steps; the limit is {}",
        "1 タスクが {} ステップを実行することになります。上限は {} です",
    ),
    (
        "must be \"objects\", \"numbers\" or \"bytes\" (got {})",
        "\"objects\"・\"numbers\"・\"bytes\" のいずれかでなければなりません（{} でした）",
    ),
    (
        "applies to batch groups (a server's requests arrive without a caller)",
        "バッチのグループにだけ指定できます（サーバーのリクエストは呼び出し元なしで届きます）",
    ),
    // The page's workload edits (src/view/mod.rs).
    (
        "this preset is a server; set its rate instead",
        "このプリセットはサーバーです。代わりに到着レートを設定してください",
    ),
    (
        "this preset is a batch; set its tasks instead",
        "このプリセットはバッチです。代わりにタスク数を設定してください",
    ),
    // The profile (src/profile.rs, src/python.rs).
    (
        "is {}; this program reads {}",
        "{} です。このプログラムが読めるのは {} です",
    ),
    ("is required ({})", "必須です（{}）"),
    (
        "is required: a list of parameter entries",
        "必須です: パラメータの項目のリスト",
    ),
    ("repeats {} for Python {}", "{} の Python {} 向けの項目が重複しています"),
    (
        "unknown parameter {}; known: {}",
        "不明なパラメータ {} です。使えるのは次のいずれかです: {}",
    ),
    (
        "{} is not a unit of {}; use one of {}",
        "{} は {} の単位ではありません。次のいずれかを使ってください: {}",
    ),
    (
        "is required: measured, published, estimate or unavailable",
        "必須です: measured・published・estimate・unavailable のいずれか",
    ),
    (
        "must be absent when the provenance is unavailable",
        "provenance が unavailable のときは指定できません",
    ),
    (
        "{} is outside the accepted range {} to {}",
        "{} は許容範囲外です（{}〜{}）",
    ),
    (
        "is {}; expected measured, published, estimate or unavailable",
        "{} です。measured・published・estimate・unavailable のいずれかにしてください",
    ),
    (
        "unknown Python version {}: expected one of {}",
        "不明な Python バージョン {} です。次のいずれかにしてください: {}",
    ),
    (
        "the profile has no value for {} on Python {}",
        "プロファイルには {} の Python {} 向けの値がありません",
    ),
    ("bad unit for {}", "{} の単位が正しくありません"),
    // The scenario (src/sim/mod.rs).
    (
        "cores must be between 1 and {} (got {})",
        "コア数は 1〜{} でなければなりません（{} でした）",
    ),
    (
        "workers must be between 1 and {} (got {})",
        "ワーカー数は 1〜{} でなければなりません（{} でした）",
    ),
    (
        "threads per worker must be between 1 and {} (got {})",
        "ワーカーあたりのスレッド数は 1〜{} でなければなりません（{} でした）",
    ),
    (
        "workers x threads per worker must be at most 4096",
        "ワーカー数 × ワーカーあたりのスレッド数は 4096 以下でなければなりません",
    ),
    (
        "one worker per task applies to threads, processes, interpreters and free-threading, not to the hybrid models",
        "タスクごとのワーカー起動は threads・processes・interpreters・free-threading で使えます。ハイブリッドモデルでは使えません",
    ),
    (
        "one worker per task applies to batch workloads",
        "タスクごとのワーカー起動はバッチのワークロードでだけ使えます",
    ),
    (
        "one worker per task would start {} workers; the limit is {}",
        "タスクごとにワーカーを起動すると {} 個になります。上限は {} です",
    ),
    (
        "the simulation needs more than {} events; use fewer tasks, fewer workers per core, longer steps or a longer switch interval",
        "シミュレーションに {} を超えるイベントが必要です。タスクを減らすか、コアあたりのワーカーを減らすか、ステップを長くするか、切り替え間隔を長くしてください",
    ),

    ("internal simulator error: {}", "シミュレーターの内部エラー: {}"),
    // Where serde_json's syntax error is; last, as its first hole takes
    // any text.
    ("{} at line {} column {}", "{}（{} 行 {} 列）"),
];

/// How deeply the holes of a message are localized in turn.
const MAX_DEPTH: usize = 8;

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

/// `msg` in `lang`: the Japanese of the template it matches, with each
/// hole localized in turn, or `msg` as it is (English, or a message no
/// template covers). A `PATH: REASON` message no template covers keeps its
/// path and has its reason localized.
pub fn localize(lang: Lang, msg: &str) -> String {
    if lang == Lang::En {
        return msg.to_string();
    }
    localize_ja(msg, 0)
}

/// Whether `c` is Japanese text or punctuation.
fn is_japanese(c: char) -> bool {
    c >= '\u{3000}'
}

fn localize_ja(msg: &str, depth: usize) -> String {
    // A part equal to the whole message would match the same way again.
    let inner = |part: &str| {
        if depth + 1 >= MAX_DEPTH || part.is_empty() || part == msg {
            part.to_string()
        } else {
            localize_ja(part, depth + 1)
        }
    };
    for (en, ja) in MESSAGES {
        if let Some(parts) = holes(en, msg) {
            let mut out = String::new();
            let mut pieces = ja.split("{}");
            out.push_str(pieces.next().unwrap_or(""));
            for (part, piece) in parts.iter().zip(pieces) {
                let part = inner(part);
                // The space the template keeps around a value goes between
                // two Japanese words ("配列です", not "配列 です").
                if part.starts_with(is_japanese) && out.ends_with(' ') {
                    let before = out[..out.len() - 1].chars().last();
                    if before.is_some_and(is_japanese) {
                        out.pop();
                    }
                }
                let piece = match piece.strip_prefix(' ') {
                    Some(rest) if part.ends_with(is_japanese) && rest.starts_with(is_japanese) => {
                        rest
                    }
                    _ => piece,
                };
                out.push_str(&part);
                out.push_str(piece);
            }
            return out;
        }
    }
    // A field path and what is wrong there: the path stays as it is.
    if let Some((path, reason)) = msg.split_once(": ") {
        return format!("{path}: {}", inner(reason));
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
            Err(e) => crate::view::run::reason(e),
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

    #[test]
    fn every_template_has_as_many_holes_in_japanese() {
        for (en, ja) in MESSAGES {
            assert_eq!(en.matches("{}").count(), ja.matches("{}").count(), "{en}");
        }
    }

    #[test]
    fn composed_messages_are_localized_part_by_part() {
        assert_eq!(
            localize(
                Lang::Ja,
                "groups[0].steps[1].python_ms: must be at least 0 (got -1)"
            ),
            "groups[0].steps[1].python_ms: 0 以上でなければなりません（-1 でした）"
        );
        assert_eq!(
            localize(
                Lang::Ja,
                "the profile is not valid JSON: EOF while parsing an object at line 1 column 1"
            ),
            "プロファイルが正しい JSON ではありません: オブジェクトの途中で終わっています（1 行 1 列）"
        );
        assert_eq!(
            localize(Lang::Ja, "extensions: expected an object, found an array"),
            "extensions: オブジェクトが必要ですが、配列です"
        );
        // A path and a reason no template covers stay as they are.
        assert_eq!(localize(Lang::Ja, "a.b: whatever"), "a.b: whatever");
        // Nesting deeper than the cap ends, leaving the innermost part.
        let deep = format!("{}is required", "a: ".repeat(50));
        let ja = localize(Lang::Ja, &deep);
        assert!(
            ja.starts_with("a: a: ") && ja.ends_with("is required"),
            "{ja}"
        );
        assert_eq!(localize(Lang::Ja, "a: is required"), "a: 必須です");
    }

    /// Whether `s` holds hiragana, katakana or kanji.
    fn has_japanese(s: &str) -> bool {
        s.chars()
            .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
    }

    /// A run of four or more lowercase English words in a row outside
    /// quotes and backticks, if `s` has one (field names, with their
    /// underscores, and lists, with their commas, break a run).
    fn english_run(s: &str) -> Option<String> {
        let mut plain = String::new();
        let mut quote = None;
        for c in s.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '`' => quote = Some(c),
                None => plain.push(c),
            }
        }
        for segment in plain.split(|c: char| !(c.is_ascii_alphabetic() || c == ' ')) {
            let mut run = Vec::new();
            for word in segment.split(' ').filter(|w| !w.is_empty()) {
                if word.chars().all(|c| c.is_ascii_lowercase()) {
                    run.push(word);
                    if run.len() >= 4 {
                        return Some(run.join(" "));
                    }
                } else {
                    run.clear();
                }
            }
        }
        None
    }

    fn workload_error(doc: &str) -> String {
        match crate::workload::Workload::from_json(doc) {
            Ok(_) => panic!("accepted: {doc}"),
            Err(e) => e.to_string(),
        }
    }

    fn profile_error(doc: &str) -> String {
        match Profile::from_json(doc) {
            Ok(_) => panic!("accepted: {doc}"),
            Err(e) => e.to_string(),
        }
    }

    /// A workload document of one batch group with `extra` fields.
    fn batch(extra: &str) -> String {
        format!(r#"{{"tasks": 4, "steps": [{{"python_ms": 1}}]{extra}}}"#)
    }

    /// A profile document with these parameter entries.
    fn profile(entries: &str) -> String {
        format!(r#"{{"format": "parallel-universe/profile@1", "parameters": [{entries}]}}"#)
    }

    const PUBLISHED: &str = r#""provenance": {"kind": "published", "source": "x"}"#;

    fn bad_workloads() -> Vec<String> {
        let server = r#""arrivals": {"rate_per_s": 10, "duration_s": 1}"#;
        let group = r#"{"tasks": 1, "steps": [{"python_ms": 1}]}"#;
        let seventeen = vec![group; 17].join(", ");
        let step = r#"{"python_ms": 1}"#;
        let sixty_five = vec![step; 65].join(", ");
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let docs = [
            batch(r#", "colour": 1"#),
            r#"{"tasks": 4, "steps": [{"python_ms": -1}]}"#.to_string(),
            r#"{"tasks": 0, "steps": [{"python_ms": 1}]}"#.to_string(),
            r#"{"tasks": -3, "steps": [{"python_ms": 1}]}"#.to_string(),
            r#"{"tasks": 2.5, "steps": [{"python_ms": 1}]}"#.to_string(),
            r#"{"tasks": "4", "steps": [{"python_ms": 1}]}"#.to_string(),
            r#"{"tasks": 1000000, "steps": [{"python_ms": 1}]}"#.to_string(),
            r#"{"tasks": 4, "steps": [{"python_ms": 1, "io_ms": 1}]}"#.to_string(),
            r#"{"tasks": 4, "steps": [{}]}"#.to_string(),
            r#"{"tasks": 4, "steps": [{"gpu_ms": 1}]}"#.to_string(),
            r#"{"tasks": 4, "steps": []}"#.to_string(),
            r#"{"tasks": 4}"#.to_string(),
            r#"{"tasks": 4, "steps": "fast"}"#.to_string(),
            r#"{"tasks": 4, "steps": [1]}"#.to_string(),
            r#"{"tasks": 4, "steps": [{"python_ms": "fast"}]}"#.to_string(),
            r#"{"tasks": 4, "steps": [{"native_ms": true}]}"#.to_string(),
            r#"{"tasks": 4, "steps": [{"io_ms": 1e7}]}"#.to_string(),
            r#"{"tasks": 4, "steps": [{"python_ms": 1e400}]}"#.to_string(),
            format!(r#"{{"tasks": 4, "steps": [{sixty_five}]}}"#),
            batch(r#", "input_bytes": 1e12"#),
            batch(r#", "output_bytes": -1"#),
            batch(r#", "input_bytes": 1.5"#),
            batch(r#", "shared_state": 1.5"#),
            batch(r#", "shared_state": -0.5"#),
            batch(r#", "import_ms": 1e9"#),
            batch(r#", "repeat": 0"#),
            r#"{"tasks": 4, "steps": [{"python_ms": 1}, {"io_ms": 1}], "repeat": 10000}"#
                .to_string(),
            r#"{"tasks": 100000, "steps": [{"python_ms": 1}], "repeat": 100}"#.to_string(),
            batch(r#", "payload": "yaml""#),
            batch(r#", "payload": 3"#),
            batch(r#", "accept": "caller""#),
            format!(r#"{{{server}, "steps": [{{"python_ms": 1}}], "accept": "parent"}}"#),
            batch(r#", "waits": "timer""#),
            batch(r#", "waits": 5"#),
            format!(r#"{{{server}, "steps": [{{"python_ms": 1}}], "parent_ms": 5}}"#),
            batch(r#", "name": 5"#),
            batch(&format!(r#", "name": "{}""#, "x".repeat(300))),
            batch(r#", "extensions": 1"#),
            batch(r#", "extensions": {"free_threading_safe": "yes"}"#),
            batch(r#", "extensions": {"gil": true}"#),
            r#"{"steps": [{"python_ms": 1}]}"#.to_string(),
            format!(r#"{{"tasks": 4, {server}, "steps": [{{"python_ms": 1}}]}}"#),
            r#"{"arrivals": {"rate_per_s": 1e6, "duration_s": 3600}, "steps": [{"python_ms": 1}]}"#
                .to_string(),
            r#"{"arrivals": {"rate_per_s": 0, "duration_s": 1}, "steps": [{"python_ms": 1}]}"#
                .to_string(),
            r#"{"arrivals": {"rate_per_s": 2e6, "duration_s": 1}, "steps": [{"python_ms": 1}]}"#
                .to_string(),
            r#"{"arrivals": {"duration_s": 1}, "steps": [{"python_ms": 1}]}"#.to_string(),
            r#"{"arrivals": {"rate_per_s": 1, "duration_s": 0}, "steps": [{"python_ms": 1}]}"#
                .to_string(),
            r#"{"arrivals": {"rate_per_s": 1}, "steps": [{"python_ms": 1}]}"#.to_string(),
            r#"{"arrivals": {"rate_per_s": 1, "duration_s": 1, "burst": 2}, "steps": [{"python_ms": 1}]}"#
                .to_string(),
            r#"{"arrivals": [1], "steps": [{"python_ms": 1}]}"#.to_string(),
            r#"{"groups": []}"#.to_string(),
            r#"{"groups": {}}"#.to_string(),
            format!(r#"{{"groups": [{seventeen}]}}"#),
            format!(r#"{{"groups": [{group}], "tasks": 3}}"#),
            format!(r#"{{"groups": [{group}], "steps": []}}"#),
            r#"{"groups": [{"tasks": 1, "steps": [{"python_ms": 1}], "wat": 0}]}"#.to_string(),
            format!(r#"{{"groups": [{group}, {{{server}, "steps": [{{"io_ms": 1}}]}}]}}"#),
            r#"{"groups": [{"name": "a", "steps": [{"python_ms": 1}]}]}"#.to_string(),
            r#"{"groups": [{"tasks": 1, "steps": [{"python_ms": -2}]}]}"#.to_string(),
            r#"{"groups": [5]}"#.to_string(),
            "[1, 2]".to_string(),
            "null".to_string(),
            "true".to_string(),
            "\"workload\"".to_string(),
            "{".to_string(),
            String::new(),
            "[1".to_string(),
            "\"abc".to_string(),
            r#"{"tasks" 4}"#.to_string(),
            "[1 2]".to_string(),
            r#"{"a": 1 "b": 2}"#.to_string(),
            r#"{"a": tru}"#.to_string(),
            r#"{"a": }"#.to_string(),
            r#"{"a": "\q"}"#.to_string(),
            r#"{"a": -}"#.to_string(),
            r#"{"a": "\ud800x"}"#.to_string(),
            r#"{"a": "\udc00"}"#.to_string(),
            r#"{"a": "\u12"}"#.to_string(),
            "\"a\u{1}b\"".to_string(),
            "{1: 2}".to_string(),
            "{\"tasks\": 4,}".to_string(),
            "[1,]".to_string(),
            "{} x".to_string(),
            deep,
            " ".repeat(crate::json::MAX_DOCUMENT_BYTES + 1),
        ];
        docs.iter().map(|d| workload_error(d)).collect()
    }

    fn bad_profiles() -> Vec<String> {
        let value = |v: &str| {
            profile(&format!(
                r#"{{"name": "switch_interval", "value": {v}, "unit": "ms", {PUBLISHED}}}"#
            ))
        };
        let provenance = |p: &str| {
            profile(&format!(
                r#"{{"name": "switch_interval", "value": 5, "unit": "ms", "provenance": {p}}}"#
            ))
        };
        let entry =
            format!(r#"{{"name": "switch_interval", "value": 5, "unit": "ms", {PUBLISHED}}}"#);
        let too_many = vec![entry.as_str(); 2001].join(", ");
        let format_ok = r#""format": "parallel-universe/profile@1""#;
        let observation =
            |o: &str| format!(r#"{{{format_ok}, "parameters": [], "observations": [{o}]}}"#);
        let docs = [
            r#"{"parameters": []}"#.to_string(),
            r#"{"format": "parallel-universe/profile@2", "parameters": []}"#.to_string(),
            r#"{"format": 1, "parameters": []}"#.to_string(),
            format!("{{{format_ok}}}"),
            format!(r#"{{{format_ok}, "parameters": "all"}}"#),
            format!(r#"{{{format_ok}, "parameters": [], "colour": 1}}"#),
            format!(r#"{{{format_ok}, "parameters": [{too_many}]}}"#),
            format!(r#"{{{format_ok}, "name": ["x"], "parameters": []}}"#),
            format!(r#"{{{format_ok}, "machine": {{"cores": -1}}, "parameters": []}}"#),
            format!(r#"{{{format_ok}, "machine": {{"gpu": "x"}}, "parameters": []}}"#),
            format!(r#"{{{format_ok}, "machine": "fast", "parameters": []}}"#),
            profile("5"),
            profile(&format!(
                r#"{{"name": "warp", "value": 1, "unit": "ms", {PUBLISHED}}}"#
            )),
            profile(&format!(r#"{{"value": 1, "unit": "ms", {PUBLISHED}}}"#)),
            profile(&format!(
                r#"{{"name": "switch_interval", "value": 1, "unit": "MB/s", {PUBLISHED}}}"#
            )),
            profile(&format!(
                r#"{{"name": "switch_interval", "value": 1, {PUBLISHED}}}"#
            )),
            profile(&format!(
                r#"{{"name": "switch_interval", "unit": "ms", {PUBLISHED}}}"#
            )),
            value("-5"),
            value("5000"),
            value("\"fast\""),
            value("1e400"),
            profile(&format!(
                r#"{{"name": "switch_interval", "value": 5, "unit": "ms", "python": "2.7", {PUBLISHED}}}"#
            )),
            profile(&format!(
                r#"{{"name": "switch_interval", "value": 5, "unit": "ms", "python": 3.14, {PUBLISHED}}}"#
            )),
            profile(&format!(
                r#"{{"name": "switch_interval", "value": 5, "unit": "ms", "colour": 1, {PUBLISHED}}}"#
            )),
            profile(r#"{"name": "switch_interval", "value": 5, "unit": "ms"}"#),
            provenance(r#"{"kind": "guess"}"#),
            provenance(r#"{"source": "x"}"#),
            provenance(r#"{"kind": "published"}"#),
            provenance(r#"{"kind": "published", "source": "  "}"#),
            provenance(r#"{"kind": "published", "source": "x", "colour": 1}"#),
            provenance(r#"{"kind": "estimate"}"#),
            provenance(r#"{"kind": "unavailable", "reason": "none"}"#),
            provenance(
                r#"{"kind": "measured", "interpreter": "3.14.0", "build": "default", "machine": "m", "date": "d", "method": "m", "repeats": 0}"#,
            ),
            provenance(
                r#"{"kind": "measured", "interpreter": "3.14.0", "build": "default", "machine": "m", "date": "d", "method": "m", "spread": -1}"#,
            ),
            provenance(r#"{"kind": "measured", "interpreter": "3.14.0"}"#),
            provenance("\"published\""),
            profile(&format!("{entry}, {entry}")),
            observation(r#"{"name": "convoy", "unit": "ms"}"#),
            observation(r#"{"name": "convoy", "value": 1}"#),
            observation(r#"{"value": 1, "unit": "ms"}"#),
            observation(r#"{"name": "convoy", "value": 1, "unit": "ms", "spread": -1}"#),
            observation(r#"{"name": "convoy", "value": 1, "unit": "ms", "repeats": 1.5}"#),
            observation(r#"{"name": "convoy", "value": 1, "unit": "ms", "python": "4.0"}"#),
            "{\"format\": ".to_string(),
            "{'format': 1}".to_string(),
            " ".repeat(crate::json::MAX_DOCUMENT_BYTES + 1),
        ];
        let mut out: Vec<String> = docs.iter().map(|d| profile_error(d)).collect();
        let partial = Profile::from_json(&profile(&format!(
            r#"{{"name": "gil_handoff", "value": 5, "unit": "us", {PUBLISHED}}}"#
        )))
        .unwrap();
        out.push(
            partial
                .resolve(crate::python::PythonVersion::gil(14), None)
                .unwrap_err(),
        );
        out.push("bad unit for switch_interval".to_string());
        out
    }

    fn bad_scenarios() -> Vec<String> {
        use crate::sim::{Setup, SimError, MAX_CORES};
        let mut out = Vec::new();
        let edits: [&dyn Fn(&mut Scenario); 6] = [
            &|s| s.cores = 0,
            &|s| s.cores = MAX_CORES + 1,
            &|s| s.workers = 0,
            &|s| s.workers = 5000,
            &|s| s.threads_per_worker = 0,
            &|s| {
                s.model = Model::ProcessesThreads;
                s.workers = 1024;
                s.threads_per_worker = 64;
            },
        ];
        for edit in edits {
            let mut s = Scenario::new(Model::Threads);
            edit(&mut s);
            out.push(s.validate().unwrap_err());
        }
        let batch_of = |tasks: u32| {
            crate::workload::Workload::from_json(&format!(
                r#"{{"tasks": {tasks}, "steps": [{{"python_ms": 1}}]}}"#
            ))
            .unwrap()
        };
        let server = crate::workload::Workload::from_json(
            r#"{"arrivals": {"rate_per_s": 10, "duration_s": 1}, "steps": [{"python_ms": 1}]}"#,
        )
        .unwrap();
        let per_task = |model: Model| {
            let mut s = Scenario::new(model);
            s.per_task = true;
            s
        };
        for (s, w) in [
            (per_task(Model::InterpretersThreads), batch_of(4)),
            (per_task(Model::Threads), server),
            (per_task(Model::Processes), batch_of(5000)),
        ] {
            out.push(Setup::resolve(&s, &w).unwrap_err().to_string());
        }
        let mut s = Scenario::new(Model::Threads);
        s.threads_per_worker = 100;
        out.push(Setup::resolve(&s, &batch_of(4)).unwrap_err().to_string());
        out.push(SimError::TooLarge { max_events: 1000 }.to_string());
        // The page's own checks of an edited workload.
        out.push("tasks: this preset is a server; set its rate instead".into());
        out.push("rate: this preset is a batch; set its tasks instead".into());
        out
    }

    #[test]
    fn invalid_documents_and_scenarios_read_in_japanese() {
        let cases: Vec<String> = bad_workloads()
            .into_iter()
            .chain(bad_profiles())
            .chain(bad_scenarios())
            .collect();
        let mut failures = Vec::new();
        for en in &cases {
            let ja = localize(Lang::Ja, en);
            let problem = if ja == *en {
                Some("no Japanese".to_string())
            } else if !has_japanese(&ja) {
                Some("no Japanese characters".to_string())
            } else if ja.contains("{}") {
                Some("an unfilled hole".to_string())
            } else {
                english_run(&ja).map(|run| format!("English left: {run:?}"))
            };
            if let Some(p) = problem {
                failures.push(format!("{p}\n  en: {en}\n  ja: {ja}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} messages:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
        eprintln!("{} invalid-input messages checked", cases.len());
    }
}
