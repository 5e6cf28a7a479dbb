//! A minimal RFC 4180 writer: a header, rows of cells, quotes only where needed. Rows go
//! to the file as they come (through a buffer), so a large organisation's files are
//! never whole in memory.

use crate::DemoError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bytes gathered before they are written to the file.
const FLUSH_AT: usize = 256 * 1024;

/// A file written in chunks; the first write error is kept and returned by `finish`.
struct Sink {
    path: PathBuf,
    file: std::fs::File,
    out: String,
    error: Option<std::io::Error>,
}

impl Sink {
    fn create(path: &Path) -> Result<Sink, DemoError> {
        let file = std::fs::File::create(path).map_err(|e| DemoError::io(path, e))?;
        Ok(Sink {
            path: path.to_path_buf(),
            file,
            out: String::with_capacity(FLUSH_AT + 4096),
            error: None,
        })
    }

    fn maybe_flush(&mut self) {
        if self.out.len() >= FLUSH_AT {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.file.write_all(self.out.as_bytes())
        {
            self.error = Some(e);
        }
        self.out.clear();
    }

    fn finish(mut self) -> Result<(), DemoError> {
        self.flush();
        match self.error.take() {
            Some(e) => Err(DemoError::io(&self.path, e)),
            None => Ok(()),
        }
    }
}

pub struct Csv {
    sink: Sink,
    columns: usize,
    pub rows: usize,
}

impl Csv {
    /// Creates `path` and writes the header.
    pub fn create(path: &Path, header: &[&str]) -> Result<Csv, DemoError> {
        let mut sink = Sink::create(path)?;
        sink.out.push_str(&header.join(","));
        sink.out.push('\n');
        Ok(Csv {
            sink,
            columns: header.len(),
            rows: 0,
        })
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        debug_assert_eq!(cells.len(), self.columns);
        let out = &mut self.sink.out;
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_cell(out, c.as_ref());
        }
        out.push('\n');
        self.rows += 1;
        self.sink.maybe_flush();
    }

    /// Writes what is left; the number of rows.
    pub fn finish(self) -> Result<usize, DemoError> {
        let rows = self.rows;
        self.sink.finish()?;
        Ok(rows)
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
    sink: Sink,
    pub rows: usize,
}

impl Ndjson {
    pub fn create(path: &Path) -> Result<Ndjson, DemoError> {
        Ok(Ndjson {
            sink: Sink::create(path)?,
            rows: 0,
        })
    }

    pub fn row<T: serde::Serialize>(&mut self, value: &T, path: &Path) -> Result<(), DemoError> {
        let line = serde_json::to_string(value).map_err(|source| DemoError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        self.sink.out.push_str(&line);
        self.sink.out.push('\n');
        self.rows += 1;
        self.sink.maybe_flush();
        Ok(())
    }

    /// Writes what is left; the number of rows.
    pub fn finish(self) -> Result<usize, DemoError> {
        let rows = self.rows;
        self.sink.finish()?;
        Ok(rows)
    }
}

/// Writes pretty JSON with a final newline, straight to the file.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), DemoError> {
    let file = std::fs::File::create(path).map_err(|e| DemoError::io(path, e))?;
    let mut w = std::io::BufWriter::with_capacity(FLUSH_AT, file);
    serde_json::to_writer_pretty(&mut w, value).map_err(|source| {
        if source.is_io() {
            DemoError::io(path, source.into())
        } else {
            DemoError::Json {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    w.write_all(b"\n")
        .and_then(|()| w.flush())
        .map_err(|e| DemoError::io(path, e))
}

pub fn opt(v: Option<String>) -> String {
    v.unwrap_or_default()
}

pub fn bool_str(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}
