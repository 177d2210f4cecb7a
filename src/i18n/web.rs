//! Japanese for the playground, its charts and timeline, the home page and
//! the calibration page (`src/bin/web`).

pub(super) static JA: &[(&str, &str)] = &[];
