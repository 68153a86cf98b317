"""Rendering: the Jinja environment, the views templates see, feeds and data files."""
