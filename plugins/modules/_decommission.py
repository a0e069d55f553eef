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
  - Writes a report of what was deleted (C(decommission-report-TIMESTAMP.json), schema_version 1, and C(.md), mode
    0600, never overwriting an earlier one) with each gateway's backup file and its sha256 from the manifest, so that it
    can be recreated. Nothing is deleted or written in check mode, and a run with nothing left to delete writes nothing.
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
deleted:
  description: Names of the gateways deleted by this run.
  returned: always
  type: list
  elements: str
failed:
  description: Names of the gateways whose deletion failed (the report says why).
  returned: always
  type: list
  elements: str
already_deleted:
  description: Names of selected gateways of the backup that the account no longer has (nothing to delete).
  returned: always
  type: list
  elements: str
report:
  description: The report files written, C(json) and C(md) (empty when nothing was deleted, and in check mode).
  returned: always
  type: dict
summary:
  description: What the role prints - each gateway deleted (or to delete) with its virtual connections, those already
    deleted, and the report.
  returned: always
  type: list
  elements: str
problems:
  description: Every problem that refused the run (empty when it was not refused), one line each.
  returned: always
  type: list
  elements: str
problem_records:
  description: The same problems as records - C(message), C(scope), C(host) and C(gateway) (see _recovery_plan).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import backup_files as files
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import decommission, problems, recovery
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import map_bounded
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gather import gather_gateways
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule

LIVE_INCLUDE = ['virtual_connections', 'route_filters', 'as_prepends', 'macsec']
EMPTY = {'summary': [], 'planned': [], 'deleted': [], 'failed': [], 'already_deleted': [], 'report': {}, 'problems': [], 'problem_records': []}


def refuse(module, found):
    """Fail listing every problem; nothing was deleted."""
    module.fail_json(msg=decommission.refusal_message(found), **dict(
        EMPTY, problems=[p.message for p in found], problem_records=[p.as_dict() for p in found]))


def manifest_sha256(root):
    """The checksum of the backup's manifest as it is now (it names every gateway file's checksum)."""
    text = files.read_inside(root, files.MANIFEST, files.MAX_FILE_BYTES)
    return files.sha256(text) if text is not None else None


def run(module):
    """Check everything, then delete the planned gateways concurrently and write the report."""
    params = module.params
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
    plans = [decommission.planned(candidate, params['backup_dir']) for candidate in candidates if candidate.live is not None]
    result = dict(EMPTY, changed=bool(plans), planned=plans,
                  already_deleted=[candidate.name for candidate in candidates if candidate.live is None])
    if module._diff:  # pylint: disable=protected-access
        result['diff'] = decommission.diff(plans)
    if module.check_mode or not plans:
        return dict(result, summary=decommission.summary(plans, result['already_deleted'], module.check_mode, {}))
    outcome = map_bounded(lambda item: decommission.delete(module.connection, item, params['wait_timeout']), plans,
                          params['max_concurrency'])
    document = decommission.report(params['backup_dir'], manifest_sha256(params['backup_dir']), outcome, selection.force, started)
    result.update(planned=outcome, report=decommission.write_report(params['report_dir'], document),
                  deleted=[item['name'] for item in outcome if item['result'] == 'deleted'],
                  failed=[item['name'] for item in outcome if item['result'] == 'failed'])
    result['summary'] = decommission.summary(outcome, result['already_deleted'], False, result['report'])
    if result['failed']:
        module.fail_json(msg=f"{len(result['failed'])} gateway(s) not deleted: "
                         + ' | '.join(f"{item['name']}: {item['error']}" for item in outcome if item['error'])
                         + f" (report: {result['report']['md']})", **result)
    return result


def main():
    """Module entry point."""
    spec = recovery.argument_spec()
    spec.update(selection=dict(type='dict', default={}), wait_timeout=dict(type='int', default=1800),
                report_dir=dict(type='path', required=True))
    module = DirectLinkModule(argument_spec=spec, supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
