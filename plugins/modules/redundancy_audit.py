#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: redundancy_audit
short_description: Audit the redundancy of Direct Link gateways - diversity levels, single points of failure, fixes
version_added: 0.1.0
description:
  - Groups the account's gateways into protected paths - gateways with the same customer BGP ASN that reach the same
    networks (VPC CRNs, the classic infrastructure, transit gateways) - and rates each path's diversity level, after
    IBM's models for diversity and redundancy in Direct Link - C(single_gateway), C(same_xcr),
    C(separate_xcrs_same_pop), C(separate_pops_same_market), C(separate_markets). The market of a location is the
    catalog's C(market) (dal10, dal12 and dal13 are the Dallas market); a connect gateway's attachment is its provider
    port (IBM does not publish the XCR a port lands on), and the providers are counted.
  - Checks that the redundancy is real - every network the preferred gateway reaches is reached by the others, their
    speed can carry its traffic, their route filters do not drop what it carries, the AS prepends say which path wins
    in each direction (a prepend of 3 or more makes a path the less preferred one; equal paths are ECMP, which alone is
    not redundancy), BFD is on every gateway or none, the MACsec policy is the same, global routing where a network is
    in another region, and every gateway is provisioned.
  - Every finding has a severity - C(spof) (one failure cuts a network off), C(gap) (the backup path cannot take over
    as it is), C(warning) - and a fix naming what to order where, from the catalog (for example C(order a second
    gateway on xcr02.dal10) or C(add a standby in dal12)).
  - Reads the live account (the gateways with their virtual connections, route filters, AS prepends and MACsec, and
    the catalog), or with O(backup_dir) a backup and its catalog snapshot, read as untrusted data and checked like a
    recovery checks it, with no credentials and no request.
  - Writes the report as Markdown and JSON (O(report_path)), both mode 0600 in a 0700 directory, atomically; the JSON
    document is described by C(docs/schemas/audit-report.schema.json) (C(schema_version) 1).
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  backup_dir:
    description:
      - Audit this backup directory instead of the live account; no credentials are needed then.
      - Read as data, never as an inventory - its layout, manifest checksums and every gateway's fields are checked,
        and the catalog snapshot (C(.catalog/)) is used when it has one (without it, markets come from the location
        names and the fixes name no router, port or location).
    type: path
  report_path:
    description:
      - Where to write the Markdown report (for example C(/srv/dl-audit/audit-report.md)); the JSON report is written
        beside it (C(audit-report.json)). Not written when omitted, nor in check mode.
    type: path
  fail_on:
    description:
      - Fail (after writing the report) when a finding of this severity or a worse one is found - C(spof), C(gap)
        (or a C(spof)), C(warning) (any finding). C(never) only reports.
    type: str
    choices: [never, spof, gap, warning]
    default: never
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.concurrency
attributes:
  check_mode:
    description: Reads and rates everything and writes no file.
    support: full
  diff_mode:
    description: Shows the Markdown report's changes.
    support: full
notes:
  - It never changes the account; it writes only the two report files.
"""

EXAMPLES = r"""
- name: Audit the live account and write the report
  cloud_dr.ibm_direct_link.redundancy_audit:
    report_path: /srv/dl-audit/audit-report.md
  register: audit

- name: Audit a backup (no credentials needed, no request sent)
  cloud_dr.ibm_direct_link.redundancy_audit:
    backup_dir: /srv/dl-backup
    report_path: /srv/dl-audit/audit-report.md
  register: audit

- name: The single points of failure, each with its fix
  ansible.builtin.debug:
    msg: "{{ audit.summary.single_points_of_failure | map(attribute='fix') | list }}"
"""

RETURN = r"""
report:
  description:
    - The report document (C(docs/schemas/audit-report.schema.json)) - C(status) (the worst severity found, or
      C(clean)), C(source), C(summary), and per protected path its C(level), C(gateways) (placement, speed, BFD,
      MACsec, prepend lengths, networks), C(networks), C(preferred) gateways per direction, C(ecmp) and C(findings)
      (C(severity), C(check), C(gateways), C(message), C(fix)).
  returned: always
  type: dict
summary:
  description:
    - What the audit playbook publishes with set_stats (C(cloud_dr_audit)) - C(status), the counts of paths, gateways,
      findings by severity and paths by level, C(single_points_of_failure) (C(path), C(message), C(fix)), and the
      report files C(report) and C(report_json) (empty when none was written).
  returned: always
  type: dict
table:
  description: A short fixed-width table for the terminal, one line per protected path.
  returned: always
  type: list
  elements: str
breaches:
  description: The findings at or above O(fail_on), one line each with its fix (empty with C(never)).
  returned: always
  type: list
  elements: str
"""

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
