"""Small labelled files for the evaluation tests, written by hand: four events, each
told by several outlets within minutes, in the columns of the UCI aggregator file."""

import csv
from pathlib import Path

COLUMNS = ["ID", "TITLE", "URL", "PUBLISHER", "CATEGORY", "STORY", "HOSTNAME", "TIMESTAMP"]
START_MS = 1_394_470_000_000
EVENTS = {
    "harbour-bridge": [
        "Harbour bridge closed after ship strikes pillar",
        "Ship hits harbour bridge pillar, bridge closed to traffic",
        "Harbour bridge shut as cargo ship strikes support pillar",
        "Cargo ship collides with harbour bridge; engineers inspect pillar",
        "Harbour bridge to stay closed while pillar damage is assessed",
    ],
    "council-budget": [
        "City council passes budget with cuts to libraries",
        "Council budget vote cuts library hours",
        "Libraries lose out as city council approves budget",
        "City budget approved after long council debate on libraries",
    ],
    "rail-strike": [
        "Rail workers announce strike over pay",
        "Rail strike called for next week in pay dispute",
        "Train drivers' union sets rail strike dates over pay",
        "Commuters face disruption as rail union calls pay strike",
        "Rail pay strike: what commuters need to know",
    ],
    "storm-coast": [
        "Storm batters coast, thousands without power",
        "Coastal storm leaves thousands of homes without power",
        "Power cuts along the coast as storm brings high winds",
        "Storm damage on coast: power restored to some homes",
    ],
}


def labelled_rows() -> list[dict]:
    """Rows in time order: each event's articles a minute apart, events ten minutes apart."""
    rows, n = [], 0
    for e, (story, titles) in enumerate(EVENTS.items()):
        for i, title in enumerate(titles):
            n += 1
            host = f"outlet{i}.example"
            rows.append(
                {
                    "ID": str(n),
                    "TITLE": title,
                    "URL": f"https://{host}/{n}",
                    "PUBLISHER": f"Outlet {i}",
                    "CATEGORY": "b",
                    "STORY": story,
                    "HOSTNAME": host,
                    "TIMESTAMP": str(START_MS + (e * 10 + i) * 60_000),
                }
            )
    return rows


def write_labelled(path: Path, rows: list[dict] | None = None) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(labelled_rows() if rows is None else rows)
    return path
