"""The web console over the province's volume, on PostgreSQL.

A fresh PostgreSQL database (named ``console_bench_*``, dropped after) gets
the schema, the reference data and the demo accounts, then the province
(benchmarks/province_data.py): 200,000 businesses, 5,600 cooperatives,
20,000 aid applicants and 400,000 visits, each row with its change-log
entry. A real server process serves it on loopback; a client signed in as
the provincial admin (all Lampung) or a regency supervisor asks for pages
the way a browser does (cookies, the session's CSRF token on POSTs) and the
whole round trip is timed: request, session check, queries, rendering.
"""

from __future__ import annotations

import os
import re
from argparse import Namespace
from dataclasses import replace

import httpx

from desktop_app.models.dashboard import figures as dashboard_figures
from server.db import Database
from server.setup import DEMO_PASSWORD, init
from tests.support.server_process import server_process

from .common import Figure, Section, create_database, drop_database, say, time_ms
from .province_data import Size, generate

NAME = "console"
RUNS = 30
PAGE_TARGET_MS = 300.0
DASHBOARD_TARGET_MS = 2000.0


def _signed_in(base: str, username: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    client.get("/console/sign-in")
    answer = client.post("/console/sign-in", data={"csrf": client.cookies["tapis_console_pre"],
                                                   "username": username, "password": DEMO_PASSWORD})
    assert answer.status_code == 303, answer.text[:300]
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/dashboard").text)
    assert token
    return client, token.group(1)


def _ok(answer: httpx.Response, expect: str | None = None) -> None:
    assert answer.status_code == 200, (answer.status_code, answer.text[:300])
    if expect is not None:
        assert expect in answer.text, expect


def run(options: Namespace) -> Section:
    size = Size()
    if options.records:
        factor = options.records / size.businesses
        size = replace(size, businesses=options.records,
                       cooperatives=max(60, int(size.cooperatives * factor)),
                       applicants=max(100, int(size.applicants * factor)),
                       surveys=max(100, int(size.surveys * factor)),
                       audits=max(100, int(size.audits * factor)),
                       verifications=max(100, int(size.verifications * factor)))
    load_before = os.getloadavg()[0]
    name = create_database("console_bench")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    figures: list[Figure] = []
    try:
        say(f"init {name}")
        init(url, demo=True)
        say(f"generating {size.businesses:,} businesses, {size.surveys + size.audits + size.verifications:,} visits")
        data = generate(url, size)
        say(f"generated {data.counts}")
        with server_process(url) as base:
            admin, admin_csrf = _signed_in(base, "admin.provinsi")
            supervisor, _ = _signed_in(base, "supervisor.bandarlampung")
            business_id, nik, business_name, _r = next(
                b for b in data.sample_businesses if b[3] == "18.71")
            second = admin.get("/console/records/businesses").text
            after = re.search(r'rel="next" href="([^"]+)"', second)
            assert after, "no second page"
            deep = after.group(1).replace("&amp;", "&")
            word = business_name.split()[1]

            cases = [
                ("businesses, all Lampung, first page by name (admin)",
                 lambda: _ok(admin.get("/console/records/businesses")), PAGE_TARGET_MS),
                ("businesses, all Lampung, next page (keyset)",
                 lambda: _ok(admin.get(deep)), PAGE_TARGET_MS),
                ("businesses, one regency, first page (supervisor)",
                 lambda: _ok(supervisor.get("/console/records/businesses")), PAGE_TARGET_MS),
                ("businesses, one district",
                 lambda: _ok(supervisor.get("/console/records/businesses",
                                            params={"district": "18.71.01"})), PAGE_TARGET_MS),
                ("businesses, name search across Lampung",
                 lambda: _ok(admin.get("/console/records/businesses", params={"q": word})),
                 PAGE_TARGET_MS),
                ("businesses, whole-NIK search (POST)",
                 lambda: _ok(admin.post("/console/records/businesses",
                                        data={"csrf": admin_csrf, "q": nik}), business_name),
                 PAGE_TARGET_MS),
                ("surveys, all Lampung, newest first",
                 lambda: _ok(admin.get("/console/records/surveys")), PAGE_TARGET_MS),
                ("surveys, one regency, finalised, date range",
                 lambda: _ok(supervisor.get("/console/records/surveys", params={
                     "status": "finalised", "date_from": "2025-01-01",
                     "date_to": "2025-12-31"})), PAGE_TARGET_MS),
                ("audits, all Lampung",
                 lambda: _ok(admin.get("/console/records/audits")), PAGE_TARGET_MS),
                ("verifications, all Lampung",
                 lambda: _ok(admin.get("/console/records/verifications")), PAGE_TARGET_MS),
                ("cooperatives, all Lampung",
                 lambda: _ok(admin.get("/console/records/cooperatives")), PAGE_TARGET_MS),
                ("a business's page with its history",
                 lambda: _ok(supervisor.get(f"/console/records/businesses/{business_id}"),
                             "history"), PAGE_TARGET_MS),
                ("dashboard page, one regency (figures kept 5 min per worker)",
                 lambda: _ok(supervisor.get("/console/dashboard")), PAGE_TARGET_MS),
                ("dashboard page, all Lampung (figures kept 5 min per worker)",
                 lambda: _ok(admin.get("/console/dashboard")), PAGE_TARGET_MS),
            ]
            for label, call, target in cases:
                say(label)
                figures.append(Figure(label, time_ms(call, RUNS, warmup=2), target))
            database = Database(url)
            with database.session() as session:
                for label, regency in (("dashboard figures computed, one regency", "18.71"),
                                       ("dashboard figures computed, all Lampung", None)):
                    say(label)
                    figures.append(Figure(label, time_ms(
                        lambda: dashboard_figures(session, regency), 5), DASHBOARD_TARGET_MS))
            database.dispose()
    finally:
        drop_database(name)
    command = "python -m benchmarks console" + (f" --records {options.records}"
                                                if options.records else "")
    return Section(
        name=NAME,
        title="Web console over the province's volume (PostgreSQL)",
        command=command,
        setup=(f"PostgreSQL 127.0.0.1, a fresh database filled by benchmarks/province_data.py: "
               f"{size.businesses:,} businesses, {size.cooperatives:,} cooperatives, "
               f"{size.applicants:,} aid applicants, {size.surveys:,} surveys, {size.audits:,} "
               f"audits and {size.verifications:,} verifications, each with its change-log row; "
               f"{size.officers_per_regency} officers per regency. The server runs in its own "
               f"process (`python -m server run`); each figure is a whole HTTP round trip of a "
               f"signed-in client (session cookie, CSRF token on POSTs), the page rendered, "
               f"{RUNS} runs after 2 warm-up runs. The dashboard's figures (counts over every "
               f"finalised visit) are kept five minutes per worker, so the page is timed warm; "
               f"computing them is timed apart, in process, 5 runs."),
        figures=figures,
        notes=["Pages are read by keyset (sort value, id) on the s0010 indexes, so a later "
               "page costs what the first does; the total under the table is a COUNT over the "
               "same filters, up to 10,000 ('more than 10,000' beyond; 1,000 for a search by part of a "
               "name).",
               "The figures are whole round trips on the machine as it was during the run "
               f"(load average {load_before:.1f} when it began, {os.getloadavg()[0]:.1f} when "
               "it ended), which every figure carries."],
        full_size=options.records is None,
    )
