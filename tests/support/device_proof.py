"""Signing in by hand as a laptop does since protocol 2: ask the server for
a challenge, sign it with the device's Ed25519 key (docs/PROTOCOL.md,
'Device proof'). Every test or harness that posts /v1/auth/login itself
builds its body here.

A device id keeps its key for the whole test session (``key_for``), so a
test that signs in again on the same device, or with a second officer on
it, proves the same device; a test that plays an impostor passes its own
``key``.
"""

from __future__ import annotations

import base64
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app import protocol as p

HEADERS = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION), p.SCHEMA_HEADER: "test"}
_KEYS: dict[str, Ed25519PrivateKey] = {}


def key_for(device_id: str) -> Ed25519PrivateKey:
    """The key this test session's device ``device_id`` holds (made on first use)."""
    return _KEYS.setdefault(device_id, Ed25519PrivateKey.generate())


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def public_b64(key: Ed25519PrivateKey) -> str:
    return b64(key.public_key().public_bytes_raw())


class ChallengeRefused(Exception):
    """The server gave no nonce (e.g. 429: the address is locked)."""

    def __init__(self, answer: requests.Response) -> None:
        super().__init__(answer.status_code, answer.text)
        self.answer = answer


def challenge(url: str, device_id: str, *, http: Any = requests) -> str:
    answer = http.post(f"{url}/v1/auth/challenge", headers=HEADERS, timeout=10,
                       json={"device_id": device_id})
    if answer.status_code != 200:
        raise ChallengeRefused(answer)
    return str(answer.json()["nonce"])


def proof_fields(url: str, device_id: str, username: str, *,
                 key: Ed25519PrivateKey | None = None, http: Any = requests) -> dict[str, str]:
    """``nonce``, ``device_key`` and ``device_proof`` for a sign-in on ``device_id``."""
    key = key or key_for(device_id)
    nonce = challenge(url, device_id, http=http)
    signature = key.sign(p.device_proof_message(nonce, device_id, username))
    return {"nonce": nonce, "device_key": public_b64(key), "device_proof": b64(signature)}


def login_body(url: str, username: str, password: str, device_id: str, *,
               device_name: str = "", key: Ed25519PrivateKey | None = None,
               http: Any = requests) -> dict[str, Any]:
    """A complete LoginRequest body with a fresh proof."""
    return {"username": username, "password": password, "device_id": device_id,
            "device_name": device_name,
            **proof_fields(url, device_id, username, key=key, http=http)}


def login(url: str, username: str, password: str, device_id: str, *, device_name: str = "",
          key: Ed25519PrivateKey | None = None, http: Any = requests,
          timeout: float = 10) -> requests.Response:
    """POST /v1/auth/login with a proof, the answer as it came (the challenge's
    own answer when it gave no nonce: a locked address is refused there)."""
    try:
        body = login_body(url, username, password, device_id, device_name=device_name, key=key,
                          http=http)
    except ChallengeRefused as refused:
        return refused.answer
    return http.post(f"{url}/v1/auth/login", headers=HEADERS, timeout=timeout, json=body)
