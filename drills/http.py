"""A few HTTP calls against the web nodes, one connection each (a killed node must not poison a pool)."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any

NO_ANSWER = 0  # the node did not answer at all (refused, reset, timed out)


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def call(port: int, method: str, path: str, body: Any = None, token: str | None = None,
         timeout: float = 30, cookie: str | None = None) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if cookie:  # a browser's log-in session, for the pages
        headers["Cookie"] = cookie
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=payload, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
    except (OSError, http.client.HTTPException) as err:
        return Answer(NO_ANSWER, str(err), {})
    finally:
        conn.close()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")[:500]
    return Answer(resp.status, parsed, {k.lower(): v for k, v in resp.getheaders()})


def login(port: int, username: str, password: str) -> str:
    answer = call(port, "POST", "/api/auth/token", {"username": username, "password": password})
    assert answer.ok, f"log-ind som {username}: {answer.status} {answer.body}"
    return answer.body["token"]
