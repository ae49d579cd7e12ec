"""`cachec diff SPEC --deployed FILE`: what the spec builds against what is deployed.

Diff pairs: tests/deployed/<case>/ holds spec.yaml (what the spec says now),
optionally before.yaml (the spec whose template is deployed; else spec.yaml)
and deployed.yaml, which says how the deployed file is made:

- form: get-template (a YAML template: TemplateBody printed as its text),
  get-template-json (a JSON template: botocore decodes TemplateBody, so the
  CLI prints an object) or describe-stack-set (TemplateBody a string,
  Parameters the values the StackSet passes);
- published: whether the deployed spec's template is published as v1 first;
- edits: a merge patch of the template (null removes), as a hand edit;
- text_edits: [old, new] replacements in the YAML text (short-form tags);
- parameters: describe-stack-set's Parameter values (over the Defaults).

The file is what the real AWS CLI (awscli, botocore's model and handlers,
tests/aws_cli.py) prints for a canned API answer, so the output shapes are
the CLI's own, not transcribed. Both specs are compiled at test time, so
synthesis changes elsewhere do not stale the inputs. expected.txt and
expected.json are compared byte for byte (`pytest --update-golden`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cli
import pytest
import yaml

from compiler import api, cli, diff
from compiler.change import deployed
from compiler.report import REVIEW_REPORTERS, diagnostic_lines
from compiler.template.render import content_digest, render

CASES_DIR = Path(__file__).parent / "deployed"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "deployed.yaml").is_file())
STAGES = ["Original", "Processed"]


def _patched(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _patched(merged[key], value)
        else:
            merged[key] = value
    return merged


def printed(operation: str, answer: dict[str, Any], cwd: Path) -> str:
    """What `aws cloudformation <operation>` prints for the API's `answer`."""
    command = {
        "GetTemplate": "aws cloudformation get-template --stack-name orders-staging",
        "DescribeStackSet": "aws cloudformation describe-stack-set --stack-set-name "
                            "orders-staging",
    }[operation]
    run = aws_cli.run(command, cwd, {operation: answer})
    assert run.returncode == 0, run.stderr
    return run.stdout


def _deployed_file(case: Path, config: dict[str, Any], template: dict[str, Any],
                   cwd: Path) -> str:
    template = _patched(template, config.get("edits", {}))
    text = render(template, "yaml")
    for old, new in config.get("text_edits", []):
        assert old in text, old
        text = text.replace(old, new)
    form = config["form"]
    if form == "describe-stack-set":
        values = {name: str(p.get("Default", ""))
                  for name, p in template.get("Parameters", {}).items()}
        values |= config.get("parameters", {})
        answer = {"StackSet": {
            "StackSetName": "orders-staging", "StackSetId": "orders-staging:1", "Status": "ACTIVE",
            "TemplateBody": text,
            "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()],
        }}
        return printed("DescribeStackSet", answer, cwd)
    # The API always answers with the template's text; the CLI decodes JSON text.
    body = render(template, "json") if form == "get-template-json" else text
    return printed("GetTemplate", {"TemplateBody": body, "StagesAvailable": STAGES}, cwd)


def run_case(case: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> api.DiffResult:
    folder = CASES_DIR / case
    config = yaml.safe_load((folder / "deployed.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(cwd)
    before = (folder / config.get("spec", "spec.yaml")).read_text(encoding="utf-8")
    Path("spec.yaml").write_text(before, encoding="utf-8")
    compiled = api.compile_text(before, "spec.yaml", lint=False)
    assert compiled.ok and compiled.template is not None, compiled.diagnostics
    if config["published"]:
        fmt = "json" if config["form"] == "get-template-json" else "yaml"
        built = api.build(["spec.yaml"], out="templates", lint=False, fmt=fmt)
        assert built.exit_code == 0, built
    Path("deployed.json").write_text(_deployed_file(folder, config, compiled.template, cwd),
                                     encoding="utf-8")
    Path("spec.yaml").write_text((folder / "spec.yaml").read_text(encoding="utf-8"),
                                 encoding="utf-8")
    return api.diff(["spec.yaml"], out="templates", deployed="deployed.json",
                    fail_if_differs=True)


@pytest.mark.parametrize("case", CASES)
def test_deployed_diff(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       update_golden: bool) -> None:
    result = run_case(case, tmp_path, monkeypatch)
    assert result.reviews, (result.errors, result.deployed)
    (review,) = result.reviews
    assert review.deployed is not None and result.deployed is not None
    assert result.deployed.template is not None
    # The digest names the template's content; it changes with every synthesis
    # change elsewhere, so the goldens hold a placeholder for it.
    digest = review.deployed.template_digest
    assert digest == content_digest(result.deployed.template)
    outputs = {"expected.txt": REVIEW_REPORTERS["text"](result.reviews, result.results),
               "expected.json": REVIEW_REPORTERS["json"](result.reviews, result.results)
               .replace(digest, "sha256:<content digest of the deployed template>")}
    for name, text in outputs.items():
        expected = CASES_DIR / case / name
        if update_golden:
            expected.write_text(text, encoding="utf-8")
        assert expected.is_file(), f"{expected} missing: run pytest --update-golden, review it"
        assert text == expected.read_text(encoding="utf-8"), f"{case}/{name}"


@pytest.mark.parametrize(
    ("case", "version", "kinds", "exit_code"),
    [
        ("get-template-yaml-published", 1, set(), 0),
        ("get-template-json-hand-edited", None, set(), 3),  # changes pending
        ("short-forms-same-content", 1, set(), 0),
        ("port-change-guard", 1, {"replaces-cache"}, 1),
        ("stackset-parameters", 1, {"replaces-cache"}, 1),
        ("never-published", None, set(), 0),
    ],
)
def test_deployed_verdicts(case: str, version: int | None, kinds: set[str], exit_code: int,
                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pairs' verdicts, pinned apart from their wording: the published
    version named, the guard's findings, the exit code with --exit-code."""
    result = run_case(case, tmp_path, monkeypatch)
    (review,) = result.reviews
    assert review.published == version
    assert {d.kind for d in review.diagnostics} == kinds
    assert result.exit_code == exit_code


def test_hand_edits_are_classified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A property changed by hand goes back (in place), a resource added by
    hand is deleted, an alarm removed by hand comes back."""
    (review,) = run_case("get-template-json-hand-edited", tmp_path, monkeypatch).reviews
    found = {(".".join(c.template_path), c.action) for c in review.changes}
    assert found == {
        ("Resources.CpuAlarm.Properties.Threshold", "no-interruption"),
        ("Resources.HandMadeTopic", "remove"),
        ("Resources.MemoryAlarm", "add"),
    }
    assert review.deployed is not None and review.deployed.source == deployed.GET_TEMPLATE


def test_the_guard_can_be_lifted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_case("port-change-guard", tmp_path, monkeypatch)
    lifted = api.diff(["spec.yaml"], out="templates", deployed="deployed.json",
                      allow_replacement=True)
    (review,) = lifted.reviews
    assert review.empties_cache and not review.diagnostics and lifted.exit_code == 0


# --- the CLI ---


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exit_codes_and_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    run_case("get-template-json-hand-edited", tmp_path, monkeypatch)
    base = ["diff", "spec.yaml", "--deployed", "deployed.json"]
    code, out, err = _cli(base, capsys)
    assert (code, err) == (0, "")
    assert out.startswith("spec.yaml: orders-staging as deployed (deployed.json: matches no "
                          "published version) -> this build: 3 changes\n")
    assert _cli([*base, "--exit-code"], capsys)[0] == 3  # changes pending, as diff's
    code, out, _ = _cli([*base, "--format", "json"], capsys)
    (report,) = json.loads(out)["specs"]
    assert report["deployed"]["source"] == "get-template"
    assert report["deployed"]["published_version"] is None
    assert report["deployed"]["template_digest"].startswith("sha256:")


def test_cli_guard_fails_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    run_case("port-change-guard", tmp_path, monkeypatch)
    base = ["diff", "spec.yaml", "--deployed", "deployed.json"]
    code, out, _ = _cli(base, capsys)
    assert code == 1 and "[replaces-cache]" in out
    assert _cli([*base, "--allow-replacement"], capsys)[0] == 0


def test_cli_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _cli(["diff", "a.yaml", "b.yaml", "--deployed", "d.json"], capsys)
    assert code == 2 and "one SPEC" in err
    code, _, err = _cli(["diff", "a.yaml", "--allow-replacement"], capsys)
    assert code == 2 and "--deployed" in err


# --- bad files: located, precise, no report ---


def _read(text: str, folder: Path) -> deployed.Deployed:
    path = folder / "deployed.json"
    path.write_text(text, encoding="utf-8")
    return deployed.read(str(path))


GOOD_SPEC = "cachec: 1\nname: orders\nenvironment: staging\n"


def _refused(text: str | bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str], fmt: str = "text") -> str:
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(GOOD_SPEC, encoding="utf-8")
    data = text.encode() if isinstance(text, str) else text
    Path("deployed.json").write_bytes(data)
    code, out, err = _cli(["diff", "spec.yaml", "--deployed", "deployed.json",
                           "--format", fmt], capsys)
    assert (code, out) == (1, ""), err
    return err


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{"TemplateBody": {"Resources": {}', "deployed.json:1:34: error: $: invalid JSON: "
         "Expecting ',' delimiter [deployed-not-a-template]"),
        ("Resources: [a\n", "deployed.json:2:1: error: $: neither JSON nor YAML: did not find "
         "expected ',' or ']' [deployed-not-a-template]"),
        ('{"Stacks": []}', "deployed.json:1:1: error: $: neither get-template output "
         "(TemplateBody), describe-stack-set output (StackSet.TemplateBody) nor a template "
         "(Resources) (describe-stacks output holds no template: run get-template) "
         "[deployed-not-a-template]"),
        ('{\n  "TemplateBody": {"Description": "x"}\n}',
         "deployed.json:2:19: error: TemplateBody: no Resources section: every CloudFormation "
         "template declares its resources there [deployed-not-a-template]"),
        ('{\n  "TemplateBody": "Resources:\\n  A: [\\n"\n}',
         "deployed.json:2:19: error: TemplateBody: at line 3, column 1 of the template text: "
         "neither JSON nor YAML: did not find expected node content "
         "[deployed-not-a-template]"),
        ("Resources:\n  A:\n    Type: X\n    Properties: !Bogus x\n",
         "deployed.json:4:17: error: $: unknown tag !Bogus: CloudFormation's short forms are "
         "!And, !Base64, !Cidr, !Condition, !Equals, !FindInMap, !ForEach, !GetAZs, !GetAtt, "
         "!If, !ImportValue, !Join, !Length, !Not, !Or, !Ref, !Select, !Split, !Sub, "
         "!ToJsonString, !Transform [deployed-not-a-template]"),
        ("Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n",
         "deployed.json:4:3: error: $: duplicate key 'A': the template is ambiguous "
         "[deployed-not-a-template]"),
        ("Resources:\n  A:\n    Properties: {}\n", "deployed.json:3:5: error: Resources.A: a "
         "resource without a Type [deployed-not-a-template]"),
        ('{"StackSet": {"StackSetName": "orders-staging"}}', "deployed.json:1:14: error: "
         "StackSet: no TemplateBody: describe-stack-set output holds the template there "
         "[deployed-not-a-template]"),
        (b"Resources:\n  A: \xff\n", "deployed.json:2:6: error: $: not UTF-8 text (the AWS CLI "
         "prints UTF-8) [deployed-unreadable]"),
        ("Resources:\n  A:\n    Type: !!binary aGVsbG8=\n", "deployed.json:3:11: error: $: "
         "unsupported tag tag:yaml.org,2002:binary [deployed-not-a-template]"),
        ("Resources:\n  ReplicationGroup:\n    Type: AWS::ElastiCache::ReplicationGroup\n"
         "    Properties:\n      EngineVersion: 7.1\n",
         "deployed.json:5:22: error: Resources.ReplicationGroup.Properties.EngineVersion: 7.1 is "
         "not a string, the type AWS::ElastiCache::ReplicationGroup's resource schema gives "
         "EngineVersion (quote it in YAML) [deployed-not-a-template]"),
        ("Resources:\n  A:\n    Type: X\n    Properties:\n      B: !Ref [a]\n",
         "deployed.json:5:10: error: Resources.A.Properties.B.Ref: Ref takes a logical id or "
         "Parameter name, not ['a'] [deployed-not-a-template]"),
        ("x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
            f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, c in zip("abcdef", "bcdefg", strict=True)),
         "deployed.json:1:1: error: $: expands to more than 1,000,000 values (YAML aliases?) "
         "[deployed-not-a-template]"),
    ],
)
def test_bad_deployed_files(text: str | bytes, line: str, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert _refused(text, tmp_path, monkeypatch, capsys).splitlines() == [line]


def test_missing_deployed_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(GOOD_SPEC, encoding="utf-8")
    code, out, err = _cli(["diff", "spec.yaml", "--deployed", "nothing.json"], capsys)
    assert (code, out) == (1, "")
    assert err == "nothing.json:1:1: error: $: no such file [deployed-unreadable]\n"


def test_a_stack_of_another_cache_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    other = api.compile_text("cachec: 1\nname: carts\nenvironment: staging\n", "o.yaml",
                             lint=False)
    assert other.text is not None
    printed_ = printed("GetTemplate", {"TemplateBody": other.text, "StagesAvailable": STAGES},
                       tmp_path)
    err = _refused(printed_, tmp_path, monkeypatch, capsys, fmt="json")
    assert err.splitlines() == [
        "deployed.json:2:21: error: TemplateBody.Resources: the template's resources are tagged "
        "cachec:name 'carts', cachec:environment 'staging': another cache than the spec's "
        "('orders', 'staging'); pass the template of stack orders-staging [deployed-other-cache]"
    ]


def test_a_stackset_of_another_name_is_refused(tmp_path: Path) -> None:
    found = _read(
        '{"StackSet": {"StackSetName": "carts-dev", "TemplateBody": "Resources: {A: {Type: X}}",'
        ' "Parameters": []}}', tmp_path)
    checked = deployed.check_owner(found, "orders", "dev", "orders-dev")
    assert [d.kind for d in checked.diagnostics] == ["deployed-not-cachec", "deployed-other-cache"]
    assert not checked.ok


def test_a_template_cachec_did_not_build_is_compared_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(GOOD_SPEC, encoding="utf-8")
    Path("t.yaml").write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    code, out, err = _cli(["diff", "spec.yaml", "--deployed", "t.yaml"], capsys)
    assert code == 0
    assert "[deployed-not-cachec]" in err
    assert "deletes Topic (AWS::SNS::Topic)" in out


def test_short_forms_load_as_their_long_forms(tmp_path: Path) -> None:
    found = _read(
        "Resources:\n  A:\n    Type: X\n    Properties:\n"
        "      R: !Ref B\n      G: !GetAtt B.Endpoint.Address\n      L: !GetAtt [B, Arn]\n"
        "      S: !Sub '${B}-x'\n      J: !Join ['', [a, !Ref B]]\n"
        "      I: !If [C, !Ref B, !Ref AWS::NoValue]\n      D: 2024-01-01\n", tmp_path)
    assert found.ok and found.template is not None
    assert found.template["Resources"]["A"]["Properties"] == {
        "R": {"Ref": "B"}, "G": {"Fn::GetAtt": ["B", "Endpoint.Address"]},
        "L": {"Fn::GetAtt": ["B", "Arn"]}, "S": {"Fn::Sub": "${B}-x"},
        "J": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
        "I": {"Fn::If": ["C", {"Ref": "B"}, {"Ref": "AWS::NoValue"}]}, "D": "2024-01-01",
    }


def test_stackset_values_stand_in_for_the_defaults(tmp_path: Path) -> None:
    """The StackSet's values are what it deploys; an empty value for a
    Parameter without a Default is cachec's per-region placeholder."""
    found = _read(json.dumps({"StackSet": {
        "StackSetName": "x", "TemplateBody": json.dumps({
            "Parameters": {"VpcId": {"Type": "String"}, "Key": {"Type": "String",
                                                                 "Default": "a"}},
            "Resources": {"A": {"Type": "X"}}}),
        "Parameters": [{"ParameterKey": "VpcId", "ParameterValue": ""},
                       {"ParameterKey": "Key", "ParameterValue": "b"}]}}), tmp_path)
    assert found.source == deployed.DESCRIBE_STACK_SET
    assert deployed.with_parameter_values(found)["Parameters"] == {
        "VpcId": {"Type": "String"}, "Key": {"Type": "String", "Default": "b"}}


def test_diagnostics_print_in_the_contract_format(tmp_path: Path) -> None:
    found = _read("Resources: 3\n", tmp_path)
    assert list(diagnostic_lines([found])) == [
        f"{tmp_path / 'deployed.json'}:1:12: error: Resources: Resources is empty or not a "
        "mapping: every CloudFormation template declares its resources there "
        "[deployed-not-a-template]"
    ]


# --- committed fixtures: what the AWS CLI prints, checked against the CLI ---

FIXTURES = Path(__file__).parent / "data" / "deployed"


def _fixture_outputs() -> dict[str, str]:
    """Each committed output file and what the AWS CLI prints for it now,
    the API answering with the committed template's text."""
    yaml_text = (FIXTURES / "template.yaml").read_text(encoding="utf-8")
    json_text = (FIXTURES / "template.json").read_text(encoding="utf-8")
    stackset = {
        "StackSetName": "orders-dev", "StackSetId": "orders-dev:0f1e2d3c", "Status": "ACTIVE",
        "Description": "orders-dev: orders cache (dev)", "TemplateBody": yaml_text,
        "Parameters": [{"ParameterKey": "SubnetIds", "ParameterValue": "subnet-1,subnet-2"},
                       {"ParameterKey": "KmsKeyId", "ParameterValue": "alias/cache"}],
        "Capabilities": [], "PermissionModel": "SELF_MANAGED",
    }
    return {
        "get-template.yaml-body.json": printed(
            "GetTemplate", {"TemplateBody": yaml_text, "StagesAvailable": STAGES}, FIXTURES),
        "get-template.json-body.json": printed(
            "GetTemplate", {"TemplateBody": json_text, "StagesAvailable": STAGES}, FIXTURES),
        "describe-stack-set.json": printed("DescribeStackSet", {"StackSet": stackset}, FIXTURES),
    }


def test_committed_fixtures_are_what_the_cli_prints(update_golden: bool) -> None:
    for name, text in _fixture_outputs().items():
        if update_golden:
            (FIXTURES / name).write_text(text, encoding="utf-8")
        assert (FIXTURES / name).read_text(encoding="utf-8") == text, name


@pytest.mark.parametrize(
    ("name", "source"),
    [("get-template.yaml-body.json", deployed.GET_TEMPLATE),
     ("get-template.json-body.json", deployed.GET_TEMPLATE),
     ("describe-stack-set.json", deployed.DESCRIBE_STACK_SET),
     ("template.yaml", deployed.TEMPLATE), ("template.json", deployed.TEMPLATE)],
)
def test_every_form_reads_as_the_same_template(name: str, source: str) -> None:
    found = deployed.read(str(FIXTURES / name))
    assert found.ok and found.source == source
    expected = json.loads((FIXTURES / "template.json").read_text(encoding="utf-8"))
    assert found.template == expected
    # One template, one content digest, whatever the form.
    assert content_digest(found.template) == content_digest(expected)


def test_the_yaml_output_of_cli_v2_reads_too(tmp_path: Path) -> None:
    """AWS CLI v2 can print YAML (`--output yaml`): TemplateBody a block string."""
    text = (FIXTURES / "template.yaml").read_text(encoding="utf-8")
    printed_yaml = yaml.safe_dump({"TemplateBody": text, "StagesAvailable": STAGES},
                                  default_style=None, sort_keys=False)
    found = _read(printed_yaml, tmp_path)
    assert found.ok and found.source == deployed.GET_TEMPLATE
    assert found.template == json.loads((FIXTURES / "template.json").read_text("utf-8"))


WEIRD = ["x", 7, None, {"Ref": "Nope"}, ["a"], {"a": 1}, True, 1.5]


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _leaves(item, (*path, index))
    return found


def test_hand_edits_of_any_shape_are_refused_or_compared(tmp_path: Path) -> None:
    """A deployed template is anyone's text: each value of the cache resource
    replaced by a value of another shape is either refused with a located
    error or compared, never an internal error."""
    built = api.compile_text(GOOD_SPEC, "spec.yaml", lint=False)
    assert built.template is not None
    cache = built.template["Resources"]["ReplicationGroup"]
    compared = 0
    # The properties and their entries (tags, log deliveries): deeper values
    # are compared whole.
    for path in [p for p in _leaves(cache["Properties"], ("Properties",))[1:]
                 if len(p) <= 3 or p[1] == "Tags"]:
        for value in WEIRD:
            edited = json.loads(json.dumps(built.template))
            node = edited["Resources"]["ReplicationGroup"]
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
            found = _read(json.dumps(edited), tmp_path)
            if found.ok:
                diff.compare(found.template, built.template, allow_replacement=False,
                             sources=built.sources)
                compared += 1
    assert compared > 50


def test_a_deployed_resource_without_properties_is_compared(tmp_path: Path) -> None:
    """A resource may leave Properties out; one that does in the deployed
    template (hand-edited) has every property this build gives it added."""
    built = api.compile_text(GOOD_SPEC, "spec.yaml", lint=False)
    assert built.template is not None
    edited = json.loads(json.dumps(built.template))
    del edited["Resources"]["SubnetGroup"]["Properties"]
    found = _read(json.dumps(edited), tmp_path)
    assert found.ok, found.diagnostics
    changes, _ = diff.compare(found.template, built.template, allow_replacement=True,
                              sources=built.sources)
    added = {c.template_path[3] for c in changes if c.resource == "SubnetGroup"}
    assert added == set(built.template["Resources"]["SubnetGroup"]["Properties"])


def test_json_with_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    """JSON is read as YAML (for the marks): a duplicate key is refused, not
    read again by a JSON parser that keeps the last one."""
    found = _read('{"Resources": {"A": {"Type": "X"}, "A": {"Type": "Y"}}}', tmp_path)
    assert [d.kind for d in found.diagnostics] == ["deployed-not-a-template"]
    assert "duplicate key 'A'" in found.diagnostics[0].message


def test_json_that_yaml_cannot_read_is_still_read(tmp_path: Path) -> None:
    found = _read('{\n\t"Resources": {"A": {"Type": "X"}}\n}', tmp_path)
    assert found.template == {"Resources": {"A": {"Type": "X"}}}


_GLOBAL = (Path(__file__).parent / "golden" / "global-redis-two-regions" / "spec.yaml").read_text(
    encoding="utf-8")
_REGIONAL = _GLOBAL.split("global_datastore:")[0]


def _deployed_spec_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deployed_spec: str,
                         spec: str, resource: str) -> set[tuple[Any, ...]]:
    """The spec keys `diff --deployed` names for `resource`'s changes, the
    deployed template being v1, built from `deployed_spec`."""
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(deployed_spec, encoding="utf-8")
    assert api.build(["spec.yaml"], out="templates", lint=False).exit_code == 0
    compiled = api.compile_text(deployed_spec, "spec.yaml", lint=False)
    assert compiled.template is not None
    answer = {"TemplateBody": render(compiled.template, "yaml"), "StagesAvailable": STAGES}
    Path("deployed.json").write_text(printed("GetTemplate", answer, tmp_path), encoding="utf-8")
    Path("spec.yaml").write_text(spec, encoding="utf-8")
    result = api.diff(["spec.yaml"], out="templates", deployed="deployed.json",
                      allow_replacement=True)
    (review,) = result.reviews
    assert review.published == 1
    return {c.spec_path for c in review.changes if c.resource == resource}


def test_what_only_the_deployed_version_holds_is_named_by_its_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deployed v1 made the global datastore; the spec no longer has one.
    Only v1's provenance record knows the removed resource's spec key (the
    frozen table of change/unrecorded answers for versions without records,
    and global_datastore came after it)."""
    assert _deployed_spec_paths(tmp_path, monkeypatch, _GLOBAL, _REGIONAL,
                                "GlobalReplicationGroup") == {("global_datastore",)}


def test_what_this_build_makes_is_named_by_its_own_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _deployed_spec_paths(tmp_path, monkeypatch, _REGIONAL, _GLOBAL,
                                "GlobalReplicationGroup") == {("global_datastore",)}
