"""`make docs`: the collection's HTML documentation site, built with antsibull-docs and Sphinx.

1. A staging copy of the collection under tests/output/docs/collections: symbolic links to what antsibull-docs
   reads (galaxy.yml, meta/, plugins/, roles/, docs/docsite/extra-docs.yml) and the extra docs that
   docs/docsite/extra-docs.yml lists, converted from docs/<page>.md to docs/docsite/rst/<page>.rst. The work tree
   gets no generated file, and the Markdown stays the only source of those pages.
2. antsibull-docs writes the RST of the collection's index, every module and role page and the extra docs to
   tests/output/docs/rst; any documentation error fails it (--fail-on-error).
3. Sphinx turns that into the site, tests/output/docs/html, with tools/docs/conf.py; any warning fails it (-W).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from markdown_rst import ConversionError, markdown_to_rst

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / 'tests' / 'output' / 'docs'
STAGING = OUTPUT / 'collections'
RST = OUTPUT / 'rst'
HTML = OUTPUT / 'html'
CONFIG = ROOT / 'tools' / 'docs'
BIN = Path(sys.executable).parent  # the virtualenv's tools: antsibull-docs, sphinx-build, the ansible it runs
COLLECTION = 'cloud_dr.ibm_direct_link'
EXTRA_DOCS_INDEX = Path('docs', 'docsite', 'extra-docs.yml')
READ_BY_ANTSIBULL_DOCS = (Path('galaxy.yml'), Path('meta'), Path('plugins'), Path('roles'), EXTRA_DOCS_INDEX)


def extra_pages(index: Path) -> list[str]:
    """The pages that the extra docs index lists, in its order (a toctree entry is a name or has a ``ref``)."""
    try:
        sections = yaml.safe_load(index.read_text(encoding='utf-8'))['sections']
        entries = [entry for section in sections for entry in section['toctree']]
        return [entry if isinstance(entry, str) else entry['ref'] for entry in entries]
    except (yaml.YAMLError, KeyError, TypeError) as error:
        raise ConversionError(f'{EXTRA_DOCS_INDEX}: not a list of sections with a toctree each ({error!r})') from error


def guide(page: str) -> str:
    """The Markdown of docs/<page>.md, a page that the extra docs index lists."""
    source = ROOT / 'docs' / f'{page}.md'
    if not source.is_file():
        raise ConversionError(f'{EXTRA_DOCS_INDEX} lists {page!r}, but there is no docs/{page}.md')
    return source.read_text(encoding='utf-8')


def stage_collection() -> None:
    """Lay out the staging copy of the collection that antsibull-docs documents."""
    collection = STAGING.joinpath('ansible_collections', *COLLECTION.split('.'))
    extra_docs = collection / 'docs' / 'docsite' / 'rst'
    extra_docs.mkdir(parents=True)
    for path in READ_BY_ANTSIBULL_DOCS:
        (collection / path).symlink_to(ROOT / path)
    pages = extra_pages(ROOT / EXTRA_DOCS_INDEX)
    for page in pages:
        (extra_docs / f'{page}.rst').write_text(markdown_to_rst(guide(page), page, pages), encoding='utf-8')


def run(*command: str | Path, **environment: str) -> None:
    """Run ``command`` with the virtualenv's tools first on PATH; a failure ends the build (its messages say why)."""
    path = os.pathsep.join((str(BIN), os.environ.get('PATH', os.defpath)))
    result = subprocess.run([str(part) for part in command], env=dict(os.environ, PATH=path, **environment),
                            check=False)
    if result.returncode:
        sys.exit(f'make docs: {Path(command[0]).name} failed (exit {result.returncode}); see its messages above')


def build() -> None:
    """Build the site from nothing: stage, write the RST, then the HTML."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    stage_collection()
    RST.mkdir(mode=0o755)  # antsibull-docs refuses an output directory that others can write to
    run('antsibull-docs', 'collection', '--use-current', '--squash-hierarchy', '--fail-on-error',
        '--no-add-antsibull-docs-version', '--dest-dir', RST, COLLECTION, ANSIBLE_COLLECTIONS_PATH=str(STAGING))
    run('sphinx-build', '-b', 'html', '-W', '--keep-going', '-q', '-c', CONFIG, '-d', OUTPUT / 'doctrees', RST, HTML)


def main() -> None:
    started = time.monotonic()
    try:
        build()
    except ConversionError as error:
        sys.exit(f'make docs: {error}')
    print(f'make docs: {HTML / "index.html"} built in {time.monotonic() - started:.1f} s')


if __name__ == '__main__':
    main()
