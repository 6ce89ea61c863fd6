"""The bench's own tools: a ratio target turned into the server CPU per request that meets it, and the
in-process server its "server time" rows are measured through."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from tests.bench import InProcess
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


@pytest.fixture
def _connection_kept():
    """As Django's test client does: a request's end would otherwise close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("reference_rows", "_connection_kept")
def test_the_in_process_server_answers_as_the_site_does():
    server = InProcess(host="testserver")
    assert (server.get("/baseline").status, server.get("/baseline").body) == (200, b"ok")
    query = "/?age=35&education=bachelor_degree&si_from=2021-11&si_to=&si_base=15000"
    fragment = server.get(query, {"HX-Request": "true"})
    assert fragment.status == 200
    assert fragment.body == Client().get(query, headers={"HX-Request": "true"}).content
    assert b'id="total"' in fragment.body and b"<html" not in fragment.body  # the header reached the view
    assert b"<html" in server.get(query).body
    assert server.get("/no-such-page").status == 404
