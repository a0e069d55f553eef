"""The rehearsal's plan file (read as data by the rehearsed runs) and how a failed rehearsed run is reported."""


import backup_writer
from ansible.module_utils._internal._datatag import AnsibleTagHelper  # pylint: disable=import-error
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import _rehearsal_plan as rehearsal_plan
from ansible_collections.cloud_dr.ibm_direct_link.plugins.modules import _rehearsal_report as rehearsal_report


def test_every_plan_value_reads_back_as_the_same_data_that_templating_leaves_alone(tmp_path):
    pwned = tmp_path / 'PWNED'
    plan = {'recover_name_template': f"{{name}}{{{{ lookup('pipe', 'touch {pwned}') }}}}",
            'recover_port_map': {'{{ 7 * 6 }}': {'provider': '{% if true %}x{% endif %}'}},
            'recover_limit': ['{# comment #}gw', '1000', 'yes', 'null', '0x1f'], 'recover_wait_timeout': 60,
            'recover_start_all_first': False, 'recover_macsec': {'gw': {'caks': [{'name': '1000', 'session': 'primary'}]}}}
    plan_file = tmp_path / 'plan.yml'
    plan_file.write_text(rehearsal_plan.plan_document(plan))
    loaded = DataLoader().load_from_file(str(plan_file), trusted_as_template=True)  # as -e @plan.yml loads it
    templated = Templar(loader=DataLoader(), variables={'plan': loaded}).template(trust_as_template('{{ plan }}'))
    assert AnsibleTagHelper.as_native_type(templated) == plan
    assert not pwned.exists()


def test_a_failed_run_is_quoted_by_its_first_error_with_its_continuation_and_its_log():
    run = {'item': 'recover', 'rc': 2, 'stdout': 'fatal: [localhost]: FAILED! => {"msg": "later"}\n',
           'stderr': '[WARNING]: noise\n[ERROR]: Task failed: Validation of arguments failed:\n'
                     "argument 'recover_wait_timeout' is not an int\nOrigin: <unknown>\n\n[ERROR]: second\n"}
    assert rehearsal_report.run_failure(run, '/srv/rehearsal') == (
        "the rehearsed recover run failed (rc 2): [ERROR]: Task failed: Validation of arguments failed: "
        "argument 'recover_wait_timeout' is not an int (whole output: /srv/rehearsal/recover.log)")


def test_a_run_without_an_error_line_still_names_its_log_and_long_errors_are_cut():
    assert rehearsal_report.run_failure({'item': 'verify', 'rc': 1, 'stdout': '', 'stderr': ''}, '/r') == (
        'the rehearsed verify run failed (rc 1): no error line (whole output: /r/verify.log)')
    long_error = 'ERROR! ' + 'x' * 2000
    quoted = rehearsal_report.first_error({'stdout': long_error})
    assert quoted.startswith('ERROR! x') and len(quoted) == rehearsal_report.MAX_QUOTE + 1


def test_a_virtual_connection_the_plan_skips_adds_no_manual_step_to_the_estimate(tmp_path):
    other_account_vpc = 'crn:v1:bluemix:public:is:us-south:a/0therAccount::vpc:r006-1'
    gateway = {'id': 'g1', 'name': 'gw', 'type': 'connect', 'speed_mbps': 1000, 'bgp_asn': 64999, 'port': 'p1',
               'location_name': 'dal10', 'read_only': {'crn': 'crn:v1:bluemix:public:directlink:dal10:a/mine::connect:g1'},
               'virtual_connections': [{'name': 'vc', 'type': 'vpc', 'network_id': other_account_vpc,
                                        'read_only': {'status': 'rejected'}}]}
    backup_writer.write_backup(tmp_path, gateway, 'gw', source={'account_id': 'mine'})
    desired = {key: value for key, value in gateway.items() if key not in ('id', 'read_only')}
    params = {'backup_dir': str(tmp_path), 'plan': {}, 'recovery_seconds': 60.0, 'runs': [], 'lead_times': {},
              'report_dir': str(tmp_path), 'gateways_after': [{'name': 'gw', 'operational_status': 'provisioned'}]}

    planned_without = {'gateways': {'gw': {'desired': dict(desired, virtual_connections=[]), 'notes': {}}}}
    planned_with = {'gateways': {'gw': {'desired': dict(desired, virtual_connections=[
        {'name': 'vc', 'type': 'vpc', 'network_id': other_account_vpc}]), 'notes': {}}}}
    skipped, _general, _outside = rehearsal_report.judge(dict(params, preflight=planned_without))
    recreated, _general, _outside = rehearsal_report.judge(dict(params, preflight=planned_with))

    approval = 'must approve virtual connection vc'
    assert not any(approval in step for step in skipped['gw']['steps'])
    assert any(approval in step for step in recreated['gw']['steps'])
