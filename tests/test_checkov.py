"""checkov's ElastiCache checks pass on every secure template cachec writes.

CKV_AWS_29 (at rest), CKV_AWS_30 (in transit), CKV_AWS_31 (AUTH token).
checkov ignores Conditions, which is why cachec keeps these settings literal.
One checkov run over a folder of all templates (it takes ~3 s to start).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
CHECKS = ("CKV_AWS_29", "CKV_AWS_30", "CKV_AWS_31")
# Goldens that leave a secure default on purpose: no TLS and no auth; and the
# first step of turning TLS on, where AWS refuses an AUTH token beside
# TransitEncryptionMode preferred.
INSECURE = {"no-tls-no-auth", "kms-and-transit-mode"}


def checkov(folder: Path) -> dict[str, list[dict[str, str]]]:
    """Run checkov offline (--skip-download, BC_SKIP_MAPPING: no calls home)."""
    binary = Path(sys.executable).parent / "checkov"
    run = subprocess.run(
        [str(binary), "-d", str(folder), "--framework", "cloudformation",
         "--check", ",".join(CHECKS), "-o", "json", "--skip-download"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    report = json.loads(run.stdout)
    results: dict[str, list[dict[str, str]]] = report["results"]
    return results


def test_checkov_elasticache_checks_pass(tmp_path: Path) -> None:
    # The three checks read AWS::ElastiCache::ReplicationGroup only; a serverless
    # template has none (always encrypted; test_security checks its user group).
    sources = [p for p in sorted((ROOT / "tests" / "golden").glob("*/expected.yaml"))
               if p.parent.name not in INSECURE
               and "AWS::ElastiCache::ReplicationGroup" in p.read_text()]
    sources += sorted((ROOT / "templates").glob("*/v*.yaml"))
    for index, source in enumerate(sources):
        shutil.copy(source, tmp_path / f"t{index:03d}.yaml")
    results = checkov(tmp_path)
    failed = [(c["check_id"], c["file_path"]) for c in results["failed_checks"]]
    assert failed == [], failed
    passed: dict[str, set[str]] = {}
    for check in results["passed_checks"]:
        passed.setdefault(check["file_path"].lstrip("/"), set()).add(check["check_id"])
    assert len(passed) == len(sources)
    assert all(ids == set(CHECKS) for ids in passed.values()), passed


def test_checkov_sees_an_insecure_template(tmp_path: Path) -> None:
    """The check above can fail: checkov flags the deliberately insecure golden."""
    shutil.copy(ROOT / "tests" / "golden" / "no-tls-no-auth" / "expected.yaml",
                tmp_path / "insecure.yaml")
    failed = {c["check_id"] for c in checkov(tmp_path)["failed_checks"]}
    assert failed == set(CHECKS)


def test_user_groups_pass_ckv_aws_31_without_a_skip() -> None:
    """checkov's CKV_AWS_31 passes with TransitEncryptionEnabled and UserGroupIds
    (ElasticacheReplicationGroupEncryptionAtTransitAuthToken reads AuthToken or
    UserGroupIds), so cachec writes no `Metadata.checkov.skip`: a skip would turn
    a passing check into a suppressed one and hide a later regression."""
    for case in ("iam-auth", "rbac-two-users"):
        text = (ROOT / "tests" / "golden" / case / "expected.yaml").read_text()
        assert "UserGroupIds" in text and "AuthToken" not in text
        assert "checkov" not in text


# The checks a template with every security input set must pass besides the
# three above: secrets under a customer key (CKV_AWS_149), an encrypted topic
# (CKV_AWS_26), log groups under a KMS key (CKV_AWS_158). Issue 19: the first
# two failed on every template, whatever the spec said.
CUSTOMER_KEY_CHECKS = {"CKV_AWS_149", "CKV_AWS_26", "CKV_AWS_158"}


def checkov_all(folder: Path) -> dict[str, list[dict[str, str]]]:
    """Every checkov CloudFormation check, offline, no skips."""
    binary = Path(sys.executable).parent / "checkov"
    run = subprocess.run(
        [str(binary), "-d", str(folder), "--framework", "cloudformation", "-o", "json",
         "--skip-download"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    results: dict[str, list[dict[str, str]]] = json.loads(run.stdout)["results"]
    return results


def test_every_security_input_passes_every_checkov_check(tmp_path: Path) -> None:
    template = ROOT / "tests" / "golden" / "all-security" / "expected.yaml"
    assert "checkov" not in template.read_text()  # no Metadata skip
    shutil.copy(template, tmp_path / "all-security.yaml")
    results = checkov_all(tmp_path)
    failed = [(c["check_id"], c["resource"]) for c in results["failed_checks"]]
    assert failed == []
    passed = {c["check_id"] for c in results["passed_checks"]}
    assert CUSTOMER_KEY_CHECKS | set(CHECKS) <= passed
