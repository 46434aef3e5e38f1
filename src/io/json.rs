//! JSON as GeoJSON readers need it: strict (an object that names a key
//! twice is an error, not its last value) and located (an error gives the
//! line, the column and the member of `features` it is in).

use serde_json::Value;

use crate::error::Error;

/// Parse one JSON value like `serde_json::from_str`, but refuse an object
/// that names a key twice (RFC 8259 leaves its meaning open; serde_json would
/// keep the last silently, so a Point could hide a Polygon): the error, with
/// its line and column, names the key.
pub fn strict_json(text: &str) -> serde_json::Result<Value> {
    use serde::Deserialize;
    let mut de = serde_json::Deserializer::from_str(text);
    let v = Strict::deserialize(&mut de)?;
    de.end()?;
    Ok(v.0)
}

/// A JSON value built without accepting duplicate keys (see [`strict_json`]).
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key {key:?} in one object (which value is meant is ambiguous: remove one)"
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

pub(crate) fn json_error(path: &str, text: &str, e: &serde_json::Error, line_base: usize) -> Error {
    let feature = byte_offset(text, e.line(), e.column())
        .and_then(|off| feature_at(text, off))
        .map(|i| format!(" (in feature {i})"))
        .unwrap_or_default();
    let mut message = e.to_string();
    // serde_json appends " at line L column C"; we give the position ourselves.
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    if message.starts_with("expected value") && looks_like_nan(text, e) {
        message.push_str(" (NaN and Infinity are not numbers in JSON)");
    }
    Error::Json {
        path: path.to_string(),
        line: line_base + e.line().max(1) - 1,
        column: e.column(),
        feature,
        message,
    }
}

fn looks_like_nan(text: &str, e: &serde_json::Error) -> bool {
    byte_offset(text, e.line(), e.column())
        .map(|off| {
            let rest = &text[off.saturating_sub(1).min(text.len())..];
            let rest = rest.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
            rest.starts_with("NaN") || rest.starts_with("Infinity") || rest.starts_with("nan")
        })
        .unwrap_or(false)
}

/// Byte offset of a 1-based (line, column) position reported by serde_json.
fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let off = start + column.saturating_sub(1);
    (off <= text.len()).then_some(off)
}

/// 1-based line number of byte `offset`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The 1-based index of the member of the top-level `features` array that
/// contains byte `offset`, found by a scan that tolerates broken JSON.
fn feature_at(text: &str, offset: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let mut str_start = 0;
    let mut last_str: Option<(usize, usize)> = None;
    let mut array_depth: Option<usize> = None;
    let mut count = 0;
    for (i, &c) in b.iter().enumerate().take(offset.min(b.len())) {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
                if depth == 1 {
                    last_str = Some((str_start, i));
                }
            }
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                str_start = i + 1;
            }
            b'[' if depth == 1
                && array_depth.is_none()
                && last_str.is_some_and(|(s, e)| &b[s..e] == b"features") =>
            {
                depth += 1;
                array_depth = Some(depth);
            }
            b'{' | b'[' => {
                if Some(depth) == array_depth && c == b'{' {
                    count += 1;
                }
                depth += 1;
            }
            b'}' | b']' => {
                if Some(depth) == array_depth {
                    return None; // the features array closed before the offset
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    (array_depth.is_some() && count > 0).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_at_finds_the_member_holding_an_offset() {
        let text =
            r#"{"type":"FeatureCollection","features":[{"a":[1,2]},{"b":{"c":[3]}},{"d":NaN}]}"#;
        let off = text.find("NaN").unwrap();
        assert_eq!(feature_at(text, off), Some(3));
        let off = text.find("\"c\"").unwrap();
        assert_eq!(feature_at(text, off), Some(2));
        assert_eq!(feature_at(text, 5), None);
    }
}
