"""The site graph: URLs, taxonomies, cross-links and backlinks, related documents, timeline."""
