"""How much the property and fuzz tests generate: bounded in `make test` (CI), deeper on demand.

`make fuzz-deep` sets SAGSFLOW_FUZZ_SCALE=10: the same tests, ten times the examples. CI's amount is each test's
own figure; a failure found by a deep run is kept as an ordinary test.
"""

from __future__ import annotations

import os


def examples(in_ci: int) -> int:
    scale = os.environ.get("SAGSFLOW_FUZZ_SCALE", "1")
    if not scale.isdigit() or int(scale) < 1:
        raise ValueError(f"SAGSFLOW_FUZZ_SCALE skal være et helt tal fra 1, ikke {scale!r}")
    return in_ci * int(scale)
