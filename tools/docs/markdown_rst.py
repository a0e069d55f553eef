"""Markdown pages of docs/ as extra docs of antsibull-docs, which takes RST only.

pandoc (bundled by pypandoc-binary) reads the GitHub-flavoured Markdown into its document tree; two rewrites make
the tree fit a collection docsite before pandoc writes it as RST:

* every heading's anchor (GitHub's, as Markdown links use them) becomes the label ``<prefix><page>.<anchor>``:
  antsibull-docs drops an extra doc with a label outside the collection's prefix;
* every link to a heading (``#anchor``, ``page.md#anchor``) or to a page (``page.md``) of the site becomes a
  ``:ref:`` or ``:doc:`` that Sphinx resolves (and reports when it does not). Any other relative link would be
  broken on the site, so it is refused naming the page and the link.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlsplit

import pypandoc

LABEL_PREFIX = 'ansible_collections.cloud_dr.ibm_direct_link.docsite.'

Node = Any  # a value of pandoc's JSON document tree: a dict with 't' (and 'c'), a list, or a scalar


class ConversionError(Exception):
    """A Markdown page that cannot become a page of the site as it is."""


def heading_label(page: str, anchor: str) -> str:
    """The RST label of the heading with the GitHub-style ``anchor`` on ``page``."""
    return f'{LABEL_PREFIX}{page}.{anchor}'


def markdown_to_rst(markdown: str, page: str, pages: Collection[str]) -> str:
    """``markdown``, the text of docs/<page>.md, as RST; ``pages`` are all the pages it may link to."""
    tree = json.loads(pypandoc.convert_text(markdown, 'json', format='gfm'))
    tree['blocks'] = _rewrite(tree['blocks'], lambda node: _for_docsite(node, page, pages))
    return pypandoc.convert_text(json.dumps(tree), 'rst', format='json')


def _rewrite(node: Node, change: Callable[[dict], dict]) -> Node:
    """``node`` with ``change`` applied to each element of the tree, innermost first."""
    if isinstance(node, list):
        return [_rewrite(item, change) for item in node]
    if isinstance(node, dict):
        return change({key: _rewrite(value, change) for key, value in node.items()})
    return node


def _for_docsite(node: dict, page: str, pages: Collection[str]) -> dict:
    """A heading with its label, a link within the site as a cross-reference, anything else as it is."""
    if node.get('t') == 'Header':
        level, (anchor, classes, attributes), text = node['c']
        return {'t': 'Header', 'c': [level, [heading_label(page, anchor), classes, attributes], text]}
    if node.get('t') == 'Link':
        _attributes, text, (url, _title) = node['c']
        role = _cross_reference(url, page, pages)
        if role:
            kind, target = role
            return {'t': 'RawInline', 'c': ['rst', f':{kind}:`{_escape(_plain_text(text))} <{target}>`']}
    return node


def _cross_reference(url: str, page: str, pages: Collection[str]) -> tuple[str, str] | None:
    """(role, target) for a link within the site, None for a link elsewhere (with a scheme, or protocol-relative)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path, anchor = parts.path, parts.fragment
    linked = page
    if path:
        linked = posixpath.normpath(path).removesuffix('.md')
        if not path.endswith('.md') or linked not in pages:
            raise ConversionError(f'docs/{page}.md: the link to {url!r} leads nowhere on the documentation site; '
                                  f'link to a heading (#anchor) or to one of its pages: '
                                  f'{", ".join(f"{name}.md" for name in sorted(pages))}')
    if anchor:
        return 'ref', heading_label(linked, anchor)
    return 'doc', linked


def _plain_text(node: Node) -> str:
    """The words of inline content, without their formatting."""
    if isinstance(node, list):
        return ''.join(_plain_text(item) for item in node)
    if not isinstance(node, dict):
        return ''
    kind, content = node['t'], node.get('c')
    if kind == 'Str':
        return content
    if kind == 'Code':
        return content[1]
    if kind in ('Space', 'SoftBreak', 'LineBreak'):
        return ' '
    return _plain_text(content)


def _escape(text: str) -> str:
    """``text`` safe as the title of an RST role."""
    return text.replace('\\', '\\\\').replace('`', '\\`').replace('<', '\\<')
