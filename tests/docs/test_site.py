"""The documentation site that `make docs` builds: its index, every public module page and the runbook render in
a real browser without console errors, and every internal link of every page leads to a file and anchor that
exist."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from build_site import EXTRA_DOCS_INDEX, extra_pages

ROOT = Path(__file__).resolve().parents[2]
COLLECTION = 'cloud_dr.ibm_direct_link'
GUIDES = extra_pages(ROOT / EXTRA_DOCS_INDEX)
SCREENSHOT = ROOT / 'tests' / 'output' / 'docs-index.png'
PUBLIC_MODULES = sorted(path.stem for path in (ROOT / 'plugins' / 'modules').glob('*.py')
                        if not path.name.startswith('_'))


def markdown_title(name: str) -> str:
    """The title (first level-one heading) of docs/<name>.md."""
    lines = (ROOT / 'docs' / f'{name}.md').read_text(encoding='utf-8').splitlines()
    return next(line[2:].strip() for line in lines if line.startswith('# '))


def assert_renders(load, path: str, title: str):
    """Load ``path``; it shows ``title`` as its heading (then the permalink sign) and in the window title, and
    reports no problem."""
    page, problems = load(path)
    heading = page.locator('h1').first.inner_text()
    assert heading.startswith(title), heading
    assert page.title().startswith(title), page.title()
    assert problems == [], f'{path}: {problems}'
    return page


def test_the_index_renders_links_every_page_and_is_kept_as_a_screenshot(load):
    page = assert_renders(load, 'index.html', COLLECTION.title())  # antsibull-docs titles the index so
    for name in PUBLIC_MODULES:
        assert page.get_by_role('link', name=f'{name} module', exact=True).count() == 1, name
    for name in GUIDES:
        assert page.get_by_role('link', name=markdown_title(name), exact=True).count() >= 1, name
    page.screenshot(path=str(SCREENSHOT), full_page=True)


@pytest.mark.parametrize('name', PUBLIC_MODULES)
def test_every_public_module_page_renders(load, name):
    assert_renders(load, f'{name}_module.html', f'{COLLECTION}.{name} module')


@pytest.mark.parametrize('name', GUIDES)
def test_the_guides_render_from_their_markdown(load, name):
    assert_renders(load, f'docsite/{name}.html', markdown_title(name))


class _Anchors(HTMLParser):
    """The anchors an HTML page defines (``id`` and ``<a name>``) and the internal links it holds."""

    def __init__(self):
        super().__init__()
        self.anchors: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.anchors.update(attributes[key] for key in ('id', 'name') if attributes.get(key) and
                            (key == 'id' or tag == 'a'))
        for key in ('href', 'src'):
            target = attributes.get(key)
            if target is not None and _internal(target):
                self.links.append(target)


def _internal(target: str) -> bool:
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)


def _parse(page: Path) -> _Anchors:
    parsed = _Anchors()
    parsed.feed(page.read_text(encoding='utf-8'))
    return parsed


def test_every_internal_link_of_every_page_resolves(site):
    pages = {page: _parse(page) for page in site.rglob('*.html')}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(site) or not target.is_file():
                broken.append(f'{page.relative_to(site)}: {link} (no such file)')
            elif parts.fragment and target.suffix == '.html' and unquote(parts.fragment) not in \
                    (pages.get(target) or _parse(target)).anchors:
                broken.append(f'{page.relative_to(site)}: {link} (no such anchor)')
    assert len(pages) > len(PUBLIC_MODULES)
    assert broken == [], '\n'.join(broken)
