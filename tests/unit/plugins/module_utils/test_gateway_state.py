"""Desired gateway state: validation messages, create template, differences, immutable detection."""

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import gateway_state as state

CONNECT = {'name': 'gw', 'type': 'connect', 'port': 'p1', 'speed_mbps': 1000, 'bgp_asn': 64999, 'global': None,
           'metered': None, 'export_route_filters': [{'action': 'permit', 'prefix': '10.0.0.0/8', 'ge': None, 'le': 24}],
           'bfd_config': {'interval': 2000, 'multiplier': None}, 'authentication_key': 'crn:v1:key'}


@pytest.mark.parametrize('change, message', [
    ({'bgp_asn': 65500}, 'bgp_asn 65500 is out of range or reserved by IBM'),
    ({'bgp_asn': 0}, 'bgp_asn 0 is out of range'),
    ({'vlan': 1}, 'vlan 1 is out of range: expected 2-3967'),
    ({'bgp_cer_cidr': '169.254.0.2/30'}, 'bgp_cer_cidr and bgp_ibm_cidr must be given together'),
    ({'bgp_cer_cidr': '169.254.0.2/30', 'bgp_ibm_cidr': '169.254.0.6/30'}, 'two different addresses of one /30'),
    ({'bgp_cer_cidr': '8.8.8.2/30', 'bgp_ibm_cidr': '8.8.8.1/30'}, 'must be within 10.254.0.0/16'),
    ({'name': '1-bad'}, "name '1-bad': 1-63 letters"),
    ({'bfd_config': {'interval': 10, 'multiplier': None}}, 'bfd_config.interval 10 is out of range'),
    ({'authentication_key': 'secret'}, "authentication_key 'secret' is not a CRN"),
    ({'export_route_filters': [{'action': 'permit', 'prefix': '10.0.0.0/33', 'ge': None, 'le': None}]},
     "export_route_filters[0].prefix: '10.0.0.0/33' is not a network prefix"),
    ({'export_route_filters': [{'action': 'permit', 'prefix': '10.0.0.0/8', 'ge': 20, 'le': 16}]}, 'ge 20 is greater than le 16'),
    ({'as_prepends': [{'length': 11, 'policy': 'import', 'specific_prefixes': None}]}, 'as_prepends[0].length 11 is out of range'),
    ({'vlan': 10}, 'vlan is only for dedicated gateways (type is connect)'),
])
def test_each_problem_names_field_value_and_expectation(change, message):
    problems = state.validate(dict(CONNECT, **change), 'connect')
    assert any(message in problem for problem in problems), problems


def test_valid_state_has_no_problem_and_missing_fields_are_listed():
    assert state.validate(CONNECT, 'connect') == []
    assert state.missing_for_create({'name': 'x', 'type': 'dedicated'}) == [
        'speed_mbps', 'bgp_asn', 'location_name', 'cross_connect_router', 'carrier_name', 'customer_name']


def test_create_template_is_what_the_api_expects():
    template = state.create_template(CONNECT)
    assert template == {'name': 'gw', 'type': 'connect', 'speed_mbps': 1000, 'global': False, 'metered': False,
                        'bgp_asn': 64999, 'port': {'id': 'p1'}, 'authentication_key': {'crn': 'crn:v1:key'},
                        'bfd_config': {'interval': 2000, 'multiplier': 3},
                        'export_route_filters': [{'action': 'permit', 'prefix': '10.0.0.0/8', 'le': 24}]}


def test_difference_patches_updatable_fields_and_replaces_lists():
    current = {'name': 'gw', 'type': 'connect', 'port': 'p1', 'speed_mbps': 500, 'bgp_asn': 64999,
               'bfd_config': {'interval': 2000, 'multiplier': 3}, 'authentication_key': 'crn:v1:key',
               'export_route_filters': [{'action': 'deny', 'prefix': '10.0.0.0/8'}]}
    diff = state.difference(CONNECT, current)
    assert diff.patch == {'speed_mbps': 1000}
    assert diff.replace == {'export_route_filters': [{'action': 'permit', 'prefix': '10.0.0.0/8', 'le': 24}]}
    assert diff.immutable == [] and diff.actions() == ['update speed_mbps', 'replace export_route_filters']


def test_unset_options_are_not_compared_and_empty_key_clears():
    current = {'name': 'gw', 'speed_mbps': 500, 'authentication_key': 'crn:v1:key'}
    diff = state.difference({'name': 'gw', 'authentication_key': ''}, current)
    assert diff.patch == {'authentication_key': None}


def test_immutable_differences_are_reported_not_patched():
    diff = state.difference(dict(CONNECT, port='p2', type='connect'), dict(CONNECT, port='p1'))
    assert diff.immutable == [('port', 'p1', 'p2')] and not diff.patch
    message = state.immutable_message('gw', diff.immutable)
    assert "port is 'p1', desired 'p2'" in message and 'never replaces a gateway' in message
