"""Template out: the synthesized template rendered to canonical YAML or JSON
(render), linted by cfn-lint in process (lint), a StackSet's overrides
checked and linted against it (overrides), its Parameters' values as a
deploy passes them (parameters), and a template path mapped back to the
spec key it came from (sources)."""
