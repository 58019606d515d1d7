"""The registry calls `confluent-kafka`'s client cannot make, made over aiohttp: the verdict
with its messages (`POST /compatibility/subjects/{s}/versions?verbose=true`) and the level
that applies to a subject (`GET /config/{s}?defaultToGlobal=true`). See
`schemas.registry_client` for why."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import aiohttp

from schemas.fetch import display_uri
from schemas.registry_errors import (
    SUBJECT_LEVEL_NOT_CONFIGURED,
    SUBJECT_NOT_FOUND,
    RegistryUnavailable,
    registry_error,
)

_CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
_ACCEPT = f"{_CONTENT_TYPE}, application/vnd.schemaregistry+json, application/json"


class RegistryRest:
    def __init__(self, url: str, basic_auth_user_info: str | None, timeout_seconds: float) -> None:
        self._base = url.rstrip("/")
        self._shown = display_uri(url)
        self._authorization: str | None = None
        if basic_auth_user_info:
            user, _, password = basic_auth_user_info.partition(":")
            self._authorization = aiohttp.encode_basic_auth(user, password)
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        # Made on first use: a session belongs to the event loop running then.
        self._session: aiohttp.ClientSession | None = None

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def level(self, subject: str) -> str | None:
        answer = await self._send(
            "GET",
            f"/config/{quote(subject, safe='')}",
            query={"defaultToGlobal": "true"},
            missing=(SUBJECT_NOT_FOUND, SUBJECT_LEVEL_NOT_CONFIGURED),
        )
        level = answer.get("compatibilityLevel") if isinstance(answer, dict) else None
        return str(level).upper() if level else None

    async def compatibility(self, subject: str, body: dict[str, Any]) -> dict[str, Any] | None:
        answer = await self._send(
            "POST",
            f"/compatibility/subjects/{quote(subject, safe='')}/versions",
            query={"verbose": "true"},
            body=body,
            missing=(SUBJECT_NOT_FOUND,),
        )
        return answer if isinstance(answer, dict) else None

    async def _send(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str],
        body: dict[str, Any] | None = None,
        missing: tuple[int, ...] = (),
    ) -> Any:
        """The answer's JSON; None for an error whose code is in `missing`."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        headers = {"Accept": _ACCEPT}
        if self._authorization is not None:
            headers["Authorization"] = self._authorization
        data = None
        if body is not None:
            headers["Content-Type"] = _CONTENT_TYPE
            data = json.dumps(body)
        try:
            async with self._session.request(
                method, self._base + path, params=query, data=data, headers=headers
            ) as response:
                text = await response.text()
                status = response.status
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            raise RegistryUnavailable(
                f"The schema registry at {self._shown} is not answering"
                f" ({str(error) or type(error).__name__})."
            ) from None
        answer = _json(text)
        if 200 <= status < 300:
            return answer
        fields = answer if isinstance(answer, dict) else {}
        code = fields.get("error_code")
        code = code if isinstance(code, int) else None
        if code in missing:
            return None
        message = fields.get("message")
        raise registry_error(
            status, code, str(message) if message is not None else text[:200] or None, self._shown
        )


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return None
