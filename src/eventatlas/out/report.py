"""The situation report: one self-contained HTML file (map, timeline, filters, event cards with
their sources side by side, source table) that opens offline.

Leaflet, Leaflet.markercluster, topojson-client and Natural Earth boundaries (world-atlas) are
the npm packages' own files at pinned versions, shipped in the package under ``out/vendor`` (with
their licences and ``PROVENANCE.csv``; ``scripts/vendor_report_assets.py`` refreshes them) and
inlined here; nothing is fetched when the report opens (its Content-Security-Policy forbids it). The
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

from eventatlas.errors import DataFileError
from eventatlas.fuse.stories import source_profiles
from eventatlas.out.records import fused_event_record
from eventatlas.records import Event

ASSETS = Path(__file__).parent / "vendor"
_FILES = {
    "LEAFLET_CSS": "leaflet/leaflet.css",
    "CLUSTER_CSS": "leaflet.markercluster/MarkerCluster.Default.css",
    "LEAFLET_JS": "leaflet/leaflet.js",
    "CLUSTER_JS": "leaflet.markercluster/leaflet.markercluster.js",
    "TOPOJSON_JS": "topojson-client/topojson-client.min.js",
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
    check_assets(assets)
    parts = {name: (assets / rel).read_text("utf-8") for name, rel in _FILES.items()}
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


def check_assets(assets: Path = ASSETS) -> None:
    """Raise unless every file the report inlines is under ``assets`` (before any long work)."""
    missing = [rel for rel in _FILES.values() if not (assets / rel).is_file()]
    if missing:
        raise DataFileError(
            f"the report inlines {', '.join(missing)} from {assets}, not found there; this "
            "installation of eventatlas is incomplete: reinstall it (`pip install .` in the "
            "repository, or its wheel), or in a checkout restore the folder with "
            "`git checkout -- src/eventatlas/out/vendor`"
        )


def _json_for_html(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _safe_inline(text: str) -> str:
    """Library code inlined in a <script> or <style> element must not close it."""
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)
