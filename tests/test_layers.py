"""One-way layers: the pure core never imports I/O, Jinja or the outer layers, and never touches files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

#: The pure core: parse and model from strings; no files, clock, Jinja, server or outer layers.
CORE = ["errors.py", "yamltree.py", "config.py", "model", "markup", "graph", "tradecraft"]
CORE_PACKAGES = ("generator.errors", "generator.yamltree", "generator.config", "generator.model",
                 "generator.markup", "generator.graph", "generator.tradecraft")

FORBIDDEN_MODULES = ("jinja2", "markupsafe", "watchdog", "http.server", "socketserver", "socket", "subprocess",
                     "shutil", "tempfile", "sqlite3", "pickle", "multiprocessing", "concurrent", "urllib.request",
                     "glob", "io", "os", "time", "pathlib")
#: Calls that read or write files, or read the clock (``Path.read_text``, ``datetime.now``, ...).
FORBIDDEN_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "mkdir", "unlink", "rmdir",
                   "iterdir", "rglob", "glob", "listdir", "scandir", "now", "today", "utcnow", "perf_counter",
                   "monotonic"}
FORBIDDEN_ATTRIBUTE_OWNERS = {"os", "time"}


def core_files() -> list[Path]:
    files: list[Path] = []
    for entry in CORE:
        path = PACKAGE / entry
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (relative imports resolved), with its line."""
    return imports_in(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")


def imports_in(source: str, module_name: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module ``source`` (the text of module ``module_name``) imports, with its line."""
    tree = ast.parse(source)
    package = module_name if is_package else module_name.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and _call_name(node) in ("import_module", "__import__"):
            if node.args and isinstance(node.args[0], ast.Constant):
                found.append((node.lineno, str(node.args[0].value)))
    return found


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_forbidden_import(module: str) -> bool:
    if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN_MODULES):
        return True
    if module == "generator" or not module.startswith("generator."):
        return False
    return not any(module == ok or module.startswith(ok + ".") for ok in CORE_PACKAGES) and module != "generator.__version__"


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_imports_only_the_core_and_plain_libraries(path):
    bad = [f"{path.relative_to(PACKAGE)}:{line}: imports {module}"
           for line, module in imports_of(path) if _is_forbidden_import(module)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_does_not_touch_files_or_the_clock(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in FORBIDDEN_CALLS:
                owner = node.func.value if isinstance(node.func, ast.Attribute) else None
                bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: calls {ast.unparse(node.func)}()"
                           + (f" on {ast.unparse(owner)}" if owner is not None else ""))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in FORBIDDEN_ATTRIBUTE_OWNERS:
                bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: uses {ast.unparse(node)}")
        elif isinstance(node, ast.Name) and node.id in ("Path", "PurePath", "open"):
            bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: uses {node.id}")
    assert not bad, "\n".join(bad)


def test_the_core_list_is_not_empty_and_covers_every_core_package():
    names = {_module_name(p) for p in core_files()}
    for package in CORE_PACKAGES:
        assert any(n == package or n.startswith(package + ".") for n in names), package
    assert len(names) >= 15


def test_the_checker_catches_a_forbidden_import():
    sample = PACKAGE / "model" / "dates.py"
    assert not any(_is_forbidden_import(m) for _, m in imports_of(sample))
    assert _is_forbidden_import("jinja2")
    assert _is_forbidden_import("generator.render.env")
    assert _is_forbidden_import("generator.build")
    assert _is_forbidden_import("http.server")
    assert not _is_forbidden_import("generator.model.document")
    assert not _is_forbidden_import("generator")


def test_the_checker_resolves_relative_imports():
    found = [m for _, m in imports_in("from ..render import env\nfrom . import urls\n", "generator.graph.probe")]
    assert "generator.render" in found and "generator.render.env" in found
    assert "generator.graph" in found
    assert any(_is_forbidden_import(m) for m in found)
    found = [m for _, m in imports_in("import importlib\nimportlib.import_module('generator.serve')\n", "generator.x")]
    assert "generator.serve" in found
