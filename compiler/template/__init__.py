"""Template out: the synthesized template rendered to canonical YAML or JSON
(render), linted by cfn-lint in process (lint), a StackSet's overrides
checked against the Parameters the template declares and linted with it
(overrides), those Parameters as data, known before synthesis (declared),
an upper bound on the template's size from the spec alone (size_bound), its
Parameters' values as a deploy passes them (parameters), and a template path
mapped back to the spec key it came from (sources)."""
