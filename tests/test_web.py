"""The web app's JSON API over a real store: filters, validation as 4xx, hostile text as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eventatlas.out.web import create_app
from eventatlas.pipeline import fuse_stored, stored_events
from eventatlas.records import Article
from eventatlas.store.sql import open_store
from tests.report_fixture import HOSTILE
from tests.test_fuse import FAR_TOWN, mention

testclient = pytest.importorskip("fastapi.testclient")


@pytest.fixture
def client(tmp_path: Path) -> Any:
    store = open_store(str(tmp_path / "w.db"))
    rows = [
        mention(1, article="a1"),
        mention(2, article="a2", outlet="TASS", stance="denies", status="denied"),
        mention(3, article="a3", outlet="AFP", place=FAR_TOWN, quote=HOSTILE),
    ]
    for m in rows:
        store.add_article(Article(
            id=m.article_id, source=m.article_id, url=None, outlet=m.outlet, title=None,
            published=m.published, published_source="text", language="en", text=m.quote,
            content_hash=m.article_id,
        ))  # fmt: skip
        store.save_processed(m.article_id, [], [m])
    fuse_stored(store)
    app = create_app(store, lambda: stored_events(store), {"AFP": "wire"})
    yield testclient.TestClient(app)
    store.close()


def test_events_with_filters_and_paging(client: Any) -> None:
    everything = client.get("/api/events").json()
    assert everything["total"] == 2
    disputed = client.get("/api/events", params={"status": "disputed"}).json()
    assert disputed["total"] == 1
    assert len(disputed["events"][0]["mentions"]) == 2
    assert client.get("/api/events", params={"outlet": "AFP"}).json()["total"] == 1
    box = "37.5,36.3,38.2,36.8"  # around Manbij only
    assert client.get("/api/events", params={"bbox": box}).json()["total"] == 1
    assert client.get("/api/events", params={"start": "2030-01-01"}).json()["total"] == 0
    assert len(client.get("/api/events", params={"limit": 1}).json()["events"]) == 1


def test_one_event_articles_outlets_geojson(client: Any) -> None:
    first = client.get("/api/events").json()["events"][0]
    assert client.get(f"/api/events/{first['id']}").json()["id"] == first["id"]
    assert client.get("/api/events/ev-nothing").status_code == 404
    assert client.get("/api/articles").json()["total"] == 3
    assert {o["outlet"] for o in client.get("/api/outlets").json()} == {"Reuters", "TASS", "AFP"}
    geo = client.get("/api/events.geojson")
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert geo.json()["type"] == "FeatureCollection"
    assert client.get("/openapi.json").status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": "x"}, {"offset": -1}, {"type": "BOMB"}, {"status": "maybe"},
     {"bbox": "1,2,3"}, {"bbox": "0,50,10,40"}, {"start": "yesterday"},
     {"start": "2021-06-05", "end": "2021-06-01"}],
)  # fmt: skip
def test_bad_parameters_are_4xx_never_500(client: Any, params: dict[str, Any]) -> None:
    res = client.get("/api/events", params=params)
    assert 400 <= res.status_code < 500, res.text


def test_no_files_outside_the_app(client: Any) -> None:
    for path in ("/../../etc/passwd", "/static/../../pyproject.toml", "/%2e%2e/%2e%2e/etc/passwd"):
        assert client.get(path).status_code == 404


def test_hostile_text_is_returned_as_data_and_the_page_keeps_it_inert(client: Any) -> None:
    quotes = [m["quote"] for e in client.get("/api/events").json()["events"] for m in e["mentions"]]
    assert HOSTILE in quotes
    page = client.get("/")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
