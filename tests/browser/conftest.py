"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Never `playwright install`: the browser is the system's `/usr/bin/chromium` (apt-get install
chromium). Without it these tests skip with that reason; with CI=true they fail instead.
"""

import os
from pathlib import Path

import pytest

# Playwright's event loop and Django's ORM in live_server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)"
    for item in items:
        if "tests/browser" in str(item.fspath):
            if os.environ.get("CI") == "true":
                item.add_marker(pytest.mark.usefixtures("_browser_required"))  # errors: CI must run them
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _browser_required():
    pytest.fail(f"CI=true but no browser at {CHROMIUM}: apt-get install chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ (kept by CI as evidence)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def axe_check(page):
    """Run axe-core (bundled by axe-playwright-python, injected with evaluate: CSP allows it)."""
    from axe_playwright_python.sync_playwright import Axe

    def check():
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa"]})
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], serious

    return check
