#!/usr/bin/env python3
"""How fast does ``lib.loader`` parse, next to the floor of just reading the text?

For synthetic corpora of 15, 1,000, 10,000 and 100,000 projects (``lib.testing.synth``,
15 projects a document, seeded), this measures in one run:

* floor: read every file's bytes, decode UTF-8, split into lines;
* parse: ``lib.loader.load_documents(paths)`` -> ``.projects``, ``.indicators``;

each the best of ``--repeats`` runs, each size and each side in its own
subprocess so the peak resident memory (``ru_maxrss``) belongs to that
measurement alone. It prints a Markdown table (MB, seconds, MB/s,
projects/s, ratio to the floor, peak memory, parsed counts against the
generator's truth) and the scaling exponent b of time ~ size^b.

Corpora are cached under ``bench/out/`` (gitignored) and regenerated when
``lib/testing/synth.py`` changes; ``--tmp`` uses a throwaway directory instead.

    .venv/bin/python bench/parse.py            # all sizes
    .venv/bin/python bench/parse.py --quick    # 15 and 1,000
    .venv/bin/python bench/parse.py --sizes 1000,10000 --repeats 5
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script (python bench/parse.py), the repo root is not on sys.path;
# tests/fixtures/regenerate.py does the same.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = (15, 1_000, 10_000, 100_000)
QUICK_SIZES = (15, 1_000)
OUT = ROOT / "bench" / "out"
SYNTH = ROOT / "lib" / "testing" / "synth.py"


# --------------------------------------------------------------------------
# Worker: one measurement in a fresh process
# --------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def _worker(kind: str, directory: Path, repeats: int) -> dict:
    paths = sorted(directory.glob("*.txt"))
    if kind == "floor":

        def run() -> dict:
            lines = 0
            for path in paths:
                lines += len(path.read_bytes().decode("utf-8").splitlines())
            return {"lines": lines}

    else:
        from lib.loader import load_documents

        def run() -> dict:
            corpus = load_documents(paths)
            return {"projects": corpus.projects.height, "indicators": corpus.indicators.height}

    baseline = _peak_rss_mb()  # after imports, before any work
    times, counts = [], {}
    for _ in range(repeats):
        start = time.perf_counter()
        counts = run()
        times.append(time.perf_counter() - start)
    return {
        "best": min(times),
        "times": times,
        "rss_baseline_mb": baseline,
        "rss_peak_mb": _peak_rss_mb(),
        **counts,
    }


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------


@dataclass
class Corpus:
    n_projects: int
    directory: Path
    files: int
    bytes: int
    indicators: int
    generated_s: float | None  # None when reused from the cache


def _synth_digest(seed: int, n: int) -> str:
    return hashlib.sha256(SYNTH.read_bytes() + f":{seed}:{n}".encode()).hexdigest()


def _ensure_corpus(n: int, *, seed: int, root: Path) -> Corpus:
    from lib.testing.synth import iter_corpus_with_truth

    directory = root / f"corpus-{n}-seed{seed}"
    manifest = directory / "manifest.json"
    digest = _synth_digest(seed, n)
    if manifest.is_file():
        meta = json.loads(manifest.read_text())
        if meta.get("digest") == digest:
            return Corpus(n, directory, meta["files"], meta["bytes"], meta["indicators"], None)
    if directory.exists():
        shutil.rmtree(directory)  # our own cache directory, stale
    directory.mkdir(parents=True)
    start = time.perf_counter()
    files = size = indicators = 0
    for name, text, truth in iter_corpus_with_truth(n, seed=seed):
        data = text.encode("utf-8")
        (directory / name).write_bytes(data)
        files += 1
        size += len(data)
        indicators += truth.indicator_count
    elapsed = time.perf_counter() - start
    meta = {
        "digest": digest,
        "n_projects": n,
        "seed": seed,
        "files": files,
        "bytes": size,
        "indicators": indicators,
    }
    manifest.write_text(json.dumps(meta, indent=2))
    return Corpus(n, directory, files, size, indicators, elapsed)


def _measure(kind: str, corpus: Corpus, repeats: int) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        str(corpus.directory),
        "--repeats",
        str(repeats),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": last}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) against log(size)."""
    pts = [(math.log(n), math.log(t)) for n, t in points if t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def _fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _report(rows: list[dict]) -> str:
    head = (
        "| projects | files | MB | floor s | floor MB/s | parse s | parse MB/s | projects/s "
        "| × floor | peak RSS MB (floor / parse) | parsed projects | parsed indicators |"
    )
    out = [head, "|" + "---:|" * 12]
    for r in rows:
        c, floor, parse = r["corpus"], r["floor"], r["parse"]
        mb = c.bytes / 1e6
        f_s = floor.get("best")
        p_s = parse.get("best")
        if "error" in parse:
            parse_cells = ["error", "–", "–", "–"]
            parsed = [parse["error"][:60], "–"]
        else:
            parse_cells = [
                _fmt(p_s, 3),
                _fmt(mb / p_s, 1),
                f"{c.n_projects / p_s:,.0f}",
                f"{p_s / f_s:,.1f}×",
            ]
            parsed = [
                f"{parse['projects']:,} / {c.n_projects:,}",
                f"{parse['indicators']:,} / {c.indicators:,}",
            ]
        rss = f"{_fmt(floor.get('rss_peak_mb'), 0)} / {_fmt(parse.get('rss_peak_mb'), 0)}"
        out.append(
            "| "
            + " | ".join(
                [
                    f"{c.n_projects:,}",
                    f"{c.files:,}",
                    _fmt(mb, 2),
                    _fmt(f_s, 3),
                    _fmt(mb / f_s, 1),
                    *parse_cells,
                    rss,
                    *parsed,
                ]
            )
            + " |"
        )
    for label, key in (("floor", "floor"), ("parse", "parse")):
        points = [(r["corpus"].n_projects, r[key]["best"]) for r in rows if "best" in r[key]]
        all_b = _slope(points)
        big_b = _slope([p for p in points if p[0] >= 1_000])
        line = f"- {label}: time ∝ size^{_fmt(all_b)} over all sizes"
        if big_b is not None and len([p for p in points if p[0] >= 1_000]) < len(points):
            line += f", ^{_fmt(big_b)} over sizes ≥ 1,000"
        out.append(("\nScaling (log-log least squares, 1.00 = linear):\n" if label == "floor" else "") + line)
    return "\n".join(out)


def _environment() -> str:
    try:
        import polars as pl

        polars = pl.__version__
    except ImportError:
        polars = "not installed"
    return (
        f"Python {platform.python_version()}, polars {polars}, {platform.machine()}, "
        f"{platform.system()} {platform.release()}, {time.strftime('%Y-%m-%d %H:%M')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated project counts (default: 15,1000,10000,100000)")
    parser.add_argument("--quick", action="store_true", help="only 15 and 1,000 projects")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tmp", action="store_true", help="write corpora to a temporary directory, not bench/out/")
    parser.add_argument("--json", type=Path, help="also write the raw results to this file")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, directory = args.worker
        print(json.dumps(_worker(kind, Path(directory), args.repeats)))
        return 0

    if args.sizes:
        sizes = tuple(int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(","))
    else:
        sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
    tmp = tempfile.TemporaryDirectory(prefix="bench-parse-") if args.tmp else None
    root = Path(tmp.name) if tmp else OUT
    rows = []
    try:
        for n in sizes:
            print(f"[{n:,} projects] corpus ...", file=sys.stderr, flush=True)
            corpus = _ensure_corpus(n, seed=args.seed, root=root)
            if corpus.generated_s is not None:
                print(
                    f"  generated {corpus.bytes / 1e6:,.1f} MB in {corpus.generated_s:.1f} s",
                    file=sys.stderr,
                )
            print("  floor ...", file=sys.stderr, flush=True)
            floor = _measure("floor", corpus, args.repeats)
            print("  parse ...", file=sys.stderr, flush=True)
            parse = _measure("parse", corpus, args.repeats)
            rows.append({"corpus": corpus, "floor": floor, "parse": parse})
    finally:
        if tmp:
            tmp.cleanup()

    print(f"Parse benchmark: best of {args.repeats}, seed {args.seed}; {_environment()}\n")
    print(_report(rows))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "n_projects": r["corpus"].n_projects,
                        "files": r["corpus"].files,
                        "bytes": r["corpus"].bytes,
                        "floor": r["floor"],
                        "parse": r["parse"],
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
    return 1 if any("error" in r["parse"] or "error" in r["floor"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
