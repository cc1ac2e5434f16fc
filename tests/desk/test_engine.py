"""The engine on its own: what it suggests, and that it never peeks at labels."""

import random

from desk.engine.engine import Engine
from desk.engine.model import Article
from desk.engine.replay import Labelled, bcubed, in_time_order, unattended

from .labelled_files import labelled_rows


def fixture_rows() -> list[Labelled]:
    return [
        Labelled(
            Article(row["ID"], row["TITLE"], int(row["TIMESTAMP"]) / 1000, "", row["PUBLISHER"]),
            row["STORY"],
        )
        for row in labelled_rows()
    ]


def test_the_story_sharing_the_words_is_suggested_first_with_its_reason():
    engine = Engine()
    engine.remember(Article(1, "Senate passes grid bill on transmission lines", 0, "", "A"), "grid")
    engine.remember(Article(2, "Grid bill: Senate votes for new transmission", 60, "", "B"), "grid")
    engine.remember(Article(3, "Zoo welcomes twin panda cubs", 120, "", "C"), "zoo")

    suggestion, proposal = engine.place(
        Article(4, "Transmission grid bill clears the Senate", 180, "", "D")
    )

    best = suggestion.best
    assert best.story == "grid"
    assert best.reason == "shares: Transmission, grid, bill; 2 of its 2 articles within 6 h"
    assert 0.5 < best.score <= 1
    # The zoo story shares no word, but it is live: offered last, and saying so.
    assert [c.story for c in suggestion.candidates] == ["grid", "zoo"]
    assert suggestion.candidates[1].reason.startswith("no words in common")
    assert proposal is None


def test_articles_in_no_story_become_a_proposal_from_three_articles_and_two_outlets():
    engine = Engine()
    titles = [
        "Volcano erupts near island village",
        "Island village evacuated as volcano erupts",
        "Volcano eruption forces island evacuation",
    ]
    proposals = [
        engine.place(Article(n, t, n * 60, "", f"Outlet {n}"))[1] for n, t in enumerate(titles)
    ]

    assert proposals[:2] == [None, None]
    assert proposals[2].articles == (0, 1, 2)
    assert proposals[2].outlets == 3
    assert "3 articles from 3 outlets" in proposals[2].reason
    assert list(engine.proposals()) == [proposals[2]]


def test_one_outlet_alone_proposes_no_new_story():
    engine = Engine()
    for n in range(4):
        engine.place(Article(n, f"Volcano erupts near island village, update {n}", n * 60, "", "X"))

    assert list(engine.proposals()) == []


def test_unattended_placement_is_the_same_whatever_the_labels_say():
    rows = in_time_order(fixture_rows())
    stories = [row.story for row in rows]
    random.Random(7).shuffle(stories)
    relabelled = [Labelled(row.article, story) for row, story in zip(rows, stories, strict=True)]

    assert unattended(rows) == unattended(relabelled)
    assert bcubed(unattended(rows), [row.story for row in rows]) == (1.0, 1.0)


def test_suggestions_at_the_desk_do_not_depend_on_later_labels():
    """Each suggestion is made before its article is filed: relabelling the article and
    every later one changes nothing up to it."""
    rows = in_time_order(fixture_rows())

    def suggestions(relabel_from: int) -> list:
        engine, made = Engine(), []
        for n, row in enumerate(rows):
            suggestion, _ = engine.place(row.article)
            made.append(suggestion)
            engine.remember(row.article, f"other-{n}" if n >= relabel_from else row.story)
        return made

    honest = suggestions(len(rows))
    for cut in (3, 9, 15):
        assert suggestions(cut)[: cut + 1] == honest[: cut + 1]
