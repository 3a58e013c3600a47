"""The model zoo (conformance.zoo): its data and provenance, its ci slice, and a fault only real layers show."""

import json
import os
import subprocess
import sys
from dataclasses import replace

from conformance.certify.model_run import check_layer, zoo_plan
from conformance.judge.recording import Recorder
from conformance.model.config_text import parse_config
from conformance.zoo import DATA, ci_slice, combination, models, select

from .faulty_backends import DEPTHWISE_7X7, GRAD_WEIGHT_FIRST_IMAGE

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# the issue's list: image classification, depthwise, 7x7 depthwise, diffusion, 3-d video, 3-d medical, speech
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


def _sampled(layer, backend, spec):
    # max_macs=0: the path a layer past MAX_MACS takes (forward and gradients at sampled positions, hashed data)
    return check_layer(backend, layer, spec, Recorder(), max_macs=0)


def test_sampled_gradients_name_the_gradient_and_positions_and_reproduce_as_printed():
    # grad_weight summed over the first image only: wrong in every element of a batch-2 layer's grad_weight
    layer = replace(min(models()["mobilenet_v2"].layers, key=lambda l: l.config.macs).at_batch(2), dtype="float64")
    spec = "tests.engine.faulty_backends:GRAD_WEIGHT_FIRST_IMAGE"
    record = _sampled(layer, GRAD_WEIGHT_FIRST_IMAGE, spec)
    assert record["checks"] == {"forward (sampled)": "pass", "grads (sampled)": "fail"}
    report = record["reports"][0]
    assert "[grad_weight, float64, integer data, seed 0]" in report.splitlines()[0]
    assert "failing grad_weight positions" in report and "(first element" in report
    command = next(line.split("reproduce", 1)[1].strip() for line in report.splitlines()
                   if line.strip().startswith("reproduce"))
    assert command == (f"python -m conformance large --backend {spec} --config '{layer.config.short()}' --dtype "
                       "float64 --check grads")
    # run exactly as printed (the repository root on the path, as for every reproducer a report prints)
    run = subprocess.run(command.replace("python", sys.executable, 1), shell=True, capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    assert run.returncode == 1 and ": FAIL" in run.stdout and "failing grad_weight positions" in run.stdout, \
        run.stdout + run.stderr
    assert report.split("failing grad_weight positions")[1] in run.stdout  # the same positions, the same values
    # the same layer on a backend whose gradients are right: every sampled check passes
    assert _sampled(layer, DEPTHWISE_7X7, "d")["checks"] == {"forward (sampled)": "pass", "grads (sampled)": "pass"}


def test_a_sampled_failure_a_known_issue_explains_is_claimed_by_it():
    # the zoo's finding reduced: 17 channels of depth 1 under a 2-deep kernel, bfloat16, plain tensors
    # (onednn-bf16-long-kernel-grad-weight, where jit_bf16 dispatches); float32 conforms
    from conformance.backends import registry
    from conformance.findings import get
    from conformance.model.config_text import parse_config

    issue = get("onednn-bf16-long-kernel-grad-weight")
    torch_cpu = registry.load("torch-cpu")
    config = parse_config("conv3d x(1, 17, 1, 1, 1) w(17, 17, 2, 1, 1) g=1 s=(1, 1, 1) p=(1, 0, 0) d=(1, 1, 1)")
    layer = replace(models()["r3d_18"].layers[0], config=config)
    assert _sampled(replace(layer, dtype="float32"), torch_cpu, "torch-cpu")["verdict"] == "pass"
    if issue.unreachable_here("torch-cpu"):
        return  # another kernel serves bfloat16 here (AMX, or no AVX-512): nothing to claim
    record = _sampled(replace(layer, dtype="bfloat16"), torch_cpu, "torch-cpu")
    assert record["checks"] == {"forward (sampled)": "pass", "grads (sampled)": f"known issue {issue.key}"}
    assert record["verdict"] == "known" and "failing grad_weight positions" in record["reports"][0]
