"""Labelled article files (CSV) for scoring the engine: the columns of the UCI News
Aggregator data set, of which the engine reads TITLE, PUBLISHER and TIMESTAMP, the
scorer STORY, and an optional SUMMARY column if a file has one."""

import csv
from collections import Counter
from pathlib import Path

from .engine.model import Article
from .engine.replay import Labelled

REQUIRED = ("ID", "TITLE", "PUBLISHER", "STORY", "TIMESTAMP")


class LabelledFileError(ValueError):
    """The file cannot be scored; the message says where and why."""


def read_labelled(path: str | Path) -> list[Labelled]:
    """Rows of a labelled CSV file; TIMESTAMP is in Unix milliseconds."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in REQUIRED if name not in (reader.fieldnames or ())]
            if missing:
                raise LabelledFileError(f"{path}: no column {', '.join(missing)}")
            rows = [_row(path, reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise LabelledFileError(f"{path}: {error}") from error
    keys = Counter(row.article.key for row in rows)
    repeated = [key for key, count in keys.items() if count > 1]
    if repeated:
        raise LabelledFileError(f"{path}: ID {repeated[0]} appears {keys[repeated[0]]} times")
    return rows


def _row(path, line: int, row: dict) -> Labelled:
    if None in row or any(row[name] is None for name in REQUIRED):
        raise LabelledFileError(f"{path}, line {line}: wrong number of fields")
    try:
        at = int(row["TIMESTAMP"]) / 1000
    except ValueError:
        raise LabelledFileError(
            f"{path}, line {line}: TIMESTAMP {row['TIMESTAMP']!r} is not Unix milliseconds"
        ) from None
    if not row["STORY"]:
        raise LabelledFileError(f"{path}, line {line}: no STORY label")
    article = Article(
        key=row["ID"],
        title=row["TITLE"],
        at=at,
        summary=row.get("SUMMARY") or "",
        outlet=row["PUBLISHER"],
    )
    return Labelled(article, row["STORY"])
