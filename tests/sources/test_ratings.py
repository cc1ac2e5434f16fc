"""The rating scales of sources/ratings.py: the bias scale's three buckets."""

from sources.ratings import Bias


def test_bias_buckets_group_the_seven_points():
    assert [Bias.bucket_of(v) for v in Bias.values] == ["left"] * 3 + ["center"] + ["right"] * 3
    assert Bias.bucket_of(None) is None
