"""The situation report: one self-contained HTML file (map, timeline, filters, event cards with
their sources side by side, source table) that opens offline.

Leaflet, Leaflet.markercluster, topojson-client and Natural Earth boundaries (world-atlas) come
from the npm registry (``make assets`` installs them under ``out/report_assets``) and are inlined
here; nothing is fetched when the report opens (its Content-Security-Policy forbids it). The
data travels as JSON inside ``<script type="application/json">`` with ``<``, ``>`` and ``&``
escaped, and the page builds every element from it with ``textContent``: article text cannot
become markup or script.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from eventatlas.errors import UsageError
from eventatlas.fuse.stories import source_profiles
from eventatlas.out.records import fused_event_record
from eventatlas.records import Event

ASSETS = Path(__file__).parent / "report_assets" / "node_modules"
_FILES = {
    "LEAFLET_CSS": "leaflet/dist/leaflet.css",
    "CLUSTER_CSS": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "LEAFLET_JS": "leaflet/dist/leaflet.js",
    "CLUSTER_JS": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "TOPOJSON_JS": "topojson-client/dist/topojson-client.min.js",
    "WORLD": "world-atlas/countries-50m.json",
}
_MARKER = re.compile(r"/\*([A-Z_]+)\*/")


def build_report(
    events: Sequence[Event],
    articles: int,
    outlet_types: dict[str, str] | None = None,
    assets: Path = ASSETS,
) -> str:
    """The report's HTML for ``events`` (fused, newest first) out of ``articles`` articles."""
    parts = {name: _asset(assets, rel) for name, rel in _FILES.items()}
    data = report_data(events, articles, outlet_types or {})
    parts["DATA"] = _json_for_html(data)
    parts["WORLD"] = _json_for_html(json.loads(parts["WORLD"]))
    package = resources.files("eventatlas.data")
    parts["REPORT_CSS"] = package.joinpath("report.css").read_text("utf-8")
    parts["REPORT_JS"] = package.joinpath("report_app.js").read_text("utf-8")
    template = package.joinpath("report_template.html").read_text("utf-8")
    # One pass: text put in is never scanned again for markers.
    return _MARKER.sub(lambda m: _safe_inline(parts.get(m.group(1), m.group(0))), template)


def report_data(
    events: Sequence[Event], articles: int, outlet_types: dict[str, str]
) -> dict[str, Any]:
    records = [fused_event_record(e) for e in events]
    days = sorted(d for e in events if (d := e.date.end or e.date.start) is not None)
    outlets = {m.outlet for e in events for m in e.mentions if m.outlet}
    top = sorted(events, key=lambda e: (-e.sources.independent, e.id))[:5]
    return {
        "summary": {
            "first": days[0].isoformat() if days else None,
            "last": days[-1].isoformat() if days else None,
            "articles": articles,
            "outlets": len(outlets),
            "events": len(events),
            "disputed": sum(e.status == "disputed" for e in events),
        },
        "top": [_top(e) for e in top if e.sources.independent > 1],
        "events": records,
        "sources": [
            {**dataclasses.asdict(p), "type": outlet_types.get(p.outlet)}
            for p in source_profiles(events)
        ],
    }


def _top(e: Event) -> dict[str, Any]:
    where = e.location.name if e.location else "unknown place"
    when = e.date.end or e.date.start or "undated"
    label = f"{e.type} at {where}, {when}"
    return {"id": e.id, "independent": e.sources.independent, "label": label}


def _asset(assets: Path, rel: str) -> str:
    path = assets / rel
    if not path.is_file():
        raise UsageError(
            f"the report needs {rel} from the npm registry, not found under {assets}; "
            "run `make assets` (npm install of leaflet, leaflet.markercluster, topojson-client, "
            "world-atlas) first"
        )
    return path.read_text("utf-8")


def _json_for_html(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _safe_inline(text: str) -> str:
    """Library code inlined in a <script> or <style> element must not close it."""
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)
