"""What a backup lacks and what it recorded as inactive: plan options, pre-flight problems, drift, reports."""

import pytest

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import manual_steps, recovery, recovery_report, rehearsal
from catalog_stubs import EmptyCatalog

ACCOUNT = '4111d05f36894e3cb9b46a43556d9000'
CAKS = [{'name': '1000', 'key': 'crn:v1:bluemix:public:kms:us-south:a/x:r:key:k1', 'session': 'primary'}]
MACSEC_WITHOUT_CAKS = {'active': True, 'security_policy': 'must_secure', 'sak_rekey': {'mode': 'timer', 'interval': 3600}}
MACSEC_GAP = {'field': 'macsec', 'reason': 'MACsec was active (must_secure) at export time; no CAKs'}
FILTERS_GAP = {'field': 'route_filters', 'reason': 'the CLI list carries no route filters'}


def section(missing=(), vcs=(), macsec=None):
    gateway = {'id': 'g1', 'name': 'dal10-dedicated', 'type': 'dedicated', 'speed_mbps': 10000, 'bgp_asn': 64997,
               'location_name': 'dal10', 'cross_connect_router': 'xcr01.dal10', 'virtual_connections': list(vcs)}
    if macsec is not None:
        gateway['macsec'] = macsec
    result = {'gateway': gateway, 'source': {'crn': f'crn:v1:bluemix:public:directlink:dal10:a/{ACCOUNT}::dedicated:g1'}}
    if missing:
        result['missing'] = list(missing)
    return result


def remapped(values, backup_section):
    replacement = recovery.Replacement('dal10_dedicated', backup_section)
    recovery.remap(replacement, recovery.Plan(values), EmptyCatalog())
    return replacement


def vc(name, status):
    return {'name': name, 'type': 'classic', 'read_only': {'status': status}}


VCS = [vc('up', 'attached'), vc('asked', 'approval_pending'), vc('gone', 'deleting'), vc('cut', 'detached_by_network'),
       vc('cutting', 'detached_by_network_pending'), vc('no', 'rejected'), vc('late', 'expired'), vc('new', 'pending')]


def test_inactive_vcs_are_skipped_with_the_reason_and_none_is_sent_its_status():
    replacement = remapped({}, section(vcs=VCS))
    assert replacement.desired['virtual_connections'] == [{'name': name, 'type': 'classic'} for name in ('up', 'asked', 'new')]
    assert [(item['name'], item['status']) for item in replacement.notes['skipped_vcs']] == [
        ('gone', 'deleting'), ('cut', 'detached_by_network'), ('cutting', 'detached_by_network_pending'),
        ('no', 'rejected'), ('late', 'expired')]
    assert 'it was deleting at backup time (recover_inactive_vcs: recreate includes it)' == replacement.notes['skipped_vcs'][0]['reason']
    assert replacement.problems == []


def test_recover_inactive_vcs_recreate_includes_them():
    replacement = remapped({'recover_inactive_vcs': 'recreate'}, section(vcs=VCS))
    assert len(replacement.desired['virtual_connections']) == len(VCS) and replacement.notes['skipped_vcs'] == []
    assert all('read_only' not in item for item in replacement.desired['virtual_connections'])


def test_skipped_vcs_are_not_drift_but_listed_as_not_compared():
    replacement = remapped({}, section(vcs=[vc('up', 'attached'), vc('cut', 'detached_by_network')], missing=[FILTERS_GAP]))
    live = dict(replacement.desired, virtual_connections=[{'name': 'up', 'type': 'classic'}],
                read_only={'operational_status': 'provisioned'})
    assert recovery.drift(replacement, live) == ([], [])
    assert recovery.not_compared(replacement) == [
        "gateway 'dal10-dedicated' (host dal10_dedicated): route_filters (not in the backup: the CLI list carries no route filters)",
        "gateway 'dal10-dedicated' (host dal10_dedicated): virtual connection cut (not recreated: it was detached_by_network at "
        'backup time (recover_inactive_vcs: recreate includes it))']


def test_each_missing_field_is_a_problem_naming_the_option_that_resolves_it():
    replacement = remapped({}, section(missing=[MACSEC_GAP, FILTERS_GAP], macsec=MACSEC_WITHOUT_CAKS))
    macsec, filters = replacement.problems
    assert macsec.startswith("gateway 'dal10-dedicated' (host dal10_dedicated): macsec is not in the backup (MACsec was active")
    assert 'recover_macsec: {dal10-dedicated: {caks: [{name, key, session}]}}' in macsec
    assert 'recover_accept_missing: [macsec] (or {dal10-dedicated: [macsec]})' in macsec
    assert 'route_filters is not in the backup' in filters and 'recover_accept_missing: [route_filters]' in filters
    assert 'macsec' not in replacement.desired


def test_recover_macsec_completes_the_settings_the_backup_holds():
    replacement = remapped({'recover_macsec': {'dal10-dedicated': {'caks': CAKS}}, 'recover_accept_missing': ['route_filters']},
                           section(missing=[MACSEC_GAP, FILTERS_GAP], macsec=MACSEC_WITHOUT_CAKS))
    assert replacement.problems == []
    assert replacement.desired['macsec'] == dict(MACSEC_WITHOUT_CAKS, caks=CAKS)
    assert replacement.notes['macsec_from_plan'] and replacement.notes['without'] == [FILTERS_GAP]


def test_recover_macsec_without_the_sak_rekey_the_backup_lacks_too_is_a_problem():
    partial = {'active': True, 'security_policy': 'must_secure'}
    replacement = remapped({'recover_macsec': {'dal10-dedicated': {'caks': CAKS}}}, section(missing=[MACSEC_GAP], macsec=partial))
    assert replacement.problems == ["gateway 'dal10-dedicated' (host dal10_dedicated): the MACsec settings (recover_macsec with the "
                                    "backup's settings) lack sak_rekey"]
    assert 'macsec' not in replacement.desired


@pytest.mark.parametrize('accept', [['macsec', 'route_filters'], {'dal10-dedicated': ['macsec', 'route_filters']}],
                         ids=['every-gateway', 'per-gateway'])
def test_accepting_to_recover_without_is_recorded_for_the_report(accept):
    replacement = remapped({'recover_accept_missing': accept}, section(missing=[MACSEC_GAP, FILTERS_GAP], macsec=MACSEC_WITHOUT_CAKS))
    assert replacement.problems == [] and 'macsec' not in replacement.desired
    assert replacement.notes['without'] == [MACSEC_GAP, FILTERS_GAP]


def test_a_partial_macsec_the_backup_does_not_explain_is_a_problem():
    replacement = remapped({}, section(macsec=MACSEC_WITHOUT_CAKS))
    assert replacement.problems == ["gateway 'dal10-dedicated' (host dal10_dedicated): the MACsec settings (the backup) lack caks"]


def test_malformed_missing_entries_are_problems():
    replacement = remapped({}, section(missing=['route_filters']))
    assert replacement.problems == ["gateway 'dal10-dedicated' (host dal10_dedicated): missing holds 'route_filters', "
                                    'expected {field, reason} entries']


@pytest.mark.parametrize('values, expected', [
    ({'recover_inactive_vcs': 'sometimes'}, "plan: recover_inactive_vcs is 'sometimes', expected 'skip' or 'recreate'"),
    ({'recover_accept_missing': ['macsec', 'bfd']}, 'plan: recover_accept_missing names bfd, expected one of macsec, '
                                                    'route_filters, virtual_connections'),
    ({'recover_accept_missing': 'macsec'}, 'plan: recover_accept_missing must be a list of fields (for every gateway) or a mapping'),
    ({'recover_accept_missing': {'nope': ['macsec']}}, 'plan: recover_accept_missing names gateway nope, which is not in the backup'),
    ({'recover_accept_missing': {'gw': 'macsec'}}, "plan: recover_accept_missing[gw] must be a list of fields"),
    ({'recover_macsec': ['x']}, 'plan: recover_macsec must be a mapping of gateway name to MACsec settings, got list'),
    ({'recover_macsec': {'nope': {'caks': CAKS}}}, 'plan: recover_macsec names gateway nope, which is not in the backup'),
    ({'recover_macsec': {'gw': {'cak': CAKS}}}, 'plan: recover_macsec[gw].cak is not a MACsec setting'),
    ({'recover_macsec': {'gw': {'caks': [{'name': '1', 'key': 'k', 'session': 'third'}]}}},
     'plan: recover_macsec[gw].caks[0] must be {name: HEX, key: KEY_CRN, session: primary|fallback}'),
    ({'recover_macsec': {'gw': {'window_size': True}}}, 'plan: recover_macsec[gw].window_size is True, expected int'),
], ids=['inactive-choice', 'accept-field', 'accept-type', 'accept-gateway', 'accept-list', 'macsec-type', 'macsec-gateway',
        'macsec-key', 'macsec-cak', 'macsec-bool'])
def test_gap_options_are_checked(values, expected):
    problems = recovery.Plan(values).gap_problems({'gw'})
    assert any(expected in problem for problem in problems), problems


def test_the_default_plan_has_no_gap_problems():
    assert recovery.Plan({}).gap_problems({'gw'}) == []
    assert {'recover_macsec', 'recover_accept_missing', 'recover_inactive_vcs'} <= set(recovery.PLAN_KEYS)


def test_the_recovery_report_says_what_was_not_recreated_and_why():
    replacement = remapped({'recover_accept_missing': ['macsec', 'route_filters']},
                           section(missing=[MACSEC_GAP, FILTERS_GAP], macsec=MACSEC_WITHOUT_CAKS, vcs=VCS[:4]))
    plan = {'dal10_dedicated': {'desired': replacement.desired, 'notes': replacement.notes}}
    report = recovery_report.document(
        plan, {'dal10_dedicated': {'gateway': {'id': 'n1', 'read_only': {'operational_status': 'awaiting_loa'}}}}, [], [], True)
    table = report['gateways']
    text = recovery_report.markdown(report)
    assert '## Not recreated, by the plan' in text
    assert '- **dal10-dedicated**: Not recreated: virtual connection gone, it was deleting at backup time' in text
    assert 'Recovered without macsec: MACsec was active (must_secure) at export time; no CAKs.' in text
    assert 'recovered WITHOUT MACsec by decision (recover_accept_missing)' in text
    assert 'recovered without route filters by decision' in text
    assert any(line.startswith('dal10-dedicated: Not recreated: virtual connection cut') for line in recovery_report.text_table(table))


def test_the_rehearsal_lists_the_decisions_as_steps_without_lead_time():
    notes = {'skipped_vcs': [{'name': 'cut', 'status': 'expired', 'reason': 'it was expired at backup time'}]}
    steps = manual_steps.decision_steps(notes)
    assert steps == [(None, 'Not recreated: virtual connection cut, it was expired at backup time.')]
    assert rehearsal.estimate(steps, 1.0, manual_steps.LEAD_TIMES) == [1.0, 1.0]


@pytest.mark.parametrize('manifest, crns, expected', [
    ({'source': {'account_id': 'recorded'}}, [], ('recorded', None)),
    ({'source': {}}, [ACCOUNT, ACCOUNT], (ACCOUNT, None)),
    ({}, [], (None, 'source.account_id is missing and no gateway CRN names the account')),
    ({}, [ACCOUNT, 'other'], (None, f'source.account_id is missing and the gateway CRNs name different accounts ({ACCOUNT}: h0; other: h1)')),
], ids=['recorded', 'derived', 'none', 'disagree'])
def test_the_account_of_a_backup_is_recorded_or_derived_from_the_crns(manifest, crns, expected):
    sections = {f'h{index}': {'source': {'crn': f'crn:v1:bluemix:public:directlink:dal10:a/{account}::connect:g{index}'}}
                for index, account in enumerate(crns)}
    assert rehearsal.account_id(manifest, sections) == expected


def test_malformed_macsec_settings_in_a_backup_are_problems_not_tracebacks():
    broken = dict(MACSEC_WITHOUT_CAKS, sak_rekey='hourly', caks=['k1'])
    replacement = remapped({}, section(macsec=broken))
    assert replacement.problems == [
        "gateway 'dal10-dedicated' (host dal10_dedicated): macsec.sak_rekey is 'hourly', expected dict (in the backup)",
        "gateway 'dal10-dedicated' (host dal10_dedicated): macsec.caks[0] must be {name: HEX, key: KEY_CRN, "
        "session: primary|fallback}, got 'k1' (in the backup)"]
    assert 'macsec' not in replacement.desired


@pytest.mark.parametrize('status, where', [('provisioned', 0), ('awaiting_loa', 1)])
def test_drift_of_virtual_connections_follows_the_state_modules_plan(status, where):
    vpc = 'crn:v1:bluemix:public:is:us-south:a/x::vpc:r006-1'
    replacement = remapped({}, section(vcs=[vc('up', 'attached'), vc('absent', 'attached'),
                                            {'name': 'app', 'type': 'vpc', 'network_id': vpc}]))
    live = dict(replacement.desired, read_only={'operational_status': status},
                virtual_connections=[{'name': 'up', 'type': 'classic'},
                                     {'name': 'app', 'type': 'vpc', 'network_id': vpc.replace('r006-1', 'r006-2')}])
    drifts, pending = recovery.drift(replacement, live)
    prefix = "gateway 'dal10-dedicated' (host dal10_dedicated): "
    assert drifts[0] == (prefix + f"virtual connection 'app' has network_id {vpc.replace('r006-1', 'r006-2')!r}, desired "
                         f"{vpc!r}: it cannot change; delete it and create a new one")
    # Missing: drift once the gateway is provisioned, pending while it cannot have virtual connections yet.
    assert (drifts[1:], pending)[where] == [prefix + 'virtual connection absent is missing']
    assert len(drifts) + len(pending) == 2


def test_a_transit_mode_gateway_has_no_virtual_connection_drift():
    replacement = remapped({}, section(vcs=[vc('tgw', 'attached')]))
    replacement.desired['connection_mode'] = 'transit'
    live = dict(replacement.desired, virtual_connections=[], read_only={'operational_status': 'provisioned'})
    assert recovery.drift(replacement, live) == ([], [])
