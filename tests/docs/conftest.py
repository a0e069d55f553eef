"""Fixtures of the docs suite: the site that tools/docs/build_site.py built, and a real headless browser to load it.

The browser is Debian's Chromium (`make docs` installs it), driven by playwright: playwright reports a page's
console messages, uncaught errors and failed loads as events, and needs no driver binary matched to the browser
(selenium would need chromium-driver). Its own browser download is never used (executable_path).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / 'tests' / 'output' / 'docs' / 'html'
CHROMIUM = Path('/usr/bin/chromium')

sys.path.insert(0, str(ROOT / 'tools' / 'docs'))  # the site's build (build_site, markdown_rst) that the tests check


@pytest.fixture(scope='session')
def site() -> Path:
    """The built site's directory."""
    if not (SITE / 'index.html').is_file():
        pytest.fail(f'no documentation site at {SITE}: `make docs` builds it, then runs these tests')
    return SITE


@pytest.fixture(scope='session')
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole suite."""
    if not CHROMIUM.is_file():
        pytest.fail(f'no Chromium at {CHROMIUM}: `make docs` installs Debian\'s chromium package')
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture
def load(site: Path, browser: Browser) -> Iterator[Callable[[str], tuple[Page, list[str]]]]:
    """load(path): (the page of the site at ``path``, once loaded; the problems it reported while loading).

    A problem is a console error, an uncaught exception or a request that failed (a missing stylesheet, script
    or image of the site).
    """
    context = browser.new_context(viewport={'width': 1280, 'height': 900})

    def open_page(path: str) -> tuple[Page, list[str]]:
        page = context.new_page()
        problems: list[str] = []
        page.on('console', lambda message: problems.append(f'console: {message.text}')
                if message.type == 'error' else None)
        page.on('pageerror', lambda error: problems.append(f'uncaught: {error}'))
        page.on('requestfailed', lambda request: problems.append(f'failed: {request.url} ({request.failure})'))
        page.goto((site / path).as_uri(), wait_until='load')
        return page, problems

    yield open_page
    context.close()
