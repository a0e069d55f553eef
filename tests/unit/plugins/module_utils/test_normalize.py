"""API objects to option-shaped dicts: every field, omissions, ordering, read-only grouping."""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import normalize

API_GATEWAY = {
    'id': 'g1', 'name': 'gw', 'type': 'dedicated', 'speed_mbps': 10000, 'global': True, 'metered': False,
    'bgp_asn': 64999, 'bgp_ibm_asn': 13884, 'bgp_cer_cidr': '169.254.0.2/30', 'bgp_ibm_cidr': '169.254.0.1/30',
    'bgp_status': 'established', 'connection_mode': 'direct', 'crn': 'crn:v1:x', 'cross_account': False,
    'created_at': '2026-01-01T00:00:00.000Z', 'default_export_route_filter': 'deny', 'default_import_route_filter': 'permit',
    'location_name': 'dal10', 'location_display_name': 'Dallas 10', 'operational_status': 'provisioned',
    'operational_status_reasons': [], 'resource_group': {'id': 'rg'}, 'authentication_key': {'crn': 'crn:key'},
    'bfd_config': {'interval': 2000, 'multiplier': 10, 'bfd_status': 'up'}, 'cross_connect_router': 'xcr01.dal10',
    'carrier_name': 'c', 'customer_name': 'd', 'vlan': 100, 'macsec_capability': 'macsec', 'link_status': 'up',
    'macsec': {'active': True, 'security_policy': 'must_secure', 'status': 'secured', 'status_reasons': []},
    'as_prepends': [{'id': 'a', 'length': 3, 'policy': 'export', 'specific_prefixes': ['10.0.0.0/8'], 'created_at': 'x'},
                    {'id': 'b', 'length': 4, 'policy': 'import', 'prefix': '10.1.0.0/16,10.2.0.0/16'}],
}
FILTERS = [{'id': 'f1', 'action': 'permit', 'prefix': '10.0.0.0/8', 'ge': 16, 'le': 24, 'before': 'f2'},
           {'id': 'f2', 'action': 'deny', 'prefix': '0.0.0.0/0'}]
MACSEC = {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600},
          'window_size': 512, 'status': 'secured', 'cipher_suite': 'gcm_aes_xpn_256'}
CAKS = [{'id': 'c2', 'name': 'BB', 'key': {'crn': 'crn:fallback'}, 'session': 'fallback', 'status': 'operational'},
        {'id': 'c1', 'name': 'CC', 'key': {'crn': 'crn:primary'}, 'session': 'primary', 'status': 'operational'}]
VCS = [{'id': 'v2', 'name': 'zeta', 'type': 'classic', 'status': 'attached', 'created_at': 't'},
       {'id': 'v1', 'name': 'alpha', 'type': 'vpc', 'network_id': 'crn:vpc', 'status': 'pending', 'created_at': 't',
        'network_account': 'acct'}]


def test_configuration_keys_are_module_options_and_computed_ones_are_read_only():
    result = normalize.gateway(API_GATEWAY, VCS, FILTERS, [], MACSEC, CAKS, status=[{'type': 'bgp', 'value': 'up'}])
    assert {k: result[k] for k in ('resource_group', 'authentication_key', 'bfd_config', 'vlan')} == {
        'resource_group': 'rg', 'authentication_key': 'crn:key', 'bfd_config': {'interval': 2000, 'multiplier': 10},
        'vlan': 100}
    assert result['export_route_filters'] == [{'action': 'permit', 'prefix': '10.0.0.0/8', 'ge': 16, 'le': 24},
                                              {'action': 'deny', 'prefix': '0.0.0.0/0'}]
    assert result['import_route_filters'] == []
    assert result['as_prepends'] == [{'length': 3, 'policy': 'export', 'specific_prefixes': ['10.0.0.0/8']},
                                     {'length': 4, 'policy': 'import', 'specific_prefixes': ['10.1.0.0/16', '10.2.0.0/16']}]
    assert result['macsec'] == {'active': True, 'security_policy': 'must_secure', 'window_size': 512,
                                'sak_rekey': {'mode': 'timer', 'interval': 3600},
                                'caks': [{'name': 'CC', 'key': 'crn:primary', 'session': 'primary'},
                                         {'name': 'BB', 'key': 'crn:fallback', 'session': 'fallback'}]}
    assert [vc['name'] for vc in result['virtual_connections']] == ['alpha', 'zeta']
    assert result['virtual_connections'][0] == {'name': 'alpha', 'type': 'vpc', 'network_id': 'crn:vpc', 'read_only': {
        'id': 'v1', 'status': 'pending', 'created_at': 't', 'network_account': 'acct'}}
    read_only = result['read_only']
    assert read_only['bgp_ibm_asn'] == 13884 and read_only['bfd_status'] == 'up' and read_only['macsec_status'] == 'secured'
    assert read_only['status'] == [{'type': 'bgp', 'value': 'up'}]
    assert not set(read_only) & set(normalize.SCALAR_FIELDS)


def test_unrequested_sub_resources_and_absent_values_are_omitted():
    api_gateway = dict(API_GATEWAY)
    del api_gateway['vlan'], api_gateway['authentication_key'], api_gateway['bfd_config']
    result = normalize.gateway(api_gateway, include_as_prepends=False)
    for key in ('vlan', 'authentication_key', 'bfd_config', 'as_prepends', 'export_route_filters', 'virtual_connections',
                'macsec'):
        assert key not in result
    assert result['read_only']['macsec']['status'] == 'secured'
    assert None not in result.values()


def test_output_is_deterministic():
    first = normalize.gateway(API_GATEWAY, VCS, FILTERS, FILTERS, MACSEC, CAKS)
    second = normalize.gateway(API_GATEWAY, list(reversed(VCS)), FILTERS, FILTERS, MACSEC, list(reversed(CAKS)))
    assert first == second


def test_the_two_converters_are_inverse_for_every_field_of_the_table():
    from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import gateway_fields, gateway_state
    shape = normalize.gateway(API_GATEWAY, [], FILTERS, [], MACSEC, CAKS)
    template = gateway_state.create_template(shape)
    for field in gateway_fields.FIELDS:
        if field.change == gateway_fields.IDENTITY or field.name not in API_GATEWAY:
            continue
        if field.api in (gateway_fields.VALUE, gateway_fields.REF_ID, gateway_fields.REF_CRN):
            assert template[field.name] == API_GATEWAY[field.name], field.name
    assert template['bfd_config'] == {'interval': 2000, 'multiplier': 10}
    assert template['macsec']['caks'][0] == {'key': {'crn': 'crn:primary'}, 'name': 'CC', 'session': 'primary'}
    again = normalize.gateway(dict(API_GATEWAY, **template), [], FILTERS, [], MACSEC, CAKS)
    assert dict(again, read_only=None) == dict(shape, read_only=None)  # the template's macsec holds CAKs, no status


def test_every_option_of_the_gateway_shape_has_one_row_and_one_change_rule():
    from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import gateway_fields, gateway_state
    names = [field.name for field in gateway_fields.FIELDS]
    assert len(names) == len(set(names))
    assert set(gateway_fields.argument_spec()) == set(names) | {'read_only'}
    rules = (gateway_state.UPDATABLE, gateway_state.IMMUTABLE, gateway_state.REPLACEABLE_LISTS)
    assert sum(len(rule) for rule in rules) == len(set().union(*rules))
    assert set(gateway_state.CONNECT_ONLY).isdisjoint(gateway_state.DEDICATED_ONLY)
