//! Paths as text.

use gix::bstr::{BStr, ByteSlice};

/// A repository path as a `String`. Git paths are bytes; the rare bytes that are not UTF-8
/// are written as `\xNN` so that two different paths never become the same text.
pub fn path_to_string(path: &BStr) -> String {
    match path.to_str() {
        Ok(s) => s.to_string(),
        Err(_) => {
            let mut out = String::with_capacity(path.len() + 8);
            for chunk in path.utf8_chunks() {
                out.push_str(chunk.valid());
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_are_escaped() {
        assert_eq!(path_to_string(b"a/b\xffc".as_bstr()), "a/b\\xffc");
        assert_eq!(path_to_string("ünï/cødé".as_bytes().as_bstr()), "ünï/cødé");
    }
}
