//! What the files say. Every line is generated from its id, so no two lines of a
//! repository are equal and git's diff counts exactly the lines the generator added and
//! deleted (the PR's additions and deletions then match `git log --numstat`).

use crate::rng::mix;
use crate::words::capitalise;

/// The kind of a file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ts,
    Tsx,
    Go,
    Sql,
    Md,
    Json,
    Yaml,
    GoMod,
    GoSum,
}

impl Kind {
    pub fn of(path: &str) -> Kind {
        let name = path.rsplit('/').next().unwrap_or(path);
        if name == "go.mod" {
            Kind::GoMod
        } else if name == "go.sum" {
            Kind::GoSum
        } else if name.ends_with(".tsx") {
            Kind::Tsx
        } else if name.ends_with(".ts") {
            Kind::Ts
        } else if name.ends_with(".go") {
            Kind::Go
        } else if name.ends_with(".sql") {
            Kind::Sql
        } else if name.ends_with(".json") {
            Kind::Json
        } else if name.ends_with(".yml") || name.ends_with(".yaml") {
            Kind::Yaml
        } else {
            Kind::Md
        }
    }

    /// Whether TODO/FIXME/HACK comments can appear in it.
    pub fn has_markers(self) -> bool {
        matches!(self, Kind::Ts | Kind::Tsx | Kind::Go | Kind::Sql)
    }
}

const VERBS: &[&str] = &[
    "load", "save", "sync", "validate", "render", "retry", "merge", "resolve", "publish",
    "archive", "compute", "refresh",
];
const VARIANTS: &[&str] = &["primary", "secondary", "ghost", "danger", "compact"];

/// The text of line `id` in a file of `kind`, with the repository's nouns.
pub fn line(kind: Kind, id: u32, marker: bool, nouns: &[&str]) -> String {
    let h = mix(u64::from(id) ^ 0x5eed_11ce);
    let n = nouns[(h % nouns.len() as u64) as usize];
    let m = nouns[((h >> 8) % nouns.len() as u64) as usize];
    let v = VERBS[((h >> 16) % VERBS.len() as u64) as usize];
    let (cn, cm, cv) = (capitalise(n), capitalise(m), capitalise(v));
    let t = (h >> 24) % 8;
    if marker && kind.has_markers() {
        let c = if kind == Kind::Sql { "--" } else { "//" };
        let indent = if kind == Kind::Go { "\t" } else { "  " };
        return match t % 4 {
            0 => format!("{indent}{c} TODO: {v} {n} {m}s in batches (#{id})"),
            1 => format!("{indent}{c} FIXME: {n} {m} rounding is off for edge case {id}"),
            2 => format!("{indent}{c} HACK: skip {m} check for legacy {n}s ({id})"),
            _ => format!(
                "{indent}{c} TODO: remove once {n} v{} is everywhere ({id})",
                id % 9 + 2
            ),
        };
    }
    match kind {
        Kind::Ts => match t {
            0 => format!(
                "  const {n}{cm}{id} = await {m}Repo.find{cn}(ctx, {});",
                id % 997
            ),
            1 => format!("  if (!{n}{id}) throw new {cn}Error(\"{n} {id} not found\");"),
            2 => format!("  logger.info(\"{n}.{v}\", {{ {m}Id, attempt: {id} }});"),
            3 => format!("  return {{ ...{n}, {m}Count: {n}.{m}s.length + {id} }};"),
            4 => format!(
                "export const {}_{}_LIMIT = {id};",
                n.to_uppercase(),
                m.to_uppercase()
            ),
            5 => format!("  metrics.increment(\"{n}_{m}_total\", {{ code: \"E{id}\" }});"),
            6 => format!("  await queue.publish(\"{n}.{m}.{v}\", {{ id: {n}Id, seq: {id} }});"),
            _ => format!("export async function {v}{cn}{cm}{id}(ctx: Context): Promise<void> {{}}"),
        },
        Kind::Tsx => match t % 4 {
            0 => format!(
                "      <{cn}{cm} id=\"{n}-{id}\" variant=\"{}\" onPress={{{v}{cn}}} />",
                VARIANTS[(h >> 32) as usize % VARIANTS.len()]
            ),
            1 => format!(
                "      <Text style={{{{ color: \"#{:06x}\", marginTop: {} }}}}>{{t(\"{n}.{m}.{id}\")}}</Text>",
                (h >> 40) & 0xff_ffff,
                id % 24
            ),
            2 => format!("  const [{n}{id}, set{cn}{id}] = useState<{cm} | null>(null);"),
            _ => format!("  const on{cv}{cn}{id} = useCallback(() => {v}{cm}({n}Id), [{n}Id]);"),
        },
        Kind::Go => match t {
            0 => format!("\t{n}{cm}{id}, err := s.{m}s.Get{cn}(ctx, {})", id % 997),
            1 => format!("\tif err != nil {{ return fmt.Errorf(\"{v} {n} {id}: %w\", err) }}"),
            2 => format!("\ts.log.Info(\"{n}.{v}\", \"{m}\", {m}ID, \"attempt\", {id})"),
            3 => format!("\tconst max{cn}{cm}{id} = {}", id % 5000),
            4 => format!("\tmetrics.{cn}{cm}Total.WithLabelValues(\"E{id}\").Inc()"),
            5 => format!(
                "func (s *{cn}Service) {cv}{cm}{id}(ctx context.Context) error {{ return nil }}"
            ),
            6 => format!("\ts.queue.Publish(ctx, \"{n}.{m}.{v}\", {id})"),
            _ => format!("\t{n}TTL{id} := s.cfg.{cn}.TTL * {}", id % 4 + 1),
        },
        Kind::Sql => match t % 3 {
            0 => format!("ALTER TABLE {n}s ADD COLUMN {m}_{id} TEXT;"),
            1 => format!("CREATE INDEX IF NOT EXISTS idx_{n}s_{m}_{id} ON {n}s ({m}_id);"),
            _ => format!(
                "UPDATE {n}s SET {m}_state = 'migrated' WHERE id % {} = 0; -- {id}",
                id % 97 + 2
            ),
        },
        Kind::Md => match t % 4 {
            0 => format!(
                "- The {n} {m} flow retries up to {} times before alerting ({id}).",
                id % 9 + 1
            ),
            1 => format!("## {cn} {m} notes ({id})"),
            2 => format!(
                "{cn}s are reconciled against the {m} table every {} minutes [{id}].",
                id % 50 + 5
            ),
            _ => format!("Call `{v}{cn}` only after the {m} lock is held (see #{id})."),
        },
        Kind::Json => format!(
            "    \"@acme/{n}-{m}-{id}\": \"^{}.{}.{}\",",
            id % 5 + 1,
            id % 30,
            id % 10
        ),
        Kind::Yaml => format!("      - run: npm run {n}:{v} -- --shard={} # {id}", id % 8),
        Kind::GoMod => format!("\tgithub.com/acme/{n}-{m}-{id} v0.{}.{}", id % 40, id % 10),
        Kind::GoSum => format!(
            "github.com/acme/{n}-{m}-{id} v0.{}.{} h1:{:016x}=",
            id % 40,
            id % 10,
            h
        ),
    }
}

/// A test line for tests/ files.
pub fn test_line(kind: Kind, id: u32, nouns: &[&str]) -> String {
    let h = mix(u64::from(id) ^ 0x7e57);
    let n = nouns[(h % nouns.len() as u64) as usize];
    let m = nouns[((h >> 8) % nouns.len() as u64) as usize];
    let v = VERBS[((h >> 16) % VERBS.len() as u64) as usize];
    let cn = capitalise(n);
    match kind {
        Kind::Go => format!(
            "\tt.Run(\"{v}_{n}_{m}_{id}\", func(t *testing.T) {{ require.NoError(t, s.{}{cn}(ctx, {id})) }})",
            capitalise(v)
        ),
        _ => format!(
            "  it(\"{v}s {n} {m} #{id}\", async () => expect(await {v}{cn}({id})).toBeDefined());"
        ),
    }
}
