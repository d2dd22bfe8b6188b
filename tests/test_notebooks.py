"""Every notebook in notebooks/ runs top to bottom on the analysed example workspace; none is committed
with outputs.

Each notebook gets its own copy of the workspace (a notebook may write to it: reviews, a retrained
model), runs with notebooks/ as its working folder, as a new analyst opening it in Jupyter would, and
with the Agg matplotlib backend. The kernel is this very interpreter (``sys.executable``), through a
kernel spec made for the test, so a clean clone's .venv is what runs, whatever kernels are installed.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "hearing-analysis-test"
CELL_TIMEOUT = 600  # seconds; the slowest cell loads the model and classifies


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory) -> Path:
    """A folder with one kernel spec that starts an IPython kernel on this interpreter."""
    base = tmp_path_factory.mktemp("kernels")
    spec = base / KERNEL
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "hearing-analysis (test)", "language": "python",
    }), encoding="utf-8")
    return base


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if ".ipynb_checkpoints" not in p.parts}


def test_the_analyst_notebooks_are_there():
    names = {p.name for p in NOTEBOOKS}
    assert {"01-utforsk-svarene.ipynb", "02-sammenlign-grupper.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, analysed_example, tmp_path, monkeypatch, kernel_dir):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    workspace = tmp_path / "ws"
    shutil.copytree(analysed_example, workspace)
    monkeypatch.setenv("HEARING_WORKSPACE", str(workspace))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # no personal profile or startup files
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.setenv(var, "1")

    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)]))
    before = _files(NOTEBOOK_DIR)
    client = nbclient.NotebookClient(nb, km=km, timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()  # raises CellExecutionError with the failing cell and its traceback

    executed = [c for c in nb.cells if c.cell_type == "code"]
    assert executed and all(c.execution_count for c in executed)
    errors = [o for c in executed for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert _files(NOTEBOOK_DIR) == before, "a notebook must write into the workspace, not into notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs: clear them before committing"
            assert cell.execution_count is None, f"cell {i} has an execution count: clear it before committing"
