"""Fixtures shared by the integration suites: a private simulator per test, and an SDK client for it."""

import pytest

from dlsim.process import Simulator


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
    return sim.client()
