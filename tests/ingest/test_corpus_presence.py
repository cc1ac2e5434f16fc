"""Without the shared corpus its tests still show: skipped with the reason, or failed under CI."""

import pytest

from . import corpus


@pytest.fixture
def no_corpus(monkeypatch, tmp_path):
    """The corpus looked for in an empty folder."""
    monkeypatch.setattr(corpus, "CORPUS", tmp_path / "corpus")
    return tmp_path / "corpus"


def test_without_the_corpus_each_test_is_collected_once_as_a_placeholder(no_corpus):
    (placeholder,) = corpus.or_missing(corpus.folders(), 0)
    assert (placeholder.values, placeholder.id) == ((None, 0), "corpus-missing")


def test_without_the_corpus_a_local_run_skips_and_says_where_it_looked(no_corpus, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"no feed documents .* at {no_corpus}"):
        corpus.require(None)


@pytest.mark.parametrize("ci", ["true", "1"])
def test_without_the_corpus_a_ci_run_fails(no_corpus, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI is set, so this is a failure"):
        corpus.require(None)


def test_an_empty_folder_of_the_corpus_fails_under_ci_too(no_corpus, monkeypatch):
    (no_corpus / "wellformed" / "rss").mkdir(parents=True)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="wellformed/rss"):
        corpus.require("wellformed/rss")


def test_ci_set_to_false_counts_as_a_local_run(no_corpus, monkeypatch):
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        corpus.require(None)


def test_with_the_corpus_its_files_are_returned_and_nothing_is_skipped(no_corpus, monkeypatch):
    folder = no_corpus / "wellformed" / "rss"
    folder.mkdir(parents=True)
    (folder / "item.xml").write_bytes(b"<rss/>")
    monkeypatch.setenv("CI", "true")
    assert corpus.folders() == ["wellformed/rss"]
    assert corpus.or_missing(corpus.folders()) == ["wellformed/rss"]
    assert corpus.require("wellformed/rss") == [folder / "item.xml"]
