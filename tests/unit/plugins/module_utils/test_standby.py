"""The warm standby's pure parts: the plan, the selection, the standby's desired state, drift, promotion, the report."""

import copy
import json
import os

import jsonschema
import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import recovery, report_files, standby

SCHEMA = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'docs', 'schemas', 'standby-report.schema.json')
PORTS = {'p-dal10': {'id': 'p-dal10', 'label': 'EQ-DAL10', 'provider_name': 'EQUINIX', 'location_name': 'dal10',
                     'supported_link_speeds': [1000]},
         'p-dal12': {'id': 'p-dal12', 'label': 'EQ-DAL12', 'provider_name': 'EQUINIX', 'location_name': 'dal12',
                     'supported_link_speeds': [1000]}}
REGION = {'dal10': 'us-south', 'dal12': 'us-south', 'wdc04': 'us-east'}
VPC = 'crn:v1:bluemix:public:is:us-south:a/acct::vpc:r006-app'
PLAN = {'standby_location_map': {'dal10': 'dal12'}, 'standby_port_map': {'p-dal10': 'p-dal12'}}


class StubCatalog:
    """Two Equinix ports, one in Dallas 10 and one in Dallas 12, for connect gateways."""

    @staticmethod
    def port(port_id):
        return PORTS.get(port_id)

    @staticmethod
    def ports(location):
        return [port for port in PORTS.values() if port['location_name'] == location]

    @staticmethod
    def locations(_offering):
        return {name: {'name': name, 'vpc_region': region} for name, region in REGION.items()}

    @staticmethod
    def offerings_at(location):
        return ['connect'] if location in REGION else []


def gateway(name='dal10-gw', location='dal10', port='p-dal10', **fields):
    """A live connect gateway in gateway_info's shape."""
    found = {'id': f'id-{name}', 'name': name, 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999, 'global': False,
             'metered': False, 'location_name': location, 'port': port, 'bgp_cer_cidr': '169.254.0.2/30',
             'bgp_ibm_cidr': '169.254.0.1/30', 'bfd_config': {'interval': 2000, 'multiplier': 10},
             'default_export_route_filter': 'permit', 'default_import_route_filter': 'permit',
             'export_route_filters': [{'action': 'deny', 'prefix': '10.0.0.0/8'}], 'import_route_filters': [],
             'as_prepends': [{'length': 4, 'policy': 'import'}],
             'virtual_connections': [{'name': 'vc-app', 'type': 'vpc', 'network_id': VPC, 'read_only': {'status': 'attached'}}],
             'read_only': {'operational_status': 'provisioned', 'crn': f'crn:v1:bluemix:public:directlink:dal10:a/acct::dedicated:{name}'}}
    found.update(fields)
    return found


def synced_standby(primary, plan=None):
    """The standby a sync leaves: the desired state as the API gives it back (an id, IBM's BGP addresses)."""
    found, problems = standby.pairs(standby.Plan(dict(plan or PLAN)), [primary], StubCatalog())
    assert problems == [], problems
    desired = copy.deepcopy(found[0].desired)
    vcs = [dict(vc, read_only={'status': 'attached'}) for vc in desired.pop('virtual_connections')]
    return dict(desired, id='id-standby', bgp_cer_cidr='169.254.9.2/30', bgp_ibm_cidr='169.254.9.1/30', virtual_connections=vcs,
                read_only={'operational_status': 'provisioned'})


def pair_of(primary, standby_gateway=None, plan=None):
    found, problems = standby.pairs(standby.Plan(dict(plan or PLAN)), [primary] + ([standby_gateway] if standby_gateway else []),
                                    StubCatalog())
    assert problems == [], problems
    return found[0]


# ---------------------------------------------------------------------------------------------------- the plan
@pytest.mark.parametrize('values, expected', [
    ({'standby_as_prepend_length': 2}, 'plan: standby_as_prepend_length is 2, expected a number of AS prepends from 3 to 10'),
    ({'standby_as_prepend_length': True}, 'plan: standby_as_prepend_length is True, expected'),
    ({'standby_name_template': '{name}'}, "plan: standby_name_template '{name}' gives the standby its primary's name"),
    ({'standby_name_template': 'fixed'}, "plan: standby_name_template 'fixed' must contain {name}, which stands for the old "
                                         "gateway name (for example '{name}-standby')"),
    ({'standby_port_map': ['p1']}, 'plan: standby_port_map must be a mapping of old value to new value, got list'),
    ({'standby_limit': 'dal10-gw'}, 'plan: standby_limit must be a list of gateway names, got str'),
    ({'standby_location_map': {}}, 'plan: standby_location_map is empty; map the location of each primary'),
])
def test_a_bad_plan_value_is_named_with_its_standby_key(values, expected):
    problems = standby.Plan(dict(PLAN, **values)).problems([])
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_a_misspelled_standby_key_is_caught_and_the_other_roles_variables_are_not():
    defined = list(standby.PLAN_KEYS + standby.ROLE_KEYS) + ['standby_location_mpa', 'recover_limit', 'audit_fail_on', 'backup_dir']
    assert standby.Plan(PLAN).problems(defined) == [
        f"plan: unknown key standby_location_mpa (did you mean standby_location_map?); known keys: {', '.join(standby.PLAN_KEYS)}"]
    assert [p for p in recovery.Plan({}).problems(list(standby.PLAN_KEYS + standby.ROLE_KEYS)) if 'unknown key' in p] == []


def test_the_defaults_are_a_named_standby_three_prepends_longer_with_bgp_addresses_from_ibm():
    plan = standby.Plan(PLAN)
    assert (plan.new_name('gw'), plan.prepend_length, plan.bgp) == ('gw-standby', 3, 'auto')
    assert plan.problems([]) == []


# -------------------------------------------------------------------------------------------- the selection
def test_the_primaries_are_the_gateways_at_a_mapped_location_but_not_their_standbys():
    plan = standby.Plan(dict(PLAN, standby_location_map={'dal10': 'dal12', 'dal12': 'dal10'}))
    live = [gateway('dal10-gw'), gateway('dal10-gw-standby', 'dal12', 'p-dal12'), gateway('wdc-gw', 'wdc04')]
    chosen, problems = standby.select(plan, live)
    assert ([g['name'] for g in chosen], problems) == (['dal10-gw'], [])


def test_standby_limit_names_only_primaries_of_the_account_at_a_mapped_location():
    plan = standby.Plan(dict(PLAN, standby_limit=['dal10-gw', 'gone', 'wdc-gw', 'dal10-gw-standby']))
    live = [gateway('dal10-gw'), gateway('wdc-gw', 'wdc04'), gateway('dal10-gw-standby', 'dal12', 'p-dal12')]
    chosen, problems = standby.select(plan, live)
    assert [g['name'] for g in chosen] == ['dal10-gw', 'wdc-gw', 'dal10-gw-standby']
    assert problems == ['plan: standby_limit names gone, which is not a gateway of the account',
                        'plan: standby_limit names wdc-gw, at wdc04, which standby_location_map does not map to a standby location',
                        'plan: standby_limit names dal10-gw-standby, the standby of dal10-gw']


def test_no_gateway_at_a_mapped_location_is_a_problem_not_a_silent_success():
    assert standby.select(standby.Plan(PLAN), [gateway('wdc-gw', 'wdc04')])[1] == [
        'plan: no gateway of the account is at dal10 (the locations of standby_location_map)']


# ------------------------------------------------------------------------------------- the standby's state
def test_less_preferred_lengthens_every_prepend_and_adds_one_for_each_policy_not_prepended_everywhere():
    prepends = [{'length': 3, 'policy': 'export', 'specific_prefixes': ['10.10.0.0/16']}, {'length': 4, 'policy': 'import'}]
    assert standby.less_preferred(prepends, 3) == [
        {'length': 6, 'policy': 'export', 'specific_prefixes': ['10.10.0.0/16']}, {'length': 7, 'policy': 'import'},
        {'length': 3, 'policy': 'export'}]
    assert standby.less_preferred([], 5) == [{'length': 5, 'policy': 'export'}, {'length': 5, 'policy': 'import'}]


def test_the_standby_is_the_primary_remapped_with_new_bgp_addresses_and_longer_as_paths():
    pair = pair_of(gateway())
    desired = pair.desired
    assert (desired['name'], desired['location_name'], desired['port']) == ('dal10-gw-standby', 'dal12', 'p-dal12')
    assert 'bgp_cer_cidr' not in desired and 'bgp_ibm_cidr' not in desired and 'id' not in desired
    assert desired['virtual_connections'] == [{'name': 'vc-app', 'type': 'vpc', 'network_id': VPC}]
    assert desired['export_route_filters'] == [{'action': 'deny', 'prefix': '10.0.0.0/8'}]
    assert desired['bfd_config'] == {'interval': 2000, 'multiplier': 10}
    assert desired['as_prepends'] == [{'length': 7, 'policy': 'import'}, {'length': 3, 'policy': 'export'}]
    assert (pair.preferred(), pair.drift) == (None, ["standby of gateway 'dal10-gw': gateway dal10-gw-standby is missing"])


def test_a_standby_in_another_region_reaches_the_primary_s_vpc_with_global_routing():
    plan = dict(PLAN, standby_location_map={'dal10': 'wdc04'}, standby_port_map={'p-dal10': 'p-dal12'})
    found, problems = standby.pairs(standby.Plan(plan), [gateway()], StubCatalog())
    assert found[0].desired['global'] is True and found[0].notes['global_for'] == ['vc-app']
    assert 'port p-dal12 is at dal12, not at wdc04' in ' '.join(problems)


def test_an_unmapped_port_is_a_problem_naming_the_standby_key():
    _found, problems = standby.pairs(standby.Plan(dict(PLAN, standby_port_map={})), [gateway()], StubCatalog())
    assert problems[0] == ("standby of gateway 'dal10-gw': port p-dal10 is at dal10; map it to a port at dal12 with standby_port_map "
                           '(a port id, or {provider: NAME})')


def test_a_name_taken_by_a_gateway_placed_elsewhere_is_refused():
    squatter = gateway('dal10-gw-standby', 'dal10', 'p-dal10')
    _found, problems = standby.pairs(standby.Plan(PLAN), [gateway(), squatter], StubCatalog())
    assert problems == ["standby of gateway 'dal10-gw': the name dal10-gw-standby is taken by gateway id-dal10-gw-standby, which "
                        'differs in location_name, port; choose another standby_name_template']


# ------------------------------------------------------------------------------------------------ the drift
def test_a_standby_in_sync_has_no_drift():
    primary = gateway()
    assert pair_of(primary, synced_standby(primary)).drift == []


def test_drift_names_a_vc_added_to_the_primary_a_changed_route_filter_and_a_vc_only_on_the_standby():
    primary = gateway()
    current = synced_standby(primary)
    current['virtual_connections'].append({'name': 'vc-old', 'type': 'classic', 'read_only': {'status': 'attached'}})
    primary['virtual_connections'].append({'name': 'vc-new', 'type': 'classic', 'read_only': {'status': 'attached'}})
    primary['export_route_filters'] = [{'action': 'permit', 'prefix': '10.0.0.0/8'}]
    primary['speed_mbps'] = 2000
    assert pair_of(primary, current).drift == [
        "standby of gateway 'dal10-gw': speed_mbps is 1000, primary has 2000",
        "standby of gateway 'dal10-gw': export_route_filters differ from the primary",
        "standby of gateway 'dal10-gw': virtual connection vc-new is missing",
        "standby of gateway 'dal10-gw': virtual connection vc-old is on the standby, not on the primary (delete it by hand if it "
        'is not wanted)']


def test_drift_names_as_prepends_that_would_not_make_the_standby_less_preferred():
    primary = gateway()
    current = dict(synced_standby(primary), as_prepends=[])
    assert pair_of(primary, current).drift == [
        "standby of gateway 'dal10-gw': as_prepends are [], the standby needs [{'length': 7, 'policy': 'import'}, {'length': 3, "
        "'policy': 'export'}] (the primary's lengthened) to be the less preferred path"]


# ------------------------------------------------------------------------------------- promote and demote
def test_promote_swaps_the_prepends_once_and_a_sync_of_the_promoted_pair_keeps_them():
    primary = gateway()
    current = synced_standby(primary)
    pair = pair_of(primary, current)
    assert pair.preferred() == 'primary'
    swap = standby.items([pair], 'promote')
    assert swap == [{'name': 'dal10-gw', 'as_prepends': current['as_prepends']},
                    {'name': 'dal10-gw-standby', 'as_prepends': primary['as_prepends']}]
    promoted_primary = dict(primary, as_prepends=swap[0]['as_prepends'])
    promoted_standby = dict(current, as_prepends=swap[1]['as_prepends'])
    promoted = pair_of(promoted_primary, promoted_standby)
    assert (promoted.preferred(), standby.items([promoted], 'promote'), promoted.drift) == ('standby', [], [])
    assert standby.items([promoted], 'sync')[0]['as_prepends'] == primary['as_prepends']
    assert standby.items([promoted], 'demote') == [{'name': 'dal10-gw', 'as_prepends': primary['as_prepends']},
                                                   {'name': 'dal10-gw-standby', 'as_prepends': current['as_prepends']}]
    assert standby.items([pair], 'demote') == []


def test_only_a_provisioned_standby_is_promoted_and_only_an_existing_one_demoted():
    primary = gateway()
    waiting = dict(synced_standby(primary), read_only={'operational_status': 'create_pending'})
    assert standby.blocking([pair_of(primary, waiting)], 'promote') == [
        "standby of gateway 'dal10-gw': gateway dal10-gw-standby is create_pending; it carries no traffic until it is "
        'provisioned, so it is not promoted']
    assert standby.blocking([pair_of(primary)], 'demote') == [
        "standby of gateway 'dal10-gw': gateway dal10-gw-standby does not exist; create it first (standby_action: sync)"]
    assert standby.blocking([pair_of(primary)], 'sync') == []


# ------------------------------------------------------------------------------------------------ the report
def validated(document):
    with open(SCHEMA, encoding='utf-8') as stream:
        schema = json.load(stream)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(report_files.as_json(document)))
    return document


def test_a_created_standby_is_reported_with_its_manual_steps_and_matches_the_schema():
    pair = standby.entry(pair_of(gateway()))
    result = {'name': 'dal10-gw-standby', 'changed': True, 'actions': ['create', 'create virtual connection vc-app'],
              'gateway': {'id': 'new-id', 'bgp_cer_cidr': '169.254.9.2/30', 'bgp_ibm_cidr': '169.254.9.1/30',
                          'read_only': {'operational_status': 'provisioned'}},
              'virtual_connections': [{'name': 'vc-app', 'action': 'created', 'status': 'attached'}]}
    report = validated(standby.document([standby.outcome(pair, {'dal10-gw-standby': result}, 'sync', 'acct')], 'sync', False))
    item = report['pairs'][0]
    assert (report['status'], item['standby_id'], item['preferred']) == ('changed', 'new-id', 'primary')
    assert item['actions'] == ['dal10-gw-standby: create', 'dal10-gw-standby: create virtual connection vc-app']
    assert item['steps'][0].startswith('Provider order: order the virtual circuit from EQUINIX on port EQ-DAL12 at dal12')
    assert 'BGP (NEW addresses): on the on-premises router use local address 169.254.9.2/30' in item['steps'][1]
    assert '- [ ] Provider order' in standby.markdown(report)
    summary = standby.summary(report, '/srv/dr/standby-report.md')
    assert summary['report_json'] == '/srv/dr/standby-report.json' and summary['changed'] == ['dal10-gw-standby']


def test_a_promotion_check_mode_and_a_failure_are_reported_as_such():
    primary = gateway()
    pair = standby.entry(pair_of(primary, synced_standby(primary)))
    swapped = {name: {'name': name, 'changed': True, 'actions': ['replace as_prepends']} for name in ('dal10-gw', 'dal10-gw-standby')}
    planned = validated(standby.document([standby.outcome(pair, swapped, 'promote', 'acct')], 'promote', True))
    assert (planned['status'], planned['pairs'][0]['preferred']) == ('planned', 'standby')
    assert planned['pairs'][0]['actions'] == ['dal10-gw: replace as_prepends', 'dal10-gw-standby: replace as_prepends']
    failed = dict(swapped, **{'dal10-gw': {'name': 'dal10-gw', 'failed': True, 'msg': 'timed out', 'actions': []}})
    report = validated(standby.document([standby.outcome(pair, failed, 'promote', 'acct')], 'promote', False))
    assert (report['status'], report['pairs'][0]['failed']) == ('failed', 'dal10-gw: timed out')
    nothing = validated(standby.document([standby.outcome(pair, {}, 'sync', 'acct')], 'sync', False))
    assert nothing['status'] == 'in_sync' and standby.table(nothing) == [
        'dal10-gw -> dal10-gw-standby (dal12): preferred primary, 0 drift, no change']


def test_a_check_sends_nothing_blocks_nothing_and_reports_drift_or_in_sync():
    primary = gateway()
    in_sync = pair_of(primary, synced_standby(primary))
    missing = pair_of(primary)
    assert standby.items([in_sync, missing], 'check') == [] and standby.blocking([missing], 'check') == []
    drifted = validated(standby.document([standby.outcome(standby.entry(missing), {}, 'check', 'acct')], 'check', False))
    assert (drifted['action'], drifted['status']) == ('check', 'drift')
    assert drifted['pairs'][0]['drift'] == ["standby of gateway 'dal10-gw': gateway dal10-gw-standby is missing"]
    assert 'drift found, nothing changed' in standby.markdown(drifted)
    clean = validated(standby.document([standby.outcome(standby.entry(in_sync), {}, 'check', 'acct')], 'check', False))
    assert clean['status'] == 'in_sync' and standby.summary(clean, '')['drift'] == []
