"""The scale benchmark: how long Dossier takes, and how much memory, as a dossier grows.

For the default dossier and synthetic dossiers of 100, 1,000 and 10,000 entities
(benchmarks/generate.py) it measures, each in a fresh process: the generator's
stages one by one (load, validate, link, render, writing the tree), `dossier
render`, `mkdocs build` of the rendered tree alone, `dossier build` end to end
with its peak memory, the size of a typical profile page and of the search
index, and the live-preview refresh time (from saving an edited profile until
`dossier serve` serves the changed pages). It reports medians of several runs
and writes benchmarks/RESULTS.md. Not a test: a benchmark people run.

    python benchmarks/run.py                       # everything (about 25 minutes on 2 cores)
    python benchmarks/run.py --sizes default,1000 --runs 5
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent
DEFAULT_CONTENT = ROOT / "content"
RESULTS = HERE / "RESULTS.md"
#: RESULTS.md from this line on is written by hand (figures of one-off measurements, the
#: history): kept as it is when the tables above it are written again
KEPT_MARK = "<!-- Written by hand from here on: benchmarks/run.py keeps it. -->"
TARGETS = {
    "overhead": 1.10,      # dossier build ÷ mkdocs build, at 1,000 and 10,000 entities
    "parallel": 0.70,      # the same, with the pages shared among processes (issue 17 goal 1)
    "render_10k": 15.0,    # seconds
    "memory": 2048.0,      # MB, peak RSS of `dossier build`
    "preview": 3.0,        # seconds, default dossier and 1,000 entities (issue 6)
    "preview default": 0.5,  # issue 17 goal 3: seconds, the median edit, default dossier
    "preview 1000": 1.0,     # and at 1,000 entities
}


# --- running things --------------------------------------------------------------------


def timed(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Run `cmd` to completion; (wall seconds, peak RSS in MB of the child)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def stage_times(content: Path) -> dict[str, float]:
    """In this (fresh) process: each pipeline stage timed on its own, set up as the CLI does."""
    from generator.cli import MAX_JOBS
    from generator.gc_control import garbage_collector

    with garbage_collector(paused=True):
        return _stage_times(content, min(os.cpu_count() or 1, MAX_JOBS))


def _stage_times(content: Path, jobs: int) -> dict[str, float]:
    import tempfile

    from generator.build import write_tree
    from generator.config import DEFAULT_CONFIG_DIR, load_config
    from generator.diagnostics import Diagnostics
    from generator.gc_control import settle
    from generator.link import link
    from generator.load import load_content
    from generator.pipeline import Options, check
    from generator.render import render
    from generator.validate import validate

    diags = Diagnostics()
    config = load_config(DEFAULT_CONFIG_DIR, diags)
    assert config is not None
    times: dict[str, float] = {}
    t = time.perf_counter()
    loaded = load_content(content, diags)
    times["load"] = time.perf_counter() - t
    settle()
    t = time.perf_counter()
    validated = validate(loaded, config, diags)
    times["validate"] = time.perf_counter() - t
    settle()
    t = time.perf_counter()
    linked = link(validated, config.vocab, diags)
    times["link"] = time.perf_counter() - t
    settle()
    t = time.perf_counter()
    site = render(linked, config.mkdocs_base, static_pages=config.static_pages, jobs=jobs)
    times["render"] = time.perf_counter() - t
    settle()
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        t = time.perf_counter()
        write_tree(site, Path(tmp), DEFAULT_CONFIG_DIR)
        times["write"] = time.perf_counter() - t
    if diags.errors:
        raise SystemExit(f"{content}: the content has {diags.errors} errors")
    del loaded, validated, linked, site
    t = time.perf_counter()  # as `dossier render` does them: shared with a helper process
    checked = check(Options(content_dir=content, jobs=jobs))
    times["check shared"] = time.perf_counter() - t
    if checked.diags.errors:
        raise SystemExit(f"{content}: the content has {checked.diags.errors} errors")
    return times


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- one size ---------------------------------------------------------------------------


def content_for(size: str) -> Path:
    if size == "default":
        return DEFAULT_CONTENT
    target = OUT / f"dossier-{size}"
    sys.path.insert(0, str(HERE))
    from generate import generate

    generate(int(size), target)
    return target


def measure(size: str, runs: int, preview_runs: int, scaling: tuple[int, ...] = ()) -> dict[str, Any]:
    """One size's figures; `scaling`: numbers of processes `dossier build --jobs` is also
    timed with (the default is one per core, at most four)."""
    content = content_for(size)
    entities = sum(1 for p in content.rglob("*.yml") if p.parent != content)
    tree, mk_site, site = OUT / f"tree-{size}", OUT / f"site-mkdocs-{size}", OUT / f"site-{size}"
    samples: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        samples.setdefault(name, []).append(value)

    for i in range(runs):
        print(f"  [{size}] run {i + 1}/{runs}", flush=True)
        out = subprocess.run([sys.executable, __file__, "--stages", str(content)], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout
        for name, value in json.loads(out).items():
            add(name, value)
        wall, _ = timed([str(BIN / "dossier"), "render", "--content", str(content),
                         "--out", str(fresh(tree))])
        add("dossier render", wall)
        wall, rss = timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(tree / "mkdocs.yml"),
                           "-d", str(fresh(mk_site))])
        add("mkdocs build", wall)
        add("mkdocs peak", rss)
        wall, rss = timed([str(BIN / "dossier"), "build", "--content", str(content),
                           "--site-dir", str(fresh(site))])
        add("dossier build", wall)
        add("build peak", rss)
        for jobs in scaling:
            wall, rss = timed([str(BIN / "dossier"), "build", "--content", str(content),
                               "--jobs", str(jobs), "--site-dir", str(fresh(site))])
            add(f"dossier build jobs={jobs}", wall)
            add(f"build peak jobs={jobs}", rss)
    result: dict[str, Any] = {"size": size, "entities": entities, "runs": runs,
                              "medians": {k: median(v) for k, v in samples.items()}}
    result.update(page_sizes(site))
    if preview_runs:
        result["preview"] = preview(content, size, preview_runs)
    return result


def page_sizes(site: Path) -> dict[str, float]:
    """The median person page and the search index, in kB."""
    people = sorted(p.stat().st_size for p in (site / "people").glob("*.html")
                    if p.name != "index.html")
    # what a reader's browser loads to search: Material's index (settings only, since
    # Dossier's search) and Dossier's entries (benchmarks/search_latency.py times it)
    index = [site / "search" / name for name in ("search_index.json", "entries.js")]
    found = [p.stat().st_size for p in index if p.exists()]
    return {"profile_kb": (people[len(people) // 2] / 1024) if people else float("nan"),
            "search_kb": sum(found) / 1024 if found else float("nan")}


# --- live preview -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, text: str | None, timeout: float) -> float:
    """Seconds until `url` answers (and contains `text`); raises on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = fetch(url)
        if page is not None and (text is None or text in page):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout:.0f} s")


@contextlib.contextmanager
def serving(content: Path, workdir: Path, port: int,
            jobs: int | None = None) -> Iterator[subprocess.Popen[bytes]]:
    log = (workdir / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN / "dossier"), "serve", "--content", str(content), "--config",
         str(ROOT / "site_config"), "--dev-addr", f"127.0.0.1:{port}",
         *([] if jobs is None else ["--jobs", str(jobs)])],
        cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def edit_target(content: Path) -> tuple[Path, str]:
    """A person with relations to others: (its file, a page that shows it from the other side)."""
    import yaml

    for path in sorted((content / "people").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rel in data.get("relations", []):
            other = str(rel["target"])
            for folder in ("people", "agencies", "events", "domains", "countries", "installations"):
                if (content / folder / f"{other}.yml").exists():
                    return path, f"{folder}/{other}.html"
    raise SystemExit(f"{content}: no person with relations to edit")


def preview(content: Path, size: str, runs: int, jobs: int | None = None) -> dict[str, float]:
    """Seconds from saving an edited profile to the changed pages being served (median);
    `jobs`: `dossier serve --jobs` (processes sharing MkDocs' rebuilds)."""
    workdir = fresh(OUT / f"preview-{size}")
    workdir.mkdir(parents=True)
    copy = workdir / "content"
    shutil.copytree(content, copy)
    path, other_page = edit_target(copy)
    own_page = f"people/{path.stem}.html"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    own: list[float] = []
    every: list[float] = []
    with serving(copy, workdir, port, jobs):
        startup = wait_for(base + own_page, None, timeout=900)
        time.sleep(2)  # let the watchers settle after the first build
        for i in range(runs):
            token = f"Edited{i}x{int(time.time())}"
            text = path.read_text(encoding="utf-8")
            lines = text.splitlines(keepends=True)
            lines[0] = f"name: {token}\n"  # the name shows on its page and on related pages
            start = time.perf_counter()
            path.write_text("".join(lines), encoding="utf-8")
            wait_for(base + own_page, token, timeout=300)
            own.append(time.perf_counter() - start)
            wait_for(base + other_page, token, timeout=300)
            every.append(time.perf_counter() - start)
            time.sleep(1.5)
    return {"startup": startup, "own": median(own), "related": median(every)}


# --- the report -------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with contextlib.suppress(OSError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 1024 / 1024:.1f} GB"
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "Memory": mem,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "MkDocs": importlib.metadata.version("mkdocs"),
        "Material": importlib.metadata.version("mkdocs-material"),
        "PyYAML": importlib.metadata.version("pyyaml") + (
            " (C LibYAML)" if _has_libyaml() else " (pure Python)"),
    }


def _has_libyaml() -> bool:
    import yaml

    return hasattr(yaml, "CSafeLoader")


ROWS: list[tuple[str, str, str]] = [
    # (label, key in medians or result, format)
    ("load (s)", "load", "{:.2f}"),
    ("validate (s)", "validate", "{:.2f}"),
    ("link (s)", "link", "{:.2f}"),
    ("load + validate + link as the CLI runs them (s; files shared with a helper process)",
     "check shared", "{:.2f}"),
    ("render, in memory (s; profile pages in parallel where the CLI does)", "render", "{:.2f}"),
    ("write the Markdown tree (s)", "write", "{:.2f}"),
    ("`dossier render` (s)", "dossier render", "{:.1f}"),
    ("`mkdocs build` of the rendered tree (s)", "mkdocs build", "{:.1f}"),
    ("`dossier build` end to end, one process per core (s)", "dossier build", "{:.1f}"),
    ("`dossier build` ÷ `mkdocs build` (pages shared among processes since issue 17)", "ratio",
     "{:.2f}×"),
    ("`dossier build --jobs 1` (s)", "dossier build jobs=1", "{:.1f}"),
    ("`dossier build --jobs 1` ÷ `mkdocs build`", "ratio jobs=1", "{:.2f}×"),
    ("`dossier build --jobs 4` (s; 4 processes on the cores above)", "dossier build jobs=4",
     "{:.1f}"),
    ("`dossier build --jobs 4` ÷ `mkdocs build`", "ratio jobs=4", "{:.2f}×"),
    ("peak memory, `mkdocs build` (MB)", "mkdocs peak", "{:.0f}"),
    ("peak memory, `dossier build` (MB; its largest process)", "build peak", "{:.0f}"),
    ("typical profile page (kB of HTML)", "profile_kb", "{:.1f}"),
    ("search index (kB)", "search_kb", "{:.0f}"),
    ("`dossier serve`: first page served after start (s)", "preview.startup", "{:.1f}"),
    ("`dossier serve`: edited profile's page refreshed (s)", "preview.own", "{:.2f}"),
    ("`dossier serve`: a related page refreshed (s)", "preview.related", "{:.2f}"),
]


def cell(result: dict[str, Any], key: str, fmt: str) -> str:
    medians = result["medians"]
    if key.startswith("ratio"):
        build = "dossier build" + key[len("ratio"):]
        value = medians[build] / medians["mkdocs build"] if build in medians else None
    elif key.startswith("preview."):
        value = result.get("preview", {}).get(key.split(".", 1)[1])
    else:
        value = medians.get(key, result.get(key))
    return "–" if value is None or value != value else fmt.format(value)


def verdicts(results: list[dict[str, Any]]) -> list[str]:
    by = {r["size"]: r for r in results}
    lines = []

    def check(ok: bool, text: str) -> None:
        lines.append(f"- {'✅ met' if ok else '❌ not met'}: {text}")

    for size in ("1000", "10000"):
        if size in by:
            m = by[size]["medians"]
            ratio = m["dossier build"] / m["mkdocs build"]
            check(ratio <= TARGETS["overhead"],
                  f"generator overhead at {int(size):,} entities {ratio:.2f}× ≤ {TARGETS['overhead']}×")
            check(ratio <= TARGETS["parallel"],
                  f"issue 17 goal 1: `dossier build` at {int(size):,} entities takes {ratio:.2f}× "
                  f"the time of `mkdocs build` ≤ {TARGETS['parallel']}× on {os.cpu_count()} cores")
    if "10000" in by:
        m = by["10000"]["medians"]
        check(m["dossier render"] < TARGETS["render_10k"],
              f"`dossier render` at 10,000 entities {m['dossier render']:.1f} s < 15 s")
        check(m["build peak"] < TARGETS["memory"],
              f"peak memory of `dossier build` at 10,000 entities {m['build peak']:.0f} MB < 2 GB")
    for size in ("default", "1000"):
        if size in by and "preview" in by[size]:
            p = by[size]["preview"]
            check(p["related"] <= TARGETS["preview"],
                  f"live preview ({size}): every page showing the edited profile refreshed in "
                  f"{p['related']:.2f} s ≤ 3 s")
            goal = TARGETS[f"preview {size}"]
            check(max(p["own"], p["related"]) <= goal,
                  f"issue 17 goal 3: live preview ({size}): the edited profile's page in "
                  f"{p['own']:.2f} s, a page showing it through a relation in {p['related']:.2f} s "
                  f"≤ {goal} s")
    profiles = [(r["entities"], r["profile_kb"]) for r in results if r["size"] != "default"]
    if len(profiles) > 1:
        sizes = [kb for _, kb in profiles]
        flat = max(sizes) <= min(sizes) * 1.25
        check(flat, "a profile page's HTML stays flat as the dossier grows ("
              + ", ".join(f"{kb:.1f} kB at {n:,}" for n, kb in profiles) + ")")
    return lines


def write_results(results: list[dict[str, Any]], argv: list[str]) -> None:
    head = ["Measure"] + [
        f"{'default' if r['size'] == 'default' else format(int(r['size']), ',')} "
        f"({r['entities']:,} entities, {r['runs']} run{'s' if r['runs'] > 1 else ''})"
        for r in results]
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run.py` (run it with `make bench`); medians of the runs shown.",
        "Timings are wall-clock seconds of fresh processes; peak memory is the child's maximum",
        "resident set size. The live-preview rows time a saved edit of one person's `name:` until",
        "`dossier serve` serves that person's page, and a page showing the person through an",
        "inverse relation, with the change.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in machine().items()],
        f"- Measured: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "## Results",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for label, key, fmt in ROWS:
        lines.append("| " + " | ".join([label] + [cell(r, key, fmt) for r in results]) + " |")
    lines += ["", "## Targets (issues 6 and 17)", "", *verdicts(results), "",
              "## Reproduce", "", "```sh", "make bench",
              f"# this table: .venv/bin/python benchmarks/run.py {' '.join(argv)}".rstrip(),
              "# one dossier by hand:",
              ".venv/bin/python benchmarks/generate.py 10000 benchmarks/out/dossier-10000",
              ".venv/bin/dossier build --content benchmarks/out/dossier-10000 "
              "--site-dir benchmarks/out/site-10000",
              "```", ""]
    if RESULTS.exists():  # keep what is written by hand (one-off figures, the history)
        old = RESULTS.read_text(encoding="utf-8")
        if KEPT_MARK in old:
            lines += [old[old.index(KEPT_MARK):].rstrip(), ""]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="default,100,1000,10000",
                        help="comma-separated: `default` (content/) and entity counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--runs-large", type=int, default=1,
                        help="runs at 10,000 entities and more (default 1)")
    parser.add_argument("--preview", default="default,1000",
                        help="sizes whose live preview is measured (default: default,1000)")
    parser.add_argument("--preview-runs", type=int, default=3)
    parser.add_argument("--preview-jobs", type=int, default=None,
                        help="with --only-preview: `dossier serve --jobs N` (default: its own)")
    parser.add_argument("--merge", action="store_true",
                        help="re-measure only --sizes and keep the other columns of the last "
                             "run (benchmarks/out/results.json)")
    parser.add_argument("--scaling", default="1000",
                        help="sizes whose `dossier build` is also timed with --jobs 1 and 4 "
                             "(default: 1000)")
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--only-preview", action="store_true",
                        help="measure only the live preview of the --preview sizes; print the "
                             "figures as JSON, RESULTS.md left alone")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    if args.stages:
        print(json.dumps(stage_times(args.stages)))
        return 0
    previewed = set(filter(None, args.preview.split(",")))
    if args.only_preview:
        print(json.dumps({size: preview(content_for(size), size, args.preview_runs, args.preview_jobs)
                          for size in args.preview.split(",") if size}))
        return 0
    results = []
    for size in args.sizes.split(","):
        large = size != "default" and int(size) >= 10000
        print(f"measuring {size}", flush=True)
        results.append(measure(size, args.runs_large if large else args.runs,
                               args.preview_runs if size in previewed else 0,
                               (1, 4) if size in args.scaling.split(",") else ()))
    if args.merge and (OUT / "results.json").exists():
        fresh_sizes = {r["size"]: r for r in results}
        previous = json.loads((OUT / "results.json").read_text(encoding="utf-8"))
        results = [fresh_sizes.pop(r["size"], r) for r in previous] + list(fresh_sizes.values())
    write_results(results, argv)
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
