"""paperlog with the lowest versions pyproject.toml allows: Python and every dependency.

The test environment has the highest versions the ranges allow; this builds a second one
with the lowest (uv's `--resolution lowest-direct`: the lowest version of each dependency
that works with the others' lowest), on the lowest Python it can find (3.10 when the
machine has it: PAPERLOG_LOWEST_PYTHON, pyenv, or `python3.10` on the PATH; else this
Python, and the test says so). In it, it runs the checks of every private internal
(tests/test_compat.py), the layering rule, and the demo's strict build.

The environment is kept in PAPERLOG_PLATFORM_VENVS (default .platform-venvs/ in the
checkout) and made again when pyproject.toml changes. Without access to PyPI the test
skips, saying so; PAPERLOG_REQUIRE_PLATFORMS=1 (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

VENVS = Path(os.environ.get("PAPERLOG_PLATFORM_VENVS") or REPO / ".platform-venvs")
REQUIRED = os.environ.get("PAPERLOG_REQUIRE_PLATFORMS") == "1"
TESTS = ["tests/test_compat.py", "tests/test_layers.py", "tests/test_demo_site.py"]

pytestmark = pytest.mark.slow


def lowest_python() -> Path:
    """Python 3.10 (the floor of requires-python) when this machine has one, else this one."""
    found = [os.environ.get("PAPERLOG_LOWEST_PYTHON", "")]
    found += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10*/bin/python3.10")))
    found += [shutil.which("python3.10") or ""]
    for candidate in found:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return Path(sys.executable)


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def _fail_or_skip(message: str) -> None:
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def lowest() -> Path:
    """The Python of the environment with the lowest versions (made when missing or stale)."""
    python = lowest_python()
    version = _run([str(python), "-c", "import sys; print(sys.version.split()[0])"]).stdout.strip()
    home = VENVS / "lowest"
    venv_python = home / "bin" / "python"
    key = hashlib.sha256(
        f"{version}\n{(REPO / 'pyproject.toml').read_text('utf-8')}".encode()
    ).hexdigest()
    stamp = home / ".paperlog-key"
    if venv_python.exists() and stamp.is_file() and stamp.read_text() == key:
        return venv_python
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(uv).exists():
        _fail_or_skip("uv is not installed (it is in the test extras: pip install -e '.[test]')")
    shutil.rmtree(home, ignore_errors=True)
    requirements = VENVS / "lowest-requirements.txt"
    VENVS.mkdir(parents=True, exist_ok=True)
    steps = [
        [
            *[uv, "pip", "compile", str(REPO / "pyproject.toml"), "--extra", "test"],
            *["--resolution", "lowest-direct", "--python", str(python), "-q"],
            *["-o", str(requirements)],
        ],
        [uv, "venv", "-q", "--python", str(python), str(home)],
        [uv, "pip", "install", "-q", "--python", str(venv_python), "-r", str(requirements)],
        [uv, "pip", "install", "-q", "--python", str(venv_python), "--no-deps", "-e", str(REPO)],
    ]
    for args in steps:
        result = _run(args, timeout=900)
        if result.returncode != 0:
            _fail_or_skip(
                f"cannot make the lowest-versions environment (offline?): {' '.join(args[:3])}: {result.stderr.strip()[-800:]}"
            )
    stamp.write_text(key)
    return venv_python


def test_the_lowest_versions_pass_the_compat_layer_and_demo_tests(lowest: Path) -> None:
    python_version = _run([str(lowest), "--version"]).stdout.strip()
    if not python_version.startswith("Python 3.10"):
        print(f"no Python 3.10 on this machine: the lowest versions run on {python_version}")
    frozen = _run([str(lowest), "-m", "pip", "freeze"]).stdout
    if not frozen:
        frozen = (VENVS / "lowest-requirements.txt").read_text("utf-8")
    assert "mkdocs==1.6.0" in frozen and "jinja2==3.1.0" in frozen.lower()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    result = _run(
        [str(lowest), "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS],
        cwd=REPO,
        env=env,
        timeout=1800,
    )
    assert result.returncode == 0, (
        f"{python_version}\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    )
