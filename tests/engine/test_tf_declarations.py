"""tensorflow-cpu's declared limits that depend on the CPU: whether TF sends float16 to oneDNN decides whether a
dilated float16 transposed convolution has a kernel at all (Eigen's has no dilation).  No TensorFlow needed."""

from conformance.backends import tf_backend
from conformance.model.config import ConvConfig

DILATED = ConvConfig(1, 1, 1, 1, 1, (3,), (2,), (1,), (0,), (2,), transposed=True, output_padding=(0,))
UNDILATED = ConvConfig(1, 1, 1, 1, 1, (3,), (2,), (1,), (0,), (1,), transposed=True, output_padding=(0,))


def test_float16_dilated_transposed_is_declared_only_where_onednn_takes_float16(monkeypatch):
    caps = tf_backend.TensorFlowBackend().capabilities
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    # an AMD Zen 4: AVX-512 with BF16 but no FP16 arithmetic, so TF falls back to Eigen for float16
    monkeypatch.setattr(tf_backend, "cpu_flags", lambda: {"avx512f", "avx512bw", "avx512_bf16"})
    assert "no float16 CPU kernel for dilated transposed" in caps.unsupported(DILATED, "float16")
    assert caps.unsupported(UNDILATED, "float16") is None
    assert caps.unsupported(DILATED, "float32") is None
    # a Sapphire Rapids: AVX512_FP16, so oneDNN runs it
    monkeypatch.setattr(tf_backend, "cpu_flags", lambda: {"avx512f", "avx512bw", "avx512_fp16", "amx_fp16"})
    assert caps.unsupported(DILATED, "float16") is None
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")  # Eigen everywhere
    assert "no float16 CPU kernel" in caps.unsupported(DILATED, "float16")
