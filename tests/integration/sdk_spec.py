"""What the installed IBM SDK says an API is (``DirectLinkV1`` by default, or another service class such as
``TransitGatewayApisV1``), learnt from the SDK itself.

The simulator is measured against this, never against its own route table:

* ``sdk_operations(service)``: every public method of the service that builds a request (its source calls
  ``self.prepare_request(``), with the HTTP method and path template it sends, found by calling it on a client
  whose ``send`` only records the prepared request;
* ``documented_model(name, service)``: the model class the method's docstring names for its result
  (":rtype: DetailedResponse with `dict` result representing a `X` object");
* ``model_errors(model, data)``: why ``data`` is not a valid ``model``, checked at every depth: ``from_dict``
  fails (a required property is missing or null), a one-of (the SDK gives the base no ``from_dict``, and
  ``from_dict`` of the parent leaves such properties as plain dicts) matches none of its variants, a value is not
  of the primitive type the model annotates (str, int, bool, float, lists of them), a string is outside the enum
  the SDK declares for its property, or a property is one the model does not have (an internal field leaked);
* ``ParsingClient(client)``: an SDK client whose every JSON answer is checked so, its calls recorded.
"""

import inspect
import re
import sys
import typing
from dataclasses import dataclass

from ibm_cloud_networking_services.direct_link_v1 import DirectLinkV1
from ibm_cloud_sdk_core.authenticators import NoAuthAuthenticator

RECORDING_URL = 'https://sdk.invalid/v1'
RESULT_MODEL_RE = re.compile(r'result representing a `(\w+)` object')
MARKER = 'SDKPARAM{}SDKPARAM'
MARKER_RE = re.compile(MARKER.format(r'(\w+?)'))


@dataclass(frozen=True)
class Operation:
    """One SDK operation: method name, HTTP method and path template (relative to the service URL)."""

    name: str
    method: str
    template: str


def _sends_a_request(function):
    try:
        return 'self.prepare_request(' in inspect.getsource(function)
    except (OSError, TypeError):
        return False


def _required_arguments(function):
    """A marker value for every parameter without a default (path parameters come back in the URL as markers)."""
    return {name: MARKER.format(name) for name, parameter in inspect.signature(function).parameters.items()
            if name != 'self' and parameter.default is parameter.empty
            and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)}


def sdk_operations(service=DirectLinkV1):
    """Every request-building public method of the installed SDK service class, sorted by name."""
    client = service(version='2024-11-01', authenticator=NoAuthAuthenticator())
    client.set_service_url(RECORDING_URL)
    sent = []
    client.send = lambda request, **_kwargs: sent.append(request)
    operations = []
    for name, function in inspect.getmembers(service, inspect.isfunction):
        if name.startswith('_') or not _sends_a_request(function):
            continue
        sent.clear()
        getattr(client, name)(**_required_arguments(function))
        assert len(sent) == 1, f'{service.__name__}.{name} sent {len(sent)} requests, expected one'
        path = sent[0]['url'][len(RECORDING_URL):]
        operations.append(Operation(name, sent[0]['method'], MARKER_RE.sub(r'{\1}', path)))
    return operations


def documented_model(operation_name, service=DirectLinkV1):
    """The model class ``<service>.<operation_name>`` documents for its JSON result, or None (no JSON result)."""
    found = RESULT_MODEL_RE.search(getattr(service, operation_name).__doc__ or '')
    return getattr(sys.modules[service.__module__], found.group(1)) if found else None


def _is_one_of(model):
    """A one-of base: the SDK gives it no ``from_dict`` of its own, only its variants (subclasses) have one."""
    return 'from_dict' not in vars(model) and bool(model.__subclasses__())


def _models_named_in(annotation, module):
    """The SDK model classes of ``module`` a parameter annotation names (``'X'``, ``List['X']``, ``Optional['X']``
    ...)."""
    names = re.findall(r'\b([A-Z]\w+)\b', str(annotation))
    return [getattr(module, name) for name in names if name not in dir(typing) and inspect.isclass(getattr(module, name, None))]


def _enum_of(model, attribute):
    """The ``<Attribute>Enum`` the SDK declares inside ``model`` for ``attribute``, or None."""
    return vars(model).get(''.join(part.capitalize() for part in attribute.split('_')) + 'Enum')


def _has_type(value, annotation):
    """Whether a JSON value has the primitive type (str, int, bool, float, or a list of one) an annotation names;
    anything else (models, datetimes) is left to ``from_dict`` and the recursion."""
    if typing.get_origin(annotation) is typing.Union:
        annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
    if value is None:
        return True
    if typing.get_origin(annotation) is list:
        return isinstance(value, list) and all(_has_type(item, typing.get_args(annotation)[0]) for item in value)
    if annotation in (str, bool):
        return isinstance(value, annotation)
    if annotation in (int, float):
        return isinstance(value, (int, float) if annotation is float else int) and not isinstance(value, bool)
    return True


def model_errors(model, data, where='$'):
    """Why ``data`` does not parse as ``model`` (an empty list when it does)."""
    if _is_one_of(model):
        attempts = {variant.__name__: model_errors(variant, data, where) for variant in model.__subclasses__()}
        closest = min(attempts, key=lambda name: len(attempts[name]))
        if not attempts[closest]:
            return []
        return [f'{where}: matches no variant of {model.__name__}; as the closest, {closest}: ' + '; '.join(attempts[closest])]
    try:
        parsed = model.from_dict(data)
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        return [f'{where}: {model.__name__}.from_dict failed: {exc}']
    parameters = inspect.signature(model.__init__).parameters
    errors = []
    for attribute, value in vars(parsed).items():
        errors += _property_errors(model, attribute, value, data.get(attribute.rstrip('_')), parameters.get(attribute),
                                   f'{where}.{attribute}')
    known = {name.rstrip('_') for name in parameters}
    return errors + [f'{where}.{key}: not a property of {model.__name__}' for key in sorted(set(data) - known)]


def _property_errors(model, attribute, value, raw, parameter, where):
    """Why one property (parsed ``value``, JSON ``raw``) is not valid for ``model``."""
    errors = []
    enum = _enum_of(model, attribute)
    if enum is not None and isinstance(value, str) and value not in {member.value for member in enum}:
        errors.append(f'{where}: {value!r} is not one of {model.__name__}.{enum.__name__} '
                      f'({", ".join(member.value for member in enum)})')
    if parameter is None:
        return errors
    if not _has_type(raw, parameter.annotation):
        errors.append(f'{where}: {raw!r} is not of type {parameter.annotation}')
    for nested in _models_named_in(parameter.annotation, sys.modules[model.__module__]):
        items = raw if isinstance(raw, list) else [raw]
        for index, item in enumerate(items):
            if isinstance(item, dict):
                errors += model_errors(nested, item, f'{where}[{index}]' if isinstance(raw, list) else where)
    return errors


class ParsingClient:
    """An SDK client (``DirectLinkV1``, ``TransitGatewayApisV1`` ...) whose calls are recorded and whose JSON results
    are checked against the models its service documents (``shared``: another ParsingClient whose record this one adds
    to, e.g. for a second account)."""

    def __init__(self, client, label='', shared=None):
        self.client = client
        self.label = label
        self.called, self.errors = (shared.called, shared.errors) if shared else (set(), [])

    def __getattr__(self, name):
        method = getattr(self.client, name)
        model = documented_model(name, type(self.client))

        def call(*args, **kwargs):
            response = method(*args, **kwargs)
            self.called.add(name)
            if model is not None:
                self.errors += [f'{self.label}{name}: {error}' for error in model_errors(model, response.get_result())]
            return response
        return call
