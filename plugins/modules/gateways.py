#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: gateways
short_description: Create and await many IBM Cloud Direct Link gateways (and their virtual connections) in one run
version_added: 0.1.0
description:
  - Brings every gateway of a list to its desired state, as M(cloud_dr.ibm_direct_link.gateway) with O(wait=true)
    would one at a time, but in one invocation - every gateway is created at once, awaited at once, and its virtual
    connections are created as soon as it is provisioned. A recovery of many gateways then costs one module run
    instead of one or two per gateway.
  - Every item is checked before anything changes (its options, the location, port, router and speed against the
    catalog, its virtual connections); one bad item fails the run, naming it, and nothing is created.
  - A gateway that fails (rejected, failed, timed out) does not stop the others. Its item in RV(results) holds the
    failure, and the module fails at the end naming every failed gateway.
  - Creates whose responses are lost are never repeated blindly, as with M(cloud_dr.ibm_direct_link.gateway).
  - This module never deletes; use M(cloud_dr.ibm_direct_link.gateway) with O(cloud_dr.ibm_direct_link.gateway#module:state=absent).
author:
  - Cloud DR maintainers (@cloud-dr)
options:
  gateways:
    description:
      - The desired gateways. Each item takes the desired-state options of M(cloud_dr.ibm_direct_link.gateway)
        (C(name), C(type), C(speed_mbps), C(bgp_asn), C(port) or C(location_name) and C(cross_connect_router), route
        filters, C(virtual_connections) and the others), named and checked the same way, so a gateway gathered by
        M(cloud_dr.ibm_direct_link.gateway_info) can be passed as it is.
      - C(name) is required in every item and must be unique in the list.
    type: list
    elements: dict
    required: true
  wait:
    description:
      - Wait until every gateway is provisioned (connect) or has reached the LOA stage (dedicated), and until the
        virtual connections created are attached (or await approval in another account).
      - With C(false) the gateways are only started, and virtual connections are left for a later run.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for each gateway and for its virtual connections.
    type: int
    default: 1800
extends_documentation_fragment:
  - cloud_dr.ibm_direct_link.auth
  - cloud_dr.ibm_direct_link.concurrency
  - cloud_dr.ibm_direct_link.progress
  - cloud_dr.ibm_direct_link.attributes.state
notes:
  - Gateways waiting for their lifecycle hold no request slot, so all of them (up to 1000) are awaited together, with at
    most O(max_concurrency) requests in flight. One C(GET /gateways) per poll round serves every gateway awaited.
  - Dedicated gateways stop at the LOA stage; their virtual connections are created by a later run, once the
    cross-connect is in place and the gateway is provisioned.
"""

EXAMPLES = r"""
- name: Two connect gateways in Dallas 12 with their VPC connections, created and awaited together
  cloud_dr.ibm_direct_link.gateways:
    gateways:
      - name: dal12-connect-primary-dr
        type: connect
        port: 852573d5-ff32-5f19-957f-cddf4900eba7  # EQU-DAL12-CX-PRI-01, from cloud_dr.ibm_direct_link.port_info
        speed_mbps: 1000
        bgp_asn: 64999
        virtual_connections:
          - name: vc-app-vpc
            type: vpc
            network_id: "crn:v1:bluemix:public:is:us-south:a/4111d05f36894e3cb9b46a43556d9000::vpc:r006-6e3b1f0c-9d2a-4c7e-8f51-2b0a7d4c9e13"
      - name: dal12-connect-backup-dr
        type: connect
        port: 5ea027b8-123f-59ba-98da-112bafd74447  # Megaport, Dallas 12
        speed_mbps: 1000
        bgp_asn: 64999
  register: created

- name: Pre-flight check of recovering the gateways of Dallas 10 in Dallas 12
  cloud_dr.ibm_direct_link._recovery_plan:
    backup_dir: /srv/dl-backup
    plan:
      recover_location_map: {dal10: dal12}
      recover_port_map:
        1f038ac4-7ed7-5b0b-82b2-4bee6b2c5935: 852573d5-ff32-5f19-957f-cddf4900eba7  # Equinix, primary
        9e3df3ee-14a5-5354-93ec-c012d5872e2c: 5ea027b8-123f-59ba-98da-112bafd74447  # Megaport, primary
      recover_router_map: {xcr01.dal10: xcr01.dal12}
      recover_name_template: "{name}-dr"
      recover_bgp: auto
      recover_limit: [dal10-connect-primary, dal10-connect-transit, dal10-dedicated-macsec]
  register: recovery

- name: Recreate every gateway of the plan, all at once
  cloud_dr.ibm_direct_link.gateways:
    gateways: "{{ recovery.gateways.values() | map(attribute='desired') | list }}"
    wait_timeout: 3600
  register: recreated

- name: What was done to each gateway
  ansible.builtin.debug:
    msg: "{{ recreated.results | items2dict(key_name='name', value_name='actions') }}"
"""

RETURN = r"""
results:
  description:
    - One entry per item of O(gateways), in the same order - C(name), C(changed), and what
      M(cloud_dr.ibm_direct_link.gateway) returns (C(gateway), C(virtual_connections), C(actions)); for a gateway that
      failed, C(failed), C(msg) and, when the API answered, C(status_code), C(error_code) and C(trace_id).
  returned: always
  type: list
  elements: dict
failed_gateways:
  description: Names of the gateways that failed.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import api, progress
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
    runs = [GatewayRun(connection, dict(item, **options), module.check_mode, catalog, poller) for item, _problems in checked]
    found = [run.find() if run.params.get('id') else own.get(run.desired['name']) for run in runs]
    problems = []
    for index, (run, live, (_item, item_problems)) in enumerate(zip(runs, found, checked)):
        where = f"gateways[{index}] '{run.label(live)}'" if run.label(live) else f'gateways[{index}]'
        problems += [f'{where}: {problem}' for problem in item_problems or run.problems(live)]
    if problems:
        raise DirectLinkError('Nothing was changed: ' + '; '.join(problems))
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
