"""Where the dbt executable is: beside the running Python (the venv's), else on PATH."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def dbt_executable() -> str:
    """The dbt next to the running Python, else the one on PATH; FileNotFoundError when neither."""
    beside_python = Path(sys.executable).with_name("dbt")
    if beside_python.exists():
        return str(beside_python)
    on_path = shutil.which("dbt")
    if on_path is None:
        raise FileNotFoundError("dbt is not installed next to this Python nor on PATH")
    return on_path
