//! The interface's two languages, English and Japanese.
//!
//! Strings are written in English where they are used and looked up here
//! for Japanese (`tr(lang, "Play")`), the way gettext works: the English
//! text is the key, so the source stays readable and a missing translation
//! falls back to English instead of to a blank. `cargo test --test i18n`
//! checks that every string the web app passes to [`tr`] has a Japanese
//! entry and that no entry is unused.

use std::fmt;

mod messages;
mod model_text;
mod web;

pub use messages::localize;

/// A language of the interface and the content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the default, and the fallback for content not yet translated).
    #[default]
    En,
    /// Japanese.
    Ja,
}

/// Every language, in the order the switch offers them.
pub const LANGS: [Lang; 2] = [Lang::En, Lang::Ja];

impl Lang {
    /// The code used in URLs (`lang=ja`) and content paths (`content/guide/ja/`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    /// Read a language code or a browser language tag (`ja`, `ja-JP`,
    /// `en-GB`); `None` for anything else.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The first language of a browser's preference list this site has,
    /// English if none.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::parse).unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text in `lang` for the English `en`.
pub fn tr(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja_entries()
            .find(|(k, _)| *k == en)
            .map_or(en, |(_, ja)| *ja),
    }
}

/// Marks an English string that is translated later, where it is picked
/// (a table of labels): it returns its argument, and lets the i18n test
/// find the string.
pub const fn mark(en: &'static str) -> &'static str {
    en
}

/// [`tr`] with `{}` placeholders filled in order.
pub fn trf(lang: Lang, en: &'static str, args: &[&dyn fmt::Display]) -> String {
    fill(tr(lang, en), args)
}

/// Fill a pattern's `{}` placeholders in order (for a pattern looked up
/// once with [`tr`] and used many times, as in a per-frame draw).
pub fn fill(pattern: &str, args: &[&dyn fmt::Display]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut args = args.iter();
    let mut rest = pattern;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// A part of a sentence: text as it is (numbers, model names, a reason
/// from the simulator), or English words the page translates.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Shown as it is.
    Text(String),
    /// English words with a translation (see [`tr`]).
    Words(&'static str),
    /// A message of the core's (see [`localize`]).
    Message(String),
}

/// A sentence the library writes for people (a verdict, a notice): an
/// English pattern with `{}` for its parts, so that the page can show it in
/// the reader's language and the command line in English.
#[derive(Clone, Debug, PartialEq)]
pub struct Sentence {
    /// The pattern (a key of the interface's translations).
    pub pattern: &'static str,
    /// What fills its `{}`, in order.
    pub parts: Vec<Part>,
}

impl Sentence {
    /// A sentence from its pattern and parts.
    pub fn new(pattern: &'static str, parts: Vec<Part>) -> Self {
        Sentence { pattern, parts }
    }

    /// The sentence in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::Words(w) => tr(lang, w).to_string(),
                Part::Message(m) => localize(lang, m),
            })
            .collect();
        let args: Vec<&dyn std::fmt::Display> =
            parts.iter().map(|p| p as &dyn std::fmt::Display).collect();
        trf(lang, self.pattern, &args)
    }
}

impl std::fmt::Display for Sentence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Every Japanese entry: the site's frame, the guide and tutorials (here),
/// the playground, charts, timeline and calibration page (`web`), and the
/// text the library writes for the page (`model_text`: verdicts, lane
/// states, presets).
pub fn ja_entries() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    JA.iter().chain(web::JA).chain(model_text::JA)
}

/// Japanese for the site's frame, the guide and the tutorials.
static JA: &[(&str, &str)] = &[
    // Site
    ("Home", "ホーム"),
    ("Playground", "プレイグラウンド"),
    ("Guide", "ガイド"),
    ("Tutorials", "チュートリアル"),
    ("Calibration", "キャリブレーション"),
    ("Language", "言語"),
    ("Skip to content", "本文へ移動"),
    ("Site", "サイト"),
    ("No such page", "ページが見つかりません"),
    ("Go to the start", "トップへ戻る"),
    (
        "Every number here comes from a discrete-event simulation of CPython, with costs measured on real interpreters.",
        "このサイトの数値はすべて、実際のインタープリタで測定したコストを使った CPython の離散事象シミュレーションによるものです。",
    ),
    (
        "Nothing is sent anywhere: the simulator runs in this page.",
        "データはどこにも送信されません。シミュレーターはこのページの中で動いています。",
    ),
    // Guide and tutorials
    ("Chapters", "章"),
    ("Previous", "前へ"),
    ("Next", "次へ"),
    ("Loading…", "読み込み中…"),
    (
        "This page is not yet translated; it is shown in English.",
        "このページはまだ翻訳されていないため、英語で表示しています。",
    ),
    ("The page could not be loaded: {}", "ページを読み込めませんでした: {}"),
    ("Open in the playground", "プレイグラウンドで開く"),
    ("Save frame (PNG)", "このフレームを保存（PNG）"),
    ("Record the range (WebM)", "範囲を録画（WebM）"),
    ("Saved a WebM video ({} bytes).", "WebM 動画を保存しました（{} バイト）。"),
    ("Saved a poster image.", "ポスター画像を保存しました。"),
    ("Your prediction", "あなたの予想"),
    ("Which model finishes first?", "最初に終わるのはどのモデル？"),
    (
        "How many times faster than sequential will {} be?",
        "{} は逐次実行の何倍速くなる？",
    ),
    ("Commit and run", "予想を確定して実行"),
    ("You predicted {}.", "あなたの予想: {}"),
    ("Right.", "正解です。"),
    ("Not quite.", "惜しい。"),
    ("{} finished first.", "最初に終わったのは {} です。"),
    ("The simulated speedup is {}x.", "シミュレーションでの速度向上は {} 倍です。"),
    ("What the simulation says", "シミュレーションの結果"),
    ("holds", "成立"),
    ("does not hold with this profile", "このプロファイルでは成立しません"),
    ("Completed", "完了"),
    ("Not started", "未着手"),
    ("In progress", "学習中"),
    ("Reset progress", "進捗をリセット"),
    (
        "Each lesson asks you to predict before it runs, then explains what the trace shows. Your progress stays in this browser.",
        "各レッスンでは、実行する前に結果を予想してもらい、そのあとでトレースが示すことを解説します。進捗はこのブラウザ内にだけ保存されます。",
    ),
    ("Lesson {} of {}", "レッスン {} / {}"),
    // Directives
    ("model", "モデル"),
    ("runs", "実行のしかた"),
    ("start-up (this profile)", "起動コスト（このプロファイル）"),
    ("data exchange (this profile)", "データ交換（このプロファイル）"),
    ("best for", "向いている用途"),
    ("package", "パッケージ"),
    ("version", "バージョン"),
    ("free-threaded wheel", "フリースレッド版 wheel"),
    ("imports in a sub-interpreter", "サブインタープリタでの import"),
    ("detail", "詳細"),
    ("Rank the models", "モデルを比較する"),
    ("speedup", "速度向上"),
    ("wall time", "実行時間"),
    ("unavailable", "利用不可"),
    ("Checked {} with CPython {} on {}. {}", "{} に CPython {} で確認（{}）。{}"),
    ("Python {}; figures from {}.", "Python {}。数値の出典: {}。"),
    ("Sequential takes {} s.", "逐次実行では {} 秒かかります。"),
    ("largest loss", "最大の損失"),
    ("Python per task", "タスクあたりの Python 実行時間"),
    ("GIL-releasing native code per task", "タスクあたりの GIL を解放するネイティブコード"),
    ("I/O wait per task", "タスクあたりの I/O 待ち"),
    ("bytes in per task", "タスクあたりの入力バイト数"),
    ("bytes out per task", "タスクあたりの出力バイト数"),
    (
        "fraction of Python time mutating shared objects",
        "Python 実行時間のうち共有オブジェクトを変更する割合",
    ),
    ("import time in a fresh interpreter", "新しいインタープリタでの import 時間"),
    ("tasks", "タスク数"),
    ("cores", "コア数"),
    ("extensions safe without the GIL", "拡張モジュールは GIL なしでも安全"),
    ("extensions safe in sub-interpreters", "拡張モジュールはサブインタープリタでも安全"),
    ("shared objects, nothing copied", "オブジェクトを共有、コピーなし"),
    (
        "one at a time in Python (one GIL); in parallel in I/O and GIL-releasing native code",
        "Python コードは一度に一つ（GIL は一つ）、I/O や GIL を解放するネイティブコードは並列",
    ),
    ("{} a thread", "スレッド 1 本あたり {}"),
    (
        "I/O-bound work and native code that releases the GIL",
        "I/O バウンドな処理と GIL を解放するネイティブコード",
    ),
    (
        "concurrently on one thread: tasks take turns at each await",
        "1 スレッド上で並行: await のたびにタスクが交代する",
    ),
    ("{} a task, {} an await", "タスク 1 つあたり {}、await 1 回あたり {}"),
    (
        "many simultaneous I/O waits with little CPU work each",
        "CPU をあまり使わない大量の同時 I/O 待ち",
    ),
    (" (default)", "（デフォルト）"),
    (
        "in parallel, one interpreter and GIL per process",
        "並列、プロセスごとにインタープリタと GIL が一つ",
    ),
    (
        "pickled, piped and unpickled both ways: pickling {}, pipe {}",
        "往復とも pickle してパイプで送り unpickle: pickle {}、パイプ {}",
    ),
    (
        "CPU-bound Python in tasks long enough to repay the pickling",
        "pickle のコストを回収できるほど長い CPU バウンドな Python タスク",
    ),
    (
        "in parallel, one GIL per interpreter, all in one process",
        "並列、インタープリタごとに GIL が一つ、すべて一つのプロセス内",
    ),
    ("{} an interpreter", "インタープリタ 1 つあたり {}"),
    (
        "shareable objects copied ({}), others pickled; memoryview shares a buffer",
        "共有可能なオブジェクトはコピー（{}）、その他は pickle。memoryview はバッファを共有",
    ),
    (
        "CPU-bound Python with isolated state, lighter than processes",
        "状態を分離できる CPU バウンドな Python。プロセスより軽い",
    ),
    ("needs Python 3.12 or later", "Python 3.12 以降が必要"),
    (
        "in parallel, no GIL; Python runs {}% slower than on {}",
        "並列、GIL なし。Python の実行は {}% 遅い（{} 比）",
    ),
    (
        "shared objects, nothing copied; shared mutation contends",
        "オブジェクトを共有、コピーなし。共有オブジェクトの変更は競合する",
    ),
    (
        "CPU-bound Python with little shared mutation and thread-safe extensions",
        "共有オブジェクトの変更が少なく、拡張モジュールがスレッドセーフな CPU バウンドな Python",
    ),
    (
        "needs a free-threaded build, 3.13t or later",
        "フリースレッド版ビルド（3.13t 以降）が必要",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_browser_tags() {
        assert_eq!(Lang::parse("ja-JP"), Some(Lang::Ja));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::from_preferences(["fr-FR", "ja", "en"]), Lang::Ja);
        assert_eq!(Lang::from_preferences(["de"]), Lang::En);
    }

    #[test]
    fn translates_and_falls_back() {
        assert_eq!(tr(Lang::Ja, "Home"), "ホーム");
        assert_eq!(tr(Lang::En, "Home"), "Home");
        assert_eq!(tr(Lang::Ja, "no such string"), "no such string");
        // Every table is consulted.
        for (k, v) in ja_entries() {
            assert_eq!(tr(Lang::Ja, k), *v);
        }
        assert_eq!(
            trf(Lang::Ja, "Lesson {} of {}", &[&2, &6]),
            "レッスン 2 / 6"
        );
        assert_eq!(trf(Lang::En, "{} and {}", &[&1]), "1 and ");
    }

    #[test]
    fn keys_are_unique_and_placeholders_match() {
        let all: Vec<_> = ja_entries().collect();
        for (i, (k, v)) in all.iter().enumerate() {
            assert!(
                !all[..i].iter().any(|(k2, _)| k2 == k),
                "duplicate key {k:?}"
            );
            assert_eq!(
                k.matches("{}").count(),
                v.matches("{}").count(),
                "placeholders differ for {k:?}"
            );
        }
    }
}
