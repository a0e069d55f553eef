"""The collection's pre-flight and the simulator each hold IBM's reserved-ASN list; they must say the same."""

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import gateway_state
from dlsim import state as service

EDGES = sorted({asn + delta for low, high in gateway_state.RESERVED_ASN_RANGES + service.RESERVED_ASN_RANGES
                for asn in (low, high) for delta in (-1, 0, 1)}
               | {asn + delta for asn in gateway_state.RESERVED_ASNS | service.RESERVED_ASNS for delta in (-1, 0, 1)}
               | {1, 64999, 65000, 4294967295, 4294967296})


def test_the_tables_are_equal():
    assert set(gateway_state.RESERVED_ASNS) == set(service.RESERVED_ASNS)
    assert tuple(gateway_state.RESERVED_ASN_RANGES) == tuple(service.RESERVED_ASN_RANGES)


@pytest.mark.parametrize('asn', EDGES)
def test_both_judge_every_edge_alike(asn):
    assert gateway_state.asn_is_valid(asn) == service.asn_is_valid(asn)


def test_the_edges_hold_valid_and_reserved_numbers():
    verdicts = {service.asn_is_valid(asn) for asn in EDGES}
    assert verdicts == {True, False}
