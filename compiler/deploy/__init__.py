"""Deploy: what a version carries for the people and pipelines that deploy
it: StackSet checks and requests (stackset), DEPLOY.md for a plain stack
(deploy_guide), and the deploy role's policy (deploy_policy)."""
