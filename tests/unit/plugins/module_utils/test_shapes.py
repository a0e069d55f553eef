"""The typed shapes agree with the field table they describe: every option (and sub-option) is a key, and no key is
anything else (``read_only`` and the import's ``missing`` aside)."""

import typing

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import gateway_fields as fields
from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import shapes

PYTHON_TYPES = {'str': str, 'int': int, 'bool': bool}


def keys(shape):
    return set(typing.get_type_hints(shape))


def test_the_gateway_shape_has_a_key_for_every_field_and_nothing_else():
    assert keys(shapes.Gateway) == set(fields.names()) | {'read_only', 'missing'}


@pytest.mark.parametrize('shape, spec', [
    (shapes.RouteFilter, fields.ROUTE_FILTER_SPEC),
    (shapes.AsPrepend, fields.AS_PREPEND_SPEC),
    (shapes.Cak, fields.CAK_SPEC),
    (shapes.VirtualConnection, fields.VC_SPEC),
    (shapes.Bfd, fields.BFD_SPEC),
    (shapes.Macsec, fields.MACSEC_SPEC),
    (shapes.SakRekey, fields.MACSEC_SPEC['sak_rekey']['options']),
    (shapes.TransitConnection, fields.TRANSIT_CONNECTION_SPEC),
    (shapes.TransitGatewayRef, fields.TRANSIT_GATEWAY_SPEC),
])
def test_every_sub_record_has_the_keys_of_its_options(shape, spec):
    assert keys(shape) == set(spec)


def test_scalar_keys_have_the_type_of_their_option():
    hints = typing.get_type_hints(shapes.Gateway)
    for field in fields.FIELDS:
        expected = PYTHON_TYPES.get(field.spec['type'])
        if expected is not None:
            assert hints[field.name] is expected, field.name
        else:
            assert typing.get_origin(hints[field.name]) in (list, None), field.name


def test_a_backup_section_holds_the_gateway_shape():
    assert typing.get_type_hints(shapes.BackupSection)['gateway'] is shapes.Gateway
