# -*- coding: utf-8 -*-
# Copyright: contributors to the cloud_dr.ibm_direct_link collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One small function per Transit Gateway SDK call the collection makes, wrapped like the Direct Link ones (api.py).

Every function takes the module's Transit Gateway ``Connection`` (``DirectLinkModule.transit``) first. Only the
``directlink`` connections of transit gateways concern the collection: the path from a transit-mode Direct Link
gateway onwards.
"""

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils.api import sdk_call

try:
    from ibm_cloud_networking_services.transit_gateway_apis_v1 import ConnectionsPager, TransitGatewayConnectionsPager, TransitGatewaysPager
except ImportError:  # the module reports the missing SDK with missing_required_lib
    pass

PAGE_SIZE = 50
DIRECT_LINK_NETWORK = 'directlink'


@sdk_call()
def list_direct_link_connections(sdk, network_id=None):
    """Every ``directlink`` connection of the account's transit gateways (all pages), optionally to one gateway CRN."""
    return ConnectionsPager(client=sdk, limit=PAGE_SIZE, network_type=DIRECT_LINK_NETWORK, network_id=network_id).get_all()


@sdk_call()
def list_transit_gateways(sdk):
    """Every transit gateway of the account (all pages)."""
    return TransitGatewaysPager(client=sdk, limit=PAGE_SIZE).get_all()


@sdk_call(not_found=[])
def list_connections(sdk, transit_gateway_id):
    """Every connection of one transit gateway (all pages; [] when the transit gateway is gone)."""
    return TransitGatewayConnectionsPager(client=sdk, transit_gateway_id=transit_gateway_id, limit=PAGE_SIZE).get_all()


@sdk_call(not_found=None)
def get_transit_gateway(sdk, transit_gateway_id):
    """One transit gateway, or None when it does not exist (any more)."""
    return sdk.get_transit_gateway(transit_gateway_id).get_result()


@sdk_call(not_found=None)
def get_connection(sdk, transit_gateway_id, connection_id):
    """One connection of a transit gateway, or None."""
    return sdk.get_transit_gateway_connection(transit_gateway_id, connection_id).get_result()


@sdk_call(idempotent=False)
def create_direct_link_connection(sdk, transit_gateway_id, template):
    """Connect a Direct Link gateway to a transit gateway: ``template`` holds ``name``, ``network_id`` (the gateway's
    CRN), ``network_account_id`` when the gateway is another account's, ``prefix_filters`` in order and
    ``prefix_filters_default``."""
    return sdk.create_transit_gateway_connection(transit_gateway_id, DIRECT_LINK_NETWORK, **template).get_result()


@sdk_call()
def connection_action(sdk, transit_gateway_id, connection_id, action):
    """``approve`` or ``reject`` a cross-account connection request (as the network's owner)."""
    sdk.create_transit_gateway_connection_actions(transit_gateway_id, connection_id, action)


@sdk_call(not_found=None)
def get_location(sdk, name):
    """A Transit Gateway location (a region) with the Direct Link locations it reaches locally, or None."""
    return sdk.get_gateway_location(name).get_result()
