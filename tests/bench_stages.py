"""Where one uncached edit's server time goes: the result fragment and the advice fragment, stage by stage,
each over the same few hundred random valid profiles (new inputs every time, as the wrk rows send).

Every stage is the code its view runs, called in the view's order inside one data-stamp snapshot (as a
request is); the remainder of a request (middleware, the WSGI request and response) is the /baseline view's
and is not in these rows. Medians in milliseconds; no targets: these rows say what to work on."""

import random
import statistics
import time
from collections.abc import Callable

from tests.bench import Figure

PROFILES = 300
EDUCATIONS = ("none", "junior_college", "bachelor", "bachelor_degree", "master", "doctor")


def random_queries(count: int, certificates: list[int], seed: int = 12) -> list[str]:
    """Valid random profiles like tests/bench_http.py's wrk script: age, education, a certificate or none,
    one to three SI periods with their bases, sometimes spouse years, and a counter."""
    rng = random.Random(seed)
    queries = []
    for counter in range(count):
        parts = [f"age={rng.randint(20, 58)}", f"education={rng.choice(EDUCATIONS)}"]
        if certificates and rng.random() < 0.6:
            parts += [f"certificate={rng.choice(certificates)}", "cert_job_match=on"]
            if rng.random() < 0.8:
                parts.append("cert_in_shanghai=on")
        year, month = rng.randint(2012, 2024), rng.randint(1, 12)
        periods = rng.randint(1, 3)
        for i in range(1, periods + 1):
            base = "max" if rng.random() < 0.1 else str(rng.randint(7, 40) * 1000)
            end_year = year + rng.randint(0, 2)
            to = "" if i == periods else f"{end_year:04d}-{month:02d}"
            parts.append(f"si_from={year:04d}-{month:02d}&si_to={to}&si_base={base}")
            year = end_year + 1
            if year > 2025:
                break
        if rng.random() < 0.3:
            parts.append(f"spouse_years={rng.randint(1, 12)}")
        parts.append(f"invest_tax={counter}")
        queries.append("&".join(parts))
    return queries


def _staged(queries: list[str], stages: list[tuple[str, Callable]]) -> list[Figure]:
    """Each stage's median over `queries`: a stage is called with the previous one's output."""
    from calculator import cache

    samples: dict[str, list[float]] = {name: [] for name, _ in stages}
    for query in queries:
        with cache.snapshot():
            value: object = query
            for name, stage in stages:
                start = time.perf_counter()
                value = stage(value)
                samples[name].append((time.perf_counter() - start) * 1000)
    return [Figure(name, statistics.median(times), "ms (median)") for name, times in samples.items()]


def bench_stages() -> list[Figure]:
    from django.conf import settings
    from django.http import QueryDict
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django_htmx.middleware import HtmxDetails

    from calculator import preparation
    from calculator.simulation import simulate
    from calculator.views import advice, simulator
    from tests.bench_http import sample_certificates

    settings.JIFEN_FRAGMENT_CACHE = False
    factory = RequestFactory(HTTP_HOST="localhost")
    queries = random_queries(PROFILES, sample_certificates())

    def request(query: str):  # what the middleware hands the view
        made = factory.get(f"/?{query}", HTTP_HX_REQUEST="true")
        made.htmx = HtmxDetails(made)
        return made

    def parse(made):  # the query string read into a QueryDict (the first touch of request.GET)
        return made, simulator._page_data(made)

    def simulated(pair):
        made, data = pair
        return made, simulate(data)

    def checklist(pair):
        made, sim = pair
        preparation.checklist_of(sim)
        return pair

    def context(pair):
        made, sim = pair
        values = simulator.result_context(made, sim)
        values["live_errors"] = simulator._live_errors(sim.form)
        return made, values

    def rendered(pair):
        made, values = pair
        return render_to_string("calculator/_result.jinja", values, made, using="jinja2")

    for query in queries[:20]:  # warm every cache a worker would have warm
        rendered(context(simulated(parse(request(query)))))
    result = _staged(
        queries,
        [
            ("result stage: request built (not the view's)", request),
            ("result stage: query parsed", parse),
            ("result stage: simulate (form + score, explained)", simulated),
            ("result stage: checklist alone (inside page context)", checklist),
            ("result stage: result context (checklist, panel, inputs …)", context),
            ("result stage: render _result.jinja", rendered),
        ],
    )

    def advice_simulated(query: str):
        return simulate(QueryDict(query), scored=False)

    def advice_context(sim):
        return {"policy": sim.policy, **advice.advice_context(sim)}

    def advice_rendered(values):
        return render_to_string("calculator/_advice.jinja", values, using="jinja2")

    advice_stages = [
        ("advice stage: simulate (not scored)", advice_simulated),
        ("advice stage: projection + actions", advice_context),
        ("advice stage: render _advice.jinja", advice_rendered),
    ]
    for query in queries[:20]:
        advice_rendered(advice_context(advice_simulated(query)))
    return result + _staged(queries, advice_stages)
