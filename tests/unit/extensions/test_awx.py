"""The AWX files (extensions/awx/) agree with each other and with the collection they configure."""

import glob
import json
import os
import re

import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils import auth

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
AWX = os.path.join(ROOT, 'extensions', 'awx')
CREDENTIAL_NAME = 'IBM Cloud Direct Link (production)'
# The types of a survey answer, by the role option type they feed.
SURVEY_TYPES = {'str': {'text', 'textarea', 'multiplechoice'}, 'int': {'integer'}, 'bool': {'multiplechoice'}}


def load_yaml(*path):
    with open(os.path.join(ROOT, *path), encoding='utf-8') as stream:
        return yaml.safe_load(stream)


def load_requests():
    requests = []
    for path in sorted(glob.glob(os.path.join(AWX, 'api', '*.json'))):
        with open(path, encoding='utf-8') as stream:
            requests.append((os.path.basename(path), json.load(stream)))
    return requests


REQUESTS = load_requests()
BY_NAME = dict(REQUESTS)


def resource(request):
    """The AWX resource a POST to a collection endpoint creates (None for sub-resources)."""
    match = re.fullmatch(r'/api/v2/([a-z_]+)/', request['path'])
    return match.group(1) if match else None


def job_templates():
    return {request['body']['name']: request for _file, request in REQUESTS if resource(request) == 'job_templates'}


def option_specs(role):
    return load_yaml('roles', role, 'meta', 'argument_specs.yml')['argument_specs']['main']['options']


def render_injectors(inputs):
    """The environment AWX injects for a credential with ``inputs`` (same sandboxed Jinja as AWX)."""
    injectors = load_yaml('extensions', 'awx', 'credential_type.yml')['injectors']
    environment = ImmutableSandboxedEnvironment()
    return {name: environment.from_string(template).render(**inputs) for name, template in injectors['env'].items()}


def test_request_files_are_numbered_in_order_and_well_formed():
    assert [name[:3] for name, _request in REQUESTS] == [f'{number:02d}-' for number in range(1, len(REQUESTS) + 1)]
    for name, request in REQUESTS:
        assert set(request) <= {'comment', 'method', 'path', 'resolve', 'body'}, name
        assert request['method'] == 'POST' and request['path'].startswith('/api/v2/') and request['path'].endswith('/')
        assert isinstance(request['body'], dict) and request['comment'], name
        for key, target in request.get('resolve', {}).items():
            assert set(target) <= {'resource', 'name', 'prerequisite'}, (name, key)
            in_path = '{' + key + '}' in request['path']
            assert in_path or key not in request['body'], f'{name}: {key} is resolved and also given'
        for placeholder in re.findall(r'\{(\w+)\}', request['path']):
            assert placeholder in request.get('resolve', {}), f'{name}: nothing resolves {{{placeholder}}}'


def test_every_reference_is_created_earlier_or_is_a_documented_prerequisite():
    with open(os.path.join(AWX, 'README.md'), encoding='utf-8') as stream:
        readme = stream.read()
    created = set()
    for name, request in REQUESTS:
        for key, target in request.get('resolve', {}).items():
            if 'prerequisite' in target:
                assert (target['resource'], target['name']) not in created, f'{name}: {key} is created here, not by hand'
                assert target['name'] in readme or target['name'] == 'Default', f'{name}: undocumented {target["name"]}'
            else:
                assert (target['resource'], target['name']) in created, f'{name}: {key} -> {target} is not created before'
        if resource(request):
            assert (resource(request), request['body']['name']) not in created, f'{name}: created twice'
            created.add((resource(request), request['body']['name']))


def test_environment_placeholders_are_documented():
    with open(os.path.join(AWX, 'README.md'), encoding='utf-8') as stream:
        readme = stream.read()
    used = set()
    for _name, request in REQUESTS:
        used |= set(re.findall(r'"\$ENV\.([A-Z_]+)"', json.dumps(request)))
    assert used == {'IC_API_KEY', 'DL_BACKUP_REPO', 'DL_EE_IMAGE'}
    for variable in used:
        assert f'{variable}=' in readme, variable


def test_credential_type_file_and_request_are_the_same():
    credential_type = load_yaml('extensions', 'awx', 'credential_type.yml')
    body = BY_NAME['02-credential-type.json']['body']
    assert body == {key: credential_type[key] for key in ('name', 'description', 'kind', 'inputs', 'injectors')}
    assert credential_type['kind'] in ('cloud', 'net')  # the kinds AWX allows for custom types


def test_credential_inputs_are_injected_into_the_variables_the_modules_read():
    credential_type = load_yaml('extensions', 'awx', 'credential_type.yml')
    spec = auth.auth_argument_spec()
    fields = {field['id']: field for field in credential_type['inputs']['fields']}
    assert set(fields) == {'api_key', 'endpoint', 'iam_endpoint'}
    assert fields['api_key'].get('secret') is True and spec['api_key']['no_log'] is True
    assert credential_type['inputs']['required'] == ['api_key']
    assert not {key for key, value in fields.items() if key != 'api_key' and value.get('secret')}
    injected = render_injectors({field: f'value-of-{field}' for field in fields})
    for field in fields:
        receiving = [name for name, value in injected.items() if value == f'value-of-{field}']
        assert len(receiving) == 1, (field, injected)
        assert receiving[0] in spec[field]['fallback'][1], f'{field} is injected as {receiving[0]}, the modules read ' \
                                                           f'{spec[field]["fallback"][1]}'
    assert injected['IC_API_KEY'] == 'value-of-api_key'


@pytest.mark.parametrize('inputs', [{'api_key': 'k'}, {'api_key': 'k', 'endpoint': '', 'iam_endpoint': ''}])
def test_an_empty_endpoint_injects_the_modules_default_not_an_empty_variable(inputs):
    assert render_injectors(inputs) == {'IC_API_KEY': 'k', 'IBMCLOUD_DL_API_ENDPOINT': auth.DEFAULT_ENDPOINT,
                                        'IBMCLOUD_IAM_API_ENDPOINT': auth.DEFAULT_IAM_ENDPOINT}


def test_job_templates_run_existing_playbooks_with_known_variables():
    templates = job_templates()
    assert set(templates) == {'Direct Link backup', 'Direct Link verify', 'Direct Link recover', 'Direct Link rehearse'}
    recover_options = option_specs('recover')
    with open(os.path.join(ROOT, 'playbooks', 'verify.yml'), encoding='utf-8') as stream:
        verify_playbook = stream.read()
    allowed = {'backup.yml': set(option_specs('backup')),
               'recover.yml': set(recover_options),
               'verify.yml': {'verify_backup_dir'} | {name for name in recover_options if name in verify_playbook},
               'rehearse.yml': set(option_specs('rehearse')) | set(recover_options)}
    for name, request in templates.items():
        body = request['body']
        playbook = os.path.join(ROOT, body['playbook'])
        assert os.path.isfile(playbook) and body['playbook'].startswith('playbooks/'), name
        extra_vars = body.get('extra_vars', {})
        unknown = set(extra_vars) - allowed[os.path.basename(playbook)]
        assert not unknown, f'{name}: unknown extra variables {unknown}'
        assert body.get('job_type') in ('run', 'check')
        assert request['resolve']['project']['name'] == 'Direct Link DR playbooks'
    backup_options = option_specs('backup')
    for key, value in templates['Direct Link backup']['body']['extra_vars'].items():
        assert isinstance(value, bool) == (backup_options[key]['type'] == 'bool'), key


def test_every_job_template_gets_the_direct_link_credential():
    attached = {request['resolve']['job_template']['name'] for _name, request in REQUESTS
                if request['path'] == '/api/v2/job_templates/{job_template}/credentials/'
                and request['resolve']['id']['name'] == CREDENTIAL_NAME}
    assert attached == set(job_templates())


def test_backup_and_verify_are_scheduled_daily_and_the_rehearsal_weekly():
    scheduled = {}
    for _name, request in REQUESTS:
        if resource(request) == 'schedules':
            scheduled[request['resolve']['unified_job_template']['name']] = request['body']['rrule']
    assert set(scheduled) == {'Direct Link backup', 'Direct Link verify', 'Direct Link rehearse'}
    for name, rrule in scheduled.items():
        every = 'WEEKLY;INTERVAL=1;BYDAY=MO' if name == 'Direct Link rehearse' else 'DAILY;INTERVAL=1'
        assert re.fullmatch(r'DTSTART;TZID=UTC:\d{8}T\d{6} RRULE:FREQ=' + every, rrule), rrule


def test_recover_defaults_to_check_mode_with_a_survey():
    body = job_templates()['Direct Link recover']['body']
    assert body['job_type'] == 'check' and body['ask_job_type_on_launch'] is True
    assert body['diff_mode'] is True and body['survey_enabled'] is True and body['ask_variables_on_launch'] is True
    assert body['forks'] >= 10
    survey = BY_NAME['17-job-template-recover-survey.json']
    assert survey['resolve']['job_template']['name'] == 'Direct Link recover'
    assert survey['path'] == '/api/v2/job_templates/{job_template}/survey_spec/'


def test_survey_questions_are_options_of_the_recover_role():
    options = option_specs('recover')
    defaults = load_yaml('roles', 'recover', 'defaults', 'main.yml')
    spec = BY_NAME['17-job-template-recover-survey.json']['body']['spec']
    variables = [question['variable'] for question in spec]
    assert len(variables) == len(set(variables))
    for question in spec:
        name = question['variable']
        assert name in options, f'{name} is not an option of roles/recover/meta/argument_specs.yml'
        option = options[name]
        assert question['type'] in SURVEY_TYPES[option['type']], (name, question['type'], option['type'])
        assert question['question_name'] and question['question_description'] and 'required' in question
        if question['type'] == 'multiplechoice':
            expected = option.get('choices') or (['true', 'false'] if option['type'] == 'bool' else None)
            assert expected and question['choices'] == expected, name
            assert question['default'] in question['choices']
        if question['type'] == 'integer':
            assert question['min'] <= question['default'] <= question['max']
            assert question['default'] == defaults[name], f'{name}: the survey default differs from the role default'
        if question['type'] == 'text':
            assert question['min'] <= len(question['default']) <= question['max']
    assert '{name}' in spec[variables.index('recover_name_template')]['default']
    extra_vars = job_templates()['Direct Link recover']['body']['extra_vars']
    assert not set(variables) & set(extra_vars), 'a survey answer and an extra variable set the same option'


def test_the_whole_demo_plan_can_be_given_at_launch():
    plan = load_yaml('tools', 'demo', 'dr-plan.yml')
    body = job_templates()['Direct Link recover']['body']
    spec = BY_NAME['17-job-template-recover-survey.json']['body']['spec']
    settable = set(body['extra_vars']) | {question['variable'] for question in spec}
    assert set(plan) <= settable
    options = option_specs('recover')
    for key, value in body['extra_vars'].items():
        kind = {'dict': dict, 'list': list, 'str': str}[options[key]['type']]
        assert isinstance(value, kind), key


def test_versions_and_repository_match_galaxy_yml():
    galaxy = load_yaml('galaxy.yml')
    project = BY_NAME['04-project-playbooks.json']['body']
    assert project['scm_url'] in (galaxy['repository'], galaxy['repository'] + '.git')
    assert project['scm_branch'] == galaxy['version']
    tags = load_yaml('execution-environment.yml')['options']['tags']
    assert [tag.rsplit(':', 1)[1] for tag in tags] == [galaxy['version']]
    source = BY_NAME['07-inventory-source.json']['body']
    assert source['source'] == 'scm' and source['source_path'] == 'inventory.yml'
