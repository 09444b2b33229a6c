"""Platform connectors: HTTP clients for the four platforms' read-only APIs, returning plain dataclasses."""
