"""Actor, location and confidence pages for Pelican, which has only tags and categories.

Documents list them in metadata lines (``Actors: a; b``, ``Locations: x``, ``Confidence: low``);
this plugin splits them, links ``About:`` slugs to their documents and writes a page per term
under ``/actors/``, ``/locations/`` and ``/confidence/`` plus an index of each.
"""

from collections import defaultdict

from pelican import signals
from pelican.utils import slugify

KINDS = ("actors", "locations", "confidence")


def _split(value):
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def _slug(generator, name):
    return slugify(name, regex_subs=generator.settings.get("SLUG_REGEX_SUBSTITUTIONS", []))


def prepare(generator):
    """Give every article its terms (name, url) and its ``about`` links."""
    by_slug = {article.slug: article for article in generator.articles}
    for article in generator.articles:
        article.terms = {kind: [(name, f"/{kind}/{_slug(generator, name)}/")
                                for name in _split(getattr(article, kind, ""))] for kind in KINDS}
        article.about_links = [by_slug[slug] for slug in _split(getattr(article, "about", ""))
                               if slug in by_slug]


def write(generator, writer):
    """Write the term pages and the index of each kind."""
    groups = {kind: defaultdict(list) for kind in KINDS}
    for article in generator.articles:
        for kind in KINDS:
            for name, url in article.terms[kind]:
                groups[kind][(name, url)].append(article)
    term, terms = generator.get_template("term"), generator.get_template("terms")
    for kind, found in groups.items():
        listed = sorted(found.items(), key=lambda item: item[0][0].lower())
        for (name, url), articles in listed:
            writer.write_file(f"{url.strip('/')}/index.html", term, generator.context.copy(),
                              kind=kind, term=name, term_articles=articles)
        writer.write_file(f"{kind}/index.html", terms, generator.context.copy(), kind=kind,
                          terms=[(name, url, len(articles)) for (name, url), articles in listed])


def register():
    signals.article_generator_finalized.connect(prepare)
    signals.article_writer_finalized.connect(write)
