import pytest

from desk import engine_state


@pytest.fixture(autouse=True)
def fresh_engine():
    """Each test starts with no engine kept by the process: its database is new."""
    engine_state.forget()
    yield
    engine_state.forget()
