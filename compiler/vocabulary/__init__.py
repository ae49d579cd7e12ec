"""The house's vocabulary: the stable names a template is made of.

Logical ids, Parameter, Condition and Output names (names.py) and the
physical names resources are given (resource_names.py). They are the
contract with deployed stacks, so they are defined once, here, and this
package imports nothing else of cachec's: every stage (rules, synthesis,
lint, diff, the store) may use them without loading another stage.
"""
