"""Fixtures shared by the integration suites: a private simulator per test, and an SDK client for it."""

import pytest
from ibm_cloud_networking_services import DirectLinkV1
from ibm_cloud_sdk_core.authenticators import IAMAuthenticator

from dlsim.process import Simulator

API_VERSION = '2024-11-01'


def make_client(sim, api_key=None):
    """An unmodified SDK client pointed at the simulator."""
    client = DirectLinkV1(version=API_VERSION, authenticator=IAMAuthenticator(api_key or sim.api_key, url=sim.url))
    client.set_service_url(sim.api_url)
    return client


@pytest.fixture
def sim_options():
    """Simulator command-line options; override in a module to change delays or faults."""
    return {'provision_delay': 0.2, 'vc_delay': 0.2}


@pytest.fixture
def sim(sim_options):
    """A fresh simulator seeded with the demo account, stopped by its PID afterwards."""
    simulator = Simulator(seed='demo', **sim_options)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture
def dl(sim):
    """A DirectLinkV1 client for the simulator."""
    return make_client(sim)
