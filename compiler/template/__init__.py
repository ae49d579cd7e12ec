"""Template out: the synthesized template rendered to canonical YAML or JSON
(render), linted by cfn-lint in process (lint), a StackSet's overrides
checked against the Parameters the template declares and linted with it
(overrides), those Parameters as data, known before synthesis (declared),
an upper bound on the template's size from the spec alone (size_bound), and
its Parameters' values as a deploy passes them (parameters). Findings name
the spec key the synthesizers recorded for the part they are about."""
