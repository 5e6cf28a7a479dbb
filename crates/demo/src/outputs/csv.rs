//! A minimal RFC 4180 writer: a header, rows of cells, quotes only where needed.

use crate::DemoError;
use std::path::Path;

pub struct Csv {
    out: String,
    columns: usize,
    pub rows: usize,
}

impl Csv {
    pub fn new(header: &[&str]) -> Csv {
        let mut out = header.join(",");
        out.push('\n');
        Csv {
            out,
            columns: header.len(),
            rows: 0,
        }
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        debug_assert_eq!(cells.len(), self.columns);
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_cell(&mut self.out, c.as_ref());
        }
        self.out.push('\n');
        self.rows += 1;
    }

    pub fn save(self, path: &Path) -> Result<usize, DemoError> {
        std::fs::write(path, self.out).map_err(|e| DemoError::io(path, e))?;
        Ok(self.rows)
    }
}

fn push_cell(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// One JSON object per line.
pub struct Ndjson {
    out: String,
    pub rows: usize,
}

impl Ndjson {
    pub fn new() -> Ndjson {
        Ndjson {
            out: String::new(),
            rows: 0,
        }
    }

    pub fn row<T: serde::Serialize>(&mut self, value: &T, path: &Path) -> Result<(), DemoError> {
        let line = serde_json::to_string(value).map_err(|source| DemoError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        self.out.push_str(&line);
        self.out.push('\n');
        self.rows += 1;
        Ok(())
    }

    pub fn save(self, path: &Path) -> Result<usize, DemoError> {
        std::fs::write(path, self.out).map_err(|e| DemoError::io(path, e))?;
        Ok(self.rows)
    }
}

/// Writes pretty JSON with a final newline.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), DemoError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|source| DemoError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| DemoError::io(path, e))
}

pub fn opt(v: Option<String>) -> String {
    v.unwrap_or_default()
}

pub fn bool_str(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}
