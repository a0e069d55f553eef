"""The Markdown pages become extra docs that antsibull-docs keeps: headings labelled with the collection's prefix,
links within the site as cross-references that Sphinx checks, and a link that would be broken refused."""

import pytest

from markdown_rst import LABEL_PREFIX, ConversionError, markdown_to_rst

PAGES = ('runbook', 'architecture')


def test_headings_are_labelled_with_the_collection_prefix_and_their_github_anchor():
    rst = markdown_to_rst('# Runbook\n\n## 3.6 The manual steps\n\nText.\n', 'runbook', PAGES)
    assert f'.. _{LABEL_PREFIX}runbook.runbook:\n' in rst
    assert f'.. _{LABEL_PREFIX}runbook.36-the-manual-steps:\n\n3.6 The manual steps\n' in rst


def test_links_within_the_site_become_cross_references():
    markdown = ('See [§3.6](#36-the-manual-steps), [the `Layout`](architecture.md#layout), '
                '[the design](./architecture.md) and [IBM](https://cloud.ibm.com/docs).\n')
    rst = markdown_to_rst(markdown, 'runbook', PAGES)
    assert f':ref:`§3.6 <{LABEL_PREFIX}runbook.36-the-manual-steps>`' in rst
    assert f':ref:`the Layout <{LABEL_PREFIX}architecture.layout>`' in rst
    assert ':doc:`the design <architecture>`' in rst
    assert '`IBM <https://cloud.ibm.com/docs>`__' in rst


def test_a_title_cannot_break_out_of_its_role():
    rst = markdown_to_rst('[a `<b>` c](#x)\n', 'runbook', PAGES)
    assert f':ref:`a \\<b> c <{LABEL_PREFIX}runbook.x>`' in rst


@pytest.mark.parametrize('url', ['../README.md', 'missing.md#x', 'dr-plan.yml'])
def test_a_relative_link_off_the_site_is_refused_naming_the_page_and_the_link(url):
    with pytest.raises(ConversionError, match=rf"docs/runbook\.md: the link to '{url}' leads nowhere"):
        markdown_to_rst(f'[there]({url})\n', 'runbook', PAGES)
