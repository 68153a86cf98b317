"""Tradecraft checks: the estimative language of articles and notes (likelihood terms on the
site's scale, percentages that fit them, confidence kept apart from likelihood) and the basis
of a document's confidence. Pure: text and documents in, diagnostics out."""
