"""`eventatlas serve`: the report's views live over the store, and a JSON API (OpenAPI at /docs).

Endpoints: ``/`` (the report, rebuilt from the store on each request), ``/api/events`` (filters:
type, actor, outlet, status, date range, bounding box; limit/offset), ``/api/events/{id}`` (one
event with its mentions), ``/api/articles``, ``/api/outlets``, ``/api/events.geojson``. Every
parameter is validated (a bad one is a 422 with the reason, an unknown event a 404); queries
never embed request strings; no file is served from a path the request names.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response

from eventatlas.fuse.stories import source_profiles
from eventatlas.out.export import article_record
from eventatlas.out.formats import write_geojson
from eventatlas.out.records import fused_event_record
from eventatlas.records import Event, EventType
from eventatlas.store.sql import SqlStore

Events = Callable[[], list[Event]]
_STATUSES = "^(reported|claimed|denied|disputed|planned|threatened|historical)$"


def create_app(store: SqlStore, events: Events, outlet_types: dict[str, str]) -> FastAPI:
    """The app over ``store``; ``events`` returns the fused events (read per request)."""
    app = FastAPI(title="eventatlas", description="Events fused from news reporting.")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        from eventatlas.out.report import build_report

        return HTMLResponse(build_report(events(), store.count_articles(), outlet_types))

    @app.get("/api/events")
    def list_events(
        type: EventType | None = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        status: Annotated[str | None, Query(pattern=_STATUSES)] = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        box = _bbox(bbox)
        if start and end and start > end:
            raise HTTPException(422, f"start {start} is after end {end}")
        chosen = [
            e for e in events()
            if _matches(e, type, actor, outlet, status, start, end, box)
        ]  # fmt: skip
        page = chosen[offset : offset + limit]
        return {"total": len(chosen), "offset": offset, "limit": limit,
                "events": [fused_event_record(e) for e in page]}  # fmt: skip

    @app.get("/api/events.geojson")
    def geojson() -> Response:
        buf = io.StringIO()
        write_geojson(events(), buf)
        return Response(buf.getvalue(), media_type="application/geo+json")

    @app.get("/api/events/{event_id}")
    def one_event(event_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
        found = next((e for e in events() if e.id == event_id), None)
        if found is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return fused_event_record(found)

    @app.get("/api/articles")
    def list_articles(
        limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0
    ) -> dict[str, Any]:
        rows = list(store.iter_articles())
        return {"total": len(rows),
                "articles": [article_record(a) for a in rows[offset : offset + limit]]}  # fmt: skip

    @app.get("/api/outlets")
    def outlets() -> list[dict[str, Any]]:
        return [
            {**p.__dict__, "type": outlet_types.get(p.outlet)} for p in source_profiles(events())
        ]

    @app.exception_handler(ValueError)
    def bad_value(_request: Any, exc: ValueError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    return app


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        west, south, east, north = (float(x) for x in text.split(","))
    except ValueError:
        raise HTTPException(422, "bbox: expected four numbers west,south,east,north") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(422, "bbox: longitudes in [-180, 180], latitudes south <= north")
    return west, south, east, north


def _matches(
    e: Event, type_: str | None, actor: str | None, outlet: str | None, status: str | None,
    start: dt.date | None, end: dt.date | None, box: tuple[float, float, float, float] | None,
) -> bool:  # fmt: skip
    day = e.date.end or e.date.start
    people = {a.name for a in (*e.actors, *e.recipients)}
    checks = [
        type_ is None or e.type == type_,
        status is None or e.status == status,
        actor is None or actor in people,
        outlet is None or any(m.outlet == outlet for m in e.mentions),
        start is None or (day is not None and day >= start),
        end is None or (day is not None and day <= end),
        box is None or _inside(e, box),
    ]
    return all(checks)


def _inside(e: Event, box: tuple[float, float, float, float]) -> bool:
    loc = e.location
    if loc is None or loc.lat is None or loc.lon is None:
        return False
    west, south, east, north = box
    in_lon = west <= loc.lon <= east if west <= east else (loc.lon >= west or loc.lon <= east)
    return south <= loc.lat <= north and in_lon
