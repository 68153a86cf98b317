"""Pelican's side of the benchmark: the same pages as a briefing site (make_corpus.py --flavor pelican)."""

AUTHOR = "Analyst"
SITENAME = "Benchmark briefing"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["taxonomies"]

ARTICLE_PATHS = ["articles", "notes"]
PAGE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
USE_FOLDER_AS_CATEGORY = False  # every document names its category: articles or notes

ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_SAVE_AS = ""
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "timeline/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "archives"]
DEFAULT_PAGINATION = False
RELATIVE_URLS = False

# No feeds, as in the other tools' benchmark sites.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},  # heading ids, for links to #assessment
    },
    "output_format": "html5",
}
