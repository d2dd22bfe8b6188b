"""The README stays true: every CLI command is documented, and the quick start is the Makefile's."""
import re
from pathlib import Path

import typer.main

from hearing_analysis.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=""):
    click_group = typer.main.get_group(group) if prefix == "" else group
    for name, cmd in click_group.commands.items():
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}"


def test_every_command_in_readme():
    for command in _commands(app):
        assert f"hearing {command}" in README, f"`hearing {command}` mangler i README"


def test_quick_start_commands_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in re.findall(r"^make (\w+)", README, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make test" in (ROOT / ".ci" / "run").read_text()
