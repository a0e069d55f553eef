#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateways module: its documentation, examples and return values are in gateways.yml beside this file."""


from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api, approvals, progress, transit_state
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.concurrency import map_bounded
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.errors import DirectLinkError
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_catalog import Catalog
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_fields import argument_spec as gateway_argument_spec
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_poller import GatewayListPoller
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.gateway_run import GatewayRun
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.module import DirectLinkModule

# Gateways awaited at once. Waiting threads hold no request slot (max_concurrency bounds the requests) and share one
# list request per poll round (GatewayListPoller); this only bounds the threads of one invocation.
MAX_GATEWAYS_AT_ONCE = 1000


def desired_items(items):
    """Each item validated against the ``gateway`` module's options: a list of (validated item, its problems)."""
    validator = ArgumentSpecValidator(gateway_argument_spec())
    checked, seen = [], set()
    for item in items:
        result = validator.validate(item)
        problems = list(result.error_messages)
        name = item.get('name')
        if not name:
            problems.append('name is required')
        elif name in seen:
            problems.append('the name appears more than once')
        seen.add(name)
        checked.append((result.validated_parameters, problems))
    return checked


def outcome(run, api_gateway):
    """One gateway's (result, diff); a failure is recorded, not raised, so that the others go on."""
    label = run.label(api_gateway)
    try:
        result = run.present(api_gateway, checked=True)
    except DirectLinkError as error:
        run.connection.progress.gateway(label, failed=error.message)
        failure = dict(name=label, changed=bool(run.actions), failed=True, msg=error.message, actions=run.actions)
        return dict(failure, **error.details()), None
    diff = dict(result.pop('diff'), before_header=label, after_header=label)
    return dict(result, name=label), diff


def run_all(module):
    """Check every item, then bring all gateways to their desired state concurrently."""
    params = module.params
    checked = desired_items(params['gateways'])
    connection = module.connection
    catalog = Catalog(connection)
    own = {g['name']: g for g in api.list_gateways(connection) if not g.get('cross_account')}
    options = dict(state='present', wait=params['wait'], wait_timeout=params['wait_timeout'],
                   purge_virtual_connections=False, max_concurrency=params['max_concurrency'])
    poller = GatewayListPoller.for_connection(connection)
    transit_gateways = transit_state.TransitGateways(module.transit)
    approver, problems = approvals.for_module(module)
    runs = [GatewayRun(connection, dict(item, **options), module.check_mode, catalog, poller, transit_gateways, approver)
            for item, _problems in checked]
    found = [run.find() if run.params.get('id') else own.get(run.desired['name']) for run in runs]
    for index, (run, live, (_item, item_problems)) in enumerate(zip(runs, found, checked)):
        where = f"gateways[{index}] '{run.label(live)}'" if run.label(live) else f'gateways[{index}]'
        problems += [f'{where}: {problem}' for problem in item_problems or run.problems(live)]
    if problems:
        raise DirectLinkError('Nothing was changed: ' + '; '.join(problems))
    with connection.progress.batch():  # the first progress line shows every gateway
        for run, live in zip(runs, found):
            run.announce(live)
    outcomes = map_bounded(lambda pair: outcome(*pair), list(zip(runs, found)), min(MAX_GATEWAYS_AT_ONCE, len(runs)))
    results = [result for result, _diff in outcomes]
    return {'changed': any(result['changed'] for result in results), 'results': results,
            'failed_gateways': [result['name'] for result in results if result.get('failed')],
            'diff': [diff for (result, diff) in outcomes if diff and result['changed']]}


def failure_message(result):
    """The module's message when some gateways failed."""
    failed = [item for item in result['results'] if item.get('failed')]
    return (f"{len(failed)} of {len(result['results'])} gateways failed (the others are done): "
            + '; '.join(f"'{item['name']}': {item['msg']}" for item in failed))


def main():
    """Module entry point."""
    module = DirectLinkModule(
        argument_spec=dict(
            gateways=dict(type='list', elements='dict', required=True),
            wait=dict(type='bool', default=True),
            wait_timeout=dict(type='int', default=1800),
            **progress.argument_spec(),
            **approvals.argument_spec(),
        ),
        concurrent=True,
    )
    try:
        result = run_all(module)
    except DirectLinkError as error:
        module.fail_error(error)
    if result['failed_gateways']:
        module.fail_json(msg=failure_message(result), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
