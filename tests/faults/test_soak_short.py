"""A short run of ``bench/soak.py`` (the full one: ``python bench/soak.py
--cycles 10000 --seed 1``): random edits, faults and registrations checked
against an oracle independent of LiveImport's internals (C2, C3, C4, A1)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parents[2] / "bench" / "soak.py"


@pytest.fixture(scope="module")
def soak():
    spec = importlib.util.spec_from_file_location("liveimport_soak", SOAK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


@pytest.mark.parametrize("seed", [11, 12])
def test_c2_c3_a1_soak_short(soak, seed):
    result = soak.run(300, seed)
    assert result.cycles == 300
    assert result.violations == []
    # The run exercised what it claims to: failures, retries, every fault kind.
    assert result.syncs_failed > 0 and result.syncs_ok > 200
    assert result.faults_injected > 10
    assert result.reloads > 300
