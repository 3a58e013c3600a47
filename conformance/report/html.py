"""report.html: one self-contained page to investigate a certification from.

Top to bottom: the verdict with counts and the machine; the failures, grouped by root cause,
each row with its report and a link to its reproducer; the known issues hit, each explained;
how to read the matrices; the matrices, with a status filter, every entry linking to its
failure or known issue; plots (error/bound, failures included past the bound; kernel paths);
coverage; the full environment.  Plots need matplotlib and the page says so without it.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
from collections import defaultdict

from conformance.report.writer import (FAILING, HOW_TO_READ, MATRIX_DIRECTIONS, STATUS_MARK, _matrix, _undeclared,
                                       atomic_write,
                                       counts_text, declared_unused, failure_groups, headline, known_issues_hit,
                                       machine, row_name,
                                       rows_text)
from conformance.model.record import record_id

_COLORS = {"pass": "#d9f2d9", "fail": "#f8c9c4", "crash": "#f8c9c4", "timeout": "#f8c9c4",
           "known": "#fde9b6", "unsupported": "#eeeeee", "untested": "#eeeeee"}
STYLE = """body{font-family:sans-serif;margin:2em;max-width:1250px}
table{border-collapse:collapse;margin:1em 0} td,th{border:1px solid #bbb;padding:3px 8px;font-size:13px}
pre{background:#f4f4f4;padding:8px;overflow-x:auto;font-size:12px} .verdict{font-size:20px;padding:8px;
border-radius:4px} .bad{background:#f8c9c4} .good{background:#d9f2d9} .known{background:#fbe7b5}
.hidden{display:none} img{max-width:100%;height:auto}
#filter button{margin-right:6px} a{color:#1a4f9c}"""
# the status filter: rows of the matrices carry their statuses; a button shows only those.  Following a
# link to a failure (a matrix entry, or a shared URL ending in #row-id) opens its details.
SCRIPT = """function show(status){document.querySelectorAll('tr.cellrow').forEach(function(tr){
tr.classList.toggle('hidden', status === 'all' ? tr.dataset.undeclared === '1'
  : tr.dataset.statuses.split(' ').indexOf(status) < 0);});
document.getElementById('shown').textContent = status;}
function openTarget(){var el = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
if (el && el.tagName === 'DETAILS') { el.open = true; }}
window.addEventListener('hashchange', openTarget); window.addEventListener('DOMContentLoaded', openTarget);"""


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plots(report: dict) -> list:
    """(title, base64 PNG) pairs; empty when matplotlib is missing (the page says so)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    import numpy as np

    out = []
    groups, failing = defaultdict(list), defaultdict(list)
    for r in report["cells"]:
        name = f"{r['direction'][:4]} {r['ndim']}d {r['dtype']}"
        groups[name].extend(r.get("ratios_sample") or [])
        failing[name].extend(r.get("failing_ratios") or [])
    names = sorted(n for n in groups if groups[n] or failing[n])
    if names:
        fig, ax = plt.subplots(figsize=(max(8, 0.4 * len(names)), 5))
        # exact results (0) drawn at 1e-6; a misplaced NaN/inf (ratio inf) at 1e12, far past the bound
        data = [np.log10(np.clip(groups[n] or [1e-6], 1e-6, 1e12)) for n in names]
        ax.boxplot(data, showfliers=True)
        for i, n in enumerate(names, 1):
            if failing[n]:
                ax.scatter([i] * len(failing[n]), np.log10(np.clip(failing[n], 1e-6, 1e12)), color="red",
                           marker="x", zorder=3)
        top = max([0.5] + [float(np.log10(np.clip(max(failing[n]), 1e-6, 1e12))) + 0.5 for n in names if failing[n]])
        ax.set_ylim(-6.3, top)
        ax.set_xticks(range(1, len(names) + 1), names, rotation=90, fontsize=7)
        ax.axhline(0.0, color="red", linewidth=1)
        ax.set_ylabel("log10(error / bound)")
        ax.set_title("Error as a fraction of the bound (red line: the bound; red x: failures; -6: exact)")
        fig.tight_layout()
        out.append(("Error / bound distribution", _png(fig)))
        plt.close(fig)
    coverage = report["summary"]["kernel_path_coverage"]
    if coverage:
        fig, ax = plt.subplots(figsize=(7, 0.4 * len(coverage) + 1.2))
        items = sorted(coverage.items(), key=lambda x: x[1])
        ax.barh([p for p, _ in items], [n for _, n in items], color="#4c72b0")
        ax.set_xlabel("examples served")
        ax.set_title("Kernel-path coverage")
        fig.tight_layout()
        out.append(("Kernel-path coverage", _png(fig)))
        plt.close(fig)
    return out


def _markup(text: str) -> str:
    """The shared markdown prose as HTML: `code` and *emphasis*, everything else escaped."""
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", text)


def _link_target(row: dict) -> str:
    if row["status"] in FAILING:
        return f"#{record_id(row)}"
    if row.get("known_issues"):
        return f"#issue-{row['known_issues'][0]}"
    return ""


def write_html(report: dict, out_dir: str) -> str:
    esc = html.escape
    summary, env, dtypes = report["summary"], report["environment"], report["dtypes"]
    good = summary["conformant"] and report["complete"]
    incomplete = bool((report.get("coverage") or {}).get("pairs_missed"))
    verdict_class = ("known" if summary["rows"].get("known") or incomplete else "good") if good else "bad"
    parts = ["<!doctype html><html><head><meta charset='utf-8'>",
             f"<title>convconf: {esc(report['backend'])}</title><style>{STYLE}</style>",
             f"<script>{SCRIPT}</script></head><body>",
             f"<h1 id='title'>convconf certification: {esc(report['backend'])}</h1>",
             f"<p id='verdict' class='verdict {verdict_class}'><b>{esc(headline(report))}</b></p>",
             f"<p id='machine'>Machine: {esc(machine(env))}. Finished {esc(str(report['finished']))}. "
             "<a href='#environment'>Full environment</a>.</p>"]

    groups = failure_groups(report)
    parts.append(f"<h2 id='failures'>Failures and crashes ({sum(len(r) for _, r in groups)} rows, "
                 f"{len(groups)} root cause{'' if len(groups) == 1 else 's'})</h2>")
    if not groups:
        parts.append("<p>None.</p>")
    for i, ((status, what, path, violation), rows) in enumerate(groups, 1):
        parts.append(f"<h3>{i}. {esc(STATUS_MARK[status])}: {esc(what)} (kernel path {esc(path)}, {esc(violation)}): "
                     f"{rows_text(len(rows))}</h3>")
        for r in rows:
            failure = (r.get("minimal_failure") or {}).get("report") or r.get("reason") or ""
            repro = r.get("repro_file")
            link = f"<a class='repro' href='{esc(repro)}'>{esc(repro)}</a>" if repro else "no reproducer (no case)"
            alone = r.get("standalone_file")
            if alone:
                link += f" (<a class='standalone' href='{esc(alone)}'>framework only</a>)"
            parts.append(f"<details id='{esc(record_id(r))}'><summary>{esc(row_name(r))}: "
                         f"{esc(STATUS_MARK[r['status']])}; reproducer {link}</summary><pre>{esc(failure)}</pre>"
                         "</details>")

    parts.append("<h2 id='known'>Known issues hit</h2>")
    known = known_issues_hit(report)
    if not known:
        parts.append("<p>None.</p>")
    for issue, rows in known:
        parts.append(f"<div id='issue-{esc(issue.key)}'><h3>{esc(issue.key)} ({rows_text(len(rows))})</h3>"
                     f"<p>{esc(issue.summary)}.</p><p>Hypothesis under which the rows conform: "
                     f"{esc(issue.hypothesis)}. Reproducer:</p><pre>{esc(issue.reproducer)}</pre></div>")

    if report.get("datasheet"):
        from conformance.judge.datasheet import PROBES

        parts.append("<h2 id='datasheet'>Numerical datasheet</h2><p>What the backend's arithmetic is, read off "
                     "crafted convolutions (conformance/judge/datasheet.py), per dtype and reduction.</p><table><tr>"
                     "<th>dtype</th><th>reduction</th>" + "".join(f"<th>{esc(p)}</th>" for p in PROBES) + "</tr>"
                     + "".join(f"<tr><td>{esc(d)}</td><td>{esc(axis)}</td>"
                               + "".join(f"<td>{esc(str(entry.get(p, '-')))}</td>" for p in PROBES) + "</tr>"
                               for d, axes in report["datasheet"].items() for axis, entry in axes.items())
                     + "</table>")
    unused = declared_unused(report)
    if unused:
        parts.append("<p id='unused'>Declared known issues that claimed no row (stale declarations?): "
                     + ", ".join(f"<code>{esc(d['key'])}</code> ({esc(d['declared_in'])})" for d in unused) + "</p>")
    parts.append("<h2 id='matrices'>Feature matrices</h2>" + "".join(f"<p>{_markup(p)}</p>" for p in HOW_TO_READ))
    parts.append("<p id='filter'>Show: " + "".join(
        f"<button onclick=\"show('{s}')\">{label}</button>" for s, label in
        (("all", "all"), ("fail", "failing"), ("crash", "crashed"), ("timeout", "hung"), ("known", "known issue"),
         ("pass", "pass"), ("unsupported", "n/a"))) + " (showing <span id='shown'>all</span>; the lines the "
                 "backend declares nothing of are hidden under all: n/a shows them)</p>")
    by_cell = defaultdict(list)
    for r in report["cells"]:
        by_cell[(r["direction"], r["ndim"], r["feature"], r["dtype"])].append(r)
    matrix = _matrix(report)
    for direction in MATRIX_DIRECTIONS:
        keys = sorted(k for k in matrix if k[0] == direction)
        if not keys:
            continue
        parts.append(f"<h3>{direction}</h3><table><tr><th>rank</th><th>feature</th>"
                     + "".join(f"<th>{d}</th>" for d in dtypes) + "</tr>")
        for key in keys:
            statuses = {r["status"] for d in dtypes for r in by_cell[(*key, d)]}
            cells = []
            for d in dtypes:
                entry = matrix[key].get(d, {"status": "unsupported", "ratio": None})
                text = esc(STATUS_MARK[entry["status"]])
                if entry["ratio"] is not None and entry["status"] in ("pass", "known", "fail"):
                    text += f" ({entry['ratio']:.2g})"
                # the entry links to its worst row's failure or known issue
                rows = sorted(by_cell[(*key, d)], key=lambda r: (r["status"] not in FAILING, not r.get("known_issues")))
                target = _link_target(rows[0]) if rows else ""
                cells.append(f"<td style='background:{_COLORS[entry['status']]}'>"
                             + (f"<a href='{target}'>{text}</a>" if target else text) + "</td>")
            undeclared = _undeclared(matrix[key])
            parts.append(f"<tr class='cellrow{' hidden' if undeclared else ''}' data-undeclared='{int(undeclared)}' "
                         f"data-statuses='{' '.join(sorted(statuses))}'><td>{key[1]}d</td>"
                         f"<td>{key[2]}</td>{''.join(cells)}</tr>")
        parts.append("</table>")
        hidden = sum(_undeclared(matrix[k]) for k in keys)
        if hidden:
            parts.append(f"<p class='undeclared'>{hidden} of {len(keys)} lines not declared (n/a in every dtype), "
                         "hidden: the n/a button shows them.</p>")

    found = plots(report)
    parts.append("<h2 id='plots'>Plots</h2>")
    if not found:
        parts.append("<p id='no-plots'>Plots need matplotlib (pip install matplotlib).</p>")
    for title, png in found:
        parts.append(f"<h3>{esc(title)}</h3><img alt='{esc(title)}' src='data:image/png;base64,{png}'>")

    parts.append("<h2 id='coverage'>Coverage</h2><table><tr><th>family</th><th>examples</th><th>examples/s</th></tr>"
                 + "".join(f"<tr><td>{esc(n)}</td><td>{v['examples']}</td><td>{v['per_second'] or '-'}</td></tr>"
                           for n, v in summary["families"].items()) + "</table>")
    cov = report.get("coverage") or {}
    if cov:
        missed = ", ".join(cov["pairs_missed"][:60]) or "none"
        parts.append(f"<p>Feature pairs reached: {cov['pairs_reached']} of {cov['pairs_required']} that the "
                     f"declarations admit; missed: {esc(missed)}.</p>")
    parts.append("<table><tr><th>kernel path</th><th>examples</th></tr>" + "".join(
        f"<tr><td>{esc(p)}</td><td>{n}</td></tr>" for p, n in
        sorted(summary["kernel_path_coverage"].items(), key=lambda x: -x[1])) + "</table>")
    parts.append("<h2 id='environment'>Environment</h2><table>" + "".join(
        f"<tr><td>{esc(str(k))}</td><td>{esc(str(v))}</td></tr>" for k, v in env.items()) + "</table>")
    parts.append(f"<p>Rows: {esc(counts_text(summary['rows']))}.</p></body></html>")
    path = os.path.join(out_dir, "report.html")
    atomic_write(path, "\n".join(parts))
    return path
