"""Run a simulator as a child process on a free loopback port, and drive its /_sim/ controls.

Used by the tests, the molecule scenarios, the demo and the benchmarks::

    with Simulator(seed='demo', provision_delay=0.2) as sim:
        os.environ['IBMCLOUD_DL_API_ENDPOINT'] = sim.api_url
        ...
        assert sim.stats()['mutating'] == 0

The child is stopped by the PID recorded at start (SIGTERM, then SIGKILL after a deadline), never by name.
"""

import json
import signal
import subprocess
import sys
import time
import urllib.request

from dlsim.iam import DEFAULT_API_KEY

LISTENING = 'dlsim listening on '


class SimulatorError(RuntimeError):
    """The simulator did not start, or a control call failed."""


class Simulator:
    """A ``dlsim serve`` child process; ``options`` are its ``dlsim serve`` options (``provision_delay=0.2``)."""

    # What start() finds out: the child while it runs, the URL it listens on, and its port (0 until the first start:
    # a free one; a restart keeps it).
    process = None
    url = None
    port = 0

    def __init__(self, seed='demo', api_key=DEFAULT_API_KEY, start_timeout=20.0, **options):
        self.seed = seed
        self.api_key = api_key
        self.start_timeout = start_timeout
        self.options = options

    # ------------------------------------------------------------------ lifecycle
    def command(self):
        """The command line of the child process."""
        command = [sys.executable, '-m', 'dlsim', 'serve', '--host', '127.0.0.1', '--port', str(self.port)]
        if isinstance(self.seed, str):
            command += ['--seed', self.seed]
        for name, value in sorted(self.options.items()):
            if value is None:
                continue
            for item in value if isinstance(value, (list, tuple)) else [value]:
                command += ['--' + name.replace('_', '-'), str(item)]
        return command

    def start(self):
        """Start the child and wait (with a deadline) for its listening line."""
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE, text=True)  # pylint: disable=consider-using-with
        deadline = time.monotonic() + self.start_timeout
        line = ''
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith(LISTENING) or self.process.poll() is not None:
                break
        if not line.startswith(LISTENING):
            self.stop()
            raise SimulatorError(f'dlsim did not start (last output: {line.strip()!r})')
        self.url = line[len(LISTENING):].strip()
        self.port = int(self.url.rsplit(':', 1)[1])
        if isinstance(self.seed, dict):
            self.seed_with(self.seed)
        return self

    @property
    def pid(self):
        """The child's PID."""
        return self.process.pid if self.process else None

    @property
    def api_url(self):
        """The Direct Link service URL (``endpoint``), also the Transit Gateway one: both are served under /v1."""
        return self.url + '/v1'

    def stop(self, timeout=10.0):
        """SIGTERM the recorded PID, then SIGKILL it if it has not exited by the deadline."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self.process.stdout.close()
        code = self.process.returncode
        self.process = None
        return code

    def kill(self):
        """SIGKILL the child (a crash), keeping the port for a restart."""
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        self.process = None

    def restart(self):
        """Start again on the same port (with ``state_file``, the state survives)."""
        if self.process is not None:
            self.stop()
        return self.start()

    def client(self, api_key=None, version='2024-11-01'):
        """An unmodified IBM SDK client (``DirectLinkV1``) pointed at this simulator."""
        # Imported here: the simulator itself needs only the standard library.
        from ibm_cloud_networking_services import DirectLinkV1  # pylint: disable=import-outside-toplevel
        return self._sdk_client(DirectLinkV1, api_key, version)

    def transit_client(self, api_key=None, version='2024-11-01'):
        """An unmodified IBM SDK client of the Transit Gateway API (``TransitGatewayApisV1``) pointed at this
        simulator."""
        from ibm_cloud_networking_services import TransitGatewayApisV1  # pylint: disable=import-outside-toplevel
        return self._sdk_client(TransitGatewayApisV1, api_key, version)

    def _sdk_client(self, service, api_key, version):
        from ibm_cloud_sdk_core.authenticators import IAMAuthenticator  # pylint: disable=import-outside-toplevel

        client = service(version=version, authenticator=IAMAuthenticator(api_key or self.api_key, url=self.url))
        client.set_service_url(self.api_url)
        return client

    def environment(self):
        """The environment variables that point the collection's modules at this simulator."""
        return {'IC_API_KEY': self.api_key, 'IBMCLOUD_DL_API_ENDPOINT': self.api_url,
                'IBMCLOUD_TG_API_ENDPOINT': self.api_url, 'IBMCLOUD_IAM_API_ENDPOINT': self.url}

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    # ------------------------------------------------------------------ controls
    def control(self, method, name, body=None):
        """Call a /_sim/ control and return its JSON answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f'{self.url}/_sim/{name}', data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b'null')
        except urllib.error.HTTPError as exc:
            raise SimulatorError(f'/_sim/{name}: {exc.code} {exc.read().decode()}') from exc

    def stats(self):
        """Request counters."""
        return self.control('GET', 'stats')

    def reset_stats(self):
        """Zero the request counters."""
        return self.control('POST', 'stats/reset', {})

    def reset(self):
        """Remove every gateway."""
        return self.control('POST', 'reset', {})

    def seed_with(self, spec):
        """Replace the state: ``'demo'``, ``{'generate': {...}}`` or a state document."""
        return self.control('POST', 'seed', {'seed': spec} if isinstance(spec, str) else spec)

    def faults(self, **settings):
        """Set the injected faults (no arguments clears them)."""
        return self.control('POST', 'faults', settings)

    def rate_limit(self, rps=None, burst=None):
        """Limit each account to ``rps`` API requests a second (burst ``burst``); no arguments clears the limit."""
        return self.control('POST', 'rate_limit', {} if rps is None else {'rps': rps, 'burst': burst})

    def disaster(self, **settings):
        """Fail a location (``location=``, ``mode='down'|'lost'``); ``transit_regions=[...]`` loses the transit
        gateways of those regions too."""
        return self.control('POST', 'disaster', settings)

    def advance(self, **settings):
        """Advance a gateway's lifecycle (``gateway_id=`` or ``name=``, optional ``to=``, ``reasons=``, ``reason=``), or
        the simulator's clock (``seconds=``)."""
        return self.control('POST', 'advance', settings)

    def observe(self, **settings):
        """Set what the service observes on a gateway (``gateway_id=`` or ``name=``; ``bgp_status=``, ``macsec=``,
        ``cak=``, ``on_prem_routes=``)."""
        return self.control('POST', 'set', settings)

    def event(self, event, **settings):
        """Something another party does: ``network_deleted`` (``network_id=``), ``provider_create`` (``gateway=``,
        ``account=``), ``provider_update`` (``updates=``) or ``provider_delete`` (``gateway_id=`` or ``name=``)."""
        return self.control('POST', 'event', dict(settings, event=event))

    def state(self):
        """The whole state document."""
        return self.control('GET', 'state')

    def gateway(self, name):
        """The state record of the account's gateway called ``name`` (None when absent)."""
        return next((g for g in self.state()['gateways'] if g['name'] == name), None)
