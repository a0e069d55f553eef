#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: _rehearsal_plan
short_description: Write a DR rehearsal's recovery plan as an extra-vars file that Ansible reads as data only
version_added: 0.1.0
description:
  - Internal to the C(cloud_dr.ibm_direct_link.rehearse) role (the leading underscore says so) - its options and results
    may change with the role; compose the public modules in your own playbooks.
  - Writes the recovery plan (the C(recover_*) variables) as YAML in which every string, key or value, that holds a
    template delimiter carries the C(!unsafe) tag, so that the rehearsed C(recover) and C(verify) runs that read it
    with C(-e @FILE) never evaluate a value as a template, whatever it holds; every other string is quoted as
    needed, so that it reads back as the same string (never a number or a boolean).
  - The C(cloud_dr.ibm_direct_link.rehearse) playbook uses it; it makes no API call.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  plan:
    description: The plan, variable name to value.
    type: dict
    required: true
  dest:
    description: The file to write (mode 0600); its directory is created (mode 0700) when missing.
    type: path
    required: true
attributes:
  check_mode:
    description: Says whether the file would change; writes nothing.
    support: full
  diff_mode:
    description: Shows the file's text before and after.
    support: full
"""

EXAMPLES = r"""
- name: Save the plan for the rehearsed runs
  cloud_dr.ibm_direct_link._rehearsal_plan:
    plan:
      recover_location_map: {dal10: dal12}
      recover_name_template: "{name}-dr"
    dest: /srv/dl-rehearsal/plan.yml
"""

RETURN = r"""
path:
  description: The plan file.
  returned: always
  type: str
"""

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
