"""Bad input for the reliability benchmark: a bounded loop of malformed,
hostile and oversize requests against a running server; none may get a 5xx.
(The full property-based campaign is tests/server/test_server_fuzz.py.)"""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from desktop_app import protocol as p
from tests.support import device_proof
from tests.support.laptops import PASSWORD


@dataclass
class FuzzResult:
    tried: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)


def fuzz(url: str, *, examples: int, seed: int) -> FuzzResult:
    """Malformed, hostile and oversize requests; the answer must never be a
    5xx (the full property-based campaign is tests/server/test_server_fuzz.py)."""


    rng = random.Random(seed)
    session = requests.Session()
    headers = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}
    login = device_proof.login(url, "petugas.bandarlampung", PASSWORD,
                               "0190a1b2-0000-7000-8000-00000000f022", device_name="fuzz",
                               http=session).json()
    auth = {**headers, "Authorization": f"Bearer {login['token']}"}
    result = FuzzResult()
    scalars: list[Any] = [None, True, 0, -1, 2 ** 63, 2 ** 80, 1.5e308, "", "\x00", "x" * 300,
                          "2026-13-45", "18.06", [], {}, [1, [2]], {"a": {"b": None}}]
    columns = ["name", "owner_nik", "regency_code", "members_male", "visit_date", "id",
               "deleted_at", "status", "latitude", "zz"]

    def change(seq: int) -> dict[str, Any]:
        base = {"seq": seq, "change_id": f"{rng.getrandbits(128):032x}", "txn": 1,
                "table": rng.choice(["business", "cooperative", "umkm_survey", "officer", "x"]),
                "row_id": f"0190a1b2-0000-7000-8000-{rng.getrandbits(48):012x}",
                "op": rng.choice(["insert", "update", "delete", "drop"]),
                "fields": {rng.choice(columns): rng.choice(scalars) for _ in range(rng.randrange(4))},
                "hlc": rng.choice([0, 1, 2 ** 62, 2 ** 63 - 1]), "officer_id": None, "base_seq": 0}
        if rng.random() < 0.3:
            base[rng.choice(list(base))] = rng.choice(scalars)
        return base

    for i in range(examples):
        kind = i % 6
        try:
            if kind == 0:  # structurally odd pushes
                body = {"device_id": rng.choice([login.get("officer", {}).get("id", ""), "x",
                                                 "0190a1b2-0000-7000-8000-00000000f022"]),
                        "changes": [change(rng.randrange(1, 5)) for _ in range(rng.randrange(4))]}
                r = session.post(f"{url}/v1/push", headers=auth, data=gzip.compress(
                    json.dumps(body).encode()), timeout=30)
                r.headers["_kind"] = "push"
            elif kind == 1:  # random bytes as a push, gzip'd or not
                raw = rng.randbytes(rng.randrange(0, 2000))
                h = {**auth, "Content-Type": "application/json"}
                if rng.random() < 0.5:
                    h["Content-Encoding"] = "gzip"
                r = session.post(f"{url}/v1/push", headers=h, data=raw, timeout=30)
            elif kind == 2:  # odd sign-ins
                r = session.post(f"{url}/v1/auth/login", headers=headers, timeout=30, json={
                    "username": rng.choice(scalars), "password": rng.choice(scalars),
                    "device_id": rng.choice(scalars), "device_name": rng.choice(scalars)})
            elif kind == 3:  # odd pulls
                r = session.get(f"{url}/v1/pull", headers=auth, timeout=30, params={
                    "scope": rng.choice(["regency", "own", "reference", "all", ""]),
                    "cursor": rng.choice(["-1", "0", "9" * 30, "x", str(2 ** 63 - 1)]),
                    "limit": rng.choice(["0", "1", "1001", "abc", "500"])})
            elif kind == 4:  # oversize, declared or gzip-bombed
                if rng.random() < 0.5:
                    raw = gzip.compress(b"[" + b"0," * (3 * 1024 * 1024) + b"0]")
                    r = session.post(f"{url}/v1/push", timeout=30, data=raw, headers={
                        **auth, "Content-Type": "application/json", "Content-Encoding": "gzip"})
                else:
                    r = session.post(f"{url}/v1/push", timeout=30, data=b"{" * (5 * 1024 * 1024),
                                     headers={**auth, "Content-Type": "application/json"})
            else:  # tokens and headers that are wrong
                h = rng.choice([{}, {p.PROTOCOL_HEADER: "0"}, {**headers, "Authorization": "Bearer x"},
                                {**headers, "Authorization": "Basic " + "a" * 5000},
                                {p.PROTOCOL_HEADER: "ü"}])
                r = session.get(f"{url}/v1/pull", headers=h, timeout=30)
        except requests.RequestException as exc:  # a refusal mid-upload closes the socket
            result.tried += 1
            result.by_status[0] += 1
            if not isinstance(exc, requests.ConnectionError):
                result.server_errors.append(f"{kind}: {exc!r}")
            continue
        result.tried += 1
        result.by_status[r.status_code] += 1
        if r.status_code >= 500:
            result.server_errors.append(f"{kind}: {r.status_code} {r.text[:200]}")
    session.close()
    return result
