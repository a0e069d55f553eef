#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The redundancy_audit module: its documentation, examples and return values are in redundancy_audit.yml beside this file."""


import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files, gateway_fields, recovery, redundancy, report_files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import snapshot
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.normalize import crn_accounts
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.rehearsal import account_id

GATEWAY_SPEC = gateway_fields.argument_spec()


def checked_gateway(path, gateway):
    """A backed-up gateway with every field of the type the gateway shape gives it, or the problems naming them."""
    result = ArgumentSpecValidator(GATEWAY_SPEC).validate(gateway)
    if result.error_messages:
        return None, [f'{path}: gateway {gateway.get("name")!r}: {message}' for message in result.error_messages]
    return without_none(result.validated_parameters), []


def without_none(value):
    """The validated value without the options it does not set (the validator fills them with None)."""
    if isinstance(value, dict):
        return {key: without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_none(item) for item in value]
    return value


def from_backup(root):
    """The present gateways and the catalog of a backup, and its source; DirectLinkError listing every problem."""
    backup = recovery.read_backup(root)
    problems = list(backup.problems)
    gateways = []
    for host, section in sorted(backup.gateways.items()):
        if section.get('present', True):
            gateway, found = checked_gateway(backup_files.gateway_path(root, host), section['gateway'])
            problems += found
            gateways += [gateway] if gateway else []
    if problems:
        raise DirectLinkError(f"The backup cannot be audited: {' | '.join(problems)}")
    catalog = recovery.saved_catalog(root, backup.manifest)
    source = {'kind': 'backup', 'backup_dir': os.path.abspath(root), 'account_id': account_id(backup.manifest, backup.gateways)[0] or '',
              'catalog': 'snapshot' if catalog is not None else 'none'}
    return gateways, catalog, source


def from_account(module):
    """The account's own gateways with everything the audit rates, the live catalog, and the source."""
    params = module.params
    gateways = gather_gateways(module.connection, max_concurrency=params['max_concurrency'])
    catalog = snapshot(module.connection, params['max_concurrency'])
    accounts = crn_accounts((gateway['name'], gateway['read_only'].get('crn')) for gateway in gateways)
    source = {'kind': 'account', 'account_id': next(iter(accounts)) if len(accounts) == 1 else '', 'endpoint': params['endpoint'],
              'catalog': 'live'}
    return gateways, catalog, source


def inside(path, directory):
    """Whether ``path`` is ``directory`` or below it (symbolic links resolved)."""
    real, root = os.path.realpath(path), os.path.realpath(directory)
    return os.path.commonpath([real, root]) == root


def run(module):
    """Gather or read, rate, write the report; fail at O(fail_on)."""
    params = module.params
    gateways, catalog, source = from_backup(params['backup_dir']) if params['backup_dir'] else from_account(module)
    report = redundancy.audit(gateways, redundancy.catalog_view(catalog), source)
    markdown = redundancy.markdown(report)
    path = os.path.abspath(params['report_path']) if params['report_path'] else ''
    if path and params['backup_dir'] and inside(path, params['backup_dir']):
        raise DirectLinkError(f'report_path {path} is inside the backup directory {params["backup_dir"]}: the backup may hold '
                              'nothing else (Ansible would read the JSON report as an inventory source); write it elsewhere')
    before = backup_files.read_text(path) if path else None
    changed = bool(path) and (before != markdown or backup_files.read_text(report_files.json_path(path)) != report_files.as_json(report))
    if changed and not module.check_mode:
        report_files.write(path, markdown, report)
    written = path if path and not module.check_mode else ''
    result = {'changed': changed, 'report': report, 'summary': redundancy.summary(report, written), 'table': redundancy.table(report),
              'breaches': redundancy.breaches(report, params['fail_on'])}
    if module._diff and path:
        result['diff'] = {'before': before or '', 'after': markdown, 'before_header': path, 'after_header': path}
    if result['breaches']:
        module.fail_json(msg=f"{len(result['breaches'])} finding(s) at or above {params['fail_on']}: " + ' | '.join(result['breaches']), **result)
    return result


def main():
    """Module entry point."""
    DirectLinkModule(argument_spec=dict(
        backup_dir=dict(type='path'),
        report_path=dict(type='path'),
        fail_on=dict(type='str', choices=list(redundancy.FAIL_ON), default='never'),
    ), concurrent=True).run(run)


if __name__ == '__main__':
    main()
