#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Line survival and markers on repositories built with the real git CLI: hand-computed
//! histories with controlled author times, and generated ones checked against
//! `git log --numstat`, `git log -p` and `git blame`.

mod support;

use plumb_git::CommitSurvival;
use std::collections::{BTreeMap, HashMap};
use support::{Repo, Rng, git_commits, git_numstat};

const DAY: i64 = 86_400;
const T0: i64 = 1_700_000_000;
const HORIZON: i64 = 21 * DAY;
/// A horizon and an end of range no history reaches.
const FOREVER: i64 = i64::MAX / 4;

fn text(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Line survival of `r` over `[since, until)` with the 21-day horizon, by commit id.
fn survival(r: &Repo, since: i64, until: i64) -> BTreeMap<String, CommitSurvival> {
    survival_with(r, since, until, HORIZON, 2)
}

fn survival_with(
    r: &Repo,
    since: i64,
    until: i64,
    horizon: i64,
    threads: usize,
) -> BTreeMap<String, CommitSurvival> {
    r.open()
        .line_survival(since, until, horizon, threads)
        .expect("line survival")
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect()
}

/// The expected output: each commit (by id) with its files as `(path, added, churned)`.
type Expected<'a> = &'a [(&'a str, &'a [(&'a str, u32, u32)])];

/// Checks that the output over `[since, until)` is exactly the `expected` commits and files.
fn check(r: &Repo, since: i64, until: i64, expected: Expected<'_>) {
    let got = survival(r, since, until);
    let got: BTreeMap<&str, Vec<(&str, u32, u32)>> = got
        .values()
        .map(|c| {
            let files = c
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.lines_added, f.lines_churned))
                .collect();
            (c.id.as_str(), files)
        })
        .collect();
    let want: BTreeMap<&str, Vec<(&str, u32, u32)>> = expected
        .iter()
        .map(|(id, files)| (*id, files.to_vec()))
        .collect();
    assert_eq!(got, want, "line survival over [{since}, {until})");
}

#[test]
fn rewrites_within_the_horizon_churn_and_later_deletions_do_not() {
    let r = Repo::new();
    let l: Vec<String> = (0..10).map(|i| format!("l{i}")).collect();
    let l: Vec<&str> = l.iter().map(String::as_str).collect();
    r.write("a.txt", text(&l));
    let c1 = r.commit_at("ten lines", T0);
    // Five days later: l1..l3 rewritten, l5 deleted.
    r.write(
        "a.txt",
        text(&["l0", "r1", "r2", "r3", "l4", "l6", "l7", "l8", "l9"]),
    );
    let c2 = r.commit_at("rewrite three, delete one", T0 + 5 * DAY);
    // Thirty days after the first: l7 and l8 deleted, too late to be churn.
    r.write("a.txt", text(&["l0", "r1", "r2", "r3", "l4", "l6", "l9"]));
    let c3 = r.commit_at("delete two", T0 + 30 * DAY);

    check(
        &r,
        T0,
        T0 + 31 * DAY,
        &[
            (&c1, &[("a.txt", 10, 4)]),
            (&c2, &[("a.txt", 3, 0)]),
            (&c3, &[("a.txt", 0, 0)]),
        ],
    );
    // Commits after `until` are not output but their deletions count.
    check(&r, T0, T0 + DAY, &[(&c1, &[("a.txt", 10, 4)])]);
    check(
        &r,
        T0,
        T0 + 10 * DAY,
        &[(&c1, &[("a.txt", 10, 4)]), (&c2, &[("a.txt", 3, 0)])],
    );
}

#[test]
fn a_branch_line_keeps_its_origin_through_a_merge() {
    let r = Repo::new();
    let base = ["b0", "b1", "b2", "b3", "b4"];
    r.write("base.txt", text(&base));
    r.write("other.txt", text(&["o0", "o1", "o2"]));
    let c0 = r.commit_at("base", T0);

    r.git(["checkout", "-q", "-b", "feature"]);
    r.write(
        "base.txt",
        text(&[&base[..], &["B1", "B2", "B3", "B4"]].concat()),
    );
    let f1 = r.commit_at("four branch lines", T0 + DAY);
    r.write("base.txt", text(&[&base[..], &["B1", "B3", "B4"]].concat()));
    let f2 = r.commit_at("delete B2 on the branch", T0 + 2 * DAY);

    r.git(["checkout", "-q", "main"]);
    r.write("other.txt", text(&["o0", "o1", "o2", "M1"]));
    let m1 = r.commit_at("main line", T0 + 2 * DAY);
    let merge = r.merge_at("feature", "merge feature", T0 + 3 * DAY);

    r.write("base.txt", text(&[&base[..], &["B1", "B4"]].concat()));
    let m2 = r.commit_at("delete B3 on main", T0 + 6 * DAY);
    r.write("base.txt", text(&[&base[..], &["B4"]].concat()));
    let m3 = r.commit_at("delete B1 much later", T0 + 40 * DAY);

    check(
        &r,
        T0,
        T0 + 50 * DAY,
        &[
            (&c0, &[("base.txt", 5, 0), ("other.txt", 3, 0)]),
            // B2 deleted on the branch, B3 on main after the merge; B1 too late.
            (&f1, &[("base.txt", 4, 2)]),
            (&f2, &[("base.txt", 0, 0)]),
            (&m1, &[("other.txt", 1, 0)]),
            (&m2, &[("base.txt", 0, 0)]),
            (&m3, &[("base.txt", 0, 0)]),
        ],
    );
    let out = survival(&r, T0, T0 + 50 * DAY);
    assert!(!out.contains_key(&merge), "a merge is not in the output");
}

#[test]
fn a_merge_taking_the_branch_version_without_a_conflict_deletes_nothing_itself() {
    let r = Repo::new();
    r.write("a.txt", text(&["a0", "a1", "a2", "a3", "a4"]));
    r.write("other.txt", text(&["o0"]));
    let c0 = r.commit_at("base", T0);

    r.git(["checkout", "-q", "-b", "feature"]);
    // Rewritten 25 days after it was written: not churn.
    r.write("a.txt", text(&["a0", "A1", "a2", "a3", "a4"]));
    let b1 = r.commit_at("late rewrite", T0 + 25 * DAY);

    r.git(["checkout", "-q", "main"]);
    r.write("other.txt", text(&["o0", "o1"]));
    let m1 = r.commit_at("main", T0 + DAY);
    // Authored (clock skew) before the rewrite it merges: the merge drops a1 relative to
    // main, but the branch commit deleted it, and that is the deletion that counts.
    r.merge_at("feature", "merge", T0 + 10 * DAY);

    check(
        &r,
        T0,
        T0 + 30 * DAY,
        &[
            (&c0, &[("a.txt", 5, 0), ("other.txt", 1, 0)]),
            (&b1, &[("a.txt", 1, 0)]),
            (&m1, &[("other.txt", 1, 0)]),
        ],
    );
}

#[test]
fn a_conflict_resolution_dropping_branch_lines_churns_them() {
    let r = Repo::new();
    r.write("a.txt", text(&["a0", "a1", "a2", "a3", "a4"]));
    let c0 = r.commit_at("base", T0);

    r.git(["checkout", "-q", "-b", "feature"]);
    r.write(
        "a.txt",
        text(&["a0", "a1", "a2", "branch 3a", "branch 3b", "a4"]),
    );
    let b1 = r.commit_at("branch rewrites a3", T0 + DAY);

    r.git(["checkout", "-q", "main"]);
    r.write("a.txt", text(&["a0", "a1", "a2", "main 3", "a4"]));
    let m1 = r.commit_at("main rewrites a3", T0 + DAY);

    let clean = r.git_at(
        ["merge", "-q", "--no-ff", "--no-edit", "feature"],
        T0 + 2 * DAY,
    );
    assert!(!clean, "the merge conflicts");
    // The resolution keeps main's line and one of the branch's, drops the other, and
    // adds a line of its own.
    r.write(
        "a.txt",
        text(&["a0", "a1", "a2", "main 3", "branch 3a", "resolved", "a4"]),
    );
    r.git(["add", "-A"]);
    assert!(r.git_at(["commit", "-q", "--no-edit", "--no-verify"], T0 + 2 * DAY));
    assert_eq!(
        r.git_str(["rev-list", "--parents", "-n1", "HEAD"])
            .split(' ')
            .count(),
        3
    );

    // "branch 3a" came through the merge with the branch commit as its origin; the
    // merge's own line is old.
    r.write("a.txt", text(&["a0", "a1", "a2", "main 3", "a4"]));
    let m2 = r.commit_at("drop the branch line and the resolution", T0 + 5 * DAY);

    check(
        &r,
        T0,
        T0 + 10 * DAY,
        &[
            // a3, rewritten on both sides, counts once.
            (&c0, &[("a.txt", 5, 1)]),
            // 3b dropped by the merge, 3a deleted on main three days later.
            (&b1, &[("a.txt", 2, 2)]),
            (&m1, &[("a.txt", 1, 0)]),
            (&m2, &[("a.txt", 0, 0)]),
        ],
    );
}

#[test]
fn a_merge_keeping_only_the_first_parent_churns_the_branch_lines() {
    let r = Repo::new();
    r.write("a.txt", text(&["a0", "a1"]));
    r.write("other.txt", text(&["o0"]));
    let c0 = r.commit_at("base", T0);

    r.git(["checkout", "-q", "-b", "feature"]);
    r.write("a.txt", text(&["a0", "a1", "f2", "f3"]));
    let b1 = r.commit_at("branch lines", T0 + DAY);

    r.git(["checkout", "-q", "main"]);
    r.write("other.txt", text(&["o0", "o1"]));
    let m1 = r.commit_at("main", T0 + DAY);
    // The merge has main's files exactly: the branch's work is thrown away.
    assert!(r.git_at(
        [
            "merge",
            "-q",
            "--no-ff",
            "--no-edit",
            "-s",
            "ours",
            "feature"
        ],
        T0 + 2 * DAY,
    ));

    check(
        &r,
        T0,
        T0 + 10 * DAY,
        &[
            (&c0, &[("a.txt", 2, 0), ("other.txt", 1, 0)]),
            (&b1, &[("a.txt", 2, 2)]),
            (&m1, &[("other.txt", 1, 0)]),
        ],
    );
}

#[test]
fn a_conflict_resolved_with_theirs_churns_the_first_parent_lines() {
    let r = Repo::new();
    r.write("a.txt", text(&["a0", "a1", "a2"]));
    let c0 = r.commit_at("base", T0);
    r.git(["checkout", "-q", "-b", "feature"]);
    r.write("a.txt", text(&["a0", "B1", "a2"]));
    let b1 = r.commit_at("branch", T0 + DAY);
    r.git(["checkout", "-q", "main"]);
    r.write("a.txt", text(&["a0", "M1", "m", "a2"]));
    let m1 = r.commit_at("main", T0 + DAY);
    // The merge's file is the branch's, as is: main's lines are thrown away.
    assert!(r.git_at(
        [
            "merge",
            "-q",
            "--no-ff",
            "--no-edit",
            "-X",
            "theirs",
            "feature"
        ],
        T0 + 2 * DAY,
    ));
    assert_eq!(r.git_str(["show", "HEAD:a.txt"]), "a0\nB1\na2");
    check(
        &r,
        T0,
        T0 + 10 * DAY,
        &[
            (&c0, &[("a.txt", 3, 1)]),
            (&b1, &[("a.txt", 1, 0)]),
            (&m1, &[("a.txt", 2, 2)]),
        ],
    );
}

#[test]
fn a_line_cherry_picked_to_both_sides_survives_the_merge() {
    let r = Repo::new();
    r.write("a.txt", text(&["a0"]));
    r.write("other.txt", text(&["o0"]));
    let c0 = r.commit_at("base", T0);
    r.git(["checkout", "-q", "-b", "feature"]);
    r.write("a.txt", text(&["a0", "X"]));
    let b1 = r.commit_at("X", T0 + DAY);
    r.write("a.txt", text(&["Y", "a0", "X"]));
    let b2 = r.commit_at("Y", T0 + 2 * DAY);
    r.git(["checkout", "-q", "main"]);
    assert!(r.git_at(["cherry-pick", &b1], T0 + 3 * DAY));
    let picked = r.head();
    r.write("other.txt", text(&["o0", "o1"]));
    let m1 = r.commit_at("main", T0 + 3 * DAY);
    // The merge's a.txt is the branch's; main's copy of X is still there (as the
    // branch's), so nothing is lost.
    r.merge_at("feature", "merge", T0 + 4 * DAY);
    assert_eq!(r.git_str(["show", "HEAD:a.txt"]), "Y\na0\nX");
    check(
        &r,
        T0,
        T0 + 10 * DAY,
        &[
            (&c0, &[("a.txt", 1, 0), ("other.txt", 1, 0)]),
            (&b1, &[("a.txt", 1, 0)]),
            (&b2, &[("a.txt", 1, 0)]),
            (&picked, &[("a.txt", 1, 0)]),
            (&m1, &[("other.txt", 1, 0)]),
        ],
    );
}

#[test]
fn horizon_is_complete_only_once_history_covers_it() {
    let r = Repo::new();
    r.write("a.txt", text(&["one"]));
    let c1 = r.commit_at("one", T0);
    r.write("a.txt", text(&["one", "two"]));
    let c2 = r.commit_at("two", T0 + 10 * DAY);

    let complete = |r: &Repo| -> BTreeMap<String, bool> {
        survival(r, T0, FOREVER)
            .into_iter()
            .map(|(id, c)| (id, c.horizon_complete))
            .collect()
    };
    assert_eq!(
        complete(&r),
        BTreeMap::from([(c1.clone(), false), (c2.clone(), false)])
    );

    r.write("a.txt", text(&["one", "two", "three"]));
    let c3 = r.commit_at("three", T0 + 22 * DAY);
    assert_eq!(
        complete(&r),
        BTreeMap::from([(c1.clone(), true), (c2.clone(), false), (c3.clone(), false)])
    );
    // Exactly the horizon later is enough.
    r.write("a.txt", text(&["one", "two", "three", "four"]));
    let c4 = r.commit_at("four", T0 + 31 * DAY);
    assert_eq!(
        complete(&r),
        BTreeMap::from([(c1, true), (c2, true), (c3, false), (c4, false)])
    );
}

#[test]
fn markers_count_uppercase_whole_words() {
    let r = Repo::new();
    r.write(
        "src/lib.rs",
        text(&[
            "// TODO: a",
            "// TODOS",
            "HACKED",
            "todo: x",
            "FIXME(bob)",
            "x_HACK",
            "HACK",
            "(TODO) and FIXME",
            "plain",
        ]),
    );
    let c1 = r.commit_at("markers", T0);
    // Removes `TODO: a`, `TODOS` (no marker) and `HACK`; rewrites `FIXME(bob)`; adds a
    // line with two markers, which counts once.
    r.write(
        "src/lib.rs",
        text(&[
            "HACKED",
            "todo: x",
            "FIXME(alice)",
            "x_HACK",
            "(TODO) and FIXME",
            "a TODO b FIXME",
            "plain",
        ]),
    );
    let c2 = r.commit_at("fewer markers", T0 + DAY);
    let out = survival(&r, T0, FOREVER);
    let markers = |id: &str| {
        let f = &out[id].files[0];
        (f.markers_added, f.markers_removed)
    };
    assert_eq!(markers(&c1), (4, 0));
    assert_eq!(markers(&c2), (2, 3));
}

#[test]
fn commits_before_since_are_not_output_and_their_lines_are_old() {
    let r = Repo::new();
    r.write("a.txt", text(&["p0", "p1", "p2", "p3", "p4"]));
    let c0 = r.commit_at("before the range", T0 - 10 * DAY);
    r.write("a.txt", text(&["p0", "n0", "n1", "n2", "p3", "p4"]));
    let c1 = r.commit_at("replace p1 p2", T0);
    r.write("a.txt", text(&["p0", "n0", "n2", "p4"]));
    let c2 = r.commit_at("delete p3 n1", T0 + 2 * DAY);

    check(
        &r,
        T0,
        T0 + 10 * DAY,
        &[(&c1, &[("a.txt", 3, 1)]), (&c2, &[("a.txt", 0, 0)])],
    );
    // With the earlier commit in range, its lines are tracked: p1 and p2 deleted 10 days
    // later, p3 12 days later.
    check(
        &r,
        T0 - 10 * DAY,
        T0 + 10 * DAY,
        &[
            (&c0, &[("a.txt", 5, 3)]),
            (&c1, &[("a.txt", 3, 1)]),
            (&c2, &[("a.txt", 0, 0)]),
        ],
    );
}

#[test]
fn binary_files_have_no_lines_and_a_file_turned_binary_loses_its_lines() {
    let r = Repo::new();
    r.write("t.txt", text(&["one", "two", "three"]));
    r.write("b.bin", b"\x00\x01\x02");
    let c1 = r.commit_at("text and binary", T0);
    r.write("t.txt", b"one\x00two\n");
    r.write("b.bin", b"\x00\x01\x02\x03");
    let c2 = r.commit_at("both binary", T0 + DAY);
    check(&r, T0, FOREVER, &[(&c1, &[("t.txt", 3, 3)]), (&c2, &[])]);
}

#[test]
fn an_empty_repository_has_no_survival() {
    let r = Repo::new();
    assert!(
        r.open()
            .line_survival(0, FOREVER, HORIZON, 0)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn missing_blobs_skip_files_instead_of_failing() {
    let source = Repo::new();
    for i in 0..6 {
        source.write(
            "a.txt",
            text(
                &(0..=i)
                    .map(|k| if k % 2 == 0 { "even" } else { "odd" })
                    .collect::<Vec<_>>(),
            ),
        );
        source.write(format!("f{i}.txt"), text(&["new"]));
        source.commit_at(&format!("c{i}"), T0 + i * DAY);
    }
    source.git(["config", "uploadpack.allowFilter", "true"]);
    let partial = source.clone_with(&["--filter=blob:none", "--no-checkout"]);
    let full = survival(&source, T0, FOREVER);
    let out = survival(&partial, T0, FOREVER);
    assert_eq!(
        out.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    for (id, c) in &out {
        // Every file the partial clone could read is read as in the source.
        for f in &c.files {
            let g = full[id].files.iter().find(|g| g.path == f.path).unwrap();
            assert_eq!(f.lines_added, g.lines_added, "{id} {}", f.path);
        }
    }
}

/// Text lines of a generated history: code-like, with markers and repeated lines, none
/// starting with `+` or `-` (which would read as diff headers in `git log -p`).
fn random_line(rng: &mut Rng) -> String {
    const WORDS: [&str; 12] = [
        "}",
        "",
        "    return x;",
        "// TODO: later",
        "let FIXME = 1;",
        "HACKED",
        "x += 1;",
        "// HACK",
        "todo",
        "TODOS",
        "    call();",
        "{",
    ];
    if rng.chance(60) {
        (*rng.pick(&WORDS)).to_string()
    } else {
        format!("    call({});", rng.below(30))
    }
}

/// Random edits to one file's lines: inserts, deletions and rewrites of runs.
fn edit(rng: &mut Rng, lines: &mut Vec<String>, line: &mut dyn FnMut(&mut Rng) -> String) {
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(lines.len() + 1);
        match rng.below(3) {
            0 => {
                for _ in 0..1 + rng.below(5) {
                    lines.insert(at, line(rng));
                }
            }
            1 if at < lines.len() => {
                let end = (at + 1 + rng.below(4)).min(lines.len());
                lines.drain(at..end);
            }
            _ if at < lines.len() => {
                let end = (at + 1 + rng.below(3)).min(lines.len());
                for l in &mut lines[at..end] {
                    *l = line(rng);
                }
            }
            _ => lines.push(line(rng)),
        }
    }
}

fn join(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `count` files `src/f{i}.rs` of `min` to `min + spread - 1` random lines each.
fn seed_files(
    rng: &mut Rng,
    count: usize,
    min: usize,
    spread: usize,
) -> BTreeMap<String, Vec<String>> {
    (0..count)
        .map(|i| {
            let lines = (0..min + rng.below(spread))
                .map(|_| random_line(rng))
                .collect();
            (format!("src/f{i}.rs"), lines)
        })
        .collect()
}

/// Writes every file to the work tree.
fn write_files(r: &Repo, files: &BTreeMap<String, Vec<String>>) {
    for (path, lines) in files {
        r.write(path, join(lines));
    }
}

/// ~50 commits on a main branch and topic branches merged back (conflicts committed as
/// they are), editing a handful of files, adding, deleting and binary ones among them.
fn generated_history(seed: u64) -> Repo {
    let mut rng = Rng::new(seed);
    let r = Repo::new();
    let mut files = seed_files(&mut rng, 4, 10, 20);
    let write_all = |files: &BTreeMap<String, Vec<String>>| write_files(&r, files);
    write_all(&files);
    r.write("logo.bin", b"\x00PNG");
    r.commit("root");
    let step = |rng: &mut Rng, files: &mut BTreeMap<String, Vec<String>>, n: usize| {
        let paths: Vec<String> = files.keys().cloned().collect();
        for _ in 0..1 + rng.below(2) {
            let path = rng.pick(&paths).clone();
            let lines = files.get_mut(&path).unwrap();
            edit(rng, lines, &mut random_line);
        }
        if rng.chance(10) {
            files.insert(
                format!("src/new{n}.rs"),
                vec![random_line(rng), random_line(rng)],
            );
        }
        if rng.chance(5) && files.len() > 3 {
            let path = rng.pick(&paths).clone();
            files.remove(&path);
            r.remove(&path);
        }
        if rng.chance(5) {
            r.write("logo.bin", format!("\x00PNG{n}"));
        }
        write_all(files);
        r.commit(&format!("step {n}"));
    };
    let mut n = 0;
    while n < 45 {
        if rng.chance(20) {
            let branch = format!("topic{n}");
            r.git(["checkout", "-q", "-b", &branch]);
            let mut topic = files.clone();
            for _ in 0..2 + rng.below(3) {
                step(&mut rng, &mut topic, n);
                n += 1;
            }
            r.git(["checkout", "-q", "main"]);
            write_all(&files);
            for _ in 0..1 + rng.below(2) {
                step(&mut rng, &mut files, n);
                n += 1;
            }
            r.merge(&[&branch], &format!("merge {branch}"));
            // The merged files, as the merge left them (with conflict markers, if any).
            files = files
                .keys()
                .chain(topic.keys())
                .filter_map(|p| {
                    let content = std::fs::read_to_string(r.abs(p)).ok()?;
                    Some((p.clone(), content.lines().map(str::to_string).collect()))
                })
                .collect();
        } else {
            step(&mut rng, &mut files, n);
            n += 1;
        }
    }
    r
}

/// Per commit and path, the added and removed lines holding a marker in `git log -p`.
fn git_markers(r: &Repo) -> HashMap<(String, String), (u32, u32)> {
    let out = r.git_str(["log", "-p", "--no-renames", "--format=COMMIT %H", "HEAD"]);
    let marker = |l: &str| {
        l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| matches!(w, "TODO" | "FIXME" | "HACK"))
    };
    let mut map: HashMap<(String, String), (u32, u32)> = HashMap::new();
    let (mut commit, mut path, mut in_hunk) = (String::new(), String::new(), false);
    for line in out.lines() {
        if let Some(id) = line.strip_prefix("COMMIT ") {
            commit = id.to_string();
            in_hunk = false;
        } else if let Some(rest) = line.strip_prefix("diff --git a/") {
            path = rest.split(" b/").next().unwrap().to_string();
            in_hunk = false;
        } else if line.starts_with("@@") {
            in_hunk = true;
        } else if in_hunk && let Some(added) = line.strip_prefix('+') {
            map.entry((commit.clone(), path.clone())).or_default().0 += u32::from(marker(added));
        } else if in_hunk && let Some(removed) = line.strip_prefix('-') {
            map.entry((commit.clone(), path.clone())).or_default().1 += u32::from(marker(removed));
        }
    }
    map
}

#[test]
fn lines_added_and_markers_equal_git_on_a_generated_history() {
    for seed in [1, 2, 3] {
        let r = generated_history(seed);
        let numstat = git_numstat(r.path(), "HEAD");
        let commits = git_commits(r.path(), "HEAD");
        let markers = git_markers(&r);
        let out = survival_with(&r, 0, FOREVER, HORIZON, 3);
        assert_eq!(
            out,
            survival_with(&r, 0, FOREVER, HORIZON, 1),
            "the result does not depend on the threads"
        );
        let merges = commits.values().filter(|c| c.parents.len() > 1).count();
        assert!(merges >= 2, "seed {seed}: {merges} merges");
        assert!(
            commits.len() >= 50,
            "seed {seed}: {} commits",
            commits.len()
        );
        assert_eq!(out.len(), commits.len() - merges, "seed {seed}");
        for (id, c) in &out {
            let ours: Vec<(&str, u32)> = c
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.lines_added))
                .collect();
            let git: Vec<(&str, u32)> = numstat[id]
                .iter()
                .filter_map(|(path, counts)| counts.map(|(added, _)| (path.as_str(), added)))
                .collect();
            assert_eq!(ours, git, "seed {seed}: {id}: lines added");
            for f in &c.files {
                let git = markers
                    .get(&(id.clone(), f.path.clone()))
                    .copied()
                    .unwrap_or_default();
                assert_eq!(
                    (f.markers_added, f.markers_removed),
                    git,
                    "seed {seed}: {id}: {}: markers",
                    f.path
                );
                assert!(f.lines_churned <= f.lines_added);
            }
        }
    }
}

#[test]
fn with_no_horizon_limit_surviving_lines_equal_git_blame() {
    // A linear history of unique lines, where every diff is unambiguous: a line that was
    // added and is not churned is a line of the tip, and git blame names its commit.
    let mut rng = Rng::new(5);
    let r = Repo::new();
    let mut counter = 0;
    let mut unique = |_: &mut Rng| {
        counter += 1;
        format!("line {counter}")
    };
    let mut files: Vec<Vec<String>> = (0..3)
        .map(|_| (0..8).map(|_| unique(&mut rng)).collect())
        .collect();
    for step in 0..40 {
        let f = rng.below(files.len());
        edit(&mut rng, &mut files[f], &mut unique);
        for (i, lines) in files.iter().enumerate() {
            r.write(format!("f{i}.txt"), join(lines));
        }
        r.commit_at(&format!("step {step}"), T0 + step * 3600);
    }
    let out = survival_with(&r, 0, FOREVER, FOREVER, 2);
    let mut blamed: HashMap<String, u32> = HashMap::new();
    for i in 0..files.len() {
        let blame = r.git_str([
            "blame",
            "--root",
            "-l",
            "-s",
            "HEAD",
            "--",
            &format!("f{i}.txt"),
        ]);
        for line in blame.lines() {
            let id = line.trim_start_matches('^');
            *blamed.entry(id[..40].to_string()).or_default() += 1;
        }
    }
    let mut total = 0;
    for (id, c) in &out {
        let surviving: u32 = c
            .files
            .iter()
            .map(|f| f.lines_added - f.lines_churned)
            .sum();
        assert_eq!(surviving, blamed.get(id).copied().unwrap_or(0), "{id}");
        total += c.files.iter().map(|f| f.lines_churned).sum::<u32>();
    }
    assert!(total > 0, "the history deletes lines");
}

/// `line_survival_except` over `[since, until)` with `known` held, by commit id.
fn survival_except(
    r: &Repo,
    since: i64,
    until: i64,
    known: &std::collections::HashSet<String>,
) -> BTreeMap<String, CommitSurvival> {
    r.open()
        .line_survival_except(since, until, HORIZON, 2, &|id| known.contains(id))
        .expect("line survival")
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect()
}

/// The commits of `full` that `known` does not hold.
fn without(
    full: &BTreeMap<String, CommitSurvival>,
    known: &std::collections::HashSet<String>,
) -> BTreeMap<String, CommitSurvival> {
    full.iter()
        .filter(|(id, _)| !known.contains(*id))
        .map(|(id, c)| (id.clone(), c.clone()))
        .collect()
}

fn churned(c: &CommitSurvival) -> u32 {
    c.files.iter().map(|f| f.lines_churned).sum()
}

#[test]
fn a_commit_after_the_known_ones_keeps_its_figures_when_a_child_is_authored_before_it() {
    // A rebase keeps author dates: `x` sits on top of `c` but was written before it. A pass
    // starting at `c`'s time would leave `x` out and lose `c`'s line on its way to `d`.
    let r = Repo::new();
    r.write("a.txt", text(&["a0", "a1"]));
    let base = r.commit_at("base", T0);
    r.write("a.txt", text(&["a0", "a1", "c"]));
    let c = r.commit_at("c", T0 + 30 * DAY);
    r.write("x.txt", text(&["x"]));
    let x = r.commit_at("x, rebased onto c", T0 + 10 * DAY);
    r.write("a.txt", text(&["a0", "a1"]));
    let d = r.commit_at("d deletes c's line", T0 + 35 * DAY);

    let full = survival(&r, T0, FOREVER);
    assert_eq!(churned(&full[&c]), 1, "d deletes c's line 5 days later");
    // The figure a pass from c's author time gives: different, so the range matters.
    let naive = survival(&r, T0 + 30 * DAY, FOREVER);
    assert_eq!(churned(&naive[&c]), 0, "x cuts the line's path");

    let known: std::collections::HashSet<String> = [base.clone(), x.clone()].into();
    let got = survival_except(&r, T0, FOREVER, &known);
    assert_eq!(got, without(&full, &known));
    assert_eq!(got.keys().collect::<Vec<_>>(), {
        let mut ids = vec![&c, &d];
        ids.sort();
        ids
    });
}

#[test]
fn a_commit_after_the_known_ones_keeps_its_figures_through_a_merge_taking_its_side() {
    // The merge takes the branch's a.txt as it is, dropping b's two lines. Whether it
    // compares the file with main's (where b's "}" lines up with c's) depends on b's lines
    // being tracked: a pass starting at c's time would not track them and would give c the
    // "}" that d deletes.
    let r = Repo::new();
    r.write("a.txt", text(&["a0", "a1", "a2"]));
    let base = r.commit_at("base", T0);
    r.git(["checkout", "-q", "-b", "feature"]);
    r.write("a.txt", text(&["a0", "a1", "a2", "}"]));
    let c = r.commit_at("c", T0 + 12 * DAY);
    r.git(["checkout", "-q", "main"]);
    r.write("a.txt", text(&["a0", "a1", "a2", "}", "b"]));
    let b = r.commit_at("b", T0 + 10 * DAY);
    // Both sides appended to a.txt: a conflict, resolved with the branch's version.
    let _ = r.git_at(["merge", "-q", "--no-ff", "--no-commit", "feature"], T0);
    r.git(["checkout", "feature", "--", "a.txt"]);
    let merge = r.commit_at("merge taking the branch's a.txt", T0 + 13 * DAY);
    assert_eq!(r.git_str(["show", "HEAD:a.txt"]), "a0\na1\na2\n}");
    r.write("a.txt", text(&["a0", "a1", "a2"]));
    let d = r.commit_at("d deletes the }", T0 + 15 * DAY);

    let full = survival(&r, T0, FOREVER);
    let naive = survival(&r, T0 + 12 * DAY, FOREVER);
    assert_ne!(
        churned(&full[&c]),
        churned(&naive[&c]),
        "the range changes c's figure"
    );
    let known: std::collections::HashSet<String> = [base, b].into();
    let got = survival_except(&r, T0, FOREVER, &known);
    assert_eq!(got, without(&full, &known));
    assert!(got.contains_key(&c) && got.contains_key(&d) && !got.contains_key(&merge));
}

#[test]
fn with_every_commit_known_nothing_is_computed() {
    let r = Repo::new();
    r.write("a.txt", text(&["a"]));
    let a = r.commit_at("a", T0);
    r.write("a.txt", text(&["b"]));
    let b = r.commit_at("b", T0 + DAY);
    let known: std::collections::HashSet<String> = [a, b].into();
    assert!(survival_except(&r, T0, FOREVER, &known).is_empty());
    assert!(survival_except(&r, T0, FOREVER, &Default::default()).len() == 2);
    // Nothing in the range.
    assert!(survival_except(&r, T0 + 5 * DAY, FOREVER, &Default::default()).is_empty());
}

/// ~70 commits over ~120 days: main and topic branches merged back (conflicts committed
/// as they are, or resolved by taking one side's version), some commits authored days
/// before their parents (rebases keep author dates).
fn dated_history(seed: u64) -> Repo {
    let mut rng = Rng::new(seed);
    let r = Repo::new();
    let mut files = seed_files(&mut rng, 3, 8, 10);
    let write_all = |files: &BTreeMap<String, Vec<String>>| write_files(&r, files);
    write_all(&files);
    r.commit_at("root", T0);
    let mut now = T0;
    let mut tick = |rng: &mut Rng| {
        now += rng.below(3) as i64 * DAY + rng.below(3600) as i64;
        // Now and then a commit authored well before the history around it.
        if rng.chance(12) {
            now - (1 + rng.below(25) as i64) * DAY
        } else {
            now
        }
    };
    let step = |rng: &mut Rng, files: &mut BTreeMap<String, Vec<String>>, n: usize, at: i64| {
        let paths: Vec<String> = files.keys().cloned().collect();
        let path = rng.pick(&paths).clone();
        edit(rng, files.get_mut(&path).unwrap(), &mut random_line);
        if rng.chance(8) {
            files.insert(format!("src/new{n}.rs"), vec![random_line(rng)]);
        }
        write_all(files);
        r.commit_at(&format!("step {n}"), at);
    };
    let mut n = 0;
    while n < 60 {
        if rng.chance(25) {
            let branch = format!("topic{n}");
            r.git(["checkout", "-q", "-b", &branch]);
            let mut topic = files.clone();
            for _ in 0..1 + rng.below(3) {
                let at = tick(&mut rng);
                step(&mut rng, &mut topic, n, at);
                n += 1;
            }
            r.git(["checkout", "-q", "main"]);
            write_all(&files);
            for _ in 0..rng.below(3) {
                let at = tick(&mut rng);
                step(&mut rng, &mut files, n, at);
                n += 1;
            }
            let at = tick(&mut rng);
            let message = format!("merge {branch}");
            let strategy: &[&str] = match rng.below(3) {
                0 => &["-X", "theirs"],
                1 => &["-X", "ours"],
                _ => &[],
            };
            let mut args = vec!["merge", "-q", "--no-ff", "--no-edit", "-m", &message];
            args.extend_from_slice(strategy);
            args.push(&branch);
            if !r.git_at(&args, at) {
                r.git(["add", "-A"]);
                assert!(r.git_at(["commit", "-q", "--no-edit", "--no-verify"], at));
            }
            files = files
                .keys()
                .chain(topic.keys())
                .filter_map(|p| {
                    let content = std::fs::read_to_string(r.abs(p)).ok()?;
                    Some((p.clone(), content.lines().map(str::to_string).collect()))
                })
                .collect();
        } else {
            let at = tick(&mut rng);
            step(&mut rng, &mut files, n, at);
            n += 1;
        }
    }
    r
}

#[test]
fn the_commits_not_known_get_the_figures_of_the_whole_range() {
    let mut checked = 0;
    for seed in [11, 12, 13, 14] {
        let r = dated_history(seed);
        let commits = git_commits(r.path(), "HEAD");
        let merges = commits.values().filter(|c| c.parents.len() > 1).count();
        assert!(merges >= 3, "seed {seed}: {merges} merges");
        let (since, until) = (T0 + 10 * DAY, T0 + 55 * DAY);
        let full = survival(&r, since, until);
        assert!(full.len() >= 30, "seed {seed}: {} commits", full.len());
        assert!(
            full.values().any(|c| churned(c) > 0),
            "seed {seed}: something churns"
        );
        let mut rng = Rng::new(seed);
        // What a cache holds: the commits authored before some day; and random subsets.
        let mut subsets: Vec<std::collections::HashSet<String>> = (0..8)
            .map(|k| {
                let cut = since + k * 5 * DAY;
                full.values()
                    .filter(|c| c.author_time < cut)
                    .map(|c| c.id.clone())
                    .collect()
            })
            .collect();
        for _ in 0..4 {
            subsets.push(full.keys().filter(|_| rng.chance(70)).cloned().collect());
        }
        for known in &subsets {
            let got = survival_except(&r, since, until, known);
            assert_eq!(
                got,
                without(&full, known),
                "seed {seed}: {} known",
                known.len()
            );
            checked += got.len();
        }
    }
    assert!(checked > 300, "{checked} commits compared");
}
