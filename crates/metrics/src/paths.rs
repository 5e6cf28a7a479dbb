//! Which changed files count as written code.
//!
//! Lock files, vendored trees and generated code are added in bulk by tools, so counting
//! their lines would let one `cargo update` outweigh a month of work and make every
//! line-based share meaningless. The built-in list covers the common ecosystems; the
//! configuration adds patterns.
//!
//! Patterns are a small, documented subset of gitignore globs, hand-written so the pure
//! metrics crate needs no glob dependency:
//!
//! - a pattern without `/` matches the file name at any depth (`*.lock`, `go.sum`);
//! - a pattern with `/` is anchored at the repository root (`vendor/**`, `src/gen/*.rs`);
//! - `**` as a whole component matches any number of components, including none
//!   (`**/generated/**`, `docs/**`);
//! - `*` matches any run of characters within one component and `?` one character.

/// Built-in file-name patterns of lock files and generated code.
const BUILTIN_FILES: &[&str] = &[
    "*.lock",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "Cargo.lock",
    "go.sum",
    "poetry.lock",
    "composer.lock",
    "Gemfile.lock",
    "*.min.js",
    "*.pb.go",
    "*_pb2.py",
];

/// Directory names whose whole subtree is vendored, installed, built or generated.
const BUILTIN_DIRS: &[&str] = &["vendor", "node_modules", "third_party", "dist", "generated"];

/// The set of excluded paths: the built-in list plus the configured patterns.
#[derive(Debug, Clone)]
pub(crate) struct PathFilter {
    patterns: Vec<Vec<String>>,
}

impl PathFilter {
    pub(crate) fn new(extra: &[String]) -> Self {
        let mut patterns: Vec<Vec<String>> = BUILTIN_FILES.iter().map(|p| split(p)).collect();
        patterns.extend(BUILTIN_DIRS.iter().map(|d| split(&format!("**/{d}/**"))));
        patterns.extend(
            extra
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .map(split),
        );
        PathFilter { patterns }
    }

    /// Whether the lines of `path` are left out of line counts.
    pub(crate) fn excludes(&self, path: &str) -> bool {
        let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        self.patterns.iter().any(|p| match_components(p, &comps))
    }
}

/// Splits a pattern into components; a pattern without `/` is matched at any depth, as in
/// gitignore, so it becomes `**/pattern`.
fn split(pattern: &str) -> Vec<String> {
    let p = pattern.trim_start_matches("./");
    let anchored = p.contains('/');
    let mut comps: Vec<String> = Vec::new();
    if !anchored {
        comps.push("**".to_string());
    }
    comps.extend(
        p.trim_start_matches('/')
            .split('/')
            .filter(|c| !c.is_empty())
            .map(str::to_string),
    );
    comps
}

fn match_components(pattern: &[String], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| match_components(rest, &path[skip..]))
        }
        Some((first, rest)) => match path.split_first() {
            Some((head, tail)) => wildcard(first, head) && match_components(rest, tail),
            None => false,
        },
    }
}

/// `*` and `?` within one path component.
fn wildcard(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        // One byte per character: no need to decode.
        return wildcard_in(pattern.as_bytes(), text.as_bytes());
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    wildcard_in(&p, &t)
}

fn wildcard_in<C: Copy + PartialEq + From<u8>>(p: &[C], t: &[C]) -> bool {
    let (any, one) = (C::from(b'*'), C::from(b'?'));
    let (mut pi, mut ti) = (0, 0);
    // Position of the last `*` and the text position it was tried at, for backtracking.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == any {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(extra: &[&str], path: &str, excluded: bool) {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let f = PathFilter::new(&extra);
        assert_eq!(f.excludes(path), excluded, "{path} with {extra:?}");
    }

    #[test]
    fn builtin_lock_files_and_generated_code() {
        check(&[], "Cargo.lock", true);
        check(&[], "web/package-lock.json", true);
        check(&[], "pnpm-lock.yaml", true);
        check(&[], "svc/go.sum", true);
        check(&[], "app/static/app.min.js", true);
        check(&[], "api/v1/api.pb.go", true);
        check(&[], "proto/msg_pb2.py", true);
        check(&[], "flake.lock", true);
        check(&[], "src/lock.rs", false);
        check(&[], "src/main.rs", false);
        check(&[], "go.mod", false);
    }

    #[test]
    fn builtin_directories_at_any_depth() {
        check(&[], "vendor/github.com/x/y.go", true);
        check(&[], "web/node_modules/react/index.js", true);
        check(&[], "third_party/zlib/z.c", true);
        check(&[], "pkg/dist/bundle.js", true);
        check(&[], "src/generated/schema.rs", true);
        check(&[], "src/vendored.rs", false);
        check(&[], "distribution/notes.md", false);
    }

    #[test]
    fn configured_patterns() {
        check(&["build/**"], "build/out/a.js", true);
        check(&["build/**"], "src/build/a.js", false);
        check(&["**/fixtures/**"], "tests/fixtures/big.json", true);
        check(&["*.snap"], "tests/snapshots/a.snap", true);
        check(&["**/*.svg"], "assets/icons/a.svg", true);
        check(&["docs/*.md"], "docs/a.md", true);
        check(&["docs/*.md"], "docs/sub/a.md", false);
        check(&["schema_??.sql"], "db/schema_01.sql", true);
        check(&["  "], "src/main.rs", false);
    }

    #[test]
    fn wildcard_backtracks() {
        assert!(wildcard("*_pb2.py", "a_pb2_pb2.py"));
        assert!(wildcard("a*b*c", "aXbYbZc"));
        assert!(!wildcard("a*b*c", "aXbYbZ"));
        assert!(wildcard("*", ""));
    }
}
