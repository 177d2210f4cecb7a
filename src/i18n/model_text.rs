//! Japanese for the text the library writes for the page: verdicts, the
//! timeline's lane states, causes of lost time, presets' titles. The lane
//! names match those the Japanese guide and lessons use.

pub(super) static JA: &[(&str, &str)] = &[
    // Lane states (src/view/lanes.rs)
    ("running Python", "Python 実行中"),
    ("native code (GIL released)", "ネイティブコード（GIL 解放中）"),
    ("pickling, copying or piping", "pickle 化・コピー・パイプ転送"),
    ("starting up or importing", "起動・import 中"),
    ("pool or event-loop bookkeeping", "プール・イベントループの管理処理"),
    ("OS context switch", "OS のコンテキストスイッチ"),
    ("awake, waiting for the GIL", "GIL 待ち"),
    ("GIL hand-off", "GIL の受け渡し"),
    // Causes of lost time (src/verdict.rs)
    ("waiting for a GIL", "GIL 待ち"),
    ("GIL hand-offs", "GIL の受け渡し"),
    ("pickling and copying payloads", "データの pickle 化とコピー"),
    ("starting workers and importing", "ワーカーの起動と import"),
    ("handing tasks over", "タスクの受け渡し"),
    ("the free-threaded build's overhead", "フリースレッド版ビルドのオーバーヘッド"),
    ("contention on shared objects", "共有オブジェクトの競合"),
    ("the lower all-core clock", "全コア稼働時のクロック低下"),
    ("switching threads", "スレッドの切り替え"),
    ("idle cores", "アイドル状態のコア"),
    // Verdicts (src/verdict.rs); placeholders keep the English order.
    (
        "On {} cores, {} of {} models keep up with the offered {} requests/s.",
        "{} コアでは、{} / {} のモデルが毎秒 {} リクエストの負荷に追いつきます。",
    ),
    (
        "The lowest p99 latency, {} ms at {} requests/s, comes with {} (sequential: {} ms at {} requests/s).",
        "p99 レイテンシが最も低いのは {} ms（毎秒 {} リクエスト）で、{} のときです（逐次実行: {} ms、毎秒 {} リクエスト）。",
    ),
    (
        "The lowest p99 latency, {} ms at {} requests/s, comes with {}.",
        "p99 レイテンシが最も低いのは {} ms（毎秒 {} リクエスト）で、{} のときです。",
    ),
    (
        "On {} cores the fastest model is {}, {} faster than sequential ({} s against {} s).",
        "{} コアで最も速いモデルは {} で、逐次実行より {} 速くなります（{} 秒、逐次実行は {} 秒）。",
    ),
    (
        "On {} cores no model beats sequential by more than 5%; the best is {} at {}x.",
        "{} コアでは、逐次実行より 5% 以上速いモデルはありません。最も良いのは {} で {} 倍です。",
    ),
    (
        "Close behind: {} at {}x, with a peak of {} MiB against {} MiB.",
        "僅差で続くのは {} で {} 倍、ピークメモリは {} MiB（最速のモデルは {} MiB）です。",
    ),
    (
        "With {}, the work runs {} slower than sequential: {}% of the core time goes to {}.",
        "{} では、処理は逐次実行より {} 遅くなります。コア時間の {}% が{}に費やされます。",
    ),
    (
        "With {}, the work runs {} slower than sequential.",
        "{} では、処理は逐次実行より {} 遅くなります。",
    ),
    (
        "With {}, {}% of the core time goes to {}.",
        "{} では、コア時間の {}% が{}に費やされます。",
    ),
    ("Unavailable: {} ({}).", "利用不可: {}（{}）。"),
    // Presets' titles (src/presets.rs)
    ("CPU-bound Python: 64 tasks of 10 ms", "CPU バウンドな Python: 10 ms のタスク 64 個"),
    (
        "A 100,000-step Python loop split over 100 threads",
        "10 万回の Python ループを 100 スレッドに分割",
    ),
    ("Digits of pi, ten times in parallel", "円周率の計算を 10 本並列に"),
    ("I/O fan-out: 200 requests of 50 ms", "I/O のファンアウト: 50 ms の要求 200 件"),
    (
        "A web server: 200 requests/s, Python, a database call, a template",
        "Web サーバー: 毎秒 200 リクエスト、Python、データベース呼び出し、テンプレート",
    ),
    ("A data pipeline with 4 MB payloads", "4 MB のデータを運ぶデータパイプライン"),
    ("Many tiny tasks: 10,000 of 20 us", "大量の小さなタスク: 20 µs のタスク 1 万個"),
    ("GIL-releasing numeric work", "GIL を解放する数値計算"),
    ("Mutating shared objects", "共有オブジェクトの変更"),
    (
        "One CPU-bound thread beside an I/O-bound one",
        "I/O バウンドなスレッドと並ぶ CPU バウンドなスレッド",
    ),
    // Notices about an address (src/view/mod.rs, src/view/embed.rs)
    ("{}: {} is out of range ({} to {}); ignored", "{}: {} は範囲外です（{}〜{}）。無視しました"),
    ("{}: {} is not a number; ignored", "{}: {} は数値ではありません。無視しました"),
    ("{}: {} is not 0 or 1; ignored", "{}: {} は 0 でも 1 でもありません。無視しました"),
    ("{}; showing the defaults", "{}。既定の表示にします"),
    (
        "preset: no preset named {}; the presets are {}",
        "preset: {} というプリセットはありません。プリセットは {} です",
    ),
    (
        "python: {} is not one of {}; ignored",
        "python: {} は {} のどれでもありません。無視しました",
    ),
    ("{}: {}; ignored", "{}: {}。無視しました"),
    (
        "models: none usable; comparing the default models",
        "models: 使えるモデルがありません。既定のモデルを比べます",
    ),
    (
        "tables: no chart named {}; the charts are {}",
        "tables: {} というグラフはありません。グラフは {} です",
    ),
    (
        "pct: {} is not 50, 95 or 99; ignored",
        "pct: {} は 50、95、99 のどれでもありません。無視しました",
    ),
    (
        "{}: not a setting this page knows; ignored",
        "{}: このページにない設定です。無視しました",
    ),
    (
        "{}; showing the preset's own workload",
        "{}。プリセット本来のワークロードを表示します",
    ),
    (
        "{}: {} is not a fraction of the run between 0 and 1; ignored",
        "{}: {} は実行全体に対する 0〜1 の割合ではありません。無視しました",
    ),
    (
        "theme: {} is not auto, light or dark; ignored",
        "theme: {} は auto、light、dark のどれでもありません。無視しました",
    ),
    (
        "lang: {} is not a language this site has (en, ja); ignored",
        "lang: {} はこのサイトにある言語（en、ja）ではありません。無視しました",
    ),
    (
        "from and to: the range {} to {} is empty; playing the whole run",
        "from と to: {}〜{} の範囲は空です。実行全体を再生します",
    ),
];
