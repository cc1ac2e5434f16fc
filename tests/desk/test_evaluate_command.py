"""`manage.py evaluate_clustering`: the figures, the JSON line and bad files."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .labelled_files import labelled_rows, write_labelled

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"b3_precision", "b3_recall", "b3_f1", "top1", "top3", "articles_per_second"}


def evaluate(path, *options) -> str:
    out = StringIO()
    call_command("evaluate_clustering", str(path), *options, stdout=out)
    return out.getvalue()


def test_the_command_groups_the_fixture_by_event(tmp_path):
    output = evaluate(write_labelled(tmp_path / "events.csv"))

    assert "18 articles, 4 labelled stories, 4 stories made by the engine" in output
    assert "B-cubed precision 1.000  recall 1.000  F1 1.000" in output
    assert "top-1 1.000  top-3 1.000" in output
    assert "articles per second" in output


def test_json_prints_the_figures_as_one_object_on_the_last_line(tmp_path):
    output = evaluate(write_labelled(tmp_path / "events.csv"), "--json")

    figures = json.loads(output.strip().splitlines()[-1])
    assert set(figures) == KEYS
    assert figures["b3_f1"] == 1.0 and figures["top3"] == 1.0
    assert figures["articles_per_second"] > 0


def test_a_grouping_that_mixes_stories_scores_below_one(tmp_path):
    rows = labelled_rows()
    # Two events told in the same words but labelled apart cannot both be right.
    for row in rows[5:9]:
        row["TITLE"] = rows[0]["TITLE"]
    output = evaluate(write_labelled(tmp_path / "mixed.csv", rows), "--json")

    figures = json.loads(output.strip().splitlines()[-1])

    assert figures["b3_precision"] < 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ID,TITLE\n1,Only a headline\n", "no column PUBLISHER, STORY, TIMESTAMP"),
        (
            "ID,TITLE,PUBLISHER,STORY,TIMESTAMP\n1,A headline,Outlet,s1,yesterday\n",
            "line 2: TIMESTAMP 'yesterday' is not Unix milliseconds",
        ),
        ("ID,TITLE,PUBLISHER,STORY,TIMESTAMP\n1,A headline,Outlet\n", "line 2: wrong number"),
        (
            "ID,TITLE,PUBLISHER,STORY,TIMESTAMP\n1,A,O,s1,1\n1,B,O,s1,2\n",
            "ID 1 appears 2 times",
        ),
        ("ID,TITLE,PUBLISHER,STORY,TIMESTAMP\n", "no articles"),
        ("\xff\xfe not text", "codec can't decode"),
    ],
)
def test_a_malformed_file_is_refused_with_its_reason(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content.encode("latin-1"))

    with pytest.raises(CommandError, match=message):
        evaluate(path)


def test_a_window_of_no_hours_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--window-hours must be more than 0"):
        evaluate(write_labelled(tmp_path / "events.csv"), "--window-hours", "0")


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path):
    path = write_labelled(tmp_path / "events.csv")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    assert "18 articles, 4 labelled stories" in evaluate(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        evaluate(tmp_path / "absent.csv")


def test_a_malformed_file_exits_non_zero_with_the_reason_on_stderr(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ID,TITLE\n1,Only a headline\n")

    done = subprocess.run(
        [sys.executable, "manage.py", "evaluate_clustering", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        timeout=60,
    )

    assert done.returncode != 0
    assert "no column PUBLISHER, STORY, TIMESTAMP" in done.stderr
    assert done.stdout == ""
