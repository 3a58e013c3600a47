"""`convconf layers`: the distinct convolutions a PyTorch model runs, read off one forward and one backward pass
without computing a convolution (conformance.backends.torch.trace), each in the one-line form `repro` takes, with
the memory format it meets and the gradients the backward pass computes for it."""

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
    assert out[0].endswith("5 distinct convolutions, 6 calls")
    assert "[float32, contiguous, backward: grad_input, grad_weight, grad_bias; 2 calls: dw, dw2]" in out[2]
    line = out[3].split(". ", 1)[1].split("  [")[0]
    assert line.endswith("reflect")
    assert cli.main(["repro", "--backend", "torch-cpu", "--config", line, "--dtype", "float32", "--kind", "integer",
                     "--seed", "0"]) == 0


@pytest.mark.parametrize("argv, says", [
    (["--model", "tests.engine.test_model_layers:Small", "--input-shape", "2,5,32,32"],
     "running the model on an input of shape (2, 5, 32, 32) raised RuntimeError"),
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


def test_the_backward_pass_says_which_gradients_each_layer_computes():
    model = Small()
    model.refl.requires_grad_(False)  # a frozen layer: grad_input still flows through it, to the layers before
    grads = [layer.grads for layer in conv_layers(model, (2, 3, 32, 32))]
    # the stem's input needs no gradient and it has no bias; the functional conv has no bias either
    assert grads == [("grad_weight",), ("grad_input", "grad_weight", "grad_bias"), ("grad_input",),
                     ("grad_input", "grad_weight", "grad_bias"), ("grad_input", "grad_weight")]
    assert {layer.grads for layer in conv_layers(Small(), (2, 3, 32, 32), backward=False)} == {None}


class Permuted(nn.Module):
    """A ConvNeXt-style block: a depthwise conv, then a channels-last LayerNorm (permute, norm, permute back), so
    the next conv meets a channels-last input in a contiguous model; then a Conv1d over a transposed sequence (as
    wav2vec2's positional convolution meets its input): neither contiguous nor channels-last."""

    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(8, 8, 7, padding=3, groups=8)
        self.norm = nn.LayerNorm(8)
        self.pw = nn.Conv2d(8, 4, 1)
        self.seq = nn.Conv1d(4, 4, 3, padding=1)

    def forward(self, x):
        x = self.pw(self.norm(self.dw(x).permute(0, 2, 3, 1)).permute(0, 3, 1, 2))
        return self.seq(x.flatten(2).transpose(1, 2).contiguous().transpose(1, 2))


def test_each_layer_is_recorded_in_the_memory_format_it_meets():
    formats = [layer.memory_format for layer in conv_layers(Permuted(), (2, 8, 6, 6))]
    assert formats == ["contiguous", "channels_last", "strided"]
    # the whole model in channels_last: every 4-d conv meets it, the second because a conv's output keeps it (as
    # torch's CPU convolution gives it; a meta convolution would return a contiguous output)
    def two():
        return nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(4, 4, 3))

    assert [layer.memory_format for layer in conv_layers(two(), (1, 3, 8, 8), layout="channels_last")] == \
        ["channels_last", "channels_last"]
    assert [layer.memory_format for layer in conv_layers(two(), (1, 3, 8, 8))] == ["contiguous", "contiguous"]
    with pytest.raises(ValueError, match="channels_last takes a 4-d or 5-d input"):
        conv_layers(nn.Conv1d(2, 2, 3), (1, 2, 8), layout="channels_last")


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


def test_each_layer_is_certified_in_the_memory_format_it_meets():
    # Permuted's pointwise conv meets a channels-last input: on torch it runs on the channels-last variant; the
    # strided Conv1d on the noncontiguous one; on a backend with no variants, each runs as the backend lays it out
    # (certify_command's own steps, in process: the backends' worker processes are what --model adds)
    from conformance.backends import registry
    from conformance.certify.model_run import certify_layers, layout_backends, markdown
    from conformance.zoo import ZooLayer

    traced = conv_layers(Permuted(), (1, 8, 6, 6))
    planned = [ZooLayer("permuted", t.config, t.names, t.calls, t.dtype, t.memory_format, t.grads) for t in traced]
    specs = layout_backends("torch-cpu", {layer.memory_format for layer in planned}, registry.load)
    assert specs == {"contiguous": "torch-cpu", "channels_last": "torch-cpu+channels-last",
                     "strided": "torch-cpu+noncontiguous"}
    lines = []
    records, _, _ = certify_layers(planned, {f: (spec, registry.load(spec)) for f, spec in specs.items()},
                                   lines.append)
    assert [(r["memory_format"], r["backend"], r["verdict"]) for r in records] == [
        ("contiguous", "torch-cpu", "pass"), ("channels_last", "torch-cpu+channels-last", "pass"),
        ("strided", "torch-cpu+noncontiguous", "pass")]
    assert "w(4, 8, 1, 1) g=1 s=(1, 1) p=(0, 0) d=(1, 1) [float32, batch 1, channels_last on torch-cpu+channels-last]" \
        in lines[1]
    # the model's input needs no gradient: its first layer computes none for it
    assert [r["backward"] for r in records[:2]] == [["grad_weight", "grad_bias"],
                                                    ["grad_input", "grad_weight", "grad_bias"]]
    summary = dict(title="t", backend="torch-cpu", spec="torch-cpu", layers=3, seconds=0, peak_bytes=0, machine="m",
                   counts=dict.fromkeys(("pass", "known", "fail", "n/a", "untested"), 0), paths=[])
    assert "| channels_last (on torch-cpu+channels-last) | grad_input, grad_weight, grad_bias |" in \
        markdown(summary, records)
    assert set(layout_backends("scipy", {"channels_last", "strided"}, registry.load).values()) == {"scipy"}


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


class ValueDriven(nn.Module):
    """Control flow on values: the CPU pass (uninitialised data) may take another branch than the meta pass."""

    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Conv2d(3, 4, 3), nn.Conv2d(3, 4, 1)

    def forward(self, x):
        if x.device.type == "meta":  # stands for any branch on values: the two passes run different convolutions
            return self.a(x)
        return self.b(self.a(x)[:, :3])


def test_a_model_whose_passes_differ_is_traced_with_its_formats_untraced():
    layers = conv_layers(ValueDriven(), (1, 3, 8, 8))
    assert [(layer.names, layer.memory_format) for layer in layers] == [(("a",), "untraced")]
