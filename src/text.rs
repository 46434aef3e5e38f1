//! Text from input files made safe to show a person: control characters
//! escaped (no ANSI or OSC sequence reaches a terminal, nothing XML forbids
//! reaches an SVG) and quotations bounded (a 2 GB `.cpg` is not printed).

use std::borrow::Cow;

/// At most this many characters of any input are quoted in a message.
pub const MAX_QUOTED_CHARS: usize = 200;

/// `s` made safe to show: every control character (C0 and C1, escape and
/// bell included) written as `\u{..}`; other text unchanged.
pub fn printable(s: &str) -> Cow<'_, str> {
    printable_except(s, &[])
}

/// [`printable`], keeping the characters of `keep` (a message's own `\n`).
pub fn printable_except<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    let escape = |c: char| c.is_control() && !keep.contains(&c);
    if !s.chars().any(escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most [`MAX_QUOTED_CHARS`] characters of `s`, printable, with how much
/// was left out: `abc… (2147483648 bytes in all)`.
pub fn excerpt(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(MAX_QUOTED_CHARS) {
        None => printable(s),
        Some((cut, _)) => Cow::Owned(format!(
            "{}… ({} bytes in all)",
            printable(&s[..cut]),
            s.len()
        )),
    }
}

/// [`excerpt`] of bytes that may not be UTF-8 (read lossily, and no more of
/// them than the excerpt needs).
pub fn excerpt_bytes(b: &[u8]) -> String {
    let head = &b[..b.len().min(MAX_QUOTED_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        None if head.len() == b.len() => printable(&text).into_owned(),
        found => {
            let cut = found.map_or(text.len(), |(i, _)| i);
            format!("{}… ({} bytes in all)", printable(&text[..cut]), b.len())
        }
    }
}

/// `s` in double quotes as an excerpt (see [`excerpt`]), `"` and `\` escaped.
pub fn quoted(s: &str) -> String {
    let e = excerpt(s);
    format!("\"{}\"", e.replace('\\', "\\\\").replace('"', "\\\""))
}

/// [`printable`] under another name, for names put into commands shown to
/// the user.
pub fn escaped(s: &str) -> Cow<'_, str> {
    printable(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("Syunik"), "Syunik");
        assert_eq!(
            printable("a\u{1b}[31mred\u{7}\u{9b}b\tc"),
            "a\\u{1b}[31mred\\u{7}\\u{9b}b\\u{9}c"
        );
        assert_eq!(printable_except("a\nb\u{1b}", &['\n']), "a\nb\\u{1b}");
    }

    #[test]
    fn quotations_are_bounded() {
        let long = "x".repeat(5000);
        let e = excerpt(&long);
        assert!(e.starts_with(&"x".repeat(200)));
        assert!(e.ends_with("… (5000 bytes in all)"), "{e}");
        assert_eq!(e.chars().filter(|&c| c == 'x').count(), 200);
        assert_eq!(excerpt("short"), "short");
        let b = excerpt_bytes(&vec![b'y'; 1 << 20]);
        assert!(b.ends_with("… (1048576 bytes in all)"), "{b}");
        assert_eq!(excerpt_bytes(b"ok"), "ok");
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
    }
}
