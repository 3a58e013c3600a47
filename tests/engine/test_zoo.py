"""The model zoo (conformance.zoo): its data and provenance, its ci slice, and a fault only real layers show."""

import json
import os

from conformance.certify.model_run import check_layer, zoo_plan
from conformance.judge.recording import Recorder
from conformance.model.config_text import parse_config
from conformance.zoo import DATA, ci_slice, combination, models, select

from .faulty_backends import DEPTHWISE_7X7

# the list: image classification, depthwise, 7x7 depthwise, diffusion, 3-d video, 3-d medical, speech
REQUIRED = {"resnet50", "mobilenet_v2", "efficientnet_b0", "convnext_tiny", "sd15_unet", "r2plus1d_18",
            "monai_unet3d", "wav2vec2_base", "whisper_base_encoder"}


def test_every_model_cites_its_source_and_every_layer_parses():
    zoo = models()
    assert REQUIRED <= set(zoo)
    for name, model in zoo.items():
        with open(os.path.join(DATA, f"{name}.json")) as handle:
            raw = json.load(handle)
        assert all(raw["source"][k] for k in ("package", "version", "call", "torch")), name
        assert len(model.layers) == len(raw["layers"]) and all(layer.names for layer in model.layers)
        for layer, entry in zip(model.layers, raw["layers"]):
            assert layer.config == parse_config(entry["config"]) and layer.config.short() == entry["config"]
            assert layer.config.batch == model.input_shape[0]
    # wav2vec2's positional convolution: Conv1d, kernel 128, 16 groups; Whisper's stem: two Conv1d of kernel 3
    pos = [layer.config for layer in zoo["wav2vec2_base"].layers if "pos_conv" in layer.names[0]]
    assert [(c.ndim, c.kernel_size, c.groups) for c in pos] == [(1, (128,), 16)]
    assert [(c.ndim, c.kernel_size) for c in (layer.config for layer in zoo["whisper_base_encoder"].layers)] == \
        [(1, (3,)), (1, (3,))]


def test_the_ci_slice_has_one_layer_per_combination_the_zoo_holds():
    held = {combination(layer.config) for model in models().values() for layer in model.layers}
    chosen = [combination(layer.config) for layer in ci_slice()]
    assert sorted(chosen) == sorted(held) and len(set(chosen)) == len(chosen)


def test_the_zoo_names_the_layers_a_backend_gets_wrong():
    # wrong only on 7x7 depthwise layers: ConvNeXt-T has four distinct ones (one per stage), named by module
    planned = zoo_plan(select(["convnext_tiny"]), DEPTHWISE_7X7, ["float64"], (1,))
    records = [check_layer(DEPTHWISE_7X7, layer, "tests.engine.faulty_backends:DEPTHWISE_7X7", Recorder(),
                           kinds=("integer",)) for layer in planned]
    failed = [r for r in records if r["verdict"] == "fail"]
    assert [r["names"][0] for r in failed] == [f"features.{i}.0.block.0" for i in (1, 3, 5, 7)]
    assert all("w(" in r["config"] and ", 1, 7, 7)" in r["config"] for r in failed)
    assert all("result outside its declared bound" in r["reports"][0] for r in failed)
    assert {r["verdict"] for r in records if r not in failed} == {"pass"}
