"""Page signatures are digests of their views, equal in every process: a second `briefing build`
in a new process renders what an edit changed, not every page again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, copy_example_site

#: Builds the site as `briefing build` does and prints how many outputs it rendered.
_BUILD = """
import json, sys
from pathlib import Path
from generator.build import Builder
result = Builder(Path(sys.argv[1]), Path(sys.argv[2]), one_shot=True).build()
print(json.dumps({"ok": result.ok, "rendered": result.rendered}))
"""


def _build(site: Path, output: Path, hash_seed: str) -> dict:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", _BUILD, str(site), str(output)], env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_new_process_with_other_string_hashes_renders_only_what_an_edit_changed(tmp_path: Path) -> None:
    site = copy_example_site(tmp_path / "site")
    output = tmp_path / "out"
    first = _build(site, output, "1")
    assert first["ok"] and first["rendered"] > 30
    article = sorted((site / "content" / "articles").glob("*.md"))[0]

    _append(article, "\n\nA sentence added in a first edit.\n")
    same_seed = _build(site, output, "1")
    _append(article, "\n\nA sentence added in a second edit.\n")
    other_seed = _build(site, output, "2")

    assert same_seed["ok"] and other_seed["ok"]
    # The same edit renders the same pages whatever the process's string hashes are ...
    assert other_seed["rendered"] == same_seed["rendered"]
    # ... and far fewer than all of them (the page, its lists and data files).
    assert other_seed["rendered"] < first["rendered"] // 3


def test_equal_views_digest_alike_whichever_of_their_values_are_the_same_object() -> None:
    # A view made in this process shares its keys and texts with the code's literals; one
    # carried from another process (unpickled) holds equal but separate objects.
    import pickle

    from generator.render.digest import SharedView, view_digest

    made = {"title": "Alpha", "cards": [{"title": "Alpha", "type": "article"} for _ in range(3)]}
    carried = pickle.loads(pickle.dumps(made))
    apart = {"".join(["ti", "tle"]): "".join(["Al", "pha"]),
             "cards": [{"".join(["ti", "tle"]): "Alpha", "type": "".join(["arti", "cle"])} for _ in range(3)]}
    assert view_digest(made) == view_digest(carried) == view_digest(apart)
    assert view_digest(made) != view_digest({**made, "title": "Beta"})
    card = SharedView(title="Alpha")
    assert view_digest({"a": card, "b": card}) == view_digest({"a": card, "b": SharedView(title="Alpha")})
