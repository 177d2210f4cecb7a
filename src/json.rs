//! A strict reader for the project's JSON formats.
//!
//! serde's derived errors name a line and column but not the field, and they
//! cannot say "must be at most 1 GiB". The formats are therefore parsed into a
//! `serde_json::Value` first and read through [`Obj`], which tracks the path of
//! every value (`groups[1].steps[0].python_ms`), rejects unknown fields, and
//! checks types and ranges with messages that name the field.

use serde_json::{Map, Value};
use std::fmt;

/// A problem with an input document, naming where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// Path of the offending value (`""` for the whole document).
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// Shorthand for results of reading input.
pub type InputResult<T> = Result<T, InputError>;

/// Make an error at `path`.
pub fn err<T>(path: &str, message: impl Into<String>) -> InputResult<T> {
    Err(InputError {
        path: path.to_string(),
        message: message.into(),
    })
}

/// Parse `text` as JSON, with an error that says where the syntax broke.
pub fn parse_document(text: &str, what: &str) -> InputResult<Value> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return err(
            "",
            format!(
                "{what} is {} bytes; the limit is {MAX_DOCUMENT_BYTES}",
                text.len()
            ),
        );
    }
    serde_json::from_str(text).or_else(|e| err("", format!("{what} is not valid JSON: {e}")))
}

/// Largest document the readers accept.
pub const MAX_DOCUMENT_BYTES: usize = 4 << 20;

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Join a parent path and a key.
pub fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// A JSON object being read field by field.
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
    used: Vec<&'static str>,
}

impl<'a> Obj<'a> {
    /// Read `value` at `path` as an object.
    pub fn new(value: &'a Value, path: &str) -> InputResult<Self> {
        match value {
            Value::Object(map) => Ok(Self {
                map,
                path: path.to_string(),
                used: Vec::new(),
            }),
            other => err(
                path,
                format!("expected an object, found {}", type_name(other)),
            ),
        }
    }

    /// The path of this object.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Path of a field of this object.
    pub fn field_path(&self, key: &str) -> String {
        child_path(&self.path, key)
    }

    /// Whether the field is present (and not null).
    pub fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    /// The raw value of a field, marking it as known.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.used.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// An optional finite number within `[min, max]`.
    pub fn opt_f64(&mut self, key: &'static str, min: f64, max: f64) -> InputResult<Option<f64>> {
        let path = self.field_path(key);
        match self.get(key) {
            None => Ok(None),
            Some(v) => number_in(v, &path, min, max).map(Some),
        }
    }

    /// A finite number within `[min, max]`, or `default` when absent.
    pub fn f64_or(
        &mut self,
        key: &'static str,
        default: f64,
        min: f64,
        max: f64,
    ) -> InputResult<f64> {
        Ok(self.opt_f64(key, min, max)?.unwrap_or(default))
    }

    /// An optional whole number within `[min, max]`.
    pub fn opt_u64(&mut self, key: &'static str, min: u64, max: u64) -> InputResult<Option<u64>> {
        let path = self.field_path(key);
        match self.get(key) {
            None => Ok(None),
            Some(v) => whole_in(v, &path, min, max).map(Some),
        }
    }

    /// A whole number within `[min, max]`, or `default` when absent.
    pub fn u64_or(
        &mut self,
        key: &'static str,
        default: u64,
        min: u64,
        max: u64,
    ) -> InputResult<u64> {
        Ok(self.opt_u64(key, min, max)?.unwrap_or(default))
    }

    /// An optional string of at most `max_len` characters.
    pub fn opt_str(&mut self, key: &'static str, max_len: usize) -> InputResult<Option<String>> {
        let path = self.field_path(key);
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.chars().count() <= max_len => Ok(Some(s.clone())),
            Some(Value::String(_)) => {
                err(&path, format!("must be at most {max_len} characters long"))
            }
            Some(other) => err(
                &path,
                format!("expected a string, found {}", type_name(other)),
            ),
        }
    }

    /// An optional boolean.
    pub fn opt_bool(&mut self, key: &'static str) -> InputResult<Option<bool>> {
        let path = self.field_path(key);
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => err(
                &path,
                format!("expected true or false, found {}", type_name(other)),
            ),
        }
    }

    /// An optional nested object.
    pub fn opt_obj(&mut self, key: &'static str) -> InputResult<Option<Obj<'a>>> {
        let path = self.field_path(key);
        match self.get(key) {
            None => Ok(None),
            Some(v) => Obj::new(v, &path).map(Some),
        }
    }

    /// An optional array of at most `max_len` items, with each item's path.
    pub fn opt_array(
        &mut self,
        key: &'static str,
        max_len: usize,
    ) -> InputResult<Option<Vec<(String, &'a Value)>>> {
        let path = self.field_path(key);
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) if items.len() <= max_len => Ok(Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{path}[{i}]"), v))
                    .collect(),
            )),
            Some(Value::Array(items)) => err(
                &path,
                format!("has {} items; at most {max_len} are allowed", items.len()),
            ),
            Some(other) => err(
                &path,
                format!("expected an array, found {}", type_name(other)),
            ),
        }
    }

    /// Fail on any field that no reader asked for.
    pub fn finish(self) -> InputResult<()> {
        let mut unknown: Vec<&String> = self
            .map
            .keys()
            .filter(|k| !self.used.iter().any(|u| u == k))
            .collect();
        unknown.sort();
        match unknown.first() {
            None => Ok(()),
            Some(k) => {
                let mut known = self.used.clone();
                known.sort_unstable();
                known.dedup();
                err(
                    &child_path(&self.path, k),
                    format!("unknown field; expected one of: {}", known.join(", ")),
                )
            }
        }
    }
}

/// Read `v` as a finite number within `[min, max]`.
pub fn number_in(v: &Value, path: &str, min: f64, max: f64) -> InputResult<f64> {
    let x = match v {
        Value::Number(n) => match n.as_f64() {
            Some(x) => x,
            None => return err(path, "is not a representable number"),
        },
        other => {
            return err(
                path,
                format!("expected a number, found {}", type_name(other)),
            )
        }
    };
    if !x.is_finite() {
        err(path, "must be a finite number")
    } else if x < min {
        err(path, format!("must be at least {min} (got {x})"))
    } else if x > max {
        err(path, format!("must be at most {max} (got {x})"))
    } else {
        Ok(x)
    }
}

/// Read `v` as a whole number within `[min, max]`.
pub fn whole_in(v: &Value, path: &str, min: u64, max: u64) -> InputResult<u64> {
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_u64() {
                if x < min {
                    err(path, format!("must be at least {min} (got {x})"))
                } else if x > max {
                    err(path, format!("must be at most {max} (got {x})"))
                } else {
                    Ok(x)
                }
            } else if n.as_i64().is_some() {
                err(path, format!("must be at least {min} (got {n})"))
            } else {
                err(path, format!("must be a whole number (got {n})"))
            }
        }
        other => err(
            path,
            format!("expected a whole number, found {}", type_name(other)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_on_errors() {
        let v: Value = serde_json::from_str(r#"{"a": -1, "b": "x", "c": 1.5, "zz": 0}"#).unwrap();
        let mut o = Obj::new(&v, "root").unwrap();
        assert_eq!(
            o.opt_f64("a", 0.0, 1.0).unwrap_err().to_string(),
            "root.a: must be at least 0 (got -1)"
        );
        assert!(o
            .opt_f64("b", 0.0, 1.0)
            .unwrap_err()
            .to_string()
            .contains("root.b: expected a number"));
        assert!(o
            .opt_u64("c", 0, 9)
            .unwrap_err()
            .to_string()
            .contains("whole number"));
        let e = o.finish().unwrap_err();
        assert_eq!(e.path, "root.zz");
        assert!(e.message.contains("unknown field"));
    }

    #[test]
    fn huge_numbers_are_rejected_cleanly() {
        let e = parse_document("{\"a\": 1e999}", "workload").unwrap_err();
        assert!(e.message.contains("not valid JSON"), "{e}");
        let v: Value = serde_json::from_str("{\"a\": 1e300}").unwrap();
        let mut o = Obj::new(&v, "").unwrap();
        assert!(o.opt_f64("a", 0.0, 1e6).is_err());
    }
}
