#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The _decommission module: its documentation, examples and return values are in _decommission.yml beside this file."""


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
