"""The newsroom's REST API, version 1: stories, articles and sources for outside consumers."""
