"""The bench's own arithmetic: a ratio target turned into the server CPU per request that meets it."""

import pytest

from tests.bench_http import Run, cpu_budget_ms, figures_for


def run(rps: float, server_ms: float | None, client_ms: float | None) -> Run:
    return Run(int(rps * 5), 5.0, 10.0, 20.0, 0, 0, server_cpu_ms=server_ms, client_cpu_ms=client_ms)


def test_a_ratio_target_is_a_budget_of_cpu_per_request():
    baseline = run(3000, 0.55, 0.11)  # both CPUs busy: 0.66 ms a request
    fragment = run(900, 2.0, 0.17)
    # At half the baseline's throughput a request may cost 1.32 ms of CPU, wrk's 0.17 included.
    assert cpu_budget_ms(fragment, baseline, 0.5) == pytest.approx(0.66 / 0.5 - 0.17)
    assert cpu_budget_ms(fragment, run(3000, None, 0.11), 0.5) is None


def test_each_ratio_row_prints_its_cpu_beside_the_budget():
    rows = {f.name: f.value for f in figures_for("fragment", run(900, 2.0, 0.17), run(3000, 0.55, 0.11), 16, 0.5)}
    assert rows["fragment: server CPU per request c16"] == 2.0
    assert rows["fragment: server CPU per request that meets 0.5x"] == pytest.approx(0.66 / 0.5 - 0.17)
    without = {f.name for f in figures_for("/baseline", run(3000, None, None), None, 16, None)}
    assert not any("CPU" in name for name in without)
