"""Development on one machine: `make run`. SQLite and in-process tasks unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-paragraf"  # noqa: F405
