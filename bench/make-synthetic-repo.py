#!/usr/bin/env python3
"""Generate a large synthetic git repository for ingest benchmarks.

The history is produced deterministically from --seed and streamed into
`git fast-import` (no `git commit` loop), then packed with `git repack -adf` so
the result looks like an ordinary clone. The repository is bare, HEAD is
refs/heads/main, and `git rev-list --count HEAD` equals --commits.

Shape (defaults):
  * ~40 identities: 35 humans (a few with a second email, joined by .mailmap,
    some of them using AI tools late in the history: Claude Code, Copilot,
    Cursor trailers), dependabot[bot], github-actions[bot], renovate[bot] and
    the Copilot coding agent (copilot-swe-agent[bot]).
  * A tree that grows from ~300 to ~3000 text files in nested directories;
    each ordinary commit modifies 1-8 files with small edits (insert, delete
    or replace a few lines; now and then a larger block), sometimes adds,
    deletes or moves files. Files are kept between roughly 50 and 2000 lines.
  * A few binary files (NUL bytes) that change occasionally.
  * A merge commit every ~20 commits: a side branch forks from main, gets a
    few commits touching files main leaves alone, and is merged back with
    `merge` (no conflicts; the merge tree is main + the side's files).
  * ~3 years of strictly increasing committer timestamps with per-author
    timezone offsets (including DST switches) and occasional author dates
    that precede the commit date.
  * Edge cases that real repositories have (git/git has all of them): a few
    files without a final newline, a few CRLF files, a symlink, a submodule
    gitlink. Disable them with --no-edge-cases.

Standard library only; Python 3.11.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
import unicodedata

EPOCH_START = 1640995200  # 2022-01-01T00:00:00Z
SPAN_SECONDS = 3 * 365 * 86400
AI_START_FRACTION = 0.62  # AI trailers appear only in the last ~38% of the history

WORDS = (
    "alpha bravo cache delta entry fetch graph hash index journal kernel "
    "ledger merge node object parse queue range store tree update value "
    "walk xref yield zone buffer commit config diff event filter handle "
    "input layer map option packet reader schema token writer blob chunk "
    "cursor decode encode frame guard header iter lock mailmap notes patch "
    "quota refs scan shard trace vector worker arena batch client daemon "
    "export format import limit metric policy remote server signal socket "
    "stream timer upload verify widget"
).split()

TOP_DIRS = ["src", "lib", "tests", "docs", "tools", "scripts", "contrib", "examples", "t", "bench"]

EXT_BY_TOP = {
    "src": [".c", ".h", ".rs", ".c", ".rs"],
    "lib": [".c", ".h", ".rs", ".py"],
    "tests": [".rs", ".py", ".sh"],
    "t": [".sh", ".sh", ".txt"],
    "docs": [".md", ".adoc", ".txt", ".md"],
    "tools": [".py", ".sh", ".rs"],
    "scripts": [".sh", ".py", ".pl"],
    "contrib": [".c", ".py", ".sh", ".el", ".md"],
    "examples": [".rs", ".c", ".py"],
    "bench": [".rs", ".py"],
}
PROSE_EXTS = {".md", ".adoc", ".txt"}

FIRST = [
    "Alice", "Bob", "Carol", "Dmitri", "Eve", "Fatima", "Gustavo", "Hiroshi",
    "Ingrid", "Jamal", "Katarzyna", "Liang", "Mateo", "Nadia", "Oluwaseun",
    "Priya", "Quentin", "Rosa", "Søren", "Tomás", "Uma", "Viktor", "Wei",
    "Xavier", "Yuki", "Zoë", "José", "Łukasz", "Björn", "Anaïs", "Chidi",
    "Dana", "Erik", "Farah", "Gao",
]
LAST = [
    "Anderson", "Brennan", "Chen", "Dvořák", "Eriksen", "Fernández", "Gupta",
    "Hoffmann", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau",
    "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka",
    "Umarov", "Varga", "Wójcik", "Xu", "Yilmaz", "Zhang", "García", "Müller",
    "O'Brien", "Núñez", "Park", "Silva", "Novák", "Kim", "Haddad",
]

# (base offset in minutes, DST rule)
TIMEZONES = [
    (0, "eu"), (60, "eu"), (60, "eu"), (120, "eu"), (-300, "us"), (-360, "us"),
    (-480, "us"), (-420, "us"), (330, None), (480, None), (540, None), (600, "au"),
    (-180, None), (180, None), (345, None), (0, None), (-240, "us"), (720, "nz"),
]

BOTS = {
    "dependabot": ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    "actions": ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"),
    "renovate": ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
    "copilot_agent": ("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"),
}
GITHUB_COMMITTER = ("GitHub", "noreply@github.com", 0)

AI_TRAILERS = {
    "claude": [
        "\U0001f916 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
        "Co-Authored-By: Claude <noreply@anthropic.com>",
        "Co-Authored-By: Claude <noreply@anthropic.com>",
        "\U0001f916 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
        "Co-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>",
    ],
    "copilot": [
        "Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>",
    ],
    "cursor": [
        "Co-authored-by: Cursor <cursoragent@cursor.com>",
    ],
}
REVIEW_SUGGESTION_TRAILER = "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"

COMMON_LINES = [b"", b"", b"", b"}", b"\t}", b"    }", b"{", b"\treturn 0;", b"        }", b"#endif", b"\tbreak;"]

VERBS = ["fix", "add", "remove", "rework", "simplify", "document", "teach", "avoid",
         "handle", "refactor", "speed up", "clean up", "rename", "support", "drop", "test"]
NOUNS = ["buffer overflow", "error path", "option parsing", "cache invalidation",
         "memory leak", "edge case", "config lookup", "trailing whitespace",
         "race in shutdown", "unused variable", "NULL check", "off-by-one",
         "progress output", "locale handling", "timeout", "retry logic", "docs typo"]
PACKAGES = ["serde", "tokio", "clap", "anyhow", "regex", "rusqlite", "tracing",
            "thiserror", "rayon", "itertools", "smallvec", "bstr", "jiff", "once_cell"]


ASCII_FOLD = str.maketrans({"ł": "l", "ø": "o", "ß": "ss", "æ": "ae"})


class TextFile:
    __slots__ = ("lines", "eol", "no_final_nl", "hot", "kind")

    def __init__(self, lines, kind, eol=b"\n", no_final_nl=False, hot=False):
        self.lines = lines  # list[bytes] without line terminators
        self.kind = kind  # "code" | "prose"
        self.eol = eol
        self.no_final_nl = no_final_nl
        self.hot = hot

    def render(self) -> bytes:
        if not self.lines:
            return b""
        body = self.eol.join(self.lines)
        return body if self.no_final_nl else body + self.eol


class Pool:
    """A list with O(1) add, remove and uniform random choice."""

    __slots__ = ("items", "pos")

    def __init__(self):
        self.items: list[str] = []
        self.pos: dict[str, int] = {}

    def add(self, x):
        if x not in self.pos:
            self.pos[x] = len(self.items)
            self.items.append(x)

    def remove(self, x):
        i = self.pos.pop(x, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.pos[last] = i

    def __len__(self):
        return len(self.items)

    def choice(self, rng):
        return self.items[int(rng.random() * len(self.items))]


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.n_commits = args.commits
        self.edge = args.edge_cases
        self.out = None  # write function
        self.mark = 0
        self.bytes_emitted = 0
        self.blobs_emitted = 0
        self.stats = {"merges": 0, "side_commits": 0, "new_files": 0, "deleted_files": 0,
                      "moved_files": 0, "binary_changes": 0, "ai_commits": 0,
                      "review_suggestions": 0, "bot_commits": 0, "agent_commits": 0}

        rng = self.rng
        self.code_pool = [self._make_code_line() for _ in range(150_000)]
        self.prose_pool = [self._make_prose_line() for _ in range(40_000)]

        self.files: dict[str, TextFile] = {}
        self.binaries: dict[str, bytes] = {}
        self.text_pool = Pool()
        self.hot_pool = Pool()
        self.dir_files: dict[str, Pool] = {}
        self.dirs = Pool()
        self.protected = set()
        self.submodule_path = None
        self.symlink_path = None

        self._make_people()
        self._make_dirs(initial=70)

        self.time = EPOCH_START
        self.mean_gap = SPAN_SECONDS / max(1, self.n_commits)

        target = args.target_files
        self.initial_files = max(40, target // 10)
        growth = max(0, target - self.initial_files)
        self.p_new = growth / (max(1, self.n_commits) * 0.85)
        self.p_delete = self.p_new * 0.12
        self.p_move = 0.002

    # ------------------------------------------------------------------ content

    def _ident(self):
        r = self.rng
        w = WORDS
        a = w[int(r.random() * len(w))]
        b = w[int(r.random() * len(w))]
        if r.random() < 0.5:
            return f"{a}_{b}"
        return f"{a}{b.capitalize()}"

    def _make_code_line(self) -> bytes:
        r = self.rng
        ind = ["", "\t", "\t\t", "    ", "        ", "\t\t\t"][int(r.random() * 6)]
        t = int(r.random() * 12)
        x, y = self._ident(), self._ident()
        n = int(r.random() * 10000)
        if t == 0:
            s = f"{ind}if ({x} < {n}) {{"
        elif t == 1:
            s = f"{ind}{x} = {y}({n});"
        elif t == 2:
            s = f"{ind}let {x} = {y}.get({n})?;"
        elif t == 3:
            s = f"{ind}// {x}: handle {y} when count exceeds {n}"
        elif t == 4:
            s = f"{ind}return {x}->{y} + {n};"
        elif t == 5:
            s = f"{ind}static int {x}(struct {y} *p, size_t n{n % 97});"
        elif t == 6:
            s = f"{ind}for (i = 0; i < {x}_len; i++) /* {n} */"
        elif t == 7:
            s = f"{ind}fn {x}(&self, {y}: usize) -> Result<u{8 << (n % 4)}> {{"
        elif t == 8:
            s = f'{ind}die(_("{x} failed for {y} (%d)"), {n});'
        elif t == 9:
            s = f"{ind}def {x}(self, {y}={n}):"
        elif t == 10:
            s = f'{ind}test_expect_success "{x} {y} {n}" \''
        else:
            s = f"{ind}{x}.{y}({n}, &mut {self._ident()});"
        return s.encode()

    def _make_prose_line(self) -> bytes:
        r = self.rng
        k = 4 + int(r.random() * 9)
        words = [WORDS[int(r.random() * len(WORDS))] for _ in range(k)]
        words.append(str(int(r.random() * 100000)))
        r.shuffle(words)
        s = " ".join(words)
        if r.random() < 0.15:
            s = "* " + s
        elif r.random() < 0.05:
            s = "## " + s.capitalize()
        return s.encode()

    def _lines(self, kind: str, k: int) -> list[bytes]:
        r = self.rng.random
        pool = self.code_pool if kind == "code" else self.prose_pool
        n = len(pool)
        out = []
        for _ in range(k):
            if kind == "code" and r() < 0.12:
                out.append(COMMON_LINES[int(r() * len(COMMON_LINES))])
            elif kind == "prose" and r() < 0.08:
                out.append(b"")
            else:
                out.append(pool[int(r() * n)])
        return out

    def _initial_size(self, new=False) -> int:
        # log-normal, median ~140 lines (~60 for files added later), clipped to 50..2000
        r = self.rng
        if new:
            return max(8, min(600, int(r.lognormvariate(4.1, 0.8))))
        return max(50, min(2000, int(r.lognormvariate(4.95, 0.75))))

    def _binary_blob(self, size: int) -> bytes:
        r = self.rng
        head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        return head + r.randbytes(size)

    # ------------------------------------------------------------------ people

    def _make_people(self):
        r = self.rng
        humans = []
        used = set()
        for i in range(35):
            while True:
                name = f"{r.choice(FIRST)} {r.choice(LAST)}"
                if name not in used:
                    used.add(name)
                    break
            local = name.lower().replace(" ", ".").replace("'", "").translate(ASCII_FOLD)
            local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode() or f"dev{i}"
            domain = r.choice(["example.com", "example.org", "corp.example", "users.example.net", "gmail.example"])
            tz = TIMEZONES[int(r.random() * len(TIMEZONES))]
            humans.append({"name": name, "email": f"{local}@{domain}", "tz": tz,
                           "alt": None, "ai": None, "ai_rate": 0.0})
        # Commit activity: a few maintainers do most of the work (Zipf-like).
        weights = [1.0 / (i + 1) ** 0.9 for i in range(len(humans))]
        # Second emails joined by .mailmap.
        for i in (2, 5, 11, 19):
            h = humans[i]
            h["alt"] = h["email"].split("@")[0] + "@laptop.localdomain"
        # AI tool users (only late in the history).
        for i, tool, rate in ((1, "claude", 0.55), (3, "copilot", 0.35), (4, "claude", 0.25),
                              (7, "cursor", 0.4), (9, "claude", 0.7), (12, "copilot", 0.2),
                              (15, "claude", 0.3), (21, "cursor", 0.15)):
            humans[i]["ai"] = tool
            humans[i]["ai_rate"] = rate
        self.humans = humans
        self.human_cum = []
        acc = 0.0
        for w in weights:
            acc += w
            self.human_cum.append(acc)
        self.maintainer = humans[0]

    def _pick_human(self):
        r = self.rng.random() * self.human_cum[-1]
        lo, hi = 0, len(self.human_cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.human_cum[mid] < r:
                lo = mid + 1
            else:
                hi = mid
        return self.humans[lo]

    @staticmethod
    def _tz_at(tz, t) -> int:
        base, rule = tz
        if rule is None:
            return base
        month = time.gmtime(t).tm_mon
        if rule == "eu" and 4 <= month <= 10:
            return base + 60
        if rule == "us" and 3 < month <= 11:
            return base + 60
        if rule in ("au", "nz") and (month >= 10 or month <= 3):
            return base + 60
        return base

    @staticmethod
    def _fmt_tz(minutes: int) -> str:
        sign = "+" if minutes >= 0 else "-"
        m = abs(minutes)
        return f"{sign}{m // 60:02d}{m % 60:02d}"

    def _sig(self, name, email, t, tzmin) -> str:
        return f"{name} <{email}> {t} {self._fmt_tz(tzmin)}"

    # ------------------------------------------------------------------ tree

    def _make_dirs(self, initial):
        for top in TOP_DIRS:
            self.dirs.add(top)
            self.dir_files.setdefault(top, Pool())
        for _ in range(initial):
            self._new_dir()

    def _new_dir(self) -> str:
        r = self.rng
        for _ in range(50):
            parent = self.dirs.choice(r)
            if parent.count("/") >= 4:
                continue
            d = f"{parent}/{WORDS[int(r.random() * len(WORDS))]}"
            if d not in self.dir_files:
                self.dirs.add(d)
                self.dir_files[d] = Pool()
                return d
        return self.dirs.choice(r)

    def _new_path(self, taken) -> str:
        r = self.rng
        for _ in range(1000):
            if r.random() < 0.01:
                d = self._new_dir()
            else:
                d = self.dirs.choice(r)
            top = d.split("/", 1)[0]
            exts = EXT_BY_TOP[top]
            ext = exts[int(r.random() * len(exts))]
            base = WORDS[int(r.random() * len(WORDS))]
            if r.random() < 0.6:
                base += "_" + WORDS[int(r.random() * len(WORDS))]
            if r.random() < 0.2:
                base += str(int(r.random() * 100))
            p = f"{d}/{base}{ext}"
            if p not in self.files and p not in self.binaries and p not in taken:
                return p
        raise RuntimeError("could not find a free path")

    def _add_text(self, path, f: TextFile):
        self.files[path] = f
        self.text_pool.add(path)
        if f.hot:
            self.hot_pool.add(path)
        self.dir_files.setdefault(path.rsplit("/", 1)[0] if "/" in path else "", Pool()).add(path)

    def _remove_text(self, path):
        f = self.files.pop(path)
        self.text_pool.remove(path)
        self.hot_pool.remove(path)
        self.dir_files[path.rsplit("/", 1)[0] if "/" in path else ""].remove(path)
        return f

    def _new_text_file(self, path, new=False) -> TextFile:
        r = self.rng
        ext = os.path.splitext(path)[1]
        kind = "prose" if ext in PROSE_EXTS else "code"
        f = TextFile(self._lines(kind, self._initial_size(new)), kind, hot=r.random() < 0.08)
        if self.edge:
            if r.random() < 0.02:
                f.no_final_nl = True
            elif r.random() < 0.01:
                f.eol = b"\r\n"
        return f

    def _pick_files(self, k, exclude) -> list[str]:
        """k distinct text files, with hot-file bias and directory locality."""
        r = self.rng
        chosen: list[str] = []
        seen = set()
        tries = 0
        while len(chosen) < k and tries < k * 20:
            tries += 1
            if chosen and r.random() < 0.55:
                d = chosen[0].rsplit("/", 1)[0] if "/" in chosen[0] else ""
                pool = self.dir_files.get(d)
                if not pool:
                    continue
                p = pool.choice(r)
            elif len(self.hot_pool) and r.random() < 0.45:
                p = self.hot_pool.choice(r)
            else:
                p = self.text_pool.choice(r)
            if p in seen or p in exclude:
                continue
            seen.add(p)
            chosen.append(p)
        return chosen

    def _edit(self, f: TextFile):
        r = self.rng
        lines = f.lines
        hunks = 1 + (r.random() < 0.35) + (r.random() < 0.15)
        for _ in range(hunks):
            n = len(lines)
            if n > 2000:
                p_ins, p_del = 0.15, 0.55
            elif n < 50:
                p_ins, p_del = 0.65, 0.05
            else:
                p_ins, p_del = 0.38, 0.24
            if r.random() < 0.03:
                size = 10 + int(r.random() * 50)
            else:
                size = 1
                while size < 8 and r.random() < 0.5:
                    size += 1
            x = r.random()
            if x < p_ins or n == 0:
                pos = int(r.random() * (n + 1))
                lines[pos:pos] = self._lines(f.kind, size)
            elif x < p_ins + p_del:
                size = min(size, max(1, n - 5))
                pos = int(r.random() * max(1, n - size + 1))
                del lines[pos:pos + size]
            else:
                size = min(size, n)
                pos = int(r.random() * max(1, n - size + 1))
                lines[pos:pos + size] = self._lines(f.kind, size + (r.random() < 0.3) - (r.random() < 0.2))

    # ------------------------------------------------------------------ stream

    def _next_mark(self) -> int:
        self.mark += 1
        return self.mark

    def _data(self, payload: bytes):
        self.out(b"data %d\n" % len(payload))
        self.out(payload)
        self.out(b"\n")
        self.bytes_emitted += len(payload)

    def _emit_inline(self, mode: str, path: str, payload: bytes):
        self.out(f"M {mode} inline {path}\n".encode())
        self._data(payload)
        self.blobs_emitted += 1

    def _emit_blob(self, payload: bytes) -> int:
        m = self._next_mark()
        self.out(b"blob\nmark :%d\n" % m)
        self._data(payload)
        self.blobs_emitted += 1
        return m

    def _tick(self) -> int:
        gap = self.rng.expovariate(1.0 / self.mean_gap)
        self.time += max(1, int(gap))
        return self.time

    def _commit_header(self, ref, author, committer, message, from_mark=None, merge_mark=None) -> int:
        m = self._next_mark()
        msg = message.encode()
        self.out(f"commit {ref}\nmark :{m}\nauthor {author}\ncommitter {committer}\n".encode())
        self._data(msg)
        if from_mark is not None:
            self.out(b"from :%d\n" % from_mark)
        if merge_mark is not None:
            self.out(b"merge :%d\n" % merge_mark)
        return m

    # ------------------------------------------------------------------ messages

    def _subject(self, paths) -> str:
        r = self.rng
        area = "misc"
        if paths:
            parts = paths[0].split("/")
            area = parts[-2] if len(parts) > 1 else parts[0]
        return f"{area}: {r.choice(VERBS)} {r.choice(NOUNS)}"

    def _body(self) -> str:
        r = self.rng
        if r.random() < 0.25:
            return ""
        paras = []
        for _ in range(1 + (r.random() < 0.4)):
            k = 1 + int(r.random() * 5)
            paras.append("\n".join(self.prose_pool[int(r.random() * len(self.prose_pool))].decode()
                                   for _ in range(k)))
        return "\n\n".join(paras)

    def _message(self, paths, author, t, allow_ai=True) -> str:
        r = self.rng
        subject = self._subject(paths)
        body = self._body()
        trailers = []
        ai_time = t >= EPOCH_START + AI_START_FRACTION * SPAN_SECONDS
        review = False
        if allow_ai and ai_time and author.get("ai") and r.random() < author["ai_rate"]:
            trailers.append(r.choice(AI_TRAILERS[author["ai"]]))
            self.stats["ai_commits"] += 1
        elif allow_ai and ai_time and r.random() < 0.006:
            subject = r.choice(["Apply suggestions from code review", "Apply suggestion from @Copilot"])
            trailers.append(REVIEW_SUGGESTION_TRAILER)
            self.stats["review_suggestions"] += 1
            review = True
        if not review and r.random() < 0.03:
            other = self._pick_human()
            if other is not author:
                trailers.append(f"Co-authored-by: {other['name']} <{other['email']}>")
        if r.random() < 0.1:
            rv = self._pick_human()
            trailers.append(f"Reviewed-by: {rv['name']} <{rv['email']}>")
        if r.random() < 0.3:
            trailers.append(f"Signed-off-by: {author['name']} <{author['email']}>")
        msg = subject
        if body:
            msg += "\n\n" + body
        if trailers:
            msg += "\n\n" + "\n".join(trailers)
        return msg + "\n"

    # ------------------------------------------------------------------ build

    def _setup_initial(self) -> list:
        """Files of the root commit: list of (mode, path, payload)."""
        r = self.rng
        ops = []
        taken = set()
        fixed = {
            "README.md": TextFile(self._lines("prose", 120), "prose", hot=True),
            "Makefile": TextFile(self._lines("code", 900), "code", hot=True),
            "Cargo.toml": TextFile([f'{p} = "1.{int(r.random() * 40)}.{int(r.random() * 9)}"'.encode()
                                    for p in PACKAGES] + self._lines("code", 40), "code"),
            "Cargo.lock": TextFile(self._lines("code", 1500), "code"),
            "package.json": TextFile(self._lines("code", 60), "code"),
        }
        # Written once and never edited, so that .mailmap stays valid.
        mailmap = "# canonical identities\n" + "".join(
            f"{h['name']} <{h['email']}> <{h['alt']}>\n" for h in self.humans if h["alt"])
        ops.append(("100644", ".mailmap", mailmap.encode()))
        ops.append(("100644", ".gitignore", b"/target\n*.o\n*.pyc\nnode_modules/\n"))
        for p, f in fixed.items():
            self._add_text(p, f)
            self.protected.add(p)
        while len(self.files) < self.initial_files:
            p = self._new_path(taken)
            self._add_text(p, self._new_text_file(p))
        for i in range(12):
            d = r.choice(["assets", "assets/icons", "t/fixtures", "docs/images"])
            p = f"{d}/{r.choice(WORDS)}_{i}{r.choice(['.png', '.bin', '.ico'])}"
            self.binaries[p] = self._binary_blob(int(r.lognormvariate(8.5, 0.9)) + 64)
        for p, f in self.files.items():
            ops.append(("100644", p, f.render()))
        for p, b in self.binaries.items():
            ops.append(("100644", p, b))
        if self.edge:
            self.symlink_path = "docs/RelNotes"
            ops.append(("120000", self.symlink_path, b"docs/relnotes/v1.0.md"))
            self.submodule_path = "vendor/libfoo"
            gm = (f'[submodule "libfoo"]\n\tpath = {self.submodule_path}\n'
                  "\turl = https://example.invalid/libfoo.git\n").encode()
            ops.append(("100644", ".gitmodules", gm))
            ops.append(("160000", self.submodule_path, r.randbytes(20).hex()))
        return ops

    def run(self, write):
        self.out = write
        r = self.rng
        n = self.n_commits
        write(b"feature done\n")

        # Root commit.
        t = self._tick()
        maint = self.maintainer
        tz = self._tz_at(maint["tz"], t)
        sig = self._sig(maint["name"], maint["email"], t, tz)
        ops = self._setup_initial()
        main_tip = self._commit_header("refs/heads/main", sig, sig, "Initial import\n")
        for mode, path, payload in ops:
            if mode == "160000":
                self.out(f"M 160000 {payload} {path}\n".encode())
            else:
                self._emit_inline(mode, path, payload)
        self.out(b"\n")
        emitted = 1

        side = None  # dict when a side branch is open
        main_touched: set[str] = set()  # paths main changed since the side branch forked
        side_seq = 0
        progress_every = max(1, n // 20)

        while emitted < n:
            remaining = n - emitted
            if emitted % progress_every == 0 and not self.args.quiet:
                print(f"  {emitted}/{n} commits", file=sys.stderr, flush=True)

            if side is None:
                if remaining > 25 and r.random() < 0.12:
                    side_seq += 1
                    side = {"fork": main_tip, "files": {}, "marks": {}, "new": [],
                            "done": 0, "target": 1 + min(12, int(r.expovariate(1 / 2.2))),
                            "name": f"{r.choice(WORDS)}-{r.choice(WORDS)}-{side_seq}",
                            "author": self._pick_human(), "tip": None}
                    main_touched = set()
            if side is not None:
                want_merge = side["done"] >= side["target"] and r.random() < 0.3
                if side["done"] > 0 and (want_merge or remaining <= 1):
                    main_tip = self._merge(side, main_tip)
                    emitted += 1
                    side = None
                    continue
                if side["done"] < side["target"] and remaining > 1 and r.random() < 0.35:
                    self._side_commit(side, main_touched)
                    emitted += 1
                    continue
            locked = side["files"] if side is not None else {}
            main_tip = self._main_commit(locked, main_touched)
            emitted += 1

        write(b"done\n")

    def _author_for_commit(self, t):
        """Who writes the next main-line commit: human, dependabot, actions, renovate or copilot_agent."""
        r = self.rng
        x = r.random()
        ai_time = t >= EPOCH_START + AI_START_FRACTION * SPAN_SECONDS
        if x < 0.012:
            return "dependabot"
        if x < 0.016:
            return "actions"
        if x < 0.019:
            return "renovate"
        if ai_time and x < 0.026:
            return "copilot_agent"
        return "human"

    def _main_commit(self, locked, main_touched) -> int:
        r = self.rng
        t = self._tick()
        kind = self._author_for_commit(t)
        ops = []  # ("M", mode, path, payload) | ("D", path) | ("G", path, sha)
        touched = []

        def tz_of(h):
            return self._tz_at(h["tz"], t)

        if kind in ("dependabot", "renovate") and "Cargo.lock" not in locked and "Cargo.toml" not in locked:
            name, email = BOTS[kind]
            pkg = r.choice(PACKAGES)
            a, b = int(r.random() * 30), int(r.random() * 9)
            old, new = f"1.{a}.{b}", f"1.{a}.{b + 1}"
            for p in ("Cargo.lock",) + (("Cargo.toml",) if r.random() < 0.5 else ()):
                f = self.files[p]
                k = min(len(f.lines), 1 + int(r.random() * 3))
                pos = int(r.random() * (len(f.lines) - k + 1))
                f.lines[pos:pos + k] = [f'version = "{new}" # {pkg} {int(r.random() * 1e6)}'.encode()
                                        for _ in range(k)]
                ops.append(("M", "100644", p, f.render()))
                touched.append(p)
            if kind == "dependabot":
                msg = (f"Bump {pkg} from {old} to {new}\n\n"
                       f"Bumps [{pkg}](https://github.com/example/{pkg}) from {old} to {new}.\n\n"
                       f"---\nupdated-dependencies:\n- dependency-name: {pkg}\n"
                       f"  dependency-version: {new}\n  dependency-type: direct:production\n"
                       f"  update-type: version-update:semver-patch\n...\n\n"
                       f"Signed-off-by: dependabot[bot] <support@github.com>\n")
            else:
                msg = f"Update rust crate {pkg} to v{new}\n"
            author = self._sig(name, email, t, 0)
            committer = self._sig(*GITHUB_COMMITTER[:2], t, 0)
            self.stats["bot_commits"] += 1
        elif kind == "actions":
            name, email = BOTS[kind]
            paths = self._pick_files(1, locked)
            for p in paths:
                f = self.files[p]
                self._edit(f)
                ops.append(("M", "100644", p, f.render()))
                touched.append(p)
            msg = "chore: regenerate generated files\n"
            author = committer = self._sig(name, email, t, 0)
            self.stats["bot_commits"] += 1
        else:
            if kind == "copilot_agent":
                human = self._pick_human()
                name, email = BOTS[kind]
                author_sig = (name, email, 0)
                self.stats["agent_commits"] += 1
            else:
                human = self._pick_human()
                email = human["email"]
                if human["alt"] and r.random() < 0.3:
                    email = human["alt"]
                author_sig = (human["name"], email, tz_of(human))
            k = min(8, 1 + int(r.expovariate(1 / 1.3)))
            paths = self._pick_files(k, locked)
            for p in paths:
                f = self.files[p]
                self._edit(f)
                ops.append(("M", "100644", p, f.render()))
                touched.append(p)
            # Occasional structural changes.
            n_new = int(self.p_new) + (r.random() < self.p_new - int(self.p_new))
            taken = set(locked)
            for _ in range(n_new):
                p = self._new_path(taken)
                taken.add(p)
                f = self._new_text_file(p, new=True)
                self._add_text(p, f)
                ops.append(("M", "100644", p, f.render()))
                touched.append(p)
                self.stats["new_files"] += 1
            if r.random() < self.p_delete and len(self.text_pool) > 50:
                p = self.text_pool.choice(r)
                if p not in self.protected and p not in locked and p not in touched:
                    self._remove_text(p)
                    ops.append(("D", p))
                    touched.append(p)
                    self.stats["deleted_files"] += 1
            if r.random() < self.p_move:
                p = self.text_pool.choice(r)
                if p not in self.protected and p not in locked and p not in touched:
                    f = self._remove_text(p)
                    q = self._new_path(taken)
                    self._add_text(q, f)
                    ops.append(("D", p))
                    ops.append(("M", "100644", q, f.render()))
                    touched += [p, q]
                    self.stats["moved_files"] += 1
            if self.binaries and r.random() < 0.01:
                p = sorted(self.binaries)[int(r.random() * len(self.binaries))]
                b = bytearray(self.binaries[p])
                pos = int(r.random() * len(b))
                b[pos:pos + 256] = r.randbytes(int(r.random() * 512))
                self.binaries[p] = bytes(b)
                ops.append(("M", "100644", p, self.binaries[p]))
                self.stats["binary_changes"] += 1
            if self.edge and r.random() < 0.0008:
                if r.random() < 0.5:
                    ops.append(("M", "120000", self.symlink_path,
                                f"docs/relnotes/v1.{int(r.random() * 60)}.md".encode()))
                else:
                    ops.append(("G", self.submodule_path, r.randbytes(20).hex()))
            if not ops:  # everything was locked: touch a fresh file instead
                p = self._new_path(set(locked))
                f = self._new_text_file(p, new=True)
                self._add_text(p, f)
                ops.append(("M", "100644", p, f.render()))
                touched.append(p)
            author_t = t
            if kind == "human" and r.random() < 0.2:
                author_t = max(EPOCH_START, t - int(r.expovariate(1 / 172800)))
            author = self._sig(author_sig[0], author_sig[1], author_t,
                               author_sig[2] if kind == "human" else 0)
            if kind == "copilot_agent":
                committer = author
                body = self._body()
                msg = (self._subject(touched) + ("\n\n" + body if body else "") +
                       f"\n\nCo-authored-by: {human['name']} <{human['email']}>\n")
            else:
                if r.random() < 0.3:
                    c = self.maintainer
                    committer = self._sig(c["name"], c["email"], t, tz_of(c))
                else:
                    committer = self._sig(author_sig[0], author_sig[1], t, author_sig[2])
                msg = self._message(touched, human, t)

        mark = self._commit_header("refs/heads/main", author, committer, msg)
        self._write_ops(ops)
        for p in touched:
            main_touched.add(p)
        return mark

    def _write_ops(self, ops):
        for op in ops:
            if op[0] == "M":
                self._emit_inline(op[1], op[2], op[3])
            elif op[0] == "D":
                self.out(f"D {op[1]}\n".encode())
            elif op[0] == "G":
                self.out(f"M 160000 {op[2]} {op[1]}\n".encode())
        self.out(b"\n")

    def _side_commit(self, side, main_touched):
        r = self.rng
        t = self._tick()
        human = side["author"] if r.random() < 0.8 else self._pick_human()
        blocked = set(main_touched)
        blocked.update(self.protected)
        k = min(6, 1 + int(r.expovariate(1 / 1.2)))
        paths = self._pick_files(k, blocked)
        ops = []
        for p in paths:
            sf = side["files"].get(p)
            if sf is None:
                src = self.files[p]
                sf = TextFile(list(src.lines), src.kind, src.eol, src.no_final_nl, src.hot)
                side["files"][p] = sf
            self._edit(sf)
            ops.append((p, sf.render()))
        if r.random() < 0.1 or not ops:
            taken = set(side["files"])
            p = self._new_path(taken)
            sf = self._new_text_file(p, new=True)
            side["files"][p] = sf
            side["new"].append(p)
            ops.append((p, sf.render()))
        marks = []
        for p, payload in ops:
            m = self._emit_blob(payload)
            side["marks"][p] = m
            marks.append((p, m))
        tz = self._tz_at(human["tz"], t)
        sig = self._sig(human["name"], human["email"], t, tz)
        msg = self._message([p for p, _ in ops], human, t)
        if side["tip"] is None:
            self.out(f"reset refs/heads/side\nfrom :{side['fork']}\n\n".encode())
        m = self._commit_header("refs/heads/side", sig, sig, msg)
        for p, bm in marks:
            self.out(f"M 100644 :{bm} {p}\n".encode())
        self.out(b"\n")
        side["tip"] = m
        side["done"] += 1
        self.stats["side_commits"] += 1

    def _merge(self, side, main_tip) -> int:
        r = self.rng
        t = self._tick()
        c = self.maintainer
        tz = self._tz_at(c["tz"], t)
        sig = self._sig(c["name"], c["email"], t, tz)
        if r.random() < 0.5:
            msg = f"Merge branch '{side['name']}'\n\n* {side['name']}:\n  {self._subject(list(side['files']))}\n"
        else:
            who = side["author"]["email"].split("@")[0]
            msg = (f"Merge pull request #{1000 + int(r.random() * 9000)} from {who}/{side['name']}\n\n"
                   f"{self._subject(list(side['files']))}\n")
        m = self._commit_header("refs/heads/main", sig, sig, msg, from_mark=main_tip, merge_mark=side["tip"])
        new = set(side["new"])
        for p, sf in side["files"].items():
            self.out(f"M 100644 :{side['marks'][p]} {p}\n".encode())
            if p in new:
                self._add_text(p, sf)
            else:
                self.files[p].lines = sf.lines
        self.out(b"\n")
        self.stats["merges"] += 1
        return m


def run_git(args, **kw):
    return subprocess.run(["git", *args], check=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="directory for the new bare repository")
    ap.add_argument("--commits", type=int, default=60000, help="commits reachable from HEAD (default 60000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--target-files", type=int, default=3000, help="approximate final number of text files")
    ap.add_argument("--no-edge-cases", dest="edge_cases", action="store_false",
                    help="no symlink, submodule gitlink, CRLF or missing-final-newline files")
    ap.add_argument("--no-repack", action="store_true", help="keep fast-import's pack as is")
    ap.add_argument("--force", action="store_true", help="delete --out first if it exists")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.commits < 1:
        ap.error("--commits must be >= 1")

    out = os.path.abspath(args.out)
    if os.path.exists(out) and os.listdir(out):
        if not args.force:
            sys.exit(f"error: {out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out)
    t0 = time.monotonic()
    run_git(["init", "--quiet", "--bare", "--initial-branch=main", out])
    env = dict(os.environ, GIT_DIR=out)
    run_git(["config", "gc.auto", "0"], env=env)

    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE,
                            env=env, bufsize=1 << 20)
    gen = Generator(args)
    try:
        gen.run(proc.stdin.write)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    rc = proc.wait()
    if rc != 0:
        sys.exit(f"error: git fast-import failed with exit code {rc}")
    t1 = time.monotonic()
    # The last side branch is always merged; its ref is only scaffolding.
    subprocess.run(["git", "update-ref", "-d", "refs/heads/side"], env=env, stderr=subprocess.DEVNULL)
    if not args.no_repack:
        # -f matters: fast-import deltas each blob against the previous blob in the stream
        # (an unrelated file), so reusing its deltas leaves a 4-5x larger pack with chains of
        # depth 50 across unrelated objects. A fresh delta search gives per-path deltas like
        # the pack of a normal clone.
        run_git(["repack", "-a", "-d", "-f", "-q"], env=env)
    run_git(["pack-refs", "--all"], env=env)
    t2 = time.monotonic()

    s = gen.stats
    print(f"wrote {out}: {args.commits} commits ({s['merges']} merges, {s['side_commits']} on side branches), "
          f"{len(gen.files)} text + {len(gen.binaries)} binary files at HEAD, "
          f"{gen.blobs_emitted} blobs / {gen.bytes_emitted / 2**20:.0f} MiB streamed", file=sys.stderr)
    print(f"  new {s['new_files']}, deleted {s['deleted_files']}, moved {s['moved_files']}, "
          f"binary changes {s['binary_changes']}, AI-trailer commits {s['ai_commits']}, "
          f"review suggestions {s['review_suggestions']}, bot commits {s['bot_commits']}, "
          f"agent commits {s['agent_commits']}", file=sys.stderr)
    print(f"  fast-import {t1 - t0:.1f}s, repack {t2 - t1:.1f}s, total {t2 - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
