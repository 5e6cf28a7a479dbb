//! The `[ai]` section of the configuration and the errors of turning it into a catalogue.

use plumb_model::EvidenceField;
use serde::Deserialize;

/// The `[ai]` section of `plumb.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ProvenanceConfig {
    /// Extra signatures (config `[[ai.signatures]]`).
    pub signatures: Vec<CustomSignature>,
    /// Built-in signature ids or whole tool ids to switch off (e.g. "cursor" or "cursor.branch").
    pub disable: Vec<String>,
}

/// One `[[ai.signatures]]` entry.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CustomSignature {
    /// The tool id detections are reported under, e.g. `internal-agent`.
    pub tool: String,
    /// Where to look: `trailer`, `author`, `committer`, `message`, `subject`, `branch`,
    /// `label` (a pull request label), `body` (a pull request body line) or `pr-author`.
    pub field: String,
    /// A regular expression, case-insensitive unless it says `(?-i)`.
    pub pattern: String,
    /// `authored` (the default) or `review-suggestion`.
    #[serde(default)]
    pub kind: Option<String>,
}

/// The field names a custom signature may use, and where each looks.
pub(crate) const CUSTOM_FIELDS: &[(&str, EvidenceField)] = &[
    ("trailer", EvidenceField::Trailer),
    ("author", EvidenceField::Author),
    ("committer", EvidenceField::Committer),
    ("message", EvidenceField::Message),
    ("subject", EvidenceField::Subject),
    ("branch", EvidenceField::Branch),
    ("label", EvidenceField::PrLabel),
    ("body", EvidenceField::PrBody),
    ("pr-author", EvidenceField::PrAuthor),
];

/// Why a configuration could not be turned into a catalogue. Custom signatures are
/// numbered from 1 in the order of the `[[ai.signatures]]` entries.
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    #[error("signature {index}: tool is empty")]
    EmptyTool { index: usize },

    #[error(
        "signature {index} (tool {tool:?}): unknown field {field:?}, expected one of \
         trailer, author, committer, message, subject, branch, label, body, pr-author"
    )]
    UnknownField {
        index: usize,
        tool: String,
        field: String,
    },

    #[error(
        "signature {index} (tool {tool:?}): unknown kind {kind:?}, expected authored or review-suggestion"
    )]
    UnknownKind {
        index: usize,
        tool: String,
        kind: String,
    },

    #[error("signature {index} (tool {tool:?}): pattern is empty, it would match everything")]
    EmptyPattern { index: usize, tool: String },

    #[error("signature {index} (tool {tool:?}): pattern {pattern:?}: {error}")]
    BadPattern {
        index: usize,
        tool: String,
        pattern: String,
        error: regex::Error,
    },

    #[error(
        "ai.disable: unknown signature or tool {name:?}, expected a built-in tool id \
         (e.g. \"cursor\") or signature id (e.g. \"cursor.branch\")"
    )]
    UnknownDisable { name: String },
}
