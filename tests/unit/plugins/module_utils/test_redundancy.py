"""The redundancy audit's rating: protected paths, diversity levels, the checks that redundancy is real, the fixes."""

import ipaddress
import json
import os

import jsonschema
import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import redundancy
from dlsim.catalog import default_catalog, port_id

SCHEMA = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'docs', 'schemas', 'audit-report.schema.json')
VIEW = redundancy.catalog_view(default_catalog())
NO_CATALOG = redundancy.catalog_view(None)
APP = 'crn:v1:bluemix:public:is:us-south:a/4111d05f36894e3cb9b46a43556d9000::vpc:r006-app'
DATA = 'crn:v1:bluemix:public:is:us-south:a/4111d05f36894e3cb9b46a43556d9000::vpc:r006-data'


def vpc(crn=APP, status='attached'):
    return {'name': f"vc-{crn.rsplit(':', 1)[1]}", 'type': 'vpc', 'network_id': crn, 'read_only': {'status': status}}


def dedicated(name, location, router, asn=65001, vcs=None, **extra):
    gateway = {'name': name, 'type': 'dedicated', 'location_name': location, 'cross_connect_router': router,
               'carrier_name': 'Lumen', 'speed_mbps': 10000, 'bgp_asn': asn, 'global': True,
               'virtual_connections': [vpc()] if vcs is None else vcs}
    gateway.update(extra)
    return gateway


def connect(name, location, provider='EQUINIX', side='PRI', asn=65001, vcs=None, **extra):
    gateway = {'name': name, 'type': 'connect', 'location_name': location, 'port': port_id(location, provider, side),
               'speed_mbps': 1000, 'bgp_asn': asn, 'global': True, 'virtual_connections': [vpc()] if vcs is None else vcs}
    gateway.update(extra)
    return gateway


BACKUP_PREPENDS = [{'length': 3, 'policy': 'export'}, {'length': 3, 'policy': 'import'}]


def rate(*gateways, view=VIEW):
    """The one protected path of ``gateways``."""
    paths = redundancy.protected_paths(gateways)
    assert len(paths) == 1, [[gateway['name'] for gateway in path] for path in paths]
    return redundancy.rate_path(paths[0], view)


def findings(path, check=None, severity=None):
    return [finding for finding in path['findings']
            if (check is None or finding['check'] == check) and (severity is None or finding['severity'] == severity)]


# ---------------------------------------------------------------------------------------------------- levels


@pytest.mark.parametrize('gateways, level, severity, fix', [
    ([dedicated('a', 'dal10', 'xcr02.dal10')], 'single_gateway', 'spof',
     'order a second gateway on xcr01.dal10, or better add a standby in dal12 on xcr01.dal12 (another PoP of the Dallas '
     'market)'),
    ([dedicated('a', 'dal10', 'xcr02.dal10'), dedicated('b', 'dal10', 'xcr02.dal10', as_prepends=BACKUP_PREPENDS)],
     'same_xcr', 'spof',
     'order a second gateway on xcr01.dal10, or better add a standby in dal12 on xcr01.dal12 (another PoP of the Dallas '
     'market)'),
    ([dedicated('a', 'dal10', 'xcr01.dal10'), dedicated('b', 'dal10', 'xcr02.dal10', as_prepends=BACKUP_PREPENDS)],
     'separate_xcrs_same_pop', 'warning', 'add a standby in dal12 on xcr01.dal12 (another PoP of the Dallas market)'),
    ([dedicated('a', 'dal10', 'xcr01.dal10'), dedicated('b', 'dal12', 'xcr01.dal12', as_prepends=BACKUP_PREPENDS)],
     'separate_pops_same_market', 'warning',
     'add a standby in wdc04 on xcr01.wdc04 (the Washington DC market), with global routing'),
    ([dedicated('a', 'dal10', 'xcr01.dal10'), dedicated('b', 'wdc04', 'xcr01.wdc04', as_prepends=BACKUP_PREPENDS)],
     'separate_markets', None, None),
])
def test_each_diversity_level_is_rated_with_its_placement_finding_and_fix(gateways, level, severity, fix):
    path = rate(*gateways)
    assert (path['level'], path['level_rank']) == (level, redundancy.LEVELS.index(level))
    placement = findings(path, 'placement')
    if severity is None:
        assert placement == [] and path['findings'] == []
    else:
        assert (placement[0]['severity'], placement[0]['fix']) == (severity, fix)


def test_a_lone_gateway_is_a_single_point_of_failure_naming_what_it_carries():
    finding, = rate(connect('dal10-primary', 'dal10', vcs=[vpc(), {'name': 'classic', 'type': 'classic'}]))['findings']
    assert finding['severity'] == 'spof' and finding['gateways'] == ['dal10-primary']
    assert finding['message'] == ('dal10-primary is the only gateway to VPC r006-app (us-south), the classic '
                                  'infrastructure (ASN 65001): a failure of port EQU-DAL10-CX-PRI-01 (EQUINIX) at dal10, '
                                  'of the PoP or of the gateway cuts them off')
    # Another provider's port at the same PoP first, then a standby in another PoP of the market.
    assert finding['fix'] == ("order a second gateway on MEGAPORT's port MEG-DAL10-CX-PRI-01 at dal10, or better add a "
                              'standby in dal12 (another PoP of the Dallas market)')


def test_without_another_pop_in_the_market_the_better_fix_is_another_market():
    finding, = rate(dedicated('fra', 'fra02', 'xcr02.fra02', vcs=[{'name': 'classic', 'type': 'classic'}]))['findings']
    assert finding['fix'] == ('order a second gateway on xcr01.fra02, or better add a standby in lon06 (the London '
                              'market; connect only), with global routing')


def test_a_macsec_gateway_is_only_offered_macsec_capable_routers():
    secure = {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600}, 'caks': []}
    finding, = rate(dedicated('secure', 'dal10', 'xcr01.dal10', macsec=secure))['findings']
    assert finding['fix'] == 'add a standby in dal12 on xcr01.dal12 (another PoP of the Dallas market)'


def test_two_connect_gateways_on_one_port_share_it_as_one_failure():
    path = rate(connect('a', 'dal10'), connect('b', 'dal10', as_prepends=BACKUP_PREPENDS))
    assert path['level'] == 'same_xcr'
    placement, = findings(path, 'placement')
    assert 'on port EQU-DAL10-CX-PRI-01 (EQUINIX) at dal10' in placement['message']
    assert placement['fix'].startswith("order a second gateway on MEGAPORT's port MEG-DAL10-CX-PRI-01 at dal10")


def test_connect_gateways_count_ports_and_providers():
    path = rate(connect('a', 'dal10'), connect('b', 'dal10', side='SEC', as_prepends=BACKUP_PREPENDS))
    assert path['level'] == 'separate_xcrs_same_pop'
    messages = [finding['message'] for finding in findings(path, severity='warning')]
    assert any(message.startswith('IBM does not publish which XCR a provider port lands on') for message in messages)
    provider, = findings(path, 'provider')
    assert 'every gateway of the path goes through EQUINIX' in provider['message']
    assert provider['fix'] == 'order one of the gateways through another provider (MEGAPORT)'
    assert findings(rate(connect('a', 'dal10'), connect('b', 'dal10', 'MEGAPORT', as_prepends=BACKUP_PREPENDS)),
                    'provider') == []


def test_markets_come_from_the_catalog_or_from_the_location_names():
    assert redundancy.market_of('dal12', VIEW) == 'Dallas'
    assert redundancy.market_of('dal13', VIEW) == 'Dallas'  # not in this catalog: a location of the same letters
    assert redundancy.market_of('dal13', NO_CATALOG) == 'dal'
    path = rate(dedicated('a', 'dal10', 'xcr01.dal10'), dedicated('b', 'dal13', 'xcr01.dal13', as_prepends=BACKUP_PREPENDS),
                view=NO_CATALOG)
    assert path['level'] == 'separate_pops_same_market'
    assert findings(path, 'placement')[0]['fix'] == 'add a standby in another market, with global routing'


# ---------------------------------------------------------------------------------------------------- grouping


def test_paths_are_the_same_asn_linked_by_shared_networks():
    gateways = [dedicated('a', 'dal10', 'xcr01.dal10', vcs=[vpc(APP)]),
                dedicated('b', 'dal12', 'xcr01.dal12', vcs=[vpc(APP), vpc(DATA)]),
                dedicated('c', 'wdc04', 'xcr01.wdc04', vcs=[vpc(DATA)]),  # linked to a through b
                dedicated('other-asn', 'dal10', 'xcr02.dal10', asn=65002),
                dedicated('other-network', 'dal10', 'xcr02.dal10', vcs=[{'name': 'classic', 'type': 'classic'}]),
                dedicated('nothing-1', 'dal10', 'xcr02.dal10', vcs=[]), dedicated('nothing-2', 'dal12', 'xcr02.dal12', vcs=[])]
    paths = redundancy.protected_paths(gateways)
    assert [[gateway['name'] for gateway in path] for path in paths] == [
        ['a', 'b', 'c'], ['nothing-1', 'nothing-2'], ['other-network'], ['other-asn']]


def test_a_pending_virtual_connection_links_the_path_but_carries_nothing():
    primary = connect('a', 'dal10')
    standby = connect('b', 'dal12', 'MEGAPORT', vcs=[vpc(status='approval_pending')], as_prepends=BACKUP_PREPENDS)
    path = rate(primary, standby)
    sole, = findings(path, 'networks', 'spof')
    assert sole['message'] == "VPC r006-app (us-south) is reached only through a (the virtual connection of b's is approval_pending)"
    assert sole['fix'] == 'add a virtual connection to VPC r006-app (us-south) on b'


def test_a_gateway_not_provisioned_protects_nothing():
    path = rate(connect('a', 'dal10'),
                connect('b', 'dal12', 'MEGAPORT', read_only={'operational_status': 'awaiting_loa'}, as_prepends=BACKUP_PREPENDS))
    assert path['level'] == 'single_gateway'
    status, = findings(path, 'status')
    assert (status['severity'], status['message']) == ('gap', 'b is awaiting_loa: it protects nothing until it is provisioned')


# ---------------------------------------------------------------------------------------------------- real redundancy


def test_the_backup_must_reach_every_network_of_the_primary():
    primary = connect('a', 'dal10', vcs=[vpc(APP), vpc(DATA)])
    standby = connect('b', 'dal12', 'MEGAPORT', vcs=[vpc(APP)], as_prepends=BACKUP_PREPENDS)
    third = connect('c', 'wdc04', vcs=[vpc(DATA)], as_prepends=BACKUP_PREPENDS)
    path = rate(primary, standby, third)
    gaps = findings(path, 'networks', 'gap')
    assert [gap['message'] for gap in gaps] == ['b does not reach VPC r006-data (us-south), which a reaches',
                                                'c does not reach VPC r006-app (us-south), which a reaches']
    assert gaps[0]['fix'] == 'add a virtual connection to VPC r006-data (us-south) on b'
    assert findings(path, 'networks', 'spof') == []


def test_the_backup_must_carry_the_primary_speed():
    path = rate(connect('a', 'dal10'), connect('b', 'dal12', 'MEGAPORT', speed_mbps=500, as_prepends=BACKUP_PREPENDS))
    speed, = findings(path, 'speed')
    assert speed['message'] == 'b (500 Mbps) cannot carry the traffic of a (1000 Mbps)'
    assert speed['fix'] == 'raise the speed_mbps of b to 1000'


def test_the_prepends_say_which_path_wins_and_a_weak_difference_is_a_warning():
    strong = rate(connect('a', 'dal10'), connect('b', 'dal12', 'MEGAPORT', as_prepends=BACKUP_PREPENDS))
    assert strong['preferred'] == {'to_ibm': ['a'], 'from_ibm': ['a']} and not strong['ecmp']
    assert findings(strong, 'path_preference') == []
    weak = rate(connect('a', 'dal10', as_prepends=BACKUP_PREPENDS),
                connect('b', 'dal12', 'MEGAPORT', as_prepends=[{'length': 4, 'policy': 'export'}, {'length': 4, 'policy': 'import'}]))
    assert [finding['message'] for finding in findings(weak, 'path_preference')] == [
        'a wins traffic to IBM Cloud by 1 AS prepend(s) only; IBM advises 3 or more on the backup path',
        'a wins traffic from IBM Cloud by 1 AS prepend(s) only; IBM advises 3 or more on the backup path']


def test_equal_paths_are_ecmp_which_alone_is_not_redundancy():
    path = rate(connect('a', 'dal10'), connect('b', 'dal12', 'MEGAPORT', speed_mbps=500))
    assert path['ecmp'] and path['preferred'] == {'to_ibm': ['a', 'b'], 'from_ibm': ['a', 'b']}
    ecmp = findings(path, 'path_preference')
    assert [finding['severity'] for finding in ecmp] == ['warning', 'warning']
    assert 'ECMP alone is not redundancy' in ecmp[0]['message']
    assert ecmp[0]['fix'] == 'prepend 3 or more on the backup path: as_prepends [{length: 3, policy: export}] on b'
    assert ecmp[1]['fix'] == 'prepend 3 or more on the backup path: as_prepends [{length: 3, policy: import}] on b'


def test_paths_that_win_in_one_direction_each_are_asymmetric():
    path = rate(connect('a', 'dal10', as_prepends=[{'length': 3, 'policy': 'import'}]),
                connect('b', 'dal12', 'MEGAPORT', as_prepends=[{'length': 3, 'policy': 'export'}]))
    assert path['preferred'] == {'to_ibm': ['a'], 'from_ibm': ['b']}
    assert any(finding['message'].startswith('asymmetric paths: traffic to IBM Cloud takes a, traffic from IBM Cloud '
                                             'takes b') for finding in findings(path, 'path_preference'))


def test_prefix_specific_prepends_are_listed_and_not_rated():
    gateway = connect('a', 'dal10', as_prepends=[{'length': 3, 'policy': 'export', 'specific_prefixes': ['10.10.0.0/16']}])
    assert redundancy.prepend_lengths(gateway) == {'to_ibm': 0, 'from_ibm': 0}
    assert redundancy.prefix_prepends(gateway) == ['export ×3 for 10.10.0.0/16']


def test_bfd_on_both_or_neither_and_the_same_macsec_policy():
    secure = {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600}, 'caks': []}
    path = rate(dedicated('a', 'dal10', 'xcr01.dal10', bfd_config={'interval': 300}, macsec=secure),
                dedicated('b', 'dal12', 'xcr02.dal12', as_prepends=BACKUP_PREPENDS))
    bfd, = findings(path, 'bfd')
    macsec, = findings(path, 'macsec')
    assert bfd['message'] == 'BFD differs between the gateways of the path: a on, b off'
    assert macsec['message'] == 'the MACsec policy differs between the gateways of the path: a must_secure, b none'
    assert (bfd['severity'], macsec['severity']) == ('gap', 'gap')


def test_route_filters_of_the_backup_must_not_drop_what_the_primary_carries():
    primary = connect('a', 'dal10', default_export_route_filter='deny',
                      export_route_filters=[{'action': 'permit', 'prefix': '10.10.0.0/16', 'ge': 17, 'le': 24},
                                            {'action': 'permit', 'prefix': '10.20.0.0/16'}])
    standby = connect('b', 'dal12', 'MEGAPORT', as_prepends=BACKUP_PREPENDS, default_export_route_filter='deny',
                      export_route_filters=[{'action': 'permit', 'prefix': '10.20.0.0/16'}])
    dropped, = findings(rate(primary, standby), 'route_filters')
    assert dropped['message'] == "b's export route filters deny what a's permit: 10.10.0.0/17"
    assert dropped['fix'] == "give b the export route filters and default of a"
    same = dict(standby, export_route_filters=primary['export_route_filters'])
    assert findings(rate(primary, same), 'route_filters') == []


def test_a_default_deny_on_the_backup_drops_the_routes_no_filter_matches():
    assert redundancy.dropped_prefixes(connect('a', 'dal10'), connect('b', 'dal12', default_import_route_filter='deny'),
                                       'import') == ['routes no filter matches']


@pytest.mark.parametrize('item, prefix, matches', [
    ({'prefix': '10.0.0.0/8'}, '10.0.0.0/8', True),
    ({'prefix': '10.0.0.0/8'}, '10.1.0.0/16', False),          # neither ge nor le: the exact length only
    ({'prefix': '10.0.0.0/8', 'ge': 16}, '10.1.2.0/24', True),  # ge alone: up to /32
    ({'prefix': '10.0.0.0/8', 'ge': 16}, '10.0.0.0/8', False),
    ({'prefix': '10.0.0.0/8', 'le': 16}, '10.1.0.0/16', True),  # le alone: from the filter's own length
    ({'prefix': '10.0.0.0/8', 'le': 16}, '10.1.2.0/24', False),
    ({'prefix': '10.0.0.0/8', 'ge': 17, 'le': 24}, '10.1.0.0/16', False),
    ({'prefix': '10.0.0.0/8'}, '192.168.0.0/16', False),
])
def test_route_filters_match_as_the_api_defines_ge_and_le(item, prefix, matches):
    action = redundancy.filter_action([dict(item, action='deny')], 'permit', ipaddress.ip_network(prefix))
    assert (action == 'deny') is matches


def test_local_routing_to_a_network_in_another_region_is_a_gap():
    path = rate(connect('a', 'dal10'), connect('b', 'wdc04', as_prepends=BACKUP_PREPENDS, **{'global': False}))
    routing, = findings(path, 'global_routing')
    assert routing['message'] == 'b in wdc04 (us-east) has local routing but reaches VPC r006-app (us-south)'
    assert routing['fix'] == 'set global: true on b (a non-disruptive change)'
    assert findings(rate(dedicated('x', 'dal10', 'xcr01.dal10', **{'global': False})), 'global_routing') == []


def test_a_redundant_path_has_no_finding_but_the_market_warning():
    path = rate(connect('a', 'dal10', bfd_config={'interval': 300}),
                connect('b', 'dal12', 'MEGAPORT', bfd_config={'interval': 300}, as_prepends=BACKUP_PREPENDS))
    assert [(finding['severity'], finding['check']) for finding in path['findings']] == [('warning', 'placement')]


# ---------------------------------------------------------------------------------------------------- the report


def report(*gateways):
    return redundancy.audit(list(gateways), VIEW, {'kind': 'account', 'account_id': 'acct', 'endpoint': 'https://dl',
                                                   'catalog': 'live'})


def test_the_report_matches_its_schema_and_counts_its_findings():
    with open(SCHEMA, encoding='utf-8') as stream:
        schema = json.load(stream)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema['$defs']['finding']['properties']['check']['enum'] == list(redundancy.CHECKS)
    document = report(connect('a', 'dal10'), connect('b', 'dal10', speed_mbps=500), dedicated('c', 'fra02', 'xcr02.fra02', asn=65009))
    jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(document)))
    assert document['status'] == 'spof'
    assert document['summary']['findings'] == redundancy.counts(f for path in document['paths'] for f in path['findings'])
    assert document['summary']['levels']['same_xcr'] == 1 and document['summary']['levels']['single_gateway'] == 1
    empty = redundancy.audit([], NO_CATALOG, {'kind': 'backup', 'account_id': '', 'backup_dir': '/b', 'catalog': 'none'})
    jsonschema.Draft202012Validator(schema).validate(empty)
    assert empty['status'] == 'clean' and len(empty['notes']) == 2


@pytest.mark.parametrize('fail_on, expected', [('never', 0), ('spof', 1), ('gap', 2), ('warning', 5)])
def test_fail_on_counts_the_findings_at_or_above_the_severity(fail_on, expected):
    document = report(connect('a', 'dal10'), connect('b', 'dal10', speed_mbps=500))
    severities = [finding['severity'] for finding in document['paths'][0]['findings']]
    assert severities == ['spof', 'gap', 'warning', 'warning', 'warning']
    assert len(redundancy.breaches(document, fail_on)) == expected


def test_the_summary_lists_every_single_point_of_failure_and_the_markdown_names_them():
    document = report(connect('a', 'dal10'), dedicated('c', 'fra02', 'xcr02.fra02', asn=65009))
    summary = redundancy.summary(document, '/srv/audit/audit-report.md')
    assert [spof['path'] for spof in summary['single_points_of_failure']] == ['AS65001/a', 'AS65009/c']
    assert (summary['report_json'], summary['status'], summary['paths']) == ('/srv/audit/audit-report.json', 'spof', 2)
    text = redundancy.markdown(document)
    assert '**2 single point(s) of failure**' in text
    assert '**Fix:** order a second gateway on xcr01.fra02, or better add a standby in lon06' in text
    assert redundancy.table(document)[1].startswith('AS65001/a ')


def test_a_hostile_catalog_snapshot_is_read_for_what_it_can_be():
    view = redundancy.catalog_view({'locations': {'connect': [{'name': 'dal10', 'market': 'Dallas'}, 'junk', {'name': 3}],
                                                  'dedicated': 'junk'},
                                    'routers': {'dal10': [{'router_name': 'xcr01.dal10', 'capabilities': 'macsec'}, 7]},
                                    'ports': None})
    assert list(view.locations) == ['dal10'] and view.ports == {}
    assert view.routers == {'dal10': {'xcr01.dal10': []}}
    assert redundancy.catalog_view({'locations': 'junk', 'routers': [], 'ports': {}}).locations == {}
