"""Reading a site's settings (``briefing.yaml``) with the command line's overrides."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from generator.config import CONFIG_NAME, SiteConfig, parse_config
from generator.errors import Diagnostic, error
from generator.render.env import theme_exists
from generator.sources import escaping_link, link_warning, walk


def load_site_config(source: Path, *, base_url: str | None = None, audience: str | None = None,
                     fingerprint: bool | None = None) -> tuple[SiteConfig, list[Diagnostic]]:
    """The settings of the site in ``source`` with the options given (``base_url``, ``audience``,
    ``fingerprint``) over them, and what reading them found (an unknown theme, a template
    folder linked out of the site...)."""
    path = source / CONFIG_NAME
    if path.is_file():
        try:
            text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            return SiteConfig(), [error(CONFIG_NAME, 1, "config", "is not UTF-8 text")]
        config, diags = parse_config(text, CONFIG_NAME)
        if not any(d.field == "theme" for d in diags) and not theme_exists(source, config.theme):
            match = re.search(r"^theme\s*:", text, re.M)
            line = text.count("\n", 0, match.start()) + 1 if match else 1
            found = sorted(p.name for p in (source / "themes").glob("*") if p.is_dir())
            diags.append(error(CONFIG_NAME, line, "theme",
                               f"no theme {config.theme!r}; expected a folder themes/{config.theme}/ or one "
                               f"of the bundled themes: default{''.join(', ' + n for n in found)}"))
    else:
        config, diags = SiteConfig(), []
    theme = source / "themes" / config.theme
    for folder, templates in ((source / "templates", source / "templates"), (theme, theme / "templates")):
        outside = escaping_link(folder, source) if os.path.lexists(folder) else None
        if outside is not None:
            diags.append(link_warning(*outside, source))
        else:  # templates linked out of the site are not loaded (render/env.py): say which
            walked: list[Diagnostic] = []
            walk(templates, source, walked)
            diags.extend(d for d in walked if not d.is_error)  # only what a template load meets counts
    changes: dict[str, Any] = {}
    if base_url:
        changes["base_url"] = base_url
    if audience is not None:  # "": everything, whatever briefing.yaml says
        changes["audience"] = audience
    if fingerprint is not None:
        changes["fingerprint_assets"] = fingerprint
    return config.with_overrides(**changes), diags
