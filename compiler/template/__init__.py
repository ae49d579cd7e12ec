"""Template out: the synthesized template rendered to canonical YAML or JSON
(render), linted by cfn-lint in process (lint), and a template path mapped
back to the spec key it came from (sources)."""
