"""Events for the report tests: located, disputed, unlocated, and one carrying hostile text."""

from __future__ import annotations

import datetime as dt

from eventatlas.fuse.merge import assign, build_events
from eventatlas.records import Event
from tests.test_fuse import FAR_TOWN, mention

HOSTILE = 'Gunmen <script>alert("x")</script><img src=x onerror=alert(1)> shelled the town.'


def report_events() -> list[Event]:
    d = dt.date(2021, 6, 1)
    ms = [
        mention(1, outlet="Reuters"),
        mention(2, outlet="TASS", status="claimed", cites="Russian Ministry of Defence"),
        mention(3, outlet="Rudaw", stance="denies", status="denied",
                quote="The SDF denied that Turkish forces shelled Ain Issa."),
        mention(4, outlet="AFP", place=FAR_TOWN, day=d + dt.timedelta(days=9), quote=HOSTILE),
        mention(5, outlet="ANHA", day=d + dt.timedelta(days=20), place=FAR_TOWN,
                quote="Drones struck a car near Manbij."),
    ]  # fmt: skip
    return build_events(ms, assign(ms))
