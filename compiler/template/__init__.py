"""Template out: the synthesized template rendered to canonical YAML or JSON
(render), linted by cfn-lint in process (lint), a StackSet's overrides
checked and linted against it (overrides), and its Parameters' values as a
deploy passes them (parameters). Findings name the spec key the
synthesizers recorded for the part they are about."""
