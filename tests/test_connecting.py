"""docs/connecting.md's Python examples, run as written against a real server.

Every block the page marks `<!-- tested: NAME -->` is extracted from the
Markdown and executed, so the page is what is tested. The servers are
`redis-server` (or `valkey-server`) processes started here on loopback with
TLS only (a throwaway CA and server certificate made with `openssl`) and
authentication: a password as the AUTH token, ACL users for RBAC and IAM.
What needs AWS is faked: `boto3.client("secretsmanager")` returns the test's
secrets, and the IAM signer signs with made-up credentials (offline, as the
real one does); "ElastiCache accepting the token" is the test adding each
token the example generates to the ACL user's passwords just before use.

Skips cleanly when no server binary or no `openssl` is on the machine
(.ci/run installs redis-server from the distribution when it is missing).
"""

from __future__ import annotations

import gc
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

redis = pytest.importorskip("redis")

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "connecting.md"
TOKEN = "t0kenFromSecretsManager0123456789abcdef"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:AuthSecret-AbCdEf"
USER_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:UserAppSecret-AbCdEf"
PRIMARY, REPLICA = "127.0.0.1", "127.0.0.2"
_BLOCK = re.compile(r"<!-- tested: (?P<name>[a-z_]+) -->\n```python\n(?P<code>.*?)```", re.S)


def examples() -> dict[str, str]:
    found = {m["name"]: m["code"] for m in _BLOCK.finditer(PAGE.read_text(encoding="utf-8"))}
    return found


def run_example(name: str) -> dict[str, Any]:
    """Execute one block in a namespace of its own, as a module would."""
    namespace: dict[str, Any] = {"__name__": f"connecting_{name}"}
    exec(compile(examples()[name], f"{PAGE}:{name}", "exec"), namespace)
    return namespace


def test_the_page_marks_an_example_for_each_way_cachec_builds_a_cache() -> None:
    assert set(examples()) == {"cache_aside", "token", "rbac", "iam", "cluster", "reader"}


# --- servers ------------------------------------------------------------------

def _server_binary() -> str | None:
    return shutil.which("valkey-server") or shutil.which("redis-server")


@dataclass(frozen=True)
class Tls:
    ca: Path
    cert: Path
    key: Path


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    if _server_binary() is None:
        pytest.skip("no redis-server or valkey-server on this machine")
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=folder, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "1", "-subj", "/CN=cachec test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost")
    (folder / "san.ext").write_text(
        f"subjectAltName=DNS:localhost,IP:{PRIMARY},IP:{REPLICA}\n", encoding="utf-8")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.ext")
    return Tls(folder / "ca.crt", folder / "server.crt", folder / "server.key")


def _free_port() -> int:
    """A port free on both loopback addresses, and its cluster bus (+10000)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((PRIMARY, 0))
            port = int(probe.getsockname()[1])
        if port > 55000:
            continue
        try:
            for host in (PRIMARY, REPLICA):
                for candidate in (port, port + 10000):
                    with socket.socket() as s:
                        s.bind((host, candidate))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair")


@dataclass
class Server:
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def admin(self, tls: Tls) -> Any:
        return redis.Redis(host=self.host, port=self.port, ssl=True,
                           ssl_ca_certs=str(tls.ca), password=TOKEN, decode_responses=True)


def start_server(tls: Tls, folder: Path, host: str, port: int, *extra: str) -> Server:
    binary = _server_binary()
    assert binary is not None
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "server.log"
    process = subprocess.Popen(
        [binary, "--bind", host, "--port", "0", "--tls-port", str(port),
         "--tls-cert-file", str(tls.cert), "--tls-key-file", str(tls.key),
         "--tls-ca-cert-file", str(tls.ca), "--tls-auth-clients", "no",
         "--requirepass", TOKEN, "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--logfile", str(log), *extra],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    server = Server(host, port, process, log)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            reason = process.stderr.read().decode() if process.stderr else ""
            pytest.skip(f"{binary} did not start with TLS: {reason[-300:]}")
        try:
            if server.admin(tls).ping():
                return server
        except (redis.ConnectionError, redis.TimeoutError):
            time.sleep(0.05)
    process.kill()
    pytest.skip(f"{binary} did not answer on {host}:{port}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + 15
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def pair(tls: Tls, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """A primary and a replica on the same port of two loopback addresses
    (as the primary and reader endpoints of a replication group)."""
    folder = tmp_path_factory.mktemp("servers")
    port = _free_port()
    primary = start_server(tls, folder / "primary", PRIMARY, port)
    try:
        replica = start_server(tls, folder / "replica", REPLICA, port,
                               "--replicaof", PRIMARY, str(port), "--tls-replication", "yes",
                               "--masterauth", TOKEN)
    except BaseException:
        stop(primary)
        raise
    try:
        admin = replica.admin(tls)
        wait_for(lambda: admin.info("replication").get("master_link_status") == "up",
                 "the replica to sync")
        yield primary, replica
    finally:
        stop(replica)
        stop(primary)


@pytest.fixture(scope="module")
def cluster(tls: Tls, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One cluster-mode node holding every slot (what a cluster-aware client
    discovers from the configuration endpoint)."""
    folder = tmp_path_factory.mktemp("cluster")
    server = start_server(tls, folder, PRIMARY, _free_port(), "--cluster-enabled", "yes",
                          "--tls-cluster", "yes",
                          "--cluster-config-file", str(folder / "nodes.conf"))
    try:
        admin = server.admin(tls)
        admin.execute_command("CLUSTER", "ADDSLOTSRANGE", "0", "16383")
        wait_for(lambda: admin.cluster("INFO").get("cluster_state") == "ok",
                 "the cluster to be ok")
        yield server
    finally:
        stop(server)


class FakeSecretsManager:
    """boto3.client("secretsmanager"): GetSecretValue of the stack's secrets."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets
        self.reads: list[str] = []

    def get_secret_value(self, SecretId: str) -> dict[str, str]:  # boto3's keyword
        self.reads.append(SecretId)
        return {"SecretString": self.secrets[SecretId]}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tls: Tls) -> FakeSecretsManager:
    """The AWS side, faked: Secrets Manager and the credentials an IAM signer
    reads; the examples verify TLS against the system CAs, here the test CA."""
    import boto3

    secrets = FakeSecretsManager({
        SECRET_ARN: TOKEN,
        USER_SECRET_ARN: '{"username": "orders-production-app", "password": "'
                         + "p" * 32 + '"}',
    })

    def client(service: str, *args: Any, **kwargs: Any) -> FakeSecretsManager:
        assert service == "secretsmanager"
        return secrets

    monkeypatch.setattr(boto3, "client", client)
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca))
    for name, value in {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
                        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE":
                        "/nonexistent"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return secrets


# --- the examples ---------------------------------------------------------------

def _loader(calls: list[int], value: Any) -> Any:
    def load() -> Any:
        calls.append(1)
        return value
    return load


def test_token_over_tls_with_cache_aside(pair: tuple[Server, Server],
                                         aws: FakeSecretsManager) -> None:
    primary, _ = pair
    cached = run_example("cache_aside")["cached"]
    cache = run_example("token")["connect"]("localhost", primary.port, SECRET_ARN)
    assert aws.reads == [SECRET_ARN]
    calls: list[int] = []
    product = {"id": 42, "name": "kettle"}
    key = "product:42:token"
    assert cached(cache, key, _loader(calls, product)) == product
    assert cached(cache, key, _loader(calls, product)) == product
    assert calls == [1]  # the second read was a hit
    assert 0 < cache.ttl(key) <= 300
    pool = cache.connection_pool
    assert pool.max_connections == 20


def test_the_token_is_required(pair: tuple[Server, Server], aws: FakeSecretsManager) -> None:
    """What the page warns about: a client without TLS or without the token fails."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    primary, _ = pair
    once = Retry(NoBackoff(), 0)
    with pytest.raises(redis.ConnectionError):
        redis.Redis(host="localhost", port=primary.port, socket_timeout=1, retry=once).ping()
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(host="localhost", port=primary.port, ssl=True, retry=once).ping()


def test_rbac_user_from_its_secret(pair: tuple[Server, Server], tls: Tls,
                                   aws: FakeSecretsManager) -> None:
    primary, _ = pair
    primary.admin(tls).acl_setuser("orders-production-app", enabled=True, reset=True,
                                   passwords=["+" + "p" * 32], keys=["app:*"],
                                   categories=["+@read", "+@write", "+@connection"],
                                   commands=["+acl|whoami"])
    cached = run_example("cache_aside")["cached"]
    cache = run_example("rbac")["connect_as_user"]("localhost", primary.port, USER_SECRET_ARN)
    assert cache.acl_whoami() == "orders-production-app"
    calls: list[int] = []
    assert cached(cache, "app:cart:7", _loader(calls, [1, 2])) == [1, 2]
    assert cached(cache, "app:cart:7", _loader(calls, [1, 2])) == [1, 2]
    assert calls == [1]
    with pytest.raises(redis.exceptions.NoPermissionError):  # its access string holds
        cache.get("other:key")


def _iam_namespace(admin: Any, issued: list[str]) -> dict[str, Any]:
    """The iam example, its provider standing in front of a server that
    accepts exactly the tokens the provider generated (as ElastiCache does)."""
    namespace = run_example("iam")
    provider = namespace["ElastiCacheIAMProvider"]

    class Accepted(provider):  # type: ignore[misc, valid-type]
        def get_credentials(self) -> tuple[str, str]:
            # A long-lived client signs long after its provider was made: the
            # garbage collector has run by then (the signer's weak reference to
            # the session's event emitter must still hold).
            gc.collect()
            user, token = super().get_credentials()
            admin.acl_setuser(user, enabled=True, passwords=[f"+{token}"], keys=["*"],
                              categories=["+@all"])
            issued.append(token)
            return user, token

    namespace["ElastiCacheIAMProvider"] = Accepted
    return namespace


def test_iam_token_per_connection_and_reconnect_after_the_server_closes_it(
    pair: tuple[Server, Server], tls: Tls, aws: FakeSecretsManager
) -> None:
    primary, _ = pair
    admin = primary.admin(tls)
    admin.acl_setuser("orders-production", reset=True)  # no password: only tokens
    issued: list[str] = []
    connect_iam = _iam_namespace(admin, issued)["connect_iam"]
    cache = connect_iam("localhost", primary.port, "orders-production", "Orders-Production",
                        "us-east-1")
    cache.set("session:1", "alice")
    assert cache.acl_whoami() == "orders-production"
    assert len(issued) == 1
    # The token is a SigV4 presigned request for `connect`, valid 15 minutes.
    assert issued[0].startswith("orders-production/?Action=connect&User=orders-production&")
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in issued[0]
    assert "X-Amz-Expires=900" in issued[0]
    assert "%2Fus-east-1%2Felasticache%2Faws4_request" in issued[0]
    assert "ResourceType" not in issued[0]
    # ElastiCache closes IAM connections after 12 hours: the next command
    # reconnects with a new token instead of failing.
    assert admin.client_kill_filter(user="orders-production") >= 1
    assert cache.get("session:1") == "alice"
    assert len(issued) == 2


def test_iam_token_for_a_serverless_cache_names_its_resource_type(
    aws: FakeSecretsManager,
) -> None:
    provider = run_example("iam")["ElastiCacheIAMProvider"]("app", "catalog-production",
                                                           "eu-west-1", serverless=True)
    token = provider.token()
    assert token.startswith("catalog-production/?Action=connect&User=app&"
                            "ResourceType=ServerlessCache&")
    assert "%2Feu-west-1%2Felasticache%2Faws4_request" in token


def test_cluster_mode_client(cluster: Server, aws: FakeSecretsManager) -> None:
    namespace = run_example("token")
    cache = run_example("cluster")["connect_cluster"](
        "localhost", cluster.port, namespace["auth_token"](SECRET_ARN))
    cached = run_example("cache_aside")["cached"]
    calls: list[int] = []
    for user in range(5):
        assert cached(cache, f"{{user:{user}}}:profile", _loader(calls, user)) == user
    assert cached(cache, "{user:3}:profile", _loader(calls, 3)) == 3
    assert len(calls) == 5
    assert cache.cluster_keyslot("{user:3}:profile") == cache.cluster_keyslot("{user:3}:cart")


def test_reads_from_the_reader_endpoint(pair: tuple[Server, Server],
                                        aws: FakeSecretsManager) -> None:
    primary, _ = pair
    writer, reader = run_example("reader")["connect_pair"](PRIMARY, REPLICA, primary.port,
                                                           TOKEN)
    writer.set("price:9", "12.50")
    wait_for(lambda: reader.get("price:9") == "12.50", "the replica to have the write")
    assert reader.info("replication")["role"] == "slave"
    with pytest.raises(redis.exceptions.ReadOnlyError):
        reader.set("price:9", "0")
