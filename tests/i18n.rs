//! Every interface string the web app and the content tables pass to
//! `tr`/`trf` (or mark with `mark`) has a Japanese entry, and every entry is
//! used, so that switching the language leaves nothing in English.

use parallel_universe::i18n::ja_entries;
use std::collections::BTreeSet;
use std::fs;

/// The string literals passed to `tr(_, "...")`, `trf(_, "...", ...)` or
/// `mark("...")` in a source file.
fn used_strings(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (pat, skip_arg) in [("tr(", true), ("trf(", true), ("mark(", false)] {
        let mut rest = src;
        while let Some(i) = rest.find(pat) {
            let before = rest[..i].chars().last();
            rest = &rest[i + pat.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '.') {
                continue;
            }
            let mut arg = rest;
            if skip_arg {
                match arg.find(',') {
                    Some(j) if !arg[..j].contains(['(', '"', ')']) => arg = &arg[j + 1..],
                    _ => continue,
                }
            }
            let arg = arg.trim_start();
            if let Some(lit) = arg.strip_prefix('"') {
                let mut s = String::new();
                let mut chars = lit.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                s.push(match n {
                                    'n' => '\n',
                                    other => other,
                                });
                            }
                        }
                        '"' => break,
                        c => s.push(c),
                    }
                }
                out.push(s);
            }
        }
    }
    out
}

fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in ["src/bin/web", "src/content", "src/view"] {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "rs") {
                files.push((p.display().to_string(), fs::read_to_string(&p).unwrap()));
            }
        }
    }
    for f in ["src/verdict.rs", "src/presets.rs"] {
        files.push((f.to_string(), fs::read_to_string(f).unwrap()));
    }
    files
}

#[test]
fn every_interface_string_has_japanese() {
    let keys: BTreeSet<&str> = ja_entries().map(|(k, _)| *k).collect();
    let mut missing = BTreeSet::new();
    for (name, src) in sources() {
        for s in used_strings(&src) {
            if !keys.contains(s.as_str()) {
                missing.insert(format!("{name}: {s:?}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no Japanese for:\n{}",
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_japanese_entry_is_used() {
    let used: BTreeSet<String> = sources()
        .iter()
        .flat_map(|(_, src)| used_strings(src))
        .collect();
    let unused: Vec<&str> = ja_entries()
        .map(|(k, _)| *k)
        .filter(|k| !used.contains(*k))
        .collect();
    assert!(unused.is_empty(), "unused entries: {unused:?}");
}

#[test]
fn the_scanner_finds_literals() {
    let src = r#"tr(lang, "A"); trf(l, "B {}", &[&x]); mark("C"); attr(x, "no"); dom::mark("pu-x"); tr(lang, label)"#;
    assert_eq!(used_strings(src), ["A", "B {}", "C"]);
}
