"""The content model: documents, dates, slugs and front matter validation (pure, no I/O)."""
