//! The trailer block of a commit message (`Signed-off-by:`, `Co-authored-by:` …).

use plumb_model::Trailer;

/// Parses the trailers of a message's last paragraph, following git's rule closely enough
/// for provenance: the paragraph (not the subject's) counts as a trailer block when every
/// line is a `Key: value` trailer or a continuation line, or when at least a quarter of its
/// lines are trailers and one of them is one git itself writes (`Signed-off-by`,
/// `(cherry picked from commit …)`).
pub fn parse_trailers(message: &str) -> Vec<Trailer> {
    let lines: Vec<&str> = message.lines().map(|l| l.trim_end()).collect();
    // Drop trailing blank lines, then find the start of the last paragraph.
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    let start = lines[..end]
        .iter()
        .rposition(|l| l.is_empty())
        .map_or(0, |i| i + 1);
    if start == 0 {
        // The only paragraph starts with the subject: git does not read trailers there.
        return Vec::new();
    }
    let paragraph = &lines[start..end];
    let mut trailers: Vec<Trailer> = Vec::new();
    let mut other = 0usize;
    let mut git_generated = false;
    for line in paragraph {
        if let Some(t) = trailer_line(line) {
            git_generated |= t.key.eq_ignore_ascii_case("signed-off-by");
            trailers.push(t);
        } else if line.starts_with(char::is_whitespace) && !trailers.is_empty() {
            // A continuation of the previous trailer's value.
            if let Some(last) = trailers.last_mut() {
                last.value.push(' ');
                last.value.push_str(line.trim());
            }
        } else {
            git_generated |= line.starts_with("(cherry picked from commit ");
            other += 1;
        }
    }
    let all = other == 0;
    let enough = trailers.len() * 4 >= paragraph.len() && git_generated;
    if !trailers.is_empty() && (all || enough) {
        trailers
    } else {
        Vec::new()
    }
}

/// `Key: value` where the key is letters, digits and dashes.
pub(crate) fn trailer_line(line: &str) -> Option<Trailer> {
    let (key, value) = line.split_once(':')?;
    let key_ok = !key.is_empty()
        && key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !key_ok {
        return None;
    }
    Some(Trailer {
        key: key.to_string(),
        value: value.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(message: &str, expected: &[(&str, &str)]) {
        let got: Vec<(String, String)> = parse_trailers(message)
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(got, expected, "{message:?}");
    }

    #[test]
    fn trailer_blocks() {
        check("subject only", &[]);
        check("Subject: with colon\n", &[]);
        check(
            "fix\n\nbody text\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
            &[("Co-authored-by", "Claude <noreply@anthropic.com>")],
        );
        check(
            "fix\n\nSigned-off-by: A <a@x>\nCo-Authored-By: B <b@x>\n\n\n",
            &[("Signed-off-by", "A <a@x>"), ("Co-Authored-By", "B <b@x>")],
        );
        check("fix\n\nthis is prose: not a trailer\nmore prose\n", &[]);
        check(
            "fix\n\nprose line\nmore prose\nthird\nSigned-off-by: A <a@x>\n",
            &[("Signed-off-by", "A <a@x>")],
        );
        check(
            "fix\n\nAmp-Thread: https://ampcode.com/threads/T-1\n  continued\n",
            &[("Amp-Thread", "https://ampcode.com/threads/T-1 continued")],
        );
    }
}
