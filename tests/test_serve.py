"""scripts/serve.py: what a server process has done before its first session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_preload_freezes_the_libraries_out_of_the_collector():
    # Streamlit collects after every script run (runner.postScriptGC); with the
    # libraries' objects unfrozen each collection walked ~300,000 of them.
    counts = _run(
        "import gc, runpy, sys\n"
        f"serve = runpy.run_path({str(ROOT / 'scripts' / 'serve.py')!r}, run_name='serve')\n"
        "before = gc.get_freeze_count()\n"
        "serve['preload']()\n"
        "print(before, gc.get_freeze_count(), len(gc.get_objects()), 'lib.charts' in sys.modules, 'lib.review' in sys.modules)\n"
    )
    before, frozen, unfrozen, charts, review = counts
    assert before == "0"
    assert int(frozen) > 100_000
    assert int(unfrozen) < int(frozen) // 100
    assert (charts, review) == ("True", "True")
