//! A pack file writer: the demo's objects go into one pack per repository (with its
//! version-2 index) instead of tens of thousands of loose files, which made writing the
//! repositories slow and large on disk. Blobs and trees are stored as deltas against the
//! previous version of the same path when that is smaller, with chains kept short so
//! that reading stays fast. Objects are hashed and compressed with gitoxide's own
//! functions; only the container format is written here.

use gix::ObjectId;
use gix::objs::Kind;
use gix::zlib::stream::deflate::{Compress, FlushCompress};
use std::collections::HashSet;
use std::path::Path;

/// The longest delta chain the writer makes (git's default window allows 50).
pub const MAX_DEPTH: u32 = 24;

pub struct Pack {
    data: Vec<u8>,
    entries: Vec<(ObjectId, u64, u32)>,
    // Only asked for membership, never iterated: its order cannot reach the output.
    seen: HashSet<ObjectId>,
    compress: Compress,
    crc: [u32; 256],
}

/// Where a stored object is, for deltas against it.
#[derive(Clone, Copy, Debug)]
pub struct Stored {
    pub offset: u64,
    pub depth: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("cannot hash an object: {0}")]
    Hash(String),
    #[error("cannot compress an object: {0}")]
    Compress(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn crc_table() -> [u32; 256] {
    let mut t = [0u32; 256];
    for (i, e) in t.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *e = c;
    }
    t
}

fn type_code(kind: Kind) -> u8 {
    match kind {
        Kind::Commit => 1,
        Kind::Tree => 2,
        Kind::Blob => 3,
        Kind::Tag => 4,
    }
}

fn entry_header(out: &mut Vec<u8>, code: u8, size: usize) {
    let mut size = size as u64;
    let mut byte = (code << 4) | (size & 0x0f) as u8;
    size >>= 4;
    while size > 0 {
        out.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(byte);
}

fn varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A git delta that rebuilds `target` from `base`: copies of base ranges and inserts.
pub struct Delta {
    bytes: Vec<u8>,
}

impl Delta {
    pub fn new(base_len: usize, target_len: usize) -> Delta {
        let mut bytes = Vec::with_capacity(64);
        varint(&mut bytes, base_len);
        varint(&mut bytes, target_len);
        Delta { bytes }
    }

    pub fn copy(&mut self, mut offset: usize, mut len: usize) {
        while len > 0 {
            let n = len.min(0xffff);
            let start = self.bytes.len();
            self.bytes.push(0x80);
            for i in 0..4 {
                let b = ((offset >> (8 * i)) & 0xff) as u8;
                if b != 0 {
                    self.bytes[start] |= 1 << i;
                    self.bytes.push(b);
                }
            }
            for i in 0..2 {
                let b = ((n >> (8 * i)) & 0xff) as u8;
                if b != 0 {
                    self.bytes[start] |= 0x10 << i;
                    self.bytes.push(b);
                }
            }
            offset += n;
            len -= n;
        }
    }

    pub fn insert(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let n = data.len().min(0x7f);
            self.bytes.push(n as u8);
            self.bytes.extend_from_slice(&data[..n]);
            data = &data[n..];
        }
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// The delta of two byte strings by their common prefix and suffix (trees change in
    /// one or a few entries at a time).
    pub fn prefix_suffix(base: &[u8], target: &[u8]) -> Delta {
        let prefix = base.iter().zip(target).take_while(|(a, b)| a == b).count();
        let max_suffix = base.len().min(target.len()) - prefix;
        let suffix = base
            .iter()
            .rev()
            .zip(target.iter().rev())
            .take(max_suffix)
            .take_while(|(a, b)| a == b)
            .count();
        let mut d = Delta::new(base.len(), target.len());
        d.copy(0, prefix);
        d.insert(&target[prefix..target.len() - suffix]);
        d.copy(base.len() - suffix, suffix);
        d
    }
}

impl Pack {
    pub fn new() -> Pack {
        let mut data = Vec::with_capacity(1 << 20);
        data.extend_from_slice(b"PACK");
        data.extend_from_slice(&2u32.to_be_bytes());
        data.extend_from_slice(&0u32.to_be_bytes());
        Pack {
            data,
            entries: Vec::new(),
            seen: HashSet::new(),
            compress: Compress::new(gix::zlib::Compression::new(4).unwrap_or_default()),
            crc: crc_table(),
        }
    }

    pub fn id(kind: Kind, bytes: &[u8]) -> Result<ObjectId, PackError> {
        gix::objs::compute_hash(gix::hash::Kind::Sha1, kind, bytes)
            .map_err(|e| PackError::Hash(e.to_string()))
    }

    fn deflate(&mut self, input: &[u8]) -> Result<(), PackError> {
        self.compress.reset();
        let mut input = input;
        loop {
            let start = self.data.len();
            self.data
                .resize(start + input.len() + input.len() / 64 + 256, 0);
            let (in0, out0) = (self.compress.total_in(), self.compress.total_out());
            let status = self
                .compress
                .compress(input, &mut self.data[start..], FlushCompress::Finish)
                .map_err(|e| PackError::Compress(e.to_string()))?;
            let written = (self.compress.total_out() - out0) as usize;
            self.data.truncate(start + written);
            input = &input[(self.compress.total_in() - in0) as usize..];
            if status == gix::zlib::Status::StreamEnd {
                return Ok(());
            }
        }
    }

    fn finish_entry(&mut self, id: ObjectId, offset: u64) {
        let mut c = !0u32;
        for b in &self.data[offset as usize..] {
            c = self.crc[((c ^ u32::from(*b)) & 0xff) as usize] ^ (c >> 8);
        }
        self.entries.push((id, offset, !c));
    }

    /// Adds an object whole. Returns its id, and where it is unless it was already there.
    pub fn add(
        &mut self,
        kind: Kind,
        bytes: &[u8],
    ) -> Result<(ObjectId, Option<Stored>), PackError> {
        let id = Self::id(kind, bytes)?;
        if !self.seen.insert(id) {
            return Ok((id, None));
        }
        let offset = self.data.len() as u64;
        entry_header(&mut self.data, type_code(kind), bytes.len());
        self.deflate(bytes)?;
        self.finish_entry(id, offset);
        Ok((id, Some(Stored { offset, depth: 0 })))
    }

    /// Adds an object as a delta against `base` (an earlier entry) when the caller has one
    /// and it is worth it, else whole.
    pub fn add_delta(
        &mut self,
        kind: Kind,
        bytes: &[u8],
        base: Option<Stored>,
        delta: impl FnOnce() -> Option<Delta>,
    ) -> Result<(ObjectId, Option<Stored>), PackError> {
        let id = Self::id(kind, bytes)?;
        if self.seen.contains(&id) {
            return Ok((id, None));
        }
        let Some(base) = base.filter(|b| b.depth < MAX_DEPTH) else {
            return self.add(kind, bytes);
        };
        let Some(delta) = delta().filter(|d| d.len() * 2 < bytes.len()) else {
            return self.add(kind, bytes);
        };
        self.seen.insert(id);
        let offset = self.data.len() as u64;
        entry_header(&mut self.data, 6, delta.bytes.len());
        // The base's distance back, big-endian in 7-bit groups, each continuation plus one.
        let mut n = offset - base.offset;
        let mut enc = vec![(n & 0x7f) as u8];
        n >>= 7;
        while n > 0 {
            n -= 1;
            enc.push(0x80 | (n & 0x7f) as u8);
            n >>= 7;
        }
        enc.reverse();
        self.data.extend_from_slice(&enc);
        self.deflate(&delta.bytes)?;
        self.finish_entry(id, offset);
        Ok((
            id,
            Some(Stored {
                offset,
                depth: base.depth + 1,
            }),
        ))
    }

    /// Writes `pack-<sha>.pack` and its index into `objects/pack` of `git_dir`.
    pub fn write(mut self, git_dir: &Path) -> Result<(), PackError> {
        let count = self.entries.len() as u32;
        self.data[8..12].copy_from_slice(&count.to_be_bytes());
        let mut h = gix::hash::hasher(gix::hash::Kind::Sha1);
        h.update(&self.data);
        let checksum = h
            .try_finalize()
            .map_err(|e| PackError::Hash(e.to_string()))?;
        self.data.extend_from_slice(checksum.as_bytes());

        self.entries.sort_unstable_by_key(|e| e.0);
        let mut idx = Vec::with_capacity(8 + 1024 + self.entries.len() * 28 + 40);
        idx.extend_from_slice(&[0xff, b't', b'O', b'c']);
        idx.extend_from_slice(&2u32.to_be_bytes());
        let mut fanout = [0u32; 256];
        for (id, _, _) in &self.entries {
            fanout[usize::from(id.as_bytes()[0])] += 1;
        }
        let mut total = 0;
        for f in fanout {
            total += f;
            idx.extend_from_slice(&total.to_be_bytes());
        }
        for (id, _, _) in &self.entries {
            idx.extend_from_slice(id.as_bytes());
        }
        for (_, _, crc) in &self.entries {
            idx.extend_from_slice(&crc.to_be_bytes());
        }
        let mut large = Vec::new();
        for (_, offset, _) in &self.entries {
            if *offset < 0x8000_0000 {
                idx.extend_from_slice(&(*offset as u32).to_be_bytes());
            } else {
                idx.extend_from_slice(&(0x8000_0000 | large.len() as u32).to_be_bytes());
                large.push(*offset);
            }
        }
        for offset in large {
            idx.extend_from_slice(&offset.to_be_bytes());
        }
        idx.extend_from_slice(checksum.as_bytes());
        let mut h = gix::hash::hasher(gix::hash::Kind::Sha1);
        h.update(&idx);
        let idx_sum = h
            .try_finalize()
            .map_err(|e| PackError::Hash(e.to_string()))?;
        idx.extend_from_slice(idx_sum.as_bytes());

        let dir = git_dir.join("objects").join("pack");
        std::fs::create_dir_all(&dir)?;
        let name = format!("pack-{checksum}");
        std::fs::write(dir.join(format!("{name}.pack")), &self.data)?;
        std::fs::write(dir.join(format!("{name}.idx")), &idx)?;
        Ok(())
    }
}
