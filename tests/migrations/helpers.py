"""What the migration tests share besides the executor fixture (conftest.py)."""


def apps_at(executor, target: tuple[str, str]):
    """Migrate back (or forward) to target; the models as they were there (every app's
    migrations that are applied then, not only target's ancestors)."""
    executor.migrate([target])
    executor.loader.build_graph()
    applied = [
        key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes
    ]
    return executor.loader.project_state(applied).apps
