"""Resumption tokens: where a list stopped, as a cursor rather than an offset.

A token carries the list's selection (metadataPrefix, set, and the datestamp
bounds fixed by the list's first request) and the last entry given, (datestamp,
report id). It holds no state on the server, so it never expires and survives a
restart; uploads and deletions between two pages move no entry under it. Tokens
are signed with the secret key: a token that was altered, or made under another
key, is a badResumptionToken and the harvest starts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing

_SALT = "reports.interop.oai.tokens"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class BadToken(Exception):
    """Not a token this repository issued for this verb."""


@dataclass(frozen=True)
class RecordsToken:
    verb: str
    metadata_prefix: str
    set_spec: str | None
    lower: datetime | None
    upper: datetime
    last: tuple[datetime, int]
    cursor: int  # entries given before the next page


@dataclass(frozen=True)
class SetsToken:
    last_slug: str
    cursor: int


def dump(token: RecordsToken | SetsToken) -> str:
    if isinstance(token, SetsToken):
        payload = ["ListSets", token.last_slug, token.cursor]
    else:
        payload = [
            token.verb, token.metadata_prefix, token.set_spec, _micros(token.lower), _micros(token.upper),
            _micros(token.last[0]), token.last[1], token.cursor,
        ]
    return signing.dumps(payload, salt=_SALT)


def load(value: str, *, verb: str) -> RecordsToken | SetsToken:
    try:
        payload = signing.loads(value, salt=_SALT)
    except signing.BadSignature:
        raise BadToken("This resumptionToken was not issued by this repository, or it was altered.") from None
    if not isinstance(payload, list) or not payload or payload[0] != verb:
        raise BadToken(f"This resumptionToken does not continue a {verb} list.")
    try:
        if verb == "ListSets":
            _, last_slug, cursor = payload
            return SetsToken(str(last_slug), int(cursor))
        _, prefix, set_spec, lower, upper, last_at, last_pk, cursor = payload
        return RecordsToken(
            verb, str(prefix), set_spec, _time(lower) if lower is not None else None, _time(upper),
            (_time(last_at), int(last_pk)), int(cursor),
        )
    except (TypeError, ValueError, OverflowError):
        raise BadToken("This resumptionToken is damaged.") from None


def _micros(moment: datetime | None) -> int | None:
    return None if moment is None else (moment - _EPOCH) // _MICROSECOND


def _time(micros: int) -> datetime:
    return _EPOCH + int(micros) * _MICROSECOND
