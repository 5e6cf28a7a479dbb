#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The catalogue matches the product contract: every id of `PRODUCT.md` §5, no other.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn spec_ids() -> BTreeSet<String> {
    // `../shared` beside the project root, as `shared/README.md` promises every checkout.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/PRODUCT.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let start = text.find("## 5. Metric catalogue").expect("§5 heading");
    let end = text[start..]
        .find("\n## 6.")
        .map_or(text.len(), |e| start + e);
    text[start..end]
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next())
        .filter(|id| id.contains('.') && !id.contains(' '))
        .map(str::to_string)
        .collect()
}

#[test]
fn catalogue_has_exactly_the_spec_ids() {
    let spec = spec_ids();
    assert!(spec.len() > 40, "parsed only {spec:?}");
    let ours: BTreeSet<String> = plumb_metrics::catalogue()
        .iter()
        .map(|d| d.id.to_string())
        .collect();
    assert_eq!(ours, spec);
}
