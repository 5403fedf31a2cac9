"""The command list: every command is listed with its own help, and a command loads only
the modules it needs, so ``--help`` and ``extract`` start without the rest of the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperCommand, TyperGroup

from nex_automat.cli import COMMANDS, LazyCommands, app

ISDOC = "samples/isdoc/sample.isdoc"


def test_the_command_list_shows_each_command_with_the_help_its_module_gives_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, LazyCommands)
    context = typer.Context(group, info_name="nex-automat")
    group.get_help(context)
    listed = capsys.readouterr().out

    loaded = {name: group.get_command(context, name) for name in group.list_commands(context)}
    group.get_help(context)

    assert list(loaded) == list(COMMANDS)
    assert {type(command) for command in loaded.values()} == {TyperCommand, TyperGroup}
    assert "tenant" in listed
    assert capsys.readouterr().out == listed


def _modules_loaded_by(*args: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``nex-automat ARGS``."""
    script = (
        "import sys\n"
        "from nex_automat.cli import app\n"
        "try:\n"
        f"    app({list(args)!r})\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return set(completed.stderr.split())


def test_help_loads_no_command_module() -> None:
    modules = _modules_loaded_by("--help")

    assert not {module for module in modules if module.startswith("nex_automat.cli_")}
    assert "sqlalchemy" not in modules


@pytest.mark.parametrize("args", [["extract", "--json"], ["validate"]])
def test_reading_an_invoice_loads_no_database_web_or_service_code(
    args: list[str], shared_dir: Path
) -> None:
    modules = _modules_loaded_by(*args, str(shared_dir / ISDOC))

    assert "nex_automat.cli_extract" in modules
    assert not {"nex_automat.cli_service", "nex_automat.store", "sqlalchemy", "fastapi"} & modules
