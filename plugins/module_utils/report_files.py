# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A report written twice from one result document: Markdown for people, JSON for machines, side by side.

Every report document (recovery, verify, rehearsal, decommission) carries ``schema_version`` and ``kind``; its JSON Schema is
``docs/schemas/<kind>-report.schema.json`` in the collection. Both files are written atomically, mode 0600.
"""

import json
import os

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files

SCHEMA_VERSION = 1
MAX_SAME_STEM = 100  # reports written by write_new under one stem (one second of decommission runs)


def json_path(markdown_path):
    """The JSON report beside a Markdown report: ``x.md`` -> ``x.json``."""
    root, extension = os.path.splitext(markdown_path)
    return (root if extension == '.md' else markdown_path) + '.json'


def as_json(document):
    """The JSON text of a report document (stable key order, so that an unchanged result rewrites nothing)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + '\n'


def write(markdown_path, markdown, document):
    """Write the Markdown and the JSON report (creating their directory 0700); returns whether either changed."""
    directory = os.path.dirname(os.path.abspath(markdown_path))
    if not os.path.isdir(directory):
        backup_files.ensure_private_dir(directory)
    changed = False
    for path, text in ((markdown_path, markdown), (json_path(markdown_path), as_json(document))):
        if backup_files.read_text(path) != text:
            os.replace(backup_files.stage(os.path.abspath(path), text), path)
            changed = True
    return changed


def write_new(directory, stem, markdown, document):
    """Write the Markdown and the JSON report as ``STEM.md`` and ``STEM.json`` in ``directory`` (created 0700), under a
    name no earlier report has (``STEM-2`` and so on): a report of what happened once is never overwritten. Returns the
    Markdown report's path."""
    if not os.path.isdir(directory):
        backup_files.ensure_private_dir(directory)
    for number in range(1, MAX_SAME_STEM + 1):
        base = os.path.join(directory, stem if number == 1 else f'{stem}-{number}')
        try:
            _create(f'{base}.json', as_json(document))
        except FileExistsError:
            continue
        _create(f'{base}.md', markdown)
        return f'{base}.md'
    raise FileExistsError(f'{directory}: {MAX_SAME_STEM} reports named {stem} already')


def _create(path, text):
    """Write ``path`` atomically (mode 0600); FileExistsError rather than replace a file that exists."""
    temporary = backup_files.stage(os.path.abspath(path), text)
    try:
        os.link(temporary, path)
    finally:
        os.remove(temporary)
