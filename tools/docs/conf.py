"""Sphinx configuration of the documentation site (`make docs`: tools/docs/build_site.py passes this directory as -c).

Like the configuration that ``antsibull-docs sphinx-init`` writes, without intersphinx (the build runs offline):
the few labels of the Ansible docsite that the generated pages refer to are linked by ``resolve_ansible_label``.
"""

from docutils import nodes

project = 'cloud_dr.ibm_direct_link'
copyright = 'cloud_dr.ibm_direct_link maintainers'
html_title = html_short_title = 'cloud_dr.ibm_direct_link documentation'

extensions = ['sphinx_antsibull_ext']
pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'
default_role = 'any'
nitpicky = True

html_theme = 'sphinx_ansible_theme'
html_theme_options = {
    'show_extranav': False,
    'topbar_links': {},
}
html_show_sphinx = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

ANSIBLE_DOCSITE = 'https://docs.ansible.com/projects/ansible/devel/'
ANSIBLE_LABELS = {
    'ansible_configuration_settings': 'reference_appendices/config.html',
    'common_return_values': 'reference_appendices/common_return_values.html',
    'action_plugins': 'plugins/action.html',
}


def resolve_ansible_label(app, env, node, contnode):
    """A link to the Ansible docsite for a ``:ref:`` to one of ANSIBLE_LABELS; any other stays unresolved."""
    target = node.get('reftarget')
    if node.get('reftype') != 'ref' or target not in ANSIBLE_LABELS:
        return None
    return nodes.reference('', '', contnode, internal=False, refuri=ANSIBLE_DOCSITE + ANSIBLE_LABELS[target])


def link_logo_home(app, pagename, templatename, context, doctree):
    """Point the theme's logo (a fixed ``documentation_home_url``) at this site's index, relative to each page."""
    context['theme_documentation_home_url'] = context['pathto'](app.config.root_doc)


def setup(app):
    app.connect('missing-reference', resolve_ansible_label)
    app.connect('html-page-context', link_logo_home)
