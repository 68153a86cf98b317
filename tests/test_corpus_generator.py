"""The project's own corpus generator (bench/make_corpus.py): deterministic, realistic, one corpus per flavor."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "bench" / "make_corpus.py"
WIKILINK = re.compile(r"\[\[([^\]|#]+)(#[^\]|]+)?(?:\|[^\]]+)?\]\]")


def _make(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), *args],
                          capture_output=True, text=True, timeout=120)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _documents(root: Path) -> dict[str, tuple[dict, str]]:
    docs = {}
    for path in sorted((root / "content").glob("*/*.md")):
        if path.parent.name in ("articles", "notes"):
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            docs[f"{path.parent.name}/{path.stem}"] = (yaml.safe_load(front), body)
    return docs


def test_same_arguments_give_byte_identical_corpora_and_another_seed_another(tmp_path: Path) -> None:
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert _make(tmp_path / name, "--docs", "40", "--seed", seed).returncode == 0
    first = _files(tmp_path / "a")
    assert len(first) > 40
    assert first == _files(tmp_path / "b")
    assert first != _files(tmp_path / "c")
    assert json.loads(first[".bench-corpus"]) == {"docs": 40, "seed": 7, "flavor": "briefing"}


def test_documents_have_the_front_matter_and_body_of_a_real_briefing(tmp_path: Path) -> None:
    assert _make(tmp_path, "--docs", "200").returncode == 0
    docs = _documents(tmp_path)
    assert len(docs) == 200
    notes = [key for key in docs if key.startswith("notes/")]
    assert 20 <= len(notes) <= 60  # about one in five
    slugs = {key.split("/")[1] for key in docs}
    with_events = 0
    for key, (front, body) in docs.items():
        assert {"title", "date", "summary", "location", "actors", "tags", "confidence", "source"} <= set(front), key
        assert front["confidence"] in ("low", "moderate", "high")
        if key.startswith("notes/"):
            assert front["about"] and set(front["about"]) <= slugs, key
        assert set(front.get("related", [])) <= slugs, key
        with_events += "events" in front
        assert 500 <= len(body.split()) <= 1000, key
        assert "\n## Assessment\n" in body and "\n- " in body and "\n1. " in body and "\n> " in body
        links = WIKILINK.findall(body)
        assert 2 <= len(links) <= 4, key
        assert {slug for slug, _ in links} <= slugs, key
    assert 5 <= with_events <= 40  # about one in ten
    assert any(isinstance(front["source"], dict) for front, _ in docs.values())
    assert any(isinstance(place, dict) and "lat" in place for front, _ in docs.values()
               for place in (front["location"] if isinstance(front["location"], list) else [front["location"]]))
    terms = [yaml.safe_load(p.read_text().split("---\n")[1]) for p in (tmp_path / "content" / "actors").glob("*.md")]
    assert terms and all(term["aliases"] for term in terms)


def test_peer_flavors_hold_the_same_documents_with_their_configuration(tmp_path: Path) -> None:
    for flavor in ("briefing", "hugo", "pelican"):
        assert _make(tmp_path / flavor, "--docs", "30", "--flavor", flavor).returncode == 0
    names = {flavor: sorted(p.relative_to(tmp_path / flavor / "content").as_posix()
                            for kind in ("articles", "notes") for p in (tmp_path / flavor / "content" / kind).glob("*.md"))
             for flavor in ("briefing", "hugo", "pelican")}
    assert names["briefing"] == names["hugo"] == names["pelican"]
    assert (tmp_path / "hugo" / "hugo.yaml").is_file() and (tmp_path / "hugo" / "layouts").is_dir()
    assert (tmp_path / "pelican" / "pelicanconf.py").is_file()
    assert (tmp_path / "pelican" / "plugins" / "taxonomies" / "__init__.py").is_file()
    one = names["hugo"][0]
    hugo_text = (tmp_path / "hugo" / "content" / one).read_text()
    pelican_text = (tmp_path / "pelican" / "content" / one).read_text()
    assert "[[" not in hugo_text and "relref" in hugo_text
    assert "[[" not in pelican_text and "{filename}/" in pelican_text
    title = _documents(tmp_path / "briefing")[one.removesuffix(".md")][0]["title"]
    assert f"title: {title}" in hugo_text and f"Title: {title}" in pelican_text


def test_refuses_a_folder_it_did_not_write_and_replaces_its_own_only_with_force(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    (mine / "thesis").mkdir(parents=True)
    (mine / "thesis" / "chapter1.tex").write_text("keep me")
    refused = _make(mine, "--docs", "5")
    assert refused.returncode != 0 and "was not written by this tool" in refused.stderr
    assert (mine / "thesis" / "chapter1.tex").read_text() == "keep me"

    corpus = tmp_path / "corpus"
    assert _make(corpus, "--docs", "5").returncode == 0
    again = _make(corpus, "--docs", "6")
    assert again.returncode != 0 and "--force" in again.stderr
    assert _make(corpus, "--docs", "6", "--force").returncode == 0
    assert len(_documents(corpus)) == 6
