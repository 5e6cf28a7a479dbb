//! How model values are written in columns.

use plumb_model::{FileStats, IdentityClass, Trailer};
use plumb_store::StoreError;

/// `person`, `bot` or `agent:<tool>`.
pub(crate) fn class_to_str(class: &IdentityClass) -> String {
    match class {
        IdentityClass::Person => "person".into(),
        IdentityClass::Bot => "bot".into(),
        IdentityClass::AiAgent { tool } => format!("agent:{tool}"),
    }
}

pub(crate) fn class_from_str(s: &str) -> Result<IdentityClass, StoreError> {
    match s {
        "person" => Ok(IdentityClass::Person),
        "bot" => Ok(IdentityClass::Bot),
        other => match other.strip_prefix("agent:") {
            Some(tool) if !tool.is_empty() => Ok(IdentityClass::AiAgent {
                tool: tool.to_string(),
            }),
            _ => Err(StoreError::Corrupt {
                context: "identity class".into(),
                message: format!("unknown class {other:?}"),
            }),
        },
    }
}

pub(crate) fn kind_of_stats(stats: &FileStats) -> &'static str {
    match stats {
        FileStats::Merge => "merge",
        FileStats::Files { .. } => "files",
        FileStats::TreeUnknown => "tree_unknown",
    }
}

/// The stats of a `commits` row by its [`kind_of_stats`], its files not read yet.
pub(crate) fn stats_of_kind(kind: &str) -> Result<FileStats, StoreError> {
    match kind {
        "merge" => Ok(FileStats::Merge),
        "files" => Ok(FileStats::Files { files: Vec::new() }),
        "tree_unknown" => Ok(FileStats::TreeUnknown),
        other => Err(StoreError::Corrupt {
            context: "commits".into(),
            message: format!("unknown stats kind {other:?}"),
        }),
    }
}

/// Trailers as a JSON array of `[key, value]` pairs.
pub(crate) fn trailers_to_json(trailers: &[Trailer]) -> String {
    let pairs: Vec<[&str; 2]> = trailers
        .iter()
        .map(|t| [t.key.as_str(), t.value.as_str()])
        .collect();
    serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn trailers_from_json(s: &str) -> Result<Vec<Trailer>, StoreError> {
    let pairs: Vec<[String; 2]> = serde_json::from_str(s).map_err(|e| StoreError::Corrupt {
        context: "trailers".into(),
        message: e.to_string(),
    })?;
    Ok(pairs
        .into_iter()
        .map(|[key, value]| Trailer { key, value })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_round_trip() {
        for class in [
            IdentityClass::Person,
            IdentityClass::Bot,
            IdentityClass::AiAgent {
                tool: "copilot-agent".into(),
            },
        ] {
            assert_eq!(class_from_str(&class_to_str(&class)).ok(), Some(class));
        }
        assert!(class_from_str("agent:").is_err());
        assert!(class_from_str("robot").is_err());
    }

    #[test]
    fn trailers_round_trip() {
        let t = vec![Trailer {
            key: "Co-authored-by".into(),
            value: "Claude <noreply@anthropic.com> \"quoted\"".into(),
        }];
        assert_eq!(trailers_from_json(&trailers_to_json(&t)).ok(), Some(t));
    }
}
