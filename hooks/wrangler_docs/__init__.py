"""wrangler-docs: documentation pages computed from a Worker's wrangler config."""

__version__ = "0.1.0"
