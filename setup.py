"""Packaging shim: ships the repository's `themes/` folder inside the package.

The default theme lives at `themes/default/` (the layout the design contract fixes); an
installed wheel carries it as `generator/themes/default/` so `briefing` works anywhere.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["generator", "generator.*"]) + ["generator.themes"],
    package_dir={"generator.themes": "themes"},
    package_data={
        "generator": ["scaffold/**/*", "scaffold/**/.*"],
        "generator.themes": ["**/*"],
    },
    include_package_data=True,
)
