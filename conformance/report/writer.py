"""Certification reports: report.json (machine-readable), report.md (release notes), report.html
(conformance/report/html.py) and one standalone repro_<n>.py per failure.

Vocabulary, as the reports define it: a *cell* is (spatial rank, feature, dtype, direction); a
*row* is a cell run on one data kind; a row's status is pass, fail, crash, hang (timeout),
known (every failure claimed by a known issue), unsupported (not declared by the backend) or
untested.  Every file is written to a temporary name and renamed into place, so a reader (or
an interrupted run) never sees a truncated file.
"""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter, defaultdict

STATUS_MARK = {"pass": "pass", "fail": "FAIL", "known": "known issue", "unsupported": "n/a", "crash": "CRASH",
               "timeout": "HANG", "untested": "untested"}
FAILING = ("fail", "crash", "timeout")
# the matrices' sections: generated rows by direction, then the invalid-config rules (rank 0d: every rank) and
# the historical replays
MATRIX_DIRECTIONS = ("forward", "transpose", "gradients", "transpose-gradients", "invalid", "historical", "large")
GRADIENT_ROWS = ("gradients", "transpose-gradients")
RATIO_NOTE = ("The number after a status is the worst error seen in that cell as a fraction of the error bound the "
              "backend's declared accuracy class allows (conformance/model/bounds.py): 0 is exact, <= 1 conforms, > 1 "
              "breaks the bound; inf: a result owed exactly (integer data) differs, or a NaN/inf sits where the "
              "oracle has a finite value.")


def atomic_write(path: str, text: str) -> None:
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def summarize(report: dict) -> dict:
    counts = Counter(row["status"] for row in report["cells"])
    paths, features, pairs, seconds = Counter(), Counter(), Counter(), Counter()
    for row in report["cells"]:
        paths.update(row.get("kernel_paths") or {})
        cov = row.get("coverage") or {}
        features.update(cov.get("features") or {})
        pairs.update(cov.get("pairs") or {})
        seconds.update(cov.get("seconds") or {})
    failing = sum(counts[s] for s in FAILING)
    families = {f[7:]: {"examples": n, "per_second": round(n / seconds[f[7:]], 1) if seconds[f[7:]] else None}
                for f, n in sorted(features.items()) if f.startswith("family=")}
    return {"rows": dict(counts), "examples": sum(r["examples"] or 0 for r in report["cells"]),
            "kernel_path_coverage": dict(paths), "conformant": failing == 0, "families": families,
            # rows read back from a report.json carry no pairs: keep the summed ones it was written with
            "feature_pairs": dict(pairs) or (report.get("summary") or {}).get("feature_pairs", {})}


def counts_text(rows: dict, known_kinds: str = "") -> str:
    """'21 FAIL, 1 known issue, 1470 pass, 21 n/a' in a fixed order; with `known_kinds` ('wrong values 3 rows') the
    known rows read '3 known non-conformances (wrong values 3 rows)'."""
    order = ("fail", "crash", "timeout", "known", "pass", "untested", "unsupported")

    def text(status):
        n = rows[status]
        if status == "known" and known_kinds:
            return f"{n} known non-conformance{'s' if n != 1 else ''} ({known_kinds})"
        return f"{n} {STATUS_MARK[status]}" + ("s" if status == "known" and n != 1 else "")
    return ", ".join(text(s) for s in order if rows.get(s))


def rows_text(n: int) -> str:
    """'1 row', '2 rows'."""
    return f"{n} row" if n == 1 else f"{n} rows"


def failure_groups(report: dict) -> list:
    """Failing rows grouped by root cause: same headline (what broke), kernel path and kind of violation
    (special values or values); each group as (signature, rows), the most frequent first."""
    groups = defaultdict(list)
    for row in report["cells"]:
        if row["status"] in FAILING:
            groups[root_cause(row)].append(row)
    return sorted(groups.items(), key=lambda item: -len(item[1]))


def root_cause(row: dict) -> tuple:
    """A failing row's signature: (status, headline, kernel path, 'values' or 'NaN/inf placement')."""
    text = (row.get("minimal_failure") or {}).get("report") or row.get("reason") or row["status"]
    lines = text.splitlines()
    headline = lines[0].split(" [")[0].split(": ", 1)[-1] if lines else row["status"]
    path = next((v.split("kernel path", 1)[1].strip() for v in lines if v.strip().startswith("kernel path")),
                "unknown")
    special = any("special value" in v for v in lines)
    return row["status"], headline, path, "NaN/inf placement" if special else "values"


def write_json(report: dict, out_dir: str) -> str:
    """report.json: the report with its summary.  Each row's feature pairs are summed into the summary and
    left out of the row (written per row they were 70% of a thorough report's 24 MB); rows one per line."""
    report["summary"] = summarize(report)
    head = json.dumps({k: v for k, v in report.items() if k != "cells"}, indent=1)
    # one row per line: a thorough report stays a few MB, and rows grep and diff line by line
    rows = ",\n".join("  " + json.dumps(_slim(row), separators=(",", ":")) for row in report["cells"])
    path = os.path.join(out_dir, "report.json")
    atomic_write(path, head[:-2] + ',\n "cells": [\n' + rows + "\n ]\n}\n")
    return path


# what a compact report leaves out of each row: the per-example samples behind report.html's plots and the feature
# pairs each row covered (the summary keeps their totals).  Verdicts, worst ratios, kernel paths, known issues and
# minimal failures stay, so `diff` and `compare` read a compact report as they read a full one.  Committed
# certifications keep this form (about 30 KB gzipped where report.json is 3 MB).
COMPACT_DROPS = ("ratios_sample", "failing_ratios", "coverage")
COMPACT_NAME = "report.compact.json.gz"


def write_compact(report: dict, out_dir: str) -> str:
    """report.compact.json.gz: the report without COMPACT_DROPS in its rows, gzipped reproducibly (no timestamp)."""
    slim = dict(report, compact=f"rows without {', '.join(COMPACT_DROPS)}",
                cells=[{k: v for k, v in row.items() if k not in COMPACT_DROPS} for row in report["cells"]])
    path = os.path.join(out_dir, COMPACT_NAME)
    data = gzip.compress(json.dumps(slim, separators=(",", ":"), sort_keys=True).encode(), mtime=0)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return path


def read_report(path: str) -> dict:
    """A certification report from its folder, its report.json or its report.compact.json.gz; ValueError saying
    why when `path` holds none."""
    if os.path.isdir(path):
        found = [os.path.join(path, n) for n in ("report.json", COMPACT_NAME) if os.path.exists(os.path.join(path, n))]
        if not found:
            raise ValueError(f"{path}: a folder with no report.json or {COMPACT_NAME}")
        path = found[0]
    try:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable report.json ({exc})") from None
    missing = [k for k in ("backend", "environment", "cells") if not isinstance(report, dict) or k not in report]
    if missing:
        raise ValueError(f"{path}: not a convconf report (no {', '.join(missing)})")
    return report


def _slim(row: dict) -> dict:
    """The row as written: without its feature pairs, its sampled ratios to 4 significant digits (plots)."""
    out = dict(row, ratios_sample=[float(f"{r:.4g}") for r in row.get("ratios_sample") or ()])
    cov = row.get("coverage")
    if cov and "pairs" in cov:
        out["coverage"] = {k: v for k, v in cov.items() if k != "pairs"}
    return out


def write_repros(report: dict, out_dir: str) -> list:
    """repro_<n>.py per failing row with a known case; each needs only numpy, the backend and convconf."""
    paths = []
    n = 0
    for row in report["cells"]:
        failure = row.get("minimal_failure")
        if row["status"] not in FAILING or not failure:
            continue
        n += 1
        check = "check_grads" if row["direction"] in GRADIENT_ROWS else "check_forward"
        first = failure["report"].splitlines()[0] if failure["report"] else row["status"]
        path = report.get("backend_path")
        importable = ("" if not path else
                      f"import sys\n\nsys.path.insert(0, {path!r})  # where the backend's module is\n\n")
        text = f'''"""convconf certification failure {n}: {row['ndim']}d {row['direction']} {row['feature']} \
{row['dtype']}, {row['kind']} data.

{first}
Run: python {os.path.basename(f"repro_{n}.py")}   (raises NonConformance with the full report while the bug is there)
"""

{importable}from conformance.backends import registry
from conformance.judge.checks import {check}
from conformance.model.config import ConvConfig

backend = registry.load({report['backend_spec']!r})
config = {failure['config']}
{check}(backend, config, {row['dtype']!r}, {failure['kind']!r}, {failure['seed']!r})
print("conformant: the failure no longer reproduces")
'''
        path = os.path.join(out_dir, f"repro_{n}.py")
        atomic_write(path, text)
        row["repro_file"] = os.path.basename(path)
        paths.append(path)
    return paths


def write_standalones(report: dict, out_dir: str, backend) -> list:
    """repro_<n>_standalone.py beside each repro_<n>.py, for backends that write standalone reproducers
    (conformance.report.standalone: only the framework and numpy needed); written once per row."""
    from conformance.report import standalone
    from conformance.model.config import ConvConfig

    if not standalone.supported(backend):
        return []
    paths = []
    for row in report["cells"]:
        failure, repro = row.get("minimal_failure"), row.get("repro_file")
        if not failure or not repro or not failure.get("config") or row.get("standalone_file"):
            continue
        config = eval(failure["config"], {"ConvConfig": ConvConfig})  # noqa: S307 - our own repr of a dataclass
        name = repro.replace(".py", "_standalone.py")
        headline = (failure.get("report") or row["status"]).splitlines()[0]
        try:
            paths.append(standalone.write(backend, config, row["dtype"], failure["kind"], failure["seed"],
                                          "grads" if row["direction"] in GRADIENT_ROWS else "forward", out_dir,
                                          headline, name))
        except Exception as exc:  # noqa: BLE001 - a reproducer that cannot be written must not lose the report
            row["standalone_error"] = f"{type(exc).__name__}: {exc}"
            continue
        row["standalone_file"] = name
    return paths


def _matrix(report: dict):
    """(direction, ndim, feature) -> dtype -> aggregated status and worst ratio over data kinds."""
    table = defaultdict(dict)
    order = {"fail": 0, "crash": 0, "timeout": 0, "known": 1, "pass": 2, "untested": 3, "unsupported": 4}
    for row in report["cells"]:
        key = (row["direction"], row["ndim"], row["feature"])
        cell = table[key].setdefault(row["dtype"], {"status": row["status"], "ratio": None, "examples": 0})
        if order[row["status"]] < order[cell["status"]]:  # the worst status over the data kinds
            cell["status"] = row["status"]
        cell["examples"] += row["examples"] or 0
        if row.get("worst_ratio") is not None:
            cell["ratio"] = max(cell["ratio"] or 0.0, row["worst_ratio"])
    return table


def _undeclared(line: dict) -> bool:
    """A matrix line (dtype -> cell) whose every cell the backend does not declare."""
    return all(cell["status"] == "unsupported" for cell in line.values())


def _cell_text(cell) -> str:
    mark = STATUS_MARK[cell["status"]]
    if cell["status"] in ("pass", "known") and cell["ratio"] is not None:
        return f"{mark} ({cell['ratio']:.2g})"
    return mark


HOW_TO_READ = [
    "A *cell* is (direction, spatial rank, feature, dtype); each is run once per data kind (integer, random, "
    "adversarial, nonfinite, overflow, cancellation, subnormal: conformance/generate/data.py), a *row*. A matrix entry "
    "shows the worst status over the cell's rows: `pass`; `FAIL`, `CRASH`, `HANG` (non-conformant); `known issue` "
    "(every failure claimed by a documented known issue, see below); `n/a` (not declared by the backend); "
    "`untested` (not run). Two more sections: `invalid` has a row per invalid-configuration rule (pass: every "
    "config breaking it was rejected with an exception; FAIL: one came back with numbers; CRASH/HANG: one killed or "
    "hung the process; `known issue`: accepted by the framework's own documented standard), and `historical` a row "
    "per documented past bug and dtype, replayed on integer, random and adversarial data. A `--profile large` "
    "certification has only `large` rows: a config past 2**31 elements or bytes each (conformance/judge/large.py), "
    "checked at sampled positions, `untested` where it does not fit in this machine's free memory.",
    RATIO_NOTE,
]


def declared_record(issue) -> dict:
    """A user-declared known issue as report.json keeps it: enough to name and explain it where the declaration is
    not loaded (a diff on another machine)."""
    return {"key": issue.key, "summary": issue.summary, "hypothesis": issue.hypothesis,
            "declared_in": issue.declared_in, "reproducer": issue.reproducer}


def _catalogue(report: dict) -> list:
    """The built-in known issues, those declared in this process, and those the report recorded as declared."""
    from conformance.findings import KnownIssue, all_issues

    issues = all_issues()
    keys = {issue.key for issue in issues}
    for d in report.get("declared_issues") or ():
        if d["key"] not in keys:
            issues.append(KnownIssue(d["key"], (), (), (), d["summary"], d["hypothesis"],
                                     declared_in=d["declared_in"], command=d["reproducer"]))
    return issues


def known_issues_hit(report: dict) -> list:
    """(KnownIssue, rows) for every known issue a row hit, in the catalogue's order (declared issues last)."""
    from conformance.findings import RENAMED

    rows = defaultdict(list)
    for row in report["cells"]:
        for key in row.get("known_issues") or ():
            rows[RENAMED.get(key, key)].append(row)
    return [(issue, rows[issue.key]) for issue in _catalogue(report) if issue.key in rows]


def declared_unused(report: dict) -> list:
    """The declared known issues no row of the report hit (stale declarations must be visible)."""
    hit = {key for row in report["cells"] for key in row.get("known_issues") or ()}
    return [d for d in report.get("declared_issues") or () if d["key"] not in hit]


# what a known issue's rows are, by the issue's hypothesis: the words a headline counts them under
KNOWN_KINDS = {"crash": "crash or hang", "raises": "rejected valid input", "wrong-shape": "wrong shape"}


def known_kinds(report: dict) -> dict:
    """Rows whose verdict is `known`, per kind of non-conformance their issues claimed ('wrong values', 'crash or
    hang', ...): a row counts once, under its worst kind (a crash before wrong values)."""
    order = ("crash or hang", "rejected valid input", "wrong shape", "wrong values")
    kind_of = {}
    for issue, rows in known_issues_hit(report):
        kind = KNOWN_KINDS.get(issue.hypothesis, "wrong values")
        for row in (r for r in rows if r["status"] == "known"):  # a failing row's known hits are not its verdict
            seen = kind_of.get(id(row))
            if seen is None or order.index(kind) < order.index(seen):
                kind_of[id(row)] = kind
    counts = Counter(kind_of.values())
    return {kind: counts[kind] for kind in order if counts[kind]}


def headline(report: dict) -> str:
    """The verdict line.  'Conformant' only when every declared row passed and every declared feature pair was
    reached; 'No new failures' when the only failures are known issues' (exit 0: a gate for new breakage), saying
    which kinds in how many rows; 'coverage incomplete' added, naming them, where declared pairs were not reached;
    'NOT conformant' when a failure no known issue explains; 'No verdict' for a run that did not finish."""
    summary, env = report["summary"], report["environment"]
    rows = summary["rows"]
    kinds = known_kinds(report)
    known = ", ".join(f"{kind} {rows_text(n)}" for kind, n in kinds.items())
    if not summary["conformant"]:
        verdict = "NOT conformant"
    elif not report["complete"]:  # a run that did not finish certifies nothing, however clean the rows it reached
        verdict = "No verdict (partial report: the run did not finish)"
    elif rows.get("known"):
        verdict = "No new failures"
    else:
        verdict = "Conformant"
    # a declared feature pair no row reached (a narrowed run, too few examples) is not certified: never "Conformant"
    missed = (report.get("coverage") or {}).get("pairs_missed") or []
    if missed and verdict in ("Conformant", "No new failures"):
        shown = ", ".join(missed[:3]) + (", ..." if len(missed) > 3 else "")
        deeper = ("; rows were not selected (a narrowed run)" if rows.get("untested") else
                  "; a deeper --profile draws more" if env.get("profile") in ("ci", "dev") else "")
        verdict = (f"{'Passed' if verdict == 'Conformant' else verdict}, coverage incomplete "
                   f"({len(missed)} declared feature pair{'s' if len(missed) != 1 else ''} never reached: {shown}"
                   f"{deeper})")
    run = {k: v for k, v in rows.items() if k != "unsupported"}
    not_declared = f"; {rows_text(rows['unsupported'])} not declared" if rows.get("unsupported") else ""
    resumed = report.get("resumed_from")
    took = f"{resumed['seconds']} s" if resumed and resumed.get("seconds") is not None else "its time not recorded"
    before = (f" (this run; {resumed['rows']} rows kept from the stopped run of {resumed.get('started')}, "
              f"{took})") if resumed else ""
    return (f"{verdict}: {counts_text(run, known) or 'no rows'}{not_declared}; profile {env['profile']} "
            f"({env['examples_per_cell_and_kind']} examples per row), {summary['examples']} examples in "
            f"{env.get('seconds', '?')} s{before}")


def machine(env: dict) -> str:
    gpus = ", ".join(env.get("gpus") or []) or "no GPU"
    workers = (f" ({env['jobs']} workers x {env['threads_per_worker']} threads)" if "threads_per_worker" in env
               else "")
    return (f"{env.get('cpu')} (ISA: {env.get('cpu_isa')}), {env.get('cpu_count')} cores{workers}, {gpus}; "
            f"backend {env.get('backend_version') or 'version unknown'}; python {env.get('python')}, numpy "
            f"{env.get('numpy')}, hypothesis {env.get('hypothesis')}")


def row_name(row: dict) -> str:
    if row["direction"] == "invalid":
        return f"invalid config: {row['feature']}"
    if row["direction"] == "historical":
        return f"historical bug {row['feature']} ({row['ndim']}d, {row['dtype']})"
    if row["direction"] == "large":
        return f"large case {row['feature']} ({row['ndim']}d, {row['dtype']})"
    return f"{row['ndim']}d {row['direction']} {row['feature']} {row['dtype']}, {row['kind']} data"


def coverage_lines(report: dict) -> list:
    """Families (examples, examples/s), feature pairs reached, kernel paths: markdown lines."""
    summary = report["summary"]
    lines = ["| family | examples | examples/s |", "|---|---|---|"]
    lines += [f"| {name} | {v['examples']} | {v['per_second'] or '-'} |" for name, v in summary["families"].items()]
    cov = report.get("coverage") or {}
    if cov:
        lines += ["", f"Feature pairs reached: {cov['pairs_reached']} of {cov['pairs_required']} that the backend's "
                      "declarations admit" + (f"; missed: {', '.join(cov['pairs_missed'][:60])}"
                                              if cov["pairs_missed"] else ".")]
    lines += ["", "| kernel path | examples |", "|---|---|"]
    lines += [f"| {p} | {n} |" for p, n in sorted(summary["kernel_path_coverage"].items(), key=lambda x: -x[1])]
    return lines


def write_markdown(report: dict, out_dir: str) -> str:
    env, dtypes = report["environment"], report["dtypes"]
    lines = [f"# convconf certification: `{report['backend']}`", "", f"**{headline(report)}**", "",
             f"Machine: {machine(env)}.", ""]
    groups = failure_groups(report)
    failing = sum(len(rows) for _, rows in groups)
    lines += [f"## Failures ({failing} rows, {len(groups)} root causes)" if groups else "## Failures", ""]
    if not groups:
        lines += ["None.", ""]
    for i, ((status, what, path, violation), rows) in enumerate(groups, 1):
        first = rows[0]
        title = f"{STATUS_MARK[status]}: {what} (kernel path {path}, {violation}): {rows_text(len(rows))}"
        lines += [f"### {i}. {title}", "",
                  "Rows: " + "; ".join(f"{row_name(r)} (`{r.get('repro_file', 'no reproducer')}`"
                                       + (f", `{r['standalone_file']}`" if r.get("standalone_file") else "") + ")"
                                       for r in rows),
                  "", "First row's minimal failure:", "", "```",
                  (first.get("minimal_failure") or {}).get("report") or first.get("reason") or "", "```", ""]
    known = known_issues_hit(report)
    lines += ["## Known issues hit", ""]
    if not known:
        lines += ["None.", ""]
    for issue, rows in known:
        lines += [f"- `{issue.key}` ({rows_text(len(rows))}): {issue.summary}. Reproducer: `{issue.reproducer}`"
                  + (f" (declared in {issue.declared_in})" if issue.declared_in else "")]
    unused = declared_unused(report)
    if unused:
        lines += ["", "Declared known issues that claimed no row (stale declarations?): " + ", ".join(
            f"`{d['key']}` ({d['declared_in']})" for d in unused)]
    if report.get("datasheet"):
        from conformance.judge.datasheet import markdown as datasheet_lines

        lines += ["", "## Numerical datasheet", "", "What the backend's arithmetic is, read off crafted convolutions "
                  "(conformance/judge/datasheet.py: accumulator precision, products, rounding, subnormals, summation "
                  "order), per dtype and reduction (over input channels of a 1x1 convolution, over the taps of one "
                  "channel):", ""] + datasheet_lines(report["datasheet"])
    large = [r for r in report["cells"] if r["direction"] == "large"]
    if large:
        lines += ["", "## Large cases", "", "| case | status | output elements | positions | data s | call s | "
                  "peak memory | kernel path |", "|---|---|---|---|---|---|---|---|"]
        for r in large:
            got = r.get("large") or {}
            peak = f"{got['peak_bytes'] / 2**30:.1f} GiB" if got.get("peak_bytes") else "-"
            status = STATUS_MARK[r["status"]] + (f": {r['reason']}" if r.get("reason") else "")
            cells = [got.get(k, "-") for k in ("output_elements", "positions", "data_seconds", "call_seconds")]
            lines.append(f"| {r['feature']} ({r['dtype']}) | {status} | " + " | ".join(map(str, cells))
                         + f" | {peak} | {got.get('kernel_path', '-')} |")
    lines += ["", "## How to read the matrices", ""] + [f"{p}\n" for p in HOW_TO_READ]
    matrix = _matrix(report)
    for direction in MATRIX_DIRECTIONS:
        keys = sorted(k for k in matrix if k[0] == direction)
        if not keys:
            continue
        # a matrix line the backend declares nothing of is not listed among the real ones: named once below it
        shown = [k for k in keys if not _undeclared(matrix[k])]
        hidden = [f"{k[1]}d {k[2]}" for k in keys if _undeclared(matrix[k])]
        lines += [f"## {direction}", ""]
        if shown:
            lines += ["| rank | feature | " + " | ".join(dtypes) + " |", "|---|---|" + "---|" * len(dtypes)]
        for key in shown:
            row = matrix[key]
            lines.append(f"| {key[1]}d | {key[2]} | " + " | ".join(
                _cell_text(row.get(d, {"status": "unsupported", "ratio": None})) for d in dtypes) + " |")
        if hidden:
            lines += ["", f"Not declared ({len(hidden)} of {len(keys)} lines, n/a in every dtype): "
                          f"{', '.join(hidden)}."]
        lines.append("")
    lines += ["## Coverage", ""] + coverage_lines(report)
    lines += ["", "## Environment", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in env.items()]
    path = os.path.join(out_dir, "report.md")
    atomic_write(path, "\n".join(lines) + "\n")
    return path
