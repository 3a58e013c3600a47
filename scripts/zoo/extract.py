"""The model zoo: the convolution layers that published networks run, traced from their real definitions.

Each model in MODELS is built by its package's own code on the meta device (no weights, no download), traced
(forward and backward, no convolution computed) by conformance.backends.torch.trace.conv_layers, and written to
<out>/<name>.json with its provenance (package, version, the constructor call, the forward call).
<out>/README.md is rebuilt from every JSON file in <out>.  The zoo gives the suite real layer shapes to certify
next to the drawn ones.

    python3 -m venv /work/venv-zoo
    /work/venv-zoo/bin/pip install torch==2.14.1 torchvision==0.29.1
    /work/venv-zoo/bin/pip install transformers diffusers monai torch==2.14.1
    PYTHONPATH=. /work/venv-zoo/bin/python scripts/zoo/extract.py --out conformance/zoo/data [--only NAME ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections import namedtuple
from importlib.metadata import version
from pathlib import Path

# call: the factory, a constructor call recorded in the JSON and evaluated as it reads (`package` imported);
# wrap: None, or a function (module) -> nn.Module whose forward(x) makes the model's other inputs and calls it
Model = namedtuple("Model", "family package call wrap forward input_shape notes")

TRACER = "convconf layers tracer (meta tensors, one forward and one backward pass)"
INNER = "inner"  # the attribute a wrapper keeps the model in: stripped from the recorded module names


def _wrapper(forward):
    """A module holding the model as `inner`, whose forward(x) is `forward(inner, x)`."""
    import torch

    class Wrapper(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return forward(self.inner, x)

    return Wrapper


def _sd_unet_forward(unet, x):
    """A denoising step as the SD pipelines run it: one timestep per sample, CLIP text states (77 x 768)."""
    import torch

    timestep = torch.full((), 999, dtype=torch.long, device=x.device)
    text = torch.empty((x.shape[0], 77, 768), dtype=x.dtype, device=x.device)
    return unet(x, timestep, encoder_hidden_states=text).sample


_TV = "image classification"
_SD_UNET = ("diffusers.UNet2DConditionModel(sample_size=64, in_channels=4, out_channels=4, "
            "down_block_types=('CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', "
            "'DownBlock2D'), up_block_types=('UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', "
            "'CrossAttnUpBlock2D'), block_out_channels=(320, 640, 1280, 1280), layers_per_block=2, "
            "downsample_padding=1, mid_block_scale_factor=1, act_fn='silu', norm_num_groups=32, norm_eps=1e-05, "
            "cross_attention_dim=768, attention_head_dim=8, flip_sin_to_cos=True, freq_shift=0, "
            "center_input_sample=False)")
_SD_VAE = ("diffusers.AutoencoderKL(in_channels=3, out_channels=3, down_block_types=('DownEncoderBlock2D',) * 4, "
           "up_block_types=('UpDecoderBlock2D',) * 4, block_out_channels=(128, 256, 512, 512), layers_per_block=2, "
           "act_fn='silu', latent_channels=4, norm_num_groups=32, sample_size=512)")
_SD_NOTE = ("config typed in from the published Stable Diffusion v1.5 unet/config.json values (the v1.x family "
            "shares it); no weights")

MODELS = {
    "resnet50": Model(_TV, "torchvision", "torchvision.models.resnet50(weights=None)", None, "model(x)",
                      (1, 3, 224, 224), None),
    "mobilenet_v2": Model(_TV, "torchvision", "torchvision.models.mobilenet_v2(weights=None)", None, "model(x)",
                          (1, 3, 224, 224), None),
    "mobilenet_v3_large": Model(_TV, "torchvision", "torchvision.models.mobilenet_v3_large(weights=None)", None,
                                "model(x)", (1, 3, 224, 224), None),
    "efficientnet_b0": Model(_TV, "torchvision", "torchvision.models.efficientnet_b0(weights=None)", None,
                             "model(x)", (1, 3, 224, 224), None),
    "convnext_tiny": Model(_TV, "torchvision", "torchvision.models.convnext_tiny(weights=None)", None, "model(x)",
                           (1, 3, 224, 224), "its pointwise (1x1) layers are nn.Linear, so only the stem, the 7x7 "
                           "depthwise convs and the downsampling convs are convolutions"),
    "r2plus1d_18": Model("video classification", "torchvision",
                         "torchvision.models.video.r2plus1d_18(weights=None)", None, "model(x)",
                         (1, 3, 16, 112, 112), "16-frame 112x112 clips, the Kinetics-400 training clip size"),
    "r3d_18": Model("video classification", "torchvision", "torchvision.models.video.r3d_18(weights=None)", None,
                    "model(x)", (1, 3, 16, 112, 112), "16-frame 112x112 clips, the Kinetics-400 training clip size"),
    "monai_unet3d": Model(
        "3-d medical segmentation", "monai",
        "monai.networks.nets.UNet(spatial_dims=3, in_channels=1, out_channels=2, channels=(16, 32, 64, 128, 256), "
        "strides=(2, 2, 2, 2), num_res_units=2, norm='batch')", None, "model(x)", (1, 1, 96, 96, 96),
        "the network and input of MONAI's spleen CT segmentation tutorial: Project-MONAI/tutorials "
        "modules/bundles/spleen_segmentation/configs/inference.json ('network_def': UNet, spatial_dims 3, "
        "in_channels 1, out_channels 2, channels [16, 32, 64, 128, 256], strides [2, 2, 2, 2], num_res_units 2, "
        "norm 'batch'; SlidingWindowInferer roi_size [96, 96, 96]) and its docs/README.md ('Actual Model Input: "
        "96 x 96 x 96'), as in 3d_segmentation/spleen_segmentation_3d.ipynb; the norm does not change any conv"),
    "sd15_unet": Model("latent diffusion (denoising UNet)", "diffusers", _SD_UNET,
                       lambda m: _wrapper(_sd_unet_forward)(m),
                       "model(x, torch.full((), 999, dtype=torch.long), encoder_hidden_states=<(1, 77, 768)>)"
                       ".sample", (1, 4, 64, 64), _SD_NOTE + "; 64x64 latents = 512x512 images"),
    "sd15_vae_decoder": Model("latent diffusion (VAE decoder)", "diffusers", _SD_VAE,
                              lambda m: _wrapper(lambda vae, x: vae.decode(x).sample)(m), "model.decode(x).sample",
                              (1, 4, 64, 64), "config typed in from the published Stable Diffusion v1.5 "
                              "vae/config.json values; the decode path only (post_quant_conv + decoder), 64x64 "
                              "latents -> a 512x512 image"),
    "wav2vec2_base": Model("speech (self-supervised encoder)", "transformers",
                           "transformers.Wav2Vec2Model(transformers.Wav2Vec2Config())",
                           lambda m: _wrapper(lambda w2v, x: w2v(input_values=x).last_hidden_state)(m),
                           "model(input_values=x).last_hidden_state", (1, 16000),
                           "Wav2Vec2Config() defaults are wav2vec2-base's; one second of 16 kHz audio; the positional "
                           "conv keeps its weight-norm parametrization (it traces as it is on meta)"),
    "whisper_base_encoder": Model(
        "speech recognition (encoder)", "transformers",
        "transformers.WhisperModel(transformers.WhisperConfig(vocab_size=51865, num_mel_bins=80, d_model=512, "
        "encoder_layers=6, encoder_attention_heads=8, decoder_layers=6, decoder_attention_heads=8, "
        "encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_source_positions=1500)).encoder",
        lambda m: _wrapper(lambda enc, x: enc(input_features=x).last_hidden_state)(m),
        "model(input_features=x).last_hidden_state", (1, 80, 3000),
        "whisper-base's published config values; 30 s of 80-bin log-mel frames"),
}


def _build(name: str):
    """The module conv_layers traces for `name`: the recorded call, evaluated, then wrapped if need be."""
    model = MODELS[name]
    package = importlib.import_module(model.package)
    for sub in ("models", "models.video", "networks.nets"):  # the submodules the calls name
        try:
            importlib.import_module(f"{model.package}.{sub}")
        except ImportError:
            pass
    import torch

    with torch.device("meta"):  # parameters made on meta: no memory, no random init (the trace needs shapes only)
        module = eval(model.call, {model.package: package})  # noqa: S307 - the literal call strings of MODELS
    return module.eval() if model.wrap is None else model.wrap(module).eval()


def extract(name: str, dtype: str = "float32") -> tuple[dict, list]:
    """The zoo record of `name`, and the layers whose one-line form did not parse back to their config."""
    import torch

    from conformance.backends.torch.trace import conv_layers
    from conformance.model.config_text import parse_config

    model = MODELS[name]
    module = _build(name)
    layers, failed = [], []
    for layer in conv_layers(module, model.input_shape, dtype=dtype):
        if layer.dtype != dtype:
            raise RuntimeError(f"{name}: a layer ran in {layer.dtype}, not {dtype}: {layer.config.short()}")
        names = [n[len(INNER) + 1:] if n.startswith(INNER + ".") else n for n in layer.names]
        # memory_format: the layout the call ran in; grads: what the backward pass computed for it
        entry = {"config": layer.config.short(), "names": names, "calls": layer.calls,
                 "memory_format": layer.memory_format, "grads": list(layer.grads or ())}
        try:
            same = parse_config(entry["config"]) == layer.config
        except ValueError:
            same = False
        if not same:
            entry["repr"] = repr(layer.config)
            failed.append(entry["config"])
        layers.append(entry)
    source = {"package": model.package, "version": version(model.package), "call": model.call,
              "forward": model.forward, "torch": torch.__version__.split("+")[0], "traced_with": TRACER}
    record = {"model": name, "family": model.family, "source": source, "input_shape": list(model.input_shape),
              "dtype": dtype}
    if model.notes:
        record["notes"] = model.notes
    record["layers"] = layers
    return record, failed


def dumps(record: dict) -> str:
    """The record as JSON, one top-level key a line and one layer a line."""
    lines = [f" {json.dumps(key)}: {json.dumps(value)}" for key, value in record.items() if key != "layers"]
    layers = ",\n".join(f"  {json.dumps(layer)}" for layer in record["layers"])
    return "{\n" + ",\n".join(lines) + ',\n "layers": [\n' + layers + "\n ]\n}\n"


def _macs(text: str) -> int:
    """Multiply-accumulates of one call (ConvConfig.macs: prod(output_shape) * terms_per_output for a convolution,
    every input element times every tap for a transposed one, where terms_per_output is only a bound)."""
    from conformance.model.config_text import parse_config

    return parse_config(text).macs


def _count(n: int) -> str:
    for unit, size in (("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return str(n)


def readme(out: Path) -> str:
    """The zoo's README: one row a model, from every JSON record in `out`."""
    rows = []
    for path in sorted(out.glob("*.json")):
        record = json.loads(path.read_text())
        layers = record["layers"]
        macs = [(_macs(layer["config"]), layer) for layer in layers]
        total = sum(m * layer["calls"] for m, layer in macs)
        top, top_layer = max(macs, key=lambda ml: ml[0])
        src = record["source"]
        rows.append(f"| {record['model']} | {record['family']} | {src['package']} {src['version']} | "
                    f"`{src['call']}` | {tuple(record['input_shape'])} | {len(layers)} | "
                    f"{sum(layer['calls'] for layer in layers)} | {_count(total)} | {_count(top)} "
                    f"(`{top_layer['names'][0]}`) |")
    torch_versions = sorted({json.loads(p.read_text())["source"]["torch"] for p in out.glob("*.json")})
    return "\n".join([
        "# The model zoo",
        "",
        "The convolution layers that published networks run, one JSON file a model, traced from the networks' own",
        "definitions (built on the meta device: no weights, nothing downloaded) by",
        "`conformance.backends.torch.trace.conv_layers`: one forward pass on meta tensors, every torch.convNd /",
        f"conv_transposeNd call recorded (torch {', '.join(torch_versions)}).",
        "Each layer is a distinct configuration in first-call order: `config` is `ConvConfig.short()` (read back",
        "with `conformance.model.config_text.parse_config`; a `repr` key is added where that does not give the",
        "config back), `names` the modules that ran it, `calls` how often it ran in the pass. `source` says which",
        "package, version and constructor call built the model and how its forward was called; `notes` why that",
        "config and input.",
        "",
        "MACs are multiply-accumulates at batch 1 (`ConvConfig.macs`: prod(output shape) x terms per output for a",
        "convolution; for a transposed one, every input element times every tap, since `terms_per_output` bounds",
        "the taps of its busiest output). Total: over all calls; largest: one call of the largest layer, named by",
        "the first module that ran it. Convolutions only: a model's nn.Linear layers (ConvNeXt's 1x1 blocks,",
        "attention) are not counted.",
        "",
        "| model | family | package | call | input | layers | calls | total MACs | largest layer MACs |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        "## Regenerate",
        "",
        "```",
        "python3 -m venv /work/venv-zoo",
        "/work/venv-zoo/bin/pip install torch==2.14.1 torchvision==0.29.1",
        "/work/venv-zoo/bin/pip install transformers diffusers monai torch==2.14.1",
        "PYTHONPATH=. /work/venv-zoo/bin/python scripts/zoo/extract.py --out conformance/zoo/data",
        "```",
        "",
        "`--only NAME ...` re-traces some models; the README is rebuilt from every JSON file in `--out`.",
        "",
    ])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for <name>.json and README.md")
    parser.add_argument("--only", nargs="+", choices=sorted(MODELS), metavar="NAME",
                        help=f"these models only (of {', '.join(MODELS)})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for name in args.only or MODELS:
        start = time.perf_counter()
        try:
            record, failed = extract(name)
        except Exception as exc:  # noqa: BLE001 - one model failing leaves the others to run
            print(f"{name}: FAILED {type(exc).__name__}: {exc}", file=sys.stderr)
            status = 1
            continue
        (args.out / f"{name}.json").write_text(dumps(record))
        calls = sum(layer["calls"] for layer in record["layers"])
        print(f"{name}: {len(record['layers'])} layers, {calls} calls, {time.perf_counter() - start:.1f} s"
              + (f"; {len(failed)} did not parse back: {failed}" if failed else ""))
    (args.out / "README.md").write_text(readme(args.out))
    return status


if __name__ == "__main__":
    sys.exit(main())
