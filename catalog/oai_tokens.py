"""The state of an OAI-PMH list request, from its first page's arguments or from its
resumption token.

A resumption token holds the whole state of the list, signed with the app's secret: the
filters, the position as the last datestamp and id sent (records are sent in datestamp
order, so a record edited during a harvest moves to the end of the list and is still
sent, instead of shifting an offset), and the count sent so far. Tokens never expire
and need nothing stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer

from catalog.oai_dates import parse_datestamp
from catalog.oai_errors import OaiError
from catalog.oai_settings import OaiSettings
from catalog.oai_xml import check_prefix


@dataclass(frozen=True)
class ListState:
    """Everything a list request needs, first page or resumed."""

    verb: str
    prefix: str
    set_spec: str | None
    start: datetime | None  # inclusive
    end: datetime | None  # exclusive
    after: tuple[datetime, int] | None  # the last (datestamp, id) sent
    cursor: int  # records sent before this page


def first_state(verb: str, values: dict[str, str]) -> ListState:
    """The state of a list's first page, from the request's arguments."""
    check_prefix(values["metadataPrefix"])
    start = end = None
    granularities = set()
    if "from" in values:
        start, granularity = parse_datestamp(values["from"], end=False)
        granularities.add(granularity)
    if "until" in values:
        end, granularity = parse_datestamp(values["until"], end=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", "from is later than until.")
    return ListState(
        verb=verb,
        prefix=values["metadataPrefix"],
        set_spec=values.get("set"),
        start=start,
        end=end,
        after=None,
        cursor=0,
    )


def _serializer(settings: OaiSettings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt="pst.oai-resumption")


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def resumption_token(
    settings: OaiSettings, state: ListState, after: tuple[datetime, int], cursor: int
) -> str:
    """The signed token of the page after ``after`` (the last datestamp and id sent)."""
    payload = {
        "v": state.verb,
        "p": state.prefix,
        "s": state.set_spec,
        "f": _iso(state.start),
        "u": _iso(state.end),
        "a": [_iso(after[0]), after[1]],
        "c": cursor,
    }
    return str(_serializer(settings).dumps(payload))


def resumed_state(settings: OaiSettings, token: str, verb: str) -> ListState:
    """The state a token holds, or ``badResumptionToken`` (forged, altered, another verb)."""
    try:
        data = _serializer(settings).loads(token)
        if data["v"] != verb:
            raise ValueError(verb)
        after = (datetime.fromisoformat(data["a"][0]), int(data["a"][1]))
        return ListState(
            verb=verb,
            prefix=str(data["p"]),
            set_spec=data["s"],
            start=datetime.fromisoformat(data["f"]) if data["f"] else None,
            end=datetime.fromisoformat(data["u"]) if data["u"] else None,
            after=after,
            cursor=int(data["c"]),
        )
    except (BadSignature, KeyError, IndexError, TypeError, ValueError):
        raise OaiError("badResumptionToken", "The resumption token is invalid.") from None
