"""Story suggestions in plain Python: no Django, so the algorithm can be replayed,
tested and measured on its own (the database adapter is `desk.suggestions`)."""
