"""Event exports: ACLED-style CSV, GeoJSON (validated), Parquet (read by DuckDB and pandas)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from eventatlas.out.formats import ACLED_COLUMNS, write_acled_csv, write_geojson, write_parquet
from eventatlas.pipeline import fuse_stored, stored_events
from eventatlas.records import Article
from eventatlas.store.sql import open_store
from tests.test_fuse import FAR_TOWN, mention


def _store_with_events(tmp_path: Path) -> list[object]:
    with open_store(str(tmp_path / "e.db")) as store:
        for i, outlet in ((1, "Reuters"), (2, "AFP"), (3, "TASS")):
            store.add_article(Article(
                id=f"a{i}", source=f"s{i}", url=None, outlet=outlet, title=None,
                published=None, published_source=None, language="en",
                text="Turkish forces shelled Ain Issa, killing two. <script>x</script>",
                content_hash=f"h{i}",
            ))  # fmt: skip
        store.save_processed("a1", [], [mention(1, article="a1")])
        store.save_processed("a2", [], [mention(2, article="a2", outlet="AFP")])
        store.save_processed("a3", [], [mention(3, article="a3", outlet="TASS", place=FAR_TOWN)])
        assert fuse_stored(store) == 3
        assert fuse_stored(store) == 0  # a rerun fuses nothing twice
        return list(stored_events(store))


def test_fused_events_in_every_format(tmp_path: Path) -> None:
    events = _store_with_events(tmp_path)
    assert sorted(len(e.mentions) for e in events) == [1, 2]  # type: ignore[attr-defined]

    geo = io.StringIO()
    assert write_geojson(events, geo) == 2  # type: ignore[arg-type]
    geojson_pydantic = pytest.importorskip("geojson_pydantic")
    collection = geojson_pydantic.FeatureCollection.model_validate_json(geo.getvalue())
    lon, lat = collection.features[0].geometry.coordinates
    assert 35 < lon < 40
    assert 36 < lat < 37  # [lon, lat] order, RFC 7946

    acled = io.StringIO()
    write_acled_csv(events, acled)  # type: ignore[arg-type]
    rows = list(csv.DictReader(io.StringIO(acled.getvalue())))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert {r["sub_event_type"] for r in rows} == {"Shelling/artillery/missile attack"}
    assert {r["time_precision"] for r in rows} == {"1"}
    assert {r["country"] for r in rows} == {"Syria"}

    path = tmp_path / "events.parquet"
    write_parquet(events, path)  # type: ignore[arg-type]
    duckdb = pytest.importorskip("duckdb")
    got = duckdb.sql(f"select type, date_start, lat from '{path}' order by lat").fetchall()
    assert [g[0] for g in got] == ["ASSAULT", "ASSAULT"]
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_parquet(path)
    assert len(frame) == 2
    assert json.loads(frame["sources"][0])["articles"] >= 1
