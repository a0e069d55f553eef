#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: _decommission
short_description: Delete the backed-up Direct Link gateways a plan selects, once their replacements are verified
version_added: 0.1.0
description:
  - Internal to the C(cloud_dr.ibm_direct_link.decommission) role (the leading underscore says so) - its options and
    results may change with the role; compose the public modules in your own playbooks.
  - Deletes, after a recovery or at failback, exactly the gateways of the backup that O(selection) names (by name or
    location), and nothing else. Everything is checked first; any problem fails the run listing every problem, and
    nothing is deleted.
  - Never overridden - a gateway of another account (cross-account) is never deleted; the backup must be current (the
    live gateway the backup's id names, with the same configuration and virtual connections, and no field missing from
    the backup), so that the backup can recreate what is deleted; Transit Gateway connections are deleted from the
    Transit Gateway first.
  - Overridden only by C(decommission_force=true) - each gateway's replacement (its name and location by the recovery
    plan, the same remap as the recovery) exists, is another gateway, is provisioned and passes the recovery's drift
    check. What force let through is recorded in the report.
  - Deletes virtual connections first (waiting for pending ones to settle), waits until they are gone, then deletes the
    gateway (waiting for create_pending or configuring to end) and waits until it is gone; gateways are deleted
    concurrently.
  - Writes a report of what was deleted (C(decommission-report-TIMESTAMP.json), C(kind) decommission, schema_version 1
    in C(docs/schemas/decommission-report.schema.json), and the same as C(.md), mode 0600, never overwriting an
    earlier one) with each gateway's backup file and its sha256 from the manifest, so that it can be recreated.
    Nothing is deleted or written in check mode, and a run with nothing left to delete writes nothing.
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  selection:
    description:
      - The decommission keys of the plan, keyed like the role's variables - C(decommission_gateways) (gateway names
        of the backup), C(decommission_locations) (every gateway of the backup at these locations) and
        C(decommission_force) (true or false; the string C(true) of C(-e decommission_force=true) counts as true).
      - A gateway is selected when it is named or at a named location. A name or location that matches no gateway of
        the backup, a misspelled C(decommission_*) key among O(defined_keys) and a value of the wrong type are problems.
    type: dict
    default: {}
  wait_timeout:
    description: Seconds each wait may take (virtual connections settling or going, a gateway settling or going).
    type: int
    default: 1800
  report_dir:
    description: Where the report is written (created 0700 when missing).
    type: path
    required: true
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.recovery
  - cloud_dr.ibm_direct_link.auth
attributes:
  check_mode:
    description: Checks everything and returns what would be deleted; sends no mutating request and writes nothing.
    support: full
  diff_mode:
    description: Before is every gateway to delete with its virtual connections, after is none.
    support: full
"""

EXAMPLES = r"""
- name: What deleting two gateways of Dallas 10 would delete, before their replacements exist (check mode)
  cloud_dr.ibm_direct_link._decommission:
    backup_dir: /srv/dl-backup
    plan:
      recover_location_map: {dal10: dal12}
      recover_name_template: "{name}-dr"
    selection:
      decommission_gateways: [dal10-connect-primary, dal10-dedicated-macsec]
      decommission_force: true
    report_dir: /srv/dl-reports
  check_mode: true
  register: decommission
"""

RETURN = r"""
planned:
  description:
    - Every gateway deleted (or, in check mode, to delete) - C(name), C(host), C(id), C(type), C(location_name),
      C(crn), C(virtual_connections) (deleted first), C(replacement) (C(name), C(id), C(location_name),
      C(operational_status)), C(backup_file) (C(path), C(sha256) from the manifest) and C(forced_past).
    - After a real run each also has C(result) (C(deleted) or C(failed)) and C(error).
  returned: always
  type: list
  elements: dict
already_deleted:
  description: Names of selected gateways of the backup that the account no longer has (nothing to delete).
  returned: always
  type: list
  elements: str
table:
  description: The lines the role prints - each gateway deleted (or to delete) with its virtual connections, then those
    already deleted.
  returned: always
  type: list
  elements: str
summary:
  description:
    - The outcome in brief, what the decommission role publishes as C(cloud_dr_decommission) with
      C(ansible.builtin.set_stats).
    - C(status) is C(deleted), C(failed) (a deletion failed), C(refused) (nothing was deleted, see C(problems)),
      C(planned) (check mode) or C(nothing) (every selected gateway is already deleted); C(report) and C(report_json)
      are the report files (empty when none was written).
  returned: always
  type: dict
  sample:
    status: deleted
    gateways_planned: [dal10-connect-primary]
    gateways_deleted: [dal10-connect-primary]
    gateways_failed: []
    already_deleted: []
    forced_past: []
    problems: []
    report: /srv/dr/decommission-report-20250102T030405Z.md
    report_json: /srv/dr/decommission-report-20250102T030405Z.json
problems:
  description: Every problem that refused the run (empty when it was not refused), one line each.
  returned: always
  type: list
  elements: str
problem_records:
  description: The same problems as records - C(message), C(scope), C(host) and C(gateway) (as _recovery_plan returns them).
  returned: always
  type: list
  elements: dict
"""

import os

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import decommission, problems, recovery, report_files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import map_bounded
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule

LIVE_INCLUDE = ['virtual_connections', 'route_filters', 'as_prepends', 'macsec']


def refuse(module, found):
    """Fail listing every problem; nothing was deleted."""
    messages = [problem.message for problem in found]
    module.fail_json(msg=decommission.refusal_message(found), planned=[], already_deleted=[], table=[], problems=messages,
                     problem_records=[problem.as_dict() for problem in found],
                     summary=decommission.summary('refused', [], [], messages, ''))


def manifest_sha256(root):
    """The checksum of the backup's manifest as it is now (it holds every gateway file's checksum)."""
    text = files.read_inside(root, files.MANIFEST, files.MAX_FILE_BYTES)
    return files.sha256(text) if text is not None else None


def run(module):
    """Check everything, then delete the planned gateways concurrently and write the report."""
    params = module.params
    backup_dir = os.path.abspath(params['backup_dir'])
    started = decommission.now()
    plan, backup, _limited, load_problems = recovery.load(params)
    selection = decommission.Selection(params['selection'])
    found = problems.general(load_problems + selection.problems(params['defined_keys'], backup.gateways))
    if found:
        refuse(module, found)
    live = gather_gateways(module.connection, include=LIVE_INCLUDE, include_cross_account=True,
                           max_concurrency=params['max_concurrency'])
    candidates = decommission.assess(plan, backup, selection, live, Catalog(module.connection))
    found = decommission.blocking(candidates, selection.force)
    if found:
        refuse(module, found)
    plans = [decommission.planned(candidate, backup_dir) for candidate in candidates if candidate.live is not None]
    gone = [candidate.name for candidate in candidates if candidate.live is None]
    result = {'changed': bool(plans), 'problems': [], 'problem_records': [], 'already_deleted': gone}
    if module._diff:  # pylint: disable=protected-access
        result['diff'] = decommission.diff(plans)
    if module.check_mode or not plans:
        status = 'planned' if plans else 'nothing'
        return dict(result, planned=plans, table=decommission.table(plans, gone, module.check_mode),
                    summary=decommission.summary(status, plans, gone, [], ''))
    outcome = map_bounded(lambda item: decommission.delete(module.connection, item, params['wait_timeout']), plans,
                          params['max_concurrency'])
    report = decommission.document(backup_dir, manifest_sha256(backup_dir), outcome, selection.force, started)
    path = report_files.write_new(params['report_dir'], decommission.REPORT_STEM + started.replace('-', '').replace(':', ''),
                                  decommission.markdown(report), report)
    table = decommission.table(outcome, gone, False) + [f'Report: {path}']
    result.update(planned=outcome, table=table, summary=decommission.summary(report['status'], outcome, gone, [], path))
    if report['status'] == 'failed':
        module.fail_json(msg=f"{len(result['summary']['gateways_failed'])} gateway(s) not deleted: "
                         + ' | '.join(f"{item['name']}: {item['error']}" for item in outcome if item['error'])
                         + f' (report: {path})', **result)
    return result


def main():
    """Module entry point."""
    spec = recovery.argument_spec()
    spec.update(selection=dict(type='dict', default={}), wait_timeout=dict(type='int', default=1800),
                report_dir=dict(type='path', required=True))
    DirectLinkModule(argument_spec=spec).run(run)


if __name__ == '__main__':
    main()
