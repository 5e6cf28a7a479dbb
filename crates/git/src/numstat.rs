//! Per-file added/deleted line counts between two trees, as `git diff --numstat` counts them.

use crate::paths::path_to_string;
use gix::ObjectId;
use gix::bstr::BString;
use gix::objs::tree::{EntryKind, EntryMode};
use gix::prelude::Find;
use gix_imara_diff::{Algorithm, Diff, InternedInput};
use plumb_model::{FileChange, FileStats, LineStats};
use std::collections::HashMap;

/// git looks for a NUL byte in this many leading bytes to call a file binary.
const BINARY_PROBE: usize = 8000;
/// git treats blobs above `core.bigFileThreshold` (512 MiB by default) as binary.
const BIG_FILE: usize = 512 * 1024 * 1024;
/// Blob pairs are often diffed more than once (cherry-picks, reverts, rebased branches
/// read side by side); the cache is cleared when it grows past this many entries.
const PAIR_CACHE_LIMIT: usize = 200_000;

/// One side of a file change: what the tree entry points at.
#[derive(Clone, Copy)]
pub(crate) struct Side {
    pub(crate) kind: EntryKind,
    pub(crate) oid: ObjectId,
}

/// A file that differs between two trees: its path and both sides (`None` where absent).
pub(crate) struct FileDelta {
    pub(crate) path: BString,
    pub(crate) old: Option<Side>,
    pub(crate) new: Option<Side>,
}

/// Lists the files that differ between two trees, as `git diff --no-renames` lists them;
/// its buffers are reused across calls.
#[derive(Default)]
pub(crate) struct TreeDiffer {
    state: gix::diff::tree::State,
    recorder: gix::diff::tree::Recorder,
    old_tree: Vec<u8>,
    new_tree: Vec<u8>,
}

impl TreeDiffer {
    /// Fills `out` with the files changed from `parent_tree` (the empty tree when `None`)
    /// to `tree`, in tree order. Returns false when a tree or subtree is missing: the list
    /// of changed files itself is then unknown.
    pub(crate) fn changes(
        &mut self,
        repo: &gix::Repository,
        parent_tree: Option<ObjectId>,
        tree: ObjectId,
        out: &mut Vec<FileDelta>,
    ) -> bool {
        out.clear();
        let hash = repo.object_hash();
        self.old_tree.clear();
        if let Some(parent_tree) = parent_tree {
            match repo.objects.try_find(&parent_tree, &mut self.old_tree) {
                Ok(Some(_)) => {}
                _ => return false,
            }
        }
        match repo.objects.try_find(&tree, &mut self.new_tree) {
            Ok(Some(_)) => {}
            _ => return false,
        }
        // The recorder keeps the path it is in between calls; a fresh one per diff keeps
        // paths from one commit leaking into the next.
        self.recorder = gix::diff::tree::Recorder::default();
        let walked = gix::diff::tree(
            gix::objs::TreeRefIter::from_bytes(&self.old_tree, hash),
            gix::objs::TreeRefIter::from_bytes(&self.new_tree, hash),
            &mut self.state,
            &repo.objects,
            &mut self.recorder,
        );
        if walked.is_err() {
            return false;
        }
        for change in std::mem::take(&mut self.recorder.records) {
            use gix::diff::tree::recorder::Change;
            let (old, new, path) = match change {
                Change::Addition {
                    entry_mode,
                    oid,
                    path,
                    ..
                } => (None, side(entry_mode, oid), path),
                Change::Deletion {
                    entry_mode,
                    oid,
                    path,
                    ..
                } => (side(entry_mode, oid), None, path),
                Change::Modification {
                    previous_entry_mode,
                    previous_oid,
                    entry_mode,
                    oid,
                    path,
                } => (
                    side(previous_entry_mode, previous_oid),
                    side(entry_mode, oid),
                    path,
                ),
            };
            if old.is_none() && new.is_none() {
                // Both sides are trees: their files are reported one by one.
                continue;
            }
            if let (Some(o), Some(n)) = (old, new)
                && o.oid == n.oid
                && o.kind == n.kind
            {
                // Equivalent legacy modes (100664 and 100644): git shows no change.
                continue;
            }
            out.push(FileDelta { path, old, new });
        }
        true
    }
}

/// Buffers and caches reused across every diff one worker makes.
#[derive(Default)]
pub(crate) struct Differ {
    trees: TreeDiffer,
    deltas: Vec<FileDelta>,
    old_blob: Vec<u8>,
    new_blob: Vec<u8>,
    diff: Diff,
    pairs: HashMap<(ObjectId, ObjectId), LineStats>,
}

/// Whether [`load`] found the object.
pub(crate) enum Content {
    Missing,
    Loaded,
}

impl Differ {
    /// The file changes from `parent_tree` (the empty tree when `None`) to `tree`.
    pub(crate) fn file_stats(
        &mut self,
        repo: &gix::Repository,
        parent_tree: Option<ObjectId>,
        tree: ObjectId,
    ) -> FileStats {
        let mut deltas = std::mem::take(&mut self.deltas);
        if !self.trees.changes(repo, parent_tree, tree, &mut deltas) {
            self.deltas = deltas;
            return FileStats::TreeUnknown;
        }
        let mut files = Vec::with_capacity(deltas.len());
        for delta in &deltas {
            let stats = self.line_stats(repo, delta.old, delta.new);
            files.push(FileChange {
                path: path_to_string(delta.path.as_ref()),
                stats,
            });
        }
        self.deltas = deltas;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        FileStats::Files { files }
    }

    fn line_stats(
        &mut self,
        repo: &gix::Repository,
        old: Option<Side>,
        new: Option<Side>,
    ) -> LineStats {
        let key = (
            old.map_or(ObjectId::null(repo.object_hash()), |s| s.oid),
            new.map_or(ObjectId::null(repo.object_hash()), |s| s.oid),
        );
        let same_object = old.is_some() && new.is_some() && key.0 == key.1;
        if !same_object && let Some(stats) = self.pairs.get(&key) {
            return *stats;
        }
        if let Content::Missing = load(repo, old, &mut self.old_blob) {
            return LineStats::Unknown;
        }
        if let Content::Missing = load(repo, new, &mut self.new_blob) {
            return LineStats::Unknown;
        }
        let stats = if is_binary(&self.old_blob) || is_binary(&self.new_blob) {
            LineStats::Binary
        } else if same_object {
            // A mode change alone: git prints 0 and 0.
            LineStats::Text {
                added: 0,
                deleted: 0,
            }
        } else if self.old_blob.is_empty() {
            LineStats::Text {
                added: count_lines(&self.new_blob),
                deleted: 0,
            }
        } else if self.new_blob.is_empty() {
            LineStats::Text {
                added: 0,
                deleted: count_lines(&self.old_blob),
            }
        } else {
            let input = InternedInput::new(self.old_blob.as_slice(), self.new_blob.as_slice());
            self.diff.compute_with(
                Algorithm::Myers,
                &input.before,
                &input.after,
                input.interner.num_tokens(),
            );
            LineStats::Text {
                added: self.diff.count_additions(),
                deleted: self.diff.count_removals(),
            }
        };
        if self.pairs.len() >= PAIR_CACHE_LIMIT {
            self.pairs.clear();
        }
        if !same_object {
            self.pairs.insert(key, stats);
        }
        stats
    }
}

fn side(mode: EntryMode, oid: ObjectId) -> Option<Side> {
    match mode.kind() {
        EntryKind::Tree => None,
        kind => Some(Side { kind, oid }),
    }
}

/// Fills `buf` with what git compares for this side: the blob, or a submodule's
/// `Subproject commit <id>` line. An absent side is empty.
pub(crate) fn load(repo: &gix::Repository, side: Option<Side>, buf: &mut Vec<u8>) -> Content {
    buf.clear();
    let Some(side) = side else {
        return Content::Loaded;
    };
    if side.kind == EntryKind::Commit {
        buf.extend_from_slice(format!("Subproject commit {}\n", side.oid).as_bytes());
        return Content::Loaded;
    }
    match repo.objects.try_find(&side.oid, buf) {
        Ok(Some(_)) => Content::Loaded,
        _ => {
            buf.clear();
            Content::Missing
        }
    }
}

pub(crate) fn is_binary(data: &[u8]) -> bool {
    data.len() > BIG_FILE || data[..data.len().min(BINARY_PROBE)].contains(&0)
}

/// Lines as git counts them: a last line without a newline still counts.
pub(crate) fn count_lines(data: &[u8]) -> u32 {
    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    let unterminated = usize::from(data.last().is_some_and(|&b| b != b'\n'));
    u32::try_from(newlines + unterminated).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_git() {
        for (data, expected) in [
            (&b""[..], 0),
            (b"a", 1),
            (b"a\n", 1),
            (b"a\nb", 2),
            (b"\n\n", 2),
        ] {
            assert_eq!(count_lines(data), expected, "{data:?}");
        }
    }

    #[test]
    fn binary_is_a_nul_in_the_first_8000_bytes() {
        let mut late = vec![b'a'; 9000];
        late[8500] = 0;
        assert!(!is_binary(&late));
        late[7999] = 0;
        assert!(is_binary(&late));
    }
}
