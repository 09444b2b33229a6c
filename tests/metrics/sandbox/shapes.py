"""Compare a sandbox reply with a fixture by shape: same keys, JSON types and nesting, not values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def fixture(platform: str, name: str) -> Any:
    return json.loads((FIXTURES / platform / f"{name}.json").read_text())


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float):
        return "number"
    return type(v).__name__


def assert_shape(actual: Any, expected: Any, *, optional: frozenset[str] = frozenset(), path: str = "$") -> None:
    """Every key of `expected` is in `actual` (unless named in `optional`) with the same JSON type,
    recursively; lists are compared element by element against the fixture's first element."""
    assert _kind(actual) == _kind(expected), f"{path}: {_kind(actual)} != {_kind(expected)} ({actual!r:.80})"
    if isinstance(expected, dict):
        for key, sub in expected.items():
            if key not in actual:
                assert key in optional, f"{path}: missing key {key!r} (has {sorted(actual)})"
                continue
            assert_shape(actual[key], sub, optional=optional, path=f"{path}.{key}")
    elif isinstance(expected, list) and len({_kind(e) for e in expected}) > 1:
        # A mixed list is a tuple (an Analytics row): compare position by position.
        assert len(actual) == len(expected), f"{path}: {len(actual)} columns, expected {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_shape(a, e, optional=optional, path=f"{path}[{i}]")
    elif isinstance(expected, list) and expected:
        # Insights lists mix value types per metric: compare like with like by "name" when possible.
        by_name = {e.get("name"): e for e in expected if isinstance(e, dict) and "name" in e}
        for i, item in enumerate(actual):
            model = by_name.get(item.get("name"), expected[0]) if isinstance(item, dict) else expected[0]
            assert_shape(item, model, optional=optional, path=f"{path}[{i}]")
