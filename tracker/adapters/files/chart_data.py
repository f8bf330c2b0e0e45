"""The weekly chart's points as JSON in its outbox row: written with the digest, read by the
sender when it draws the chart (matplotlib is imported only there)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tracker.domain.stats import WeekPoint


def chart_attachment(title: str, points: list[WeekPoint]) -> str:
    """What the sender needs to draw the chart when it sends it (JSON, in the outbox row)."""
    return json.dumps(
        {
            "chart": "weekly",
            "title": title,
            "points": [
                [
                    p.week_start.isoformat(),
                    p.received,
                    p.decided,
                    p.on_time,
                    None if p.median_ack is None else p.median_ack.total_seconds(),
                ]
                for p in points
            ],
        },
        ensure_ascii=False,
    )


def chart_points(attachment: str) -> tuple[str, list[WeekPoint]]:
    data = json.loads(attachment)
    points = [
        WeekPoint(
            date.fromisoformat(start),
            received,
            decided,
            on_time,
            None if median is None else timedelta(seconds=median),
        )
        for start, received, decided, on_time, median in data["points"]
    ]
    return data["title"], points
