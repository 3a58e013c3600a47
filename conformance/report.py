"""Certification reports: report.json (machine-readable), report.md (release notes), report.html
(browser, with plots), and one standalone repro_<n>.py per failure.

Every file is written to a temporary name and renamed into place, so a reader (or an
interrupted run) never sees a truncated file.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections import Counter, defaultdict

STATUS_MARK = {"pass": "pass", "fail": "FAIL", "known": "known issue", "unsupported": "n/a", "crash": "CRASH",
               "timeout": "HANG", "untested": "untested"}
FAILING = ("fail", "crash", "timeout")


def atomic_write(path: str, text: str) -> None:
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def summarize(report: dict) -> dict:
    counts = Counter(row["status"] for row in report["cells"])
    coverage = Counter()
    for row in report["cells"]:
        coverage.update(row.get("kernel_paths") or {})
    failing = counts["fail"] + counts["crash"] + counts["timeout"]
    return {"rows": dict(counts), "examples": sum(r["examples"] or 0 for r in report["cells"]),
            "kernel_path_coverage": dict(coverage), "conformant": failing == 0}


def write_json(report: dict, out_dir: str) -> str:
    report["summary"] = summarize(report)
    path = os.path.join(out_dir, "report.json")
    atomic_write(path, json.dumps(report, indent=1, sort_keys=False))
    return path


def write_repros(report: dict, out_dir: str) -> list:
    """repro_<n>.py per failing row with a known case; each needs only numpy, the backend and convconf."""
    paths = []
    n = 0
    for row in report["cells"]:
        failure = row.get("minimal_failure")
        if row["status"] not in FAILING or not failure:
            continue
        n += 1
        check = "check_grads" if row["direction"] == "gradients" else "check_forward"
        first = failure["report"].splitlines()[0] if failure["report"] else row["status"]
        text = f'''"""convconf certification failure {n}: {row['ndim']}d {row['direction']} {row['feature']} \
{row['dtype']}, {row['kind']} data.

{first}
Run: python {os.path.basename(f"repro_{n}.py")}   (raises NonConformance with the full report while the bug is there)
"""

from conformance.backends import registry
from conformance.checks import {check}
from conformance.config import ConvConfig

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


def _cell_text(cell) -> str:
    mark = STATUS_MARK[cell["status"]]
    if cell["status"] in ("pass", "known") and cell["ratio"] is not None:
        return f"{mark} ({cell['ratio']:.2g})"
    return mark


def write_markdown(report: dict, out_dir: str) -> str:
    env, summary = report["environment"], report["summary"]
    dtypes = report["dtypes"]
    lines = [f"# convconf certification: `{report['backend']}`", "",
             f"{'Conformant' if summary['conformant'] else '**Not conformant**'}"
             f"{'' if report['complete'] else ' (partial report: the run did not finish)'}; "
             f"profile `{env['profile']}` ({env['examples_per_cell_and_kind']} examples per cell and data kind), "
             f"{summary['examples']} examples checked, {report['finished'] or 'unfinished'}.", "",
             "Each entry: status over the three data kinds (integer, random, adversarial) and, in brackets, the "
             "worst error as a fraction of the declared bound (<= 1 conforms). `known issue`: a documented "
             "non-conformance (conformance/known_issues.py); `n/a`: not declared by the backend.", ""]
    matrix = _matrix(report)
    for direction in ("forward", "transpose", "gradients"):
        keys = sorted(k for k in matrix if k[0] == direction)
        if not keys:
            continue
        lines += [f"## {direction}", "", "| rank | feature | " + " | ".join(dtypes) + " |",
                  "|---|---|" + "---|" * len(dtypes)]
        for key in keys:
            row = matrix[key]
            lines.append(f"| {key[1]}d | {key[2]} | " + " | ".join(
                _cell_text(row.get(d, {"status": "unsupported", "ratio": None})) for d in dtypes) + " |")
        lines.append("")
    failures = [r for r in report["cells"] if r["status"] in FAILING]
    lines += ["## Failures", ""]
    if not failures:
        lines.append("None.")
    for r in failures:
        f = r.get("minimal_failure") or {}
        lines += [f"### {r['ndim']}d {r['direction']} {r['feature']} {r['dtype']}, {r['kind']} data: {r['status']}",
                  "", f"Reproducer: `{r.get('repro_file', 'none (no case recorded)')}`", "", "```",
                  f.get("report") or r.get("reason") or "", "```", ""]
    known = sorted({k for r in report["cells"] for k in r.get("known_issues") or []})
    lines += ["## Known issues hit", "", ", ".join(f"`{k}`" for k in known) or "None.", "",
              "## Kernel-path coverage", "", "| kernel path | examples |", "|---|---|"]
    lines += [f"| {p} | {n} |" for p, n in sorted(summary["kernel_path_coverage"].items(), key=lambda x: -x[1])]
    lines += ["", "## Environment", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in env.items()]
    path = os.path.join(out_dir, "report.md")
    atomic_write(path, "\n".join(lines) + "\n")
    return path


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _plots(report: dict) -> list:
    """(title, base64 PNG) pairs; empty when matplotlib is missing (the HTML says so)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    import numpy as np

    plots = []
    rows = [r for r in report["cells"] if r.get("ratios_sample")]
    if rows:
        groups = defaultdict(list)
        for r in rows:
            groups[f"{r['direction'][:4]} {r['ndim']}d {r['dtype']}"].extend(r["ratios_sample"])
        names = sorted(groups)
        fig, ax = plt.subplots(figsize=(max(8, 0.35 * len(names)), 4.5))
        data = [np.log10(np.maximum(groups[n], 1e-6)) for n in names]  # exact results (0) drawn at -6
        ax.boxplot(data, showfliers=True)
        ax.set_xticks(range(1, len(names) + 1), names, rotation=90, fontsize=7)
        ax.axhline(0.0, color="red", linewidth=1)
        ax.set_ylabel("log10(error / bound)\nred: the bound; -6: exact")
        ax.set_title("Error as a fraction of the declared bound, per direction, rank and dtype")
        plots.append(("Error / bound distribution", _png(fig)))
        plt.close(fig)
    coverage = report["summary"]["kernel_path_coverage"]
    if coverage:
        fig, ax = plt.subplots(figsize=(7, 0.4 * len(coverage) + 1))
        items = sorted(coverage.items(), key=lambda x: x[1])
        ax.barh([p for p, _ in items], [n for _, n in items], color="#4c72b0")
        ax.set_xlabel("examples served")
        ax.set_title("Kernel-path coverage")
        plots.append(("Kernel-path coverage", _png(fig)))
        plt.close(fig)
    return plots


_COLORS = {"pass": "#d9f2d9", "fail": "#f8c9c4", "crash": "#f8c9c4", "timeout": "#f8c9c4",
           "known": "#fde9b6", "unsupported": "#eeeeee", "untested": "#eeeeee"}


def write_html(report: dict, out_dir: str) -> str:
    esc = html.escape
    summary, env, dtypes = report["summary"], report["environment"], report["dtypes"]
    verdict = "Conformant" if summary["conformant"] else "Not conformant"
    parts = ["<!doctype html><html><head><meta charset='utf-8'>",
             f"<title>convconf: {esc(report['backend'])}</title><style>",
             "body{font-family:sans-serif;margin:2em;max-width:1200px} table{border-collapse:collapse;margin:1em 0}",
             "td,th{border:1px solid #bbb;padding:3px 8px;font-size:13px} pre{background:#f4f4f4;padding:8px;"
             "overflow-x:auto;font-size:12px}</style></head><body>",
             f"<h1 id='title'>convconf certification: {esc(report['backend'])}</h1>",
             f"<p id='verdict'><b>{verdict}</b>{'' if report['complete'] else ' (partial report)'}: profile "
             f"{esc(env['profile'])}, {summary['examples']} examples, {esc(str(report['finished']))}.</p>"]
    matrix = _matrix(report)
    for direction in ("forward", "transpose", "gradients"):
        keys = sorted(k for k in matrix if k[0] == direction)
        if not keys:
            continue
        parts.append(f"<h2>{direction}</h2><table><tr><th>rank</th><th>feature</th>"
                     + "".join(f"<th>{d}</th>" for d in dtypes) + "</tr>")
        for key in keys:
            cells = "".join(
                f"<td style='background:{_COLORS[c['status']]}'>{esc(_cell_text(c))}</td>"
                for c in (matrix[key].get(d, {"status": "unsupported", "ratio": None}) for d in dtypes))
            parts.append(f"<tr><td>{key[1]}d</td><td>{key[2]}</td>{cells}</tr>")
        parts.append("</table>")
    plots = _plots(report)
    parts.append("<h2>Plots</h2>")
    if not plots:
        parts.append("<p>Plots need matplotlib (pip install matplotlib).</p>")
    for title, png in plots:
        parts.append(f"<h3>{esc(title)}</h3><img alt='{esc(title)}' src='data:image/png;base64,{png}'>")
    parts.append("<h2>Failures</h2>")
    failures = [r for r in report["cells"] if r["status"] in FAILING]
    if not failures:
        parts.append("<p>None.</p>")
    for r in failures:
        f = r.get("minimal_failure") or {}
        parts.append(f"<h3>{r['ndim']}d {r['direction']} {r['feature']} {r['dtype']}, {r['kind']}: {r['status']}"
                     f"</h3><p>reproducer: {esc(r.get('repro_file', 'none'))}</p>"
                     f"<pre>{esc(f.get('report') or r.get('reason') or '')}</pre>")
    parts.append("<h2>Environment</h2><table>" + "".join(
        f"<tr><td>{esc(str(k))}</td><td>{esc(str(v))}</td></tr>" for k, v in env.items()) + "</table></body></html>")
    path = os.path.join(out_dir, "report.html")
    atomic_write(path, "\n".join(parts))
    return path


def diff(old: dict, new: dict, noise: float = 2.0) -> dict:
    """Rows that regressed or improved between two report.json files.

    Regressed: a row that passed (or was a known issue) now fails; or its worst error/bound
    grew by more than `noise` times and now exceeds 0.1 of the bound (smaller ratios are
    rounding noise that a different draw moves by such factors).  Improved: the reverse.
    """
    def key(r):
        return (r["direction"], r["ndim"], r["feature"], r["dtype"], r["kind"])

    before = {key(r): r for r in old["cells"]}
    regressed, improved, changed = [], [], []
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
        if ok_old and ok_new and ro is not None and rn is not None:
            if rn > noise * max(ro, 1e-300) and rn > 0.1:
                regressed.append((key(r), f"{ro:.3g}", f"{rn:.3g}", "error/bound grew"))
            elif ro > noise * max(rn, 1e-300) and ro > 0.1:
                improved.append((key(r), f"{ro:.3g}", f"{rn:.3g}", "error/bound shrank"))
    return {"regressed": regressed, "improved": improved, "changed": changed}


COMPARE_MARK = {"pass": "✓", "known": "k", "fail": "✗", "crash": "✗", "timeout": "✗", "untested": "?",
                "unsupported": "·"}
DTYPE_ABBR = {"float64": "64", "float32": "32", "float16": "16", "bfloat16": "bf"}


def compare_markdown(reports: list) -> str:
    """One feature matrix across several certifications: rows (direction, rank, feature), a column per
    backend, per dtype the worst status over the data kinds (✓ pass, k known issue, ✗ fail/crash/hang,
    · not declared)."""
    matrices = [_matrix(r) for r in reports]
    dtypes = list(DTYPE_ABBR)
    keys = sorted(set().union(*matrices), key=lambda k: (("forward", "transpose", "gradients").index(k[0]), k[1],
                                                          k[2]))
    names = [f"{r['backend']} ({_version_of(r)})" for r in reports]
    lines = ["| direction | rank | feature | " + " | ".join(names) + " |", "|---|---|---|" + "---|" * len(reports)]
    for key in keys:
        entries = []
        for matrix in matrices:
            row = matrix.get(key, {})
            entries.append(" ".join(DTYPE_ABBR[d] + COMPARE_MARK[row.get(d, {"status": "unsupported"})["status"]]
                                    for d in dtypes))
        lines.append(f"| {key[0]} | {key[1]}d | {key[2]} | " + " | ".join(entries) + " |")
    totals = [", ".join(f"{n} {s}" for s, n in sorted(r["summary"]["rows"].items())) for r in reports]
    lines.append("| **rows** | | | " + " | ".join(totals) + " |")
    return "\n".join(lines) + "\n"


def _version_of(report: dict) -> str:
    env = report["environment"]
    return env.get("backend_version") or (f"torch {env['torch']}" if env.get("torch") else "?")
