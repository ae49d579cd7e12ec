"""Access control by user group (security.auth: iam | rbac): ElastiCache users,
their user group, generated passwords and the IAM policy for IAM users.

Shape-neutral: the caller attaches `user_group_ids(spec)` to its cache and
passes the cache's ARN to `add_connect_policy`, so a replication group and a
serverless cache share every builder here.

Facts (AWS::ElastiCache::User / UserGroup provider schemas in cfn-lint, and
https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html):
- A user group must contain a user named `default`. AWS's own `default` user
  has access `on ~* +@all` and no password, so cachec puts its own `default`
  in the group instead, switched off.
- A group of engine valkey holds only users that authenticate (password or
  IAM), so the disabled default user has a generated password too.
- IAM users: user id and user name must be identical, lower case
  (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html).
- UserId and UserName are create-only; ids are unique per account and
  Region, so every id starts with the stack name.
- Access strings cannot carry passwords: ElastiCache manages them.
"""

from __future__ import annotations

from awacs import elasticache as elasticache_actions
from awacs.aws import Allow, PolicyDocument, Statement
from troposphere import AWSHelperFn, GetAtt, Ref, Sub, Template, elasticache, iam, secretsmanager

from ..input.model import DEFAULT_USER_NAME, Spec, User
from ..vocabulary import names, resource_names
from .auth import SECRET_SOURCES, encryption
from .provenance import SpecPath, add_resource
from .tags import tags

# The default user can do nothing: off, and every command category removed.
DEFAULT_USER_ACCESS = "off -@all"
# auth: iam creates one user for the application, with the whole keyspace.
IAM_USER_ACCESS = "on ~* +@all"
# Letters and digits only: ElastiCache user passwords refuse some punctuation,
# and 64 alphanumerics carry ~380 bits.
PASSWORD_LENGTH = 64
PASSWORD_KEY = "password"

AUTH = ("security", "auth")
USERS = ("security", "users")  # an RBAC user's resources and Outputs: the list, not the entry
# The users and the group take the engine security.user_group_engine names.
_SOURCES = {"Engine": ("security", "user_group_engine"), "Tags": ("tags",)}


def user_id(spec: Spec, user: User) -> str:
    """Id and user name of an RBAC user (identical: AWS requires it for IAM users)."""
    return resource_names.rbac_user_id(spec.stack_name, user.name)


def add_user_group(template: Template, spec: Spec) -> None:
    """The users, their passwords and the group, in template order."""
    members = [_add_default_user(template, spec)]
    if spec.security.auth == "iam":
        members.append(_add_iam_user(template, spec))
    for user in spec.security.users:
        members.append(_add_rbac_user(template, spec, user))
    add_resource(
        template,
        elasticache.UserGroup(
            names.USER_GROUP,
            UserGroupId=resource_names.user_group_id(spec.stack_name),
            Engine=_engine(spec),
            UserIds=[Ref(m) for m in members],
            Tags=tags(spec),
        ),
        AUTH,
        _SOURCES,
    )


def _engine(spec: Spec) -> str:
    """security.user_group_engine: a Valkey cache takes user groups of either
    engine, a Redis OSS cache only redis ones (Clusters.RBAC), which is how a
    cache with users moves from Redis OSS to Valkey (update_paths.py)."""
    return spec.security.user_group_engine or spec.engine


def user_group_ids(spec: Spec) -> list[Ref | str]:
    """The created group, or security.user_group_id: an existing one (users
    managed elsewhere), named as written."""
    existing = spec.security.user_group_id
    return [existing] if existing else [Ref(names.USER_GROUP)]


def iam_users(spec: Spec) -> list[str]:
    """Logical ids of the users that authenticate with IAM tokens (none in an
    existing user group: the template creates no users then)."""
    if spec.security.user_group_id:
        return []
    if spec.security.auth == "iam":
        return [names.IAM_USER]
    return [names.user(u.name) for u in spec.security.users if u.iam]


def add_connect_policy(template: Template, spec: Spec, cache_arn: AWSHelperFn) -> None:
    """`elasticache:Connect` on exactly this cache and its IAM users: both ARNs
    are required (auth-iam.html, "grant the elasticache:Connect action to the
    ElastiCache cache and ElastiCache user"). Attach it to application roles."""
    users = iam_users(spec)
    if not users:  # none in an existing group (iam_users)
        return
    add_resource(
        template,
        iam.ManagedPolicy(
            names.CONNECT_POLICY,
            Description=f"Connect to the {spec.stack_name} cache with IAM authentication "
            "(managed by cachec)",
            PolicyDocument=PolicyDocument(
                Version="2012-10-17",
                Statement=[
                    Statement(
                        Effect=Allow,
                        Action=[elasticache_actions.Connect],
                        Resource=[cache_arn, *(GetAtt(u, "Arn") for u in users)],
                    )
                ],
            ),
        ),
        AUTH,
    )


def _password_secret(
    template: Template, spec: Spec, logical_id: str, user_name: str, whole: SpecPath
) -> None:
    add_resource(
        template,
        secretsmanager.Secret(
            logical_id,
            # Like the AUTH token: the password opens only this cache's user,
            # which goes with the stack.
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
            Description=f"Password of ElastiCache user {user_name} of the {spec.stack_name} "
            "cache (managed by cachec)",
            GenerateSecretString=secretsmanager.GenerateSecretString(
                SecretStringTemplate=f'{{"username": "{user_name}"}}',
                GenerateStringKey=PASSWORD_KEY,
                PasswordLength=PASSWORD_LENGTH,
                ExcludePunctuation=True,
            ),
            **encryption(spec),
            Tags=tags(spec),
        ),
        whole,
        SECRET_SOURCES,
    )


def _password(secret: str) -> elasticache.AuthenticationMode:
    """A dynamic reference: resolved at deploy time, never in the template."""
    reference = Sub(
        "{{resolve:secretsmanager:${" + secret + "}:SecretString:" + PASSWORD_KEY + "}}"
    )
    return elasticache.AuthenticationMode(Type="password", Passwords=[reference])


def _user(
    template: Template, spec: Spec, logical_id: str, *, user_id: str, user_name: str,
    access: str, mode: elasticache.AuthenticationMode, whole: SpecPath,
) -> str:
    add_resource(
        template,
        elasticache.User(
            logical_id,
            # A user holds no data; a replaced one is recreated with its id.
            DeletionPolicy="Delete",
            UpdateReplacePolicy="Delete",
            UserId=user_id,
            UserName=user_name,
            Engine=_engine(spec),
            AccessString=access,
            AuthenticationMode=mode,
            Tags=tags(spec),
        ),
        whole,
        _SOURCES,
    )
    return logical_id


def _add_default_user(template: Template, spec: Spec) -> str:
    user_id = resource_names.default_user_id(spec.stack_name, DEFAULT_USER_NAME)
    _password_secret(template, spec, names.DEFAULT_USER_SECRET, DEFAULT_USER_NAME, AUTH)
    return _user(
        template, spec, names.DEFAULT_USER, user_id=user_id, user_name=DEFAULT_USER_NAME,
        access=DEFAULT_USER_ACCESS, mode=_password(names.DEFAULT_USER_SECRET), whole=AUTH,
    )


def _add_iam_user(template: Template, spec: Spec) -> str:
    iam_id = resource_names.iam_user_id(spec.stack_name)
    return _user(
        template, spec, names.IAM_USER, user_id=iam_id, user_name=iam_id,
        access=IAM_USER_ACCESS, mode=elasticache.AuthenticationMode(Type="iam"), whole=AUTH,
    )


def _add_rbac_user(template: Template, spec: Spec, user: User) -> str:
    uid = user_id(spec, user)
    if user.iam:
        mode = elasticache.AuthenticationMode(Type="iam")
    else:
        _password_secret(template, spec, names.user_secret(user.name), uid, USERS)
        mode = _password(names.user_secret(user.name))
    return _user(
        template, spec, names.user(user.name), user_id=uid, user_name=uid,
        access=user.access, mode=mode, whole=USERS,
    )
