"""gunicorn settings, taken from the one Settings object (no --preload: workers open lazily)."""

from settings import get_settings

_settings = get_settings()
bind = f"{_settings.host}:{_settings.port}"
workers = _settings.workers
preload_app = False
accesslog = "-"
control_socket_disable = True
# A streamed download of millions of rows outlives gunicorn's 30-second default; a sync
# worker sends no heartbeat while it writes one response.
timeout = 300


def post_fork(server: object, worker: object) -> None:
    """Each worker's allocators, before it opens anything (dashboard.web.memory)."""
    from dashboard.web.memory import settle

    settle()
