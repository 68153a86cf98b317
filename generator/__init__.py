"""briefing: a static site generator for analysts (import name ``generator``)."""

__version__ = "0.1.0"
