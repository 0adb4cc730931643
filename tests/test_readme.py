"""What the README promises about `make serve` is what the Makefile does."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_says_how_to_serve_on_another_port_and_address():
    readme = (ROOT / "README.md").read_text()
    assert "make serve PORT=8731" in readme
    assert "HOST=0.0.0.0" in readme


def test_make_serve_binds_the_port_and_host_given():
    # A dry run (-n): the commands make would run, none of them run.
    plan = subprocess.run(["make", "-n", "serve", "PORT=8731", "HOST=0.0.0.0"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"gunicorn .*--bind 0\.0\.0\.0:8731", plan)
    assert "Serving on http://0.0.0.0:8731/" in plan
