//! Reading helpers shared by the importers of nested JSON formats (SARIF, axe, Copilot).
//!
//! They read a document into a [`serde_json::Value`] and then walk it by hand rather than
//! through typed structs, for two reasons: every problem can name the JSON path of the
//! offending value (`runs[0].results[3].ruleId`) and what was expected, and all problems of a
//! file are collected instead of stopping at serde's first one. Fields the importers do not
//! read are ignored, as scanners add many.
//!
//! A `Value` does not remember where its parts were written, so [`Lines`] scans the text once
//! more for the lines the elements of interest start on; messages and duplicate-key checks
//! then point at real lines.

use crate::{Problem, Problems, shorten};
use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;

/// The bytes without a UTF-8 byte-order mark, which some Windows tools write and JSON forbids.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Whether the bytes hold nothing but whitespace.
pub(crate) fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Parses one JSON document, or says where it stops being JSON. `line_base` is added to
/// serde's line (for one line of an NDJSON file, its line number minus one).
pub(crate) fn parse_value(bytes: &[u8], line_base: u64) -> Result<Value, Problem> {
    serde_json::from_slice(bytes).map_err(|e| syntax_problem(&e, line_base))
}

/// A serde_json error as a [`Problem`]: the line goes to the problem, the column to the text.
pub(crate) fn syntax_problem(e: &serde_json::Error, line_base: u64) -> Problem {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    let why = if e.column() > 0 {
        format!("not valid JSON: {what} at column {}", e.column())
    } else {
        format!("not valid JSON: {what}")
    };
    let line = u64::try_from(e.line()).unwrap_or(u64::MAX);
    Problem {
        line: (line > 0).then(|| line_base.saturating_add(line)),
        column: None,
        value: None,
        why,
    }
}

/// Where a value sits in a document, as messages show it: `runs[0].results[3].ruleId`, or
/// `[2].timestamp` inside a top-level array. The root is the empty path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct JsonPath(String);

impl JsonPath {
    pub(crate) fn root() -> JsonPath {
        JsonPath(String::new())
    }

    pub(crate) fn key(&self, key: &str) -> JsonPath {
        if self.0.is_empty() {
            JsonPath(key.to_string())
        } else {
            JsonPath(format!("{}.{key}", self.0))
        }
    }

    pub(crate) fn index(&self, i: usize) -> JsonPath {
        JsonPath(format!("{}[{i}]", self.0))
    }

    pub(crate) fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value as a message shows it when it is not the string that was expected: compact JSON,
/// shortened.
pub(crate) fn shown(v: &Value) -> String {
    shorten(&v.to_string())
}

/// A problem with the value at `path`, on the line of the element it belongs to.
pub(crate) fn problem(
    line: Option<u64>,
    path: &JsonPath,
    value: Option<&str>,
    why: impl Into<String>,
) -> Problem {
    Problem {
        line,
        column: (!path.is_root()).then(|| path.to_string()),
        value: value.map(shorten),
        why: why.into(),
    }
}

/// The lines where the values at some paths start, found by scanning the text of a document
/// that serde_json has already accepted.
#[derive(Debug, Default)]
pub(crate) struct Lines(HashMap<String, u64>);

enum Seg {
    Key(String),
    Index(usize),
}

struct Frame {
    seg: Seg,
    is_array: bool,
    expecting_key: bool,
}

impl Lines {
    /// Records the line of every value whose path matches one of `patterns`: a list of object
    /// keys, with `*` standing for any array index (`&["runs", "*", "results", "*"]`).
    ///
    /// The scan keeps its own stack rather than recursing, and never indexes out of bounds,
    /// so text it was not meant for gives wrong lines at worst, never a panic.
    pub(crate) fn scan(text: &[u8], patterns: &[&[&str]]) -> Lines {
        let mut lines = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut line: u64 = 1;
        let mut i = 0;
        let mut record = |stack: &[Frame], line: u64| {
            let matches = patterns.iter().any(|p| {
                p.len() == stack.len()
                    && p.iter().zip(stack).all(|(want, f)| match &f.seg {
                        Seg::Key(k) => *want == k.as_str(),
                        Seg::Index(_) => *want == "*",
                    })
            });
            if matches {
                let mut path = JsonPath::root();
                for f in stack {
                    path = match &f.seg {
                        Seg::Key(k) => path.key(k),
                        Seg::Index(n) => path.index(*n),
                    };
                }
                lines.entry(path.0).or_insert(line);
            }
        };
        while let Some(&b) = text.get(i) {
            match b {
                b'\n' => {
                    line += 1;
                    i += 1;
                }
                b' ' | b'\t' | b'\r' => i += 1,
                b'{' | b'[' => {
                    record(&stack, line);
                    let is_array = b == b'[';
                    stack.push(Frame {
                        seg: if is_array {
                            Seg::Index(0)
                        } else {
                            Seg::Key(String::new())
                        },
                        is_array,
                        expecting_key: !is_array,
                    });
                    i += 1;
                }
                b'}' | b']' => {
                    stack.pop();
                    i += 1;
                }
                b',' => {
                    if let Some(top) = stack.last_mut() {
                        match &mut top.seg {
                            Seg::Index(n) => *n += 1,
                            Seg::Key(_) => top.expecting_key = true,
                        }
                    }
                    i += 1;
                }
                b':' => {
                    if let Some(top) = stack.last_mut() {
                        top.expecting_key = false;
                    }
                    i += 1;
                }
                b'"' => {
                    let end = string_end(text, i);
                    match stack.last_mut() {
                        Some(top) if !top.is_array && top.expecting_key => {
                            top.seg = Seg::Key(decode_key(text.get(i..end).unwrap_or_default()));
                        }
                        _ => record(&stack, line),
                    }
                    i = end;
                }
                _ => {
                    record(&stack, line);
                    while let Some(&c) = text.get(i) {
                        if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                            break;
                        }
                        i += 1;
                    }
                }
            }
        }
        Lines(lines)
    }

    /// The line the value at `path` starts on, when it was one of the scanned paths.
    pub(crate) fn of(&self, path: &JsonPath) -> Option<u64> {
        self.0.get(path.as_str()).copied()
    }
}

/// The index just past the string that starts (with its quote) at `start`.
fn string_end(text: &[u8], start: usize) -> usize {
    let mut j = start + 1;
    while let Some(&c) = text.get(j) {
        match c {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    text.len()
}

/// A quoted key as its string, escapes resolved.
fn decode_key(quoted: &[u8]) -> String {
    if quoted.contains(&b'\\') {
        serde_json::from_slice::<String>(quoted).unwrap_or_default()
    } else {
        let inner = quoted
            .strip_prefix(b"\"")
            .and_then(|q| q.strip_suffix(b"\""))
            .unwrap_or_default();
        String::from_utf8_lossy(inner).into_owned()
    }
}

/// Typed access to the fields of one element, reporting every field of the wrong type.
///
/// Each getter takes the object and its path and reads one key: absent or `null` is `None`
/// ("unknown"); a value of another type is a problem and also `None`.
pub(crate) struct Fields<'p> {
    /// The line of the element, for every problem found in it.
    pub(crate) line: Option<u64>,
    pub(crate) problems: &'p mut Problems,
}

/// The field `key` of `v`, unless absent or `null`.
pub(crate) fn field<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.get(key).filter(|f| !f.is_null())
}

impl Fields<'_> {
    pub(crate) fn push(&mut self, path: &JsonPath, value: Option<&str>, why: impl Into<String>) {
        self.problems.push(problem(self.line, path, value, why));
    }

    /// A required field is absent.
    pub(crate) fn missing(&mut self, path: &JsonPath, expected: &str) {
        self.push(path, None, format!("missing: expected {expected}"));
    }

    fn wrong(&mut self, path: &JsonPath, found: &Value, what: &str) {
        self.push(path, None, format!("{} is not {what}", shown(found)));
    }

    pub(crate) fn string<'v>(
        &mut self,
        v: &'v Value,
        key: &str,
        path: &JsonPath,
    ) -> Option<&'v str> {
        let f = field(v, key)?;
        match f.as_str() {
            Some(s) => Some(s),
            None => {
                self.wrong(&path.key(key), f, "a string");
                None
            }
        }
    }

    pub(crate) fn object<'v>(
        &mut self,
        v: &'v Value,
        key: &str,
        path: &JsonPath,
    ) -> Option<&'v Map<String, Value>> {
        let f = field(v, key)?;
        match f.as_object() {
            Some(o) => Some(o),
            None => {
                self.wrong(&path.key(key), f, "an object");
                None
            }
        }
    }

    pub(crate) fn array<'v>(
        &mut self,
        v: &'v Value,
        key: &str,
        path: &JsonPath,
    ) -> Option<&'v [Value]> {
        let f = field(v, key)?;
        match f.as_array() {
            Some(a) => Some(a.as_slice()),
            None => {
                self.wrong(&path.key(key), f, "an array");
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, v: &Value, key: &str, path: &JsonPath) -> Option<bool> {
        let f = field(v, key)?;
        match f.as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong(&path.key(key), f, "true or false");
                None
            }
        }
    }

    /// A count: a whole number, 0 or more.
    pub(crate) fn count(&mut self, v: &Value, key: &str, path: &JsonPath) -> Option<u64> {
        let f = field(v, key)?;
        match f.as_u64() {
            Some(n) => Some(n),
            None => {
                self.wrong(
                    &path.key(key),
                    f,
                    "a count: expected a whole number, 0 or more",
                );
                None
            }
        }
    }

    /// An RFC 3339 timestamp with an offset.
    pub(crate) fn timestamp(&mut self, v: &Value, key: &str, path: &JsonPath) -> Option<Timestamp> {
        let s = self.string(v, key, path)?;
        match crate::tabular::parse_timestamp(s) {
            Ok(t) => Some(t),
            Err(why) => {
                self.push(&path.key(key), Some(s), why);
                None
            }
        }
    }

    /// A calendar date, `YYYY-MM-DD`.
    pub(crate) fn date(&mut self, v: &Value, key: &str, path: &JsonPath) -> Option<Date> {
        let s = self.string(v, key, path)?;
        match crate::tabular::parse_date(s) {
            Ok(d) => Some(d),
            Err(why) => {
                self.push(&path.key(key), Some(s), why);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_nested_elements() {
        let text = br#"{
  "runs": [
    {"results": [
      {"a": "x, ]}"},
      {"b": [1, 2]}
    ]},
    {"results": [], "r\u0065sults2": 1}
  ]
}"#;
        let lines = Lines::scan(text, &[&["runs", "*", "results", "*"], &["runs", "*"]]);
        let at = |p: &str| lines.0.get(p).copied();
        assert_eq!(at("runs[0]"), Some(3));
        assert_eq!(at("runs[0].results[0]"), Some(4));
        assert_eq!(at("runs[0].results[1]"), Some(5));
        assert_eq!(at("runs[1]"), Some(7));
        assert_eq!(lines.0.len(), 4);
    }

    #[test]
    fn lines_of_a_top_level_array() {
        let lines = Lines::scan(b"[1,\n\"two\",\n{\"k\": []}, []]", &[&["*"]]);
        let at = |p: &str| lines.0.get(p).copied();
        assert_eq!(
            (at("[0]"), at("[1]"), at("[2]"), at("[3]")),
            (Some(1), Some(2), Some(3), Some(3))
        );
    }

    #[test]
    fn syntax_problems_say_line_and_column() {
        let e = parse_value(b"{\n  \"a\": 1,\n  \"b\" 2\n}", 0).unwrap_err();
        assert_eq!(
            e.render("f.json"),
            "f.json:3: not valid JSON: expected `:` at column 7"
        );
        let e = parse_value(b"{\"a\": 1", 10).unwrap_err();
        assert_eq!(
            e.render("f.json"),
            "f.json:11: not valid JSON: EOF while parsing an object at column 7"
        );
    }

    #[test]
    fn dates_are_strict() {
        use crate::tabular::parse_date;
        assert!(parse_date("2026-03-01").is_ok());
        for bad in [
            "2026-02-30",
            "2026-3-1",
            "20260301",
            "2026-03-01T00:00:00Z",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
