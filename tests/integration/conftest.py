"""Fixtures shared by the integration suites: a private simulator per test, and an SDK client for it."""

import pytest

from dlsim.process import Simulator
from drill import backup


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


@pytest.fixture
def backup_dir(sim, tmp_path):
    """A backup of the simulator's account (by default the demo account) made by the backup playbook."""
    directory = tmp_path / 'backup'
    result = backup(sim, tmp_path, directory)
    assert result.rc == 0, result.output
    return directory
