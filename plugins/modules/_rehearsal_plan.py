#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The _rehearsal_plan module: its documentation, examples and return values are in _rehearsal_plan.yml beside this file."""


import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files

HEADER = ('---\n# Written by cloud_dr.ibm_direct_link (rehearse): the rehearsed plan. Every string that could be a '
          'template is !unsafe: read as data, never templated.\n')


def plan_document(plan):
    """The text of the plan file.

    Only strings with template delimiters are tagged ``!unsafe`` (as in a backup file): Ansible 2.19 loads any
    ``!unsafe`` scalar with implicit types, so a tagged ``'1000'`` would come back as an integer.
    """
    return HEADER + files.dump(plan)


def main():
    """Module entry point."""
    module = AnsibleModule(
        argument_spec=dict(
            plan=dict(type='dict', required=True),
            dest=dict(type='path', required=True),
        ),
        supports_check_mode=True,
    )
    if files.yaml is None:
        module.fail_json(msg=f'rehearsal_plan needs PyYAML: {files.YAML_IMPORT_ERROR}')
    dest = module.params['dest']
    text = plan_document(module.params['plan'])
    before = files.read_text(dest)
    changed = before != text
    if changed and not module.check_mode:
        os.makedirs(os.path.dirname(dest), mode=0o700, exist_ok=True)
        os.replace(files.stage(dest, text), dest)
    result = {'changed': changed, 'path': dest}
    if module._diff:  # pylint: disable=protected-access
        result['diff'] = {'before': before or '', 'after': text, 'before_header': dest, 'after_header': dest}
    module.exit_json(**result)


if __name__ == '__main__':
    main()
