#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Keeps ARCHITECTURE.md true: every crate has a section, and no crate depends on a
//! plumb crate its section forbids.

use std::path::Path;

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

/// The plumb crates each crate may depend on (normal dependencies), as ARCHITECTURE.md states.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("provenance", &["plumb-model"]),
    ("git", &["plumb-model"]),
    ("store", &["plumb-model"]),
    ("store-sqlite", &["plumb-model", "plumb-store"]),
    ("import", &["plumb-model"]),
    ("link", &["plumb-model"]),
    ("demo", &["plumb-model"]),
    (
        "ingest",
        &[
            "plumb-model",
            "plumb-git",
            "plumb-provenance",
            "plumb-import",
            "plumb-store",
        ],
    ),
    ("metrics", &["plumb-model", "plumb-link"]),
    ("report", &["plumb-model", "plumb-metrics"]),
    ("governance", &["plumb-model"]),
    (
        "cli",
        &[
            "plumb-model",
            "plumb-git",
            "plumb-provenance",
            "plumb-store",
            "plumb-store-sqlite",
            "plumb-metrics",
            "plumb-report",
            "plumb-ingest",
            "plumb-governance",
            "plumb-import",
            "plumb-link",
            "plumb-demo",
        ],
    ),
];

fn crate_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(workspace().join("crates"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_crate_is_in_the_code_map() {
    let doc = std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).unwrap();
    for dir in crate_dirs() {
        assert!(
            doc.contains(&format!("### `crates/{dir}`")),
            "ARCHITECTURE.md has no section for crates/{dir}"
        );
        assert!(
            ALLOWED.iter().any(|(name, _)| *name == dir),
            "crates/{dir} has no dependency rule in tests/architecture.rs"
        );
    }
}

#[test]
fn dependencies_point_where_the_code_map_allows() {
    for (dir, allowed) in ALLOWED {
        let manifest =
            std::fs::read_to_string(workspace().join("crates").join(dir).join("Cargo.toml"))
                .unwrap();
        let manifest: toml::Table = toml::from_str(&manifest).unwrap();
        let deps = manifest
            .get("dependencies")
            .and_then(|d| d.as_table())
            .cloned()
            .unwrap_or_default();
        for name in deps.keys().filter(|k| k.starts_with("plumb-")) {
            assert!(
                allowed.contains(&name.as_str()),
                "crates/{dir} depends on {name}, which ARCHITECTURE.md does not allow"
            );
        }
    }
}
