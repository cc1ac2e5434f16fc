"""The window bound: what the engine holds depends on the recent hours, not on history."""

from desk.engine.engine import Engine
from desk.engine.model import HOUR, Article, Tuning

WORDS = [
    *("harbour", "bridge", "council", "budget", "rail", "strike"),
    *("storm", "coast", "market", "energy", "court", "ruling"),
]


def headline(n: int) -> str:
    return f"{WORDS[n % 12]} {WORDS[(n * 7) % 12]} {WORDS[(n * 5 + 3) % 12]} item{n % 500}"


def sizes(engine: Engine) -> dict:
    window = engine.window
    return {
        "articles": len(window.articles),
        "stories": len(window.stories),
        "terms": len(window.df),
        "postings": sum(len(p) for p in window.postings.values()),
        "expiry": len(window._expiry),
    }


def fill(engine: Engine, stop: int, per_hour: int, start: int = 0) -> None:
    for n in range(start, stop):
        engine.place(Article(n, headline(n), n * HOUR / per_hour, "", f"outlet{n % 40}"))


def test_state_stays_bounded_as_old_articles_accumulate():
    """Ten days at 40 articles an hour: after the first three days, every measure of the
    state stays where it was, however many articles have passed."""
    engine = Engine(Tuning(window_hours=72))
    fill(engine, 72 * 40, per_hour=40)
    after_three_days = sizes(engine)
    fill(engine, 240 * 40, per_hour=40, start=72 * 40)
    after_ten_days = sizes(engine)

    assert after_three_days["articles"] == after_ten_days["articles"] == 72 * 40
    for name in ("stories", "terms", "postings"):
        assert after_ten_days[name] <= after_three_days[name] * 1.05, name
    assert after_ten_days["expiry"] <= 2 * after_ten_days["articles"]


def test_articles_older_than_the_window_are_forgotten():
    engine = Engine(Tuning(window_hours=1))
    engine.place(Article("old", "Harbour bridge closed after ship strike", 0, "", "A"))
    suggestion, _ = engine.place(
        Article("new", "Harbour bridge closed after ship strike", 2 * HOUR, "", "B")
    )

    assert "old" not in engine.window.articles
    assert suggestion.candidates == ()
    assert "harbour" not in engine.window.postings or list(engine.window.postings["harbour"]) == [
        "new"
    ]


def test_a_burst_inside_the_window_is_capped_at_max_articles():
    engine = Engine(Tuning(max_articles=500))
    fill(engine, 2_000, per_hour=100_000)

    assert len(engine.window.articles) == 500
    assert set(engine.window.articles) == set(range(1_500, 2_000))
