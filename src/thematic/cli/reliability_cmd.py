"""CLI commands (registered on import). Owned by one module each to keep the CLI thin."""
from ._app import app, console, friendly  # noqa: F401
