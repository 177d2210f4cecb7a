//! The settings only an embedded scenario reads (`#/embed?...`): whether
//! its controls show, the part of the run it plays and whether it loops,
//! and its theme. Like the view's own keys they are read leniently: a bad
//! value is dropped with a notice that names it. (`lang=` is read by the
//! app for every page; `play=`, `speed=` and `at=` are the view's.)

use super::{flag, note, query};
use crate::i18n::{mark, Sentence};

/// A forced theme, or the system's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the system (`prefers-color-scheme`).
    #[default]
    Auto,
    /// Light whatever the system says.
    Light,
    /// Dark whatever the system says.
    Dark,
}

impl Theme {
    /// Its name in addresses.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// An embed's own settings.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// Whether the playback controls and legend show.
    pub controls: bool,
    /// Start of the part that plays, as a fraction of the longest run.
    pub from: f64,
    /// End of it.
    pub to: f64,
    /// Whether play starts again from `from` on reaching `to`.
    pub looping: bool,
    /// The theme.
    pub theme: Theme,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        Self {
            controls: true,
            from: 0.0,
            to: 1.0,
            looping: false,
            theme: Theme::Auto,
        }
    }
}

fn fraction(k: &str, v: &str, notices: &mut Vec<Sentence>) -> Option<f64> {
    match v.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Some(x),
        _ => {
            notices.push(note(
                mark("{}: {} is not a fraction of the run between 0 and 1; ignored"),
                &[&k, &format!("{v:?}")],
            ));
            None
        }
    }
}

impl EmbedOptions {
    /// Read an embed address's query (the view's keys are skipped).
    pub fn from_query(q: &str) -> (EmbedOptions, Vec<Sentence>) {
        let mut o = EmbedOptions::default();
        let mut n = Vec::new();
        let Ok(pairs) = query::parse(q) else {
            return (o, n);
        };
        let (mut from, mut to) = (None, None);
        for (k, v) in &pairs {
            match k.as_str() {
                "controls" => o.controls = flag(k, v, &mut n).unwrap_or(o.controls),
                "loop" => o.looping = flag(k, v, &mut n).unwrap_or(o.looping),
                "from" => from = fraction(k, v, &mut n).or(from),
                "to" => to = fraction(k, v, &mut n).or(to),
                "theme" => match v.as_str() {
                    "auto" => o.theme = Theme::Auto,
                    "light" => o.theme = Theme::Light,
                    "dark" => o.theme = Theme::Dark,
                    _ => n.push(note(
                        mark("theme: {} is not auto, light or dark; ignored"),
                        &[&format!("{v:?}")],
                    )),
                },
                "lang" if crate::i18n::Lang::parse(v).is_none() => n.push(note(
                    mark("lang: {} is not a language this site has (en, ja); ignored"),
                    &[&format!("{v:?}")],
                )),
                _ => {}
            }
        }
        let (f, t) = (from.unwrap_or(0.0), to.unwrap_or(1.0));
        if f < t {
            o.from = f;
            o.to = t;
        } else {
            n.push(note(
                mark("from and to: the range {} to {} is empty; playing the whole run"),
                &[&f, &t],
            ));
        }
        (o, n)
    }

    /// The settings that differ from the defaults, as address pairs.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let d = EmbedOptions::default();
        let mut out = Vec::new();
        if self.controls != d.controls {
            out.push(("controls", "0".to_string()));
        }
        if self.from != d.from {
            out.push(("from", format!("{}", self.from)));
        }
        if self.to != d.to {
            out.push(("to", format!("{}", self.to)));
        }
        if self.looping {
            out.push(("loop", "1".to_string()));
        }
        if self.theme != d.theme {
            out.push(("theme", self.theme.name().to_string()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_setting() {
        let (o, n) = EmbedOptions::from_query(
            "preset=cpu-bound&controls=0&from=0.25&to=0.75&loop=1&theme=dark&lang=ja",
        );
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(
            o,
            EmbedOptions {
                controls: false,
                from: 0.25,
                to: 0.75,
                looping: true,
                theme: Theme::Dark
            }
        );
        let back = query::join(&o.pairs());
        assert_eq!(EmbedOptions::from_query(&back).0, o);
    }

    #[test]
    fn bad_values_are_named_and_dropped() {
        let (o, n) =
            EmbedOptions::from_query("controls=maybe&from=-1&to=2&loop=x&theme=neon&lang=klingon");
        assert_eq!(o, EmbedOptions::default());
        let all = n
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        for k in ["controls:", "from:", "to:", "loop:", "theme:", "lang:"] {
            assert!(all.contains(k), "{k} in {all}");
        }
        let (o, n) = EmbedOptions::from_query("from=0.8&to=0.2");
        assert_eq!((o.from, o.to), (0.0, 1.0));
        assert!(n[0].to_string().contains("empty"), "{n:?}");
        // Hostile input never panics.
        for q in ["%", "from=NaN&to=inf", &"loop=1&".repeat(5000)] {
            let _ = EmbedOptions::from_query(q);
        }
    }
}
