"""``briefing serve``: build, watch, rebuild on change and reload the browser."""

from generator.serve.preview import Preview

__all__ = ["Preview"]
