"""Markdown bodies to HTML, with cross-links kept as placeholders until the graph resolves them."""
