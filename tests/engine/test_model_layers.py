"""`convconf layers`: the distinct convolutions a PyTorch model runs, read off one forward pass on meta tensors
(conformance.backends.torch.trace), each in the one-line form `repro` takes."""

import json

import pytest

torch = pytest.importorskip("torch")
nn, F = torch.nn, torch.nn.functional

from conformance import __main__ as cli  # noqa: E402
from conformance.backends.torch.trace import conv_layers  # noqa: E402
from conformance.model.config import ConvConfig  # noqa: E402


CONFIG = ConvConfig(1, 1, 1, 1, 1, (4,), (2,), (1,), (0,), (1,))  # not a model


class Small(nn.Module):
    """A stem, two identical depthwise blocks, a reflect-padded conv, an upsampling transposed conv and a
    functional Conv1d with padding='same': the cases a tracer could get wrong."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 7, stride=2, padding=3, bias=False)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.dw2 = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.refl = nn.Conv2d(8, 4, 3, padding=1, padding_mode="reflect")
        self.up = nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1)
        self.w1 = nn.Parameter(torch.randn(2, 2, 3))

    def forward(self, x):
        x = self.up(self.refl(self.dw2(self.dw(self.stem(x)))))
        return F.conv1d(x.flatten(2), self.w1, padding="same")


def test_every_distinct_convolution_with_the_modules_that_run_it():
    layers = conv_layers(Small(), (2, 3, 32, 32), "bfloat16")
    assert [(layer.names, layer.calls, layer.dtype) for layer in layers] == [
        (("stem",), 1, "bfloat16"), (("dw", "dw2"), 2, "bfloat16"), (("refl",), 1, "bfloat16"),
        (("up",), 1, "bfloat16"), (("<functional>",), 1, "bfloat16")]
    stem, dw, refl, up, functional = (layer.config for layer in layers)
    assert stem == ConvConfig(2, 2, 3, 8, 1, (32, 32), (7, 7), (2, 2), (3, 3), (1, 1), bias=False)
    assert dw == ConvConfig(2, 2, 8, 8, 8, (16, 16), (3, 3), (1, 1), (1, 1), (1, 1))
    # torch pads a reflect module with F.pad and convolves at padding 0: recorded as the module's own config
    assert refl == ConvConfig(2, 2, 8, 4, 1, (16, 16), (3, 3), (1, 1), (1, 1), (1, 1), padding_mode="reflect")
    assert up == ConvConfig(2, 2, 4, 2, 1, (16, 16), (4, 4), (2, 2), (1, 1), (1, 1), transposed=True,
                            output_padding=(0, 0))
    assert functional == ConvConfig(1, 2, 2, 2, 1, (1024,), (3,), (1,), "same", (1,), bias=False)
    # the traced shapes are what the model really computes: each config's output feeds the next
    assert up.output_shape[2:] == (32, 32) and functional.input_shape == (2, 2, 1024)


def test_the_command_lists_them_in_the_form_repro_takes(capsys):
    assert cli.main(["layers", "--model", "tests.engine.test_model_layers:Small", "--input-shape", "2,3,32,32"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("5 distinct convolutions, 6 calls") and "[float32, 2 calls: dw, dw2]" in out[2]
    line = out[3].split(". ", 1)[1].split("  [")[0]
    assert line.endswith("reflect")
    assert cli.main(["repro", "--backend", "torch-cpu", "--config", line, "--dtype", "float32", "--kind", "integer",
                     "--seed", "0"]) == 0


@pytest.mark.parametrize("argv, says", [
    (["--model", "tests.engine.test_model_layers:Small", "--input-shape", "2,5,32,32"],
     "running the model on a meta input of shape (2, 5, 32, 32) raised RuntimeError"),
    (["--model", "tests.engine.test_model_layers:Nothing", "--input-shape", "1,3,8,8"], "has no 'Nothing'"),
    (["--model", "tests.engine.test_model_layers:conv_layers", "--input-shape", "1,3,8,8"],
     "calling conv_layers() raised TypeError"),
    (["--model", "tests.engine.test_model_layers:CONFIG", "--input-shape", "1,3,8,8"],
     "gave a ConvConfig, not a torch.nn.Module"),
    (["--model", "no_such_module_here:M", "--input-shape", "1,3,8,8"], "cannot import 'no_such_module_here'"),
    (["--model", "tests.engine.test_model_layers:Small", "--input-shape", "1x3x8x8"], "comma-separated integers"),
])
def test_a_model_that_cannot_be_traced_is_a_usage_error(capsys, argv, says):
    assert cli.main(["layers", *argv]) == 2
    assert says in capsys.readouterr().err


class ConvNeXtBlocks(nn.Module):
    """Two ConvNeXt-style blocks: a 7x7 depthwise convolution, then pointwise 1x1 expansion and projection."""

    def __init__(self, channels=8):
        super().__init__()
        self.blocks = nn.Sequential(*[nn.Sequential(nn.Conv2d(channels, channels, 7, padding=3, groups=channels),
                                                    nn.Conv2d(channels, 4 * channels, 1),
                                                    nn.Conv2d(4 * channels, channels, 1)) for _ in range(2)])

    def forward(self, x):
        return self.blocks(x)


def test_certifying_the_model_names_the_layer_a_backend_gets_wrong(capsys, tmp_path):
    """A backend wrong only on 7x7 depthwise layers: the generated configs (kernels up to 4) rarely meet it; a
    certification of the model's own layers does, and names the modules."""
    argv = ["certify", "--model", "tests.engine.test_model_layers:ConvNeXtBlocks", "--input-shape", "2,8,14,14",
            "--dtype", "float64", "--out", str(tmp_path), "--backend"]
    assert cli.main([*argv, "tests.engine.faulty_backends:DEPTHWISE_7X7"]) == 1
    out = capsys.readouterr().out
    depthwise = out.split("[1/3] tests.engine.test_model_layers:ConvNeXtBlocks blocks.0.0, blocks.1.0: conv2d "
                          "x(2, 8, 14, 14) w(8, 1, 7, 7) g=8")[1].splitlines()[1]
    assert depthwise.strip().startswith("FAIL; forward integer: fail; forward random: fail")
    assert out.count("PASS; all checks pass; worst err/bound") == 2  # the two pointwise layers
    assert "result outside its declared bound" in out and "reproduce     python -m conformance repro" in out
    assert "Non-conformant: 1 layer runs fail (2 pass, 0 n/a, 0 untested of 3 layer runs)" in out
    report = json.loads((tmp_path / "report.json").read_text())
    assert [r["verdict"] for r in report["layers"]] == ["fail", "pass", "pass"]
    assert report["layers"][0]["names"] == ["blocks.0.0", "blocks.1.0"] and report["layers"][0]["reports"]
    assert "| tests.engine.test_model_layers:ConvNeXtBlocks | blocks.0.0, blocks.1.0 |" in \
        (tmp_path / "report.md").read_text()
    assert cli.main([*argv, "scipy"]) == 0  # and a correct backend passes them all
    assert "Conformant (3 pass, 0 n/a, 0 untested of 3 layer runs)" in capsys.readouterr().out


@pytest.mark.parametrize("argv, says", [
    (["--model", "tests.engine.test_model_layers:Small"], "--model needs --input-shape"),
    (["--model", "tests.engine.test_model_layers:Small", "--input-shape", "2,3,32,32", "--profile", "zoo"],
     "give one"),
    (["--profile", "zoo", "--zoo-model", "lenet"], "--zoo-model 'lenet': not in the zoo; it holds convnext_tiny"),
    (["--profile", "zoo", "--batch", "0"], "--batch must be >= 1, got 0"),
    (["--profile", "zoo", "--input-shape", "1,3,8,8"], "--input-shape goes with --model"),
])
def test_certifying_models_rejects_bad_arguments(capsys, argv, says):
    assert cli.main(["certify", "--backend", "scipy", *argv]) == 2
    assert says in capsys.readouterr().err
