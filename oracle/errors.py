"""The one exception the oracle raises for an invalid configuration.

It subclasses ValueError so callers that already catch ValueError (as they would
for torch.nn.functional) keep working, and it carries the parameter name so
tests and reports can say which argument broke which rule.
"""


class ConvConfigError(ValueError):
    """An invalid convolution configuration: `param` names the argument at fault."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(f"{param}: {message}")
