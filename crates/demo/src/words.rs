//! Word lists for titles, branch names and commit subjects.

pub const FEATURE_THINGS: &[&str] = &[
    "export",
    "webhooks",
    "history view",
    "rate limits",
    "search",
    "notifications",
    "summary email",
    "audit trail",
    "retries",
    "bulk actions",
    "filters",
    "preview",
    "dashboard",
    "CSV import",
    "status page",
    "API pagination",
];

pub const FEATURE_FORMS: &[&str] = &[
    "Add {n} {t}",
    "Support {t} for {n}s",
    "Expose {n} {t} in the public API",
    "Show {n} {t} to customers",
    "Build {n} {t}",
    "Let admins configure {n} {t}",
];

pub const BUG_PROBLEMS: &[&str] = &[
    "rounding error",
    "duplicate events",
    "timeout under load",
    "race condition",
    "missing translations",
    "null dereference",
    "off-by-one in pagination",
    "stale cache",
    "wrong time zone",
    "memory leak",
    "flaky retry",
    "broken link",
];

pub const BUG_FORMS: &[&str] = &[
    "Fix {n} {p}",
    "{N} {p} in production",
    "Handle {p} in {n} sync",
    "Fix {p} when {n} is empty",
];

pub const CHORE_FORMS: &[&str] = &[
    "Upgrade Node runtime for {n} workers",
    "Clean up {n} feature flags",
    "Rotate {n} credentials",
    "Update {n} dashboards",
    "Tidy {n} CI configuration",
    "Bump base image for {n} jobs",
];

pub const DEBT_FORMS: &[&str] = &[
    "Refactor {n} module",
    "Remove legacy {n} code path",
    "Split {n} handler",
    "Replace hand-rolled {n} parser",
    "Pay down TODOs in {n}",
    "Consolidate {n} error handling",
];

pub const SPIKE_TECH: &[&str] = &[
    "gRPC streaming",
    "Postgres partitioning",
    "vector search",
    "edge caching",
    "a feature store",
    "WASM plugins",
    "event sourcing",
    "OpenTelemetry traces",
];

pub const SPIKE_FORMS: &[&str] = &["Spike: {x} for {n}s", "Spike: evaluate {x}"];

pub const EXPERIMENT_FORMS: &[&str] = &[
    "Experiment: {n} {t} variant B",
    "A/B test {n} {t}",
    "Experiment: simplified {n} flow",
];

pub const INCIDENT_SYMPTOMS: &[&str] = &[
    "elevated 5xx",
    "latency spike",
    "failed jobs backlog",
    "checkout errors",
    "data inconsistency",
    "login failures",
];

pub const FOLLOW_UP_SUBJECTS: &[&str] = &[
    "Add tests for {n} {t}",
    "Handle empty {n} list",
    "Extract {n} helper",
    "Wire {n} {t} into the API",
    "Update docs for {n}",
    "Fix lint warnings",
    "Rename {n} fields",
    "Cover {n} edge cases",
    "Log {n} failures",
];

pub const REWORK_SUBJECTS: &[&str] = &[
    "Address review feedback",
    "Apply review suggestions",
    "Simplify {n} validation per review",
    "Add missing test per review",
];

pub const TS_PACKAGES: &[&str] = &[
    "axios",
    "react",
    "typescript",
    "eslint",
    "jest",
    "zod",
    "express",
    "lodash",
    "prisma",
    "@types/node",
];

pub const GO_MODULES: &[&str] = &[
    "golang.org/x/net",
    "github.com/stretchr/testify",
    "google.golang.org/grpc",
    "github.com/jackc/pgx/v5",
    "go.uber.org/zap",
    "github.com/prometheus/client_golang",
];

/// Fills `{n}` (noun), `{N}` (capitalised noun), `{t}` (thing), `{p}` (problem), `{x}`.
pub fn fill(form: &str, n: &str, t: &str, p: &str, x: &str) -> String {
    form.replace("{N}", &capitalise(n))
        .replace("{n}", n)
        .replace("{t}", t)
        .replace("{p}", p)
        .replace("{x}", x)
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A branch-name slug of a title: lower case words joined by `-`, at most five words.
pub fn slug(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}
