"""Input the engine must survive: empty, one-word and non-Latin headlines, floods."""

import pytest

from desk.engine.engine import Engine
from desk.engine.model import Article, Tuning
from desk.engine.text import terms


@pytest.mark.parametrize("title", ["", "   ", "!!! ???", "—", "a", "Breaking", "2014", "\x00\t"])
def test_empty_or_one_word_headlines_are_placed_without_error(title):
    engine = Engine()
    engine.remember(Article(1, "Breaking: harbour bridge closed", 0, "", "A"), "bridge")

    suggestion, proposal = engine.place(Article(2, title, 60, "", "B"))

    assert len(suggestion.candidates) <= 3
    assert proposal is None
    assert 2 in engine.window.articles


def test_unspaced_scripts_are_compared_by_character_pairs():
    assert set(terms("地震 东京")) == {"地震", "东京"}
    assert set(terms("東京で地震")) == {"東京", "京で", "で地", "地震"}


@pytest.mark.parametrize(
    ("first", "second", "other"),
    [
        ("东京发生强烈地震", "东京地震造成停电", "北京举行马拉松比赛"),
        ("زلزال قوي يضرب طوكيو", "زلزال طوكيو يقطع الكهرباء", "ماراثون في بكين"),
        ("Сильное землетрясение в Токио", "Землетрясение в Токио: нет света", "Марафон в Пекине"),
    ],
)
def test_headlines_in_other_scripts_find_their_story(first, second, other):
    engine = Engine()
    engine.remember(Article(1, first, 0, "", "A"), "quake")
    engine.remember(Article(2, other, 30, "", "B"), "marathon")

    suggestion, _ = engine.place(Article(3, second, 60, "", "C"))

    assert suggestion.best.story == "quake"


def test_ten_thousand_articles_in_one_batch_complete_with_bounded_state():
    """All at the same second (a feed dump): the cap bounds what is held, and the
    postings read per word bound the work of each placement."""
    engine = Engine(Tuning(max_articles=2_000, postings_scanned=50))
    for n in range(10_000):
        suggestion, _ = engine.place(
            Article(n, f"Market update {n % 97}: shares rise", 1_000.0, "", f"o{n % 13}")
        )
        assert len(suggestion.candidates) <= 3

    assert len(engine.window.articles) == 2_000
    assert sum(len(p) for p in engine.window.postings.values()) <= 2_000 * 6
