"""wrangler-docs: documentation pages computed from a Worker's wrangler config.

Every `mkdocs build` imports this package, so its import time is part of every build. Record
types are NamedTuples, and the few mutable ones are plain classes with `__slots__`, because
CPython 3.11 takes about 1 ms to create each dataclass.
"""

__version__ = "0.1.0"
