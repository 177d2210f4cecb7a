//! The query-string codec the web app's URLs use (`#/playground?a=1&b=x`):
//! percent-decoding that never fails (bad escapes are kept as typed), and
//! encoding that keeps URLs readable (letters, digits and `-._~,` stay).

/// Most characters of a query the app reads; a longer one is refused whole.
pub const MAX_QUERY: usize = 4096;
/// Most parameters in one query.
pub const MAX_PAIRS: usize = 64;

/// Split a query (without the leading `?`) into decoded key-value pairs,
/// in order. Empty pieces are skipped; a piece without `=` has an empty value.
pub fn parse(query: &str) -> Result<Vec<(String, String)>, String> {
    let q = query.strip_prefix('?').unwrap_or(query);
    if q.len() > MAX_QUERY {
        return Err(format!(
            "the address holds {} characters of settings; at most {MAX_QUERY} are read",
            q.len()
        ));
    }
    let mut out = Vec::new();
    for piece in q.split('&').filter(|p| !p.is_empty()) {
        if out.len() == MAX_PAIRS {
            return Err(format!("the address holds more than {MAX_PAIRS} settings"));
        }
        let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
        out.push((decode(k), decode(v)));
    }
    Ok(out)
}

/// Percent-decode, with `+` as a space. Invalid escapes and invalid UTF-8
/// are kept (the latter as U+FFFD), so decoding never fails.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Percent-encode a key or value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Join pairs into a query (without the leading `?`).
pub fn join(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_decodes_leniently() {
        let pairs = [
            ("name", "a b&c=d/é".to_string()),
            ("models", "threads,processes".into()),
        ];
        let q = join(&pairs);
        assert_eq!(q, "name=a%20b%26c%3Dd%2F%C3%A9&models=threads,processes");
        let back = parse(&q).unwrap();
        assert_eq!(back[0], ("name".into(), "a b&c=d/é".into()));
        assert_eq!(back[1], ("models".into(), "threads,processes".into()));
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%FF"), "\u{FFFD}");
        assert_eq!(decode("a+b"), "a b");
        assert_eq!(
            parse("?&&x&y=1").unwrap(),
            vec![("x".into(), String::new()), ("y".into(), "1".into())]
        );
    }

    #[test]
    fn refuses_oversized_queries() {
        assert!(parse(&"a=1&".repeat(2000)).is_err());
        assert!(parse(&"a=1&".repeat(MAX_PAIRS + 1)).is_err());
        assert_eq!(parse(&"a=1&".repeat(MAX_PAIRS)).unwrap().len(), MAX_PAIRS);
    }
}
