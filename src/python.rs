//! Python versions and builds, and what each one makes possible.
//!
//! A version decides which execution models exist (a per-interpreter GIL from
//! 3.12, free-threading only on `t` builds), which APIs a model goes through,
//! and the default multiprocessing start method on Linux (fork before 3.14,
//! forkserver from 3.14). Cost differences between versions live in the
//! calibration profile, not here.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A CPython feature release and build: `3.14` or the free-threaded `3.14t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PythonVersion {
    /// Minor version: 11 for 3.11.
    pub minor: u8,
    /// Whether this is the free-threaded (`t`) build.
    pub free_threaded: bool,
}

/// The versions the simulator knows, oldest first.
pub const KNOWN_VERSIONS: [PythonVersion; 6] = [
    PythonVersion::gil(11),
    PythonVersion::gil(12),
    PythonVersion::gil(13),
    PythonVersion::ft(13),
    PythonVersion::gil(14),
    PythonVersion::ft(14),
];

impl PythonVersion {
    /// The default (GIL) build of 3.`minor`.
    pub const fn gil(minor: u8) -> Self {
        Self {
            minor,
            free_threaded: false,
        }
    }

    /// The free-threaded build of 3.`minor`.
    pub const fn ft(minor: u8) -> Self {
        Self {
            minor,
            free_threaded: true,
        }
    }

    /// The default version for every model but free-threading.
    pub const DEFAULT: Self = Self::gil(14);

    /// The GIL build of the same release.
    pub fn gil_build(self) -> Self {
        Self::gil(self.minor)
    }

    /// The free-threaded build of the same release, if CPython ships one.
    pub fn ft_build(self) -> Option<Self> {
        (self.minor >= 13).then_some(Self::ft(self.minor))
    }

    /// Whether each sub-interpreter can have its own GIL (PEP 684, 3.12+).
    pub fn has_per_interpreter_gil(self) -> bool {
        self.minor >= 12
    }

    /// How a program reaches sub-interpreters on this version.
    pub fn interpreters_api(self) -> &'static str {
        match self.minor {
            0..=11 => "none with a per-interpreter GIL",
            12 => "the private _xxsubinterpreters module",
            13 => "the private _interpreters module",
            _ => "concurrent.interpreters and InterpreterPoolExecutor",
        }
    }

    /// The default multiprocessing start method on Linux.
    pub fn default_start_method(self) -> crate::model::StartMethod {
        if self.minor >= 14 {
            crate::model::StartMethod::Forkserver
        } else {
            crate::model::StartMethod::Fork
        }
    }

    /// The version string used by the profile and the command line.
    pub fn label(self) -> String {
        format!(
            "3.{}{}",
            self.minor,
            if self.free_threaded { "t" } else { "" }
        )
    }
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl FromStr for PythonVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (body, ft) = match t.strip_suffix('t') {
            Some(b) => (b, true),
            None => (t, false),
        };
        let v = body
            .strip_prefix("3.")
            .and_then(|m| m.parse::<u8>().ok())
            .map(|minor| PythonVersion {
                minor,
                free_threaded: ft,
            });
        match v {
            Some(v) if KNOWN_VERSIONS.contains(&v) => Ok(v),
            _ => Err(format!(
                "unknown Python version {s:?}: expected one of {}",
                KNOWN_VERSIONS
                    .iter()
                    .map(|v| v.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

impl Serialize for PythonVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for PythonVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StartMethod;

    #[test]
    fn parses_known_versions_and_rejects_others() {
        assert_eq!(
            "3.14t".parse::<PythonVersion>().unwrap(),
            PythonVersion::ft(14)
        );
        assert_eq!(
            "3.12".parse::<PythonVersion>().unwrap(),
            PythonVersion::gil(12)
        );
        assert!("3.12t".parse::<PythonVersion>().is_err());
        assert!("2.7".parse::<PythonVersion>().is_err());
        assert!("3.x".parse::<PythonVersion>().is_err());
        assert!("".parse::<PythonVersion>().is_err());
    }

    #[test]
    fn start_method_default_changed_in_3_14() {
        assert_eq!(
            PythonVersion::gil(13).default_start_method(),
            StartMethod::Fork
        );
        assert_eq!(
            PythonVersion::gil(14).default_start_method(),
            StartMethod::Forkserver
        );
    }

    #[test]
    fn per_interpreter_gil_from_3_12() {
        assert!(!PythonVersion::gil(11).has_per_interpreter_gil());
        assert!(PythonVersion::gil(12).has_per_interpreter_gil());
        assert_eq!(PythonVersion::gil(12).ft_build(), None);
        assert_eq!(
            PythonVersion::gil(14).ft_build(),
            Some(PythonVersion::ft(14))
        );
    }
}
