"""The Jinja environment: site templates, then the chosen theme, then the default theme."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import jinja2

from generator.errors import Diagnostic, error
from generator.sources import escaping_link

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def builtin_themes_dir() -> Path:
    """Where the bundled themes live: inside the installed package, or the repository's ``themes/``."""
    installed = PACKAGE_DIR / "themes"
    if (installed / "default" / "templates").is_dir():
        return installed
    return PACKAGE_DIR.parent / "themes"


def theme_exists(site_dir: Path, theme: str) -> bool:
    """True when ``theme`` names a folder under the site's ``themes/`` or a bundled theme."""
    return _site_folder(site_dir, "themes", theme) is not None or (builtin_themes_dir() / theme).is_dir()


def _site_folder(site_dir: Path, *parts: str) -> Path | None:
    """``site_dir/parts`` when it is a folder that no symbolic link takes outside the site."""
    folder = site_dir.joinpath(*parts)
    return folder if folder.is_dir() and escaping_link(folder, site_dir) is None else None


def theme_dirs(site_dir: Path, theme: str) -> list[Path]:
    """Theme folders in lookup order: the site's ``themes/<name>``, a bundled one, the default."""
    found: list[Path] = []
    for candidate in (_site_folder(site_dir, "themes", theme), builtin_themes_dir() / theme):
        if candidate is not None and candidate.is_dir():
            found.append(candidate)
            break
    default = builtin_themes_dir() / "default"
    if default not in found:
        found.append(default)
    return found


def template_dirs(site_dir: Path, theme: str) -> list[Path]:
    """Template folders in lookup order (the site's ``templates/`` first)."""
    templates = _site_folder(site_dir, "templates")
    dirs = [templates] if templates is not None else []
    return dirs + [d / "templates" for d in theme_dirs(site_dir, theme) if (d / "templates").is_dir()]


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment, with ``value.key`` on a plain dict looked up as a key directly.

    Jinja tries an attribute first and falls back to the key; template values are mostly
    dicts, and the failed attribute lookup was a tenth of the time spent rendering a page.
    A plain dict's only attributes are its methods, so for any other name the result is the
    one Jinja would give.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` in a template."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class _BoundedLoader(jinja2.FileSystemLoader):
    """Templates from a folder, never through a symbolic link that leads outside ``boundary``
    (the site folder; a bundled theme's own folder): such a template is not found here."""

    def __init__(self, folder: str, boundary: str):
        super().__init__(folder)
        self.boundary = boundary.rstrip(os.sep) + os.sep

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """The template's source, if its real path lies inside the boundary."""
        source, filename, uptodate = super().get_source(environment, template)
        if not os.path.realpath(filename).startswith(self.boundary):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def make_environment(site_dir: Path, theme: str, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """A strict, autoescaping environment over the site's, the theme's and the default templates."""
    site_real = os.path.realpath(site_dir)
    loaders: list[jinja2.BaseLoader] = [
        _BoundedLoader(str(d), site_real if d.is_relative_to(site_dir) else os.path.realpath(d))
        for d in template_dirs(site_dir, theme)]
    # "default/base.html" always reaches the default theme, so an override can extend it.
    loaders.append(jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(builtin_themes_dir() / "default" / "templates"))}))
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(bytecode_dir),
    )
    return env


_REFERENCE = re.compile(r"{%-?\s*(?:extends|include|import|from)\s+([^\s%]+)")
_CACHED = re.compile(r"""\bcached(?:_each)?\(\s*(["'])([^"']+)\1""")
_LITERAL = re.compile(r"""^(["'])([^"']+)\1$""")


def template_closure(env: jinja2.Environment, name: str, seen: set[str] | None = None) -> set[str]:
    """A template and every template it extends, includes or imports (recursively).

    References are found with a scan of the tags rather than a full parse (parsing every
    template again on each build is slow); a reference that is not a plain string makes the
    closure every template there is, which is always correct.
    """
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    try:
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except (jinja2.TemplateError, OSError):
        return seen
    for match in _REFERENCE.finditer(source):
        literal = _LITERAL.match(match.group(1))
        if literal is None:
            seen.update(env.list_templates())
            return seen
        template_closure(env, literal.group(2), seen)
    for match in _CACHED.finditer(source):
        template_closure(env, match.group(2), seen)
    return seen


def closure_fingerprint(env: jinja2.Environment, name: str) -> str:
    """A hash of the sources of a template's whole closure (an input of every page using it)."""
    digest = hashlib.sha256()
    for ref in sorted(template_closure(env, name)):
        try:
            source, filename, _ = env.loader.get_source(env, ref)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            source, filename = "", "missing"
        digest.update(f"{ref}\0{filename}\0{source}\0".encode())
    return digest.hexdigest()[:16]


def template_diagnostic(exc: Exception, template: str) -> Diagnostic:
    """A template error as ``file:line: template: message`` (the template's own file and line)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return error(exc.filename or exc.name or template, exc.lineno or 0, "template", exc.message or str(exc))
    tb = exc.__traceback__
    where, line = template, 0
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename and code.co_filename.endswith((".html", ".xml", ".txt", ".json")):
            where = code.co_filename
            template_obj = tb.tb_frame.f_globals.get("__jinja_template__")
            line = template_obj.get_corresponding_lineno(tb.tb_lineno) if template_obj else tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, jinja2.UndefinedError):
        message = f"{exc.message} (undefined variable)"
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = f"template {exc.name!r} not found"
    else:
        message = f"{type(exc).__name__}: {exc}"
    return error(where, line, "template", message)


def bundled_list_macros(env: jinja2.Environment) -> bool:
    """Whether the site's list macros (``partials/macros.html``) are the default theme's own."""
    try:
        _, filename, _ = env.loader.get_source(env, "partials/macros.html")  # type: ignore[union-attr]
    except (jinja2.TemplateError, OSError):
        return False
    bundled = builtin_themes_dir() / "default" / "templates" / "partials" / "macros.html"
    return filename is not None and Path(filename).resolve() == bundled.resolve()


#: Compiled templates of this process, by Jinja's bucket key (the template's name and file):
#: every environment of the process is made alike (``make_environment``), and Jinja itself
#: checks a bucket's checksum of the template's source before using its code, so an edited
#: template is compiled again, never served stale. One entry per template file seen.
_COMPILED: dict[str, bytes] = {}


class _ProcessBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, in front of the site's folder cache
    (if any): a second builder in one process (a test, ``serve`` after a theme change) does not
    compile the same templates again; compiling is most of a small site's build."""

    def __init__(self, behind: jinja2.BytecodeCache | None) -> None:
        self.behind = behind

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` from this process's copy, else from the folder cache."""
        data = _COMPILED.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # left empty when the source's checksum differs
        if bucket.code is None and self.behind is not None:
            self.behind.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a freshly compiled template here and in the folder cache."""
        _COMPILED[bucket.key] = bucket.bytecode_to_string()
        if self.behind is not None:
            self.behind.dump_bytecode(bucket)


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache:
    behind: jinja2.BytecodeCache | None = None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            behind = jinja2.FileSystemBytecodeCache(str(folder))
        except OSError:
            behind = None
    return _ProcessBytecodeCache(behind)
