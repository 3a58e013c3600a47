"""Reports side by side: `convconf diff` (what changed between two certifications of one backend) and `convconf
compare` (one feature matrix across several)."""

from __future__ import annotations

from conformance.report.writer import FAILING, MATRIX_DIRECTIONS, _matrix


# what decides the cases a certification draws (conformance.generate.fingerprint): reports that differ in one of
# these drew different cases, so a changed verdict may be the draw's, not the backend's
SAME_DRAWS = {"profile": "profile", "examples_per_cell_and_kind": "examples per row", "seed": "seed scheme",
              "hypothesis": "Hypothesis version", "draws": "strategies (conformance.generate.fingerprint)"}


def draw_differences(old: dict, new: dict) -> list:
    """How two reports' draws differ ('examples per row 100 -> 3'), [] when they drew the same cases."""
    a, b = old.get("environment") or {}, new.get("environment") or {}
    return [f"{what} {a.get(k, 'unrecorded')} -> {b.get(k, 'unrecorded')}" for k, what in SAME_DRAWS.items()
            if a.get(k) != b.get(k)]


def diff(old: dict, new: dict, noise: float = 2.0, same_draws: bool = True) -> dict:
    """What changed between two certifications, row by row.

    regressed (what `diff` fails on): a row that did not fail (pass, known issue) now fails, crashes or hangs;
    or, on the same draws, a worst error/bound that was within the bound and now exceeds it.  improved: the
    reverse.  moved: a worst error/bound that grew or shrank by more than `noise` times and exceeds 0.1 of the
    bound (reported, not failed: smaller ratios are rounding noise a different draw moves by such factors).
    changed: other status changes (pass <-> known issue, n/a, untested).
    """
    def key(r):
        return (r["direction"], r["ndim"], r["feature"], r["dtype"], r["kind"])

    before = {key(r): r for r in old["cells"]}
    regressed, improved, moved, changed = [], [], [], []
    for r in new["cells"]:
        o = before.get(key(r))
        if o is None:
            changed.append((key(r), "absent", r["status"]))
            continue
        ok_old, ok_new = o["status"] not in FAILING, r["status"] not in FAILING
        if ok_old and not ok_new:
            regressed.append((key(r), o["status"], r["status"], "now fails"))
        elif ok_new and not ok_old:
            improved.append((key(r), o["status"], r["status"], "now passes"))
        elif o["status"] != r["status"]:
            changed.append((key(r), o["status"], r["status"]))
        ro, rn = o.get("worst_ratio"), r.get("worst_ratio")
        if not (ok_old and ok_new and ro is not None and rn is not None):
            continue
        if same_draws and rn > 1.0 >= ro:
            regressed.append((key(r), f"{ro:.3g}", f"{rn:.3g}", "error/bound now past the bound"))
        elif same_draws and ro > 1.0 >= rn:
            improved.append((key(r), f"{ro:.3g}", f"{rn:.3g}", "error/bound now within the bound"))
        elif rn > noise * max(ro, 1e-300) and rn > 0.1:
            moved.append((key(r), f"{ro:.3g}", f"{rn:.3g}", "error/bound grew"))
        elif ro > noise * max(rn, 1e-300) and ro > 0.1:
            moved.append((key(r), f"{ro:.3g}", f"{rn:.3g}", "error/bound shrank"))
    return {"regressed": regressed, "improved": improved, "moved": moved, "changed": changed}


def diff_text(old: dict, new: dict, result: dict, unlike: list) -> str:
    """`convconf diff`'s output: the two runs, then the regressed, improved and moved rows and other changes."""
    from conformance.report.writer import machine

    out = []
    for label, r in (("old", old), ("new", new)):
        env = r["environment"]
        version = env.get("backend_version") or f"torch {env.get('torch')}"
        out += [f"{label}: {r['backend']} ({version}, {env['profile']})", f"     machine: {machine(env)}"]
    cpus = [(r["environment"].get("cpu"), r["environment"].get("cpu_isa")) for r in (old, new)]
    if cpus[0] != cpus[1]:
        out.append("     (different CPUs or ISA flags: a row may differ because another kernel ran, not because of "
                   "the version)")
    if unlike:
        out.append(f"     (--force: these reports drew different cases: {'; '.join(unlike)}; only status changes "
                   "count)")
    out.append("")
    for title in ("regressed", "improved", "moved"):
        rows = result[title]
        if title == "moved" and not rows:
            continue
        out.append(f"{title}: {len(rows)}" + (" (error/bound moved more than --noise times: reported, not failed)"
                                              if title == "moved" else ""))
        if rows:
            out.append(f"  {'direction':10} {'rank':4} {'feature':9} {'dtype':9} {'kind':11} {'old':>12} "
                       f"{'new':>12}  what")
            shown = rows if title != "moved" else rows[:20]
            for (direction, ndim, feature, dtype, kind), before, after, what in shown:
                out.append(f"  {direction:10} {ndim}d   {feature:9} {dtype:9} {kind:11} {before:>12} {after:>12}  "
                           f"{what}")
            if len(shown) < len(rows):
                out.append(f"  ... and {len(rows) - len(shown)} more")
    if result["changed"]:
        out.append(f"other status changes: {len(result['changed'])}")
        out += [f"  {' '.join(map(str, key))}: {before} -> {after}" for key, before, after in result["changed"]]
    return "\n".join(out) + "\n"


COMPARE_MARK = {"pass": "✓", "known": "k", "fail": "✗", "crash": "✗", "timeout": "✗", "untested": "?",
                "unsupported": "·"}
DTYPE_ABBR = {"float64": "64", "float32": "32", "float16": "16", "bfloat16": "bf"}


def compare_markdown(reports: list) -> str:
    """One feature matrix across several certifications: rows (direction, rank, feature), a column per
    backend, per dtype the worst status over the data kinds (✓ pass, k known issue, ✗ fail/crash/hang,
    · not declared, ? not run in that report)."""
    matrices = [_matrix(r) for r in reports]
    dtypes = list(DTYPE_ABBR)
    keys = sorted(set().union(*matrices), key=lambda k: (MATRIX_DIRECTIONS.index(k[0]), k[1],
                                                          k[2]))
    names = [f"{r['backend']} ({_version_of(r)})" for r in reports]
    lines = ["| direction | rank | feature | " + " | ".join(names) + " |", "|---|---|---|" + "---|" * len(reports)]
    for key in keys:
        entries = []
        for matrix in matrices:
            # a row absent from a report was not run there (narrowed, or older than the feature): "?"; a dtype absent
            # from a row it has (invalid and historical rows run one dtype) is "·"
            row = matrix.get(key)
            entries.append(" ".join(DTYPE_ABBR[d] + (COMPARE_MARK[row.get(d, {"status": "unsupported"})["status"]]
                                                     if row is not None else COMPARE_MARK["untested"])
                                    for d in dtypes))
        lines.append(f"| {key[0]} | {key[1]}d | {key[2]} | " + " | ".join(entries) + " |")
    totals = [", ".join(f"{n} {s}" for s, n in sorted(r["summary"]["rows"].items())) for r in reports]
    lines.append("| **rows** | | | " + " | ".join(totals) + " |")
    machines = [_machine_cell(r) for r in reports]
    lines.append("| **machine** | | | " + " | ".join(machines) + " |")
    return "\n".join(lines) + "\n"


def _machine_cell(report: dict) -> str:
    """CPU model and ISA flags (and what the backend's process dispatched, where recorded) for a compare column."""
    env = report["environment"]
    text = f"{env.get('cpu')}; {env.get('cpu_isa')}"
    runtime = env.get("runtime") or {}
    if runtime.get("onednn_isa"):
        text += f"; oneDNN {runtime['onednn_isa']}"
    return text.replace("|", "/")


def _version_of(report: dict) -> str:
    env = report["environment"]
    return env.get("backend_version") or (f"torch {env['torch']}" if env.get("torch") else "?")
